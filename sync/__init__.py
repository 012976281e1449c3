"""The sync protocol shared by the app and the server, and (from the sync issue on) the server itself."""

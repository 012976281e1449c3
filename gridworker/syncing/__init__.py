"""The app's half of sync: the device token, the HTTP transport, the engine that pushes the outbox and
applies pulled pages. No Qt: the window drives it from a background thread (gridworker.ui.sync)."""

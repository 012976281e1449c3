"""The roster import's old address, kept while the server's routes move out of app.py: the import lives in
:mod:`gridworker_server.roster.importing`. Point app.py's and cli.py's imports there and delete this file."""

from gridworker_server.roster.importing import IMPORTERS, describe, import_roster

__all__ = ["IMPORTERS", "describe", "import_roster"]

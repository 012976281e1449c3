"""The demo launcher (``make run`` / ``gridworker --demo``): a real local server on an embedded SQLite
database, seeded with the demo city, started in-process. The one part of the app allowed to import the
server; the app loads it only for ``--demo``, and the engine never does."""

"""The demo launcher (``make run`` / ``gridworker --demo``): a real local server on an embedded SQLite
database, seeded with the demo city, started in-process. The one part of the app allowed to import the
server; the app loads it only for ``--demo``, and the engine never does."""

from __future__ import annotations

import importlib.util

SERVER_EXTRA = "pip install 'gridworker[server]'"
# what the demo runs: the server, the web framework and server it is served by, Faker for its demo city
DEMO_NEEDS = ("gridworker_server", "fastapi", "uvicorn", "faker")


def missing_server() -> str | None:
    """None if this installation can run the demo; else the name of a module it lacks. The desktop
    installation (and the installer) carries the app alone: the demo needs the server, installed with
    ``pip install 'gridworker[server]'``. Looks the modules up without loading them."""
    for name in DEMO_NEEDS:
        try:
            if importlib.util.find_spec(name) is None:
                return name
        except ImportError:  # a parent missing, or an import hook that refuses it
            return name
    return None


# the demo's database is encrypted like a worker's, with this PIN (said in the README and, in the demo only,
# on the lock screen): the demo opens without typing it
DEMO_PIN = "246810"

"""The server's log: one line a record on stderr (a service manager or the demo's ``server.log`` keeps
it), every record through :class:`gridworker_shared.logsafe.SafeFormatter`, uvicorn's own included (its
"Exception in ASGI application" traceback would otherwise print the failing statement's parameters).

``GRIDWORKER_LOG_LEVEL`` (``warning`` by default) is the level of the server's loggers and uvicorn's;
the access log (``GRIDWORKER_ACCESS_LOG``, :mod:`gridworker_server.metrics`) is apart and writes route
templates, never raw paths or query strings.
"""

from __future__ import annotations

import os
from typing import Any

ENV_LEVEL = "GRIDWORKER_LOG_LEVEL"
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


def level() -> str:
    return os.environ.get(ENV_LEVEL, "warning").lower()


def log_config(name: str | None = None) -> dict[str, Any]:
    """``logging.config.dictConfig``'s dictionary for uvicorn's ``log_config``: the root logger and
    uvicorn's on stderr at ``name`` (by default ``GRIDWORKER_LOG_LEVEL``)."""
    upper = (name or level()).upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"safe": {"()": "gridworker_shared.logsafe.SafeFormatter", "fmt": FORMAT}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "safe", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": upper},
        "loggers": {
            # uvicorn's loggers propagate to the root's handler (and its formatter)
            "uvicorn": {"handlers": [], "level": upper, "propagate": True},
            "uvicorn.error": {"level": upper},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }

"""Named crash points: tests kill a real process at an exact place with ``GRIDWORKER_CRASH_AT=name``.

The app and the server call ``crash_point("name")`` at the moments SYNC.md's failure list names (inside
a local write before commit, after commit before push, ...). In production the variable is unset and a
crash point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "GRIDWORKER_CRASH_AT"


def crash_point(name: str) -> None:
    if os.environ.get(ENV) == name:
        # SIGKILL, like a power cut or `kill -9`: no cleanup, no flush, no atexit
        os.kill(os.getpid(), signal.SIGKILL)

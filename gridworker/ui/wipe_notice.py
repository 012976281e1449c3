"""What the user is told after a remote wipe (issue 14), and the start-up check that does one.

A laptop revoked as lost or handed over removes its user's data (gridworker.syncing.wipe). The next
screen the user sees says so, in their language: at the start (a wipe done by the start-up check, or by
the last session, or finished after a crash) and during a session (the window closes, this message
shows, then the sign-in screen)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

_TEXTS = {
    "lost": QT_TRANSLATE_NOOP(
        "wipe",
        "This laptop was reported lost, so the data of {user} on it was removed. Nothing you sent to the "
        "server is lost: sign in to continue on a laptop your office gave you.",
    ),
    "handover": QT_TRANSLATE_NOOP(
        "wipe",
        "This laptop was handed over to someone else. Everything {user} recorded on it was sent to the "
        "server, then the data on it was removed.",
    ),
}


def wipe_text(mode: str, user: str) -> str:
    """The notice of a wipe (``mode``: lost, handover) of ``user``'s data, in the user's language."""
    source = _TEXTS.get(mode, _TEXTS["lost"])
    return QCoreApplication.translate("wipe", source).format(user=user)


def show_wipe_notices(folder: Path, parent: QWidget | None = None) -> int:
    """Tell the user of every wipe done on this laptop they were not told of yet; how many."""
    from gridworker.syncing import wipe

    shown = wipe.notices(folder)
    for user, mode in shown:
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Gridworker", wipe_text(mode, user), QMessageBox.StandardButton.Ok, parent
        )
        box.setObjectName("wipe_notice")
        box.exec()
    wipe.mark_shown(folder)
    return len(shown)


def check_at_start(folder: Path, server_url: str, username: str) -> str:
    """Before anything shows: finish a wipe a crash interrupted, ask the server whether this laptop was
    revoked as lost or handed over (two seconds at most; offline: the app goes on) and wipe if so; then
    tell the user of any wipe done. The wipe mode done now, or ""."""
    from gridworker.syncing import wipe
    from gridworker.syncing.credentials import TokenStore

    try:
        mode = wipe.check_device(folder, username, server_url, TokenStore(folder))
    except Exception:  # the check never keeps the app from starting
        log.exception("the start-up check of this laptop failed")
        mode = ""
    show_wipe_notices(folder)
    return mode

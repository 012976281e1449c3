"""Translations: our .qm files and Qt's own (standard buttons), Simplified Chinese first; the one path
by which domain, store and server errors reach the user in their language."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from gridworker.store.schema import StoreError
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.resources import resource_path

log = logging.getLogger(__name__)


class Translations:
    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self._installed: list[QTranslator] = []
        self.language = "en"

    def install(self, language: str) -> bool:
        """Switch to ``language`` ("zh_CN" or "en"); False if our translation file is missing."""
        for t in self._installed:
            self.app.removeTranslator(t)
        self._installed.clear()
        self.language = language
        if language == "en":
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        else:
            QLocale.setDefault(QLocale(language))
        # English is the source language; its file only holds plural forms ("1 day", "2 days")
        ours = QTranslator(self.app)
        ok = ours.load(str(resource_path("translations", f"gridworker_{language}.qm")))
        if ok:
            self.app.installTranslator(ours)
            self._installed.append(ours)
        if language == "en":
            return ok
        qt = QTranslator(self.app)
        if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            self.app.installTranslator(qt)
            self._installed.append(qt)
        return ok


def error_text(error: ValidationError | StoreError) -> str:
    """A domain or store error in the user's language."""
    context = "validation" if isinstance(error, ValidationError) else "store"
    return QCoreApplication.translate(context, error.template).format(**error.params)


# The server's refusals by code, in the source language (English, as the server says them); the app
# shows them in the user's language. A code not here shows the server's own message.
_SERVER_MESSAGES: dict[str, str] = {
    # signing in
    "bad_credentials": QT_TRANSLATE_NOOP("server", "Wrong user name or password."),
    "too_many_attempts": QT_TRANSLATE_NOOP("server", "Too many failed sign-ins; try again in {minutes} minutes."),
    "not_signed_in": QT_TRANSLATE_NOOP("server", "Sign in first."),
    "invalid_token": QT_TRANSLATE_NOOP("server", "Your sign-in is no longer valid; sign in again."),
    "device_revoked": QT_TRANSLATE_NOOP("server", "This device was revoked; sign in again."),
    "user_inactive": QT_TRANSLATE_NOOP("server", "This account is deactivated."),
    "token_expired": QT_TRANSLATE_NOOP("server", "Your sign-in expired; sign in again."),
    "invalid_text": QT_TRANSLATE_NOOP(
        "server", "The {field} holds a control character ({char} at position {position}); remove it."
    ),
    # users (admins)
    "user_exists": QT_TRANSLATE_NOOP("server", "The user name {username} is taken."),
    "invalid_username": QT_TRANSLATE_NOOP(
        "server", "This user name cannot be used: enter visible letters and digits, at most 64."
    ),
    # every request
    "client_too_old": QT_TRANSLATE_NOOP("server", "Update Gridworker to sync; unsent work is kept."),
    "server_too_old": QT_TRANSLATE_NOOP("server", "The server is older than this app; unsent work is kept."),
    "busy": QT_TRANSLATE_NOOP("server", "The server is busy; retry shortly."),
    "database_busy": QT_TRANSLATE_NOOP("server", "The database is unavailable; retry shortly."),
    "too_large": QT_TRANSLATE_NOOP("server", "The request is too large."),
    "bad_encoding": QT_TRANSLATE_NOOP("server", "The request body is damaged."),
    "invalid_request": QT_TRANSLATE_NOOP("server", "The request is invalid."),
    "forbidden": QT_TRANSLATE_NOOP("server", "Your role may not do this."),
    # a push refused whole
    "wrong_device": QT_TRANSLATE_NOOP("server", "The token belongs to another device."),
    "epoch_changed": QT_TRANSLATE_NOOP("server", "The server was restored from a backup; syncing again."),
    "bad_order": QT_TRANSLATE_NOOP("server", "Sequence numbers must increase."),
    "device_fork": QT_TRANSLATE_NOOP(
        "server", "This device's database was restored from a backup; it must register again."
    ),
    "sequence_gap": QT_TRANSLATE_NOOP("server", "A gap in the sequence; nothing was applied."),
    # one change refused (the Unsent list)
    "household_unknown": QT_TRANSLATE_NOOP("server", "The household does not exist on the server."),
    "out_of_scope": QT_TRANSLATE_NOOP("server", "This household is not in your grid."),
    "visit_unknown": QT_TRANSLATE_NOOP("server", "The visit to correct does not exist."),
    "person_id_reused": QT_TRANSLATE_NOOP("server", "This member id is already used."),
    "person_unknown": QT_TRANSLATE_NOOP("server", "The member does not exist on the server."),
    "request_unknown": QT_TRANSLATE_NOOP("server", "The request does not exist on the server."),
    "not_resolved": QT_TRANSLATE_NOOP("server", "Rate a request once it is resolved."),
    "card_id_reused": QT_TRANSLATE_NOOP("server", "The card record id is already used."),
    "not_your_card": QT_TRANSLATE_NOOP("server", "A worker hands out their own card only."),
    "household_removed": QT_TRANSLATE_NOOP(
        "server", "The household was removed by a supervisor; this change was not applied."
    ),
    "household_reassigned": QT_TRANSLATE_NOOP(
        "server", "The household moved to another grid; this change was not applied."
    ),
    "already_corrected": QT_TRANSLATE_NOOP("server", "The visit was already corrected."),
    "status_is_server_owned": QT_TRANSLATE_NOOP("server", "A request's status is set by the server."),
    "cannot_cancel": QT_TRANSLATE_NOOP("server", "The request is already being handled and cannot be cancelled."),
    "card_user_not_grid_worker": QT_TRANSLATE_NOOP(
        "server", "The card's worker does not look after this household's grid."
    ),
}


def server_message(code: str, params: Mapping[str, Any], fallback: str) -> str:
    """The server's refusal ``code`` in the user's language, its ``params`` filled in; ``fallback``
    (the server's own message) for a code this app does not know."""
    source = _SERVER_MESSAGES.get(code)
    if source is None:
        return fallback
    try:
        return QCoreApplication.translate("server", source).format(**params)
    except (KeyError, IndexError, ValueError):  # a parameter missing (an older server): its own words
        log.debug("server message %s without its parameters %s", code, dict(params))
        return fallback

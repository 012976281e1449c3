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
# shows them in the user's language. A code not here shows the server's own message. A refusal whose
# code covers several rules names the rule in its ``reason`` parameter: "invalid.outcome".
# tests/unit/test_server_messages.py reads the server's source: every code it can send is here.
_SERVER_MESSAGES: dict[str, str] = {
    # signing in
    "bad_credentials": QT_TRANSLATE_NOOP("server", "Wrong user name or password."),
    "too_many_attempts": QT_TRANSLATE_NOOP("server", "Too many failed sign-ins; try again in {minutes} minutes."),
    "not_signed_in": QT_TRANSLATE_NOOP("server", "Sign in first."),
    "invalid_token": QT_TRANSLATE_NOOP("server", "Your sign-in is no longer valid; sign in again."),
    "device_revoked": QT_TRANSLATE_NOOP("server", "This device was revoked; sign in again."),
    "user_inactive": QT_TRANSLATE_NOOP("server", "This account is deactivated."),
    # a laptop revoked as lost or handed over (issue 14), and the recovery key of its data
    "device_wiped": QT_TRANSLATE_NOOP("server", "This laptop was revoked; its data was removed."),
    "handover_unsent": QT_TRANSLATE_NOOP(
        "server", "This laptop was handed over, but some work is still unsent; it is removed once sent."
    ),
    "wipe_not_requested": QT_TRANSLATE_NOOP("server", "This laptop was not told to remove its data."),
    "wipe_mode_unknown": QT_TRANSLATE_NOOP("server", "Unknown wipe mode {wipe}: use lost or handover."),
    "device_mismatch": QT_TRANSLATE_NOOP("server", "This sign-in belongs to another laptop; sign in again."),
    "recovery_key_invalid": QT_TRANSLATE_NOOP("server", "The recovery key is damaged; set the PIN again."),
    "recovery_unavailable": QT_TRANSLATE_NOOP(
        "server",
        "The server holds no recovery key for this laptop: only a laptop of yours that was not revoked and "
        "sent one gets it back. Ask your office for help.",
    ),
    "token_expired": QT_TRANSLATE_NOOP("server", "Your sign-in expired; sign in again."),
    "password_change_required": QT_TRANSLATE_NOOP("server", "Set your own password before syncing."),
    "weak_password": QT_TRANSLATE_NOOP("server", "The password needs at least {min} characters."),
    "password_unchanged": QT_TRANSLATE_NOOP("server", "Choose a password other than the current one."),
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
    "database_unavailable": QT_TRANSLATE_NOOP("server", "The server cannot reach its database; retry shortly."),
    "too_large": QT_TRANSLATE_NOOP("server", "The request is too large."),
    "bad_encoding": QT_TRANSLATE_NOOP("server", "The request body is damaged."),
    "invalid_request": QT_TRANSLATE_NOOP("server", "The request is invalid."),
    "unknown_parameter": QT_TRANSLATE_NOOP("server", "The request names a parameter the server does not know."),
    "forbidden": QT_TRANSLATE_NOOP("server", "Your role may not do this."),
    "bad_request": QT_TRANSLATE_NOOP("server", "The server could not read the request."),
    "not_found": QT_TRANSLATE_NOOP("server", "The server does not know this address."),
    "method_not_allowed": QT_TRANSLATE_NOOP("server", "The server does not allow this here."),
    "http_error": QT_TRANSLATE_NOOP("server", "The server refused the request."),
    # a push refused whole
    "wrong_device": QT_TRANSLATE_NOOP("server", "The token belongs to another device."),
    "epoch_changed": QT_TRANSLATE_NOOP("server", "The server was restored from a backup; syncing again."),
    "bad_order": QT_TRANSLATE_NOOP("server", "Sequence numbers must increase."),
    "device_fork": QT_TRANSLATE_NOOP(
        "server", "This device's database was restored from a backup; it must register again."
    ),
    "sequence_gap": QT_TRANSLATE_NOOP("server", "A gap in the sequence; nothing was applied."),
    # the app's own sync failures (gridworker.syncing: SyncError and its kinds), by the same path
    "offline": QT_TRANSLATE_NOOP("server", "Cannot reach the server: {error}."),
    "offline.cut": QT_TRANSLATE_NOOP("server", "The connection broke: {error}."),
    "truncated": QT_TRANSLATE_NOOP("server", "The server's answer is incomplete."),
    "not_our_server": QT_TRANSLATE_NOOP("server", "This address is not a Gridworker server."),
    "not_our_server.portal": QT_TRANSLATE_NOOP(
        "server", "This address is not a Gridworker server (sign in to the public network first?)."
    ),
    "not_our_server.http": QT_TRANSLATE_NOOP("server", "This address is not a Gridworker server (HTTP {status})."),
    "server_error": QT_TRANSLATE_NOOP("server", "Server error {status}."),
    "other_user": QT_TRANSLATE_NOOP("server", "This database belongs to another worker."),
    "busy_locally": QT_TRANSLATE_NOOP("server", "A sync is already running."),
    # one change refused (the Unsent list)
    "household_unknown": QT_TRANSLATE_NOOP("server", "The household does not exist on the server."),
    "out_of_scope": QT_TRANSLATE_NOOP("server", "This household is not in your grid."),
    # the access trail (issue 14: reveals, exports and prints of residents' personal data)
    "reveal_not_allowed": QT_TRANSLATE_NOOP("server", "A department does not see residents' ID numbers or phones."),
    "access_id_reused": QT_TRANSLATE_NOOP("server", "The access event id is already used."),
    "bad_cursor": QT_TRANSLATE_NOOP("server", "The page cursor is not one this server gave."),
    "invalid.reveal_target": QT_TRANSLATE_NOOP("server", "A reveal names the household and the field."),
    "invalid.action": QT_TRANSLATE_NOOP("server", "Unknown action {action}."),
    "visit_unknown": QT_TRANSLATE_NOOP("server", "The visit to correct does not exist."),
    "person_id_reused": QT_TRANSLATE_NOOP("server", "This member id is already used."),
    "person_unknown": QT_TRANSLATE_NOOP("server", "The member does not exist on the server."),
    "request_unknown": QT_TRANSLATE_NOOP("server", "The request does not exist on the server."),
    # the requests flow (issue 13: gridworker_server.flow)
    "request_out_of_area": QT_TRANSLATE_NOOP("server", "This request is not in your area or not dispatched to you."),
    "request_unknown_step": QT_TRANSLATE_NOOP("server", "This step of a request is unknown to the server."),
    "request_step_forbidden": QT_TRANSLATE_NOOP("server", "Your role cannot take this step on a request."),
    "request_step_not_allowed": QT_TRANSLATE_NOOP("server", "The request's status no longer allows this step."),
    "request_note_too_long": QT_TRANSLATE_NOOP("server", "A note holds at most {limit} characters."),
    "request_note_required": QT_TRANSLATE_NOOP("server", "This step needs a note saying what was done or why."),
    "request_bounce_reason": QT_TRANSLATE_NOOP("server", "A bounce needs its reason: not ours, or outside our area."),
    "request_callback_answers": QT_TRANSLATE_NOOP(
        "server", "A call-back needs both answers: whether it was resolved, and how satisfied the resident is."
    ),
    "request_extend_days": QT_TRANSLATE_NOOP("server", "An extension is 1 to 365 days."),
    "request_department_required": QT_TRANSLATE_NOOP("server", "Choose the department to dispatch the request to."),
    "request_department_unknown": QT_TRANSLATE_NOOP("server", "No such department in the request's street."),
    "request_department_same": QT_TRANSLATE_NOOP("server", "The request is already dispatched to this department."),
    "request_merge_target": QT_TRANSLATE_NOOP(
        "server", "Merge only into an earlier request of the same household or address that is still open."
    ),
    "department_invalid": QT_TRANSLATE_NOOP("server", "A department needs a code and a name."),
    "org_unit_exists": QT_TRANSLATE_NOOP("server", "An org unit with this code exists."),
    "department_user_org": QT_TRANSLATE_NOOP(
        "server", "A department user belongs to a department, and a department holds only department users."
    ),
    "api_key_name": QT_TRANSLATE_NOOP("server", "An API key needs a name of at most 100 characters."),
    "api_key_unknown": QT_TRANSLATE_NOOP("server", "No such API key."),
    "api_key_invalid": QT_TRANSLATE_NOOP("server", "This API key is unknown or revoked."),
    "feed_event_conflict": QT_TRANSLATE_NOOP("server", "This external event id was already used for another update."),
    "feed_link_conflict": QT_TRANSLATE_NOOP("server", "The request or the external id is linked to another one."),
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
    "not_visit_author": QT_TRANSLATE_NOOP("server", "Only the worker who recorded a visit can correct it."),
    "amend_not_for_supervisors": QT_TRANSLATE_NOOP(
        "server", "A supervisor corrects a visit in review, not by amending it."
    ),
    "mutation_id_reused": QT_TRANSLATE_NOOP(
        "server", "This change's id was already used for other content; it was not applied."
    ),
    "unprocessable": QT_TRANSLATE_NOOP("server", "The server could not process this change."),
    "status_is_server_owned": QT_TRANSLATE_NOOP("server", "A request's status is set by the server."),
    "cannot_cancel": QT_TRANSLATE_NOOP("server", "The request is already being handled and cannot be cancelled."),
    "card_user_not_grid_worker": QT_TRANSLATE_NOOP(
        "server", "The card's worker does not look after this household's grid."
    ),
    "user_unknown": QT_TRANSLATE_NOOP("server", "Unknown user."),
    "unknown_kind": QT_TRANSLATE_NOOP("server", "Unknown mutation kind: {kind}."),
    "unknown_field": QT_TRANSLATE_NOOP("server", "This field cannot be changed: {field}."),
    "invalid.nul": QT_TRANSLATE_NOOP("server", "The change contains a NUL character."),
    "invalid.too_deep": QT_TRANSLATE_NOOP("server", "The change is nested too deeply."),
    "invalid.format": QT_TRANSLATE_NOOP("server", "The change is malformed ({where})."),
    "invalid.time": QT_TRANSLATE_NOOP("server", "The time {when} is out of range: check the clock."),
    "invalid.outcome": QT_TRANSLATE_NOOP("server", "Invalid outcome."),
    "invalid.request_codes": QT_TRANSLATE_NOOP("server", "Invalid request category or urgency."),
    "invalid.notes_too_long": QT_TRANSLATE_NOOP("server", "Notes are too long."),
    "invalid.description_too_long": QT_TRANSLATE_NOOP("server", "The request description is too long."),
    "invalid.relation": QT_TRANSLATE_NOOP("server", "Invalid relation."),
    "invalid.sex": QT_TRANSLATE_NOOP("server", "Invalid sex."),
    "invalid.phone": QT_TRANSLATE_NOOP("server", "Invalid phone number."),
    "invalid.photo_data": QT_TRANSLATE_NOOP("server", "The photo is not valid base64."),
    "invalid.photo_too_big": QT_TRANSLATE_NOOP("server", "The photo is larger than 64 KB."),
    "invalid.photo_format": QT_TRANSLATE_NOOP("server", "The photo must be a JPEG or PNG image."),
    "invalid_value": QT_TRANSLATE_NOOP("server", "A value is not valid ({field})."),
    "invalid_value.notes_too_long": QT_TRANSLATE_NOOP("server", "Notes are too long."),
    "invalid_value.tag": QT_TRANSLATE_NOOP("server", "Unknown care tag."),
    "invalid_value.interval": QT_TRANSLATE_NOOP("server", "The visit interval must be 1 to 365 days."),
    # one change set aside for review (the Unsent list)
    "field_conflict": QT_TRANSLATE_NOOP(
        "server", "Someone else changed the same field; your value was kept and theirs recorded for review."
    ),
    "visit_id_reused": QT_TRANSLATE_NOOP("server", "A visit with this id exists with other content; kept for review."),
    # a review of a visit (issue 12: the reviewer's Unsent list) and a street's settings
    "review_forbidden": QT_TRANSLATE_NOOP("server", "Only a station, a supervisor or an admin reviews visits."),
    "review_out_of_area": QT_TRANSLATE_NOOP("server", "This household is not in your area."),
    "review_visit_unknown": QT_TRANSLATE_NOOP("server", "The visit to review does not exist in this household."),
    "review_id_reused": QT_TRANSLATE_NOOP("server", "This review's id was already used for another review."),
    "review_unknown_action": QT_TRANSLATE_NOOP("server", "Unknown review action."),
    "review_comment_too_long": QT_TRANSLATE_NOOP("server", "A comment holds at most {limit} characters."),
    "review_reason_required": QT_TRANSLATE_NOOP("server", "A return needs one of the listed reasons."),
    "review_comment_required": QT_TRANSLATE_NOOP(
        "server", "A return for another reason, a reopening or a comment needs a text."
    ),
    "review_reason_not_allowed": QT_TRANSLATE_NOOP("server", "Only a return carries a reason."),
    "review_pins_not_allowed": QT_TRANSLATE_NOOP("server", "Only a return marks fields to correct."),
    "review_pins_unknown": QT_TRANSLATE_NOOP("server", "A marked field is not one of the visit form's."),
    "review_not_allowed": QT_TRANSLATE_NOOP(
        "server", "The visit's review state no longer allows this; your review was kept in its activity."
    ),
    "review_superseded": QT_TRANSLATE_NOOP(
        "server", "The worker corrected this visit meanwhile; review the correction (visit {amended_by})."
    ),
    "street_unknown": QT_TRANSLATE_NOOP("server", "No such street in your area."),
    "settings_invalid": QT_TRANSLATE_NOOP("server", "A street setting is not valid: {field}."),
    "empty_body": QT_TRANSLATE_NOOP("server", "The request carried no file; choose the spreadsheet again."),
    # the administration and the guide's publishing (gridworker-admin, the station's tools)
    "grid_unknown": QT_TRANSLATE_NOOP("server", "No such grid in your area."),
    "org_unit_unknown": QT_TRANSLATE_NOOP("server", "No org unit with code {code}."),
    "device_unknown": QT_TRANSLATE_NOOP("server", "No such device."),
    "invalid_role": QT_TRANSLATE_NOOP("server", "Not a role."),
    "org_required": QT_TRANSLATE_NOOP("server", "Give the user's org unit."),
    "not_a_grid": QT_TRANSLATE_NOOP("server", "{code} is not a grid."),
    "not_a_worker": QT_TRANSLATE_NOOP("server", "{username} is not a worker."),
    "invalid_transition": QT_TRANSLATE_NOOP("server", "The request cannot change to this status now."),
    "not_empty": QT_TRANSLATE_NOOP("server", "The database already holds data."),
    "article_invalid": QT_TRANSLATE_NOOP("server", "The article is invalid."),
    "article_unknown": QT_TRANSLATE_NOOP("server", "No such article."),
    "version_not_newer": QT_TRANSLATE_NOOP("server", "The text changed; raise its version above the published one."),
    # back-checks (call-backs of a week's drawn visits)
    "backcheck_unknown": QT_TRANSLATE_NOOP("server", "The back-check does not exist on the server."),
    "backcheck_not_allowed": QT_TRANSLATE_NOOP("server", "Only a station or a supervisor records a back-check."),
    "backcheck_own_visit": QT_TRANSLATE_NOOP("server", "A back-check of your own visit is made by someone else."),
    "backcheck_closed": QT_TRANSLATE_NOOP(
        "server", "This back-check was already recorded as confirmed or denied; it cannot change."
    ),
    "backcheck_week_not_over": QT_TRANSLATE_NOOP("server", "A week's back-checks are drawn once the week is over."),
}


def server_message(code: str, params: Mapping[str, Any], fallback: str) -> str:
    """The server's refusal ``code`` in the user's language, its ``params`` filled in; ``fallback``
    (the server's own message) for a code this app does not know."""
    source = _SERVER_MESSAGES.get(f"{code}.{params['reason']}") if "reason" in params else None
    source = source or _SERVER_MESSAGES.get(code)
    if source is None:
        return fallback
    try:
        return QCoreApplication.translate("server", source).format(**params)
    except (KeyError, IndexError, ValueError):  # a parameter missing (an older server): its own words
        log.debug("server message %s without its parameters (given: %s)", code, ", ".join(sorted(params)))
        return fallback

"""User actions on the local store. Each is one transaction: the domain rows and their outbox entry
commit together or not at all (SYNC.md, Client). Rows that a pull applies never come through here,
so nothing here has to guess whether a write is the user's.

By area: ``visits``, ``households`` (the household's facts and its members), ``cards``, ``drafts``,
``access`` (the access trail: reveals, exports and prints of personal data) and ``outbox``
(acknowledging a change the server set aside); ``base`` holds the outbox entry and the local calendar
they share.
"""

from __future__ import annotations

from gridworker.store.services.access import MSG_ACCESS_FIELD, AccessActions
from gridworker.store.services.base import (
    MSG_NO_HOUSEHOLD,
    index_household,
    local_date,
    local_now,
    to_utc_naive,
)
from gridworker.store.services.cards import KEEP, MSG_CARD_LAYOUT, MSG_NO_CARD_HOUSEHOLDS, CardActions
from gridworker.store.services.drafts import DraftActions
from gridworker.store.services.households import (
    MSG_ID_BIRTH,
    MSG_ID_SEX_FEMALE,
    MSG_ID_SEX_MALE,
    MSG_ID_TAKEN,
    MSG_KEEP_HEAD,
    MSG_LAST_HEAD,
    MSG_NO_PERSON,
    HouseholdActions,
    validate_person,
)
from gridworker.store.services.outbox import MSG_NOT_SET_ASIDE, OutboxActions
from gridworker.store.services.requests import RequestActions, StepExtras
from gridworker.store.services.review import ReviewActions
from gridworker.store.services.visits import (
    MSG_ALREADY_CORRECTED,
    MSG_NO_VISIT,
    MSG_VISIT_SAVED_ELSEWHERE,
    VisitActions,
    visit_message,
)

__all__ = [
    "KEEP",
    "MSG_ACCESS_FIELD",
    "MSG_ALREADY_CORRECTED",
    "MSG_CARD_LAYOUT",
    "MSG_ID_BIRTH",
    "MSG_ID_SEX_FEMALE",
    "MSG_ID_SEX_MALE",
    "MSG_ID_TAKEN",
    "MSG_KEEP_HEAD",
    "MSG_LAST_HEAD",
    "MSG_NOT_SET_ASIDE",
    "MSG_NO_CARD_HOUSEHOLDS",
    "MSG_NO_HOUSEHOLD",
    "MSG_NO_PERSON",
    "MSG_NO_VISIT",
    "MSG_VISIT_SAVED_ELSEWHERE",
    "LocalStore",
    "StepExtras",
    "index_household",
    "local_date",
    "local_now",
    "to_utc_naive",
    "validate_person",
    "visit_message",
]


class LocalStore(
    VisitActions,
    HouseholdActions,
    CardActions,
    DraftActions,
    OutboxActions,
    ReviewActions,
    RequestActions,
    AccessActions,
):
    """The worker's actions, each one transaction with its outbox entry. No Qt."""

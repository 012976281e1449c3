"""Contact cards pushed: a card handed to a household (``card.issue``) and the user's own card
details (``profile.update``, its photo checked by the shared rule, ``gridworker_shared.domain.cards``)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import exists, select

from gridworker_server.models import CardIssue, GridAssignment, User
from gridworker_server.push.batch import Batch, Outcome, Rejected, aware, check_business_time
from gridworker_shared.domain.cards import MSG_PHOTO_TOO_BIG, PhotoEncodingError, card_text, photo_from_text
from gridworker_shared.domain.validation import ValidationError, validate_optional_phone
from gridworker_shared.protocol import CardIssue as CardIssueMessage
from gridworker_shared.protocol import ProfileUpdate, grid_scope


def issue(b: Batch, m: CardIssueMessage, mutation_id: uuid.UUID) -> Outcome:
    """A card handed to a household: a fact, like a visit (accepted and flagged when the household
    left the grid meanwhile). A worker hands out their own card; a station, supervisor or admin
    prints for any worker of the grids they hold."""
    h, _flag = b.household(m.household_id)
    check_business_time(m.issued_at, "card")
    existing = b.s.get(CardIssue, m.id)
    if existing is not None:
        if existing.household_id == h.id and existing.card_user_id == m.card_user_id:
            return Outcome(data={"duplicate": True})
        raise Rejected("card_id_reused", "The card record id is already used.")
    if m.card_user_id != b.p.user_id and b.p.role == "worker":
        raise Rejected("not_your_card", "A worker hands out their own card only.")
    # the card is that of the worker who looks after the household's grid now
    holds = b.s.scalar(
        select(
            exists().where(
                GridAssignment.user_id == m.card_user_id,
                GridAssignment.grid_id == h.grid_id,
                GridAssignment.until.is_(None),
            )
        )
    )
    if not holds:
        raise Rejected(
            "card_user_not_grid_worker",
            "The card's worker does not look after this household's grid.",
        )
    reprint = bool(
        b.s.scalar(select(exists().where(CardIssue.household_id == h.id, CardIssue.card_user_id == m.card_user_id)))
    )
    b.s.add(
        CardIssue(
            id=m.id,
            household_id=h.id,
            card_user_id=m.card_user_id,
            printed_by=b.p.user_id,
            issued_at=aware(m.issued_at).astimezone(dt.UTC),
            layout=m.layout,
            reprint=reprint,
        )
    )
    b.s.flush()
    b.changes.household(h)
    return Outcome(data={"reprint": reprint})


def profile_update(b: Batch, m: ProfileUpdate, _mutation_id: uuid.UUID) -> Outcome:
    """The user's own card details; every grid they hold sends the worker row again."""
    user = b.s.get(User, b.p.user_id)
    if user is None:
        raise Rejected("user_unknown", "Unknown user.")
    try:
        phone = validate_optional_phone(m.phone)
    except ValidationError as exc:
        raise Rejected("invalid", f"Invalid phone: {exc}", reason="phone") from exc
    photo: bytes | None = user.photo
    if m.photo is not None:
        photo = _photo(m.photo) if m.photo else None
    user.phone = phone
    user.service_hours = card_text(m.service_hours)
    user.card_line = card_text(m.card_line)
    user.photo = photo
    b.s.flush()
    for grid in b.grids if b.p.role == "worker" else ():
        b.changes.upsert(grid_scope(grid), "worker", user.id)
    return Outcome()


def _photo(value: str) -> bytes:
    try:
        return photo_from_text(value)
    except PhotoEncodingError as exc:
        raise Rejected("invalid", "The photo is not valid base64.", reason="photo_data") from exc
    except ValidationError as exc:
        if exc.template == MSG_PHOTO_TOO_BIG:
            raise Rejected("invalid", "The photo is larger than 64 KB.", reason="photo_too_big") from exc
        raise Rejected("invalid", "The photo must be a JPEG or PNG image.", reason="photo_format") from exc

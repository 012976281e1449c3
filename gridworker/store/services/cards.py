"""Contact cards on the laptop: cards handed to households (``card.issue``) and the worker's own
card (``profile.update``, its photo checked by the shared rule, ``gridworker_shared.domain.cards``)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from gridworker.store.models import CardIssue, Household, Meta, WorkerCard
from gridworker.store.services.base import MSG_NO_HOUSEHOLD, StoreBase, to_utc_naive
from gridworker_shared.domain.cards import card_text, check_photo, photo_text
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.households import CARD_LAYOUTS, MAX_CARD_LINE, MAX_SERVICE_HOURS
from gridworker_shared.domain.validation import ValidationError, validate_optional_phone
from gridworker_shared.domain.visits import check_length
from gridworker_shared.protocol import CardIssue as CardIssueMutation
from gridworker_shared.protocol import ProfileUpdate

MSG_CARD_LAYOUT = QT_TRANSLATE_NOOP("validation", "Choose a card layout: single card, A4 sheet or A3 poster.")
MSG_NO_CARD_HOUSEHOLDS = QT_TRANSLATE_NOOP("validation", "Choose at least one household for the cards.")
CHUNK = 500  # ids per IN (...) list


class _Keep:
    """``update_profile(photo=KEEP)``: leave the photo as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


class CardActions(StoreBase):
    def record_card_issues(
        self,
        card_user_id: uuid.UUID,
        household_ids: list[uuid.UUID],
        layout: str,
        issued_at: dt.datetime | None = None,
    ) -> list[uuid.UUID]:
        """Cards of ``card_user_id`` handed to households (a printed batch): one card_issue row and one
        ``card.issue`` outbox entry per household, in one transaction. A household that already had a
        card of that worker on this laptop gets a reprint (the server decides for good). Returns the
        new issues' ids, in the order of ``household_ids`` (each household once)."""
        if layout not in CARD_LAYOUTS:
            raise ValidationError("layout", MSG_CARD_LAYOUT)
        wanted = list(dict.fromkeys(household_ids))
        if not wanted:
            raise ValidationError("households", MSG_NO_CARD_HOUSEHOLDS)
        when = issued_at or self.clock()
        if when.tzinfo is None:
            when = when.astimezone()
        stored = to_utc_naive(when)
        ids: list[uuid.UUID] = []
        with self.db.transaction() as s:
            present = set()
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                present |= set(s.scalars(select(Household.id).where(Household.id.in_(chunk))))
            if len(present) != len(wanted):
                raise ValidationError("households", MSG_NO_HOUSEHOLD)
            earlier: set[uuid.UUID] = set()
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                earlier |= set(
                    s.scalars(
                        select(CardIssue.household_id)
                        .where(CardIssue.card_user_id == card_user_id, CardIssue.household_id.in_(chunk))
                        .distinct()
                    )
                )
            for household_id in wanted:
                issue = CardIssue(
                    id=uuid.uuid4(),
                    household_id=household_id,
                    card_user_id=card_user_id,
                    issued_at=stored,
                    layout=layout,
                    reprint=household_id in earlier,
                    printed_by=self.worker_id,
                )
                s.add(issue)
                self._enqueue(
                    s,
                    CardIssueMutation.model_validate(
                        {
                            "id": issue.id,
                            "household_id": household_id,
                            "card_user_id": card_user_id,
                            "issued_at": when,
                            "layout": layout,
                        }
                    ),
                    issue.id,
                    household_id,
                )
                ids.append(issue.id)
            s.flush()
        return ids

    def update_profile(
        self, phone: str, service_hours: str, card_line: str, photo: bytes | _Keep | None = KEEP
    ) -> bool:
        """The signed-in user's own card: phone, service hours, a short line, the photo (bytes of a
        JPEG or PNG of at most MAX_PHOTO_BYTES, None to remove it, KEEP to leave it). The local card
        and a ``profile.update`` entry in one transaction; False, writing nothing, when nothing changed."""
        clean_phone = validate_optional_phone(phone)
        hours = card_text(service_hours)
        check_length(hours, MAX_SERVICE_HOURS, "service_hours")
        line = card_text(card_line)
        check_length(line, MAX_CARD_LINE, "card_line")
        if isinstance(photo, bytes):
            check_photo(photo)
        with self.db.transaction() as s:
            card = s.get(WorkerCard, self.worker_id)
            old_photo = card.photo if card is not None else None
            before = (card.phone, card.service_hours, card.card_line) if card is not None else ("", "", "")
            new_photo = old_photo if isinstance(photo, _Keep) else photo
            if (clean_phone, hours, line) == before and new_photo == old_photo:
                return False
            if card is None:
                meta = {key: value for key, value in s.execute(select(Meta.key, Meta.value))}
                card = WorkerCard(
                    user_id=self.worker_id,
                    username=meta.get("username", ""),
                    name=meta.get("worker_name", ""),
                    grids=[],
                )
                s.add(card)
            card.phone, card.service_hours, card.card_line, card.photo = clean_phone, hours, line, new_photo
            sent: str | None = None  # the photo is sent only when it changed
            if new_photo != old_photo:
                sent = photo_text(new_photo) if new_photo else ""
            self._enqueue(
                s,
                ProfileUpdate(phone=clean_phone, service_hours=hours, card_line=line, photo=sent),
                self.worker_id,
                None,
            )
            s.flush()
        return True

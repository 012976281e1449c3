"""What a scope carries besides households: the org units, the workers' contact cards (grid scopes) and
the policy guide's articles (the global scope)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

from gridworker_shared.codec.wire import Row, instant, iso, need_id, pack_id, pad, read_id, read_iso, seconds, trim

# --- org units ---------------------------------------------------------------------------------------


class OrgUnitRecord(NamedTuple):
    id: uuid.UUID
    code: str
    name: str
    kind: str
    parent_id: uuid.UUID | None
    liaison_name: str
    liaison_phone: str
    # a street's settings (gridworker_shared.domain.review.StreetSettings as a dict; {} elsewhere)
    settings: dict[str, Any] = {}  # noqa: RUF012 - a NamedTuple default, never mutated


def encode_org_unit(u: OrgUnitRecord) -> Row:
    return trim(
        [pack_id(u.id), u.code, u.name, u.kind, pack_id(u.parent_id), u.liaison_name, u.liaison_phone, u.settings]
    )


def decode_org_unit(row: Sequence[Any]) -> OrgUnitRecord:
    uid, code, name, kind, parent, liaison_name, liaison_phone, settings = pad(row, 8)
    return OrgUnitRecord(
        need_id(uid, "id"),
        code or "",
        name or "",
        kind or "",
        read_id(parent),
        liaison_name or "",
        liaison_phone or "",
        settings if isinstance(settings, dict) else {},
    )


# --- the guide's articles (the global scope) ---------------------------------------------------------


class ArticleRecord(NamedTuple):
    id: uuid.UUID
    slug: str
    category: str
    title: str
    summary: str
    body: str
    phones: list[str]
    effective_from: dt.date | None
    effective_to: dt.date | None
    version: int
    published_at: dt.datetime | None


def encode_article(a: ArticleRecord) -> Row:
    return trim(
        [
            pack_id(a.id),
            a.slug,
            a.category,
            a.title,
            a.summary,
            a.body,
            a.phones,
            iso(a.effective_from),
            iso(a.effective_to),
            a.version,
            None if a.published_at is None else seconds(a.published_at),
        ]
    )


def decode_article(row: Sequence[Any]) -> ArticleRecord:
    aid, slug, category, title, summary, body, phones, start, end, version, published = pad(row, 11)
    return ArticleRecord(
        need_id(aid, "id"),
        slug or "",
        category or "",
        title or "",
        summary or "",
        body or "",
        list(phones or []),
        read_iso(start),
        read_iso(end),
        version or 0,
        None if published is None else instant(published),
    )


# --- workers' contact cards (grid scopes) -------------------------------------------------------------


class WorkerRecord(NamedTuple):
    id: uuid.UUID
    username: str
    name: str
    phone: str
    service_hours: str
    card_line: str
    photo: bytes | None
    grids: list[uuid.UUID]  # every grid the worker holds (the wire sorts them by their packed ids)
    card_code: str = ""  # the code under the card's QR code (server-assigned, unique city-wide); protocol 3


def encode_worker(w: WorkerRecord) -> Row:
    return trim(
        [
            pack_id(w.id),
            w.username,
            w.name,
            w.phone,
            w.service_hours,
            w.card_line,
            base64.b64encode(w.photo).decode() if w.photo else "",
            sorted(pack_id(g) or "" for g in w.grids),
            w.card_code,
        ]
    )


def decode_worker(row: Sequence[Any]) -> WorkerRecord:
    # columns a later protocol adds at the end are left for it (this decoder reads the ones it knows)
    wid, username, name, phone, hours, card_line, photo, grids, card_code = pad(row, 9)
    return WorkerRecord(
        need_id(wid, "id"),
        username or "",
        name or "",
        phone or "",
        hours or "",
        card_line or "",
        _photo(photo),
        [g for g in (read_id(x) for x in grids or []) if g is not None],
        str(card_code or ""),
    )


def _photo(value: Any) -> bytes | None:
    if not value:
        return None
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        return None

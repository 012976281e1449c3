"""Applying staged pull pages to the worker's database, in one transaction with the cursors.

Rows a pull brings are the server's truth and never enter the outbox. A household with unsent local
work (pending outbox entries) is not overwritten: the push that follows makes the server send it again,
merged. Removals apply only where the local row still belongs to the scope that removed it, so a
household that moved between two scopes the user holds ends where the server has it.

The global scope carries the policy guide (written through gridworker.guide.store, which keeps the
search index in step); a grid's scope carries its households (with their visits' guide articles and
their contact cards) and the cards of the workers who hold the grid. The signed-in user's own card
is not overwritten while a ``profile.update`` of theirs is unsent, and is kept when its last grid goes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from gridworker.store.models import (
    Article,
    CardIssue,
    Household,
    HouseholdTag,
    Meta,
    OrgUnit,
    Outbox,
    Person,
    ResidentRequest,
    SearchKey,
    Visit,
    VisitArticle,
    VisitPerson,
    WorkerCard,
)
from gridworker_shared.domain.households import (
    ARTICLE_ACTIONS,
    CARD_LAYOUTS,
    MAX_ARTICLE_TITLE,
    due_on,
    interval_for,
    walk_key,
)
from gridworker_shared.domain.search import AddressParts, household_search_keys
from gridworker_shared.domain.validation import id_birth_date, id_sex
from gridworker_shared.protocol import COLUMNS, GLOBAL_SCOPE, PullResponse, member_id, scope_grid, unpack_id

WIRE_ACTIONS = {"e": "explained", "h": "handed_out"}  # a visit's article actions, as the wire may shorten them
# read versions of the articles a reset of the global scope cleared, kept in the session (one
# transaction, several pages) so that the articles coming back are not all "new" again
_READ_STASH = "gridworker.article_read"


def _row(entity: str, values: list[Any]) -> dict[str, Any]:
    cols = COLUMNS[entity]
    padded = list(values) + [None] * (len(cols) - len(values))
    return dict(zip(cols, padded, strict=True))


def _uuid(value: Any) -> uuid.UUID | None:
    return unpack_id(value) if value else None


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def pending_households(s: Session) -> set[uuid.UUID]:
    return {
        h for h in s.scalars(select(Outbox.household_id).where(Outbox.state == "pending").distinct()) if h is not None
    }


def drop_households(s: Session, ids: Iterable[uuid.UUID]) -> int:
    """Delete households and everything under them (a removal, a reset, a scope the user left)."""
    ids = list(ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        visits = select(Visit.id).where(Visit.household_id.in_(chunk))
        s.execute(delete(VisitPerson).where(VisitPerson.visit_id.in_(visits)))
        s.execute(delete(VisitArticle).where(VisitArticle.visit_id.in_(visits)))
        s.execute(delete(CardIssue).where(CardIssue.household_id.in_(chunk)))
        s.execute(delete(ResidentRequest).where(ResidentRequest.household_id.in_(chunk)))
        s.execute(delete(Visit).where(Visit.household_id.in_(chunk)))
        s.execute(delete(SearchKey).where(SearchKey.household_id.in_(chunk)))
        s.execute(delete(HouseholdTag).where(HouseholdTag.household_id.in_(chunk)))
        s.execute(delete(Person).where(Person.household_id.in_(chunk)))
        s.execute(delete(Household).where(Household.id.in_(chunk)))
    return len(ids)


def drop_scope(s: Session, scope: str, keep: set[uuid.UUID]) -> None:
    if scope == GLOBAL_SCOPE:
        _clear_guide(s)
        return
    grid = scope_grid(scope)
    if grid is None:
        return
    ids = set(s.scalars(select(Household.id).where(Household.grid_id == grid))) - keep
    drop_households(s, ids)
    _drop_worker_grid(s, grid, None)


def _own_user(s: Session) -> uuid.UUID | None:
    value = s.scalar(select(Meta.value).where(Meta.key == "worker_id"))
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _pending_profiles(s: Session) -> set[uuid.UUID]:
    return set(s.scalars(select(Outbox.entity_id).where(Outbox.state == "pending", Outbox.kind == "profile.update")))


def _drop_worker_grid(s: Session, grid: uuid.UUID, user_ids: list[uuid.UUID] | None) -> None:
    """A grid leaves workers' cards (all of them, or ``user_ids``); a card with no grid left goes,
    except the signed-in user's own."""
    own = _own_user(s)
    query = select(WorkerCard)
    if user_ids is not None:
        query = query.where(WorkerCard.user_id.in_(user_ids))
    for card in s.scalars(query).all():
        grids = [g for g in card.grids or [] if _grid_uuid(g) != grid]
        if grids == list(card.grids or []):
            continue
        if grids or card.user_id == own:
            card.grids = grids
        else:
            s.delete(card)
    s.flush()


def _grid_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _clear_guide(s: Session) -> None:
    from gridworker.guide.store import clear_articles

    stash: dict[uuid.UUID, tuple[int, int]] = s.info.setdefault(_READ_STASH, {})
    for aid, version, read in s.execute(select(Article.id, Article.version, Article.read_version)):
        stash[aid] = (version, read)
    clear_articles(s.connection())


def apply_page(s: Session, page: PullResponse, pending: set[uuid.UUID]) -> dict[str, int]:
    """One staged page; the caller holds the transaction and moves the cursors with it. Returns
    counts: households applied and skipped (unsent local work), guide articles new or updated
    (``articles``) and withdrawn (``articles_removed``)."""
    for scope in [*page.reset, *page.removed]:
        drop_scope(s, scope, pending)
    withdrawn = 0
    for scope, entities in page.removes.items():
        grid = scope_grid(scope)
        ids = [i for i in (_uuid(x) for x in entities.get("household", [])) if i is not None]
        if grid is not None and ids:
            here = set(s.scalars(select(Household.id).where(Household.id.in_(ids), Household.grid_id == grid)))
            drop_households(s, here)
        workers = [i for i in (_uuid(x) for x in entities.get("worker", [])) if i is not None]
        if grid is not None and workers:
            _drop_worker_grid(s, grid, workers)
        articles = [i for i in (_uuid(x) for x in entities.get("article", [])) if i is not None]
        if scope == GLOBAL_SCOPE and articles:
            from gridworker.guide.store import remove_articles

            withdrawn += remove_articles(s.connection(), articles)
    changed = _apply_articles(s, page.upserts.get("article", []))
    _apply_workers(s, page.upserts.get("worker", []))
    org_rows = [_row("org_unit", r) for r in page.upserts.get("org_unit", [])]
    for r in org_rows:
        values = {
            "id": _uuid(r["id"]),
            "code": r["code"],
            "name": r["name"],
            "kind": r["kind"],
            "parent_id": _uuid(r["parent_id"]),
            "liaison_name": r["liaison_name"] or "",
            "liaison_phone": r["liaison_phone"] or "",
            "version": 1,
        }
        stmt = insert(OrgUnit).values(values)
        s.execute(stmt.on_conflict_do_update(index_elements=["id"], set_={k: stmt.excluded[k] for k in values}))
    applied = skipped = 0
    for raw in page.upserts.get("household", []):
        r = _row("household", raw)
        hid = _uuid(r["id"])
        assert hid is not None
        if hid in pending:
            skipped += 1  # unsent local work: the server sends it again after the push
            continue
        _upsert_household(s, hid, r)
        applied += 1
    return {"applied": applied, "skipped": skipped, "articles": changed, "articles_removed": withdrawn}


def _when(value: Any) -> dt.datetime:
    """A timestamp of the wire as naive UTC: Unix seconds, or an ISO string (naive means UTC)."""
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, dt.UTC).replace(tzinfo=None)
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def _apply_articles(s: Session, raw_rows: list[list[Any]]) -> int:
    """Guide articles of the global scope; returns how many are new or of a newer version than the
    laptop had (before a reset, if this sync reset the guide)."""
    if not raw_rows:
        return 0
    from gridworker.guide.store import upsert_articles

    rows: list[dict[str, Any]] = []
    for raw in raw_rows:
        r = _row("article", raw)
        aid = _uuid(r["id"])
        if aid is None:
            continue
        rows.append(
            {
                "id": aid,
                "slug": r["slug"] or aid.hex[:16],
                "category": r["category"] or "",
                "title": r["title"] or "",
                "summary": r["summary"] or "",
                "body": r["body"] or "",
                "phones": list(r["phones"] or []),
                "effective_from": _date(r["effective_from"]) or dt.date.today(),
                "effective_to": _date(r["effective_to"]),
                "version": int(r["version"] or 1),
                "published_at": _when(r["published_at"]) if r["published_at"] is not None else dt.datetime.now(),
            }
        )
    stash: dict[uuid.UUID, tuple[int, int]] = s.info.get(_READ_STASH, {})
    known = {aid: version for aid, (version, _read) in stash.items()}
    ids = [r["id"] for r in rows]
    for start in range(0, len(ids), 500):
        for aid, version in s.execute(
            select(Article.id, Article.version).where(Article.id.in_(ids[start : start + 500]))
        ):
            known[aid] = max(version, known.get(aid, 0))
    changed = {r["id"] for r in rows if int(r["version"]) > known.get(r["id"], 0)}
    upsert_articles(s.connection(), rows)
    for aid in ids:  # the articles a reset took away come back as read as they were
        if aid in stash:
            s.execute(
                update(Article).where(Article.id == aid).values(read_version=func.min(stash[aid][1], Article.version))
            )
    return len(changed)


def _photo(value: Any) -> bytes | None:
    if not value:
        return None
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        return None


def _apply_workers(s: Session, raw_rows: list[list[Any]]) -> None:
    """Workers' cards of the grid scopes (the same row in each of a worker's grids)."""
    if not raw_rows:
        return
    pending = _pending_profiles(s)
    for raw in raw_rows:
        r = _row("worker", raw)
        uid = _uuid(r["id"])
        if uid is None:
            continue
        grids = [str(g) for g in (_uuid(x) for x in r["grids"] or []) if g is not None]
        values: dict[str, Any] = {
            "user_id": uid,
            "username": r["username"] or "",
            "name": r["name"] or "",
            "grids": grids,
            "updated_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        }
        if uid not in pending:  # the user's own unsent edit stays until the server has it
            values |= {
                "phone": r["phone"] or "",
                "service_hours": r["service_hours"] or "",
                "card_line": r["card_line"] or "",
                "photo": _photo(r["photo"]),
            }
        stmt = insert(WorkerCard).values(values)
        s.execute(
            stmt.on_conflict_do_update(
                index_elements=["user_id"], set_={k: stmt.excluded[k] for k in values if k != "user_id"}
            )
        )


def _upsert(model: Any, columns: tuple[str, ...]) -> Any:
    """INSERT … ON CONFLICT (id) DO UPDATE of ``columns``, built once and run with many rows."""
    stmt = insert(model)
    return stmt.on_conflict_do_update(index_elements=["id"], set_={k: stmt.excluded[k] for k in columns})


_PERSON_UPSERT = _upsert(
    Person,
    ("household_id", "position", "name", "relation", "sex", "birth_date", "phone", "id_number", "active", "version"),
)
# status belongs to the server; the request's origin (household, visit, category) never changes
_REQUEST_UPSERT = _upsert(ResidentRequest, ("status", "status_note", "version", "description", "urgency", "due_on"))


def _upsert_household(s: Session, hid: uuid.UUID, r: dict[str, Any]) -> None:
    tags = sorted(r["tags"] or [])
    fixed = r["visit_interval_days"]
    interval = interval_for(tags, fixed)
    registered = _date(r["registered_on"]) or dt.date.today()
    met = _date(r["last_met_on"])
    members = [_row("member", m) for m in (r["members"] or [])]
    people: list[dict[str, Any]] = []
    head_name = ""
    for index, m in enumerate(members):
        pid = _uuid(m["id"]) or member_id(hid, index)
        number = m["id_number"] or ""
        sex, birth = m["sex"] or "", _date(m["birth_date"])
        if len(number) == 18:
            try:
                sex = sex or id_sex(number)
                birth = birth or id_birth_date(number)
            except ValueError:
                pass
        people.append(
            {
                "id": pid,
                "household_id": hid,
                "position": index,
                "name": m["name"] or "",
                "relation": m["relation"] or "other",
                "sex": sex,
                "birth_date": birth,
                "phone": m["phone"] or "",
                "id_number": number,
                "active": not m["inactive"],
                "version": m["version"] or 1,
            }
        )
        if m["relation"] == "head" and not m["inactive"]:
            head_name = m["name"] or ""
    values = {
        "id": hid,
        "grid_id": _uuid(r["grid_id"]),
        "micro_grid_id": _uuid(r["micro_grid_id"]),
        "compound": r["compound"] or "",
        "building": r["building"] or "",
        "unit": r["unit"] or "",
        "floor": r["floor"],
        "room": r["room"] or "",
        "walk_key": walk_key(r["compound"] or "", r["building"] or "", r["unit"] or "", r["floor"], r["room"] or ""),
        "head_name": head_name,
        "phone": r["phone"] or "",
        "notes": r["notes"] or "",
        "visit_interval_days": interval,
        "interval_fixed": fixed is not None,
        "last_met_on": met,
        "last_attempt_on": _date(r["last_attempt_on"]),
        "due_on": due_on(met, interval, registered),
        "version": r["version"] or 1,
        "created_at": dt.datetime.combine(registered, dt.time(1)),
    }
    stmt = insert(Household).values(values)
    s.execute(
        stmt.on_conflict_do_update(
            index_elements=["id"], set_={k: stmt.excluded[k] for k in values if k not in ("id", "created_at")}
        )
    )
    s.execute(delete(HouseholdTag).where(HouseholdTag.household_id == hid))
    if tags:
        s.execute(insert(HouseholdTag), [{"household_id": hid, "tag": t} for t in tags])
    if people:
        s.execute(_PERSON_UPSERT, people)  # one statement, all members
    member_ids = [p["id"] for p in people]
    known_visits: set[uuid.UUID] = set()
    visits = [_row("visit", v) for v in (r["visits"] or [])]
    for v in visits:
        vid = _uuid(v["id"])
        assert vid is not None
        known_visits.add(vid)
    local = set(
        s.scalars(
            select(Visit.id).where(
                Visit.id.in_(known_visits | {a for a in (_uuid(v["amends_id"]) for v in visits) if a})
            )
        )
    )
    for v in visits:
        vid = _uuid(v["id"])
        if vid in local:
            continue  # a visit is a fact: it never changes once recorded
        amends = _uuid(v["amends_id"])
        when = dt.datetime.fromtimestamp(int(v["visited_at"]), dt.UTC).replace(tzinfo=None)
        s.execute(
            insert(Visit)
            .values(
                id=vid,
                household_id=hid,
                worker_id=_uuid(v["worker_id"]) or uuid.UUID(int=0),
                visited_at=when,
                outcome=v["outcome"] or "met",
                notes=v["notes"] or "",
                amends_id=amends if amends in local or amends in known_visits else None,
                created_at=when,
            )
            .on_conflict_do_nothing()
        )
        seen = [member_ids[i] for i in (v["seen"] or []) if isinstance(i, int) and 0 <= i < len(member_ids)]
        if seen:
            s.execute(insert(VisitPerson).on_conflict_do_nothing(), [{"visit_id": vid, "person_id": p} for p in seen])
        shown = []
        for a in (_row("visit_article", x) for x in (v["articles"] or [])):
            aid, action = _uuid(a["id"]), WIRE_ACTIONS.get(a["action"] or "", a["action"])
            if aid is not None and action in ARTICLE_ACTIONS:
                shown.append(
                    {
                        "visit_id": vid,
                        "article_id": aid,
                        "action": action,
                        "version": int(a["version"] or 1),
                        "title": str(a["title"] or "")[:MAX_ARTICLE_TITLE],
                    }
                )
        if shown:
            s.execute(insert(VisitArticle).on_conflict_do_nothing(), shown)
    requests: list[dict[str, Any]] = []
    for q in (_row("request", x) for x in (r["requests"] or [])):
        rid = _uuid(q["id"])
        visit = _uuid(q["visit_id"])
        if visit is not None and visit not in known_visits and visit not in local:
            visit = s.scalar(select(Visit.id).where(Visit.id == visit))
        values_r = {
            "id": rid,
            "household_id": hid,
            "visit_id": visit,
            "category": q["category"] or "other",
            "description": q["description"] or "",
            "urgency": q["urgency"] or "normal",
            "due_on": _date(q["due_on"]) or dt.date.today(),
            "status": q["status"] or "submitted",
            "status_note": q["status_note"] or "",
            "version": q["version"] or 1,
        }
        requests.append(values_r)
    if requests:
        s.execute(_REQUEST_UPSERT, requests)
    # the household's contact cards, as the server has them (it decided which were reprints)
    s.execute(delete(CardIssue).where(CardIssue.household_id == hid))
    cards = []
    # the server lists them oldest first; issued_at travels in whole seconds, so two cards of one
    # second would tie: created_at keeps the server's order (a microsecond apart)
    for position, c in enumerate(_row("card", x) for x in (r["cards"] or [])):
        cid, user = _uuid(c["id"]), _uuid(c["card_user_id"])
        if cid is None or user is None or c["issued_at"] is None:
            continue
        when = _when(c["issued_at"])
        cards.append(
            {
                "id": cid,
                "household_id": hid,
                "card_user_id": user,
                "issued_at": when,
                "layout": c["layout"] if c["layout"] in CARD_LAYOUTS else "single",
                "reprint": bool(c["reprint"]),
                "printed_by": _uuid(c["printed_by"]) or user,
                "created_at": when + dt.timedelta(microseconds=position),
            }
        )
    if cards:
        s.execute(insert(CardIssue).on_conflict_do_nothing(), cards)
    s.execute(delete(SearchKey).where(SearchKey.household_id == hid))
    keys = household_search_keys(
        AddressParts(values["compound"], values["building"], values["unit"], values["room"]),
        head_name,
        values["phone"],
        ((p["name"], p["phone"], p["id_number"]) for p in people if p["active"]),
    )
    if keys:
        s.execute(insert(SearchKey).on_conflict_do_nothing(), [{"key": k, "household_id": hid} for k in keys])


def defer_foreign_keys(s: Session) -> None:
    """Parents and children of one page may arrive in any order: check the keys at commit."""
    s.execute(text("PRAGMA defer_foreign_keys = ON"))

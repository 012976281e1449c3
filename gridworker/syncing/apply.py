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

import datetime as dt
import json
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
from gridworker.syncing import apply_requests
from gridworker.syncing.apply_review import (
    apply_backchecks,
    apply_reviews,
    drop_review_scope,
    remove_review_rows,
    update_visit_reviews,
)
from gridworker_shared.codec import (
    HouseholdRecord,
    MemberRecord,
    WireError,
    decode_article,
    decode_household,
    decode_org_unit,
    decode_worker,
    unpack_id,
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
from gridworker_shared.protocol import GLOBAL_SCOPE, PullResponse, scope_department, scope_grid, scope_review_grid

# read versions of the articles a reset of the global scope cleared, kept in the session (one
# transaction, several pages) so that the articles coming back are not all "new" again
_READ_STASH = "gridworker.article_read"
_FIRST_GUIDE = "gridworker.first_guide_sync"


def _ids(values: Iterable[str]) -> list[uuid.UUID]:
    return [i for i in (unpack_id(x) for x in values if x) if i is not None]


def _naive(when: dt.datetime) -> dt.datetime:
    """An aware UTC instant of a record as the local tables hold it (naive UTC)."""
    return when.replace(tzinfo=None)


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
        apply_requests.drop_request_events(s, chunk)
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
    department = scope_department(scope)
    if department is not None:
        apply_requests.drop_department_scope(s, department)
        return
    review_grid = scope_review_grid(scope)
    if review_grid is not None:
        drop_review_scope(s, review_grid)
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


def apply_page(
    s: Session, page: PullResponse, pending: set[uuid.UUID], whole: set[uuid.UUID] | None = None
) -> dict[str, int]:
    """One staged page; the caller holds the transaction and moves the cursors with it. Returns
    counts: households applied and skipped (unsent local work), guide articles new or updated
    (``articles``) and withdrawn (``articles_removed``). Rows are read with gridworker_shared.codec.
    ``whole``: the households the laptop asks for whole (protocol 7), kept up to date: a skipped
    household joins it (the visits its row brought are not here), an applied one leaves it."""
    whole = set() if whole is None else whole
    for scope in [*page.reset, *page.removed]:
        drop_scope(s, scope, pending)
    withdrawn = 0
    for scope, entities in page.removes.items():
        department = scope_department(scope)
        if department is not None:
            apply_requests.remove_work_orders(s, department, entities)
            continue
        review_grid = scope_review_grid(scope)
        if review_grid is not None:
            remove_review_rows(s, review_grid, entities)
            continue
        grid = scope_grid(scope)
        ids = _ids(entities.get("household", []))
        if grid is not None and ids:
            here = set(s.scalars(select(Household.id).where(Household.id.in_(ids), Household.grid_id == grid)))
            drop_households(s, here)
            whole.difference_update(here)  # gone: nothing to ask for whole
        workers = _ids(entities.get("worker", []))
        if grid is not None and workers:
            _drop_worker_grid(s, grid, workers)
        articles = _ids(entities.get("article", []))
        if scope == GLOBAL_SCOPE and articles:
            from gridworker.guide.store import remove_articles

            withdrawn += remove_articles(s.connection(), articles)
    changed = _apply_articles(s, page.upserts.get("article", []))
    _apply_workers(s, page.upserts.get("worker", []))
    for raw in page.upserts.get("org_unit", []):
        u = decode_org_unit(raw)
        values = u._asdict() | {"version": 1}
        stmt = insert(OrgUnit).values(values)
        s.execute(stmt.on_conflict_do_update(index_elements=["id"], set_={k: stmt.excluded[k] for k in values}))
    applied = skipped = 0
    for raw in page.upserts.get("household", []):
        h = decode_household(raw)
        if h.id in pending:
            skipped += 1  # unsent local work: the server sends it again after the push, whole
            whole.add(h.id)
            continue
        _upsert_household(s, h)
        whole.discard(h.id)
        applied += 1
    apply_requests.apply_work_orders(s, page.upserts.get("work_order", []))
    # after the households: a review row takes its household's grid
    reviews = apply_reviews(s, page.upserts.get("review", []))
    apply_backchecks(s, page.upserts.get("backcheck", []))
    return {
        "applied": applied,
        "skipped": skipped,
        "articles": changed,
        "articles_removed": withdrawn,
        "reviews": reviews,
    }


def _apply_articles(s: Session, raw_rows: list[list[Any]]) -> int:
    """Guide articles of the global scope; returns how many are new or of a newer version than the
    laptop had (before a reset, if this sync reset the guide)."""
    if not raw_rows:
        return 0
    from gridworker.guide.store import upsert_articles

    rows: list[dict[str, Any]] = []
    for raw in raw_rows:
        try:
            a = decode_article(raw)
        except WireError:
            continue
        rows.append(
            {
                "id": a.id,
                "slug": a.slug or a.id.hex[:16],
                "category": a.category,
                "title": a.title,
                "summary": a.summary,
                "body": a.body,
                "phones": a.phones,
                "effective_from": a.effective_from or dt.date.today(),
                "effective_to": a.effective_to,
                "version": a.version or 1,
                "published_at": dt.datetime.now() if a.published_at is None else _naive(a.published_at),
            }
        )
    stash: dict[uuid.UUID, tuple[int, int]] = s.info.get(_READ_STASH, {})
    first = _first_guide_sync(s, stash)
    known = {aid: version for aid, (version, _read) in stash.items()}
    ids = [r["id"] for r in rows]
    for start in range(0, len(ids), 500):
        for aid, version in s.execute(
            select(Article.id, Article.version).where(Article.id.in_(ids[start : start + 500]))
        ):
            known[aid] = max(version, known.get(aid, 0))
    changed = {r["id"] for r in rows if int(r["version"]) > known.get(r["id"], 0)}
    upsert_articles(s.connection(), rows)
    if first:  # new means new since the previous sync: the guide's first copy marks nothing new
        for start in range(0, len(ids), 500):
            s.execute(
                update(Article).where(Article.id.in_(ids[start : start + 500])).values(read_version=Article.version)
            )
        return 0
    for aid in ids:  # the articles a reset took away come back as read as they were
        if aid in stash:
            s.execute(
                update(Article).where(Article.id == aid).values(read_version=func.min(stash[aid][1], Article.version))
            )
    return len(changed)


def _first_guide_sync(s: Session, stash: dict[uuid.UUID, tuple[int, int]]) -> bool:
    """Whether this pull brings the laptop's first copy of the guide (a new install, a new database):
    no cursor of the global scope yet, no article, none stashed by a reset. Decided once per pull
    (its pages are applied in one session; the first page's articles must not make the next ones new)."""
    if _FIRST_GUIDE not in s.info:
        cursors = json.loads(s.scalar(select(Meta.value).where(Meta.key == "cursors")) or "{}")
        s.info[_FIRST_GUIDE] = (
            not cursors.get(GLOBAL_SCOPE) and not stash and s.scalar(select(func.count()).select_from(Article)) == 0
        )
    return bool(s.info[_FIRST_GUIDE])


def _apply_workers(s: Session, raw_rows: list[list[Any]]) -> None:
    """Workers' cards of the grid scopes (the same row in each of a worker's grids)."""
    if not raw_rows:
        return
    pending = _pending_profiles(s)
    for raw in raw_rows:
        try:
            w = decode_worker(raw)
        except WireError:
            continue
        values: dict[str, Any] = {
            "user_id": w.id,
            "username": w.username,
            "name": w.name,
            "grids": [str(g) for g in w.grids],
            "card_code": w.card_code,
            "updated_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        }
        if w.id not in pending:  # the user's own unsent edit stays until the server has it
            values |= {"phone": w.phone, "service_hours": w.service_hours, "card_line": w.card_line, "photo": w.photo}
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


def _upsert_household(s: Session, h: HouseholdRecord) -> None:
    """A household aggregate as the server has it: the household, its members, the visits the laptop
    does not have yet, its requests, its contact cards and its search keys."""
    tags = sorted(h.tags)
    interval = interval_for(tags, h.visit_interval_days)
    registered = h.registered_on or dt.date.today()
    head_name = ""
    for m in h.members:
        if m.relation == "head" and not m.inactive:
            head_name = m.name
    values = {
        "id": h.id,
        "grid_id": h.grid_id,
        "micro_grid_id": h.micro_grid_id,
        "compound": h.compound,
        "building": h.building,
        "unit": h.unit,
        "floor": h.floor,
        "room": h.room,
        "walk_key": walk_key(h.compound, h.building, h.unit, h.floor, h.room),
        "head_name": head_name,
        "phone": h.phone,
        "notes": h.notes,
        "visit_interval_days": interval,
        "interval_fixed": h.visit_interval_days is not None,
        "last_met_on": h.last_met_on,
        "last_attempt_on": h.last_attempt_on,
        "due_on": due_on(h.last_met_on, interval, registered),
        "version": h.version or 1,
        "created_at": dt.datetime.combine(registered, dt.time(1)),
    }
    stmt = insert(Household).values(values)
    s.execute(
        stmt.on_conflict_do_update(
            index_elements=["id"], set_={k: stmt.excluded[k] for k in values if k not in ("id", "created_at")}
        )
    )
    s.execute(delete(HouseholdTag).where(HouseholdTag.household_id == h.id))
    if tags:
        s.execute(insert(HouseholdTag), [{"household_id": h.id, "tag": t} for t in tags])
    if h.members:
        s.execute(_PERSON_UPSERT, [_person(h.id, i, m) for i, m in enumerate(h.members)])  # one statement
    visits = _insert_visits(s, h)
    apply_requests.upsert_requests(s, h, visits)
    _replace_cards(s, h)
    s.execute(delete(SearchKey).where(SearchKey.household_id == h.id))
    keys = household_search_keys(
        AddressParts(h.compound, h.building, h.unit, h.room),
        head_name,
        h.phone,
        ((m.name, m.phone, m.id_number) for m in h.members if not m.inactive),
    )
    if keys:
        s.execute(insert(SearchKey).on_conflict_do_nothing(), [{"key": k, "household_id": h.id} for k in keys])


def _person(household_id: uuid.UUID, position: int, m: MemberRecord) -> dict[str, Any]:
    return {
        "id": m.id,
        "household_id": household_id,
        "position": position,
        "name": m.name,
        "relation": m.relation or "other",
        "sex": m.sex,
        "birth_date": m.birth_date,
        "phone": m.phone,
        "id_number": m.id_number,
        "active": not m.inactive,
        "version": m.version or 1,
    }


def _insert_visits(s: Session, h: HouseholdRecord) -> set[uuid.UUID]:
    """The visits the laptop does not have (a visit is a fact: it never changes once recorded), with
    the members seen and the guide articles shown. Returns the visits now known locally."""
    pulled = {v.id for v in h.visits}
    amended = {v.amends_id for v in h.visits if v.amends_id is not None}
    local = set(s.scalars(select(Visit.id).where(Visit.id.in_(pulled | amended))))
    # a visit's facts never change, its review does (the server's number and state, a return's reason)
    update_visit_reviews(s, [v for v in h.visits if v.id in local])
    for v in h.visits:
        if v.id in local:
            continue
        when = _naive(v.visited_at)
        s.execute(
            insert(Visit)
            .values(
                id=v.id,
                household_id=h.id,
                worker_id=v.worker_id or uuid.UUID(int=0),
                visited_at=when,
                outcome=v.outcome or "met",
                notes=v.notes,
                amends_id=v.amends_id if v.amends_id in local or v.amends_id in pulled else None,
                created_at=when,
                no=v.no,
                review_state=v.review_state,
                review_reason=v.review_reason,
                review_comment=v.review_comment,
                review_pins=list(v.review_pins),
            )
            .on_conflict_do_nothing()
        )
        if v.seen:
            s.execute(
                insert(VisitPerson).on_conflict_do_nothing(), [{"visit_id": v.id, "person_id": p} for p in v.seen]
            )
        shown = [
            {
                "visit_id": v.id,
                "article_id": a.id,
                "action": a.action,
                "version": a.version or 1,
                "title": a.title[:MAX_ARTICLE_TITLE],
            }
            for a in v.articles
            if a.action in ARTICLE_ACTIONS
        ]
        if shown:
            s.execute(insert(VisitArticle).on_conflict_do_nothing(), shown)
    return pulled | local


def _replace_cards(s: Session, h: HouseholdRecord) -> None:
    """The household's contact cards, as the server has them (it decided which were reprints). The
    server lists them oldest first; issued_at travels in whole seconds, so two cards of one second
    would tie: created_at keeps the server's order (a microsecond apart)."""
    s.execute(delete(CardIssue).where(CardIssue.household_id == h.id))
    cards = []
    for position, c in enumerate(h.cards):
        when = _naive(c.issued_at)
        cards.append(
            {
                "id": c.id,
                "household_id": h.id,
                "card_user_id": c.card_user_id,
                "issued_at": when,
                "layout": c.layout if c.layout in CARD_LAYOUTS else "single",
                "reprint": c.reprint,
                "printed_by": c.printed_by or c.card_user_id,
                "created_at": when + dt.timedelta(microseconds=position),
            }
        )
    if cards:
        s.execute(insert(CardIssue).on_conflict_do_nothing(), cards)


def defer_foreign_keys(s: Session) -> None:
    """Parents and children of one page may arrive in any order: check the keys at commit."""
    s.execute(text("PRAGMA defer_foreign_keys = ON"))

"""The policy guide and the contact cards on a real server (SQLite and PostgreSQL): publishing and
withdrawing articles through the CLI and the API and what a pull then brings, visits that name the
articles explained, cards handed to households (reprints decided by the server, a station printing for
a worker of its community) and the user's own card details reaching every grid they hold."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from gridworker_server.guide_files import article_id, starter_guide_path
from gridworker_server.models import Article, CardIssue, ChangeLog, ServerMeta, User
from gridworker_server.upgrades import WORKER_ROWS
from gridworker_shared.protocol import GLOBAL_SCOPE
from tests.server.support import Mut, Seeded, error_code, visit

ARTICLE = """---
slug: {slug}
title: {title}
category: 惠民政策
phones: ["12345"]
effective_from: 2026-01-01
version: {version}
---
## 适用对象

{body}
"""

# the smallest valid JPEG header a server would take for a photo (it checks the signature and size)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200 + b"\xff\xd9"


def article_text(slug: str, version: int = 1, title: str = "测试文章", body: str = "低保申请到社区。") -> str:
    return ARTICLE.format(slug=slug, title=title, version=version, body=body)


def publish(dev: Any, slug: str, **kw: Any) -> Any:
    dry_run = kw.pop("dry_run", False)
    return dev.post(
        "/v1/guide/articles", json={"filename": f"{slug}.md", "markdown": article_text(slug, **kw), "dry_run": dry_run}
    )


def card_issue(household: uuid.UUID, card_user: uuid.UUID, layout: str = "sheet") -> Mut:
    return Mut(
        "card.issue",
        {
            "id": str(uuid.uuid4()),
            "household_id": str(household),
            "card_user_id": str(card_user),
            "issued_at": dt.datetime.now(dt.UTC).isoformat(),
            "layout": layout,
        },
    )


# --- the guide ----------------------------------------------------------------------------------------


def test_the_seeded_guide_reaches_a_worker_in_the_global_scope(server: Seeded) -> None:
    dev = server.device("worker02")
    dev.pull()
    shipped = {p.stem for p in starter_guide_path().glob("*.md") if p.name != "README.md"}
    published = {a.slug for a in _articles(server) if a.withdrawn_at is None}  # other tests publish too
    assert {a["slug"] for a in dev.articles.values()} == published
    assert shipped <= {a.slug for a in _articles(server)}  # the seed published the whole starter guide
    dibao = dev.articles[article_id("dibao-shenqing")]
    assert dibao["category"] == "办事流程" and "低保" in dibao["title"] and dibao["body"].startswith("#")
    assert GLOBAL_SCOPE in dev.cursors


def test_publishing_a_new_version_and_withdrawing_reach_the_clients_and_republishing_changes_nothing(
    server: Seeded,
) -> None:
    admin, worker = server.device("admin"), server.device("worker03")
    slug = f"t-{uuid.uuid4().hex[:8]}"
    r = publish(admin, slug)
    assert r.status_code == 200, r.text
    assert r.json()["added"] == [slug]
    worker.pull()
    aid = article_id(slug)
    assert worker.articles[aid]["version"] == 1

    again = publish(admin, slug)
    assert again.json()["unchanged"] == [slug]
    (page,) = worker.pull()
    assert "article" not in page.get("upserts", {})  # nothing new to send

    stale = publish(admin, slug, body="改了文字但版本号没改。")
    assert stale.status_code == 409 and error_code(stale) == "version_not_newer"
    newer = publish(admin, slug, version=2, body="新的文字：低保标准每年调整。")
    assert newer.json()["updated"] == [slug]
    worker.pull()
    assert worker.articles[aid]["version"] == 2 and "每年调整" in worker.articles[aid]["body"]

    gone = admin.request("DELETE", f"/v1/guide/articles/{slug}")
    assert gone.status_code == 200, gone.text
    (page,) = worker.pull()
    assert page["removes"][GLOBAL_SCOPE]["article"] == [_packed(aid)]
    assert aid not in worker.articles
    # a new device copies the guide from 0: the withdrawn article is simply not there
    fresh = server.device("worker03")
    fresh.pull()
    assert aid not in fresh.articles and fresh.articles == worker.articles
    listed = admin.get("/v1/guide/articles", params={"include_withdrawn": "true"}).json()
    assert [a["withdrawn_at"] is not None for a in listed if a["slug"] == slug] == [True]


def test_bad_articles_and_roles_get_clear_errors_and_change_nothing(server: Seeded) -> None:
    admin, worker = server.device("admin"), server.device("worker04")
    before = len(_articles(server))
    bad = admin.post("/v1/guide/articles", json={"filename": "x-bad.md", "markdown": "---\ntitle: 无分类\n---\n正文"})
    assert bad.status_code == 422 and error_code(bad) == "article_invalid"
    reasons = {i["reason"] for i in bad.json()["detail"]["issues"]}
    assert {"category_unknown", "version_invalid", "date_invalid"} <= reasons
    assert publish(worker, "t-worker").status_code == 403
    assert worker.request("DELETE", "/v1/guide/articles/dibao-shenqing").status_code == 403
    missing = admin.request("DELETE", "/v1/guide/articles/no-such-article")
    assert missing.status_code == 404 and error_code(missing) == "article_unknown"
    dry = publish(admin, "t-dry-run", dry_run=True)
    assert dry.json()["added"] == ["t-dry-run"]
    assert len(_articles(server)) == before


def test_the_cli_publishes_a_folder_only_when_every_file_is_good(server: Seeded, tmp_path: Path) -> None:
    folder = tmp_path / "guide"
    folder.mkdir()
    slug = f"cli-{uuid.uuid4().hex[:8]}"
    (folder / f"{slug}.md").write_text(article_text(slug), encoding="utf-8")
    (folder / "broken.md").write_text("no front matter", encoding="utf-8")
    code, out = server.cli_fails("publish-guide", str(folder))
    assert code == 1 and "broken.md" in out and "front_matter_missing" in out
    assert slug not in {a.slug for a in _articles(server)}
    (folder / "broken.md").unlink()
    assert "1 added" in server.cli("publish-guide", str(folder))
    assert "withdrawn: " + slug in server.cli("withdraw-article", slug)


# --- visits name the articles explained --------------------------------------------------------------


def test_a_visit_keeps_the_articles_and_versions_it_explained(server: Seeded) -> None:
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    aid = article_id("dibao-shenqing")
    mut = visit(h)
    mut.payload["articles"] = [
        {"id": str(aid), "version": 1, "action": "explained", "title": "低保怎么申请"},
        {"id": str(aid), "version": 1, "action": "explained", "title": "低保怎么申请"},  # once is enough
        {"id": str(aid), "version": 1, "action": "handed_out", "title": "低保怎么申请"},
    ]
    assert dev.push_one(mut)["status"] == "applied"
    stored = server.visit(uuid.UUID(mut.payload["id"]))
    assert stored is not None and [a["action"] for a in stored.articles] == ["explained", "handed_out"]
    dev.pull()
    (pulled,) = [v for v in dev.households[h]["visits"] if v["id"] == uuid.UUID(mut.payload["id"])]
    assert [(a["id"], a["version"], a["action"]) for a in pulled["articles"]] == [
        (aid, 1, "e"),
        (aid, 1, "h"),
    ]
    # the same visit again (another mutation id, same content) is a duplicate, not a conflict
    again = Mut(mut.kind, mut.payload)
    assert dev.push_one(again)["data"] == {"duplicate": True}
    wrong = visit(h)
    wrong.payload["articles"] = [{"id": str(aid), "version": 0, "action": "read"}]
    assert dev.push_one(wrong)["status"] == "rejected"


# --- contact cards ------------------------------------------------------------------------------------


def test_cards_are_recorded_reprints_decided_by_the_server_and_synced_with_the_household(server: Seeded) -> None:
    dev = server.device("demo")
    h1, h2 = server.take(server.grid("demo"), 2)
    first, second, other = card_issue(h1, dev.user_id), card_issue(h1, dev.user_id), card_issue(h2, dev.user_id)
    results = dev.push(first, second, other)
    assert [r["status"] for r in results] == ["applied"] * 3
    assert [r["data"]["reprint"] for r in results] == [False, True, False]
    assert dev.push_one(Mut(first.kind, first.payload))["data"] == {"duplicate": True}
    dev.pull()
    cards = dev.households[h1]["cards"]
    assert [(c["card_user_id"], c["reprint"], c["printed_by"]) for c in cards] == [
        (dev.user_id, False, dev.user_id),
        (dev.user_id, True, dev.user_id),
    ]
    supervisor = server.device("supervisor")
    supervisor.pull()
    assert len(supervisor.households[h1]["cards"]) == 2  # the supervisor's laptop sees them too


def test_a_station_prints_for_a_worker_of_its_community_and_a_worker_only_their_own(server: Seeded) -> None:
    # station01's community holds the demo worker's grid; worker02 works in another community
    station, worker, neighbour = server.device("station01"), server.device("demo"), server.device("worker02")
    (h,) = server.take(server.grid("demo"))
    printed = station.push_one(card_issue(h, worker.user_id, "single"))
    assert printed["status"] == "applied", printed
    assert worker.push_one(card_issue(h, neighbour.user_id))["code"] == "not_your_card"
    assert neighbour.push_one(card_issue(h, neighbour.user_id))["code"] in ("out_of_scope", "household_reassigned")
    with server.session() as s:
        row = s.scalar(select(CardIssue).where(CardIssue.household_id == h))
        assert row is not None and (row.card_user_id, row.printed_by) == (worker.user_id, station.user_id)
    station.pull()
    assert worker.user_id in station.workers  # a station knows the workers it prints for


def test_a_profile_update_reaches_every_grid_the_worker_holds_and_bad_input_changes_nothing(server: Seeded) -> None:
    worker, station = server.device("demo"), server.device("station01")
    station.pull()
    profile = {"phone": "13912345678", "service_hours": "工作日 9:00–17:00", "card_line": "有事找我"}
    photo = base64.b64encode(JPEG).decode()
    result = worker.push_one(Mut("profile.update", {**profile, "photo": photo}))
    assert result["status"] == "applied", result
    station.pull()
    row = station.workers[worker.user_id]
    assert (row["phone"], row["service_hours"], row["card_line"]) == tuple(profile.values())
    assert base64.b64decode(row["photo"]) == JPEG
    assert row["grids"] == [server.grid("demo").id]

    for bad in (
        {"phone": "12"},
        {"photo": base64.b64encode(b"GIF89a" + b"\x00" * 10).decode()},
        {"photo": "not base64!"},
        {"card_line": "长" * 81},
    ):
        answer = worker.push_one(Mut("profile.update", {**profile, **bad}))
        assert answer["status"] == "rejected", (bad, answer)
    with server.session() as s:
        user = s.get(User, worker.user_id)
        assert user is not None and user.phone == profile["phone"] and user.photo == JPEG
    cleared = worker.push_one(Mut("profile.update", {**profile, "photo": ""}))
    assert cleared["status"] == "applied"
    station.pull()
    assert not station.workers[worker.user_id]["photo"]


def test_reassigning_a_grid_moves_the_worker_row(fresh_server: Seeded) -> None:
    server = fresh_server
    grid = server.grid("demo")
    station = server.device("station01")
    station.pull()
    old_id = server.device("demo").user_id
    new = server.device("worker03")
    new.pull()
    assert station.workers[old_id]["grids"] == [grid.id]
    assert new.workers[new.user_id]["grids"] == [server.grid("worker03").id]
    server.cli("assign-grid", grid.code, "worker03")
    station.pull()
    assert old_id not in station.workers  # the demo worker left the station's community
    assert sorted(station.workers[new.user_id]["grids"]) == sorted([grid.id, server.grid("worker03").id])
    new.pull()  # the new worker's own grid sends the row again, with both grids
    assert sorted(new.workers[new.user_id]["grids"]) == sorted([grid.id, server.grid("worker03").id])


def _articles(server: Seeded) -> list[Article]:
    with server.session() as s:
        return list(s.scalars(select(Article)))


def _packed(value: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(value.bytes).decode().rstrip("=")


def test_a_database_from_before_contact_cards_gets_its_worker_rows_at_migrate(fresh_server: Seeded) -> None:
    server = fresh_server
    with server.session() as s:
        s.execute(delete(ChangeLog).where(ChangeLog.entity == "worker"))
        s.execute(delete(ServerMeta).where(ServerMeta.key == WORKER_ROWS))
    station = server.device("station01")
    station.pull()
    assert not station.workers  # what an upgraded database looked like
    server.cli("migrate")
    station.pull()
    assert list(station.workers) == [server.device("demo").user_id]


def test_a_card_is_the_household_grid_workers_and_times_and_versions_are_bounded(server: Seeded) -> None:
    supervisor, demo, other = server.device("supervisor"), server.device("demo"), server.device("worker02")
    (theirs,) = server.take(server.grid("worker02"))
    (mine,) = server.take(server.grid("demo"))
    wrong = supervisor.push_one(card_issue(theirs, demo.user_id))
    assert (wrong["status"], wrong["code"]) == ("rejected", "card_user_not_grid_worker")
    assert supervisor.push_one(card_issue(theirs, other.user_id))["status"] == "applied"

    ancient = card_issue(mine, demo.user_id)
    ancient.payload["issued_at"] = "0001-01-01T00:00:00+08:00"
    future = card_issue(mine, demo.user_id)
    future.payload["issued_at"] = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()
    huge = visit(mine)
    huge.payload["articles"] = [{"id": str(article_id("dibao-shenqing")), "version": 10**20, "action": "explained"}]
    old_visit = visit(mine)
    old_visit.payload["visited_at"] = "1999-12-31T23:00:00+08:00"
    assert [r["status"] for r in demo.push(ancient, future, huge, old_visit)] == ["rejected"] * 4
    with server.session() as s:
        assert s.scalar(select(CardIssue.id).where(CardIssue.household_id == mine)) is None
    demo.pull()  # and the household still reads back
    assert mine in demo.households


def test_a_card_time_comes_back_as_the_instant_it_was(server: Seeded) -> None:
    """09:00 in Beijing is 01:00 UTC on both backends (SQLite keeps no offset: the server stores UTC)."""
    demo = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    mut = card_issue(h, demo.user_id)
    when = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).replace(microsecond=0) - dt.timedelta(hours=1)
    mut.payload["issued_at"] = when.isoformat()
    assert demo.push_one(mut)["status"] == "applied"
    demo.pull()
    (card,) = demo.households[h]["cards"]
    assert card["issued_at"] == int(when.timestamp())

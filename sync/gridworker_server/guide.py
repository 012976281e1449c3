"""Publishing the policy guide (惠民政策宣传指南): articles into the global scope, withdrawals out of it.

An article's id comes from its slug (``gridworker_server.guide_files.article_id``), so the same folder published on any
server, or twice, names the same rows. Publishing is idempotent: an article whose text and metadata
hash as before changes nothing and costs the clients nothing. A changed article must carry a higher
version than the one published (a lower or equal one is refused: two editors, one stale copy), and
replaces it on every client; a withdrawn article leaves every client on its next pull and stays in
the server's table for the record (visits name the versions they explained).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker_server.changes import GLOBAL, ChangeSet, ensure_scopes
from gridworker_server.errors import ApiError
from gridworker_server.guide_files import ArticleFile, GuideIssue, load_folder
from gridworker_server.models import Article, ScopeVersion, utcnow


@dataclass
class PublishReport:
    """What publishing did (or, in a dry run, would do), article by article (slugs)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    # a changed text with a version not above the published one: refused, nothing of it applied
    stale: list[str] = field(default_factory=list)
    issues: list[GuideIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues and not self.stale

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "withdrawn": self.withdrawn,
            "stale": self.stale,
            "issues": [
                {"path": i.path, "field": i.field, "reason": i.reason, "message": i.message} for i in self.issues
            ],
        }


def content_hash(a: ArticleFile) -> str:
    fields = {
        "slug": a.slug,
        "title": a.title,
        "category": a.category,
        "phones": list(a.phones),
        "effective_from": a.effective_from.isoformat(),
        "effective_to": a.effective_to.isoformat() if a.effective_to else None,
        "version": a.version,
        "summary": a.summary,
        "body": a.body,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def publish(
    s: Session,
    articles: Sequence[ArticleFile],
    *,
    actor: uuid.UUID | None = None,
    withdraw_missing: bool = False,
    dry_run: bool = False,
    allow_stale: bool = False,
) -> PublishReport:
    """Publish articles in one transaction (the caller's). Nothing is applied when any article is
    stale, unless ``allow_stale`` (then the others are). ``withdraw_missing``: articles published
    before and absent from ``articles`` are withdrawn (publishing a whole folder)."""
    _lock_guide(s)
    report = PublishReport()
    existing = {a.slug: a for a in s.scalars(select(Article))}
    plan: list[tuple[ArticleFile, str, Article | None]] = []
    for a in articles:
        digest = content_hash(a)
        row = existing.get(a.slug)
        if row is not None and row.content_hash == digest and row.withdrawn_at is None:
            report.unchanged.append(a.slug)
        elif row is not None and row.content_hash != digest and a.version <= row.version:
            report.stale.append(a.slug)
        else:
            plan.append((a, digest, row))
    if withdraw_missing:
        named = {a.slug for a in articles}
        report.withdrawn = sorted(slug for slug, row in existing.items() if slug not in named and not row.withdrawn_at)
    if report.stale and not allow_stale:
        report.withdrawn = []
        return report
    for a, _digest, row in plan:
        (report.updated if row is not None else report.added).append(a.slug)
    if dry_run:
        return report
    cs = ChangeSet(s)
    now = utcnow()
    for a, digest, row in plan:
        values = _values(a, digest)
        if row is None:
            row = Article(id=a.id, **values)
            s.add(row)
        else:
            for key, value in values.items():
                setattr(row, key, value)
        row.published_at = now
        row.published_by = actor
        row.withdrawn_at = None
        cs.upsert(GLOBAL, "article", row.id)
    for slug in report.withdrawn:
        _withdraw(existing[slug], cs, now)
    s.flush()
    cs.flush()
    return report


def publish_folder(
    s: Session, folder: Path, *, actor: uuid.UUID | None = None, withdraw_missing: bool = False, dry_run: bool = False
) -> PublishReport:
    """A folder of Markdown files with front matter. Any file with an issue blocks the whole folder
    (a half-published guide is worse than yesterday's)."""
    articles, issues = load_folder(folder)
    if issues:
        return PublishReport(issues=issues)
    return publish(s, articles, actor=actor, withdraw_missing=withdraw_missing, dry_run=dry_run)


def withdraw(s: Session, slugs: Iterable[str]) -> list[str]:
    """Withdraw published articles by slug; an unknown slug is an error and nothing changes."""
    wanted = list(dict.fromkeys(slugs))
    _lock_guide(s)
    rows = {a.slug: a for a in s.scalars(select(Article).where(Article.slug.in_(wanted)))}
    unknown = [slug for slug in wanted if slug not in rows]
    if unknown:
        raise ApiError(404, "article_unknown", f"No such article: {', '.join(unknown)}.", slugs=unknown)
    cs = ChangeSet(s)
    now = utcnow()
    done = []
    for slug in wanted:
        if rows[slug].withdrawn_at is None:
            _withdraw(rows[slug], cs, now)
            done.append(slug)
    cs.flush()
    return done


def _lock_guide(s: Session) -> None:
    """Publishers take turns: the global scope's counter row is locked to commit before the articles
    are read (on PostgreSQL two admins publishing the same slug would otherwise both see the old
    version, and the later text would win silently; SQLite's write lock already serializes)."""
    ensure_scopes(s, [GLOBAL])
    s.execute(select(ScopeVersion.version).where(ScopeVersion.scope == GLOBAL).with_for_update())


def _withdraw(row: Article, cs: ChangeSet, now: dt.datetime) -> None:
    row.withdrawn_at = now
    cs.remove(GLOBAL, "article", row.id)


def _values(a: ArticleFile, digest: str) -> dict[str, Any]:
    return {
        "slug": a.slug,
        "category": a.category,
        "title": a.title,
        "summary": a.summary,
        "body": a.body,
        "phones": list(a.phones),
        "effective_from": a.effective_from,
        "effective_to": a.effective_to,
        "version": a.version,
        "content_hash": digest,
    }


def published(s: Session, *, include_withdrawn: bool = False) -> list[Article]:
    stmt = select(Article).order_by(Article.category, Article.slug)
    if not include_withdrawn:
        stmt = stmt.where(Article.withdrawn_at.is_(None))
    return list(s.scalars(stmt))

"""The policy guide: everyone reads the published articles; admins publish and withdraw them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as FastPath
from sqlalchemy.orm import Session

from gridworker_server import guide
from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, only, retrying
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import ArticleInfo, Ok, PublishAnswer, PublishBody, article_info
from gridworker_server.errors import ApiError
from gridworker_server.guide_files import GuideError, load_article

router = APIRouter(tags=["guide"], route_class=GzipRoute)


@router.get("/guide/articles", response_model=list[ArticleInfo])
def guide_articles(p: CurrentPrincipal, db: DatabaseDep, include_withdrawn: bool = False) -> list[ArticleInfo]:
    """The published guide (admins may ask for withdrawn articles too)."""
    if include_withdrawn:
        only(p, "admin")
    with db.read() as s:
        return [article_info(a) for a in guide.published(s, include_withdrawn=include_withdrawn)]


@router.post("/guide/articles", response_model=PublishAnswer)
def guide_publish(body: PublishBody, p: CurrentPrincipal, db: DatabaseDep) -> PublishAnswer:
    """Publish one article: a Markdown document with YAML front matter, as the files of the guide
    folder are. A dry run reports what would change and changes nothing."""
    only(p, "admin")
    try:
        article = load_article(Path(body.filename), body.markdown.encode("utf-8"))
    except GuideError as exc:
        issues = [{"field": i.field, "reason": i.reason, "message": i.message} for i in exc.issues]
        first = exc.issues[0]
        raise ApiError(
            422,
            "article_invalid",
            f"The article is invalid ({first.field}: {first.reason}): {first.message}",
            issues=issues,
        ) from None

    def work(s: Session) -> guide.PublishReport:
        return guide.publish(s, [article], actor=p.user_id, dry_run=body.dry_run)

    report = retrying(db, work)
    if report.stale:
        raise ApiError(
            409,
            "version_not_newer",
            "The text changed; raise its version above the published one.",
            slug=article.slug,
        )
    return PublishAnswer(**{k: v for k, v in report.to_dict().items() if k != "issues"})


@router.delete("/guide/articles/{slug}", response_model=Ok)
def guide_withdraw(
    slug: Annotated[str, FastPath(min_length=1, max_length=64)], p: CurrentPrincipal, db: DatabaseDep
) -> Ok:
    """Withdraw an article: it leaves every client on its next pull."""
    only(p, "admin")

    def work(s: Session) -> list[str]:
        return guide.withdraw(s, [slug])

    retrying(db, work)
    return Ok()

"""The policy guide (惠民政策宣传指南) as files: one Markdown article per file, with YAML front matter.

The guide is written and reviewed as a folder of ``<slug>.md`` files (the starter guide ships in
``resources/guide``); the server publishes it and every worker's laptop keeps a copy offline. This module
reads and checks such a folder. It is pure: standard library and PyYAML only, no Qt, no database, so that
the server's publishing command, the app and the tests all see the same answer.

An article::

    ---
    slug: dibao-shenqing            # optional, defaults to the file name stem; [a-z0-9-]{2,64}
    title: 最低生活保障（低保）怎么申请
    category: 惠民政策               # one of CATEGORIES
    phones: ["12345", "0512-12345678"]
    effective_from: 2025-01-01
    effective_to: 2026-12-31        # optional, not before effective_from
    version: 3                      # integer >= 1
    summary: 一句话说明               # optional, at most 120 characters
    ---
    Markdown body (non-empty, at most 20,000 characters)

The slug is the article's stable identity: :func:`article_id` derives its UUID from the slug alone, so every
server (and every re-import) gives an article the same id. Renaming the file keeps the identity as long as
the ``slug:`` line stays.

Every problem found is a :class:`GuideIssue` with a stable ``reason`` code (the CLI and the server may switch
on it) and a plain message for people. All problems of a file are reported together, not only the first.
Reason codes: ``not_utf8``, ``file_unreadable``, ``front_matter_missing``, ``yaml_invalid``,
``unknown_field``, ``slug_invalid``, ``slug_duplicate``, ``title_missing``, ``title_invalid``,
``category_unknown``, ``phone_invalid``, ``date_invalid``, ``dates_reversed``, ``version_invalid``,
``summary_invalid``, ``summary_too_long``, ``body_empty``, ``body_too_long``, ``folder_missing``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

CATEGORIES: tuple[str, ...] = ("惠民政策", "办事流程", "服务电话", "网格小常识")

#: The namespace of article ids. Fixed forever: it is ``uuid5(NAMESPACE_URL, "urn:gridworker:policy-guide")``,
#: written out so that no change of that expression can move every article's id.
GUIDE_NAMESPACE = uuid.UUID("f7e67dab-f54c-5c17-8e10-e9f7c9ed2904")

FIELDS: frozenset[str] = frozenset(
    {"slug", "title", "category", "phones", "effective_from", "effective_to", "version", "summary"}
)
SLUG_RE = re.compile(r"[a-z0-9-]{2,64}")
PHONE_RE = re.compile(r"[0-9]+(?:-[0-9]+)?")
PHONE_MIN, PHONE_MAX = 3, 20
TITLE_MAX = 80
SUMMARY_MAX = 120
BODY_MAX = 20_000
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FENCE = "---"


@dataclass(frozen=True)
class ArticleFile:
    """One article as read from its file, checked."""

    slug: str
    title: str
    category: str
    phones: tuple[str, ...]
    effective_from: date
    effective_to: date | None
    version: int
    summary: str
    body: str
    path: Path

    @property
    def id(self) -> uuid.UUID:
        return article_id(self.slug)


@dataclass(frozen=True)
class GuideIssue:
    """One problem with one file: which file, which front-matter field (or ``file``, ``front_matter``,
    ``body``), a stable machine code and a message for people."""

    path: str
    field: str
    reason: str
    message: str


class GuideError(Exception):
    """A file that is not a valid article; ``issues`` says everything that is wrong with it."""

    def __init__(self, issues: list[GuideIssue]) -> None:
        self.issues = issues
        super().__init__("; ".join(f"{i.path}: {i.field}: {i.message}" for i in issues))


def article_id(slug: str) -> uuid.UUID:
    """The article's id on the wire and in every database: the same on every server, forever."""
    return uuid.uuid5(GUIDE_NAMESPACE, slug)


def starter_guide_path() -> Path:
    """The guide shipped with the program (``resources/guide``), in a source checkout or a frozen build."""
    from gridworker_shared.resources import resource_path

    return resource_path("guide")


class _FrontMatterLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` with two changes that keep typos and phone numbers from passing silently:
    a key given twice is an error (plain YAML keeps the last one), and a number with a leading zero stays
    text (plain YAML 1.1 reads ``0512`` as the octal number 330)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str) and key in seen:
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found the key {key!r} twice",
                    key_node.start_mark,
                )
            seen.add(key if isinstance(key, str) else id(key_node))
        return super().construct_mapping(node, deep=deep)

    def construct_leading_zero_int(self, node: yaml.ScalarNode) -> int | str:
        text = str(self.construct_scalar(node))
        if re.fullmatch(r"0[0-9_]+", text):
            return text
        return SafeConstructor.construct_yaml_int(self, node)

    def construct_lenient_timestamp(self, node: yaml.ScalarNode) -> object:
        """A date-like value that is no real day (2025-02-30) stays text, for the field check to report."""
        try:
            return SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError:
            return str(self.construct_scalar(node))


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:int", _FrontMatterLoader.construct_leading_zero_int)
_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _FrontMatterLoader.construct_lenient_timestamp)


def _split(text: str) -> tuple[str, str] | None:
    """(front matter, body) of a text whose line endings are ``\\n``, or None without front matter."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        return None
    for n, line in enumerate(lines[1:], start=1):
        if line.rstrip() == _FENCE:
            return "\n".join(lines[1:n]), "\n".join(lines[n + 1 :])
    return None


def _shown(value: object) -> str:
    """A front-matter value as the author wrote it, for a message."""
    if value is None:
        return "missing"
    if isinstance(value, datetime):
        return f"'{value.isoformat(sep=' ')}'"
    return repr(value) if isinstance(value, str) else f"'{value}'"


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):  # a timestamp is not a day; datetime is a subclass of date
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE_RE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


class _Checker:
    """Collects the issues of one file."""

    def __init__(self, path: Path, raw: bytes | None = None) -> None:
        self.path = path
        self.raw = raw
        self.issues: list[GuideIssue] = []

    def add(self, field: str, reason: str, message: str) -> None:
        self.issues.append(GuideIssue(str(self.path), field, reason, message))

    def text(self) -> str | None:
        try:
            raw = self.raw if self.raw is not None else self.path.read_bytes()
        except OSError as exc:
            self.add("file", "file_unreadable", f"cannot read the file: {exc.strerror or exc}")
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.add(
                "file",
                "not_utf8",
                f"the file is not UTF-8 (bad byte at position {exc.start}); save it as UTF-8 "
                "(in Notepad: Save As, Encoding UTF-8)",
            )
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def front_matter(self, text: str) -> tuple[dict[str, Any], str] | None:
        parts = _split(text)
        if parts is None:
            self.add(
                "front_matter",
                "front_matter_missing",
                "the file must start with a line '---', then the front matter (title, category, ...), "
                "then another line '---', then the article",
            )
            return None
        raw, body = parts
        try:
            data = yaml.load(raw, Loader=_FrontMatterLoader)  # a SafeLoader subclass: safe
        except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as exc:
            where = ""
            mark = getattr(exc, "problem_mark", None)
            if mark is not None:
                where = f" (line {mark.line + 2} of the file)"
            problem = getattr(exc, "problem", None) or str(exc)
            self.add("front_matter", "yaml_invalid", f"the front matter is not valid YAML{where}: {problem}")
            return None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.add("front_matter", "yaml_invalid", "the front matter must be 'key: value' lines (a YAML mapping)")
            return None
        fields: dict[str, Any] = {}
        for key, value in data.items():
            if not isinstance(key, str) or key not in FIELDS:
                self.add(
                    str(key),
                    "unknown_field",
                    f"unknown front-matter field {str(key)!r}; the fields are: {', '.join(sorted(FIELDS))}",
                )
            else:
                fields[key] = value
        return fields, body

    def slug(self, fields: dict[str, Any]) -> str | None:
        value = fields.get("slug", self.path.stem)
        if isinstance(value, str) and SLUG_RE.fullmatch(value):
            return value
        source = "the slug field" if "slug" in fields else "the file name"
        self.add(
            "slug",
            "slug_invalid",
            f"the slug {_shown(value)} (from {source}) is not valid; use 2 to 64 lowercase letters, digits and hyphens "
            "(pinyin, e.g. dibao-shenqing)",
        )
        return None

    def title(self, fields: dict[str, Any]) -> str | None:
        value = fields.get("title")
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add("title", "title_missing", "the article needs a title")
            return None
        if not isinstance(value, str) or "\n" in value.strip() or len(value.strip()) > TITLE_MAX:
            self.add("title", "title_invalid", f"the title must be one line of text, at most {TITLE_MAX} characters")
            return None
        return value.strip()

    def category(self, fields: dict[str, Any]) -> str | None:
        value = fields.get("category")
        if isinstance(value, str) and value.strip() in CATEGORIES:
            return value.strip()
        self.add(
            "category", "category_unknown", f"category is {_shown(value)}; it must be one of: {', '.join(CATEGORIES)}"
        )
        return None

    def phones(self, fields: dict[str, Any]) -> tuple[str, ...] | None:
        value = fields.get("phones")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.add("phones", "phone_invalid", 'phones must be a list, e.g. phones: ["12345"]')
            return None
        phones: list[str] = []
        ok = True
        for item in value:
            phone = str(item).strip() if isinstance(item, str | int) and not isinstance(item, bool) else None
            if (
                phone is None
                or not PHONE_RE.fullmatch(phone)
                or not PHONE_MIN <= len(phone) <= PHONE_MAX
                or phone in phones
            ):
                why = "is listed twice" if phone is not None and phone in phones else "is not a phone number"
                self.add(
                    "phones",
                    "phone_invalid",
                    f"{item!r} {why}; write digits with at most one hyphen, {PHONE_MIN} to {PHONE_MAX} characters "
                    "(e.g. 12345 or 0512-12345678)",
                )
                ok = False
            else:
                phones.append(phone)
        return tuple(phones) if ok else None

    def day(self, fields: dict[str, Any], name: str, required: bool) -> date | None:
        value = fields.get(name)
        if value is None and not required:
            return None
        day = _as_date(value)
        if day is None:
            self.add(name, "date_invalid", f"{name} is {_shown(value)}; write a date as YYYY-MM-DD, e.g. 2025-01-01")
        return day

    def version(self, fields: dict[str, Any]) -> int | None:
        value = fields.get("version")
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        self.add("version", "version_invalid", f"version is {_shown(value)}; it must be a whole number, 1 or more")
        return None

    def summary(self, fields: dict[str, Any]) -> str | None:
        value = fields.get("summary", "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.add("summary", "summary_invalid", "the summary must be text")
            return None
        value = " ".join(value.split())
        if len(value) > SUMMARY_MAX:
            self.add(
                "summary",
                "summary_too_long",
                f"the summary has {len(value)} characters; at most {SUMMARY_MAX} are allowed",
            )
            return None
        return value

    def body(self, body: str) -> str | None:
        body = "\n".join(line.rstrip() for line in body.split("\n")).strip("\n")
        if not body.strip():
            self.add("body", "body_empty", "the article has no text after the front matter")
            return None
        if len(body) > BODY_MAX:
            self.add(
                "body",
                "body_too_long",
                f"the article has {len(body)} characters; at most {BODY_MAX} are allowed, split it in two",
            )
            return None
        return body + "\n"


def load_article(path: Path, raw: bytes | None = None) -> ArticleFile:
    """Read and check one article file; raise :class:`GuideError` with every issue found. ``raw``: the
    file's bytes when they did not come from disk (an upload); ``path`` then only names it."""
    check = _Checker(path, raw)
    text = check.text()
    parsed = check.front_matter(text) if text is not None else None
    if parsed is None:
        raise GuideError(check.issues)
    fields, raw_body = parsed
    slug = check.slug(fields)
    title = check.title(fields)
    category = check.category(fields)
    phones = check.phones(fields)
    effective_from = check.day(fields, "effective_from", required=True)
    effective_to = check.day(fields, "effective_to", required=False)
    if effective_from is not None and effective_to is not None and effective_to < effective_from:
        check.add(
            "effective_to",
            "dates_reversed",
            f"effective_to ({effective_to}) is before effective_from ({effective_from})",
        )
    version = check.version(fields)
    summary = check.summary(fields)
    body = check.body(raw_body)
    if check.issues:
        raise GuideError(check.issues)
    assert slug is not None and title is not None and category is not None and phones is not None
    assert effective_from is not None
    assert version is not None and summary is not None and body is not None
    return ArticleFile(
        slug=slug,
        title=title,
        category=category,
        phones=phones,
        effective_from=effective_from,
        effective_to=effective_to,
        version=version,
        summary=summary,
        body=body,
        path=path,
    )


def is_article_file(path: Path) -> bool:
    """A ``.md`` file of the folder that is an article (not ``README.md``, not ``_draft.md``)."""
    name = path.name
    return path.suffix.lower() == ".md" and not name.startswith("_") and name.lower() != "readme.md"


def load_folder(folder: Path) -> tuple[list[ArticleFile], list[GuideIssue]]:
    """Every article of a folder (not its subfolders), in file-name order, and every issue found.

    A file with issues is left out of the articles; of two files with the same slug, the second (by name)
    is left out and reported as ``slug_duplicate``.
    """
    if not folder.is_dir():
        return [], [GuideIssue(str(folder), "folder", "folder_missing", f"{folder} is not a folder")]
    articles: list[ArticleFile] = []
    issues: list[GuideIssue] = []
    first_with: dict[str, Path] = {}
    for path in sorted((p for p in folder.iterdir() if p.is_file() and is_article_file(p)), key=lambda p: p.name):
        try:
            article = load_article(path)
        except GuideError as exc:
            issues.extend(exc.issues)
            continue
        if article.slug in first_with:
            issues.append(
                GuideIssue(
                    str(path),
                    "slug",
                    "slug_duplicate",
                    f"the slug {article.slug!r} is already used by {first_with[article.slug].name}",
                )
            )
            continue
        first_with[article.slug] = path
        articles.append(article)
    return articles, issues


def main(argv: list[str] | None = None) -> int:
    """``python -m gridworker_server.guide_files [folder]``: check a guide folder (the shipped one by default)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else starter_guide_path()
    articles, issues = load_folder(folder)
    for issue in issues:
        print(f"{issue.path}: {issue.field}: [{issue.reason}] {issue.message}")
    print(f"{len(articles)} articles, {len(issues)} issues")
    return 1 if issues else 0


if __name__ == "__main__":
    raise SystemExit(main())

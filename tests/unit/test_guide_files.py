"""The shipped policy guide (resources/guide) and the loader that checks such a folder (sync/guide.py)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import Counter
from pathlib import Path

import pytest

from gridworker_server.guide_files import (
    CATEGORIES,
    GUIDE_NAMESPACE,
    ArticleFile,
    GuideError,
    GuideIssue,
    article_id,
    load_article,
    load_folder,
    starter_guide_path,
)

ROOT = Path(__file__).resolve().parents[2]
HANZI = re.compile(r"[\u4e00-\u9fff]")

# The only phone numbers the starter guide may put in front matter: national numbers checked one by one.
# A new one goes here only after someone has made sure it is a real, national, current number.
NATIONAL_NUMBERS = {
    "110", "119", "120", "122",  # emergency
    "12345", "12348", "12315", "12333", "12329", "12338", "12320", "12319",  # public service lines
    "95598", "96110",  # State Grid customer service; police anti-fraud warning line
}  # fmt: skip

GOOD = """---
slug: dibao-shenqing
title: 最低生活保障（低保）怎么申请
category: 惠民政策
phones: ["12345", "0512-12345678"]
effective_from: 2025-01-01
effective_to: 2026-12-31
version: 3
summary: 一句话说明
---
## 适用对象

家庭人均收入低于当地低保标准的家庭。
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


def article(**fields: object) -> str:
    """GOOD with some front-matter lines replaced (value None drops the line); ``body=`` replaces the body."""
    head, body = GOOD.split("---\n")[1], GOOD.split("---\n", 2)[2]
    lines = dict(line.split(": ", 1) for line in head.strip().split("\n"))
    for key, value in fields.items():
        if key == "body":
            body = str(value)
        elif value is None:
            lines.pop(key, None)
        else:
            lines[key] = str(value)
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in lines.items()) + "---\n" + body


def issues_of(path: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(GuideError) as caught:
        load_article(path)
    assert caught.value.issues, "a GuideError always says what is wrong"
    return [(issue.path, issue.field, issue.reason) for issue in caught.value.issues]


# ---------------------------------------------------------------------------------------------------------------
# The shipped guide


@pytest.fixture(scope="module")
def shipped() -> tuple[list[ArticleFile], list[GuideIssue]]:
    return load_folder(starter_guide_path())


@pytest.fixture(scope="module")
def articles(shipped: tuple[list[ArticleFile], list[GuideIssue]]) -> list[ArticleFile]:
    return shipped[0]


def test_the_starter_guide_is_the_resources_folder() -> None:
    assert starter_guide_path() == ROOT / "resources" / "guide"
    assert (starter_guide_path() / "README.md").is_file()


def test_every_shipped_article_loads_without_an_issue(shipped: tuple[list[ArticleFile], list[GuideIssue]]) -> None:
    articles, issues = shipped
    assert issues == []
    files = [p for p in starter_guide_path().glob("*.md") if p.name != "README.md"]
    assert len(articles) == len(files) >= 32


def test_every_category_has_at_least_three_articles(articles: list[ArticleFile]) -> None:
    counts = Counter(a.category for a in articles)
    assert set(counts) == set(CATEGORIES)
    assert min(counts.values()) >= 3, counts


@pytest.mark.parametrize(
    "term",
    ["医保", "养老保险", "低保", "特困", "临时救助", "医疗救助", "残疾", "高龄", "就业", "户口", "居住证", "身份证",
     "异地就医", "公租房", "退役军人", "留守儿童", "诈骗", "燃气", "电动自行车", "垃圾分类",
     "12345", "12348", "12315", "12333", "110", "119", "120", "122", "95598"],
)  # fmt: skip
def test_the_topics_residents_ask_about_are_covered(articles: list[ArticleFile], term: str) -> None:
    assert any(term in a.title or term in a.body for a in articles), term


@pytest.mark.parametrize("number", ["12345", "12348", "12315", "12333", "110", "119", "120", "122", "95598"])
def test_each_main_service_number_has_its_own_phone_article(articles: list[ArticleFile], number: str) -> None:
    assert any(a.category == "服务电话" and number in a.phones and number in a.title for a in articles), number


def test_articles_are_the_size_of_a_handout_page(articles: list[ArticleFile]) -> None:
    sizes = {a.slug: len(HANZI.findall(a.body)) for a in articles}
    assert {slug: n for slug, n in sizes.items() if not 300 <= n <= 1200} == {}


def test_articles_are_plain_markdown_with_sections(articles: list[ArticleFile]) -> None:
    for a in articles:
        assert re.search(r"<[A-Za-z/!]", a.body) is None, f"{a.slug}: no HTML in the guide"
        assert a.body.startswith("## "), f"{a.slug}: the body opens with a section heading (the title is the H1)"
        assert "\n## " in a.body, f"{a.slug}: several sections"
        assert a.summary, f"{a.slug}: a summary for the list view"


def test_shipped_phones_are_vetted_national_numbers_mentioned_in_the_text(articles: list[ArticleFile]) -> None:
    for a in articles:
        assert set(a.phones) <= NATIONAL_NUMBERS, f"{a.slug}: {set(a.phones) - NATIONAL_NUMBERS}"
        for phone in a.phones:
            assert phone in a.title + a.body, f"{a.slug}: {phone} is in the front matter but not in the text"
        if a.category == "服务电话":
            assert a.phones, f"{a.slug}: a service-phone article lists its numbers"


def test_shipped_slugs_are_file_names_and_titles_are_distinct(articles: list[ArticleFile]) -> None:
    assert all(a.slug == a.path.stem for a in articles)
    assert len({a.title for a in articles}) == len(articles)
    assert len({a.id for a in articles}) == len(articles)


def test_shipped_dates_are_plausible(articles: list[ArticleFile]) -> None:
    for a in articles:
        assert dt.date(2016, 1, 1) <= a.effective_from <= dt.date(2026, 12, 31), a.slug
        assert a.effective_to is None or a.effective_to >= a.effective_from
        assert a.version >= 1


# ---------------------------------------------------------------------------------------------------------------
# The loader: good files


def test_a_good_file_loads_with_every_field(tmp_path: Path) -> None:
    path = write(tmp_path, "any-name.md", GOOD)
    a = load_article(path)
    assert a == ArticleFile(
        slug="dibao-shenqing",
        title="最低生活保障（低保）怎么申请",
        category="惠民政策",
        phones=("12345", "0512-12345678"),
        effective_from=dt.date(2025, 1, 1),
        effective_to=dt.date(2026, 12, 31),
        version=3,
        summary="一句话说明",
        body="## 适用对象\n\n家庭人均收入低于当地低保标准的家庭。\n",
        path=path,
    )
    assert a.id == article_id("dibao-shenqing")


def test_windows_line_endings_and_a_bom_are_accepted(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8")
    a = load_article(write(tmp_path, "windows.md", data))
    assert a.title == "最低生活保障（低保）怎么申请"
    assert a.version == 3
    assert "\r" not in a.body and a.body == "## 适用对象\n\n家庭人均收入低于当地低保标准的家庭。\n"


def test_optional_fields_have_defaults_and_the_slug_comes_from_the_file_name(tmp_path: Path) -> None:
    text = article(slug=None, phones=None, effective_to=None, summary=None)
    a = load_article(write(tmp_path, "yibao-canbao.md", text))
    assert (a.slug, a.phones, a.effective_to, a.summary) == ("yibao-canbao", (), None, "")


def test_dates_may_be_quoted_strings_and_phones_numbers(tmp_path: Path) -> None:
    text = article(effective_from="'2025-01-01'", effective_to='"2025-01-01"', phones="[12345, 05123456, 110]")
    a = load_article(write(tmp_path, "a.md", text))
    assert a.effective_from == a.effective_to == dt.date(2025, 1, 1)
    # 05123456 would be the octal number 1353518 to plain YAML: a leading zero keeps it as written
    assert a.phones == ("12345", "05123456", "110")


def test_the_body_keeps_its_markdown_but_not_surrounding_blank_lines(tmp_path: Path) -> None:
    body = "\n\n## 怎么办   \n\n1. 第一步\n2. 第二步\n\n| a | b |\n| --- | --- |\n\n\n"
    a = load_article(write(tmp_path, "a.md", article(body=body)))
    assert a.body == "## 怎么办\n\n1. 第一步\n2. 第二步\n\n| a | b |\n| --- | --- |\n"


# ---------------------------------------------------------------------------------------------------------------
# The loader: every reason code, with the field it points at

BAD_FRONT_MATTER: list[tuple[str, str, str, str]] = [
    # (case, file text, field, reason)
    ("no front matter", "## 适用对象\n正文\n", "front_matter", "front_matter_missing"),
    ("front matter not on line 1", "\n" + GOOD, "front_matter", "front_matter_missing"),
    (
        "front matter not closed",
        GOOD.replace("---\n## 适用对象", "## 适用对象"),
        "front_matter",
        "front_matter_missing",
    ),
    ("not YAML", article(title="[unclosed"), "front_matter", "yaml_invalid"),
    ("a list, not a mapping", "---\n- a\n- b\n---\n正文\n", "front_matter", "yaml_invalid"),
    ("a key twice", GOOD.replace("version: 3\n", "version: 3\nversion: 4\n"), "front_matter", "yaml_invalid"),
    ("typo in a key", article(categroy="惠民政策"), "categroy", "unknown_field"),
    ("unknown key", article(author="张三"), "author", "unknown_field"),
    ("slug with capitals", article(slug="DiBao"), "slug", "slug_invalid"),
    ("slug with pinyin tone marks", article(slug="dībǎo"), "slug", "slug_invalid"),
    ("slug too short", article(slug="a"), "slug", "slug_invalid"),
    ("slug not text", article(slug="123"), "slug", "slug_invalid"),
    ("title missing", article(title=None), "title", "title_missing"),
    ("title empty", article(title="''"), "title", "title_missing"),
    ("title not text", article(title="[a, b]"), "title", "title_invalid"),
    ("title too long", article(title="长" * 81), "title", "title_invalid"),
    ("category missing", article(category=None), "category", "category_unknown"),
    ("category unknown", article(category="政策解读"), "category", "category_unknown"),
    ("phones not a list", article(phones="12345"), "phones", "phone_invalid"),
    ("phone too short", article(phones='["12"]'), "phones", "phone_invalid"),
    ("phone too long", article(phones=f'["{"1" * 21}"]'), "phones", "phone_invalid"),
    ("phone with two hyphens", article(phones='["0512-1234-5678"]'), "phones", "phone_invalid"),
    ("phone with letters", article(phones='["12345a"]'), "phones", "phone_invalid"),
    ("phone with spaces", article(phones='["0512 12345678"]'), "phones", "phone_invalid"),
    ("phone listed twice", article(phones="[12345, '12345']"), "phones", "phone_invalid"),
    ("effective_from missing", article(effective_from=None), "effective_from", "date_invalid"),
    ("effective_from not a date", article(effective_from="2025/01/01"), "effective_from", "date_invalid"),
    ("effective_from no real day", article(effective_from="2025-02-30"), "effective_from", "date_invalid"),
    ("effective_from a timestamp", article(effective_from="2025-01-01 08:00:00"), "effective_from", "date_invalid"),
    ("effective_to not a date", article(effective_to="明年"), "effective_to", "date_invalid"),
    ("dates reversed", article(effective_to="2024-12-31"), "effective_to", "dates_reversed"),
    ("version missing", article(version=None), "version", "version_invalid"),
    ("version zero", article(version="0"), "version", "version_invalid"),
    ("version text", article(version="'3'"), "version", "version_invalid"),
    ("version a fraction", article(version="1.5"), "version", "version_invalid"),
    ("version a boolean", article(version="true"), "version", "version_invalid"),
    ("summary not text", article(summary="[a]"), "summary", "summary_invalid"),
    ("summary too long", article(summary="长" * 121), "summary", "summary_too_long"),
    ("body empty", article(body=""), "body", "body_empty"),
    ("body only blank lines", article(body="\n  \n\t\n"), "body", "body_empty"),
    ("body too long", article(body="长" * 20_001), "body", "body_too_long"),
]


@pytest.mark.parametrize(
    ("text", "field", "reason"), [case[1:] for case in BAD_FRONT_MATTER], ids=[case[0] for case in BAD_FRONT_MATTER]
)
def test_each_problem_is_reported_with_its_path_field_and_reason(
    tmp_path: Path, text: str, field: str, reason: str
) -> None:
    path = write(tmp_path, "article.md", text)
    assert issues_of(path) == [(str(path), field, reason)]


def test_limits_are_inclusive(tmp_path: Path) -> None:
    text = article(title="长" * 80, summary="长" * 120, body="长" * 20_000, phones=f'["{"1" * 20}", "123"]')
    a = load_article(write(tmp_path, "a.md", text))
    assert (len(a.title), len(a.summary), len(a.body)) == (80, 120, 20_001)  # the body ends with its newline


def test_a_slug_from_a_bad_file_name_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "Dibao_Shenqing.md", article(slug=None))
    assert issues_of(path) == [(str(path), "slug", "slug_invalid")]


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "gbk.md", GOOD.encode("gbk"))
    assert issues_of(path) == [(str(path), "file", "not_utf8")]


def test_a_file_that_cannot_be_read_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "folder.md"
    path.mkdir()
    assert issues_of(path) == [(str(path), "file", "file_unreadable")]


def test_all_problems_of_a_file_are_reported_together(tmp_path: Path) -> None:
    text = article(title=None, category="其他", phones="['1']", version="0", summary="长" * 200, colour="红")
    path = write(tmp_path, "a.md", text)
    assert [reason for _, _, reason in issues_of(path)] == [
        "unknown_field",
        "title_missing",
        "category_unknown",
        "phone_invalid",
        "version_invalid",
        "summary_too_long",
    ]


def test_messages_are_for_people(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", article(category="政策", effective_from="2025-02-30"))
    with pytest.raises(GuideError) as caught:
        load_article(path)
    messages = {issue.reason: issue.message for issue in caught.value.issues}
    assert "'政策'" in messages["category_unknown"] and "惠民政策" in messages["category_unknown"]
    assert "'2025-02-30'" in messages["date_invalid"] and "YYYY-MM-DD" in messages["date_invalid"]
    assert str(path) in str(caught.value)


def test_a_yaml_error_says_which_line_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", GOOD.replace("version: 3\n", "version: 3\nversion: 4\n"))
    with pytest.raises(GuideError) as caught:
        load_article(path)
    [issue] = caught.value.issues
    assert "line 9 of the file" in issue.message and "'version' twice" in issue.message


# ---------------------------------------------------------------------------------------------------------------
# The loader: folders


def test_load_folder_reads_articles_in_name_order_and_skips_what_is_not_an_article(tmp_path: Path) -> None:
    write(tmp_path, "b-second.md", article(slug=None))
    write(tmp_path, "a-first.md", article(slug=None))
    write(tmp_path, "README.md", "# How to write the guide\n")
    write(tmp_path, "readme.md", "no front matter either\n")
    write(tmp_path, "_draft.md", "not ready\n")
    write(tmp_path, "notes.txt", "not markdown\n")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "c-nested.md", article(slug=None))
    articles, issues = load_folder(tmp_path)
    assert issues == []
    assert [a.slug for a in articles] == ["a-first", "b-second"]


def test_load_folder_reports_a_duplicate_slug_on_the_second_file(tmp_path: Path) -> None:
    first = write(tmp_path, "a.md", article(title="第一篇"))
    second = write(tmp_path, "b.md", article(title="第二篇"))
    write(tmp_path, "c-other.md", article(slug=None, title="第三篇"))
    articles, issues = load_folder(tmp_path)
    assert [(a.path, a.title) for a in articles] == [(first, "第一篇"), (tmp_path / "c-other.md", "第三篇")]
    assert [(i.path, i.field, i.reason) for i in issues] == [(str(second), "slug", "slug_duplicate")]
    assert "a.md" in issues[0].message


def test_load_folder_keeps_good_articles_and_reports_bad_ones(tmp_path: Path) -> None:
    write(tmp_path, "good-one.md", article(slug=None))
    bad = write(tmp_path, "bad-one.md", article(slug=None, version="0", category="x"))
    articles, issues = load_folder(tmp_path)
    assert [a.slug for a in articles] == ["good-one"]
    assert [(i.path, i.reason) for i in issues] == [(str(bad), "category_unknown"), (str(bad), "version_invalid")]


def test_load_folder_of_a_missing_folder_is_an_issue(tmp_path: Path) -> None:
    articles, issues = load_folder(tmp_path / "nowhere")
    assert articles == []
    assert [(i.field, i.reason) for i in issues] == [("folder", "folder_missing")]


# ---------------------------------------------------------------------------------------------------------------
# Article ids


def test_article_id_is_pinned() -> None:
    """Every server derives the same id from a slug, forever: these literals are the wire identity."""
    assert uuid.UUID("f7e67dab-f54c-5c17-8e10-e9f7c9ed2904") == GUIDE_NAMESPACE
    assert uuid.uuid5(uuid.NAMESPACE_URL, "urn:gridworker:policy-guide") == GUIDE_NAMESPACE
    assert article_id("dibao-shenqing") == uuid.UUID("2a2f1bd3-e68e-512e-9aa1-e114415997c3")
    assert article_id("dibao-shenqing") == article_id("dibao-shenqing")


def test_article_ids_differ_between_slugs() -> None:
    slugs = ["dibao-shenqing", "dibao-tiaojian", "dianhua-12345", "dianhua-110", "ab", "a-b"]
    assert len({article_id(s) for s in slugs}) == len(slugs)

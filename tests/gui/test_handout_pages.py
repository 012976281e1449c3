"""A handout's pages as printed (the real PDF path, read back with poppler's pdftotext): a heading is
kept on the page of what follows it, and no page holds a single line."""

from __future__ import annotations

import datetime as dt
import subprocess
import uuid
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from gridworker.guide.handout import write_handout_pdf
from gridworker.guide.search import ArticleView

CONTACT = "网格员 张伟 ☎ 138 1234 5678"
SENTENCE = "居民可到社区服务站办理相关手续，工作人员将在三个工作日内答复。"


def article(paragraphs: int, phones: tuple[str, ...], headings: bool) -> ArticleView:
    parts = []
    for i in range(paragraphs):
        if headings and i % 6 == 5:
            parts.append(f"## 第{i // 6 + 1}部分 办理须知")
        parts.append(f"第{i + 1}条。" + SENTENCE * (1 + i % 3))
    return ArticleView(
        uuid.uuid4(),
        "pension",
        "social",
        "城乡居民基本养老保险参保缴费",
        "摘要：参保与缴费的办法。",
        "\n\n".join(parts),
        phones,
        dt.date(2026, 1, 1),
        None,
        3,
        dt.datetime(2026, 1, 1),
        dt.datetime(2026, 1, 1),
        0,
    )


def page_lines(path: Path) -> list[list[str]]:
    """Each page's lines of text above its footer (the footer is the page's last line)."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [[line.strip() for line in page.splitlines() if line.strip()] for page in out.split("\f")]
    pages = [page for page in pages if page]
    assert all(CONTACT.split()[0] in page[-1] for page in pages)
    return [page[:-1] for page in pages]


@pytest.mark.parametrize("headings", [False, True], ids=["plain", "with-headings"])
@pytest.mark.parametrize("phones", [("12345",), ()], ids=["phones", "no-phones"])
def test_no_stranded_heading_and_no_page_with_a_single_line(
    qapp: QApplication, tmp_path: Path, phones: tuple[str, ...], headings: bool
) -> None:
    """Articles of every length over a page edge: 19 to 27 paragraphs put each kind of block (a
    paragraph's last line, the "Phone numbers" heading, a phone, a section heading) at the foot of
    page 1 or alone on page 2 in one of them (before: page 2 held only "☎ 12345", its heading at the
    foot of page 1)."""
    for paragraphs in range(19, 28):
        path = tmp_path / f"handout-{paragraphs}.pdf"
        pages = write_handout_pdf([article(paragraphs, phones, headings)], CONTACT, path)
        lines = page_lines(path)
        assert len(lines) == pages
        for number, page in enumerate(lines, 1):
            assert len(page) >= 2 or pages == 1, (paragraphs, number, page)
            if number < pages:  # a heading is never the last line of a page
                assert page[-1] != "Phone numbers" and "部分 办理须知" not in page[-1], (paragraphs, number, page[-1])
        text = "\n".join("\n".join(page) for page in lines)
        assert text.count("第1条") == 1 and f"第{paragraphs}条" in text  # every paragraph, once

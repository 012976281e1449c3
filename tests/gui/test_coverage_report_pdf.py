"""The monthly coverage report (gridworker.reports.monthly) as a PDF: its pages, the text pdftotext
reads back (area, month, made-by, page numbers), a table continuing on the next page with its header,
nothing printed outside the page's margins, and a file that cannot be written."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from gridworker.reports.monthly import ReportInfo, write_monthly_pdf
from gridworker.store import coverage_reads as cr
from gridworker.store.coverage_rows import MonthFigures, Trend
from gridworker.store.db import Database
from tests.helpers.review_dashboard_street import CHINA, Street, generate_street

TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 4, 0)
INFO = ReportInfo("王主任", dt.datetime(2026, 11, 27, 12, 30))
MM_PER_PT = 25.4 / 72


def read(path: Path, area: str) -> tuple[MonthFigures, Trend]:
    con = sqlite3.connect(path)
    try:
        area_id = uuid.UUID(hex=area)
        figures = cr.month_figures(con, area_id, TODAY, today=TODAY, now=NOW, utc_offset=CHINA)
        return figures, cr.trend(con, area_id, TODAY, utc_offset=CHINA)
    finally:
        con.close()


def page_text(path: Path, page: int | None = None) -> str:
    pages = [] if page is None else ["-f", str(page), "-l", str(page)]
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"], capture_output=True, text=True, check=True
    )
    return re.sub(r"\s+", "", out.stdout)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert match
    return int(match.group(1))


@pytest.fixture
def street(db: Database) -> Street:
    street = generate_street(
        db.path, communities=4, grids_per_community=5, households_per_grid=20, visits=3000, days=200, seed=5
    )
    # forty more workers with cards in the street's grids, most of them silent: the workers' table
    # runs onto another page
    con = sqlite3.connect(db.path)
    grids = list(street.grids)
    con.executemany(
        "INSERT INTO worker_card (user_id, username, name, phone, service_hours, card_line, grids, updated_at) "
        "VALUES (?, ?, ?, '', '', '', ?, '2026-01-01 00:00:00.000000')",
        [
            (uuid.UUID(int=1000 + n).hex, f"x{n}", f"后备网格员{n + 1}", json.dumps([str(uuid.UUID(grids[n % 20]))]))
            for n in range(40)
        ],
    )
    con.commit()
    con.close()
    return street


def test_a_streets_report_has_its_pages_numbered_with_the_area_month_and_maker(
    qapp: QApplication, db: Database, street: Street, tmp_path: Path
) -> None:
    figures, trend = read(db.path, street.street)
    path = tmp_path / "street.pdf"
    pages = write_monthly_pdf(figures, trend, INFO, path, CHINA)
    assert pages == page_count(path) >= 3
    for n in range(1, pages + 1):
        text = page_text(path, n)
        assert "长青街道·2026年11月·网格走访考核月报" in text
        assert "制表：王主任制表时间：2026-11-2712:30" in text
        assert f"第{n}页/共{pages}页" in text
    first = page_text(path, 1)
    assert "长青街道2026年11月网格走访考核月报" in first and "统计截至11月27日（共27天）" in first
    assert "各网格户户到" in first and "每日走访次数" in first and "近十二个月趋势" in first
    whole = page_text(path)
    assert "各社区" in whole and "第4社区" in whole and "后备网格员40" in whole
    # the workers' table goes on over a page break with its header again
    assert sum("最近上传" in page_text(path, n) for n in range(1, pages + 1)) >= 2
    assert f"超过{figures.settings.silent_days}天未上传的网格员" in whole and "从未上传" in whole
    assert "各网格近十二个月户户到（2025年12月至2026年11月）" in whole and "12月1月2月" in whole


def test_nothing_is_printed_outside_the_margins(
    qapp: QApplication, db: Database, street: Street, tmp_path: Path
) -> None:
    """Every word pdftotext finds lies within the 15 mm margins (a long line of grids below the goal
    wraps, a wide cell is drawn smaller)."""
    figures, trend = read(db.path, street.street)
    path = tmp_path / "street.pdf"
    pages = write_monthly_pdf(figures, trend, INFO, path, CHINA)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    boxes = [
        tuple(float(v) * MM_PER_PT for v in m.groups()[:4])
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">', html)
    ]
    assert len(boxes) > 100 * pages / 2
    outside = [b for b in boxes if b[0] < 14.5 or b[2] > 195.5 or b[1] < 14.5 or b[3] > 282.5]
    assert outside == []


def test_a_communitys_report_names_it_and_has_no_table_of_communities(
    qapp: QApplication, db: Database, street: Street, tmp_path: Path
) -> None:
    figures, trend = read(db.path, street.communities[2])
    path = tmp_path / "community.pdf"
    pages = write_monthly_pdf(figures, trend, INFO, path, CHINA)
    text = page_text(path)
    assert pages == page_count(path)
    assert "第3社区·2026年11月·网格走访考核月报" in text and "3-5网格" in text
    assert "各社区" not in text and "1-1网格" not in text


def test_a_report_that_cannot_be_written_says_so_and_leaves_nothing(
    qapp: QApplication, db: Database, street: Street, tmp_path: Path
) -> None:
    """(The tests run as root, so a read-only folder would not refuse: a file in the way does.)"""
    figures, trend = read(db.path, street.street)
    out = tmp_path / "out"
    out.mkdir()
    blocker = out / "a file"
    blocker.write_bytes(b"older")
    with pytest.raises(OSError):
        write_monthly_pdf(figures, trend, INFO, blocker / "report.pdf", CHINA)
    assert blocker.read_bytes() == b"older"
    folder = out / "a folder"
    folder.mkdir()
    with pytest.raises(OSError):
        write_monthly_pdf(figures, None, INFO, folder, CHINA)
    assert sorted(p.name for p in out.iterdir()) == ["a file", "a folder"] and not any(folder.iterdir())

"""500 contact cards to PDF: the A4 sheet layout with addresses, 500 distinct households (50 pages),
through ``write_pdf``; against a bare QPdfWriter writing the same 50 pages with one line of text a
card, in the same CJK font (the floor: what Qt's PDF engine costs by itself).

Each side runs in a fresh ``python`` process (offscreen), so neither the test process nor the other
side inflates the figures: the time is the wall time of the write alone (after imports and the
QGuiApplication), the memory the process's peak resident set (``VmHWM`` of /proc/self/status: the
peak of this process's own memory since its exec, unlike ``ru_maxrss``, which Linux carries over from
the parent that spawned it). One run of each is made first and not counted (font and file caches),
then three of each, alternating, and the medians are reported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.bench.benchlib import Figures, median, report

CARDS = 500
RUNS = 3
CARDS_S = 10.0
RSS_MB = 400.0
TIMEOUT_S = 300.0
PROJECT = Path(__file__).resolve().parents[2]

# The child: imports only Qt and the cards package (no pytest, no store), then times one write.
CHILD = r"""
import json, resource, sys, time, uuid
from pathlib import Path
from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QPageLayout, QPageSize, QPainter, QPdfWriter

app = QGuiApplication(sys.argv[:1])
mode, out, cards = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
NAME = "张伟"


def address(i):
    return f"幸福小区 {i // 24 + 1}栋{i // 8 % 3 + 1}单元{i % 8 // 2 + 1}0{i % 2 + 1}室"


def peak_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if mode == "cards":
    from gridworker.cards.render import CardJob, Layout, write_pdf
    from gridworker.cards.vcard import CardPerson, CardTarget

    person = CardPerson(
        uuid.UUID(int=20261128), NAME, "13812345678", "古城社区第1网格", "古城社区", "周一至周五 8:30-17:30",
        "有事找网格，服务零距离",
    )
    targets = [CardTarget(uuid.UUID(int=i + 1), address(i)) for i in range(cards)]
    assert len({t.address for t in targets}) == cards
    before = peak_mb()
    t0 = time.perf_counter()
    painted = write_pdf(CardJob(person, targets, Layout.SHEET, with_address=True), out)
    elapsed = time.perf_counter() - t0
    assert painted == cards
else:
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    family = "WenQuanYi Micro Hei" if "WenQuanYi Micro Hei" in families else families[0]
    before = peak_mb()
    t0 = time.perf_counter()
    writer = QPdfWriter(str(out))
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF()))
    painter = QPainter(writer)
    font = QFont(family)
    font.setPixelSize(40)
    painter.setFont(font)
    for i in range(cards):
        if i and i % 10 == 0:
            writer.newPage()
        painter.drawText(200 + i % 2 * 1060, 200 + i % 10 // 2 * 640, f"{NAME} {address(i)}")
    painter.end()
    del writer
    elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb(), "before_mb": before}))
"""


def run(mode: str, out: Path) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(out), str(CARDS)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.bench
def test_500_cards_to_pdf(bench_results: Figures, tmp_path: Path) -> None:
    cards_pdf, bare_pdf = tmp_path / "cards.pdf", tmp_path / "bare.pdf"
    run("cards", cards_pdf)
    run("bare", bare_pdf)
    cards: list[dict[str, float]] = []
    bare: list[dict[str, float]] = []
    for _ in range(RUNS):
        cards.append(run("cards", cards_pdf))
        bare.append(run("bare", bare_pdf))

    pages = CARDS // 10
    assert len(PdfReader(cards_pdf).pages) == pages
    assert len(PdfReader(bare_pdf).pages) == pages

    cards_s = median([r["seconds"] for r in cards])
    bare_s = median([r["seconds"] for r in bare])
    figures: Figures = {
        "cards_500_pdf_s": round(cards_s, 3),
        "cards_500_rss_mb": round(max(r["peak_mb"] for r in cards), 1),
        "cards_500_rss_before_mb": round(max(r["before_mb"] for r in cards), 1),
        "cards_500_bare_pdf_s": round(bare_s, 3),
        "cards_500_bare_rss_mb": round(max(r["peak_mb"] for r in bare), 1),
        "cards_500_vs_bare_ratio": round(cards_s / bare_s, 2),
        "cards_500_pdf_kb": round(cards_pdf.stat().st_size / 1024),
    }
    bench_results.update(figures)
    report(
        f"{CARDS} contact cards (A4 sheets, with addresses) to PDF, medians of {RUNS}:",
        figures,
        {"cards_500_pdf_s": CARDS_S, "cards_500_rss_mb": RSS_MB},
    )

"""Contact cards through the real print path: PDFs written by ``write_pdf`` (QPdfWriter) and by a
QPrinter in PDF mode (the dialog's print path), read back with tools that share nothing with Qt:
pypdf for pages and sizes, poppler for text, fonts and pixels, zxing-cpp to decode every QR code."""

from __future__ import annotations

import math
import re
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import zxingcpp
from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPdfWriter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from gridworker.cards import render as render_module
from gridworker.cards.layout import A3, A4, CARD_H, CARD_W
from gridworker.cards.render import (
    CardJob,
    Layout,
    NoCjkFontError,
    card_rects_mm,
    crop_marks_mm,
    page_count,
    render,
    write_pdf,
)
from gridworker.cards.vcard import CardPerson, CardTarget, vcard
from gridworker.fonts import PREFERRED_CJK
from gridworker_server.demo_city import DemoCity
from gridworker_shared.domain.households import MAX_CARD_LINE, MAX_SERVICE_HOURS
from gridworker_shared.domain.validation import NAME_MAX_LENGTH

MM_PER_PT = 25.4 / 72
DPI = 200

PERSON = CardPerson(
    worker_id=uuid.UUID("0b7e5f0e-4a44-4a4f-9a43-5b8f2f1c6d21"),
    name="张伟",
    phone="13812345678",
    grid_name="古城社区第1网格",
    community_name="古城社区",
    service_hours="周一至周五 8:30-17:30",
    line="有事找网格，服务零距离",
    card_code="12345674",
)

LONG = CardPerson(
    worker_id=uuid.UUID("9c0d3e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f"),
    name="欧阳娜娜·阿卜杜热合曼·买买提江",
    phone="13912345678",
    grid_name="城关街道幸福里社区第十二网格（含幸福花园小区、和平里小区、光明新村）",
    community_name="乌鲁木齐市天山区城关街道幸福里社区居民委员会便民服务站",
    service_hours="周一至周日 8:00-20:00（法定节假日照常值班，夜间紧急情况请拨打）",
    line="有事找网格，服务零距离；邻里互助，共建美好家园，欢迎扫码保存我的联系方式，随时联系，随叫随到",
)


def targets(n: int, with_address: bool = True) -> list[CardTarget]:
    return [
        CardTarget(
            uuid.uuid4(), f"幸福小区 {i // 12 + 1}栋{i % 3 + 1}单元{(i % 4 + 1) * 100 + i}室" if with_address else ""
        )
        for i in range(n)
    ]


def photo_bytes(fmt: str = "JPEG") -> bytes:
    image = QImage(300, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("#8fb3d9"))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#f1c27d"))
    painter.drawEllipse(QRectF(85, 70, 130, 160))
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, fmt)
    return bytes(buffer.data().data())


# --- reading the PDF back --------------------------------------------------------------------------


def page_sizes_mm(path: Path) -> list[tuple[float, float]]:
    reader = PdfReader(path)
    return [(float(p.mediabox.width) * MM_PER_PT, float(p.mediabox.height) * MM_PER_PT) for p in reader.pages]


def assert_pages(path: Path, count: int, size: tuple[float, float]) -> None:
    sizes = page_sizes_mm(path)
    assert len(sizes) == count
    for w, h in sizes:
        assert abs(w - size[0]) <= 0.5 and abs(h - size[1]) <= 0.5, (w, h, size)


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def embedded_fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def image_objects(path: Path) -> set[int]:
    """The image XObjects the pages use (object numbers): an image drawn many times is one object."""
    found: set[int] = set()
    for page in PdfReader(path).pages:
        xobjects = page.get("/Resources", {}).get_object().get("/XObject")
        for ref in (xobjects.get_object() if xobjects else {}).values():
            if ref.get_object().get("/Subtype") == "/Image":
                found.add(ref.idnum)
    return found


def rendered_pages(path: Path, tmp_path: Path, dpi: int = DPI) -> list[QImage]:
    prefix = tmp_path / f"{path.stem}-page"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(prefix)], check=True)
    files = sorted(tmp_path.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    images = [QImage(str(f)).convertToFormat(QImage.Format.Format_Grayscale8) for f in files]
    assert all(not image.isNull() for image in images)
    return images


def decode(image: QImage) -> list[zxingcpp.Barcode]:
    return list(zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))


def assert_codes(path: Path, tmp_path: Path, per_page: list[int], expected: str) -> None:
    """Every page has exactly its cards' QR codes, and every one decodes to ``expected``."""
    pages = rendered_pages(path, tmp_path)
    assert len(pages) == len(per_page)
    for number, (image, cards) in enumerate(zip(pages, per_page, strict=True), 1):
        codes = decode(image)
        assert len(codes) == cards, f"page {number}: {len(codes)} codes for {cards} cards"
        assert all(code.text == expected for code in codes), f"page {number}: {[c.text for c in codes]}"


def job(person: CardPerson, n: int, layout: Layout, with_address: bool = True) -> CardJob:
    return CardJob(person, targets(n, with_address), layout, with_address)


# --- the layouts -----------------------------------------------------------------------------------


def test_single_cards_one_a_page_with_names_addresses_fonts_and_codes(qapp: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "single.pdf"
    the_job = job(PERSON, 3, Layout.SINGLE)
    assert write_pdf(the_job, path) == 3
    assert_pages(path, 3, (CARD_W, CARD_H))
    text = flat(pdf_text(path))
    assert text.count("张伟") == 3 and text.count("便民联系卡") == 3
    assert "古城社区" in text and "网格员·古城社区第1网格" in text
    assert flat("138 1234 5678") in text and flat("识别码 1234 5674") in text
    for target in the_job.targets:
        assert flat(target.address) in text
    fonts = embedded_fonts(path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts  # the emb column
    assert any("WenQuanYi" in row[0] or "CJK" in row[0] or "Han" in row[0] for row in fonts), fonts
    metadata = PdfReader(path).metadata
    assert metadata is not None and metadata.title == "便民联系卡 – 张伟" and metadata.creator == "Gridworker"
    assert_codes(path, tmp_path, [1, 1, 1], vcard(PERSON))


@pytest.mark.parametrize("layout", [Layout.SINGLE, Layout.POSTER])
def test_without_the_servers_code_no_code_is_printed(qapp: QApplication, tmp_path: Path, layout: Layout) -> None:
    """A laptop that has no code from the server yet prints none (the code computed from the worker's
    id, printed before, was shared by other workers of the city)."""
    path = tmp_path / "nocode.pdf"
    write_pdf(CardJob(CardPerson(**{**PERSON.__dict__, "card_code": ""}), [CardTarget(None)], layout), path)
    text = flat(pdf_text(path))
    assert "识别码" not in text and "张伟" in text
    (code,) = decode(rendered_pages(path, tmp_path, dpi=100)[0])
    assert code.text == vcard(PERSON)


def test_a4_sheet_holds_ten_cards_and_the_last_page_the_rest(qapp: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "sheet.pdf"
    the_job = job(PERSON, 13, Layout.SHEET)
    assert write_pdf(the_job, path) == 13
    assert_pages(path, 2, A4)
    text = flat(pdf_text(path))
    assert text.count("张伟") == 13
    for target in the_job.targets:
        assert text.count(flat(target.address)) == 1
    assert_codes(path, tmp_path, [10, 3], vcard(PERSON))


def test_without_addresses_no_address_is_printed(qapp: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "sheet.pdf"
    the_job = CardJob(PERSON, targets(4), Layout.SHEET, with_address=False)
    write_pdf(the_job, path)
    text = flat(pdf_text(path))
    assert "地址" not in text and all(flat(t.address) not in text for t in the_job.targets)


def test_sheet_cards_are_centred_and_crop_marks_stay_off_the_cards(qapp: QApplication, tmp_path: Path) -> None:
    cards = card_rects_mm(Layout.SHEET, 10)
    assert cards[0].left() == pytest.approx((A4[0] - 2 * CARD_W) / 2)
    assert cards[0].top() == pytest.approx((A4[1] - 5 * CARD_H) / 2)
    assert cards[-1].right() == pytest.approx(A4[0] - cards[0].left())
    assert cards[-1].bottom() == pytest.approx(A4[1] - cards[0].top())
    for count in (10, 3, 1):
        placed = card_rects_mm(Layout.SHEET, count)
        marks = crop_marks_mm(placed)
        for a, b in marks:
            assert a.x() == b.x() or a.y() == b.y()  # straight
            line = QRectF(a, b).normalized().adjusted(-0.05, -0.05, 0.05, 0.05)
            assert not any(line.intersects(card) for card in placed)
            assert min(a.x(), b.x()) > 0 and max(a.x(), b.x()) < A4[0]
            assert min(a.y(), b.y()) > 0 and max(a.y(), b.y()) < A4[1]
        # every corner of every card is marked along both of its edges
        for card in placed:
            for x, y in ((card.left(), card.top()), (card.right(), card.top())):
                assert any(a.x() == b.x() == x for a, b in marks), (count, x)
                assert any(a.y() == b.y() == y for a, b in marks), (count, y)
    # a full sheet: three vertical cut lines marked top and bottom, six horizontal ones left and right
    assert len(crop_marks_mm(cards)) == 3 * 2 + 6 * 2

    # and they are printed where they should be: dark pixels on the mark, white beside it
    path = tmp_path / "marks.pdf"
    write_pdf(job(PERSON, 10, Layout.SHEET), path)
    page = rendered_pages(path, tmp_path)[0]

    def ink(x_mm: float, y_mm: float) -> int:
        """The darkest pixel within a pixel and a half of a point (a 0.1 mm line is under one pixel wide)."""
        x, y = x_mm / 25.4 * DPI, y_mm / 25.4 * DPI
        return max(
            255 - QColor(page.pixel(px, py)).red()
            for px in range(math.floor(x - 1.5), math.ceil(x + 1.5))
            for py in range(math.floor(y - 1.5), math.ceil(y + 1.5))
        )

    top = cards[0].top()
    for x in (cards[0].left(), cards[0].right(), cards[1].right()):
        assert ink(x, top - 4.5) > 100 and ink(x + 1.0, top - 4.5) < 20
    for y in (top, top + CARD_H, top + 5 * CARD_H):
        assert ink(cards[0].left() - 4.5, y) > 100 and ink(cards[0].left() - 4.5, y + 1.0) < 20


def test_a3_poster_has_a_qr_code_to_scan_from_two_metres(qapp: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "poster.pdf"
    the_job = job(PERSON, 2, Layout.POSTER)
    assert write_pdf(the_job, path) == 2
    assert_pages(path, 2, A3)
    text = flat(pdf_text(path))
    assert text.count("便民联系卡") == 2 and text.count("张伟") == 2 and flat("138 1234 5678") in text
    assert flat(PERSON.service_hours) in text and PERSON.line in text
    assert all(flat(t.address) in text for t in the_job.targets)
    pages = rendered_pages(path, tmp_path, dpi=100)
    for image in pages:
        (code,) = decode(image)
        assert code.text == vcard(PERSON)
        side_px = math.dist(
            (code.position.top_left.x, code.position.top_left.y), (code.position.top_right.x, code.position.top_right.y)
        )
        assert side_px / 100 * 25.4 >= 120


def test_a_grids_batch_gives_one_card_per_household(qapp: QApplication, grid: DemoCity, tmp_path: Path) -> None:
    units = {u.id: u for u in grid.org_units}
    worker = grid.workers[0]
    grid_unit = units[worker.grid_id]
    community = units[grid_unit.parent_id] if grid_unit.parent_id else grid_unit
    person = CardPerson(
        worker.id, worker.name, worker.phone, grid_unit.name, community.name, "周一至周五 8:30-17:30", ""
    )
    households = grid.households
    the_targets = [CardTarget(h.id, f"{h.compound} {h.building}栋{h.unit}单元{h.room}室") for h in households]
    path = tmp_path / "grid.pdf"
    assert write_pdf(CardJob(person, the_targets, Layout.SHEET, with_address=True), path) == len(households)
    pages = page_count(Layout.SHEET, len(households))
    assert_pages(path, pages, A4)
    text = flat(pdf_text(path))
    for target in the_targets:
        assert text.count(flat(target.address)) == 1, target.address
    per_page = [10] * (pages - 1) + [len(households) - 10 * (pages - 1)]
    assert_codes(path, tmp_path, per_page, vcard(person))


# --- the QR code's modules at the longest texts the app allows ------------------------------------

# the longest texts the app lets a worker put on a card: the name (validation.NAME_MAX_LENGTH), the
# phone and names as the server stores them (String(32), String(100)), the service hours and the line
# (households.MAX_SERVICE_HOURS, MAX_CARD_LINE)
LIMITS = CardPerson(
    worker_id=uuid.uuid4(),
    name="欧阳娜娜·阿卜杜热合曼·买买提江" + "艾" * (NAME_MAX_LENGTH - 17),
    phone="0" * 32,
    grid_name="网" * 100,
    community_name="社" * 100,
    service_hours="时" * MAX_SERVICE_HOURS,
    line="线" * MAX_CARD_LINE,
    card_code="12345674",
)


def qr_extra(code: zxingcpp.Barcode) -> dict[str, object]:
    extra = code.extra
    assert isinstance(extra, dict)
    return extra


@pytest.mark.parametrize(
    "person",
    [
        LIMITS,
        CardPerson(**{**PERSON.__dict__, "service_hours": "时" * MAX_SERVICE_HOURS, "line": "线" * MAX_CARD_LINE}),
        CardPerson(**{**LIMITS.__dict__, "name": "张伟", "phone": "13812345678"}),
        LONG,
    ],
    ids=["everything-longest", "longest-hours-and-line", "longest-names", "long"],
)
@pytest.mark.parametrize("layout", [Layout.SINGLE, Layout.SHEET])
def test_the_qr_module_is_045_mm_or_more_at_the_longest_texts(
    qapp: QApplication, tmp_path: Path, person: CardPerson, layout: Layout
) -> None:
    """A phone reads a printed QR code whose modules are 0.45 mm or more: measured on the page, at 600
    dpi, from the corners zxing finds and the symbol's version; and the code decodes to the vCard."""
    path = tmp_path / "limits.pdf"
    write_pdf(CardJob(person, [CardTarget(None)], layout), path)
    dpi = 600
    (code,) = decode(rendered_pages(path, tmp_path, dpi=dpi)[0])
    assert code.text == vcard(person)
    version = int(str(qr_extra(code)["Version"]))
    pos = code.position
    side_px = math.dist((pos.top_left.x, pos.top_left.y), (pos.top_right.x, pos.top_right.y))
    module_mm = side_px / dpi * 25.4 / (17 + 4 * version)  # taken as the outer edges: the lower bound
    assert module_mm >= 0.45, (version, module_mm)


# --- text that does not fit ------------------------------------------------------------------------


def words(path: Path) -> list[tuple[str, QRectF]]:
    """(text, box in mm) of every word pdftotext finds on the first page."""
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    out = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html):
        x0, y0, x1, y1 = (float(v) * MM_PER_PT for v in m.groups()[:4])
        out.append((m.group(5), QRectF(x0, y0, x1 - x0, y1 - y0)))
    return out


@pytest.mark.parametrize("layout", [Layout.SINGLE, Layout.POSTER])
@pytest.mark.parametrize("photo", [False, True])
def test_long_texts_are_fitted_never_clipped(qapp: QApplication, tmp_path: Path, layout: Layout, photo: bool) -> None:
    """The name is always printed whole (shrunk, then on two lines); other long values are shrunk and
    then elided with '…'; no text runs off the card or into the QR code."""
    person = CardPerson(**{**LONG.__dict__, "photo": photo_bytes() if photo else None})
    the_job = CardJob(
        person,
        [CardTarget(uuid.uuid4(), "和平里小区 12栋3单元1502室（东侧楼梯上楼，门口有绿色信箱的那一户人家，请勿投错）")],
        layout,
        True,
    )
    path = tmp_path / "long.pdf"
    write_pdf(the_job, path)
    text = flat(pdf_text(path))
    assert LONG.name in text  # whole, perhaps over two lines
    if layout is Layout.SINGLE:
        assert "…" in text  # the longest values were elided rather than cut off
    page_w, page_h = (CARD_W, CARD_H) if layout is Layout.SINGLE else A3
    margin = 1.0 if layout is Layout.SINGLE else 5.0
    (code,) = decode(rendered_pages(path, tmp_path)[0])
    assert code.text == vcard(person)
    pos = code.position
    qr = QRectF(pos.top_left.x / DPI * 25.4, pos.top_left.y / DPI * 25.4, 0, 0)
    qr.setBottomRight(QRectF(pos.bottom_right.x / DPI * 25.4, pos.bottom_right.y / DPI * 25.4, 0, 0).topLeft())
    found = words(path)
    assert found
    for word, box in found:
        assert box.left() >= margin and box.right() <= page_w - margin, (word, box)
        assert box.top() >= margin and box.bottom() <= page_h - margin, (word, box)
        assert not box.adjusted(0.2, 0.2, -0.2, -0.2).intersects(qr), (word, box, qr)
    assert len(image_objects(path)) == (1 if photo else 0)


def test_a_photo_is_embedded_once_for_all_the_cards(qapp: QApplication, tmp_path: Path) -> None:
    person = CardPerson(**{**PERSON.__dict__, "photo": photo_bytes("PNG")})
    path = tmp_path / "photos.pdf"
    write_pdf(CardJob(person, targets(12), Layout.SHEET, True), path)
    # prepared once for the job (cropped, scaled to the box at 300 dpi), written once, drawn on every card
    assert len(image_objects(path)) == 1
    assert path.stat().st_size < 300_000
    assert_codes(path, tmp_path, [10, 2], vcard(person))


def test_a_photo_that_is_not_an_image_is_left_out(qapp: QApplication, tmp_path: Path) -> None:
    person = CardPerson(**{**PERSON.__dict__, "photo": b"not an image at all"})
    path = tmp_path / "nophoto.pdf"
    assert write_pdf(CardJob(person, targets(1), Layout.SINGLE, True), path) == 1
    assert not image_objects(path)
    assert_codes(path, tmp_path, [1], vcard(person))


# --- cancel, failure, fonts ------------------------------------------------------------------------


def cancel_after(k: int) -> tuple[Callable[[int, int], bool], list[tuple[int, int]]]:
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < k

    return progress, calls


@pytest.mark.parametrize("layout", list(Layout))
def test_cancel_after_k_cards_leaves_no_file(qapp: QApplication, tmp_path: Path, layout: Layout) -> None:
    path = tmp_path / "cancelled.pdf"
    progress, calls = cancel_after(7)
    assert write_pdf(job(PERSON, 30, layout), path, progress) == 7
    assert calls == [(i, 30) for i in range(8)]  # before the first card, then after each
    assert list(tmp_path.iterdir()) == []  # no file, no temporary file


def test_cancel_keeps_an_older_file_untouched(qapp: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "cards.pdf"
    path.write_bytes(b"the old file")
    progress, _ = cancel_after(3)
    write_pdf(job(PERSON, 12, Layout.SHEET), path, progress)
    assert path.read_bytes() == b"the old file"
    assert list(tmp_path.iterdir()) == [path]


def test_a_failure_while_painting_leaves_no_file(qapp: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "failed.pdf"

    def progress(done: int, total: int) -> bool:
        if done == 4:
            raise RuntimeError("the disk went away")
        return True

    with pytest.raises(RuntimeError):
        write_pdf(job(PERSON, 12, Layout.SHEET), path, progress)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_a_clear_error(qapp: QApplication, tmp_path: Path) -> None:
    with pytest.raises(OSError, match="cannot write"):
        write_pdf(job(PERSON, 1, Layout.SINGLE), tmp_path / "missing" / "cards.pdf")


def test_no_cjk_font_is_said_before_anything_is_painted(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_module, "cjk_font_family", lambda: None)
    path = tmp_path / "boxes.pdf"
    with pytest.raises(NoCjkFontError, match="fonts-wqy-microhei"):
        write_pdf(job(PERSON, 2, Layout.SINGLE), path)
    assert list(tmp_path.iterdir()) == []
    writer = QPdfWriter(str(tmp_path / "direct.pdf"))
    with pytest.raises(NoCjkFontError):
        render(job(PERSON, 2, Layout.SINGLE), writer)
    del writer
    assert not (tmp_path / "direct.pdf").exists()  # the writer was never painted on


def test_the_preferred_cjk_font_is_found(qapp: QApplication) -> None:
    family = render_module.cjk_font_family()
    assert family is not None
    assert family in PREFERRED_CJK  # this machine has WenQuanYi Micro Hei (make test installs it)


def test_a_job_needs_a_target(qapp: QApplication, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one"):
        write_pdf(CardJob(PERSON, [], Layout.SINGLE), tmp_path / "empty.pdf")
    assert list(tmp_path.iterdir()) == []


# --- the printer path ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "cards", "pages", "size"), [(Layout.SHEET, 13, 2, A4), (Layout.SINGLE, 2, 2, (CARD_W, CARD_H))]
)
def test_a_qprinter_in_pdf_mode_prints_the_same_pages(
    qapp: QApplication, tmp_path: Path, layout: Layout, cards: int, pages: int, size: tuple[float, float]
) -> None:
    path = tmp_path / "printer.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    assert render(job(PERSON, cards, layout), printer) == cards
    assert_pages(path, pages, size)
    per_page = [min(layout.cards_per_page, cards - i * layout.cards_per_page) for i in range(pages)]
    assert_codes(path, tmp_path, per_page, vcard(PERSON))
    assert flat(pdf_text(path)).count("张伟") == cards

"""The policy guide screen and the visit form's article picker, offscreen, over a real database with the
34 test articles (tests.unit.test_guide_search): search as you type with highlights, opening marks
read, categories, what's new after a sync, handouts through the real PDF path, Markdown safety."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from gridworker.guide.handout import MARGINS_MM, SAFE_SCHEMES, article_document, markdown_document, write_handout_pdf
from gridworker.guide.search import ArticleView, Hit
from gridworker.guide.store import remove_articles, upsert_articles
from gridworker.ui.article_picker import ArticlePicker, PickerModel, PickRow
from gridworker.ui.context import AppContext
from gridworker.ui.guide_page import GuidePage
from gridworker.ui.guide_results import HTML_ROLE, GuideResultsModel, mark_text
from gridworker.ui.models import RECORD_ROLE
from tests.helpers.gui import search_and_wait, wait_idle
from tests.unit.test_guide_search import ARTICLES, article_id, article_row, guide_articles

CONTACT = "网格员 张三 · 138 0000 0000 · 古城社区第1网格"
UNSAFE_BODY = (
    "## 安全测试\n\n正文开头。<img src=x onerror=alert(1)> 中间 <script>alert('x')</script> 结尾。\n\n"
    '<a href="javascript:alert(1)">原始链接</a>\n\n'
    "[点我](javascript:alert(2)) [本地文件](file:///etc/passwd) [相对](other.html) [官网](https://www.gov.cn)"
    " [打电话](tel:12345)\n\n![图片说明](file:///etc/passwd)\n\n<div onclick=x>块</div>\n"
)


def upsert(ctx: AppContext, rows: list[dict[str, object]]) -> int:
    with ctx.db.engine.begin() as conn:
        return upsert_articles(conn, rows)  # type: ignore[arg-type]


@pytest.fixture
def guide_ctx(ctx: AppContext) -> AppContext:
    assert upsert(ctx, guide_articles()) == len(ARTICLES)  # type: ignore[arg-type]
    return ctx


@pytest.fixture
def page(qtbot: QtBot, guide_ctx: AppContext) -> Iterator[GuidePage]:
    widget = GuidePage(guide_ctx, contact_line=lambda: CONTACT)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    with qtbot.waitSignal(widget.searched, timeout=10000):
        widget.show()  # the first show reads the whole guide
    wait_idle(qtbot, guide_ctx)
    yield widget
    wait_idle(qtbot, guide_ctx)


def hits(page: GuidePage) -> list[Hit]:
    return [page.model.record(r) for r in range(page.model.rowCount())]


def search_for(qtbot: QtBot, page: GuidePage, text: str) -> list[Hit]:
    search_and_wait(qtbot, page, page.search, text)
    wait_idle(qtbot, page.ctx)
    return hits(page)


def open_row(qtbot: QtBot, page: GuidePage, row: int) -> None:
    """The user picks a row: a click on it."""
    index = page.model.index(row, 0)
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=page.view.visualRect(index).center())
    wanted = page.model.record(row).id

    def shown() -> bool:
        article = page.shown_article()
        return article is not None and article.id == wanted

    qtbot.waitUntil(shown, timeout=10000)
    wait_idle(qtbot, page.ctx)


def read_version(ctx: AppContext, aid: uuid.UUID) -> int:
    row = ctx.reader.connection().execute("SELECT read_version FROM article WHERE id = ?", (aid.hex,)).fetchone()
    return int(row[0])


def pdf_pages_text(path: Path) -> list[str]:
    pages = len(PdfReader(path).pages)
    out = []
    for n in range(1, pages + 1):
        done = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        out.append(done.stdout)
    return out


# --- search as you type -------------------------------------------------------------------------------


def test_typing_finds_and_highlights(qtbot: QtBot, page: GuidePage) -> None:
    assert page.model.rowCount() == len(ARTICLES)
    found = search_for(qtbot, page, "低保")
    assert found[0].title == "低保申请流程"
    assert page.model.index(0, 0).data(HTML_ROLE).count("<b>低保</b>") >= 2  # title and snippet
    assert {"特困人员救助供养", "医疗救助政策解读"} <= {h.title for h in found}
    assert page.count_label.text() == page.tr("%n article(s)", "", len(found))
    # the first result is shown, not opened: it stays new
    qtbot.waitUntil(lambda: "户籍在本市" in page.viewer.toPlainText(), timeout=10000)
    assert read_version(page.ctx, found[0].id) == 0 and page.model.record(0).is_new

    assert [h.title for h in search_for(qtbot, page, "dbsq")] == ["低保申请流程"]
    assert search_for(qtbot, page, "App 注册")[0].title == "“粤省事”App注册与实名认证"
    assert search_for(qtbot, page, "量子力学") == []
    assert "No article matches" in page.count_label.text()
    # FTS syntax is text, never an error: "near" and 医保 are searched as words, and no article has both
    assert search_for(qtbot, page, 'NEAR("医保" -') == []
    assert "No article matches" in page.count_label.text()


def test_stale_answers_are_dropped(qtbot: QtBot, page: GuidePage) -> None:
    shown: list[int] = []
    page.searched.connect(shown.append)
    page.search.setText("医")
    page.search.setText("医保")
    last = page.generation
    qtbot.waitUntil(lambda: last in shown, timeout=10000)
    wait_idle(qtbot, page.ctx)
    assert shown == [last]  # the answer to 医 was never shown
    assert all("医保" in (h.title + h.snippet_html.replace("<b>", "").replace("</b>", "")) for h in hits(page))


def test_opening_shows_the_article_and_marks_it_read(qtbot: QtBot, page: GuidePage) -> None:
    before = page.new_count()
    assert before == len(ARTICLES)
    search_for(qtbot, page, "紧急求助")
    assert hits(page)[0].title == "紧急求助电话一览"
    aid = hits(page)[0].id
    with qtbot.waitSignal(page.article_read, timeout=10000):
        qtbot.mouseClick(
            page.view.viewport(), Qt.MouseButton.LeftButton, pos=page.view.visualRect(page.model.index(0, 0)).center()
        )
    wait_idle(qtbot, page.ctx)
    text = page.viewer.toPlainText()
    for expected in ("紧急求助电话一览", "报警：110", "遇到紧急情况", "2026-01-01", "122"):
        assert expected in text
    assert read_version(page.ctx, aid) == 1
    assert not hits(page)[0].is_new
    assert "[" not in page.model.index(0, 0).data(Qt.ItemDataRole.DisplayRole)  # no marker
    qtbot.waitUntil(lambda: page.new_count() == before - 1, timeout=10000)
    assert str(before - 1) in page.whats_new.text()


def test_category_filter(qtbot: QtBot, page: GuidePage) -> None:
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.category.setCurrentIndex(page.category.findData("phone"))
    phones = hits(page)
    assert phones and {h.category for h in phones} == {"phone"}
    assert len(phones) == sum(1 for a in ARTICLES if a[0] == "phone")
    found = search_for(qtbot, page, "12345")
    assert found and {h.category for h in found} == {"phone"}
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.category.setCurrentIndex(0)
    assert len(hits(page)) > len(found)


def test_whats_new_after_a_sync(qtbot: QtBot, page: GuidePage) -> None:
    ctx = page.ctx
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.whats_new.setChecked(True)
    assert len(hits(page)) == len(ARTICLES) == page.new_count()
    for _ in range(3):
        open_row(qtbot, page, page.view.currentIndex().row() + 1)
    qtbot.waitUntil(lambda: page.new_count() == len(ARTICLES) - 3, timeout=10000)
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.whats_new.setChecked(False)
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.whats_new.setChecked(True)
    assert len(hits(page)) == len(ARTICLES) - 3

    # a sync brings a new version of an article the user had read, and a new article
    opened = next(a for a in ARTICLES if read_version(ctx, article_id(a[1])) == 1)
    category, slug, title, summary, body, phones = opened
    upsert(ctx, [article_row(category, slug, title, summary, body + "\n\n新增内容。", phones, version=2)])
    upsert(ctx, [article_row("tip", "new-tip", "冬季取暖安全", "", "使用电暖器注意安全。", [])])
    with qtbot.waitSignal(page.articles_changed, timeout=10000):
        ctx.events.data_changed.emit()
    wait_idle(qtbot, ctx)
    assert page.new_count() == len(ARTICLES) - 3 + 2
    assert str(page.new_count()) in page.whats_new.text()
    now = {h.slug: h for h in hits(page)}
    assert now[slug].is_updated and now[slug].version == 2
    assert now["new-tip"].is_new and not now["new-tip"].is_updated
    shown = page.model.index(page.model.row_of(article_id(slug)), 0).data(Qt.ItemDataRole.DisplayRole)
    assert shown == f"{title} [{mark_text(now[slug])}]" and mark_text(now[slug]) != mark_text(now["new-tip"])


def test_handout_pdf_through_the_save_dialog(
    qtbot: QtBot, page: GuidePage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paragraph = (
        "申请人需要携带本人身份证、户口簿到社区服务中心窗口办理，也可以在“粤省事”App 上提交材料，"
        "审核通过后按月发放到社保卡账户。"
    )
    points = "- 要点一：材料齐全当场受理\n- 要点二：不齐全一次性告知"
    long_body = "\n\n".join(f"## 第{i}部分\n\n{paragraph * 4}\n\n{points}" for i in range(1, 13))
    upsert(page.ctx, [article_row("policy", "long-article", "很长的政策解读", "一页放不下。", long_body, ["12345"])])
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.refresh()
    selection = page.view.selectionModel()
    selection.clearSelection()
    wanted = {"低保申请流程", "很长的政策解读", "紧急求助电话一览"}
    for row in range(page.model.rowCount()):
        if page.model.record(row).title in wanted:
            selection.select(page.model.index(row, 0), selection.SelectionFlag.Select)
    assert len(page.selected_ids()) == 3 and page.pdf_action.isEnabled()
    assert "(3)" in page.print_button.text()
    target = tmp_path / "out" / "handout.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    with qtbot.waitSignal(page.handout_saved, timeout=20000) as saved:
        page.pdf_action.trigger()
    path, pages = saved.args
    assert Path(path) == target and target.exists()
    assert [p.name for p in target.parent.iterdir()] == ["handout.pdf"]  # no temporary file left
    reader = PdfReader(target)
    assert pages == len(reader.pages) >= 4  # the long article alone takes more than one page
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1  # A4 in points
    texts = pdf_pages_text(target)
    for n, text in enumerate(texts, 1):
        flat = " ".join(text.split())
        assert " ".join(CONTACT.split()) in flat, f"page {n}"
        assert f"Page {n} of {pages}" in flat
    everything = "".join("".join(t.split()) for t in texts)
    for title in wanted:
        assert title in everything
    assert "第12部分" in everything and everything.count("申请人需要携带本人身份证、户口簿") == 12 * 4
    assert [everything.count(f"第{i}部分") for i in range(1, 13)] == [1] * 12
    # every word inside the margins: no line of one page hides (clipped) on another, where a search or
    # a copy would find it
    boxes = subprocess.run(["pdftotext", "-bbox", str(target), "-"], capture_output=True, text=True, check=True)
    words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">', boxes.stdout)
    top, bottom = MARGINS_MM.top() * 72 / 25.4, 841.89 - MARGINS_MM.bottom() * 72 / 25.4
    assert words and all(float(y0) >= top - 1 and float(y1) <= bottom + 1 for y0, y1 in words)
    starts = [n for n, t in enumerate(texts) if "".join(t.split()).startswith(tuple(wanted))]
    assert len(starts) == 3  # each article starts at the top of a page


def test_handout_without_selection_does_nothing(qtbot: QtBot, page: GuidePage, tmp_path: Path) -> None:
    page.view.clearSelection()
    assert not page.pdf_action.isEnabled()
    page.save_handout_pdf(str(tmp_path / "none.pdf"))
    wait_idle(qtbot, page.ctx)
    assert not (tmp_path / "none.pdf").exists()


def test_handout_error_is_reported(
    qtbot: QtBot, page: GuidePage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    page.view.setCurrentIndex(page.model.index(0, 0))
    missing = tmp_path / "no-such-folder" / "x.pdf"
    with qtbot.waitSignal(page.handout_failed, timeout=10000):
        page.save_handout_pdf(str(missing))
    assert warned and not missing.exists()


# --- Markdown safety --------------------------------------------------------------------------------


def assert_safe(doc: QTextDocument) -> None:
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            assert not fmt.isImageFormat(), "an image survived"
            if fmt.isAnchor():
                assert QUrl(fmt.anchorHref()).scheme() in SAFE_SCHEMES, fmt.anchorHref()
            it += 1
        block = block.next()
    html = doc.toHtml()
    assert "<img" not in html and "<script" not in html and '<a href="javascript' not in html


def test_markdown_is_rendered_safely(qtbot: QtBot, page: GuidePage, tmp_path: Path) -> None:
    upsert(page.ctx, [article_row("tip", "unsafe", "安全测试文章", "", UNSAFE_BODY, [])])
    found = search_for(qtbot, page, "安全测试文章")
    assert found[0].slug == "unsafe"
    open_row(qtbot, page, 0)
    text = page.viewer.toPlainText()
    # raw HTML is shown as the text it is, never as markup
    assert "<img src=x onerror=alert(1)>" in text and "<script>alert('x')</script>" in text
    assert '<a href="javascript:alert(1)">原始链接</a>' in text and "<div onclick=x>块</div>" in text
    assert "点我" in text and "官网" in text and "图片说明" in text  # link texts and the image's alt text stay
    doc = page.viewer.document()
    assert_safe(doc)
    hrefs = set()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().charFormat().isAnchor():
                hrefs.add(it.fragment().charFormat().anchorHref())
            it += 1
        block = block.next()
    assert hrefs == {"https://www.gov.cn", "tel:12345"}

    # the same on paper
    view = ArticleView(
        found[0].id,
        "unsafe",
        "tip",
        "安全测试文章",
        "",
        UNSAFE_BODY,
        (),
        dt.date(2026, 1, 1),
        None,
        1,
        dt.datetime(2026, 1, 1),
        dt.datetime(2026, 1, 2),
        0,
    )
    assert_safe(article_document(view, QFont()))
    pdf = tmp_path / "unsafe.pdf"
    assert write_handout_pdf([view], CONTACT, pdf) == 1
    flat = "".join(pdf_pages_text(pdf)[0].split())
    assert "<script>alert('x')</script>" in flat and "<imgsrc=xonerror=alert(1)>" in flat


def test_markdown_document_keeps_structure() -> None:
    doc = markdown_document("## 标题\n\n- 一\n- 二\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n**粗体** [链接](https://a.cn)")
    text = doc.toPlainText()
    assert "标题" in text and "一" in text and "粗体" in text and "链接" in text
    assert_safe(doc)


# --- models --------------------------------------------------------------------------------------


def test_results_model_without_a_window(qtmodeltester: ModelTester, page: GuidePage) -> None:
    model = GuideResultsModel()
    rows = hits(page)[:5]
    model.set_rows(rows)
    qtmodeltester.check(model, force_py=True)
    index = model.index(0, 0)
    assert model.data(index, RECORD_ROLE) is rows[0]
    assert rows[0].title in model.data(index)
    assert rows[0].title_html in model.data(index, HTML_ROLE)
    model.set_read(rows[0].id, rows[0].version)
    assert not model.record(0).is_new
    assert model.data(QModelIndex()) is None


def test_picker_model_without_a_window(qtmodeltester: ModelTester) -> None:
    model = PickerModel()
    rows = [PickRow(uuid.uuid4(), f"文章{i}", i + 1, "tip") for i in range(4)]
    model.set_found(rows, {r.id for r in rows})
    qtmodeltester.check(model, force_py=True)
    cell = model.index(2, PickerModel.COL_HANDED_OUT)
    assert model.data(cell, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.setData(cell, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert model.selection() == [{"id": rows[2].id, "version": 3, "action": "handed_out", "title": "文章2"}]
    assert model.record(0).id == rows[0].id  # the list stays put while the user ticks
    model.set_found(rows[1:], {r.id for r in rows})
    assert [model.record(r).id for r in range(model.rowCount())] == [rows[2].id, rows[1].id, rows[3].id]
    assert not model.setData(
        model.index(0, PickerModel.COL_TITLE), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )


# --- the visit form's picker ----------------------------------------------------------------------


@pytest.fixture
def picker(qtbot: QtBot, guide_ctx: AppContext) -> ArticlePicker:
    widget = ArticlePicker(guide_ctx)
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.rowCount() == len(ARTICLES), timeout=10000)
    wait_idle(qtbot, guide_ctx)
    return widget


def picker_search(qtbot: QtBot, picker: ArticlePicker, text: str) -> None:
    search_and_wait(qtbot, picker, picker.search, text)


def check(qtbot: QtBot, picker: ArticlePicker, title: str, column: int) -> None:
    model = picker.model
    row = next(r for r in range(model.rowCount()) if model.record(r).title == title)
    with qtbot.waitSignal(picker.changed, timeout=5000):
        assert model.setData(model.index(row, column), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)


def test_article_picker_selection_round_trip(qtbot: QtBot, picker: ArticlePicker, guide_ctx: AppContext) -> None:
    picker_search(qtbot, picker, "低保")
    check(qtbot, picker, "低保申请流程", PickerModel.COL_EXPLAINED)
    check(qtbot, picker, "低保申请流程", PickerModel.COL_HANDED_OUT)
    picker_search(qtbot, picker, "yb")
    check(qtbot, picker, "城乡居民医保缴费指南", PickerModel.COL_EXPLAINED)
    # the keyboard ticks as well: Space on the cell
    picker_search(qtbot, picker, "12345")
    model = picker.model
    row = next(r for r in range(model.rowCount()) if model.record(r).title == "12345政务服务便民热线")
    picker.view.setFocus()
    picker.view.setCurrentIndex(model.index(row, PickerModel.COL_HANDED_OUT))
    with qtbot.waitSignal(picker.changed, timeout=5000):
        qtbot.keyClick(picker.view, Qt.Key.Key_Space)

    chosen = picker.selection()
    dibao, yb, hotline = (
        article_id("minimum-subsistence-application"),
        article_id("urban-rural-medical-insurance"),
        article_id("hotline-12345"),
    )
    assert chosen == [
        {"id": dibao, "version": 1, "action": "explained", "title": "低保申请流程"},
        {"id": dibao, "version": 1, "action": "handed_out", "title": "低保申请流程"},
        {"id": yb, "version": 1, "action": "explained", "title": "城乡居民医保缴费指南"},
        {"id": hotline, "version": 1, "action": "handed_out", "title": "12345政务服务便民热线"},
    ]
    assert picker.summary.text() == "Explained: 2 · Handed out: 2"
    # the checked articles stay on top whatever is searched
    picker_search(qtbot, picker, "垃圾")
    top = [picker.model.record(r).title for r in range(3)]
    assert top == ["低保申请流程", "城乡居民医保缴费指南", "12345政务服务便民热线"]
    assert picker.model.record(3).title == "垃圾分类小常识"

    # a draft restored in another form, with ids as the draft's JSON keeps them
    other = ArticlePicker(guide_ctx)
    qtbot.addWidget(other)
    changes: list[object] = []
    other.changed.connect(lambda: changes.append(1))
    other.set_selection([dict(c, id=str(c["id"])) for c in chosen])
    assert other.selection() == chosen and changes == []
    qtbot.waitUntil(lambda: other.model.rowCount() == len(ARTICLES), timeout=10000)
    wait_idle(qtbot, guide_ctx)
    assert [other.model.record(r).title for r in range(3)] == top
    assert not any(other.model.record(r).withdrawn for r in range(other.model.rowCount()))

    # the hotline article is withdrawn: the visit keeps its choice and title
    with guide_ctx.db.engine.begin() as conn:
        remove_articles(conn, [hotline])
    with qtbot.waitSignal(other.searched, timeout=10000):
        guide_ctx.events.data_changed.emit()
    wait_idle(qtbot, guide_ctx)
    withdrawn = next(
        other.model.record(r) for r in range(other.model.rowCount()) if other.model.record(r).id == hotline
    )
    assert withdrawn.withdrawn
    label = other.model.index(2, PickerModel.COL_TITLE).data()
    assert label.startswith("12345政务服务便民热线") and label != "12345政务服务便民热线"
    assert other.selection() == chosen


def test_page_and_picker_import_no_write_side() -> None:
    """The screen loads with the app; the write side loads on the writer thread."""
    from tests.unit.test_layers import loaded_after

    modules = loaded_after("import gridworker.ui.guide_page, gridworker.ui.article_picker")
    assert {"sqlalchemy", "alembic", "pypinyin"} & modules == set()


def test_print_goes_through_the_preview(qtbot: QtBot, page: GuidePage) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    pages: list[int] = []
    zoom: list[object] = []

    def look_and_close(dialog: object) -> None:
        def close() -> None:
            preview = dialog.findChild(QPrintPreviewWidget)  # type: ignore[attr-defined]
            preview.updatePreview()
            pages.append(preview.pageCount())
            zoom.append(preview.zoomMode())
            dialog.reject()  # type: ignore[attr-defined]

        QTimer.singleShot(0, close)

    page.preview_opened.connect(look_and_close)
    page.view.setCurrentIndex(page.model.index(0, 0))
    with qtbot.waitSignal(page.preview_opened, timeout=10000):
        page.print_action.trigger()
    qtbot.waitUntil(lambda: page.preview_dialog is None, timeout=10000)
    assert pages and pages[0] >= 1
    assert zoom == [QPrintPreviewWidget.ZoomMode.FitToWidth]  # opened to be read, not at 38 %

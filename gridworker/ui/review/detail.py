"""The visit beside the queue: the household and its members (who was seen marked), the notes, the
requests recorded at the visit, the policies explained, the flags each with its sentence, for a
correction what it changed field by field, and the visit's activity."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTextBrowser, QWidget

from gridworker.store.review_reads import Activity, VisitDetail, VisitFacts
from gridworker.ui import labels as common
from gridworker.ui.review import labels
from gridworker_shared.domain.masking import mask_phone
from gridworker_shared.domain.review import StreetSettings


def _tr(text: str) -> str:
    return QCoreApplication.translate("review", text)


def _section(title: str) -> str:
    return f"<h3 style='margin-top:10px; margin-bottom:2px'>{escape(title)}</h3>"


def _requests_text(facts: VisitFacts) -> str:
    return "；".join(
        f"{common.category(r.category)}（{common.urgency(r.urgency)}，{common.status(r.status)}）{r.description}"
        for r in facts.requests
    )


def diff_rows(old: VisitFacts, new: VisitFacts) -> list[tuple[str, str, str]]:
    """(field, before, after) for each part of the visit form the correction changed."""
    pairs = {
        "visited_at": (common.local_datetime(old.visited_at), common.local_datetime(new.visited_at)),
        "outcome": (common.outcome(old.outcome), common.outcome(new.outcome)),
        "seen": ("、".join(old.seen), "、".join(new.seen)),
        "notes": (old.notes, new.notes),
        "requests": (_requests_text(old), _requests_text(new)),
        "articles": ("、".join(old.articles), "、".join(new.articles)),
    }
    return [(labels.pin(code), a, b) for code, (a, b) in pairs.items() if a != b]


def _activity_line(a: Activity) -> str:
    parts = [
        f"<b>{escape(common.local_datetime(a.at))}</b>",
        escape(a.actor or QCoreApplication.translate("review", "Reviewer")),
        escape(labels.action(a.action)),
    ]
    if a.reason:
        parts.append(escape(labels.reason(a.reason)))
    text = " · ".join(parts)
    if a.comment:
        text += f"：{escape(a.comment)}"
    if a.pins:
        text += (
            "<br/>"
            + escape(QCoreApplication.translate("review", "Fields to correct:"))
            + " "
            + escape("、".join(labels.pin(p) for p in a.pins))
        )
    if not a.effective:
        text += (
            " <i>("
            + escape(QCoreApplication.translate("review", "changed nothing: the visit had been corrected meanwhile"))
            + ")</i>"
        )
    return text


def detail_html(d: VisitDetail, settings: StreetSettings) -> str:
    r, f = d.row, d.facts
    out = [f"<h2 style='margin:0'>{escape(common.long_address(r.compound, r.building, r.unit, r.room))}</h2>"]
    head = " · ".join(p for p in (d.head, mask_phone(d.phone)) if p)
    head_label = QCoreApplication.translate("review", "Head of household")
    out.append(f"<p style='margin:2px 0'>{escape(head_label)}：{escape(head)}</p>")
    state = labels.state(r.state, r.pending_action)
    took = (
        QCoreApplication.translate("review", "form open %1 s").replace("%1", str(f.form_seconds))
        if f.form_seconds is not None
        else ""
    )
    line = " · ".join(p for p in (common.local_datetime(f.visited_at), r.worker, common.outcome(f.outcome), took) if p)
    out.append(f"<p style='margin:2px 0'>{escape(line)} · <b>{escape(state)}</b></p>")
    if r.flags:
        out.append(_section(QCoreApplication.translate("review", "Flags")))
        out.extend(
            f"<p style='margin:2px 0; color:#b3261e'><b>{escape(labels.flag(c))}</b>："
            f"{escape(labels.flag_sentence(c, settings))}</p>"
            for c in r.flags
        )
    out.append(_section(QCoreApplication.translate("review", "Members")))
    seen_mark, not_seen = QCoreApplication.translate("review", "seen"), QCoreApplication.translate("review", "not seen")
    members = [
        f"<tr><td>{escape(m.name)}</td><td>{escape(common.relation(m.relation))}</td>"
        f"<td style='white-space:nowrap'>{escape(mask_phone(m.phone))}</td>"
        f"<td>{'<b>✓ ' + escape(seen_mark) + '</b>' if m.seen else escape(not_seen)}</td></tr>"
        for m in d.members
    ]
    out.append("<table cellspacing='0' cellpadding='2'>" + "".join(members) + "</table>")
    out.append(_section(QCoreApplication.translate("review", "Notes")))
    out.append(f"<p style='margin:2px 0'>{escape(f.notes) or '—'}</p>")
    if f.requests:
        out.append(_section(QCoreApplication.translate("review", "Requests")))
        out.extend(f"<p style='margin:2px 0'>{escape(t)}</p>" for t in _requests_text(f).split("；"))
    if f.articles:
        out.append(_section(QCoreApplication.translate("review", "Policies explained")))
        out.append(f"<p style='margin:2px 0'>{escape('、'.join(f.articles))}</p>")
    if d.amends is not None:
        out.append(_section(QCoreApplication.translate("review", "What this correction changed")))
        rows = diff_rows(d.amends, f)
        field = QCoreApplication.translate("review", "Field")
        before = QCoreApplication.translate("review", "Before")
        after = QCoreApplication.translate("review", "After")
        if rows:
            out.append(
                "<table cellspacing='0' cellpadding='3' border='1' style='border-collapse:collapse'><tr>"
                f"<th>{escape(field)}</th><th>{escape(before)}</th><th>{escape(after)}</th></tr>"
                + "".join(
                    f"<tr><td>{escape(k)}</td><td style='color:#b3261e'><s>{escape(a) or '—'}</s></td>"
                    f"<td style='color:#1b6e2a'>{escape(b) or '—'}</td></tr>"
                    for k, a, b in rows
                )
                + "</table>"
            )
        else:
            same = QCoreApplication.translate("review", "Nothing the form shows was changed.")
            out.append(f"<p>{escape(same)}</p>")
    out.append(_section(QCoreApplication.translate("review", "Activity")))
    if d.activity:
        out.extend(f"<p style='margin:2px 0'>{_activity_line(a)}</p>" for a in d.activity)
    else:
        none = QCoreApplication.translate("review", "No review yet.")
        out.append(f"<p style='margin:2px 0'>{escape(none)}</p>")
    if r.pending_action:
        out.append(f"<p style='margin:2px 0; color:#8a5a00'>{escape(labels.state(r.state, r.pending_action))}</p>")
    return "".join(out)


class DetailPane(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_detail")
        self.setOpenLinks(False)
        self.detail: VisitDetail | None = None
        self.show_empty()

    def show_empty(self) -> None:
        self.detail = None
        text = QCoreApplication.translate("review", "Choose a visit to see it in full.")
        self.setHtml(f"<p>{escape(text)}</p>")

    def show_detail(self, detail: VisitDetail, settings: StreetSettings) -> None:
        self.detail = detail
        self.setHtml(detail_html(detail, settings))

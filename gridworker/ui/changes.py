"""What one outbox change says in the user's words: what was sent ("电话 138… → 139…", "走访 已见面"),
what the server kept of a field changed on both sides (both values), and what the worker can do."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from gridworker.store.rows import OutboxRow
from gridworker.ui import labels
from gridworker.ui.i18n import server_message
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.masking import mask_id_number, mask_phone

FIELDS = {
    "phone": QT_TRANSLATE_NOOP("changes", "Phone"),
    "notes": QT_TRANSLATE_NOOP("changes", "Notes"),
    "tags": QT_TRANSLATE_NOOP("changes", "Care tags"),
    "visit_interval_days": QT_TRANSLATE_NOOP("changes", "Visit every (days)"),
    "name": QT_TRANSLATE_NOOP("changes", "Name"),
    "relation": QT_TRANSLATE_NOOP("changes", "Relation"),
    "sex": QT_TRANSLATE_NOOP("changes", "Sex"),
    "birth_date": QT_TRANSLATE_NOOP("changes", "Born"),
    "id_number": QT_TRANSLATE_NOOP("changes", "ID number"),
}
SHORT = 16  # characters of a value shown in a one-line summary; the detail shows it in full


def field_name(name: str) -> str:
    return QCoreApplication.translate("changes", FIELDS[name]) if name in FIELDS else name


def value_text(name: str, value: Any) -> str:
    """A field's value as the worker reads it; empty shows as (empty)."""
    if value in (None, "", []):
        return QCoreApplication.translate("changes", "(empty)")
    if name == "tags" and isinstance(value, list):
        return labels.tags([str(v) for v in value])
    if name == "relation":
        return labels.relation(str(value))
    if name == "sex":
        return labels.sex(str(value))
    if name == "phone":  # a resident's: masked here as everywhere (the household panel's Show reveals it)
        return mask_phone(str(value))
    if name == "id_number":
        return mask_id_number(str(value))
    return str(value)


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def _edits(payload: dict[str, Any], full: bool) -> list[str]:
    changes = payload.get("changes") or {}
    previous = payload.get("previous") or {}
    out = []
    for name, value in changes.items():
        before, after = value_text(name, previous.get(name)), value_text(name, value)
        if not full:
            before, after = _short(before), _short(after)
        out.append(f"{field_name(name)} {before} → {after}")
    return out


def summary(row: OutboxRow, full: bool = False) -> str:
    """What the change was, in a line: the kind and what changed. ``full``: values not shortened."""
    p = row.payload
    kind = labels.mutation_kind(row.kind)
    what: list[str] = []
    if row.kind in ("household.update", "person.update"):
        what = _edits(p, full)
    elif row.kind in ("visit.create", "visit.amend"):
        if p.get("outcome"):
            what.append(labels.outcome(str(p["outcome"])))
        if p.get("requests"):
            what.append(QCoreApplication.translate("changes", "Requests: %1").replace("%1", str(len(p["requests"]))))
        notes = str(p.get("notes") or "")
        if notes:
            what.append(notes if full else _short(notes))
    elif row.kind == "person.create":
        fields = p.get("fields") or {}
        what.append(
            " ".join(
                x for x in (str(fields.get("name") or ""), labels.relation(str(fields.get("relation") or ""))) if x
            )
        )
    elif row.kind == "profile.update":
        what = [f"{field_name('phone')} {p.get('phone') or ''}".strip()]
    elif row.kind == "card.issue" and p.get("layout"):
        what.append(str(p["layout"]))
    what = [w for w in what if w]
    if not what:
        return kind
    return QCoreApplication.translate("changes", "%1: %2").replace("%1", kind).replace("%2", "; ".join(what))


def conflicts(row: OutboxRow) -> list[tuple[str, str, str]]:
    """Each field changed on both sides: (field, the value the server kept, the other value it
    recorded for review). The server keeps the last arrival (this change)."""
    out = []
    for c in row.result.get("conflicts") or []:
        if not isinstance(c, dict):
            continue
        name = str(c.get("field") or "")
        kept = c.get("kept", c.get("mine"))
        other = c.get("overwritten", c.get("theirs"))
        out.append((field_name(name), value_text(name, kept), value_text(name, other)))
    return out


def reason(row: OutboxRow) -> str:
    """The server's answer in the user's language (its own words only for a code this app does not know)."""
    params = {k: v for k, v in row.result.items() if k != "code" and isinstance(v, str | int)}
    if row.code == "field_conflict":
        return QCoreApplication.translate(
            "changes",
            "Someone else changed the same thing. The server kept your value; the other one is kept for review.",
        )
    return server_message(row.code, params, row.error)


def advice(row: OutboxRow) -> str:
    """What the worker can do about it."""
    if row.state == "conflict":
        return QCoreApplication.translate(
            "changes",
            "Check the household with the resident: if the other value is right, open the household and "
            "enter it again. Then acknowledge this item.",
        )
    if row.household_id is not None and not row.household:
        return QCoreApplication.translate(
            "changes",
            "The household is no longer in your list, so the change cannot be made again. Ask your "
            "supervisor if it should still apply, then acknowledge this item.",
        )
    return QCoreApplication.translate(
        "changes",
        "Open the household and record the change again if it still applies, or ask your supervisor. "
        "Then acknowledge this item.",
    )

"""The translations are complete and in step with the source: Simplified Chinese is what users see."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations"
PLACEHOLDER = re.compile(r"%n|%\d|\{\w+\}")


def messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [
        (ctx.findtext("name") or "", m.findtext("source") or "", m)
        for ctx in root.iter("context")
        for m in ctx.iter("message")
    ]


def translations(m: ET.Element) -> list[str]:
    t = m.find("translation")
    assert t is not None
    forms = [f.text or "" for f in t.iter("numerusform")]
    return forms or [t.text or ""]


def test_every_chinese_message_is_translated_with_its_placeholders() -> None:
    problems = []
    for context, source, m in messages(TS / "gridworker_zh_CN.ts"):
        t = m.find("translation")
        assert t is not None
        if t.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{context}: {source!r} is {t.get('type')}")
            continue
        for text in translations(m):
            if not text.strip():
                problems.append(f"{context}: {source!r} is empty")
            if sorted(PLACEHOLDER.findall(text)) != sorted(set(PLACEHOLDER.findall(source))) and sorted(
                PLACEHOLDER.findall(text)
            ) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"{context}: {source!r} -> {text!r} placeholders differ")
            if "&" in source and text.count("&") != 1:
                problems.append(f"{context}: {source!r} -> {text!r} mnemonic")
    assert problems == []


def test_translation_files_match_the_source_strings(tmp_path: Path) -> None:
    """Re-extracting the strings finds nothing new: no user-visible text escapes translation."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate is not installed next to this Python")
    files = sorted(str(p.relative_to(ROOT)) for d in ("gridworker", "sync") for p in (ROOT / d).rglob("*.py"))
    fresh = tmp_path / "fresh.ts"
    fresh.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1" language="zh_CN"></TS>\n',
        encoding="utf-8",
    )
    subprocess.run(
        [str(lupdate), "-extensions", "py", *files, "-ts", str(fresh)], cwd=ROOT, check=True, capture_output=True
    )
    extracted = {(c, s) for c, s, _ in messages(fresh)}
    committed = {(c, s) for c, s, _ in messages(TS / "gridworker_zh_CN.ts")}
    assert extracted - committed == set(), "run `make ts` and translate the new strings"

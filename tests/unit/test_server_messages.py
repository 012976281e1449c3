"""Every refusal the server can send reaches the user in their language, by its code: the server speaks
English only, the app holds each code's text (``gridworker.ui.i18n._SERVER_MESSAGES``) and its Chinese
lives in the .ts file. The app's own sync failures (``gridworker.syncing``: no Qt there) take the same
path. Read from the source, so a new code without a text fails here."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from gridworker.ui.i18n import _SERVER_MESSAGES
from gridworker_server.api.errors import _HTTP_CODES
from gridworker_server.flow.apply import FLOW_CODES
from gridworker_shared.domain.review import REVIEW_CODES

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "sync" / "gridworker_server"
SYNCING = ROOT / "gridworker" / "syncing"
TS = ROOT / "resources" / "translations" / "gridworker_zh_CN.ts"
CJK = re.compile(r"[\u4e00-\u9fff]")
# a Chinese sentence followed by its English ("中文。English.")
BILINGUAL = re.compile(r"[\u4e00-\u9fff。，）：]\s*[A-Z][a-z]+ [a-z]")

# the refusals: (class, index of the code among the positional arguments)
SERVER_CALLS = {"ApiError": 1, "PushError": 1, "Rejected": 0, "Outcome": 1}
SYNC_ERRORS = ("Sync", "Offline", "NotOurServer", "Busy", "SignInNeeded", "UpdateNeeded", "NotPossible", "Refused")
CLIENT_CALLS = {f"{kind}Error": 0 for kind in (*SYNC_ERRORS, "ServerFault")}
# a code that is not a literal, where it is passed on: the codes it can take
PASSED_ON = {
    ("api/errors.py", "code"): {*_HTTP_CODES.values(), "http_error"},  # FastAPI's own answers
    ("admin.py", "r.code"): set(),  # a push handler's Rejected, collected where it is raised
    ("push/core.py", "r.code"): set(),  # the same, recorded in the batch's result
    ("push/core.py", "before.code"): set(),  # a mutation's earlier outcome, replayed
    ("transport.py", "code"): set(),  # the server's refusal, as it sent it
    ("push/review.py", "exc.code"): set(REVIEW_CODES),  # the review rules' refusals (domain.review)
    # the requests flow's refusals (gridworker_shared.domain.request_flow.FlowError), passed on
    ("push/request_flow.py", "exc.code"): set(FLOW_CODES),
    ("push/requests.py", "exc.code"): set(FLOW_CODES),
    ("flow/feed.py", "exc.code"): set(FLOW_CODES),
    ("flow/manage.py", "exc.code"): set(FLOW_CODES),
}
# Chinese data, not refusals: the roster's and the org tree's reading of Chinese sheets and their reports
# for Chinese staff (the roster import's refusals are checked; the org imports refuse in English), the
# demo city


def _chinese_kept(rel: str) -> bool:
    return (
        (rel.startswith("roster/") and rel != "roster/importing.py") or rel.startswith("orgs/") or rel == "demo_city.py"
    )


def _tuples(tree: ast.Module) -> dict[str, tuple[object, ...]]:
    """A module's constant tuples (``BUSY = ("busy", "...")``), for ``ApiError(*BUSY)``."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                continue
            if isinstance(value, tuple):
                out[node.targets[0].id] = value
    return out


def _constants() -> dict[str, tuple[object, ...]]:
    out: dict[str, tuple[object, ...]] = {}
    for path in SERVER.rglob("*.py"):
        out.update(_tuples(ast.parse(path.read_text(encoding="utf-8"))))
    return out


def _args(call: ast.Call, constants: dict[str, tuple[object, ...]]) -> list[ast.expr]:
    args: list[ast.expr] = []
    for a in call.args:
        if isinstance(a, ast.Starred) and isinstance(a.value, ast.Name) and a.value.id in constants:
            args.extend(ast.Constant(v) for v in constants[a.value.id])
        else:
            args.append(a)
    return args


def server_codes() -> tuple[set[str], list[str]]:
    """Every key of a refusal the server's source can raise: the code, or ``code.reason`` when the
    call names a ``reason``; and the problems (a code that is neither a literal nor passed on)."""
    return _codes(SERVER, SERVER_CALLS, _constants())


def client_codes() -> tuple[set[str], list[str]]:
    """The same for the app's own sync failures."""
    return _codes(SYNCING, CLIENT_CALLS, {})


def _codes(root: Path, calls: dict[str, int], constants: dict[str, tuple[object, ...]]) -> tuple[set[str], list[str]]:
    keys: set[str] = set()
    problems = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in calls):
                continue
            args = _args(node, constants)
            index = calls[node.func.id]
            if len(args) <= index:
                continue  # Outcome() or Outcome(data=...): applied, no code
            code = args[index]
            if not (isinstance(code, ast.Constant) and isinstance(code.value, str)):
                passed = PASSED_ON.get((rel, ast.unparse(code)))
                if passed is None:
                    problems.append(f"{rel}:{node.lineno}: the code {ast.unparse(code)} is not a literal")
                keys |= passed or set()
                continue
            if not code.value:
                continue  # an applied Outcome
            reason = next((k.value for k in node.keywords if k.arg == "reason"), None)
            if reason is None:
                keys.add(code.value)
            elif isinstance(reason, ast.Constant) and isinstance(reason.value, str):
                keys.add(f"{code.value}.{reason.value}")
            else:
                problems.append(f"{rel}:{node.lineno}: the reason {ast.unparse(reason)} is not a literal")
    return keys, problems


def _translated(context: str) -> dict[str, str]:
    root = ET.parse(TS).getroot()
    out = {}
    for ctx in root.iter("context"):
        if ctx.findtext("name") != context:
            continue
        for m in ctx.iter("message"):
            t = m.find("translation")
            if t is not None and t.get("type") is None and t.text:
                out[m.findtext("source") or ""] = t.text
    return out


def test_every_code_is_a_literal() -> None:
    assert server_codes()[1] == []
    assert client_codes()[1] == []


# Refusals that reach an operator's command line or a metrics scraper, never the app: English is theirs.
OPERATOR_ONLY = {
    "backup_corrupt",
    "backup_exists",
    "backup_failed",
    "backup_folder_missing",
    "backup_no_database",
    "backup_unsupported",
    "pg_dump_missing",
    "metrics_forbidden",
}


def test_every_server_code_has_a_text_in_the_app_and_its_chinese() -> None:
    keys, _ = server_codes()
    keys -= OPERATOR_ONLY
    assert {"wrong_device", "invalid.outcome", "unknown_field", "forbidden", "busy", "too_large"} <= keys
    missing = sorted(keys - _SERVER_MESSAGES.keys())
    assert missing == [], "codes the app cannot translate"
    chinese = _translated("server")
    untranslated = sorted(k for k in keys if _SERVER_MESSAGES[k] not in chinese)
    assert untranslated == []
    assert all(CJK.search(chinese[_SERVER_MESSAGES[k]]) for k in keys)


def test_every_sync_failure_of_the_app_has_a_text_and_its_chinese() -> None:
    keys, _ = client_codes()
    assert {"offline", "offline.cut", "not_our_server.portal", "other_user", "busy_locally"} <= keys
    assert sorted(keys - _SERVER_MESSAGES.keys()) == []
    chinese = _translated("server")
    assert sorted(k for k in keys if _SERVER_MESSAGES[k] not in chinese) == []


def test_the_apps_sync_failures_are_english_in_the_code() -> None:
    found = [
        f"{path.name}:{node.lineno}: {node.value!r}"
        for path in sorted(SYNCING.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)
    ]
    assert found == []


def test_the_server_speaks_english_outside_the_texts_for_chinese_staff() -> None:
    """A bilingual refusal ("中文。English.") cannot come back: the Chinese is the app's."""
    found = []
    for path in sorted(SERVER.rglob("*.py")):
        rel = path.relative_to(SERVER).as_posix()
        if _chinese_kept(rel):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) and id(node) not in docstrings else None
            if isinstance(text, str) and CJK.search(text) and not _data(rel, text):
                found.append(f"{rel}:{node.lineno}: {text!r}")
    assert found == []


def _data(rel: str, text: str) -> bool:
    """Chinese that is data, not a refusal: the demo's names and card lines, the roster import's report
    for the terminal (Chinese only), the guide's files."""
    if rel == "admin.py":
        return text in ("工作日 8:30–17:30", "有事您找我，服务在身边", "街道主管", "系统管理员", "工作站")
    return rel in ("roster/importing.py", "guide_files.py") and not BILINGUAL.search(text)

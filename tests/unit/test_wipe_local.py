"""What a remote wipe removes from the laptop (gridworker.syncing.wipe), on a data folder laid out as the
app lays it out: the user's database, its key file, its other files, backups and tokens, and never
another user's, even one whose name begins with this one's; crash-safe through its marker."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gridworker.syncing import wipe
from gridworker.syncing.credentials import TokenStore

SERVER = "https://grid.example.gov.cn"
STAMP = "20261204-230000"


def _layout(folder: Path) -> dict[str, list[Path]]:
    """Three users' files: "a", "a.db" (whose database is a.db.db) and "a-x" (whose backups begin with a-)."""
    workers = folder / "workers"
    backups = workers / "backups"
    backups.mkdir(parents=True)
    mine = [
        workers / "a.db",
        workers / "a.db-wal",
        workers / "a.db-shm",
        workers / "a.db.key",
        workers / "a.db.pre-sync",
        workers / "a.db-wal.pre-sync",
        backups / f"a-before-0013-{STAMP}.db",
        backups / f"a-before-0013-{STAMP}-2.db",
    ]
    theirs = [
        workers / "a.db.db",
        workers / "a.db.db-wal",
        workers / "a.db.db.key",
        workers / "a-x.db",
        workers / "a-x.db.key",
        backups / f"a-x-before-0013-{STAMP}.db",
        backups / f"a.db-before-0013-{STAMP}.db",
        folder / "settings.ini",
    ]
    for path in mine + theirs:
        path.write_bytes(b"SQLite format 3\x00 resident 110101199001011234 13800001111" * 100)
    tokens = TokenStore(folder, use_keyring=False)
    for user in ("a", "a.db", "a-x"):
        tokens.set(SERVER, user, f"token-{user}")
    tokens.set("http://other.example", "a", "token-a-elsewhere")
    return {"mine": mine, "theirs": theirs}


def test_a_wipe_removes_the_users_files_and_tokens_and_nobody_elses(tmp_path: Path) -> None:
    files = _layout(tmp_path)
    assert set(wipe.user_files(tmp_path, "a")) >= set(files["mine"])
    assert not set(wipe.user_files(tmp_path, "a")) & set(files["theirs"])
    assert wipe.user_files(tmp_path, "a")[0].name == "a.db.key"  # the key goes first

    tokens = TokenStore(tmp_path, use_keyring=False)
    wipe.wipe_local(tmp_path, "A", tokens=tokens, server_url=SERVER, mode="lost")  # the name in any spelling

    assert [p for p in files["mine"] if p.exists()] == []
    assert [p for p in files["theirs"] if not p.exists()] == []
    assert tokens.get(SERVER, "a") is None and tokens.get("http://other.example", "a") is None
    assert tokens.get(SERVER, "a.db") == "token-a.db" and tokens.get(SERVER, "a-x") == "token-a-x"
    assert wipe.notices(tmp_path) == [("a", "lost")]
    assert stat.S_IMODE(os.stat(tmp_path / wipe.MARKER).st_mode) == 0o600
    wipe.wipe_local(tmp_path, "a", tokens=tokens)  # again: nothing left, no error
    wipe.mark_shown(tmp_path)
    assert wipe.notices(tmp_path) == []


def test_a_plain_database_is_overwritten_before_it_is_removed(tmp_path: Path) -> None:
    files = _layout(tmp_path)
    (tmp_path / "workers" / "a.db.key").unlink()  # not encrypted: its pages are the residents in clear
    copy = tmp_path / "a-link.db"
    os.link(files["mine"][0], copy)  # the same file under another name: it sees what the disk keeps
    wipe.wipe_local(tmp_path, "a", tokens=TokenStore(tmp_path, use_keyring=False))
    data = copy.read_bytes()
    assert len(data) > 0 and set(data) == {0}


def test_an_interrupted_wipe_is_finished_by_the_next_start(tmp_path: Path) -> None:
    files = _layout(tmp_path)
    tokens = TokenStore(tmp_path, use_keyring=False)
    wipe.begin_wipe(tmp_path, "a", "handover")  # the laptop died here: nothing removed yet
    assert all(p.exists() for p in files["mine"])
    assert wipe.pending_mode(tmp_path, "a") == "handover"
    assert wipe.notices(tmp_path) == []  # not done yet: nothing to tell
    assert wipe.check_device(tmp_path, "a", "", tokens) == "handover"
    assert [p for p in files["mine"] if p.exists()] == []
    assert [p for p in files["theirs"] if not p.exists()] == []
    assert wipe.pending_mode(tmp_path, "a") == ""
    assert wipe.notices(tmp_path) == [("a", "handover")]
    assert wipe.finish_wipes(tmp_path, tokens) == []  # done once


def test_a_damaged_marker_is_no_wipe_and_no_crash(tmp_path: Path) -> None:
    files = _layout(tmp_path)
    (tmp_path / wipe.MARKER).write_text("{not json", "utf-8")
    tokens = TokenStore(tmp_path, use_keyring=False)
    assert wipe.finish_wipes(tmp_path, tokens) == []
    assert wipe.notices(tmp_path) == []
    assert wipe.check_device(tmp_path, "a", "", tokens) == ""
    assert all(p.exists() for p in files["mine"])

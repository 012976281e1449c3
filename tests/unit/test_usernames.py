"""One spelling of a user name wherever it comes in (issue 11: " worker02" and "Worker02 " were other
users to the sign-in limiter and to user creation)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridworker.paths import worker_db_path
from gridworker_shared.domain.usernames import (
    MSG_USERNAME_CHAR,
    MSG_USERNAME_EMPTY,
    MSG_USERNAME_TOO_LONG,
    forbidden_char,
    normalize_username,
    validate_username,
)
from gridworker_shared.domain.validation import ValidationError


@pytest.mark.parametrize(
    "given_name", ["worker02", " worker02", "worker02 ", "WORKER02", "\u3000Worker02\t", "ＷＯＲＫＥＲ０２"]
)
def test_variants_of_a_name_are_one_name(given_name: str) -> None:
    assert normalize_username(given_name) == "worker02"


def test_inner_white_space_is_one_space_and_german_sharp_s_folds() -> None:
    assert normalize_username("Wang \u3000 Wei") == "wang wei"
    assert normalize_username("Straße") == normalize_username("STRASSE") == "strasse"


@given(st.text())
def test_normalising_twice_changes_nothing(value: str) -> None:
    once = normalize_username(value)
    assert normalize_username(once) == once


@pytest.mark.parametrize("name", ["wor\u200bker02", "worker02\u200d", "\ufeffworker02", "work\x00er", "a\u202eb"])
def test_invisible_and_control_characters_are_refused(name: str) -> None:
    with pytest.raises(ValidationError) as err:
        validate_username(name)
    assert err.value.template == MSG_USERNAME_CHAR
    assert str(err.value.params["char"]).startswith("U+")


def test_empty_and_too_long_names_are_refused() -> None:
    with pytest.raises(ValidationError) as err:
        validate_username("   ")
    assert err.value.template == MSG_USERNAME_EMPTY
    with pytest.raises(ValidationError) as err:
        validate_username("x" * 65)
    assert err.value.template == MSG_USERNAME_TOO_LONG
    assert validate_username(" Demo ") == "demo"


def test_forbidden_characters_in_stored_text() -> None:
    assert forbidden_char("Lost laptop") is None
    assert forbidden_char("a\x00b") == (2, "U+0000")
    assert forbidden_char("line\nnext") == (5, "U+000A")
    assert forbidden_char("line\nnext\ttab", multiline=True) is None
    assert forbidden_char("x\ud800", multiline=True) == (2, "U+D800")
    assert forbidden_char("表情\u200d") is None  # a zero-width joiner is text, only not in a user name


def test_a_worker_s_database_file_is_named_after_the_normal_form(tmp_path: Path) -> None:
    assert (
        worker_db_path(" Worker02", tmp_path)
        == worker_db_path("worker02 ", tmp_path)
        == tmp_path / "workers" / "worker02.db"
    )


def test_a_database_an_older_version_named_as_typed_is_still_found(tmp_path: Path) -> None:
    """Its unsent work must not be left behind: "Worker02.db" is used while "worker02.db" does not exist."""
    (tmp_path / "workers").mkdir()
    older = tmp_path / "workers" / "Worker02.db"
    older.write_bytes(b"")
    (tmp_path / "workers" / "worker03.db").write_bytes(b"")
    assert worker_db_path("worker02", tmp_path) == older
    assert worker_db_path("WORKER03", tmp_path) == tmp_path / "workers" / "worker03.db"
    (tmp_path / "workers" / "worker02.db").write_bytes(b"")
    assert worker_db_path(" WORKER02", tmp_path) == tmp_path / "workers" / "worker02.db"

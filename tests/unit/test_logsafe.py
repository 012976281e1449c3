"""gridworker_shared.logsafe: an exception in a log says what failed and where, never the values it
failed on; the formatter the app's log file and the server's output use renders every record so."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError

from gridworker_server.errors import ApiError
from gridworker_shared.domain.validation import MSG_BIRTH_DATE_FUTURE, ValidationError
from gridworker_shared.logsafe import MARK, SafeFormatter, describe, format_exception, log_uncaught, redact

NAME, ID_NUMBER, PHONE = "王秀英", "11010119900307123X", "13912345678"
VALUES = (NAME, ID_NUMBER, PHONE)


def assert_clean(text: str) -> None:
    assert [v for v in VALUES if v in text] == [], text


@pytest.fixture
def engine() -> Iterator[sa.Engine]:
    """A table with a unique ID number; parameters NOT hidden: the describing alone must be safe."""
    engine = sa.create_engine("sqlite://")
    with engine.begin() as con:
        con.exec_driver_sql("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT, id_number TEXT UNIQUE)")
        con.exec_driver_sql("INSERT INTO person (name, id_number) VALUES (?, ?)", (NAME, ID_NUMBER))
    yield engine
    engine.dispose()


def test_a_statement_error_keeps_the_constraint_and_the_table_not_the_parameters(engine: sa.Engine) -> None:
    with pytest.raises(IntegrityError) as caught, engine.begin() as con:
        con.execute(sa.text("INSERT INTO person (name, id_number) VALUES (:n, :i)"), {"n": NAME, "i": ID_NUMBER})
    assert NAME in str(caught.value)  # what SQLAlchemy itself says
    text = describe(caught.value)
    assert_clean(text)
    assert text == (
        "sqlalchemy.exc.IntegrityError: (sqlite3.IntegrityError) [SQLITE_CONSTRAINT_UNIQUE] "
        "UNIQUE constraint failed: person.id_number [SQL: INSERT INTO person ...]"
    )
    with pytest.raises(OperationalError) as caught, engine.begin() as con:
        con.execute(sa.text("UPDATE nowhere SET name = :n"), {"n": NAME})
    assert describe(caught.value).endswith("no such table: nowhere [SQL: UPDATE nowhere ...]")


def test_a_statement_with_a_literal_shows_only_its_verb_and_table() -> None:
    """A key pragma or a statement built with a value in it: the statement's head only."""
    engine = sa.create_engine("sqlite://")
    with pytest.raises(StatementError) as caught, engine.connect() as con:
        con.exec_driver_sql(f"SELECT * FROM person WHERE name = '{NAME}'")
    assert NAME in str(caught.value)
    assert describe(caught.value).endswith("[SQL: SELECT ...]")
    assert_clean(describe(caught.value))


def test_pydantic_and_fastapi_validation_errors_name_the_place_and_the_kind_not_the_input() -> None:
    class Person(BaseModel):
        name: str = Field(max_length=2)
        phone: int

    with pytest.raises(Exception) as caught:
        Person.model_validate({"name": NAME, "phone": PHONE + "x"})
    assert NAME in str(caught.value)
    text = describe(caught.value)
    assert_clean(text)
    assert (
        text
        == "pydantic_core._pydantic_core.ValidationError: Person 2 error(s): name: string_too_long; phone: int_parsing"
    )
    fastapi = RequestValidationError([{"loc": ("body", "name"), "type": "string_too_long", "input": NAME}])
    assert NAME in str(fastapi)
    assert describe(fastapi) == "fastapi.exceptions.RequestValidationError: 1 error(s): body.name: string_too_long"


def test_python_errors_lose_the_values_they_quote() -> None:
    with pytest.raises(ValueError) as value_error:
        int(NAME)
    assert describe(value_error.value) == "ValueError: invalid literal for int() with base 10: ''"
    assert describe(KeyError(PHONE)) == "KeyError: ''"
    assert describe(KeyError(3)) == "KeyError: 3"
    denied = PermissionError(13, "Permission denied", f"/home/worker/{NAME}家.xlsx")
    assert describe(denied) == "PermissionError: [Errno 13] Permission denied"
    assert describe(RuntimeError(f"saw {PHONE} and {ID_NUMBER} at {NAME}")) == (
        f"RuntimeError: saw {MARK} and {MARK} at {MARK}"  # the last guard
    )


def test_our_errors_say_their_code_or_template() -> None:
    refused = ApiError(409, "user_exists", "User worker01 exists.", username="worker01")
    assert describe(refused) == "gridworker_server.errors.ApiError: [user_exists] User worker01 exists."
    invalid = ValidationError("birth_date", MSG_BIRTH_DATE_FUTURE, date="2030-01-01")
    assert describe(invalid) == (
        "gridworker_shared.domain.validation.ValidationError: birth_date: The birth date {date} is in the future."
    )


def test_a_traceback_shows_every_exception_of_the_chain_described(engine: sa.Engine) -> None:
    try:
        try:
            with engine.begin() as con:
                con.execute(
                    sa.text("INSERT INTO person (name, id_number) VALUES (:n, :i)"), {"n": NAME, "i": ID_NUMBER}
                )
        except Exception as exc:
            raise RuntimeError(f"could not add {NAME}") from exc
    except RuntimeError as exc:
        text = format_exception(exc)
    assert_clean(text)
    assert text.startswith("Traceback (most recent call last):\n")
    assert "The above exception was the direct cause of the following exception" in text
    assert "test_logsafe.py" in text and 'raise RuntimeError(f"could not add {NAME}") from exc' in text
    assert text.endswith(f"RuntimeError: could not add {MARK}")


def test_redact_cuts_id_numbers_phones_and_chinese_not_ids_or_times() -> None:
    device = str(uuid.UUID(int=13912345678))
    line = f"device {device} 1733300000123 ms seq 13912345678 {NAME}·李 010-62345678 110101900307123 ok"
    assert redact(line) == f"device {device} 1733300000123 ms seq {MARK} {MARK} {MARK} {MARK} ok"
    assert redact("+86 13912345678; 11010119900307123x") == f"{MARK}; {MARK}"


def records(formatter: logging.Formatter) -> tuple[logging.Logger, io.StringIO, logging.Handler]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger(f"test_logsafe.{uuid.uuid4().hex}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return logger, stream, handler


def test_the_formatter_renders_exceptions_safely_whoever_formatted_the_record_first(engine: sa.Engine) -> None:
    plain_stream = io.StringIO()
    plain = logging.StreamHandler(plain_stream)  # formats first, caching the record's full traceback
    plain.setFormatter(logging.Formatter("%(message)s"))
    logger, stream, _ = records(SafeFormatter("%(levelname)s %(message)s"))
    logger.handlers.insert(0, plain)
    try:
        with engine.begin() as con:
            con.execute(sa.text("INSERT INTO person (name, id_number) VALUES (:n, :i)"), {"n": NAME, "i": ID_NUMBER})
    except IntegrityError as exc:
        logger.warning("could not save household %s: %s", 42, exc)
        logger.exception("push: mutation %s failed", "m-1")
    assert NAME in plain_stream.getvalue()  # Python's own formatter: the leak this module exists for
    text = stream.getvalue()
    assert_clean(text)
    assert text.startswith("WARNING could not save household 42: sqlalchemy.exc.IntegrityError: (sqlite3.")
    assert "ERROR push: mutation m-1 failed\nTraceback (most recent call last):" in text
    assert "[SQL: INSERT INTO person ...]" in text


def test_a_message_with_a_resident_in_it_is_cut_and_the_record_left_as_it_came() -> None:
    logger, stream, handler = records(SafeFormatter("%(message)s"))
    logger.info("searched for %r", NAME)
    logger.info("unformattable %d", "x")
    assert stream.getvalue().splitlines() == [
        f"searched for '{MARK}'",
        "(unformattable log message 'unformattable %d')",
    ]
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "searched for %s", (NAME,), None)
    handler.format(record)
    assert record.getMessage() == f"searched for {NAME}"  # other handlers get the record unchanged


def test_uncaught_exceptions_are_logged_safely(capsys: pytest.CaptureFixture[str]) -> None:
    import sys
    import threading

    logger, stream, _ = records(SafeFormatter("%(levelname)s %(message)s"))
    hooks = sys.excepthook, threading.excepthook
    try:
        log_uncaught(logger)
        try:
            int(NAME)
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook, threading.excepthook = hooks
    assert stream.getvalue().startswith("CRITICAL uncaught exception\nTraceback")
    assert_clean(stream.getvalue())
    err = capsys.readouterr().err
    assert err.endswith("ValueError: invalid literal for int() with base 10: ''\n")
    assert_clean(err)

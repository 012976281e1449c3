"""The rules the laptop and the server share (gridworker_shared.domain): each in one place, pure,
tested here without a database; the store's and the push's tests show each side applying them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridworker_shared.domain import cards, households, visits
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.protocol import MAX_PHOTO_BYTES

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
DAY = dt.date(2026, 11, 20)

outcomes = st.sampled_from(["met", "not_home", "refused"])
days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 1, 1))


def fact(day: dt.date, outcome: str, amends: uuid.UUID | None = None) -> visits.VisitFact:
    return visits.VisitFact(uuid.uuid4(), day, outcome, amends)


# --- last met / last attempt ----------------------------------------------------------------------------


def test_no_visits_no_dates() -> None:
    assert visits.last_visits([]) == visits.VisitDates(None, None) == visits.NO_VISITS


def test_last_met_is_the_last_visit_that_met_and_last_attempt_the_last_visit() -> None:
    dates = visits.last_visits(
        [fact(DAY, "met"), fact(DAY + dt.timedelta(days=3), "not_home"), fact(DAY - dt.timedelta(days=9), "met")]
    )
    assert dates == visits.VisitDates(DAY, DAY + dt.timedelta(days=3))


def test_a_corrected_visit_counts_through_its_correction_only() -> None:
    met = fact(DAY, "met")
    earlier = fact(DAY - dt.timedelta(days=5), "met")
    fixed = fact(DAY, "not_home", amends=met.id)
    assert visits.last_visits([earlier, met]).met == DAY
    # the correction moves last met back, whichever order the rows come in
    assert visits.last_visits([fixed, earlier, met]) == visits.VisitDates(earlier.day, DAY)
    assert visits.last_visits([met, fixed]) == visits.VisitDates(None, DAY)


@given(st.lists(st.tuples(days, outcomes), max_size=30))
def test_folding_visits_one_by_one_is_the_same_as_from_all_of_them(rows: list[tuple[dt.date, str]]) -> None:
    """The server's incremental update of a new visit and the recomputation agree (no corrections)."""
    folded = visits.NO_VISITS
    for day, outcome in rows:
        folded = visits.after_visit(folded, day, outcome)
    assert folded == visits.last_visits(fact(day, outcome) for day, outcome in rows)
    assert folded.attempt == max((d for d, _ in rows), default=None)
    assert folded.met == max((d for d, o in rows if o == "met"), default=None)


# --- a visit's fields and its time ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "field", "template"),
    [
        (lambda: visits.check_outcome("maybe"), "outcome", visits.MSG_OUTCOME),
        (lambda: visits.check_notes("x" * (visits.MAX_NOTES + 1)), "notes", visits.MSG_TOO_LONG),
        (lambda: visits.check_request_codes(2, "nonsense", "normal"), "requests.1.category", visits.MSG_CATEGORY),
        (lambda: visits.check_request_codes(1, "other", "whenever"), "requests.0.urgency", visits.MSG_URGENCY),
        (
            lambda: visits.check_description(1, "x" * (visits.MAX_DESCRIPTION + 1)),
            "requests.0.description",
            visits.MSG_TOO_LONG,
        ),
        (lambda: visits.check_described(3, "other", ""), "requests.2.description", visits.MSG_DESCRIPTION_NEEDED),
    ],
)
def test_a_visit_field_out_of_the_rules_is_refused_with_its_field(call: object, field: str, template: str) -> None:
    with pytest.raises(ValidationError) as e:
        call()  # type: ignore[operator]
    assert (e.value.field, e.value.template) == (field, template)


def test_the_limits_themselves_pass() -> None:
    visits.check_outcome("refused")
    visits.check_notes("x" * visits.MAX_NOTES)
    visits.check_request_codes(1, "other", "urgent")
    visits.check_description(1, "x" * visits.MAX_DESCRIPTION)
    visits.check_described(1, "dumped_rubbish", "")


def test_the_form_window_and_the_servers_wider_one() -> None:
    now = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    visits.check_form_time(now + visits.FORM_AHEAD, now)
    visits.check_form_time(now - dt.timedelta(days=visits.MAX_VISIT_AGE_DAYS), now)
    with pytest.raises(ValidationError) as e:
        visits.check_form_time(now + visits.FORM_AHEAD + dt.timedelta(seconds=1), now)
    assert e.value.template == visits.MSG_VISIT_FUTURE
    with pytest.raises(ValidationError) as e:
        visits.check_form_time(now - dt.timedelta(days=visits.MAX_VISIT_AGE_DAYS, seconds=1), now)
    assert e.value.template == visits.MSG_VISIT_OLD
    # the server takes what a device with a wrong clock sends, within two days ahead and back to 2000
    assert visits.is_business_time(now + visits.AHEAD, now)
    assert not visits.is_business_time(now + visits.AHEAD + dt.timedelta(seconds=1), now)
    assert visits.is_business_time(visits.EARLIEST, now)
    assert not visits.is_business_time(visits.EARLIEST - dt.timedelta(seconds=1), now)


# --- a household's edited fields ---------------------------------------------------------------------------


def test_household_fields_are_normalised() -> None:
    clean = households.clean_household_change
    assert clean("notes", "  门口有狗  ") == "门口有狗"
    assert clean("notes", None) == ""
    assert clean("tags", ["veteran", "elderly_alone", "veteran"]) == ["elderly_alone", "veteran"]
    assert clean("visit_interval_days", None) is None
    assert clean("visit_interval_days", 365) == 365
    with pytest.raises(KeyError):
        clean("status", "closed")


@pytest.mark.parametrize(
    ("name", "value", "template"),
    [
        ("notes", "很" * (visits.MAX_NOTES + 1), visits.MSG_TOO_LONG),
        ("tags", "elderly_alone", households.MSG_UNKNOWN_TAG),
        ("tags", ["elderly_alone", "vip"], households.MSG_UNKNOWN_TAG),
        ("tags", [["elderly_alone"]], households.MSG_UNKNOWN_TAG),
        ("visit_interval_days", 0, households.MSG_INTERVAL),
        ("visit_interval_days", 366, households.MSG_INTERVAL),
        ("visit_interval_days", "7", households.MSG_INTERVAL),
    ],
)
def test_household_fields_out_of_the_rules_are_refused(name: str, value: object, template: str) -> None:
    with pytest.raises(ValidationError) as e:
        households.clean_household_change(name, value)
    assert (e.value.field, e.value.template) == (name, template)


def test_relation_and_sex_codes() -> None:
    assert households.check_relation("head") == "head"
    assert households.check_sex("") == "" and households.check_sex("female") == "female"
    for bad in ("boss", None, ["head"]):
        with pytest.raises(ValidationError):
            households.check_relation(bad)
    for bad in ("x", None):
        with pytest.raises(ValidationError):
            households.check_sex(bad)


# --- the contact card's photo ------------------------------------------------------------------------------


def test_a_jpeg_or_png_within_the_limit_passes_and_goes_over_the_wire_unchanged() -> None:
    big = JPEG + b"\x00" * (MAX_PHOTO_BYTES - len(JPEG))
    for photo in (JPEG, PNG, big):
        assert cards.check_photo(photo) == photo
        assert cards.photo_from_text(cards.photo_text(photo)) == photo


def test_a_photo_too_big_or_not_jpeg_or_png_is_refused() -> None:
    with pytest.raises(ValidationError) as e:
        cards.check_photo(JPEG + b"\x00" * (MAX_PHOTO_BYTES - len(JPEG) + 1))
    assert e.value.template == cards.MSG_PHOTO_TOO_BIG and e.value.params == {"size": 65, "limit": 64}
    with pytest.raises(ValidationError) as e:
        cards.photo_from_text(cards.photo_text(b"GIF89a" + b"\x00" * 10))
    assert e.value.template == cards.MSG_PHOTO_FORMAT
    with pytest.raises(cards.PhotoEncodingError):
        cards.photo_from_text("not base64!")


def test_card_texts_are_trimmed_and_their_spaces_made_one() -> None:
    assert cards.card_text("  工作日  9:00–17:00 \t") == "工作日 9:00–17:00"
    assert cards.card_text("有事，找我") == "有事，找我"  # full-width punctuation stays
    assert cards.card_text(" \n ") == ""


def test_the_protocols_step_and_review_lists_are_the_domains() -> None:
    """The messages spell the flow's steps and the review's actions as Literals (pydantic checks them);
    the domain's tables are the one list they must equal."""
    import typing

    from gridworker_shared.domain import request_flow, review
    from gridworker_shared.protocol import RequestStep, VisitReview

    assert typing.get_args(RequestStep.model_fields["step"].annotation) == request_flow.STEPS
    assert set(request_flow.STEPS) == set(request_flow.FROM) == set(request_flow.WHO)
    assert typing.get_args(VisitReview.model_fields["action"].annotation) == review.ACTIONS

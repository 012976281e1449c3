"""Each flag's rule on its boundary (gridworker_shared.domain.review_flags), with the street's
settings at their defaults and changed; and the street settings' strict and lenient readings."""

from __future__ import annotations

import datetime as dt

import pytest

from gridworker_shared.domain import review_flags as rules
from gridworker_shared.domain.review import ReviewError, StreetSettings

ST = StreetSettings()
CHINA = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=CHINA)


def test_short_form_below_the_minimum_only() -> None:
    assert rules.short_form(29, ST)
    assert not rules.short_form(30, ST)
    assert not rules.short_form(None, ST)  # an app before protocol 4 does not say
    assert rules.short_form(59, StreetSettings(min_form_seconds=60))


def test_late_entry_after_more_than_the_hours() -> None:
    assert not rules.late_entry(T0, T0 + dt.timedelta(hours=48), ST)
    assert rules.late_entry(T0, T0 + dt.timedelta(hours=48, seconds=1), ST)
    assert rules.late_entry(T0, T0 + dt.timedelta(hours=13), StreetSettings(late_entry_hours=12))


@pytest.mark.parametrize(
    ("local", "flagged"),
    [
        ("06:59:59", True),
        ("07:00:00", False),
        ("21:00:00", False),
        ("21:00:01", True),
        ("23:30:00", True),
        ("12:00:00", False),
    ],
)
def test_off_hours_in_the_streets_local_time(local: str, flagged: bool) -> None:
    clock = dt.time.fromisoformat(local)
    at = dt.datetime.combine(dt.date(2026, 11, 20), clock, tzinfo=CHINA)
    assert rules.off_hours(at, ST) is flagged
    # the same instant written in UTC is judged by the street's offset (UTC+8), not by its own zone
    assert rules.off_hours(at.astimezone(dt.UTC), ST) is flagged


def test_off_hours_follows_the_streets_offset() -> None:
    at = dt.datetime(2026, 11, 20, 22, 30, tzinfo=dt.UTC)  # 06:30 in China, 22:30 in London
    assert rules.off_hours(at, ST)
    assert rules.off_hours(at, StreetSettings(utc_offset_minutes=0))
    assert not rules.off_hours(at, StreetSettings(utc_offset_minutes=9 * 60))  # 07:30 in Tokyo


def _timed(key: str, minutes: float, household: str, building: str) -> rules.Timed[str]:
    return rules.Timed(key, T0 + dt.timedelta(minutes=minutes), household, ("幸福里", building))


def test_rapid_sequence_needs_enough_households_two_buildings_and_the_time_span() -> None:
    cluster = [_timed("a", 0, "h1", "1"), _timed("b", 5, "h2", "1"), _timed("c", 10, "h3", "2")]
    assert rules.rapid_sequence(cluster, ST) == {"a", "b", "c"}  # 10 minutes first to last: in
    late = [*cluster[:2], _timed("c", 10.01, "h3", "2")]
    assert rules.rapid_sequence(late, ST) == set()  # just over the span
    one_building = [_timed("a", 0, "h1", "1"), _timed("b", 1, "h2", "1"), _timed("c", 2, "h3", "1")]
    assert rules.rapid_sequence(one_building, ST) == set()  # neighbours on one staircase
    two_households = [_timed("a", 0, "h1", "1"), _timed("b", 1, "h2", "2"), _timed("c", 2, "h1", "1")]
    assert rules.rapid_sequence(two_households, ST) == set()
    assert rules.rapid_sequence([*cluster[:2], _timed("c", 3, "h3", "2")], StreetSettings(rapid_households=4)) == set()


def test_rapid_sequence_flags_every_visit_of_a_cluster_and_no_other() -> None:
    visits = [
        _timed("early", -60, "h0", "9"),
        _timed("a", 0, "h1", "1"),
        _timed("b", 4, "h2", "2"),
        _timed("c", 8, "h3", "3"),
        _timed("d", 12, "h4", "3"),
        _timed("later", 120, "h5", "4"),
    ]
    assert rules.rapid_sequence(visits, ST) == {"a", "b", "c", "d"}


def _noted(key: str, days: float, household: str, notes: str) -> rules.Noted[str]:
    return rules.Noted(key, T0 + dt.timedelta(days=days), household, notes)


def test_same_notes_flags_both_sides_within_the_days_only() -> None:
    me = _noted("me", 0, "h1", "老人身体状况良好，已宣传防诈骗知识并留下联系电话")
    twin = _noted("twin", -30, "h2", "老人身体状况良好， 已宣传防诈骗知识并留下联系电话")  # whitespace aside
    assert rules.same_notes(me, [twin], ST) == {"me", "twin"}
    older = _noted("older", -30.001, "h2", me.notes)
    assert rules.same_notes(me, [older], ST) == set()
    same_household = _noted("own", -1, "h1", me.notes)
    assert rules.same_notes(me, [same_household], ST) == set()  # a household's own habit


def test_same_notes_ignores_notes_too_short_to_say_anything() -> None:
    stock, sentence = "提醒注意用电安全，不要飞线充电。请注意", "提醒注意用电安全，不要飞线充电。请注意。"
    assert (len(stock), len(sentence)) == (19, 20)
    assert rules.same_notes(_noted("a", 0, "h1", stock), [_noted("b", 0, "h2", stock)], ST) == set()
    assert rules.same_notes(_noted("a", 0, "h1", sentence), [_noted("b", 0, "h2", sentence)], ST) == {"a", "b"}
    assert rules.same_notes(_noted("a", 0, "h1", ""), [_noted("b", 0, "h2", "")], ST) == set()
    short = StreetSettings(same_notes_min_chars=8)
    assert rules.same_notes(_noted("a", 0, "h1", "宣传防诈骗知识。"), [_noted("b", 0, "h2", "宣传防诈骗知识。")], short)


def test_not_home_streak_flags_the_visit_that_completes_it() -> None:
    assert not rules.not_home_streak(["not_home", "not_home"], ST)
    assert rules.not_home_streak(["met", "not_home", "not_home", "not_home"], ST)
    assert not rules.not_home_streak(["not_home", "not_home", "met"], ST)
    assert not rules.not_home_streak(["not_home", "met", "not_home", "not_home"], ST)
    assert rules.not_home_streak(["not_home", "not_home"], StreetSettings(not_home_streak=2))


def test_care_overdue_after_more_than_the_interval() -> None:
    today = dt.date(2026, 11, 20)
    assert not rules.care_overdue(["elderly_alone"], today - dt.timedelta(days=7), today, ST)
    assert rules.care_overdue(["elderly_alone"], today - dt.timedelta(days=8), today, ST)
    assert rules.care_overdue(["elderly_alone"], None, today, ST)
    assert not rules.care_overdue(["rental"], None, today, ST)
    assert rules.care_overdue(["disabled"], None, today, StreetSettings(care_tag="disabled"))


def test_every_flag_has_a_sentence_with_the_streets_thresholds() -> None:
    assert set(rules.FLAG_CODES) == {
        "short_form",
        "rapid_sequence",
        "late_entry",
        "off_hours",
        "same_notes",
        "not_home_streak",
        "care_overdue",
    }
    assert rules.explain("short_form", StreetSettings(min_form_seconds=45)) == (
        "The visit form was open for less than 45 seconds."
    )
    assert all("{" not in rules.explain(code, ST) for code in rules.FLAG_CODES)


# --- the street's settings --------------------------------------------------------------------------


def test_settings_read_leniently_keep_defaults_for_wrong_values() -> None:
    st = StreetSettings.from_dict(
        {"min_form_seconds": "30", "rapid_minutes": True, "late_entry_hours": 24, "backcheck_rate": 1, "x": 1}
    )
    assert (st.min_form_seconds, st.rapid_minutes, st.late_entry_hours) == (30, 10, 24)
    assert st.backcheck_rate == 1.0 and isinstance(st.backcheck_rate, float)
    assert StreetSettings.from_dict(None) == StreetSettings.from_dict(["not", "a", "dict"]) == ST
    assert StreetSettings.from_dict({"day_end_hour": 99}).day_end_hour == 21


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"min_form_seconds": "30"}, "min_form_seconds"),
        ({"min_form_seconds": 30.5}, "min_form_seconds"),
        ({"rapid_minutes": True}, "rapid_minutes"),
        ({"late_entry_hours": 0}, "late_entry_hours"),
        ({"backcheck_rate": 1.5}, "backcheck_rate"),
        ({"coverage_goal": float("nan")}, "coverage_goal"),
        ({"care_tag": "nobody"}, "care_tag"),
        ({"colour": "red"}, "colour"),
        ({"day_start_hour": 21, "day_end_hour": 21}, "day_start_hour"),
    ],
)
def test_settings_set_strictly_name_the_wrong_one(data: dict[str, object], field: str) -> None:
    with pytest.raises(ReviewError) as caught:
        StreetSettings.validated(data)
    assert caught.value.code == "settings_invalid"
    assert caught.value.params["field"] == field


def test_settings_set_strictly_keep_what_is_right() -> None:
    st = StreetSettings.validated({"min_form_seconds": 45, "backcheck_rate": 0.1, "coverage_goal": 1})
    assert (st.min_form_seconds, st.backcheck_rate, st.coverage_goal) == (45, 0.1, 1.0)
    with pytest.raises(ReviewError):
        StreetSettings.validated([1, 2])

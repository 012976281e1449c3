"""The week's back-check draw (gridworker_shared.domain.backchecks): its properties over generated weeks
of visits, checked against a plain reading of the rule (rate and minimum per worker, every flagged
visit, double for new workers), plus determinism from the seed, no repeats, nothing after the cutoff,
and a draw a worker cannot predict."""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections import Counter
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from gridworker_shared.domain.backchecks import (
    Candidate,
    Pick,
    as_flagged_then,
    candidates_digest,
    draw,
    draw_params,
    failure_rate,
    is_new_worker,
    new_seed,
    sample_size,
    settings_of,
    week_of,
)
from gridworker_shared.domain.review import StreetSettings

WEEK = dt.date(2026, 11, 23)  # a Monday
CUTOFF = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
DEFAULTS = StreetSettings()

seeds = st.text(alphabet="0123456789abcdef", min_size=8, max_size=32)


@st.composite
def weeks(draw_: st.DrawFn) -> tuple[list[Candidate], dict[uuid.UUID, dt.date | None]]:
    """A street's week: 1-6 workers, each 0-80 visits, some flagged, some received after the cutoff;
    each worker started long ago, recently, or on an unknown day."""
    n_workers = draw_(st.integers(1, 6))
    rng = random.Random(draw_(st.integers(0, 2**32)))
    visits: list[Candidate] = []
    started: dict[uuid.UUID, dt.date | None] = {}
    no = draw_(st.integers(1, 10_000))
    for _ in range(n_workers):
        worker = uuid.UUID(int=rng.getrandbits(128))
        started[worker] = draw_(
            st.one_of(st.none(), st.dates(min_value=dt.date(2020, 1, 1), max_value=WEEK + dt.timedelta(days=6)))
        )
        count = draw_(st.integers(0, 80))
        flag_share = draw_(st.sampled_from([0.0, 0.05, 0.3]))
        late_share = draw_(st.sampled_from([0.0, 0.1, 0.5]))
        for _ in range(count):
            no += rng.randint(1, 3)
            late = rng.random() < late_share
            received = (
                CUTOFF + dt.timedelta(seconds=rng.randint(1, 86400))
                if late
                else CUTOFF - dt.timedelta(seconds=rng.randint(0, 7 * 86400))
            )
            visits.append(
                Candidate(uuid.UUID(int=rng.getrandbits(128)), no, worker, received, rng.random() < flag_share)
            )
    return visits, started


street_settings = st.builds(
    StreetSettings,
    backcheck_rate=st.sampled_from([0.0, 0.01, 0.05, 0.07, 0.1, 0.25, 0.5]),
    backcheck_min=st.integers(0, 5),
    new_worker_days=st.sampled_from([0, 30, 60, 90]),
)


def run(seed: str, week: tuple[list[Candidate], dict[uuid.UUID, dt.date | None]], s: StreetSettings = DEFAULTS,
        before: frozenset[uuid.UUID] = frozenset()) -> list[Pick]:  # fmt: skip
    visits, started = week
    return draw(seed, visits, started, before, s, week=WEEK, cutoff=CUTOFF)


@settings(max_examples=200, deadline=None)
@given(seeds, weeks(), street_settings)
def test_each_worker_gets_the_rate_the_minimum_and_every_flagged_visit(seed, week, s):  # type: ignore[no-untyped-def]
    visits, started = week
    picks = run(seed, week, s)
    picked = {p.visit_id: p for p in picks}
    assert len(picked) == len(picks), "a visit drawn twice in one draw"
    for worker, start in started.items():
        eligible = [v for v in visits if v.worker_id == worker and v.received_at <= CUTOFF]
        mine = [p for p in picks if p.worker_id == worker]
        new = start is not None and (WEEK - start).days < s.new_worker_days
        rate = s.backcheck_rate * (2 if new else 1)
        wanted = min(len(eligible), max(s.backcheck_min, math.ceil(round(rate * len(eligible), 9))))
        flagged = {v.visit_id for v in eligible if v.flagged}
        # every flagged visit, with that reason
        assert {p.visit_id for p in mine if p.reason == "flagged"} == flagged
        # the rate and the minimum, or all of the worker's visits when they have fewer
        assert len(mine) >= wanted
        sampled = [p for p in mine if p.reason != "flagged"]
        assert len(sampled) == min(wanted, len(eligible) - len(flagged))
        # a new worker's sample is marked as such; nobody else's is
        assert {p.reason for p in sampled} <= ({"new_worker"} if new else {"sample"})
        assert all(p.visit_no == {v.visit_id: v.visit_no for v in eligible}[p.visit_id] for p in mine)


@settings(max_examples=100, deadline=None)
@given(seeds, weeks())
def test_a_new_worker_is_drawn_at_double_the_rate(seed, week):  # type: ignore[no-untyped-def]
    """The same visits drawn for the same worker as an established and as a new one: twice the sample
    (rounded up), once the minimum no longer decides."""
    visits, started = week
    s = replace(DEFAULTS, backcheck_min=0, backcheck_rate=0.1)
    old: dict[uuid.UUID, dt.date | None] = {w: dt.date(2020, 1, 1) for w in started}
    fresh: dict[uuid.UUID, dt.date | None] = {w: WEEK - dt.timedelta(days=10) for w in started}
    as_old = Counter(p.worker_id for p in run(seed, (visits, old), s) if p.reason != "flagged")
    as_new = Counter(p.worker_id for p in run(seed, (visits, fresh), s) if p.reason != "flagged")
    for worker in started:
        n = sum(1 for v in visits if v.worker_id == worker and v.received_at <= CUTOFF)
        others = sum(1 for v in visits if v.worker_id == worker and v.received_at <= CUTOFF and not v.flagged)
        assert as_old[worker] == min(others, math.ceil(round(0.1 * n, 9)))
        assert as_new[worker] == min(others, math.ceil(round(0.2 * n, 9)))


def test_new_worker_days_bound() -> None:
    s = StreetSettings(new_worker_days=60)
    assert is_new_worker(WEEK - dt.timedelta(days=59), WEEK, s)
    assert not is_new_worker(WEEK - dt.timedelta(days=60), WEEK, s)
    assert is_new_worker(WEEK + dt.timedelta(days=3), WEEK, s)  # started during the week
    assert not is_new_worker(None, WEEK, s)


@settings(max_examples=150, deadline=None)
@given(seeds, weeks(), st.randoms(use_true_random=False))
def test_the_same_seed_gives_the_same_draw_whatever_the_input_order(seed, week, rnd):  # type: ignore[no-untyped-def]
    visits, started = week
    shuffled = list(visits) + list(visits[: len(visits) // 3])  # listed in another order, some twice
    rnd.shuffle(shuffled)
    reordered = dict(sorted(started.items(), key=lambda _: rnd.random()))
    assert run(seed, (shuffled, reordered)) == run(seed, week)


@settings(max_examples=100, deadline=None)
@given(weeks())
def test_different_seeds_draw_differently(week):  # type: ignore[no-untyped-def]
    """When a worker's sample leaves out many visits, another seed picks another sample (nearly always:
    40 seeds giving one single sample over choices of 2 among 40 or more is not going to happen)."""
    visits, started = week
    s = replace(DEFAULTS, backcheck_rate=0.05, backcheck_min=2)
    for worker in started:
        mine = [v for v in visits if v.worker_id == worker and v.received_at <= CUTOFF and not v.flagged]
        if len(mine) < 40:
            continue
        samples = {frozenset(p.visit_id for p in run(f"seed-{i}", week, s) if p.worker_id == worker) for i in range(40)}
        assert len(samples) > 1


@settings(max_examples=100, deadline=None)
@given(seeds, weeks(), st.data())
def test_a_visit_drawn_before_is_never_drawn_again(seed, week, data):  # type: ignore[no-untyped-def]
    visits, _ = week
    before = frozenset(data.draw(st.sets(st.sampled_from([v.visit_id for v in visits]))) if visits else set())
    picks = run(seed, week, before=before)
    assert not {p.visit_id for p in picks} & before
    # week after week over the same visits: the draws never overlap
    seen: set[uuid.UUID] = set(before)
    for i in range(4):
        drawn = {p.visit_id for p in run(f"{seed}-{i}", week, before=frozenset(seen))}
        assert not drawn & seen
        seen |= drawn


@settings(max_examples=150, deadline=None)
@given(seeds, weeks())
def test_nothing_received_after_the_cutoff_is_drawn(seed, week):  # type: ignore[no-untyped-def]
    visits, _ = week
    late = {v.visit_id for v in visits if v.received_at > CUTOFF}
    assert not {p.visit_id for p in run(seed, week)} & late


def test_a_naive_time_is_utc() -> None:
    worker = uuid.uuid4()
    on_time = Candidate(uuid.uuid4(), 1, worker, CUTOFF.replace(tzinfo=None))
    late = Candidate(uuid.uuid4(), 2, worker, (CUTOFF + dt.timedelta(seconds=1)).replace(tzinfo=None))
    picks = draw("s", [on_time, late], {}, (), DEFAULTS, week=WEEK, cutoff=CUTOFF)
    assert [p.visit_id for p in picks] == [on_time.visit_id]


def test_the_worker_cannot_predict_the_draw() -> None:
    """The seed is 128 secret bits, new for every draw; over many seeds each visit of a worker is drawn
    about equally often (the order the visits were made or numbered in tells nothing), and two visits'
    chances are independent of their ids' closeness."""
    seeds_made = {new_seed() for _ in range(500)}
    assert len(seeds_made) == 500
    assert all(len(s) == 32 and int(s, 16) >= 0 for s in seeds_made)
    worker = uuid.uuid4()
    visits = [Candidate(uuid.UUID(int=i + 1), i + 1, worker, CUTOFF) for i in range(20)]
    s = replace(DEFAULTS, backcheck_rate=0.05, backcheck_min=2)  # 2 of 20 each week
    counts: Counter[int] = Counter()
    trials = 4000
    for i in range(trials):
        counts.update(p.visit_no for p in draw(f"{i:032x}", visits, {}, (), s, week=WEEK, cutoff=CUTOFF))
    expected = trials * 2 / 20
    # each visit within 5 standard deviations of its expected count (sd = sqrt(400 * 0.9) = 19)
    assert set(counts) == set(range(1, 21))
    assert all(abs(c - expected) < 5 * math.sqrt(expected * 0.9) for c in counts.values()), counts
    # chi-square of the counts against the uniform: 19 degrees of freedom, far below the 0.1 % point (43.8)
    assert sum((c - expected) ** 2 / expected for c in counts.values()) < 43.8


def test_sample_size() -> None:
    assert sample_size(0, 0.05, 2) == 0
    assert sample_size(1, 0.05, 2) == 1
    assert sample_size(30, 0.05, 2) == 2
    assert sample_size(100, 0.05, 2) == 5
    assert sample_size(100, 0.07, 2) == 7  # not 8: 0.07 * 100 is 7.000000000000001 in floats
    assert sample_size(101, 0.05, 2) == 6


@settings(max_examples=50, deadline=None)
@given(seeds, weeks(), st.randoms(use_true_random=False))
def test_the_stored_params_reproduce_the_draw(seed, week, rnd):  # type: ignore[no-untyped-def]
    """An audit reads the settings back from the stored parameters and draws the same picks; the digest
    names the candidates whatever their order."""
    visits, started = week
    s = StreetSettings(backcheck_rate=0.1, backcheck_min=3, new_worker_days=90)
    params = draw_params(s, CUTOFF, visits)
    again = settings_of(params)
    assert (again.backcheck_rate, again.backcheck_min, again.new_worker_days) == (0.1, 3, 90)
    assert run(seed, week, again) == run(seed, week, s)
    shuffled = list(visits)
    rnd.shuffle(shuffled)
    assert candidates_digest(shuffled) == params["digest"]
    if visits:
        flipped = [replace(visits[0], flagged=not visits[0].flagged), *visits[1:]]
        assert candidates_digest(flipped) != params["digest"]
        # a flag raised (or cleared) after the draw: the audit takes the flags the draw saw
        then = as_flagged_then(flipped, params)
        assert candidates_digest(then) == params["digest"]
        assert run(seed, (then, started), s) == run(seed, week, s)


def test_failure_rate() -> None:
    assert failure_rate([]) is None
    assert failure_rate(["unreachable", ""]) is None
    assert failure_rate(["confirmed", "denied", "denied", "unreachable", "confirmed"]) == 0.5
    assert failure_rate(["denied"]) == 1.0


def test_week_of() -> None:
    assert week_of(dt.date(2026, 11, 29)) == WEEK  # a Sunday
    assert week_of(WEEK) == WEEK

"""A state machine over the worker's actions (visits, corrections, edits, a rejected input), checking
after every step what must always hold: every action wrote exactly one outbox entry with a growing
sequence number, a refused action wrote nothing, and each household's dates and the month's coverage
agree with a plain model of the visits that stand."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from gridworker.demo.seed import load_city
from gridworker.store.db import Database
from gridworker.store.reads import Reader
from gridworker.store.services import LocalStore
from gridworker_shared.domain.households import VisitInput, due_on
from gridworker_shared.domain.validation import ValidationError
from tests.helpers.build import CityBuilder, person

NOW = dt.datetime(2026, 11, 27, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
TODAY = NOW.date()


class WorkerActions(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # the users' clock (UTC+8) on this UTC machine, so local and UTC dates differ for part of the day
        self._tz = os.environ.get("TZ")
        os.environ["TZ"] = "Asia/Shanghai"
        time.tzset()
        self.folder = Path(tempfile.mkdtemp())
        b = CityBuilder()
        for i in range(3):
            b.household(
                ("幸福里", "1", "1", f"{i + 1}01"),
                [person(f"张{i}", "head", dt.date(1960, 1, 1 + i), "male", "", i + 1)],
                registered=dt.date(2026, 1, 1),
            )
        self.households = [h.id for h in b.households]
        self.members = {h.id: [m.id for m in h.members] for h in b.households}
        self.db = Database(self.folder / "w.db")
        load_city(self.db, b.city())
        self.store = LocalStore(self.db, b.worker.id, clock=lambda: NOW)
        self.reader = Reader(self.db.path)
        # the model: visit id -> (household, day, outcome, amends)
        self.visits: dict[uuid.UUID, tuple[uuid.UUID, dt.date, str, uuid.UUID | None]] = {}
        self.actions = 0

    def teardown(self) -> None:
        self.reader.close()
        self.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = self._tz
        time.tzset()

    def standing(self) -> list[tuple[uuid.UUID, dt.date, str]]:
        amended = {a for (_, _, _, a) in self.visits.values() if a is not None}
        return [(h, d, o) for v, (h, d, o, _) in self.visits.items() if v not in amended]

    @rule(
        household=st.integers(0, 2),
        outcome=st.sampled_from(["met", "not_home", "refused"]),
        days_ago=st.integers(0, 60),
    )
    def record(self, household: int, outcome: str, days_ago: int) -> None:
        hid = self.households[household]
        when = NOW - dt.timedelta(days=days_ago, hours=days_ago % 24)  # any hour, early mornings too
        seen = self.members[hid][:1] if outcome == "met" else []
        vid = self.store.record_visit(VisitInput(hid, outcome, seen=seen, visited_at=when))
        self.visits[vid] = (hid, when.date(), outcome, None)
        self.actions += 1

    @precondition(lambda self: bool(self.visits))
    @rule(data=st.data(), outcome=st.sampled_from(["met", "not_home", "refused"]), days_ago=st.integers(0, 60))
    def correct(self, data: st.DataObject, outcome: str, days_ago: int) -> None:
        amended = {a for (_, _, _, a) in self.visits.values() if a is not None}
        target = data.draw(st.sampled_from(list(self.visits)))  # in the order recorded: replayable
        hid = self.visits[target][0]
        when = NOW - dt.timedelta(days=days_ago)
        seen = self.members[hid][:1] if outcome == "met" else []
        before = self.actions
        try:
            vid = self.store.amend_visit(target, VisitInput(hid, outcome, seen=seen, visited_at=when))
        except ValidationError:
            assert target in amended  # only a visit already corrected is refused
            return
        assert target not in amended
        self.visits[vid] = (hid, when.date(), outcome, target)
        self.actions = before + 1

    @rule(household=st.integers(0, 2), digits=st.text("0123456789", min_size=11, max_size=11))
    def edit_phone(self, household: int, digits: str) -> None:
        phone = "1" + "3" + digits[2:]
        detail = self.reader.household_detail(self.households[household])
        assert detail is not None
        if self.store.update_household(self.households[household], {"phone": phone}):
            self.actions += 1
        else:
            assert detail.phone == phone

    @rule(household=st.integers(0, 2))
    def refused_input(self, household: int) -> None:
        before = self.reader.unsent_count()
        try:
            self.store.record_visit(VisitInput(self.households[household], "met", seen=[], visited_at=NOW))
        except ValidationError:
            pass
        else:
            raise AssertionError("a met visit with nobody seen was saved")
        assert self.reader.unsent_count() == before

    @invariant()
    def outbox_is_one_entry_per_action(self) -> None:
        con = self.reader._con()
        seqs = [r[0] for r in con.execute("SELECT seq FROM outbox ORDER BY seq")]
        assert len(seqs) == self.actions
        assert seqs == sorted(set(seqs))

    @invariant()
    def dates_follow_the_standing_visits(self) -> None:
        standing = self.standing()
        for hid in self.households:
            mine = [(d, o) for (h, d, o) in standing if h == hid]
            met = max((d for d, o in mine if o == "met"), default=None)
            attempt = max((d for d, _ in mine), default=None)
            detail = self.reader.household_detail(hid)
            assert detail is not None
            assert detail.last_met_on == met
            assert detail.last_attempt_on == attempt
            assert detail.due_on == due_on(met, detail.visit_interval_days, dt.date(2026, 1, 1))

    @invariant()
    def coverage_counts_standing_met_visits_this_month(self) -> None:
        first = TODAY.replace(day=1)
        met = {h for (h, d, o) in self.standing() if o == "met" and d >= first}
        assert self.reader.coverage(TODAY).households_visited == len(met)


WorkerActions.TestCase.settings = settings(
    max_examples=30, stateful_step_count=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestWorkerActions = WorkerActions.TestCase

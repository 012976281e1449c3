"""Small hand-made data sets for tests whose expectations must be exact."""

from __future__ import annotations

import datetime as dt
import uuid

from gridworker_server.demo_city import DemoCity, DemoHousehold, DemoOrgUnit, DemoPerson, DemoWorker
from gridworker_shared.domain.validation import id_birth_date, id_check_char, id_sex


def id_number(area: str, born: dt.date, seq: int, sex: str) -> str:
    """A valid 18-character ID number: sequence parity gives the sex (odd = male)."""
    order = seq * 2 + (1 if sex == "male" else 0)
    first17 = f"{area}{born:%Y%m%d}{order % 1000:03d}"
    return first17 + id_check_char(first17)


def person(name: str, relation: str, born: dt.date, sex: str, phone: str = "", seq: int = 1) -> DemoPerson:
    number = id_number("321302", born, seq, sex)
    assert id_birth_date(number) == born and id_sex(number) == sex
    return DemoPerson(uuid.uuid4(), name, relation, sex, born, phone, number)


class CityBuilder:
    def __init__(self) -> None:
        self.street = DemoOrgUnit(uuid.uuid4(), "32130200", "幸福街道", "street", None)
        self.grid = DemoOrgUnit(uuid.uuid4(), "3213020001", "古城社区第1网格", "grid", self.street.id)
        self.micro = DemoOrgUnit(
            uuid.uuid4(), "321302000101", "1-2栋微网格", "micro_grid", self.grid.id, "周建国", "13905271234"
        )
        self.households: list[DemoHousehold] = []
        self.worker = DemoWorker(uuid.uuid4(), "tester", "王静", "13800000000", self.grid.id)

    def household(
        self,
        address: tuple[str, str, str, str],
        members: list[DemoPerson],
        phone: str | None = None,
        tags: list[str] | None = None,
        registered: dt.date = dt.date(2024, 1, 1),
    ) -> DemoHousehold:
        compound, building, unit, room = address
        h = DemoHousehold(
            id=uuid.uuid4(),
            grid_id=self.grid.id,
            micro_grid_id=self.micro.id,
            compound=compound,
            building=building,
            unit=unit,
            floor=int(room[:-2]) if len(room) >= 3 else 1,
            room=room,
            head_name=members[0].name,
            phone=members[0].phone if phone is None else phone,
            tags=tags or [],
            notes="",
            members=members,
            registered_on=registered,
        )
        self.households.append(h)
        return h

    def city(self) -> DemoCity:
        return DemoCity([self.street, self.grid, self.micro], self.households, [], [self.worker])

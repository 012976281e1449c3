"""The demo city: one street of Suqian (宿迁市宿城区幸福街道) with its communities, grids, micro-grids,
households, residents and some visit history. Deterministic for a seed.

It produces plain dataclasses and knows no storage: the app's local store loads a worker's grid from
it directly (until the server exists), and the server will seed its own database from the same data.
Names, phone numbers and ID numbers come from Faker's zh_CN provider; ID numbers carry real Suqian area
codes, valid GB 11643 check characters and birth dates that match the person.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from gridworker_shared.domain.codes import visit_interval_for
from gridworker_shared.domain.validation import id_birth_date, id_sex
from gridworker_shared.domain.visits import NO_VISITS, VisitDates, after_visit
from gridworker_shared.protocol import member_id

SEED = 20261127
DISTRICT = ("321302", "宿城区")
STREET = ("32130200", "幸福街道")
COMMUNITIES = ("古城社区", "运河湾社区", "双庄社区", "项里社区")
COMPOUNDS = (
    "翠苑小区", "幸福家园", "运河湾花园", "书香名邸", "古黄河小区", "金色港湾", "楚街雅苑", "项王故里小区",
    "洪泽湖花园", "新城花园", "阳光新村", "西湖花园", "宿迁印象", "水木清华", "恒大名都", "御景湾",
)  # fmt: skip
# Given names as people in Jiangsu are really called (Faker's zh_CN lists mix the sexes up).
MALE_GIVEN = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波",
    "建国", "建华", "志强", "志明", "国强", "海涛", "俊杰", "浩然", "子轩", "宇航", "文博", "晓东", "春生",
    "德福", "长林", "永刚", "立新", "家豪", "正阳", "振华", "学文", "成龙", "宏伟", "金宝", "士林", "广才",
)  # fmt: skip
FEMALE_GIVEN = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "颖", "琳", "洁", "萍", "红",
    "秀英", "桂英", "秀兰", "玉兰", "淑珍", "凤英", "红霞", "晓燕", "丽华", "海燕", "雅琴", "梦琪", "欣怡",
    "诗涵", "紫涵", "雨桐", "思琪", "佳怡", "美玲", "春梅", "月娥", "翠花", "桂芳", "金凤", "小红", "文静",
)  # fmt: skip
AREA_CODES = ("321302", "321302", "321302", "321311", "321322", "321323", "321324", "321321")
NOTES = (
    "老人腿脚不便，上门请多敲门。", "子女在外地务工，逢年过节回家。", "家中有人长期服药，需关注。",
    "白天上班，晚上七点后在家。", "楼道堆放杂物，已提醒。", "对社区活动比较热心。", "",
)  # fmt: skip
VISIT_NOTES = (
    "了解家庭近况，无特殊诉求。", "讲解医保缴费政策。", "提醒注意用电安全，不要飞线充电。",
    "老人身体状况良好。", "反映楼下车辆乱停，影响出行。", "宣传防诈骗知识。", "询问低保申请流程。", "",
)  # fmt: skip
# the demo's review (gridworker_server.review.demo): notes one worker copied from household to household,
# and what the supervisor wrote when returning or questioning a visit
DEMO_COPIED_NOTE = "老人独居，身体尚可，已提醒冬季用电安全并留下联系电话。"
DEMO_REVIEW_COMMENTS = {
    "return": ("请补充见到的家庭成员。", "走访时间与签到记录不符，请核实后修改。", "未登记居民反映的诉求，请补录。"),
    "question": ("同一时段走访多栋楼，请说明情况。", "备注与其他住户完全相同，请核实。"),
}
REQUEST_TEXTS = {
    "illegal_construction": "一楼住户在院内搭建彩钢棚。",
    "fire_lane_blocked": "消防通道被电动车和杂物堵塞。",
    "disorderly_parking": "小区门口车辆乱停，出行不便。",
    "flying_wire_charging": "楼道有电线从窗口拉下给电动车充电。",
    "dumped_rubbish": "绿化带里有人倾倒建筑垃圾。",
    "policy_question": "咨询城乡居民医保缴费标准。",
    "errand_service": "老人行动不便，需帮办高龄津贴申领。",
    "other": "楼道灯坏了，晚上看不清。",
}


# the street's departments (issue 13): (kind of request_flow.DEPARTMENT_KINDS, name, user name suffix)
DEPARTMENTS = (
    ("urban_management", "城管执法中队", "cgzf"),
    ("housing", "住建办", "zj"),
    ("fire", "消防救援站", "xfjy"),
    ("police", "公安派出所", "pcs"),
    ("property", "物业服务企业", "wy"),
    ("market", "市场监管所", "scjg"),
    ("civil_affairs", "民政办", "mz"),
    ("power", "供电所", "gd"),
    ("community", "社区居委会", "sq"),
)
# which department the demo dispatches a category to (a user name suffix of DEPARTMENTS)
DISPATCH_TO = {
    "illegal_construction": ("cgzf", "zj"),
    "fire_lane_blocked": ("xfjy", "wy"),
    "disorderly_parking": ("pcs", "wy"),
    "flying_wire_charging": ("wy", "gd"),
    "dumped_rubbish": ("cgzf", "sq"),
    "policy_question": ("mz", "sq"),
    "errand_service": ("mz", "sq"),
    "other": ("wy", "sq"),
}
# what the demo's steps say
FLOW_NOTES = {
    "on_spot": "现场已协调解决。",
    "progress": "已到现场查看，正在处理。",
    "close": "已处置完毕，现场已恢复。",
    "extend": "需协调多方，申请延期。",
    "cancel": "居民表示已自行解决。",
    "whose": "不属本单位职责",
}


@dataclass
class DemoOrgUnit:
    id: uuid.UUID
    code: str
    name: str
    kind: str  # district, street, community, grid, micro_grid
    parent_id: uuid.UUID | None
    liaison_name: str = ""
    liaison_phone: str = ""


@dataclass
class DemoPerson:
    id: uuid.UUID
    name: str
    relation: str
    sex: str
    birth_date: dt.date
    phone: str
    id_number: str


@dataclass
class DemoHousehold:
    id: uuid.UUID
    grid_id: uuid.UUID
    micro_grid_id: uuid.UUID
    compound: str
    building: str
    unit: str
    floor: int
    room: str
    head_name: str
    phone: str
    tags: list[str]
    notes: str
    members: list[DemoPerson]
    registered_on: dt.date


@dataclass
class DemoRequest:
    id: uuid.UUID
    category: str
    description: str
    urgency: str
    status: str


@dataclass
class DemoVisit:
    id: uuid.UUID
    household_id: uuid.UUID
    worker_id: uuid.UUID
    visited_at: dt.datetime  # aware, +08:00
    outcome: str
    notes: str
    seen: list[uuid.UUID]
    requests: list[DemoRequest] = field(default_factory=list)


@dataclass
class DemoWorker:
    id: uuid.UUID
    username: str
    name: str
    phone: str
    grid_id: uuid.UUID


@dataclass
class DemoCity:
    org_units: list[DemoOrgUnit]
    households: list[DemoHousehold]
    visits: list[DemoVisit]
    workers: list[DemoWorker]

    def grid(self, grid_id: uuid.UUID) -> DemoCity:
        """The part of the city one worker's laptop holds: the grid, its ancestors and micro-grids."""
        by_id = {u.id: u for u in self.org_units}
        keep: set[uuid.UUID] = set()
        node: uuid.UUID | None = grid_id
        while node is not None:
            keep.add(node)
            node = by_id[node].parent_id
        keep |= {u.id for u in self.org_units if u.parent_id == grid_id}
        households = [h for h in self.households if h.grid_id == grid_id]
        ids = {h.id for h in households}
        return DemoCity(
            [u for u in self.org_units if u.id in keep],
            households,
            [v for v in self.visits if v.household_id in ids],
            [w for w in self.workers if w.grid_id == grid_id],
        )


# --- the city as table rows: what the app's demo seed and the server's share ------------------------


def batched(rows: Iterable[dict[str, Any]], size: int = 2000) -> Iterator[list[dict[str, Any]]]:
    """Rows in lists of ``size``, for bulk inserts."""
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def last_visits(city: DemoCity) -> tuple[dict[uuid.UUID, dt.date], dict[uuid.UUID, dt.date]]:
    """Per household, the day of its last visit that met someone, and of its last visit at all (the
    shared rule, ``after_visit``: the demo city's visits correct none)."""
    dates: dict[uuid.UUID, VisitDates] = {}
    for v in city.visits:
        dates[v.household_id] = after_visit(dates.get(v.household_id, NO_VISITS), v.visited_at.date(), v.outcome)
    met = {hid: d.met for hid, d in dates.items() if d.met is not None}
    attempt = {hid: d.attempt for hid, d in dates.items() if d.attempt is not None}
    return met, attempt


def org_unit_rows(city: DemoCity) -> list[dict[str, Any]]:
    return [
        {
            "id": u.id,
            "code": u.code,
            "name": u.name,
            "kind": u.kind,
            "parent_id": u.parent_id,
            "liaison_name": u.liaison_name,
            "liaison_phone": u.liaison_phone,
        }
        for u in city.org_units
    ]


def member_rows(city: DemoCity) -> Iterator[dict[str, Any]]:
    for h in city.households:
        for i, m in enumerate(h.members):
            yield {
                "id": m.id,
                "household_id": h.id,
                "position": i,
                "name": m.name,
                "relation": m.relation,
                "sex": m.sex,
                "birth_date": m.birth_date,
                "phone": m.phone,
                "id_number": m.id_number,
                "active": True,
                "version": 1,
            }


CHINA = dt.timezone(dt.timedelta(hours=8))


def given_name(rng: random.Random, sex: str) -> str:
    return rng.choice(MALE_GIVEN if sex == "male" else FEMALE_GIVEN)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class _People:
    def __init__(self, rng: random.Random, fake: Faker, today: dt.date) -> None:
        self.rng, self.fake, self.today = rng, fake, today

    def person(self, relation: str, sex: str, min_age: int, max_age: int, surname: str | None = None) -> DemoPerson:
        fake, rng = self.fake, self.rng
        name = (surname or fake.last_name()) + given_name(rng, sex)
        min_age, max_age = max(min_age, 0), max(max_age, min_age)
        while True:
            id_number = fake.ssn(  # type: ignore[call-arg]  # zh_CN provider arguments
                min_age=min_age,
                max_age=max_age,
                gender="M" if sex == "male" else "F",
                area_code=rng.choice(AREA_CODES),
            )
            born = id_birth_date(id_number)
            if born <= self.today:
                break
        assert id_sex(id_number) == sex
        adult = (self.today - born).days >= 16 * 365
        phone = fake.phone_number() if adult and rng.random() < 0.9 else ""
        return DemoPerson(_uuid(rng), name, relation, sex, born, phone, id_number)

    def household_members(self) -> tuple[list[DemoPerson], list[str]]:
        """A plausible household: who lives there, and the care tags that follow from it."""
        rng = self.rng
        kind = rng.choices(
            ["elderly_alone", "elderly_couple", "family", "three_generations", "single", "left_behind"],
            weights=[8, 12, 45, 20, 10, 5],
        )[0]
        tags: list[str] = []
        sex = rng.choice(["male", "female"])
        if kind == "elderly_alone":
            members = [self.person("head", sex, 70, 92)]
            tags.append("elderly_alone")
        elif kind == "elderly_couple":
            head = self.person("head", "male", 62, 88)
            members = [head, self.person("spouse", "female", 60, 86)]
            if rng.random() < 0.5:
                tags.append("empty_nest")
        elif kind == "single":
            members = [self.person("head", sex, 22, 55)]
            if rng.random() < 0.3:
                tags.append("rental")
        elif kind == "left_behind":
            grandpa = self.person("head", "male", 60, 78)
            surname = grandpa.name[0]
            members = [grandpa, self.person("spouse", "female", 58, 76)]
            members += [
                self.person("grandchild", rng.choice(["male", "female"]), 4, 14, surname)
                for _ in range(rng.randint(1, 2))
            ]
            tags.append("left_behind_child")
        else:
            age = rng.randint(30, 55)
            head = self.person("head", "male", age, age)
            surname = head.name[0]
            members = [head, self.person("spouse", "female", max(age - 6, 22), age + 2)]
            members += [
                self.person("child", rng.choice(["male", "female"]), 1, min(20, age - 22), surname)
                for _ in range(rng.choices([0, 1, 2], weights=[20, 55, 25])[0])
            ]
            if kind == "three_generations":
                members.append(
                    self.person("parent", rng.choice(["male", "female"]), age + 22, min(age + 36, 95), surname)
                )
        if rng.random() < 0.06:
            tags.append("low_income")
        if rng.random() < 0.05:
            tags.append("disabled")
        if rng.random() < 0.04:
            tags.append("veteran")
        if rng.random() < 0.02:
            tags.append("serious_illness")
        return members, sorted(set(tags))


def generate_city(
    *,
    seed: int = SEED,
    today: dt.date | None = None,
    grids_per_community: int = 3,
    households_per_grid: tuple[int, int] = (150, 500),
    history_days: int = 60,
) -> DemoCity:
    """One street: four communities, each with ``grids_per_community`` grids of households."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    people = _People(rng, fake, today)

    district = DemoOrgUnit(_uuid(rng), DISTRICT[0], DISTRICT[1], "district", None)
    street = DemoOrgUnit(_uuid(rng), STREET[0], STREET[1], "street", district.id)
    units = [district, street]
    households: list[DemoHousehold] = []
    visits: list[DemoVisit] = []
    workers: list[DemoWorker] = []
    compounds = list(COMPOUNDS)
    rng.shuffle(compounds)
    grid_no = 0
    for c_index, community_name in enumerate(COMMUNITIES, start=1):
        community = DemoOrgUnit(_uuid(rng), f"{STREET[0]}{c_index:02d}", community_name, "community", street.id)
        units.append(community)
        for g in range(1, grids_per_community + 1):
            grid_no += 1
            grid = DemoOrgUnit(
                _uuid(rng), f"{community.code}{g:02d}", f"{community_name}第{g}网格", "grid", community.id
            )
            units.append(grid)
            worker_sex = rng.choice(["male", "female"])
            worker_name = fake.last_name() + given_name(rng, worker_sex)
            worker = DemoWorker(
                _uuid(rng),
                "demo" if grid_no == 1 else f"worker{grid_no:02d}",
                worker_name,
                fake.phone_number(),
                grid.id,
            )
            workers.append(worker)
            target = rng.randint(*households_per_grid)
            grid_households = _grid_households(rng, fake, people, grid, compounds, grid_no, target, units, today)
            households += grid_households
            visits += _history(rng, grid_households, worker, today, history_days)
    return DemoCity(units, households, visits, workers)


def _grid_households(
    rng: random.Random,
    fake: Faker,
    people: _People,
    grid: DemoOrgUnit,
    compounds: list[str],
    grid_no: int,
    target: int,
    units: list[DemoOrgUnit],
    today: dt.date,
) -> list[DemoHousehold]:
    compound = compounds[(grid_no - 1) % len(compounds)]
    if grid_no > len(compounds):
        compound = f"{compound}{grid_no // len(compounds) + 1}期"
    floors = rng.choice([6, 6, 11, 18])
    units_per_building = rng.choice([2, 3])
    rooms_per_floor = 2
    out: list[DemoHousehold] = []
    building = 0
    micro: DemoOrgUnit | None = None
    while len(out) < target:
        building += 1
        if micro is None or building % 2 == 1:
            liaison_sex = rng.choice(["male", "female"])
            micro = DemoOrgUnit(
                _uuid(rng),
                f"{grid.code}{(building + 1) // 2:02d}",
                f"{compound}{building}-{building + 1}栋微网格",
                "micro_grid",
                grid.id,
                fake.last_name() + given_name(rng, liaison_sex),
                fake.phone_number(),
            )
            units.append(micro)
        for unit in range(1, units_per_building + 1):
            for floor in range(1, floors + 1):
                for r in range(1, rooms_per_floor + 1):
                    if len(out) >= target:
                        break
                    if rng.random() < 0.08:  # vacant or shop
                        continue
                    members, tags = people.household_members()
                    head = members[0]
                    household_id = _uuid(rng)
                    for index, member in enumerate(members):
                        member.id = member_id(household_id, index)  # server-made members: derived ids
                    registered = today - dt.timedelta(days=rng.randint(90, 3000))
                    out.append(
                        DemoHousehold(
                            id=household_id,
                            grid_id=grid.id,
                            micro_grid_id=micro.id,
                            compound=compound,
                            building=str(building),
                            unit=str(unit),
                            floor=floor,
                            room=f"{floor}{r:02d}",
                            head_name=head.name,
                            phone=head.phone or next((m.phone for m in members if m.phone), ""),
                            tags=tags,
                            notes=rng.choice(NOTES) if rng.random() < 0.3 else "",
                            members=members,
                            registered_on=registered,
                        )
                    )
    return out


def _history(
    rng: random.Random, households: list[DemoHousehold], worker: DemoWorker, today: dt.date, days: int
) -> list[DemoVisit]:
    """Some past visits: most households met once or twice in the last ``days``, some not found home."""
    visits: list[DemoVisit] = []
    statuses = ["submitted", "accepted", "assigned", "in_progress", "resolved", "closed"]
    for h in households:
        if rng.random() < 0.05:
            continue  # newly registered, not visited yet
        # most households are on schedule: the last visit falls within about one interval
        interval = visit_interval_for(h.tags)
        last = rng.randint(1, min(days, int(interval * 1.2) + 1))
        last_outcome = rng.choices(["met", "not_home", "refused"], weights=[80, 17, 3])[0]
        # an earlier round (which met them) for half of them, and for everyone not met last time
        earlier = min(last + interval, days)
        backs = [last] if last_outcome == "met" and rng.random() < 0.5 else [earlier, last]
        for back in sorted(set(backs), reverse=True):
            day = today - dt.timedelta(days=back)
            at = dt.datetime(
                day.year, day.month, day.day, rng.randint(9, 19), rng.choice([0, 15, 30, 45]), tzinfo=CHINA
            )
            outcome = last_outcome if back == last else "met"
            seen = []
            if outcome == "met":
                seen = [m.id for m in h.members if rng.random() < 0.7] or [h.members[0].id]
            requests = []
            if outcome == "met" and rng.random() < 0.12:
                category = rng.choice(list(REQUEST_TEXTS))
                requests.append(
                    DemoRequest(
                        _uuid(rng),
                        category,
                        REQUEST_TEXTS[category],
                        rng.choice(["normal", "normal", "urgent"]),
                        rng.choice(statuses),
                    )
                )
            visits.append(
                DemoVisit(
                    _uuid(rng),
                    h.id,
                    worker.id,
                    at,
                    outcome,
                    rng.choice(VISIT_NOTES) if outcome == "met" else "",
                    seen,
                    requests,
                )
            )
    return visits

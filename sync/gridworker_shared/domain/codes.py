"""The fixed vocabularies of the domain: care tags, visit outcomes, request categories, relations.

Codes are stable ASCII identifiers stored in the database and sent over the wire; labels are English
source strings marked for Qt's lupdate and shown translated (Simplified Chinese first). Chinese
aliases let a roster or a user's typing name a code the way communities write it.
"""

from __future__ import annotations

from dataclasses import dataclass


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text


@dataclass(frozen=True)
class Code:
    code: str
    label: str  # English source string, translated in context "codes"
    zh: str  # the name communities use, for rosters and for search


@dataclass(frozen=True)
class CareTag(Code):
    interval_days: int  # how often a household with this tag is visited, at the most


DEFAULT_VISIT_INTERVAL_DAYS = 30

CARE_TAGS: tuple[CareTag, ...] = (
    CareTag("elderly_alone", QT_TRANSLATE_NOOP("codes", "Elderly living alone"), "独居老人", 7),
    CareTag("special_hardship", QT_TRANSLATE_NOOP("codes", "Extreme hardship"), "特困供养", 7),
    CareTag("empty_nest", QT_TRANSLATE_NOOP("codes", "Empty-nest elderly"), "空巢老人", 14),
    CareTag("low_income", QT_TRANSLATE_NOOP("codes", "Minimum subsistence"), "低保", 14),
    CareTag("disabled", QT_TRANSLATE_NOOP("codes", "Disabled"), "残疾人", 14),
    CareTag("left_behind_child", QT_TRANSLATE_NOOP("codes", "Left-behind child"), "留守儿童", 14),
    CareTag("serious_illness", QT_TRANSLATE_NOOP("codes", "Serious illness"), "重病", 14),
    CareTag("veteran", QT_TRANSLATE_NOOP("codes", "Veteran"), "退役军人", 30),
    CareTag("rental", QT_TRANSLATE_NOOP("codes", "Rented home"), "出租户", 30),
)
CARE_TAG_BY_CODE = {t.code: t for t in CARE_TAGS}

OUTCOMES: tuple[Code, ...] = (
    Code("met", QT_TRANSLATE_NOOP("codes", "Met"), "见面"),
    Code("not_home", QT_TRANSLATE_NOOP("codes", "Not at home"), "不在家"),
    Code("refused", QT_TRANSLATE_NOOP("codes", "Refused"), "拒绝"),
)
OUTCOME_BY_CODE = {o.code: o for o in OUTCOMES}

REQUEST_CATEGORIES: tuple[Code, ...] = (
    Code("illegal_construction", QT_TRANSLATE_NOOP("codes", "Illegal construction"), "违法建设"),
    Code("fire_lane_blocked", QT_TRANSLATE_NOOP("codes", "Fire lane blocked"), "消防通道堵塞"),
    Code("disorderly_parking", QT_TRANSLATE_NOOP("codes", "Disorderly parking"), "车辆乱停放"),
    Code("flying_wire_charging", QT_TRANSLATE_NOOP("codes", "Flying-wire e-bike charging"), "飞线充电"),
    Code("dumped_rubbish", QT_TRANSLATE_NOOP("codes", "Dumped rubbish"), "乱倒垃圾"),
    Code("policy_question", QT_TRANSLATE_NOOP("codes", "Policy question"), "政策咨询"),
    Code("errand_service", QT_TRANSLATE_NOOP("codes", "Help with an errand"), "帮办代办"),
    Code("other", QT_TRANSLATE_NOOP("codes", "Other"), "其他"),
)
REQUEST_CATEGORY_BY_CODE = {c.code: c for c in REQUEST_CATEGORIES}


@dataclass(frozen=True)
class Urgency(Code):
    due_days: int  # the due date a new request gets


URGENCIES: tuple[Urgency, ...] = (
    Urgency("normal", QT_TRANSLATE_NOOP("codes", "Normal"), "一般", 7),
    Urgency("urgent", QT_TRANSLATE_NOOP("codes", "Urgent"), "紧急", 3),
    Urgency("critical", QT_TRANSLATE_NOOP("codes", "Critical (same day)"), "特急", 1),
)
URGENCY_BY_CODE = {u.code: u for u in URGENCIES}

REQUEST_STATUSES: tuple[Code, ...] = (
    Code("submitted", QT_TRANSLATE_NOOP("codes", "Submitted"), "已提交"),
    Code("accepted", QT_TRANSLATE_NOOP("codes", "Accepted"), "已受理"),
    Code("assigned", QT_TRANSLATE_NOOP("codes", "Assigned"), "已派单"),
    Code("in_progress", QT_TRANSLATE_NOOP("codes", "In progress"), "办理中"),
    Code("resolved", QT_TRANSLATE_NOOP("codes", "Resolved"), "已办结"),
    Code("closed", QT_TRANSLATE_NOOP("codes", "Closed"), "已办结"),  # 办结 (request_flow); before, 归档
    # the request flow's (gridworker_shared.domain.request_flow)
    Code("dispatched", QT_TRANSLATE_NOOP("codes", "Dispatched"), "已派单"),
    Code("signed", QT_TRANSLATE_NOOP("codes", "Signed for"), "已签收"),
    Code("archived", QT_TRANSLATE_NOOP("codes", "Archived"), "已归档"),
    Code("merged", QT_TRANSLATE_NOOP("codes", "Merged"), "已合并"),
    Code("rejected", QT_TRANSLATE_NOOP("codes", "Rejected"), "不予受理"),
    Code("cancelled", QT_TRANSLATE_NOOP("codes", "Cancelled"), "已撤销"),
)
REQUEST_STATUS_BY_CODE = {s.code: s for s in REQUEST_STATUSES}

RELATIONS: tuple[Code, ...] = (
    Code("head", QT_TRANSLATE_NOOP("codes", "Head of household"), "户主"),
    Code("spouse", QT_TRANSLATE_NOOP("codes", "Spouse"), "配偶"),
    Code("child", QT_TRANSLATE_NOOP("codes", "Child"), "子女"),
    Code("parent", QT_TRANSLATE_NOOP("codes", "Parent"), "父母"),
    Code("grandchild", QT_TRANSLATE_NOOP("codes", "Grandchild"), "孙子女"),
    Code("grandparent", QT_TRANSLATE_NOOP("codes", "Grandparent"), "祖父母"),
    Code("sibling", QT_TRANSLATE_NOOP("codes", "Sibling"), "兄弟姐妹"),
    Code("tenant", QT_TRANSLATE_NOOP("codes", "Tenant"), "租户"),
    Code("other", QT_TRANSLATE_NOOP("codes", "Other"), "其他"),
)
RELATION_BY_CODE = {r.code: r for r in RELATIONS}

SEXES: tuple[Code, ...] = (
    Code("male", QT_TRANSLATE_NOOP("codes", "Male"), "男"),
    Code("female", QT_TRANSLATE_NOOP("codes", "Female"), "女"),
)
SEX_BY_CODE = {s.code: s for s in SEXES}


def visit_interval_for(tags: list[str] | set[str] | tuple[str, ...]) -> int:
    """The shortest interval any of the household's care tags asks for, else the default."""
    days = [CARE_TAG_BY_CODE[t].interval_days for t in tags if t in CARE_TAG_BY_CODE]
    return min([DEFAULT_VISIT_INTERVAL_DAYS, *days])

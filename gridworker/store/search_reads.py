"""Search's SQL and why a household matched: the query's key ranges on the search index, the
filters, the total, and which member (or hidden field) a row was found by. Used by
gridworker.store.reads; stdlib only, like it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from gridworker.store.rows import After, Filters, HouseholdRow
from gridworker_shared.domain.search import AddressParts, address_keys, id_keys, name_keys, parse_query, phone_keys

_ROW_COLUMNS = """
    h.id, h.walk_key, {bucket} AS bucket, h.compound, h.building, h.unit, h.room, h.head_name, h.phone,
    (SELECT group_concat(t.tag, ',') FROM household_tag t WHERE t.household_id = h.id) AS tags,
    h.due_on, h.last_met_on,
    (SELECT o.state FROM outbox o WHERE o.household_id = h.id AND o.state != 'applied'
     AND o.acknowledged_at IS NULL
     ORDER BY CASE o.state WHEN 'conflict' THEN 0 WHEN 'rejected' THEN 1 ELSE 2 END LIMIT 1) AS sync_state
"""


def _search_where(filters: Filters, today: dt.date) -> tuple[list[str], dict[str, Any]]:
    """The conditions of a search and their parameters. Each query token is an OR of key ranges on
    the search_key primary key; tokens are ANDed; filters narrow further."""
    where: list[str] = []
    params: dict[str, Any] = {"today": today.isoformat()}
    for t, ranges in enumerate(parse_query(filters.text)):
        alternatives = []
        for r, (lo, hi) in enumerate(ranges):
            params[f"lo{t}_{r}"], params[f"hi{t}_{r}"] = lo, hi
            alternatives.append(f"(k.key >= :lo{t}_{r} AND k.key < :hi{t}_{r})")
        where.append(f"h.id IN (SELECT k.household_id FROM search_key k WHERE {' OR '.join(alternatives)})")
    if filters.tag:
        params["tag"] = filters.tag
        where.append("EXISTS (SELECT 1 FROM household_tag t WHERE t.household_id = h.id AND t.tag = :tag)")
    if filters.compound is not None:
        params["compound"] = filters.compound
        where.append("h.compound = :compound")
    if filters.building is not None:
        params["building"] = filters.building
        where.append("h.building = :building")
    if filters.overdue_only:
        where.append("h.due_on < :today")
    return where, params


def search_sql(filters: Filters, today: dt.date, after: After | None, limit: int) -> tuple[str, dict[str, Any]]:
    """The SQL of one page of a search, and its parameters."""
    where, params = _search_where(filters, today)
    params["limit"] = limit + 1
    if after is not None:
        params["after_key"], params["after_id"] = after[1], after[2].hex
        where.append("(h.walk_key, h.id) > (:after_key, :after_id)")
    sql = f"SELECT {_ROW_COLUMNS.format(bucket='0')} FROM household h"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + " ORDER BY h.walk_key, h.id LIMIT :limit", params


def search_count_sql(filters: Filters, today: dt.date) -> tuple[str, dict[str, Any]]:
    """How many households a search finds in all (the list loads them a page at a time)."""
    where, params = _search_where(filters, today)
    sql = "SELECT count(*) FROM household h"
    return (sql + " WHERE " + " AND ".join(where) if where else sql), params


def _hits(keys: set[str], ranges: list[tuple[str, str]]) -> bool:
    return any(lo <= k < hi for k in keys for lo, hi in ranges)


def match_reason(row: HouseholdRow, people: list[sqlite3.Row], tokens: list[list[tuple[str, str]]]) -> tuple[str, ...]:
    """Why a search found ``row`` when its address and head do not show it: the first query token
    matched only by the household's phone or by a member (their name, phone or ID number)."""
    shown = address_keys(AddressParts(row.compound, row.building, row.unit, row.room)) | name_keys(row.head_name)
    for ranges in tokens:
        if _hits(shown, ranges):
            continue
        if _hits(phone_keys(row.phone), ranges):
            return ("phone", "", row.phone)
        for p in people:
            if p["name"] == row.head_name:
                if _hits(phone_keys(p["phone"]), ranges):
                    return ("phone", "", p["phone"])
                continue
            if _hits(name_keys(p["name"]), ranges):
                return ("name", p["name"], p["name"])
            if _hits(phone_keys(p["phone"]), ranges):
                return ("phone", p["name"], p["phone"])
            if _hits(id_keys(p["id_number"]), ranges):
                return ("id_number", p["name"], p["id_number"])
    return ()

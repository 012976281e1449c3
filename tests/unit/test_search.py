"""Find any household as the user types: names, pinyin, initials, address forms, phone and ID tails."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gridworker.demo.seed import load_city
from gridworker.store.db import Database
from gridworker.store.reads import Reader, search_sql
from gridworker.store.rows import Filters
from gridworker_shared.domain.search import AddressParts, household_keys, name_keys, parse_query
from tests.helpers.build import CityBuilder, person
from tests.helpers.data import TODAY


@pytest.fixture(scope="module")
def search_db(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    b = CityBuilder()
    b.household(
        ("幸福里", "3", "2", "501"),
        [
            person("张三", "head", dt.date(1960, 5, 1), "male", "13812345678", 1),
            person("李梅", "spouse", dt.date(1962, 3, 8), "female", "", 2),
        ],
        tags=["elderly_alone"],
    )
    b.household(("幸福里", "3", "1", "302"), [person("曾小明", "head", dt.date(1980, 1, 2), "male", "13998765432", 3)])
    b.household(("幸福里", "12", "1", "101"), [person("张珊珊", "head", dt.date(1990, 7, 7), "female", "", 4)])
    b.household(
        ("运河湾", "3", "2", "501"),
        [person("王五", "head", dt.date(1950, 2, 2), "male", "0527-84361234", 5)],
        tags=["low_income"],
    )
    b.household(("运河湾", "5", "1", "1203"), [person("欧阳娜", "head", dt.date(1975, 9, 9), "female", "", 6)])
    db = Database(tmp_path_factory.mktemp("search") / "search.db")
    load_city(db, b.city())
    db.close()
    return Reader(db.path)


def heads(reader: Reader, text: str = "", **filters: object) -> list[str]:
    page = reader.search(Filters(text=text, **filters), TODAY)  # type: ignore[arg-type]
    return sorted(r.head_name for r in page.rows)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("张三", ["张三"]),
        ("张", ["张三", "张珊珊"]),
        ("三", ["张三"]),  # the given name alone
        ("李梅", ["张三"]),  # a member's name finds the household
        ("zs", ["张三", "张珊珊"]),  # pinyin initials
        ("zhangsan", ["张三"]),  # full pinyin
        ("zhang", ["张三", "张珊珊"]),  # a pinyin prefix while typing
        ("zhangshan", ["张珊珊"]),
        ("ZhangSan", ["张三"]),  # case does not matter
        ("ｚｓ", ["张三", "张珊珊"]),  # full-width letters
        ("zxm", ["曾小明"]),  # 曾 read as a surname: zeng
        ("cxm", ["曾小明"]),  # ... and as people may type it
        ("zengxiaoming", ["曾小明"]),
        ("oyn", ["欧阳娜"]),
        ("3-2-501", ["张三", "王五"]),
        ("3-2-5", ["张三", "王五"]),  # while typing
        ("3栋2单元501", ["张三", "王五"]),
        ("3栋2单元501室", ["张三", "王五"]),
        ("3号楼", ["张三", "曾小明", "王五"]),
        ("3#", ["张三", "曾小明", "王五"]),
        ("3-501", ["张三", "王五"]),  # building-room without the unit
        ("3栋501", ["张三", "王五"]),
        ("12-1-101", ["张珊珊"]),
        ("幸福里3-2-501", ["张三"]),  # compound glued to the address
        ("幸福里 3-2-501", ["张三"]),
        ("运河湾3栋2单元501", ["王五"]),
        ("幸福", ["张三", "张珊珊", "曾小明"]),  # compound name
        ("13812345678", ["张三"]),  # whole phone
        ("138123", ["张三"]),  # phone prefix
        ("5678", ["张三"]),  # last 4 digits of a phone
        ("84361234", ["王五"]),  # landline without its area code
        ("1234", ["王五"]),
        ("zs 501", ["张三"]),  # tokens are ANDed
        ("张三 运河湾", []),
        ("nobody", []),
        ("9-9-999", []),
    ],
)
def test_search_finds(search_db: Reader, query: str, expected: list[str]) -> None:
    assert heads(search_db, query) == sorted(expected)


def test_id_tail_and_whole_id(search_db: Reader) -> None:
    zhang = search_db.search(Filters(text="张三"), TODAY).rows[0]
    detail = search_db.household_detail(zhang.id)
    assert detail is not None
    number = detail.members[0].id_number
    assert heads(search_db, number[-4:]) == ["张三"]
    assert heads(search_db, number[-4:].lower()) == ["张三"]  # a lower-case x
    assert heads(search_db, number) == ["张三"]
    assert heads(search_db, number[:14]) == ["张三"]  # a prefix of the whole number


def test_filters(search_db: Reader) -> None:
    assert heads(search_db, tag="elderly_alone") == ["张三"]
    assert heads(search_db, "zs", tag="elderly_alone") == ["张三"]
    assert heads(search_db, tag="low_income") == ["王五"]
    assert heads(search_db, compound="运河湾", building="3") == ["王五"]
    # every demo household is due from its registration (never met), so all are overdue
    assert len(heads(search_db, overdue_only=True)) == 5
    assert heads(search_db, "nobody", tag="low_income") == []


def test_results_come_in_walking_order_and_page(search_db: Reader) -> None:
    first = search_db.search(Filters(), TODAY, limit=2)
    second = search_db.search(Filters(), TODAY, after=first.after, limit=2)
    third = search_db.search(Filters(), TODAY, after=second.after, limit=2)
    everything = search_db.search(Filters(), TODAY)
    assert first.more and second.more and not third.more
    paged = [r.id for r in first.rows + second.rows + third.rows]
    assert paged == [r.id for r in everything.rows]
    keys = [r.walk_key for r in everything.rows]
    assert keys == sorted(keys)
    # building 3 comes before building 12 (numbers sort as numbers)
    xingfu = [(r.building, r.unit, r.room) for r in everything.rows if r.compound == "幸福里"]
    assert xingfu == [("3", "1", "302"), ("3", "2", "501"), ("12", "1", "101")]


def test_name_keys_cover_polyphonic_surnames() -> None:
    assert {"n:单", "n:shan", "n:dan"} <= name_keys("单")
    keys = name_keys("单田芳")
    assert "n:shantianfang" in keys and "n:dantianfang" in keys and "n:stf" in keys


def test_u_umlaut_is_found_as_v_and_u() -> None:
    keys = name_keys("吕女士")
    assert {"n:lvnvshi", "n:lunushi", "n:lns"} <= keys


def test_household_keys_namespaces() -> None:
    keys = household_keys(
        AddressParts("幸福里", "03", "2", "0501"), ["张三"], ["138-1234-5678"], ["32130219600501001X"]
    )
    assert {"a:3-2-501", "r:3-501", "b:3", "m:501", "c:幸福里", "p:13812345678", "t:5678", "i:001X"} <= keys


def test_parse_query_ignores_blank() -> None:
    assert parse_query("   ") == []
    assert parse_query("") == []


def test_search_is_indexed(search_db: Reader) -> None:
    """Every token is a range scan of the search_key primary key, never a full scan of it."""
    import sqlite3

    sql, params = search_sql(Filters(text="zs 3-2"), TODAY, None, 200)
    con = sqlite3.connect(Path(search_db.path))
    plan = " ".join(str(r[-1]) for r in con.execute("EXPLAIN QUERY PLAN " + sql, params))
    con.close()
    assert "SCAN k" not in plan and "SCAN search_key" not in plan
    assert "SEARCH k USING" in plan

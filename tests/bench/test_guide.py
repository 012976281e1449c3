"""Searching the policy guide offline over 5,000 articles: gridworker.guide.search.search() on the
screens' reader connection, against the full-text query alone, in the same run.

The articles are generated with a fixed seed from a fixed word list, the way guide articles read: a
title from a subject (城乡居民医保, 最低生活保障, 住房公积金 …) and a kind (申请指南, 办理流程 …), a Markdown
body of 300 to 1,500 characters in sections, with the subject's own words (医保 in the 医保 articles)
among words common to every article (申请, 社区, 办理 …; common words are drawn more often), and phone
numbers in some of them. They are written by upsert_articles, as a sync does.

The queries (34) are what workers type: two-character terms, single characters (the first keystroke
of any term, matching most articles), mixed Chinese and Latin, digits, pinyin initials and syllables,
and residents' questions typed without spaces (身份证补办: cut into words, each with its synonyms).
Each is run ``ROUNDS`` times on both sides; which side goes first alternates.

App: ``search(con, text)`` from the text to the list of hits (parsing, the ranked query with title
matches first, the highlighted titles and snippets). Floor: ``RAW_SQL``, the same MATCH expression
ranked by FTS5's bm25 with LIMIT 50, executed and fetched: what the index costs before any of the app's
work. Both must agree on how many rows there are.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gridworker.guide.search import RAW_SQL, match_expression, parse_query, search
from gridworker.guide.store import upsert_articles
from gridworker.store.db import Database
from gridworker.store.reads import Reader
from tests.bench.benchlib import Figures, median, percentile, report

GUIDE_SEARCH_P95_MS = 20.0
GUIDE_SEARCH_VS_SQL = 3.0
ARTICLES = 5000
ROUNDS = 7
LIMIT = 50
SEED = 20261130

CATEGORIES = ("policy", "procedure", "phone", "tip")
# subject -> its own words
SUBJECTS: dict[str, tuple[str, ...]] = {
    "城乡居民医保": ("医保", "参保", "缴费", "报销", "医疗保险", "定点医院", "门诊"),
    "职工医保": ("医保", "单位", "个人账户", "报销", "门诊统筹", "异地就医"),
    "最低生活保障": ("低保", "家庭收入", "入户调查", "民主评议", "公示", "低保标准"),
    "低保": ("低保", "低保金", "低保对象", "家庭收入", "公示"),
    "低保边缘家庭": ("低保", "边缘", "救助", "家庭财产", "认定"),
    "特困人员供养": ("特困", "供养", "集中供养", "分散供养", "护理"),
    "临时救助": ("救助", "突发", "意外", "先行救助", "急难"),
    "医疗救助": ("救助", "医保", "自付费用", "一站式结算", "大病"),
    "高龄津贴": ("高龄", "津贴", "老年人", "社保卡", "按月发放"),
    "残疾人两项补贴": ("残疾人", "补贴", "残疾人证", "护理补贴", "生活补贴"),
    "养老保险": ("养老", "养老金", "资格认证", "缴费年限", "退休"),
    "住房公积金": ("公积金", "提取", "贷款", "租房", "购房"),
    "公共租赁住房": ("公租房", "租金", "轮候", "住房困难", "配租"),
    "新生儿落户": ("落户", "出生医学证明", "户口簿", "派出所", "出生一件事"),
    "居住证": ("居住证", "签注", "居住登记", "暂住", "流动人口"),
    "身份证": ("身份证", "换领", "补领", "临时身份证", "派出所"),
    "退役军人优待证": ("退役军人", "优待证", "服务站", "优抚", "褒扬"),
    "老年人优待证": ("老年人", "优待证", "公交", "景区", "免费"),
    "电动自行车安全": ("电动车", "充电", "飞线充电", "楼道", "火灾"),
    "垃圾分类": ("垃圾", "厨余垃圾", "可回收物", "有害垃圾", "分类"),
    "燃气安全": ("燃气", "泄漏", "阀门", "报修", "开窗"),
    "防范电信诈骗": ("诈骗", "转账", "安全账户", "反诈", "冒充"),
    "独居老人关爱": ("独居老人", "探访", "紧急呼叫", "关爱", "用电安全"),
    "留守儿童关爱": ("留守儿童", "监护", "防溺水", "儿童主任", "心理"),
    "就业援助": ("就业", "招聘", "培训", "失业登记", "岗位"),
    "创业担保贷款": ("创业", "贷款", "贴息", "担保", "小微企业"),
    "失业保险金": ("失业", "保险金", "失业登记", "领取期限", "人社"),
    "家庭医生签约": ("家庭医生", "签约", "慢病", "随访", "转诊"),
    "长期护理保险": ("长护险", "失能", "护理", "评估", "居家护理"),
    "既有住宅加装电梯": ("电梯", "加装", "业主", "补贴", "规划"),
    "12345热线": ("12345", "热线", "诉求", "转办", "回访"),
    "粤省事App": ("App", "注册", "实名认证", "刷脸", "小程序"),
    "消防通道": ("消防", "通道", "占用", "生命通道", "物业"),
}
KINDS = ("申请指南", "办理流程", "常见问题", "政策解读", "服务电话", "注意事项", "所需材料", "温馨提示")
# words of every article, the common ones first (drawn with weights 1/rank)
COMMON_WORDS = (
    "的 在 和 可以 需要 办理 申请 社区 服务 居民 本人 提供 材料 时间 工作日 相关 部门 按照 规定 标准 家庭 "
    "网格员 上门 帮办 代办 窗口 街道 咨询 电话 身份证 户口簿 审核 通过 发放 每月 每年 符合 条件 情况 "
    "政策 享受 证明 提交 线上 线下 平台 微信 查询 进度 结果 通知 短信 当场 受理 一次性 告知 补正 "
    "逾期 影响 优先 困难 群众 老年人 行动不便 协助 核实 公示 无异议 批准 动态 管理 复核 一次 "
    "注意 安全 隐患 排查 整改 及时 报告 联系 值班 节假日 除外 上午 下午 地址 小区 楼栋 单元"
)
COMMON = tuple(COMMON_WORDS.split())
PHONES = ("12345", "12333", "12329", "96777", "95598", "0527-84361234", "0527-84368800", "0527-84365555")

QUERIES = (
    # two-character (and longer) terms
    "医保",
    "低保",
    "救助",
    "养老",
    "补贴",
    "公积金",
    "居住证",
    "残疾人",
    "电动车",
    "飞线充电",
    # single characters: the first keystroke
    "保",
    "医",
    "证",
    "电",
    "房",
    # mixed Chinese and Latin, digits
    "12345 热线",
    "App 注册",
    "粤省事 App",
    "96777",
    "84361234",
    "申请 材料",
    "低保 公示",
    # pinyin initials and syllables of titles
    "yb",
    "db",
    "dbsq",
    "gjj",
    "jzz",
    "ylbx",
    "dibao",
    "yibao",
    # questions as residents type them: cut into words, with synonyms (gridworker.guide.query)
    "身份证补办",
    "医保报销",
    "低保怎么申请",
    "残疾人补贴",
)


def _weighted(rng: random.Random, words: tuple[str, ...], k: int) -> list[str]:
    return rng.choices(words, weights=[1 / (i + 1) for i in range(len(words))], k=k)


def make_articles(n: int = ARTICLES, seed: int = SEED) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    subjects = list(SUBJECTS)
    out = []
    for i in range(n):
        subject = rng.choice(subjects)
        own = SUBJECTS[subject]
        kind = rng.choice(KINDS)
        length = rng.randint(300, 1500)
        sections: list[str] = []
        size = 0
        while size < length:
            sentences = []
            for _ in range(rng.randint(2, 5)):
                words = _weighted(rng, COMMON, rng.randint(5, 12))
                for _ in range(rng.randint(0, 2)):
                    words.insert(rng.randrange(len(words) + 1), rng.choice(own))
                if rng.random() < 0.08:
                    words.append("咨询电话" + rng.choice(PHONES))
                sentences.append("".join(words) + rng.choice("。。。；！"))
            text = "".join(sentences)
            heading = f"## {rng.choice(KINDS)}\n\n" if rng.random() < 0.5 else ""
            sections.append(heading + text)
            size += len(text)
        out.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "slug": f"bench-{i:05d}",
                "category": rng.choice(CATEGORIES),
                "title": f"{subject}{kind}" + (f"（第{i}号）" if rng.random() < 0.3 else ""),
                "summary": "",
                "body": "\n\n".join(sections),
                "phones": rng.sample(PHONES, rng.randint(0, 2)),
                "effective_from": dt.date(2026, 1, 1),
                "effective_to": None,
                "version": 1,
                "published_at": dt.datetime(2026, 1, 1) + dt.timedelta(minutes=i),
            }
        )
    return out


@pytest.fixture(scope="module")
def guide_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("guide") / "guide.db"
    db = Database(path)
    try:
        rows = make_articles()
        with db.engine.begin() as conn:
            for start in range(0, len(rows), 500):
                assert upsert_articles(conn, rows[start : start + 500]) == len(rows[start : start + 500])
    finally:
        db.close()
    yield path


def timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return (time.perf_counter() - t0) * 1000, result


@pytest.mark.bench
def test_guide_search(guide_db: Path, bench_results: Figures) -> None:
    reader = Reader(guide_db)
    con: sqlite3.Connection = reader.connection()  # the screens' connection: query_only, sqlite3.Row
    try:
        count = con.execute("SELECT count(*) FROM article").fetchone()[0]
        assert count == ARTICLES
        expressions = {q: match_expression(parse_query(q)) for q in QUERIES}
        for q in QUERIES:  # warm up: statement cache, pages in memory
            assert search(con, q, limit=LIMIT), f"{q!r} matches nothing"
            con.execute(RAW_SQL, (expressions[q], LIMIT)).fetchall()
        app: list[float] = []
        raw: list[float] = []
        per_query: dict[str, list[tuple[float, float]]] = {q: [] for q in QUERIES}
        gc.collect()
        for round_ in range(ROUNDS):
            for i, q in enumerate(QUERIES):
                run_app = lambda q=q: search(con, q, limit=LIMIT)  # noqa: E731
                run_raw = lambda q=q: con.execute(RAW_SQL, (expressions[q], LIMIT)).fetchall()  # noqa: E731
                if (i + round_) % 2:
                    app_ms, hits = timed(run_app)
                    raw_ms, rows = timed(run_raw)
                else:
                    raw_ms, rows = timed(run_raw)
                    app_ms, hits = timed(run_app)
                assert len(hits) == len(rows), f"{q!r}: the app and the raw query disagree"
                app.append(app_ms)
                raw.append(raw_ms)
                per_query[q].append((app_ms, raw_ms))
    finally:
        reader.close()

    print(f"\nguide search over {ARTICLES} articles, {len(QUERIES)} queries x {ROUNDS} rounds (ms):")
    print(f"  {'query':<14}{'app p50':>9}{'raw p50':>9}")
    for q, times in per_query.items():
        print(f"  {q:<14}{median([a for a, _ in times]):>9.2f}{median([r for _, r in times]):>9.2f}")
    figures: Figures = {
        "guide_articles": ARTICLES,
        "guide_queries": len(QUERIES) * ROUNDS,
        "guide_search_p95_ms": round(percentile(app, 95), 3),
        "guide_search_median_ms": round(median(app), 3),
        "guide_raw_p95_ms": round(percentile(raw, 95), 3),
        "guide_raw_median_ms": round(median(raw), 3),
        "guide_search_vs_sql_ratio": round(percentile(app, 95) / percentile(raw, 95), 3),
        "guide_search_vs_sql_median_ratio": round(median(app) / median(raw), 3),
    }
    bench_results.update(figures)
    report(
        f"guide search, {ARTICLES} articles:",
        figures,
        {"guide_search_p95_ms": GUIDE_SEARCH_P95_MS, "guide_search_vs_sql_ratio": GUIDE_SEARCH_VS_SQL},
    )

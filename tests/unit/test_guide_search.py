"""The policy guide's offline search on a real migrated database: articles written by the sync's
function (upsert_articles), searched through a plain sqlite3 connection as the screens' reader does.

``guide_articles()`` is also used by the GUI tests: 34 articles in the four categories, as a city's
guide reads (医保, 低保, 12345 热线, App 注册, phone numbers, Markdown).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridworker.guide import category_code
from gridworker.guide.search import (
    ArticleRow,
    Hit,
    article,
    cut,
    list_articles,
    match_expression,
    parse_query,
    plain_text,
    search,
    whats_new,
)
from gridworker.guide.store import clear_articles, mark_read, remove_articles, upsert_articles
from gridworker.store.db import Database
from gridworker.store.reads import Reader

NAMESPACE = uuid.UUID("6a1e3f0c-5b7d-4c2e-9f10-1d2c3b4a5e6f")

# (category, slug, title, summary, body, phones)
ARTICLES: list[tuple[str, str, str, str, str, list[str]]] = [
    (
        "policy",
        "urban-rural-medical-insurance",
        "城乡居民医保缴费指南",
        "每年9月至12月缴纳下一年度城乡居民医保。",
        "## 缴费时间\n\n每年**9月1日至12月31日**缴纳下一年度的城乡居民基本医疗保险（医保）费用。\n\n"
        "## 缴费方式\n\n1. 在“粤省事”App 注册并实名认证后，进入“社保缴费”缴纳；\n2. 到社区服务中心窗口缴纳；\n"
        "3. 行动不便的老人可请网格员上门帮办。\n\n## 缴费标准\n\n2027年度个人缴费标准为每人每年380元，"
        "低保对象、特困人员由财政全额资助。\n\n咨询电话：12345 或 0527-84361234。",
        ["12345", "0527-84361234"],
    ),
    (
        "procedure",
        "minimum-subsistence-application",
        "低保申请流程",
        "最低生活保障（低保）的申请条件、材料和办理流程。",
        "## 申请条件\n\n户籍在本市，家庭人均月收入低于当地低保标准（每人每月1120元），且家庭财产符合规定。\n\n"
        "## 所需材料\n\n- 申请人身份证、户口簿\n- 家庭成员收入证明\n- 《最低生活保障申请书》\n\n"
        "## 办理流程\n\n向户籍所在地街道（乡镇）提出申请 → 入户调查 → 民主评议 → 公示7天 → 审批发放。"
        "全程一般不超过30个工作日。",
        ["0527-84368800"],
    ),
    (
        "policy",
        "special-hardship-support",
        "特困人员救助供养",
        "",
        "无劳动能力、无生活来源、无法定赡养抚养扶养义务人的老年人、残疾人和未成年人，可申请特困人员救助供养。"
        "\n\n供养方式分为**分散供养**和**集中供养**，本人可自愿选择。基本生活标准不低于低保标准的1.3倍。",
        [],
    ),
    (
        "policy",
        "temporary-assistance",
        "临时救助申请",
        "遭遇突发事件、意外伤害、重大疾病导致基本生活暂时困难的家庭，可申请临时救助。",
        "家庭因火灾、交通事故、突发重大疾病等原因，导致基本生活暂时出现严重困难的，可以向街道申请临时救助。"
        "\n\n情况紧急的，可先行救助，事后补办手续。网格员发现困难群众应当及时报告。",
        ["12345"],
    ),
    (
        "policy",
        "medical-assistance",
        "医疗救助政策解读",
        "",
        "低保对象、特困人员在定点医院住院，经医保报销后的政策范围内个人自付费用，按**70%**比例给予医疗救助，"
        "年度救助限额5万元。\n\n一站式结算：出院时在医院窗口直接结算，无需另行申请。",
        [],
    ),
    (
        "policy",
        "elderly-allowance",
        "高龄津贴申领",
        "80周岁以上老年人可申领高龄津贴。",
        "## 发放标准\n\n| 年龄 | 每月 |\n|---|---|\n| 80-89岁 | 100元 |\n| 90-99岁 | 300元 |\n| 100岁以上 | 600元 |\n\n"
        "## 申领方式\n\n本人或家属携带身份证、社保卡到社区服务中心申请，也可以请网格员上门代办。",
        [],
    ),
    (
        "policy",
        "disability-subsidies",
        "残疾人两项补贴",
        "困难残疾人生活补贴和重度残疾人护理补贴。",
        "持有第二代残疾人证的低保家庭残疾人可申领**困难残疾人生活补贴**；一级、二级重度残疾人可申领**护理补贴**。"
        "\n\n补贴按月发放到社保卡账户。",
        ["0527-84362323"],
    ),
    (
        "policy",
        "pension-qualification",
        "养老保险待遇资格认证",
        "",
        "领取养老金的退休人员每年需要进行一次待遇领取资格认证。\n\n可以在“粤省事”App 或微信小程序刷脸认证；"
        "行动不便的老人，网格员可以上门协助认证。逾期未认证的，将暂停发放养老金。",
        ["12333"],
    ),
    (
        "procedure",
        "housing-fund-withdrawal",
        "住房公积金提取",
        "购房、租房、退休等情形可提取住房公积金。",
        "## 可提取情形\n\n- 购买、建造、翻建自住住房\n- 租房自住\n- 离休、退休\n\n## 办理渠道\n\n"
        "通过公积金中心网站、App 或到服务大厅办理。租房提取每月最多1500元。",
        ["12329"],
    ),
    (
        "procedure",
        "newborn-registration",
        "新生儿落户办理",
        "",
        "新生儿出生后一个月内，凭《出生医学证明》、父母双方身份证、户口簿、结婚证到户籍派出所办理落户。"
        "\n\n也可以在“粤省事”App 选择“出生一件事”在线办理，落户、医保参保、社保卡一次办好。",
        [],
    ),
    (
        "procedure",
        "residence-permit",
        "居住证办理指南",
        "在本市居住半年以上的非本市户籍人员可申领居住证。",
        "## 所需材料\n\n身份证、近期免冠照片、居住证明（租房合同或房产证）。\n\n## 办理地点\n\n"
        "社区警务室或派出所户籍窗口。居住证每年签注一次。",
        ["110"],
    ),
    (
        "procedure",
        "id-card",
        "身份证补领与换领",
        "",
        "身份证有效期满前三个月内可申请换领。丢失的，携带户口簿到任一派出所补领，可申请临时身份证。"
        "\n\n跨省异地也可以办理。",
        [],
    ),
    (
        "procedure",
        "veteran-card",
        "退役军人优待证申领",
        "退役军人可申领优待证，享受交通、文旅等优待。",
        "退役军人本人通过“退役军人服务”App 或到社区退役军人服务站申请，需提供身份证和退役证件。"
        "\n\n优待证免费制发，有效期6年。",
        ["0527-84360001"],
    ),
    (
        "procedure",
        "elderly-card",
        "老年人优待证办理",
        "",
        "60周岁以上老年人可办理老年人优待证，凭证免费乘坐市内公交、游览公园景区。\n\n本人携带身份证、"
        "一寸照片到社区服务中心办理，当场出证。",
        [],
    ),
    (
        "procedure",
        "unemployment-insurance",
        "失业保险金申领",
        "",
        "非因本人意愿中断就业、缴纳失业保险满一年的，可在失业登记后申领失业保险金。\n\n"
        "线上：人社部门网站或App；线下：街道就业服务窗口。",
        ["12333"],
    ),
    (
        "procedure",
        "elevator-retrofit",
        "既有住宅加装电梯办事流程",
        "老旧小区加装电梯的意见征询、设计审批与补贴申请。",
        "1. 本单元业主协商一致（双三分之二同意）\n2. 委托设计、公示方案\n3. 提交街道审核、办理规划手续\n"
        "4. 施工、验收后申请财政补贴，每台最高20万元。",
        [],
    ),
    (
        "procedure",
        "home-aging-adaptation",
        "老年人居家适老化改造",
        "",
        "为困难老年人家庭免费安装扶手、防滑地面、紧急呼叫装置等。由网格员摸排需求，街道统一组织实施。",
        [],
    ),
    (
        "phone",
        "hotline-12345",
        "12345政务服务便民热线",
        "一号对外、集中受理群众诉求，24小时服务。",
        "拨打 **12345** 可以咨询政策、投诉举报、求助建议。热线 24 小时有人接听，诉求转办后由承办单位限时答复。"
        "\n\n也可以在“粤省事”App 的“12345 热线”栏目留言。",
        ["12345"],
    ),
    (
        "phone",
        "emergency-numbers",
        "紧急求助电话一览",
        "",
        "- 报警：110\n- 火警：119\n- 急救：120\n- 交通事故：122\n\n遇到紧急情况，先保证自身安全再拨打电话，"
        "说清地址（小区、楼栋、单元、房号）。",
        ["110", "119", "120", "122"],
    ),
    (
        "phone",
        "community-service-centre",
        "社区服务中心联系电话",
        "",
        "古城社区党群服务中心：0527-84361234（工作日 8:30—17:30）。\n\n网格员服务时间外，紧急事务请拨打值班电话"
        " 0527-84369999。",
        ["0527-84361234", "0527-84369999"],
    ),
    (
        "phone",
        "utility-repair",
        "水电气报修电话",
        "",
        "停水、停电、燃气泄漏请及时报修：\n\n- 供水：96889\n- 供电：95598\n- 燃气：96777（燃气泄漏请先关阀开窗，"
        "不要开关电器）",
        ["96889", "95598", "96777"],
    ),
    (
        "phone",
        "mental-health-line",
        "心理援助热线",
        "",
        "心理援助热线 **12356**，24小时免费提供心理支持。独居老人、留守儿童家庭可重点告知。",
        ["12356"],
    ),
    (
        "phone",
        "elderly-care-hotline",
        "养老服务热线",
        "",
        "居家养老上门服务、助餐点查询、养老机构入住咨询，请拨打养老服务热线 0527-84365555。",
        ["0527-84365555"],
    ),
    (
        "tip",
        "ebike-charging",
        "电动自行车安全充电须知",
        "严禁“飞线充电”，电动车不进楼道、不进家门。",
        "电动自行车起火多发生在充电时。请到小区集中充电桩充电，**严禁私拉电线“飞线充电”**，不要在楼道、"
        "楼梯间停放或充电。充电时间不宜超过8小时。",
        ["119"],
    ),
    (
        "tip",
        "fire-lane",
        "消防通道禁止占用",
        "",
        "消防车通道是“生命通道”，禁止停放车辆、堆放杂物。发现占用可以向物业或网格员反映，也可以拨打 12345。",
        ["12345"],
    ),
    (
        "tip",
        "garbage-sorting",
        "垃圾分类小常识",
        "厨余垃圾、可回收物、有害垃圾、其他垃圾。",
        "- **厨余垃圾**：剩菜剩饭、果皮\n- **可回收物**：纸类、塑料瓶、金属\n- **有害垃圾**：废电池、过期药品\n"
        "- **其他垃圾**：纸巾、烟头\n\n大件垃圾请预约清运，不要乱倒在楼道。",
        [],
    ),
    (
        "tip",
        "gas-safety",
        "燃气安全使用常识",
        "",
        "闻到燃气味：立即关闭阀门、打开门窗，**不要开关电器、不要使用明火**，到室外拨打燃气抢修电话 96777。",
        ["96777"],
    ),
    (
        "tip",
        "telecom-fraud",
        "防范电信网络诈骗",
        "不听、不信、不转账。",
        "冒充公检法、“医保卡异常”、刷单返利都是常见骗局。公检法不会电话办案，医保部门不会要求转账到“安全账户”。"
        "\n\n下载国家反诈中心 App，遇到可疑电话拨打 96110 咨询。",
        ["96110"],
    ),
    (
        "tip",
        "elderly-living-alone",
        "独居老人关爱小常识",
        "",
        "网格员每周至少上门或电话联系一次独居老人，留意饮食、用药和用电用气安全。\n\n"
        "可为老人申请紧急呼叫器，按键即可联系社区。",
        [],
    ),
    (
        "tip",
        "left-behind-children",
        "留守儿童关爱",
        "",
        "关注留守儿童的上学、安全和心理状况，发现异常及时联系学校和社区儿童主任。暑假注意防溺水。",
        [],
    ),
    (
        "tip",
        "family-doctor",
        "家庭医生签约服务",
        "",
        "居民可与社区卫生服务中心签约家庭医生，老年人、慢性病患者优先。签约后可享受健康咨询、慢病随访、"
        "预约转诊服务，医保报销比例提高5%。",
        ["0527-84367120"],
    ),
    (
        "tip",
        "flood-prevention",
        "汛期防汛安全提示",
        "",
        "暴雨天气不要在低洼地带、地下车库停留；关好门窗，检查阳台排水。遇险拨打 119 或 110。",
        ["119", "110"],
    ),
    (
        "tip",
        "long-term-care",
        "长期护理保险",
        "失能人员的护理费用可由长护险支付。",
        "参加职工医保的人员，经评估为重度失能的，居家护理和机构护理费用按规定由长期护理保险基金支付。",
        [],
    ),
    (
        "procedure",
        "online-services-app",
        "“粤省事”App注册与实名认证",
        "手机下载、注册、实名认证三步走。",
        "1. 在应用商店搜索“粤省事”下载 App\n2. 用手机号注册，设置密码\n3. 刷脸完成实名认证\n\n"
        "注册后可办理医保缴费、社保查询、出生一件事等上百项业务。",
        [],
    ),
]


def article_id(slug: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, slug)


def article_row(
    category: str, slug: str, title: str, summary: str, body: str, phones: list[str], version: int = 1
) -> dict[str, Any]:
    """One article as the sync apply hands it to upsert_articles."""
    return {
        "id": article_id(slug),
        "slug": slug,
        "category": category,
        "title": title,
        "summary": summary,
        "body": body,
        "phones": phones,
        "effective_from": dt.date(2026, 1, 1),
        "effective_to": dt.date(2027, 12, 31) if category == "policy" else None,
        "version": version,
        "published_at": dt.datetime(2026, 11, 1, 8, 0) + dt.timedelta(hours=len(slug)),
    }


def guide_articles() -> list[dict[str, Any]]:
    return [article_row(*a) for a in ARTICLES]


def by_slug(slug: str) -> tuple[str, str, str, str, str, list[str]]:
    return next(a for a in ARTICLES if a[1] == slug)


@pytest.fixture
def guide_db(db: Database) -> Database:
    with db.engine.begin() as conn:
        assert upsert_articles(conn, guide_articles()) == len(ARTICLES)
    return db


@pytest.fixture
def con(guide_db: Database) -> Iterator[sqlite3.Connection]:
    """The reader's connection, as the screens have it (query_only, sqlite3.Row)."""
    reader = Reader(guide_db.path)
    yield reader.connection()
    reader.close()


def titles(hits: list[Hit]) -> list[str]:
    return [h.title for h in hits]


def bold(html: str) -> list[str]:
    return re.findall(r"<b>(.*?)</b>", html)


# --- two-character terms, single characters, ranking ----------------------------------------------


def test_two_character_terms_are_found_title_matches_first(con: sqlite3.Connection) -> None:
    hits = search(con, "医保")
    found = titles(hits)
    assert "城乡居民医保缴费指南" in found
    assert "医疗救助政策解读" in found  # only in the body: 经医保报销后
    assert "防范电信网络诈骗" in found  # “医保卡异常”
    in_title = [h for h in hits if "医保" in h.title]
    assert in_title and hits[: len(in_title)] == in_title, "title matches come first"
    assert all(h.title_match for h in in_title) and not any(h.title_match for h in hits[len(in_title) :])
    first = hits[0]
    assert first.title_html == "城乡居民<b>医保</b>缴费指南"
    assert "医保" in bold(first.snippet_html)
    ranks = [h.rank for h in hits[len(in_title) :]]
    assert ranks == sorted(ranks), "then by bm25"

    low = search(con, "低保")
    assert low[0].title == "低保申请流程"
    assert low[0].title_html == "<b>低保</b>申请流程"
    body_only = {h.title for h in low if "低保" not in h.title}
    assert {"特困人员救助供养", "医疗救助政策解读", "残疾人两项补贴"} <= body_only


def test_single_character_is_found(con: sqlite3.Connection) -> None:
    hits = search(con, "保")
    found = set(titles(hits))
    assert {"城乡居民医保缴费指南", "低保申请流程", "养老保险待遇资格认证", "长期护理保险"} <= found
    assert "医疗救助政策解读" in found  # body only
    for h in hits:
        assert bold(h.title_html) or bold(h.snippet_html), h
        assert set(bold(h.title_html) + bold(h.snippet_html)) <= {"保"}
    assert search(con, "梯")[0].title == "既有住宅加装电梯办事流程"


def test_mixed_chinese_and_latin(con: sqlite3.Connection) -> None:
    hotline = search(con, "12345 热线")
    assert hotline[0].title == "12345政务服务便民热线"
    assert bold(hotline[0].title_html) == ["12345", "热线"]
    app = titles(search(con, "App 注册"))
    assert app[0] == "“粤省事”App注册与实名认证"
    assert "城乡居民医保缴费指南" in app  # 在“粤省事”App 注册并实名认证后
    assert search(con, "APP注册")[0].title == app[0]  # no space, other case
    assert search(con, "ａｐｐ 注册")[0].title == app[0]  # full-width letters, as some input methods type
    assert titles(search(con, "出生一件事")) == ["新生儿落户办理", "“粤省事”App注册与实名认证"]


def test_digits_and_phone_numbers(con: sqlite3.Connection) -> None:
    hits = search(con, "96777")
    assert set(titles(hits)) == {"水电气报修电话", "燃气安全使用常识"}
    tail = search(con, "1234")  # the last digits of 0527-84361234
    assert {"城乡居民医保缴费指南", "社区服务中心联系电话"} <= set(titles(tail))
    assert all("1234" in "".join(bold(h.title_html + h.snippet_html)) for h in tail)
    assert search(con, "84368800")[0].title == "低保申请流程"  # only in the phones list
    assert bold(search(con, "84368800")[0].snippet_html) == ["84368800"]
    assert titles(search(con, "12356")) == ["心理援助热线"]


def test_pinyin_initials_and_full_pinyin_match_titles(con: sqlite3.Connection) -> None:
    yb = search(con, "yb")
    assert "城乡居民医保缴费指南" in titles(yb)
    assert yb[0].title_match
    assert bold(next(h for h in yb if h.title == "城乡居民医保缴费指南").title_html) == ["医保"]
    assert search(con, "dbsq")[0].title == "低保申请流程"
    assert bold(search(con, "dbsq")[0].title_html) == ["低保申请"]
    assert search(con, "dibao")[0].title == "低保申请流程"
    assert bold(search(con, "dibao")[0].title_html) == ["低保"]
    assert search(con, "gjj")[0].title == "住房公积金提取"
    assert search(con, "DBSQ")[0].title == "低保申请流程"
    assert titles(search(con, "ljfl")) == ["垃圾分类小常识"]


def test_no_match_is_an_empty_list(con: sqlite3.Connection) -> None:
    assert search(con, "量子计算机") == []
    assert search(con, "") == []
    assert search(con, "   ，。！") == []
    assert search(con, "医保 量子") == []  # every word must match
    assert search(con, "qqqqzz") == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"医保',
        "医保*",
        "*",
        "-低保",
        "低保 -",
        "NEAR(医保 低保)",
        "NEAR",
        "AND",
        "OR 医保",
        "NOT",
        "(",
        "医保)",
        "title:医保",
        "{title}: 低保",
        ":",
        "^医保",
        "医保 AND OR NOT",
        "'; DROP TABLE article; --",
        "\\",
        "a" * 500,
        "医" * 300,
        " ".join("保" for _ in range(40)),
    ],
)
def test_fts_syntax_is_searched_as_text(con: sqlite3.Connection, query: str) -> None:
    hits = search(con, query)  # never raises
    # only letters and digits are searched: the query finds what its words alone find
    words = "".join(c if c.isalnum() else " " for c in query)
    assert titles(hits) == titles(search(con, words))
    if query in ('"医保', "医保*", "医保)", "^医保"):
        assert "城乡居民医保缴费指南" in titles(hits)
    assert con.execute("SELECT count(*) FROM article").fetchone()[0] == len(ARTICLES)


def test_category_filter(con: sqlite3.Connection) -> None:
    everything = search(con, "12345")
    phones = search(con, "12345", category="phone")
    assert phones and {h.category for h in phones} == {"phone"}
    assert set(titles(phones)) < set(titles(everything))
    assert search(con, "低保", category="tip") == []
    assert search(con, "低保", category='x" OR "') == []  # a category is never syntax either


def test_limit(con: sqlite3.Connection) -> None:
    assert len(search(con, "的", limit=3)) == 3
    assert search(con, "的", limit=0) == []


# --- highlighting ---------------------------------------------------------------------------------


def test_highlight_is_escaped_and_snippet_is_short(db: Database) -> None:
    body = "前言" * 40 + "医保 <script>alert('x')</script> & <b>粗体</b> <img src=x onerror=alert(1)> " + "后记" * 40
    with db.engine.begin() as conn:
        upsert_articles(conn, [article_row("tip", "html-body", "医保 <b>标题</b> & 说明", "", body, [])])
    reader = Reader(db.path)
    try:
        (hit,) = search(reader.connection(), "医保")
    finally:
        reader.close()
    assert hit.title_html == "<b>医保</b> &lt;b&gt;标题&lt;/b&gt; &amp; 说明"
    assert "<script>" not in hit.snippet_html and "&lt;script&gt;" in hit.snippet_html
    assert "<img" not in hit.snippet_html
    assert hit.snippet_html.startswith("…") and hit.snippet_html.endswith("…")
    assert bold(hit.snippet_html) == ["医保"]
    visible = re.sub(r"<b>|</b>", "", hit.snippet_html).replace("&lt;", "<").replace("&gt;", ">")
    visible = visible.replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", '"')
    assert 55 <= len(visible.strip("…")) <= 62
    assert re.sub(r"<b>|</b>|&[a-z#0-9]+;", "", hit.snippet_html).count("<") == 0


def test_snippet_prefers_the_window_with_all_terms(con: sqlite3.Connection) -> None:
    (hit,) = search(con, "公示 7天")
    assert hit.title == "低保申请流程"
    assert bold(hit.snippet_html) == ["公示7天"]  # side by side: one highlight


def test_plain_text_drops_markdown_markup() -> None:
    md = "## 标题\n\n- **粗体** 和 *斜体*\n1. [链接](https://x.cn) ![图](a.png)\n\n| a | b |\n|---|---|\n`code`"
    assert plain_text(md) == "标题 粗体 和 斜体 链接 图 a b code"


def test_match_expression_quotes_every_term() -> None:
    expr = match_expression(parse_query('医保" OR "x NEAR(a b) 12345'))
    assert expr.count('"') % 2 == 0
    assert "NEAR(" not in expr and ' OR "x' not in expr


# --- a resident's question ---------------------------------------------------------------------------


def test_a_question_is_cut_into_its_words_without_question_words() -> None:
    assert cut("身份证补办") == ["身份证", "补办"]
    assert cut("低保怎么申请") == ["低保", "申请"]
    assert cut("我想问一下独生子女有什么补贴") == ["独生子女", "补贴"]
    assert cut("量子计算机") == ["量子", "计算机"]  # unknown letters: pairs, a piece of three whole
    assert cut("怎么") == ["怎么"]  # nothing but question words: kept, so a query is never empty
    assert [t.chars for t in parse_query("80岁老人补贴")] == ["80岁", "老人补贴"]  # a synonym of 高龄津贴
    assert "80周岁" in parse_query("80岁")[0].words
    assert [t.chars for t in parse_query("公示 7天")] == ["公示", "7天"]


def test_a_word_brings_its_synonyms() -> None:
    assert {"违建", "违法建设", "私搭乱建"} <= set(parse_query("违建")[0].words)
    assert {"医保", "医疗保险"} <= set(parse_query("医保")[0].words)
    assert "居民医保" not in parse_query("医保")[0].words  # found by 医保 anyway
    expr = match_expression(parse_query("违建"))
    assert '"违法 法建 建设"' in expr and expr.count('"') % 2 == 0


@pytest.fixture
def qcon(db: Database) -> Iterator[sqlite3.Connection]:
    """A few articles the way the shipped guide titles them."""
    rows = [
        ("procedure", "dibao", "低保怎么申请：步骤和材料", "", "向街道提出书面申请，社区可以代办。", []),
        ("phone", "power", "95598供电服务热线：停电报修和用电业务", "", "停电了拨打95598报修。", ["95598"]),
        ("phone", "consumer", "12315投诉热线：遇到霸王条款怎么办", "", "买到假货可以投诉。", ["12315"]),
        ("procedure", "idcard", "身份证办理：到期换领、丢失补领", "", "丢了要挂失补领，急用办临时身份证。", []),
        ("policy", "disabled", "残疾人两项补贴", "", "困难残疾人生活补贴和重度残疾人护理补贴。", []),
        ("procedure", "building", "违法建设怎么举报", "", "私自加盖、搭建的，拨打12345。", ["12345"]),
        ("tip", "elder", "高龄津贴：80岁以上老人怎么领", "", "年满80周岁的老年人按月领取。", []),
    ]
    with db.engine.begin() as conn:
        upsert_articles(conn, [article_row(*r) for r in rows])  # type: ignore[arg-type]
    reader = Reader(db.path)
    yield reader.connection()
    reader.close()


def test_everyday_questions_find_their_article_first(qcon: sqlite3.Connection) -> None:
    con = qcon
    for query, slug in [
        ("身份证补办", "idcard"),
        ("身份证 补办", "idcard"),
        ("身份证丢了怎么办", "idcard"),
        ("残疾人补贴", "disabled"),
        ("违建", "building"),
        ("私搭乱建", "building"),
        ("低保怎么申请", "dibao"),
        ("80岁老人补贴", "elder"),
        ("dbsq", "dibao"),  # initials of 低保 … 申请, not side by side in the title
        ("db", "dibao"),  # not 95598's 停电报修 nor 12315's 遇到霸王: db does not start a word there
    ]:
        hits = search(con, query)
        assert hits and hits[0].slug == slug, (query, [h.slug for h in hits])
    assert bold(search(con, "dbsq")[0].title_html) == ["低保", "申请"]
    assert bold(search(con, "违建")[0].title_html) == ["违法建设"]


def test_unknown_words_of_a_sentence_are_dropped_only_when_nothing_matches(qcon: sqlite3.Connection) -> None:
    con = qcon
    assert [h.slug for h in search(con, "低保申请没人管")] == ["dibao"]  # 没人管: not in any article
    assert search(con, "低保 没人管") == []  # typed apart: every word is required
    assert search(con, "量子计算机") == []  # nothing it knows: nothing to fall back to


# --- versions, withdrawal, reset, read state --------------------------------------------------------


def test_older_version_is_ignored_newer_replaces_and_shows_updated(guide_db: Database, con: sqlite3.Connection) -> None:
    slug = "minimum-subsistence-application"
    aid = article_id(slug)
    with guide_db.engine.begin() as conn:
        mark_read(conn, aid, 1)
    opened = article(con, aid)
    assert opened is not None and not opened.is_new
    category, _, title, summary, body, phones = by_slug(slug)
    with guide_db.engine.begin() as conn:
        assert upsert_articles(conn, [article_row(category, slug, "旧标题", summary, "旧内容 量子", phones, 1)]) == 0
    assert search(con, "量子") == []
    assert search(con, "dbsq")[0].title == title
    new_body = body + "\n\n2027年起低保标准提高到每人每月1200元，新增“一网通办”。"
    newer = article_row(category, slug, "低保申请流程（2027版）", summary, new_body, phones, 2)
    with guide_db.engine.begin() as conn:
        assert upsert_articles(conn, [newer]) == 1
    (hit,) = search(con, "一网通办")
    assert hit.title == "低保申请流程（2027版）" and hit.version == 2 and hit.is_new and hit.is_updated
    assert whats_new(con)[0].id == aid and whats_new(con)[0].is_updated  # the latest to arrive, first
    assert search(con, "旧内容") == []
    assert len([h for h in search(con, "低保申请") if h.id == aid]) == 1  # the old index row is gone
    with guide_db.engine.begin() as conn:
        assert upsert_articles(conn, [article_row(category, slug, "又一个旧版", summary, "x", phones, 2)]) == 0
    with guide_db.engine.begin() as conn:
        mark_read(conn, aid, 2)
        mark_read(conn, aid, 1)  # opening an older copy never lowers it
    view = article(con, aid)
    assert view is not None and view.read_version == 2 and not view.is_new
    assert aid not in {r.id for r in whats_new(con)}


def test_new_articles_show_as_new_until_read(guide_db: Database, con: sqlite3.Connection) -> None:
    fresh = whats_new(con)
    assert len(fresh) == len(ARTICLES) and all(r.is_new and not r.is_updated for r in fresh)
    hit = search(con, "低保")[0]
    assert hit.is_new and not hit.is_updated
    with guide_db.engine.begin() as conn:
        mark_read(conn, hit.id, hit.version)
    assert not search(con, "低保")[0].is_new
    assert len(whats_new(con)) == len(ARTICLES) - 1


def test_remove_drops_from_search_and_clear_empties(guide_db: Database, con: sqlite3.Connection) -> None:
    aid = article_id("hotline-12345")
    with guide_db.engine.begin() as conn:
        assert remove_articles(conn, [aid, uuid.uuid4()]) == 1
    assert "12345政务服务便民热线" not in titles(search(con, "12345"))
    assert search(con, "一号对外") == []
    assert article(con, aid) is None
    assert len(list_articles(con)) == len(ARTICLES) - 1
    with guide_db.engine.begin() as conn:
        clear_articles(conn)
    assert search(con, "医保") == [] and list_articles(con) == [] and whats_new(con) == []
    assert con.execute("SELECT count(*) FROM article_fts").fetchone()[0] == 0
    with guide_db.engine.begin() as conn:  # the next full pull brings them back
        assert upsert_articles(conn, guide_articles()) == len(ARTICLES)
    assert search(con, "12345")[0].title == "12345政务服务便民热线"


def test_a_slug_moves_to_a_new_id(guide_db: Database, con: sqlite3.Connection) -> None:
    category, slug, title, summary, body, phones = by_slug("gas-safety")
    row = article_row(category, slug, title, summary, body + " 新版本", phones)
    row["id"] = uuid.uuid4()
    with guide_db.engine.begin() as conn:
        assert upsert_articles(conn, [row]) == 1
    assert [h.id for h in search(con, "燃气安全")] == [row["id"]]
    assert article(con, article_id(slug)) is None


def test_article_list_and_view(con: sqlite3.Connection) -> None:
    rows = list_articles(con)
    assert len(rows) == len(ARTICLES)
    assert [r.category for r in rows] == sorted(r.category for r in rows)
    tips = list_articles(con, "tip")
    assert tips and all(r.category == "tip" for r in tips)
    assert all(isinstance(r, ArticleRow) and r.excerpt for r in rows)
    view = article(con, article_id("emergency-numbers"))
    assert view is not None
    assert view.phones == ("110", "119", "120", "122")
    assert view.category == "phone" and view.effective_to is None and view.version == 1
    assert view.body.startswith("- 报警：110")
    hit = rows[0].hit()
    assert hit.title_html and hit.rank == 0.0


def test_chinese_category_names_are_stored_as_codes(db: Database) -> None:
    assert category_code("网格小常识") == "tip" and category_code("惠民政策") == "policy"
    with db.engine.begin() as conn:
        upsert_articles(conn, [article_row("办事流程", "zh-category", "测试办事", "", "内容", [])])
    reader = Reader(db.path)
    try:
        assert [r.category for r in list_articles(reader.connection())] == ["procedure"]
        assert len(search(reader.connection(), "测试", category="procedure")) == 1
    finally:
        reader.close()


def test_the_migration_creates_the_index(tmp_path: Path) -> None:
    database = Database(tmp_path / "fresh.db")
    try:
        con = sqlite3.connect(database.path)
        sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'article_fts'").fetchone()[0]
        con.close()
        assert "fts5" in sql and "unicode61" in sql
    finally:
        database.close()


# --- any piece of any article is found ---------------------------------------------------------------

TEXTS = [(a[2], plain_text(a[4])) for a in ARTICLES]


@st.composite
def pieces(draw: st.DrawFn) -> tuple[str, str]:
    title, body = draw(st.sampled_from(TEXTS))
    text = draw(st.sampled_from([title, body]))
    size = draw(st.integers(1, 4))
    start = draw(st.integers(0, max(0, len(text) - size)))
    return title, text[start : start + size]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(piece=pieces())
def test_any_substring_is_found(con: sqlite3.Connection, piece: tuple[str, str]) -> None:
    title, text = piece
    hits = search(con, text, limit=100)
    if not any(c.isalnum() for c in text):
        assert hits == []  # nothing searchable: punctuation, spaces
        return
    assert title in titles(hits), f"{text!r} of {title}"
    hit = next(h for h in hits if h.title == title)
    assert bold(hit.title_html) or bold(hit.snippet_html)

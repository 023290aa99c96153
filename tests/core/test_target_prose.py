"""The target parser on the prose of the seed plans (their 'text_targets' and 'screening_and_coverage_rates'
quotes), where sentences rather than table cells arrive: pasted from a plan's text, or typed by a clerk.

Each case below was read wrong before (a confident wrong kind or direction, or a comparator that sent the clerk
looking for a reference value the plan never names). Prose is allowed to come back as `none` asking for a
person; it is not allowed to come back confidently wrong.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from desktop.core.targets import parse_target

SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _prose_quotes() -> list[str]:
    quotes: list[str] = []
    for path in sorted(SEEDS_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in ("text_targets", "screening_and_coverage_rates"):
            quotes.extend(item["quote"] for item in data.get(key, []))
    return quotes


@pytest.mark.parametrize(
    ("raw", "kind", "value", "direction", "ambiguous"),
    [
        # A trend the plan wants stopped: 遏制 … 上升 asks for a fall, not a rise.
        ("有效遏制重大慢性病发病率上升趋势", "direction", None, "down", True),
        # The verb first, the measure after it.
        ("持续降低孕产妇和婴儿死亡率", "direction", None, "down", True),
        ("提高癌症防治核心知识知晓率", "direction", None, "up", True),
        # A share of the units named after it: the number is the target, not a provincial reference.
        ("50%以上乡镇达到省级卫生乡镇", "at_least", 50.0, None, True),
        ("30%以上机构达到国家推荐标准", "at_least", 30.0, None, True),
        (
            "县级以上医院和50%以上的乡镇卫生院（社区卫生服务中心）能够提供安宁疗护服务",
            "at_least",
            50.0,
            None,
            True,
        ),
        # An age range says who is covered; it is not a target range of 0 to 6.
        ("全县0-6岁儿童实现眼保健及视力检查全覆盖", "coverage", 100.0, None, False),
        ("做实0-6岁儿童健康管理", "none", None, None, True),
        ("实施50-74岁居民直肠癌早诊早治项目", "none", None, None, True),
        # 全市 / 全县 / 市级 naming the scope or a title, not a reference value to compare with.
        (
            "定期开展全市居民营养健康状况、食物消费状况、人群主要消费食物及地方特色食品成分监测",
            "none",
            None,
            None,
            True,
        ),
        ("全县人均期望寿命从2015年的78.74岁", "none", None, None, True),
        ("宝城康复、鄌郚中医骨科、宝都糖尿病、县立眼科被评为市级特色专科", "none", None, None, True),
        ("全县三级公立医院电子病历应用水平通过五级及以上评价", "none", None, None, True),
        ("再创建潍坊市级重点学科（专科）2个或潍坊市级基础支撑学科2个", "none", None, None, True),
        # "Half for sure, all if we can": 100 % is only the hope, so a person should look.
        ("确保半数力争全部达到国家推荐能力标准", "coverage", 100.0, None, True),
    ],
)
def test_prose_that_was_read_wrong(raw, kind, value, direction, ambiguous):
    reading = parse_target(raw)
    assert (reading.kind, reading.value, reading.direction, reading.ambiguous) == (
        kind,
        value,
        direction,
        ambiguous,
    ), reading.note
    assert reading.raw == raw and reading.note


@pytest.mark.parametrize(
    ("raw", "kind", "value", "direction"),
    [
        ("达到全省标准", "comparator", None, "improve"),  # compared with: a reference the clerk must enter
        ("优于全省平均水平", "comparator", None, "improve"),
        ("梅毒等重点性病发病率控制在全省平均水平以下", "comparator", None, "down"),
        ("5岁以下儿童死亡率持续下降", "direction", None, "down"),
        ("65岁以上老人健康管理率达到70%以上", "at_least", 70.0, None),
        ("适龄儿童国家免疫规划疫苗接种率保持在90%以上", "at_least", 90.0, None),
        ("全面提高", "direction", None, "up"),
        ("提高6个百分点", "points_change", 6.0, "up"),
    ],
)
def test_readings_the_prose_fixes_leave_alone(raw, kind, value, direction):
    reading = parse_target(raw)
    assert (reading.kind, reading.value, reading.direction) == (kind, value, direction), reading.note


def test_an_age_range_is_not_counted_as_a_second_number():
    assert "含多个数值" not in parse_target("做实0-6岁儿童健康管理").note


_COMPARING = re.compile(
    "平均|前列|前茅|先进|领先|排名|排位|位居|名列|位次|第一方阵|达到|高于|低于|优于|好于|超过|不低于|不高于"
    "|接近|赶上|相当于|持平|对标|保持在|控制在|进入|跨入|位于|处于"
)


@pytest.mark.parametrize("quote", _prose_quotes())
def test_every_seed_prose_quote_is_read_or_sent_to_a_person(quote):
    reading = parse_target(quote)
    assert reading.raw == quote and reading.note
    if reading.kind == "none":
        assert reading.ambiguous and "请人工核对" in reading.note
    if reading.kind == "comparator":
        # A comparator asks the clerk for a reference value: only when the text compares with something.
        assert _COMPARING.search(quote), reading.note
    if reading.kind == "range":
        assert not re.search(r"[0-9]\s*(?:周岁|岁|个月)", quote), reading.note


def _seed_table_cells() -> list[str]:
    cells: set[str] = set()
    plans = Path(__file__).resolve().parents[2] / "db" / "seed" / "plans"
    for path in sorted(plans.glob("*.json")):
        for row in json.loads(path.read_text(encoding="utf-8"))["indicators"]:
            cells.update(v for v in row["targets"].values() if isinstance(v, str))
    return sorted(cells)


@pytest.mark.parametrize("text", _seed_table_cells() + _prose_quotes())
def test_a_note_that_asks_for_a_check_is_flagged(text):
    # The plan table highlights ambiguous readings; a note saying 核对 that is not highlighted hides in the table.
    reading = parse_target(text)
    if "核对" in reading.note:
        assert reading.ambiguous, reading.note

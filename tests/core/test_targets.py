"""The target notation parser against every cell of the three seed plans, DOMAIN.md's examples, and fuzzing.

The expectation tables are written out by hand from the plan text, not derived from the seed JSON's own "kind"
fields (they use another vocabulary); the completeness tests only check that no seed cell is missing from them.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.targets import (
    INTERNAL_ERROR_NOTE,
    KINDS,
    BaselineReading,
    TargetReading,
    format_number,
    parse_baseline,
    parse_target,
)

SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"
FIELDS = [
    "raw",
    "kind",
    "value",
    "value_max",
    "base_year",
    "change",
    "direction",
    "strict",
    "hedge",
    "ambiguous",
    "note",
]
DEFAULTS = {
    "value_max": None,
    "base_year": None,
    "change": None,
    "direction": None,
    "strict": False,
    "hedge": False,
    "ambiguous": False,
}
L, GE, LE, APPROX = "level", "at_least", "at_most", "approx"

# raw cell -> (kind, value, fields that differ from DEFAULTS). One entry per distinct raw text; the comment names
# the first plan row that uses it.
SEED_TARGETS: dict[str, tuple[str, float | None, dict[str, object]]] = {
    # 000 健康聊城2030 (columns 2020年, 2030年)
    "78.1": (L, 78.1, {}),  # 人均预期寿命 2020
    "81左右": (APPROX, 81, {}),  # 人均预期寿命 2030
    "≦4": (LE, 4, {}),  # 婴儿死亡率 2020, U+2266
    "3": (L, 3, {}),
    "≦5": (LE, 5, {}),
    "3.3": (L, 3.3, {}),
    "≦10": (LE, 10, {}),  # 孕产妇死亡率 (1/10万)
    "7.1": (L, 7.1, {}),
    "92": (L, 92, {}),
    "95": (L, 95, {}),
    "22": (L, 22, {}),
    "32": (L, 32, {}),
    "38": (L, 38, {}),
    "43": (L, 43, {}),
    "2.0": (L, 2.0, {}),  # 人均体育场面积, trailing zero kept in raw
    "2.5": (L, 2.5, {}),
    "96": (L, 96, {}),
    "97": (L, 97, {}),
    "比2015年降低10": (
        "relative_to_base",
        -10,
        {"base_year": 2015, "change": "percent", "direction": "down", "ambiguous": True},
    ),  # 重大慢性病过早死亡率: no % sign in a table of % rates
    "比2015年降低15": (
        "relative_to_base",
        -15,
        {"base_year": 2015, "change": "percent", "direction": "down", "ambiguous": True},
    ),
    "2.20": (L, 2.2, {}),
    "4": (L, 4, {}),
    "2.75": (L, 2.75, {}),
    "5": (L, 5, {}),
    "2": (L, 2, {}),
    "28": (L, 28, {}),
    "25": (L, 25, {}),
    "75.0": (L, 75, {}),
    "85.0": (L, 85, {}),
    "持续提高": ("direction", None, {"direction": "up"}),  # 城市空气质量优良天数比率
    "97.5": (L, 97.5, {}),
    "98.0以上": (GE, 98, {}),  # 药品/重点食品抽检合格率 2030
    "98": (L, 98, {}),
    # 001 昌乐县十四五 (column 2025年)
    "80.15以上": (GE, 80.15, {}),
    "同比例增加": ("direction", None, {"direction": "up", "ambiguous": True}),  # 健康预期寿命
    "8.2": (L, 8.2, {}),
    "3.3以下": (LE, 3.3, {}),
    "4.0以下": (LE, 4.0, {}),
    "14以下": (LE, 14, {}),
    "30.32": (L, 30.32, {}),
    "20.13": (L, 20.13, {}),
    "92.00以上": (GE, 92, {}),
    "≥80": (GE, 80, {}),
    "-": ("none", None, {}),  # 重点慢性病防治核心信息人群知晓率, 人口自然增长率, 出生人口性别比
    "85": (L, 85, {}),
    "22以下": (LE, 22, {}),
    "70": (L, 70, {}),
    "6.5": (L, 6.5, {}),
    "4.5": (L, 4.5, {}),
    "2.8": (L, 2.8, {}),
    "0.38": (L, 0.38, {}),
    "0.54": (L, 0.54, {}),
    "0.91": (L, 0.91, {}),
    "力争每年降低1个百分点": (
        "annual_change",
        -1,
        {"change": "points", "direction": "down", "hedge": True},
    ),  # 青少年总体近视率
    "100": (L, 100, {}),
    "7": (L, 7, {}),
    "75": (L, 75, {}),
    "≤3": (LE, 3, {}),
    "91.75": (L, 91.75, {}),
    # 004 健康聊城行动 (columns 2022, 2030), full-width digits throughout
    "７９．４": (L, 79.4, {}),
    "８１左右": (APPROX, 81, {}),
    "３．９": (L, 3.9, {}),
    "３": (L, 3, {}),
    "４．９": (L, 4.9, {}),
    "３．３": (L, 3.3, {}),
    "９．５": (L, 9.5, {}),
    "７．１": (L, 7.1, {}),
    "９２．６": (L, 92.6, {}),
    "９５": (L, 95, {}),
    "３．１": (L, 3.1, {}),
    "２７．５": (L, 27.5, {}),
    "２５": (L, 25, {}),
    "２４": (L, 24, {}),
    "３２": (L, 32, {}),
    "实现": ("direction", None, {"direction": "improve"}),  # 健康科普专家库 … 机制: a milestone
    "持续完善": ("direction", None, {"direction": "improve"}),
    "３９": (L, 39, {}),
    "４３以上": (GE, 43, {}),
    "＞３０": (GE, 30, {"strict": True}),  # 全面无烟法规保护的人口比例
    "＞８０": (GE, 80, {"strict": True}),
    "８５": (L, 85, {}),
    "９０": (L, 90, {}),
    "８３": (L, 83, {}),
    "９２": (L, 92, {}),
    "９９": (L, 99, {}),
    "≥５２": (GE, 52, {}),
    "６５": (L, 65, {}),
    "力争每年降低１个百分点以上": (
        "annual_change",
        -1,
        {"change": "points", "direction": "down", "hedge": True},
    ),  # 儿童青少年总体近视率 2022
    "新发近视率明显下降": (
        "direction",
        None,
        {"direction": "down", "ambiguous": True},
    ),  # 2030: names another measure (new-onset myopia), so flagged
    "１．５": (L, 1.5, {}),
    "１．５以上": (GE, 1.5, {}),
    "≥７５": (GE, 75, {}),
    "≥９５": (GE, 95, {}),
    "１００": (L, 100, {}),
    "明显下降": ("direction", None, {"direction": "down"}),  # 接尘工龄不足5年 … 尘肺病 比例
    "持续下降": ("direction", None, {"direction": "down"}),
    "７５": (L, 75, {}),
    "２０４．２７": (L, 204.27, {}),
    "１８５．５６": (L, 185.56, {}),
    "１３．７９": (L, 13.79, {}),
    "１２．５９": (L, 12.59, {}),
    "７．８６": (L, 7.86, {}),
    "７．１４": (L, 7.14, {}),
    "≥６６": (GE, 66, {}),
    "≥７０": (GE, 70, {}),
    "≥６５": (GE, 65, {}),
    "＞９３": (GE, 93, {"strict": True}),  # 适龄儿童国家免疫规划疫苗接种率
    "８０": (L, 80, {}),
}

# raw baseline cell -> (value, year). Baselines of 000 are 2015年, of 001 2020年, of 004 the 基期水平 column.
SEED_BASELINES: dict[str, tuple[float | None, int | None]] = {
    # 000
    "77.1": (77.1, None),
    "3.14": (3.14, None),
    "4.07": (4.07, None),
    "5.5": (5.5, None),
    "89.6": (89.6, None),
    "11.3": (11.3, None),
    "34.8": (34.8, None),
    "1.8": (1.8, None),
    "95": (95, None),
    "20.41": (20.41, None),
    "1.79": (1.79, None),
    "1.99": (1.99, None),
    "0.8": (0.8, None),
    "40.18": (40.18, None),
    "68.77": (68.77, None),
    "36.4": (36.4, None),
    "0": (0, None),  # 重点流域水质 … 比例: a real zero, not a missing value
    "97.0": (97.0, None),
    "99.1": (99.1, None),
    # 001
    "80.11": (80.11, None),
    "-": (None, None),
    "15.37": (15.37, None),
    "23.16": (23.16, None),
    "21.46": (21.46, None),
    "91.78": (91.78, None),
    "70": (70, None),
    "14.1": (14.1, None),
    "61.98": (61.98, None),
    "20": (20, None),
    "6.03": (6.03, None),
    "2.77": (2.77, None),
    "0.24": (0.24, None),
    "2.73": (2.73, None),
    "0.87": (0.87, None),
    "2": (2, None),
    "50": (50, None),
    "7.8": (7.8, None),
    "69": (69, None),
    "≤3.2": (3.2, None),  # 院内感染发生率: a baseline written as a bound
    "1.23": (1.23, None),
    "106.58": (106.58, None),
    "55.79": (55.79, None),
    # 004
    "７８．１８(２０１９年)": (78.18, 2019),
    "４．０１": (4.01, None),
    "５．０３": (5.03, None),
    "９．８３": (9.83, None),
    "９１．８": (91.8, None),
    "２．５５(２０１９年)": (2.55, 2019),
    "２８": (28, None),
    "１０．３６": (10.36, None),
    "－－－": (None, None),
    "３６．５": (36.5, None),
    "８": (8, None),
    "８１．７": (81.7, None),
    "４１．３７ ３４．４０": (41.37, None),  # 宫颈癌 and 乳腺癌 screening, unlabelled
    "９９．４４": (99.44, None),
    "１７．５": (17.5, None),
    "５８．６６": (58.66, None),
    "１": (1, None),
    "１００": (100, None),
    "２２．１２": (22.12, None),
    "６０(２０１９年)": (60, 2019),
    "３９４．２３": (394.23, None),
    "１４": (14, None),
    "８．５１": (8.51, None),
    "６５": (65, None),
    "６６．７５": (66.75, None),
    "９０": (90, None),
    "社区卫生服务中心:１００; 乡镇卫生院:１００;": (100, None),
    "村卫生室:７１．５": (71.5, None),
}


def _seed(name: str) -> dict:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed plans not found at {SEEDS_DIR}")
    return json.loads((SEEDS_DIR / name).read_text(encoding="utf-8"))


def _seed_cells() -> tuple[list[str], list[str]]:
    """(target cells, baseline cells) of the three seed indicator tables, in table order with repeats."""
    targets: list[str] = []
    baselines: list[str] = []
    for row in _seed("000_567abfa0dda225a2.json")["indicator_tables"][0]["rows"]:
        baselines.append(row["values"]["2015年"]["raw"])
        targets += [row["values"][col]["raw"] for col in ("2020年", "2030年")]
    for row in _seed("001_473245586667a28f.json")["indicator_tables"][0]["rows"]:
        baselines.append(row["values"]["2020年"]["raw"])
        targets.append(row["values"]["2025年"]["raw"])
    for row in _seed("004_c95cd58d6fdbfc49.json")["indicator_table"]["rows"]:
        baselines.append(row["baseline"]["raw"])
        targets += [row[col]["raw"] for col in ("2022", "2030")]
    return targets, baselines


def assert_reading(reading: TargetReading, raw: str, kind: str, value: float | None, **extra: object) -> None:
    """Every field checked: the ones given, and DEFAULTS for the rest."""
    expected = {**DEFAULTS, **extra}
    got = reading.to_dict()
    assert got["raw"] == raw
    assert (got["kind"], got["value"]) == (kind, None if value is None else pytest.approx(value)), got
    assert {k: got[k] for k in DEFAULTS} == expected, got
    assert got["note"] and got["note"] != INTERNAL_ERROR_NOTE


# ---------------------------------------------------------------- the seed plans


@pytest.mark.parametrize(("raw", "expected"), SEED_TARGETS.items(), ids=list(SEED_TARGETS))
def test_seed_target_cell(raw, expected):
    kind, value, extra = expected
    assert_reading(parse_target(raw), raw, kind, value, **extra)


def test_every_seed_target_cell_is_in_the_table():
    targets, _ = _seed_cells()
    assert len(targets) == 20 * 2 + 33 + 31 * 2
    assert set(targets) == set(SEED_TARGETS), "add the new cell to SEED_TARGETS, or drop the stale one"


@pytest.mark.parametrize(("raw", "expected"), SEED_BASELINES.items(), ids=list(SEED_BASELINES))
def test_seed_baseline_cell(raw, expected):
    value, year = expected
    reading = parse_baseline(raw)
    assert reading.raw == raw
    assert reading.value == (None if value is None else pytest.approx(value))
    assert reading.year == year
    assert reading.note and reading.note != INTERNAL_ERROR_NOTE


def test_every_seed_baseline_cell_is_in_the_table():
    _, baselines = _seed_cells()
    assert len(baselines) == 20 + 33 + 31
    assert set(baselines) == set(SEED_BASELINES), "add the new cell to SEED_BASELINES, or drop the stale one"


def test_baseline_notes_say_what_was_dropped():
    assert "41.37、34.40" in parse_baseline("４１．３７ ３４．４０").note
    labelled = parse_baseline("社区卫生服务中心:１００; 乡镇卫生院:１００;").note
    assert "社区卫生服务中心 100" in labelled and "乡镇卫生院 100" in labelled
    assert "村卫生室" in parse_baseline("村卫生室:７１．５").note
    assert "≤3.2" in parse_baseline("≤3.2").note
    assert "2019 年" in parse_baseline("７８．１８(２０１９年)").note
    assert parse_baseline("80.11").note == "基期值 80.11"
    assert parse_baseline("97.0").note == "基期值 97.0"  # trailing zero kept for display


@pytest.mark.parametrize(
    ("raw", "value", "year"),
    [
        ("", None, None),
        ("   ", None, None),
        ("106.58：100", 106.58, None),  # ratio notation, prose of 001
        ("-0.37", -0.37, None),  # a natural growth rate can be negative; "-" alone is no data
        ("2019年:78.2", 78.2, 2019),
        ("90%以上", 90, None),
        ("持续提高", None, None),
    ],
)
def test_other_baseline_forms(raw, value, year):
    reading = parse_baseline(raw)
    assert (reading.value, reading.year) == (None if value is None else pytest.approx(value), year)
    assert reading.note
    assert reading.to_dict() == {"raw": raw, "value": reading.value, "year": year, "note": reading.note}


def test_prose_targets_of_the_seeds_never_break_the_parser():
    """The prose quotes are whole clauses, not cells; they must still come back with a reading and a note."""
    quotes = [
        target["quote"]
        for name in ("000_567abfa0dda225a2.json", "001_473245586667a28f.json", "004_c95cd58d6fdbfc49.json")
        for target in _seed(name).get("text_targets", [])
    ]
    assert len(quotes) > 200
    for quote in quotes:
        reading = parse_target(quote)
        assert reading.kind in KINDS and reading.raw == quote
        assert reading.note and reading.note != INTERNAL_ERROR_NOTE, quote


# ---------------------------------------------------------------- the issue's examples, exactly


def test_issue_examples():
    assert_reading(parse_target("81左右"), "81左右", "approx", 81)
    assert parse_target("81左右").note == "81 左右（允许一定浮动）"
    assert_reading(parse_target("≦4"), "≦4", "at_most", 4)
    assert parse_target("≦4").note == "不高于 4（含 4）"
    assert_reading(parse_target("92.00以上"), "92.00以上", "at_least", 92.0)
    assert "92.00" in parse_target("92.00以上").note
    cut = parse_target("比2015年降低10")
    assert_reading(
        cut,
        "比2015年降低10",
        "relative_to_base",
        -10,
        base_year=2015,
        change="percent",
        direction="down",
        ambiguous=True,
    )
    assert cut.note == "比 2015 年基期值相对降低 10%（原文未写 %，按相对百分比理解，请核对）"
    assert_reading(
        parse_target("提高6个百分点"), "提高6个百分点", "points_change", 6, change="points", direction="up"
    )
    assert_reading(
        parse_target("力争每年降低1个百分点"),
        "力争每年降低1个百分点",
        "annual_change",
        -1,
        change="points",
        direction="down",
        hedge=True,
    )
    assert_reading(parse_target("持续提高"), "持续提高", "direction", None, direction="up")
    assert_reading(parse_target("全覆盖"), "全覆盖", "coverage", 100)
    for dash in ("——", "－－－", "-"):
        assert_reading(parse_target(dash), dash, "none", None)
    assert_reading(parse_target(">80"), ">80", "at_least", 80, strict=True)
    assert_reading(parse_target("＞50"), "＞50", "at_least", 50, strict=True)


# ---------------------------------------------------------------- DOMAIN.md's target-notation table

DOMAIN_EXAMPLES = [
    ("78.1", L, 78.1, {}),
    ("３．０", L, 3.0, {}),
    ("达到2.5", L, 2.5, {}),
    ("98.0以上", GE, 98, {}),
    ("92.00以上", GE, 92, {}),
    ("≥80", GE, 80, {}),
    ("不低于2.5平方米", GE, 2.5, {}),
    ("不少于1小时", GE, 1, {}),
    ("至少1辆", GE, 1, {}),
    ("3.3以下", LE, 3.3, {}),
    ("≦4", LE, 4, {}),
    ("≤3.2", LE, 3.2, {}),
    ("3%以内", LE, 3, {}),
    ("控制在8.2以下", LE, 8.2, {}),
    ("降到9克以下", LE, 9, {}),
    ("下降至22%以下", LE, 22, {}),
    (">80", GE, 80, {"strict": True}),
    ("＞50", GE, 50, {"strict": True}),
    ("<5", LE, 5, {"strict": True}),
    ("81左右", APPROX, 81, {}),
    ("25%左右", APPROX, 25, {}),
    ("2-4名", "range", 2, {"value_max": 4}),
    ("0.30—0.65平方米", "range", 0.30, {"value_max": 0.65}),
    ("1-2处", "range", 1, {"value_max": 2}),
    ("2～3所", "range", 2, {"value_max": 3}),
    (
        "比2015年降低30%",
        "relative_to_base",
        -30,
        {"base_year": 2015, "change": "percent", "direction": "down"},
    ),
    (
        "较2015年下降30%",
        "relative_to_base",
        -30,
        {"base_year": 2015, "change": "percent", "direction": "down"},
    ),
    # An absolute change in the indicator's unit (岁): change None; 左右 is kept in the note.
    ("在2020年基础上提高1岁左右", "relative_to_base", 1, {"base_year": 2020, "direction": "up"}),
    # No base year: relative to the plan's baseline; 以上 only in the note.
    ("提高15％以上", "relative_to_base", 15, {"change": "percent", "direction": "up"}),
    ("提高6个百分点", "points_change", 6, {"change": "points", "direction": "up"}),
    ("降低2个百分点", "points_change", -2, {"change": "points", "direction": "down"}),
    ("比2015年提高6个百分点", "points_change", 6, {"change": "points", "direction": "up", "base_year": 2015}),
    ("每年降0.5%以上", "annual_change", -0.5, {"change": "percent", "direction": "down"}),
    ("力争每年降低1个百分点", "annual_change", -1, {"change": "points", "direction": "down", "hedge": True}),
    ("持续提高", "direction", None, {"direction": "up"}),
    ("稳步提高", "direction", None, {"direction": "up"}),
    ("逐年提高", "direction", None, {"direction": "up"}),
    ("明显提高", "direction", None, {"direction": "up"}),
    ("同比例增加", "direction", None, {"direction": "up", "ambiguous": True}),
    ("持续下降", "direction", None, {"direction": "down"}),
    ("明显下降", "direction", None, {"direction": "down"}),
    ("逐年降低", "direction", None, {"direction": "down"}),
    ("显著降低", "direction", None, {"direction": "down"}),
    ("持续改善", "direction", None, {"direction": "improve"}),
    ("持续完善", "direction", None, {"direction": "improve"}),
    ("实现", "direction", None, {"direction": "improve"}),
    # No hold kind in the vocabulary: not worse than the baseline, flagged for a person.
    ("维持在较低水平", "direction", None, {"direction": "improve", "ambiguous": True}),
    ("全覆盖", "coverage", 100, {}),
    ("所有", "coverage", 100, {}),
    ("全部", "coverage", 100, {}),
    ("人人", "coverage", 100, {}),
    ("全面", "coverage", 100, {}),
    ("基本实现全覆盖", "coverage", 100, {"hedge": True}),
    ("基本医疗卫生服务全覆盖", "coverage", 100, {}),  # 基本医疗 is a noun, not a hedge
    ("争取达到90%以上", GE, 90, {"hedge": True}),
    ("优于全省平均水平", "comparator", None, {"direction": "improve"}),
    ("位居全市前列", "comparator", None, {"direction": "improve"}),
    ("控制在全省平均水平以下", "comparator", None, {"direction": "down"}),
    ("——", "none", None, {}),
    ("－－－", "none", None, {}),
    ("-", "none", None, {}),
    ("–", "none", None, {}),
    ("", "none", None, {}),
    ("  \t", "none", None, {}),
    ("无", "none", None, {}),
    # The table's bare words, with no number, cannot be evaluated.
    ("不少于", "none", None, {"ambiguous": True}),
    ("控制在…以下", "none", None, {"ambiguous": True}),
]


@pytest.mark.parametrize(
    ("raw", "kind", "value", "extra"), DOMAIN_EXAMPLES, ids=[e[0] for e in DOMAIN_EXAMPLES]
)
def test_domain_example(raw, kind, value, extra):
    assert_reading(parse_target(raw), raw, kind, value, **extra)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("在2020年基础上提高1岁左右", ["2020", "1岁", "左右", "绝对"]),
        ("提高15％以上", ["15%", "以上", "未写基期年份"]),
        ("每年降0.5%以上", ["0.5%", "至少"]),
        ("维持在较低水平", ["不恶化", "人工核对"]),
        ("实现", ["完成即达标"]),
        ("＞５０", ["高于 50", "不含"]),
        ("新发近视率明显下降", ["新发近视率"]),
        ("优于全省平均水平", ["参照值"]),
        ("不少于", ["请人工核对"]),
    ],
)
def test_note_explains_the_reading(raw, words):
    note = parse_target(raw).note
    for word in words:
        assert word in note


@pytest.mark.parametrize(
    "raw",
    ["2.5平方米", "4.5个", "1.5小时", "达到100%", "保持在90%"],
)
def test_trailing_unit_is_ignored(raw):
    reading = parse_target(raw)
    assert reading.kind == "level"
    assert not reading.ambiguous


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("90%以上", GE, 90),
        ("130余家", GE, 130),  # a little more than 130: anything from 130 up satisfies it
        ("53.47万余份", GE, 53.47),
        ("约80", APPROX, 80),
        ("提高至80%", GE, 80),  # a level reached by rising is a floor
        ("2025年达到80%以上", GE, 80),
        ("保持在90%以上", GE, 90),
        ("-5", L, -5),
    ],
)
def test_other_bound_forms(raw, kind, value):
    reading = parse_target(raw)
    assert (reading.kind, reading.value) == (kind, pytest.approx(value))


def test_unit_argument_only_enriches_the_note():
    plain, rate, age = (parse_target("比2015年降低10", unit=u) for u in (None, "%", "岁"))
    assert plain.to_dict() | {"note": ""} == rate.to_dict() | {"note": ""} == age.to_dict() | {"note": ""}
    assert "个百分点" in rate.note and "个百分点" not in plain.note
    assert "10岁" in age.note


def test_full_width_and_trailing_zeros_are_kept_in_raw_and_note():
    for raw, shown in (("92.00以上", "92.00"), ("2.20", "2.20"), ("75.0", "75.0"), ("１．５以上", "1.5")):
        reading = parse_target(raw)
        assert reading.raw == raw
        assert shown in reading.note


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("９２．００", "92.00"),
        ("2.20", "2.20"),
        (" 75.0 ", "75.0"),
        (".5", "0.5"),
        ("－3", "-3"),
        ("abc", "abc"),
    ],
)
def test_format_number(raw, shown):
    assert format_number(raw) == shown


def test_unreadable_text_asks_for_a_person():
    for raw in ("见附件", "100 80", "力争"):
        reading = parse_target(raw)
        assert (reading.kind, reading.ambiguous) == ("none", True)
        assert "请人工核对" in reading.note
    assert parse_target("达到全省标准").kind == "comparator"


def test_non_string_input_does_not_raise():
    assert parse_target(None).kind == "none"  # type: ignore[arg-type]
    assert parse_target(80).value == 80  # type: ignore[arg-type]
    assert parse_baseline(None).value is None  # type: ignore[arg-type]


# ---------------------------------------------------------------- properties

VOCABULARY = [
    "比",
    "较",
    "2015年",
    "２０１５年",
    "基础上",
    "在",
    "降低",
    "下降",
    "提高",
    "增加",
    "每年",
    "年均",
    "个百分点",
    "%",
    "％",
    "‰",
    "以上",
    "以下",
    "以内",
    "左右",
    "余",
    "≥",
    "≤",
    "≦",
    "≧",
    ">",
    "＞",
    "<",
    "-",
    "－",
    "—",
    "~",
    "至",
    "到",
    "不低于",
    "不少于",
    "控制在",
    "达到",
    "力争",
    "争取",
    "基本",
    "持续",
    "明显",
    "实现",
    "完善",
    "全覆盖",
    "所有",
    "全省",
    "平均水平",
    "前列",
    "维持在较低水平",
    "翻一番",
    "倍",
    "岁",
    "平方米",
    "/10万",
    ":",
    "(",
    ")",
    " ",
    "．",
    ".",
]
DIGITS = st.sampled_from("0123456789０１２３４５６７８９")
NUMBERS = st.builds(
    lambda whole, frac: whole + ("." + frac if frac else ""),
    st.text(DIGITS, min_size=1, max_size=4),
    st.text(DIGITS, max_size=2),
)
NOTATIONS = st.lists(st.one_of(st.sampled_from(VOCABULARY), NUMBERS, DIGITS), max_size=8).map("".join)
ANY_TEXT = st.one_of(st.text(), NOTATIONS)


def _check_invariants(text: str, reading: TargetReading) -> None:
    assert isinstance(reading, TargetReading)
    assert reading.raw == text
    assert reading.kind in KINDS
    data = reading.to_dict()
    assert list(data) == FIELDS
    json.dumps(data, ensure_ascii=False, allow_nan=False)
    assert reading.note and reading.note != INTERNAL_ERROR_NOTE
    assert reading.change in (None, "percent", "points")
    assert reading.direction in (None, "up", "down", "improve")
    if reading.kind == "range":
        assert reading.value is not None and reading.value_max is not None
        assert reading.value <= reading.value_max
    else:
        assert reading.value_max is None
    if reading.kind in ("none", "direction", "comparator"):
        assert reading.value is None
    if reading.kind == "coverage":
        assert reading.value == 100
    if reading.kind in ("relative_to_base", "points_change", "annual_change"):
        assert reading.value is not None and reading.direction in ("up", "down")
        if reading.value:  # "降0" is a zero change; only a non-zero value shows its sign
            assert reading.direction == ("down" if reading.value < 0 else "up")
    if reading.kind == "points_change":
        assert reading.change == "points"
    if reading.strict:
        assert reading.kind in ("at_least", "at_most")


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_never_raises_and_keeps_its_promises(text):
    _check_invariants(text, parse_target(text))
    _check_invariants(text, parse_target(text, unit="%"))


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_baseline_never_raises(text):
    reading = parse_baseline(text)
    assert isinstance(reading, BaselineReading) and reading.raw == text
    assert reading.note and reading.note != INTERNAL_ERROR_NOTE
    json.dumps(reading.to_dict(), ensure_ascii=False, allow_nan=False)


# Characters that occur in no vocabulary word, so text made of them cannot be read.
@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("山水花鸟风云雪abcdefghijklmopqrstuvwyzé"), min_size=1, max_size=20))
def test_unreadable_is_none_or_comparator_with_a_note(text):
    reading = parse_target(text)
    assert reading.kind in ("none", "comparator")
    assert reading.note
    if reading.kind == "none":  # unlike a deliberate "——", unreadable text is flagged for a person
        assert reading.ambiguous and "请人工核对" in reading.note


def _full_width(text: str) -> str:
    """The full-width (IME) spelling of every printable ASCII character: 3.5% → ３．５％."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def _without_raw(reading: TargetReading) -> dict[str, object]:
    return {k: v for k, v in reading.to_dict().items() if k != "raw"}


@settings(max_examples=300, deadline=None)
@given(NOTATIONS)
def test_full_width_and_half_width_read_the_same(text):
    half = unicodedata.normalize("NFKC", text)
    assert _without_raw(parse_target(_full_width(half))) == _without_raw(parse_target(half))
    assert parse_baseline(_full_width(half)).value == parse_baseline(half).value


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_reading_depends_only_on_the_nfkc_form(text):
    assert _without_raw(parse_target(text)) == _without_raw(parse_target(unicodedata.normalize("NFKC", text)))


@pytest.mark.parametrize(
    ("full", "half"),
    [
        ("＞５０", ">50"),
        ("３．０", "3.0"),
        ("２５％左右", "25%左右"),
        ("力争每年降低１个百分点以上", "力争每年降低1个百分点以上"),
    ],
)
def test_full_width_examples(full, half):
    assert _without_raw(parse_target(full)) == _without_raw(parse_target(half))


def test_every_kind_has_a_chinese_label():
    from desktop.core.target_words import KIND_LABELS_ZH

    assert set(KIND_LABELS_ZH) == set(KINDS)

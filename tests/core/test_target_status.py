"""Progress status: every status that a target kind can reach, with numbers from the seed plans.

Targets are built as a local dataclass with TargetReading's attributes, so these tests do not depend on the
parser; the end-to-end cases at the bottom go through parse_target.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.target_status import (
    STATUS_LABELS_ZH,
    STATUSES,
    StatusSettings,
    evaluate_target,
    format_number,
    format_quantity,
    threshold_for,
)
from desktop.core.targets import parse_target


@dataclass(frozen=True)
class T:
    """Stand-in for targets.TargetReading."""

    raw: str
    kind: str
    value: float | None = None
    value_max: float | None = None
    base_year: int | None = None
    change: str | None = None
    direction: str | None = None
    strict: bool = False
    hedge: bool = False
    ambiguous: bool = False
    note: str = ""


@dataclass(frozen=True)
class Case:
    kind: str  # the row of the matrix; several rows may share a TargetReading kind
    target: T
    series: dict
    status: str
    facts: tuple[str, ...] = ()  # fragments the reason must contain
    direction: str = "up"
    target_year: int = 2025
    unit: str = ""
    extra: tuple = ()  # more keyword arguments for evaluate_target, as pairs


# 每千人口执业（助理）医师数: 2.77 人 (2020) → 2.8 (2025), 昌乐县十四五.
DOCTORS = T("2.8", "level", 2.8)
# 婴儿死亡率 level 3 ‰ with baseline 3.14 ‰.
IMR_LEVEL = T("3", "level", 3.0)
# 婴儿死亡率 ≦4 ‰ while the county is already at 3.14 ‰; 孕产妇死亡率 ≤ 7.1/10万 with baseline 5.5.
IMR_CEILING = T("≦4", "at_most", 4.0)
MMR_CEILING = T("7.1", "at_most", 7.1)
MMR_DOWN = T("8.2以下", "at_most", 8.2)
# 新生儿疾病筛查率 ≥ 99 % with 2020 already at 99.44 %; 孕产妇系统管理率 ≥ 95 %.
SCREENING = T("99以上", "at_least", 99.0)
MATERNAL_MGMT = T("95%以上", "at_least", 95.0)
STRICT_FLOOR = T(">80", "at_least", 80.0, strict=True)
STRICT_CEILING = T("<3.2", "at_most", 3.2, strict=True)
# 人均预期寿命 81左右 (2030), band ±2 % = 79.38..82.62.
LIFE_APPROX = T("81左右", "approx", 81.0)
SPORTS_AREA = T("0.30—0.65平方米", "range", 0.30, value_max=0.65)
# 重大慢性病过早死亡率 比2015年降低10 (2015 = 20.41 %): relative −10 %, flagged ambiguous by the parser.
PREMATURE = T(
    "比2015年降低10",
    "relative_to_base",
    -10.0,
    base_year=2015,
    change="percent",
    direction="down",
    ambiguous=True,
)
PREMATURE_PCT = T(
    "比2015年降低30%", "relative_to_base", -30.0, base_year=2015, change="percent", direction="down"
)
LIFE_PLUS_ONE = T("在2020年基础上提高1岁左右", "relative_to_base", 1.0, base_year=2020, direction="up")
LITERACY = T("提高6个百分点", "points_change", 6.0, change="points", direction="up")
LITERACY_2015 = T(
    "比2015年提高6个百分点", "points_change", 6.0, base_year=2015, change="points", direction="up"
)
# 青少年总体近视率 力争每年降低1个百分点 (2020 = 55 %).
MYOPIA = T("力争每年降低1个百分点", "annual_change", -1.0, change="points", direction="down", hedge=True)
ANNUAL_PCT = T("每年降0.5%以上", "annual_change", -0.5, change="percent", direction="down")
AIR_UP = T("持续提高", "direction", direction="up")  # 城市空气质量优良天数比率
FALLING = T("逐年降低", "direction", direction="down")
IMPROVE = T("持续改善", "direction", direction="improve")
HOLD_LOW = T("维持在较低水平", "direction", direction="improve", ambiguous=True)
HOLD_STEADY = T("保持稳定", "direction", direction="improve")
COVERAGE = T("全覆盖", "coverage", 100.0)
BETTER = T("优于全省平均水平", "comparator", direction="improve")
HIGHER = T("高于全省平均", "comparator", direction="up")
NO_TARGET = T("——", "none")
LEVEL_50 = T("50", "level", 50.0)
SCREEN_TASK = T("66000", "at_least", 66000.0)
YESNO = (("is_yesno", True),)
COUNT = (("is_count", True),)
REF_3 = (("reference_value", 3.0),)

# fmt: off
D = {"direction": "down"}
CASES: dict[str, Case] = {
    # level, indicator direction up: a floor.
    "level_up-achieved": Case("level_up", DOCTORS, {2020: 2.77, 2023: 2.81}, "achieved", ("2.81", "2.8")),
    "level_up-on_track": Case("level_up", DOCTORS, {2020: 2.77, 2023: 2.79}, "on_track", ("2.79", "0.22%")),
    "level_up-needs_acc": Case("level_up", DOCTORS, {2020: 2.77, 2024: 2.79}, "needs_acceleration", ("2.79", "83%")),
    "level_up-off_track": Case("level_up", DOCTORS, {2020: 2.77, 2023: 2.78}, "off_track", ("2.78", "2.8")),
    "level_up-deteriorating": Case("level_up", DOCTORS, {2020: 2.77, 2023: 2.70}, "deteriorating", ("2.7",)),
    "level_up-late_off_track": Case("level_up", DOCTORS, {2020: 2.77, 2025: 2.79}, "off_track", ("未达到", "2.79")),
    "level_up-late_worse": Case("level_up", DOCTORS, {2020: 2.77, 2025: 2.7}, "deteriorating", ("更差",)),
    "level_up-no_data": Case("level_up", DOCTORS, {}, "no_data", ("尚无数据",)),
    "level_up-only_baseline": Case("level_up", DOCTORS, {2020: 2.77}, "cannot_judge", ("基线年之后尚无数据",)),
    # level, indicator direction down: a ceiling.
    "level_down-achieved": Case("level_down", IMR_LEVEL, {2020: 3.14, 2023: 2.9}, "achieved", ("2.9", "3"), **D),
    "level_down-on_track": Case("level_down", IMR_LEVEL, {2020: 3.14, 2023: 3.05}, "on_track", ("3.05",), **D),
    "level_down-needs_acc": Case("level_down", IMR_LEVEL, {2020: 3.14, 2023: 3.08}, "needs_acceleration", (), **D),
    "level_down-off_track": Case("level_down", IMR_LEVEL, {2020: 3.14, 2023: 3.12}, "off_track", ("3.12",), **D),
    "level_down-deteriorating": Case("level_down", IMR_LEVEL, {2020: 3.14, 2023: 3.3}, "deteriorating", ("3.3",), **D),
    "level_down-no_data": Case("level_down", IMR_LEVEL, {2020: None}, "no_data", ("尚无数据",), **D),
    "level_down-only_baseline": Case("level_down", IMR_LEVEL, {2020: 3.14}, "cannot_judge", (), **D),
    # level on a neutral indicator: a band around the value.
    "level_neutral-achieved": Case("level_neutral", LEVEL_50, {2020: 45, 2023: 49.5}, "achieved", ("49", "51"), direction="neutral"),
    "level_neutral-on_track": Case("level_neutral", LEVEL_50, {2020: 45, 2023: 48}, "on_track", ("49",), direction="neutral"),
    "level_neutral-deteriorating": Case("level_neutral", LEVEL_50, {2020: 50, 2023: 53}, "deteriorating", ("51",), direction="neutral"),
    # at_most: baseline already beats the ceiling (婴儿死亡率 ≦4, 孕产妇死亡率 7.1 vs 5.5).
    "at_most-achieved_baseline_beats": Case("at_most", IMR_CEILING, {2020: 3.14, 2024: 3.5}, "achieved", ("3.5‰", "4‰", "已低于"), unit="‰", **D),
    "at_most-mmr_achieved": Case("at_most", MMR_CEILING, {2015: 5.5, 2024: 6.0}, "achieved", ("6/10万", "7.1/10万"), target_year=2030, unit="1/10万", **D),
    "at_most-mmr_slipped": Case("at_most", MMR_CEILING, {2015: 5.5, 2024: 7.5}, "deteriorating", ("5.5/10万", "7.5/10万", "曾达到"), target_year=2030, unit="1/10万", **D),
    "at_most-on_track": Case("at_most", MMR_DOWN, {2020: 10.0, 2023: 8.7}, "on_track", ("8.7", "8.2"), unit="1/10万", **D),
    "at_most-needs_acc": Case("at_most", MMR_DOWN, {2020: 10.0, 2023: 9.0}, "needs_acceleration", ("9/10万",), unit="1/10万", **D),
    "at_most-off_track": Case("at_most", MMR_DOWN, {2020: 10.0, 2023: 9.8}, "off_track", (), unit="1/10万", **D),
    "at_most-deteriorating": Case("at_most", MMR_DOWN, {2020: 10.0, 2023: 10.5}, "deteriorating", (), unit="1/10万", **D),
    "at_most-late_off_track": Case("at_most", MMR_DOWN, {2020: 10.0, 2025: 8.5}, "off_track", ("未达到",), unit="1/10万", **D),
    "at_most-no_data": Case("at_most", MMR_DOWN, {}, "no_data", (), **D),
    # at_least: 新生儿筛查 99.44 → ≥ 99 (baseline beats it), 孕产妇系统管理率 90 → ≥ 95 by 2030.
    "at_least-achieved_baseline_beats": Case("at_least", SCREENING, {2020: 99.44, 2024: 99.5}, "achieved", ("99.5%", "99%"), unit="%"),
    "at_least-slipped": Case("at_least", SCREENING, {2020: 99.44, 2024: 98.5}, "deteriorating", ("99.44%", "98.5%"), unit="%"),
    "at_least-on_track": Case("at_least", MATERNAL_MGMT, {2018: 90.0, 2022: 91.8}, "on_track", ("91.8%", "95%"), target_year=2030, unit="%"),
    "at_least-needs_acc": Case("at_least", MATERNAL_MGMT, {2018: 90.0, 2022: 91.2}, "needs_acceleration", (), target_year=2030, unit="%"),
    "at_least-off_track": Case("at_least", MATERNAL_MGMT, {2018: 90.0, 2022: 90.5}, "off_track", (), target_year=2030, unit="%"),
    "at_least-deteriorating": Case("at_least", MATERNAL_MGMT, {2018: 90.0, 2022: 89.0}, "deteriorating", (), target_year=2030, unit="%"),
    "at_least-achieved": Case("at_least", MATERNAL_MGMT, {2018: 90.0, 2022: 95.0}, "achieved", ("已达到",), target_year=2030, unit="%"),
    "at_least-no_data": Case("at_least", MATERNAL_MGMT, {2018: math.nan}, "no_data", ()),
    # strict bounds: equality is not enough.
    "strict-achieved": Case("strict", STRICT_FLOOR, {2020: 78.0, 2024: 80.5}, "achieved", ("80.5",)),
    "strict-equal_not_achieved": Case("strict", STRICT_FLOOR, {2020: 78.0, 2024: 80.0}, "on_track", ("超过 80",)),
    "strict-late_equal": Case("strict", STRICT_FLOOR, {2020: 78.0, 2025: 80.0}, "off_track", ()),
    "strict-ceiling_equal": Case("strict", STRICT_CEILING, {2020: 3.5, 2025: 3.2}, "off_track", ("低于 3.2",), **D),
    "strict-ceiling_achieved": Case("strict", STRICT_CEILING, {2020: 3.5, 2024: 3.19}, "achieved", ("3.19",), **D),
    "strict-deteriorating": Case("strict", STRICT_FLOOR, {2020: 78.0, 2024: 77.0}, "deteriorating", ()),
    # approx: 81左右 → 79.38..82.62 by 2030, from 78 in 2018.
    "approx-achieved": Case("approx", LIFE_APPROX, {2018: 78.0, 2024: 79.5}, "achieved", ("79.38", "82.62"), target_year=2030, unit="岁"),
    "approx-on_track": Case("approx", LIFE_APPROX, {2018: 78.0, 2024: 79.0}, "on_track", ("79 岁", "79.38 岁"), target_year=2030, unit="岁"),
    "approx-needs_acc": Case("approx", LIFE_APPROX, {2018: 78.0, 2024: 78.5}, "needs_acceleration", (), target_year=2030, unit="岁"),
    "approx-off_track": Case("approx", LIFE_APPROX, {2018: 78.0, 2024: 78.2}, "off_track", (), target_year=2030, unit="岁"),
    "approx-deteriorating": Case("approx", LIFE_APPROX, {2018: 78.0, 2024: 77.5}, "deteriorating", (), target_year=2030, unit="岁"),
    "approx-overshoot": Case("approx", LIFE_APPROX, {2018: 78.0, 2024: 83.0}, "off_track", ("越过",), target_year=2030, unit="岁"),
    "approx-left_band": Case("approx", LIFE_APPROX, {2018: 80.0, 2024: 78.0}, "deteriorating", ("曾达到",), target_year=2030, unit="岁"),
    "approx-wide_band": Case("approx", LIFE_APPROX, {2018: 77.0, 2024: 78.0}, "achieved", ("76.95", "85.05"), target_year=2030, extra=(("settings", StatusSettings(approx_band=0.05)),)),
    # range 0.30—0.65 平方米, from 0.2 in 2018 to 2022.
    "range-achieved": Case("range", SPORTS_AREA, {2018: 0.2, 2020: 0.4}, "achieved", ("0.3", "0.65"), target_year=2022, unit="平方米"),
    "range-on_track": Case("range", SPORTS_AREA, {2018: 0.2, 2020: 0.26}, "on_track", ("0.26 平方米",), target_year=2022, unit="平方米"),
    "range-needs_acc": Case("range", SPORTS_AREA, {2018: 0.2, 2020: 0.24}, "needs_acceleration", (), target_year=2022),
    "range-off_track": Case("range", SPORTS_AREA, {2018: 0.2, 2020: 0.21}, "off_track", (), target_year=2022),
    "range-deteriorating": Case("range", SPORTS_AREA, {2018: 0.2, 2020: 0.18}, "deteriorating", (), target_year=2022),
    "range-overshoot": Case("range", SPORTS_AREA, {2018: 0.2, 2020: 0.7}, "off_track", ("越过",), target_year=2022),
    # relative_to_base, percent: 比2015年降低10 with 20.41 → 18.37 by 2020.
    "relative_pct-achieved": Case("relative_pct", PREMATURE, {2015: 20.41, 2018: 18.2}, "achieved", ("20.41%", "18.37%", "有歧义"), target_year=2020, unit="%", **D),
    "relative_pct-on_track": Case("relative_pct", PREMATURE, {2015: 20.41, 2018: 19.0}, "on_track", ("18.37%", "19%"), target_year=2020, unit="%", **D),
    "relative_pct-needs_acc": Case("relative_pct", PREMATURE, {2015: 20.41, 2018: 19.3}, "needs_acceleration", ("18.37%",), target_year=2020, unit="%", **D),
    "relative_pct-off_track": Case("relative_pct", PREMATURE, {2015: 20.41, 2018: 20.2}, "off_track", (), target_year=2020, unit="%", **D),
    "relative_pct-deteriorating": Case("relative_pct", PREMATURE, {2015: 20.41, 2018: 21.0}, "deteriorating", (), target_year=2020, unit="%", **D),
    "relative_pct-no_base": Case("relative_pct", PREMATURE, {2018: 19.0, 2020: 18.0}, "cannot_judge", ("缺少2015年基数",), target_year=2030, **D),
    "relative_pct-explicit_base": Case("relative_pct", PREMATURE_PCT, {2018: 16.0, 2024: 14.0}, "achieved", ("14.29",), target_year=2030, extra=(("base_value", 20.41),), **D),
    "relative_pct-no_data": Case("relative_pct", PREMATURE, {}, "no_data", (), **D),
    # relative_to_base, absolute change: 人均预期寿命 在2020年基础上提高1岁左右 (80.11 → 81.11).
    "relative_abs-achieved": Case("relative_abs", LIFE_PLUS_ONE, {2020: 80.11, 2024: 81.2}, "achieved", ("80.11", "81.11")),
    "relative_abs-needs_acc": Case("relative_abs", LIFE_PLUS_ONE, {2020: 80.11, 2023: 80.5}, "needs_acceleration", ("年均增加 0.2 岁", "提高 1 岁"), unit="岁"),
    "relative_abs-on_track": Case("relative_abs", LIFE_PLUS_ONE, {2020: 80.11, 2023: 80.8}, "on_track", ()),
    "relative_abs-off_track": Case("relative_abs", LIFE_PLUS_ONE, {2020: 80.11, 2023: 80.2}, "off_track", ()),
    "relative_abs-deteriorating": Case("relative_abs", LIFE_PLUS_ONE, {2020: 80.11, 2023: 80.0}, "deteriorating", ()),
    # points_change: 居民健康素养水平 提高6个百分点 from 24 % (2020) → 30 %.
    "points-achieved": Case("points", LITERACY, {2020: 24.0, 2023: 30.5}, "achieved", ("24%", "30%", "提高 6 个百分点"), unit="%"),
    "points-on_track": Case("points", LITERACY, {2020: 24.0, 2023: 28.0}, "on_track", ("1.2 个百分点",), unit="%"),
    "points-needs_acc": Case("points", LITERACY, {2020: 24.0, 2023: 26.5}, "needs_acceleration", (), unit="%"),
    "points-off_track": Case("points", LITERACY, {2020: 24.0, 2023: 25.0}, "off_track", (), unit="%"),
    "points-deteriorating": Case("points", LITERACY, {2020: 24.0, 2023: 23.0}, "deteriorating", (), unit="%"),
    "points-base_year": Case("points", LITERACY_2015, {2015: 10.0, 2020: 14.0, 2023: 16.5}, "achieved", ("2015年", "16%"), target_year=2030, extra=(("baseline_year", 2020),), unit="%"),
    "points-no_data": Case("points", LITERACY, {}, "no_data", ()),
    # annual_change in points: 近视率 力争每年降低1个百分点, 55 % (2020) → 50 % (2025).
    "annual_points-achieved": Case("annual_points", MYOPIA, {2020: 55.0, 2024: 49.8}, "achieved", ("50%", "力争"), unit="%", **D),
    "annual_points-on_track": Case("annual_points", MYOPIA, {2020: 55.0, 2023: 52.0}, "on_track", ("1 个百分点", "力争"), unit="%", **D),
    "annual_points-needs_acc": Case("annual_points", MYOPIA, {2020: 55.0, 2023: 53.0}, "needs_acceleration", ("0.67 个百分点",), unit="%", **D),
    "annual_points-off_track": Case("annual_points", MYOPIA, {2020: 55.0, 2023: 54.5}, "off_track", (), unit="%", **D),
    "annual_points-deteriorating": Case("annual_points", MYOPIA, {2020: 55.0, 2023: 56.0}, "deteriorating", (), unit="%", **D),
    "annual_points-late": Case("annual_points", MYOPIA, {2020: 55.0, 2025: 51.0}, "off_track", ("未达到",), unit="%", **D),
    # annual_change in percent: 每年降0.5%以上 from 15 (2020): 15 × 0.995^5 = 14.63 by 2025.
    "annual_pct-achieved": Case("annual_pct", ANNUAL_PCT, {2020: 15.0, 2023: 14.6}, "achieved", ("14.63",), **D),
    "annual_pct-on_track": Case("annual_pct", ANNUAL_PCT, {2020: 15.0, 2023: 14.7}, "on_track", ("0.5%",), **D),
    "annual_pct-needs_acc": Case("annual_pct", ANNUAL_PCT, {2020: 15.0, 2023: 14.8}, "needs_acceleration", (), **D),
    "annual_pct-off_track": Case("annual_pct", ANNUAL_PCT, {2020: 15.0, 2023: 14.9}, "off_track", (), **D),
    "annual_pct-deteriorating": Case("annual_pct", ANNUAL_PCT, {2020: 15.0, 2023: 15.2}, "deteriorating", (), **D),
    "annual_pct-only_baseline": Case("annual_pct", ANNUAL_PCT, {2020: 15.0}, "cannot_judge", (), **D),
    # direction up: 城市空气质量优良天数比率 持续提高.
    "direction_up-on_track": Case("direction_up", AIR_UP, {2018: 55.0, 2023: 62.0}, "on_track", ("55%", "62%"), unit="%"),
    "direction_up-achieved": Case("direction_up", AIR_UP, {2018: 55.0, 2025: 62.0}, "achieved", ("62%",), unit="%"),
    "direction_up-needs_acc": Case("direction_up", AIR_UP, {2018: 55.0, 2023: 56.0}, "needs_acceleration", ("5%",), extra=(("settings", StatusSettings(direction_threshold=0.05)),)),
    "direction_up-off_track": Case("direction_up", AIR_UP, {2018: 55.0, 2023: 55.0}, "off_track", ("没有变化",)),
    "direction_up-deteriorating": Case("direction_up", AIR_UP, {2018: 55.0, 2023: 50.0}, "deteriorating", ("50",)),
    "direction_up-no_data": Case("direction_up", AIR_UP, {}, "no_data", ()),
    "direction_up-one_year": Case("direction_up", AIR_UP, {2023: 55.0}, "cannot_judge", ("基线年之后尚无数据",)),
    # direction down: 逐年降低 (the plan's word wins over a neutral indicator).
    "direction_down-on_track": Case("direction_down", FALLING, {2020: 8.0, 2023: 7.0}, "on_track", ("降低",), direction="neutral"),
    "direction_down-deteriorating": Case("direction_down", FALLING, {2020: 8.0, 2023: 9.0}, "deteriorating", (), direction="neutral"),
    "direction_down-achieved": Case("direction_down", FALLING, {2020: 8.0, 2025: 7.0}, "achieved", (), direction="neutral"),
    # improve: the indicator's direction says which way is better; neutral cannot be judged unless yes/no.
    "improve-on_track": Case("improve", IMPROVE, {2020: 3.0, 2023: 2.5}, "on_track", (), **D),
    "improve-deteriorating": Case("improve", IMPROVE, {2020: 3.0, 2023: 3.5}, "deteriorating", (), **D),
    "improve-cannot_judge": Case("improve", IMPROVE, {2020: 3.0, 2023: 3.5}, "cannot_judge", ("改善",), direction="neutral"),
    "improve-yesno_achieved": Case("improve", IMPROVE, {2020: 0, 2023: 1}, "achieved", ("已实现",), direction="neutral", extra=YESNO),
    "improve-yesno_pending": Case("improve", IMPROVE, {2020: 0, 2023: 0}, "needs_acceleration", ("尚未实现",), direction="neutral", extra=YESNO),
    "improve-yesno_late": Case("improve", IMPROVE, {2020: 0, 2025: 0}, "off_track", (), direction="neutral", extra=YESNO),
    "improve-yesno_lost": Case("improve", IMPROVE, {2020: 1, 2023: 0}, "deteriorating", (), direction="neutral", extra=YESNO),
    # hold (维持在较低水平 / 保持稳定): achieved while not worse.
    "hold-achieved": Case("hold", HOLD_LOW, {2020: 2.27, 2023: 2.27}, "achieved", ("保持", "有歧义"), unit="‰", **D),
    "hold-deteriorating": Case("hold", HOLD_LOW, {2020: 2.27, 2023: 2.6}, "deteriorating", ("2.6‰",), unit="‰", **D),
    "hold-neutral_steady": Case("hold", HOLD_STEADY, {2020: 100.0, 2023: 101.0}, "achieved", (), direction="neutral"),
    "hold-neutral_drift": Case("hold", HOLD_STEADY, {2020: 100.0, 2023: 110.0}, "off_track", ("偏离",), direction="neutral"),
    # coverage: 全覆盖 = 100 %.
    "coverage-achieved": Case("coverage", COVERAGE, {2020: 80.0, 2023: 100.0}, "achieved", ("100%",), unit="%"),
    "coverage-on_track": Case("coverage", COVERAGE, {2020: 80.0, 2023: 92.0}, "on_track", ("92%", "100%"), unit="%"),
    "coverage-needs_acc": Case("coverage", COVERAGE, {2020: 80.0, 2023: 88.0}, "needs_acceleration", (), unit="%"),
    "coverage-off_track": Case("coverage", COVERAGE, {2020: 80.0, 2023: 82.0}, "off_track", (), unit="%"),
    "coverage-deteriorating": Case("coverage", COVERAGE, {2020: 80.0, 2023: 78.0}, "deteriorating", (), unit="%"),
    "coverage-yesno": Case("coverage", COVERAGE, {2020: 0, 2023: 1}, "achieved", (), extra=YESNO),
    "coverage-no_data": Case("coverage", COVERAGE, {}, "no_data", ()),
    # comparator: 优于全省平均水平 needs a reference value.
    "comparator-no_reference": Case("comparator", BETTER, {2020: 3.5, 2024: 2.9}, "cannot_judge", ("参照值", "2.9"), **D),
    "comparator-achieved": Case("comparator", BETTER, {2020: 3.5, 2024: 2.9}, "achieved", ("参照值 3", "2.9"), extra=REF_3, **D),
    "comparator-slipped": Case("comparator", BETTER, {2020: 2.8, 2024: 3.2}, "deteriorating", (), extra=REF_3, **D),
    "comparator-on_track": Case("comparator", BETTER, {2020: 3.5, 2024: 3.05}, "on_track", (), extra=REF_3, **D),
    "comparator-needs_acc": Case("comparator", BETTER, {2020: 3.5, 2024: 3.15}, "needs_acceleration", (), extra=REF_3, **D),
    "comparator-off_track": Case("comparator", BETTER, {2020: 3.5, 2024: 3.4}, "off_track", (), extra=REF_3, **D),
    "comparator-worse": Case("comparator", BETTER, {2020: 3.5, 2024: 3.6}, "deteriorating", (), extra=REF_3, **D),
    "comparator-higher": Case("comparator", HIGHER, {2020: 70.0, 2024: 82.0}, "achieved", ("80",), direction="neutral", extra=(("reference_value", 80.0),)),
    "comparator-neutral": Case("comparator", BETTER, {2024: 1.0}, "cannot_judge", ("方向",), direction="neutral", extra=REF_3),
    "comparator-no_data": Case("comparator", BETTER, {}, "no_data", (), extra=REF_3, **D),
    # none: a "——" cell has nothing to judge, data or not.
    "none-with_data": Case("none", NO_TARGET, {2020: 3.0, 2024: 2.9}, "cannot_judge", ("未设定目标值", "2.9")),
    "none-no_data": Case("none", NO_TARGET, {}, "cannot_judge", ("未设定目标值",)),
    "none-unreadable": Case("none", T("见附表", "none", ambiguous=True), {}, "cannot_judge", ("无法解读",)),
    # counts with a period target (TolaData ±15 %): 宫颈癌筛查 task 66,000.
    "count-within_tolerance": Case("count", SCREEN_TASK, {2023: 40000, 2024: 60000}, "on_track", ("15%", "66000 人"), target_year=2024, unit="人", extra=COUNT),
    "count-outside_tolerance": Case("count", SCREEN_TASK, {2023: 40000, 2024: 50000}, "off_track", (), target_year=2024, unit="人", extra=COUNT),
    "count-achieved": Case("count", SCREEN_TASK, {2023: 40000, 2024: 68059}, "achieved", ("68059 人",), target_year=2024, unit="人", extra=COUNT),
}

# What each row of the matrix must reach; a status absent here is impossible for that kind (a "——" target is
# never on track; a fixed bound needs no base value, so it cannot lack one).
ALL = set(STATUSES)
PROGRESS = {"achieved", "on_track", "needs_acceleration", "off_track", "deteriorating"}
EXPECTED_COVERAGE = {
    "level_up": ALL, "level_down": ALL, "level_neutral": {"achieved", "on_track", "deteriorating"},
    "at_most": PROGRESS | {"no_data"}, "at_least": PROGRESS | {"no_data"}, "strict": PROGRESS - {"needs_acceleration"},
    "approx": PROGRESS, "range": PROGRESS,
    "relative_pct": ALL, "relative_abs": PROGRESS, "points": PROGRESS | {"no_data"},
    "annual_points": PROGRESS, "annual_pct": PROGRESS | {"cannot_judge"},
    "direction_up": ALL, "direction_down": {"achieved", "on_track", "deteriorating"},
    "improve": ALL - {"no_data"}, "hold": {"achieved", "off_track", "deteriorating"},
    "coverage": PROGRESS | {"no_data"}, "comparator": ALL, "none": {"cannot_judge"},
    "count": {"achieved", "on_track", "off_track"},
}
# fmt: on

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _run(case: Case):
    return evaluate_target(
        case.target,
        direction=case.direction,
        target_year=case.target_year,
        series=case.series,
        unit=case.unit,
        **dict(case.extra),
    )


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_status_matrix(case: Case) -> None:
    evaluation = _run(case)
    assert evaluation.status == case.status, evaluation.reason
    reason = evaluation.reason
    assert _CJK.search(reason) and reason.endswith("。")
    assert reason.count("。") == 1  # one sentence
    for fact in case.facts:
        assert fact in reason, f"{fact!r} not in {reason!r}"
    assert evaluation.label_zh == STATUS_LABELS_ZH[case.status]
    assert "000000" not in reason and "999999" not in reason  # no float noise


def test_matrix_reaches_every_expected_status_for_every_kind() -> None:
    reached: dict[str, set[str]] = {}
    for case in CASES.values():
        reached.setdefault(case.kind, set()).add(case.status)
    for kind, statuses in EXPECTED_COVERAGE.items():
        assert statuses <= reached[kind], f"{kind}: missing {statuses - reached[kind]}"
    assert set().union(*reached.values()) == set(STATUSES)
    kinds_covered = {case.target.kind for case in CASES.values()}
    assert kinds_covered == {
        "level",
        "at_least",
        "at_most",
        "approx",
        "range",
        "relative_to_base",
        "points_change",
        "annual_change",
        "direction",
        "coverage",
        "comparator",
        "none",
    }


def test_reason_for_the_doctor_density_example() -> None:
    evaluation = evaluate_target(
        DOCTORS, direction="up", target_year=2025, series={2020: 2.61, 2024: 2.71}, unit="人"
    )
    assert evaluation.reason.startswith(
        "2024年 2.71 人，需年均增长 1.42% 才能在2025年达到 2.8 人；实际年均增长 0.94%"
    )
    assert evaluation.status == "needs_acceleration"
    assert evaluation.change_mode == "percent"
    assert evaluation.required_annual_change == pytest.approx(((2.8 / 2.61) ** 0.2 - 1) * 100)
    assert evaluation.observed_annual_change == pytest.approx(((2.71 / 2.61) ** 0.25 - 1) * 100)
    assert evaluation.progress_ratio == pytest.approx(
        evaluation.observed_annual_change / evaluation.required_annual_change
    )


def test_evaluation_carries_threshold_latest_and_baseline() -> None:
    evaluation = _run(CASES["relative_pct-on_track"])
    assert evaluation.threshold == 18.37  # 20.41 × 0.9 = 18.369, rounded like published statistics
    assert evaluation.threshold_max is None
    assert evaluation.bound == "at_most"
    assert (evaluation.latest_year, evaluation.latest_value) == (2018, 19.0)
    assert (evaluation.baseline_year, evaluation.baseline_value) == (2015, 20.41)
    assert evaluation.target_year == 2020
    assert evaluation.reason.startswith("比2015年（20.41%）降低 10% 即 18.37%；2018年 19%")


def test_band_evaluation_reports_both_bounds() -> None:
    evaluation = _run(CASES["approx-on_track"])
    assert (evaluation.threshold, evaluation.threshold_max, evaluation.bound) == (79.38, 82.62, "between")


def test_annual_change_in_points_is_judged_per_year() -> None:
    evaluation = _run(CASES["annual_points-on_track"])
    assert evaluation.threshold == 50.0
    assert evaluation.change_mode == "absolute"
    assert evaluation.required_annual_change == pytest.approx(-1.0)
    assert evaluation.observed_annual_change == pytest.approx(-1.0)
    assert evaluation.progress_ratio == pytest.approx(1.0)


def test_annual_change_in_percent_compounds() -> None:
    evaluation = _run(CASES["annual_pct-on_track"])
    assert evaluation.threshold == round(15 * 0.995**5, 2)
    assert evaluation.change_mode == "percent"
    assert evaluation.required_annual_change == pytest.approx(-0.5, abs=0.01)


def test_non_monotonic_plan_targets() -> None:
    # 婴儿死亡率 2.75 ‰ (2015) → ≤ 4.2 ‰ (2020) → ≤ 4 ‰ (2030): each milestone is judged on its own bound.
    series = {2015: 2.75, 2018: 3.9}
    kw = {"direction": "down", "series": series, "unit": "‰"}
    assert evaluate_target(T("4.2", "at_most", 4.2), target_year=2020, **kw).status == "achieved"
    assert evaluate_target(T("4", "at_most", 4.0), target_year=2030, **kw).status == "achieved"
    later = {2015: 2.75, 2024: 4.1}
    assert (
        evaluate_target(T("4.2", "at_most", 4.2), direction="down", target_year=2020, series=later).status
        == "achieved"
    )
    assert (
        evaluate_target(T("4", "at_most", 4.0), direction="down", target_year=2030, series=later).status
        == "deteriorating"
    )


def test_as_of_year_picks_the_latest_value_up_to_it() -> None:
    series = {2020: 2.77, 2023: 2.79, 2024: 2.81}
    assert evaluate_target(DOCTORS, direction="up", target_year=2025, series=series).status == "achieved"
    earlier = evaluate_target(DOCTORS, direction="up", target_year=2025, series=series, as_of_year=2023)
    assert (earlier.status, earlier.latest_year) == ("on_track", 2023)
    none_yet = evaluate_target(DOCTORS, direction="up", target_year=2025, series=series, as_of_year=2019)
    assert none_yet.status == "no_data"
    assert "截至2019年尚无数据" in none_yet.reason


def test_explicit_baseline_overrides_the_earliest_value() -> None:
    series = {2018: 2.5, 2023: 2.79}
    from_2018 = evaluate_target(DOCTORS, direction="up", target_year=2025, series=series)
    assert from_2018.baseline_year == 2018
    from_plan = evaluate_target(
        DOCTORS, direction="up", target_year=2025, series=series, baseline_year=2020, baseline_value=2.77
    )
    assert (from_plan.baseline_year, from_plan.baseline_value) == (2020, 2.77)
    assert from_plan.status == "on_track"
    # A baseline year with no value given is looked up in the series.
    looked_up = evaluate_target(
        DOCTORS, direction="up", target_year=2025, series={**series, 2020: 2.77}, baseline_year=2020
    )
    assert looked_up.baseline_value == 2.77


def test_missing_years_and_nan_are_skipped_not_zero() -> None:
    series = {2020: 2.77, 2021: None, 2022: math.nan, 2023: 2.79, 2024: None}
    evaluation = evaluate_target(DOCTORS, direction="up", target_year=2025, series=series)
    assert (evaluation.latest_year, evaluation.latest_value) == (2023, 2.79)


def test_hedge_word_comes_from_the_raw_text() -> None:
    target = T("争取达到80%", "level", 80.0, hedge=True)
    evaluation = evaluate_target(
        target, direction="up", target_year=2025, series={2020: 70.0, 2024: 81.0}, unit="%"
    )
    assert "（规划表述为“争取”）" in evaluation.reason
    plain = evaluate_target(T("80", "level", 80.0), direction="up", target_year=2025, series={2024: 81.0})
    assert "规划表述" not in plain.reason and "歧义" not in plain.reason


def test_count_tolerance_is_a_setting() -> None:
    target = T("66000", "at_least", 66000.0)
    kw = {"direction": "up", "target_year": 2024, "series": {2023: 40000, 2024: 60000}, "is_count": True}
    assert evaluate_target(target, **kw).status == "on_track"
    assert evaluate_target(target, settings=StatusSettings(count_tolerance=0.05), **kw).status == "off_track"
    assert evaluate_target(target, **{**kw, "is_count": False}).status == "off_track"


def test_ratio_thresholds_are_settings() -> None:
    case = CASES["level_up-needs_acc"]
    strict = evaluate_target(
        case.target,
        direction="up",
        target_year=2025,
        series=case.series,
        settings=StatusSettings(on_track_ratio=0.5),
    )
    assert strict.status == "on_track"


def test_unknown_direction_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="direction"):
        evaluate_target(DOCTORS, direction="higher", target_year=2025, series={})


def test_unknown_kind_cannot_be_judged() -> None:
    evaluation = evaluate_target(T("?", "mystery", 1.0), direction="up", target_year=2025, series={2024: 1.0})
    assert evaluation.status == "cannot_judge"
    assert "mystery" in evaluation.reason


def test_numeric_kind_without_value_cannot_be_judged() -> None:
    evaluation = evaluate_target(T("达到", "level"), direction="up", target_year=2025, series={2024: 1.0})
    assert evaluation.status == "cannot_judge"
    assert "目标值缺失" in evaluation.reason


def test_annual_change_with_target_before_baseline_cannot_be_judged() -> None:
    evaluation = evaluate_target(MYOPIA, direction="down", target_year=2020, series={2020: 55.0, 2023: 52.0})
    assert evaluation.status == "cannot_judge"


@pytest.mark.parametrize(
    ("target", "kwargs", "expected"),
    [
        (PREMATURE, {"base_value": 20.41}, (None, 18.37)),
        (PREMATURE_PCT, {"base_value": 20.41}, (None, 14.29)),
        (LIFE_PLUS_ONE, {"base_value": 80.11}, (81.11, None)),
        (LIFE_PLUS_ONE, {}, (81.11, None)),  # base year = baseline year: the baseline is the base
        (LITERACY, {}, (30.0, None)),
        (MYOPIA, {}, (None, 50.0)),
        (ANNUAL_PCT, {"baseline_value": 15.0}, (None, 14.63)),
        (IMR_CEILING, {}, (None, 4.0)),
        (SCREENING, {}, (99.0, None)),
        (LIFE_APPROX, {}, (79.38, 82.62)),
        (SPORTS_AREA, {}, (0.3, 0.65)),
        (COVERAGE, {}, (100.0, None)),
        (DOCTORS, {}, (2.8, None)),
        (BETTER, {}, (None, None)),
        (BETTER, {"reference_value": 3.0, "indicator_direction": "down"}, (None, 3.0)),
        (AIR_UP, {}, (None, None)),
        (NO_TARGET, {}, (None, None)),
        (PREMATURE, {}, (None, None)),  # base year 2015 ≠ baseline 2020 and no base value
    ],
)
def test_threshold_for(target: T, kwargs: dict, expected: tuple) -> None:
    arguments = {
        "baseline_value": 80.11 if target is LIFE_PLUS_ONE else 24.0 if target is LITERACY else 55.0,
        "baseline_year": 2020,
        "base_value": None,
        "target_year": 2025,
        "indicator_direction": "up",
        **kwargs,
    }
    assert threshold_for(target, **arguments) == expected


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (18.369000000000003, "18.37"),
        (2.8, "2.8"),
        (2.80, "2.8"),
        (100.0, "100"),
        (66000.0, "66000"),
        (0.0123, "0.012"),
        (-0.5, "-0.5"),
        (-0.0001, "0"),
        (0.0, "0"),
    ],
)
def test_format_number(number: float, text: str) -> None:
    assert format_number(number) == text


@pytest.mark.parametrize(
    ("number", "unit", "text"),
    [
        (3.3, "‰", "3.3‰"),
        (25.0, "%", "25%"),
        (5.5, "1/10万", "5.5/10万"),
        (2.61, "人", "2.61 人"),
        (7.0, "", "7"),
    ],
)
def test_format_quantity(number: float, unit: str, text: str) -> None:
    assert format_quantity(number, unit) == text


def test_labels_cover_statuses() -> None:
    assert set(STATUS_LABELS_ZH) == set(STATUSES)


_KINDS = ("level", "at_least", "at_most", "approx", "range", "relative_to_base", "points_change")
_KINDS += ("annual_change", "direction", "coverage", "comparator", "none", "other")
_number = st.floats(min_value=-1000, max_value=1000, allow_nan=False)


@given(
    kind=st.sampled_from(_KINDS),
    value=st.none() | _number,
    value_max=st.none() | _number,
    base_year=st.none() | st.integers(2010, 2030),
    change=st.sampled_from([None, "percent", "points"]),
    target_direction=st.sampled_from([None, "up", "down", "improve"]),
    strict=st.booleans(),
    direction=st.sampled_from(["up", "down", "neutral"]),
    target_year=st.integers(2010, 2035),
    series=st.dictionaries(st.integers(2010, 2030), st.none() | _number, max_size=6),
    reference=st.none() | _number,
    is_count=st.booleans(),
    is_yesno=st.booleans(),
)
def test_any_reading_gets_a_status_and_a_sentence(
    kind,
    value,
    value_max,
    base_year,
    change,
    target_direction,
    strict,
    direction,
    target_year,
    series,
    reference,
    is_count,
    is_yesno,
) -> None:
    target = T("x", kind, value, value_max, base_year, change, target_direction, strict)
    evaluation = evaluate_target(
        target,
        direction=direction,
        target_year=target_year,
        series=series,
        reference_value=reference,
        is_count=is_count,
        is_yesno=is_yesno,
    )
    assert evaluation.status in STATUSES
    assert evaluation.reason.endswith("。") and _CJK.search(evaluation.reason)
    if evaluation.status == "achieved" and evaluation.bound in ("at_least", "at_most", "between"):
        assert evaluation.latest_value is not None


# ---------------------------------------------------------------- end to end through the parser


@pytest.mark.parametrize(
    ("text", "unit", "direction", "target_year", "series", "extra", "status", "fact"),
    [
        ("≦4", "‰", "down", 2025, {2020: 3.14, 2024: 2.27}, {}, "achieved", "4‰"),
        ("３．０", "‰", "down", 2025, {2020: 3.14, 2023: 3.05}, {}, "on_track", "3‰"),
        ("比2015年降低10", "%", "down", 2020, {2015: 20.41, 2018: 19.3}, {}, "needs_acceleration", "18.37%"),
        ("力争每年降低1个百分点", "%", "down", 2025, {2020: 55.0, 2023: 52.0}, {}, "on_track", "力争"),
        ("持续提高", "%", "up", 2030, {2018: 55.0, 2023: 50.0}, {}, "deteriorating", "50%"),
        ("81左右", "岁", "up", 2030, {2018: 78.0, 2024: 80.0}, {}, "achieved", "79.38"),
        ("优于全省平均水平", "‰", "down", 2025, {2024: 2.27}, {}, "cannot_judge", "参照值"),
        ("优于全省平均水平", "‰", "down", 2025, {2024: 2.27}, {"reference_value": 3.0}, "achieved", "3‰"),
        ("——", "%", "up", 2025, {2024: 50.0}, {}, "cannot_judge", "未设定"),
        ("维持在较低水平", "‰", "down", 2025, {2020: 2.27, 2024: 2.2}, {}, "achieved", "有歧义"),
        ("基本实现全覆盖", "%", "up", 2025, {2020: 80.0, 2024: 100.0}, {}, "achieved", "基本"),
        (
            "在2020年基础上提高1岁左右",
            "岁",
            "up",
            2025,
            {2020: 80.11, 2023: 80.5},
            {},
            "needs_acceleration",
            "81.11",
        ),
        ("比2015年提高6个百分点", "%", "up", 2030, {2015: 10.0, 2024: 15.0}, {}, "on_track", "16%"),
        ("7.1", "1/10万", "down", 2030, {2015: 5.5, 2024: 6.0}, {}, "achieved", "7.1/10万"),
        ("99以上", "%", "up", 2025, {2020: 99.44, 2024: 98.5}, {}, "deteriorating", "99.44%"),
    ],
)
def test_end_to_end_with_parse_target(
    text, unit, direction, target_year, series, extra, status, fact
) -> None:
    reading = parse_target(text, unit)
    evaluation = evaluate_target(
        reading, direction=direction, target_year=target_year, series=series, unit=unit, **extra
    )
    assert evaluation.status == status, evaluation.reason
    assert fact in evaluation.reason


# ---------------------------------------------------------------- found in review


def test_a_missed_milestone_is_off_track_even_without_an_earlier_value() -> None:
    # 健康聊城2030 for the county: data start in 2020, the 2020 target (注册护士 2.75 人) was missed in 2020.
    # There is no earlier value to measure a pace from, but the year has come: that is off track, not "cannot
    # judge".
    missed = evaluate_target(
        T("2.75", "level", 2.75), direction="up", target_year=2020, series={2020: 2.73}, unit="人"
    )
    assert missed.status == "off_track", missed.reason
    assert missed.reason.startswith("2020年 2.73 人，未达到2020年目标 2.75 人")
    # Before the target year a single value still cannot show a pace.
    early = evaluate_target(T("2.75", "level", 2.75), direction="up", target_year=2022, series={2020: 2.73})
    assert early.status == "cannot_judge"


def test_values_are_compared_as_published() -> None:
    # 每万人口全科医师数 1.9987 is published as 2.00: it meets "2"; never "2 人，未达到2020年目标 2 人".
    kw = {"direction": "up", "target_year": 2020, "series": {2015: 0.8, 2020: 1.998689}, "unit": "人"}
    assert evaluate_target(T("2", "level", 2.0), **kw).status == "off_track"  # at full precision
    published = evaluate_target(T("2", "level", 2.0), decimals=2, **kw)
    assert published.status == "achieved", published.reason
    assert "2 人" in published.reason and "未达到" not in published.reason
    # The pace is still measured on the unrounded values.
    pace = evaluate_target(
        T("3", "level", 3.0), direction="up", target_year=2025, series={2020: 2.0, 2023: 2.3456}, decimals=1
    )
    assert pace.observed_annual_change == pytest.approx(((2.3456 / 2.0) ** (1 / 3) - 1) * 100)


def test_large_quantities_read_in_wan_and_yi() -> None:
    assert format_quantity(2516904576, "元") == "25.17亿元"
    assert format_quantity(1234567, "人次") == "123.46万人次"
    assert format_quantity(66000, "人") == "66000 人"  # below a million the digits read well enough
    evaluation = evaluate_target(
        T("≥3000000000", "at_least", 3e9),
        direction="up",
        target_year=2025,
        series={2020: 1.85e9, 2024: 2516904576},
        unit="元",
    )
    assert "2024年 25.17亿元" in evaluation.reason and "30亿元" in evaluation.reason
    assert "3000000000" not in evaluation.reason

"""Plan monitoring through ops: every target kind judged from stored values, the demo county's realistic mix,
roll-ups that sum numerators and denominators, missing data that stays missing, settings and references."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest

from desktop.core.targets import parse_baseline, parse_target
from desktop.ops.aggregate import UnitTree
from desktop.ops.changes import OpChanges
from desktop.ops.indicator_values import IndicatorValues, load_indicator_specs
from desktop.ops.monitoring import (
    STATUS_ORDER,
    MonitoringError,
    default_year,
    evaluate_plan,
    load_status_settings,
    monitoring_years,
    required_path,
    save_status_settings,
    set_reference_value,
)
from desktop.ops.values import save_value
from desktop.store import elements, indicators, orgunits, plans, values
from desktop.store.db import atomic, now_text, set_setting

COUNTY_PLAN = "changle-14th-fyp"

# name, target(s), unit, direction, plan baseline, stored values by year, expected status of the row in 2024.
CASES = [
    ("level_achieved", "30", "%", "up", None, {2020: 20, 2024: 31}, "achieved"),
    ("level_on_track", "30", "%", "up", None, {2020: 20, 2022: 24, 2024: 28}, "on_track"),
    ("level_acceleration", "30", "%", "up", None, {2020: 20, 2024: 25.5}, "needs_acceleration"),
    ("level_off_track", "30", "%", "up", None, {2020: 20, 2024: 21}, "off_track"),
    ("level_deteriorating", "30", "%", "up", None, {2020: 20, 2024: 19}, "deteriorating"),
    ("level_no_data", "30", "%", "up", "20", {}, "no_data"),
    ("level_no_baseline", "30", "%", "up", "-", {2024: 25}, "cannot_judge"),
    ("at_least_achieved", "≥80", "%", "up", None, {2020: 70, 2024: 82}, "achieved"),
    ("at_least_on_track", "≥80", "%", "up", None, {2020: 70, 2024: 77.8}, "on_track"),
    ("at_least_baseline_beat_then_slipped", "≥80", "%", "up", None, {2020: 82, 2024: 79}, "deteriorating"),
    ("strict_bound_not_met_at_equal", "＞50", "%", "up", None, {2020: 40, 2024: 50}, "on_track"),
    ("at_most_baseline_beat_still_met", "3.3以下", "‰", "down", "-", {2020: 2.27, 2024: 1.97}, "achieved"),
    ("at_most_baseline_beat_then_over", "3.3以下", "‰", "down", "-", {2020: 2.27, 2024: 3.5}, "deteriorating"),
    ("at_most_off_track", "3.3以下", "‰", "down", None, {2020: 5, 2024: 4.9}, "off_track"),
    ("approx_achieved", "81左右", "岁", "up", None, {2020: 77, 2024: 80.2}, "achieved"),
    ("approx_outside_band", "81左右", "岁", "up", None, {2020: 77, 2024: 78}, "off_track"),
    ("range_achieved", "2-4", None, "up", None, {2020: 1, 2024: 3}, "achieved"),
    ("range_below", "2-4", None, "up", None, {2020: 1, 2024: 1.5}, "needs_acceleration"),
    ("relative_achieved", "比2020年降低10%", "%", "down", None, {2020: 20, 2024: 17.9}, "achieved"),
    ("relative_on_track", "比2020年降低10%", "%", "down", None, {2020: 20, 2024: 18.3}, "on_track"),
    ("points_acceleration", "提高6个百分点", "%", "up", None, {2020: 70, 2024: 73.6}, "needs_acceleration"),
    ("annual_acceleration", "力争每年降低1个百分点", "%", "down", None, {2020: 53.6, 2024: 51.1}, "needs_acceleration"),
    ("direction_on_track", "持续提高", "%", "up", None, {2020: 36.4, 2024: 40}, "on_track"),
    ("direction_flat", "持续提高", "%", "up", None, {2020: 36.4, 2024: 36.4}, "off_track"),
    ("direction_deteriorating", "持续提高", "%", "up", None, {2020: 36.4, 2024: 35}, "deteriorating"),
    ("direction_reached", {2024: "持续提高"}, "%", "up", None, {2020: 36.4, 2024: 38}, "achieved"),
    ("coverage_achieved", "全覆盖", "%", "up", None, {2020: 80, 2024: 100}, "achieved"),
    ("coverage_off_track", "全覆盖", "%", "up", None, {2020: 60, 2024: 62}, "off_track"),
    ("comparator_without_reference", "优于全省平均水平", "%", "up", None, {2020: 60, 2024: 75}, "cannot_judge"),
    ("none_target", "-", "%", "up", None, {2020: 60, 2024: 75}, "cannot_judge"),
    ("count_within_tolerance", "100", "个", "up", None, {2020: 80, 2024: 90}, "on_track"),
    ("non_monotonic", {2022: "≦4", 2030: "3"}, "‰", "down", None, {2020: 3.14, 2022: 3.5, 2024: 3.6}, "deteriorating"),
]  # fmt: skip


def build_cases(conn, cases=CASES) -> int:
    """One county, one plan (baseline 2020, target 2025) with one directly entered indicator per case."""
    with atomic(conn):
        county = orgunits.insert_org_unit(conn, code="C", name="测试县", level=1, unit_type="county")
        plan_id = plans.insert_plan(
            conn,
            code="t",
            title="测试规划",
            level="county",
            period_start=2021,
            period_end=2025,
            baseline_year=2020,
        )
        for n, (name, targets, unit, direction, baseline, series, _expected) in enumerate(cases):
            code = f"EL{n:02d}"
            element = elements.insert_data_element(
                conn, code=code, name=name, unit=unit, value_type="number", decimals=2, aggregation="none"
            )
            indicator = indicators.insert_indicator(
                conn, code=f"IND{n:02d}", name=name, unit=unit, direction=direction, numerator=code
            )
            raw = baseline if baseline is not None else (str(series[2020]) if 2020 in series else "-")
            row = plans.insert_plan_indicator(
                conn,
                plan_id=plan_id,
                indicator_id=indicator,
                seq=str(n + 1),
                domain="甲" if n < 10 else "乙",
                name_as_written=name,
                unit_as_written=unit,
                nature="约束性" if n % 3 == 0 else "预期性",
                baseline_raw=raw,
                baseline_value=parse_baseline(raw).value,
                baseline_year=2020,
                sort_order=n,
            )
            for year, text in (targets if isinstance(targets, dict) else {2025: targets}).items():
                plans.insert_target(conn, row, year, parse_target(text, unit).to_dict())
            values.insert_values_bulk(
                conn,
                [(element, str(y), county, v) for y, v in series.items()],
                stored_by="测试",
                stored_at=now_text(),
                reason="测试",
            )
    return plan_id


@pytest.fixture
def cases_db(db):
    return db, build_cases(db)


def test_every_target_kind_gets_its_status_from_stored_values(cases_db):
    conn, plan_id = cases_db
    result = evaluate_plan(conn, plan_id, 2024)
    got = {row.name: row.status for row in result.rows}
    assert got == {name: expected for name, *_rest, expected in CASES}
    assert set(got.values()) == set(STATUS_ORDER)  # all seven statuses appear
    for row in result.rows:
        assert row.reason.endswith("。") and len(row.reason) > 8, row.name


def test_reasons_carry_threshold_latest_value_and_pace(cases_db):
    conn, plan_id = cases_db
    rows = {r.name: r for r in evaluate_plan(conn, plan_id, 2024).rows}
    pace = rows["level_acceleration"]
    ev = pace.headline.evaluation
    assert ev.threshold == 30 and ev.latest_value == 25.5 and ev.latest_year == 2024
    assert ev.required_annual_change == pytest.approx(((30 / 20) ** (1 / 5) - 1) * 100)
    assert ev.observed_annual_change == pytest.approx(((25.5 / 20) ** (1 / 4) - 1) * 100)
    assert (
        "需年均增长 8.45%" in pace.reason and "实际年均增长 6.26%" in pace.reason and "需加快" in pace.reason
    )
    relative = rows["relative_on_track"].headline
    assert (
        relative.threshold_text == "≤ 18%" and "比2020年（20%）降低 10% 即 18%" in relative.evaluation.reason
    )
    assert rows["strict_bound_not_met_at_equal"].headline.threshold_text == "> 50%"
    assert rows["approx_achieved"].headline.threshold_text == "79.38–82.62 岁"
    assert rows["direction_on_track"].headline.threshold_text == "持续提高"
    assert rows["annual_acceleration"].headline.evaluation.threshold == pytest.approx(48.6)
    assert "（规划表述为“力争”）" in rows["annual_acceleration"].reason
    assert rows["at_most_baseline_beat_then_over"].baseline_source == "data"
    assert rows["level_achieved"].baseline_source == "plan"


def test_non_monotonic_targets_judge_each_milestone_as_of_its_year(cases_db):
    conn, plan_id = cases_db
    row = next(r for r in evaluate_plan(conn, plan_id, 2024).rows if r.name == "non_monotonic")
    first, second = row.milestones
    assert (first.year, first.status, first.evaluation.latest_year) == (2022, "achieved", 2022)
    assert (second.year, second.status) == (2030, "deteriorating") and row.headline is second
    assert row.series == ((2020, 3.14), (2022, 3.5), (2024, 3.6))
    # Looking back from 2022, the 2022 milestone is the headline.
    earlier = next(r for r in evaluate_plan(conn, plan_id, 2022).rows if r.name == "non_monotonic")
    assert earlier.headline.year == 2022 and earlier.status == "achieved" and earlier.latest == (2022, 3.5)


def test_approx_band_is_a_setting(cases_db):
    conn, plan_id = cases_db
    assert load_status_settings(conn).approx_band == 0.02
    changes = save_status_settings(conn, approx_band=0.05)
    assert changes == OpChanges(plans=True)
    assert load_status_settings(conn).approx_band == 0.05
    row = next(r for r in evaluate_plan(conn, plan_id, 2024).rows if r.name == "approx_outside_band")
    assert row.status == "achieved" and row.headline.threshold_text == "76.95–85.05 岁"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"approx_band": 0.9}, "“左右”的允许偏差应在 0 到 0.5 之间"),
        ({"acceleration_ratio": 0.99}, "不能高于"),
        ({"colour": 1.0}, "未知的设置项"),
        ({"count_tolerance": math.nan}, "计数指标的允许偏差"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_stored(db, values, message):
    with pytest.raises(MonitoringError) as info:
        save_status_settings(db, **values)
    assert message in info.value.message
    assert db.execute("SELECT count(*) FROM setting WHERE key LIKE 'monitoring.%'").fetchone()[0] == 0


def test_unreadable_setting_keeps_the_default(db):
    set_setting(db, "monitoring.approx_band", "两成")
    set_setting(db, "monitoring.on_track_ratio", "7")
    settings = load_status_settings(db)
    assert settings.approx_band == 0.02 and settings.on_track_ratio == 0.95


def test_comparator_is_judged_once_a_reference_value_is_entered(cases_db):
    conn, plan_id = cases_db
    row = next(r for r in evaluate_plan(conn, plan_id, 2024).rows if r.name == "comparator_without_reference")
    assert "需录入参照值" in row.reason
    set_reference_value(conn, row.headline.target_id, 70.0)
    row = next(r for r in evaluate_plan(conn, plan_id, 2024).rows if r.name == "comparator_without_reference")
    assert row.status == "achieved" and "参照值 70%" in row.reason
    set_reference_value(conn, row.headline.target_id, None)
    row = next(r for r in evaluate_plan(conn, plan_id, 2024).rows if r.name == "comparator_without_reference")
    assert row.status == "cannot_judge"
    with pytest.raises(MonitoringError, match="找不到目标"):
        set_reference_value(conn, 99999, 1.0)


def test_required_path_compounds_growth_and_runs_straight_for_points(cases_db):
    conn, plan_id = cases_db
    rows = {r.name: r for r in evaluate_plan(conn, plan_id, 2024).rows}
    path = required_path(rows["level_acceleration"])
    assert path[0] == (2020, 20) and path[-1] == (2025, pytest.approx(30))
    assert path[1][1] == pytest.approx(20 * 1.5 ** (1 / 5))  # compound, as the rule measures it
    points = required_path(rows["points_acceleration"])
    assert [round(v, 6) for _, v in points] == [70, 71.2, 72.4, 73.6, 74.8, 76]
    assert required_path(rows["direction_on_track"]) == []  # a trend has no path
    two = required_path(rows["non_monotonic"])
    # 3.14‰ already meets the 2022 ceiling ≦4: the path heads straight for 2030's 3‰, never up towards 4‰.
    assert two[0] == (2020, 3.14) and two[-1] == (2030, pytest.approx(3))
    assert all(b <= a for (_, a), (_, b) in pairwise(two))
    # A ceiling the baseline already beats asks for no path at all (婴儿死亡率 2.27‰ against 3.3‰).
    assert required_path(rows["at_most_baseline_beat_still_met"]) == []


def test_indicator_without_a_formula_says_so(db):
    with atomic(db):
        orgunits.insert_org_unit(db, code="C", name="测试县", level=1, unit_type="county")
        indicator = indicators.insert_indicator(db, code="X", name="无公式指标", unit="%")
        plan_id = plans.insert_plan(db, code="p", title="规划", baseline_year=2020)
        row = plans.insert_plan_indicator(
            db, plan_id=plan_id, indicator_id=indicator, name_as_written="无公式指标"
        )
        plans.insert_target(db, row, 2025, parse_target("≥90", "%").to_dict())
    result = evaluate_plan(db, plan_id, 2024)
    assert result.rows[0].status == "no_data" and not result.rows[0].computable
    assert "尚未关联数据项" in result.rows[0].reason


def test_unknown_plan_or_unit_is_a_clear_error(cases_db):
    conn, plan_id = cases_db
    with pytest.raises(MonitoringError, match="找不到规划"):
        evaluate_plan(conn, 999, 2024)
    with pytest.raises(MonitoringError, match="找不到机构"):
        evaluate_plan(conn, plan_id, 2024, unit_id=999)


def test_empty_file_has_no_county(db):
    plan_id = plans.insert_plan(db, code="p", title="规划")
    with pytest.raises(MonitoringError, match="还没有机构"):
        evaluate_plan(db, plan_id, 2024)


# --- roll-ups ------------------------------------------------------------------------------------------------


@pytest.fixture
def tree_db(db):
    """County C (own population) > townships A, B > facilities A1, A2 (in A) and B1 (in B)."""
    ids = {}
    with atomic(db):
        ids["C"] = orgunits.insert_org_unit(db, code="C", name="县", level=1, unit_type="county")
        for town in ("A", "B"):
            ids[town] = orgunits.insert_org_unit(
                db, code=town, name=f"{town}镇", level=2, unit_type="town", parent_id=ids["C"]
            )
        for code, town in (("A1", "A"), ("A2", "A"), ("B1", "B")):
            ids[code] = orgunits.insert_org_unit(
                db, code=code, name=f"{code}卫生院", level=3, unit_type="township_hc", parent_id=ids[town]
            )
        for code in ("NUM", "DEN", "POP"):
            ids[code] = elements.insert_data_element(db, code=code, name=code, value_type="integer")
        indicators.insert_indicator(
            db, code="RATE", name="管理率", unit="%", numerator="NUM", denominator="DEN", factor=100
        )
        indicators.insert_indicator(
            db, code="DENS", name="每千人口数", unit="人", numerator="NUM", denominator="POP", factor=1000
        )
    return db, ids


def _store(conn, ids, cells: dict[tuple[str, str], int], year: str = "2024") -> None:
    with atomic(conn):
        values.insert_values_bulk(
            conn,
            [(ids[element], year, ids[unit], v) for (element, unit), v in cells.items()],
            stored_by="测试",
            stored_at=now_text(),
            reason="测试",
        )


def _value(conn, code: str, unit_id: int, year: int = 2024):
    specs = load_indicator_specs(conn)
    spec = next(s for s in specs.values() if s.code == code)
    return IndicatorValues(conn, UnitTree.load(conn), specs.values()).value(spec, unit_id, year)


def test_rollup_sums_numerators_and_denominators_never_averages_rates(tree_db):
    conn, ids = tree_db
    _store(conn, ids, {("NUM", "A1"): 45, ("DEN", "A1"): 50, ("NUM", "A2"): 10, ("DEN", "A2"): 100})
    result = _value(conn, "RATE", ids["A"])
    assert result.value == pytest.approx(55 / 150 * 100)  # 36.67 %, not (90 % + 10 %) / 2
    assert (result.reported, result.expected, result.own, result.partial) == (2, 2, False, False)


def test_partial_rollup_leaves_out_units_missing_an_element_and_says_so(tree_db):
    conn, ids = tree_db
    _store(conn, ids, {("NUM", "A1"): 45, ("DEN", "A1"): 50, ("NUM", "A2"): 10})
    result = _value(conn, "RATE", ids["A"])
    assert result.value == pytest.approx(90.0)  # A2 has no denominator: left out of both sides
    assert result.partial and result.coverage_zh == "2 个单位中 1 个已报"


def test_own_value_wins_and_is_never_added_to_children(tree_db):
    conn, ids = tree_db
    _store(conn, ids, {("NUM", "A"): 60, ("DEN", "A"): 120, ("NUM", "A1"): 45, ("DEN", "A1"): 50})
    result = _value(conn, "RATE", ids["A"])
    assert result.value == 50.0 and result.own and (result.reported, result.expected) == (1, 1)


def test_missing_data_stays_missing(tree_db):
    conn, ids = tree_db
    _store(conn, ids, {("NUM", "A1"): 0, ("DEN", "A1"): 0})  # a zero denominator has no rate either
    for unit in ("B", "B1", "A1", "C"):
        assert _value(conn, "RATE", ids[unit]).value is None, unit


def test_density_uses_the_same_units_population(tree_db):
    conn, ids = tree_db
    _store(conn, ids, {("POP", "C"): 20000, ("NUM", "A"): 30, ("NUM", "B1"): 10, ("POP", "B"): 5000})
    county = _value(conn, "DENS", ids["C"])
    assert county.value == pytest.approx(40 / 20000 * 1000)  # 30 from A's own total + 10 from B's clinic
    assert _value(conn, "DENS", ids["B"]).value == pytest.approx(10 / 5000 * 1000)
    assert _value(conn, "DENS", ids["A"]).value is None  # A has doctors but no population of its own


def test_partial_rollup_is_named_in_the_row_reason(tree_db):
    conn, ids = tree_db
    _store(conn, ids, {("NUM", "A1"): 45, ("DEN", "A1"): 50, ("NUM", "A2"): 10}, "2024")
    _store(conn, ids, {("NUM", "A1"): 30, ("DEN", "A1"): 50, ("NUM", "A2"): 20, ("DEN", "A2"): 50}, "2020")
    with atomic(conn):
        plan_id = plans.insert_plan(conn, code="p", title="规划", level="county", baseline_year=2020)
        rate = indicators.get_indicator_by_code(conn, "RATE")
        row = plans.insert_plan_indicator(
            conn, plan_id=plan_id, indicator_id=rate.id, name_as_written="管理率", unit_as_written="%"
        )
        plans.insert_target(conn, row, 2025, parse_target("≥95", "%").to_dict())
    result = evaluate_plan(conn, plan_id, 2024, unit_id=ids["A"])
    row = result.rows[0]
    assert row.latest == (2024, pytest.approx(90.0)) and row.coverage == {2024: "2 个单位中 1 个已报"}
    assert "（2024年为部分汇总：2 个单位中 1 个已报）" in row.reason


# --- the demo county -----------------------------------------------------------------------------------------


def test_demo_county_shows_a_realistic_mix_of_statuses(demo):
    plan = plans.get_plan_by_code(demo, COUNTY_PLAN)
    result = evaluate_plan(demo, plan.id, 2024)
    counts = result.counts()
    assert len(result.rows) == 33
    assert sum(counts.values()) == 33 and sum(1 for n in counts.values() if n) == 7  # every status appears
    assert counts["achieved"] >= 8 and counts["on_track"] >= 4 and counts["needs_acceleration"] >= 4
    assert counts["off_track"] + counts["deteriorating"] >= 3
    assert counts["achieved"] < 20  # a plan mid-way is not all green
    status = {r.indicator_code: r.status for r in result.rows}
    assert status["LIFE_EXPECTANCY"] == "achieved" and status["NURSES_PER_1000"] == "achieved"
    assert status["DOCTORS_PER_1000"] == "needs_acceleration"
    assert status["TB_INCIDENCE"] == "deteriorating"
    assert status["PUBLIC_HEALTH_STAFF_PER_1000"] == "off_track"
    assert status["HEALTHY_LIFE_EXPECTANCY"] == "no_data"
    assert status["NCD_KNOWLEDGE_AWARENESS"] == "cannot_judge"
    doctors = next(r for r in result.rows if r.indicator_code == "DOCTORS_PER_1000")
    assert doctors.baseline_source == "plan" and doctors.baseline_value == 2.77
    assert "2024年 2.79 人，需年均增长 0.22% 才能在2025年达到 2.8 人" in doctors.reason
    assert result.summary_zh().startswith("33 项指标：退步 ")


def test_demo_townships_are_judged_from_their_own_values(demo):
    plan = plans.get_plan_by_code(demo, COUNTY_PLAN)
    town = orgunits.get_org_unit_by_code(demo, "370725104")
    result = evaluate_plan(demo, plan.id, 2024, unit_id=town.id)
    rows = {r.indicator_code: r for r in result.rows}
    htn = rows["HTN_STD_MGMT_RATE"]
    assert htn.baseline_source == "data" and htn.baseline_value != 70  # the township's own 2020 value
    cell = {(e, u): v for e, u, v in demo.execute(
        "SELECT e.code, v.org_unit_id, v.value FROM data_value v JOIN data_element e ON e.id = v.element_id "
        "WHERE v.period = '2024' AND v.org_unit_id = ?", (town.id,))}  # fmt: skip
    expected = cell[("HTN_STD_MANAGED", town.id)] / cell[("HTN_MANAGED", town.id)] * 100
    assert htn.latest == (2024, pytest.approx(expected))
    assert rows["LIFE_EXPECTANCY"].status == "no_data"  # entered for the county only
    counts = result.counts()
    assert sum(1 for n in counts.values() if n) >= 5


def test_a_saved_value_changes_the_evaluation(demo):
    plan = plans.get_plan_by_code(demo, COUNTY_PLAN)
    before = {r.indicator_code: r for r in evaluate_plan(demo, plan.id, 2024).rows}["LIFE_EXPECTANCY"]
    save_value(
        demo,
        element_code="IND_LIFE_EXPECTANCY",
        org_unit_code="370725",
        period="2024",
        raw="79.9",
        user="测试",
    )
    after = {r.indicator_code: r for r in evaluate_plan(demo, plan.id, 2024).rows}["LIFE_EXPECTANCY"]
    assert before.status == "achieved" and after.status == "deteriorating" and after.latest == (2024, 79.9)


def test_years_offered_and_default_year(demo):
    plan = plans.get_plan_by_code(demo, COUNTY_PLAN)
    assert default_year(demo, plan) == 2024
    assert monitoring_years(demo, plan) == [2020, 2021, 2022, 2023, 2024, 2025]
    city = plans.get_plan_by_code(demo, "liaocheng-2030")
    years = monitoring_years(demo, city)
    assert years[0] == 2015 and years[-1] == 2030
    assert default_year(demo, city) == 2024


def test_evaluation_reports_progress_and_can_be_cancelled(demo):
    from desktop.ops.progress import Cancelled, Progress

    plan = plans.get_plan_by_code(demo, COUNTY_PLAN)
    seen = []
    evaluate_plan(demo, plan.id, 2024, progress=Progress(on_report=lambda f, s: seen.append(f)))
    assert seen[-1] == 1.0 and len(seen) > 30
    stop = Progress()
    stop.cancel()
    with pytest.raises(Cancelled):
        evaluate_plan(demo, plan.id, 2024, progress=stop)


# --- found in review -----------------------------------------------------------------------------------------


def test_a_written_baseline_that_contradicts_the_data_is_set_aside_and_named(demo):
    # 昌乐县 rows 6 and 13 are the same premature-mortality rate with 2020 baselines 15.37 and 14.1 (a quirk of
    # the plan). The county's own series falls 15.37 → 14.8; measuring row 13 from 14.1 called it 退步 with
    # "实际年均增长 1.22%", a rise the data never showed.
    plan = plans.get_plan_by_code(demo, COUNTY_PLAN)
    rows = {r.seq: r for r in evaluate_plan(demo, plan.id, 2024).rows}
    six, thirteen = rows["6"], rows["13"]
    assert thirteen.indicator_code == six.indicator_code == "PREMATURE_NCD_MORTALITY"
    assert thirteen.status == six.status == "off_track", thirteen.reason
    assert "实际年均下降 0.94%" in thirteen.reason and "增长" not in thirteen.reason
    assert "规划基期值 14.1% 与2020年实际数据 15.37% 不一致，进度按实际数据计算" in thirteen.reason
    assert (thirteen.baseline_source, thirteen.baseline_value) == ("data", pytest.approx(15.37))
    assert "14.1" in thirteen.baseline_note
    # A plan figure that agrees with the data up to rounding (91.78 written, 91.79 computed) is kept.
    assert rows["9"].baseline_source == "plan" and rows["9"].baseline_value == 91.78
    assert six.baseline_source == "plan" and six.baseline_note == "" and "不一致" not in six.reason


def test_past_milestones_of_a_city_plan_are_judged_in_their_year(demo):
    # 健康聊城2030's 2020 targets, held against the county whose data start in 2020.
    plan = plans.get_plan_by_code(demo, "liaocheng-2030")
    rows = {r.name: r for r in evaluate_plan(demo, plan.id, 2024).rows}
    nurses = rows["每千人常住人口注册护士数"].milestones[0]
    assert nurses.year == 2020 and nurses.status == "off_track", nurses.evaluation.reason
    assert nurses.evaluation.reason.startswith("2020年 2.73 人，未达到2020年目标 2.75 人")
    # 1.9987 per 10,000 is published as 2.00: it met "2", rather than "2 人，未达到2020年目标 2 人".
    gps = rows["每万人口全科医师数"].milestones[0]
    assert gps.status == "achieved" and "未达到" not in gps.evaluation.reason

"""The demo county: tree, 代报 links, valid codes, consistent and deterministic values, fast build."""

from __future__ import annotations

import json
import re
import shutil
import time
from datetime import date

import pytest

from desktop.core import codes, paths
from desktop.ops.demo_county import build_demo_county
from desktop.ops.demo_values import DemoRuleError, allocate
from desktop.ops.plan_library import SeedDataError
from desktop.store import elements, indicators, orgunits, plans, projects, values
from desktop.store.db import connect, get_setting

COUNTY_PLAN = "changle-14th-fyp"


@pytest.fixture
def demo(db):
    result = build_demo_county(db)
    return db, result


def _all_values(conn) -> list[tuple]:
    return conn.execute(
        """SELECT e.code, v.period, o.code, v.value, v.provenance, v.provenance_formula, v.provenance_source
           FROM data_value v JOIN data_element e ON e.id = v.element_id JOIN org_unit o ON o.id = v.org_unit_id
           ORDER BY 1, 2, 3"""
    ).fetchall()


def _value_map(conn) -> dict[tuple[str, str, str], object]:
    return {(e, p, u): v for e, p, u, v, *_ in _all_values(conn)}


def _indicator_value(conn, code: str, period: str, unit: str = "370725") -> float | None:
    """Evaluate an indicator's formula at one unit and period (as a status screen would)."""
    cell = _value_map(conn)
    indicator = indicators.get_indicator_by_code(conn, code)

    def ev(formula: str) -> float | None:
        names = re.findall(r"[A-Z][A-Z0-9_]+", formula)
        if any((n, period, unit) not in cell for n in names):
            return None
        return eval(re.sub(r"[A-Z][A-Z0-9_]+", lambda m: repr(cell[(m.group(0), period, unit)]), formula))

    top = ev(indicator.numerator)
    bottom = ev(indicator.denominator) if indicator.denominator else 1
    return None if top is None or not bottom else top / bottom * indicator.factor


def test_org_tree(demo):
    conn, result = demo
    units = orgunits.list_org_units(conn)
    assert result.org_units == len(units) == orgunits.count_org_units(conn)
    county = orgunits.get_org_unit_by_code(conn, "370725")
    assert (county.name, county.level, county.unit_type, county.admin_code) == (
        "昌乐县",
        1,
        "county",
        "370725",
    )
    townships = orgunits.list_children(conn, county.id)
    regions = [u for u in townships if u.level == 2]
    assert [u.name for u in regions] == [
        "宝城街道",
        "朱刘街道",
        "五图街道",
        "宝都街道",
        "乔官镇",
        "营丘镇",
        "红河镇",
        "鄌郚镇",
    ]
    assert {u.unit_type for u in regions[:4]} == {"street"} and {u.unit_type for u in regions[4:]} == {"town"}
    names = {u.name for u in townships}
    assert {
        "昌乐县人民医院",
        "昌乐县中医院",
        "昌乐县妇幼保健院",
        "昌乐县疾病预防控制中心",
        "昌乐县卫生健康局",
    } <= names
    for region in regions:
        assert re.fullmatch(r"370725\d{3}", region.admin_code)
        inside = orgunits.list_children(conn, region.id)
        centres = [u for u in inside if u.unit_type in ("township_hc", "community_hc")]
        assert len(centres) == 1, region.name
        outposts = [u for u in inside if u.unit_type in ("village_clinic", "community_station")]
        assert 3 <= len(outposts) <= 5, region.name
        # 代报: every 村卫生室 / 社区卫生服务站 is filed by its own township's centre.
        assert all(u.filed_by_id == centres[0].id for u in outposts)
        assert {u.id for u in orgunits.list_filed_by(conn, centres[0].id)} == {u.id for u in outposts}
        assert all(u.admin_code.startswith(region.admin_code) and len(u.admin_code) == 12 for u in outposts)


def test_codes_are_valid_and_unique(demo):
    conn, _ = demo
    units = orgunits.list_org_units(conn)
    usccs = [u.uscc for u in units if u.uscc]
    assert len(usccs) == len(set(usccs)) == len([u for u in units if u.level >= 3])
    for unit in units:
        if unit.uscc:
            checked = codes.validate_uscc(unit.uscc)
            assert checked.region_code == "370725" and not checked.warnings, unit.name
        codes.validate_admin_code(unit.admin_code)
    bureau = next(u for u in units if u.unit_type == "health_bureau")
    assert bureau.uscc.startswith("11370725")  # 机关
    clinic = next(u for u in units if u.unit_type == "village_clinic")
    assert clinic.uscc.startswith("52370725")  # 民办非企业单位


def test_forms_and_elements(demo):
    conn, result = demo
    sets = {s.code: s for s in elements.list_data_sets(conn)}
    assert result.data_sets == len(sets) and result.elements == len(elements.list_elements(conn))
    assert sets["GW-01"].period_type == "quarter" and sets["ZY-02"].period_type == "year"
    rows = {r.row_code: r for r in elements.list_data_set_rows(conn, sets["ZY-02"].id)}
    assert rows["01.2.1"].depth == 2 and rows["01.1.1.1"].depth == 3 and rows["01"].depth == 0
    assert rows["04.1"].label.startswith("其中") and rows["04.1"].section == "三、人员"
    assert elements.list_data_set_unit_types(conn, sets["ZY-03"].id) == [
        "community_station",
        "village_clinic",
    ]


def test_every_value_belongs_to_a_form_the_unit_fills(demo):
    conn, _ = demo
    allowed = set()
    for ds in elements.list_data_sets(conn):
        types = elements.list_data_set_unit_types(conn, ds.id)
        for row in elements.list_data_set_rows(conn, ds.id):
            allowed |= {(row.element_code, t, ds.period_type) for t in types}
    unit_types = {u.code: u.unit_type for u in orgunits.list_org_units(conn)}
    for element, period, unit, *_ in _all_values(conn):
        period_type = "quarter" if "Q" in period else "year"
        assert (element, unit_types[unit], period_type) in allowed, (element, unit, period)


def test_value_counts_and_periods(demo):
    conn, result = demo
    assert result.values == values.count_values(conn) > 3000
    periods = {p for _, p, *_ in _all_values(conn)}
    assert periods == {
        "2020",
        "2021",
        "2022",
        "2023",
        "2024",
        *(f"{y}Q{q}" for y in (2023, 2024) for q in range(1, 5)),
    }
    audit = conn.execute("SELECT count(*), min(changed_by), max(reason) FROM audit_log").fetchone()
    assert tuple(audit) == (result.values, "示例数据", "生成示例数据")


def test_totals_add_up(demo):
    conn, _ = demo
    cell = _value_map(conn)
    tree = orgunits.list_org_units(conn)
    regions = [u for u in tree if u.level == 2]
    below = {r.code: [u.code for u in tree if u.parent_id == r.id and u.level >= 3] for r in regions}
    county_level = [u.code for u in tree if u.level == 3 and u.parent_id == tree[0].id]  # 县医院 …
    agg = {e.code: e.aggregation for e in elements.list_elements(conn)}
    for (element, period, unit), value in cell.items():
        if unit != "370725" or agg[element] != "sum" or element.startswith(("INST_", "HOSP_")):
            continue
        # The county's total is its townships' plus the county-level facilities' (which sit in no township).
        parts = [cell.get((element, period, u)) for u in [r.code for r in regions] + county_level]
        assert value == sum(p for p in parts if p is not None), (element, period)
        for r in regions:  # a township's facility totals are its facilities' sums
            inner = [cell[(element, period, f)] for f in below[r.code] if (element, period, f) in cell]
            if inner:
                assert cell[(element, period, r.code)] == sum(inner), (element, period, r.code)
    for element, period, unit in cell:  # the four quarters make the year
        if "Q1" in period:
            year = period[:4]
            quarters = [cell[(element, f"{year}Q{q}", unit)] for q in range(1, 5)]
            assert sum(quarters) == cell[(element, year, unit)], (element, period, unit)
    for unit in [r.code for r in regions]:  # 其中 rows never exceed their parents
        for year in ("2020", "2024"):
            assert (
                cell[("HTN_STD_MANAGED", year, unit)]
                <= cell[("HTN_MANAGED", year, unit)]
                <= cell[("HTN_PATIENTS", year, unit)]
            )
            assert cell[("INFANT_DEATHS", year, unit)] <= cell[("U5_DEATHS", year, unit)]
    for (element, period, unit), value in cell.items():
        if element == "HEALTH_TECH":
            parts = sum(
                cell.get((e, period, unit), 0) for e in ("DOC_PRACT", "DOC_ASSIST", "NURSES", "PHARMACISTS")
            )
            assert value >= parts
        if element == "GPS":
            assert value <= cell[("DOC_PRACT", period, unit)] + cell[("DOC_ASSIST", period, unit)]


def test_denominators_carry_their_provenance(demo):
    conn, _ = demo
    rows = {(e, p, u): (kind, formula, source) for e, p, u, _, kind, formula, source in _all_values(conn)}
    kind, formula, source = rows[("HTN_PATIENTS", "2024", "370725101")]
    assert kind == "estimate" and formula == "18岁及以上常住人口 × 25.2%" and "2015" in source
    assert rows[("DM_PATIENTS", "2022", "370725")][1] == "18岁及以上常住人口 × 9.7%"
    cell = _value_map(conn)
    for unit in ("370725001", "370725104"):  # an estimate is exactly what its formula says
        assert cell[("HTN_PATIENTS", "2024", unit)] == round(cell[("POP_ADULT", "2024", unit)] * 0.252)
        assert cell[("DM_PATIENTS", "2021", unit)] == round(cell[("POP_ADULT", "2021", unit)] * 0.097)
    assert rows[("CERVICAL_QUOTA", "2024", "370725")][0] == "quota"
    assert rows[("CERVICAL_QUOTA", "2024Q3", "370725")][:2] == ("quota", "年度任务数 ÷ 4")
    assert rows[("POP_65", "2023", "370725")][0] == "count"
    screened = _indicator_value(conn, "CERVICAL_SCREENING_TASK_RATE", "2024")
    assert screened > 100  # above 100 % is normal against a quota


def test_county_plan_indicators_start_at_the_plan_baselines(demo):
    conn, _ = demo
    plan = plans.get_plan_by_code(conn, COUNTY_PLAN)
    for row in plans.list_plan_indicators(conn, plan.id):
        value = _indicator_value(conn, row.indicator_code, "2020")
        if row.baseline_value is not None and value is not None and row.seq != "13":  # 13 shares 6's series
            assert value == pytest.approx(row.baseline_value, rel=5e-4, abs=0.011), row.name_as_written
    assert _indicator_value(conn, "IMR", "2020") == pytest.approx(2.27, abs=0.005)  # from the plan's prose
    assert 595_000 < _value_map(conn)[("POP_RESIDENT", "2024", "370725")] < 615_000


def test_plausible_mix_of_progress(demo):
    """The designed stories: some reached, some on the way, some lagging, one getting worse, some with no data."""
    conn, _ = demo
    latest = {code: _indicator_value(conn, code, "2024") for code in
              ("LIFE_EXPECTANCY", "DOCTORS_PER_1000", "TB_INCIDENCE", "PUBLIC_HEALTH_STAFF_PER_1000",
               "HTN_STD_MGMT_RATE", "NURSES_PER_1000", "HEALTHY_LIFE_EXPECTANCY")}  # fmt: skip
    assert latest["LIFE_EXPECTANCY"] >= 80.15 and latest["NURSES_PER_1000"] >= 2.8  # achieved
    assert 2.77 < latest["DOCTORS_PER_1000"] < 2.8  # moving, too slowly
    assert latest["HTN_STD_MGMT_RATE"] < 80
    assert latest["PUBLIC_HEALTH_STAFF_PER_1000"] < 0.9
    assert latest["TB_INCIDENCE"] > 21.46  # worse than the 2020 baseline: deteriorating
    assert latest["HEALTHY_LIFE_EXPECTANCY"] is None  # no data
    township = [_indicator_value(conn, "VACCINATION_RATE", "2024", u) for u in ("370725001", "370725104")]
    assert all(90 < v < 100 for v in township) and township[0] != township[1]


def test_project_progress(demo):
    conn, result = demo
    plan = plans.get_plan_by_code(conn, COUNTY_PLAN)
    register = projects.list_projects(conn, plan.id)
    today = date.today().isoformat()
    late = [p for p in register if p.planned_finish and p.planned_finish < today and not p.actual_finish]
    assert len(late) >= 2  # planned finish passed, not done
    finished = [p for p in register if p.actual_finish]
    assert len(finished) >= 3
    assert result.projects_updated >= 10 and result.milestones_done >= 5
    first = projects.get_project_by_name(conn, plan.id, "县人民医院新院区一期项目")
    assert first.stage == "投用" and first.org_unit_id == orgunits.get_org_unit_by_code(conn, "370725-01").id
    assert projects.list_milestones(conn, first.id)[0].done_on == "2022-11-28"


def test_settings(demo):
    conn, _ = demo
    assert get_setting(conn, "demo") == "1"
    assert (get_setting(conn, "county_code"), get_setting(conn, "county_name")) == ("370725", "昌乐县")


def test_two_builds_are_identical(db_path, tmp_path, template_db):
    other = tmp_path / "other.sqlite"
    other.write_bytes(template_db.read_bytes())
    first, second = connect(db_path), connect(other)
    try:
        build_demo_county(first)
        build_demo_county(second)
        assert _all_values(first) == _all_values(second)
        unit_rows = "SELECT code, name, uscc, admin_code, filed_by_id FROM org_unit ORDER BY code"
        assert first.execute(unit_rows).fetchall() == second.execute(unit_rows).fetchall()
    finally:
        first.close()
        second.close()


def test_build_is_fast(db):
    started = time.perf_counter()
    result = build_demo_county(db)
    elapsed = time.perf_counter() - started
    assert result.plans is not None and result.plans.plans_loaded  # the plan library is part of the build
    assert elapsed < 3.0


def test_second_build_is_skipped(demo):
    conn, _ = demo
    before = values.count_values(conn)
    again = build_demo_county(conn)
    assert again.skipped and values.count_values(conn) == before and not again.changes.any


def test_allocate_is_exact_and_respects_caps():
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(allocate(1000, [0.3, 2.5, 7.1, 0])) == 1000
    assert allocate(10, [1, 1], caps=[2, 100]) == [2, 8]
    assert allocate(0, [1, 2]) == [0, 0]
    with pytest.raises(DemoRuleError):
        allocate(10, [1, 1], caps=[2, 3])


def _seed_copy(tmp_path):
    target = tmp_path / "seed"
    shutil.copytree(paths.seed_dir(), target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _rewrite(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _nothing_written(conn) -> bool:
    tables = ("org_unit", "data_element", "data_value", "plan", "indicator", "setting")
    return all(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0 for t in tables)


def test_a_wrong_check_character_is_refused_and_nothing_written(db, tmp_path):
    seed = _seed_copy(tmp_path)

    def spoil(data):
        unit = next(u for u in data["units"] if u["unit_type"] == "cdc")
        unit["uscc"] = unit["uscc"][:17] + ("0" if unit["uscc"][17] != "0" else "1")

    _rewrite(seed / "demo" / "county.json", spoil)
    with pytest.raises(SeedDataError, match=r"昌乐县疾病预防控制中心.*校验位"):
        build_demo_county(db, directory=seed)
    assert _nothing_written(db)


def test_a_rule_naming_an_unknown_element_is_refused(db, tmp_path):
    seed = _seed_copy(tmp_path)
    _rewrite(seed / "demo" / "values.json", lambda d: d["elements"][3].update(of="NO_SUCH_ELEMENT"))
    with pytest.raises(SeedDataError, match="NO_SUCH_ELEMENT"):
        build_demo_county(db, directory=seed)
    assert _nothing_written(db)


def test_a_missing_key_is_refused(db, tmp_path):
    seed = _seed_copy(tmp_path)
    _rewrite(seed / "demo" / "elements.json", lambda d: d["data_sets"][0].pop("period_type"))
    with pytest.raises(SeedDataError, match="period_type"):
        build_demo_county(db, directory=seed)
    assert _nothing_written(db)

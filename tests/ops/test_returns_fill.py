"""Filling returns from the demo county: every value as the database holds it, roll-ups that never add a unit's
own value to its children's, the identity block as settings, signers and checks from the review workflow."""

from __future__ import annotations

from datetime import date

import pytest
from sql_reads import indicator_value, resolved, stored

from desktop.ops.return_values import check_template_sources
from desktop.ops.returns import (
    ReturnError,
    effective_identity,
    eligible_units,
    fill_return,
    get_template,
    list_templates,
    period_choices,
    set_template_identity,
)
from desktop.store import workflow
from desktop.store.db import atomic

COUNTY = "370725"
TODAY = date(2026, 11, 23)


def _cells(filled, code):
    row = next(r for r in filled.rows if r.code == code)
    return {c.key: cell for c, cell in zip(filled.template.columns, row.cells, strict=True)}


def test_shipped_templates_match_the_demo_database(demo):
    for template in list_templates():
        assert check_template_sources(demo, template) == [], template.id


def test_resources_return_values_are_the_database_values(demo):
    filled = fill_return(
        demo, template_id="resources-annual", org_unit_code=COUNTY, period="2024", today=TODAY
    )
    assert filled.unit.code == COUNTY and filled.period.code == "2024" and not filled.expired
    template = filled.template
    for row in template.rows:
        cells = _cells(filled, row.code)
        if row.source.stored:
            assert cells["current"].value == resolved(demo, row.source.ref, COUNTY, "2024"), row.code
            assert cells["last_year"].value == resolved(demo, row.source.ref, COUNTY, "2023"), row.code
            assert cells["current"].ref is not None and cells["current"].ref.period == "2024"
            assert cells["last_year"].ref is None  # only the return's own period is imported back
        current, last = cells["current"].value, cells["last_year"].value
        if current is not None and last:
            assert cells["change"].value == pytest.approx((current - last) / last * 100)
    beds, population = (
        stored(demo, "BEDS_ACTUAL", COUNTY, "2024"),
        stored(demo, "POP_RESIDENT", COUNTY, "2024"),
    )
    assert _cells(filled, "08")["current"].value == pytest.approx(beds / population * 1000)
    doctors = stored(demo, "DOC_PRACT", COUNTY, "2024") + stored(demo, "DOC_ASSIST", COUNTY, "2024")
    assert _cells(filled, "09")["current"].value == pytest.approx(doctors / population * 1000)
    assert _cells(filled, "08")["current"].decimals == 2 and _cells(filled, "08")["current"].ref is None
    assert _cells(filled, "01.1")["name"].value.strip() == "其中：医院"
    assert _cells(filled, "01.1.1.1")["code"].value == "01.1.1.1"


def test_roll_up_uses_own_value_and_never_adds_it_to_the_children(demo):
    town = demo.execute("SELECT id FROM org_unit WHERE code = '370725104'").fetchone()[0]
    element = demo.execute("SELECT id FROM data_element WHERE code = 'BEDS_ACTUAL'").fetchone()[0]
    children = [
        r[0] for r in demo.execute("SELECT code FROM org_unit WHERE parent_id = ?", (town,)).fetchall()
    ]
    children_sum = sum(v for v in (stored(demo, "BEDS_ACTUAL", c, "2024") for c in children) if v is not None)
    with atomic(demo):
        demo.execute(
            "UPDATE data_value SET value = ? WHERE element_id = ? AND org_unit_id = ? AND period = '2024'",
            (children_sum + 7, element, town),
        )
    filled = fill_return(demo, template_id="resources-annual", org_unit_code="370725104", period="2024")
    cell = _cells(filled, "03")["current"]
    assert cell.value == children_sum + 7 and cell.own  # its own value, not own + children
    with atomic(demo):
        demo.execute(
            "DELETE FROM data_value WHERE element_id = ? AND org_unit_id = ? AND period = '2024'",
            (element, town),
        )
    filled = fill_return(demo, template_id="resources-annual", org_unit_code="370725104", period="2024")
    cell = _cells(filled, "03")["current"]
    assert cell.value == children_sum and not cell.own  # no own value: the children's sum


def test_township_return_by_unit(demo):
    filled = fill_return(demo, template_id="screening-quarterly", org_unit_code=COUNTY, period="2024Q3")
    total, *towns = filled.rows
    assert total.total and total.code == COUNTY and total.name == "合计"
    town_codes = [
        r[0]
        for r in demo.execute(
            "SELECT admin_code FROM org_unit WHERE level = 2 ORDER BY sort_order, code"
        ).fetchall()
    ]
    assert [r.code for r in towns] == town_codes
    for row in filled.rows:
        unit = row.code
        cells = {c.key: cell for c, cell in zip(filled.template.columns, row.cells, strict=True)}
        quota = resolved(demo, "CERVICAL_QUOTA", unit, "2024Q3")
        done = resolved(demo, "CERVICAL_SCREENED", unit, "2024Q3")
        assert cells["cervical_quota"].value == quota and cells["cervical_done"].value == done
        assert cells["cervical_rate"].value == pytest.approx(done / quota * 100)
        # 慢病 columns read the year the quarter falls in.
        assert cells["htn_managed"].value == resolved(demo, "HTN_MANAGED", unit, "2024")
        assert cells["htn_managed"].ref is None and cells["cervical_done"].ref.period == "2024Q3"
    # The 合计 rate is the ratio of the totals, not the mean of the townships' rates.
    cells = {c.key: cell for c, cell in zip(filled.template.columns, total.cells, strict=True)}
    assert cells["vacc_rate"].value == pytest.approx(cells["vacc_done"].value / cells["vacc_due"].value * 100)


def test_plan_indicator_return(demo):
    filled = fill_return(demo, template_id="plan-monitoring", org_unit_code=COUNTY, period="2024")
    assert len(filled.rows) == 33
    by_name = {
        r.name: {c.key: cell for c, cell in zip(filled.template.columns, r.cells, strict=True)}
        for r in filled.rows
    }
    doctors = by_name["每千人口执业（助理）医师数"]
    assert doctors["latest"].value == pytest.approx(indicator_value(demo, "DOCTORS_PER_1000", COUNTY, "2024"))
    assert doctors["latest_year"].value == 2024 and doctors["target"].value == "2.8"
    assert doctors["baseline"].value == "2.77" and doctors["status"].value
    life = by_name["人均预期寿命"]
    assert life["latest"].value == stored(demo, "IND_LIFE_EXPECTANCY", COUNTY, "2024")
    assert life["status"].value == "已达标" and "80.15" in life["reason"].value
    assert by_name["健康预期寿命"]["status"].value == "无数据"


def test_project_return_as_of_the_period(demo):
    q3 = fill_return(demo, template_id="key-projects", org_unit_code=COUNTY, period="2024Q3", today=TODAY)
    names = [r.name for r in q3.rows]
    assert "县人民医院新院区一期项目" in names and "社区医院建设" not in names  # only scheduled projects
    rows = {
        r.name: {c.key: cell.value for c, cell in zip(q3.template.columns, r.cells, strict=True)}
        for r in q3.rows
    }
    kangle = rows["齐城中医院康乐园健康养护中心项目"]
    assert kangle["actual_finish"] == "2024-09-01" and kangle["status"] == "完成"
    assert kangle["investment"] == 12000
    # In the return for Q2 the finish of 1 September was not known yet: it was late then.
    q2 = fill_return(demo, template_id="key-projects", org_unit_code=COUNTY, period="2024Q2", today=TODAY)
    rows2 = {
        r.name: {c.key: cell.value for c, cell in zip(q2.template.columns, r.cells, strict=True)}
        for r in q2.rows
    }
    assert rows2["齐城中医院康乐园健康养护中心项目"]["actual_finish"] == ""
    assert rows2["齐城中医院康乐园健康养护中心项目"]["status"] == "滞后"  # due 30 June, not finished by then
    assert rows2["鄌郚镇应急医疗救治中心项目"]["status"] == "滞后"
    q1 = fill_return(demo, template_id="key-projects", org_unit_code=COUNTY, period="2024Q1", today=TODAY)
    rows1 = {
        r.name: {c.key: cell.value for c, cell in zip(q1.template.columns, r.cells, strict=True)}
        for r in q1.rows
    }
    assert rows1["齐城中医院康乐园健康养护中心项目"]["status"] == "按期"
    # A township's return lists only the projects located in it.
    town = fill_return(
        demo, template_id="key-projects", org_unit_code="370725104", period="2024Q3", today=TODAY
    )
    assert {r.name for r in town.rows} == {"鄌郚镇应急医疗救治中心项目", "鄌郚中心卫生院康养项目"}
    assert q3.signers is None and q3.signer_values()["单位负责人"] == ""


def test_identity_overrides_are_settings(demo):
    template = get_template("resources-annual")
    changes = set_template_identity(
        demo, template, {"table_no": "鲁卫健统县1表（2026版）", "valid_until": "2025-12"}
    )
    assert changes.returns
    identity = effective_identity(demo, template)
    assert identity.table_no == "鲁卫健统县1表（2026版）" and identity.issuer == template.identity.issuer
    assert demo.execute(
        "SELECT value FROM setting WHERE key = 'template.resources-annual.table_no'"
    ).fetchone()
    filled = fill_return(demo, template_id=template, org_unit_code=COUNTY, period="2024", today=TODAY)
    assert filled.expired and "已过期" in filled.warnings[0] and "2025年12月" in filled.warnings[0]
    assert filled.document().identity[0] == ("表号", "鲁卫健统县1表（2026版）")
    # The new 表号 also finds the template.
    assert get_template("鲁卫健统县1表").id == "resources-annual"
    with pytest.raises(ReturnError, match="不是日期"):
        set_template_identity(demo, template, {"valid_until": "明年年底"})
    with pytest.raises(ReturnError, match="不存在"):
        set_template_identity(demo, template, {"colour": "red"})
    assert not set_template_identity(demo, template, {"issuer": template.identity.issuer}).returns
    set_template_identity(demo, template, {"table_no": "", "valid_until": None})
    assert effective_identity(demo, template) == template.identity


def test_signers_and_checks_come_from_the_review_workflow(demo):
    data_set = demo.execute("SELECT id FROM data_set WHERE code = 'ZY-02'").fetchone()[0]
    with atomic(demo):
        workflow.save_return_state(
            demo,
            workflow.ReturnState(
                data_set_id=data_set, org_unit_id=1, period="2024", state="approved",
                submitted_by="张填表", submitted_at="2025-01-10 09:00:00",
                reviewed_by="李统计", reviewed_at="2025-01-12 10:00:00",
                approved_by="王局长", approved_at="2025-01-15 16:30:00", contact_phone="0536-6212345",
            ),
        )  # fmt: skip
        demo.execute(
            "INSERT INTO check_rule (data_set_id, code, expression, message, severity) VALUES (?, ?, ?, ?, ?)",
            (data_set, "TEST-01", "03 ≤ 02 × 50%", "实有床位超过编制床位的一半", "explain"),
        )
        demo.execute(
            "INSERT INTO check_explanation (data_set_id, org_unit_id, period, rule_code, text, explained_by, "
            "explained_at) VALUES (?, 1, '2024', 'TEST-01', '新院区启用，按实际开放床位填报', '李统计', '2025-01-12')",
            (data_set,),
        )
    filled = fill_return(demo, template_id="resources-annual", org_unit_code=COUNTY, period="2024")
    signers = filled.signer_values()
    assert signers == {
        "单位负责人": "王局长",
        "统计负责人": "李统计",
        "填表人": "张填表",
        "联系电话": "0536-6212345",
        "报出日期": "2025年1月15日",
    }
    failed = [c for c in filled.failed_checks if c.rule_code == "TEST-01"]
    assert failed and failed[0].explanation == "新院区启用，按实际开放床位填报"
    doc = filled.document()
    assert any(c.rule == "TEST-01" and c.explanation.startswith("新院区") for c in doc.checks)


def test_units_periods_and_errors(demo):
    template = get_template("screening-quarterly")
    assert [u.code for u in eligible_units(demo, template)] == [COUNTY]
    choices, default = period_choices(demo, template, 1, TODAY)
    assert default.code == "2024Q4" and choices[0].code == "2026Q3"
    assert "2023Q1" in [p.code for p in choices]
    with pytest.raises(ReturnError, match="找不到报表模板"):
        fill_return(demo, template_id="nope", org_unit_code=COUNTY, period="2024")
    with pytest.raises(ReturnError, match="找不到单位"):
        fill_return(demo, template_id="resources-annual", org_unit_code="999999", period="2024")
    with pytest.raises(ReturnError, match="季度"):
        fill_return(demo, template_id="screening-quarterly", org_unit_code=COUNTY, period="2024")
    # A unit named by its 统一社会信用代码 is found too.
    hospital = fill_return(
        demo, template_id="resources-annual", org_unit_code="12370725492167842W", period="2024"
    )
    assert hospital.unit.code == "370725-02"
    assert any("通常不填报" in w for w in hospital.warnings)


def test_by_unit_return_checks_its_printed_relations_on_every_row(demo):
    """The demo county's deliberate slip (宝城街道 and 营丘镇 糖尿病规范管理人数 swapped) breaks the printed
    relation 17≤16 in 营丘镇's row; the county's own entry checks cannot see it, the return's checks do."""
    filled = fill_return(demo, template_id="screening-quarterly", org_unit_code=COUNTY, period="2024Q4")
    relation = [c for c in filled.checks if c.rule_code == "表式说明"]
    (failed,) = [c for c in relation if not c.passed]
    town = next(r for r in filled.rows if r.name == "营丘镇")
    assert failed.expression == "17≤16" and failed.row_codes == (town.code,) and failed.severity == "explain"
    std = resolved(demo, "DM_STD_MANAGED", town.code, "2024")
    managed = resolved(demo, "DM_MANAGED", town.code, "2024")
    assert std > managed
    assert failed.message.startswith("营丘镇：") and f"为 {std:g}" in failed.message
    assert f"第16栏“已管理人数”为 {managed:g}" in failed.message
    passed = {c.expression for c in relation if c.passed}
    assert {"8≤7", "11≤10", "14≤13"} <= passed
    assert not any(c.expression.startswith("3=") for c in relation)  # a rate's definition is not a check
    doc = filled.document()
    assert any(check.expression == "17≤16" for check in doc.checks)  # printed on the 审核说明 sheet

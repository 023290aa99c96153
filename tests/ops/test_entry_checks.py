"""Checks of a return on the demo county: rules as data, range and required checks, 审核说明, loading rules."""

from __future__ import annotations

import json

import pytest

from desktop.ops.checks import CheckError, explain, load_check_rules, run_checks
from desktop.ops.entry import CellKey, save_cells
from desktop.store import checks as store_checks
from desktop.store import elements

HOSPITAL, VILLAGE, YINGQIU = "370725-01", "370725101-02", "370725102"


def _by_code(results):
    return {r.rule_code: r for r in results}


def test_demo_forms_have_rules_of_both_severities(demo):
    rules = store_checks.list_check_rules(demo, elements.get_data_set_by_code(demo, "ZY-01").id)
    assert {r.severity for r in rules} == {"blocking", "explain"}
    assert rules[0].expression == "03≥03.1+03.2+03.3+03.4"


def test_a_clean_return_passes_every_rule(demo):
    results = run_checks(demo, data_set_code="ZY-01", org_unit_code="370725-02", period="2024")
    assert results and all(r.passed for r in results)
    assert all(r.kind == "relation" for r in results)  # range and required checks report failures only


def test_demo_data_trip_a_blocking_rule(demo):
    # 营丘镇's 糖尿病规范管理人数 was keyed on 宝城街道's line and the other way round (review_demo.json).
    results = _by_code(run_checks(demo, data_set_code="GW-02", org_unit_code=YINGQIU, period="2024"))
    slip = results["GW02-02"]
    assert not slip.passed and slip.severity == "blocking" and slip.open
    assert slip.detail == "04 = 2,966，04.1 = 6,952"
    assert slip.row_codes == ("04", "04.1")
    assert "规范管理的糖尿病患者数不能多于已管理人数" in slip.message


def test_demo_data_trip_an_explain_rule_and_carry_an_explanation(demo):
    open_2024 = _by_code(run_checks(demo, data_set_code="ZY-01", org_unit_code=HOSPITAL, period="2024"))
    assert not open_2024["ZY01-06"].passed and open_2024["ZY01-06"].needs_explanation
    explained = _by_code(run_checks(demo, data_set_code="ZY-01", org_unit_code=HOSPITAL, period="2022"))
    bed_jump = explained["ZY01-05"]
    assert not bed_jump.passed and not bed_jump.open
    assert "新院区" in bed_jump.explanation and bed_jump.explained_by == "王秀英"


def test_first_year_skips_rules_that_need_the_previous_year(demo):
    results = _by_code(run_checks(demo, data_set_code="ZY-01", org_unit_code=HOSPITAL, period="2020"))
    assert results["ZY01-05"].skipped and results["ZY01-05"].passed
    assert "上期没有" in results["ZY01-05"].detail


def test_empty_required_rows_block(demo):
    results = run_checks(demo, data_set_code="ZY-01", org_unit_code=HOSPITAL, period="2025")
    required = [r for r in results if r.kind == "required"]
    assert len(required) == 10 and all(r.open and r.severity == "blocking" for r in required)
    assert required[0].row_codes == ("01",) and "编制床位" in required[0].message


def test_stored_values_out_of_range_are_reported(demo):
    # A value that came in before a range was tightened: the check says what the entry would have said.
    demo.execute("UPDATE data_element SET max_value = 100 WHERE code = 'BEDS_ACTUAL'")
    results = [
        r
        for r in run_checks(demo, data_set_code="ZY-01", org_unit_code=HOSPITAL, period="2024")
        if r.kind == "range"
    ]
    assert len(results) == 1 and results[0].row_codes == ("02",) and "不能大于 100" in results[0].message


def test_fixing_the_value_makes_the_rule_pass(demo):
    key = CellKey("DM_STD_MANAGED", YINGQIU, "2024")
    save_cells(demo, [(key, "2,390")], user="李娜")
    results = _by_code(run_checks(demo, data_set_code="GW-02", org_unit_code=YINGQIU, period="2024"))
    assert results["GW02-02"].passed


def test_explain_stores_and_removes_a_note(demo):
    args = dict(data_set_code="ZY-01", org_unit_code=HOSPITAL, period="2024", rule_code="ZY01-06")
    changes = explain(demo, **args, text="  临时加床收治流感患者  ", user="李娜")
    assert changes.returns
    result = _by_code(run_checks(demo, data_set_code="ZY-01", org_unit_code=HOSPITAL, period="2024"))[
        "ZY01-06"
    ]
    assert result.explanation == "临时加床收治流感患者" and result.explained_by == "李娜" and not result.open
    assert not explain(demo, **args, text="临时加床收治流感患者", user="李娜").returns  # unchanged
    explain(demo, **args, text="", user="李娜")
    result = _by_code(run_checks(demo, data_set_code="ZY-01", org_unit_code=HOSPITAL, period="2024"))[
        "ZY01-06"
    ]
    assert result.explanation is None and result.open


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        (dict(rule_code="ZY01-01"), "不能以说明代替"),
        (dict(rule_code="NOPE"), "没有审核规则"),
        (dict(user=" "), "说明人"),
        (dict(data_set_code="XX"), "未知的报表代码"),
        (dict(period="2024Q1"), "这里需要年度"),
    ],
)
def test_explain_refusals(demo, changes, fragment):
    args = dict(
        data_set_code="ZY-01",
        org_unit_code=HOSPITAL,
        period="2024",
        rule_code="ZY01-06",
        text="说明",
        user="李娜",
    )
    with pytest.raises(CheckError) as info:
        explain(demo, **{**args, **changes})
    assert fragment in info.value.message


def _write_rules(tmp_path, rules):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"format": 1, "data_sets": rules}, ensure_ascii=False), encoding="utf-8")
    return path


def test_loading_rules_replaces_a_forms_rules(demo, tmp_path):
    path = _write_rules(
        tmp_path,
        {"ZY-03": [{"code": "X1", "expression": "01 ≥ 01.1", "message": "测试", "severity": "explain"}]},
    )
    assert load_check_rules(demo, path) == 1
    rules = store_checks.list_check_rules(demo, elements.get_data_set_by_code(demo, "ZY-03").id)
    assert [r.code for r in rules] == ["X1"]


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ({"code": "X1", "expression": "01 ≥ 09", "message": "m", "severity": "blocking"}, "本表没有第 09 行"),
        (
            {"code": "X1", "expression": "01.1 ≤ 01 × 1.25", "message": "m", "severity": "blocking"},
            "本表没有第 1.25 行（若是倍数或系数，请写成百分数，如 ×1.25 写作 ×125%",
        ),
        ({"code": "X1", "expression": "01 ≥", "message": "m", "severity": "blocking"}, "公式不完整"),
        ({"code": "X1", "expression": "01 ≥ 02", "message": "m", "severity": "warn"}, "severity 应为"),
        ({"code": "X1", "expression": "01 ≥ 02", "message": "", "severity": "blocking"}, "缺少提示信息"),
        ({"expression": "01 ≥ 02", "message": "m", "severity": "blocking"}, "缺少规则代码"),
    ],
)
def test_a_bad_rule_anywhere_loads_nothing(demo, tmp_path, rule, fragment):
    good = {"code": "G1", "expression": "01 ≥ 01.1", "message": "好", "severity": "blocking"}
    path = _write_rules(tmp_path, {"ZY-03": [good, rule]})
    before = store_checks.count_check_rules(demo)
    with pytest.raises(CheckError) as info:
        load_check_rules(demo, path)
    assert fragment in info.value.message and "rules.json" in info.value.message
    assert store_checks.count_check_rules(demo) == before


def test_a_broken_rule_in_the_database_is_shown_not_dropped(demo):
    ds = elements.get_data_set_by_code(demo, "ZY-03").id
    store_checks.insert_check_rule(
        demo, data_set_id=ds, code="BAD", expression="01 >", message="坏", severity="blocking"
    )
    bad = _by_code(run_checks(demo, data_set_code="ZY-03", org_unit_code=VILLAGE, period="2023"))["BAD"]
    assert not bad.passed and bad.severity == "explain" and "审核公式有误" in bad.detail
    # Shown as 'explain', it can be explained like one, or nobody could ever submit the return.
    explain(demo, data_set_code="ZY-03", org_unit_code=VILLAGE, period="2023", rule_code="BAD",
            text="审核公式有误，已报县统计负责人修正", user="赵敏")  # fmt: skip
    bad = _by_code(run_checks(demo, data_set_code="ZY-03", org_unit_code=VILLAGE, period="2023"))["BAD"]
    assert bad.explanation and not bad.open

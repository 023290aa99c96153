"""Importing a filled return back: export → edit one value → import changes exactly that value, audited; any
problem in the workbook is named by sheet and cell, and nothing is written."""

from __future__ import annotations

import openpyxl
import pytest
from sql_reads import all_values, audit_count, stored

from desktop.ops.import_return import ReturnImportRefused, apply_return_import, read_return_file
from desktop.ops.returns import ReturnError, export_return
from desktop.ops.values import save_value
from desktop.store import workflow
from desktop.store.db import atomic

COUNTY = "370725"


def exported(demo, tmp_path, template_id="resources-annual", period="2024", unit=COUNTY):
    path = tmp_path / f"{template_id}.xlsx"
    export_return(demo, template_id=template_id, org_unit_code=unit, period=period, out_path=path)
    return path


def edit(path, changes: dict[tuple[str, str], object], out, *, code_number="乙", tweak=None):
    """Set cells by (row code, 栏号) like a clerk would, save as out."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    number_row = next(r for r in range(1, 40) if ws.cell(r, 1).value == "甲")
    numbers = {ws.cell(number_row, j).value: j for j in range(1, ws.max_column + 1)}
    for r in range(number_row + 1, ws.max_row + 1):
        code = ws.cell(r, numbers[code_number]).value
        for (row_code, number), value in changes.items():
            if code == row_code:
                ws.cell(r, numbers[number]).value = value
    if tweak:
        tweak(ws, number_row)
    wb.save(out)
    return out


def test_round_trip_changes_exactly_the_edited_value(demo, tmp_path):
    path = exported(demo, tmp_path)
    old = stored(demo, "BEDS_ACTUAL", COUNTY, "2024")

    def clerk(ws, number_row):
        ws.insert_rows(number_row + 3)  # a blank row in the body
        ws.move_range(f"D{number_row - 1}:D{ws.max_row}", cols=6)  # 本年 moved to the far right

    edited = edit(path, {("03", "1"): old + 50}, tmp_path / "edited.xlsx", tweak=clerk)
    before_values, before_audit = all_values(demo), audit_count(demo)
    plan = read_return_file(demo, edited)
    assert all_values(demo) == before_values  # reading writes nothing
    assert plan.template.id == "resources-annual" and plan.unit.code == COUNTY and plan.period.code == "2024"
    (change,) = plan.changes
    assert (change.row_code, change.element_code, change.old, change.new) == (
        "03",
        "BEDS_ACTUAL",
        old,
        old + 50,
    )
    assert change.cell.startswith("J") and change.column_title == "本年"
    assert plan.unchanged == 21  # the other stored rows; computed rows are never imported

    result = apply_return_import(demo, plan, user="张填表")
    assert result.applied == 1 and result.changes.values
    assert stored(demo, "BEDS_ACTUAL", COUNTY, "2024") == old + 50
    after = all_values(demo)
    assert [v for v in after if v not in before_values] == [
        v for v in after if v[3] == old + 50 and v[1] == "2024" and v[2] == 1
    ]
    assert len(after) == len(before_values) and audit_count(demo) == before_audit + 1
    audit = demo.execute(
        "SELECT old_value, new_value, changed_by, reason FROM audit_log ORDER BY id DESC"
    ).fetchone()
    assert tuple(audit) == (old, old + 50, "张填表", "导入报表“edited.xlsx”")
    # Importing the same file again finds nothing left to change.
    assert read_return_file(demo, edited).changes == ()


def test_township_cell_of_the_by_unit_return(demo, tmp_path):
    path = exported(demo, tmp_path, "screening-quarterly", "2024Q3")
    old = stored(demo, "NEWBORN_SCREENED", "370725104", "2024Q3")
    edited = edit(path, {("370725104", "8"): old - 3}, tmp_path / "edited.xlsx")
    plan = read_return_file(demo, edited)
    (change,) = plan.changes
    assert (change.org_unit_code, change.element_code, change.period) == (
        "370725104",
        "NEWBORN_SCREENED",
        "2024Q3",
    )
    assert change.org_unit_name == "鄌郚镇"
    apply_return_import(demo, plan, user="张填表")
    assert stored(demo, "NEWBORN_SCREENED", "370725104", "2024Q3") == old - 3
    assert stored(demo, "NEWBORN_SCREENED", COUNTY, "2024Q3") is not None  # the county's own total untouched


def _refused(demo, path) -> list[str]:
    before_values, before_audit = all_values(demo), audit_count(demo)
    with pytest.raises(ReturnImportRefused) as caught:
        read_return_file(demo, path)
    assert all_values(demo) == before_values and audit_count(demo) == before_audit
    return caught.value.problems


def test_non_numeric_value_names_sheet_and_cell(demo, tmp_path):
    edited = edit(exported(demo, tmp_path), {("03", "1"): "四千多", ("02", "1"): -5}, tmp_path / "bad.xlsx")
    problems = _refused(demo, edited)
    assert len(problems) == 2
    text = "\n".join(problems)
    assert "工作表“鲁卫健统县1表”单元格 D" in text
    assert "（03 实有床位，本年）" in text and "“实有床位”必须是整数，不能填“四千多”" in text
    assert "“编制床位”不能小于 0" in text


def test_missing_and_unknown_row_codes_are_refused(demo, tmp_path):
    def drop_and_add(ws, number_row):
        for r in range(number_row + 1, ws.max_row + 1):
            if ws.cell(r, 2).value == "04.3":
                ws.delete_rows(r)
                break
        ws.cell(number_row + 1, 2).value = "99"

    edited = edit(exported(demo, tmp_path), {}, tmp_path / "bad.xlsx", tweak=drop_and_add)
    text = "\n".join(_refused(demo, edited))
    assert "找不到代码为“04.3”的行（注册护士）" in text
    assert "代码“99”不是“卫生资源汇总年报”的行" in text and "单元格 B" in text
    assert "找不到代码为“01”的行" in text


def test_unknown_table_number_is_refused(demo, tmp_path):
    def retitle(ws, _number_row):
        for row in ws.iter_rows(max_row=8):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("表号"):
                    cell.value = "表号：卫统9-9表"

    edited = edit(exported(demo, tmp_path), {("03", "1"): 1}, tmp_path / "bad.xlsx", tweak=retitle)
    (problem,) = _refused(demo, edited)
    assert (
        "单元格 C2" in problem and "表号“卫统9-9表”不是本程序的报表" in problem and "鲁卫健统县1表" in problem
    )


def test_missing_column_and_unknown_unit_are_refused(demo, tmp_path):
    def damage(ws, number_row):
        ws.cell(number_row, 4).value = None  # the 栏号 of 本年 erased
        for row in ws.iter_rows(max_row=8):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("行政区划代码"):
                    cell.value = "行政区划代码：999999"

    edited = edit(exported(demo, tmp_path), {}, tmp_path / "bad.xlsx", tweak=damage)
    (problem,) = _refused(demo, edited)
    assert "单元格 A5" in problem and "999999" in problem


def test_stale_plan_and_locked_return_write_nothing(demo, tmp_path):
    old = stored(demo, "BEDS_ACTUAL", COUNTY, "2024")
    edited = edit(exported(demo, tmp_path), {("03", "1"): old + 1}, tmp_path / "edited.xlsx")
    plan = read_return_file(demo, edited)
    save_value(
        demo, element_code="BEDS_ACTUAL", org_unit_code=COUNTY, period="2024", raw=old + 2, user="别人"
    )
    before = all_values(demo)
    with pytest.raises(ReturnError, match="已被修改"):
        apply_return_import(demo, plan, user="张填表")
    assert all_values(demo) == before
    data_set = demo.execute("SELECT id FROM data_set WHERE code = 'ZY-02'").fetchone()[0]
    with atomic(demo):
        workflow.save_return_state(
            demo,
            workflow.ReturnState(
                data_set_id=data_set, org_unit_id=1, period="2024", state="approved", approved_by="王局长"
            ),
        )
    text = "\n".join(_refused(demo, edited))
    assert "锁定" in text or "不能修改" in text


def test_generated_returns_are_not_imported(demo, tmp_path):
    path = exported(demo, tmp_path, "plan-monitoring", "2024")
    with pytest.raises(ReturnError, match="不能导入"):
        read_return_file(demo, path)
    with pytest.raises(ReturnError, match="不是有效的 Excel"):
        (tmp_path / "x.xlsx").write_text("x", encoding="utf-8")
        read_return_file(demo, tmp_path / "x.xlsx")

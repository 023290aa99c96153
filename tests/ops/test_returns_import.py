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


def _with_saved_result(path, formula: str, result: str) -> None:
    """Give a formula the cached result Excel or WPS would have saved with it (openpyxl saves none)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    text = parts[sheet].decode("utf-8")
    assert f"<f>{formula}</f><v />" in text
    parts[sheet] = text.replace(f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{result}</v>").encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_clerk_typed_values_are_read_as_numbers(demo, tmp_path):
    """1,234 typed as text, full-width digits, spaces around a number, an integer row code — all fine."""
    beds = stored(demo, "BEDS_ACTUAL", COUNTY, "2024")
    approved = stored(demo, "BEDS_APPROVED", COUNTY, "2024")
    nurses = stored(demo, "NURSES", COUNTY, "2024")

    def code_as_number(ws, number_row):
        for r in range(number_row + 1, ws.max_row + 1):
            if ws.cell(r, 2).value == "04.3":
                ws.cell(r, 2).value = 4.3  # Excel turned the text code into a number

    edited = edit(
        exported(demo, tmp_path),
        {("03", "1"): "4,123", ("02", "1"): "３８００", ("04.3", "1"): f" {nurses + 1} "},
        tmp_path / "typed.xlsx",
        tweak=code_as_number,
    )
    plan = read_return_file(demo, edited)
    assert {(c.row_code, c.old, c.new) for c in plan.changes} == {
        ("03", beds, 4123),
        ("02", approved, 3800),
        ("04.3", nurses, nurses + 1),
    }


def test_formula_cells_use_the_saved_result_or_are_refused(demo, tmp_path):
    path = exported(demo, tmp_path)
    without = edit(path, {("03", "1"): "=4000+123"}, tmp_path / "formula.xlsx")
    (problem,) = _refused(demo, without)  # never taken for an empty cell
    assert "单元格 D" in problem and "（03 实有床位，本年）" in problem
    assert "是公式“=4000+123”" in problem and "没有保存计算结果" in problem

    saved = edit(path, {("03", "1"): "=4000+123"}, tmp_path / "saved.xlsx")
    _with_saved_result(saved, "4000+123", "4123")  # as Excel or WPS saves it
    (change,) = read_return_file(demo, saved).changes
    assert (change.row_code, change.new) == ("03", 4123)


def test_logical_and_date_cells_are_not_numbers(demo, tmp_path):
    import datetime

    edited = edit(
        exported(demo, tmp_path),
        {("03", "1"): True, ("02", "1"): datetime.datetime(2024, 1, 5)},
        tmp_path / "types.xlsx",
    )
    text = "\n".join(_refused(demo, edited))
    assert "（03 实有床位，本年）：“TRUE”是逻辑值，不是数字" in text
    assert "（02 编制床位，本年）" in text and "是日期或时间，不是数字" in text


def test_empty_and_other_period_cells_are_named_and_left_alone(demo, tmp_path):
    """An empty value cell means "not reported in this file": the stored value stays; 上年同期 is never
    imported, and an edit there is named, not silently dropped."""
    old = stored(demo, "BEDS_ACTUAL", COUNTY, "2024")
    edited = edit(exported(demo, tmp_path), {("03", "1"): None, ("03", "2"): 1}, tmp_path / "blank.xlsx")
    before = all_values(demo)
    plan = read_return_file(demo, edited)
    assert plan.changes == ()
    notes = "\n".join(plan.notes)
    assert "有 1 个单元格为空：D" in notes and "（03）" in notes and "不会删除" in notes
    assert "上年同期" in notes and "E" in notes and "（03 上年同期）" in notes
    assert all_values(demo) == before and stored(demo, "BEDS_ACTUAL", COUNTY, "2024") == old


def test_empty_and_foreign_files_are_refused_with_their_reason(demo, tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(ReturnError, match="空文件（0 字节）"):
        read_return_file(demo, empty)
    with pytest.raises(ReturnError, match="是文件夹"):
        read_return_file(demo, tmp_path)
    pdf = tmp_path / "scan.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    with pytest.raises(ReturnError, match="不是有效的 Excel 工作簿"):
        read_return_file(demo, pdf)

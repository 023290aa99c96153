"""Importing values: preview (counts, every error with sheet/row/field), then apply all-or-nothing."""

from __future__ import annotations

import openpyxl
import pytest

from desktop.io import value_workbook as vw
from desktop.ops import backups
from desktop.ops import import_values as iv
from desktop.ops.progress import Cancelled, Progress
from desktop.store import elements, orgunits, values

HOSPITAL = "370725-01"
TCM = "370725-02"


def _counts(conn):
    return (
        conn.execute("SELECT count(*) FROM data_value").fetchone()[0],
        conn.execute("SELECT count(*) FROM audit_log").fetchone()[0],
    )


def _stored(conn, element, unit, period):
    element_id = elements.get_element_by_code(conn, element).id
    unit_id = orgunits.get_org_unit_by_code(conn, unit).id
    return values.get_value(conn, element_id, period, unit_id)


def _good_rows(n=40):
    """New values for 2025 (the demo has 2020–2024), all valid."""
    codes = ["BEDS_APPROVED", "BEDS_ACTUAL", "HEALTH_TECH", "DOC_PRACT", "NURSES"]
    units = [
        HOSPITAL,
        TCM,
        "370725-03",
        "370725-04",
        "370725-06",
        "370725-07",
        "370725002-01",
        "370725003-01",
    ]
    rows = [(u, c, "2025", 100 + i) for i, (u, c) in enumerate((u, c) for u in units for c in codes)]
    return rows[:n]


def test_a_good_import_writes_every_value_with_its_audit_row(demo, demo_path, tmp_path):
    rows = [*_good_rows(), (HOSPITAL, "BEDS_ACTUAL", "2024", 1600, "年末实有")]
    path = vw.write_long_workbook(tmp_path / "资源.xlsx", rows)
    before = _counts(demo)
    preview = iv.preview_import(demo, path)
    assert preview.errors == []
    assert (preview.new_count, preview.changed_count, preview.unchanged_count) == (40, 1, 0)
    assert preview.rows_read == 41 and preview.can_apply
    changed = next(c for c in preview.changes if c.kind == iv.CHANGED)
    assert (changed.old_value, changed.new_value, changed.new_comment) == (1519, 1600, "年末实有")
    assert _counts(demo) == before  # the preview writes nothing

    result = iv.apply_import(demo, preview, user="王会计")
    assert (result.inserted, result.updated) == (40, 1)
    assert result.changes.values
    assert _counts(demo) == (before[0] + 40, before[1] + 41)
    stored = _stored(demo, "BEDS_ACTUAL", HOSPITAL, "2024")
    assert (stored.value, stored.comment, stored.stored_by) == (1600, "年末实有", "王会计")
    trail = values.list_audit(demo, stored.element_id, "2024", stored.org_unit_id)
    assert (trail[0].action, trail[0].old_value, trail[0].new_value) == ("update", 1519, 1600)
    assert trail[0].reason == "导入：资源.xlsx" and trail[0].changed_by == "王会计"
    reasons = demo.execute("SELECT count(*) FROM audit_log WHERE reason = '导入：资源.xlsx'").fetchone()[0]
    assert reasons == 41
    # A backup of the data as they were before the import was taken first.
    assert result.backup_path is not None and result.backup_path.exists()
    assert backups.list_backups(demo_path)[0].reason == backups.BEFORE_IMPORT


def test_unchanged_values_are_counted_and_not_written(demo, tmp_path):
    path = vw.write_long_workbook(tmp_path / "same.xlsx", [(HOSPITAL, "BEDS_ACTUAL", "2024", "1,519")])
    preview = iv.preview_import(demo, path)
    assert preview.unchanged_count == 1 and not preview.can_apply
    before = _counts(demo)
    result = iv.apply_import(demo, preview, user="王会计")
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 1)
    assert result.backup_path is None and _counts(demo) == before


@pytest.mark.parametrize("bad_at", ["first", "last"])
def test_a_bad_row_anywhere_means_nothing_is_written(demo, demo_path, tmp_path, bad_at):
    rows = _good_rows()
    bad = (HOSPITAL, "BEDS_ACTUAL", "2025Q9", 5)
    rows = [bad, *rows] if bad_at == "first" else [*rows, bad]
    path = vw.write_long_workbook(tmp_path / "bad.xlsx", rows)
    before = _counts(demo)
    preview = iv.preview_import(demo, path)
    (error,) = preview.errors
    row = 2 if bad_at == "first" else len(rows) + 1
    assert (error.sheet, error.row, error.field, error.cell) == ("数据", row, "报告期", f"C{row}")
    assert "2025Q9" in error.message
    assert not preview.can_apply
    with pytest.raises(iv.ImportRefused, match="1 处错误"):
        iv.apply_import(demo, preview, user="王会计")
    assert _counts(demo) == before
    assert backups.list_backups(demo_path) == []


def test_a_failure_half_way_rolls_the_whole_import_back(demo, tmp_path, monkeypatch):
    path = vw.write_long_workbook(tmp_path / "good.xlsx", _good_rows())
    preview = iv.preview_import(demo, path)
    before = _counts(demo)
    real = values.write_value
    calls = []

    def failing(conn, **kwargs):
        calls.append(1)
        if len(calls) == 30:
            raise OSError("磁盘已满（模拟）")
        return real(conn, **kwargs)

    monkeypatch.setattr(values, "write_value", failing)
    with pytest.raises(OSError):
        iv.apply_import(demo, preview, user="王会计")
    assert len(calls) == 30
    assert _counts(demo) == before


def test_cancel_rolls_back(demo, tmp_path, monkeypatch):
    rows = [
        (u, "NURSES", str(y), 10 + y % 7) for u in (HOSPITAL, TCM, "370725-03") for y in range(1990, 2020)
    ]
    path = vw.write_long_workbook(tmp_path / "many.xlsx", rows)
    preview = iv.preview_import(demo, path)
    assert preview.new_count == 90
    before = _counts(demo)
    reports = []

    def on_report(fraction, status):
        reports.append(fraction)
        if fraction > 0:
            progress.cancel()  # the user presses 取消 once the writing has started

    progress = Progress(on_report)
    monkeypatch.setattr(iv, "_STEP", 10)
    with pytest.raises(Cancelled):
        iv.apply_import(demo, preview, user="王会计", progress=progress)
    assert max(reports) < 1.0
    assert _counts(demo) == before
    assert not demo.in_transaction


def test_every_error_names_sheet_row_field_and_cell(demo, tmp_path):
    rows = [
        (HOSPITAL, "BEDS_ACTUAL", "2025", 10),
        ("999999", "BEDS_ACTUAL", "2025", 10),  # unknown unit
        (HOSPITAL, "BEDS_WRONG", "2025", 10),  # unknown element
        (HOSPITAL, "NURSES", "2025", "十二"),  # wrong type
        (HOSPITAL, "NURSES", "2025", "-3"),  # below the minimum
        (HOSPITAL, "DOC_PRACT", "2025", 12.5),  # integer only
        (HOSPITAL, "BEDS_ACTUAL", "2025", 11),  # duplicate of row 2
        (HOSPITAL, "BEDS_ACTUAL", "2025Q1", 11),  # a yearly element with a quarter
        (None, "NURSES", "2025", 1),
    ]
    path = vw.write_long_workbook(tmp_path / "errors.xlsx", rows)
    preview = iv.preview_import(demo, path)
    got = [(e.row, e.field, e.cell) for e in preview.errors]
    assert got == [
        (3, "单位代码", "A3"),
        (4, "数据项代码", "B4"),
        (5, "数值", "D5"),
        (6, "数值", "D6"),
        (7, "数值", "D7"),
        (8, "数值", "D8"),
        (9, "报告期", "C9"),
        (10, "单位代码", "A10"),
    ]
    messages = [e.message for e in preview.errors]
    assert "未知的单位代码“999999”" in messages[0]
    assert "未知的数据项代码“BEDS_WRONG”" in messages[1]
    assert "必须是整数" in messages[2] and "十二" in messages[2]
    assert "不能小于 0" in messages[3]
    assert "必须是整数" in messages[4]
    assert "与工作表“数据”第 2 行重复" in messages[5]
    assert "按年度填报" in messages[6] and "季度" in messages[6]
    assert messages[7] == "单位代码为空（如果是合并单元格，请取消合并并在每一行都填写）"
    assert all(e.sheet == "数据" for e in preview.errors)
    assert str(preview.errors[0]) == "工作表“数据”第 3 行（A3），单位代码：未知的单位代码“999999”"


def test_gbk_csv_from_chinese_excel(demo, tmp_path):
    path = tmp_path / "乔官.csv"
    text = (
        "报告期,单位代码,数据项代码,数值,备注\r\n"
        "2025年,370725101-01,NURSES,56,含新招聘\r\n"
        '2025年,370725101-01,DOC_PRACT,"1,024",\r\n'
    )
    path.write_bytes(text.encode("gbk"))
    preview = iv.preview_import(demo, path)
    assert preview.encoding == "gbk" and preview.errors == []
    assert preview.new_count == 2
    iv.apply_import(demo, preview, user="王会计")
    nurses = _stored(demo, "NURSES", "370725101-01", "2025")
    assert (nurses.value, nurses.comment) == (56, "含新招聘")
    assert _stored(demo, "DOC_PRACT", "370725101-01", "2025").value == 1024


def test_a_percent_cell_imports_the_percentage_excel_shows(demo, tmp_path):
    # Typed 28.5% in Excel, the cell holds 0.285: importing 0.285 (0.29 %) would be a wrong number nobody sees.
    path = tmp_path / "rates.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["单位代码", "数据项代码", "报告期", "数值"])
    sheet.append(["370725", "IND_HEALTH_LITERACY", "2025", 0.285])
    sheet.append(["370725", "POP_65", "2025", 1.2])
    for cell in ("D2", "D3"):
        sheet[cell].number_format = "0.0%"
    workbook.save(path)
    preview = iv.preview_import(demo, path)
    assert [(c.element_code, c.new_value) for c in preview.changes] == [("IND_HEALTH_LITERACY", 28.5)]
    (error,) = preview.errors  # a head count in a percent cell is refused, not read as 1.2 people
    assert error.row == 3 and "“65岁及以上常住人口”必须是整数，不能填“120%”" in error.message


def test_unit_by_credit_code_and_lower_case_element(demo, tmp_path):
    uscc = orgunits.get_org_unit_by_code(demo, HOSPITAL).uscc
    path = vw.write_long_workbook(tmp_path / "uscc.xlsx", [(uscc, "beds_actual", "2025", 1620)])
    preview = iv.preview_import(demo, path)
    assert preview.errors == []
    (change,) = preview.changes
    assert (change.unit_code, change.element_code) == (HOSPITAL, "BEDS_ACTUAL")


def _form(path, sheet_name, header, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    for row in header:
        sheet.append(row)
    sheet.append(["代码", "指标名称", "计量单位", "本期", "备注"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_form_layout_with_header_cells(demo, tmp_path):
    path = _form(
        tmp_path / "form.xlsx",
        "县人民医院",
        [["表号：ZY-01"], ["单位代码：370725-01", None, None, "报告期：2025年"]],
        [[None, "一、床位"], ["01", "编制床位", "张", 1550], [2, "实有床位", "张", 1580, "新院区二期"]],
    )
    preview = iv.preview_import(demo, path)
    assert preview.errors == []
    assert [(c.element_code, c.period, c.new_value, c.new_comment) for c in preview.changes] == [
        ("BEDS_APPROVED", "2025", 1550, None),
        ("BEDS_ACTUAL", "2025", 1580, "新院区二期"),
    ]


def test_form_layout_takes_unit_and_period_chosen_by_the_user(demo, tmp_path):
    path = _form(tmp_path / "zy03.xlsx", "ZY-03", [], [["01", "乡村医生", "人", 3]])
    missing = iv.preview_import(demo, path)
    assert {(e.field, e.message) for e in missing.errors} == {
        ("单位代码", "表头没有写单位代码，请在导入窗口中选择单位"),
        ("报告期", "表头没有写报告期，请在导入窗口中填写报告期"),
    }
    preview = iv.preview_import(demo, path, unit_code="370725002-02", period="2025")
    assert preview.errors == []
    (change,) = preview.changes
    assert (change.unit_code, change.period, change.new_value) == ("370725002-02", "2025", 3)


def test_form_layout_errors_are_reported_once_per_sheet_or_per_row(demo, tmp_path):
    path = _form(
        tmp_path / "form.xlsx",
        "Sheet",
        [["表号", "ZZ-99"], ["单位代码", HOSPITAL], ["报告期", "2025"]],
        [["01", "编制床位", "张", 1], ["02", "实有床位", "张", 2]],
    )
    (error,) = iv.preview_import(demo, path).errors
    assert (error.field, error.cell, error.message) == ("表号", "B1", "未知的表号“ZZ-99”")

    path = _form(
        tmp_path / "form2.xlsx",
        "ZY-01",
        [["单位代码", HOSPITAL], ["报告期", "2025Q1"]],
        [["01", "编制床位", "张", 1]],
    )
    (error,) = iv.preview_import(demo, path).errors
    assert (error.field, error.cell) == ("报告期", "B2") and "年度" in error.message

    path = _form(
        tmp_path / "form3.xlsx",
        "ZY-01",
        [["单位代码", HOSPITAL], ["报告期", "2025"]],
        [["99", "不存在", "张", 1], ["01", "编制床位", "张", "很多"]],
    )
    errors = iv.preview_import(demo, path).errors
    assert [(e.row, e.field, e.cell) for e in errors] == [(4, "代码", "A4"), (5, "数值", "D5")]
    assert "没有代码为“99”的行" in errors[0].message


def test_errors_are_listed_top_to_bottom_whichever_pass_found_them(demo, tmp_path):
    path = _form(
        tmp_path / "form4.xlsx",
        "ZY-01",
        [["单位代码", HOSPITAL], ["报告期", "2025"]],
        [["01", "编制床位", "张", "很多"], [None, "（合并的代码）", None, 5]],
    )
    errors = iv.preview_import(demo, path).errors
    assert [(e.row, e.field) for e in errors] == [(4, "数值"), (5, "代码")]


def test_an_import_never_deletes_and_keeps_stored_comments(demo, tmp_path):
    element = elements.get_element_by_code(demo, "BEDS_ACTUAL")
    unit = orgunits.get_org_unit_by_code(demo, HOSPITAL)
    demo.execute(
        "UPDATE data_value SET comment = '原备注' WHERE element_id = ? AND period = '2024' AND org_unit_id = ?",
        (element.id, unit.id),
    )
    path = vw.write_long_workbook(
        tmp_path / "keep.xlsx", [(HOSPITAL, "BEDS_ACTUAL", "2024", 1530), (HOSPITAL, "NURSES", "2024", None)]
    )
    preview = iv.preview_import(demo, path)
    assert preview.blank_values == 1 and len(preview.changes) == 1
    iv.apply_import(demo, preview, user="王会计")
    stored = _stored(demo, "BEDS_ACTUAL", HOSPITAL, "2024")
    assert (stored.value, stored.comment) == (1530, "原备注")
    assert _stored(demo, "NURSES", HOSPITAL, "2024") is not None


@pytest.mark.parametrize(("state", "word"), [("approved", "已经单位负责人批准"), ("submitted", "提交")])
def test_values_of_a_signed_return_are_refused(demo, tmp_path, state, word):
    data_set = elements.get_data_set_by_code(demo, "ZY-01")
    unit = orgunits.get_org_unit_by_code(demo, HOSPITAL)
    demo.execute(
        "INSERT INTO return_state (data_set_id, org_unit_id, period, state) VALUES (?, ?, '2024', ?)",
        (data_set.id, unit.id, state),
    )
    rows = [(HOSPITAL, "BEDS_ACTUAL", "2024", 1519), (HOSPITAL, "BEDS_APPROVED", "2024", 1)]
    preview = iv.preview_import(demo, vw.write_long_workbook(tmp_path / "locked.xlsx", rows))
    # Re-stating the approved value is harmless; changing it is refused.
    (error,) = preview.errors
    assert (error.row, error.field, error.cell) == (3, "数值", "D3")
    assert error.message.startswith("县人民医院：“卫生资源年报（机构）”2024年")
    assert word in error.message
    assert "“编制床位”不能修改" in error.message
    assert preview.unchanged_count == 1


def test_a_return_approved_after_the_preview_refuses_the_whole_import(demo, tmp_path):
    rows = [(TCM, "NURSES", "2025", 70), (HOSPITAL, "BEDS_ACTUAL", "2025", 1600)]
    preview = iv.preview_import(demo, vw.write_long_workbook(tmp_path / "late.xlsx", rows))
    assert preview.errors == []
    data_set = elements.get_data_set_by_code(demo, "ZY-01")
    unit = orgunits.get_org_unit_by_code(demo, HOSPITAL)
    demo.execute(
        "INSERT INTO return_state (data_set_id, org_unit_id, period, state) VALUES (?, ?, '2025', 'approved')",
        (data_set.id, unit.id),
    )
    before = _counts(demo)
    with pytest.raises(
        iv.ImportRefused, match="预览之后，县人民医院：“卫生资源年报（机构）”2025年已经单位负责人批准"
    ):
        iv.apply_import(demo, preview, user="王会计")
    assert _counts(demo) == before


def test_preview_reports_progress_and_can_be_cancelled(demo, tmp_path):
    path = vw.write_long_workbook(tmp_path / "p.xlsx", _good_rows())
    seen = []
    iv.preview_import(demo, path, progress=Progress(lambda f, s: seen.append((f, s))))
    assert seen[0][0] == 0.0 and seen[-1][0] == 1.0
    assert any("读取" in s for _f, s in seen) and any("核对" in s for _f, s in seen)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        iv.preview_import(demo, path, progress=progress)

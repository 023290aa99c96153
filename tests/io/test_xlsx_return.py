"""The return workbook: layout, text codes, decimals, formula-looking text kept as text, print setup."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from sample_documents import USCC, sample_document

from desktop.io.return_doc import DocColumn, format_number
from desktop.io.xlsx_return import sheet_title, write_xlsx


@pytest.fixture
def workbook(tmp_path):
    path = write_xlsx(sample_document(), tmp_path / "return.xlsx")
    return path, openpyxl.load_workbook(path)


def _find(ws, text):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not in sheet")


def test_title_identity_unit_and_period(workbook):
    _path, wb = workbook
    ws = wb["鲁卫健统县1表"]
    assert ws["A1"].value == "卫生资源汇总年报" and ws["A1"].font.bold
    assert any(str(r) == "A1:E1" for r in ws.merged_cells.ranges)
    identity = _find(ws, "表号：鲁卫健统县1表")
    assert identity.column > 1 and identity.row == 2  # top right
    assert _find(ws, "有效期至：2027年12月").row == 6
    unit_code = _find(ws, f"统一社会信用代码：{USCC}")
    assert unit_code.column == 1 and unit_code.data_type == "s"
    name = _find(ws, "单位名称（盖章）：昌乐县中医院")
    assert name.column == 1 and unit_code.row == name.row - 1
    period = _find(ws, "2024年")
    assert period.row == name.row and period.column > 1
    # A narrow form puts the unit below the identity block, so nothing overlaps.
    assert name.row > identity.row + 4


def test_header_numbers_body_and_borders(workbook):
    _path, wb = workbook
    ws = wb.active
    number_row = _find(ws, "甲").row
    assert [ws.cell(number_row, j).value for j in range(1, 6)] == ["甲", "乙", "丙", "1", "2"]
    assert ws.cell(number_row - 1, 1).value == "指标名称"
    first = number_row + 1
    code = ws.cell(first, 2)
    assert code.value == "01" and code.data_type == "s" and code.number_format == "@"
    assert ws.cell(first + 1, 2).value == "01.1"
    assert ws.cell(first + 1, 1).alignment.indent == 1
    count = ws.cell(first, 4)
    assert count.value == 4580 and count.number_format == "0"
    kept = ws.cell(first + 1, 4)
    assert kept.value == 2.5 and kept.number_format == "0.00"  # shows 2.50: trailing zero kept
    assert ws.cell(first + 1, 5).value is None
    assert ws.cell(first + 2, 4).value == 0 and ws.cell(first + 2, 4).number_format == "0.0"  # not -0.0
    assert ws.cell(first + 2, 5).value == 61.39  # 四舍五入, not banker's rounding
    for j in range(1, 6):
        assert ws.cell(first, j).border.left.style == "thin"
        assert ws.cell(number_row, j).border.bottom.style == "thin"


def test_formula_looking_text_is_stored_as_text(workbook):
    path, wb = workbook
    ws = wb.active
    first = _find(ws, "甲").row + 1
    formula_like = ws.cell(first + 2, 1)
    assert formula_like.value == "=SUM(A1:A9)" and formula_like.data_type == "s"
    assert ws.cell(first + 2, 3).value == "+86" and ws.cell(first + 2, 3).data_type == "s"
    with zipfile.ZipFile(path) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    # Reading back with formulas evaluated as values gives the same text, not a computed number.
    values = openpyxl.load_workbook(path, data_only=True).active
    assert values.cell(first + 2, 1).value == "=SUM(A1:A9)"


def test_signers_notes_and_print_setup(workbook):
    _path, wb = workbook
    ws = wb.active
    signer = next(
        c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "单位负责人" in c.value
    )
    for name in ("王局长", "李统计", "张填表", "0536-6212345", "2025年1月15日"):
        assert name in signer.value
    assert _find(ws, "说明：").row > signer.row
    assert _find(ws, "主要逻辑关系：01≥01.1。")
    number_row = _find(ws, "甲").row
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == f"${number_row - 1}:${number_row}"
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert ws.freeze_panes == f"D{number_row + 1}"
    assert "template=resources-annual" in wb.properties.keywords


def test_failed_checks_go_on_a_second_sheet(workbook):
    _path, wb = workbook
    checks = wb["审核说明"]
    assert checks["A1"].value.endswith("审核错误说明")
    assert [checks.cell(4, j).value for j in range(1, 7)][-1] == "调查对象审核错误说明"
    assert [checks.cell(5, j).value for j in range(1, 7)] == [
        "1",
        "ZY02-07",
        "|变化率(03)| ≤ 15%",
        "说明性",
        "实有床位比上年变化超过15%",
        "新院区启用",
    ]


def test_landscape_and_grouped_header(tmp_path):
    doc = sample_document(orientation="landscape")
    columns = list(doc.columns)
    columns[3] = DocColumn("本年", "1", group="床位", numeric=True)
    columns[4] = DocColumn("上年同期", "2", group="床位", numeric=True)
    doc = sample_document(orientation="landscape", columns=tuple(columns), checks=())
    wb = openpyxl.load_workbook(write_xlsx(doc, tmp_path / "wide.xlsx"))
    ws = wb.active
    assert ws.page_setup.orientation == "landscape"
    group = _find(ws, "床位")
    assert ws.cell(group.row + 1, group.column).value == "本年"
    assert any(str(r) == f"D{group.row}:E{group.row}" for r in ws.merged_cells.ranges)
    assert any(str(r) == f"A{group.row}:A{group.row + 1}" for r in ws.merged_cells.ranges)
    assert ws.print_title_rows == f"${group.row}:${group.row + 2}"
    assert wb["审核说明"]["A5"].value == "本表审核未发现需要说明的问题。"


def test_sheet_titles_and_number_text():
    assert sheet_title("卫统1-1表[2024]/续") == "卫统1-1表_2024__续"
    assert len(sheet_title("很" * 40)) == 31
    assert format_number(2.5, 2) == "2.50" and format_number(-0.04, 1) == "0.0" and format_number(7, 0) == "7"


def test_checks_sheet_prints_like_the_return(workbook):
    _path, wb = workbook
    checks = wb["审核说明"]
    assert int(checks.page_setup.paperSize) == 9 and checks.page_setup.orientation == "landscape"
    assert checks.sheet_properties.pageSetUpPr.fitToPage and checks.page_setup.fitToWidth == 1
    assert checks.page_setup.fitToHeight == 0 and checks.print_title_rows == "$4:$4"
    assert checks.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_narrow_header_breaks_before_its_unit(tmp_path):
    doc = sample_document()
    columns = list(doc.columns)
    columns[3] = DocColumn("任务数（人）", "1", numeric=True)
    columns[4] = DocColumn("规范管理率（%）", "2", numeric=True, width=4)
    ws = openpyxl.load_workbook(
        write_xlsx(sample_document(columns=tuple(columns)), tmp_path / "h.xlsx")
    ).active
    number_row = _find(ws, "甲").row
    assert ws.cell(number_row - 1, 4).value == "任务数\n（人）"  # not 任务数（ / 人）
    assert ws.cell(number_row - 1, 5).value == "规范管理\n率（%）"
    assert ws.cell(number_row - 1, 1).value == "指标名称"  # a title that fits is kept as written

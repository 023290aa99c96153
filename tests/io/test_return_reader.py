"""Reading a filled return back by its anchors: labels, the 栏号 row and row codes, never cell positions."""

from __future__ import annotations

import openpyxl
import pytest
from sample_documents import USCC, sample_document

from desktop.io.return_reader import ReturnFileError, normalise, read_return_workbook
from desktop.io.xlsx_return import write_xlsx


@pytest.fixture
def exported(tmp_path):
    return write_xlsx(sample_document(), tmp_path / "return.xlsx")


def test_reads_labels_columns_and_rows(exported):
    book = read_return_workbook(exported)
    assert book.skipped == ("审核说明",)
    assert book.metadata["template"] == "resources-annual"
    (sheet,) = book.sheets
    assert normalise(sheet.labels["table_no"].value) == "鲁卫健统县1表"
    assert sheet.labels["unit_code"].value == USCC and sheet.unit_code_label == "统一社会信用代码"
    assert sheet.labels["unit_name"].value == "昌乐县中医院"
    assert sheet.labels["period"].value == "2024年"
    assert set(sheet.numbers) == {"甲", "乙", "丙", "1", "2"}
    codes = [row.cells["乙"].value for row in sheet.rows]
    assert codes == ["01", "01.1", "02"]  # the footer and 说明 are not body rows
    first = sheet.rows[0]
    assert first.cells["1"].value == 4580 and first.cells["1"].ref == f"{sheet.numbers['1']}{first.row}"


def test_inserted_rows_and_moved_columns_are_followed(exported, tmp_path):
    wb = openpyxl.load_workbook(exported)
    ws = wb.active
    number_row = next(c.row for row in ws.iter_rows() for c in row if c.value == "甲")
    ws.insert_rows(number_row + 2)  # a blank row between 01 and 01.1
    ws.move_range(f"D{number_row - 1}:D{number_row + 10}", cols=5)  # the 本年 column moved far right
    ws.insert_rows(2)  # and one more row above everything
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    (sheet,) = read_return_workbook(path).sheets
    assert sheet.numbers["1"] == "I"
    assert [row.cells["乙"].value for row in sheet.rows] == ["01", "01.1", "02"]
    assert sheet.rows[0].cells["1"].value == 4580 and sheet.rows[0].cells["1"].ref.startswith("I")
    assert sheet.rows[1].row == sheet.rows[0].row + 2


def test_labels_in_neighbouring_cells_and_full_width_text(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某某年报"])
    ws.append([None, "表　　号：", "鲁卫健统县１表"])
    ws.append(["行政区划代码", 370725])
    ws.append(["报告期：2024年第3季度"])
    ws.append(["名称", "代码", "本期"])
    ws.append(["甲", "乙", 1])
    ws.append(["床位", 1, "12"])
    ws.append([None, None, None])
    ws.append(["单位负责人：", None, None])
    ws.append(["多余", "99", "1"])
    wb.save(tmp_path / "hand.xlsx")
    (sheet,) = read_return_workbook(tmp_path / "hand.xlsx").sheets
    assert normalise(sheet.labels["table_no"].value) == "鲁卫健统县1表"
    assert sheet.labels["table_no"].ref == "C2"
    assert normalise(sheet.labels["unit_code"].value) == "370725"
    assert sheet.labels["period"].value == "2024年第3季度"
    assert sheet.numbers == {"甲": "A", "乙": "B", "1": "C"}
    assert [normalise(r.cells["乙"].value) for r in sheet.rows] == ["1"]


def test_files_that_are_not_returns_are_refused(tmp_path):
    with pytest.raises(ReturnFileError, match=r"另存为 \.xlsx"):
        read_return_workbook(tmp_path / "old.xls")
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(ReturnFileError, match="不是有效的 Excel 工作簿"):
        read_return_workbook(bad)
    with pytest.raises(ReturnFileError, match="找不到文件"):
        read_return_workbook(tmp_path / "missing.xlsx")
    wb = openpyxl.Workbook()
    wb.active.append(["只是一张表"])
    wb.save(tmp_path / "plain.xlsx")
    with pytest.raises(ReturnFileError, match="没有找到报表"):
        read_return_workbook(tmp_path / "plain.xlsx")

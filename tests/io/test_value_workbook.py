"""Reading value files: long format and form layout, xlsx and CSV (UTF-8, UTF-8 with BOM, GBK)."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from desktop.io import value_workbook as vw


def _xlsx(path, sheets: dict[str, list[list]]):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def test_long_format_with_title_row_extra_columns_and_any_order(tmp_path):
    path = _xlsx(
        tmp_path / "values.xlsx",
        {
            "数据": [
                ["2024年卫生资源数据导入"],
                ["报告期", "单位名称", "单位代码（必填）", "数值", "数据项代码", "备注"],
                ["2024", "县人民医院", "370725-01", 500, "BEDS_ACTUAL", "含加床"],
                [None, None, None, None, None, None],
                [2024, "县中医院", "370725-02", "320", "BEDS_ACTUAL", None],
            ]
        },
    )
    result = vw.read_value_file(path)
    assert result.problems == []
    (sheet,) = result.sheets
    assert sheet.layout == vw.LONG and sheet.header_row == 2
    first, second = result.records
    assert (first.row, first.unit_code, first.element_code, first.period, first.value, first.comment) == (
        3,
        "370725-01",
        "BEDS_ACTUAL",
        "2024",
        500,
        "含加床",
    )
    assert (second.row, second.period, second.value, second.comment) == (5, "2024", "320", None)
    assert first.cell(vw.F_VALUE) == "D3" and second.cell(vw.F_UNIT) == "C5"
    assert result.rows_read == 2


def test_english_headers_and_excel_conversions(tmp_path):
    path = _xlsx(
        tmp_path / "en.xlsx",
        {
            "Sheet1": [
                ["Unit_Code", "Element_Code", "PERIOD", "Value", "Comment"],
                [370725, "POP_RESIDENT", datetime(2024, 3, 1), 604000, None],
                ["370725", "POP_RESIDENT", 2024.0, datetime(2024, 5, 6), None],
            ]
        },
    )
    result = vw.read_value_file(path)
    first, second = result.records
    assert first.unit_code == "370725"  # Excel made a number of the code
    assert first.period == "2024-03"  # Excel made a date of "2024-03"
    assert second.period == "2024"
    assert second.value == "2024-05-06"


def test_empty_value_cells_are_skipped_and_counted(tmp_path):
    path = _xlsx(
        tmp_path / "blank.xlsx",
        {"数据": [["单位代码", "数据项代码", "报告期", "数值"], ["370725", "POP_RESIDENT", "2024", "  "]]},
    )
    result = vw.read_value_file(path)
    assert result.records == [] and result.blank_values == 1 and result.rows_read == 1


def test_duplicate_header_column_is_a_problem(tmp_path):
    path = _xlsx(
        tmp_path / "dup.xlsx",
        {
            "数据": [
                ["单位代码", "数据项代码", "报告期", "数值", "值"],
                ["370725", "POP_RESIDENT", "2024", 1, 2],
            ]
        },
    )
    result = vw.read_value_file(path)
    (problem,) = result.problems
    assert (problem.sheet, problem.row, problem.field, problem.cell) == ("数据", 1, "数值", "E1")
    assert "出现了两次" in problem.message


def test_sheet_without_header_is_skipped_and_a_file_without_any_is_a_problem(tmp_path):
    path = _xlsx(
        tmp_path / "mixed.xlsx",
        {
            "说明": [["请按模板填写"], ["单位代码请写程序中的代码"]],
            "数据": [["单位代码", "数据项代码", "报告期", "数值"], ["370725", "POP_RESIDENT", "2024", 1]],
        },
    )
    result = vw.read_value_file(path)
    assert [s.layout for s in result.sheets] == [vw.SKIPPED, vw.LONG]
    assert result.problems == [] and len(result.records) == 1

    only_notes = _xlsx(tmp_path / "notes.xlsx", {"说明": [["没有表头"]]})
    result = vw.read_value_file(only_notes)
    (problem,) = result.problems
    assert problem.sheet == "说明" and problem.field == vw.F_HEADER
    assert "没有可导入的工作表" in problem.message


def test_form_layout_reads_header_cells_and_skips_headings(tmp_path):
    path = _xlsx(
        tmp_path / "form.xlsx",
        {
            "ZY-01 县人民医院": [
                ["卫生资源年报（机构）", None, None, "表号：ZY-01"],
                ["单位代码", "370725-01", None, "报告期：2024年"],
                ["代码", "指标名称", "计量单位", "本期", "备注"],
                [None, "一、床位", None, None, None],
                ["01", "编制床位", "张", 1500, None],
                [2, "实有床位", "张", "1,519", "年末数"],
                ["03", "卫生技术人员", "人", None, None],
            ]
        },
    )
    result = vw.read_value_file(path)
    assert result.problems == []
    (sheet,) = result.sheets
    assert sheet.layout == vw.FORM and sheet.header_row == 3
    assert (sheet.form_code, sheet.unit_code, sheet.period) == ("ZY-01", "370725-01", "2024年")
    assert sheet.header_cells == {vw.F_FORM: "D1", vw.F_UNIT: "B2", vw.F_PERIOD: "D2"}
    assert [(r.row, r.row_code, r.value, r.comment) for r in result.records] == [
        (5, "01", 1500, None),
        (6, "2", "1,519", "年末数"),
    ]
    assert sheet.blank_values == 1
    assert result.records[0].cell(vw.F_UNIT) == "B2"  # a header field points at its header cell
    assert result.records[0].cell(vw.F_VALUE) == "D5"


def test_form_layout_without_header_cells_leaves_them_to_the_user(tmp_path):
    path = _xlsx(tmp_path / "bare.xlsx", {"ZY-03": [["行次", "数值"], ["01", 3]]})
    result = vw.read_value_file(path)
    (record,) = result.records
    assert (record.unit_code, record.period, record.row_code) == (None, None, "01")
    assert result.sheets[0].form_code is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "values.csv"
    text = "单位代码,数据项代码,报告期,数值,备注\n370725,POP_RESIDENT,2024年,604000,县统计局抽样调查\n"
    path.write_bytes(text.encode(encoding))
    result = vw.read_value_file(path)
    assert result.kind == "csv"
    assert result.encoding == encoding
    (record,) = result.records
    assert record.sheet_name == "values"
    assert (record.row, record.period, record.value, record.comment) == (
        2,
        "2024年",
        "604000",
        "县统计局抽样调查",
    )


def test_tab_separated_text_is_read(tmp_path):
    path = tmp_path / "values.txt"
    path.write_text("单位代码\t数据项代码\t报告期\t数值\n370725\tPOP_65\t2024\t120800\n", encoding="utf-8")
    (record,) = vw.read_value_file(path).records
    assert record.value == "120800"


def test_detect_encoding_refuses_what_is_neither_utf8_nor_gbk():
    assert vw.detect_encoding("数值".encode()) == "utf-8"
    assert vw.detect_encoding("数值".encode("gbk")) == "gbk"
    with pytest.raises(vw.WorkbookError, match="编码"):
        vw.detect_encoding(b"\x81\x20\xff\xfe\x00")


def test_unreadable_files_raise_clear_messages(tmp_path):
    with pytest.raises(vw.WorkbookError, match="找不到文件"):
        vw.read_value_file(tmp_path / "missing.xlsx")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(vw.WorkbookError, match=r"另存为 \.xlsx"):
        vw.read_value_file(old)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a zip file")
    with pytest.raises(vw.WorkbookError, match="不是有效的 Excel 工作簿"):
        vw.read_value_file(broken)
    other = tmp_path / "values.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(vw.WorkbookError, match="只支持"):
        vw.read_value_file(other)


HEADER = ["单位代码", "数据项代码", "报告期", "数值"]


def test_what_a_file_is_decides_how_it_is_read_not_its_name(tmp_path):
    workbook = _xlsx(tmp_path / "real.xlsx", {"数据": [HEADER, ["370725", "POP_65", "2024", 120800]]})
    for name in ("renamed.txt", "renamed.csv", "renamed.xls"):  # a workbook whose name was changed
        (tmp_path / name).write_bytes(workbook.read_bytes())
        result = vw.read_value_file(tmp_path / name)
        assert result.kind == "xlsx" and [r.value for r in result.records] == [120800]
    # A web system's "xls" that is really tab-separated text.
    text = tmp_path / "export.xls"
    text.write_text("单位代码\t数据项代码\t报告期\t数值\n370725\tPOP_65\t2024\t120800\n", encoding="gbk")
    assert [r.value for r in vw.read_value_file(text).records] == ["120800"]
    html = tmp_path / "web.xls"
    html.write_text("<html><body><table><tr><td>单位代码</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(vw.WorkbookError, match="网页"):
        vw.read_value_file(html)
    protected = tmp_path / "protected.xlsx"  # an .xlsx with an opening password is an OLE2 file
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(vw.WorkbookError, match=r"旧版 Excel.*打开密码"):
        vw.read_value_file(protected)
    for name in ("empty.csv", "empty.xlsx"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(vw.WorkbookError, match="空文件（0 字节）"):
            vw.read_value_file(tmp_path / name)


def _patch(path, replacements: dict[str, str]):
    """Edit the first sheet's XML, to write what Excel writes and openpyxl cannot (formula results, 17 digits)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for old, new in replacements.items():
        assert old in xml
        xml = xml.replace(old, new)
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_percent_cells_are_read_as_shown_and_float_noise_is_cut(tmp_path):
    path = tmp_path / "rates.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["370725", "IND_HEALTH_LITERACY", "2024", 0.285])
    sheet.append(["370725", "IND_EHR_USE_RATE", "2024", 1])
    sheet.append(["370725", "POP_65", "2024", 1430.5])
    sheet["D2"].number_format = "0.0%"
    sheet["D3"].number_format = "0%"
    workbook.save(path)
    _patch(path, {">1430.5<": ">1430.0000000000002<"})  # what Excel stores for =1300*1.1
    assert [r.value for r in vw.read_value_file(path).records] == ["28.5%", "100%", 1430.0]


def _with_formulas(path, cached: dict[str, str]):
    """A workbook whose value cells hold formulas; `cached` gives the results Excel would have saved."""
    rows = [
        HEADER,
        ["370725", "POP_65", "2024", "=1000+300"],
        ["370725", "POP_RESIDENT", "2024", "=B9"],
        ["370725", "POP_ADULT", "2024", '=IF(B9="","",B9)'],  # blank on purpose: skipped, not an error
    ]
    _xlsx(path, {"数据": rows})
    return _patch(path, {f"<f>{f}</f><v />": f"<f>{f}</f><v>{v}</v>" for f, v in cached.items()})


def test_formulas_give_their_results_and_an_uncalculated_one_is_a_problem(tmp_path):
    saved = vw.read_value_file(_with_formulas(tmp_path / "saved.xlsx", {"1000+300": "1300", "B9": "604000"}))
    assert [r.value for r in saved.records] == [1300, 604000] and saved.problems == []
    # Written by a program that stores formulas without results: the value is not blank, it is unknown.
    result = vw.read_value_file(_with_formulas(tmp_path / "raw.xlsx", {"B9": "604000"}))
    assert [r.value for r in result.records] == [604000]
    assert result.blank_values == 1  # the =IF(…,"",…) row
    (problem,) = result.problems
    assert (problem.sheet, problem.row, problem.field, problem.cell) == ("数据", 2, vw.F_VALUE, "D2")
    assert "公式“=1000+300”" in problem.message and "保存后再导入" in problem.message


def test_form_layout_a_number_without_a_row_code_is_a_problem(tmp_path):
    # 03 written once in a code cell merged over two rows: the second row's number has no code.
    path = tmp_path / "merged.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "ZY-01"
    for row in (
        ["代码", "指标名称", "本期"],
        [None, "一、床位", None],
        ["03", "卫生技术人员", 2008],
        [None, "执业医师", 640],
    ):
        sheet.append(row)
    sheet.merge_cells("A3:A4")
    workbook.save(path)
    result = vw.read_value_file(path)
    assert [r.value for r in result.records] == [2008]
    (problem,) = result.problems
    assert (problem.row, problem.field, problem.cell) == (4, vw.F_ROW, "A4")
    assert "“640”" in problem.message and "合并单元格" in problem.message


def test_progress_is_reported_and_can_stop_the_reading(tmp_path):
    rows = [("370725", "POP_RESIDENT", str(2000 + i % 50), i) for i in range(1200)]
    path = vw.write_long_workbook(tmp_path / "big.xlsx", rows)
    seen = []
    result = vw.read_value_file(path, on_progress=lambda done, sheet: seen.append((done, sheet)))
    assert len(result.records) == 1200
    assert seen[:2] == [(500, "数据"), (1000, "数据")]

    class Stop(Exception):
        pass

    def stop(done, sheet):
        raise Stop

    with pytest.raises(Stop):
        vw.read_value_file(path, on_progress=stop)


def test_writers_round_trip(tmp_path):
    rows = [("370725-01", "BEDS_ACTUAL", "2024", 500, "备注"), ("370725-02", "NURSES", "2024Q1", 12.5)]
    for path in (
        vw.write_long_workbook(tmp_path / "out.xlsx", rows),
        vw.write_long_csv(tmp_path / "out.csv", rows, encoding="gbk"),
    ):
        result = vw.read_value_file(path)
        got = [(r.unit_code, r.element_code, r.period, str(r.value), r.comment) for r in result.records]
        assert got == [
            ("370725-01", "BEDS_ACTUAL", "2024", "500", "备注"),
            ("370725-02", "NURSES", "2024Q1", "12.5", None),
        ]


def test_column_letters():
    assert [vw.column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]

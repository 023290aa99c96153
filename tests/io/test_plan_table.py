"""Reading a plan's indicator table as Word/WPS/Excel copy it (TSV) and as xlsx: header roles, domains carried
down from merged cells, units split off names, skipped lines, clear messages for what cannot be read."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from desktop.io.plan_table import (
    PlanTableError,
    classify_header,
    decode_text,
    read_plan_file,
    read_plan_text,
    split_name,
    split_tsv,
)

DATA = Path(__file__).resolve().parents[1] / "data"
TABLES = DATA / "plan_tables"
SEED = Path(__file__).resolve().parents[2] / "db" / "seed" / "plans"
CODES = ("changle-14th-fyp", "liaocheng-2030", "liaocheng-healthy-action")

sys.path.insert(0, str(DATA))
import make_plan_tables  # noqa: E402  (the fixture generator lives beside the fixtures)


def _seed(code: str) -> dict:
    return json.loads((SEED / f"{code}.json").read_text(encoding="utf-8"))


def test_fixture_files_are_current(tmp_path):
    """The committed fixtures are what the generator makes from today's seed plans."""
    from openpyxl import load_workbook

    for code in CODES:
        assert (TABLES / f"{code}.tsv").read_text(encoding="utf-8") == make_plan_tables.tsv_text(code)
        fresh = tmp_path / f"{code}.xlsx"
        make_plan_tables.write_xlsx(code, fresh)
        committed = load_workbook(TABLES / f"{code}.xlsx").active
        regenerated = load_workbook(fresh).active
        assert [[c.value for c in r] for r in committed.iter_rows()] == [
            [c.value for c in r] for r in regenerated.iter_rows()
        ]
        assert sorted(map(str, committed.merged_cells.ranges)) == sorted(
            map(str, regenerated.merged_cells.ranges)
        )


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("ext", ["tsv", "xlsx"])
def test_seed_tables_read_back_exactly(code, ext):
    seed = _seed(code)
    table = read_plan_file(TABLES / f"{code}.{ext}")
    assert len(table.rows) == len(seed["indicators"])
    years = sorted({int(y) for r in seed["indicators"] for y in r["targets"]})
    assert list(table.target_years) == years
    has_domain = any(c.role == "domain" for c in table.columns)
    has_seq = any(c.role == "seq" for c in table.columns)
    previous_domain = None
    for row, expected in zip(table.rows, seed["indicators"], strict=True):
        assert row.name == expected["name_as_written"]
        assert row.unit == (expected.get("unit") or None)
        assert (
            row.baseline_raw == expected["baseline"]["raw"]
        )  # kept as written: ７８．１８(２０１９年), 97.0
        assert dict(row.targets) == {int(y): raw for y, raw in expected["targets"].items()}
        assert row.nature == expected.get("nature")
        if has_seq:
            assert row.seq == expected["seq"]
        if has_domain:
            assert row.domain == expected["domain"]
            assert row.domain_carried == (expected["domain"] == previous_domain)
            previous_domain = expected["domain"]
        else:
            assert row.domain is None and not row.domain_carried


def test_county_table_layout():
    table = read_plan_file(TABLES / "changle-14th-fyp.tsv")
    assert table.baseline_year == 2020 and table.title == "表1  主要发展指标"
    roles = [c.role for c in table.columns]
    assert roles == ["domain", "seq", "name", "unit", "baseline", "year", "nature"]
    assert not table.problems
    assert not any(r.unit_from_name for r in table.rows)  # the county plan has its own 单位 column


def test_city_table_splits_units_and_departments_off_names():
    table = read_plan_file(TABLES / "liaocheng-2030.tsv")
    assert table.baseline_year == 2015 and table.target_years == (2020, 2030)
    by_name = {r.name: r for r in table.rows}
    assert by_name["人均体育场面积"].unit == "平方米" and by_name["人均体育场面积"].department == "市体育局"
    excellent = by_name["青少年学生体质健康标准达标优秀率"]
    assert (excellent.unit, excellent.department) == ("%", "市教育局") and excellent.unit_from_name
    assert by_name["每千常住人口执业（助理）医师数"].unit == "人"  # （助理）stays in the name
    assert by_name["65岁及以上老人健康管理率"].unit is None  # the row the plan printed without a unit
    assert by_name["孕产妇死亡率"].unit == "1/10万"


def test_action_table_full_width_repeated_header_and_note():
    table = read_plan_file(TABLES / "liaocheng-healthy-action.tsv")
    assert table.target_years == (2022, 2030)  # ２０２２年 in full-width digits
    assert table.has_baseline and table.baseline_year is None  # 基期水平 names no year
    assert [r.seq for r in table.rows][-2:] == ["30a", "30b"]
    assert len(table.rows) == 31  # the header repeated after row 17 is not a row
    assert any("表注" in p for p in table.problems)
    by_seq = {r.seq: r for r in table.rows}
    assert by_seq["4"].unit == "/10万" and by_seq["18"].unit == "时"
    assert by_seq["9"].unit is None and by_seq["9"].name.startswith("建立并完善健康科普专家库")
    given = read_plan_file(TABLES / "liaocheng-healthy-action.tsv", baseline_year=2018)
    assert given.baseline_year == 2018


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("人均预期寿命（岁）", ("人均预期寿命", "岁", None)),
        ("婴儿死亡率(‰)", ("婴儿死亡率", "‰", None)),
        ("每千人口执业（助理）医师数（人）", ("每千人口执业（助理）医师数", "人", None)),
        ("每千人口执业（助理）", ("每千人口执业（助理）", None, None)),
        ("居民健康素养水平（％）", ("居民健康素养水平", "%", None)),
        ("孕产妇死亡率(/１０万)", ("孕产妇死亡率", "/10万", None)),
        ("人均体育场面积（平方米）(市体育局)", ("人均体育场面积", "平方米", "市体育局")),
        ("药品抽检合格率（%）（市食药局）", ("药品抽检合格率", "%", "市食药局")),
        ("国家卫生乡镇（含进入评审程序）数量占比", ("国家卫生乡镇（含进入评审程序）数量占比", None, None)),
        ("以乡(镇、街道)为单位适龄儿童接种率(％)", ("以乡(镇、街道)为单位适龄儿童接种率", "%", None)),
        ("每千人口床位数（张/千人）", ("每千人口床位数", "张/千人", None)),
        ("（%）", ("（%）", None, None)),
    ],
)
def test_split_name(cell, expected):
    assert split_name(cell) == expected


@pytest.mark.parametrize(
    ("header", "role", "year"),
    [
        ("2015年", "year", 2015),
        ("２０２５年", "year", 2025),
        ("2025年目标", "year", 2025),
        ("基期水平", "baseline", None),
        ("基期（2015年）", "baseline", 2015),
        ("2020年(基期)", "baseline", 2020),
        ("指　　 标", "name", None),
        ("主要指标", "name", None),
        ("指标\n性质", "nature", None),
        ("牵头单位", "department", None),
        ("单位", "unit", None),
        ("序号", "seq", None),
        ("领域", "domain", None),
        ("备注", "note", None),
        ("完成情况", "ignored", None),
    ],
)
def test_classify_header(header, role, year):
    assert classify_header(header) == (role, year)


def test_split_tsv_reads_word_and_excel_clipboards():
    # Word: plain cells, CRLF. Excel: a cell holding a line break or a quote comes quoted.
    text = '\ufeff领域\t指标\t2020年\r\n"健康\n素质"\t"说""明"\t1\r\n\t人均预期寿命\t80.11\r\n'
    assert split_tsv(text) == [
        ["领域", "指标", "2020年"],
        ["健康素质", '说"明', "1"],
        ["", "人均预期寿命", "80.11"],
    ]
    assert split_tsv("a\tb") == [["a", "b"]]
    assert split_tsv('"unterminated\tx') == [["unterminated\tx"]]


def test_cells_are_trimmed_but_keep_their_text():
    table = read_plan_text("指标\t2020年\t2025年\n  人均预期寿命（岁）\u3000\t 80.11 \t92.00以上\n")
    row = table.rows[0]
    assert (row.name, row.unit, row.baseline_raw, row.targets) == (
        "人均预期寿命",
        "岁",
        "80.11",
        ((2025, "92.00以上"),),
    )


def test_baseline_choice_options():
    text = "指标\t2022年\t2030年\n甲（%）\t10\t20\n"
    default = read_plan_text(text)
    assert default.baseline_year == 2022 and default.target_years == (2030,)
    no_base = read_plan_text(text, first_year_is_baseline=False)
    assert no_base.baseline_year is None and no_base.target_years == (2022, 2030) and not no_base.has_baseline
    assert no_base.rows[0].baseline_raw is None
    named = read_plan_text("指标\t2020年\t2022年\t2030年\n甲\t1\t2\t3\n", baseline_year=2022)
    assert named.baseline_year == 2022 and named.target_years == (2020, 2030)


def test_rows_without_names_and_odd_columns_are_reported():
    text = "指标\t2020年\t2025年\t完成情况\t指标\n甲\t1\t2\t好\t\n\t3\t4\n乙\t1\t2\t\t\textra\n"
    table = read_plan_text(text)
    assert [r.name for r in table.rows] == ["甲", "乙"]
    problems = "\n".join(table.problems)
    assert "第 4 列“完成情况”不是可识别的列名" in problems
    assert "第 5 列“指标”与前面的列重复" in problems
    assert "第 3 行没有指标名称" in problems
    assert "第 4 行的单元格比表头多" in problems


def test_unknown_nature_is_reported_not_guessed():
    table = read_plan_text("指标\t2020年\t2025年\t性质\n甲\t1\t2\t约束\n乙\t1\t2\t必须\n")
    assert [r.nature for r in table.rows] == ["约束性", None]
    assert any("必须" in p for p in table.problems)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "没有可读取的内容"),
        ("人均预期寿命 80.11 80.15以上\n婴儿死亡率 2 3", "没有制表符分隔的单元格"),
        ("甲\t乙\n1\t2\n", "找不到表头行"),
        ("指标\t2020年\t2025年\t2025年\n甲\t1\t2\t3\n", "年份列重复：2025年"),
        ("指标\t基期\n甲\t1\n", "没有目标年份列"),
        ("指标\t2020年\t2025年\n", "表头下面没有指标行"),
    ],
)
def test_unreadable_text_gets_a_clear_message(text, message):
    with pytest.raises(PlanTableError) as info:
        read_plan_text(text)
    assert message in info.value.message


def test_xlsx_numbers_keep_the_decimals_they_show(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["指标", "2020年", "2025年", "2030年"])
    sheet.append(["甲（%）", 92.0, 0.255, 75])
    sheet["B2"].number_format = "0.00"
    sheet["C2"].number_format = "0.0%"
    sheet.append(["乙", 3.3, "≦4", None])
    path = tmp_path / "t.xlsx"
    book.save(path)
    table = read_plan_file(path)
    assert table.rows[0].baseline_raw == "92.00"
    assert dict(table.rows[0].targets) == {2025: "25.5%", 2030: "75"}
    assert table.rows[1].baseline_raw == "3.3" and dict(table.rows[1].targets) == {2025: "≦4", 2030: ""}


def test_xlsx_sheet_choice_and_errors(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "封面"
    book.active.append(["健康规划"])
    sheet = book.create_sheet("指标")
    sheet.append(["指标", "2020年", "2025年"])
    sheet.append(["甲", "1", "2"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert read_plan_file(path).rows[0].name == "甲"  # the first sheet with a header row
    with pytest.raises(PlanTableError, match="没有工作表“附表”"):
        read_plan_file(path, sheet="附表")
    with pytest.raises(PlanTableError, match="工作表“封面”找不到表头行"):
        read_plan_file(path, sheet="封面")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(PlanTableError, match="不是有效的 xlsx"):
        read_plan_file(broken)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(PlanTableError, match=r"另存为 \.xlsx"):
        read_plan_file(old)
    with pytest.raises(PlanTableError, match="无法读取文件"):
        read_plan_file(tmp_path / "missing.txt")


def test_text_files_in_the_encodings_windows_writes(tmp_path):
    text = "指标\t2020年\t2025年\n人均预期寿命（岁）\t80.11\t80.15以上\n"
    for name, data in (
        ("utf8.txt", text.encode("utf-8")),
        ("bom.txt", text.encode("utf-8-sig")),
        ("unicode.txt", text.encode("utf-16")),
        ("ansi.txt", text.encode("gbk")),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        assert read_plan_file(path).rows[0].targets == ((2025, "80.15以上"),), name
    assert decode_text("指标".encode("gb18030")) == "指标"


def test_a_two_row_header_with_merged_target_cells():
    # 目标值 merged over the year columns, the years on the row below; the header repeats on the next page.
    text = (
        "领域\t指标\t基期值\t目标值\t\n"
        "\t\t2015年\t2020年\t2030年\n"
        "健康水平\t人均预期寿命（岁）\t77.1\t78.1\t81左右\n"
        "领域\t指标\t基期值\t目标值\t\n"
        "\t\t2015年\t2020年\t2030年\n"
        "\t婴儿死亡率（‰）\t3.14\t≦4\t3\n"
    )
    table = read_plan_text(text)
    assert table.baseline_year == 2015 and table.target_years == (2020, 2030)
    assert [(r.line, r.domain, r.name, r.baseline_raw, r.targets) for r in table.rows] == [
        (3, "健康水平", "人均预期寿命", "77.1", ((2020, "78.1"), (2030, "81左右"))),
        (6, "健康水平", "婴儿死亡率", "3.14", ((2020, "≦4"), (2030, "3"))),
    ]
    assert table.problems == ()
    # Without a 基期 word the first year is the baseline, as with a one-row header.
    plain = read_plan_text(
        "指标\t目标值\t\t\n\t2015年\t2020年\t2030年\n人均预期寿命（岁）\t77.1\t78.1\t81左右\n"
    )
    assert plain.baseline_year == 2015 and plain.rows[0].targets == ((2020, "78.1"), (2030, "81左右"))


@pytest.mark.parametrize("brk", ["\x0b", "\u2028", "\u2029"])
def test_line_breaks_inside_a_cell_of_every_kind_are_layout(brk):
    # Word copies a manual line break (Shift+Enter) as a vertical tab.
    table = read_plan_text(f"指标\t2020年\t2025年\n人均预期{brk}寿命（岁）\t80.11\t80.15以上\n")
    assert table.rows[0].name == "人均预期寿命" and table.rows[0].unit == "岁"


def test_a_two_row_header_in_a_workbook_with_merged_cells(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["指标", "基期值", "目标值", None])
    sheet.append([None, "2018年", "2022年", "2030年"])
    sheet.append(["婴儿死亡率（‰）", 4.01, 3.9, 3])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("C1:D1")
    path = tmp_path / "two_rows.xlsx"
    book.save(path)
    table = read_plan_file(path)
    assert table.baseline_year == 2018 and table.target_years == (2022, 2030)
    assert table.rows[0].targets == ((2022, "3.9"), (2030, "3")) and table.rows[0].line == 3


def test_a_broken_workbook_is_refused_in_chinese_only(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(PlanTableError) as info:
        read_plan_file(broken)
    assert "不是有效的 xlsx 工作簿" in info.value.message
    assert "zip" not in info.value.message.lower()  # openpyxl's English stays out of the clerk's message

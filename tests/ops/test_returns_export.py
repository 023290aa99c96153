"""Exported returns, read back: every workbook value equals the database, every PDF embeds its font and names
the return, the unit and the people who signed it."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from datetime import date

import openpyxl
import pytest
from sql_reads import indicator_value, resolved

from desktop.io.return_doc import rounded_value
from desktop.ops.returns import ReturnError, export_return, get_template, set_template_identity
from desktop.store import workflow
from desktop.store.db import atomic

COUNTY = "370725"
TODAY = date(2026, 11, 23)
RETURNS = [
    ("resources-annual", "2024"),
    ("screening-quarterly", "2024Q3"),
    ("plan-monitoring", "2024"),
    ("key-projects", "2024Q3"),
]
SIGNERS = ("王局长", "李统计", "张填表", "0536-6212345")


def body(path):
    """(worksheet, {栏号: column}, [(row number, {栏号: value})]) read with plain openpyxl."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    number_row = next(r for r in range(1, 40) if ws.cell(r, 1).value == "甲")
    numbers = {
        ws.cell(number_row, j).value: j for j in range(1, ws.max_column + 1) if ws.cell(number_row, j).value
    }
    rows = []
    for r in range(number_row + 1, ws.max_row + 1):
        first = ws.cell(r, 1).value
        if isinstance(first, str) and first.startswith("单位负责人"):
            break
        cells = {n: ws.cell(r, j).value for n, j in numbers.items()}
        if any(v is not None for v in cells.values()):
            rows.append((r, cells))
    return ws, numbers, rows


def close(a, b, decimals):
    if b is None:
        return a is None
    return a == rounded_value(b, decimals)


def test_resources_workbook_equals_the_database(demo, tmp_path):
    path = tmp_path / "resources.xlsx"
    result = export_return(
        demo, template_id="resources-annual", org_unit_code=COUNTY, period="2024", out_path=path
    )
    assert result.format == "xlsx" and result.rows == 26 and path.exists()
    template = get_template("resources-annual")
    ws, _numbers, rows = body(path)
    assert len(rows) == len(template.rows)
    values = {}
    for r, cells in rows:
        code = cells["乙"]
        assert ws.cell(r, 2).data_type == "s"
        row = template.row(code)
        if row.source.stored:
            current = resolved(demo, row.source.ref, COUNTY, "2024")
            last = resolved(demo, row.source.ref, COUNTY, "2023")
            assert cells["1"] == current and cells["2"] == last, code
            values[code] = (current, last)
            if last:
                assert close(cells["3"], (current - last) / last * 100, 1), code
    population = values["07"][0]
    row_08 = next(c for _r, c in rows if c["乙"] == "08")
    assert close(row_08["1"], values["03"][0] / population * 1000, 2)
    doctors = (values["04.1"][0] + values["04.2"][0]) / population * 1000
    row_09 = next(c for _r, c in rows if c["乙"] == "09")
    assert close(row_09["1"], doctors, 2) and row_09["丙"] == "人"


def test_screening_workbook_equals_the_database(demo, tmp_path):
    path = tmp_path / "screening.xlsx"
    export_return(
        demo, template_id="screening-quarterly", org_unit_code=COUNTY, period="2024Q3", out_path=path
    )
    template = get_template("screening-quarterly")
    ws, numbers, rows = body(path)
    assert ws.page_setup.orientation == "landscape"
    assert len(rows) == 9 and rows[0][1]["甲"] == "合计"
    for _r, cells in rows:
        unit = cells["乙"]
        for column in template.columns:
            if column.kind != "value":
                continue
            value = cells[column.number]
            period = "2024" if column.period == "year" else "2024Q3"
            if column.source.stored:
                assert value == resolved(demo, column.source.ref, unit, period), (unit, column.key)
            else:  # a rate over two other columns of the same row
                a, b = (template.column(k) for k in column.source.depends_on)
                expected = resolved(demo, a.source.ref, unit, period) / resolved(
                    demo, b.source.ref, unit, period
                )
                assert close(value, expected * 100, 2), (unit, column.key)
    assert numbers["18"] == 20


def test_plan_workbook_equals_the_database(demo, tmp_path):
    path = tmp_path / "plan.xlsx"
    export_return(demo, template_id="plan-monitoring", org_unit_code=COUNTY, period="2024", out_path=path)
    _ws, _numbers, rows = body(path)
    plan_rows = demo.execute(
        """SELECT p.seq, p.name_as_written, p.baseline_raw, i.code, i.decimals,
                  (SELECT raw FROM target t WHERE t.plan_indicator_id = p.id AND t.year = 2025)
           FROM plan_indicator p JOIN indicator i ON i.id = p.indicator_id JOIN plan ON plan.id = p.plan_id
           WHERE plan.code = 'changle-14th-fyp' ORDER BY p.sort_order, p.id"""
    ).fetchall()
    assert len(rows) == len(plan_rows) == 33
    for (_r, cells), (seq, name, baseline, code, decimals, target) in zip(rows, plan_rows, strict=True):
        assert (cells["甲"], cells["丙"], cells["己"] or "", cells["庚"]) == (
            seq,
            name,
            baseline or "",
            target,
        )
        latest = indicator_value(demo, code, COUNTY, "2024")
        if latest is not None:
            assert cells["2"] == 2024 and close(cells["1"], latest, decimals), name
        elif cells["1"] is not None:  # an older year's value: the newest one before 2024
            assert cells["2"] < 2024


def test_project_workbook_equals_the_database_and_keeps_formula_text(demo, tmp_path):
    with atomic(demo):
        demo.execute(
            "UPDATE project SET name = '=1+1 测试项目', note = '@备注' WHERE name = '乔官中心卫生院整体搬迁项目'"
        )
    path = tmp_path / "projects.xlsx"
    export_return(
        demo, template_id="key-projects", org_unit_code=COUNTY, period="2024Q3", out_path=path, today=TODAY
    )
    ws, _numbers, rows = body(path)
    by_name = {c["乙"]: (r, c) for r, c in rows}
    for name, planned_start, planned_finish, investment in demo.execute(
        "SELECT name, planned_start, planned_finish, planned_investment FROM project WHERE planned_finish IS NOT NULL"
    ):
        _r, cells = by_name[name]
        assert (cells["2"], cells["4"]) == (planned_start, planned_finish)
        assert cells["1"] == (None if investment is None else rounded_value(investment, 0))
    r, cells = by_name["=1+1 测试项目"]
    assert ws.cell(r, 2).data_type == "s" and ws.cell(r, 2).value == "=1+1 测试项目"
    assert cells["3"] in ("", None)  # not started by the end of Q3


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize(("template_id", "period"), RETURNS)
def test_pdf_embeds_font_and_names_return_unit_and_signers(demo, tmp_path, template_id, period):
    template = get_template(template_id)
    if template.data_set:
        data_set = demo.execute("SELECT id FROM data_set WHERE code = ?", (template.data_set,)).fetchone()[0]
        with atomic(demo):
            workflow.save_return_state(
                demo,
                workflow.ReturnState(
                    data_set_id=data_set, org_unit_id=1, period=period, state="approved",
                    submitted_by="张填表", submitted_at="2025-01-10 09:00:00",
                    reviewed_by="李统计", reviewed_at="2025-01-12 10:00:00",
                    approved_by="王局长", approved_at="2025-01-15 16:30:00", contact_phone="0536-6212345",
                ),
            )  # fmt: skip
    path = tmp_path / f"{template_id}.pdf"
    result = export_return(
        demo, template_id=template_id, org_unit_code=COUNTY, period=period, out_path=path, today=TODAY
    )
    assert result.format == "pdf" and result.missing_chars == ()
    data = path.read_bytes()
    assert b"/FontFile2" in data
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert template.identity.table_no in text and "昌乐县" in text
    assert "单位负责人" in text and "报出日期" in text
    if template.data_set:
        for name in SIGNERS:
            assert name in text, name
        assert "2025年1月15日" in text


def test_expired_template_still_exports_with_a_warning(demo, tmp_path):
    set_template_identity(demo, get_template("resources-annual"), {"valid_until": "2024-12"})
    path = tmp_path / "old.xlsx"
    result = export_return(
        demo, template_id="resources-annual", org_unit_code=COUNTY, period="2024", out_path=path, today=TODAY
    )
    assert path.exists() and any("已过期" in w for w in result.warnings)
    ws = openpyxl.load_workbook(path).active
    assert any(c.value == "有效期至：2024年12月" for row in ws.iter_rows() for c in row)


def test_bad_targets_are_refused_and_leave_no_file(demo, tmp_path):
    with pytest.raises(ReturnError, match=r"\.xlsx 或 \.pdf"):
        export_return(
            demo,
            template_id="resources-annual",
            org_unit_code=COUNTY,
            period="2024",
            out_path=tmp_path / "a.doc",
        )
    with pytest.raises(ReturnError, match="不存在"):
        export_return(
            demo,
            template_id="resources-annual",
            org_unit_code=COUNTY,
            period="2024",
            out_path=tmp_path / "no" / "a.xlsx",
        )
    export_return(
        demo,
        template_id="resources-annual",
        org_unit_code=COUNTY,
        period="2024",
        out_path=tmp_path / "ok.pdf",
    )
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".pdf")) == ["ok.pdf"]


def test_generated_checks_are_printed_in_words(demo, tmp_path):
    """A facility that files the county form leaves rows empty: the 审核说明 sheet says 必填项（第 01 行）,
    never the program's internal REQUIRED:01."""
    path = tmp_path / "facility.xlsx"
    result = export_return(
        demo, template_id="resources-annual", org_unit_code="370725101-01", period="2024", out_path=path
    )
    assert any("通常不填报" in w for w in result.warnings)
    checks = openpyxl.load_workbook(path)["审核说明"]
    rules = [checks.cell(r, 2).value for r in range(5, checks.max_row + 1) if checks.cell(r, 2).value]
    assert "必填项（第 01 行）" in rules and not any("REQUIRED" in r for r in rules)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_exported_file_is_an_ordinary_readable_document(demo, tmp_path):
    path = tmp_path / "return.pdf"
    export_return(demo, template_id="resources-annual", org_unit_code="370725", period="2024", out_path=path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # not the temporary file's private 0600


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_checks_heading_is_never_left_alone_at_a_page_end(demo, tmp_path):
    """A facility's export of the county form fills page 1 down to where only the heading 审核错误说明 would
    fit; it goes to page 2 with its table instead of ending page 1 on its own."""
    path = tmp_path / "facility.pdf"
    export_return(
        demo, template_id="resources-annual", org_unit_code="370725101-01", period="2024", out_path=path
    )
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = pages.split("\f")
    heading = next(i for i, page in enumerate(pages) if "审核错误说明：" in page)
    assert "（未填写）" in pages[heading] and "必填" in pages[heading]


def test_a_name_the_font_lacks_is_marked_and_warned_not_a_crash(demo, tmp_path, monkeypatch):
    import desktop.io.pdf_return as pdf_return

    monkeypatch.setattr(pdf_return, "fallback_font_paths", lambda: [])  # a PC without SimSun-ExtB
    with atomic(demo):
        demo.execute("UPDATE org_unit SET name = '𠮷家庄镇' WHERE code = '370725101'")
    pdf = tmp_path / "rare.pdf"
    result = export_return(demo, template_id="resources-annual", org_unit_code="370725101", period="2024",
                           out_path=pdf)  # fmt: skip
    assert result.missing_chars == ("𠮷",) and pdf.exists()
    assert any("字体中缺少 1 个字符（𠮷）" in w and "〓" in w for w in result.warnings)
    xlsx = tmp_path / "rare.xlsx"
    result = export_return(demo, template_id="resources-annual", org_unit_code="370725101", period="2024",
                           out_path=xlsx)  # fmt: skip
    assert result.missing_chars == ()  # the spreadsheet keeps the real character
    ws = openpyxl.load_workbook(xlsx).active
    assert any(c.value == "单位名称（盖章）：𠮷家庄镇" for row in ws.iter_rows() for c in row)

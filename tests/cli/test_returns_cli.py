"""`healthdesk export` and `healthdesk import-return` as a clerk runs them: files, messages, exit codes."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest

from desktop.__main__ import main
from desktop.store.db import connect


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-returns") / "demo.sqlite"
    assert main(["init", "--db", str(path), "--demo"]) == 0
    return path


@pytest.fixture
def demo_db(demo_file, tmp_path):
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_file, path)
    return path


def _value(db, code="BEDS_ACTUAL", unit="370725", period="2024"):
    conn = connect(db)
    try:
        return conn.execute(
            """SELECT v.value FROM data_value v JOIN data_element e ON e.id = v.element_id
               JOIN org_unit o ON o.id = v.org_unit_id WHERE e.code = ? AND o.code = ? AND v.period = ?""",
            (code, unit, period),
        ).fetchone()[0]
    finally:
        conn.close()


def test_export_lists_templates_and_writes_both_formats(demo_db, tmp_path, capsys):
    assert main(["export"]) == 0
    listing = capsys.readouterr().out
    assert "resources-annual" in listing and "鲁卫健统县1表" in listing
    for suffix in ("xlsx", "pdf"):
        out = tmp_path / f"return.{suffix}"
        args = ["export", "--db", str(demo_db), "--template", "resources-annual", "--org", "370725"]
        assert main([*args, "--period", "2024", "--out", str(out), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["format"] == suffix and data["rows"] == 26 and out.exists()


def test_export_errors_are_chinese_and_exit_2(demo_db, tmp_path, capsys):
    base = ["export", "--db", str(demo_db), "--template", "resources-annual", "--org", "370725"]
    assert main([*base, "--period", "2024"]) == 2
    assert "缺少 --out" in capsys.readouterr().err
    assert main([*base, "--period", "2024Q1", "--out", str(tmp_path / "a.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "报告期" in err and "Traceback" not in err
    assert main(["export", "--db", str(demo_db), "--template", "nope", "--org", "1", "--period", "2024",
                 "--out", str(tmp_path / "a.xlsx")]) == 2  # fmt: skip
    assert "找不到报表模板“nope”" in capsys.readouterr().err


def test_expired_template_warns_on_stderr_and_still_exports(demo_db, tmp_path, capsys):
    conn = connect(demo_db)
    conn.execute(
        "INSERT INTO setting (key, value) VALUES ('template.resources-annual.valid_until', '2020-12')"
    )
    conn.close()
    out = tmp_path / "old.pdf"
    args = [
        "export",
        "--db",
        str(demo_db),
        "--template",
        "resources-annual",
        "--org",
        "370725",
        "--period",
        "2024",
    ]
    assert main([*args, "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert out.exists() and "已导出" in captured.out
    assert "警告" in captured.err and "已过期" in captured.err and "2020年12月" in captured.err


def test_import_return_previews_then_applies(demo_db, tmp_path, capsys):
    out = tmp_path / "return.xlsx"
    args = [
        "export",
        "--db",
        str(demo_db),
        "--template",
        "resources-annual",
        "--org",
        "370725",
        "--period",
        "2024",
    ]
    assert main([*args, "--out", str(out)]) == 0
    old = _value(demo_db)
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "03")
    ws.cell(row, 4).value = old + 9
    wb.save(out)
    capsys.readouterr()

    assert main(["import-return", "--db", str(demo_db), str(out)]) == 0
    preview = capsys.readouterr().out
    assert "将修改 1 个数值" in preview and f"{old + 9}" in preview and "未写入数据库" in preview
    assert _value(demo_db) == old

    assert main(["import-return", "--db", str(demo_db), str(out), "--apply", "--user", "张填表"]) == 0
    assert "已写入 1 个数值" in capsys.readouterr().out
    assert _value(demo_db) == old + 9


def test_bad_workbook_exits_2_naming_the_cell(demo_db, tmp_path, capsys):
    out = tmp_path / "return.xlsx"
    args = [
        "export",
        "--db",
        str(demo_db),
        "--template",
        "resources-annual",
        "--org",
        "370725",
        "--period",
        "2024",
    ]
    assert main([*args, "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "03")
    ws.cell(row, 4).value = "很多"
    wb.save(out)
    capsys.readouterr()
    old = _value(demo_db)
    assert main(["import-return", "--db", str(demo_db), str(out), "--apply"]) == 2
    err = capsys.readouterr().err
    assert "未写入任何数据" in err and f"单元格 D{row}" in err and "很多" in err
    assert _value(demo_db) == old

"""`healthdesk export` and `healthdesk import-return` as a clerk runs them: files, messages, exit codes."""

from __future__ import annotations

import json

import openpyxl
from sql_reads import stored

from desktop.__main__ import main
from desktop.store.db import connect


def _value(db, code="BEDS_ACTUAL", unit="370725", period="2024"):
    conn = connect(db)
    try:
        value = stored(conn, code, unit, period)
    finally:
        conn.close()
    assert value is not None, (code, unit, period)
    return value


def _export_2024(db) -> list[str]:
    """`healthdesk export` of the county's 2024 resources return (add --out)."""
    return [
        "export",
        "--db",
        str(db),
        "--template",
        "resources-annual",
        "--org",
        "370725",
        "--period",
        "2024",
    ]


def _type_beds(path, value) -> int:
    """Overwrite row 03's 本年 cell (column D) of an exported workbook as a clerk would; returns its row."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "03")
    ws.cell(row, 4).value = value
    wb.save(path)
    return row


def test_export_lists_templates_and_writes_both_formats(demo_path, tmp_path, capsys):
    assert main(["export"]) == 0
    listing = capsys.readouterr().out
    assert "resources-annual" in listing and "鲁卫健统县1表" in listing
    for suffix in ("xlsx", "pdf"):
        out = tmp_path / f"return.{suffix}"
        args = ["export", "--db", str(demo_path), "--template", "resources-annual", "--org", "370725"]
        assert main([*args, "--period", "2024", "--out", str(out), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["format"] == suffix and data["rows"] == 26 and out.exists()


def test_export_errors_are_chinese_and_exit_2(demo_path, tmp_path, capsys):
    base = ["export", "--db", str(demo_path), "--template", "resources-annual", "--org", "370725"]
    assert main([*base, "--period", "2024"]) == 2
    assert "缺少 --out" in capsys.readouterr().err
    assert main([*base, "--period", "2024Q1", "--out", str(tmp_path / "a.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "报告期" in err and "Traceback" not in err
    assert main(["export", "--db", str(demo_path), "--template", "nope", "--org", "1", "--period", "2024",
                 "--out", str(tmp_path / "a.xlsx")]) == 2  # fmt: skip
    assert "找不到报表模板“nope”" in capsys.readouterr().err


def test_expired_template_warns_on_stderr_and_still_exports(demo_path, tmp_path, capsys):
    conn = connect(demo_path)
    conn.execute(
        "INSERT INTO setting (key, value) VALUES ('template.resources-annual.valid_until', '2020-12')"
    )
    conn.close()
    out = tmp_path / "old.pdf"
    assert main([*_export_2024(demo_path), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert out.exists() and "已导出" in captured.out
    assert "警告" in captured.err and "已过期" in captured.err and "2020年12月" in captured.err


def test_import_return_previews_then_applies(demo_path, tmp_path, capsys):
    out = tmp_path / "return.xlsx"
    assert main([*_export_2024(demo_path), "--out", str(out)]) == 0
    old = _value(demo_path)
    _type_beds(out, old + 9)
    capsys.readouterr()

    assert main(["import-return", "--db", str(demo_path), str(out)]) == 0
    preview = capsys.readouterr().out
    assert "将修改 1 个数值" in preview and f"{old + 9}" in preview and "未写入数据库" in preview
    assert _value(demo_path) == old

    assert main(["import-return", "--db", str(demo_path), str(out), "--apply", "--user", "张填表"]) == 0
    assert "已写入 1 个数值" in capsys.readouterr().out
    assert _value(demo_path) == old + 9


def test_bad_workbook_exits_2_naming_the_cell(demo_path, tmp_path, capsys):
    out = tmp_path / "return.xlsx"
    assert main([*_export_2024(demo_path), "--out", str(out)]) == 0
    row = _type_beds(out, "很多")
    capsys.readouterr()
    old = _value(demo_path)
    assert main(["import-return", "--db", str(demo_path), str(out), "--apply"]) == 2
    err = capsys.readouterr().err
    assert "未写入任何数据" in err and f"单元格 D{row}" in err and "很多" in err
    assert _value(demo_path) == old


def test_listing_marks_expired_templates_and_names_a_broken_file(demo_path, tmp_path, capsys, monkeypatch):
    import shutil

    from desktop.core import paths

    folder = tmp_path / "report_templates"
    shutil.copytree(paths.templates_dir(), folder)
    broken = (folder / "plan-monitoring.toml").read_text(encoding="utf-8").replace('title = "', "title = ", 1)
    (folder / "plan-monitoring.toml").write_text(broken, encoding="utf-8")
    monkeypatch.setattr(paths, "templates_dir", lambda: folder)
    conn = connect(demo_path)
    conn.execute(
        "INSERT INTO setting (key, value) VALUES ('template.resources-annual.table_no', '鲁卫健统县1表（2025版）')"
    )
    conn.execute(
        "INSERT INTO setting (key, value) VALUES ('template.resources-annual.valid_until', '2020-12')"
    )
    conn.close()
    assert main(["export", "--db", str(demo_path)]) == 0
    captured = capsys.readouterr()
    assert "鲁卫健统县1表（2025版）" in captured.out and "2020年12月（已过期）" in captured.out
    assert "key-projects" in captured.out and "plan-monitoring" not in captured.out
    assert "警告" in captured.err and "plan-monitoring.toml" in captured.err
    out = tmp_path / "still.xlsx"
    assert main([*_export_2024(demo_path), "--out", str(out)]) == 0 and out.exists()


def test_import_return_records_the_name_set_in_the_program(demo_path, tmp_path, capsys, monkeypatch):
    from desktop.ops.users import set_current_user

    monkeypatch.delenv("HEALTHDESK_USER", raising=False)
    conn = connect(demo_path)
    set_current_user(conn, "王秀英")  # 设置 → 当前用户姓名, as the window stores it
    conn.close()
    out = tmp_path / "return.xlsx"
    assert main([*_export_2024(demo_path), "--out", str(out)]) == 0
    _type_beds(out, _value(demo_path) + 1)
    capsys.readouterr()
    assert main(["import-return", "--db", str(demo_path), str(out), "--apply"]) == 0
    assert "操作人：王秀英" in capsys.readouterr().out
    conn = connect(demo_path)
    last = conn.execute("SELECT changed_by FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    conn.close()
    assert last == "王秀英"

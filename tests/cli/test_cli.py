"""The command line as a user runs it: exit codes, JSON shapes, Chinese messages, no tracebacks."""

from __future__ import annotations

import json

import pytest

from desktop.__main__ import main


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    # Built by `healthdesk init --demo` rather than taken from the shared demo_template: it tests that command.
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    assert main(["init", "--db", str(path), "--demo"]) == 0
    return path


def test_targets_parse_prints_one_json_object(capsys):
    assert main(["targets", "parse", "力争每年降低1个百分点"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "annual_change" and data["value"] == -1 and data["change"] == "points"
    assert data["hedge"] is True and data["raw"] == "力争每年降低1个百分点"
    assert set(data) == {
        "raw",
        "kind",
        "value",
        "value_max",
        "base_year",
        "change",
        "direction",
        "strict",
        "hedge",
        "ambiguous",
        "note",
    }


@pytest.mark.parametrize("text", ["", "   "])
def test_targets_parse_refuses_empty_input(capsys, text):
    assert main(["targets", "parse", text]) == 2
    captured = capsys.readouterr()
    assert "目标原文为空" in captured.err and captured.out == ""


def test_init_reports_and_is_idempotent(demo_db, capsys):
    assert main(["init", "--db", str(demo_db), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["created"] is False and data["plans_loaded"] == [] and data["demo"] is None


def test_plans_list_and_show(demo_db, capsys):
    assert main(["plans", "list", "--db", str(demo_db), "--json"]) == 0
    plans = json.loads(capsys.readouterr().out)
    assert {p["code"] for p in plans} == {"liaocheng-2030", "changle-14th-fyp", "liaocheng-healthy-action"}
    county = next(p for p in plans if p["code"] == "changle-14th-fyp")
    assert county["indicator_count"] == 33

    assert main(["plans", "show", "changle-14th-fyp", "--db", str(demo_db), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    first = shown["indicators"][0]
    assert first["name_as_written"] == "人均预期寿命"
    assert first["targets"][0]["raw"] == "80.15以上" and first["targets"][0]["kind"] == "at_least"

    assert main(["plans", "show", "1", "--db", str(demo_db)]) == 0
    table = capsys.readouterr().out
    assert "80.15以上" in table and "不低于" in table


def test_unknown_plan_and_missing_file_are_clear_errors(demo_db, tmp_path, capsys):
    assert main(["plans", "show", "nope", "--db", str(demo_db)]) == 2
    assert "找不到规划“nope”" in capsys.readouterr().err
    assert main(["plans", "list", "--db", str(tmp_path / "missing.sqlite")]) == 2
    assert "找不到数据库文件" in capsys.readouterr().err
    assert not (tmp_path / "missing.sqlite").exists()


def test_foreign_file_is_refused_without_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("hello", encoding="utf-8")
    assert main(["plans", "list", "--db", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "不是数据库文件" in err and "Traceback" not in err


def test_default_database_is_created_with_the_demo(capsys, _isolated_home):
    assert main(["plans", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    assert (_isolated_home / "healthdesk.sqlite").exists()


def _damaged_copy(demo_db, tmp_path):
    data = demo_db.read_bytes()
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(data[: len(data) // 3])
    return path


@pytest.mark.parametrize("kind", ["empty", "truncated", "newer", "other-program", "folder-is-a-file"])
def test_every_refused_file_exits_2_in_chinese(kind, demo_db, tmp_path, capsys):
    import sqlite3

    if kind == "empty":
        path = tmp_path / "empty.sqlite"
        path.write_bytes(b"")
        expected = "空文件"
    elif kind == "truncated":
        path = _damaged_copy(demo_db, tmp_path)
        expected = "文件内容已损坏"
    elif kind == "newer":
        path = tmp_path / "newer.sqlite"
        path.write_bytes(demo_db.read_bytes())
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 999")
        conn.close()
        expected = "更新版本"
    elif kind == "other-program":
        path = tmp_path / "other.sqlite"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (a)")
        conn.close()
        expected = "其他程序"
    else:
        blocker = tmp_path / "a-file"
        blocker.write_text("x", encoding="utf-8")
        path = blocker / "new.sqlite"
        expected = "无法创建数据库所在的文件夹"
    before = path.read_bytes() if path.exists() else None
    command = (
        ["init", "--db", str(path)] if kind == "folder-is-a-file" else ["plans", "list", "--db", str(path)]
    )
    assert main(command) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    if before is not None:
        assert path.read_bytes() == before


def test_a_damaged_file_names_the_backup_folder(demo_db, tmp_path, capsys):
    path = _damaged_copy(demo_db, tmp_path)
    assert main(["plans", "list", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "可以从备份恢复" in err and str(tmp_path / "backups") in err


def test_an_unwritable_data_folder_is_a_clear_error(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("HEALTHDESK_HOME", str(blocker / "home"))
    assert main(["plans", "list"]) == 2
    err = capsys.readouterr().err
    assert "无法创建数据库所在的文件夹" in err and "Traceback" not in err


def test_an_unexpected_error_with_no_log_folder_still_prints_one_line(tmp_path, monkeypatch, capsys):
    import logging

    from desktop.cli import targets_cmd

    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("HEALTHDESK_HOME", str(blocker / "home"))
    monkeypatch.setattr(logging.getLogger(), "handlers", [])

    def boom(_args):
        raise RuntimeError("内部错误")

    monkeypatch.setattr(targets_cmd, "run", boom)
    assert main(["targets", "parse", "≦4"]) == 1
    err = capsys.readouterr().err
    assert "出现意外错误" in err and "日志文件无法写入" in err and "Traceback" not in err


def test_a_windowed_bundle_without_stdout_does_not_crash(monkeypatch):
    # CountyHealthDesk.exe is built with console=False: Python starts with sys.stdout/sys.stderr = None, and a
    # subcommand used to raise on its first line of output (PyInstaller then shows a traceback dialog).
    import sys

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    try:
        assert main(["targets", "parse", "≦4"]) == 0
        assert main(["targets", "parse", ""]) == 2
        assert sys.stdout is not None and sys.stderr is not None
    finally:
        opened = {sys.stdout, sys.stderr} - {None}
        monkeypatch.undo()
        for stream in opened:
            stream.close()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["progress", "--plan", "1", "--year", "abc"], "参数 --year：值 'abc' 无效"),
        (["plans"], "缺少必需的参数：操作"),
        (["init", "--db"], "参数 --db：后面需要一个值"),
        (["export", "--bogus"], "无法识别的参数：--bogus"),
        (["plan", "list"], "无效的选择 'plan'"),  # a mistyped subcommand, not a window opening
    ],
)
def test_argument_errors_are_chinese(argv, expected, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and err.startswith("用法：")
    assert "usage:" not in err and "error:" not in err


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["plans", "show", "-h"])
    out = capsys.readouterr().out
    assert "位置参数" in out and "显示本帮助并退出" in out and "show this help" not in out


def test_the_window_still_takes_a_file_path_and_flags():
    from desktop.__main__ import wants_command_line

    assert not wants_command_line([])
    assert not wants_command_line(["--db", "D:\\数据\\healthdesk.sqlite"])
    assert not wants_command_line(["healthdesk.sqlite"])
    assert not wants_command_line(["--quit-after-shown", "--t0", "1.5"])
    assert wants_command_line(["plan"]) and wants_command_line(["plans", "list"])

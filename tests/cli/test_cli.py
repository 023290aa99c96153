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

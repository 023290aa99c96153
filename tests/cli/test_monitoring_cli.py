"""`healthdesk progress` and `healthdesk plans import-table`: output, JSON, exit codes, nothing half-written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from desktop.__main__ import main

TABLES = Path(__file__).resolve().parents[1] / "data" / "plan_tables"


def _plan_count(path: Path) -> int:
    from desktop.store.db import connect

    conn = connect(path)
    try:
        return conn.execute("SELECT count(*) FROM plan").fetchone()[0]
    finally:
        conn.close()


def test_progress_prints_every_indicator_with_status_and_reason(demo_path, capsys):
    capsys.readouterr()
    assert main(["progress", "--db", str(demo_path), "--plan", "changle-14th-fyp", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("昌乐县“十四五”卫生与健康规划 — 昌乐县 — 2024年")
    assert "33 项指标：" in out
    line = next(x for x in out.splitlines() if x.startswith("19 "))
    for part in (
        "每千人口执业（助理）医师数",
        "2025年：2.8",
        "≥ 2.8 人",
        "2.79（2024年）",
        "需加快",
        "为所需进度的 82%",
    ):
        assert part in line


def test_progress_json_for_a_township(demo_path, capsys):
    capsys.readouterr()
    code = main(["progress", "--db", str(demo_path), "--plan", "1", "--org", "370725104", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unit"]["name"] == "鄌郚镇" and data["year"] == 2024  # the latest year with data
    row = data["indicators"][9]
    assert row["name"] == "高血压患者规范管理率" and row["baseline"]["source"] == "data"
    assert row["milestones"][0]["raw"] == "≥80" and row["milestones"][0]["threshold"] == 80
    assert set(data["counts"]) == {
        "achieved", "on_track", "needs_acceleration", "off_track", "deteriorating", "no_data", "cannot_judge"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "nope"], "找不到规划“nope”"),
        (["--plan", "1", "--org", "999"], "找不到机构代码“999”"),
        (["--plan", "1", "--year", "24"], "年份“24”不对"),
    ],
)
def test_progress_refuses_bad_input(demo_path, capsys, args, message):
    capsys.readouterr()
    assert main(["progress", "--db", str(demo_path), *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_progress_as_dict_is_plain_json(demo):
    # Moved here from tests/ops with progress_as_dict, which only the command line uses.
    from desktop.cli.progress_cmd import progress_as_dict
    from desktop.ops.monitoring import evaluate_plan
    from desktop.store import plans

    plan = plans.get_plan_by_code(demo, "liaocheng-2030")
    data = progress_as_dict(evaluate_plan(demo, plan.id, 2024))
    text = json.dumps(data, ensure_ascii=False)
    assert data["counts"]["achieved"] >= 1 and len(data["indicators"]) == 20
    first = data["indicators"][0]
    assert [m["year"] for m in first["milestones"]] == [2020, 2030] and "81左右" in text


def test_import_table_dry_run_shows_readings_and_stores_nothing(demo_path, capsys):
    capsys.readouterr()
    path = TABLES / "liaocheng-2030.tsv"
    assert main(["plans", "import-table", str(path), "--db", str(demo_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "基期（2015年）" in out and "2030年" in out
    assert "比2015年降低10 → 较基期？" in out  # ambiguous readings are marked
    assert "（试运行）共 20 行，20 行对应已有指标；未保存。" in out
    assert _plan_count(demo_path) == 3


def test_import_table_saves_and_reports_json(demo_path, capsys):
    capsys.readouterr()
    path = TABLES / "liaocheng-healthy-action.xlsx"
    args = [
        "plans",
        "import-table",
        str(path),
        "--db",
        str(demo_path),
        "--title",
        "健康聊城行动",
        "--baseline-year",
        "2018",
    ]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["saved"]["rows"] == 31 and data["saved"]["targets"] == 62
    assert data["baseline_year"] == 2018 and data["target_years"] == [2022, 2030]
    assert data["rows"][0]["name"] == "人均预期寿命" and data["rows"][0]["unit"] == "岁"
    assert data["rows"][0]["targets"]["2030"]["reading"]["kind"] == "approx"
    assert _plan_count(demo_path) == 4
    assert main(["plans", "show", data["saved"]["plan_code"], "--db", str(demo_path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["title"] == "健康聊城行动" and len(shown["indicators"]) == 31


def test_import_table_from_stdin(demo_path, capsys, monkeypatch):
    capsys.readouterr()
    monkeypatch.setattr(
        "sys.stdin", io.StringIO((TABLES / "changle-14th-fyp.tsv").read_text(encoding="utf-8"))
    )
    assert main(["plans", "import-table", "-", "--db", str(demo_path), "--title", "粘贴的规划"]) == 0
    assert "已保存为规划 4" in capsys.readouterr().out


def test_import_table_refuses_unreadable_cells_unless_forced(demo_path, capsys, tmp_path):
    path = tmp_path / "table.txt"
    path.write_text(
        "指标\t2020年\t2025年\n人均预期寿命（岁）\t80\t约八十一\n婴儿死亡率（‰）\t3\t≦4\n", encoding="gbk"
    )
    capsys.readouterr()
    assert main(["plans", "import-table", str(path), "--db", str(demo_path), "--title", "甲"]) == 2
    err = capsys.readouterr().err
    assert "有 1 个单元格无法识别，未保存" in err and "第 2 行“人均预期寿命”2025年目标“约八十一”" in err
    assert _plan_count(demo_path) == 3
    assert main(["plans", "import-table", str(path), "--db", str(demo_path), "--title", "甲", "--force"]) == 0
    assert _plan_count(demo_path) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{table}"], "请用 --title 给出新规划的名称"),
        (["{missing}", "--title", "甲"], "找不到文件"),
        (["{bad}", "--title", "甲"], "找不到表头行"),
    ],
)
def test_import_table_refuses_bad_input(demo_path, capsys, tmp_path, args, message):
    bad = tmp_path / "bad.txt"
    bad.write_text("甲\t乙\n1\t2\n", encoding="utf-8")
    names = {
        "table": str(TABLES / "changle-14th-fyp.tsv"),
        "missing": str(tmp_path / "none.xlsx"),
        "bad": str(bad),
    }
    capsys.readouterr()
    assert main(["plans", "import-table", *[a.format(**names) for a in args], "--db", str(demo_path)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert _plan_count(demo_path) == 3


# Copied from Excel: quoted cells holding line breaks and doubled quotes, a trailing empty column, CRLF lines,
# a 基期水平 column without a year, one row nobody knows.
EXCEL_PASTE = "\r\n".join(
    [
        "领域\t指标\t基期水平\t2025年\t",
        '"健康\n水平"\t"人均预期寿命\n（岁）"\t80.11\t80.15以上\t',
        '\t"婴儿死亡率（‰）"\t-\t3.3以下\t',
        '健康服务\t"乡村医生""合格""率（%）"\t—\t≥90\t',
    ]
)


def test_import_table_reads_an_excel_paste_and_says_what_is_blank(demo_path, capsys, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text(EXCEL_PASTE + "\r\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["plans", "import-table", str(path), "--db", str(demo_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[2]: line for line in out.splitlines()[2:] if len(line.split()) > 3}
    assert "LIFE_EXPECTANCY" in lines["人均预期寿命"] and "80.15以上 → 不低于" in lines["人均预期寿命"]
    assert "健康水平" in out and "IMR" in lines["婴儿死亡率"]
    assert "- → 无基期值" in lines["婴儿死亡率"] and "- → 基期值" not in out
    assert "（新建）" in lines['乡村医生"合格"率'] and "— → 无基期值" in lines['乡村医生"合格"率']
    assert "注意" not in out  # the empty trailing column is no problem worth a word
    assert "（试运行）共 3 行，2 行对应已有指标；未保存。" in out


def test_import_table_refuses_a_two_digit_baseline_year(demo_path, capsys, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text(EXCEL_PASTE, encoding="utf-8")
    capsys.readouterr()
    args = ["plans", "import-table", str(path), "--db", str(demo_path), "--title", "甲"]
    assert main([*args, "--baseline-year", "20"]) == 2
    err = capsys.readouterr().err
    assert "基期年份“20”不对" in err and "Traceback" not in err
    assert _plan_count(demo_path) == 3

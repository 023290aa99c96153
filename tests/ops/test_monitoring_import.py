"""Importing a plan from a pasted indicator table: every seed table, as TSV and as xlsx, reads with no
unreadable cell and every reading equal to the foundation parser's; nothing is stored before confirming, and
then all in one transaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.targets import parse_target
from desktop.io.plan_table import read_plan_file, read_plan_text
from desktop.ops.monitoring import evaluate_plan
from desktop.ops.plan_import import (
    PlanImportError,
    guess_direction,
    import_plan_table,
    preview_plan_table,
    read_target,
)
from desktop.ops.plan_library import load_plan_library
from desktop.store import indicators, plans

ROOT = Path(__file__).resolve().parents[2]
TABLES = ROOT / "tests" / "data" / "plan_tables"
CODES = ("changle-14th-fyp", "liaocheng-2030", "liaocheng-healthy-action")
_FIELDS = (
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
)


def _seed(code: str) -> dict:
    return json.loads((ROOT / "db" / "seed" / "plans" / f"{code}.json").read_text(encoding="utf-8"))


@pytest.fixture
def library(db):
    load_plan_library(db)
    return db


def _counts(conn) -> tuple[int, ...]:
    return tuple(
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("plan", "plan_indicator", "target", "indicator", "indicator_alias")
    )


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("ext", ["tsv", "xlsx"])
def test_seed_tables_read_like_the_foundation_parser(library, code, ext):
    seed = _seed(code)
    table = read_plan_file(TABLES / f"{code}.{ext}", baseline_year=seed["plan"]["baseline_year"])
    preview = preview_plan_table(library, table)
    assert preview.unreadable_cells == []
    library_rows = plans.list_plan_indicators(library, plans.get_plan_by_code(library, code).id)
    for prow, expected, stored in zip(preview.rows, seed["indicators"], library_rows, strict=True):
        years = [c.year for c in prow.targets]
        assert years == sorted(int(y) for y in expected["targets"])
        for cell in prow.targets:
            raw = expected["targets"][str(cell.year)]
            assert cell.reading == parse_target(raw, expected.get("unit")), (prow.row.name, raw)
            # …and equal to what the plan library stored from the same cell (tested in tests/core).
            target = next(t for t in stored.targets if t.year == cell.year)
            assert {k: getattr(target, k) for k in _FIELDS} == {k: getattr(cell.reading, k) for k in _FIELDS}
        assert prow.baseline is not None and prow.baseline.reading.value == stored.baseline_value
        assert prow.match is not None and prow.match.code == expected["indicator_code"], prow.row.name


def test_preview_writes_nothing(library):
    before = _counts(library)
    preview_plan_table(library, read_plan_file(TABLES / "changle-14th-fyp.tsv"))
    assert _counts(library) == before


def test_import_stores_the_plan_in_one_go(library):
    before = _counts(library)
    table = read_plan_file(TABLES / "liaocheng-healthy-action.xlsx", baseline_year=2018)
    preview = preview_plan_table(library, table)
    result = import_plan_table(
        library, preview, title="健康聊城行动（导入）", doc_number="聊政字〔2020〕30号"
    )
    assert (result.rows, result.targets, result.indicators_created) == (31, 62, 0)
    plan = plans.get_plan(library, result.plan_id)
    assert plan.code.startswith("import-") and plan.doc_number == "聊政字〔2020〕30号"
    assert (plan.baseline_year, plan.period_start, plan.period_end) == (2018, 2019, 2030)
    assert "liaocheng-healthy-action.xlsx" in plan.source
    after = _counts(library)
    assert after[:3] == (before[0] + 1, before[1] + 31, before[2] + 62) and after[3] == before[3]
    imported = plans.list_plan_indicators(library, result.plan_id)
    seeded = plans.list_plan_indicators(
        library, plans.get_plan_by_code(library, "liaocheng-healthy-action").id
    )
    for mine, theirs in zip(imported, seeded, strict=True):
        assert (mine.indicator_id, mine.name_as_written, mine.baseline_raw, mine.baseline_value) == (
            theirs.indicator_id,
            theirs.name_as_written,
            theirs.baseline_raw,
            theirs.baseline_value,
        )
        assert mine.baseline_year == theirs.baseline_year  # ７８．１８(２０１９年) keeps its own year
        assert [(t.year, t.raw, t.kind, t.value) for t in mine.targets] == [
            (t.year, t.raw, t.kind, t.value) for t in theirs.targets
        ]
    assert result.changes.plans


def test_unknown_rows_get_new_indicators_and_chosen_suggestions_become_aliases(library):
    text = (
        "领域\t指标\t2020年\t2025年\n"
        "健康水平\t每千人口执业助理医师数（人）\t2.77\t2.8\n"
        "\t县域内就诊率（%）\t85\t≥90\n"
        "\t农村卫生厕所普及率（%）\t80\t3.3以下\n"
    )
    preview = preview_plan_table(library, read_plan_text(text))
    first, second, third = preview.rows
    assert first.match is None and first.suggestions[0].code == "DOCTORS_PER_1000"
    assert first.suggestions[0].how == "similar" and 0.6 <= first.suggestions[0].score < 1
    assert second.match is None and (second.direction, third.direction) == ("up", "down")
    assert third.row.domain == "健康水平" and third.row.domain_carried
    result = import_plan_table(
        library, preview, title="某县规划", choices={0: first.suggestions[0].indicator_id}
    )
    assert (result.indicators_created, result.aliases_added) == (2, 1)
    assert indicators.find_indicator_by_alias(library, "每千人口执业助理医师数").code == "DOCTORS_PER_1000"
    new = indicators.find_indicator_by_alias(library, "县域内就诊率")
    assert new.code.startswith("USR_") and new.unit == "%" and new.direction == "up" and new.numerator is None
    assert indicators.find_indicator_by_alias(library, "农村卫生厕所普及率").direction == "down"
    # The next import of the same spelling finds it at once.
    again = preview_plan_table(library, read_plan_text(text))
    assert again.rows[0].match.code == "DOCTORS_PER_1000" and again.rows[0].match.how == "exact"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": "  "}, "请填写规划名称"),
        ({"title": "规划", "choices": {70: None}}, "指标行序号超出范围：71"),
        ({"title": "规划", "choices": {0: 99999}}, "选择的指标（编号 99999）不存在"),
        ({"title": "规划", "period_start": 2030, "period_end": 2025}, "起始年（2030）晚于结束年（2025）"),
        ({"title": "规划", "baseline_year": 20}, "基期年份“20”不对：请写四位年份"),
        ({"title": "规划", "baseline_year": 2031}, "不晚于第一个目标年（2020年）"),
    ],
)
def test_bad_requests_write_nothing(library, kwargs, message):
    preview = preview_plan_table(library, read_plan_file(TABLES / "liaocheng-2030.tsv"))
    before = _counts(library)
    with pytest.raises(PlanImportError) as info:
        import_plan_table(library, preview, **kwargs)
    assert message in info.value.message
    assert _counts(library) == before


def test_a_failure_half_way_rolls_everything_back(library, monkeypatch):
    preview = preview_plan_table(library, read_plan_file(TABLES / "changle-14th-fyp.tsv"))
    before = _counts(library)
    calls = []
    original = plans.insert_target

    def failing(conn, row_id, year, reading):
        calls.append(year)
        if len(calls) == 10:
            raise OSError("磁盘已满")
        return original(conn, row_id, year, reading)

    monkeypatch.setattr(plans, "insert_target", failing)
    with pytest.raises(OSError):
        import_plan_table(library, preview, title="规划", choices={1: None})
    assert _counts(library) == before


def test_unreadable_cells_are_flagged():
    cell = read_target("约三成", "%", 2025)
    assert cell.unreadable and cell.kind == "none" and "无法识别" in cell.note
    blank = read_target("——", "%", 2025)
    assert not blank.unreadable and blank.kind == "none"
    assert read_target("≥80", "%", 2025).label == "不低于" and read_target("＞50", "%", 2025).label == "高于"


def test_guess_direction_from_how_targets_are_written():
    def cells(*raws):
        return tuple(read_target(r, "%", 2025) for r in raws)

    assert guess_direction(cells("3.3以下"), None) == "down"
    assert guess_direction(cells("比2015年降低10%"), None) == "down"
    assert guess_direction(cells("持续提高"), None) == "up"
    from desktop.ops.plan_import import read_baseline

    assert guess_direction(cells("7"), read_baseline("9")) == "down"
    assert guess_direction(cells("92"), read_baseline("90")) == "up"


def test_an_imported_plan_is_monitored_like_any_other(demo):
    preview = preview_plan_table(demo, read_plan_file(TABLES / "changle-14th-fyp.xlsx"))
    result = import_plan_table(demo, preview, title="昌乐县十四五（导入）")
    imported = evaluate_plan(demo, result.plan_id, 2024)
    seeded = evaluate_plan(demo, plans.get_plan_by_code(demo, "changle-14th-fyp").id, 2024)
    assert [(r.status, r.reason) for r in imported.rows] == [(r.status, r.reason) for r in seeded.rows]

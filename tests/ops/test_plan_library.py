"""The bundled plan library: every seed row loads with its raw texts, parsed by the project's parser."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core import paths
from desktop.core.targets import parse_baseline, parse_target
from desktop.ops.plan_library import SeedDataError, find_indicator, load_plan_library
from desktop.store import indicators, plans, projects

REPO = Path(__file__).resolve().parents[2]
# Same path logic as db/seed/build_plan_library.py: the shared folder beside the repository.
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_DIR = paths.seed_dir()
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seed folder not present")

TABLES = ("plan", "plan_indicator", "target", "indicator", "indicator_alias", "project", "milestone")


def _counts(conn) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _seed_rows(plan_code: str) -> list[tuple[str, str, str | None, dict[str, str]]]:
    """(seq, name, baseline raw, {year: target raw}) for every table row of a seed, straight from its JSON."""
    if plan_code == "liaocheng-2030":
        data = json.loads((SEEDS / "000_567abfa0dda225a2.json").read_text(encoding="utf-8"))
        return [
            (
                str(n),
                r["name"],
                r["values"]["2015年"]["raw"],
                {"2020": r["values"]["2020年"]["raw"], "2030": r["values"]["2030年"]["raw"]},
            )
            for n, r in enumerate(data["indicator_tables"][0]["rows"], start=1)
        ]
    if plan_code == "changle-14th-fyp":
        data = json.loads((SEEDS / "001_473245586667a28f.json").read_text(encoding="utf-8"))
        return [
            (str(r["seq"]), r["name"], r["values"]["2020年"]["raw"], {"2025": r["values"]["2025年"]["raw"]})
            for r in data["indicator_tables"][0]["rows"]
        ]
    data = json.loads((SEEDS / "004_c95cd58d6fdbfc49.json").read_text(encoding="utf-8"))
    return [
        (
            str(r["seq"]),
            r["name_as_written"],
            r["baseline"]["raw"],
            {"2022": r["2022"]["raw"], "2030": r["2030"]["raw"]},
        )
        for r in data["indicator_table"]["rows"]
    ]


def test_all_three_plans_load(db):
    result = load_plan_library(db)
    assert set(result.plans_loaded) == {"liaocheng-2030", "changle-14th-fyp", "liaocheng-healthy-action"}
    assert result.plan_indicators == 20 + 33 + 31
    assert result.targets == 20 * 2 + 33 + 31 * 2
    assert result.indicators_added == len(indicators.list_indicators(db))
    assert result.changes.plans and result.changes.projects
    county = plans.get_plan_by_code(db, "changle-14th-fyp")
    assert (county.period_start, county.period_end, county.baseline_year) == (2021, 2025, 2020)
    action = plans.get_plan_by_code(db, "liaocheng-healthy-action")
    assert action.doc_number == "聊政字〔2020〕30号" and action.issued_on == "2020-11-19"


@needs_seeds
@pytest.mark.parametrize("plan_code", ["liaocheng-2030", "changle-14th-fyp", "liaocheng-healthy-action"])
def test_every_seed_row_is_present_with_its_raw_texts(db, plan_code):
    load_plan_library(db)
    plan = plans.get_plan_by_code(db, plan_code)
    stored = {p.seq: p for p in plans.list_plan_indicators(db, plan.id)}
    expected = _seed_rows(plan_code)
    assert len(stored) == len(expected)
    for seq, name, baseline_raw, targets in expected:
        row = stored[seq]
        # 004 prints the unit in the name cell ("人均预期寿命(岁)"); the library splits it off.
        assert name.startswith(row.name_as_written), (seq, name)
        assert row.baseline_raw == baseline_raw
        assert {str(t.year): t.raw for t in row.targets} == targets, seq


def test_targets_and_baselines_are_read_by_the_project_parser(db):
    load_plan_library(db)
    for plan in plans.list_plans(db):
        for row in plans.list_plan_indicators(db, plan.id):
            unit = row.unit_as_written or indicators.get_indicator(db, row.indicator_id).unit
            for target in row.targets:
                reading = parse_target(target.raw, unit)
                assert (target.kind, target.value, target.value_max) == (
                    reading.kind,
                    reading.value,
                    reading.value_max,
                )
                assert (target.strict, target.hedge, target.ambiguous) == (
                    reading.strict,
                    reading.hedge,
                    reading.ambiguous,
                )
            if row.baseline_raw is not None:
                assert row.baseline_value == parse_baseline(row.baseline_raw).value


def test_baseline_year_comes_from_the_cell_when_it_names_one(db):
    load_plan_library(db)
    plan = plans.get_plan_by_code(db, "liaocheng-healthy-action")
    rows = {p.seq: p for p in plans.list_plan_indicators(db, plan.id)}
    assert (rows["1"].baseline_raw, rows["1"].baseline_value, rows["1"].baseline_year) == (
        "７８．１８(２０１９年)",
        78.18,
        2019,
    )
    assert rows["2"].baseline_year == 2018  # no year in the cell: the plan's baseline year
    assert rows["30a"].indicator_code != rows["30b"].indicator_code
    assert rows["1"].unit_as_written == "岁" and rows["1"].name_as_written == "人均预期寿命"


def test_the_same_indicator_is_shared_across_plans(db):
    load_plan_library(db)
    codes_by_plan = {
        plan.code: {r.indicator_code for r in plans.list_plan_indicators(db, plan.id)}
        for plan in plans.list_plans(db)
    }
    shared = set.intersection(*codes_by_plan.values())
    assert {"LIFE_EXPECTANCY", "IMR", "U5MR", "MMR", "DOCTORS_PER_1000", "HEALTH_LITERACY"} <= shared


def test_aliases_resolve(db):
    load_plan_library(db)
    for plan in plans.list_plans(db):
        for row in plans.list_plan_indicators(db, plan.id):
            found = indicators.find_indicator_by_alias(db, row.name_as_written)
            assert found is not None and found.id == row.indicator_id, row.name_as_written
    assert indicators.find_indicator_by_alias(db, "人均期望寿命").code == "LIFE_EXPECTANCY"
    doctors = indicators.get_indicator_by_code(db, "DOCTORS_PER_1000")
    aliases = set(indicators.list_aliases(db, doctors.id))
    assert {
        "每千人口执业（助理）医师数",
        "每千常住人口执业（助理）医师数",
        "每千人口执业(助理)医师数",
    } <= aliases
    assert (doctors.numerator, doctors.denominator, doctors.factor) == (
        "DOC_PRACT + DOC_ASSIST",
        "POP_RESIDENT",
        1000,
    )
    # Not stored under these exact spellings, found after normalising width and spaces.
    assert find_indicator(db, "每千常住人口执业(助理)医师数 ").code == "DOCTORS_PER_1000"
    assert find_indicator(db, "５岁以下儿童死亡率").code == "U5MR"
    assert find_indicator(db, "不存在的指标") is None
    directions = {i.code: i.direction for i in indicators.list_indicators(db)}
    assert directions["IMR"] == "down" and directions["SEX_RATIO_AT_BIRTH"] == "neutral"
    assert directions["LIFE_EXPECTANCY"] == "up"


def test_loading_twice_is_idempotent(db):
    first = load_plan_library(db)
    before = _counts(db)
    second = load_plan_library(db)
    assert _counts(db) == before
    assert second.plans_loaded == () and set(second.plans_skipped) == set(first.plans_loaded)
    assert second.indicators_added == 0 and second.aliases_added == 0
    assert not second.changes.any


def test_projects_and_milestones(db):
    load_plan_library(db)
    county = plans.get_plan_by_code(db, "changle-14th-fyp")
    register = projects.list_projects(db, county.id)
    assert len(register) == 84  # every project of the county's own plan
    first_phase = projects.get_project_by_name(db, county.id, "县人民医院新院区一期项目")
    assert first_phase.lead_department == "县卫健局" and "县人民医院新院区" in first_phase.note
    assert [(m.name, m.due_on) for m in projects.list_milestones(db, first_phase.id)] == [
        ("力争2022年投入使用", "2022-12-31")
    ]
    done = projects.get_project_by_name(db, county.id, "县人民医院三级乙等综合医院创建")
    assert done.stage == "投用"
    for plan in plans.list_plans(db):
        assert projects.list_projects(db, plan.id), plan.code


def _library_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR / "plans", target / "plans")
    shutil.copy(SEED_DIR / "indicators.json", target / "indicators.json")
    return target


def _edit_plan(directory: Path, code: str, change) -> Path:
    path = directory / "plans" / f"{code}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["indicators"][4]["targets"].update({"20x5": "1"}), "第 5 个指标行"),
        (lambda d: d["indicators"][6].pop("name_as_written"), "name_as_written"),
        (lambda d: d["indicators"][2].update(nature="必须性"), "指标性质"),
        (lambda d: d["indicators"][9].update(indicator_code="NO_SUCH_CODE"), "NO_SUCH_CODE"),
        (lambda d: d["projects"][0]["milestones"].append({"name": "x", "year": "2025年"}), "第 1 个项目"),
    ],
)
def test_malformed_plan_file_raises_and_writes_nothing(db, tmp_path, change, words):
    directory = _library_copy(tmp_path)
    _edit_plan(directory, "liaocheng-healthy-action", change)
    with pytest.raises(SeedDataError) as caught:
        load_plan_library(db, directory)
    assert "liaocheng-healthy-action.json" in caught.value.message and words in caught.value.message
    assert caught.value.path.name == "liaocheng-healthy-action.json"
    assert all(n == 0 for n in _counts(db).values())


def test_broken_json_names_file_and_position(db, tmp_path):
    directory = _library_copy(tmp_path)
    (directory / "plans" / "changle-14th-fyp.json").write_text('{"plan": {', encoding="utf-8")
    with pytest.raises(SeedDataError, match=r"changle-14th-fyp\.json.*不是有效的 JSON（第 1 行"):
        load_plan_library(db, directory)
    assert _counts(db)["indicator"] == 0


@needs_seeds
def test_committed_library_is_what_the_generator_writes(tmp_path):
    """Re-run db/seed/build_plan_library.py into a temp folder: the committed files must be identical."""
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "db" / "seed" / "build_plan_library.py"),
            "--seeds",
            str(SEEDS),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    generated = sorted(p.relative_to(out) for p in out.rglob("*.json"))
    assert len(generated) == 5
    for rel in generated:
        committed = SEED_DIR / rel
        assert committed.exists(), f"{rel} is generated but not committed"
        assert committed.read_text(encoding="utf-8") == (out / rel).read_text(encoding="utf-8"), (
            f"{rel} is out of date: run db/seed/build_plan_library.py"
        )

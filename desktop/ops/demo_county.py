"""Build the demo county (昌乐县) a new user sees on first start: org tree, data elements, forms, five years of
values and the county plan's project progress.

The data live in db/seed/demo/ (county.json from the generator script, elements.json and values.json curated by
hand); this module checks and stores them, and desktop.ops.demo_values turns the value rules into numbers.
Everything is one transaction, so a failed build leaves the file as it was. Values are stored as a clerk's
entry would store them (desktop.core.value_rules), each with its audit row, by the user '示例数据'.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core import codes, paths
from desktop.core.value_rules import ElementRule, ValueRefused, coerce_value
from desktop.ops.changes import OpChanges
from desktop.ops.checks import CheckError
from desktop.ops.demo_checks import load_demo_checks, swap_demo_values
from desktop.ops.demo_values import DemoRuleError, Unit, generate_values
from desktop.ops.plan_library import LoadResult, SeedDataError, load_plan_library
from desktop.ops.progress import Progress, report
from desktop.store import elements, orgunits, plans, projects, values
from desktop.store.db import atomic, now_text, set_setting

DEMO_DIR = "demo"
_ELEMENT_FIELDS = (
    "code",
    "name",
    "short_name",
    "unit",
    "value_type",
    "decimals",
    "min_value",
    "max_value",
    "aggregation",
    "description",
)
_PROJECT_FIELDS = (
    "stage",
    "planned_investment",
    "planned_start",
    "planned_finish",
    "actual_start",
    "actual_finish",
    "note",
)


@dataclass(frozen=True)
class DemoResult:
    """What build_demo_county wrote (all zero and skipped=True when the file already had org units)."""

    org_units: int = 0
    elements: int = 0
    data_sets: int = 0
    values: int = 0
    projects_updated: int = 0
    milestones_done: int = 0
    seconds: float = 0.0
    skipped: bool = False
    plans: LoadResult | None = None

    @property
    def changes(self) -> OpChanges:
        written = not self.skipped
        plans_changed = self.plans.changes if self.plans else OpChanges()
        return plans_changed | OpChanges(
            values=written, org_units=written, projects=self.projects_updated > 0
        )


def _read(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SeedDataError(f"无法读取示例数据文件“{path}”：{exc.strerror or exc}", path) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SeedDataError(f"示例数据文件“{path.name}”不是有效的 JSON：{exc}", path) from exc
    if not isinstance(data, dict):
        raise SeedDataError(f"示例数据文件“{path.name}”的顶层应为对象", path)
    return data


def _insert_units(conn: sqlite3.Connection, county: dict[str, Any], path: Path) -> dict[str, int]:
    ids: dict[str, int] = {}
    for unit in county["units"]:
        where = f"示例数据文件“{path.name}”中的单位“{unit.get('name')}”"
        try:
            # Validated exactly as a clerk's entry would be, so the demo never shows a code the program rejects.
            uscc = codes.validate_uscc(unit["uscc"]).code if unit.get("uscc") else None
            admin = codes.validate_admin_code(unit["admin_code"]) if unit.get("admin_code") else None
        except codes.CodeError as exc:
            raise SeedDataError(f"{where}：{exc}", path, unit.get("code")) from exc
        for ref in ("parent", "filed_by"):
            if unit.get(ref) and unit[ref] not in ids:
                raise SeedDataError(f"{where}：{ref}“{unit[ref]}”须在它之前列出", path, unit.get("code"))
        ids[unit["code"]] = orgunits.insert_org_unit(
            conn,
            code=unit["code"],
            name=unit["name"],
            short_name=unit.get("short_name"),
            level=unit["level"],
            unit_type=unit["unit_type"],
            parent_id=ids.get(unit.get("parent") or ""),
            admin_code=admin,
            uscc=uscc,
            filed_by_id=ids.get(unit.get("filed_by") or ""),
            sort_order=unit.get("sort_order", 0),
        )
    return ids


def _insert_forms(conn: sqlite3.Connection, data: dict[str, Any], path: Path) -> tuple[dict[str, int], int]:
    element_ids: dict[str, int] = {}
    for e in data["elements"]:
        element_ids[e["code"]] = elements.insert_data_element(conn, **{k: e.get(k) for k in _ELEMENT_FIELDS})
    for ds in data["data_sets"]:
        set_id = elements.insert_data_set(
            conn,
            unit_types=ds["unit_types"],
            code=ds["code"],
            name=ds["name"],
            period_type=ds["period_type"],
            deadline=ds.get("deadline"),
            description=ds.get("description"),
        )
        row_ids: dict[str, int] = {}
        for order, row in enumerate(ds["rows"]):
            element = row.get("element")
            if element and element not in element_ids:
                raise SeedDataError(
                    f"示例数据文件“{path.name}”：报表 {ds['code']} 第 {row['row_code']} 行引用了未定义的数据项 {element}",
                    path,
                    f"{ds['code']}:{row['row_code']}",
                )
            row_ids[row["row_code"]] = elements.insert_data_set_row(
                conn,
                data_set_id=set_id,
                row_code=row["row_code"],
                label=row["label"],
                element_id=element_ids.get(element) if element else None,
                parent_row_id=row_ids.get(row.get("parent") or ""),
                section=row.get("section"),
                required=int(bool(row.get("required", True))),
                sort_order=order,
            )
    return element_ids, len(data["data_sets"])


def _value_rows(
    conn: sqlite3.Connection, rules: dict[str, Any], county: dict[str, Any], unit_ids: dict[str, int]
) -> list[tuple]:
    units = [Unit(u["code"], u["unit_type"], u.get("parent")) for u in county["units"]]
    try:
        generated = generate_values(rules, units)
    except DemoRuleError as exc:
        raise SeedDataError(f"示例数据规则 values.json 有误：{exc}") from exc
    by_code = {e.code: e for e in elements.list_elements(conn)}
    rules_by_code = {
        code: ElementRule(e.name, e.value_type, e.decimals, e.min_value, e.max_value, e.unit)
        for code, e in by_code.items()
    }
    rows = []
    for code, period, unit, value, kind, formula, source in generated:
        if code not in by_code:
            raise SeedDataError(f"示例数据规则 values.json 引用了未定义的数据项 {code}")
        try:
            stored = coerce_value(value, rules_by_code[code])
        except ValueRefused as exc:
            raise SeedDataError(f"示例数据 {code} {period} {unit}：{exc.message}") from exc
        rows.append((by_code[code].id, period, unit_ids[unit], stored, kind, formula, source))
    return rows


def _apply_project_progress(
    conn: sqlite3.Connection, rules: dict[str, Any], unit_ids: dict[str, int]
) -> tuple[int, int]:
    plan = plans.get_plan_by_code(conn, rules["project_plan"])
    if plan is None:
        return 0, 0
    updated = done = 0
    for item in rules["projects"]:
        project = projects.get_project_by_name(conn, plan.id, item["name"])
        if project is None:
            raise SeedDataError(f"示例项目进度：规划 {plan.code} 中没有项目“{item['name']}”")
        fields = {k: item[k] for k in _PROJECT_FIELDS if k in item}
        if item.get("org_unit"):
            fields["org_unit_id"] = unit_ids[item["org_unit"]]
        if "note" in fields and project.note:
            fields["note"] = f"{project.note}；{fields['note']}"
        projects.update_project(conn, project.id, **fields)
        updated += 1
        milestones = {m.name: m for m in projects.list_milestones(conn, project.id)}
        for name, change in item.get("milestones", {}).items():
            if name not in milestones:
                raise SeedDataError(f"示例项目进度：项目“{item['name']}”没有节点“{name}”")
            projects.update_milestone(conn, milestones[name].id, **change)
            done += 1 if change.get("done_on") else 0
    return updated, done


def build_demo_county(
    conn: sqlite3.Connection, progress: Progress | None = None, directory: Path | None = None
) -> DemoResult:
    """Fill an empty database with the demo county; skipped (nothing written) when it already has org units.

    Loads the bundled plan library first when it is missing (the county plan's projects get progress dates).
    Sets the settings demo = '1', county_code and county_name. Raises SeedDataError on a malformed data file,
    in which case nothing is written.
    """
    started = time.perf_counter()
    seed = directory or paths.seed_dir()
    if orgunits.count_org_units(conn):
        return DemoResult(skipped=True, seconds=time.perf_counter() - started)
    demo = seed / DEMO_DIR
    county = _read(demo, "county.json")
    forms = _read(demo, "elements.json")
    rules = _read(demo, "values.json")
    try:
        return _build(conn, progress, seed, county, forms, rules, started)
    except (KeyError, TypeError, AttributeError) as exc:
        # A hand-edited file missing a key: say which, instead of a traceback (the transaction rolled back).
        raise SeedDataError(f"示例数据文件（{demo}）格式不对：缺少或写错了 {exc}", demo) from exc


def _build(
    conn: sqlite3.Connection,
    progress: Progress | None,
    seed: Path,
    county: dict[str, Any],
    forms: dict[str, Any],
    rules: dict[str, Any],
    started: float,
) -> DemoResult:
    demo = seed / DEMO_DIR
    with atomic(conn):
        plan_result = load_plan_library(conn, seed)
        report(progress, 0.2, "建立示例县的单位")
        unit_ids = _insert_units(conn, county, demo / "county.json")
        report(progress, 0.3, "建立数据项和报表")
        element_ids, set_count = _insert_forms(conn, forms, demo / "elements.json")
        report(progress, 0.4, "生成示例数据")
        rows = _value_rows(conn, rules, county, unit_ids)
        try:
            rows = swap_demo_values(conn, rows, demo, unit_ids)
        except CheckError as exc:
            raise SeedDataError(exc.message, demo) from exc
        report(progress, 0.6, "保存示例数据")
        stored = values.insert_values_bulk(
            conn, rows, stored_by=rules["stored_by"], stored_at=now_text(), reason=rules["reason"]
        )
        report(progress, 0.85, "载入审核规则")
        try:
            load_demo_checks(conn, demo)
        except CheckError as exc:
            raise SeedDataError(exc.message, demo) from exc
        report(progress, 0.9, "登记项目进度")
        updated, done = _apply_project_progress(conn, rules, unit_ids)
        info = county["county"]
        set_setting(conn, "demo", "1")
        set_setting(conn, "county_code", info["code"])
        set_setting(conn, "county_name", info["name"])
    report(progress, 1.0, "示例县已建立")
    return DemoResult(
        org_units=len(unit_ids),
        elements=len(element_ids),
        data_sets=set_count,
        values=stored,
        projects_updated=updated,
        milestones_done=done,
        seconds=time.perf_counter() - started,
        plans=plan_result,
    )

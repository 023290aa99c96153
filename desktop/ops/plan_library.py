"""Load the bundled plan library (db/seed/plans/*.json and db/seed/indicators.json) into the database.

The files hold the plans' raw texts only; targets and baselines are read here with the project's own parser
(desktop.core.targets), so a better parser improves every plan loaded afterwards. Loading is idempotent per
plan code (a plan already in the file is skipped, never duplicated or overwritten) and all-or-nothing: every
file is read and checked before anything is written, and the writes share one transaction.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core import paths
from desktop.core.targets import parse_baseline, parse_target
from desktop.ops.changes import OpChanges
from desktop.ops.progress import Progress, report
from desktop.store import indicators, plans, projects
from desktop.store.db import atomic

INDICATORS_FILE = "indicators.json"
PLANS_DIR = "plans"
NATURES = ("预期性", "约束性")
DIRECTIONS = ("up", "down", "neutral")
_PLAN_FIELDS = (
    "code",
    "title",
    "short_title",
    "issuer",
    "doc_number",
    "issued_on",
    "region",
    "level",
    "period_start",
    "period_end",
    "baseline_year",
    "source",
    "note",
)


class SeedDataError(ValueError):
    """A bundled data file is malformed. The message is Chinese and names the file (and row, if any)."""

    def __init__(self, message: str, path: Path | None = None, row: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.row = row


@dataclass(frozen=True)
class LoadResult:
    """What load_plan_library did: plans loaded and skipped (by code) and how many rows it wrote."""

    plans_loaded: tuple[str, ...] = ()
    plans_skipped: tuple[str, ...] = ()
    indicators_added: int = 0
    aliases_added: int = 0
    plan_indicators: int = 0
    targets: int = 0
    projects: int = 0
    milestones: int = 0

    @property
    def changes(self) -> OpChanges:
        return OpChanges(
            plans=bool(self.plans_loaded or self.indicators_added or self.aliases_added),
            projects=self.projects > 0,
        )


@dataclass
class _PlanFile:
    path: Path
    plan: dict[str, Any]
    rows: list[dict[str, Any]]
    projects: list[dict[str, Any]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------
# Reading and checking the files (nothing is written until every file has passed)
# ---------------------------------------------------------------------------------------------------------


def _fail(path: Path, problem: str, row: str | None = None) -> SeedDataError:
    where = f"“{path.name}”" + (f"{row}" if row else "")
    return SeedDataError(f"计划库文件{where}有误：{problem}", path, row)


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedDataError(f"无法读取计划库文件“{path}”：{exc.strerror or exc}", path) from exc
    except UnicodeDecodeError as exc:
        raise _fail(path, "不是 UTF-8 编码的文本文件") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(path, f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from exc


def _text(obj: dict, key: str, path: Path, row: str | None = None, *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(path, f"“{key}”应为非空文字，现在是 {value!r}", row)
    return value


def _int(obj: dict, key: str, path: Path, row: str | None = None) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise _fail(path, f"“{key}”应为整数（年份），现在是 {value!r}", row)
    return value


def _list(obj: dict, key: str, path: Path, row: str | None = None) -> list:
    value = obj.get(key, [])
    if not isinstance(value, list):
        raise _fail(path, f"“{key}”应为列表", row)
    return value


def read_indicator_master(path: Path) -> list[dict[str, Any]]:
    """The checked entries of indicators.json (code, name, aliases, unit, direction, formula …)."""
    data = _read_json(path)
    if not isinstance(data, dict):
        raise _fail(path, "顶层应为对象")
    entries = _list(data, "indicators", path)
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        row = f"第 {n} 个指标"
        if not isinstance(entry, dict):
            raise _fail(path, "应为对象", row)
        code = _text(entry, "code", path, row, required=True)
        row = f"第 {n} 个指标（{code}）"
        if code in seen:
            raise _fail(path, "指标代码重复", row)
        seen.add(code)
        _text(entry, "name", path, row, required=True)
        for key in ("unit", "numerator", "denominator", "description"):
            _text(entry, key, path, row)
        if entry.get("direction", "up") not in DIRECTIONS:
            raise _fail(path, f"方向应为 {'/'.join(DIRECTIONS)} 之一，现在是 {entry.get('direction')!r}", row)
        if not isinstance(entry.get("factor", 1), int | float) or not isinstance(
            entry.get("decimals", 2), int
        ):
            raise _fail(path, "factor 应为数字、decimals 应为整数", row)
        aliases = _list(entry, "aliases", path, row)
        if not all(isinstance(a, str) and a.strip() for a in aliases):
            raise _fail(path, "别名应为非空文字", row)
    return entries


def read_plan_file(path: Path) -> _PlanFile:
    """Read and check one plan file; raises SeedDataError naming the file and row."""
    data = _read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("plan"), dict):
        raise _fail(path, "缺少“plan”（规划基本信息）")
    plan = data["plan"]
    _text(plan, "code", path, "的 plan", required=True)
    _text(plan, "title", path, "的 plan", required=True)
    for key in ("period_start", "period_end", "baseline_year"):
        _int(plan, key, path, "的 plan")
    rows = _list(data, "indicators", path)
    if not rows:
        raise _fail(path, "没有指标行")
    for n, r in enumerate(rows, start=1):
        if not isinstance(r, dict):
            raise _fail(path, "应为对象", f"第 {n} 个指标行")
        where = f"第 {n} 个指标行（序号 {r.get('seq')}）"
        _text(r, "name_as_written", path, where, required=True)
        _text(r, "indicator_code", path, where, required=True)
        for key in ("seq", "domain", "unit", "lead_department", "note"):
            _text(r, key, path, where)
        if r.get("nature") not in (None, *NATURES):
            raise _fail(path, f"指标性质应为预期性或约束性，现在是 {r.get('nature')!r}", where)
        baseline = r.get("baseline") or {}
        if not isinstance(baseline, dict):
            raise _fail(path, "“baseline”应为对象", where)
        _text(baseline, "raw", path, where)
        _int(baseline, "year", path, where)
        targets = r.get("targets") or {}
        if not isinstance(targets, dict):
            raise _fail(path, "“targets”应为“年份: 原文”对象", where)
        for year, raw in targets.items():
            if not re.fullmatch(r"(19|20)\d\d", str(year)):
                raise _fail(path, f"目标年份“{year}”不是四位年份", where)
            if not isinstance(raw, str):
                raise _fail(path, f"{year} 年目标应为原文文字，现在是 {raw!r}", where)
    items = _list(data, "projects", path)
    for n, p in enumerate(items, start=1):
        where = f"第 {n} 个项目"
        if not isinstance(p, dict):
            raise _fail(path, "应为对象", where)
        _text(p, "name", path, where, required=True)
        if p.get("stage") not in (None, *projects.STAGES):
            raise _fail(path, f"阶段应为 {'/'.join(projects.STAGES)} 之一，现在是 {p.get('stage')!r}", where)
        investment = p.get("planned_investment")
        if investment is not None and (
            not isinstance(investment, int | float) or isinstance(investment, bool)
        ):
            raise _fail(path, f"计划投资应为数字（万元），现在是 {investment!r}", where)
        for m in _list(p, "milestones", path, where):
            if not isinstance(m, dict):
                raise _fail(path, "节点应为对象", where)
            _text(m, "name", path, where, required=True)
            _int(m, "year", path, where)
    return _PlanFile(path, plan, rows, items)


# ---------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------


def normalize_name(name: str) -> str:
    """Matching form of an indicator name: NFKC (full/half-width digits and brackets), «» as 《》, no spaces."""
    text = unicodedata.normalize("NFKC", name).replace("«", "《").replace("»", "》")
    return re.sub(r"\s+", "", text)


def find_indicator(conn: sqlite3.Connection, name: str) -> indicators.Indicator | None:
    """The indicator a name refers to: an exact alias first, then a match after normalize_name."""
    exact = indicators.find_indicator_by_alias(conn, name)
    if exact is not None:
        return exact
    wanted = normalize_name(name)
    for alias, indicator_id in indicators.list_all_aliases(conn):
        if normalize_name(alias) == wanted:
            return indicators.get_indicator(conn, indicator_id)
    return None


def _load_indicators(conn: sqlite3.Connection, entries: list[dict[str, Any]]) -> int:
    added = 0
    for entry in entries:
        existing = indicators.get_indicator_by_code(conn, entry["code"])
        aliases = entry.get("aliases", [])
        if existing is None:
            indicators.insert_indicator(
                conn,
                code=entry["code"],
                name=entry["name"],
                unit=entry.get("unit"),
                direction=entry.get("direction", "up"),
                numerator=entry.get("numerator"),
                denominator=entry.get("denominator"),
                factor=float(entry.get("factor", 1)),
                decimals=int(entry.get("decimals", 2)),
                description=entry.get("description"),
                aliases=aliases,
            )
            added += 1
        else:
            # A later library may know more spellings; an alias already taken by another indicator stays put.
            indicators.add_aliases(conn, existing.id, [entry["name"], *aliases])
    return added


def _load_plan(
    conn: sqlite3.Connection, pf: _PlanFile, codes: dict[str, indicators.Indicator]
) -> dict[str, int]:
    counts = {"plan_indicators": 0, "targets": 0, "projects": 0, "milestones": 0}
    plan_id = plans.insert_plan(conn, **{k: pf.plan.get(k) for k in _PLAN_FIELDS if k in pf.plan})
    for order, r in enumerate(pf.rows):
        where = f"第 {order + 1} 个指标行（序号 {r.get('seq')}）"
        indicator = codes.get(r["indicator_code"])
        if indicator is None:
            raise _fail(pf.path, f"指标代码“{r['indicator_code']}”不在指标主表中", where)
        baseline = r.get("baseline") or {}
        raw = baseline.get("raw")
        reading = parse_baseline(raw) if raw is not None else None
        row_id = plans.insert_plan_indicator(
            conn,
            plan_id=plan_id,
            indicator_id=indicator.id,
            seq=r.get("seq"),
            domain=r.get("domain"),
            name_as_written=r["name_as_written"],
            unit_as_written=r.get("unit"),
            nature=r.get("nature"),
            lead_department=r.get("lead_department"),
            baseline_raw=raw,
            baseline_value=reading.value if reading else None,
            # The year written in the cell (７８．１８(２０１９年)) wins over the plan's general baseline year.
            baseline_year=(reading.year if reading and reading.year else None) or baseline.get("year"),
            note=r.get("note"),
            sort_order=order,
        )
        counts["plan_indicators"] += 1
        unit = r.get("unit") or indicator.unit
        for year, target_raw in sorted((r.get("targets") or {}).items()):
            plans.insert_target(conn, row_id, int(year), parse_target(target_raw, unit).to_dict())
            counts["targets"] += 1
    for order, p in enumerate(pf.projects):
        location = p.get("location")
        note = "；".join(x for x in (location and f"地点：{location}", p.get("note")) if x) or None
        project_id = projects.insert_project(
            conn,
            plan_id=plan_id,
            name=p["name"],
            category=p.get("category"),
            description=p.get("description"),
            lead_department=p.get("lead_department"),
            implementer=p.get("implementer"),
            planned_investment=p.get("planned_investment"),
            stage=p.get("stage") or "谋划",
            note=note,
            sort_order=order,
        )
        counts["projects"] += 1
        for m_order, m in enumerate(p.get("milestones", [])):
            year = m.get("year")
            # A plan gives a year ("到2025年"); the milestone is due by the end of it.
            projects.insert_milestone(
                conn,
                project_id=project_id,
                name=m["name"],
                due_on=f"{year}-12-31" if year else None,
                sort_order=m_order,
            )
            counts["milestones"] += 1
    return counts


def load_plan_library(
    conn: sqlite3.Connection, directory: Path | None = None, progress: Progress | None = None
) -> LoadResult:
    """Load the indicator master list and every plan file under directory (default: the bundled db/seed).

    Plans whose code is already in the database are skipped; indicators are added when missing and gain any
    new aliases. Raises SeedDataError (Chinese message naming file and row) on a malformed file, in which
    case nothing is written.
    """
    directory = directory or paths.seed_dir()
    report(progress, 0.0, "读取规划库")
    master_path = directory / INDICATORS_FILE
    master = read_indicator_master(master_path)
    plan_files = [read_plan_file(p) for p in sorted((directory / PLANS_DIR).glob("*.json"))]
    seen: dict[str, Path] = {}
    for pf in plan_files:
        code = pf.plan["code"]
        if code in seen:
            raise _fail(pf.path, f"规划代码“{code}”与“{seen[code].name}”重复")
        seen[code] = pf.path

    loaded: list[str] = []
    skipped: list[str] = []
    totals = {"plan_indicators": 0, "targets": 0, "projects": 0, "milestones": 0}
    with atomic(conn):
        aliases_before = indicators.count_aliases(conn)
        added = _load_indicators(conn, master)
        codes = {i.code: i for i in indicators.list_indicators(conn)}
        for n, pf in enumerate(plan_files, start=1):
            code = pf.plan["code"]
            report(progress, n / (len(plan_files) + 1), f"载入规划“{pf.plan['title']}”")
            if plans.get_plan_by_code(conn, code) is not None:
                skipped.append(code)
                continue
            for key, value in _load_plan(conn, pf, codes).items():
                totals[key] += value
            loaded.append(code)
        aliases_added = indicators.count_aliases(conn) - aliases_before
    report(progress, 1.0, "规划库已载入")
    return LoadResult(
        plans_loaded=tuple(loaded),
        plans_skipped=tuple(skipped),
        indicators_added=added,
        aliases_added=aliases_added,
        **totals,
    )

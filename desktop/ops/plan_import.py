"""Import a new plan from an indicator table copied out of Word/WPS/Excel or saved as xlsx.

Two steps, so nothing is stored before the user has seen what the program read:
1. `preview_plan_table(conn, table)` reads every cell with the project's parser (core.targets: the same
   readings the plan library gets), flags unreadable cells, and suggests the existing indicator each row is —
   an exact name or alias first, then one after normalize_name, then similar names for the user to pick from.
2. `import_plan_table(conn, preview, title=…, choices=…)` stores the plan, its rows and their parsed targets in
   one transaction. A row matched to an existing indicator is linked to it (a name picked from the suggestions
   becomes one more alias, so the next import finds it at once); any other row gets a new indicator, with its
   good direction guessed from how its targets are written (≤, 降低 → lower is better).
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from desktop.core.target_words import KIND_LABELS_ZH
from desktop.core.targets import (
    INTERNAL_ERROR_NOTE,
    BaselineReading,
    TargetReading,
    parse_baseline,
    parse_target,
)
from desktop.io.plan_table import PlanTable, TableRow
from desktop.ops.changes import OpChanges
from desktop.ops.plan_library import find_indicator, normalize_name
from desktop.ops.progress import Progress, report
from desktop.store import indicators, plans
from desktop.store.db import atomic, now_text

SIMILAR_CUTOFF = 0.6
MAX_SUGGESTIONS = 5
NEW_CODE_PREFIX = "USR_"


class PlanImportError(ValueError):
    """The import cannot go ahead (no title, nothing to import, a bad choice); .message is Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CellReading:
    """One table cell as the parser read it. year is None for the baseline cell."""

    year: int | None
    raw: str
    kind: str  # a target kind, or 'baseline'
    label: str  # the kind in Chinese (不低于, 左右 …), or 基期值
    note: str
    unreadable: bool  # nothing could be read from text that is not a deliberate blank
    ambiguous: bool  # read, but the reading should be checked
    reading: TargetReading | BaselineReading


@dataclass(frozen=True)
class IndicatorMatch:
    indicator_id: int
    code: str
    name: str
    how: str  # 'exact' (a name or alias as written), 'normalized' (after NFKC and spacing), 'similar'
    score: float

    @property
    def how_zh(self) -> str:
        return {"exact": "名称一致", "normalized": "名称一致（忽略全半角和空格）"}.get(
            self.how, f"名称相近（{self.score:.0%}）"
        )


@dataclass(frozen=True)
class PreviewRow:
    row: TableRow
    baseline: CellReading | None
    targets: tuple[CellReading, ...]
    match: IndicatorMatch | None  # what the import uses unless the user chooses otherwise
    suggestions: tuple[IndicatorMatch, ...]  # similar names, best first (the match, if any, first)
    direction: str  # the good direction a new indicator would get

    @property
    def cells(self) -> tuple[CellReading, ...]:
        return ((self.baseline,) if self.baseline else ()) + self.targets


@dataclass(frozen=True)
class ImportPreview:
    table: PlanTable
    rows: tuple[PreviewRow, ...]

    @property
    def unreadable_cells(self) -> list[tuple[PreviewRow, CellReading]]:
        return [(r, c) for r in self.rows for c in r.cells if c.unreadable]

    @property
    def ambiguous_cells(self) -> list[tuple[PreviewRow, CellReading]]:
        return [(r, c) for r in self.rows for c in r.cells if c.ambiguous and not c.unreadable]

    @property
    def matched(self) -> int:
        return sum(1 for r in self.rows if r.match is not None)


@dataclass(frozen=True)
class ImportResult:
    plan_id: int
    plan_code: str
    rows: int
    targets: int
    indicators_created: int
    aliases_added: int

    @property
    def changes(self) -> OpChanges:
        return OpChanges(plans=True)


def read_target(raw: str, unit: str | None, year: int) -> CellReading:
    """A target cell's reading, exactly parse_target's, with its unreadable/ambiguous flags."""
    reading = parse_target(raw, unit)
    unreadable = (reading.kind == "none" and reading.ambiguous) or reading.note == INTERNAL_ERROR_NOTE
    label = KIND_LABELS_ZH.get(reading.kind, reading.kind)
    if reading.kind == "at_least" and reading.strict:
        label = "高于"
    elif reading.kind == "at_most" and reading.strict:
        label = "低于"
    return CellReading(year, raw, reading.kind, label, reading.note, unreadable, reading.ambiguous, reading)


def read_baseline(raw: str) -> CellReading:
    """A baseline cell's reading (parse_baseline's); unreadable when it holds text but no number."""
    reading = parse_baseline(raw)
    blank = reading.value is None and "无基期数据" in reading.note
    unreadable = reading.value is None and not blank
    ambiguous = reading.value is not None and "请核对" in reading.note
    return CellReading(None, raw, "baseline", "基期值", reading.note, unreadable, ambiguous, reading)


def _suggestions(
    name: str, aliases: list[tuple[str, int]], known: Mapping[int, indicators.Indicator]
) -> list[IndicatorMatch]:
    wanted = normalize_name(name)
    best: dict[int, float] = {}
    for alias, indicator_id in aliases:
        score = difflib.SequenceMatcher(None, wanted, normalize_name(alias)).ratio()
        if score >= SIMILAR_CUTOFF and score > best.get(indicator_id, 0.0):
            best[indicator_id] = score
    ranked = sorted(best.items(), key=lambda item: (-item[1], known[item[0]].code))[:MAX_SUGGESTIONS]
    return [
        IndicatorMatch(i, known[i].code, known[i].name, "similar", round(score, 3)) for i, score in ranked
    ]


def guess_direction(targets: tuple[CellReading, ...], baseline: CellReading | None) -> str:
    """'down' when the targets are ceilings or cuts (≤3.3, 降低10%, 持续下降), else 'up' (the common case)."""
    down = up = 0
    base = baseline.reading.value if baseline is not None else None
    for cell in targets:
        t = cell.reading
        assert isinstance(t, TargetReading)
        change = t.kind in ("relative_to_base", "points_change", "annual_change")
        if t.kind == "at_most" or t.direction == "down" or (change and (t.value or 0) < 0):
            down += 1
        elif t.kind in ("at_least", "coverage") or t.direction == "up" or (change and (t.value or 0) > 0):
            up += 1
        elif t.kind in ("level", "approx") and base is not None and t.value is not None and t.value != base:
            if t.value < base:
                down += 1
            else:
                up += 1
    return "down" if down > up else "up"


def preview_plan_table(
    conn: sqlite3.Connection, table: PlanTable, progress: Progress | None = None
) -> ImportPreview:
    """Read every cell of table and suggest an indicator for every row; writes nothing."""
    aliases = indicators.list_all_aliases(conn)
    known = {i.id: i for i in indicators.list_indicators(conn)}
    rows = []
    for n, row in enumerate(table.rows):
        if progress is not None:
            progress.step(n, len(table.rows), "识别指标表")
        baseline = read_baseline(row.baseline_raw) if row.baseline_raw is not None else None
        targets = tuple(read_target(raw, row.unit, year) for year, raw in row.targets)
        found = indicators.find_indicator_by_alias(conn, row.name)
        match = None
        if found is not None:
            match = IndicatorMatch(found.id, found.code, found.name, "exact", 1.0)
        else:
            found = find_indicator(conn, row.name)
            if found is not None:
                match = IndicatorMatch(found.id, found.code, found.name, "normalized", 1.0)
        similar = [
            s
            for s in _suggestions(row.name, aliases, known)
            if match is None or s.indicator_id != match.indicator_id
        ]
        suggestions = ([match] if match else []) + similar
        rows.append(
            PreviewRow(
                row=row,
                baseline=baseline,
                targets=targets,
                match=match,
                suggestions=tuple(suggestions[:MAX_SUGGESTIONS]),
                direction=guess_direction(targets, baseline),
            )
        )
    report(progress, 1.0, "识别完成")
    return ImportPreview(table=table, rows=tuple(rows))


def _new_code(conn: sqlite3.Connection) -> str:
    rows = conn.execute("SELECT code FROM indicator WHERE code LIKE ?", (NEW_CODE_PREFIX + "%",))
    numbers = [int(m.group(1)) for (code,) in rows if (m := re.fullmatch(NEW_CODE_PREFIX + r"(\d+)", code))]
    return f"{NEW_CODE_PREFIX}{max(numbers, default=0) + 1:04d}"


def _plan_code(conn: sqlite3.Connection) -> str:
    stem = f"import-{date.today():%Y%m%d}"
    taken = {r[0] for r in conn.execute("SELECT code FROM plan WHERE code LIKE ?", (stem + "%",))}
    n = 1
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def import_plan_table(
    conn: sqlite3.Connection,
    preview: ImportPreview,
    *,
    title: str,
    short_title: str | None = None,
    issuer: str | None = None,
    doc_number: str | None = None,
    level: str | None = None,
    baseline_year: int | None = None,
    period_start: int | None = None,
    period_end: int | None = None,
    choices: Mapping[int, int | None] | None = None,
    source: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Store the previewed table as a new plan, in one transaction.

    choices maps a row's index in preview.rows to the indicator id it is (None: a new indicator); rows not in
    choices use the preview's match. baseline_year defaults to the table's; the period to the year after the
    baseline through the last target year. Raises PlanImportError (Chinese) and writes nothing on bad input.
    """
    title = (title or "").strip()
    if not title:
        raise PlanImportError("请填写规划名称")
    if not preview.rows:
        raise PlanImportError("指标表中没有可导入的指标行")
    choices = dict(choices or {})
    bad = [i for i in choices if not 0 <= i < len(preview.rows)]
    if bad:
        raise PlanImportError(f"指标行序号超出范围：{bad[0] + 1}")
    base_year = baseline_year if baseline_year is not None else preview.table.baseline_year
    years = preview.table.target_years
    if base_year is not None and not 1949 <= base_year <= min(years, default=2100):
        # A clerk typing "20" for 2020 would otherwise store a plan whose baseline is the year 20.
        first = f"，且不晚于第一个目标年（{min(years)}年）" if years else ""
        raise PlanImportError(f"基期年份“{base_year}”不对：请写四位年份（如 2020）{first}")
    start = period_start if period_start is not None else (base_year + 1 if base_year else min(years))
    end = period_end if period_end is not None else max(years)
    if start > end:
        raise PlanImportError(f"规划期起始年（{start}）晚于结束年（{end}）")
    known = {i.id for i in indicators.list_indicators(conn)}
    for index, chosen in choices.items():
        if chosen is not None and chosen not in known:
            raise PlanImportError(f"第 {index + 1} 行选择的指标（编号 {chosen}）不存在")

    created = aliases = targets = 0
    with atomic(conn):
        plan_id = plans.insert_plan(
            conn,
            code=_plan_code(conn),
            title=title,
            short_title=short_title or None,
            issuer=issuer or None,
            doc_number=doc_number or None,
            level=level,
            period_start=start,
            period_end=end,
            baseline_year=base_year,
            source=source or f"{preview.table.source}（{now_text()[:10]} 导入）",
            note=preview.table.title,
        )
        for order, prow in enumerate(preview.rows):
            if progress is not None:
                progress.step(order, len(preview.rows), f"保存“{prow.row.name}”")
            row = prow.row
            chosen = choices.get(order, prow.match.indicator_id if prow.match else None)
            if chosen is None:
                chosen = indicators.insert_indicator(
                    conn,
                    code=_new_code(conn),
                    name=row.name,
                    unit=row.unit,
                    direction=prow.direction,
                    description=f"由导入的指标表“{title}”新建；尚未关联数据项。",
                )
                created += 1
            elif indicators.find_indicator_by_alias(conn, row.name) is None:
                before = indicators.count_aliases(conn)
                indicators.add_aliases(conn, chosen, [row.name])
                aliases += indicators.count_aliases(conn) - before
            baseline = prow.baseline.reading if prow.baseline else None
            assert baseline is None or isinstance(baseline, BaselineReading)
            row_id = plans.insert_plan_indicator(
                conn,
                plan_id=plan_id,
                indicator_id=chosen,
                seq=row.seq,
                domain=row.domain,
                name_as_written=row.name,
                unit_as_written=row.unit,
                nature=row.nature,
                lead_department=row.department,
                baseline_raw=row.baseline_raw,
                baseline_value=baseline.value if baseline else None,
                baseline_year=(baseline.year if baseline and baseline.year else None) or base_year,
                note=row.note,
                sort_order=order,
            )
            for cell in prow.targets:
                assert cell.year is not None and isinstance(cell.reading, TargetReading)
                plans.insert_target(conn, row_id, cell.year, cell.reading.to_dict())
                targets += 1
        code = plans.get_plan(conn, plan_id).code  # type: ignore[union-attr]
    report(progress, 1.0, "导入完成")
    return ImportResult(
        plan_id=plan_id,
        plan_code=code,
        rows=len(preview.rows),
        targets=targets,
        indicators_created=created,
        aliases_added=aliases,
    )


def preview_as_dict(preview: ImportPreview) -> dict[str, object]:
    """Plain data of a preview (the command line's --json)."""

    def cell(c: CellReading) -> dict[str, object]:
        data = {"raw": c.raw, "unreadable": c.unreadable, "ambiguous": c.ambiguous}
        data["reading"] = c.reading.to_dict()
        return data

    return {
        "source": preview.table.source,
        "title_line": preview.table.title,
        "baseline_year": preview.table.baseline_year,
        "target_years": list(preview.table.target_years),
        "problems": list(preview.table.problems),
        "rows": [
            {
                "line": r.row.line,
                "seq": r.row.seq,
                "domain": r.row.domain,
                "name": r.row.name,
                "name_as_written": r.row.name_cell,
                "unit": r.row.unit,
                "nature": r.row.nature,
                "lead_department": r.row.department,
                "baseline": cell(r.baseline) if r.baseline else None,
                "targets": {str(c.year): cell(c) for c in r.targets},
                "match": {"code": r.match.code, "name": r.match.name, "how": r.match.how}
                if r.match
                else None,
                "suggestions": [{"code": s.code, "name": s.name, "score": s.score} for s in r.suggestions],
                "new_indicator_direction": None if r.match else r.direction,
            }
            for r in preview.rows
        ],
    }


def describe_cell_problem(row: PreviewRow, cell: CellReading) -> str:
    """'第 12 行“婴儿死亡率”2025年目标“约三成”：无法识别…' — for lists of unreadable cells."""
    which = f"{cell.year}年目标" if cell.year is not None else "基期值"
    return f"第 {row.row.line} 行“{row.row.name}”{which}“{cell.raw}”：{cell.note}"

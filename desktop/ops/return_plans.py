"""Filling the two plan layouts of a return: ``plan_indicators`` (a plan's indicator table with baseline,
target as written, latest value and status) and ``projects`` (a plan's project register with dates,
investment and milestone status).

Indicator values are computed for the filing unit from data elements, each element read as elsewhere (own
value, else the roll-up of child units); the status is desktop.core.target_status's judgement as of the
return's year. Project status is desktop.core.project_status's rule as of the end of the return's period, so
a return for an earlier quarter shows what was known then (later actual dates are left out).
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

from desktop.core.formulas import compute_indicator
from desktop.core.periods import Period
from desktop.core.project_status import MilestoneDates, project_status, to_date
from desktop.core.target_status import evaluate_target
from desktop.io.templates import ReturnTemplate
from desktop.ops.return_values import FillContext, FilledCell, FilledRow, ReturnError
from desktop.store import orgunits, plans, projects

# How many years before the return's year are read to find the latest value and the pace since baseline.
_HISTORY_YEARS = 15


def _plan(conn: sqlite3.Connection, template: ReturnTemplate) -> plans.Plan:
    plan = plans.get_plan_by_code(conn, template.plan or "")
    if plan is None:
        raise ReturnError(
            f"报表模板“{template.path.name}”引用的规划“{template.plan}”不在规划库中，请先载入该规划"
        )
    return plan


def _finish(template: ReturnTemplate, fields: dict[str, Any], decimals: dict[str, int | None]) -> tuple:
    cells = []
    for column in template.columns:
        key = column.field or ""
        value = fields.get(key)
        places = column.decimals if column.decimals is not None else decimals.get(key)
        cells.append(FilledCell(value, places if isinstance(value, int | float) else None))
    return tuple(cells)


def fill_plan_indicators(
    conn: sqlite3.Connection, template: ReturnTemplate, unit: orgunits.OrgUnit, period: Period
) -> list[FilledRow]:
    """One row per indicator of the template's plan, in the plan's printed order."""
    plan = _plan(conn, template)
    ctx = FillContext(conn, template)
    rows = plans.list_plan_indicators(conn, plan.id)
    first_year = min([period.year - _HISTORY_YEARS] + [r.baseline_year for r in rows if r.baseline_year])
    years = list(range(max(first_year, 1949), period.year + 1))
    needed: list[int] = []
    computable: set[str] = set()
    for pi in rows:
        try:
            needed += ctx.element_ids_for_indicator(pi.indicator_code)
        except ReturnError:
            continue  # an indicator over elements this database does not record has no value here
        computable.add(pi.indicator_code)
    result = []
    for pi in rows:
        ind = ctx.indicators.get(pi.indicator_code)
        series: dict[int, float] = {}
        if ind is not None and ind.numerator and ind.code in computable:
            _ind, num, den = ctx.indicator_parts(ind.code, pi.name_as_written)
            codes = num.codes | (den.codes if den else frozenset())
            for year in years:
                vals = ctx.values_for(str(year), needed)
                inputs = {c: ctx.resolve(vals, c, unit.id).value for c in codes}
                value = compute_indicator(num, den, ind.factor, inputs)
                if value is not None:
                    series[year] = value
        target = _target_for(pi, template.target_year or plan.period_end, period.year)
        latest_year = max(series) if series else None
        fields: dict[str, Any] = {
            "seq": pi.seq or "",
            "domain": pi.domain or "",
            "name": pi.name_as_written,
            "unit": pi.unit_as_written or "",
            "nature": pi.nature or "",
            "baseline": pi.baseline_raw or "",
            "target": target.raw if target else "",
            "latest": series.get(latest_year) if latest_year else None,
            "latest_year": latest_year,
            "lead_department": pi.lead_department or "",
        }
        if target is not None and ind is not None:
            evaluation = evaluate_target(
                target,
                direction=ind.direction,
                target_year=target.year,
                series=series,
                baseline_year=pi.baseline_year,
                baseline_value=pi.baseline_value,
                as_of_year=period.year,
                unit=pi.unit_as_written or "",
            )
            fields["status"], fields["reason"] = evaluation.label_zh, evaluation.reason
        decimals = {"latest": ind.decimals if ind else 2, "latest_year": 0}
        code = pi.seq or str(len(result) + 1)
        result.append(FilledRow(code, pi.name_as_written, _finish(template, fields, decimals)))
    return result


def _target_for(pi: plans.PlanIndicator, year: int | None, period_year: int) -> plans.Target | None:
    """The target of the given milestone year, else the first one at or after the return's year, else the last."""
    if not pi.targets:
        return None
    for t in pi.targets:
        if t.year == year:
            return t
    later = [t for t in pi.targets if t.year >= period_year]
    return later[0] if later else pi.targets[-1]


def _subtree(tree, unit_id: int) -> set[int]:
    found, stack = set(), [unit_id]
    while stack:
        current = stack.pop()
        found.add(current)
        stack.extend(tree.children.get(current, []))
    return found


def _known_by(value: str | None, as_of: date) -> str | None:
    """A recorded date only if it had happened by as_of (a return for Q2 does not know of a Q3 finish)."""
    day = to_date(value)
    return value if day is not None and day <= as_of else None


def fill_projects(
    conn: sqlite3.Connection,
    template: ReturnTemplate,
    unit: orgunits.OrgUnit,
    period: Period,
    today: date,
) -> list[FilledRow]:
    """One row per project of the template's plan located in the unit (all of them for the top unit)."""
    plan = _plan(conn, template)
    ctx = FillContext(conn, template)
    as_of = min(period.end, today)
    inside = _subtree(ctx.tree, unit.id)
    top = unit.parent_id is None
    names = {u.id: u.name for u in ctx.tree.units.values()}
    result = []
    for project in projects.list_projects(conn, plan.id):
        if not (top or project.org_unit_id in inside):
            continue
        dated = (
            project.planned_start,
            project.planned_finish,
            project.actual_start,
            project.actual_finish,
            project.planned_investment,
        )
        if template.project_filter == "scheduled" and all(v is None for v in dated):
            continue
        milestones = projects.list_milestones(conn, project.id)
        known = [MilestoneDates(m.name, m.due_on, _known_by(m.done_on, as_of)) for m in milestones]
        finish = _known_by(project.actual_finish, as_of)
        status = project_status(
            planned_finish=project.planned_finish,
            actual_finish=finish,
            suspended=project.suspended,
            milestones=known,
            # "Late" means a date strictly before the status day, so a milestone due on the period's last
            # day and not done by then counts as late in that period's return.
            today=as_of + timedelta(days=1) if as_of < today else today,
        )
        done = sum(1 for m in known if m.done_on)
        owner = names.get(project.org_unit_id) if project.org_unit_id else None
        fields: dict[str, Any] = {
            "seq": str(len(result) + 1),
            "name": project.name,
            "category": project.category or "",
            "owner": owner or project.lead_department or project.implementer or "",
            "stage": project.stage,
            "planned_start": project.planned_start or "",
            "actual_start": _known_by(project.actual_start, as_of) or "",
            "planned_finish": project.planned_finish or "",
            "actual_finish": finish or "",
            "investment": project.planned_investment,
            "milestones": f"{done}/{len(known)}" if known else "",
            "status": status.status,
            "note": status.reason,
        }
        result.append(FilledRow(fields["seq"], project.name, _finish(template, fields, {"investment": 0})))
    return result

"""The project register: projects with their computed status, the register's filters, and saving a project
together with its milestones in one transaction.

Status (按期/滞后/停缓建/完成) is never stored or typed: it is computed by desktop.core.project_status from the
dates and the 停缓建 flag every time the register is read, so it cannot go stale.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from desktop.core.project_status import MilestoneDates, ProjectStatus, project_status
from desktop.core.value_rules import ElementRule, ValueRefused, coerce_value
from desktop.ops.changes import OpChanges
from desktop.store import orgunits, plans, projects
from desktop.store.db import atomic
from desktop.store.projects import STAGES, Milestone, Project

DATE_FIELDS = {
    "planned_start": "计划开工",
    "planned_finish": "计划完工",
    "actual_start": "实际开工",
    "actual_finish": "实际完工",
}
TEXT_FIELDS = ("category", "description", "lead_department", "implementer", "note")


class ProjectInvalid(ValueError):
    """A project or milestone that cannot be saved; .message is Chinese, .field names the field."""

    def __init__(self, message: str, field_name: str, milestone_row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field_name
        self.milestone_row = milestone_row  # 0-based row in the milestone table, when it is a milestone's


@dataclass(frozen=True)
class ProjectRow:
    """One line of the register: the project, what it refers to by name, its milestones and its status."""

    project: Project
    plan_title: str | None
    org_unit_name: str | None
    milestones: tuple[Milestone, ...]
    status: ProjectStatus

    @property
    def milestones_done(self) -> int:
        return sum(1 for m in self.milestones if m.done_on)


@dataclass(frozen=True)
class RegisterFilter:
    """The register's filters; None / False / empty means "all"."""

    plan_id: int | None = None
    stage: str | None = None
    status: str | None = None
    late_only: bool = False
    org_unit_ids: frozenset[int] | None = None
    text: str = ""

    def matches(self, row: ProjectRow) -> bool:
        p = row.project
        if self.plan_id is not None and p.plan_id != self.plan_id:
            return False
        if self.stage and p.stage != self.stage:
            return False
        if self.status and row.status.status != self.status:
            return False
        if self.late_only and not row.status.is_late:
            return False
        if self.org_unit_ids is not None and p.org_unit_id not in self.org_unit_ids:
            return False
        needle = self.text.strip().lower()
        if needle:
            haystack = " ".join(
                t or ""
                for t in (p.name, p.category, p.lead_department, p.implementer, p.note, row.org_unit_name)
            )
            return needle in haystack.lower()
        return True


@dataclass
class MilestoneInput:
    """A milestone as edited in the project dialog (id None for a new one)."""

    name: str
    due_on: str | None = None
    done_on: str | None = None
    evidence: str | None = None
    id: int | None = None


@dataclass
class ProjectInput:
    """A project as edited in the project dialog. Dates are text as typed; they are checked on save."""

    name: str
    plan_id: int | None = None
    category: str | None = None
    description: str | None = None
    org_unit_id: int | None = None
    lead_department: str | None = None
    implementer: str | None = None
    planned_investment: float | str | None = None
    stage: str = STAGES[0]
    planned_start: str | None = None
    planned_finish: str | None = None
    actual_start: str | None = None
    actual_finish: str | None = None
    suspended: bool = False
    note: str | None = None
    milestones: list[MilestoneInput] = field(default_factory=list)

    @classmethod
    def from_project(cls, project: Project, milestones: Iterable[Milestone]) -> ProjectInput:
        return cls(
            name=project.name,
            plan_id=project.plan_id,
            category=project.category,
            description=project.description,
            org_unit_id=project.org_unit_id,
            lead_department=project.lead_department,
            implementer=project.implementer,
            planned_investment=project.planned_investment,
            stage=project.stage,
            planned_start=project.planned_start,
            planned_finish=project.planned_finish,
            actual_start=project.actual_start,
            actual_finish=project.actual_finish,
            suspended=project.suspended,
            note=project.note,
            milestones=[MilestoneInput(m.name, m.due_on, m.done_on, m.evidence, m.id) for m in milestones],
        )


@dataclass(frozen=True)
class SaveProjectResult:
    project_id: int
    changes: OpChanges


def status_of(
    planned_finish: str | None,
    actual_finish: str | None,
    suspended: bool,
    milestones: Iterable[Milestone | MilestoneInput],
    today: date,
) -> ProjectStatus:
    """The computed status of a project (stored or being edited); bad dates are left out, never raised."""

    def safe(text: str | None) -> str | None:
        try:
            return parse_date(text, "")
        except ProjectInvalid:
            return None

    dates = [MilestoneDates(m.name, safe(m.due_on), safe(m.done_on)) for m in milestones]
    return project_status(
        planned_finish=safe(planned_finish),
        actual_finish=safe(actual_finish),
        suspended=suspended,
        milestones=dates,
        today=today,
    )


def list_project_rows(conn: sqlite3.Connection, today: date) -> list[ProjectRow]:
    """The whole register with statuses as of today, in register order (plan, then the plan's order)."""
    plan_titles = {p.id: p.short_title or p.title for p in plans.list_plans(conn)}
    unit_names = {u.id: u.display_name for u in orgunits.list_org_units(conn)}
    milestones = projects.milestones_by_project(conn)
    rows = []
    for project in projects.list_projects(conn):
        own = tuple(milestones.get(project.id, ()))
        rows.append(
            ProjectRow(
                project=project,
                plan_title=plan_titles.get(project.plan_id) if project.plan_id is not None else None,
                org_unit_name=unit_names.get(project.org_unit_id)
                if project.org_unit_id is not None
                else None,
                milestones=own,
                status=status_of(
                    project.planned_finish, project.actual_finish, project.suspended, own, today
                ),
            )
        )
    return rows


def filter_rows(rows: Sequence[ProjectRow], criteria: RegisterFilter) -> list[ProjectRow]:
    return [r for r in rows if criteria.matches(r)]


def count_by_status(rows: Iterable[ProjectRow]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status.status] = counts.get(row.status.status, 0) + 1
    return counts


# --- saving ----------------------------------------------------------------------------------------------


def parse_date(text: str | None, label: str) -> str | None:
    """A date as typed (2024-3-5, 2024/03/05, 2024年3月5日) as ISO text; None when blank.

    Raises ProjectInvalid with the value rules' Chinese message (the same wording as a date typed in a form).
    """
    if text is None or not str(text).strip():
        return None
    try:
        return str(coerce_value(str(text), ElementRule(name=label, value_type="date")))
    except ValueRefused as exc:
        raise ProjectInvalid(exc.message, label) from exc


def _investment(raw: float | str | None) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    rule = ElementRule(name="计划投资", value_type="number", decimals=2, min_value=0, unit="万元")
    try:
        value = coerce_value(raw, rule)
    except ValueRefused as exc:
        raise ProjectInvalid(exc.message, "planned_investment") from exc
    return None if value is None else float(value)  # type: ignore[arg-type]


def validate_project(data: ProjectInput, today: date) -> dict[str, object]:
    """Check everything and return the project's columns ready to store. Raises ProjectInvalid."""
    name = (data.name or "").strip()
    if not name:
        raise ProjectInvalid("项目名称不能为空", "name")
    if data.stage not in STAGES:
        raise ProjectInvalid(f"阶段应为 {'、'.join(STAGES)} 之一", "stage")
    fields: dict[str, object] = {"name": name, "stage": data.stage, "suspended": bool(data.suspended)}
    for key, label in DATE_FIELDS.items():
        try:
            fields[key] = parse_date(getattr(data, key), label)
        except ProjectInvalid as exc:
            raise ProjectInvalid(exc.message, key) from exc
    for start, finish in (("planned_start", "planned_finish"), ("actual_start", "actual_finish")):
        if fields[start] and fields[finish] and str(fields[finish]) < str(fields[start]):
            raise ProjectInvalid(
                f"{DATE_FIELDS[finish]}（{fields[finish]}）不能早于{DATE_FIELDS[start]}（{fields[start]}）",
                finish,
            )
    for key in ("actual_start", "actual_finish"):
        if fields[key] and str(fields[key]) > today.isoformat():
            raise ProjectInvalid(f"{DATE_FIELDS[key]}（{fields[key]}）不能晚于今天", key)
    fields["planned_investment"] = _investment(data.planned_investment)
    for key in TEXT_FIELDS:
        value = getattr(data, key)
        fields[key] = (value.strip() or None) if isinstance(value, str) else value
    fields["plan_id"] = data.plan_id
    fields["org_unit_id"] = data.org_unit_id
    return fields


def validate_milestones(items: Sequence[MilestoneInput], today: date) -> list[dict[str, object]]:
    """Check the milestone rows (name required, dates valid, done not in the future). Raises ProjectInvalid."""
    result = []
    for row, item in enumerate(items):
        name = (item.name or "").strip()
        where = f"第 {row + 1} 个节点"
        if not name:
            raise ProjectInvalid(f"{where}的名称不能为空", "name", row)
        try:
            due = parse_date(item.due_on, f"{where}的计划完成日期")
            done = parse_date(item.done_on, f"{where}的实际完成日期")
        except ProjectInvalid as exc:
            raise ProjectInvalid(exc.message, "date", row) from exc
        if done and done > today.isoformat():
            raise ProjectInvalid(f"{where}的实际完成日期（{done}）不能晚于今天", "done_on", row)
        evidence = (item.evidence or "").strip() or None
        result.append({"id": item.id, "name": name, "due_on": due, "done_on": done, "evidence": evidence})
    return result


def save_project(
    conn: sqlite3.Connection, project_id: int | None, data: ProjectInput, *, today: date | None = None
) -> SaveProjectResult:
    """Create (project_id None) or update a project and replace its milestones, in one transaction.

    Milestones with an id are updated, new ones inserted, and stored ones missing from data.milestones deleted;
    their order is the order given. Raises ProjectInvalid before anything is written.
    """
    today = today or date.today()
    fields = validate_project(data, today)
    milestones = validate_milestones(data.milestones, today)
    with atomic(conn):
        if project_id is None:
            project_id = projects.insert_project(conn, **fields)  # type: ignore[arg-type]
            stored: dict[int, Milestone] = {}
        else:
            if projects.get_project(conn, project_id) is None:
                raise ProjectInvalid("这个项目已被删除，无法保存", "name")
            projects.update_project(conn, project_id, **fields)
            stored = {m.id: m for m in projects.list_milestones(conn, project_id)}
        keep = {m["id"] for m in milestones if m["id"] is not None}
        for milestone_id in stored.keys() - keep:
            projects.delete_milestone(conn, milestone_id)
        for order, m in enumerate(milestones):
            values = {k: m[k] for k in ("name", "due_on", "done_on", "evidence")}
            if m["id"] is not None and m["id"] in stored:
                projects.update_milestone(conn, int(m["id"]), sort_order=order, **values)  # type: ignore[arg-type]
            else:
                projects.insert_milestone(conn, project_id=project_id, sort_order=order, **values)  # type: ignore[arg-type]
    return SaveProjectResult(project_id, OpChanges(projects=True))


def delete_project(conn: sqlite3.Connection, project_id: int) -> OpChanges:
    """Delete a project with its milestones, in one transaction."""
    with atomic(conn):
        projects.delete_project(conn, project_id)
    return OpChanges(projects=True)

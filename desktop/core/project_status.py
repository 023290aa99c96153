"""A project's status (按期 / 滞后 / 停缓建 / 完成), computed from its dates — never typed by a person.

The rule, in order (the first that applies wins):

1. **完成** when the project has an actual finish date (实际完工), whatever else is recorded;
2. **停缓建** when a person has marked it suspended (停缓建) — the one status that is a decision, not a date;
3. **滞后** when the planned finish date has passed and it has not finished, or when any milestone's due date
   has passed and the milestone is not done;
4. **按期** otherwise (also when no dates are recorded at all: nothing can be late against no date, and the
   reason says so, so a register full of undated projects is not mistaken for one that is on schedule).

"Passed" means strictly before today: a milestone due today is still on time today.
Standard library only (this is the ``core`` layer).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

ON_TRACK = "按期"
LATE = "滞后"
SUSPENDED = "停缓建"
DONE = "完成"
STATUSES: tuple[str, ...] = (ON_TRACK, LATE, SUSPENDED, DONE)

# How many overdue milestones the reason names before it says "等 N 个节点".
_NAMED_MILESTONES = 2


@dataclass(frozen=True)
class MilestoneDates:
    """What the status rule needs of a milestone: its name, due date and done date."""

    name: str
    due_on: date | str | None = None
    done_on: date | str | None = None


@dataclass(frozen=True)
class ProjectStatus:
    """The computed status, why (one Chinese sentence), and how late the project is."""

    status: str
    reason: str
    days_late: int = 0  # the largest overdue count in days (planned finish or a milestone); 0 when not late
    overdue_milestones: tuple[str, ...] = field(default=())
    next_milestone: MilestoneDates | None = None  # the earliest undone milestone with a due date

    @property
    def is_late(self) -> bool:
        return self.status == LATE


def to_date(value: date | str | None) -> date | None:
    """An ISO date (YYYY-MM-DD) or a date; None for None or empty text. Raises ValueError for anything else."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    return date.fromisoformat(text[:10])


def _fmt(day: date) -> str:
    return day.isoformat()


def project_status(
    *,
    planned_finish: date | str | None,
    actual_finish: date | str | None,
    suspended: bool,
    milestones: Iterable[MilestoneDates] = (),
    today: date,
) -> ProjectStatus:
    """Apply the rule in the module docstring and return the status with its reason."""
    planned = to_date(planned_finish)
    finished = to_date(actual_finish)
    items = [(m, to_date(m.due_on), to_date(m.done_on)) for m in milestones]
    pending = sorted(
        ((m, due) for m, due, done in items if done is None and due is not None), key=lambda pair: pair[1]
    )
    next_milestone = pending[0][0] if pending else None

    if finished is not None:
        reason = f"已于 {_fmt(finished)} 完工"
        if planned is not None and finished > planned:
            reason += f"（比计划 {_fmt(planned)} 晚 {(finished - planned).days} 天）"
        return ProjectStatus(DONE, reason)
    if suspended:
        return ProjectStatus(SUSPENDED, "已标记为停缓建", next_milestone=next_milestone)

    parts: list[str] = []
    days_late = 0
    if planned is not None and planned < today:
        days_late = (today - planned).days
        parts.append(f"计划 {_fmt(planned)} 完工，已超期 {days_late} 天仍未完工")
    overdue = [(m, due) for m, due in pending if due < today]
    if overdue:
        days_late = max(days_late, (today - overdue[0][1]).days)
        named = "；".join(
            f"节点“{m.name}”应于 {_fmt(due)} 完成，已超期 {(today - due).days} 天"
            for m, due in overdue[:_NAMED_MILESTONES]
        )
        if len(overdue) > _NAMED_MILESTONES:
            named += f"等 {len(overdue)} 个节点"
        parts.append(named)
    if parts:
        return ProjectStatus(
            LATE,
            "；".join(parts),
            days_late=days_late,
            overdue_milestones=tuple(m.name for m, _due in overdue),
            next_milestone=next_milestone,
        )

    if planned is None and next_milestone is None:
        reason = "未填写计划完工日期和节点期限，无从判断是否滞后"
    elif planned is not None:
        reason = f"计划 {_fmt(planned)} 完工，尚余 {(planned - today).days} 天"
    else:
        reason = "未填写计划完工日期"
    if next_milestone is not None:
        reason += f"；下一节点“{next_milestone.name}”应于 {_fmt(to_date(next_milestone.due_on))} 完成"
    return ProjectStatus(ON_TRACK, reason, next_milestone=next_milestone)

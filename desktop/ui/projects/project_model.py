"""The project register as an item model, and the proxy that applies the register's filters.

Status is computed (desktop.core.project_status) and shown in colour; its reason is the tooltip. Sorting uses
SortRole: dates sort as ISO text, investment as a number, status in the order 滞后 > 停缓建 > 按期 > 完成.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from desktop.core.project_status import DONE, LATE, ON_TRACK, SUSPENDED
from desktop.ops.projects import ProjectRow, RegisterFilter
from desktop.ui.models.record_table_model import ModelIndex, RecordTableModel, sort_less
from desktop.ui.qt_setup import chinese_locale

# (text, background) per status: late stands out, finished recedes.
STATUS_COLOURS = {
    LATE: (QColor("#a8261b"), QColor("#fde8e6")),
    SUSPENDED: (QColor("#7a5a00"), QColor("#fdf1cf")),
    ON_TRACK: (QColor("#1f5b99"), QColor("#e8f0fa")),
    DONE: (QColor("#1e6b34"), QColor("#e5f3e8")),
}
_STATUS_ORDER = {LATE: 0, SUSPENDED: 1, ON_TRACK: 2, DONE: 3}
_MUTED = QColor("#6b6b6b")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


def _tr(text: str) -> str:
    return QCoreApplication.translate(ProjectTableModel.TR_CONTEXT, text)


def format_investment(value: float | None) -> str:
    """万元 with grouping, no trailing zeros: 38,000 / 1,200.5."""
    if value is None:
        return ""
    locale = chinese_locale()
    return locale.toString(float(value), "f", 2).rstrip("0").rstrip(".")


class ProjectTableModel(RecordTableModel[ProjectRow]):
    (
        COL_NAME,
        COL_PLAN,
        COL_STAGE,
        COL_STATUS,
        COL_PLANNED,
        COL_ACTUAL,
        COL_MILESTONES,
        COL_INVEST,
        COL_LEAD,
    ) = range(9)
    HEADERS = (
        "项目名称",
        "所属规划",
        "阶段",
        "状态",
        "计划完工",
        "实际完工",
        "节点完成",
        "计划投资（万元）",
        "责任单位",
    )
    TR_CONTEXT = "ProjectTableModel"
    RowRole = Qt.ItemDataRole.UserRole + 1
    SortRole = Qt.ItemDataRole.UserRole + 2
    StatusRole = Qt.ItemDataRole.UserRole + 3

    def row_at(self, row: int) -> ProjectRow | None:
        return self.record(row)

    def row_of(self, project_id: int) -> int:
        for index, row in enumerate(self._rows):
            if row.project.id == project_id:
                return index
        return -1

    def rows(self) -> list[ProjectRow]:
        return list(self._rows)

    def header_data(self, section: int, role: int):
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (self.COL_INVEST, self.COL_MILESTONES):
            return _RIGHT if section == self.COL_INVEST else _CENTER
        return None

    def _text(self, row: ProjectRow, column: int) -> str:
        p = row.project
        if column == self.COL_NAME:
            return p.name
        if column == self.COL_PLAN:
            return row.plan_title or ""
        if column == self.COL_STAGE:
            return p.stage
        if column == self.COL_STATUS:
            return row.status.status
        if column == self.COL_PLANNED:
            return p.planned_finish or ""
        if column == self.COL_ACTUAL:
            return p.actual_finish or ""
        if column == self.COL_MILESTONES:
            return f"{row.milestones_done}/{len(row.milestones)}" if row.milestones else ""
        if column == self.COL_INVEST:
            return format_investment(p.planned_investment)
        if column == self.COL_LEAD:
            return p.lead_department or row.org_unit_name or ""
        return ""

    def record_data(self, row: ProjectRow, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (self.COL_STATUS, self.COL_NAME):
                return f"{row.project.name}\n{row.status.status}：{row.status.reason}"
            return self._text(row, column) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.COL_STATUS:
                return STATUS_COLOURS[row.status.status][0]
            if column == self.COL_PLAN:
                return _MUTED
        if role == Qt.ItemDataRole.BackgroundRole and column == self.COL_STATUS:
            return STATUS_COLOURS[row.status.status][1]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == self.COL_INVEST:
                return _RIGHT
            if column in (self.COL_STATUS, self.COL_MILESTONES, self.COL_STAGE):
                return _CENTER
        if role == self.RowRole:
            return row
        if role == self.StatusRole:
            return row.status.status
        if role == self.SortRole:
            if column == self.COL_STATUS:
                return _STATUS_ORDER[row.status.status] * 1_000_000 - row.status.days_late
            if column == self.COL_INVEST:
                return row.project.planned_investment if row.project.planned_investment is not None else -1.0
            if column == self.COL_MILESTONES:
                return row.milestones_done / len(row.milestones) if row.milestones else -1.0
            if column in (self.COL_PLANNED, self.COL_ACTUAL):
                # Empty dates last in ascending order.
                return self._text(row, column) or "9999"
            return self._text(row, column)
        return None


class ProjectFilterProxyModel(QSortFilterProxyModel):
    """Applies a desktop.ops.projects.RegisterFilter (the same rule the tests check without Qt)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._criteria = RegisterFilter()
        self.setSortRole(ProjectTableModel.SortRole)

    @property
    def criteria(self) -> RegisterFilter:
        return self._criteria

    def set_criteria(self, criteria: RegisterFilter) -> None:
        if criteria != self._criteria:
            self.beginFilterChange()
            self._criteria = criteria
            self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        row = model.row_at(source_row) if isinstance(model, ProjectTableModel) else None
        return row is not None and self._criteria.matches(row)

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:
        return sort_less(left.data(ProjectTableModel.SortRole), right.data(ProjectTableModel.SortRole))

"""The 规划监测 table: one row per plan indicator, its baseline, latest value, each milestone target as written and
as computed, the headline status (coloured) and the reason in words; and the filters over it."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from desktop.ops.monitoring import IndicatorProgress, MilestoneStatus, PlanProgress
from desktop.ui.monitoring.style import (
    MUTED_TEXT,
    format_value,
    status_background,
    status_foreground,
    status_label,
    status_rank,
    tr,
)
from desktop.ui.qt_setup import chinese_locale

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
_SOURCE = {"plan": "规划文本中的基期值", "data": "本单位的实际数据"}


class MonitoringTableModel(QAbstractTableModel):
    """Rows of a PlanProgress. Fixed columns, then one per milestone year, then status and reason."""

    COL_DOMAIN, COL_NAME, COL_UNIT, COL_BASELINE, COL_LATEST = range(5)
    _FIXED = ("领域", "指标", "单位", "基期", "最新值")
    RowRole = Qt.ItemDataRole.UserRole + 1
    StatusRole = Qt.ItemDataRole.UserRole + 2
    SortRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._result: PlanProgress | None = None
        self._rows: list[IndicatorProgress] = []
        self._years: list[int] = []
        self._locale = chinese_locale()

    # --- loading -------------------------------------------------------------------------------------------

    def load(self, result: PlanProgress | None) -> None:
        self.beginResetModel()
        self._result = result
        self._rows = list(result.rows) if result else []
        self._years = sorted({m.year for r in self._rows for m in r.milestones})
        self.endResetModel()

    @property
    def result(self) -> PlanProgress | None:
        return self._result

    def row_at(self, row: int) -> IndicatorProgress | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, plan_indicator_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.plan_indicator_id == plan_indicator_id), -1)

    @property
    def years(self) -> list[int]:
        return list(self._years)

    @property
    def col_status(self) -> int:
        return len(self._FIXED) + len(self._years)

    @property
    def col_reason(self) -> int:
        return self.col_status + 1

    def milestone_column(self, year: int) -> int:
        return len(self._FIXED) + self._years.index(year)

    def _milestone(self, row: IndicatorProgress, column: int) -> MilestoneStatus | None:
        year = self._years[column - len(self._FIXED)]
        return next((m for m in row.milestones if m.year == year), None)

    # --- Qt model API ----------------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._FIXED) + len(self._years) + 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section < len(self._FIXED):
                return tr(self._FIXED[section])
            if section == self.col_status:
                return tr("状态")
            if section == self.col_reason:
                return tr("原因")
            return tr("%1年目标").replace("%1", str(self._years[section - len(self._FIXED)]))
        if role == Qt.ItemDataRole.ToolTipRole and len(self._FIXED) <= section < self.col_status:
            return tr("第一行为规划原文，第二行为程序计算出的目标值")
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == self.RowRole:
            return row
        if role == self.StatusRole:
            return row.status
        if column == self.col_status:
            return self._status_data(row, role)
        if column == self.col_reason:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return row.reason
            return None
        if column >= len(self._FIXED):
            return self._milestone_data(row, self._milestone(row, column), role)
        return self._fixed_data(row, column, role)

    def _fixed_data(self, row: IndicatorProgress, column: int, role: int):
        if role == self.SortRole:
            if column == self.COL_LATEST:
                return row.latest[1] if row.latest else float("-inf")
            return self._fixed_text(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._fixed_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_NAME:
                nature = tr("（%1指标）").replace("%1", row.nature) if row.nature else ""
                return f"{row.seq + '. ' if row.seq else ''}{row.name}{nature}"
            if column == self.COL_BASELINE and row.baseline_source:
                raw = tr("；规划原文“%1”").replace("%1", row.baseline_raw) if row.baseline_raw else ""
                note = f"\n{row.baseline_note}" if row.baseline_note else ""
                return tr("取自%1").replace("%1", tr(_SOURCE[row.baseline_source])) + raw + note
            if column == self.COL_LATEST and row.latest and row.latest[0] in row.coverage:
                return tr("部分汇总：%1").replace("%1", row.coverage[row.latest[0]])
        partial = row.latest is not None and row.latest[0] in row.coverage
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_LATEST and partial:
            return MUTED_TEXT
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_BASELINE, self.COL_LATEST):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _fixed_text(self, row: IndicatorProgress, column: int) -> str:
        if column == self.COL_DOMAIN:
            return row.domain or ""
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_UNIT:
            return row.unit
        if column == self.COL_BASELINE:
            if row.baseline_value is None:
                return row.baseline_raw or "—"
            # A value taken from the data must not pass for the plan's: where the plan prints "-", a bare
            # "0.00 2020年" reads as if the plan had written 0.
            source = tr("年实际值") if row.baseline_source == "data" else tr("年")
            return (
                f"{format_value(row.baseline_value, row.decimals, self._locale)}\n{row.baseline_year}{source}"
            )
        if row.latest is None:
            return "—"
        mark = "*" if row.latest[0] in row.coverage else ""
        return f"{format_value(row.latest[1], row.decimals, self._locale)}{mark}\n{row.latest[0]}年"

    def _milestone_data(self, row: IndicatorProgress, milestone: MilestoneStatus | None, role: int):
        if milestone is None:
            return "" if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            computed = milestone.threshold_text
            return milestone.raw if computed in ("—", milestone.raw) else f"{milestone.raw}\n→ {computed}"
        if role == self.SortRole:
            return status_rank(milestone.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            note = f"\n{tr('解读')}：{milestone.note}" if milestone.note else ""
            return f"{status_label(milestone.status)}：{milestone.evaluation.reason}{note}"
        if role == Qt.ItemDataRole.BackgroundRole and row.milestones.index(milestone) != row.current:
            background = status_background(milestone.status)  # earlier milestones: their own outcome, faintly
            background.setAlpha(110)
            return background
        return None

    def _status_data(self, row: IndicatorProgress, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return status_label(row.status)
        if role == self.SortRole:
            return status_rank(row.status)
        if role == Qt.ItemDataRole.BackgroundRole:
            return status_background(row.status)
        if role == Qt.ItemDataRole.ForegroundRole:
            return status_foreground(row.status)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.reason
        return None


class MonitoringFilterProxyModel(QSortFilterProxyModel):
    """Filters: off track only (滞后 and 退步), 约束性 only, one domain. Sorting uses SortRole."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._off_track_only = False
        self._binding_only = False
        self._domain: str | None = None
        self.setSortRole(MonitoringTableModel.SortRole)

    def set_off_track_only(self, on: bool) -> None:
        self.beginFilterChange()
        self._off_track_only = bool(on)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_binding_only(self, on: bool) -> None:
        self.beginFilterChange()
        self._binding_only = bool(on)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_domain(self, domain: str | None) -> None:
        self.beginFilterChange()
        self._domain = domain or None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        row = model.row_at(source_row) if isinstance(model, MonitoringTableModel) else None
        if row is None:
            return True
        if self._off_track_only and not row.is_off_track:
            return False
        if self._binding_only and not row.is_binding:
            return False
        return self._domain is None or row.domain == self._domain

"""The scorecard table: the county's own row first, then townships (rows) × the chosen indicators (columns);
each cell the value in the status colour, the reason as its tooltip. Sorting keeps the county row on top."""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from desktop.ops.scorecard import Scorecard, ScoreCell, ScoreColumn
from desktop.ui.monitoring.style import format_value, status_background, status_foreground, status_rank, tr
from desktop.ui.qt_setup import chinese_locale

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()


def wrap(text: str, width: int, max_lines: int) -> str:
    """text broken into lines of at most width full-width characters (half-width ones count half); the last
    line ends in … when it does not all fit."""
    lines, line, used = [], "", 0.0
    for ch in text:
        size = 0.5 if ord(ch) < 0x2E80 else 1.0
        if used + size > width and ch not in "）)、，,：:%‰":  # never start a line with closing punctuation
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += size
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return "\n".join(lines)


class ScorecardTableModel(QAbstractTableModel):
    SortRole = Qt.ItemDataRole.UserRole + 1
    StatusRole = Qt.ItemDataRole.UserRole + 2
    AreaRole = Qt.ItemDataRole.UserRole + 3  # True on the county's own row

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._card: Scorecard | None = None
        self._shown: list[int] = []  # indexes into the scorecard's columns
        self.header_chars = 7  # header text wraps at this many (full-width) characters; headers do not wrap
        self._locale = chinese_locale()

    def load(self, card: Scorecard | None, shown_ids: set[int] | None = None) -> None:
        """Show card; shown_ids picks the plan indicators to show (None: all)."""
        self.beginResetModel()
        self._card = card
        columns = card.columns if card else ()
        self._shown = [
            i for i, c in enumerate(columns) if shown_ids is None or c.plan_indicator_id in shown_ids
        ]
        self.endResetModel()

    @property
    def scorecard(self) -> Scorecard | None:
        return self._card

    def shown_ids(self) -> list[int]:
        return [self._card.columns[i].plan_indicator_id for i in self._shown] if self._card else []

    def column_at(self, column: int) -> ScoreColumn | None:
        if self._card is None or not 1 <= column <= len(self._shown):
            return None
        return self._card.columns[self._shown[column - 1]]

    def cell_at(self, row: int, column: int) -> ScoreCell | None:
        spec = self.column_at(column)
        if spec is None or self._card is None:
            return None
        index = self._shown[column - 1]
        return spec.area if row == 0 else self._card.cells[row - 1][index]

    # --- Qt model API ----------------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() or self._card is None else len(self._card.units) + 1

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() or self._card is None else len(self._shown) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return tr("乡镇（街道）") if role == Qt.ItemDataRole.DisplayRole else None
        column = self.column_at(section)
        if column is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            unit = f"（{column.unit}）" if column.unit else ""
            target = f"\n{column.milestone_year}年 {column.milestone_raw}" if column.milestone_year else ""
            return wrap(f"{column.name}{unit}", self.header_chars, 3) + target
        if role == Qt.ItemDataRole.ToolTipRole:
            nature = f"（{column.nature}）" if column.nature else ""
            return (
                tr("%1%2\n目标：%3\n点击列头按数值排序")
                .replace("%1", column.name)
                .replace("%2", nature)
                .replace("%3", column.area.threshold_text)
            )
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._card is None or not 0 <= index.row() < self.rowCount():
            return None
        row, column = index.row(), index.column()
        if role == self.AreaRole:
            return row == 0
        if column == 0:
            name = self._card.parent.name + tr("（全域）") if row == 0 else self._card.units[row - 1].name
            if role in (Qt.ItemDataRole.DisplayRole, self.SortRole):
                return name if role == Qt.ItemDataRole.DisplayRole else row
            if role == Qt.ItemDataRole.FontRole and row == 0:
                font = QFont()
                font.setBold(True)
                return font
            return None
        cell = self.cell_at(row, column)
        spec = self.column_at(column)
        if cell is None or spec is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if cell.value is None:
                return "—"
            mark = "*" if cell.partial else ""
            return format_value(cell.value, spec.decimals, self._locale) + mark
        if role == self.SortRole:
            return cell.value if cell.value is not None else -math.inf
        if role == self.StatusRole:
            return cell.status
        if role == Qt.ItemDataRole.BackgroundRole:
            return status_background(cell.status)
        if role == Qt.ItemDataRole.ForegroundRole:
            return status_foreground(cell.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            partial = f"\n（{cell.partial}）" if cell.partial else ""
            return f"{cell.status_label}：{cell.reason}{partial}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return cell.status_label
        return None


class ScorecardSortProxyModel(QSortFilterProxyModel):
    """Sorts by value (missing values last either way) or by status; the county's row always stays first."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(ScorecardTableModel.SortRole)
        self.by_status = False

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:
        model = self.sourceModel()
        ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
        if left.row() == 0 or right.row() == 0:  # the county row: first whichever way the column is sorted
            return (left.row() == 0) == ascending
        if self.by_status and left.column() > 0:
            a = status_rank(model.data(left, ScorecardTableModel.StatusRole))
            b = status_rank(model.data(right, ScorecardTableModel.StatusRole))
            if a != b:
                return a < b
        a, b = model.data(left, self.sortRole()), model.data(right, self.sortRole())
        if isinstance(a, float) and isinstance(b, float) and (math.isinf(a) or math.isinf(b)):
            if math.isinf(a) and math.isinf(b):
                return left.row() < right.row()
            return math.isinf(b) == ascending  # a missing value sorts last in both orders
        return a < b

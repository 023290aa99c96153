"""A project's milestones as an editable table: 节点 | 计划完成 | 实际完成 | 佐证材料.

Edits stay in the model until the project dialog saves them through ops (one transaction with the project).
Dates are accepted as a clerk types them (2024-3-5, 2024/03/05, 2024年3月5日) and shown as ISO; an invalid
date or an empty name is refused with a Chinese message (the `refused` signal) and the cell keeps its value.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from desktop.core.project_status import to_date
from desktop.ops.projects import MilestoneInput, ProjectInvalid, parse_date

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
OVERDUE_BACKGROUND = QColor("#fde8e6")
DONE_FOREGROUND = QColor("#1e6b34")


def _tr(text: str) -> str:
    return QCoreApplication.translate("MilestoneTableModel", text)


class MilestoneTableModel(QAbstractTableModel):
    COL_NAME, COL_DUE, COL_DONE, COL_EVIDENCE = range(4)
    HEADERS = ("节点", "计划完成", "实际完成", "佐证材料")
    FIELDS = ("name", "due_on", "done_on", "evidence")

    refused = Signal(str)
    edited = Signal()

    def __init__(self, today: date, parent=None) -> None:
        super().__init__(parent)
        self._items: list[MilestoneInput] = []
        self._today = today

    def load(self, items: list[MilestoneInput]) -> None:
        self.beginResetModel()
        self._items = [MilestoneInput(m.name, m.due_on, m.done_on, m.evidence, m.id) for m in items]
        self.endResetModel()

    def items(self) -> list[MilestoneInput]:
        return [MilestoneInput(m.name, m.due_on, m.done_on, m.evidence, m.id) for m in self._items]

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return _tr(self.HEADERS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._items):
            return str(section + 1)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def _overdue(self, item: MilestoneInput) -> bool:
        try:
            due = to_date(item.due_on)
        except ValueError:
            return False
        return due is not None and not item.done_on and due < self._today

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item, column = self._items[index.row()], index.column()
        value = getattr(item, self.FIELDS[column])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return value or ""
        if role == Qt.ItemDataRole.BackgroundRole and self._overdue(item):
            return OVERDUE_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_DONE and item.done_on:
            return DONE_FOREGROUND
        if role == Qt.ItemDataRole.ToolTipRole:
            if self._overdue(item):
                return _tr("已过计划完成日期，尚未完成")
            if column in (self.COL_DUE, self.COL_DONE):
                return _tr("日期，如 2024-03-15；也可写 2024/3/15 或 2024年3月15日")
            return value or None
        return None

    def setData(self, index: ModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        item, column = self._items[index.row()], index.column()
        text = "" if value is None else str(value).strip()
        label = _tr(self.HEADERS[column])
        if column == self.COL_NAME:
            if not text:
                self.refused.emit(_tr("节点名称不能为空"))
                return False
            new: str | None = text
        elif column in (self.COL_DUE, self.COL_DONE):
            try:
                new = parse_date(text, f"第 {index.row() + 1} 个节点的{label}日期")
            except ProjectInvalid as exc:
                self.refused.emit(exc.message)
                return False
            if column == self.COL_DONE and new and new > self._today.isoformat():
                self.refused.emit(_tr("实际完成日期不能晚于今天"))
                return False
        else:
            new = text or None
        if getattr(item, self.FIELDS[column]) == new:
            return True
        setattr(item, self.FIELDS[column], new)
        # The whole row: an overdue mark may come or go with a date.
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1))
        self.edited.emit()
        return True

    def add(self, name: str, due_on: str | None = None) -> int:
        """Append a milestone and return its row."""
        row = len(self._items)
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.append(MilestoneInput(name, due_on))
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove(self, row: int) -> None:
        if not 0 <= row < len(self._items):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row]
        self.endRemoveRows()
        self.edited.emit()

    def move(self, row: int, offset: int) -> int:
        """Move a milestone up (-1) or down (+1); returns its new row."""
        target = row + offset
        if not (0 <= row < len(self._items) and 0 <= target < len(self._items)):
            return row
        destination = target + 1 if offset > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._items.insert(target, self._items.pop(row))
        self.endMoveRows()
        self.edited.emit()
        return target

    def mark_done_today(self, row: int) -> bool:
        if not 0 <= row < len(self._items):
            return False
        return self.setData(self.index(row, self.COL_DONE), self._today.isoformat())

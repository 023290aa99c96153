"""The import preview as two tables: the values the file would write (new / changed / unchanged), and the
errors with their sheet, row, cell and field. Each has a filter proxy (kind or field, plus free text).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from desktop.ops.import_values import CHANGED, KIND_LABELS, NEW, UNCHANGED, ImportChange, ImportProblem
from desktop.ui.models.record_table_model import ModelIndex, RecordTableModel, sort_less
from desktop.ui.qt_setup import chinese_locale

_TR_CONTEXT = "ImportModels"
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
KIND_COLOURS = {NEW: QColor("#1e6b34"), CHANGED: QColor("#8a5300"), UNCHANGED: QColor("#7a7a7a")}
CHANGED_BACKGROUND = QColor("#fff4dc")
ERROR_FOREGROUND = QColor("#a8261b")
KindRole = Qt.ItemDataRole.UserRole + 1
FieldRole = Qt.ItemDataRole.UserRole + 2
SortRole = Qt.ItemDataRole.UserRole + 3


def _tr(text: str) -> str:
    return QCoreApplication.translate(_TR_CONTEXT, text)


def format_value(value: Any) -> str:
    """A stored or imported value as the clerk reads it: 1,519 / 80.15 / text as is; nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _tr("是") if value else _tr("否")
    locale = chinese_locale()
    if isinstance(value, int):
        return locale.toString(value)
    if isinstance(value, float):
        # The shortest exact decimal form: 61.38, not 61.380000.
        return locale.toString(value, "f", QLocale.FloatingPointPrecisionOption.FloatingPointShortest)
    return str(value)


class ImportChangesModel(RecordTableModel[ImportChange]):
    COL_KIND, COL_SHEET, COL_ROW, COL_UNIT, COL_ELEMENT, COL_PERIOD, COL_OLD, COL_NEW, COL_COMMENT = range(9)
    HEADERS = ("变化", "工作表", "行", "单位", "数据项", "报告期", "原值", "新值", "备注")
    TR_CONTEXT = _TR_CONTEXT

    def _text(self, c: ImportChange, column: int) -> str:
        if column == self.COL_KIND:
            return _tr(KIND_LABELS[c.kind])
        if column == self.COL_SHEET:
            return c.sheet
        if column == self.COL_ROW:
            return str(c.row)
        if column == self.COL_UNIT:
            return c.unit_name
        if column == self.COL_ELEMENT:
            return c.element_name
        if column == self.COL_PERIOD:
            return c.period_label
        if column == self.COL_OLD:
            return format_value(c.old_value)
        if column == self.COL_NEW:
            return format_value(c.new_value)
        if column == self.COL_COMMENT:
            return c.new_comment if c.new_comment is not None else (c.old_comment or "")
        return ""

    def record_data(self, c: ImportChange, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(c, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_UNIT:
                return f"{c.unit_name}（{c.unit_code}）"
            if column == self.COL_ELEMENT:
                unit = f"，{c.element_unit}" if c.element_unit else ""
                return f"{c.element_name}（{c.element_code}{unit}）"
            return self._text(c, column) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_KIND:
            return KIND_COLOURS[c.kind]
        if role == Qt.ItemDataRole.ForegroundRole and c.kind == UNCHANGED:
            return KIND_COLOURS[UNCHANGED]
        if role == Qt.ItemDataRole.BackgroundRole and c.kind == CHANGED and column == self.COL_NEW:
            return CHANGED_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.COL_OLD, self.COL_NEW, self.COL_ROW):
                return _RIGHT
            if column == self.COL_KIND:
                return _CENTER
        if role == KindRole:
            return c.kind
        if role == SortRole:
            if column == self.COL_ROW:
                return f"{c.sheet}\t{c.row:09d}"
            return self._text(c, column)
        return None


class ImportProblemsModel(RecordTableModel[ImportProblem]):
    COL_SHEET, COL_ROW, COL_CELL, COL_FIELD, COL_MESSAGE = range(5)
    HEADERS = ("工作表", "行", "单元格", "字段", "问题")
    TR_CONTEXT = _TR_CONTEXT

    def fields(self) -> list[str]:
        return sorted({p.field for p in self._rows})

    def _text(self, p: ImportProblem, column: int) -> str:
        if column == self.COL_SHEET:
            return p.sheet
        if column == self.COL_ROW:
            return "" if p.row is None else str(p.row)
        if column == self.COL_CELL:
            return p.cell or ""
        if column == self.COL_FIELD:
            return p.field
        if column == self.COL_MESSAGE:
            return p.message
        return ""

    def record_data(self, p: ImportProblem, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(p, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(p) if column == self.COL_MESSAGE else self._text(p, column) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_MESSAGE:
            return ERROR_FOREGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_ROW, self.COL_CELL):
            return _CENTER
        if role == FieldRole:
            return p.field
        if role == SortRole:
            if column == self.COL_ROW:
                return f"{p.sheet}\t{p.row or 0:09d}"
            return self._text(p, column)
        return None


class ImportFilterProxyModel(QSortFilterProxyModel):
    """Keeps rows whose KindRole/FieldRole equals the chosen key (None: all) and whose text contains the needle."""

    def __init__(self, key_role: int, parent=None) -> None:
        super().__init__(parent)
        self._key_role = key_role
        self._key: str | None = None
        self._needle = ""
        self.setSortRole(SortRole)

    def set_filter(self, key: str | None, text: str) -> None:
        needle = text.strip().lower()
        if key == self._key and needle == self._needle:
            return
        self.beginFilterChange()
        self._key, self._needle = key, needle
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        key = model.data(model.index(source_row, 0, source_parent), self._key_role)
        if self._key is not None and key != self._key:
            return False
        if not self._needle:
            return True
        return any(
            self._needle in str(model.data(model.index(source_row, c, source_parent)) or "").lower()
            for c in range(model.columnCount())
        )

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:
        return sort_less(left.data(SortRole), right.data(SortRole))

"""A read-only table over a list of records (backups, import lines, projects, problems …), one row each.

The base keeps the list and answers the counts, the translated column titles and the guard against indexes
outside the list; a subclass names its HEADERS and its translation context and says in record_data() what a
cell of one record shows. Models whose rows or columns are not a plain list (the entry grids, the plan
tables) stay plain QAbstractTableModels.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # default argument for parent indexes (read-only, so one shared instance is fine)

Record = TypeVar("Record")


class RecordTableModel(QAbstractTableModel, Generic[Record]):
    HEADERS: tuple[str, ...] = ()
    TR_CONTEXT = "RecordTableModel"  # where the column titles are translated (each model keeps its own)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Record] = []

    def load(self, rows: Iterable[Record]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> Record | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(self.TR_CONTEXT, self.HEADERS[section])
        return self.header_data(section, role)

    def header_data(self, section: int, role: int) -> Any:
        """A column title's other roles (alignment, tooltip); none by default."""
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self.record(index.row()) if index.isValid() else None
        if record is None or not 0 <= index.column() < len(self.HEADERS):
            return None
        return self.record_data(record, index.column(), role)

    def record_data(self, record: Record, column: int, role: int) -> Any:
        raise NotImplementedError


def sort_less(a: Any, b: Any) -> bool:
    """a < b for the sort keys of a proxy model; keys of different types (a number and a text) compare as text."""
    try:
        return a < b
    except TypeError:
        return str(a) < str(b)

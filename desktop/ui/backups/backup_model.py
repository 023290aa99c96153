"""The backups of a database as a table: 备份时间 | 类型 | 大小 | 文件名, newest first."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from desktop.ops.backups import BackupInfo
from desktop.ui.qt_setup import chinese_locale

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_MUTED = QColor("#6b6b6b")


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupTableModel", text)


def format_size(size: int) -> str:
    """1.2 MB, 640 KB — in the units Windows Explorer shows."""
    return chinese_locale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


class BackupTableModel(QAbstractTableModel):
    COL_TIME, COL_REASON, COL_SIZE, COL_FILE = range(4)
    HEADERS = ("备份时间", "类型", "大小", "文件名")
    BackupRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[BackupInfo] = []

    def load(self, rows: list[BackupInfo]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def backup_at(self, row: int) -> BackupInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS)
        if horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.HEADERS[section])
        if horizontal and role == Qt.ItemDataRole.TextAlignmentRole and section == self.COL_SIZE:
            return _RIGHT
        return None

    def _text(self, backup: BackupInfo, column: int) -> str:
        if column == self.COL_TIME:
            stamp = QDateTime(backup.created.date(), backup.created.time())
            return chinese_locale().toString(stamp, "yyyy-MM-dd HH:mm:ss")
        if column == self.COL_REASON:
            return _tr(backup.label)
        if column == self.COL_SIZE:
            return format_size(backup.size)
        if column == self.COL_FILE:
            return backup.path.name
        return ""

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        backup, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(backup, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(backup.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_SIZE:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_FILE:
            return _MUTED
        if role == self.BackupRole:
            return backup
        return None

"""The backups of a database as a table: 备份时间 | 类型 | 大小 | 文件名, newest first."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt
from PySide6.QtGui import QColor

from desktop.ops.backups import BackupInfo
from desktop.ui.models.record_table_model import RecordTableModel
from desktop.ui.qt_setup import chinese_locale

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_MUTED = QColor("#6b6b6b")


def _tr(text: str) -> str:
    return QCoreApplication.translate(BackupTableModel.TR_CONTEXT, text)


def format_size(size: int) -> str:
    """1.2 MB, 640 KB — in the units Windows Explorer shows."""
    return chinese_locale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


class BackupTableModel(RecordTableModel[BackupInfo]):
    COL_TIME, COL_REASON, COL_SIZE, COL_FILE = range(4)
    HEADERS = ("备份时间", "类型", "大小", "文件名")
    TR_CONTEXT = "BackupTableModel"
    BackupRole = Qt.ItemDataRole.UserRole + 1

    def backup_at(self, row: int) -> BackupInfo | None:
        return self.record(row)

    def header_data(self, section: int, role: int):
        if role == Qt.ItemDataRole.TextAlignmentRole and section == self.COL_SIZE:
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

    def record_data(self, backup: BackupInfo, column: int, role: int):
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

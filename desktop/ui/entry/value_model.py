"""What the form model and the 代报 grid model share: the roles the entry view and its delegates read, how a
value cell shows its value, status colour and messages, and handing typed text to the committer.

Neither model writes: setData passes the typed text to `committer` (the page's edit controller, which saves
through ops with undo) and the model then shows whatever the database holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, Qt

from desktop.ops.entry import CellKey
from desktop.store.elements import DataElement
from desktop.ui.entry import cells
from desktop.ui.entry.cells import tr
from desktop.ui.qt_setup import chinese_locale

Committer = Callable[[list[tuple[CellKey, object]], str], bool]
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class EntryValueModel(QAbstractTableModel):
    CellKeyRole = Qt.ItemDataRole.UserRole + 1
    StatusRole = Qt.ItemDataRole.UserRole + 2
    CommentRole = Qt.ItemDataRole.UserRole + 3
    FollowUpRole = Qt.ItemDataRole.UserRole + 4

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._locale = chinese_locale()
        self.committer: Committer | None = None
        self.last_commit_ok = True

    def value_cell(
        self,
        role: int,
        *,
        stored,
        element: DataElement | None,
        status: str,
        refused: tuple[str, str] | None,
        messages: list[str],
        locked_as: str | None,
        where: str = "",
    ) -> Any:
        """A value cell's data. refused: (typed text, why) of a value that was not saved; messages: the failed
        checks on its row; locked_as: the state (已提交 …) that locks its return; where: a first tooltip line."""
        value = stored.value if stored else None
        if role == Qt.ItemDataRole.DisplayRole:
            return refused[0] if refused else cells.format_value(value, element, self._locale)
        if role == Qt.ItemDataRole.EditRole:
            return cells.edit_text(value, element)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        if role == self.StatusRole:
            return status
        if role == Qt.ItemDataRole.BackgroundRole:
            return cells.LOOKS[status].background
        if role == Qt.ItemDataRole.ForegroundRole:
            return cells.LOOKS[status].foreground
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [where] if where else []
            if refused:
                lines.append(refused[1] + tr("（未保存）"))
            lines += messages
            if locked_as:
                lines.append(tr("报表%1，数据已锁定").replace("%1", locked_as))  # 已提交 …
            if stored is not None and stored.comment:
                lines.append(tr("备注：") + stored.comment)
            return "\n".join(lines) or None
        return None

    def commit(self, key: CellKey | None, editable: bool, value: Any, label: str) -> bool:
        """Hand typed text to the committer; False (and nothing saved) for a cell that cannot take it."""
        if key is None or self.committer is None or not editable:
            self.last_commit_ok = False
            return False
        ok = self.committer([(key, "" if value is None else str(value))], tr("填写 %1").replace("%1", label))
        self.last_commit_ok = ok
        return ok

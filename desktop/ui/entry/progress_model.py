"""Who has filed a data set for a period: one row per unit with its state, rows filled, signer and lateness."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.ops.workflow import UnitProgress
from desktop.ui.entry import cells
from desktop.ui.entry.cells import tr

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
_LATE = QColor("#b42318")
_DONE = QColor("#2b6e2b")


class CompletenessModel(QAbstractTableModel):
    COL_UNIT, COL_STATE, COL_FILLED, COL_SIGNER, COL_DUE = range(5)
    UnitIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[UnitProgress] = []

    def set_rows(self, rows: list[UnitProgress]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def summary(self) -> str:
        if not self._rows:
            return ""
        submitted = sum(1 for r in self._rows if r.submitted)
        late = sum(1 for r in self._rows if r.late)
        text = tr("已报 %1/%2 个单位").replace("%1", str(submitted)).replace("%2", str(len(self._rows)))
        return text + (tr("，逾期 %1 个").replace("%1", str(late)) if late else "")

    def row_of_unit(self, unit_id: int) -> int | None:
        for i, r in enumerate(self._rows):
            if r.org_unit_id == unit_id:
                return i
        return None

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < 5
        ):
            return (tr("单位"), tr("状态"), tr("已填"), tr("填表人"), tr("截止"))[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < 5:
            return None
        r = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_UNIT:
                return r.org_unit_name
            if column == self.COL_STATE:
                return r.state.state_zh
            if column == self.COL_FILLED:
                return f"{r.filled}/{r.required}"
            if column == self.COL_SIGNER:
                return r.state.submitted_by or ""
            if r.due is None:
                return ""
            if not r.late:
                return r.due.isoformat()
            return r.due.isoformat() + (tr("（逾期提交）") if r.submitted else tr("（逾期）"))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.COL_DUE and r.late:
                return _LATE
            if column == self.COL_STATE and r.submitted:
                return _DONE
            if column == self.COL_FILLED and r.filled < r.required:
                return cells.MUTED
        if role == Qt.ItemDataRole.ToolTipRole and r.state.submitted_at:
            return tr("提交于 %1").replace("%1", r.state.submitted_at)
        if role == self.UnitIdRole:
            return r.org_unit_id
        return None

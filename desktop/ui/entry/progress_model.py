"""Who has filed a data set for a period: one row per unit with its state, rows filled, signer and lateness."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop.ops.workflow import UnitProgress
from desktop.ui.entry import cells
from desktop.ui.entry.cells import tr
from desktop.ui.models.record_table_model import RecordTableModel

_LATE = QColor("#b42318")
_DONE = QColor("#2b6e2b")


class CompletenessModel(RecordTableModel[UnitProgress]):
    COL_UNIT, COL_STATE, COL_FILLED, COL_SIGNER, COL_DUE = range(5)
    HEADERS = ("单位", "状态", "已填", "填表人", "截止")
    TR_CONTEXT = "EntryCells"  # with the other strings of the entry screens (cells.tr)
    UnitIdRole = Qt.ItemDataRole.UserRole + 1

    def set_rows(self, rows: list[UnitProgress]) -> None:
        self.load(rows)

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

    def record_data(self, r: UnitProgress, column: int, role: int):
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

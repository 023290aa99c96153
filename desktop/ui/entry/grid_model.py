"""The 代报 grid as a table: one row per unit a filer files for, one column per form row, a totals row.

Like the form model it never writes (see entry.value_model). Cells of a unit whose return is signed are
locked; the totals row (sum of the units' values, for summable elements) is read-only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desktop.ops.entry import CellKey
from desktop.ops.forms import GridData
from desktop.store.elements import DataSetRow
from desktop.store.orgunits import OrgUnit
from desktop.store.workflow import ReturnState
from desktop.ui.entry import cells
from desktop.ui.entry.cells import tr
from desktop.ui.entry.value_model import EntryValueModel

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_HEADER = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)  # a long row name wraps, not elides


class ProxyGridModel(EntryValueModel):
    COL_UNIT = 0
    UnitIdRole = Qt.ItemDataRole.UserRole + 5

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._grid: GridData | None = None
        self._statuses: dict[int, dict[str, str]] = {}
        self._messages: dict[int, dict[str, list[str]]] = {}
        self._refused: dict[tuple[str, str], tuple[str, str]] = {}  # (element code, unit code) -> (text, why)

    # --- loading -----------------------------------------------------------------------------------------

    @property
    def grid(self) -> GridData | None:
        return self._grid

    def set_grid(self, grid: GridData | None) -> None:
        """Show a grid; the same grid again (after an edit) updates in place."""
        same = (
            self._grid is not None
            and grid is not None
            and (self._grid.data_set.id, self._grid.period, self._grid.filer.id)
            == (grid.data_set.id, grid.period, grid.filer.id)
            and [u.id for u in self._grid.units] == [u.id for u in grid.units]
            and [r.id for r in self._grid.rows] == [r.id for r in grid.rows]
        )
        if not same:
            self.beginResetModel()
            self._refused.clear()
        self._grid = grid
        self._statuses = {u: cells.row_statuses(c) for u, c in grid.checks.items()} if grid else {}
        self._messages = {u: cells.row_messages(c) for u, c in grid.checks.items()} if grid else {}
        if same:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
        else:
            self.endResetModel()

    def set_refused(self, key: CellKey, text: str, message: str) -> None:
        self._refused[(key.element_code, key.org_unit_code)] = (text, message)
        self._emit_all()

    def clear_refused(self) -> None:
        if self._refused:
            self._refused.clear()
            self._emit_all()

    def _emit_all(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    # --- geometry ------------------------------------------------------------------------------------------

    @property
    def col_state(self) -> int:
        return 1 + len(self._grid.rows) if self._grid else 1

    @property
    def col_filled(self) -> int:
        return self.col_state + 1

    @property
    def total_row(self) -> int:
        return len(self._grid.units) if self._grid else 0

    def element_columns(self) -> list[int]:
        return list(range(1, 1 + len(self._grid.rows))) if self._grid else []

    def unit(self, row: int) -> OrgUnit | None:
        return self._grid.units[row] if self._grid and 0 <= row < len(self._grid.units) else None

    def form_row(self, column: int) -> DataSetRow | None:
        if self._grid is None or not 1 <= column <= len(self._grid.rows):
            return None
        return self._grid.rows[column - 1]

    def state(self, row: int) -> ReturnState | None:
        unit = self.unit(row)
        if unit is None or self._grid is None:
            return None
        return self._grid.states.get(unit.id) or ReturnState(
            self._grid.data_set.id, unit.id, self._grid.period.code
        )

    def cell_key(self, row: int, column: int) -> CellKey | None:
        unit, form_row = self.unit(row), self.form_row(column)
        if unit is None or form_row is None or not form_row.element_code or self._grid is None:
            return None
        return CellKey(form_row.element_code, unit.code, self._grid.period.code)

    def position(self, key: CellKey) -> tuple[int, int] | None:
        if self._grid is None:
            return None
        rows = [i for i, u in enumerate(self._grid.units) if u.code == key.org_unit_code]
        cols = [i + 1 for i, r in enumerate(self._grid.rows) if r.element_code == key.element_code]
        return (rows[0], cols[0]) if rows and cols else None

    def filled(self, row: int) -> tuple[int, int]:
        unit = self.unit(row)
        if unit is None or self._grid is None:
            return 0, 0
        required = [r for r in self._grid.rows if r.required]
        got = sum(1 for r in required if self._stored(r.element_id, unit.id) is not None)
        return got, len(required)

    def _stored(self, element_id: int | None, unit_id: int):
        value = self._grid.cells.get((element_id, unit_id)) if self._grid and element_id else None  # type: ignore[arg-type]
        return value if value is not None and value.value is not None else None

    # --- Qt model interface -----------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        if parent.isValid() or self._grid is None:
            return 0
        return len(self._grid.units) + 1  # the totals row

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        if parent.isValid() or self._grid is None:
            return 0
        return len(self._grid.rows) + 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == self.COL_UNIT:
                return tr("单位")
            if section == self.col_state:
                return tr("状态")
            if section == self.col_filled:
                return tr("已填")
            row = self.form_row(section)
            assert row is not None
            return f"{row.row_code}\n{row.label.removeprefix('其中：')}\n（{row.unit or ''}）"
        if role == Qt.ItemDataRole.ToolTipRole:
            row = self.form_row(section)
            return f"{row.row_code} {row.label}" if row else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _HEADER
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid() or self._grid is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        state = self.state(index.row())
        if self.cell_key(index.row(), index.column()) is not None and state is not None and not state.locked:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._grid is None:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < self.rowCount() and 0 <= column < self.columnCount()):
            return None
        if row == self.total_row:
            return self._total_data(column, role)
        unit = self._grid.units[row]
        if role == self.UnitIdRole:
            return unit.id
        if column == self.COL_UNIT:
            if role == Qt.ItemDataRole.DisplayRole:
                return unit.display_name
            if role == Qt.ItemDataRole.ToolTipRole:
                return unit.name
            return None
        if column == self.col_state:
            state = self.state(row)
            if role == Qt.ItemDataRole.DisplayRole:
                return state.state_zh if state else ""
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _CENTER
            return None
        if column == self.col_filled:
            got, total = self.filled(row)
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{got}/{total}"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _CENTER
            if role == Qt.ItemDataRole.ForegroundRole and got < total:
                return cells.MUTED
            return None
        return self._value_data(row, column, unit, role)

    def _value_data(self, row: int, column: int, unit: OrgUnit, role: int) -> Any:
        grid = self._grid
        assert grid is not None
        form_row = self.form_row(column)
        assert form_row is not None
        stored = grid.cells.get((form_row.element_id, unit.id))  # type: ignore[arg-type]
        if role == self.CellKeyRole:
            return self.cell_key(row, column)
        if role == self.CommentRole:
            return stored.comment if stored else None
        if role == self.FollowUpRole:
            return bool(stored and stored.follow_up)
        refused = self._refused.get((form_row.element_code or "", unit.code))
        state = self.state(row)
        locked = state is not None and state.locked
        status = cells.cell_status(
            locked=locked,
            refused=refused is not None,
            rule_status=self._statuses.get(unit.id, {}).get(form_row.row_code),
            required=form_row.required,
            has_value=stored is not None and stored.value is not None,
        )
        return self.value_cell(
            role,
            stored=stored,
            element=grid.elements.get(form_row.element_id) if form_row.element_id else None,
            status=status,
            refused=refused,
            messages=self._messages.get(unit.id, {}).get(form_row.row_code, []),
            locked_as=state.state_zh if locked else None,
            where=f"{unit.display_name}　{form_row.row_code} {form_row.label}",
        )

    def _total_data(self, column: int, role: int) -> Any:
        grid = self._grid
        assert grid is not None
        if role == Qt.ItemDataRole.BackgroundRole:
            return cells.TOTAL_BACKGROUND
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column == self.COL_UNIT else _RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.COL_UNIT:
            return tr("合计（%1 个单位）").replace("%1", str(len(grid.units)))
        form_row = self.form_row(column)
        if form_row is None:
            return ""
        element = grid.elements.get(form_row.element_id) if form_row.element_id else None
        if element is None or element.aggregation != "sum":
            return ""
        numbers = [
            v.value
            for (e, _u), v in grid.cells.items()
            if e == form_row.element_id and cells.is_number(v.value)
        ]
        return cells.format_value(sum(numbers), element, self._locale) if numbers else ""

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        unit, form_row = self.unit(index.row()), self.form_row(index.column())
        label = f"{unit.display_name if unit else ''} {form_row.row_code if form_row else ''}"
        editable = bool(self.flags(index) & Qt.ItemFlag.ItemIsEditable)
        return self.commit(self.cell_key(index.row(), index.column()), editable, value, label)

"""One unit's form for one period as a table: a row per form row (section headings between), one value column.

Columns: 代码, 指标名称 (其中 rows indented), 计量单位, 本期 (editable), 上期, 上年同期, 计算率, 分母来源, 备注.
The model never writes (see entry.value_model). A refused value is kept for display only, in the refused
colour with its message, until the cell is edited again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desktop.ops.entry import PROVENANCE_NAMES_ZH, CellKey
from desktop.ops.forms import FormData, RatePair
from desktop.store.elements import DataSetRow
from desktop.ui.entry import cells
from desktop.ui.entry.cells import tr
from desktop.ui.entry.value_model import EntryValueModel

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Line:
    """A row of the grid: a section heading (row is None) or a form row."""

    section: str | None
    row: DataSetRow | None = None


class FormEntryModel(EntryValueModel):
    COL_CODE, COL_NAME, COL_UNIT, COL_VALUE, COL_PREV, COL_LAST, COL_RATE, COL_SOURCE, COL_NOTE = range(9)
    COLUMN_COUNT = 9

    RowCodeRole = Qt.ItemDataRole.UserRole + 5

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._form: FormData | None = None
        self._lines: list[Line] = []
        self._statuses: dict[str, str] = {}
        self._messages: dict[str, list[str]] = {}
        self._refused: dict[str, tuple[str, str]] = {}  # element code -> (typed text, message)
        self._rate_by_numerator: dict[str, RatePair] = {}
        self._denominators: dict[str, list[RatePair]] = {}

    # --- loading -----------------------------------------------------------------------------------------

    @property
    def form(self) -> FormData | None:
        return self._form

    @property
    def locked(self) -> bool:
        return self._form is not None and self._form.state.locked

    def set_form(self, form: FormData | None) -> None:
        """Show a form. The same form again (after an edit) updates in place, keeping the current cell."""
        same_shape = (
            self._form is not None
            and form is not None
            and self._form.key == form.key
            and [r.id for r in self._form.rows] == [r.id for r in form.rows]
        )
        if not same_shape:
            self.beginResetModel()
            self._refused.clear()
        self._form = form
        self._lines = _lines(form.rows) if form else []
        self._statuses = cells.row_statuses(form.checks) if form else {}
        self._messages = cells.row_messages(form.checks) if form else {}
        self._rate_by_numerator = {p.numerator: p for p in form.rates} if form else {}
        self._denominators = {}
        for pair in form.rates if form else []:
            self._denominators.setdefault(pair.denominator, []).append(pair)
        if same_shape:
            if self._lines:
                last = self.index(len(self._lines) - 1, self.COLUMN_COUNT - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        else:
            self.endResetModel()

    def set_refused(self, element_code: str, text: str, message: str) -> None:
        self._refused[element_code] = (text, message)
        self._emit_row_of(element_code)

    def clear_refused(self, element_code: str | None = None) -> None:
        codes = list(self._refused) if element_code is None else [element_code]
        for code in codes:
            if self._refused.pop(code, None) is not None:
                self._emit_row_of(code)

    def _emit_row_of(self, element_code: str) -> None:
        for i, line in enumerate(self._lines):
            if line.row is not None and line.row.element_code == element_code:
                self.dataChanged.emit(self.index(i, 0), self.index(i, self.COLUMN_COUNT - 1))

    # --- lookups used by the page ---------------------------------------------------------------------------

    def line(self, row: int) -> Line | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def cell_key(self, row: int) -> CellKey | None:
        line = self.line(row)
        if self._form is None or line is None or line.row is None or not line.row.element_code:
            return None
        return CellKey(line.row.element_code, self._form.key.unit.code, self._form.key.period_code)

    def row_of_code(self, row_code: str) -> int | None:
        for i, line in enumerate(self._lines):
            if line.row is not None and line.row.row_code == row_code:
                return i
        return None

    def editable_rows(self) -> list[int]:
        return [i for i in range(len(self._lines)) if self.cell_key(i) is not None]

    def denominator_pairs(self, row: int) -> list[RatePair]:
        line = self.line(row)
        if line is None or line.row is None or not line.row.element_code:
            return []
        return self._denominators.get(line.row.element_code, [])

    def has_rates(self) -> bool:
        return bool(self._rate_by_numerator)

    def stored(self, row: int):
        line = self.line(row)
        if self._form is None or line is None or line.row is None or line.row.element_id is None:
            return None
        return self._form.current.get(line.row.element_id)

    def filled_counts(self) -> tuple[int, int]:
        """(filled required rows, required rows)."""
        required = [
            ln.row for ln in self._lines if ln.row is not None and ln.row.required and ln.row.element_id
        ]
        filled = sum(1 for r in required if self._value_of(r) is not None)
        return filled, len(required)

    def _value_of(self, row: DataSetRow) -> Any:
        stored = self._form.current.get(row.element_id) if self._form and row.element_id else None
        return stored.value if stored else None

    # --- Qt model interface -----------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header(section)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return (
                _RIGHT if section in (self.COL_VALUE, self.COL_PREV, self.COL_LAST, self.COL_RATE) else _LEFT
            )
        return None

    def _header(self, section: int) -> str:
        form = self._form
        if section == self.COL_VALUE:
            return tr("本期") + (f"\n{form.key.period.short_label_zh}" if form else "")
        if section == self.COL_PREV:
            return tr("上期") + (
                f"\n{form.previous_period.short_label_zh}" if form and form.previous_period else ""
            )
        if section == self.COL_LAST:
            period = form.last_year_period if form else None
            return tr("上年同期") + (f"\n{period.short_label_zh}" if period else "")
        names = {
            self.COL_CODE: tr("代码"),
            self.COL_NAME: tr("指标名称"),
            self.COL_UNIT: tr("计量单位"),
            self.COL_RATE: tr("计算率"),
            self.COL_SOURCE: tr("分母来源"),
            self.COL_NOTE: tr("备注"),
        }
        return names[section]

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        line = self.line(index.row()) if index.isValid() else None
        if line is None or line.row is None:
            return Qt.ItemFlag.NoItemFlags  # section headings: skipped by the cursor keys
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.COL_VALUE and line.row.element_id is not None and not self.locked:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.line(index.row()) if index.isValid() else None
        if line is None or not 0 <= index.column() < self.COLUMN_COUNT:
            return None
        if line.row is None:
            return self._section_data(index.column(), line.section or "", role)
        return self._row_data(index.row(), line.row, index.column(), role)

    def _section_data(self, column: int, text: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and column == self.COL_CODE:
            return text
        if role == Qt.ItemDataRole.BackgroundRole:
            return cells.SECTION_BACKGROUND
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            return cells.MUTED
        return None

    def _row_data(self, i: int, row: DataSetRow, column: int, role: int) -> Any:
        form = self._form
        assert form is not None
        element = form.elements.get(row.element_id) if row.element_id else None
        stored = form.current.get(row.element_id) if row.element_id else None
        if role == self.RowCodeRole:
            return row.row_code
        if role == self.CellKeyRole:
            return self.cell_key(i)
        if role == self.CommentRole:
            return stored.comment if stored else None
        if role == self.FollowUpRole:
            return bool(stored and stored.follow_up)
        if column == self.COL_VALUE:
            return self._value_data(row, element, stored, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(i, row, column, element, stored)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in (self.COL_PREV, self.COL_LAST, self.COL_RATE) else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (self.COL_PREV, self.COL_LAST, self.COL_CODE, self.COL_UNIT):
                return cells.MUTED
            if column == self.COL_NOTE and stored and stored.follow_up:
                return cells.FOLLOW_UP
            if column == self.COL_SOURCE and stored and not stored.provenance:
                return cells.MUTED
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column, stored)
        return None

    def _value_data(self, row: DataSetRow, element, stored, role: int) -> Any:
        refused = self._refused.get(row.element_code or "")
        status = cells.cell_status(
            locked=self.locked,
            refused=refused is not None,
            rule_status=self._statuses.get(row.row_code),
            required=row.required and row.element_id is not None,
            has_value=stored is not None and stored.value is not None,
        )
        return self.value_cell(
            role,
            stored=stored,
            element=element,
            status=status,
            refused=refused,
            messages=self._messages.get(row.row_code, []),
            locked_as=self._form.state.state_zh if self.locked else None,
        )

    def _display(self, i: int, row: DataSetRow, column: int, element, stored) -> str | None:
        form = self._form
        assert form is not None
        if column == self.COL_CODE:
            return row.row_code
        if column == self.COL_NAME:
            return "　" * (2 * row.depth) + row.label
        if column == self.COL_UNIT:
            return row.unit or ""
        if column == self.COL_PREV:
            return cells.format_value(form.previous.get(row.element_id), element, self._locale)
        if column == self.COL_LAST:
            return cells.format_value(form.last_year.get(row.element_id), element, self._locale)
        if column == self.COL_RATE:
            return self._rate_text(row)
        if column == self.COL_SOURCE:
            if not self.denominator_pairs(i):
                return ""
            if stored is None or not stored.provenance:
                return tr("未注明") if stored is not None else ""
            return tr(PROVENANCE_NAMES_ZH[stored.provenance])
        if column == self.COL_NOTE:
            note = stored.comment if stored and stored.comment else ""
            if stored and stored.follow_up:
                return tr("［需跟进］") + note
            return note
        return None

    def rate_value(self, row: DataSetRow) -> tuple[RatePair, float] | None:
        pair = self._rate_by_numerator.get(row.element_code or "")
        if pair is None or self._form is None:
            return None
        by_code = {r.element_code: r.element_id for r in self._form.rows if r.element_code}
        num = self._form.current.get(by_code.get(pair.numerator))  # type: ignore[arg-type]
        den = self._form.current.get(by_code.get(pair.denominator))  # type: ignore[arg-type]
        rate = pair.compute(num.value if num else None, den.value if den else None)
        return (pair, rate) if rate is not None else None

    def _rate_text(self, row: DataSetRow) -> str:
        found = self.rate_value(row)
        if found is None:
            return ""
        pair, rate = found
        unit = pair.unit or ""
        return self._locale.toString(rate, "f", pair.decimals) + ("" if unit in ("", "%") else " ") + unit

    def _tooltip(self, row: DataSetRow, column: int, stored) -> str | None:
        if column == self.COL_RATE:
            found = self.rate_value(row)
            if found:
                pair = found[0]
                note = f"{pair.name} = {pair.numerator} ÷ {pair.denominator} × {pair.factor:g}"
                den = self._form.current.get(
                    next((r.element_id for r in self._form.rows if r.element_code == pair.denominator), -1)
                )
                if den is not None and den.provenance == "quota":
                    note += "\n" + tr("分母是任务数：超过 100% 属正常")
                return note
        if column == self.COL_SOURCE and stored is not None:
            parts = [p for p in (stored.provenance_formula, stored.provenance_source) if p]
            tip = "\n".join(parts)
            return (tip + "\n" if tip else "") + tr("双击或按 F4 修改分母来源")
        if column == self.COL_NOTE and stored is not None and stored.comment:
            return stored.comment
        if column == self.COL_NAME:
            return row.label
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.COL_VALUE:
            return False
        return self.commit(self.cell_key(index.row()), not self.locked, value, self._line_label(index.row()))

    def _line_label(self, row: int) -> str:
        line = self.line(row)
        return f"{line.row.row_code} {cells_label(line.row)}" if line and line.row else ""


def cells_label(row: DataSetRow) -> str:
    return row.label.removeprefix("其中：")


def _lines(rows: list[DataSetRow]) -> list[Line]:
    lines: list[Line] = []
    section = None
    for row in rows:
        if row.section and row.section != section:
            lines.append(Line(row.section))
            section = row.section
        lines.append(Line(row.section, row))
    return lines

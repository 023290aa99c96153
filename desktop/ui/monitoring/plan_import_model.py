"""The preview of a pasted plan table: each row with its unit split off, its domain (carried down from merged
cells), the indicator it will be linked to (editable), and every cell with the parser's reading. Unreadable
cells are red, readings to check are yellow."""

from __future__ import annotations

import re

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desktop.ops.plan_import import CellReading, ImportPreview, IndicatorMatch, PreviewRow
from desktop.ui.monitoring.style import AMBIGUOUS_BACKGROUND, MUTED_TEXT, UNREADABLE_BACKGROUND, tr

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
NEW_INDICATOR = -1  # the choice "create a new indicator"
_DIRECTIONS = {"up": "越高越好", "down": "越低越好"}


def short_note(note: str) -> str:
    """The parser's note without its closing explanation in brackets (the tooltip keeps it all)."""
    return re.sub(r"[（(][^（）()]*[）)]$", "", note.strip()).strip()


class PlanPreviewModel(QAbstractTableModel):
    COL_LINE, COL_SEQ, COL_DOMAIN, COL_NAME, COL_UNIT, COL_NATURE, COL_MATCH = range(7)
    _FIXED = ("行", "序号", "领域", "指标名称", "单位", "性质", "对应指标")
    ChoicesRole = Qt.ItemDataRole.UserRole + 1  # [(indicator id or NEW_INDICATOR, label)] for the editor
    ChoiceRole = Qt.ItemDataRole.UserRole + 2
    CellRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._preview: ImportPreview | None = None
        self._choices: dict[int, int | None] = {}
        self._years: list[int] = []
        self._has_baseline = False

    def load(self, preview: ImportPreview | None) -> None:
        self.beginResetModel()
        self._preview = preview
        self._choices = {
            i: (r.match.indicator_id if r.match else None)
            for i, r in enumerate(preview.rows if preview else ())
        }
        self._years = list(preview.table.target_years) if preview else []
        self._has_baseline = bool(preview and preview.table.has_baseline)
        self.endResetModel()

    @property
    def preview(self) -> ImportPreview | None:
        return self._preview

    def choices(self) -> dict[int, int | None]:
        """Row index → chosen indicator id (None: create a new indicator)."""
        return dict(self._choices)

    def set_choice(self, row: int, indicator_id: int | None) -> None:
        self._choices[row] = indicator_id
        index = self.index(row, self.COL_MATCH)
        self.dataChanged.emit(index, index)

    @property
    def baseline_column(self) -> int | None:
        return len(self._FIXED) if self._has_baseline else None

    def year_column(self, year: int) -> int:
        return len(self._FIXED) + int(self._has_baseline) + self._years.index(year)

    def column_is_empty(self, column: int) -> bool:
        """True for a fixed column no row fills (a table without 序号 or 性质)."""
        return self.rowCount() > 0 and not any(self.index(r, column).data() for r in range(self.rowCount()))

    def cell_at(self, row: int, column: int) -> CellReading | None:
        if self._preview is None or not 0 <= row < len(self._preview.rows):
            return None
        prow = self._preview.rows[row]
        if column == self.baseline_column:
            return prow.baseline
        offset = column - len(self._FIXED) - int(self._has_baseline)
        return prow.targets[offset] if 0 <= offset < len(prow.targets) else None

    # --- Qt model API ----------------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() or self._preview is None else len(self._preview.rows)

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        if parent.isValid():
            return 0
        return len(self._FIXED) + int(self._has_baseline) + len(self._years)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if not 0 <= section < self.columnCount():
            return None
        if section < len(self._FIXED):
            return tr(self._FIXED[section])
        if section == self.baseline_column:
            year = self._preview.table.baseline_year if self._preview else None
            return tr("基期（%1年）").replace("%1", str(year)) if year else tr("基期")
        return tr("%1年目标").replace(
            "%1", str(self._years[section - len(self._FIXED) - int(self._has_baseline)])
        )

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.COL_MATCH:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _match_label(self, prow: PreviewRow, chosen: int | None) -> str:
        if chosen is None:
            return tr("（新建指标，%1）").replace("%1", tr(_DIRECTIONS.get(prow.direction, "越高越好")))
        match = next((m for m in prow.suggestions if m.indicator_id == chosen), None)
        if match is None:
            return tr("指标 %1").replace("%1", str(chosen))
        return f"{match.name}（{match.how_zh}）"

    def _choice_list(self, prow: PreviewRow) -> list[tuple[int, str]]:
        items: list[tuple[int, str]] = [(m.indicator_id, self._option(m)) for m in prow.suggestions]
        items.append((NEW_INDICATOR, self._match_label(prow, None)))
        return items

    @staticmethod
    def _option(match: IndicatorMatch) -> str:
        return f"{match.name} · {match.code}（{match.how_zh}）"

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._preview is None or not 0 <= index.row() < len(self._preview.rows):
            return None
        prow = self._preview.rows[index.row()]
        row, column = prow.row, index.column()
        if column >= len(self._FIXED):
            return self._cell_data(self.cell_at(index.row(), column), role)
        if column == self.COL_MATCH:
            chosen = self._choices.get(index.row())
            if role == Qt.ItemDataRole.DisplayRole:
                return self._match_label(prow, chosen)
            if role == self.ChoicesRole:
                return self._choice_list(prow)
            if role == self.ChoiceRole:
                return NEW_INDICATOR if chosen is None else chosen
            if role == Qt.ItemDataRole.ToolTipRole:
                return tr("双击或按 F2 更改对应的指标")
            if role == Qt.ItemDataRole.ForegroundRole and chosen is None:
                return MUTED_TEXT
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_LINE: str(row.line),
                self.COL_SEQ: row.seq or "",
                self.COL_DOMAIN: row.domain or "",
                self.COL_NAME: row.name,
                self.COL_UNIT: row.unit or "",
                self.COL_NATURE: row.nature or "",
            }[column]
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.COL_DOMAIN and row.domain_carried:
                return MUTED_TEXT
            if column == self.COL_LINE:
                return MUTED_TEXT
        if role == Qt.ItemDataRole.FontRole and column == self.COL_DOMAIN and row.domain_carried:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_DOMAIN and row.domain_carried:
                return tr("原表此格为空（合并单元格），沿用上一行的领域")
            if column in (self.COL_NAME, self.COL_UNIT) and row.unit_from_name:
                return tr("单位从名称“%1”中拆出").replace("%1", row.name_cell)
            if column == self.COL_NAME and row.department:
                return tr("牵头单位：%1").replace("%1", row.department)
        return None

    def _cell_data(self, cell: CellReading | None, role: int):
        if cell is None:
            return None
        if role == self.CellRole:
            return cell
        if role == Qt.ItemDataRole.DisplayRole:
            if cell.unreadable:
                return f"{cell.raw}\n✗ {tr('无法识别')}"
            if not cell.raw.strip():
                return f"（{tr('空白')}）"
            return f"{cell.raw}\n→ {short_note(cell.note) or cell.label}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.note
        if role == Qt.ItemDataRole.BackgroundRole:
            if cell.unreadable:
                return UNREADABLE_BACKGROUND
            if cell.ambiguous:
                return AMBIGUOUS_BACKGROUND
        return None

    def setData(self, index: ModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.COL_MATCH or role != Qt.ItemDataRole.EditRole:
            return False
        self.set_choice(index.row(), None if value in (None, NEW_INDICATOR) else int(value))
        return True

"""The problems panel: every failed check of the return(s) on screen, with its Chinese message; a click jumps to
the cell, and 'explain' failures get their 审核说明 from here. Required rows still empty are one line per
return (they are many on a new form, and the grid's colour already marks each).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ops.checks import CheckResult
from desktop.ui.delegates import PaddedItemDelegate
from desktop.ui.entry import cells
from desktop.ui.entry.cells import tr
from desktop.ui.models.record_table_model import RecordTableModel

BLOCKING, NEEDS_NOTE, EXPLAINED, MISSING = "blocking", "needs_note", "explained", "missing"
_LEVELS = {
    BLOCKING: ("不得提交", cells.ERROR),
    NEEDS_NOTE: ("需说明", cells.WARNING),
    EXPLAINED: ("已说明", cells.EXPLAINED),
    MISSING: ("未填", cells.REQUIRED),
}
_ORDER = {BLOCKING: 0, MISSING: 1, NEEDS_NOTE: 2, EXPLAINED: 3}
_UNIT_MAX_CHARS = 8


@dataclass(frozen=True)
class Problem:
    unit_id: int
    unit_name: str
    level: str
    row_codes: tuple[str, ...]
    text: str
    check: CheckResult | None = None  # None for the summary line of empty required rows


def problems_of(unit_id: int, unit_name: str, checks: list[CheckResult]) -> list[Problem]:
    """The failed checks of one return as panel lines, most serious first."""
    found = []
    missing = [c for c in checks if c.kind == "required" and not c.passed]
    for c in checks:
        if c.passed or c.kind == "required":
            continue
        level = BLOCKING if c.severity == "blocking" else EXPLAINED if c.explanation else NEEDS_NOTE
        text = c.message + (f"\n{c.detail}" if c.detail else "")
        if c.explanation:
            text += "\n" + tr("审核说明：") + c.explanation
        found.append(Problem(unit_id, unit_name, level, c.row_codes, text, c))
    if missing:
        codes = tuple(c.row_codes[0] for c in missing)
        shown = "、".join(codes[:8]) + (tr(" 等") if len(codes) > 8 else "")
        text = tr("%1 个必填项未填：第 %2 行").replace("%1", str(len(codes))).replace("%2", shown)
        found.append(Problem(unit_id, unit_name, MISSING, codes, text))
    return sorted(found, key=lambda p: _ORDER[p.level])


class ProblemListModel(RecordTableModel[Problem]):
    COL_LEVEL, COL_UNIT, COL_ROW, COL_TEXT = range(4)
    HEADERS = ("级别", "单位", "行", "问题")
    TR_CONTEXT = "EntryCells"  # with the other strings of the entry screens (cells.tr)
    ProblemRole = Qt.ItemDataRole.UserRole + 1

    def set_problems(self, problems: list[Problem]) -> None:
        self.load(problems)

    def problem(self, row: int) -> Problem | None:
        return self.record(row)

    def open_count(self) -> int:
        return sum(1 for p in self._rows if p.level in (BLOCKING, NEEDS_NOTE))

    def record_data(self, p: Problem, column: int, role: int):
        label, status = _LEVELS[p.level]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_LEVEL:
                return tr(label)
            if column == self.COL_UNIT:
                return p.unit_name
            if column == self.COL_ROW:
                return p.row_codes[0] if p.row_codes else ""
            return p.text
        if role == Qt.ItemDataRole.ToolTipRole:
            if p.check is not None:
                return f"{p.text}\n{tr('审核公式')}：{p.check.expression}"
            return p.text
        if role == Qt.ItemDataRole.BackgroundRole and column == self.COL_LEVEL:
            return cells.LOOKS[status].background
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_LEVEL:
            return cells.LOOKS[status].foreground
        if role == self.ProblemRole:
            return p
        return None


class ProblemsPanel(QWidget):
    """Title with the count, the list, and the 审核说明 button."""

    jump_requested = Signal(int, str)  # unit id, row code
    explain_requested = Signal(object)  # Problem

    def __init__(self, *, show_unit: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProblemListModel(self)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(PaddedItemDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.setColumnHidden(ProblemListModel.COL_UNIT, not show_unit)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # A long unit name wraps within a few characters; the message takes all the rest of the width.
        header.setSectionResizeMode(ProblemListModel.COL_UNIT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ProblemListModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.view.setAccessibleName(tr("问题列表"))
        self.view.clicked.connect(self._jump)
        self.view.activated.connect(self._jump)
        self.view.doubleClicked.connect(self._explain_index)
        self.view.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.explain_button = QPushButton(tr("填写审核说明(&E)…"))
        self.explain_button.setEnabled(False)
        self.explain_button.clicked.connect(self._explain_current)
        self.empty_label = QLabel(tr("没有发现问题。"))
        self.empty_label.setStyleSheet("color: #2b6e2b;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.empty_label)
        buttons.addStretch(1)
        buttons.addWidget(self.explain_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.set_problems([])

    def set_problems(self, problems: list[Problem]) -> None:
        current = self.model.problem(self.view.currentIndex().row())
        self.model.set_problems(problems)
        opened = self.model.open_count()
        self.title.setText(tr("问题（待处理 %1 个）").replace("%1", str(opened)) if problems else tr("问题"))
        self.empty_label.setVisible(not problems)
        self._fit_unit_column()
        if current is not None:
            for row in range(self.model.rowCount()):
                p = self.model.problem(row)
                same = p is not None and p.check is not None and current.check is not None
                if same and (p.unit_id, p.check.rule_code) == (current.unit_id, current.check.rule_code):
                    self.view.setCurrentIndex(self.model.index(row, ProblemListModel.COL_TEXT))
                    break
        self._selection_changed(self.view.currentIndex())

    def _fit_unit_column(self) -> None:
        column = ProblemListModel.COL_UNIT
        wanted = max(
            self.view.sizeHintForColumn(column), self.view.horizontalHeader().sectionSizeHint(column)
        )
        widest = self.view.fontMetrics().horizontalAdvance("中") * _UNIT_MAX_CHARS
        self.view.setColumnWidth(column, min(wanted, widest))

    def _selection_changed(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        p = self.model.problem(index.row()) if index.isValid() else None
        self.explain_button.setEnabled(p is not None and p.level in (NEEDS_NOTE, EXPLAINED))

    def _jump(self, index: QModelIndex) -> None:
        p = self.model.problem(index.row())
        if p is not None and p.row_codes:
            self.jump_requested.emit(p.unit_id, p.row_codes[0])

    def _explain_index(self, index: QModelIndex) -> None:
        p = self.model.problem(index.row())
        if p is not None and p.level in (NEEDS_NOTE, EXPLAINED):
            self.explain_requested.emit(p)

    def _explain_current(self) -> None:
        self._explain_index(self.view.currentIndex())

"""What the form page and the 代报 grid share: the 报表 and 报告期 pickers, the page's layout (grid and legend,
problems beside them, status, messages and the sign-off bar), saving with undo, and the cell actions (history,
comment, 需跟进, a denominator's provenance, clear, paste).

Every write goes through ops (via EditController or ops.workflow / ops.checks) and ends with data_changed
carrying the OpChanges, which the main window hands to every page's refresh().
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.ops import entry, forms
from desktop.ops.changes import OpChanges
from desktop.ops.checks import CheckError, explain
from desktop.ops.entry import CellKey
from desktop.ops.forms import population_bases
from desktop.ops.users import current_user
from desktop.store import elements
from desktop.store.elements import DataSet, get_element_by_code
from desktop.ui.entry import cells
from desktop.ui.entry.cells import tr
from desktop.ui.entry.dialogs import AuditTrailDialog, CommentDialog, ExplainDialog
from desktop.ui.entry.editing import EditController
from desktop.ui.entry.problems import Problem
from desktop.ui.entry.provenance_dialog import ProvenanceDialog
from desktop.ui.entry.view import EntryItemDelegate, EntryTableView
from desktop.ui.entry.workflow_bar import ReturnActionsBar
from desktop.ui.pickers import picker_row, refill
from desktop.ui.task_runner import TaskRunner

_MESSAGE_STYLE = {True: "color: #a61b1b;", False: "color: #2b5b2b;"}
_HINT_STYLE = "color: #6b6b6b;"
# The problems beside the grid need room for a phrase per line, not a character or two.
SIDE_MIN_CHARS = 26


def legend_widget() -> QWidget:
    """A row of colour chips with what each cell colour means."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(10)
    for status in cells.LEGEND:
        look = cells.LOOKS[status]
        chip = QLabel(tr(look.label))
        colour = look.background.name() if look.background else "white"
        chip.setStyleSheet(
            f"background: {colour}; border: 1px solid #d0d0d0; padding: 1px 6px; color: #333333;"
        )
        layout.addWidget(chip)
    layout.addStretch(1)
    return box


def picker(min_chars: int, *, fit_contents: bool = True) -> QComboBox:
    combo = QComboBox()
    combo.setMinimumContentsLength(min_chars)
    if fit_contents:
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def clipboard_block(text: str) -> list[list[str]]:
    """Cells copied from Excel/WPS (tab-separated lines) as a block of stripped texts.

    Blank lines and blank columns at the end are dropped: Excel ends a copy with a newline, and a selection
    running past the data would otherwise clear cells below (or make the block too big to fit). A cell Excel
    quoted ("1,234") is unquoted.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    block = [[_unquote(cell.strip()) for cell in line.split("\t")] for line in lines]
    while block and not any(block[-1]):
        block.pop()
    width = max((len(line) for line in block), default=0)
    while width and not any(line[width - 1] for line in block if len(line) >= width):
        width -= 1
    return [line[:width] for line in block]


def _unquote(cell: str) -> str:
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        return cell[1:-1].replace('""', '"').strip()
    return cell


class EntryPageBase(QWidget):
    """A subclass names its model_class and builds its grid, side panel and pickers in _build(), with
    set_up_grid() and lay_out(); fill_pickers() fills them, first to last."""

    data_changed = Signal(object)
    model_class: type  # FormEntryModel or ProxyGridModel

    def __init__(
        self,
        conn: sqlite3.Connection,
        db_path: Path,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._conn = conn
        self._db_path = Path(db_path)
        self._runner = runner
        self._today = today
        self.user_name = current_user(conn)  # who the audit rows name (设置 → 当前用户姓名)
        self.controller = EditController(conn, lambda: self.user_name, self)
        self.controller.saved.connect(self._on_saved)
        self.controller.refused.connect(self._on_refused)
        self.dialog = None  # the last dialog opened (kept alive while open; tests drive it)
        self.context_menu: QMenu | None = None
        self._pending_text: dict[CellKey, str] = {}
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.data_set_combo = picker(18)
        self.period_combo = picker(10, fit_contents=False)
        self.data_set_combo.currentIndexChanged.connect(self._data_set_changed)
        self.period_combo.currentIndexChanged.connect(self._selection_changed)
        self.actions_bar = ReturnActionsBar(conn, self)
        self.actions_bar.changed.connect(self._workflow_changed)
        self.actions_bar.message.connect(self.show_message)
        self._build_undo_actions()
        self.model = self.model_class(self)
        self.model.committer = self.save  # the model never writes: edits are saved here, with undo
        self._build()
        self.refresh()

    def _build_undo_actions(self) -> None:
        self.undo_action = self.controller.undo_stack.createUndoAction(self, tr("撤销"))
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = self.controller.undo_stack.createRedoAction(self, tr("重做"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    # --- construction, for subclasses ------------------------------------------------------------------

    def set_up_grid(self, accessible_name: str) -> None:
        """The look both grids share (thin lines, fixed row height, no row numbers) and their cell actions."""
        grid = self.grid
        grid.setModel(self.model)
        grid.setItemDelegate(EntryItemDelegate(grid))
        grid.setStyleSheet("QTableView { gridline-color: #dcdcdc; }")
        rows = grid.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(grid.fontMetrics().height() + 10)
        grid.horizontalHeader().setHighlightSections(False)
        grid.setAccessibleName(accessible_name)
        self.connect_table(grid)
        self.model.modelReset.connect(self._after_reset)

    def lay_out(
        self, pickers: list[tuple[str, QComboBox]], side: QWidget, sizes: tuple[int, int] = (600, 400)
    ) -> None:
        """Pickers on top; the grid with its legend, and the problems beside it; status, messages, sign-off."""
        self._first_picker = pickers[0][1]
        top = picker_row([(text, combo, 0) for text, combo in pickers], spacing=8)
        top.addStretch(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.grid, 1)
        left_layout.addWidget(legend_widget())
        side.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * SIDE_MIN_CHARS)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes(list(sizes))  # in proportion: the splitter scales them to its width
        splitter.setChildrenCollapsible(False)

        # The hint sits on the status line, not beside the legend, so the legend does not keep the grid wide.
        hint = QLabel(tr("右键单元格：修改历史、备注、需跟进"))
        hint.setStyleSheet(_HINT_STYLE)
        status = QHBoxLayout()
        status.addWidget(self.status_label, 1)
        status.addWidget(hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(status)
        layout.addWidget(self.message_label)
        layout.addWidget(self.actions_bar)

    # --- for subclasses ----------------------------------------------------------------------------------

    def _build(self) -> None:
        raise NotImplementedError

    def fill_pickers(self) -> None:
        raise NotImplementedError

    @property
    def table(self) -> EntryTableView:
        return self.grid

    def key_at(self, index: QModelIndex) -> CellKey | None:
        raise NotImplementedError

    def label_of(self, key: CellKey) -> str:
        """Where a cell is, in words, for dialog titles and messages."""
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def _after_reset(self) -> None:
        raise NotImplementedError

    def _data_set_changed(self) -> None:
        raise NotImplementedError

    def mark_refused(self, key: CellKey, text: str, message: str) -> None:
        raise NotImplementedError

    def clear_refused(self) -> None:
        raise NotImplementedError

    def focus_key(self, key: CellKey) -> None:
        raise NotImplementedError

    def locked_message(self, index: QModelIndex) -> str:
        return tr("这一格不能修改")

    # --- pickers -----------------------------------------------------------------------------------------

    @Slot(object)
    def refresh(self, changes: object | None = None) -> None:
        """Refill the pickers if units changed (or they are empty), and show the return(s) again."""
        if getattr(changes, "settings", False):
            # The name may have been changed in 设置: the next edit's audit row carries the new one.
            self.user_name = current_user(self._conn)
            if changes == OpChanges(settings=True):
                return  # nothing the grid shows has changed
        if changes is None or getattr(changes, "org_units", False) or self._first_picker.count() == 0:
            self.fill_pickers()
        self.reload()

    @property
    def data_set_code(self) -> str | None:
        return self.data_set_combo.currentData()

    @property
    def period(self) -> str | None:
        return self.period_combo.currentData()

    def offer_data_sets(self, data_sets: Iterable[DataSet]) -> None:
        items = [(f"{ds.code}　{ds.name}", ds.code) for ds in data_sets]
        refill(self.data_set_combo, items, self.data_set_code)

    def _fill_periods(self) -> None:
        # The current open period comes first (core.periods.current_open_period); keep the one chosen before
        # if the new form has it too.
        ds = elements.get_data_set_by_code(self._conn, self.data_set_code or "")
        periods = forms.allowed_periods(self._conn, ds, self._today) if ds is not None else []
        refill(self.period_combo, [(p.label_zh, p.code) for p in periods], self.period)

    def _selection_changed(self) -> None:
        self.controller.clear()  # undo reaches back only within the return on screen
        self.show_message("")
        self.reload()

    def _workflow_changed(self, changes: object) -> None:
        self.controller.clear()  # a signed (or reopened) return starts a new history
        self.reload()
        self.data_changed.emit(changes)

    def focus_index(self, index: QModelIndex) -> None:
        # Select only this cell: setCurrentIndex would follow the keys held down (Ctrl during Ctrl+V toggles
        # the cell into the old selection), and a Delete pressed next would then clear cells never meant.
        self.grid.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.grid.scrollTo(index)
        self.grid.setFocus()

    # --- messages ----------------------------------------------------------------------------------------

    def show_message(self, text: str, error: bool = False) -> None:
        self.message_label.setStyleSheet(_MESSAGE_STYLE[error])
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def _on_saved(self, changes: OpChanges) -> None:
        self.reload()
        if changes.any:
            self.data_changed.emit(changes)

    def _on_refused(self, key: CellKey | None, message: str) -> None:
        if key is not None and key in self._pending_text:
            # A typed value was refused: show what was typed, in the refused colour, where it was typed.
            self.mark_refused(key, self._pending_text[key], message)
            self.focus_key(key)
        self.show_message(self.refusal_text(key, message), error=True)

    def refusal_text(self, key: CellKey | None, message: str) -> str:
        """The message under the grid for a refused edit (the 代报 grid names the unit as well)."""
        return message

    def save(self, edits: list[tuple[CellKey, object]], text: str) -> bool:
        """Save typed values through the controller; on success clear the old refusal and message."""
        self._pending_text = {k: "" if v is None else str(v) for k, v in edits}
        ok = self.controller.save_values(edits, text)
        self._pending_text = {}
        if ok:
            self.clear_refused()
            self.show_message("")
        return ok

    # --- table signals -----------------------------------------------------------------------------------

    def connect_table(self, view: EntryTableView) -> None:
        view.clear_requested.connect(self._clear_cells)
        view.paste_requested.connect(self._paste)
        view.context_requested.connect(self._context_menu)
        view.details_requested.connect(self._details)
        view.locked_typing.connect(lambda index: self.show_message(self.locked_message(index), error=True))

    def _clear_cells(self, indexes: list[QModelIndex]) -> None:
        keys = [k for k in (self.key_at(i) for i in indexes) if k is not None]
        if not keys:
            return
        blocked = [i for i in indexes if not i.flags() & Qt.ItemFlag.ItemIsEditable]
        if blocked:
            self.show_message(self.locked_message(blocked[0]), error=True)
            return
        self.save([(k, None) for k in keys], tr("清除 %1 格").replace("%1", str(len(keys))))

    def paste_targets(
        self, start: QModelIndex, block: list[list[str]]
    ) -> list[tuple[QModelIndex, str]] | str:
        """Cells a pasted block lands on from `start`, or a message saying why it does not fit."""
        raise NotImplementedError

    def _paste(self, start: QModelIndex, text: str) -> None:
        block = clipboard_block(text)
        if not block or not start.isValid():
            return
        selected = self.grid.selected_entry_indexes()
        if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:
            # One number onto several selected cells fills them all, as Excel does (e.g. 0 into a column).
            targets: list[tuple[QModelIndex, str]] | str = [(index, block[0][0]) for index in selected]
        else:
            targets = self.paste_targets(start, block)
        if isinstance(targets, str):
            self.show_message(targets, error=True)
            return
        blocked = [index for index, _raw in targets if not index.flags() & Qt.ItemFlag.ItemIsEditable]
        if blocked:  # name the cell that stops it (a signed unit further down the 代报 grid, say)
            self.show_message(self.locked_message(blocked[0]), error=True)
            return
        edits = [(self.key_at(index), raw) for index, raw in targets]
        numbers = sum(1 for _key, raw in edits if raw)
        if self.save(edits, tr("粘贴 %1 个数").replace("%1", str(numbers))):  # type: ignore[arg-type]
            text = tr("已粘贴 %1 个数").replace("%1", str(numbers))
            if numbers < len(edits):  # blank cells inside the block clear their cells, as in Excel: say so
                text += tr("，清空 %1 格").replace("%1", str(len(edits) - numbers))
            self.show_message(text + tr("（Ctrl+Z 可撤销）"))

    def _details(self, index: QModelIndex) -> None:
        """F4 / double-click outside the value cells: the provenance of a denominator, else the comment."""
        key = self.key_at(index)
        if key is None:
            return
        if self.is_denominator(index):
            self.open_provenance(key)
        else:
            self.open_comment(key)

    def is_denominator(self, index: QModelIndex) -> bool:
        return False

    def _context_menu(self, index: QModelIndex, where: QPoint) -> None:
        key = self.key_at(index)
        if key is None:
            return
        state = entry.read_cells(self._conn, [key])[key]
        menu = QMenu(self)
        menu.addAction(tr("修改历史(&H)…"), lambda: self.open_history(key))
        menu.addAction(tr("备注(&C)…"), lambda: self.open_comment(key))
        flag = QAction(tr("需跟进(&F)"), menu)
        flag.setCheckable(True)
        flag.setChecked(state.follow_up)
        flag.setEnabled(state.value is not None)
        flag.toggled.connect(lambda on: self.controller.set_follow_up(key, on))
        menu.addAction(flag)
        if self.is_denominator(index):
            menu.addAction(tr("分母来源(&P)…"), lambda: self.open_provenance(key))
        menu.addSeparator()
        menu.addAction(tr("清除(&D)"), lambda: self._clear_cells([index]))
        self.context_menu = menu
        menu.popup(where)

    # --- cell dialogs ------------------------------------------------------------------------------------

    def _element(self, key: CellKey):
        return get_element_by_code(self._conn, key.element_code)

    def open_history(self, key: CellKey) -> AuditTrailDialog:
        element = self._element(key)
        history = entry.cell_history(self._conn, key)
        self.dialog = AuditTrailDialog(
            self.label_of(key), history, lambda v: cells.format_value(v, element), parent=self.window()
        )
        self.dialog.open()
        return self.dialog

    def open_comment(self, key: CellKey) -> CommentDialog:
        state = entry.read_cells(self._conn, [key])[key]
        self.dialog = CommentDialog(
            self.label_of(key),
            text=state.comment or "",
            follow_up=state.follow_up,
            can_flag=state.value is not None,
            parent=self.window(),
        )

        def save() -> None:
            follow = self.dialog.follow_up if state.value is not None else None
            self.controller.set_comment(key, self.dialog.text, follow)

        self.dialog.accepted.connect(save)
        self.dialog.open()
        return self.dialog

    def open_provenance(self, key: CellKey) -> ProvenanceDialog:
        state = entry.read_cells(self._conn, [key])[key]
        bases = population_bases(self._conn, org_unit_code=key.org_unit_code, period=key.period)
        self.dialog = ProvenanceDialog(
            self.label_of(key),
            bases=bases,
            provenance=state.provenance,
            formula=state.provenance_formula,
            source=state.provenance_source,
            parent=self.window(),
        )

        def save() -> None:
            choice = self.dialog.choice()
            extra = {} if choice.value is None else {"raw_value": choice.value}
            self.controller.set_provenance(
                key, provenance=choice.provenance, formula=choice.formula, source=choice.source, **extra
            )

        self.dialog.accepted.connect(save)
        self.dialog.open()
        return self.dialog

    def open_explanation_for(
        self, data_set_code: str, org_unit_code: str, period: str, problem: Problem
    ) -> ExplainDialog | None:
        """The 审核说明 dialog for a failed 'explain' check; saved through ops.checks.explain."""
        check = problem.check
        if check is None:
            return None
        intro = (
            f"<b>{problem.unit_name}：{check.message}</b><br>{check.detail}"
            f"<br><span style='color:#666'>{tr('审核公式')}：{check.expression}</span>"
        )
        self.dialog = ExplainDialog(
            intro,
            text=check.explanation or "",
            user=check.explained_by or self.user_name,
            parent=self.window(),
        )
        dialog = self.dialog

        def save() -> None:
            try:
                changes = explain(
                    self._conn,
                    data_set_code=data_set_code,
                    org_unit_code=org_unit_code,
                    period=period,
                    rule_code=check.rule_code,
                    text=dialog.text,
                    user=dialog.user,
                )
            except CheckError as exc:
                self.show_message(exc.message, error=True)
                return
            self.reload()
            if changes.any:
                self.show_message(tr("审核说明已保存") if dialog.text else tr("审核说明已撤回"))
                self.data_changed.emit(changes)

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

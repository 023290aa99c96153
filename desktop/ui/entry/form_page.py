"""Form entry: pick 报表 → 单位 → 报告期, key the form from paper, see problems at once, explain, submit.

The grid shows each row's code, name (其中 rows indented), unit, this period's value (the only editable
column), last period's and last year's values, the computed rate and the denominator's provenance on
screening/management forms, and the comment. Each edit is saved the moment it is made (no Save button).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSignalBlocker, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.periods import parse_period
from desktop.ops import forms
from desktop.ops.checks import CheckError
from desktop.ops.entry import CellKey
from desktop.ops.workflow import WorkflowRefused, completeness
from desktop.store import elements, orgunits
from desktop.ui.delegates import PaddedItemDelegate
from desktop.ui.entry.base import EntryPageBase, picker
from desktop.ui.entry.cells import tr
from desktop.ui.entry.dialogs import ExplainDialog
from desktop.ui.entry.form_model import FormEntryModel
from desktop.ui.entry.problems import Problem, ProblemsPanel, problems_of
from desktop.ui.entry.progress_model import CompletenessModel
from desktop.ui.entry.view import EntryTableView, ValueDelegate
from desktop.ui.entry.workflow_bar import ReturnTarget
from desktop.ui.pickers import refill, select_or_first

# Widths in characters of the UI font: just what the headers and the numbers need, so that 指标名称 keeps
# room beside the problems panel at 1280 px (a long comment shows in full as a tooltip).
_CHARS = {
    FormEntryModel.COL_CODE: 5,
    FormEntryModel.COL_UNIT: 5,
    FormEntryModel.COL_VALUE: 7,
    FormEntryModel.COL_PREV: 6,
    FormEntryModel.COL_LAST: 6,
    FormEntryModel.COL_RATE: 5,
    FormEntryModel.COL_SOURCE: 5,
    FormEntryModel.COL_NOTE: 6,
}


class FormEntryPage(EntryPageBase):
    model_class = FormEntryModel

    # --- construction ------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.unit_combo = picker(14)
        self.unit_combo.currentIndexChanged.connect(self._selection_changed)

        self.grid = EntryTableView(self)
        self.set_up_grid(tr("报表填报表格"))
        self.grid.entry_columns = [FormEntryModel.COL_VALUE]
        self.grid.is_entry_row = lambda row: self.model.cell_key(row) is not None
        self.grid.setItemDelegateForColumn(
            FormEntryModel.COL_VALUE,
            ValueDelegate(self.grid, FormEntryModel.CommentRole, FormEntryModel.FollowUpRole),
        )
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FormEntryModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        em = self.grid.fontMetrics().horizontalAdvance("中")
        for column, chars in _CHARS.items():
            self.grid.setColumnWidth(column, em * chars)

        self.problems = ProblemsPanel(parent=self)
        self.problems.title.hide()  # the tab says how many
        self.problems.jump_requested.connect(lambda _unit, code: self.focus_row_code(code))
        self.problems.explain_requested.connect(self.open_explanation)
        self.progress_model = CompletenessModel(self)
        self.progress_view = QTableView()
        self.progress_view.setModel(self.progress_model)
        self.progress_view.setItemDelegate(PaddedItemDelegate(self.progress_view))
        self.progress_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.progress_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.progress_view.verticalHeader().setVisible(False)
        self.progress_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.progress_view.horizontalHeader().setStretchLastSection(True)
        self.progress_view.activated.connect(self._unit_from_progress)
        self.progress_view.doubleClicked.connect(self._unit_from_progress)
        self.progress_summary = QLabel()
        progress_box = QWidget()
        progress_layout = QVBoxLayout(progress_box)
        progress_layout.setContentsMargins(0, 0, 0, 0)
        progress_layout.addWidget(self.progress_summary)
        progress_layout.addWidget(self.progress_view, 1)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.problems, tr("问题"))
        self.side_tabs.addTab(progress_box, tr("各单位进度"))
        pickers = [(tr("报表(&B)："), self.data_set_combo), (tr("单位(&U)："), self.unit_combo),
                   (tr("报告期(&Q)："), self.period_combo)]  # fmt: skip
        self.lay_out(pickers, self.side_tabs, sizes=(650, 330))

    # --- selection ---------------------------------------------------------------------------------------

    @property
    def unit_code(self) -> str | None:
        return self.unit_combo.currentData()

    def fill_pickers(self) -> None:
        self.offer_data_sets(elements.list_data_sets(self._conn))
        self._fill_units_and_periods()

    def _fill_units_and_periods(self) -> None:
        ds = elements.get_data_set_by_code(self._conn, self.data_set_code or "")
        units = forms.units_for_data_set(self._conn, ds.id) if ds is not None else []
        shown = [(u.name + (tr("（代报）") if u.filed_by_id else ""), u.code) for u in units]
        refill(self.unit_combo, shown, self.unit_code)
        self._fill_periods()

    def set_selection(
        self, data_set_code: str, org_unit_code: str | None = None, period: str | None = None
    ) -> None:
        """Show a return (used by the main window and the screenshots)."""
        with QSignalBlocker(self.data_set_combo):
            select_or_first(self.data_set_combo, data_set_code)
        self._fill_units_and_periods()
        with QSignalBlocker(self.unit_combo), QSignalBlocker(self.period_combo):
            if org_unit_code:
                select_or_first(self.unit_combo, org_unit_code)
            if period:
                select_or_first(self.period_combo, parse_period(period).code)
        self._selection_changed()

    def _data_set_changed(self) -> None:
        self._fill_units_and_periods()
        self._selection_changed()

    @Slot(int)
    def set_org_unit(self, unit_id: int) -> None:
        unit = orgunits.get_org_unit(self._conn, unit_id)
        if unit is None:
            return
        if self.unit_combo.findData(unit.code) < 0:
            fitting = forms.data_sets_for_unit(self._conn, unit.unit_type)
            if not fitting:
                self.show_message(tr("“%1”没有需要填报的报表").replace("%1", unit.display_name), error=True)
                return
            self.set_selection(fitting[0].code, unit.code, self.period)
            return
        self.unit_combo.setCurrentIndex(self.unit_combo.findData(unit.code))

    # --- showing a return ----------------------------------------------------------------------------------

    def reload(self) -> None:
        if not (self.data_set_code and self.unit_code and self.period):
            self.model.set_form(None)
            self._show_side(None)
            return
        try:
            form = forms.load_form(
                self._conn, data_set_code=self.data_set_code, org_unit_code=self.unit_code, period=self.period
            )
        except CheckError as exc:
            self.show_message(exc.message, error=True)
            return
        self.model.set_form(form)
        self._show_side(form)

    def _after_reset(self) -> None:
        self.grid.clearSpans()
        for row in range(self.model.rowCount()):
            line = self.model.line(row)
            if line is not None and line.row is None:
                self.grid.setSpan(row, 0, 1, FormEntryModel.COLUMN_COUNT)
        form = self.model.form
        same = form is not None and form.previous_period == form.last_year_period
        self.grid.setColumnHidden(FormEntryModel.COL_LAST, same)  # annual forms: 上期 is 上年同期
        rates = self.model.has_rates()
        self.grid.setColumnHidden(FormEntryModel.COL_RATE, not rates)
        self.grid.setColumnHidden(FormEntryModel.COL_SOURCE, not rates)
        editable = self.model.editable_rows()
        if editable:
            self.grid.setCurrentIndex(self.model.index(editable[0], FormEntryModel.COL_VALUE))

    def _show_side(self, form: forms.FormData | None) -> None:
        if form is None:
            self.problems.set_problems([])
            self.status_label.setText("")
            self.actions_bar.set_targets([])
            self.progress_model.set_rows([])
            return
        unit = form.key.unit
        problems = problems_of(unit.id, unit.display_name, form.checks)
        self.problems.set_problems(problems)
        self.side_tabs.setTabText(0, tr("问题 (%1)").replace("%1", str(self.problems.model.open_count())))
        filled, required = self.model.filled_counts()
        try:
            progress = completeness(
                self._conn,
                data_set_code=form.key.data_set.code,
                period=form.key.period_code,
                today=self._today,
            )
        except WorkflowRefused as exc:
            progress = []
            self.show_message(exc.message, error=True)
        self.progress_model.set_rows(progress)
        self.progress_summary.setText(self.progress_model.summary())
        mine = next((p for p in progress if p.org_unit_id == unit.id), None)
        parts = [tr("已填 %1/%2 项").replace("%1", str(filled)).replace("%2", str(required))]
        parts.append(tr("待处理问题 %1 个").replace("%1", str(self.problems.model.open_count())))
        if mine is not None and mine.due is not None:
            due = tr("截止 %1").replace("%1", mine.due.isoformat())
            if mine.late:
                due += tr("（逾期提交）") if mine.submitted else tr("（已逾期）")
            parts.append(due)
        self.status_label.setText("　·　".join(parts))
        self.actions_bar.set_targets(
            [ReturnTarget(form.key.data_set.code, unit.code, unit.id, unit.name, form.key.period_code,
                          form.state)]
        )  # fmt: skip

    # --- cells -------------------------------------------------------------------------------------------

    def key_at(self, index: QModelIndex) -> CellKey | None:
        return self.model.cell_key(index.row()) if index.isValid() else None

    def label_of(self, key: CellKey) -> str:
        form = self.model.form
        row = next((r for r in form.rows if r.element_code == key.element_code), None) if form else None
        unit = form.key.unit.name if form else key.org_unit_code
        period = form.key.period.label_zh if form else key.period
        return f"{unit}　{period}　" + (f"{row.row_code} {row.label}" if row else key.element_code)

    def is_denominator(self, index: QModelIndex) -> bool:
        return bool(self.model.denominator_pairs(index.row()))

    def mark_refused(self, key: CellKey, text: str, message: str) -> None:
        self.model.set_refused(key.element_code, text, message)

    def clear_refused(self) -> None:
        self.model.clear_refused()

    def focus_key(self, key: CellKey) -> None:
        for row in range(self.model.rowCount()):
            if self.model.cell_key(row) == key:
                self._focus_row(row)
                return

    def focus_row_code(self, row_code: str) -> None:
        row = self.model.row_of_code(row_code)
        if row is not None:
            self._focus_row(row)

    def _focus_row(self, row: int) -> None:
        self.focus_index(self.model.index(row, FormEntryModel.COL_VALUE))

    def locked_message(self, index: QModelIndex) -> str:
        form = self.model.form
        if form is not None and form.state.locked:
            if form.state.state == "approved":
                return tr("报表已批准，数据已锁定，不能修改；如需更正，请由统计负责人退回后再改")
            # state_zh already says 已 (已提交, 已审核).
            return tr("报表%1，不能修改；如需更正，请先退回修改").replace("%1", form.state.state_zh)
        return tr("这一格不能填写")

    def paste_targets(self, start: QModelIndex, block: list[list[str]]):
        rows = [r for r in self.model.editable_rows() if r >= start.row()] if not self.model.locked else []
        if self.model.locked:
            return self.locked_message(start)
        width = max(len(line) for line in block)
        if width > 1:
            # Taking the first column and dropping the rest would lose numbers the clerk meant to paste.
            return (
                tr("粘贴的是 %1 行 × %2 列，这张表只有“本期”一列可填，没有粘贴；请在 Excel 中只复制一列数字")
                .replace("%1", str(len(block)))
                .replace("%2", str(width))
            )
        numbers = [line[0] if line else "" for line in block]
        if len(numbers) > len(rows):
            first = self.model.line(start.row())
            where = first.row.row_code if first and first.row else ""
            return (
                tr("粘贴了 %1 个数，从第 %2 行往下只有 %3 行可填，没有粘贴")
                .replace("%1", str(len(numbers)))
                .replace("%2", where)
                .replace("%3", str(len(rows)))
            )
        return [
            (self.model.index(r, FormEntryModel.COL_VALUE), n) for r, n in zip(rows, numbers, strict=False)
        ]

    # --- review --------------------------------------------------------------------------------------------

    def open_explanation(self, problem: Problem) -> ExplainDialog | None:
        form = self.model.form
        if form is None:
            return None
        return self.open_explanation_for(
            form.key.data_set.code, form.key.unit.code, form.key.period_code, problem
        )

    def _unit_from_progress(self, index: QModelIndex) -> None:
        unit_id = self.progress_model.data(index, CompletenessModel.UnitIdRole)
        if unit_id is not None:
            self.set_org_unit(unit_id)

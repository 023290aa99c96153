"""代报 grid: one data set for all the units a township health centre (or the county) files for, keyed row by row.

Rows are the units (store.orgunits.list_filed_by), columns the form's rows, with a totals row. The keys,
checks, colours, undo and cell actions are the form page's; the review-and-sign buttons act on the units of
the selected rows, so a clerk can submit all the village clinics at once.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt, Slot
from PySide6.QtWidgets import QHeaderView

from desktop.core.periods import parse_period
from desktop.ops import forms
from desktop.ops.checks import CheckError
from desktop.ops.entry import CellKey
from desktop.store import elements, orgunits
from desktop.ui.entry.base import EntryPageBase, picker
from desktop.ui.entry.cells import tr
from desktop.ui.entry.grid_model import ProxyGridModel
from desktop.ui.entry.problems import Problem, ProblemsPanel, problems_of
from desktop.ui.entry.view import EntryTableView, ValueDelegate
from desktop.ui.entry.workflow_bar import ReturnTarget
from desktop.ui.pickers import refill, select_or_first


class ProxyGridPage(EntryPageBase):
    model_class = ProxyGridModel

    def _build(self) -> None:
        self.filer_combo = picker(14)
        self.filer_combo.currentIndexChanged.connect(self._filer_changed)

        self.grid = EntryTableView(self, across=True)
        self.set_up_grid(tr("代报表格"))
        self.grid.is_entry_row = lambda row: self.model.unit(row) is not None
        self._value_delegate = ValueDelegate(
            self.grid, ProxyGridModel.CommentRole, ProxyGridModel.FollowUpRole
        )
        self.grid.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid.horizontalHeader().sectionResized.connect(self._fit_header_height)
        self.grid.selectionModel().selectionChanged.connect(self._targets_changed)
        self.grid.selectionModel().currentChanged.connect(self._targets_changed)

        self.problems = ProblemsPanel(show_unit=True, parent=self)
        self.problems.jump_requested.connect(self.focus_unit_row)
        self.problems.explain_requested.connect(self._explain)
        pickers = [(tr("代报单位(&F)："), self.filer_combo), (tr("报表(&B)："), self.data_set_combo),
                   (tr("报告期(&Q)："), self.period_combo)]  # fmt: skip
        self.lay_out(pickers, self.problems, sizes=(630, 370))

    # --- selection ---------------------------------------------------------------------------------------

    @property
    def filer_code(self) -> str | None:
        return self.filer_combo.currentData()

    def fill_pickers(self) -> None:
        refill(self.filer_combo, [(u.name, u.code) for u in forms.filers(self._conn)], self.filer_code)
        self._fill_data_sets()

    def _fill_data_sets(self) -> None:
        filer = orgunits.get_org_unit_by_code(self._conn, self.filer_code or "")
        types = {u.unit_type for u in forms.filed_units(self._conn, filer.id)} if filer is not None else set()
        self.offer_data_sets(
            ds
            for ds in elements.list_data_sets(self._conn)
            if types & set(elements.list_data_set_unit_types(self._conn, ds.id))
        )
        self._fill_periods()

    def set_selection(
        self, filer_code: str, data_set_code: str | None = None, period: str | None = None
    ) -> None:
        """Show a filer's grid (used by the main window and the screenshots)."""
        with QSignalBlocker(self.filer_combo):
            select_or_first(self.filer_combo, filer_code)
        self._fill_data_sets()
        if data_set_code:
            with QSignalBlocker(self.data_set_combo):
                select_or_first(self.data_set_combo, data_set_code)
            self._fill_periods()
        if period:
            with QSignalBlocker(self.period_combo):
                select_or_first(self.period_combo, parse_period(period).code)
        self._selection_changed()

    def _filer_changed(self) -> None:
        self._fill_data_sets()
        self._selection_changed()

    def _data_set_changed(self) -> None:
        self._fill_periods()
        self._selection_changed()

    @Slot(int)
    def set_org_unit(self, unit_id: int) -> None:
        """Show the grid that holds the unit: its own if it files for others, else its filer's."""
        unit = orgunits.get_org_unit(self._conn, unit_id)
        if unit is None:
            return
        filer_codes = [self.filer_combo.itemData(i) for i in range(self.filer_combo.count())]
        if unit.code in filer_codes:
            self.set_selection(unit.code, self.data_set_code, self.period)
            return
        if unit.filed_by_id is not None:
            filer = orgunits.get_org_unit(self._conn, unit.filed_by_id)
            if filer is not None:
                self.set_selection(filer.code, self.data_set_code, self.period)
                row = (
                    next((i for i, u in enumerate(self.model.grid.units) if u.id == unit.id), None)
                    if self.model.grid
                    else None
                )
                if row is not None:
                    self.grid.setCurrentIndex(self.model.index(row, 1))
                return
        children = [u for u in orgunits.list_children(self._conn, unit.id) if u.code in filer_codes]
        if children:
            self.set_selection(children[0].code, self.data_set_code, self.period)

    # --- showing the grid ----------------------------------------------------------------------------------

    def reload(self) -> None:
        if not (self.filer_code and self.data_set_code and self.period):
            self.model.set_grid(None)
            self._show_side()
            return
        try:
            grid = forms.load_proxy_grid(
                self._conn, data_set_code=self.data_set_code, filer_code=self.filer_code, period=self.period
            )
        except CheckError as exc:
            self.show_message(exc.message, error=True)
            return
        self.model.set_grid(grid)
        self._show_side()

    def _after_reset(self) -> None:
        columns = self.model.element_columns()
        self.grid.entry_columns = columns
        for column in range(self.model.columnCount()):
            self.grid.setItemDelegateForColumn(column, None)  # type: ignore[arg-type]
        for column in columns:
            self.grid.setItemDelegateForColumn(column, self._value_delegate)
        em = self.grid.fontMetrics().horizontalAdvance("中")
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(em * 4)
        names = [u.display_name for u in self.model.grid.units] if self.model.grid else []
        self.grid.setColumnWidth(0, em * min(max([len(n) for n in names] + [6]), 12) + 16)
        # The value columns share the width left, so a short grid does not leave a gap on the right.
        for column in columns:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.grid.setColumnWidth(self.model.col_state, em * 4)
        self.grid.setColumnWidth(self.model.col_filled, em * 3 + 8)
        if self.model.unit(0) is not None and columns:
            self.grid.setCurrentIndex(self.model.index(0, columns[0]))
        self._fit_header_height()

    def _fit_header_height(self, *_args) -> None:
        """Code, name and unit on three lines, more where a long name wraps in a narrow column (up to six)."""
        header = self.grid.horizontalHeader()
        fm = header.fontMetrics()
        lines = 3
        for column in self.model.element_columns():
            room = max(header.sectionSize(column) - 12, 1)
            text = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            needed = sum(-(-fm.horizontalAdvance(line) // room) for line in text.splitlines())  # ceiling
            lines = max(lines, min(needed, 6))
        header.setMinimumHeight(fm.height() * lines + 12)

    def _show_side(self) -> None:
        grid = self.model.grid
        if grid is None:
            self.problems.set_problems([])
            self.status_label.setText(tr("这个单位没有代报的单位") if self.filer_code else "")
            self.actions_bar.set_targets([])
            return
        problems = []
        for unit in grid.units:
            problems += problems_of(unit.id, unit.display_name, grid.checks.get(unit.id, []))
        self.problems.set_problems(problems)
        counts = [self.model.filled(i) for i in range(len(grid.units))]
        complete = sum(1 for got, total in counts if got == total)
        submitted = sum(
            1 for i in range(len(grid.units)) if (s := self.model.state(i)) is not None and s.locked
        )
        self.status_label.setText(
            "　·　".join(
                [
                    tr("%1 个单位").replace("%1", str(len(grid.units))),
                    tr("填完 %1 个").replace("%1", str(complete)),
                    tr("已提交 %1 个").replace("%1", str(submitted)),
                    tr("待处理问题 %1 个").replace("%1", str(self.problems.model.open_count())),
                ]
            )
        )
        self._targets_changed()

    def _targets_changed(self, *_args) -> None:
        grid = self.model.grid
        if grid is None:
            self.actions_bar.set_targets([])
            return
        rows = {i.row() for i in self.grid.selectionModel().selectedIndexes()}
        if self.grid.currentIndex().isValid():
            rows.add(self.grid.currentIndex().row())
        targets = []
        for row in sorted(rows):
            unit, state = self.model.unit(row), self.model.state(row)
            if unit is not None and state is not None:
                targets.append(
                    ReturnTarget(
                        grid.data_set.code, unit.code, unit.id, unit.display_name, grid.period.code, state
                    )
                )
        self.actions_bar.set_targets(targets)

    # --- cells -------------------------------------------------------------------------------------------

    def key_at(self, index: QModelIndex) -> CellKey | None:
        return self.model.cell_key(index.row(), index.column()) if index.isValid() else None

    def label_of(self, key: CellKey) -> str:
        grid = self.model.grid
        position = self.model.position(key)
        if grid is None or position is None:
            return key.element_code
        unit, row = self.model.unit(position[0]), self.model.form_row(position[1])
        return (
            f"{unit.display_name if unit else ''}　{grid.period.label_zh}　{row.row_code} {row.label}"
            if row
            else ""
        )

    def refusal_text(self, key: CellKey | None, message: str) -> str:
        # The message names the data element; with many units on screen it must name the unit too.
        position = self.model.position(key) if key is not None else None
        unit = self.model.unit(position[0]) if position is not None else None
        if unit is None or unit.display_name in message:
            return message
        return f"{unit.display_name}：{message}"

    def mark_refused(self, key: CellKey, text: str, message: str) -> None:
        self.model.set_refused(key, text, message)

    def clear_refused(self) -> None:
        self.model.clear_refused()

    def focus_key(self, key: CellKey) -> None:
        position = self.model.position(key)
        if position is not None:
            self.focus_index(self.model.index(*position))

    def focus_unit_row(self, unit_id: int, row_code: str) -> None:
        grid = self.model.grid
        if grid is None:
            return
        row = next((i for i, u in enumerate(grid.units) if u.id == unit_id), None)
        column = next(
            (c for c in self.model.element_columns() if self.model.form_row(c).row_code == row_code), None
        )  # type: ignore[union-attr]
        if row is not None and column is not None:
            self.focus_index(self.model.index(row, column))

    def locked_message(self, index: QModelIndex) -> str:
        state = self.model.state(index.row())
        unit = self.model.unit(index.row())
        if state is not None and state.locked and unit is not None:
            if state.state == "approved":
                return tr("%1的报表已批准，数据已锁定；如需更正，请由统计负责人退回后再改").replace(
                    "%1", unit.display_name
                )
            return (
                tr("%1的报表%2，不能修改；如需更正，请先退回修改")  # %2 is 已提交 / 已审核
                .replace("%1", unit.display_name)
                .replace("%2", state.state_zh)
            )
        return tr("这一格不能填写（合计行由各单位的数相加）")

    def paste_targets(self, start: QModelIndex, block: list[list[str]]):
        rows = [r for r in range(start.row(), self.model.total_row)]
        columns = [c for c in self.model.element_columns() if c >= start.column()]
        if not rows:
            return self.locked_message(start)  # the totals row
        if not columns:
            return tr("状态和已填列不能填写：请先选中要粘贴到的第一个数据格，再按 Ctrl+V")
        height, width = len(block), max(len(line) for line in block)
        if height > len(rows) or width > len(columns):
            return (
                tr("粘贴的是 %1 行 × %2 列，从这一格往右下只有 %3 行 × %4 列可填，没有粘贴")
                .replace("%1", str(height))
                .replace("%2", str(width))
                .replace("%3", str(len(rows)))
                .replace("%4", str(len(columns)))
            )
        return [
            (self.model.index(rows[i], columns[j]), text)
            for i, line in enumerate(block)
            for j, text in enumerate(line)
        ]

    # --- review --------------------------------------------------------------------------------------------

    def _explain(self, problem: Problem) -> None:
        grid = self.model.grid
        unit = next((u for u in grid.units if u.id == problem.unit_id), None) if grid else None
        if grid is not None and unit is not None:
            self.open_explanation_for(grid.data_set.code, unit.code, grid.period.code, problem)

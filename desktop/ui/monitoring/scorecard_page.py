"""乡镇记分卡: the county's townships (rows) against a plan's indicators (columns) for one year.

Each cell shows the township's value on its status colour, with the reason as a tooltip; a click on a column
header sorts by value (the county's own row stays on top). 选择指标 picks the columns (by default every indicator
that can be computed from the data); 导出 Excel writes the shown columns to an xlsx workbook. Computing and
exporting run in the TaskRunner.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ops.changes import OpChanges
from desktop.ops.monitoring import STATUS_COLOURS, STATUS_ORDER, MonitoringError
from desktop.ops.scorecard import Scorecard, compute_scorecard, export_scorecard
from desktop.store.orgunits import list_org_units
from desktop.store.plans import Plan, list_plans
from desktop.ui.monitoring.scorecard_model import ScorecardSortProxyModel, ScorecardTableModel
from desktop.ui.monitoring.style import status_label, tr
from desktop.ui.pickers import current_int, fill_plans, fill_years, nearest_offered, picker_row, select_item
from desktop.ui.task_runner import LatestRun, TaskRunner


def subset(card: Scorecard, plan_indicator_ids: list[int]) -> Scorecard:
    """The scorecard with only these columns (in the card's order), for exporting what is shown."""
    keep = [i for i, c in enumerate(card.columns) if c.plan_indicator_id in set(plan_indicator_ids)]
    return replace(
        card,
        columns=tuple(card.columns[i] for i in keep),
        cells=tuple(tuple(row[i] for i in keep) for row in card.cells),
    )


def default_export_name(card: Scorecard) -> str:
    """A file name Windows accepts: a pasted plan's title may hold / \\ : * ? " < > |."""
    stem = f"{card.plan.short_title or card.plan.title}_乡镇记分卡_{card.year}年"
    stem = re.sub(r'[\\/:*?"<>|\s_]+', "_", stem)
    return stem.strip("_.")[:120] + ".xlsx"


class IndicatorChoiceDialog(QDialog):
    """Tick the indicators the scorecard shows."""

    def __init__(self, card: Scorecard, chosen: set[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("选择记分卡的指标"))
        self.resize(520, 600)
        self.list = QListWidget()
        for column in card.columns:
            label = f"{column.seq + '. ' if column.seq else ''}{column.name}"
            if column.area.value is None and all(
                row[card.columns.index(column)].value is None for row in card.cells
            ):
                label += tr("（无数据）")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, column.plan_indicator_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = column.plan_indicator_id in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        all_button = QPushButton(tr("全选"))
        all_button.clicked.connect(lambda: self._set_all(Qt.CheckState.Checked))
        none_button = QPushButton(tr("全不选"))
        none_button.clicked.connect(lambda: self._set_all(Qt.CheckState.Unchecked))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(all_button)
        row.addWidget(none_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)

    def _set_all(self, state: Qt.CheckState) -> None:
        for i in range(self.list.count()):
            self.list.item(i).setCheckState(state)

    def chosen(self) -> set[int]:
        return {
            int(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        }


class ScorecardPage(QWidget):
    data_changed = Signal(object)
    results_shown = Signal()
    exported = Signal(str)

    def __init__(
        self, conn: sqlite3.Connection, db_path: Path, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._conn = conn
        self._db_path = Path(db_path)
        self._runner = runner
        self._plans: dict[int, Plan] = {}
        self._chosen: dict[int, set[int]] = {}  # plan id → shown plan indicator ids
        self._latest = LatestRun(runner, self.recompute)
        self._highlight: int | None = None
        self._stale = False  # a recomputation was asked for while the page was hidden
        self.model = ScorecardTableModel(self)
        self.proxy = ScorecardSortProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.refresh()

    def _build(self) -> None:
        self.plan_combo = QComboBox()
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.plan_combo.setMinimumContentsLength(22)
        self.plan_combo.currentIndexChanged.connect(self._on_plan_changed)
        self.year_combo = QComboBox()
        self.year_combo.currentIndexChanged.connect(self.recompute)
        self.status_sort_check = QCheckBox(tr("按状态排序(&S)"))
        self.status_sort_check.setToolTip(tr("点击列头时先按状态（退步、滞后在前）再按数值排序"))
        self.status_sort_check.toggled.connect(self._on_sort_mode)
        self.choose_button = QPushButton(tr("选择指标(&C)…"))
        self.choose_button.clicked.connect(self.choose_indicators)
        self.export_button = QPushButton(tr("导出 Excel(&E)…"))
        self.export_button.clicked.connect(self.choose_export_path)
        bar = picker_row([(tr("规划(&P)："), self.plan_combo, 3), (tr("年份(&Y)："), self.year_combo, 0)])
        bar.addWidget(self.status_sort_check)
        bar.addStretch(1)
        bar.addWidget(self.choose_button)
        bar.addWidget(self.export_button)

        legend = "　".join(
            f"<span style='background-color:{STATUS_COLOURS[s][0]}; color:{STATUS_COLOURS[s][1]};'>"
            f"&nbsp;{status_label(s)}&nbsp;</span>"
            for s in STATUS_ORDER
        )
        self.legend_label = QLabel(tr("图例：") + legend + tr("　　* 为部分汇总（并非所有单位已报）"))
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setTabKeyNavigation(
            False
        )  # Tab leaves the table (arrows move between cells), as elsewhere
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # tree order until a column is clicked
        self.table.setAlternatingRowColors(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        # Every cell is one line (a value, a township's name): a fixed row height spares resizeRowsToContents,
        # which measured all 2,600 cells of a 125-indicator card on the GUI thread (130 ms of a 200 ms budget).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        self.table.setStyleSheet("QTableView { gridline-color: #ffffff; }")
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSortIndicatorShown(True)
        self.table.setAccessibleName(tr("乡镇记分卡"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.legend_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)

    # --- the page contract -----------------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.recompute()

    def refresh(self, changes: object | None = None) -> None:
        if isinstance(changes, OpChanges) and not (changes.values or changes.plans or changes.org_units):
            return
        plans = list_plans(self._conn)
        self._plans = {p.id: p for p in plans}
        fill_plans(self.plan_combo, plans, lambda plan: plan.title)
        self._fill_years()
        self.recompute()

    def set_org_unit(self, unit_id: int) -> None:
        """Select the township the org tree points at (or the one a facility belongs to)."""
        units = {u.id: u for u in list_org_units(self._conn)}
        card = self.model.scorecard
        rows = {u.id: i + 1 for i, u in enumerate(card.units)} if card else {}
        current = nearest_offered(units, unit_id, lambda i: i in rows)
        self._highlight = current.id if current is not None else None
        if current is not None:
            index = self.proxy.mapFromSource(self.model.index(rows[current.id], 0))
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    # --- pickers and computing -------------------------------------------------------------------------------

    def current_plan_id(self) -> int | None:
        return current_int(self.plan_combo)

    def current_year(self) -> int | None:
        return current_int(self.year_combo)

    def select_plan(self, plan_id: int) -> bool:
        return select_item(self.plan_combo, plan_id)

    def _fill_years(self) -> None:
        fill_years(self.year_combo, self._conn, self._plans.get(self.current_plan_id() or -1))

    def _on_plan_changed(self) -> None:
        self._fill_years()
        self.recompute()

    def _on_sort_mode(self, on: bool) -> None:
        self.proxy.by_status = on
        self.proxy.invalidate()

    def recompute(self) -> None:
        """Compute the card in the background; while the page is hidden, only note that it is out of date (every
        saved value elsewhere asks for a new card, and a big county's card takes a noticeable moment)."""
        self._stale = not self.isVisible()
        if self._stale or self._latest.busy():
            return
        plan_id, year = self.current_plan_id(), self.current_year()
        if plan_id is None or year is None:
            self.model.load(None)
            self.message_label.setText(tr("数据库中还没有规划。"))
            return

        def task(conn: sqlite3.Connection, progress) -> Scorecard:
            return compute_scorecard(conn, plan_id, year, progress=progress)

        self._latest.run(task, title=tr("计算乡镇记分卡"), on_done=self._finished, on_error=self._failed)

    def _finished(self, card: Scorecard) -> None:
        plan_id = card.plan.id
        if plan_id not in self._chosen:  # by default the columns the townships' data can fill
            self._chosen[plan_id] = {
                c.plan_indicator_id
                for i, c in enumerate(card.columns)
                if any(row[i].value is not None for row in card.cells)
            }
        self.model.load(card, self._chosen[plan_id])
        self.message_label.setText(
            tr("%1 · %2年 · %3 个乡镇（街道）× %4 项指标（单元格颜色为对照 %5 的进展状态，鼠标停留可看原因）")
            .replace("%1", card.parent.name)
            .replace("%2", str(card.year))
            .replace("%3", str(len(card.units)))
            .replace("%4", str(self.model.columnCount() - 1))
            .replace("%5", card.plan.short_title or card.plan.title)
        )
        self._fit_columns()
        if self._highlight is not None:
            self.set_org_unit(self._highlight)
        self.results_shown.emit()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, MonitoringError):
            raise error
        self.message_label.setText(error.message)

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        char = self.table.fontMetrics().horizontalAdvance("中")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 9 * char)
        for column in range(1, self.model.columnCount()):
            header.resizeSection(column, (self.model.header_chars + 1) * char)
        header.setMinimumHeight(self.table.fontMetrics().height() * 4 + 12)

    # --- columns and export ----------------------------------------------------------------------------------

    def choose_indicators(self) -> None:
        card = self.model.scorecard
        if card is None:
            return
        dialog = IndicatorChoiceDialog(card, set(self.model.shown_ids()), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_shown_indicators(dialog.chosen())

    def set_shown_indicators(self, plan_indicator_ids: set[int]) -> None:
        card = self.model.scorecard
        if card is None:
            return
        self._chosen[card.plan.id] = set(plan_indicator_ids)
        self.model.load(card, self._chosen[card.plan.id])
        self._fit_columns()

    def choose_export_path(self) -> None:
        card = self.model.scorecard
        if card is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = default_export_name(card)
        path, _ = QFileDialog.getSaveFileName(
            self, tr("导出乡镇记分卡"), str(Path(folder) / name), tr("Excel 工作簿 (*.xlsx)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the shown columns to path (xlsx) in the background; exported(path) is emitted when done."""
        card = self.model.scorecard
        if card is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        shown = subset(card, self.model.shown_ids())

        def task(conn: sqlite3.Connection, progress) -> Path:
            return export_scorecard(shown, path)

        def done(saved: Path) -> None:
            self.message_label.setText(tr("已导出到 %1").replace("%1", str(saved)))
            self.exported.emit(str(saved))

        def failed(error: BaseException) -> None:
            if not isinstance(error, OSError):
                raise error
            self.message_label.setText(getattr(error, "message", str(error)))

        self._runner.run(task, title=tr("导出乡镇记分卡"), on_done=done, on_error=failed)

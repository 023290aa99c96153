"""规划监测: a plan's indicators at one org unit and year, each against its targets, with status and reason.

Pick a plan, a year and a unit (or follow the org tree through set_org_unit); the evaluation runs in the
TaskRunner, off the GUI thread, and again whenever data change elsewhere (refresh). Filters narrow the table
to what is off track, to 约束性 indicators, or to one domain. Enter or a double-click opens the chart of the
current indicator under the table (pyqtgraph is imported then, not before), and the chart exports to PNG.
A comparator target (优于全省平均水平) is judged once its reference value is entered (录入参照值).
A plan not yet in the file can be pasted in from its indicator table (PlanImportDialog).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ops.changes import OpChanges
from desktop.ops.monitoring import (
    STATUS_COLOURS,
    MonitoringError,
    PlanProgress,
    evaluate_plan,
    load_reference_values,
    set_reference_value,
)
from desktop.store.orgunits import list_org_units
from desktop.store.plans import Plan, list_plans
from desktop.ui.models.plan_indicator_model import python_data
from desktop.ui.monitoring.progress_model import MonitoringFilterProxyModel, MonitoringTableModel
from desktop.ui.monitoring.style import status_label, tr
from desktop.ui.pickers import (
    buddy_label,
    current_int,
    fill_plans,
    fill_years,
    picker_row,
    refill,
    select_item,
    select_nearest_unit,
    unit_items,
)
from desktop.ui.task_runner import LatestRun, TaskRunner

# Widths in characters of the UI font, so they scale with the font and the screen's DPI.
_COLUMN_CHARS = {"domain": 5, "name": 14, "unit": 4, "number": 7, "milestone": 9, "status": 5}
_MIN_REASON_CHARS = 24
# A reference value as a clerk types it: 3.5, ３．５, 3.5‰, 85%, 5.5/10万 (the unit is only tolerated).
_REFERENCE = re.compile(r"([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?:%|‰|1?/10万|[\u4e00-\u9fff]{1,3})?")


def warm_up_chart_module() -> threading.Thread:
    """Import pyqtgraph on a background thread, so opening the first chart does not freeze the window for the
    third of a second the import takes. Importing twice is harmless: the second import waits for the first."""

    def load() -> None:
        import pyqtgraph  # noqa: F401

    thread = threading.Thread(target=load, name="healthdesk-chart-import", daemon=True)
    thread.start()
    return thread


def _plan_label(plan: Plan) -> str:
    years = f"（{plan.period_start}—{plan.period_end}年）" if plan.period_start and plan.period_end else ""
    return plan.title + years


class _DomainDelegate(QStyledItemDelegate):
    """领域 only on the first shown row of each domain (the merged cell of the printed table)."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        if index.row() > 0 and python_data(index.siblingAtRow(index.row() - 1)) == python_data(index):
            option.text = ""


class MonitoringPage(QWidget):
    data_changed = Signal(object)
    results_shown = Signal()  # a computation's results are in the table
    chart_shown = Signal(int)  # the chart now shows this plan indicator

    def __init__(
        self, conn: sqlite3.Connection, db_path: Path, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._conn = conn
        self._db_path = Path(db_path)
        self._runner = runner
        self._plans: dict[int, Plan] = {}
        self._latest = LatestRun(runner, self.recompute)
        self._chart_panel = None
        self._chart_id: int | None = None
        self._warm_up: threading.Thread | None = None
        self._stale = False  # a recomputation was asked for while the page was hidden
        self.model = MonitoringTableModel(self)
        self.proxy = MonitoringFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.refresh()

    # --- construction ----------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.plan_combo = QComboBox()
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.plan_combo.setMinimumContentsLength(22)
        self.plan_combo.setAccessibleName(tr("规划"))
        self.year_combo = QComboBox()
        self.year_combo.setAccessibleName(tr("年份"))
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumContentsLength(8)
        self.unit_combo.setAccessibleName(tr("机构"))
        self.plan_combo.currentIndexChanged.connect(self._on_plan_changed)
        self.year_combo.currentIndexChanged.connect(self.recompute)
        self.unit_combo.currentIndexChanged.connect(self.recompute)

        self.off_track_check = QCheckBox(tr("只看滞后和退步(&O)"))
        self.binding_check = QCheckBox(tr("只看约束性(&B)"))
        self.domain_combo = QComboBox()
        self.domain_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.domain_combo.setAccessibleName(tr("领域"))
        self.off_track_check.toggled.connect(self._apply_filters)
        self.binding_check.toggled.connect(self._apply_filters)
        self.domain_combo.currentIndexChanged.connect(self._apply_filters)

        self.chart_button = QPushButton(tr("查看图表(&G)"))
        self.chart_button.setToolTip(tr("显示当前指标的趋势图（也可双击指标或按回车）"))
        self.chart_button.clicked.connect(lambda: self.open_chart())
        self.reference_button = QPushButton(tr("录入参照值(&R)…"))
        self.reference_button.setToolTip(
            tr("“优于全省平均水平”一类的目标需要参照值才能判断：为当前指标录入（留空则清除）")
        )
        self.reference_button.setEnabled(False)
        self.reference_button.clicked.connect(self.ask_reference_value)
        self.import_button = QPushButton(tr("粘贴规划指标表(&I)…"))
        self.import_button.setToolTip(tr("从 Word、WPS 或 Excel 复制规划的指标表，导入为新规划"))
        self.import_button.clicked.connect(self.open_import_dialog)

        pickers = picker_row(
            [
                (tr("规划(&P)："), self.plan_combo, 3),
                (tr("年份(&Y)："), self.year_combo, 0),
                (tr("机构(&U)："), self.unit_combo, 1),
            ]
        )
        pickers.addWidget(self.import_button)

        filters = QHBoxLayout()
        filters.addWidget(self.off_track_check)
        filters.addWidget(self.binding_check)
        filters.addSpacing(12)
        filters.addWidget(buddy_label(tr("领域(&D)："), self.domain_combo))
        filters.addWidget(self.domain_combo)
        filters.addStretch(1)
        filters.addWidget(self.reference_button)
        filters.addWidget(self.chart_button)

        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        self.message_label = QLabel()
        self.message_label.setStyleSheet("color: #8a1f11;")
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().setVisible(False)
        self.table.setStyleSheet("QTableView { gridline-color: #dcdcdc; }")
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().sectionResized.connect(self._schedule_row_heights)
        self.table.setItemDelegateForColumn(MonitoringTableModel.COL_DOMAIN, _DomainDelegate(self.table))
        self.table.doubleClicked.connect(lambda index: self.open_chart(index.row()))
        self.table.setAccessibleName(tr("指标进展表"))
        self.table.installEventFilter(self)
        self.table.selectionModel().currentChanged.connect(self._update_reference_button)
        self._heights_pending = False

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(pickers)
        layout.addLayout(filters)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.splitter, 1)
        QShortcut(QKeySequence("Ctrl+G"), self, activated=lambda: self.open_chart())

    def eventFilter(self, watched, event) -> bool:
        enter = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.table and event.type() == QEvent.Type.KeyPress and event.key() in enter:
            self.open_chart()
            return True
        return super().eventFilter(watched, event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._warm_up is None:
            self._warm_up = warm_up_chart_module()
        if self._stale:
            self.recompute()

    # --- the page contract -----------------------------------------------------------------------------------

    def refresh(self, changes: object | None = None) -> None:
        """Re-read the pickers and recompute (skipped when the change cannot affect what is shown)."""
        if isinstance(changes, OpChanges) and not (changes.values or changes.plans or changes.org_units):
            return
        self._fill_plans()
        self._fill_units()
        self._fill_years()
        self.recompute()

    def set_org_unit(self, unit_id: int) -> None:
        """Show the unit chosen in the org tree, or the nearest unit above it that the picker offers."""
        select_nearest_unit(self.unit_combo, {u.id: u for u in list_org_units(self._conn)}, unit_id)

    # --- pickers ---------------------------------------------------------------------------------------------

    def current_plan_id(self) -> int | None:
        return current_int(self.plan_combo)

    def current_year(self) -> int | None:
        return current_int(self.year_combo)

    def current_unit_id(self) -> int | None:
        return current_int(self.unit_combo)

    def select_plan(self, plan_id: int) -> bool:
        return select_item(self.plan_combo, plan_id)

    def select_year(self, year: int) -> bool:
        return select_item(self.year_combo, year)

    def _fill_plans(self) -> None:
        plans = list_plans(self._conn)
        self._plans = {p.id: p for p in plans}
        fill_plans(self.plan_combo, plans, _plan_label)

    def _fill_units(self) -> None:
        units = [u for u in list_org_units(self._conn) if u.level <= 2]
        refill(self.unit_combo, unit_items(units), self.current_unit_id())

    def _fill_years(self) -> None:
        fill_years(self.year_combo, self._conn, self._plans.get(self.current_plan_id() or -1))

    def _on_plan_changed(self) -> None:
        self._fill_years()
        self.recompute()

    # --- computing -------------------------------------------------------------------------------------------

    def recompute(self) -> None:
        """Evaluate the chosen plan in the background; a request made meanwhile runs once the current one ends.
        A hidden page only notes the request and computes when shown: a clerk saving values all day on another
        page should not pay for a plan evaluation after every save."""
        self._stale = not self.isVisible()
        if self._stale or self._latest.busy():
            return
        plan_id, year, unit_id = self.current_plan_id(), self.current_year(), self.current_unit_id()
        if plan_id is None or year is None:
            self.model.load(None)
            self.summary_label.setText(tr("数据库中还没有规划：可用“粘贴规划指标表”导入。"))
            return

        def task(conn: sqlite3.Connection, progress) -> PlanProgress:
            return evaluate_plan(conn, plan_id, year, unit_id, progress=progress)

        self._latest.run(task, title=tr("计算规划进展"), on_done=self._finished, on_error=self._failed)

    @property
    def _running(self) -> bool:  # a computation is under way (tests check that unrelated changes start none)
        return self._latest.running

    def _finished(self, result: PlanProgress) -> None:
        self.message_label.hide()
        self._show(result)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, MonitoringError):
            raise error
        self.message_label.setText(error.message)
        self.message_label.show()

    def _show(self, result: PlanProgress) -> None:
        current = self._current_row()
        keep = current.plan_indicator_id if current else None
        self.model.load(result)
        self._fill_domains(result.domains)
        self._apply_widths()
        self._update_summary(result)
        if keep is not None:
            self._select_source_row(self.model.row_of(keep))
        self._update_reference_button()
        if self._chart_panel is not None and self._chart_panel.isVisible() and self._chart_id is not None:
            row = self.model.row_of(self._chart_id)
            if row >= 0:
                self._chart_panel.show_row(self.model.row_at(row), result.unit.name, result.year)
            else:
                self._chart_panel.hide()
        self.results_shown.emit()

    def _update_summary(self, result: PlanProgress) -> None:
        chips = []
        for status, count in result.counts().items():
            if not count:
                continue
            background, foreground = STATUS_COLOURS[status]
            chips.append(
                f"<span style='background-color:{background}; color:{foreground};'>"
                f"&nbsp;{status_label(status)}&nbsp;{count}&nbsp;</span>"
            )
        where = f"{result.unit.name} · {result.year}年 · " + tr("%1 项指标").replace(
            "%1", str(len(result.rows))
        )
        self.summary_label.setText(f"<b>{where}</b>　" + "　".join(chips))

    # --- filters and table layout ----------------------------------------------------------------------------

    def _fill_domains(self, domains: list[str]) -> None:
        choices = [(tr("全部领域"), None), *((domain, domain) for domain in domains)]
        refill(self.domain_combo, choices, self.domain_combo.currentData())
        self.domain_combo.setEnabled(bool(domains))
        self._apply_filters()

    def _apply_filters(self) -> None:
        self.proxy.set_off_track_only(self.off_track_check.isChecked())
        self.proxy.set_binding_only(self.binding_check.isChecked())
        self.proxy.set_domain(self.domain_combo.currentData())
        self._schedule_row_heights()

    def _apply_widths(self) -> None:
        header = self.table.horizontalHeader()
        char = self.table.fontMetrics().horizontalAdvance("中")
        widths = {
            MonitoringTableModel.COL_DOMAIN: _COLUMN_CHARS["domain"],
            MonitoringTableModel.COL_NAME: _COLUMN_CHARS["name"],
            MonitoringTableModel.COL_UNIT: _COLUMN_CHARS["unit"],
            MonitoringTableModel.COL_BASELINE: _COLUMN_CHARS["number"],
            MonitoringTableModel.COL_LATEST: _COLUMN_CHARS["number"],
            self.model.col_status: _COLUMN_CHARS["status"],
        }
        for year in self.model.years:
            widths[self.model.milestone_column(year)] = _COLUMN_CHARS["milestone"]
        for column, chars in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, chars * char + 16)
        header.setMinimumSectionSize(3 * char)
        header.setSectionResizeMode(self.model.col_reason, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnHidden(
            MonitoringTableModel.COL_DOMAIN, not self.model.result or not self.model.result.domains
        )
        self._schedule_row_heights()

    def _schedule_row_heights(self, *_args) -> None:
        if not self._heights_pending:
            self._heights_pending = True
            QTimer.singleShot(0, self._update_row_heights)

    def _update_row_heights(self) -> None:
        self._heights_pending = False
        self.table.resizeRowsToContents()

    # --- chart -----------------------------------------------------------------------------------------------

    def _current_row(self):
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def _select_source_row(self, source_row: int) -> None:
        if source_row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(source_row, MonitoringTableModel.COL_NAME))
        if index.isValid():
            self.table.setCurrentIndex(index)

    def chart_panel(self):
        """The chart panel under the table, created (and pyqtgraph imported) on first use."""
        if self._chart_panel is None:
            from desktop.ui.monitoring.chart import ChartPanel

            self._chart_panel = ChartPanel(self)
            self.splitter.addWidget(self._chart_panel)
            self.splitter.setStretchFactor(0, 3)
            self.splitter.setStretchFactor(1, 2)
            self._chart_panel.closed.connect(self.table.setFocus)
        return self._chart_panel

    def open_chart(self, proxy_row: int | None = None) -> bool:
        """Show the chart of the indicator at proxy_row (default: the current row). False if there is none."""
        if proxy_row is not None:
            self.table.setCurrentIndex(self.proxy.index(proxy_row, MonitoringTableModel.COL_NAME))
        row = self._current_row()
        result = self.model.result
        if row is None or result is None:
            return False
        self.table.scrollTo(self.table.currentIndex())
        panel = self.chart_panel()
        panel.show_row(row, result.unit.name, result.year)
        panel.show()
        self._chart_id = row.plan_indicator_id
        self.chart_shown.emit(row.plan_indicator_id)
        return True

    # --- reference values for comparator targets ------------------------------------------------------------

    def _comparator(self):
        """The current row's comparator milestone (the headline one first), or None."""
        row = self._current_row()
        found = [m for m in row.milestones if m.kind == "comparator"] if row is not None else []
        if not found:
            return None
        return row.headline if row.headline in found else found[0]

    def _update_reference_button(self, *_args) -> None:
        self.reference_button.setEnabled(self._comparator() is not None)

    def ask_reference_value(self) -> None:
        milestone = self._comparator()
        row = self._current_row()
        if milestone is None or row is None:
            return
        current = load_reference_values(self._conn).get(milestone.target_id)
        prompt = (
            tr("“%1”%2年目标“%3”的参照值（%4；留空则清除）：")
            .replace("%1", row.name)
            .replace("%2", str(milestone.year))
            .replace("%3", milestone.raw)
            .replace("%4", row.unit or tr("与指标同单位"))
        )
        shown = "" if current is None else f"{current:g}"
        text, ok = QInputDialog.getText(self, tr("录入参照值"), prompt, text=shown)
        if ok:
            self.set_reference_text(milestone.target_id, text)

    def set_reference_text(self, target_id: int, text: str) -> bool:
        """Store text (as typed, full-width digits and a unit allowed) as the reference value of a comparator
        target, or clear it when blank; the evaluation then recomputes. False, with a message, on bad input."""
        key = unicodedata.normalize("NFKC", text or "").strip()
        match = _REFERENCE.fullmatch(key) if key else None
        if key and match is None:
            QMessageBox.warning(
                self, tr("录入参照值"), tr("“%1”不是数字，请输入如 3.5 的数值。").replace("%1", text)
            )
            return False
        try:
            changes = set_reference_value(self._conn, target_id, float(match.group(1)) if match else None)
        except MonitoringError as exc:
            QMessageBox.warning(self, tr("录入参照值"), exc.message)
            return False
        self.data_changed.emit(changes)
        self.refresh(changes)
        return True

    # --- import ----------------------------------------------------------------------------------------------

    def open_import_dialog(self):
        from desktop.ui.monitoring.plan_import_dialog import PlanImportDialog

        dialog = PlanImportDialog(self._conn, self._runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.plan_imported.connect(self._on_plan_imported)
        dialog.open()
        return dialog

    def _on_plan_imported(self, result) -> None:
        self.data_changed.emit(result.changes)
        self.refresh()
        self.select_plan(result.plan_id)

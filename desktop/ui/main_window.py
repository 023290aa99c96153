"""The main window: org units on the left, a plan's indicator table with the program's reading on the right.

The window reads through the store and never writes; writes (later) go through ops and end with
`data_changed`, the one signal every view refreshes from (Anki's habit). Switching to another database file is
the composition root's job (it owns the single-instance lock), so the window only asks for it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_SHORT_NAME_ZH
from desktop.store.db import get_setting
from desktop.store.indicators import list_indicators
from desktop.store.orgunits import list_org_units
from desktop.store.plans import Plan, list_plan_indicators, list_plans
from desktop.ui.delegates import (
    DomainDelegate,
    PaddedItemDelegate,
    TargetReadingDelegate,
    reading_height,
    row_padding,
    text_height,
)
from desktop.ui.models.org_unit_tree_model import OrgUnitTreeModel
from desktop.ui.models.plan_indicator_model import (
    IndicatorFilterProxyModel,
    PlanIndicatorTableModel,
)
from desktop.ui.qt_setup import chinese_locale

DEFAULT_SIZE = (1280, 800)
DEMO_BANNER_STYLE = (
    "QLabel#demoBanner { background: #ffe58f; color: #5c4400; border-bottom: 1px solid #e6c65c;"
    " padding: 6px 12px; }"
)
_PANEL_TITLE_STYLE = "font-weight: bold;"
_DETAILS_STYLE = "color: #555555;"

# Widest a fixed column may grow, in characters of the UI font (so it scales with the font and DPI).
_MAX_CHARS = {
    PlanIndicatorTableModel.COL_SEQ: 3,
    PlanIndicatorTableModel.COL_DOMAIN: 6,
    PlanIndicatorTableModel.COL_NAME: 15,
    PlanIndicatorTableModel.COL_UNIT: 4,
    PlanIndicatorTableModel.COL_NATURE: 4,
    PlanIndicatorTableModel.COL_BASELINE: 8,
}
_RAW_TARGET_CHARS = 7
_MIN_READING_CHARS = 12
_CELL_PADDING = 14


def preferred_plan(plans: list[Plan]) -> Plan | None:
    """The plan to show first: the county's own plan if there is one, else the first listed."""
    for plan in plans:
        if plan.level == "county":
            return plan
    return plans[0] if plans else None


def plan_period_text(plan: Plan) -> str:
    if plan.period_start and plan.period_end:
        return f"{plan.period_start}—{plan.period_end}年"
    if plan.period_end:
        return f"至{plan.period_end}年"
    return ""


class MainWindow(QMainWindow):
    data_changed = Signal()
    database_open_requested = Signal(str)
    org_unit_selected = Signal(int)
    plan_selected = Signal(int)

    def __init__(self, conn: sqlite3.Connection, db_path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._db_path = Path(db_path)
        self._locale = chinese_locale()
        self._demo = False
        self._about = None
        self._plans: dict[int, Plan] = {}

        self.org_model = OrgUnitTreeModel(self)
        self.indicator_model = PlanIndicatorTableModel(self)
        self.indicator_proxy = IndicatorFilterProxyModel(self)
        self.indicator_proxy.setSourceModel(self.indicator_model)

        self._build_widgets()
        self._build_actions()
        self.data_changed.connect(self.refresh)
        self.resize(*DEFAULT_SIZE)
        self.refresh()

    # --- construction ------------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.demo_banner = QLabel(
            self.tr(
                "<b>示例数据</b>　当前打开的是示例县的演示数据库，其中的数字是虚构的，"
                "仅供熟悉功能，请勿用于上报。"
            )
        )
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setStyleSheet(DEMO_BANNER_STYLE)
        self.demo_banner.setWordWrap(True)

        self.tree_view = QTreeView()
        self.tree_view.setModel(self.org_model)
        self.tree_view.setUniformRowHeights(True)
        self.tree_view.setAlternatingRowColors(True)
        self.tree_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree_view.header().setStretchLastSection(False)
        self.tree_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree_view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree_view.selectionModel().currentRowChanged.connect(self._on_unit_changed)
        self.tree_view.setAccessibleName(self.tr("机构树"))

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        tree_title = QLabel(self.tr("机构"))
        tree_title.setStyleSheet(_PANEL_TITLE_STYLE)
        tree_title.setBuddy(self.tree_view)
        left_layout.addWidget(tree_title)
        left_layout.addWidget(self.tree_view)

        self.plan_combo = QComboBox()
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.plan_combo.setMinimumContentsLength(30)
        self.plan_combo.currentIndexChanged.connect(self._on_plan_changed)
        self.plan_combo.setAccessibleName(self.tr("规划"))
        plan_label = QLabel(self.tr("规划(&P)："))
        plan_label.setBuddy(self.plan_combo)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("筛选指标（Ctrl+F）"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(self.filter_edit.fontMetrics().horizontalAdvance("中") * 13)
        self.filter_edit.setMaximumWidth(self.filter_edit.fontMetrics().horizontalAdvance("中") * 18)
        self.filter_edit.textChanged.connect(self.indicator_proxy.setFilterFixedString)
        self.filter_edit.setAccessibleName(self.tr("筛选指标"))

        self.plan_details = QLabel()
        self.plan_details.setStyleSheet(_DETAILS_STYLE)
        self.plan_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plan_details.setWordWrap(True)

        self.table_view = QTableView()
        self.table_view.setModel(self.indicator_proxy)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.setWordWrap(True)
        self.table_view.setTabKeyNavigation(False)  # Tab leaves the table, so every panel is reachable
        self.table_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table_view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Row heights are computed here from the texts (_update_row_heights), not by ResizeToContents, which
        # asks every cell's delegate for a size hint on every resize: a tenth of a second at start-up.
        rows = self.table_view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumSectionSize(self.table_view.fontMetrics().height())
        rows.setDefaultSectionSize(self.table_view.fontMetrics().height() + row_padding())
        self._heights_pending = False
        self.table_view.horizontalHeader().sectionResized.connect(self._schedule_row_heights)
        self.indicator_proxy.layoutChanged.connect(self._schedule_row_heights)
        self.indicator_proxy.rowsInserted.connect(self._schedule_row_heights)
        self.indicator_proxy.rowsRemoved.connect(self._schedule_row_heights)
        self.table_view.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.table_view.horizontalHeader().setHighlightSections(False)
        self.table_view.setStyleSheet("QTableView { gridline-color: #dcdcdc; }")
        self.table_view.setItemDelegate(PaddedItemDelegate(self.table_view))
        self.table_view.setItemDelegateForColumn(
            PlanIndicatorTableModel.COL_DOMAIN, DomainDelegate(self.table_view)
        )
        self._reading_delegate = TargetReadingDelegate(self.table_view)
        self.table_view.setAccessibleName(self.tr("指标表"))
        # Always shown: a scroll bar that came and went would change the width the readings share, and
        # with it the row heights, and with those whether the scroll bar is needed.
        self.table_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.table_view.viewport().installEventFilter(self)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 8, 8, 8)
        picker_row = QHBoxLayout()
        picker_row.addWidget(plan_label)
        picker_row.addWidget(self.plan_combo, 1)
        picker_row.addSpacing(16)
        picker_row.addWidget(self.filter_edit)
        right_layout.addLayout(picker_row)
        right_layout.addWidget(self.plan_details)
        right_layout.addWidget(self.table_view, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([290, DEFAULT_SIZE[0] - 290])

        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.demo_banner)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.setTabOrder(self.tree_view, self.plan_combo)
        self.setTabOrder(self.plan_combo, self.filter_edit)
        self.setTabOrder(self.filter_edit, self.table_view)

        self.path_label = QLabel()
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts_label = QLabel()
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.open_action = QAction(self.tr("打开数据库(&O)…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_database)
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("退出(&X)"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        self.find_action = QAction(self.tr("筛选指标"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_filter)
        self.addAction(self.find_action)

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.about_action = QAction(self.tr("关于(&A)"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    # --- public API ----------------------------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    @property
    def db_path(self) -> Path:
        return self._db_path

    @property
    def is_demo(self) -> bool:
        return self._demo

    def set_database(self, conn: sqlite3.Connection, db_path: Path | str) -> None:
        """Show another database (the caller closes the previous connection)."""
        self._conn = conn
        self._db_path = Path(db_path)
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        self.plan_combo.blockSignals(False)
        self.data_changed.emit()

    def refresh(self) -> None:
        """Re-read everything shown from the database (connected to data_changed)."""
        self._demo = get_setting(self._conn, "demo") == "1"
        units = list_org_units(self._conn)
        self.org_model.load(units)
        self.tree_view.expandToDepth(0)
        plans = list_plans(self._conn)
        self._fill_plan_combo(plans)
        self._show_plan(self.current_plan_id())
        self._update_frame(len(units), len(plans), len(list_indicators(self._conn)))

    def current_plan_id(self) -> int | None:
        index = self.plan_combo.currentIndex()
        return int(self.plan_combo.itemData(index)) if index >= 0 else None

    def select_plan(self, plan_id: int) -> bool:
        index = self.plan_combo.findData(plan_id)
        if index < 0:
            return False
        self.plan_combo.setCurrentIndex(index)
        return True

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def show_about(self):
        """Open the About box (window-modal, non-blocking) and return it."""
        from desktop.ui.about_dialog import AboutDialog  # not needed to start: imported when asked for

        if self._about is not None:
            self._about.close()
        self._about = AboutDialog(self._db_path, self)
        self._about.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._about.destroyed.connect(self._forget_about)
        self._about.open()
        return self._about

    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("打开数据库"),
            str(self._db_path.parent),
            self.tr("数据库文件 (*.sqlite *.db);;所有文件 (*)"),
        )
        if path:
            self.database_open_requested.emit(path)

    # --- internals ---------------------------------------------------------------------------------------

    def _forget_about(self) -> None:
        self._about = None

    def _fill_plan_combo(self, plans: list[Plan]) -> None:
        keep = self.current_plan_id()
        self._plans = {p.id: p for p in plans}
        with QSignalBlocker(self.plan_combo):
            self.plan_combo.clear()
            for plan in plans:
                parts = [plan.title]
                if plan.doc_number:
                    parts.append(f"（{plan.doc_number}）")
                period = plan_period_text(plan)
                if period:
                    parts.append(f"  {period}")
                self.plan_combo.addItem("".join(parts), plan.id)
                self.plan_combo.setItemData(
                    self.plan_combo.count() - 1, self._plan_tooltip(plan), Qt.ItemDataRole.ToolTipRole
                )
            wanted = keep if keep is not None and self.plan_combo.findData(keep) >= 0 else None
            if wanted is None:
                first = preferred_plan(plans)
                wanted = first.id if first else None
            if wanted is not None:
                self.plan_combo.setCurrentIndex(self.plan_combo.findData(wanted))
        self.plan_combo.setEnabled(bool(plans))
        self.filter_edit.setEnabled(bool(plans))

    def _plan_tooltip(self, plan: Plan) -> str:
        lines = [plan.title]
        if plan.issuer:
            lines.append(self.tr("发布：%1").replace("%1", plan.issuer))
        if plan.doc_number:
            lines.append(self.tr("文号：%1").replace("%1", plan.doc_number))
        if plan.source:
            lines.append(self.tr("来源：%1").replace("%1", plan.source))
        return "\n".join(lines)

    def _on_plan_changed(self, _index: int) -> None:
        plan_id = self.current_plan_id()
        self._show_plan(plan_id)
        if plan_id is not None:
            self.plan_selected.emit(plan_id)

    def _show_plan(self, plan_id: int | None) -> None:
        rows = list_plan_indicators(self._conn, plan_id) if plan_id is not None else []
        plan = self._plans.get(plan_id) if plan_id is not None else None
        self.indicator_model.load(rows, baseline_year=plan.baseline_year if plan else None)
        self._apply_column_widths()
        self.plan_details.setText(self._plan_details_text(plan, len(rows)))

    def _plan_details_text(self, plan: Plan | None, count: int) -> str:
        if plan is None:
            return self.tr("数据库中还没有规划。")
        parts = []
        if plan.issuer:
            parts.append(self.tr("发布：%1").replace("%1", plan.issuer))
        parts.append(self.tr("文号：%1").replace("%1", plan.doc_number or self.tr("未注明")))
        period = plan_period_text(plan)
        if period:
            parts.append(self.tr("规划期：%1").replace("%1", period))
        if plan.baseline_year:
            parts.append(self.tr("基期：%1年").replace("%1", str(plan.baseline_year)))
        parts.append(self.tr("指标 %1 项").replace("%1", self._locale.toString(count)))
        ambiguous = sum(
            1
            for r in range(self.indicator_model.rowCount())
            for t in self.indicator_model.row_at(r).targets
            if t.ambiguous
        )
        if ambiguous:
            parts.append(
                self.tr("%1 处目标写法待核对（标黄）").replace("%1", self._locale.toString(ambiguous))
            )
        return "　·　".join(parts)

    def _apply_column_widths(self) -> None:
        """Fixed columns fit their content up to a cap; the readings share the rest and wrap."""
        header = self.table_view.horizontalHeader()
        char = self.table_view.fontMetrics().horizontalAdvance("中")
        header.setMinimumSectionSize(3 * char)
        model = self.indicator_model
        for column in range(model.columnCount()):
            if model.is_reading_column(column):
                self.table_view.setItemDelegateForColumn(column, self._reading_delegate)
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                continue
            # Columns a plan leaves blank (no 序号, no 性质) only take space from the readings.
            self.table_view.setColumnHidden(column, model.rowCount() > 0 and model.column_is_empty(column))
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            cap = _MAX_CHARS.get(column, _RAW_TARGET_CHARS) * char + _CELL_PADDING
            wanted = max(self.table_view.sizeHintForColumn(column), header.sectionSizeHint(column))
            header.resizeSection(column, min(wanted + _CELL_PADDING // 2, cap))
        self._fit_reading_columns()
        self._update_row_heights()

    def _fit_reading_columns(self) -> None:
        """Readings share the width the other columns leave, but never get narrower than they can be read
        (on a small screen the table scrolls sideways instead). Not QHeaderView.Stretch: that has no minimum."""
        view, model = self.table_view, self.indicator_model
        header = view.horizontalHeader()
        reading = [c for c in range(model.columnCount()) if model.is_reading_column(c)]
        if not reading:
            return
        others = sum(
            header.sectionSize(c)
            for c in range(model.columnCount())
            if c not in reading and not view.isColumnHidden(c)
        )
        char = view.fontMetrics().horizontalAdvance("中")
        width = max(_MIN_READING_CHARS * char, (view.viewport().width() - others) // len(reading))
        for column in reading:
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table_view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_reading_columns()
        return super().eventFilter(watched, event)

    def _schedule_row_heights(self, *_args) -> None:
        # Resizing the window resizes every stretched column in turn: recompute once, after the last one.
        if not self._heights_pending:
            self._heights_pending = True
            QTimer.singleShot(0, self._update_row_heights)

    def _update_row_heights(self) -> None:
        """Give each shown row the height its tallest wrapped cell needs at the current column widths."""
        self._heights_pending = False
        view, model, proxy = self.table_view, self.indicator_model, self.indicator_proxy
        fm = view.fontMetrics()
        header, rows = view.horizontalHeader(), view.verticalHeader()
        columns = [
            (column, header.sectionSize(column))
            for column in range(model.columnCount())
            if not view.isColumnHidden(column)
        ]
        previous_domain = None
        for proxy_row in range(proxy.rowCount()):
            row = proxy.mapToSource(proxy.index(proxy_row, 0)).row()
            domain = model.row_at(row).domain or ""
            height = fm.height()
            for column, width in columns:
                if model.is_reading_column(column):
                    parts = model.reading_parts(row, column)
                    cell = reading_height(fm, width, *parts) if parts else fm.height()
                elif column == model.COL_DOMAIN:
                    cell = text_height(fm, width, domain if domain != previous_domain else "")
                else:
                    cell = text_height(fm, width, model.cell_text(row, column))
                height = max(height, cell)
            previous_domain = domain
            rows.resizeSection(proxy_row, height + row_padding())

    def _update_frame(self, units: int, plans: int, indicators: int) -> None:
        title = f"{APP_SHORT_NAME_ZH} — {self._db_path.name}"
        if self._demo:
            title += " — " + self.tr("示例数据")
        self.setWindowTitle(title)
        self.demo_banner.setVisible(self._demo)
        self.path_label.setText(self.tr("数据库：%1").replace("%1", str(self._db_path)))
        loc = self._locale
        self.counts_label.setText(
            self.tr("机构 %1 个　规划 %2 个　指标 %3 个")
            .replace("%1", loc.toString(units))
            .replace("%2", loc.toString(plans))
            .replace("%3", loc.toString(indicators))
        )

    def _on_unit_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        unit = self.org_model.unit_at(current)
        if unit is not None:
            self.org_unit_selected.emit(unit.id)

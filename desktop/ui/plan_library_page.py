"""The plan library page: pick a plan, see its indicator table with each target as written and as read.

Raw target text sits beside the program's reading, so a statistician can check every reading against the
plan; ambiguous readings are marked 请核对. Read-only: plans change through ops (import, later issues).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.store.plans import Plan, list_plan_indicators, list_plans
from desktop.ui.delegates import (
    DomainDelegate,
    PaddedItemDelegate,
    TargetReadingDelegate,
    reading_height,
    row_padding,
    text_height,
)
from desktop.ui.models.plan_indicator_model import IndicatorFilterProxyModel, PlanIndicatorTableModel
from desktop.ui.pickers import buddy_label, current_int, preferred_plan, select_item
from desktop.ui.qt_setup import chinese_locale

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


def plan_period_text(plan: Plan) -> str:
    if plan.period_start and plan.period_end:
        return f"{plan.period_start}—{plan.period_end}年"
    if plan.period_end:
        return f"至{plan.period_end}年"
    return ""


class PlanLibraryPage(QWidget):
    """Follows the page contract of desktop.ui.pages (data_changed, refresh, set_org_unit)."""

    data_changed = Signal(object)
    plan_selected = Signal(int)

    def __init__(
        self,
        conn: sqlite3.Connection,
        db_path: Path | str | None = None,
        runner=None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._conn = conn
        self._locale = chinese_locale()
        self._plans: dict[int, Plan] = {}
        self.indicator_model = PlanIndicatorTableModel(self)
        self.indicator_proxy = IndicatorFilterProxyModel(self)
        self.indicator_proxy.setSourceModel(self.indicator_model)
        self._build_widgets()
        self.refresh()

    def _build_widgets(self) -> None:
        self.plan_combo = QComboBox()
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.plan_combo.setMinimumContentsLength(30)
        self.plan_combo.currentIndexChanged.connect(self._on_plan_changed)
        self.plan_combo.setAccessibleName(self.tr("规划"))
        plan_label = buddy_label(self.tr("规划(&P)："), self.plan_combo)

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

        right_layout = QVBoxLayout(self)
        right_layout.setContentsMargins(4, 8, 8, 8)
        picker_row = QHBoxLayout()
        picker_row.addWidget(plan_label)
        picker_row.addWidget(self.plan_combo, 1)
        picker_row.addSpacing(16)
        picker_row.addWidget(self.filter_edit)
        right_layout.addLayout(picker_row)
        right_layout.addWidget(self.plan_details)
        right_layout.addWidget(self.table_view, 1)

        self.setTabOrder(self.plan_combo, self.filter_edit)
        self.setTabOrder(self.filter_edit, self.table_view)

    def set_connection(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        with QSignalBlocker(self.plan_combo):
            self.plan_combo.clear()
        self.refresh()

    def refresh(self, changes: object | None = None) -> None:
        """Re-read the plans (all changes matter here only if they touch plans)."""
        if changes is not None and not getattr(changes, "plans", True):
            return
        self._fill_plan_combo(list_plans(self._conn))
        self._show_plan(self.current_plan_id())

    def set_org_unit(self, unit_id: int) -> None:
        """Plans are county-wide: the org-unit selection does not change this page."""

    def current_plan_id(self) -> int | None:
        return current_int(self.plan_combo)

    def select_plan(self, plan_id: int) -> bool:
        return select_item(self.plan_combo, plan_id)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

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
            first = preferred_plan(plans)
            if not select_item(self.plan_combo, keep) and first is not None:
                select_item(self.plan_combo, first.id)
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

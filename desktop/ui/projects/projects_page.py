"""The project register page: every project of the plans' 重点项目/专栏 with its computed status.

Filters: plan, stage, status, 仅看滞后, free text, and (optionally) the org unit selected in the tree with the
units under it. The line under the table explains the selected project's status in words. Enter or a
double-click opens the project dialog; every edit is saved through desktop.ops.projects and announced with
data_changed(OpChanges(projects=True)). Follows the page contract of desktop.ui.pages.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.project_status import DONE, LATE, ON_TRACK, STATUSES, SUSPENDED
from desktop.ops import projects as project_ops
from desktop.store import orgunits, plans
from desktop.store.projects import STAGES
from desktop.ui.projects.project_dialog import ProjectDialog
from desktop.ui.projects.project_model import (
    STATUS_COLOURS,
    ProjectFilterProxyModel,
    ProjectTableModel,
    format_investment,
)
from desktop.ui.qt_setup import chinese_locale

_DETAILS_STYLE = "QLabel#projectDetails { background: #f6f7f9; border-top: 1px solid #dde1e6; padding: 8px; }"
_COLUMN_CHARS = {
    ProjectTableModel.COL_PLAN: 8,
    ProjectTableModel.COL_STAGE: 4,
    ProjectTableModel.COL_STATUS: 5,
    ProjectTableModel.COL_PLANNED: 7,
    ProjectTableModel.COL_ACTUAL: 7,
    ProjectTableModel.COL_MILESTONES: 5,
    ProjectTableModel.COL_INVEST: 8,
    ProjectTableModel.COL_LEAD: 8,
}


class ProjectsPage(QWidget):
    data_changed = Signal(object)

    def __init__(
        self,
        conn: sqlite3.Connection,
        db_path: Path | str | None = None,
        runner=None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._conn = conn
        self._db_path = Path(db_path) if db_path is not None else None
        self._runner = runner
        self._today_fixed = today
        self._locale = chinese_locale()
        self._unit_id: int | None = None
        self._units: dict[int, orgunits.OrgUnit] = {}
        self.dialog: ProjectDialog | None = None
        self.model = ProjectTableModel(self)
        self.proxy = ProjectFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.refresh()

    @property
    def today(self) -> date:
        return self._today_fixed or date.today()

    # --- construction ------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.plan_combo = QComboBox()
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.plan_combo.setMinimumContentsLength(14)
        self.plan_combo.setAccessibleName(self.tr("规划"))
        self.stage_combo = QComboBox()
        self.stage_combo.addItem(self.tr("全部阶段"), None)
        for stage in STAGES:
            self.stage_combo.addItem(stage, stage)
        self.status_combo = QComboBox()
        self.status_combo.addItem(self.tr("全部状态"), None)
        for status in STATUSES:
            self.status_combo.addItem(status, status)
        self.late_check = QCheckBox(self.tr("仅看滞后(&L)"))
        self.unit_check = QCheckBox()
        self.unit_check.setToolTip(self.tr("只显示机构树中所选机构及其下属机构的项目"))
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("搜索项目（Ctrl+F）"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 12)
        self.search_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("中") * 18)
        for combo in (self.plan_combo, self.stage_combo, self.status_combo):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.late_check.toggled.connect(self._apply_filter)
        self.unit_check.toggled.connect(self._apply_filter)
        self.search_edit.textChanged.connect(self._apply_filter)

        self.new_button = QPushButton(self.tr("新建项目(&N)…"))
        self.edit_button = QPushButton(self.tr("编辑(&E)…"))
        self.delete_button = QPushButton(self.tr("删除"))
        self.new_button.clicked.connect(self.new_project)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)

        plan_label = QLabel(self.tr("规划(&P)："))
        plan_label.setBuddy(self.plan_combo)
        filters = QHBoxLayout()
        filters.addWidget(plan_label)
        filters.addWidget(self.plan_combo, 1)
        filters.addWidget(self.stage_combo)
        filters.addWidget(self.status_combo)
        filters.addWidget(self.late_check)
        filters.addWidget(self.unit_check)
        filters.addSpacing(8)
        filters.addWidget(self.search_edit)

        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        actions = QHBoxLayout()
        actions.addWidget(self.summary_label, 1)
        actions.addWidget(self.new_button)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.delete_button)

        self.table_view = QTableView()
        self.table_view.setModel(self.proxy)
        self.table_view.setAccessibleName(self.tr("项目表"))
        self.table_view.setAlternatingRowColors(True)
        self.table_view.setSortingEnabled(True)
        self.table_view.setTabKeyNavigation(False)
        self.table_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table_view.setWordWrap(False)
        self.table_view.setStyleSheet("QTableView { gridline-color: #e1e4e8; }")
        self.table_view.verticalHeader().setVisible(False)
        self.table_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table_view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(ProjectTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        char = self.fontMetrics().horizontalAdvance("中")
        for column, chars in _COLUMN_CHARS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, chars * char + 16)
        self.table_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        # activated: Enter/Return on the current row, or a double-click (a single click where the platform says so).
        self.table_view.activated.connect(self._open_index)
        self.table_view.selectionModel().currentRowChanged.connect(self._show_details)

        self.details_label = QLabel()
        self.details_label.setObjectName("projectDetails")
        self.details_label.setStyleSheet(_DETAILS_STYLE)
        self.details_label.setWordWrap(True)
        self.details_label.setTextFormat(Qt.TextFormat.RichText)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label.setMinimumHeight(self.fontMetrics().height() * 3 + 16)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table_view, 1)
        layout.addWidget(self.details_label)

        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)

    # --- page contract -----------------------------------------------------------------------------------

    def refresh(self, changes: object | None = None) -> None:
        """Re-read the register (statuses are recomputed as of today)."""
        if changes is not None and not any(
            getattr(changes, name, True) for name in ("projects", "plans", "org_units")
        ):
            return  # a value was saved: nothing this page shows has changed
        current = self.current_project_id()
        self._units = {u.id: u for u in orgunits.list_org_units(self._conn)}
        self._fill_plans()
        self.model.load(project_ops.list_project_rows(self._conn, self.today))
        self._update_unit_check()
        self._apply_filter()
        if current is not None:
            self.select_project(current)

    def set_org_unit(self, unit_id: int) -> None:
        self._unit_id = unit_id
        self._update_unit_check()
        if self.unit_check.isChecked():
            self._apply_filter()

    # --- public helpers ----------------------------------------------------------------------------------

    def select_plan(self, plan_id: int | None) -> bool:
        index = self.plan_combo.findData(plan_id)
        if index < 0:
            return False
        self.plan_combo.setCurrentIndex(index)
        return True

    def current_project_id(self) -> int | None:
        index = self.table_view.currentIndex()
        if not index.isValid():
            return None
        row = self.proxy.data(index, ProjectTableModel.RowRole)
        return row.project.id if row is not None else None

    def select_project(self, project_id: int) -> bool:
        source = self.model.row_of(project_id)
        if source < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source, 0))
        if not index.isValid():
            return False
        self.table_view.setCurrentIndex(index)
        self.table_view.scrollTo(index)
        return True

    def visible_rows(self) -> list[project_ops.ProjectRow]:
        return [
            self.proxy.data(self.proxy.index(r, 0), ProjectTableModel.RowRole)
            for r in range(self.proxy.rowCount())
        ]

    def new_project(self) -> ProjectDialog:
        return self._open_dialog(None)

    def edit_current(self) -> ProjectDialog | None:
        project_id = self.current_project_id()
        return self._open_dialog(project_id) if project_id is not None else None

    def delete_current(self) -> bool:
        project_id = self.current_project_id()
        row = self.model.row_at(self.model.row_of(project_id)) if project_id is not None else None
        if row is None:
            return False
        answer = QMessageBox.question(
            self,
            self.tr("删除项目"),
            self.tr("确定删除项目“%1”及其 %2 个节点吗？此操作不能撤销。")
            .replace("%1", row.project.name)
            .replace("%2", str(len(row.milestones))),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        changes = project_ops.delete_project(self._conn, row.project.id)
        self.refresh()
        self.data_changed.emit(changes)
        return True

    # --- internals ---------------------------------------------------------------------------------------

    def _open_dialog(self, project_id: int | None) -> ProjectDialog:
        if self.dialog is not None:
            self.dialog.close()
        plan_id = self.plan_combo.currentData()
        self.dialog = ProjectDialog(
            self._conn, project_id, today=self.today, plan_id=plan_id, org_unit_id=None, parent=self
        )
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.saved.connect(self._on_saved)
        self.dialog.destroyed.connect(self._forget_dialog)
        self.dialog.open()
        return self.dialog

    def _forget_dialog(self) -> None:
        self.dialog = None

    def _on_saved(self, changes: object) -> None:
        saved_id = self.dialog.project_id if self.dialog is not None else None
        self.refresh()
        if saved_id is not None and not self.select_project(saved_id):
            self._clear_filters_for(saved_id)
        self.data_changed.emit(changes)

    def _clear_filters_for(self, project_id: int) -> None:
        # A new project that the filters hide would seem lost: show everything and select it.
        with (
            QSignalBlocker(self.stage_combo),
            QSignalBlocker(self.status_combo),
            QSignalBlocker(self.late_check),
        ):
            self.stage_combo.setCurrentIndex(0)
            self.status_combo.setCurrentIndex(0)
            self.late_check.setChecked(False)
        self.search_edit.clear()
        self._apply_filter()
        self.select_project(project_id)

    def _open_index(self, index: QModelIndex) -> None:
        row = self.proxy.data(index, ProjectTableModel.RowRole)
        if row is not None:
            self._open_dialog(row.project.id)

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _fill_plans(self) -> None:
        keep = self.plan_combo.currentData() if self.plan_combo.count() else None
        with QSignalBlocker(self.plan_combo):
            self.plan_combo.clear()
            self.plan_combo.addItem(self.tr("全部规划"), None)
            for plan in plans.list_plans(self._conn):
                self.plan_combo.addItem(plan.short_title or plan.title, plan.id)
                self.plan_combo.setItemData(
                    self.plan_combo.count() - 1, plan.title, Qt.ItemDataRole.ToolTipRole
                )
            self.plan_combo.setCurrentIndex(max(self.plan_combo.findData(keep), 0))

    def _descendants(self, unit_id: int) -> frozenset[int]:
        children: dict[int, list[int]] = {}
        for unit in self._units.values():
            if unit.parent_id is not None:
                children.setdefault(unit.parent_id, []).append(unit.id)
        found, stack = set(), [unit_id]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(children.get(current, []))
        return frozenset(found)

    def _update_unit_check(self) -> None:
        unit = self._units.get(self._unit_id) if self._unit_id is not None else None
        self.unit_check.setVisible(unit is not None)
        if unit is not None:
            self.unit_check.setText(self.tr("只看%1").replace("%1", unit.display_name))

    def _apply_filter(self, *_args) -> None:
        # With one plan chosen, a column repeating its name would only take room from the project names.
        self.table_view.setColumnHidden(ProjectTableModel.COL_PLAN, self.plan_combo.currentData() is not None)
        units = None
        if self.unit_check.isChecked() and self._unit_id in self._units:
            units = self._descendants(self._unit_id)
        self.proxy.set_criteria(
            project_ops.RegisterFilter(
                plan_id=self.plan_combo.currentData(),
                stage=self.stage_combo.currentData(),
                status=self.status_combo.currentData(),
                late_only=self.late_check.isChecked(),
                org_unit_ids=units,
                text=self.search_edit.text(),
            )
        )
        self._update_summary()
        if not self.table_view.currentIndex().isValid() and self.proxy.rowCount():
            self.table_view.setCurrentIndex(self.proxy.index(0, 0))
        self._show_details(self.table_view.currentIndex())

    def _update_summary(self) -> None:
        shown = self.visible_rows()
        counts = project_ops.count_by_status(shown)
        loc = self._locale
        parts = []
        for status in (ON_TRACK, LATE, SUSPENDED, DONE):
            colour = STATUS_COLOURS[status][0].name()
            parts.append(f'{status} <b style="color:{colour}">{loc.toString(counts.get(status, 0))}</b>')
        total = self.model.rowCount()
        text = self.tr("显示 %1 个项目：").replace("%1", loc.toString(len(shown)))
        if len(shown) != total:
            text = (
                self.tr("共 %1 个项目，筛选后显示 %2 个：")
                .replace("%1", loc.toString(total))
                .replace("%2", loc.toString(len(shown)))
            )
        self.summary_label.setText(text + "　".join(parts))

    def _show_details(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        row = self.proxy.data(index, ProjectTableModel.RowRole) if index.isValid() else None
        self.edit_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None)
        if row is None:
            self.details_label.setText(
                self.tr("没有符合筛选条件的项目。") if self.proxy.rowCount() == 0 else ""
            )
            return
        p = row.project
        colour = STATUS_COLOURS[row.status.status][0].name()
        lines = [
            f'<b>{_html(p.name)}</b>　<span style="color:{colour}"><b>{row.status.status}</b>：'
            f"{_html(row.status.reason)}</span>"
        ]
        facts = [self.tr("阶段：%1").replace("%1", p.stage), self._dates_text(p)]
        if p.planned_investment is not None:
            facts.append(self.tr("计划投资 %1 万元").replace("%1", format_investment(p.planned_investment)))
        if row.milestones:
            facts.append(
                self.tr("节点 %1/%2 已完成")
                .replace("%1", str(row.milestones_done))
                .replace("%2", str(len(row.milestones)))
            )
        if p.stage in ("竣工", "投用") and not p.actual_finish:
            facts.append(self.tr("阶段已是“%1”，请补填实际完工日期").replace("%1", p.stage))
        lines.append(_html("　·　".join(facts)))
        self.details_label.setText("<br>".join(lines))

    def _dates_text(self, p) -> str:
        if not (p.planned_start or p.planned_finish or p.actual_start or p.actual_finish):
            return self.tr("未填写计划和实际日期")
        planned = (
            self.tr("计划 %1 至 %2")
            .replace("%1", p.planned_start or "?")
            .replace("%2", p.planned_finish or "?")
        )
        if not (p.actual_start or p.actual_finish):
            return planned + self.tr("；尚未开工")
        actual = self.tr("实际 %1 开工").replace("%1", p.actual_start or "?")
        actual += (
            self.tr("，%1 完工").replace("%1", p.actual_finish) if p.actual_finish else self.tr("，未完工")
        )
        return planned + "；" + actual


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

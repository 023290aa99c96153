"""Editing one project: its plan, stage, dates and investment, and its milestones in a table.

The status (按期/滞后/停缓建/完成) is shown live as the dates change — it is computed, there is nothing to type.
保存 writes the project and all its milestones through desktop.ops.projects.save_project in one transaction;
取消 discards every change. A field that cannot be saved is named in red and gets the focus.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from itertools import pairwise

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ops import projects as project_ops
from desktop.store import orgunits, plans, projects
from desktop.store.projects import STAGES
from desktop.ui.projects.milestone_model import MilestoneTableModel
from desktop.ui.projects.project_model import STATUS_COLOURS, format_investment

_INVALID_STYLE = "QLineEdit { border: 1px solid #c0392b; background: #fff5f4; }"
_ERROR_STYLE = "color: #a8261b;"


class DateLineEdit(QLineEdit):
    """A date typed the way a clerk types it; tidied to YYYY-MM-DD when the field is left, red if invalid."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = label
        self.setPlaceholderText(self.tr("如 2024-03-15"))
        self.setMaxLength(20)
        self.setAccessibleName(label)
        self.editingFinished.connect(self.tidy)

    def tidy(self) -> bool:
        """Normalise the text; returns False (and marks the field) when it is not a date."""
        try:
            value = project_ops.parse_date(self.text(), self._label)
        except project_ops.ProjectInvalid as exc:
            self.setStyleSheet(_INVALID_STYLE)
            self.setToolTip(exc.message)
            return False
        self.setStyleSheet("")
        self.setToolTip("")
        if value is not None and value != self.text():
            self.setText(value)
        return True


class ProjectDialog(QDialog):
    """Create (project_id None) or edit a project. Emits saved(OpChanges) after a successful save."""

    saved = Signal(object)

    def __init__(
        self,
        conn: sqlite3.Connection,
        project_id: int | None = None,
        *,
        today: date | None = None,
        plan_id: int | None = None,
        org_unit_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._conn = conn
        self._project_id = project_id
        self._today = today or date.today()
        self.milestone_model = MilestoneTableModel(self._today, self)
        self._build()
        self._load(plan_id, org_unit_id)
        self.milestone_model.refused.connect(self._show_error)
        self.milestone_model.edited.connect(self.update_status)
        self.update_status()
        self.resize(900, 680)

    # --- construction ------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.setWindowTitle(self.tr("新建项目") if self._project_id is None else self.tr("编辑项目"))
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("项目名称"))
        self.plan_combo = QComboBox()
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.plan_combo.setMinimumContentsLength(16)
        self.category_edit = QLineEdit()
        self.stage_combo = QComboBox()
        for stage in STAGES:
            self.stage_combo.addItem(stage, stage)
        self.suspended_check = QCheckBox(self.tr("停缓建(&S)"))
        self.suspended_check.setToolTip(self.tr("项目停建或缓建时勾选；状态将显示为“停缓建”"))
        self.lead_edit = QLineEdit()
        self.implementer_edit = QLineEdit()
        self.unit_combo = QComboBox()
        self.unit_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit_combo.setMinimumContentsLength(16)
        self.investment_edit = QLineEdit()
        self.investment_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.investment_edit.setPlaceholderText(self.tr("万元"))
        self.date_edits = {
            key: DateLineEdit(self.tr(label)) for key, label in project_ops.DATE_FIELDS.items()
        }
        for edit in (*self.date_edits.values(), self.investment_edit):
            edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("0") * 16 + 16)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        def add(row: int, column: int, text: str, widget: QWidget, span: int = 1) -> None:
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, row, column * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, row, column * 2 + 1, 1, span)

        add(0, 0, self.tr("项目名称(&N)："), self.name_edit, 3)
        add(1, 0, self.tr("所属规划(&P)："), self.plan_combo)
        add(1, 1, self.tr("类别："), self.category_edit)
        stage_row = QHBoxLayout()
        stage_row.addWidget(self.stage_combo)
        stage_row.addSpacing(12)
        stage_row.addWidget(self.suspended_check)
        stage_row.addStretch(1)
        stage_box = QWidget()
        stage_box.setLayout(stage_row)
        stage_row.setContentsMargins(0, 0, 0, 0)
        add(2, 0, self.tr("阶段(&G)："), stage_box)
        add(2, 1, self.tr("计划投资（万元）："), self.investment_edit)
        add(3, 0, self.tr("责任单位："), self.lead_edit)
        add(3, 1, self.tr("实施单位："), self.implementer_edit)
        add(4, 0, self.tr("所在机构："), self.unit_combo)
        add(5, 0, self.tr("计划开工："), self.date_edits["planned_start"])
        add(5, 1, self.tr("计划完工(&F)："), self.date_edits["planned_finish"])
        add(6, 0, self.tr("实际开工："), self.date_edits["actual_start"])
        add(6, 1, self.tr("实际完工："), self.date_edits["actual_finish"])

        self.status_chip = QLabel()
        self.status_chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_chip.setMinimumWidth(self.status_chip.fontMetrics().horizontalAdvance("停缓建") + 20)
        self.status_reason = QLabel()
        self.status_reason.setWordWrap(True)
        self.status_chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        status_row = QHBoxLayout()
        status_title = QLabel(self.tr("状态："))
        status_row.addWidget(status_title, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.status_chip, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.status_reason, 1)

        self.milestone_view = QTableView()
        self.milestone_view.setModel(self.milestone_model)
        self.milestone_view.setAccessibleName(self.tr("节点"))
        self.milestone_view.setAlternatingRowColors(True)
        self.milestone_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.milestone_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.milestone_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.milestone_view.horizontalHeader()
        header.setSectionResizeMode(MilestoneTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        char = self.fontMetrics().horizontalAdvance("0")
        for column in (MilestoneTableModel.COL_DUE, MilestoneTableModel.COL_DONE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, char * 14)
        header.setSectionResizeMode(MilestoneTableModel.COL_EVIDENCE, QHeaderView.ResizeMode.Stretch)
        self.milestone_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)

        self.add_button = QPushButton(self.tr("添加节点(&A)"))
        self.remove_button = QPushButton(self.tr("删除节点"))
        self.up_button = QPushButton(self.tr("上移"))
        self.down_button = QPushButton(self.tr("下移"))
        self.done_button = QPushButton(self.tr("今天完成(&T)"))
        self.done_button.setToolTip(self.tr("把所选节点的实际完成日期记为今天"))
        self.add_button.clicked.connect(self.add_milestone)
        self.remove_button.clicked.connect(self.remove_milestone)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.done_button.clicked.connect(self.mark_done_today)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        milestone_box = QGroupBox(self.tr("节点（计划完成、实际完成与佐证材料）"))
        milestone_layout = QVBoxLayout(milestone_box)
        milestone_layout.addWidget(self.milestone_view, 1)
        milestone_layout.addLayout(buttons)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("备注：进展、问题和下一步安排"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(self.fontMetrics().height() * 4)

        self.error_label = QLabel()
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.button_box.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.button_box.accepted.connect(self.save)
        self.button_box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(status_row)
        layout.addWidget(milestone_box, 1)
        note_label = QLabel(self.tr("备注(&M)："))
        note_label.setBuddy(self.note_edit)
        layout.addWidget(note_label)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.button_box)

        for edit in self.date_edits.values():
            edit.editingFinished.connect(self.update_status)
            edit.textChanged.connect(self.update_status)
        self.suspended_check.toggled.connect(self.update_status)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        # Tab follows the form as it reads: left to right, then down.
        chain = [
            self.name_edit,
            self.plan_combo,
            self.category_edit,
            self.stage_combo,
            self.suspended_check,
            self.investment_edit,
            self.lead_edit,
            self.implementer_edit,
            self.unit_combo,
            *self.date_edits.values(),
            self.milestone_view,
            self.add_button,
            self.note_edit,
        ]
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)

    def _load(self, plan_id: int | None, org_unit_id: int | None) -> None:
        self.plan_combo.addItem(self.tr("（不属于规划）"), None)
        for plan in plans.list_plans(self._conn):
            self.plan_combo.addItem(plan.short_title or plan.title, plan.id)
        self.unit_combo.addItem(self.tr("（未指定）"), None)
        for depth, unit in _tree_order(orgunits.list_org_units(self._conn)):
            self.unit_combo.addItem("　" * depth + unit.display_name, unit.id)

        project = projects.get_project(self._conn, self._project_id) if self._project_id is not None else None
        if project is None:
            data = project_ops.ProjectInput(name="", plan_id=plan_id, org_unit_id=org_unit_id)
        else:
            data = project_ops.ProjectInput.from_project(
                project, projects.list_milestones(self._conn, project.id)
            )
        self.name_edit.setText(data.name)
        self.plan_combo.setCurrentIndex(max(self.plan_combo.findData(data.plan_id), 0))
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(data.org_unit_id), 0))
        self.category_edit.setText(data.category or "")
        self.stage_combo.setCurrentIndex(max(self.stage_combo.findData(data.stage), 0))
        with QSignalBlocker(self.suspended_check):
            self.suspended_check.setChecked(bool(data.suspended))
        self.lead_edit.setText(data.lead_department or "")
        self.implementer_edit.setText(data.implementer or "")
        self.investment_edit.setText(format_investment(data.planned_investment).replace(",", ""))
        for key, edit in self.date_edits.items():
            with QSignalBlocker(edit):
                edit.setText(getattr(data, key) or "")
        self.note_edit.setPlainText(data.note or "")
        self._description = data.description
        self.milestone_model.load(data.milestones)

    # --- behaviour ---------------------------------------------------------------------------------------

    def current_input(self) -> project_ops.ProjectInput:
        """What the dialog holds now, as ops takes it."""
        return project_ops.ProjectInput(
            name=self.name_edit.text(),
            plan_id=self.plan_combo.currentData(),
            category=self.category_edit.text(),
            description=self._description,
            org_unit_id=self.unit_combo.currentData(),
            lead_department=self.lead_edit.text(),
            implementer=self.implementer_edit.text(),
            planned_investment=self.investment_edit.text(),
            stage=self.stage_combo.currentData(),
            suspended=self.suspended_check.isChecked(),
            note=self.note_edit.toPlainText(),
            milestones=self.milestone_model.items(),
            **{key: edit.text() for key, edit in self.date_edits.items()},
        )

    def status_text(self) -> str:
        return self.status_chip.text()

    def update_status(self, *_args) -> None:
        status = project_ops.status_of(
            self.date_edits["planned_finish"].text(),
            self.date_edits["actual_finish"].text(),
            self.suspended_check.isChecked(),
            self.milestone_model.items(),
            self._today,
        )
        foreground, background = STATUS_COLOURS[status.status]
        self.status_chip.setText(status.status)
        self.status_chip.setStyleSheet(
            f"QLabel {{ color: {foreground.name()}; background: {background.name()}; border-radius: 3px;"
            " padding: 2px 8px; font-weight: bold; }"
        )
        self.status_reason.setText(status.reason)

    def add_milestone(self) -> None:
        row = self.milestone_model.add(self.tr("新节点"))
        index = self.milestone_model.index(row, MilestoneTableModel.COL_NAME)
        self.milestone_view.setCurrentIndex(index)
        self.milestone_view.edit(index)

    def _current_row(self) -> int:
        index = self.milestone_view.currentIndex()
        return index.row() if index.isValid() else -1

    def remove_milestone(self) -> None:
        self.milestone_model.remove(self._current_row())

    def _move(self, offset: int) -> None:
        row = self._current_row()
        if row < 0:
            return
        new = self.milestone_model.move(row, offset)
        self.milestone_view.setCurrentIndex(self.milestone_model.index(new, MilestoneTableModel.COL_NAME))

    def mark_done_today(self) -> None:
        self.milestone_model.mark_done_today(self._current_row())

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def save(self) -> bool:
        """Validate and save through ops; on success emit saved and close. Returns whether it was saved."""
        for edit in self.date_edits.values():
            edit.tidy()
        try:
            result = project_ops.save_project(
                self._conn, self._project_id, self.current_input(), today=self._today
            )
        except project_ops.ProjectInvalid as exc:
            self._show_error(exc.message)
            self._focus_field(exc)
            return False
        self._project_id = result.project_id
        self._show_error("")
        self.saved.emit(result.changes)
        self.accept()
        return True

    @property
    def project_id(self) -> int | None:
        return self._project_id

    def _focus_field(self, exc: project_ops.ProjectInvalid) -> None:
        if exc.milestone_row is not None:
            self.milestone_view.setCurrentIndex(self.milestone_model.index(exc.milestone_row, 0))
            self.milestone_view.setFocus()
            return
        widget = {
            "name": self.name_edit,
            "stage": self.stage_combo,
            "planned_investment": self.investment_edit,
            **self.date_edits,
        }.get(exc.field)
        if widget is not None:
            widget.setFocus()


def _tree_order(units: list[orgunits.OrgUnit]) -> list[tuple[int, orgunits.OrgUnit]]:
    """(depth, unit) depth first — a township followed by its facilities — for an indented combo box."""
    children: dict[int | None, list[orgunits.OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[int, orgunits.OrgUnit]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            ordered.append((depth, unit))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered

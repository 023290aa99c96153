"""Dialogs of the 报表 screen: the template's identity block (表号 … 有效期至) and the diff of an imported return."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.io.template_model import IDENTITY_FIELDS, Identity, ReturnTemplate, parse_valid_until
from desktop.ops.import_return import ReturnImportPlan, ReturnImportRefused, ValueChange
from desktop.ops.returns import ExportResult, ReturnError
from desktop.ui.models.record_table_model import RecordTableModel
from desktop.ui.returns.models import RETURNS_CONTEXT, number_locale, tr

_ERROR_STYLE = "color: #a61b1b;"
_HINT_STYLE = "color: #555555;"


class TemplateIdentityDialog(QDialog):
    """Edit the identity block printed on one template's returns; empty fields fall back to the template."""

    def __init__(self, template: ReturnTemplate, identity: Identity, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template = template
        self.setWindowTitle(tr("表头设置 — {0}").format(template.title))
        self.edits: dict[str, QLineEdit] = {}
        intro = QLabel(
            tr(
                "表号、制定机关、批准机关、批准文号和有效期至随表式改版而变化，请按上级最新通知填写。留空则使用模板自带的值。"
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(_HINT_STYLE)
        form = QFormLayout()
        for key, label in IDENTITY_FIELDS.items():
            edit = QLineEdit(getattr(identity, key))
            edit.setPlaceholderText(getattr(template.identity, key))
            edit.setClearButtonEnabled(True)
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("中") * 20)
            edit.setAccessibleName(tr(label))
            self.edits[key] = edit
            form.addRow(tr("{0}(&{1})：").format(label, "TIAPV"[len(self.edits) - 1]), edit)
        self.edits["valid_until"].setToolTip(tr("写作 2027-12 或 2027-12-31"))
        self.error_label = QLabel()
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.reset_button = QPushButton(tr("恢复默认值(&R)"))
        buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.reset_button.clicked.connect(self.reset_to_defaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def reset_to_defaults(self) -> None:
        for key, edit in self.edits.items():
            edit.setText(getattr(self.template.identity, key))

    def values(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.edits.items()}

    def accept(self) -> None:
        until = self.values()["valid_until"]
        if until and parse_valid_until(until) is None:
            self.error_label.setText(
                tr("有效期至“{0}”不是日期，请写作 2027-12 或 2027-12-31。").format(until)
            )
            self.error_label.show()
            self.edits["valid_until"].setFocus()
            return
        super().accept()


def value_text(value: Any) -> str:
    if value is None:
        return tr("（空）")
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return number_locale().toString(value, "g", 12)
    return str(value)


class ChangesModel(RecordTableModel[ValueChange]):
    """old → new of every value an imported return would change."""

    HEADERS = ("单元格", "代码", "指标", "单位", "栏目", "原值", "新值")
    TR_CONTEXT = RETURNS_CONTEXT

    def __init__(self, changes: Iterable[ValueChange], parent=None) -> None:
        super().__init__(parent)
        self.load(changes)

    def record_data(self, change: ValueChange, column: int, role: int):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            old = value_text(change.old) + (tr("（下级汇总）") if change.old_was_rollup else "")
            return (
                change.cell,
                change.row_code,
                change.row_name,
                change.org_unit_name,
                change.column_title,
                old,
                value_text(change.new),
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr("{0}：数据项 {1}（{2}），{3}").format(
                change.org_unit_name, change.element_name, change.element_code, change.period
            )
        return None


class ImportReturnDialog(QDialog):
    """Shows what an imported return would change; 写入 applies it, 取消 leaves the database as it is."""

    def __init__(self, plan: ReturnImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(tr("导入已填报表 — 核对差异"))
        summary = QLabel("\n".join(plan.describe()))
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = ChangesModel(plan.changes, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(tr("将要修改的数值"))
        buttons = QDialogButtonBox()
        count = len(plan.changes)
        self.apply_button = buttons.addButton(
            tr("写入 {0} 个数值(&A)").format(count), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setEnabled(count > 0)
        self.apply_button.setDefault(count > 0)
        cancel = buttons.addButton(
            tr("关闭") if count == 0 else tr("取消"), QDialogButtonBox.ButtonRole.RejectRole
        )
        cancel.setAutoDefault(count == 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(
            tr(
                "写入时在一个事务中完成，每个数值的修改都记入审计记录（谁、何时、原值 → 新值）；任何一项失败则全部不写入。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(_HINT_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        width = self.fontMetrics().horizontalAdvance("中") * 56
        # Room for every line of the summary (its notes name cells that will not be written) on top of the
        # table, so a long note is never cut off at the dialog's edge.
        summary_height = summary.heightForWidth(width - 24)
        self.resize(width, summary_height + self.fontMetrics().height() * (10 + min(count, 14)))
        self.summary = summary


def export_done_box(parent: QWidget, result: ExportResult) -> QMessageBox:
    """Where the file went, any warning (expired template, characters drawn as 〓), and 打开所在文件夹."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if result.warnings else QMessageBox.Icon.Information)
    box.setWindowTitle(tr("导出完成"))
    box.setText(tr("报表已导出到：\n{0}").format(result.path))
    if result.warnings:
        box.setInformativeText("\n".join(result.warnings))
    open_button = box.addButton(tr("打开所在文件夹(&O)"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(tr("关闭"), QMessageBox.ButtonRole.RejectRole)
    folder = result.path.parent
    open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
    return box


def problem_box(parent: QWidget, error: ReturnError) -> QMessageBox:
    """A refused export or import in words: for a refused workbook, each problem with its sheet and cell."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("报表"))
    if isinstance(error, ReturnImportRefused):
        box.setText(tr("“{0}”不能导入，未写入任何数据。").format(error.path.name))
        box.setInformativeText("\n".join(error.problems[:8]) + ("\n……" if len(error.problems) > 8 else ""))
        box.setDetailedText("\n".join(error.problems))
    else:
        box.setText(error.message)
    box.addButton(QMessageBox.StandardButton.Ok)
    return box

"""Small dialogs of the entry screens: signing (names and 联系电话), reopening, 审核说明, comments, audit trail.

Each is opened with open() (window-modal, never blocking the event loop), so the page reacts to `accepted`
and tests can fill the fields and press the buttons like a clerk.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.store.values import AuditEntry

_HINT_STYLE = "color: #555555;"
_ERROR_STYLE = "color: #a61b1b;"
ACTION_NAMES_ZH = {"insert": "新填", "update": "修改", "delete": "清除"}


class _FormDialog(QDialog):
    """A titled dialog with an intro line, a form and 确定/取消; `error` shows why OK was refused."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 34)

    @property
    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def problem(self) -> str | None:
        """Why the fields cannot be accepted yet, or None."""
        return None

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _try_accept(self) -> None:
        message = self.problem()
        if message:
            self.show_error(message)
            return
        self.accept()


class SignDialog(_FormDialog):
    """Name of the signer (填表人 / 统计负责人 / 单位负责人), plus 联系电话 when submitting."""

    def __init__(
        self,
        title: str,
        intro: str,
        role: str,
        *,
        name: str = "",
        phone: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, intro, parent)
        self.role = role
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText(self.tr("姓名"))
        self.form.addRow(f"{role}(&N)：", self.name_edit)
        self.phone_edit: QLineEdit | None = None
        if phone is not None:
            self.phone_edit = QLineEdit(phone)
            self.phone_edit.setPlaceholderText("0536-6212345")
            self.form.addRow(self.tr("联系电话(&P)："), self.phone_edit)
        note = QLabel(self.tr("这里填写的姓名将打印在报表表尾。"))
        note.setStyleSheet(_HINT_STYLE)
        self.form.addRow(note)

    @property
    def name(self) -> str:
        return self.name_edit.text().strip()

    @property
    def phone(self) -> str | None:
        return self.phone_edit.text().strip() if self.phone_edit is not None else None

    def problem(self) -> str | None:
        if not self.name:
            return self.tr("请填写%1姓名").replace("%1", self.role)
        if self.phone_edit is not None and not self.phone:
            return self.tr("请填写联系电话")
        return None


class ReopenDialog(_FormDialog):
    """退回修改: the reviewer's name and the reason, both recorded in the return's history."""

    def __init__(self, intro: str, *, reviewer: str = "", parent: QWidget | None = None) -> None:
        super().__init__(self.tr("退回修改"), intro, parent)
        self.reviewer_edit = QLineEdit(reviewer)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(self.tr("如：注册护士数与人事科名册不一致，请核对后重报"))
        self.reason_edit.setFixedHeight(self.fontMetrics().height() * 4)
        self.form.addRow(self.tr("统计负责人(&N)："), self.reviewer_edit)
        self.form.addRow(self.tr("退回原因(&R)："), self.reason_edit)

    @property
    def reviewer(self) -> str:
        return self.reviewer_edit.text().strip()

    @property
    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def problem(self) -> str | None:
        if not self.reviewer:
            return self.tr("请填写统计负责人姓名")
        if len(self.reason) < 2:
            return self.tr("请写明退回原因")
        return None


class ExplainDialog(_FormDialog):
    """审核说明 for a failed 'explain' rule: why the data are right although the relation does not hold."""

    def __init__(
        self, rule_text: str, *, text: str = "", user: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("审核说明"), rule_text, parent)
        self.text_edit = QPlainTextEdit(text)
        self.text_edit.setPlaceholderText(self.tr("说明数据为什么是对的，如：新院区投入使用，床位增加"))
        self.text_edit.setFixedHeight(self.fontMetrics().height() * 5)
        self.user_edit = QLineEdit(user)
        self.form.addRow(self.tr("审核说明(&T)："), self.text_edit)
        self.form.addRow(self.tr("说明人(&N)："), self.user_edit)
        hint = QLabel(self.tr("说明随报表一起报送；清空说明即撤回。"))
        hint.setStyleSheet(_HINT_STYLE)
        self.form.addRow(hint)

    @property
    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    @property
    def user(self) -> str:
        return self.user_edit.text().strip()

    def problem(self) -> str | None:
        return self.tr("请填写说明人姓名") if not self.user else None


class CommentDialog(_FormDialog):
    """A cell's comment and its 需跟进 flag."""

    def __init__(
        self, what: str, *, text: str = "", follow_up: bool = False, can_flag: bool = True, parent=None
    ) -> None:
        super().__init__(self.tr("备注"), what, parent)
        self.text_edit = QPlainTextEdit(text)
        self.text_edit.setFixedHeight(self.fontMetrics().height() * 4)
        self.follow_up_box = QCheckBox(self.tr("需跟进（复核时再看）"))
        self.follow_up_box.setChecked(follow_up)
        self.follow_up_box.setEnabled(can_flag)
        self.form.addRow(self.tr("备注(&C)："), self.text_edit)
        self.form.addRow("", self.follow_up_box)

    @property
    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    @property
    def follow_up(self) -> bool:
        return self.follow_up_box.isChecked()


class AuditTrailDialog(QDialog):
    """Who changed a cell, when, from what to what, and why (newest first)."""

    COLUMNS = ("时间", "操作人", "操作", "原值", "新值", "备注", "原因")

    def __init__(
        self, title: str, entries: list[AuditEntry], format_value, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改历史 — %1").replace("%1", title))
        self.table = QTableWidget(len(entries), len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        for row, e in enumerate(entries):
            comment = e.new_comment if e.new_comment != e.old_comment else ""
            texts = (
                e.changed_at,
                e.changed_by,
                self.tr(ACTION_NAMES_ZH.get(e.action, e.action)),
                format_value(e.old_value),
                format_value(e.new_value),
                comment or "",
                e.reason or "",
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column in (3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        empty = QLabel(self.tr("这个单元格还没有修改记录。"))
        empty.setVisible(not entries)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        heading = QLabel(f"<b>{title}</b>")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table)
        layout.addWidget(empty)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().horizontalAdvance("中") * 56, self.fontMetrics().height() * 22)

"""设置 (文件 → 设置…): the user's name and the rules that judge progress against plan targets.

Everything is read and saved through desktop.ops.settings, in one transaction when 确定 is pressed (Enter);
取消 (Esc) writes nothing. A field that cannot be saved keeps the dialog open, with the reason in red under
the field, which gets the focus. 恢复默认 only fills in the defaults: they are saved with 确定 like any edit.
The dialog is imported when it is first opened, never at start-up.
"""

from __future__ import annotations

import re
import sqlite3

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.ops.settings import (
    DEFAULT_STATUS,
    STATUS_FIELDS,
    USER_NAME,
    SettingsInvalid,
    load_settings,
    percent_text,
    save_settings,
)
from desktop.ops.users import MAX_NAME_CHARS
from desktop.store.db import explain_sqlite_error

_HINT_STYLE = "color: #6b6b6b;"
_ERROR_STYLE = "color: #a61b1b;"
_INVALID_STYLE = "QLineEdit { border: 1px solid #c0392b; background: #fff5f4; }"
# Band-like settings are written "±2 %", the progress ratios plainly "95 %".
_PLUS_MINUS = {"approx_band", "count_tolerance"}
_ACCESS_KEY = re.compile(r"\(&.\)")


class SettingsDialog(QDialog):
    """Emits data_changed(OpChanges) after a save that changed something, then closes."""

    data_changed = Signal(object)

    def __init__(self, conn: sqlite3.Connection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self.changes = None  # the OpChanges of the save, once saved
        self.setWindowTitle(self.tr("设置"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self._build()
        self.load()

    # --- construction ------------------------------------------------------------------------------------

    def _labels(self) -> dict[str, tuple[str, str]]:
        """Field → (label with its access key, what it does), in the words of the status reasons."""
        return {
            "approx_band": (
                self.tr("“左右”目标的允许偏差(&B)："),
                self.tr("“81左右”这类目标：实际值在目标值上下此比例以内即为已达标（默认 ±2%，即 79.38–82.62）。"),
            ),
            "on_track_ratio": (
                self.tr("“进展顺利”的进度比(&T)："),
                self.tr(
                    "进度比 = 基期以来实际年均变化 ÷ 按期达标所需的年均变化。不低于此值为“进展顺利”。"
                ),
            ),
            "acceleration_ratio": (
                self.tr("“需加快”的进度比(&A)："),
                self.tr("进度比在此值与“进展顺利”之间为“需加快”，低于此值为“滞后”，为负数为“退步”。"),
            ),
            "count_tolerance": (
                self.tr("计数指标的允许偏差(&C)："),
                self.tr("机构数、床位数等计数指标：与目标相差在此比例以内即为“进展顺利”。"),
            ),
            "direction_threshold": (
                self.tr("趋势目标的最小变动(&D)："),
                self.tr("“持续提高”“逐年降低”等只有方向的目标：较基期变动达到此比例才算有进展；0 表示朝目标方向变动即可。"),
            ),
        }  # fmt: skip

    def _build(self) -> None:
        char = self.fontMetrics().horizontalAdvance("中")

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("如 王秀英"))
        self.name_edit.setAccessibleName(self.tr("当前用户姓名"))
        self.name_edit.setFixedWidth(char * 16)  # room for a long name, not a line of text
        self.name_edit.textEdited.connect(lambda _t: self._clear_error(USER_NAME))
        self.edits[USER_NAME] = self.name_edit
        self.name_hint = QLabel()
        self.name_hint.setWordWrap(True)
        self.name_hint.setStyleSheet(_HINT_STYLE)
        user_box = QGroupBox(self.tr("当前用户"))
        user_form = QFormLayout(user_box)
        user_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        user_form.addRow(self.tr("姓名(&N)："), self.name_edit)
        user_form.addRow("", self._error_label(USER_NAME))
        user_form.addRow(self.name_hint)

        rules_box = QGroupBox(self.tr("规划监测：进展状态的判断规则"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(5, 1)
        labels = self._labels()
        row = 0
        for field in STATUS_FIELDS:
            text, help_text = labels[field]
            edit = QLineEdit()
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setFixedWidth(char * 6)
            edit.setToolTip(help_text)
            edit.setAccessibleName(_ACCESS_KEY.sub("", text).rstrip("："))
            edit.setAccessibleDescription(help_text)
            edit.textEdited.connect(lambda _t, f=field: self._clear_error(f))
            self.edits[field] = edit
            label = QLabel(text)
            label.setBuddy(edit)
            label.setToolTip(help_text)
            sign = QLabel("±" if field in _PLUS_MINUS else "")
            default = QLabel(
                self.tr("默认 %1").replace("%1", self._shown(field, getattr(DEFAULT_STATUS, field)))
            )
            default.setStyleSheet(_HINT_STYLE)
            grid.addWidget(label, row, 0)
            grid.addWidget(sign, row, 1, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(edit, row, 2)
            grid.addWidget(QLabel("%"), row, 3)
            grid.addWidget(default, row, 4)
            grid.addWidget(self._error_label(field), row + 1, 2, 1, 4)
            row += 2
        rules_note = QLabel(
            self.tr(
                "进度比 = 基期以来实际年均变化 ÷ 按期达到目标所需的年均变化：不低于“进展顺利”的进度比为进展顺利，"
                "介于两者之间为需加快，低于“需加快”的进度比为滞后。修改后，规划监测和乡镇记分卡将重新计算。"
            )
        )
        rules_note.setWordWrap(True)
        rules_note.setStyleSheet(_HINT_STYLE)
        self.restore_button = QPushButton(self.tr("恢复默认(&R)"))
        self.restore_button.setAutoDefault(False)  # Enter saves; it never restores the defaults by accident
        self.restore_button.setToolTip(self.tr("把以上各项填回默认值（按“确定”后才保存）"))
        self.restore_button.clicked.connect(self.restore_defaults)
        restore_row = QHBoxLayout()
        restore_row.addStretch(1)
        restore_row.addWidget(self.restore_button)
        rules_layout = QVBoxLayout(rules_box)
        rules_layout.addLayout(grid)
        rules_layout.addWidget(rules_note)
        rules_layout.addLayout(restore_row)

        self.message_label = QLabel()  # a problem that is no field's (the file cannot be written)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(_ERROR_STYLE)
        self.message_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(user_box)
        layout.addWidget(rules_box)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(char * 44)
        self.name_edit.setFocus()

    def _error_label(self, field: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet(_ERROR_STYLE)
        # As wide as the form allows: a wrapped label would otherwise keep to a few characters a line.
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        label.hide()
        self.errors[field] = label
        return label

    def _shown(self, field: str, value: float) -> str:
        return ("±" if field in _PLUS_MINUS else "") + percent_text(value) + "%"

    # --- public API ----------------------------------------------------------------------------------------

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def cancel_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Cancel)

    def load(self) -> None:
        """Show what the file holds."""
        settings = load_settings(self._conn)
        self.name_edit.setText(settings.user_name)
        self.name_hint.setText(
            self.tr(
                "审计记录中记下此姓名，提交报表时预填为填表人。\n最多 %1 个字；留空则使用本机登录名“%2”。"
            )
            .replace("%1", str(MAX_NAME_CHARS))
            .replace("%2", settings.login_name)
        )
        for field in STATUS_FIELDS:
            self.edits[field].setText(percent_text(getattr(settings.status, field)))
        self._clear_errors()

    def restore_defaults(self) -> None:
        """Fill the monitoring rules with their defaults (saved only with 确定); the name is left alone."""
        for field in STATUS_FIELDS:
            self.edits[field].setText(percent_text(getattr(DEFAULT_STATUS, field)))
            self._clear_error(field)

    def problems(self) -> dict[str, str]:
        """The messages shown now, by field ("user_name", "approx_band" …)."""
        return {field: label.text() for field, label in self.errors.items() if not label.isHidden()}

    def save(self) -> bool:
        """Check and save everything in one transaction; close on success. False (dialog stays open) if refused."""
        self._clear_errors()
        texts = {field: self.edits[field].text() for field in STATUS_FIELDS}
        try:
            changes = save_settings(self._conn, self.name_edit.text(), texts)
        except SettingsInvalid as exc:
            for field, message in exc.problems.items():
                self._show_error(field, message)
            self._fit()
            first = next((f for f in (USER_NAME, *STATUS_FIELDS) if f in exc.problems), None)
            if first is not None:
                self.edits[first].setFocus()
                self.edits[first].selectAll()
            return False
        except sqlite3.Error as exc:  # a read-only or locked file: say so, keep what was typed
            self.message_label.setText(self.tr("未能保存设置：%1").replace("%1", explain_sqlite_error(exc)))
            self.message_label.show()
            self._fit()
            return False
        self.changes = changes
        if changes.any:
            self.data_changed.emit(changes)
        self.accept()
        return True

    # --- internals ---------------------------------------------------------------------------------------

    def _fit(self) -> None:
        """Grow to show the messages just shown in full (a dialog on screen does not grow by itself)."""
        layout = self.layout()
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _show_error(self, field: str, message: str) -> None:
        label = self.errors.get(field)
        if label is None:  # not a field of this dialog: show it under the fields
            self.message_label.setText(message)
            self.message_label.show()
            return
        label.setText(message)
        label.show()
        self.edits[field].setStyleSheet(_INVALID_STYLE)

    def _clear_error(self, field: str) -> None:
        self.errors[field].hide()
        self.errors[field].clear()
        self.edits[field].setStyleSheet("")

    def _clear_errors(self) -> None:
        for field in self.errors:
            self._clear_error(field)
        self.message_label.hide()

"""关于: the program's name and version, the open database, and the bundled font's licence."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop import APP_NAME, APP_NAME_ZH, __version__
from desktop.ui.qt_setup import font_licence_path


class AboutDialog(QDialog):
    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("关于"))
        self.setMinimumWidth(460)
        title = QLabel(f"<b style='font-size:15pt'>{escape(APP_NAME_ZH)}</b><br>{escape(APP_NAME)}")
        title.setTextFormat(Qt.TextFormat.RichText)
        rows = [
            (self.tr("版本"), __version__),
            (self.tr("数据库"), str(db_path)),
            (
                self.tr("界面字体"),
                self.tr(
                    "文泉驿微米黑（WenQuanYi Micro Hei），按 Apache License 2.0 授权随程序分发；许可证全文：%1"
                ).replace("%1", str(font_licence_path())),
            ),
            (self.tr("界面库"), f"Qt for Python (PySide6) {pyside_version}，LGPLv3"),
        ]
        body = "".join(
            f"<tr><td style='padding:3px 12px 3px 0; color:#6b6b6b; white-space:nowrap'>{escape(k)}</td>"
            f"<td style='padding:3px 0'>{escape(v)}</td></tr>"
            for k, v in rows
        )
        self.details_label = QLabel(f"<table>{body}</table>")
        self.details_label.setTextFormat(Qt.TextFormat.RichText)
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self.details_label)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.details_label.text()

"""What every QApplication of the program gets: Qt's own strings in Chinese (buttons, the file dialog) and the
bundled font. A clerk on an English-language Windows still sees 是/否/取消, never Yes/No/Cancel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton

from desktop.ui import qt_setup


@pytest.fixture
def chinese_qt(qapp):
    """Qt's Chinese catalogues installed for one test, removed afterwards (other tests see plain Qt)."""
    before = len(qt_setup._installed)
    loaded = qt_setup.install_qt_translations(qapp)
    yield loaded
    for translator in qt_setup._installed[before:]:
        qapp.removeTranslator(translator)
    del qt_setup._installed[before:]


def test_qt_catalogue_is_found(chinese_qt):
    assert chinese_qt == ["qtbase_zh_CN"]


def test_message_box_buttons_are_chinese(qtbot, chinese_qt):
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "标题",
        "确定吗？",
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel
        | QMessageBox.StandardButton.Save,
    )
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == sorted(["是(&Y)", "否(&N)", "取消", "保存"])


def test_the_file_dialog_speaks_chinese_where_qts_catalogue_is_silent(qtbot, chinese_qt, tmp_path):
    # qtbase_zh_CN has "Look in:" but the dialog asks for "&Look in:": without the supplement the two labels
    # beside the file list stayed English.
    (tmp_path / "backups").mkdir()
    dialog = QFileDialog(None, "选择数据库文件", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)："} <= labels
    assert "打开(&O)" in {b.text() for b in dialog.findChildren(QPushButton)}
    assert QAbstractFileIconProvider().type(QFileInfo(str(tmp_path / "backups"))) == "文件夹"


def test_the_supplement_leaves_other_strings_alone(chinese_qt):
    assert QCoreApplication.translate("PlanLibraryPage", "规划(&P)：") == "规划(&P)："
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own catalogue still wins


def test_the_bundled_font_is_the_application_font(qapp):
    assert qt_setup.load_bundled_font(qapp) == qt_setup.FONT_FAMILY
    assert qt_setup.FONT_FAMILY in qapp.font().families()
    assert qt_setup.font_licence_path().exists()


def test_the_application_has_the_program_icon(qapp):
    from desktop.ui.qt_setup import app_icon_path, configure_application

    configure_application(qapp)
    assert app_icon_path().exists()
    assert not qapp.windowIcon().isNull()

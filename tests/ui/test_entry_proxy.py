"""The 代报 grid driven with the keyboard: 乔官中心卫生院 keys its village clinics' returns."""

from __future__ import annotations

from datetime import date

import pytest
from key_typing import key_in, press, type_text
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox
from sql_reads import audit, stored

from desktop.ui.entry import cells, demo_pages
from desktop.ui.entry.grid_model import ProxyGridModel
from desktop.ui.entry.proxy_page import ProxyGridPage

FILER = "370725101-01"
CLINICS = [f"370725101-0{i}" for i in range(2, 7)]
NOTE = "370725101-04"  # 东乔官村卫生室: one 乡村医生 fewer than last year, to be explained
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def page(qtbot, demo_conn, demo_path):
    page = ProxyGridPage(demo_conn, demo_path, None, today=date(2026, 1, 10))
    page.user_name = "赵敏"
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.set_selection(FILER, "ZY-03", "2025")
    page.grid.setFocus()
    return page


def _cell(page, unit_code, row_code):
    model = page.model
    row = next(i for i, u in enumerate(model.grid.units) if u.code == unit_code)
    column = next(c for c in model.element_columns() if model.form_row(c).row_code == row_code)
    return model.index(row, column)


def _ok(dialog):
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_rows_are_the_units_filed_for_and_a_totals_row(page):
    model = page.model
    assert [u.code for u in model.grid.units] == CLINICS
    assert model.rowCount() == len(CLINICS) + 1
    assert model.index(model.total_row, 0).data() == "合计（5 个单位）"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "01\n卫生技术人员\n（人）"
    assert not (model.index(model.total_row, 1).flags() & Qt.ItemFlag.ItemIsEditable)
    filers = [page.filer_combo.itemData(i) for i in range(page.filer_combo.count())]
    assert FILER in filers and "370725" not in filers


def test_keying_across_a_row_with_tab_and_down_the_column_with_enter(qtbot, page, demo_conn):
    assert page.grid.currentIndex() == _cell(page, CLINICS[0], "01")
    for text in ("3", "0", "2", "1", "3"):
        key_in(qtbot, page.grid, text, Qt.Key.Key_Tab)
    assert page.grid.currentIndex() == _cell(page, CLINICS[1], "01")  # Tab wrapped to the next unit
    key_in(qtbot, page.grid, "4")
    assert page.grid.currentIndex() == _cell(page, CLINICS[2], "01")  # Enter went down
    codes = ("HEALTH_TECH", "DOC_PRACT", "DOC_ASSIST", "NURSES", "VILLAGE_DOCTORS")
    assert [stored(demo_conn, c, CLINICS[0], "2025") for c in codes] == [3, 0, 2, 1, 3]
    assert stored(demo_conn, "HEALTH_TECH", CLINICS[1], "2025") == 4
    assert page.model.index(page.model.total_row, 1).data() == "7"
    assert page.model.index(0, page.model.col_filled).data() == "5/5"
    assert audit(demo_conn, "HEALTH_TECH", CLINICS[1], "2025") == [("insert", None, 4, None)]


def test_typing_on_the_unit_name_goes_into_the_first_value(qtbot, page, demo_conn):
    page.grid.setCurrentIndex(page.model.index(1, ProxyGridModel.COL_UNIT))
    key_in(qtbot, page.grid, "6", Qt.Key.Key_Tab)
    assert stored(demo_conn, "HEALTH_TECH", CLINICS[1], "2025") == 6
    assert page.grid.currentIndex() == _cell(page, CLINICS[1], "01.1")


def test_undo_in_the_grid(qtbot, page, demo_conn):
    key_in(qtbot, page.grid, "3", Qt.Key.Key_Tab)
    key_in(qtbot, page.grid, "1", Qt.Key.Key_Tab)
    press(qtbot, page.grid, Qt.Key.Key_Z, CTRL)
    assert stored(demo_conn, "DOC_PRACT", CLINICS[0], "2025") is None
    assert stored(demo_conn, "HEALTH_TECH", CLINICS[0], "2025") == 3
    assert audit(demo_conn, "DOC_PRACT", CLINICS[0], "2025")[-1] == ("delete", 1, None, "撤销")
    press(qtbot, page.grid, Qt.Key.Key_Y, CTRL)
    assert stored(demo_conn, "DOC_PRACT", CLINICS[0], "2025") == 1


def test_refused_value_in_the_grid(qtbot, page, demo_conn):
    key_in(qtbot, page.grid, "-2")
    assert "“卫生技术人员”不能小于 0" in page.message_label.text()
    assert stored(demo_conn, "HEALTH_TECH", CLINICS[0], "2025") is None
    index = _cell(page, CLINICS[0], "01")
    assert index.data(ProxyGridModel.StatusRole) == cells.REFUSED and index.data() == "-2"
    assert page.grid.currentIndex() == index


def test_paste_a_block_copied_from_excel(qtbot, page, demo_conn):
    QGuiApplication.clipboard().setText("3\t0\t2\t1\t3\n2\t0\t2\t0\t2\n")
    press(qtbot, page.grid, Qt.Key.Key_V, CTRL)
    assert stored(demo_conn, "VILLAGE_DOCTORS", CLINICS[1], "2025") == 2
    assert stored(demo_conn, "NURSES", CLINICS[0], "2025") == 1
    press(qtbot, page.grid, Qt.Key.Key_Z, CTRL)
    assert stored(demo_conn, "NURSES", CLINICS[0], "2025") is None


def test_blank_lines_and_columns_at_the_end_of_a_paste_clear_nothing(qtbot, page, demo_conn):
    # 3rd clinic already has its 卫生技术人员; a copy that ran past the data (blank line, trailing tabs) keeps it.
    page.grid.setCurrentIndex(_cell(page, CLINICS[2], "01"))
    page.grid.setFocus()
    key_in(qtbot, page.grid, "4")
    page.grid.setCurrentIndex(_cell(page, CLINICS[0], "01"))
    QGuiApplication.clipboard().setText("3\t０\t2\t\r\n１\t0\t2\t\r\n\r\n\r\n")
    press(qtbot, page.grid, Qt.Key.Key_V, CTRL)
    assert "已粘贴 6 个数" in page.message_label.text() and "清空" not in page.message_label.text()
    assert [stored(demo_conn, c, CLINICS[1], "2025") for c in ("HEALTH_TECH", "DOC_PRACT", "DOC_ASSIST")] == [
        1, 0, 2
    ]  # fmt: skip
    assert stored(demo_conn, "HEALTH_TECH", CLINICS[2], "2025") == 4
    assert stored(demo_conn, "NURSES", CLINICS[0], "2025") is None


def test_a_refused_paste_names_the_unit_and_the_totals_row_takes_nothing(qtbot, page, demo_conn):
    QGuiApplication.clipboard().setText("3\t1\n2\t1.5\n")
    press(qtbot, page.grid, Qt.Key.Key_V, CTRL)
    unit = page.model.unit(1).display_name
    assert page.message_label.text().startswith(f"{unit}：“执业医师”必须是整数")
    assert stored(demo_conn, "HEALTH_TECH", CLINICS[0], "2025") is None  # all or nothing
    assert page.grid.currentIndex() == _cell(page, CLINICS[1], "01.1")
    page.grid.setCurrentIndex(page.model.index(page.model.total_row, 1))
    QGuiApplication.clipboard().setText("7")
    press(qtbot, page.grid, Qt.Key.Key_V, CTRL)
    assert "合计行" in page.message_label.text()


def test_one_number_pasted_onto_a_selection_fills_it(qtbot, page, demo_conn):
    first, last = _cell(page, CLINICS[0], "01.1"), _cell(page, CLINICS[4], "01.1")
    page.grid.setCurrentIndex(first)
    page.grid.selectionModel().select(
        QItemSelection(first, last), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    QGuiApplication.clipboard().setText("0\r\n")
    press(qtbot, page.grid, Qt.Key.Key_V, CTRL)
    assert [stored(demo_conn, "DOC_PRACT", unit, "2025") for unit in CLINICS] == [0] * 5
    assert "已粘贴 5 个数" in page.message_label.text()
    press(qtbot, page.grid, Qt.Key.Key_Z, CTRL)  # one undo step
    assert [stored(demo_conn, "DOC_PRACT", unit, "2025") for unit in CLINICS] == [None] * 5


def test_a_paste_reaching_a_signed_unit_names_it_and_writes_nothing(qtbot, page, demo_conn):
    from desktop.store.workflow import ReturnState, save_return_state

    unit = page.model.unit(1)
    save_return_state(demo_conn, ReturnState(page.model.grid.data_set.id, unit.id, "2025", "submitted"))
    page.reload()
    page.grid.setCurrentIndex(_cell(page, CLINICS[0], "01"))
    QGuiApplication.clipboard().setText("3\n4\n")
    press(qtbot, page.grid, Qt.Key.Key_V, CTRL)
    assert f"{unit.display_name}的报表已提交" in page.message_label.text()
    assert stored(demo_conn, "HEALTH_TECH", CLINICS[0], "2025") is None


def _submit_all(qtbot, page):
    page.grid.selectAll()
    qtbot.mouseClick(page.actions_bar.submit_button, Qt.MouseButton.LeftButton)
    dialog = page.actions_bar.dialog
    dialog.name_edit.setText("赵敏")
    dialog.phone_edit.setText("13905361234")
    _ok(dialog)


def test_checks_colours_and_submitting_the_selected_units(qtbot, page, demo_conn):
    page.set_selection(FILER, "ZY-03", "2024")
    # 东乔官村卫生室's 乡村医生 went from 3 to 2: an 'explain' rule wants a 审核说明.
    assert _cell(page, NOTE, "02").data(ProxyGridModel.StatusRole) == cells.WARNING
    assert _cell(page, CLINICS[0], "02").data(ProxyGridModel.StatusRole) == cells.SAVED
    problems = page.problems.model
    assert problems.rowCount() == 1 and problems.index(0, 1).data() == "东乔官村卫生室"
    page.problems.view.clicked.emit(problems.index(0, 3))
    assert page.grid.currentIndex() == _cell(page, NOTE, "02")

    # Submit all five at once: four go through, the unexplained one is refused with its reason.
    _submit_all(qtbot, page)
    assert "4 个单位已提交" in page.message_label.text()
    assert "东乔官村卫生室：不能提交" in page.message_label.text()
    states = [page.model.state(i).state for i in range(5)]
    assert states == ["submitted", "submitted", "draft", "submitted", "submitted"]
    assert not (_cell(page, CLINICS[0], "01").flags() & Qt.ItemFlag.ItemIsEditable)
    page.grid.setCurrentIndex(_cell(page, CLINICS[0], "01"))
    page.grid.setFocus()
    type_text(qtbot, page.grid, "7")
    assert "已提交，不能修改" in page.message_label.text()
    assert stored(demo_conn, "HEALTH_TECH", CLINICS[0], "2024") == 3

    # The 审核说明 is written from the problems panel; then it goes too.
    page.problems.view.setCurrentIndex(problems.index(0, 3))
    qtbot.mouseClick(page.problems.explain_button, Qt.MouseButton.LeftButton)
    page.dialog.text_edit.setPlainText("1名乡村医生2024年6月退休")
    _ok(page.dialog)
    assert _cell(page, NOTE, "02").data(ProxyGridModel.StatusRole) == cells.EXPLAINED
    assert page.problems.model.open_count() == 0
    page.grid.clearSelection()
    page.grid.setCurrentIndex(_cell(page, NOTE, "01"))
    _submit_all(qtbot, page)
    assert [page.model.state(i).state for i in range(5)] == ["submitted"] * 5


def test_a_keying_slip_shows_as_an_error_until_fixed(qtbot, page, demo_conn):
    page.set_selection(FILER, "ZY-03", "2024")
    page.grid.setCurrentIndex(_cell(page, CLINICS[0], "01.3"))
    page.grid.setFocus()
    key_in(qtbot, page.grid, "2")  # 3 卫生技术人员, but 0 + 3 + 2 listed under it
    assert _cell(page, CLINICS[0], "01").data(ProxyGridModel.StatusRole) == cells.ERROR
    line = page.problems.model.index(0, 3).data()
    assert "卫生技术人员应不少于" in line and "\n01 = 3，01.1+01.2+01.3 = 5" in line
    page.grid.setCurrentIndex(_cell(page, CLINICS[0], "01"))
    key_in(qtbot, page.grid, "5")
    assert _cell(page, CLINICS[0], "01").data(ProxyGridModel.StatusRole) == cells.SAVED


def test_set_org_unit_picks_the_filer(page, demo_conn):
    village = demo_conn.execute("SELECT id FROM org_unit WHERE code = ?", (NOTE,)).fetchone()[0]
    page.set_selection("370725102-01")
    page.set_org_unit(village)
    assert page.filer_code == FILER and page.model.unit(page.grid.currentIndex().row()).code == NOTE


def test_demo_pages_are_set_up_for_the_screenshots(qtbot, demo_conn, demo_path):
    pages = dict(demo_pages(demo_conn, demo_path, None))
    for widget in pages.values():
        qtbot.addWidget(widget)
    entry, proxy = pages["entry"], pages["proxy"]
    assert (entry.data_set_code, entry.unit_code, entry.period) == ("GW-02", "370725102", "2024")
    assert entry.problems.model.open_count() == 1
    assert (proxy.filer_code, proxy.data_set_code, proxy.period) == (FILER, "ZY-03", "2024")
    assert proxy.problems.model.open_count() == 1

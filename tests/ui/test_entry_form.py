"""The form entry page driven with the keyboard on the demo county: keying, undo, refusals, checks, signing."""

from __future__ import annotations

from datetime import date

import pytest
from key_typing import key_in, press, type_text
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sql_reads import audit, stored

from desktop.core.value_rules import ValueRefused
from desktop.ops.values import save_value
from desktop.ui.entry import cells
from desktop.ui.entry.form_model import FormEntryModel
from desktop.ui.entry.form_page import FormEntryPage

HOSPITAL, VILLAGE, YINGQIU = "370725-01", "370725101-02", "370725102"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def page(qtbot, demo_conn, demo_path):
    page = FormEntryPage(demo_conn, demo_path, None, today=date(2026, 1, 10))
    page.user_name = "李娜"
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    return page


def _open(page, ds="ZY-01", unit=HOSPITAL, period="2025"):
    page.set_selection(ds, unit, period)
    page.grid.setFocus()
    return page


def _value_index(page, row_code):
    return page.model.index(page.model.row_of_code(row_code), FormEntryModel.COL_VALUE)


def _go(page, row_code):
    page.grid.setCurrentIndex(_value_index(page, row_code))
    page.grid.setFocus()


def _current_code(page):
    return page.model.line(page.grid.currentIndex().row()).row.row_code


def _ok(dialog):
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_top_bar_offers_the_forms_periods_and_preselects_the_open_one(page):
    page.set_selection("ZY-01", HOSPITAL)
    assert page.period == "2025"  # current open period on 10 January 2026
    periods = [page.period_combo.itemData(i) for i in range(page.period_combo.count())]
    assert periods[0] == "2025" and "2020" in periods and all(len(p) == 4 for p in periods)
    page.set_selection("GW-01", "370725")
    assert page.period == "2025Q4"
    assert all("Q" in page.period_combo.itemData(i) for i in range(page.period_combo.count()))
    units = [page.unit_combo.itemData(i) for i in range(page.unit_combo.count())]
    assert "370725" in units and HOSPITAL not in units  # GW-01 is filled by county and townships


def test_grid_shows_codes_indented_names_units_and_last_year(page):
    _open(page, period="2024")
    model = page.model
    row = model.row_of_code("03.1")
    assert model.index(row, FormEntryModel.COL_NAME).data().startswith("　　其中：执业医师")
    assert model.index(row, FormEntryModel.COL_UNIT).data() == "人"
    assert model.index(model.row_of_code("02"), FormEntryModel.COL_VALUE).data() == "1,519"
    assert model.index(model.row_of_code("02"), FormEntryModel.COL_PREV).data() == "1,484"
    assert page.grid.isColumnHidden(FormEntryModel.COL_LAST)  # an annual form: 上期 is 上年同期
    assert model.headerData(FormEntryModel.COL_VALUE, Qt.Orientation.Horizontal) == "本期\n2024年"


def test_keying_a_form_from_paper(qtbot, page, demo_conn):
    _open(page)
    assert _current_code(page) == "01"
    for text in ("1300", "1,520"):
        key_in(qtbot, page.grid, text)
    assert _current_code(page) == "03"  # Enter skipped the section heading 二、人员
    key_in(qtbot, page.grid, "2100", Qt.Key.Key_Tab)
    key_in(qtbot, page.grid, "650", Qt.Key.Key_Down)
    assert _current_code(page) == "03.2"
    assert [
        stored(demo_conn, e, HOSPITAL, "2025")
        for e in ("BEDS_APPROVED", "BEDS_ACTUAL", "HEALTH_TECH", "DOC_PRACT")
    ] == [1300, 1520, 2100, 650]
    assert audit(demo_conn, "BEDS_ACTUAL", HOSPITAL, "2025") == [("insert", None, 1520, None)]
    assert "已填 4/10 项" in page.status_label.text()
    index = _value_index(page, "01")
    assert index.data(FormEntryModel.StatusRole) == cells.SAVED
    assert _value_index(page, "04").data(FormEntryModel.StatusRole) == cells.REQUIRED


def test_typing_overwrites_and_up_moves_back(qtbot, page, demo_conn):
    _open(page, period="2024")
    _go(page, "02")
    key_in(qtbot, page.grid, "1520", Qt.Key.Key_Up)
    assert stored(demo_conn, "BEDS_ACTUAL", HOSPITAL, "2024") == 1520  # not 15191520
    assert _current_code(page) == "01"


def test_typing_on_a_rows_name_goes_into_its_value(qtbot, page, demo_conn):
    _open(page)
    page.grid.setCurrentIndex(page.model.index(page.model.row_of_code("01"), FormEntryModel.COL_NAME))
    key_in(qtbot, page.grid, "1300")  # not swallowed by the table's type-to-search
    assert stored(demo_conn, "BEDS_APPROVED", HOSPITAL, "2025") == 1300
    assert _current_code(page) == "02" and page.grid.currentIndex().column() == FormEntryModel.COL_VALUE


def test_full_width_digits_committed_by_an_input_method_are_kept(qtbot, page, demo_conn):
    _open(page)
    event = QInputMethodEvent("", [])
    event.setCommitString("１３００")  # a Chinese IME in full-width mode, no composition
    QApplication.sendEvent(page.grid, event)
    press(qtbot, page.grid, Qt.Key.Key_Return)
    assert stored(demo_conn, "BEDS_APPROVED", HOSPITAL, "2025") == 1300
    assert _current_code(page) == "02"


def test_undo_and_redo_go_through_the_database(qtbot, page, demo_conn):
    _open(page)
    key_in(qtbot, page.grid, "1300")
    key_in(qtbot, page.grid, "1520")
    press(qtbot, page.grid, Qt.Key.Key_Z, CTRL)
    assert stored(demo_conn, "BEDS_ACTUAL", HOSPITAL, "2025") is None
    assert stored(demo_conn, "BEDS_APPROVED", HOSPITAL, "2025") == 1300
    press(qtbot, page.grid, Qt.Key.Key_Z, CTRL)
    assert stored(demo_conn, "BEDS_APPROVED", HOSPITAL, "2025") is None
    assert audit(demo_conn, "BEDS_APPROVED", HOSPITAL, "2025") == [
        ("insert", None, 1300, None),
        ("delete", 1300, None, "撤销"),
    ]
    press(qtbot, page.grid, Qt.Key.Key_Y, CTRL)
    assert stored(demo_conn, "BEDS_APPROVED", HOSPITAL, "2025") == 1300
    assert audit(demo_conn, "BEDS_APPROVED", HOSPITAL, "2025")[-1] == ("insert", None, 1300, "重做")
    assert page.model.index(page.model.row_of_code("01"), FormEntryModel.COL_VALUE).data() == "1,300"


def test_a_refused_value_shows_its_message_and_is_not_stored(qtbot, page, demo_conn):
    _open(page, period="2024")
    _go(page, "02")
    before = audit(demo_conn, "BEDS_ACTUAL", HOSPITAL, "2024")
    key_in(qtbot, page.grid, "12.5")
    assert "“实有床位”必须是整数" in page.message_label.text()
    assert stored(demo_conn, "BEDS_ACTUAL", HOSPITAL, "2024") == 1519
    assert audit(demo_conn, "BEDS_ACTUAL", HOSPITAL, "2024") == before
    index = _value_index(page, "02")
    assert index.data() == "12.5" and index.data(FormEntryModel.StatusRole) == cells.REFUSED
    assert "未保存" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert _current_code(page) == "02"  # the cursor stays for the clerk to retype
    key_in(qtbot, page.grid, "1530")
    assert stored(demo_conn, "BEDS_ACTUAL", HOSPITAL, "2024") == 1530
    assert _value_index(page, "02").data(FormEntryModel.StatusRole) != cells.REFUSED
    assert page.message_label.text() == ""


def test_delete_clears_and_undo_brings_it_back(qtbot, page, demo_conn):
    _open(page, period="2024")
    _go(page, "04")
    press(qtbot, page.grid, Qt.Key.Key_Delete)
    assert stored(demo_conn, "PH_STAFF", HOSPITAL, "2024") is None
    assert _value_index(page, "04").data(FormEntryModel.StatusRole) == cells.REQUIRED
    press(qtbot, page.grid, Qt.Key.Key_Z, CTRL)
    assert stored(demo_conn, "PH_STAFF", HOSPITAL, "2024") == 43


def test_paste_a_column_from_excel_in_one_undo_step(qtbot, page, demo_conn):
    _open(page)
    _go(page, "03")
    QGuiApplication.clipboard().setText("2100\r\n650\r\n30\r\n900\r\n")
    press(qtbot, page.grid, Qt.Key.Key_V, CTRL)
    codes = ("HEALTH_TECH", "DOC_PRACT", "DOC_ASSIST", "NURSES")
    assert [stored(demo_conn, c, HOSPITAL, "2025") for c in codes] == [2100, 650, 30, 900]
    assert "已粘贴 4 个数" in page.message_label.text()
    press(qtbot, page.grid, Qt.Key.Key_Z, CTRL)
    assert [stored(demo_conn, c, HOSPITAL, "2025") for c in codes] == [None] * 4


def test_a_paste_with_a_bad_number_writes_nothing(qtbot, page, demo_conn):
    _open(page)
    _go(page, "03")
    QGuiApplication.clipboard().setText("2100\n65.5\n30\n")
    press(qtbot, page.grid, Qt.Key.Key_V, CTRL)
    assert [stored(demo_conn, c, HOSPITAL, "2025") for c in ("HEALTH_TECH", "DOC_PRACT", "DOC_ASSIST")] == [
        None
    ] * 3
    assert "“执业医师”必须是整数" in page.message_label.text()
    assert _current_code(page) == "03.1"
    # Only the refused cell is selected (Ctrl was still down): a Delete now must not clear 03 as well.
    assert page.grid.selectionModel().selectedIndexes() == [_value_index(page, "03.1")]
    QGuiApplication.clipboard().setText("\n".join(["1"] * 20))
    press(qtbot, page.grid, Qt.Key.Key_V, CTRL)
    assert "没有粘贴" in page.message_label.text()


def test_paste_with_full_width_digits_separators_and_blank_lines(qtbot, page, demo_conn):
    _open(page)
    _go(page, "03.3")
    key_in(qtbot, page.grid, "800")
    _go(page, "03")
    # Full-width digits and a 千分位 comma as WPS copies them; the copy ran two blank lines past the data.
    QGuiApplication.clipboard().setText('２，１００\r\n"650"\r\n\r\n\r\n')
    press(qtbot, page.grid, Qt.Key.Key_V, CTRL)
    codes = ("HEALTH_TECH", "DOC_PRACT", "DOC_ASSIST", "NURSES")
    assert [stored(demo_conn, c, HOSPITAL, "2025") for c in codes] == [2100, 650, None, 800]
    assert "已粘贴 2 个数" in page.message_label.text()
    # A blank line inside the block clears its cell, as in Excel, and the message says so.
    QGuiApplication.clipboard().setText("2101\n\n31\n")
    press(qtbot, page.grid, Qt.Key.Key_V, CTRL)
    assert [stored(demo_conn, c, HOSPITAL, "2025") for c in codes] == [2101, None, 31, 800]
    assert "已粘贴 2 个数，清空 1 格" in page.message_label.text()


def test_a_paste_of_two_columns_is_refused_not_cut_to_one(qtbot, page, demo_conn):
    _open(page)
    _go(page, "03")
    QGuiApplication.clipboard().setText("2100\t2008\n650\t640\n")
    press(qtbot, page.grid, Qt.Key.Key_V, CTRL)
    assert "2 行 × 2 列" in page.message_label.text() and "没有粘贴" in page.message_label.text()
    assert stored(demo_conn, "HEALTH_TECH", HOSPITAL, "2025") is None


def test_problems_panel_lists_failures_and_jumps_to_the_cell(qtbot, page):
    _open(page, period="2024")
    problems = page.problems.model
    assert problems.rowCount() == 1
    assert "实有床位超过编制床位的125%" in problems.index(0, 3).data()
    assert _value_index(page, "02").data(FormEntryModel.StatusRole) == cells.WARNING
    _go(page, "04")
    qtbot.mouseClick(
        page.problems.view.viewport(), Qt.MouseButton.LeftButton,
        pos=page.problems.view.visualRect(problems.index(0, 3)).center(),
    )  # fmt: skip
    assert _current_code(page) == "02"


def _submit(qtbot, page, name="李娜", phone="0536-6212345"):
    assert page.actions_bar.submit_button.isEnabled()
    qtbot.mouseClick(page.actions_bar.submit_button, Qt.MouseButton.LeftButton)
    dialog = page.actions_bar.dialog
    dialog.name_edit.setText(name)
    dialog.phone_edit.setText(phone)
    _ok(dialog)


def _sign(qtbot, page, button, name):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = page.actions_bar.dialog
    dialog.name_edit.setText(name)
    _ok(dialog)


def test_a_blocking_rule_refuses_submit(qtbot, page):
    _open(page, "GW-02", YINGQIU, "2024")
    assert _value_index(page, "04.1").data(FormEntryModel.StatusRole) == cells.ERROR
    _submit(qtbot, page)
    assert "不能提交" in page.message_label.text() and "审核错误须改正" in page.message_label.text()
    assert page.model.form.state.state == "draft"


def test_an_explain_rule_passes_with_a_note_then_review_approve_and_lock(qtbot, page, demo_conn):
    _open(page, period="2024")
    _submit(qtbot, page)
    assert "尚未填写审核说明" in page.message_label.text()

    page.problems.view.setCurrentIndex(page.problems.model.index(0, 3))
    qtbot.mouseClick(page.problems.explain_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    dialog.text_edit.setPlainText("冬季流感高峰临时加床，已报县卫健局备案")
    _ok(dialog)
    assert _value_index(page, "02").data(FormEntryModel.StatusRole) == cells.EXPLAINED
    assert page.problems.model.open_count() == 0

    _submit(qtbot, page)
    assert page.model.form.state.state == "submitted"
    _sign(qtbot, page, page.actions_bar.review_button, "王秀英")
    _sign(qtbot, page, page.actions_bar.approve_button, "张建国")
    state = page.model.form.state
    assert (state.state, state.submitted_by, state.reviewed_by, state.approved_by) == (
        "approved",
        "李娜",
        "王秀英",
        "张建国",
    )
    assert "单位负责人 张建国" in page.actions_bar.signers_label.text()
    assert "联系电话 0536-6212345" in page.actions_bar.signers_label.text()

    # Locked in the UI: not editable, typing and Delete are refused with a message, nothing changes.
    index = _value_index(page, "02")
    assert not (index.flags() & Qt.ItemFlag.ItemIsEditable)
    assert index.data(FormEntryModel.StatusRole) == cells.LOCKED
    assert "审核说明：冬季流感" in index.data(Qt.ItemDataRole.ToolTipRole)  # the note is still there
    assert _value_index(page, "03").data(FormEntryModel.StatusRole) == cells.LOCKED
    _go(page, "03")
    type_text(qtbot, page.grid, "9")
    assert "数据已锁定" in page.message_label.text()
    press(qtbot, page.grid, Qt.Key.Key_Delete)
    assert stored(demo_conn, "HEALTH_TECH", HOSPITAL, "2024") == 2008
    # … and in ops.
    with pytest.raises(ValueRefused, match="数据已锁定"):
        save_value(
            demo_conn, element_code="HEALTH_TECH", org_unit_code=HOSPITAL, period="2024", raw="1", user="x"
        )


def test_reopen_asks_for_reviewer_and_reason(qtbot, page, demo_conn):
    _open(page, "ZY-01", "370725-02", "2024")
    _submit(qtbot, page)
    assert page.model.locked
    qtbot.mouseClick(page.actions_bar.reopen_button, Qt.MouseButton.LeftButton)
    dialog = page.actions_bar.dialog
    dialog.reviewer_edit.setText("王秀英")
    _ok(dialog)
    assert "请写明退回原因" in dialog.error.text() and dialog.isVisible()
    dialog.reason_edit.setPlainText("护士数与名册不一致")
    _ok(dialog)
    assert page.model.form.state.state == "draft" and not page.model.locked
    reason = demo_conn.execute("SELECT actor, reason FROM return_event WHERE action = 'reopen'").fetchone()
    assert tuple(reason) == ("王秀英", "护士数与名册不一致")
    assert _value_index(page, "03").flags() & Qt.ItemFlag.ItemIsEditable
    # The clerk who has to fix it sees who sent it back and why; the tooltip has the whole history.
    signers = page.actions_bar.signers_label
    assert signers.text().startswith("已由 王秀英 于 ") and signers.text().endswith(
        "退回修改：护士数与名册不一致"
    )
    assert "李娜　提交" in signers.toolTip() and "王秀英　退回修改：护士数与名册不一致" in signers.toolTip()


def test_history_comment_and_follow_up(qtbot, page, demo_conn):
    _open(page, period="2024")
    _go(page, "02")
    key_in(qtbot, page.grid, "1530")
    # Right-click the cell: its menu offers the audit trail.
    rect = page.grid.visualRect(_value_index(page, "02"))
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, rect.center(), page.grid.viewport().mapToGlobal(rect.center())
    )
    QApplication.sendEvent(page.grid.viewport(), event)
    actions = {a.text(): a for a in page.context_menu.actions()}
    assert {"修改历史(&H)…", "备注(&C)…", "需跟进(&F)", "清除(&D)"} <= set(actions)
    page.context_menu.close()
    actions["修改历史(&H)…"].trigger()
    dialog = page.dialog
    table = dialog.table
    assert table.rowCount() == 2
    assert [table.item(0, c).text() for c in (1, 2, 3, 4)] == ["李娜", "修改", "1,519", "1,530"]
    assert table.item(1, 1).text() == "示例数据"
    dialog.close()

    comment = page.open_comment(page.model.cell_key(page.model.row_of_code("02")))
    comment.text_edit.setPlainText("含新院区加床")
    comment.follow_up_box.setChecked(True)
    _ok(comment)
    index = _value_index(page, "02")
    assert index.data(FormEntryModel.CommentRole) == "含新院区加床" and index.data(
        FormEntryModel.FollowUpRole
    )
    note = page.model.index(page.model.row_of_code("02"), FormEntryModel.COL_NOTE).data()
    assert note == "［需跟进］含新院区加床"
    press(qtbot, page.grid, Qt.Key.Key_Z, CTRL)  # comment and flag go back in one step
    assert not _value_index(page, "02").data(FormEntryModel.CommentRole)
    assert not _value_index(page, "02").data(FormEntryModel.FollowUpRole)


def test_a_denominator_offers_its_provenance_and_the_rate_shows_live(qtbot, page, demo_conn):
    _open(page, "GW-02", "370725101", "2024")
    model = page.model
    rate = model.index(model.row_of_code("02"), FormEntryModel.COL_RATE)
    assert rate.data() == "67.75%"
    assert not page.grid.isColumnHidden(FormEntryModel.COL_RATE)
    source = model.index(model.row_of_code("01"), FormEntryModel.COL_SOURCE)
    assert source.data() == "估算" and "25.2%" in source.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(model.row_of_code("07"), FormEntryModel.COL_RATE).data() == "110.34%"  # above a quota

    page.grid.setCurrentIndex(source)
    press(qtbot, page.grid, Qt.Key.Key_F4)
    dialog = page.dialog
    assert dialog.estimate_radio.isChecked() and dialog.rate_edit.text() == "25.2"
    assert dialog.base_combo.currentData() == "POP_ADULT"
    dialog.rate_edit.setText("27.5")
    assert dialog.estimate() == round(int(dialog.base_edit.text()) * 0.275)
    expected = dialog.estimate()
    dialog.source_edit.setText("山东省慢性病及其危险因素监测")
    dialog.year_edit.setText("2018")
    _ok(dialog)
    assert stored(demo_conn, "HTN_PATIENTS", "370725101", "2024") == expected
    row = demo_conn.execute(
        "SELECT provenance, provenance_formula, provenance_source FROM data_value v JOIN data_element e "
        "ON e.id = v.element_id JOIN org_unit o ON o.id = v.org_unit_id "
        "WHERE e.code = 'HTN_PATIENTS' AND o.code = '370725101' AND v.period = '2024'"
    ).fetchone()
    assert tuple(row) == ("estimate", "18岁及以上常住人口 × 27.5%", "山东省慢性病及其危险因素监测（2018年）")
    assert rate.data() == f"{9376 / expected * 100:.2f}%"


def test_a_rate_typed_in_full_width_with_a_percent_sign_is_read(qtbot, page):
    _open(page, "GW-02", "370725101", "2024")
    dialog = page.open_provenance(page.model.cell_key(page.model.row_of_code("01")))
    dialog.rate_edit.setText("２７．５%")  # a clerk's IME in full-width mode
    assert dialog.problem() is None or "来源" in dialog.problem()
    assert dialog.estimate() == round(int(dialog.base_edit.text()) * 0.275)
    assert dialog.choice().formula == "18岁及以上常住人口 × 27.5%"
    dialog.close()


def test_set_org_unit_follows_the_tree(page):
    page.set_selection("ZY-01", HOSPITAL, "2024")
    page.set_org_unit(page.model.form.key.unit.id + 1)  # 县中医院 fills ZY-01 too
    assert page.unit_code == "370725-02" and page.data_set_code == "ZY-01"
    village = page._conn.execute("SELECT id FROM org_unit WHERE code = ?", (VILLAGE,)).fetchone()[0]
    page.set_org_unit(village)
    assert page.data_set_code == "ZY-03" and page.unit_code == VILLAGE


def test_data_changed_is_emitted_after_an_edit(qtbot, page):
    _open(page)
    with qtbot.waitSignal(page.data_changed, timeout=1000) as blocker:
        key_in(qtbot, page.grid, "10")
    assert blocker.args[0].values


def test_undo_is_refused_once_the_return_was_signed_elsewhere(qtbot, page, demo_conn):
    from desktop.ops.workflow import submit

    _open(page, "ZY-01", "370725-02", "2024")
    _go(page, "04")
    key_in(qtbot, page.grid, "12")
    # Another window (or the 代报 grid) submits the same return meanwhile.
    submit(
        demo_conn,
        data_set_code="ZY-01",
        org_unit_code="370725-02",
        period="2024",
        user="李娜",
        contact_phone="13812345678",
    )
    page.grid.setFocus()
    press(qtbot, page.grid, Qt.Key.Key_Z, CTRL)
    assert "不能修改" in page.message_label.text()
    assert stored(demo_conn, "PH_STAFF", "370725-02", "2024") == 12
    assert _value_index(page, "04").data(FormEntryModel.StatusRole) != cells.REFUSED

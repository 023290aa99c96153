"""The project register page and the project dialog, driven like a clerk would (setText, key events)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from desktop.core.project_status import DONE, LATE, ON_TRACK, SUSPENDED
from desktop.ops.changes import OpChanges
from desktop.ops.projects import list_project_rows
from desktop.store import orgunits, plans, projects
from desktop.store.db import atomic
from desktop.ui.projects import demo_pages
from desktop.ui.projects.milestone_model import MilestoneTableModel
from desktop.ui.projects.project_dialog import ProjectDialog
from desktop.ui.projects.project_model import ProjectFilterProxyModel, ProjectTableModel
from desktop.ui.projects.projects_page import ProjectsPage

TODAY = date(2024, 6, 15)


@pytest.fixture
def register(db, _bundled_font):
    with atomic(db):
        county = orgunits.insert_org_unit(db, code="370725", name="昌乐县", level=1, unit_type="county")
        town = orgunits.insert_org_unit(
            db, code="370725101", name="乔官镇", level=2, unit_type="town", parent_id=county
        )
        centre = orgunits.insert_org_unit(
            db, code="370725101-01", name="乔官中心卫生院", level=3, unit_type="township_hc", parent_id=town
        )
        plan = plans.insert_plan(db, code="p", title="昌乐县“十四五”卫生与健康规划", level="county")
        other = plans.insert_plan(db, code="q", title="健康聊城2030", level="city")
        ids = {
            "move": projects.insert_project(db, name="乔官中心卫生院整体搬迁", plan_id=plan, stage="前期",
                                            planned_finish="2025-12-31", org_unit_id=centre, sort_order=1),
            "late": projects.insert_project(db, name="县医院新院区二期", plan_id=plan, stage="在建",
                                            planned_finish="2024-05-31", planned_investment=38000, sort_order=2),
            "done": projects.insert_project(db, name="接种门诊改造", plan_id=plan, stage="投用",
                                            actual_finish="2024-05-20", sort_order=3),
            "paused": projects.insert_project(db, name="康养中心", plan_id=other, stage="在建", suspended=True),
        }  # fmt: skip
        projects.insert_milestone(db, project_id=ids["move"], name="立项批复", due_on="2024-03-31")
        projects.insert_milestone(db, project_id=ids["move"], name="开工", due_on="2024-09-30", sort_order=1)
    return {"plan": plan, "other": other, "county": county, "town": town, **ids}


@pytest.fixture
def page(qtbot, db, db_path, register):
    widget = ProjectsPage(db, db_path, None, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    return widget


def _statuses(page):
    return {row.project.name: row.status.status for row in page.visible_rows()}


@pytest.mark.qt_log_level_fail("WARNING")
def test_models_pass_qtmodeltester(qtmodeltester, db, register):
    model = ProjectTableModel()
    model.load(list_project_rows(db, TODAY))
    qtmodeltester.check(model, force_py=True)
    proxy = ProjectFilterProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    milestones = MilestoneTableModel(TODAY)
    dialog_input = ProjectDialog(db, register["move"], today=TODAY).milestone_model.items()
    milestones.load(dialog_input)
    qtmodeltester.check(milestones, force_py=True)


def test_register_shows_computed_statuses_with_reasons(page, register):
    assert _statuses(page) == {
        "乔官中心卫生院整体搬迁": LATE,
        "县医院新院区二期": LATE,
        "接种门诊改造": DONE,
        "康养中心": SUSPENDED,
    }
    model = page.model
    row = model.row_of(register["move"])
    tooltip = model.data(model.index(row, ProjectTableModel.COL_STATUS), Qt.ItemDataRole.ToolTipRole)
    assert "立项批复" in tooltip and "2024-03-31" in tooltip
    assert model.data(model.index(model.row_of(register["late"]), ProjectTableModel.COL_INVEST)) == "38,000"
    assert "滞后 <b" in page.summary_label.text()


def test_filters_by_plan_stage_status_late_and_text(page, register):
    page.select_plan(register["plan"])
    assert set(_statuses(page)) == {"乔官中心卫生院整体搬迁", "县医院新院区二期", "接种门诊改造"}
    assert page.table_view.isColumnHidden(ProjectTableModel.COL_PLAN)
    page.late_check.setChecked(True)
    assert set(_statuses(page)) == {"乔官中心卫生院整体搬迁", "县医院新院区二期"}
    page.stage_combo.setCurrentIndex(page.stage_combo.findData("在建"))
    assert set(_statuses(page)) == {"县医院新院区二期"}
    page.late_check.setChecked(False)
    page.stage_combo.setCurrentIndex(0)
    page.status_combo.setCurrentIndex(page.status_combo.findData(DONE))
    assert set(_statuses(page)) == {"接种门诊改造"}
    page.status_combo.setCurrentIndex(0)
    page.search_edit.setText("乔官")
    assert set(_statuses(page)) == {"乔官中心卫生院整体搬迁"}
    page.search_edit.clear()
    page.select_plan(None)
    assert len(_statuses(page)) == 4
    assert not page.table_view.isColumnHidden(ProjectTableModel.COL_PLAN)


def test_org_unit_filter_is_offered_and_includes_units_below(page, register):
    assert not page.unit_check.isVisibleTo(page)
    page.set_org_unit(register["town"])
    assert page.unit_check.isVisibleTo(page) and page.unit_check.text() == "只看乔官镇"
    assert len(_statuses(page)) == 4  # not applied until ticked
    page.unit_check.setChecked(True)
    assert set(_statuses(page)) == {"乔官中心卫生院整体搬迁"}
    page.set_org_unit(register["county"])
    assert len(_statuses(page)) == 1  # nothing else has a unit


def test_editing_a_milestone_done_date_in_the_dialog_changes_the_status(qtbot, page, register, db):
    emitted = []
    page.data_changed.connect(emitted.append)
    assert page.select_project(register["move"])
    qtbot.keyClick(page.table_view, Qt.Key.Key_Return)
    dialog = page.dialog
    assert dialog is not None and dialog.name_edit.text() == "乔官中心卫生院整体搬迁"
    assert dialog.status_text() == LATE and "立项批复" in dialog.status_reason.text()

    # Key the done date into the milestone table, as a clerk would.
    view = dialog.milestone_view
    index = dialog.milestone_model.index(0, MilestoneTableModel.COL_DONE)
    view.setCurrentIndex(index)
    view.edit(index)
    (editor,) = view.viewport().findChildren(QLineEdit)  # the cell editor the delegate opened
    editor.setText("2024/3/28")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on Return (queued)
    qtbot.waitUntil(lambda: dialog.milestone_model.data(index) == "2024-03-28")
    assert dialog.status_text() == ON_TRACK
    assert "开工" in dialog.status_reason.text()

    with qtbot.waitSignal(dialog.saved):
        dialog.button_box.button(dialog.button_box.StandardButton.Save).click()
    assert emitted == [OpChanges(projects=True)]
    assert _statuses(page)["乔官中心卫生院整体搬迁"] == ON_TRACK
    assert projects.list_milestones(db, register["move"])[0].done_on == "2024-03-28"
    assert page.current_project_id() == register["move"]


def test_a_bad_date_is_refused_and_nothing_is_saved(qtbot, page, register, db):
    page.select_project(register["late"])
    dialog = page.edit_current()
    dialog.date_edits["actual_finish"].setText("2024-13-01")
    assert not dialog.save()
    assert "2024-13-01" in dialog.error_label.text()
    assert dialog.isVisible() or not dialog.isHidden()
    assert projects.get_project(db, register["late"]).actual_finish is None
    # A refused milestone date keeps the old one and says why.
    dialog.add_milestone()
    row = dialog.milestone_model.rowCount() - 1
    index = dialog.milestone_model.index(row, MilestoneTableModel.COL_DUE)
    assert not dialog.milestone_model.setData(index, "下个月")
    assert "应填日期" in dialog.error_label.text()


def test_finishing_a_late_project_in_the_dialog(qtbot, page, register):
    page.select_project(register["late"])
    dialog = page.edit_current()
    assert dialog.status_text() == LATE
    dialog.date_edits["actual_start"].setText("2022-03-01")
    dialog.date_edits["actual_finish"].setText("2024年6月1日")
    assert dialog.status_text() == DONE
    assert dialog.save()
    assert _statuses(page)["县医院新院区二期"] == DONE


def test_new_project_with_a_milestone(qtbot, page, register, db):
    page.select_plan(register["plan"])
    page.late_check.setChecked(True)
    dialog = page.new_project()
    dialog.name_edit.setText("胸痛中心建设")
    dialog.investment_edit.setText("1200")
    dialog.add_milestone()
    model = dialog.milestone_model
    assert model.setData(model.index(0, MilestoneTableModel.COL_NAME), "通过国家认证")
    assert model.setData(model.index(0, MilestoneTableModel.COL_DUE), "2025-06-30")
    assert dialog.save()
    created = projects.get_project_by_name(db, register["plan"], "胸痛中心建设")
    assert created is not None and created.planned_investment == 1200
    assert [m.name for m in projects.list_milestones(db, created.id)] == ["通过国家认证"]
    # It is on track, so the 仅看滞后 filter was lifted to show it.
    assert not page.late_check.isChecked() and page.current_project_id() == created.id


def test_mark_done_today_and_reorder_milestones(qtbot, page, register):
    page.select_project(register["move"])
    dialog = page.edit_current()
    dialog.milestone_view.setCurrentIndex(dialog.milestone_model.index(0, 0))
    dialog.mark_done_today()
    assert dialog.milestone_model.items()[0].done_on == TODAY.isoformat()
    dialog.milestone_view.setCurrentIndex(dialog.milestone_model.index(1, 0))
    dialog._move(-1)
    assert [m.name for m in dialog.milestone_model.items()] == ["开工", "立项批复"]
    dialog.remove_milestone()
    assert [m.name for m in dialog.milestone_model.items()] == ["立项批复"]


def test_delete_asks_first(qtbot, page, register, db, monkeypatch):
    page.select_project(register["paused"])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not page.delete_current()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(page.data_changed):
        assert page.delete_current()
    assert projects.get_project(db, register["paused"]) is None
    assert "康养中心" not in _statuses(page)


def test_refresh_ignores_value_changes_and_demo_pages_select_the_county_plan(
    qtbot, page, db, db_path, register
):
    page.refresh(OpChanges(values=True))
    ((name, widget),) = demo_pages(db, db_path, None)
    qtbot.addWidget(widget)
    assert name == "projects" and widget.plan_combo.currentData() == register["plan"]

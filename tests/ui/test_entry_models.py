"""The entry screens' item models, without a window: qtmodeltester, then what a few cells say."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from desktop.ops import forms
from desktop.ops.workflow import completeness
from desktop.ui.entry import cells
from desktop.ui.entry.form_model import FormEntryModel
from desktop.ui.entry.grid_model import ProxyGridModel
from desktop.ui.entry.problems import ProblemListModel, problems_of
from desktop.ui.entry.progress_model import CompletenessModel


@pytest.fixture
def form_model(demo_conn):
    model = FormEntryModel()
    model.set_form(
        forms.load_form(demo_conn, data_set_code="GW-02", org_unit_code="370725101", period="2024")
    )
    return model


@pytest.fixture
def grid_model(demo_conn):
    model = ProxyGridModel()
    model.set_grid(
        forms.load_proxy_grid(demo_conn, data_set_code="ZY-03", filer_code="370725101-01", period="2024")
    )
    return model


@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.parametrize("force_py", [False, True])
def test_form_model_passes_qtmodeltester(qtmodeltester, form_model, force_py):
    qtmodeltester.check(form_model, force_py=force_py)


@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.parametrize("force_py", [False, True])
def test_grid_model_passes_qtmodeltester(qtmodeltester, grid_model, force_py):
    qtmodeltester.check(grid_model, force_py=force_py)


@pytest.mark.qt_log_level_fail("WARNING")
def test_empty_models_pass_qtmodeltester(qtmodeltester):
    for model in (FormEntryModel(), ProxyGridModel(), ProblemListModel(), CompletenessModel()):
        qtmodeltester.check(model, force_py=True)


@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.parametrize("force_py", [False, True])
def test_problem_and_progress_models_pass_qtmodeltester(qtmodeltester, demo_conn, force_py):
    form = forms.load_form(demo_conn, data_set_code="ZY-01", org_unit_code="370725-01", period="2025")
    problems = ProblemListModel()
    problems.set_problems(problems_of(1, "县人民医院", form.checks))
    qtmodeltester.check(problems, force_py=force_py)
    progress = CompletenessModel()
    progress.set_rows(completeness(demo_conn, data_set_code="ZY-01", period="2024", today=date(2025, 2, 1)))
    qtmodeltester.check(progress, force_py=force_py)


def test_form_model_in_place_update_keeps_the_shape(qtmodeltester, demo_conn, form_model):
    resets = []
    form_model.modelReset.connect(lambda: resets.append(True))
    form_model.set_form(
        forms.load_form(demo_conn, data_set_code="GW-02", org_unit_code="370725101", period="2024")
    )
    assert not resets
    form_model.set_form(
        forms.load_form(demo_conn, data_set_code="GW-02", org_unit_code="370725102", period="2024")
    )
    assert resets == [True]


def test_section_rows_cannot_be_selected_or_edited(form_model):
    heading = form_model.index(0, 0)
    assert heading.data() == "一、慢性病患者健康管理"
    assert form_model.flags(heading) == Qt.ItemFlag.NoItemFlags
    assert not form_model.setData(form_model.index(1, FormEntryModel.COL_VALUE), "1")  # no committer: refused


def test_empty_required_cells_and_missing_problem_line(demo_conn):
    form = forms.load_form(demo_conn, data_set_code="ZY-01", org_unit_code="370725-01", period="2025")
    model = FormEntryModel()
    model.set_form(form)
    value = model.index(model.row_of_code("01"), FormEntryModel.COL_VALUE)
    assert value.data(FormEntryModel.StatusRole) == cells.REQUIRED
    assert model.filled_counts() == (0, 10)
    lines = problems_of(1, "县人民医院", form.checks)
    assert len(lines) == 1 and lines[0].text.startswith("10 个必填项未填：第 01、02、03")


def test_grid_totals_and_statuses(grid_model):
    total = grid_model.index(grid_model.total_row, 1)
    assert total.data() == "15"  # 3 卫生技术人员 in each of the five clinics
    note_row = next(i for i, u in enumerate(grid_model.grid.units) if u.code == "370725101-04")
    villagers = grid_model.element_columns()[-1]
    assert grid_model.index(note_row, villagers).data(ProxyGridModel.StatusRole) == cells.WARNING
    assert "乡村医生和卫生员人数比上年变化超过30%" in grid_model.index(note_row, villagers).data(
        Qt.ItemDataRole.ToolTipRole
    )

"""The item models, without a window: qtmodeltester, then what the cells say."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QModelIndex, Qt

from desktop.store.orgunits import list_org_units
from desktop.store.plans import list_plan_indicators, list_plans
from desktop.ui.models.org_unit_tree_model import OrgUnitTreeModel
from desktop.ui.models.plan_indicator_model import (
    AMBIGUOUS_BACKGROUND,
    IndicatorFilterProxyModel,
    PlanIndicatorTableModel,
    describe_target,
    format_number,
    reading_text,
    visible_domain,
)

DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole


def _plan_id(conn, level: str) -> int:
    return next(p.id for p in list_plans(conn) if p.level == level)


@pytest.fixture
def tree_model(sample_db):
    model = OrgUnitTreeModel()
    model.load(list_org_units(sample_db))
    return model


@pytest.fixture
def county_model(sample_db):
    model = PlanIndicatorTableModel()
    model.load(list_plan_indicators(sample_db, _plan_id(sample_db, "county")))
    return model


@pytest.fixture
def city_model(sample_db):
    model = PlanIndicatorTableModel()
    model.load(list_plan_indicators(sample_db, _plan_id(sample_db, "city")))
    return model


def _column(model: PlanIndicatorTableModel, column: int, role=DISPLAY) -> list:
    return [model.data(model.index(row, column), role) for row in range(model.rowCount())]


def _row_of(model: PlanIndicatorTableModel, name: str) -> int:
    return _column(model, model.COL_NAME).index(name)


# --- org unit tree ---------------------------------------------------------------------------------------


# The C++ QAbstractItemModelTester reports problems as Qt warnings: make those fail the test.
@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.parametrize("force_py", [False, True])
def test_tree_model_passes_qtmodeltester(qtmodeltester, tree_model, force_py):
    qtmodeltester.check(tree_model, force_py=force_py)


def test_tree_has_the_county_as_its_only_root(tree_model):
    assert tree_model.rowCount() == 1
    county = tree_model.index(0, 0)
    assert tree_model.data(county, DISPLAY) == "昌乐县"
    assert tree_model.data(tree_model.index(0, 1), DISPLAY) == "县（市、区）"
    children = [
        tree_model.data(tree_model.index(r, 0, county), DISPLAY) for r in range(tree_model.rowCount(county))
    ]
    assert children == ["宝城街道", "乔官镇", "县卫健局", "县人民医院"]


def test_filed_by_units_carry_a_marker_and_say_who_files(tree_model, sample_db):
    units = {u.name: u for u in list_org_units(sample_db)}
    village = units["东村卫生室"]
    name_index = tree_model.index_for_unit(village.id)
    type_index = tree_model.index_for_unit(village.id, 1)
    assert tree_model.data(name_index, DISPLAY) == "东村卫生室"
    assert tree_model.data(type_index, DISPLAY) == "村卫生室 · 代报"
    assert "由 宝城社区卫生服务中心 代报" in tree_model.data(name_index, TOOLTIP)
    assert "由 县卫健局 代报" in tree_model.data(tree_model.index_for_unit(units["仁和诊所"].id), TOOLTIP)
    # an ordinary unit has no marker
    town = tree_model.index_for_unit(units["宝城街道"].id, 1)
    assert tree_model.data(town, DISPLAY) == "街道"


def test_index_for_unit_round_trips_and_parent_is_consistent(tree_model, sample_db):
    for unit in list_org_units(sample_db):
        index = tree_model.index_for_unit(unit.id)
        assert tree_model.unit_at(index) == unit
        assert tree_model.data(index, OrgUnitTreeModel.UnitIdRole) == unit.id
        parent = tree_model.parent(index)
        expected_parent = unit.parent_id
        assert (tree_model.unit_at(parent).id if parent.isValid() else None) == expected_parent
    assert not tree_model.index_for_unit(99999).isValid()


def test_parent_cycle_or_missing_parent_becomes_a_root(sample_db):
    units = list_org_units(sample_db)
    a, b = units[1], units[2]
    broken = [replace(a, parent_id=b.id), replace(b, parent_id=a.id), replace(units[3], parent_id=4242)]
    model = OrgUnitTreeModel()
    model.load(broken)
    assert model.rowCount() == 3  # every unit is still shown


# --- plan indicator table --------------------------------------------------------------------------------


@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.parametrize("force_py", [False, True])
def test_plan_model_passes_qtmodeltester(qtmodeltester, city_model, force_py):
    qtmodeltester.check(city_model, force_py=force_py)


@pytest.mark.qt_log_level_fail("WARNING")
def test_proxy_passes_qtmodeltester(qtmodeltester, county_model):
    proxy = IndicatorFilterProxyModel()
    proxy.setSourceModel(county_model)
    proxy.setFilterFixedString("率")
    qtmodeltester.check(proxy)


def test_columns_are_fixed_then_two_per_milestone_year(city_model):
    headers = [
        city_model.headerData(c, Qt.Orientation.Horizontal, DISPLAY) for c in range(city_model.columnCount())
    ]
    assert headers[:6] == ["序号", "领域", "指标", "单位", "性质", "基期"]
    assert headers[6:] == ["2020年\n目标（原文）", "2020年\n解读", "2030年\n目标（原文）", "2030年\n解读"]
    assert city_model.years == [2020, 2030]
    assert city_model.raw_column(2030) == 8 and city_model.reading_column(2030) == 9


def test_raw_target_text_is_shown_exactly_as_stored(county_model, city_model):
    raw_2025 = _column(county_model, county_model.raw_column(2025))
    assert "92.00以上" in raw_2025  # trailing zeros kept
    assert "力争每年降低1个百分点" in raw_2025
    assert "-" in raw_2025
    assert _column(city_model, city_model.raw_column(2020)) == ["78.1", "≦4", "比2015年降低10", "持续提高"]


def test_reading_column_shows_kind_label_and_the_note(county_model):
    col = county_model.reading_column(2025)
    row = _row_of(county_model, "人均预期寿命")
    index = county_model.index(row, col)
    assert county_model.data(index, DISPLAY) == "不低于 · 不低于 80.15"
    assert county_model.data(index, PlanIndicatorTableModel.KindLabelRole) == "不低于"
    assert county_model.data(index, PlanIndicatorTableModel.ReadingDetailRole) == "不低于 80.15"
    assert "不低于 80.15（含 80.15）" in county_model.data(index, TOOLTIP)  # the full note
    myopia = county_model.index(_row_of(county_model, "青少年总体近视率"), col)
    assert county_model.data(myopia, DISPLAY).startswith("年均 · 每年降低 1 个百分点")
    none = county_model.index(_row_of(county_model, "重点慢性病防治核心信息人群知晓率"), col)
    assert county_model.data(none, PlanIndicatorTableModel.KindLabelRole) == "无"


def test_ambiguous_readings_are_marked_for_checking(city_model):
    index = city_model.index(_row_of(city_model, "重大慢性病过早死亡率"), city_model.reading_column(2020))
    assert city_model.data(index, PlanIndicatorTableModel.AmbiguousRole) is True
    assert city_model.data(index, Qt.ItemDataRole.BackgroundRole) == AMBIGUOUS_BACKGROUND
    assert city_model.data(index, TOOLTIP).startswith("请核对")
    plain = city_model.index(_row_of(city_model, "人均预期寿命"), city_model.reading_column(2020))
    assert city_model.data(plain, Qt.ItemDataRole.BackgroundRole) is None
    assert "请核对" not in city_model.data(plain, TOOLTIP)


def test_domain_is_shown_on_the_first_row_of_each_domain_only(county_model):
    assert [visible_domain(county_model.index(r, county_model.COL_DOMAIN)) for r in range(4)] == [
        "健康素质", "", "", "健康生活"
    ]  # fmt: skip
    domains = _column(county_model, county_model.COL_DOMAIN)
    assert domains[:4] == ["健康素质", "", "", "健康生活"]
    assert [d for d in domains if d] == ["健康素质", "健康生活", "健康服务", "医疗服务"]
    full = _column(county_model, county_model.COL_DOMAIN, PlanIndicatorTableModel.FullDomainRole)
    assert full[1] == "健康素质"


def test_baseline_shows_raw_text_with_its_year_except_for_no_value(county_model):
    baselines = _column(county_model, county_model.COL_BASELINE)
    assert baselines[0] == "80.11（2020年）"
    assert baselines[1] == "-"
    assert "≤3.2（2020年）" in baselines


def test_plan_baseline_year_goes_to_the_header(sample_db):
    model = PlanIndicatorTableModel()
    model.load(list_plan_indicators(sample_db, _plan_id(sample_db, "county")), baseline_year=2020)
    assert model.headerData(model.COL_BASELINE, Qt.Orientation.Horizontal, DISPLAY) == "基期\n2020年"
    assert _column(model, model.COL_BASELINE)[0] == "80.11"  # the plan's own baseline year is not repeated
    model.load(list_plan_indicators(sample_db, _plan_id(sample_db, "county")), baseline_year=2019)
    assert _column(model, model.COL_BASELINE)[0] == "80.11（2020年）"


def test_binding_indicators_are_bold(county_model):
    row = _row_of(county_model, "每万人口全科医生数")
    font = county_model.data(county_model.index(row, county_model.COL_NATURE), Qt.ItemDataRole.FontRole)
    assert font is not None and font.bold()


def test_filter_proxy_filters_by_name_and_repeats_domain_on_first_visible_row(county_model):
    proxy = IndicatorFilterProxyModel()
    proxy.setSourceModel(county_model)
    proxy.setFilterFixedString("管理率")
    assert proxy.rowCount() == 1
    first = proxy.index(0, PlanIndicatorTableModel.COL_DOMAIN)
    # 高血压患者规范管理率 is the fourth row of 健康生活 in the plan, but the first one left visible
    assert visible_domain(first) == "健康生活"
    assert proxy.data(proxy.index(0, PlanIndicatorTableModel.COL_NAME), DISPLAY) == "高血压患者规范管理率"
    proxy.setFilterFixedString("")
    assert proxy.rowCount() == county_model.rowCount()


@pytest.mark.qt_log_level_fail("WARNING")
def test_empty_model_and_invalid_indexes(qtmodeltester):
    model = PlanIndicatorTableModel()
    model.load([])
    qtmodeltester.check(model)
    assert model.columnCount() == 6
    assert model.data(QModelIndex(), DISPLAY) is None
    assert model.column_is_empty(model.COL_SEQ)


def test_describe_target_without_a_note(county_model):
    row = _row_of(county_model, "青少年总体近视率")
    target = county_model.row_at(row).targets[0]
    bare = replace(target, note=None)
    assert describe_target(bare) == "每年降低1个百分点"
    assert reading_text(bare) == "年均 · 每年降低1个百分点"
    assert describe_target(replace(bare, kind="at_least", value=80.15, strict=True)) == "> 80.15"
    assert describe_target(
        replace(bare, kind="relative_to_base", value=-10.0, base_year=2015, change="percent")
    ) == ("较2015年降低10%")
    assert describe_target(replace(bare, kind="range", value=2.0, value_max=4.0)) == "2 – 4"
    assert describe_target(replace(bare, kind="coverage", value=None)) == "100%"


def test_numbers_are_formatted_the_chinese_way():
    assert format_number(3821) == "3,821"
    assert format_number(80.15) == "80.15"
    assert format_number(92.0) == "92"

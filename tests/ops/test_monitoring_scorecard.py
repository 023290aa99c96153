"""The township scorecard: the same judgement as the monitoring screen, cell by cell; xlsx export."""

from __future__ import annotations

import pytest

from desktop.core.targets import parse_target
from desktop.ops.monitoring import STATUS_COLOURS, MonitoringError, evaluate_plan
from desktop.ops.scorecard import compute_scorecard, export_scorecard
from desktop.store import elements, indicators, orgunits, plans, values
from desktop.store.db import atomic, now_text

COUNTY_PLAN = "changle-14th-fyp"


def test_rows_are_the_townships_and_columns_the_plan_rows(demo):
    plan = plans.get_plan_by_code(demo, COUNTY_PLAN)
    card = compute_scorecard(demo, plan.id, 2024)
    assert [u.name for u in card.units] == [
        "宝城街道",
        "朱刘街道",
        "五图街道",
        "宝都街道",
        "乔官镇",
        "营丘镇",
        "红河镇",
        "鄌郚镇",
    ]
    assert len(card.columns) == 33 and all(len(row) == 33 for row in card.cells)
    assert card.parent.name == "昌乐县" and card.year == 2024
    assert {c.milestone_year for c in card.columns} == {2025}
    statuses = {c.status for row in card.cells for c in row}
    assert {"achieved", "deteriorating", "no_data", "cannot_judge"} <= statuses and len(statuses) >= 5


def test_every_cell_agrees_with_the_monitoring_screen(demo):
    plan = plans.get_plan_by_code(demo, COUNTY_PLAN)
    card = compute_scorecard(demo, plan.id, 2024)
    county = evaluate_plan(demo, plan.id, 2024)
    for column, row in zip(card.columns, county.rows, strict=True):
        assert (column.area.status, column.area.reason) == (row.status, row.reason), row.name
        assert column.area.value == (row.latest[1] if row.latest else None)
    for n, unit in enumerate(card.units):
        screen = evaluate_plan(demo, plan.id, 2024, unit_id=unit.id)
        for cell, row in zip(card.cells[n], screen.rows, strict=True):
            assert (cell.status, cell.reason, cell.threshold_text) == (
                row.status,
                row.reason,
                row.headline.threshold_text,
            )
            assert cell.value == (row.latest[1] if row.latest else None), (unit.name, row.name)


def test_choosing_columns_keeps_the_plan_order(demo):
    plan = plans.get_plan_by_code(demo, COUNTY_PLAN)
    rows = plans.list_plan_indicators(demo, plan.id)
    wanted = [rows[18].id, rows[9].id]
    card = compute_scorecard(demo, plan.id, 2024, plan_indicator_ids=wanted)
    assert [c.name for c in card.columns] == [rows[9].name_as_written, rows[18].name_as_written]


def test_a_township_missing_this_year_falls_back_to_its_latest_value(db):
    with atomic(db):
        county = orgunits.insert_org_unit(db, code="C", name="县", level=1, unit_type="county")
        towns = [
            orgunits.insert_org_unit(db, code=c, name=f"{c}镇", level=2, unit_type="town", parent_id=county)
            for c in ("A", "B")
        ]
        hospital = orgunits.insert_org_unit(
            db, code="H", name="县医院", level=3, unit_type="county_hospital", parent_id=county
        )
        element = elements.insert_data_element(
            db, code="E", name="数", value_type="number", aggregation="sum"
        )
        indicator = indicators.insert_indicator(db, code="I", name="指标", unit="%", numerator="E")
        plan_id = plans.insert_plan(db, code="p", title="规划", level="county", baseline_year=2020)
        row = plans.insert_plan_indicator(
            db, plan_id=plan_id, indicator_id=indicator, name_as_written="指标", unit_as_written="%"
        )
        plans.insert_target(db, row, 2025, parse_target("≥80", "%").to_dict())
        cells = [
            (towns[0], "2020", 60),
            (towns[0], "2023", 78),
            (towns[1], "2021", 70),
            (towns[1], "2024", 81),
        ]
        values.insert_values_bulk(
            db,
            [(element, y, u, v) for u, y, v in cells],
            stored_by="测试",
            stored_at=now_text(),
            reason="测试",
        )
    card = compute_scorecard(db, plan_id, 2024)
    assert [u.code for u in card.units] == ["A", "B"]  # not the county hospital beside them
    a, b = (row[0] for row in card.cells)
    assert (a.value, a.year, a.status) == (78, 2023, "on_track")  # 2023 is its latest; baseline 2020
    assert (b.value, b.year, b.status) == (81, 2024, "achieved")  # no 2020 value: baseline falls back
    area = card.columns[0].area  # the county: only B reported in 2024, and the reason says so
    assert (area.value, area.partial) == (81, "3 个单位中 1 个已报") and "部分汇总" in area.reason
    assert hospital not in {u.id for u in card.units}


def test_unknown_plan_or_parent(demo):
    with pytest.raises(MonitoringError, match="找不到规划"):
        compute_scorecard(demo, 999, 2024)
    plan = plans.get_plan_by_code(demo, COUNTY_PLAN)
    with pytest.raises(MonitoringError, match="找不到机构"):
        compute_scorecard(demo, plan.id, 2024, parent_unit_id=999)


def test_export_writes_values_colours_reasons_and_legend(demo, tmp_path):
    from openpyxl import load_workbook

    plan = plans.get_plan_by_code(demo, COUNTY_PLAN)
    rows = plans.list_plan_indicators(demo, plan.id)
    card = compute_scorecard(demo, plan.id, 2024, plan_indicator_ids=[r.id for r in rows[8:11]])
    path = export_scorecard(card, tmp_path / "记分卡.xlsx")
    book = load_workbook(path)
    sheet = book["记分卡"]
    assert sheet["A1"].value.startswith("昌乐县“十四五”卫生与健康规划") and "2024年" in sheet["A2"].value
    assert (
        sheet["B4"].value == "儿童国家免疫规划疫苗全程接种率（%）"
        and sheet["B5"].value == "2025年目标 92.00以上"
    )
    assert sheet["A6"].value == "昌乐县（全域）" and sheet["A7"].value == "宝城街道"
    first = card.cells[0][0]
    cell = sheet["B7"]
    assert cell.value == pytest.approx(round(first.value, 2)) and cell.number_format == "#,##0.00"
    assert cell.fill.fgColor.rgb.endswith(STATUS_COLOURS[first.status][0].lstrip("#").upper())
    assert first.reason in cell.comment.text
    legend = [sheet.cell(8 + len(card.units), c).value for c in range(2, 9)]
    assert legend == ["退步", "滞后", "需加快", "进展顺利", "已达标", "无法判断", "无数据"]
    reasons = book["原因说明"]
    assert reasons.max_row == 1 + 3 * (len(card.units) + 1)
    assert reasons["F2"].value == card.columns[0].area.reason


def test_export_to_a_locked_file_is_a_clear_error(demo, tmp_path):
    from desktop.io.scorecard_xlsx import ExportError

    plan = plans.get_plan_by_code(demo, COUNTY_PLAN)
    card = compute_scorecard(demo, plan.id, 2024)
    with pytest.raises(ExportError, match="无法写入文件"):
        export_scorecard(card, tmp_path / "no-such-folder" / "x.xlsx")
    assert not list(tmp_path.glob("**/*.part"))

"""Values and their audit trail: every insert, change and delete leaves a row; no-ops leave none."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.store import elements, orgunits, values
from desktop.store.db import atomic


@pytest.fixture
def cell(db):
    unit = orgunits.insert_org_unit(db, code="370725", name="昌乐县", level=1, unit_type="county")
    element = elements.insert_data_element(db, code="BEDS", name="床位数", unit="张", value_type="integer")
    return db, element, unit


def _write(conn, element, unit, value, **kw):
    with atomic(conn):
        return values.write_value(
            conn,
            element_id=element,
            period="2024",
            org_unit_id=unit,
            value=value,
            stored_by="张三",
            stored_at="2024-03-01 10:00:00",
            **kw,
        )


def test_insert_update_delete_are_audited(cell):
    conn, element, unit = cell
    assert _write(conn, element, unit, 120) == "insert"
    assert _write(conn, element, unit, 130) == "update"
    assert _write(conn, element, unit, None) == "delete"
    trail = values.list_audit(conn, element, "2024", unit)
    assert [(a.action, a.old_value, a.new_value) for a in trail] == [
        ("delete", 130, None),
        ("update", 120, 130),
        ("insert", None, 120),
    ]
    assert all(a.changed_by == "张三" for a in trail)
    assert values.get_value(conn, element, "2024", unit) is None


def test_unchanged_value_writes_nothing(cell):
    conn, element, unit = cell
    _write(conn, element, unit, 120)
    assert _write(conn, element, unit, 120) is None
    assert len(values.list_audit(conn, element, "2024", unit)) == 1


def test_text_values_keep_leading_zeros(cell):
    conn, _element, unit = cell
    text_el = elements.insert_data_element(db := conn, code="CODE", name="编码", value_type="text")
    _write(db, text_el, unit, "001")
    assert values.get_value(db, text_el, "2024", unit).value == "001"


def test_comment_alone_keeps_a_cell(cell):
    conn, element, unit = cell
    assert _write(conn, element, unit, None, comment="待核实") == "insert"
    stored = values.get_value(conn, element, "2024", unit)
    assert stored.value is None and stored.comment == "待核实"


def test_provenance_is_stored_and_kept_when_value_changes(cell):
    conn, element, unit = cell
    _write(
        conn,
        element,
        unit,
        1000,
        provenance="estimate",
        provenance_formula="18岁以上常住人口 × 25.2%",
        provenance_source="国家慢病监测",
    )
    _write(conn, element, unit, 1100)
    stored = values.get_value(conn, element, "2024", unit)
    assert (stored.provenance, stored.provenance_formula) == ("estimate", "18岁以上常住人口 × 25.2%")


def test_bulk_insert_audits_each_value_and_is_all_or_nothing(cell):
    conn, element, unit = cell
    with atomic(conn):
        n = values.insert_values_bulk(
            conn,
            [(element, "2023", unit, 10), (element, "2024", unit, 11, "count", None, None)],
            stored_by="导入",
            stored_at="2024-01-01 00:00:00",
            reason="测试",
        )
    assert n == 2 and values.count_values(conn) == 2
    assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 2
    with pytest.raises(sqlite3.IntegrityError), atomic(conn):
        values.insert_values_bulk(
            conn,
            [(element, "2022", unit, 9), (element, "2024", unit, 99)],  # second one already exists
            stored_by="导入",
            stored_at="2024-01-01 00:00:00",
            reason="测试",
        )
    assert values.count_values(conn) == 2
    assert values.get_value(conn, element, "2022", unit) is None

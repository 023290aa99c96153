"""Own values win; missing ones roll up from children; nothing is counted twice; missing stays missing."""

from __future__ import annotations

import pytest

from desktop.ops.aggregate import UnitTree
from desktop.store import orgunits


@pytest.fixture
def tree(db):
    county = orgunits.insert_org_unit(db, code="C", name="县", level=1, unit_type="county")
    town_a = orgunits.insert_org_unit(db, code="A", name="甲镇", level=2, unit_type="town", parent_id=county)
    town_b = orgunits.insert_org_unit(db, code="B", name="乙镇", level=2, unit_type="town", parent_id=county)
    clinic = orgunits.insert_org_unit(
        db, code="A1", name="甲村", level=4, unit_type="village_clinic", parent_id=town_a
    )
    clinic2 = orgunits.insert_org_unit(
        db, code="A2", name="乙村", level=4, unit_type="village_clinic", parent_id=town_a
    )
    return UnitTree.load(db), {"C": county, "A": town_a, "B": town_b, "A1": clinic, "A2": clinic2}


def test_own_value_wins_over_children(tree):
    t, ids = tree
    values = {(1, ids["A"]): 10, (1, ids["A1"]): 4, (1, ids["A2"]): 6, (1, ids["B"]): 5}
    result = t.resolve(values, 1, ids["C"])
    assert result.value == 15 and not result.own  # 10 + 5: the clinics are inside 甲镇's own 10


def test_missing_children_make_a_partial_rollup(tree):
    t, ids = tree
    values = {(1, ids["A1"]): 4}
    result = t.resolve(values, 1, ids["C"])
    assert result.value == 4 and result.reported == 1 and result.expected == 3 and result.partial


def test_nothing_reported_stays_missing(tree):
    t, ids = tree
    result = t.resolve({}, 1, ids["C"])
    assert result.value is None and result.reported == 0


def test_average_and_none_aggregations(tree):
    t, ids = tree
    values = {(1, ids["A1"]): 4, (1, ids["A2"]): 6}
    assert t.resolve(values, 1, ids["A"], "average").value == 5
    assert t.resolve(values, 1, ids["A"], "none").value is None


def test_text_values_do_not_roll_up(tree):
    t, ids = tree
    assert t.resolve({(1, ids["A1"]): "备注"}, 1, ids["A1"]).value is None

"""Adding org units: codes are validated first, and a refusal writes nothing."""

from __future__ import annotations

import pytest

from desktop.core.codes import org_code_check_char, uscc_check_char
from desktop.ops.orgunits import OrgUnitRefused, add_org_unit
from desktop.store import orgunits


@pytest.fixture
def county(db):
    add_org_unit(db, code="370725", name="昌乐县", unit_type="county", admin_code="370725")
    return db


def _valid_body_uscc() -> str:
    # 事业单位 (12) in 昌乐县 with a made-up body; the embedded 组织机构代码 carries its own check character.
    body = "MB000123"
    first17 = "12370725" + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def test_adds_a_facility_under_its_township(county):
    add_org_unit(
        county, code="T1", name="乔官镇", unit_type="town", parent_code="370725", admin_code="370725102"
    )
    result = add_org_unit(
        county,
        code="F1",
        name="乔官镇卫生院",
        unit_type="township_hc",
        parent_code="T1",
        uscc=_valid_body_uscc(),
    )
    unit = orgunits.get_org_unit(county, result.unit_id)
    assert unit.parent_id == orgunits.get_org_unit_by_code(county, "T1").id and unit.level == 3
    assert unit.uscc == _valid_body_uscc() and result.changes.org_units


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"uscc": "12370725MB000123"}, "统一社会信用代码有误"),
        ({"uscc": "12370725MB0001230X"[:17] + "Z"}, "统一社会信用代码有误"),
        ({"admin_code": "990725"}, "行政区划代码有误"),
        ({"unit_type": "spaceport"}, "未知的单位类型"),
        ({"parent_code": "NOPE"}, "上级单位代码“NOPE”不存在"),
        ({"filed_by_code": "NOPE"}, "代报单位代码“NOPE”不存在"),
        ({"code": "370725"}, "已被使用"),
        ({"name": "  "}, "单位名称不能为空"),
        ({"opened_on": "2024-13-01"}, "成立日期"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(county, fields, message):
    args = {
        "code": "F9",
        "name": "某卫生室",
        "unit_type": "village_clinic",
        "parent_code": "370725",
        **fields,
    }
    before = orgunits.count_org_units(county)
    with pytest.raises(OrgUnitRefused) as info:
        add_org_unit(county, **args)
    assert message in info.value.message
    assert orgunits.count_org_units(county) == before

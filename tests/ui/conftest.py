"""A small county database for the window tests: a few units (two of them filed by others), two plans.

Built with the store's insert functions, the rows copied from the seed plans (昌乐县十四五, 健康聊城2030), so
the tests see real notation (`80.15以上`, `比2015年降低10`, `力争每年降低1个百分点`, `-`).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.store import indicators, orgunits, plans
from desktop.store.db import atomic, connect, set_setting
from desktop.ui.qt_setup import load_bundled_font

COUNTY_ROWS = [
    # seq, domain, name, unit, nature, baseline, {year: raw}
    ("1", "健康素质", "人均预期寿命", "岁", "预期性", "80.11", {2025: "80.15以上"}),
    ("2", "健康素质", "健康预期寿命", "岁", "预期性", "-", {2025: "同比例增加"}),
    ("4", "健康素质", "婴儿死亡率", "‰", "预期性", "-", {2025: "3.3以下"}),
    ("9", "健康生活", "儿童国家免疫规划疫苗全程接种率", "%", "预期性", "91.78", {2025: "92.00以上"}),
    ("10", "健康生活", "高血压患者规范管理率", "%", "预期性", "70", {2025: "≥80"}),
    ("12", "健康生活", "重点慢性病防治核心信息人群知晓率", "%", None, "-", {2025: "-"}),
    ("19", "健康服务", "每千人口执业（助理）医师数", "人", "预期性", "2.77", {2025: "2.8"}),
    ("24", "健康服务", "每万人口全科医生数", "人", "约束性", "2", {2025: "3"}),
    ("25", "健康服务", "青少年总体近视率", "%", "约束性", "-", {2025: "力争每年降低1个百分点"}),
    ("30", "医疗服务", "院内感染发生率", "%", "预期性", "≤3.2", {2025: "≤3"}),
]
CITY_ROWS = [
    (None, "健康水平", "人均预期寿命", "岁", None, "77.1", {2020: "78.1", 2030: "81左右"}),
    (None, "健康水平", "婴儿死亡率", "‰", None, "3.14", {2020: "≦4", 2030: "3"}),
    (
        None,
        "健康服务与保障",
        "重大慢性病过早死亡率",
        "%",
        None,
        "20.41",
        {2020: "比2015年降低10", 2030: "比2015年降低15"},
    ),
    (None, "健康环境", "城市空气质量优良天数比率", "%", None, "36.4", {2020: "持续提高", 2030: "持续提高"}),
]


# Readings as the target parser (core.targets) gives them, written out so these tests do not depend on it.
READINGS = {
    "80.15以上": dict(kind="at_least", value=80.15, note="不低于 80.15（含 80.15）"),
    "同比例增加": dict(kind="direction", direction="up", note="趋势目标“同比例增加”：须较基期有所提高（无数值；幅度与相关指标挂钩，需人工核对）"),
    "3.3以下": dict(kind="at_most", value=3.3, note="不高于 3.3（含 3.3）"),
    "92.00以上": dict(kind="at_least", value=92.0, note="不低于 92.00（含 92.00）"),
    "≥80": dict(kind="at_least", value=80.0, note="不低于 80（含 80）"),
    "-": dict(kind="none", note="“-”表示无目标值"),
    "2.8": dict(kind="level", value=2.8, note="达到 2.8"),
    "3": dict(kind="level", value=3.0, note="达到 3"),
    "力争每年降低1个百分点": dict(
        kind="annual_change", value=-1.0, change="points", direction="down", hedge=True,
        note="每年降低 1 个百分点（原文含“力争”，属争取性目标）",
    ),
    "≤3": dict(kind="at_most", value=3.0, note="不高于 3（含 3）"),
    "78.1": dict(kind="level", value=78.1, note="达到 78.1"),
    "81左右": dict(kind="approx", value=81.0, note="81 左右（允许一定浮动）"),
    "≦4": dict(kind="at_most", value=4.0, note="不高于 4（含 4）"),
    "比2015年降低10": dict(
        kind="relative_to_base", value=-10.0, base_year=2015, change="percent", direction="down", ambiguous=True,
        note="比 2015 年基期值相对降低 10%（原文未写 %，按相对百分比理解；本指标单位为 %，若指 10 个百分点请改读，请核对）",
    ),
    "比2015年降低15": dict(
        kind="relative_to_base", value=-15.0, base_year=2015, change="percent", direction="down", ambiguous=True,
        note="比 2015 年基期值相对降低 15%（原文未写 %，按相对百分比理解；本指标单位为 %，若指 15 个百分点请改读，请核对）",
    ),
    "持续提高": dict(kind="direction", direction="up", note="趋势目标“持续提高”：须较基期有所提高（无数值）"),
}  # fmt: skip


def _number(text: str) -> float | None:
    try:
        return float(text.lstrip("≤≥"))
    except ValueError:
        return None


def build_sample_database(conn: sqlite3.Connection, *, demo: bool) -> dict[str, int]:
    """Fill a freshly migrated database; returns ids by name for the tests."""
    ids: dict[str, int] = {}
    with atomic(conn):
        if demo:
            set_setting(conn, "demo", "1")
        county = orgunits.insert_org_unit(
            conn, code="370725", name="昌乐县", level=1, unit_type="county", admin_code="370725"
        )
        bureau = orgunits.insert_org_unit(
            conn, code="370725-WJJ", name="昌乐县卫生健康局", short_name="县卫健局", level=3,
            unit_type="health_bureau", parent_id=county, sort_order=1,
        )  # fmt: skip
        orgunits.insert_org_unit(
            conn, code="370725-RMYY", name="昌乐县人民医院", short_name="县人民医院", level=3,
            unit_type="county_hospital", parent_id=county, sort_order=2,
        )  # fmt: skip
        town = orgunits.insert_org_unit(
            conn,
            code="370725-BC",
            name="宝城街道",
            level=2,
            unit_type="street",
            parent_id=county,
            sort_order=10,
        )
        centre = orgunits.insert_org_unit(
            conn, code="370725-BC-WSY", name="宝城街道社区卫生服务中心", short_name="宝城社区卫生服务中心",
            level=3, unit_type="community_hc", parent_id=town,
        )  # fmt: skip
        ids["village"] = orgunits.insert_org_unit(
            conn, code="370725-BC-001", name="东村卫生室", level=4, unit_type="village_clinic",
            parent_id=centre, filed_by_id=centre,
        )  # fmt: skip
        ids["clinic"] = orgunits.insert_org_unit(
            conn, code="370725-ZS-01", name="仁和诊所", level=4, unit_type="clinic", parent_id=town,
            filed_by_id=bureau, sort_order=5,
        )  # fmt: skip
        orgunits.insert_org_unit(
            conn, code="370725-QG", name="乔官镇", level=2, unit_type="town", parent_id=county, sort_order=11
        )
        ids["county"], ids["bureau"], ids["town"], ids["centre"] = county, bureau, town, centre

        ids["city_plan"] = plans.insert_plan(
            conn, code="liaocheng-2030", title="“健康聊城2030”规划纲要", level="city",
            period_start=2016, period_end=2030, baseline_year=2015, issuer="中共聊城市委 聊城市人民政府",
        )  # fmt: skip
        ids["county_plan"] = plans.insert_plan(
            conn, code="changle-14th", title="昌乐县“十四五”卫生与健康规划", level="county",
            period_start=2021, period_end=2025, baseline_year=2020, doc_number="乐政发〔2022〕1号",
        )  # fmt: skip
        known: dict[str, int] = {}
        for plan_key, rows, base_year in (("county_plan", COUNTY_ROWS, 2020), ("city_plan", CITY_ROWS, 2015)):
            for order, (seq, domain, name, unit, nature, baseline, targets) in enumerate(rows):
                if name not in known:
                    known[name] = indicators.insert_indicator(
                        conn, code=f"IND{len(known) + 1:03d}", name=name, unit=unit
                    )
                pi = plans.insert_plan_indicator(
                    conn, plan_id=ids[plan_key], indicator_id=known[name], seq=seq, domain=domain,
                    name_as_written=name, unit_as_written=unit, nature=nature, baseline_raw=baseline,
                    baseline_value=_number(baseline), baseline_year=base_year, sort_order=order,
                )  # fmt: skip
                for year, raw in targets.items():
                    plans.insert_target(conn, pi, year, {"raw": raw, **READINGS[raw]})
    return ids


@pytest.fixture(scope="session")
def _bundled_font(qapp):
    load_bundled_font(qapp)
    return qapp


def _make(db_path: Path, *, demo: bool) -> Path:
    conn = connect(db_path)
    build_sample_database(conn, demo=demo)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db_path


@pytest.fixture
def sample_db_path(db_path: Path) -> Path:
    """A sample county database marked as demo data."""
    return _make(db_path, demo=True)


@pytest.fixture
def plain_db_path(template_db: Path, tmp_path: Path) -> Path:
    """The same sample county, not marked as demo data (its own file, beside sample_db_path)."""
    path = tmp_path / "plain.sqlite"
    shutil.copyfile(template_db, path)
    return _make(path, demo=False)


@pytest.fixture
def sample_db(sample_db_path: Path, _bundled_font):
    conn = connect(sample_db_path)
    yield conn
    conn.close()


@pytest.fixture
def demo_conn(demo, _bundled_font):
    """The demo county (tests/conftest.py's demo), open for a page with the bundled font loaded."""
    return demo

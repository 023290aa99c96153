"""The demo county's logic checks (db/seed/demo/checks.json) and its review demo (review_demo.json).

The generated demo values are consistent by construction, so review_demo.json swaps two village clinics'
注册护士 (a value keyed on the wrong row: the township's totals stay right) for a blocking rule to catch, and
holds one 审核说明 already written for an 'explain' rule the data trip (the county hospital's new wing opening
in 2022). Called by the demo build, inside its transaction: the swap before the values are stored (so they go
in, and are audited, as generated), the rules and explanations after.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.periods import PeriodError, parse_period
from desktop.ops.checks import CheckError, load_check_rules
from desktop.store import checks as store_checks
from desktop.store import elements, orgunits
from desktop.store.db import atomic, now_text

CHECKS_FILE = "checks.json"
REVIEW_DEMO_FILE = "review_demo.json"


@dataclass(frozen=True)
class DemoChecksResult:
    rules: int = 0
    explanations: int = 0


ValueRow = tuple[Any, ...]  # (element_id, period, org_unit_id, value, provenance, formula, source)


def swap_demo_values(
    conn: sqlite3.Connection, rows: list[ValueRow], directory: Path, unit_ids: dict[str, int]
) -> list[ValueRow]:
    """The generated value rows with review_demo.json's swaps applied (a missing file changes nothing)."""
    path = directory / REVIEW_DEMO_FILE
    if not path.exists():
        return rows
    data = _read(path)
    result = list(rows)
    try:
        for swap in data.get("swaps", []):
            element = elements.get_element_by_code(conn, swap["element"])
            period = parse_period(swap["period"]).code
            first, second = (unit_ids[code] for code in swap["units"])
            if element is None:
                raise CheckError(f"示例数据文件“{path.name}”：没有数据项 {swap['element']}")
            where = {
                (row[0], row[1], row[2]): i
                for i, row in enumerate(result)
                if row[0] == element.id and row[1] == period and row[2] in (first, second)
            }
            a, b = where[(element.id, period, first)], where[(element.id, period, second)]
            result[a], result[b] = (*result[a][:3], result[b][3], *result[a][4:]), (
                *result[b][:3], result[a][3], *result[b][4:],
            )  # fmt: skip
    except (KeyError, TypeError, ValueError, PeriodError) as exc:
        raise CheckError(
            f"示例数据文件“{path.name}”的 swaps 格式不对：{getattr(exc, 'message', exc)}"
        ) from exc
    return result


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CheckError(f"无法读取示例数据文件“{path}”：{exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckError(f"示例数据文件“{path.name}”不是有效的 JSON：{exc}") from exc
    if not isinstance(data, dict):
        raise CheckError(f"示例数据文件“{path.name}”的顶层应为对象")
    return data


def load_demo_checks(conn: sqlite3.Connection, directory: Path) -> DemoChecksResult:
    """Load the demo forms' rules, then review_demo.json's explanations, in one transaction.

    A file that is missing is skipped (a demo without checks still works); a malformed one raises CheckError
    naming the file and entry, and nothing is written.
    """
    rules = notes = 0
    with atomic(conn):
        if (directory / CHECKS_FILE).exists():
            rules = load_check_rules(conn, directory / CHECKS_FILE)
        path = directory / REVIEW_DEMO_FILE
        if path.exists():
            data = _read(path)
            try:
                notes = sum(_apply_explanation(conn, note) for note in data.get("explanations", []))
            except (KeyError, TypeError, AttributeError, PeriodError) as exc:
                raise CheckError(
                    f"示例数据文件“{path.name}”格式不对：{getattr(exc, 'message', exc)}"
                ) from exc
    return DemoChecksResult(rules, notes)


def _apply_explanation(conn: sqlite3.Connection, note: dict[str, Any]) -> int:
    data_set = elements.get_data_set_by_code(conn, note["data_set"])
    unit = orgunits.get_org_unit_by_code(conn, note["unit"])
    if data_set is None or unit is None:
        raise CheckError(f"示例审核说明引用了不存在的报表或单位：{note['data_set']} / {note['unit']}")
    if store_checks.get_check_rule(conn, data_set.id, note["rule"]) is None:
        raise CheckError(f"示例审核说明引用了不存在的规则：{note['data_set']} {note['rule']}")
    changed = store_checks.set_explanation(
        conn,
        data_set_id=data_set.id,
        org_unit_id=unit.id,
        period=parse_period(note["period"], data_set.period_type).code,
        rule_code=note["rule"],
        text=note["text"],
        user=note["by"],
        at=now_text(),
    )
    return 1 if changed else 0

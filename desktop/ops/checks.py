"""Checking a return: the form's logic rules, range checks from its data elements, and required rows.

Rules are data (check_rule, loaded from files such as db/seed/demo/checks.json); the notation is read by
desktop.core.checks. A failed rule of severity 'blocking' refuses submission; one of severity 'explain' is
allowed once a written 审核说明 is stored for it (explain()), and that explanation travels with the return.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.checks import (
    CURRENT,
    LAST_YEAR,
    PREVIOUS,
    SEVERITIES,
    ParsedRule,
    RuleSyntaxError,
    evaluate_rule,
    parse_rule,
)
from desktop.core.periods import Period, PeriodError, parse_period
from desktop.core.value_rules import ValueRefused, coerce_value
from desktop.ops.changes import OpChanges
from desktop.ops.values import rule_for
from desktop.store import checks as store_checks
from desktop.store import elements, orgunits, values, workflow
from desktop.store.db import atomic, now_text

KINDS = ("relation", "range", "required")


class CheckError(Exception):
    """A check or explanation request that cannot be done; .message is Chinese and names what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckResult:
    """One check of one return.

    Relation rules are reported whether they pass or not (skipped ones as passed, with skipped=True); range
    and required checks are reported only when they fail, one per row. `row_codes` are the rows the check
    reads, the first being the cell to jump to.
    """

    rule_code: str
    expression: str
    severity: str  # 'blocking' | 'explain'
    passed: bool
    message: str
    explanation: str | None
    row_codes: tuple[str, ...]
    kind: str = "relation"  # 'relation' | 'range' | 'required'
    detail: str = ""  # the numbers behind a failure, or why a rule was skipped
    skipped: bool = False
    explained_by: str | None = None
    explained_at: str | None = None

    @property
    def open(self) -> bool:
        """A problem still to deal with: failed, and either blocking or not yet explained."""
        return not self.passed and (self.severity == "blocking" or not self.explanation)

    @property
    def needs_explanation(self) -> bool:
        return not self.passed and self.severity == "explain" and not self.explanation


@dataclass(frozen=True)
class ReturnKey:
    """A return resolved from codes: data set, unit and period (canonical)."""

    data_set: elements.DataSet
    unit: orgunits.OrgUnit
    period: Period

    @property
    def period_code(self) -> str:
        return self.period.code


def resolve_return(
    conn: sqlite3.Connection, data_set_code: str, org_unit_code: str, period: str
) -> ReturnKey:
    """Look up a return by codes; raise CheckError naming whatever is unknown or of the wrong period type."""
    data_set = elements.get_data_set_by_code(conn, data_set_code)
    if data_set is None:
        raise CheckError(f"未知的报表代码“{data_set_code}”")
    unit = orgunits.get_org_unit_by_code(conn, org_unit_code)
    if unit is None:
        raise CheckError(f"未知的单位代码“{org_unit_code}”")
    try:
        parsed = parse_period(period, data_set.period_type)
    except PeriodError as exc:
        raise CheckError(f"报表“{data_set.name}”：{exc}") from exc
    return ReturnKey(data_set, unit, parsed)


def _neighbour(period: Period, which: str) -> str | None:
    try:
        return (period.previous() if which == PREVIOUS else period.same_period_last_year()).code
    except PeriodError:  # before 1949: there is no such period, so the rule is skipped
        return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def plain_label(label: str) -> str:
    """A row label without its "其中：" lead-in, for messages."""
    for lead in ("其中：", "其中:"):
        if label.startswith(lead):
            return label[len(lead) :]
    return label


def evaluate_return(
    conn: sqlite3.Connection,
    key: ReturnKey,
    *,
    rows: list[elements.DataSetRow] | None = None,
    stored: Mapping[str, Mapping[int, Any]] | None = None,
) -> list[CheckResult]:
    """All checks of one return. `stored` ({current/previous/last_year: {element_id: value}}) may be given
    by a caller that has already read the values (the entry screens do), to save the queries."""
    rows = rows if rows is not None else elements.list_data_set_rows(conn, key.data_set.id)
    if stored is None:
        stored = read_period_values(conn, key.unit.id, key.period)
    by_code = {r.row_code: r for r in rows if r.element_id is not None}

    def lookup(code: str, which: str) -> float | None:
        row = by_code.get(code)
        if row is None:
            return None
        return _number(stored.get(which, {}).get(row.element_id))

    results = _relation_results(conn, key, lookup, set(by_code))
    results += _range_results(conn, rows, stored.get(CURRENT, {}))
    results += _required_results(rows, stored.get(CURRENT, {}))
    return results


def read_period_values(
    conn: sqlite3.Connection, org_unit_id: int, period: Period
) -> dict[str, dict[int, Any]]:
    """{current/previous/last_year: {element_id: value}} for one unit around one period."""
    result: dict[str, dict[int, Any]] = {}
    for which in (CURRENT, PREVIOUS, LAST_YEAR):
        code = period.code if which == CURRENT else _neighbour(period, which)
        result[which] = (
            {v.element_id: v.value for v in values.list_values(conn, org_unit_id, code)} if code else {}
        )
    return result


def _relation_results(
    conn: sqlite3.Connection, key: ReturnKey, lookup: Any, known_codes: set[str]
) -> list[CheckResult]:
    explanations = store_checks.list_explanations(conn, key.data_set.id, key.unit.id, key.period_code)
    results = []
    for rule in store_checks.list_check_rules(conn, key.data_set.id):
        note = explanations.get(rule.code)
        common = {
            "rule_code": rule.code,
            "expression": rule.expression,
            "severity": rule.severity,
            "message": rule.message,
            "explanation": note.text if note else None,
            "explained_by": note.explained_by if note else None,
            "explained_at": note.explained_at if note else None,
        }
        try:
            parsed = parse_rule(rule.expression)
        except RuleSyntaxError as exc:
            # Rules are validated when loaded; a broken one is shown (to be explained), never silently dropped.
            results.append(
                CheckResult(
                    **{**common, "severity": "explain"},
                    passed=False,
                    row_codes=(),
                    detail=f"审核公式有误：{exc.message}，请联系统计负责人修正",
                )
            )
            continue
        unknown = parsed.unknown_codes(known_codes)
        if unknown:
            results.append(
                CheckResult(
                    **{**common, "severity": "explain"},
                    passed=False,
                    row_codes=parsed.row_codes,
                    detail=f"审核公式引用了本表没有的行：{'、'.join(unknown)}，请联系统计负责人修正",
                )
            )
            continue
        outcome = evaluate_rule(parsed, lookup)
        results.append(
            CheckResult(
                **common,
                passed=outcome.passed,
                row_codes=parsed.row_codes,
                detail=outcome.detail,
                skipped=outcome.status == "skip",
            )
        )
    return results


def _range_results(
    conn: sqlite3.Connection, rows: list[elements.DataSetRow], current: Mapping[int, Any]
) -> list[CheckResult]:
    results = []
    seen: set[int] = set()
    for row in rows:
        if row.element_id is None or row.element_id in seen or current.get(row.element_id) is None:
            continue
        seen.add(row.element_id)
        element = elements.get_element(conn, row.element_id)
        if element is None:  # pragma: no cover - a foreign key guarantees it
            continue
        try:
            coerce_value(current[row.element_id], rule_for(element))
        except ValueRefused as exc:
            results.append(
                CheckResult(
                    rule_code=f"RANGE:{row.row_code}",
                    expression=_range_expression(element),
                    severity="blocking",
                    passed=False,
                    message=exc.message,
                    explanation=None,
                    row_codes=(row.row_code,),
                    kind="range",
                )
            )
    return results


def _range_expression(element: elements.DataElement) -> str:
    parts = {"integer": "整数", "number": "数字", "percent": "百分数"}.get(
        element.value_type, element.value_type
    )
    if element.min_value is not None:
        parts += f"，≥ {element.min_value:g}"
    if element.max_value is not None:
        parts += f"，≤ {element.max_value:g}"
    return parts


def _required_results(rows: list[elements.DataSetRow], current: Mapping[int, Any]) -> list[CheckResult]:
    return [
        CheckResult(
            rule_code=f"REQUIRED:{row.row_code}",
            expression="必填",
            severity="blocking",
            passed=False,
            message=f"第 {row.row_code} 行“{plain_label(row.label)}”必须填写（没有请填 0）",
            explanation=None,
            row_codes=(row.row_code,),
            kind="required",
        )
        for row in rows
        if row.element_id is not None and row.required and current.get(row.element_id) is None
    ]


def run_checks(
    conn: sqlite3.Connection, *, data_set_code: str, org_unit_code: str, period: str
) -> list[CheckResult]:
    """Every check of one return (see CheckResult for what is reported). Raises CheckError for unknown codes."""
    return evaluate_return(conn, resolve_return(conn, data_set_code, org_unit_code, period))


def explain(
    conn: sqlite3.Connection,
    *,
    data_set_code: str,
    org_unit_code: str,
    period: str,
    rule_code: str,
    text: str | None,
    user: str,
) -> OpChanges:
    """Store (or, with empty text, remove) the 审核说明 for a failed 'explain' rule of one return.

    Refused with CheckError when the rule is unknown or blocking (a blocking failure must be fixed, not
    explained; a blocking rule that cannot be read counts as 'explain'), when the user is not named, or when
    the return is no longer a draft (the explanation was signed with it).
    """
    key = resolve_return(conn, data_set_code, org_unit_code, period)
    rule = store_checks.get_check_rule(conn, key.data_set.id, rule_code)
    if rule is None:
        raise CheckError(f"报表“{key.data_set.name}”没有审核规则“{rule_code}”")
    if rule.severity == "blocking" and _readable(conn, key.data_set.id, rule.expression):
        # A broken rule is shown as 'explain' (see _relation_results), so it can be explained like one;
        # otherwise it would stand in the way of submission with no way past it.
        raise CheckError(f"规则“{rule.message}”不能以说明代替，请修改数据使其通过")
    if not user or not user.strip():
        raise CheckError("请填写说明人姓名")
    state = workflow.get_return_state(conn, key.data_set.id, key.unit.id, key.period_code)
    if state.locked:
        raise CheckError(f"报表{state.state_zh}，审核说明不能再修改；如需修改请先退回")
    cleaned = text.strip() if text else None
    with atomic(conn):
        changed = store_checks.set_explanation(
            conn,
            data_set_id=key.data_set.id,
            org_unit_id=key.unit.id,
            period=key.period_code,
            rule_code=rule.code,
            text=cleaned,
            user=user.strip(),
            at=now_text(),
        )
    return OpChanges(returns=changed)


# --- loading rules from a file ---------------------------------------------------------------------------


def check_expression(conn: sqlite3.Connection, data_set_id: int, expression: str) -> ParsedRule:
    """Parse a rule and make sure every row it reads is on the form; raise RuleSyntaxError otherwise."""
    parsed = parse_rule(expression)
    known = {r.row_code for r in elements.list_data_set_rows(conn, data_set_id) if r.element_id is not None}
    unknown = parsed.unknown_codes(known)
    if unknown:
        hint = ""
        if any(code[0] in "123456789" for code in unknown):  # row codes are written 01, 02 …
            # "02×1.25" reads 1.25 as a row code (forms number rows 1, 2 … 10): multipliers are percentages.
            hint = "（若是倍数或系数，请写成百分数，如 ×1.25 写作 ×125%，×2 写作 ×200%）"
        raise RuleSyntaxError(f"本表没有第 {'、'.join(unknown)} 行{hint}")
    return parsed


def load_check_rules(conn: sqlite3.Connection, path: Path) -> int:
    """Replace the rules of every form named in a checks file (format: db/seed/demo/checks.json).

    All-or-nothing: a bad rule anywhere raises CheckError naming the file, form and rule, and nothing is
    written. Returns the number of rules stored.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CheckError(f"无法读取审核规则文件“{path}”：{exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckError(f"审核规则文件“{Path(path).name}”不是有效的 JSON：{exc}") from exc
    forms = data.get("data_sets") if isinstance(data, dict) else None
    if not isinstance(forms, dict):
        raise CheckError(f"审核规则文件“{Path(path).name}”应有 data_sets 对象（报表代码 → 规则列表）")
    stored = 0
    with atomic(conn):
        for code, rules in forms.items():
            stored += _load_form_rules(conn, Path(path).name, code, rules)
    return stored


def _load_form_rules(conn: sqlite3.Connection, file_name: str, code: str, rules: Any) -> int:
    data_set = elements.get_data_set_by_code(conn, code)
    if data_set is None:
        raise CheckError(f"审核规则文件“{file_name}”：没有报表“{code}”")
    if not isinstance(rules, list):
        raise CheckError(f"审核规则文件“{file_name}”：报表“{code}”的规则应是列表")
    store_checks.delete_check_rules(conn, data_set.id)
    seen: set[str] = set()
    for order, rule in enumerate(rules):
        where = f"审核规则文件“{file_name}”报表“{code}”第 {order + 1} 条规则"
        if not isinstance(rule, dict):
            raise CheckError(f"{where}应是对象")
        rule_code = str(rule.get("code") or "").strip()
        if not rule_code or rule_code in seen:
            raise CheckError(f"{where}：缺少规则代码或代码重复（“{rule_code}”）")
        seen.add(rule_code)
        severity = rule.get("severity")
        if severity not in SEVERITIES:
            raise CheckError(f"{where}（{rule_code}）：severity 应为 blocking 或 explain，现在是“{severity}”")
        message = str(rule.get("message") or "").strip()
        if not message:
            raise CheckError(f"{where}（{rule_code}）：缺少提示信息 message")
        expression = str(rule.get("expression") or "")
        try:
            check_expression(conn, data_set.id, expression)
        except RuleSyntaxError as exc:
            raise CheckError(f"{where}（{rule_code}）“{expression}”：{exc.message}") from exc
        store_checks.insert_check_rule(
            conn,
            data_set_id=data_set.id,
            code=rule_code,
            expression=expression,
            message=message,
            severity=severity,
            source=rule.get("source"),
            sort_order=order,
        )
    return len(rules)


def _readable(conn: sqlite3.Connection, data_set_id: int, expression: str) -> bool:
    try:
        check_expression(conn, data_set_id, expression)
    except RuleSyntaxError:
        return False
    return True


def open_problems(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The checks still standing in the way of submission, in the order given."""
    return [r for r in results if r.open]

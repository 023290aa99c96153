"""What a cell of the entry grids looks like: its status (saved, refused, warning …), colours and number format.

Shared by the form grid and the 代报 grid so the same colour means the same thing everywhere; the legend under
each grid is built from LEGEND.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QColor

from desktop.ops.checks import CheckResult
from desktop.store.elements import DataElement
from desktop.ui.qt_setup import chinese_locale

# Cell statuses, most important first: a cell shows the first that applies.
LOCKED = "locked"
REFUSED = "refused"  # the typed value was refused and never reached the database
ERROR = "error"  # a blocking rule fails on this row
WARNING = "warning"  # an 'explain' rule fails and has no 审核说明 yet
EXPLAINED = "explained"  # an 'explain' rule fails and is explained
REQUIRED = "required"  # required and still empty
SAVED = "saved"
EMPTY = "empty"


@dataclass(frozen=True)
class Look:
    background: QColor | None
    foreground: QColor | None
    label: str  # for the legend (translated at display time)


LOOKS: dict[str, Look] = {
    SAVED: Look(QColor("#eef6ea"), None, "已保存"),
    REQUIRED: Look(QColor("#fde9cf"), None, "必填未填"),
    REFUSED: Look(QColor("#f4b9b9"), QColor("#8f1111"), "未通过（未保存）"),
    ERROR: Look(QColor("#fbd5d5"), QColor("#7a1010"), "审核错误"),
    WARNING: Look(QColor("#fff0a8"), QColor("#5c4400"), "需说明"),
    EXPLAINED: Look(QColor("#d9e8fb"), QColor("#173f73"), "已说明"),
    LOCKED: Look(QColor("#ececec"), QColor("#555555"), "已锁定"),
    EMPTY: Look(None, None, ""),
}
LEGEND = (SAVED, REQUIRED, REFUSED, ERROR, WARNING, EXPLAINED, LOCKED)
MUTED = QColor("#6b6b6b")
FOLLOW_UP = QColor("#d9480f")
COMMENT_MARK = QColor("#c92a2a")
SECTION_BACKGROUND = QColor("#f3f4f6")
TOTAL_BACKGROUND = QColor("#f3f4f6")


def tr(text: str) -> str:
    return QCoreApplication.translate("EntryCells", text)


def format_value(value: Any, element: DataElement | None, locale: QLocale | None = None) -> str:
    """A stored value as the grid shows it: 1,519 / 69.50 / 是 / 2024-03-15."""
    if value is None:
        return ""
    locale = locale or chinese_locale()
    if isinstance(value, bool) or (element is not None and element.value_type == "yesno"):
        return tr("是") if value in (1, True) else tr("否") if value in (0, False) else str(value)
    if isinstance(value, int):
        return locale.toString(value)
    if isinstance(value, float):
        decimals = element.decimals if element is not None else 2
        if element is not None and element.value_type == "integer" and value.is_integer():
            return locale.toString(int(value))
        return locale.toString(value, "f", decimals)
    return str(value)


def edit_text(value: Any, element: DataElement | None) -> str:
    """A stored value as the editor starts with it: no group separators, so it re-reads as typed."""
    if value is None:
        return ""
    if element is not None and element.value_type == "yesno":
        return format_value(value, element)
    if isinstance(value, float) and value.is_integer() and element is not None and element.decimals == 0:
        return str(int(value))
    return str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def row_statuses(checks: Iterable[CheckResult]) -> dict[str, str]:
    """The rule status of each row code from a return's checks (most serious wins)."""
    order = {ERROR: 0, WARNING: 1, EXPLAINED: 2}
    result: dict[str, str] = {}
    for check in checks:
        if check.passed or check.kind == "required":
            continue
        status = ERROR if check.severity == "blocking" else EXPLAINED if check.explanation else WARNING
        for code in check.row_codes:
            if code not in result or order[status] < order[result[code]]:
                result[code] = status
    return result


def row_messages(checks: Iterable[CheckResult]) -> dict[str, list[str]]:
    """Messages of the failed checks touching each row code, for tooltips."""
    result: dict[str, list[str]] = {}
    for check in checks:
        if check.passed or check.kind == "required":
            continue
        line = check.message + (f"\n{check.detail}" if check.detail else "")
        if check.explanation:
            line += "\n" + tr("审核说明：") + check.explanation
        for code in check.row_codes:
            result.setdefault(code, []).append(line)
    return result


def cell_status(
    *,
    locked: bool,
    refused: bool,
    rule_status: str | None,
    required: bool,
    has_value: bool,
) -> str:
    """The one status a value cell shows, by the order above."""
    if refused:
        return REFUSED
    if rule_status in (ERROR, WARNING):
        return rule_status
    if locked:
        return LOCKED
    if rule_status == EXPLAINED:
        return EXPLAINED
    if required and not has_value:
        return REQUIRED
    return SAVED if has_value else EMPTY

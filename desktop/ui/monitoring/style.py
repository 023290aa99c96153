"""Colours, labels and number formats shared by the monitoring screens (table, scorecard, chart)."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QColor

from desktop.core.target_status import STATUS_LABELS_ZH
from desktop.ops.monitoring import STATUS_COLOURS, STATUS_ORDER
from desktop.ui.qt_setup import chinese_locale

UNREADABLE_BACKGROUND = QColor("#f6c1c1")
AMBIGUOUS_BACKGROUND = QColor("#fff0b3")
MUTED_TEXT = QColor("#808080")


def tr(text: str) -> str:
    return QCoreApplication.translate("Monitoring", text)


def status_label(status: str) -> str:
    return tr(STATUS_LABELS_ZH[status])


def status_background(status: str) -> QColor:
    return QColor(STATUS_COLOURS[status][0])


def status_foreground(status: str) -> QColor:
    return QColor(STATUS_COLOURS[status][1])


def status_rank(status: str) -> int:
    """Worst first: deteriorating 0 … no data 6 (for sorting by status)."""
    return STATUS_ORDER.index(status)


def format_value(value: float | None, decimals: int = 2, locale: QLocale | None = None) -> str:
    """A value with the indicator's decimals, grouped the Chinese way (3,821.00 → 3,821.00); '—' when missing."""
    if value is None or not math.isfinite(value):
        return "—"
    return (locale or chinese_locale()).toString(float(value), "f", max(0, decimals))


def format_compact(value: float, step: float | None = None) -> str:
    """An axis number without SI prefixes: 万 and 亿 for big numbers (12.5万, 3亿), plain digits otherwise.

    step (the tick spacing) decides the decimals, so ticks 0.25 apart read 2.25, 2.5, 2.75.
    """
    if not math.isfinite(value):
        return ""
    magnitude = abs(value)
    for size, word in ((1e8, "亿"), (1e4, "万")):
        if magnitude >= size:
            return _trim(value / size, (step or magnitude) / size) + word
    return _trim(value, step or magnitude)


def _trim(value: float, step: float) -> str:
    decimals = 0 if step >= 1 or step == 0 else min(6, max(0, -math.floor(math.log10(step)) + 1))
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text

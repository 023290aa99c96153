"""Turning what a clerk typed into a value of the element's type, or refusing it with a reason.

A refused value never reaches the database; the message names the element ("床位数必须是整数") so the clerk
knows what to fix without looking anything up.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

VALUE_TYPES = ("integer", "number", "percent", "text", "date", "yesno")

_YES = {"是", "有", "Y", "YES", "TRUE", "1", "√", "✓"}
_NO = {"否", "无", "N", "NO", "FALSE", "0", "×", "✗"}
# Thousands separators as typed or pasted from Excel (1,234 or 1，234); removed before parsing.
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?:\D|$))")


class ValueRefused(ValueError):
    """The typed value cannot be stored; .message is a Chinese sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ElementRule:
    """What a value of one data element must look like (mirrors the data_element row)."""

    name: str
    value_type: str
    decimals: int = 0
    min_value: float | None = None
    max_value: float | None = None
    unit: str | None = None


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def coerce_value(raw: object, rule: ElementRule) -> object | None:
    """Return the value to store for raw (str, number or None), or raise ValueRefused.

    Empty input means "no value" and returns None. Numbers are rounded to the element's decimals so what is
    stored is what the form prints.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        # A logical cell (TRUE/FALSE in Excel) is a yes/no answer, never a count or a rate.
        if rule.value_type != "yesno":
            raise ValueRefused(f"“{rule.name}”应填数值，不能填逻辑值“{'TRUE' if raw else 'FALSE'}”")
        raw = "1" if raw else "0"
    text = _normalise(str(raw)) if not isinstance(raw, int | float) else None
    if text == "":
        return None
    if rule.value_type == "text":
        return str(raw).strip()
    if rule.value_type == "yesno":
        key = (text or str(raw)).upper()
        if key in _YES:
            return 1
        if key in _NO:
            return 0
        raise ValueRefused(f"“{rule.name}”只能填“是”或“否”，不能填“{raw}”")
    if rule.value_type == "date":
        return _coerce_date(text or str(raw), rule)
    return _coerce_number(raw, text, rule)


def _coerce_date(text: str, rule: ElementRule) -> str:
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not match:
        raise ValueRefused(f"“{rule.name}”应填日期，如 2024-03-15，不能填“{text}”")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
    except ValueError as exc:
        raise ValueRefused(f"“{rule.name}”的日期“{text}”不存在") from exc


def _coerce_number(raw: object, text: str | None, rule: ElementRule) -> float | int:
    cleaned = ""
    if text is None:
        number = float(raw)  # type: ignore[arg-type]
    else:
        cleaned = _THOUSANDS.sub("", text)
        if rule.value_type == "percent":
            cleaned = cleaned.removesuffix("%")
        if rule.unit and cleaned.endswith(rule.unit):
            cleaned = cleaned[: -len(rule.unit)].strip()
        try:
            number = float(cleaned)
        except ValueError:
            kind = "整数" if rule.value_type == "integer" else "数字"
            raise ValueRefused(f"“{rule.name}”必须是{kind}，不能填“{text}”") from None
    if not math.isfinite(number):
        raise ValueRefused(f"“{rule.name}”必须是有限的数字")
    if abs(number) >= 1e15:
        # No county count or rate comes near this; it is a slip of the keyboard (or a pasted ID number).
        raise ValueRefused(f"“{rule.name}”的数值过大（{text if text is not None else raw}），请检查是否输错")
    if rule.value_type == "integer":
        if number != int(number):
            raise ValueRefused(f"“{rule.name}”必须是整数，不能填“{text if text is not None else raw}”")
        value: float | int = int(number)
    else:
        # 四舍五入 on the decimal text, as statisticians do: float rounding would make 61.385 → 61.38.
        exact = Decimal(cleaned if text is not None else repr(number))
        value = float(exact.quantize(Decimal(1).scaleb(-rule.decimals), rounding=ROUND_HALF_UP))
    if rule.min_value is not None and value < rule.min_value:
        raise ValueRefused(f"“{rule.name}”不能小于 {_fmt(rule.min_value)}（填的是 {_fmt(value)}）")
    if rule.max_value is not None and value > rule.max_value:
        raise ValueRefused(f"“{rule.name}”不能大于 {_fmt(rule.max_value)}（填的是 {_fmt(value)}）")
    return value


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"

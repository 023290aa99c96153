"""The words of a status reason: numbers with units (万/亿, ‰, /10万), changes per year, the closing notes.

Kept apart from target_status's rules so the rules read as rules; every sentence the statuses give is built
from these pieces, so the monitoring table, the scorecard and the command line word things the same way.
"""

from __future__ import annotations

import unicodedata

# Hedges as plans write them; a reading keeps only a flag, so the word is found again in the raw text.
HEDGE_WORDS = ("力争", "争取", "基本")


def format_number(x: float) -> str:
    """Up to two decimals (three below 0.1) without trailing zeros or float noise: 18.369000000000003 → 18.37."""
    digits = 2 if abs(x) >= 0.1 else 3
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def format_quantity(x: float, unit: str = "") -> str:
    """A number with its unit: 3.3‰, 25%, 5.5/10万, 2.61 人; millions and more in 万/亿: 25.17亿元, 123.46万人次."""
    # Nobody reads "2516904576 元" at a glance; Chinese statistics write it 25.17亿元 (never with SI prefixes).
    if abs(x) >= 1e6:  # plain comparisons: this runs for every cell of a scorecard
        return (format_number(x / 1e8) + "亿" if abs(x) >= 1e8 else format_number(x / 1e4) + "万") + unit
    number = format_number(x)
    if not unit:
        return number
    if unit in ("%", "％", "‰"):
        return number + unit
    if unit.startswith("1/"):  # 孕产妇死亡率 1/10万 reads 5.5/10万
        return number + unit[1:]
    return f"{number} {unit}"


def change_phrase(change: float, mode: str, unit: str) -> str:
    """'年均增长 1.9%', '年均降低 1 个百分点', '年均增加 0.02 人'."""
    if abs(change) < 1e-12:
        return "年均持平"
    if mode == "percent":
        return f"年均{'增长' if change > 0 else '下降'} {format_number(abs(change))}%"
    if unit in ("%", "％"):
        return f"年均{'提高' if change > 0 else '降低'} {format_number(abs(change))} 个百分点"
    return f"年均{'增加' if change > 0 else '减少'} {format_quantity(abs(change), unit)}"


def hedge_word(target: object) -> str:
    """The hedge as written (力争, 争取, 基本); TargetReading only keeps a flag, the raw text keeps the word."""
    hedge = getattr(target, "hedge", None)
    if isinstance(hedge, str) and hedge.strip():
        return hedge.strip()
    if not hedge:
        return ""
    raw = unicodedata.normalize("NFKC", str(getattr(target, "raw", "")))
    return next((word for word in HEDGE_WORDS if word in raw), "力争")


def finish_reason(target: object | None, basis: str, body: str) -> str:
    """Basis clause + body + notes about the target's wording, as one sentence."""
    text = f"{basis}；{body}" if basis else body
    if target is not None:
        word = hedge_word(target)
        if word:
            text += f"（规划表述为“{word}”）"
        if getattr(target, "ambiguous", False):
            text += "（目标写法有歧义，请核对）"
    return text + "。"


def change_word(value: float, unit: str, points: bool) -> str:
    """'降低 10%' (relative), '提高 6 个百分点', '提高 1 岁' (absolute)."""
    verb = "提高" if value > 0 else "降低"
    if not points:
        return f"{verb} {format_number(abs(value))}%"
    if unit in ("%", "％"):
        return f"{verb} {format_number(abs(value))} 个百分点"
    return f"{verb} {format_quantity(abs(value), unit)}"

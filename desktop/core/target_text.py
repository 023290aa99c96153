"""Spelling of target and baseline cells: NFKC plus the few signs NFKC leaves alone, and how numbers are found.

Shared by the target and baseline readers in targets.py. Standard library only (core layer).
"""

from __future__ import annotations

import math
import re
import unicodedata

from desktop.core import target_words as words

# Longer texts are prose, not table cells; refusing them keeps the regular expressions cheap.
MAX_LENGTH = 300
INTERNAL_ERROR_NOTE = "解析出错（程序内部错误），请人工核对"

# ASCII digits only: \d would also accept Arabic-Indic and other digits that NFKC does not fold.
NUM = r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
# A unit may carry digits only as a denominator or ratio ("/10万", ":100"); any other digit means a second number.
TAIL = r"(?:/[0-9]+|:[0-9]+|[^0-9])*"
YEAR = r"(?:19|20)[0-9]{2}"

DASH_TABLE = str.maketrans(
    {**dict.fromkeys(words.DASHES, "-"), **dict.fromkeys(words.WAVE_DASHES, "~")}
    | {"≦": "≤", "≧": "≥", "≯": "≤", "≮": "≥", "﹤": "<", "﹥": ">"}
)


def alternation(items) -> str:
    """A regex alternation trying longer words first, so 降低 wins over 降."""
    return "|".join(re.escape(w) for w in sorted(set(items), key=len, reverse=True))


_SUFFIX_RE = re.compile(alternation(words.SUFFIX_WORDS))


def format_number(raw_number_text: str) -> str:
    """Display form of a number as written: half-width digits, trailing zeros kept (`９２．００` → `92.00`).

    Text that is not a plain number comes back NFKC-normalised and stripped, never raising.
    """
    text = unicodedata.normalize("NFKC", str(raw_number_text)).translate(DASH_TABLE).strip().lstrip("+")
    text = re.sub(r"\s+", "", text)
    if re.fullmatch(rf"-?{NUM}", text):
        return "0" + text if text.startswith(".") else text.replace("-.", "-0.")
    return text


def clean(nfkc: str) -> str:
    """Canonical spelling of NFKC text: one dash, one ≤/≥, no thousands commas, spaces only between numbers."""
    text = nfkc.translate(DASH_TABLE)
    for old, new in (("<=", "≤"), (">=", "≥"), ("=<", "≤"), ("=>", "≥")):
        text = text.replace(old, new)
    text = re.sub(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    # A space between two numbers separates two values ("41.37 34.40"); anywhere else it is layout.
    text = re.sub(r"(?<![0-9]) | (?![0-9])", "", text)
    return text.rstrip("。;,、.").lstrip("。;,、")


def is_blank(text: str) -> bool:
    """Only punctuation, symbols and spaces (`——`, `-`, `/`, `%`) or a "no target" word."""
    if text.lower() in words.NONE_WORDS:
        return True
    return all(unicodedata.category(ch)[0] in "PZSC" for ch in text)


def split_tail(tail: str) -> tuple[str | None, str, str, str]:
    """Split the text after a number into (suffix kind, suffix word, unit, trailing text)."""
    m = _SUFFIX_RE.search(tail)
    if m is None:
        return None, "", tail, ""
    return words.SUFFIX_WORDS[m.group()], m.group(), tail[: m.start()], tail[m.end() :]


def to_number(text: str, negative: bool = False) -> float | None:
    """The float of a matched number, or None when it is too large to be a real figure."""
    value = float(text)
    if not math.isfinite(value) or value > 1e15:
        return None
    return -value if negative else value

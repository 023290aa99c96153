"""Indicator formulas over data-element codes: `DOC_PRACT + DOC_ASSIST`, `(A + B) - C`, `POP_RESIDENT / 1000`.

An indicator is numerator / denominator × factor, each side a `Formula`. Parsing is a small recursive-descent
parser (never eval): element codes [A-Z][A-Z0-9_]*, numbers, + - * /, parentheses and unary signs. Full-width
characters typed by a Chinese IME (`（Ａ＋Ｂ）`) and × ÷ are accepted; errors are `FormulaError` with a Chinese
message naming the character position.

Missing data stays missing: a formula needing a code that has no value evaluates to None, never to a made-up
zero. Roll-ups sum each element across the units that reported everything and recompute the rate, because the
mean of township rates is not the county rate.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

# Nesting deeper than this is not a formula anyone writes; refusing it keeps recursion far from Python's limit.
MAX_DEPTH = 50

# Numbers are taken greedily ("1.2.3" is one bad number, not "1.2" then ".3") and checked against _NUMBER.
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_TOKEN = re.compile(r"(?:(?P<num>[0-9.]+)|(?P<code>[A-Z][A-Z0-9_]*)|(?P<op>[-+*/()]))")
_EXTRA = {"×": "*", "÷": "/", "−": "-"}


class FormulaError(ValueError):
    """A formula that cannot be read; .message is Chinese, .position the 0-based character index."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


# The tree: ("num", value) | ("code", name) | ("neg", node) | ("sum", [(sign, node), ...]) |
# ("product", [(op, node), ...]). Sums and products are flat lists, so "A+A+…+A" never nests deeply.
_Node = tuple


def _normalise(text: str) -> str:
    """NFKC per character when it stays one character, so error positions still point into the user's text."""
    out = []
    for ch in text:
        ch = _EXTRA.get(ch, ch)
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def _describe(text: str, position: int, problem: str) -> FormulaError:
    where = f"第 {position + 1} 个字符处" if position < len(text) else "末尾"
    return FormulaError(f"公式“{text}”{where}{problem}", position)


class _Parser:
    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.tokens: list[tuple[str, str, int]] = []
        text = _normalise(raw)
        pos = 0
        while pos < len(text):
            if text[pos].isspace():
                pos += 1
                continue
            match = _TOKEN.match(text, pos)
            if not match:
                ch = raw[pos]
                problem = (
                    f"代码须为大写字母开头（“{ch}”）"
                    if ch.isalpha() and ch.isascii()
                    else f"有无法识别的字符“{ch}”"
                )
                raise _describe(raw, pos, problem)
            kind = match.lastgroup or ""
            start = match.start(kind)
            if kind == "num" and not _NUMBER.fullmatch(match.group(kind)):
                raise _describe(raw, start, f"数字写法有误（“{raw[start : match.end()]}”）")
            self.tokens.append((kind, match.group(kind), start))
            pos = match.end()
        self.index = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def position(self) -> int:
        token = self.peek()
        return token[2] if token else len(self.raw)

    def take(self, *ops: str) -> str | None:
        token = self.peek()
        if token and token[0] == "op" and token[1] in ops:
            self.index += 1
            return token[1]
        return None

    def parse(self) -> _Node:
        if not self.tokens:
            raise FormulaError("公式为空", 0)
        node = self.expression(0)
        leftover = self.peek()
        if leftover is not None:
            text = leftover[1]
            problem = "多了一个“)”" if text == ")" else f"缺少运算符（“{text}”前）"
            raise _describe(self.raw, self.position(), problem)
        return node

    def expression(self, depth: int) -> _Node:
        terms = [("+", self.term(depth))]
        while (op := self.take("+", "-")) is not None:
            terms.append((op, self.term(depth)))
        return terms[0][1] if len(terms) == 1 else ("sum", terms)

    def term(self, depth: int) -> _Node:
        factors = [("*", self.factor(depth))]
        while (op := self.take("*", "/")) is not None:
            factors.append((op, self.factor(depth)))
        return factors[0][1] if len(factors) == 1 else ("product", factors)

    def factor(self, depth: int) -> _Node:
        if depth > MAX_DEPTH:
            raise _describe(self.raw, self.position(), f"嵌套超过 {MAX_DEPTH} 层")
        if self.take("-") is not None:
            return ("neg", self.factor(depth + 1))
        if self.take("+") is not None:
            return self.factor(depth + 1)
        token = self.peek()
        if token is None:
            raise _describe(self.raw, len(self.raw), "缺少运算数")
        kind, text, pos = token
        if kind == "num":
            self.index += 1
            return ("num", float(text))
        if kind == "code":
            self.index += 1
            return ("code", text)
        if self.take("(") is not None:
            node = self.expression(depth + 1)
            if self.take(")") is None:
                raise _describe(self.raw, self.position(), f"缺少与第 {pos + 1} 个字符“(”配对的“)”")
            return node
        raise _describe(self.raw, pos, f"缺少运算数（“{text}”前）")


def _codes(node: _Node) -> set[str]:
    kind = node[0]
    if kind == "code":
        return {node[1]}
    if kind == "neg":
        return _codes(node[1])
    if kind in ("sum", "product"):
        return set().union(*(_codes(child) for _, child in node[1]))
    return set()


def _evaluate(node: _Node, values: Mapping[str, float | None]) -> float | None:
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "code":
        value = values.get(node[1])
        if value is None or isinstance(value, bool):
            return None
        number = float(value)
        return number if math.isfinite(number) else None
    if kind == "neg":
        inner = _evaluate(node[1], values)
        return None if inner is None else -inner
    result = 0.0 if kind == "sum" else 1.0
    for op, child in node[1]:
        value = _evaluate(child, values)
        if value is None:
            return None
        if op == "+":
            result += value
        elif op == "-":
            result -= value
        elif op == "*":
            result *= value
        elif value == 0:  # a zero divisor inside a formula has no value, like a missing element
            return None
        else:
            result /= value
    return result


@dataclass(frozen=True)
class Formula:
    """A parsed formula; build it with Formula.parse(text). text is kept as typed, for display."""

    text: str
    _tree: _Node = field(repr=False, compare=False)
    codes: frozenset[str] = field(default=frozenset(), compare=False)

    @classmethod
    def parse(cls, text: str) -> Formula:
        """Parse text or raise FormulaError (a ValueError) whose message names the position."""
        if not isinstance(text, str):
            raise FormulaError("公式必须是文字", 0)
        tree = _Parser(text).parse()
        return cls(text=text, _tree=tree, codes=frozenset(_codes(tree)))

    def evaluate(self, values: Mapping[str, float | None]) -> float | None:
        """The value for these element values; None if a code is missing (or None/NaN), a divisor is 0 or the
        result is not finite."""
        result = _evaluate(self._tree, values)
        return result if result is not None and math.isfinite(result) else None

    def __str__(self) -> str:
        return self.text


def compute_indicator(
    numerator: Formula,
    denominator: Formula | None,
    factor: float,
    values: Mapping[str, float | None],
) -> float | None:
    """numerator / denominator × factor (numerator × factor without a denominator); None when either side is
    missing or the denominator is 0, so an empty return never shows as a 0 % rate."""
    top = numerator.evaluate(values)
    if top is None:
        return None
    if denominator is None:
        result = top * factor
    else:
        bottom = denominator.evaluate(values)
        if bottom is None or bottom == 0:
            return None
        result = top / bottom * factor
    return result if math.isfinite(result) else None


@dataclass(frozen=True)
class RollupResult:
    """A rate recomputed from summed elements. reported_units counts the units with every needed code."""

    value: float | None
    reported_units: int
    total_units: int
    sums: Mapping[str, float] = field(default_factory=dict)
    missing_units: tuple[Hashable, ...] = ()

    @property
    def is_partial(self) -> bool:
        return self.reported_units < self.total_units

    @property
    def coverage_zh(self) -> str:
        """'12 个单位中 10 个已报' — shown beside a partial roll-up so nobody mistakes it for the whole county."""
        return f"{self.total_units} 个单位中 {self.reported_units} 个已报"


def rollup(
    values_by_unit: Mapping[Hashable, Mapping[str, float | None]],
    numerator: Formula,
    denominator: Formula | None,
    factor: float,
) -> RollupResult:
    """Sum each element code over the units that reported all codes either formula needs, then compute the rate.

    Never averages rates: townships 45/50 and 10/100 give 55/150 = 36.67 %, not (90 % + 10 %) / 2 = 50 %.
    A unit missing any needed code is left out entirely (numerator and denominator), so the rate compares like
    with like; RollupResult says how many units are in it.
    """
    needed = numerator.codes | (denominator.codes if denominator is not None else frozenset())
    sums = dict.fromkeys(sorted(needed), 0.0)
    reported = 0
    missing: list[Hashable] = []
    for unit, values in values_by_unit.items():
        numbers = {}
        for code in needed:
            value = values.get(code)
            if value is None or isinstance(value, bool) or not math.isfinite(float(value)):
                break
            numbers[code] = float(value)
        else:
            reported += 1
            for code, number in numbers.items():
                sums[code] += number
            continue
        missing.append(unit)
    value = compute_indicator(numerator, denominator, factor, sums) if reported else None
    return RollupResult(
        value=value,
        reported_units=reported,
        total_units=len(values_by_unit),
        sums=sums if reported else {},
        missing_units=tuple(missing),
    )

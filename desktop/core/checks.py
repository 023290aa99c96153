"""Logic checks written with a form's row codes, as the forms' 说明 print them: ``01>02+03+04``, ``04≥05``.

A rule states what must hold. When it does not, the check fails; whether that blocks submission or asks for a
written 审核说明 is the rule's severity, which is data (check_rule.severity), not part of the notation.

The notation (also in docs/checks.md, for the statisticians who write rules):

- **Row codes** stand for this period's value of that row: ``01``, ``03.1``, ``A1``, ``B2.1``. They may be
  put in brackets for clarity: ``[01]``, ``【01】``. An empty cell counts as 0, except that a rule none of
  whose rows has been filled yet is skipped (nothing to check).
- **Numbers** are written as percentages (``50%``, ``150%``) or as ``0`` / ``0.x``: every other bare number
  is a row code (forms print 10, 11 … as row codes, so ``10`` cannot mean ten).
- **Arithmetic**: ``+ - × ÷`` (or ``* /``), parentheses, ``|x|`` or ``abs(x)`` / ``绝对值(x)``.
- **Comparisons**: ``> < = ≥ ≤ ≠`` and their variants ``>= <= == != ≧ ≦ ＞ ＜ ＝ ≮ ≯``; chains such as
  ``01 ≥ 02 ≥ 03`` mean both comparisons hold.
- **Other periods**: ``上期(x)`` / ``prev(x)`` is x in the previous period, ``上年同期(x)`` / ``lastyear(x)`` in
  the same period of last year. ``变化率(x)`` / ``change(x)`` is (x − 上期x) ÷ 上期x and ``同比(x)`` / ``yoy(x)``
  is (x − 上年同期x) ÷ 上年同期x, so ``|change(02)| ≤ 30%`` says "实有床位 changes by at most 30 %".
  A rule that needs another period is skipped when that period has no value (or a zero base).
- **Conditions**: ``02>0 → 03>0`` (also ``->``, ``=>``, ``⇒``, or ``若02>0则03>0``): checked only when the
  condition holds.

Standard library only (this is the ``core`` layer); the evaluator gets values through a lookup function.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "COMPARISONS",
    "SEVERITIES",
    "SEVERITY_NAMES_ZH",
    "Outcome",
    "ParsedRule",
    "RuleSyntaxError",
    "evaluate_rule",
    "parse_rule",
]

SEVERITIES: tuple[str, ...] = ("blocking", "explain")
SEVERITY_NAMES_ZH = {"blocking": "不得提交", "explain": "需说明"}

# Which period a value is taken from: this one, the previous one, or the same period one year earlier.
CURRENT, PREVIOUS, LAST_YEAR = "current", "previous", "last_year"

MAX_RULE_LENGTH = 500
MAX_DEPTH = 40  # nesting of parentheses/functions; deeper than any real rule, shallow enough for recursion

COMPARISONS = {
    ">": ">",
    "<": "<",
    ">=": "≥",
    "<=": "≤",
    "==": "=",
    "=": "=",
    "!=": "≠",
    "<>": "≠",
    "≥": "≥",
    "≤": "≤",
    "≧": "≥",
    "≦": "≤",
    "≮": "≥",
    "≯": "≤",
    "≠": "≠",
}
_ARROWS = ("->", "=>", "→", "⇒")
_FUNCTIONS = {
    "上年同期": "lastyear",
    "上期": "prev",
    "变化率": "change",
    "变化": "change",
    "同比": "yoy",
    "绝对值": "abs",
    "prev": "prev",
    "lastyear": "lastyear",
    "change": "change",
    "yoy": "yoy",
    "abs": "abs",
}
_FUNCTION_NAMES_ZH = {
    "prev": "上期",
    "lastyear": "上年同期",
    "change": "变化率",
    "yoy": "同比",
    "abs": "绝对值",
}
_CHAR_MAP = str.maketrans(
    {"−": "-", "–": "-", "【": "[", "】": "]", "〔": "[", "〕": "]", "·": "×", "∙": "×", "⋅": "×"}
)
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<zhfn>上年同期|上期|变化率|变化|同比|绝对值)
  | (?P<code>[A-Za-z]*\d+(?:\.\d+)*(?:\s*%)?)
  | (?P<name>[A-Za-z_]+)
  | (?P<cmp>>=|<=|==|!=|<>|=>|->|[<>=≥≤≧≦≮≯≠→⇒])
  | (?P<op>[-+*/×÷])
  | (?P<punct>[()\[\]|,，])
  | (?P<zh>若|如果|则|那么)
    """,
    re.VERBOSE,
)
_PERCENT = re.compile(r"\d+(?:\.\d+)?%")
_ZERO = re.compile(r"0(?:\.\d+)?")
_ROW_CODE = re.compile(r"[A-Z]*\d+(?:\.\d+)*")


class RuleSyntaxError(ValueError):
    """A rule that cannot be read; .message is a Chinese sentence naming the place, .position an offset."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


# --- syntax tree ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    start: int
    end: int


@dataclass(frozen=True)
class _Num(_Node):
    value: float
    percent: bool


@dataclass(frozen=True)
class _Row(_Node):
    code: str


@dataclass(frozen=True)
class _Neg(_Node):
    operand: _Node


@dataclass(frozen=True)
class _Bin(_Node):
    op: str  # + - × ÷
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _Func(_Node):
    name: str  # prev lastyear change yoy abs
    arg: _Node


@dataclass(frozen=True)
class _Compare(_Node):
    operands: tuple[_Node, ...]
    ops: tuple[str, ...]  # canonical: > < ≥ ≤ = ≠


@dataclass(frozen=True)
class ParsedRule:
    """A rule read from its text: an optional condition and the comparison that must hold."""

    text: str  # as written
    normalised: str  # what the parser read (NFKC, full-width signs folded); spans index into this
    condition: _Compare | None
    body: _Compare
    row_codes: tuple[str, ...]  # every row the rule reads, in order of first appearance
    uses_previous: bool
    uses_last_year: bool

    def source(self, node: _Node) -> str:
        """The rule text of one node, for messages ("03.1+03.2 = 130")."""
        return self.normalised[node.start : node.end].strip()

    def unknown_codes(self, known: set[str] | frozenset[str]) -> list[str]:
        """Row codes the rule reads that are not in `known` (the form's row codes)."""
        return [c for c in self.row_codes if c not in known]


# --- tokens --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # code num name cmp arrow op punct if then end
    text: str
    start: int
    end: int
    value: float = 0.0


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)


def _tokens(text: str) -> list[_Token]:
    result: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise RuleSyntaxError(f"第 {pos + 1} 个字符“{text[pos]}”不能出现在审核公式里", pos)
        kind = m.lastgroup or ""
        word = m.group()
        start, pos = m.start(), m.end()
        if kind == "ws":
            continue
        if kind == "code":
            result.append(_classify_number(word, start))
        elif kind == "zhfn":
            result.append(_Token("name", _FUNCTIONS[word], start, pos))
        elif kind == "name":
            fn = _FUNCTIONS.get(word.lower())
            if fn is None:
                raise RuleSyntaxError(f"不认识“{word}”：函数只有 上期、上年同期、变化率、同比、绝对值", start)
            result.append(_Token("name", fn, start, pos))
        elif kind == "cmp":
            result.append(_Token("arrow" if word in _ARROWS else "cmp", word, start, pos))
        elif kind == "zh":
            result.append(_Token("if" if word in ("若", "如果") else "then", word, start, pos))
        else:
            result.append(_Token(kind, word, start, pos))
    result.append(_Token("end", "", len(text), len(text)))
    return result


def _classify_number(word: str, start: int) -> _Token:
    end = start + len(word)
    upper = "".join(word.split()).upper()  # "125 %" is 125%
    if upper.endswith("%"):
        if not _PERCENT.fullmatch(upper):
            raise RuleSyntaxError(f"“{word}”不是百分数：应写作 50% 或 12.5%", start)
        return _Token("num", word, start, end, float(upper[:-1]) / 100)
    if _ZERO.fullmatch(upper):
        return _Token("num", word, start, end, float(upper))
    if not _ROW_CODE.fullmatch(upper):
        raise RuleSyntaxError(f"“{word}”不是行代码：应写作 01、01.1、A1 这样的形式", start)
    return _Token("code", upper, start, end)


# --- parser --------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0
        self.depth = 0
        self.codes: dict[str, None] = {}
        self.previous = False
        self.last_year = False

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def fail(self, what: str, token: _Token | None = None) -> RuleSyntaxError:
        token = token or self.tok
        if token.kind == "end":
            return RuleSyntaxError(f"公式不完整：结尾处{what}", token.start)
        return RuleSyntaxError(f"第 {token.start + 1} 个字符“{token.text}”处{what}", token.start)

    def rule(self) -> tuple[_Compare | None, _Compare]:
        leading_if = self.tok.kind == "if"
        if leading_if:
            self.take()
        first = self.comparison()
        if self.tok.kind == "punct" and self.tok.text in (",", "，"):
            self.take()
        if self.tok.kind in ("arrow", "then"):
            self.take()
            body = self.comparison()
            condition: _Compare | None = first
        elif leading_if:
            raise self.fail("缺少“则”：应写作 若01>0则02>0")
        else:
            condition, body = None, first
        if self.tok.kind != "end":
            raise self.fail("多出了内容")
        return condition, body

    def comparison(self) -> _Compare:
        start = self.tok.start
        operands = [self.expr()]
        ops: list[str] = []
        while self.tok.kind == "cmp":
            ops.append(COMPARISONS[self.take().text])
            operands.append(self.expr())
        if not ops:
            raise self.fail("缺少比较符号（如 ≥、＞、=）")
        return _Compare(start, operands[-1].end, tuple(operands), tuple(ops))

    def expr(self) -> _Node:
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op = self.take().text
            right = self.term()
            node = _Bin(node.start, right.end, op, node, right)
        return node

    def term(self) -> _Node:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in "*/×÷":
            op = "×" if self.take().text in "*×" else "÷"
            right = self.unary()
            node = _Bin(node.start, right.end, op, node, right)
        return node

    def unary(self) -> _Node:
        if self.tok.kind == "op" and self.tok.text in "+-":
            sign = self.take()
            operand = self.nested(self.unary)
            return operand if sign.text == "+" else _Neg(sign.start, operand.end, operand)
        return self.atom()

    def nested(self, parse: Callable[[], _Node]) -> _Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail("嵌套过深")
        try:
            return parse()
        finally:
            self.depth -= 1

    def atom(self) -> _Node:
        tok = self.tok
        if tok.kind == "num":
            self.take()
            return _Num(tok.start, tok.end, tok.value, tok.text.endswith("%"))
        if tok.kind == "code":
            self.take()
            self.codes.setdefault(tok.text)
            return _Row(tok.start, tok.end, tok.text)
        if tok.kind == "punct" and tok.text == "[":
            self.take()
            code = self.take()
            if code.kind != "code" and not (code.kind == "num" and not code.text.endswith("%")):
                raise self.fail("方括号里应是行代码", code)
            self.expect("]", "缺少“]”")
            self.codes.setdefault(code.text.upper())
            return _Row(tok.start, self.tokens[self.i - 1].end, code.text.upper())
        if tok.kind == "punct" and tok.text == "(":
            self.take()
            inner = self.nested(self.expr)
            self.expect(")", "缺少“)”")
            return inner
        if tok.kind == "punct" and tok.text == "|":
            self.take()
            inner = self.nested(self.expr)
            end = self.expect("|", "缺少与之配对的“|”")
            return _Func(tok.start, end.end, "abs", inner)
        if tok.kind == "name":
            self.take()
            self.expect("(", f"“{_FUNCTION_NAMES_ZH[tok.text]}”后面应有括号")
            if tok.text in ("prev", "lastyear", "change", "yoy"):
                self.previous |= tok.text in ("prev", "change")
                self.last_year |= tok.text in ("lastyear", "yoy")
            inner = self.nested(self.expr)
            end = self.expect(")", "缺少“)”")
            return _Func(tok.start, end.end, tok.text, inner)
        raise self.fail("应是行代码、数字或括号")

    def expect(self, text: str, message: str) -> _Token:
        if self.tok.kind == "punct" and self.tok.text == text:
            return self.take()
        raise self.fail(message)


def _check_periods(node: _Node, shifted: bool = False) -> None:
    """Another period inside another period (上期(上期(01))) is not supported: refuse it when parsing."""
    if isinstance(node, _Func):
        inner_shift = node.name in ("prev", "lastyear", "change", "yoy")
        if inner_shift and shifted:
            raise RuleSyntaxError(
                f"“{_FUNCTION_NAMES_ZH[node.name]}(…)”不能写在另一个上期/同比函数里面", node.start
            )
        _check_periods(node.arg, shifted or inner_shift)
    elif isinstance(node, _Neg):
        _check_periods(node.operand, shifted)
    elif isinstance(node, _Bin):
        _check_periods(node.left, shifted)
        _check_periods(node.right, shifted)
    elif isinstance(node, _Compare):
        for operand in node.operands:
            _check_periods(operand, shifted)


def parse_rule(text: str) -> ParsedRule:
    """Read a rule (see the module docstring for the notation); raise RuleSyntaxError with a Chinese message."""
    if not isinstance(text, str):
        raise RuleSyntaxError("审核公式应为文字")
    if not text.strip():
        raise RuleSyntaxError("审核公式为空")
    if len(text) > MAX_RULE_LENGTH:
        raise RuleSyntaxError(f"审核公式过长（{len(text)} 个字符，最多 {MAX_RULE_LENGTH} 个）")
    normalised = _normalise(text)
    parser = _Parser(normalised)
    condition, body = parser.rule()
    for part in (condition, body):
        if part is not None:
            _check_periods(part)
    if not parser.codes:
        raise RuleSyntaxError("审核公式里没有行代码，无从审核")
    return ParsedRule(
        text=text,
        normalised=normalised,
        condition=condition,
        body=body,
        row_codes=tuple(parser.codes),
        uses_previous=parser.previous,
        uses_last_year=parser.last_year,
    )


# --- evaluation ----------------------------------------------------------------------------------------

Lookup = Callable[[str, str], "float | None"]


@dataclass(frozen=True)
class Outcome:
    """How a rule came out: 'pass', 'fail' or 'skip' (not applicable), with a sentence saying why."""

    status: str
    detail: str = ""
    values: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status != "fail"


class _Skip(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_SHIFT_OF = {"prev": PREVIOUS, "lastyear": LAST_YEAR}
_SHIFT_NAMES_ZH = {PREVIOUS: "上期", LAST_YEAR: "上年同期"}


class _Evaluator:
    def __init__(self, rule: ParsedRule, lookup: Lookup) -> None:
        self.rule = rule
        self.lookup = lookup

    def value(self, node: _Node, shift: str = CURRENT) -> float:
        if isinstance(node, _Num):
            return node.value
        if isinstance(node, _Row):
            found = self.lookup(node.code, shift)
            if found is None:
                if shift != CURRENT:
                    raise _Skip(f"{_SHIFT_NAMES_ZH[shift]}没有 {node.code} 行的数据")
                return 0.0  # an empty row of this period counts as 0 (see module docstring)
            return float(found)
        if isinstance(node, _Neg):
            return -self.value(node.operand, shift)
        if isinstance(node, _Bin):
            left, right = self.value(node.left, shift), self.value(node.right, shift)
            if node.op == "+":
                return left + right
            if node.op == "-":
                return left - right
            if node.op == "×":
                return left * right
            if right == 0:
                raise _Skip(f"“{self.rule.source(node.right)}”为 0，不能作除数")
            return left / right
        if isinstance(node, _Func):
            if node.name == "abs":
                return abs(self.value(node.arg, shift))
            if node.name in _SHIFT_OF:
                return self.value(node.arg, _SHIFT_OF[node.name])
            base_shift = PREVIOUS if node.name == "change" else LAST_YEAR
            base = self.value(node.arg, base_shift)
            if base == 0:
                raise _Skip(
                    f"{_SHIFT_NAMES_ZH[base_shift]}“{self.rule.source(node.arg)}”为 0，无法计算变化率"
                )
            return (self.value(node.arg, shift) - base) / abs(base)
        raise TypeError(node)  # pragma: no cover - the parser makes no other nodes

    def compare(self, node: _Compare) -> tuple[bool, str, dict[str, float]]:
        values = [self.value(op) for op in node.operands]
        shown = {self.rule.source(op): v for op, v in zip(node.operands, values, strict=True)}
        for i, op in enumerate(node.ops):
            left, right = values[i], values[i + 1]
            if not _holds(left, op, right):
                return False, self.describe(node.operands[i], op, node.operands[i + 1], left, right), shown
        return True, "", shown

    def describe(self, a: _Node, op: str, b: _Node, left: float, right: float) -> str:
        """Numbers of a failed comparison: "03 = 120，03.1+03.2 = 130" or "change(02) = 36.0%（应 ≤ 30%）"."""
        sides = [f"{self.rule.source(n)} = {_fmt(v, _is_ratio(n))}" for n, v in ((a, left), (b, right))]
        if isinstance(b, _Num):
            return f"{sides[0]}（应 {op} {self.rule.source(b)}）"
        if isinstance(a, _Num):
            return f"{sides[1]}（应 {_MIRROR[op]} {self.rule.source(a)}）"
        return "，".join(sides)


_MIRROR = {">": "<", "<": ">", "≥": "≤", "≤": "≥", "=": "=", "≠": "≠"}


def _holds(left: float, op: str, right: float) -> bool:
    # Sums of integers are exact; rates and percentages are not, so equality gets a relative tolerance.
    tolerance = 1e-9 * max(1.0, abs(left), abs(right))
    if op == "=":
        return abs(left - right) <= tolerance
    if op == "≠":
        return abs(left - right) > tolerance
    if op == ">":
        return left > right + tolerance
    if op == "<":
        return left < right - tolerance
    if op == "≥":
        return left >= right - tolerance
    return left <= right + tolerance  # ≤


def _is_ratio(node: _Node) -> bool:
    if isinstance(node, _Num):
        return node.percent
    if isinstance(node, _Func):
        return node.name in ("change", "yoy") or (node.name == "abs" and _is_ratio(node.arg))
    if isinstance(node, _Neg):
        return _is_ratio(node.operand)
    if isinstance(node, _Bin) and node.op in "+-":
        return _is_ratio(node.left) or _is_ratio(node.right)
    return False


def _fmt(value: float, ratio: bool = False) -> str:
    if not math.isfinite(value):
        return str(value)
    if ratio:
        return f"{value * 100:.1f}%"
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _current_codes(node: _Node, shifted: bool = False) -> list[str]:
    """Row codes read in the current period (change(x) reads x now as well as before)."""
    if isinstance(node, _Row):
        return [] if shifted else [node.code]
    if isinstance(node, _Func):
        return _current_codes(node.arg, shifted or node.name in _SHIFT_OF)
    if isinstance(node, _Neg):
        return _current_codes(node.operand, shifted)
    if isinstance(node, _Bin):
        return _current_codes(node.left, shifted) + _current_codes(node.right, shifted)
    if isinstance(node, _Compare):
        return [c for op in node.operands for c in _current_codes(op, shifted)]
    return []


def evaluate_rule(rule: ParsedRule, lookup: Lookup) -> Outcome:
    """Check a rule against values given by ``lookup(row_code, period)`` (period: current/previous/last_year).

    ``lookup`` returns a number or None for an empty cell. Never raises for any values: a rule that cannot be
    applied (nothing filled yet, no previous period, a zero divisor, a condition that does not hold) is
    'skip', with the reason in ``detail``.
    """
    ev = _Evaluator(rule, lookup)
    current = _current_codes(rule.body) + (_current_codes(rule.condition) if rule.condition else [])
    if current and all(lookup(code, CURRENT) is None for code in current):
        return Outcome("skip", "相关各行都还没有填")
    try:
        if rule.condition is not None:
            holds, _detail, _shown = ev.compare(rule.condition)
            if not holds:
                return Outcome("skip", f"条件“{rule.source(rule.condition)}”不成立，无需审核")
        ok, detail, shown = ev.compare(rule.body)
    except _Skip as skip:
        return Outcome("skip", skip.reason)
    except (OverflowError, ZeroDivisionError) as exc:  # absurd magnitudes; never a real return's values
        return Outcome("skip", f"数值无法计算（{exc}）")
    return Outcome("pass" if ok else "fail", detail, shown)

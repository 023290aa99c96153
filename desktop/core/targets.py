"""Read the target notations written in plan indicator tables (`≦4`, `81左右`, `比2015年降低10`, `持续提高`, `——`).

The program keeps the raw cell text for display and export and evaluates the parsed rule, so `parse_target` returns
both: `raw` is the input unchanged (full-width digits and trailing zeros kept) and the other fields are read from its
NFKC form. Every reading carries a one-sentence Chinese `note` that says how the cell was understood, because a
reviewer at the bureau must be able to check the rule without reading code. The parser never raises.

Decisions the plans leave open (see also DOMAIN.md, "Target notations"):
- `change` on the three change kinds: 'percent' = relative to the base value, 'points' = percentage points,
  None = an absolute change in the indicator's own unit (`在2020年基础上提高1岁左右` → +1, change None; `降低2‰`
  → −2, change None). On other kinds `change` is None. A change with 个百分点 is always `points_change`, with the
  base year kept when the text names one (`比2015年提高6个百分点`).
- A change without % or a unit (`比2015年降低10`) is read as relative percent, flagged `ambiguous`; the `unit`
  argument only enriches the note (a % indicator could mean 10 个百分点).
- `提高15％以上` has no base year: `relative_to_base`, +15 percent, base_year None (the plan's baseline), and the
  note says "以上". Change targets are always "at least this much in the stated direction" when evaluated, so 以上
  after a change only shows in the note; 左右 likewise (the record has no field for either).
- `降到9克以下` / `下降至X` / `提高至X` name a level reached by moving: bounds (at_most / at_least), not changes.
- `X余` / `X多` ("a little more than X") → at_least X, because any value at or above X satisfies it.
- `direction` is set on direction, comparator and change readings; bounds and levels leave it None (the
  indicator's own direction decides those comparisons).
- `实现`, `建成`, `消除` … → direction 'improve' (a milestone: done or not done); the note says so.
- `维持在较低水平` / `保持稳定`: the vocabulary has no "hold" kind, so direction 'improve' (not worse than the
  baseline) with `ambiguous` set, since "较低" has no number. `保持在90%以上` has a number and is a bound.
- Unreadable text is `none` with `ambiguous` True (so it differs from a deliberate "——"), or `comparator` when it
  mentions 全省/全市/全国/平均 and the like. A subject the rule does not capture (`新发近视率明显下降`, where
  the cell names another measure) is kept in the note and sets `ambiguous`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from desktop.core import target_text as tx
from desktop.core import target_words as words

# Re-exported: part of this module's API (the baseline reader lives in target_baseline to keep modules small).
from desktop.core.target_baseline import BaselineReading as BaselineReading
from desktop.core.target_baseline import parse_baseline as parse_baseline
from desktop.core.target_text import INTERNAL_ERROR_NOTE as INTERNAL_ERROR_NOTE
from desktop.core.target_text import MAX_LENGTH as MAX_LENGTH
from desktop.core.target_text import format_number as format_number

KINDS = (
    "level",
    "at_least",
    "at_most",
    "approx",
    "range",
    "relative_to_base",
    "points_change",
    "annual_change",
    "direction",
    "coverage",
    "comparator",
    "none",
)


_LEADS_BY_LENGTH = sorted(words.LEAD_WORDS, key=len, reverse=True)
_FILLERS_BY_LENGTH = sorted(words.FILLERS, key=len, reverse=True)
_VERBS = tx.alternation(words.UP_VERBS + words.DOWN_VERBS)
# Words between a change verb and its number; 达到/达 add nothing.
_CHANGE_OPS = {
    **dict.fromkeys(("不少于", "不低于", "至少", "≥"), "at_least"),
    **dict.fromkeys(("超过", "大于", ">"), "strict"),
    **dict.fromkeys(("大约", "约", "近"), "approx"),
}
_CHANGE_POST = {
    "at_least": "以上",
    "more_than": "以上",
    "strict": "以上",
    "approx": "左右",
    "at_most": "以内",
}
_CHANGE_BODY = (
    rf"(?P<verb>{_VERBS})(?![到至为])(?:了|幅度)?(?P<op>{tx.alternation([*_CHANGE_OPS, '达到', '达'])})?"
    rf"(?P<num>{tx.NUM})(?P<tail>{tx.TAIL})$"
)
_CHANGE_RE = re.compile(rf"^(?P<pre>(?:[^0-9]|{tx.YEAR}(?=年))*?){_CHANGE_BODY}")
# Second try for a subject with digits of its own ("总体癌症5年生存率提高15%以上"): bind the last change verb.
_CHANGE_SUBJECT_RE = re.compile(rf"^(?P<pre>.*){_CHANGE_BODY}")
_DOUBLING_RE = re.compile(r"^(?P<pre>[^0-9]*?)(?:翻一番|翻了一番|翻番)(?P<tail>[^0-9]*)$")
_RANGE_RE = re.compile(
    rf"^(?P<pre>[^0-9]*?)(?P<a>{tx.NUM})(?P<ua>[%‰]?)(?:-|~|至|到)(?P<b>{tx.NUM})(?P<tail>{tx.TAIL})$"
)
_SINGLE_RE = re.compile(rf"^(?P<pre>[^0-9]*?)(?P<neg>-)?(?P<num>{tx.NUM})(?P<tail>{tx.TAIL})$")
_LEAD_SINGLE_RE = re.compile(
    rf"^(?P<subj>.*)(?P<lead>{tx.alternation(words.LEAD_WORDS)})(?P<neg>-)?(?P<num>{tx.NUM})(?P<tail>{tx.TAIL})$"
)
_TARGET_YEAR_RE = re.compile(
    rf"^(?:到|至|截至|截止到?|在)?(?P<year>{tx.YEAR})年(?:底|末|前|时)?(?!的?(?:基础|基数|相比|比|水平上))[,:]?"
)
_PLACES = tx.alternation(words.COMPARATOR_PLACES)
_COMPARATOR_STRONG_RE = re.compile(
    rf"{tx.alternation(words.COMPARATOR_STRONG)}|(?:{_PLACES})[^0-9]{{0,4}}?平均"
    rf"|(?:{_PLACES})的?(?:较低|较高|先进|同期|同等|领先)水平|前[0-9一二三四五六七八九十]+名"
)
_COMPARATOR_WEAK_RE = re.compile(tx.alternation(words.COMPARATOR_WEAK))
# "0-6岁儿童", "65岁及以上老人": an age naming who is counted, followed by the rest of the sentence.
_AGE_RE = re.compile(
    rf"{tx.NUM}(?:(?:-|~|至|到){tx.NUM})?(?:{tx.alternation(words.AGE_UNITS)})"
    rf"(?:{tx.alternation(words.SUFFIX_WORDS)})?(?=[^0-9%‰])"
)
_MAINTAIN_RE = re.compile(
    rf"^(?P<subj>.*?)(?:继续|持续|长期)?(?:{tx.alternation(words.MAINTAIN_VERBS)})在?"
    rf"(?P<lvl>{tx.alternation(words.MAINTAIN_LEVELS)})?的?(?:水平|状态|态势)?$"
)
# 基本 is a hedge only in front of attainment (基本实现, 基本达到90%); 基本医疗 / 基本标准 are nouns.
_BASIC_HEDGE_RE = re.compile(rf"基本(?={tx.alternation(words.HEDGE_BASIC_BEFORE)}|[0-9≥≤<>])")
_COMPLETION_VERBS = ("实现", "建立", "建成", "落实", "达标", "消除")


@dataclass(frozen=True)
class TargetReading:
    """One target cell read into a rule. `value` carries the sign of a change (降低 → negative)."""

    raw: str
    kind: str
    value: float | None = None
    value_max: float | None = None
    base_year: int | None = None
    change: str | None = None
    direction: str | None = None
    strict: bool = False
    hedge: bool = False
    ambiguous: bool = False
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        """Plain dict with exactly the eleven field names, ready for json.dumps."""
        return asdict(self)


@dataclass
class _Context:
    """What every reader needs besides the text: the raw input and the flags gathered before reading."""

    raw: str
    unit: str | None
    hedge_word: str | None
    target_year: str | None

    def make(
        self, kind: str, main: str, remarks: list[str] | tuple[str, ...] = (), **fields
    ) -> TargetReading:
        """Build the reading; the hedge and the target year are remarked on the same way for every kind."""
        remarks = list(remarks)
        if self.hedge_word:
            remarks.append(f"原文含“{self.hedge_word}”，属争取性目标")
        if self.target_year:
            remarks.append(f"原文注明 {self.target_year} 年")
        note = main + (f"（{'；'.join(remarks)}）" if remarks else "")
        return TargetReading(raw=self.raw, kind=kind, hedge=self.hedge_word is not None, note=note, **fields)


def _strip_hedges(text: str) -> tuple[str, str | None]:
    """Remove 力争/争取 anywhere and 基本 before a verb of attainment; return the first hedge found."""
    found: str | None = None
    for hedge in words.HEDGES_ANYWHERE:
        if hedge in text:
            found = found or hedge
            text = text.replace(hedge, "")
    if _BASIC_HEDGE_RE.search(text):
        found = found or "基本"
        text = _BASIC_HEDGE_RE.sub("", text)
    return text, found


def _peel(text: str) -> tuple[list[tuple[str, bool]], str]:
    """Strip lead words (≥, 不低于, 控制在 …) and fillers from the end of the text in front of a number.

    Returns the effects, closest to the number first, and the leftover text (a subject the rule does not capture).
    """
    effects: list[tuple[str, bool]] = []
    while text:
        word = next((w for w in _LEADS_BY_LENGTH if text.endswith(w)), None)
        if word is not None:
            effects.append(words.LEAD_WORDS[word])
        else:
            word = next((w for w in _FILLERS_BY_LENGTH if text.endswith(w)), None)
            if word is None:
                break
        text = text[: -len(word)]
    while word := next((w for w in _FILLERS_BY_LENGTH if text.startswith(w)), None):
        text = text[len(word) :]
    return effects, text


_NOT_A_UNIT_RE = re.compile(
    r"[≤≥<>=~.\-]|:(?![0-9])|"
    + tx.alternation(
        [w for w in words.LEAD_WORDS if len(w) > 1]
        + [w for w in words.UP_VERBS + words.DOWN_VERBS if len(w) > 1]
        + list(words.DIRECTION_VERBS)
        + list(words.COVERAGE_WORDS)
        + list(words.COMPARATOR_WEAK)
        + list(words.MAINTAIN_VERBS)
        + list(words.HEDGES_ANYWHERE)
        + list(words.DIRECTION_MODIFIERS)
        + ["基础", "基期", "每年", "年均", "翻一番", "翻番", "基本", "百分点", "至", "到", "比", "较"]
    )
)


def _odd_unit(unit: str) -> bool:
    """True when the text after a number is not a plausible unit ("92.0提高不少于", "80≤"): flag it for a person."""
    return len(unit) > 8 or _NOT_A_UNIT_RE.search(unit) is not None


def _odd_unit_remark(unit: str) -> str:
    return f"数值后另有“{unit}”，请核对"


def _subject_remark(subject: str) -> str:
    return f"原文另含“{subject}”，可能不是本指标，请核对"


def _unreadable(text: str, ctx: _Context, why: str = "") -> TargetReading:
    if not why and len(re.findall(tx.NUM, _AGE_RE.sub("", text))) > 1:
        why = "（含多个数值）"
    return ctx.make("none", f"无法识别“{text}”{why}，请人工核对", ambiguous=True)


def _comparator(text: str, ctx: _Context) -> TargetReading:
    """A target judged against a reference the plan does not give (provincial average, city ranking)."""
    direction = next((d for word, d in words.COMPARATOR_DIRECTIONS if word in text), None)
    wants = {"up": "应高于参照值", "down": "应低于参照值", "improve": "应优于参照值，按指标方向判断"}
    remarks = ["请录入参照值，如全省或全市平均水平"]
    if direction:
        remarks.append(wants[direction])
    return ctx.make("comparator", f"“{text}”需与参照值比较", remarks, direction=direction)


def _read_comparator(text: str, ctx: _Context) -> TargetReading | None:
    return _comparator(text, ctx) if _COMPARATOR_STRONG_RE.search(text) else None


def _change_context(pre: str) -> tuple[bool, int | None, str]:
    """Read the words before a change verb: per year?, which base year?, and any leftover subject."""
    annual = any(w in pre for w in words.ANNUAL_WORDS)
    year = re.search(tx.YEAR, pre)
    comparing = any(w in pre for w in ("比", "较", "与", "基础", "基数", "基期", "基线", "基准", "相比"))
    base_year = int(year.group()) if year and comparing else None
    leftover = re.sub(tx.YEAR, "", pre)
    for word in sorted(words.CHANGE_CONTEXT_WORDS, key=len, reverse=True):
        leftover = leftover.replace(word, "")
    return annual, base_year, leftover


def _change_unit(num: str, unit: str, ctx: _Context) -> tuple[str | None, str, float, list[str], bool]:
    """What the unit after a change's number says: (change, amount shown, factor, remarks, ambiguous)."""
    if "百分点" in unit:
        return "points", f"{num} 个百分点", 1.0, [], False
    if unit.startswith("%"):
        return "percent", f"{num}%", 1.0, [], False
    if unit.startswith("倍"):  # 提高1倍 = +100 %
        return "percent", f"{num} 倍", 100.0, [f"即 {float(num) * 100:g}%"], False
    if not unit:
        return "percent", f"{num}%", 1.0, [_missing_percent_remark(num, ctx.unit)], True
    remarks = ["‰ 按千分点的绝对变化理解" if unit.startswith("‰") else "按指标单位的绝对变化理解"]
    if _odd_unit(unit):
        return None, f"{num}{unit}", 1.0, [*remarks, _odd_unit_remark(unit)], True
    return None, f"{num}{unit}", 1.0, remarks, False


def _read_change(text: str, ctx: _Context) -> TargetReading | None:
    """比2015年降低10 / 提高6个百分点 / 每年降0.5%以上 / 在2020年基础上提高1岁左右 / 翻一番."""
    remarks: list[str] = []
    if m := _CHANGE_RE.match(text) or _CHANGE_SUBJECT_RE.match(text):
        suffix_kind, _, unit, trailing = tx.split_tail(m["tail"])
        pre, num, unit = m["pre"], format_number(m["num"]), unit + trailing
        sign = -1.0 if m["verb"] in words.DOWN_VERBS else 1.0
        qualifier = _CHANGE_OPS.get(m["op"]) or suffix_kind
    elif (m := _DOUBLING_RE.match(text)) and not m["tail"]:
        pre, num, unit, sign, qualifier = m["pre"], "100", "%", 1.0, None
        remarks.append("翻一番即增加 100%")
    else:
        return None
    magnitude = tx.to_number(num)
    if magnitude is None:
        return _unreadable(text, ctx, "（数值过大）")
    annual, base_year, leftover = _change_context(pre)
    change, amount, factor, unit_remarks, ambiguous = _change_unit(num, unit, ctx)
    kind = "annual_change" if annual else "points_change" if change == "points" else "relative_to_base"
    verb = "降低" if sign < 0 else "提高"
    relative = "相对" if change == "percent" else ""
    if qualifier == "approx":
        remarks.append("允许一定浮动")
    elif qualifier == "strict":
        remarks.append("不含本数")
    if kind == "annual_change":
        main = f"每年{relative}{verb} {amount}"
        if qualifier in ("at_least", "more_than", "strict"):
            remarks.append(f"即每年至少{verb}这么多")
        if change == "percent" and not ambiguous:
            remarks.append("按逐年相对变化理解")
    else:
        main = f"{f'比 {base_year} 年基期值' if base_year else '比基期值'}{relative}{verb} {amount}"
    main += _CHANGE_POST.get(qualifier or "", "")
    remarks += unit_remarks
    if kind == "relative_to_base" and base_year is None:
        remarks.append("原文未写基期年份，按规划基期理解")
    if qualifier == "at_most":  # a cap on the change: the "at least this much" evaluation does not fit
        ambiguous = True
        remarks.append("原文给的是变化幅度的上限，评估时请核对")
    if leftover:
        ambiguous = True
        remarks.append(_subject_remark(pre))
    value = sign * magnitude * factor if magnitude else 0.0  # never -0.0
    direction = "down" if sign < 0 else "up"
    return ctx.make(
        kind,
        main,
        remarks,
        value=value,
        base_year=base_year,
        change=change,
        direction=direction,
        ambiguous=ambiguous,
    )


def _missing_percent_remark(num: str, unit: str | None) -> str:
    """The ambiguous relative cut: say how it was read and what else it could mean for this indicator's unit."""
    if unit and unit.strip() in ("%", "％"):
        return f"原文未写 %，按相对百分比理解；本指标单位为 %，若指 {num} 个百分点请改读，请核对"
    if unit and unit.strip() in ("‰",):
        return f"原文未写 %，按相对百分比理解；本指标单位为 ‰，若指 {num} 个千分点请改读，请核对"
    if unit and unit.strip():
        return f"原文未写 %，按相对百分比理解；若指 {num}{unit.strip()} 的绝对变化请改读，请核对"
    return "原文未写 %，按相对百分比理解，请核对"


def _read_range(text: str, ctx: _Context) -> TargetReading | None:
    """2-4名 / 0.30—0.65平方米 / 1至2处 → value..value_max, both ends included."""
    m = _RANGE_RE.match(text)
    if m is None:
        return None
    if _AGE_RE.match(text, m.start("a")):
        return None  # "0-6岁儿童实现…全覆盖": the range says who, the rest of the sentence says what
    low, high = tx.to_number(m["a"]), tx.to_number(m["b"])
    if low is None or high is None:
        return _unreadable(text, ctx, "（数值过大）")
    qualifier, suffix, unit_text, trailing = tx.split_tail(m["tail"])
    _, leftover = _peel(m["pre"])
    remarks = ["含两端"]
    a, b = format_number(m["a"]), format_number(m["b"])
    if low > high:
        low, high, a, b = high, low, b, a
        remarks.append("原文大数在前，已按从小到大理解")
    ambiguous = bool(leftover) or qualifier is not None
    if qualifier is not None:
        remarks.append(f"原文区间后另有“{suffix}”，请核对")
    if leftover:
        remarks.append(_subject_remark(leftover))
    unit_shown = unit_text + trailing
    if _odd_unit(unit_shown):
        ambiguous = True
        remarks.append(_odd_unit_remark(unit_shown))
    return ctx.make(
        "range",
        f"在 {a} 至 {b}{unit_shown} 之间",
        remarks,
        value=low,
        value_max=high,
        ambiguous=ambiguous,
    )


_BOUND_WORDS = {
    ("at_least", False): "不低于",
    ("at_least", True): "高于",
    ("at_most", False): "不高于",
    ("at_most", True): "低于",
}


def _read_bound(text: str, ctx: _Context) -> TargetReading | None:
    """A single number with its lead words and suffix: level, at_least, at_most or approx."""
    m = _SINGLE_RE.match(text)
    if m is not None:
        effects, leftover = _peel(m["pre"])
    else:
        m = _LEAD_SINGLE_RE.match(text)
        if m is None:
            return None
        effects, leftover = _peel(m["subj"] + m["lead"])
    value = tx.to_number(m["num"], negative=bool(m["neg"]))
    if value is None:
        return _unreadable(text, ctx, "（数值过大）")
    qualifier, suffix, unit_text, trailing = tx.split_tail(m["tail"])
    share_of = ""
    if trailing and qualifier in ("at_least", "at_most") and unit_text == "%":
        # "50%以上乡镇达到省级卫生乡镇": a share of the units that follow it; the number is the target.
        share_of, trailing = trailing, ""
    if trailing and qualifier != "more_than":
        # "5岁以下儿童死亡率持续下降": number and suffix qualify a subject; let the later readers try.
        return None
    num = ("-" if m["neg"] else "") + format_number(m["num"])
    bounds = [e for e in effects if e[0] != "level"]
    remarks: list[str] = []
    if qualifier in ("at_least", "at_most", "approx"):
        kind = qualifier
        strict = any(s for k, s in bounds if k == kind)
    elif qualifier == "more_than":
        kind, strict = "at_least", False
        remarks.append(f"原文写作“{num}{unit_text}{suffix}”，即略多于 {num}，按不低于 {num} 理解")
    elif bounds:
        kind, strict = bounds[0]
    else:
        kind, strict = "level", False
    kinds_said = {k for k, _ in bounds} | ({qualifier} if qualifier else set())
    ambiguous = bool(leftover) or bool(share_of) or {"at_least", "at_most"} <= kinds_said
    if {"at_least", "at_most"} <= kinds_said:
        remarks.append("原文上下限用词矛盾，请核对")
    unit_shown = unit_text + trailing
    if leftover:
        remarks.append(_subject_remark(leftover))
    if share_of:
        remarks.append(_subject_remark(share_of))
    if _odd_unit(unit_shown):
        ambiguous = True
        remarks.append(_odd_unit_remark(unit_shown))
    shown = f"{num}{unit_shown}"
    if kind == "level":
        main = f"达到 {shown}"
    elif kind == "approx":
        main = f"{shown} 左右"
        remarks.insert(0, "允许一定浮动")
    else:
        main = f"{_BOUND_WORDS[kind, strict]} {shown}"
        if qualifier != "more_than":
            remarks.insert(0, f"{'不含' if strict else '含'} {num}")
    return ctx.make(kind, main, remarks, value=value, strict=strict, ambiguous=ambiguous)


def _read_coverage(text: str, ctx: _Context) -> TargetReading | None:
    """全覆盖 / 所有 / 全部 / 人人 / 全面 = 100 %; 全面 in front of a verb (全面提高) is an adverb instead."""
    if re.search("[0-9]", _AGE_RE.sub("", text)):
        return None
    adverb_next = tuple(words.DIRECTION_MODIFIERS) + tuple(words.DIRECTION_VERBS)
    for word in words.COVERAGE_WORDS:
        at = text.find(word)
        if at < 0 or (word == "全面" and text[at + len(word) :].startswith(adverb_next)):
            continue
        partial = next((w for w in words.PARTIAL_WORDS if w in text), None)
        if partial:
            # "确保半数力争全部达到…": a firm part and a hoped-for whole; 100 % is only the hope.
            remarks = [f"原文另有“{partial}”，全覆盖可能只是争取目标，请核对"]
            return ctx.make("coverage", f"“{text}”按全覆盖 100% 理解", remarks, value=100.0, ambiguous=True)
        return ctx.make("coverage", f"“{text}”即全覆盖，按 100% 理解", value=100.0)
    return None


def _read_direction(text: str, ctx: _Context) -> TargetReading | None:
    """持续提高 / 明显下降 / 逐年降低 / 同比例增加 / 持续改善 / 实现: a trend or a milestone, no number."""
    core = re.sub(r"(?:了|的?(?:趋势|态势))$", "", text)
    verb = next((v for v in sorted(words.DIRECTION_VERBS, key=len, reverse=True) if core.endswith(v)), None)
    if verb is None:
        return _read_leading_direction(core, ctx)
    rest = core[: -len(verb)]
    modifiers = sorted(words.DIRECTION_MODIFIERS, key=len, reverse=True)
    while word := next((w for w in modifiers if rest.endswith(w)), None):
        rest = rest[: -len(word)]
    subject = rest
    phrase = core[len(subject) :]
    direction = words.DIRECTION_VERBS[verb]
    remarks = ["无数值"]
    negator = next((w for w in words.DIRECTION_NEGATORS if w in subject), None)
    if negator and direction in ("up", "down"):
        # "有效遏制重大慢性病发病率上升趋势": the plan wants the opposite of the trend it names.
        direction = "down" if direction == "up" else "up"
        phrase = f"{negator}…{phrase}"
        remarks.append(f"原文要“{negator}”这一趋势，按{'下降' if direction == 'down' else '上升'}理解")
    if verb in _COMPLETION_VERBS:
        main = f"达成性目标“{phrase}”：按期完成即达标"
    else:
        wants = {"up": "须较基期有所提高", "down": "须较基期有所下降", "improve": "须朝指标的好方向变化"}
        main = f"趋势目标“{phrase}”：{wants[direction]}"
    # 同比例增加 ties the size of the change to another indicator the cell does not name: a person must say
    # which, so it is flagged like every other reading whose note asks for a check (the table highlights it).
    tied = "同比例" in phrase or "同步" in phrase
    if tied:
        remarks.append("幅度与相关指标挂钩，需人工核对")
    if subject:
        remarks.append(_subject_remark(subject))
    return ctx.make("direction", main, remarks, direction=direction, ambiguous=bool(subject) or tied)


_LEADING_VERBS = sorted(
    (v for v, d in words.DIRECTION_VERBS.items() if d in ("up", "down") and len(v) > 1), key=len, reverse=True
)


def _read_leading_direction(text: str, ctx: _Context) -> TargetReading | None:
    """持续降低孕产妇和婴儿死亡率: the verb comes first and the measure after it (prose more than table cells)."""
    if re.search("[0-9]", text):
        return None
    rest = text
    modifiers = sorted(words.DIRECTION_MODIFIERS, key=len, reverse=True)
    while word := next((w for w in modifiers if rest.startswith(w)), None):
        rest = rest[len(word) :]
    verb = next((v for v in _LEADING_VERBS if rest.startswith(v)), None)
    subject = rest[len(verb) :] if verb else ""
    if verb is None or not subject:
        return None
    direction = words.DIRECTION_VERBS[verb]
    phrase = text[: len(text) - len(subject)]
    wants = {"up": "须较基期有所提高", "down": "须较基期有所下降"}
    remarks = ["无数值", _subject_remark(subject)]
    return ctx.make(
        "direction", f"趋势目标“{phrase}”：{wants[direction]}", remarks, direction=direction, ambiguous=True
    )


def _read_maintain(text: str, ctx: _Context) -> TargetReading | None:
    """维持在较低水平 / 保持稳定: hold a state. There is no hold kind: direction 'improve', flagged ambiguous."""
    m = _MAINTAIN_RE.match(text)
    if m is None:
        return None
    remarks = ["不恶化即达标", "无具体数值，请人工核对"]
    if m["subj"]:
        remarks.append(_subject_remark(m["subj"]))
    main = f"保持类目标“{text[len(m['subj']) :]}”：维持基期水平或更好"
    return ctx.make("direction", main, remarks, direction="improve", ambiguous=True)


def _read_fallback(text: str, ctx: _Context) -> TargetReading:
    weak = _COMPARATOR_WEAK_RE.search(text)
    if weak and _compares_with(text, weak.start()):
        return _comparator(text, ctx)
    return _unreadable(text, ctx)


def _compares_with(text: str, at: int) -> bool:
    """Whether the weak comparator word at `at` names a reference to compare with ("达到全省标准", "省级").

    Not when the text has a number of its own (the number is the target: "50%以上乡镇达到省级卫生乡镇",
    "全县人均期望寿命从2015年的78.74岁") and not when nothing compares with it: at the front of a sentence
    it names the scope ("定期开展全市居民营养监测", "全县三级公立医院通过五级及以上评价"), which
    would send the clerk looking for a reference value that does not exist.
    """
    if re.search("[0-9]", text):
        return False
    return (at == 0 and len(text) <= 4) or any(w in text[:at] for w in words.COMPARISON_LEADS)


_READERS = (
    _read_comparator,
    _read_change,
    _read_range,
    _read_bound,
    _read_coverage,
    _read_direction,
    _read_maintain,
)


def _parse(raw: str, unit: str | None) -> TargetReading:
    nfkc = unicodedata.normalize("NFKC", raw)
    text = tx.clean(nfkc)
    ctx = _Context(raw=raw, unit=unit, hedge_word=None, target_year=None)
    if not text or tx.is_blank(text):
        shown = re.sub(r"\s+", " ", nfkc).strip()
        return ctx.make("none", f"“{shown}”表示无目标值" if shown else "空白，未设目标值")
    if len(text) > MAX_LENGTH:
        return ctx.make("none", f"原文过长（超过 {MAX_LENGTH} 字），不作解析，请人工核对", ambiguous=True)
    text, ctx.hedge_word = _strip_hedges(text)
    year = _TARGET_YEAR_RE.match(text)
    if year and year.end() < len(text):
        ctx.target_year, text = year["year"], text[year.end() :]
    while word := next((w for w in _FILLERS_BY_LENGTH if text.startswith(w) and len(text) > len(w)), None):
        text = text[len(word) :]
    if not text or tx.is_blank(text):
        return _unreadable(nfkc.strip(), ctx, "（只有限定词，没有目标内容）")
    for reader in _READERS:
        reading = reader(text, ctx)
        if reading is not None:
            return reading
    return _read_fallback(text, ctx)


def parse_target(text: str, unit: str | None = None) -> TargetReading:
    """Read one target cell (`≦4`, `81左右`, `比2015年降低10`, `持续提高`, `——` …) into a TargetReading.

    `unit` is the indicator's unit (e.g. "%", "‰", "岁"); it only enriches the note of an ambiguous relative change.
    Never raises: unreadable text gives kind "none" (or "comparator") with a note asking for a manual check.
    """
    raw = text if isinstance(text, str) else "" if text is None else str(text)
    unit = unit if isinstance(unit, str) else None
    try:
        return _parse(raw, unit)
    except Exception:  # a table cell must never stop an import; the note sends it to a person instead
        return TargetReading(raw=raw, kind="none", ambiguous=True, note=INTERNAL_ERROR_NOTE)

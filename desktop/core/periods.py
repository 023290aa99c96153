"""Report periods (报告期): years, quarters, months and 妇幼 years, with their canonical codes.

A period is stored in the database as TEXT in its canonical code, so the codes below are a storage format:
year ``2024``, quarter ``2024Q1``, month ``202403``, 妇幼年度 ``2024FY`` (1 Oct 2023 – 30 Sep 2024; 妇幼 years are
named by the year they end in). Everything a clerk might type is accepted by :func:`parse_period`, but only the
canonical code is ever written back.

Standard library only (this is the ``core`` layer).
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "PERIOD_TYPES",
    "PERIOD_TYPE_NAMES_ZH",
    "Period",
    "PeriodError",
    "current_open_period",
    "deadline",
    "parse_period",
    "period_for_date",
    "periods_between",
]

PERIOD_TYPES: tuple[str, ...] = ("year", "quarter", "month", "mch_year")
PERIOD_TYPE_NAMES_ZH: dict[str, str] = {
    "year": "年度",
    "quarter": "季度",
    "month": "月度",
    "mch_year": "妇幼年度",
}

# No county statistics series starts before 1949; the upper bound catches slips such as 2204 for 2024.
MIN_YEAR = 1949
MAX_YEAR = 2100

# Tie-break for sort_key; never decides in practice (no two distinct periods share start and length),
# but keeps the key total without relying on that fact.
_TYPE_RANK = {t: i for i, t in enumerate(PERIOD_TYPES)}
_INDEX_RANGE = {"year": (0, 0), "quarter": (1, 4), "month": (1, 12), "mch_year": (0, 0)}
_MCH_START_MONTH = 10  # 妇幼年度 starts on 1 October of the previous calendar year


class PeriodError(ValueError):
    """A period code, label or rule that cannot be understood; the message is Chinese and names the text."""


def _check_type(period_type: str) -> None:
    if period_type not in _INDEX_RANGE:
        raise PeriodError(f"未知的报告期类型“{period_type}”：应为 {'、'.join(PERIOD_TYPES)} 之一")


@functools.total_ordering
@dataclass(frozen=True, order=False)
class Period:
    """One report period. ``index`` is the quarter (1–4) or month (1–12), and 0 for year and 妇幼年度.

    Equality and hashing use (type, year, index). Ordering uses :attr:`sort_key`, so periods of different
    types can be sorted together: by first day, then shorter before longer.
    """

    type: str
    year: int
    index: int = 0

    def __post_init__(self) -> None:
        _check_type(self.type)
        # bool is an int subclass; Period("year", True) would be nonsense that still hashes like 1.
        if not isinstance(self.year, int) or isinstance(self.year, bool):
            raise PeriodError(f"报告期年份应为整数，现在是“{self.year!r}”")
        if not isinstance(self.index, int) or isinstance(self.index, bool):
            raise PeriodError(f"报告期序号应为整数，现在是“{self.index!r}”")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise PeriodError(f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间，现在是 {self.year}")
        low, high = _INDEX_RANGE[self.type]
        if not low <= self.index <= high:
            if self.type == "quarter":
                raise PeriodError(f"季度应为 1–4，现在是 {self.index}")
            if self.type == "month":
                raise PeriodError(f"月份应为 1–12，现在是 {self.index}")
            raise PeriodError(f"{PERIOD_TYPE_NAMES_ZH[self.type]}的序号应为 0，现在是 {self.index}")

    # --- identity -------------------------------------------------------------------------------------

    @property
    def code(self) -> str:
        """The canonical code stored in the database: 2024, 2024Q1, 202403 or 2024FY."""
        if self.type == "year":
            return f"{self.year:04d}"
        if self.type == "quarter":
            return f"{self.year:04d}Q{self.index}"
        if self.type == "month":
            return f"{self.year:04d}{self.index:02d}"
        return f"{self.year:04d}FY"

    def __str__(self) -> str:
        return self.code

    @property
    def label_zh(self) -> str:
        """The label printed on returns and screens, e.g. 2024年第1季度."""
        if self.type == "mch_year":
            start, end = self.start, self.end
            return f"{self.year}妇幼年度（{start.year}年{start.month}月—{end.year}年{end.month}月）"
        return self.short_label_zh

    @property
    def short_label_zh(self) -> str:
        """A label for narrow places (table headers); differs from label_zh only for 妇幼年度."""
        if self.type == "year":
            return f"{self.year}年"
        if self.type == "quarter":
            return f"{self.year}年第{self.index}季度"
        if self.type == "month":
            return f"{self.year}年{self.index}月"
        return f"{self.year}妇幼年度"

    # --- calendar -------------------------------------------------------------------------------------

    @property
    def start(self) -> date:
        """First day of the period."""
        if self.type == "year":
            return date(self.year, 1, 1)
        if self.type == "quarter":
            return date(self.year, 3 * self.index - 2, 1)
        if self.type == "month":
            return date(self.year, self.index, 1)
        return date(self.year - 1, _MCH_START_MONTH, 1)

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""
        if self.type == "year":
            return date(self.year, 12, 31)
        if self.type == "quarter":
            month = 3 * self.index
            return date(self.year, month, calendar.monthrange(self.year, month)[1])
        if self.type == "month":
            return date(self.year, self.index, calendar.monthrange(self.year, self.index)[1])
        return date(self.year, _MCH_START_MONTH - 1, 30)

    @property
    def days(self) -> int:
        """Number of days in the period, both ends included."""
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        """True when ``day`` falls within the period (a datetime is taken by its date)."""
        return self.start <= _day(day) <= self.end

    # --- neighbours -----------------------------------------------------------------------------------

    def _shift(self, steps: int) -> Period:
        if self.type in ("year", "mch_year"):
            return Period(self.type, self.year + steps, 0)
        per_year = 4 if self.type == "quarter" else 12
        ordinal = self.year * per_year + (self.index - 1) + steps
        return Period(self.type, ordinal // per_year, ordinal % per_year + 1)

    def previous(self) -> Period:
        """The period just before this one, of the same type (raises PeriodError before 1949)."""
        return self._shift(-1)

    def next(self) -> Period:
        """The period just after this one, of the same type (raises PeriodError after 2100)."""
        return self._shift(1)

    def same_period_last_year(self) -> Period:
        """上年同期: the same quarter/month one year earlier; for years and 妇幼年度 simply the previous one."""
        return Period(self.type, self.year - 1, self.index)

    # --- ordering -------------------------------------------------------------------------------------

    @property
    def sort_key(self) -> tuple[date, int, int]:
        """(first day, length in days, type rank): shorter periods first when two start on the same day."""
        return (self.start, self.days, _TYPE_RANK[self.type])

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key < other.sort_key


# --- parsing -----------------------------------------------------------------------------------------

_CN_NUMBERS = {
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12,
}  # fmt: skip
_NUM = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"

# Order matters only where shapes could overlap; each pattern is anchored, so at most one family applies.
_RE_YEAR = re.compile(r"(\d{4})(?:年度?)?")
_RE_QUARTER = re.compile(rf"(\d{{4}})(?:[-/.]?Q(\d+)|年?第?{_NUM}季度?|年Q(\d+))")
_RE_MONTH_SEP = re.compile(r"(\d{4})[-/.](\d{1,2})")
_RE_MONTH_CN = re.compile(rf"(\d{{4}})年{_NUM}月份?")
_RE_MONTH_COMPACT = re.compile(r"(\d{4})(\d{2})")
_RE_MCH = re.compile(r"(\d{4})(?:FY|年?妇幼年度?)(?:\((\d{4})年(\d{1,2})月[-—–~至到](\d{4})年(\d{1,2})月\))?")

_HINT = "可写作 2024、2024Q1、202403 或 2024FY"


def _normalise(text: str) -> str:
    # NFKC turns full-width digits, letters and brackets into ASCII; spaces anywhere are noise in a code.
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", folded).upper()


def _number(token: str) -> int:
    return _CN_NUMBERS[token] if token in _CN_NUMBERS else int(token)


def _build(period_type: str, year: int, index: int, shown: str) -> Period:
    try:
        return Period(period_type, year, index)
    except PeriodError as exc:
        raise PeriodError(f"无法识别的报告期“{shown}”：{exc}") from None


def parse_period(text: str | Period, period_type: str | None = None) -> Period:
    """Read a period from a canonical code or a friendly form.

    Accepts ``2024``, ``2024年``, ``2024Q1``, ``2024q1``, ``2024-Q1``, ``2024年第1季度``, ``2024年一季度``,
    ``2024-03``, ``2024年3月``, ``202403``, ``2024FY``, ``2024妇幼年度`` and every ``label_zh``, with full-width
    characters and spaces tolerated. A Period passes straight through. When ``period_type`` is given the
    result must be of that type. Raises PeriodError with a Chinese message naming the text.
    """
    if isinstance(text, Period):
        result = text
    else:
        if not isinstance(text, str):
            raise PeriodError(f"报告期应为文字，现在是“{text!r}”")
        shown = text.strip()
        if not shown:
            raise PeriodError("报告期为空")
        result = _parse_text(_normalise(text), shown)
    if period_type is not None:
        _check_type(period_type)
        if result.type != period_type:
            raise PeriodError(
                f"报告期“{result.code}”是{PERIOD_TYPE_NAMES_ZH[result.type]}，"
                f"这里需要{PERIOD_TYPE_NAMES_ZH[period_type]}"
            )
    return result


def _parse_text(s: str, shown: str) -> Period:
    if m := _RE_YEAR.fullmatch(s):
        return _build("year", int(m[1]), 0, shown)
    if m := _RE_QUARTER.fullmatch(s):
        token = m[2] or m[3] or m[4]
        return _build("quarter", int(m[1]), _number(token), shown)
    if m := _RE_MONTH_SEP.fullmatch(s) or _RE_MONTH_CN.fullmatch(s) or _RE_MONTH_COMPACT.fullmatch(s):
        return _build("month", int(m[1]), _number(m[2]), shown)
    if m := _RE_MCH.fullmatch(s):
        period = _build("mch_year", int(m[1]), 0, shown)
        # The long label carries its own months; if someone edited them, the two halves disagree and we
        # cannot know which one they meant.
        if m[2] is not None:
            written = (date(int(m[2]), int(m[3]), 1), date(int(m[4]), int(m[5]), 1))
            if written != (period.start, period.end.replace(day=1)):
                raise PeriodError(
                    f"无法识别的报告期“{shown}”：{period.short_label_zh}应为"
                    f"{period.start.year}年10月—{period.end.year}年9月"
                )
        return period
    raise PeriodError(f"无法识别的报告期“{shown}”：{_HINT}")


# --- calendar helpers ----------------------------------------------------------------------------------


def _day(value: date) -> date:
    # datetime is a date subclass but refuses to compare with a plain date, so take its date part.
    return value.date() if isinstance(value, datetime) else value


def period_for_date(period_type: str, day: date) -> Period:
    """The period of ``period_type`` that contains ``day`` (a datetime is taken by its date)."""
    _check_type(period_type)
    day = _day(day)
    if period_type == "year":
        return Period("year", day.year, 0)
    if period_type == "quarter":
        return Period("quarter", day.year, (day.month - 1) // 3 + 1)
    if period_type == "month":
        return Period("month", day.year, day.month)
    return Period("mch_year", day.year + 1 if day.month >= _MCH_START_MONTH else day.year, 0)


def periods_between(period_type: str, start: Period | str | date, end: Period | str | date) -> list[Period]:
    """All periods of ``period_type`` from ``start`` to ``end``, both included, in order.

    ``start`` and ``end`` may be periods or codes of another type (or dates): the result is then every
    period of ``period_type`` overlapping the span from start's first day to end's last day, so
    ``periods_between('month', '2024Q1', '2024Q2')`` gives the six months. An empty list when end < start.
    """
    _check_type(period_type)
    first_day = _day(start) if isinstance(start, date) else parse_period(start).start
    last_day = _day(end) if isinstance(end, date) else parse_period(end).end
    if last_day < first_day:
        return []
    current = period_for_date(period_type, first_day)
    last = period_for_date(period_type, last_day)
    result = [current]
    while current != last:
        current = current.next()
        result.append(current)
    return result


def current_open_period(period_type: str, today: date) -> Period:
    """The period a clerk is filling now: the most recent one that has already ended.

    An annual return in January 2025 is for 2024, a quarterly one in April is for Q1, a monthly one on
    5 March is for February, and a 妇幼 return on 1 November 2024 is for 2024FY. On the last day of a period
    that period has not ended yet, so the one before it is returned.
    """
    return period_for_date(period_type, today).previous()


_RE_RULE = re.compile(r"\+?(\d{1,4})([DM])")


def deadline(period: Period | str, rule: str | None) -> date | None:
    """The due date of a return for ``period`` under ``rule``; None when there is no rule.

    ``+20d`` is 20 days after the period's last day (annual returns due 20 January, monthly ones the 20th of
    the next month). ``+1m`` is the last day of the month N months after the period ends (period ends are
    always month ends, so this is the only reading that never lands on a missing 31st).
    """
    if rule is None or not rule.strip():
        return None
    p = parse_period(period)
    m = _RE_RULE.fullmatch(_normalise(rule))
    if m is None:
        raise PeriodError(
            f"无法识别的截止规则“{rule.strip()}”：应写作 +20d（期末后20天）或 +1m（期末后1个月）"
        )
    amount, unit = int(m[1]), m[2]
    if unit == "D":
        return p.end + timedelta(days=amount)
    ordinal = p.end.year * 12 + (p.end.month - 1) + amount
    year, month = ordinal // 12, ordinal % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])

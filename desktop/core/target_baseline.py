"""Read the baseline cells of plan indicator tables (`80.11`, `７８．１８(２０１９年)`, `≤3.2`, `村卫生室:７１．５`).

The companion of desktop.core.targets (which re-exports parse_baseline): a baseline is one number and the year
written beside it, read with the same spelling rules (desktop.core.target_text). Never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from desktop.core import target_text as tx
from desktop.core.target_text import INTERNAL_ERROR_NOTE, MAX_LENGTH


@dataclass(frozen=True)
class BaselineReading:
    """A baseline cell: the first number it holds, the year written beside it, and what else it said."""

    raw: str
    value: float | None
    year: int | None
    note: str

    def to_dict(self) -> dict[str, object]:
        """Plain dict (raw, value, year, note), ready for json.dumps."""
        return asdict(self)


_BASELINE_YEAR_RE = re.compile(rf"\((?P<y1>{tx.YEAR})年?\)|(?P<y2>{tx.YEAR})年")
_BASELINE_ITEM_RE = re.compile(rf"^(?P<pre>[^0-9]*?)(?P<neg>-)?(?P<num>{tx.NUM})(?P<tail>{tx.TAIL})$")


def _baseline_items(text: str) -> list[tuple[str | None, str, float, bool]]:
    """(label, number text, value, written as a bound) for every value in a baseline cell."""
    items: list[tuple[str | None, str, float, bool]] = []
    for segment in re.split(r"[;,、]| +", text):
        label: str | None = None
        if ":" in segment:
            label, segment = segment.rsplit(":", 1)
            label = label.strip() or None
        m = _BASELINE_ITEM_RE.match(segment.strip())
        if m is None:
            continue
        value = tx.to_number(m["num"], negative=bool(m["neg"]))
        if value is None:
            continue
        bound = bool(m["pre"]) or tx.split_tail(m["tail"])[0] is not None
        items.append((label, ("-" if m["neg"] else "") + m["num"], value, bound))
    return items


def _parse_baseline(raw: str) -> BaselineReading:
    nfkc = unicodedata.normalize("NFKC", raw)
    text = tx.clean(nfkc)
    if not text or tx.is_blank(text):
        shown = re.sub(r"\s+", " ", nfkc).strip()
        return BaselineReading(raw, None, None, f"“{shown}”表示无基期数据" if shown else "空白，无基期数据")
    if len(text) > MAX_LENGTH:
        return BaselineReading(raw, None, None, f"原文过长（超过 {MAX_LENGTH} 字），不作解析，请人工核对")
    year_match = _BASELINE_YEAR_RE.search(text)
    year = int(year_match["y1"] or year_match["y2"]) if year_match else None
    if year_match:
        text = (text[: year_match.start()] + " " + text[year_match.end() :]).strip(" :")
    when = f"（{year} 年）" if year else ""
    ratio = re.fullmatch(rf"(?P<num>{tx.NUM}):(?P<den>{tx.NUM})", text)
    if ratio:
        value = tx.to_number(ratio["num"])
        return BaselineReading(raw, value, year, f"基期值 {ratio['num']}{when}（比值写法 {text}，取前项）")
    items = _baseline_items(text)
    if not items:
        return BaselineReading(raw, None, year, f"无法识别基期值“{text}”，请人工核对")
    label, num, value, bound = items[0]
    remarks: list[str] = []
    if label:
        remarks.append(f"分项“{label}”")
    if len(items) > 1:
        listed = "、".join(f"{lab} {n}" if lab else n for lab, n, _, _ in items)
        remarks.append(f"原文有 {len(items)} 个数值：{listed}，取第一个，请核对各自含义")
    if bound:
        remarks.append(f"原文写作“{text}”，不是确切值，按 {num} 记，请核对实际值")
    note = f"基期值 {num}{when}" + (f"（{'；'.join(remarks)}）" if remarks else "")
    return BaselineReading(raw, value, year, note)


def parse_baseline(text: str) -> BaselineReading:
    """Read one baseline cell (`80.11`, `７８．１８(２０１９年)`, `≤3.2`, `４１．３７ ３４．４０`, `村卫生室:７１．５`, `－－－`).

    Takes the first number (noting any others and their labels), and the year written beside it. Never raises.
    """
    raw = text if isinstance(text, str) else "" if text is None else str(text)
    try:
        return _parse_baseline(raw)
    except Exception:  # same promise as parse_target: a bad cell is sent to a person, not to a traceback
        return BaselineReading(raw, None, None, INTERNAL_ERROR_NOTE)

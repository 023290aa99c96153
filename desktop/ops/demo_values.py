"""Deterministic, plausible values for the demo county, from the rules in db/seed/demo/values.json.

Pure Python (no database): build_demo_county feeds it the org tree and stores what it returns. The rules give a
county total per year (a series, or a rate times a denominator), which is then shared out over townships or
facilities by weight, with a persistent per-unit factor (some townships always do better) and a little yearly
noise. Shares are whole numbers that add up exactly (largest remainder), so a township's value is the sum of
its facilities and the county's the sum of its townships: the county's rates are exactly the ones the rules
name, which is what makes the plan statuses come out as designed. Everything draws from one
random.Random(seed) in a fixed order, so two builds give identical values.

Rule keys (one rule per element, applied in file order, so a rule may use elements listed before it):
- at: "county" (county value only), "township" (each township; county = sum), "facility" (each facility;
  township and county = sums of the facilities beneath them), "region" (township and county each on their own).
- series: the county total per year; or rate + of + per: total = rate × county value of `of` ÷ per.
- of (township rules): share the total in proportion to that element's township values (else population).
- weights (facility rules): weight per unit type, times the facility's size (its township's population).
- scale + of: each unit's value is `of` × scale (scale by unit type, "default" otherwise); sum: the sum of the
  listed elements at the unit, times scale (never below the sum).
- cap: no unit's share exceeds the sum of these elements at that unit (其中 rows stay under their parents).
- jitter / noise: sigma of the persistent per-unit factor / of the yearly noise (log-normal; 0 = none).
- unit_trend: per-unit multipliers by year (the county hospital's new campus).
- count_units (+ extra_county): how many facilities of those types lie in the region (+ units not in the tree).
- provenance: {kind, formula, source} stored with every value of the element.
Quarterly rules split each township's annual value into four: even (任务数), season (weights), like (the
quarters of another element), cap (another element's quarter values).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

REGION_TYPES = ("county", "street", "town", "township")


class DemoRuleError(ValueError):
    """A rule in values.json cannot be applied (unknown element, impossible cap …); message is Chinese."""


@dataclass(frozen=True)
class Unit:
    code: str
    unit_type: str
    parent: str | None


# (element code, period code, unit code, value, provenance, provenance formula, provenance source)
ValueRow = tuple[str, str, str, Any, str | None, str | None, str | None]


def allocate(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Share a whole total out by weights into whole numbers that sum to it, none above its cap.

    Units whose proportional share would pass their cap get the cap and drop out; the rest is shared again.
    Rounding uses the largest remainder (ties to the earlier unit), so the result is deterministic.
    """
    out = [0] * len(weights)
    free = [i for i, w in enumerate(weights) if w > 0 and (caps is None or caps[i] > 0)]
    remaining = total
    while remaining > 0 and free:
        weight_sum = sum(weights[i] for i in free)
        exact = {i: remaining * weights[i] / weight_sum for i in free}
        over = [i for i in free if caps is not None and exact[i] >= caps[i]]
        if over:
            for i in over:
                out[i] = caps[i]  # type: ignore[index]
                remaining -= caps[i]  # type: ignore[index]
                free.remove(i)
            continue
        floors = {i: math.floor(exact[i]) for i in free}
        for i in free:
            out[i] = floors[i]
        left = remaining - sum(floors.values())
        for i in sorted(free, key=lambda i: (floors[i] - exact[i], i))[:left]:
            out[i] += 1
        remaining = 0
    if remaining > 0:
        raise DemoRuleError(f"无法分配 {total}：各单位的上限之和不够")
    return out


class _Generator:
    def __init__(self, rules: dict[str, Any], units: Iterable[Unit]) -> None:
        self.rules = rules
        self.rng = random.Random(rules["seed"])
        self.years: list[int] = list(rules["years"])
        units = list(units)
        counties = [u for u in units if u.unit_type == "county"]
        if len(counties) != 1:
            raise DemoRuleError("示例县应有且仅有一个县级单位")
        self.county = counties[0]
        self.townships = sorted(
            (u for u in units if u.parent == self.county.code and u.unit_type in REGION_TYPES),
            key=lambda u: u.code,
        )
        township_codes = {t.code for t in self.townships}
        self.facilities = sorted((u for u in units if u.unit_type not in REGION_TYPES), key=lambda u: u.code)
        self.township_of = {f.code: f.parent if f.parent in township_codes else None for f in self.facilities}
        population = rules["township_population"]
        missing = township_codes - set(population)
        if missing:
            raise DemoRuleError(f"township_population 缺少乡镇：{'、'.join(sorted(missing))}")
        mean = sum(population[t] for t in township_codes) / len(township_codes)
        # A health centre's size follows its township's population; county-level facilities have size 1.
        self.size = {f.code: population[self.township_of[f.code]] / mean if self.township_of[f.code] else 1.0
                     for f in self.facilities}  # fmt: skip
        self.population = population
        self.values: dict[tuple[str, int], dict[str, float]] = {}
        self._persistent: dict[tuple[str, str], float] = {}

    # --- helpers ---------------------------------------------------------------------------------------

    def get(self, code: str, i: int, unit: str) -> float:
        try:
            return self.values[(code, i)][unit]
        except KeyError:
            raise DemoRuleError(f"规则引用了尚未生成的数据项 {code}（单位 {unit}）") from None

    def cap_of(self, spec: dict, i: int, unit: str) -> int:
        return int(sum(self.get(c, i, unit) for c in spec["cap"]))

    def factor(self, spec: dict, unit: str, i: int) -> float:
        """Persistent per-unit factor × this year's noise × any per-unit trend named in the rule."""
        key = (spec["code"], unit)
        if key not in self._persistent:
            sigma = spec.get("jitter", 0.08)
            self._persistent[key] = math.exp(self.rng.gauss(0, sigma)) if sigma else 1.0
        noise = spec.get("noise", 0.02)
        trend = spec.get("unit_trend", {}).get(unit)
        return (
            self._persistent[key]
            * (math.exp(self.rng.gauss(0, noise)) if noise else 1.0)
            * (trend[i] if trend else 1.0)
        )

    def total(self, spec: dict, i: int) -> int:
        if "series" in spec:
            return int(spec["series"][i])
        return round(spec["rate"][i] * self.get(spec["of"], i, self.county.code) / spec["per"])

    def store(self, code: str, i: int, unit: str, value: float) -> None:
        self.values.setdefault((code, i), {})[unit] = value

    def roll_up(self, code: str, i: int, facilities: list[Unit]) -> None:
        """Township and county values of a facility element: the sums of the facilities beneath them."""
        for t in self.townships:
            self.store(
                code,
                i,
                t.code,
                sum(self.get(code, i, f.code) for f in facilities if self.township_of[f.code] == t.code),
            )
        self.store(code, i, self.county.code, sum(self.get(code, i, f.code) for f in facilities))

    # --- one rule per kind -----------------------------------------------------------------------------

    def township_rule(self, spec: dict, i: int) -> None:
        code = spec["code"]
        if "scale" in spec:
            scale = spec["scale"]["default"]
            for t in self.townships:
                self.store(
                    code,
                    i,
                    t.code,
                    round(self.get(spec["of"], i, t.code) * scale * self.factor(spec, t.code, i)),
                )
        else:
            weights = [
                (self.get(spec["of"], i, t.code) if "of" in spec else self.population[t.code])
                * self.factor(spec, t.code, i)
                for t in self.townships
            ]
            caps = [self.cap_of(spec, i, t.code) for t in self.townships] if "cap" in spec else None
            for t, v in zip(self.townships, allocate(self.total(spec, i), weights, caps), strict=True):
                self.store(code, i, t.code, v)
        self.store(code, i, self.county.code, sum(self.get(code, i, t.code) for t in self.townships))

    def facility_rule(self, spec: dict, i: int) -> None:
        code = spec["code"]
        if "sum" in spec or "scale" in spec:
            sources = spec.get("sum") or [spec["of"]]
            # A facility gets the derived value when it reports any of its parts (村卫生室 have no 药师 row).
            eligible = [
                f for f in self.facilities if any(f.code in self.values.get((c, i), {}) for c in sources)
            ]
            for f in eligible:
                scale = spec["scale"].get(f.unit_type, spec["scale"]["default"])
                base = sum(self.values.get((c, i), {}).get(f.code, 0) for c in sources)
                # Never below the parts it sums (a 卫技 total under its 医师+护士 would fail the form's check).
                value = round(base * scale * self.factor(spec, f.code, i))
                self.store(code, i, f.code, max(value, base) if "sum" in spec else value)
        else:
            weights_by_type = spec["weights"]
            eligible = [f for f in self.facilities if f.unit_type in weights_by_type]
            weights = [
                weights_by_type[f.unit_type] * self.size[f.code] * self.factor(spec, f.code, i)
                for f in eligible
            ]
            caps = [self.cap_of(spec, i, f.code) for f in eligible] if "cap" in spec else None
            for f, v in zip(eligible, allocate(self.total(spec, i), weights, caps), strict=True):
                self.store(code, i, f.code, v)
        self.roll_up(code, i, eligible)

    def region_rule(self, spec: dict, i: int) -> None:
        code = spec["code"]
        regions = [*self.townships, self.county]
        for r in regions:
            if "count_units" in spec:
                types = spec["count_units"]
                inside = [f for f in self.facilities if f.unit_type in types]
                if r is not self.county:
                    inside = [f for f in inside if self.township_of[f.code] == r.code]
                extra = spec.get("extra_county", [0] * len(self.years))[i] if r is self.county else 0
                value = len(inside) + extra
            elif "sum" in spec:
                value = sum(self.get(c, i, r.code) for c in spec["sum"])
            else:  # a county-only count that townships report as 0 on the same form
                value = spec["series"][i] if r is self.county else 0
            self.store(code, i, r.code, value)

    def county_rule(self, spec: dict, i: int) -> None:
        self.store(spec["code"], i, self.county.code, spec["series"][i])

    # --- quarters --------------------------------------------------------------------------------------

    def quarters(self) -> dict[tuple[str, str], dict[str, int]]:
        """(element, quarter code) -> unit -> value; each township's quarters add up to its annual value."""
        result: dict[tuple[str, str], dict[str, int]] = {}
        q_rules = self.rules["quarterly"]
        for year in q_rules["years"]:
            i = self.years.index(year)
            for spec in q_rules["elements"]:
                code = spec["code"]
                for t in self.townships:
                    annual = int(self.get(code, i, t.code))
                    if spec.get("even"):
                        weights = [1.0, 1.0, 1.0, 1.0]
                    elif "like" in spec:
                        weights = [result[(spec["like"], f"{year}Q{q}")][t.code] + 0.01 for q in range(1, 5)]
                    else:
                        weights = [w * math.exp(self.rng.gauss(0, 0.08)) for w in spec["season"]]
                    caps = (
                        [result[(spec["cap"], f"{year}Q{q}")][t.code] for q in range(1, 5)]
                        if "cap" in spec
                        else None
                    )
                    for q, v in enumerate(allocate(annual, weights, caps), start=1):
                        result.setdefault((code, f"{year}Q{q}"), {})[t.code] = v
                for q in range(1, 5):
                    cell = result[(code, f"{year}Q{q}")]
                    cell[self.county.code] = sum(cell[t.code] for t in self.townships)
        return result

    # --- everything ------------------------------------------------------------------------------------

    def run(self) -> list[ValueRow]:
        handlers = {"township": self.township_rule, "facility": self.facility_rule,
                    "region": self.region_rule, "county": self.county_rule}  # fmt: skip
        provenance: dict[str, dict] = {}
        for spec in self.rules["elements"]:
            if spec.get("at") not in handlers:
                raise DemoRuleError(f"数据项 {spec.get('code')} 的 at 应为 {'/'.join(handlers)} 之一")
            provenance[spec["code"]] = spec.get("provenance") or {}
            for i in range(len(self.years)):
                handlers[spec["at"]](spec, i)
        rows: list[ValueRow] = []
        for (code, i), cells in self.values.items():
            prov = provenance[code]
            for unit, value in sorted(cells.items()):
                rows.append(
                    (
                        code,
                        str(self.years[i]),
                        unit,
                        value,
                        prov.get("kind"),
                        prov.get("formula"),
                        prov.get("source"),
                    )
                )
        q_prov = {
            s["code"]: s.get("provenance") or provenance.get(s["code"], {})
            for s in self.rules["quarterly"]["elements"]
        }
        for (code, period), cells in self.quarters().items():
            prov = q_prov[code]
            for unit, value in sorted(cells.items()):
                rows.append(
                    (code, period, unit, value, prov.get("kind"), prov.get("formula"), prov.get("source"))
                )
        return rows


def generate_values(rules: dict[str, Any], units: Iterable[Unit]) -> list[ValueRow]:
    """All demo values (annual for rules["years"], quarterly per rules["quarterly"]) as ValueRow tuples."""
    try:
        return _Generator(rules, units).run()
    except (KeyError, IndexError, TypeError) as exc:
        raise DemoRuleError(f"示例数据规则（values.json）不完整或格式不对：{exc!r}") from exc

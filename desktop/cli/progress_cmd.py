"""`healthdesk progress`: every indicator of a plan against its targets, with status and reason."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import UserError, display_width, format_table, open_db, out, print_json


def register(sub: argparse._SubParsersAction) -> None:
    progress = sub.add_parser(
        "progress",
        help="规划监测：各指标对照目标的进展",
        description="按规划列出每个指标的目标原文、计算出的目标值、最新值、进展状态和原因。",
    )
    progress.add_argument("--db", type=Path, help="数据库文件路径（默认：用户数据文件夹）")
    progress.add_argument("--plan", required=True, help="规划编号（plans list 中的 ID）或代码")
    progress.add_argument("--year", type=int, help="评价年份（默认：有数据的最近一年）")
    progress.add_argument("--org", help="机构代码（默认：全县）")
    progress.add_argument("--json", action="store_true", help="以 JSON 输出")
    progress.set_defaults(handler=run)


def _clip(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    shown = ""
    for ch in text:
        if display_width(shown + ch) > width - 1:
            break
        shown += ch
    return shown + "…"


def run(args: argparse.Namespace) -> int:
    from desktop.cli.plans_cmd import find_plan
    from desktop.ops.monitoring import MonitoringError, default_year, evaluate_plan
    from desktop.store import orgunits

    conn = open_db(args.db)
    try:
        plan = find_plan(conn, args.plan)
        unit_id = None
        if args.org:
            unit = orgunits.get_org_unit_by_code(conn, args.org)
            if unit is None:
                raise UserError(f"找不到机构代码“{args.org}”")
            unit_id = unit.id
        try:
            year = args.year if args.year is not None else default_year(conn, plan)
            if not 1900 <= year <= 2100:
                raise UserError(f"年份“{year}”不对：请写四位年份，如 2024")
            result = evaluate_plan(conn, plan.id, year, unit_id)
        except MonitoringError as exc:
            raise UserError(exc.message) from exc
    finally:
        conn.close()

    if args.json:
        print_json(progress_as_dict(result))
        return 0
    out(f"{result.plan.title} — {result.unit.name} — {result.year}年")
    out(result.summary_zh())
    out("")
    rows = []
    for r in result.rows:
        headline = r.headline
        latest = f"{r.latest[1]:.{r.decimals}f}（{r.latest[0]}年）" if r.latest else "—"
        target = f"{headline.year}年：{headline.raw}" if headline else "—"
        rows.append(
            [
                r.seq or "",
                _clip(r.name, 28),
                target,
                headline.threshold_text if headline else "—",
                latest,
                r.status_label,
                r.reason,
            ]
        )
    out(format_table(["序号", "指标", "目标原文", "目标值", "最新值", "状态", "原因"], rows, max_width=400))
    return 0


def progress_as_dict(result) -> dict[str, object]:
    """A plain-data form of a plan evaluation (ops.monitoring.PlanProgress), for --json."""
    from dataclasses import fields

    settings = {f.name: getattr(result.settings, f.name) for f in fields(result.settings)}
    return {
        "plan": {"id": result.plan.id, "code": result.plan.code, "title": result.plan.title},
        "unit": {"id": result.unit.id, "code": result.unit.code, "name": result.unit.name},
        "year": result.year,
        "counts": result.counts(),
        "settings": settings,
        "indicators": [
            {
                "seq": r.seq,
                "domain": r.domain,
                "name": r.name,
                "indicator_code": r.indicator_code,
                "unit": r.unit,
                "nature": r.nature,
                "baseline": {
                    "raw": r.baseline_raw,
                    "value": r.baseline_value,
                    "year": r.baseline_year,
                    "source": r.baseline_source,
                    "note": r.baseline_note or None,
                },
                "latest": {"year": r.latest[0], "value": r.latest[1]} if r.latest else None,
                "status": r.status,
                "status_label": r.status_label,
                "reason": r.reason,
                "partial": dict(r.coverage),
                "milestones": [
                    {
                        "year": m.year,
                        "raw": m.raw,
                        "kind": m.kind,
                        "threshold": m.evaluation.threshold,
                        "threshold_max": m.evaluation.threshold_max,
                        "threshold_text": m.threshold_text,
                        "status": m.status,
                        "reason": m.evaluation.reason,
                        "required_annual_change": m.evaluation.required_annual_change,
                        "observed_annual_change": m.evaluation.observed_annual_change,
                        "change_mode": m.evaluation.change_mode,
                    }
                    for m in r.milestones
                ],
            }
            for r in result.rows
        ],
    }

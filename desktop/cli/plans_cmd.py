"""`healthdesk plans list|show`: the plan library, with indicators and parsed targets."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import UserError, format_table, open_db, out, print_json
from desktop.core.target_words import KIND_LABELS_ZH


def register(sub: argparse._SubParsersAction) -> None:
    plans = sub.add_parser(
        "plans", help="查看规划库", description="列出规划，或显示一个规划的指标和解析后的目标。"
    )
    plans_sub = plans.add_subparsers(dest="plans_command", metavar="操作", required=True)
    plans_list = plans_sub.add_parser("list", help="列出全部规划")
    plans_show = plans_sub.add_parser("show", help="显示一个规划的指标和目标")
    plans_show.add_argument("plan", help="规划编号（list 中的 ID）或代码")
    for p in (plans_list, plans_show):
        p.add_argument("--db", type=Path, help="数据库文件路径（默认：用户数据文件夹）")
        p.add_argument("--json", action="store_true", help="以 JSON 输出")
    plans.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from desktop.store import plans

    conn = open_db(args.db)
    try:
        if args.plans_command == "list":
            rows = plans.list_plans(conn)
            counts = dict(
                conn.execute("SELECT plan_id, count(*) FROM plan_indicator GROUP BY plan_id").fetchall()
            )
            if args.json:
                print_json([{**_plan_dict(p), "indicator_count": counts.get(p.id, 0)} for p in rows])
            else:
                table = [
                    [str(p.id), p.code, p.title, p.doc_number or "—", _period(p), str(counts.get(p.id, 0))]
                    for p in rows
                ]
                out(format_table(["ID", "代码", "规划名称", "文号", "规划期", "指标数"], table))
            return 0
        plan = _find_plan(conn, args.plan)
        indicators = plans.list_plan_indicators(conn, plan.id)
        if args.json:
            print_json({**_plan_dict(plan), "indicators": [_indicator_dict(pi) for pi in indicators]})
        else:
            out(
                f"{plan.title}（{plan.doc_number or '无文号'}，{_period(plan)}，基期 {plan.baseline_year or '—'} 年）"
            )
            table = []
            for pi in indicators:
                for t in pi.targets or (None,):
                    table.append(
                        [
                            pi.seq or "",
                            pi.name_as_written,
                            pi.unit_as_written or "",
                            pi.baseline_raw or "",
                            str(t.year) if t else "",
                            t.raw if t else "",
                            KIND_LABELS_ZH.get(t.kind, t.kind) if t else "",
                            (t.note or "") if t else "",
                        ]
                    )
            out(format_table(["序号", "指标", "单位", "基期", "年份", "目标原文", "类型", "解读"], table))
        return 0
    finally:
        conn.close()


def _find_plan(conn, key: str):
    from desktop.store import plans

    plan = plans.get_plan(conn, int(key)) if key.isdigit() else plans.get_plan_by_code(conn, key)
    if plan is None:
        known = "、".join(f"{p.id}（{p.code}）" for p in plans.list_plans(conn)) or "无"
        raise UserError(f"找不到规划“{key}”。现有规划：{known}")
    return plan


def _period(plan) -> str:
    if plan.period_start and plan.period_end:
        return f"{plan.period_start}—{plan.period_end}"
    return "—"


def _plan_dict(plan) -> dict:
    return {k: getattr(plan, k) for k in plan.__dataclass_fields__}


def _indicator_dict(pi) -> dict:
    data = {k: getattr(pi, k) for k in pi.__dataclass_fields__ if k != "targets"}
    data["targets"] = [{k: getattr(t, k) for k in t.__dataclass_fields__ if k != "id"} for t in pi.targets]
    return data

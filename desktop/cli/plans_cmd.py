"""`healthdesk plans list|show|import-table`: the plan library, with indicators and parsed targets, and importing a
new plan from an indicator table (tab-separated text as Word/WPS/Excel copy it, or an xlsx file)."""

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
    plans_import = plans_sub.add_parser(
        "import-table",
        help="从指标表导入新规划",
        description="读取从 Word/WPS/Excel 复制并保存的指标表（制表符分隔的文本，或 xlsx 工作簿），"
        "显示每个单元格的解读，确认无误后保存为新规划。FILE 为“-”时从标准输入读取。",
    )
    plans_import.add_argument(
        "file", metavar="FILE", help="指标表文件（.xlsx、.txt、.tsv），或 - 表示标准输入"
    )
    plans_import.add_argument("--title", help="新规划的名称（保存时必填）")
    plans_import.add_argument("--sheet", help="xlsx 中的工作表名称（默认：第一个含表头的工作表）")
    plans_import.add_argument("--baseline-year", type=int, help="基期年份（表头未写明时）")
    plans_import.add_argument("--dry-run", action="store_true", help="只显示解读结果，不保存")
    plans_import.add_argument(
        "--force", action="store_true", help="有无法识别的单元格时仍然保存（这些目标将显示为“无法判断”）"
    )
    for p in (plans_list, plans_show, plans_import):
        p.add_argument("--db", type=Path, help="数据库文件路径（默认：用户数据文件夹）")
        p.add_argument("--json", action="store_true", help="以 JSON 输出")
    plans.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from desktop.store import plans

    if args.plans_command == "import-table":
        return _import_table(args)
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
        plan = find_plan(conn, args.plan)
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


def find_plan(conn, key: str):
    """The plan named by key (its ID or its code); UserError listing the plans there are otherwise."""
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


def _import_table(args: argparse.Namespace) -> int:
    import sys

    from desktop.io.plan_table import PlanTableError, read_plan_file, read_plan_text
    from desktop.ops.plan_import import (
        PlanImportError,
        describe_cell_problem,
        import_plan_table,
        preview_as_dict,
        preview_plan_table,
    )

    if not args.dry_run and not (args.title or "").strip():
        raise UserError("请用 --title 给出新规划的名称（或加 --dry-run 只查看解读结果）")
    try:
        if args.file == "-":
            table = read_plan_text(sys.stdin.read(), source="标准输入", baseline_year=args.baseline_year)
        else:
            path = Path(args.file)
            if not path.exists():
                raise UserError(f"找不到文件“{path}”")
            table = read_plan_file(path, sheet=args.sheet, baseline_year=args.baseline_year)
    except PlanTableError as exc:
        raise UserError(exc.message) from exc

    conn = open_db(args.db)
    try:
        preview = preview_plan_table(conn, table)
        unreadable = preview.unreadable_cells
        result = None
        if not args.dry_run:
            if unreadable and not args.force:
                listed = "\n".join("  " + describe_cell_problem(r, c) for r, c in unreadable)
                raise UserError(
                    f"有 {len(unreadable)} 个单元格无法识别，未保存：\n{listed}\n"
                    "请修改原表后重试，或加 --force 仍然保存。"
                )
            try:
                result = import_plan_table(conn, preview, title=args.title, baseline_year=args.baseline_year)
            except PlanImportError as exc:
                raise UserError(exc.message) from exc
    finally:
        conn.close()

    if args.json:
        data = preview_as_dict(preview)
        data["saved"] = (
            None
            if result is None
            else {
                "plan_id": result.plan_id,
                "plan_code": result.plan_code,
                "rows": result.rows,
                "targets": result.targets,
                "indicators_created": result.indicators_created,
                "aliases_added": result.aliases_added,
            }
        )
        print_json(data)
        return 0
    years = table.target_years
    base = f"基期（{table.baseline_year}年）" if table.baseline_year else "基期"
    headers = ["行", "序号", "领域", "指标", "单位", "对应指标", base] + [f"{y}年" for y in years]
    rows = []
    for r in preview.rows:
        cells = [
            str(r.row.line),
            r.row.seq or "",
            r.row.domain or "",
            r.row.name,
            r.row.unit or "",
            r.match.code if r.match else "（新建）",
            _cell_text(r.baseline) if r.baseline else "",
        ]
        cells += [_cell_text(c) for c in r.targets]
        rows.append(cells)
    out(format_table(headers, rows, max_width=36))
    for problem in table.problems:
        out(f"注意：{problem}")
    for r, c in unreadable:
        out(f"无法识别：{describe_cell_problem(r, c)}")
    if result is None:
        out(f"（试运行）共 {len(preview.rows)} 行，{preview.matched} 行对应已有指标；未保存。")
    else:
        out(
            f"已保存为规划 {result.plan_id}（{result.plan_code}）：{result.rows} 个指标行，{result.targets} 个目标值，"
            f"新建指标 {result.indicators_created} 个。"
        )
    return 0


def _cell_text(cell) -> str:
    if cell.unreadable:
        return f"{cell.raw} ✗无法识别"
    mark = "？" if cell.ambiguous else ""
    if cell.kind == "baseline" and cell.reading.value is None:
        return f"{cell.raw} → 无基期值"  # "- → 基期值" read as if "-" were a figure
    return f"{cell.raw} → {cell.label}{mark}"

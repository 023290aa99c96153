"""`healthdesk export` and `healthdesk import-return`: provincial-format returns on the command line.

    healthdesk export --db PATH --template ID --org CODE --period P --out FILE.xlsx|FILE.pdf
    healthdesk import-return --db PATH FILE [--apply] [--user NAME]

An expired template still exports, with a warning on stderr. import-return shows old → new for every value
and writes only with --apply (in one transaction, each change audited); a workbook with any problem is
refused with the sheet and cell of each problem, and nothing is written.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from desktop.cli.common import UserError, err, format_table, open_db, out, print_json


def register(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser(
        "export",
        help="导出省定格式报表（Excel 或 PDF）",
        description="按报表模板从数据库生成报表，导出为 .xlsx 或 .pdf。不带 --template 时列出全部模板。",
    )
    export.add_argument("--db", type=Path, help="数据库文件路径（默认：用户数据文件夹）")
    export.add_argument("--template", help="报表模板 ID 或表号，如 resources-annual")
    export.add_argument("--org", help="填报单位代码（单位代码、统一社会信用代码或行政区划代码），如 370725")
    export.add_argument("--period", help="报告期，如 2024、2024Q3、2024年第3季度")
    export.add_argument("--out", type=Path, help="输出文件，扩展名 .xlsx 或 .pdf")
    export.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    export.set_defaults(handler=run_export)

    imp = sub.add_parser(
        "import-return",
        help="导入填好的报表（先预览差异，加 --apply 才写入）",
        description="读取由本程序导出、已填好的报表工作簿，按表号和行代码对应，列出每个数值的原值 → 新值。",
    )
    imp.add_argument("file", type=Path, help="填好的报表（.xlsx）")
    imp.add_argument("--db", type=Path, help="数据库文件路径（默认：用户数据文件夹）")
    imp.add_argument("--apply", action="store_true", help="确认写入数据库（不加则只预览）")
    imp.add_argument(
        "--user", help="操作人姓名，记入审计记录（默认：程序设置中的当前用户姓名，未设置时为系统登录名）"
    )
    imp.add_argument("--json", action="store_true", help="以 JSON 输出差异")
    imp.set_defaults(handler=run_import)


def _templates_text(db: Path | None) -> str:
    """The templates as a table; with --db, the identity block in force there (表头设置 overrides it).
    A template file that cannot be read is left out and named on stderr; an expired one is marked."""
    from datetime import date

    from desktop.io.template_model import format_valid_until
    from desktop.ops.returns import effective_identity, list_templates

    problems: list[str] = []
    templates = list_templates(problems=problems)
    conn = open_db(db) if db is not None else None
    try:
        rows = []
        for t in templates:
            identity = effective_identity(conn, t) if conn is not None else t.identity
            until = format_valid_until(identity.valid_until)
            rows.append(
                [
                    t.id,
                    identity.table_no,
                    t.title,
                    {"year": "年报", "quarter": "季报", "month": "月报"}.get(t.period_type, ""),
                    until + ("（已过期）" if identity.expired_on(date.today()) else ""),
                ]
            )
    finally:
        if conn is not None:
            conn.close()
    for problem in problems:
        err(f"警告：{problem}（此模板未列出）")
    return format_table(["模板 ID", "表号", "报表名称", "报告期", "有效期至"], rows)


def run_export(args: argparse.Namespace) -> int:
    from desktop.ops.returns import ReturnError, export_return

    try:
        if not args.template:
            out(_templates_text(args.db))
            return 0
        missing = [name for name in ("org", "period", "out") if not getattr(args, name)]
        if missing:
            raise UserError(
                f"缺少 {'、'.join('--' + m for m in missing)}。例如：healthdesk export --db 数据库 "
                f"--template {args.template} --org 370725 --period 2024 --out 报表.xlsx"
            )
        conn = open_db(args.db)
        try:
            result = export_return(
                conn,
                template_id=args.template,
                org_unit_code=args.org,
                period=args.period,
                out_path=args.out,
            )
        finally:
            conn.close()
    except ReturnError as exc:
        raise UserError(exc.message) from exc
    for warning in result.warnings:
        err(f"警告：{warning}")
    if args.json:
        print_json(
            {
                "path": str(result.path),
                "format": result.format,
                "rows": result.rows,
                "seconds": round(result.seconds, 3),
                "warnings": list(result.warnings),
                "missing_chars": list(result.missing_chars),
            }
        )
    else:
        out(f"已导出：{result.path}（{result.rows} 行，用时 {result.seconds:.2f} 秒）")
    return 0


def _text(value) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def run_import(args: argparse.Namespace) -> int:
    from desktop.ops.import_return import ReturnImportRefused, apply_return_import, read_return_file
    from desktop.ops.returns import ReturnError
    from desktop.ops.users import current_user

    conn = open_db(args.db)
    try:
        try:
            plan = read_return_file(conn, args.file)
        except ReturnImportRefused as exc:
            err(f"“{args.file.name}”不能导入，未写入任何数据：")
            for problem in exc.problems:
                err(f"  {problem}")
            return 2
        except ReturnError as exc:
            raise UserError(exc.message) from exc
        if args.json:
            print_json(
                {
                    "template": plan.template.id,
                    "unit": plan.unit.code,
                    "period": plan.period.code,
                    "unchanged": plan.unchanged,
                    "changes": [
                        {
                            "cell": c.cell,
                            "row_code": c.row_code,
                            "name": c.row_name,
                            "column": c.column_title,
                            "element": c.element_code,
                            "unit": c.org_unit_code,
                            "period": c.period,
                            "old": c.old,
                            "new": c.new,
                        }
                        for c in plan.changes
                    ],
                    "notes": list(plan.notes),
                    "applied": bool(args.apply and plan.changes),
                }
            )
        else:
            for line in plan.describe():
                out(line)
            if plan.changes:
                rows = [
                    [
                        c.cell,
                        c.row_code,
                        c.row_name,
                        c.org_unit_name,
                        c.column_title,
                        _text(c.old) + ("（汇总）" if c.old_was_rollup else ""),
                        _text(c.new),
                    ]
                    for c in plan.changes
                ]
                out(format_table(["单元格", "代码", "指标", "单位", "栏目", "原值", "新值"], rows))
        if not plan.changes:
            if not args.json:
                out("没有需要写入的数值。")
            return 0
        if not args.apply:
            if not args.json:
                out("以上为预览，未写入数据库。确认无误后加 --apply 写入。")
            return 0
        # The same name the window records (设置 → 当前用户姓名), unless one is given for this run.
        user = args.user or os.environ.get("HEALTHDESK_USER") or current_user(conn)
        try:
            result = apply_return_import(conn, plan, user=user)
        except ReturnError as exc:
            raise UserError(exc.message) from exc
        if not args.json:
            out(f"已写入 {result.applied} 个数值（操作人：{user}），每项修改均已记入审计记录。")
        return 0
    finally:
        conn.close()

"""The command line: a thin adapter over ops. JSON out where a machine reads it, tables for people.

Exit codes: 0 done, 2 the input or the file was refused (with a Chinese message on stderr), 1 an unexpected
error (logged; the message says where the log is). No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from desktop import APP_NAME_ZH, __version__
from desktop.core import paths

log = logging.getLogger(__name__)

KIND_LABELS = {
    "level": "达到",
    "at_least": "不低于",
    "at_most": "不高于",
    "approx": "左右",
    "range": "区间",
    "relative_to_base": "较基期",
    "points_change": "百分点",
    "annual_change": "年均",
    "direction": "趋势",
    "coverage": "全覆盖",
    "comparator": "比较",
    "none": "无",
}


class UserError(Exception):
    """Bad input from the command line: printed as is, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="healthdesk",
        description=f"{APP_NAME_ZH}（County Health Desk）。不带子命令时打开主窗口。",
        epilog="另有 healthdesk screenshot --db 数据库 --out 文件夹：把主要界面渲染为 PNG（无需显示器）。",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    init = sub.add_parser(
        "init", help="创建或升级数据库", description="创建数据库（或把旧版本数据库升级到当前版本）。"
    )
    init.add_argument("--db", type=Path, help="数据库文件路径（默认：用户数据文件夹）")
    init.add_argument("--demo", action="store_true", help="同时生成示例县（昌乐县）的示例数据")
    init.add_argument("--json", action="store_true", help="以 JSON 输出结果")

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

    targets = sub.add_parser("targets", help="目标写法解析", description="解析规划中目标值的写法。")
    targets_sub = targets.add_subparsers(dest="targets_command", metavar="操作", required=True)
    parse = targets_sub.add_parser("parse", help="解析一个目标写法，输出 JSON")
    parse.add_argument("text", help="目标值原文，如 “≦4”、“81左右”、“比2015年降低10”")
    parse.add_argument("--unit", help="指标的计量单位，如 %、‰、岁")

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _make_output_safe()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    handler = {
        "init": cmd_init,
        "plans": cmd_plans,
        "targets": cmd_targets,
    }[args.command]
    from desktop.store.db import DatabaseError

    try:
        return handler(args)
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early; not an error. Point stdout at devnull so the
        # interpreter's final flush does not complain (the recipe in Python's signal documentation).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (UserError, DatabaseError) as exc:
        err(f"错误：{getattr(exc, 'message', exc)}")
        return 2
    except Exception:
        log_file = _log_to_file()
        log.exception("command failed: %s", argv)
        err(f"出现意外错误，命令未完成。详细信息已写入日志：{log_file}")
        return 1


def _make_output_safe() -> None:
    """A Windows console in GBK cannot print every symbol; replace rather than crash mid-table."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _log_to_file() -> Path:
    log_dir = paths.log_dir()
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / "healthdesk-cli.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return log_file


def out(text: str) -> None:
    """The command's result, on stdout (the command line is the one place that writes to the console)."""
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _print_json(data: object) -> None:
    out(json.dumps(data, ensure_ascii=False, indent=2))


def _open(db: Path | None):
    """Open --db (refusing a missing file) or the user's default database (created with the demo county)."""
    from desktop.ops.init_db import open_or_create_default
    from desktop.store.migrations import open_database

    if db is None:
        return open_or_create_default().conn
    return open_database(db, create=False).conn


# --- init -----------------------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from desktop.ops.init_db import init_database

    db = args.db or paths.default_db_path()
    result = init_database(db, demo=args.demo)
    summary = result.summary()
    result.conn.close()
    if args.json:
        _print_json({"db": str(db), **summary})
    else:
        for line in result.describe():
            out(line)
    return 0


# --- plans ----------------------------------------------------------------------------------------------


def cmd_plans(args: argparse.Namespace) -> int:
    from desktop.store import plans

    conn = _open(args.db)
    try:
        if args.plans_command == "list":
            rows = plans.list_plans(conn)
            counts = dict(
                conn.execute("SELECT plan_id, count(*) FROM plan_indicator GROUP BY plan_id").fetchall()
            )
            if args.json:
                _print_json([{**_plan_dict(p), "indicator_count": counts.get(p.id, 0)} for p in rows])
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
            _print_json({**_plan_dict(plan), "indicators": [_indicator_dict(pi) for pi in indicators]})
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
                            KIND_LABELS.get(t.kind, t.kind) if t else "",
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


# --- targets --------------------------------------------------------------------------------------------


def cmd_targets(args: argparse.Namespace) -> int:
    from desktop.core.targets import parse_target

    if not args.text.strip():
        raise UserError('目标原文为空：请给出要解析的文字，例如 healthdesk targets parse "≦4"')
    _print_json(parse_target(args.text, unit=args.unit).to_dict())
    return 0


# --- text tables ----------------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(headers: list[str], rows: list[list[str]], max_width: int = 40) -> str:
    """A plain aligned text table that lines up Chinese text (long cells are cut with …)."""

    def clip(cell: str) -> str:
        cell = cell.replace("\n", " ")
        if display_width(cell) <= max_width:
            return cell
        out = ""
        for ch in cell:
            if display_width(out + ch) > max_width - 1:
                break
            out += ch
        return out + "…"

    cells = [[clip(c) for c in row] for row in [headers, *rows]]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append(
            "  ".join(c + " " * (w - display_width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)

"""`healthdesk targets parse TEXT`: read one target notation and print it as JSON."""

from __future__ import annotations

import argparse

from desktop.cli.common import UserError, print_json


def register(sub: argparse._SubParsersAction) -> None:
    targets = sub.add_parser("targets", help="目标写法解析", description="解析规划中目标值的写法。")
    targets_sub = targets.add_subparsers(dest="targets_command", metavar="操作", required=True)
    parse = targets_sub.add_parser("parse", help="解析一个目标写法，输出 JSON")
    parse.add_argument("text", help="目标值原文，如 “≦4”、“81左右”、“比2015年降低10”")
    parse.add_argument("--unit", help="指标的计量单位，如 %、‰、岁")
    targets.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from desktop.core.targets import parse_target

    if not args.text.strip():
        raise UserError('目标原文为空：请给出要解析的文字，例如 healthdesk targets parse "≦4"')
    print_json(parse_target(args.text, unit=args.unit).to_dict())
    return 0

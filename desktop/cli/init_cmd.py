"""`healthdesk init`: create a database, or migrate an older one; optionally with the demo county."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import out, print_json
from desktop.core import paths


def register(sub: argparse._SubParsersAction) -> None:
    init = sub.add_parser(
        "init", help="创建或升级数据库", description="创建数据库（或把旧版本数据库升级到当前版本）。"
    )
    init.add_argument("--db", type=Path, help="数据库文件路径（默认：用户数据文件夹）")
    init.add_argument("--demo", action="store_true", help="同时生成示例县（昌乐县）的示例数据")
    init.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    init.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from desktop.ops.init_db import init_database

    db = args.db or paths.default_db_path()
    result = init_database(db, demo=args.demo)
    summary = result.summary()
    result.conn.close()
    if args.json:
        print_json({"db": str(db), **summary})
    else:
        for line in result.describe():
            out(line)
    return 0

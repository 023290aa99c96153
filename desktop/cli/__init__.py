"""The command line: a thin adapter over ops. JSON out where a machine reads it, tables for people.

Each subcommand lives in its own module with `register(subparsers)`, which sets `handler`; add a new one to
COMMANDS here and its name to desktop.__main__.SUBCOMMANDS.

Exit codes: 0 done, 2 the input or the file was refused (with a Chinese message on stderr), 1 an unexpected
error (logged; the message says where the log is). No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop import APP_NAME_ZH, __version__
from desktop.cli import init_cmd, plans_cmd, progress_cmd, returns_cmd, targets_cmd
from desktop.cli.common import UserError, err
from desktop.core import paths

log = logging.getLogger(__name__)

COMMANDS = (init_cmd, plans_cmd, progress_cmd, targets_cmd, returns_cmd)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="healthdesk",
        description=f"{APP_NAME_ZH}（County Health Desk）。不带子命令时打开主窗口。",
        epilog="另有 healthdesk screenshot --db 数据库 --out 文件夹：把主要界面渲染为 PNG（无需显示器）。",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _make_output_safe()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    handler = args.handler
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

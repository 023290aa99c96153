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
from desktop.cli.common import UserError, err, use_chinese_argparse
from desktop.core import paths
from desktop.core.logs import setup_file_log

log = logging.getLogger(__name__)

# The window's open-error dialog has a 从备份恢复 button; here the clerk needs the folder to look in.
RESTORE_HINT = "可以从备份恢复：备份在“{folder}”中，在主窗口中打开这个文件时会提供“从备份恢复”。"

COMMANDS = (init_cmd, plans_cmd, progress_cmd, targets_cmd, returns_cmd)


def build_parser() -> argparse.ArgumentParser:
    use_chinese_argparse()  # before any parser exists: section titles are looked up when a parser is made
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
    from desktop.store.db import DamagedDatabase, DatabaseError

    try:
        return handler(args)
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early; not an error. Point stdout at devnull so the
        # interpreter's final flush does not complain (the recipe in Python's signal documentation).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (UserError, DatabaseError) as exc:
        err(f"错误：{getattr(exc, 'message', exc)}")
        if isinstance(exc, DamagedDatabase):
            err(RESTORE_HINT.format(folder=paths.backups_dir_for((exc.path or Path(".")).resolve())))
        return 2
    except Exception as exc:
        log_file = _log_to_file()
        log.exception("command failed: %s", argv)
        if log_file is None:
            err(f"出现意外错误，命令未完成：{type(exc).__name__}: {exc}（日志文件无法写入）")
        else:
            err(f"出现意外错误，命令未完成。详细信息已写入日志：{log_file}")
        return 1


def _make_output_safe() -> None:
    """A Windows console in GBK cannot print every symbol; replace rather than crash mid-table."""
    _ensure_streams()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _ensure_streams() -> None:
    """Give a windowed program (the installer's CountyHealthDesk.exe, built with console=False, or pythonw)
    somewhere to write: it starts with sys.stdout and sys.stderr set to None, and the first message would
    raise. Borrow the console of the cmd.exe that started it if there is one, else write nowhere."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    if sys.platform == "win32":
        try:
            import ctypes

            if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
                if sys.stdout is None:
                    sys.stdout = open("CONOUT$", "w", errors="replace")  # noqa: SIM115 (lives as long as the process)
                if sys.stderr is None:
                    sys.stderr = open("CONOUT$", "w", errors="replace")  # noqa: SIM115
        except (AttributeError, OSError):
            pass
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def _log_to_file() -> Path | None:
    """Send the log to healthdesk-cli.log (rotating); None if it cannot be written (a read-only data folder)."""
    return setup_file_log("healthdesk-cli.log")

"""Helpers every command shares: output, errors, opening the database, text tables, Chinese argparse."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

# argparse's own words (usage, errors, section titles), which it looks up through gettext one by one at the
# time it prints them. The command line is Chinese; "usage: … error: the following arguments are required"
# in the middle of it reads like a crash to a statistician.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "expected one argument": "后面需要一个值",
    "expected at most one argument": "后面最多只能有一个值",
    "expected at least one argument": "后面至少需要一个值",
    "invalid %(type)s value: %(value)r": "值 %(value)r 无效",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选：%(choices)s）",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
}


def use_chinese_argparse() -> None:
    """Make argparse print its usage lines and errors in Chinese (its gettext hook, for this process)."""
    original = getattr(argparse, "_healthdesk_gettext", argparse._)
    argparse._healthdesk_gettext = original
    argparse._ = lambda message: ARGPARSE_ZH.get(message) or original(message)


class UserError(Exception):
    """Bad input from the command line: printed as is, exit code 2."""


def out(text: str) -> None:
    """The command's result, on stdout (the command line is the one place that writes to the console)."""
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


def print_json(data: object) -> None:
    out(json.dumps(data, ensure_ascii=False, indent=2))


def open_db(db: Path | None):
    """Open --db (refusing a missing file) or the user's default database (created with the demo county)."""
    from desktop.ops.init_db import open_or_create_default
    from desktop.store.migrations import open_database

    if db is None:
        return open_or_create_default().conn
    return open_database(db, create=False).conn


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

"""Helpers every command shares: output, errors, opening the database, text tables."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path


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

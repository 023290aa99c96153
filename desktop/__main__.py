"""`healthdesk` and `python -m desktop`: the window with no subcommand, the command line with one.

Kept tiny and lazy: the window path never imports the command line's modules and vice versa, so the
window starts as fast as it can and `healthdesk targets parse` never loads Qt.
"""

from __future__ import annotations

import sys

SUBCOMMANDS = {"export", "import-return", "init", "plans", "progress", "targets"}


def wants_command_line(argv: list[str]) -> bool:
    """True when argv names a subcommand or asks for help/version (the GUI takes only --db and probe flags).

    A first word that is neither a subcommand nor a file path is a mistyped subcommand (`healthdesk plan list`):
    the command line says so, instead of a window opening as if nothing had been asked.
    """
    if any(arg in SUBCOMMANDS or arg in ("-h", "--help", "--version") for arg in argv):
        return True
    first = argv[0] if argv else ""
    return bool(first) and not first.startswith("-") and not _looks_like_path(first)


def _looks_like_path(arg: str) -> bool:
    return any(ch in arg for ch in "/\\:.")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["screenshot"]:
        # Rendering screens needs Qt, which the command line layer never imports; the window side does it.
        from desktop.app import screenshot_main

        return screenshot_main(argv[1:])
    if wants_command_line(argv):
        from desktop.cli import main as cli_main

        return cli_main(argv)
    from desktop.app import main as app_main

    return app_main(argv)


if __name__ == "__main__":
    sys.exit(main())

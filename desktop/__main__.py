"""`healthdesk` and `python -m desktop`: the window with no subcommand, the command line with one.

Kept tiny and lazy: the window path never imports the command line's modules and vice versa, so the
window starts as fast as it can and `healthdesk targets parse` never loads Qt.
"""

from __future__ import annotations

import sys

SUBCOMMANDS = {"export", "import-return", "init", "plans", "progress", "targets"}


def wants_command_line(argv: list[str]) -> bool:
    """True when argv names a subcommand or asks for help/version (the GUI takes only --db and probe flags)."""
    return any(arg in SUBCOMMANDS or arg in ("-h", "--help", "--version") for arg in argv)


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

"""``python -m govdisclose``: the command line of govdisclose.cli.

``python -m govdisclose FILE...`` shows each report in full; ``check``,
``parse`` and ``years`` are the bulk commands (``--help`` lists them).
"""
import sys

from .cli import format_report, main

__all__ = ["main", "format_report"]

if __name__ == "__main__":
    sys.exit(main())

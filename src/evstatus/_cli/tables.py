"""``evstatus tables``: the decision and transition tables, as text or Markdown."""

from __future__ import annotations

import argparse
import shutil
from typing import IO, Any

from evstatus._tables import TABLE_ROWS, Table

from .exits import EXIT_OK
from .layout import fitted_table

__all__ = ["add_command", "table_text"]


def add_command(commands: Any) -> None:  # noqa: ANN401  (argparse's private type)
    """Add ``tables`` to the ``evstatus`` subcommands."""
    tables = commands.add_parser(
        "tables",
        help="print the decision and transition tables",
        description="Print every table evstatus decides by, as aligned text fitted "
        "to the terminal, or as Markdown.",
    )
    tables.add_argument(
        "--markdown", action="store_true", help="print Markdown tables instead"
    )
    tables.set_defaults(run=_run_tables, parser=tables)


def _run_tables(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    # The same tables, from the same code, as the documentation site shows.
    if arguments.markdown:
        out.write(
            "\n".join(
                f"{title}\n\n{rows().markdown()}\n"
                for title, rows in TABLE_ROWS.values()
            )
        )
        return EXIT_OK
    width = shutil.get_terminal_size().columns
    out.write(
        "\n".join(
            f"{title}\n\n{table_text(rows(), width)}"
            for title, rows in TABLE_ROWS.values()
        )
    )
    return EXIT_OK


def table_text(table: Table, width: int) -> str:
    """*table* as text fitted to *width* columns; code spans lose their back ticks.

    On a terminal the back ticks are noise; Markdown's escaping of ``|`` is
    no part of the rows, so nothing else is to be undone.
    """
    rows = [
        [cell.replace("`", "") for cell in row] for row in (table.header, *table.rows)
    ]
    return fitted_table(rows, width)

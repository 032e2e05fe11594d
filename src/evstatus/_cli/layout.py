"""Tables laid out as terminal text, from rows of cells.

:func:`table` aligns columns as they come (the replay's and uptime's
tables); :func:`fitted_table` fits a table to a terminal's width, wrapping
cells and keying a wide grid's columns by a legend (``evstatus tables``).
Cells are plain text: what comes from a log is made printable before.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Final

__all__ = ["display_width", "fitted_table", "plain_table", "table", "wrap_cell"]

_GUTTER: Final = 2
#: A column key, in a grid's header, is a number or a letter or two.
_KEY_LENGTH: Final = 2
#: A column is never made narrower than this, however little room there is.
_NARROWEST: Final = 6
_CAMEL_PARTS: Final = re.compile(r"[A-Z]+[a-z0-9]*|[a-z0-9]+|.")


def display_width(text: str) -> int:
    """How many terminal columns *text* takes: East Asian wide characters two."""
    if text.isascii():
        return len(text)
    return sum(
        0
        if unicodedata.combining(char)
        else 2
        if unicodedata.east_asian_width(char) in "WF"
        else 1
        for char in text
    )


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _column_widths(rows: Sequence[Sequence[str]]) -> list[int]:
    return [max(display_width(row[c]) for row in rows) for c in range(len(rows[0]))]


def table(rows: Sequence[Sequence[str]]) -> str:
    """Lay *rows* out in aligned columns, two spaces apart, trailing spaces cut."""
    widths = _column_widths(rows)
    # str.ljust pads by characters, which is the width for ASCII text: the
    # usual cell, and a replay's table has five per station.
    return "".join(
        "  ".join(
            cell.ljust(width) if cell.isascii() else _pad(cell, width)
            for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        + "\n"
        for row in rows
    )


def fitted_table(rows: Sequence[Sequence[str]], width: int) -> str:
    """Lay a table out for *width* columns, keyed by a legend if it is too wide.

    A grid such as the transition table heads its columns with "1 Available",
    "2 Preparing" and so on: too wide for most terminals, and wrapped it cuts
    every name. When the headers past the first all start with a key of their
    own, they are shortened to it, and a legend says what each key stands for.
    """
    header = rows[0]
    natural = sum(display_width(cell) for cell in header[1:])
    keys = [cell.split(" ", 1)[0] for cell in header[1:]]
    if (
        _total_width(rows) <= width
        or len(set(keys)) != len(keys)
        or any(" " not in cell for cell in header[1:])
        or any(len(key) > _KEY_LENGTH for key in keys)
        or sum(map(display_width, keys)) >= natural
    ):
        return plain_table(rows, width)
    # No-break spaces keep each key with its name; textwrap breaks at spaces only.
    entries = ", ".join(cell.replace(" ", "\u00a0") for cell in header[1:])
    legend = textwrap.fill(f"columns: {entries}", width=max(width, 20))
    legend = legend.replace("\u00a0", " ")
    shortened = [[header[0], *keys], *rows[1:]]
    return f"{legend}\n\n{plain_table(shortened, width)}"


def _total_width(rows: Sequence[Sequence[str]]) -> int:
    return sum(_column_widths(rows)) + _GUTTER * (len(rows[0]) - 1)


def plain_table(rows: Sequence[Sequence[str]], width: int) -> str:
    """Lay *rows* (the first is the header) out in aligned columns.

    Columns too wide for *width* are narrowed, the widest first, and their
    cells wrapped: at spaces, else between the parts of a CamelCase word, and
    only then anywhere.
    """
    count = len(rows[0])
    natural = _column_widths(rows)
    widths = _fit(natural, width - _GUTTER * (count - 1))
    gutter = " " * _GUTTER
    lines: list[str] = []
    for index, row in enumerate(rows):
        wrapped = [wrap_cell(cell, w) for cell, w in zip(row, widths, strict=True)]
        for part in range(max(map(len, wrapped))):
            cells = [cell[part] if part < len(cell) else "" for cell in wrapped]
            lines.append(
                gutter.join(
                    _pad(cell, w) for cell, w in zip(cells, widths, strict=True)
                ).rstrip()
            )
        if index == 0:
            lines.append(gutter.join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _fit(natural: list[int], room: int) -> list[int]:
    """Share *room* among columns: those narrower than a fair share get their width."""
    if sum(natural) <= room:
        return natural
    widths = list(natural)
    left, count = room, len(natural)
    for column in sorted(range(len(natural)), key=natural.__getitem__):
        widths[column] = min(natural[column], max(left // count, _NARROWEST))
        left -= widths[column]
        count -= 1
    return widths


def wrap_cell(cell: str, width: int) -> list[str]:
    """Break *cell* into lines of at most *width* columns."""
    if display_width(cell) <= width:
        return [cell]
    # Pieces, each with what joins it to the one before: a space between
    # words, nothing between the parts of one word.
    pieces: list[tuple[str, str]] = []
    for word in cell.split():
        joint = " "
        for part in _word_parts(word, width):
            pieces.append((joint, part))
            joint = ""
    lines: list[str] = []
    line = ""
    for joint, piece in pieces:
        if not line:
            line = piece
        elif display_width(line + joint + piece) <= width:
            line += joint + piece
        else:
            lines.append(line)
            line = piece
    lines.append(line)
    return lines


def _word_parts(word: str, width: int) -> Iterator[str]:
    if display_width(word) <= width:
        yield word
        return
    for part in _CAMEL_PARTS.findall(word):
        # What is still too long is cut: it fits nowhere else.
        yield from (part[start : start + width] for start in range(0, len(part), width))

r"""The one rule for text taken from a log before it is shown anywhere.

A station id (or any text) comes from the log. Printed raw, a newline in it
would fake a row, an escape sequence would drive the terminal, U+2028 or
U+0085 would break a line for many a reader, and a lone surrogate (from an
undecodable file name, or a ``\ud800`` escape in the JSON) cannot be written
as UTF-8 at all. Every output that shows such text (the command's text
tables and CSV, its JSON Lines, the HTML report) goes through this module:

- :func:`printable` for text, CSV and HTML: what is invisible is shown as a
  backslash escape, and a backslash is doubled;
- :func:`json_line` for JSON: JSON's own escapes, and ``\uXXXX`` for what
  JSON lets through raw.
"""

from __future__ import annotations

import json
import re
from typing import Final

__all__ = ["json_line", "printable"]


def printable(text: str) -> str:
    r"""Return *text* safe to show: invisible characters written as escapes.

    A backslash is doubled, so that an escape shown cannot be confused with
    the same text in the id.

    >>> print(printable("CP-1\n\x1b[2J\\"))
    CP-1\n\x1b[2J\\
    >>> print(printable("CP\u2028\x85\ud800"))
    CP\u2028\x85\ud800
    """
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(
        char if char.isprintable() and char != "\\" else _escape(char) for char in text
    )


def _escape(char: str) -> str:
    # unicode_escape gives \n, \t, \x1b, \u202e, \\ as Python writes them; a
    # lone surrogate too, through backslashreplace.
    return char.encode("unicode_escape", "backslashreplace").decode("ascii")


# JSON escapes the C0 controls; these pass through raw. C1 controls can start
# terminal escape sequences, Python's str.splitlines (and so many a JSON
# Lines reader) breaks lines at U+0085, U+2028 and U+2029, and a lone
# surrogate cannot be written as UTF-8.
_JSON_UNSAFE: Final = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def json_line(record: object) -> str:
    r"""Return *record* as one line of JSON, safe to print and to write as UTF-8.

    >>> print(json_line({"station": "CP\u2028\x1b\ud800"}), end="")
    {"station": "CP\u2028\u001b\ud800"}
    """
    text = json.dumps(record, ensure_ascii=False)
    if not text.isascii():
        text = _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
    return text + "\n"

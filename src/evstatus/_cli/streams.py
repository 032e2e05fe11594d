"""The command's input and output: the log's lines, the streams, output files.

A failure to read the input is an :class:`InputError`; a failure to write a
file is an :class:`OutputFileError`; each carries the message to print. An
output file is written whole or not at all, and never over an input.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Final

from evstatus._escape import printable

__all__ = [
    "BOM",
    "InputError",
    "OutputFileError",
    "check_not_input",
    "detach",
    "numbered_lines",
    "open_input",
    "say",
    "shown_name",
    "write_file",
]

BOM: Final = b"\xef\xbb\xbf"
#: What a line that is not UTF-8 is reported as.
NOT_UTF8: Final = "the line is not UTF-8 text"


class InputError(Exception):
    """The input failed; anything else an OSError can come from is the output."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.reason = error.strerror or str(error)


class OutputFileError(Exception):
    """An output file could not be written; the message says why."""


def shown_name(name: str) -> str:
    """Return how the input named *name* is shown in messages."""
    return "<stdin>" if name == "-" else printable(name)


def open_input(name: str) -> IO[bytes]:
    """Open the log named *name* (``-``: stdin) for reading bytes."""
    if name != "-":
        try:
            return Path(name).open("rb")
        except OSError as error:
            raise InputError(error) from None
    if sys.stdin is None:
        raise InputError(OSError(0, "standard input is closed"))
    return sys.stdin.buffer


def numbered_lines(stream: Iterable[bytes]) -> Iterator[tuple[int, str | None]]:
    """Yield each line with its number; None stands for a line not in UTF-8.

    A failure to read raises :class:`InputError`. Exceptions of the consumer
    never pass through here, so an OSError caught here is the input's.
    """
    try:
        lines = iter(stream)
        first = next(lines, None)
        if first is None:
            return
        # A byte order mark is no part of the first line.
        yield 1, _text(first.removeprefix(BOM))
        for number, raw in enumerate(lines, start=2):
            try:
                yield number, raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                yield number, None
    except OSError as error:
        raise InputError(error) from None


def _text(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return None


def detach(out: IO[str]) -> None:
    """Point a failed output stream at the null device.

    This keeps the interpreter's final flush of what is still buffered from
    failing the same way.
    """
    try:
        descriptor = out.fileno()
    except (OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def say(err: IO[str], text: str) -> None:
    """Write a last word on *err*; if that fails too, the exit code still tells."""
    try:
        err.write(text)
        err.flush()
    except OSError:
        pass


def write_file(name: str, text: str, *, inputs: Iterable[str]) -> None:
    """Write *text* to the file *name*, whole or not at all.

    The text goes to a new file in the same directory, which then replaces
    *name* in one step: a failure leaves any earlier file as it was. A file
    that is one of *inputs* (the command's own input) is never replaced.
    """
    path = Path(name)
    shown = printable(name)
    check_not_input(name, inputs)
    try:
        # What comes from a log is escaped before; anything else that cannot
        # be UTF-8 is written as the same escapes.
        data = text.encode("utf-8", "backslashreplace")
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise OutputFileError(f"cannot write {shown}: {error.strerror}") from None
    try:
        # The new file gets the mode a plain write would have given it.
        Path(temporary).chmod(_mode(path))
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise OutputFileError(f"cannot write {shown}: {error.strerror}") from None


def check_not_input(name: str, inputs: Iterable[str]) -> None:
    """Raise :class:`OutputFileError` if the file *name* is one of *inputs*."""
    for source in inputs:
        if source != "-" and _same_file(Path(name), Path(source)):
            message = (
                f"will not write {printable(name)}: it is the input "
                f"{printable(source)}; choose another file"
            )
            raise OutputFileError(message)


def _mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except (OSError, ValueError):
        # A file that does not exist (yet) is no input.
        return False

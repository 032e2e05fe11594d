"""The one loop over a log's lines: bad lines, ``--strict``, progress, the GC.

``replay``, ``demo``, ``uptime``, ``report`` and the workers of ``replay
--jobs`` all fold their lines through :func:`fold_lines`: each gives what to
do with a good line and where a bad one is reported.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import time
from collections.abc import Callable, Generator, Iterable
from typing import IO, Final

from evstatus._log import is_blank
from evstatus.exceptions import InvalidReport

from .streams import NOT_UTF8

__all__ = [
    "Progress",
    "collections_paused",
    "fold_lines",
    "frozen_gc",
    "say_bad_lines",
]

#: How often, in lines, the progress display looks at the clock.
PROGRESS_EVERY = 1000
#: Seconds of reading before progress is shown at all: short runs show none.
PROGRESS_DELAY = 0.5
#: Seconds between two updates of the progress display.
PROGRESS_REFRESH = 0.2

_MIB: Final = 1 << 20
#: How many lines the fold reads between two freezes of the GC's objects.
_FREEZE_EVERY: Final = 1 << 12
STOPPED: Final = "evstatus: stopped at the first bad line (--strict)\n"


class Progress:
    """How far the reading got, on stderr when it is a terminal, for long inputs.

    It shows the lines read, the rate and, for a regular file, how much of it.
    Whatever else is written must call :meth:`clear` first.
    """

    def __init__(self, err: IO[str], stream: IO[bytes] | None) -> None:
        self._err = err
        self._width = 0
        self._size = 0
        self._tell: Callable[[], int] | None = None
        self.enabled = err.isatty()
        if self.enabled and stream is not None:
            self._measure(stream)
        self._started = self._drawn = time.monotonic()

    def _measure(self, stream: IO[bytes]) -> None:
        try:
            info = os.fstat(stream.fileno())
        except OSError:
            return  # a stream without a file: no size to compare with
        # A pipe or a terminal has no size either.
        if stat.S_ISREG(info.st_mode) and info.st_size:
            self._size, self._tell = info.st_size, stream.tell

    @property
    def next(self) -> int:
        """The line number at which :meth:`tick` wants to be called; -1 for never."""
        return PROGRESS_EVERY if self.enabled else -1

    def tick(self, number: int) -> int:
        """Show the progress if it is time to; return the next line to tick at."""
        now = time.monotonic()
        if now - self._started >= PROGRESS_DELAY and now - self._drawn >= (
            PROGRESS_REFRESH
        ):
            self._drawn = now
            rate = number / max(now - self._started, 1e-9)
            text = f"{number:,} lines read, {rate:,.0f} lines/s"
            if self._tell is not None:
                done = self._tell()
                text += f", {done / self._size:.0%} of {self._size / _MIB:,.1f} MiB"
            # Padding wipes a longer previous text; nothing else is erased.
            self._err.write(f"\r{text.ljust(self._width)}")
            self._err.flush()
            self._width = len(text)
        return number + PROGRESS_EVERY

    def clear(self) -> None:
        """Wipe the progress line, so that other output starts on a clean line."""
        if self._width:
            self._err.write(f"\r{' ' * self._width}\r")
            self._err.flush()
            self._width = 0


class _Silent:
    """No progress shown: what a worker of ``--jobs`` has."""

    next = -1

    def tick(self, number: int) -> int:  # pragma: no cover  (next is never reached)
        return number

    def clear(self) -> None:
        pass


SILENT: Final = _Silent()


def fold_lines(
    lines: Iterable[tuple[int, str | None]],
    take: Callable[[int, str], object],
    bad: Callable[[int, str], object],
    *,
    strict: bool,
    progress: Progress | _Silent = SILENT,
) -> int:
    """Give each good line of *lines* to *take*; return how many were bad.

    A line *take* refuses with :class:`~evstatus.InvalidReport`, or one that
    is not UTF-8 (None), goes to *bad* with what is wrong with it, unless it
    holds only spaces and tabs; with *strict*, the first bad line ends the
    fold. *progress* is cleared before each bad line and at the end.
    """
    count = 0
    tick = progress.next
    try:
        for number, line in lines:
            if not number % _FREEZE_EVERY and _freezing:
                # See frozen_gc.
                gc.freeze()
            if number == tick:
                tick = progress.tick(number)
            if line is None:
                problem = NOT_UTF8
            else:
                try:
                    take(number, line)
                except InvalidReport as error:
                    # Blank lines are rare, so they are looked for only here.
                    if is_blank(line):
                        continue
                    problem = "; ".join(str(problem) for problem in error.problems)
                else:
                    continue
            count += 1
            progress.clear()
            bad(number, problem)
            if strict:
                break
    finally:
        progress.clear()
    return count


def say_bad_lines(err: IO[str], count: int, *, strict: bool) -> None:
    """Say on *err* how many lines were bad, or that --strict stopped at one."""
    if not count:
        return
    if strict:
        err.write(STOPPED)
    else:
        err.write(f"evstatus: {count} bad line{'s' if count != 1 else ''} skipped\n")


@contextlib.contextmanager
def frozen_gc() -> Generator[None, None, None]:
    """Keep the objects a fold has made so far out of the GC's full walks.

    A fleet's states are long-lived and hold no reference cycles, yet each
    full collection of the cyclic GC walks all of them: at 100,000 stations
    that took more time than the fold. :func:`fold_lines` freezes what has
    lived a while every few thousand lines; frozen objects are still freed
    as usual when a newer state replaces them, and young cycles are
    collected as before. Undone at the end.

    Only where nothing was frozen before and the GC runs: a program that calls
    the command in process and freezes objects of its own keeps them frozen.
    """
    global _freezing  # noqa: PLW0603  (the hot loop reads a global, not an argument)
    if gc.get_freeze_count() or not gc.isenabled():
        yield
        return
    _freezing = True
    gc.freeze()
    try:
        yield
    finally:
        _freezing = False
        gc.unfreeze()


#: Whether the fold now running manages the GC's freezing (see frozen_gc).
_freezing = False


@contextlib.contextmanager
def collections_paused() -> Generator[None, None, None]:
    """Hold the cyclic GC off while a final table is built, if the GC is ours.

    The table makes a state and a view per station, all kept until printed:
    at 100,000 stations the full collections that this sets off took a third
    of the printing's time, and found nothing to free. Only while the fold
    manages the GC (see :func:`frozen_gc`); re-enabled after, so that any
    cycle made meanwhile is still collected.
    """
    if not _freezing:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()

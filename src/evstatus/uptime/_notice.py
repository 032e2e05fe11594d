"""The warnings a log or an exclusions file gives reason for."""

from __future__ import annotations

from typing import Literal

import attrs


@attrs.frozen(kw_only=True)
class Notice:
    """A warning: something in the input that was accepted but deserves a look."""

    line: int | None
    """The line of the log or exclusions file it is about, if any."""
    message: str
    source: Literal["log", "exclusions", "ports"] = "log"
    """What it is about: the log, the exclusions or the port inventory."""

    def __str__(self) -> str:
        where = "" if self.line is None else f"line {self.line}: "
        return f"{self.source} {where}{self.message}"

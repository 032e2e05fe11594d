"""MkDocs hooks: links in the API reference.

The generated tables, diagram and code are in the pages' sources already,
between markers that ``docs/generate.py`` rewrites and ``tests/test_docs.py``
checks; the build takes the pages as they are.

The docstrings in ``src/`` cross-reference with Sphinx-style roles
(``:class:`InvalidReport```); mkdocstrings renders docstrings as Markdown and
leaves those roles as text, so :func:`link_roles` turns them into links to the
API reference. A bare name means ``evstatus.NAME``, a top-level name; anything
else is written in full (``:meth:`~evstatus.history.StationState.step```),
and as in Sphinx a leading ``~`` shows only the last part. A role naming
something the reference lacks fails the build, except a Python builtin
(``:class:`TypeError```), which is shown as code.
"""

from __future__ import annotations

import builtins
import re
from typing import Any

# What mkdocstrings makes of ":class:`Name`" in a docstring.
ROLE = re.compile(
    r":(?:class|func|data|meth|attr|exc|obj|mod):<code>(?P<short>~?)(?P<name>[\w.]+)</code>"
)


def link_roles(html: str) -> str:
    """Turn Sphinx-style roles left in rendered docstrings into API links."""

    def link(match: re.Match[str]) -> str:
        name = match["name"]
        shown = name.rpartition(".")[2] if match["short"] else name
        if "." not in name and hasattr(builtins, name):
            # Python's own (TypeError, say): not ours to document or link.
            return f"<code>{shown}</code>"
        qualified = name == "evstatus" or name.startswith("evstatus.")
        identifier = name if qualified else f"evstatus.{name}"
        # mkdocs-autorefs resolves these once every page is rendered.
        return f'<autoref identifier="{identifier}"><code>{shown}</code></autoref>'

    return ROLE.sub(link, html)


def on_page_content(html: str, **_: Any) -> str:  # noqa: ANN401
    """MkDocs hook: link the roles in rendered docstrings."""
    return link_roles(html)

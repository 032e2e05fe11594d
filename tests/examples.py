"""How many examples a property with a count of its own draws.

conftest.py loads a profile; its ``max_examples`` against Hypothesis's default
of 100, which the "dev" and "ci" profiles keep, is the scale: 1 in those, a
quarter in "ci-quick".
"""

from typing import cast

from hypothesis import settings

#: Hypothesis's own default ``max_examples``.
DEFAULT_EXAMPLES = 100


def examples(full: int) -> int:
    """``full`` examples, scaled as the loaded profile scales the default count."""
    # settings() holds the loaded profile's values (typed as object here).
    loaded = cast("int", settings().max_examples)
    return max(1, full * loaded // DEFAULT_EXAMPLES)

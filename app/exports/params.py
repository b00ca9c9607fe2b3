"""Reading export options given as ``request.params`` (the GUI passes Python values, the command line
``--param name=text``)."""

from __future__ import annotations

from typing import Any

TRUE_WORDS = frozenset({"1", "true", "yes", "y", "是", "on"})


def flag(value: Any) -> bool:
    """A bool option: True from the GUI's check box, or ``--param x=1`` / 是 / true from the command line."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in TRUE_WORDS

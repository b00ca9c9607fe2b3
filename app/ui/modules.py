"""Which module pages replace the shell's placeholder pages.

Each entry is ``(key, factory)``; ``factory(ctx, window)`` returns the page widget. The main window
calls :func:`install_modules` once after it is built. Keys are the main window's page keys:
'home', 'cases', 'volunteers', 'organizations', 'stats', 'exports', 'settings'. Factories import
their page module lazily, so a page's heavy dependencies load only when the window is built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PageFactory = Callable[[Any, Any], Any]

MODULE_PAGES: list[tuple[str, str, PageFactory]] = []


def install_modules(window: Any, ctx: Any) -> None:
    """Register every module page with the window (``window.register_page(key, title, widget)``)."""
    for key, title, factory in MODULE_PAGES:
        window.register_page(key, title, factory(ctx, window))

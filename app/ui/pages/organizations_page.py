"""The old home of the 组织档案 page, kept so ``from app.ui.pages.organizations_page import …`` still works.

The page now lives in the package :mod:`app.ui.pages.organizations`; this module only re-exports its names.
"""

from __future__ import annotations

from app.ui.pages.organizations import (
    TAB_EXPORTS,
    TAB_GOLD,
    TAB_MEDIATORS,
    TAB_REPORT,
    TAB_SUMMARY,
    TITLE_FILTERS,
    OrganizationsPage,
    make_page,
    summary_html,
)

__all__ = [
    "TAB_EXPORTS",
    "TAB_GOLD",
    "TAB_MEDIATORS",
    "TAB_REPORT",
    "TAB_SUMMARY",
    "TITLE_FILTERS",
    "OrganizationsPage",
    "make_page",
    "summary_html",
]

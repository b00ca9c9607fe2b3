"""组织档案 page: mediation organizations (list with filters and per-organization counts from SQL; profile,
roster, gold-medal self-assessment, work-report text and the application documents of the one selected)
and, on a second tab, the enterprise directory.

Lists load in the background (app.ui.ops) the first time the page is shown; typing in the search box only
filters the loaded rows. Every write goes through a service in one transaction; exports run through the
export registry in the background.

The package: :mod:`.page` (:class:`OrganizationsPage`: list, tabs), :mod:`.editing` and :mod:`.reports`
(mixins), :mod:`.summary` (the 概况 HTML). It may import PySide6, app.services, db and app.ui's forms,
models, widgets, dialogs, ``app.ui.pages.enterprises_widget`` and ``app.ui.pages.import_opener``.
"""

from __future__ import annotations

from app.ui.pages.organizations.page import (
    TAB_EXPORTS,
    TAB_GOLD,
    TAB_MEDIATORS,
    TAB_REPORT,
    TAB_SUMMARY,
    TITLE_FILTERS,
    OrganizationsPage,
    make_page,
)
from app.ui.pages.organizations.summary import summary_html

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

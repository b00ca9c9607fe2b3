"""The old home of the 志愿服务 page, kept so ``from app.ui.pages.volunteers_page import VolunteersPage`` works.

The page now lives in the package :mod:`app.ui.pages.volunteers`; this module only re-exports its names.
"""

from __future__ import annotations

from app.ui.pages.volunteers import VolunteersPage, volunteers_page

__all__ = ["VolunteersPage", "volunteers_page"]

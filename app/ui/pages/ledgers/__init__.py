"""其他台账 (issue 17): the ledgers beside the case log and the volunteer programme, one tab each —
志愿汇上传 (service records not yet uploaded to 「志愿汇」; mark a selection uploaded, export the list),
重点任务 (the 重点任务清单 with overdue / due-soon colours and progress entries), 劳动关系协调员 (the pool as of a
date) and 社会组织 (协调劳动关系社会组织, with figures by industry and size).

Layout from ``forms/ledgers_page.ui``; reads and writes go through :mod:`app.services.ledgers` in short
sessions; dialogs are :mod:`app.ui.dialogs.ledgers`; exports run in the background (app.ui.ops).

The package: :mod:`.page` (:class:`LedgersPage`), :mod:`.zyh`, :mod:`.tasks` and :mod:`.people` (the tabs'
behaviour, as mixins), :mod:`.common` (tab numbers, view helpers; the bottom module). It may import PySide6,
app.services, app.exports and app.ui's forms, models, widgets, dialogs and ``app.ui.pages.import_opener``;
no other page.
"""

from __future__ import annotations

from app.ui.pages.ledgers.page import LedgersPage, ledgers_page

__all__ = ["LedgersPage", "ledgers_page"]

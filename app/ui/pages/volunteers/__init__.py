"""志愿服务: the young-arbitrator volunteer programme (seed 000 津人社办发〔2023〕10号; domain.md §2, §4).

Layout from ``forms/volunteer_page.ui``: six tabs — 志愿者名册 (roster with filters, and the contacted
enterprises of the selected volunteer as of a date), 服务记录, 季度值守 (:class:`DutyBoardWidget`), 满意度调查
(surveys with averages per volunteer and per quarter), 回避核查 (:class:`RecusalWidget`) and 季度总结 (the
narrative sections of 附件3, saved per quarter). Reads go through :mod:`app.services.volunteers` in short
sessions; writes are the dialogs' one-transaction service calls; the three attachments are exported in the
background (style P5) with :func:`app.ui.ops.run_in_background`. Messages after a save or an export appear
in the notice line under the title rather than in a modal box.

The package: :mod:`.page` (:class:`VolunteersPage`, tabs and loading), :mod:`.roster` and :mod:`.records` (the
tabs' behaviour, as mixins), :mod:`.common` (constants, view helpers). It may import PySide6, app.services,
db and app.ui's forms, models, widgets, dialogs and ``app.ui.pages.import_opener``; no other page.
"""

from __future__ import annotations

from app.ui.pages.volunteers.page import VolunteersPage, volunteers_page

__all__ = ["VolunteersPage", "volunteers_page"]

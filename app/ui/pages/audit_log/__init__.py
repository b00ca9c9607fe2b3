"""操作日志 page (issue 16 item 4): who did what, when, to which record, with the values before → after and
the reason; filters by person, case, date and action, and exports to XLSX (export kind ``audit-log``).

The package: :mod:`.page` (:class:`AuditLogPage`). It may import PySide6, app.services (auth) and
app.exports (registry); no other page.
"""

from __future__ import annotations

from app.ui.pages.audit_log.page import AuditLogPage

__all__ = ["AuditLogPage"]

"""操作日志 page (issue 16 item 4): who did what, when, to which record, with the values before → after and
the reason; filters by person, case, date and action, and exports to XLSX (export kind ``audit-log``).

The package: :mod:`.page` (:class:`AuditLogPage`) and :mod:`.menu` (the 账户 menu that opens it, with 修改密码
and 用户管理; menu → page). It may import PySide6, app.services (auth), app.exports (registry) and the
dialogs ``app.ui.dialogs.login_dialog`` / ``users_dialog``; no other page.
"""

from __future__ import annotations

from app.ui.pages.audit_log.menu import AuditLogWindow, install_account_menu
from app.ui.pages.audit_log.page import AuditLogPage

__all__ = ["AuditLogPage", "AuditLogWindow", "install_account_menu"]

"""Logins, roles and the audit trail (issue 16 items 3–4), no Qt.

- :mod:`.permissions`: the permissions, the four roles (管理员、办案人、统计/审核、只读), :class:`Principal`,
  :data:`LOCAL` (logins off: every permission), :class:`PermissionDenied`.
- :mod:`.passwords`: scrypt hashes ``scrypt$n$r$p$salt$hash``.
- :mod:`.context`: the principal on a session (``session.info["principal"]``), :func:`require`, the case scope,
  and the session events (cases of other organizations never load; audit rows get the user, never change).
- :mod:`.users`: :class:`UserService` (login with lockout, users, passwords, turning logins on).
- :mod:`.audit_log`: reading the 操作日志. :mod:`.grants`: PostgreSQL rights of the application's role.

Modules import one way: permissions, passwords → context → users, audit_log; grants stands alone. Outside the
package only ``app.core``, ``db`` and the ``app.services`` modules below it (app_settings, audit_masking,
validation); never cases or case_list, which import this package.
"""

from app.services.auth.audit_log import (
    ACTION_LABELS,
    AuditFilter,
    AuditRow,
    Change,
    action_choices,
    count_audit,
    query_audit,
    user_choices,
)
from app.services.auth.context import (
    case_scope,
    current_principal,
    full_info_allowed,
    install_session_events,
    may,
    require,
    restricted_export_params,
    scoped_organization,
    set_principal,
)
from app.services.auth.grants import APP_ROLE_GRANTS, app_role_grants
from app.services.auth.passwords import hash_password, password_problem, verify_password
from app.services.auth.permissions import (
    ADMIN,
    ALL_ORGS,
    AUDIT_READ,
    CASES_READ,
    CASES_WRITE,
    CLERK,
    EXPORT,
    FULL_INFO,
    LOCAL,
    MERGE,
    RESTORE,
    REVIEWER,
    ROLE_LABELS,
    ROLE_PERMISSIONS,
    SETTINGS,
    USERS,
    VIEWER,
    PermissionDenied,
    Principal,
)
from app.services.auth.users import (
    LOCK_MINUTES,
    LOGINS_ENABLED,
    MAX_FAILURES,
    LoginFailed,
    UserRow,
    UserService,
    logins_required,
    principal_for,
)

__all__ = [
    "ACTION_LABELS", "ADMIN", "ALL_ORGS", "APP_ROLE_GRANTS", "AUDIT_READ", "CASES_READ", "CASES_WRITE", "CLERK",
    "EXPORT", "FULL_INFO", "LOCAL", "LOCK_MINUTES", "LOGINS_ENABLED", "MAX_FAILURES", "MERGE", "RESTORE", "REVIEWER",
    "ROLE_LABELS", "ROLE_PERMISSIONS", "SETTINGS", "USERS", "VIEWER",
    "AuditFilter", "AuditRow", "Change", "LoginFailed", "PermissionDenied", "Principal", "UserRow", "UserService",
    "action_choices", "app_role_grants", "case_scope", "count_audit", "current_principal", "full_info_allowed",
    "hash_password", "install_session_events", "logins_required", "may", "password_problem", "principal_for",
    "query_audit", "require", "restricted_export_params", "scoped_organization", "set_principal", "user_choices", "verify_password",
]

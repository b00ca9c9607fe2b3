"""Permissions, roles and the :class:`Principal` the services check (issue 16 item 3); no Qt, no database.

A role is a set of permissions. 管理员 holds every one; 办案人 reads and writes the cases of its own
organization (no :data:`ALL_ORGS`) and sees full ID numbers and phones; 统计/审核 reads everything, exports,
merges files sent upward and reads the audit log, masked; 只读 reads everything, masked, and exports nothing.
When logins are off the services act for :data:`LOCAL` (every permission: the behaviour before logins).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import ActionRefused

#: managing users and turning logins on
USERS = "users.manage"
#: business rules and other settings that travel with the data
SETTINGS = "settings.edit"
#: restoring a backup over the database
RESTORE = "backup.restore"
#: reading cases (of the own organization unless :data:`ALL_ORGS`)
CASES_READ = "cases.read"
#: registering and handling cases (of the own organization unless :data:`ALL_ORGS`)
CASES_WRITE = "cases.write"
#: case permissions reach every organization, not only the user's own
ALL_ORGS = "orgs.all"
#: writing export files
EXPORT = "export"
#: merging the files townships send upward (导入报送文件)
MERGE = "submissions.merge"
#: seeing and exporting full ID numbers and phones
FULL_INFO = "personal.full"
#: reading the 操作日志
AUDIT_READ = "audit.read"

PERMISSION_LABELS: dict[str, str] = {
    USERS: "管理用户",
    SETTINGS: "修改设置",
    RESTORE: "恢复备份",
    CASES_READ: "查看案件",
    CASES_WRITE: "办理案件",
    ALL_ORGS: "全部调解组织",
    EXPORT: "导出报表",
    MERGE: "汇总下级报送",
    FULL_INFO: "查看完整身份证号和电话",
    AUDIT_READ: "查看操作日志",
}
ALL_PERMISSIONS = frozenset(PERMISSION_LABELS)

ADMIN, CLERK, REVIEWER, VIEWER = "admin", "clerk", "reviewer", "viewer"
ROLE_LABELS: dict[str, str] = {ADMIN: "管理员", CLERK: "办案人", REVIEWER: "统计/审核", VIEWER: "只读"}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    ADMIN: ALL_PERMISSIONS,
    CLERK: frozenset({CASES_READ, CASES_WRITE, EXPORT, FULL_INFO}),
    REVIEWER: frozenset({CASES_READ, ALL_ORGS, EXPORT, MERGE, AUDIT_READ}),
    VIEWER: frozenset({CASES_READ, ALL_ORGS}),
}


class PermissionDenied(ActionRefused):
    """The current user's role does not allow the action (Chinese message, shown as is)."""


@dataclass(frozen=True)
class Principal:
    """Who the services act for: the user (id, login, name), role, organization and permissions."""

    user_id: int | None
    login: str | None
    display_name: str
    role: str
    organization_id: int | None
    permissions: frozenset[str]
    local: bool = False  # logins are off: the all-permissions local user

    @classmethod
    def for_role(cls, role: str, *, user_id: int | None = None, login: str | None = None,
                 display_name: str = "", organization_id: int | None = None) -> Principal:
        return cls(user_id, login, display_name or login or "", role, organization_id,
                   ROLE_PERMISSIONS.get(role, frozenset()))

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def all_orgs(self) -> bool:
        return ALL_ORGS in self.permissions

    def has(self, permission: str) -> bool:
        return permission in self.permissions

    def allows(self, permission: str, organization_id: int | None = None) -> bool:
        """``permission``, and for a case of ``organization_id`` the right to that organization."""
        if permission not in self.permissions:
            return False
        if organization_id is None or permission not in (CASES_READ, CASES_WRITE) or self.all_orgs:
            return True
        return self.organization_id is not None and organization_id == self.organization_id


#: The user the services act for when logins are off (every permission; nothing changes).
LOCAL = Principal(None, None, "本机用户", ADMIN, None, ALL_PERMISSIONS, local=True)


def refusal(principal: Principal, permission: str, organization_id: int | None = None) -> str | None:
    """Why ``principal`` may not do ``permission`` (on a case of ``organization_id``), or None."""
    if principal.allows(permission, organization_id):
        return None
    what = PERMISSION_LABELS.get(permission, permission)
    if permission in principal.permissions:
        return f"您（{principal.role_label}）只能{what}本调解组织的案件。"
    return f"您的角色（{principal.role_label}）没有“{what}”的权限。"

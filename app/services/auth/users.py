"""Users, logins and the lockout (issue 16 item 3): :class:`UserService`, no Qt.

- :meth:`UserService.authenticate` checks a login and password and returns the :class:`Principal`; five wrong
  passwords in a row lock the account for 15 minutes (:data:`MAX_FAILURES`, :data:`LOCK_MINUTES`); an
  administrator may unlock it earlier. Each login, failure and lock is written to the 操作日志.
- An administrator (``users.manage``) creates users, changes their role, organization and state, resets a
  password and turns logins on; everyone changes their own password with the old one.
- On SQLite logins are off until an administrator turns them on (the ``auth.logins_enabled`` setting, which
  needs an active administrator with a password first); on PostgreSQL they are always on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.services import app_settings
from app.services.auth.context import current_principal, require
from app.services.auth.passwords import hash_password, password_problem, verify_password
from app.services.auth.permissions import ADMIN, ROLE_LABELS, USERS, PermissionDenied, Principal
from app.services.validation import ValidationError
from db.models import AuditEntry, Organization, User

LOGINS_ENABLED = "auth.logins_enabled"
MAX_FAILURES = 5
LOCK_MINUTES = 15
WRONG = "用户名或密码不正确。"


class LoginFailed(Exception):
    """A login was refused (wrong name or password, locked, disabled); Chinese message."""


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    display_name: str
    role: str
    role_label: str
    organization_id: int | None
    organization_name: str
    active: bool
    locked_until: datetime | None
    failed_logins: int
    has_password: bool


def principal_for(user: User) -> Principal:
    return Principal.for_role(user.role, user_id=user.id, login=user.login, display_name=user.display_name,
                              organization_id=user.organization_id)


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(field, message)


def logins_required(session: Session) -> bool:
    """Whether the program asks for a login: always on PostgreSQL, on SQLite once turned on."""
    if session.get_bind().dialect.name == "postgresql":
        return True
    return bool(app_settings.get_setting(session, LOGINS_ENABLED, False))


class UserService:
    """Users and logins on ``session_factory``; ``clock`` returns "now" (tests pin it)."""

    def __init__(self, session_factory: sessionmaker[Session], *, clock: Callable[[], datetime] | None = None) -> None:
        self._sf = session_factory
        self._clock = clock or datetime.now

    # -- reading -----------------------------------------------------------------------------------------

    def logins_required(self) -> bool:
        with self._sf() as s:
            return logins_required(s)

    def has_users(self) -> bool:
        with self._sf() as s:
            return bool(s.scalar(select(func.count()).select_from(User).where(User.password_hash.is_not(None))))

    def list_users(self) -> list[UserRow]:
        with self._sf() as s:
            require(s, USERS)
            rows = s.execute(
                select(User, Organization.name).outerjoin(Organization, Organization.id == User.organization_id)
                .order_by(User.login)
            ).all()
            return [UserRow(u.id, u.login, u.display_name, u.role, ROLE_LABELS.get(u.role, u.role),
                            u.organization_id, org or "", bool(u.active), u.locked_until, u.failed_logins or 0,
                            bool(u.password_hash)) for u, org in rows]

    # -- logging in ----------------------------------------------------------------------------------------

    def authenticate(self, login: str, password: str) -> Principal:
        """The principal of ``login`` when ``password`` is right; else :class:`LoginFailed` (counted)."""
        now = self._clock()
        login = (login or "").strip()
        failure: str | None = None
        with self._sf.begin() as s:
            user = s.scalar(select(User).where(func.lower(User.login) == login.lower()))
            if user is None or not user.password_hash:
                failure = WRONG
            elif not user.active:
                failure = "该账号已停用，请联系管理员。"
            elif user.locked_until is not None and user.locked_until > now:
                failure = f"密码连续输错{MAX_FAILURES}次，账号已锁定至{user.locked_until:%H:%M}，请稍后再试或请管理员解锁。"
            elif not verify_password(password, user.password_hash):
                user.failed_logins = (user.failed_logins or 0) + 1
                if user.failed_logins >= MAX_FAILURES:
                    user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                    user.failed_logins = 0
                    failure = f"密码连续输错{MAX_FAILURES}次，账号已锁定{LOCK_MINUTES}分钟。"
                    self._log(s, user, "login_locked", f"{user.login}密码连续输错{MAX_FAILURES}次，账号锁定{LOCK_MINUTES}分钟")
                else:
                    left = MAX_FAILURES - user.failed_logins
                    failure = f"{WRONG}再输错{left}次账号将被锁定{LOCK_MINUTES}分钟。"
                    self._log(s, user, "login_failed", f"{user.login}登录失败（密码错误）")
            else:
                user.failed_logins = 0
                user.locked_until = None
                self._log(s, user, "login", f"{user.display_name or user.login}登录")
                return principal_for(user)
        raise LoginFailed(failure)

    @staticmethod
    def _log(s: Session, user: User, action: str, summary: str, before: dict[str, Any] | None = None,
             after: dict[str, Any] | None = None, *, by: Principal | None = None) -> None:
        who = by if by is not None and not by.local else None
        s.add(AuditEntry(user_id=who.user_id if who else user.id, user_login=who.login if who else user.login,
                         action=action, entity="user", entity_uuid=user.uuid, summary=summary,
                         before=before, after=after))

    # -- managing users (管理员) ----------------------------------------------------------------------------

    def create_user(self, login: str, display_name: str, role: str, password: str,
                    organization_id: int | None = None) -> int:
        login = (login or "").strip()
        if not login:
            raise _invalid("用户名", "请填写用户名。")
        if role not in ROLE_LABELS:
            raise _invalid("角色", f"未知的角色：{role}")
        problem = password_problem(password, login)
        if problem:
            raise _invalid("密码", problem)
        with self._sf.begin() as s:
            by = require(s, USERS)
            if s.scalar(select(User.id).where(func.lower(User.login) == login.lower())) is not None:
                raise _invalid("用户名", f"用户名“{login}”已存在。")
            user = User(login=login, display_name=(display_name or "").strip() or login, role=role,
                        organization_id=organization_id, password_hash=hash_password(password), active=True,
                        failed_logins=0, password_changed_at=self._clock())
            s.add(user)
            s.flush()
            values = {"login": login, "display_name": user.display_name, "role": role, "organization_id": organization_id}
            self._log(s, user, "user_create", f"新增用户{login}（{ROLE_LABELS[role]}）", None, values, by=by)
            return user.id

    def update_user(self, user_id: int, **changes: Any) -> None:
        """Change ``display_name``, ``role``, ``organization_id`` or ``active`` of a user."""
        allowed = {"display_name", "role", "organization_id", "active"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"unknown user fields: {sorted(unknown)}")
        if "role" in changes and changes["role"] not in ROLE_LABELS:
            raise _invalid("角色", f"未知的角色：{changes['role']}")
        with self._sf.begin() as s:
            by = require(s, USERS)
            user = self._get(s, user_id)
            before = {k: getattr(user, k) for k in changes}
            for key, value in changes.items():
                setattr(user, key, value)
            s.flush()
            if self._admins(s) == 0 and logins_required(s):
                raise PermissionDenied("至少需要保留一个启用的管理员账号。")
            after = {k: getattr(user, k) for k in changes}
            if before != after:
                self._log(s, user, "user_update", f"修改用户{user.login}", before, after, by=by)

    def reset_password(self, user_id: int, new_password: str) -> None:
        """An administrator sets a user's password (and unlocks the account)."""
        with self._sf.begin() as s:
            by = require(s, USERS)
            user = self._get(s, user_id)
            self._set_password(user, new_password)
            self._log(s, user, "password_reset", f"重设用户{user.login}的密码", by=by)

    def unlock(self, user_id: int) -> None:
        with self._sf.begin() as s:
            by = require(s, USERS)
            user = self._get(s, user_id)
            user.locked_until = None
            user.failed_logins = 0
            self._log(s, user, "user_unlock", f"解锁用户{user.login}", by=by)

    def change_own_password(self, user_id: int, old_password: str, new_password: str) -> None:
        """The user changes their own password; the old one must be right (wrong ones count to the lock)."""
        with self._sf.begin() as s:
            me = current_principal(s)
            if not me.local and me.user_id != user_id:
                raise PermissionDenied("只能修改自己的密码。")
            user = self._get(s, user_id)
            if not verify_password(old_password, user.password_hash):
                raise _invalid("原密码", "原密码不正确。")
            self._set_password(user, new_password)
            self._log(s, user, "password_change", f"{user.login}修改了自己的密码")

    def _set_password(self, user: User, new_password: str) -> None:
        problem = password_problem(new_password, user.login)
        if problem:
            raise _invalid("新密码", problem)
        user.password_hash = hash_password(new_password)
        user.password_changed_at = self._clock()
        user.failed_logins = 0
        user.locked_until = None

    # -- turning logins on (SQLite) ---------------------------------------------------------------------------

    def set_logins_enabled(self, enabled: bool) -> None:
        with self._sf.begin() as s:
            by = require(s, USERS)
            if enabled and self._admins(s) == 0:
                raise PermissionDenied("请先新增一个设置了密码的管理员账号，再启用登录。")
            before = bool(app_settings.get_setting(s, LOGINS_ENABLED, False))
            app_settings.set_setting(s, LOGINS_ENABLED, bool(enabled))
            if before != bool(enabled):
                s.add(AuditEntry(user_id=by.user_id, user_login=by.login, action="setting", entity="setting",
                                 entity_uuid=None, summary="启用登录" if enabled else "停用登录",
                                 before={LOGINS_ENABLED: before}, after={LOGINS_ENABLED: bool(enabled)}))

    def create_first_admin(self, login: str, display_name: str, password: str) -> Principal:
        """The first administrator, when no user has a password yet (first start on PostgreSQL)."""
        with self._sf() as s:
            if s.scalar(select(func.count()).select_from(User).where(User.password_hash.is_not(None))):
                raise PermissionDenied("已有用户账号，请登录。")
        user_id = self.create_user(login, display_name, ADMIN, password)
        with self._sf() as s:
            return principal_for(self._get(s, user_id))

    @staticmethod
    def _admins(s: Session) -> int:
        return s.scalar(select(func.count()).select_from(User).where(
            User.role == ADMIN, User.active.is_(True), User.password_hash.is_not(None))) or 0

    @staticmethod
    def _get(s: Session, user_id: int) -> User:
        user = s.get(User, user_id)
        if user is None:
            raise _invalid("用户", f"找不到编号为 {user_id} 的用户。")
        return user

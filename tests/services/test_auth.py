"""Logins (issue 16 item 3): scrypt hashes, lockout after 5 failures for 15 minutes, users managed by an
administrator, one's own password, logins turned on for a SQLite file only with an administrator."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.services.auth import (
    ADMIN,
    CLERK,
    LOCAL,
    LOCK_MINUTES,
    MAX_FAILURES,
    LoginFailed,
    PermissionDenied,
    Principal,
    UserService,
    current_principal,
    hash_password,
    set_principal,
    verify_password,
)
from app.services.validation import ValidationError
from db.models import AuditEntry, User
from db.session import make_session_factory


class Now:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def test_password_hash_format_and_check():
    stored = hash_password("正确的密码abc")
    scheme, n, r, p, salt, key = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1") and salt and key
    assert stored != hash_password("正确的密码abc")  # a random salt each time
    assert verify_password("正确的密码abc", stored)
    assert not verify_password("错误的密码abc", stored)
    assert not verify_password("x", None) and not verify_password("x", "md5$abc")


@pytest.fixture
def users(migrated_db):
    now = Now(datetime(2026, 3, 9, 9, 0))
    svc = UserService(migrated_db.session_factory, clock=now)  # logins off: the local user may set up
    admin_id = svc.create_user("admin", "管理员", ADMIN, "admin-pass-1")
    clerk_id = svc.create_user("zhang", "张办案", CLERK, "zhang-pass-1")
    return svc, now, {"admin": admin_id, "clerk": clerk_id}, migrated_db


def test_login_returns_principal(users):
    svc, _now, ids, _db = users
    p = svc.authenticate("ZHANG", "zhang-pass-1")
    assert (p.user_id, p.login, p.role, p.local) == (ids["clerk"], "zhang", CLERK, False)
    with pytest.raises(LoginFailed, match="用户名或密码不正确"):
        svc.authenticate("nobody", "zhang-pass-1")


def test_lockout_after_five_failures(users):
    svc, now, ids, db = users
    for i in range(MAX_FAILURES - 1):
        with pytest.raises(LoginFailed, match=f"再输错{MAX_FAILURES - 1 - i}次"):
            svc.authenticate("zhang", "wrong")
    with pytest.raises(LoginFailed, match="已锁定"):
        svc.authenticate("zhang", "wrong")
    with pytest.raises(LoginFailed, match="已锁定"):  # even the right password, while locked
        svc.authenticate("zhang", "zhang-pass-1")
    now.at += timedelta(minutes=LOCK_MINUTES - 1)
    with pytest.raises(LoginFailed, match="已锁定"):
        svc.authenticate("zhang", "zhang-pass-1")
    now.at += timedelta(minutes=2)
    assert svc.authenticate("zhang", "zhang-pass-1").user_id == ids["clerk"]
    with db.session_factory() as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "user")
                                 .order_by(AuditEntry.id)))
    assert actions.count("login_failed") == MAX_FAILURES - 1 and "login_locked" in actions and actions[-1] == "login"


def test_admin_unlocks(users):
    svc, _now, ids, _db = users
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginFailed):
            svc.authenticate("zhang", "wrong")
    svc.unlock(ids["clerk"])
    assert svc.authenticate("zhang", "zhang-pass-1")


def test_only_admin_manages_users(users):
    svc, now, ids, db = users
    clerk_sf = make_session_factory(db.engine)
    set_principal(clerk_sf, svc.authenticate("zhang", "zhang-pass-1"))
    as_clerk = UserService(clerk_sf, clock=now)
    with pytest.raises(PermissionDenied):
        as_clerk.create_user("li", "李", CLERK, "li-pass-123")
    with pytest.raises(PermissionDenied):
        as_clerk.list_users()
    admin_sf = make_session_factory(db.engine)
    set_principal(admin_sf, svc.authenticate("admin", "admin-pass-1"))
    as_admin = UserService(admin_sf, clock=now)
    new_id = as_admin.create_user("li", "李", CLERK, "li-pass-123")
    assert {u.login for u in as_admin.list_users()} == {"admin", "zhang", "li"}
    with db.session_factory() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "user_create")
                          .order_by(AuditEntry.id.desc())).first()
        assert (entry.user_id, entry.user_login) == (ids["admin"], "admin")
        assert s.get(User, new_id).password_hash.startswith("scrypt$")
    with pytest.raises(ValidationError, match="已存在"):
        as_admin.create_user("LI", "李", CLERK, "li-pass-123")
    with pytest.raises(ValidationError, match="至少"):
        as_admin.create_user("wang", "王", CLERK, "short")


def test_change_own_password(users):
    svc, now, ids, db = users
    sf = make_session_factory(db.engine)
    set_principal(sf, svc.authenticate("zhang", "zhang-pass-1"))
    mine = UserService(sf, clock=now)
    with pytest.raises(ValidationError, match="原密码"):
        mine.change_own_password(ids["clerk"], "wrong", "new-pass-123")
    with pytest.raises(PermissionDenied):
        mine.change_own_password(ids["admin"], "admin-pass-1", "new-pass-123")
    mine.change_own_password(ids["clerk"], "zhang-pass-1", "new-pass-123")
    assert svc.authenticate("zhang", "new-pass-123")
    with pytest.raises(LoginFailed):
        svc.authenticate("zhang", "zhang-pass-1")


def test_logins_off_until_admin_turns_them_on(migrated_db):
    svc = UserService(migrated_db.session_factory)
    assert not svc.logins_required()
    with pytest.raises(PermissionDenied, match="管理员"):
        svc.set_logins_enabled(True)  # no administrator with a password yet
    svc.create_user("admin", "管理员", ADMIN, "admin-pass-1")
    svc.set_logins_enabled(True)
    assert svc.logins_required()
    with pytest.raises(PermissionDenied, match="管理员"):  # the last administrator stays
        svc.update_user(svc.list_users()[0].id, active=False)


def test_principal_on_factory_reaches_every_session(migrated_db):
    sf = make_session_factory(migrated_db.engine)
    assert current_principal(sf) is LOCAL
    p = Principal.for_role(CLERK, user_id=3, login="x", organization_id=1)
    set_principal(sf, p)
    with sf() as s:
        assert current_principal(s) == p
    set_principal(sf, None)
    with sf() as s:
        assert current_principal(s) is LOCAL

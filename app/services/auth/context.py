"""Which :class:`~.permissions.Principal` a session acts for, and the checks the services make with it.

The principal lives in ``session.info["principal"]``; :func:`set_principal` puts it on a session factory so
every session it makes carries it (the login does this once). No principal means logins are off: the
services act for :data:`~.permissions.LOCAL` and nothing changes.

- :func:`require` raises :class:`~.permissions.PermissionDenied` unless the principal has the permission
  (for a case permission and an ``organization_id``: that organization is its own, or it has 全部组织).
- :func:`case_scope` is the ``WHERE`` that limits a query to the cases the principal may read.
- Two session events, registered when this module is imported, hold for every session: a principal limited
  to its own organization never loads another organization's case through the ORM (``with_loader_criteria``
  on every SELECT: lists, exports, lazy loads — defence in depth under the explicit checks), and each new
  ``AuditEntry`` gets the principal's user id and login; no session may change or delete an audit row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, event, false
from sqlalchemy.orm import Session, with_loader_criteria

from app.services.auth.permissions import (
    CASES_READ,
    EXPORT,
    FULL_INFO,
    LOCAL,
    PermissionDenied,
    Principal,
    refusal,
)
from db.models import AuditEntry, Case

PRINCIPAL_KEY = "principal"


def current_principal(where: Any) -> Principal:
    """The principal of a session, a session factory, or anything with a ``session_factory``; else LOCAL."""
    if where is None:
        return LOCAL
    if isinstance(where, Principal):
        return where
    info = getattr(where, "info", None)
    if isinstance(where, Session) and isinstance(info, dict):
        return info.get(PRINCIPAL_KEY) or LOCAL
    kw = getattr(where, "kw", None)  # a sessionmaker
    if isinstance(kw, dict):
        return (kw.get("info") or {}).get(PRINCIPAL_KEY) or LOCAL
    factory = getattr(where, "session_factory", None) or getattr(where, "_sf", None)
    if factory is not None and factory is not where:
        return current_principal(factory)
    return LOCAL


def set_principal(session_factory: Any, principal: Principal | None) -> None:
    """Make every session of ``session_factory`` act for ``principal`` (None: the local user again)."""
    info = dict(session_factory.kw.get("info") or {})
    if principal is None or principal.local:
        info.pop(PRINCIPAL_KEY, None)
    else:
        info[PRINCIPAL_KEY] = principal
    session_factory.kw["info"] = info


def require(session: Any, permission: str, organization_id: int | None = None) -> Principal:
    """The principal of ``session``, if it may do ``permission`` (on a case of ``organization_id``);
    else :class:`PermissionDenied` with a Chinese message."""
    principal = current_principal(session)
    why = refusal(principal, permission, organization_id)
    if why:
        raise PermissionDenied(why)
    return principal


def may(session: Any, permission: str, organization_id: int | None = None) -> bool:
    return current_principal(session).allows(permission, organization_id)


def full_info_allowed(where: Any) -> bool:
    """Whether full ID numbers and phones may be shown and exported to the current user."""
    return current_principal(where).has(FULL_INFO)


def case_scope(where: Any, column: Any = None) -> ColumnElement[bool] | None:
    """The condition on ``Case.organization_id`` (or ``column``) for the cases the principal may read;
    None when it may read every case."""
    principal = current_principal(where)
    if principal.all_orgs:
        return None
    if not principal.has(CASES_READ) or principal.organization_id is None:
        return false()
    col = Case.organization_id if column is None else column
    return col == principal.organization_id


def scoped_organization(where: Any) -> int | None:
    """The only organization whose cases the principal may see, or None when not limited."""
    principal = current_principal(where)
    return None if principal.all_orgs else principal.organization_id


# --- session events -------------------------------------------------------------------------------------------


def _limit_cases(state: Any) -> None:
    if not state.is_select or state.is_column_load:
        return
    principal = state.session.info.get(PRINCIPAL_KEY)
    if principal is None or principal.all_orgs:
        return
    org_id = principal.organization_id if principal.has(CASES_READ) else None
    if org_id is None:
        option = with_loader_criteria(Case, lambda cls: false(), include_aliases=True)
    else:
        option = with_loader_criteria(Case, lambda cls: cls.organization_id == org_id, include_aliases=True)
    state.statement = state.statement.options(option)


def _guard_audit(session: Session, _context: Any, _instances: Any) -> None:
    principal = session.info.get(PRINCIPAL_KEY)
    for obj in session.new:
        if isinstance(obj, AuditEntry) and principal is not None and not principal.local:
            obj.user_id = principal.user_id
            obj.user_login = principal.login
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            raise PermissionDenied("操作日志不能删除。")
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj, include_collections=False):
            raise PermissionDenied("操作日志不能修改。")


def install_session_events() -> None:
    """Register the two events on every ORM session (idempotent; done when this module is imported)."""
    if not event.contains(Session, "do_orm_execute", _limit_cases):
        event.listen(Session, "do_orm_execute", _limit_cases)
    if not event.contains(Session, "before_flush", _guard_audit):
        event.listen(Session, "before_flush", _guard_audit)


install_session_events()


def restricted_export_params(where: Any, params: dict[str, Any], option_names: Any = ()) -> dict[str, Any]:
    """``params`` of an export as the current user may run it: :class:`PermissionDenied` without ``export``;
    without ``personal.full`` the ``full_info`` parameter is forced off and ``mask`` on (masked ID numbers and
    phones whatever was asked). Logins off: ``params`` unchanged."""
    principal = current_principal(where)
    if principal.local:
        return params
    why = refusal(principal, EXPORT)
    if why:
        raise PermissionDenied(why)
    if principal.has(FULL_INFO):
        return params
    names = set(option_names) | set(params)
    out = dict(params)
    if "full_info" in names:
        out["full_info"] = False
    if "mask" in names:
        out["mask"] = True
    return out

"""Reading the 操作日志 (issue 16 item 4): :class:`AuditFilter`, :func:`query_audit`, :func:`count_audit`.

Every write of the services adds one ``AuditEntry`` (who: the logged-in user's id and login, filled by
:mod:`.context`; when; what: the entity, the fields before → after; the reason, where the action asked for
one). This module only reads them: no function here or anywhere in the services changes or deletes an audit
row (a session refuses to flush such a change, and on PostgreSQL the application's role has no UPDATE or
DELETE on the table: migration 0009, :mod:`.grants`). Reading needs ``audit.read``; values are masked again
for a role without ``personal.full``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.services.audit_masking import mask_audit_values
from app.services.auth.context import full_info_allowed, require
from app.services.auth.permissions import AUDIT_READ
from db.models import AuditEntry, Case, User

ACTION_LABELS: dict[str, str] = {
    "todo_handled": "标记待办已处理",
    "erase_personal_data": "到期清除个人信息",
    "todo_unhandled": "撤销待办已处理",
    "register": "登记案件", "edit": "修改登记信息", "accept": "受理", "reject": "不予受理",
    "assign_mediators": "指定调解员", "start_mediation": "开始调解", "add_session": "添加调解记录",
    "extend": "延长调解期限", "close": "结案", "update_agreement": "修改调解协议",
    "record_review": "记录仲裁审查/司法确认", "record_performance": "记录履行情况",
    "record_return_visit": "记录回访", "archive": "归档", "unlock": "解锁", "delete": "删除",
    "create": "新增", "update": "修改", "end": "结束", "setting": "修改设置", "import": "导入",
    "login": "登录", "login_failed": "登录失败", "login_locked": "账号锁定", "user_create": "新增用户",
    "user_update": "修改用户", "user_unlock": "解锁用户", "password_reset": "重设密码",
    "password_change": "修改密码", "demo_generate": "生成演示数据",
}
ENTITY_LABELS: dict[str, str] = {
    "case": "案件", "organization": "调解组织", "mediator": "调解员", "enterprise": "企业", "volunteer": "志愿者",
    "service_record": "志愿服务记录", "volunteer_contact": "联系企业", "satisfaction_survey": "满意度调查",
    "setting": "设置", "lookup": "选项列表", "user": "用户", "database": "数据库",
}
FIELD_LABELS: dict[str, str] = {
    "status": "状态", "case_no": "案号", "received_on": "收到申请日期", "accepted_on": "受理日期",
    "rejected_on": "不予受理日期", "reject_reason": "不予受理理由", "closed_on": "结案日期", "close_type": "结案方式",
    "mediation_due_on": "调解期限", "extended_to": "延长至", "extension_reason": "延长理由", "locked": "锁定",
    "deleted_at": "删除时间", "reason": "理由", "parties": "当事人", "claims": "请求事项", "organization_id": "调解组织",
    "dispute_type_main": "争议类型", "source": "案件来源", "summary": "案情摘要", "role": "角色",
    "display_name": "姓名", "active": "启用", "login": "用户名",
}


@dataclass(frozen=True)
class AuditFilter:
    """What the 操作日志 page asks for; empty means "any". ``case``: a case's id, uuid or case number."""

    user: str = ""  # login or display name (part of it)
    case: str | int | None = None
    date_from: date | None = None
    date_to: date | None = None
    action: str = ""
    entity: str = ""


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime | None
    user_id: int | None
    user_login: str | None
    user_name: str
    action: str
    action_label: str
    entity: str
    entity_label: str
    entity_uuid: str | None
    target: str  # the case number for a case
    summary: str
    reason: str
    changes: tuple[Change, ...] = field(default_factory=tuple)

    @property
    def changes_text(self) -> str:
        return "；".join(f"{c.label}：{_shown(c.before)} → {_shown(c.after)}" for c in self.changes)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _case_uuids(session: Session, key: str | int) -> list[str]:
    text = str(key).strip()
    conds = [Case.uuid == text, Case.case_no == text]
    if text.isdigit():
        conds.append(Case.id == int(text))
    found = list(session.scalars(select(Case.uuid).where(or_(*conds))))
    if not found and text:
        found = list(session.scalars(select(Case.uuid).where(Case.case_no.contains(text, autoescape=True)).limit(50)))
    return found


def _statement(session: Session, flt: AuditFilter):
    stmt = select(AuditEntry)
    if flt.user:
        like = f"%{flt.user.strip()}%"
        logins = select(User.login).where(or_(User.login.like(like), User.display_name.like(like)))
        stmt = stmt.where(or_(AuditEntry.user_login.like(like), AuditEntry.user_login.in_(logins)))
    if flt.case not in (None, ""):
        uuids = _case_uuids(session, flt.case)  # through the case scope: another organization's case is not found
        stmt = stmt.where(AuditEntry.entity == "case", AuditEntry.entity_uuid.in_(uuids or ["-"]))
    if flt.date_from:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(flt.date_from, time.min))
    if flt.date_to:
        stmt = stmt.where(AuditEntry.at < datetime.combine(flt.date_to + timedelta(days=1), time.min))
    if flt.action:
        stmt = stmt.where(AuditEntry.action == flt.action)
    if flt.entity:
        stmt = stmt.where(AuditEntry.entity == flt.entity)
    return stmt


def count_audit(session: Session, flt: AuditFilter | None = None) -> int:
    require(session, AUDIT_READ)
    stmt = _statement(session, flt or AuditFilter())
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def query_audit(session: Session, flt: AuditFilter | None = None, *, offset: int = 0, limit: int | None = 500,
                oldest_first: bool = False) -> list[AuditRow]:
    """The audit rows matching ``flt``, newest first (``oldest_first``: a case's history in order)."""
    require(session, AUDIT_READ)
    order = (AuditEntry.at, AuditEntry.id) if oldest_first else (AuditEntry.at.desc(), AuditEntry.id.desc())
    stmt = _statement(session, flt or AuditFilter()).order_by(*order).offset(max(offset, 0))
    if limit is not None:
        stmt = stmt.limit(limit)
    entries = list(session.scalars(stmt))
    names = dict(session.execute(select(User.login, User.display_name)).all())
    case_uuids = {e.entity_uuid for e in entries if e.entity == "case" and e.entity_uuid}
    case_nos: dict[str, str] = {}
    if case_uuids:
        case_nos = {u: n or "" for u, n in session.execute(select(Case.uuid, Case.case_no).where(
            Case.uuid.in_(case_uuids)))}
    full = full_info_allowed(session)
    return [_row(e, names, case_nos, full) for e in entries]


def _row(e: AuditEntry, names: dict[str, str], case_nos: dict[str, str], full: bool) -> AuditRow:
    before = e.before if full else mask_audit_values(e.before)
    after = e.after if full else mask_audit_values(e.after)
    before, after = before or {}, after or {}
    reason = str(after.get("reason") or before.get("reason") or "")
    keys = [k for k in dict.fromkeys([*before, *after]) if k != "reason"]
    changes = tuple(Change(k, FIELD_LABELS.get(k, k), before.get(k), after.get(k)) for k in keys)
    login = e.user_login
    return AuditRow(
        id=e.id, at=e.at, user_id=e.user_id, user_login=login,
        user_name=names.get(login or "", "") or (login or "本机用户"),
        action=e.action, action_label=ACTION_LABELS.get(e.action, e.action),
        entity=e.entity, entity_label=ENTITY_LABELS.get(e.entity, e.entity), entity_uuid=e.entity_uuid,
        target=case_nos.get(e.entity_uuid or "", "") if e.entity == "case" else "",
        summary=e.summary or "", reason=reason, changes=changes,
    )


def action_choices(session: Session) -> list[tuple[str, str]]:
    """The actions found in the log: (code, label), for the filter bar."""
    require(session, AUDIT_READ)
    codes = session.scalars(select(AuditEntry.action).distinct())
    return sorted(((c, ACTION_LABELS.get(c, c)) for c in codes), key=lambda x: x[1])


def user_choices(session: Session) -> list[tuple[str, str]]:
    """The people found in the log: (login, name)."""
    require(session, AUDIT_READ)
    logins = [x for x in session.scalars(select(AuditEntry.user_login).distinct()) if x]
    names = dict(session.execute(select(User.login, User.display_name)).all())
    return sorted(((x, names.get(x) or x) for x in logins), key=lambda t: t[1])

"""Correcting a case's records (issue 14 item 3): edit or delete a 调解记录, 履行 entry, 回访 or 请求事项, change
the case's 调解组织, and read the case's history (操作记录) back.

Rules:

- While the case is open (registered, accepted, mediating) a correction needs no reason; once it is closed,
  rejected or archived a reason is required (``更正理由``) and goes into the audit entry.
- An archived case is locked (domain.md §3: "archived cases are read-only except for an unlock with a
  reason"): it must be unlocked first (:meth:`~.workflow.WorkflowActions.unlock`), then corrected, then
  archived again.  A correction on a locked case is refused with that sentence.
- Every correction writes one ``AuditEntry`` through :meth:`~.base.CaseServiceBase._audit` with the entry's
  fields before → after (``session.place`` …) and the reason, so the case's history tab shows who, when,
  before → after and why.
- 调解组织: before acceptance (status registered) the case takes a new number in the new organization's
  sequence (:func:`~.numbering.next_case_number`); the old number is NOT given back — it stays a gap in the
  old organization's sequence, like the number of a deleted case, because it may already be on paper (登记表,
  通知). The audit entry records the old and the new number, so the gap is explained.  After acceptance the
  number stays (it is on the case's documents); the change needs a reason.

The cleaning helpers (:func:`clean_session`, :func:`clean_performance`, :func:`clean_visit`) are shared with
:mod:`.workflow` and :mod:`.closing`, which add the entries.  Imports: base, fields, inputs, numbering,
states, and outside the package ``app.services.auth`` (the audit rows), validation, formatting, ``db``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.audit_masking import mask_audit_values
from app.services.auth import ACTION_LABELS as _LOG_ACTION_LABELS
from app.services.auth import CASES_READ, CASES_WRITE, AuditRow, Change, full_info_allowed, require
from app.services.auth.audit_log import FIELD_LABELS as _LOG_FIELD_LABELS
from app.services.cases.base import CaseServiceBase
from app.services.cases.fields import _blank, _choice, _date, _datetime, _fen, _invalid, _yuan
from app.services.cases.inputs import (
    RETURN_VISIT_WAYS,
    SATISFACTION_LEVELS,
    SESSION_RESULTS,
    CaseActionError,
    ClaimInput,
    PerformanceInput,
    ReturnVisitInput,
    SessionInput,
)
from app.services.cases.numbering import next_case_number
from app.services.cases.states import _OPEN
from app.services.cases.views import ActionResult
from app.services.formatting import format_date_cn
from app.services.validation import check_date_order, normalize_text
from app.services.validation import long_text as _long
from app.services.validation import short_text as _short
from db.enums import CaseStatus, CloseType, PerfStatus, SessionMode
from db.lookups import DISPUTE_TYPE
from db.models import (
    AuditEntry,
    Case,
    LookupItem,
    Organization,
    PerformanceRecord,
    User,
)
from db.versioning import expect_version

#: the correction actions (AuditEntry.action) and their Chinese labels, for the history tab
CORRECTION_LABELS: dict[str, str] = {
    "edit_session": "修改调解记录",
    "delete_session": "删除调解记录",
    "edit_performance": "修改履行记录",
    "delete_performance": "删除履行记录",
    "edit_return_visit": "修改回访记录",
    "delete_return_visit": "删除回访记录",
    "edit_claim": "修改请求事项",
    "delete_claim": "删除请求事项",
    "change_organization": "更改调解组织",
}

#: field labels of the correction entries (``session.place`` …) on top of the audit log's own
ENTRY_FIELD_LABELS: dict[str, str] = {
    "session.started_at": "调解时间", "session.ended_at": "结束时间", "session.place": "地点",
    "session.mode": "调解方式", "session.participants": "参加人", "session.recorder": "记录人",
    "session.record": "调解记录", "session.result": "本次结果", "session.next_step": "下一步",
    "performance.recorded_on": "履行登记日期", "performance.status": "履行情况",
    "performance.amount_paid_fen": "本次履行金额(分)", "performance.note": "备注",
    "visit.visited_on": "回访日期", "visit.way": "回访方式", "visit.target": "回访对象", "visit.visitor": "回访人",
    "visit.perf_status": "履行情况", "visit.satisfaction": "满意度", "visit.feedback": "当事人意见",
    "visit.follow_up": "后续措施", "claim.claim_type": "请求类型", "claim.description": "请求内容",
    "claim.amount_fen": "请求金额(分)", "perf_status": "履行情况", "claim_amount_fen": "请求金额合计(分)",
    "organization": "调解组织", "case_no": "案号", "case_seq": "案号序号",
}

REASON_LABEL = "更正理由"


# --- cleaning the entries (shared with the actions that add them) ----------------------------------------


def clean_session(data: SessionInput, case: Case, today: date) -> dict[str, Any]:
    """The columns of a 调解记录 from ``data``, checked against the case's dates."""
    started = _datetime(data.started_at, "调解时间", today)
    if case.accepted_on and started.date() < case.accepted_on:
        raise _invalid("调解时间", f"不能早于受理日期（{format_date_cn(case.accepted_on)}）")
    if case.closed_on and started.date() > case.closed_on:
        raise _invalid("调解时间", f"不能晚于结案日期（{format_date_cn(case.closed_on)}）")
    ended = None
    if not _blank(data.ended_at):
        ended = _datetime(data.ended_at, "结束时间", today)
        if ended < started:
            raise _invalid("结束时间", "不能早于开始时间")
    mode = _choice(data.mode, SessionMode, "调解方式", default=SessionMode.ONSITE.value)
    result = _short(data.result)
    if result is not None and result not in SESSION_RESULTS:
        by_label = {v: k for k, v in SESSION_RESULTS.items()}
        if result not in by_label:
            raise _invalid("调解结果", f"“{result}”应为达成协议、未达成或继续调解")
        result = by_label[result]
    return {
        "started_at": started,
        "ended_at": ended,
        "place": _short(data.place),
        "mode": mode,
        "participants": _long(data.participants),
        "recorder": _short(data.recorder),
        "record": _long(data.record),
        "result": result,
        "next_step": _long(data.next_step),
    }


def clean_performance(
    data: PerformanceInput, case: Case, today: date, others: list[PerformanceRecord]
) -> dict[str, Any]:
    """The columns of a 履行 entry; ``others``: the case's other entries (their amounts count as paid)."""
    status = _choice(data.status, PerfStatus, "履行情况")
    if status == PerfStatus.PENDING:
        raise _invalid("履行情况", "请选择已全部履行、部分履行或未履行")
    recorded = _date(data.recorded_on, "履行登记日期", today=today)
    start = case.agreement.signed_on if case.agreement else case.closed_on
    check_date_order(start, recorded, "协议签订日期", "履行登记日期")
    paid_before = sum(p.amount_paid_fen or 0 for p in others)
    agreed = case.agreed_amount_fen or 0
    amount = _fen(data.amount_paid_fen, "已履行金额", required=False)
    if status == PerfStatus.PARTIAL:
        if not amount:
            raise _invalid("已履行金额", "部分履行须填写本次已履行的金额")
        if agreed and paid_before + amount >= agreed:
            raise _invalid("已履行金额", f"累计已达到协议金额{_yuan(agreed)}，请选择“已全部履行”")
    elif status == PerfStatus.FULL:
        if amount is None:
            amount = max(agreed - paid_before, 0)
        elif agreed and paid_before + amount < agreed:
            raise _invalid(
                "已履行金额",
                f"累计{_yuan(paid_before + amount)}少于协议金额{_yuan(agreed)}，请选择“部分履行”或核对金额",
            )
    elif amount:
        raise _invalid("已履行金额", "未履行时不填写金额")
    return {"recorded_on": recorded, "status": status, "amount_paid_fen": amount, "note": _long(data.note)}


def clean_visit(data: ReturnVisitInput, case: Case, today: date) -> dict[str, Any]:
    """The columns of a 回访 entry; the performance status defaults to the case's."""
    visited = _date(data.visited_on, "回访日期", today=today)
    check_date_order(case.closed_on, visited, "结案日期", "回访日期")
    way = _short(data.way)
    if way is not None and way not in RETURN_VISIT_WAYS:
        raise _invalid("回访方式", f"“{way}”应为{'、'.join(RETURN_VISIT_WAYS)}之一")
    satisfaction = _short(data.satisfaction)
    if satisfaction is not None and satisfaction not in SATISFACTION_LEVELS:
        raise _invalid("当事人满意度", f"“{satisfaction}”应为{'、'.join(SATISFACTION_LEVELS)}之一")
    perf = case.perf_status if _blank(data.perf_status) else _choice(data.perf_status, PerfStatus, "履行情况")
    return {
        "visited_on": visited,
        "way": way,
        "target": _short(data.target),
        "visitor": _short(data.visitor),
        "perf_status": perf,
        "satisfaction": satisfaction,
        "feedback": _long(data.feedback),
        "follow_up": _short(data.follow_up),
    }


def reason_required(case: Any) -> bool:
    """Whether a correction of ``case`` (a ``Case`` or anything with ``status``) must give a reason."""
    return getattr(case, "status", None) not in [str(x) for x in _OPEN]


def _prefixed(prefix: str, row: Any, names: Any) -> dict[str, Any]:
    return {f"{prefix}.{n}": getattr(row, n) for n in names}


_SESSION_COLS = ("started_at", "ended_at", "place", "mode", "participants", "recorder", "record", "result", "next_step")
_PERF_COLS = ("recorded_on", "status", "amount_paid_fen", "note")
_VISIT_COLS = ("visited_on", "way", "target", "visitor", "perf_status", "satisfaction", "feedback", "follow_up")
_CLAIM_COLS = ("claim_type", "description", "amount_fen")


class CorrectionActions(CaseServiceBase):
    """更正: edit or delete a case's entries, change its organization, read its history."""

    # -- the frame of every correction --------------------------------------------------------------

    def _load_for_correction(self, s: Session, case_id: int, what: str, version: int | None) -> Case:
        case = s.get(Case, case_id)
        if case is None:
            raise CaseActionError(f"找不到编号为 {case_id} 的案件。", what)
        require(s, CASES_WRITE, case.organization_id)
        if case.deleted_at is not None:
            raise CaseActionError(f"案件{case.case_no or ''}已删除，不能再办理。", what)
        if case.locked:
            raise CaseActionError(f"案件已归档锁定，只读；如需更正，请先填写理由解锁后再{what}。", what)
        expect_version(case, version)  # changed since the form was read: RecordConflict
        return case

    @staticmethod
    def _reason(case: Case, reason: str | None) -> str | None:
        text = _long(reason)
        if text is None and reason_required(case):
            shown = CaseStatus(case.status).label if case.status in CaseStatus.labels() else case.status
            raise _invalid(REASON_LABEL, f"案件{shown}后更正记录须写明理由")
        return text

    @staticmethod
    def _entry(rows: list[Any], entry_id: int, label: str, what: str) -> Any:
        for row in rows:
            if row.id == entry_id:
                return row
        raise CaseActionError(f"本案没有编号为 {entry_id} 的{label}（可能已被他人删除），请重新打开案件。", what)

    def _finish(self, s: Session, case: Case, action: str, summary: str, before: dict, after: dict | None,
                reason: str | None) -> ActionResult:
        if reason:
            summary += f"（理由：{reason}）"
            after = dict(after or {}, reason=reason)
        case.updated_at = datetime.now().replace(microsecond=0)  # the case row changes: its version goes up
        self._refresh(s, case)
        self._audit(s, case, action, summary, before, after if after is not None else {})
        return self._result(case)

    # -- 调解记录 ----------------------------------------------------------------------------------------

    def update_session(self, case_id: int, session_id: int, data: SessionInput, reason: str | None = None,
                       *, version: int | None = None) -> ActionResult:
        """修改调解记录 (not on a locked case; with a reason once the case is closed)."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load_for_correction(s, case_id, "修改调解记录", version)
            row = self._entry(case.sessions, session_id, "调解记录", "edit_session")
            text = self._reason(case, reason)
            values = clean_session(data, case, today)
            before = _prefixed("session", row, _SESSION_COLS)
            for k, v in values.items():
                setattr(row, k, v)
            summary = f"修改案件{case.case_no}的调解记录（{format_date_cn(row.started_at.date())}）"
            return self._finish(s, case, "edit_session", summary, before,
                                _prefixed("session", row, _SESSION_COLS), text)

    def delete_session(self, case_id: int, session_id: int, reason: str | None = None,
                       *, version: int | None = None) -> ActionResult:
        """删除调解记录; the case stays in its state (开始调解 needs no session)."""
        with self._sf.begin() as s:
            case = self._load_for_correction(s, case_id, "删除调解记录", version)
            row = self._entry(case.sessions, session_id, "调解记录", "delete_session")
            text = self._reason(case, reason)
            before = _prefixed("session", row, _SESSION_COLS)
            case.sessions.remove(row)
            summary = f"删除案件{case.case_no}的调解记录（{format_date_cn(row.started_at.date())}）"
            return self._finish(s, case, "delete_session", summary, before, None, text)

    # -- 履行 -------------------------------------------------------------------------------------------

    def _check_agreed(self, case: Case, what: str) -> None:
        if case.close_type != CloseType.AGREED:
            raise CaseActionError("只有达成调解协议的案件才有履行记录。", what)

    @staticmethod
    def _perf_status_from_entries(case: Case) -> str:
        rows = sorted(case.performances, key=lambda p: (p.recorded_on, p.id or 0))
        return rows[-1].status if rows else PerfStatus.PENDING.value

    def update_performance(self, case_id: int, record_id: int, data: PerformanceInput, reason: str | None = None,
                           *, version: int | None = None) -> ActionResult:
        """修改履行记录; the case's 履行情况 follows its latest entry."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load_for_correction(s, case_id, "修改履行记录", version)
            self._check_agreed(case, "edit_performance")
            row = self._entry(case.performances, record_id, "履行记录", "edit_performance")
            text = self._reason(case, reason)
            others = [p for p in case.performances if p.id != row.id]
            values = clean_performance(data, case, today, others)
            before = dict(_prefixed("performance", row, _PERF_COLS), perf_status=case.perf_status)
            for k, v in values.items():
                setattr(row, k, v)
            s.flush()
            case.perf_status = self._perf_status_from_entries(case)
            after = dict(_prefixed("performance", row, _PERF_COLS), perf_status=case.perf_status)
            summary = f"修改案件{case.case_no}的履行记录（{format_date_cn(row.recorded_on)}，{PerfStatus(row.status).label}）"
            return self._finish(s, case, "edit_performance", summary, before, after, text)

    def delete_performance(self, case_id: int, record_id: int, reason: str | None = None,
                           *, version: int | None = None) -> ActionResult:
        """删除履行记录; the case's 履行情况 falls back to the latest remaining entry (or 待履行)."""
        with self._sf.begin() as s:
            case = self._load_for_correction(s, case_id, "删除履行记录", version)
            self._check_agreed(case, "delete_performance")
            row = self._entry(case.performances, record_id, "履行记录", "delete_performance")
            text = self._reason(case, reason)
            before = dict(_prefixed("performance", row, _PERF_COLS), perf_status=case.perf_status)
            case.performances.remove(row)
            s.flush()
            case.perf_status = self._perf_status_from_entries(case)
            summary = f"删除案件{case.case_no}的履行记录（{format_date_cn(row.recorded_on)}）"
            return self._finish(s, case, "delete_performance", summary, before, {"perf_status": case.perf_status},
                                text)

    # -- 回访 -------------------------------------------------------------------------------------------

    def update_return_visit(self, case_id: int, visit_id: int, data: ReturnVisitInput, reason: str | None = None,
                            *, version: int | None = None) -> ActionResult:
        """修改回访记录."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load_for_correction(s, case_id, "修改回访记录", version)
            row = self._entry(case.return_visits, visit_id, "回访记录", "edit_return_visit")
            text = self._reason(case, reason)
            values = clean_visit(data, case, today)
            before = _prefixed("visit", row, _VISIT_COLS)
            for k, v in values.items():
                setattr(row, k, v)
            summary = f"修改案件{case.case_no}的回访记录（{format_date_cn(row.visited_on)}）"
            return self._finish(s, case, "edit_return_visit", summary, before,
                                _prefixed("visit", row, _VISIT_COLS), text)

    def delete_return_visit(self, case_id: int, visit_id: int, reason: str | None = None,
                            *, version: int | None = None) -> ActionResult:
        """删除回访记录."""
        with self._sf.begin() as s:
            case = self._load_for_correction(s, case_id, "删除回访记录", version)
            row = self._entry(case.return_visits, visit_id, "回访记录", "delete_return_visit")
            text = self._reason(case, reason)
            before = _prefixed("visit", row, _VISIT_COLS)
            case.return_visits.remove(row)
            summary = f"删除案件{case.case_no}的回访记录（{format_date_cn(row.visited_on)}）"
            return self._finish(s, case, "delete_return_visit", summary, before, None, text)

    # -- 请求事项 -----------------------------------------------------------------------------------------

    def update_claim(self, case_id: int, claim_id: int, data: ClaimInput, reason: str | None = None,
                     *, version: int | None = None) -> ActionResult:
        """修改一项请求事项 (also after closing, with a reason); the claimed total follows."""
        with self._sf.begin() as s:
            case = self._load_for_correction(s, case_id, "修改请求事项", version)
            row = self._entry(case.claims, claim_id, "请求事项", "edit_claim")
            text = self._reason(case, reason)
            ctype = normalize_text(data.claim_type)
            labels = dict(s.execute(select(LookupItem.code, LookupItem.label).where(
                LookupItem.category == DISPUTE_TYPE)).all())
            if not ctype:
                raise _invalid("请求类型", "不能为空")
            if ctype not in labels:
                raise _invalid("请求类型", f"“{ctype}”不在争议类型列表中")
            amount = _fen(data.amount_fen, "请求金额", required=False) or 0
            before = dict(_prefixed("claim", row, _CLAIM_COLS), claim_amount_fen=case.claim_amount_fen)
            row.claim_type = ctype
            row.description = _long(data.description) or labels[ctype]
            row.amount_fen = amount
            case.claim_amount_fen = sum(c.amount_fen or 0 for c in case.claims)
            after = dict(_prefixed("claim", row, _CLAIM_COLS), claim_amount_fen=case.claim_amount_fen)
            summary = f"修改案件{case.case_no}的请求事项（{row.description}）"
            return self._finish(s, case, "edit_claim", summary, before, after, text)

    def delete_claim(self, case_id: int, claim_id: int, reason: str | None = None,
                     *, version: int | None = None) -> ActionResult:
        """删除一项请求事项; the claimed total follows."""
        with self._sf.begin() as s:
            case = self._load_for_correction(s, case_id, "删除请求事项", version)
            row = self._entry(case.claims, claim_id, "请求事项", "delete_claim")
            text = self._reason(case, reason)
            before = dict(_prefixed("claim", row, _CLAIM_COLS), claim_amount_fen=case.claim_amount_fen)
            case.claims.remove(row)
            case.claim_amount_fen = sum(c.amount_fen or 0 for c in case.claims if c is not row)
            summary = f"删除案件{case.case_no}的请求事项（{row.description}）"
            return self._finish(s, case, "delete_claim", summary, before,
                                {"claim_amount_fen": case.claim_amount_fen}, text)

    # -- 调解组织 -----------------------------------------------------------------------------------------

    def change_organization(self, case_id: int, organization_id: int, reason: str | None = None,
                            *, version: int | None = None) -> ActionResult:
        """更改调解组织.  Registered (not yet accepted): a new 案号 in the new organization's sequence, the
        old number stays a recorded gap.  Later: the 案号 stays, and a reason is required."""
        with self._sf.begin() as s:
            case = self._load_for_correction(s, case_id, "更改调解组织", version)
            if organization_id == case.organization_id:
                raise _invalid("调解组织", "与现在的调解组织相同")
            new = s.get(Organization, organization_id)
            if new is None:
                raise _invalid("调解组织", f"找不到编号为 {organization_id} 的调解组织")
            require(s, CASES_WRITE, new.id)
            old = s.get(Organization, case.organization_id)
            renumber = case.status == CaseStatus.REGISTERED
            text = _long(reason)
            if text is None and not renumber:
                raise _invalid(REASON_LABEL, "案件受理后更改调解组织须写明理由（案号不变）")
            before = {"organization": old.name if old else case.organization_id, "case_no": case.case_no}
            warnings: list[str] = []
            if renumber:
                year = case.case_year or case.received_on.year
                case_no, seq = next_case_number(s, new, year)
                old_no = case.case_no
                case.organization_id = new.id
                case.case_no, case.case_year, case.case_seq = case_no, year, seq
                summary = f"案件{old_no}改由“{new.name}”办理，案号改为{case_no}（原案号作废，不再使用）"
            else:
                self._check_clashes(s, case, new)
                case.organization_id = new.id
                summary = f"案件{case.case_no}改由“{new.name}”办理，案号不变"
                foreign = [cm.mediator.name for cm in case.mediators if cm.mediator.organization_id != new.id]
                if foreign:
                    warnings.append(f"已指定的调解员{'、'.join(foreign)}不属于“{new.name}”，请核对或重新指定")
            case.organization = new
            after = {"organization": new.name, "case_no": case.case_no}
            result = self._finish(s, case, "change_organization", summary, before, after, text)
            return ActionResult(result.case_id, result.case_no, result.status, tuple(warnings))

    @staticmethod
    def _check_clashes(s: Session, case: Case, new: Organization) -> None:
        others = select(Case.case_no).where(Case.organization_id == new.id, Case.id != case.id)
        if case.case_no and s.scalar(others.where(Case.case_no == case.case_no).limit(1)) is not None:
            raise _invalid("调解组织", f"“{new.name}”已有案号为{case.case_no}的案件，不能改由该组织办理")
        if case.archive_no and s.scalar(
            others.where(Case.archive_no == case.archive_no, Case.deleted_at.is_(None)).limit(1)
        ) is not None:
            raise _invalid("调解组织", f"“{new.name}”已有归档号为{case.archive_no}的案件")

    # -- the case's history -------------------------------------------------------------------------

    def case_history(self, case_id: int) -> list[AuditRow]:
        """The case's audit entries, oldest first: who, when, what, before → after, reason (操作记录 tab).

        Whoever may read the case may read its history; values are masked for a role without full info."""
        with self._sf() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise CaseActionError(f"找不到编号为 {case_id} 的案件。")
            require(s, CASES_READ, case.organization_id)
            entries = list(s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "case", AuditEntry.entity_uuid == case.uuid)
                .order_by(AuditEntry.at, AuditEntry.id)
            ))
            names = dict(s.execute(select(User.login, User.display_name)).all())
            full = full_info_allowed(s)
            return [_history_row(e, case.case_no or "", names, full) for e in entries]


def _history_row(e: AuditEntry, case_no: str, names: dict[str, str], full: bool) -> AuditRow:
    before = (e.before if full else mask_audit_values(e.before)) or {}
    after = (e.after if full else mask_audit_values(e.after)) or {}
    reason = str(after.get("reason") or before.get("reason") or "")
    keys = [k for k in dict.fromkeys([*before, *after]) if k != "reason"]
    labels = {**_LOG_FIELD_LABELS, **ENTRY_FIELD_LABELS}
    changes = tuple(Change(k, labels.get(k, k), before.get(k), after.get(k)) for k in keys)
    login = e.user_login
    return AuditRow(
        id=e.id, at=e.at, user_id=e.user_id, user_login=login,
        user_name=names.get(login or "", "") or (login or "本机用户"),
        action=e.action, action_label={**_LOG_ACTION_LABELS, **CORRECTION_LABELS}.get(e.action, e.action),
        entity=e.entity, entity_label="案件", entity_uuid=e.entity_uuid, target=case_no,
        summary=e.summary or "", reason=reason, changes=changes,
    )

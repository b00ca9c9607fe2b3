"""Closing a case (结案, five closing types) and the agreement's follow-up: 调解协议, 仲裁审查/司法确认,
履行情况, 回访."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.services.cases.corrections import CorrectionActions, clean_performance, clean_visit
from app.services.cases.fields import _blank, _choice, _date, _date_opt, _fen, _invalid, _yuan
from app.services.cases.inputs import (
    REASON_REQUIRED,
    AgreementInput,
    CaseActionError,
    PerformanceInput,
    ReturnVisitInput,
)
from app.services.cases.views import ActionResult
from app.services.deadlines import review_window_end
from app.services.formatting import format_date_cn
from app.services.validation import check_date_order
from app.services.validation import long_text as _long
from app.services.validation import short_text as _short
from db.enums import CaseStatus, CloseType, PerfStatus, ReviewKind
from db.models import Agreement, Case, PerformanceRecord, ReturnVisit


class ClosingActions(CorrectionActions):
    """结案 and what follows an agreement: its terms, the review, performance and the return visit.

    It carries the corrections (:class:`~.corrections.CorrectionActions`: edit or delete entries, change the
    organization, the case's history) into :class:`~.service.CaseService`."""

    # -- closing --------------------------------------------------------------------------------

    def _clean_agreement(
        self, data: AgreementInput, case: Case, closed_on: date | None, today: date
    ) -> dict[str, Any]:
        signed = _date(data.signed_on, "协议签订日期", today=today)
        check_date_order(case.accepted_on, signed, "受理日期", "协议签订日期")
        if closed_on is not None:
            check_date_order(signed, closed_on, "协议签订日期", "结案日期")
        effective = _date_opt(data.effective_on, "协议生效日期", today=today) or signed
        check_date_order(signed, effective, "协议签订日期", "协议生效日期")
        amount = _fen(data.amount_fen, "协议金额")
        if _blank(data.perf_deadline):
            raise _invalid("履行期限", "调解协议须写明履行期限")
        deadline = _date(data.perf_deadline, "履行期限", today=today, future=True)
        check_date_order(signed, deadline, "协议签订日期", "履行期限")
        method = _short(data.payment_method)
        if amount and method is None:
            raise _invalid("履行方式", "协议有给付金额时须写明履行（支付）方式，如银行转账或现金")
        return {
            "signed_on": signed,
            "effective_on": effective,
            "amount_fen": amount,
            "perf_deadline": deadline,
            "payment_method": method,
            "perf_mode": _short(data.perf_mode),
            "payee_account": _short(data.payee_account),
            "terms": _long(data.terms),
        }

    def close(
        self,
        case_id: int,
        closed_on: date | str,
        close_type: str,
        reason: str | None = None,
        agreement: AgreementInput | None = None,
    ) -> ActionResult:
        """结案 with one of the five closing types; an agreed close needs the agreement terms."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "close")
            ctype = _choice(close_type, CloseType, "结案方式")
            closed = _date(closed_on, "结案日期", today=today)
            check_date_order(case.accepted_on, closed, "受理日期", "结案日期")
            last_session = max((x.started_at.date() for x in case.sessions), default=None)
            check_date_order(last_session, closed, "最后一次调解日期", "结案日期")
            text = _long(reason)
            if ctype in REASON_REQUIRED and text is None:
                raise _invalid("结案理由", f"以“{CloseType(ctype).label}”结案须写明理由")
            terms = None
            if ctype == CloseType.AGREED:
                if agreement is None:
                    raise _invalid("调解协议", "达成调解协议结案须填写协议内容（金额、履行期限、履行方式）")
                terms = self._clean_agreement(agreement, case, closed, today)
            elif agreement is not None:
                raise _invalid("调解协议", f"以“{CloseType(ctype).label}”结案不填写调解协议")
            names = ("status", "closed_on", "close_type", "close_reason", "agreed_amount_fen", "perf_status")
            before = self._snap(case, names)
            case.status = CaseStatus.CLOSED.value
            case.closed_on = closed
            case.close_type = ctype
            case.close_reason = text
            if terms is not None:
                case.agreement = Agreement(**terms)
                case.agreed_amount_fen = terms["amount_fen"]
                case.perf_status = PerfStatus.PENDING.value
            self._refresh(s, case)
            after = self._snap(case, names)
            if terms is not None:
                after["agreement"] = terms
            summary = f"案件{case.case_no}结案：{CloseType(ctype).label}"
            if terms is not None:
                summary += f"，协议金额{_yuan(terms['amount_fen'])}，履行期限{format_date_cn(terms['perf_deadline'])}"
            elif text:
                summary += f"（{text}）"
            self._audit(s, case, "close", summary, before, after)
            warnings = []
            if case.mediation_due_on and closed > case.mediation_due_on:
                warnings.append(f"结案日期晚于调解期限（{format_date_cn(case.mediation_due_on)}）")
            return self._result(case, warnings)

    def update_agreement(self, case_id: int, data: AgreementInput) -> ActionResult:
        """修改调解协议 terms of an agreed case (not locked)."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "update_agreement")
            terms = self._clean_agreement(data, case, case.closed_on, today)
            row = case.agreement
            if row is None:
                row = case.agreement = Agreement(**terms)
                before: dict[str, Any] = {k: None for k in terms}
            else:
                before = {k: getattr(row, k) for k in terms}
                for k, v in terms.items():
                    setattr(row, k, v)
            before["agreed_amount_fen"] = case.agreed_amount_fen
            case.agreed_amount_fen = terms["amount_fen"]
            self._refresh(s, case)
            after = dict(terms, agreed_amount_fen=case.agreed_amount_fen)
            self._audit(s, case, "update_agreement", f"修改案件{case.case_no}的调解协议", before, after)
            return self._result(case)

    def record_review(
        self,
        case_id: int,
        kind: str,
        applied_on: date | str,
        decided_on: date | str | None = None,
        result: str | None = None,
    ) -> ActionResult:
        """仲裁审查确认 / 司法确认 of the agreement: which, when applied, when decided, the result."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "record_review")
            agreement = case.agreement
            if agreement is None:
                raise CaseActionError("该案件没有调解协议记录，请先填写调解协议。", "record_review")
            rkind = _choice(kind, ReviewKind, "审查类型")
            applied = _date(applied_on, "申请日期", today=today)
            check_date_order(
                agreement.effective_on or agreement.signed_on, applied, "协议生效日期", "申请日期"
            )
            if rkind == ReviewKind.ARBITRATION:
                window = review_window_end(agreement.effective_on or agreement.signed_on, self.calendar)
                if window is not None and applied > window.due:
                    raise _invalid(
                        "申请日期",
                        f"已超过协议生效之日起十五日的仲裁审查申请期限（{format_date_cn(window.due)}）",
                    )
            decided = _date_opt(decided_on, "审查结果日期", today=today)
            check_date_order(applied, decided, "申请日期", "审查结果日期")
            names = ("review_kind", "review_applied_on", "review_decided_on", "review_result")
            before = {k: getattr(agreement, k) for k in names}
            agreement.review_kind = rkind
            agreement.review_applied_on = applied
            agreement.review_decided_on = decided
            agreement.review_result = _short(result)
            self._refresh(s, case)
            after = {k: getattr(agreement, k) for k in names}
            summary = f"案件{case.case_no}申请{ReviewKind(rkind).label}（{format_date_cn(applied)}）"
            if agreement.review_result:
                summary += f"，结果：{agreement.review_result}"
            self._audit(s, case, "record_review", summary, before, after)
            return self._result(case)

    def record_performance(self, case_id: int, data: PerformanceInput) -> ActionResult:
        """履行情况: full / partial (with the amount paid) / none; full ends the follow-up."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "record_performance")
            values = clean_performance(data, case, today, list(case.performances))
            status, recorded, amount = values["status"], values["recorded_on"], values["amount_paid_fen"]
            row = PerformanceRecord(**values)
            before = {"perf_status": case.perf_status}
            case.performances.append(row)
            case.perf_status = status
            self._refresh(s, case)
            s.flush()
            after = {
                "perf_status": status,
                "performance": {
                    "uuid": row.uuid,
                    "recorded_on": recorded,
                    "status": status,
                    "amount_paid_fen": amount,
                },
            }
            summary = f"案件{case.case_no}履行情况：{PerfStatus(status).label}"
            if amount:
                summary += f"，金额{_yuan(amount)}"
            self._audit(s, case, "record_performance", summary, before, after)
            warnings = []
            if status == PerfStatus.NONE:
                warnings.append("协议未履行：可告知当事人依法申请仲裁；拖欠劳动报酬等事项可申请支付令")
            return self._result(case, warnings)

    def record_return_visit(self, case_id: int, data: ReturnVisitInput) -> ActionResult:
        """回访记录 for a closed case."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "record_return_visit")
            values = clean_visit(data, case, today)
            visited, way, satisfaction = values["visited_on"], values["way"], values["satisfaction"]
            row = ReturnVisit(**values)
            case.return_visits.append(row)
            self._refresh(s, case)
            s.flush()
            after = {
                "return_visit": {
                    "uuid": row.uuid,
                    "visited_on": visited,
                    "way": way,
                    "satisfaction": satisfaction,
                }
            }
            self._audit(
                s,
                case,
                "record_return_visit",
                f"案件{case.case_no}回访（{format_date_cn(visited)}{'，' + way if way else ''}）",
                None,
                after,
            )
            return self._result(case)

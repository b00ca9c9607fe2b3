"""The context of the per-case DOCX templates (``resources/templates/case-*.docx``): :func:`case_context`
and its party, agreement, claim and return-visit pieces, formatted for print.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.exports.case_data.common import (
    _NUMBERED_RE,
    CONSENT_LABELS,
    NOTICE_CLAUSE,
    SATISFACTION_CHOICES,
    SESSION_RESULTS,
    VISIT_WAYS,
    _cn_number,
    _d,
    _paragraphs,
    _s,
    _self_ref,
    _strip_end,
    annotate_amounts,
    money_text,
)
from app.services.validation import (
    mask_id_number,
    mask_phone,
)
from db.enums import (
    ApplyMode,
    CaseStatus,
    CloseType,
    PartyRole,
    PerfStatus,
    ReviewKind,
    SessionMode,
)
from db.lookups import CASE_SOURCE, DISPUTE_TYPE, lookup_labels
from db.models import (
    Agreement,
    Case,
    CaseParty,
    Enterprise,
    ReturnVisit,
)


def _person_context(p: CaseParty, mask: bool) -> dict[str, Any]:
    id_no = _s(p.id_number)
    phone = _s(p.phone)
    if mask:
        id_no, phone = mask_id_number(id_no), mask_phone(phone)
    agent_phone = mask_phone(p.agent_phone) if mask else _s(p.agent_phone)
    parts = [p.name]
    if p.gender:
        parts.append(p.gender)
    if p.birth_date:
        parts.append(f"{_d(p.birth_date)}出生")
    if p.ethnicity:
        parts.append(p.ethnicity)
    if id_no:
        parts.append(f"{_s(p.id_type) or '身份证件'}号码：{id_no}")
    if p.address:
        parts.append(f"住址：{p.address}")
    if p.job:
        parts.append(f"工作岗位：{p.job}")
    if phone:
        parts.append(f"联系电话：{phone}")
    agent = _agent_text(p, agent_phone)
    return {
        "name": p.name,
        "kind": "person",
        "gender": _s(p.gender),
        "birth_date": _d(p.birth_date),
        "ethnicity": _s(p.ethnicity),
        "id_type": _s(p.id_type) or "居民身份证",
        "id_number": id_no,
        "phone": phone,
        "address": _s(p.address),
        "job": _s(p.job),
        "hired_on": _d(p.hired_on),
        "is_representative": bool(p.is_representative),
        "agent_name": _s(p.agent_name),
        "agent_relation": _s(p.agent_relation),
        "agent_phone": agent_phone,
        "agent": agent,
        "desc": "，".join(parts) + "。",
        "brief": "，".join(
            x for x in (
                p.name,
                (f"{_s(p.id_type)}号码：{id_no}" if _s(p.id_type) and _s(p.id_type) != "居民身份证"
                 else f"身份证号：{id_no}") if id_no else "",
                f"电话：{phone}" if phone else "",
                f"委托代理人：{agent}" if agent else "",
            ) if x
        ),
    }


def _agent_text(p: CaseParty, agent_phone: str) -> str:
    """「李四，律师，联系电话：…」: the party's agent, or empty."""
    if not p.agent_name:
        return ""
    agent = p.agent_name + (f"，{p.agent_relation}" if p.agent_relation else "")
    if agent_phone:
        agent += f"，联系电话：{agent_phone}"
    return agent


def _employer_context(p: CaseParty, mask: bool) -> dict[str, Any]:
    ent: Enterprise | None = p.enterprise
    credit = _s(p.credit_code) or (_s(ent.credit_code) if ent else "")
    legal_rep = _s(p.legal_rep) or (_s(ent.legal_rep) if ent else "")
    phone = _s(p.phone) or (_s(ent.contact_phone) if ent else "")
    address = _s(p.address) or (_s(ent.address) if ent else "")
    if mask:
        phone = mask_phone(phone)
    agent_phone = mask_phone(p.agent_phone) if mask else _s(p.agent_phone)
    parts = [p.name]
    if credit:
        parts.append(f"统一社会信用代码：{credit}")
    if address:
        parts.append(f"住所：{address}")
    if phone:
        parts.append(f"联系电话：{phone}")
    rep = legal_rep + (f"，{p.legal_rep_post}" if p.legal_rep and p.legal_rep_post else "")
    agent = _agent_text(p, agent_phone)
    return {
        "name": p.name,
        "kind": "employer",
        "credit_code": credit,
        "employer_type": _s(ent.employer_type) if ent else "",
        "address": address,
        "phone": phone,
        "legal_rep": legal_rep,
        "legal_rep_post": _s(p.legal_rep_post),
        "legal_rep_line": rep,
        "agent_name": _s(p.agent_name),
        "agent_relation": _s(p.agent_relation),
        "agent_phone": agent_phone,
        "agent": agent,
        "desc": "，".join(parts) + "。",
        "brief": "，".join(
            x
            for x in (
                p.name,
                f"统一社会信用代码：{credit}" if credit else "",
                f"电话：{phone}" if phone else "",
                f"委托代理人：{agent}" if agent else "",
            )
            if x
        ),
        # notices are served at the address; the ID/phone fields of a person are empty here
        "id_number": credit,
    }


def _party_context(p: CaseParty, mask: bool) -> dict[str, Any]:
    if p.party_kind == "employer" or p.credit_code or p.enterprise_id:
        return _employer_context(p, mask)
    return _person_context(p, mask)


def _agreement_terms(agreement: Agreement, amount: dict[str, str], deadline: str) -> tuple[list[str], str]:
    """Numbered terms (each amount in figures followed by its 大写) and, when the terms name no
    amount at all, a recap clause with the agreed amount, deadline and way of payment."""
    raw = [ln.strip() for ln in _s(agreement.terms).splitlines() if ln.strip()]
    way = _s(agreement.payment_method)
    account = _s(agreement.payee_account)
    mode = _s(agreement.perf_mode)
    if not raw and agreement.amount_fen:
        pay = f"{'分期' if mode == '分期' else '一次性'}支付申请人{amount['text']}"
        raw = [f"被申请人于{deadline}前{pay}" if deadline else f"被申请人{pay}"]
        if way:
            raw.append(f"上述款项以{way}方式支付" + (f"至{account}" if account else ""))
    terms = []
    for i, t in enumerate(raw, 1):
        # 「1.」: the terms sit under the heading 「二、协议内容」, so never 「一、」 again (issue 13)
        t = f"{i}. {_NUMBERED_RE.sub('', annotate_amounts(t)).strip()}"
        if not t.endswith(("。", "；", ";")):
            t += "；" if i < len(raw) else "。"
        terms.append(t)
    if terms and terms[-1].endswith(("；", ";")):
        terms[-1] = terms[-1][:-1] + "。"
    recap = ""
    if agreement.amount_fen and "元" not in "".join(raw):
        bits = [f"本协议约定的款项合计{amount['text']}"]
        if deadline:
            bits.append(f"支付期限：{deadline}前")
        if way:
            bits.append(f"支付方式：{way}" + (f"（收款账户：{account}）" if account else ""))
        recap = "；".join(bits) + "。"
    elif account and account not in "".join(raw):  # the payee account is printed (forms.md §6.6)
        recap = f"上述款项{f'以{way}方式' if way else ''}支付至收款账户：{account}。"
    return terms, recap


def _claim_line(no: int, description: str, amount_fen: int, amount_text: str) -> str:
    """「1. 请求被申请人支付拖欠工资8,000元（大写：人民币捌仟元整）。」: amounts named in the text get
    their 大写; a claim whose text names no amount gets 「金额…」 appended."""
    text = annotate_amounts(_strip_end(description))
    if amount_fen and "元" not in description:
        text += f"，金额{amount_text}"
    return f"{no}. {text}。"


def _visit_context(v: ReturnVisit, paid: dict[str, str]) -> dict[str, Any]:
    perf = PerfStatus.labels().get(_s(v.perf_status), _s(v.perf_status))
    if v.perf_status == "partial" and paid["figures"]:
        perf += f"（已支付{paid['figures']}）"
    sat = _s(v.satisfaction)
    way = _s(v.way)
    return {
        "date": _d(v.visited_on),
        "way": way,
        "way_boxes": "　".join(("☑" if w == way else "□") + w for w in VISIT_WAYS)
        + ("" if way in VISIT_WAYS or not way else f"　☑{way}"),
        "target": _s(v.target),
        "visitor": _s(v.visitor),
        "perf_status": perf,
        "satisfaction": sat,
        "satisfaction_boxes": "　".join(("☑" if s == sat else "□") + s for s in SATISFACTION_CHOICES),
        "feedback": _paragraphs(v.feedback),
        "follow_up": _s(v.follow_up),
    }


def case_context(
    session: Session, case: Case, *, mask: bool = False, today: date | None = None
) -> dict[str, Any]:
    """All fields of one case for the DOCX templates, formatted for print (see the module doc).

    ``mask=True`` masks ID numbers and phones (mask_id_number / mask_phone); documents served on the
    parties normally carry them whole.
    """
    today = today or date.today()
    org = case.organization
    disputes = lookup_labels(session, DISPUTE_TYPE)
    sources = lookup_labels(session, CASE_SOURCE)
    org_name = _s(org.name)

    parties = sorted(case.parties, key=lambda p: (p.sort_order, p.id or 0))
    applicant_rows = [p for p in parties if p.role == PartyRole.APPLICANT]
    applicant_rows.sort(key=lambda p: (not p.is_representative, p.sort_order, p.id or 0))
    applicants = [_party_context(p, mask) for p in applicant_rows]
    respondents = [_party_context(p, mask) for p in parties if p.role == PartyRole.RESPONDENT]
    third = [_party_context(p, mask) for p in parties if p.role == PartyRole.THIRD_PARTY]
    names = "、".join(a["name"] for a in applicants)
    workers = max(case.workers or 1, len(applicants))
    first = applicants[0]["name"] if applicants else ""
    display = f"{first}等{workers}人" if workers > 1 and first else first
    respondent_names = "、".join(r["name"] for r in respondents)

    claims = []
    for i, c in enumerate(sorted(case.claims, key=lambda c: (c.sort_order, c.id or 0)), 1):
        m = money_text(c.amount_fen) if c.amount_fen else money_text(None)
        claims.append(
            {
                "no": i,
                "type": disputes.get(c.claim_type, c.claim_type),
                "description": _s(c.description),
                "amount": m["figures"],
                "amount_upper": m["upper"],
                "amount_text": m["text"],
                "line": _claim_line(i, _s(c.description), c.amount_fen or 0, m["text"]),
            }
        )
    claim_money = money_text(case.claim_amount_fen or 0)

    mediator_rows = sorted(case.mediators, key=lambda cm: (not cm.lead, cm.id or 0))
    mediators = [{"name": cm.mediator.name, "role": "主办" if cm.lead else "协办"} for cm in mediator_rows]
    mediator_names = "、".join(m["name"] for m in mediators)
    lead = mediators[0]["name"] if mediators else ""

    sessions = []
    for i, s in enumerate(sorted(case.sessions, key=lambda s: (s.started_at, s.id or 0)), 1):
        start, end = s.started_at, s.ended_at
        span = f"{_d(start)} {start:%H:%M}" if start else ""
        if end:
            span += f"—{end:%H:%M}" if end.date() == start.date() else f"—{_d(end)} {end:%H:%M}"
        sessions.append(
            {
                "no": i,
                "title": f"第{_cn_number(i)}次调解",
                "date": _d(start),
                "time": span,
                "place": _s(s.place),
                "mode": SessionMode.labels().get(s.mode, _s(s.mode)),
                "participants": _s(s.participants),
                "recorder": _s(s.recorder),
                "record": _paragraphs(s.record),
                "result": SESSION_RESULTS.get(_s(s.result), _s(s.result)),
                "next_step": _s(s.next_step),
            }
        )

    perf_rows = sorted(case.performances, key=lambda r: (r.recorded_on, r.id or 0))
    performances = [
        {
            "date": _d(r.recorded_on),
            "status": PerfStatus.labels().get(r.status, r.status),
            "amount_paid": money_text(r.amount_paid_fen)["figures"] if r.amount_paid_fen is not None else "",
            "note": _s(r.note),
        }
        for r in perf_rows
    ]

    agreement = None
    a = case.agreement
    if a is not None:
        amount = money_text(a.amount_fen or 0)
        deadline = _d(a.perf_deadline)
        terms, recap = _agreement_terms(a, amount, deadline)
        agreement = {
            "signed_on": _d(a.signed_on),
            "effective_on": _d(a.effective_on),
            "amount": amount["figures"],
            "amount_upper": amount["upper"],
            "amount_text": amount["text"],
            "perf_deadline": deadline,
            "perf_mode": _s(a.perf_mode),
            "payment_method": _s(a.payment_method),
            "payee_account": _s(a.payee_account),
            "terms": terms,
            "payment_clause": recap,
            "notice_clause": NOTICE_CLAUSE,
            "review_kind": ReviewKind.labels().get(_s(a.review_kind), _s(a.review_kind)),
            "review_applied_on": _d(a.review_applied_on),
            "review_result": _s(a.review_result),
        }

    visits = []
    for v in sorted(case.return_visits, key=lambda v: (v.visited_on, v.id or 0)):
        paid_fen = next(
            (
                r.amount_paid_fen
                for r in reversed(perf_rows)
                if r.recorded_on <= v.visited_on and r.amount_paid_fen
            ),
            None,
        )
        visits.append(_visit_context(v, money_text(paid_fen)))

    status = _s(case.status)
    close_type = _s(case.close_type)
    if status == CaseStatus.REJECTED:
        accept_opinion = f"不予受理。理由：{_strip_end(case.reject_reason) or '（未填写）'}。"
        if case.reject_notice_on:
            accept_opinion += f"已于{_d(case.reject_notice_on)}书面通知申请人。"
    elif case.accepted_on:
        accept_opinion = f"受理（{_d(case.accepted_on)}）。"
    else:
        accept_opinion = "（待审查）"
    consent = CONSENT_LABELS.get(_s(case.other_party_consent), "")
    if consent and case.other_party_consent_on:
        consent += f"（{_d(case.other_party_consent_on)}）"
    dispute_main = disputes.get(case.dispute_type_main, case.dispute_type_main)
    all_types = [dispute_main] + [
        disputes.get(t, t) for t in (case.dispute_types or []) if t != case.dispute_type_main
    ]

    applicant = applicants[0] if applicants else _empty_party()
    respondent = respondents[0] if respondents else _empty_party()
    recipients = [{"role": "申请人", **a_} for a_ in applicants] + [
        {"role": "被申请人", **r_} for r_ in respondents
    ]

    return {
        "org": {
            "name": org_name,
            "short_name": _s(org.short_name) or org_name,
            "self_ref": _self_ref(org_name),
            "address": _s(org.address),
            "phone": _s(org.contact_phone) or _s(org.head_phone),
            "head_name": _s(org.head_name),
        },
        "case": {
            "id": case.id,
            "no": _s(case.case_no),
            "uuid": case.uuid,
            "received_on": _d(case.received_on),
            "apply_mode": ApplyMode.labels().get(case.apply_mode, _s(case.apply_mode)),
            "source": sources.get(case.source, _s(case.source)),
            "status": CaseStatus.labels().get(status, status),
            "workers": workers,
            "is_collective": "是" if case.is_collective else "否",
            "collective": bool(case.is_collective),
            "dispute_type": dispute_main,
            "dispute_types": "、".join(all_types),
            "claims_summary": _s(case.claims_summary),
            "claim_amount": claim_money["figures"],
            "claim_amount_upper": claim_money["upper"],
            "claim_amount_text": claim_money["text"],
            "facts": _paragraphs(case.facts),
            "oral_record": _paragraphs(case.oral_record),
            "other_party_consent": consent,
            "accepted_on": _d(case.accepted_on),
            "accept_opinion": accept_opinion,
            "mediation_due_on": _d(case.mediation_due_on),
            "extended_to": _d(case.extended_to),
            "extension_reason": _s(case.extension_reason),
            "closed_on": _d(case.closed_on),
            "close_type": CloseType.labels().get(close_type, close_type),
            "close_reason": _s(case.close_reason),
            "archive_no": _s(case.archive_no),
            "remark": _s(case.remark),
        },
        "applicants": applicants,
        "applicant": applicant,
        "applicant_names": names,
        "applicant_display": display,
        "applicant_you": "你" if len(applicants) <= 1 else "你们",
        "respondents": respondents,
        "respondent": respondent,
        "respondent_names": respondent_names,
        "third_parties": third,
        "recipients": recipients,
        "applicant_recipients": [r_ for r_ in recipients if r_["role"] == "申请人"],
        "claims": claims,
        "mediators": mediators,
        "mediator_names": mediator_names,
        "mediators_text": "、".join(f"{m['name']}（{m['role']}）" for m in mediators)
        if len(mediators) > 1
        else mediator_names,
        "claims_text": "\n".join(c["line"] for c in claims),
        "agreement_amount": agreement["amount_text"] if agreement else "",
        "agreement_deadline": agreement["perf_deadline"] if agreement else "",
        "lead_mediator": lead,
        "sessions": sessions,
        "agreement": agreement,
        "performances": performances,
        "performance": performances[-1] if performances else None,
        "visits": visits,
        "visit": visits[-1] if visits else None,
        "rejection": {
            "reason": _strip_end(case.reject_reason),
            "rejected_on": _d(case.rejected_on),
            "notice_on": _d(case.reject_notice_on or case.rejected_on),
        },
        "termination": {
            "reason": _strip_end(case.close_reason),
            "closed_on": _d(case.closed_on),
            "accepted_on": _d(case.accepted_on),
        },
        "today": _d(today),
        "blank_date": "　　年　　月　　日",
    }


def _empty_party() -> dict[str, Any]:
    return {
        k: ""
        for k in (
            "name",
            "desc",
            "brief",
            "id_number",
            "phone",
            "address",
            "credit_code",
            "agent",
            "legal_rep",
            "legal_rep_line",
        )
    }

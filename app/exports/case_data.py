"""Read-only case queries for the per-case documents and the case ledger (no writes, no Qt).

* :func:`find_case` — a case by id or case number (Chinese :class:`ExportError` if none / several).
* :func:`case_context` — everything the DOCX templates under ``resources/templates/case-*.docx``
  need, already formatted for print: dates 「2026年3月9日」, amounts 「12,000.00元」 with the
  大写 「人民币壹万贰仟元整」, labels instead of codes, parties split into applicants and
  respondents, ID numbers and phones whole or masked.
* :func:`ledger_filters`, :func:`count_ledger_rows`, :func:`iter_ledger_rows` — the 调解案件登记台账
  (forms.md §6.9): ONE SQL statement with joins and correlated subqueries (first applicant + 「等N人」,
  respondent and its enterprise, mediators, agreement, latest performance, latest return visit),
  streamed with ``yield_per`` so 100,000 cases go out in bounded memory.

This module reads the models directly; it does not depend on the case service.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.exports.registry import ExportError
from app.services.formatting import format_amount, format_date_cn, quarter_label, quarter_range, rmb_upper
from app.services.validation import (
    ValidationError,
    mask_id_number,
    mask_phone,
    normalize_text,
    parse_bool_optional,
    parse_date_optional,
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
from db.lookups import CASE_SOURCE, DISPUTE_TYPE, INDUSTRY, lookup_labels
from db.models import (
    Agreement,
    Case,
    CaseMediator,
    CaseParty,
    Enterprise,
    Mediator,
    Organization,
    PerformanceRecord,
    ReturnVisit,
)

__all__ = [
    "NOTICE_CLAUSE",
    "LedgerFilters",
    "annotate_amounts",
    "case_context",
    "count_ledger_rows",
    "find_case",
    "iter_ledger_rows",
    "ledger_filters",
    "money_text",
    "parse_bool_param",
]

#: The 告知 clause of the 调解协议书 (forms.md §6.6, PROPOSED wording).
NOTICE_CLAUSE = (
    "双方可自本协议生效之日起十五日内共同向有管辖权的劳动人事争议仲裁委员会申请仲裁审查；"
    "一方不履行的，另一方可依法申请仲裁；因支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项达成调解协议，"
    "用人单位在约定期限内不履行的，劳动者可持本协议书依法向人民法院申请支付令。"
)

#: The case list's pseudo status 「未结案」 (app.services.case_list.OPEN_STATUS) and what it stands for.
OPEN_STATUS_WORDS = ("open", "未结案")
OPEN_STATUSES = (CaseStatus.REGISTERED.value, CaseStatus.ACCEPTED.value, CaseStatus.MEDIATING.value)

SESSION_RESULTS = {"agreed": "达成调解协议", "not_agreed": "未达成调解协议", "continue": "继续调解"}
CONSENT_LABELS = {"agreed": "同意调解", "refused": "不同意调解", "unreachable": "未联系上"}
SATISFACTION_CHOICES = ("满意", "基本满意", "不满意")
VISIT_WAYS = ("电话", "上门", "线上")

# docxtpl turns "\a" inside a value into a new paragraph with the same formatting
PARAGRAPH_BREAK = "\a"


# --- small formatting helpers -------------------------------------------------------------------


def _s(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _d(value: date | datetime | None) -> str:
    return format_date_cn(value) if value is not None else ""


def money_text(fen: int | None) -> dict[str, str]:
    """``{"figures": "12,000.00元", "upper": "人民币壹万贰仟元整", "text": "12,000.00元（大写：人民币壹万贰仟元整）"}``;
    all empty for ``None``."""
    if fen is None:
        return {"figures": "", "upper": "", "text": "", "yuan": ""}
    figures = format_amount(fen, unit=True)
    upper = rmb_upper(fen) if fen >= 0 else ""
    return {
        "figures": figures,
        "upper": upper,
        "text": f"{figures}（大写：{upper}）" if upper else figures,
        "yuan": format_amount(fen),
    }


_AMOUNT_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\s*元(?!\s*[（(]\s*大写)")


def annotate_amounts(text: str) -> str:
    """Add 「（大写：人民币…）」 after every amount in figures that lacks one:
    「支付工资8,000元；」 → 「支付工资8,000元（大写：人民币捌仟元整）；」. Amounts already followed
    by 「（大写…」 are left alone."""

    def repl(m: re.Match[str]) -> str:
        try:
            yuan = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
        except InvalidOperation:
            return m.group(0)
        fen = int((yuan * 100).to_integral_value())
        return f"{m.group(0)}（大写：{rmb_upper(fen)}）"

    return _AMOUNT_RE.sub(repl, text)


_NUMBERED_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])"
)
_CN_NUMS = "一二三四五六七八九十"


def _cn_number(n: int) -> str:
    if n <= 10:
        return _CN_NUMS[n - 1]
    if n < 20:
        return "十" + _CN_NUMS[n - 11]
    tens, ones = divmod(n, 10)
    return _CN_NUMS[tens - 1] + "十" + (_CN_NUMS[ones - 1] if ones else "")


def _paragraphs(text: str | None) -> str:
    """Multi-line text for a template paragraph: each line becomes its own paragraph."""
    lines = [ln.strip() for ln in _s(text).splitlines() if ln.strip()]
    return PARAGRAPH_BREAK.join(lines)


def _self_ref(org_name: str) -> str:
    """How the organization names itself in its documents: 本委员会 / 本中心 / 本组织."""
    for suffix, word in (("委员会", "本委员会"), ("调解中心", "本中心"), ("中心", "本中心")):
        if org_name.endswith(suffix):
            return word
    return "本组织"


def _strip_end(text: str) -> str:
    return _s(text).rstrip("。；;，,.")


def parse_bool_param(value: Any, label: str = "参数") -> bool:
    """Option values from the CLI (``--param full_info=是``), the UI (True/None) or Python."""
    try:
        return bool(parse_bool_optional(value, label))
    except ValidationError as exc:
        raise ExportError(str(exc)) from None


def _int_param(value: Any, label: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ExportError(f"{label}应为整数")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d+", text):
        raise ExportError(f"{label}应为整数，而不是“{text}”")
    return int(text)


def _date_param(value: Any, label: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_date_optional(value, label)
    except ValidationError as exc:
        raise ExportError(str(exc)) from None


# --- finding a case -----------------------------------------------------------------------------


def find_case(session: Session, key: Any) -> Case:
    """A (not deleted) case by its number (``Case.id``) or case number 「(2026)南市调字第0012号」.

    Also accepts a unique part of a case number (「南市调字第0012号」). Raises :class:`ExportError`
    with a Chinese message when nothing or more than one case matches.
    """
    text = _s(key)
    if not text:
        raise ExportError("请指定案件（案件编号或案号）")
    if text.isdigit():
        case = session.get(Case, int(text))
        if case is not None:
            if case.deleted_at is not None:
                raise ExportError(f"案件 {text}（{case.case_no or '无案号'}）已删除")
            return case
    # normalise the parentheses people type: （2026） → (2026)
    variants = {text, text.replace("（", "(").replace("）", ")"), text.replace("(", "（").replace(")", "）")}
    live = Case.deleted_at.is_(None)
    exact = session.scalars(select(Case).where(Case.case_no.in_(variants), live).limit(6)).all()
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        orgs = "、".join(f"{c.id}（{c.organization.name}）" for c in exact)
        raise ExportError(f"案号“{text}”对应多个案件，请改用案件编号：{orgs}")
    core = text.replace("（", "(").replace("）", ")")
    like = session.scalars(
        select(Case).where(live, or_(*(Case.case_no.contains(v) for v in variants | {core}))).limit(6)
    ).all()
    if len(like) == 1:
        return like[0]
    if not like:
        raise ExportError(f"找不到案件：{text}")
    numbers = "、".join(c.case_no or str(c.id) for c in like[:5])
    raise ExportError(f"“{text}”对应多个案件，请写完整案号或案件编号：{numbers}")


# --- document context ---------------------------------------------------------------------------


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
            x for x in (p.name, f"身份证号：{id_no}" if id_no else "", f"电话：{phone}" if phone else "") if x
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
    numbered = all(_NUMBERED_RE.match(t) for t in raw)
    for i, t in enumerate(raw, 1):
        t = annotate_amounts(t)
        if not numbered:
            t = f"{_cn_number(i)}、{_NUMBERED_RE.sub('', t).strip()}"
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
        "respondents": respondents,
        "respondent": respondent,
        "respondent_names": respondent_names,
        "third_parties": third,
        "recipients": recipients,
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


# --- the ledger ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilters:
    """Which cases go into the ledger. Dates filter on 收到申请日期 (received_on), both ends inclusive."""

    date_from: date | None = None
    date_to: date | None = None
    organization_id: int | None = None
    organization_name: str = ""
    statuses: tuple[str, ...] = ()
    dispute_type: str | None = None
    source: str | None = None
    search: str = ""
    mediator_id: int | None = None
    overdue: bool = False
    period_label: str = "全部"
    description: dict[str, str] = field(default_factory=dict)


def _resolve_code(session: Session, category: str, value: str, what: str) -> str:
    labels = lookup_labels(session, category)
    if value in labels:
        return value
    for code, label in labels.items():
        if label == value:
            return code
    raise ExportError(f"未知的{what}：{value}")


def ledger_filters(session: Session, params: Mapping[str, Any]) -> LedgerFilters:
    """Turn export parameters (``year``, ``quarter``, ``org``, ``date_from``, ``date_to``, ``status``,
    ``dispute_type``, ``source``, ``search``) into :class:`LedgerFilters`; Chinese ExportError on bad input."""
    from app.services.organizations import find_organization

    year = _int_param(params.get("year"), "年度")
    quarter = _int_param(params.get("quarter"), "季度")
    date_from = _date_param(params.get("date_from"), "起始日期")
    date_to = _date_param(params.get("date_to"), "截止日期")
    desc: dict[str, str] = {}
    period = "全部"
    lo = hi = None
    if quarter is not None and year is None:
        raise ExportError("按季度导出时请同时指定年度")
    if quarter is not None and not 1 <= quarter <= 4:
        raise ExportError(f"季度应为 1–4，而不是 {quarter}")
    if year is not None:
        if not 1900 <= year <= 2999:
            raise ExportError(f"年度不正确：{year}")
        if quarter is not None:
            lo, hi = quarter_range(year, quarter)
            period = quarter_label(year, quarter)
            desc["quarter"] = str(quarter)
        else:
            lo, hi = date(year, 1, 1), date(year, 12, 31)
            period = f"{year}年"
        desc["year"] = str(year)
    if date_from is not None:
        lo = max(lo, date_from) if lo else date_from
        desc["date_from"] = date_from.isoformat()
    if date_to is not None:
        hi = min(hi, date_to) if hi else date_to
        desc["date_to"] = date_to.isoformat()
    if date_from is not None or date_to is not None:
        period = f"{_d(lo) if lo else '最早'}至{_d(hi) if hi else '今'}"
    if lo and hi and lo > hi:
        raise ExportError(f"起始日期 {_d(lo)} 晚于截止日期 {_d(hi)}")

    org_id, org_name = None, ""
    org_key = params.get("org") if _s(params.get("org")) else params.get("organization_id")
    if _s(org_key):
        try:
            org = find_organization(session, org_key)
        except ValueError as exc:
            raise ExportError(str(exc)) from None
        org_id, org_name = org.id, org.name
        desc["org"] = org.name

    statuses: list[str] = []
    raw_status = params.get("status")
    if raw_status not in (None, ""):
        items = (
            raw_status
            if isinstance(raw_status, list | tuple | set)
            else re.split(r"[,，、\s]+", str(raw_status))
        )
        for item in items:
            item = _s(item)
            if not item:
                continue
            if item in OPEN_STATUS_WORDS:  # the case list's 「未结案」 filter
                statuses.extend(OPEN_STATUSES)
                continue
            try:
                statuses.append(CaseStatus(item).value)
            except ValueError:
                try:
                    statuses.append(CaseStatus.from_label(item).value)
                except ValueError:
                    known = "、".join(s.label for s in CaseStatus)
                    raise ExportError(f"未知的案件状态：{item}（可用：{known}）") from None
        statuses = list(dict.fromkeys(statuses))
        desc["status"] = "、".join(CaseStatus(s).label for s in statuses)

    dispute = source = None
    if _s(params.get("dispute_type")):
        dispute = _resolve_code(session, DISPUTE_TYPE, _s(params["dispute_type"]), "争议类型")
        desc["dispute_type"] = dispute
    if _s(params.get("source")):
        source = _resolve_code(session, CASE_SOURCE, _s(params["source"]), "案件来源")
        desc["source"] = source
    search = _s(params.get("search"))
    if search:
        desc["search"] = search
    mediator_id = _int_param(params.get("mediator_id"), "调解员编号")
    if mediator_id is not None:
        name = session.scalar(select(Mediator.name).where(Mediator.id == mediator_id))
        if name is None:
            raise ExportError(f"找不到调解员：{mediator_id}")
        desc["mediator"] = name
    overdue = parse_bool_param(params.get("overdue"), "逾期")
    if overdue:
        desc["overdue"] = "1"
    return LedgerFilters(
        date_from=lo,
        date_to=hi,
        organization_id=org_id,
        organization_name=org_name,
        statuses=tuple(statuses),
        dispute_type=dispute,
        source=source,
        search=search,
        period_label=period,
        description=desc,
        mediator_id=mediator_id,
        overdue=overdue,
    )


def _where(filters: LedgerFilters) -> list[Any]:
    cond: list[Any] = [Case.deleted_at.is_(None)]
    if filters.date_from is not None:
        cond.append(Case.received_on >= filters.date_from)
    if filters.date_to is not None:
        cond.append(Case.received_on <= filters.date_to)
    if filters.organization_id is not None:
        cond.append(Case.organization_id == filters.organization_id)
    if filters.statuses:
        cond.append(Case.status.in_(filters.statuses))
    if filters.dispute_type:
        cond.append(Case.dispute_type_main == filters.dispute_type)
    if filters.source:
        cond.append(Case.source == filters.source)
    for term in re.split(r"\s+", normalize_text(filters.search)) if filters.search else ():
        if term:
            cond.append(Case.search_text.contains(term, autoescape=True))
    if filters.mediator_id is not None:
        cond.append(
            Case.id.in_(select(CaseMediator.case_id).where(CaseMediator.mediator_id == filters.mediator_id))
        )
    if filters.overdue:
        cond.append(_overdue_condition())
    return cond


def _overdue_condition():
    """「逾期」 exactly as the case list computes it (acceptance, mediation and performance deadlines
    against the holiday calendar); the rule lives in app.services.case_list."""
    try:
        from app.services import case_list
    except ImportError:
        raise ExportError("暂不能按“逾期”筛选导出台账") from None
    return case_list._overdue_condition(date.today(), case_list._default_calendar())


def count_ledger_rows(session: Session, filters: LedgerFilters) -> int:
    return session.scalar(select(func.count()).select_from(Case).where(*_where(filters))) or 0


def _ledger_statement(filters: LedgerFilters):
    ap = aliased(CaseParty, name="ap")
    rp = aliased(CaseParty, name="rp")
    ent = aliased(Enterprise, name="ent")
    pr = aliased(PerformanceRecord, name="pr")
    rv = aliased(ReturnVisit, name="rv")

    first_applicant = (
        select(CaseParty.id)
        .where(CaseParty.case_id == Case.id, CaseParty.role == PartyRole.APPLICANT.value)
        .order_by(CaseParty.is_representative.desc(), CaseParty.sort_order, CaseParty.id)
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )
    applicant_count = (
        select(func.count())
        .select_from(CaseParty)
        .where(CaseParty.case_id == Case.id, CaseParty.role == PartyRole.APPLICANT.value)
        .correlate(Case)
        .scalar_subquery()
    )
    first_respondent = (
        select(CaseParty.id)
        .where(CaseParty.case_id == Case.id, CaseParty.role == PartyRole.RESPONDENT.value)
        .order_by(CaseParty.sort_order, CaseParty.id)
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )

    def mediator_names(lead: bool):
        return (
            select(func.group_concat(Mediator.name, "、"))
            .select_from(CaseMediator)
            .join(Mediator, Mediator.id == CaseMediator.mediator_id)
            .where(CaseMediator.case_id == Case.id, CaseMediator.lead.is_(lead))
            .correlate(Case)
            .scalar_subquery()
        )

    def latest(model: Any, on: Any):
        """The id of the case's latest ``model`` row (by ``on``, then id)."""
        return (
            select(model.id)
            .where(model.case_id == Case.id)
            .order_by(on.desc(), model.id.desc())
            .limit(1)
            .correlate(Case)
            .scalar_subquery()
        )

    last_perf = latest(PerformanceRecord, PerformanceRecord.recorded_on)
    last_visit = latest(ReturnVisit, ReturnVisit.visited_on)

    columns = [
        Case.id,
        Case.uuid,
        Case.case_no,
        Case.received_on,
        Case.source,
        Case.apply_mode,
        Case.status,
        Case.workers,
        Case.is_collective,
        Case.dispute_type_main,
        Case.claims_summary,
        Case.claim_amount_fen,
        Case.accepted_on,
        Case.rejected_on,
        Case.mediation_due_on,
        Case.extended_to,
        Case.extension_reason,
        Case.closed_on,
        Case.close_type,
        Case.agreed_amount_fen,
        Case.perf_status,
        Case.to_arbitration,
        Case.arbitration_case_no,
        Case.archive_no,
        Case.archived_on,
        Case.remark,
        Organization.street_code.label("org_street"),
        ap.name.label("ap_name"),
        ap.id_number.label("ap_id"),
        ap.phone.label("ap_phone"),
        applicant_count.label("ap_count"),
        rp.name.label("rp_name"),
        rp.credit_code.label("rp_credit"),
        ent.credit_code.label("ent_credit"),
        ent.employer_type.label("ent_type"),
        ent.industry.label("ent_industry"),
        ent.street_code.label("ent_street"),
        mediator_names(True).label("lead_mediators"),
        mediator_names(False).label("other_mediators"),
        Agreement.amount_fen.label("ag_amount"),
        Agreement.perf_mode.label("ag_mode"),
        Agreement.perf_deadline.label("ag_deadline"),
        Agreement.review_kind.label("ag_review_kind"),
        Agreement.review_applied_on.label("ag_review_applied"),
        Agreement.review_decided_on.label("ag_review_decided"),
        Agreement.review_result.label("ag_review_result"),
        pr.status.label("pr_status"),
        pr.amount_paid_fen.label("pr_paid"),
        rv.visited_on.label("rv_on"),
        rv.satisfaction.label("rv_satisfaction"),
    ]
    return (
        select(*columns)
        .select_from(Case)
        .join(Organization, Organization.id == Case.organization_id)
        .outerjoin(ap, ap.id == first_applicant)
        .outerjoin(rp, rp.id == first_respondent)
        .outerjoin(ent, ent.id == rp.enterprise_id)
        .outerjoin(Agreement, Agreement.case_id == Case.id)
        .outerjoin(pr, pr.id == last_perf)
        .outerjoin(rv, rv.id == last_visit)
        .where(and_(*_where(filters)))
        .order_by(Case.received_on, Case.organization_id, Case.case_seq, Case.id)
    )


def iter_ledger_rows(
    session: Session,
    filters: LedgerFilters | Mapping[str, Any],
    full_info: bool = False,
    *,
    batch: int = 1000,
) -> Iterator[dict[str, Any]]:
    """Ledger rows (dicts keyed like ``resources/templates/case-ledger.json``), one per case, in
    order of receipt. One SQL statement, streamed in batches of ``batch`` rows. ID numbers and
    phones are masked unless ``full_info``. Money stays in integer 分 (the XLSX engine writes 元)."""
    if not isinstance(filters, LedgerFilters):
        filters = ledger_filters(session, filters)
    disputes = lookup_labels(session, DISPUTE_TYPE)
    sources = lookup_labels(session, CASE_SOURCE)
    industries = lookup_labels(session, INDUSTRY)
    status_labels = CaseStatus.labels()
    close_labels = CloseType.labels()
    perf_labels = PerfStatus.labels()
    mode_labels = ApplyMode.labels()
    review_labels = ReviewKind.labels()

    stmt = _ledger_statement(filters).execution_options(yield_per=batch)
    for r in session.execute(stmt):
        status = r.status
        rejected = status == CaseStatus.REJECTED.value
        if rejected:
            accept_result = "不予受理"
        elif r.accepted_on is not None:
            accept_result = "受理"
        else:
            accept_result = (
                "待审查" if status == CaseStatus.REGISTERED.value else status_labels.get(status, status)
            )

        n = max(r.workers or 1, r.ap_count or 0)
        applicant = r.ap_name or ""
        if applicant and n > 1:
            applicant = f"{applicant}等{n}人"
        ap_id, ap_phone = r.ap_id or "", r.ap_phone or ""
        if not full_info:
            ap_id, ap_phone = mask_id_number(ap_id), mask_phone(ap_phone)

        mediators = ""
        if r.lead_mediators:
            mediators = "、".join(f"{name}（主办）" for name in r.lead_mediators.split("、"))
        if r.other_mediators:
            mediators = "、".join(x for x in (mediators, r.other_mediators) if x)

        closed_on = r.closed_on or (r.rejected_on if rejected else None)
        if rejected:
            close_type = "不予受理"
        else:
            close_type = close_labels.get(r.close_type, r.close_type or "")

        agreed = r.ag_amount if r.ag_amount is not None else r.agreed_amount_fen
        perf_code = r.pr_status or r.perf_status
        perf = perf_labels.get(perf_code, perf_code or "") if perf_code else ""
        if perf_code == "partial" and r.pr_paid:
            perf += f"（已付{format_amount(r.pr_paid)}元）"

        review = ""
        if r.ag_review_kind:
            review = review_labels.get(r.ag_review_kind, r.ag_review_kind)
            bits = []
            if r.ag_review_applied:
                bits.append(f"{r.ag_review_applied.isoformat()}申请")
            if r.ag_review_result:
                bits.append(
                    (f"{r.ag_review_decided.isoformat()} " if r.ag_review_decided else "")
                    + r.ag_review_result
                )
            elif r.ag_review_applied:
                bits.append("审查中")
            if bits:
                review += "：" + "，".join(bits)

        remarks = [r.remark or ""]
        if r.extension_reason:
            remarks.append(f"延期原因：{r.extension_reason}")
        if r.arbitration_case_no:
            remarks.append(f"仲裁案号：{r.arbitration_case_no}")
        if r.rv_satisfaction:
            remarks.append(f"回访：{r.rv_satisfaction}")
        if r.archived_on:
            remarks.append(f"归档日期：{r.archived_on.isoformat()}")

        yield {
            "case_no": r.case_no,
            "received_on": r.received_on,
            "source": sources.get(r.source, r.source),
            "apply_mode": mode_labels.get(r.apply_mode, r.apply_mode),
            "applicant_name": applicant,
            "applicant_id": ap_id,
            "applicant_phone": ap_phone,
            "respondent_name": r.rp_name,
            "respondent_uscc": r.rp_credit or r.ent_credit,
            "employer_type": r.ent_type,
            "industry": industries.get(r.ent_industry, r.ent_industry) if r.ent_industry else None,
            "street_code": r.ent_street or r.org_street,
            "workers": r.workers,
            "is_collective": bool(r.is_collective),
            "dispute_type_main": disputes.get(r.dispute_type_main, r.dispute_type_main),
            "claims_summary": r.claims_summary,
            "claim_amount": r.claim_amount_fen,
            "accepted_on": r.accepted_on,
            "accept_result": accept_result,
            "mediators": mediators,
            "due_on": r.mediation_due_on,
            "extended_to": r.extended_to,
            "closed_on": closed_on,
            "close_type": close_type,
            "agreed_amount": agreed,
            "perf_mode": r.ag_mode,
            "perf_deadline": r.ag_deadline,
            "perf_status": perf,
            "arb_review": review,
            "to_arbitration": bool(r.to_arbitration),
            "duration_days": (closed_on - r.received_on).days if closed_on else None,
            "visit_on": r.rv_on,
            "archive_no": r.archive_no,
            "remark": "；".join(x for x in remarks if x),
            "uuid": r.uuid,
        }

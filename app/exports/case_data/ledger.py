"""The 调解案件登记台账 rows (forms.md §6.9): :func:`ledger_filters` turns export parameters into
:class:`LedgerFilters`; :func:`iter_ledger_rows` streams ONE SQL statement with joins and correlated
subqueries (first applicant + 「等N人」, respondent and its enterprise, mediators, agreement, latest
performance, latest return visit) with ``yield_per``, so 100,000 cases go out in bounded memory.
Every row names its 调解组织, and :func:`ledger_organizations` lists those organizations for the manifest,
so a ledger of several organizations imports back with each case under its own.
The other applicants of a case (after the first, in the same order) go into three hidden columns after 记录标识
(其他申请人 with 「（代表）」 for a representative, 其他申请人身份证号, 其他申请人电话; 、-separated, IDs and phones
masked unless full information), read per batch of rows, so that a ledger imports back into the same parties.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from app.exports.case_data.common import (
    OPEN_STATUS_WORDS,
    OPEN_STATUSES,
    _d,
    _date_param,
    _int_param,
    _s,
    parse_bool_param,
)
from app.exports.case_data.places import street_label, street_names
from app.exports.registry import ExportError
from app.services.formatting import format_amount, quarter_label, quarter_range
from app.services.validation import (
    mask_id_number,
    mask_phone,
    normalize_text,
)
from db.enums import (
    ApplyMode,
    CaseStatus,
    CloseType,
    PartyRole,
    PerfStatus,
    ReviewKind,
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
from db.portable import joined


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


def ledger_organizations(session: Session, filters: LedgerFilters) -> list[dict[str, str]]:
    """The organizations the ledger's rows name (its 调解组织 column), for the manifest: name, uuid, region and
    street codes and kind, so that an import elsewhere finds each one (by uuid, else name and region) or
    creates it as it was."""
    stmt = (
        select(Organization.name, Organization.uuid, Organization.region_code, Organization.street_code,
               Organization.kind)
        .where(Organization.id.in_(select(Case.organization_id).where(*_where(filters))))
        .order_by(Organization.id)
    )
    return [
        {"name": name, "uuid": uuid, "region_code": region or "", "street_code": street or "", "kind": kind or ""}
        for name, uuid, region, street, kind in session.execute(stmt)
    ]


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
            select(joined(Mediator.name, "、"))
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
        Organization.name.label("org_name"),
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
    order of receipt. One SQL statement, streamed in batches of ``batch`` rows (and one query a batch for the
    other applicants of its cases: :func:`co_applicants`). ID numbers and
    phones are masked unless ``full_info``. Money stays in integer 分 (the XLSX engine writes 元)."""
    if not isinstance(filters, LedgerFilters):
        filters = ledger_filters(session, filters)
    lookups = {
        "disputes": lookup_labels(session, DISPUTE_TYPE),
        "sources": lookup_labels(session, CASE_SOURCE),
        "industries": lookup_labels(session, INDUSTRY),
        "status": CaseStatus.labels(),
        "close": CloseType.labels(),
        "perf": PerfStatus.labels(),
        "mode": ApplyMode.labels(),
        "review": ReviewKind.labels(),
        "streets": street_names(session),
    }

    stmt = _ledger_statement(filters).execution_options(yield_per=batch)
    for chunk in session.execute(stmt).partitions(batch):
        others = co_applicants(session, [r.id for r in chunk if (r.ap_count or 0) > 1], full_info)
        for r in chunk:
            yield _ledger_row(r, others.get(r.id, _NO_OTHERS), full_info, lookups)


#: a case with one applicant: its hidden 其他申请人 cells are empty
_NO_OTHERS: tuple[str | None, str | None, str | None] = (None, None, None)
#: an XLSX cell holds 32,767 characters; a longer list of applicants is cut, and the cut said in the cell
MAX_CELL = 32000
#: the mark of a representative among the other applicants, and of a list cut at :data:`MAX_CELL`
REPRESENTATIVE_MARK = "（代表）"
CUT_MARK = "……另有{n}人未列出"


def co_applicants(session: Session, case_ids: list[int], full_info: bool) -> dict[int, tuple[str | None, ...]]:
    """case id → (names, ID numbers, phones) of its applicants after the first (the first is the one the
    visible columns show), each 、-separated in the same order, blanks kept as empty places."""
    if not case_ids:
        return {}
    stmt = (
        select(CaseParty.case_id, CaseParty.name, CaseParty.id_number, CaseParty.phone, CaseParty.is_representative)
        .where(CaseParty.case_id.in_(case_ids), CaseParty.role == PartyRole.APPLICANT.value)
        .order_by(CaseParty.case_id, CaseParty.is_representative.desc(), CaseParty.sort_order, CaseParty.id)
    )
    people: dict[int, list[tuple[str, str, str]]] = {}
    for cid, name, idn, phone, rep in session.execute(stmt):
        idn, phone = idn or "", phone or ""
        if not full_info:
            idn, phone = mask_id_number(idn), mask_phone(phone)
        people.setdefault(cid, []).append(((name or "") + (REPRESENTATIVE_MARK if rep else ""), idn, phone))
    out: dict[int, tuple[str | None, ...]] = {}
    for cid, found in people.items():
        rest = found[1:]
        if not rest:
            continue
        kept, sizes = 0, [0, 0, 0]
        for p in rest:
            sizes = [n + len(x) + 1 for n, x in zip(sizes, p, strict=True)]
            if max(sizes) > MAX_CELL - 20:
                break
            kept += 1
        names = "、".join(p[0] for p in rest[:kept])
        if kept < len(rest):
            names += "、" + CUT_MARK.format(n=len(rest) - kept)
        ids = "、".join(p[1] for p in rest[:kept])
        phones = "、".join(p[2] for p in rest[:kept])
        out[cid] = (names, ids if ids.strip("、") else None, phones if phones.strip("、") else None)
    return out


def _ledger_row(r: Any, others: tuple[str | None, ...], full_info: bool, lk: dict[str, dict]) -> dict[str, Any]:
    """One ledger row (a dict keyed like the template's columns) from one row of the statement."""
    disputes, sources, industries = lk["disputes"], lk["sources"], lk["industries"]
    status_labels, close_labels, perf_labels = lk["status"], lk["close"], lk["perf"]
    mode_labels, review_labels, streets = lk["mode"], lk["review"], lk["streets"]
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


    return {
        "case_no": r.case_no,
        "organization": r.org_name,
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
        "street_code": street_label(r.ent_street or r.org_street, streets),
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
        "extension_reason": r.extension_reason,
        "closed_on": closed_on,
        "close_type": close_type,
        "agreed_amount": agreed,
        "perf_mode": r.ag_mode,
        "perf_deadline": r.ag_deadline,
        "perf_status": perf,
        "arb_review": review,
        "to_arbitration": bool(r.to_arbitration),
        "arbitration_case_no": r.arbitration_case_no,
        "duration_days": (closed_on - r.received_on).days if closed_on else None,
        "visit_on": r.rv_on,
        "visit_result": r.rv_satisfaction,
        "archive_no": r.archive_no,
        "archived_on": r.archived_on,
        "remark": r.remark,
        "uuid": r.uuid,
        "co_applicants": others[0],
        "co_applicant_ids": others[1],
        "co_applicant_phones": others[2],
    }


class LedgerTotals:
    """The ledger's 合计 row, added up while the rows stream past :meth:`count`: the number of cases, workers,
    collective and closed cases, and the claimed and agreed amounts — as text cells, so that a sum over a
    column in Excel never counts it again and an import skips it as a 合计 row."""

    def __init__(self) -> None:
        self.cases = self.workers = self.collective = self.closed = 0
        self.claim_fen = self.agreed_fen = 0

    def count(self, rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            self.cases += 1
            self.workers += row.get("workers") or 0
            self.collective += 1 if row.get("is_collective") else 0
            self.closed += 1 if row.get("closed_on") else 0
            self.claim_fen += row.get("claim_amount") or 0
            self.agreed_fen += row.get("agreed_amount") or 0
            yield row

    def row(self) -> dict[str, Any]:
        return {
            "seq": "合计",
            "case_no": f"共{self.cases}件",
            "workers": f"{self.workers}人",
            "is_collective": f"{self.collective}件",
            "claim_amount": format_amount(self.claim_fen),
            "close_type": f"结案{self.closed}件",
            "agreed_amount": format_amount(self.agreed_fen),
        }

    def footer(self) -> Iterator[dict[str, Any]]:
        """The 合计 row, read only when the data rows have all been written."""
        yield self.row()

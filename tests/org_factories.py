"""Small builders for the organization-profile tests (organizations, mediators, cases with outcomes)."""

from __future__ import annotations

from datetime import date

from app.services.organizations import FACILITY_LABELS, SIGNAGE_LABELS, SYSTEM_LABELS, OrganizationInput
from db.models import Agreement, Case, CaseParty, Mediator, MediatorTraining, Organization

ORG_NAME = "和平区南市街道劳动人事争议调解中心"


def org_input(**overrides) -> OrganizationInput:
    values = dict(
        name=ORG_NAME,
        kind="21",
        region_code="120101",
        address="天津市和平区南市街道荣业大街56号",
        established_on="2016-05-12",
        head_name="王建国",
        contact_phone="13812345678",
        facilities={k: True for k in FACILITY_LABELS},
        signage={k: True for k in SIGNAGE_LABELS},
        systems={k: True for k in SYSTEM_LABELS},
        online_platform=True,
        complaints_channel=True,
    )
    values.update(overrides)
    return OrganizationInput(**values)


def add_org(session, name: str = ORG_NAME, kind: str = "21", region: str = "120101", **kw) -> Organization:
    org = Organization(name=name, kind=kind, region_code=region, **kw)
    session.add(org)
    session.flush()
    return org


def add_mediator(session, org_id: int, name: str, *, full_time: bool = False, background: str | None = None,
                 appointed_on: date | None = date(2020, 1, 1), left_on: date | None = None,
                 trainings: list[tuple[date, str, int]] = ()) -> Mediator:
    m = Mediator(organization_id=org_id, name=name, full_time=full_time, background=background,
                 appointed_on=appointed_on, left_on=left_on)
    session.add(m)
    session.flush()
    for held, title, minutes in trainings:
        session.add(MediatorTraining(mediator_id=m.id, held_on=held, name=title, minutes=minutes))
    return m


_SEQ = [0]


def add_case(session, org_id: int, *, year: int = 2025, close_type: str | None = "agreed", source: str = "apply",
             received: date | None = None, closed: date | None = None, workers: int = 1, amount_fen: int = 1_000_000,
             review_kind: str | None = None, applicant: str = "张三丰", employer: str = "天津宏达建筑工程有限公司",
             deleted: bool = False, rejected: bool = False, collective: bool = False) -> Case:
    _SEQ[0] += 1
    received = received or date(year, 3, 2)
    closed = closed or (date(year, 3, 20) if close_type else None)
    status = "rejected" if rejected else ("archived" if close_type else "mediating")
    c = Case(
        organization_id=org_id, case_no=f"T{_SEQ[0]:06d}", case_year=received.year, case_seq=_SEQ[0],
        received_on=received, source=source, status=status, workers=workers, is_collective=collective,
        dispute_type_main="02", claim_amount_fen=amount_fen,
        accepted_on=None if rejected else received, rejected_on=received if rejected else None,
        closed_on=None if rejected else closed, close_type=None if rejected else close_type,
        agreed_amount_fen=amount_fen // 2 if close_type in ("agreed", "settled_withdrawn") else None,
        facts=f"申请人{applicant}于2021年3月入职被申请人{employer}处，从事木工工作。{employer}拖欠工资。",
        claims_summary=f"{applicant}请求{employer}支付拖欠工资",
    )
    if deleted:
        from datetime import datetime

        c.deleted_at = datetime(year, 4, 1)
    session.add(c)
    session.flush()
    session.add_all([
        CaseParty(case_id=c.id, role="applicant", party_kind="person", name=applicant, gender="男",
                  id_number="11010519491231002X", phone="13912345678", sort_order=0),
        CaseParty(case_id=c.id, role="respondent", party_kind="employer", name=employer, legal_rep="李四光",
                  sort_order=1),
    ])
    if close_type == "agreed":
        session.add(Agreement(case_id=c.id, signed_on=closed, amount_fen=amount_fen // 2, review_kind=review_kind,
                              review_applied_on=closed if review_kind else None,
                              terms=f"一、{employer}于{year}年4月30日前支付{applicant}工资5,000元；"))
    session.flush()
    return c


def add_outcomes(session, org_id: int, year: int, success: int, failed: int, **kw) -> None:
    """``success`` agreed cases and ``failed`` failed cases closed in ``year``."""
    for _ in range(success):
        add_case(session, org_id, year=year, close_type="agreed", **kw)
    for _ in range(failed):
        add_case(session, org_id, year=year, close_type="failed", **kw)

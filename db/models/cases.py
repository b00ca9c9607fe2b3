"""Cases (调解案件) and what belongs to one: parties, claims, mediators, sessions, agreement, performance,
return visits; and the per-organization case number counter."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, KeyMixin, TimestampMixin
from db.versioning import VersionMixin

if TYPE_CHECKING:
    from db.models.organizations import Enterprise, Mediator, Organization

# ---------------------------------------------------------------------------------------------
# Cases


class Case(KeyMixin, TimestampMixin, VersionMixin, Base):
    """调解案件. ``status`` is the stage of life (db.enums.CaseStatus); ``close_type`` the outcome."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("organization_id", "case_no", name="uq_cases_org_case_no"),
        Index("ix_cases_org_received", "organization_id", "received_on"),
        Index("ix_cases_status_received", "status", "received_on"),
        Index("ix_cases_closed_on", "closed_on"),
        Index("ix_cases_accepted_on", "accepted_on"),
        Index("ix_cases_type_received", "dispute_type_main", "received_on"),
        Index("ix_cases_applicant_key", "applicant_key"),
        Index("ix_cases_respondent_key", "respondent_key"),
    )

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    case_no: Mapped[str | None] = mapped_column(String(60))
    case_year: Mapped[int | None] = mapped_column(Integer)
    case_seq: Mapped[int | None] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column(Date)
    apply_mode: Mapped[str] = mapped_column(String(10), default="written")  # written / oral / online
    oral_record: Mapped[str | None] = mapped_column(Text)  # 口头申请记录 (law art. 12)
    source: Mapped[str] = mapped_column(String(20))  # LookupItem code, category case_source
    status: Mapped[str] = mapped_column(String(20), default="registered")
    workers: Mapped[int] = mapped_column(Integer, default=1)
    common_claim: Mapped[bool] = mapped_column(Boolean, default=False)
    is_collective: Mapped[bool] = mapped_column(Boolean, default=False)  # workers >= 10 with a common claim
    dispute_type_main: Mapped[str] = mapped_column(String(20))  # LookupItem code, category dispute_type
    dispute_types: Mapped[list[str] | None] = mapped_column(JSON)  # further types involved (涉及事项)
    claims_summary: Mapped[str | None] = mapped_column(Text)
    claim_amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    facts: Mapped[str | None] = mapped_column(Text)
    other_party_consent: Mapped[str | None] = mapped_column(String(10))  # agreed / refused / unreachable
    other_party_consent_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    rejected_on: Mapped[date | None] = mapped_column(Date)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    reject_notice_on: Mapped[date | None] = mapped_column(Date)
    mediation_due_on: Mapped[date | None] = mapped_column(Date, index=True)  # computed by the case service
    extended_to: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extension_agreed_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_type: Mapped[str | None] = mapped_column(String(20), index=True)
    close_reason: Mapped[str | None] = mapped_column(Text)
    agreed_amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    perf_status: Mapped[str | None] = mapped_column(String(12))  # pending / full / partial / none
    to_arbitration: Mapped[bool] = mapped_column(Boolean, default=False)
    arbitration_case_no: Mapped[str | None] = mapped_column(String(60))
    archive_no: Mapped[str | None] = mapped_column(String(60))
    archived_on: Mapped[date | None] = mapped_column(Date)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    remark: Mapped[str | None] = mapped_column(Text)
    # Denormalised text for the list's search box: case number, party names, ID numbers, enterprise names.
    search_text: Mapped[str | None] = mapped_column(Text)
    # Pinyin sort keys of the first applicant / respondent (db/sortkeys.py), kept with search_text.
    applicant_key: Mapped[str | None] = mapped_column(String(200))
    respondent_key: Mapped[str | None] = mapped_column(String(200))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)

    organization: Mapped[Organization] = relationship()
    parties: Mapped[list[CaseParty]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseParty.sort_order"
    )
    claims: Mapped[list[CaseClaim]] = relationship(back_populates="case", cascade="all, delete-orphan")
    mediators: Mapped[list[CaseMediator]] = relationship(back_populates="case", cascade="all, delete-orphan")
    sessions: Mapped[list[MediationSession]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="MediationSession.started_at"
    )
    agreement: Mapped[Agreement | None] = relationship(back_populates="case", cascade="all, delete-orphan")
    performances: Mapped[list[PerformanceRecord]] = relationship(back_populates="case", cascade="all, delete-orphan")
    return_visits: Mapped[list[ReturnVisit]] = relationship(back_populates="case", cascade="all, delete-orphan")


class CaseParty(KeyMixin, Base):
    """当事人: a person (worker) or an employer (linked to the enterprise directory when known)."""

    __tablename__ = "case_parties"
    __table_args__ = (
        Index("ix_case_parties_case_role", "case_id", "role"),
        Index("ix_case_parties_name", "name"),
        Index("ix_case_parties_id_number", "id_number"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(12))  # applicant / respondent / third_party
    party_kind: Mapped[str] = mapped_column(String(10))  # person / employer
    name: Mapped[str] = mapped_column(String(200))
    gender: Mapped[str | None] = mapped_column(String(2))
    id_type: Mapped[str | None] = mapped_column(String(20))  # 居民身份证 / 港澳台居民居住证 / 护照 …
    id_number: Mapped[str | None] = mapped_column(String(30))
    birth_date: Mapped[date | None] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(300))
    job: Mapped[str | None] = mapped_column(String(100))
    hired_on: Mapped[date | None] = mapped_column(Date)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id", ondelete="SET NULL"), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18))
    legal_rep: Mapped[str | None] = mapped_column(String(50))
    legal_rep_post: Mapped[str | None] = mapped_column(String(50))
    is_representative: Mapped[bool] = mapped_column(Boolean, default=False)  # collective case 代表 (3–5)
    agent_name: Mapped[str | None] = mapped_column(String(50))
    agent_relation: Mapped[str | None] = mapped_column(String(100))
    agent_phone: Mapped[str | None] = mapped_column(String(30))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    case: Mapped[Case] = relationship(back_populates="parties")
    enterprise: Mapped[Enterprise | None] = relationship()


class CaseClaim(KeyMixin, Base):
    """调解请求: one claim with its type and amount."""

    __tablename__ = "case_claims"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    claim_type: Mapped[str] = mapped_column(String(20))  # dispute_type code
    description: Mapped[str] = mapped_column(Text)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    case: Mapped[Case] = relationship(back_populates="claims")


class CaseMediator(KeyMixin, Base):
    __tablename__ = "case_mediators"
    __table_args__ = (UniqueConstraint("case_id", "mediator_id", name="uq_case_mediators_case_mediator"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediators.id", ondelete="RESTRICT"), index=True)
    lead: Mapped[bool] = mapped_column(Boolean, default=False)  # 主办 / 协办

    case: Mapped[Case] = relationship(back_populates="mediators")
    mediator: Mapped[Mediator] = relationship()


class MediationSession(KeyMixin, Base):
    """调解记录: one session (on site, back to back, phone, video)."""

    __tablename__ = "mediation_sessions"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    place: Mapped[str | None] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(12), default="onsite")  # onsite / separate / phone / video
    participants: Mapped[str | None] = mapped_column(Text)
    recorder: Mapped[str | None] = mapped_column(String(50))
    record: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(String(12))  # agreed / not_agreed / continue
    next_step: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="sessions")


class Agreement(KeyMixin, Base):
    """调解协议书 terms, and its arbitration review / judicial confirmation."""

    __tablename__ = "agreements"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    signed_on: Mapped[date] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    perf_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    perf_mode: Mapped[str | None] = mapped_column(String(10))  # 一次性 / 分期
    payment_method: Mapped[str | None] = mapped_column(String(20))  # 银行转账 / 现金
    payee_account: Mapped[str | None] = mapped_column(String(100))
    terms: Mapped[str | None] = mapped_column(Text)
    review_kind: Mapped[str | None] = mapped_column(String(12))  # arbitration / judicial
    review_applied_on: Mapped[date | None] = mapped_column(Date)
    review_decided_on: Mapped[date | None] = mapped_column(Date)
    review_result: Mapped[str | None] = mapped_column(String(100))

    case: Mapped[Case] = relationship(back_populates="agreement")


class PerformanceRecord(KeyMixin, Base):
    """履行情况, recorded as it becomes known (full / partial with amount / none)."""

    __tablename__ = "performance_records"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    recorded_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # full / partial / none
    amount_paid_fen: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="performances")


class ReturnVisit(KeyMixin, Base):
    """回访记录 (forms.md §6.8)."""

    __tablename__ = "return_visits"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    way: Mapped[str | None] = mapped_column(String(10))  # 电话/上门/线上
    target: Mapped[str | None] = mapped_column(String(100))
    visitor: Mapped[str | None] = mapped_column(String(50))
    perf_status: Mapped[str | None] = mapped_column(String(10))
    satisfaction: Mapped[str | None] = mapped_column(String(10))  # 满意/基本满意/不满意
    feedback: Mapped[str | None] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(String(50))

    case: Mapped[Case] = relationship(back_populates="return_visits")


class CaseNumberCounter(KeyMixin, Base):
    """Last sequence number used per organization and year; numbers are never reused."""

    __tablename__ = "case_number_counters"
    __table_args__ = (UniqueConstraint("organization_id", "year", name="uq_case_number_counters_org_year"),)

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)

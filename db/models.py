"""The whole data model (domain.md §2, forms.md §1–§7).

Conventions:
- ``id`` integer key + ``uuid`` on every row (``KeyMixin``).
- Money in integer 分 (``*_fen``); durations in minutes; dates as ``date``.
- Coded values (organization kind, dispute type, case source, service item …) are stored as the code
  of a ``LookupItem`` (editable lists, domain.md §5); the label is looked up for display and export.
- Enumerations that drive rules (case status, closing type …) are short English tokens, listed in
  ``db.enums`` with their Chinese labels.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, KeyMixin, TimestampMixin

# ---------------------------------------------------------------------------------------------
# Editable lists and settings


class LookupItem(KeyMixin, Base):
    """One entry of an editable list (组织类型, 争议类型, 案件来源, 服务项目, 调解员背景 …)."""

    __tablename__ = "lookup_items"
    __table_args__ = (UniqueConstraint("category", "code", name="uq_lookup_items_category_code"),)

    category: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # e.g. mapping to statistics rows


class AppSetting(KeyMixin, Base):
    """Rules that travel with the data (deadline start event, subsidy rate, age limit …)."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(80), unique=True)
    value: Mapped[Any] = mapped_column(JSON)


# ---------------------------------------------------------------------------------------------
# Organizations, mediators, enterprises


class Organization(KeyMixin, TimestampMixin, Base):
    """调解组织 / 协调劳动关系社会组织."""

    __tablename__ = "organizations"

    name: Mapped[str] = mapped_column(String(200), index=True)
    short_name: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20), index=True)  # LookupItem code, category org_kind
    region_code: Mapped[str | None] = mapped_column(String(6), index=True)
    street_code: Mapped[str | None] = mapped_column(String(12))
    address: Mapped[str | None] = mapped_column(String(300))
    established_on: Mapped[date | None] = mapped_column(Date)
    parent_unit: Mapped[str | None] = mapped_column(String(200))
    parent_credit_code: Mapped[str | None] = mapped_column(String(18))
    head_name: Mapped[str | None] = mapped_column(String(50))
    head_post: Mapped[str | None] = mapped_column(String(50))
    head_phone: Mapped[str | None] = mapped_column(String(30))
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(100))
    area_m2: Mapped[int | None] = mapped_column(Integer)
    rooms: Mapped[int | None] = mapped_column(Integer)
    budget_fen: Mapped[int | None] = mapped_column(BigInteger)
    budget_source: Mapped[str | None] = mapped_column(String(200))
    # {"reception": true, "mediation_room": true, "computer": true, "printer": true, "copier": false}
    facilities: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # {"emblem": true, "six_norms_five_walls": true}
    signage: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # the nine systems and two mechanisms of domain.md §6: {"notice_guidance": true, ...}
    systems: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    online_platform: Mapped[bool] = mapped_column(Boolean, default=False)
    complaints_channel: Mapped[bool] = mapped_column(Boolean, default=False)
    case_no_pattern: Mapped[str | None] = mapped_column(String(80))  # e.g. "({year}){prefix}调字第{seq:04d}号"
    case_no_prefix: Mapped[str | None] = mapped_column(String(20))
    honours: Mapped[str | None] = mapped_column(Text)
    highlights: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    mediators: Mapped[list[Mediator]] = relationship(back_populates="organization")
    titles: Mapped[list[OrganizationTitle]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
    )


class OrganizationTitle(KeyMixin, Base):
    """金牌 titles held by an organization (level 国家/省/市, year, batch)."""

    __tablename__ = "organization_titles"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100), default="金牌劳动人事争议调解组织")
    level: Mapped[str] = mapped_column(String(10))  # 国家 / 省 / 市 / 区
    year: Mapped[int] = mapped_column(Integer)
    batch: Mapped[str | None] = mapped_column(String(30))

    organization: Mapped[Organization] = relationship(back_populates="titles")


class GoldAssessment(KeyMixin, TimestampMixin, Base):
    """Self-assessment against the gold-medal criteria for one organization and year (domain.md §6)."""

    __tablename__ = "gold_assessments"
    __table_args__ = (UniqueConstraint("organization_id", "year", name="uq_gold_assessments_org_year"),)

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    # {criterion_key: {"met": bool|None, "note": str, "score": number|None}} for hand-ticked items
    items: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    work_report: Mapped[str | None] = mapped_column(Text)  # narrative sections of the 工作报告
    notes: Mapped[str | None] = mapped_column(Text)


class Mediator(KeyMixin, TimestampMixin, Base):
    """调解员 (名册)."""

    __tablename__ = "mediators"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[str | None] = mapped_column(String(2))
    id_number: Mapped[str | None] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(30))
    full_time: Mapped[bool] = mapped_column(Boolean, default=False)
    background: Mapped[str | None] = mapped_column(String(20))  # LookupItem code, category mediator_background
    post: Mapped[str | None] = mapped_column(String(60))
    certified: Mapped[bool] = mapped_column(Boolean, default=False)  # 持证上岗
    certificate_level: Mapped[str | None] = mapped_column(String(30))
    certificate_no: Mapped[str | None] = mapped_column(String(60))
    legal_qualification: Mapped[bool] = mapped_column(Boolean, default=False)  # 法律职业资格
    appointed_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    expert_pool: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)

    organization: Mapped[Organization] = relationship(back_populates="mediators")
    trainings: Mapped[list[MediatorTraining]] = relationship(
        back_populates="mediator", cascade="all, delete-orphan"
    )


class MediatorTraining(KeyMixin, Base):
    __tablename__ = "mediator_trainings"

    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediators.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int | None] = mapped_column(Integer)
    organizer: Mapped[str | None] = mapped_column(String(200))

    mediator: Mapped[Mediator] = relationship(back_populates="trainings")


class Enterprise(KeyMixin, TimestampMixin, Base):
    """用人单位 / 企业 — the directory shared by cases and volunteers."""

    __tablename__ = "enterprises"

    name: Mapped[str] = mapped_column(String(200), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    employer_type: Mapped[str | None] = mapped_column(String(20))  # 企业/个体工商户/事业单位 …
    legal_rep: Mapped[str | None] = mapped_column(String(50))
    industry: Mapped[str | None] = mapped_column(String(20))  # LookupItem code, category industry
    size: Mapped[str | None] = mapped_column(String(4))  # 大/中/小/微
    ownership: Mapped[str | None] = mapped_column(String(20))  # 国有/民营/外资(港澳台)/个体/社会组织/其他
    employees: Mapped[int | None] = mapped_column(Integer)
    new_form_workers: Mapped[int | None] = mapped_column(Integer)
    is_platform: Mapped[bool] = mapped_column(Boolean, default=False)
    is_struggling: Mapped[bool] = mapped_column(Boolean, default=False)
    above_scale: Mapped[bool] = mapped_column(Boolean, default=False)
    has_union: Mapped[bool] = mapped_column(Boolean, default=False)
    has_mediation_committee: Mapped[bool] = mapped_column(Boolean, default=False)
    address: Mapped[str | None] = mapped_column(String(300))
    region_code: Mapped[str | None] = mapped_column(String(6), index=True)
    street_code: Mapped[str | None] = mapped_column(String(12))
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_post: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    notes: Mapped[str | None] = mapped_column(Text)


# ---------------------------------------------------------------------------------------------
# Young-arbitrator volunteers


class Volunteer(KeyMixin, TimestampMixin, Base):
    """青年仲裁员志愿者 (forms.md §1)."""

    __tablename__ = "volunteers"

    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[str | None] = mapped_column(String(2))
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    political_status: Mapped[str | None] = mapped_column(String(20))
    education: Mapped[str | None] = mapped_column(String(20))
    degree: Mapped[str | None] = mapped_column(String(20))
    school_major: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(200), index=True)
    post: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(20))  # 专职仲裁员/兼职仲裁员/劳动保障监察员 …
    arbitrator_since: Mapped[date | None] = mapped_column(Date)
    arbitrator_cert_no: Mapped[str | None] = mapped_column(String(60))
    years_in_service: Mapped[int | None] = mapped_column(Integer)
    cases_handled: Mapped[int | None] = mapped_column(Integer)
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(100))
    expertise: Mapped[list[str] | None] = mapped_column(JSON)
    intention: Mapped[str | None] = mapped_column(Text)
    zyh_registered: Mapped[bool] = mapped_column(Boolean, default=False)  # 志愿汇
    zyh_id: Mapped[str | None] = mapped_column(String(60))
    recommended_by: Mapped[str | None] = mapped_column(String(200))
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)  # active / left
    resume: Mapped[str | None] = mapped_column(Text)
    achievements: Mapped[str | None] = mapped_column(Text)
    remark: Mapped[str | None] = mapped_column(Text)
    # 照片 (附件1, 2寸): a JPEG the service made from the file the user chose (at most 413×579 px, 300 dpi);
    # deferred, so lists of volunteers never read it.
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    contacts: Mapped[list[VolunteerContact]] = relationship(back_populates="volunteer", cascade="all, delete-orphan")


class VolunteerContact(KeyMixin, TimestampMixin, Base):
    """联系企业: a volunteer's link to an enterprise, with from/to dates."""

    __tablename__ = "volunteer_contacts"
    __table_args__ = (Index("ix_volunteer_contacts_enterprise_dates", "enterprise_id", "from_date", "to_date"),)

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="RESTRICT"))
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))  # 经营状况 / 用工特点 / 服务需求
    service_mode: Mapped[str | None] = mapped_column(String(100))
    service_content: Mapped[str | None] = mapped_column(String(300))
    remark: Mapped[str | None] = mapped_column(String(200))

    volunteer: Mapped[Volunteer] = relationship(back_populates="contacts")
    enterprise: Mapped[Enterprise] = relationship()


class ServiceRecord(KeyMixin, TimestampMixin, Base):
    """志愿服务记录: one service given by one or more volunteers to one or more enterprises."""

    __tablename__ = "service_records"

    served_on: Mapped[date] = mapped_column(Date, index=True)
    item: Mapped[str] = mapped_column(String(20))  # LookupItem code, category service_item
    content: Mapped[str | None] = mapped_column(Text)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    people_reached: Mapped[int | None] = mapped_column(Integer)
    problems: Mapped[str | None] = mapped_column(Text)
    advice: Mapped[str | None] = mapped_column(Text)
    # figures of the quarterly statistics table (forms.md §3)
    consultations: Mapped[int | None] = mapped_column(Integer)
    materials: Mapped[int | None] = mapped_column(Integer)
    risks_found: Mapped[int | None] = mapped_column(Integer)
    suggestions: Mapped[int | None] = mapped_column(Integer)
    committees_established: Mapped[int | None] = mapped_column(Integer)
    disputes_resolved: Mapped[int | None] = mapped_column(Integer)
    dispute_workers: Mapped[int | None] = mapped_column(Integer)
    dispute_amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    publicity: Mapped[int | None] = mapped_column(Integer)
    uploaded_zyh: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_on: Mapped[date | None] = mapped_column(Date)

    volunteers: Mapped[list[ServiceRecordVolunteer]] = relationship(cascade="all, delete-orphan")
    enterprises: Mapped[list[ServiceRecordEnterprise]] = relationship(cascade="all, delete-orphan")


class ServiceRecordVolunteer(KeyMixin, Base):
    __tablename__ = "service_record_volunteers"
    __table_args__ = (UniqueConstraint("service_record_id", "volunteer_id", name="uq_srv_record_volunteer"),)

    service_record_id: Mapped[int] = mapped_column(ForeignKey("service_records.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="RESTRICT"), index=True)


class ServiceRecordEnterprise(KeyMixin, Base):
    __tablename__ = "service_record_enterprises"
    __table_args__ = (UniqueConstraint("service_record_id", "enterprise_id", name="uq_srv_record_enterprise"),)

    service_record_id: Mapped[int] = mapped_column(ForeignKey("service_records.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True)


class SatisfactionSurvey(KeyMixin, TimestampMixin, Base):
    """满意度调查: score 4 非常满意, 3 满意, 2 基本满意, 1 不满意."""

    __tablename__ = "satisfaction_surveys"

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="SET NULL"), index=True)
    surveyed_on: Mapped[date] = mapped_column(Date, index=True)
    score: Mapped[int] = mapped_column(Integer)
    opinions: Mapped[str | None] = mapped_column(Text)


# ---------------------------------------------------------------------------------------------
# Cases


class Case(KeyMixin, TimestampMixin, Base):
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


# ---------------------------------------------------------------------------------------------
# Users and audit


class User(KeyMixin, TimestampMixin, Base):
    __tablename__ = "users"

    login: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20), default="clerk")  # admin / clerk / viewer
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AuditEntry(KeyMixin, Base):
    """操作日志: who did what to which record, with the values before and after."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity", "entity", "entity_uuid"),)

    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp(), index=True)
    user_login: Mapped[str | None] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_uuid: Mapped[str | None] = mapped_column(String(36))
    summary: Mapped[str | None] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ReportText(KeyMixin, TimestampMixin, Base):
    """Narrative text a clerk writes for a report and that is kept per period (附件3 sections, 工作报告 …).

    ``kind`` names the report ('quarterly-summary', 'work-report' …), ``scope`` whose report it is
    (an organization's uuid, or a unit name), ``period`` the period ('2026Q1', '2026'), ``section``
    the section key; one row per section.
    """

    __tablename__ = "report_texts"
    __table_args__ = (
        UniqueConstraint("kind", "scope", "period", "section", name="uq_report_texts_key"),
    )

    kind: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(200), default="")
    period: Mapped[str] = mapped_column(String(20))
    section: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")


# ---------------------------------------------------------------------------------------------
# Files sent upward (domain.md §7)


class Submission(KeyMixin, Base):
    """报送记录: one file a township (street) sent upward and the district imported, or its 零上报.

    ``kind`` is what the file stands for ('case-ledger', 'enterprise-roster', 'mediator-roster'); a nil
    report (``nil``) stands for that kind with nothing to report in ``period`` ('2026Q1', '2026', '2026-03').
    The sender is kept by uuid and name as written in the file's manifest; ``organization_id`` links it to
    the district's own organization row when there is one. A re-sent file adds a row (the history); the
    board shows the latest per sender, kind and period.
    """

    __tablename__ = "submissions"
    __table_args__ = (Index("ix_submissions_sender_kind_period", "organization_uuid", "kind", "period"),)

    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    organization_uuid: Mapped[str | None] = mapped_column(String(36))
    organization_name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(20), default="")
    nil: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    file_name: Mapped[str] = mapped_column(String(260))
    checksum: Mapped[str | None] = mapped_column(String(64))
    checksum_ok: Mapped[bool | None] = mapped_column(Boolean)  # None: the file carried no checksum
    generated_at: Mapped[str | None] = mapped_column(String(40))  # when the sender exported it (as written)
    app_version: Mapped[str | None] = mapped_column(String(20))
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)

"""Organizations, their titles and gold assessments, mediators and their trainings, enterprises."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, KeyMixin, TimestampMixin
from db.versioning import VersionMixin

# ---------------------------------------------------------------------------------------------
# Organizations, mediators, enterprises


class Organization(KeyMixin, TimestampMixin, VersionMixin, Base):
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


class Mediator(KeyMixin, TimestampMixin, VersionMixin, Base):
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


class Enterprise(KeyMixin, TimestampMixin, VersionMixin, Base):
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

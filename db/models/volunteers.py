"""Young-arbitrator volunteers: volunteers, enterprise contacts, service records, satisfaction surveys."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, KeyMixin, TimestampMixin
from db.versioning import VersionMixin

if TYPE_CHECKING:
    from db.models.organizations import Enterprise

# ---------------------------------------------------------------------------------------------
# Young-arbitrator volunteers


class Volunteer(KeyMixin, TimestampMixin, VersionMixin, Base):
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


class ServiceRecord(KeyMixin, TimestampMixin, VersionMixin, Base):
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

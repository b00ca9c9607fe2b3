"""The other ledgers the source documents ask for (issue 17): key tasks (seed 001), labour-relations
coordinators (seed 002 「劳动关系协调员数据信息台账」) and social organizations that coordinate labour relations
(seed 002 「协调劳动关系社会组织台账」). The 志愿汇 upload list needs no table (``ServiceRecord.uploaded_zyh``).

Fixed choices are short tokens or Chinese labels listed in :mod:`app.services.ledgers.common`; years are
plain integers, money integer 分, training durations minutes.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, KeyMixin, TimestampMixin

# ---------------------------------------------------------------------------------------------
# 重点任务清单 (seed 001, forms.md §8)


class KeyTask(KeyMixin, TimestampMixin, Base):
    """A task of a 重点任务清单: 完成时限 kept as text plus an optional date (forms.md §8)."""

    __tablename__ = "key_tasks"

    number: Mapped[str] = mapped_column(String(20), index=True)  # 序号, as the list writes it
    category: Mapped[str | None] = mapped_column(String(100))  # 重点任务 (一级)
    content: Mapped[str] = mapped_column(Text)  # 具体措施
    goal: Mapped[str | None] = mapped_column(Text)  # 工作目标
    lead_unit: Mapped[str | None] = mapped_column(String(200))
    partner_units: Mapped[str | None] = mapped_column(String(500))
    deadline_text: Mapped[str | None] = mapped_column(String(60))  # 「2023年12月底前」「长期坚持」
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    done_mark: Mapped[str | None] = mapped_column(Text)  # 完成标志
    source: Mapped[str | None] = mapped_column(String(200))  # 文件，如 淄人社字〔2023〕33号
    remark: Mapped[str | None] = mapped_column(Text)

    progress: Mapped[list[KeyTaskProgress]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="KeyTaskProgress.reported_on"
    )


class KeyTaskProgress(KeyMixin, TimestampMixin, Base):
    """A progress entry: date, what was done, evidence file names (one a line), % or stage; ``final`` = 已完成."""

    __tablename__ = "key_task_progress"

    task_id: Mapped[int] = mapped_column(ForeignKey("key_tasks.id", ondelete="CASCADE"), index=True)
    reported_on: Mapped[date] = mapped_column(Date, index=True)
    done: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    percent: Mapped[int | None] = mapped_column(Integer)
    stage: Mapped[str | None] = mapped_column(String(20))  # 未启动 / 推进中 / 已完成
    final: Mapped[bool] = mapped_column(Boolean, default=False)

    task: Mapped[KeyTask] = relationship(back_populates="progress")


# ---------------------------------------------------------------------------------------------
# 劳动关系协调员台账 (seed 002)


class Coordinator(KeyMixin, TimestampMixin, Base):
    """劳动关系协调员: in the pool from ``joined_on`` to ``left_on`` (both inclusive, either open)."""

    __tablename__ = "labour_coordinators"

    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[str | None] = mapped_column(String(2))
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    unit: Mapped[str | None] = mapped_column(String(200))
    unit_type: Mapped[str | None] = mapped_column(String(20))
    post: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30))
    cert_level: Mapped[str | None] = mapped_column(String(4))  # 一级…五级; None = 未取得
    cert_no: Mapped[str | None] = mapped_column(String(60))
    cert_date: Mapped[date | None] = mapped_column(Date)
    cert_issuer: Mapped[str | None] = mapped_column(String(200))
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    remark: Mapped[str | None] = mapped_column(Text)

    trainings: Mapped[list[CoordinatorTraining]] = relationship(cascade="all, delete-orphan")
    golds: Mapped[list[CoordinatorGold]] = relationship(cascade="all, delete-orphan")


class CoordinatorTraining(KeyMixin, Base):
    __tablename__ = "coordinator_trainings"

    coordinator_id: Mapped[int] = mapped_column(ForeignKey("labour_coordinators.id", ondelete="CASCADE"), index=True)
    trained_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    organizer: Mapped[str | None] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer, default=0)


class CoordinatorGold(KeyMixin, Base):
    """金牌劳动关系协调员 recommendation, one per person and year; ``selected`` when chosen."""

    __tablename__ = "coordinator_golds"
    __table_args__ = (UniqueConstraint("coordinator_id", "year", name="uq_coordinator_golds_person_year"),)

    coordinator_id: Mapped[int] = mapped_column(ForeignKey("labour_coordinators.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    recommended_by: Mapped[str | None] = mapped_column(String(200))
    selected: Mapped[bool] = mapped_column(Boolean, default=False)


# ---------------------------------------------------------------------------------------------
# 协调劳动关系社会组织台账 (seed 002)


class SocialOrg(KeyMixin, TimestampMixin, Base):
    """协调劳动关系社会组织; ``services`` lists tokens of app.services.ledgers.common.SOCIAL_SERVICES."""

    __tablename__ = "labour_social_orgs"

    name: Mapped[str] = mapped_column(String(200), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    kind: Mapped[str | None] = mapped_column(String(30))  # 社会团体 / 社会服务机构 / 基金会 / 其他
    size: Mapped[str | None] = mapped_column(String(4))  # 大 / 中 / 小 / 微
    industry: Mapped[str | None] = mapped_column(String(60))
    staff: Mapped[int | None] = mapped_column(Integer)
    services: Mapped[list[str] | None] = mapped_column(JSON)
    contact: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(300))
    established: Mapped[date | None] = mapped_column(Date)
    remark: Mapped[str | None] = mapped_column(Text)

    surveys: Mapped[list[SocialOrgSurvey]] = relationship(cascade="all, delete-orphan")
    projects: Mapped[list[SocialOrgProject]] = relationship(cascade="all, delete-orphan")


class SocialOrgSurvey(KeyMixin, Base):
    """满意度调查 of a social organization: score 4 非常满意, 3 满意, 2 基本满意, 1 不满意."""

    __tablename__ = "social_org_surveys"

    org_id: Mapped[int] = mapped_column(ForeignKey("labour_social_orgs.id", ondelete="CASCADE"), index=True)
    surveyed_on: Mapped[date] = mapped_column(Date)
    respondent: Mapped[str | None] = mapped_column(String(200))
    score: Mapped[int] = mapped_column(Integer)
    opinions: Mapped[str | None] = mapped_column(Text)


class SocialOrgProject(KeyMixin, Base):
    """政府购买服务项目 carried out by a social organization."""

    __tablename__ = "social_org_projects"

    org_id: Mapped[int] = mapped_column(ForeignKey("labour_social_orgs.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    buyer: Mapped[str | None] = mapped_column(String(200))
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    service: Mapped[str | None] = mapped_column(String(20))
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(String(200))  # 验收情况

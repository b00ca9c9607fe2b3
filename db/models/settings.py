"""Editable lists, settings, users, the audit log, report texts and the files sent upward.

``LookupItem`` (domain.md §5 editable lists), ``AppSetting`` (rules that travel with the data), ``User``,
``AuditEntry`` (操作日志), ``ReportText`` (narrative report sections) and ``Submission`` (报送记录, domain.md §7).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

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
# Users and audit


class User(KeyMixin, TimestampMixin, Base):
    __tablename__ = "users"

    login: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20), default="clerk")  # admin / clerk / reviewer / viewer
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    password_hash: Mapped[str | None] = mapped_column(String(200))  # scrypt$n$r$p$salt$hash (app.services.auth)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # wrong passwords in a row
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)  # locked after 5 failures (migration 0009)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)


class AuditEntry(KeyMixin, Base):
    """操作日志: who did what to which record, with the values before and after."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity", "entity", "entity_uuid"),)

    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp(), index=True)
    user_login: Mapped[str | None] = mapped_column(String(50))
    user_id: Mapped[int | None] = mapped_column(Integer)  # the logged-in user (no FK: rows are never updated)
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

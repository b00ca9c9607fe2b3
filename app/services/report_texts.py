"""Narrative text kept per scope and period (``ReportText``): the 工作报告 sections of an organization, the
典型案例 sections of a case. A low module (db only)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import ReportText


def load_report_texts(session: Session, kind: str, scope: str, period: str) -> dict[str, str]:
    rows = session.execute(
        select(ReportText.section, ReportText.text).where(
            ReportText.kind == kind, ReportText.scope == scope, ReportText.period == period
        )
    )
    return {section: text or "" for section, text in rows}


def save_report_texts(
    session_factory: sessionmaker[Session], kind: str, scope: str, period: str, texts: Mapping[str, str]
) -> None:
    """Insert or update one row per section, in one transaction."""
    with session_factory.begin() as s:
        existing = {
            r.section: r
            for r in s.scalars(
                select(ReportText).where(ReportText.kind == kind, ReportText.scope == scope, ReportText.period == period)
            )
        }
        for section, text in texts.items():
            value = (text or "").rstrip()
            row = existing.get(section)
            if row is None:
                s.add(ReportText(kind=kind, scope=scope, period=period, section=section, text=value))
            elif row.text != value:
                row.text = value


"""Case numbers (案号): an organization's pattern, and taking the next number from the per-year counter."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.services.cases.inputs import CaseActionError
from db.models import Case, CaseNumberCounter, Organization

DEFAULT_CASE_NO_PATTERN = "({year}){prefix}调字第{seq:04d}号"


def format_case_number(pattern: str | None, year: int, prefix: str, seq: int) -> str:
    """Apply an organization's case-number pattern; :class:`CaseActionError` when the pattern is broken."""
    pattern = pattern or DEFAULT_CASE_NO_PATTERN
    try:
        text = pattern.format(year=year, prefix=prefix, seq=seq)
    except (KeyError, IndexError, ValueError) as exc:
        raise CaseActionError(
            f"调解组织的案号格式“{pattern}”无效（{exc}）；可用 {{year}}、{{prefix}}、{{seq:04d}}，请在设置中修改。"
        ) from None
    if "{seq" not in pattern:
        raise CaseActionError(
            f"调解组织的案号格式“{pattern}”中没有序号 {{seq}}，案号会重复，请在设置中修改。"
        )
    return text


def _org_prefix(org: Organization) -> str:
    return org.case_no_prefix or org.short_name or ""


def next_case_number(session: Session, org: Organization, year: int) -> tuple[str, int]:
    """Take the next case number of ``org`` for ``year``: (case number, sequence).

    The counter row is incremented in the caller's transaction (an ``UPDATE`` first, which takes SQLite's
    write lock), so a rolled-back registration gives its number back and a deleted case never does.  A
    number already present (e.g. imported) is skipped.
    """
    prefix = _org_prefix(org)
    bumped = session.execute(
        update(CaseNumberCounter)
        .where(CaseNumberCounter.organization_id == org.id, CaseNumberCounter.year == year)
        .values(last_seq=CaseNumberCounter.last_seq + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount:
        seq = session.scalar(
            select(CaseNumberCounter.last_seq).where(
                CaseNumberCounter.organization_id == org.id, CaseNumberCounter.year == year
            )
        )
    else:
        # First case of the year, or a counter lost: continue after the highest sequence on record.
        highest = session.scalar(
            select(func.max(Case.case_seq)).where(Case.organization_id == org.id, Case.case_year == year)
        )
        seq = (highest or 0) + 1
        session.add(CaseNumberCounter(organization_id=org.id, year=year, last_seq=seq))
        session.flush()
    while True:
        case_no = format_case_number(org.case_no_pattern, year, prefix, seq)
        taken = session.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.organization_id == org.id, Case.case_no == case_no)
        )
        if not taken:
            break
        seq += 1
        session.execute(
            update(CaseNumberCounter)
            .where(CaseNumberCounter.organization_id == org.id, CaseNumberCounter.year == year)
            .values(last_seq=seq)
            .execution_options(synchronize_session=False)
        )
    return case_no, seq

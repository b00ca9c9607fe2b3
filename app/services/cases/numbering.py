"""Case numbers (案号): an organization's pattern, and taking the next number from the per-year counter.

Unique and gap-free per organization and year, also with many clerks registering at once: the counter row
is bumped by one atomic ``UPDATE … RETURNING`` (PostgreSQL: the row lock it takes holds every other
registration of that organization and year until this transaction ends, which then sees the new value; SQLite:
the statement takes the database's single write lock, held to the end of the transaction), and the first
number of a year is an ``INSERT … ON CONFLICT DO UPDATE`` (two first registrations at once: the second waits
and continues at +1 instead of failing on the unique counter). A rolled-back registration gives its number
back with its transaction; a deleted case never does.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.services.cases.inputs import CaseActionError
from db.base import new_uuid
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


def _counter_insert(session: Session):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(CaseNumberCounter.__table__)


def take_sequence(session: Session, org_id: int, year: int) -> int:
    """The next sequence number of ``org_id`` for ``year``, taken atomically in the caller's transaction."""
    counters = CaseNumberCounter.__table__
    mine = (counters.c.organization_id == org_id) & (counters.c.year == year)
    seq = session.execute(
        update(counters).where(mine).values(last_seq=counters.c.last_seq + 1).returning(counters.c.last_seq)
    ).scalar()
    if seq is not None:
        return int(seq)
    # First case of the year, or a counter lost: continue after the highest sequence on record.
    highest = session.scalar(
        select(func.max(Case.case_seq)).where(Case.organization_id == org_id, Case.case_year == year)
    )
    stmt = _counter_insert(session).values(uuid=new_uuid(), organization_id=org_id, year=year,
                                           last_seq=(highest or 0) + 1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[counters.c.organization_id, counters.c.year],
        set_={"last_seq": counters.c.last_seq + 1},
    ).returning(counters.c.last_seq)
    return int(session.execute(stmt).scalar_one())


def next_case_number(session: Session, org: Organization, year: int) -> tuple[str, int]:
    """Take the next case number of ``org`` for ``year``: (case number, sequence).

    The counter row is incremented in the caller's transaction (:func:`take_sequence`), so a rolled-back
    registration gives its number back and a deleted case never does. A number already present (e.g.
    imported) is skipped.
    """
    prefix = _org_prefix(org)
    seq = take_sequence(session, org.id, year)
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

"""Shared pieces of the demo generator: the summary, the row writer, date helpers, the people generator
(names, ID numbers, phones), the in-memory records of what was written and the plan of one case."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.demo.words import (
    _FEMALE_CHARS,
    _MALE_CHARS,
    _MOBILE_PREFIXES,
    _NEUTRAL_FIRST,
    _OTHER_CODES,
    _SURNAME_CUM,
    _TJ_CODES,
    SURNAMES,
)
from app.services.validation import id_check_char
from db.base import Base
from db.enums import CaseStatus, CloseType

ProgressFn = Callable[[int, int, str], None]
BATCH_CASES = 5000


# ---------------------------------------------------------------------------------------------
# Result


@dataclass
class DemoSummary:
    """Rows written per table (and the spread of case states)."""

    organizations: int = 0
    organization_titles: int = 0
    mediators: int = 0
    mediator_trainings: int = 0
    enterprises: int = 0
    volunteers: int = 0
    volunteer_contacts: int = 0
    service_records: int = 0
    service_record_volunteers: int = 0
    service_record_enterprises: int = 0
    satisfaction_surveys: int = 0
    cases: int = 0
    case_parties: int = 0
    case_claims: int = 0
    case_mediators: int = 0
    mediation_sessions: int = 0
    agreements: int = 0
    performance_records: int = 0
    return_visits: int = 0
    case_number_counters: int = 0
    users: int = 0
    audit_entries: int = 0
    # issue 17 (app/demo/ledgers.py)
    key_tasks: int = 0
    key_task_progress: int = 0
    labour_coordinators: int = 0
    coordinator_trainings: int = 0
    coordinator_golds: int = 0
    labour_social_orgs: int = 0
    social_org_surveys: int = 0
    social_org_projects: int = 0
    status_counts: dict[str, int] = field(default_factory=dict)
    close_type_counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Chinese one-line-per-item description, for the command line."""
        labels = [("organizations", "调解组织"), ("mediators", "调解员"), ("mediator_trainings", "调解员培训记录"),
                  ("enterprises", "企业"), ("volunteers", "青年仲裁员志愿者"), ("volunteer_contacts", "联系企业"),
                  ("service_records", "志愿服务记录"), ("satisfaction_surveys", "满意度调查"), ("cases", "调解案件"),
                  ("case_parties", "当事人"), ("mediation_sessions", "调解记录"), ("agreements", "调解协议"),
                  ("performance_records", "履行记录"), ("return_visits", "回访记录"), ("users", "用户")]
        out = [f"{label}：{getattr(self, key)}" for key, label in labels]
        status = "，".join(f"{CaseStatus(k).label}{v}" for k, v in self.status_counts.items())
        close = "，".join(f"{CloseType(k).label}{v}" for k, v in self.close_type_counts.items())
        out.append(f"案件状态：{status}")
        out.append(f"结案方式：{close}")
        return out


# ---------------------------------------------------------------------------------------------
# Row writer: explicit keys, deterministic UUIDs, Core executemany in table dependency order


class _Writer:
    def __init__(self, session: Session, uuid_rng: random.Random):
        self.session = session
        self._bits = uuid_rng.getrandbits
        self.pending: dict[str, list[dict[str, Any]]] = {}
        self.next_id: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        for table in Base.metadata.sorted_tables:
            top = session.execute(select(func.max(table.c.id))).scalar() or 0
            self.next_id[table.name] = top + 1

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._bits(128), version=4))

    def add(self, model: type, row: dict[str, Any]) -> int:
        name = model.__tablename__
        new_id = self.next_id[name]
        self.next_id[name] = new_id + 1
        row["id"] = new_id
        row["uuid"] = str(uuid.UUID(int=self._bits(128), version=4))
        self.pending.setdefault(name, []).append(row)
        return new_id

    def flush(self) -> None:
        for table in Base.metadata.sorted_tables:
            rows = self.pending.pop(table.name, None)
            if not rows:
                continue
            # executemany needs one key set per statement; rows of one builder share theirs
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row in rows:
                groups.setdefault(tuple(row), []).append(row)
            for group in groups.values():
                self.session.execute(insert(table), group)
            self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)


# ---------------------------------------------------------------------------------------------
# Small helpers


def _add_weekdays(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def _on_or_before_weekday(d: date) -> date:
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


def _on_or_after_weekday(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}元" if fen % 100 == 0 else f"{fen / 100:,.2f}元"


def _month_start(d: date, shift: int) -> date:
    """The first day of the month ``shift`` months after (negative: before) the month of ``d``."""
    k = d.year * 12 + d.month - 1 + shift
    return date(k // 12, k % 12 + 1, 1)


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


class _People:
    """Names, ID numbers and phones drawn from one random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def name(self, male: bool) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
        chars = _MALE_CHARS if male else _FEMALE_CHARS
        if rng.random() < 0.3:
            return surname + rng.choice(chars)
        first = rng.choice(_NEUTRAL_FIRST) if rng.random() < 0.25 else rng.choice(chars)
        return surname + first + rng.choice(chars)

    def id_number(self, region: str, birth: date, male: bool) -> str:
        seq = self.rng.randrange(1, 500) * 2 + (1 if male else 0)
        body = f"{region}{birth:%Y%m%d}{seq:03d}"
        return body + id_check_char(body)

    def region(self, tianjin_share: float) -> str:
        rng = self.rng
        return rng.choice(_TJ_CODES) if rng.random() < tianjin_share else rng.choice(_OTHER_CODES)

    def birth(self, earliest: date, latest: date) -> date:
        return earliest + timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def mobile(self) -> str:
        return self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"

    def landline(self) -> str:
        return f"022-{self.rng.choice('2356828')}{self.rng.randrange(10_000_000):07d}"


@dataclass
class _Org:
    id: int
    spec: dict[str, Any]
    established: date
    mediators: list[tuple[int, str, date, date | None]] = field(default_factory=list)  # id, name, from, to
    enterprise_pool: list[int] = field(default_factory=list)  # indexes into the enterprise list
    enterprise_cum: list[float] = field(default_factory=list)
    own: str = "本中心"


@dataclass
class _Ent:
    id: int
    name: str
    credit_code: str
    region: str
    industry: str
    size: str
    legal_rep: str
    legal_rep_post: str
    address: str
    contact_name: str
    contact_phone: str
    struggling: bool
    park: bool
    individual: bool


@dataclass
class _Vol:
    id: int
    name: str
    unit_region: str | None
    joined: date
    left: date | None
    contacts: list[tuple[int, date, date | None]] = field(default_factory=list)  # enterprise index, from, to


class _Plan:
    """The timeline of one case, decided before any row is written (pass 1)."""

    __slots__ = ("org", "received", "forced", "tiebreak", "seq", "status", "due", "accepted", "rejected",
                 "reject_reason", "notice", "ext_agreed", "extended_to", "closed", "close_type", "sessions",
                 "perf_deadline", "perf_status", "perf_on", "visit_on", "review", "to_arbitration", "archived_on",
                 "archive_no")

    def __init__(self, org: int, received: date, forced: str | None, tiebreak: float):
        self.org, self.received, self.forced, self.tiebreak = org, received, forced, tiebreak
        self.seq = 0
        self.status = CaseStatus.REGISTERED
        self.due = self.accepted = self.rejected = self.reject_reason = self.notice = None
        self.ext_agreed = self.extended_to = self.closed = self.close_type = None
        self.sessions: list[date] = []
        self.perf_deadline = self.perf_status = self.perf_on = self.visit_on = self.review = None
        self.to_arbitration = False
        self.archived_on = self.archive_no = None


class _GenState:
    """What every part of the generator shares; set up by :class:`~app.demo.builder._Generator`."""

    session: Session
    seed: int
    n_cases: int
    today: date
    start: date
    progress: ProgressFn | None
    stream: Callable[[str], random.Random]
    w: _Writer
    orgs: list[_Org]
    ents: list[_Ent]
    vols: list[_Vol]
    summary: DemoSummary
    counters: dict[tuple[int, int], int]

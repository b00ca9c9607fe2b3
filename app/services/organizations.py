"""Organization profiles: queries shared by the UI, the exports and the statistics, and the profile's
writes (no Qt).

Full-time and part-time mediator counts are always derived from the roster (domain.md §2), counted in
SQL: a mediator counts on a given day if appointed on or before it (or with no date) and not yet left.
Case counts and the annual success rate are counted in SQL too, grouped by organization and year, so the
lists stay quick with 100,000 cases.

Every write is one transaction (``with session_factory.begin()``): the input is validated first
(:class:`~app.services.validation.ValidationError`, whose ``field`` is the Chinese label of the field the
dialog marks), and only then written; an error anywhere rolls everything back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Integer, and_, case, cast, delete, exists, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import ActionRefused, SaveResult  # noqa: F401 — re-exported
from app.services.app_settings import success_close_types
from app.services.validation import (
    PROVINCE_CODES,
    ValidationError,
    check_credit_code,
    check_phone,
    normalize_text,
    parse_amount_optional,
    parse_date_optional,
    parse_int_optional,
)
from app.services.validation import limited_text as _text
from app.services.validation import long_text as _long_text
from db.enums import SUCCESS_CLOSE_TYPES, CloseType
from db.lookups import ORG_KIND, lookup_labels
from db.models import (
    Agreement,
    Case,
    CaseMediator,
    GoldAssessment,
    Mediator,
    Organization,
    OrganizationTitle,
    ReportText,
)

# ---------------------------------------------------------------------------------------------
# Fixed checklists (keys shared with app.services.demo.SYSTEM_KEYS and the gold-medal criteria)

#: The nine systems and two mechanisms of domain.md §6 (seed 003 「制度机制全」), in the seed's order.
SYSTEM_ITEMS: tuple[tuple[str, str], ...] = (
    ("notice_guidance", "调解告知引导制度"),
    ("registration", "受理登记制度"),
    ("handling", "调解办理制度"),
    ("performance_supervision", "督促履行制度"),
    ("return_visit", "回访反馈制度"),
    ("mediator_management", "调解员聘任和管理制度"),
    ("archives", "档案管理制度"),
    ("statistics", "统计报告制度"),
    ("evaluation", "工作考评制度"),
    ("risk_warning", "重大集体劳动人事争议风险预警机制"),
    ("emergency_response", "应急调处机制"),
)
SYSTEM_KEYS: tuple[str, ...] = tuple(k for k, _ in SYSTEM_ITEMS[:9])
MECHANISM_KEYS: tuple[str, ...] = tuple(k for k, _ in SYSTEM_ITEMS[9:])
SYSTEM_LABELS: dict[str, str] = dict(SYSTEM_ITEMS)

FACILITY_ITEMS: tuple[tuple[str, str], ...] = (
    ("reception", "接待场所"),
    ("mediation_room", "调解室"),
    ("computer", "电脑"),
    ("printer", "打印机"),
    ("copier", "复印机"),
)
FACILITY_LABELS: dict[str, str] = dict(FACILITY_ITEMS)

SIGNAGE_ITEMS: tuple[tuple[str, str], ...] = (
    ("emblem", "悬挂国家统一的调解组织挂徽和标识"),
    ("six_norms_five_walls", "工作制度、程序、调解员名单等上墙公示（六规范五上墙）"),
)
SIGNAGE_LABELS: dict[str, str] = dict(SIGNAGE_ITEMS)

TITLE_LEVELS: tuple[str, ...] = ("国家", "省", "市", "区")
DEFAULT_TITLE = "金牌劳动人事争议调解组织"

SUCCESS_RATE_DEFINITION = (
    "调解成功率 =（达成调解协议 + 达成和解后撤回）÷ 调解结案数；调解结案数含达成调解协议、达成和解后撤回、"
    "撤回、调解不成、终止调解五种结案方式，按结案日期计入年度；不予受理的案件不计入。"
    "（“设置—业务规则”改为和解撤回不计为成功时，分子只含达成调解协议。）"
)


def success_rate_definition(session: Session) -> str:
    """:data:`SUCCESS_RATE_DEFINITION` as the database's 业务规则 has it (for documents and notes)."""
    from app.services.app_settings import get_settlement_counts_as_success

    return SUCCESS_RATE_DEFINITION if get_settlement_counts_as_success(session) else SUCCESS_RATE_DEFINITION_AGREED_ONLY
SUCCESS_RATE_DEFINITION_AGREED_ONLY = (
    "调解成功率 = 达成调解协议 ÷ 调解结案数（按“设置—业务规则”，达成和解后撤回不计为调解成功）；调解结案数含"
    "达成调解协议、达成和解后撤回、撤回、调解不成、终止调解五种结案方式，按结案日期计入年度；不予受理的案件不计入。"
)
SUCCESS_THRESHOLD = 0.65  # Tianjin gold-medal minimum (seed 003)

ENTRUSTED_SOURCES: tuple[str, ...] = ("arbitration", "court")  # case_source codes: 仲裁委托 / 法院委托

#: District names for the regions the documents need by name (forms.md §11.3); others are shown by code.
REGION_NAMES: dict[str, str] = {
    "120000": "天津市",
    "120101": "和平区",
    "120102": "河东区",
    "120103": "河西区",
    "120104": "南开区",
    "120105": "河北区",
    "120106": "红桥区",
    "120110": "东丽区",
    "120111": "西青区",
    "120112": "津南区",
    "120113": "北辰区",
    "120114": "武清区",
    "120115": "宝坻区",
    "120116": "滨海新区",
    "120117": "宁河区",
    "120118": "静海区",
    "120119": "蓟州区",
    "370300": "淄博市",
    "370302": "淄川区",
    "370303": "张店区",
    "370304": "博山区",
    "370305": "临淄区",
    "370306": "周村区",
    "370321": "桓台县",
    "370322": "高青县",
    "370323": "沂源县",
}
_MUNICIPALITIES = {"11": "北京市", "12": "天津市", "31": "上海市", "50": "重庆市"}


def region_name(code: str | None) -> str:
    """和平区 for 120101; '' when the code is unknown."""
    return REGION_NAMES.get(code or "", "")


def city_name(code: str | None) -> str:
    """The prefecture-level city (or municipality) of a region code: 天津市 for 120101; '' if unknown."""
    if not code or len(code) != 6:
        return ""
    if code[:2] in _MUNICIPALITIES:
        return _MUNICIPALITIES[code[:2]]
    return REGION_NAMES.get(code[:4] + "00", "")


# ---------------------------------------------------------------------------------------------
# Mediator counts (derived, never typed)


def _mediator_active(on: date):
    return and_(
        or_(Mediator.appointed_on.is_(None), Mediator.appointed_on <= on),
        or_(Mediator.left_on.is_(None), Mediator.left_on > on),
    )


def mediator_counts_subquery(on: date):
    active = _mediator_active(on)
    return (
        select(
            Mediator.organization_id.label("org_id"),
            func.sum(case((and_(active, Mediator.full_time.is_(True)), 1), else_=0)).label("full_time"),
            func.sum(case((and_(active, Mediator.full_time.is_(False)), 1), else_=0)).label("part_time"),
            func.sum(case((and_(active, Mediator.certified.is_(True)), 1), else_=0)).label("certified"),
            func.sum(case((and_(active, Mediator.legal_qualification.is_(True)), 1), else_=0)).label("legal"),
        )
        .group_by(Mediator.organization_id)
        .subquery()
    )


@dataclass(frozen=True)
class OrganizationBase:
    """What every list of organizations shows of one organization (see :func:`_row_fields`)."""

    id: int
    uuid: str
    name: str
    kind_code: str
    kind_label: str
    region_code: str | None
    address: str | None
    established_on: date | None
    head_name: str | None
    contact_name: str | None
    contact_phone: str | None
    online_platform: bool
    notes: str | None


@dataclass(frozen=True)
class OrganizationRow(OrganizationBase):
    full_time: int
    part_time: int


def _row_fields(org: Organization, kinds: dict[str, str]) -> dict[str, Any]:
    """The fields of :class:`OrganizationBase` (under :class:`OrganizationRow` and :class:`OrganizationListRow`)."""
    return {
        "id": org.id,
        "uuid": org.uuid,
        "name": org.name,
        "kind_code": org.kind,
        "kind_label": kinds.get(org.kind, org.kind),
        "region_code": org.region_code,
        "address": org.address,
        "established_on": org.established_on,
        "head_name": org.head_name,
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone or org.head_phone,
        "online_platform": bool(org.online_platform),
        "notes": org.notes,
    }


def list_organizations(session: Session, *, on: date | None = None, active_only: bool = True) -> list[OrganizationRow]:
    """Every organization with its derived mediator counts as of ``on`` (default today), by kind and name."""
    on = on or date.today()
    counts = mediator_counts_subquery(on)
    stmt = (
        select(Organization, func.coalesce(counts.c.full_time, 0), func.coalesce(counts.c.part_time, 0))
        .outerjoin(counts, counts.c.org_id == Organization.id)
        .order_by(Organization.kind, Organization.name)
    )
    if active_only:
        stmt = stmt.where(Organization.active.is_(True))
    kinds = lookup_labels(session, ORG_KIND)
    rows = []
    for org, full_time, part_time in session.execute(stmt):
        rows.append(
            OrganizationRow(
                **_row_fields(org, kinds),
                full_time=int(full_time),
                part_time=int(part_time),
            )
        )
    return rows


def find_organization(session: Session, key: str | int) -> Organization:
    """An organization by id, exact name or unique part of its name (for ``--org``); ValueError if none."""
    text = str(key).strip()
    if text.isdigit():
        org = session.get(Organization, int(text))
        if org is not None:
            return org
    exact = session.scalars(select(Organization).where(Organization.name == text)).all()
    if len(exact) == 1:
        return exact[0]
    like = session.scalars(select(Organization).where(Organization.name.contains(text)).limit(5)).all()
    if len(like) == 1:
        return like[0]
    if not like:
        raise ValueError(f"找不到调解组织：{text}")
    names = "、".join(o.name for o in like)
    raise ValueError(f"“{text}”对应多个调解组织，请写全称或编号：{names}")


# ---------------------------------------------------------------------------------------------
# Case figures: success rates and yearly counts, in SQL grouped by organization and year


def _year_bounds(years: Iterable[int]) -> tuple[list[int], date, date]:
    ys = sorted({int(y) for y in years})
    if not ys:
        raise ValueError("至少需要一个年度")
    return ys, date(ys[0], 1, 1), date(ys[-1] + 1, 1, 1)


def _year_of(column):
    """The calendar year of a date column, as an integer (SQLite stores dates as ISO text)."""
    return cast(func.strftime("%Y", column), Integer)


@dataclass(frozen=True)
class SuccessRate:
    """调解结案数 and 调解成功数 of one organization (or all, ``org_id`` None) in one year."""

    org_id: int | None
    year: int
    closed: int = 0
    success: int = 0

    @property
    def rate(self) -> float | None:
        """(agreed + settled_withdrawn) ÷ closed; ``None`` when nothing was closed."""
        return self.success / self.closed if self.closed else None


_CLOSE_TYPES = tuple(str(t) for t in CloseType)
# 达成调解协议 and 达成和解后撤回: the cases that ended in an agreement of some kind (amounts, typical cases).
# Whether a settlement counts as a *success* is a 业务规则 (app_settings.success_close_types), read per query.
_SETTLED_TYPES = tuple(str(t) for t in SUCCESS_CLOSE_TYPES)


def success_rates_by_year(
    session: Session, years: Iterable[int], org_id: int | None = None
) -> dict[tuple[int, int], SuccessRate]:
    """``{(org_id, year): SuccessRate}`` for every organization with closed cases in ``years``.

    One query grouped by organization and year of ``closed_on``; deleted cases are left out. The definition
    is :data:`SUCCESS_RATE_DEFINITION` (the case log's).
    """
    ys, lo, hi = _year_bounds(years)
    year_col = _year_of(Case.closed_on)
    # The close-type test sits in the aggregates, not in WHERE: so SQLite walks the closed_on index over
    # the years asked for instead of the close_type index over almost every case (2–3× faster at 100,000).
    stmt = (
        select(
            Case.organization_id,
            year_col.label("y"),
            func.sum(case((Case.close_type.in_(_CLOSE_TYPES), 1), else_=0)),
            func.sum(case((Case.close_type.in_(success_close_types(session)), 1), else_=0)),
        )
        .where(Case.deleted_at.is_(None), Case.closed_on >= lo, Case.closed_on < hi)
        .group_by(Case.organization_id, "y")
    )
    if org_id is not None:
        stmt = stmt.where(Case.organization_id == org_id)
    out: dict[tuple[int, int], SuccessRate] = {}
    for oid, y, closed, success in session.execute(stmt):
        if y in ys and closed:
            out[(oid, y)] = SuccessRate(oid, y, int(closed), int(success or 0))
    return out


def success_rates(session: Session, year: int, org_id: int | None = None) -> dict[int, SuccessRate]:
    """``{org_id: SuccessRate}`` for ``year`` (organizations with no closed case are absent).

    Counted by the statistics service, the one source of the app's figures (app/services/stats.py)."""
    from app.services.stats import Period, success_by_organization

    counts = success_by_organization(session, Period.year(year), org_id)
    return {oid: SuccessRate(oid, year, closed, success) for oid, (closed, success) in counts.items() if closed}


def success_rate(session: Session, org_id: int, year: int) -> SuccessRate:
    """The success rate of one organization in one year (zero counts when nothing was closed)."""
    return success_rates(session, year, org_id).get(org_id, SuccessRate(org_id, year))


@dataclass(frozen=True)
class YearFigures:
    """The figures of forms.md §4 Part A and §5.1 section 3 for one organization and year.

    ``accepted`` (受理案件数), ``workers``, ``claim_fen`` and ``collective`` count cases accepted in the year;
    ``closed``/``success`` cases closed in the year (the success rate's basis); ``entrusted`` cases received
    in the year from arbitration or a court; ``reviewed`` agreements sent for 仲裁审查确认 / 司法确认 in the year.
    """

    year: int
    received: int = 0
    accepted: int = 0
    closed: int = 0
    success: int = 0
    workers: int = 0
    claim_fen: int = 0
    agreed_fen: int = 0
    collective: int = 0
    entrusted: int = 0
    reviewed: int = 0
    reviewed_arbitration: int = 0
    reviewed_judicial: int = 0

    @property
    def rate(self) -> float | None:
        return self.success / self.closed if self.closed else None


def year_figures(session: Session, org_id: int | None, years: Iterable[int]) -> dict[int, YearFigures]:
    """:class:`YearFigures` per year for one organization (``None``: all), four grouped queries."""
    ys, lo, hi = _year_bounds(years)
    data: dict[int, dict[str, int]] = {y: {} for y in ys}

    def scoped(stmt):
        stmt = stmt.where(Case.deleted_at.is_(None))
        return stmt.where(Case.organization_id == org_id) if org_id is not None else stmt

    received = scoped(
        select(
            _year_of(Case.received_on).label("y"),
            func.count(),
            func.sum(case((Case.source.in_(ENTRUSTED_SOURCES), 1), else_=0)),
        )
        .where(Case.received_on >= lo, Case.received_on < hi)
        .group_by("y")
    )
    for y, n, entrusted in session.execute(received):
        if y in data:
            data[y].update(received=int(n), entrusted=int(entrusted or 0))

    accepted = scoped(
        select(
            _year_of(Case.accepted_on).label("y"),
            func.count(),
            func.coalesce(func.sum(Case.workers), 0),
            func.coalesce(func.sum(Case.claim_amount_fen), 0),
            func.sum(case((Case.is_collective.is_(True), 1), else_=0)),
        )
        .where(Case.accepted_on >= lo, Case.accepted_on < hi)
        .group_by("y")
    )
    for y, n, workers, claim, collective in session.execute(accepted):
        if y in data:
            data[y].update(accepted=int(n), workers=int(workers), claim_fen=int(claim), collective=int(collective or 0))

    closed = scoped(
        select(
            _year_of(Case.closed_on).label("y"),
            func.sum(case((Case.close_type.in_(_CLOSE_TYPES), 1), else_=0)),
            func.sum(case((Case.close_type.in_(success_close_types(session)), 1), else_=0)),
            func.coalesce(func.sum(case((Case.close_type.in_(_SETTLED_TYPES), Case.agreed_amount_fen), else_=0)), 0),
        )
        .where(Case.closed_on >= lo, Case.closed_on < hi)
        .group_by("y")
    )
    for y, n, success, agreed in session.execute(closed):
        if y in data:
            data[y].update(closed=int(n or 0), success=int(success or 0), agreed_fen=int(agreed or 0))

    review_day = func.coalesce(Agreement.review_applied_on, Case.closed_on)
    reviewed = scoped(
        select(
            _year_of(review_day).label("y"),
            func.count(),
            func.sum(case((Agreement.review_kind == "arbitration", 1), else_=0)),
            func.sum(case((Agreement.review_kind == "judicial", 1), else_=0)),
        )
        .select_from(Agreement)
        .join(Case, Case.id == Agreement.case_id)
        .where(Agreement.review_kind.is_not(None), review_day >= lo, review_day < hi)
        .group_by("y")
    )
    for y, n, arb, jud in session.execute(reviewed):
        if y in data:
            data[y].update(reviewed=int(n), reviewed_arbitration=int(arb or 0), reviewed_judicial=int(jud or 0))
    return {y: YearFigures(year=y, **values) for y, values in data.items()}


def case_count(session: Session, org_id: int, *, include_deleted: bool = True) -> int:
    stmt = select(func.count()).select_from(Case).where(Case.organization_id == org_id)
    if not include_deleted:
        stmt = stmt.where(Case.deleted_at.is_(None))
    return int(session.scalar(stmt) or 0)


# ---------------------------------------------------------------------------------------------
# The list page: search, filters and per-organization counts in SQL


@dataclass(frozen=True)
class OrganizationListRow(OrganizationBase):
    active: bool
    full_time: int
    part_time: int
    certified: int
    legal: int
    cases_total: int  # every case ever registered (not deleted)
    cases_year: int  # received in ``year``
    closed_year: int
    success_year: int
    titles: str  # 「国家 2024 第二批；市 2023 第三批」
    top_title_level: str | None

    @property
    def success_rate(self) -> float | None:
        return self.success_year / self.closed_year if self.closed_year else None


TITLE_FILTER_ANY = "any"
TITLE_FILTER_NONE = "none"


def search_organizations(
    session: Session,
    *,
    text: str | None = None,
    kind: str | None = None,
    region: str | None = None,
    title_level: str | None = None,
    year: int | None = None,
    on: date | None = None,
    active_only: bool = False,
) -> list[OrganizationListRow]:
    """Organizations matching the filters, each with mediator counts and case counts computed in SQL.

    ``text`` matches name, short name and address; ``kind`` a kind code; ``region`` a region-code prefix
    (``1201`` → every district of 天津市 starting so); ``title_level`` one of :data:`TITLE_LEVELS`,
    ``"any"`` (holds a title) or ``"none"``. ``year`` (default this year) is the year of the case counts.
    """
    on = on or date.today()
    year = year or on.year
    lo, hi = date(year, 1, 1), date(year + 1, 1, 1)
    counts = mediator_counts_subquery(on)
    live = Case.deleted_at.is_(None)
    # Grouping on ``organization_id + 0`` keeps SQLite from walking the (organization_id, received_on) index
    # and looking up every row from it: one plain scan of the table is about twice as fast at 100,000 cases.
    org_key = (Case.organization_id + 0).label("org_id")
    cases_sq = (
        select(
            org_key,
            func.count().label("total"),
            func.sum(case((and_(Case.received_on >= lo, Case.received_on < hi), 1), else_=0)).label("year_n"),
            func.sum(
                case(
                    (and_(Case.close_type.in_(_CLOSE_TYPES), Case.closed_on >= lo, Case.closed_on < hi), 1),
                    else_=0,
                )
            ).label("closed_n"),
            func.sum(
                case(
                    (and_(Case.close_type.in_(success_close_types(session)), Case.closed_on >= lo, Case.closed_on < hi), 1),
                    else_=0,
                )
            ).label("success_n"),
        )
        .where(live)
        .group_by(org_key)
        .subquery()
    )
    stmt = (
        select(
            Organization,
            func.coalesce(counts.c.full_time, 0),
            func.coalesce(counts.c.part_time, 0),
            func.coalesce(counts.c.certified, 0),
            func.coalesce(counts.c.legal, 0),
            func.coalesce(cases_sq.c.total, 0),
            func.coalesce(cases_sq.c.year_n, 0),
            func.coalesce(cases_sq.c.closed_n, 0),
            func.coalesce(cases_sq.c.success_n, 0),
        )
        .outerjoin(counts, counts.c.org_id == Organization.id)
        .outerjoin(cases_sq, cases_sq.c.org_id == Organization.id)
        .order_by(Organization.kind, Organization.name)
    )
    if active_only:
        stmt = stmt.where(Organization.active.is_(True))
    t = normalize_text(text)
    if t:
        pattern = f"%{t}%"
        stmt = stmt.where(
            or_(Organization.name.like(pattern), Organization.short_name.like(pattern), Organization.address.like(pattern))
        )
    if kind:
        stmt = stmt.where(Organization.kind == kind)
    r = normalize_text(region)
    if r:
        stmt = stmt.where(Organization.region_code.like(f"{r}%"))
    has_title = exists().where(OrganizationTitle.organization_id == Organization.id)
    if title_level == TITLE_FILTER_ANY:
        stmt = stmt.where(has_title)
    elif title_level == TITLE_FILTER_NONE:
        stmt = stmt.where(~has_title)
    elif title_level:
        stmt = stmt.where(
            exists().where(OrganizationTitle.organization_id == Organization.id, OrganizationTitle.level == title_level)
        )
    results = session.execute(stmt).all()
    ids = [row[0].id for row in results]
    titles: dict[int, list[OrganizationTitle]] = {}
    if ids:
        for title in session.scalars(
            select(OrganizationTitle)
            .where(OrganizationTitle.organization_id.in_(ids))
            .order_by(OrganizationTitle.year.desc(), OrganizationTitle.id)
        ):
            titles.setdefault(title.organization_id, []).append(title)
    kinds = lookup_labels(session, ORG_KIND)
    out = []
    for org, full, part, cert, legal, total, year_n, closed_n, success_n in results:
        held = titles.get(org.id, [])
        top = min((t.level for t in held), key=_level_rank, default=None)
        out.append(
            OrganizationListRow(
                **_row_fields(org, kinds),
                active=bool(org.active),
                full_time=int(full),
                part_time=int(part),
                certified=int(cert),
                legal=int(legal),
                cases_total=int(total),
                cases_year=int(year_n),
                closed_year=int(closed_n),
                success_year=int(success_n),
                titles="；".join(title_text(t.level, t.year, t.batch) for t in held),
                top_title_level=top,
            )
        )
    return out


def _level_rank(level: str) -> int:
    return TITLE_LEVELS.index(level) if level in TITLE_LEVELS else len(TITLE_LEVELS)


def title_text(level: str, year: int, batch: str | None) -> str:
    """「2024年国家级金牌（第二批）」."""
    text = f"{year}年{level}级金牌"
    return text + (f"（{batch}）" if batch else "")


def region_codes(session: Session) -> list[str]:
    """Region codes in use, for the list's filter."""
    return [
        c
        for c in session.scalars(
            select(Organization.region_code).where(Organization.region_code.is_not(None)).distinct().order_by(
                Organization.region_code
            )
        )
        if c
    ]


# ---------------------------------------------------------------------------------------------
# One organization: read, validate, write, delete


@dataclass(frozen=True)
class TitleView:
    id: int
    title: str
    level: str
    year: int
    batch: str | None


@dataclass(frozen=True)
class OrganizationDetail:
    id: int
    uuid: str
    name: str
    short_name: str | None
    kind: str
    kind_label: str
    region_code: str | None
    street_code: str | None
    address: str | None
    established_on: date | None
    parent_unit: str | None
    parent_credit_code: str | None
    head_name: str | None
    head_post: str | None
    head_phone: str | None
    contact_name: str | None
    contact_phone: str | None
    email: str | None
    area_m2: int | None
    rooms: int | None
    budget_fen: int | None
    budget_source: str | None
    facilities: dict[str, bool]
    signage: dict[str, bool]
    systems: dict[str, bool]
    online_platform: bool
    complaints_channel: bool
    honours: str | None
    highlights: str | None
    notes: str | None
    active: bool
    titles: tuple[TitleView, ...]
    full_time: int
    part_time: int
    certified: int
    legal: int
    cases_total: int
    name_warning: str | None


def get_organization(session: Session, org_id: int, *, on: date | None = None) -> OrganizationDetail:
    """Everything the profile page and the documents show about one organization."""
    org = session.get(Organization, org_id)
    if org is None:
        raise ActionRefused(f"找不到编号为 {org_id} 的调解组织，可能已被删除")
    on = on or date.today()
    counts = session.execute(
        select(
            func.coalesce(func.sum(case((Mediator.full_time.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Mediator.full_time.is_(False), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Mediator.certified.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Mediator.legal_qualification.is_(True), 1), else_=0)), 0),
        ).where(Mediator.organization_id == org_id, _mediator_active(on))
    ).one()
    kinds = lookup_labels(session, ORG_KIND)
    titles = session.scalars(
        select(OrganizationTitle)
        .where(OrganizationTitle.organization_id == org_id)
        .order_by(OrganizationTitle.year.desc(), OrganizationTitle.id)
    ).all()
    return OrganizationDetail(
        id=org.id,
        uuid=org.uuid,
        name=org.name,
        short_name=org.short_name,
        kind=org.kind,
        kind_label=kinds.get(org.kind, org.kind),
        region_code=org.region_code,
        street_code=org.street_code,
        address=org.address,
        established_on=org.established_on,
        parent_unit=org.parent_unit,
        parent_credit_code=org.parent_credit_code,
        head_name=org.head_name,
        head_post=org.head_post,
        head_phone=org.head_phone,
        contact_name=org.contact_name,
        contact_phone=org.contact_phone,
        email=org.email,
        area_m2=org.area_m2,
        rooms=org.rooms,
        budget_fen=org.budget_fen,
        budget_source=org.budget_source,
        facilities={k: bool(v) for k, v in (org.facilities or {}).items()},
        signage={k: bool(v) for k, v in (org.signage or {}).items()},
        systems={k: bool(v) for k, v in (org.systems or {}).items()},
        online_platform=bool(org.online_platform),
        complaints_channel=bool(org.complaints_channel),
        honours=org.honours,
        highlights=org.highlights,
        notes=org.notes,
        active=bool(org.active),
        titles=tuple(TitleView(t.id, t.title, t.level, t.year, t.batch) for t in titles),
        full_time=int(counts[0]),
        part_time=int(counts[1]),
        certified=int(counts[2]),
        legal=int(counts[3]),
        cases_total=case_count(session, org_id, include_deleted=False),
        name_warning=standard_name_warning(org.name, org.kind),
    )


@dataclass
class TitleInput:
    level: str
    year: Any
    batch: str | None = None
    title: str | None = None


@dataclass
class OrganizationInput:
    """What the organization dialog (or an import) hands over; text as typed, checked by the service."""

    name: str
    kind: str
    region_code: str | None = None
    short_name: str | None = None
    street_code: str | None = None
    address: str | None = None
    established_on: Any = None
    parent_unit: str | None = None
    parent_credit_code: str | None = None
    head_name: str | None = None
    head_post: str | None = None
    head_phone: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    email: str | None = None
    area_m2: Any = None
    rooms: Any = None
    budget: Any = None  # 元, as typed («15万» is fine)
    budget_source: str | None = None
    facilities: Mapping[str, bool] = field(default_factory=dict)
    signage: Mapping[str, bool] = field(default_factory=dict)
    systems: Mapping[str, bool] = field(default_factory=dict)
    online_platform: bool = False
    complaints_channel: bool = False
    honours: str | None = None
    highlights: str | None = None
    notes: str | None = None
    active: bool = True
    titles: Sequence[TitleInput] | None = None  # None: leave the titles as they are


# Label → which names are standard for a kind (seed 003 「统一规范名称」, forms.md §10.2 naming convention).
_NAME_RULES: dict[str, tuple[tuple[str, ...], str]] = {
    "11": (("劳动争议调解委员会",), "“××（企业全称）劳动争议调解委员会”"),
    "12": (("劳动人事争议调解委员会", "劳动争议调解委员会", "人事争议调解委员会"), "“××劳动人事争议调解委员会”"),
    "21": (("劳动人事争议调解中心", "调解委员会"), "“××街道（镇）劳动人事争议调解中心”"),
    "31": (("劳动人事争议调解中心", "劳动人事争议调解委员会", "劳动争议调解委员会"), "“××（区域）劳动人事争议调解委员会”"),
    "32": (("劳动人事争议调解中心", "劳动人事争议调解委员会", "劳动争议调解委员会"), "“××（行业）劳动人事争议调解委员会”"),
    "41": (("人民调解委员会", "调解委员会"), "“××人民调解委员会”"),
    "51": (("调解中心", "调解委员会"), "“××劳动人事争议仲裁院调解中心”"),
}
_NAME_GENERIC = ("调解中心", "调解委员会", "调解组织", "调解室", "工作站", "调解联盟")


def standard_name_warning(name: str | None, kind: str | None) -> str | None:
    """A warning (never a block) when ``name`` does not look like the 统一规范名称 of its kind."""
    n = normalize_text(name)
    if not n:
        return None
    rule = _NAME_RULES.get(kind or "")
    if rule is not None:
        endings, example = rule
        if not n.endswith(endings):
            ends = "或".join(f"“{e}”" for e in endings)
            return f"名称可能不规范：这类调解组织的统一规范名称应以{ends}结尾，如{example}（仅提示，可以保存）"
        if kind == "21" and not re.search(r"(街道|镇|乡)", n):
            return "名称可能不规范：乡镇（街道）调解组织的名称中应写明街道或乡镇，如“××街道劳动人事争议调解中心”（仅提示，可以保存）"
        return None
    if not n.endswith(_NAME_GENERIC):
        return "名称可能不规范：调解组织的名称一般以“调解中心”或“调解委员会”结尾（仅提示，可以保存）"
    return None


_REGION_RE = re.compile(r"\d{6}")
_STREET_RE = re.compile(r"\d{9}(\d{3})?")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_region_code(value: Any, label: str = "行政区划代码", *, required: bool = True) -> tuple[str | None, list[str]]:
    """A 6-digit GB/T 2260 code; an unknown province prefix is a warning (codes change every year)."""
    code = re.sub(r"\s+", "", normalize_text(value))
    if not code:
        if required:
            raise ValidationError(label, f"{label}：不能为空，请填写6位数字的行政区划代码，如 120101")
        return None, []
    if not _REGION_RE.fullmatch(code):
        raise ValidationError(label, f"{label}：应为6位数字（如 120101 和平区），现在是“{code}”")
    warnings = []
    if code[:2] not in PROVINCE_CODES:
        warnings.append(f"{label}：前两位“{code[:2]}”不是已知的省级代码，请核对")
    return code, warnings


def _bool_map(values: Mapping[str, Any] | None, keys: Iterable[str]) -> dict[str, bool]:
    values = values or {}
    return {k: bool(values.get(k, False)) for k in keys}


def _clean_titles(titles: Sequence[TitleInput], this_year: int) -> list[dict[str, Any]]:
    out = []
    seen = set()
    for i, t in enumerate(titles, start=1):
        label = f"第{i}项金牌称号"
        level = normalize_text(t.level)
        if level not in TITLE_LEVELS:
            raise ValidationError(f"{label}的级别", f"{label}的级别应为{'、'.join(TITLE_LEVELS)}之一")
        year = parse_int_optional(t.year, f"{label}的年度", minimum=2000, maximum=this_year + 1)
        if year is None:
            raise ValidationError(f"{label}的年度", f"{label}的年度：不能为空")
        batch = _text(t.batch, f"{label}的批次", 30)
        title = _text(t.title, f"{label}的名称", 100) or DEFAULT_TITLE
        key = (level, year, title)
        if key in seen:
            raise ValidationError(f"{label}的年度", f"{label}与前面一项重复（{year}年{level}级）")
        seen.add(key)
        out.append({"level": level, "year": year, "batch": batch, "title": title})
    return out


def validate_organization(
    session: Session, data: OrganizationInput, org_id: int | None = None, *, today: date | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]] | None, list[str]]:
    """Clean values for :class:`Organization`, cleaned titles (or None) and warnings; raises ValidationError."""
    today = today or date.today()
    warnings: list[str] = []
    name = _text(data.name, "组织名称", 200)
    if not name:
        raise ValidationError("组织名称", "组织名称：不能为空")
    kind = normalize_text(data.kind)
    kinds = lookup_labels(session, ORG_KIND)
    if not kind:
        raise ValidationError("组织类型", "组织类型：请选择")
    if kind not in kinds:
        raise ValidationError("组织类型", f"组织类型：代码“{kind}”不在组织类型列表中")
    region, region_warnings = check_region_code(data.region_code)
    warnings += region_warnings
    street = re.sub(r"\s+", "", normalize_text(data.street_code)) or None
    if street is not None:
        if not _STREET_RE.fullmatch(street):
            raise ValidationError("乡镇（街道）代码", "乡镇（街道）代码：应为9位或12位数字（行政区划代码加3位乡镇代码）")
        if region and not street.startswith(region):
            warnings.append(f"乡镇（街道）代码 {street} 与行政区划代码 {region} 不一致，请核对")
    same = session.scalars(
        select(Organization).where(Organization.name == name, Organization.region_code == region)
    ).all()
    same = [o for o in same if o.id != org_id]
    if same:
        where = region_name(region) or region
        raise ValidationError(
            "组织名称", f"组织名称：{where}（{region}）已有同名的调解组织“{name}”，同一地区不能重复登记"
        )
    established = parse_date_optional(data.established_on, "设立时间", allow_future=False, today=today)
    parent_code = None
    if normalize_text(data.parent_credit_code):
        info = check_credit_code(data.parent_credit_code, "设立单位统一社会信用代码")
        parent_code = info.code
        warnings += list(info.warnings)
    phones = {}
    for attr, label in (("head_phone", "负责人电话"), ("contact_phone", "联系电话")):
        raw = getattr(data, attr)
        phones[attr] = check_phone(raw, label) if normalize_text(raw) else None
    email = normalize_text(data.email) or None
    if email and not _EMAIL_RE.fullmatch(email):
        raise ValidationError("电子邮箱", f"电子邮箱：“{email}”格式不正确")
    area = parse_int_optional(data.area_m2, "办公场所面积", minimum=0, maximum=1_000_000)
    rooms = parse_int_optional(data.rooms, "调解室数量", minimum=0, maximum=1000)
    budget = parse_amount_optional(data.budget, "年度工作经费")
    name_warn = standard_name_warning(name, kind)
    if name_warn:
        warnings.append(name_warn)
    values = {
        "name": name,
        "short_name": _text(data.short_name, "简称", 60),
        "kind": kind,
        "region_code": region,
        "street_code": street,
        "address": _text(data.address, "地址", 300),
        "established_on": established,
        "parent_unit": _text(data.parent_unit, "设立（主管）单位", 200),
        "parent_credit_code": parent_code,
        "head_name": _text(data.head_name, "负责人", 50),
        "head_post": _text(data.head_post, "负责人职务", 50),
        "head_phone": phones["head_phone"],
        "contact_name": _text(data.contact_name, "联系人", 50),
        "contact_phone": phones["contact_phone"],
        "email": email,
        "area_m2": area,
        "rooms": rooms,
        "budget_fen": budget,
        "budget_source": _text(data.budget_source, "经费来源", 200),
        "facilities": _bool_map(data.facilities, FACILITY_LABELS),
        "signage": _bool_map(data.signage, SIGNAGE_LABELS),
        "systems": _bool_map(data.systems, SYSTEM_LABELS),
        "online_platform": bool(data.online_platform),
        "complaints_channel": bool(data.complaints_channel),
        "honours": _long_text(data.honours),
        "highlights": _long_text(data.highlights),
        "notes": _long_text(data.notes),
        "active": bool(data.active),
    }
    if values["highlights"] and len(values["highlights"]) > 800:
        warnings.append(f"主要做法和特色共 {len(values['highlights'])} 字，评估推荐表建议不超过800字")
    titles = _clean_titles(data.titles, today.year) if data.titles is not None else None
    return values, titles, warnings


def replace_children(session: Session, children: list[Any], model: type, rows: list[dict[str, Any]]) -> None:
    """Replace a row's child rows (金牌称号, 培训记录 …) with new ones made of ``rows``."""
    children.clear()
    session.flush()
    for values in rows:
        children.append(model(**values))


Validator = Callable[[Session], tuple[dict[str, Any], list[dict[str, Any]] | None, list[str]]]


def create_with_children(
    session_factory: sessionmaker[Session],
    model: type,
    validate: Validator,
    children: Callable[[Any], list[Any]],
    child_model: type,
) -> SaveResult:
    """Validate and insert one row with its child rows in one transaction."""
    with session_factory.begin() as s:
        values, rows, warnings = validate(s)
        obj = model(**values)
        s.add(obj)
        s.flush()
        if rows:
            replace_children(s, children(obj), child_model, rows)
        s.flush()
        return SaveResult(obj.id, tuple(warnings))


def update_with_children(
    session_factory: sessionmaker[Session],
    model: type,
    row_id: int,
    missing: str,
    validate: Validator,
    children: Callable[[Any], list[Any]],
    child_model: type,
    check: Callable[[Session, Any, dict[str, Any]], None] | None = None,
) -> SaveResult:
    """Validate and update one row (``missing``: the refusal when it is gone) and, when the input gives
    them, replace its child rows, in one transaction; ``check`` may refuse the change first."""
    with session_factory.begin() as s:
        obj = s.get(model, row_id)
        if obj is None:
            raise ActionRefused(missing)
        values, rows, warnings = validate(s)
        if check is not None:
            check(s, obj, values)
        for key, value in values.items():
            setattr(obj, key, value)
        if rows is not None:
            replace_children(s, children(obj), child_model, rows)
        s.flush()
        return SaveResult(obj.id, tuple(warnings))


def create_organization(
    session_factory: sessionmaker[Session], data: OrganizationInput, *, today: date | None = None
) -> SaveResult:
    return create_with_children(
        session_factory,
        Organization,
        lambda s: validate_organization(s, data, today=today),
        lambda org: org.titles,
        OrganizationTitle,
    )


def update_organization(
    session_factory: sessionmaker[Session], org_id: int, data: OrganizationInput, *, today: date | None = None
) -> SaveResult:
    return update_with_children(
        session_factory,
        Organization,
        org_id,
        f"找不到编号为 {org_id} 的调解组织，可能已被删除",
        lambda s: validate_organization(s, data, org_id, today=today),
        lambda org: org.titles,
        OrganizationTitle,
    )


def delete_organization(session_factory: sessionmaker[Session], org_id: int) -> str:
    """Delete an organization with no cases, together with its roster, titles and self-assessments.

    Refused (:class:`ActionRefused`, with the number of cases) when any case — even a deleted one, whose
    number stays reserved — belongs to it. Returns the deleted organization's name.
    """
    with session_factory.begin() as s:
        org = s.get(Organization, org_id)
        if org is None:
            raise ActionRefused(f"找不到编号为 {org_id} 的调解组织，可能已被删除")
        total = case_count(s, org_id)
        if total:
            live = case_count(s, org_id, include_deleted=False)
            extra = f"（另有已删除的案件 {total - live} 件，其案号仍保留）" if total > live else ""
            raise ActionRefused(
                f"“{org.name}”有 {live} 件调解案件{extra}，不能删除。如该组织已撤销，请在编辑中取消“在用”。"
            )
        med_ids = list(s.scalars(select(Mediator.id).where(Mediator.organization_id == org_id)))
        if med_ids:
            used = s.scalar(select(func.count()).select_from(CaseMediator).where(CaseMediator.mediator_id.in_(med_ids)))
            if used:
                raise ActionRefused(f"“{org.name}”的调解员参与过 {used} 件其他组织的案件，不能删除")
            for med in s.scalars(select(Mediator).where(Mediator.id.in_(med_ids))):
                s.delete(med)  # trainings go with them (ORM cascade)
        s.execute(delete(GoldAssessment).where(GoldAssessment.organization_id == org_id))
        s.execute(delete(ReportText).where(ReportText.scope == org.uuid))
        name = org.name
        s.delete(org)
        return name


# ---------------------------------------------------------------------------------------------
# Narrative text of the 工作报告, kept per organization and year (ReportText kind 'work-report')

WORK_REPORT_KIND = "work-report"
WORK_REPORT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("basic", "基本情况"),
    ("systems", "制度机制建设"),
    ("results", "工作开展情况及成效"),
    ("features", "特色做法与创新"),
    ("plans", "存在的问题及下一步打算"),
)


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


def load_work_report(session: Session, org_id: int, year: int) -> dict[str, str]:
    org = session.get(Organization, org_id)
    if org is None:
        raise ActionRefused(f"找不到编号为 {org_id} 的调解组织")
    return load_report_texts(session, WORK_REPORT_KIND, org.uuid, str(year))


def save_work_report(session_factory: sessionmaker[Session], org_id: int, year: int, texts: Mapping[str, str]) -> None:
    unknown = set(texts) - {k for k, _ in WORK_REPORT_SECTIONS}
    if unknown:
        raise ValueError(f"未知的工作报告章节：{'、'.join(sorted(unknown))}")
    with session_factory() as s:
        org = s.get(Organization, org_id)
        if org is None:
            raise ActionRefused(f"找不到编号为 {org_id} 的调解组织")
        scope = org.uuid
    save_report_texts(session_factory, WORK_REPORT_KIND, scope, str(year), texts)


# ---------------------------------------------------------------------------------------------
# Narrative sections of a 典型案例 (附件3), kept per case (ReportText kind 'typical-case', scope = the case's
# uuid, period ''); the ``typical-case`` export reads them and anonymises them as it does the record.

TYPICAL_CASE_KIND = "typical-case"
TYPICAL_CASE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("facts", "基本案情"),
    ("process", "调解过程"),
    ("result", "调解结果"),
    ("significance", "典型意义"),
)
_DRAFT_FILLERS = ("（无记录）", "（请结合本案")


@dataclass(frozen=True)
class TypicalCaseTexts:
    """What the 典型案例 editor shows: the saved text per section, and a draft from the case record for
    sections with nothing saved (real names; the export anonymises both)."""

    case_id: int
    case_no: str
    closed: bool
    saved: dict[str, str]
    drafts: dict[str, str]

    def text(self, section: str) -> str:
        """The saved text of ``section``, else its draft."""
        return self.saved.get(section) or self.drafts.get(section, "")

    def is_draft(self, section: str) -> bool:
        return not self.saved.get(section) and bool(self.drafts.get(section))


def load_typical_case(session: Session, case_id: int) -> TypicalCaseTexts:
    """The saved sections of the case's 典型案例, with drafts generated from the record for the others."""
    c = session.get(Case, case_id)
    if c is None or c.deleted_at is not None:
        raise ActionRefused(f"找不到编号为 {case_id} 的案件")
    saved = {k: v for k, v in load_report_texts(session, TYPICAL_CASE_KIND, c.uuid, "").items() if v.strip()}
    drafts: dict[str, str] = {}
    if c.close_type:  # the same paragraphs the export writes when nothing is saved
        from app.exports.kinds.organization_documents import typical_case_context

        sections = typical_case_context(session, c.id, real_names=True)["sections"]
        for key, _label in TYPICAL_CASE_SECTIONS:
            if key not in saved:
                paras = [p for p in sections.get(key, []) if not p.startswith(_DRAFT_FILLERS)]
                drafts[key] = "\n".join(paras)
    elif "facts" not in saved:
        facts = (c.facts or "").strip()
        if c.claims_summary:
            facts += ("\n" if facts else "") + "申请人请求：" + c.claims_summary.strip().replace("\n", "；")
        drafts["facts"] = facts
    return TypicalCaseTexts(c.id, c.case_no or "", bool(c.close_type), saved, {k: v for k, v in drafts.items() if v})


def save_typical_case(session_factory: sessionmaker[Session], case_id: int, texts: Mapping[str, str]) -> None:
    """Save the sections of the case's 典型案例 (one transaction); an empty section is generated again from
    the record when exporting."""
    unknown = set(texts) - {k for k, _ in TYPICAL_CASE_SECTIONS}
    if unknown:
        raise ValueError(f"未知的典型案例章节：{'、'.join(sorted(unknown))}")
    with session_factory() as s:
        c = s.get(Case, case_id)
        if c is None or c.deleted_at is not None:
            raise ActionRefused(f"找不到编号为 {case_id} 的案件")
        scope = c.uuid
    save_report_texts(session_factory, TYPICAL_CASE_KIND, scope, "", texts)


# ---------------------------------------------------------------------------------------------
# Figures written out as sentences for the 工作报告 and the 推荐函 (forms.md §5.1 / §5.3)


def recent_years(year: int, n: int = 3) -> list[int]:
    """``[year-2, year-1, year]`` for the 近三年 figures."""
    return list(range(year - n + 1, year + 1))


@dataclass(frozen=True)
class PeriodTotals:
    first: int
    last: int
    accepted: int
    closed: int
    success: int
    workers: int
    claim_fen: int
    collective: int

    @property
    def rate(self) -> float | None:
        return self.success / self.closed if self.closed else None

    @property
    def span(self) -> str:
        return f"{self.first}—{self.last}年"


def period_totals(figures: Mapping[int, YearFigures]) -> PeriodTotals:
    years = sorted(figures)
    fs = [figures[y] for y in years]
    return PeriodTotals(
        first=years[0],
        last=years[-1],
        accepted=sum(f.accepted for f in fs),
        closed=sum(f.closed for f in fs),
        success=sum(f.success for f in fs),
        workers=sum(f.workers for f in fs),
        claim_fen=sum(f.claim_fen for f in fs),
        collective=sum(f.collective for f in fs),
    )


def _self_name(org: Organization) -> str:
    return "本委员会" if org.name.endswith("委员会") else "本中心" if org.name.endswith("中心") else "本组织"


def work_report_drafts(session: Session, org_id: int, year: int, *, today: date | None = None) -> dict[str, list[str]]:
    """Paragraphs the 工作报告 fills in from the data, per section (the clerk's text follows them)."""
    from app.services.formatting import format_date_cn, format_percent, format_wan

    detail = get_organization(session, org_id, on=min(date(year, 12, 31), today or date.today()))
    org = session.get(Organization, org_id)
    me = _self_name(org)
    drafts: dict[str, list[str]] = {key: [] for key, _ in WORK_REPORT_SECTIONS}

    basic = []
    if detail.established_on:
        basic.append(f"{detail.name}设立于{format_date_cn(detail.established_on)}")
    else:
        basic.append(detail.name)
    basic[-1] += f"，组织类型为{detail.kind_label}"
    if detail.parent_unit:
        basic[-1] += f"，设立（主管）单位为{detail.parent_unit}"
    basic[-1] += "。"
    total = detail.full_time + detail.part_time
    staff = f"{me}现有调解员{total}名，其中专职{detail.full_time}名、兼职{detail.part_time}名"
    extras = []
    if detail.legal:
        extras.append(f"具有法律职业资格的{detail.legal}名")
    if detail.certified:
        extras.append(f"经培训合格持证上岗的{detail.certified}名")
    basic.append(staff + ("；" + "、".join(extras) if extras else "") + "。")
    place = []
    if detail.area_m2:
        place.append(f"办公场所面积{detail.area_m2}平方米")
    if detail.rooms:
        place.append(f"设调解室{detail.rooms}间")
    have = [label for key, label in FACILITY_ITEMS if detail.facilities.get(key) and key not in ("mediation_room",)]
    if have:
        place.append("配有" + "、".join(have))
    if detail.budget_fen:
        source = f"（{detail.budget_source}）" if detail.budget_source else ""
        place.append(f"年度工作经费{format_wan(detail.budget_fen)}万元{source}")
    if place:
        basic.append("，".join(place) + "。")
    drafts["basic"] = ["".join(basic)]

    systems = [SYSTEM_LABELS[k].removesuffix("制度") for k in SYSTEM_KEYS if detail.systems.get(k)]
    mechanisms = [SYSTEM_LABELS[k] for k in MECHANISM_KEYS if detail.systems.get(k)]
    text = ""
    if systems:
        text += f"{me}建立了" + "、".join(systems) + "等工作制度"
        text += "，" if mechanisms else "。"
    if mechanisms:
        text += ("" if systems else f"{me}") + "建立了" + "、".join(mechanisms) + "。"
    if detail.signage.get("emblem"):
        text += "调解室悬挂国家统一的劳动人事争议调解组织挂徽和标识"
        text += "，工作制度、工作程序和调解员名单上墙公示。" if detail.signage.get("six_norms_five_walls") else "。"
    if text:
        drafts["systems"] = [text]

    years = recent_years(year)
    figs = year_figures(session, org_id, years)
    t = period_totals(figs)
    results = [
        f"近三年（{t.span}），{me}共受理劳动人事争议案件{t.accepted}件，调解成功{t.success}件，"
        f"调解成功率{format_percent(t.rate)}，涉及劳动者{t.workers}人、金额{format_wan(t.claim_fen)}万元；"
        f"其中集体争议（10人以上）{t.collective}件。"
    ]
    per_year = "；".join(
        f"{y}年受理{figs[y].accepted}件、调解成功{figs[y].success}件、成功率{format_percent(figs[y].rate)}" for y in years
    )
    results.append(f"分年度看，{per_year}。")
    f = figs[year]
    extra = []
    if f.entrusted:
        extra.append(f"受理仲裁机构、人民法院委托调解的案件{f.entrusted}件")
    if f.reviewed:
        extra.append(f"申请调解协议仲裁审查确认{f.reviewed_arbitration}件、司法确认{f.reviewed_judicial}件")
    if org.online_platform:
        extra.append("运用在线调解服务平台开展调解")
    if extra:
        results.append(f"{year}年，" + "，".join(extra) + "。")
    drafts["results"] = results
    if detail.highlights:
        drafts["features"] = [detail.highlights.strip()]
    return drafts


@dataclass(frozen=True)
class CaseChoice:
    """A closed case offered for a 典型案例."""

    id: int
    case_no: str | None
    closed_on: date | None
    close_type: str | None
    workers: int
    claim_fen: int
    summary: str | None


def typical_case_candidates(session: Session, org_id: int, year: int | None = None, limit: int = 300) -> list[CaseChoice]:
    """Closed cases of an organization (agreed or settled first, collective and larger ones first)."""
    stmt = (
        select(Case.id, Case.case_no, Case.closed_on, Case.close_type, Case.workers, Case.claim_amount_fen,
               Case.claims_summary)
        .where(Case.organization_id == org_id, Case.deleted_at.is_(None), Case.close_type.in_(_CLOSE_TYPES))
        .order_by(
            case((Case.close_type.in_(_SETTLED_TYPES), 0), else_=1),
            Case.closed_on.desc(),
            Case.workers.desc(),
        )
        .limit(limit)
    )
    if year:
        stmt = stmt.where(Case.closed_on >= date(year, 1, 1), Case.closed_on < date(year + 1, 1, 1))
    return [CaseChoice(*row) for row in session.execute(stmt)]


def run_read(session_factory: sessionmaker[Session], fn, /, *args: Any, **kwargs: Any) -> Any:
    """Call a reading service function ``fn(session, *args, **kwargs)`` in a short-lived session (style P4):
    the UI uses this so that no widget ever holds a session."""
    with session_factory() as session:
        return fn(session, *args, **kwargs)


def organization_choices(session: Session, *, active_only: bool = True) -> list[tuple[int, str]]:
    """(id, name) of the organizations, for pickers."""
    stmt = select(Organization.id, Organization.name).order_by(Organization.kind, Organization.name)
    if active_only:
        stmt = stmt.where(Organization.active.is_(True))
    return [(i, n) for i, n in session.execute(stmt)]


def lookup_choices(session: Session, category: str, *, active_only: bool = True) -> list[tuple[str, str]]:
    """(code, label) of an editable list, in display order: the entries a form offers (``active_only``), or
    every entry (filters, which must find old records too)."""
    return list(lookup_labels(session, category, active_only=active_only).items())

"""The statistics service: every figure the app shows or exports about cases and volunteers (no Qt).

One source of truth (domain.md §4, forms.md §7): the dashboard, ``python -m app stats``, ``python -m app
chart``, the statistics table (XLSX), the work report, the gold-medal assessment and the organization list
all take their case figures from here, so they always agree.

Counting rules (written once, in :data:`DEFINITIONS`, and shown to users as tooltips and table notes):

- Every event counts in the period of **its own date**: 收到申请 by ``received_on``, 受理 by ``accepted_on``,
  不予受理 by ``rejected_on``, 结案 — and every rate — by ``closed_on``. A case received in March and closed
  in April is received in March and closed (and counted in April's success rate) in April.
- 调解结案数 counts the five closing types (MA1). 调解成功率 = (达成调解协议 + 达成和解后撤回) ÷ 调解结案数;
  cases not accepted are outside it.
- 按期结案: closed on or before ``Case.mediation_due_on`` — the 15-day limit kept by the case service,
  replaced by the agreed extension date when there is one.
- A rate without a denominator is ``None`` (JSON ``null``, shown as 「无」), never 0.
- Deleted cases (``deleted_at``) are left out everywhere.
- Money is integer 分 (fen).

Everything is aggregated in SQL (grouped counts and sums over the indexed date columns), never by loading
cases into Python; a year of 100,000 cases takes a few tens of milliseconds (see bench/stats.py).

Entry points: :func:`compute` (a session factory), :func:`compute_in` (an open session),
:func:`compute_from_args` (the command line), :func:`table_rows` (forms.md §7.1 statistics table with the
balance check), :func:`chart_table` (the numbers behind each chart) and :func:`success_by_organization`
(what ``organizations.success_rates`` delegates to).
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Integer, and_, case, cast, distinct, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.services.app_settings import get_settlement_counts_as_success, success_close_types
from app.services.formatting import QUARTER_NUMERALS, format_date_cn, quarter_label, quarter_range
from db.enums import CloseType
from db.lookups import CASE_SOURCE, DISPUTE_TYPE, ORG_KIND, lookup_labels
from db.models import Agreement, Case, Organization, SatisfactionSurvey, ServiceRecord, ServiceRecordVolunteer

__all__ = [
    "TARGET_RATE",
    "GOLD_RATE",
    "THRESHOLDS",
    "Definition",
    "DEFINITIONS",
    "definition_text",
    "Period",
    "Scope",
    "compute",
    "compute_in",
    "compute_from_args",
    "period_from_args",
    "scope_from_key",
    "format_rate",
    "format_value",
    "success_by_organization",
    "formula",
    "table_rows",
    "load_table_spec",
    "balance_check",
    "chart_table",
    "CHART_KINDS",
    "available_years",
    "scope_choices",
]

#: 吉林 action plan target and the Tianjin gold-medal minimum (domain.md §4); charts draw both.
TARGET_RATE = 0.60
GOLD_RATE = 0.65
THRESHOLDS: tuple[tuple[float, str], ...] = ((TARGET_RATE, "目标线 60%"), (GOLD_RATE, "金牌线 65%"))

NONE_TEXT = "无"  # a rate with no denominator
SHORT_PERIOD_DAYS = 120  # up to this length, received cases are found through ix_cases_org_received

_CLOSE_TYPES = tuple(str(t) for t in CloseType)


# =============================================================================================
# Definitions (written once; tooltips, table notes, README)


class Definition(NamedTuple):
    label: str  # Chinese name
    unit: str  # 件 / 人 / % / 元 …
    formula: str  # how it is counted, for tooltips and notes


DEFINITIONS: dict[str, Definition] = {
    "received": Definition("收到调解申请数", "件", "统计期内收到调解申请（含口头申请）并登记的案件数，按收到申请之日计入。"),
    "accepted": Definition("当期受理案件数", "件", "统计期内决定受理的案件数，按受理日期计入（人社统MA1“当期受理案件总数”）。"),
    "rejected": Definition("不予受理数", "件", "统计期内决定不予受理的案件数，按不予受理决定日期计入；不计入受理数和结案数。"),
    "open_start": Definition("上期未结案件数", "件", "统计期开始前已受理、到统计期第一天仍未结案的案件数。"),
    "open_end": Definition("期末未结案件数", "件", "统计期最后一天已受理、但尚未结案的案件数。"),
    "closed": Definition(
        "调解结案数", "件",
        "统计期内结案的案件数，按结案日期计入；含达成调解协议、达成和解后撤回、撤回、调解不成、终止调解五种结案方式（MA1口径）。",
    ),
    "agreed": Definition("达成调解协议", "件", "统计期内以“达成调解协议”结案的案件数（按结案日期）。"),
    "settled_withdrawn": Definition("达成和解后撤回", "件", "统计期内当事人达成和解后撤回申请而结案的案件数（按结案日期）。"),
    "withdrawn": Definition("撤回", "件", "统计期内因和解以外的原因撤回申请而结案的案件数（按结案日期）。"),
    "failed": Definition("调解不成", "件", "统计期内调解不成而结案的案件数（按结案日期）。"),
    "terminated": Definition("终止调解", "件", "统计期内终止调解而结案的案件数（按结案日期）。"),
    "success": Definition(
        "调解成功数", "件",
        "达成调解协议数 + 达成和解后撤回数（按结案日期）；在“设置—业务规则”中改为和解撤回不计为成功时，只计达成调解协议数。",
    ),
    "success_rate": Definition(
        "调解成功率", "%",
        "调解成功率 =（达成调解协议 + 达成和解后撤回）÷ 调解结案数 × 100%；按结案日期计入统计期，不予受理的案件不计入；"
        "没有结案案件时为“无”。目标线60%，金牌调解组织不低于65%。"
        "在“设置—业务规则”中改为和解撤回不计为成功时，分子只含达成调解协议。",
    ),
    "on_time": Definition("按期结案数", "件", "统计期内结案、且结案日期不晚于调解期限（15日，经双方同意延期的以延长后的日期为准）的案件数。"),
    "on_time_rate": Definition("按期结案率", "%", "按期结案率 = 按期结案数 ÷ 调解结案数 × 100%（按结案日期）；没有结案案件时为“无”。"),
    "performed": Definition("已履行协议数", "件", "统计期内达成调解协议结案、目前已全部履行的案件数。"),
    "performance_rate": Definition(
        "协议履行率", "%", "协议履行率 = 已全部履行的调解协议数 ÷ 达成调解协议数 × 100%（按结案日期）；没有达成协议时为“无”。"
    ),
    "collective_cases": Definition("集体争议案件数", "件", "当期受理案件中劳动者10人以上并有共同请求的案件数（按受理日期）。"),
    "collective_rate": Definition("集体争议率", "%", "集体争议率 = 集体争议案件数 ÷ 当期受理案件数 × 100%；没有受理案件时为“无”。"),
    "workers": Definition("涉及劳动者人数", "人", "当期受理案件涉及的劳动者人数之和（按受理日期）。"),
    "collective_workers": Definition("集体争议涉及劳动者人数", "人", "当期受理的集体争议案件涉及的劳动者人数之和（按受理日期）。"),
    "amount_claimed": Definition("涉案金额", "元", "当期受理案件请求金额之和（按受理日期）。"),
    "amount_agreed": Definition("协议金额", "元", "统计期内达成调解协议结案的协议金额之和（按结案日期）。"),
    "reviewed_arbitration": Definition(
        "申请仲裁审查确认数", "件", "统计期内调解协议申请仲裁审查确认的件数（按申请日期，未记申请日期的按结案日期）。"
    ),
    "reviewed_judicial": Definition("申请司法确认数", "件", "统计期内调解协议申请司法确认的件数（按申请日期，未记申请日期的按结案日期）。"),
    "avg_days_to_close": Definition("平均结案天数", "天", "统计期内结案案件从受理到结案的平均天数；没有结案案件时为“无”。"),
    "median_days_to_close": Definition("结案天数中位数", "天", "统计期内结案案件从受理到结案天数的中位数；没有结案案件时为“无”。"),
    "by_type": Definition("按争议类型分", "件", "当期受理案件按主要争议类型（单选）分类，每件只计一次，合计等于当期受理案件数。"),
    "by_source": Definition("按案件来源分", "件", "统计期内收到的调解申请按案件来源分类（按收到申请之日）。"),
    "by_org_kind": Definition("按调解组织类型分", "件", "当期受理案件按受理的调解组织类型分类，合计等于当期受理案件数。"),
    "by_organization": Definition("按调解组织分", "件", "各调解组织的受理数、结案数和调解成功率（口径同上）。"),
    "volunteers": Definition("志愿者人数（期末）", "人", "统计期最后一天在册的青年仲裁员志愿者人数（与季度总结附件3口径相同）。"),
    "active_contacts": Definition("联系企业对数（期末）", "对", "统计期最后一天有效的“志愿者—联系企业”对应关系数（附件2的行数）。"),
    "contacted_enterprises": Definition("联系企业数（期末）", "家", "统计期最后一天有志愿者联系的企业数（去重）。"),
    "services": Definition("志愿服务次数", "次", "统计期内登记的志愿服务记录数（入企服务次数，与附件3口径相同）。"),
    "service_hours": Definition("志愿服务时长", "小时", "每名志愿者参加每次服务的时长之和（按人累计，保留1位小数）。"),
    "volunteers_served": Definition("开展服务的志愿者人数", "人", "统计期内至少参加过一次志愿服务的志愿者人数。"),
    "duty_coverage": Definition(
        "季度履职率", "%",
        "已结束季度中开展了志愿服务的在册志愿者人次 ÷ 已结束季度中在册志愿者人次 × 100%（每名志愿者每季度至少服务一次）；"
        "统计期内没有已结束的季度时为“无”。",
    ),
    "duty_missed": Definition("未履职人次", "人次", "已结束季度中在册但没有开展任何志愿服务的志愿者人次（红色提示）。"),
    "satisfaction_avg": Definition(
        "企业满意度平均分", "分", "统计期内满意度调查的平均分（非常满意4分、满意3分、基本满意2分、不满意1分）；没有调查时为“无”。"
    ),
    "surveys": Definition("满意度调查份数", "份", "统计期内登记的企业满意度调查份数。"),
}

RATE_KEYS = frozenset(k for k, d in DEFINITIONS.items() if d.unit == "%")
MONEY_KEYS = frozenset({"amount_claimed", "amount_agreed"})


# The two definitions as they read when 业务规则 says 达成和解后撤回 is not a success.
_SETTLEMENT_NOT_SUCCESS: dict[str, str] = {
    "success": "达成调解协议数（按结案日期）；按“设置—业务规则”，达成和解后撤回不计为调解成功。",
    "success_rate": (
        "调解成功率 = 达成调解协议 ÷ 调解结案数 × 100%（按“设置—业务规则”，达成和解后撤回不计为调解成功）；"
        "按结案日期计入统计期，不予受理的案件不计入；没有结案案件时为“无”。目标线60%，金牌调解组织不低于65%。"
    ),
}


def formula(key: str, figs: Mapping[str, Any] | None = None) -> str:
    """How ``key`` is counted, for the rule the figures ``figs`` were computed under (tables, notes)."""
    if figs is not None and figs.get("settlement_counts_as_success") is False and key in _SETTLEMENT_NOT_SUCCESS:
        return _SETTLEMENT_NOT_SUCCESS[key]
    d = DEFINITIONS.get(key)
    return d.formula if d else ""


def definition_text(key: str, figs: Mapping[str, Any] | None = None) -> str:
    """「调解成功率：调解成功率 =（…）」 for a tooltip; '' for an unknown key."""
    d = DEFINITIONS.get(key)
    return f"{d.label}：{formula(key, figs)}" if d else ""


def format_rate(rate: float | None, digits: int = 1) -> str:
    """``0.6667`` → ``66.7%``; ``None`` (no denominator) → ``无``."""
    if rate is None:
        return NONE_TEXT
    from app.services.formatting import format_percent

    return format_percent(rate, digits)


def format_value(key: str, value: Any) -> str:
    """A figure as users see it: rates in %, money in 元 with separators, days to 0.1, 无 for None."""
    if value is None:
        return NONE_TEXT
    if key in RATE_KEYS:
        return format_rate(value)
    if key in MONEY_KEYS:
        from app.services.formatting import format_amount

        return format_amount(int(value))
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


# =============================================================================================
# Period and scope


@dataclass(frozen=True)
class Period:
    """A closed date range ``start``..``end`` (both inclusive) with its Chinese label."""

    start: date
    end: date
    kind: str = "custom"  # year / quarter / month / custom
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            from app.services.validation import ValidationError

            raise ValidationError("统计期", f"统计期的截止日期（{self.end}）早于起始日期（{self.start}）")
        if not self.label:
            object.__setattr__(self, "label", f"{format_date_cn(self.start)}至{format_date_cn(self.end)}")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year", f"{year}年")

    @classmethod
    def quarter(cls, year: int, q: int) -> Period:
        start, end = quarter_range(year, q)
        return cls(start, end, "quarter", quarter_label(year, q))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), "month", f"{year}年{month}月")

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        return cls(start, end, "custom")

    @classmethod
    def years(cls, first: int, last: int) -> Period:
        if first == last:
            return cls.year(first)
        return cls(date(first, 1, 1), date(last, 12, 31), "years", f"{first}—{last}年")

    @property
    def key(self) -> str:
        """A short stable key: ``2025``, ``2025Q1``, ``2025-03``, ``2025-01-01_2025-03-15``."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month + 2) // 3}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        out = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def quarters(self) -> list[tuple[int, int]]:
        """(year, quarter) of every quarter the period touches, in order."""
        return list(dict.fromkeys((y, (m + 2) // 3) for y, m in self.months()))

    @property
    def quarter_aligned(self) -> bool:
        """True when the period is a whole number of calendar quarters."""
        return self.start.month in (1, 4, 7, 10) and self.start.day == 1 and (
            self.end == quarter_range(self.end.year, (self.end.month + 2) // 3)[1]
        )

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "label": self.label,
                "start": self.start.isoformat(), "end": self.end.isoformat()}


SCOPE_KINDS = {"all": "全部", "org": "调解组织", "org_kind": "组织类型", "region": "区县"}


@dataclass(frozen=True)
class Scope:
    """Whose cases: ``all``, one organization (``value`` = id), an organization kind (code) or a region
    (6-digit code; ``120000`` means every region code starting with ``12``)."""

    kind: str = "all"
    value: int | str | None = None
    label: str = "全部调解组织"

    @classmethod
    def all(cls) -> Scope:
        return cls()

    @classmethod
    def organization(cls, org_id: int, name: str = "") -> Scope:
        return cls("org", int(org_id), name or f"调解组织{org_id}")

    @classmethod
    def org_kind(cls, code: str, label: str = "") -> Scope:
        return cls("org_kind", str(code), label or str(code))

    @classmethod
    def region(cls, code: str, label: str = "") -> Scope:
        return cls("region", str(code), label or str(code))

    @property
    def key(self) -> str:
        """``all``, ``org:3``, ``org_kind:21``, ``region:120101`` (what :func:`scope_from_key` reads)."""
        return "all" if self.kind == "all" else f"{self.kind}:{self.value}"

    def org_filter(self):
        """SQL condition on ``Organization`` selecting the organizations in scope (None: all)."""
        if self.kind == "all":
            return None
        if self.kind == "org":
            return Organization.id == int(self.value)  # type: ignore[arg-type]
        if self.kind == "org_kind":
            return Organization.kind == str(self.value)
        if self.kind == "region":
            code = str(self.value)
            prefix = code
            while prefix.endswith("00") and len(prefix) > 2:
                prefix = prefix[:-2]
            return Organization.region_code.startswith(prefix) if prefix != code else Organization.region_code == code
        raise ValueError(f"unknown scope kind {self.kind!r}")

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "label": self.label}


def scope_from_key(session: Session, key: str | None) -> Scope:
    """The :class:`Scope` of a key from :attr:`Scope.key`, or of an organization id / name (``--org``)."""
    from app.services.organizations import find_organization, region_name

    text = (key or "").strip()
    if not text or text == "all":
        return Scope.all()
    kind, _, value = text.partition(":")
    if kind == "org" and value:
        org = find_organization(session, value)
        return Scope.organization(org.id, org.name)
    if kind == "org_kind" and value:
        return Scope.org_kind(value, lookup_labels(session, ORG_KIND).get(value, value))
    if kind == "region" and value:
        return Scope.region(value, region_name(value) or value)
    org = find_organization(session, text)
    return Scope.organization(org.id, org.name)


def period_from_args(
    year: int | None = None,
    quarter: int | None = None,
    month: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    today: date | None = None,
) -> Period:
    """The period of the command-line options (``--year/--quarter/--month/--from/--to``); default: this year."""
    from app.services.validation import ValidationError

    today = today or date.today()
    if date_from is not None or date_to is not None:
        if year is not None or quarter is not None or month is not None:
            raise ValidationError("统计期", "--from/--to 不能与 --year/--quarter/--month 同时使用")
        start = date_from or date((date_to or today).year, 1, 1)
        end = date_to or today
        return Period.custom(start, end)
    if quarter is not None and month is not None:
        raise ValidationError("统计期", "--quarter 和 --month 只能给出一个")
    y = year or today.year
    if quarter is not None:
        return Period.quarter(y, quarter)
    if month is not None:
        return Period.month(y, month)
    return Period.year(y)


# =============================================================================================
# SQL building blocks


def _month_of(column):
    """'2025-03' of a date column: SQLite keeps dates as ISO text, and substr is far cheaper than strftime."""
    return func.substr(column, 1, 7)


def _year_of(column):
    return cast(func.strftime("%Y", column), Integer)


def _org_rows(session: Session, scope: Scope) -> list[tuple[int, str, str | None, str, str | None]]:
    stmt = select(Organization.id, Organization.name, Organization.short_name, Organization.kind,
                  Organization.region_code).order_by(Organization.kind, Organization.name)
    cond = scope.org_filter()
    if cond is not None:
        stmt = stmt.where(cond)
    return [tuple(r) for r in session.execute(stmt)]  # type: ignore[misc]


def _scoped(stmt, scope: Scope, org_ids: Sequence[int], *, by_org_index: bool = False):
    """Leave out deleted cases and keep the scope's organizations. ``by_org_index`` names the organizations
    even for scope 'all', so SQLite can walk ix_cases_org_received (there is no index on received_on alone;
    for a short period that beats scanning the table, for a year or more it does not)."""
    stmt = stmt.where(Case.deleted_at.is_(None))
    if scope.kind == "all" and not by_org_index:
        return stmt
    return stmt.where(Case.organization_id.in_(list(org_ids) or [-1]))


def _between(column, period: Period):
    return and_(column >= period.start, column <= period.end)


# =============================================================================================
# The computation


def compute(
    session_factory: sessionmaker[Session],
    period: Period,
    scope: Scope | None = None,
    *,
    today: date | None = None,
    volunteers: bool = True,
) -> dict[str, Any]:
    """All figures of ``period`` and ``scope`` as a JSON-ready dict with stable keys (see README)."""
    with session_factory() as session:
        return compute_in(session, period, scope, today=today, volunteers=volunteers)


def compute_in(
    session: Session,
    period: Period,
    scope: Scope | None = None,
    *,
    today: date | None = None,
    volunteers: bool = True,
) -> dict[str, Any]:
    """:func:`compute` on an open session."""
    scope = scope or Scope.all()
    today = today or date.today()
    orgs = _org_rows(session, scope)
    org_ids = [o[0] for o in orgs]
    all_org_ids = org_ids if scope.kind == "all" else []
    org_kind = {o[0]: o[3] for o in orgs}
    months = [f"{y:04d}-{m:02d}" for y, m in period.months()]
    zero_month = dict.fromkeys(months, 0)

    scope_info = scope.as_dict()
    scope_info["short_label"] = scope.label
    if scope.kind == "org" and orgs:  # the real name, whatever the caller passed
        scope_info["label"] = orgs[0][1]
        scope_info["short_label"] = orgs[0][2] or _short_name(orgs[0][1])
    out: dict[str, Any] = {"period": period.as_dict(), "scope": scope_info}
    # 业务规则: whether 达成和解后撤回 is a success (forms.md §7.4; default yes)
    settlement_counts = get_settlement_counts_as_success(session)
    success_types = success_close_types(None, settlement_counts=settlement_counts)
    out["settlement_counts_as_success"] = settlement_counts

    # --- received (by received_on): total, by source, by month ------------------------------
    month_col = _month_of(Case.received_on)
    rows = session.execute(
        _scoped(
            select(month_col, Case.source, func.count()).where(_between(Case.received_on, period)),
            scope, all_org_ids if scope.kind == "all" else org_ids,
            # a few months: walk ix_cases_org_received; longer periods read faster in one table scan
            by_org_index=(period.end - period.start).days <= SHORT_PERIOD_DAYS,
        ).group_by(month_col, Case.source)
    ).all()
    received_m = dict(zero_month)
    by_source: dict[str, int] = {}
    for m, source, n in rows:
        received_m[m] = received_m.get(m, 0) + int(n)
        by_source[source] = by_source.get(source, 0) + int(n)
    out["received"] = sum(received_m.values())

    # --- rejected (by rejected_on) ------------------------------------------------------------
    # a rejected case is never closed: ``close_type IS NULL`` holds and lets SQLite use ix_cases_close_type
    out["rejected"] = int(session.scalar(
        _scoped(
            select(func.count()).select_from(Case).where(_between(Case.rejected_on, period), Case.close_type.is_(None)),
            scope, org_ids,
        )
    ) or 0)

    # --- accepted (by accepted_on): counts, workers, collective, amounts, by type / org / month -
    month_col = _month_of(Case.accepted_on)
    collective = Case.is_collective.is_(True)
    rows = session.execute(
        _scoped(
            select(
                month_col,
                Case.organization_id,
                Case.dispute_type_main,
                func.count(),
                func.coalesce(func.sum(Case.workers), 0),
                func.coalesce(func.sum(case((collective, 1), else_=0)), 0),
                func.coalesce(func.sum(case((collective, Case.workers), else_=0)), 0),
                func.coalesce(func.sum(Case.claim_amount_fen), 0),
            ).where(_between(Case.accepted_on, period)),
            scope, org_ids,
        ).group_by(month_col, Case.organization_id, Case.dispute_type_main)
    ).all()
    accepted_m, workers_m = dict(zero_month), dict(zero_month)
    by_type_n: dict[str, int] = {}
    by_type_w: dict[str, int] = {}
    org_acc: dict[int, int] = {}
    kind_acc: dict[str, int] = {}
    acc = wk = coll = coll_w = claimed = 0
    for m, oid, dtype, n, w, c, cw, amount in rows:
        n, w = int(n), int(w)
        accepted_m[m] = accepted_m.get(m, 0) + n
        workers_m[m] = workers_m.get(m, 0) + w
        by_type_n[dtype] = by_type_n.get(dtype, 0) + n
        by_type_w[dtype] = by_type_w.get(dtype, 0) + w
        org_acc[oid] = org_acc.get(oid, 0) + n
        k = org_kind.get(oid) or _kind_of(session, oid, org_kind)
        kind_acc[k] = kind_acc.get(k, 0) + n
        acc += n
        wk += w
        coll += int(c)
        coll_w += int(cw)
        claimed += int(amount)
    out.update(accepted=acc, workers=wk, collective_cases=coll, collective_workers=coll_w,
               collective_rate=_rate(coll, acc), amount_claimed=claimed)

    # --- closed (by closed_on): by type, on time, performed, amounts, days, by org / month ----
    # The close-type test is applied to the grouped rows, not in WHERE, so that SQLite walks ix_cases_closed_on
    # over the period instead of ix_cases_close_type over almost every case; the days from acceptance to
    # closing are a grouping column, so mean and median come from the same pass.
    month_col = _month_of(Case.closed_on)
    on_time = and_(Case.mediation_due_on.is_not(None), Case.closed_on <= Case.mediation_due_on)
    is_agreed = Case.close_type == CloseType.AGREED.value
    days = cast(func.julianday(Case.closed_on) - func.julianday(Case.accepted_on), Integer)
    rows = session.execute(
        _scoped(
            select(
                month_col,
                Case.organization_id,
                Case.close_type,
                days,
                func.count(),
                func.coalesce(func.sum(case((on_time, 1), else_=0)), 0),
                func.coalesce(func.sum(case((and_(is_agreed, Case.perf_status == "full"), 1), else_=0)), 0),
                func.coalesce(func.sum(case((is_agreed, func.coalesce(Case.agreed_amount_fen, 0)), else_=0)), 0),
            ).where(_between(Case.closed_on, period)),
            scope, org_ids,
        ).group_by(month_col, Case.organization_id, Case.close_type, days)
    ).all()
    by_close = dict.fromkeys(_CLOSE_TYPES, 0)
    closed_m, success_m, on_time_m = dict(zero_month), dict(zero_month), dict(zero_month)
    org_closed: dict[int, list[int]] = {}  # oid -> [closed, success, on_time]
    kind_closed: dict[str, list[int]] = {}
    hist: dict[int, int] = {}
    performed = ot = agreed_amount = 0
    for m, oid, ctype, d, n, t, perf, amount in rows:
        if ctype not in by_close:
            continue  # a closing date without one of the five closing types is not a 结案
        n, t = int(n), int(t)
        ok = ctype in success_types
        by_close[ctype] += n
        closed_m[m] = closed_m.get(m, 0) + n
        on_time_m[m] = on_time_m.get(m, 0) + t
        if ok:
            success_m[m] = success_m.get(m, 0) + n
        for bucket in (org_closed.setdefault(oid, [0, 0, 0]),
                       kind_closed.setdefault(org_kind.get(oid) or _kind_of(session, oid, org_kind), [0, 0, 0])):
            bucket[0] += n
            bucket[1] += n if ok else 0
            bucket[2] += t
        if d is not None:
            hist[int(d)] = hist.get(int(d), 0) + n
        performed += int(perf)
        ot += t
        agreed_amount += int(amount)
    closed = sum(by_close.values())
    success = sum(by_close[t] for t in success_types)
    out.update(
        closed=closed,
        agreed=by_close["agreed"],
        settled_withdrawn=by_close["settled_withdrawn"],
        withdrawn=by_close["withdrawn"],
        failed=by_close["failed"],
        terminated=by_close["terminated"],
        success=success,
        success_rate=_rate(success, closed),
        on_time=ot,
        on_time_rate=_rate(ot, closed),
        performed=performed,
        performance_rate=_rate(performed, by_close["agreed"]),
        amount_agreed=agreed_amount,
    )
    out["avg_days_to_close"], out["median_days_to_close"] = _mean_median(sorted(hist.items()))

    # --- open at start and at end (accepted, not yet closed) ---------------------------------
    open_start = and_(Case.accepted_on < period.start,
                      or_(Case.closed_on.is_(None), Case.closed_on >= period.start))
    open_end = and_(Case.accepted_on <= period.end, or_(Case.closed_on.is_(None), Case.closed_on > period.end))
    o_start, o_end = session.execute(
        _scoped(
            select(
                func.coalesce(func.sum(case((open_start, 1), else_=0)), 0),
                func.coalesce(func.sum(case((open_end, 1), else_=0)), 0),
            ).where(Case.accepted_on <= period.end, or_(Case.closed_on.is_(None), Case.closed_on >= period.start)),
            scope, org_ids,
        )
    ).one()
    out["open_start"], out["open_end"] = int(o_start), int(o_end)

    # --- agreements sent for review (row 30) --------------------------------------------------
    review_day = func.coalesce(Agreement.review_applied_on, Case.closed_on)
    reviewed = dict(session.execute(
        _scoped(
            select(Agreement.review_kind, func.count())
            .select_from(Agreement)
            .join(Case, Case.id == Agreement.case_id)
            .where(Agreement.review_kind.is_not(None), review_day >= period.start, review_day <= period.end),
            scope, org_ids,
        ).group_by(Agreement.review_kind)
    ).all())
    out["reviewed_arbitration"] = int(reviewed.get("arbitration", 0))
    out["reviewed_judicial"] = int(reviewed.get("judicial", 0))

    # --- breakdowns -----------------------------------------------------------------------------
    type_labels = lookup_labels(session, DISPUTE_TYPE)
    out["by_type"] = [
        {"code": code, "label": type_labels.get(code, code), "cases": by_type_n.get(code, 0),
         "workers": by_type_w.get(code, 0)}
        for code in _ordered(type_labels, by_type_n)
    ]
    source_labels = lookup_labels(session, CASE_SOURCE)
    out["by_source"] = [
        {"code": code, "label": source_labels.get(code, code), "cases": by_source.get(code, 0)}
        for code in _ordered(source_labels, by_source)
    ]
    kind_labels = lookup_labels(session, ORG_KIND)
    kinds_present = {k for k in org_kind.values()} | set(kind_acc) | set(kind_closed)
    out["by_org_kind"] = [
        _org_figures({"code": code, "label": kind_labels.get(code, code)}, kind_acc.get(code, 0),
                     kind_closed.get(code))
        for code in _ordered({k: kind_labels.get(k, k) for k in kind_labels if k in kinds_present}, kind_acc)
    ]
    by_org = [
        _org_figures({"id": oid, "name": name, "short_name": short or _short_name(name), "kind": kind,
                      "kind_label": kind_labels.get(kind, kind)},
                     org_acc.get(oid, 0), org_closed.get(oid))
        for oid, name, short, kind, _region in orgs
    ]
    by_org.sort(key=lambda r: (r["success_rate"] is None, -(r["success_rate"] or 0), -r["closed"], r["name"]))
    out["by_organization"] = by_org

    # --- series ---------------------------------------------------------------------------------
    out["series"] = {
        "month": _series(
            [(m, f"{int(m[5:])}月" if len(period.months()) <= 12 and period.start.year == period.end.year
              else f"{m[:4]}年{int(m[5:])}月") for m in months],
            received_m, accepted_m, workers_m, closed_m, success_m, on_time_m,
        ),
        "quarter": _quarter_series(period, received_m, accepted_m, workers_m, closed_m, success_m, on_time_m),
    }

    # --- volunteers -----------------------------------------------------------------------------
    if volunteers:
        out.update(_volunteer_figures(session, period, today))

    out["balance"] = balance_check(out)
    out["thresholds"] = {"target": TARGET_RATE, "gold": GOLD_RATE}
    return out


def _kind_of(session: Session, oid: int, cache: dict[int, str]) -> str:
    """Kind of an organization outside the loaded list (only for scope 'all' with new rows meanwhile)."""
    if oid not in cache:
        cache[oid] = session.scalar(select(Organization.kind).where(Organization.id == oid)) or "99"
    return cache[oid]


def _ordered(labels: Mapping[str, str], counts: Mapping[str, int]) -> list[str]:
    """The codes of the editable list in its order, then codes met in the data but no longer listed."""
    codes = list(labels)
    codes += sorted(c for c in counts if c not in labels)
    return codes


def _short_name(name: str) -> str:
    for suffix in ("劳动人事争议调解中心", "劳动争议调解委员会", "人民调解委员会", "调解中心", "调解委员会"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _org_figures(base: dict[str, Any], accepted: int, closed: list[int] | None) -> dict[str, Any]:
    c, s, t = closed or (0, 0, 0)
    base.update(accepted=accepted, closed=c, success=s, success_rate=_rate(s, c), on_time=t,
                on_time_rate=_rate(t, c))
    return base


def _mean_median(hist: Sequence[tuple[int, int]]) -> tuple[float | None, float | None]:
    n = sum(c for _d, c in hist)
    if not n:
        return None, None
    mean = sum(d * c for d, c in hist) / n

    def nth(k: int) -> int:  # 0-based k-th smallest value
        seen = 0
        for d, c in hist:
            seen += c
            if k < seen:
                return d
        return hist[-1][0]

    median = nth(n // 2) if n % 2 else (nth(n // 2 - 1) + nth(n // 2)) / 2
    return round(mean, 2), float(median)


def _series(points, received, accepted, workers, closed, success, on_time) -> dict[str, Any]:
    keys = [k for k, _l in points]
    return {
        "keys": keys,
        "labels": [lbl for _k, lbl in points],
        "received": [received.get(k, 0) for k in keys],
        "accepted": [accepted.get(k, 0) for k in keys],
        "workers": [workers.get(k, 0) for k in keys],
        "closed": [closed.get(k, 0) for k in keys],
        "success": [success.get(k, 0) for k in keys],
        "success_rate": [_rate(success.get(k, 0), closed.get(k, 0)) for k in keys],
        "on_time": [on_time.get(k, 0) for k in keys],
        "on_time_rate": [_rate(on_time.get(k, 0), closed.get(k, 0)) for k in keys],
    }


def _quarter_series(period: Period, *monthly: dict[str, int]) -> dict[str, Any]:
    quarters = period.quarters()
    one_year = period.start.year == period.end.year
    points = [(f"{y}Q{q}", f"第{QUARTER_NUMERALS[q - 1]}季度" if one_year else f"{y}年{q}季度") for y, q in quarters]
    rolled = []
    for series in monthly:
        acc: dict[str, int] = {}
        for m, n in series.items():
            y, mo = int(m[:4]), int(m[5:])
            key = f"{y}Q{(mo + 2) // 3}"
            acc[key] = acc.get(key, 0) + n
        rolled.append(acc)
    return _series(points, *rolled)


# --- volunteers ---------------------------------------------------------------------------------


def _volunteer_figures(session: Session, period: Period, today: date) -> dict[str, Any]:
    """Volunteer figures (not split by organization: volunteers belong to the arbitration institutes).

    A period made of whole quarters takes them from :func:`app.services.volunteers.quarter_figures` (the
    附件3 figures); any other period counts with the same SQL conditions of that module.
    """
    from app.services import volunteers as vs

    # the duty board of each year the period touches (it carries quarter_figures() of its four quarters)
    boards = {y: vs.duty_board(session, y, today=today) for y in dict.fromkeys(y for y, _q in period.quarters())}
    if period.quarter_aligned:
        figs = [boards[y].quarter_totals[q - 1] for y, q in period.quarters()]
        services = sum(f["visits"] for f in figs)
        minutes = sum(f["minutes"] for f in figs)
        volunteers_end = figs[-1]["volunteers_total"]
        enterprises_end = figs[-1]["ents_total"]
    else:
        services, minutes = (int(x or 0) for x in session.execute(
            select(
                func.count(distinct(ServiceRecord.id)),
                func.coalesce(select(func.sum(ServiceRecord.minutes))
                              .select_from(ServiceRecordVolunteer)
                              .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
                              .where(_between(ServiceRecord.served_on, period))
                              .scalar_subquery(), 0),
            ).where(_between(ServiceRecord.served_on, period))
        ).one())
        from db.models import Volunteer, VolunteerContact

        volunteers_end = int(session.scalar(
            select(func.count()).select_from(Volunteer).where(vs._in_programme(period.end))
        ) or 0)
        enterprises_end = int(session.scalar(
            select(func.count(distinct(VolunteerContact.enterprise_id)))
            .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
            .where(vs._contact_active(period.end), vs._in_programme(period.end))
        ) or 0)
    pairs = vs.active_pairs_query(period.end).order_by(None).subquery()
    active_contacts = int(session.scalar(select(func.count()).select_from(pairs)) or 0)
    served = int(session.scalar(
        select(func.count(distinct(ServiceRecordVolunteer.volunteer_id)))
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
        .where(_between(ServiceRecord.served_on, period))
    ) or 0)
    n_surveys, score_sum = session.execute(
        select(func.count(), func.coalesce(func.sum(SatisfactionSurvey.score), 0))
        .where(_between(SatisfactionSurvey.surveyed_on, period))
    ).one()

    # quarter duty
    quarters = []
    cells_due = cells_ok = 0
    for y, q in period.quarters():
        board = boards[y]
        totals = board.quarter_totals[q - 1]
        states = [(row, row.cells[q - 1]) for row in board.rows]
        missed = [row.name for row, cell in states if cell.state == vs.DUTY_MISSING]
        active = [row for row, cell in states if cell.state not in (vs.DUTY_INACTIVE, vs.DUTY_FUTURE)]
        ended = quarter_range(y, q)[1] < today
        ok = sum(1 for _row, cell in states if cell.state == vs.DUTY_OK)
        if ended:
            cells_due += ok + len(missed)
            cells_ok += ok
        quarters.append({
            "key": f"{y}Q{q}",
            "label": quarter_label(y, q),
            "services": int(totals.get("visits", 0)),
            "service_hours": float(totals.get("hours", 0)),
            "volunteers": len(active),
            "volunteers_served": ok,
            "missed": len(missed),
            "missed_names": missed,
            "ended": ended,
        })
    return {
        "volunteers": int(volunteers_end),
        "active_contacts": active_contacts,
        "contacted_enterprises": int(enterprises_end),
        "services": int(services),
        "service_minutes": int(minutes),
        "service_hours": vs.minutes_to_hours(int(minutes)),
        "volunteers_served": served,
        "duty_quarters": cells_due,
        "duty_missed": cells_due - cells_ok,
        "duty_coverage": _rate(cells_ok, cells_due),
        "satisfaction_avg": round(float(score_sum) / int(n_surveys), 2) if n_surveys else None,
        "surveys": int(n_surveys),
        "volunteer_quarters": quarters,
    }


# =============================================================================================
# Balance check and the statistics table (forms.md §7.1)


def balance_check(figs: Mapping[str, Any]) -> dict[str, Any]:
    """上期未结 + 当期受理 = 调解结案 + 期末未结 (rows 1 + 2 = 22 + 28); cases not accepted are outside both
    sides and reported beside them. Also: the by-type and by-organization-kind rows sum to row 2."""
    left = figs["open_start"] + figs["accepted"]
    right = figs["closed"] + figs["open_end"]
    by_type = sum(r["cases"] for r in figs.get("by_type", []))
    by_kind = sum(r["accepted"] for r in figs.get("by_org_kind", []))
    outcome = figs["agreed"] + figs["settled_withdrawn"] + figs["withdrawn"] + figs["failed"] + figs["terminated"]
    ok = left == right and by_type == figs["accepted"] and by_kind == figs["accepted"] and outcome == figs["closed"]
    text = (
        f"上期未结 {figs['open_start']} + 当期受理 {figs['accepted']} = {left}；"
        f"调解结案 {figs['closed']} + 期末未结 {figs['open_end']} = {right}；"
        + ("平衡" if left == right else f"不平衡，相差 {left - right}")
        + f"。不予受理 {figs['rejected']} 件不计入受理数。"
    )
    return {"left": left, "right": right, "difference": left - right, "ok": ok,
            "by_type_total": by_type, "by_org_kind_total": by_kind, "outcome_total": outcome,
            "not_accepted": figs["rejected"], "text": text}


def load_table_spec() -> dict[str, Any]:
    """resources/templates/statistics-table.json: title, rows (with the codes of rows 6–21) and notes."""
    from app.core.paths import resource_path

    path = resource_path("templates", "statistics-table.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"找不到统计表配置文件：{path.name}") from None
    except (OSError, ValueError) as exc:
        raise ValueError(f"统计表配置文件 {path.name} 有误：{exc}") from None


def _codes_total(items: Iterable[Mapping[str, Any]], codes: Sequence[str] | None, count_key: str,
                 claimed: set[str]) -> int:
    """Sum of ``count_key`` over ``items`` whose code is in ``codes`` (None: every code not ``claimed``)."""
    if codes is None:
        return sum(int(i[count_key]) for i in items if i["code"] not in claimed)
    return sum(int(i[count_key]) for i in items if i["code"] in codes)


def table_rows(figs: Mapping[str, Any], spec: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of the 劳动人事争议调解情况统计表 (forms.md §7.1) for one set of figures.

    Each row: ``row`` (行次), ``label``, ``unit``, ``key`` (figure key or None), ``value`` (int, float rate,
    int 分 for money, or None for 「无」), ``kind`` ('count' / 'rate' / 'money' / 'days').
    Rows of type ``codes`` (by dispute type, by organization kind) sum the listed codes; a row with
    ``"codes": "rest"`` takes every code no other row of its group lists, so the group sums to row 2.
    """
    spec = spec or load_table_spec()
    out = []
    groups: dict[str, set[str]] = {}
    for r in spec["rows"]:
        if isinstance(r.get("codes"), list):
            groups.setdefault(r["group"], set()).update(r["codes"])
    for r in spec["rows"]:
        key = r.get("key")
        kind = r.get("kind", "count")
        if "group" in r:
            source = {"by_type": ("by_type", "cases"), "by_org_kind": ("by_org_kind", "accepted")}[r["group"]]
            codes = None if r["codes"] == "rest" else list(r["codes"])
            value: Any = _codes_total(figs[source[0]], codes, source[1], groups.get(r["group"], set()))
        elif "sum" in r:
            value = sum(int(figs[k]) for k in r["sum"])
        else:
            value = figs.get(key)
        out.append({"row": str(r["row"]), "label": r["label"], "unit": r.get("unit", ""), "key": key,
                    "value": value, "kind": kind})
    return out


# =============================================================================================
# Organizations' success rates (organizations.success_rates delegates here)


def success_by_organization(
    session: Session, period: Period, org_id: int | None = None
) -> dict[int, tuple[int, int]]:
    """``{org_id: (closed, success)}`` of the organizations with cases closed in ``period``."""
    # The close-type test sits in the aggregates, not in WHERE, so SQLite walks the closed_on index.
    stmt = (
        select(Case.organization_id,
               func.coalesce(func.sum(case((Case.close_type.in_(_CLOSE_TYPES), 1), else_=0)), 0),
               func.coalesce(func.sum(case((Case.close_type.in_(success_close_types(session)), 1), else_=0)), 0))
        .where(Case.deleted_at.is_(None), _between(Case.closed_on, period))
        .group_by(Case.organization_id)
    )
    if org_id is not None:
        stmt = stmt.where(Case.organization_id == org_id)
    return {int(oid): (int(c), int(s)) for oid, c, s in session.execute(stmt) if c}


# =============================================================================================
# Charts: the numbers behind each one


CHART_KINDS: dict[str, str] = {
    "success-rate": "调解成功率趋势",
    "by-organization": "各调解组织调解成功率",
    "by-type": "按争议类型分的受理案件",
    "volume": "案件量与涉及劳动者人数",
    "on-time": "按期结案率",
    "volunteer-services": "各季度志愿服务情况",
}


def chart_table(figs: Mapping[str, Any], kind: str, granularity: str = "month") -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the numbers a chart draws (for the dashboard's table view and clipboard)."""
    s = figs["series"][granularity]
    if kind == "success-rate":
        return (["期间", "调解结案数", "调解成功数", "调解成功率"],
                [[lbl, c, n, format_rate(r)] for lbl, c, n, r in
                 zip(s["labels"], s["closed"], s["success"], s["success_rate"], strict=True)])
    if kind == "on-time":
        return (["期间", "调解结案数", "按期结案数", "按期结案率"],
                [[lbl, c, n, format_rate(r)] for lbl, c, n, r in
                 zip(s["labels"], s["closed"], s["on_time"], s["on_time_rate"], strict=True)])
    if kind == "volume":
        return (["期间", "收到申请", "受理", "调解结案", "涉及劳动者（人）"],
                [list(row) for row in zip(s["labels"], s["received"], s["accepted"], s["closed"], s["workers"],
                                          strict=True)])
    if kind == "by-organization":
        return (["调解组织", "组织类型", "受理数", "调解结案数", "调解成功数", "调解成功率"],
                [[r["name"], r["kind_label"], r["accepted"], r["closed"], r["success"], format_rate(r["success_rate"])]
                 for r in figs["by_organization"]])
    if kind == "by-type":
        total = figs["accepted"]
        return (["争议类型", "受理数", "占比", "涉及劳动者（人）"],
                [[r["label"], r["cases"], format_rate(_rate(r["cases"], total)), r["workers"]] for r in figs["by_type"]])
    if kind == "volunteer-services":
        return (["季度", "服务次数", "服务时长（小时）", "在册志愿者", "开展服务的志愿者", "未履职志愿者", "未履职名单"],
                [[q["label"], q["services"], q["service_hours"], q["volunteers"], q["volunteers_served"],
                  q["missed"], "、".join(q["missed_names"])] for q in figs.get("volunteer_quarters", [])])
    raise ValueError(f"未知的图表类型：{kind}（可用：{'、'.join(CHART_KINDS)}）")


# =============================================================================================
# Pickers and the command line


def available_years(session: Session, today: date | None = None) -> list[int]:
    """Years with any case event, plus the current year, ascending."""
    today = today or date.today()
    lo = session.scalar(select(func.min(Case.received_on)).where(Case.deleted_at.is_(None)))
    hi = session.scalar(select(func.max(func.coalesce(Case.closed_on, Case.received_on))).where(Case.deleted_at.is_(None)))
    first = lo.year if lo else today.year
    last = max(hi.year if hi else today.year, today.year)
    return list(range(first, last + 1))


@dataclass(frozen=True)
class ScopeChoice:
    key: str
    label: str
    group: str  # 全部 / 调解组织 / 组织类型 / 区县


def scope_choices(session: Session) -> list[ScopeChoice]:
    """Everything the scope picker offers: all, each organization kind present, each region, each organization."""
    from app.services.organizations import region_name

    out = [ScopeChoice("all", "全部调解组织", "全部")]
    kind_labels = lookup_labels(session, ORG_KIND)
    orgs = _org_rows(session, Scope.all())
    for code in dict.fromkeys(o[3] for o in orgs):
        out.append(ScopeChoice(f"org_kind:{code}", kind_labels.get(code, code), "组织类型"))
    for code in sorted({o[4] for o in orgs if o[4]}):
        out.append(ScopeChoice(f"region:{code}", region_name(code) or code, "区县"))
    for oid, name, _short, _kind, _region in orgs:
        out.append(ScopeChoice(f"org:{oid}", name, "调解组织"))
    return out


def compute_from_args(session_factory: sessionmaker[Session], args: Any) -> dict[str, Any]:
    """``python -m app stats``: the figures of the period and organization given on the command line."""
    period = period_from_args(
        getattr(args, "year", None), getattr(args, "quarter", None), getattr(args, "month", None),
        getattr(args, "date_from", None), getattr(args, "date_to", None),
    )
    with session_factory() as session:
        org = getattr(args, "org", None)
        try:
            scope = scope_from_key(session, org) if org else Scope.all()
        except ValueError as exc:
            from app.services.validation import ValidationError

            raise ValidationError("调解组织", str(exc)) from None
        figs = compute_in(session, period, scope)
    return figs


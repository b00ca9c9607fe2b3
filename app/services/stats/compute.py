"""The computation: every case figure of a period and scope in a few grouped SQL queries
(:func:`compute`, :func:`compute_in`), returned as :class:`Figures` — a JSON-ready dict with stable keys.

Every event counts in the period of its own date (received_on, accepted_on, rejected_on, closed_on);
deleted cases are left out; money is integer 分; a rate without a denominator is ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, TypedDict

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.services.app_settings import get_settlement_counts_as_success, success_close_types
from app.services.formatting import QUARTER_NUMERALS
from app.services.stats.definitions import GOLD_RATE, TARGET_RATE, _rate
from app.services.stats.period import Period, Scope
from app.services.stats.rates import CLOSE_TYPES as _CLOSE_TYPES
from app.services.stats.sql import _between, _month_of, _org_rows, _scoped
from app.services.stats.tables import balance_check
from app.services.stats.volunteer_figures import _volunteer_figures
from db.enums import CloseType
from db.lookups import CASE_SOURCE, DISPUTE_TYPE, ORG_KIND, lookup_labels
from db.models import Agreement, Case, Organization
from db.portable import days_between

SHORT_PERIOD_DAYS = 120  # up to this length, received cases are found through ix_cases_org_received


class Figures(TypedDict, total=False):
    """What :func:`compute` returns (keys as in :data:`~app.services.stats.definitions.DEFINITIONS`; the
    volunteer keys only when asked for). Consumers read it as a mapping."""

    period: dict[str, Any]
    scope: dict[str, Any]
    settlement_counts_as_success: bool
    received: int
    rejected: int
    accepted: int
    workers: int
    collective_cases: int
    collective_workers: int
    collective_rate: float | None
    amount_claimed: int
    closed: int
    agreed: int
    settled_withdrawn: int
    withdrawn: int
    failed: int
    terminated: int
    success: int
    success_rate: float | None
    on_time: int
    on_time_rate: float | None
    performed: int
    performance_rate: float | None
    amount_agreed: int
    avg_days_to_close: float | None
    median_days_to_close: float | None
    open_start: int
    open_end: int
    reviewed_arbitration: int
    reviewed_judicial: int
    by_type: list[dict[str, Any]]
    by_source: list[dict[str, Any]]
    by_org_kind: list[dict[str, Any]]
    by_organization: list[dict[str, Any]]
    series: dict[str, dict[str, Any]]
    volunteers: int
    active_contacts: int
    contacted_enterprises: int
    services: int
    service_minutes: int
    service_hours: float
    volunteers_served: int
    duty_quarters: int
    duty_missed: int
    duty_coverage: float | None
    satisfaction_avg: float | None
    surveys: int
    volunteer_quarters: list[dict[str, Any]]
    balance: dict[str, Any]
    thresholds: dict[str, float]


def compute(
    session_factory: sessionmaker[Session],
    period: Period,
    scope: Scope | None = None,
    *,
    today: date | None = None,
    volunteers: bool = True,
) -> Figures:
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
) -> Figures:
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
    out: Figures = {"period": period.as_dict(), "scope": scope_info}
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
                func.coalesce(func.sum(case((and_(Case.closed_on.is_not(None), Case.closed_on <= period.end), 1),
                                            else_=0)), 0),
            ).where(_between(Case.accepted_on, period)),
            scope, org_ids,
        ).group_by(month_col, Case.organization_id, Case.dispute_type_main)
    ).all()
    accepted_m, workers_m = dict(zero_month), dict(zero_month)
    by_type_n: dict[str, int] = {}
    by_type_w: dict[str, int] = {}
    org_acc: dict[int, int] = {}
    kind_acc: dict[str, int] = {}
    acc = wk = coll = coll_w = claimed = acc_closed_by_end = 0
    for m, oid, dtype, n, w, c, cw, amount, closed_by_end in rows:
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
        acc_closed_by_end += int(closed_by_end)
    out.update(accepted=acc, workers=wk, collective_cases=coll, collective_workers=coll_w,
               collective_rate=_rate(coll, acc), amount_claimed=claimed)

    # --- closed (by closed_on): by type, on time, performed, amounts, by org / month -------------
    # The close-type test is applied to the grouped rows, not in WHERE, so that SQLite walks ix_cases_closed_on
    # over the period instead of ix_cases_close_type over almost every case. Days to close are not a grouping
    # column here (that made ~7,500 groups a year, most of the time went on sorting and reading them): their
    # distribution comes from a second, narrow query over the same index range (a few dozen groups).
    month_col = _month_of(Case.closed_on)
    on_time = and_(Case.mediation_due_on.is_not(None), Case.closed_on <= Case.mediation_due_on)
    is_agreed = Case.close_type == CloseType.AGREED.value
    rows = session.execute(
        _scoped(
            select(
                month_col,
                Case.organization_id,
                Case.close_type,
                func.count(),
                func.coalesce(func.sum(case((on_time, 1), else_=0)), 0),
                func.coalesce(func.sum(case((and_(is_agreed, Case.perf_status == "full"), 1), else_=0)), 0),
                func.coalesce(func.sum(case((is_agreed, func.coalesce(Case.agreed_amount_fen, 0)), else_=0)), 0),
                func.coalesce(func.sum(case((Case.accepted_on < period.start, 1), else_=0)), 0),
            ).where(_between(Case.closed_on, period)),
            scope, org_ids,
        ).group_by(month_col, Case.organization_id, Case.close_type)
    ).all()
    by_close = dict.fromkeys(_CLOSE_TYPES, 0)
    closed_m, success_m, on_time_m = dict(zero_month), dict(zero_month), dict(zero_month)
    org_closed: dict[int, list[int]] = {}  # oid -> [closed, success, on_time]
    kind_closed: dict[str, list[int]] = {}
    performed = ot = agreed_amount = closed_accepted_before = 0
    for m, oid, ctype, n, t, perf, amount, accepted_before in rows:
        closed_accepted_before += int(accepted_before)  # every closing date counts here, whatever its type
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
        performed += int(perf)
        ot += t
        agreed_amount += int(amount)
    hist = _days_to_close(session, period, scope, org_ids)
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
    out["avg_days_to_close"], out["median_days_to_close"] = _mean_median(hist)

    # --- open at start and at end (accepted, not yet closed) ---------------------------------
    # Only the cases open at the start are counted here (they were accepted before it: fewer rows than
    # everything accepted up to the end); the open at the end follow exactly from the passes above:
    #   open_end = open_start + accepted in the period − (accepted in the period and closed by its end)
    #              − (accepted before the period and closed in it)
    o_start = int(session.scalar(
        _scoped(
            select(func.count()).select_from(Case).where(
                Case.accepted_on < period.start, or_(Case.closed_on.is_(None), Case.closed_on >= period.start)),
            scope, org_ids,
        )
    ) or 0)
    out["open_start"] = o_start
    out["open_end"] = o_start + acc - acc_closed_by_end - closed_accepted_before

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


def _days_to_close(session: Session, period: Period, scope: Scope, org_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(days from acceptance to closing, cases) of the cases closed in the period with one of the five closing
    types, ascending: one narrow grouping (a single integer key) over the closed_on index range. The closing
    type is counted conditionally rather than filtered in WHERE, for the same index choice as the closed pass."""
    days = days_between(Case.accepted_on, Case.closed_on)
    rows = session.execute(
        _scoped(
            select(days, func.coalesce(func.sum(case((Case.close_type.in_(_CLOSE_TYPES), 1), else_=0)), 0))
            .where(_between(Case.closed_on, period)),
            scope, org_ids,
        ).group_by(days)
    ).all()
    return sorted((int(d), int(n)) for d, n in rows if d is not None and n)


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

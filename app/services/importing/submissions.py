"""Sending files upward and merging them at the district (domain.md §7).

Township side:
- ``app.exports.submissions.prepare_submission`` runs an export (case-ledger, enterprise-roster,
  mediator-roster) and stamps its manifest (``manifest.stamp_manifest``, :func:`sender_entries`,
  :func:`export_params` here) with the sending organization, region code, period and a checksum of the
  visible cells.
- A township with nothing to report sends a 零上报 (the ``nil-report`` export kind,
  app/exports/kinds/nil_report.py), so the district can tell "no cases" from "not reported".

District side:
- importing a stamped file records a :class:`~db.models.Submission` (who, which period, when, which file,
  checksum, counts); a nil report is registered with :func:`register_nil_report`;
- :func:`submissions_board` gives each township × period: received (when, which file) / nil / missing;
- :func:`township_figures` computes the figures by township (with the district total) for the board, and
  ``app.exports.submissions.combined_outputs`` writes the combined 附件2 roster, case ledger and statistics
  table by organization through the existing export kinds (exports sit above services, so the functions that
  run exports live there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.services.auth import MERGE, require
from app.services.importing.manifest import (
    NIL_KIND,
    PERIOD,
    PERIOD_LABEL,
    REPORT_KIND,
    SENDER_NAME,
    SENDER_REGION,
    SENDER_UUID,
    ManifestInfo,
    parse_manifest,
    period_label,
)
from app.services.importing.reader import ImportFileError, open_source
from app.services.stats.rates import success_columns
from db.enums import SUCCESS_CLOSE_TYPES
from db.models import Case, Organization, Submission

#: What a township sends upward, in the order of the board's kind selector.
REPORT_KINDS: dict[str, str] = {
    "case-ledger": "调解案件登记台账",
    "enterprise-roster": "联系企业名册（附件2）",
    "mediator-roster": "调解员名册",
}
TOWNSHIP_KIND = "21"  # org_kind code of 乡镇(街道)劳动人事争议调解组织

STATE_RECEIVED = "received"
STATE_NIL = "nil"
STATE_MISSING = "missing"
STATE_LABELS = {STATE_RECEIVED: "已报送", STATE_NIL: "零上报", STATE_MISSING: "未报送"}


# ---------------------------------------------------------------------------------------------
# Periods


def period_range(period: str) -> tuple[date, date]:
    """First and last day of '2026Q1', '2026-03' or '2026'."""
    from app.services.formatting import quarter_range

    if len(period) == 6 and period[4] == "Q":
        return quarter_range(int(period[:4]), int(period[5]))
    if len(period) == 7 and period[4] == "-":
        y, m = int(period[:4]), int(period[5:])
        end = date(y + (m == 12), m % 12 + 1, 1)
        from datetime import timedelta

        return date(y, m, 1), end - timedelta(days=1)
    if len(period) == 4 and period.isdigit():
        return date(int(period), 1, 1), date(int(period), 12, 31)
    raise ValueError(f"报送期间“{period}”应写成 2026Q1、2026-03 或 2026")


def make_period(year: int, quarter: int | None = None, month: int | None = None) -> str:
    if quarter:
        return f"{year}Q{quarter}"
    if month:
        return f"{year}-{month:02d}"
    return str(year)


def quarters(year: int) -> list[str]:
    return [f"{year}Q{q}" for q in range(1, 5)]


# ---------------------------------------------------------------------------------------------
# Township side


def sender_entries(org: Organization, period: str) -> dict[str, str]:
    return {
        SENDER_UUID: org.uuid,
        SENDER_NAME: org.name,
        SENDER_REGION: org.street_code or org.region_code or "",
        PERIOD: period,
        PERIOD_LABEL: period_label(period),
    }


def export_params(kind: str, org: Organization, period: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """The export parameters that limit ``kind`` to ``org`` and ``period``."""
    lo, hi = period_range(period)
    out: dict[str, Any] = dict(params or {})
    if kind == "case-ledger":
        out.setdefault("org", org.id)
        out.setdefault("date_from", lo)
        out.setdefault("date_to", hi)
        out.setdefault("unit", org.name)
    elif kind == "mediator-roster":
        out.setdefault("org", org.id)
        out.setdefault("date_to", hi)
        out.setdefault("unit", org.name)
    elif kind == "enterprise-roster":
        out.setdefault("as_of", hi)
        out.setdefault("unit", org.name)
    return out


# ---------------------------------------------------------------------------------------------
# District side: recording what arrived


def _match_org(session: Session, info: ManifestInfo) -> Organization | None:
    if info.sender_uuid:
        org = session.scalar(select(Organization).where(Organization.uuid == info.sender_uuid))
        if org is not None:
            return org
    name = info.sender_label
    if name:
        return session.scalar(select(Organization).where(Organization.name == name).limit(1))
    return None


def record_submission(session: Session, ctx, result) -> int | None:
    """Called by the import's commit for a file with a manifest: keep a 报送 record (in the same transaction)."""
    info: ManifestInfo = ctx.manifest
    ref = ctx.orgs.default
    if info is None or (ref is None and not info.sender_label):
        return None
    require(session, MERGE)  # 汇总下级报送: 统计/审核 and 管理员 (issue 16)
    org = None
    if ref is not None and ref.id is None and ref.how == "sender":
        ctx.orgs.ensure(ref, ctx)  # a file with no rows still names its sender: the board needs the row
    if ref is not None and ref.id is not None:
        org = session.get(Organization, ref.id)
    if org is None:
        org = _match_org(session, info)
    notes = [p for p in result.problems if p.row == 0]
    checksum_ok = None
    if info.checksum:
        checksum_ok = not any("校验值不一致" in p.message for p in notes)
    sub = Submission(
        organization_id=org.id if org else None,
        organization_uuid=info.sender_uuid or (org.uuid if org else None),
        organization_name=info.sender_label or (org.name if org else ""),
        region_code=info.region_code or (org.region_code if org else None),
        kind=info.report_kind or ctx.plan.target,
        period=info.period or "",
        nil=False,
        received_at=datetime.now().replace(microsecond=0),
        file_name=Path(ctx.plan.path).name[:260],
        checksum=info.checksum or None,
        checksum_ok=checksum_ok,
        generated_at=info.generated_at or None,
        app_version=(info.app_version or None),
        record_count=result.added + result.updated + result.unchanged + result.skipped_existing + result.repeated + result.rejected,
        added=result.added,
        updated=result.updated,
        unchanged=result.unchanged,
        rejected=result.rejected,
        note="；".join(p.message for p in notes)[:2000] or None,
    )
    session.add(sub)
    session.flush()
    return sub.id


def read_nil_report(path: Path | str) -> ManifestInfo:
    with open_source(path) as src:
        info = parse_manifest(src.manifest())
    if info is None or not info.nil:
        raise ImportFileError(f"“{Path(path).name}”不是零上报文件。")
    return info


def register_nil_report(session_factory: sessionmaker[Session], path: Path | str) -> Submission:
    """Record a 零上报 file at the district; the sending organization is created when it is not there yet."""
    info = read_nil_report(path)
    if not info.sender_label:
        raise ImportFileError("零上报文件没有注明报送单位，无法登记。")
    with session_factory.begin() as s:
        require(s, MERGE)
        org = _match_org(s, info)
        if org is None:
            from app.services.importing.orgs import guess_org_kind

            code = info.region_code or ""
            region = code[:6] if len(code) >= 6 and code[:6].isdigit() else None
            street = code if len(code) in (9, 12) and code.isdigit() else None
            org = Organization(name=info.sender_label, kind=guess_org_kind(info.sender_label), region_code=region,
                               street_code=street)
            if info.sender_uuid:
                org.uuid = info.sender_uuid
            s.add(org)
            s.flush()
        sub = Submission(
            organization_id=org.id,
            organization_uuid=info.sender_uuid or org.uuid,
            organization_name=info.sender_label,
            region_code=info.region_code or org.region_code,
            kind=info.report_kind or "case-ledger",
            period=info.period,
            nil=True,
            received_at=datetime.now().replace(microsecond=0),
            file_name=Path(path).name[:260],
            generated_at=info.generated_at or None,
            app_version=info.app_version or None,
            record_count=0,
            note=info.raw.get("note") or None,
        )
        s.add(sub)
        s.flush()
        s.expunge(sub)
        return sub


# ---------------------------------------------------------------------------------------------
# The board


@dataclass(frozen=True)
class BoardCell:
    state: str  # received / nil / missing
    received_at: datetime | None = None
    file_name: str = ""
    record_count: int = 0
    checksum_ok: bool | None = None
    times: int = 0  # how many files arrived for this cell (re-sent files)
    note: str = ""

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def text(self) -> str:
        if self.state == STATE_MISSING:
            return "未报送"
        when = self.received_at.strftime("%m-%d %H:%M") if self.received_at else ""
        if self.state == STATE_NIL:
            return f"零上报 {when}".strip()
        again = f"（第{self.times}次）" if self.times > 1 else ""
        return f"已报送 {self.record_count}条 {when}{again}".strip()

    @property
    def tooltip(self) -> str:
        if self.state == STATE_MISSING:
            return "尚未收到该期间的报送文件或零上报"
        lines = [f"{self.label}：{self.file_name}", f"收到时间：{self.received_at:%Y-%m-%d %H:%M}" if self.received_at else ""]
        if self.state == STATE_RECEIVED:
            lines.append(f"记录数：{self.record_count}")
        if self.checksum_ok is False:
            lines.append("注意：文件在导出后被手工改动过")
        if self.times > 1:
            lines.append(f"共收到 {self.times} 次（以最后一次为准）")
        if self.note:
            lines.append(self.note)
        return "\n".join(x for x in lines if x)


@dataclass
class BoardRow:
    organization_id: int | None
    name: str
    region_code: str
    cells: dict[str, BoardCell] = field(default_factory=dict)


@dataclass
class Board:
    kind: str
    periods: list[str]
    rows: list[BoardRow]

    def count(self, period: str, state: str) -> int:
        return sum(1 for r in self.rows if r.cells[period].state == state)


def submissions_board(session: Session, kind: str = "case-ledger", periods: Iterable[str] | None = None) -> Board:
    """Each township (乡镇(街道) organizations, and any organization that sent something) × period."""
    periods = list(periods or quarters(date.today().year))
    subs = session.scalars(
        select(Submission).where(Submission.kind == kind, Submission.period.in_(periods)).order_by(Submission.received_at, Submission.id)
    ).all()
    orgs = session.scalars(
        select(Organization).where(or_(Organization.kind == TOWNSHIP_KIND, Organization.id.in_(
            select(Submission.organization_id).where(Submission.organization_id.is_not(None))
        ))).order_by(Organization.region_code, Organization.name)
    ).all()
    rows: dict[str, BoardRow] = {}
    by_id: dict[int, str] = {}
    for o in orgs:
        key = o.uuid
        rows[key] = BoardRow(o.id, o.name, o.street_code or o.region_code or "")
        by_id[o.id] = key
    latest: dict[tuple[str, str], list[Submission]] = {}
    for sub in subs:
        key = by_id.get(sub.organization_id) if sub.organization_id else None
        key = key or sub.organization_uuid or sub.organization_name
        if key not in rows:
            rows[key] = BoardRow(sub.organization_id, sub.organization_name, sub.region_code or "")
        latest.setdefault((key, sub.period), []).append(sub)
    for key, row in rows.items():
        for p in periods:
            got = latest.get((key, p))
            if not got:
                row.cells[p] = BoardCell(STATE_MISSING)
                continue
            last = got[-1]
            row.cells[p] = BoardCell(
                STATE_NIL if last.nil else STATE_RECEIVED,
                last.received_at,
                last.file_name,
                last.record_count,
                last.checksum_ok,
                len(got),
                last.note or "",
            )
    return Board(kind, periods, list(rows.values()))


# ---------------------------------------------------------------------------------------------
# Statistics by township


@dataclass
class TownshipFigures:
    organization_id: int | None
    name: str
    region_code: str = ""
    received: int = 0
    accepted: int = 0
    closed: int = 0
    success: int = 0
    collective: int = 0
    workers: int = 0
    claim_fen: int = 0
    agreed_fen: int = 0

    @property
    def rate(self) -> float | None:
        return self.success / self.closed if self.closed else None

    def add(self, other: TownshipFigures) -> None:
        for k in ("received", "accepted", "closed", "success", "collective", "workers", "claim_fen", "agreed_fen"):
            setattr(self, k, getattr(self, k) + getattr(other, k))


FIGURE_LABELS = {
    "received": "收案数",
    "accepted": "受理数",
    "closed": "调解结案数",
    "success": "调解成功数",
    "rate": "调解成功率",
    "collective": "集体争议数",
    "workers": "涉及劳动者人数",
    "claim_fen": "请求金额（元）",
    "agreed_fen": "协议金额（元）",
}


def township_figures(session: Session, period: str, organization_ids: Iterable[int] | None = None) -> tuple[list[TownshipFigures], TownshipFigures]:
    """Per organization: cases received, accepted and closed in ``period`` (MA1 definitions), and the total.

    收案 counts 收到申请日期 in the period; 受理 (and 涉及劳动者, 请求金额, 集体争议) the 受理日期; 结案, 成功 and
    协议金额 the 结案日期 with one of the five closing types; 调解成功率 = 成功 ÷ 结案.
    """
    lo, hi = period_range(period)
    settled = [t.value for t in SUCCESS_CLOSE_TYPES]  # cases ending in an agreement: 协议金额
    live = Case.deleted_at.is_(None)
    figures: dict[int, TownshipFigures] = {}
    orgs = session.execute(select(Organization.id, Organization.name, Organization.region_code, Organization.kind)
                           .order_by(Organization.region_code, Organization.name)).all()
    wanted = set(organization_ids) if organization_ids is not None else None
    for oid, name, region, _kind in orgs:
        if wanted is None or oid in wanted:
            figures[oid] = TownshipFigures(oid, name, region or "")

    def each(stmt, fn):
        for row in session.execute(stmt):
            if row[0] in figures:
                fn(figures[row[0]], *row[1:])

    each(select(Case.organization_id, func.count()).where(live, Case.received_on.between(lo, hi)).group_by(Case.organization_id),
         lambda f, n: setattr(f, "received", int(n)))

    def acc(f, n, w, c, col):
        f.accepted, f.workers, f.claim_fen, f.collective = int(n), int(w or 0), int(c or 0), int(col or 0)

    each(select(Case.organization_id, func.count(), func.sum(Case.workers), func.sum(Case.claim_amount_fen),
                func.sum(sql_case((Case.is_collective.is_(True), 1), else_=0)))
         .where(live, Case.accepted_on.between(lo, hi)).group_by(Case.organization_id), acc)

    def clo(f, n, s_, a):
        f.closed, f.success, f.agreed_fen = int(n), int(s_ or 0), int(a or 0)

    each(select(Case.organization_id, *success_columns(session),
                func.sum(sql_case((Case.close_type.in_(settled), func.coalesce(Case.agreed_amount_fen, 0)), else_=0)))
         .where(live, Case.closed_on.between(lo, hi)).group_by(Case.organization_id), clo)
    rows = [f for f in figures.values() if wanted is not None or f.received or f.accepted or f.closed
            or session.scalar(select(func.count()).select_from(Organization).where(Organization.id == f.organization_id, Organization.kind == TOWNSHIP_KIND))]
    total = TownshipFigures(None, "合计")
    for f in rows:
        total.add(f)
    return rows, total


__all__ = [
    "NIL_KIND",
    "REPORT_KIND",
    "REPORT_KINDS",
    "Board",
    "BoardCell",
    "BoardRow",
    "TownshipFigures",
    "make_period",
    "period_range",
    "record_submission",
    "register_nil_report",
    "submissions_board",
    "township_figures",
]

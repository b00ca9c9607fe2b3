"""金牌调解组织 self-assessment: each criterion of domain.md §6 (seed 003) as met / not met / unknown.

A criterion is decided, in this order, by
- the data (``source='data'``): the roster (full-time and part-time mediators, backgrounds, trainings) and
  the case log (annual success rate, entrusted cases, agreements sent for review, the electronic ledger);
- the organization's profile (``source='profile'``): standard name, signage, systems checklist, online
  platform, complaints channel, premises and equipment;
- a tick by hand with a note (``source='hand'``), kept in ``GoldAssessment.items`` for the organization and
  year. A data or profile criterion whose data says nothing (e.g. no case closed yet) is *unknown* and may
  be ticked by hand too; a decided one may not, so the figures cannot be overruled by a tick.

The evaluation day is the last day of the year, or today while the year is running.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import ActionRefused
from app.services.formatting import format_date_cn, format_percent
from app.services.mediators import EXPERT_BACKGROUNDS
from app.services.organizations import (
    MECHANISM_KEYS,
    SUCCESS_RATE_DEFINITION,
    SUCCESS_THRESHOLD,
    SYSTEM_KEYS,
    SYSTEM_LABELS,
    SuccessRate,
    standard_name_warning,
    success_rate,
    year_figures,
)
from db.lookups import MEDIATOR_BACKGROUND, lookup_labels
from db.models import GoldAssessment, Mediator, MediatorTraining, Organization

MET = "met"
UNMET = "unmet"
UNKNOWN = "unknown"
STATUS_LABELS = {MET: "达到", UNMET: "未达到", UNKNOWN: "待确认"}
SOURCE_LABELS = {"data": "按数据计算", "profile": "按组织档案", "hand": "人工确认"}

DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("institution", "制度机制全"),
    ("professional", "专业程度高"),
    ("service", "服务能力优"),
    ("support", "基础保障好"),
)
DIMENSION_LABELS = dict(DIMENSIONS)

#: A 「比较稳定的兼职调解员队伍」: at least this many part-timers serving, as many of them for a year or more.
STABLE_PART_TIMERS = 2


@dataclass(frozen=True)
class Criterion:
    key: str
    dimension: str
    label: str
    source: str  # 'data' / 'profile' / 'hand'
    basis: str  # how it is decided (tooltip)


CRITERIA: tuple[Criterion, ...] = (
    Criterion("standard_name", "institution", "有统一规范名称", "profile",
              "按组织类型检查名称，如街道调解组织应为“××街道劳动人事争议调解中心”。"),
    Criterion("emblem", "institution", "在调解室悬挂国家统一的调解组织挂徽和标识", "profile",
              "组织档案“标识”一项。"),
    Criterion("systems", "institution", "建立健全九项工作制度", "profile",
              "组织档案“制度建设”：" + "、".join(SYSTEM_LABELS[k].removesuffix("制度") for k in SYSTEM_KEYS) + "。"),
    Criterion("mechanisms", "institution", "建立重大集体劳动人事争议风险预警、应急调处机制", "profile",
              "组织档案“制度建设”中的两项机制。"),
    Criterion("full_time", "professional", "至少配备1名专职调解员", "data",
              "调解员名册中评估日在任的专职调解员人数。"),
    Criterion("part_time", "professional", "有比较稳定的兼职调解员队伍", "data",
              f"评估日在任的兼职调解员不少于{STABLE_PART_TIMERS}名，且其中至少{STABLE_PART_TIMERS}名任职满1年。"),
    Criterion("experts", "professional", "吸纳法学专家、律师、法官、仲裁员等充实兼职调解员队伍", "data",
              "在任兼职调解员中背景为法学专家、律师、退休法官、退休检察官或仲裁员的人数。"),
    Criterion("training", "professional", "组织调解员参加人社、工会、工商联、企联等部门的培训", "data",
              "本年度本组织调解员的培训记录。"),
    Criterion("success_rate", "professional", "年度调解成功率不低于65%", "data", SUCCESS_RATE_DEFINITION),
    Criterion("standard_process", "service", "按标准化业务流程规范接待、咨询、受理、调解，使用统一调解文书", "hand",
              "由调解组织对照《基层劳动人事争议调解工作规范》自评。"),
    Criterion("entrusted", "service", "根据仲裁机构或人民法院的委托开展调解", "data",
              "本年度收到的案件中来源为“仲裁委托/案前调解”或“法院委托/诉前调解”的件数。"),
    Criterion("online_platform", "service", "使用全国劳动人事争议在线调解服务平台或其他“互联网+调解”平台", "profile",
              "组织档案“使用在线调解平台”一项。"),
    Criterion("complaints", "service", "畅通投诉举报渠道，积极回应当事人意见建议", "profile",
              "组织档案“设有投诉举报渠道”一项。"),
    Criterion("premises", "support", "设置专门的接待场所和调解室", "profile", "组织档案“场所与设施”中的接待场所、调解室。"),
    Criterion("equipment", "support", "配有电脑、打印机、复印机等办案办公设备", "profile",
              "组织档案“场所与设施”中的电脑、打印机、复印机。"),
    Criterion("e_ledger", "support", "建立健全业务工作电子台账", "data", "本年度在本系统案件台账中登记的案件。"),
    Criterion("review", "support", "及时完成调解协议仲裁审查确认、司法确认", "data",
              "本年度申请仲裁审查确认或司法确认的调解协议件数。"),
)
CRITERIA_BY_KEY: dict[str, Criterion] = {c.key: c for c in CRITERIA}


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    status: str
    detail: str
    decided_by: str  # 'data' / 'profile' / 'hand' / '' (unknown)
    note: str = ""
    editable: bool = False  # may be ticked by hand (hand criteria, and data ones the data leaves open)

    @property
    def key(self) -> str:
        return self.criterion.key

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Assessment:
    org_id: int
    org_name: str
    year: int
    on: date
    results: tuple[CriterionResult, ...]
    success: SuccessRate
    notes: str | None = None

    def result(self, key: str) -> CriterionResult:
        return next(r for r in self.results if r.key == key)

    def status(self, key: str) -> str:
        return self.result(key).status

    @property
    def met(self) -> list[CriterionResult]:
        return [r for r in self.results if r.status == MET]

    @property
    def unmet(self) -> list[CriterionResult]:
        return [r for r in self.results if r.status == UNMET]

    @property
    def unknown(self) -> list[CriterionResult]:
        return [r for r in self.results if r.status == UNKNOWN]

    def by_dimension(self) -> list[tuple[str, str, list[CriterionResult]]]:
        return [(key, label, [r for r in self.results if r.criterion.dimension == key]) for key, label in DIMENSIONS]

    def missing(self) -> list[str]:
        """What stands between the organization and the title, one line per criterion not met or unknown."""
        out = []
        for r in self.unmet + self.unknown:
            tag = "未达到" if r.status == UNMET else "待确认"
            out.append(f"【{DIMENSION_LABELS[r.criterion.dimension]}】{r.criterion.label}（{tag}：{r.detail}）")
        return out

    def summary(self) -> str:
        """One sentence with the counts; :meth:`missing` lists the items themselves."""
        total = len(self.results)
        if not self.unmet and not self.unknown:
            return f"{self.year}年度对照金牌调解组织四个方面{total}项标准，已全部达到。"
        parts = [f"{self.year}年度对照四个方面{total}项标准：达到{len(self.met)}项"]
        if self.unmet:
            parts.append(f"未达到{len(self.unmet)}项")
        if self.unknown:
            parts.append(f"待确认{len(self.unknown)}项")
        return "，".join(parts) + "。尚需改进或确认的项目如下："


def evaluation_day(year: int, today: date | None = None) -> date:
    today = today or date.today()
    return min(date(year, 12, 31), today) if year >= today.year else date(year, 12, 31)


def _flags(values: dict[str, Any] | None, keys) -> tuple[list[str], list[str], list[str]]:
    """(present, absent, not recorded) keys of a JSON checklist."""
    values = values or {}
    present = [k for k in keys if values.get(k) is True]
    absent = [k for k in keys if k in values and values.get(k) is not True]
    unknown = [k for k in keys if k not in values]
    return present, absent, unknown


def _checklist(values, keys, labels: dict[str, str], what: str) -> tuple[str, str]:
    present, absent, unknown = _flags(values, keys)
    if absent:
        return UNMET, "缺少" + "、".join(labels[k] for k in absent)
    if unknown:
        return UNKNOWN, f"组织档案中未填写{what}：" + "、".join(labels[k] for k in unknown)
    return MET, "已具备" + "、".join(labels[k] for k in present)


def _roster_figures(session: Session, org_id: int, on: date, year: int) -> dict[str, Any]:
    serving = and_(
        or_(Mediator.appointed_on.is_(None), Mediator.appointed_on <= on),
        or_(Mediator.left_on.is_(None), Mediator.left_on > on),
    )
    year_ago = on - timedelta(days=365)
    seasoned = or_(Mediator.appointed_on.is_(None), Mediator.appointed_on <= year_ago)
    part = Mediator.full_time.is_(False)
    full, part_n, part_seasoned, experts = session.execute(
        select(
            func.coalesce(func.sum(case((Mediator.full_time.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((part, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(part, seasoned), 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(part, Mediator.background.in_(EXPERT_BACKGROUNDS)), 1), else_=0)), 0),
        ).where(Mediator.organization_id == org_id, serving)
    ).one()
    expert_backgrounds = list(
        session.execute(
            select(Mediator.background, func.count())
            .where(Mediator.organization_id == org_id, serving, part, Mediator.background.in_(EXPERT_BACKGROUNDS))
            .group_by(Mediator.background)
        )
    )
    lo, hi = date(year, 1, 1), date(year + 1, 1, 1)
    sessions, people, minutes = session.execute(
        select(
            func.count(MediatorTraining.id),
            func.count(func.distinct(MediatorTraining.mediator_id)),
            func.coalesce(func.sum(MediatorTraining.minutes), 0),
        )
        .join(Mediator, Mediator.id == MediatorTraining.mediator_id)
        .where(Mediator.organization_id == org_id, MediatorTraining.held_on >= lo, MediatorTraining.held_on < hi)
    ).one()
    return {
        "full": int(full),
        "part": int(part_n),
        "part_seasoned": int(part_seasoned),
        "experts": int(experts),
        "expert_backgrounds": expert_backgrounds,
        "trainings": int(sessions),
        "trained_people": int(people),
        "training_minutes": int(minutes),
    }


def assess(session: Session, org_id: int, year: int, *, today: date | None = None) -> Assessment:
    """The self-assessment of one organization for one year, decided from data, profile and hand ticks."""
    org = session.get(Organization, org_id)
    if org is None:
        raise ActionRefused(f"找不到编号为 {org_id} 的调解组织，可能已被删除")
    on = evaluation_day(year, today)
    saved = session.scalar(
        select(GoldAssessment).where(GoldAssessment.organization_id == org_id, GoldAssessment.year == year)
    )
    hand: dict[str, dict[str, Any]] = dict((saved.items or {}) if saved else {})
    roster = _roster_figures(session, org_id, on, year)
    figs = year_figures(session, org_id, [year])[year]
    success = success_rate(session, org_id, year)  # the statistics service's count (app/services/stats/rates.py)
    backgrounds = lookup_labels(session, MEDIATOR_BACKGROUND)

    decided: dict[str, tuple[str, str]] = {}
    warn = standard_name_warning(org.name, org.kind)
    decided["standard_name"] = (UNMET, warn.split("（仅提示")[0]) if warn else (MET, f"“{org.name}”")
    signage = org.signage or {}
    if "emblem" not in signage:
        decided["emblem"] = (UNKNOWN, "组织档案中未填写是否悬挂挂徽和标识")
    else:
        decided["emblem"] = (MET, "已悬挂") if signage.get("emblem") is True else (UNMET, "组织档案记载未悬挂")
    decided["systems"] = _checklist(org.systems, SYSTEM_KEYS, SYSTEM_LABELS, "制度建设情况")
    decided["mechanisms"] = _checklist(org.systems, MECHANISM_KEYS, SYSTEM_LABELS, "机制建设情况")

    day = format_date_cn(on)
    decided["full_time"] = (
        (MET, f"{day}在任专职调解员 {roster['full']} 名")
        if roster["full"] >= 1
        else (UNMET, f"{day}没有在任的专职调解员")
    )
    part_ok = roster["part"] >= STABLE_PART_TIMERS and roster["part_seasoned"] >= STABLE_PART_TIMERS
    decided["part_time"] = (
        MET if part_ok else UNMET,
        f"在任兼职调解员 {roster['part']} 名，其中任职满1年的 {roster['part_seasoned']} 名",
    )
    if roster["experts"]:
        kinds = "、".join(f"{backgrounds.get(b, b)}{n}名" for b, n in roster["expert_backgrounds"])
        decided["experts"] = (MET, f"兼职调解员中有{kinds}")
    else:
        decided["experts"] = (UNMET, "在任兼职调解员中没有法学专家、律师、法官、检察官或仲裁员")
    if roster["trainings"]:
        hours = roster["training_minutes"] / 60
        decided["training"] = (
            MET,
            f"{year}年调解员参加培训 {roster['trainings']} 人次（{roster['trained_people']} 人），共 {hours:g} 学时",
        )
    else:
        decided["training"] = (UNMET, f"{year}年没有调解员参加培训的记录")
    if success.closed == 0:
        decided["success_rate"] = (UNKNOWN, f"{year}年尚无结案案件，无法计算调解成功率")
    else:
        rate_text = (
            f"{year}年结案 {success.closed} 件，调解成功 {success.success} 件，成功率 {format_percent(success.rate)}"
        )
        decided["success_rate"] = (MET if success.rate >= SUCCESS_THRESHOLD else UNMET, rate_text)
    decided["entrusted"] = (
        (MET, f"{year}年受托调解仲裁、法院委托案件 {figs.entrusted} 件")
        if figs.entrusted
        else (UNMET, f"{year}年没有仲裁机构或人民法院委托调解的案件")
    )
    decided["online_platform"] = (MET, "使用在线调解平台") if org.online_platform else (UNMET, "组织档案记载未使用在线调解平台")
    decided["complaints"] = (MET, "设有投诉举报渠道") if org.complaints_channel else (UNMET, "组织档案记载未设投诉举报渠道")
    fac_labels = {"reception": "接待场所", "mediation_room": "调解室", "computer": "电脑", "printer": "打印机", "copier": "复印机"}
    decided["premises"] = _checklist(org.facilities, ("reception", "mediation_room"), fac_labels, "场所")
    decided["equipment"] = _checklist(org.facilities, ("computer", "printer", "copier"), fac_labels, "设备")
    decided["e_ledger"] = (
        (MET, f"{year}年在本系统电子台账中登记案件 {figs.received} 件")
        if figs.received
        else (UNKNOWN, f"{year}年本系统台账中没有登记案件；如在其他系统建有电子台账，请人工确认")
    )
    if figs.reviewed:
        decided["review"] = (
            MET,
            f"{year}年申请仲裁审查确认 {figs.reviewed_arbitration} 件、司法确认 {figs.reviewed_judicial} 件",
        )
    elif figs.success:
        decided["review"] = (UNMET, f"{year}年调解成功 {figs.success} 件，均未申请仲裁审查确认或司法确认")
    else:
        decided["review"] = (UNKNOWN, f"{year}年没有调解成功的案件")

    results = []
    for c in CRITERIA:
        entry = hand.get(c.key) or {}
        note = str(entry.get("note") or "")
        ticked = entry.get("met")
        if c.source == "hand":
            status = UNKNOWN if ticked is None else (MET if ticked else UNMET)
            detail = "已人工确认" if ticked is not None else "尚未人工确认"
            results.append(CriterionResult(c, status, detail, "hand" if ticked is not None else "", note, True))
            continue
        status, detail = decided[c.key]
        if status == UNKNOWN and ticked is not None:
            results.append(
                CriterionResult(c, MET if ticked else UNMET, detail + "（已人工确认）", "hand", note, True)
            )
        else:
            results.append(CriterionResult(c, status, detail, c.source if status != UNKNOWN else "", note, status == UNKNOWN))
    return Assessment(org.id, org.name, year, on, tuple(results), success, saved.notes if saved else None)


def save_assessment(
    session_factory: sessionmaker[Session],
    org_id: int,
    year: int,
    items: Mapping[str, Mapping[str, Any]],
    notes: str | None = None,
) -> None:
    """Store the hand ticks and notes (``{key: {"met": True/False/None, "note": "…"}}``) in one transaction.

    A tick on a criterion the data decides is stored but has no effect while the data decides it.
    """
    unknown = set(items) - set(CRITERIA_BY_KEY)
    if unknown:
        raise ValueError(f"未知的评估项目：{'、'.join(sorted(unknown))}")
    if not 2000 <= int(year) <= 2100:
        raise ValueError(f"年度不正确：{year}")
    with session_factory.begin() as s:
        if s.get(Organization, org_id) is None:
            raise ActionRefused(f"找不到编号为 {org_id} 的调解组织，可能已被删除")
        row = s.scalar(select(GoldAssessment).where(GoldAssessment.organization_id == org_id, GoldAssessment.year == year))
        if row is None:
            row = GoldAssessment(organization_id=org_id, year=year, items={})
            s.add(row)
        merged = dict(row.items or {})
        for key, entry in items.items():
            met = entry.get("met")
            if met not in (True, False, None):
                raise ValueError(f"评估项目 {key} 的结论应为 是/否/未确认")
            note = str(entry.get("note") or "").strip()
            if len(note) > 500:
                raise ValueError(f"“{CRITERIA_BY_KEY[key].label}”的说明最多500字")
            if met is None and not note:
                merged.pop(key, None)
            else:
                merged[key] = {"met": met, "note": note}
        row.items = merged  # a new dict, so the JSON column is written
        if notes is not None:
            row.notes = notes.strip() or None

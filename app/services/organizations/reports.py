"""The 工作报告 of an organization: the clerk's text per section and year (ReportText kind 'work-report'),
the paragraphs drafted from the data (:func:`work_report_drafts`), and the closed cases offered for a
典型案例 (:func:`typical_case_candidates`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import ActionRefused
from app.services.organizations.constants import FACILITY_ITEMS, MECHANISM_KEYS, SYSTEM_KEYS, SYSTEM_LABELS
from app.services.organizations.figures import period_totals, recent_years, year_figures
from app.services.organizations.profile import get_organization
from app.services.report_texts import load_report_texts, save_report_texts
from app.services.stats.rates import CLOSE_TYPES, SETTLED_TYPES
from db.models import Case, Organization

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
        .where(Case.organization_id == org_id, Case.deleted_at.is_(None), Case.close_type.in_(CLOSE_TYPES))
        .order_by(
            case((Case.close_type.in_(SETTLED_TYPES), 0), else_=1),
            Case.closed_on.desc(),
            Case.workers.desc(),
        )
        .limit(limit)
    )
    if year:
        stmt = stmt.where(Case.closed_on >= date(year, 1, 1), Case.closed_on < date(year + 1, 1, 1))
    return [CaseChoice(*row) for row in session.execute(stmt)]


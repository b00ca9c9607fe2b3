"""One organization: read (:func:`get_organization`), validate, create, update and delete.

Every write is one transaction (``with session_factory.begin()``): the input is validated first
(:class:`~app.services.validation.ValidationError`, whose ``field`` is the Chinese label of the field the
dialog marks), and only then written; an error anywhere rolls everything back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import ActionRefused, SaveResult
from app.services.organizations.constants import (
    DEFAULT_TITLE,
    FACILITY_LABELS,
    SIGNAGE_LABELS,
    SYSTEM_LABELS,
    TITLE_LEVELS,
)
from app.services.organizations.figures import case_count
from app.services.organizations.listing import _mediator_active
from app.services.organizations.records import create_with_children, update_with_children
from app.services.regions import check_region_code, region_name
from app.services.validation import (
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
from db.lookups import ORG_KIND, lookup_labels
from db.models import CaseMediator, GoldAssessment, Mediator, Organization, OrganizationTitle, ReportText


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


_STREET_RE = re.compile(r"\d{9}(\d{3})?")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


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

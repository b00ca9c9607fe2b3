"""协调劳动关系社会组织台账 (seed 002 (三)(3): 「动态掌握劳动关系领域社会组织和工作人员的数量、规模状况、行业分布以及
工作开展情况」): organizations with a checked 统一社会信用代码, the services they provide, satisfaction surveys,
government-purchased service projects, and the figures by industry and by size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.services.ledgers.common import (
    SCORES,
    SIZES,
    SOCIAL_ORG_KINDS,
    SOCIAL_SERVICES,
    audit,
    choice,
    required_text,
)
from app.services.validation import (
    ValidationError,
    check_credit_code,
    check_date_order,
    check_phone,
    limited_text,
    long_text,
    parse_int_optional,
)
from db.models import SocialOrg, SocialOrgProject, SocialOrgSurvey

ATTRS = ("name", "credit_code", "kind", "size", "industry", "staff", "services", "contact", "phone", "address",
         "established", "remark")


@dataclass
class SocialOrgInput:
    name: str
    credit_code: str | None = None
    kind: str | None = None
    size: str | None = None  # 大/中/小/微 or 大型…
    industry: str | None = None
    staff: int | None = None
    services: tuple[str, ...] = ()  # tokens or labels of SOCIAL_SERVICES
    contact: str | None = None
    phone: str | None = None
    address: str | None = None
    established: date | None = None
    remark: str | None = None


@dataclass(frozen=True)
class SocialOrgRow:
    id: int
    uuid: str
    name: str
    credit_code: str | None
    kind: str | None
    size: str | None
    industry: str | None
    staff: int | None
    services: tuple[str, ...]
    contact: str | None
    phone: str | None
    address: str | None
    established: date | None
    remark: str | None
    survey_count: int
    survey_average: float | None
    project_count: int
    project_amount_fen: int

    @property
    def size_label(self) -> str:
        return SIZES.get(self.size or "", "")

    @property
    def services_label(self) -> str:
        return "、".join(SOCIAL_SERVICES[s] for s in self.services if s in SOCIAL_SERVICES)


def parse_services(value: object) -> tuple[str, ...]:
    """Tokens from a list or a text like 「法律政策咨询、劳动纠纷调解」 (in the fixed order)."""
    if value is None or value == "":
        return ()
    items = value if isinstance(value, list | tuple | set) else str(value).replace("，", "、").replace(",", "、") \
        .replace(";", "、").replace("；", "、").replace("\n", "、").split("、")
    tokens = set()
    for item in items:
        text = str(item).strip()
        if text:
            tokens.add(choice(text, "提供服务", SOCIAL_SERVICES))
    return tuple(t for t in SOCIAL_SERVICES if t in tokens)


def check_social_org(data: SocialOrgInput) -> dict:
    size = limited_text(data.size, "规模", 4)
    if size:
        size = size.removesuffix("型")
        if size not in SIZES:
            raise ValidationError("规模", "规模：应为 大型、中型、小型、微型 之一")
    staff = parse_int_optional(data.staff, "工作人员数") if data.staff not in (None, "") else None
    if staff is not None and staff < 0:
        raise ValidationError("工作人员数", "工作人员数：不能为负数")
    values = {
        "name": required_text(data.name, "组织名称", 200),
        "credit_code": check_credit_code(data.credit_code).code if data.credit_code else None,
        "kind": choice(data.kind, "组织类型", SOCIAL_ORG_KINDS),
        "size": size,
        "industry": limited_text(data.industry, "所属行业", 60),
        "staff": staff,
        "services": list(parse_services(data.services)) or None,
        "contact": limited_text(data.contact, "联系人", 50),
        "phone": check_phone(data.phone) if data.phone else None,
        "address": limited_text(data.address, "地址", 300),
        "established": data.established,
        "remark": long_text(data.remark),
    }
    return values


def save_social_org(session: Session, data: SocialOrgInput, org_id: int | None = None, *,
                    user: str | None = None) -> SocialOrg:
    values = check_social_org(data)
    if values["credit_code"]:
        same = session.scalar(select(SocialOrg).where(SocialOrg.credit_code == values["credit_code"],
                                                      SocialOrg.id != (org_id or 0)))
        if same is not None:
            raise ValidationError("统一社会信用代码", f"统一社会信用代码：与已登记的“{same.name}”相同")
    if org_id is None:
        org = SocialOrg(**values)
        session.add(org)
        session.flush()
        audit(session, user, "create", "social_org", org.uuid, f"新增协调劳动关系社会组织 {org.name}", None, values)
        return org
    org = session.get(SocialOrg, org_id)
    if org is None:
        raise ValidationError("社会组织", "社会组织：该记录已不存在")
    before = {k: getattr(org, k) for k in ATTRS}
    for k, v in values.items():
        setattr(org, k, v)
    session.flush()
    audit(session, user, "update", "social_org", org.uuid, f"修改协调劳动关系社会组织 {org.name}", before, values)
    return org


def delete_social_org(session: Session, org_id: int, *, user: str | None = None) -> None:
    org = session.get(SocialOrg, org_id)
    if org is not None:
        audit(session, user, "delete", "social_org", org.uuid, f"删除协调劳动关系社会组织 {org.name}",
              {k: getattr(org, k) for k in ATTRS}, None)
        session.delete(org)
        session.flush()


def add_survey(session: Session, org_id: int, surveyed_on: date, score: int, *, respondent: str | None = None,
               opinions: str | None = None, user: str | None = None) -> SocialOrgSurvey:
    org = session.get(SocialOrg, org_id)
    if org is None:
        raise ValidationError("社会组织", "社会组织：该记录已不存在")
    if score not in SCORES:
        raise ValidationError("满意度", "满意度：应为 非常满意(4)、满意(3)、基本满意(2)、不满意(1) 之一")
    s = SocialOrgSurvey(org_id=org.id, surveyed_on=surveyed_on, score=score,
                        respondent=limited_text(respondent, "被调查对象", 200), opinions=long_text(opinions))
    session.add(s)
    session.flush()
    audit(session, user, "survey", "social_org", org.uuid, f"登记 {org.name} 的满意度调查：{SCORES[score]}")
    return s


def add_project(session: Session, org_id: int, year: int, name: str, *, buyer: str | None = None,
                amount_fen: int | None = None, service: str | None = None, start_on: date | None = None,
                end_on: date | None = None, result: str | None = None, user: str | None = None) -> SocialOrgProject:
    org = session.get(SocialOrg, org_id)
    if org is None:
        raise ValidationError("社会组织", "社会组织：该记录已不存在")
    if amount_fen is not None and amount_fen < 0:
        raise ValidationError("项目金额", "项目金额：不能为负数")
    check_date_order(start_on, end_on, "开始日期", "结束日期")
    p = SocialOrgProject(org_id=org.id, year=int(year), name=required_text(name, "项目名称", 200),
                         buyer=limited_text(buyer, "购买主体", 200), amount_fen=amount_fen,
                         service=choice(service, "服务类别", SOCIAL_SERVICES), start_on=start_on, end_on=end_on,
                         result=limited_text(result, "验收情况", 200))
    session.add(p)
    session.flush()
    audit(session, user, "project", "social_org", org.uuid, f"登记 {org.name} 承接的政府购买服务项目：{p.name}")
    return p


def list_social_orgs(session: Session) -> list[SocialOrgRow]:
    stmt = select(SocialOrg).options(selectinload(SocialOrg.surveys), selectinload(SocialOrg.projects))
    out = []
    for o in session.scalars(stmt.order_by(SocialOrg.name, SocialOrg.id)):
        scores = [s.score for s in o.surveys]
        out.append(SocialOrgRow(
            id=o.id, uuid=o.uuid, **{k: getattr(o, k) for k in ATTRS if k != "services"},
            services=tuple(o.services or ()), survey_count=len(scores),
            survey_average=round(sum(scores) / len(scores), 2) if scores else None,
            project_count=len(o.projects), project_amount_fen=sum(p.amount_fen or 0 for p in o.projects),
        ))
    return out


@dataclass(frozen=True)
class FigureRow:
    label: str
    orgs: int
    staff: int
    services: dict[str, int]  # token → organizations providing it


def social_org_figures(session: Session) -> dict[str, list[FigureRow]]:
    """Organizations, staff and services provided, by industry (``industry``) and by size (``size``)."""
    rows = list_social_orgs(session)

    def group(key) -> list[FigureRow]:
        buckets: dict[str, list[SocialOrgRow]] = defaultdict(list)
        for r in rows:
            buckets[key(r)].append(r)
        return [FigureRow(label, len(rs), sum(r.staff or 0 for r in rs),
                          {t: sum(1 for r in rs if t in r.services) for t in SOCIAL_SERVICES})
                for label, rs in buckets.items()]

    by_industry = sorted(group(lambda r: r.industry or "未填写"), key=lambda f: (-f.orgs, f.label))
    order = [*SIZES.values(), "未填写"]
    by_size = sorted(group(lambda r: r.size_label or "未填写"), key=lambda f: order.index(f.label))
    return {"industry": by_industry, "size": by_size}

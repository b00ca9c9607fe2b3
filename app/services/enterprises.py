"""企业名录: the directory of employers shared by cases, volunteers and surveys (no Qt).

The 统一社会信用代码 is checked (GB 32100) and unique; an entry whose exact name or code is already in the
directory is caught when it is typed (:func:`find_duplicates`) and refused on save with a Chinese message,
so the same company is not entered twice. Other modules use :func:`find_or_create_enterprise` inside their
own transaction, and :func:`search_enterprises` for completers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import ActionRefused, SaveResult
from app.services.regions import check_region_code
from app.services.validation import (
    ValidationError,
    check_credit_code,
    check_phone,
    employer_type_from_credit_code,
    normalize_text,
    parse_int_optional,
)
from app.services.validation import limited_text as _text
from db.lookups import INDUSTRY, lookup_labels
from db.models import (
    CaseParty,
    Enterprise,
    SatisfactionSurvey,
    ServiceRecordEnterprise,
    VolunteerContact,
)
from db.portable import position_in
from db.sortkeys import name_key

SIZES: tuple[str, ...] = ("大", "中", "小", "微")
SIZE_LABELS = {"大": "大型", "中": "中型", "小": "小型", "微": "微型"}
OWNERSHIPS: tuple[str, ...] = ("国有", "集体", "民营", "外资(港澳台)", "个体", "社会组织", "其他")
EMPLOYER_TYPES: tuple[str, ...] = (
    "企业",
    "个体工商户",
    "农民专业合作社",
    "事业单位",
    "社会团体",
    "民办非企业单位",
    "基金会",
    "机关",
    "其他",
)

#: Flag filters of the directory list: attribute → label.
FLAGS: dict[str, str] = {
    "is_platform": "平台企业",
    "is_struggling": "困难企业",
    "above_scale": "规模以上",
    "has_union": "已建工会",
    "has_mediation_committee": "已建调解委员会",
}


@dataclass
class EnterpriseInput:
    name: str
    credit_code: str | None = None
    employer_type: str | None = None
    legal_rep: str | None = None
    industry: str | None = None
    size: str | None = None
    ownership: str | None = None
    employees: Any = None
    new_form_workers: Any = None
    is_platform: bool = False
    is_struggling: bool = False
    above_scale: bool = False
    has_union: bool = False
    has_mediation_committee: bool = False
    address: str | None = None
    region_code: str | None = None
    contact_name: str | None = None
    contact_post: str | None = None
    contact_phone: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class EnterpriseRow:
    id: int
    uuid: str
    name: str
    credit_code: str | None
    employer_type: str | None
    legal_rep: str | None
    industry: str | None
    industry_label: str
    size: str | None
    ownership: str | None
    employees: int | None
    new_form_workers: int | None
    is_platform: bool
    is_struggling: bool
    above_scale: bool
    has_union: bool
    has_mediation_committee: bool
    address: str | None
    region_code: str | None
    contact_name: str | None
    contact_post: str | None
    contact_phone: str | None
    notes: str | None

    @property
    def flags_text(self) -> str:
        return "、".join(label for attr, label in FLAGS.items() if getattr(self, attr))


@dataclass(frozen=True)
class Duplicate:
    id: int
    name: str
    credit_code: str | None
    reason: str  # 'name' / 'code'

    @property
    def message(self) -> str:
        if self.reason == "code":
            return f"统一社会信用代码 {self.credit_code} 已被企业名录中的“{self.name}”使用"
        code = f"（统一社会信用代码 {self.credit_code}）" if self.credit_code else ""
        return f"企业名录中已有同名单位“{self.name}”{code}"


def _row(e: Enterprise, industries: dict[str, str]) -> EnterpriseRow:
    return EnterpriseRow(
        id=e.id,
        uuid=e.uuid,
        name=e.name,
        credit_code=e.credit_code,
        employer_type=e.employer_type,
        legal_rep=e.legal_rep,
        industry=e.industry,
        industry_label=industries.get(e.industry or "", e.industry or ""),
        size=e.size,
        ownership=e.ownership,
        employees=e.employees,
        new_form_workers=e.new_form_workers,
        is_platform=bool(e.is_platform),
        is_struggling=bool(e.is_struggling),
        above_scale=bool(e.above_scale),
        has_union=bool(e.has_union),
        has_mediation_committee=bool(e.has_mediation_committee),
        address=e.address,
        region_code=e.region_code,
        contact_name=e.contact_name,
        contact_post=e.contact_post,
        contact_phone=e.contact_phone,
        notes=e.notes,
    )


def list_enterprises(
    session: Session,
    *,
    text: str | None = None,
    industry: str | None = None,
    size: str | None = None,
    region: str | None = None,
    flags: dict[str, bool] | None = None,
    limit: int | None = None,
) -> list[EnterpriseRow]:
    """The directory filtered in SQL, in pinyin order of the name (as Excel / WPS sort Chinese text; sorted
    here with :func:`db.sortkeys.name_key`, fine for a directory of a few thousand rows): ``text`` matches
    name, credit code, legal representative, address or contact phone; ``region`` is a region-code prefix;
    ``flags`` maps attributes of :data:`FLAGS` to the wanted value; ``limit`` keeps the first rows of that order."""
    stmt = select(Enterprise)
    t = normalize_text(text)
    if t:
        pattern = f"%{t}%"
        stmt = stmt.where(
            or_(
                Enterprise.name.like(pattern),
                Enterprise.credit_code.like(f"%{t.upper()}%"),
                Enterprise.legal_rep.like(pattern),
                Enterprise.address.like(pattern),
                Enterprise.contact_phone.like(pattern),
            )
        )
    if industry:
        stmt = stmt.where(Enterprise.industry == industry)
    if size:
        stmt = stmt.where(Enterprise.size == size)
    r = normalize_text(region)
    if r:
        stmt = stmt.where(Enterprise.region_code.like(f"{r}%"))
    for attr, wanted in (flags or {}).items():
        if attr not in FLAGS:
            raise ValueError(f"unknown enterprise flag {attr!r}")
        stmt = stmt.where(getattr(Enterprise, attr).is_(bool(wanted)))
    found = sorted(session.scalars(stmt), key=lambda e: (name_key(e.name) or "", e.id))
    if limit:
        found = found[:limit]
    industries = lookup_labels(session, INDUSTRY)
    return [_row(e, industries) for e in found]


def count_enterprises(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Enterprise)) or 0)


def get_enterprise(session: Session, enterprise_id: int) -> EnterpriseRow:
    e = session.get(Enterprise, enterprise_id)
    if e is None:
        raise ActionRefused(f"找不到编号为 {enterprise_id} 的单位，可能已被删除")
    return _row(e, lookup_labels(session, INDUSTRY))


@dataclass(frozen=True)
class EnterpriseHit:
    """One completer suggestion."""

    id: int
    name: str
    credit_code: str | None
    legal_rep: str | None
    address: str | None

    @property
    def display(self) -> str:
        return f"{self.name}（{self.credit_code}）" if self.credit_code else self.name


def search_enterprises(session: Session, text: str, limit: int = 20) -> list[EnterpriseHit]:
    """Suggestions for a completer: names starting with ``text`` first, then containing it, or a code prefix."""
    t = normalize_text(text)
    if not t:
        return []
    starts = position_in(Enterprise.name, t) == 1
    stmt = (
        select(Enterprise.id, Enterprise.name, Enterprise.credit_code, Enterprise.legal_rep, Enterprise.address)
        .where(or_(Enterprise.name.contains(t), Enterprise.credit_code.like(f"{t.upper()}%")))
        .order_by(starts.desc(), func.length(Enterprise.name), Enterprise.name)
        .limit(limit)
    )
    return [EnterpriseHit(*row) for row in session.execute(stmt)]


def find_duplicates(
    session: Session, name: str | None, credit_code: str | None, *, exclude_id: int | None = None
) -> list[Duplicate]:
    """Directory entries with the same credit code or exactly the same name (after normalising spaces)."""
    out: list[Duplicate] = []
    code = normalize_text(credit_code).replace(" ", "").upper()
    if code:
        for e in session.scalars(select(Enterprise).where(Enterprise.credit_code == code)):
            if e.id != exclude_id:
                out.append(Duplicate(e.id, e.name, e.credit_code, "code"))
    n = normalize_text(name)
    if n:
        for e in session.scalars(select(Enterprise).where(Enterprise.name == n).limit(5)):
            if e.id != exclude_id and all(d.id != e.id for d in out):
                out.append(Duplicate(e.id, e.name, e.credit_code, "name"))
    return out


def validate_enterprise(
    session: Session,
    data: EnterpriseInput,
    enterprise_id: int | None = None,
    *,
    allow_same_name: bool = False,
) -> tuple[dict[str, Any], list[str]]:
    warnings: list[str] = []
    name = _text(data.name, "单位名称", 200)
    if not name:
        raise ValidationError("单位名称", "单位名称：不能为空")
    code = None
    if normalize_text(data.credit_code):
        info = check_credit_code(data.credit_code, "统一社会信用代码")
        code = info.code
        warnings += list(info.warnings)
    for dup in find_duplicates(session, name, code, exclude_id=enterprise_id):
        if dup.reason == "code":
            raise ValidationError("统一社会信用代码", f"统一社会信用代码：{dup.message}，请勿重复录入")
        if not allow_same_name:
            raise ValidationError("单位名称", f"单位名称：{dup.message}，请勿重复录入；如确属不同单位，请填写统一社会信用代码加以区分")
    employer_type = normalize_text(data.employer_type) or None
    if employer_type is None and code:
        employer_type = employer_type_from_credit_code(code)
    if employer_type is not None and employer_type not in EMPLOYER_TYPES:
        raise ValidationError("单位类型", f"单位类型：应为{'、'.join(EMPLOYER_TYPES)}之一")
    industry = normalize_text(data.industry) or None
    if industry is not None and industry not in lookup_labels(session, INDUSTRY):
        raise ValidationError("所属行业", f"所属行业：代码“{industry}”不在行业列表中")
    size = normalize_text(data.size).removesuffix("型") or None
    if size is not None and size not in SIZES:
        raise ValidationError("企业规模", "企业规模：应为大、中、小、微之一")
    ownership = normalize_text(data.ownership) or None
    if ownership is not None and ownership not in OWNERSHIPS:
        raise ValidationError("经济类型", f"经济类型：应为{'、'.join(OWNERSHIPS)}之一")
    employees = parse_int_optional(data.employees, "职工人数", minimum=0, maximum=10_000_000)
    new_form = parse_int_optional(data.new_form_workers, "新就业形态劳动者人数", minimum=0, maximum=10_000_000)
    if employees is not None and new_form is not None and new_form > employees and not data.is_platform:
        warnings.append("新就业形态劳动者人数多于职工人数，请核对（平台企业除外）")
    region, region_warnings = check_region_code(data.region_code, "所在行政区划代码", required=False)
    warnings += region_warnings
    if code and region and code[2:8] != region:
        warnings.append(f"统一社会信用代码中的登记机关区划码 {code[2:8]} 与所在行政区划 {region} 不同（迁址的单位可能如此）")
    phone = check_phone(data.contact_phone, "联系电话") if normalize_text(data.contact_phone) else None
    values = {
        "name": name,
        "credit_code": code,
        "employer_type": employer_type,
        "legal_rep": _text(data.legal_rep, "法定代表人", 50),
        "industry": industry,
        "size": size,
        "ownership": ownership,
        "employees": employees,
        "new_form_workers": new_form,
        "is_platform": bool(data.is_platform),
        "is_struggling": bool(data.is_struggling),
        "above_scale": bool(data.above_scale),
        "has_union": bool(data.has_union),
        "has_mediation_committee": bool(data.has_mediation_committee),
        "address": _text(data.address, "地址", 300),
        "region_code": region,
        "contact_name": _text(data.contact_name, "联系人", 50),
        "contact_post": _text(data.contact_post, "联系人职务", 50),
        "contact_phone": phone,
        "notes": (data.notes or "").strip() or None,
    }
    return values, warnings


def create_enterprise(
    session_factory: sessionmaker[Session], data: EnterpriseInput, *, allow_same_name: bool = False
) -> SaveResult:
    with session_factory.begin() as s:
        values, warnings = validate_enterprise(s, data, allow_same_name=allow_same_name)
        e = Enterprise(**values)
        s.add(e)
        s.flush()
        return SaveResult(e.id, tuple(warnings))


def update_enterprise(
    session_factory: sessionmaker[Session],
    enterprise_id: int,
    data: EnterpriseInput,
    *,
    allow_same_name: bool = False,
) -> SaveResult:
    with session_factory.begin() as s:
        e = s.get(Enterprise, enterprise_id)
        if e is None:
            raise ActionRefused(f"找不到编号为 {enterprise_id} 的单位，可能已被删除")
        values, warnings = validate_enterprise(s, data, enterprise_id, allow_same_name=allow_same_name)
        for key, value in values.items():
            setattr(e, key, value)
        s.flush()
        return SaveResult(e.id, tuple(warnings))


def enterprise_usage(session: Session, enterprise_id: int) -> dict[str, int]:
    """How many records point at an enterprise: case parties, volunteer contacts, services, surveys."""

    def n(model, column) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(column == enterprise_id)) or 0)

    return {
        "当事人": n(CaseParty, CaseParty.enterprise_id),
        "志愿者联系企业": n(VolunteerContact, VolunteerContact.enterprise_id),
        "志愿服务记录": n(ServiceRecordEnterprise, ServiceRecordEnterprise.enterprise_id),
        "满意度调查": n(SatisfactionSurvey, SatisfactionSurvey.enterprise_id),
    }


def delete_enterprise(session_factory: sessionmaker[Session], enterprise_id: int) -> str:
    """Delete a directory entry nothing refers to; refused with the counts otherwise."""
    with session_factory.begin() as s:
        e = s.get(Enterprise, enterprise_id)
        if e is None:
            raise ActionRefused(f"找不到编号为 {enterprise_id} 的单位，可能已被删除")
        used = {k: v for k, v in enterprise_usage(s, e.id).items() if v}
        if used:
            parts = "、".join(f"{k} {v} 条" for k, v in used.items())
            raise ActionRefused(f"“{e.name}”已被引用（{parts}），不能删除")
        name = e.name
        s.delete(e)
        return name


def find_or_create_enterprise(
    session: Session,
    name: str,
    credit_code: str | None = None,
    *,
    create: bool = True,
    **fields: Any,
) -> tuple[int | None, bool]:
    """The directory entry for an employer typed elsewhere (case form, volunteer contacts), inside the
    caller's transaction: by credit code first, else by exact name (only when exactly one entry without
    a different code has it); creates one (validated like the dialog) when ``create`` and none is found.

    Returns ``(enterprise_id or None, created)``. A bad code raises ValidationError; a code already in the
    directory under another name is not an error: the code wins and that entry is returned. ``fields`` are
    further :class:`EnterpriseInput` attributes for a new entry (legal_rep, address …).
    """
    n = normalize_text(name)
    code = None
    if normalize_text(credit_code):
        code = check_credit_code(credit_code, "统一社会信用代码").code
        hit = session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
        if hit is not None:
            return hit.id, False
    if n:
        same = session.scalars(select(Enterprise).where(Enterprise.name == n).limit(3)).all()
        usable = [e for e in same if e.credit_code is None or code is None]
        if len(usable) == 1:
            ent = usable[0]
            if code and ent.credit_code is None:
                ent.credit_code = code
            return ent.id, False
    if not create:
        return None, False
    values, _warnings = validate_enterprise(
        session, EnterpriseInput(name=n, credit_code=code, **fields), allow_same_name=True
    )
    e = Enterprise(**values)
    session.add(e)
    session.flush()
    return e.id, True

"""调解员名册: the roster of each organization, with trainings (no Qt).

Full-time and part-time counts are never stored: they are counted from this roster
(:func:`app.services.organizations.listing.mediator_counts_subquery`). A mediator who has left keeps their row
(with ``left_on``) so old cases and rosters still name them; a leaving date before the appointment date
is refused. Every write is one transaction; a refused input writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import ActionRefused, SaveResult
from app.services.formatting import format_date_cn
from app.services.organizations.records import create_with_children, update_with_children
from app.services.validation import (
    ValidationError,
    check_id_number,
    check_phone,
    normalize_text,
    parse_date,
    parse_date_optional,
)
from app.services.validation import limited_text as _text
from db.lookups import MEDIATOR_BACKGROUND, lookup_labels
from db.models import CaseMediator, Mediator, MediatorTraining, Organization

GENDERS = ("男", "女")
CERTIFICATE_LEVELS = ("初级", "中级", "高级")
#: Backgrounds the gold-medal criteria ask for among part-timers (seed 003: 法学专家、律师和法官、仲裁员).
EXPERT_BACKGROUNDS = ("scholar", "lawyer", "judge", "prosecutor", "arbitrator")


@dataclass
class TrainingInput:
    held_on: Any
    name: str
    hours: Any = None  # 学时 (hours, decimals allowed)
    organizer: str | None = None


@dataclass
class MediatorInput:
    organization_id: int
    name: str
    full_time: bool = False
    gender: str | None = None
    id_number: str | None = None
    phone: str | None = None
    background: str | None = None
    post: str | None = None
    certified: bool = False
    certificate_level: str | None = None
    certificate_no: str | None = None
    legal_qualification: bool = False
    appointed_on: Any = None
    left_on: Any = None
    expert_pool: bool = False
    notes: str | None = None
    trainings: Sequence[TrainingInput] | None = None  # None: leave the trainings as they are


@dataclass(frozen=True)
class TrainingView:
    id: int
    held_on: date
    name: str
    minutes: int | None
    organizer: str | None

    @property
    def hours(self) -> Decimal | None:
        return None if self.minutes is None else (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class MediatorRow:
    id: int
    uuid: str
    organization_id: int
    organization_name: str
    name: str
    gender: str | None
    id_number: str | None
    phone: str | None
    full_time: bool
    background: str | None
    background_label: str
    post: str | None
    certified: bool
    certificate_level: str | None
    certificate_no: str | None
    legal_qualification: bool
    appointed_on: date | None
    left_on: date | None
    expert_pool: bool
    notes: str | None
    training_count: int
    training_minutes: int
    trainings_in_year: int = 0

    def active_on(self, day: date) -> bool:
        return (self.appointed_on is None or self.appointed_on <= day) and (self.left_on is None or self.left_on > day)

    @property
    def kind_label(self) -> str:
        return "专职" if self.full_time else "兼职"


@dataclass(frozen=True)
class MediatorDetail:
    row: MediatorRow
    trainings: tuple[TrainingView, ...]


def list_mediators(
    session: Session,
    org_id: int | None = None,
    *,
    include_left: bool = True,
    on: date | None = None,
    text: str | None = None,
    expert_pool: bool | None = None,
    year: int | None = None,
) -> list[MediatorRow]:
    """The roster (of one organization, or all), serving ones first; training counts from SQL.

    ``include_left=False`` keeps those serving on ``on`` (default today). ``year`` also counts the trainings
    held that year (``trainings_in_year``).
    """
    on = on or date.today()
    lo, hi = (date(year, 1, 1), date(year + 1, 1, 1)) if year else (None, None)
    trainings = (
        select(
            MediatorTraining.mediator_id.label("mid"),
            func.count().label("n"),
            func.coalesce(func.sum(MediatorTraining.minutes), 0).label("minutes"),
            (
                func.sum(case((and_(MediatorTraining.held_on >= lo, MediatorTraining.held_on < hi), 1), else_=0))
                if year
                else func.sum(0)
            ).label("in_year"),
        )
        .group_by(MediatorTraining.mediator_id)
        .subquery()
    )
    left_flag = case((Mediator.left_on.is_not(None), case((Mediator.left_on <= on, 1), else_=0)), else_=0)
    stmt = (
        select(
            Mediator,
            Organization.name,
            func.coalesce(trainings.c.n, 0),
            func.coalesce(trainings.c.minutes, 0),
            func.coalesce(trainings.c.in_year, 0),
        )
        .join(Organization, Organization.id == Mediator.organization_id)
        .outerjoin(trainings, trainings.c.mid == Mediator.id)
        .order_by(Organization.name, left_flag, Mediator.full_time.desc(), Mediator.appointed_on, Mediator.id)
    )
    if org_id is not None:
        stmt = stmt.where(Mediator.organization_id == org_id)
    if not include_left:
        stmt = stmt.where(
            or_(Mediator.appointed_on.is_(None), Mediator.appointed_on <= on),
            or_(Mediator.left_on.is_(None), Mediator.left_on > on),
        )
    if expert_pool is not None:
        stmt = stmt.where(Mediator.expert_pool.is_(bool(expert_pool)))
    t = normalize_text(text)
    if t:
        stmt = stmt.where(or_(Mediator.name.contains(t), Mediator.phone.contains(t), Mediator.post.contains(t)))
    labels = lookup_labels(session, MEDIATOR_BACKGROUND)
    return [
        _row(m, org_name, labels, n, minutes, in_year) for m, org_name, n, minutes, in_year in session.execute(stmt)
    ]


def _row(m: Mediator, org_name: str, labels: dict[str, str], n: int, minutes: int, in_year: int) -> MediatorRow:
    return MediatorRow(
        id=m.id,
        uuid=m.uuid,
        organization_id=m.organization_id,
        organization_name=org_name,
        name=m.name,
        gender=m.gender,
        id_number=m.id_number,
        phone=m.phone,
        full_time=bool(m.full_time),
        background=m.background,
        background_label=labels.get(m.background or "", m.background or ""),
        post=m.post,
        certified=bool(m.certified),
        certificate_level=m.certificate_level,
        certificate_no=m.certificate_no,
        legal_qualification=bool(m.legal_qualification),
        appointed_on=m.appointed_on,
        left_on=m.left_on,
        expert_pool=bool(m.expert_pool),
        notes=m.notes,
        training_count=int(n),
        training_minutes=int(minutes or 0),
        trainings_in_year=int(in_year or 0),
    )


def get_mediator(session: Session, mediator_id: int) -> MediatorDetail:
    m = session.get(Mediator, mediator_id)
    if m is None:
        raise ActionRefused(f"找不到编号为 {mediator_id} 的调解员，可能已被删除")
    trainings = session.scalars(
        select(MediatorTraining).where(MediatorTraining.mediator_id == m.id).order_by(MediatorTraining.held_on)
    ).all()
    org_name = session.scalar(select(Organization.name).where(Organization.id == m.organization_id)) or ""
    minutes = sum(t.minutes or 0 for t in trainings)
    row = _row(m, org_name, lookup_labels(session, MEDIATOR_BACKGROUND), len(trainings), minutes, 0)
    return MediatorDetail(
        row, tuple(TrainingView(t.id, t.held_on, t.name, t.minutes, t.organizer) for t in trainings)
    )


def mediator_counts(session: Session, org_id: int, on: date | None = None) -> tuple[int, int]:
    """(full-time, part-time) serving on ``on`` (default today), counted in SQL."""
    on = on or date.today()
    full, part = session.execute(
        select(
            func.coalesce(func.sum(case((Mediator.full_time.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Mediator.full_time.is_(False), 1), else_=0)), 0),
        ).where(
            Mediator.organization_id == org_id,
            or_(Mediator.appointed_on.is_(None), Mediator.appointed_on <= on),
            or_(Mediator.left_on.is_(None), Mediator.left_on > on),
        )
    ).one()
    return int(full), int(part)


# ---------------------------------------------------------------------------------------------
# Validation and writes


def _hours_to_minutes(value: Any, label: str) -> int | None:
    text = normalize_text(value).removesuffix("学时").removesuffix("小时").strip() if isinstance(value, str) else value
    if text in (None, ""):
        return None
    try:
        hours = Decimal(str(text))
    except InvalidOperation:
        raise ValidationError(label, f"{label}：“{value}”不是数字（单位：学时）") from None
    if not hours.is_finite() or hours < 0:
        raise ValidationError(label, f"{label}：应为不小于0的数字")
    if hours > 1000:
        raise ValidationError(label, f"{label}：{hours} 学时过大，请核对")
    return int((hours * 60).to_integral_value())


def _clean_trainings(trainings: Sequence[TrainingInput], today: date) -> list[dict[str, Any]]:
    out = []
    for i, t in enumerate(trainings, start=1):
        label = f"第{i}条培训"
        if not normalize_text(t.name) and normalize_text(t.held_on) == "" and t.hours in (None, ""):
            continue  # an empty row left in the grid
        held = parse_date(t.held_on, f"{label}的日期", allow_future=False, today=today)
        name = _text(t.name, f"{label}的名称", 200)
        if not name:
            raise ValidationError(f"{label}的名称", f"{label}的名称：不能为空")
        out.append(
            {
                "held_on": held,
                "name": name,
                "minutes": _hours_to_minutes(t.hours, f"{label}的学时"),
                "organizer": _text(t.organizer, f"{label}的主办单位", 200),
            }
        )
    return out


def validate_mediator(
    session: Session, data: MediatorInput, mediator_id: int | None = None, *, today: date | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]] | None, list[str]]:
    today = today or date.today()
    warnings: list[str] = []
    org = session.get(Organization, data.organization_id) if data.organization_id else None
    if org is None:
        raise ValidationError("所属调解组织", "所属调解组织：请选择调解员所在的调解组织")
    name = _text(data.name, "姓名", 50)
    if not name:
        raise ValidationError("姓名", "姓名：不能为空")
    gender = normalize_text(data.gender) or None
    if gender is not None and gender not in GENDERS:
        raise ValidationError("性别", "性别：应为“男”或“女”")
    id_number = None
    if normalize_text(data.id_number):
        info = check_id_number(data.id_number, "身份证号", today)
        id_number = info.number
        warnings += list(info.warnings)
        if gender is None:
            gender = info.gender
        elif gender != info.gender:
            raise ValidationError("性别", f"性别：身份证号显示为{info.gender}性，与所填“{gender}”不一致")
        twin = session.scalar(
            select(Mediator).where(
                Mediator.organization_id == org.id, Mediator.id_number == id_number, Mediator.id != (mediator_id or -1)
            )
        )
        if twin is not None:
            raise ValidationError("身份证号", f"身份证号：本组织名册中已有调解员“{twin.name}”使用该身份证号，请勿重复登记")
    phone = check_phone(data.phone, "联系电话") if normalize_text(data.phone) else None
    background = normalize_text(data.background) or None
    if background is not None and background not in lookup_labels(session, MEDIATOR_BACKGROUND):
        raise ValidationError("调解员背景", f"调解员背景：代码“{background}”不在调解员背景列表中")
    appointed = parse_date_optional(data.appointed_on, "聘任日期", allow_future=True)
    left = parse_date_optional(data.left_on, "离任日期", allow_future=True)
    if appointed and left and left < appointed:
        raise ValidationError(
            "离任日期",
            f"离任日期：{format_date_cn(left)}早于聘任日期{format_date_cn(appointed)}，调解员不能在聘任之前离任",
        )
    level = normalize_text(data.certificate_level) or None
    if level is not None and not data.certified:
        warnings.append("填写了证书等级，但未勾选“持证上岗”")
    values = {
        "organization_id": org.id,
        "name": name,
        "gender": gender,
        "id_number": id_number,
        "phone": phone,
        "full_time": bool(data.full_time),
        "background": background,
        "post": _text(data.post, "职务", 60),
        "certified": bool(data.certified),
        "certificate_level": _text(level, "证书等级", 30),
        "certificate_no": _text(data.certificate_no, "证书编号", 60),
        "legal_qualification": bool(data.legal_qualification),
        "appointed_on": appointed,
        "left_on": left,
        "expert_pool": bool(data.expert_pool),
        "notes": (data.notes or "").strip() or None,
    }
    trainings = _clean_trainings(data.trainings, today) if data.trainings is not None else None
    if trainings and appointed:
        early = [t for t in trainings if t["held_on"] < appointed]
        if early:
            warnings.append(f"有 {len(early)} 条培训早于聘任日期，请核对")
    return values, trainings, warnings


def _check_organization_change(s: Session, m: Mediator, values: dict[str, Any]) -> None:
    if values["organization_id"] != m.organization_id:
        used = s.scalar(select(func.count()).select_from(CaseMediator).where(CaseMediator.mediator_id == m.id))
        if used:
            raise ValidationError(
                "所属调解组织",
                f"所属调解组织：该调解员已参与 {used} 件案件，不能改到其他组织；请登记离任，再在新组织中新增",
            )


def create_mediator(
    session_factory: sessionmaker[Session], data: MediatorInput, *, today: date | None = None
) -> SaveResult:
    return create_with_children(
        session_factory,
        Mediator,
        lambda s: validate_mediator(s, data, today=today),
        lambda m: m.trainings,
        MediatorTraining,
    )


def update_mediator(
    session_factory: sessionmaker[Session], mediator_id: int, data: MediatorInput, *, today: date | None = None
) -> SaveResult:
    return update_with_children(
        session_factory,
        Mediator,
        mediator_id,
        f"找不到编号为 {mediator_id} 的调解员，可能已被删除",
        lambda s: validate_mediator(s, data, mediator_id, today=today),
        lambda m: m.trainings,
        MediatorTraining,
        check=_check_organization_change,
    )


def set_left(session_factory: sessionmaker[Session], mediator_id: int, left_on: Any) -> SaveResult:
    """Record that a mediator left (离任) on ``left_on``; refused before the appointment date."""
    with session_factory.begin() as s:
        m = s.get(Mediator, mediator_id)
        if m is None:
            raise ActionRefused(f"找不到编号为 {mediator_id} 的调解员，可能已被删除")
        left = parse_date(left_on, "离任日期")
        if m.appointed_on and left < m.appointed_on:
            a = m.appointed_on
            raise ValidationError(
                "离任日期",
                f"离任日期：{format_date_cn(left)}早于聘任日期{format_date_cn(a)}，"
                "调解员不能在聘任之前离任",
            )
        m.left_on = left
        return SaveResult(m.id)


def delete_mediator(session_factory: sessionmaker[Session], mediator_id: int) -> str:
    """Delete a mediator entered by mistake; refused when they took part in cases (record 离任 instead)."""
    with session_factory.begin() as s:
        m = s.get(Mediator, mediator_id)
        if m is None:
            raise ActionRefused(f"找不到编号为 {mediator_id} 的调解员，可能已被删除")
        used = s.scalar(select(func.count()).select_from(CaseMediator).where(CaseMediator.mediator_id == m.id)) or 0
        if used:
            raise ActionRefused(f"调解员“{m.name}”参与过 {used} 件案件，不能删除；如已不再任职，请登记离任日期")
        name = m.name
        s.delete(m)
        return name

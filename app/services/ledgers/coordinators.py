"""劳动关系协调员台账 (seed 002: 「建立健全基层劳动关系协调员数据信息台账，并进行动态管理」): people, their
certificate (一级–五级 or none), trainings and 金牌劳动关系协调员 recommendations per year, and the pool as of
any date (in the pool on ``d`` when ``joined_on ≤ d ≤ left_on``, either end open).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.services.ledgers.common import CERT_LEVELS, UNIT_TYPES, audit, choice, required_text
from app.services.validation import (
    ValidationError,
    check_date_order,
    check_id_number,
    check_phone,
    limited_text,
    long_text,
)
from db.models import Coordinator, CoordinatorGold, CoordinatorTraining

ATTRS = ("name", "gender", "id_number", "unit", "unit_type", "post", "phone", "cert_level", "cert_no", "cert_date",
         "cert_issuer", "joined_on", "left_on", "remark")


@dataclass
class CoordinatorInput:
    name: str
    id_number: str | None = None
    gender: str | None = None
    unit: str | None = None
    unit_type: str | None = None
    post: str | None = None
    phone: str | None = None
    cert_level: str | None = None  # 一级…五级, or None/「无」
    cert_no: str | None = None
    cert_date: date | None = None
    cert_issuer: str | None = None
    joined_on: date | None = None
    left_on: date | None = None
    remark: str | None = None


@dataclass(frozen=True)
class CoordinatorRow:
    id: int
    uuid: str
    name: str
    gender: str | None
    id_number: str | None
    unit: str | None
    unit_type: str | None
    post: str | None
    phone: str | None
    cert_level: str | None
    cert_no: str | None
    cert_date: date | None
    cert_issuer: str | None
    joined_on: date | None
    left_on: date | None
    remark: str | None
    training_count: int
    training_minutes: int
    gold_years: tuple[int, ...]  # years recommended
    selected_years: tuple[int, ...]  # years chosen as 金牌

    @property
    def cert_label(self) -> str:
        return self.cert_level or "未取得"


def check_coordinator(data: CoordinatorInput, today: date | None = None) -> dict:
    values = {
        "name": required_text(data.name, "姓名", 50),
        "unit": limited_text(data.unit, "工作单位", 200),
        "unit_type": choice(data.unit_type, "单位类型", UNIT_TYPES),
        "post": limited_text(data.post, "职务", 100),
        "cert_no": limited_text(data.cert_no, "证书编号", 60),
        "cert_date": data.cert_date,
        "cert_issuer": limited_text(data.cert_issuer, "发证机构", 200),
        "joined_on": data.joined_on,
        "left_on": data.left_on,
        "remark": long_text(data.remark),
        "gender": None,
        "id_number": None,
        "phone": None,
        "cert_level": None,
    }
    level = limited_text(data.cert_level, "证书等级", 10)
    if level and level not in ("无", "未取得", "否"):
        values["cert_level"] = choice(level.replace("级级", "级"), "证书等级", CERT_LEVELS)
    if data.id_number:
        info = check_id_number(data.id_number, today=today)
        values["id_number"] = info.number
        values["gender"] = info.gender
    if data.gender:
        g = str(data.gender).strip().removesuffix("性")
        if g not in ("男", "女"):
            raise ValidationError("性别", "性别：应为“男”或“女”")
        if values["gender"] and values["gender"] != g:
            raise ValidationError("性别", f"性别：身份证号显示为{values['gender']}性，与所填“{g}”不一致")
        values["gender"] = g
    if data.phone:
        values["phone"] = check_phone(data.phone)
    check_date_order(values["joined_on"], values["left_on"], "入库日期", "退出日期")
    if values["cert_level"] is None and (values["cert_no"] or values["cert_date"]):
        raise ValidationError("证书等级", "证书等级：填写了证书编号或发证日期，请选择证书等级（一级至五级）")
    return values


def save_coordinator(session: Session, data: CoordinatorInput, coordinator_id: int | None = None, *,
                     user: str | None = None, today: date | None = None) -> Coordinator:
    values = check_coordinator(data, today)
    if values["id_number"]:
        same = session.scalar(select(Coordinator).where(Coordinator.id_number == values["id_number"],
                                                        Coordinator.id != (coordinator_id or 0)))
        if same is not None:
            raise ValidationError("身份证号", f"身份证号：与已登记的协调员“{same.name}”相同")
    if coordinator_id is None:
        c = Coordinator(**values)
        session.add(c)
        session.flush()
        audit(session, user, "create", "coordinator", c.uuid, f"新增劳动关系协调员 {c.name}", None, values)
        return c
    c = session.get(Coordinator, coordinator_id)
    if c is None:
        raise ValidationError("劳动关系协调员", "劳动关系协调员：该记录已不存在")
    before = {k: getattr(c, k) for k in ATTRS}
    for k, v in values.items():
        setattr(c, k, v)
    session.flush()
    audit(session, user, "update", "coordinator", c.uuid, f"修改劳动关系协调员 {c.name}", before, values)
    return c


def delete_coordinator(session: Session, coordinator_id: int, *, user: str | None = None) -> None:
    c = session.get(Coordinator, coordinator_id)
    if c is not None:
        audit(session, user, "delete", "coordinator", c.uuid, f"删除劳动关系协调员 {c.name}",
              {k: getattr(c, k) for k in ATTRS}, None)
        session.delete(c)
        session.flush()


def add_training(session: Session, coordinator_id: int, trained_on: date, title: str, *, organizer: str | None = None,
                 minutes: int = 0, user: str | None = None) -> CoordinatorTraining:
    c = session.get(Coordinator, coordinator_id)
    if c is None:
        raise ValidationError("劳动关系协调员", "劳动关系协调员：该记录已不存在")
    if minutes < 0:
        raise ValidationError("培训学时", "培训学时：不能为负数")
    t = CoordinatorTraining(coordinator_id=c.id, trained_on=trained_on, title=required_text(title, "培训名称", 200),
                            organizer=limited_text(organizer, "培训机构", 200), minutes=minutes)
    session.add(t)
    session.flush()
    audit(session, user, "training", "coordinator", c.uuid, f"登记 {c.name} 参加培训：{t.title}")
    return t


def set_gold(session: Session, coordinator_id: int, year: int, *, recommended_by: str | None = None,
             selected: bool = False, user: str | None = None) -> CoordinatorGold:
    """Record (or change) the 金牌劳动关系协调员 recommendation of ``year``."""
    c = session.get(Coordinator, coordinator_id)
    if c is None:
        raise ValidationError("劳动关系协调员", "劳动关系协调员：该记录已不存在")
    if not 2000 <= int(year) <= 2100:
        raise ValidationError("推荐年度", f"推荐年度：“{year}”不是有效的年份")
    g = session.scalar(select(CoordinatorGold).where(CoordinatorGold.coordinator_id == c.id,
                                                     CoordinatorGold.year == int(year)))
    if g is None:
        g = CoordinatorGold(coordinator_id=c.id, year=int(year))
        session.add(g)
    g.recommended_by = limited_text(recommended_by, "推荐单位", 200)
    g.selected = bool(selected)
    session.flush()
    audit(session, user, "gold", "coordinator", c.uuid,
          f"{year}年推荐 {c.name} 为金牌劳动关系协调员" + ("（已入选）" if selected else ""))
    return g


def _in_pool(on: date):
    return (or_(Coordinator.joined_on.is_(None), Coordinator.joined_on <= on),
            or_(Coordinator.left_on.is_(None), Coordinator.left_on >= on))


def list_coordinators(session: Session, *, on: date | None = None, include_left: bool = True,
                      cert_level: str | None = None) -> list[CoordinatorRow]:
    """Coordinators by name; ``on`` with ``include_left=False`` gives the pool as of that date."""
    stmt = select(Coordinator).options(selectinload(Coordinator.trainings), selectinload(Coordinator.golds))
    if on is not None and not include_left:
        stmt = stmt.where(*_in_pool(on))
    if cert_level:
        stmt = stmt.where(Coordinator.cert_level == (None if cert_level == "未取得" else cert_level))
    out = []
    for c in session.scalars(stmt.order_by(Coordinator.unit, Coordinator.name, Coordinator.id)):
        golds = sorted(c.golds, key=lambda g: g.year)
        out.append(CoordinatorRow(
            id=c.id, uuid=c.uuid, **{k: getattr(c, k) for k in ATTRS},
            training_count=len(c.trainings), training_minutes=sum(t.minutes or 0 for t in c.trainings),
            gold_years=tuple(g.year for g in golds), selected_years=tuple(g.year for g in golds if g.selected),
        ))
    return out


def pool_on(session: Session, on: date) -> list[CoordinatorRow]:
    """Who was in the pool on ``on`` (joined on or before, not yet left)."""
    return list_coordinators(session, on=on, include_left=False)


def cert_level_counts(session: Session, on: date) -> dict[str, int]:
    """How many in the pool on ``on`` hold each level (and 未取得)."""
    counts = {k: 0 for k in (*CERT_LEVELS, "未取得")}
    for r in pool_on(session, on):
        counts[r.cert_label] += 1
    return counts

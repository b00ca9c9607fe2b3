"""志愿汇上传清单: the service records not yet marked uploaded to the 天津志愿者信息管理服务平台 (「志愿汇」,
seed 000 二(四): 服务项目、对象、内容、时长等服务记录要及时上传), and marking a selection uploaded in one step.

One row per record and volunteer (the platform credits hours to each volunteer), in the order one enters
them on the platform: activity, category, date, hours, served enterprise(s), content, then the volunteer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.services.formatting import quarter_range
from app.services.ledgers.common import audit
from app.services.validation import ValidationError
from db.lookups import SERVICE_ITEM, lookup_labels
from db.models import Enterprise, ServiceRecord, ServiceRecordEnterprise, ServiceRecordVolunteer, Volunteer


@dataclass(frozen=True)
class UploadRow:
    record_id: int
    record_uuid: str
    served_on: date
    item_label: str
    activity: str  # 活动名称: 「服务项目—第一家企业」
    enterprises: str
    content: str | None
    minutes: int
    people_reached: int | None
    volunteer_id: int
    volunteer_name: str
    zyh_id: str | None
    phone: str | None

    @property
    def hours(self) -> float:
        return round((self.minutes or 0) / 60, 1)


def _period(year: int | None, quarter: int | None) -> tuple[date | None, date | None]:
    if year is None:
        if quarter is not None:
            raise ValidationError("年度", "选择季度时还须选择年度")
        return None, None
    if quarter is None:
        return date(year, 1, 1), date(year, 12, 31)
    return quarter_range(year, quarter)


def upload_list(session: Session, *, volunteer_id: int | None = None, year: int | None = None,
                quarter: int | None = None) -> list[UploadRow]:
    """Records not yet uploaded, oldest first (date, record, volunteer); filtered by volunteer and quarter."""
    start, end = _period(year, quarter)
    stmt = select(ServiceRecord).where(ServiceRecord.uploaded_zyh.is_(False))
    if start is not None:
        stmt = stmt.where(ServiceRecord.served_on.between(start, end))
    if volunteer_id is not None:
        stmt = stmt.where(exists().where(ServiceRecordVolunteer.service_record_id == ServiceRecord.id,
                                         ServiceRecordVolunteer.volunteer_id == volunteer_id))
    records = session.scalars(stmt.order_by(ServiceRecord.served_on, ServiceRecord.id)).all()
    if not records:
        return []
    labels = lookup_labels(session, SERVICE_ITEM)
    ids = [r.id for r in records]
    vols: dict[int, list[Volunteer]] = defaultdict(list)
    ents: dict[int, list[str]] = defaultdict(list)
    for i in range(0, len(ids), 900):
        part = ids[i:i + 900]
        for rid, vol in session.execute(
            select(ServiceRecordVolunteer.service_record_id, Volunteer)
            .join(Volunteer, Volunteer.id == ServiceRecordVolunteer.volunteer_id)
            .where(ServiceRecordVolunteer.service_record_id.in_(part)).order_by(ServiceRecordVolunteer.id)
        ):
            vols[rid].append(vol)
        for rid, name in session.execute(
            select(ServiceRecordEnterprise.service_record_id, Enterprise.name)
            .join(Enterprise, Enterprise.id == ServiceRecordEnterprise.enterprise_id)
            .where(ServiceRecordEnterprise.service_record_id.in_(part)).order_by(ServiceRecordEnterprise.id)
        ):
            ents[rid].append(name)
    out: list[UploadRow] = []
    for r in records:
        item = labels.get(r.item, r.item)
        names = ents[r.id]
        activity = item + (f"—{names[0]}" + ("等" if len(names) > 1 else "") if names else "")
        for v in vols[r.id]:
            if volunteer_id is not None and v.id != volunteer_id:
                continue
            out.append(UploadRow(
                record_id=r.id, record_uuid=r.uuid, served_on=r.served_on, item_label=item, activity=activity,
                enterprises="、".join(names), content=r.content, minutes=r.minutes or 0,
                people_reached=r.people_reached, volunteer_id=v.id, volunteer_name=v.name, zyh_id=v.zyh_id,
                phone=v.phone,
            ))
    return out


def mark_uploaded(session: Session, record_ids: Iterable[int], *, on: date | None = None,
                  user: str | None = None) -> int:
    """Mark the records uploaded on ``on`` (default today), in the caller's transaction, with one audit
    entry per record; records already marked are left as they are. Returns how many were marked."""
    on = on or date.today()
    ids = sorted(set(record_ids))
    if not ids:
        return 0
    marked = 0
    for i in range(0, len(ids), 900):
        for r in session.scalars(select(ServiceRecord).where(ServiceRecord.id.in_(ids[i:i + 900]))):
            if r.uploaded_zyh:
                continue
            r.uploaded_zyh = True
            r.uploaded_on = on
            marked += 1
            audit(session, user, "zyh_uploaded", "service_record", r.uuid,
                  f"标记已上传志愿汇：{r.served_on.isoformat()} 的服务记录，上传日期 {on.isoformat()}",
                  {"uploaded_zyh": False, "uploaded_on": None}, {"uploaded_zyh": True, "uploaded_on": on})
    session.flush()
    return marked

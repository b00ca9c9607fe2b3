"""Writes of service records, satisfaction surveys and the 附件3 narrative texts: the
:class:`RecordWrites` part of :class:`~.service.VolunteerService`."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import SaveResult
from app.services.validation import long_text as _long
from app.services.validation import (
    normalize_text,
    parse_date,
    parse_date_optional,
    parse_int_optional,
)
from app.services.volunteers.common import (
    MAX_MINUTES_PER_DAY,
    SUMMARY_KIND,
    SUMMARY_SECTIONS,
    _audit,
    _cn,
    _hours_text,
    _invalid,
    _vol_in_programme,
    parse_hours,
)
from app.services.volunteers.dtos import _STAT_FIELDS, ServiceInput
from app.services.volunteers.records import summary_period
from db.enums import SATISFACTION_SCORES
from db.lookups import SERVICE_ITEM, lookup_labels
from db.models import (
    Enterprise,
    ReportText,
    SatisfactionSurvey,
    ServiceRecord,
    ServiceRecordEnterprise,
    ServiceRecordVolunteer,
    Volunteer,
    VolunteerContact,
)


class RecordWrites:
    """Service-record, survey and summary-text writes; mixed into :class:`~.service.VolunteerService`."""

    _sf: sessionmaker[Session]
    user_login: str | None

    def today(self) -> date:  # pragma: no cover - provided by VolunteerService
        raise NotImplementedError

    # -- service records -------------------------------------------------------------------------------

    def _clean_service(self, s: Session, data: ServiceInput, record_id: int | None) -> tuple[dict[str, Any], list[int], list[int], list[str]]:
        today = self.today()
        warnings: list[str] = []
        if data.served_on in (None, ""):
            raise _invalid("服务日期", "不能为空")
        served = parse_date(data.served_on, "服务日期", allow_future=False, today=today)
        vol_ids = list(dict.fromkeys(int(v) for v in data.volunteer_ids or []))
        ent_ids = list(dict.fromkeys(int(e) for e in data.enterprise_ids or []))
        if not vol_ids:
            raise _invalid("志愿者", "至少选择一名志愿者")
        if not ent_ids:
            raise _invalid("服务对象", "至少选择一家服务企业")
        items = lookup_labels(s, SERVICE_ITEM)
        item = normalize_text(data.item)
        if item not in items:
            by_label = {label: code for code, label in items.items()}
            if item in by_label:
                item = by_label[item]
            else:
                raise _invalid("服务项目", f"“{item}”不在服务项目列表中" if item else "不能为空")
        minutes = parse_hours(data.hours, "服务时长")
        values: dict[str, Any] = {
            "served_on": served, "item": item, "content": _long(data.content), "minutes": minutes,
            "people_reached": parse_int_optional(data.people_reached, "受益人数", minimum=0, maximum=10_000_000),
            "problems": _long(data.problems), "advice": _long(data.advice),
        }
        for key, label in _STAT_FIELDS:
            values[key] = parse_int_optional(getattr(data, key), label, minimum=0, maximum=10_000_000)
        amount = data.dispute_amount_fen
        if amount in ("", None):
            values["dispute_amount_fen"] = None
        else:
            if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
                raise _invalid("涉及金额", "应为不小于0的金额")
            values["dispute_amount_fen"] = amount
        values["uploaded_zyh"] = bool(data.uploaded_zyh)
        up = parse_date_optional(data.uploaded_on, "上传志愿汇日期", allow_future=False, today=today)
        if not values["uploaded_zyh"]:
            up = None
        elif up is not None and up < served:
            raise _invalid("上传志愿汇日期", "不能早于服务日期")
        values["uploaded_on"] = up

        vols = {v.id: v for v in s.scalars(select(Volunteer).where(Volunteer.id.in_(vol_ids)))}
        missing = [i for i in vol_ids if i not in vols]
        if missing:
            raise _invalid("志愿者", f"找不到编号为 {'、'.join(map(str, missing))} 的志愿者")
        ents = {e.id: e for e in s.scalars(select(Enterprise).where(Enterprise.id.in_(ent_ids)))}
        missing = [i for i in ent_ids if i not in ents]
        if missing:
            raise _invalid("服务对象", f"企业名录中找不到编号为 {'、'.join(map(str, missing))} 的企业")
        # at most 24 hours a day per volunteer, counting their other records of the same day
        other_minutes = dict(
            s.execute(
                select(ServiceRecordVolunteer.volunteer_id, func.sum(ServiceRecord.minutes))
                .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
                .where(ServiceRecord.served_on == served, ServiceRecordVolunteer.volunteer_id.in_(vol_ids),
                       ServiceRecord.id != (record_id or -1))
                .group_by(ServiceRecordVolunteer.volunteer_id)
            ).all()
        )
        for vid in vol_ids:
            used = int(other_minutes.get(vid) or 0)
            if used + minutes > MAX_MINUTES_PER_DAY:
                raise _invalid(
                    "服务时长",
                    f"{vols[vid].name}在{_cn(served)}已登记{_hours_text(used)}小时，"
                    f"加上本次{_hours_text(minutes)}小时超过每天24小时",
                )
        for vid in vol_ids:
            v = vols[vid]
            if not _vol_in_programme(v, served):
                warnings.append(f"{v.name}在{_cn(served)}不在志愿者队伍中（加入{_cn(v.joined_on)}"
                                f"{'，退出' + _cn(v.left_on) if v.left_on else ''}）")
        linked = set(s.execute(
            select(VolunteerContact.volunteer_id, VolunteerContact.enterprise_id)
            .where(VolunteerContact.volunteer_id.in_(vol_ids), VolunteerContact.enterprise_id.in_(ent_ids))
        ).all())
        for eid in ent_ids:
            if not any((vid, eid) in linked for vid in vol_ids):
                warnings.append(f"“{ents[eid].name}”不是所选志愿者的联系企业")
        return values, vol_ids, ent_ids, warnings

    def save_service_record(self, data: ServiceInput, record_id: int | None = None) -> SaveResult:
        """Add (``record_id`` None) or update a service record with its volunteers and enterprises."""
        with self._sf.begin() as s:
            values, vol_ids, ent_ids, warnings = self._clean_service(s, data, record_id)
            if record_id is None:
                r = ServiceRecord(**values)
                s.add(r)
                s.flush()
                action, before = "create", None
            else:
                r = s.get(ServiceRecord, record_id)
                if r is None:
                    raise _invalid("服务记录", f"找不到编号为 {record_id} 的服务记录")
                before = {k: getattr(r, k) for k in values}
                before["volunteer_ids"] = [x.volunteer_id for x in r.volunteers]
                before["enterprise_ids"] = [x.enterprise_id for x in r.enterprises]
                for k, val in values.items():
                    setattr(r, k, val)
                action = "update"
            keep_v = {x.volunteer_id: x for x in r.volunteers}
            for vid, link in list(keep_v.items()):
                if vid not in vol_ids:
                    r.volunteers.remove(link)
            for vid in vol_ids:
                if vid not in keep_v:
                    r.volunteers.append(ServiceRecordVolunteer(volunteer_id=vid))
            keep_e = {x.enterprise_id: x for x in r.enterprises}
            for eid, link in list(keep_e.items()):
                if eid not in ent_ids:
                    r.enterprises.remove(link)
            for eid in ent_ids:
                if eid not in keep_e:
                    r.enterprises.append(ServiceRecordEnterprise(enterprise_id=eid))
            after = dict(values, volunteer_ids=vol_ids, enterprise_ids=ent_ids)
            _audit(s, self.user_login, action, "service_record", r.uuid,
                   f"{'新增' if action == 'create' else '修改'}志愿服务记录（{_cn(values['served_on'])}）",
                   before=before, after=after)
            s.flush()
            return SaveResult(r.id, tuple(warnings))

    def delete_service_record(self, record_id: int) -> None:
        with self._sf.begin() as s:
            r = s.get(ServiceRecord, record_id)
            if r is None:
                raise _invalid("服务记录", f"找不到编号为 {record_id} 的服务记录")
            _audit(s, self.user_login, "delete", "service_record", r.uuid, f"删除志愿服务记录（{_cn(r.served_on)}）",
                   before={"served_on": r.served_on, "item": r.item, "minutes": r.minutes})
            s.delete(r)

    # -- surveys -------------------------------------------------------------------------------------------

    def save_survey(
        self,
        *,
        enterprise_id: int,
        volunteer_id: int | None,
        surveyed_on: date | str | None,
        score: int | str,
        opinions: str | None = None,
        survey_id: int | None = None,
    ) -> SaveResult:
        today = self.today()
        if surveyed_on in (None, ""):
            raise _invalid("调查日期", "不能为空")
        on = parse_date(surveyed_on, "调查日期", allow_future=False, today=today)
        if isinstance(score, str):
            labels = {label: value for value, label in SATISFACTION_SCORES.items()}
            score = labels.get(score.strip(), score)
        try:
            score_int = int(score)
        except (TypeError, ValueError):
            score_int = 0
        if score_int not in SATISFACTION_SCORES:
            raise _invalid("满意度", "请选择 非常满意、满意、基本满意 或 不满意")
        warnings: list[str] = []
        with self._sf.begin() as s:
            ent = s.get(Enterprise, enterprise_id) if enterprise_id is not None else None
            if ent is None:
                raise _invalid("被调查企业", "请选择企业")
            if volunteer_id is not None:
                vol = s.get(Volunteer, volunteer_id)
                if vol is None:
                    raise _invalid("志愿者", f"找不到编号为 {volunteer_id} 的志愿者")
                linked = s.scalar(select(func.count()).select_from(VolunteerContact).where(
                    VolunteerContact.volunteer_id == volunteer_id, VolunteerContact.enterprise_id == enterprise_id))
                if not linked:
                    warnings.append(f"“{ent.name}”不是{vol.name}的联系企业")
            values = {"enterprise_id": ent.id, "volunteer_id": volunteer_id, "surveyed_on": on, "score": score_int,
                      "opinions": _long(opinions)}
            if survey_id is None:
                row = SatisfactionSurvey(**values)
                s.add(row)
                s.flush()
            else:
                row = s.get(SatisfactionSurvey, survey_id)
                if row is None:
                    raise _invalid("满意度调查", f"找不到编号为 {survey_id} 的调查")
                for k, val in values.items():
                    setattr(row, k, val)
            _audit(s, self.user_login, "create" if survey_id is None else "update", "satisfaction_survey", row.uuid,
                   f"满意度调查：{ent.name}{SATISFACTION_SCORES[score_int]}", after=values)
            return SaveResult(row.id, tuple(warnings))

    def delete_survey(self, survey_id: int) -> None:
        with self._sf.begin() as s:
            row = s.get(SatisfactionSurvey, survey_id)
            if row is None:
                raise _invalid("满意度调查", f"找不到编号为 {survey_id} 的调查")
            s.delete(row)

    # -- 附件3 narrative ------------------------------------------------------------------------------

    def save_summary_texts(self, year: int, quarter: int, texts: dict[str, str], scope: str = "") -> None:
        """Keep the clerk's text of each 附件3 section for the quarter (one transaction)."""
        period = summary_period(year, quarter)
        known = {key for key, _label in SUMMARY_SECTIONS}
        unknown = set(texts) - known
        if unknown:
            raise _invalid("总结内容", f"未知的部分 {'、'.join(sorted(unknown))}")
        with self._sf.begin() as s:
            existing = {
                r.section: r
                for r in s.scalars(select(ReportText).where(
                    ReportText.kind == SUMMARY_KIND, ReportText.scope == (scope or ""), ReportText.period == period))
            }
            for section, text in texts.items():
                text = (text or "").strip()
                row = existing.get(section)
                if row is None:
                    if text:
                        s.add(ReportText(kind=SUMMARY_KIND, scope=scope or "", period=period, section=section, text=text))
                else:
                    row.text = text

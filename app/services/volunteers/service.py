"""Writes of the volunteer programme: :class:`VolunteerService` (settings, volunteers, contacts; service
records, surveys and 附件3 texts come from :class:`~.record_writes.RecordWrites`). Each action is one
transaction, checked first so nothing is half-saved."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from types import EllipsisType
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import SaveResult
from app.services.app_settings import set_setting
from app.services.enterprises import find_or_create_enterprise
from app.services.validation import (
    check_credit_code,
    check_id_number,
    check_phone,
    normalize_text,
    parse_date,
    parse_date_optional,
    parse_int_optional,
)
from app.services.validation import long_text as _long
from app.services.validation import short_text as _short
from app.services.volunteers.common import (
    AGE_LIMIT,
    CONTACTS_MAX,
    CONTACTS_MIN,
    SETTING_DEFAULTS,
    SETTING_LABELS,
    _audit,
    _cn,
    _invalid,
    _is_jpeg,
    _period_text,
    setting_value,
)
from app.services.volunteers.directory import _NAME_FOLD
from app.services.volunteers.dtos import ContactInput, VolunteerData
from app.services.volunteers.record_writes import RecordWrites
from app.services.volunteers.roster import age_warning, contact_warnings
from db.enums import VolunteerStatus
from db.models import (
    Enterprise,
    ServiceRecordVolunteer,
    Volunteer,
    VolunteerContact,
)


class VolunteerService(RecordWrites):
    """Writes (each one transaction) and convenience reads for the UI. ``clock`` gives "today"."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        user_login: str | None = None,
        clock: Callable[[], date] | None = None,
    ) -> None:
        self._sf = session_factory
        self.user_login = user_login
        self._clock = clock or date.today

    def today(self) -> date:
        return self._clock()

    # -- reads (short sessions, detached DTOs) ----------------------------------------------------

    def read(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a read function of this module in a fresh session: ``svc.read(list_units)``."""
        with self._sf() as s:
            return fn(s, *args, **kwargs)

    def settings(self) -> dict[str, int]:
        with self._sf() as s:
            return {key: setting_value(s, key) for key in SETTING_DEFAULTS}

    def set_settings(self, values: dict[str, Any]) -> None:
        clean = {}
        for key, value in values.items():
            if key not in SETTING_DEFAULTS:
                raise _invalid("设置项", f"未知的设置项 {key}")
            number = parse_int_optional(value, SETTING_LABELS[key], minimum=0, maximum=100)
            clean[key] = SETTING_DEFAULTS[key] if number is None else number
        if clean.get(CONTACTS_MIN, 0) > clean.get(CONTACTS_MAX, 10**6):
            raise _invalid(SETTING_LABELS[CONTACTS_MIN], "不能大于上限")
        with self._sf.begin() as s:
            for key, value in clean.items():
                set_setting(s, key, value)

    # -- volunteers --------------------------------------------------------------------------------

    def check_volunteer(self, data: VolunteerData) -> tuple[dict[str, Any], list[str]]:
        """Validate the form; returns the clean values and warnings (raises ValidationError)."""
        today = self.today()
        warnings: list[str] = []
        v: dict[str, Any] = {}
        v["name"] = _short(data.name)
        if not v["name"]:
            raise _invalid("姓名", "不能为空")
        if len(v["name"]) > 50:
            raise _invalid("姓名", "不能超过50个字")
        info = check_id_number(data.id_number, "身份证号码", today=today)
        v["id_number"] = info.number
        v["birth_date"] = info.birth_date
        v["gender"] = info.gender
        warnings.extend(info.warnings)
        if data.gender and data.gender != info.gender:
            warnings.append(f"性别按身份证号码记为“{info.gender}”（填写的是“{data.gender}”）")
        with self._sf() as s:
            limit = setting_value(s, AGE_LIMIT)
        w = age_warning(info.birth_date, today, limit)
        if w:
            warnings.append(w)
        for key in ("ethnicity", "political_status", "education", "degree", "school_major", "unit", "post",
                    "category", "arbitrator_cert_no", "email", "zyh_id", "recommended_by"):
            v[key] = _short(getattr(data, key))
        for key in ("intention", "resume", "achievements", "remark"):
            v[key] = _long(getattr(data, key))
        if not v["unit"]:
            raise _invalid("工作单位", "不能为空")
        v["phone"] = check_phone(data.phone, "联系电话") if _short(data.phone) else None
        if v["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v["email"]):
            raise _invalid("电子邮箱", f"“{v['email']}”格式不正确")
        v["years_in_service"] = parse_int_optional(data.years_in_service, "从事调解仲裁工作年限", minimum=0, maximum=60)
        v["cases_handled"] = parse_int_optional(data.cases_handled, "办案（调解）数量", minimum=0, maximum=100000)
        v["arbitrator_since"] = parse_date_optional(data.arbitrator_since, "仲裁员聘任时间", allow_future=False, today=today)
        v["joined_on"] = parse_date_optional(data.joined_on, "加入时间", allow_future=False, today=today) or today
        status = data.status or VolunteerStatus.ACTIVE.value
        if status in (VolunteerStatus.ACTIVE.label, VolunteerStatus.LEFT.label):
            status = VolunteerStatus.from_label(status).value
        if status not in (VolunteerStatus.ACTIVE.value, VolunteerStatus.LEFT.value):
            raise _invalid("状态", f"“{status}”应为 在册 或 已退出")
        v["status"] = status
        v["left_on"] = parse_date_optional(data.left_on, "退出时间", today=today)
        if status == VolunteerStatus.LEFT.value and v["left_on"] is None:
            raise _invalid("退出时间", "状态为“已退出”时必须填写退出时间")
        if status == VolunteerStatus.ACTIVE.value and v["left_on"] is not None:
            raise _invalid("退出时间", "状态为“在册”时不能填写退出时间（要退出请把状态改为“已退出”）")
        if v["left_on"] is not None and v["left_on"] < v["joined_on"]:
            raise _invalid("退出时间", "不能早于加入时间")
        v["zyh_registered"] = bool(data.zyh_registered)
        if not v["zyh_registered"]:
            v["zyh_id"] = v["zyh_id"] if v["zyh_id"] else None
        v["expertise"] = [t for t in (normalize_text(x) for x in (data.expertise or [])) if t] or None
        return v, warnings

    def save_volunteer(self, data: VolunteerData, *, photo: bytes | None | EllipsisType = ...) -> SaveResult:
        """Add (``data.id`` None) or update a volunteer. Leaving closes the open contacts on the leaving day.

        ``photo``: the 照片 made by :func:`app.services.photos.prepare_photo`, ``None`` to remove it, or left out
        to keep it as it is; it is written in the same transaction as the rest.
        """
        values, warnings = self.check_volunteer(data)
        if photo is not ... and photo is not None and not _is_jpeg(photo):
            raise _invalid("照片", "请先用“选择照片”读入图片")
        with self._sf.begin() as s:
            dup = s.scalar(
                select(Volunteer).where(Volunteer.id_number == values["id_number"], Volunteer.id != (data.id or -1))
            )
            if dup is not None:
                raise _invalid("身份证号码", f"与已登记的志愿者“{dup.name}”（编号 {dup.id}）相同")
            if data.id is None:
                vol = Volunteer(**values)
                s.add(vol)
                s.flush()
                _audit(s, self.user_login, "create", "volunteer", vol.uuid, f"新增志愿者{vol.name}", after=values)
            else:
                vol = s.get(Volunteer, data.id)
                if vol is None:
                    raise _invalid("志愿者", f"找不到编号为 {data.id} 的志愿者")
                before = {k: getattr(vol, k) for k in values}
                for k, val in values.items():
                    setattr(vol, k, val)
                changed = {k: values[k] for k in values if before[k] != values[k]}
                if changed:
                    _audit(s, self.user_login, "update", "volunteer", vol.uuid, f"修改志愿者{vol.name}",
                           before={k: before[k] for k in changed}, after=changed)
            if photo is not ...:
                old_photo = vol.photo
                if photo != old_photo:
                    vol.photo = photo
                    what = "删除" if photo is None else ("更换" if old_photo else "添加")
                    _audit(s, self.user_login, "update", "volunteer", vol.uuid, f"{what}志愿者{vol.name}的照片")
            if vol.left_on is not None:
                closed = 0
                for c in s.scalars(select(VolunteerContact).where(
                        VolunteerContact.volunteer_id == vol.id,
                        or_(VolunteerContact.to_date.is_(None), VolunteerContact.to_date > vol.left_on))):
                    c.to_date = max(vol.left_on, c.from_date)
                    closed += 1
                if closed:
                    warnings.append(f"已将{closed}家联系企业的联系截止日期设为退出时间")
            return SaveResult(vol.id, tuple(warnings))

    def photo(self, volunteer_id: int) -> bytes | None:
        """The stored 照片 (JPEG) of a volunteer, or None."""
        with self._sf() as s:
            return s.scalar(select(Volunteer.photo).where(Volunteer.id == volunteer_id))

    def delete_volunteer(self, volunteer_id: int) -> None:
        with self._sf.begin() as s:
            vol = s.get(Volunteer, volunteer_id)
            if vol is None:
                raise _invalid("志愿者", f"找不到编号为 {volunteer_id} 的志愿者")
            n = s.scalar(select(func.count()).select_from(ServiceRecordVolunteer).where(
                ServiceRecordVolunteer.volunteer_id == volunteer_id)) or 0
            if n:
                raise _invalid("志愿者", f"{vol.name}已有{n}条志愿服务记录，不能删除；如已不再参加，请把状态改为“已退出”")
            _audit(s, self.user_login, "delete", "volunteer", vol.uuid, f"删除志愿者{vol.name}")
            s.delete(vol)

    # -- contacts ------------------------------------------------------------------------------------

    def save_contact(self, data: ContactInput, contact_id: int | None = None) -> SaveResult:
        """Link a volunteer to an enterprise (new or existing directory entry), or edit a link.

        Refused: unknown volunteer or enterprise, a bad credit code for a new enterprise, dates out of
        order or a start in the future, and a period overlapping another link of the same volunteer to
        the same enterprise. Warnings: contact counts out of the settings' range, enterprises shared with
        other volunteers, a link starting before the volunteer joined.
        """
        today = self.today()
        frm = parse_date(data.from_date, "建立联系时间", allow_future=False, today=today) if data.from_date not in (None, "") else None
        if frm is None:
            raise _invalid("建立联系时间", "不能为空")
        to = parse_date_optional(data.to_date, "联系截止时间", today=today)
        if to is not None and to < frm:
            raise _invalid("联系截止时间", "不能早于建立联系时间")
        new_ent = data.new_enterprise
        if new_ent is not None:
            if not _short(new_ent.name):
                raise _invalid("企业名称", "不能为空")
            if not _short(new_ent.credit_code):
                raise _invalid("统一社会信用代码", "新建企业时必须填写")
            check_credit_code(new_ent.credit_code, "统一社会信用代码")
        if new_ent is None and data.enterprise_id is None:
            raise _invalid("联系企业", "请选择一家企业，或填写新企业的名称和统一社会信用代码")
        warnings: list[str] = []
        with self._sf.begin() as s:
            vol = s.get(Volunteer, data.volunteer_id)
            if vol is None:
                raise _invalid("志愿者", f"找不到编号为 {data.volunteer_id} 的志愿者")
            if vol.left_on is not None and frm > vol.left_on:
                raise _invalid("建立联系时间", f"{vol.name}已于{_cn(vol.left_on)}退出，不能再建立联系")
            if new_ent is not None:
                extra = {f.name: getattr(new_ent, f.name) for f in fields(new_ent) if f.name not in ("name", "credit_code")}
                eid, created = find_or_create_enterprise(s, new_ent.name, new_ent.credit_code, **extra)
                ent = s.get(Enterprise, eid)
                if created:
                    _audit(s, self.user_login, "create", "enterprise", ent.uuid, f"新增企业{ent.name}",
                           after={"name": ent.name, "credit_code": ent.credit_code})
                elif normalize_text(ent.name).translate(_NAME_FOLD) != normalize_text(new_ent.name).translate(_NAME_FOLD):
                    warnings.append(f"统一社会信用代码 {ent.credit_code} 在企业名录中属于“{ent.name}”，已关联该企业")
            else:
                ent = s.get(Enterprise, data.enterprise_id)
                if ent is None:
                    raise _invalid("联系企业", f"企业名录中找不到编号为 {data.enterprise_id} 的企业")
            end_cmp = to or date.max
            for other in s.scalars(select(VolunteerContact).where(
                    VolunteerContact.volunteer_id == vol.id, VolunteerContact.enterprise_id == ent.id,
                    VolunteerContact.id != (contact_id or -1))):
                o_end = other.to_date or date.max
                if other.from_date <= end_cmp and frm <= o_end:
                    raise _invalid(
                        "联系企业",
                        f"{vol.name}已于{_period_text(other.from_date, other.to_date)}联系“{ent.name}”，"
                        "时间段重叠，不能重复添加（如需续联，请从原联系截止之后开始）",
                    )
            if vol.joined_on is not None and frm < vol.joined_on:
                warnings.append(f"建立联系时间早于{vol.name}加入志愿者队伍的时间（{_cn(vol.joined_on)}）")
            values = {
                "volunteer_id": vol.id, "enterprise_id": ent.id, "from_date": frm, "to_date": to,
                "reason": _short(data.reason), "service_mode": _short(data.service_mode),
                "service_content": _short(data.service_content), "remark": _short(data.remark),
            }
            if contact_id is None:
                c = VolunteerContact(**values)
                s.add(c)
                s.flush()
                _audit(s, self.user_login, "create", "volunteer_contact", c.uuid,
                       f"{vol.name}联系企业{ent.name}", after=values)
            else:
                c = s.get(VolunteerContact, contact_id)
                if c is None:
                    raise _invalid("联系企业", f"找不到编号为 {contact_id} 的联系记录")
                before = {k: getattr(c, k) for k in values}
                for k, val in values.items():
                    setattr(c, k, val)
                _audit(s, self.user_login, "update", "volunteer_contact", c.uuid,
                       f"修改{vol.name}联系企业{ent.name}", before=before, after=values)
            s.flush()
            warnings.extend(contact_warnings(s, vol.id, today=today))
            return SaveResult(c.id, tuple(warnings))

    def end_contact(self, contact_id: int, to_date: date | str | None = None, remark: str | None = None) -> SaveResult:
        today = self.today()
        to = parse_date_optional(to_date, "联系截止时间", today=today) or today
        with self._sf.begin() as s:
            c = s.get(VolunteerContact, contact_id)
            if c is None:
                raise _invalid("联系企业", f"找不到编号为 {contact_id} 的联系记录")
            if to < c.from_date:
                raise _invalid("联系截止时间", f"不能早于建立联系时间（{_cn(c.from_date)}）")
            before = c.to_date
            c.to_date = to
            if remark:
                c.remark = _short(remark)
            _audit(s, self.user_login, "end", "volunteer_contact", c.uuid, "结束联系",
                   before={"to_date": before}, after={"to_date": to})
            s.flush()
            return SaveResult(c.id, tuple(contact_warnings(s, c.volunteer_id, today=today)))

    def delete_contact(self, contact_id: int) -> None:
        with self._sf.begin() as s:
            c = s.get(VolunteerContact, contact_id)
            if c is None:
                raise _invalid("联系企业", f"找不到编号为 {contact_id} 的联系记录")
            _audit(s, self.user_login, "delete", "volunteer_contact", c.uuid, "删除联系企业记录",
                   before={"volunteer_id": c.volunteer_id, "enterprise_id": c.enterprise_id,
                           "from_date": c.from_date, "to_date": c.to_date})
            s.delete(c)

"""Target ``services``: 志愿服务记录 kept in a sheet (date, volunteers, enterprises, item, hours …).

Volunteers are named in one cell (several separated by 、 or commas) and must already be on the roster
(import the roster first); enterprises are matched to the directory and created when new. A row matches a
record already in the database by 记录标识, else by the same date, item, volunteers and enterprises. The
daily cap of 24 hours per volunteer is checked as the service form does, counting the records of that day.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from app.services.importing.base import Target
from app.services.importing.records import Change
from app.services.importing.schema import FieldSpec, TargetInfo
from app.services.importing.targets.common import EnterpriseDirectory
from app.services.importing.targets.helpers import changes_for, choose, chunks
from db.lookups import SERVICE_ITEM, lookup_labels
from db.models import (
    ServiceRecord,
    ServiceRecordEnterprise,
    ServiceRecordVolunteer,
    Volunteer,
)

FIELDS = (
    FieldSpec("served_on", "服务日期", ("日期", "活动日期", "服务时间", "活动时间", "开展时间", "时间"), kind="date", required=True),
    FieldSpec("volunteers", "志愿者", ("参与志愿者", "志愿者姓名", "服务人员", "参加人员", "参加志愿者", "服务志愿者"), required=True),
    FieldSpec("enterprises", "服务企业", ("企业名称", "服务对象", "联系企业", "单位名称", "服务单位", "走访企业"), kind="text"),
    FieldSpec("item", "服务项目", ("服务形式", "活动形式", "项目", "服务类型", "活动类型", "活动名称"), required=True),
    FieldSpec("content", "服务内容", ("活动内容", "主要内容", "内容"), kind="longtext"),
    FieldSpec("hours", "服务时长(小时)", ("服务时长", "时长", "小时数", "时长(小时)", "服务小时"), kind="hours"),
    FieldSpec("people_reached", "受益人数", ("覆盖人数", "服务人数", "参与人数", "受众人数", "受益职工人数"), kind="int"),
    FieldSpec("problems", "发现问题", ("发现的问题", "存在问题", "存在的问题"), kind="longtext"),
    FieldSpec("advice", "意见建议", ("建议", "提出建议", "提出的建议"), kind="longtext"),
    FieldSpec("consultations", "政策咨询人次", ("咨询人次", "解答咨询人次"), kind="int"),
    FieldSpec("materials", "发放宣传资料份数", ("发放资料份数", "宣传资料"), kind="int"),
    FieldSpec("risks_found", "发现风险隐患条数", ("风险隐患条数", "风险隐患"), kind="int"),
    FieldSpec("suggestions", "提出整改建议条数", ("整改建议条数", "整改建议"), kind="int"),
    FieldSpec("committees_established", "指导建立调解委员会个数", ("指导建立调解组织个数",), kind="int"),
    FieldSpec("disputes_resolved", "协助化解劳动争议件数", ("化解争议件数", "化解劳动争议件数"), kind="int"),
    FieldSpec("dispute_workers", "涉及劳动者人数", ("涉及人数",), kind="int"),
    FieldSpec("dispute_amount", "涉及金额(元)", ("涉及金额", "涉案金额"), kind="amount"),
    FieldSpec("publicity", "宣传报道篇数", ("宣传报道", "报道篇数"), kind="int"),
    FieldSpec("uploaded_zyh", "是否上传志愿汇", ("上传志愿汇", "已上传志愿汇", "志愿汇"), kind="bool"),
    FieldSpec("uploaded_on", "上传日期", ("上传志愿汇日期",), kind="date"),
    FieldSpec("seq", "序号", ("序", "编号"), kind="ignore"),
    FieldSpec("uuid", "记录标识", (), kind="uuid"),
)
LABELS = {f.key: f.label for f in FIELDS}
ATTRS = ("served_on", "item", "content", "minutes", "people_reached", "problems", "advice", "consultations", "materials",
         "risks_found", "suggestions", "committees_established", "disputes_resolved", "dispute_workers",
         "dispute_amount_fen", "publicity", "uploaded_zyh", "uploaded_on")
ATTR_LABELS = {**{k: LABELS.get(k, k) for k in ATTRS}, "minutes": "服务时长", "dispute_amount_fen": "涉及金额"}
_SPLIT = re.compile(r"[、,，;；/\n]+")
ITEM_FUZZY = (("讲座", "lecture"), ("送法", "visit"), ("入企", "visit"), ("走访", "visit"), ("庭审", "hearing"), ("体检", "checkup"),
              ("以案", "case_talk"), ("沙龙", "salon"), ("座谈", "salon"), ("网络", "online"), ("线上", "online"), ("视频", "video"),
              ("宣讲", "policy"), ("政策", "policy"), ("培训", "training"), ("答疑", "qa"), ("咨询", "qa"))


def split_names(text: str | None) -> list[str]:
    if not text:
        return []
    return list(dict.fromkeys(p.strip() for p in _SPLIT.split(text) if p.strip()))


class ServiceTarget(Target):
    info = TargetInfo(
        "services",
        "志愿服务记录",
        FIELDS,
        "服务日期、志愿者、服务项目必填；志愿者须已在志愿者名册中（可先导入名册），多名志愿者或企业用顿号分隔。",
    )

    def prepare(self, ctx) -> None:
        labels = lookup_labels(ctx.session, SERVICE_ITEM)
        ctx.cache["items"] = {**{v: k for k, v in labels.items()}, **{k: k for k in labels}}
        ctx.cache["item_codes"] = set(labels)
        ctx.cache["dir"] = EnterpriseDirectory(ctx.session)
        ctx.cache["vols"] = {}
        ctx.cache["minutes"] = {}  # (volunteer id, date) → minutes already used by this file

    def _volunteers(self, ctx, names: list[str]) -> dict[str, list[Volunteer]]:
        cache = ctx.cache["vols"]
        todo = [n for n in names if n not in cache]
        for part in chunks(todo):
            found: dict[str, list[Volunteer]] = {}
            for v in ctx.session.scalars(select(Volunteer).where(Volunteer.name.in_(part))):
                found.setdefault(v.name, []).append(v)
            for n in part:
                cache[n] = found.get(n, [])
        return {n: cache[n] for n in names}

    def check_row(self, ctx, row) -> None:
        v = row.values
        values: dict = {}
        served = v.get("served_on")
        if served is None:
            ctx.problem(row, "served_on", "服务日期：不能为空")
            return
        if served > ctx.today:
            ctx.problem(row, "served_on", f"服务日期 {served.isoformat()} 晚于今天")
        values["served_on"] = served
        item = v.get("item")
        code = choose(item, ctx.cache["items"], ITEM_FUZZY) if item else None
        if item is None:
            ctx.problem(row, "item", "服务项目：不能为空")
            return
        if code is None or code not in ctx.cache["item_codes"]:
            ctx.problem(row, "item", f"服务项目“{item}”不在列表中，按“其他”导入", "warning")
            code = "other"
        values["item"] = code
        names = split_names(v.get("volunteers"))
        if not names:
            ctx.problem(row, "volunteers", "志愿者：不能为空")
            return
        found = self._volunteers(ctx, names)
        vol_ids = []
        for n in names:
            hits = found[n]
            if not hits:
                ctx.problem(row, "volunteers", f"志愿者名册中没有“{n}”，请先导入或登记志愿者")
            elif len(hits) > 1:
                ctx.problem(row, "volunteers", f"志愿者名册中有 {len(hits)} 人叫“{n}”，无法确定是哪一位")
            else:
                vol_ids.append(hits[0].id)
        if not row.ok:
            return
        minutes = v.get("hours")
        if minutes is None:
            ctx.problem(row, "hours" if ctx.has("hours") else None, "服务时长：不能为空（小时数，如 2 或 1.5）")
            return
        values["minutes"] = minutes
        for key in ("content", "people_reached", "problems", "advice", "consultations", "materials", "risks_found",
                    "suggestions", "committees_established", "disputes_resolved", "dispute_workers", "publicity",
                    "uploaded_zyh", "uploaded_on"):
            if key in v:
                values[key] = v[key]
        if "dispute_amount" in v:
            values["dispute_amount_fen"] = v["dispute_amount"]
        if values.get("uploaded_on") and not values.get("uploaded_zyh", True):
            values.pop("uploaded_on")
        if values.get("uploaded_on") and values["uploaded_on"] < served:
            ctx.problem(row, "uploaded_on", "上传志愿汇日期不能早于服务日期")
        if values.get("uploaded_on"):
            values.setdefault("uploaded_zyh", True)
        row.scratch["values"] = values
        row.scratch["vol_ids"] = vol_ids
        row.scratch["ent_names"] = split_names(v.get("enterprises"))

    def resolve(self, ctx, rows) -> None:
        s = ctx.session
        live = [r for r in rows if "values" in r.scratch]
        d: EnterpriseDirectory = ctx.cache["dir"]
        d.preload([], [n for r in live for n in r.scratch["ent_names"]])
        uuids = [r.values["uuid"] for r in live if r.values.get("uuid")]
        by_uuid: dict[str, ServiceRecord] = {}
        for part in chunks(uuids):
            by_uuid.update({x.uuid: x for x in s.scalars(select(ServiceRecord).where(ServiceRecord.uuid.in_(part)))})
        dates = list({r.scratch["values"]["served_on"] for r in live})
        existing: dict[tuple, ServiceRecord] = {}
        used: dict[tuple[int, object], int] = {}
        for part in chunks(dates):
            recs = s.scalars(select(ServiceRecord).where(ServiceRecord.served_on.in_(part))).all()
            ids = [x.id for x in recs]
            vols: dict[int, set[int]] = {}
            ents: dict[int, set[int]] = {}
            for p2 in chunks(ids):
                for rid, vid in s.execute(select(ServiceRecordVolunteer.service_record_id, ServiceRecordVolunteer.volunteer_id).where(ServiceRecordVolunteer.service_record_id.in_(p2))):
                    vols.setdefault(rid, set()).add(vid)
                for rid, eid in s.execute(select(ServiceRecordEnterprise.service_record_id, ServiceRecordEnterprise.enterprise_id).where(ServiceRecordEnterprise.service_record_id.in_(p2))):
                    ents.setdefault(rid, set()).add(eid)
            for x in recs:
                existing[(x.served_on, x.item, frozenset(vols.get(x.id, ())), frozenset(ents.get(x.id, ())))] = x
                for vid in vols.get(x.id, ()):
                    used[(vid, x.served_on)] = used.get((vid, x.served_on), 0) + (x.minutes or 0)
        seen: dict[tuple, int] = {}
        for r in live:
            values = r.scratch["values"]
            ent_ids = []
            for n in r.scratch["ent_names"]:
                e = d.find(n, None)
                ent_ids.append(e.id if e else ("new", n))
            r.scratch["ent_ids"] = ent_ids
            key = (values["served_on"], values["item"], frozenset(r.scratch["vol_ids"]), frozenset(ent_ids))
            if key in seen:
                ctx.problem(r, "served_on", f"与第{seen[key]}行是同一次服务（日期、项目、志愿者和企业都相同）")
                continue
            seen[key] = r.row
            rec = by_uuid.get(r.values.get("uuid", ""))
            how = "uuid" if rec else ""
            if rec is None:
                rec = existing.get(key)
                how = "service" if rec else ""
            if rec is None:
                for vid in r.scratch["vol_ids"]:
                    total = used.get((vid, values["served_on"]), 0) + values["minutes"]
                    if total > 24 * 60:
                        ctx.problem(r, "hours", f"同一名志愿者在{values['served_on'].isoformat()}的服务时长合计超过每天24小时")
                        break
                    used[(vid, values["served_on"])] = total
                continue
            current = {k: getattr(rec, k) for k in ATTRS}
            diffs = changes_for(current, values, {k: ATTR_LABELS[k] for k in values if k in ATTR_LABELS},
                                {"minutes": lambda m: "" if m is None else f"{m / 60:g}小时"})
            r.existing_id, r.match = rec.id, how
            r.changes = [Change(label, old, new) for _k, label, old, new in diffs]
            r.scratch["apply"] = {k: values[k] for k, *_ in diffs}
            r.action = "update" if diffs else "unchanged"

    def write(self, ctx, rows, tick) -> None:
        s = ctx.session
        d: EnterpriseDirectory = ctx.cache["dir"]
        for n, r in enumerate(rows, 1):
            if r.action == "new":
                rec = ServiceRecord(**r.scratch["values"])
                if r.values.get("uuid"):
                    rec.uuid = r.values["uuid"]
                s.add(rec)
                s.flush()
                for vid in r.scratch["vol_ids"]:
                    s.add(ServiceRecordVolunteer(service_record_id=rec.id, volunteer_id=vid))
                done = set()
                for e in r.scratch["ent_ids"]:
                    if isinstance(e, tuple):
                        ent = d.find(e[1], None) or d.create(ctx, e[1], {})
                        e = ent.id
                    if e not in done:
                        s.add(ServiceRecordEnterprise(service_record_id=rec.id, enterprise_id=e))
                        done.add(e)
            else:
                rec = s.get(ServiceRecord, r.existing_id)
                for k, value in r.scratch["apply"].items():
                    setattr(rec, k, value)
            tick(n, len(rows))
        s.flush()


TARGET = ServiceTarget()

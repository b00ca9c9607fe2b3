"""Target ``volunteers``: 青年仲裁员志愿者, with the enterprises each one contacts (附件2 名册).

A row is a volunteer, or — when it names an enterprise — a volunteer–enterprise pair (联系企业). The same
volunteer on several rows is one person: found by ID number, else by name and unit, else by a name that is
unique. Enterprises are matched to the directory by credit code, then exact name, and created when new.
In the enterprise-roster export the hidden 记录标识 is the pair's; in a roster without enterprise columns it
is the volunteer's. Masked phones are never written over full ones.
"""

from __future__ import annotations

from sqlalchemy import select

from app.services.importing.base import Target
from app.services.importing.parsing import Masked
from app.services.importing.records import Change
from app.services.importing.schema import FieldSpec, TargetInfo
from app.services.importing.targets.common import EnterpriseDirectory, enterprise_fields
from app.services.importing.targets.helpers import changes_for, chunks, masked_mismatch
from db.enums import VolunteerStatus
from db.models import Enterprise, Volunteer, VolunteerContact

VOL_FIELDS = (
    FieldSpec("name", "志愿者姓名", ("姓名", "志愿者", "名字"), required=True, max_len=50),
    FieldSpec("gender", "性别", ()),
    FieldSpec("id_number", "身份证号码", ("身份证号", "公民身份号码", "身份证", "志愿者身份证号"), kind="id"),
    FieldSpec("birth_date", "出生年月", ("出生日期", "出生时间"), kind="date"),
    FieldSpec("ethnicity", "民族", (), max_len=20),
    FieldSpec("political_status", "政治面貌", (), max_len=20),
    FieldSpec("education", "学历", ("文化程度", "最高学历"), max_len=20),
    FieldSpec("degree", "学位", (), max_len=20),
    FieldSpec("school_major", "毕业院校及专业", ("毕业院校", "毕业学校", "所学专业", "专业"), max_len=200),
    FieldSpec("unit", "志愿者所在单位", ("工作单位", "所在单位", "单位", "志愿者单位"), max_len=200),
    FieldSpec("post", "职务", ("志愿者职务", "职务职级", "岗位"), max_len=100),
    FieldSpec("category", "人员类别", ("类别", "身份类别"), max_len=20),
    FieldSpec("arbitrator_since", "仲裁员聘任时间", ("从事仲裁工作时间", "任仲裁员时间", "聘任时间"), kind="date"),
    FieldSpec("arbitrator_cert_no", "仲裁员证号", ("仲裁员证书编号", "仲裁员证书号"), max_len=60),
    FieldSpec("phone", "志愿者联系电话", ("联系电话", "电话", "手机", "手机号码", "志愿者电话"), kind="phone"),
    FieldSpec("email", "电子邮箱", ("邮箱", "电子邮件"), max_len=100),
    FieldSpec("zyh_registered", "是否注册志愿汇", ("志愿汇注册", "已注册志愿汇", "注册志愿汇"), kind="bool"),
    FieldSpec("zyh_id", "志愿汇编号", ("志愿汇ID", "志愿汇账号"), max_len=60),
    FieldSpec("recommended_by", "推荐单位", ("推荐单位意见",), max_len=200),
    FieldSpec("joined_on", "加入时间", ("加入日期", "入队时间"), kind="date"),
    FieldSpec("left_on", "退出时间", ("退出日期",), kind="date"),
)
CONTACT_FIELDS = (
    FieldSpec("linked_date", "建立联系时间", ("联系时间", "建立联系日期", "开始联系时间", "联系日期"), kind="date"),
    FieldSpec("end_date", "结束联系时间", ("停止联系时间", "联系截止时间"), kind="date"),
    FieldSpec("reason", "选择原因", ("联系原因", "选取原因"), max_len=200),
    FieldSpec("service_mode", "服务方式", (), max_len=100),
    FieldSpec("service_content", "主要服务内容", ("服务内容",), max_len=300),
)
FIELDS = (
    *VOL_FIELDS,
    *enterprise_fields("ent_", name_required=False),
    *CONTACT_FIELDS,
    FieldSpec("remark", "备注", ("说明",), max_len=200),
    FieldSpec("seq", "序号", ("序", "编号"), kind="ignore"),
    FieldSpec("uuid", "记录标识", (), kind="uuid"),
)
LABELS = {f.key: f.label for f in FIELDS}
VOL_ATTRS = [f.key for f in VOL_FIELDS] + ["remark"]
CONTACT_ATTRS = {"linked_date": "from_date", "end_date": "to_date", "reason": "reason", "service_mode": "service_mode",
                 "service_content": "service_content", "remark": "remark"}


class VolunteerTarget(Target):
    info = TargetInfo(
        "volunteers",
        "志愿者及联系企业",
        FIELDS,
        "志愿者姓名必填；有“联系企业名称”列时每行是一对志愿者—联系企业（附件2 名册），企业按信用代码、名称与企业名录对照。",
        export_kinds=("enterprise-roster",),
    )

    def prepare(self, ctx) -> None:
        ctx.cache["dir"] = EnterpriseDirectory(ctx.session)
        ctx.cache["pairs"] = ctx.has("ent_name")
        if not ctx.has("unit"):
            ctx.note("表格中没有“志愿者所在单位”列：按姓名与已有志愿者对照。", "warning")

    def check_row(self, ctx, row) -> None:
        v = row.values
        vol: dict = {}
        for key in VOL_ATTRS:
            if key in v and key != "remark":
                vol[key] = v[key]
        if (g := vol.get("gender")) is not None:
            g = g.removesuffix("性")
            if g not in ("男", "女"):
                ctx.problem(row, "gender", "性别：应为“男”或“女”")
                return
            vol["gender"] = g
        idn = vol.get("id_number")
        if isinstance(idn, str) and not isinstance(idn, Masked):
            from app.services.validation import check_id_number

            info = check_id_number(idn, "身份证号码", ctx.today)
            if vol.get("gender") and vol["gender"] != info.gender:
                ctx.problem(row, "gender", f"性别按身份证号码记为“{info.gender}”（填写的是“{vol['gender']}”）", "warning")
            vol["gender"], vol["birth_date"] = info.gender, info.birth_date
        if vol.get("left_on") and vol.get("joined_on") and vol["left_on"] < vol["joined_on"]:
            ctx.problem(row, "left_on", "退出时间不能早于加入时间")
        if vol.get("left_on"):
            vol["status"] = VolunteerStatus.LEFT.value
        pair = ctx.cache["pairs"] and bool(v.get("ent_name"))
        if pair:
            d: EnterpriseDirectory = ctx.cache["dir"]
            row.scratch["ent"] = d.values_from_row(ctx, row, "ent_")
            contact = {CONTACT_ATTRS[k]: v[k] for k in CONTACT_ATTRS if k in v}
            if "from_date" not in contact:
                ctx.problem(row, "linked_date", "建立联系时间：不能为空（有联系企业时必填）")
                return
            if contact.get("to_date") and contact["to_date"] < contact["from_date"]:
                ctx.problem(row, "end_date", "结束联系时间不能早于建立联系时间")
            row.scratch["contact"] = contact
        elif "remark" in v:
            vol["remark"] = v["remark"]
        if ctx.cache["pairs"] and not v.get("ent_name"):
            if any(k.startswith("ent_") and k in v for k in ctx.fields) or "linked_date" in v:
                ctx.problem(row, "ent_name", "联系企业名称：不能为空（该行填写了联系企业的信息）")
                return
        row.scratch["vol"] = vol
        if not vol.get("unit") and ctx.has("unit"):
            ctx.problem(row, "unit", "志愿者所在单位为空", "warning")

    # -- matching -------------------------------------------------------------------------------

    def _find_volunteer(self, ctx, vol: dict) -> tuple[Volunteer | None, str]:
        people: list[Volunteer] = ctx.cache["people"]
        idn = vol.get("id_number")
        if isinstance(idn, str) and not isinstance(idn, Masked):
            hit = [p for p in people if p.id_number == idn]
            if hit:
                return hit[0], "id_number"
        same = [p for p in people if p.name == vol["name"]]
        if vol.get("unit"):
            with_unit = [p for p in same if p.unit == vol["unit"]]
            if len(with_unit) == 1:
                return with_unit[0], "name_unit"
            if with_unit:
                same = with_unit
            elif len(same) == 1 and same[0].unit:
                return None, ""  # the same name in another unit: another person
        if len(same) == 1:
            return same[0], "name"
        return None, ""

    def resolve(self, ctx, rows) -> None:
        s = ctx.session
        live = [r for r in rows if "vol" in r.scratch]
        names = list({r.scratch["vol"]["name"] for r in live})
        people: list[Volunteer] = []
        for part in chunks(names):
            people += s.scalars(select(Volunteer).where(Volunteer.name.in_(part))).all()
        ctx.cache["people"] = people
        d: EnterpriseDirectory = ctx.cache["dir"]
        d.preload([r.values.get("ent_uscc") for r in live if isinstance(r.values.get("ent_uscc"), str) and not isinstance(r.values.get("ent_uscc"), Masked)],
                  [r.values.get("ent_name") for r in live if r.values.get("ent_name")])
        uuids = [r.values["uuid"] for r in live if r.values.get("uuid")]
        by_uuid_c: dict[str, VolunteerContact] = {}
        by_uuid_v: dict[str, Volunteer] = {}
        for part in chunks(uuids):
            if ctx.cache["pairs"]:
                by_uuid_c.update({c.uuid: c for c in s.scalars(select(VolunteerContact).where(VolunteerContact.uuid.in_(part)))})
            else:
                by_uuid_v.update({v.uuid: v for v in s.scalars(select(Volunteer).where(Volunteer.uuid.in_(part)))})
        seen_vol: dict[tuple, int] = {}
        seen_pair: dict[tuple, int] = {}
        for r in live:
            vol = r.scratch["vol"]
            contact = r.scratch.get("contact")
            vkey = (vol["name"], vol.get("unit") or "") if not (isinstance(vol.get("id_number"), str) and not isinstance(vol.get("id_number"), Masked)) else ("id", vol["id_number"])
            existing_c = by_uuid_c.get(r.values.get("uuid", "")) if contact is not None else None
            if existing_c is not None:
                v_obj, how_v = s.get(Volunteer, existing_c.volunteer_id), "uuid"
            elif contact is None and r.values.get("uuid") in by_uuid_v:
                v_obj, how_v = by_uuid_v[r.values["uuid"]], "uuid"
            else:
                v_obj, how_v = self._find_volunteer(ctx, vol)
            r.scratch["vkey"] = vkey
            r.scratch["vol_id"] = v_obj.id if v_obj is not None else None
            first_of_vol = vkey not in seen_vol
            if first_of_vol:
                seen_vol[vkey] = r.row
            elif contact is None:
                r.action = "dup"
                ctx.problem(r, "name", f"与第{seen_vol[vkey]}行是同一名志愿者，只导入一次", "warning")
                continue
            changes: list[Change] = []
            apply_vol: dict = {}
            if v_obj is not None and first_of_vol:
                if masked_mismatch(v_obj.phone, vol.get("phone")):
                    ctx.problem(r, "phone", "脱敏的电话与库中的号码不一致，未更新", "warning")
                current = {k: getattr(v_obj, k) for k in VOL_ATTRS if hasattr(v_obj, k)}
                diffs = changes_for(current, vol, {k: LABELS.get(k, k) for k in vol if k in LABELS})
                changes += [Change(label, old, new) for _k, label, old, new in diffs]
                apply_vol = {k: vol[k] for k, *_ in diffs}
            r.scratch["apply_vol"] = apply_vol
            if contact is None:
                if v_obj is None:
                    r.action = "new"
                else:
                    r.existing_id, r.match = v_obj.id, how_v
                    r.changes = changes
                    r.action = "update" if changes else "unchanged"
                continue
            # the pair
            name, code = r.values["ent_name"], r.values.get("ent_uscc")
            real_code = code if isinstance(code, str) and not isinstance(code, Masked) else None
            e = s.get(Enterprise, existing_c.enterprise_id) if existing_c is not None else d.find(name, real_code)
            r.scratch["ent_id"] = e.id if e is not None else None
            pkey = (vkey, real_code or name)
            if pkey in seen_pair:
                ctx.problem(r, "ent_name", f"与第{seen_pair[pkey]}行是同一对志愿者和联系企业（重复）")
                continue
            seen_pair[pkey] = r.row
            c_obj = existing_c
            how = "uuid" if c_obj is not None else ""
            if c_obj is None and v_obj is not None and e is not None:
                c_obj = s.scalar(select(VolunteerContact).where(
                    VolunteerContact.volunteer_id == v_obj.id, VolunteerContact.enterprise_id == e.id,
                    VolunteerContact.from_date == contact["from_date"]))
                how = "pair" if c_obj is not None else ""
            ent_values = dict(r.scratch["ent"])
            if e is not None and not ctx.cache.setdefault("ent_done", set()).__contains__(e.id):
                ctx.cache["ent_done"].add(e.id)
                if masked_mismatch(e.contact_phone, ent_values.get("contact_phone")):
                    ctx.problem(r, "ent_contact_phone", "脱敏的企业联系人电话与库中的号码不一致，未更新", "warning")
                if e.name != name and how == "uuid":
                    ent_values["name"] = name
                ediffs = EnterpriseDirectory.changes(e, ent_values)
                if ent_values.get("name") and ent_values["name"] != e.name:
                    ediffs.append(("name", "联系企业名称", e.name, ent_values["name"]))
                changes += [Change("企业·" + label, old, new) for _k, label, old, new in ediffs]
                r.scratch["apply_ent"] = {k: ent_values[k] for k, *_ in ediffs}
            if c_obj is None:
                r.action = "new"
                r.changes = changes
                continue
            current = {k: getattr(c_obj, attr) for k, attr in CONTACT_ATTRS.items()}
            cvals = {k: contact[attr] for k, attr in CONTACT_ATTRS.items() if attr in contact}
            cdiffs = changes_for(current, cvals, {k: LABELS[k] for k in cvals})
            changes += [Change(label, old, new) for _k, label, old, new in cdiffs]
            r.scratch["apply_contact"] = {CONTACT_ATTRS[k]: cvals[k] for k, *_ in cdiffs}
            r.existing_id, r.match = c_obj.id, how
            r.changes = changes
            r.action = "update" if changes else "unchanged"

    # -- writing -------------------------------------------------------------------------------

    def write(self, ctx, rows, tick) -> None:
        s = ctx.session
        d: EnterpriseDirectory = ctx.cache["dir"]
        made: dict[tuple, Volunteer] = {}
        for n, r in enumerate(rows, 1):
            vol = r.scratch["vol"]
            v_obj = None
            if r.scratch.get("vol_id"):
                v_obj = s.get(Volunteer, r.scratch["vol_id"])
                for k, value in r.scratch.get("apply_vol", {}).items():
                    if not isinstance(value, Masked):
                        setattr(v_obj, k, value)
            else:
                v_obj = made.get(r.scratch["vkey"])
                if v_obj is None:
                    values = {k: val for k, val in vol.items() if not isinstance(val, Masked)}
                    v_obj = Volunteer(**values)
                    if "contact" not in r.scratch and r.values.get("uuid"):
                        v_obj.uuid = r.values["uuid"]
                    s.add(v_obj)
                    s.flush()
                    made[r.scratch["vkey"]] = v_obj
                    if "contact" in r.scratch:
                        ctx.count_created("志愿者")
            contact = r.scratch.get("contact")
            if contact is not None:
                e = s.get(Enterprise, r.scratch["ent_id"]) if r.scratch.get("ent_id") else None
                if e is None:
                    code = r.values.get("ent_uscc")
                    e = d.find(r.values["ent_name"], code if isinstance(code, str) and not isinstance(code, Masked) else None)
                if e is None:
                    e = d.create(ctx, r.values["ent_name"], dict(r.scratch["ent"]))
                else:
                    apply_ent = dict(r.scratch.get("apply_ent", {}))
                    if "name" in apply_ent:
                        e.name = apply_ent.pop("name")
                    EnterpriseDirectory.apply(e, apply_ent)
                if r.action == "new":
                    c = VolunteerContact(volunteer_id=v_obj.id, enterprise_id=e.id, **contact)
                    if r.values.get("uuid"):
                        c.uuid = r.values["uuid"]
                    s.add(c)
                else:
                    c = s.get(VolunteerContact, r.existing_id)
                    for attr, value in r.scratch.get("apply_contact", {}).items():
                        setattr(c, attr, value)
            tick(n, len(rows))
        s.flush()


TARGET = VolunteerTarget()

"""Target ``mediators``: the 调解员名册, from the mediator-roster export or an office's own sheet.

A row matches a mediator by 记录标识, else by ID number in the same organization, else by name in the same
organization (when neither side has an ID number). The organization comes from the 所属调解组织 column, else
from the organization chosen for the import. The training columns of the export (次数, 学时) are totals of
the training records and are not imported.
"""

from __future__ import annotations

from sqlalchemy import select

from app.services.importing.base import Target
from app.services.importing.parsing import Masked
from app.services.importing.records import Change
from app.services.importing.schema import FieldSpec, TargetInfo
from app.services.importing.targets.cases import AUTO_MEDIATOR_NOTE
from app.services.importing.targets.helpers import changes_for, choose, chunks, masked_mismatch
from app.services.validation import ValidationError, check_date_order
from db.lookups import MEDIATOR_BACKGROUND, lookup_labels
from db.models import Mediator

FIELDS = (
    FieldSpec("organization", "所属调解组织", ("调解组织", "所在调解组织", "所在组织", "组织名称", "所在单位", "调解组织名称"), max_len=200),
    FieldSpec("name", "姓名", ("调解员姓名", "调解员", "名字"), required=True, max_len=50),
    FieldSpec("gender", "性别", ()),
    FieldSpec("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证", "证件号码"), kind="id"),
    FieldSpec("kind", "专职/兼职", ("专兼职", "专职或兼职", "是否专职", "调解员类别", "类别", "专职兼职")),
    FieldSpec("background", "背景", ("调解员背景", "身份背景", "职业背景", "人员来源", "身份")),
    FieldSpec("post", "职务", ("现任职务", "职务职称", "职称"), max_len=60),
    FieldSpec("certified", "持证上岗", ("是否持证", "是否持证上岗", "持证"), kind="bool"),
    FieldSpec("certificate_level", "证书等级", ("持证等级", "等级"), max_len=30),
    FieldSpec("certificate_no", "证书编号", ("证书号", "调解员证号", "证号"), max_len=60),
    FieldSpec("legal_qualification", "法律职业资格", ("是否具有法律职业资格", "具有法律职业资格", "司法资格"), kind="bool"),
    FieldSpec("appointed_on", "聘任日期", ("聘任时间", "任职时间", "任职日期", "聘用日期", "入职时间"), kind="date"),
    FieldSpec("left_on", "离任日期", ("离任时间", "解聘日期", "离职日期"), kind="date"),
    FieldSpec("phone", "联系电话", ("电话", "手机", "手机号码", "手机号", "联系方式"), kind="phone"),
    FieldSpec("expert_pool", "入选调解专家库", ("调解专家库", "专家库", "是否入选专家库"), kind="bool"),
    FieldSpec("notes", "备注", ("说明",), kind="longtext"),
    FieldSpec("training_count", "参加培训次数", ("参加培训/次数", "培训次数", "次数"), kind="ignore"),
    FieldSpec("training_hours", "参加培训学时", ("参加培训/学时", "培训学时", "学时"), kind="ignore"),
    FieldSpec("seq", "序号", ("编号", "序"), kind="ignore"),
    FieldSpec("uuid", "记录标识", (), kind="uuid"),
)
LABELS = {f.key: f.label for f in FIELDS}
ATTRS = ("name", "gender", "id_number", "full_time", "background", "post", "certified", "certificate_level",
         "certificate_no", "legal_qualification", "appointed_on", "left_on", "phone", "expert_pool", "notes")
ATTR_LABELS = {**{k: LABELS.get(k, k) for k in ATTRS}, "full_time": "专职/兼职"}
KIND_WORDS = {"专职": True, "兼职": False, "是": True, "否": False, "专": True, "兼": False}


class MediatorTarget(Target):
    info = TargetInfo(
        "mediators",
        "调解员名册",
        FIELDS,
        "姓名必填；所属调解组织取自“所属调解组织”列，没有该列时用导入时选择的组织。",
        needs_org=True,
        export_kinds=("mediator-roster",),
    )

    def prepare(self, ctx) -> None:
        labels = lookup_labels(ctx.session, MEDIATOR_BACKGROUND)
        ctx.cache["backgrounds"] = {**{v: k for k, v in labels.items()}, **{k: k for k in labels}}
        ctx.cache["background_fuzzy"] = [(v, k) for k, v in labels.items()] + [
            ("法官", "judge"), ("检察", "prosecutor"), ("律师", "lawyer"), ("仲裁", "arbitrator"), ("教授", "scholar"),
            ("专家", "scholar"), ("协调员", "coordinator"), ("网格", "grid"), ("工会", "union"), ("人力资源", "hr"), ("HR", "hr")]
        if ctx.has("training_count") or ctx.has("training_hours"):
            ctx.note("“参加培训”的次数和学时是培训记录的汇总数，不导入；培训情况请在调解员档案中逐条登记。", "warning")

    def check_row(self, ctx, row) -> None:
        v = row.values
        out: dict = {}
        org_name = v.get("organization")
        if org_name:
            ref, warning = ctx.orgs.by_name(org_name)
            if warning:
                ctx.problem(row, "organization", warning, "warning")
        elif ctx.orgs.default is not None:
            ref = ctx.orgs.default
        else:
            ctx.problem(row, "organization" if ctx.has("organization") else None,
                        "没有填写所属调解组织，也没有在导入时选择调解组织")
            return
        row.scratch["org"] = ref
        out["name"] = v["name"] if "name" in v else None
        if out["name"] is None:
            ctx.problem(row, "name", "姓名：不能为空")
            return
        if (g := v.get("gender")) is not None:
            g = g.removesuffix("性")
            if g not in ("男", "女"):
                ctx.problem(row, "gender", "性别：应为“男”或“女”")
            else:
                out["gender"] = g
        idn = v.get("id_number")
        if idn is not None:
            out["id_number"] = idn
            if not isinstance(idn, Masked):
                gender = "男" if int(idn[16]) % 2 else "女"
                if out.get("gender") and out["gender"] != gender:
                    ctx.problem(row, "gender", f"性别：身份证号显示为{gender}性，与所填“{out['gender']}”不一致")
                out.setdefault("gender", gender)
        if (k := v.get("kind")) is not None:
            ft = choose(k, KIND_WORDS, (("专职", True), ("兼职", False)))
            if ft is None:
                ctx.problem(row, "kind", "专职/兼职：应为“专职”或“兼职”")
            else:
                out["full_time"] = ft
        if (b := v.get("background")) is not None:
            code = choose(b, ctx.cache["backgrounds"], ctx.cache["background_fuzzy"])
            if code is None:
                ctx.problem(row, "background", f"背景“{b}”不在调解员背景列表中，按“其他”导入", "warning")
                code = "other"
            out["background"] = code
        for key in ("post", "certificate_level", "certificate_no", "notes", "phone", "appointed_on", "left_on",
                    "certified", "legal_qualification", "expert_pool"):
            if key in v:
                out[key] = v[key]
        try:
            check_date_order(out.get("appointed_on"), out.get("left_on"), "聘任日期", "离任日期")
        except ValidationError as exc:
            ctx.problem(row, "left_on", exc.message)
        if out.get("certificate_level") and out.get("certified") is False:
            ctx.problem(row, "certificate_level", "填写了证书等级，但“持证上岗”为否", "warning")
        row.scratch["m"] = out

    def resolve(self, ctx, rows) -> None:
        s = ctx.session
        by_uuid: dict[str, Mediator] = {}
        uuids = [r.values["uuid"] for r in rows if r.values.get("uuid")]
        for part in chunks(uuids):
            by_uuid.update({m.uuid: m for m in s.scalars(select(Mediator).where(Mediator.uuid.in_(part)))})
        org_ids = {r.scratch["org"].id for r in rows if r.scratch["org"].id is not None}
        roster: dict[int, list[Mediator]] = {}
        if org_ids:
            for m in s.scalars(select(Mediator).where(Mediator.organization_id.in_(org_ids))):
                roster.setdefault(m.organization_id, []).append(m)
        seen: dict[tuple, int] = {}
        for r in rows:
            m_values = r.scratch["m"]
            ref = r.scratch["org"]
            idn = m_values.get("id_number")
            key = (ref.name, "id", idn) if idn and not isinstance(idn, Masked) else (ref.name, "name", m_values["name"])
            if r.values.get("uuid"):
                key = ("uuid", r.values["uuid"])
            if key in seen:
                ctx.problem(r, "name", f"与第{seen[key]}行是同一名调解员（重复登记）")
                continue
            seen[key] = r.row
            m = by_uuid.get(r.values.get("uuid", ""))
            how = "uuid" if m is not None else ""
            if m is None and ref.id is not None:
                people = roster.get(ref.id, [])
                if idn and not isinstance(idn, Masked):
                    m = next((x for x in people if x.id_number == idn), None)
                    how = "id_number" if m else ""
                if m is None:
                    same = [x for x in people if x.name == m_values["name"] and (
                        not x.id_number or not idn or isinstance(idn, Masked) and idn.matches(x.id_number))]
                    if len(same) == 1:
                        m, how = same[0], "org_name"
            if m is None:
                continue
            r.existing_id, r.match = m.id, how
            current = {a: getattr(m, a) for a in ATTRS}
            if how != "uuid" and r.values.get("uuid") and m.notes == AUTO_MEDIATOR_NOTE:
                # created from a name in a case ledger: the roster's entry (and its uuid) replaces it
                r.scratch["adopt_uuid"] = r.values["uuid"]
                current["notes"] = None
                if "notes" not in m_values:
                    m_values = {**m_values, "notes": None}
                    r.scratch["m"] = m_values
            if masked_mismatch(m.id_number, idn):
                ctx.problem(r, "id_number", "脱敏的身份证号与库中的号码不一致，未更新", "warning")
            if masked_mismatch(m.phone, m_values.get("phone")):
                ctx.problem(r, "phone", "脱敏的电话与库中的号码不一致，未更新", "warning")
            diffs = changes_for(current, {k: v for k, v in m_values.items() if v is not None},
                                {k: ATTR_LABELS[k] for k in m_values if k in ATTR_LABELS},
                                {"full_time": lambda x: "" if x is None else ("专职" if x else "兼职")})
            if ref.id is not None and m.organization_id != ref.id and how == "uuid":
                ctx.problem(r, "organization", "该调解员在本库中属于另一个调解组织，组织不变", "warning")
            r.changes = [Change(label, old, new) for _k, label, old, new in diffs]
            r.scratch["apply"] = {k: m_values[k] for k, *_ in diffs}
            if "adopt_uuid" in r.scratch:
                r.scratch["apply"]["notes"] = m_values.get("notes")
                r.changes.append(Change("记录标识", m.uuid, r.scratch["adopt_uuid"]))
            r.action = "update" if r.changes else "unchanged"

    def write(self, ctx, rows, tick) -> None:
        s = ctx.session
        for n, r in enumerate(rows, 1):
            if r.action == "new":
                org_id = ctx.orgs.ensure(r.scratch["org"], ctx)
                values = {k: v for k, v in r.scratch["m"].items() if not isinstance(v, Masked)}
                m = Mediator(organization_id=org_id, **values)
                if r.values.get("uuid"):
                    m.uuid = r.values["uuid"]
                s.add(m)
            elif r.action == "update":
                m = s.get(Mediator, r.existing_id)
                for k, v in r.scratch["apply"].items():
                    setattr(m, k, v)
                if r.scratch.get("adopt_uuid"):
                    m.uuid = r.scratch["adopt_uuid"]
            tick(n, len(rows))
        s.flush()


TARGET = MediatorTarget()

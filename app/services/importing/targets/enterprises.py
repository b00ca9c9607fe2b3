"""Target ``enterprises``: the enterprise directory (企业名录), from a directory sheet or the 附件2 roster.

A row matches a directory entry by 记录标识, else by credit code, else by exact name (as the directory's
own duplicate check does). The 附件2 roster lists an enterprise once per volunteer; later rows of the same
enterprise are reported as repeats of the first. Its hidden 记录标识 belongs to the volunteer–enterprise
pair, not to the enterprise, and is not used here.
"""

from __future__ import annotations

from sqlalchemy import select

from app.services.importing.base import Target
from app.services.importing.parsing import Masked
from app.services.importing.records import Change
from app.services.importing.schema import FieldSpec, TargetInfo
from app.services.importing.targets.common import EnterpriseDirectory, enterprise_fields
from app.services.importing.targets.helpers import chunks, masked_mismatch
from db.models import Enterprise

FIELDS = (
    *enterprise_fields(""),
    FieldSpec("notes", "备注", ("说明",)),
    FieldSpec("seq", "序号", ("编号", "序"), kind="ignore"),
    FieldSpec("uuid", "记录标识", (), kind="uuid"),
)


class EnterpriseTarget(Target):
    info = TargetInfo(
        "enterprises",
        "企业名录",
        FIELDS,
        "单位名称必填；按统一社会信用代码、再按单位名称与企业名录中已有的单位对照，已有的单位按表格更新。",
        export_kinds=("enterprise-roster",),
    )

    def prepare(self, ctx) -> None:
        ctx.cache["dir"] = EnterpriseDirectory(ctx.session)
        ctx.cache["use_uuid"] = not (ctx.manifest and ctx.manifest.kind == "enterprise-roster")

    def check_row(self, ctx, row) -> None:
        d: EnterpriseDirectory = ctx.cache["dir"]
        row.scratch["ent"] = d.values_from_row(ctx, row, "")
        if "notes" in row.values:
            row.scratch["ent"]["notes"] = row.values["notes"]

    def resolve(self, ctx, rows) -> None:
        d: EnterpriseDirectory = ctx.cache["dir"]
        d.preload([r.values.get("uscc") for r in rows if r.values.get("uscc") and not isinstance(r.values["uscc"], Masked)],
                  [r.values.get("name") for r in rows])
        by_uuid: dict[str, Enterprise] = {}
        if ctx.cache["use_uuid"]:
            uuids = [r.values["uuid"] for r in rows if r.values.get("uuid")]
            for part in chunks(uuids):
                by_uuid.update({e.uuid: e for e in ctx.session.scalars(select(Enterprise).where(Enterprise.uuid.in_(part)))})
        seen: dict[str, int] = {}
        for r in rows:
            name = r.values.get("name")
            code = r.values.get("uscc")
            key = code if code and not isinstance(code, Masked) else f"name:{name}"
            if key in seen:
                r.action, r.match = "dup", ""
                r.scratch["first_row"] = seen[key]
                ctx.problem(r, "name", f"与第{seen[key]}行是同一单位，只导入一次", "warning")
                continue
            seen[key] = r.row
            e = by_uuid.get(r.values.get("uuid", "")) if ctx.cache["use_uuid"] else None
            how = "uuid" if e is not None else ""
            if e is None:
                e = d.find(name, None if isinstance(code, Masked) else code)
                how = "credit_code" if e is not None and code and e.credit_code == code else ("name" if e is not None else "")
            if e is None:
                if r.values.get("uuid") and ctx.cache["use_uuid"]:
                    r.scratch["uuid"] = r.values["uuid"]
                continue
            r.existing_id, r.match = e.id, how
            values = dict(r.scratch["ent"])
            if name and name != e.name:
                values["name"] = name
            if masked_mismatch(e.contact_phone, values.get("contact_phone")):
                ctx.problem(r, "contact_phone", "脱敏的电话与库中的号码不一致，未更新", "warning")
            diffs = EnterpriseDirectory.changes(e, values)
            if "name" in values and values["name"] != e.name:
                diffs.append(("name", "单位名称", e.name, values["name"]))
            if e.credit_code and code and not isinstance(code, Masked) and code != e.credit_code:
                ctx.problem(r, "uscc", f"库中该单位的统一社会信用代码是 {e.credit_code}，与表格不同，未更新代码", "warning")
                diffs = [x for x in diffs if x[0] != "credit_code"]
            r.changes = [Change(label, old, new) for _k, label, old, new in diffs]
            r.scratch["apply"] = {k: values[k] for k, *_ in diffs}
            r.action = "update" if diffs else "unchanged"

    def write(self, ctx, rows, tick) -> None:
        d: EnterpriseDirectory = ctx.cache["dir"]
        s = ctx.session
        for n, r in enumerate(rows, 1):
            if r.action == "new":
                e = d.find(r.values.get("name"), r.values.get("uscc") if not isinstance(r.values.get("uscc"), Masked) else None)
                if e is not None:  # an earlier row of this import created it
                    r.action = "dup"
                    continue
                e = d.create(ctx, r.values["name"], dict(r.scratch["ent"]))
                ctx.created["企业"] -= 1  # counted as an added row, not as a side effect
                if r.scratch.get("uuid"):
                    e.uuid = r.scratch["uuid"]
                r.existing_id = e.id
            elif r.action == "update":
                e = s.get(Enterprise, r.existing_id)
                values = dict(r.scratch["apply"])
                if "name" in values:
                    e.name = values.pop("name")
                EnterpriseDirectory.apply(e, values)
            tick(n, len(rows))
        if not ctx.created.get("企业"):
            ctx.created.pop("企业", None)


TARGET = EnterpriseTarget()

"""Target ``coordinators``: the 劳动关系协调员台账, from the ``coordinator-ledger`` export or an office's own sheet.

A row matches a coordinator by 记录标识, else by ID number, else by name and unit. 金牌推荐年度
(「2022、2023（入选）」) adds the years listed (a year already recorded gets the file's 入选); years not listed
are kept. The training columns (次数, 学时) are totals of training records and are not imported.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from app.services.importing.parsing import Masked
from app.services.importing.records import Change
from app.services.importing.schema import FieldSpec, TargetInfo
from app.services.importing.targets.ledgers_base import LedgerTarget, unmasked
from app.services.ledgers.coordinators import ATTRS, CoordinatorInput, check_coordinator
from app.services.validation import ValidationError
from db.models import Coordinator, CoordinatorGold

FIELDS = (
    FieldSpec("name", "姓名", ("协调员姓名", "名字"), required=True, max_len=50),
    FieldSpec("gender", "性别", ()),
    FieldSpec("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证", "证件号码"), kind="id"),
    FieldSpec("unit", "工作单位", ("单位", "所在单位", "单位名称", "工作单位名称"), max_len=200),
    FieldSpec("unit_type", "单位类型", ("单位性质", "所在单位类型")),
    FieldSpec("post", "职务", ("岗位", "职务职称", "现任职务"), max_len=100),
    FieldSpec("phone", "联系电话", ("电话", "手机", "手机号码", "联系方式"), kind="phone"),
    FieldSpec("cert_level", "证书等级", ("职业技能等级", "等级", "资格等级", "劳动关系协调员职业技能等级证书/证书等级")),
    FieldSpec("cert_no", "证书编号", ("证书号", "劳动关系协调员职业技能等级证书/证书编号"), max_len=60),
    FieldSpec("cert_date", "发证日期", ("发证时间", "取证时间", "取证日期", "劳动关系协调员职业技能等级证书/发证日期"), kind="date"),
    FieldSpec("cert_issuer", "发证机构", ("发证单位", "认定机构", "评价机构", "劳动关系协调员职业技能等级证书/发证机构"), max_len=200),
    FieldSpec("joined_on", "入库日期", ("入库时间", "加入日期"), kind="date"),
    FieldSpec("left_on", "退出日期", ("退出时间", "出库日期"), kind="date"),
    FieldSpec("gold_years", "金牌推荐年度", ("金牌推荐", "推荐金牌年度", "金牌劳动关系协调员推荐年度")),
    FieldSpec("remark", "备注", ("说明",), kind="longtext"),
    FieldSpec("training_count", "参加培训次数", ("参加培训/次数", "培训次数", "次数"), kind="ignore"),
    FieldSpec("training_hours", "参加培训学时", ("参加培训/学时", "培训学时", "学时"), kind="ignore"),
    FieldSpec("seq", "序号", ("编号",), kind="ignore"),
    FieldSpec("uuid", "记录标识", (), kind="uuid"),
)
LABELS = {f.key: f.label for f in FIELDS}
_YEAR = re.compile(r"(\d{4})\s*(（入选）|\(入选\)|入选)?")


def parse_gold_years(text: str | None) -> dict[int, bool]:
    """「2022、2023（入选）」 → {2022: False, 2023: True}."""
    out: dict[int, bool] = {}
    for m in _YEAR.finditer(str(text or "")):
        year = int(m[1])
        if not 2000 <= year <= 2100:
            raise ValidationError("金牌推荐年度", f"金牌推荐年度：“{m[1]}”不是有效的年份")
        out[year] = bool(m[2])
    return out


class CoordinatorTarget(LedgerTarget):
    info = TargetInfo(
        "coordinators",
        "劳动关系协调员台账",
        FIELDS,
        "姓名必填；证书等级为 一级 至 五级 或 未取得；金牌推荐年度可写“2022、2023（入选）”。",
        export_kinds=("coordinator-ledger",),
    )
    model = Coordinator
    attrs = {a: LABELS.get(a, a) for a in ATTRS}
    label_fields = {"姓名": "name", "性别": "gender", "身份证号": "id_number", "单位类型": "unit_type",
                    "联系电话": "phone", "证书等级": "cert_level", "退出日期": "left_on", "金牌推荐年度": "gold_years"}

    def prepare(self, ctx) -> None:
        if ctx.has("training_count") or ctx.has("training_hours"):
            ctx.note("“参加培训”的次数和学时是培训记录的汇总数，不导入；培训情况请逐条登记。", "warning")

    def clean(self, ctx, row) -> dict:
        v = row.values
        data = CoordinatorInput(**{k: unmasked(v.get(k)) for k in (
            "name", "id_number", "gender", "unit", "unit_type", "post", "phone", "cert_level", "cert_no", "cert_date",
            "cert_issuer", "joined_on", "left_on", "remark")})
        values = check_coordinator(data, ctx.today)
        row.scratch["gold"] = parse_gold_years(v.get("gold_years"))
        values = {k: val for k, val in values.items() if val is not None}
        for k in ("id_number", "phone"):
            if isinstance(v.get(k), Masked):
                values[k] = v[k]
        return values

    def natural_key(self, values) -> tuple | None:
        idn = values.get("id_number")
        if idn and not isinstance(idn, Masked):
            return ("id", idn)
        if values.get("name"):
            return ("nu", values["name"], values.get("unit") or "")
        return None

    def match_keys(self, values) -> list[tuple]:
        idn = values.get("id_number")
        keys = [("id", idn)] if idn and not isinstance(idn, Masked) else []
        return keys + ([("nu", values["name"], values.get("unit") or "")] if values.get("name") else [])

    def how_for(self, key: tuple) -> str:
        return "id_number" if key[0] == "id" else "name_unit"

    def extra_changes(self, ctx, row, obj) -> list[Change]:
        have = {g.year: g.selected for g in ctx.session.scalars(
            select(CoordinatorGold).where(CoordinatorGold.coordinator_id == obj.id))}
        want = {y: s for y, s in row.scratch["gold"].items() if have.get(y) != s}
        row.scratch["gold_apply"] = want
        if not want:
            return []

        def show(d: dict[int, bool]) -> str:
            return "、".join(f"{y}（入选）" if s else str(y) for y, s in sorted(d.items()))

        return [Change("金牌推荐年度", show(have), show({**have, **want}))]

    def write_extra(self, ctx, row, obj) -> None:
        want = row.scratch.get("gold_apply", row.scratch.get("gold", {}))
        for year, selected in want.items():
            g = ctx.session.scalar(select(CoordinatorGold).where(CoordinatorGold.coordinator_id == obj.id,
                                                                 CoordinatorGold.year == year))
            if g is None:
                ctx.session.add(CoordinatorGold(coordinator_id=obj.id, year=year, selected=selected))
            else:
                g.selected = selected


TARGET = CoordinatorTarget()

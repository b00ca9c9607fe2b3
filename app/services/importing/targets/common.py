"""Enterprise columns shared by the case, enterprise and volunteer targets, and the directory look-up."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from app.services.importing.parsing import Masked, clean_text
from app.services.importing.schema import FieldSpec
from app.services.importing.targets.helpers import changes_for, choose, chunks
from app.services.validation import employer_type_from_credit_code, normalize_text
from db.lookups import INDUSTRY, lookup_labels
from db.models import Enterprise

SIZE_WORDS = {"大型": "大", "中型": "中", "小型": "小", "微型": "微", "大": "大", "中": "中", "小": "小", "微": "微",
              "大型企业": "大", "中型企业": "中", "小型企业": "小", "微型企业": "微"}
OWNERSHIP_FUZZY = (
    ("国有", "国有"), ("国企", "国有"), ("央企", "国有"), ("集体", "集体"), ("民营", "民营"), ("私营", "民营"),
    ("私人", "民营"), ("股份", "民营"), ("有限", "民营"), ("外资", "外资(港澳台)"), ("外商", "外资(港澳台)"),
    ("港澳台", "外资(港澳台)"), ("合资", "外资(港澳台)"), ("个体", "个体"), ("社会组织", "社会组织"),
    ("民办非企业", "社会组织"), ("社会团体", "社会组织"), ("其他", "其他"),
)
EMPLOYER_FUZZY = (("个体", "个体工商户"), ("事业", "事业单位"), ("机关", "机关"), ("民办非", "民办非企业单位"),
                  ("社会团体", "社会团体"), ("社团", "社会团体"), ("基金会", "基金会"), ("合作社", "农民专业合作社"),
                  ("公司", "企业"), ("企业", "企业"), ("其他", "其他"))
INDUSTRY_FUZZY = (("制造", "C"), ("工厂", "C"), ("建筑", "E"), ("施工", "E"), ("餐饮", "H"), ("住宿", "H"), ("酒店", "H"),
                  ("批发", "F"), ("零售", "F"), ("商贸", "F"), ("商业", "F"), ("超市", "F"), ("快递", "G"), ("物流", "G"),
                  ("运输", "G"), ("邮政", "G"), ("软件", "I"), ("信息", "I"), ("互联网", "I"), ("网络平台", "I"),
                  ("租赁", "L"), ("商务服务", "L"), ("保安", "L"), ("物业", "K"), ("房地产", "K"), ("家政", "O"),
                  ("维修", "O"), ("居民服务", "O"), ("教育", "P"), ("培训", "P"), ("医疗", "Q"), ("卫生", "Q"),
                  ("养老", "Q"))


def enterprise_fields(prefix: str = "ent_", *, name_required: bool = True, contact_names: bool = True) -> tuple[FieldSpec, ...]:
    """The directory's columns; ``prefix`` keeps them apart from a volunteer's own (name, phone …)."""
    p = prefix
    # in a sheet of enterprises alone, 电话 and 职务 are the contact's; beside a volunteer they are the volunteer's
    own = ("联系电话", "电话", "联系方式", "手机", "手机号码") if not p else ()
    own_post = ("职务",) if not p else ()
    contact = (
        FieldSpec(f"{p}contact", "企业联系人", ("企业联系人姓名", "联系人", "联系人姓名", "企业联系人/姓名"), max_len=50),
        FieldSpec(f"{p}contact_post", "企业联系人职务", ("联系人职务", "企业联系人/职务", *own_post), max_len=50),
        FieldSpec(f"{p}contact_phone", "企业联系人电话", ("联系人电话", "企业联系电话", "企业电话", "企业联系人/电话", *own),
                  kind="phone"),
    )
    return (
        FieldSpec(f"{p}name", "联系企业名称" if p else "单位名称",
                  ("单位名称", "企业名称", "联系企业名称", "联系企业", "企业", "公司名称", "用人单位", "用人单位名称", "名称", "服务企业"),
                  required=name_required, max_len=200),
        FieldSpec(f"{p}uscc", "统一社会信用代码", ("信用代码", "社会信用代码", "统一代码", "企业信用代码", "单位统一社会信用代码"), kind="uscc"),
        FieldSpec(f"{p}employer_type", "单位类型", ("用人单位类型", "单位性质")),
        FieldSpec(f"{p}legal_rep", "法定代表人", ("法人", "法人代表", "法定代表人姓名", "主要负责人"), max_len=50),
        FieldSpec(f"{p}district", "区（县）", ("所在区(县)", "区县", "所在区", "所在区县", "所在区(县)/街道(乡镇)区(县)"),
                  help="行政区划代码（6位）或区县名称"),
        FieldSpec(f"{p}street", "街道（乡镇）", ("所在街道", "街道", "乡镇", "所在街道(乡镇)", "所在乡镇"), help="乡镇街道代码（9位）；名称从地址中识别"),
        FieldSpec(f"{p}address", "企业地址", ("地址", "单位地址", "注册地址", "经营地址", "企业住所", "住所"), max_len=300),
        FieldSpec(f"{p}industry", "所属行业", ("行业", "行业类别", "行业分类", "国民经济行业")),
        FieldSpec(f"{p}ownership", "企业类型", ("经济类型", "所有制", "经济性质", "企业性质", "所有制形式", "登记注册类型")),
        FieldSpec(f"{p}size", "企业规模", ("规模", "企业规模类型")),
        FieldSpec(f"{p}headcount", "职工人数", ("员工人数", "从业人数", "用工人数", "职工总数", "在岗职工人数", "企业规模/职工人数职工人数"), kind="int"),
        FieldSpec(f"{p}new_form_workers", "新就业形态劳动者人数", ("新就业形态劳动者", "新业态劳动者人数"), kind="int"),
        FieldSpec(f"{p}above_scale", "是否规模以上企业", ("规模以上企业", "规模以上", "规上企业", "是否规上企业", "是否规上"), kind="bool"),
        FieldSpec(f"{p}has_union", "是否建立工会", ("工会", "有无工会", "建立工会", "是否建立/工会"), kind="bool"),
        FieldSpec(f"{p}has_mediation_cttee", "是否建立调解委员会",
                  ("调解委员会", "有无调解委员会", "是否建立调解组织", "建立调解委员会", "企业调解委员会"), kind="bool"),
        FieldSpec(f"{p}is_platform", "是否平台企业", ("平台企业",), kind="bool"),
        FieldSpec(f"{p}is_struggling", "是否困难企业", ("困难企业",), kind="bool"),
        *(contact if contact_names else ()),
    )


# field suffix → Enterprise attribute
ENT_ATTRS = {
    "uscc": "credit_code",
    "employer_type": "employer_type",
    "legal_rep": "legal_rep",
    "address": "address",
    "industry": "industry",
    "ownership": "ownership",
    "size": "size",
    "headcount": "employees",
    "new_form_workers": "new_form_workers",
    "above_scale": "above_scale",
    "has_union": "has_union",
    "has_mediation_cttee": "has_mediation_committee",
    "is_platform": "is_platform",
    "is_struggling": "is_struggling",
    "contact": "contact_name",
    "contact_post": "contact_post",
    "contact_phone": "contact_phone",
    "region_code": "region_code",
    "street_code": "street_code",
}
ENT_LABELS = {
    "credit_code": "统一社会信用代码", "employer_type": "单位类型", "legal_rep": "法定代表人", "address": "企业地址",
    "industry": "所属行业", "ownership": "企业类型", "size": "企业规模", "employees": "职工人数",
    "new_form_workers": "新就业形态劳动者人数", "above_scale": "是否规模以上企业", "has_union": "是否建立工会",
    "has_mediation_committee": "是否建立调解委员会", "is_platform": "是否平台企业", "is_struggling": "是否困难企业",
    "contact_name": "企业联系人", "contact_post": "企业联系人职务", "contact_phone": "企业联系人电话",
    "region_code": "所在区（县）", "street_code": "街道（乡镇）代码",
}


_FOLD = str.maketrans({"（": "(", "）": ")"})


def name_variants(name: str) -> list[str]:
    """A name as typed, with half-width and with full-width brackets (天津某（集团）公司 = 天津某(集团)公司)."""
    base = clean_text(name)
    half = base.translate(_FOLD)
    full = half.replace("(", "（").replace(")", "）")
    return list(dict.fromkeys([base, full, half]))


class EnterpriseDirectory:
    """Look-ups of the enterprise directory during one import: by credit code, then by exact name."""

    def __init__(self, session) -> None:
        from app.services.enterprises import EMPLOYER_TYPES, OWNERSHIPS
        from app.services.organizations import REGION_NAMES

        self.session = session
        self.by_code: dict[str, Enterprise | None] = {}
        self.by_name: dict[str, list[Enterprise]] = {}
        self.industries = lookup_labels(session, INDUSTRY)
        self.industry_exact = {**{v: k for k, v in self.industries.items()}, **{k: k for k in self.industries}}
        self.employer_exact = {t: t for t in EMPLOYER_TYPES}
        self.ownership_exact = {t: t for t in OWNERSHIPS} | {"外资（港澳台）": "外资(港澳台)"}
        self.region_by_name = {v: k for k, v in REGION_NAMES.items()}
        self.new: dict[str, Enterprise] = {}  # created in this import, by code or name

    def preload(self, codes: list[str], names: list[str]) -> None:
        s = self.session
        codes = [c for c in dict.fromkeys(codes) if c and c not in self.by_code]
        for part in chunks(codes):
            found = {e.credit_code: e for e in s.scalars(select(Enterprise).where(Enterprise.credit_code.in_(part)))}
            for c in part:
                self.by_code[c] = found.get(c)
        names = [v for n in names if n for v in name_variants(n)]
        names = [n for n in dict.fromkeys(names) if n not in self.by_name]
        for part in chunks(names):
            found: dict[str, list[Enterprise]] = {}
            for e in s.scalars(select(Enterprise).where(Enterprise.name.in_(part))):
                found.setdefault(e.name, []).append(e)
            for n in part:
                self.by_name[n] = found.get(n, [])

    def find(self, name: str | None, code: str | None) -> Enterprise | None:
        """Like app.services.enterprises.find_or_create_enterprise, without creating."""
        if code and not isinstance(code, Masked):
            if code in self.new:
                return self.new[code]
            if code not in self.by_code:
                self.preload([code], [])
            hit = self.by_code.get(code)
            if hit is not None:
                return hit
        if name:
            for key in name_variants(name):
                if ("name", key) in self.new:
                    e = self.new[("name", key)]
                    if not code or e.credit_code in (None, code):
                        return e
            same: list[Enterprise] = []
            for key in name_variants(name):
                if key not in self.by_name:
                    self.preload([], [key])
                same += [e for e in self.by_name.get(key, []) if e not in same]
            usable = [e for e in same if e.credit_code is None or not code]
            if len(usable) == 1:
                return usable[0]
        return None

    # -- values -------------------------------------------------------------------------------

    def values_from_row(self, ctx, row, prefix: str) -> dict[str, Any]:
        """Enterprise attributes from a row's ``{prefix}*`` fields (codes resolved; problems noted)."""
        v = row.values
        out: dict[str, Any] = {}
        for suffix, attr in ENT_ATTRS.items():
            key = prefix + suffix
            if key in v and suffix not in ("industry", "ownership", "size", "employer_type"):
                out[attr] = v[key]
        if (t := v.get(prefix + "industry")) is not None:
            code = choose(t, self.industry_exact, INDUSTRY_FUZZY)
            if code is None or code not in self.industries:
                ctx.problem(row, prefix + "industry", f"所属行业“{t}”不在行业列表中，未导入该项", "warning")
            else:
                out["industry"] = code
        if (t := v.get(prefix + "ownership")) is not None:
            code = choose(t, self.ownership_exact, OWNERSHIP_FUZZY)
            if code is None:
                ctx.problem(row, prefix + "ownership", f"企业类型“{t}”无法识别（应为国有、集体、民营、外资(港澳台)、个体、社会组织、其他），未导入该项", "warning")
            else:
                out["ownership"] = code
        if (t := v.get(prefix + "size")) is not None:
            code = choose(t, SIZE_WORDS)
            if code is None:
                ctx.problem(row, prefix + "size", f"企业规模“{t}”应为大型、中型、小型或微型", "warning")
            else:
                out["size"] = code
        if (t := v.get(prefix + "employer_type")) is not None:
            code = choose(t, self.employer_exact, EMPLOYER_FUZZY)
            if code is None:
                ctx.problem(row, prefix + "employer_type", f"单位类型“{t}”无法识别，未导入该项", "warning")
            else:
                out["employer_type"] = code
        district = v.get(prefix + "district")
        if district:
            d = normalize_text(district).replace(" ", "")
            if re.fullmatch(r"\d{6}", d):
                out["region_code"] = d
            elif d in self.region_by_name:
                out["region_code"] = self.region_by_name[d]
        street = v.get(prefix + "street")
        if street:
            s = normalize_text(street).replace(" ", "")
            if m := re.search(r"(?<!\d)(\d{9}(?:\d{3})?)(?!\d)", s):  # 「南市街道（120101006）」 or the bare code
                out["street_code"] = m.group(1)
        return out

    def create(self, ctx, name: str, values: dict[str, Any], *, flush: bool = True) -> Enterprise:
        code = values.get("credit_code")
        if isinstance(code, Masked):
            values = {k: v for k, v in values.items() if k != "credit_code"}
            code = None
        clean = {k: v for k, v in values.items() if not isinstance(v, Masked) and v is not None}
        if "employer_type" not in clean and code:
            clean["employer_type"] = employer_type_from_credit_code(code)
        e = Enterprise(name=clean_text(name), **clean)
        self.session.add(e)
        if flush:
            self.session.flush()
        if code:
            self.new[code] = e
            self.by_code[code] = e
        self.new[("name", e.name)] = e
        ctx.count_created("企业")
        return e

    @staticmethod
    def changes(e: Enterprise, values: dict[str, Any]) -> list[tuple[str, str, str, str]]:
        current = {attr: getattr(e, attr) for attr in ENT_LABELS}
        return changes_for(current, values, {k: ENT_LABELS[k] for k in values if k in ENT_LABELS})

    @staticmethod
    def apply(e: Enterprise, values: dict[str, Any]) -> None:
        for attr, value in values.items():
            if attr in ENT_LABELS and value is not None and not isinstance(value, Masked):
                if attr == "credit_code" and e.credit_code and e.credit_code != value:
                    continue  # a directory entry keeps its code; the row then matched by name only
                setattr(e, attr, value)

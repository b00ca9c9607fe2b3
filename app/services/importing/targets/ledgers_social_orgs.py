"""Target ``social-orgs``: the 协调劳动关系社会组织台账, from the ``social-org-ledger`` export or an office's own
sheet. A row matches by 记录标识, else by 统一社会信用代码, else by name. 提供服务 is a list like
「法律政策咨询、劳动纠纷调解」. The survey and project columns are totals of their records and are not imported.
"""

from __future__ import annotations

from app.services.importing.parsing import Masked
from app.services.importing.schema import FieldSpec, TargetInfo
from app.services.importing.targets.ledgers_base import LedgerTarget, unmasked
from app.services.ledgers.common import SOCIAL_SERVICES
from app.services.ledgers.social_orgs import ATTRS, SocialOrgInput, check_social_org
from db.models import SocialOrg

FIELDS = (
    FieldSpec("name", "组织名称", ("社会组织名称", "名称", "单位名称", "机构名称"), required=True, max_len=200),
    FieldSpec("credit_code", "统一社会信用代码", ("信用代码", "社会信用代码", "统一代码"), kind="uscc"),
    FieldSpec("kind", "组织类型", ("类型", "组织性质", "登记类型")),
    FieldSpec("size", "规模", ("组织规模", "规模状况")),
    FieldSpec("industry", "所属行业", ("行业", "行业分布", "服务行业"), max_len=60),
    FieldSpec("staff", "工作人员数", ("工作人员", "从业人员数", "人员数量", "工作人员(人)"), kind="int"),
    FieldSpec("services", "提供服务", ("服务内容", "服务项目", "主要服务", "提供的服务")),
    FieldSpec("contact", "联系人", ("负责人",), max_len=50),
    FieldSpec("phone", "联系电话", ("电话", "手机", "联系方式"), kind="phone"),
    FieldSpec("address", "地址", ("办公地址", "住所", "注册地址"), max_len=300),
    FieldSpec("established", "成立日期", ("成立时间", "登记日期"), kind="date"),
    FieldSpec("remark", "备注", ("说明",), kind="longtext"),
    FieldSpec("survey_count", "调查次数", ("满意度调查/调查次数",), kind="ignore"),
    FieldSpec("survey_average", "平均得分", ("满意度调查/平均得分",), kind="ignore"),
    FieldSpec("project_count", "项目数", ("政府购买服务/项目数",), kind="ignore"),
    FieldSpec("project_amount", "金额（元）", ("政府购买服务/金额（元）", "金额"), kind="ignore"),
    FieldSpec("seq", "序号", ("编号",), kind="ignore"),
    FieldSpec("uuid", "记录标识", (), kind="uuid"),
)
LABELS = {f.key: f.label for f in FIELDS}


def _services_text(value) -> str:
    return "、".join(SOCIAL_SERVICES.get(t, t) for t in value or ())


class SocialOrgTarget(LedgerTarget):
    info = TargetInfo(
        "social-orgs",
        "协调劳动关系社会组织台账",
        FIELDS,
        "组织名称必填；统一社会信用代码按国家标准校验；提供服务可写“法律政策咨询、劳动纠纷调解”等。",
        export_kinds=("social-org-ledger",),
    )
    model = SocialOrg
    attrs = {a: LABELS.get(a, a) for a in ATTRS}
    label_fields = {"组织名称": "name", "统一社会信用代码": "credit_code", "组织类型": "kind", "规模": "size",
                    "提供服务": "services", "联系电话": "phone", "工作人员数": "staff"}
    formats = {"services": _services_text}

    def clean(self, ctx, row) -> dict:
        v = row.values
        data = SocialOrgInput(**{k: unmasked(v.get(k)) for k in (
            "name", "credit_code", "kind", "size", "industry", "staff", "contact", "phone", "address", "established",
            "remark")}, services=v.get("services") or ())
        values = {k: val for k, val in check_social_org(data).items() if val is not None}
        if isinstance(v.get("phone"), Masked):
            values["phone"] = v["phone"]
        return values

    def natural_key(self, values) -> tuple | None:
        if values.get("credit_code"):
            return ("code", values["credit_code"])
        return ("name", values["name"]) if values.get("name") else None

    def match_keys(self, values) -> list[tuple]:
        keys = [("code", values["credit_code"])] if values.get("credit_code") else []
        return keys + ([("name", values["name"])] if values.get("name") else [])

    def how_for(self, key: tuple) -> str:
        return "credit_code" if key[0] == "code" else "name"


TARGET = SocialOrgTarget()

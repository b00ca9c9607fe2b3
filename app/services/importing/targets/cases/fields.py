"""The case target's fields (Chinese names, synonyms), keyword tables and the readers of its compound columns
(the applicants' columns are read by :mod:`.applicants`).

备注 → its parts (延期原因, 仲裁案号, 回访, 归档日期), 仲裁审查确认 text → (kind, applied, decided, result),
调解员 text → ((name, lead), …), case number → (year, sequence); and how each is shown in a change.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.services.importing.parsing import fen_text
from app.services.importing.schema import FieldSpec
from app.services.importing.targets.cases.applicants import compare, people_text
from app.services.importing.targets.helpers import diff_value
from app.services.validation import normalize_text
from db.enums import CloseType, ReviewKind

FIELDS = (
    FieldSpec("organization", "调解组织", ("所属调解组织", "调解组织名称", "受理单位", "调解机构", "承办单位"), max_len=200),
    FieldSpec("case_no", "案号", ("案件编号", "调解案号", "编号", "登记编号", "案件号", "受理编号", "调解编号"), max_len=60),
    FieldSpec("received_on", "收到申请日期", ("申请日期", "收案日期", "收到日期", "登记日期", "来访日期", "申请时间", "收案时间", "登记时间", "日期"),
              kind="date", required=True),
    FieldSpec("source", "案件来源", ("来源", "案源")),
    FieldSpec("apply_mode", "申请方式", ("申请形式",)),
    FieldSpec("applicant_name", "申请人", ("申请人姓名", "劳动者", "劳动者姓名", "职工姓名", "申请方", "当事人", "当事人姓名", "申请人(劳动者)", "姓名"),
              required=True, max_len=200),
    FieldSpec("applicant_id", "申请人身份证号", ("身份证号", "身份证号码", "申请人身份证号码", "公民身份号码", "证件号码", "劳动者身份证号"), kind="id"),
    FieldSpec("applicant_phone", "申请人电话", ("申请人联系电话", "联系电话", "电话", "手机", "手机号码", "劳动者电话"), kind="phone"),
    # the other applicants' columns are read as text: their numbers are parsed one by one (.applicants)
    FieldSpec("co_applicants", "其他申请人", ("共同申请人",), help="第一位之后的申请人，用“、”分隔；代表人后写“（代表）”"),
    FieldSpec("co_applicant_ids", "其他申请人身份证号", ("共同申请人身份证号",), help="与“其他申请人”顺序相同，用“、”分隔"),
    FieldSpec("co_applicant_phones", "其他申请人电话", ("共同申请人电话",), help="与“其他申请人”顺序相同，用“、”分隔"),
    FieldSpec("respondent_name", "被申请人", ("被申请人名称", "用人单位", "用人单位名称", "单位名称", "被申请单位", "企业名称", "被申请方", "被申请人(用人单位)"),
              required=True, max_len=200),
    FieldSpec("respondent_uscc", "统一社会信用代码", ("信用代码", "社会信用代码", "被申请人统一社会信用代码", "单位信用代码", "用人单位统一社会信用代码"), kind="uscc"),
    FieldSpec("employer_type", "用人单位类型", ("单位类型", "单位性质")),
    FieldSpec("industry", "所属行业", ("行业", "行业类别")),
    FieldSpec("street_code", "所属街道(乡镇)", ("所属街道", "街道代码", "所属乡镇", "街道(乡镇)")),
    FieldSpec("workers", "涉及劳动者人数", ("涉及人数", "劳动者人数", "人数", "涉及职工人数", "申请人数"), kind="int"),
    FieldSpec("is_collective", "是否集体争议", ("集体争议", "是否集体案件", "集体案件"), kind="bool"),
    FieldSpec("dispute_type_main", "争议类型(主)", ("争议类型", "案由", "纠纷类型", "争议事项", "争议种类", "案件类型", "纠纷类别")),
    FieldSpec("claims_summary", "请求事项摘要", ("请求事项", "申请事项", "诉求", "主要诉求", "调解请求", "申请请求", "请求"), kind="longtext"),
    FieldSpec("claim_amount", "请求金额(元)", ("请求金额", "申请金额", "诉求金额", "标的额", "涉及金额", "争议金额", "涉案金额"), kind="amount"),
    FieldSpec("accepted_on", "受理日期", ("受理时间", "立案日期"), kind="date"),
    FieldSpec("accept_result", "受理结果", ("是否受理", "受理情况")),
    FieldSpec("mediators", "调解员", ("承办人", "调解人员", "主办调解员", "承办调解员", "经办人", "调解人")),
    FieldSpec("session_on", "调解日期", ("调解时间", "首次调解日期", "首次调解时间", "调解会日期"), kind="date",
              help="调解进行的日期：未结案件据此视为已受理；没有结案日期的已结案件以此为结案日期"),
    FieldSpec("due_on", "调解截止日", ("调解期限", "截止日期", "办理期限"), kind="date"),
    FieldSpec("extended_to", "延期至", ("延长至", "延期日期"), kind="date"),
    FieldSpec("extension_reason", "延期原因", ("延长原因",), max_len=500),
    FieldSpec("closed_on", "结案日期", ("结案时间", "办结日期", "办结时间", "调结日期"), kind="date"),
    FieldSpec("close_type", "结案方式", ("结案类型", "调解结果", "处理结果", "办理结果", "结案情况", "结果")),
    FieldSpec("agreed_amount", "协议金额(元)", ("协议金额", "调解金额", "达成金额", "调解协议金额", "兑现金额"), kind="amount"),
    FieldSpec("perf_mode", "履行方式", ()),
    FieldSpec("perf_deadline", "履行期限", ("履行截止日期", "履行日期"), kind="date"),
    FieldSpec("perf_status", "履行情况", ("是否履行", "履行结果")),
    FieldSpec("arb_review", "仲裁审查确认", ("司法确认", "仲裁审查确认/司法确认", "审查确认")),
    FieldSpec("to_arbitration", "是否转仲裁", ("转仲裁", "是否申请仲裁"), kind="bool"),
    FieldSpec("arbitration_case_no", "仲裁案号", ("仲裁案件编号",), max_len=60),
    FieldSpec("duration_days", "用时(天)", ("用时", "办理天数", "天数"), kind="ignore"),
    FieldSpec("visit_on", "回访日期", ("回访时间",), kind="date"),
    FieldSpec("visit_satisfaction", "回访结果", ("回访情况", "满意度"), max_len=20),
    FieldSpec("archive_no", "卷宗号", ("档案号", "归档号", "卷号"), max_len=60),
    FieldSpec("archived_on", "归档日期", ("归档时间",), kind="date"),
    FieldSpec("remark", "备注", ("说明",), kind="longtext"),
    FieldSpec("seq", "序号", ("序", "编号序号"), kind="ignore"),
    FieldSpec("uuid", "记录标识", (), kind="uuid"),
)
LABELS = {f.key: f.label for f in FIELDS}
LABELS.update({
    "applicant_count": "申请人人数", "status": "案件状态", "extension_reason": "延期原因", "arbitration_case_no": "仲裁案号",
    "visit_satisfaction": "回访结果", "archived_on": "归档日期", "perf_paid": "已履行金额", "review": "仲裁审查确认",
    "co_applicants": "其他申请人",
})

SOURCE_FUZZY = (("仲裁", "arbitration"), ("案前", "arbitration"), ("法院", "court"), ("诉前", "court"), ("诉调", "court"),
                ("移交", "transfer"), ("转交", "transfer"), ("转办", "transfer"), ("信访", "transfer"), ("排查", "patrol"),
                ("主动", "patrol"), ("申请", "apply"), ("来访", "apply"), ("当事人", "apply"))
DISPUTE_FUZZY = (("工资", "02"), ("报酬", "02"), ("加班", "02"), ("欠薪", "02"), ("薪", "02"), ("补偿", "05"), ("赔偿", "05"),
                 ("社保", "03"), ("社会保险", "03"), ("保险", "03"), ("公积金", "03"), ("解除", "06"), ("终止", "06"), ("辞退", "06"),
                 ("开除", "06"), ("劳动合同", "06"), ("劳动关系", "01"), ("工伤", "04"), ("休假", "07"), ("工时", "07"), ("工作时间", "07"),
                 ("休息", "07"), ("福利", "08"), ("培训", "08"), ("劳动保护", "08"), ("人事", "10"))
CLOSE_FUZZY = (("不予受理", "rejected"), ("不受理", "rejected"), ("和解", "settled_withdrawn"), ("撤回", "withdrawn"),
               ("撤诉", "withdrawn"), ("撤销", "withdrawn"), ("调解不成", "failed"), ("不成功", "failed"), ("未达成", "failed"),
               ("失败", "failed"), ("终止", "terminated"), ("调解成功", "agreed"), ("达成", "agreed"), ("成功", "agreed"),
               ("调结", "agreed"))
PERF_FUZZY = (("部分", "partial"), ("未履行", "none"), ("未兑现", "none"), ("履行中", "pending"), ("分期", "pending"),
              ("全部", "full"), ("已履行", "full"), ("履行完毕", "full"), ("已兑现", "full"), ("已支付", "full"))
MODE_FUZZY = (("口头", "oral"), ("线上", "online"), ("网上", "online"), ("平台", "online"), ("书面", "written"))
_COUNT_RE = re.compile(r"^(.*?)(?:等\s*(\d+)\s*人)$")
_PAID_RE = re.compile(r"已付\s*([0-9,，.]+)\s*元")
_REMARK_KEYS = (("延期原因：", "extension_reason"), ("仲裁案号：", "arbitration_case_no"), ("回访：", "visit_satisfaction"),
                ("归档日期：", "archived_on"))
SUCCESS = (CloseType.AGREED.value, CloseType.SETTLED_WITHDRAWN.value)
#: notes of a mediator created from a name in the ledger; the roster's import later completes the entry
AUTO_MEDIATOR_NOTE = "导入案件台账时按调解员姓名建立，请补充名册信息"


def _split_remark(text: str | None) -> dict[str, Any]:
    """The export's 备注 back into its parts (remark; 延期原因; 仲裁案号; 回访; 归档日期)."""
    out: dict[str, Any] = {}
    if not text:
        return out
    rest = []
    for part in text.split("；"):
        for prefix, key in _REMARK_KEYS:
            if part.startswith(prefix):
                value = part[len(prefix):].strip()
                if key == "archived_on":
                    try:
                        value = date.fromisoformat(value)
                    except ValueError:
                        rest.append(part)
                        break
                out[key] = value
                break
        else:
            rest.append(part)
    remark = "；".join(rest).strip()
    if remark:
        out["remark"] = remark
    return out


def _parse_review(text: str, review_labels: dict[str, str]) -> tuple | None:
    """'仲裁审查确认：2024-03-01申请，2024-03-10 确认有效' → (kind, applied, decided, result)."""
    if not text:
        return None
    head, _, tail = text.partition("：")
    kind = next((k for k, label in review_labels.items() if label == head.strip()), None)
    if kind is None:
        kind = "judicial" if "司法" in text else "arbitration" if "仲裁" in text else None
        if kind is None:
            return None
        tail = text if not _ else tail
    applied = decided = None
    result = None
    rest = tail.strip()
    if m := re.match(r"(\d{4}-\d{2}-\d{2})申请[，,]?\s*", rest):
        applied = date.fromisoformat(m.group(1))
        rest = rest[m.end():]
    if m := re.match(r"(\d{4}-\d{2}-\d{2})\s+", rest):
        decided = date.fromisoformat(m.group(1))
        rest = rest[m.end():]
    if rest and rest != "审查中":
        result = rest
    return (kind, applied, decided, result)


def _mediator_list(text: str) -> tuple[tuple[str, bool], ...]:
    out = []
    for part in re.split(r"[、,，;；/\s]+", text):
        part = part.strip()
        if not part:
            continue
        lead = False
        m = re.fullmatch(r"(.+?)[（(](主办|主调|主持|承办)[）)]", part)
        if m:
            part, lead = m.group(1), True
        part = re.sub(r"[（(](协办|协调|助理)[）)]$", "", part)
        if part and part not in [n for n, _l in out]:
            out.append((part, lead))
    if out and not any(lead for _n, lead in out) and len(out) == 1:
        out[0] = (out[0][0], True)
    return tuple(out)


def _mediators_text(value: tuple[tuple[str, bool], ...] | None) -> str:
    if not value:
        return ""
    return "、".join(f"{n}（主办）" if lead else n for n, lead in value)


def _review_text(value) -> str:
    if not value:
        return ""
    kind, applied, decided, result = value
    bits = [ReviewKind(kind).label if kind in ReviewKind.labels() else str(kind)]
    if applied:
        bits.append(f"{applied.isoformat()}申请")
    if result:
        bits.append(((decided.isoformat() + " ") if decided else "") + result)
    return " ".join(bits)


FORMATS = {
    "claim_amount": fen_text,
    "agreed_amount": fen_text,
    "perf_paid": fen_text,
    "mediators": _mediators_text,
    "review": _review_text,
    "co_applicants": people_text,
}


PARTY_KEYS = ("gender", "id_type", "id_number", "birth_date", "ethnicity", "phone", "address", "job", "hired_on",
              "enterprise_id", "credit_code", "legal_rep", "legal_rep_post", "is_representative", "agent_name",
              "agent_relation", "agent_phone")


def _number_parts(case_no: str, fallback_year: int) -> tuple[int, int | None]:
    """(year, sequence) of a case number such as （2024）南市调字第0012号."""
    year = re.search(r"(?:〔|\(|（|\[|【)?((?:19|20)\d{2})(?:〕|\)|）|\]|】|年)", case_no)
    y = int(year.group(1)) if year else fallback_year
    seq = re.findall(r"(\d+)", case_no.replace(str(y), "", 1))
    return y, (int(seq[-1]) if seq and len(seq[-1]) <= 6 else None)


def diffs_needed(key: str, old: Any, new: Any) -> bool:
    if key == "co_applicants":
        return compare(old or (), new)[0]
    if key in ("mediators", "review"):
        return bool(new) and tuple(new) != tuple(old or ())
    if key == "applicant_name" and new and old:
        return normalize_text(new) != normalize_text(old)
    return diff_value(old, new)


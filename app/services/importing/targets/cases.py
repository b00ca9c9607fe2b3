"""Target ``cases``: 调解案件, from the case-ledger export (forms.md §6.9) or an office's own 台账.

Historic cases arrive in every state (closed, archived, rejected …): the state follows from the columns
(受理结果, 结案日期 and 结案方式, 卷宗号), the due date is the file's 调解截止日 (else computed like the case
service does), and the agreement, performance and return visit are recorded from their columns.

A row matches a case already in the database by 记录标识, else by case number in the same organization,
else by the applicant's ID number and the received date. ID numbers and phones masked by the export are
never written: a new case gets none, an existing case keeps its full number (a disagreement is reported).
The 备注 of the export also carries 延期原因, 仲裁案号, 回访 and 归档日期; they are read back into their fields.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.services.importing.engine import Change
from app.services.importing.parsing import Masked, display, fen_text
from app.services.importing.schema import FieldSpec, TargetInfo
from app.services.importing.targets import Target, choose, chunks, diff_value
from app.services.importing.targets.common import EnterpriseDirectory
from app.services.validation import check_id_number, normalize_text, parse_amount
from db.enums import ApplyMode, CaseStatus, CloseType, PartyKind, PartyRole, PerfStatus, ReviewKind
from db.lookups import CASE_SOURCE, DISPUTE_TYPE, lookup_labels
from db.models import (
    Agreement,
    Case,
    CaseClaim,
    CaseMediator,
    CaseParty,
    Enterprise,
    Mediator,
    Organization,
    PerformanceRecord,
    ReturnVisit,
)
from db.sortkeys import case_keys, name_key

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
    FieldSpec("due_on", "调解截止日", ("调解期限", "截止日期", "办理期限"), kind="date"),
    FieldSpec("extended_to", "延期至", ("延长至", "延期日期"), kind="date"),
    FieldSpec("closed_on", "结案日期", ("结案时间", "办结日期", "办结时间", "调结日期"), kind="date"),
    FieldSpec("close_type", "结案方式", ("结案类型", "调解结果", "处理结果", "办理结果", "结案情况", "结果")),
    FieldSpec("agreed_amount", "协议金额(元)", ("协议金额", "调解金额", "达成金额", "调解协议金额", "兑现金额"), kind="amount"),
    FieldSpec("perf_mode", "履行方式", ()),
    FieldSpec("perf_deadline", "履行期限", ("履行截止日期", "履行日期"), kind="date"),
    FieldSpec("perf_status", "履行情况", ("是否履行", "履行结果")),
    FieldSpec("arb_review", "仲裁审查确认", ("司法确认", "仲裁审查确认/司法确认", "审查确认")),
    FieldSpec("to_arbitration", "是否转仲裁", ("转仲裁", "是否申请仲裁"), kind="bool"),
    FieldSpec("duration_days", "用时(天)", ("用时", "办理天数", "天数"), kind="ignore"),
    FieldSpec("visit_on", "回访日期", ("回访时间",), kind="date"),
    FieldSpec("archive_no", "卷宗号", ("档案号", "归档号", "卷号"), max_len=60),
    FieldSpec("remark", "备注", ("说明",), kind="longtext"),
    FieldSpec("seq", "序号", ("序", "编号序号"), kind="ignore"),
    FieldSpec("uuid", "记录标识", (), kind="uuid"),
)
LABELS = {f.key: f.label for f in FIELDS}
LABELS.update({
    "applicant_count": "申请人人数", "status": "案件状态", "extension_reason": "延期原因", "arbitration_case_no": "仲裁案号",
    "visit_satisfaction": "回访结果", "archived_on": "归档日期", "perf_paid": "已履行金额", "review": "仲裁审查确认",
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
}


class CaseTarget(Target):
    info = TargetInfo(
        "cases",
        "调解案件",
        FIELDS,
        "收到申请日期、申请人、被申请人必填；已结案、已归档、不予受理的历史案件按表格中的结案信息导入。",
        needs_org=True,
        export_kinds=("case-ledger",),
    )

    # -- preparation ------------------------------------------------------------------------------

    def prepare(self, ctx) -> None:
        s = ctx.session
        sources = lookup_labels(s, CASE_SOURCE)
        disputes = lookup_labels(s, DISPUTE_TYPE)
        c = ctx.cache
        c["sources"] = {**{v: k for k, v in sources.items()}, **{k: k for k in sources},
                        "仲裁委托": "arbitration", "案前调解": "arbitration", "法院委托": "court", "诉前调解": "court"}
        c["disputes"] = {**{v: k for k, v in disputes.items()}, **{k: k for k in disputes}}
        c["dispute_codes"] = set(disputes)
        c["source_codes"] = set(sources)
        c["close"] = {**{m.label: m.value for m in CloseType}, **{m.value: m.value for m in CloseType},
                      "不予受理": "rejected", "达成和解(撤回)": "settled_withdrawn", "达成和解后撤回": "settled_withdrawn"}
        c["perf"] = {**{m.label: m.value for m in PerfStatus}, **{m.value: m.value for m in PerfStatus},
                     "已履行": "full", "部分": "partial", "未履行": "none", "履行中": "pending"}
        c["modes"] = {**{m.label: m.value for m in ApplyMode}, **{m.value: m.value for m in ApplyMode}, "线上": "online"}
        c["status_labels"] = {m.label: m.value for m in CaseStatus}
        c["review_labels"] = ReviewKind.labels()
        c["dir"] = EnterpriseDirectory(s)
        c["mediators"] = {}  # org id → {name: Mediator}
        c["new_mediators"] = {}  # (org name, mediator name) → Mediator created in this import
        if not ctx.has("dispute_type_main"):
            ctx.note("表格中没有“争议类型”列，案件的争议类型按“其他”导入。", "warning")
        from app.services import app_settings
        from app.services.calendar import WorkCalendar

        c["basis"] = app_settings.get_mediation_start_basis(s)
        try:
            c["calendar"] = WorkCalendar.load()
        except Exception:  # noqa: BLE001 - without the holiday file the 15th day is not moved
            c["calendar"] = None

    def _org_mediators(self, ctx, org_id: int) -> dict[str, Mediator]:
        cache = ctx.cache["mediators"]
        if org_id not in cache:
            people: dict[str, Mediator] = {}
            for m in ctx.session.scalars(select(Mediator).where(Mediator.organization_id == org_id).order_by(Mediator.left_on.is_not(None), Mediator.id)):
                people.setdefault(m.name, m)
            cache[org_id] = people
        return cache[org_id]

    # -- one row ------------------------------------------------------------------------------

    def check_row(self, ctx, row) -> None:  # noqa: C901 - one rule after another, in ledger order
        v = row.values
        c = ctx.cache
        flat: dict[str, Any] = {}

        org_name = v.get("organization")
        if org_name:
            ref, warning = ctx.orgs.by_name(org_name)
            if warning:
                ctx.problem(row, "organization", warning, "warning")
        elif ctx.orgs.default is not None:
            ref = ctx.orgs.default
        else:
            ctx.problem(row, "organization" if ctx.has("organization") else None,
                        "不知道该案件属于哪个调解组织：请在导入时选择调解组织（命令行用 --org）")
            return
        row.scratch["org"] = ref

        received = v.get("received_on")
        if received is None:
            ctx.problem(row, "received_on", "收到申请日期：不能为空")
            return
        if received > ctx.today:
            ctx.problem(row, "received_on", f"收到申请日期：{received.isoformat()} 晚于今天")
        flat["received_on"] = received
        if "case_no" in v:
            flat["case_no"] = v["case_no"]

        src = v.get("source")
        if src is not None:
            code = choose(src, c["sources"], SOURCE_FUZZY)
            if code is None or code not in c["source_codes"]:
                ctx.problem(row, "source", f"案件来源“{src}”不在列表中，按“当事人申请”导入", "warning")
                code = "apply"
            flat["source"] = code
        if (m := v.get("apply_mode")) is not None:
            code = choose(m, c["modes"], MODE_FUZZY)
            if code is None:
                ctx.problem(row, "apply_mode", f"申请方式“{m}”应为书面、口头或线上平台，按“书面”导入", "warning")
                code = ApplyMode.WRITTEN.value
            flat["apply_mode"] = code

        name = v.get("applicant_name")
        if not name:
            ctx.problem(row, "applicant_name", "申请人：不能为空")
            return
        count = None
        if mm := _COUNT_RE.match(name):
            name, count = mm.group(1).strip(), int(mm.group(2))
        flat["applicant_name"] = name
        if "applicant_id" in v:
            flat["applicant_id"] = v["applicant_id"]
        if "applicant_phone" in v:
            flat["applicant_phone"] = v["applicant_phone"]
        workers = v.get("workers")
        if workers is not None and workers < 1:
            ctx.problem(row, "workers", "涉及劳动者人数：至少为1")
        if workers is None and count:
            workers = count
        if workers is not None:
            flat["workers"] = workers
        if count and workers and count > workers:
            ctx.problem(row, "applicant_name", f"申请人写的是{count}人，多于涉及劳动者人数{workers}人", "warning")
        if "is_collective" in v:
            flat["is_collective"] = v["is_collective"]
            if v["is_collective"] and (workers or 1) < 10:
                ctx.problem(row, "is_collective", "集体争议应涉及10人以上，请核对", "warning")

        resp = v.get("respondent_name")
        if not resp:
            ctx.problem(row, "respondent_name", "被申请人：不能为空")
            return
        flat["respondent_name"] = resp
        if "respondent_uscc" in v:
            flat["respondent_uscc"] = v["respondent_uscc"]
        d: EnterpriseDirectory = c["dir"]
        if (t := v.get("employer_type")) is not None:
            from app.services.importing.targets.common import EMPLOYER_FUZZY

            code = choose(t, d.employer_exact, EMPLOYER_FUZZY)
            if code is None:
                ctx.problem(row, "employer_type", f"用人单位类型“{t}”无法识别，未导入该项", "warning")
            else:
                flat["employer_type"] = code
        if (t := v.get("industry")) is not None:
            from app.services.importing.targets.common import INDUSTRY_FUZZY

            code = choose(t, d.industry_exact, INDUSTRY_FUZZY)
            if code is None or code not in d.industries:
                ctx.problem(row, "industry", f"所属行业“{t}”不在行业列表中，未导入该项", "warning")
            else:
                flat["industry"] = code
        if (t := v.get("street_code")) is not None:
            t = t.replace(" ", "")
            if re.fullmatch(r"\d{9}(\d{3})?", t):
                flat["street_code"] = t

        dt = v.get("dispute_type_main")
        if dt is None:
            if ctx.has("dispute_type_main"):
                ctx.problem(row, "dispute_type_main", "争议类型为空，按“其他”导入", "warning")
            flat["dispute_type_main"] = "99"
        else:
            code = choose(dt, c["disputes"], DISPUTE_FUZZY)
            if code is None or code not in c["dispute_codes"]:
                ctx.problem(row, "dispute_type_main", f"争议类型“{dt}”不在列表中，按“其他”导入", "warning")
                code = "99"
            flat["dispute_type_main"] = code
        for key in ("claims_summary", "claim_amount", "accepted_on", "due_on", "extended_to", "perf_mode",
                    "perf_deadline", "to_arbitration", "visit_on", "archive_no"):
            if key in v:
                flat[key] = v[key]
        if (ar := v.get("accept_result")) is not None:
            flat["accept_result"] = ar

        if "mediators" in v:
            flat["mediators"] = _mediator_list(v["mediators"])

        closed = v.get("closed_on")
        close_raw = v.get("close_type")
        close = None
        if close_raw is not None:
            close = choose(close_raw, c["close"], CLOSE_FUZZY)
            if close is None:
                ctx.problem(row, "close_type", f"结案方式“{close_raw}”无法识别（应为{'、'.join(m.label for m in CloseType)}或不予受理）")
                return
        rejected = close == "rejected" or (ar is not None and "不予受理" in ar or ar is not None and ar.strip() == "不受理")
        if rejected:
            close = "rejected"
        if close and close != "rejected" and closed is None:
            ctx.problem(row, "closed_on", f"结案方式为“{close_raw}”，但没有结案日期")
        if closed is not None and close is None:
            ctx.problem(row, "close_type", "有结案日期，但没有结案方式")
        if closed is not None:
            flat["closed_on"] = closed
            if closed > ctx.today:
                ctx.problem(row, "closed_on", f"结案日期 {closed.isoformat()} 晚于今天")
        if close is not None:
            flat["close_type"] = close
        acc = v.get("accepted_on")
        if acc is not None and acc < received:
            ctx.problem(row, "accepted_on", "受理日期不能早于收到申请日期")
        if closed is not None and closed < (acc or received):
            ctx.problem(row, "closed_on", "结案日期不能早于" + ("受理日期" if acc else "收到申请日期"))
        if rejected and acc is not None:
            ctx.problem(row, "accept_result", "不予受理的案件不应有受理日期", "warning")
        if v.get("extended_to") is not None and v["extended_to"] < received:
            ctx.problem(row, "extended_to", "延期日期不能早于收到申请日期")

        if "agreed_amount" in v:
            flat["agreed_amount"] = v["agreed_amount"]
            if close not in SUCCESS and v["agreed_amount"]:
                ctx.problem(row, "agreed_amount", "填写了协议金额，但结案方式不是达成调解协议或和解", "warning")
        if (ps := v.get("perf_status")) is not None:
            code = choose(ps, c["perf"], PERF_FUZZY)
            if code is None:
                ctx.problem(row, "perf_status", f"履行情况“{ps}”应为已全部履行、部分履行、未履行或履行中", "warning")
            else:
                flat["perf_status"] = code
                if pm := _PAID_RE.search(ps):
                    try:
                        flat["perf_paid"] = parse_amount(pm.group(1), "已付金额")
                    except ValueError:
                        pass
        if (rv := v.get("arb_review")) is not None:
            parsed = _parse_review(rv, c["review_labels"])
            if parsed is None:
                ctx.problem(row, "arb_review", f"“{rv}”无法识别为仲裁审查确认或司法确认，未导入该项", "warning")
            else:
                flat["review"] = parsed

        parts = _split_remark(v.get("remark"))
        for key, value in parts.items():
            flat[key] = value

        idn = flat.get("applicant_id")
        if isinstance(idn, Masked):
            row.scratch["masked_id"] = True
        flat["status"] = self._status(ctx, flat)
        row.scratch["flat"] = flat

    @staticmethod
    def _status(ctx, flat: dict[str, Any]) -> str:
        close = flat.get("close_type")
        if close == "rejected":
            return CaseStatus.REJECTED.value
        if close:
            return CaseStatus.ARCHIVED.value if flat.get("archive_no") or flat.get("archived_on") else CaseStatus.CLOSED.value
        ar = flat.get("accept_result")
        if flat.get("accepted_on") is not None:
            return CaseStatus.MEDIATING.value if flat.get("mediators") else CaseStatus.ACCEPTED.value
        if ar and ar in ctx.cache["status_labels"]:
            return ctx.cache["status_labels"][ar]
        return CaseStatus.REGISTERED.value

    # -- matching -------------------------------------------------------------------------------

    def resolve(self, ctx, rows) -> None:
        s = ctx.session
        live = [r for r in rows if "flat" in r.scratch]
        by_uuid: dict[str, int] = {}
        uuids = [r.values["uuid"] for r in live if r.values.get("uuid")]
        for part in chunks(uuids):
            by_uuid.update(dict(s.execute(select(Case.uuid, Case.id).where(Case.uuid.in_(part))).all()))
        org_ids = {r.scratch["org"].id for r in live if r.scratch["org"].id is not None}
        by_no: dict[tuple[int, str], int] = {}
        nos = [r.scratch["flat"]["case_no"] for r in live if r.scratch["flat"].get("case_no")]
        for part in chunks(list(dict.fromkeys(nos))):
            for oid, no, cid in s.execute(select(Case.organization_id, Case.case_no, Case.id).where(Case.case_no.in_(part))):
                by_no[(oid, no)] = cid
        by_idd: dict[tuple[int, str, date], int] = {}
        ids = [r.scratch["flat"]["applicant_id"] for r in live
               if isinstance(r.scratch["flat"].get("applicant_id"), str) and not isinstance(r.scratch["flat"]["applicant_id"], Masked)]
        for part in chunks(list(dict.fromkeys(ids))):
            stmt = (select(Case.organization_id, CaseParty.id_number, Case.received_on, Case.id)
                    .join(CaseParty, CaseParty.case_id == Case.id)
                    .where(CaseParty.id_number.in_(part), CaseParty.role == PartyRole.APPLICANT.value))
            for oid, idn, rec, cid in s.execute(stmt):
                if oid in org_ids:
                    by_idd[(oid, idn, rec)] = cid

        seen_uuid: dict[str, int] = {}
        seen_no: dict[tuple[str, str], int] = {}
        matched: dict[int, list] = {}
        for r in live:
            flat = r.scratch["flat"]
            ref = r.scratch["org"]
            u = r.values.get("uuid")
            if u:
                if u in seen_uuid:
                    ctx.problem(r, "uuid", f"记录标识与第{seen_uuid[u]}行相同（同一案件重复出现）")
                    continue
                seen_uuid[u] = r.row
            no = flat.get("case_no")
            if no:
                key = (ref.name, no)
                if key in seen_no:
                    ctx.problem(r, "case_no", f"案号与第{seen_no[key]}行重复（同一调解组织的案号不能重复）")
                    continue
                seen_no[key] = r.row
            cid, how = None, ""
            if u and u in by_uuid:
                cid, how = by_uuid[u], "uuid"
            elif ref.id is not None and no and (ref.id, no) in by_no:
                cid, how = by_no[(ref.id, no)], "case_no"
            elif ref.id is not None and isinstance(flat.get("applicant_id"), str) and not isinstance(flat["applicant_id"], Masked):
                cid = by_idd.get((ref.id, flat["applicant_id"], flat["received_on"]))
                how = "id_date" if cid else ""
            if cid is None:
                if r.scratch.get("masked_id"):
                    ctx.problem(r, "applicant_id", "身份证号已脱敏，新案件不导入身份证号", "warning")
                continue
            r.existing_id, r.match = cid, how
            matched.setdefault(cid, []).append(r)
        if matched:
            self._compare(ctx, matched)

        # mediators named in the file and missing from the organization's roster
        for r in live:
            if not r.ok or r.action not in ("new",) and not r.changes:
                continue
            names = r.scratch["flat"].get("mediators") or ()
            ref = r.scratch["org"]
            known = self._org_mediators(ctx, ref.id) if ref.id is not None else {}
            missing = [n for n, _l in names if n not in known]
            if missing:
                ctx.problem(r, "mediators", f"调解员“{'、'.join(missing)}”不在{ref.name}的调解员名册中，导入时将新建（兼职）", "warning")

    def _current(self, case: Case, org_street: str | None) -> dict[str, Any]:
        apps = [p for p in case.parties if p.role == PartyRole.APPLICANT.value]
        apps.sort(key=lambda p: (not p.is_representative, p.sort_order, p.id))
        resps = sorted((p for p in case.parties if p.role == PartyRole.RESPONDENT.value), key=lambda p: (p.sort_order, p.id))
        ap = apps[0] if apps else None
        rp = resps[0] if resps else None
        ent: Enterprise | None = rp.enterprise if rp is not None else None
        ag = case.agreement
        perf = max(case.performances, key=lambda p: (p.recorded_on, p.id), default=None)
        visit = max(case.return_visits, key=lambda p: (p.visited_on, p.id), default=None)
        rejected = case.status == CaseStatus.REJECTED.value
        if rejected:
            accept_result = "不予受理"
        elif case.accepted_on is not None:
            accept_result = "受理"
        else:
            accept_result = "待审查" if case.status == CaseStatus.REGISTERED.value else CaseStatus.labels().get(case.status, case.status)
        leads = [cm for cm in case.mediators if cm.lead]
        others = [cm for cm in case.mediators if not cm.lead]
        mediators = tuple((cm.mediator.name, True) for cm in leads) + tuple((cm.mediator.name, False) for cm in others)
        review = None
        if ag is not None and ag.review_kind:
            review = (ag.review_kind, ag.review_applied_on, ag.review_decided_on if ag.review_result else None, ag.review_result)
        return {
            "case_no": case.case_no,
            "received_on": case.received_on,
            "source": case.source,
            "apply_mode": case.apply_mode,
            "applicant_name": ap.name if ap else None,
            "applicant_id": ap.id_number if ap else None,
            "applicant_phone": ap.phone if ap else None,
            "respondent_name": rp.name if rp else None,
            "respondent_uscc": (rp.credit_code if rp else None) or (ent.credit_code if ent else None),
            "employer_type": ent.employer_type if ent else None,
            "industry": ent.industry if ent else None,
            "street_code": (ent.street_code if ent else None) or org_street,
            "workers": case.workers,
            "is_collective": bool(case.is_collective),
            "dispute_type_main": case.dispute_type_main,
            "claims_summary": case.claims_summary,
            "claim_amount": case.claim_amount_fen,
            "accepted_on": case.accepted_on,
            "accept_result": accept_result,
            "mediators": mediators,
            "due_on": case.mediation_due_on,
            "extended_to": case.extended_to,
            "closed_on": case.closed_on or (case.rejected_on if rejected else None),
            "close_type": "rejected" if rejected else case.close_type,
            "agreed_amount": ag.amount_fen if ag is not None else case.agreed_amount_fen,
            "perf_mode": ag.perf_mode if ag else None,
            "perf_deadline": ag.perf_deadline if ag else None,
            "perf_status": (perf.status if perf else None) or case.perf_status,
            "perf_paid": perf.amount_paid_fen if perf and perf.status == "partial" else None,
            "review": review,
            "to_arbitration": bool(case.to_arbitration),
            "visit_on": visit.visited_on if visit else None,
            "visit_satisfaction": visit.satisfaction if visit else None,
            "archive_no": case.archive_no,
            "archived_on": case.archived_on,
            "extension_reason": case.extension_reason,
            "arbitration_case_no": case.arbitration_case_no,
            "remark": case.remark,
            "status": case.status,
        }

    def _compare(self, ctx, matched: dict[int, list]) -> None:
        """Compare matched rows with their cases, read with plain column queries (no ORM objects: fast)."""
        from types import SimpleNamespace as NS

        s = ctx.session
        ids = list(matched)
        case_cols = [c for c in Case.__table__.columns if c.key not in ("facts", "oral_record", "search_text")]
        for part in chunks(ids):
            cases: dict[int, Any] = {}
            for row in s.execute(select(*case_cols, Organization.name.label("org_name"), Organization.street_code.label("org_street"))
                                 .join(Organization, Organization.id == Case.organization_id).where(Case.id.in_(part))):
                m = row._mapping
                c = NS(**{col.key: m[col.key] for col in case_cols})
                c.organization = NS(name=m["org_name"], street_code=m["org_street"])
                c.parties, c.mediators, c.performances, c.return_visits, c.agreement = [], [], [], [], None
                cases[c.id] = c
            ent_ids = set()
            for p in s.execute(select(CaseParty.id, CaseParty.case_id, CaseParty.role, CaseParty.name, CaseParty.id_number,
                                      CaseParty.phone, CaseParty.credit_code, CaseParty.enterprise_id,
                                      CaseParty.is_representative, CaseParty.sort_order).where(CaseParty.case_id.in_(part))):
                cases[p.case_id].parties.append(NS(**p._mapping, enterprise=None))
                if p.enterprise_id:
                    ent_ids.add(p.enterprise_id)
            ents = {e.id: NS(**e._mapping) for e in s.execute(
                select(Enterprise.id, Enterprise.credit_code, Enterprise.employer_type, Enterprise.industry,
                       Enterprise.street_code).where(Enterprise.id.in_(ent_ids)))} if ent_ids else {}
            for c in cases.values():
                for p in c.parties:
                    p.enterprise = ents.get(p.enterprise_id)
            for cm in s.execute(select(CaseMediator.case_id, CaseMediator.lead, CaseMediator.id, Mediator.name)
                                .join(Mediator, Mediator.id == CaseMediator.mediator_id).where(CaseMediator.case_id.in_(part))
                                .order_by(CaseMediator.id)):
                cases[cm.case_id].mediators.append(NS(lead=cm.lead, mediator=NS(name=cm.name)))
            for ag in s.execute(select(Agreement).where(Agreement.case_id.in_(part)).execution_options(populate_existing=False)).scalars():
                cases[ag.case_id].agreement = ag
            for pr in s.execute(select(PerformanceRecord.case_id, PerformanceRecord.id, PerformanceRecord.recorded_on,
                                       PerformanceRecord.status, PerformanceRecord.amount_paid_fen)
                                .where(PerformanceRecord.case_id.in_(part))):
                cases[pr.case_id].performances.append(NS(**pr._mapping))
            for rv in s.execute(select(ReturnVisit.case_id, ReturnVisit.id, ReturnVisit.visited_on, ReturnVisit.satisfaction)
                                .where(ReturnVisit.case_id.in_(part))):
                cases[rv.case_id].return_visits.append(NS(**rv._mapping))
            for case in cases.values():
                current = self._current(case, case.organization.street_code)
                for r in matched[case.id]:
                    self._diff_row(ctx, r, case, current)

    def _diff_row(self, ctx, r, case: Case, current: dict[str, Any]) -> None:
        flat = r.scratch["flat"]
        if case.deleted_at is not None:
            ctx.problem(r, "uuid" if r.match == "uuid" else "case_no", "该案件在本库中已被删除，跳过", "warning")
            r.action = "skip"
            return
        ref = r.scratch["org"]
        if ref.id is not None and case.organization_id != ref.id:
            ctx.problem(r, None, f"该案件在本库中属于“{case.organization.name}”，组织不变", "warning")
        for key, label in (("applicant_id", "身份证号"), ("applicant_phone", "电话")):
            value = flat.get(key)
            if isinstance(value, Masked) and current.get(key) and not value.matches(current[key]):
                ctx.problem(r, key, f"脱敏的{label}与库中的号码不一致，未更新（库中的完整号码保留）", "warning")
            elif isinstance(value, Masked) and not current.get(key):
                ctx.problem(r, key, f"{label}已脱敏，库中也没有完整号码", "warning")
        diffs = []
        for key, value in flat.items():
            if key == "status":
                continue
            old = current.get(key)
            if key == "accept_result":
                if value.strip() != (old or "") and not (value == "受理" and current.get("accepted_on")):
                    diffs.append(key)
                continue
            if diffs_needed(key, old, value):
                diffs.append(key)
        if flat.get("status") != current.get("status") and any(
            k in diffs for k in ("accepted_on", "closed_on", "close_type", "archive_no", "archived_on", "accept_result", "mediators")
        ):
            diffs.append("status")
        fmt = FORMATS
        r.changes = [
            Change(LABELS.get(k, k), (fmt.get(k, display))(current.get(k)), (fmt.get(k, display))(flat.get(k)))
            for k in diffs
            if k != "accept_result" or True
        ]
        if case.locked and diffs:
            ctx.problem(r, None, "该案件已归档，将按导入文件更新", "warning")
        r.scratch["apply"] = set(diffs)
        r.action = "update" if diffs else "unchanged"

    # -- writing -------------------------------------------------------------------------------

    def write(self, ctx, rows, tick) -> None:
        """Updates through the ORM (few, with their related rows); new cases in bulk (Core executemany)."""
        s = ctx.session
        total = len(rows)
        d: EnterpriseDirectory = ctx.cache["dir"]
        d.preload([r.scratch["flat"].get("respondent_uscc") for r in rows
                   if isinstance(r.scratch["flat"].get("respondent_uscc"), str) and not isinstance(r.scratch["flat"].get("respondent_uscc"), Masked)],
                  [r.scratch["flat"].get("respondent_name") for r in rows])
        updates = [r for r in rows if r.action == "update"]
        loaded: dict[int, Case] = {}
        for part in chunks([r.existing_id for r in updates]):
            for case in s.scalars(select(Case).where(Case.id.in_(part)).options(
                selectinload(Case.parties), selectinload(Case.mediators), selectinload(Case.agreement),
                selectinload(Case.performances), selectinload(Case.return_visits), selectinload(Case.claims),
            )):
                loaded[case.id] = case
        for n, r in enumerate(updates, 1):
            self._apply(ctx, loaded[r.existing_id], r.scratch["flat"], r.scratch["apply"], new=False)
            if n % 200 == 0:
                s.flush()
            tick(n, total)
        s.flush()
        new = [r for r in rows if r.action == "new"]
        if new:
            self._insert_new(ctx, new, lambda n: tick(len(updates) + n, total))

    # -- new cases in bulk ---------------------------------------------------------------------

    def _insert_new(self, ctx, rows, tick) -> None:  # noqa: C901 - one pass per table
        from sqlalchemy import insert

        from db.base import new_uuid

        s = ctx.session
        d: EnterpriseDirectory = ctx.cache["dir"]
        # 1. organizations, enterprises and mediators the rows need, created with one flush
        with s.no_autoflush:
            for r in rows:
                r.scratch["org_id"] = ctx.orgs.ensure(r.scratch["org"], ctx)
            for r in rows:
                flat = r.scratch["flat"]
                code = flat.get("respondent_uscc")
                code = code if isinstance(code, str) and not isinstance(code, Masked) else None
                ent_values = {k: flat[k] for k in ("employer_type", "industry", "street_code") if flat.get(k)}
                e = d.find(flat["respondent_name"], code)
                if e is None:
                    e = d.create(ctx, flat["respondent_name"], {"credit_code": code, **ent_values}, flush=False)
                else:
                    for k, v in ent_values.items():
                        if getattr(e, k) is None:
                            setattr(e, k, v)
                    if code and e.credit_code is None:
                        e.credit_code = code
                r.scratch["ent"] = e
                names = flat.get("mediators") or ()
                people = self._org_mediators(ctx, r.scratch["org_id"])
                for name, _lead in names:
                    if name not in people:
                        m = Mediator(organization_id=r.scratch["org_id"], name=name, full_time=False, notes=AUTO_MEDIATOR_NOTE)
                        s.add(m)
                        people[name] = m
                        ctx.count_created("调解员")
        s.flush()
        # 2. the cases
        orgs = {}
        case_rows = []
        for r in rows:
            flat = r.scratch["flat"]
            org_id = r.scratch["org_id"]
            uuid = r.values.get("uuid") or new_uuid()
            r.scratch["uuid"] = uuid
            case_no = flat.get("case_no")
            year = seq = None
            if case_no:
                year, seq = _number_parts(case_no, flat["received_on"].year)
            else:
                from app.services.cases import next_case_number

                org = orgs.get(org_id) or s.get(Organization, org_id)
                orgs[org_id] = org
                year = flat["received_on"].year
                case_no, seq = next_case_number(s, org, year)
                ctx.problem(r, "case_no" if ctx.has("case_no") else None, f"没有案号，已按本组织的案号规则编为 {case_no}", "warning")
            close = flat.get("close_type")
            rejected = close == "rejected"
            status = flat["status"]
            values = {
                "uuid": uuid, "organization_id": org_id, "case_no": case_no, "case_year": year, "case_seq": seq,
                "received_on": flat["received_on"], "apply_mode": flat.get("apply_mode", ApplyMode.WRITTEN.value),
                "source": flat.get("source", "apply"), "status": status, "workers": flat.get("workers", 1),
                "common_claim": bool(flat.get("is_collective")), "is_collective": bool(flat.get("is_collective")),
                "dispute_type_main": flat["dispute_type_main"], "claims_summary": flat.get("claims_summary"),
                "claim_amount_fen": flat.get("claim_amount") or 0, "accepted_on": flat.get("accepted_on"),
                "rejected_on": flat.get("closed_on") if rejected else None,
                "extended_to": flat.get("extended_to"), "extension_reason": flat.get("extension_reason"),
                "closed_on": None if rejected else flat.get("closed_on"), "close_type": None if rejected else close,
                "agreed_amount_fen": flat.get("agreed_amount"), "perf_status": flat.get("perf_status"),
                "to_arbitration": bool(flat.get("to_arbitration")), "arbitration_case_no": flat.get("arbitration_case_no"),
                "archive_no": flat.get("archive_no"), "archived_on": flat.get("archived_on"),
                "locked": status == CaseStatus.ARCHIVED.value, "remark": flat.get("remark"),
            }
            values["mediation_due_on"] = flat["due_on"] if "due_on" in flat else self._due_for(ctx, values)
            e = r.scratch["ent"]
            idn = flat.get("applicant_id")
            idn = idn if isinstance(idn, str) and not isinstance(idn, Masked) else None
            parts = [case_no, flat["applicant_name"], idn or "", flat["respondent_name"], e.credit_code or "", e.name]
            values["search_text"] = " ".join(dict.fromkeys(x for x in parts if x))
            values["applicant_key"] = name_key(flat["applicant_name"])
            values["respondent_key"] = name_key(flat["respondent_name"])
            case_rows.append(values)
        ids: dict[str, int] = {}
        for part in chunks(case_rows, 1000):
            s.execute(insert(Case), part)
        for part in chunks([c["uuid"] for c in case_rows]):
            ids.update(dict(s.execute(select(Case.uuid, Case.id).where(Case.uuid.in_(part))).all()))
        # 3. what hangs off each case
        parties, claims, agreements, perfs, visits, links = [], [], [], [], [], []
        for n, r in enumerate(rows, 1):
            flat = r.scratch["flat"]
            cid = ids[r.scratch["uuid"]]
            idn = flat.get("applicant_id")
            idn = idn if isinstance(idn, str) and not isinstance(idn, Masked) else None
            phone = flat.get("applicant_phone")
            phone = phone if isinstance(phone, str) and not isinstance(phone, Masked) else None
            gender = birth = None
            if idn:
                try:
                    info = check_id_number(idn, "身份证号", ctx.today)
                    gender, birth = info.gender, info.birth_date
                except ValueError:
                    pass
            collective = bool(flat.get("is_collective")) and (flat.get("workers") or 1) >= 10
            party = dict.fromkeys(PARTY_KEYS)
            parties.append({**party, "uuid": new_uuid(), "case_id": cid, "role": PartyRole.APPLICANT.value,
                            "party_kind": PartyKind.PERSON.value, "name": flat["applicant_name"], "id_type": "居民身份证",
                            "id_number": idn, "gender": gender, "birth_date": birth, "phone": phone,
                            "is_representative": collective, "sort_order": 0})
            e = r.scratch["ent"]
            code = flat.get("respondent_uscc")
            code = code if isinstance(code, str) and not isinstance(code, Masked) else None
            parties.append({**party, "uuid": new_uuid(), "case_id": cid, "role": PartyRole.RESPONDENT.value,
                            "party_kind": PartyKind.EMPLOYER.value, "name": flat["respondent_name"], "enterprise_id": e.id,
                            "credit_code": code, "is_representative": False, "sort_order": 1})
            if flat.get("claims_summary") or flat.get("claim_amount"):
                claims.append({"uuid": new_uuid(), "case_id": cid, "claim_type": flat["dispute_type_main"],
                               "description": flat.get("claims_summary") or "", "amount_fen": flat.get("claim_amount") or 0,
                               "sort_order": 0})
            if any(flat.get(k) is not None for k in ("agreed_amount", "perf_mode", "perf_deadline", "review")):
                kind, applied, decided, result = flat.get("review") or (None, None, None, None)
                agreements.append({"uuid": new_uuid(), "case_id": cid,
                                   "signed_on": flat.get("closed_on") or flat.get("accepted_on") or flat["received_on"],
                                   "amount_fen": flat.get("agreed_amount") or 0, "perf_mode": flat.get("perf_mode"),
                                   "perf_deadline": flat.get("perf_deadline"), "review_kind": kind,
                                   "review_applied_on": applied, "review_decided_on": decided, "review_result": result})
            if flat.get("perf_status"):
                perfs.append({"uuid": new_uuid(), "case_id": cid,
                              "recorded_on": flat.get("visit_on") or flat.get("closed_on") or flat["received_on"],
                              "status": flat["perf_status"],
                              "amount_paid_fen": flat.get("perf_paid") if flat["perf_status"] == "partial" else None})
            if flat.get("visit_on"):
                visits.append({"uuid": new_uuid(), "case_id": cid, "visited_on": flat["visit_on"],
                               "satisfaction": flat.get("visit_satisfaction"),
                               "perf_status": flat.get("perf_status") if flat.get("visit_satisfaction") else None})
            people = self._org_mediators(ctx, r.scratch["org_id"])
            done: set[int] = set()
            for name, lead in flat.get("mediators") or ():
                m = people[name]
                if m.id not in done:
                    links.append({"uuid": new_uuid(), "case_id": cid, "mediator_id": m.id, "lead": lead})
                    done.add(m.id)
            tick(n)
        for model, data in ((CaseParty, parties), (CaseClaim, claims), (Agreement, agreements),
                            (PerformanceRecord, perfs), (ReturnVisit, visits), (CaseMediator, links)):
            for part in chunks(data, 1000):
                s.execute(insert(model), part)

    def _due_for(self, ctx, values: dict[str, Any]) -> date | None:
        if values["status"] == CaseStatus.REJECTED.value:
            return None
        from app.services.deadlines import mediation_due

        due = mediation_due(values["received_on"], values["accepted_on"], ctx.cache["basis"], values["extended_to"],
                            ctx.cache["calendar"])
        return due.due if due else None

    def _apply(self, ctx, case: Case, flat: dict[str, Any], keys: set[str], *, new: bool) -> None:  # noqa: C901
        s = ctx.session
        org_id = case.organization_id
        simple = {
            "received_on": "received_on", "source": "source", "apply_mode": "apply_mode", "workers": "workers",
            "dispute_type_main": "dispute_type_main", "claims_summary": "claims_summary", "claim_amount": "claim_amount_fen",
            "accepted_on": "accepted_on", "extended_to": "extended_to", "to_arbitration": "to_arbitration",
            "archive_no": "archive_no", "archived_on": "archived_on", "extension_reason": "extension_reason",
            "arbitration_case_no": "arbitration_case_no", "remark": "remark", "due_on": "mediation_due_on",
        }
        for key, attr in simple.items():
            if key in keys and key in flat:
                setattr(case, attr, flat[key])
        if "is_collective" in keys and "is_collective" in flat:
            case.is_collective = flat["is_collective"]
            case.common_claim = flat["is_collective"]
        if "status" in keys or new:
            case.status = flat["status"]
        status = case.status
        if "close_type" in keys or "closed_on" in keys or new:
            if flat.get("close_type") == "rejected":
                case.close_type = None
                case.rejected_on = flat.get("closed_on") or case.rejected_on
                case.closed_on = None
            else:
                case.close_type = flat.get("close_type", case.close_type)
                if "closed_on" in flat:
                    case.closed_on = flat["closed_on"]
        if status in (CaseStatus.ARCHIVED.value,):
            case.locked = True
        if "case_no" in keys and flat.get("case_no"):
            case.case_no = flat["case_no"]
            case.case_year, case.case_seq = _number_parts(case.case_no, case.received_on.year)
        elif new and not flat.get("case_no"):
            from app.services.cases import next_case_number

            org = s.get(Organization, org_id)
            s.flush()
            case.case_no, case.case_seq = next_case_number(s, org, case.received_on.year)
            case.case_year = case.received_on.year
        if case.closed_on is None and "close_type" not in flat:
            pass
        if "due_on" not in flat and (new or keys & {"received_on", "accepted_on", "extended_to"}):
            case.mediation_due_on = self._due(ctx, case)

        # parties
        if new or keys & {"applicant_name", "applicant_id", "applicant_phone", "workers"}:
            ap = next((p for p in sorted(case.parties, key=lambda p: (not p.is_representative, p.sort_order, p.id or 0))
                       if p.role == PartyRole.APPLICANT.value), None)
            if ap is None:
                ap = CaseParty(role=PartyRole.APPLICANT.value, party_kind=PartyKind.PERSON.value, name=flat["applicant_name"],
                               id_type="居民身份证", sort_order=0)
                case.parties.append(ap)
            ap.name = flat.get("applicant_name", ap.name)
            idn = flat.get("applicant_id")
            if isinstance(idn, str) and not isinstance(idn, Masked):
                ap.id_number = idn
                try:
                    info = check_id_number(idn, "身份证号", ctx.today)
                    ap.gender, ap.birth_date = info.gender, info.birth_date
                except ValueError:
                    pass
            phone = flat.get("applicant_phone")
            if isinstance(phone, str) and not isinstance(phone, Masked):
                ap.phone = phone
            if (case.workers or 1) >= 10 and case.is_collective:
                ap.is_representative = True
        if new or keys & {"respondent_name", "respondent_uscc", "employer_type", "industry", "street_code"}:
            self._respondent(ctx, case, flat, new)
        if new and (flat.get("claims_summary") or flat.get("claim_amount")):
            case.claims.append(CaseClaim(claim_type=case.dispute_type_main, description=flat.get("claims_summary") or "",
                                         amount_fen=flat.get("claim_amount") or 0))
        if "mediators" in keys and "mediators" in flat:
            self._mediators(ctx, case, flat["mediators"], org_id)
        # agreement, performance, review
        ag_keys = {"agreed_amount", "perf_mode", "perf_deadline", "review"}
        wants_agreement = any(flat.get(k) is not None for k in ag_keys)
        if (new or keys & (ag_keys | {"close_type", "closed_on"})) and wants_agreement:
            ag = case.agreement
            if ag is None:
                ag = Agreement(signed_on=case.closed_on or case.accepted_on or case.received_on)
                case.agreement = ag
            if "agreed_amount" in flat:
                ag.amount_fen = flat["agreed_amount"]
                case.agreed_amount_fen = flat["agreed_amount"]
            if "perf_mode" in flat:
                ag.perf_mode = flat["perf_mode"]
            if "perf_deadline" in flat:
                ag.perf_deadline = flat["perf_deadline"]
            if case.closed_on and (new or "closed_on" in keys):
                ag.signed_on = case.closed_on
            if "review" in flat:
                kind, applied, decided, result = flat["review"]
                ag.review_kind, ag.review_applied_on, ag.review_decided_on, ag.review_result = kind, applied, decided, result
        elif "agreed_amount" in keys and "agreed_amount" in flat:
            case.agreed_amount_fen = flat["agreed_amount"]
        if (new or keys & {"perf_status", "perf_paid"}) and flat.get("perf_status"):
            case.perf_status = flat["perf_status"]
            perf = max(case.performances, key=lambda p: (p.recorded_on, p.id or 0), default=None)
            on = flat.get("visit_on") or case.closed_on or case.received_on
            paid = flat.get("perf_paid") if flat["perf_status"] == "partial" else None
            if perf is None:
                case.performances.append(PerformanceRecord(recorded_on=on, status=flat["perf_status"], amount_paid_fen=paid))
            else:
                perf.status, perf.amount_paid_fen = flat["perf_status"], paid
        if (new or keys & {"visit_on", "visit_satisfaction"}) and flat.get("visit_on"):
            visit = max(case.return_visits, key=lambda p: (p.visited_on, p.id or 0), default=None)
            if visit is None:
                visit = ReturnVisit(visited_on=flat["visit_on"])
                case.return_visits.append(visit)
            visit.visited_on = flat["visit_on"]
            if flat.get("visit_satisfaction"):
                visit.satisfaction = flat["visit_satisfaction"]
                visit.perf_status = flat.get("perf_status")
        case.search_text = self._search_text(case)
        case.applicant_key, case.respondent_key = case_keys(case.parties)

    @staticmethod
    def _due(ctx, case: Case) -> date | None:
        if case.status == CaseStatus.REJECTED.value:
            return None
        from app.services.deadlines import mediation_due

        due = mediation_due(case.received_on, case.accepted_on, ctx.cache["basis"], case.extended_to, ctx.cache["calendar"])
        return due.due if due else None

    def _respondent(self, ctx, case: Case, flat: dict[str, Any], new: bool) -> None:
        d: EnterpriseDirectory = ctx.cache["dir"]
        name = flat.get("respondent_name")
        code = flat.get("respondent_uscc")
        real_code = code if isinstance(code, str) and not isinstance(code, Masked) else None
        rp = next((p for p in sorted(case.parties, key=lambda p: (p.sort_order, p.id or 0)) if p.role == PartyRole.RESPONDENT.value), None)
        if rp is None:
            rp = CaseParty(role=PartyRole.RESPONDENT.value, party_kind=PartyKind.EMPLOYER.value, name=name, sort_order=1)
            case.parties.append(rp)
        rp.name = name or rp.name
        if real_code:
            rp.credit_code = real_code
        ent_values = {k2: flat[k1] for k1, k2 in (("employer_type", "employer_type"), ("industry", "industry"),
                                                    ("street_code", "street_code")) if flat.get(k1)}
        e = d.find(rp.name, real_code)
        if e is None:
            e = d.create(ctx, rp.name, {"credit_code": real_code, **ent_values})
        else:
            changed = {k: v for k, v in ent_values.items() if getattr(e, k) != v and (getattr(e, k) is None or not new)}
            EnterpriseDirectory.apply(e, changed)
            if real_code and e.credit_code is None:
                e.credit_code = real_code
        rp.enterprise_id = e.id
        rp.enterprise = e

    def _mediators(self, ctx, case: Case, names: tuple[tuple[str, bool], ...], org_id: int) -> None:
        s = ctx.session
        people = self._org_mediators(ctx, org_id)
        wanted: list[tuple[Mediator, bool]] = []
        for name, lead in names:
            m = people.get(name)
            if m is None:
                m = Mediator(organization_id=org_id, name=name, full_time=False, notes=AUTO_MEDIATOR_NOTE)
                s.add(m)
                s.flush()
                people[name] = m
                ctx.count_created("调解员")
            if all(w.id != m.id for w, _l in wanted):
                wanted.append((m, lead))
        current = {cm.mediator_id: cm for cm in case.mediators}
        keep = {m.id for m, _l in wanted}
        for cm in list(case.mediators):
            if cm.mediator_id not in keep:
                case.mediators.remove(cm)
        for m, lead in wanted:
            cm = current.get(m.id)
            if cm is None:
                case.mediators.append(CaseMediator(mediator_id=m.id, lead=lead))
            else:
                cm.lead = lead

    @staticmethod
    def _search_text(case: Case) -> str:
        parts: list[str] = [case.case_no or ""]
        for p in case.parties:
            parts.extend([p.name or "", p.id_number or "", p.credit_code or ""])
            if p.enterprise is not None and p.enterprise.name:
                parts.append(p.enterprise.name)
        return " ".join(dict.fromkeys(x for x in parts if x))


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
    if key in ("mediators", "review"):
        return bool(new) and tuple(new) != tuple(old or ())
    if key == "applicant_name" and new and old:
        return normalize_text(new) != normalize_text(old)
    return diff_value(old, new)


TARGET = CaseTarget()

"""Checking one row of the case target: organization, dates, parties, codes, close and agreement rules."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from app.services.importing.open_words import open_case_words, open_word
from app.services.importing.parsing import Masked
from app.services.importing.targets.cases.applicants import (
    CO_ID_SPEC,
    CO_PHONE_SPEC,
    Person,
    names_of,
    numbers_of,
)
from app.services.importing.targets.cases.fields import (
    _PAID_RE,
    CLOSE_FUZZY,
    DISPUTE_FUZZY,
    MODE_FUZZY,
    PERF_FUZZY,
    SOURCE_FUZZY,
    SUCCESS,
    _mediator_list,
    _parse_review,
    _split_remark,
)
from app.services.importing.targets.common import EnterpriseDirectory
from app.services.importing.targets.helpers import choose
from app.services.validation import ValidationError, parse_amount
from db.enums import ApplyMode, CaseStatus, CloseType, PerfStatus, ReviewKind
from db.lookups import CASE_SOURCE, DISPUTE_TYPE, lookup_labels
from db.models import Mediator

#: A row without an organization (no 调解组织 column or cell, none chosen, none named by the file). The command
#: line adds how to choose one there (app.services.importing.command); the wizard's text names no option.
NO_ORG_MESSAGE = "不知道该案件属于哪个调解组织：表格中没有写明调解组织，请在导入时选择调解组织"
#: 受理结果 words of a case not accepted yet (the ledger export writes 待审查 for a registered case)
NOT_ACCEPTED_WORDS = ("待审查", "未受理", "待受理", "尚未受理")
_NO_EXACT: dict[str, str] = {}


def merged_hint(ctx, row, key: str, message: str) -> str:
    """``message`` about a blank cell, with a hint when the cell lies under the first row of a merged range
    (a merged cell holds its value in its first row only)."""
    col = ctx.fields.get(key)
    merges = getattr(getattr(ctx.plan, "raw", None), "merges", None) or ()
    if col is None:
        return message
    c = col.index + 1
    for r1, c1, r2, c2 in merges:
        if c1 <= c <= c2 and r1 < row.row <= r2:
            return (f"{message}（该格在第{r1}–{r2}行的合并单元格中，合并单元格只有第{r1}行有内容：请取消合并，"
                    "在每一行填写）")
    return message


class CaseChecks:
    """Part of :class:`~app.services.importing.targets.cases.target.CaseTarget`: prepare and check_row."""

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
        c["open_words"] = open_case_words(s)
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
            ctx.problem(row, "organization" if ctx.has("organization") else None, NO_ORG_MESSAGE)
            return
        row.scratch["org"] = ref

        received = v.get("received_on")
        if received is None:
            ctx.problem(row, "received_on", merged_hint(ctx, row, "received_on", "收到申请日期：不能为空"))
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

        people = self._applicants(ctx, row)
        if people is None:
            return
        first, others, count = people
        flat["applicant_name"] = first.name
        if first.id_number is not None:
            flat["applicant_id"] = first.id_number
        if first.phone is not None:
            flat["applicant_phone"] = first.phone
        if others or ctx.has("co_applicants"):
            flat["co_applicants"] = others
        workers = v.get("workers")
        if workers is not None and workers < 1:
            ctx.problem(row, "workers", "涉及劳动者人数：至少为1")
        if workers is None and count:
            workers = count
        elif workers is None and others and not ctx.has("workers"):
            workers = 1 + len(others)
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
            ctx.problem(row, "respondent_name", merged_hint(ctx, row, "respondent_name", "被申请人：不能为空"))
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
            if m := re.search(r"(?<!\d)(\d{9}(?:\d{3})?)(?!\d)", t):  # 「南市街道（120101006）」 or the bare code
                flat["street_code"] = m.group(1)

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
                    "perf_deadline", "to_arbitration", "visit_on", "archive_no", "extension_reason",
                    "arbitration_case_no", "visit_satisfaction", "archived_on"):
            if key in v:
                flat[key] = v[key]
        if (ar := v.get("accept_result")) is not None:
            flat["accept_result"] = ar

        if "mediators" in v:
            flat["mediators"] = _mediator_list(v["mediators"])

        closed = v.get("closed_on")
        close_raw = v.get("close_type")
        session_on = v.get("session_on")
        close, open_as = self._close_or_open(close_raw, c)
        if close_raw is not None and close is None and open_as is None:
            ctx.problem(row, "close_type", f"结案方式“{close_raw}”无法识别（应为{'、'.join(m.label for m in CloseType)}或不予受理；"
                                           f"尚未结案的留空或写“调解中”“在办”等）")
            return
        rejected = close == "rejected" or (ar is not None and "不予受理" in ar or ar is not None and ar.strip() == "不受理")
        if rejected:
            close = "rejected"
        if close and close != "rejected" and closed is None:
            if session_on is not None:
                closed = session_on
                ctx.problem(row, "closed_on", f"没有结案日期，按调解日期 {session_on.isoformat()} 作为结案日期", "warning")
            else:
                ctx.problem(row, "closed_on", f"结案方式为“{close_raw}”，但没有结案日期")
        if closed is not None and close is None:
            if open_as is not None:
                ctx.problem(row, "close_type", f"结案方式“{close_raw}”表示尚未结案，但填写了结案日期")
            else:
                ctx.problem(row, "close_type", "有结案日期，但没有结案方式")
        if session_on is not None:
            flat["session_on"] = session_on
            if session_on < received:
                ctx.problem(row, "session_on", "调解日期不能早于收到申请日期")
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

        if any(isinstance(p.id_number, Masked) for p in (first, *others)):
            row.scratch["masked_id"] = True
        flat["status"] = self._status(ctx, flat, open_as)
        row.scratch["flat"] = flat
        if open_as is not None or (close is None and flat["status"] != CaseStatus.REGISTERED.value):
            self._note_open(ctx, row, close_raw, open_as, flat)

    @staticmethod
    def _applicants(ctx, row) -> tuple[Person, tuple[Person, ...], int | None] | None:
        """(the first applicant, the others, the N of 「等N人」) from the 申请人 cell (「张三、李四」; its ID and phone
        cells are the first one's) and the export's hidden 其他申请人 columns (the others' numbers, in the order of
        the names after the first); None after reporting a problem."""
        v, cells = row.values, row.cells
        names, count, _cut = names_of(v.get("applicant_name"))
        if not names:
            ctx.problem(row, "applicant_name", merged_hint(ctx, row, "applicant_name", "申请人：不能为空"))
            return None
        co_names, _n, cut = names_of(v.get("co_applicants"), marks_rep=True)
        if cut:
            ctx.problem(row, "co_applicants", f"其他申请人只列出了{len(co_names)}人，另有{cut}人未列在文件中，未导入", "warning")
        # the visible cells hold the first applicant's numbers (parsed with the row); the hidden ones, the others'
        others = names[1:] + co_names
        numbers: dict[str, list] = {key: [v.get(key)] for key in ("applicant_id", "applicant_phone")}
        for key, spec, n in (("co_applicant_ids", CO_ID_SPEC, len(others)),
                             ("co_applicant_phones", CO_PHONE_SPEC, len(others))):
            try:
                numbers[key], warnings = numbers_of(cells.get(key), spec, n, ctx.today)
            except ValidationError as exc:
                ctx.problem(row, key, exc.message)
                return None
            for w in warnings:
                ctx.problem(row, key, w, "warning")
        people = [Person(name, idn, phone, rep) for (name, rep), idn, phone in zip(
            names[:1] + others, numbers["applicant_id"] + numbers["co_applicant_ids"],
            numbers["applicant_phone"] + numbers["co_applicant_phones"], strict=True)]
        return people[0], tuple(people[1:]), count

    @staticmethod
    def _close_or_open(text: str | None, c: dict[str, Any]) -> tuple[str | None, str | None]:
        """(closing type, None) or (None, the open-case word) for a 结案方式 cell; (None, None) if neither."""
        if text is None:
            return None, None
        if (code := choose(text, c["close"])) is not None:
            return code, None
        if (word := open_word(text, c["open_words"], contained=False)) is not None:
            return None, word
        if (code := choose(text, _NO_EXACT, CLOSE_FUZZY)) is not None:
            return code, None
        return None, open_word(text, c["open_words"])

    @staticmethod
    def _status(ctx, flat: dict[str, Any], open_as: str | None = None) -> str:
        """The case's state from its columns; an open case is 受理 when a mediator or a mediation date is given."""
        close = flat.get("close_type")
        if close == "rejected":
            return CaseStatus.REJECTED.value
        if close:
            return CaseStatus.ARCHIVED.value if flat.get("archive_no") or flat.get("archived_on") else CaseStatus.CLOSED.value
        ar = flat.get("accept_result")
        labels = ctx.cache["status_labels"]
        if flat.get("accepted_on") is not None:
            return CaseStatus.MEDIATING.value if flat.get("mediators") or flat.get("session_on") else CaseStatus.ACCEPTED.value
        if ar and ar in labels:
            return labels[ar]
        if ar and ar.strip() in NOT_ACCEPTED_WORDS:
            return CaseStatus.REGISTERED.value
        if flat.get("mediators") or flat.get("session_on"):
            return CaseStatus.MEDIATING.value
        if open_as and open_as in labels and labels[open_as] != CaseStatus.CLOSED.value:
            return labels[open_as]
        return CaseStatus.REGISTERED.value

    @staticmethod
    def _note_open(ctx, row, close_raw: str | None, open_as: str | None, flat: dict[str, Any]) -> None:
        """Tell in the preview how an open case is imported (the word read, the state inferred)."""
        status = CaseStatus(flat["status"]).label
        why = ""
        if flat.get("accepted_on") is None and flat["status"] == CaseStatus.MEDIATING.value:
            if flat.get("mediators"):
                why = "，有调解员，视为已受理"
            elif flat.get("session_on"):
                why = "，有调解日期，视为已受理"
        if open_as is not None:
            ctx.problem(row, "close_type", f"结案方式“{close_raw}”表示尚未结案：按未结案件导入（{status}{why}）", "warning")
        elif why:
            ctx.problem(row, "mediators" if flat.get("mediators") else "session_on",
                        f"结案方式为空：按未结案件导入（{status}{why}）", "warning")

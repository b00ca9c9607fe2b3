"""典型案例 (附件3): the narrative sections kept per case and the draft written from the case record.

The sections are kept as ReportText rows (kind 'typical-case', scope = the case's uuid, period '');
:func:`draft_typical_case` writes the case elements and the paragraphs of each section from the record —
the saved text first — with the parties anonymised (张某 / 某公司) unless ``real_names``. Pure text and data
(no docx): the ``typical-case`` export renders it, the 典型案例 editor shows its paragraphs as drafts
(:func:`load_typical_case`). Imports only app.core, db and the low services (formatting, report_texts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import ActionRefused
from app.services.formatting import format_amount, format_date_cn
from app.services.report_texts import load_report_texts, save_report_texts
from db.enums import CloseType, PerfStatus, ReviewKind, SessionMode
from db.lookups import DISPUTE_TYPE, lookup_labels
from db.models import Case, CaseMediator, Mediator, Organization

TYPICAL_CASE_KIND = "typical-case"
TYPICAL_CASE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("facts", "基本案情"),
    ("process", "调解过程"),
    ("result", "调解结果"),
    ("significance", "典型意义"),
)
_DRAFT_FILLERS = ("（无记录）", "（请结合本案")


COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
    "令狐", "端木", "独孤", "南宫", "西门", "澹台", "轩辕", "呼延", "万俟", "闻人", "申屠", "太史", "赫连",
)
_EMPLOYER_SUFFIXES = (
    ("股份有限公司", "公司"), ("有限责任公司", "公司"), ("有限公司", "公司"), ("公司", "公司"), ("集团", "集团"),
    ("厂", "厂"), ("商店", "商店"), ("店", "店"), ("酒店", "酒店"), ("饭店", "饭店"), ("餐厅", "餐厅"),
    ("超市", "超市"), ("医院", "医院"), ("学校", "学校"), ("幼儿园", "幼儿园"), ("合作社", "合作社"),
    ("事务所", "事务所"), ("中心", "中心"), ("协会", "协会"), ("工作室", "工作室"),
)
_SERIAL = "甲乙丙丁戊己庚辛壬癸"
_MUNICIPALITY_PREFIX = re.compile(r"^(?:北京|天津|上海|重庆)市?")
_REGION_PREFIX = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,3}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,3}?市)?(?:[\u4e00-\u9fff]{1,4}?(?:区|县|新区))?"
)
_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|(?<!\d)\d{15}(?!\d)")
_PHONE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
_CREDIT_RE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NP-RT-UW-Y]{2}\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}(?![0-9A-Z])")


def person_alias(name: str) -> str:
    """张三丰 → 张某; 欧阳娜娜 → 欧阳某."""
    name = (name or "").strip()
    if not name:
        return "某某"
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname + "某"


def employer_alias(name: str) -> str:
    """天津宏达建筑工程有限公司 → 某公司; 和平区老王饭店 → 某饭店; otherwise 某单位."""
    name = (name or "").strip()
    for suffix, kind in _EMPLOYER_SUFFIXES:
        if name.endswith(suffix):
            return "某" + kind
    return "某单位"


def _employer_variants(name: str) -> list[str]:
    """Ways a text may name an employer besides its full name: without the region prefix
    (宏达建筑工程有限公司), without the legal form (宏达建筑工程), and the short 宏达公司."""
    core = _REGION_PREFIX.sub("", _MUNICIPALITY_PREFIX.sub("", name))
    out = []
    if core != name and len(core) >= 4:
        out.append(core)
    for suffix, kind in _EMPLOYER_SUFFIXES:
        if core.endswith(suffix) and len(core) - len(suffix) >= 2:
            stem = core[: -len(suffix)]
            if len(stem) >= 4:
                out.append(stem)
            if kind == "公司":
                out.append(stem + "公司")
                out.append(stem[:2] + "公司")
            break
    return [v for v in dict.fromkeys(out) if v != name]


class Anonymiser:
    """Maps every real name of a case (parties, legal representatives, agents, mediators, employers) to an
    alias and replaces them, and ID numbers, phones and credit codes, in free text."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self._used: dict[str, int] = {}
        self._variants: list[tuple[str, str]] = []

    def _unique(self, alias: str) -> str:
        n = self._used.get(alias, 0)
        self._used[alias] = n + 1
        if n == 0:
            return alias
        if alias.endswith("某"):  # 张某, 张某某, 张某甲 …
            return alias + ("某" if n == 1 else _SERIAL[(n - 2) % len(_SERIAL)])
        return alias[:1] + _SERIAL[n % len(_SERIAL)] + alias[1:]  # 某公司 → 某乙公司

    def person(self, name: str | None) -> str:
        name = (name or "").strip()
        if not name:
            return ""
        if name not in self.aliases:
            self.aliases[name] = self._unique(person_alias(name))
            self._variants.append((name, self.aliases[name]))
        return self.aliases[name]

    def employer(self, name: str | None) -> str:
        name = (name or "").strip()
        if not name:
            return ""
        if name not in self.aliases:
            alias = self._unique(employer_alias(name))
            self.aliases[name] = alias
            self._variants.append((name, alias))
            for variant in _employer_variants(name):
                self._variants.append((variant, alias))
        return self.aliases[name]

    def text(self, value: str | None) -> str:
        text = value or ""
        for real, alias in sorted(self._variants, key=lambda v: -len(v[0])):
            text = text.replace(real, alias)
        text = _ID_RE.sub("××××××××××××××××××", text)
        text = _PHONE_RE.sub("×××××××××××", text)
        return _CREDIT_RE.sub("××××××××××××××××××", text)


class _Plain:
    """Same interface as :class:`Anonymiser`, keeping the real names."""

    def person(self, name: str | None) -> str:
        return (name or "").strip()

    employer = person

    def text(self, value: str | None) -> str:
        return value or ""



def _paras(text: str | None) -> list[str]:
    """A clerk's text as paragraphs: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def draft_typical_case(session: Session, case_id: int, *, real_names: bool = False) -> dict[str, Any]:
    """The 典型案例 of a closed case: ``title``, elements ``e``, ``sections`` (paragraphs per section: the
    saved text, else drafted from the record), ``note`` and ``case_no``. :class:`ActionRefused` when the case
    is missing or not closed."""
    case = session.get(Case, case_id)
    if case is None:
        raise ActionRefused(f"找不到编号为 {case_id} 的案件")
    if not case.close_type:
        raise ActionRefused(f"案件 {case.case_no or case.id} 尚未结案，不能作为典型案例导出")
    org = session.get(Organization, case.organization_id)
    anon: Anonymiser | _Plain = _Plain() if real_names else Anonymiser()
    applicants = [p for p in case.parties if p.role == "applicant"]
    respondents = [p for p in case.parties if p.role == "respondent"]
    for p in case.parties:  # register every name before any text is rewritten
        (anon.employer if p.party_kind == "employer" else anon.person)(p.name)
        for extra in (p.legal_rep, p.agent_name):
            anon.person(extra)
        if p.enterprise is not None:
            anon.employer(p.enterprise.name)
    mediator_names = list(
        session.scalars(
            select(Mediator.name)
            .join(CaseMediator, CaseMediator.mediator_id == Mediator.id)
            .where(CaseMediator.case_id == case.id)
            .order_by(CaseMediator.lead.desc())
        )
    )
    for name in mediator_names:
        anon.person(name)

    def side(parties) -> str:
        if not parties:
            return ""
        first = parties[0]
        name = (anon.employer if first.party_kind == "employer" else anon.person)(first.name)
        return name

    types = lookup_labels(session, DISPUTE_TYPE)
    main_type = types.get(case.dispute_type_main, case.dispute_type_main)
    others = [types.get(t, t) for t in (case.dispute_types or []) if t != case.dispute_type_main]
    worker_side = side(applicants)
    if case.workers > 1:
        worker_side += f"等{case.workers}名职工"
    employer_side = side(respondents)
    title = f"{employer_side}与{worker_side}{main_type}争议调解案" if employer_side else f"{worker_side}{main_type}争议调解案"
    agreement = case.agreement
    days = (case.closed_on - (case.accepted_on or case.received_on)).days if case.closed_on else None
    review = "否"
    if agreement is not None and agreement.review_kind:
        label = ReviewKind(agreement.review_kind).label if agreement.review_kind in ReviewKind.labels() else agreement.review_kind
        review = f"是（{label}" + (f"，{agreement.review_result}" if agreement.review_result else "") + "）"
    elements = {
        "types": "、".join([main_type, *others]),
        "org": org.name if org else "",
        "accepted": format_date_cn(case.accepted_on or case.received_on),
        "closed": format_date_cn(case.closed_on),
        "days": f"{days} 天" if days is not None else "",
        "workers": f"{case.workers} 人",
        "claim": format_amount(case.claim_amount_fen, unit=True),
        "agreed": format_amount(agreement.amount_fen if agreement else case.agreed_amount_fen, unit=True) or "—",
        "close_type": CloseType(case.close_type).label if case.close_type in CloseType.labels() else case.close_type,
        "review": review,
    }
    facts = _paras(anon.text(case.facts))
    if case.claims_summary:
        facts.append("申请人请求：" + anon.text(case.claims_summary).replace("\n", "；"))
    process = []
    modes = SessionMode.labels()
    for s in case.sessions:
        when = format_date_cn(s.started_at.date()) if s.started_at else ""
        mode = modes.get(s.mode, s.mode)
        process.append(f"{when}，调解员以{mode}方式组织调解。" + anon.text(s.record))
    if not process and mediator_names:
        process.append(f"本案由调解员{anon.person(mediator_names[0])}主持调解。")
    reason = anon.text(case.close_reason).strip() if case.close_reason else ""
    if reason and not reason.endswith(("。", "！", "；")):
        reason += "。"
    result = [f"本案以“{elements['close_type']}”方式结案。" + reason]
    if agreement is not None and agreement.terms:
        result.append("双方达成的调解协议主要内容如下：")
        result += _paras(anon.text(agreement.terms))
    if case.perf_status:
        result.append(f"履行情况：{PerfStatus(case.perf_status).label if case.perf_status in PerfStatus.labels() else case.perf_status}。")
    for v in case.return_visits:
        if v.feedback:
            result.append(f"{format_date_cn(v.visited_on)}回访：{anon.text(v.feedback)}。".replace("。。", "。"))
    hand = load_report_texts(session, TYPICAL_CASE_KIND, case.uuid, "")
    sections = {
        "facts": _paras(anon.text(hand.get("facts"))) or facts,
        "process": _paras(anon.text(hand.get("process"))) or process,
        "result": _paras(anon.text(hand.get("result"))) or result,
        "significance": _paras(anon.text(hand.get("significance")))
        or ["（请结合本案的难点、调解方法和法律依据，填写本案的典型意义。）"],
    }
    for key in sections:
        sections[key] = sections[key] or ["（无记录）"]
    note = "说明：当事人姓名、单位名称已作匿名处理。" if not real_names else "说明：本稿保留了当事人真实姓名，对外报送前请作匿名处理。"
    return {"title": title, "e": elements, "sections": sections, "note": note, "case_no": case.case_no or ""}



@dataclass(frozen=True)
class TypicalCaseTexts:
    """What the 典型案例 editor shows: the saved text per section, and a draft from the case record for
    sections with nothing saved (real names; the export anonymises both)."""

    case_id: int
    case_no: str
    closed: bool
    saved: dict[str, str]
    drafts: dict[str, str]

    def text(self, section: str) -> str:
        """The saved text of ``section``, else its draft."""
        return self.saved.get(section) or self.drafts.get(section, "")

    def is_draft(self, section: str) -> bool:
        return not self.saved.get(section) and bool(self.drafts.get(section))


def load_typical_case(session: Session, case_id: int) -> TypicalCaseTexts:
    """The saved sections of the case's 典型案例, with drafts generated from the record for the others."""
    c = session.get(Case, case_id)
    if c is None or c.deleted_at is not None:
        raise ActionRefused(f"找不到编号为 {case_id} 的案件")
    saved = {k: v for k, v in load_report_texts(session, TYPICAL_CASE_KIND, c.uuid, "").items() if v.strip()}
    drafts: dict[str, str] = {}
    if c.close_type:  # the same paragraphs the export writes when nothing is saved
        sections = draft_typical_case(session, c.id, real_names=True)["sections"]
        for key, _label in TYPICAL_CASE_SECTIONS:
            if key not in saved:
                paras = [p for p in sections.get(key, []) if not p.startswith(_DRAFT_FILLERS)]
                drafts[key] = "\n".join(paras)
    elif "facts" not in saved:
        facts = (c.facts or "").strip()
        if c.claims_summary:
            facts += ("\n" if facts else "") + "申请人请求：" + c.claims_summary.strip().replace("\n", "；")
        drafts["facts"] = facts
    return TypicalCaseTexts(c.id, c.case_no or "", bool(c.close_type), saved, {k: v for k, v in drafts.items() if v})


def save_typical_case(session_factory: sessionmaker[Session], case_id: int, texts: Mapping[str, str]) -> None:
    """Save the sections of the case's 典型案例 (one transaction); an empty section is generated again from
    the record when exporting."""
    unknown = set(texts) - {k for k, _ in TYPICAL_CASE_SECTIONS}
    if unknown:
        raise ValueError(f"未知的典型案例章节：{'、'.join(sorted(unknown))}")
    with session_factory() as s:
        c = s.get(Case, case_id)
        if c is None or c.deleted_at is not None:
            raise ActionRefused(f"找不到编号为 {case_id} 的案件")
        scope = c.uuid
    save_report_texts(session_factory, TYPICAL_CASE_KIND, scope, "", texts)


"""Registering a case (登记, which takes the case number) and editing its registration (修改登记信息)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.auth import CASES_WRITE, require
from app.services.cases.base import CaseServiceBase
from app.services.cases.cleaning import _CASE_FIELDS, _clean_draft, _party_label
from app.services.cases.derived import _claim_line, _party_line, _party_summary
from app.services.cases.fields import _invalid
from app.services.cases.inputs import CaseDraft, ClaimInput, PartyInput
from app.services.cases.numbering import next_case_number
from app.services.cases.views import ActionResult
from app.services.deadlines import acceptance_due
from app.services.validation import check_date_order, employer_type_from_credit_code
from db.base import new_uuid
from db.enums import CaseStatus, PartyKind
from db.lookups import CASE_SOURCE, DISPUTE_TYPE
from db.models import Case, CaseClaim, CaseParty, Enterprise, LookupItem, Organization
from db.versioning import expect_version


class RegistrationActions(CaseServiceBase):
    """登记 and 修改登记信息, with the checks that need the database (lookup codes, the enterprise
    directory)."""

    # -- registration ---------------------------------------------------------------------------

    def register_case(self, draft: CaseDraft) -> ActionResult:
        """登记: validate the draft, take the next case number, write the case, its parties and claims."""
        if draft.organization_id is None:  # never a silent default: the number belongs to the organization
            raise _invalid("调解组织", "请选择（案号按调解组织编排）")
        today = self.today()
        clean = _clean_draft(draft, today)
        with self._sf.begin() as s:
            org = s.get(Organization, draft.organization_id)
            if org is None:
                raise _invalid("调解组织", f"找不到编号为 {draft.organization_id} 的调解组织")
            require(s, CASES_WRITE, org.id)  # 办案人: only in the own organization (issue 16)
            self._check_codes(s, clean.values, clean.claims)
            for p, _v in clean.parties:
                if p.id is not None:
                    raise _invalid("当事人", "新登记的案件不能引用已有的当事人记录")
            self._resolve_enterprises(s, clean.parties)
            year = clean.values["received_on"].year
            case_no, seq = next_case_number(s, org, year)
            case = Case(
                uuid=new_uuid(),
                organization_id=org.id,
                case_no=case_no,
                case_year=year,
                case_seq=seq,
                status=CaseStatus.REGISTERED.value,
                **clean.values,
            )
            for order, (_p, v) in enumerate(clean.parties):
                case.parties.append(CaseParty(sort_order=order, **v))
            for _c, v in clean.claims:
                case.claims.append(CaseClaim(**v))
            s.add(case)
            self._refresh(s, case)
            s.flush()
            after = self._snap(case, ("case_no", "status", *_CASE_FIELDS))
            after["parties"] = [p.name for p in case.parties]
            self._audit(s, case, "register", f"登记案件{case_no}（{_party_summary(case)}）", None, after)
            due = acceptance_due(case.received_on, self.calendar)
            warnings = list(clean.warnings)
            if due.warning:
                warnings.append(due.warning)
            return self._result(case, warnings)

    def update_registration(self, case_id: int, draft: CaseDraft) -> ActionResult:
        """修改登记信息 (registered, accepted or mediating, not locked).  The case number never changes."""
        today = self.today()
        clean = _clean_draft(draft, today)
        with self._sf.begin() as s:
            case = self._load(s, case_id, "edit")
            expect_version(case, draft.version)  # changed since the form was read: RecordConflict
            if draft.organization_id != case.organization_id:
                raise _invalid("调解组织", "修改登记信息不改调解组织；请用“更改调解组织”（登记后、受理前换新案号，受理后须写明理由）")
            check_date_order(clean.values["received_on"], case.accepted_on, "收到申请日期", "受理日期")
            first_session = min((x.started_at.date() for x in case.sessions), default=None)
            check_date_order(clean.values["received_on"], first_session, "收到申请日期", "调解日期")
            self._check_codes(s, clean.values, clean.claims)
            own_parties = {p.id: p for p in case.parties}
            own_claims = {c.id: c for c in case.claims}
            for i, (p, _v) in enumerate(clean.parties):
                if p.id is not None and p.id not in own_parties:
                    raise _invalid(f"{_party_label(p, i)}", "不是本案的当事人记录", ("parties", i, "id"))
            for i, (c, _v) in enumerate(clean.claims):
                if c.id is not None and c.id not in own_claims:
                    raise _invalid(f"第{i + 1}项请求", "不是本案的请求记录", ("claims", i, "id"))
            self._resolve_enterprises(s, clean.parties)

            before = self._snap(case, _CASE_FIELDS)
            before["parties"] = [_party_line(p) for p in case.parties]
            before["claims"] = [_claim_line(c) for c in sorted(case.claims, key=lambda c: c.sort_order)]
            for k, v in clean.values.items():
                setattr(case, k, v)
            keep = {p.id for p, _v in clean.parties if p.id is not None}
            for pid, row in own_parties.items():
                if pid not in keep:
                    case.parties.remove(row)
            for order, (p, v) in enumerate(clean.parties):
                if p.id is not None:
                    row = own_parties[p.id]
                    for k, val in v.items():
                        setattr(row, k, val)
                    row.sort_order = order
                else:
                    case.parties.append(CaseParty(sort_order=order, **v))
            keep = {c.id for c, _v in clean.claims if c.id is not None}
            for cid, row in own_claims.items():
                if cid not in keep:
                    case.claims.remove(row)
            for c, v in clean.claims:
                if c.id is not None:
                    for k, val in v.items():
                        setattr(own_claims[c.id], k, val)
                else:
                    case.claims.append(CaseClaim(**v))
            s.flush()
            case.parties.sort(key=lambda p: p.sort_order)
            self._refresh(s, case)
            after = self._snap(case, _CASE_FIELDS)
            after["parties"] = [_party_line(p) for p in case.parties]
            after["claims"] = [_claim_line(c) for c in sorted(case.claims, key=lambda c: c.sort_order)]
            self._audit(s, case, "edit", f"修改案件{case.case_no}的登记信息", before, after)
            warnings = list(clean.warnings)
            if case.case_year and clean.values["received_on"].year != case.case_year:
                warnings.append(f"收到申请日期的年份与案号年份（{case.case_year}年）不一致，案号不会改变")
            return self._result(case, warnings)

    # -- checks against the database -----------------------------------------------------------

    def _check_codes(self, s: Session, values: dict[str, Any], claims: list[tuple[ClaimInput, dict]]) -> None:
        codes = {
            cat: set(s.scalars(select(LookupItem.code).where(LookupItem.category == cat)))
            for cat in (CASE_SOURCE, DISPUTE_TYPE)
        }
        if values["source"] not in codes[CASE_SOURCE]:
            raise _invalid("案件来源", f"“{values['source']}”不在案件来源列表中")
        if values["dispute_type_main"] not in codes[DISPUTE_TYPE]:
            raise _invalid("争议类型", f"“{values['dispute_type_main']}”不在争议类型列表中")
        for t in values["dispute_types"] or []:
            if t not in codes[DISPUTE_TYPE]:
                raise _invalid("涉及争议类型", f"“{t}”不在争议类型列表中")
        labels = dict(
            s.execute(
                select(LookupItem.code, LookupItem.label).where(LookupItem.category == DISPUTE_TYPE)
            ).all()
        )
        for i, (_c, v) in enumerate(claims):
            if v["claim_type"] not in codes[DISPUTE_TYPE]:
                raise _invalid(
                    f"第{i + 1}项请求的类型",
                    f"“{v['claim_type']}”不在争议类型列表中",
                    ("claims", i, "claim_type"),
                )
            if not v["description"]:
                v["description"] = labels.get(v["claim_type"], v["claim_type"])

    def _resolve_enterprises(self, s: Session, parties: list[tuple[PartyInput, dict[str, Any]]]) -> None:
        """Check referenced enterprises exist; find or create the others (only for employer parties)."""
        # first pass: only reads, so a refused draft creates nothing
        for i, (p, v) in enumerate(parties):
            if v["party_kind"] != PartyKind.EMPLOYER or not p.enterprise_id:
                continue
            ent = s.get(Enterprise, p.enterprise_id)
            who = _party_label(p, i)
            if ent is None:
                raise _invalid(
                    f"{who}的用人单位",
                    f"企业名录中找不到编号为 {p.enterprise_id} 的单位",
                    ("parties", i, "enterprise_id"),
                )
            if v["credit_code"] and ent.credit_code and v["credit_code"] != ent.credit_code:
                raise _invalid(
                    f"{who}的统一社会信用代码",
                    f"与企业名录中“{ent.name}”的代码 {ent.credit_code} 不一致",
                    ("parties", i, "credit_code"),
                )
            if v["credit_code"] and not ent.credit_code:
                other = s.scalar(select(Enterprise).where(Enterprise.credit_code == v["credit_code"]))
                if other is not None and other.id != ent.id:
                    raise _invalid(
                        f"{who}的统一社会信用代码",
                        f"已属于企业名录中的“{other.name}”",
                        ("parties", i, "credit_code"),
                    )
        for p, v in parties:
            if v["party_kind"] != PartyKind.EMPLOYER:
                continue
            ent = None
            if p.enterprise_id:
                ent = s.get(Enterprise, p.enterprise_id)
                if v["credit_code"] and not ent.credit_code:
                    ent.credit_code = v["credit_code"]
            elif v["credit_code"]:
                ent = s.scalar(select(Enterprise).where(Enterprise.credit_code == v["credit_code"]))
            elif p.add_to_directory:
                same = s.scalars(
                    select(Enterprise)
                    .where(Enterprise.name == v["name"], Enterprise.credit_code.is_(None))
                    .limit(2)
                ).all()
                ent = same[0] if len(same) == 1 else None
            if ent is None and p.add_to_directory:
                ent = Enterprise(
                    name=v["name"],
                    credit_code=v["credit_code"],
                    legal_rep=v["legal_rep"],
                    address=v["address"],
                    contact_phone=v["phone"],
                    employer_type=employer_type_from_credit_code(v["credit_code"])
                    if v["credit_code"]
                    else None,
                )
                s.add(ent)
                s.flush()
            if ent is not None:
                v["enterprise_id"] = ent.id
                if not v["name"]:
                    v["name"] = ent.name
                if not v["credit_code"]:
                    v["credit_code"] = ent.credit_code
                if not v["legal_rep"]:
                    v["legal_rep"] = ent.legal_rep

"""Matching the case rows to cases already in the database (记录标识, case number, ID number and date) and diffing them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from app.services.importing.parsing import Masked, display
from app.services.importing.records import Change
from app.services.importing.targets.cases.applicants import Person, compare
from app.services.importing.targets.cases.fields import FORMATS, LABELS, diffs_needed
from app.services.importing.targets.helpers import chunks
from app.services.validation import normalize_text
from db.enums import CaseStatus, PartyRole
from db.models import (
    Agreement,
    Case,
    CaseMediator,
    CaseParty,
    Enterprise,
    Mediator,
    Organization,
    PerformanceRecord,
    ReturnVisit,
)

#: how a repeated row was recognised, for 「…与第N行重复」
FILE_KEY_LABELS = {"uuid": "记录标识", "case_no": "案号", "id_date": "申请人身份证号和收到申请日期",
                   "names": "申请人、被申请人和收到申请日期"}


_KEPT = ("case_no", "received_on", "applicant_name")
_NOTHING: dict[str, Any] = {}  # what a released row holds instead of its cells (never written to)
_NO_CHANGES: list = []  # likewise, for its changes when there are none


def flat_digest(flat: dict[str, Any]) -> int:
    """A row's checked values in one number: two rows of a case, far apart in a file, are compared by it."""
    return hash(tuple(sorted((k, repr(v)) for k, v in flat.items() if k not in ("status", "session_on"))))


class CaseMatching:
    """Part of :class:`~app.services.importing.targets.cases.target.CaseTarget`: resolve."""

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

        # a case's identity in this file (the hash of a key of _file_keys: two keys sharing one of 2**64 values is
        # not to be expected in any file) → its first row; kept across the batches of one import
        seen: dict[int, Any] = ctx.cache.setdefault("file_rows", {})
        matched: dict[int, list] = {}
        for r in live:
            flat = r.scratch["flat"]
            ref = r.scratch["org"]
            u = r.values.get("uuid")
            no = flat.get("case_no")
            if self._repeats_earlier_row(ctx, r, seen):
                continue
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
            made = ctx.cache.get("created_mediators", ())  # created by an earlier batch of this import
            missing = [n for n, _l in names if n not in known or (ref.id, n) in made]
            if missing:
                ctx.problem(r, "mediators", f"调解员“{'、'.join(missing)}”不在{ref.name}的调解员名册中，导入时将新建（兼职）", "warning")

    def release(self, ctx, rows) -> None:
        """Rows of a finished batch keep only what a later repeat of their case is compared with (a tuple: the
        digest of the values, 记录标识, case number, received date, applicant) and what the result shows."""
        for r in rows:
            flat = r.scratch.get("flat")
            u = r.values.get("uuid")
            r.cells = r.values = _NOTHING
            if not r.changes:
                r.changes = _NO_CHANGES
            if flat is None:
                r.scratch = _NOTHING
                continue
            r.scratch = {"kept": (flat_digest(flat), u, *(flat.get(k) for k in _KEPT))}

    @staticmethod
    def _file_keys(r) -> list[tuple[str, tuple]]:
        """What identifies the row's case within the file: 记录标识, 案号 in the organization, ID number and
        date, the two parties' names and date."""
        flat = r.scratch["flat"]
        org = r.scratch["org"].name
        keys: list[tuple[str, tuple]] = []
        if u := r.values.get("uuid"):
            keys.append(("uuid", (u,)))
        if no := flat.get("case_no"):
            keys.append(("case_no", (org, no)))
        idn = flat.get("applicant_id")
        if isinstance(idn, str) and not isinstance(idn, Masked):
            keys.append(("id_date", (org, idn, flat["received_on"])))
        keys.append(("names", (org, normalize_text(flat["applicant_name"]).replace(" ", ""),
                               normalize_text(flat["respondent_name"]).replace(" ", ""), flat["received_on"])))
        return keys

    def _repeats_earlier_row(self, ctx, r, seen: dict[int, Any]) -> bool:
        """A row repeating an earlier row's case: imported once (action ``dup``), or an error when the two rows
        share a case number but not the case. Otherwise the row's keys are remembered; returns whether handled."""
        keys = self._file_keys(r)
        flat = r.scratch["flat"]
        for kind, key in keys:
            first = seen.get(hash((kind, *key)))  # a number a key: a big file's rows are remembered in little memory
            if first is None:
                continue
            kept = first.scratch.get("kept")  # a row of an earlier batch (``release``)
            if kept is not None:
                f_flat = dict(zip(_KEPT, kept[2:], strict=True))
                u1 = kept[1]
            else:
                f_flat = first.scratch["flat"]
                u1 = first.values.get("uuid")
            u2 = r.values.get("uuid")
            no1, no2 = f_flat.get("case_no"), flat.get("case_no")
            if kind != "uuid" and u1 and u2 and u1 != u2:
                continue  # two records of this program: two cases, however alike
            if kind == "case_no" and (f_flat["received_on"] != flat["received_on"] or normalize_text(
                    f_flat["applicant_name"]).replace(" ", "") != normalize_text(flat["applicant_name"]).replace(" ", "")):
                ctx.problem(r, "case_no", f"案号与第{first.row}行相同，但申请人或收到申请日期不同（同一调解组织的案号不能重复）")
                return True
            if kind in ("id_date", "names") and no1 and no2 and no1 != no2:
                continue  # the same people on the same day, under two case numbers
            what = FILE_KEY_LABELS[kind]
            if kept is not None:  # a row of an earlier batch keeps only a digest of its values
                same = kept[0] == flat_digest(flat)
                extra = "" if same else f"；两行内容不同，按第{first.row}行导入"
            else:
                differ = [LABELS.get(k, k) for k, v in flat.items()
                          if k not in ("status", "session_on") and diffs_needed(k, f_flat.get(k), v)]
                extra = f"；两行内容不同（{'、'.join(differ[:6])}），按第{first.row}行导入" if differ else ""
            ctx.problem(r, None if kind == "names" else kind if kind != "id_date" else "applicant_id",
                        f"{what}与第{first.row}行重复（同一案件），只导入一次{extra}", "warning")
            r.action, r.match, r.scratch["first_row"] = "dup", "", first.row
            return True
        for kind, key in keys:
            seen.setdefault(hash((kind, *key)), r)
        return False

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
            "co_applicants": tuple(Person(p.name, p.id_number, p.phone, bool(p.is_representative)) for p in apps[1:]),
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
        if "co_applicants" in flat:
            for note in compare(current["co_applicants"], flat["co_applicants"])[1]:
                ctx.problem(r, "co_applicants" if ctx.has("co_applicants") else "applicant_name", note, "warning")
        diffs = []
        for key, value in flat.items():
            if key in ("status", "session_on"):  # the state follows from the other columns; sessions are not compared
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

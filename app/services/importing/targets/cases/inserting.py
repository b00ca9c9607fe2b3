"""Writing the case rows: updates through the ORM, new cases in bulk (Core executemany) with their parties and records."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace as NS
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.services.importing.parsing import Masked
from app.services.importing.targets.cases.applicants import Person, full
from app.services.importing.targets.cases.fields import AUTO_MEDIATOR_NOTE, PARTY_KEYS, _number_parts
from app.services.importing.targets.common import EnterpriseDirectory
from app.services.importing.targets.helpers import chunks
from app.services.validation import check_id_number
from db.enums import ApplyMode, CaseStatus, PartyKind, PartyRole
from db.models import (
    Agreement,
    Case,
    CaseClaim,
    CaseMediator,
    CaseParty,
    MediationSession,
    Mediator,
    Organization,
    PerformanceRecord,
    ReturnVisit,
)
from db.search_index import refresh_search_index
from db.sortkeys import name_key, party_search_parts, search_text

#: the record of a session made from a ledger's 调解日期
SESSION_NOTE = "导入台账时按“调解日期”登记"


class CaseInserting:
    """Part of :class:`~app.services.importing.targets.cases.target.CaseTarget`: write."""

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
        refresh_search_index(s.connection(), loaded)  # the case list's search index (db.search_index)
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
                        ctx.cache.setdefault("created_mediators", set()).add((r.scratch["org_id"], name))
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
            code = flat.get("respondent_uscc")
            code = code if isinstance(code, str) and not isinstance(code, Masked) else None
            # the two party rows written below, as the one search-text rule (db.sortkeys) reads them
            others = flat.get("co_applicants") or ()
            parties_now = (NS(name=flat["applicant_name"], id_number=idn, credit_code=None, enterprise=None),
                           *(NS(name=p.name, id_number=full(p.id_number), credit_code=None, enterprise=None)
                             for p in others),
                           NS(name=flat["respondent_name"], id_number=None, credit_code=code, enterprise=e))
            values["search_text"] = search_text(case_no, party_search_parts(parties_now))
            values["applicant_key"] = name_key(flat["applicant_name"])
            values["respondent_key"] = name_key(flat["respondent_name"])
            case_rows.append(values)
        ids: dict[str, int] = {}
        for part in chunks(case_rows, 1000):
            s.execute(insert(Case).execution_options(render_nulls=True), part)  # one executemany a chunk
        for part in chunks([c["uuid"] for c in case_rows]):
            ids.update(dict(s.execute(select(Case.uuid, Case.id).where(Case.uuid.in_(part))).all()))
        # 3. what hangs off each case
        parties, claims, agreements, perfs, visits, links, sessions = [], [], [], [], [], [], []
        for n, r in enumerate(rows, 1):
            flat = r.scratch["flat"]
            cid = ids[r.scratch["uuid"]]
            idn = flat.get("applicant_id")
            idn = idn if isinstance(idn, str) and not isinstance(idn, Masked) else None
            phone = flat.get("applicant_phone")
            phone = phone if isinstance(phone, str) and not isinstance(phone, Masked) else None
            collective = bool(flat.get("is_collective")) and (flat.get("workers") or 1) >= 10
            party = dict.fromkeys(PARTY_KEYS)
            others = flat.get("co_applicants") or ()
            people = (Person(flat["applicant_name"], idn, phone, collective),
                      *(Person(p.name, full(p.id_number), full(p.phone), bool(p.rep)) for p in others))
            for order, p in enumerate(people):
                gender = birth = None
                if p.id_number:
                    try:
                        info = check_id_number(p.id_number, "身份证号", ctx.today)
                        gender, birth = info.gender, info.birth_date
                    except ValueError:
                        pass
                parties.append({**party, "uuid": new_uuid(), "case_id": cid, "role": PartyRole.APPLICANT.value,
                                "party_kind": PartyKind.PERSON.value, "name": p.name, "id_type": "居民身份证",
                                "id_number": p.id_number, "gender": gender, "birth_date": birth, "phone": p.phone,
                                "is_representative": p.rep, "sort_order": order})
            e = r.scratch["ent"]
            code = flat.get("respondent_uscc")
            code = code if isinstance(code, str) and not isinstance(code, Masked) else None
            parties.append({**party, "uuid": new_uuid(), "case_id": cid, "role": PartyRole.RESPONDENT.value,
                            "party_kind": PartyKind.EMPLOYER.value, "name": flat["respondent_name"], "enterprise_id": e.id,
                            "credit_code": code, "is_representative": False, "sort_order": len(people)})
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
            if flat.get("session_on"):  # the ledger's 调解日期: one session on record
                sessions.append({"uuid": new_uuid(), "case_id": cid, "mode": "onsite", "record": SESSION_NOTE,
                                 "started_at": datetime.combine(flat["session_on"], time(9, 0))})
            people = self._org_mediators(ctx, r.scratch["org_id"])
            done: set[int] = set()
            for name, lead in flat.get("mediators") or ():
                m = people[name]
                if m.id not in done:
                    links.append({"uuid": new_uuid(), "case_id": cid, "mediator_id": m.id, "lead": lead})
                    done.add(m.id)
            tick(n)
        for model, data in ((CaseParty, parties), (CaseClaim, claims), (Agreement, agreements),
                            (PerformanceRecord, perfs), (ReturnVisit, visits), (CaseMediator, links),
                            (MediationSession, sessions)):
            for part in chunks(data, 1000):
                s.execute(insert(model).execution_options(render_nulls=True), part)
        refresh_search_index(s.connection(), ids.values())  # the case list's search index (db.search_index)

    def _due_for(self, ctx, values: dict[str, Any]) -> date | None:
        if values["status"] == CaseStatus.REJECTED.value:
            return None
        from app.services.deadlines import mediation_due

        due = mediation_due(values["received_on"], values["accepted_on"], ctx.cache["basis"], values["extended_to"],
                            ctx.cache["calendar"])
        return due.due if due else None

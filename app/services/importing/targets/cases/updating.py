"""Applying a row to one case through the ORM: fields, status, parties, respondent enterprise, mediators, agreement."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.services.importing.parsing import Masked
from app.services.importing.targets.cases.applicants import Person, full, pair
from app.services.importing.targets.cases.fields import AUTO_MEDIATOR_NOTE, _number_parts
from app.services.importing.targets.common import EnterpriseDirectory
from app.services.validation import check_id_number
from db.enums import CaseStatus, PartyKind, PartyRole
from db.models import (
    Agreement,
    Case,
    CaseClaim,
    CaseMediator,
    CaseParty,
    Mediator,
    Organization,
    PerformanceRecord,
    ReturnVisit,
)
from db.sortkeys import case_keys, party_search_parts, search_text


class CaseUpdating:
    """Part of :class:`~app.services.importing.targets.cases.target.CaseTarget`: the ORM update of one case."""

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
        if (new or "co_applicants" in keys) and flat.get("co_applicants") is not None:
            self._co_applicants(ctx, case, flat["co_applicants"])
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
        case.search_text = search_text(case.case_no, party_search_parts(case.parties))
        case.applicant_key, case.respondent_key = case_keys(case.parties)

    @staticmethod
    def _co_applicants(ctx, case: Case, people: tuple[Person, ...]) -> None:
        """The applicants after the first as the file lists them: the same person (by place, name or ID number)
        updated with the file's full numbers, a new one added; one the file leaves out is kept, after them."""
        apps = sorted((p for p in case.parties if p.role == PartyRole.APPLICANT.value),
                      key=lambda p: (not p.is_representative, p.sort_order, p.id or 0))
        old = apps[1:]
        pairs = pair(old, people)
        order = (apps[0].sort_order if apps else 0) + 1
        for p, j in zip(people, pairs, strict=True):
            if j is None:
                party = CaseParty(role=PartyRole.APPLICANT.value, party_kind=PartyKind.PERSON.value, name=p.name,
                                  id_type="居民身份证", is_representative=bool(p.rep))
                case.parties.append(party)
            else:
                party = old[j]
            party.name = p.name
            if idn := full(p.id_number):
                party.id_number = idn
                try:
                    info = check_id_number(idn, "身份证号", ctx.today)
                    party.gender, party.birth_date = info.gender, info.birth_date
                except ValueError:
                    pass
            if phone := full(p.phone):
                party.phone = phone
            if p.rep is not None:
                party.is_representative = p.rep
            party.sort_order = order
            order += 1
        for j, party in enumerate(old):
            if j not in pairs:
                party.sort_order = order
                order += 1

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
                ctx.cache.setdefault("created_mediators", set()).add((org_id, name))
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

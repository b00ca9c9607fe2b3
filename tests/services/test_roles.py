"""Roles checked in the services (issue 16 item 3): a 办案人 never reads another organization's case through
get_case, the case list query or an export by case; a role without 「查看完整身份证号」 exports masked IDs;
read-only roles cannot write; logins off (no principal) change nothing."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from app.exports.registry import ExportError, ExportRequest, load_builtin_kinds, run_export
from app.services.auth import (
    ADMIN,
    CLERK,
    REVIEWER,
    VIEWER,
    PermissionDenied,
    Principal,
    set_principal,
)
from app.services.calendar import WorkCalendar
from app.services.case_list import CaseFilter, count_cases, fetch_case_ids, fetch_case_rows
from app.services.cases import CaseActionError, CaseDraft, CaseService, ClaimInput, PartyInput
from app.services.validation import id_check_char
from db.models import Case, Organization
from db.session import make_session_factory
from tests.helpers import Clock

ID_A = "11010519900307123" + id_check_char("11010519900307123")
ID_B = "12010119850512002" + id_check_char("12010119850512002")
TODAY = date(2024, 6, 30)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.load()


def _draft(org_id: int, name: str, id_number: str) -> CaseDraft:
    return CaseDraft(
        organization_id=org_id, received_on="2024-05-06", dispute_type_main="02",
        parties=[PartyInput(role="applicant", kind="person", name=name, id_number=id_number, phone="13812345678"),
                 PartyInput(role="respondent", kind="employer", name=f"{name}所在公司")],
        claims=[ClaimInput("02", "支付拖欠工资", "12,000.00")],
    )


@pytest.fixture
def world(migrated_db, cal):
    """Two organizations with one case each, written with logins off."""
    sf = migrated_db.session_factory
    with sf.begin() as s:
        a = Organization(name="甲街道调解中心", short_name="甲街", kind="21", case_no_prefix="甲")
        b = Organization(name="乙街道调解中心", short_name="乙街", kind="21", case_no_prefix="乙")
        s.add_all([a, b])
        s.flush()
        orgs = {"a": a.id, "b": b.id}
    svc = CaseService(sf, calendar=cal, clock=Clock(TODAY))
    case_a = svc.register_case(_draft(orgs["a"], "张三", ID_A)).case_id
    case_b = svc.register_case(_draft(orgs["b"], "李四", ID_B)).case_id
    return {"db": migrated_db, "orgs": orgs, "cases": {"a": case_a, "b": case_b}, "cal": cal}


def as_user(world, role: str, org: str | None = "a", user_id: int = 7):
    """A session factory on the same database acting for a user of ``role`` in organization ``org``."""
    sf = make_session_factory(world["db"].engine)
    org_id = world["orgs"][org] if org else None
    set_principal(sf, Principal.for_role(role, user_id=user_id, login=f"u{user_id}", organization_id=org_id))
    return sf


def service(world, sf) -> CaseService:
    return CaseService(sf, calendar=world["cal"], clock=Clock(TODAY))


def test_clerk_reads_only_own_organization_through_get_case(world):
    sf = as_user(world, CLERK, "a")
    svc = service(world, sf)
    assert svc.get_case(world["cases"]["a"]).case.organization_id == world["orgs"]["a"]
    with pytest.raises((CaseActionError, PermissionDenied)):
        svc.get_case(world["cases"]["b"])


def test_clerk_list_query_shows_only_own_organization(world):
    sf = as_user(world, CLERK, "a")
    with sf() as s:
        assert count_cases(s, CaseFilter(), today=TODAY, calendar=world["cal"]) == 1
        rows = fetch_case_rows(s, CaseFilter(), today=TODAY, calendar=world["cal"])
        assert [r.id for r in rows] == [world["cases"]["a"]]
        assert list(fetch_case_ids(s, CaseFilter(), today=TODAY, calendar=world["cal"])) == [world["cases"]["a"]]
        # asking for the other organization by filter finds nothing either
        other = CaseFilter(organization_id=world["orgs"]["b"])
        assert count_cases(s, other, today=TODAY, calendar=world["cal"]) == 0
        # nor does a plain ORM query or a get by id (the session-wide case scope)
        assert s.get(Case, world["cases"]["b"]) is None
        assert len(s.query(Case).all()) == 1


def test_clerk_without_organization_sees_no_case(world):
    sf = as_user(world, CLERK, None)
    with sf() as s:
        assert count_cases(s, CaseFilter(), today=TODAY, calendar=world["cal"]) == 0


def test_clerk_cannot_write_other_organization(world):
    sf = as_user(world, CLERK, "a")
    svc = service(world, sf)
    with pytest.raises((CaseActionError, PermissionDenied)):
        svc.accept(world["cases"]["b"], accepted_on="2024-05-07")
    with pytest.raises(PermissionDenied):
        svc.register_case(_draft(world["orgs"]["b"], "王五", ID_A))
    svc.accept(world["cases"]["a"], accepted_on="2024-05-07")  # the own one: fine


@pytest.mark.parametrize("role", [VIEWER, REVIEWER])
def test_read_only_roles_read_all_but_cannot_write(world, role):
    sf = as_user(world, role, None)
    svc = service(world, sf)
    assert svc.get_case(world["cases"]["b"]).case.id == world["cases"]["b"]
    with sf() as s:
        assert count_cases(s, CaseFilter(), today=TODAY, calendar=world["cal"]) == 2
    with pytest.raises(PermissionDenied):
        svc.accept(world["cases"]["a"], accepted_on="2024-05-07")


def _ledger(sf, tmp_path, name, **params):
    load_builtin_kinds()
    out = run_export("case-ledger", ExportRequest(sf, tmp_path / name, params))
    ws = openpyxl.load_workbook(out, read_only=True).worksheets[0]
    return "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None)


def test_clerk_export_by_case_refuses_other_organization(world, tmp_path):
    load_builtin_kinds()
    sf = as_user(world, CLERK, "a")
    with sf() as s:
        case_no_b = world["db"].session_factory().get(Case, world["cases"]["b"]).case_no
        assert s.get(Case, world["cases"]["b"]) is None
    with pytest.raises(ExportError):
        run_export("acceptance-form", ExportRequest(sf, tmp_path / "b.docx", {"case": case_no_b}))
    try:  # by id: not found, or (a digit being part of a case number) the own case — never 李四's
        out = run_export("acceptance-form", ExportRequest(sf, tmp_path / "b2.docx", {"case": world["cases"]["b"]}))
    except ExportError:
        pass
    else:
        assert "李四" not in _docx_text(out)
    assert run_export("acceptance-form", ExportRequest(sf, tmp_path / "a.docx", {"case": world["cases"]["a"]})).exists()
    text = _ledger(sf, tmp_path, "clerk.xlsx")
    assert "张三" in text and "李四" not in text
    text = _ledger(sf, tmp_path, "clerk-b.xlsx", org=str(world["orgs"]["b"]))
    assert "李四" not in text


def test_export_masks_ids_for_role_without_full_info(world, tmp_path):
    full = _ledger(world["db"].session_factory, tmp_path, "local.xlsx", full_info=True)
    assert ID_A in full and ID_B in full  # logins off: as before
    masked = _ledger(as_user(world, REVIEWER, None), tmp_path, "reviewer.xlsx", full_info=True)
    assert "张三" in masked and "李四" in masked
    assert ID_A not in masked and ID_B not in masked and "13812345678" not in masked
    assert ID_A[:6] in masked  # the masked form 110105********1234
    clerk = _ledger(as_user(world, CLERK, "a"), tmp_path, "clerk-full.xlsx", full_info=True)
    assert ID_A in clerk  # 办案人 may see its own cases in full


def test_viewer_cannot_export(world, tmp_path):
    with pytest.raises(PermissionDenied):
        _ledger(as_user(world, VIEWER, None), tmp_path, "viewer.xlsx")


def _docx_text(path) -> str:
    from docx import Document

    doc = Document(str(path))
    return "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)


def test_case_documents_masked_for_reviewer(world, tmp_path):
    load_builtin_kinds()
    out = run_export("acceptance-form", ExportRequest(as_user(world, REVIEWER, None), tmp_path / "r.docx",
                                                      {"case": world["cases"]["a"], "mask": False}))
    text = _docx_text(out)
    assert "张三" in text and ID_A not in text


def test_settings_need_admin(world):
    from app.services.business_rules import save_rules

    sf = as_user(world, CLERK, "a")
    with pytest.raises(PermissionDenied):
        save_rules(sf, {"return_visit_days": 20})
    save_rules(as_user(world, ADMIN, None), {"return_visit_days": 20})


def test_merging_files_sent_upward_needs_the_right(world, tmp_path):
    from app.services.auth import MERGE, ROLE_PERMISSIONS
    from app.services.importing.submissions import register_nil_report

    assert MERGE in ROLE_PERMISSIONS[REVIEWER] and MERGE not in ROLE_PERMISSIONS[CLERK]
    with pytest.raises(PermissionDenied):
        _nil(world, as_user(world, CLERK, "a"), tmp_path, register_nil_report)
    assert _nil(world, as_user(world, REVIEWER, None), tmp_path, register_nil_report).id


def _nil(world, sf, tmp_path, register):
    load_builtin_kinds()
    out = tmp_path / f"nil-{id(sf)}.xlsx"
    run_export("nil-report", ExportRequest(world["db"].session_factory, out,
                                           {"org": str(world["orgs"]["a"]), "year": 2024, "quarter": 1}))
    return register(sf, out)

"""A readable audit trail (issue 16 item 4): every write names who (the logged-in user's id), when, what (the
fields before → after) and the reason; the 操作日志 shows a case's whole history and exports to XLSX; no
service changes or deletes an audit row, and on PostgreSQL the application's role cannot."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from sqlalchemy import select, text, update

from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.services.auth import (
    ADMIN,
    CLERK,
    REVIEWER,
    AuditFilter,
    PermissionDenied,
    Principal,
    app_role_grants,
    query_audit,
    set_principal,
)
from app.services.calendar import WorkCalendar
from app.services.cases import CaseDraft, CaseService, ClaimInput, PartyInput
from app.services.validation import id_check_char
from db.models import AuditEntry, Case, Organization
from db.session import make_session_factory, open_database
from tests.helpers import Clock

ID_A = "11010519900307123" + id_check_char("11010519900307123")
TODAY = date(2024, 6, 30)


def _draft(org_id: int, name: str = "张三") -> CaseDraft:
    return CaseDraft(
        organization_id=org_id, received_on="2024-05-06", dispute_type_main="02",
        parties=[PartyInput(role="applicant", kind="person", name=name, id_number=ID_A, phone="13812345678"),
                 PartyInput(role="respondent", kind="employer", name="=1+1 公司")],
        claims=[ClaimInput("02", "支付拖欠工资", "12,000.00")],
    )


def _as(engine, role, user_id, login, org_id=None):
    sf = make_session_factory(engine)
    set_principal(sf, Principal.for_role(role, user_id=user_id, login=login, organization_id=org_id))
    return sf


def _history(db, cal):
    """A case registered, edited, accepted, deleted with a reason by the clerk 张 (user 11)."""
    with db.session_factory.begin() as s:
        org = Organization(name="甲街道调解中心", short_name="甲街", kind="21", case_no_prefix="甲")
        s.add(org)
        s.flush()
        org_id = org.id
    clerk = _as(db.engine, CLERK, 11, "zhang", org_id)
    svc = CaseService(clerk, calendar=cal, clock=Clock(TODAY))
    case_id = svc.register_case(_draft(org_id)).case_id
    view = svc.get_case(case_id)
    draft = _draft(org_id, "张三丰")
    svc.update_registration(case_id, CaseDraft(**{**draft.__dict__, "version": view.case.version}))
    svc.accept(case_id, accepted_on="2024-05-07")
    svc.delete_case(case_id, "重复登记")
    with db.session_factory() as s:
        case_no = s.get(Case, case_id).case_no
    return case_id, case_no


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar.load()


def test_case_history_names_who_what_and_why(migrated_db, cal):
    case_id, case_no = _history(migrated_db, cal)
    admin = _as(migrated_db.engine, ADMIN, 1, "admin")
    with admin() as s:
        rows = query_audit(s, AuditFilter(case=case_no), oldest_first=True)
    assert [r.action for r in rows] == ["register", "edit", "accept", "delete"]
    assert {(r.user_id, r.user_login) for r in rows} == {(11, "zhang")}
    edit = rows[1]
    change = {c.field: (c.before, c.after) for c in edit.changes}
    assert "张三丰" in str(change["parties"][1]) and "张三丰" not in str(change["parties"][0])
    assert rows[3].reason == "重复登记" and rows[3].target == case_no
    assert ID_A not in repr(rows)  # the stored values are masked
    with admin() as s:  # the same by id, by person, by action and date
        assert len(query_audit(s, AuditFilter(case=case_id))) == 4
        assert len(query_audit(s, AuditFilter(user="zhang", action="accept"))) == 1
        assert query_audit(s, AuditFilter(date_from=date(2099, 1, 1))) == []


def test_audit_log_needs_permission(migrated_db):
    clerk = _as(migrated_db.engine, CLERK, 11, "zhang", 1)
    with clerk() as s, pytest.raises(PermissionDenied):
        query_audit(s)
    with _as(migrated_db.engine, REVIEWER, 12, "li")() as s:
        query_audit(s)


def test_export_audit_log_xlsx(migrated_db, cal, tmp_path):
    _case_id, case_no = _history(migrated_db, cal)
    load_builtin_kinds()
    out = run_export("audit-log", ExportRequest(_as(migrated_db.engine, REVIEWER, 12, "li"), tmp_path / "log.xlsx",
                                                {"case": case_no}))
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "操作日志" and case_no in values[1][0]
    values = values[2:]
    assert values[0][:4] == ["时间", "操作人", "用户名", "操作"]
    assert [v[3] for v in values[1:]] == ["登记案件", "修改登记信息", "受理", "删除"]
    assert values[-1][8] == "重复登记"
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row if c.value is not None)
    with pytest.raises(PermissionDenied):
        run_export("audit-log", ExportRequest(_as(migrated_db.engine, CLERK, 11, "zhang", 1), tmp_path / "x.xlsx", {}))


def test_no_session_changes_or_deletes_an_audit_row(migrated_db):
    sf = migrated_db.session_factory
    with sf.begin() as s:
        s.add(AuditEntry(action="setting", entity="setting", summary="原样"))
    with pytest.raises(PermissionDenied), sf.begin() as s:
        s.scalars(select(AuditEntry)).first().summary = "改了"
    with pytest.raises(PermissionDenied), sf.begin() as s:
        s.delete(s.scalars(select(AuditEntry)).first())
    with sf() as s:
        assert s.scalars(select(AuditEntry.summary)).all() == ["原样"]


def test_pg_app_role_cannot_change_audit_rows(pg_cluster, pg_url, cal):
    import psycopg
    from sqlalchemy.exc import ProgrammingError

    owner = open_database(pg_url)
    try:
        _history(owner, cal)
    finally:
        owner.engine.dispose()
    database = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(host="127.0.0.1", port=pg_cluster.port, user="postgres", dbname=database,
                         autocommit=True) as con:
        if con.execute("SELECT 1 FROM pg_roles WHERE rolname = 'clerk'").fetchone() is None:
            con.execute("CREATE ROLE clerk LOGIN")
        for sql in app_role_grants("clerk", database):
            con.execute(sql)
    clerk_url = pg_url.replace("postgres@", "clerk@", 1)
    opened = open_database(clerk_url)  # the program runs as the application's role
    try:
        sf = opened.session_factory
        with sf() as s:
            org_id = s.scalar(select(Organization.id))
        CaseService(sf, calendar=cal, clock=Clock(TODAY)).register_case(_draft(org_id, "王五"))  # writes fine
        with opened.engine.connect() as con:
            assert con.execute(text("SELECT count(*) FROM audit_entries")).scalar() == 5
        with pytest.raises(ProgrammingError, match="permission denied"), opened.engine.begin() as con:
            con.execute(update(AuditEntry).values(summary="改了"))
        with pytest.raises(ProgrammingError, match="permission denied"), opened.engine.begin() as con:
            con.execute(text("DELETE FROM audit_entries"))
    finally:
        opened.engine.dispose()

"""零上报 only when it is true (issue 12 item 1).

A quarter in which the organization received or closed cases is refused (ExportError naming the count, no
file); a past quarter with nothing is written and reads back as 记录数 0; a running or future period is refused;
the command line exits 1 with one Chinese line; the volunteer and mediator kinds count their own records; every
cell of the file is text (an organization named like a formula stays text); the board does not show the running
quarter or a period before an organization was established as 未报送. The clock is fixed (``today``).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import or_, select

from app.demo import generate_demo
from app.exports.registry import ExportError, ExportRequest, load_builtin_kinds, run_export
from app.services.nil_reports import (
    STATE_NOT_DUE,
    NilReportRefused,
    check_nil_report,
    count_period_records,
    reporting_board,
)
from db.models import Case, Mediator, Organization
from db.session import open_database

DEMO_TODAY = date(2026, 11, 20)  # the demo's cases run up to this day
TODAY = date(2027, 1, 15)  # the day the reports are made: 2026 has ended
FORMULA_NAME = '=HYPERLINK("http://x.example/","x")'


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("nil") / "demo.db")
    generate_demo(db.session_factory, seed=3, cases=300, today=DEMO_TODAY)
    with db.session_factory.begin() as s:  # a township with nothing on record, named like a formula
        s.add(Organization(name=FORMULA_NAME, kind="21", region_code="120101", established_on=date(2026, 4, 1)))
    load_builtin_kinds()
    yield db
    db.engine.dispose()


def busiest(db) -> tuple[int, str, int, int, int]:
    """(org id, name, received, closed, distinct cases) of the organization with most cases in 2026Q3."""
    lo, hi = date(2026, 7, 1), date(2026, 9, 30)
    best = None
    with db.session_factory() as s:
        for org in s.scalars(select(Organization)):
            cases = s.scalars(select(Case).where(Case.organization_id == org.id, Case.deleted_at.is_(None),
                                                 or_(Case.received_on.between(lo, hi), Case.closed_on.between(lo, hi)))).all()
            received = sum(1 for c in cases if lo <= c.received_on <= hi)
            closed = sum(1 for c in cases if c.closed_on and lo <= c.closed_on <= hi)
            if best is None or len(cases) > best[4]:
                best = (org.id, org.name, received, closed, len(cases))
    assert best and best[4] > 0
    return best


def quiet_org(db) -> int:
    with db.session_factory() as s:
        return s.scalar(select(Organization.id).where(Organization.name == FORMULA_NAME))


def nil(db, out, **params):
    return run_export("nil-report", ExportRequest(db.session_factory, out, {"today": TODAY, **params}))


def test_quarter_with_cases_is_refused(demo, tmp_path):
    oid, name, received, closed, total = busiest(demo)
    out = tmp_path / "零上报.xlsx"
    with pytest.raises(ExportError) as caught:
        nil(demo, out, org=oid, year=2026, quarter=3)
    message = str(caught.value)
    assert message == (f"{name} 2026年第3季度有调解案件 {total} 件（收到申请 {received} 件、结案 {closed} 件），"
                       "不能零上报，请报送“调解案件登记台账”。")
    assert "\n" not in message
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no file, no temporary left behind


def test_empty_past_quarter_is_written_and_reads_back(demo, tmp_path):
    from openpyxl import load_workbook

    from app.exports.xlsx_engine import read_manifest

    oid = quiet_org(demo)
    out = nil(demo, tmp_path / "零上报.xlsx", org=oid, year=2026, quarter=3, filler="张三")
    wb = load_workbook(out)
    ws = wb["零上报"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "报送单位")
    record = dict(zip(rows[header], rows[header + 1], strict=True))
    assert record["报送单位"] == FORMULA_NAME
    assert record["报送期间"] == "2026年第3季度"
    assert record["记录数"] in ("0", 0) and int(record["记录数"]) == 0
    assert record["情况说明"] == "2026年第3季度本单位无调解案件数据，特此零上报。"
    assert rows[0][0] == f"{FORMULA_NAME}2026年第3季度调解案件零上报"
    assert "2027年1月15日" in rows[1][0] and "张三" in rows[1][0]
    # every cell written from data is a text cell, never a formula — on every sheet, the manifest included
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value, cell.data_type)
    m = read_manifest(out)
    assert m["kind"] == "nil-report" and m["submission_period"] == "2026Q3" and m["sender_org_name"] == FORMULA_NAME and m["report_kind"] == "case-ledger"


@pytest.mark.parametrize(("params", "label"), [
    ({"year": 2027, "quarter": 1}, "2027年第1季度"),  # running on TODAY
    ({"year": 2027, "quarter": 3}, "2027年第3季度"),  # future
    ({"year": 2027}, "2027年"),  # the running year
    ({"year": 2028}, "2028年"),  # a future year
])
def test_running_or_future_period_is_refused(demo, tmp_path, params, label):
    out = tmp_path / "零上报.xlsx"
    with pytest.raises(ExportError, match=f"^{label}尚未结束，不能零上报"):
        nil(demo, out, org=quiet_org(demo), **params)
    assert not out.exists()


def test_last_day_of_the_period_is_still_running(demo):
    with demo.session_factory() as s:
        org = s.get(Organization, quiet_org(demo))
        with pytest.raises(NilReportRefused, match="尚未结束"):
            check_nil_report(s, org, "case-ledger", "2026Q4", today=date(2026, 12, 31))
        check_nil_report(s, org, "case-ledger", "2026Q4", today=date(2027, 1, 1))  # the day after: fine


def test_volunteer_and_mediator_kinds_count_their_records(demo, tmp_path):
    oid, name, *_ = busiest(demo)
    with demo.session_factory() as s:
        roster = count_period_records(s, oid, "enterprise-roster", "2026Q3")
        mediators = s.scalars(select(Mediator).where(Mediator.organization_id == oid)).all()
    assert roster.total > 0  # the demo's volunteers keep contacts and give services all year
    with pytest.raises(ExportError, match=r"志愿者联系企业 \d+ 条.*联系企业名册（附件2）"):
        nil(demo, tmp_path / "a.xlsx", org=oid, year=2026, quarter=3, report_kind="enterprise-roster")
    # a mediator appointed in the quarter makes the roster's 零上报 untrue
    assert mediators
    with demo.session_factory.begin() as s:
        m = s.get(Mediator, mediators[0].id)
        before = m.appointed_on
        m.appointed_on = date(2026, 8, 3)
    try:
        with pytest.raises(ExportError, match=rf"{name} 2026年第3季度有调解员名册变动 \d+ 人（聘任 [1-9]\d* 人、离任 \d+ 人）"):
            nil(demo, tmp_path / "m.xlsx", org=oid, year=2026, quarter=3, report_kind="mediator-roster")
    finally:
        with demo.session_factory.begin() as s:
            s.get(Mediator, mediators[0].id).appointed_on = before
    assert not (tmp_path / "a.xlsx").exists() and not (tmp_path / "m.xlsx").exists()
    # nothing on record for the quiet organization in an old quarter: a true 零上报
    out = nil(demo, tmp_path / "q.xlsx", org=quiet_org(demo), year=2026, quarter=2, report_kind="mediator-roster")
    assert out.exists()


def test_cli_refuses_with_exit_code_1(demo, tmp_path, capsys):
    from app.main import main

    oid, name, _received, _closed, total = busiest(demo)
    out = tmp_path / "零上报.xlsx"
    code = main(["export", "nil-report", "--db", str(demo.path), "--org", str(oid), "--year", "2026", "--quarter", "3",
                 "--out", str(out), "--param", f"today={TODAY.isoformat()}"])
    err = capsys.readouterr().err
    assert code == 1
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and f"有调解案件 {total} 件" in lines[0] and name in lines[0] and "Traceback" not in err
    assert not out.exists()
    code = main(["export", "nil-report", "--db", str(demo.path), "--org", str(quiet_org(demo)), "--year", "2026",
                 "--quarter", "3", "--out", str(out), "--param", f"today={TODAY.isoformat()}"])
    assert code == 0 and out.exists()


def test_board_running_quarter_and_new_organization_are_not_missing(demo):
    with demo.session_factory() as s:
        board = reporting_board(s, "case-ledger", [f"2026Q{q}" for q in range(1, 5)], today=date(2026, 11, 20))
    row = next(r for r in board.rows if r.name == FORMULA_NAME)  # established 2026-04-01
    assert row.cells["2026Q1"].state == STATE_NOT_DUE and row.cells["2026Q1"].text == "未成立"
    assert row.cells["2026Q2"].state == "missing" and row.cells["2026Q3"].state == "missing"
    assert row.cells["2026Q4"].state == STATE_NOT_DUE and row.cells["2026Q4"].text == "未到期"
    assert all(r.cells["2026Q4"].state == STATE_NOT_DUE for r in board.rows)
    assert board.count("2026Q4", "missing") == 0

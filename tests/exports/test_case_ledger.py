"""``case-ledger``: a demo database exported and read back with openpyxl, cell by cell."""

from __future__ import annotations

import re
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select, update

from app.core.progress import ExportCancelled
from app.exports import xlsx_engine
from app.exports.case_data import iter_ledger_rows, ledger_filters
from app.exports.registry import ExportError, ExportRequest, get_kind, load_builtin_kinds, run_export
from app.exports.xlsx_engine import read_manifest
from db.models import Case, CaseParty, Organization
from tests.helpers import open_copy

TODAY = date(2026, 6, 30)
HEADER = [
    "序号",
    "案号",
    "调解组织",
    "收到申请日期",
    "案件来源",
    "申请方式",
    "申请人",
    "申请人身份证号",
    "申请人电话",
    "被申请人",
    "统一社会信用代码",
    "用人单位类型",
    "所属行业",
    "所属街道(乡镇)",
    "涉及劳动者人数",
    "是否集体争议",
    "争议类型(主)",
    "请求事项摘要",
    "请求金额(元)",
    "受理日期",
    "受理结果",
    "调解员",
    "调解截止日",
    "延期至",
    "延期原因",
    "结案日期",
    "结案方式",
    "协议金额(元)",
    "履行方式",
    "履行期限",
    "履行情况",
    "仲裁审查确认",
    "是否转仲裁",
    "仲裁案号",
    "用时(天)",
    "回访日期",
    "回访结果",
    "卷宗号",
    "归档日期",
    "备注",
]
COL = {label: i for i, label in enumerate(HEADER)}
MASKED_ID = re.compile(r"^\d{6}\*{8}\d{3}[\dX]$")
FULL_ID = re.compile(r"^\d{17}[\dX]$")
MASKED_PHONE = re.compile(r"^1\d{2}\*{4}\d{4}$")
DELETED = 7


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    opened = open_copy(demo_template(seed=1, cases=300, today=TODAY), tmp_path_factory.mktemp("ledger") / "demo.db")
    with opened.session_factory.begin() as s:  # a few deleted cases, which the ledger must leave out
        ids = s.scalars(select(Case.id).order_by(Case.id).limit(DELETED)).all()
        s.execute(update(Case).where(Case.id.in_(ids)).values(deleted_at=datetime(2026, 5, 1, 10, 0)))
    load_builtin_kinds()
    yield opened
    opened.engine.dispose()


def export(demo, out, progress=None, **params):
    return run_export("case-ledger", ExportRequest(demo.session_factory, out, params, progress=progress))


def read(path):
    """(header labels, data rows incl. the hidden uuid column, manifest, sheet); the 合计 row under the data
    (no uuid) is checked to be the last row and left out."""
    manifest = read_manifest(path)
    first, last = (int(x) for x in manifest["header_rows"].split("-"))
    start = int(manifest["data_start_row"])
    wb = openpyxl.load_workbook(path)
    ws = wb[manifest["sheet"]]
    header = [c.value for c in ws[last]]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=start)]
    rows = [r for r in rows if any(v is not None for v in r)]
    assert rows and rows[-1][0] == "合计" and rows[-1][len(HEADER)] is None
    assert all(r[len(HEADER)] is not None for r in rows[:-1])
    return header, rows[:-1], manifest, ws


def total_row(path) -> list:
    """The 合计 row's cells."""
    manifest = read_manifest(path)
    ws = openpyxl.load_workbook(path)[manifest["sheet"]]
    return [c.value for c in ws[int(manifest["data_start_row"]) + int(manifest["row_count"])]]


def live_count(demo, *where) -> int:
    with demo.session_factory() as s:
        return s.scalar(select(func.count()).select_from(Case).where(Case.deleted_at.is_(None), *where))


@pytest.fixture(scope="module")
def full_export(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("ledger-out") / "台账.xlsx"
    calls = []
    export(demo, out, progress=lambda d, t, s: calls.append((d, t, s)))
    return out, calls


def test_header_in_spec_order(full_export):
    header, rows, manifest, ws = read(full_export[0])
    assert header[: len(HEADER)] == HEADER
    assert header[len(HEADER)] == "记录标识"  # the uuid column …
    assert ws.column_dimensions["AO"].hidden  # … hidden
    assert ws.freeze_panes == f"C{manifest['data_start_row']}"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws["A1"].value) == "调解案件登记台账"


def test_one_row_per_live_case(demo, full_export):
    out, calls = full_export
    header, rows, manifest, _ = read(out)
    expected = live_count(demo)
    assert expected == 300 - DELETED
    assert len(rows) == expected
    assert int(manifest["row_count"]) == expected
    assert [r[0] for r in rows] == list(range(1, expected + 1))
    with demo.session_factory() as s:
        live = set(s.scalars(select(Case.uuid).where(Case.deleted_at.is_(None))))
        deleted = set(s.scalars(select(Case.uuid).where(Case.deleted_at.is_not(None))))
    uuids = [r[len(HEADER)] for r in rows]
    assert set(uuids) == live and not deleted & set(uuids)
    received = [r[COL["收到申请日期"]] for r in rows]
    assert received == sorted(received)
    assert calls[-1][0] == expected and calls[-1][2] == "导出完成"


def test_masked_by_default(full_export):
    header, rows, manifest, ws = read(full_export[0])
    ids = [r[COL["申请人身份证号"]] for r in rows]
    assert all(MASKED_ID.match(v) for v in ids), [v for v in ids if not MASKED_ID.match(v)][:5]
    phones = [r[COL["申请人电话"]] for r in rows]
    assert all(MASKED_PHONE.match(v) for v in phones), phones[:5]
    assert manifest["full_info"] == "0"
    start = int(manifest["data_start_row"])
    assert ws.cell(start, COL["申请人身份证号"] + 1).data_type == "s"
    assert ws.cell(start, COL["统一社会信用代码"] + 1).number_format == "@"


def test_full_info(demo, tmp_path):
    out = export(demo, tmp_path / "full.xlsx", full_info=True)
    header, rows, manifest, _ = read(out)
    assert manifest["full_info"] == "1"
    with demo.session_factory() as s:
        first_applicant = {}
        for uuid, name, id_number, phone, rep, order, pid in s.execute(
            select(
                Case.uuid,
                CaseParty.name,
                CaseParty.id_number,
                CaseParty.phone,
                CaseParty.is_representative,
                CaseParty.sort_order,
                CaseParty.id,
            )
            .join(CaseParty, CaseParty.case_id == Case.id)
            .where(CaseParty.role == "applicant")
        ):
            key = (not rep, order, pid)
            if uuid not in first_applicant or key < first_applicant[uuid][0]:
                first_applicant[uuid] = (key, name, id_number, phone)
    for row in rows:
        _, name, id_number, phone = first_applicant[row[len(HEADER)]]
        assert FULL_ID.match(row[COL["申请人身份证号"]])
        assert row[COL["申请人身份证号"]] == id_number and row[COL["申请人电话"]] == phone
        assert row[COL["申请人"]].startswith(name)
    # the CLI passes --param full_info=是 as text
    _, rows2, manifest2, _ = read(export(demo, tmp_path / "full2.xlsx", full_info="是"))
    assert manifest2["full_info"] == "1" and rows2[0][COL["申请人身份证号"]] == rows[0][COL["申请人身份证号"]]


def test_values_match_the_database(demo, full_export):
    header, rows, _, _ = read(full_export[0])
    by_uuid = {r[len(HEADER)]: r for r in rows}
    with demo.session_factory() as s:
        cases = s.scalars(select(Case).where(Case.deleted_at.is_(None))).all()
        checked_collective = checked_agreed = checked_rejected = 0
        for c in cases:
            row = by_uuid[c.uuid]
            assert row[COL["案号"]] == c.case_no
            assert row[COL["收到申请日期"]] == datetime.combine(c.received_on, datetime.min.time())
            assert row[COL["请求金额(元)"]] == pytest.approx(c.claim_amount_fen / 100)
            assert row[COL["涉及劳动者人数"]] == c.workers
            assert row[COL["是否集体争议"]] == ("是" if c.is_collective else "否")
            respondent = next(p for p in c.parties if p.role == "respondent")
            assert row[COL["被申请人"]] == respondent.name
            assert row[COL["统一社会信用代码"]] == respondent.credit_code
            lead = [cm.mediator.name for cm in c.mediators if cm.lead]
            if lead:
                assert row[COL["调解员"]].startswith(f"{lead[0]}（主办）")
                assert all(cm.mediator.name in row[COL["调解员"]] for cm in c.mediators)
            if c.is_collective:
                assert row[COL["申请人"]].endswith(f"等{c.workers}人")
                checked_collective += 1
            if c.agreement is not None:
                assert row[COL["协议金额(元)"]] == pytest.approx(c.agreement.amount_fen / 100)
                assert row[COL["结案方式"]] == "达成调解协议"
                assert isinstance(row[COL["履行期限"]], datetime)
                assert row[COL["履行方式"]] == c.agreement.perf_mode
                checked_agreed += 1
            else:
                assert row[COL["协议金额(元)"]] is None
            if c.closed_on:
                assert isinstance(row[COL["结案日期"]], datetime)
                assert row[COL["用时(天)"]] == (c.closed_on - c.received_on).days
            if c.status == "rejected":
                assert row[COL["受理结果"]] == "不予受理" and row[COL["结案方式"]] == "不予受理"
                checked_rejected += 1
            if c.accepted_on:
                assert row[COL["受理日期"]] == datetime.combine(c.accepted_on, datetime.min.time())
                assert row[COL["受理结果"]] == "受理"
            if c.return_visits:
                last = max(v.visited_on for v in c.return_visits)
                assert row[COL["回访日期"]] == datetime.combine(last, datetime.min.time())
            if c.archive_no:
                assert row[COL["卷宗号"]] == c.archive_no
        assert checked_collective and checked_agreed and checked_rejected
    # labels, not codes
    assert {r[COL["申请方式"]] for r in rows} <= {"书面", "口头", "线上平台"}
    assert all(not re.fullmatch(r"\d+", r[COL["争议类型(主)"]]) for r in rows)
    assert "当事人申请" in {r[COL["案件来源"]] for r in rows}


def test_year_and_quarter_filters(demo, tmp_path):
    year = 2025
    out = export(demo, tmp_path / "y.xlsx", year=year)
    _, rows, manifest, ws = read(out)
    expected = live_count(demo, Case.received_on >= date(year, 1, 1), Case.received_on <= date(year, 12, 31))
    assert 0 < len(rows) == expected == int(manifest["row_count"])
    assert all(r[COL["收到申请日期"]].year == year for r in rows)
    assert "2025年" in str(ws["A2"].value)
    _, q_rows, _, _ = read(export(demo, tmp_path / "q.xlsx", year=str(year), quarter="2"))
    assert len(q_rows) == live_count(
        demo, Case.received_on >= date(year, 4, 1), Case.received_on <= date(year, 6, 30)
    )
    assert all(4 <= r[COL["收到申请日期"]].month <= 6 for r in q_rows)
    _, d_rows, _, _ = read(
        export(demo, tmp_path / "d.xlsx", date_from=date(2025, 3, 1), date_to="2025-03-31")
    )
    assert len(d_rows) == live_count(
        demo, Case.received_on >= date(2025, 3, 1), Case.received_on <= date(2025, 3, 31)
    )
    with pytest.raises(ExportError, match="同时指定年度"):
        export(demo, tmp_path / "bad.xlsx", quarter=2)
    assert not (tmp_path / "bad.xlsx").exists()


def test_org_and_status_filters(demo, tmp_path):
    with demo.session_factory() as s:
        org = s.scalars(select(Organization).order_by(Organization.id)).first()
    out = export(demo, tmp_path / "org.xlsx", org=org.name, status="已结案,archived")
    _, rows, manifest, ws = read(out)
    expected = live_count(demo, Case.organization_id == org.id, Case.status.in_(["closed", "archived"]))
    assert 0 < len(rows) == expected
    assert org.name in str(ws["A1"].value)
    assert org.name in manifest["filters"]
    with pytest.raises(ExportError, match="未知的案件状态"):
        export(demo, tmp_path / "bad.xlsx", status="进行中")
    with pytest.raises(ExportError, match="找不到调解组织"):
        export(demo, tmp_path / "bad.xlsx", org="不存在的组织")


def test_cancel_leaves_no_file(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_engine, "PROGRESS_EVERY", 50)
    kind = get_kind("case-ledger")
    out = tmp_path / "cancel.xlsx"
    request = ExportRequest(demo.session_factory, out, {})

    def progress(done, total, stage):
        if done >= 100:
            request.cancel.cancel()

    request.progress = progress
    with pytest.raises(ExportCancelled):
        kind.run(request)
    assert not out.exists()
    assert not list(tmp_path.iterdir())  # no temp file left behind either
    # an existing file is left untouched
    out.write_bytes(b"old")
    request2 = ExportRequest(demo.session_factory, out, {})
    request2.progress = lambda d, t, s: request2.cancel.cancel() if d >= 100 else None
    with pytest.raises(ExportCancelled):
        kind.run(request2)
    assert out.read_bytes() == b"old"


def test_rows_stream_from_one_query(demo):
    """iter_ledger_rows is a generator over one statement: rows arrive before the query is exhausted."""
    statements = []
    from sqlalchemy import event

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with demo.session_factory() as s:
        filters = ledger_filters(s, {})
        event.listen(demo.engine, "before_cursor_execute", count)
        try:
            gen = iter_ledger_rows(s, filters, batch=50)
            first = next(gen)
            rest = sum(1 for _ in gen)
        finally:
            event.remove(demo.engine, "before_cursor_execute", count)
    assert first["case_no"] and rest == 300 - DELETED - 1
    ledger_queries = [st for st in statements if "FROM cases" in st]
    assert len(ledger_queries) == 1, statements


def test_the_case_list_filter_keys(demo, tmp_path):
    """The list page passes its filter as CaseFilter.to_params(): organization_id, mediator_id, status
    「open」, several search words."""
    from db.models import CaseMediator

    with demo.session_factory() as s:
        org_id = s.scalar(select(Organization.id).order_by(Organization.id))
        mediator_id, case_no = s.execute(
            select(CaseMediator.mediator_id, Case.case_no)
            .join(Case, Case.id == CaseMediator.case_id)
            .where(Case.deleted_at.is_(None))
            .order_by(Case.id)
        ).first()
    params = {"organization_id": org_id, "status": "open"}
    _, rows, manifest, _ = read(export(demo, tmp_path / "open.xlsx", **params))
    expected = live_count(
        demo, Case.organization_id == org_id, Case.status.in_(["registered", "accepted", "mediating"])
    )
    assert len(rows) == expected
    _, rows, _, _ = read(export(demo, tmp_path / "med.xlsx", mediator_id=mediator_id))
    with demo.session_factory() as s:
        n = s.scalar(
            select(func.count(func.distinct(CaseMediator.case_id)))
            .join(Case, Case.id == CaseMediator.case_id)
            .where(CaseMediator.mediator_id == mediator_id, Case.deleted_at.is_(None))
        )
    assert 0 < len(rows) == n
    # several words: every one must match (case number and enterprise name here)
    _, rows, _, _ = read(export(demo, tmp_path / "s.xlsx", search=f"{case_no}  有限公司"))
    assert [r[COL["案号"]] for r in rows] == [case_no]
    _, rows, _, _ = read(export(demo, tmp_path / "none.xlsx", search="100%_不存在"))
    assert rows == []


def test_overdue_matches_the_case_list(demo, tmp_path):
    case_list = pytest.importorskip("app.services.case_list")
    with demo.session_factory() as s:
        expected = case_list.count_cases(s, case_list.CaseFilter(overdue=True))
    _, rows, _, _ = read(export(demo, tmp_path / "overdue.xlsx", overdue=True))
    assert len(rows) == expected


def test_split_columns_street_names_and_the_total_row(demo, full_export):
    """延期原因, 仲裁案号, 回访结果 and 归档日期 have columns of their own (备注 is the remark alone); 所属街道
    shows the street's name with its code; the subtitle says rows are chosen by 收到申请日期; a 合计 row of text
    cells closes the table."""
    from app.services.formatting import format_amount
    from app.services.regions import region_name

    out = full_export[0]
    header, rows, manifest, ws = read(out)
    by_uuid = {r[len(HEADER)]: r for r in rows}
    subtitle = next(str(ws.cell(r, 1).value) for r in range(1, 4) if "填报单位" in str(ws.cell(r, 1).value or ""))
    assert "统计期间（按收到申请日期）：全部" in subtitle
    seen = dict.fromkeys(("reason", "arb", "visit", "archived", "named_street"), 0)
    with demo.session_factory() as s:
        cases = s.scalars(select(Case).where(Case.deleted_at.is_(None))).all()
        for c in cases:
            row = by_uuid[c.uuid]
            assert row[COL["延期原因"]] == c.extension_reason
            assert row[COL["仲裁案号"]] == c.arbitration_case_no
            assert row[COL["备注"]] == c.remark
            archived = row[COL["归档日期"]]
            assert archived == (datetime.combine(c.archived_on, datetime.min.time()) if c.archived_on else None)
            if c.return_visits:
                last = max(c.return_visits, key=lambda v: (v.visited_on, v.id))
                assert row[COL["回访结果"]] == last.satisfaction
                seen["visit"] += bool(last.satisfaction)
            seen["reason"] += bool(c.extension_reason)
            seen["arb"] += bool(c.arbitration_case_no)
            seen["archived"] += bool(c.archived_on)
            respondent = next(p for p in c.parties if p.role == "respondent")
            code = (respondent.enterprise.street_code if respondent.enterprise else None) or c.organization.street_code
            street = row[COL["所属街道(乡镇)"]]
            if code:
                m = re.fullmatch(r"(.+)（(\d{9})）", street)
                assert m and m.group(2) == code, street
                if m.group(1) != region_name(code[:6]):
                    assert m.group(1).endswith(("街道", "镇", "乡")), street
                    seen["named_street"] += 1
        assert all(seen.values()), seen
        # a street is named as the organizations with its code name it (「和平区南市街道劳动人事争议调解中心」)
        from app.exports.case_data.places import street_label, street_names

        names = street_names(s)
        org = s.scalar(select(Organization).where(Organization.name == "和平区南市街道劳动人事争议调解中心"))
    assert org.street_code == "120101006" and names["120101006"] == "南市街道"
    assert street_label("120101006", names) == "南市街道（120101006）"
    assert street_label("120101099", names) == "和平区（120101099）" and street_label(None, names) is None
    assert not any(re.search(r"延期原因：|仲裁案号：|回访：|归档日期：", r[COL["备注"]] or "") for r in rows)

    total = total_row(out)
    assert total[0] == "合计" and total[len(HEADER)] is None
    assert total[COL["案号"]] == f"共{len(rows)}件"
    assert total[COL["涉及劳动者人数"]] == f"{sum(r[COL['涉及劳动者人数']] for r in rows)}人"
    assert total[COL["是否集体争议"]] == f"{sum(r[COL['是否集体争议']] == '是' for r in rows)}件"
    assert total[COL["结案方式"]] == f"结案{sum(r[COL['结案日期']] is not None for r in rows)}件"
    claim = sum(round(r[COL["请求金额(元)"]] * 100) for r in rows if r[COL["请求金额(元)"]] is not None)
    agreed = sum(round(r[COL["协议金额(元)"]] * 100) for r in rows if r[COL["协议金额(元)"]] is not None)
    assert total[COL["请求金额(元)"]] == format_amount(claim) and total[COL["协议金额(元)"]] == format_amount(agreed)
    start = int(manifest["data_start_row"]) + len(rows)
    assert all(ws.cell(start, i + 1).data_type == "s" for i, v in enumerate(total) if v is not None)
    assert ws.auto_filter.ref.endswith(str(start - 1))  # sorting or filtering never moves the 合计 row
    assert ws.print_area and str(start) in str(ws.print_area)

"""志愿汇上传清单 (issue 17 step 1): the list of records not yet uploaded, filtered by volunteer and quarter,
exported as XLSX in platform order; marking a selection uploaded shrinks the list by exactly those records."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from app.demo import generate_demo
from app.exports.registry import ExportRequest, all_kinds, load_builtin_kinds, run_export
from app.exports.xlsx_engine import read_manifest
from app.services.formatting import quarter_range
from app.services.ledgers import mark_uploaded, upload_list
from db.models import AuditEntry, ServiceRecord
from db.session import open_database

TODAY = date(2026, 6, 30)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    opened = open_database(tmp_path_factory.mktemp("zyh") / "zyh.db")
    generate_demo(opened.session_factory, seed=5, cases=0, today=TODAY)
    with opened.session_factory.begin() as s:  # leave a good number of records not uploaded
        for r in s.scalars(select(ServiceRecord).where(ServiceRecord.served_on >= date(2026, 1, 1))):
            r.uploaded_zyh, r.uploaded_on = False, None
    load_builtin_kinds()
    yield opened
    opened.engine.dispose()


def sheet_rows(path):
    m = read_manifest(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = wb[m["sheet"]]
        header = [c for c in next(ws.iter_rows(min_row=int(m["data_start_row"]) - 1, max_row=int(m["data_start_row"]) - 1,
                                               values_only=True))]
        rows = [r for r in ws.iter_rows(min_row=int(m["data_start_row"]), values_only=True) if any(v is not None for v in r)]
        return header, rows
    finally:
        wb.close()


def test_list_only_not_uploaded_in_quarter_and_for_volunteer(db):
    with db.session_factory() as s:
        rows = upload_list(s, year=2026, quarter=1)
        assert rows, "the demo leaves records of 2026 not uploaded"
        start, end = quarter_range(2026, 1)
        assert all(start <= r.served_on <= end for r in rows)
        ids = {r.record_id for r in rows}
        assert not any(s.get(ServiceRecord, i).uploaded_zyh for i in ids)
        dates = [r.served_on for r in rows]
        assert dates == sorted(dates)
        vid = rows[0].volunteer_id
        mine = upload_list(s, volunteer_id=vid, year=2026, quarter=1)
        assert mine and all(r.volunteer_id == vid for r in mine)
        assert {r.record_id for r in mine} <= ids


def test_export_in_platform_order(db, tmp_path):
    assert "zhiyuanhui-upload" in {k.name for k in all_kinds()}
    out = run_export("zhiyuanhui-upload", ExportRequest(db.session_factory, tmp_path / "zyh.xlsx",
                                                        {"year": 2026, "quarter": 1, "date": TODAY}))
    header, rows = sheet_rows(out)
    assert header[:10] == ["序号", "活动名称", "服务类别", "服务日期", "服务时长（小时）", "服务对象", "服务内容", "服务人数",
                           "志愿者姓名", "志愿汇账号"]
    with db.session_factory() as s:
        expected = upload_list(s, year=2026, quarter=1)
    assert len(rows) == len(expected)
    assert [r[-1] for r in rows] == [e.record_uuid for e in expected]
    assert [r[8] for r in rows] == [e.volunteer_name for e in expected]
    assert all("*" in (r[10] or "*") for r in rows)  # phones masked by default


def test_marking_uploaded_shrinks_the_list_by_exactly_those_records(db):
    with db.session_factory() as s:
        before = upload_list(s, year=2026)
    chosen = sorted({r.record_id for r in before})[:3]
    expected_gone = [r for r in before if r.record_id in chosen]
    with db.session_factory.begin() as s:
        assert mark_uploaded(s, chosen, on=TODAY, user="tester") == 3
    with db.session_factory.begin() as s:
        assert mark_uploaded(s, chosen, on=TODAY, user="tester") == 0  # already marked: nothing changes
    with db.session_factory() as s:
        after = upload_list(s, year=2026)
        assert len(after) == len(before) - len(expected_gone)
        assert {r.record_id for r in after} == {r.record_id for r in before} - set(chosen)
        for rid in chosen:
            rec = s.get(ServiceRecord, rid)
            assert rec.uploaded_zyh and rec.uploaded_on == TODAY
        audits = s.scalars(select(AuditEntry).where(AuditEntry.action == "zyh_uploaded")).all()
        assert len(audits) == 3 and all(a.user_login == "tester" for a in audits)

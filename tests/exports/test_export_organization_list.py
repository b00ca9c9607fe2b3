"""``organization-list``: real database in, real XLSX out, read back cell by cell."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from app.exports.registry import ExportRequest, get_kind, load_builtin_kinds
from app.exports.xlsx_engine import read_manifest
from db.models import Mediator, Organization


@pytest.fixture
def db(migrated_db):
    opened = migrated_db
    with opened.session_factory.begin() as s:
        centre = Organization(
            name="和平区南市街道劳动人事争议调解中心", kind="21", region_code="120101",
            address="天津市和平区南市街道荣业大街 1 号", established_on=date(2019, 5, 6),
            head_name="王建国", contact_phone="13812345678", online_platform=True, notes="示范点",
        )
        committee = Organization(name="天津某机械制造有限公司劳动争议调解委员会", kind="11", region_code="120110")
        s.add_all([centre, committee])
        s.flush()
        s.add_all([
            Mediator(organization_id=centre.id, name="李明", full_time=True, appointed_on=date(2020, 1, 1)),
            Mediator(organization_id=centre.id, name="赵丽", full_time=True),
            Mediator(organization_id=centre.id, name="孙强", full_time=False),
            # left already: not counted
            Mediator(organization_id=centre.id, name="周平", full_time=True, left_on=date(2024, 12, 31)),
            # appointed in the future: not yet counted
            Mediator(organization_id=centre.id, name="吴新", full_time=False, appointed_on=date(2099, 1, 1)),
            Mediator(organization_id=committee.id, name="郑工", full_time=False),
        ])
    yield opened


def test_organization_list_reads_back(db, tmp_path):
    load_builtin_kinds()
    kind = get_kind("organization-list")
    out = tmp_path / "名册.xlsx"
    calls = []
    kind.run(ExportRequest(db.session_factory, out, {"region": "和平区", "unit": "和平区人社局"},
                           progress=lambda d, t, s: calls.append((d, t, s))))
    wb = openpyxl.load_workbook(out)
    ws = wb[wb.sheetnames[0]]
    cells = {c.value for row in ws.iter_rows(max_row=4) for c in row if c.value}
    assert "和平区劳动人事争议调解组织名册" in cells
    assert any("和平区人社局" in str(v) for v in cells)
    header_row = next(r for r in range(1, 8) if ws.cell(r, 2).value == "组织名称")
    labels = [ws.cell(header_row, c).value for c in range(1, 9)]
    assert labels[:3] == ["序号", "组织名称", "组织类型"]
    data = []
    for r in range(header_row + 1, ws.max_row + 1):
        if ws.cell(r, 2).value:
            data.append([ws.cell(r, c).value for c in range(1, 14)])
    assert len(data) == 2
    by_name = {row[1]: row for row in data}
    centre = by_name["和平区南市街道劳动人事争议调解中心"]
    assert centre[2] == "乡镇(街道)劳动人事争议调解组织"
    assert centre[3] == "120101"
    first_data = next(r for r in range(header_row + 1, ws.max_row + 1) if ws.cell(r, 1).value == 1)
    assert ws.cell(first_data, 4).data_type == "s"  # codes stored as text
    assert centre[5] == datetime(2019, 5, 6)
    assert centre[6] == "王建国"
    assert centre[7] == "13812345678"
    assert (centre[8], centre[9]) == (2, 1)  # derived from the roster, leavers and future appointees excluded
    assert centre[10] == "是"
    committee = by_name["天津某机械制造有限公司劳动争议调解委员会"]
    assert (committee[8], committee[9]) == (0, 1)
    assert committee[10] == "否"
    with db.session_factory() as s:
        uuids = {o.uuid for o in s.query(Organization)}
    assert {row[12] for row in data} == uuids
    manifest = read_manifest(out)
    assert manifest["kind"] == "organization-list" and int(manifest["row_count"]) == 2
    assert calls, "progress was reported"

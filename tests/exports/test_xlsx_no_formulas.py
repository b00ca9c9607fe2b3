"""No XLSX export turns data into a live formula (issue 18 item 3).

A small database is built with the demo generator (the services), then its free-text fields — organization
names and 简称, party names, enterprise names, volunteer names, mediators, remarks, addresses … — are
overwritten with formula-like payloads; the 填报单位/填报人/电话 parameters carry them too. Every kind that
``export --list`` lists as XLSX is written, every sheet (hidden ones included) is opened with openpyxl, and no
cell may be a formula (``data_type 'f'``) or an error cell (``'e'``). The one documented exception: the
statistics table's balance checks ``=IF(SUM(…)=SUM(…),"相符","不符")``, which the program builds from cell
references only — they may never contain a payload.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.demo import generate_demo
from app.exports.registry import ExportRequest, all_kinds, load_builtin_kinds, run_export
from db import models as m
from db.session import open_database

PAYLOADS = (
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x.example/","x")',
)
DEMO_TODAY = date(2026, 11, 20)
TODAY = date(2027, 1, 15)

# free-text fields that end up in the tables; every row gets one payload per field, round robin
FIELDS = {
    m.Organization: ("name", "short_name", "address", "parent_unit", "head_name", "head_post", "contact_name",
                     "notes", "honours", "budget_source"),
    m.Mediator: ("name", "post", "certificate_level", "certificate_no", "notes"),
    m.Enterprise: ("name", "legal_rep", "address", "contact_name", "contact_post", "notes"),
    m.Volunteer: ("name", "unit", "post", "school_major", "recommended_by", "remark"),
    m.VolunteerContact: ("reason", "service_mode", "service_content", "remark"),
    m.Case: ("remark", "claims_summary", "facts", "close_reason", "arbitration_case_no", "archive_no"),
    m.CaseParty: ("name", "address", "job", "legal_rep", "agent_name"),
}
# what the statistics table documents: balance checks built from cell references
ALLOWED_FORMULA = re.compile(r'^=IF\(SUM\([A-Z]+\d+(,[A-Z]+\d+)*\)=SUM\([A-Z]+\d+(,[A-Z]+\d+)*\),"相符","不符"\)$')
FORMULA_KINDS = {"statistics-table"}


@pytest.fixture(scope="module")
def payload_db(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("formulas") / "demo.db")
    generate_demo(db.session_factory, seed=5, cases=80, today=DEMO_TODAY)
    with db.session_factory.begin() as s:
        n = 0
        for model, fields in FIELDS.items():
            for row in s.scalars(select(model)):
                for field in fields:
                    setattr(row, field, PAYLOADS[n % len(PAYLOADS)])
                    n += 1
        for payload in PAYLOADS:  # quiet organizations (nothing on record) for the 零上报
            s.add(m.Organization(name=payload, short_name=payload, kind="21", region_code="120101",
                                 established_on=date(2026, 4, 1)))
    load_builtin_kinds()
    yield db
    db.engine.dispose()


def _params(kind, db) -> dict:
    names = {o.name for o in kind.options}
    with db.session_factory() as s:
        quiet = s.scalar(select(m.Organization.id).order_by(m.Organization.id.desc()).limit(1))  # added last
    params = {"today": TODAY, "year": 2026, "unit": PAYLOADS[0], "filler": PAYLOADS[5], "phone": PAYLOADS[3],
              "note": PAYLOADS[6], "full_info": True, "include_left": True, "by_org": True}
    if kind.name == "nil-report":
        params.update(org=quiet, quarter=3)
    return {k: v for k, v in params.items() if k in names or k == "today"}



def _xlsx_kind_names() -> list[str]:
    load_builtin_kinds()
    return [k.name for k in all_kinds() if k.fmt == "xlsx"]


@pytest.mark.parametrize("name", _xlsx_kind_names())
def test_no_formula_from_data(payload_db, tmp_path, name):
    from openpyxl import load_workbook

    kind = next(k for k in all_kinds() if k.name == name)
    out = run_export(name, ExportRequest(payload_db.session_factory, tmp_path / f"{name}.xlsx",
                                         _params(kind, payload_db)))
    wb = load_workbook(out)
    texts = []
    bad = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                if cell.data_type == "e":
                    bad.append((ws.title, cell.coordinate, cell.value))
                if cell.data_type != "f":
                    continue
                value = str(cell.value)
                documented = name in FORMULA_KINDS and ALLOWED_FORMULA.match(value)
                if not documented or any(p.strip() in value for p in PAYLOADS if p.strip() not in ("+1", "-1")):
                    bad.append((ws.title, cell.coordinate, value))
    assert not bad, f"{name}: cells that are formulas or errors: {bad[:10]}"
    # the payloads really were written (as text), so the check above saw them
    assert any(p in t for t in texts for p in PAYLOADS if p.startswith("=")), f"{name}: no payload in the file"

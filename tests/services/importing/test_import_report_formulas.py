"""The import report writes the township's cells as text: a cell such as ``=HYPERLINK(…)`` or ``=1+1`` in the
file (an ID number, a source, a stray note) is listed verbatim in 问题清单 / 跳过的行, never as a live formula."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from app.core.xlsx_cells import append_row
from app.services.importing import ImportOptions, run_import
from app.services.importing.report import write_report
from tests.import_helpers import TOWN, fresh_db

TODAY = date(2026, 6, 30)
PAYLOADS = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x.example/","x")',
]


@pytest.fixture
def db(tmp_path):
    opened = fresh_db(tmp_path / "town.db")
    yield opened
    opened.engine.dispose()


def ledger_with_payloads(path):
    """A ledger whose text cells hold the payloads (as text cells, the way a township's file would)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    append_row(ws, ["案号", "收到申请日期", "申请人", "身份证号", "被申请人", "案件来源", None])
    for i, payload in enumerate(PAYLOADS, 1):
        # rejected: the payload is the ID number
        append_row(ws, [f"2026-{i:03d}", "2026-03-01", f"甲{i}", payload, "天津某某科技有限公司", "当事人申请", None])
        # imported with a warning: the payload is the case source
        append_row(ws, [f"2026-{100 + i:03d}", "2026-03-01", f"乙{i}", None, "天津某某科技有限公司", payload, None])
        # skipped: only a column without a header is filled
        append_row(ws, [None, None, None, None, None, None, payload])
    append_row(ws, ["2026-999", "2026-03-02", "丙", None, "天津某某科技有限公司", "当事人申请", None])
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    wb.save(path)
    return path


def test_report_cells_from_the_file_stay_text(db, tmp_path):
    src = ledger_with_payloads(tmp_path / "台账.xlsx")
    result = run_import(db.session_factory, src, "cases",
                        ImportOptions(organization=TOWN, today=TODAY, valid_only=True))
    out = write_report(result, tmp_path / "导入报告.xlsx")

    wb = openpyxl.load_workbook(out)
    formulas = [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []

    problems = wb["问题清单"]
    values = [problems.cell(r, 5).value for r in range(2, problems.max_row + 1)]
    skipped = wb["跳过的行"]
    skipped_texts = [skipped.cell(r, 3).value for r in range(2, skipped.max_row + 1)]
    for payload in PAYLOADS:
        assert values.count(payload) >= 2, (payload, values)  # once as the ID number, once as the source
        assert payload.strip() in [(t or "").strip() for t in skipped_texts], (payload, skipped_texts)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.strip() in [p.strip() for p in PAYLOADS]:
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)

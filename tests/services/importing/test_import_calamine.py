"""python-calamine reads .xlsx and .xls as the openpyxl / xlrd readers did: the same cells (ID numbers as text,
dates as dates, numbers as numbers), the same merged ranges and hidden columns, the same imported rows; and an
import in batches gives what load + preview + commit give."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.services.importing import ImportOptions, build_preview, commit, load_sheet, run_import
from app.services.importing.reader import CalamineSource, XlsSource, XlsxSource, open_source
from db.models import Case, CaseParty
from tests.import_helpers import CODE_A, CODE_B, ID_A, ID_B, ID_C, TOWN, fresh_db

DATA = Path(__file__).resolve().parents[2] / "data"
TODAY = date(2026, 6, 30)
HEADER = ["序号", "收到申请日期", "申请人", "申请人身份证号", "申请人电话", "被申请人", "统一社会信用代码", "争议类型",
          "请求金额(元)", "涉及劳动者人数", "是否集体争议", "结案日期", "结案方式", "备注"]


def _ledger(path: Path) -> Path:
    """A messy ledger: title, merged cells, a hidden column, every kind of cell openpyxl gives."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["调解案件登记台账"])
    ws.merge_cells("A1:N1")
    ws.append(HEADER)
    rows = [
        [1, datetime(2024, 3, 5), "张三", ID_A, 13812345678, "天津某某科技有限公司", CODE_A, "劳动报酬", 12000.5, 1, "否",
         None, None, "  备注 "],
        [2, "2024年3月6日", "李四", ID_B, "138-1234-5679", "天津某某物流有限公司", CODE_B, "加班费", "1,200元", 2, False,
         datetime(2024, 3, 20), "调解成功", None],
        [3, date(2024, 3, 7), "王五", ID_C, None, "天津某某科技有限公司", None, "经济补偿", 800, 12, True, None, "", 0.25],
        [4, 45390, "赵六", 1.20103196508029e17, "", "天津某某餐饮有限公司", None, "社会保险", -3, 1, "是", None, None,
         "  "],
    ]
    for r in rows:
        ws.append(r)
    ws["E7"] = time(9, 30)
    ws["N7"] = timedelta(hours=5)
    ws.column_dimensions["N"].hidden = True
    ws.append([None] * 14)
    ws.append(["合计", None, None, None, None, None, None, None, "=SUM(I3:I6)"])
    wb.save(path)
    return path


def _both(path: Path):
    fast = open_source(path)
    old = XlsxSource(path) if path.suffix == ".xlsx" else XlsSource(path, path.read_bytes())
    return fast, old


@pytest.mark.parametrize("name", ["ledger.xlsx", "import_messy.xls"])
def test_cells_are_the_old_readers_cells(tmp_path, name):
    path = _ledger(tmp_path / name) if name.endswith(".xlsx") else DATA / name
    fast, old = _both(path)
    with fast, old:
        assert isinstance(fast, CalamineSource)
        assert [(s.name, s.hidden) for s in fast.sheets()] == [(s.name, s.hidden) for s in old.sheets()]
        a, b = fast.read(), old.read()
        assert len(a.rows) == len(b.rows)
        for i, (x, y) in enumerate(zip(a.rows, b.rows, strict=True)):
            assert x == y, f"row {i + 1}"
            assert [type(v) for v in x] == [type(v) for v in y], f"row {i + 1}"
        assert a.merges == sorted(b.merges)
        assert a.hidden_columns == b.hidden_columns
        assert a.has_merge_info == b.has_merge_info
        assert list(fast.iter_rows(start=2))[: len(a.rows) - 2] == a.rows[2:]
        assert fast.manifest() == old.manifest()


def test_id_numbers_dates_and_numbers(tmp_path):
    with open_source(_ledger(tmp_path / "ledger.xlsx")) as src:
        rows = src.read().rows
    assert rows[2][3] == ID_A and isinstance(rows[2][3], str)
    assert rows[2][1] == datetime(2024, 3, 5) and type(rows[4][1]) is datetime
    assert rows[2][4] == 13812345678 and type(rows[2][4]) is int
    assert rows[2][8] == 12000.5 and rows[5][8] == -3 and type(rows[5][8]) is int
    assert type(rows[5][3]) is float  # an ID number Excel stored as a number stays a float (its digits are lost)
    assert rows[4][10] is True and rows[4][13] == 0.25


def test_whole_number_written_out_in_full_is_read_exactly(tmp_path):
    """A 16+ digit whole number written without an exponent: openpyxl reads it exactly, so the old reader reads it."""
    import zipfile

    wb = openpyxl.Workbook()
    wb.active.append(["申请人身份证号", 1.5])
    wb.save(tmp_path / "made.xlsx")
    with zipfile.ZipFile(tmp_path / "made.xlsx") as zin, zipfile.ZipFile(tmp_path / "big.xlsx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>1.5</v>", b"<v>120103196508029198</v>")
            zout.writestr(item, data)
    old = XlsxSource(tmp_path / "big.xlsx")
    with open_source(tmp_path / "big.xlsx") as src, old:
        assert src.read().rows[0] == old.read().rows[0] == ("申请人身份证号", 120103196508029198)
        assert list(src.iter_rows()) == [("申请人身份证号", 120103196508029198)]


def _rows_of(preview):
    return [(r.row, r.action, dict(r.values), [p.message for p in r.problems]) for r in preview.rows]


def test_imported_rows_are_the_same_through_both_readers(tmp_path, monkeypatch):
    path = _ledger(tmp_path / "ledger.xlsx")
    opened = fresh_db(tmp_path / "a.db")
    options = ImportOptions(organization=TOWN, today=TODAY, save_mapping=False)
    try:
        fast = build_preview(opened.session_factory, load_sheet(path, "cases"), options)
        from app.services.importing.reader import opening

        monkeypatch.setattr(opening, "available", lambda: False)  # python-calamine missing: the old readers
        with open_source(path) as src:
            assert isinstance(src, XlsxSource)
        old = build_preview(opened.session_factory, load_sheet(path, "cases"), options)
    finally:
        opened.engine.dispose()
    assert _rows_of(fast) == _rows_of(old)
    assert [(s.row, s.reason) for s in fast.skipped] == [(s.row, s.reason) for s in old.skipped]
    assert [p.message for p in fast.notes] == [p.message for p in old.notes]


def _stored(opened):
    with opened.session_factory() as s:
        cases = [(c.case_no, c.received_on, c.claim_amount_fen, c.status, c.workers) for c in s.scalars(select(Case).order_by(Case.id))]
        parties = sorted((p.role, p.name, p.id_number or "") for p in s.scalars(select(CaseParty)))
    return cases, parties


def test_import_in_batches_is_load_preview_commit(tmp_path, monkeypatch):
    """run_import writes the cases in batches; with batches of two rows (a repeated row far from the first) the
    result is what load_sheet + build_preview + commit give."""
    from app.services.importing import streaming

    path = _ledger(tmp_path / "ledger.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.insert_rows(8)
    for col, v in enumerate(["5", datetime(2024, 3, 5), "张三", ID_A, 13812345678, "天津某某科技有限公司", CODE_A,
                             "劳动报酬", 12000.5, 1, "否"], 1):
        ws.cell(8, col, v)
    wb.save(path)
    options = ImportOptions(organization=TOWN, today=TODAY, save_mapping=False, valid_only=True)
    one = fresh_db(tmp_path / "one.db")
    two = fresh_db(tmp_path / "two.db")
    try:
        preview = build_preview(one.session_factory, load_sheet(path, "cases"), options)
        whole = commit(one.session_factory, preview, options)
        monkeypatch.setattr(streaming, "BATCH", 2)
        batched = run_import(two.session_factory, path, "cases", options)
        assert batched.summary() == whole.summary()
        assert [(r.row, r.action, r.match) for r in batched.preview.rows] == [(r.row, r.action, r.match) for r in preview.rows]
        assert batched.repeated == 1 and batched.rejected == whole.rejected
        assert _stored(one) == _stored(two)
        again = run_import(two.session_factory, path, "cases", options)
        assert again.added == 0 and again.updated == 0 and again.unchanged == whole.added
    finally:
        one.engine.dispose()
        two.engine.dispose()

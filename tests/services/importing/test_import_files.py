"""Files as they arrive: .xls (one made by LibreOffice from a messy sheet), CSV in UTF-8 and GBK, and bad files —
each a clear Chinese message, nothing written."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.services.importing import ImportFileError, ImportOptions, inspect_file, load_sheet, run_import
from app.services.importing.reader import CFB_MAGIC, open_source
from db.models import Case, CaseParty
from tests.import_helpers import ID_A, ID_B, fresh_db, save

DATA = Path(__file__).resolve().parents[2] / "data"
TODAY = date(2026, 6, 30)


@pytest.fixture
def db(tmp_path):
    opened = fresh_db(tmp_path / "town.db")
    yield opened
    opened.engine.dispose()


def case_count(db) -> int:
    with db.session_factory() as s:
        return s.scalar(select(func.count()).select_from(Case))


def test_xls_with_merged_two_row_header(db):
    """tests/data/import_messy.xls: written by openpyxl (title row, merged two-row header, 2023年3月9日 / 2023.3.10,
    12,000元 and full-width ８００, 是/否, a 合计 row), converted with ``soffice --convert-to xls``."""
    info = inspect_file(DATA / "import_messy.xls")
    assert info.file_format == "xls" and [s.name for s in info.visible_sheets] == ["Sheet1"]
    plan = load_sheet(DATA / "import_messy.xls", "cases")
    assert (plan.header.first_row, plan.header.last_row) == (2, 3)
    assert {k: c.text for k, c in plan.mapped_fields().items()}["applicant_id"] == "申请人／身份证号"
    result = run_import(db.session_factory, DATA / "import_messy.xls", "cases", ImportOptions(today=TODAY))
    assert result.added == 2 and result.all_imported
    assert [(s.row, s.reason) for s in result.preview.skipped] == [(6, "total")]
    with db.session_factory() as s:
        got = {c.received_on: (c.claim_amount_fen, c.is_collective, c.dispute_type_main) for c in s.scalars(select(Case))}
        ids = set(s.scalars(select(CaseParty.id_number).where(CaseParty.role == "applicant")))
    assert got == {date(2023, 3, 9): (1_200_000, False, "02"), date(2023, 3, 10): (80_000, True, "03")}
    assert ids == {ID_A, ID_B}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_encodings(db, tmp_path, encoding):
    text = "收到申请日期,申请人,被申请人,争议类型,请求金额\n2024/5/6,张三,天津某某科技有限公司,加班费,\"1,200\"\n"
    path = tmp_path / "台账.csv"
    path.write_bytes(text.encode(encoding))
    result = run_import(db.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert result.added == 1, [p.message for p in result.problems]
    with db.session_factory() as s:
        c = s.scalar(select(Case))
        assert (c.received_on, c.claim_amount_fen, c.dispute_type_main) == (date(2024, 5, 6), 120_000, "02")
        assert s.scalar(select(CaseParty.name).where(CaseParty.role == "respondent")) == "天津某某科技有限公司"


def bad(path: Path, message: str, db) -> None:
    with pytest.raises(ImportFileError, match=message) as info:
        run_import(db.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert "Traceback" not in info.value.message
    assert case_count(db) == 0


def test_password_protected_workbook(db, tmp_path):
    # an encrypted OOXML file is a compound document holding an "EncryptedPackage" stream
    path = tmp_path / "加密.xlsx"
    path.write_bytes(CFB_MAGIC + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
                     + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2048)
    bad(path, "设置了打开密码", db)


def test_corrupt_and_wrong_files(db, tmp_path):
    good = save([["收到申请日期", "申请人", "被申请人"], ["2024-05-06", "张三", "某公司"]], tmp_path / "good.xlsx")
    truncated = tmp_path / "截断.xlsx"
    truncated.write_bytes(good.read_bytes()[:900])
    bad(truncated, "已损坏", db)
    garbage = tmp_path / "乱码.xls"
    garbage.write_bytes(CFB_MAGIC + b"\x01\x02" * 300)
    bad(garbage, "已损坏或不是 Excel 97-2003", db)
    word = tmp_path / "其实是Word.xlsx"
    with zipfile.ZipFile(word, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    bad(word, "是 Word 文档", db)
    html = tmp_path / "网页.xls"
    html.write_text("<html><body><table><tr><td>申请人</td></tr></table></body></html>", encoding="utf-8")
    bad(html, "网页（HTML）格式", db)
    empty = tmp_path / "空文件.xlsx"
    empty.write_bytes(b"")
    bad(empty, "文件是空的", db)
    bad(tmp_path / "不存在.xlsx", "文件不存在", db)
    other = tmp_path / "图片.png"
    other.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    bad(other, "不支持的文件类型", db)


def test_wps_et_file(db, tmp_path):
    et = tmp_path / "台账.et"
    et.write_bytes(CFB_MAGIC + b"\x00" * 1000)
    bad(et, "WPS 表格专用格式", db)
    text_et = tmp_path / "另一个.et"
    text_et.write_bytes(b"\x05\x06\x07 WPS")
    bad(text_et, "另存为", db)


def test_csv_in_unknown_encoding(db, tmp_path):
    path = tmp_path / "乱码.csv"
    path.write_bytes("申请人,被申请人\n".encode() + b"\xff\xfe\xff,\xff\n")
    bad(path, "无法识别.*文字编码", db)


def test_empty_sheet_and_sheet_choice(db, tmp_path):
    path = save([], tmp_path / "空表.xlsx", extra_sheets={"台账": [["收到申请日期", "申请人", "被申请人"], ["2024-05-06", "张三", "某公司"]]})
    bad(path, "是空的", db)
    assert run_import(db.session_factory, path, "cases", ImportOptions(today=TODAY), sheet="台账").added == 1
    with pytest.raises(ImportFileError, match="没有名为“案件”的工作表（有：Sheet1、台账）"):
        load_sheet(path, "cases", "案件")


def test_hidden_columns_and_merges_are_read(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["标题"])
    ws.append(["申请人", "被申请人", "记录标识"])
    ws.merge_cells("A1:C1")
    ws.column_dimensions["C"].hidden = True
    path = tmp_path / "h.xlsx"
    wb.save(path)
    with open_source(path) as src:
        raw = src.read()
    assert raw.merges == [(1, 1, 1, 3)] and raw.hidden_columns == {2}

"""Round trip: export case-ledger, enterprise-roster and mediator-roster from a demo database, import them into an
empty one, export again — the same records; importing again changes nothing; a corrected file updates only the
rows that changed; a masked file never overwrites full ID numbers."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.exports.submissions import prepare_submission
from app.exports.xlsx_engine import read_manifest
from app.services.importing import ImportOptions, run_import
from db.base import Base
from db.models import Case, CaseParty, Organization
from tests.helpers import migrated_copy, open_copy

TODAY = date(2026, 6, 30)
LEDGER = "case-ledger"


@pytest.fixture(scope="module")
def src(tmp_path_factory, demo_template):
    opened = open_copy(demo_template(seed=3, cases=240, today=TODAY), tmp_path_factory.mktemp("rt-src") / "src.db")
    load_builtin_kinds()
    yield opened
    opened.engine.dispose()


def export(db, kind, out, **params):
    return run_export(kind, ExportRequest(db.session_factory, out, params))


def data_rows(path) -> dict[str, tuple]:
    """uuid → the visible cells of each data row (序号 left out: it follows the order); the 合计 row under a
    ledger has no record id and is left out."""
    m = read_manifest(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = wb[m["sheet"]]
        out = {}
        start = int(m["data_start_row"])
        header = list(next(ws.iter_rows(min_row=start - 1, max_row=start - 1, values_only=True)))
        u = header.index("记录标识") if "记录标识" in header else len(header) - 1  # hidden columns may follow it
        for r in ws.iter_rows(min_row=start, values_only=True):
            if any(v is not None for v in r) and r[u] is not None:
                out[r[u]] = tuple(r[1:u]) + tuple(r[u + 1:])
        return out
    finally:
        wb.close()


def table_counts(db) -> dict[str, int]:
    with db.session_factory() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
                if t.name not in ("app_settings", "submissions")}


def org_ids(db) -> list[tuple[int, str]]:
    with db.session_factory() as s:
        return s.execute(select(Organization.id, Organization.name).order_by(Organization.id)).all()


@pytest.fixture(scope="module")
def imported(src, tmp_path_factory):
    """Every organization's ledger (full information), the 附件2 roster and the mediator roster, imported."""
    folder = tmp_path_factory.mktemp("rt-files")
    dst = migrated_copy(folder / "dst.db")
    files = []
    for oid, _name in org_ids(src):
        files.append((export(src, LEDGER, folder / f"ledger-{oid}.xlsx", org=oid, full_info=True), "cases"))
    files.append((export(src, "enterprise-roster", folder / "roster.xlsx", as_of=TODAY, full_info=True), "volunteers"))
    files.append((export(src, "mediator-roster", folder / "mediators.xlsx", date_to=TODAY, full_info=True,
                         include_left=True), "mediators"))
    results = [run_import(dst.session_factory, f, target, ImportOptions(today=TODAY)) for f, target in files]
    yield dst, files, results, folder
    dst.engine.dispose()


def test_everything_imported(imported):
    _dst, files, results, _ = imported
    for (path, _t), r in zip(files, results, strict=True):
        assert r.committed and r.all_imported, (path.name, [p.message for p in r.problems if p.level == "error"])
        if path.stem == "mediators":
            # mediators named in the ledgers were created by name; the roster completes them (and gives their uuid)
            assert r.added + r.updated == len(data_rows(path)) and r.updated > 0
        else:
            assert r.added == len(data_rows(path)) and r.updated == 0
        if path.stem.startswith("ledger"):  # the 合计 row is skipped, and the manifest's count is of records
            assert [s.reason for s in r.preview.skipped] == ["total"]
            assert not any("行记录" in p.message for p in r.problems)


def test_case_ledgers_export_the_same_records(src, imported, tmp_path):
    dst, files, _results, _ = imported
    names = dict(org_ids(src))
    by_name = {n: i for i, n in org_ids(dst)}
    total = 0
    for path, target in files:
        if target != "cases":
            continue
        name = names[int(path.stem.split("-")[1])]
        again = export(dst, LEDGER, tmp_path / f"again-{path.name}", org=by_name[name], full_info=True)
        before, after = data_rows(path), data_rows(again)
        assert before == after, name
        total += len(before)
    with src.session_factory() as s:
        assert total == s.scalar(select(func.count()).select_from(Case).where(Case.deleted_at.is_(None)))


@pytest.mark.parametrize("kind, params", [
    ("enterprise-roster", {"as_of": TODAY, "full_info": True}),
    ("mediator-roster", {"date_to": TODAY, "full_info": True, "include_left": True}),
])
def test_rosters_export_the_same_records(imported, tmp_path, kind, params):
    dst, files, _results, folder = imported
    original = next(p for p, _t in files if p.stem == ("roster" if kind == "enterprise-roster" else "mediators"))
    again = export(dst, kind, tmp_path / "again.xlsx", **params)
    before, after = data_rows(original), data_rows(again)
    assert set(before) == set(after)
    if kind == "mediator-roster":  # training totals (次数, 学时) are sums of training records, not imported
        before = {k: v[:14] + v[16:] for k, v in before.items()}
        after = {k: v[:14] + v[16:] for k, v in after.items()}
    assert before == after


def test_importing_again_changes_nothing(imported):
    dst, files, _results, _ = imported
    counts = table_counts(dst)
    for path, target in files:
        r = run_import(dst.session_factory, path, target, ImportOptions(today=TODAY))
        assert (r.added, r.updated) == (0, 0) and r.unchanged == len(data_rows(path)), path.name
    assert table_counts(dst) == counts


def test_corrected_file_updates_only_changed_rows(imported, tmp_path):
    dst, files, _results, _ = imported
    path = max((p for p, t in files if t == "cases"), key=lambda p: len(data_rows(p)))
    m = read_manifest(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[m["sheet"]]
    start = int(m["data_start_row"])
    header = [c.value for c in ws[start - 1]]
    amount, summary = header.index("请求金额(元)") + 1, header.index("请求事项摘要") + 1
    ws.cell(start, amount).value = 98765.43
    ws.cell(start + 2, summary).value = "更正后的请求事项"
    fixed = tmp_path / "更正.xlsx"
    wb.save(fixed)
    n = len(data_rows(path))
    r = run_import(dst.session_factory, fixed, "cases", ImportOptions(today=TODAY))
    assert (r.added, r.updated, r.unchanged) == (0, 2, n - 2)
    changed = {row.row: [(c.field, c.new) for c in row.changes] for row in r.preview.rows if row.changes}
    assert changed == {start: [("请求金额(元)", "98,765.43")], start + 2: [("请求事项摘要", "更正后的请求事项")]}
    with dst.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Case).where(Case.claim_amount_fen == 9_876_543)) == 1


def test_masked_file_never_overwrites_full_numbers(src, imported, tmp_path):
    dst, files, _results, _ = imported
    ledgers = sorted((p for p, t in files if t == "cases"), key=lambda p: len(data_rows(p)))
    path = ledgers[len(ledgers) // 2]  # not the one the corrected-file test changes
    oid = int(path.stem.split("-")[1])
    masked = export(src, LEDGER, tmp_path / "masked.xlsx", org=oid)
    m = read_manifest(masked)
    assert m["full_info"] == "0"
    wb = openpyxl.load_workbook(masked)
    ws = wb[m["sheet"]]
    start = int(m["data_start_row"])
    header = [c.value for c in ws[start - 1]]
    col = header.index("申请人身份证号") + 1
    row = next(r for r in range(start, ws.max_row + 1) if ws.cell(r, col).value)
    ws.cell(row, col).value = "999999********0000"  # disagrees with the full number on record
    wb.save(masked)
    with dst.session_factory() as s:
        before = dict(s.execute(select(CaseParty.id, CaseParty.id_number)).all())
    r = run_import(dst.session_factory, masked, "cases", ImportOptions(today=TODAY))
    assert r.added == 0 and r.updated == 0
    assert any("脱敏" in p.message and "不一致" in p.message and p.row == row for p in r.problems)
    assert any("已脱敏" in p.message and p.row == 0 for p in r.problems)
    with dst.session_factory() as s:
        assert dict(s.execute(select(CaseParty.id, CaseParty.id_number)).all()) == before


def test_stamped_file_altered_by_hand(src, imported, tmp_path):
    dst, _files, _results, _ = imported
    with src.session_factory() as s:
        org = s.scalar(select(Organization).where(Organization.name.contains("南市")))
        oid, uuid = org.id, org.uuid
    out = prepare_submission(src.session_factory, LEDGER, oid, "2026Q1", tmp_path / "报送.xlsx")
    m = read_manifest(out)
    assert m["sender_org_uuid"] == uuid and m["submission_period"] == "2026Q1" and len(m["checksum"]) == 64
    first = run_import(dst.session_factory, out, "cases", ImportOptions(today=TODAY))
    assert first.all_imported and not any("校验值" in p.message for p in first.problems)
    wb = openpyxl.load_workbook(out)
    ws = wb[m["sheet"]]
    start = int(m["data_start_row"])
    header = [c.value for c in ws[start - 1]]
    ws.cell(start, header.index("备注") + 1).value = "手工补充的备注"
    wb.save(out)
    second = run_import(dst.session_factory, out, "cases", ImportOptions(today=TODAY))
    assert any("校验值不一致" in p.message for p in second.problems)
    assert second.updated == 1 and second.preview.rows[0].changes[0].field == "备注"

"""The district merges what three townships send: figures by township equal each township's own, the district's
total is their sum, a re-sent file updates instead of adding copies, and the 报送情况 board tells received, 零上报
and missing apart."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.exports.submissions import combined_outputs, prepare_submission
from app.services.importing import ImportOptions, run_import
from app.services.importing.submissions import (
    STATE_MISSING,
    STATE_NIL,
    STATE_RECEIVED,
    register_nil_report,
    submissions_board,
    township_figures,
)
from app.services.organizations import year_figures
from db.models import Case, Organization, Submission
from tests.helpers import open_copy

TODAY = date(2026, 6, 30)
TOWNSHIPS = {11: "南市街道", 12: "友谊路街道", 13: "杨柳青镇"}  # seed → the township that database sends
PERIODS = ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2025", "2026Q1", "2026Q2"]
ALL_TIME = {"date_from": date(2000, 1, 1)}  # the whole ledger, so closings of earlier cases are there too


@pytest.fixture(scope="module")
def towns(tmp_path_factory, demo_template):
    folder = tmp_path_factory.mktemp("towns")
    load_builtin_kinds()
    out = {}
    for seed, short in TOWNSHIPS.items():
        db = open_copy(demo_template(seed=seed, cases=150, today=TODAY), folder / f"town{seed}.db")
        with db.session_factory() as s:
            org = s.scalar(select(Organization).where(Organization.name.contains(short)))
        path = prepare_submission(db.session_factory, "case-ledger", org.id, "2026Q2", folder / f"{short}.xlsx",
                                  params={**ALL_TIME, "full_info": True})
        out[short] = (db, org.id, org.uuid, org.name, path)
    yield out
    for db, *_ in out.values():
        db.engine.dispose()


@pytest.fixture(scope="module")
def district(towns, tmp_path_factory, migrated_template):
    db = open_copy(migrated_template, tmp_path_factory.mktemp("district") / "district.db")
    with db.session_factory.begin() as s:  # the district knows its townships; one of them has nothing to report
        s.add(Organization(name="和平区劳动路街道劳动人事争议调解中心", kind="21", region_code="120101"))
    results = {short: run_import(db.session_factory, t[4], "cases", ImportOptions(today=TODAY)) for short, t in towns.items()}
    yield db, results
    db.engine.dispose()


def test_each_file_lands_under_its_sender(towns, district):
    db, results = district
    for short, (_tdb, _oid, uuid, name, path) in towns.items():
        r = results[short]
        assert r.committed and r.all_imported and r.added > 0, [p.message for p in r.problems if p.level == "error"]
        with db.session_factory() as s:
            org = s.scalar(select(Organization).where(Organization.uuid == uuid))
            assert org is not None and org.name == name  # created with the township's own uuid
            assert s.scalar(select(func.count()).select_from(Case).where(Case.organization_id == org.id)) == r.added
            sub = s.scalar(select(Submission).where(Submission.organization_uuid == uuid))
            assert sub.period == "2026Q2" and sub.file_name == path.name and sub.checksum_ok and sub.added == r.added


@pytest.mark.parametrize("period", PERIODS)
def test_district_figures_are_the_sum_of_the_townships(towns, district, period):
    db, _results = district
    total = None
    for _short, (tdb, oid, uuid, _name, _path) in towns.items():
        with tdb.session_factory() as s:
            (own,), _ = township_figures(s, period, [oid])
        with db.session_factory() as s:
            did = s.scalar(select(Organization.id).where(Organization.uuid == uuid))
            (merged,), _ = township_figures(s, period, [did])
        assert (own.received, own.accepted, own.closed, own.success, own.collective, own.workers, own.claim_fen,
                own.agreed_fen) == (merged.received, merged.accepted, merged.closed, merged.success, merged.collective,
                                    merged.workers, merged.claim_fen, merged.agreed_fen)
        if total is None:
            total = own
        else:
            total.add(own)
    with db.session_factory() as s:
        _rows, district_total = township_figures(s, period)
    assert (district_total.received, district_total.closed, district_total.success, district_total.agreed_fen) == (
        total.received, total.closed, total.success, total.agreed_fen)
    assert district_total.received > 0 or period.startswith("2026Q2")


def test_yearly_organization_figures_match(towns, district):
    """The organizations service's figures (entrusted cases, agreements sent for review …) survive the merge."""
    db, _ = district
    for _short, (tdb, oid, uuid, _name, _path) in towns.items():
        with tdb.session_factory() as s:
            own = year_figures(s, oid, [2024, 2025, 2026])
        with db.session_factory() as s:
            did = s.scalar(select(Organization.id).where(Organization.uuid == uuid))
            merged = year_figures(s, did, [2024, 2025, 2026])
        assert own == merged


def test_resent_file_updates_instead_of_copying(towns, district):
    db, _ = district
    with db.session_factory() as s:
        before = s.scalar(select(func.count()).select_from(Case))
    _tdb, _oid, _uuid, _name, path = towns["南市街道"]
    r = run_import(db.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert r.added == 0 and r.updated == 0 and r.unchanged > 0
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == before
        assert s.scalar(select(func.count()).select_from(Submission).where(Submission.file_name == path.name)) == 2


def test_board_received_nil_missing(towns, district, tmp_path):
    db, _ = district
    tdb, oid, *_ = towns["杨柳青镇"]
    nil = run_export("nil-report", ExportRequest(tdb.session_factory, tmp_path / "零上报.xlsx",
                                                 {"org": oid, "year": 2026, "quarter": 3, "today": date(2026, 10, 8)}))
    sub = register_nil_report(db.session_factory, nil)
    assert sub.nil and sub.period == "2026Q3"  # a true 零上报: the township's cases end on TODAY
    # a nil report is registered, not imported as data
    from app.services.importing import ImportFileError

    with pytest.raises(ImportFileError, match="零上报"):
        run_import(db.session_factory, nil, "cases", ImportOptions(today=TODAY))
    with db.session_factory() as s:
        board = submissions_board(s, "case-ledger", ["2026Q1", "2026Q2", "2026Q3"])
    rows = {row.name: row for row in board.rows}
    for _short, (_tdb, _oid, _uuid, name, path) in towns.items():
        cell = rows[name].cells["2026Q2"]
        assert cell.state == STATE_RECEIVED and cell.file_name == path.name
    assert rows[towns["杨柳青镇"][3]].cells["2026Q3"].state == STATE_NIL
    assert rows[towns["南市街道"][3]].cells["2026Q1"].state == STATE_MISSING
    quiet = rows["和平区劳动路街道劳动人事争议调解中心"]
    assert quiet.cells["2026Q1"].state == STATE_MISSING and quiet.cells["2026Q2"].state == STATE_MISSING
    assert board.count("2026Q2", STATE_RECEIVED) == 3 and rows[towns["南市街道"][3]].cells["2026Q2"].times == 2


def test_combined_outputs(district, tmp_path):
    db, results = district
    files = combined_outputs(db.session_factory, "2026Q2", tmp_path, region="和平区")
    assert set(files) == {"enterprise-roster", "case-ledger", "statistics-table"}
    assert all(p.exists() and p.stat().st_size > 0 for p in files.values())
    from app.exports.xlsx_engine import read_manifest

    m = read_manifest(files["case-ledger"])
    with db.session_factory() as s:
        n = s.scalar(select(func.count()).select_from(Case).where(Case.received_on.between(date(2026, 4, 1), date(2026, 6, 30))))
    assert int(m["row_count"]) == n

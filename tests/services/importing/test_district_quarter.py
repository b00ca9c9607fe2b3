"""A district's quarter, end to end: three townships (demo databases of different seeds) send their 2026Q2 ledgers —
one of them a 零上报, one ledger sent twice (the second time after an edit) — and the district imports everything,
twice and in different orders. The district's figures are the sum of the townships', the board shows who reported,
and nothing is duplicated."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

from app.demo import generate_demo
from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.exports.submissions import prepare_submission
from app.services.app_settings import success_close_types
from app.services.importing import ImportOptions, run_import
from app.services.importing.submissions import (
    STATE_MISSING,
    STATE_NIL,
    STATE_RECEIVED,
    period_range,
    register_nil_report,
    submissions_board,
    township_figures,
)
from app.services.nil_reports import count_period_records
from db.models import Case, Mediator, Organization, Submission
from db.session import open_database

QUARTER = "2026Q2"
LO, HI = period_range(QUARTER)
TODAY = date(2026, 6, 30)  # the demo databases' day
SENT = date(2026, 7, 8)  # the district's day
#: seed → (township, the demo's day): 杨柳青镇's database ends before the quarter, so it sends a 零上报
TOWNSHIPS = {21: ("南市街道", TODAY), 22: ("友谊路街道", TODAY), 23: ("杨柳青镇", date(2026, 3, 31))}
QUIET = "和平区劳动路街道劳动人事争议调解中心"  # known at the district, sends nothing
FIGURES = ("received", "accepted", "closed", "success", "collective", "workers", "claim_fen", "agreed_fen")


@pytest.fixture(scope="module")
def towns(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quarter")
    load_builtin_kinds()
    out = {}
    for seed, (short, day) in TOWNSHIPS.items():
        db = open_database(folder / f"town{seed}.db")
        generate_demo(db.session_factory, seed=seed, cases=300, today=day)
        with db.session_factory() as s:
            org = s.scalar(select(Organization).where(Organization.name.contains(short)))
            records = count_period_records(s, org.id, "case-ledger", QUARTER).total
            s.expunge(org)
        out[short] = {"db": db, "org": org, "records": records, "files": []}
    # the two busy townships send their quarter's ledger
    for short in ("南市街道", "友谊路街道"):
        t = out[short]
        t["files"].append(prepare_submission(t["db"].session_factory, "case-ledger", t["org"].id, QUARTER,
                                             folder / f"{short}{QUARTER}.xlsx", params={"full_info": True}))
    # 南市街道 closes a case after sending, and sends the quarter again
    t = out["南市街道"]
    with t["db"].session_factory.begin() as s:
        case = s.scalars(select(Case).where(Case.organization_id == t["org"].id, Case.received_on.between(LO, HI),
                                            Case.status.in_(("accepted", "mediating")), Case.accepted_on.is_not(None),
                                            Case.deleted_at.is_(None)).order_by(Case.id)).first()
        assert case is not None
        s.execute(update(Case).where(Case.id == case.id).values(
            status="closed", close_type="agreed", closed_on=max(case.accepted_on, case.received_on),
            agreed_amount_fen=123_400, claim_amount_fen=(case.claim_amount_fen or 0) + 50_000))
        t["edited"] = case.uuid
    (folder / "again").mkdir()
    t["files"].append(prepare_submission(t["db"].session_factory, "case-ledger", t["org"].id, QUARTER,
                                         folder / "again" / f"{'南市街道'}{QUARTER}.xlsx", params={"full_info": True}))
    # the quiet township has nothing in the quarter: a 零上报 (refused when untrue, so checked first)
    t = out["杨柳青镇"]
    if t["records"]:
        pytest.skip("the 零上报 township's demo database has records in the quarter")
    t["files"].append(run_export("nil-report", ExportRequest(t["db"].session_factory, folder / f"杨柳青镇{QUARTER}零上报.xlsx",
                                                            {"org": t["org"].id, "year": 2026, "quarter": 2, "today": SENT})))
    yield out
    for t in out.values():
        t["db"].engine.dispose()


def bring_in(db, path):
    from app.services.importing.manifest import read_file_manifest

    if read_file_manifest(path).nil:
        return register_nil_report(db.session_factory, path)
    result = run_import(db.session_factory, path, "cases", ImportOptions(today=SENT))
    assert result.committed and result.all_imported, [p.message for p in result.problems if p.level == "error"][:5]
    return result


def sent_figures(session, org_id: int) -> dict[str, int]:
    """The quarter's figures of what a township sent: its cases received in the quarter (the ledger's rows), with
    the definitions of :func:`township_figures`."""
    of = (Case.organization_id == org_id, Case.deleted_at.is_(None), Case.received_on.between(LO, HI))
    count = lambda *w: session.scalar(select(func.count()).select_from(Case).where(*of, *w)) or 0  # noqa: E731
    total = lambda col, *w: int(session.scalar(select(func.sum(col)).where(*of, *w)) or 0)  # noqa: E731
    accepted = Case.accepted_on.between(LO, HI)
    closed = Case.closed_on.between(LO, HI)
    settled = Case.close_type.in_(("agreed", "settled_withdrawn"))
    return {
        "received": count(),
        "accepted": count(accepted),
        "closed": count(closed, Case.close_type.is_not(None)),
        "success": count(closed, Case.close_type.in_(success_close_types(session))),
        "collective": count(accepted, Case.is_collective.is_(True)),
        "workers": total(Case.workers, accepted),
        "claim_fen": total(Case.claim_amount_fen, accepted),
        "agreed_fen": total(func.coalesce(Case.agreed_amount_fen, 0), closed, settled),
    }


def files_in(towns, order: list[tuple[str, int]]):
    return [towns[short]["files"][i] for short, i in order]


ORDERS = {
    # first pass, then everything again in another order (南市街道's corrected file last both times)
    "district-a": [[("南市街道", 0), ("友谊路街道", 0), ("杨柳青镇", 0), ("南市街道", 1)],
                   [("杨柳青镇", 0), ("友谊路街道", 0), ("南市街道", 0), ("南市街道", 1)]],
    "district-b": [[("杨柳青镇", 0), ("友谊路街道", 0), ("南市街道", 0), ("南市街道", 1)],
                   [("南市街道", 1), ("友谊路街道", 0), ("杨柳青镇", 0)]],
}


@pytest.fixture(scope="module", params=list(ORDERS))
def district(request, towns, tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp(request.param) / "district.db")
    with db.session_factory.begin() as s:
        s.add(Organization(name=QUIET, kind="21", region_code="120101"))
    passes = []
    for order in ORDERS[request.param]:
        passes.append([bring_in(db, f) for f in files_in(towns, order)])
    yield db, passes
    db.engine.dispose()


def district_org(db, uuid: str) -> int:
    with db.session_factory() as s:
        return s.scalar(select(Organization.id).where(Organization.uuid == uuid))


def test_figures_are_the_sum_of_the_townships(towns, district):
    db, _ = district
    expected = dict.fromkeys(FIGURES, 0)
    for short, t in towns.items():
        with t["db"].session_factory() as s:
            own = sent_figures(s, t["org"].id)
            (theirs,), _ = township_figures(s, QUARTER, [t["org"].id])
        assert own["received"] == theirs.received  # the ledger holds every case received in the quarter
        oid = district_org(db, t["org"].uuid)
        assert oid is not None, short
        with db.session_factory() as s:
            (merged,), _ = township_figures(s, QUARTER, [oid])
        assert {k: getattr(merged, k) for k in FIGURES} == own, short
        for k in FIGURES:
            expected[k] += own[k]
    with db.session_factory() as s:
        _rows, total = township_figures(s, QUARTER)
    assert {k: getattr(total, k) for k in FIGURES} == expected
    assert expected["received"] > 0 and expected["closed"] > 0


def test_the_corrected_file_wins(towns, district):
    db, passes = district
    t = towns["南市街道"]
    with t["db"].session_factory() as s:
        own = s.scalar(select(Case).where(Case.uuid == t["edited"]))
        own = (own.status, own.close_type, own.closed_on, own.agreed_amount_fen, own.claim_amount_fen)
    with db.session_factory() as s:
        there = s.scalar(select(Case).where(Case.uuid == t["edited"]))
        assert (there.status, there.close_type, there.closed_on, there.agreed_amount_fen, there.claim_amount_fen) == own
    # the first time a township's corrected file arrives it updates, and adds nothing
    first_pass = passes[0]
    corrected = first_pass[-1]
    assert corrected.added == 0 and corrected.updated >= 1


def test_nothing_is_duplicated(towns, district):
    db, passes = district
    sent = sum(sent_count(t) for t in towns.values())
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == sent
        assert s.scalar(select(func.count(func.distinct(Case.uuid)))) == sent
        # one organization per township, under its own uuid; mediators once per organization and name
        for t in towns.values():
            assert s.scalar(select(func.count()).select_from(Organization).where(Organization.uuid == t["org"].uuid)) == 1
        assert s.scalar(select(func.count()).select_from(Organization).where(Organization.name == QUIET)) == 1
        names = s.execute(select(Mediator.organization_id, Mediator.name, func.count()).group_by(
            Mediator.organization_id, Mediator.name).having(func.count() > 1)).all()
        assert names == []
    for result in passes[1]:  # the second pass adds nothing
        assert getattr(result, "added", 0) == 0


def sent_count(t) -> int:
    with t["db"].session_factory() as s:
        return s.scalar(select(func.count()).select_from(Case).where(
            Case.organization_id == t["org"].id, Case.deleted_at.is_(None), Case.received_on.between(LO, HI)))


def test_the_board_shows_who_reported(towns, district):
    db, _ = district
    with db.session_factory() as s:
        board = submissions_board(s, "case-ledger", ["2026Q1", QUARTER])
        sent = {short: s.scalar(select(func.count()).select_from(Submission).where(
            Submission.organization_uuid == t["org"].uuid, Submission.period == QUARTER)) for short, t in towns.items()}
    rows = {r.name: r for r in board.rows}
    nanshi, youyi, yangliu = (towns[k]["org"].name for k in ("南市街道", "友谊路街道", "杨柳青镇"))
    assert rows[nanshi].cells[QUARTER].state == STATE_RECEIVED
    assert rows[nanshi].cells[QUARTER].times == sent["南市街道"] >= 3
    assert rows[youyi].cells[QUARTER].state == STATE_RECEIVED and rows[youyi].cells[QUARTER].times == 2
    assert rows[yangliu].cells[QUARTER].state == STATE_NIL
    assert rows[QUIET].cells[QUARTER].state == STATE_MISSING
    assert all(rows[n].cells["2026Q1"].state == STATE_MISSING for n in (nanshi, youyi, yangliu, QUIET))
    assert board.count(QUARTER, STATE_RECEIVED) == 2 and board.count(QUARTER, STATE_NIL) == 1
    assert rows[nanshi].cells[QUARTER].record_count == sent_count(towns["南市街道"])

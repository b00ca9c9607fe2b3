"""A case ledger of several organizations imports back: into the same database (nothing changes, the wizard's choice
of one organization moves nothing), into an empty one (every case under its own organization, organization by
organization equal to the source), into another district's (organizations matched by name and region code, or
created). GUI messages never name command-line options; the command line does."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from app.demo import generate_demo
from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.exports.xlsx_engine import read_manifest
from app.services.importing import ImportOptions, build_preview, load_sheet, run_import
from app.services.importing.command import import_command
from db.base import Base
from db.models import Case, Mediator, Organization
from db.session import open_database
from tests.import_helpers import save

TODAY = date(2026, 6, 30)
YEAR = {"year": 2026}


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    opened = open_database(tmp_path_factory.mktemp("orgs-src") / "src.db")
    generate_demo(opened.session_factory, seed=5, cases=900, today=TODAY)
    load_builtin_kinds()
    yield opened
    opened.engine.dispose()


def export(db, out, **params):
    return run_export("case-ledger", ExportRequest(db.session_factory, out, params))


def data_rows(path) -> dict[str, tuple]:
    """uuid → the visible cells of each data row (序号 left out; the 合计 row, which has no uuid, too)."""
    m = read_manifest(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        out = {}
        ws, start = wb[m["sheet"]], int(m["data_start_row"])
        header = list(next(ws.iter_rows(min_row=start - 1, max_row=start - 1, values_only=True)))
        u = header.index("记录标识")  # the hidden 其他申请人 columns follow it
        for r in ws.iter_rows(min_row=start, values_only=True):
            if any(v is not None for v in r) and r[u] is not None:
                out[r[u]] = tuple(r[1:u]) + tuple(r[u + 1:])
        return out
    finally:
        wb.close()


def orgs(db) -> dict[str, tuple]:
    """uuid → (id, name, region code, street code, kind)."""
    with db.session_factory() as s:
        return {u: (i, n, r, st, k) for i, u, n, r, st, k in s.execute(select(
            Organization.id, Organization.uuid, Organization.name, Organization.region_code, Organization.street_code,
            Organization.kind))}


def table_counts(db) -> dict[str, int]:
    with db.session_factory() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
                if t.name not in ("app_settings", "submissions", "audit_log")}


def case_orgs(db) -> dict[str, int]:
    with db.session_factory() as s:
        return dict(s.execute(select(Case.uuid, Case.organization_id)).all())


@pytest.fixture(scope="module")
def ledgers(src, tmp_path_factory):
    folder = tmp_path_factory.mktemp("orgs-files")
    full = export(src, folder / "2026年台账（完整）.xlsx", full_info=True, **YEAR)
    masked = export(src, folder / "2026年台账.xlsx", **YEAR)
    return full, masked


def ledger_header(path) -> list[str]:
    m = read_manifest(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(next(wb[m["sheet"]].iter_rows(min_row=int(m["data_start_row"]) - 1, values_only=True)))
    finally:
        wb.close()


def test_the_ledger_names_every_organization(src, ledgers):
    full, _ = ledgers
    m = read_manifest(full)
    header = ledger_header(full)
    assert "调解组织" in header
    named = {row[header.index("调解组织") - 1] for row in data_rows(full).values()}
    with src.session_factory() as s:
        expected = set(s.scalars(select(Organization.name).join(Case, Case.organization_id == Organization.id)
                                 .where(Case.received_on >= date(2026, 1, 1), Case.deleted_at.is_(None))))
    assert named == expected and len(named) > 3
    assert '"uuid"' in m["organizations"] and '"region_code"' in m["organizations"]


@pytest.mark.parametrize("which", [0, 1], ids=["full", "masked"])
def test_same_database_changes_nothing(src, ledgers, which):
    path = ledgers[which]
    counts, where = table_counts(src), case_orgs(src)
    r = run_import(src.session_factory, path, "cases", ImportOptions(today=TODAY))
    n = len(data_rows(path))
    assert r.committed and r.all_imported, [p.message for p in r.problems if p.level == "error"][:5]
    assert (r.added, r.updated, r.unchanged) == (0, 0, n) and n > 100
    assert "新增 0 条，更新 0 条" in r.summary() and f"无变化 {n} 条" in r.summary()
    assert table_counts(src) == counts and case_orgs(src) == where


def test_choosing_one_organization_moves_no_row(src, ledgers):
    """The wizard's choice applies to rows that name no organization; these rows all name theirs."""
    path = ledgers[0]
    counts, where = table_counts(src), case_orgs(src)
    with src.session_factory() as s:
        chosen = s.scalar(select(Organization.id).order_by(Organization.id))
        mediators = s.scalar(select(func.count()).select_from(Mediator).where(Mediator.organization_id == chosen))
    r = run_import(src.session_factory, path, "cases", ImportOptions(today=TODAY, organization=chosen))
    assert (r.added, r.updated) == (0, 0) and r.all_imported
    assert table_counts(src) == counts and case_orgs(src) == where
    with src.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Mediator).where(Mediator.organization_id == chosen)) == mediators


def test_empty_database_every_case_under_its_own_organization(src, ledgers, tmp_path):
    full, _ = ledgers
    dst = open_database(tmp_path / "empty.db")
    try:
        r = run_import(dst.session_factory, full, "cases", ImportOptions(today=TODAY))
        assert r.committed and r.all_imported and r.added == len(data_rows(full))
        src_orgs, dst_orgs = orgs(src), orgs(dst)
        # the organizations come over as they were: uuid, name, region and street codes, kind
        assert {u: v[1:] for u, v in dst_orgs.items()} == {u: src_orgs[u][1:] for u in dst_orgs}
        assert r.created.get("调解组织") == len(dst_orgs)
        # every case where it was
        src_where, dst_where = case_orgs(src), case_orgs(dst)
        src_uuid = {v[0]: u for u, v in src_orgs.items()}
        dst_uuid = {v[0]: u for u, v in dst_orgs.items()}
        assert {c: dst_uuid[o] for c, o in dst_where.items()} == {c: src_uuid[src_where[c]] for c in dst_where}
        # organization by organization, the ledger exported again is the source's
        for org_uuid, (dst_id, name, *_rest) in dst_orgs.items():
            before = data_rows(export(src, tmp_path / f"src-{dst_id}.xlsx", org=src_orgs[org_uuid][0], full_info=True, **YEAR))
            after = data_rows(export(dst, tmp_path / f"dst-{dst_id}.xlsx", org=dst_id, full_info=True, **YEAR))
            assert before == after, name
        # mediators were created under their own organization only: those its rows name
        header = ledger_header(full)
        org_col, med_col = header.index("调解组织") - 1, header.index("调解员") - 1
        named = {(row[org_col], name.removesuffix("（主办）")) for row in data_rows(full).values() if row[med_col]
                 for name in row[med_col].split("、")}
        with dst.session_factory() as s:
            made = set(s.execute(select(Organization.name, Mediator.name).join(
                Organization, Organization.id == Mediator.organization_id)).all())
        assert made == named and len(named) > 5
        again = run_import(dst.session_factory, full, "cases", ImportOptions(today=TODAY))
        assert (again.added, again.updated) == (0, 0)
    finally:
        dst.engine.dispose()


def test_another_district_matches_by_name_and_region(src, ledgers, tmp_path):
    full, _ = ledgers
    src_orgs = orgs(src)
    by_name = {v[1]: (u, v) for u, v in src_orgs.items()}
    town = "和平区南市街道劳动人事争议调解中心"
    clash = "河西区友谊路街道劳动人事争议调解中心"
    dst = open_database(tmp_path / "district.db")
    try:
        with dst.session_factory.begin() as s:
            # the same township, entered by hand at the district (its own uuid, the same region code)
            s.add(Organization(name=town, kind="21", region_code=by_name[town][1][2]))
            # an organization of the same name in another region: not the sender's
            s.add(Organization(name=clash, kind="21", region_code="130102"))
        r = run_import(dst.session_factory, full, "cases", ImportOptions(today=TODAY))
        assert r.committed and r.all_imported
        with dst.session_factory() as s:
            mine = s.scalar(select(Organization).where(Organization.name == town))
            n_town = sum(1 for row in data_rows(full).values() if row[1] == town)
            assert s.scalar(select(func.count()).select_from(Case).where(Case.organization_id == mine.id)) == n_town > 0
            two = s.scalars(select(Organization).where(Organization.name == clash).order_by(Organization.id)).all()
            assert len(two) == 2 and two[1].uuid == by_name[clash][0] and two[1].region_code == by_name[clash][1][2]
            assert s.scalar(select(func.count()).select_from(Case).where(Case.organization_id == two[0].id)) == 0
    finally:
        dst.engine.dispose()


def test_rows_naming_another_organization_are_never_moved(src, tmp_path):
    """A township's own ledger with a 调解组织 column: blank rows take the chosen organization, named rows theirs."""
    with src.session_factory() as s:
        first, second = s.execute(select(Organization.id, Organization.name).order_by(Organization.id).limit(2)).all()
    path = save([
        ["调解组织", "收到申请日期", "申请人", "被申请人", "争议类型"],
        [None, "2026-05-06", "甲某", "天津某某科技有限公司", "劳动报酬"],
        [second[1], "2026-05-07", "乙某", "天津某某科技有限公司", "劳动报酬"],
    ], tmp_path / "mixed.xlsx")
    preview = build_preview(src.session_factory, load_sheet(path, "cases"), ImportOptions(today=TODAY, organization=first[0]))
    assert [r.scratch["org"].id for r in preview.rows] == [first[0], second[0]]


def test_no_organization_gui_message_and_cli_hint(tmp_path):
    """Two organizations, none chosen, none named: the row is refused; only the command line names --org."""
    db = open_database(tmp_path / "two.db")
    try:
        with db.session_factory.begin() as s:
            s.add_all([Organization(name="甲街道调解中心", kind="21"), Organization(name="乙街道调解中心", kind="21")])
        path = save([["收到申请日期", "申请人", "被申请人", "争议类型"],
                     ["2026-05-06", "甲某", "天津某某科技有限公司", "劳动报酬"]], tmp_path / "plain.xlsx")
        preview = build_preview(db.session_factory, load_sheet(path, "cases"), ImportOptions(today=TODAY))
        messages = [p.message for p in preview.problems]
        assert any("调解组织" in m for m in messages) and not any("--" in m or "命令行" in m for m in messages)
        out, err = io.StringIO(), io.StringIO()
        code = import_command(db.session_factory, "cases", path, out=out, err=err)
        assert code == 1 and "（命令行用 --org）" in err.getvalue()
    finally:
        db.engine.dispose()

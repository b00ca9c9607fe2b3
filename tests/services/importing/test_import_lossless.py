"""Imports lose nothing silently: every applicant of a case goes through the ledger and back (the hidden 其他申请人
columns), a hand-made 「张三、李四」 makes two applicants, an applicant the file leaves out is kept and said, a
CSV cell longer than Python's default csv limit is read, and a blank cell under a merged one says so."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.exports.xlsx_engine import read_manifest
from app.services.importing import ImportOptions, run_import
from db.models import Case, CaseParty
from tests.helpers import migrated_copy, open_copy
from tests.import_helpers import ID_A, ID_B, ID_C, TOWN, fresh_db, save

TODAY = date(2026, 6, 30)


def applicants(db) -> dict[str, list[tuple]]:
    """case uuid → its applicants (name, ID number, phone, representative) in the ledger's order."""
    out: dict[str, list[tuple]] = {}
    with db.session_factory() as s:
        stmt = (select(Case.uuid, CaseParty.name, CaseParty.id_number, CaseParty.phone, CaseParty.is_representative)
                .join(CaseParty, CaseParty.case_id == Case.id)
                .where(CaseParty.role == "applicant", Case.deleted_at.is_(None))
                .order_by(Case.uuid, CaseParty.is_representative.desc(), CaseParty.sort_order, CaseParty.id))
        for uuid, *person in s.execute(stmt):
            out.setdefault(uuid, []).append(tuple(person))
    return out


@pytest.fixture(scope="module")
def trip(tmp_path_factory, demo_template):
    """A demo database, its ledger with full information, and that ledger imported into an empty database."""
    folder = tmp_path_factory.mktemp("lossless")
    src = open_copy(demo_template(seed=3, cases=240, today=TODAY), folder / "src.db")
    load_builtin_kinds()
    path = run_export("case-ledger", ExportRequest(src.session_factory, folder / "ledger.xlsx", {"full_info": True}))
    dst = migrated_copy(folder / "dst.db")
    result = run_import(dst.session_factory, path, "cases", ImportOptions(today=TODAY))
    yield src, dst, path, result, folder
    src.engine.dispose()
    dst.engine.dispose()


def test_every_applicant_goes_through_the_ledger(trip):
    src, dst, _path, result, _ = trip
    assert result.committed and result.all_imported
    before, after = applicants(src), applicants(dst)
    several = [u for u, people in before.items() if len(people) > 1]
    assert len(several) >= 5  # the demo has cases with several applicants
    assert sum(len(p) for p in after.values()) == sum(len(p) for p in before.values())
    assert after == before


def test_importing_again_changes_nothing(trip):
    _src, dst, path, _result, _ = trip
    with dst.session_factory() as s:
        parties = s.scalar(select(func.count()).select_from(CaseParty))
    again = run_import(dst.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert (again.added, again.updated) == (0, 0)
    assert not any("其他申请人" in p.message for p in again.problems)
    with dst.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(CaseParty)) == parties


def test_masked_ledger_changes_nothing(trip):
    src, dst, _path, _result, folder = trip
    masked = run_export("case-ledger", ExportRequest(src.session_factory, folder / "masked.xlsx", {}))
    m = read_manifest(masked)
    wb = openpyxl.load_workbook(masked, read_only=True)
    ws = wb[m["sheet"]]
    start = int(m["data_start_row"])
    header = list(next(ws.iter_rows(min_row=start - 1, max_row=start - 1, values_only=True)))
    col = header.index("其他申请人身份证号")
    ids = [r[col] for r in ws.iter_rows(min_row=start, values_only=True) if r[col]]
    wb.close()
    assert ids and all("*" in i for i in ids)
    before = applicants(dst)
    r = run_import(dst.session_factory, masked, "cases", ImportOptions(today=TODAY))
    assert (r.added, r.updated) == (0, 0)
    assert applicants(dst) == before


@pytest.fixture
def town(tmp_path):
    opened = fresh_db(tmp_path / "town.db")
    yield opened
    opened.engine.dispose()


HEAD = ["收到申请日期", "申请人", "申请人身份证号", "被申请人", "争议类型"]


def test_hand_made_names_make_two_applicants(town, tmp_path):
    path = save([[*HEAD, "其他申请人身份证号"], ["2026-03-02", "张三、李四", ID_A, "天津甲乙餐饮管理有限公司", "工资", ID_B]],
                tmp_path / "two.xlsx")
    r = run_import(town.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert r.committed and r.added == 1, [p.message for p in r.problems]
    with town.session_factory() as s:
        case = s.scalar(select(Case))
        apps = sorted((p for p in case.parties if p.role == "applicant"), key=lambda p: p.sort_order)
        assert [(p.name, p.id_number) for p in apps] == [("张三", ID_A), ("李四", ID_B)]
        assert apps[1].gender == "女" and case.workers == 2
        assert ID_B in case.search_text


def test_more_numbers_than_names_is_an_error(town, tmp_path):
    path = save([[*HEAD, "其他申请人", "其他申请人身份证号"],
                 ["2026-03-02", "张三", ID_A, "天津甲乙餐饮管理有限公司", "工资", "李四", f"{ID_B}、{ID_C}"]],
                tmp_path / "bad.xlsx")
    r = run_import(town.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert r.added == 0
    assert any("有2个号码，多于1个申请人" in p.message for p in r.problems)


def test_names_alone_make_two_applicants(town, tmp_path):
    path = save([["收到申请日期", "申请人", "被申请人"], ["2026-03-02", "张三、李四", "天津甲乙餐饮管理有限公司"]],
                tmp_path / "names.xlsx")
    r = run_import(town.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert r.added == 1
    with town.session_factory() as s:
        assert sorted(s.scalars(select(CaseParty.name).where(CaseParty.role == "applicant"))) == ["张三", "李四"]


def test_a_left_out_applicant_is_kept_and_said(town, tmp_path):
    head = ["案号", *HEAD, "其他申请人", "其他申请人身份证号"]
    first = save([head, ["2026-001", "2026-03-02", "张三", ID_A, "天津甲乙餐饮管理有限公司", "工资", "李四、王五",
                         f"{ID_B}、{ID_C}"]], tmp_path / "first.xlsx")
    assert run_import(town.session_factory, first, "cases", ImportOptions(today=TODAY)).added == 1
    second = save([head, ["2026-001", "2026-03-02", "张三", ID_A, "天津甲乙餐饮管理有限公司", "工资", "王五（代表）",
                          ID_C]], tmp_path / "second.xlsx")
    r = run_import(town.session_factory, second, "cases", ImportOptions(today=TODAY))
    assert r.updated == 1
    assert any("李四" in p.message and "保留" in p.message for p in r.problems)
    with town.session_factory() as s:
        names = s.scalars(select(CaseParty.name).where(CaseParty.role == "applicant")
                          .order_by(CaseParty.is_representative.desc(), CaseParty.sort_order)).all()
        assert names == ["王五", "张三", "李四"]  # the representative first, nobody removed


def test_a_cut_list_is_said(town, tmp_path):
    head = [*HEAD, "其他申请人"]
    path = save([head, ["2026-03-02", "张三", ID_A, "天津甲乙餐饮管理有限公司", "工资", "李四、……另有3人未列出"]],
                tmp_path / "cut.xlsx")
    r = run_import(town.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert r.added == 1
    assert any("另有3人未列在文件中" in p.message for p in r.problems)
    with town.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(CaseParty).where(CaseParty.role == "applicant")) == 2


def test_csv_cell_over_the_default_limit(town, tmp_path):
    long = "拖欠工资" * 40_000  # 160,000 characters: over csv's default 131,072
    path = tmp_path / "long.csv"
    path.write_text("收到申请日期,申请人,被申请人,争议类型,请求事项摘要\n"
                    f"2026-03-02,张三,天津甲乙餐饮管理有限公司,工资,{long}\n", encoding="utf-8")
    r = run_import(town.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert r.added == 1, [p.message for p in r.problems]
    with town.session_factory() as s:
        assert len(s.scalar(select(Case.claims_summary))) == len(long)


def test_blank_cell_under_a_merged_one_says_so(town, tmp_path):
    path = save([HEAD, ["2026-03-02", "张三", ID_A, "天津甲乙餐饮管理有限公司", "工资"],
                 ["2026-03-03", "李四", ID_B, None, "工资"]], tmp_path / "merged.xlsx", merges=["D2:D3"])
    r = run_import(town.session_factory, path, "cases", ImportOptions(today=TODAY))
    msgs = [p.message for p in r.problems if p.row == 3]
    assert any("被申请人：不能为空" in m and "合并单元格" in m for m in msgs), msgs
    assert TOWN

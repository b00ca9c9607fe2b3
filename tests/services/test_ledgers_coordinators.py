"""劳动关系协调员台账 (issue 17 step 3): certificate levels, trainings, 金牌 per year, the pool as of a date, the
XLSX export and its import (round trip with 0 changes)."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.exports.xlsx_engine import read_manifest
from app.services.importing import ImportOptions, run_import
from app.services.ledgers import (
    CoordinatorInput,
    add_training,
    cert_level_counts,
    list_coordinators,
    pool_on,
    save_coordinator,
    set_gold,
)
from app.services.validation import ValidationError, id_check_char
from db.models import Coordinator, CoordinatorGold
from db.session import open_database

TODAY = date(2023, 9, 1)


def idn(body17: str) -> str:
    return body17 + id_check_char(body17)


@pytest.fixture
def db(tmp_path):
    opened = open_database(tmp_path / "coord.db")
    load_builtin_kinds()
    with opened.session_factory.begin() as s:
        a = save_coordinator(s, CoordinatorInput("王丽", idn("22010219850312002"), unit="长春某汽车零部件有限公司",
                                                 unit_type="企业", post="人力资源部经理", phone="13904310001",
                                                 cert_level="三级", cert_no="2021000301", cert_date=date(2021, 6, 1),
                                                 cert_issuer="吉林省职业技能鉴定中心", joined_on=date(2021, 1, 1)), user="t")
        b = save_coordinator(s, CoordinatorInput("李强", idn("22010319800101001"), unit="某街道劳动保障所",
                                                 unit_type="乡镇（街道）", phone="0431-85550001", joined_on=date(2020, 5, 1),
                                                 left_on=date(2022, 12, 31)), user="t")
        save_coordinator(s, CoordinatorInput("赵敏", unit="市总工会", unit_type="工会", cert_level="二级",
                                             cert_no="2022000201", joined_on=date(2023, 3, 1)), user="t")
        add_training(s, a.id, date(2022, 4, 1), "劳动关系协调员三级培训", organizer="省人社厅", minutes=960)
        set_gold(s, a.id, 2022, recommended_by="长春市三方办")
        set_gold(s, a.id, 2023, recommended_by="长春市三方办", selected=True)
        set_gold(s, b.id, 2021)
    yield opened
    opened.engine.dispose()


def test_pool_as_of_a_date(db):
    with db.session_factory() as s:
        assert {c.name for c in pool_on(s, date(2022, 6, 1))} == {"王丽", "李强"}
        assert {c.name for c in pool_on(s, TODAY)} == {"王丽", "赵敏"}
        assert {c.name for c in pool_on(s, date(2020, 1, 1))} == set()
        assert len(list_coordinators(s)) == 3
        counts = cert_level_counts(s, TODAY)
        assert counts["三级"] == 1 and counts["二级"] == 1 and counts["未取得"] == 0
        wang = next(c for c in list_coordinators(s) if c.name == "王丽")
        assert wang.gender == "女" and wang.training_minutes == 960
        assert wang.gold_years == (2022, 2023) and wang.selected_years == (2023,)


def test_checks(db):
    with pytest.raises(ValidationError, match="证书等级"), db.session_factory.begin() as s:
        save_coordinator(s, CoordinatorInput("甲", cert_level="六级"))
    with pytest.raises(ValidationError, match="证书等级"), db.session_factory.begin() as s:
        save_coordinator(s, CoordinatorInput("乙", cert_no="123"))
    with pytest.raises(ValidationError, match="身份证号"), db.session_factory.begin() as s:
        save_coordinator(s, CoordinatorInput("丙", idn("22010219850312002")))  # already registered


def data_rows(path):
    m = read_manifest(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = wb[m["sheet"]]
        return {r[-1]: tuple(r[1:-1]) for r in ws.iter_rows(min_row=int(m["data_start_row"]), values_only=True)
                if any(v is not None for v in r)}
    finally:
        wb.close()


def test_export_import_round_trip(db, tmp_path):
    out = run_export("coordinator-ledger", ExportRequest(db.session_factory, tmp_path / "c.xlsx",
                                                         {"as_of": TODAY, "include_left": True, "full_info": True}))
    rows = data_rows(out)
    assert len(rows) == 3
    wang = next(v for v in rows.values() if v[0] == "王丽")
    assert wang[7] == "三级" and wang[15] == "2022、2023（入选）" and wang[13] == 1
    assert next(v for v in rows.values() if v[0] == "李强")[7] == "未取得"
    # the pool on a date by default
    pool = data_rows(run_export("coordinator-ledger", ExportRequest(db.session_factory, tmp_path / "p.xlsx", {"as_of": TODAY})))
    assert {v[0] for v in pool.values()} == {"王丽", "赵敏"}
    assert all("*" in (v[2] or "*") for v in pool.values())  # masked by default
    # read back into the same database: nothing changes
    again = run_import(db.session_factory, out, "coordinators", ImportOptions(today=TODAY))
    assert again.committed and (again.added, again.updated, again.unchanged) == (0, 0, 3)
    # into an empty database: the same records, exported again the same (training totals are not imported)
    dst = open_database(tmp_path / "dst.db")
    r = run_import(dst.session_factory, out, "coordinators", ImportOptions(today=TODAY))
    assert r.committed and r.added == 3, [p.message for p in r.problems]
    back = data_rows(run_export("coordinator-ledger", ExportRequest(dst.session_factory, tmp_path / "b.xlsx",
                                                                    {"as_of": TODAY, "include_left": True, "full_info": True})))
    strip = {k: v[:13] + v[15:] for k, v in rows.items()}
    assert {k: v[:13] + v[15:] for k, v in back.items()} == strip
    with dst.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(CoordinatorGold)) == 3
    r2 = run_import(dst.session_factory, out, "coordinators", ImportOptions(today=TODAY))
    assert (r2.added, r2.updated, r2.unchanged) == (0, 0, 3)
    # a masked copy matches by name and unit and never overwrites the full numbers
    masked = run_export("coordinator-ledger", ExportRequest(db.session_factory, tmp_path / "m.xlsx", {"as_of": TODAY}))
    wb = openpyxl.load_workbook(masked)
    ws = wb[read_manifest(masked)["sheet"]]
    for row in ws.iter_rows(min_row=int(read_manifest(masked)["data_start_row"])):
        row[-1].value = None  # no 记录标识
    wb.save(masked)
    r3 = run_import(dst.session_factory, masked, "coordinators", ImportOptions(today=TODAY))
    assert r3.committed and (r3.added, r3.updated) == (0, 0)
    with dst.session_factory() as s:
        assert s.scalar(select(Coordinator.id_number).where(Coordinator.name == "王丽")) == idn("22010219850312002")
    dst.engine.dispose()

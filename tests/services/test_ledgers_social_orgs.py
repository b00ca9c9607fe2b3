"""协调劳动关系社会组织台账 (issue 17 step 4): credit codes checked, services, surveys, purchased-service projects,
figures by industry and size, XLSX export and import (round trip with 0 changes)."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.exports.xlsx_engine import read_manifest
from app.services.importing import ImportOptions, run_import
from app.services.ledgers import (
    SocialOrgInput,
    add_project,
    add_survey,
    list_social_orgs,
    save_social_org,
    social_org_figures,
)
from app.services.validation import ValidationError, uscc_check_char
from db.session import open_database

TODAY = date(2023, 9, 1)


def code(body17: str) -> str:
    return body17 + uscc_check_char(body17)


@pytest.fixture
def db(tmp_path):
    opened = open_database(tmp_path / "so.db")
    load_builtin_kinds()
    with opened.session_factory.begin() as s:
        a = save_social_org(s, SocialOrgInput("长春市劳动关系协会", code("51220100MJY000001"), kind="社会团体", size="小型",
                                              industry="制造业", staff=12, services=("法律政策咨询", "劳动纠纷调解"),
                                              phone="0431-88880001"), user="t")
        b = save_social_org(s, SocialOrgInput("朝阳区和谐劳动服务中心", code("52220104MJY000002"), kind="社会服务机构",
                                              size="微", industry="制造业", staff=5, services=("心理疏导",)), user="t")
        save_social_org(s, SocialOrgInput("某律师事务所", kind="律师事务所", size="小", industry="租赁和商务服务业", staff=20,
                                          services=("劳动用工服务", "薪酬分配指导", "其他")), user="t")
        add_survey(s, a.id, date(2023, 6, 1), 4, respondent="某汽车配件公司")
        add_survey(s, a.id, date(2023, 6, 2), 3)
        add_project(s, a.id, 2023, "小微企业劳动用工体检", buyer="长春市人社局", amount_fen=12_000_000, service="employment")
        add_project(s, b.id, 2023, "职工心理疏导服务", amount_fen=3_000_000, service="心理疏导")
    yield opened
    opened.engine.dispose()


def test_credit_code_is_checked(db):
    bad = code("51220100MJY000009")[:-1] + ("0" if code("51220100MJY000009")[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="统一社会信用代码"), db.session_factory.begin() as s:
        save_social_org(s, SocialOrgInput("某协会", bad))
    with pytest.raises(ValidationError, match="提供服务"), db.session_factory.begin() as s:
        save_social_org(s, SocialOrgInput("某协会", services=("打官司",)))


def test_rows_and_figures(db):
    with db.session_factory() as s:
        rows = {r.name: r for r in list_social_orgs(s)}
        a = rows["长春市劳动关系协会"]
        assert a.services == ("consult", "mediation") and a.survey_average == 3.5 and a.project_amount_fen == 12_000_000
        figures = social_org_figures(s)
    ind = {f.label: f for f in figures["industry"]}
    assert ind["制造业"].orgs == 2 and ind["制造业"].staff == 17 and ind["制造业"].services["psych"] == 1
    size = {f.label: f for f in figures["size"]}
    assert size["小型"].orgs == 2 and size["微型"].orgs == 1
    assert [f.label for f in figures["size"]] == ["小型", "微型"]


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
    out = run_export("social-org-ledger", ExportRequest(db.session_factory, tmp_path / "s.xlsx",
                                                        {"as_of": TODAY, "full_info": True}))
    rows = data_rows(out)
    assert len(rows) == 3
    assert next(v for v in rows.values() if v[0] == "长春市劳动关系协会")[6] == "法律政策咨询、劳动纠纷调解"
    again = run_import(db.session_factory, out, "social-orgs", ImportOptions(today=TODAY))
    assert again.committed and (again.added, again.updated, again.unchanged) == (0, 0, 3)
    dst = open_database(tmp_path / "dst.db")
    r = run_import(dst.session_factory, out, "social-orgs", ImportOptions(today=TODAY))
    assert r.committed and r.added == 3, [p.message for p in r.problems]
    back = data_rows(run_export("social-org-ledger", ExportRequest(dst.session_factory, tmp_path / "b.xlsx",
                                                                   {"as_of": TODAY, "full_info": True})))
    assert {k: v[:11] + v[15:] for k, v in back.items()} == {k: v[:11] + v[15:] for k, v in rows.items()}
    dst.engine.dispose()
    fig = run_export("social-org-figures", ExportRequest(db.session_factory, tmp_path / "f.xlsx", {"as_of": TODAY}))
    m = read_manifest(fig)
    wb = openpyxl.load_workbook(fig, read_only=True)
    frows = [r for r in wb[m["sheet"]].iter_rows(min_row=int(m["data_start_row"]), values_only=True) if r[0]]
    wb.close()
    assert ("分行业", "制造业", 2, 17) in [r[:4] for r in frows]
    assert ("分规模", "小型", 2, 32) in [r[:4] for r in frows]

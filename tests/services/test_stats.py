"""The statistics service against a small database whose every figure is counted by hand.

Cases (org A = 乡镇 kind 21 in 120101, org B = 仲裁院调解中心 kind 51 in 120105, org C = 企业调委会, no cases):

====  ===  ==========  ==========  ==========  =================  ==========  =======  =====================
case  org  received    accepted    closed      type               due         workers  notes
====  ===  ==========  ==========  ==========  =================  ==========  =======  =====================
1     A    2024-12-20  2024-12-23  2025-01-10  agreed             2025-01-04  1        late; fully performed
2     A    2025-01-06  2025-01-07  2025-01-15  agreed             2025-01-21  12       collective; arbitration
3     A    2025-02-03  2025-02-04  2025-02-28  settled_withdrawn  2025-03-05  2        extended: on time
4     A    2025-03-25  2025-03-26  2025-04-08  failed             2025-04-09  1        closed in the next quarter
5     A    2025-03-28  —           —           rejected 03-31     —           1
6     B    2025-02-10  2025-02-11  2025-02-20  withdrawn          2025-02-25  1        source court
7     B    2025-03-03  2025-03-04  2025-03-10  terminated         2025-03-18  10       collective
8     B    2025-03-30  —           —           (registered)       —           1
9     B    2025-03-14  2025-03-17  —           (mediating)        2025-03-29  3
10    A    2025-01-08  2025-01-08  2025-01-09  agreed (deleted)   2025-01-23  1        left out everywhere
11    A    2025-05-06  2025-05-06  2025-05-12  agreed             2025-05-21  1        fully performed
====  ===  ==========  ==========  ==========  =================  ==========  =======  =====================
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.services import organizations as orgs
from app.services import stats
from app.services.stats import Period, Scope
from db.models import (
    Agreement,
    Case,
    Enterprise,
    Organization,
    SatisfactionSurvey,
    ServiceRecord,
    ServiceRecordVolunteer,
    Volunteer,
    VolunteerContact,
)
from tests.helpers import migrated_copy, open_copy

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 1, 15)
Q1 = Period.quarter(2025, 1)

CASES = [
    # no, org, received, accepted, closed, close_type, due, workers, collective, type, source, claim, agreed, perf
    (1, "A", "2024-12-20", "2024-12-23", "2025-01-10", "agreed", "2025-01-04", 1, False, "02", "apply", 1_000_000, 800_000, "full"),
    (2, "A", "2025-01-06", "2025-01-07", "2025-01-15", "agreed", "2025-01-21", 12, True, "02", "arbitration", 5_000_000, 3_000_000, "pending"),
    (3, "A", "2025-02-03", "2025-02-04", "2025-02-28", "settled_withdrawn", "2025-03-05", 2, False, "05", "apply", 2_000_000, None, None),
    (4, "A", "2025-03-25", "2025-03-26", "2025-04-08", "failed", "2025-04-09", 1, False, "03", "apply", 300_000, None, None),
    (6, "B", "2025-02-10", "2025-02-11", "2025-02-20", "withdrawn", "2025-02-25", 1, False, "06", "court", 100_000, None, None),
    (7, "B", "2025-03-03", "2025-03-04", "2025-03-10", "terminated", "2025-03-18", 10, True, "99", "apply", 0, None, None),
    (9, "B", "2025-03-14", "2025-03-17", None, None, "2025-03-29", 3, False, "02", "apply", 450_000, None, None),
    (10, "A", "2025-01-08", "2025-01-08", "2025-01-09", "agreed", "2025-01-23", 1, False, "02", "apply", 50_000, 40_000, "full"),
    (11, "A", "2025-05-06", "2025-05-06", "2025-05-12", "agreed", "2025-05-21", 1, False, "02", "apply", 300_000, 200_000, "full"),
]


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@pytest.fixture(scope="module")
def db(tmp_path_factory, migrated_template):
    opened = open_copy(migrated_template, tmp_path_factory.mktemp("stats") / "stats.db")
    with opened.session_factory.begin() as s:
        a = Organization(name="和平区南市街道劳动人事争议调解中心", short_name="南市调解中心", kind="21", region_code="120101")
        b = Organization(name="河北区劳动人事争议仲裁院调解中心", kind="51", region_code="120105")
        c = Organization(name="天津鑫达机械制造有限公司劳动争议调解委员会", kind="11", region_code="120113")
        s.add_all([a, b, c])
        s.flush()
        ids = {"A": a.id, "B": b.id, "C": c.id}
        for (no, org, rec, acc, closed, ctype, due, workers, coll, dtype, source, claim, agreed, perf) in CASES:
            case = Case(
                organization_id=ids[org], case_no=f"S{no:03d}", received_on=_d(rec), accepted_on=_d(acc),
                closed_on=_d(closed), close_type=ctype, mediation_due_on=_d(due), workers=workers,
                is_collective=coll, common_claim=coll, dispute_type_main=dtype, source=source,
                claim_amount_fen=claim, agreed_amount_fen=agreed, perf_status=perf,
                status="closed" if ctype else "mediating",
            )
            if no == 3:
                case.extended_to = date(2025, 3, 5)
                case.extension_agreed_on = date(2025, 2, 14)
            if no == 10:
                case.deleted_at = datetime(2025, 2, 1)
            s.add(case)
            s.flush()
            if ctype == "agreed":
                s.add(Agreement(case_id=case.id, signed_on=case.closed_on, amount_fen=agreed,
                                review_kind="arbitration" if no == 2 else None,
                                review_applied_on=date(2025, 1, 20) if no == 2 else None))
        s.add(Case(organization_id=ids["A"], case_no="S005", received_on=date(2025, 3, 28),
                   rejected_on=date(2025, 3, 31), status="rejected", workers=1, dispute_type_main="01", source="apply"))
        s.add(Case(organization_id=ids["B"], case_no="S008", received_on=date(2025, 3, 30), status="registered",
                   workers=1, dispute_type_main="02", source="apply"))

        # volunteers: V1 and V2 serve in Q1, V3 (left on 1 March) does not; V2 serves in Q2
        ent = Enterprise(name="天津宏达建筑工程有限公司")
        v1 = Volunteer(name="李青", joined_on=date(2024, 1, 1), unit="和平区仲裁院")
        v2 = Volunteer(name="王蓝", joined_on=date(2025, 1, 1), unit="和平区仲裁院")
        v3 = Volunteer(name="赵白", joined_on=date(2024, 6, 1), left_on=date(2025, 3, 1), status="left", unit="和平区仲裁院")
        s.add_all([ent, v1, v2, v3])
        s.flush()
        s.add(VolunteerContact(volunteer_id=v1.id, enterprise_id=ent.id, from_date=date(2024, 6, 1)))
        for served, minutes, vols in ((date(2025, 2, 10), 120, (v1, v2)), (date(2025, 3, 5), 90, (v1,)),
                                      (date(2025, 4, 10), 60, (v2,))):
            rec = ServiceRecord(served_on=served, item="lecture", minutes=minutes)
            s.add(rec)
            s.flush()
            for v in vols:
                s.add(ServiceRecordVolunteer(service_record_id=rec.id, volunteer_id=v.id))
        s.add_all([SatisfactionSurvey(enterprise_id=ent.id, volunteer_id=v1.id, surveyed_on=date(2025, 2, 11), score=4),
                   SatisfactionSurvey(enterprise_id=ent.id, volunteer_id=v1.id, surveyed_on=date(2025, 3, 6), score=3)])
    opened.ids = ids
    yield opened
    opened.engine.dispose()


def figures(db, period: Period = Q1, scope: Scope | None = None) -> dict:
    return stats.compute(db.session_factory, period, scope, today=TODAY)


# --- case figures of the first quarter, by hand ---------------------------------------------------


def test_quarter_counts_each_event_by_its_own_date(db):
    f = figures(db)
    assert f["received"] == 8  # cases 2–9 (1 in 2024, 10 deleted, 11 in May)
    assert f["rejected"] == 1
    assert f["accepted"] == 6  # 2, 3, 4, 6, 7, 9
    assert f["closed"] == 5  # 1 (received in 2024), 2, 3, 6, 7; case 4 closes in April
    assert (f["agreed"], f["settled_withdrawn"], f["withdrawn"], f["failed"], f["terminated"]) == (2, 1, 1, 0, 1)
    assert f["success"] == 3
    assert f["success_rate"] == pytest.approx(3 / 5)
    assert f["open_start"] == 1 and f["open_end"] == 2  # case 1; cases 4 and 9


def test_on_time_counts_the_extension(db):
    f = figures(db)
    # case 1 closed after its due date; case 3 closed 25 days after receipt but within its extension
    assert f["on_time"] == 4
    assert f["on_time_rate"] == pytest.approx(4 / 5)


def test_workers_collective_amounts_and_performance(db):
    f = figures(db)
    assert f["workers"] == 12 + 2 + 1 + 1 + 10 + 3
    assert f["collective_cases"] == 2 and f["collective_workers"] == 22
    assert f["collective_rate"] == pytest.approx(2 / 6)
    assert f["amount_claimed"] == 5_000_000 + 2_000_000 + 300_000 + 100_000 + 0 + 450_000
    assert f["amount_agreed"] == 800_000 + 3_000_000
    assert f["performed"] == 1 and f["performance_rate"] == pytest.approx(1 / 2)
    assert f["reviewed_arbitration"] == 1 and f["reviewed_judicial"] == 0


def test_days_to_close(db):
    f = figures(db)
    # 18 (case 1), 8, 24, 9, 6 days from acceptance
    assert f["avg_days_to_close"] == pytest.approx(65 / 5)
    assert f["median_days_to_close"] == 9


def test_breakdowns(db):
    f = figures(db)
    by_type = {r["code"]: (r["cases"], r["workers"]) for r in f["by_type"]}
    assert by_type["02"] == (2, 15) and by_type["05"] == (1, 2) and by_type["03"] == (1, 1)
    assert by_type["06"] == (1, 1) and by_type["99"] == (1, 10) and by_type["01"] == (0, 0)
    assert sum(n for n, _w in by_type.values()) == f["accepted"]
    assert {r["code"]: r["cases"] for r in f["by_source"] if r["cases"]} == {"apply": 6, "arbitration": 1, "court": 1}
    kinds = {r["code"]: (r["accepted"], r["closed"], r["success"]) for r in f["by_org_kind"]}
    assert kinds["21"] == (3, 3, 3) and kinds["51"] == (3, 2, 0)
    ranked = [(r["name"][:4], r["success_rate"]) for r in f["by_organization"]]
    assert ranked == [("和平区南", 1.0), ("河北区劳", 0.0), ("天津鑫达", None)]  # no closed case ranks last
    assert f["by_organization"][0]["short_name"] == "南市调解中心"


def test_monthly_and_quarterly_series(db):
    f = figures(db)
    m = f["series"]["month"]
    assert m["keys"] == ["2025-01", "2025-02", "2025-03"] and m["labels"] == ["1月", "2月", "3月"]
    assert m["received"] == [1, 2, 5]
    assert m["accepted"] == [1, 2, 3]
    assert m["closed"] == [2, 2, 1] and m["success"] == [2, 1, 0]
    assert m["success_rate"] == [1.0, 0.5, 0.0]
    assert m["on_time"] == [1, 2, 1]
    q = f["series"]["quarter"]
    assert q["labels"] == ["第一季度"] and q["closed"] == [5] and q["success_rate"] == [pytest.approx(0.6)]


def test_balance_check(db):
    for period in (Q1, Period.quarter(2025, 2), Period.year(2025), Period.month(2025, 3)):
        b = figures(db, period)["balance"]
        assert b["ok"] and b["difference"] == 0, (period, b)
    b = figures(db)["balance"]
    assert (b["left"], b["right"], b["not_accepted"]) == (7, 7, 1)
    assert "平衡" in b["text"] and "不予受理 1 件" in b["text"]


# --- edge cases ---------------------------------------------------------------------------------


def test_period_without_closed_cases_has_no_rates(db):
    f = figures(db, Period.quarter(2025, 3))
    assert f["closed"] == 0 and f["accepted"] == 0
    for key in ("success_rate", "on_time_rate", "performance_rate", "collective_rate", "avg_days_to_close",
                "median_days_to_close"):
        assert f[key] is None, key
    assert f["open_start"] == f["open_end"] == 1  # case 9 is still mediating
    assert stats.format_rate(f["success_rate"]) == "无"
    assert stats.format_value("success_rate", None) == "无"
    # JSON null, never 0
    assert json.loads(json.dumps(f))["success_rate"] is None


def test_case_closed_in_a_later_period_than_received(db):
    q2 = figures(db, Period.quarter(2025, 2))
    assert q2["received"] == 1 and q2["accepted"] == 1  # case 11
    assert q2["closed"] == 2 and q2["failed"] == 1  # case 4 received in March counts here
    assert q2["success_rate"] == pytest.approx(1 / 2)
    assert q2["open_start"] == 2 and q2["open_end"] == 1


def test_year_month_and_custom_periods(db):
    y = figures(db, Period.year(2025))
    assert y["received"] == 9 and y["closed"] == 7 and y["success"] == 4
    assert y["success_rate"] == pytest.approx(4 / 7)
    assert len(y["series"]["month"]["keys"]) == 12 and len(y["series"]["quarter"]["keys"]) == 4
    feb = figures(db, Period.month(2025, 2))
    assert (feb["closed"], feb["success"]) == (2, 1)
    custom = figures(db, Period.custom(date(2025, 1, 10), date(2025, 2, 20)))
    assert (custom["closed"], custom["success"]) == (3, 2)  # cases 1, 2, 6: both ends inclusive


def test_scopes(db):
    ids = db.ids
    a = figures(db, scope=Scope.organization(ids["A"]))
    assert (a["received"], a["accepted"], a["closed"], a["success_rate"]) == (4, 3, 3, 1.0)
    assert a["scope"]["label"] == "和平区南市街道劳动人事争议调解中心" and a["scope"]["short_label"] == "南市调解中心"
    b = figures(db, scope=Scope.org_kind("51"))
    assert (b["accepted"], b["closed"], b["success_rate"]) == (3, 2, 0.0)
    assert figures(db, scope=Scope.region("120105"))["closed"] == 2
    assert figures(db, scope=Scope.region("120100"))["closed"] == 5  # every district of 天津市区 1201xx
    assert figures(db, scope=Scope.region("120000"))["closed"] == 5
    c = figures(db, scope=Scope.organization(ids["C"]))
    assert c["received"] == 0 and c["success_rate"] is None and c["balance"]["ok"]
    with db.session_factory() as s:
        assert stats.scope_from_key(s, "南市").value == ids["A"]
        assert stats.scope_from_key(s, "org_kind:51").kind == "org_kind"
        assert stats.scope_from_key(s, "all").kind == "all"
        keys = [c.key for c in stats.scope_choices(s)]
    assert keys[0] == "all" and f"org:{ids['C']}" in keys and "region:120105" in keys


def test_period_from_args():
    today = date(2026, 5, 4)
    assert stats.period_from_args(today=today) == Period.year(2026)
    assert stats.period_from_args(2025, 2, today=today).label == "2025年第二季度"
    assert stats.period_from_args(2025, None, 2, today=today).label == "2025年2月"
    p = stats.period_from_args(date_from=date(2025, 3, 1), date_to=date(2025, 3, 15), today=today)
    assert (p.start, p.end, p.kind) == (date(2025, 3, 1), date(2025, 3, 15), "custom")
    from app.services.validation import ValidationError

    with pytest.raises(ValidationError):
        stats.period_from_args(2025, 1, 2, today=today)
    with pytest.raises(ValidationError):
        Period.custom(date(2025, 3, 2), date(2025, 3, 1))


# --- volunteers ---------------------------------------------------------------------------------


def test_volunteer_figures(db):
    f = figures(db)
    assert f["services"] == 2 and f["service_minutes"] == 120 * 2 + 90 and f["service_hours"] == 5.5
    assert f["volunteers"] == 2  # V3 left on 1 March
    assert f["volunteers_served"] == 2
    assert f["active_contacts"] == 1 and f["contacted_enterprises"] == 1
    assert f["surveys"] == 2 and f["satisfaction_avg"] == 3.5
    # Q1: V1 and V2 served, V3 (in the programme until 1 March) did not
    assert (f["duty_quarters"], f["duty_missed"]) == (3, 1)
    assert f["duty_coverage"] == pytest.approx(2 / 3)
    q = f["volunteer_quarters"][0]
    assert q["missed_names"] == ["赵白"] and q["services"] == 2 and q["ended"]


def test_volunteer_figures_reuse_quarter_figures(db):
    from app.services.volunteers import quarter_figures

    with db.session_factory() as s:
        qf = quarter_figures(s, 2025, 1)
    f = figures(db)
    assert (f["services"], f["service_minutes"], f["volunteers"], f["contacted_enterprises"]) == (
        qf["visits"], qf["minutes"], qf["volunteers_total"], qf["ents_total"])
    # a period that is not whole quarters counts with the same conditions
    g = figures(db, Period.custom(date(2025, 2, 1), date(2025, 3, 31)))
    assert (g["services"], g["service_minutes"], g["volunteers"]) == (2, 330, 2)
    assert figures(db, Period.month(2025, 4))["services"] == 1


# --- one source: the organizations' success rates and the statistics table ------------------------


def test_organizations_success_rates_delegate_here(db):
    with db.session_factory() as s:
        rates = orgs.success_rates(s, 2025)
        mine = stats.success_by_organization(s, Period.year(2025))
    assert {oid: (r.closed, r.success) for oid, r in rates.items()} == mine
    assert mine[db.ids["A"]] == (5, 4) and mine[db.ids["B"]] == (2, 0)


def test_table_rows(db):
    f = figures(db)
    rows = {r["row"]: r["value"] for r in stats.table_rows(f)}
    assert rows["1"] == 1 and rows["2"] == 6 and rows["22"] == 5 and rows["28"] == 2
    assert rows["3"] == 2 and rows["4"] == 29 and rows["5"] == 22
    assert sum(rows[str(i)] for i in range(6, 16)) == rows["2"]
    assert sum(rows[str(i)] for i in range(16, 22)) == rows["2"]
    assert rows["17"] == 3 and rows["20"] == 3  # 乡镇 and 仲裁院
    assert rows["23"] + rows["24"] + rows["25"] == rows["22"]
    assert rows["26"] == pytest.approx(0.6) and rows["29-2"] == pytest.approx(0.8)
    assert rows["30"] == 1
    none = {r["row"]: r["value"] for r in stats.table_rows(figures(db, Period.quarter(2025, 3)))}
    assert none["26"] is None and none["29-2"] is None


def test_definitions_cover_every_figure(db):
    f = figures(db)
    for key in ("received", "accepted", "rejected", "closed", "success_rate", "on_time_rate", "performance_rate",
                "collective_rate", "workers", "amount_claimed", "amount_agreed", "volunteers", "services",
                "service_hours", "duty_coverage", "satisfaction_avg"):
        assert key in f and key in stats.DEFINITIONS, key
        assert stats.definition_text(key).startswith(stats.DEFINITIONS[key].label)
    assert "65%" in stats.DEFINITIONS["success_rate"].formula


def test_chart_tables(db):
    f = figures(db)
    head, rows = stats.chart_table(f, "success-rate")
    assert head[-1] == "调解成功率" and rows[0] == ["1月", 2, 2, "100.0%"]
    head, rows = stats.chart_table(f, "by-organization")
    assert rows[-1][-1] == "无"
    for kind in stats.CHART_KINDS:
        stats.chart_table(f, kind)
    with pytest.raises(ValueError):
        stats.chart_table(f, "pie")


# --- the command line ---------------------------------------------------------------------------


def test_compute_from_args_and_cli_json(db):
    args = SimpleNamespace(year=2025, quarter=1, month=None, date_from=None, date_to=None, org="南市")
    f = stats.compute_from_args(db.session_factory, args)
    assert f["scope"]["kind"] == "org" and f["closed"] == 3
    out = subprocess.run(
        [sys.executable, "-m", "app", "stats", "--db", str(db.path), "--json", "--year", "2025", "--quarter", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    for key in ("received", "closed", "agreed", "settled_withdrawn", "withdrawn", "failed", "terminated",
                "rejected", "success_rate", "on_time_rate", "performance_rate", "collective_cases", "workers",
                "amount_claimed", "amount_agreed", "by_type", "volunteers", "services", "service_hours"):
        assert key in data, key
    assert data["success_rate"] is None and data["closed"] == 0
    bad = subprocess.run(
        [sys.executable, "-m", "app", "stats", "--db", str(db.path), "--json", "--org", "没有这个组织"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert bad.returncode == 1 and "找不到调解组织" in bad.stderr and "Traceback" not in bad.stderr


def test_extension_through_the_case_service(tmp_path):
    """The case service keeps mediation_due_on at the extension date; the service counts it on time."""
    from app.services.cases import AgreementInput, CaseDraft, CaseService, ClaimInput, PartyInput

    opened = migrated_copy(tmp_path / "svc.db")
    try:
        with opened.session_factory.begin() as s:
            org = Organization(name="西青区杨柳青镇劳动人事争议调解中心", kind="21", region_code="120111")
            s.add(org)
            s.flush()
            org_id = org.id
        svc = CaseService(opened.session_factory, clock=lambda: date(2025, 7, 31))
        ids = []
        for _ in range(2):
            draft = CaseDraft(
                organization_id=org_id, received_on="2025-06-03", dispute_type_main="02",
                parties=[PartyInput(role="applicant", kind="person", name="张三", id_number=None),
                         PartyInput(role="respondent", kind="employer", name="天津某某制造有限公司")],
                claims=[ClaimInput("02", "支付拖欠工资", "12,000.00")],
            )
            cid = svc.register_case(draft).case_id
            svc.accept(cid, "2025-06-04")
            svc.start_mediation(cid)
            ids.append(cid)
        extended, late = ids
        svc.extend(extended, "2025-07-05", "需补充考勤证据", "2025-06-15", both_parties_agreed=True)
        terms = AgreementInput(signed_on="2025-07-01", amount_fen="10,000.00", perf_deadline="2025-07-20",
                               payment_method="银行转账")
        svc.close(extended, "2025-07-01", "agreed", agreement=terms)
        svc.close(late, "2025-07-01", "failed", "双方分歧较大")
        f = stats.compute(opened.session_factory, Period.month(2025, 7), today=date(2025, 7, 31), volunteers=False)
        assert f["closed"] == 2 and f["on_time"] == 1  # the extended one only
        assert f["success_rate"] == 0.5 and f["amount_agreed"] == 1_000_000
    finally:
        opened.engine.dispose()

"""The volunteer programme service: roster, contacts, services, surveys, duty board, figures, recusal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.demo import _org_code_check
from app.services import volunteers as V
from app.services.validation import ValidationError, credit_code_check_char
from db.models import (
    AuditEntry,
    Case,
    CaseParty,
    Enterprise,
    Organization,
    ReportText,
    ServiceRecord,
    Volunteer,
    VolunteerContact,
)
from tests.helpers import make_id

TODAY = date(2026, 5, 20)  # 2026 Q2, 41 days before the quarter ends


def make_code(n: int, region: str = "120101") -> str:
    body8 = f"MA0{n:05d}"
    body17 = "91" + region + body8 + _org_code_check(body8)
    return body17 + credit_code_check_char(body17)


@pytest.fixture
def db(migrated_db):
    return migrated_db


@pytest.fixture
def svc(db):
    return V.VolunteerService(db.session_factory, user_login="tester", clock=lambda: TODAY)


@pytest.fixture
def ents(db):
    with db.session_factory.begin() as s:
        rows = [Enterprise(name=f"天津测试{i}号有限公司", credit_code=make_code(i)) for i in range(1, 12)]
        s.add_all(rows)
        s.flush()
        return [e.id for e in rows]


def volunteer(svc, name="张三", birth=date(1995, 3, 8), male=True, seq=12, **kw) -> int:
    data = V.VolunteerData(name=name, id_number=make_id(birth, male, seq=seq), unit=kw.pop("unit", "天津市劳动人事争议仲裁院"),
                           joined_on=kw.pop("joined_on", date(2025, 1, 10)), phone="13812345678", **kw)
    return svc.save_volunteer(data).id


def count(db, model) -> int:
    with db.session_factory() as s:
        return s.scalar(select(func.count()).select_from(model))


# --- roster -----------------------------------------------------------------------------------------------


def test_id_number_gives_birth_date_and_gender(svc, db):
    result = svc.save_volunteer(V.VolunteerData(name="李娜", id_number=make_id(date(1996, 7, 1), male=False),
                                                unit="和平区人社局", phone="022-23456789"))
    assert result.warnings == ()
    with db.session_factory() as s:
        vol = s.get(Volunteer, result.id)
        assert (vol.birth_date, vol.gender, vol.phone) == (date(1996, 7, 1), "女", "022-23456789")
        assert vol.joined_on == TODAY and vol.status == "active"
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "volunteer")) == 1


def test_over_age_limit_is_a_warning_not_a_block(svc, db):
    result = svc.save_volunteer(V.VolunteerData(name="老王", id_number=make_id(date(1988, 1, 1)), unit="市仲裁院"))
    assert any("超过青年志愿者年龄上限（35周岁）" in w for w in result.warnings)
    assert count(db, Volunteer) == 1
    svc.set_settings({V.AGE_LIMIT: 40})
    data = svc.read(V.get_volunteer, result.id)
    assert not any("年龄上限" in w for w in svc.save_volunteer(data).warnings)
    rows = svc.read(V.list_volunteers, today=TODAY)
    assert rows[0].age == 38 and not rows[0].over_age


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id_number": "120101199503081234"}, "身份证号码"),
        ({"id_number": ""}, "身份证号码"),
        ({"name": "  "}, "姓名"),
        ({"unit": ""}, "工作单位"),
        ({"phone": "12345"}, "联系电话"),
        ({"status": "left"}, "退出时间"),
        ({"joined_on": date(2026, 6, 1)}, "加入时间"),
    ],
)
def test_bad_volunteer_input_is_refused_and_nothing_saved(svc, db, changes, field):
    data = V.VolunteerData(name="张三", id_number=make_id(date(1995, 3, 8)), unit="市仲裁院")
    for k, v in changes.items():
        setattr(data, k, v)
    with pytest.raises(ValidationError) as err:
        svc.save_volunteer(data)
    assert err.value.field == field
    assert field in str(err.value)
    assert count(db, Volunteer) == 0
    assert count(db, AuditEntry) == 0


def test_duplicate_id_number_refused(svc):
    volunteer(svc)
    with pytest.raises(ValidationError, match="身份证号码：与已登记的志愿者“张三”"):
        volunteer(svc, name="张三丰")


def test_leaving_closes_open_contacts(svc, db, ents):
    vid = volunteer(svc)
    svc.save_contact(V.ContactInput(vid, ents[0], from_date=date(2025, 2, 1)))
    data = svc.read(V.get_volunteer, vid)
    data.status, data.left_on = "left", date(2026, 4, 30)
    result = svc.save_volunteer(data)
    assert any("联系截止日期" in w for w in result.warnings)
    with db.session_factory() as s:
        assert s.scalar(select(VolunteerContact.to_date)) == date(2026, 4, 30)


def test_delete_refused_once_services_exist(svc, db, ents):
    vid = volunteer(svc)
    svc.save_service_record(V.ServiceInput(date(2026, 5, 1), [vid], [ents[0]], "lecture", hours=2))
    with pytest.raises(ValidationError, match="已有1条志愿服务记录"):
        svc.delete_volunteer(vid)
    other = volunteer(svc, name="李四", seq=34)
    svc.delete_volunteer(other)
    assert count(db, Volunteer) == 1


# --- contacts ---------------------------------------------------------------------------------------------


def test_contacts_link_create_and_as_of(svc, db, ents):
    vid = volunteer(svc)
    svc.save_contact(V.ContactInput(vid, ents[0], from_date=date(2025, 2, 1), to_date=date(2025, 12, 31)))
    svc.save_contact(V.ContactInput(vid, ents[1], from_date=date(2025, 6, 1)))
    new = V.EnterpriseInput(name="天津新建物流有限公司", credit_code=make_code(500).lower())
    result = svc.save_contact(V.ContactInput(vid, new_enterprise=new, from_date=date(2026, 1, 5), reason="用工特点"))
    with db.session_factory() as s:
        ent = s.scalar(select(Enterprise).where(Enterprise.name == "天津新建物流有限公司"))
        assert ent.credit_code == make_code(500)
        assert s.get(VolunteerContact, result.id).enterprise_id == ent.id
        on_2025_07 = {c.enterprise_id for c in V.list_contacts(s, volunteer_id=vid, as_of=date(2025, 7, 1), active_only=True)}
        on_2026_02 = {c.enterprise_id for c in V.list_contacts(s, volunteer_id=vid, as_of=date(2026, 2, 1), active_only=True)}
        assert on_2025_07 == {ents[0], ents[1]}
        assert on_2026_02 == {ents[1], ent.id}
        assert V.find_enterprise(s, name="天津新建物流有限公司").id == ent.id
        assert V.find_enterprise(s, credit_code=make_code(500)).id == ent.id
    # fewer than 3 active contacts today: 2 → warning
    assert any("少于3家" in w for w in result.warnings)


def test_bad_credit_code_creates_nothing(svc, db):
    vid = volunteer(svc)
    bad = make_code(7)[:-1] + ("0" if make_code(7)[-1] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        svc.save_contact(V.ContactInput(vid, new_enterprise=V.EnterpriseInput("某公司", bad), from_date=date(2026, 1, 1)))
    assert err.value.field == "统一社会信用代码"
    assert count(db, Enterprise) == 0 and count(db, VolunteerContact) == 0


def test_overlapping_link_refused_adjacent_allowed(svc, db, ents):
    vid = volunteer(svc)
    svc.save_contact(V.ContactInput(vid, ents[0], from_date=date(2025, 2, 1), to_date=date(2025, 8, 31)))
    with pytest.raises(ValidationError) as err:
        svc.save_contact(V.ContactInput(vid, ents[0], from_date=date(2025, 8, 1)))
    assert err.value.field == "联系企业" and "时间段重叠" in str(err.value)
    with pytest.raises(ValidationError, match="不能早于建立联系时间"):
        svc.save_contact(V.ContactInput(vid, ents[1], from_date=date(2025, 8, 1), to_date=date(2025, 7, 1)))
    with pytest.raises(ValidationError, match="建立联系时间：.*将来"):
        svc.save_contact(V.ContactInput(vid, ents[1], from_date=date(2026, 6, 1)))
    assert count(db, VolunteerContact) == 1
    svc.save_contact(V.ContactInput(vid, ents[0], from_date=date(2025, 9, 1)))
    assert count(db, VolunteerContact) == 2


def test_contact_count_and_shared_warnings(svc, ents):
    a = volunteer(svc, name="甲")
    b = volunteer(svc, name="乙", seq=34)
    for eid in ents[:8]:
        result = svc.save_contact(V.ContactInput(a, eid, from_date=date(2025, 3, 1)))
    assert not any("多于" in w or "少于" in w for w in result.warnings)
    result = svc.save_contact(V.ContactInput(a, ents[8], from_date=date(2025, 3, 1)))
    assert any("甲目前联系企业9家，多于8家" in w for w in result.warnings)
    result = svc.save_contact(V.ContactInput(b, ents[0], from_date=date(2025, 3, 1)))
    assert any("“天津测试1号有限公司”同时由甲联系" in w for w in result.warnings)
    shared = svc.read(V.shared_enterprises, on=TODAY)
    assert [(eid, set(names)) for eid, _name, names in shared] == [(ents[0], {"甲", "乙"})]
    row = next(r for r in svc.read(V.list_volunteers, today=TODAY) if r.name == "甲")
    assert row.active_contacts == 9 and any("多于8家" in w for w in row.warnings)


# --- service records --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"served_on": date(2026, 5, 21)}, "服务日期", "将来"),
        ({"hours": 0}, "服务时长", "大于0"),
        ({"hours": "-1"}, "服务时长", "大于0"),
        ({"hours": 25}, "服务时长", "24小时"),
        ({"hours": "两小时"}, "服务时长", "不是有效的时长"),
        ({"volunteer_ids": []}, "志愿者", "至少"),
        ({"enterprise_ids": []}, "服务对象", "至少"),
        ({"item": "跳舞"}, "服务项目", "不在服务项目列表"),
        ({"people_reached": -3}, "受益人数", "不能小于0"),
        ({"uploaded_zyh": True, "uploaded_on": date(2026, 4, 1)}, "上传志愿汇日期", "不能早于服务日期"),
    ],
)
def test_bad_service_input_refused(svc, db, ents, changes, field, text):
    vid = volunteer(svc)
    data = V.ServiceInput(date(2026, 5, 6), [vid], [ents[0]], "lecture", content="讲座", hours=2)
    for k, v in changes.items():
        setattr(data, k, v)
    with pytest.raises(ValidationError) as err:
        svc.save_service_record(data)
    assert err.value.field == field and text in str(err.value)
    assert count(db, ServiceRecord) == 0


def test_daily_hours_cap_counts_other_records(svc, db, ents):
    vid = volunteer(svc)
    first = svc.save_service_record(V.ServiceInput(date(2026, 5, 6), [vid], [ents[0]], "lecture", hours=20))
    with pytest.raises(ValidationError, match="张三在2026年5月6日已登记20小时，加上本次5小时超过每天24小时"):
        svc.save_service_record(V.ServiceInput(date(2026, 5, 6), [vid], [ents[1]], "qa", hours=5))
    svc.save_service_record(V.ServiceInput(date(2026, 5, 6), [vid], [ents[1]], "qa", hours=4))
    # editing the first record does not count it twice
    data = svc.read(V.get_service_record, first.id)
    data.hours = 19.5
    svc.save_service_record(data, first.id)
    assert count(db, ServiceRecord) == 2


def test_service_record_update_replaces_links_and_warns(svc, db, ents):
    a, b = volunteer(svc, name="甲"), volunteer(svc, name="乙", seq=34)
    svc.save_contact(V.ContactInput(a, ents[0], from_date=date(2025, 3, 1)))
    r = svc.save_service_record(V.ServiceInput("2026年5月6日", [a, a], [ents[0]], "普法讲座", hours="1.5",
                                               people_reached=40, consultations=5))
    assert r.warnings == ()
    r2 = svc.save_service_record(V.ServiceInput(date(2026, 5, 6), [b], [ents[0], ents[2]], "checkup", hours=3), r.id)
    assert any("“天津测试3号有限公司”不是所选志愿者的联系企业" in w for w in r2.warnings)
    rows = svc.read(V.list_service_records)
    assert len(rows) == 1
    row = rows[0]
    assert (row.volunteer_ids, set(row.enterprise_ids), row.item_label, row.hours) == ((b,), {ents[0], ents[2]}, "用工体检", 3.0)
    assert row.people_reached is None  # replaced as typed
    svc.delete_service_record(r.id)
    assert count(db, ServiceRecord) == 0


def test_quick_entry_prefills_last_values(svc, ents):
    a, b = volunteer(svc, name="甲"), volunteer(svc, name="乙", seq=34)
    for eid in ents[:3]:
        svc.save_contact(V.ContactInput(a, eid, from_date=date(2025, 3, 1)))
    empty = svc.read(V.service_prefill, volunteer_id=a, today=TODAY)
    assert (empty.volunteer_ids, empty.enterprise_ids, empty.item, empty.served_on) == ([a], [ents[0]], "", TODAY)
    svc.save_service_record(V.ServiceInput(date(2026, 4, 2), [a], [ents[1]], "visit", content="走访", hours=2))
    svc.save_service_record(V.ServiceInput(date(2026, 5, 2), [a, b], [ents[2]], "salon", content="沙龙", hours=3,
                                           people_reached=25, consultations=9))
    pre = svc.read(V.service_prefill, volunteer_id=a, today=TODAY)
    assert (pre.item, pre.content, pre.hours, pre.people_reached) == ("salon", "沙龙", 3.0, 25)
    assert pre.volunteer_ids == [a] and pre.enterprise_ids == [ents[2]] and pre.consultations is None
    by_ent = svc.read(V.service_prefill, enterprise_id=ents[2], today=TODAY)
    assert by_ent.volunteer_ids == [a, b] and by_ent.enterprise_ids == [ents[2]] and by_ent.item == "salon"


# --- duty board, figures, stale enterprises ---------------------------------------------------------------


@pytest.fixture
def programme(svc, ents):
    """Three volunteers over 2026 Q1–Q2: 甲 serves both quarters, 乙 only Q1, 丙 joined in Q2 and serves."""
    a = volunteer(svc, name="甲", joined_on=date(2025, 1, 10))
    b = volunteer(svc, name="乙", seq=34, joined_on=date(2025, 1, 10))
    c = volunteer(svc, name="丙", seq=56, joined_on=date(2026, 4, 15), unit="和平区人社局")
    svc.save_contact(V.ContactInput(a, ents[0], from_date=date(2025, 2, 1)))
    svc.save_contact(V.ContactInput(a, ents[1], from_date=date(2025, 2, 1), to_date=date(2026, 2, 28)))
    svc.save_contact(V.ContactInput(b, ents[2], from_date=date(2025, 2, 1)))
    svc.save_contact(V.ContactInput(b, ents[3], from_date=date(2025, 2, 1)))
    svc.save_contact(V.ContactInput(c, ents[4], from_date=date(2026, 4, 20)))
    svc.save_contact(V.ContactInput(c, ents[0], from_date=date(2026, 4, 20)))
    svc.save_service_record(V.ServiceInput(date(2026, 1, 15), [a], [ents[0]], "lecture", hours=2, people_reached=50,
                                           consultations=10, materials=100))
    svc.save_service_record(V.ServiceInput(date(2026, 2, 20), [a, b], [ents[1], ents[2]], "checkup", hours=3,
                                           risks_found=4, suggestions=6, disputes_resolved=1, dispute_workers=3,
                                           dispute_amount_fen=2_500_000))
    svc.save_service_record(V.ServiceInput(date(2026, 4, 10), [a], [ents[0]], "visit", hours=1.5, people_reached=8,
                                           committees_established=1, publicity=2))
    svc.save_service_record(V.ServiceInput(date(2026, 5, 8), [c], [ents[4]], "online", hours=1, people_reached=120))
    return {"甲": a, "乙": b, "丙": c}


def test_duty_board_marks_missing_and_due(svc, programme):
    board = svc.read(V.duty_board, 2026, today=date(2026, 7, 2))
    by_name = {r.name: r for r in board.rows}
    assert set(by_name) == {"甲", "乙", "丙"}
    assert [c.services for c in by_name["甲"].cells] == [2, 1, 0, 0]
    assert [c.state for c in by_name["甲"].cells] == ["ok", "ok", "pending", "future"]
    assert [c.state for c in by_name["乙"].cells] == ["ok", "missing", "pending", "future"]  # no service in Q2
    assert [c.state for c in by_name["丙"].cells] == ["inactive", "ok", "pending", "future"]
    assert by_name["甲"].minutes == 120 + 180 + 90 and by_name["乙"].missing == 1
    # in the last weeks of the quarter a volunteer without service turns amber
    board = svc.read(V.duty_board, 2026, today=date(2026, 6, 10))
    assert board.cell(programme["乙"], 2).state == "due"
    assert board.cell(programme["甲"], 2).state == "ok"
    assert svc.read(V.duty_board, 2026, today=TODAY).cell(programme["乙"], 2).state == "pending"  # 41 days left
    # roster filter by duty
    missed = svc.read(V.list_volunteers, duty="missed", today=TODAY)
    assert [r.name for r in missed] == ["乙"]
    met = svc.read(V.list_volunteers, duty="met", year=2026, quarter=1, today=TODAY)
    assert sorted(r.name for r in met) == ["乙", "甲"]


def test_quarter_figures(svc, programme):
    q1 = svc.read(V.quarter_figures, 2026, 1)
    assert set(V.FIGURE_KEYS) <= set(q1)
    assert q1["volunteers_total"] == 2 and q1["volunteers_new"] == 0
    assert q1["ents_total"] == 3  # ents[1]'s link ended 28 Feb
    assert q1["visits"] == 2 and q1["trainings"] == 1 and q1["trainees"] == 50
    assert (q1["consultations"], q1["materials"], q1["risks_found"], q1["suggestions"]) == (10, 100, 4, 6)
    assert q1["risk_checks"] == 2  # one check-up at two enterprises: 2 家次
    assert (q1["disputes_resolved"], q1["disputes_workers"], q1["disputes_amount"]) == (1, 3, 2_500_000)
    assert q1["hours"] == 8.0 and q1["minutes"] == 120 + 180 * 2  # each volunteer's time
    q2 = svc.read(V.quarter_figures, 2026, 2)
    assert (q2["volunteers_total"], q2["volunteers_new"], q2["ents_total"], q2["ents_new"]) == (3, 1, 4, 1)
    assert (q2["visits"], q2["trainings"], q2["trainees"], q2["cttees_established"], q2["publicity"]) == (2, 1, 120, 1, 2)
    unit = svc.read(V.quarter_figures, 2026, 2, unit="和平区人社局")
    assert (unit["volunteers_total"], unit["visits"], unit["ents_total"], unit["hours"]) == (1, 1, 2, 1.0)
    assert V.figure_display("disputes_amount", q1) == "2.50"
    text = V.overview_paragraph(q1)
    assert "志愿者2名（新增0名）" in text and "联系企业3家" in text and "入企服务2次" in text
    board = svc.read(V.duty_board, 2026, today=TODAY)
    assert board.quarter_totals[0] == q1


def test_stale_enterprises(svc, programme, ents):
    stale = svc.read(V.stale_enterprises, today=date(2026, 11, 20))  # since 1 Apr 2026
    names = {s.name for s in stale}
    assert "天津测试4号有限公司" in names  # 乙's, never served
    assert "天津测试3号有限公司" in names  # served in Feb only
    assert "天津测试1号有限公司" not in names  # served in April
    assert "天津测试5号有限公司" not in names  # contact began after 1 April
    s3 = next(s for s in stale if s.name == "天津测试3号有限公司")
    assert s3.last_served_on == date(2026, 2, 20) and s3.volunteers == ("乙",)


# --- surveys ----------------------------------------------------------------------------------------------


def test_survey_averages(svc, programme, ents):
    a, b = programme["甲"], programme["乙"]
    svc.save_survey(enterprise_id=ents[0], volunteer_id=a, surveyed_on=date(2026, 2, 1), score=4)
    svc.save_survey(enterprise_id=ents[0], volunteer_id=a, surveyed_on=date(2026, 5, 1), score="基本满意")
    svc.save_survey(enterprise_id=ents[2], volunteer_id=b, surveyed_on=date(2026, 3, 1), score=3, opinions="希望多来")
    r = svc.save_survey(enterprise_id=ents[4], volunteer_id=b, surveyed_on=date(2026, 5, 2), score=1)
    assert any("不是乙的联系企业" in w for w in r.warnings)
    with pytest.raises(ValidationError, match="满意度"):
        svc.save_survey(enterprise_id=ents[0], volunteer_id=a, surveyed_on=date(2026, 5, 1), score=5)
    with pytest.raises(ValidationError, match="调查日期"):
        svc.save_survey(enterprise_id=ents[0], volunteer_id=a, surveyed_on=date(2026, 6, 1), score=4)
    by_vol = {x.label: x for x in svc.read(V.survey_averages_by_volunteer)}
    assert (by_vol["甲"].count, by_vol["甲"].average, by_vol["甲"].satisfied) == (2, 3.0, 1)
    assert (by_vol["乙"].count, by_vol["乙"].average, by_vol["乙"].satisfied_rate) == (2, 2.0, 0.5)
    by_q = svc.read(V.survey_averages_by_quarter, 2026)
    assert [(x.count, x.average) for x in by_q] == [(2, 3.5), (2, 1.5), (0, None), (0, None)]
    only_q1 = {x.label: x for x in svc.read(V.survey_averages_by_volunteer, date_from=date(2026, 1, 1),
                                            date_to=date(2026, 3, 31))}
    assert only_q1["甲"].average == 4.0
    assert [s.score_label for s in svc.read(V.list_surveys, volunteer_id=b)] == ["不满意", "满意"]


# --- recusal ---------------------------------------------------------------------------------------------


def test_recusal_check(svc, db, programme, ents):
    a, c = programme["甲"], programme["丙"]
    with db.session_factory() as s:
        hits = V.recusal_check(s, enterprise_id=ents[0], today=TODAY)
        assert [(h.volunteer_name, h.basis, h.active) for h in hits] == [("丙", "contact", True), ("甲", "contact", True)]
        jia = next(h for h in hits if h.volunteer_id == a)
        assert (jia.from_date, jia.to_date, jia.services, jia.last_served_on) == (date(2025, 2, 1), None, 2, date(2026, 4, 10))
        assert "甲（天津市劳动人事争议仲裁院）：2025年2月1日至今联系该企业，服务2次" in jia.text
        by_code = V.recusal_check(s, credit_code=make_code(1).lower(), today=TODAY)
        by_name = V.recusal_check(s, name=" 天津测试1号有限公司 ", today=TODAY)
        assert [h.volunteer_id for h in by_code] == [h.volunteer_id for h in by_name] == [c, a]
        # 甲's link ended in February; 乙 served it (with 甲) without a link of their own
        ended = V.recusal_check(s, enterprise_id=ents[1], today=TODAY)
        assert [(h.volunteer_name, h.basis, h.active, h.to_date) for h in ended] == [
            ("甲", "contact", False, date(2026, 2, 28)), ("乙", "service", False, None)]
        assert "曾联系该企业" in ended[0].text and "曾为该企业提供志愿服务" in ended[1].text
        shared = V.recusal_check(s, enterprise_id=ents[2], today=TODAY)
        assert {(h.volunteer_name, h.basis) for h in shared} == {("乙", "contact"), ("甲", "service")}
        assert V.recusal_check(s, name="不存在的公司") == []
        assert V.recusal_check(s, enterprise_id=ents[9]) == []
        message = V.recusal_message(hits)
        assert message.startswith("回避提示：“天津测试1号有限公司”") and "应当回避" in message
        assert V.recusal_message([]) == ""


def test_recusal_check_for_case(svc, db, programme, ents):
    with db.session_factory.begin() as s:
        org = Organization(name="和平区调解中心", kind="21")
        s.add(org)
        s.flush()
        case = Case(organization_id=org.id, received_on=TODAY, source="apply", dispute_type_main="02")
        s.add(case)
        s.flush()
        s.add_all([
            CaseParty(case_id=case.id, role="applicant", party_kind="person", name="工人"),
            CaseParty(case_id=case.id, role="respondent", party_kind="employer", name="天津测试5号有限公司"),
        ])
        case_id = case.id
    with db.session_factory() as s:
        hits = V.recusal_check_for_case(s, case_id, today=TODAY)
    assert [(h.volunteer_name, h.enterprise_id) for h in hits] == [("丙", ents[4])]


# --- texts -----------------------------------------------------------------------------------------------


def test_summary_texts_saved_per_quarter(svc, db):
    svc.save_summary_texts(2026, 1, {"measures": "一是……\n二是……", "problems": ""})
    svc.save_summary_texts(2026, 2, {"measures": "第二季度做法"})
    assert svc.read(V.get_summary_texts, 2026, 1)["measures"] == "一是……\n二是……"
    assert svc.read(V.get_summary_texts, 2026, 2)["measures"] == "第二季度做法"
    assert svc.read(V.get_summary_texts, 2026, 3)["measures"] == ""
    svc.save_summary_texts(2026, 1, {"measures": "改过"})
    with db.session_factory() as s:
        rows = s.scalars(select(ReportText).where(ReportText.period == "2026Q1")).all()
        assert [(r.kind, r.section, r.text) for r in rows] == [("quarterly-summary", "measures", "改过")]
    with pytest.raises(ValidationError):
        svc.save_summary_texts(2026, 1, {"nonsense": "x"})


def test_find_volunteer(svc, db):
    a = volunteer(svc, name="甲")
    with db.session_factory() as s:
        assert V.find_volunteer(s, "甲").id == a
        assert V.find_volunteer(s, str(a)).name == "甲"
        with pytest.raises(ValidationError, match="找不到"):
            V.find_volunteer(s, "无名")
    volunteer(svc, name="甲", seq=34)
    with db.session_factory() as s, pytest.raises(ValidationError, match="有2名志愿者叫“甲”"):
        V.find_volunteer(s, "甲")


def test_service_module_does_not_import_qt():
    import subprocess
    import sys

    code = "import app.services.volunteers, sys; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"

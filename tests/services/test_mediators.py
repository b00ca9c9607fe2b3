"""调解员名册: validation (leaving before appointed …), trainings, derived counts, refusals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.services import mediators as meds
from app.services.mediators import MediatorInput, TrainingInput
from app.services.organizations import ActionRefused, get_organization
from app.services.validation import ValidationError
from db.models import CaseMediator, Mediator, MediatorTraining
from tests.org_factories import add_case, add_org

TODAY = date(2026, 6, 15)


@pytest.fixture
def db(migrated_db):
    opened = migrated_db
    with opened.session_factory.begin() as s:
        opened.org_id = add_org(s).id
        opened.other_id = add_org(s, name="河西区友谊路街道劳动人事争议调解中心", region="120103").id
    yield opened


def med(db, **kw) -> MediatorInput:
    values = dict(organization_id=db.org_id, name="李明", full_time=True, appointed_on="2020-01-01")
    values.update(kw)
    return MediatorInput(**values)


def n(db, model) -> int:
    with db.session_factory() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_create_with_trainings_and_read_back(db):
    data = med(db, id_number="11010519491231002X", phone="138 1234 5678", background="arbitrator",
               certified=True, certificate_level="中级", trainings=[
                   TrainingInput("2024年5月6日", "调解员能力提升培训", "6", "天津市人社局"),
                   TrainingInput("2025.3.1", "典型案例研讨", "2.5学时", None),
                   TrainingInput("", "", None, None),  # empty grid row ignored
               ])
    result = meds.create_mediator(db.session_factory, data, today=TODAY)
    with db.session_factory() as s:
        d = meds.get_mediator(s, result.id)
    assert d.row.gender == "女"  # from the ID number
    assert d.row.phone == "13812345678"
    assert d.row.background_label == "仲裁员"
    assert [(t.held_on, t.minutes) for t in d.trainings] == [(date(2024, 5, 6), 360), (date(2025, 3, 1), 150)]
    assert d.row.training_count == 2 and d.row.training_minutes == 510
    assert str(d.trainings[1].hours) == "2.5"


def test_leaving_before_appointed_refused_nothing_saved(db):
    with pytest.raises(ValidationError) as err:
        meds.create_mediator(db.session_factory, med(db, appointed_on="2024-05-06", left_on="2024-05-05",
                                                     trainings=[TrainingInput("2024-05-01", "培训", 2)]))
    assert err.value.field == "离任日期"
    assert "不能在聘任之前离任" in err.value.message
    assert n(db, Mediator) == 0 and n(db, MediatorTraining) == 0


def test_set_left_refuses_before_appointed(db):
    mid = meds.create_mediator(db.session_factory, med(db, appointed_on="2024-05-06")).id
    with pytest.raises(ValidationError) as err:
        meds.set_left(db.session_factory, mid, "2024-01-01")
    assert err.value.field == "离任日期"
    meds.set_left(db.session_factory, mid, "2025-01-01")
    with db.session_factory() as s:
        assert s.get(Mediator, mid).left_on == date(2025, 1, 1)


@pytest.mark.parametrize(
    "overrides, field",
    [
        (dict(name=""), "姓名"),
        (dict(organization_id=0), "所属调解组织"),
        (dict(id_number="110105194912310021"), "身份证号"),
        (dict(id_number="11010519491231002X", gender="男"), "性别"),
        (dict(phone="555"), "联系电话"),
        (dict(background="astronaut"), "调解员背景"),
        (dict(appointed_on="2024-13-01"), "聘任日期"),
        (dict(trainings=[TrainingInput("2024-01-01", "", 2)]), "第1条培训的名称"),
        (dict(trainings=[TrainingInput("2099-01-01", "未来培训", 2)]), "第1条培训的日期"),
        (dict(trainings=[TrainingInput("2024-01-01", "培训", "两小时")]), "第1条培训的学时"),
    ],
)
def test_bad_input_names_the_field(db, overrides, field):
    with pytest.raises(ValidationError) as err:
        meds.create_mediator(db.session_factory, med(db, **overrides), today=TODAY)
    assert err.value.field == field
    assert n(db, Mediator) == 0


def test_duplicate_id_number_in_same_org(db):
    meds.create_mediator(db.session_factory, med(db, id_number="11010519491231002X"))
    with pytest.raises(ValidationError) as err:
        meds.create_mediator(db.session_factory, med(db, name="李明二", id_number="11010519491231002X"))
    assert "已有调解员“李明”" in err.value.message
    meds.create_mediator(db.session_factory, med(db, organization_id=db.other_id, id_number="11010519491231002X"))


def test_counts_are_derived_from_the_roster(db):
    meds.create_mediator(db.session_factory, med(db, name="甲", full_time=True))
    meds.create_mediator(db.session_factory, med(db, name="乙", full_time=False))
    meds.create_mediator(db.session_factory, med(db, name="丙", full_time=False, left_on="2025-01-01"))
    meds.create_mediator(db.session_factory, med(db, name="丁", full_time=True, appointed_on="2027-01-01"))
    with db.session_factory() as s:
        assert meds.mediator_counts(s, db.org_id, on=TODAY) == (1, 1)
        assert meds.mediator_counts(s, db.org_id, on=date(2024, 6, 1)) == (1, 2)
        detail = get_organization(s, db.org_id, on=TODAY)
        assert (detail.full_time, detail.part_time) == (1, 1)
        serving = meds.list_mediators(s, db.org_id, include_left=False, on=TODAY)
        assert [r.name for r in serving] == ["甲", "乙"]
        everyone = meds.list_mediators(s, db.org_id, on=TODAY)
        assert [r.name for r in everyone][-1] == "丙"  # those who left come last


def test_trainings_replaced_or_left_alone(db):
    mid = meds.create_mediator(db.session_factory, med(db, trainings=[TrainingInput("2024-01-01", "一", 1)])).id
    meds.update_mediator(db.session_factory, mid, med(db, post="主任", trainings=None))
    assert n(db, MediatorTraining) == 1
    meds.update_mediator(db.session_factory, mid, med(db, trainings=[TrainingInput("2024-02-01", "二", 1),
                                                                      TrainingInput("2024-03-01", "三", 1)]))
    with db.session_factory() as s:
        assert [t.name for t in meds.get_mediator(s, mid).trainings] == ["二", "三"]
        assert meds.list_mediators(s, db.org_id, year=2024)[0].trainings_in_year == 2


def test_delete_refused_when_on_cases(db):
    mid = meds.create_mediator(db.session_factory, med(db)).id
    with db.session_factory.begin() as s:
        case = add_case(s, db.org_id)
        s.add(CaseMediator(case_id=case.id, mediator_id=mid, lead=True))
    with pytest.raises(ActionRefused) as err:
        meds.delete_mediator(db.session_factory, mid)
    assert "参与过 1 件案件" in str(err.value)
    with pytest.raises(ValidationError) as err:
        meds.update_mediator(db.session_factory, mid, med(db, organization_id=db.other_id))
    assert err.value.field == "所属调解组织"
    other = meds.create_mediator(db.session_factory, med(db, name="王五")).id
    assert meds.delete_mediator(db.session_factory, other) == "王五"

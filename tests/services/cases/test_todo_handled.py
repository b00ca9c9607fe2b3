"""今日待办: 标记已处理 with a note (kept in the database, audited), a new deadline brings the item back, the
「显示已处理」 toggle of the start page, and the volunteer-duty reminders (app.services.todo_notes)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from app.services import volunteers as V
from app.services.cases import CaseService
from app.services.cases.todo import todo_items
from app.services.todo_notes import mark_handled, todo_key, unmark_handled
from db.models import AuditEntry, Case, Enterprise
from db.session import open_database
from tests.helpers import TODAY, make_id


def _service(opened) -> CaseService:
    return CaseService(opened.session_factory, user_login="tester", clock=lambda: TODAY)


def _case_items(opened, **kw):
    svc = _service(opened)
    return todo_items(opened.session_factory, TODAY, calendar=svc.calendar, **kw)


def test_marking_handled_hides_the_item_and_persists(demo_db, tmp_path):
    all_before = _case_items(demo_db)
    items = [t for t in all_before if t.target == "case"]
    assert items, "the demo database has case to-dos on TODAY"
    item = items[0]
    mark_handled(demo_db.session_factory, item, "已电话告知当事人", user="tester")
    assert {t.key for t in _case_items(demo_db)} == {t.key for t in all_before} - {item.key}
    # a new session on the same file (as after restarting the program) still knows it
    path = demo_db.engine.url.database
    demo_db.engine.dispose()
    again = open_database(path)
    try:
        assert item.key not in {t.key for t in _case_items(again)}
        shown = {t.key: t for t in _case_items(again, include_handled=True)}
        assert shown[item.key].handled and shown[item.key].handled_note == "已电话告知当事人"
        assert shown[item.key].handled_by == "tester"
        with again.session_factory() as s:
            entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "todo_handled")).one()
            assert "已电话告知当事人" in entry.summary and entry.entity == "case" and entry.entity_uuid
        # undo: back in the list, audited
        assert unmark_handled(again.session_factory, shown[item.key], user="tester")
        assert item.key in {t.key for t in _case_items(again)}
        with again.session_factory() as s:
            assert s.scalars(select(AuditEntry).where(AuditEntry.action == "todo_unhandled")).one()
    finally:
        again.engine.dispose()


def test_a_new_deadline_brings_the_item_back(demo_db):
    items = [t for t in _case_items(demo_db) if t.kind == "mediation"]
    assert items
    item = items[0]
    mark_handled(demo_db.session_factory, item, "已告知可申请仲裁")
    assert item.key not in {t.key for t in _case_items(demo_db)}
    new_due = item.due_on + timedelta(days=1)
    with demo_db.session_factory.begin() as s:
        s.execute(update(Case).where(Case.id == item.case_id).values(mediation_due_on=new_due))
    back = [t for t in _case_items(demo_db) if t.case_id == item.case_id and t.kind == "mediation"]
    assert len(back) == 1 and back[0].due_on == new_due and not back[0].handled
    assert back[0].key != item.key == todo_key(item)


@pytest.fixture
def volunteer_db(migrated_db):
    """Two volunteers; 甲 served in 2026 Q2, 乙 did not."""
    svc = V.VolunteerService(migrated_db.session_factory, user_login="tester", clock=lambda: TODAY)
    from tests.services.test_volunteers_service import make_code

    with migrated_db.session_factory.begin() as s:
        ent = Enterprise(name="天津待办测试有限公司", credit_code=make_code(1))
        s.add(ent)
        s.flush()
        eid = ent.id
    ids = {}
    for name, seq in (("甲", 12), ("乙", 34)):
        data = V.VolunteerData(name=name, id_number=make_id(date(1995, 3, 8), seq=seq), unit="天津市劳动人事争议仲裁院",
                               joined_on=date(2025, 1, 10), phone="13812345678")
        ids[name] = svc.save_volunteer(data).id
    svc.save_contact(V.ContactInput(ids["甲"], eid, from_date=date(2025, 2, 1)))
    svc.save_service_record(V.ServiceInput(date(2026, 4, 10), [ids["甲"]], [eid], "visit", hours=1.5, people_reached=8))
    return migrated_db, ids


def test_duty_reminder_for_a_volunteer_without_service_this_quarter(volunteer_db):
    db, ids = volunteer_db
    items = todo_items(db.session_factory, TODAY)  # 15 June: Q2 ends within 30 days
    duty = [t for t in items if t.kind == "volunteer_duty"]
    assert [t.target_id for t in duty] == [ids["乙"]]
    assert "乙" in duty[0].text and duty[0].due_on == date(2026, 6, 30) and duty[0].case_id == 0
    # early in the quarter nothing is due yet (the duty board's amber state)
    assert not [t for t in todo_items(db.session_factory, date(2026, 4, 20)) if t.kind == "volunteer_duty"]
    # marked handled it goes; the next quarter brings it back
    mark_handled(db.session_factory, duty[0], "已提醒")
    assert not [t for t in todo_items(db.session_factory, TODAY) if t.kind == "volunteer_duty"]
    later = todo_items(db.session_factory, date(2026, 9, 20))
    assert {t.target_id for t in later if t.kind == "volunteer_duty"} == {ids["甲"], ids["乙"]}


def test_home_page_hides_handled_and_shows_them_greyed(demo_db, qtbot):
    from types import SimpleNamespace

    from app.ui.models.todo_model import HANDLED_ROLE
    from app.ui.pages.home_page import HomePage

    ctx = SimpleNamespace(db_path=demo_db.engine.url.database, notes=[],
                          backup_path=None, session_factory=demo_db.session_factory)
    page = HomePage(ctx, service=_service(demo_db))  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.refresh()
    before = sum(len(rows) for _k, rows in page.todo_model.groups())
    first = page.todo_model.groups()[0][1][0]
    assert page.toggle_handled(first, note="已处理完毕")
    assert sum(len(rows) for _k, rows in page.todo_model.groups()) == before - 1
    page.show_handled_box.setChecked(True)  # refreshes
    rows = [t for _k, g in page.todo_model.groups() for t in g]
    assert len(rows) == before
    handled = [t for t in rows if t.handled]
    assert [t.key for t in handled] == [first.key]
    # greyed, with the note in the text
    model = page.todo_model
    for g in range(model.rowCount()):
        parent = model.index(g, 0)
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            if model.data(index, HANDLED_ROLE):
                assert "已处理完毕" in model.data(index)
                break
        else:
            continue
        break
    else:
        pytest.fail("handled row not shown")

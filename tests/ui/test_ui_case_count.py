"""The case list's search count: capped at COUNT_CAP while typing (「共 1 万条以上」), rows fetched a window at
a time, and the rest of a capped search loaded when the view scrolls to its end (``fetchMore``)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

import app.ui.models.case_table_model as model_mod
from app.core.context import AppContext
from app.services.calendar import WorkCalendar
from app.services.case_list import CaseCount, CaseFilter, count_cases
from app.services.cases import CaseService
from app.ui.app import create_application
from app.ui.models.case_table_model import BLOCK_SIZE, CASE_ID_ROLE, COL_CASE_NO, CaseTableModel
from app.ui.pages.cases_page import CasesPage
from app.ui.settings_store import SettingsStore
from tests.helpers import TODAY, Clock, open_copy

pytestmark = pytest.mark.usefixtures("private_settings")

BROAD = "调"  # in every case number (调字第…)


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application([])


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.load()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, demo_template):
    opened = open_copy(demo_template(seed=1, cases=2000, today=TODAY), tmp_path_factory.mktemp("count") / "demo.db")
    yield opened
    opened.engine.dispose()


@pytest.fixture
def ctx(demo_db, app):
    return AppContext(db_path=demo_db.path, engine=demo_db.engine, session_factory=demo_db.session_factory)


def exact_count(ctx, cal, term: str) -> int:
    with ctx.session_factory() as s:
        return count_cases(s, CaseFilter(search=term), today=TODAY, calendar=cal)


def page_for(qtbot, ctx, cal) -> CasesPage:
    service = CaseService(ctx.session_factory, calendar=cal, clock=Clock(TODAY))
    page = CasesPage(ctx, settings=SettingsStore(ctx.db_path.parent / "count.ini"), service=service)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_narrow_search_counts_exactly_without_loading_ids(qtbot, ctx, cal):
    model = CaseTableModel(ctx.session_factory, calendar=cal, today=lambda: TODAY)
    term = "天津"
    n = exact_count(ctx, cal, term)
    assert 0 < n < 2000
    model.set_filter(CaseFilter(search=term))
    assert model.rowCount() == n and model.count_exact and model.count_text == f"{n:,}"
    assert model.id_fetches == 0 and model.block_fetches == 0  # a keystroke: one capped count, no id list
    assert model.data(model.index(0, COL_CASE_NO))
    assert model.block_fetches == 1 and not model.canFetchMore()


def test_page_label_shows_exact_count_of_a_few_matches(qtbot, ctx, cal):
    page = page_for(qtbot, ctx, cal)
    with ctx.session_factory() as s:
        from sqlalchemy import select

        from db.models import CaseParty

        party = s.scalars(select(CaseParty).where(CaseParty.role == "applicant").order_by(CaseParty.id)).first()
    n = exact_count(ctx, cal, party.name)
    assert 0 < n < 50
    page.ui.search_edit.setText(party.name)
    page.apply_filter()
    assert page.model.rowCount() == n and page.model.count_exact
    assert page.ui.count_label.text() == f"共 {n:,} 件（已筛选）"
    ids = {page.model.data(page.model.index(r, 0), CASE_ID_ROLE) for r in range(n)}
    assert party.case_id in ids


def test_broad_search_past_the_cap_shows_capped_text_and_scrolling_fetches_more(qtbot, ctx, cal, monkeypatch):
    monkeypatch.setattr(model_mod, "COUNT_CAP", 5)
    total = exact_count(ctx, cal, BROAD)
    assert total > 2 * BLOCK_SIZE
    model = CaseTableModel(ctx.session_factory, calendar=cal, today=lambda: TODAY)
    model.set_filter(CaseFilter(search=BROAD))
    assert model.rowCount() == 5 and not model.count_exact
    assert model.count_text == CaseCount(5, False, 5).text == "5 条以上"
    assert model.id_fetches == 0 and model.canFetchMore()
    assert model.data(model.index(4, COL_CASE_NO))
    first_five = [model.case_id(r) for r in range(5)]
    model.fetchMore()
    assert model.rowCount() == total and model.count_exact and not model.canFetchMore()
    assert model.id_fetches == 1
    assert [model.case_id(r) for r in range(5)] == first_five  # the window and the id list agree on the order
    assert model.case_id(total - 1) is not None


def test_page_shows_capped_label_until_the_view_scrolls_to_the_end(qtbot, ctx, cal, monkeypatch):
    monkeypatch.setattr(model_mod, "COUNT_CAP", 10_000)
    page = page_for(qtbot, ctx, cal)
    monkeypatch.setattr(model_mod, "COUNT_CAP", 5)
    total = exact_count(ctx, cal, BROAD)
    page.ui.search_edit.setText(BROAD)
    page.apply_filter()
    counted = CaseCount(5, False, 5)
    # the five rows fit the screen: the view asks for more at once (fetchMore), or the label is still capped
    if page.model.count_exact:
        qtbot.waitUntil(lambda: page.model.rowCount() == total, timeout=3000)
        assert page.ui.count_label.text() == f"共 {total:,} 件（已筛选）"
    else:
        assert page.ui.count_label.text() == f"共 {counted.text}（已筛选）"
        qtbot.waitUntil(lambda: page.model.rowCount() == total, timeout=3000)  # the view scrolled to row 5
        qtbot.waitUntil(lambda: page.ui.count_label.text() == f"共 {total:,} 件（已筛选）", timeout=3000)
    table = page.ui.case_table
    table.scrollToBottom()
    assert page.model.case_id(total - 1) is not None


def test_ten_thousand_cap_reads_as_wan(qtbot):
    assert CaseCount(10_000, False).text == "1 万条以上"

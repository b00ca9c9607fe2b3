"""报送情况 page, 登记零上报… (pytest-qt): a small dialog chooses organization, kind and quarter; a true 零上报 is
written through the nil-report export and registered on the board; an untrue one is refused with the same
Chinese line as the export, and the ledger is offered instead; a running quarter is refused and not 未报送.
The page's clock is fixed (``today``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox
from sqlalchemy import or_, select

from app.core.context import AppContext
from app.demo import generate_demo
from app.exports.registry import load_builtin_kinds
from app.exports.xlsx_engine import read_manifest
from app.services.importing.submissions import STATE_NIL
from app.services.nil_reports import STATE_NOT_DUE
from app.ui.app import create_application
from app.ui.pages.submissions_page import NilReportDialog, SubmissionsPage
from app.ui.settings_store import SETTINGS_DIR_ENV
from db.models import Case, Organization, Submission
from db.session import open_database

DEMO_TODAY = date(2026, 11, 20)
QUIET = "和平区劳动路街道劳动人事争议调解中心"


@pytest.fixture(autouse=True)
def _private_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings-env"))


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application([])


@pytest.fixture
def ctx(tmp_path):
    opened = open_database(tmp_path / "district.db")
    generate_demo(opened.session_factory, seed=4, cases=200, today=DEMO_TODAY)
    with opened.session_factory.begin() as s:
        s.add(Organization(name=QUIET, kind="21", region_code="120101"))
    load_builtin_kinds()
    yield AppContext(db_path=opened.path, engine=opened.engine, session_factory=opened.session_factory)
    opened.engine.dispose()


def org_id(ctx, name: str | None = None) -> int:
    """The quiet organization, or (name None) one with cases received or closed in 2026Q3."""
    lo, hi = date(2026, 7, 1), date(2026, 9, 30)
    with ctx.session_factory() as s:
        if name:
            return s.scalar(select(Organization.id).where(Organization.name == name))
        return s.scalar(select(Case.organization_id).where(or_(Case.received_on.between(lo, hi),
                                                               Case.closed_on.between(lo, hi))).limit(1))


@pytest.fixture
def page(app, ctx, qtbot, monkeypatch):
    def no_open(*_a, **_k):
        raise AssertionError("登记零上报 no longer opens a file chooser")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", no_open)
    p = SubmissionsPage(ctx, today=date(2027, 1, 15))
    qtbot.addWidget(p)
    p.ui.year_spin.setValue(2026)
    p.reload()
    return p


def choose(monkeypatch, oid: int, kind: str, period: str) -> None:
    """The dialog answers: this organization, kind and quarter, OK."""
    def fake_exec(dialog: NilReportDialog) -> int:
        dialog.org_combo.setCurrentIndex(dialog.org_combo.findData(oid))
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))
        dialog.year_spin.setValue(int(period[:4]))
        dialog.quarter_combo.setCurrentIndex(int(period[-1]) - 1)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NilReportDialog, "exec", fake_exec)


def save_to(monkeypatch, path: Path) -> list[str]:
    asked: list[str] = []

    def fake_save(_parent, title, default, _filter):
        asked.append(default)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    return asked


def boxes(monkeypatch, click: str | None = None) -> list[tuple[str, list[str]]]:
    """Record each message box (text, button texts); click the button whose text contains ``click``."""
    seen: list[tuple[str, list[str]]] = []

    def fake_exec(box: QMessageBox) -> int:
        seen.append((box.text(), [b.text() for b in box.buttons()]))
        if click:
            for b in box.buttons():
                if click in b.text():
                    b.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return seen


def test_true_nil_report_is_written_and_registered(page, ctx, qtbot, monkeypatch, tmp_path):
    quiet = org_id(ctx, QUIET)
    choose(monkeypatch, quiet, "case-ledger", "2026Q3")
    out = tmp_path / "零上报.xlsx"
    asked = save_to(monkeypatch, out)
    seen = boxes(monkeypatch)
    page.register_nil()
    qtbot.waitUntil(lambda: "已登记零上报" in page.ui.status_label.text(), timeout=20000)
    assert not seen and asked and "零上报" in asked[0]
    m = read_manifest(out)
    assert m["kind"] == "nil-report" and m["submission_period"] == "2026Q3" and m["sender_org_name"] == QUIET
    with ctx.session_factory() as s:
        sub = s.scalar(select(Submission))
        assert sub.nil and sub.period == "2026Q3" and sub.organization_id == quiet and sub.record_count == 0
    row = next(r for r in page.board_model.board.rows if r.name == QUIET)
    assert row.cells["2026Q3"].state == STATE_NIL


def test_untrue_nil_report_is_refused_and_ledger_offered(page, ctx, qtbot, monkeypatch, tmp_path):
    from app.services.nil_reports import count_period_records

    busy = org_id(ctx)
    with ctx.session_factory() as s:
        records = count_period_records(s, busy, "case-ledger", "2026Q3")
        name = s.get(Organization, busy).name
    choose(monkeypatch, busy, "case-ledger", "2026Q3")
    ledger = tmp_path / "台账.xlsx"
    asked = save_to(monkeypatch, ledger)
    seen = boxes(monkeypatch, click="导出")
    page.register_nil()
    assert len(seen) == 1
    text, buttons = seen[0]
    assert text == records.refusal(name) and f"有调解案件 {records.total} 件" in text and name in text
    assert any("调解案件登记台账" in b for b in buttons)
    assert page.ui.status_label.text() in (text, "正在生成报送文件…")
    qtbot.waitUntil(lambda: ledger.exists() and "已生成" in page.ui.status_label.text(), timeout=30000)
    assert asked and "调解案件登记台账" in asked[0]  # the save dialog offered the ledger, not a 零上报
    m = read_manifest(ledger)
    assert m["kind"] != "nil-report" and m["submission_period"] == "2026Q3" and int(m["row_count"]) > 0
    with ctx.session_factory() as s:
        assert s.scalar(select(Submission)) is None  # nothing registered


def test_running_quarter_is_refused_and_not_missing(page, ctx, qtbot, monkeypatch, tmp_path):
    choose(monkeypatch, org_id(ctx, QUIET), "case-ledger", "2027Q1")
    asked = save_to(monkeypatch, tmp_path / "x.xlsx")
    seen = boxes(monkeypatch, click="导出")
    page.register_nil()
    assert len(seen) == 1 and seen[0][0] == "2027年第1季度尚未结束，不能零上报。"
    assert not any("导出" in b for b in seen[0][1]) and not asked
    page.ui.year_spin.setValue(2027)
    page.reload()
    board = page.board_model.board
    assert all(r.cells[p].state == STATE_NOT_DUE for r in board.rows for p in board.periods)
    assert "未报送 0" in page.ui.summary_label.text()
    row = next(i for i, r in enumerate(board.rows) if r.name == QUIET)
    assert page.board_model.data(page.board_model.index(row, 1)) == "未到期"

"""Benchmark of the 案件台账 page on the 100,000-case demo database.

    .venv/bin/python bench/case_list.py [--db bench/.cache/bench-100000.db] [--repeat 5]

Builds the database first if it is missing (``python -m app demo --db … --cases 100000``, about a minute).
Times what a user waits for, with the real widgets drawn offscreen at 1280×800:

- open the list page: filter choices + count + the first screen of rows painted;
- apply a filter (status + year) and paint;
- search a name while typing: every keystroke's query (the page waits 250 ms after the last key, so this is
  the worst case of a slow typist), then a case-number fragment and an ID-number prefix;
- sort by a column (received date, claim amount, applicant, deadline) and paint;
- jump to the middle of the list (row 50,000) and paint.

Each line shows the first (cold) run and the median of the repeats; the figures go in the issue note.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DB = ROOT / "bench" / ".cache" / "bench-100000.db"


def ensure_db(path: Path, cases: int = 100_000) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"building {path} ({cases} cases)…", flush=True)
    subprocess.run(
        [sys.executable, "-m", "app", "demo", "--db", str(path), "--cases", str(cases)], cwd=ROOT, check=True
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ensure_db(args.db)

    from PySide6.QtCore import Qt
    from sqlalchemy import select

    from app.core.context import AppContext
    from app.services.case_list import CaseFilter, count_cases
    from app.services.cases import CaseService
    from app.ui.app import create_application
    from app.ui.models.case_table_model import COL_APPLICANT, COL_CLAIM_AMOUNT, COL_DUE, COL_RECEIVED
    from app.ui.pages.cases_page import CasesPage
    from app.ui.settings_store import SettingsStore
    from db.models import CaseParty
    from db.session import open_database

    app = create_application([])
    opened = open_database(args.db, create=False)
    ctx = AppContext(db_path=opened.path, engine=opened.engine, session_factory=opened.session_factory)
    service = CaseService(opened.session_factory)
    settings_dir = Path(os.environ.get("TMPDIR", "/tmp")) / "bench-case-list-settings"
    settings_dir.mkdir(parents=True, exist_ok=True)
    with opened.session_factory() as s:
        total = count_cases(s, CaseFilter(), calendar=service.calendar)
        name = s.scalar(select(CaseParty.name).where(CaseParty.role == "applicant").order_by(CaseParty.id.desc()))
        id_number = s.scalar(
            select(CaseParty.id_number).where(CaseParty.id_number.is_not(None)).order_by(CaseParty.id)
        )

    rows: list[tuple[str, float, float, str]] = []

    def timed(label: str, fn: Callable[[], str | None], repeat: int = args.repeat) -> None:
        times = []
        note = ""
        for _ in range(max(1, repeat)):
            t0 = time.perf_counter()
            note = fn() or note
            times.append((time.perf_counter() - t0) * 1000)
        rows.append((label, times[0], statistics.median(times), note))
        print(f"  {label:<44} {times[0]:8.1f} {statistics.median(times):8.1f}  {note}", flush=True)

    print(f"{args.db} — {total:,} cases; times in ms (first run, median of {args.repeat})")

    page_holder: dict[str, CasesPage] = {}

    def open_page() -> str:
        old = page_holder.pop("page", None)
        if old is not None:
            old.deleteLater()
            app.processEvents()
        store = SettingsStore(settings_dir / "open.ini")
        store.remove(__import__("app.ui.pages.cases_page", fromlist=["CASES_FILTER"]).CASES_FILTER)
        page = CasesPage(ctx, settings=store, service=service)
        page.resize(1280, 800)
        page.show()
        app.processEvents()  # showEvent: choices + count; paint: the first block of rows
        page.ui.case_table.viewport().repaint()
        page_holder["page"] = page
        return f"{page.model.rowCount():,} rows, {page.model.block_fetches} block query"

    def open_parts() -> str:
        """The same, part by part: filter choices, count, first rows, building and painting the page."""
        from app.services.case_list import fetch_case_rows, filter_options

        with opened.session_factory() as s:
            t0 = time.perf_counter()
            filter_options(s)
            t1 = time.perf_counter()
            count_cases(s, CaseFilter(), calendar=service.calendar)
            t2 = time.perf_counter()
            fetch_case_rows(s, CaseFilter(), calendar=service.calendar)
            t3 = time.perf_counter()
        return f"choices {1000 * (t1 - t0):.0f} + count {1000 * (t2 - t1):.0f} + first rows {1000 * (t3 - t2):.0f} ms"

    timed("open the list page (first screen painted)", open_page)
    timed("  of which the queries", open_parts)
    page = page_holder["page"]
    model = page.model
    table = page.ui.case_table

    def paint() -> None:
        table.viewport().repaint()
        app.processEvents()

    def split(action: Callable[[], None]) -> str:
        """Run ``action`` (which resets the model), then fetch the first rows, then paint: the three parts."""
        t0 = time.perf_counter()
        action()
        t1 = time.perf_counter()
        model.row_at(0)
        t2 = time.perf_counter()
        paint()
        t3 = time.perf_counter()
        return (
            f"{model.rowCount():,} rows; count (or search id list) {1000 * (t1 - t0):.0f} + first rows {1000 * (t2 - t1):.0f}"
            f" + paint {1000 * (t3 - t2):.0f} ms"
        )

    def apply(flt: CaseFilter) -> Callable[[], str]:
        return lambda: split(lambda: page.set_filter(flt))

    def clear() -> None:
        page.set_filter(CaseFilter())
        paint()

    timed("filter: status 已归档 + year 2025", apply(CaseFilter(status="archived", year=2025)))
    timed("filter: 未结案 + organization", apply(CaseFilter(status="open", organization_id=1)))
    timed("filter: 仅看逾期", apply(CaseFilter(overdue=True)))
    clear()

    def typing(text: str) -> Callable[[], str]:
        def run() -> str:
            notes = []
            for i in range(1, len(text) + 1):
                page.ui.search_edit.blockSignals(True)
                page.ui.search_edit.setText(text[:i])
                page.ui.search_edit.blockSignals(False)
                # what the 250 ms timer does after each pause
                notes.append(f"“{text[:i]}” " + split(page.apply_filter))
            return "; ".join(notes)

        return run

    for label, text in (
        (f"search a name while typing “{name}”", name),
        ("search a case number fragment “调字第01”", "调字第01"),
        (f"search an ID number prefix “{id_number[:6]}”", id_number[:6]),
    ):
        per_key: list[float] = []

        def keystrokes(text: str = text) -> str:
            note = typing(text)()
            return note

        t_all = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            note = keystrokes()
            t_all.append((time.perf_counter() - t0) * 1000)
        per_key = [t / len(text) for t in t_all]
        rows.append((label + " (per keystroke)", per_key[0], statistics.median(per_key), note))
        print(f"  {label + ' (per keystroke)':<44} {per_key[0]:8.1f} {statistics.median(per_key):8.1f}  {note}",
              flush=True)
        clear()

    def sort(column: int, order: Qt.SortOrder) -> Callable[[], str]:
        def run() -> str:
            return split(lambda: table.sortByColumn(column, order)) + f"; first {model.data(model.index(0, 0))}"

        return run

    for label, column, order in (
        ("sort: 收到申请日期 ascending", COL_RECEIVED, Qt.SortOrder.AscendingOrder),
        ("sort: 请求金额 descending", COL_CLAIM_AMOUNT, Qt.SortOrder.DescendingOrder),
        ("sort: 申请人 ascending", COL_APPLICANT, Qt.SortOrder.AscendingOrder),
        ("sort: 期限 ascending", COL_DUE, Qt.SortOrder.AscendingOrder),
    ):
        def flip(column: int = column, order: Qt.SortOrder = order) -> str:
            other = Qt.SortOrder.DescendingOrder if order == Qt.SortOrder.AscendingOrder else Qt.SortOrder.AscendingOrder
            table.sortByColumn(column, other)  # make sure the timed call really re-sorts
            return sort(column, order)()

        timed(label, flip)
    table.sortByColumn(COL_RECEIVED, Qt.SortOrder.DescendingOrder)

    def jump() -> str:
        model.refresh()
        t0 = time.perf_counter()
        model.row_at(50_000)
        t1 = time.perf_counter()
        table.scrollTo(model.index(50_000, 0))
        paint()
        t2 = time.perf_counter()
        return (
            f"id list + block {1000 * (t1 - t0):.0f} ms, scroll + paint {1000 * (t2 - t1):.0f} ms;"
            f" blocks cached {model.cached_blocks()}"
        )

    timed("scroll to row 50,000 (fresh cache)", jump)
    print()
    print("| 操作 | 首次 (ms) | 中位数 (ms) | 备注 |")
    print("|---|---:|---:|---|")
    for label, first, median, note in rows:
        print(f"| {label} | {first:.0f} | {median:.0f} | {note} |")
    opened.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

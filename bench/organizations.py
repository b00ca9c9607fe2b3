"""Organization profiles on the 100,000-case demo database: list, counts, self-assessment, exports, the page.

    .venv/bin/python bench/organizations.py [--cases 100000] [--runs 5] [--no-ui] [--no-exports]

Builds ``bench/.cache/bench-<N>.db`` with ``python -m app demo`` if it is missing (reused afterwards, shared
with bench/startup.py). Reports the median (and worst) wall time of each service call over ``--runs`` runs
after one warm-up, then the time the 组织档案 page (offscreen Qt) needs from construction to a filled list
and a computed self-assessment, and the time of the organization exports.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def build_db(cases: int) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"bench-{cases}.db"
    if db.exists():
        return db
    print(f"building {db.name} ({cases} cases) …", flush=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app", "demo", "--db", str(db), "--cases", str(cases)], cwd=ROOT, check=True)
    print(f"  built in {time.perf_counter() - t0:.1f} s", flush=True)
    return db


def timed(label: str, fn, runs: int) -> object:
    fn()  # warm-up (page cache, SQLite statement cache)
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    print(f"  {label:<46} median {statistics.median(times) * 1000:8.1f} ms   worst {max(times) * 1000:8.1f} ms")
    return result


def bench_services(sf, runs: int, year: int) -> int:
    from app.services import enterprises, gold, mediators
    from app.services import organizations as orgs

    print("services:")
    with sf() as s:
        n_cases = s.execute(__import__("sqlalchemy").text("SELECT COUNT(*) FROM cases")).scalar()
        rows = timed("search_organizations (list + SQL counts)", lambda: orgs.search_organizations(s, year=year), runs)
        timed("search_organizations, kind filter", lambda: orgs.search_organizations(s, kind="21", year=year), runs)
        timed(f"success_rates({year}) all organizations", lambda: orgs.success_rates(s, year), runs)
        biggest = max(rows, key=lambda r: r.cases_total)
        timed("year_figures (近三年, biggest organization)",
              lambda: orgs.year_figures(s, biggest.id, orgs.recent_years(year)), runs)
        timed("gold.assess (biggest organization)", lambda: gold.assess(s, biggest.id, year), runs)
        timed("get_organization", lambda: orgs.get_organization(s, biggest.id), runs)
        timed("work_report_drafts", lambda: orgs.work_report_drafts(s, biggest.id, year), runs)
        timed("list_mediators (all, with trainings)", lambda: mediators.list_mediators(s, year=year), runs)
        timed("list_enterprises (all)", lambda: enterprises.list_enterprises(s), runs)
        timed("search_enterprises('天津') completer", lambda: enterprises.search_enterprises(s, "天津"), runs)
        timed("typical_case_candidates", lambda: orgs.typical_case_candidates(s, biggest.id), runs)
    print(f"  ({n_cases} cases, {len(rows)} organizations; biggest: {biggest.name}, {biggest.cases_total} cases)")
    return biggest.id


def bench_exports(sf, org_id: int, year: int) -> None:
    from app.exports.registry import ExportRequest, load_builtin_kinds, run_export

    load_builtin_kinds()
    print("exports:")
    with tempfile.TemporaryDirectory() as tmp:
        for kind, suffix, params in (
            ("organization-ledger", ".xlsx", {"year": year}),
            ("mediator-roster", ".xlsx", {}),
            ("gold-assessment", ".docx", {"org": str(org_id), "year": year}),
            ("work-report", ".docx", {"org": str(org_id), "year": year}),
            ("recommendation-letter", ".docx", {"org": str(org_id), "year": year}),
        ):
            t0 = time.perf_counter()
            run_export(kind, ExportRequest(sf, Path(tmp) / f"{kind}{suffix}", params))
            print(f"  {kind:<46} {time.perf_counter() - t0:8.2f} s")


def bench_page(ctx) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("MEDIATION_DESK_SETTINGS_DIR", str(CACHE / "settings"))
    from PySide6.QtWidgets import QApplication

    from app.ui.app import create_application
    from app.ui.pages.organizations_page import TAB_GOLD, OrganizationsPage

    app = QApplication.instance() or create_application([])

    def spin(cond, timeout=60.0) -> float:
        t0 = time.perf_counter()
        while not cond():
            app.processEvents()
            if time.perf_counter() - t0 > timeout:
                raise TimeoutError("page did not load")
            time.sleep(0.002)
        return time.perf_counter() - t0

    print("组织档案 page (offscreen):")
    t0 = time.perf_counter()
    page = OrganizationsPage(ctx)
    built = time.perf_counter() - t0
    page.resize(1280, 800)
    page.show()
    spin(lambda: page.model.rowCount() > 0 and page.selected_id() is not None)
    listed = time.perf_counter() - t0
    t1 = time.perf_counter()
    page.ui.search_edit.setText("街道")
    app.processEvents()
    filtered = time.perf_counter() - t1
    page.ui.search_edit.setText("")
    page.ui.detail_tabs.setCurrentIndex(TAB_GOLD)
    t2 = time.perf_counter()
    spin(lambda: page.gold.assessment is not None)
    assessed = time.perf_counter() - t2
    t3 = time.perf_counter()
    page.ui.org_view.setCurrentIndex(page.proxy.index(1, 0))
    app.processEvents()
    switched = time.perf_counter() - t3
    print(f"  page built                                     {built * 1000:8.1f} ms")
    print(f"  construction → list with counts shown          {listed * 1000:8.1f} ms")
    print(f"  search box filter (client side)                {filtered * 1000:8.1f} ms")
    print(f"  gold tab: self-assessment computed             {assessed * 1000:8.1f} ms")
    print(f"  select another organization (summary, roster)  {switched * 1000:8.1f} ms")
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", type=int, default=date.today().year)
    parser.add_argument("--no-ui", action="store_true")
    parser.add_argument("--no-exports", action="store_true")
    args = parser.parse_args()
    path = build_db(args.cases)

    from app.core.context import AppContext
    from db.session import open_database

    opened = open_database(path, create=False)
    try:
        org_id = bench_services(opened.session_factory, args.runs, args.year)
        if not args.no_exports:
            bench_exports(opened.session_factory, org_id, args.year)
        if not args.no_ui:
            bench_page(AppContext(db_path=opened.path, engine=opened.engine, session_factory=opened.session_factory))
    finally:
        opened.engine.dispose()


if __name__ == "__main__":
    main()

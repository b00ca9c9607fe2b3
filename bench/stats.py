"""Statistics on the 100,000-case demo database: the dashboard's figures against bare SQL, and drawing.

    .venv/bin/python bench/stats.py [--cases 100000] [--db FILE] [--runs 5] [--no-ui]

Builds ``bench/.cache/bench-<N>.db`` with ``python -m app demo`` if it is missing (shared with the other
benchmarks). For one year (the last full year) and for all three years of data it reports:

* ``service``: :func:`app.services.stats.compute_in` — every figure of the 统计图表 page (counts by closing
  type, rates, open at start/end, by type/source/organization kind/organization, monthly series, days to
  close, agreements reviewed) plus the volunteer figures;
* ``service, cases only``: the same without the volunteer part;
* ``bare SQL``: the three aggregate queries one would write by hand for the headline figures (received;
  accepted with workers and amounts; closed by closing type with the on-time count), on a raw ``sqlite3``
  connection — the floor the service is compared with (ratio);

as the median (and best) of ``--runs`` runs after one warm-up; and the second visit of the statistics page
(:class:`app.services.stats.FiguresCache`, nothing changed). Each line's app time, its floor and their ratio go
into ``bench/results.json`` (keys ``stats.figures.*``; merged, other benchmarks' keys kept). Then, unless ``--no-ui``, the time the
dashboard (offscreen Qt) needs to compute and to draw all six charts, and each chart's drawing time.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BARE_SQL = (
    "SELECT COUNT(*) FROM cases WHERE received_on BETWEEN :a AND :b AND deleted_at IS NULL",
    "SELECT COUNT(*), SUM(workers), SUM(claim_amount_fen), SUM(is_collective) FROM cases"
    " WHERE accepted_on BETWEEN :a AND :b AND deleted_at IS NULL",
    "SELECT close_type, COUNT(*), SUM(closed_on <= mediation_due_on) FROM cases"
    " WHERE closed_on BETWEEN :a AND :b AND deleted_at IS NULL"
    " AND close_type IN ('agreed','settled_withdrawn','withdrawn','failed','terminated') GROUP BY close_type",
)


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


def timed(fn, runs: int) -> tuple[float, float, object]:
    """(median, best, last result) in seconds after one warm-up run."""
    result = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), result


def bare(db: Path, start: date, end: date) -> dict[str, object]:
    con = sqlite3.connect(str(db))
    try:
        params = {"a": start.isoformat(), "b": end.isoformat()}
        received = con.execute(BARE_SQL[0], params).fetchone()[0]
        accepted = con.execute(BARE_SQL[1], params).fetchone()
        closed = {t: (n, ok) for t, n, ok in con.execute(BARE_SQL[2], params)}
    finally:
        con.close()
    n = sum(v[0] for v in closed.values())
    success = sum(closed.get(t, (0, 0))[0] for t in ("agreed", "settled_withdrawn"))
    return {"received": received, "accepted": accepted[0], "closed": n, "success_rate": success / n if n else None}


def bench_figures(db: Path, sf, runs: int, today: date) -> list[dict[str, object]]:
    from app.services import stats

    with sf() as s:
        first = s.execute(__import__("sqlalchemy").text("SELECT MIN(received_on), MAX(received_on) FROM cases")).one()
    lo, hi = date.fromisoformat(str(first[0])), date.fromisoformat(str(first[1]))
    year = hi.year - 1 if hi < date(hi.year, 12, 31) else hi.year
    periods = [("one year", stats.Period.year(year)),
               ("all three years", stats.Period(lo, hi, "custom", f"{lo}—{hi}"))]
    out = []
    for name, period in periods:
        with sf() as s:
            svc_med, svc_best, figs = timed(lambda p=period: stats.compute_in(s, p, today=today), runs)
            case_med, case_best, _ = timed(lambda p=period: stats.compute_in(s, p, today=today, volunteers=False), runs)
        bare_med, bare_best, b = timed(lambda p=period: bare(db, p.start, p.end), runs)
        cache = stats.FiguresCache()

        def visit(p=period, cache=cache):  # what the statistics page does: a fresh session, the cache
            with sf() as s:
                return cache.compute_in(s, p, today=today)

        visit()  # the first visit computes; the timed ones find nothing changed
        hit_med, hit_best, hit = timed(visit, runs)
        assert hit == figs and cache.hits >= runs, (cache.hits, cache.misses)
        assert b["closed"] == figs["closed"] and b["accepted"] == figs["accepted"], (b, figs["closed"])
        assert b["received"] == figs["received"] and b["success_rate"] == figs["success_rate"]
        row = {
            "period": name, "label": period.label, "received": figs["received"], "closed": figs["closed"],
            "success_rate": figs["success_rate"], "balance_ok": figs["balance"]["ok"],
            "service_ms": svc_med * 1000, "service_best_ms": svc_best * 1000,
            "cases_only_ms": case_med * 1000, "cases_only_best_ms": case_best * 1000,
            "bare_ms": bare_med * 1000, "bare_best_ms": bare_best * 1000,
            "ratio": svc_med / bare_med, "ratio_cases_only": case_med / bare_med,
            "cached_ms": hit_med * 1000, "cached_best_ms": hit_best * 1000,
        }
        out.append(row)
        print(f"{name} ({period.label}): {figs['closed']:,} closed, success rate {stats.format_rate(figs['success_rate'])}, "
              f"balance {'ok' if figs['balance']['ok'] else 'NOT ok'}")
        print(f"  service, all dashboard figures   median {row['service_ms']:7.1f} ms   best {row['service_best_ms']:7.1f} ms")
        print(f"  service, cases only              median {row['cases_only_ms']:7.1f} ms   best {row['cases_only_best_ms']:7.1f} ms")
        print(f"  bare SQL (3 aggregate queries)   median {row['bare_ms']:7.1f} ms   best {row['bare_best_ms']:7.1f} ms")
        print(f"  second visit (cache, no change)  median {row['cached_ms']:7.1f} ms   best {row['cached_best_ms']:7.1f} ms")
        print(f"  ratio service / bare             {row['ratio']:.1f}×  (cases only {row['ratio_cases_only']:.1f}×)")
    return out


def bench_ui(db: Path, opened, today: date) -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop

    from app.core.context import AppContext
    from app.ui.app import create_application

    app = create_application([])
    t_import = time.perf_counter()
    from app.ui.pages.stats_page import StatsPage

    ctx = AppContext(db_path=opened.path, engine=opened.engine, session_factory=opened.session_factory)
    page = StatsPage(ctx, today=lambda: today)
    page.resize(1280, 800)

    def wait(cond, timeout: float = 120) -> None:
        t0 = time.perf_counter()
        while not cond():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if time.perf_counter() - t0 > timeout:
                raise TimeoutError
            time.sleep(0.002)

    t0 = time.perf_counter()
    page.show()
    wait(lambda: page.figures is not None and not page.current_panel().dirty)
    first_screen = time.perf_counter() - t0
    print("dashboard (offscreen, 1280×800):")
    print(f"  show → first chart on screen (compute in background + first draw, matplotlib import) "
          f"{first_screen * 1000:7.1f} ms  (page import {(t0 - t_import) * 1000:.0f} ms)")
    results: dict[str, object] = {"first_screen_ms": first_screen * 1000}
    for label, kind, year in (("one year", "year", today.year - 1), ("all three years", "three", today.year)):
        page.set_period(kind, year)
        t0 = time.perf_counter()
        page.refresh()
        wait(lambda: page.current_op is not None and not page.current_op.running and not page.current_panel().dirty)
        to_first = time.perf_counter() - t0
        draw_all = page.draw_all()  # every chart, UI thread
        per_chart = {k: round(p.draw_seconds * 1000, 1) for k, p in page.panels.items()}
        print(f"  {label}: refresh → figures and visible chart {to_first * 1000:7.1f} ms "
              f"(compute {page.compute_seconds * 1000:.0f} ms in the background); "
              f"drawing all six charts {draw_all * 1000:7.1f} ms")
        print(f"    per chart (ms): {per_chart}")
        results[label] = {"refresh_to_chart_ms": to_first * 1000, "compute_ms": page.compute_seconds * 1000,
                          "draw_all_ms": draw_all * 1000, "per_chart_ms": per_chart}
    page.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="an existing demo database to measure (not written)")
    parser.add_argument("--no-ui", action="store_true")
    args = parser.parse_args(argv)

    db = args.db or build_db(args.cases)
    from db.session import open_database

    opened = open_database(db, create=False)
    today = date.today()
    print(f"database {db.name}: {db.stat().st_size / 1e6:.0f} MB, today {today}")
    report: dict[str, object] = {"database": db.name, "figures": bench_figures(db, opened.session_factory, args.runs, today)}
    if not args.no_ui:
        report["ui"] = bench_ui(db, opened, today)
    opened.engine.dispose()
    from bench.results import line, record

    entries = {}
    for row in report["figures"]:  # type: ignore[union-attr]
        key = "one_year" if row["period"] == "one year" else "three_years"
        entries[f"stats.figures.{key}"] = line(row["service_ms"], row["bare_ms"], cases_only_ms=round(row["cases_only_ms"], 1),
                                               database=db.name, floor="bare SQL, 3 aggregate queries (sqlite3)")
        entries[f"stats.figures.{key}.second_visit"] = line(row["cached_ms"], row["bare_ms"], database=db.name,
                                                            floor="bare SQL, 3 aggregate queries (sqlite3)")
    record(entries)
    print("\nline                                   app ms   floor ms   ratio   (medians of", args.runs, "runs)")
    for key, e in entries.items():
        print(f"{key:<38} {e['app_ms']:8.1f} {e['floor_ms']:9.1f} {e['ratio']:7.2f}×")
    (CACHE / "stats-bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

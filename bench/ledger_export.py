"""Time and peak memory of the ``case-ledger`` export on the 100,000-case demo database, against its floor:
xlsxwriter's constant_memory mode writing the same cells (the same query, the same values) the plain way.

    .venv/bin/python bench/ledger_export.py [--cases 100000] [--db PATH] [--runs 5] [--quick] [--tracemalloc]

Builds ``bench/.cache/bench-<N>.db`` once with ``python -m app demo`` (shared with bench/startup.py) unless
``--db`` names one. Every measurement runs in a fresh subprocess, so its peak resident memory (``ru_maxrss``)
is its own; the export and the floor alternate ``--runs`` times (a busy machine slows both alike) and their
medians, wall and CPU time, are compared:

* ``case-ledger export`` — the real export (count and organization queries, the streamed query, the XLSX
  engine: styles, row heights, title, print setup, the 合计 row, manifest);
* ``xlsxwriter floor``   — the same query, the same cell values, ``write_string``/``write_number``/
  ``write_datetime`` into a bare constant_memory workbook (no styles, widths, heights or blank cells);

and, without ``--quick``, once each: ``imports only`` (the floor of the memory), ``query only``
(:func:`app.exports.case_data.iter_ledger_rows`), ``case-ledger, 1 year`` (about a third of the rows:
memory must not grow with rows) and ``plain openpyxl`` (the same cells in openpyxl's write-only mode).
The result goes into bench/results.json under ``ledger_export.case_ledger.<rows>`` (merged with the other
benchmarks' keys). ``--tracemalloc`` adds the peak Python heap of the streamed query.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
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
    subprocess.run(
        [sys.executable, "-m", "app", "demo", "--db", str(db), "--cases", str(cases)], cwd=ROOT, check=True
    )
    print(f"  built in {time.perf_counter() - t0:.1f} s, {db.stat().st_size / 1e6:.1f} MB", flush=True)
    return db


# --- the worker (one measurement per process) ------------------------------------------------------


def _peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _plain_openpyxl(session_factory, out: Path) -> int:
    """The same cells as the export, appended to a bare write-only workbook."""
    from openpyxl import Workbook

    from app.exports.case_data import iter_ledger_rows, ledger_filters
    from app.exports.xlsx_engine import load_table_config

    columns = load_table_config("case-ledger").columns
    keys = [c.key for c in columns]
    money = {c.key for c in columns if c.type == "money"}
    boolean = {c.key for c in columns if c.type == "bool"}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("调解案件台账")
    ws.append([c.label for c in columns])
    n = 0
    with session_factory() as session:
        for n, row in enumerate(iter_ledger_rows(session, ledger_filters(session, {})), 1):
            row["seq"] = n
            values = []
            for k in keys:
                v = row.get(k)
                if k in money and v is not None:
                    v = v / 100
                elif k in boolean:
                    v = "是" if v else "否"
                values.append(v)
            ws.append(values)
    wb.save(str(out))
    return n


def _floor_xlsxwriter(session_factory, out: Path) -> int:
    """The floor: the same query and the same cell values, written with xlsxwriter's constant_memory mode the
    plain way (``write_string`` for text, a date format for dates, no other styles, heights or widths)."""
    import datetime as dt

    import xlsxwriter

    from app.exports.case_data import iter_ledger_rows, ledger_filters
    from app.exports.xlsx_engine import load_table_config

    columns = load_table_config("case-ledger").columns
    keys = [c.key for c in columns]
    money = {c.key for c in columns if c.type == "money"}
    boolean = {c.key for c in columns if c.type == "bool"}
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("调解案件台账")
    for col, c in enumerate(columns):
        ws.write_string(0, col, c.label)
    n = 0
    with session_factory() as session:
        for n, row in enumerate(iter_ledger_rows(session, ledger_filters(session, {})), 1):
            row["seq"] = n
            for col, k in enumerate(keys):
                v = row.get(k)
                if k in money and v is not None:
                    v = v / 100
                elif k in boolean:
                    v = "是" if v else "否"
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(n, col, v)
                elif isinstance(v, dt.date):
                    ws.write_datetime(n, col, v, date_fmt)
                else:
                    ws.write_number(n, col, v)
    wb.close()
    return n


def worker(mode: str, db: Path, out: Path, trace: bool) -> dict:
    t_import = time.perf_counter()
    import openpyxl  # noqa: F401 - the floor includes the libraries every mode needs
    import xlsxwriter  # noqa: F401

    from app.exports.case_data import iter_ledger_rows, ledger_filters
    from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
    from db.session import open_database

    load_builtin_kinds()
    opened = open_database(db, create=False)
    import_s = time.perf_counter() - t_import
    if trace:
        import tracemalloc

        tracemalloc.start()
    rows = 0
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    if mode == "imports":
        pass
    elif mode == "query":
        with opened.session_factory() as session:
            rows = sum(1 for _ in iter_ledger_rows(session, ledger_filters(session, {})))
    elif mode in ("export", "export-year"):
        params = {"year": 2025} if mode == "export-year" else {}
        run_export("case-ledger", ExportRequest(opened.session_factory, out, params))
        from app.exports.xlsx_engine import read_manifest

        rows = int(read_manifest(out)["row_count"])
    elif mode == "openpyxl":
        rows = _plain_openpyxl(opened.session_factory, out)
    elif mode == "xlsxwriter":
        rows = _floor_xlsxwriter(opened.session_factory, out)
    else:
        raise SystemExit(f"unknown mode {mode}")
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - cpu0
    heap = None
    if trace:
        import tracemalloc

        heap = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    opened.engine.dispose()
    return {
        "mode": mode,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "import_seconds": import_s,
        "rss_mb": _peak_rss_mb(),
        "heap_mb": heap,
        "rows": rows,
        "file_mb": out.stat().st_size / 1e6 if out.exists() else None,
    }


# --- the driver ------------------------------------------------------------------------------------


def run_once(mode: str, db: Path, trace: bool = False) -> dict:
    """One measurement in a fresh subprocess (its own peak RSS)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ledger.xlsx"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, "--db", str(db), "--out", str(out)]
        if trace:
            cmd.append("--tracemalloc")
        env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"{mode} failed:\n{proc.stderr[-2000:]}")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"  {mode}: {result['seconds']:.1f} s (CPU {result['cpu_seconds']:.1f} s), "
          f"peak RSS {_fmt(result['rss_mb'], '.0f')} MB", flush=True)
    return result


def summarize(results: list[dict]) -> dict:
    best = dict(results[0])
    best["seconds"] = statistics.median(r["seconds"] for r in results)
    best["cpu_seconds"] = statistics.median(r["cpu_seconds"] for r in results)
    best["rss_mb"] = max((r["rss_mb"] or 0) for r in results) or None
    best["runs"] = len(results)
    best["all_seconds"] = [round(r["seconds"], 2) for r in results]
    return best


def measure(mode: str, db: Path, runs: int, trace: bool = False) -> dict:
    return summarize([run_once(mode, db, trace) for _ in range(runs)])


def _fmt(v, spec: str) -> str:
    return "n/a" if v is None else format(v, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of the export and of the floor (medians)")
    parser.add_argument("--db", type=Path, help="an existing demo database (else bench/.cache/bench-<N>.db)")
    parser.add_argument("--quick", action="store_true", help="only the export and the floor (no other lines)")
    parser.add_argument("--no-record", action="store_true", help="do not write bench/results.json")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the peak Python heap (slow)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.db, args.out, args.tracemalloc)))
        return

    db = args.db or build_db(args.cases)
    print(f"measuring on {db.name} ({db.stat().st_size / 1e6:.0f} MB), {args.runs} run(s) of export and floor …",
          flush=True)
    # the export and its floor alternate, so that a busy machine slows both alike
    pairs: dict[str, list[dict]] = {"export": [], "xlsxwriter": []}
    for _ in range(args.runs):
        for mode in pairs:
            pairs[mode].append(run_once(mode, db))
    res = {"case-ledger export": summarize(pairs["export"]), "xlsxwriter floor": summarize(pairs["xlsxwriter"])}
    plan = [("case-ledger export", "export"), ("xlsxwriter floor", "xlsxwriter")]
    if not args.quick:
        extra = [("imports only", "imports"), ("query only", "query"), ("case-ledger, 1 year", "export-year"),
                 ("plain openpyxl", "openpyxl")]
        for label, mode in extra:
            res[label] = measure(mode, db, 1)
        plan = [extra[0], extra[1], *plan, extra[2], extra[3]]
    heaps = {}
    if args.tracemalloc:
        heaps["query only"] = measure("query", db, 1, trace=True)["heap_mb"]

    base = res["imports only"]["rss_mb"] if "imports only" in res else None
    print(
        f"\n{'what':<22}{'rows':>9}{'runs':>6}{'time s':>9}{'peak RSS MB':>13}{'above floor':>13}{'file MB':>9}"
        + (f"{'py heap MB':>12}" if heaps else "")
    )
    for label, _ in plan:
        r = res[label]
        above = (r["rss_mb"] - base) if (r["rss_mb"] is not None and base is not None) else None
        line = (
            f"{label:<22}{r['rows']:>9}{r['runs']:>6}{r['seconds']:>9.1f}{_fmt(r['rss_mb'], '.0f'):>13}"
            f"{_fmt(above, '+.0f'):>13}{_fmt(r['file_mb'], '.1f'):>9}"
        )
        if heaps:
            line += f"{_fmt(heaps.get(label), '.1f'):>12}"
        print(line)
    exp, floor = res["case-ledger export"], res["xlsxwriter floor"]
    ratio = exp["seconds"] / floor["seconds"]
    print(f"\napp: {exp['seconds']:.1f} s (median of {exp['runs']}: {exp['all_seconds']}), "
          f"peak RSS {_fmt(exp['rss_mb'], '.0f')} MB, file {_fmt(exp['file_mb'], '.1f')} MB")
    print(f"floor (xlsxwriter constant_memory, same cells, same query): {floor['seconds']:.1f} s "
          f"(median of {floor['runs']}: {floor['all_seconds']}), peak RSS {_fmt(floor['rss_mb'], '.0f')} MB")
    cpu_ratio = exp["cpu_seconds"] / floor["cpu_seconds"]
    print(f"ratio app / floor: {ratio:.2f} wall, {cpu_ratio:.2f} CPU (app {exp['cpu_seconds']:.1f} s, "
          f"floor {floor['cpu_seconds']:.1f} s of CPU)  (goal ≤ 1.3)")
    if "plain openpyxl" in res:
        print(f"plain openpyxl write-only, same cells: {res['plain openpyxl']['seconds']:.1f} s")
    print(f"throughput: {exp['rows'] / exp['seconds']:.0f} rows/s")
    if not args.no_record:
        from bench.results import line as result_line
        from bench.results import record

        key = f"ledger_export.case_ledger.{exp['rows']}"
        record({key: result_line(
            app_ms=exp["seconds"] * 1000,
            floor_ms=floor["seconds"] * 1000,
            runs=exp["runs"],
            app_cpu_ms=round(exp["cpu_seconds"] * 1000, 1),
            floor_cpu_ms=round(floor["cpu_seconds"] * 1000, 1),
            cpu_ratio=round(cpu_ratio, 2),
            rows=exp["rows"],
            app_rss_mb=round(exp["rss_mb"], 1) if exp["rss_mb"] else None,
            floor_rss_mb=round(floor["rss_mb"], 1) if floor["rss_mb"] else None,
            file_mb=round(exp["file_mb"], 1) if exp["file_mb"] else None,
            floor_what="xlsxwriter constant_memory writing the same cells (same query), medians",
        )})
        print(f"recorded {key} in bench/results.json")


if __name__ == "__main__":
    main()

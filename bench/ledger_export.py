"""Time and peak memory of the ``case-ledger`` export on the 100,000-case demo database, against writing
the same cells with openpyxl's write-only mode directly.

    .venv/bin/python bench/ledger_export.py [--cases 100000] [--runs 1] [--tracemalloc]

Builds ``bench/.cache/bench-<N>.db`` once with ``python -m app demo`` (shared with bench/startup.py).
Every measurement runs in a fresh subprocess, so its peak resident memory (``ru_maxrss``) is its own:

* ``imports only``      — Python + the app's modules, SQLAlchemy, openpyxl: the floor of the others;
* ``query only``        — iterate :func:`app.exports.case_data.iter_ledger_rows` (one streamed SQL query);
* ``case-ledger export``— the real export (query → XLSX engine: styles, row heights, title, manifest);
* ``case-ledger, 1 year`` — the same for one year, about a third of the rows (memory must not grow with rows);
* ``plain openpyxl``    — the same query, the same cell values appended to a write-only workbook with no
  styles, widths or heights — what a hand-written export would cost.

``--tracemalloc`` adds the peak Python heap of the streamed query (tracemalloc makes it ~20× slower, so
the export itself is judged by its peak RSS against the floor and against the one-year export).
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


def worker(mode: str, db: Path, out: Path, trace: bool) -> dict:
    t_import = time.perf_counter()
    import openpyxl  # noqa: F401 - the floor includes the libraries every mode needs

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
    else:
        raise SystemExit(f"unknown mode {mode}")
    seconds = time.perf_counter() - t0
    heap = None
    if trace:
        import tracemalloc

        heap = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    opened.engine.dispose()
    return {
        "mode": mode,
        "seconds": seconds,
        "import_seconds": import_s,
        "rss_mb": _peak_rss_mb(),
        "heap_mb": heap,
        "rows": rows,
        "file_mb": out.stat().st_size / 1e6 if out.exists() else None,
    }


# --- the driver ------------------------------------------------------------------------------------


def measure(mode: str, db: Path, runs: int, trace: bool = False) -> dict:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "ledger.xlsx"
            cmd = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                mode,
                "--db",
                str(db),
                "--out",
                str(out),
            ]
            if trace:
                cmd.append("--tracemalloc")
            env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
            proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                raise RuntimeError(f"{mode} failed:\n{proc.stderr[-2000:]}")
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"  {mode}: {results[-1]['seconds']:.1f} s", flush=True)
    best = dict(results[0])
    best["seconds"] = statistics.median(r["seconds"] for r in results)
    best["rss_mb"] = max((r["rss_mb"] or 0) for r in results) or None
    return best


def _fmt(v, spec: str) -> str:
    return "n/a" if v is None else format(v, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the peak Python heap (slow)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.db, args.out, args.tracemalloc)))
        return

    db = build_db(args.cases)
    print(f"measuring on {db.name} ({db.stat().st_size / 1e6:.0f} MB), {args.runs} run(s) each …", flush=True)
    plan = [
        ("imports only", "imports"),
        ("query only", "query"),
        ("case-ledger export", "export"),
        ("case-ledger, 1 year", "export-year"),
        ("plain openpyxl", "openpyxl"),
    ]
    res = {label: measure(mode, db, args.runs) for label, mode in plan}
    heaps = {}
    if args.tracemalloc:
        heaps["query only"] = measure("query", db, 1, trace=True)["heap_mb"]

    base = res["imports only"]["rss_mb"]
    print(
        f"\n{'what':<22}{'rows':>9}{'time s':>9}{'peak RSS MB':>13}{'above floor':>13}{'file MB':>9}"
        + (f"{'py heap MB':>12}" if heaps else "")
    )
    for label, _ in plan:
        r = res[label]
        above = (r["rss_mb"] - base) if (r["rss_mb"] is not None and base is not None) else None
        line = (
            f"{label:<22}{r['rows']:>9}{r['seconds']:>9.1f}{_fmt(r['rss_mb'], '.0f'):>13}"
            f"{_fmt(above, '+.0f'):>13}{_fmt(r['file_mb'], '.1f'):>9}"
        )
        if heaps:
            line += f"{_fmt(heaps.get(label), '.1f'):>12}"
        print(line)
    exp, plain = res["case-ledger export"], res["plain openpyxl"]
    print(f"\nratio export / plain openpyxl: time {exp['seconds'] / plain['seconds']:.2f}", end="")
    if exp["rss_mb"] and plain["rss_mb"]:
        print(f", peak RSS {exp['rss_mb'] / plain['rss_mb']:.2f}")
    else:
        print()
    q = res["query only"]["seconds"]
    print(
        f"writing only (minus the query): export {exp['seconds'] - q:.1f} s, plain {plain['seconds'] - q:.1f} s, "
        f"ratio {(exp['seconds'] - q) / max(plain['seconds'] - q, 1e-9):.2f}"
    )
    print(
        f"throughput: {exp['rows'] / exp['seconds']:.0f} rows/s ({exp['rows'] * 36 / exp['seconds'] / 1000:.0f}k cells/s)"
    )


if __name__ == "__main__":
    main()

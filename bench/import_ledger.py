"""Time and peak memory of importing a 10,000-row case ledger, against just reading the same file with openpyxl.

    .venv/bin/python bench/import_ledger.py [--cases 10000] [--runs 1] [--profile]

Builds ``bench/.cache/import-<N>.db`` (a demo database with N cases) and exports its whole ``case-ledger`` with
full information to ``bench/.cache/import-<N>.xlsx`` once. Every measurement runs in a fresh subprocess, so its
peak resident memory (``ru_maxrss``) is its own:

* ``imports only``    — Python + the app's modules, SQLAlchemy, openpyxl: the floor of the others;
* ``openpyxl read``   — ``load_workbook(read_only=True)`` and every row's values: the least any import costs;
* ``preview``         — read, find the header, parse and check every row, match against the (empty) database;
* ``import``          — the whole import into an empty database with one organization, one transaction;
* ``re-import``       — the same file again into that database (every row matched by uuid, nothing changes).

The ratio ``import ÷ openpyxl read`` is what the issue asks to report.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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


def build_files(cases: int) -> tuple[Path, Path]:
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"import-{cases}.db"
    ledger = CACHE / f"import-{cases}.xlsx"
    if not db.exists():
        print(f"building {db.name} ({cases} cases) …", flush=True)
        subprocess.run([sys.executable, "-m", "app", "demo", "--db", str(db), "--cases", str(cases)], cwd=ROOT, check=True,
                       capture_output=True)
    if not ledger.exists():
        print(f"exporting {ledger.name} …", flush=True)
        subprocess.run([sys.executable, "-m", "app", "export", "case-ledger", "--db", str(db), "--out", str(ledger),
                        "--full-info"], cwd=ROOT, check=True, capture_output=True)
    return db, ledger


def _peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _empty_db(folder: Path):
    from db.models import Organization
    from db.session import open_database

    opened = open_database(folder / "district.db")
    with opened.session_factory.begin() as s:
        if not s.query(Organization).count():
            s.add(Organization(name="基准测试街道劳动人事争议调解中心", kind="21", region_code="120101"))
    return opened


def worker(mode: str, ledger: Path, folder: Path, profile: bool) -> dict:
    import openpyxl  # noqa: F401 - part of the floor

    import app.services.importing.engine  # noqa: F401
    import app.services.importing.targets.cases  # noqa: F401
    from app.services.importing import ImportOptions, build_preview, commit, load_sheet

    result: dict = {"mode": mode}
    opened = _empty_db(folder) if mode in ("preview", "import", "re-import") else None
    options = ImportOptions(organization=1, record_submission=False, save_mapping=False)
    prof = None
    if profile and mode != "imports only":
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t0 = time.perf_counter()
    if mode == "openpyxl read":
        from openpyxl import load_workbook

        wb = load_workbook(ledger, read_only=True, data_only=True)
        n = 0
        for ws in wb.worksheets:
            for _row in ws.iter_rows(values_only=True):
                n += 1
        wb.close()
        result["rows"] = n
    elif mode == "preview":
        plan = load_sheet(ledger, "cases")
        preview = build_preview(opened.session_factory, plan, options)
        result["rows"] = len(preview.rows)
        result["summary"] = preview.summary()
    elif mode in ("import", "re-import"):
        plan = load_sheet(ledger, "cases")
        preview = build_preview(opened.session_factory, plan, options)
        res = commit(opened.session_factory, preview, options)
        result["rows"] = len(preview.rows)
        result["summary"] = res.summary()
    result["seconds"] = time.perf_counter() - t0
    if prof is not None:
        import pstats

        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    result["peak_rss_mb"] = _peak_rss_mb()
    if opened is not None:
        opened.engine.dispose()
    return result


def run(mode: str, ledger: Path, folder: Path, profile: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, __file__, "--worker", mode, "--ledger", str(ledger), "--folder", str(folder)]
                          + (["--profile"] if profile else []), cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    if profile:
        print(proc.stdout[: proc.stdout.rfind("{")])
    return json.loads(proc.stdout[proc.stdout.rfind("\n{") + 1 :] if "\n{" in proc.stdout else proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--worker")
    parser.add_argument("--ledger", type=Path)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.ledger, args.folder, args.profile), ensure_ascii=False))
        return
    _db, ledger = build_files(args.cases)
    print(f"ledger: {ledger.name}, {ledger.stat().st_size / 1e6:.1f} MB", flush=True)
    rows = []
    for mode in ("imports only", "openpyxl read", "preview", "import", "re-import"):
        times, peaks, info = [], [], {}
        for _ in range(args.runs):
            folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
            try:
                if mode == "re-import":
                    run("import", ledger, folder, False)
                info = run(mode, ledger, folder, args.profile and mode in ("import",))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            times.append(info.get("seconds", 0.0))
            peaks.append(info.get("peak_rss_mb") or 0.0)
        rows.append((mode, statistics.median(times), max(peaks), info.get("rows", ""), info.get("summary", "")))
        print(f"{mode:14s} {statistics.median(times):7.2f} s  peak {max(peaks):6.0f} MB  rows {info.get('rows', '')}  "
              f"{info.get('summary', '')}", flush=True)
    read = next(r for r in rows if r[0] == "openpyxl read")
    imp = next(r for r in rows if r[0] == "import")
    floor = rows[0]
    print(f"\nimport ÷ openpyxl read: time {imp[1] / read[1]:.1f}×, peak memory {imp[2] / read[2]:.1f}× "
          f"(above the {floor[2]:.0f} MB floor: {(imp[2] - floor[2]) / max(read[2] - floor[2], 1):.1f}×)")


if __name__ == "__main__":
    main()

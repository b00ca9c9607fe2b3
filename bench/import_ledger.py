"""Time and peak memory of importing a case ledger (10,000 rows by default), against just reading the same file.

    .venv/bin/python bench/import_ledger.py [--cases 10000] [--runs 5] [--modes …] [--profile]
    .venv/bin/python bench/import_ledger.py --cases 100000 --runs 1 --modes import   # peak memory of a big file

Builds ``bench/.cache/import-<N>.db`` (a demo database with N cases) and exports its whole ``case-ledger`` with
full information to ``bench/.cache/import-<N>.xlsx`` once. Every measurement runs in a fresh subprocess, so its
peak resident memory (``ru_maxrss``) is its own:

* ``imports only``    — Python + the app's modules, SQLAlchemy, python-calamine: the floor of the others' memory;
* ``calamine read``   — python-calamine: open, the sheet, every row as Python values (``to_python``): the floor;
* ``openpyxl read``   — ``load_workbook(read_only=True)`` and every row's values (the reader the app used before);
* ``preview``         — load_sheet + build_preview: read, find the header, parse, check and match every row (the wizard);
* ``import``          — ``run_import`` into an empty database with one organization (one transaction, in batches);
* ``re-import``       — the same file again into that database (every row matched by uuid, nothing changes).

Each line is the median of ``--runs`` runs (wall clock; CPU time beside it, as other work on the machine
stretches the wall clock). The ratio ``import ÷ calamine read`` (both measured in this run) and the peak
memory go into ``bench/results.json`` (keys ``import_ledger.<N>.*``, via bench/results.py).
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
    import python_calamine  # noqa: F401 - part of the floor

    import app.services.importing.engine  # noqa: F401
    import app.services.importing.targets.cases  # noqa: F401
    from app.services.importing import ImportOptions, build_preview, load_sheet, run_import

    result: dict = {"mode": mode}
    opened = _empty_db(folder) if mode in ("preview", "import", "re-import") else None
    options = ImportOptions(organization=1, record_submission=False, save_mapping=False)
    prof = None
    if profile and mode != "imports only":
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t0 = time.perf_counter()
    c0 = time.process_time()
    if mode == "calamine read":
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(ledger))
        n = 0
        for i in range(len(wb.sheet_names)):
            n += len(wb.get_sheet_by_index(i).to_python(skip_empty_area=False))
        wb.close()
        result["rows"] = n
    elif mode == "openpyxl read":
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
        res = run_import(opened.session_factory, ledger, "cases", options)
        result["rows"] = len(res.preview.rows)
        result["summary"] = res.summary()
    result["seconds"] = time.perf_counter() - t0
    result["cpu"] = time.process_time() - c0
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


MODES = ("imports only", "calamine read", "openpyxl read", "preview", "import", "re-import")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated, from: " + ", ".join(MODES))
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-record", action="store_true", help="do not write bench/results.json")
    parser.add_argument("--worker")
    parser.add_argument("--ledger", type=Path)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.ledger, args.folder, args.profile), ensure_ascii=False))
        return
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if unknown := [m for m in modes if m not in MODES]:
        raise SystemExit(f"unknown modes: {unknown}")
    _db, ledger = build_files(args.cases)
    print(f"ledger: {ledger.name}, {ledger.stat().st_size / 1e6:.1f} MB, runs: {args.runs}", flush=True)
    rows: dict[str, dict] = {}
    for mode in modes:
        times, cpus, peaks, info = [], [], [], {}
        for _ in range(args.runs):
            folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
            try:
                if mode == "re-import":
                    run("import", ledger, folder, False)
                info = run(mode, ledger, folder, args.profile and mode in ("import",))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            times.append(info.get("seconds", 0.0))
            cpus.append(info.get("cpu", 0.0))
            peaks.append(info.get("peak_rss_mb") or 0.0)
        rows[mode] = {"seconds": statistics.median(times), "cpu": statistics.median(cpus), "peak_mb": max(peaks),
                      "rows": info.get("rows", ""), "summary": info.get("summary", "")}
        r = rows[mode]
        print(f"{mode:14s} {r['seconds']:7.2f} s (cpu {r['cpu']:6.2f} s)  peak {r['peak_mb']:6.0f} MB  rows {r['rows']}  "
              f"{r['summary']}", flush=True)
    entries = {}
    floor, imp = rows.get("calamine read"), rows.get("import")
    if floor and imp:
        ratio, cpu_ratio = imp["seconds"] / floor["seconds"], imp["cpu"] / max(floor["cpu"], 1e-9)
        print(f"\nimport ÷ calamine read: {imp['seconds']:.2f} s ÷ {floor['seconds']:.2f} s = {ratio:.1f}× wall clock "
              f"(cpu {imp['cpu']:.2f} s ÷ {floor['cpu']:.2f} s = {cpu_ratio:.1f}×); import peak {imp['peak_mb']:.0f} MB")
    for mode, r in rows.items():
        if mode == "imports only":
            continue
        from bench.results import line

        key = f"import_ledger.{args.cases}.{mode.replace(' ', '_').replace('-', '_')}"
        entries[key] = line(r["seconds"] * 1000, floor["seconds"] * 1000 if floor and mode != "calamine read" else None,
                            cpu_ms=round(r["cpu"] * 1000, 1),
                            cpu_ratio=round(r["cpu"] / floor["cpu"], 2) if floor and floor["cpu"] and mode != "calamine read" else None,
                            peak_rss_mb=round(r["peak_mb"], 1), rows=r["rows"], runs=args.runs,
                            floor="python-calamine read of the same file, same run")
    if "imports only" in rows:
        entries[f"import_ledger.{args.cases}.imports_only"] = {"peak_rss_mb": round(rows["imports only"]["peak_mb"], 1)}
    if entries and not args.no_record:
        from bench.results import record

        record(entries)
        print(f"recorded {len(entries)} lines in bench/results.json")


if __name__ == "__main__":
    main()

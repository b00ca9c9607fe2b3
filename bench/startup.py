"""Start-up time to first window shown, with a 100,000-case database, against a bare PySide6 window.

    .venv/bin/python bench/startup.py [--cases 100000] [--runs 7]

Builds ``bench/.cache/bench-<N>.db`` once with ``python -m app demo`` (reused afterwards), then starts
``python -m app --db <that file>`` and ``bench/bare_window.py`` alternately. Each process prints
``SHOWN <epoch>`` once its window has been shown and the event loop has run (the app does this when
MEDIATION_DESK_QUIT_AFTER_SHOWN=1), then quits. Reports medians and the ratio app / bare.

The app's modules are byte-compiled first (``compileall``), as they are after any normal run or in the
PyInstaller build: with PYTHONDONTWRITEBYTECODE set (as on some CI and sandbox machines) Python would
otherwise compile every module from source on each start, which is not what an office PC does.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"


def build_db(cases: int) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"bench-{cases}.db"
    if db.exists():
        return db
    print(f"building {db.name} ({cases} cases) …", flush=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app", "demo", "--db", str(db), "--cases", str(cases)], cwd=ROOT, check=True)
    print(f"  built in {time.perf_counter() - t0:.1f} s, {db.stat().st_size / 1e6:.1f} MB", flush=True)
    return db


def time_to_shown(cmd: list[str], env: dict[str, str]) -> tuple[float, float | None]:
    """Seconds from process start to the window shown, and to READY (database open) if printed."""
    t0 = time.time()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    marks = {}
    for line in proc.stdout.splitlines():
        if line.startswith(("SHOWN ", "READY ")):
            marks[line.split()[0]] = float(line.split()[1]) - t0
    if "SHOWN" not in marks:
        raise RuntimeError(f"no SHOWN line from {cmd}: rc={proc.returncode} {proc.stderr[-500:]}")
    return marks["SHOWN"], marks.get("READY")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db = build_db(args.cases)
    for package in ("app", "db"):
        compileall.compile_dir(ROOT / package, quiet=1)
    env = dict(os.environ, MEDIATION_DESK_QUIT_AFTER_SHOWN="1", PYTHONPATH=str(ROOT))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["MEDIATION_DESK_SETTINGS_DIR"] = str(CACHE / "settings")
    app_cmd = [sys.executable, "-m", "app", "--db", str(db)]
    bare_cmd = [sys.executable, str(ROOT / "bench" / "bare_window.py")]
    time_to_shown(app_cmd, env), time_to_shown(bare_cmd, env)  # warm the OS file cache
    app_times, ready_times, bare_times, pair_ratios = [], [], [], []
    for _ in range(args.runs):
        shown, ready = time_to_shown(app_cmd, env)
        app_times.append(shown)
        ready_times.append(ready)
        bare_times.append(time_to_shown(bare_cmd, env)[0])
        pair_ratios.append(app_times[-1] / bare_times[-1])  # neighbours in time share the machine's load
    app_med, bare_med = statistics.median(app_times), statistics.median(bare_times)
    ready_med = statistics.median(ready_times)
    print(f"\nplatform={env['QT_QPA_PLATFORM']} cases={args.cases} runs={args.runs} db={db.stat().st_size / 1e6:.1f} MB")
    print(f"{'what':<22}{'median s':>10}{'min s':>10}{'max s':>10}")
    print(f"{'bare PySide6 window':<22}{bare_med:>10.3f}{min(bare_times):>10.3f}{max(bare_times):>10.3f}")
    print(f"{'调解工作台 (app)':<20}{app_med:>10.3f}{min(app_times):>10.3f}{max(app_times):>10.3f}")
    print(f"{'app: database open':<22}{ready_med:>10.3f}{min(ready_times):>10.3f}{max(ready_times):>10.3f}")
    print(f"{'ratio app / bare (first window shown)':<40}{app_med / bare_med:>6.2f}")
    print(f"{'median of paired ratios (app / bare run)':<40}{statistics.median(pair_ratios):>6.2f}")
    print(f"{'ratio app ready / bare':<40}{ready_med / bare_med:>6.2f}")


if __name__ == "__main__":
    main()

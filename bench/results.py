"""bench/results.json: one file where every benchmark records its lines (the app's time, the floor measured in
the same run, their ratio). Several benchmarks write to it, each its own keys: :func:`record` reads the file,
replaces only the given keys and writes it back atomically (a temporary file renamed over it), under a lock
file so two benchmarks finishing together do not lose each other's lines.

    from bench.results import record, line
    record({"stats.one_year": line(app_ms=52.1, floor_ms=48.0, note="…")})
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results.json"


def line(app_ms: float, floor_ms: float | None, **extra: Any) -> dict[str, Any]:
    """One result line: medians in milliseconds, and app ÷ floor."""
    out: dict[str, Any] = {"app_ms": round(app_ms, 1)}
    if floor_ms is not None:
        out["floor_ms"] = round(floor_ms, 1)
        out["ratio"] = round(app_ms / floor_ms, 2) if floor_ms else None
    out.update(extra)
    out["measured"] = time.strftime("%Y-%m-%d %H:%M:%S")
    return out


def _lock(path: Path, timeout: float = 30.0) -> Path:
    lock = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            os.close(fd)
            return lock
        except FileExistsError:
            if time.monotonic() > deadline:  # a writer killed half-way: take the lock over
                return lock
            time.sleep(0.05)


def record(entries: dict[str, Any], path: Path = RESULTS) -> None:
    """Merge ``entries`` into the JSON object at ``path`` (other keys are kept) and write it atomically."""
    lock = _lock(path)
    try:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                data = {}
        except (FileNotFoundError, ValueError):
            data = {}
        data.update(entries)
        fd, tmp = tempfile.mkstemp(prefix=".results-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=2, sort_keys=True)
                fh.write("\n")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    finally:
        lock.unlink(missing_ok=True)

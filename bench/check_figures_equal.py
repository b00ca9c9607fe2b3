"""Prove a change to the statistics computation changed no figure: :func:`app.services.stats.compute_in` for
7 periods × 4 scopes on a demo database, saved before the change and compared after it.

    .venv/bin/python bench/check_figures_equal.py --db FILE --save before.json     # with the old code
    .venv/bin/python bench/check_figures_equal.py --db FILE --against before.json  # with the new code

Periods: the years 2024, 2025, 2026, 2025 Q2, March 2026, 2024-03-05..2026-10-09 and 2024..2026; scopes:
all, the first organization, the organization kind of the last organization, region 120000. ``today`` is
fixed (2026-11-24) so the volunteer figures do not move with the clock. Every figure of every combination
must be equal (floats exactly, after a JSON round trip); the differences are printed and the exit status is 1
if there are any. The database is opened read-only in spirit (nothing is written; it must be at the head
schema, or pass a copy: opening upgrades it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 24)


def combinations(session):
    from app.services import stats
    from app.services.stats import Period, Scope

    periods = [Period.year(2024), Period.year(2025), Period.year(2026), Period.quarter(2025, 2),
               Period.month(2026, 3), Period.custom(date(2024, 3, 5), date(2026, 10, 9)), Period.years(2024, 2026)]
    orgs = stats._org_rows(session, Scope.all())
    scopes = [Scope.all(), Scope.organization(orgs[0][0]), Scope.org_kind(orgs[-1][3]), Scope.region("120000")]
    return [(p, sc) for p in periods for sc in scopes]


def figures(db: Path) -> dict[str, object]:
    from app.services import stats
    from db.session import open_database

    opened = open_database(db, create=False)
    out: dict[str, object] = {}
    try:
        with opened.session_factory() as s:
            for p, sc in combinations(s):
                t0 = time.perf_counter()
                out[f"{p.key}|{sc.key}"] = stats.compute_in(s, p, sc, today=TODAY)
                print(f"  {p.key:<24} {sc.key:<16} {(time.perf_counter() - t0) * 1000:7.0f} ms", flush=True)
    finally:
        opened.engine.dispose()
    return json.loads(json.dumps(out, ensure_ascii=False, sort_keys=True))


def differences(old, new, path: str = "") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        out = [f"{path}.{k}: only before" for k in old if k not in new]
        out += [f"{path}.{k}: only after" for k in new if k not in old]
        for k in old:
            if k in new:
                out += differences(old[k], new[k], f"{path}.{k}")
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        out = []
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            out += differences(a, b, f"{path}[{i}]")
        return out
    return [] if old == new and type(old) is type(new) else [f"{path}: {old!r} → {new!r}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="write the figures here (before the change)")
    group.add_argument("--against", type=Path, help="compare with figures saved before the change")
    args = parser.parse_args(argv)

    figs = figures(args.db)
    if args.save:
        args.save.write_text(json.dumps(figs, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        print(f"saved {len(figs)} combinations to {args.save}")
        return 0
    before = json.loads(args.against.read_text(encoding="utf-8"))
    diffs = differences(before, figs)
    for d in diffs[:50]:
        print(d)
    print(f"{len(figs)} combinations, {len(diffs)} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main())

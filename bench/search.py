"""Benchmark of the case list's search box on the 100,000-case demo database: old ``LIKE`` vs the FTS5 index.

    .venv/bin/python bench/search.py [--db bench/.cache/bench-100000.db] [--repeat 5]

Builds the database first if it is missing (``python -m app demo --db … --cases 100000``). An older database
without the index is upgraded first (migration 0006 builds it). For four kinds of search typed one key at a
time — a person's name, a company name fragment, a case-number fragment 「调字第01」, an ID-number prefix
「120114」 and a phone prefix — each keystroke's work is timed (median of ``--repeat`` runs):

- old: the list's query before the index: ``search_text LIKE '%…%'``, every id in list order (the count),
  then the first page of 100 rows;
- new: the count capped at 10,000 (「1 万条以上」) and the first page of 100 rows, through the index;
- new·ids: every id in list order through the index (what the list does today while a search is set), then
  the first page.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.case_list import DEFAULT_DB, ensure_db  # noqa: E402


@contextmanager
def without_index() -> Iterator[None]:
    import app.services.case_list.search as search

    ready = search.search_index_ready
    search.search_index_ready = lambda _connection: False
    try:
        yield
    finally:
        search.search_index_ready = ready


def median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ensure_db(args.db)

    from datetime import date

    from sqlalchemy import select

    from app.services.calendar import WorkCalendar
    from app.services.case_list import (
        CaseFilter,
        count_cases_capped,
        fetch_case_ids,
        fetch_case_rows,
        fetch_rows_by_ids,
    )
    from db.models import CaseParty
    from db.session import open_database

    opened = open_database(args.db)
    sf, cal, today = opened.session_factory, WorkCalendar.load(), date.today()
    with sf() as s:
        names = list(s.scalars(select(CaseParty.name).where(CaseParty.party_kind == "person").limit(50_000)))
        surname = Counter(n[0] for n in names).most_common(1)[0][0]
        name = next(n for n in names if n[0] == surname and len(n) == 3)
        company = s.scalar(select(CaseParty.name).where(CaseParty.party_kind == "employer").limit(1)) or ""
        phone = s.scalar(select(CaseParty.phone).where(CaseParty.phone.is_not(None)).limit(1)) or "13900000000"
    kinds = {
        "name": name,
        "company": company[3:7],
        "case number": "调字第01",
        "ID prefix": "120114",
        "phone": phone[:7],
    }

    def old(flt: CaseFilter) -> str:
        with without_index(), sf() as s:
            ids = fetch_case_ids(s, flt, today=today, calendar=cal)
            fetch_rows_by_ids(s, ids[:100], today=today, calendar=cal)
            return f"{len(ids):,}"

    def new(flt: CaseFilter) -> str:
        with sf() as s:
            n = count_cases_capped(s, flt, today=today, calendar=cal)
            fetch_case_rows(s, flt, limit=100, today=today, calendar=cal)
            return n.text

    def new_ids(flt: CaseFilter) -> str:
        with sf() as s:
            ids = fetch_case_ids(s, flt, today=today, calendar=cal)
            fetch_rows_by_ids(s, ids[:100], today=today, calendar=cal)
            return f"{len(ids):,}"

    print(f"{'kind':12} {'typed':10} {'old ms':>8} {'new ms':>8} {'new·ids':>8}  matches (old / new)")
    summary: dict[str, list[tuple[float, float, float]]] = {}
    for kind, word in kinds.items():
        for i in range(1, len(word) + 1):
            flt = CaseFilter(search=word[:i])
            t_old, n_old = median_ms(lambda flt=flt: old(flt), args.repeat)
            t_new, n_new = median_ms(lambda flt=flt: new(flt), args.repeat)
            t_ids, _ = median_ms(lambda flt=flt: new_ids(flt), args.repeat)
            summary.setdefault(kind, []).append((t_old, t_new, t_ids))
            print(f"{kind:12} {word[:i]:10} {t_old:8.1f} {t_new:8.1f} {t_ids:8.1f}  {n_old} / {n_new}", flush=True)
    print()
    for kind, rows in summary.items():
        olds, news, idss = zip(*rows, strict=True)
        print(f"{kind:12} per keystroke: old {min(olds):.0f}–{max(olds):.0f} ms, new {min(news):.0f}–{max(news):.0f} ms, "
              f"new·ids {min(idss):.0f}–{max(idss):.0f} ms")
    opened.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Timing of the volunteer programme's queries: duty board, roster, contacts as of a date, figures, recusal.

    .venv/bin/python bench/volunteers.py [--cases 100000] [--db FILE] [--runs 5] [--stress 2000]

1. On ``bench/.cache/bench-<N>.db`` (built with ``python -m app demo`` if missing, as bench/startup.py does;
   opened on a copy so the cached file is never upgraded or written).
2. With ``--stress V`` (default 2000), on ``bench/.cache/bench-volunteers-<V>.db``: a programme far larger
   than any real unit — V volunteers, 5 contacts each over 1,500 enterprises, and 25 service records per
   volunteer over three years (Core bulk insert, built once) — to show how the queries scale.

Prints the median (and max) milliseconds of each query over ``--runs`` runs, each in a fresh session; for the
duty board and 附件2's pairs also the floor (the same figures by hand-written SQL on a raw sqlite3 connection,
measured in the same run) and the ratio, which go into ``bench/results.json`` (keys ``volunteers.*``).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
sys.path.insert(0, str(ROOT))

from app.services import volunteers as V  # noqa: E402
from app.services.validation import credit_code_check_char, id_check_char  # noqa: E402

TODAY = date(2026, 11, 24)


def build_demo(cases: int) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"bench-{cases}.db"
    if not db.exists():
        print(f"building {db.name} …", flush=True)
        subprocess.run([sys.executable, "-m", "app", "demo", "--db", str(db), "--cases", str(cases)], cwd=ROOT, check=True)
    return db


def build_stress(n_vol: int) -> Path:
    from sqlalchemy import insert

    from db import models as m
    from db.base import new_uuid
    from db.session import open_database

    db = CACHE / f"bench-volunteers-{n_vol}.db"
    if db.exists():
        return db
    print(f"building {db.name} …", flush=True)
    t0 = time.perf_counter()
    opened = open_database(db)
    rng = random.Random(7)
    n_ent = max(300, n_vol * 3 // 4)
    items = ["lecture", "visit", "hearing", "checkup", "case_talk", "salon", "online", "video", "policy", "training", "qa"]
    with opened.session_factory.begin() as s:
        ents = []
        for i in range(n_ent):
            body17 = f"91120101MA{i:07d}"
            ents.append({"uuid": new_uuid(), "name": f"天津压测企业{i:05d}有限公司",
                         "credit_code": body17 + credit_code_check_char(body17), "address": f"天津市和平区测试路{i}号"})
        s.execute(insert(m.Enterprise), ents)
        vols = []
        for i in range(n_vol):
            birth = date(1990, 1, 1) + timedelta(days=rng.randrange(3650))
            body = f"120101{birth:%Y%m%d}{i % 100:02d}{rng.randrange(10)}"
            left = TODAY - timedelta(days=rng.randrange(60, 500)) if i % 10 == 0 else None
            vols.append({"uuid": new_uuid(), "name": f"志愿者{i:05d}", "id_number": body + id_check_char(body),
                         "birth_date": birth, "gender": "男", "unit": f"压测单位{i % 12:02d}",
                         "joined_on": date(2023, 3, 1) + timedelta(days=rng.randrange(400)), "left_on": left,
                         "status": "left" if left else "active", "zyh_registered": True})
        s.execute(insert(m.Volunteer), vols)
        vol_ids = [r[0] for r in s.execute(m.Volunteer.__table__.select().with_only_columns(m.Volunteer.id))]
        ent_ids = [r[0] for r in s.execute(m.Enterprise.__table__.select().with_only_columns(m.Enterprise.id))]
        contacts, records, rv, re_ = [], [], [], []
        rec_id = 0
        for vid, v in zip(vol_ids, vols, strict=True):
            chosen = rng.sample(ent_ids, 5)
            for eid in chosen:
                contacts.append({"uuid": new_uuid(), "volunteer_id": vid, "enterprise_id": eid,
                                 "from_date": v["joined_on"] + timedelta(days=rng.randrange(60)), "to_date": v["left_on"]})
            end = v["left_on"] or TODAY
            for _ in range(25):
                served = v["joined_on"] + timedelta(days=rng.randrange(max(1, (end - v["joined_on"]).days)))
                rec_id += 1
                records.append({"id": rec_id, "uuid": new_uuid(), "served_on": served, "item": rng.choice(items),
                                "minutes": rng.choice([60, 90, 120, 180]), "people_reached": rng.randint(5, 200),
                                "consultations": rng.randint(0, 20), "materials": rng.randint(0, 100),
                                "risks_found": rng.randint(0, 3), "suggestions": rng.randint(0, 4),
                                "uploaded_zyh": True})
                rv.append({"uuid": new_uuid(), "service_record_id": rec_id, "volunteer_id": vid})
                re_.append({"uuid": new_uuid(), "service_record_id": rec_id, "enterprise_id": rng.choice(chosen)})
        s.execute(insert(m.VolunteerContact), contacts)
        s.execute(insert(m.ServiceRecord), records)
        s.execute(insert(m.ServiceRecordVolunteer), rv)
        s.execute(insert(m.ServiceRecordEnterprise), re_)
    opened.engine.dispose()
    print(f"  {n_vol} volunteers, {len(contacts)} contacts, {len(records)} service records "
          f"in {time.perf_counter() - t0:.1f} s", flush=True)
    return db


def measure(label: str, sf, fn, runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        with sf() as s:
            result = fn(s)
        times.append((time.perf_counter() - t0) * 1000)
    med, worst = statistics.median(times), max(times)
    size = len(result) if hasattr(result, "__len__") else ""
    print(f"  {label:<46} {med:8.1f} ms  (max {worst:7.1f})  {size}", flush=True)
    return med, worst, result


BARE_BOARD = (  # the duty board by hand: services and minutes per volunteer and quarter, and the volunteers
    "SELECT v.volunteer_id, SUM(r.served_on BETWEEN :q1a AND :q1b), SUM(CASE WHEN r.served_on BETWEEN :q1a AND :q1b"
    " THEN r.minutes END), SUM(r.served_on BETWEEN :q2a AND :q2b), SUM(CASE WHEN r.served_on BETWEEN :q2a AND :q2b"
    " THEN r.minutes END), SUM(r.served_on BETWEEN :q3a AND :q3b), SUM(CASE WHEN r.served_on BETWEEN :q3a AND :q3b"
    " THEN r.minutes END), SUM(r.served_on BETWEEN :q4a AND :q4b), SUM(CASE WHEN r.served_on BETWEEN :q4a AND :q4b"
    " THEN r.minutes END) FROM service_record_volunteers v JOIN service_records r ON r.id = v.service_record_id"
    " WHERE r.served_on BETWEEN :q1a AND :q4b GROUP BY v.volunteer_id",
    "SELECT id, name, unit, status, joined_on, left_on FROM volunteers"
    " WHERE (joined_on IS NULL OR joined_on <= :q4b) AND (left_on IS NULL OR left_on >= :q1a) ORDER BY unit, name, id",
)
BARE_PAIRS = (  # 附件2 by hand: the active pairs with the columns the form prints
    "SELECT c.id, c.uuid, c.from_date, c.to_date, c.service_mode, c.service_content, c.remark, v.id, v.name, v.unit,"
    " v.phone, e.id, e.name, e.credit_code, e.address, e.region_code, e.street_code, e.industry, e.ownership, e.size,"
    " e.employees, e.above_scale, e.has_union, e.has_mediation_committee, e.contact_name, e.contact_post,"
    " e.contact_phone FROM volunteer_contacts c JOIN volunteers v ON v.id = c.volunteer_id"
    " JOIN enterprises e ON e.id = c.enterprise_id WHERE c.from_date <= :d AND (c.to_date IS NULL OR c.to_date >= :d)"
    " AND (v.joined_on IS NULL OR v.joined_on <= :d) AND (v.left_on IS NULL OR v.left_on >= :d)"
    " AND (v.left_on IS NOT NULL OR v.status != 'left') ORDER BY v.unit, v.name, v.id, c.from_date, c.id"
)


def bare_ms(db: Path, runs: int, statements: tuple[str, ...], params: dict) -> float:
    """Median milliseconds of the hand-written statements on a raw sqlite3 connection (the floor)."""
    import sqlite3

    con = sqlite3.connect(str(db))
    try:
        times = []
        for _ in range(runs + 1):
            t0 = time.perf_counter()
            for sql in statements:
                con.execute(sql, params).fetchall()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times[1:])
    finally:
        con.close()


def run_suite(db_path: Path, runs: int, tag: str = "") -> dict:
    from sqlalchemy import func, select

    from db.models import Enterprise, ServiceRecord, Volunteer, VolunteerContact
    from db.session import open_database

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / db_path.name
        shutil.copy2(db_path, copy)
        opened = open_database(copy)
        sf = opened.session_factory
        with sf() as s:
            counts = [s.execute(select(func.count()).select_from(t)).scalar()
                      for t in (Volunteer, VolunteerContact, ServiceRecord)]
            some_ent = s.execute(select(VolunteerContact.enterprise_id).limit(1)).scalar()
            ent_name = s.get(Enterprise, some_ent).name
        print(f"{db_path.name}: {counts[0]} volunteers, {counts[1]} contacts, {counts[2]} service records")
        from app.services.formatting import quarter_range
        from app.services.volunteers.pairs import active_pairs

        q = {}
        for n in range(1, 5):
            a, b = quarter_range(2026, n)
            q[f"q{n}a"], q[f"q{n}b"] = a.isoformat(), b.isoformat()
        board_ms, _w, _r = measure("duty board 2026 (grid + the four quarters' figures)", sf,
                                   lambda s: V.duty_board(s, 2026, today=TODAY).rows, runs)
        board_floor = bare_ms(copy, runs, BARE_BOARD, q)
        print(f"  {'  floor: bare SQL (2 queries, sqlite3)':<46} {board_floor:8.1f} ms  ratio {board_ms / board_floor:.2f}×")
        pairs_ms, _w, _r = measure("附件2 pairs active on 2026-06-30 (active_pairs)", sf,
                                   lambda s: active_pairs(s, date(2026, 6, 30)), runs)
        pairs_floor = bare_ms(copy, runs, (BARE_PAIRS,), {"d": "2026-06-30"})
        print(f"  {'  floor: bare SQL (1 query, sqlite3)':<46} {pairs_floor:8.1f} ms  ratio {pairs_ms / pairs_floor:.2f}×")
        measure("roster list_volunteers (current quarter)", sf, lambda s: V.list_volunteers(s, today=TODAY), runs)
        measure("roster filtered: duty missed", sf, lambda s: V.list_volunteers(s, duty="missed", today=TODAY), runs)
        measure("附件2 pairs as ORM entities (active_pairs_query)", sf,
                lambda s: s.execute(V.active_pairs_query(date(2026, 6, 30))).all(), runs)
        measure("quarter_figures 2026Q3", sf, lambda s: V.quarter_figures(s, 2026, 3), runs)
        measure("service records of 2026Q4 (with names)", sf,
                lambda s: V.list_service_records(s, date_from=date(2026, 10, 1), date_to=date(2026, 12, 31)), runs)
        measure("stale enterprises (two quarters)", sf, lambda s: V.stale_enterprises(s, today=TODAY), runs)
        measure("recusal_check by name", sf, lambda s: V.recusal_check(s, name=ent_name, today=TODAY), runs)
        measure("survey averages by volunteer", sf, lambda s: V.survey_averages_by_volunteer(s), runs)
        opened.engine.dispose()
    from bench.results import line

    size = {"volunteers": counts[0], "contacts": counts[1], "service_records": counts[2], "database": db_path.name}
    return {f"volunteers.{tag}.duty_board": line(board_ms, board_floor, **size),
            f"volunteers.{tag}.annex2_pairs": line(pairs_ms, pairs_floor, **size)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stress", type=int, default=2000, help="volunteers in the stress database (0: skip)")
    parser.add_argument("--db", type=Path, help="an existing demo database instead of bench/.cache/bench-<N>.db")
    args = parser.parse_args()
    from bench.results import record

    entries = run_suite(args.db or build_demo(args.cases), args.runs, "demo")
    if args.stress:
        entries.update(run_suite(build_stress(args.stress), args.runs, f"stress{args.stress}"))
    record(entries)
    print("\nline                                   app ms   floor ms   ratio   (medians of", args.runs, "runs)")
    for key, e in entries.items():
        print(f"{key:<38} {e['app_ms']:8.1f} {e['floor_ms']:9.1f} {e['ratio']:7.2f}×")


if __name__ == "__main__":
    main()

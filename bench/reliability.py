"""Reliability under kill -9: each operation that writes is killed at a random moment, N times, and the files checked.

    .venv/bin/python bench/reliability.py [--runs 3] [--cases 300] [--seed 18] [--keep DIR]

Operations (each run works on a fresh copy, in a forked child that is SIGKILLed after a random delay between 0
and the time an uninterrupted run takes; the delays shrink whenever a run beats its kill, so most runs are cut
off somewhere inside the operation):

* ``save``     — the case service registering cases one after another (100 saves, one transaction each);
* ``import``   — a case ledger (.xlsx, every case of the busiest organization) imported into an empty database;
* ``backup``   — 备份数据库 (``VACUUM INTO`` a temp file, checked, renamed);
* ``restore``  — 从备份恢复 (the current data copied aside, then the backup copied in in one transaction);
* ``export``   — 案件台账 .xlsx (temp file, renamed when complete);
* ``create``   — a new database (built under another name, renamed when complete);
* ``upgrade``  — a database at the previous schema revision opened (copy aside, migrations in one transaction).

After each kill the database is opened as the program opens it (creating or upgrading as needed) and
*survived* means: it opens, is at the head revision, passes ``PRAGMA quick_check``, and its row counts are
those before the operation or those after it — never in between (for ``save``: a whole number of saves, each
with its parties and claims). For ``backup`` / ``export`` the output is also either absent or complete (the
backup opens at head with the same counts, the .xlsx is a sound zip). Anything else is *lost*, with the reason.
Needs ``os.fork`` (Linux, macOS).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.demo import generate_demo  # noqa: E402
from db.check import DatabaseError  # noqa: E402
from db.migrate import run_migrations  # noqa: E402
from db.session import SCHEMA_HEAD, open_database, read_revision  # noqa: E402

TODAY = date(2026, 6, 15)
COUNTED = ("organizations", "cases", "case_parties", "case_claims", "mediation_sessions", "agreements",
           "enterprises", "mediators", "volunteers")
SAVES = 100


def counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
    finally:
        con.close()


def quick_ok(path: Path) -> bool:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        con.close()


def reopen(path: Path) -> tuple[dict[str, int] | None, str]:
    """Open as the program does; (counts, '') if it opens at head and passes quick_check, else (None, why)."""
    try:
        opened = open_database(path, verify=True)
    except DatabaseError as exc:
        return None, f"does not open ({exc.kind or 'error'}): {str(exc)[:80]}"
    opened.engine.dispose()
    if read_revision(path)[0] != SCHEMA_HEAD:
        return None, "not at head"
    if not quick_ok(path):
        return None, "quick_check failed"
    return counts(path), ""


# --- the operations (run in the child) --------------------------------------------------------------------


def do_save(path: Path, _ctx: dict) -> None:
    from app.services.cases import CaseDraft, CaseService, ClaimInput, PartyInput

    opened = open_database(path)
    with opened.session_factory() as s:
        org_id = s.execute(sqlite_text("SELECT min(id) FROM organizations")).scalar()
    svc = CaseService(opened.session_factory, user_login="bench", clock=lambda: TODAY)
    for i in range(SAVES):
        svc.register_case(CaseDraft(
            organization_id=org_id, received_on=TODAY, dispute_type_main="02",
            parties=[PartyInput(role="applicant", kind="person", name=f"可靠{i}", id_type=None),
                     PartyInput(role="respondent", kind="employer", name="可靠性测试有限公司", add_to_directory=False)],
            claims=[ClaimInput("02", "支付拖欠工资", 100000)],
        ))


def sqlite_text(sql: str):
    from sqlalchemy import text

    return text(sql)


def do_import(path: Path, ctx: dict) -> None:
    from app.services.importing import ImportOptions, run_import

    opened = open_database(path)
    result = run_import(opened.session_factory, ctx["ledger"], "cases", ImportOptions(today=TODAY))
    assert result.committed


def do_backup(path: Path, ctx: dict) -> None:
    from app.services.backup import backup_database

    backup_database(path, ctx["out_db"])


def do_restore(path: Path, ctx: dict) -> None:
    from app.services.backup import restore_database

    restore_database(ctx["small"], path)


def do_export(path: Path, ctx: dict) -> None:
    from app.exports.registry import ExportRequest, load_builtin_kinds, run_export

    load_builtin_kinds()
    opened = open_database(path)
    run_export("case-ledger", ExportRequest(opened.session_factory, ctx["out_xlsx"], {"full_info": True}))


def do_open(path: Path, _ctx: dict) -> None:  # create and upgrade: what the program does at start
    open_database(path).engine.dispose()


# --- the checks (in the parent, after the kill) ----------------------------------------------------------


def same_or(before: dict, after: dict) -> Callable[[dict], str]:
    def check(now: dict) -> str:
        return "" if now in (before, after) else f"counts in between: {diff(before, now)}"
    return check


def diff(a: dict, b: dict) -> dict:
    return {k: (a[k], b[k]) for k in a if a[k] != b[k]}


def whole_saves(before: dict) -> Callable[[dict], str]:
    def check(now: dict) -> str:
        n = now["cases"] - before["cases"]
        want = dict(before, cases=before["cases"] + n, case_parties=before["case_parties"] + 2 * n,
                    case_claims=before["case_claims"] + n)
        return "" if 0 <= n <= SAVES and now == want else f"half a save: {diff(before, now)}"
    return check


def backup_output(out: Path, want: dict) -> str:
    if not out.exists():
        return ""
    got, why = reopen(out)
    return why or ("" if got == want else f"incomplete backup: {diff(want, got)}")


def export_output(out: Path) -> str:
    if not out.exists():
        return ""
    try:
        with zipfile.ZipFile(out) as zf:
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError) as exc:
        return f"broken export: {exc}"
    return f"broken export member {bad}" if bad else ""


# --- running ---------------------------------------------------------------------------------------------


def child(fn, path: Path, ctx: dict) -> int:
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            fn(path, ctx)
            code = 0
        except BaseException:  # noqa: BLE001 — reported through the exit code
            import traceback

            traceback.print_exc()
        finally:
            os._exit(code)
    return pid


def run_once(fn, path: Path, ctx: dict, delay: float | None) -> tuple[bool, float]:
    """Run ``fn`` in a child; SIGKILL it after ``delay`` s (None: let it finish). (finished, seconds)."""
    t0 = time.perf_counter()
    pid = child(fn, path, ctx)
    if delay is None:
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{fn.__name__} failed without a kill")
        return True, time.perf_counter() - t0
    deadline = t0 + delay
    while time.perf_counter() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0, time.perf_counter() - t0
        time.sleep(min(0.002, max(deadline - time.perf_counter(), 0)))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return False, time.perf_counter() - t0


class Operation:
    def __init__(self, name: str, fn, prepare: Callable[[Path], tuple[Path, dict]],
                 judge: Callable[[Path, dict, dict | None], str]) -> None:
        self.name, self.fn, self.prepare, self.judge = name, fn, prepare, judge
        self.tried = self.killed = self.survived = 0
        self.lost: list[str] = []


def build(work: Path, cases: int) -> dict:
    """The databases and files every operation starts from."""
    from app.exports.registry import ExportRequest, load_builtin_kinds, run_export

    base = work / "base.db"
    opened = open_database(base)
    generate_demo(opened.session_factory, seed=7, cases=cases, today=TODAY)
    load_builtin_kinds()
    with opened.session_factory() as s:
        busiest = s.execute(sqlite_text(
            "SELECT organization_id FROM cases GROUP BY organization_id ORDER BY count(*) DESC LIMIT 1")).scalar()
    ledger = work / "ledger.xlsx"
    run_export("case-ledger", ExportRequest(opened.session_factory, ledger, {"org": busiest, "full_info": True}))
    opened.engine.dispose()
    small = work / "small.db"
    opened = open_database(small)
    generate_demo(opened.session_factory, seed=8, cases=max(cases // 5, 10), today=TODAY)
    opened.engine.dispose()
    empty = work / "empty.db"
    open_database(empty).engine.dispose()
    imported = work / "imported.db"
    shutil.copy2(empty, imported)
    do_import(imported, {"ledger": ledger})
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    previous = ScriptDirectory.from_config(alembic_config()).get_revision(SCHEMA_HEAD).down_revision
    prev = work / "previous.db"
    shutil.copy2(base, prev)
    run_migrations(prev, previous, downgrade=True)
    for p in (base, small, empty, imported, prev):  # self-contained files to copy
        with sqlite3.connect(p) as con:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"base": base, "small": small, "empty": empty, "ledger": ledger, "previous": prev,
            "counts": {k: counts(v) for k, v in (("base", base), ("small", small), ("empty", empty),
                                                 ("imported", imported))}}


def operations(s: dict) -> list[Operation]:
    c = s["counts"]

    def copy_of(name: str) -> Callable[[Path], tuple[Path, dict]]:
        def prepare(folder: Path) -> tuple[Path, dict]:
            path = folder / "mediation.db"
            shutil.copy2(s[name], path)
            return path, {"ledger": s["ledger"], "small": s["small"], "out_db": folder / "备份.db",
                          "out_xlsx": folder / "台账.xlsx"}
        return prepare

    def fresh(folder: Path) -> tuple[Path, dict]:
        return folder / "new.db", {}

    def judged(check_counts: Callable[[dict], str], output: Callable[[dict], str] | None = None):
        def judge(path: Path, ctx: dict, now: dict | None) -> str:
            why = check_counts(now)
            return why or (output(ctx) if output else "")
        return judge

    return [
        Operation("save (100 cases)", do_save, copy_of("base"), judged(whole_saves(c["base"]))),
        Operation("import", do_import, copy_of("empty"), judged(same_or(c["empty"], c["imported"]))),
        Operation("backup", do_backup, copy_of("base"),
                  judged(same_or(c["base"], c["base"]), lambda ctx: backup_output(ctx["out_db"], c["base"]))),
        Operation("restore", do_restore, copy_of("base"), judged(same_or(c["base"], c["small"]))),
        Operation("export", do_export, copy_of("base"),
                  judged(same_or(c["base"], c["base"]), lambda ctx: export_output(ctx["out_xlsx"]))),
        Operation("create", do_open, fresh, judged(same_or(c["empty"], c["empty"]))),
        Operation("upgrade", do_open, copy_of("previous"), judged(same_or(c["base"], c["base"]))),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="kills per operation (default 3)")
    parser.add_argument("--cases", type=int, default=300, help="demo cases in the database (default 300)")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--keep", type=Path, help="keep the work folder (and every lost file) here")
    args = parser.parse_args(argv)
    if not hasattr(os, "fork"):
        print("needs os.fork (Linux or macOS)")
        return 2
    import pypinyin  # noqa: F401  (the upgrade's backfill needs it: loaded before forking)

    from app.services.cases import CaseService  # noqa: F401
    from app.services.importing import run_import  # noqa: F401

    work = Path(tempfile.mkdtemp(prefix="reliability-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    (work / "setup").mkdir(exist_ok=True)
    setup = build(work / "setup", args.cases)
    print(f"set up in {time.perf_counter() - t0:.1f} s: {args.cases} cases, import of "
          f"{setup['counts']['imported']['cases']} cases, previous revision for the upgrade", flush=True)
    ops = operations(setup)
    for op in ops:
        folder = work / op.name.split()[0] / "calibrate"
        folder.mkdir(parents=True)
        path, ctx = op.prepare(folder)
        _, ceiling = run_once(op.fn, path, ctx, None)
        full = ceiling
        for i in range(args.runs):
            folder = work / op.name.split()[0] / f"run{i}"
            folder.mkdir(parents=True)
            path, ctx = op.prepare(folder)
            finished, _ = run_once(op.fn, path, ctx, rng.uniform(0, ceiling))
            op.tried += 1
            if finished:
                ceiling *= 0.7  # too late: aim earlier next time
            else:
                op.killed += 1
            now, why = reopen(path)
            why = why or op.judge(path, ctx, now)
            if why:
                op.lost.append(f"run{i}: {why}")
            else:
                op.survived += 1
                if args.keep is None:
                    shutil.rmtree(folder, ignore_errors=True)
        print(f"  {op.name:<18} full run {full:6.2f} s: {op.survived}/{op.tried} survived", flush=True)
    print()
    print(f"| {'operation':<18} | tried | killed mid-way | survived | lost |")
    print(f"|{'-' * 20}|------:|---------------:|---------:|-----:|")
    for op in ops:
        print(f"| {op.name:<18} | {op.tried:>5} | {op.killed:>14} | {op.survived:>8} | {len(op.lost):>4} |")
    for op in ops:
        for line in op.lost:
            print(f"LOST {op.name}: {line}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if any(op.lost for op in ops) else 0


if __name__ == "__main__":
    sys.exit(main())

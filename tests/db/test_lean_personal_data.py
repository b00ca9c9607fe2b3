"""Lean personal data (issue 18 item 9).

* An audit entry never keeps a full ID or phone number: a corrected ID shows masked before and after.
* What the app creates on POSIX is private: the database (0600), the backups folder (0700) and the backup
  in it, the log folder and log file.
* The lock works across users: another user's lock file that cannot be opened for writing is locked
  read-only — still refused while held, usable once its owner has quit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services.audit_masking import mask_audit_values
from app.services.calendar import WorkCalendar
from app.services.cases import CaseDraft, CaseService, ClaimInput, PartyInput
from app.services.dblock import DatabaseLock
from app.services.validation import id_check_char
from db.models import AuditEntry, Organization
from db.session import open_database
from tests.helpers import Clock

ROOT = Path(__file__).resolve().parents[2]
ID_OLD = "11010519900307123" + id_check_char("11010519900307123")
ID_NEW = "11010519900307124" + id_check_char("11010519900307124")
PHONE = "13812345678"
POSIX = os.name != "nt"


def test_mask_audit_values():
    values = {"id_number": ID_OLD, "contact_phone": "022-12345678", "phone": PHONE,
              "parties": [f"申请人:张三 {ID_OLD}", "被申请人:某公司 91120116MA05JQ8W2X"], "name": "张三", "n": 3}
    masked = mask_audit_values(values)
    assert masked["id_number"] == ID_OLD[:6] + "********" + ID_OLD[-4:]
    assert masked["phone"] == "138****5678" and masked["contact_phone"] == "022-****5678"
    assert masked["parties"][0] == f"申请人:张三 {ID_OLD[:6]}********{ID_OLD[-4:]}"
    assert masked["parties"][1] == "被申请人:某公司 91120116MA05JQ8W2X"  # a credit code is no personal data
    assert masked["name"] == "张三" and masked["n"] == 3
    assert mask_audit_values(None) is None


def test_corrected_id_is_masked_in_the_audit(tmp_path):
    db = open_database(tmp_path / "a.db")
    try:
        with db.session_factory.begin() as s:
            org = Organization(name="某街道劳动人事争议调解中心", kind="21", case_no_prefix="X")
            s.add(org)
            s.flush()
            org_id = org.id
        svc = CaseService(db.session_factory, calendar=WorkCalendar.load(), user_login="clerk",
                          clock=Clock(date(2024, 6, 30)))

        def draft(party_id=None, id_number=ID_OLD):
            return CaseDraft(organization_id=org_id, received_on="2024-05-06", dispute_type_main="02",
                             parties=[PartyInput(id=party_id, name="张三", id_number=id_number, phone=PHONE),
                                      PartyInput(role="respondent", kind="employer", name="天津某某制造有限公司")],
                             claims=[ClaimInput("02", "支付拖欠工资", "12,000.00")])

        cid = svc.register_case(draft()).case_id
        party = svc.get_case(cid).case.parties[0]
        svc.update_registration(cid, draft(party.id, ID_NEW))  # the ID number is corrected
        with db.session_factory() as s:
            entries = s.scalars(select(AuditEntry)).all()
            stored = json.dumps([[e.summary, e.before, e.after] for e in entries], ensure_ascii=False)
            edit = next(e for e in entries if e.action == "edit")
        assert ID_OLD not in stored and ID_NEW not in stored and PHONE not in stored
        assert "parties" in edit.before and "parties" in edit.after  # the correction is still recorded
        assert ID_OLD[:6] + "********" + ID_OLD[-4:] in json.dumps(edit.before, ensure_ascii=False)
        assert ID_NEW[-4:] in json.dumps(edit.after, ensure_ascii=False)
    finally:
        db.engine.dispose()


def _run(args, tmp_path, **kw):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1", PYTHONPATH=str(ROOT),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_DATA_HOME=str(tmp_path / "data"))
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, **kw)


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_created_files_are_private(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    db = folder / "台账.db"
    old = os.umask(0o022)  # a usual, permissive umask: the app must not rely on the user's
    try:
        demo = _run(["-m", "app", "demo", "--db", str(db), "--cases", "3"], tmp_path)
        assert demo.returncode == 0, demo.stderr
        backup = _run(["-m", "app", "backup", "--db", str(db), "--out", str(tmp_path / "b.db")], tmp_path)
        assert backup.returncode == 0, backup.stderr
        restore = _run(["-m", "app", "restore", "--db", str(db), "--from", str(tmp_path / "b.db"), "--yes"], tmp_path)
        assert restore.returncode == 0, restore.stderr
        # a forced failure, so the command writes its log
        failed = _run(["-c", "import sys; import app.services.stats as st; st.compute_from_args = None\n"
                       "from app.main import main; sys.exit(main(sys.argv[1:]))", "stats", "--db", str(db)], tmp_path)
        assert failed.returncode != 0 and failed.stderr.startswith("内部错误")
    finally:
        os.umask(old)
    mode = lambda p: p.stat().st_mode & 0o777  # noqa: E731
    assert mode(db) == 0o600
    assert mode(tmp_path / "b.db") == 0o600
    backups = folder / "backups"
    assert backups.is_dir() and mode(backups) == 0o700
    assert [mode(p) for p in backups.iterdir()] and all(mode(p) == 0o600 for p in backups.iterdir())
    logs = list((tmp_path / "state").rglob("mediation-desk.log"))
    assert logs and mode(logs[0]) == 0o600 and mode(logs[0].parent) == 0o700
    assert mode(folder) == 0o755  # a folder the app did not create is left as it was


LOCK_AS_OTHER = """
import sys
from pathlib import Path
from app.services.dblock import DatabaseLock, DatabaseLocked
try:
    DatabaseLock(Path(sys.argv[1])).acquire()
except DatabaseLocked as exc:
    print(exc)
    sys.exit(3 if exc.busy else 4)
print("acquired")
"""


def _nobody_can_run_python() -> bool:
    """Whether the user ``nobody`` can start this test run's Python (every folder above it must be enterable)."""
    import subprocess
    import sys

    try:
        probe = subprocess.run([sys.executable, "-c", "pass"], user=65534, group=65534, extra_groups=[],
                               capture_output=True, timeout=60)
    except (PermissionError, OSError):
        return False
    return probe.returncode == 0


@pytest.mark.skipif(not POSIX, reason="POSIX users and flock")
def test_lock_file_of_another_user(tmp_path):
    """Root runs the second holder as ``nobody``; anyone else makes the lock file read-only to itself."""
    as_root = os.geteuid() == 0
    if as_root and not _nobody_can_run_python():
        pytest.skip("the checkout lies in a folder the user 'nobody' cannot enter (e.g. a 0700 mkdtemp)")
    folder = Path(tempfile.mkdtemp(prefix="dblock-")) if as_root else tmp_path
    try:
        os.chmod(folder, 0o755)  # the other user may read, not write, here
        db = folder / "shared.db"
        db.write_bytes(b"")
        os.chmod(db, 0o644)
        kw = {"user": 65534, "group": 65534, "extra_groups": []} if as_root else {}
        lock = DatabaseLock(db).acquire()
        assert (folder / "shared.db.lock").stat().st_mode & 0o777 == 0o644  # shared like the database
        if not as_root:
            os.chmod(folder / "shared.db.lock", 0o444)
        try:
            busy = _run(["-c", LOCK_AS_OTHER, str(db)], tmp_path, **kw)
        finally:
            lock.release()
        assert busy.returncode == 3 and "正被另一个调解工作台" in busy.stdout, busy.stdout + busy.stderr
        free = _run(["-c", LOCK_AS_OTHER, str(db)], tmp_path, **kw)  # the owner has quit: the file is reused
        assert free.returncode == 0 and "acquired" in free.stdout, free.stdout + free.stderr
    finally:
        if as_root:
            shutil.rmtree(folder, ignore_errors=True)

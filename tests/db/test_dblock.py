"""The database lock: a second holder is refused with a Chinese message, and the lock is released."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.services.dblock import DatabaseLock, DatabaseLocked


def test_second_lock_in_other_process_is_refused(tmp_path):
    db = tmp_path / "a.db"
    with DatabaseLock(db) as lock:
        assert lock.held
        code = (
            "import sys; from pathlib import Path; from app.services.dblock import DatabaseLock, DatabaseLocked\n"
            f"try:\n DatabaseLock(Path({str(db)!r})).acquire()\nexcept DatabaseLocked as e:\n print(e); sys.exit(3)\n"
        )
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert proc.returncode == 3
        assert "正被另一个调解工作台" in proc.stdout
    assert not lock.held
    # released: another holder can take it now
    with DatabaseLock(db):
        pass


def test_second_lock_in_same_process_is_refused(tmp_path):
    db = tmp_path / "b.db"
    first = DatabaseLock(db).acquire()
    try:
        with pytest.raises(DatabaseLocked):
            DatabaseLock(db).acquire()
    finally:
        first.release()

"""Nothing left behind: temp files of killed exports and backups are recognised and removed, only they."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from app.core import tempfiles
from app.core.atomic import atomic_output, temp_path_for
from app.core.tempfiles import (
    STALE_AFTER,
    clean_at_start,
    clean_private_temp_dir,
    clean_stale_temps,
    is_temp_name,
    use_private_temp_dir,
)

ROOT = Path(__file__).resolve().parents[2]
HOUR_AGO = time.time() - 3600


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """A private temp folder for this test only; the process's temp folder is put back afterwards."""
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)
    monkeypatch.setattr(tempfiles, "_private_dir", None)
    folder = use_private_temp_dir(tmp_path / "私有临时")
    assert folder is not None
    return folder


def touch(path: Path, mtime: float = HOUR_AGO, data: bytes = b"x") -> Path:
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return path


def test_the_names_made_beside_outputs_are_recognised(tmp_path):
    made = temp_path_for(tmp_path / "台账.xlsx")
    tempfiles.release_live(made)
    for name in (made.name, ".~ledger.tmp-0a1b2c3d", ".~调解工作台备份_20260615_1830.tmp-deadbeef.db",
                 ".~备份.tmp-deadbeef.db-journal", ".~a.b.tmp-00000000.docx"):
        assert is_temp_name(name), name
    for name in ("台账.xlsx", ".~lock.台账.xlsx#", ".~ledger.tmp-xyz", ".~ledger.tmp-0a1b2c3", "ledger.tmp-0a1b2c3d",
                 "~$台账.xlsx", ".~ledger.tmp-0a1b2c3d.db.bak-1", "mediation.db-wal"):
        assert not is_temp_name(name), name


def test_only_old_temp_files_are_removed_never_anything_else(tmp_path):
    old = touch(tmp_path / ".~台账.tmp-0a1b2c3d.xlsx")
    old_journal = touch(tmp_path / ".~备份.tmp-deadbeef.db-journal")
    young = touch(tmp_path / ".~台账.tmp-11111111.xlsx", mtime=time.time())
    kept = [touch(tmp_path / name) for name in ("台账.xlsx", ".~lock.台账.xlsx#", "~$台账.xlsx", "mediation.db-wal")]
    (tmp_path / ".~目录.tmp-22222222").mkdir()
    os.utime(tmp_path / ".~目录.tmp-22222222", (HOUR_AGO, HOUR_AGO))
    removed = clean_stale_temps(tmp_path)
    assert sorted(removed) == sorted([old, old_journal])
    assert young.exists() and all(p.exists() for p in kept) and (tmp_path / ".~目录.tmp-22222222").is_dir()
    # a little later the young one is stale too (on Windows, where an open file cannot be deleted, sooner)
    assert clean_stale_temps(tmp_path, now=time.time() + STALE_AFTER + 1) == [young]
    assert clean_stale_temps(tmp_path / "没有这个文件夹") == []


def test_a_temp_file_being_written_is_never_removed(tmp_path):
    target = tmp_path / "台账.xlsx"
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"half written")
        os.utime(tmp, (HOUR_AGO, HOUR_AGO))
        assert clean_stale_temps(tmp_path) == [] and tmp.exists()
        tmp.write_bytes(b"done")
    assert target.read_bytes() == b"done"


def test_an_export_clears_what_a_killed_one_left_in_its_folder(tmp_path):
    """A child process is killed half-way through an output; the next output into the folder removes its temp
    file (once it is a few minutes old) and nothing else."""
    folder = tmp_path / "导出"
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from app.core.atomic import atomic_output\n"
        "with atomic_output(Path(sys.argv[1]) / '台账.xlsx') as tmp:\n"
        "    tmp.write_bytes(b'11010519491231002X' * 1000)\n"
        "    os._exit(9)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(folder)], cwd=ROOT, timeout=60)
    assert done.returncode == 9
    left = [p for p in folder.iterdir() if is_temp_name(p.name)]
    assert len(left) == 1 and b"11010519491231002X" in left[0].read_bytes()
    os.utime(left[0], (HOUR_AGO, HOUR_AGO))
    touch(folder / "上次的台账.xlsx")
    with atomic_output(folder / "新台账.xlsx") as tmp:
        tmp.write_bytes(b"new")
    assert sorted(p.name for p in folder.iterdir()) == ["上次的台账.xlsx", "新台账.xlsx"]


def test_private_folder_is_private_and_becomes_the_temp_folder(private_tmp):
    assert tempfile.gettempdir() == str(private_tmp)
    if os.name == "posix":
        assert private_tmp.stat().st_mode & 0o777 == 0o700
    fd, name = tempfile.mkstemp(prefix="openpyxl.")
    os.close(fd)
    assert Path(name).parent == private_tmp


def test_openpyxl_stream_files_go_to_the_private_folder_and_leftovers_are_cleared(private_tmp, tmp_path):
    pytest.importorskip("openpyxl")
    from app.exports.xlsx_engine import TableConfig, write_table_xlsx

    stale = touch(private_tmp / "openpyxl.abc123", data=b"11010519491231002X")
    other = touch(private_tmp / "说明.txt")
    config = TableConfig.from_dict({
        "kind": "test", "version": "1", "title": "名册", "sheet": "名册",
        "columns": [{"key": "name", "label": "姓名", "width": 10, "type": "text"},
                    {"key": "id_number", "label": "公民身份号码", "width": 20, "type": "id"}],
    })
    seen: list[set[str]] = []

    def rows():
        for i in range(300):
            if i == 200:
                seen.append({p.name for p in private_tmp.iterdir()})
            yield {"name": f"职工{i}", "id_number": "11010519491231002X"}

    out = write_table_xlsx(tmp_path / "名册.xlsx", config, rows())
    assert out.is_file()
    # the table writer's stream files (xlsxwriter ``tmp…``, openpyxl ``openpyxl.…``) live here while it writes
    assert any(name.startswith(("openpyxl.", "tmp")) and name != stale.name for name in seen[0])
    assert not stale.exists()  # cleared after the export
    assert [p.name for p in private_tmp.iterdir()] == [other.name]  # nothing else touched, nothing left


def test_files_of_a_workbook_still_being_written_are_kept(private_tmp):
    pytest.importorskip("openpyxl")
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名册")
    ws.append(["11010519491231002X"])
    streams = [p for p in private_tmp.iterdir() if p.name.startswith("openpyxl.")]
    assert streams
    for path in streams:
        os.utime(path, (HOUR_AGO, HOUR_AGO))
    assert clean_private_temp_dir() == []
    wb.save(str(private_tmp.parent / "名册.xlsx"))
    assert not [p for p in private_tmp.iterdir() if p.name.startswith("openpyxl.")]


def test_clean_at_start_covers_the_database_folder_and_backups(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)
    monkeypatch.setattr(tempfiles, "_private_dir", None)
    monkeypatch.setenv(tempfiles.TEMP_DIR_ENV, str(tmp_path / "缓存"))
    (tmp_path / "数据" / "backups").mkdir(parents=True)
    (tmp_path / "U盘").mkdir()
    db = touch(tmp_path / "数据" / "mediation.db")
    left = [touch(tmp_path / "数据" / ".~调解工作台备份_20260615_1830.tmp-0a1b2c3d.db"),
            touch(tmp_path / "数据" / "backups" / ".~自动备份_mediation_20260615_183000.tmp-deadbeef.db"),
            touch(tmp_path / "U盘" / ".~备份.tmp-12345678.db")]
    (tmp_path / "缓存").mkdir()
    stream = touch(tmp_path / "缓存" / "openpyxl.zz9")
    clean_at_start(db, [tmp_path / "U盘"])
    assert not any(p.exists() for p in left) and not stream.exists() and db.exists()
    assert tempfile.gettempdir() == str(tmp_path / "缓存")

"""``python -m app import KIND FILE --db PATH``: exit 0 when everything imported, 1 when rows were rejected (the
report lists row, column, value and reason), 2 when the file cannot be read.

The command line runs in this process (:func:`app.main.main`, output captured); the first test starts a real
``python -m app`` so that path stays covered."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

import openpyxl
import pytest
from sqlalchemy import func, select

from app.main import main
from db.models import Case, Submission
from tests.import_helpers import ID_A, TOWN, fresh_db, save

ROOT = Path(__file__).resolve().parents[2]


def run_app(*args: str):
    """The command line run in this process: its exit code and what it printed."""
    from app.services.importing.command import import_command

    out, err = io.StringIO(), io.StringIO()
    # import_command's out/err default to the sys.stdout/stderr of the moment it was first imported
    streams = {**import_command.__kwdefaults__, "out": out, "err": err}
    with redirect_stdout(out), redirect_stderr(err), patch.object(import_command, "__kwdefaults__", streams):
        code = main([str(a) for a in args])
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def real_app(*args: str) -> subprocess.CompletedProcess:
    """The command line as users start it: ``python -m app`` in a process of its own."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def db(tmp_path):
    opened = fresh_db(tmp_path / "c.db")
    opened.engine.dispose()
    return opened.path


def cases(path) -> int:
    opened = fresh_db.__globals__["open_database"](path)
    try:
        with opened.session_factory() as s:
            return s.scalar(select(func.count()).select_from(Case))
    finally:
        opened.engine.dispose()


HEADER = ["收到申请日期", "申请人", "申请人身份证号", "被申请人", "争议类型", "请求金额"]


def test_all_imported_exit_0(db, tmp_path):
    path = save([HEADER, ["2024-05-06", "张三", ID_A, "某公司", "工资", "1,000元"]], tmp_path / "ok.xlsx")
    proc = real_app("import", "cases", str(path), "--db", str(db), "--org", "南市")
    assert proc.returncode == 0, proc.stderr
    assert "新增 1 条" in proc.stdout and TOWN in proc.stdout
    assert cases(db) == 1


def test_rejected_rows_exit_1_with_report(db, tmp_path):
    path = save([HEADER, ["2024-05-06", "张三", ID_A, "某公司", "工资", 1000],
                 ["2024-13-01", "李四", "12345", "某公司", "工资", "一千"]], tmp_path / "bad.xlsx")
    report = tmp_path / "报告.xlsx"
    proc = run_app("import", "cases", str(path), "--db", str(db), "--report", str(report))
    assert proc.returncode == 1
    assert "没有导入任何数据" in proc.stdout and "第3行 A列（收到申请日期）" in proc.stderr
    assert cases(db) == 0
    wb = openpyxl.load_workbook(report)
    problems = [[c.value for c in row] for row in wb["问题清单"].iter_rows(min_row=2)]
    where = {(r[0], r[1]) for r in problems if r[6] == "错误"}
    assert where == {(3, "A"), (3, "C"), (3, "F")}
    assert any(r[4] == "12345" and "18位" in r[5] for r in problems)
    assert "没有导入任何数据" in wb["导入结果"]["B6"].value
    # --valid-only imports the good row; the exit code still says rows were rejected
    proc = run_app("import", "cases", str(path), "--db", str(db), "--valid-only")
    assert proc.returncode == 1 and cases(db) == 1
    # --dry-run writes nothing
    ok = save([HEADER, ["2024-06-06", "王五", None, "某公司", "工资", 1]], tmp_path / "dry.xlsx")
    proc = run_app("import", "cases", str(ok), "--db", str(db), "--dry-run")
    assert proc.returncode == 0 and "试运行" in proc.stdout and cases(db) == 1


def test_unreadable_file_exit_2(db, tmp_path):
    et = tmp_path / "台账.et"
    et.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    proc = run_app("import", "cases", str(et), "--db", str(db))
    assert proc.returncode == 2
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "WPS" in lines[0] and "Traceback" not in proc.stderr
    proc = run_app("import", "nothing", str(et), "--db", str(db))
    assert proc.returncode == 2 and "参数错误" in proc.stderr
    proc = run_app("import", "cases", str(et), "--db", str(db), "--org", "不存在的组织")
    assert proc.returncode == 2 and "找不到调解组织" in proc.stderr


def test_nil_report_registered(db, tmp_path):
    out = tmp_path / "零上报.xlsx"
    proc = run_app("export", "nil-report", "--db", str(db), "--org", "南市", "--year", "2026", "--quarter", "2", "--out", str(out),
                   "--param", "today=2026-07-10")  # a fixed day after the quarter ended
    assert proc.returncode == 0, proc.stderr
    proc = run_app("import", "cases", str(out), "--db", str(db))
    assert proc.returncode == 0 and "已登记零上报" in proc.stdout and "2026年第2季度" in proc.stdout
    opened = fresh_db.__globals__["open_database"](db)
    with opened.session_factory() as s:
        sub = s.scalar(select(Submission))
        assert sub.nil and sub.period == "2026Q2" and sub.organization_name == TOWN
    opened.engine.dispose()

"""The command line: bad input gives one Chinese line on stderr and a non-zero exit code."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u4e00-\u9fff]")


def run_app(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def assert_one_chinese_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0, proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert HAN.search(lines[0]), lines[0]
    assert "Traceback" not in proc.stderr
    return lines[0]


def test_version():
    proc = run_app("--version")
    assert proc.returncode == 0
    assert "调解工作台" in proc.stdout


def test_missing_database_file(tmp_path):
    line = assert_one_chinese_line(
        run_app("export", "organization-list", "--db", str(tmp_path / "nope.db"), "--out", str(tmp_path / "o.xlsx"))
    )
    assert "不存在" in line


def test_unknown_export_kind(tmp_path):
    line = assert_one_chinese_line(run_app("export", "no-such-kind", "--db", "x.db", "--out", str(tmp_path / "o.xlsx")))
    assert "未知的导出类型" in line and "organization-list" in line


def test_non_database_file(tmp_path):
    bogus = tmp_path / "report.db"
    bogus.write_bytes(b"PK\x03\x04 this is a zip, not sqlite")
    line = assert_one_chinese_line(
        run_app("export", "organization-list", "--db", str(bogus), "--out", str(tmp_path / "o.xlsx"))
    )
    assert "不是有效的数据库文件" in line


def test_bad_arguments_are_chinese(tmp_path):
    assert "参数错误" in assert_one_chinese_line(run_app("demo"))
    assert "参数错误" in assert_one_chinese_line(run_app("demo", "--db", str(tmp_path / "a.db"), "--cases", "many"))
    assert "参数错误" in assert_one_chinese_line(run_app("frobnicate"))
    assert "年份" in assert_one_chinese_line(
        run_app("export", "organization-list", "--db", "x.db", "--out", "o.xlsx", "--year", "26")
    )


def test_wrong_output_suffix_and_folder(tmp_path):
    line = assert_one_chinese_line(
        run_app("export", "organization-list", "--db", "x.db", "--out", str(tmp_path / "o.docx"))
    )
    assert ".xlsx" in line
    line = assert_one_chinese_line(
        run_app("export", "organization-list", "--db", "x.db", "--out", str(tmp_path / "missing" / "o.xlsx"))
    )
    assert "文件夹不存在" in line


def test_export_list():
    proc = run_app("export", "--list")
    assert proc.returncode == 0, proc.stderr
    assert "organization-list" in proc.stdout
    assert HAN.search(proc.stdout)


@pytest.mark.slow
def test_demo_then_export_roundtrip(tmp_path):
    db = tmp_path / "demo.db"
    proc = run_app("demo", "--db", str(db), "--cases", "300", "--seed", "7")
    assert proc.returncode == 0, proc.stderr
    assert "演示数据已生成" in proc.stdout
    # a second demo run on the same file is refused, cleanly
    assert "已有数据" in assert_one_chinese_line(run_app("demo", "--db", str(db), "--cases", "10"))
    out = tmp_path / "组织名册.xlsx"
    proc = run_app("export", "organization-list", "--db", str(db), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.exists() and out.stat().st_size > 0


def test_gui_start_with_bad_database_fails_cleanly(tmp_path):
    """The GUI path too: a non-database file or a missing folder is one Chinese line and exit code 1."""
    junk = tmp_path / "junk.db"
    junk.write_text("不是数据库", encoding="utf-8")
    assert "不是有效的数据库文件" in assert_one_chinese_line(run_app("--db", str(junk)))
    assert "文件夹不存在" in assert_one_chinese_line(run_app(f"--db={tmp_path / 'missing' / 'x.db'}"))

#!/usr/bin/env python3
"""One entry point for people and CI: sets up the project, then starts the app or the tests.

    python3 run.py [APP ARGS...]     start 调解工作台 (GUI by default; any app sub-command works too)
    python3 run.py test [PYTEST ARGS...]   run the whole test suite

The first run creates ``.venv`` in the repository, installs the project with its test extras, and
compiles the Qt Designer forms. Later runs only redo what changed (pyproject.toml or a ``.ui`` file),
so a normal start costs nothing extra. Only the standard library is used here, because this script
runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".bootstrap-stamp"
IS_WINDOWS = os.name == "nt"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if IS_WINDOWS else "bin/python")


def say(message: str) -> None:
    print(f"[run.py] {message}", file=sys.stderr, flush=True)


def wanted_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 — run.py itself may be started by an older python3
        sys.exit("需要 Python 3.11 或更高版本 (needs Python 3.11+)")
    if not venv_python().exists():
        say("首次运行：创建虚拟环境 .venv …")
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except Exception as exc:  # Debian without python3-venv lacks ensurepip
            sys.exit(
                f"无法创建虚拟环境（{exc}）。Debian/Ubuntu 上请先安装：apt-get install python3-venv"
            )
    stamp = wanted_stamp()
    if not STAMP.exists() or STAMP.read_text() != stamp:
        say("安装依赖（首次约需 1 分钟）…")
        pip = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(stamp)
    subprocess.run([str(venv_python()), str(ROOT / "tools" / "build_ui.py")], check=True)


def main(argv: list[str]) -> int:
    ensure_venv()
    env = dict(os.environ)
    env.setdefault("PYTHONUTF8", "1")
    if argv[:1] == ["test"]:
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        cmd = [str(venv_python()), "-m", "pytest", *argv[1:]]
    else:
        cmd = [str(venv_python()), "-m", "app", *argv]
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

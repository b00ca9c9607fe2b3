"""Compile ``forms/*.ui`` (Qt Designer, the source of truth for layouts) into ``app/ui/forms/ui_*.py``.

Runs with the project's virtual environment (``run.py`` calls it on every start); a form is only
recompiled when its ``.ui`` file is newer than the generated module, so a normal start costs a few
``stat`` calls. Generated modules are not committed (see .gitignore).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "forms"
OUT = ROOT / "app" / "ui" / "forms"


def uic_command() -> list[str]:
    exe = Path(sys.executable).parent / ("pyside6-uic.exe" if sys.platform == "win32" else "pyside6-uic")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-m", "PySide6.scripts.pyside_tool", "uic"]


def build(force: bool = False) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    init = OUT / "__init__.py"
    if not init.exists():
        init.write_text('"""Generated from forms/*.ui by tools/build_ui.py — do not edit."""\n')
    built = []
    for ui in sorted(FORMS.glob("*.ui")):
        target = OUT / f"ui_{ui.stem}.py"
        if not force and target.exists() and target.stat().st_mtime >= ui.stat().st_mtime:
            continue
        subprocess.run([*uic_command(), "-o", str(target), str(ui)], check=True)
        built.append(target)
    return built


if __name__ == "__main__":
    for path in build(force="--force" in sys.argv):
        print(f"[build_ui] {path.relative_to(ROOT)}", file=sys.stderr)

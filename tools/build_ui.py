"""Compile ``forms/*.ui`` (Qt Designer, the source of truth for layouts) into ``app/ui/forms/ui_*.py``.

Runs with the project's virtual environment (``run.py`` calls it on every start); a form is only
recompiled when its ``.ui`` file (or this script) is newer than the generated module, so a normal start
costs a few ``stat`` calls. Generated modules are not committed (see .gitignore).

``pyside6-uic`` imports some thirty Qt names into every module whatever the form uses. Importing a PySide6
class builds its Python enums (the ``Qt`` namespace alone: 94 enums, ~20 ms), so the imports are trimmed
to the names the form really uses; that keeps the main window's form cheap before the first paint.
"""

from __future__ import annotations

import ast
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


def trim_imports(source: str) -> str:
    """Drop the names a generated module imports from PySide6 but never uses."""
    tree = ast.parse(source)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    lines = source.splitlines(keepends=True)
    for node in sorted(tree.body, key=lambda n: n.lineno, reverse=True):
        if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6")):
            continue
        names = [alias.name for alias in node.names if alias.asname is None and alias.name in used]
        if any(alias.asname for alias in node.names) or node.names[0].name == "*":
            continue
        text = f"from {node.module} import {', '.join(names)}\n" if names else ""
        lines[node.lineno - 1 : node.end_lineno] = [text]
    return "".join(lines)


def build(force: bool = False) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    init = OUT / "__init__.py"
    if not init.exists():
        init.write_text('"""Generated from forms/*.ui by tools/build_ui.py — do not edit."""\n')
    built = []
    generator_time = Path(__file__).stat().st_mtime
    for ui in sorted(FORMS.glob("*.ui")):
        target = OUT / f"ui_{ui.stem}.py"
        if not force and target.exists() and target.stat().st_mtime >= max(ui.stat().st_mtime, generator_time):
            continue
        raw = OUT / f"ui_{ui.stem}.uic.tmp"
        subprocess.run([*uic_command(), "-o", str(raw), str(ui)], check=True)
        temporary = target.with_suffix(".py.tmp")
        temporary.write_text(trim_imports(raw.read_text(encoding="utf-8")), encoding="utf-8")
        raw.unlink()
        temporary.replace(target)
        built.append(target)
    return built


if __name__ == "__main__":
    for path in build(force="--force" in sys.argv):
        print(f"[build_ui] {path.relative_to(ROOT)}", file=sys.stderr)

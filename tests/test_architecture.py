"""The structure rules of the README's "Layout" section, checked on the code as it is.

- The import-linter contracts in ``pyproject.toml`` (layers, no Qt below ``app.ui``, no cycles among siblings)
  hold, with no ignored import.
- Every hand-written Python file under ``app/``, ``db/`` and ``tools/`` is under 600 lines and opens with a
  docstring (Alembic revisions and the generated ``app/ui/forms/ui_*.py`` excepted).
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 600


def _hand_written() -> list[Path]:
    files = []
    for top in ("app", "db", "tools"):
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("db/migrations/versions/") or (rel.startswith("app/ui/forms/") and
                                                             path.name.startswith("ui_")):
                continue
            files.append(path)
    return files


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def test_contracts_ignore_nothing() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contracts = config["contracts"]
    assert {c["type"] for c in contracts} >= {"layers", "forbidden", "acyclic_siblings"}
    for contract in contracts:
        assert not contract.get("ignore_imports"), contract["name"]


def test_files_are_rooms() -> None:
    too_big, no_doc = [], []
    for path in _hand_written():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        if text.count("\n") >= MAX_LINES:
            too_big.append(f"{rel}: {text.count(chr(10))}")
        if text.strip() and ast.get_docstring(ast.parse(text)) is None:
            no_doc.append(rel)
    assert not too_big, too_big
    assert not no_doc, no_doc

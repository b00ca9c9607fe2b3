"""tools/build_ui.py: forms compile to modules that import only what they use."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import build_ui  # noqa: E402

GENERATED = """from PySide6.QtCore import (QCoreApplication, QDate, QMetaObject,
    QSize, Qt)
from PySide6.QtGui import (QBrush, QColor)
from PySide6.QtWidgets import (QLabel, QWidget)

from app.ui.widgets.nav_splitter import NavSplitter

class Ui_Form(object):
    def setupUi(self, Form):
        self.label = QLabel(Form)
        Form.resize(QSize(10, 10))
        self.label.setText(QCoreApplication.translate("Form", u"x", None))
"""


def test_trim_imports_keeps_only_used_names():
    trimmed = build_ui.trim_imports(GENERATED)
    imports = {
        node.module: [alias.name for alias in node.names]
        for node in ast.parse(trimmed).body
        if isinstance(node, ast.ImportFrom)
    }
    assert imports["PySide6.QtCore"] == ["QCoreApplication", "QSize"]
    assert "PySide6.QtGui" not in imports  # nothing used: the line is gone
    assert imports["PySide6.QtWidgets"] == ["QLabel"]
    assert imports["app.ui.widgets.nav_splitter"] == ["NavSplitter"]  # not PySide6: left alone
    assert "class Ui_Form(object):" in trimmed


def test_every_generated_form_imports_and_uses_what_it_imports():
    """Every form in forms/ was compiled (run.py does it) and its PySide6 imports are all used."""
    forms = sorted((ROOT / "forms").glob("*.ui"))
    assert len(forms) > 10
    for ui in forms:
        path = ROOT / "app" / "ui" / "forms" / f"ui_{ui.stem}.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module.startswith("PySide6"):
                unused = [alias.name for alias in node.names if alias.name not in used]
                assert not unused, f"{path.name} imports {unused} without using them"
        importlib.import_module(f"app.ui.forms.ui_{ui.stem}")

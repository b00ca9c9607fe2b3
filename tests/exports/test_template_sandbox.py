"""Templates are data, never code (issue 18): a DOCX template that reaches past the documented fields
(``{{ cycler.__init__.__globals__.os.popen(...) }}``) is refused with one Chinese line and runs nothing."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from app.core.paths import resource_path
from app.exports.case_data import case_context
from app.exports.docx_engine import render_template
from app.exports.registry import ExportError
from db.models import Agreement, Case
from db.session import open_database

try:
    from app.demo import generate_demo
except ImportError:  # before the demo moved out of app.services
    from app.services.demo import generate_demo

PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}"
TEMPLATE = "case-agreement.docx"


@pytest.fixture(scope="module")
def agreement_context(tmp_path_factory):
    path = tmp_path_factory.mktemp("sandbox") / "demo.db"
    opened = open_database(path)
    generate_demo(opened.session_factory, seed=1, cases=40, today=date(2026, 6, 30))
    with opened.session_factory() as s:
        case = s.scalars(
            select(Case)
            .join(Agreement, Agreement.case_id == Case.id)
            .where(Case.deleted_at.is_(None))
            .limit(1)
        ).first()
        assert case is not None
        ctx = case_context(s, case)
    opened.engine.dispose()
    return ctx


def poisoned_copy(folder: Path, text: str) -> Path:
    """resources/templates/case-agreement.docx with one more paragraph holding ``text``."""
    tpl = folder / TEMPLATE
    shutil.copy(resource_path("templates", TEMPLATE), tpl)
    doc = Document(str(tpl))
    doc.add_paragraph(text)
    doc.save(str(tpl))
    return tpl


def test_unmodified_template_renders(agreement_context, tmp_path):
    tpl = tmp_path / TEMPLATE
    shutil.copy(resource_path("templates", TEMPLATE), tpl)
    out = render_template(tpl, agreement_context, tmp_path / "out.docx")
    assert out.exists()
    assert "调解协议书" in "\n".join(p.text for p in Document(str(out)).paragraphs)


def test_code_in_a_template_is_refused(agreement_context, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    tpl = poisoned_copy(tmp_path, PAYLOAD)
    out = tmp_path / "out.docx"
    with pytest.raises(ExportError) as info:
        render_template(tpl, agreement_context, out)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"模板“{TEMPLATE}”含有不允许的内容：")
    assert "cycler.__init__" in message
    assert not (work / "PWNED").exists()
    assert not list(tmp_path.rglob("PWNED"))
    assert not out.exists()


@pytest.mark.parametrize(
    "text",
    [
        "{{ case.__class__.__mro__ }}",
        "{{ lipsum.__globals__ }}",
        "{{ case|attr('__class__') }}",
        "{{ no_such_field }}",
    ],
)
def test_other_escapes_are_refused(agreement_context, tmp_path, text):
    tpl = poisoned_copy(tmp_path, text)
    with pytest.raises(ExportError, match=f"^模板“{TEMPLATE}”含有不允许的内容："):
        render_template(tpl, agreement_context, tmp_path / "out.docx")

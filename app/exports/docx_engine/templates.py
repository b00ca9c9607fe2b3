"""Writing documents out: :func:`save_docx`, and :func:`render_template` / :func:`render_docx_template` for
docxtpl (Jinja2) templates, rendered in the sandbox of :mod:`app.exports.docx_engine.sandbox`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.core.errors import OutputError as ExportError
from app.exports.docx_engine.fonts import ensure_east_asian_fonts
from app.exports.docx_engine.package import write_docx


def save_docx(doc, out_path: Path | str) -> Path:
    """Fill in missing East Asian fonts and write ``doc`` atomically to ``out_path``, finished for Word and
    WPS (font declarations, 「公文字体」, no thumbnail; see :mod:`.package`)."""
    ensure_east_asian_fonts(doc)
    return write_docx(doc, out_path)


class DocxImage:
    """A picture for a template context: ``{{ v.photo }}`` in the template shows it ``width_mm`` wide
    (height to scale). :func:`render_template` turns it into docxtpl's ``InlineImage``."""

    __slots__ = ("data", "width_mm")

    def __init__(self, data: bytes, width_mm: float) -> None:
        self.data = data
        self.width_mm = width_mm

    def __bool__(self) -> bool:
        return bool(self.data)


def _with_images(value: Any, tpl: Any) -> Any:
    """``value`` with every :class:`DocxImage` inside (dicts, lists, tuples) made an ``InlineImage``."""
    if isinstance(value, DocxImage):
        import io

        from docx.shared import Mm
        from docxtpl import InlineImage

        return InlineImage(tpl, io.BytesIO(value.data), width=Mm(value.width_mm)) if value.data else ""
    if isinstance(value, Mapping):
        return {k: _with_images(v, tpl) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_with_images(v, tpl) for v in value]
    return value


def render_docx_template(template_path: Path | str, context: Mapping[str, Any]):
    """Render a docxtpl (Jinja2) template with ``context`` (values XML-escaped) and return the rendered
    ``DocxTemplate``, not yet saved. A :class:`DocxImage` anywhere in ``context`` becomes a picture.

    Templates are data, never code: rendering happens in the immutable sandbox of :mod:`.sandbox`, and a
    template that uses anything but the fields of ``context`` is refused with a Chinese
    :class:`ExportError` naming the file and the placeholder. Other template errors are reported as
    「文书模板 X 有误：…」.
    """
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    from app.exports.docx_engine.sandbox import TemplateSandbox

    template_path = Path(template_path)
    tpl = DocxTemplate(str(template_path))
    values = _with_images(dict(context), tpl)
    env = TemplateSandbox(template_path.name, values)
    try:
        tpl.render(values, jinja_env=env, autoescape=True)
    except SecurityError as exc:
        raise env.refusal_for(exc) from None
    except TemplateError as exc:
        raise ExportError(f"文书模板 {template_path.name} 有误：{exc}") from None
    return tpl


def render_template(template_path: Path | str, context: Mapping[str, Any], out_path: Path | str) -> Path:
    """Render a docxtpl (Jinja2) template with ``context`` (see :func:`render_docx_template`), fill in
    missing East Asian fonts, and write the result atomically (and finished, see :func:`save_docx`) to
    ``out_path``.

    Template gotcha: ``{%tr for r in rows %}`` and ``{%tr endfor %}`` must each sit in a row of
    their own; the row between them is repeated.
    """
    tpl = render_docx_template(template_path, context)
    ensure_east_asian_fonts(tpl.docx)
    return write_docx(tpl, out_path)

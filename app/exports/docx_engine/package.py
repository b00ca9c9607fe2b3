"""Finishing a DOCX package at save time (issue 20), so every document the program writes looks official
in Word and WPS on any office PC, with or without the GB2312 fonts:

* the faces follow the 「公文字体」 setting (GB2312 faces, or the ones Windows ships);
* every East Asian font used is declared with charset 86, PANOSE and an altName; the theme's East
  Asian fonts are set; no Japanese / Korean fonts remain from python-docx's default template;
* no ``docProps/thumbnail.jpeg`` and no ``customXml`` parts (parts, relationships and content types);
* Chinese document properties during an export (title = the form's name, subject, author, 「调解工作台
  <version>」 as application; see :class:`app.exports.docmeta.DocInfo`).

:func:`write_docx` saves a python-docx / docxtpl document finished; :func:`finish_docx_file` finishes a
file already written (the registry runs it on every DOCX a kind returns; it rewrites only if needed).
Works on the zip's parts with lxml; imports fonttable, docmeta and docprops.
"""

from __future__ import annotations

import io
import posixpath
from pathlib import Path

from app.core.atomic import atomic_output
from app.exports.docmeta import DocInfo, current_info
from app.exports.docprops import (
    apply_properties,
    package_bytes,
    parse_xml,
    read_package,
    serialize,
    write_package,
)
from app.exports.docx_engine.fonttable import font_table, map_fonts, theme_fonts, used_fonts

FONT_TABLE = "word/fontTable.xml"
CONTENT_TYPES = "[Content_Types].xml"
#: Relationship types whose targets are dropped from every exported document.
DROPPED_RELS = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
)


def _rels_source_dir(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` → ``word``; ``_rels/.rels`` → ``''``."""
    return posixpath.dirname(posixpath.dirname(rels_name))


def _is_dropped_part(name: str) -> bool:
    return name.startswith("customXml/") or name.startswith("docProps/thumbnail.")


def drop_extra_parts(parts: dict[str, bytes]) -> bool:
    """Remove the thumbnail and the customXml parts with their relationships and content-type
    overrides; True when anything was removed."""
    changed = False
    for name in [n for n in parts if n.endswith(".rels") and not n.startswith("customXml/")]:
        data = parts[name]
        if not any(t.encode() in data for t in DROPPED_RELS):
            continue
        rels = parse_xml(data)
        for rel in list(rels):
            if rel.get("Type") in DROPPED_RELS:
                if rel.get("TargetMode") != "External":
                    target = posixpath.normpath(posixpath.join(_rels_source_dir(name), rel.get("Target", "")))
                    parts.pop(target.lstrip("/"), None)
                rels.remove(rel)
        parts[name] = serialize(rels)
        changed = True
    for name in [n for n in parts if _is_dropped_part(n)]:
        del parts[name]
        changed = True
    types_data = parts.get(CONTENT_TYPES)
    if types_data is not None and (b"/customXml/" in types_data or b"/docProps/thumbnail." in types_data):
        types = parse_xml(types_data)
        for el in list(types):
            part_name = (el.get("PartName") or "").lstrip("/")
            if part_name and _is_dropped_part(part_name):
                types.remove(el)
        parts[CONTENT_TYPES] = serialize(types)
        changed = True
    return changed


def _word_parts(parts: dict[str, bytes]) -> list[str]:
    return [
        n for n in parts
        if n.startswith("word/") and n.endswith(".xml") and n != FONT_TABLE
        and not n.startswith("word/theme/") and "/_rels/" not in n
    ]


def finish_fonts(parts: dict[str, bytes], font_set: str) -> bool:
    """Map the faces for ``font_set``, set the theme's East Asian fonts and rebuild the font table."""
    changed = False
    used: list[str] = []
    for name in _word_parts(parts):
        mapped = map_fonts(parts[name], font_set)
        if mapped is not None:
            parts[name] = mapped
            changed = True
        used += used_fonts(parts[name])
    for name in [n for n in parts if n.startswith("word/theme/") and n.endswith(".xml")]:
        themed = theme_fonts(parts[name])
        if themed is not None:
            parts[name] = themed
            changed = True
        used += used_fonts(parts[name])
    if FONT_TABLE in parts:
        table = font_table(parts[FONT_TABLE], used)
        if table != parts[FONT_TABLE]:
            parts[FONT_TABLE] = table
            changed = True
    return changed


def finish_docx_parts(parts: dict[str, bytes], info: DocInfo | None = None) -> bool:
    """Finish a DOCX package's parts in place (see the module docstring); True when anything changed.
    Without ``info`` the current export's is used; outside an export the properties are left alone
    and the GB2312 faces kept."""
    info = info if info is not None else current_info()
    changed = drop_extra_parts(parts)
    changed |= finish_fonts(parts, info.font_set if info is not None else "gb2312")
    if info is not None:
        changed |= apply_properties(parts, info, app=True)
    return changed


def finish_docx_bytes(data: bytes, info: DocInfo | None = None) -> bytes:
    """The finished package of the DOCX ``data``."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    return package_bytes(parts) if finish_docx_parts(parts, info) else data


def finish_docx_file(path: Path | str, info: DocInfo | None = None) -> bool:
    """Finish the DOCX at ``path`` in place; True when it had to be rewritten."""
    parts = read_package(path)
    if finish_docx_parts(parts, info):
        write_package(path, parts)
        return True
    return False


def write_docx(doc, out_path: Path | str, info: DocInfo | None = None) -> Path:
    """Save a python-docx ``Document`` (or a rendered docxtpl template) finished, atomically."""
    out_path = Path(out_path)
    buf = io.BytesIO()
    doc.save(buf)
    data = finish_docx_bytes(buf.getvalue(), info)
    with atomic_output(out_path) as tmp:
        Path(tmp).write_bytes(data)
    return out_path

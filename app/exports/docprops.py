"""Document properties and package surgery on an OOXML file (DOCX or XLSX) as a zip: the core
properties (``docProps/core.xml``: title, subject, creator, description, lastModifiedBy, language,
dates), the application properties (``docProps/app.xml``: Application, Company), and reading / writing
the package's parts so that a file is only rewritten when something changed.

Works on bytes with lxml, so it serves files written by python-docx, docxtpl and openpyxl alike.
Imports app.core and app.exports.docmeta only; lxml is imported lazily.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from app.core.atomic import atomic_output
from app.exports.docmeta import DocInfo, app_signature

CORE = "docProps/core.xml"
APP = "docProps/app.xml"

NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}
_CORE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<cp:coreProperties xmlns:cp="{NS["cp"]}" xmlns:dc="{NS["dc"]}" xmlns:dcterms="{NS["dcterms"]}" '
    f'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="{NS["xsi"]}"/>'
).encode()


def parse_xml(data: bytes):
    from lxml import etree

    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, remove_blank_text=False))


def serialize(root) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_child(root, prefix: str, tag: str, text: str, *, w3cdtf: bool = False) -> bool:
    """Give ``root`` one ``prefix:tag`` child with ``text``; True when that changed anything."""
    from lxml import etree

    qname = f"{{{NS[prefix]}}}{tag}"
    el = root.find(qname)
    if el is None and not text:
        return False
    if el is None:
        el = etree.SubElement(root, qname)
        changed = True
    else:
        changed = False
    if (el.text or "") != text:
        el.text = text
        changed = True
    if w3cdtf:
        xsi_type = f"{{{NS['xsi']}}}type"
        if el.get(xsi_type) != "dcterms:W3CDTF":
            el.set(xsi_type, "dcterms:W3CDTF")
            changed = True
    return changed


def core_properties(data: bytes | None, info: DocInfo, *, dates: bool = True) -> bytes | None:
    """``docProps/core.xml`` carrying ``info`` (Chinese title, subject, author, zh-CN, no template
    description; with ``dates``, created = modified = the export's time); ``None`` when ``data``
    already says all that."""
    root = parse_xml(data or _CORE_XML)
    stamp = info.when.strftime("%Y-%m-%dT%H:%M:%SZ")
    changed = data is None
    for prefix, tag, text in (
        ("dc", "title", info.value("title")),
        ("dc", "subject", info.value("subject")),
        ("dc", "creator", info.creator),
        ("dc", "description", info.value("description")),
        ("cp", "lastModifiedBy", app_signature()),
        ("dc", "language", info.language),
    ):
        changed |= _set_child(root, prefix, tag, text)
    for tag in ("created", "modified") if dates else ():
        changed |= _set_child(root, "dcterms", tag, stamp, w3cdtf=True)
    return serialize(root) if changed else None


def app_properties(data: bytes | None, info: DocInfo) -> bytes | None:
    """``docProps/app.xml`` naming 「调解工作台 <version>」 as the application and the organization as the
    company (no stale AppVersion of another program); ``None`` when unchanged or absent."""
    if data is None:
        return None
    root = parse_xml(data)
    changed = _set_child(root, "ep", "Application", app_signature())
    changed |= _set_child(root, "ep", "Company", info.company)
    version = root.find(f"{{{NS['ep']}}}AppVersion")
    if version is not None:
        root.remove(version)
        changed = True
    return serialize(root) if changed else None


# --- the package as a whole ------------------------------------------------------------------------


def read_package(path: Path | str) -> dict[str, bytes]:
    """Every part of the zip at ``path`` by name, in the stored order."""
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()}


def package_bytes(parts: dict[str, bytes]) -> bytes:
    """A zip of ``parts`` ([Content_Types].xml first, as Office writes it)."""
    import io

    buf = io.BytesIO()
    names = sorted(parts, key=lambda n: n != "[Content_Types].xml")
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), parts[name],
                        compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def write_package(path: Path | str, parts: dict[str, bytes]) -> Path:
    """Write ``parts`` as a zip atomically to ``path``."""
    path = Path(path)
    data = package_bytes(parts)
    with atomic_output(path) as tmp:
        Path(tmp).write_bytes(data)
    return path


def apply_properties(parts: dict[str, bytes], info: DocInfo, *, app: bool = True, dates: bool = True) -> bool:
    """Put ``info`` into the core (and, with ``app``, the application) properties of ``parts`` in place;
    True when a part changed. A package without core properties gets them (part, relationship and
    content type)."""
    changed = False
    had_core = CORE in parts
    core = core_properties(parts.get(CORE), info, dates=dates)
    if core is not None:
        parts[CORE] = core
        changed = True
    if not had_core:
        _declare_core(parts)
    if app:
        new_app = app_properties(parts.get(APP), info)
        if new_app is not None:
            parts[APP] = new_app
            changed = True
    return changed


def _declare_core(parts: dict[str, bytes]) -> None:
    from lxml import etree

    rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct_ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    if "_rels/.rels" in parts:
        rels = parse_xml(parts["_rels/.rels"])
        ids = {r.get("Id") for r in rels}
        n = 1
        while f"rId{n}" in ids:
            n += 1
        etree.SubElement(rels, f"{{{rels_ns}}}Relationship", Id=f"rId{n}", Target=CORE,
                         Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties")
        parts["_rels/.rels"] = serialize(rels)
    if "[Content_Types].xml" in parts:
        types = parse_xml(parts["[Content_Types].xml"])
        etree.SubElement(types, f"{{{ct_ns}}}Override", PartName="/" + CORE,
                         ContentType="application/vnd.openxmlformats-package.core-properties+xml")
        parts["[Content_Types].xml"] = serialize(types)


def finish_properties_file(path: Path | str, info: DocInfo, *, app: bool = False, dates: bool = False) -> bool:
    """Rewrite the file at ``path`` only if its properties differ from ``info``; True when rewritten.
    (Made for XLSX: openpyxl's app.xml and dates are left as written, so a big workbook the engine
    already labelled is not copied for nothing.)"""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        core = zf.read(CORE) if CORE in names else None
        app_data = zf.read(APP) if app and APP in names else None
    if core is not None and core_properties(core, info, dates=dates) is None and (
        not app or app_properties(app_data, info) is None
    ):
        return False
    parts = read_package(path)
    if apply_properties(parts, info, app=app, dates=dates):
        write_package(path, parts)
        return True
    return False

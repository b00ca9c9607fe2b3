"""The hidden ``_manifest`` sheet of this program's exports: reading it, and stamping a file for sending upward.

An export writes kind, template and app version, time, row count, sheet and header position
(app.exports.xlsx_engine). A file prepared for sending upward (:func:`stamp_manifest`) also names the
sending organization (uuid, name, region code), the period it covers and a checksum of the visible data
cells, so that the district can tell a re-sent file, a corrected one and one altered by hand after export.

The checksum (``sha256-cells-v1``) is the SHA-256 of the data rows as text: for each row from the first
data row on, the cells as :func:`app.services.importing.reader.cell_text` shows them joined by a tab, rows
joined by a newline, trailing empty rows dropped.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from app.services.importing.reader import MANIFEST_SHEET, ImportFileError, cell_text, open_source

CHECKSUM_ALGO = "sha256-cells-v1"

#: Keys this module adds to a manifest.
SENDER_UUID = "sender_org_uuid"
SENDER_NAME = "sender_org_name"
SENDER_REGION = "sender_region_code"
PERIOD = "submission_period"
PERIOD_LABEL = "submission_period_label"
CHECKSUM = "checksum"
CHECKSUM_KIND = "checksum_algo"
NIL_KIND = "nil-report"
REPORT_KIND = "report_kind"  # what a nil report stands for
ORGANIZATIONS = "organizations"  # the organizations a multi-organization export's rows name (JSON list)


@dataclass
class ManifestInfo:
    kind: str = ""
    raw: dict[str, str] = field(default_factory=dict)
    template_version: str = ""
    app_version: str = ""
    generated_at: str = ""
    row_count: int | None = None
    sheet: str = ""
    header_rows: tuple[int, int] | None = None
    data_start: int | None = None
    sender_uuid: str = ""
    sender_name: str = ""
    region_code: str = ""
    period: str = ""  # '2026Q1', '2026', '2026-03' or ''
    period_label: str = ""
    checksum: str = ""
    masked: bool = False  # ID numbers and phones were masked in this export
    organization_uuid: str = ""  # the organization the export was limited to, if any
    organization_name: str = ""
    #: the organizations the rows name (a ledger's 调解组织 column): name → {uuid, region_code, street_code, kind}
    organizations: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def nil(self) -> bool:
        return self.kind == NIL_KIND

    @property
    def report_kind(self) -> str:
        return self.raw.get(REPORT_KIND, "") if self.nil else self.kind

    @property
    def sender_label(self) -> str:
        return self.sender_name or self.organization_name


def parse_period_label(text: str) -> str:
    """'2026年第1季度' → '2026Q1'; '2026年' → '2026'; '2026年3月' → '2026-03'; '2026Q1' stays; else ''."""
    t = (text or "").strip().replace(" ", "")
    if m := re.fullmatch(r"(\d{4})[Qq]([1-4])", t):
        return f"{m.group(1)}Q{m.group(2)}"
    if m := re.fullmatch(r"(\d{4})年?第?([1-4一二三四])季度?", t):
        q = "一二三四".find(m.group(2)) + 1 or int(m.group(2))
        return f"{m.group(1)}Q{q}"
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(?:份)?", t) or re.fullmatch(r"(\d{4})-(\d{1,2})", t):
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    if m := re.fullmatch(r"(\d{4})年?(?:度)?", t):
        return m.group(1)
    return ""


def period_label(code: str) -> str:
    """'2026Q1' → '2026年第1季度' (and so on); '' → '未注明'."""
    if m := re.fullmatch(r"(\d{4})Q([1-4])", code or ""):
        return f"{m.group(1)}年第{m.group(2)}季度"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", code or ""):
        return f"{m.group(1)}年{int(m.group(2))}月"
    if re.fullmatch(r"\d{4}", code or ""):
        return f"{code}年"
    return code or "未注明"


def quarter_of(d: date) -> str:
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


def parse_manifest(raw: Mapping[str, str] | None) -> ManifestInfo | None:
    if not raw:
        return None
    info = ManifestInfo(kind=raw.get("kind", ""), raw=dict(raw))
    info.template_version = raw.get("template_version", "")
    info.app_version = raw.get("app_version", "")
    info.generated_at = raw.get("generated_at", "")
    info.sheet = raw.get("sheet", "")
    if raw.get("row_count", "").isdigit():
        info.row_count = int(raw["row_count"])
    if m := re.fullmatch(r"(\d+)-(\d+)", raw.get("header_rows", "")):
        info.header_rows = (int(m.group(1)), int(m.group(2)))
    if raw.get("data_start_row", "").isdigit():
        info.data_start = int(raw["data_start_row"])
    info.sender_uuid = raw.get(SENDER_UUID, "")
    info.sender_name = raw.get(SENDER_NAME, "")
    info.region_code = raw.get(SENDER_REGION, "")
    info.checksum = raw.get(CHECKSUM, "")
    info.period = raw.get(PERIOD, "") or parse_period_label(raw.get("period", ""))
    if not info.period:
        for key in ("as_of", "date_to"):
            value = raw.get(key, "")
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                info.period = quarter_of(date.fromisoformat(value))
                break
    info.period_label = raw.get(PERIOD_LABEL, "") or (period_label(info.period) if info.period else "")
    info.masked = raw.get("full_info") == "0" or raw.get("masked") == "yes"
    info.organization_uuid = raw.get("organization", "")
    filters = raw.get("filters", "")
    if filters.startswith("{"):
        try:
            info.organization_name = str(json.loads(filters).get("org", ""))
        except (ValueError, AttributeError):
            pass
    info.organizations = _organizations(raw.get(ORGANIZATIONS, ""))
    return info


def _organizations(text: str) -> dict[str, dict[str, str]]:
    """The manifest's list of organizations (JSON: [{"name", "uuid", "region_code", "street_code", "kind"}, …])."""
    if not text.startswith("["):
        return {}
    try:
        items = json.loads(text)
    except ValueError:
        return {}
    out: dict[str, dict[str, str]] = {}
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip():
            out[item["name"].strip()] = {k: str(item.get(k) or "") for k in ("uuid", "region_code", "street_code", "kind")}
    return out


def read_file_manifest(path: Path | str) -> ManifestInfo | None:
    with open_source(path) as src:
        return parse_manifest(src.manifest())


# ---------------------------------------------------------------------------------------------
# Checksum


def rows_checksum(rows: Iterable[Iterable[Any]]) -> str:
    lines = ["\t".join(cell_text(v) for v in row) for row in rows]
    while lines and not lines[-1].strip():
        lines.pop()
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def sheet_checksum(path: Path | str, sheet: str, data_start: int) -> str:
    with open_source(path) as src:
        raw = src.read(sheet)
    return rows_checksum(raw.rows[data_start - 1 :])


# ---------------------------------------------------------------------------------------------
# Stamping a file for sending upward


def _manifest_xml(entries: Mapping[str, Any]) -> bytes:
    rows = []
    for i, (key, value) in enumerate([("key", "value"), *entries.items()], 1):
        if isinstance(value, datetime):
            value = value.isoformat()
        text = "" if value is None else str(value)
        cells = "".join(
            f'<c r="{col}{i}" t="inlineStr"><is><t xml:space="preserve">{escape(v)}</t></is></c>'
            for col, v in (("A", str(key)), ("B", text))
        )
        rows.append(f'<row r="{i}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<cols><col min="1" max="1" width="20" customWidth="1"/><col min="2" max="2" width="60" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    ).encode()


def _manifest_part(zf: zipfile.ZipFile) -> str:
    """The zip path of the ``_manifest`` sheet, from workbook.xml and its relationships."""
    wb = zf.read("xl/workbook.xml").decode("utf-8")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    m = re.search(r'<(?:\w+:)?sheet\b[^>]*name="' + MANIFEST_SHEET + r'"[^>]*>', wb)
    if not m:
        raise ImportFileError("该文件没有导出信息（_manifest 工作表），不是本程序导出的名册或台账。")
    rid = re.search(r'r:id="([^"]+)"', m.group(0)) or re.search(r'\bid="([^"]+)"', m.group(0))
    if not rid:
        raise ImportFileError("文件的导出信息工作表无法定位。")
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = rel.group(0)
        if f'Id="{rid.group(1)}"' in tag:
            target = re.search(r'Target="([^"]+)"', tag).group(1)
            target = target.lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    raise ImportFileError("文件的导出信息工作表无法定位。")


def stamp_manifest(path: Path | str, entries: Mapping[str, Any], *, with_checksum: bool = True) -> dict[str, str]:
    """Add ``entries`` (and the data checksum) to the ``_manifest`` sheet of an exported XLSX, in place.

    The file is rewritten through a temporary copy and replaced atomically; every other part of the
    workbook is copied byte for byte. Returns the new manifest.
    """
    path = Path(path)
    with open_source(path) as src:
        current = src.manifest()
        if current is None:
            raise ImportFileError(f"“{path.name}”没有导出信息（_manifest 工作表），不是本程序导出的名册或台账。")
        info = parse_manifest(current)
        merged: dict[str, str] = dict(current)
        merged.update({k: "" if v is None else str(v) for k, v in entries.items()})
        if with_checksum and info and info.sheet and info.data_start:
            raw = src.read(info.sheet)
            merged[CHECKSUM] = rows_checksum(raw.rows[info.data_start - 1 :])
            merged[CHECKSUM_KIND] = CHECKSUM_ALGO
    with zipfile.ZipFile(path) as zin:
        part = _manifest_part(zin)
        fd, tmp_name = tempfile.mkstemp(suffix=".xlsx", dir=str(path.parent))
        tmp = Path(tmp_name)
        try:
            with open(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zout:
                for item in zin.infolist():
                    data = _manifest_xml(merged) if item.filename == part else zin.read(item.filename)
                    zout.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
            shutil.copystat(path, tmp)
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return merged

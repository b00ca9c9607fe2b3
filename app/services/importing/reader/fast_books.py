"""Workbooks read with python-calamine (Rust; .xlsx and BIFF .xls): the fast path, with openpyxl / xlrd behind it.

Cells come out as the openpyxl / xlrd readers give them: empty cells as None, whole numbers as int, dates as
datetime, booleans as bool, text as typed. Calamine says nothing about hidden columns, so they are scanned
cheaply from the file (the ``<cols>`` of an .xlsx sheet's XML, the COLINFO records of a BIFF sheet); merged
ranges come from calamine. Where calamine cannot be trusted to give the same cells — it cannot open the file,
the hidden-column scan fails, or a whole number too large for a float was typed (openpyxl keeps its digits) —
the sheet is read by the old reader instead (:mod:`.workbooks`), which is also what opens the file when
python-calamine is not installed.

Calamine holds a whole sheet in memory (it has no lazy reader), so :data:`STREAM_OVER` bounds what it is given:
a bigger sheet is read by openpyxl's streaming reader, whose memory does not grow with the file.
:meth:`CalamineSource.iter_rows` hands rows out one at a time for the importer's batches.

Imports :mod:`.base` and :mod:`.workbooks` (the fallbacks); nothing imports this module but :mod:`.opening`.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.services.importing.reader.base import (
    FORMAT_LABELS,
    ImportCancelled,
    RawSheet,
    SheetInfo,
    SourceFile,
    _tick,
    _trim,
)
from app.services.importing.reader.workbooks import _ATTR_RE, _COL_RE, XlsxSource

#: an .xlsx sheet whose XML is bigger than this (bytes, uncompressed) is streamed by openpyxl instead
STREAM_OVER = 160 * 1024 * 1024
_EXACT = 2**53  # whole floats below this are whole numbers exactly
_BIG_RE = re.compile(rb"<(?:\w+:)?v>\s*-?\d{16,}\s*</")


class _Unsafe(Exception):
    """Calamine's cells may differ from the old reader's here: read this sheet with the old reader."""


def available() -> bool:
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


def convert_row(row: list[Any], pad: int = 0, strict: bool = False) -> tuple[Any, ...]:
    """One calamine row as the old readers give it. A whole number past 2**53 stays a float (as openpyxl reads
    1.20103196508029E+17); ``strict`` raises :class:`_Unsafe` instead, to find out first whether the file
    wrote one with all its digits (which openpyxl would read exactly)."""
    out: list[Any] = [None] * pad if pad else []
    append = out.append
    for v in row:
        t = type(v)
        if t is str:
            append(v if v else None)
        elif t is float:
            if v.is_integer():
                if -_EXACT < v < _EXACT:
                    append(int(v))
                    continue
                if strict:
                    raise _Unsafe
            append(v)
        elif t is date:
            append(datetime(v.year, v.month, v.day))
        else:
            append(v)  # int, bool, datetime, time, timedelta
    return _trim(tuple(out))


class CalamineSource(SourceFile):
    """An .xlsx or .xls read by python-calamine; :class:`ImportFileError` (or the old reader) otherwise."""

    def __init__(self, path: Path, file_format: str, fallback: Callable[[], SourceFile]) -> None:
        from python_calamine import CalamineWorkbook

        self.path = path
        self.file_format = file_format
        self.format_label = FORMAT_LABELS[file_format]
        self._fallback_factory = fallback
        self._fallback: SourceFile | None = None
        self._wb = CalamineWorkbook.from_path(str(path))  # errors: the caller opens the old reader instead
        self._sheets: list[SheetInfo] | None = None
        self._xlsx_paths: dict[str, str] | None = None
        self._loaded: dict[str, Any] = {}

    # -- the sheets ---------------------------------------------------------------------------

    def sheets(self) -> list[SheetInfo]:
        if self._sheets is None:
            out = []
            from python_calamine import SheetTypeEnum, SheetVisibleEnum

            for meta in self._wb.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    continue  # chart sheets and macro sheets hold no table (openpyxl leaves them out too)
                out.append(SheetInfo(meta.name, meta.visible != SheetVisibleEnum.Visible))
            self._sheets = out
        return self._sheets

    def _old(self) -> SourceFile:
        if self._fallback is None:
            self._fallback = self._fallback_factory()
        return self._fallback

    def read(self, sheet=None, *, progress=None, cancelled=None, max_rows=None) -> RawSheet:
        name = self._resolve_sheet(sheet)
        if self.file_format == "xlsx" and self._xml_size(name) > STREAM_OVER:
            return self._old().read(name, progress=progress, cancelled=cancelled, max_rows=max_rows)
        try:
            hidden = self._hidden_columns(name)
            rows = list(self._rows(name, progress, cancelled, max_rows))
            merges = self._merges(name)
        except ImportCancelled:
            raise
        except _Unsafe:
            return self._old().read(name, progress=progress, cancelled=cancelled, max_rows=max_rows)
        except Exception:  # noqa: BLE001 - whatever calamine or the scan cannot do, the old reader does
            return self._old().read(name, progress=progress, cancelled=cancelled, max_rows=max_rows)
        while rows and not rows[-1]:
            rows.pop()
        return RawSheet(name, rows, merges, hidden, True, self.file_format)

    def iter_rows(self, sheet: str | None = None, *, start: int = 0, cancelled=None) -> Iterator[tuple[Any, ...]]:
        """The sheet's rows from 0-based row ``start`` on, one at a time (trailing empty cells trimmed, trailing
        empty rows included). Memory: calamine's copy of the sheet, never a Python copy of all of it."""
        name = self._resolve_sheet(sheet)
        if self.file_format == "xlsx" and self._xml_size(name) > STREAM_OVER:
            yield from _old_rows(self._old(), name, start, cancelled)
            return
        done = start
        try:
            for row in self._rows(name, None, cancelled, None, start=start):
                yield row
                done += 1
        except _Unsafe:  # the rows handed out are the same in both readers: the old one goes on from here
            yield from _old_rows(self._old(), name, done, cancelled)

    def _rows(self, name: str, progress, cancelled, max_rows, *, start: int = 0) -> Iterator[tuple[Any, ...]]:
        sh = self._sheet(name)
        top, left = sh.start if sh.start else (0, 0)
        total = (sh.end[0] + 1) if sh.end else 0
        n = 0
        strict = self.file_format == "xlsx"
        for i in range(top):
            n += 1
            if i >= start:
                yield ()
            if max_rows is not None and n >= max_rows:
                return
        for row in sh.iter_rows():
            n += 1
            if n > start:
                try:
                    yield convert_row(row, left, strict)
                except _Unsafe:
                    if self._exact_big_numbers(name):
                        raise
                    strict = False
                    yield convert_row(row, left)
            _tick(progress, cancelled, n, total)
            if max_rows is not None and n >= max_rows:
                return

    def _sheet(self, name: str):
        """Calamine's copy of a sheet, parsed once (the head, the rows and the merges all come from it)."""
        if name not in self._loaded:
            self._loaded[name] = self._wb.get_sheet_by_name(name)
        return self._loaded[name]

    def row_estimate(self, sheet: str | None = None) -> int:
        """How many rows the sheet has (for progress), 0 when not known cheaply."""
        name = self._resolve_sheet(sheet)
        if self.file_format == "xlsx" and self._xml_size(name) > STREAM_OVER:
            return 0
        try:
            end = self._sheet(name).end
        except Exception:  # noqa: BLE001
            return 0
        return end[0] + 1 if end else 0

    def _merges(self, name: str) -> list[tuple[int, int, int, int]]:
        ranges = self._sheet(name).merged_cell_ranges or []
        return sorted({(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in ranges})

    # -- hidden columns -----------------------------------------------------------------------

    def _hidden_columns(self, name: str) -> set[int]:
        if self.file_format == "xlsx":
            with zipfile.ZipFile(self.path) as zf, zf.open(self._sheet_paths(zf)[name]) as stream:
                return _xlsx_hidden(stream)
        return _biff_hidden(self.path, name)

    def _exact_big_numbers(self, name: str) -> bool:
        """Whether the sheet's XML has a whole number of 16+ digits written out in full (openpyxl reads it exactly)."""
        with zipfile.ZipFile(self.path) as zf, zf.open(self._sheet_paths(zf)[name]) as stream:
            tail = b""
            while chunk := stream.read(1 << 20):
                if _BIG_RE.search(tail + chunk):
                    return True
                tail = chunk[-40:]
        return False

    def _xml_size(self, name: str) -> int:
        try:
            with zipfile.ZipFile(self.path) as zf:
                return zf.getinfo(self._sheet_paths(zf)[name]).file_size
        except Exception:  # noqa: BLE001 - unknown: calamine is tried (and the old reader behind it)
            return 0

    def _sheet_paths(self, zf: zipfile.ZipFile) -> dict[str, str]:
        """Sheet name → its part in the package (from workbook.xml and its relationships)."""
        if self._xlsx_paths is None:
            from xml.etree import ElementTree as ET

            book = next(n for n in zf.namelist() if n.endswith("workbook.xml"))
            folder = book.rsplit("/", 1)[0] if "/" in book else ""
            rels_name = f"{folder}/_rels/workbook.xml.rels" if folder else "_rels/workbook.xml.rels"
            targets = {}
            for el in ET.fromstring(zf.read(rels_name)).iter():
                if el.tag.endswith("Relationship"):
                    targets[el.get("Id")] = el.get("Target", "")
            paths = {}
            for el in ET.fromstring(zf.read(book)).iter():
                if el.tag.endswith("}sheet") or el.tag == "sheet":
                    rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
                    target = targets.get(rid, "")
                    part = target.lstrip("/") if target.startswith("/") else (f"{folder}/{target}" if folder else target)
                    paths[el.get("name")] = part
            self._xlsx_paths = paths
        return self._xlsx_paths

    def close(self) -> None:
        self._loaded.clear()
        try:
            self._wb.close()
        except Exception:  # noqa: BLE001
            pass
        if self._fallback is not None:
            self._fallback.close()


def _old_rows(src: SourceFile, name: str, start: int, cancelled) -> Iterator[tuple[Any, ...]]:
    if isinstance(src, XlsxSource):
        yield from src.iter_rows(name, start=start, cancelled=cancelled)
        return
    yield from src.read(name, cancelled=cancelled).rows[start:]


def _xlsx_hidden(stream) -> set[int]:
    """Hidden columns (0-based) from the ``<cols>`` before a sheet's ``<sheetData>``; the cells are not read."""
    hidden: set[int] = set()
    buf = b""
    while True:
        chunk = stream.read(1 << 16)
        if not chunk:
            break
        buf += chunk
        end = buf.find(b"<sheetData")
        if end < 0:
            end = buf.find(b":sheetData")
        if end >= 0:
            buf = buf[:end]
            break
    for m in _COL_RE.finditer(buf):
        attrs = dict(_ATTR_RE.findall(m.group(1)))
        if attrs.get(b"hidden", b"0").lower() in (b"1", b"true"):
            try:
                lo, hi = int(attrs.get(b"min", b"0")), int(attrs.get(b"max", b"0"))
            except ValueError:
                continue
            hidden.update(range(lo - 1, min(hi, lo + 200)))
    return hidden


_BOUNDSHEET, _BOF, _EOF, _COLINFO = 0x0085, 0x0809, 0x000A, 0x007D
_CELLS_BEGIN = frozenset({0x0200, 0x0208, 0x0203, 0x0204, 0x0205, 0x0006, 0x00FD, 0x027E, 0x00BD, 0x00BE, 0x0201})


def _biff_hidden(path: Path, name: str) -> set[int]:
    """Hidden columns (0-based) of a BIFF8 sheet: its COLINFO records, which come before its cells."""
    from xlrd.compdoc import CompDoc

    doc = CompDoc(path.read_bytes())
    data = doc.get_named_stream("Workbook") or doc.get_named_stream("Book")
    if not data:
        raise ValueError("no Workbook stream")
    offsets: dict[str, int] = {}
    pos = 0
    while pos + 4 <= len(data):
        rtype, size = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if rtype == _BOUNDSHEET:
            cch, flags = body[6], body[7]
            raw = body[8 : 8 + (cch * 2 if flags & 1 else cch)]
            offsets[raw.decode("utf-16-le" if flags & 1 else "latin-1")] = struct.unpack_from("<I", body, 0)[0]
        elif rtype == _EOF:
            break
    if name not in offsets:
        raise ValueError("sheet not found in the BIFF stream")
    pos = offsets[name]
    hidden: set[int] = set()
    first = True
    while pos + 4 <= len(data):
        rtype, size = struct.unpack_from("<HH", data, pos)
        if first and rtype != _BOF:
            raise ValueError("no BOF at the sheet's offset")
        first = False
        if rtype == _COLINFO and size >= 10:
            lo, hi, _w, _xf, flags = struct.unpack_from("<HHHHH", data, pos + 4)
            if flags & 1:
                hidden.update(range(lo, min(hi, lo + 200) + 1))
        elif rtype in _CELLS_BEGIN or rtype == _EOF:
            break
        pos += 4 + size
    return hidden


__all__ = ["STREAM_OVER", "CalamineSource", "available", "convert_row"]

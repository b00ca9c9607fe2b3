"""Steps 1–3 of an import: the file, its sheet, the header and the column mapping (:class:`SheetPlan`).

    info = inspect_file(path)                 # sheets and manifest, no cells read
    plan = load_sheet(path, "cases")          # reads the sheet, finds the header, matches the columns

The user's column choices are remembered per target (``save_mapping``) and offered next time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.services.importing.header import ColumnHeader, HeaderInfo, Match, Matcher, detect_header
from app.services.importing.manifest import ManifestInfo, parse_manifest
from app.services.importing.reader import (
    FORMAT_LABELS,
    ImportFileError,
    RawSheet,
    SheetInfo,
    SourceFile,
    open_source,
)

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]

MAPPING_SETTING = "import_mapping.{target}"


@dataclass
class SheetPlan:
    path: Path
    target: str
    file_format: str
    sheets: list[SheetInfo]
    sheet: str
    raw: RawSheet
    header: HeaderInfo
    matches: dict[int, Match]  # column index → how it was matched
    mapping: dict[int, str]  # column index → field key (what will be imported; the user may change it)
    manifest: ManifestInfo | None = None
    encoding: str | None = None
    format_label: str = ""  # 「Excel 工作簿」「网页表格（HTML）」「XML 电子表格 2003」「WPS 表格（.et）」…

    @property
    def columns(self) -> list[ColumnHeader]:
        return self.header.columns

    def mapped_fields(self) -> dict[str, ColumnHeader]:
        cols = {c.index: c for c in self.header.columns}
        return {key: cols[idx] for idx, key in self.mapping.items() if key and idx in cols}

    def set_header_rows(self, first: int, last: int, session_factory=None) -> None:
        """The user says where the header is (1-based rows); columns are matched again."""
        from app.services.importing.targets import get_target

        target = get_target(self.target)
        matcher = Matcher(target.info.fields)
        self.header = detect_header(self.raw, matcher, rows=(first, last))
        saved = load_saved_mapping(session_factory, self.target) if session_factory else None
        self.matches = matcher.match(self.header.columns, saved)
        self.mapping = {i: m.field for i, m in self.matches.items() if m.field}


# ---------------------------------------------------------------------------------------------
# Saved mappings


def load_saved_mapping(session_factory: sessionmaker[Session] | None, target: str) -> dict[str, str]:
    if session_factory is None:
        return {}
    from app.services.app_settings import get_setting

    with session_factory() as s:
        value = get_setting(s, MAPPING_SETTING.format(target=target), {})
    return dict(value) if isinstance(value, dict) else {}


def save_mapping(session: Session, plan: SheetPlan) -> None:
    from app.services.app_settings import get_setting, set_setting

    key = MAPPING_SETTING.format(target=plan.target)
    current = get_setting(session, key, {})
    current = dict(current) if isinstance(current, dict) else {}
    for col in plan.header.columns:
        if not col.key:
            continue
        chosen = plan.mapping.get(col.index, "")
        auto = plan.matches.get(col.index)
        # remember what the user decided, and what was matched; an unmatched column is remembered
        # only when the user explicitly set it to 不导入 (it is in matches with '')
        if chosen or (auto is not None and auto.field != chosen) or col.key in current:
            current[col.key] = chosen
    if len(current) > 500:
        current = dict(list(current.items())[-500:])
    set_setting(session, key, current)


# ---------------------------------------------------------------------------------------------
# Step 1–3: file, sheet, header, mapping


@dataclass
class FileInfo:
    path: Path
    file_format: str
    sheets: list[SheetInfo]
    manifest: ManifestInfo | None
    encoding: str | None = None
    format_label: str = ""  # what the file is, for the user: 「网页表格（HTML）」「XML 电子表格 2003」「WPS 表格（.et）」…

    @property
    def visible_sheets(self) -> list[SheetInfo]:
        from app.services.importing.reader import MANIFEST_SHEET

        return [s for s in self.sheets if not s.hidden and s.name != MANIFEST_SHEET]

    def suggested_sheet(self) -> str | None:
        if self.manifest and self.manifest.sheet:
            return self.manifest.sheet
        visible = self.visible_sheets
        return visible[0].name if visible else None

    def suggested_target(self) -> str | None:
        from app.services.importing.targets import target_for_export

        if self.manifest:
            return target_for_export(self.manifest.report_kind)
        return None


def _label(src: SourceFile) -> str:
    return src.format_label or FORMAT_LABELS.get(src.file_format, src.file_format)


def inspect_file(path: Path | str) -> FileInfo:
    """Sheets and manifest of a file (no cells read yet); ImportFileError if it cannot be opened."""
    path = Path(path)
    with open_source(path) as src:
        sheets = src.sheets()
        manifest = parse_manifest(src.manifest())
        if not [s for s in sheets if not s.hidden]:
            raise ImportFileError(f"“{path.name}”中没有可见的工作表。")
        return FileInfo(path, src.file_format, sheets, manifest, getattr(src, "encoding", None), _label(src))


def load_sheet(
    path: Path | str,
    target: str,
    sheet: str | None = None,
    *,
    session_factory: sessionmaker[Session] | None = None,
    header_rows: tuple[int, int] | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> SheetPlan:
    """Read ``sheet`` (default: the manifest's, else the first visible one), find its header, match columns."""
    path = Path(path)
    with open_source(path) as src:
        sheets = src.sheets()
        manifest = parse_manifest(src.manifest())
        if sheet is None and manifest and manifest.sheet in [s.name for s in sheets]:
            sheet = manifest.sheet
        raw = src.read(sheet, progress=progress, cancelled=cancelled)
        encoding = getattr(src, "encoding", None)
        fmt, label = src.file_format, _label(src)
    return make_plan(path, target, raw, sheets=sheets, manifest=manifest, file_format=fmt, encoding=encoding,
                     session_factory=session_factory, header_rows=header_rows, format_label=label)


def make_plan(
    path: Path,
    target: str,
    raw: RawSheet,
    *,
    sheets: list[SheetInfo],
    manifest: ManifestInfo | None,
    file_format: str,
    encoding: str | None = None,
    session_factory: sessionmaker[Session] | None = None,
    header_rows: tuple[int, int] | None = None,
    format_label: str = "",
) -> SheetPlan:
    """Find the header of a sheet already read and match its columns (ImportFileError if there is none)."""
    from app.services.importing.targets import get_target

    if manifest and manifest.nil:
        raise ImportFileError(
            f"“{path.name}”是{manifest.sender_label or ''}的零上报文件（{manifest.period_label or manifest.period}没有需要报送的数据），"
            "请在“报送情况”中登记，不需要导入数据。"
        )
    tgt = get_target(target)
    matcher = Matcher(tgt.info.fields)
    saved = load_saved_mapping(session_factory, target)
    header = detect_header(raw, matcher, rows=header_rows, saved=saved)
    matches = matcher.match(header.columns, saved)
    mapping = {i: m.field for i, m in matches.items() if m.field}
    label = format_label or FORMAT_LABELS.get(file_format, file_format)
    return SheetPlan(path, target, file_format, sheets, raw.name, raw, header, matches, mapping, manifest, encoding, label)


__all__ = [
    "MAPPING_SETTING",
    "FileInfo",
    "SheetPlan",
    "inspect_file",
    "load_saved_mapping",
    "load_sheet",
    "make_plan",
    "save_mapping",
]

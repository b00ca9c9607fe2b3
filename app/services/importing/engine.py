"""The import pipeline: file → sheet → header → column mapping → preview (validated rows) → one transaction.

    plan = load_sheet(path, "cases")                      # reads the sheet, finds the header, matches columns
    preview = build_preview(session_factory, plan, options)   # every row parsed, checked, matched to the database
    result = commit(session_factory, preview, options)    # all or nothing

Nothing is written before :func:`commit`, and :func:`commit` writes in one transaction: a file with rejected
rows writes nothing unless ``options.valid_only`` (the user chose to import the valid rows). Rows already in
the database (same 记录标识, or the target's natural key: case number in the organization, ID number and
received date, credit code …) are updated where the file differs, or skipped, as ``options.duplicates``
says; importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.services.importing.header import (
    ColumnHeader,
    HeaderInfo,
    Match,
    Matcher,
    column_letter,
    detect_header,
    norm_label,
)
from app.services.importing.manifest import ManifestInfo, parse_manifest, rows_checksum
from app.services.importing.parsing import is_blank, parse_cell
from app.services.importing.reader import (
    ImportCancelled,
    ImportFileError,
    RawSheet,
    SheetInfo,
    cell_text,
    open_source,
)
from app.services.importing.schema import FieldSpec
from app.services.validation import ValidationError, normalize_text

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]

ACTION_LABELS = {
    "new": "新增",
    "update": "更新",
    "unchanged": "已有，无变化",
    "skip": "已有，跳过",
    "error": "有错误，不导入",
    "dup": "与前面的行重复，只导入一次",
}
SUMMARY_LABELS = {
    "new": "新增",
    "update": "已有并将更新",
    "unchanged": "已有且无变化",
    "skip": "已有（跳过）",
    "dup": "与前面的行重复",
    "error": "有错误",
}
MATCH_LABELS = {
    "uuid": "记录标识",
    "case_no": "同一组织的案号",
    "id_date": "身份证号和收到申请日期",
    "credit_code": "统一社会信用代码",
    "name": "名称",
    "id_number": "身份证号",
    "name_unit": "姓名和单位",
    "pair": "志愿者和联系企业",
    "service": "日期、项目、志愿者和企业",
    "org_name": "组织和姓名",
}
_TOTAL_WORDS = ("合计", "总计", "小计", "共计", "累计", "总数")
_NOTE_PREFIXES = ("填表人", "制表人", "审核人", "负责人", "单位负责人", "填报人", "注:", "注：", "说明", "备注:", "备注：", "制表日期", "填表日期", "联系电话")
MAPPING_SETTING = "import_mapping.{target}"


@dataclass
class ImportOptions:
    organization: int | str | None = None  # the organization the rows belong to when the file does not say
    duplicates: str = "update"  # rows already in the database: 'update' (where the file differs) or 'skip'
    valid_only: bool = False  # import the valid rows even though others are rejected
    dry_run: bool = False
    today: date | None = None
    record_submission: bool = True  # a file sent upward (manifest names the sender): keep a 报送 record
    save_mapping: bool = True

    def __post_init__(self) -> None:
        if self.duplicates not in ("update", "skip"):
            raise ValueError(f"duplicates 应为 update 或 skip，而不是 {self.duplicates!r}")


@dataclass
class Problem:
    row: int  # Excel row number; 0 for the file as a whole
    column: str  # 'C'; '' when not about one cell
    header: str  # the column's header text
    field: str  # the field's Chinese name
    value: str  # the cell as typed
    message: str
    level: str = "error"  # 'error' | 'warning'

    @property
    def where(self) -> str:
        if not self.row:
            return "文件"
        return f"第{self.row}行" + (f" {self.column}列（{self.header}）" if self.column else "")


@dataclass
class Change:
    field: str  # Chinese name
    old: str
    new: str


@dataclass
class RowData:
    row: int
    cells: dict[str, Any]  # field key → the raw cell
    values: dict[str, Any] = field(default_factory=dict)  # field key → parsed value
    problems: list[Problem] = field(default_factory=list)
    action: str = "new"
    match: str = ""  # key of MATCH_LABELS
    existing_id: int | None = None
    changes: list[Change] = field(default_factory=list)
    scratch: dict[str, Any] = field(default_factory=dict)
    parsed_problems: int = 0  # how many of ``problems`` came from reading the cells (kept when rows are re-checked)

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


@dataclass
class SkippedRow:
    row: int
    reason: str  # 'blank' / 'total' / 'note'
    text: str = ""

    @property
    def reason_label(self) -> str:
        return {"blank": "空行", "total": "合计行", "note": "说明文字"}.get(self.reason, self.reason)


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


@dataclass
class Preview:
    plan: SheetPlan
    rows: list[RowData]
    skipped: list[SkippedRow]
    notes: list[Problem]  # about the file as a whole (manifest, checksum, unmapped required fields …)
    organization_name: str = ""
    target_title: str = ""

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def error_rows(self) -> list[RowData]:
        return [r for r in self.rows if r.action == "error"]

    @property
    def problems(self) -> list[Problem]:
        out = list(self.notes)
        for r in self.rows:
            out.extend(r.problems)
        return out

    @property
    def fatal(self) -> list[Problem]:
        """File-level errors: nothing can be imported until they are fixed (e.g. a required column is missing)."""
        return [p for p in self.notes if p.level == "error"]

    def summary(self) -> str:
        parts = [f"共 {len(self.rows)} 行数据"]
        for action in ("new", "update", "unchanged", "skip", "dup", "error"):
            n = self.count(action)
            if n:
                parts.append(f"{SUMMARY_LABELS[action]} {n} 行")
        blank = sum(1 for s in self.skipped if s.reason == "blank")
        totals = sum(1 for s in self.skipped if s.reason == "total")
        notes = sum(1 for s in self.skipped if s.reason == "note")
        if blank:
            parts.append(f"跳过空行 {blank} 行")
        if totals:
            parts.append(f"跳过合计行 {totals} 行")
        if notes:
            parts.append(f"跳过说明文字 {notes} 行")
        return "，".join(parts) + "。"


@dataclass
class ImportResult:
    target: str
    path: Path
    sheet: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_existing: int = 0
    repeated: int = 0  # rows repeating an earlier row of the file (imported once)
    rejected: int = 0
    skipped_rows: int = 0
    committed: bool = False
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    preview: Preview | None = None
    created: dict[str, int] = field(default_factory=dict)  # other records created on the way ('企业' → 3)
    submission_id: int | None = None

    @property
    def all_imported(self) -> bool:
        return self.rejected == 0 and not any(p.level == "error" for p in self.problems)

    def summary(self) -> str:
        verb = "检查" if self.dry_run else "导入"
        if not self.committed and not self.dry_run:
            head = "没有导入任何数据"
        else:
            head = f"{verb}完成" + ("（试运行，数据库没有改动）" if self.dry_run else "")
        parts = [f"新增 {self.added} 条", f"更新 {self.updated} 条", f"无变化 {self.unchanged} 条"]
        if self.skipped_existing:
            parts.append(f"已有而跳过 {self.skipped_existing} 条")
        if self.repeated:
            parts.append(f"与前面的行重复 {self.repeated} 行")
        if self.rejected:
            parts.append(f"有错误未导入 {self.rejected} 行")
        if self.skipped_rows:
            parts.append(f"空行、合计行等跳过 {self.skipped_rows} 行")
        extra = "".join(f"，另新建{k} {v} 个" for k, v in self.created.items() if v)
        return f"{head}：" + "，".join(parts) + extra + "。"


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


def inspect_file(path: Path | str) -> FileInfo:
    """Sheets and manifest of a file (no cells read yet); ImportFileError if it cannot be opened."""
    path = Path(path)
    with open_source(path) as src:
        sheets = src.sheets()
        manifest = parse_manifest(src.manifest())
        if not [s for s in sheets if not s.hidden]:
            raise ImportFileError(f"“{path.name}”中没有可见的工作表。")
        return FileInfo(path, src.file_format, sheets, manifest, getattr(src, "encoding", None))


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
        fmt = src.file_format
    return make_plan(path, target, raw, sheets=sheets, manifest=manifest, file_format=fmt, encoding=encoding,
                     session_factory=session_factory, header_rows=header_rows)


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
    return SheetPlan(path, target, file_format, sheets, raw.name, raw, header, matches, mapping, manifest, encoding)


# ---------------------------------------------------------------------------------------------
# Step 4: preview


class ImportContext:
    """What a target sees while it checks and writes rows: the session, options, manifest and caches."""

    def __init__(self, session: Session, plan: SheetPlan, options: ImportOptions) -> None:
        from app.services.importing.orgs import OrgResolver

        self.session = session
        self.plan = plan
        self.options = options
        self.today = options.today or date.today()
        self.manifest = plan.manifest
        self.fields = plan.mapped_fields()  # field key → column
        self.notes: list[Problem] = []
        self.created: dict[str, int] = {}
        self.orgs = OrgResolver(session, options.organization, plan.manifest)
        self.cache: dict[str, Any] = {}

    def has(self, key: str) -> bool:
        return key in self.fields

    def note(self, message: str, level: str = "warning") -> None:
        if not any(p.message == message for p in self.notes):
            self.notes.append(Problem(0, "", "", "", "", message, level))

    def count_created(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def problem(self, row: RowData, key: str | None, message: str, level: str = "error") -> None:
        col = self.fields.get(key) if key else None
        spec = None
        if key:
            from app.services.importing.targets import get_target

            try:
                spec = get_target(self.plan.target).info.field(key)
            except KeyError:
                spec = None
        value = cell_text(row.cells.get(key)) if key else ""
        row.problems.append(
            Problem(
                row.row,
                col.letter if col else "",
                col.text if col else "",
                spec.label if spec else "",
                value,
                message,
                level,
            )
        )


def _filled(v: Any) -> bool:
    return v is not None and (not isinstance(v, str) or bool(v.strip()) and not is_blank(v))


def _row_kind(row: tuple[Any, ...], mapped_idx: Sequence[int]) -> tuple[str, str] | None:
    """('blank'|'total'|'note', text) for rows to skip, None for data rows."""
    n = len(row)
    if not any(_filled(row[i]) for i in mapped_idx if i < n):
        texts = [cell_text(v) for v in row if _filled(v)]
        return ("blank", " ".join(texts)[:60])
    seen = 0
    for v in row:
        if not _filled(v):
            continue
        seen += 1
        if isinstance(v, str):
            compact = normalize_text(v).replace(" ", "").replace(":", "").replace("：", "")
            if compact in _TOTAL_WORDS or (len(compact) <= 12 and compact.startswith(_TOTAL_WORDS)):
                return ("total", " ".join(cell_text(x) for x in row if _filled(x))[:60])
        if seen >= 4:
            break
    filled = [v for v in row if _filled(v)]
    if len(filled) == 1 and isinstance(filled[0], str) and filled[0].replace(" ", "").startswith(_NOTE_PREFIXES):
        return ("note", filled[0].strip()[:60])
    return None


def _manifest_notes(ctx: ImportContext, plan: SheetPlan, n_rows: int) -> None:
    m = plan.manifest
    if m is None:
        return
    from app.services.importing.targets import target_for_export

    expected = target_for_export(m.kind)
    if m.kind and expected and expected != plan.target and not (m.kind == "enterprise-roster" and plan.target == "enterprises"):
        ctx.note(f"这是本程序导出的“{m.kind}”文件，通常按“{expected}”导入，现在选择的是“{plan.target}”，请确认。")
    if m.sheet and m.sheet != plan.sheet:
        return
    if m.header_rows and (plan.header.first_row, plan.header.last_row) != m.header_rows:
        ctx.note("表头所在的行与导出时不同，文件在导出后可能被手工改动过（按表格中可见的内容导入）。")
    if m.row_count is not None and m.row_count != n_rows:
        ctx.note(f"导出时有 {m.row_count} 行记录，现在文件中有 {n_rows} 行，文件在导出后被改动过（按表格中可见的内容导入）。")
    if m.checksum and m.data_start:
        actual = rows_checksum(plan.raw.rows[m.data_start - 1 :])
        if actual != m.checksum:
            ctx.note("文件内容与报送时的校验值不一致：文件在导出后被手工改动过，按表格中可见的内容导入，改动之处见各行的“变化”。")
    if m.masked:
        ctx.note("该文件的身份证号和电话已脱敏（中间几位为 *），脱敏的号码不会导入，也不会覆盖库中已有的完整号码。")


def build_preview(
    session_factory: sessionmaker[Session],
    plan: SheetPlan,
    options: ImportOptions | None = None,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> Preview:
    """Parse and check every row, and match it to the database; nothing is written."""
    options = options or ImportOptions()
    with session_factory() as session:
        ctx = ImportContext(session, plan, options)
        rows, skipped = _parse_rows(ctx, plan, progress, cancelled)
        _check_and_resolve(ctx, rows, progress, cancelled)
        session.rollback()
    from app.services.importing.targets import get_target

    return Preview(plan, rows, skipped, ctx.notes, ctx.orgs.default_label(), get_target(plan.target).info.title)


def _parse_rows(
    ctx: ImportContext, plan: SheetPlan, progress: ProgressFn | None, cancelled: CancelFn | None
) -> tuple[list[RowData], list[SkippedRow]]:
    from app.services.importing.targets import get_target

    target = get_target(plan.target)
    specs = {f.key: f for f in target.info.fields}
    mapped = [(key, col, specs[key]) for key, col in ctx.fields.items() if key in specs and not specs[key].ignored]
    mapped_idx = [col.index for _k, col in ctx.fields.items()]
    missing = [f for f in target.info.fields if f.required and f.key not in ctx.fields and not target.optional_required(ctx, f.key)]
    for f in missing:
        ctx.note(f"没有找到“{f.label}”列（必填）。请在“列对应”一步中指定哪一列是“{f.label}”。", "error")
    rows: list[RowData] = []
    skipped: list[SkippedRow] = []
    raw_rows = plan.raw.rows
    start = plan.header.data_start - 1
    total = max(len(raw_rows) - start, 0)
    today = ctx.today
    for i in range(start, len(raw_rows)):
        n = i - start + 1
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        if progress is not None and n % 500 == 0:
            progress(n, total, f"正在检查第 {n}/{total} 行…")
        row = raw_rows[i]
        kind = _row_kind(row, mapped_idx)
        if kind is not None:
            skipped.append(SkippedRow(i + 1, kind[0], kind[1]))
            continue
        data = RowData(i + 1, {key: (row[col.index] if col.index < len(row) else None) for key, col in ctx.fields.items()})
        for key, col, spec in mapped:
            value = data.cells.get(key)
            try:
                parsed = parse_cell(spec, value, unit_factor=col.unit_factor, today=today)
            except ValidationError as exc:
                ctx.problem(data, key, exc.message)
                continue
            if parsed.value is not None:
                data.values[key] = parsed.value
            for w in parsed.warnings:
                ctx.problem(data, key, w, "warning")
        data.parsed_problems = len(data.problems)
        rows.append(data)
    # trailing blank rows are not worth a line each in the report
    while skipped and skipped[-1].reason == "blank" and skipped[-1].row == len(raw_rows):
        skipped.pop()
    _manifest_notes(ctx, plan, len(rows))
    return rows, skipped


def _check_and_resolve(ctx: ImportContext, rows: list[RowData], progress, cancelled) -> None:
    from app.services.importing.targets import get_target

    target = get_target(ctx.plan.target)
    target.prepare(ctx)
    fatal = any(p.level == "error" for p in ctx.notes)
    for n, row in enumerate(rows, 1):
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        if row.ok and not fatal:
            target.check_row(ctx, row)
        if progress is not None and n % 500 == 0:
            progress(n, len(rows), f"正在核对第 {n}/{len(rows)} 行…")
    good = [r for r in rows if r.ok]
    if not fatal:
        target.resolve(ctx, good)
    for r in rows:
        if not r.ok:
            r.action = "error"
        elif fatal:
            r.action = "error"


# ---------------------------------------------------------------------------------------------
# Step 5: commit


def commit(
    session_factory: sessionmaker[Session],
    preview: Preview,
    options: ImportOptions | None = None,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> ImportResult:
    """Write the preview's rows in one transaction (or, for a dry run, check everything and roll back).

    Rows are matched to the database again inside the transaction, so the result is right even if the
    database changed since the preview. With rejected rows and not ``options.valid_only`` nothing is written.
    """
    from app.services.importing.targets import get_target

    options = options or ImportOptions()
    plan = preview.plan
    target = get_target(plan.target)
    result = ImportResult(plan.target, plan.path, plan.sheet, dry_run=options.dry_run, preview=preview)
    result.skipped_rows = len(preview.skipped)
    rejected = [r for r in preview.rows if not r.ok]
    result.rejected = len(rejected)
    result.problems = preview.problems
    if preview.fatal:
        return result
    if rejected and not options.valid_only and not options.dry_run:
        return result
    rows = [r for r in preview.rows if r.ok]
    session = session_factory()
    try:
        session.begin()
        ctx = ImportContext(session, plan, options)
        for r in rows:  # fresh matching inside the transaction
            r.action, r.match, r.existing_id, r.changes, r.scratch = "new", "", None, [], {}
            r.problems = r.problems[: r.parsed_problems]
        target.prepare(ctx)
        for r in rows:
            target.check_row(ctx, r)
        ok_rows = [r for r in rows if r.ok]
        target.resolve(ctx, ok_rows)
        late = [r for r in rows if not r.ok]
        if late and not options.valid_only and not options.dry_run:
            session.rollback()
            result.rejected += len(late)
            result.problems = preview.notes + [p for r in preview.rows for p in r.problems]
            return result
        result.rejected += len(late)
        todo = [r for r in ok_rows if r.ok and r.action in ("new", "update")]
        if options.duplicates == "skip":
            for r in ok_rows:
                if r.action == "update":
                    r.action = "skip"
            todo = [r for r in todo if r.action == "new"]

        def tick(done: int, total: int) -> None:
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total, f"正在写入 {done}/{total} 行…")

        target.write(ctx, todo, tick)
        session.flush()
        result.added = sum(1 for r in ok_rows if r.action == "new")
        result.updated = sum(1 for r in ok_rows if r.action == "update")
        result.unchanged = sum(1 for r in ok_rows if r.action == "unchanged")
        result.skipped_existing = sum(1 for r in ok_rows if r.action == "skip")
        result.repeated = sum(1 for r in ok_rows if r.action == "dup")
        result.created = dict(ctx.created)
        notes = list(preview.notes) + [n for n in ctx.notes if all(n.message != m.message for m in preview.notes)]
        preview.notes[:] = notes
        result.problems = notes + [p for r in preview.rows for p in r.problems]
        if options.save_mapping and not options.dry_run:
            save_mapping(session, plan)
        if options.record_submission and not options.dry_run and plan.manifest is not None:
            from app.services.importing.submissions import record_submission

            result.submission_id = record_submission(session, ctx, result)
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        if options.dry_run:
            session.rollback()
        else:
            session.commit()
            result.committed = True
        if progress is not None:
            progress(len(todo), len(todo), "导入完成" if not options.dry_run else "检查完成")
        return result
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def run_import(
    session_factory: sessionmaker[Session],
    path: Path | str,
    target: str,
    options: ImportOptions | None = None,
    *,
    sheet: str | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> ImportResult:
    """The whole pipeline in one call (the command line and tests): load, preview, commit."""
    options = options or ImportOptions()
    plan = load_sheet(path, target, sheet, session_factory=session_factory, progress=progress, cancelled=cancelled)
    preview = build_preview(session_factory, plan, options, progress=progress, cancelled=cancelled)
    return commit(session_factory, preview, options, progress=progress, cancelled=cancelled)


def field_specs(target: str) -> tuple[FieldSpec, ...]:
    from app.services.importing.targets import get_target

    return get_target(target).info.fields


__all__ = [
    "ACTION_LABELS",
    "Change",
    "FileInfo",
    "ImportContext",
    "ImportOptions",
    "ImportResult",
    "Preview",
    "Problem",
    "RowData",
    "SheetPlan",
    "SkippedRow",
    "build_preview",
    "commit",
    "column_letter",
    "inspect_file",
    "load_sheet",
    "make_plan",
    "norm_label",
    "run_import",
]

"""Step 4 of an import: every row parsed, checked and matched to the database (:class:`Preview`); nothing written.

Blank rows, total rows (合计、小计 …), signature and footer lines (审核人、填表人、负责人、制表、盖章、填报日期、
备注说明 …) and notes under the table (说明、注 …) are skipped and listed (:class:`SkippedRow`, and a note
naming them in the preview); the manifest of a file this program exported is checked against what the file
now holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.services.importing.context import ImportContext
from app.services.importing.manifest import rows_checksum
from app.services.importing.parsing import is_blank, parse_cell
from app.services.importing.plan import CancelFn, ProgressFn, SheetPlan
from app.services.importing.reader import ImportCancelled, cell_text
from app.services.importing.records import SUMMARY_LABELS, ImportOptions, Problem, RowData, SkippedRow
from app.services.validation import ValidationError, normalize_text

_TOTAL_WORDS = ("合计", "总计", "小计", "共计", "累计", "总数")
_NOTE_PREFIXES = ("注:", "注：", "说明", "备注:", "备注：", "联系电话")
#: how the signature and footer lines under a table begin (compared without spaces and colons)
_SIGNATURE_PREFIXES = ("审核人", "审核", "审批人", "复核人", "填表人", "填报人", "制表人", "制表", "统计人", "负责人",
                       "单位负责人", "主要负责人", "分管领导", "填报日期", "填表日期", "制表日期", "报送日期", "备注说明",
                       "填报说明", "单位盖章", "单位(盖章)", "单位（盖章）", "(盖章)", "（盖章）", "盖章")
_SHOWN_SKIPPED = 10  # skipped signature and note rows named in the preview's notes


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
        signatures = sum(1 for s in self.skipped if s.reason == "signature")
        if blank:
            parts.append(f"跳过空行 {blank} 行")
        if totals:
            parts.append(f"跳过合计行 {totals} 行")
        if notes:
            parts.append(f"跳过说明文字 {notes} 行")
        if signatures:
            parts.append(f"跳过签名栏 {signatures} 行")
        return "，".join(parts) + "。"


def _filled(v: Any) -> bool:
    return v is not None and (not isinstance(v, str) or bool(v.strip()) and not is_blank(v))


def _signature(row: tuple[Any, ...]) -> bool:
    """A signature or footer line: its first filled cell begins 审核人、填表人、负责人、制表、填报日期、备注说明 …
    or says 盖章."""
    return _signature_cell(next((v for v in row if _filled(v)), None))


def _signature_cell(first: Any) -> bool:
    if not isinstance(first, str):
        return False
    compact = normalize_text(first).replace(" ", "").replace(":", "").replace("：", "")
    return compact.startswith(_SIGNATURE_PREFIXES) or "盖章" in compact


def _row_kind(row: tuple[Any, ...], mapped_idx: Sequence[int]) -> tuple[str, str] | None:
    """('blank'|'total'|'note'|'signature', text) for rows to skip, None for data rows."""
    filled = [v for v in row if _filled(v)]
    if filled and _signature_cell(filled[0]):
        return ("signature", " ".join(cell_text(v) for v in filled)[:60])
    n = len(row)
    if not any(_filled(row[i]) for i in mapped_idx if i < n):
        return ("blank", " ".join(cell_text(v) for v in filled)[:60])
    for v in filled[:4]:
        if isinstance(v, str):
            compact = normalize_text(v).replace(" ", "").replace(":", "").replace("：", "")
            if compact in _TOTAL_WORDS or (len(compact) <= 12 and compact.startswith(_TOTAL_WORDS)):
                return ("total", " ".join(cell_text(x) for x in filled)[:60])
    if len(filled) == 1 and isinstance(filled[0], str) and filled[0].replace(" ", "").startswith(_NOTE_PREFIXES):
        return ("note", filled[0].strip()[:60])
    return None


def _manifest_notes(ctx: ImportContext, plan: SheetPlan, n_rows: int, checksum: str | None = None) -> None:
    """Notes on a file this program exported that was changed since (``checksum``: of the rows from the
    manifest's data start, when the sheet was not read whole)."""
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
        actual = checksum if checksum is not None else rows_checksum(plan.raw.rows[m.data_start - 1 :])
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


class RowParser:
    """Parses the data rows of a sheet one at a time: a :class:`RowData` for a data row, a :class:`SkippedRow` for a
    blank, total, note or signature row. Making one notes the required columns that are missing."""

    def __init__(self, ctx: ImportContext, plan: SheetPlan) -> None:
        from app.services.importing.targets import get_target

        target = get_target(plan.target)
        specs = {f.key: f for f in target.info.fields}
        self.ctx = ctx
        self.fields = list(ctx.fields.items())
        self.mapped = [(key, col, specs[key]) for key, col in self.fields if key in specs and not specs[key].ignored]
        self.mapped_idx = [col.index for _k, col in self.fields]
        missing = [f for f in target.info.fields
                   if f.required and f.key not in ctx.fields and not target.optional_required(ctx, f.key)]
        for f in missing:
            ctx.note(f"没有找到“{f.label}”列（必填）。请在“列对应”一步中指定哪一列是“{f.label}”。", "error")

    def parse(self, i: int, row: tuple[Any, ...]) -> RowData | SkippedRow:
        """Row ``i`` (0-based) of the sheet."""
        kind = _row_kind(row, self.mapped_idx)
        if kind is not None:
            return SkippedRow(i + 1, kind[0], kind[1])
        n = len(row)
        ctx = self.ctx
        data = RowData(i + 1, {key: (row[col.index] if col.index < n else None) for key, col in self.fields})
        cells, values, today = data.cells, data.values, ctx.today
        for key, col, spec in self.mapped:
            value = cells.get(key)
            if value is None:
                continue  # blank: nothing to parse (parse_cell gives None without warnings)
            try:
                parsed = parse_cell(spec, value, unit_factor=col.unit_factor, today=today)
            except ValidationError as exc:
                ctx.problem(data, key, exc.message)
                continue
            if parsed.value is not None:
                values[key] = parsed.value
            for w in parsed.warnings:
                ctx.problem(data, key, w, "warning")
        data.parsed_problems = len(data.problems)
        return data


def _parse_rows(
    ctx: ImportContext, plan: SheetPlan, progress: ProgressFn | None, cancelled: CancelFn | None
) -> tuple[list[RowData], list[SkippedRow]]:
    parser = RowParser(ctx, plan)
    rows: list[RowData] = []
    skipped: list[SkippedRow] = []
    raw_rows = plan.raw.rows
    start = plan.header.data_start - 1
    total = max(len(raw_rows) - start, 0)
    for i in range(start, len(raw_rows)):
        n = i - start + 1
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        if progress is not None and n % 500 == 0:
            progress(n, total, f"正在检查第 {n}/{total} 行…")
        got = parser.parse(i, raw_rows[i])
        (rows if isinstance(got, RowData) else skipped).append(got)
    # trailing blank rows are not worth a line each in the report
    while skipped and skipped[-1].reason == "blank" and skipped[-1].row == len(raw_rows):
        skipped.pop()
    _manifest_notes(ctx, plan, len(rows))
    _skipped_note(ctx, skipped)
    return rows, skipped


def _skipped_note(ctx: ImportContext, skipped: list[SkippedRow]) -> None:
    """Name the signature, note and total rows that will be skipped, so the preview shows the decision."""
    shown = [s for s in skipped if s.reason in ("signature", "note", "total")]
    if not shown:
        return
    text = "；".join(f"第{s.row}行 {s.reason_label}“{s.text}”" for s in shown[:_SHOWN_SKIPPED])
    more = f"；另有 {len(shown) - _SHOWN_SKIPPED} 行" if len(shown) > _SHOWN_SKIPPED else ""
    ctx.note(f"跳过的行（不导入）：{text}{more}。", "warning")


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


__all__ = ["Preview", "RowParser", "build_preview"]

"""The whole import in one pass and in batches (:func:`stream_import`): what :func:`~.engine.run_import` does for
targets that can (``Target.streams``), so that memory is bounded by a batch and not by the file.

The sheet's first rows are read to find the header; then its rows come one at a time from the reader and are
parsed, checked, matched and written :data:`BATCH` rows at a time, in one transaction. The rules are the
preview's and the commit's (:mod:`.preview`, :mod:`.engine`): a file with rejected rows writes nothing unless
``options.valid_only`` (the rows already written are rolled back; the rest are still checked, so every problem
is reported), a dry run rolls back. Rows of finished batches are kept only as the target leaves them
(``Target.release``: row number, action, match, changes, problems) for the result's preview.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.services.importing.context import ImportContext
from app.services.importing.manifest import parse_manifest
from app.services.importing.plan import CancelFn, ProgressFn, _label, make_plan, save_mapping
from app.services.importing.preview import Preview, RowParser, _manifest_notes, _skipped_note
from app.services.importing.reader import ImportCancelled, cell_text, open_source
from app.services.importing.records import ImportOptions, ImportResult, RowData, SkippedRow

#: rows parsed, checked and written together
BATCH = 2_000
#: rows read first to find the header (header.SCAN_ROWS and a tall header fit in it)
HEAD_ROWS = 200


class _Checksum:
    """manifest.rows_checksum of rows given one at a time (trailing blank lines left out, as there)."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self._blank: list[str] = []
        self._first = True

    def add(self, row: tuple[Any, ...]) -> None:
        line = "\t".join(cell_text(v) for v in row)
        if not line.strip():
            self._blank.append(line)
            return
        for held in self._blank:
            self._put(held)
        self._blank.clear()
        self._put(line)

    def _put(self, line: str) -> None:
        self._hash.update((line if self._first else "\n" + line).encode("utf-8"))
        self._first = False

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def stream_import(
    session_factory: sessionmaker[Session],
    path: Path | str,
    target: str,
    options: ImportOptions,
    *,
    sheet: str | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
):
    """Load, check and write ``path`` in batches; the same :class:`~.engine.ImportResult` as load + preview + commit."""
    from app.services.importing.targets import get_target

    path = Path(path)
    tgt = get_target(target)
    with open_source(path) as src:
        sheets = src.sheets()
        manifest = parse_manifest(src.manifest())
        if sheet is None and manifest and manifest.sheet in [s.name for s in sheets]:
            sheet = manifest.sheet
        head = src.read(sheet, cancelled=cancelled, max_rows=HEAD_ROWS)
        plan = make_plan(path, target, head, sheets=sheets, manifest=manifest, file_format=src.file_format,
                         encoding=getattr(src, "encoding", None), session_factory=session_factory,
                         format_label=_label(src))
        total = (getattr(src, "row_estimate", None) or (lambda _n: 0))(head.name)
        session = session_factory()
        try:
            session.begin()
            ctx = ImportContext(session, plan, options)
            parser = RowParser(ctx, plan)
            kept = len(ctx.notes)
            tgt.prepare(ctx)
            prepared = ctx.notes[kept:]  # the preview notes them after the manifest and the skipped rows
            del ctx.notes[kept:]
            fatal = any(p.level == "error" for p in ctx.notes + prepared)
            result = ImportResult(plan.target, plan.path, plan.sheet, dry_run=options.dry_run)
            run = _Run(ctx, tgt, options, fatal, result, progress, cancelled, total)
            m = manifest
            check_from = m.data_start - 1 if m and m.checksum and m.data_start and (not m.sheet or m.sheet == plan.sheet) else None
            data_from = plan.header.data_start - 1
            checksum = _Checksum() if check_from is not None else None
            start = min(data_from, check_from) if check_from is not None else data_from
            last_filled = -1
            for i, row in enumerate(src.iter_rows(head.name, start=start, cancelled=cancelled), start):
                if row:
                    last_filled = i
                if checksum is not None and i >= check_from:
                    checksum.add(row)
                if i >= data_from:
                    run.add(parser.parse(i, row))
            run.flush()
            n_raw = last_filled + 1
            skipped = [s for s in run.skipped if s.row <= n_raw]
            if skipped and skipped[-1].reason == "blank" and skipped[-1].row == n_raw:
                skipped.pop()
            _manifest_notes(ctx, plan, len(run.rows), checksum.hexdigest() if checksum is not None else None)
            _skipped_note(ctx, skipped)
            for p in prepared:
                ctx.note(p.message, p.level)
            preview = Preview(plan, run.rows, skipped, ctx.notes, ctx.orgs.default_label(), tgt.info.title)
            return run.finish(session, preview)
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


class _Run:
    """The batches of one streamed import and what they add up to."""

    def __init__(self, ctx: ImportContext, tgt, options: ImportOptions, fatal: bool, result, progress, cancelled,
                 total: int) -> None:
        self.ctx, self.tgt, self.options, self.fatal, self.result = ctx, tgt, options, fatal, result
        self.progress, self.cancelled, self.total = progress, cancelled, total
        self.rows: list[RowData] = []
        self.skipped: list[SkippedRow] = []
        self.batch: list[RowData] = []
        self.rejected = 0
        self.written = 0
        self.flushes = 0

    @property
    def writing(self) -> bool:
        o = self.options
        return not self.fatal and (not self.rejected or o.valid_only or o.dry_run)

    def add(self, got: RowData | SkippedRow) -> None:
        if isinstance(got, SkippedRow):
            self.skipped.append(got)
            return
        self.batch.append(got)
        self.rows.append(got)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        batch, ctx, tgt = self.batch, self.ctx, self.tgt
        if not batch:
            return
        self.batch = []
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled()
        if not self.fatal:
            for r in batch:
                if r.ok:
                    tgt.check_row(ctx, r)
            tgt.resolve(ctx, [r for r in batch if r.ok])
        for r in batch:
            if not r.ok:
                self.rejected += 1
            if not r.ok or self.fatal:
                r.action = "error"
        if self.writing:
            ok = [r for r in batch if r.ok]
            if self.options.duplicates == "skip":
                for r in ok:
                    if r.action == "update":
                        r.action = "skip"
            todo = [r for r in ok if r.action in ("new", "update")]
            base = self.written

            def tick(done: int, total: int) -> None:
                if self.cancelled is not None and self.cancelled():
                    raise ImportCancelled()
                n = base + done
                if self.progress is not None and (n % 200 == 0 or done == total):
                    self.progress(n, max(self.total, n), f"正在写入第 {n} 行…")

            tgt.write(ctx, todo, tick)
            ctx.session.flush()
            self.written += len(todo)
        elif self.progress is not None:
            self.progress(len(self.rows), max(self.total, len(self.rows)), f"正在检查第 {len(self.rows)} 行…")
        self.flushes += 1
        if self.flushes == 2:  # more than one batch: the finished rows keep only what the result shows
            tgt.release(ctx, self.rows[: len(self.rows) - len(batch)])
        if self.flushes >= 2:
            tgt.release(ctx, batch)

    def finish(self, session: Session, preview: Preview):
        result, ctx, options = self.result, self.ctx, self.options
        result.preview = preview
        result.skipped_rows = len(preview.skipped)
        result.rejected = self.rejected
        result.problems = preview.notes + [p for r in preview.rows for p in r.problems]
        if preview.fatal or (self.rejected and not options.valid_only and not options.dry_run):
            session.rollback()
            return result
        ok = [r for r in preview.rows if r.ok]
        result.added = sum(1 for r in ok if r.action == "new")
        result.updated = sum(1 for r in ok if r.action == "update")
        result.unchanged = sum(1 for r in ok if r.action == "unchanged")
        result.skipped_existing = sum(1 for r in ok if r.action == "skip")
        result.repeated = sum(1 for r in ok if r.action == "dup")
        result.created = dict(ctx.created)
        if options.save_mapping and not options.dry_run:
            save_mapping(session, preview.plan)
        if options.record_submission and not options.dry_run and preview.plan.manifest is not None:
            from app.services.importing.submissions import record_submission

            result.submission_id = record_submission(session, ctx, result)
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled()
        if options.dry_run:
            session.rollback()
        else:
            session.commit()
            result.committed = True
        if self.progress is not None:
            self.progress(self.written, self.written, "导入完成" if not options.dry_run else "检查完成")
        return result


__all__ = ["BATCH", "HEAD_ROWS", "stream_import"]

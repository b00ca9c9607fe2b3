"""The import pipeline: file → sheet → header → column mapping → preview (validated rows) → one transaction.

    plan = load_sheet(path, "cases")                      # reads the sheet, finds the header, matches columns
    preview = build_preview(session_factory, plan, options)   # every row parsed, checked, matched to the database
    result = commit(session_factory, preview, options)    # all or nothing

Nothing is written before :func:`commit`, and :func:`commit` writes in one transaction: a file with rejected
rows writes nothing unless ``options.valid_only`` (the user chose to import the valid rows). Rows already in
the database (same 记录标识, or the target's natural key: case number in the organization, ID number and
received date, credit code …) are updated where the file differs, or skipped, as ``options.duplicates``
says; importing the same file twice changes nothing the second time.

The steps live in their own modules and are re-exported here: the shared records in :mod:`.records`,
file/sheet/header/mapping in :mod:`.plan`, the targets' context in :mod:`.context`, the preview in
:mod:`.preview`; this module holds the commit and the whole pipeline in one call.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.services.importing.context import ImportContext
from app.services.importing.header import column_letter, norm_label
from app.services.importing.plan import (
    MAPPING_SETTING,
    CancelFn,
    FileInfo,
    ProgressFn,
    SheetPlan,
    inspect_file,
    load_saved_mapping,
    load_sheet,
    make_plan,
    save_mapping,
)
from app.services.importing.preview import Preview, build_preview
from app.services.importing.reader import ImportCancelled
from app.services.importing.records import (
    ACTION_LABELS,
    MATCH_LABELS,
    SUMMARY_LABELS,
    Change,
    ImportOptions,
    ImportResult,
    Problem,
    RowData,
    SkippedRow,
)
from app.services.importing.schema import FieldSpec

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
    """The whole pipeline in one call (tests, scripts): load, preview, commit — for a target that ``streams``,
    the same in one pass and in batches (:mod:`.streaming`)."""
    from app.services.importing.targets import get_target

    options = options or ImportOptions()
    if get_target(target).streams:  # in batches: memory bounded by a batch, not by the file
        from app.services.importing.streaming import stream_import

        return stream_import(session_factory, path, target, options, sheet=sheet, progress=progress, cancelled=cancelled)
    plan = load_sheet(path, target, sheet, session_factory=session_factory, progress=progress, cancelled=cancelled)
    preview = build_preview(session_factory, plan, options, progress=progress, cancelled=cancelled)
    return commit(session_factory, preview, options, progress=progress, cancelled=cancelled)


def field_specs(target: str) -> tuple[FieldSpec, ...]:
    from app.services.importing.targets import get_target

    return get_target(target).info.fields


__all__ = [
    "ACTION_LABELS",
    "MAPPING_SETTING",
    "MATCH_LABELS",
    "SUMMARY_LABELS",
    "CancelFn",
    "Change",
    "FileInfo",
    "ImportContext",
    "ImportOptions",
    "ImportResult",
    "Preview",
    "Problem",
    "ProgressFn",
    "RowData",
    "SheetPlan",
    "SkippedRow",
    "build_preview",
    "commit",
    "column_letter",
    "field_specs",
    "inspect_file",
    "load_saved_mapping",
    "load_sheet",
    "make_plan",
    "norm_label",
    "run_import",
    "save_mapping",
]

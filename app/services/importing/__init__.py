"""Importing existing Excel ledgers and rosters, and merging the files townships send upward (no Qt).

    from app.services.importing import ImportOptions, run_import
    result = run_import(session_factory, "台账.xlsx", "cases", ImportOptions(organization="南市街道"))

The steps (reader → header → mapping → preview → commit) are re-exported by :mod:`.engine` from
:mod:`.plan` (file, sheet, header, mapping), :mod:`.preview` and :mod:`.context`; the records every step
shares (options, problems, rows, changes) are in :mod:`.records` and the target interface in :mod:`.base`,
so the engine and the targets (cases, enterprises, volunteers, services, mediators; :mod:`.targets`) never
import each other. Which organization a row belongs to is :mod:`.orgs`; the editable list of words that mean
"not closed yet" in a ledger's 结案方式 is :mod:`.open_words`. The 报送 side (the manifest, 零上报, the submissions board, the district's figures) is in
:mod:`.submissions`; running the exports for it is app.exports.submissions (exports sit above services).

This package may import app.services, app.core and db — never app.exports, app.charts or the UI.
"""

from app.services.importing.engine import (
    ACTION_LABELS,
    FileInfo,
    ImportOptions,
    ImportResult,
    Preview,
    Problem,
    RowData,
    SheetPlan,
    build_preview,
    commit,
    inspect_file,
    load_sheet,
    run_import,
)
from app.services.importing.reader import ImportCancelled, ImportFileError
from app.services.importing.targets import TARGET_TITLES, all_targets, get_target

__all__ = [
    "ACTION_LABELS",
    "FileInfo",
    "ImportCancelled",
    "ImportFileError",
    "ImportOptions",
    "ImportResult",
    "Preview",
    "Problem",
    "RowData",
    "SheetPlan",
    "TARGET_TITLES",
    "all_targets",
    "build_preview",
    "commit",
    "get_target",
    "inspect_file",
    "load_sheet",
    "run_import",
]

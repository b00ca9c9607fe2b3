"""Importing existing Excel ledgers and rosters, and merging the files townships send upward (no Qt).

    from app.services.importing import ImportOptions, run_import
    result = run_import(session_factory, "台账.xlsx", "cases", ImportOptions(organization="南市街道"))

The steps (reader → header → mapping → preview → commit) are in :mod:`.engine`; the targets (cases,
enterprises, volunteers, services, mediators) in :mod:`.targets`; the 报送 side (stamping a file for
sending upward, 零上报, the submissions board, the district's combined figures) in :mod:`.submissions`.
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

"""The case target (:class:`CaseTarget`): its description, and the steps put together from the modules beside it."""

from __future__ import annotations

from app.services.importing.base import Target
from app.services.importing.schema import TargetInfo
from app.services.importing.targets.cases.checking import CaseChecks
from app.services.importing.targets.cases.fields import FIELDS
from app.services.importing.targets.cases.inserting import CaseInserting
from app.services.importing.targets.cases.matching import CaseMatching
from app.services.importing.targets.cases.updating import CaseUpdating


class CaseTarget(CaseChecks, CaseMatching, CaseInserting, CaseUpdating, Target):
    # CaseMatching.release (rows of a finished batch) comes before Target.release
    info = TargetInfo(
        "cases",
        "调解案件",
        FIELDS,
        "收到申请日期、申请人、被申请人必填；已结案、已归档、不予受理的历史案件按表格中的结案信息导入。",
        needs_org=True,
        export_kinds=("case-ledger",),
    )
    streams = True  # run_import imports it in batches (app.services.importing.streaming)


TARGET = CaseTarget()

__all__ = ["TARGET", "CaseTarget"]

"""The case form (调解案件): registration, parties, history, and the actions the case's state allows.

Layout from ``forms/case_dialog.ui`` (style P1/P2); the rows that repeat (applicants, claims) and the action
buttons are added in code.  Everything goes through :class:`~app.services.cases.CaseService`:

- 登记 / 保存修改 builds a :class:`~app.services.cases.CaseDraft` and calls ``register_case`` or
  ``update_registration``.  A :class:`~app.services.validation.ValidationError` is shown under the field it
  names (``err.path`` such as ``("parties", 2, "id_number")`` picks the row), the field is outlined in red and
  nothing is saved.
- The 操作 panel offers exactly ``CaseView.actions`` (the service refuses the others anyway); each opens a
  small dialog from :mod:`app.ui.dialogs.case_actions`.
- Archived (locked) cases, and cases past the registration stage, show the registration read-only.
- 打印/导出文书 runs the per-case document kinds through the export registry in the background; it also
  opens the 典型案例 editor (:mod:`app.ui.dialogs.typical_case_dialog`) and exports the 典型案例 (附件3).
- 回避提示 (:func:`~app.services.volunteers.recusal_notice`): an employer that a young-arbitrator volunteer
  contacts or served shows an amber notice, for the saved case in the header and for the employer as
  picked or typed on the parties tab; it never blocks.

The package: :mod:`.dialog` (:class:`CaseDialog`: the form, its errors, saving) built from the mixins
:mod:`.parties` (rows, respondent directory, 回避提示), :mod:`.display` (loading, header, actions panel,
history), :mod:`.documents` (action dialogs, document exports) and :mod:`.corrections` (编辑… / 删除… of the
sessions, performance and visits, 更改调解组织…, the 操作记录 tab); :mod:`.rows` holds the repeating rows.
It may import PySide6, app.services, db, app.ui.forms/models/widgets/choices and the case action dialogs
(:mod:`app.ui.dialogs.case_actions`); never app.ui.pages.
"""

from __future__ import annotations

from app.ui.dialogs.case.dialog import CaseDialog
from app.ui.dialogs.case.display import DEADLINE_STYLES
from app.ui.dialogs.case.documents import DOCUMENT_KINDS
from app.ui.dialogs.case.rows import ApplicantRow, ClaimRow
from app.ui.models.records_model import RecordsModel

__all__ = ["DEADLINE_STYLES", "DOCUMENT_KINDS", "ApplicantRow", "CaseDialog", "ClaimRow", "RecordsModel"]

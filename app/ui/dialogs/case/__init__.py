"""The case form (调解案件): registration, parties, history, and the actions the case's state allows.

Layout from ``forms/case_dialog.ui`` (style P1/P2); the rows that repeat (applicants, claims) and the action
buttons are added in code.  Everything goes through :class:`~app.services.cases.CaseService`:

- 登记 / 保存修改 builds a :class:`~app.services.cases.CaseDraft` and calls ``register_case`` or
  ``update_registration``.  Every :class:`~app.services.validation.ValidationError` of the save (the service
  collects them all, ``err.errors``) is shown under the field it names (``err.path`` such as
  ``("parties", 2, "id_number")`` picks the row), the fields are outlined in red, the first gets the focus and
  nothing is saved.
- Entry like a spreadsheet: Tab follows the screen (:meth:`CaseDialog.tab_chain`), Tab leaves 事实与理由
  (Ctrl+Tab types a tab), a date is typed in one field (:class:`~app.ui.widgets.date_entry.DateEntry`).
- Each applicant has a second line (证件类型 with the checks of its type, 民族, 工作岗位, 入职时间, 委托代理人);
  the respondent has its 委托代理人 under its address.
- The 操作 panel offers exactly ``CaseView.actions`` (the service refuses the others anyway); each opens a
  small dialog from :mod:`app.ui.dialogs.case_actions`.  结案, 不予受理 and 归档 ask before they are done, and so
  does a 受理 / 指定调解员 with 2 mediators (the rule is 1 or 3).
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

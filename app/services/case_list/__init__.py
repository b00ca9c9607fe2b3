"""The case list (案件台账 page): filter, count and fetch one window of rows at a time (no Qt).

Built to stay quick at 100,000 cases:

- :func:`count_cases` and :func:`fetch_case_rows` share one ``WHERE`` built from :class:`CaseFilter`; each
  condition is written so SQLite can use the indexes in ``db.models.Case.__table_args__`` (status, organization
  and dispute type with ``received_on``; ``mediation_due_on``; ``close_type``).
- :func:`fetch_case_rows` is a windowed query in two steps: first only the ids of the requested page
  (``ORDER BY … LIMIT … OFFSET …``, no joins unless the sort needs one), then the columns of those ids and,
  for those ids only, their parties, lead mediator and agreement (never a join over all parties).
- The search box matches ``Case.search_text`` (case number, party names, ID numbers, credit codes and enterprise
  names, kept up to date by the case service) and party phones; several words must all match. The FTS5 index
  of ``db.search_index`` finds the candidates and ``LIKE`` confirms them (:mod:`.search`); while typing, the
  count stops at 10,000 (:func:`count_cases_capped` → 「1 万条以上」).
- 仅看逾期 uses ``Case.mediation_due_on`` for open cases, the received date for the 3-working-day acceptance
  decision (the last overdue receipt date is found with the holiday calendar, so the SQL stays a plain range),
  and the agreement's performance deadline for agreed cases not yet performed — the same three deadlines that
  colour the rows (:func:`app.services.cases.current_deadline`).

The package: :mod:`.search` (the search words as SQL), :mod:`.filters` (:class:`CaseFilter`, the ``WHERE``,
:func:`count_cases`), :mod:`.order` (``ORDER BY``), :mod:`.rows` (the windowed row queries) and :mod:`.choices`
(filter bar and case form choices). This ``__init__`` only re-exports; search ← filters ← order ← rows and
filters ← choices, and outside the package only
the ``app.services`` siblings below it (calendar, deadlines, validation, cases), ``app.core`` and ``db``.
"""

from app.services.case_list.choices import (
    EnterpriseChoice,
    FilterOptions,
    FormChoices,
    filter_options,
    form_choices,
    mediator_choices,
    search_enterprises,
)
from app.services.case_list.filters import (
    COUNT_CAP,
    OPEN_STATUS,
    STATUS_CHOICES,
    CaseCount,
    CaseFilter,
    count_cases,
    count_cases_capped,
    last_overdue_receipt,
    overdue_condition,
)
from app.services.case_list.filters import _default_calendar as _default_calendar  # for app.exports.case_data
from app.services.case_list.filters import (
    _overdue_condition as _overdue_condition,  # for app.exports.case_data
)
from app.services.case_list.order import SORT_KEYS
from app.services.case_list.rows import CaseListRow, fetch_case_ids, fetch_case_rows, fetch_rows_by_ids
from app.services.case_list.search import search_conditions

__all__ = [
    "COUNT_CAP",
    "OPEN_STATUS",
    "SORT_KEYS",
    "STATUS_CHOICES",
    "CaseCount",
    "CaseFilter",
    "CaseListRow",
    "EnterpriseChoice",
    "FilterOptions",
    "FormChoices",
    "count_cases",
    "count_cases_capped",
    "fetch_case_ids",
    "fetch_case_rows",
    "fetch_rows_by_ids",
    "filter_options",
    "form_choices",
    "last_overdue_receipt",
    "overdue_condition",
    "mediator_choices",
    "search_conditions",
    "search_enterprises",
]

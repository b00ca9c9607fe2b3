"""Read-only case queries for the per-case documents and the case ledger (no writes, no Qt).

* :func:`find_case` (``lookup``) — THE way every command and screen finds a case: by id or by case number
  typed with half- or full-width brackets, 〔〕, stray spaces (Chinese :class:`ExportError` if none / several).
* :func:`case_context` (``context``) — everything the DOCX templates under ``resources/templates/case-*.docx``
  need, already formatted for print: dates 「2026年3月9日」, amounts 「12,000.00元」 with the
  大写 「人民币壹万贰仟元整」, labels instead of codes, parties split into applicants and
  respondents, ID numbers and phones whole or masked.
* :func:`ledger_filters`, :func:`count_ledger_rows`, :func:`iter_ledger_rows` (``ledger``) — the 调解案件登记台账
  (forms.md §6.9), one streamed SQL statement.
* ``common`` — constants, money and text formatters, export-parameter parsers shared by the others.

Modules here read the models directly (db, app.services helpers, app.exports.registry); they do not depend on
the case service. ``common`` is the bottom module; ``lookup``, ``context`` and ``ledger`` import only it.
"""

from __future__ import annotations

from app.exports.case_data.common import (
    CONSENT_LABELS,
    NOTICE_CLAUSE,
    OPEN_STATUS_WORDS,
    OPEN_STATUSES,
    PARAGRAPH_BREAK,
    SATISFACTION_CHOICES,
    SESSION_RESULTS,
    VISIT_WAYS,
    annotate_amounts,
    money_text,
    parse_bool_param,
)
from app.exports.case_data.context import case_context
from app.exports.case_data.ledger import LedgerFilters, count_ledger_rows, iter_ledger_rows, ledger_filters
from app.exports.case_data.lookup import case_number_key, find_case

__all__ = [
    "CONSENT_LABELS",
    "NOTICE_CLAUSE",
    "OPEN_STATUSES",
    "OPEN_STATUS_WORDS",
    "PARAGRAPH_BREAK",
    "SATISFACTION_CHOICES",
    "SESSION_RESULTS",
    "VISIT_WAYS",
    "LedgerFilters",
    "annotate_amounts",
    "case_context",
    "case_number_key",
    "count_ledger_rows",
    "find_case",
    "iter_ledger_rows",
    "ledger_filters",
    "money_text",
    "parse_bool_param",
]

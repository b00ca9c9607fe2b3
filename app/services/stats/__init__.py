"""The statistics service: every figure the app shows or exports about cases and volunteers (no Qt).

One source of truth (domain.md §4, forms.md §7): the dashboard, ``python -m app stats``, ``python -m app
chart``, the statistics table (XLSX), the work report, the gold-medal assessment and the organization list
all take their case figures from here, so they always agree.

Counting rules (written once, in :data:`DEFINITIONS`, and shown to users as tooltips and table notes):

- Every event counts in the period of **its own date**: 收到申请 by ``received_on``, 受理 by ``accepted_on``,
  不予受理 by ``rejected_on``, 结案 — and every rate — by ``closed_on``. A case received in March and closed
  in April is received in March and closed (and counted in April's success rate) in April.
- 调解结案数 counts the five closing types (MA1). 调解成功率 = (达成调解协议 + 达成和解后撤回) ÷ 调解结案数;
  cases not accepted are outside it.
- 按期结案: closed on or before ``Case.mediation_due_on`` — the 15-day limit kept by the case service,
  replaced by the agreed extension date when there is one.
- A rate without a denominator is ``None`` (JSON ``null``, shown as 「无」), never 0.
- Deleted cases (``deleted_at``) are left out everywhere.
- Money is integer 分 (fen).

Everything is aggregated in SQL (grouped counts and sums over the indexed date columns), never by loading
cases into Python; a year of 100,000 cases takes a few tens of milliseconds (see bench/stats.py).

Entry points: :func:`compute` (a session factory), :func:`compute_in` (an open session),
:func:`compute_from_args` (the command line), :func:`table_rows` (forms.md §7.1 statistics table with the
balance check), :func:`chart_table` (the numbers behind each chart) and :func:`success_by_organization`
(what ``organizations.success_rates`` delegates to).

Package layout (each module imports only the ones listed before it): :mod:`.definitions` (what each figure
means, formatting), :mod:`.period` (Period, Scope), :mod:`.sql` (SQL building blocks), :mod:`.rates` (THE
success-rate count), :mod:`.volunteer_figures`, :mod:`.tables` (statistics table, chart tables),
:mod:`.compute` (the computation, :class:`Figures`), :mod:`.cache` (computed figures kept while the data
version is unchanged: :func:`cached_compute_in`, what the statistics page calls), :mod:`.pickers` (pickers and
the command line).
This ``__init__`` re-exports the public names. The package may import app.core, db and the lower services
(app_settings, formatting, regions, validation, volunteers) — never app.services.organizations, which
calls it.
"""

from __future__ import annotations

from app.services.stats.cache import FIGURES_CACHE, FiguresCache, cached_compute_in, data_version
from app.services.stats.compute import SHORT_PERIOD_DAYS, Figures, compute, compute_in
from app.services.stats.definitions import (
    DEFINITIONS,
    GOLD_RATE,
    MONEY_KEYS,
    NONE_TEXT,
    RATE_KEYS,
    TARGET_RATE,
    THRESHOLDS,
    Definition,
    definition_text,
    format_rate,
    format_value,
    formula,
)
from app.services.stats.period import SCOPE_KINDS, Period, Scope, period_from_args, scope_from_key
from app.services.stats.pickers import ScopeChoice, available_years, compute_from_args, scope_choices
from app.services.stats.rates import CLOSE_TYPES, SETTLED_TYPES, success_by_organization, success_columns
from app.services.stats.sql import _org_rows
from app.services.stats.tables import CHART_KINDS, balance_check, chart_table, load_table_spec, table_rows

__all__ = [
    "TARGET_RATE",
    "GOLD_RATE",
    "THRESHOLDS",
    "NONE_TEXT",
    "RATE_KEYS",
    "MONEY_KEYS",
    "SHORT_PERIOD_DAYS",
    "SCOPE_KINDS",
    "CLOSE_TYPES",
    "SETTLED_TYPES",
    "Definition",
    "DEFINITIONS",
    "definition_text",
    "Figures",
    "Period",
    "Scope",
    "ScopeChoice",
    "compute",
    "compute_in",
    "cached_compute_in",
    "FiguresCache",
    "FIGURES_CACHE",
    "data_version",
    "compute_from_args",
    "period_from_args",
    "scope_from_key",
    "format_rate",
    "format_value",
    "success_by_organization",
    "success_columns",
    "formula",
    "table_rows",
    "load_table_spec",
    "balance_check",
    "chart_table",
    "CHART_KINDS",
    "available_years",
    "scope_choices",
    "_org_rows",
]

"""Organization profiles (no Qt): the queries shared by the UI, the exports and the gold-medal assessment,
and the profile's writes.

Full-time and part-time mediator counts are always derived from the roster (domain.md §2), counted in
SQL: a mediator counts on a given day if appointed on or before it (or with no date) and not yet left.
Case counts and the annual success rate are counted in SQL too, grouped by organization and year, so the
lists stay quick with 100,000 cases; the success rate itself is the statistics service's count
(app.services.stats.rates).

Modules (each imports only those listed before it): :mod:`.constants` (checklists, title levels, the
success-rate definition), :mod:`.records` (writing a row with its child rows), :mod:`.figures` (success
rates, yearly figures), :mod:`.listing` (lists, search, pickers), :mod:`.profile` (one organization: read,
validate, write, delete), :mod:`.reports` (工作报告 texts and drafts, typical-case candidates).

This ``__init__`` re-exports the names other code imports from ``app.services.organizations``, including the
region lookups of :mod:`app.services.regions`, the report texts of :mod:`app.services.report_texts` and the
典型案例 texts of :mod:`app.services.typical_cases`. The package may import app.core, db and the services
below it (app_settings, formatting, regions, report_texts, stats, typical_cases, validation); none of those
imports it.
"""

from __future__ import annotations

from app.core.errors import ActionRefused, SaveResult
from app.services.organizations.constants import (
    DEFAULT_TITLE,
    ENTRUSTED_SOURCES,
    FACILITY_ITEMS,
    FACILITY_LABELS,
    MECHANISM_KEYS,
    SIGNAGE_ITEMS,
    SIGNAGE_LABELS,
    SUCCESS_RATE_DEFINITION,
    SUCCESS_RATE_DEFINITION_AGREED_ONLY,
    SUCCESS_THRESHOLD,
    SYSTEM_ITEMS,
    SYSTEM_KEYS,
    SYSTEM_LABELS,
    TITLE_LEVELS,
    success_rate_definition,
)
from app.services.organizations.figures import (
    PeriodTotals,
    SuccessRate,
    YearFigures,
    case_count,
    period_totals,
    recent_years,
    success_rate,
    success_rates,
    success_rates_by_year,
    year_figures,
)
from app.services.organizations.listing import (
    TITLE_FILTER_ANY,
    TITLE_FILTER_NONE,
    OrganizationBase,
    OrganizationListRow,
    OrganizationRow,
    list_organizations,
    lookup_choices,
    mediator_counts_subquery,
    organization_choices,
    run_read,
    search_organizations,
    title_text,
)
from app.services.organizations.profile import (
    OrganizationDetail,
    OrganizationInput,
    TitleInput,
    TitleView,
    create_organization,
    delete_organization,
    get_organization,
    standard_name_warning,
    update_organization,
    validate_organization,
)
from app.services.organizations.records import (
    Validator,
    create_with_children,
    replace_children,
    update_with_children,
)
from app.services.organizations.reports import (
    WORK_REPORT_KIND,
    WORK_REPORT_SECTIONS,
    CaseChoice,
    load_work_report,
    save_work_report,
    typical_case_candidates,
    work_report_drafts,
)
from app.services.regions import (
    REGION_NAMES,
    check_region_code,
    city_name,
    find_organization,
    region_codes,
    region_name,
)
from app.services.report_texts import load_report_texts, save_report_texts
from app.services.typical_cases import (
    TYPICAL_CASE_KIND,
    TYPICAL_CASE_SECTIONS,
    TypicalCaseTexts,
    load_typical_case,
    save_typical_case,
)

__all__ = [
    "ActionRefused", "SaveResult",
    # constants
    "DEFAULT_TITLE", "ENTRUSTED_SOURCES", "FACILITY_ITEMS", "FACILITY_LABELS", "MECHANISM_KEYS", "SIGNAGE_ITEMS",
    "SIGNAGE_LABELS", "SUCCESS_RATE_DEFINITION", "SUCCESS_RATE_DEFINITION_AGREED_ONLY", "SUCCESS_THRESHOLD",
    "SYSTEM_ITEMS", "SYSTEM_KEYS", "SYSTEM_LABELS", "TITLE_LEVELS", "success_rate_definition",
    # figures
    "PeriodTotals", "SuccessRate", "YearFigures", "case_count", "period_totals", "recent_years", "success_rate",
    "success_rates", "success_rates_by_year", "year_figures",
    # listing
    "TITLE_FILTER_ANY", "TITLE_FILTER_NONE", "OrganizationBase", "OrganizationListRow", "OrganizationRow",
    "list_organizations", "lookup_choices", "mediator_counts_subquery", "organization_choices", "run_read",
    "search_organizations", "title_text",
    # profile
    "OrganizationDetail", "OrganizationInput", "TitleInput", "TitleView", "create_organization",
    "delete_organization", "get_organization", "standard_name_warning", "update_organization",
    "validate_organization",
    # records
    "Validator", "create_with_children", "replace_children", "update_with_children",
    # reports
    "WORK_REPORT_KIND", "WORK_REPORT_SECTIONS", "CaseChoice", "load_work_report", "save_work_report",
    "typical_case_candidates", "work_report_drafts",
    # regions, report texts, typical cases
    "REGION_NAMES", "check_region_code", "city_name", "find_organization", "region_codes", "region_name",
    "load_report_texts", "save_report_texts",
    "TYPICAL_CASE_KIND", "TYPICAL_CASE_SECTIONS", "TypicalCaseTexts", "load_typical_case", "save_typical_case",
]

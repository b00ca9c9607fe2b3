"""青年仲裁员志愿者 programme (seed 000, 津人社办发〔2023〕10号; domain.md §2, §4; forms.md §1–§3), no Qt.

What lives here:

- the **roster** (``Volunteer``): ID number → birth date and gender; over the age limit (setting
  ``volunteer_age_limit``, default 35) is a warning, never a block;
- **contacted enterprises** (``VolunteerContact``) with from/to dates, so any date's roster can be
  produced; warnings when a volunteer has fewer / more active contacts than the settings allow and when an
  enterprise is contacted by several volunteers;
- **service records** with quick-entry prefill from the last record, **satisfaction surveys** with
  averages, the **quarterly duty board**, enterprises **nobody served** for two quarters,
  :func:`quarter_figures` (forms.md §3 statistics table, one SQL-based function shared by the duty board,
  附件3 and ``stats --json``) and :func:`recusal_check` (回避核查, also used by the case form).

Dates: a volunteer is *in the programme* on day ``d`` when ``joined_on ≤ d ≤ left_on`` (either end may be
open); a contact is *active* on ``d`` when ``from_date ≤ d ≤ to_date`` (``to_date`` open = still active) and
its volunteer is in the programme on ``d``. Both ends are inclusive.

Reads are plain functions taking a ``Session``; writes go through :class:`VolunteerService`, where every
action is one transaction (``session_factory.begin()``): input is checked first (else
:class:`~app.services.validation.ValidationError` naming the Chinese field), so nothing is ever half-saved.

Enterprises come from the shared directory (:mod:`app.services.enterprises`): a contact links an existing
entry, or creates one through :func:`~app.services.enterprises.find_or_create_enterprise` with a checked
credit code (required here). :func:`enterprise_choices` adds "contacted by N volunteers" for pickers.

The package (no Qt; may import app.core, app.services and db): :mod:`.common` (settings, fixed lists,
helpers), :mod:`.dtos`, :mod:`.directory` (enterprise lookups), :mod:`.roster` (volunteers, contacts),
:mod:`.records` (service records, surveys, 附件3 texts), :mod:`.figures` (statistics table, duty board,
stale enterprises), :mod:`.recusal`, :mod:`.service` and :mod:`.record_writes` (writes). Modules import
only modules listed before them. Every name callers use is re-exported here.
"""

from app.core.errors import SaveResult
from app.services.enterprises import EnterpriseInput
from app.services.volunteers.common import (
    AGE_LIMIT,
    CATEGORIES,
    CHECKUP_ITEMS,
    CONTACT_REASONS,
    CONTACTS_MAX,
    CONTACTS_MIN,
    DUTY_DUE,
    DUTY_FUTURE,
    DUTY_INACTIVE,
    DUTY_MISSING,
    DUTY_OK,
    DUTY_PENDING,
    DUTY_STATE_LABELS,
    DUTY_WARN_DAYS,
    EDUCATIONS,
    FIGURE_KEYS,
    FIGURE_ROWS,
    MAX_MINUTES_PER_DAY,
    POLITICAL_STATUSES,
    SETTING_DEFAULTS,
    SETTING_LABELS,
    STALE_QUARTERS,
    SUMMARY_KIND,
    SUMMARY_SECTIONS,
    TRAINING_ITEMS,
    _active_during,
    _audit,
    _cn,
    _contact_active,
    _hours_text,
    _in_programme,
    _invalid,
    _is_jpeg,
    _json,
    _lookup_codes,
    _period_text,
    _vol_in_programme,
    minutes_to_hours,
    parse_hours,
    setting_value,
    stat_item_codes,
)
from app.services.volunteers.directory import (
    _NAME_FOLD,
    EnterpriseChoice,
    _name_variants,
    enterprise_choices,
    enterprise_names,
    find_enterprise,
)
from app.services.volunteers.dtos import (
    _STAT_FIELDS,
    _VOLUNTEER_FIELDS,
    ContactInput,
    ContactRow,
    DutyBoard,
    DutyCell,
    DutyRow,
    RecusalHit,
    ServiceInput,
    ServiceRow,
    StaleEnterprise,
    SurveyAverage,
    SurveyRow,
    VolunteerData,
    VolunteerRow,
)
from app.services.volunteers.figures import (
    _duty_state,
    _quarter_start_back,
    duty_board,
    figure_display,
    overview_paragraph,
    quarter_figures,
    stale_enterprises,
)
from app.services.volunteers.record_writes import (
    RecordWrites,
)
from app.services.volunteers.records import (
    _avg,
    _service_rows,
    get_service_record,
    get_summary_texts,
    list_service_records,
    list_surveys,
    service_prefill,
    summary_period,
    survey_averages_by_quarter,
    survey_averages_by_volunteer,
)
from app.services.volunteers.recusal import (
    recusal_check,
    recusal_check_for_case,
    recusal_message,
    recusal_notice,
)
from app.services.volunteers.roster import (
    _volunteer_data,
    active_pairs_query,
    age_warning,
    contact_warnings,
    find_volunteer,
    get_volunteer,
    list_contacts,
    list_units,
    list_volunteers,
    shared_enterprises,
    volunteer_choices,
)
from app.services.volunteers.service import (
    VolunteerService,
)

__all__ = [
    "AGE_LIMIT",
    "CATEGORIES",
    "CHECKUP_ITEMS",
    "CONTACTS_MAX",
    "CONTACTS_MIN",
    "CONTACT_REASONS",
    "ContactInput",
    "ContactRow",
    "DUTY_DUE",
    "DUTY_FUTURE",
    "DUTY_INACTIVE",
    "DUTY_MISSING",
    "DUTY_OK",
    "DUTY_PENDING",
    "DUTY_STATE_LABELS",
    "DUTY_WARN_DAYS",
    "DutyBoard",
    "DutyCell",
    "DutyRow",
    "EDUCATIONS",
    "EnterpriseChoice",
    "EnterpriseInput",
    "FIGURE_KEYS",
    "FIGURE_ROWS",
    "MAX_MINUTES_PER_DAY",
    "POLITICAL_STATUSES",
    "RecordWrites",
    "RecusalHit",
    "SETTING_DEFAULTS",
    "SETTING_LABELS",
    "STALE_QUARTERS",
    "SUMMARY_KIND",
    "SUMMARY_SECTIONS",
    "SaveResult",
    "ServiceInput",
    "ServiceRow",
    "StaleEnterprise",
    "SurveyAverage",
    "SurveyRow",
    "TRAINING_ITEMS",
    "VolunteerData",
    "VolunteerRow",
    "VolunteerService",
    "_NAME_FOLD",
    "_STAT_FIELDS",
    "_VOLUNTEER_FIELDS",
    "_active_during",
    "_audit",
    "_avg",
    "_cn",
    "_contact_active",
    "_duty_state",
    "_hours_text",
    "_in_programme",
    "_invalid",
    "_is_jpeg",
    "_json",
    "_lookup_codes",
    "_name_variants",
    "_period_text",
    "_quarter_start_back",
    "_service_rows",
    "_vol_in_programme",
    "_volunteer_data",
    "active_pairs_query",
    "age_warning",
    "contact_warnings",
    "duty_board",
    "enterprise_choices",
    "enterprise_names",
    "figure_display",
    "find_enterprise",
    "find_volunteer",
    "get_service_record",
    "get_summary_texts",
    "get_volunteer",
    "list_contacts",
    "list_service_records",
    "list_surveys",
    "list_units",
    "list_volunteers",
    "minutes_to_hours",
    "overview_paragraph",
    "parse_hours",
    "quarter_figures",
    "recusal_check",
    "recusal_check_for_case",
    "recusal_message",
    "recusal_notice",
    "service_prefill",
    "setting_value",
    "shared_enterprises",
    "stale_enterprises",
    "stat_item_codes",
    "summary_period",
    "survey_averages_by_quarter",
    "survey_averages_by_volunteer",
    "volunteer_choices",
]

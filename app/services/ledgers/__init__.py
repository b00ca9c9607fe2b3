"""The other ledgers the source documents ask for (issue 17), no Qt:

- :mod:`.zhiyuanhui`: 志愿汇上传清单 (service records not yet uploaded; mark a selection uploaded, audited);
- :mod:`.tasks`: 重点任务清单 (seed 001): tasks, progress, :func:`overdue_tasks` for the home page, the
  「工作进展情况」 report figures;
- :mod:`.coordinators`: 劳动关系协调员台账 (seed 002): people, certificates, trainings, 金牌 per year, pool as of a date;
- :mod:`.social_orgs`: 协调劳动关系社会组织台账 (seed 002): organizations, services, surveys, purchased-service
  projects, figures by industry and size;
- :mod:`.common`: fixed lists, the audit entry, reading 完成时限 (the bottom module).

Reads take a ``Session``; writes also take the caller's session (one transaction per user action, e.g.
``with session_factory.begin() as s: mark_uploaded(s, ids, user=login)``), check input first (else
:class:`~app.services.validation.ValidationError` naming the Chinese field) and write an audit entry.
The package may import app.core, app.services and db; its modules import only :mod:`.common` of each other.
"""

from app.services.ledgers.common import (
    CERT_LEVELS,
    SCORES,
    SIZES,
    SOCIAL_ORG_KINDS,
    SOCIAL_SERVICES,
    STAGES,
    UNIT_TYPES,
    parse_deadline,
)
from app.services.ledgers.coordinators import (
    CoordinatorInput,
    CoordinatorRow,
    add_training,
    cert_level_counts,
    delete_coordinator,
    list_coordinators,
    pool_on,
    save_coordinator,
    set_gold,
)
from app.services.ledgers.social_orgs import (
    FigureRow,
    SocialOrgInput,
    SocialOrgRow,
    add_project,
    add_survey,
    delete_social_org,
    list_social_orgs,
    parse_services,
    save_social_org,
    social_org_figures,
)
from app.services.ledgers.tasks import (
    STATUS_LABELS,
    ProgressInput,
    ProgressReport,
    TaskInput,
    TaskRow,
    add_progress,
    delete_task,
    due_soon_tasks,
    list_tasks,
    overdue_tasks,
    progress_report,
    save_task,
    task_status,
)
from app.services.ledgers.zhiyuanhui import UploadRow, mark_uploaded, upload_list

__all__ = [
    "CERT_LEVELS", "SCORES", "SIZES", "SOCIAL_ORG_KINDS", "SOCIAL_SERVICES", "STAGES", "STATUS_LABELS", "UNIT_TYPES",
    "CoordinatorInput", "CoordinatorRow", "FigureRow", "ProgressInput", "ProgressReport", "SocialOrgInput",
    "SocialOrgRow", "TaskInput", "TaskRow", "UploadRow",
    "add_progress", "add_project", "add_survey", "add_training", "cert_level_counts", "delete_coordinator",
    "delete_social_org", "delete_task", "due_soon_tasks", "list_coordinators", "list_social_orgs", "list_tasks",
    "mark_uploaded", "overdue_tasks", "parse_deadline", "parse_services", "pool_on", "progress_report",
    "save_coordinator", "save_social_org", "save_task", "set_gold", "social_org_figures", "task_status",
    "upload_list",
]

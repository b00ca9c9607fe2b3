"""The whole data model (domain.md §2, forms.md §1–§7), one module per area; every model re-exported here.

``from db.models import Case`` keeps working, and importing this package registers every table on
``db.base.Base.metadata`` (the Alembic environment relies on that). The modules may import ``db.base``
and, for type hints only, each other in one direction (cases / volunteers → organizations).

- ``settings``: LookupItem, AppSetting, User, AuditEntry, ReportText, Submission
- ``organizations``: Organization, OrganizationTitle, GoldAssessment, Mediator, MediatorTraining, Enterprise
- ``volunteers``: Volunteer, VolunteerContact, ServiceRecord (+ its volunteers, enterprises), SatisfactionSurvey
- ``cases``: Case, CaseParty, CaseClaim, CaseMediator, MediationSession, Agreement, PerformanceRecord,
  ReturnVisit, CaseNumberCounter

Conventions:
- ``id`` integer key + ``uuid`` on every row (``KeyMixin``).
- Money in integer 分 (``*_fen``); durations in minutes; dates as ``date``.
- Coded values (organization kind, dispute type, case source, service item …) are stored as the code
  of a ``LookupItem`` (editable lists, domain.md §5); the label is looked up for display and export.
- Enumerations that drive rules (case status, closing type …) are short English tokens, listed in
  ``db.enums`` with their Chinese labels.
"""

from __future__ import annotations

from db.base import Base  # noqa: F401 — the metadata every model registers on
from db.models.cases import (
    Agreement,
    Case,
    CaseClaim,
    CaseMediator,
    CaseNumberCounter,
    CaseParty,
    MediationSession,
    PerformanceRecord,
    ReturnVisit,
)
from db.models.ledgers import (  # noqa: F401,E501  (issue 17)
    Coordinator,
    CoordinatorGold,
    CoordinatorTraining,
    KeyTask,
    KeyTaskProgress,
    SocialOrg,
    SocialOrgProject,
    SocialOrgSurvey,
)
from db.models.organizations import (
    Enterprise,
    GoldAssessment,
    Mediator,
    MediatorTraining,
    Organization,
    OrganizationTitle,
)
from db.models.settings import AppSetting, AuditEntry, LookupItem, ReportText, Submission, User
from db.models.volunteers import (
    SatisfactionSurvey,
    ServiceRecord,
    ServiceRecordEnterprise,
    ServiceRecordVolunteer,
    Volunteer,
    VolunteerContact,
)

__all__ = [
    "Agreement",
    "AppSetting",
    "AuditEntry",
    "Case",
    "CaseClaim",
    "CaseMediator",
    "CaseNumberCounter",
    "CaseParty",
    "Enterprise",
    "GoldAssessment",
    "LookupItem",
    "MediationSession",
    "Mediator",
    "MediatorTraining",
    "Organization",
    "OrganizationTitle",
    "PerformanceRecord",
    "ReportText",
    "ReturnVisit",
    "SatisfactionSurvey",
    "ServiceRecord",
    "ServiceRecordEnterprise",
    "ServiceRecordVolunteer",
    "Submission",
    "User",
    "Volunteer",
    "VolunteerContact",
]

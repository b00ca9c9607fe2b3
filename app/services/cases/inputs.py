"""What the case actions take: the typed input dataclasses, the fixed choices, and :class:`CaseActionError`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from db.enums import ApplyMode, CloseType, PartyKind, PartyRole, SessionMode

ID_CARD = "居民身份证"
RETURN_VISIT_WAYS = ("电话", "上门", "线上")
SATISFACTION_LEVELS = ("满意", "基本满意", "不满意")
SESSION_RESULTS = {"agreed": "达成协议", "not_agreed": "未达成", "continue": "继续调解"}
CONSENT_VALUES = {"agreed": "同意调解", "refused": "不同意调解", "unreachable": "未联系上"}
#: Close types after which a reason must be written down (forms.md §6.7 终止调解通知书).
REASON_REQUIRED = (CloseType.WITHDRAWN, CloseType.FAILED, CloseType.TERMINATED)


class CaseActionError(Exception):
    """The action is not possible for this case now (state, lock, deletion); ``message`` is Chinese."""

    def __init__(self, message: str, action: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.action = action

    def __str__(self) -> str:
        return self.message


@dataclass
class PartyInput:
    """One 当事人.  Dates may be ``date`` or text (``2024-03-09``, ``2024年3月9日``).

    An employer either references the enterprise directory (``enterprise_id``) or is looked up there by
    credit code (and, without a code, by exact name) and created on the spot when absent
    (``add_to_directory``).  ``id`` is the ``CaseParty.id`` when editing an existing party.
    """

    role: str = PartyRole.APPLICANT.value  # applicant / respondent / third_party
    kind: str = PartyKind.PERSON.value  # person / employer
    name: str = ""
    gender: str | None = None
    id_type: str | None = ID_CARD
    id_number: str | None = None
    birth_date: date | str | None = None
    ethnicity: str | None = None
    phone: str | None = None
    address: str | None = None
    job: str | None = None
    hired_on: date | str | None = None
    enterprise_id: int | None = None
    credit_code: str | None = None
    legal_rep: str | None = None
    legal_rep_post: str | None = None
    add_to_directory: bool = True
    is_representative: bool = False
    agent_name: str | None = None
    agent_relation: str | None = None
    agent_phone: str | None = None
    id: int | None = None


@dataclass
class ClaimInput:
    """One 调解请求.  ``amount_fen``: an ``int`` is 分; a ``str`` is an amount in 元 as typed (``12,000.50``)."""

    claim_type: str  # dispute_type code
    description: str = ""
    amount_fen: int | str = 0
    id: int | None = None


@dataclass
class CaseDraft:
    """Everything of the registration (受理登记表, forms.md §6.4)."""

    organization_id: int
    received_on: date | str
    dispute_type_main: str  # dispute_type code
    source: str = "apply"  # case_source code
    apply_mode: str = ApplyMode.WRITTEN.value
    oral_record: str | None = None
    workers: int | str = 1
    common_claim: bool = False
    is_collective: bool | None = None  # None: derived (workers >= 10 and common claim)
    dispute_types: list[str] = field(default_factory=list)
    claims_summary: str | None = None
    facts: str | None = None
    other_party_consent: str | None = None  # agreed / refused / unreachable
    other_party_consent_on: date | str | None = None
    remark: str | None = None
    parties: list[PartyInput] = field(default_factory=list)
    claims: list[ClaimInput] = field(default_factory=list)
    version: int | None = None  # Case.version the form was read at (db.versioning); None: not checked


@dataclass
class SessionInput:
    """One 调解记录.  ``started_at`` may be a datetime, a date or text."""

    started_at: datetime | date | str
    ended_at: datetime | date | str | None = None
    place: str | None = None
    mode: str = SessionMode.ONSITE.value
    participants: str | None = None
    recorder: str | None = None
    record: str | None = None
    result: str | None = None  # agreed / not_agreed / continue
    next_step: str | None = None


@dataclass
class AgreementInput:
    """调解协议书 terms (forms.md §6.6).  ``effective_on`` defaults to ``signed_on``."""

    signed_on: date | str
    amount_fen: int | str | None
    perf_deadline: date | str | None
    payment_method: str | None = None  # 银行转账 / 现金 …
    effective_on: date | str | None = None
    perf_mode: str | None = None  # 一次性 / 分期
    payee_account: str | None = None
    terms: str | None = None


@dataclass
class PerformanceInput:
    recorded_on: date | str
    status: str  # full / partial / none
    amount_paid_fen: int | str | None = None
    note: str | None = None


@dataclass
class ReturnVisitInput:
    """回访记录 (forms.md §6.8)."""

    visited_on: date | str
    way: str | None = None  # 电话 / 上门 / 线上
    target: str | None = None
    visitor: str | None = None
    perf_status: str | None = None  # full / partial / none; default: the case's
    satisfaction: str | None = None  # 满意 / 基本满意 / 不满意
    feedback: str | None = None
    follow_up: str | None = None

"""Cleaning the registration (受理登记表): everything of a :class:`CaseDraft` that can be checked without the
database, in form order, normalised into column values.  Every field error is collected (:class:`ValidationErrors`),
so the form can mark them all at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.services.cases.fields import _blank, _choice, _date, _date_opt, _fen, _invalid, _with_path
from app.services.cases.inputs import CONSENT_VALUES, ID_CARD, CaseDraft, ClaimInput, PartyInput
from app.services.formatting import format_date_cn
from app.services.validation import (
    ValidationError,
    check_credit_code,
    check_date_order,
    check_id_number,
    check_phone,
    normalize_text,
    parse_int,
)
from app.services.validation import long_text as _long
from app.services.validation import short_text as _short
from app.services.validation.ids import check_document_number
from db.enums import ApplyMode, PartyKind, PartyRole


@dataclass
class _CleanDraft:
    values: dict[str, Any]
    parties: list[tuple[PartyInput, dict[str, Any]]]
    claims: list[tuple[ClaimInput, dict[str, Any]]]
    warnings: list[str]


_CASE_FIELDS = (
    "received_on",
    "apply_mode",
    "oral_record",
    "source",
    "workers",
    "common_claim",
    "is_collective",
    "dispute_type_main",
    "dispute_types",
    "claims_summary",
    "claim_amount_fen",
    "facts",
    "other_party_consent",
    "other_party_consent_on",
    "remark",
)


def _party_label(p: PartyInput, index: int) -> str:
    try:
        role = PartyRole(p.role).label
    except ValueError:
        role = "当事人"
    name = normalize_text(p.name)
    return f"{role}{name}" if name else f"第{index + 1}位当事人"


class ValidationErrors(ValidationError):
    """Every field error of one save, in form order.  It is the first error as far as ``field``,
    ``message`` and ``path`` go (so ``except ValidationError`` keeps working); ``errors`` holds them all."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.field, first.message)
        self.path = getattr(first, "path", None)

    def __iter__(self):
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def __reduce__(self):
        return (type(self), (self.errors,))


class _Collect:
    """Collects the errors of a save instead of stopping at the first: ``with errors():`` around each check."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    @contextmanager
    def __call__(self, path: tuple | None = None) -> Iterator[None]:
        try:
            yield
        except ValidationErrors as err:
            self.errors.extend(err.errors)
        except ValidationError as err:
            if path is not None and getattr(err, "path", None) is None:
                _with_path(err, path)
            self.errors.append(err)

    def add(self, err: ValidationError) -> None:
        self.errors.append(err)

    def raise_any(self) -> None:
        """One error: raised as it is; more: as :class:`ValidationErrors`."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ValidationErrors(self.errors)


def _clean_party(
    p: PartyInput, index: int, today: date, warnings: list[str], errors: _Collect | None = None
) -> dict[str, Any] | None:
    """The column values of one party; its errors go to ``errors`` (``None`` returned when it cannot be read).
    Without ``errors`` the first error is raised."""
    own = errors is None
    errors = errors or _Collect()
    v = _clean_party_into(p, index, today, warnings, errors)
    if own:
        errors.raise_any()
    return v


def _clean_party_into(p: PartyInput, index: int, today: date, warnings: list[str], errors: _Collect) -> dict | None:
    who = _party_label(p, index)

    def path(key: str) -> tuple:
        return ("parties", index, key)

    try:
        role = _choice(p.role, PartyRole, f"{who}的身份")
        kind = _choice(p.kind, PartyKind, f"{who}的类型")
    except ValidationError as err:
        errors.add(_with_path(err, path("role")))
        return None
    name = _short(p.name)
    if name is None and not (kind == PartyKind.EMPLOYER and p.enterprise_id):
        errors.add(_invalid(f"{who}的{'姓名' if kind == PartyKind.PERSON else '名称'}", "不能为空", path("name")))
    v: dict[str, Any] = {
        "role": role,
        "party_kind": kind,
        "name": name,
        "address": _short(p.address),
        "agent_name": _short(p.agent_name),
        "agent_relation": _short(p.agent_relation),
        "is_representative": bool(p.is_representative),
    }
    if kind == PartyKind.PERSON:
        id_type = _short(p.id_type) or ID_CARD
        gender = _short(p.gender)
        if gender is not None and gender not in ("男", "女"):
            errors.add(_invalid(f"{who}的性别", f"“{gender}”应为“男”或“女”", path("gender")))
            gender = None
        birth = hired = None
        with errors(path("birth_date")):
            birth = _date_opt(p.birth_date, f"{who}的出生日期", today=today)
        with errors(path("hired_on")):
            hired = _date_opt(p.hired_on, f"{who}的入职时间", today=today)
        id_number = _short(p.id_number)
        if id_number is not None:
            if id_type == ID_CARD:
                info = None
                with errors(path("id_number")):
                    info = check_id_number(id_number, f"{who}的身份证号", today)
                if info is not None:
                    id_number = info.number
                    warnings.extend(info.warnings)
                    if birth is None:
                        birth = info.birth_date
                    elif birth != info.birth_date:
                        errors.add(_invalid(
                            f"{who}的出生日期",
                            f"与身份证号中的出生日期（{format_date_cn(info.birth_date)}）不一致",
                            path("birth_date"),
                        ))
                    if gender is None:
                        gender = info.gender
                    elif gender != info.gender:
                        errors.add(_invalid(
                            f"{who}的性别", f"与身份证号中的性别（{info.gender}）不一致", path("gender")
                        ))
            else:
                id_number = id_number.replace(" ", "").upper()
                with errors(path("id_number")):
                    id_number = check_document_number(id_type, id_number, f"{who}的{id_type}号码")
        if p.credit_code or p.enterprise_id:
            errors.add(_invalid(f"{who}的类型", "自然人不能填写统一社会信用代码或关联企业名录", path("kind")))
        v.update(
            id_type=id_type,
            id_number=id_number,
            gender=gender,
            birth_date=birth,
            hired_on=hired,
            ethnicity=_short(p.ethnicity),
            job=_short(p.job),
            credit_code=None,
            legal_rep=None,
            legal_rep_post=None,
            enterprise_id=None,
        )
        if v["is_representative"] and role != PartyRole.APPLICANT:
            errors.add(_invalid(
                f"{who}的集体争议代表人", "只有申请人一方的劳动者可以作为代表人", path("is_representative")
            ))
    else:
        code = _short(p.credit_code)
        if code is not None:
            with errors(path("credit_code")):
                info = check_credit_code(code, f"{who}的统一社会信用代码")
                code = info.code
                warnings.extend(info.warnings)
        if v["is_representative"]:
            errors.add(_invalid(f"{who}的集体争议代表人", "用人单位不能作为代表人", path("is_representative")))
        v.update(
            credit_code=code,
            legal_rep=_short(p.legal_rep),
            legal_rep_post=_short(p.legal_rep_post),
            enterprise_id=p.enterprise_id,
            id_type=None,
            id_number=None,
            gender=None,
            birth_date=None,
            hired_on=None,
            ethnicity=None,
            job=None,
        )
    # the phones after the numbers: the form shows the 证件号码 first, the 委托代理人 last
    for attr, label in (("phone", "联系电话"), ("agent_phone", "代理人电话")):
        raw = getattr(p, attr)
        v[attr] = None
        with errors(path(attr)):
            v[attr] = None if _blank(raw) else check_phone(raw, f"{who}的{label}")
    return v


def _clean_draft(draft: CaseDraft, today: date) -> _CleanDraft:
    """Everything that can be checked without the database, in form order.  Every error is collected:
    one is raised as it is, several as :class:`ValidationErrors` (the form marks them all at once)."""
    warnings: list[str] = []
    errors = _Collect()
    received = None
    with errors():
        received = _date(draft.received_on, "收到申请日期", today=today)
    mode = ApplyMode.WRITTEN.value
    with errors():
        mode = _choice(draft.apply_mode, ApplyMode, "申请方式", default=ApplyMode.WRITTEN.value)
    oral = _long(draft.oral_record)
    if mode == ApplyMode.ORAL and oral is None:
        errors.add(_invalid(
            "口头申请记录",
            "口头申请须记录申请人基本情况、申请调解的争议事项、理由和时间（调解仲裁法第十二条）",
        ))
    if _blank(draft.source):
        errors.add(_invalid("案件来源", "不能为空"))
    if _blank(draft.dispute_type_main):
        errors.add(_invalid("争议类型", "不能为空"))
    workers = None
    with errors():
        workers = parse_int(draft.workers, "涉及劳动者人数", minimum=1)
    common = bool(draft.common_claim)
    collective = workers is not None and workers >= 10 and common
    if workers is not None and draft.is_collective is not None and bool(draft.is_collective) != collective:
        if draft.is_collective:
            errors.add(_invalid(
                "是否集体争议",
                f"集体争议须劳动者10人以上并有共同请求（现为{workers}人"
                f"{'，有共同请求' if common else '，无共同请求'}）",
            ))
        else:
            errors.add(_invalid("是否集体争议", f"劳动者{workers}人并有共同请求，属于集体争议，请勾选"))
    consent = _short(draft.other_party_consent)
    if consent is not None and consent not in CONSENT_VALUES:
        by_label = {v: k for k, v in CONSENT_VALUES.items()}
        if consent not in by_label:
            errors.add(_invalid("对方是否同意调解", f"“{consent}”应为同意调解、不同意调解或未联系上"))
        consent = by_label.get(consent)
    consent_on = None
    with errors():
        consent_on = _date_opt(draft.other_party_consent_on, "对方意见日期", today=today)
    if received is not None:
        with errors():
            check_date_order(received, consent_on, "收到申请日期", "对方意见日期")

    # the claims stand on the registration tab, before the parties tab: their errors come first
    claims: list[tuple[ClaimInput, dict[str, Any]]] = []
    total = 0
    for i, c in enumerate(draft.claims):
        label = f"第{i + 1}项请求"
        if _blank(c.claim_type):
            errors.add(_invalid(f"{label}的类型", "不能为空", ("claims", i, "claim_type")))
        amount = 0
        with errors(("claims", i, "amount_fen")):
            amount = _fen(c.amount_fen, f"{label}的金额", required=False) or 0
        total += amount
        claims.append(
            (
                c,
                {
                    "claim_type": normalize_text(c.claim_type),
                    "description": _long(c.description),
                    "amount_fen": amount,
                    "sort_order": i,
                },
            )
        )

    parties: list[tuple[PartyInput, dict[str, Any]]] = []
    cleaned: list[tuple[int, PartyInput, dict[str, Any]]] = []
    for i, p in enumerate(draft.parties):
        v = _clean_party(p, i, today, warnings, errors)
        if v is not None:
            parties.append((p, v))
            cleaned.append((i, p, v))
    roles = [v["role"] for _p, v in parties]
    if len(parties) == len(draft.parties):  # a party whose role is unreadable: its own error says so
        if PartyRole.APPLICANT not in roles:
            errors.add(_invalid("申请人", "至少填写一位申请人", ("parties", None, "role")))
        if PartyRole.RESPONDENT not in roles:
            errors.add(_invalid("被申请人", "至少填写一位被申请人", ("parties", None, "role")))
    seen: dict[str, int] = {}
    for i, p, v in cleaned:
        key = v.get("id_number") or v.get("credit_code")
        if key:
            if key in seen:
                label = "身份证号" if v["party_kind"] == PartyKind.PERSON else "统一社会信用代码"
                errors.add(_invalid(
                    f"{_party_label(p, i)}的{label}",
                    f"与第{seen[key] + 1}位当事人重复",
                    ("parties", i, "id_number" if label == "身份证号" else "credit_code"),
                ))
            else:
                seen[key] = i
    applicant_persons = [
        v for _p, v in parties if v["role"] == PartyRole.APPLICANT and v["party_kind"] == PartyKind.PERSON
    ]
    if workers is not None and len(applicant_persons) > workers:
        errors.add(_invalid("涉及劳动者人数", f"不能少于列出的申请人（劳动者）人数{len(applicant_persons)}人"))
    reps = sum(1 for v in applicant_persons if v["is_representative"])
    if collective and not 3 <= reps <= 5:
        errors.add(_invalid(
            "集体争议代表人",
            f"集体争议应推举3至5名代表人，现为{reps}名",
            ("parties", None, "is_representative"),
        ))

    errors.raise_any()
    values = {
        "received_on": received,
        "apply_mode": mode,
        "oral_record": oral,
        "source": normalize_text(draft.source),
        "workers": workers,
        "common_claim": common,
        "is_collective": collective,
        "dispute_type_main": normalize_text(draft.dispute_type_main),
        "dispute_types": [normalize_text(t) for t in draft.dispute_types if not _blank(t)] or None,
        "claims_summary": _long(draft.claims_summary),
        "claim_amount_fen": total,
        "facts": _long(draft.facts),
        "other_party_consent": consent,
        "other_party_consent_on": consent_on,
        "remark": _long(draft.remark),
    }
    return _CleanDraft(values, parties, claims, warnings)

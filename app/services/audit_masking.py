"""Lean audit entries: :func:`mask_audit_values` masks ID numbers and phone numbers in the before/after
values an :class:`~db.models.AuditEntry` records.

A field named like an ID number (``id_number``) or a phone (``phone``, ``contact_phone``, ``agent_phone`` …)
is masked with :func:`app.services.validation.mask_id_number` / :func:`~app.services.validation.mask_phone`
(first 6 + last 4 / ``138****5678``); any other text — e.g. a party line ``申请人:张三 110105…`` — has
18/15-digit ID numbers and mobile numbers masked by :func:`app.core.redact.mask_ids_and_phones`. The audit
still shows *that* an ID was corrected, never the full number before or after. Callers decide what changed
on the unmasked values, then mask.
"""

from __future__ import annotations

from typing import Any

from app.core.redact import mask_ids_and_phones
from app.services.validation import mask_id_number, mask_phone

__all__ = ["mask_audit_values"]


def _mask_field(key: str, value: Any) -> Any:
    name = key.lower()
    if isinstance(value, str) and value:
        if "id_number" in name or name in ("id_no", "idcard", "id_card"):
            return mask_id_number(value)
        if "phone" in name or "mobile" in name:
            return mask_phone(value)
    return _mask_any(value)


def _mask_any(value: Any) -> Any:
    if isinstance(value, str):
        return mask_ids_and_phones(value)
    if isinstance(value, dict):
        return {k: _mask_field(str(k), v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mask_any(v) for v in value]
    return value


def mask_audit_values(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """``values`` (an audit entry's before/after) with ID numbers and phone numbers masked; None stays None."""
    if values is None:
        return None
    return {k: _mask_field(str(k), v) for k, v in values.items()}

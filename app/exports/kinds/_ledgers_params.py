"""Reading the parameters of the ledger kinds (ledgers_*.py): dates, whole numbers, flags; Chinese errors.

Starts with an underscore, so :func:`app.exports.registry.load_builtin_kinds` does not load it as a kind.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.exports.params import flag
from app.exports.registry import ExportError


def date_param(params: dict[str, Any], name: str, label: str) -> date | None:
    from app.services.validation import ValidationError, parse_date

    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        return parse_date(value, label)
    except ValidationError as exc:
        raise ExportError(str(exc)) from None


def int_param(params: dict[str, Any], name: str, label: str, lo: int, hi: int) -> int | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ExportError(f"{label}应为整数，而不是“{value}”") from None
    if not lo <= number <= hi:
        raise ExportError(f"{label}应在{lo}–{hi}之间，而不是{number}")
    return number


__all__ = ["date_param", "flag", "int_param"]

"""Small input helpers shared by the case actions: required dates, datetimes, amounts in 分, enum choices,
errors that carry the form row they belong to, and the JSON form of audit values."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from app.services.formatting import format_date_cn
from app.services.validation import (
    ValidationError,
    normalize_text,
    parse_amount,
    parse_date,
    parse_date_optional,
)


def _invalid(field_label: str, detail: str, path: tuple | None = None) -> ValidationError:
    err = ValidationError(field_label, f"{field_label}：{detail}")
    err.path = path  # type: ignore[attr-defined]  # (list name, row, key) for rows of a table in the form
    return err


def _with_path(err: ValidationError, path: tuple) -> ValidationError:
    err.path = path  # type: ignore[attr-defined]
    return err


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and normalize_text(value) == "")


def _date(value: object, label: str, *, today: date | None = None, future: bool = False) -> date:
    if _blank(value):
        raise _invalid(label, "不能为空")
    return parse_date(value, label, allow_future=future, today=today)


def _date_opt(value: object, label: str, *, today: date | None = None, future: bool = False) -> date | None:
    return parse_date_optional(value, label, allow_future=future, today=today)


def _datetime(value: object, label: str, today: date) -> datetime:
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time())
    else:
        text = normalize_text(value)
        if not text:
            raise _invalid(label, "不能为空")
        try:
            result = datetime.fromisoformat(text)
        except ValueError:
            result = datetime.combine(parse_date(text, label), time())
    if result.date() > today:
        raise _invalid(label, f"{format_date_cn(result)} 晚于今天，不能是将来的日期")
    return result


def _fen(value: object, label: str, *, required: bool = True) -> int | None:
    """``int`` → 分 as given; ``str`` → 元 as typed, parsed to 分.  Never negative."""
    if _blank(value):
        if required:
            raise _invalid(label, "不能为空")
        return None
    if isinstance(value, bool):
        raise _invalid(label, f"“{value}”不是有效的金额")
    if isinstance(value, int):
        if value < 0:
            raise _invalid(label, "不能为负数")
        return value
    if isinstance(value, str):
        return parse_amount(value, label)
    raise _invalid(label, f"“{value}”不是有效的金额（请填写整数分或以元为单位的文字）")


def _choice(value: object, enum_cls, label: str, *, default: str | None = None) -> str:
    if _blank(value):
        if default is not None:
            return default
        raise _invalid(label, "不能为空")
    text = normalize_text(value)
    for member in enum_cls:
        if text in (member.value, member.label):
            return member.value
    allowed = "、".join(m.label for m in enum_cls)
    raise _invalid(label, f"“{text}”不是有效的选项（可选：{allowed}）")


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, str):
        return str(value)  # StrEnum members become plain strings
    return value


def _yuan(fen: int | None) -> str:
    if fen is None:
        return ""
    return f"{fen // 100:,}.{fen % 100:02d}元"

"""Reading one cell as people typed it (dates in Chinese forms and Excel serials, full-width digits, 元 and
万元, thousands separators, 是/否 and √/×), with the checks of app.services.validation.

ID numbers and credit codes that Excel stored as numbers have lost their last digits (1.10105E+17): that is
reported, never guessed. Masked numbers from this program's own exports (110105********002X, 138****5678)
come back as :class:`Masked` so that they are never written over a full number.
"""

from __future__ import annotations

import re
import uuid as _uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from app.services.importing.schema import FieldSpec
from app.services.validation import (
    ValidationError,
    check_credit_code,
    check_id_number,
    check_phone,
    normalize_text,
    parse_amount,
    parse_bool,
    parse_date,
    parse_int,
)

# Full-width digits and Latin letters become half-width; Chinese punctuation （），：、 stays as typed.
_TEXT_TABLE = {cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_TEXT_TABLE[0x3000] = 0x20
_SPACES_RE = re.compile(r"[ \t\r\n\u00a0]+")


def clean_text(value: Any) -> str:
    """Text as typed, tidied: full-width digits/letters → half-width, spaces collapsed, ends stripped."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _SPACES_RE.sub(" ", text.translate(_TEXT_TABLE)).strip()


_BLANKS = frozenset({"/", "／", "-", "--", "—", "——", "－", "\\", "、"})
_SCI_RE = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d{1,2}$")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class Masked(str):
    """A masked ID number or phone (``110105********002X``, ``138****5678``) as this program exports them."""

    def matches(self, full: str | None) -> bool:
        """Whether a full number agrees with the visible characters of the masked one."""
        if not full or len(full) != len(self):
            return False
        return all(a == "*" or a == b for a, b in zip(self, full.upper(), strict=True))


@dataclass
class Parsed:
    value: Any = None
    warnings: list[str] = field(default_factory=list)


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        if len(value) > 2 and not value[0].isspace():
            return False
        t = clean_text(value)
        return not t or t in _BLANKS
    return False


def _number_text(value: Any) -> str:
    from app.services.importing.reader import cell_text

    return cell_text(value)


def cell_text_float(value: int) -> str:
    return _number_text(float(value))


def _digits_lost(field_label: str, shown: str) -> ValidationError:
    return ValidationError(
        field_label,
        f"{field_label}：被 Excel 存成了数字（显示为 {shown}），后几位数字已经丢失，无法还原。"
        "请把该列设置为“文本”格式后重新录入完整号码",
    )


def _code_text(value: Any, spec: FieldSpec, allowed_digits: tuple[int, ...]) -> str:
    """A number typed into an ID/code column: usable only if no digits can have been lost."""
    if isinstance(value, bool):
        raise ValidationError(spec.label, f"{spec.label}：“{value}”不是号码")
    if isinstance(value, int):
        text = str(value)
        if len(text) in allowed_digits and len(text) <= 15:
            return text
        raise _digits_lost(spec.label, text if len(text) <= 15 else cell_text_float(value))
    if isinstance(value, float | Decimal):
        if float(value).is_integer() and abs(value) < 1e15 and len(str(int(value))) in allowed_digits:
            return str(int(value))
        raise _digits_lost(spec.label, _number_text(value))
    text = normalize_text(value).replace(" ", "")
    if _SCI_RE.match(text):
        raise _digits_lost(spec.label, text)
    return text


def parse_cell(spec: FieldSpec, value: Any, *, unit_factor: int = 1, today: date | None = None) -> Parsed:
    """The value of one cell for ``spec`` (None when blank); ValidationError with a Chinese message if bad."""
    if is_blank(value):
        return Parsed(None)
    kind = spec.kind
    label = spec.label
    if kind in ("text", "choice"):
        text = clean_text(_number_text(value) if isinstance(value, int | float) and not isinstance(value, bool) else value)
        if isinstance(value, datetime | date):
            text = (value.date() if isinstance(value, datetime) else value).isoformat()
        if spec.max_len and len(text) > spec.max_len:
            raise ValidationError(label, f"{label}：最多 {spec.max_len} 个字，现在是 {len(text)} 个字")
        return Parsed(text)
    if kind == "longtext":
        text = str(value).replace("\r\n", "\n").translate(_TEXT_TABLE).strip()
        return Parsed(text or None)
    if kind == "date":
        return Parsed(parse_date(value, label, today=today))
    if kind == "amount":
        fen = parse_amount(value, label)
        if unit_factor != 1 and not (isinstance(value, str) and "万" in value):
            fen *= unit_factor
        return Parsed(fen)
    if kind == "int":
        return Parsed(parse_int(value, label, minimum=0, maximum=10_000_000))
    if kind == "bool":
        return Parsed(parse_bool(value, label))
    if kind == "hours":
        from app.services.volunteers import parse_hours

        return Parsed(parse_hours(value, label))
    if kind == "uuid":
        text = normalize_text(value).lower()
        if not _UUID_RE.match(text):
            return Parsed(None, [f"{label}“{text}”不是本程序导出的记录标识，已忽略"])
        return Parsed(str(_uuid.UUID(text)))
    if kind == "id":
        text = _code_text(value, spec, (15,))
        if "*" in text:
            return Parsed(Masked(text.upper()))
        info = check_id_number(text, label, today)
        return Parsed(info.number, list(info.warnings))
    if kind == "uscc":
        text = _code_text(value, spec, ())
        if "*" in text:
            return Parsed(Masked(text.upper()))
        info = check_credit_code(text, label)
        return Parsed(info.code, list(info.warnings))
    if kind == "phone":
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = _number_text(value)
        else:
            text = normalize_text(value)
        if "*" in text:
            return Parsed(Masked(text.replace(" ", "")))
        return Parsed(check_phone(text, label))
    return Parsed(None)  # ignore


def display(value: Any) -> str:
    """A parsed value as shown in previews and change lists."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def fen_text(fen: int | None) -> str:
    if fen is None:
        return ""
    return f"{Decimal(fen) / 100:,.2f}"

"""Masking ID numbers and phones for exported rosters (个人信息保护法)."""

from __future__ import annotations

import re

from app.services.validation.phones import _MOBILE_RE, check_phone
from app.services.validation.text import ValidationError, _compact


def _mask_middle(s: str, keep_head: int, keep_tail: int) -> str:
    return s[:keep_head] + "*" * (len(s) - keep_head - keep_tail) + s[len(s) - keep_tail :]


def mask_id_number(s: object) -> str:
    """``11010519491231002X`` → ``110105********002X`` (keep the first 6 and last 4)."""
    text = _compact(s).upper()
    n = len(text)
    if n == 0:
        return ""
    if n >= 15:
        return _mask_middle(text, 6, 4)
    if n >= 7:
        return _mask_middle(text, 2, 2)
    if n >= 3:
        return _mask_middle(text, 1, 1)
    return "*" * n


def mask_phone(s: object) -> str:
    """``13812345678`` → ``138****5678``; ``022-12345678`` → ``022-****5678``."""
    text = _compact(s)
    if not text:
        return ""
    try:
        text = check_phone(text)
    except ValidationError:
        pass
    if _MOBILE_RE.fullmatch(text):
        return _mask_middle(text, 3, 4)
    m = re.fullmatch(r"(0\d{2,3}-)(\d{7,8})(-\d{1,6})?", text)
    if m:
        return m.group(1) + _mask_middle(m.group(2), 0, 4) + (m.group(3) or "")
    n = len(text)
    if n >= 8:
        return _mask_middle(text, 3, 4)
    if n >= 3:
        return _mask_middle(text, 0, 2)
    return "*" * n

"""Phone numbers: mobiles (11 digits, 1[3-9]…) and landlines with an area code (:func:`check_phone`)."""

from __future__ import annotations

import re

from app.services.validation.text import _compact, _err

_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_LANDLINE_RE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-"})


def check_phone(value: object, field: str = "联系电话") -> str:
    """A mobile (11 digits, 1[3-9]…) or a landline with area code; returns the cleaned number.

    Mobiles come back as 11 bare digits (``+86``/``86-`` prefixes, spaces and dashes
    removed); landlines keep their dashes (``(022)12345678`` → ``022-12345678``).
    """
    s = _compact(value).translate(_DASHES)
    if not s:
        raise _err(field, "不能为空")
    # (022)12345678 → 022-12345678
    s = re.sub(r"^\((0\d{2,3})\)-?", r"\1-", s)
    digits_only = s.replace("-", "")
    mobile = digits_only
    for prefix in ("+86", "0086", "86"):
        if mobile.startswith(prefix) and len(mobile) == len(prefix) + 11:
            mobile = mobile[len(prefix) :]
            break
    if _MOBILE_RE.fullmatch(mobile):
        return mobile
    if _LANDLINE_RE.fullmatch(s):
        return s
    if len(mobile) == 11 and mobile.startswith("1") and mobile.isdigit():
        raise _err(field, f"手机号码“{mobile}”的第二位应为3–9，请核对")
    raise _err(field, f"“{s}”格式不正确，应为11位手机号或带区号的固定电话（如 022-12345678）")

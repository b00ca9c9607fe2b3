"""The base of the validation package: :class:`ValidationError` and text normalisation (full-width ASCII folded,
whitespace collapsed), with the one-line / multi-line / length-limited field cleaners."""

from __future__ import annotations

import re


class ValidationError(ValueError):
    """Bad input.  ``field`` is the Chinese label, ``message`` a full sentence naming it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # keep it picklable (e.g. across worker processes)
        return (type(self), (self.field, self.message))


def _err(field: str, detail: str) -> ValidationError:
    return ValidationError(field, f"{field}：{detail}")


_FULLWIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[0x3000] = 0x20  # ideographic space
_WS_RE = re.compile(r"\s+")


def normalize_text(value: object) -> str:
    """Full-width ASCII → half-width, strip, collapse inner whitespace; ``None`` → ``""``."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = text.translate(_FULLWIDTH_TABLE)
    return _WS_RE.sub(" ", text).strip()


def short_text(value: object) -> str | None:
    """A one-line field: trimmed, full-width ASCII folded, ``None`` when empty."""
    return normalize_text(value) or None


def long_text(value: object) -> str | None:
    """A multi-line field: only trimmed, ``None`` when empty."""
    if value is None:
        return None
    return str(value).strip() or None


def limited_text(value: object, label: str, max_len: int) -> str | None:
    """A one-line field of at most ``max_len`` characters (``None`` when empty)."""
    text = normalize_text(value)
    if not text:
        return None
    if len(text) > max_len:
        raise ValidationError(label, f"{label}：最多 {max_len} 个字，现在是 {len(text)} 个字")
    return text


def _compact(value: object) -> str:
    """normalize_text without any whitespace at all."""
    return _WS_RE.sub("", normalize_text(value))


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and normalize_text(value) == "")

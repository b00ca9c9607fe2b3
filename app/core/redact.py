"""Keeping SQL and personal data out of messages and log lines: :func:`redact_text`.

A database error from SQLAlchemy carries the statement and its parameters (``[SQL: INSERT …]``,
``[parameters: ('110105194912310021', '13812345678', …)]``) — a multi-KB dump with names, ID numbers and
phone numbers. :func:`redact_text` cuts those parts off and masks what is left: an 18-digit (or 15-digit)
ID number keeps its first 6 and last 4 characters (``110105********0021``), an 11-digit mobile number its
first 3 and last 4 (``138****5678``). :class:`RedactingFormatter` applies it to every formatted log record
(message and traceback). Standard library only.
"""

from __future__ import annotations

import logging
import re

__all__ = ["RedactingFormatter", "mask_ids_and_phones", "redact_text", "strip_sql"]

# SQLAlchemy appends these parts after the driver's message: the statement (often several lines), its
# parameters, then a "Background on this error" link; all of it goes, up to and including that link.
_SQL_PART = re.compile(r"\s*\[(?:SQL|parameters|SQL parameters):.*?(?:\(Background on this error at:[^)]*\)|\Z)", re.DOTALL)
_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{5}(\d{4})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d)\d{4}(\d{4})(?![0-9A-Za-z])")


def strip_sql(text: str) -> str:
    """``text`` without SQLAlchemy's ``[SQL: …]`` / ``[parameters: …]`` parts (a note stands in their place)."""
    if "[SQL" not in text and "[parameters" not in text:
        return text
    return _SQL_PART.sub("（SQL 语句和参数已省略）", text)


def mask_ids_and_phones(text: str) -> str:
    """``text`` with 18/15-digit ID numbers (first 6, last 4 kept) and mobile numbers (3 + 4 kept) masked."""
    text = _ID18.sub(lambda m: f"{m.group(1)}{'*' * 8}{m.group(2)}", text)
    text = _ID15.sub(lambda m: f"{m.group(1)}{'*' * 5}{m.group(2)}", text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


def redact_text(text: object) -> str:
    """``text`` fit for a message or a log line: no SQL, no parameters, no full ID or phone number."""
    return mask_ids_and_phones(strip_sql(str(text)))


class RedactingFormatter(logging.Formatter):
    """A formatter whose output (message, exception and stack text) has gone through :func:`redact_text`."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_text(super().format(record))

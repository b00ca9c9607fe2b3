"""THE way every export, command and screen finds one case: :func:`find_case`.

A case is named by its id (``12``) or by its case number as people type it: 「(2023)南市调字第0001号」,
「（2023）南市调字第0001号」, the 公文 form 「〔2023〕南市调字第0001号」 (also ``[ ]``, 【 】, ［ ］), the
year written 「2023年南市调字第0001号」, full-width digits, stray spaces — or a unique part of it
(「南市调字第0001号」). Both sides are compared in one normal form (:func:`case_number_key`), so a case
number stored with full-width brackets is found by one typed with half-width ones and the other way round.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.exports.case_data.common import _s
from app.exports.registry import ExportError
from db.models import Case

__all__ = ["case_number_key", "find_case"]

#: Opening / closing brackets people put around the year, all compared as ``(`` / ``)``.
_OPENING = "（〔【［[﹝〖"
_CLOSING = "）〕】］]﹞〗"
_BRACKETS = str.maketrans(_OPENING + _CLOSING, "(" * len(_OPENING) + ")" * len(_CLOSING))
_FULL_DIGITS = "０１２３４５６７８９"
_SPACES = (" ", "\u3000", "\t", "\u00a0")
_YEAR_BRACKETED = re.compile(r"^\((\d{4})\)(.+)$")
_YEAR_WRITTEN = re.compile(r"^(\d{4})年(.+)$")
_MAX_SHOWN = 5


def case_number_key(text: Any) -> str:
    """A case number in the one form used for comparing: NFKC (full-width digits and brackets become
    ASCII), every kind of year bracket ``(``/``)``, no whitespace. 「（2023）南市调字 第0001号」 →
    「(2023)南市调字第0001号」."""
    norm = unicodedata.normalize("NFKC", _s(text)).translate(_BRACKETS)
    return "".join(norm.split())


def _sql_key(column: Any) -> Any:
    """:func:`case_number_key` of a stored case number, in SQL (``replace`` chains)."""
    expr = column
    for ch in _OPENING:
        expr = func.replace(expr, ch, "(")
    for ch in _CLOSING:
        expr = func.replace(expr, ch, ")")
    for i, ch in enumerate(_FULL_DIGITS):
        expr = func.replace(expr, ch, str(i))
    for ch in _SPACES:
        expr = func.replace(expr, ch, "")
    return expr


def _key_variants(key: str) -> set[str]:
    """The key and its other year form: 「(2023)…」 ⇄ 「2023年…」."""
    out = {key}
    if m := _YEAR_BRACKETED.match(key):
        out.add(f"{m.group(1)}年{m.group(2)}")
    elif m := _YEAR_WRITTEN.match(key):
        out.add(f"({m.group(1)}){m.group(2)}")
    return out


def find_case(session: Session, key: Any) -> Case:
    """A (not deleted) case by its id (``Case.id``) or its case number in any of the forms of the module
    doc; also a unique part of a case number (「南市调字第0012号」). Raises :class:`ExportError` with a
    Chinese message when nothing or more than one case matches."""
    text = _s(key)
    if not text:
        raise ExportError("请指定案件（案件编号或案号）")
    norm = case_number_key(text)
    if not norm:
        raise ExportError("请指定案件（案件编号或案号）")
    if norm.isdigit():
        case = session.get(Case, int(norm))
        if case is not None:
            if case.deleted_at is not None:
                raise ExportError(f"案件 {norm}（{case.case_no or '无案号'}）已删除")
            return case
    variants = _key_variants(norm)
    live = Case.deleted_at.is_(None)
    stored = _sql_key(Case.case_no)
    exact = session.scalars(select(Case).where(live, stored.in_(variants)).order_by(Case.id).limit(6)).all()
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        orgs = "、".join(f"{c.id}（{c.organization.name}）" for c in exact)
        raise ExportError(f"案号“{text}”对应多个案件，请改用案件编号：{orgs}")
    partial = or_(*(stored.contains(v, autoescape=True) for v in sorted(variants)))
    like = session.scalars(select(Case).where(live, partial).order_by(Case.id).limit(6)).all()
    if len(like) == 1:
        return like[0]
    if not like:
        raise ExportError(f"找不到案件：{text}")
    numbers = "、".join(c.case_no or str(c.id) for c in like[:_MAX_SHOWN])
    raise ExportError(f"“{text}”对应多个案件，请写完整案号或案件编号：{numbers}")

"""Pinyin sort keys of party names, so the case list sorts 申请人 / 被申请人 as people expect (李 before 梁,
王 after 汪), not by Unicode code point, and fast: the keys are columns of ``cases`` with an index.

``name_key("李四")`` is ``"li si|李四"``: the syllables separated by spaces (so 「李四」 comes before 「梁」, as in
a dictionary), then the name itself, so names that read alike still sort in one fixed order. Letters and
digits are kept as they are (lower case). pypinyin (MIT, offline data) does the reading; it loads on first use.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

MAX_KEY = 200


@lru_cache(maxsize=65536)
def name_key(name: str | None) -> str | None:
    if not name or not name.strip():
        return None
    from pypinyin import Style, lazy_pinyin

    text = name.strip()
    reading = " ".join(part.strip().lower() for part in lazy_pinyin(text, style=Style.NORMAL) if part.strip())
    return f"{reading}|{text}"[:MAX_KEY]


def first_party(parties: Iterable[Any], role: str) -> Any:
    """The party the case list shows for ``role``: the representative first, then by order of entry."""
    candidates = [p for p in parties if p.role == role]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (not p.is_representative, p.sort_order or 0, p.id or 0))


def case_keys(parties: Iterable[Any]) -> tuple[str | None, str | None]:
    """(applicant_key, respondent_key) of a case from its party rows (ORM objects)."""
    parties = list(parties)
    applicant = first_party(parties, "applicant")
    respondent = first_party(parties, "respondent")
    return (name_key(applicant.name) if applicant is not None else None,
            name_key(respondent.name) if respondent is not None else None)


def backfill(connection: Any, batch: int = 2000) -> int:
    """Fill ``cases.applicant_key`` / ``respondent_key`` for every case (used by migration 0005); returns the
    number of cases updated. Works on a plain SQLAlchemy connection, so no model code is involved."""
    from sqlalchemy import text

    rows = connection.execute(text(
        "SELECT c.id, "
        " (SELECT p.name FROM case_parties p WHERE p.case_id = c.id AND p.role = 'applicant' "
        "  ORDER BY p.is_representative DESC, p.sort_order, p.id LIMIT 1), "
        " (SELECT p.name FROM case_parties p WHERE p.case_id = c.id AND p.role = 'respondent' "
        "  ORDER BY p.is_representative DESC, p.sort_order, p.id LIMIT 1) "
        "FROM cases c")).all()
    update = text("UPDATE cases SET applicant_key = :a, respondent_key = :r WHERE id = :id")
    for start in range(0, len(rows), batch):
        connection.execute(update, [{"id": cid, "a": name_key(a), "r": name_key(r)}
                                    for cid, a, r in rows[start:start + batch]])
    return len(rows)

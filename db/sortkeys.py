"""The search text and the pinyin sort keys of a case — the one home every writer (the case service, the
import, the demo, migrations) calls.

``search_text(case_no, parts)`` is what the case list's search box matches: the case number, then party names,
ID numbers, credit codes and directory names, space separated, empty parts and repeats dropped.

Pinyin sort keys of party names, so the case list sorts 申请人 / 被申请人 as people expect (李 before 梁,
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


def search_text(case_no: str | None, parts: Iterable[str | None]) -> str:
    """The case's search text: ``case_no`` first, then every non-empty part once, in order."""
    return " ".join(dict.fromkeys(x for x in (case_no, *parts) if x))


def party_search_parts(parties: Iterable[Any], enterprise_name: Any = None) -> list[str | None]:
    """Name, ID number and credit code of each party (ORM objects or anything with those attributes), and the
    directory name of its enterprise: ``enterprise_name(party)`` when given, else ``party.enterprise.name``."""
    out: list[str | None] = []
    for p in parties:
        out.extend([p.name, p.id_number, p.credit_code])
        if enterprise_name is not None:
            out.append(enterprise_name(p))
        else:
            ent = getattr(p, "enterprise", None)
            out.append(ent.name if ent is not None else None)
    return out


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

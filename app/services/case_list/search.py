"""The search box of the case list as SQL: :func:`search_conditions`, the one place that decides how words are
searched (the list, its count and the ledger export can share it).

Each word must be contained in the case's ``search_text`` (case number, party names, ID numbers, credit codes,
directory names) or in one of its party / agent phones. On SQLite with the FTS5 index of
:mod:`db.search_index` the index finds the candidates (a handful of B-tree lookups instead of reading every
case) and ``LIKE`` confirms them, so the result is what ``LIKE`` alone gives — except that ID numbers are
matched by their beginning or last 4 characters only (the index keeps no more of them), and phones match
too. Without the index (a database where FTS5 is missing; PostgreSQL later: add its branch here) every word
is a plain ``LIKE '%word%'`` on ``search_text``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, column, literal_column, or_, select, table
from sqlalchemy.orm import Session

from db.models import Case
from db.search_index import TABLE, match_expression, search_index_ready

_fts = table(TABLE, column("rowid"), column("phones"))
_match_col = literal_column(TABLE)


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_conditions(terms: Sequence[str]) -> list[ColumnElement[bool]]:
    """The plain form: every word a ``LIKE '%word%'`` on ``Case.search_text`` (reads every case)."""
    return [Case.search_text.like(f"%{escape_like(t)}%", escape="\\") for t in terms]


def search_conditions(session: Session | None, terms: Sequence[str]) -> list[ColumnElement[bool]]:
    """Conditions on ``Case`` that keep the cases containing every word of ``terms`` (already normalized,
    without spaces). ``session`` tells which database answers; ``None`` gives the plain ``LIKE`` form."""
    terms = [t for t in terms if t]
    if not terms:
        return []
    if session is None or not search_index_ready(session.connection()):
        return like_conditions(terms)
    matches = [m for m in (match_expression(t) for t in terms) if m]
    if not matches:  # only punctuation typed: nothing for the index to look up
        return like_conditions(terms)
    sc = Case.__table__.alias("search_case")
    checks = []
    for t in terms:
        pattern = f"%{escape_like(t)}%"
        checks.append(or_(sc.c.search_text.like(pattern, escape="\\"), _fts.c.phones.like(pattern, escape="\\")))
    found = (
        select(_fts.c.rowid)
        .select_from(_fts.join(sc, sc.c.id == _fts.c.rowid))
        .where(_match_col.op("MATCH")(" AND ".join(matches)), *checks)
    )
    return [Case.id.in_(found)]

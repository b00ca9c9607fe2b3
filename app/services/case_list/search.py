"""The search box of the case list as SQL: :func:`search_conditions`, the one place that decides how words are
searched (the list, its count and the ledger export can share it).

Each word must be contained in the case's ``search_text`` (case number, party names, ID numbers, credit codes,
directory names) or in one of its party / agent phones. On SQLite with the FTS5 index of
:mod:`db.search_index` the index finds the candidates (a handful of B-tree lookups instead of reading every
case) and, where the index alone is not exact (:func:`db.search_index.match_expression`), ``LIKE`` confirms
them, so the result is what ``LIKE`` alone gives — except that ID numbers are
matched by their beginning or last 4 characters only (the index keeps no more of them), and phones match
too. Without the index (a database where FTS5 is missing; PostgreSQL later: add its branch to
:func:`search_hits`), and for a search of only one or two letters or digits (nearly every case has them: a
plain scan stops as soon as the first page is full), every word is a plain ``LIKE '%word%'`` on
``search_text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, column, literal_column, or_, select, table
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


def search_hits(session: Session | None, terms: Sequence[str]) -> Select[Any] | None:
    """The ids of the (not deleted) cases containing every word, from the search index alone (a ``SELECT`` of
    ids), or ``None`` when the index cannot answer (no index; only punctuation or one or two letters/digits
    typed, which nearly every case contains: a plain scan finds the first page as fast)."""
    terms = [t for t in terms if t]
    if not terms or session is None or not search_index_ready(session.connection()):
        return None
    found = [(t, *match_expression(t)) for t in terms]
    matches = [m for _t, m, _exact in found if m]
    if not matches:
        return None
    hits = select(_fts.c.rowid).where(_match_col.op("MATCH")(" AND ".join(matches)))
    unsure = [t for t, _m, exact in found if not exact]
    if unsure:
        # the index found a few more than asked (punctuation, long numbers …): LIKE confirms those words
        sc = Case.__table__.alias("search_case")
        hits = hits.join_from(_fts, sc, sc.c.id == _fts.c.rowid).where(
            *(
                or_(sc.c.search_text.like(p, escape="\\"), _fts.c.phones.like(p, escape="\\"))
                for p in (f"%{escape_like(t)}%" for t in unsure)
            )
        )
    return hits


def search_conditions(session: Session | None, terms: Sequence[str]) -> list[ColumnElement[bool]]:
    """Conditions on ``Case`` that keep the cases containing every word of ``terms`` (already normalized,
    without spaces). ``session`` tells which database answers; ``None`` gives the plain ``LIKE`` form."""
    terms = [t for t in terms if t]
    hits = search_hits(session, terms)
    if hits is None:
        return like_conditions(terms)
    return [Case.id.in_(hits)]

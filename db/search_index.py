"""The case search index: an FTS5 table ``case_search`` that lets the case list's search box answer as fast as
one types (names of 1–3 characters, company names, case-number fragments, ID-number and phone prefixes).

One row per (not deleted) case, ``rowid`` = ``cases.id``:

- ``body``: the case's search text (``cases.search_text``: case number, party names, ID numbers, credit codes,
  directory names) and the party and agent phones, cut into tokens: one token per Chinese (any non-ASCII
  letter or digit) character, one per ASCII letter/digit run. A term typed into the search box is cut the same
  way and looked up as a phrase (``"调 字 第 01" *``), so a fragment anywhere in a name is found.
- ``tail``: every proper suffix of 3 characters or more of each ASCII run (``01234`` → ``1234 234``), so a
  digit fragment that starts inside a number (the 「123」 of 「第00123号」, the middle of a phone number) is a
  prefix query too. (A word of one or two letters or digits is in nearly every case: not looked up.)
- ``phones`` (not indexed): the phones as written, for the exact check below.

ID numbers (``case_parties.id_number`` of 15 characters or more: resident ID cards) are NOT indexed whole:
only the first ``min(12, len - 6)`` characters (18 digits: region, birth year and month; 15 digits: the first
9) and the last 4 (and their suffixes). Search needs no more: an ID number is found by typing its beginning
(any length; past the kept part the index narrows by it and ``LIKE`` on ``search_text`` does the rest) or
its last 4 characters; a fragment from its middle (the birth day, the sequence number) is not searched (the
old ``LIKE`` found it). The full number stays where it already was (``case_parties``,
``cases.search_text``), nowhere in the index. Shorter numbers (passports, permits) are indexed like text.

The index only narrows: the list then keeps the cases whose ``search_text`` (or phones) contain the term
(``LIKE``), so the results are exactly what the old ``LIKE`` search returned, minus ID middles, plus phones.

Writers call :func:`refresh_search_index` with the ids of the cases they changed (in their transaction, after
the case and party rows are written), or :func:`rebuild_search_index` after bulk writes; migration 0006
creates the table (:func:`create_search_index`) and fills it. Without FTS5 (another SQLite build, a future
PostgreSQL) nothing is created, every function here is a no-op and the list falls back to ``LIKE``.
Works on any SQLAlchemy connection (``session.connection()``, ``op.get_bind()``), no model code; this module
imports nothing from ``app`` and no other ``db`` module.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import text

TABLE = "case_search"
#: The FTS5 tables (the virtual table and its shadow tables) are an index, not part of the models: schema
#: comparisons skip them with :func:`include_name`.
TABLE_NAMES = frozenset({TABLE, *(f"{TABLE}_{s}" for s in ("data", "idx", "content", "docsize", "config"))})
#: ID numbers keep at most this many leading characters in the index (plus the last 4).
ID_PREFIX = 12
_ID_MIN = 15  # 15- and 18-digit resident ID numbers; shorter numbers (passports, permits) are indexed whole

_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "body, tail, phones UNINDEXED, tokenize = 'unicode61 remove_diacritics 0')"
)
#: The token written between words that are not adjacent (a private-use character: never typed, never searched).
GAP = "\ue000"
_TOKEN = re.compile(r"[0-9A-Za-z]+|[^\x00-\x7f]")
_BATCH = 500


def include_name(name: str | None, type_: str, _parent: Any = None) -> bool:
    """An Alembic ``include_name`` hook: leave the search-index tables out of schema comparisons."""
    return not (type_ == "table" and name in TABLE_NAMES)


# --- tokens -----------------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _is_token_char(ch: str) -> bool:
    # the characters FTS5's unicode61 tokenizer keeps (categories L*, N*, Co); everything else separates
    cat = unicodedata.category(ch)
    return cat[0] in "LN" or cat == "Co"


def tokens(value: str | None) -> list[str]:
    """``value`` cut as the index cuts it: ASCII letter/digit runs (lower case) and single other characters."""
    if not value:
        return []
    return [t.lower() if t.isascii() else t for t in _TOKEN.findall(value) if t.isascii() or _is_token_char(t)]


def _index_tokens(value: str | None) -> list[str]:
    """:func:`tokens`, with a :data:`GAP` token wherever ``value`` has spaces or punctuation, so that a phrase
    matches only characters that are next to each other in ``value`` (「张三」 not in 「小张 三丰」)."""
    out: list[str] = []
    end = 0
    for m in _TOKEN.finditer(value or ""):
        tok = m.group()
        if not (tok.isascii() or _is_token_char(tok)):
            continue
        if m.start() > end and out:
            out.append(GAP)
        out.append(tok.lower() if tok.isascii() else tok)
        end = m.end()
    return out


def _suffixes(run: str) -> list[str]:
    # of 3 characters or more: a word of one or two letters or digits is not looked up (match_expression)
    return [run[i:] for i in range(1, len(run) - 2)]


def index_row(search: str | None, id_numbers: Iterable[str | None], phones: Iterable[str | None]) -> tuple[str, str, str]:
    """``(body, tail, phones)`` of one case: its search text with the ID numbers cut short, and its phones."""
    masked: set[str] = set()
    for idn in id_numbers:
        for run in tokens(idn):
            if run.isascii() and len(run) >= _ID_MIN:
                masked.add(run)
    body: list[str] = []
    tail: list[str] = []
    for tok in _index_tokens(search):
        if not tok.isascii():
            body.append(tok)
        elif tok in masked:
            last = tok[-4:]
            body += [tok[: min(ID_PREFIX, len(tok) - 6)], GAP, last]
            tail += _suffixes(last)
        else:
            body.append(tok)
            tail += _suffixes(tok)
    written = [p.strip() for p in dict.fromkeys(phones) if p and p.strip()]
    for phone in written:
        body.append(GAP)
        for tok in _index_tokens(phone):
            body.append(tok)
            if tok.isascii() and tok != GAP:
                tail += _suffixes(tok)
    return " ".join(body), " ".join(dict.fromkeys(tail)), " ".join(written)


def _quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def match_expression(term: str) -> tuple[str | None, bool]:
    """``(query, exact)``: the FTS5 query that finds (at least) every case whose search text or phones contain
    ``term`` (one word, no spaces; ``None`` when it has no letter or digit, or is one run of one or two: only
    ``LIKE`` answers that well), and
    whether its matches are exactly those cases (else ``LIKE`` must confirm them).

    Exact: Chinese characters, a phrase of them ending in a number's beginning (「调字第01」), one run of letters
    or digits of up to ``ID_PREFIX - 3`` characters (a fragment of any number, an ID number's beginning or
    last 4). Not exact: a term with punctuation or with upper/lower case letters beyond ASCII, one beginning
    inside a number followed by more (「0123号」), and longer numbers (an ID number's beginning past the part
    the index keeps)."""
    toks = tokens(term)
    if not toks:
        return None, False
    # only letters and digits (no punctuation: the index drops it) and no case beyond ASCII (the index folds it)
    exact = len("".join(toks)) == len(term) and not any(not c.isascii() and c.lower() != c.upper() for c in term)
    if len(toks) == 1:
        tok = toks[0]
        if not tok.isascii():
            return f"body:{_quote(tok)}", exact
        if len(tok) <= 2:  # in nearly every case, and thousands of tokens begin with it: better scanned
            return None, False
        # anywhere in a run: a prefix of the run or of one of its suffixes; or the beginning of an ID number
        # longer than the part the index keeps (9 characters of a 15-digit number … 12 of an 18-digit one)
        alts = [f"{_quote(tok)}*"]
        alts += [f"body:{_quote(tok[:k])}" for k in range(_ID_MIN - 6, min(len(tok) - 1, ID_PREFIX) + 1)]
        if len(alts) == 1:
            return alts[0], exact
        return "(" + " OR ".join(alts) + ")", False
    parts: list[str] = []
    if toks[0].isascii():
        # may begin inside a run: it is then one of the run's suffixes (a whole token of ``tail`` when it has 3
        # characters or more)
        if len(toks[0]) >= 3:
            parts.append(_quote(toks[0]))
        toks = toks[1:]
        exact = False
    phrase = f"body:{_quote(' '.join(toks))}"
    if toks[-1].isascii():  # may end inside a run
        phrase += " *"
    parts.append(phrase)
    return (parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"), exact


# --- the table --------------------------------------------------------------------------------------------


def fts5_compiled(connection: Any) -> bool:
    """Whether this SQLite has FTS5 (always false on another database)."""
    if connection.dialect.name != "sqlite":
        return False
    try:
        return bool(connection.execute(text("SELECT sqlite_compileoption_used('ENABLE_FTS5')")).scalar())
    except Exception:  # a very old SQLite
        return False


def search_index_ready(connection: Any) -> bool:
    """Whether the database has the search index (then every writer keeps it up to date)."""
    if connection.dialect.name != "sqlite":
        return False
    found = connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"), {"n": TABLE}
    ).first()
    return found is not None


def create_search_index(connection: Any) -> bool:
    """Create the (empty) index table when FTS5 is there; returns whether the table exists afterwards."""
    if not fts5_compiled(connection):
        return False
    connection.execute(text(_CREATE))
    return True


def _rows(connection: Any, ids: list[int]) -> list[dict[str, Any]]:
    """The index rows of the (not deleted) cases among ``ids`` (integers, written into the SQL)."""
    in_ids = ",".join(str(int(i)) for i in ids)
    parties: dict[int, tuple[list[str | None], list[str | None]]] = defaultdict(lambda: ([], []))
    for cid, idn, phone, agent_phone in connection.execute(
        text(f"SELECT p.case_id, p.id_number, p.phone, p.agent_phone FROM case_parties p WHERE p.case_id IN ({in_ids})")
    ):
        idns, phones = parties[cid]
        idns.append(idn)
        phones += [phone, agent_phone]
    out: list[dict[str, Any]] = []
    for cid, search in connection.execute(
        text(f"SELECT c.id, c.search_text FROM cases c WHERE c.deleted_at IS NULL AND c.id IN ({in_ids})")
    ):
        idns, phones = parties.get(cid, ([], []))
        body, tail, written = index_row(search, idns, phones)
        out.append({"id": cid, "body": body, "tail": tail, "phones": written})
    return out


_INSERT = text(f"INSERT INTO {TABLE} (rowid, body, tail, phones) VALUES (:id, :body, :tail, :phones)")


def refresh_search_index(connection: Any, case_ids: Iterable[int]) -> int:
    """Bring the index rows of ``case_ids`` up to date with ``cases`` and ``case_parties`` (deleted and
    soft-deleted cases leave the index). Call it inside the writer's transaction, after its rows are
    written (flushed). Returns the number of rows written; 0 when the database has no index."""
    ids = sorted({int(i) for i in case_ids if i is not None})
    if not ids or not search_index_ready(connection):
        return 0
    written = 0
    for start in range(0, len(ids), _BATCH):
        part = ids[start : start + _BATCH]
        connection.execute(text(f"DELETE FROM {TABLE} WHERE rowid IN ({','.join(map(str, part))})"))
        rows = _rows(connection, part)
        if rows:
            connection.execute(_INSERT, rows)
        written += len(rows)
    return written


def rebuild_search_index(connection: Any) -> int:
    """Empty the index and fill it again for every case (after a bulk write, and in migration 0006).
    Returns the number of cases indexed; 0 when the database has no index."""
    if not search_index_ready(connection):
        return 0
    connection.execute(text(f"DELETE FROM {TABLE}"))
    ids = list(connection.execute(text("SELECT id FROM cases WHERE deleted_at IS NULL ORDER BY id")).scalars())
    for start in range(0, len(ids), 5000):
        rows = _rows(connection, ids[start : start + 5000])
        if rows:
            connection.execute(_INSERT, rows)
    connection.execute(text(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')"))
    return len(ids)

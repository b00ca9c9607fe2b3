"""A cache of computed figures (:class:`FiguresCache`, :data:`FIGURES_CACHE`, :func:`cached_compute_in`):
the statistics page asks for the same period and scope again and again, and nothing has changed in between.

Key: the database, the period, the scope, the 业务规则 the figures depend on (whether 达成和解后撤回 counts as a
success), ``today`` and whether volunteer figures are included. An entry is used only while the database's
**data version** is the one it was computed at:

* SQLite: ``PRAGMA data_version`` read on a connection of the cache's own that never writes. SQLite changes
  that number whenever *any other* connection commits — this program's session connections and every other
  process on the same file alike (documented behaviour, exact, a few microseconds). The probe connection is
  closed when the engine is disposed (restore, close) and opened again when next needed (a new baseline, so
  old entries are not used again).
* PostgreSQL: the text of ``txid_current_snapshot()`` — its ``xmax`` moves whenever a transaction that
  writes starts, and its list of running transactions changes when one commits, so any write committed
  after an entry was computed changes it (conservative: writes to other databases of the cluster also do).
* Any other database (an in-memory SQLite): no version, nothing is cached.

The version is read *before* the figures are computed, so a write committed during the computation makes the
next visit compute again. Callers get a deep copy; the cached dict is never handed out. Thread-safe (the page
computes in a background thread). Imports :mod:`.compute` and :mod:`.period` only.
"""

from __future__ import annotations

import copy
import sqlite3
import threading
import weakref
from collections import OrderedDict
from datetime import date
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.services.app_settings import get_settlement_counts_as_success
from app.services.stats.compute import Figures, compute_in
from app.services.stats.period import Period, Scope


class _SqliteProbe:
    """A read-only connection to the engine's file on which ``PRAGMA data_version`` is read."""

    def __init__(self, engine: Engine) -> None:
        self.path = engine.url.database
        self.generation = 0
        self.lock = threading.Lock()
        self.con: sqlite3.Connection | None = None
        event.listen(engine, "engine_disposed", self._on_dispose)

    def _on_dispose(self, _engine: Engine) -> None:
        self.close()

    def close(self) -> None:
        with self.lock:
            if self.con is not None:
                self.con.close()
                self.con = None

    def version(self) -> tuple[int, int]:
        with self.lock:
            if self.con is None:
                self.generation += 1
                self.con = sqlite3.connect(self.path, check_same_thread=False, timeout=5)
            return self.generation, int(self.con.execute("PRAGMA data_version").fetchone()[0])


_PROBES: weakref.WeakKeyDictionary[Engine, _SqliteProbe] = weakref.WeakKeyDictionary()
_PROBES_LOCK = threading.Lock()


def data_version(session: Session) -> Any:
    """A value that changes whenever anyone commits a write to the session's database; None when unknown."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else getattr(bind, "engine", None)
    if engine is None:
        return None
    dialect = engine.dialect.name
    if dialect == "sqlite":
        path = engine.url.database
        if not path or path == ":memory:" or str(path).startswith("file::memory:"):
            return None
        with _PROBES_LOCK:
            probe = _PROBES.get(engine)
            if probe is None:
                probe = _PROBES[engine] = _SqliteProbe(engine)
        return ("sqlite", id(probe), *probe.version())
    if dialect == "postgresql":
        return ("postgresql", session.execute(text("SELECT CAST(txid_current_snapshot() AS TEXT)")).scalar())
    return None


class FiguresCache:
    """The last ``maxsize`` figures computed, keyed by (database, period, scope, rules, today, volunteers)."""

    def __init__(self, maxsize: int = 32) -> None:
        self.maxsize = maxsize
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, tuple[Any, Figures]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def compute_in(
        self,
        session: Session,
        period: Period,
        scope: Scope | None = None,
        *,
        today: date | None = None,
        volunteers: bool = True,
    ) -> Figures:
        """:func:`app.services.stats.compute_in`, answered from the cache while the data has not changed."""
        scope = scope or Scope.all()
        today = today or date.today()
        version = data_version(session)  # first: a write during the computation makes the entry stale
        if version is None:
            return compute_in(session, period, scope, today=today, volunteers=volunteers)
        rules = (get_settlement_counts_as_success(session),)
        bind = session.get_bind()
        key = (id(getattr(bind, "engine", bind)), str(getattr(bind, "url", "")), period, scope, rules, today,
               volunteers)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == version:
                self._entries.move_to_end(key)
                self.hits += 1
                return copy.deepcopy(entry[1])
        figures = compute_in(session, period, scope, today=today, volunteers=volunteers)
        with self._lock:
            self.misses += 1
            self._entries[key] = (version, copy.deepcopy(figures))
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        return figures


#: The process-wide cache the statistics page uses.
FIGURES_CACHE = FiguresCache()


def cached_compute_in(
    session: Session,
    period: Period,
    scope: Scope | None = None,
    *,
    today: date | None = None,
    volunteers: bool = True,
) -> Figures:
    """:meth:`FiguresCache.compute_in` of :data:`FIGURES_CACHE` (same arguments as ``compute_in``)."""
    return FIGURES_CACHE.compute_in(session, period, scope, today=today, volunteers=volunteers)

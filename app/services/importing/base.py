"""The import target's interface (:class:`Target`): what the engine calls on a target, and what each target implements.

A target declares its fields (:class:`~app.services.importing.schema.TargetInfo`) and implements four steps on
parsed rows (and ``release``, for imports in batches): ``prepare`` (load lists), ``check_row`` (cross-field rules, codes), ``resolve`` (match rows to
records already in the database and to earlier rows of the file; decide new / update / unchanged) and
``write``. The engine and the targets both import this module; it imports only the schema.
"""

from __future__ import annotations

from collections.abc import Callable

from app.services.importing.schema import TargetInfo


class Target:
    info: TargetInfo
    #: whether :func:`~app.services.importing.streaming.stream_import` may import it in batches (its ``resolve``
    #: remembers the rows of earlier batches itself, and ``release`` keeps what that needs)
    streams: bool = False

    def optional_required(self, ctx, key: str) -> bool:
        """A required field whose column may be missing in this context (e.g. the organization, when chosen)."""
        return False

    def prepare(self, ctx) -> None:
        pass

    def check_row(self, ctx, row) -> None:
        pass

    def resolve(self, ctx, rows) -> None:
        pass

    def write(self, ctx, rows, tick: Callable[[int, int], None]) -> None:
        pass

    def release(self, ctx, rows) -> None:
        """Rows written (or judged) in an earlier batch: keep what the result shows, drop the cells and values."""
        for r in rows:
            r.cells, r.values, r.scratch = {}, {}, {}


__all__ = ["Target"]

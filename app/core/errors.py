"""The base errors and results every layer shares (no Qt, no database).

``OutputError``: writing an output file failed for a reason the user can act on (Chinese message, shown
as is); ``ExportError`` in :mod:`app.exports.registry` is this same class. ``ActionRefused``: an action the
data does not allow (deleting an organization that has cases …). ``SaveResult``: what a service's save
returns — the record's id and the warnings to show.
"""

from __future__ import annotations

from dataclasses import dataclass


class OutputError(Exception):
    """An output failed for a reason the user can act on; the message is Chinese and shown as is."""


class ActionRefused(ValueError):
    """An action the data does not allow (deleting an organization that has cases …); Chinese message."""


@dataclass(frozen=True)
class SaveResult:
    id: int
    warnings: tuple[str, ...] = ()

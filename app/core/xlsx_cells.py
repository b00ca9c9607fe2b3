"""Writing text into openpyxl cells so it stays text: a value such as ``=1+1``, ``=HYPERLINK(…)`` or ``#N/A``
taken from a user's file or the database must never become a live formula or an error cell.

openpyxl guesses the cell type from the value: a str starting with ``=`` becomes a formula (``data_type``
``'f'``) and one of Excel's error texts an error (``'e'``). :func:`keep_text` turns such a cell back into a
plain string cell (``'s'``); :func:`set_text` and :func:`append_row` write values that way. Numbers, dates and
booleans keep their types. openpyxl is imported only when :func:`append_row` runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["append_row", "keep_text", "set_text"]


def keep_text(cell: Any) -> Any:
    """``cell`` as a plain text cell if openpyxl took its text for a formula or an error; returns the cell."""
    if cell.data_type in ("f", "e") and isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def set_text(cell: Any, value: Any) -> Any:
    """Set ``cell.value = value``, keeping a text that looks like a formula or an error as text."""
    cell.value = value
    return keep_text(cell)


def append_row(ws: Any, values: Iterable[Any]) -> int:
    """``ws.append(values)`` (a normal, not write-only, worksheet) with every text kept as text; returns the row."""
    from openpyxl.cell import Cell

    ws.append([keep_text(Cell(ws, value=value)) for value in values])
    return ws.max_row

"""Helpers shared by the import targets: code look-up by label or keyword, change detection, chunking."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app.services.importing.parsing import Masked, display

_TABLES: dict[int, tuple[object, dict[str, str]]] = {}
_FUZZY: dict[int, tuple[object, list[tuple[str, str]]]] = {}


def _normalised(obj, build):
    """A normalised copy of a lookup table, made once per table object."""
    cache = _TABLES if isinstance(obj, Mapping) else _FUZZY
    hit = cache.get(id(obj))
    if hit is None or hit[0] is not obj:
        if len(cache) > 200:  # tables of earlier imports
            cache.clear()
        hit = (obj, build(obj))
        cache[id(obj)] = hit
    return hit[1]


def choose(text: str | None, exact: Mapping[str, str], fuzzy: Iterable[tuple[str, str]] = ()) -> str | None:
    """The code for ``text``: an exact label/code/synonym, else the first keyword it contains."""
    if text is None:
        return None
    from app.services.importing.header import norm_label

    t = norm_label(text)
    table = _normalised(exact, lambda m: {norm_label(k): v for k, v in m.items()})
    if t in table:
        return table[t]
    if fuzzy:
        for word, code in _normalised(fuzzy, lambda f: [(norm_label(w), c) for w, c in f]):
            if word in t:
                return code
    return None


def diff_value(old: Any, new: Any) -> bool:
    """Whether importing ``new`` over ``old`` changes something (blank and masked values never do)."""
    if new is None or new == "":
        return False
    if isinstance(new, Masked):
        return False
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() != new.strip()
    return old != new


def changes_for(
    current: Mapping[str, Any], values: Mapping[str, Any], labels: Mapping[str, str], fmt: Mapping[str, Callable] | None = None
) -> list[tuple[str, str, str, str]]:
    """(key, label, old, new) for every field the file would change."""
    out = []
    fmt = fmt or {}
    for key, label in labels.items():
        if key not in values:
            continue
        old, new = current.get(key), values[key]
        if diff_value(old, new):
            f = fmt.get(key, display)
            out.append((key, label, f(old), f(new)))
    return out


def masked_mismatch(current: str | None, value: Any) -> bool:
    """A masked number in the file that does not agree with the full number on record."""
    return isinstance(value, Masked) and bool(current) and not value.matches(current)


def chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i : i + size]

"""Import targets: cases, enterprises, volunteers (with their contacted enterprises), services, mediators.

Each target declares its fields (Chinese names and synonyms) and implements four steps on parsed rows:
``prepare`` (load lists), ``check_row`` (cross-field rules, codes), ``resolve`` (match rows to records
already in the database and to earlier rows of the file; decide new / update / unchanged) and ``write``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app.services.importing.parsing import Masked, display
from app.services.importing.schema import TargetInfo

TARGET_MODULES = {
    "cases": "cases",
    "enterprises": "enterprises",
    "volunteers": "volunteers",
    "services": "services",
    "mediators": "mediators",
}
TARGET_TITLES = {
    "cases": "调解案件",
    "enterprises": "企业名录",
    "volunteers": "志愿者及联系企业",
    "services": "志愿服务记录",
    "mediators": "调解员名册",
}
#: export kind of this program → the target that reads it back
EXPORT_TARGETS = {
    "case-ledger": "cases",
    "enterprise-roster": "volunteers",
    "mediator-roster": "mediators",
}

_cache: dict[str, Any] = {}


def get_target(key: str) -> Target:
    if key not in TARGET_MODULES:
        names = "、".join(f"{k}（{v}）" for k, v in TARGET_TITLES.items())
        raise ValueError(f"未知的导入类型：{key}（可用：{names}）")
    if key not in _cache:
        _cache[key] = _load(key).TARGET
    return _cache[key]


def _load(key: str):
    # plain import statements (not importlib) so that PyInstaller finds the modules
    if key == "cases":
        from app.services.importing.targets import cases as module
    elif key == "enterprises":
        from app.services.importing.targets import enterprises as module
    elif key == "volunteers":
        from app.services.importing.targets import volunteers as module
    elif key == "services":
        from app.services.importing.targets import services as module
    else:
        from app.services.importing.targets import mediators as module
    return module


def all_targets() -> list[Target]:
    return [get_target(k) for k in TARGET_MODULES]


def target_for_export(kind: str) -> str | None:
    return EXPORT_TARGETS.get(kind)


class Target:
    info: TargetInfo

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


# ---------------------------------------------------------------------------------------------
# Helpers shared by the targets


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

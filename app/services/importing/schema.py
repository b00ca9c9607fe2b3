"""What an import target looks like: its fields, their Chinese names and synonyms, and how cells are read."""

from __future__ import annotations

from dataclasses import dataclass, field

#: How a cell is read (app.services.importing.parsing):
#: text, longtext, date, amount (元 → 分), int, bool, id (身份证号), uscc (统一社会信用代码), phone,
#: choice (a label / code / synonym of a fixed list), uuid (记录标识), ignore (known, derived, not imported).
FIELD_KINDS = frozenset(
    {"text", "longtext", "date", "amount", "int", "bool", "id", "uscc", "phone", "choice", "uuid", "ignore", "hours"}
)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # the name shown in the mapping step (the export's own header where there is one)
    synonyms: tuple[str, ...] = ()
    kind: str = "text"
    required: bool = False
    help: str = ""  # shown as a tooltip in the mapping step
    max_len: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"field {self.key!r}: unknown kind {self.kind!r}")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)

    @property
    def ignored(self) -> bool:
        return self.kind == "ignore"


@dataclass(frozen=True)
class TargetInfo:
    """Name, title and fields of an import target (cases, enterprises, volunteers, services, mediators)."""

    key: str
    title: str
    fields: tuple[FieldSpec, ...]
    description: str = ""
    needs_org: bool = False  # rows belong to an organization (asked when the file does not say)
    export_kinds: tuple[str, ...] = ()  # exports of this program that this target reads back
    notes: tuple[str, ...] = field(default=())

    def field(self, key: str) -> FieldSpec:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

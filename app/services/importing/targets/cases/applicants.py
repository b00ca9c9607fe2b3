"""The applicants of a case row, read into one list: the names of the 申请人 cell (「张三、李四」, 「张三等5人」;
its ID and phone cells are the first applicant's), and the hidden 其他申请人 columns of the ledger export (names
with 「（代表）」; 其他申请人身份证号 and 其他申请人电话: the numbers of every applicant after the first, in order,
「id2、、id4」); whether such a list changes what the database holds (pairing file and database applicants by
position, name or ID number), and how it is shown.

Imports only the lower import modules; :mod:`.fields`, :mod:`.checking`, :mod:`.matching`, :mod:`.inserting` and
:mod:`.updating` import it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from app.services.importing.parsing import Masked, is_blank, parse_cell
from app.services.importing.schema import FieldSpec
from app.services.validation import ValidationError, normalize_text

#: how the cells of the export write a list (and people type one)
SEP_RE = re.compile(r"\s*[、，,；;]\s*")
COUNT_RE = re.compile(r"^(.*?)(?:等\s*(\d+)\s*人)$")
REP_RE = re.compile(r"\s*[（(]代表[）)]$")
CUT_RE = re.compile(r"[、，,；;]?\s*…+另有\s*(\d+)\s*人未列出$")  # app.exports.case_data.ledger.CUT_MARK

CO_ID_SPEC = FieldSpec("co_applicant_ids", "其他申请人身份证号", kind="id")
CO_PHONE_SPEC = FieldSpec("co_applicant_phones", "其他申请人电话", kind="phone")


class Person(NamedTuple):
    """One applicant as a file gives it: ID number and phone full, :class:`Masked` or None; ``rep`` None when
    the file does not say whether the person is a representative."""

    name: str
    id_number: str | None = None
    phone: str | None = None
    rep: bool | None = None


def names_of(text: str | None, *, marks_rep: bool = False) -> tuple[list[tuple[str, bool | None]], int | None, int]:
    """(names with their representative flag, the N of 「等N人」, how many people a cut list left out).
    ``marks_rep``: the cell marks every representative (the export's 其他申请人), so an unmarked name is not one."""
    text = (text or "").strip()
    count = None
    if m := COUNT_RE.match(text):
        text, count = m.group(1).strip(), int(m.group(2))
    cut = 0
    if m := CUT_RE.search(text):
        text, cut = text[: m.start()], int(m.group(1))
    out: list[tuple[str, bool | None]] = []
    for part in SEP_RE.split(text):
        part = part.strip()
        if not part:
            continue
        rep: bool | None = True if REP_RE.search(part) else (False if marks_rep else None)
        out.append((REP_RE.sub("", part), rep))
    return out, count, cut


def numbers_of(raw: Any, spec: FieldSpec, n: int, today: date | None) -> tuple[list[Any], list[str]]:
    """The ID numbers or phones of ``n`` people from one cell, in their order (None where blank), and the
    warnings; ValidationError when a number is wrong or there are more numbers than people. One number for
    several people belongs to the first (as in a ledger that names one applicant and 「等N人」)."""
    if raw is None or is_blank(raw):
        return [None] * n, []
    if n == 0:
        raise ValidationError(spec.label, f"{spec.label}：填写了号码，但没有对应的申请人姓名")
    parts = SEP_RE.split(raw.strip()) if isinstance(raw, str) else [raw]
    if len(parts) == 1:
        parsed = parse_cell(spec, raw, today=today)
        return [parsed.value] + [None] * (n - 1), list(parsed.warnings)
    if len(parts) > n:
        raise ValidationError(spec.label, f"{spec.label}：有{len(parts)}个号码，多于{n}个申请人")
    values: list[Any] = []
    warnings: list[str] = []
    for k, part in enumerate(parts, 1):
        if is_blank(part):
            values.append(None)
            continue
        try:
            parsed = parse_cell(spec, part, today=today)
        except ValidationError as exc:
            raise ValidationError(spec.label, f"第{k}个号码：{exc.message}") from None
        values.append(parsed.value)
        warnings.extend(f"第{k}个号码：{w}" for w in parsed.warnings)
    return values + [None] * (n - len(values)), warnings


def full(value: Any) -> str | None:
    """A number that may be written: a full one (not masked, not blank)."""
    return value if isinstance(value, str) and value and not isinstance(value, Masked) else None


def _same_name(a: str | None, b: str | None) -> bool:
    return normalize_text(a or "").replace(" ", "") == normalize_text(b or "").replace(" ", "")


def pair(old: Sequence[Any], new: Sequence[Person]) -> list[int | None]:
    """For each person of the file, the index of the same person among ``old`` (database rows or Persons with
    ``name`` and ``id_number``): at the same place with the same name, else the same name, else the same
    full ID number; None for a person the database does not have."""
    used: set[int] = set()
    out: list[int | None] = []
    for i, p in enumerate(new):
        j: int | None = None
        if i < len(old) and _same_name(old[i].name, p.name):
            j = i
        if j is None or j in used:
            j = next((k for k, o in enumerate(old) if k not in used and _same_name(o.name, p.name)), None)
        if j is None and full(p.id_number):
            j = next((k for k, o in enumerate(old) if k not in used and o.id_number == p.id_number), None)
        out.append(j)
        if j is not None:
            used.add(j)
    return out


def compare(old: Sequence[Person], new: Sequence[Person] | None) -> tuple[bool, list[str]]:
    """(whether importing ``new`` changes the database's other applicants ``old``, warnings): masked numbers
    that disagree, and applicants the database has and the file does not list (kept: an import never
    removes a party)."""
    if new is None:
        return False, []
    old = tuple(old or ())
    pairs = pair(old, new)
    changed = False
    notes = []
    for i, (p, j) in enumerate(zip(new, pairs, strict=True)):
        if j is None or j != i:
            changed = True
            continue
        o = old[j]
        for value, current, label in ((p.id_number, o.id_number, "身份证号"), (p.phone, o.phone, "电话")):
            if isinstance(value, Masked):
                if current and not value.matches(current):
                    notes.append(f"申请人“{p.name}”的脱敏{label}与库中的号码不一致，未更新（库中的完整号码保留）")
            elif full(value) and value != current:
                changed = True
        if p.rep is not None and bool(p.rep) != bool(o.rep):
            changed = True
    missing = [o.name for k, o in enumerate(old) if k not in set(pairs)]
    if missing:
        notes.append(f"库中该案件还有申请人“{'、'.join(missing)}”，文件中没有列出：保留（导入不删除当事人）")
    return changed, notes


def people_text(people: Sequence[Person] | None) -> str:
    """Other applicants as shown in a change: 「李四（代表，110105…）、王五」."""
    if not people:
        return ""
    out = []
    for p in people:
        bits = [b for b in ("代表" if p.rep else "", p.id_number or "", p.phone or "") if b]
        out.append(f"{p.name}（{'，'.join(bits)}）" if bits else p.name)
    return "、".join(out)

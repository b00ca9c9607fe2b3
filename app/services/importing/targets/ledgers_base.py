"""The shared shape of the issue-17 ledger targets (key tasks, coordinators, social organizations).

A row is checked by the ledger service's own ``check_*`` function (so the import accepts exactly what the
form accepts), matched to a record by 记录标识, else by the target's natural key, and compared field by
field (a blank cell never clears a value, a masked number never overwrites a full one). Subclasses give the
model, the attributes compared, the natural key and how a row's cells become the service's input.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.services.importing.base import Target
from app.services.importing.parsing import Masked
from app.services.importing.records import Change
from app.services.importing.targets.helpers import changes_for, chunks, masked_mismatch
from app.services.validation import ValidationError


class LedgerTarget(Target):
    model: Any
    attrs: dict[str, str]  # attribute → Chinese label (what is compared and written)
    label_fields: dict[str, str] = {}  # Chinese field label of a ValidationError → field key (for the cell)
    match_how = "name"  # key of records.MATCH_LABELS for a natural-key match
    formats: dict[str, Any] = {}

    # -- what subclasses give -----------------------------------------------------------------
    def clean(self, ctx, row) -> dict[str, Any]:
        """The row's values checked by the service (may raise ValidationError); masked numbers kept aside."""
        raise NotImplementedError

    def natural_key(self, values: dict[str, Any]) -> tuple | None:
        return None

    def match_keys(self, values: dict[str, Any]) -> list[tuple]:
        """The keys a row may match a record by, in order (a record is indexed under all of its own)."""
        key = self.natural_key(values)
        return [key] if key is not None else []

    def how_for(self, key: tuple) -> str:
        """The MATCH_LABELS key for a natural-key match on ``key``."""
        return self.match_how

    def extra_changes(self, ctx, row, obj) -> list[Change]:
        """Changes beside the attributes (e.g. 金牌推荐年度); applied in :meth:`write_extra`."""
        return []

    def write_extra(self, ctx, row, obj) -> None:
        pass

    # -- the four steps -----------------------------------------------------------------------
    def check_row(self, ctx, row) -> None:
        try:
            row.scratch["v"] = self.clean(ctx, row)
        except ValidationError as exc:
            ctx.problem(row, self.label_fields.get(exc.field), exc.message)

    def resolve(self, ctx, rows) -> None:
        s = ctx.session
        by_uuid: dict[str, Any] = {}
        uuids = [r.values["uuid"] for r in rows if r.values.get("uuid")]
        for part in chunks(uuids):
            by_uuid.update({o.uuid: o for o in s.scalars(select(self.model).where(self.model.uuid.in_(part)))})
        by_key: dict[tuple, Any] = {}
        for o in s.scalars(select(self.model)):
            for key in self.match_keys({a: getattr(o, a) for a in self.attrs}):
                by_key.setdefault(key, o)
        seen: dict[tuple, int] = {}
        for r in rows:
            values = r.scratch["v"]
            key = self.natural_key(values)
            ident = ("uuid", r.values["uuid"]) if r.values.get("uuid") else key
            if ident is not None and ident in seen:
                ctx.problem(r, None, f"与第{seen[ident]}行是同一条记录（重复登记）")
                continue
            if ident is not None:
                seen[ident] = r.row
            obj = by_uuid.get(r.values.get("uuid") or "")
            how = "uuid" if obj is not None else ""
            if obj is None:
                key = next((k for k in self.match_keys(values) if k in by_key), None)
                if key is not None:
                    obj, how = by_key[key], self.how_for(key)
            if obj is None:
                continue
            r.existing_id, r.match = obj.id, how
            current = {a: getattr(obj, a) for a in self.attrs}
            for a, v in values.items():
                if masked_mismatch(current.get(a), v):
                    ctx.problem(r, a, f"脱敏的{self.attrs[a]}与库中的不一致，未更新", "warning")
            diffs = changes_for(current, values, {k: self.attrs[k] for k in values if k in self.attrs}, self.formats)
            r.changes = [Change(label, old, new) for _k, label, old, new in diffs]
            r.scratch["apply"] = {k: values[k] for k, *_ in diffs}
            r.changes += self.extra_changes(ctx, r, obj)
            r.action = "update" if r.changes else "unchanged"

    def write(self, ctx, rows, tick) -> None:
        s = ctx.session
        for n, r in enumerate(rows, 1):
            if r.action == "new":
                values = {k: v for k, v in r.scratch["v"].items() if not isinstance(v, Masked)}
                obj = self.model(**values)
                if r.values.get("uuid"):
                    obj.uuid = r.values["uuid"]
                s.add(obj)
                s.flush()
                self.write_extra(ctx, r, obj)
            elif r.action == "update":
                obj = s.get(self.model, r.existing_id)
                for k, v in r.scratch["apply"].items():
                    setattr(obj, k, v)
                self.write_extra(ctx, r, obj)
            tick(n, len(rows))
        s.flush()


def unmasked(value: Any) -> Any:
    """``None`` for a masked number (the service cannot check it), else the value."""
    return None if isinstance(value, Masked) else value

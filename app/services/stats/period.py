"""The period (:class:`Period`) and the scope (:class:`Scope`) of a statistic, and how the command line's
options and the scope picker's keys turn into them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.services.formatting import format_date_cn, quarter_label, quarter_range
from app.services.regions import find_organization, region_name
from db.lookups import ORG_KIND, lookup_labels
from db.models import Organization

# =============================================================================================
# Period and scope


@dataclass(frozen=True)
class Period:
    """A closed date range ``start``..``end`` (both inclusive) with its Chinese label."""

    start: date
    end: date
    kind: str = "custom"  # year / quarter / month / custom
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            from app.services.validation import ValidationError

            raise ValidationError("统计期", f"统计期的截止日期（{self.end}）早于起始日期（{self.start}）")
        if not self.label:
            object.__setattr__(self, "label", f"{format_date_cn(self.start)}至{format_date_cn(self.end)}")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year", f"{year}年")

    @classmethod
    def quarter(cls, year: int, q: int) -> Period:
        start, end = quarter_range(year, q)
        return cls(start, end, "quarter", quarter_label(year, q))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), "month", f"{year}年{month}月")

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        return cls(start, end, "custom")

    @classmethod
    def years(cls, first: int, last: int) -> Period:
        if first == last:
            return cls.year(first)
        return cls(date(first, 1, 1), date(last, 12, 31), "years", f"{first}—{last}年")

    @property
    def key(self) -> str:
        """A short stable key: ``2025``, ``2025Q1``, ``2025-03``, ``2025-01-01_2025-03-15``."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month + 2) // 3}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        out = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def quarters(self) -> list[tuple[int, int]]:
        """(year, quarter) of every quarter the period touches, in order."""
        return list(dict.fromkeys((y, (m + 2) // 3) for y, m in self.months()))

    @property
    def quarter_aligned(self) -> bool:
        """True when the period is a whole number of calendar quarters."""
        return self.start.month in (1, 4, 7, 10) and self.start.day == 1 and (
            self.end == quarter_range(self.end.year, (self.end.month + 2) // 3)[1]
        )

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "label": self.label,
                "start": self.start.isoformat(), "end": self.end.isoformat()}


SCOPE_KINDS = {"all": "全部", "org": "调解组织", "org_kind": "组织类型", "region": "区县"}


@dataclass(frozen=True)
class Scope:
    """Whose cases: ``all``, one organization (``value`` = id), an organization kind (code) or a region
    (6-digit code; ``120000`` means every region code starting with ``12``)."""

    kind: str = "all"
    value: int | str | None = None
    label: str = "全部调解组织"

    @classmethod
    def all(cls) -> Scope:
        return cls()

    @classmethod
    def organization(cls, org_id: int, name: str = "") -> Scope:
        return cls("org", int(org_id), name or f"调解组织{org_id}")

    @classmethod
    def org_kind(cls, code: str, label: str = "") -> Scope:
        return cls("org_kind", str(code), label or str(code))

    @classmethod
    def region(cls, code: str, label: str = "") -> Scope:
        return cls("region", str(code), label or str(code))

    @property
    def key(self) -> str:
        """``all``, ``org:3``, ``org_kind:21``, ``region:120101`` (what :func:`scope_from_key` reads)."""
        return "all" if self.kind == "all" else f"{self.kind}:{self.value}"

    def org_filter(self):
        """SQL condition on ``Organization`` selecting the organizations in scope (None: all)."""
        if self.kind == "all":
            return None
        if self.kind == "org":
            return Organization.id == int(self.value)  # type: ignore[arg-type]
        if self.kind == "org_kind":
            return Organization.kind == str(self.value)
        if self.kind == "region":
            code = str(self.value)
            prefix = code
            while prefix.endswith("00") and len(prefix) > 2:
                prefix = prefix[:-2]
            return Organization.region_code.startswith(prefix) if prefix != code else Organization.region_code == code
        raise ValueError(f"unknown scope kind {self.kind!r}")

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "label": self.label}


def scope_from_key(session: Session, key: str | None) -> Scope:
    """The :class:`Scope` of a key from :attr:`Scope.key`, or of an organization id / name (``--org``)."""
    text = (key or "").strip()
    if not text or text == "all":
        return Scope.all()
    kind, _, value = text.partition(":")
    if kind == "org" and value:
        org = find_organization(session, value)
        return Scope.organization(org.id, org.name)
    if kind == "org_kind" and value:
        return Scope.org_kind(value, lookup_labels(session, ORG_KIND).get(value, value))
    if kind == "region" and value:
        return Scope.region(value, region_name(value) or value)
    org = find_organization(session, text)
    return Scope.organization(org.id, org.name)


def period_from_args(
    year: int | None = None,
    quarter: int | None = None,
    month: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    today: date | None = None,
) -> Period:
    """The period of the command-line options (``--year/--quarter/--month/--from/--to``); default: this year."""
    from app.services.validation import ValidationError

    today = today or date.today()
    if date_from is not None or date_to is not None:
        if year is not None or quarter is not None or month is not None:
            raise ValidationError("统计期", "--from/--to 不能与 --year/--quarter/--month 同时使用")
        start = date_from or date((date_to or today).year, 1, 1)
        end = date_to or today
        return Period.custom(start, end)
    if quarter is not None and month is not None:
        raise ValidationError("统计期", "--quarter 和 --month 只能给出一个")
    y = year or today.year
    if quarter is not None:
        return Period.quarter(y, quarter)
    if month is not None:
        return Period.month(y, month)
    return Period.year(y)


"""设置 → 节假日: the holiday arrangement of a year entered in the app from the State Council's notice (no Qt).

A year is kept as an ``AppSetting`` row ``holidays:YYYY`` (see :data:`app.services.calendar.DB_KEY_PREFIX`)
holding the same entry as the bundled ``resources/holidays-cn.json`` (``source``, ``holidays`` as
``[start, end, name]`` ranges of 放假, ``make_up_workdays`` for 调休上班), so it travels with the database's
backups; :meth:`app.services.calendar.WorkCalendar.load` reads it before the file.  Saving or removing a year
is one transaction with an ``AuditEntry`` and recomputes the stored 调解期限 of open cases under the new
calendar.  :func:`missing_year_warning` is the 首页 reminder from 1 November when next year is missing.

This module imports app.services (calendar, deadlines, settings, auth, validation, cases.states) and db.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.services import app_settings
from app.services.calendar import DB_KEY_PREFIX, WorkCalendar, stored_years
from app.services.validation import ValidationError

__all__ = [
    "FIELD",
    "HOLIDAY_NAMES",
    "WARN_FROM",
    "HolidayYear",
    "check_year",
    "delete_year",
    "list_years",
    "missing_year_warning",
    "save_year",
    "year_from_entry",
]

FIELD = "节假日安排"
#: The holidays the notices name, in their order (the editor offers them; other names are allowed).
HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
#: From this (month, day) the 首页 warns when next year's arrangement is missing.
WARN_FROM = (11, 1)


@dataclass
class HolidayYear:
    """One year's arrangement: 放假 ranges (inclusive) and 调休上班 days; ``stored`` when entered in the app."""

    year: int
    holidays: list[tuple[date, date, str]] = field(default_factory=list)
    make_up_workdays: list[date] = field(default_factory=list)
    source: str = ""
    stored: bool = False

    def entry(self) -> dict[str, Any]:
        """The JSON entry (same shape as a year of ``holidays-cn.json``)."""
        return {
            "source": self.source,
            "holidays": [[s.isoformat(), e.isoformat(), name] for s, e, name in self.holidays],
            "make_up_workdays": [d.isoformat() for d in self.make_up_workdays],
        }

    @property
    def days_off(self) -> int:
        return sum((e - s).days + 1 for s, e, _n in self.holidays)


def year_from_entry(year: int, entry: dict[str, Any], *, stored: bool = False) -> HolidayYear:
    """A :class:`HolidayYear` from a JSON entry (bad dates are skipped: the file's loader reports them)."""
    out = HolidayYear(int(year), source=str(entry.get("source") or ""), stored=stored)
    for item in entry.get("holidays") or []:
        try:
            out.holidays.append((date.fromisoformat(item[0]), date.fromisoformat(item[1]),
                                 str(item[2]) if len(item) > 2 else "法定节假日"))
        except (TypeError, ValueError, IndexError):
            continue
    for item in entry.get("make_up_workdays") or []:
        try:
            out.make_up_workdays.append(date.fromisoformat(str(item)))
        except ValueError:
            continue
    return out


def list_years(session: Session | None) -> list[HolidayYear]:
    """Every year known: the bundled file's and those entered in the app (these win), ascending."""
    data = WorkCalendar.read_file()
    years = {int(k): year_from_entry(int(k), v) for k, v in (data.get("years") or {}).items() if isinstance(v, dict)}
    if session is not None:
        for year, entry in stored_years(session).items():
            years[year] = year_from_entry(year, entry, stored=True)
    return [years[y] for y in sorted(years)]


def _err(detail: str) -> ValidationError:
    return ValidationError(FIELD, f"{FIELD}：{detail}")


def check_year(
    year: int, holidays: Iterable[Sequence[Any]], make_up_workdays: Iterable[date], source: str = ""
) -> HolidayYear:
    """A clean year (ranges sorted, duplicates dropped); :class:`ValidationError` naming what is wrong.

    A range must touch ``year`` (元旦 may begin on 30 or 31 December of the year before), end on or after its
    start and last at most 15 days; ranges must not overlap; a 调休上班 day must be a Saturday or Sunday of
    (or next to) the year, outside every range.
    """
    if not 2000 <= int(year) <= 2100:
        raise _err(f"年份“{year}”无效")
    year = int(year)
    clean: list[tuple[date, date, str]] = []
    for item in holidays:
        start, end = item[0], item[1]
        name = (str(item[2]).strip() if len(item) > 2 and item[2] else "") or "法定节假日"
        if end < start:
            raise _err(f"{name} {start}–{end} 结束日期早于开始日期")
        if end.year < year or start.year > year:
            raise _err(f"{name} {start}–{end} 不在{year}年")
        if (end - start).days >= 15:
            raise _err(f"{name} {start}–{end} 超过15天，请核对")
        clean.append((start, end, name[:20]))
    clean.sort()
    for (_s1, e1, n1), (s2, _e2, n2) in zip(clean, clean[1:], strict=False):
        if s2 <= e1:
            raise _err(f"{n1}与{n2}的放假日期重叠")
    days: list[date] = []
    for d in make_up_workdays:
        if abs(d.year - year) > 1 or (d.year != year and d.month not in (1, 12)):
            raise _err(f"调休上班日 {d} 不在{year}年")
        if d.weekday() < 5:
            raise _err(f"调休上班日 {d} 不是周六或周日（工作日本来就上班）")
        if any(s <= d <= e for s, e, _n in clean):
            raise _err(f"调休上班日 {d} 在放假期间内")
        if d not in days:
            days.append(d)
    if not clean:
        raise _err(f"{year}年至少要有一段放假日期")
    return HolidayYear(year, clean, sorted(days), (source or "").strip()[:200], stored=True)


def _recompute_open_cases(s: Session, calendar: WorkCalendar) -> int:
    """The stored 调解期限 of open cases under ``calendar``; returns how many changed."""
    from app.services.cases.states import _OPEN, _S
    from app.services.deadlines import mediation_due
    from db.models import Case

    basis = app_settings.get_mediation_start_basis(s)
    rows = s.scalars(select(Case).where(Case.status.in_([str(x) for x in _OPEN]), Case.deleted_at.is_(None),
                                        Case.extended_to.is_(None)))
    changed = 0
    for case in rows:
        due = None if case.status == _S.REJECTED else mediation_due(
            case.received_on, case.accepted_on, basis, case.extended_to, calendar)
        new = due.due if due else None
        if case.mediation_due_on != new:
            case.mediation_due_on = new
            changed += 1
    return changed


def _write(session_factory: sessionmaker[Session], year: int, entry: dict[str, Any] | None, summary: str,
           user_login: str | None) -> int:
    from app.services.auth import SETTINGS, require
    from db.models import AppSetting, AuditEntry

    key = f"{DB_KEY_PREFIX}{year}"
    with session_factory.begin() as s:
        require(s, SETTINGS)
        row = s.scalar(select(AppSetting).where(AppSetting.key == key))
        before = row.value if row is not None else None
        if entry is None:
            if row is not None:
                s.delete(row)
        else:
            app_settings.set_setting(s, key, entry)
        s.flush()
        file_data = WorkCalendar.read_file()
        from app.services.calendar import merge_years

        calendar = WorkCalendar.from_data(merge_years(file_data, stored_years(s)))
        changed = _recompute_open_cases(s, calendar)
        if changed:
            summary += f"，重算{changed}件未结案件的调解期限"
        s.add(AuditEntry(user_login=user_login, action="setting", entity="setting", entity_uuid=None,
                         summary=summary[:400], before={key: before}, after={key: entry}))
    return changed


def save_year(
    session_factory: sessionmaker[Session],
    year: int,
    holidays: Iterable[Sequence[Any]],
    make_up_workdays: Iterable[date] = (),
    source: str = "",
    *,
    user_login: str | None = None,
) -> tuple[HolidayYear, int]:
    """Check and store a year's arrangement (replacing the file's for that year); returns the clean year and
    how many open cases got a new 调解期限."""
    clean = check_year(year, holidays, make_up_workdays, source)
    summary = f"录入{clean.year}年节假日安排（放假{clean.days_off}天，调休上班{len(clean.make_up_workdays)}天）"
    return clean, _write(session_factory, clean.year, clean.entry(), summary, user_login)


def delete_year(session_factory: sessionmaker[Session], year: int, *, user_login: str | None = None) -> int:
    """Remove a year entered in the app (the bundled file's arrangement, if any, is in force again)."""
    return _write(session_factory, int(year), None, f"删除本机录入的{year}年节假日安排", user_login)


def missing_year_warning(covered_years: Iterable[int], today: date) -> str | None:
    """The 首页 reminder: this year missing (any day), or next year missing from 1 November; else ``None``."""
    covered = set(covered_years)
    missing = [today.year] if today.year not in covered else []
    if (today.month, today.day) >= WARN_FROM and today.year + 1 not in covered:
        missing.append(today.year + 1)
    if not missing:
        return None
    years = "、".join(f"{y}年" for y in missing)
    return (f"节假日日历尚未包含{years}的放假和调休安排，涉及{years}的期限只按周一至周五计算。"
            f"国务院办公厅发布通知后，请在「设置 → 节假日」中录入。")

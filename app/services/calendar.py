"""Working-day calendar built from the State Council's yearly holiday notices (no Qt).

The bundled file ``resources/holidays-cn.json`` lists, per year, the holiday ranges (放假, inclusive) and the
weekend days that are working days (调休上班).  A working day is a Monday–Friday outside every holiday range,
or any listed make-up day.  Years the office enters itself (设置 → 节假日, :mod:`app.services.holidays`) are
``AppSetting`` rows ``holidays:YYYY`` in the database (they travel with its backups); given a session factory,
:meth:`WorkCalendar.load` reads those first and the file for the other years.  When a deadline reaches a year
neither covers, the result says so (and only Monday–Friday are counted there) instead of silently guessing
(domain.md §3).

Two ways of counting (forms.md §6.2):

- working-day periods (受理 within 3 working days): :meth:`WorkCalendar.workday_deadline`;
- calendar-day periods (调解 15 days, 仲裁审查 15 days): :meth:`WorkCalendar.calendar_deadline`, counted per
  《民法典》第201条 (the first day is not counted) and 第203条 (a last day that is a statutory holiday moves
  to the first working day after it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

__all__ = [
    "CalendarError",
    "Deadline",
    "Holiday",
    "WorkCalendar",
    "merge_years",
    "stored_years",
    "uncovered_warning",
]

CALENDAR_FILE = "holidays-cn.json"
#: ``AppSetting`` key of a year entered in the app: ``holidays:2027`` → the year's entry as in the file.
DB_KEY_PREFIX = "holidays:"


class CalendarError(Exception):
    """The holiday file is missing or malformed; the message is Chinese and can be shown as is."""


@dataclass(frozen=True)
class Holiday:
    start: date
    end: date
    name: str

    def __contains__(self, d: date) -> bool:
        return self.start <= d <= self.end


def uncovered_warning(years: Iterable[int], *, calendar_days: bool = False) -> str | None:
    """The warning shown when a deadline reaches years missing from the holiday file (``None`` if none)."""
    years = sorted(set(years))
    if not years:
        return None
    shown = "、".join(f"{y}年" for y in years)
    if calendar_days:
        return f"{shown}节假日安排尚未录入，期限末日是否为法定节假日无法判断，未作顺延，请核对"
    return f"{shown}节假日安排尚未录入，按周一至周五计算"


@dataclass(frozen=True)
class Deadline:
    """A computed deadline: the date, and the years it touched that the holiday file does not cover.

    ``exact`` is False when part of the count fell outside the covered years; ``warning`` then holds the
    Chinese sentence to show next to the date.
    """

    due: date
    uncovered_years: tuple[int, ...] = ()
    calendar_days: bool = False

    @property
    def exact(self) -> bool:
        return not self.uncovered_years

    @property
    def warning(self) -> str | None:
        return uncovered_warning(self.uncovered_years, calendar_days=self.calendar_days)


def _iso(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CalendarError(f"节假日文件格式错误：{where} 的日期“{value}”无效（应写成 2026-01-01）") from None


class WorkCalendar:
    """Holidays and make-up working days; answers "is this a working day" and computes deadlines."""

    def __init__(
        self,
        holidays: Iterable[Holiday] = (),
        make_up_workdays: Iterable[date] = (),
        years: Iterable[int] = (),
        sources: Mapping[int, str] | None = None,
    ) -> None:
        self.holidays: tuple[Holiday, ...] = tuple(sorted(holidays, key=lambda h: h.start))
        self.make_up_workdays: frozenset[date] = frozenset(make_up_workdays)
        self._years = frozenset(years)
        self.sources: dict[int, str] = dict(sources or {})
        days: dict[date, str] = {}
        for h in self.holidays:
            d = h.start
            while d <= h.end:
                days[d] = h.name
                d += timedelta(days=1)
        self._holiday_days = days
        #: Years whose arrangement came from the database (entered in the app), not the bundled file.
        self.db_years: frozenset[int] = frozenset()

    def update_from(self, other: WorkCalendar) -> None:
        """Take ``other``'s holidays in place (holders of this object, e.g. a case service and its table
        model, see the years just entered without being rebuilt)."""
        self.__dict__.update(other.__dict__)

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | str | None = None, *, session_factory: Any = None) -> WorkCalendar:
        """Read the calendar from ``path`` (default ``resources/holidays-cn.json``); with ``session_factory``
        the years entered in the app replace the file's (a database that cannot be read adds none)."""
        data = cls.read_file(path)
        if session_factory is not None:
            try:
                with session_factory() as session:
                    stored = stored_years(session)
            except Exception:  # an old schema, a damaged or locked file: the bundled years still count
                import logging

                logging.getLogger(__name__).info("holiday years in the database not readable", exc_info=True)
                stored = {}
            data = merge_years(data, stored)
        cal = cls.from_data(data)
        cal.db_years = frozenset(stored_year_numbers(data))
        return cal

    @staticmethod
    def read_file(path: Path | str | None = None) -> dict[str, Any]:
        """The parsed bundled file (``CalendarError`` when it is missing or not JSON)."""
        if path is None:
            from app.core.paths import resource_path

            path = resource_path(CALENDAR_FILE)
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CalendarError(f"找不到节假日文件：{path}") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CalendarError(f"节假日文件无法读取或格式错误：{path}（{exc}）") from None
        if not isinstance(data, dict):
            raise CalendarError("节假日文件格式错误：缺少“years”")
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> WorkCalendar:
        """Build from the parsed JSON (``{"years": {"2024": {"holidays": [[start, end, name]], ...}}}``)."""
        years_data = data.get("years") if isinstance(data, Mapping) else None
        if not isinstance(years_data, Mapping):
            raise CalendarError("节假日文件格式错误：缺少“years”")
        holidays: list[Holiday] = []
        make_up: list[date] = []
        years: list[int] = []
        sources: dict[int, str] = {}
        for key, entry in years_data.items():
            try:
                year = int(key)
            except ValueError:
                raise CalendarError(f"节假日文件格式错误：年份“{key}”无效") from None
            if not isinstance(entry, Mapping):
                raise CalendarError(f"节假日文件格式错误：{year}年的内容无效")
            years.append(year)
            if entry.get("source"):
                sources[year] = str(entry["source"])
            for item in entry.get("holidays") or []:
                if not isinstance(item, list | tuple) or len(item) < 2:
                    raise CalendarError(f"节假日文件格式错误：{year}年的假期“{item}”应为 [开始, 结束, 名称]")
                start, end = _iso(item[0], f"{year}年假期"), _iso(item[1], f"{year}年假期")
                if end < start:
                    raise CalendarError(f"节假日文件格式错误：{year}年假期 {start}–{end} 结束早于开始")
                name = str(item[2]) if len(item) > 2 else "法定节假日"
                holidays.append(Holiday(start, end, name))
            for item in entry.get("make_up_workdays") or []:
                make_up.append(_iso(item, f"{year}年调休上班日"))
        return cls(holidays, make_up, years, sources)

    # -- questions about one day ----------------------------------------------------------------

    @property
    def covered_years(self) -> tuple[int, ...]:
        """Years whose holiday notice is in the file, ascending."""
        return tuple(sorted(self._years))

    def covers(self, d: date) -> bool:
        """Whether the holiday arrangement of ``d``'s year is known."""
        return d.year in self._years

    def is_holiday(self, d: date) -> bool:
        """A statutory holiday: a date inside one of the holiday ranges (weekends alone are not)."""
        return d in self._holiday_days

    def holiday_name(self, d: date) -> str | None:
        return self._holiday_days.get(d)

    def is_workday(self, d: date) -> bool:
        """Monday–Friday outside the holiday ranges, or a make-up working day (调休上班)."""
        if d in self.make_up_workdays:
            return True
        if d in self._holiday_days:
            return False
        return d.weekday() < 5

    # -- deadlines ------------------------------------------------------------------------------

    def workday_deadline(self, start: date, n: int) -> Deadline:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted).

        ``n == 0`` gives ``start``.  Years outside the file count Monday–Friday only and are reported.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        uncovered: set[int] = set()
        d = start
        counted = 0
        while counted < n:
            d += timedelta(days=1)
            if not self.covers(d):
                uncovered.add(d.year)
            if self.is_workday(d):
                counted += 1
        return Deadline(d, tuple(sorted(uncovered)))

    def add_workdays(self, d: date, n: int) -> date:
        """The date of :meth:`workday_deadline` (use that one when the warning matters)."""
        return self.workday_deadline(d, n).due

    def calendar_deadline(self, start: date, days: int) -> Deadline:
        """A period of ``days`` calendar days from ``start`` (民法典 第201、203条).

        The first day is not counted, so the last day is ``start + days``.  If that day is a statutory
        holiday it moves to the first working day after the holiday.  When the last day lies in a year the
        file does not cover, it is not moved and the result carries a warning.
        """
        due = start + timedelta(days=days)
        uncovered: set[int] = set()
        if not self.covers(due):
            uncovered.add(due.year)
        if self.is_holiday(due):
            while not self.is_workday(due):
                due += timedelta(days=1)
                if not self.covers(due):
                    uncovered.add(due.year)
        return Deadline(due, tuple(sorted(uncovered)), calendar_days=True)

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
        count = 0
        d = start
        while d < end:
            d += timedelta(days=1)
            if self.is_workday(d):
                count += 1
        return count

    def __repr__(self) -> str:
        years = ", ".join(str(y) for y in self.covered_years)
        return f"<WorkCalendar years=[{years}] holidays={len(self.holidays)}>"


# --- years entered in the app (AppSetting rows) ---------------------------------------------------------


def stored_years(session: Any) -> dict[int, dict[str, Any]]:
    """The years entered in the app: ``{2027: {"source": …, "holidays": [[s, e, name]], "make_up_workdays": […]}}``."""
    from sqlalchemy import select

    from db.models import AppSetting

    rows = session.execute(select(AppSetting.key, AppSetting.value).where(AppSetting.key.like(DB_KEY_PREFIX + "%")))
    out: dict[int, dict[str, Any]] = {}
    for key, value in rows:
        try:
            year = int(str(key)[len(DB_KEY_PREFIX):])
        except ValueError:
            continue
        if isinstance(value, dict):
            out[year] = dict(value, stored=True)
    return dict(sorted(out.items()))


def merge_years(data: Mapping[str, Any], stored: Mapping[int, Mapping[str, Any]]) -> dict[str, Any]:
    """The file's data with the stored years replacing (or adding to) its years."""
    years = dict(data.get("years") or {}) if isinstance(data.get("years"), Mapping) else {}
    for year, entry in stored.items():
        years[str(year)] = dict(entry, stored=True)
    return {**data, "years": years}


def stored_year_numbers(data: Mapping[str, Any]) -> list[int]:
    """Years of merged data that came from the database."""
    years = data.get("years") or {}
    return [int(k) for k, v in years.items() if isinstance(v, Mapping) and v.get("stored")]

"""SQL expressions that SQLite and PostgreSQL spell differently, each one compiled per dialect.

SQLite keeps dates as ISO text and has ``strftime`` / ``julianday`` / ``instr`` / ``group_concat``;
PostgreSQL has real ``date`` values with ``to_char`` / ``extract`` / date arithmetic / ``strpos`` /
``string_agg``. Services use these functions and never spell either form themselves. SQLite's SQL is exactly
what the services emitted before (the desktop edition's queries and plans are unchanged). Imports only SQLAlchemy.
"""

from __future__ import annotations

from sqlalchemy import Date, Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class _Fn(FunctionElement):
    inherit_cache = True


class month_of(_Fn):  # noqa: N801  (used like a SQL function)
    """'2025-03' of a date column (SQLite: substr of the ISO text, far cheaper than strftime)."""
    type = String()
    name = "month_of"
    inherit_cache = True


class year_of(_Fn):  # noqa: N801
    """The year of a date column, an integer."""
    type = Integer()
    name = "year_of"
    inherit_cache = True


class days_between(_Fn):  # noqa: N801
    """Whole days from the first date column to the second (``later - earlier``), an integer."""
    type = Integer()
    name = "days_between"
    inherit_cache = True


class date_plus_days(_Fn):  # noqa: N801
    """A date column plus a constant whole number of days (SQLite: the ISO text of the day)."""
    type = Date()
    name = "date_plus_days"
    inherit_cache = True


class position_in(_Fn):  # noqa: N801
    """1-based position of the second string in the first, 0 when absent (SQLite's ``instr``)."""
    type = Integer()
    name = "position_in"
    inherit_cache = True


class joined(_Fn):  # noqa: N801
    """Aggregate: the values of a column joined with a separator (``group_concat`` / ``string_agg``)."""
    type = String()
    name = "joined"
    inherit_cache = True


def _args(compiler, element, **kw) -> list[str]:
    return [compiler.process(c, **kw) for c in element.clauses]


def _days_literal(element) -> int:
    return int(list(element.clauses)[1].value)


@compiles(month_of)
def _month_sqlite(element, compiler, **kw):
    return f"substr({_args(compiler, element, **kw)[0]}, 1, 7)"


@compiles(month_of, "postgresql")
def _month_pg(element, compiler, **kw):
    return f"to_char({_args(compiler, element, **kw)[0]}, 'YYYY-MM')"


@compiles(year_of)
def _year_sqlite(element, compiler, **kw):
    return f"CAST(strftime('%Y', {_args(compiler, element, **kw)[0]}) AS INTEGER)"


@compiles(year_of, "postgresql")
def _year_pg(element, compiler, **kw):
    return f"CAST(extract(year FROM {_args(compiler, element, **kw)[0]}) AS INTEGER)"


@compiles(days_between)
def _days_sqlite(element, compiler, **kw):
    earlier, later = _args(compiler, element, **kw)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_pg(element, compiler, **kw):
    earlier, later = _args(compiler, element, **kw)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


@compiles(date_plus_days)
def _plus_sqlite(element, compiler, **kw):
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"date({column}, '{_days_literal(element):+d} days')"


@compiles(date_plus_days, "postgresql")
def _plus_pg(element, compiler, **kw):
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"(CAST({column} AS DATE) + {_days_literal(element):d})"


@compiles(position_in)
def _position_sqlite(element, compiler, **kw):
    return "instr({}, {})".format(*_args(compiler, element, **kw))


@compiles(position_in, "postgresql")
def _position_pg(element, compiler, **kw):
    return "strpos({}, {})".format(*_args(compiler, element, **kw))


@compiles(joined)
def _joined_sqlite(element, compiler, **kw):
    return "group_concat({}, {})".format(*_args(compiler, element, **kw))


@compiles(joined, "postgresql")
def _joined_pg(element, compiler, **kw):
    return "string_agg({}, {})".format(*_args(compiler, element, **kw))


def sync_id_sequences(connection, tables=None) -> None:
    """After rows were inserted with explicit ids (the demo builder, bulk writers): move PostgreSQL's id
    sequences past the highest id, so the next ordinary insert does not collide. SQLite needs nothing
    (its next rowid is always max + 1). ``tables``: names, default every table of the models."""
    if connection.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    if tables is None:
        import db.models  # noqa: F401  (registers every table)
        from db.base import Base

        tables = [t.name for t in Base.metadata.sorted_tables if "id" in t.c]
    for name in tables:
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM \"{name}\"), 0) + 1, false)"))

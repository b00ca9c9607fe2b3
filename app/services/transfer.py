"""Copying a whole database to another one (``python -m app transfer``): a desktop file into the institute's
PostgreSQL server, or the server back into a SQLite file for a laptop.

Idempotent by UUID: every row of every table is looked up in the target by its ``uuid`` (else by the table's
own unique key — a lookup item's category and code, a setting's key, a case's organization and number … —
whose row then takes the source's uuid), inserted when absent, updated when any value differs, left alone
when equal; run twice, the second run changes nothing. Rows only in the target stay. Foreign keys are
mapped through the uuids (parents are copied first), so the two databases' ids need not agree: a source id
free in the target is kept, else the target gives a new one. Everything is written in ONE transaction of
the target (SQLite: ``BEGIN IMMEDIATE``, the write lock taken at once; the caller holds the single-writer
lock of the file); the source is read in one snapshot. Afterwards PostgreSQL's id sequences are moved past
the highest id (:func:`db.portable.sync_id_sequences`) and a SQLite target's search index is refreshed for
the cases written. Returns a :class:`TransferReport` (per table: new / updated / same).

Imports ``db`` only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, UniqueConstraint, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

TABLE_LABELS = {
    "organizations": "调解组织",
    "organization_titles": "组织荣誉",
    "gold_assessments": "金牌自评",
    "mediators": "调解员",
    "mediator_trainings": "调解员培训",
    "enterprises": "企业",
    "volunteers": "志愿者",
    "volunteer_contacts": "联系企业",
    "service_records": "志愿服务记录",
    "service_record_volunteers": "服务记录的志愿者",
    "service_record_enterprises": "服务记录的企业",
    "satisfaction_surveys": "满意度调查",
    "cases": "调解案件",
    "case_parties": "当事人",
    "case_claims": "调解请求",
    "case_mediators": "案件调解员",
    "mediation_sessions": "调解记录",
    "agreements": "调解协议",
    "performance_records": "履行情况",
    "return_visits": "回访记录",
    "case_number_counters": "案号计数",
    "lookup_items": "选项列表",
    "app_settings": "设置",
    "users": "用户",
    "audit_entries": "操作日志",
    "report_texts": "报告文字",
    "submissions": "报送记录",
    "key_tasks": "重点任务",
    "key_task_progress": "任务进展",
    "labour_coordinators": "劳动关系协调员",
    "coordinator_trainings": "协调员培训",
    "coordinator_golds": "金牌协调员推荐",
    "labour_social_orgs": "协调劳动关系社会组织",
    "social_org_surveys": "社会组织满意度调查",
    "social_org_projects": "政府购买服务项目",
}


class TransferError(Exception):
    """The copy failed and was rolled back (one Chinese line; the target is as it was)."""


@dataclass
class TableReport:
    table: str
    new: int = 0
    updated: int = 0
    same: int = 0

    @property
    def label(self) -> str:
        return TABLE_LABELS.get(self.table, self.table)


@dataclass
class TransferReport:
    tables: list[TableReport] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(t.new for t in self.tables)

    @property
    def updated(self) -> int:
        return sum(t.updated for t in self.tables)

    @property
    def same(self) -> int:
        return sum(t.same for t in self.tables)

    def table(self, name: str) -> TableReport:
        return next(t for t in self.tables if t.table == name)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {t.table: {"new": t.new, "updated": t.updated, "same": t.same} for t in self.tables}


ProgressFn = Callable[[int, int, str], None]


def model_tables() -> list[Table]:
    """Every table of the models, parents before children."""
    import db.models  # noqa: F401  (registers every table)
    from db.base import Base

    return [t for t in Base.metadata.sorted_tables if "uuid" in t.c and "id" in t.c]


def _unique_keys(table: Table) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = []
    for con in table.constraints:
        if isinstance(con, UniqueConstraint):
            keys.append(tuple(c.name for c in con.columns))
    keys += [(c.name,) for c in table.c if c.unique]
    return [k for k in dict.fromkeys(keys) if k != ("uuid",) and k != ("id",)]


def _foreign_keys(table: Table) -> list[tuple[str, str]]:
    return [(c.name, next(iter(c.foreign_keys)).column.table.name) for c in table.c if c.foreign_keys]


def _key_of(values: dict[str, Any], key: tuple[str, ...]) -> tuple | None:
    found = tuple(values.get(c) for c in key)
    return None if any(v is None for v in found) else found


class _Copier:
    def __init__(self, src: Connection, dst: Connection) -> None:
        self.src = src
        self.dst = dst
        self.src_uuid: dict[str, dict[int, str]] = {}  # table → source id → uuid
        self.dst_id: dict[str, dict[str, int]] = {}  # table → uuid → target id
        self.written_cases: set[int] = set()

    def _map_row(self, table: Table, row: dict[str, Any], fks: list[tuple[str, str]]) -> dict[str, Any]:
        values = {k: v for k, v in row.items() if k != "id"}
        for col, parent in fks:
            ref = values.get(col)
            if ref is None:
                continue
            uuid = self.src_uuid[parent].get(ref)
            target = self.dst_id[parent].get(uuid) if uuid is not None else None
            if target is None:  # a dangling reference in the source (foreign keys were off): keep it out
                log.warning("transfer: %s.%s points at a missing %s row", table.name, col, parent)
                if not table.c[col].nullable:
                    raise TransferError(f"源数据库中“{TABLE_LABELS.get(table.name, table.name)}”有引用不存在的记录，无法复制")
            values[col] = target
        return values

    def copy_table(self, table: Table) -> TableReport:
        report = TableReport(table.name)
        fks = _foreign_keys(table)
        keys = _unique_keys(table)
        src_rows = [dict(r) for r in self.src.execute(select(table).order_by(table.c.id)).mappings()]
        self.src_uuid[table.name] = {r["id"]: r["uuid"] for r in src_rows}
        src_uuids = {r["uuid"] for r in src_rows}
        dst_rows = [dict(r) for r in self.dst.execute(select(table)).mappings()]
        by_uuid = {r["uuid"]: r for r in dst_rows}
        by_key = {k: {_key_of(r, k): r for r in dst_rows if _key_of(r, k) is not None} for k in keys}
        used_ids = {r["id"] for r in dst_rows}
        ids = {r["uuid"]: r["id"] for r in dst_rows}
        self.dst_id[table.name] = ids
        keep_id: list[dict[str, Any]] = []
        fresh_id: list[dict[str, Any]] = []
        for row in src_rows:
            values = self._map_row(table, row, fks)
            match = by_uuid.get(values["uuid"])
            if match is None:
                for k in keys:
                    candidate = by_key[k].get(_key_of(values, k))
                    if candidate is not None and candidate["uuid"] not in src_uuids:
                        match = candidate
                        break
            if match is None:
                report.new += 1
                if row["id"] not in used_ids:
                    used_ids.add(row["id"])
                    keep_id.append({"id": row["id"], **values})
                else:
                    fresh_id.append(values)
                continue
            ids.pop(match["uuid"], None)
            ids[values["uuid"]] = match["id"]
            if all(_same(match.get(k), v) for k, v in values.items()):
                report.same += 1
                continue
            report.updated += 1
            self.dst.execute(update(table).where(table.c.id == match["id"]).values(**values))
            self._note(table, match["id"], values)
        if keep_id:
            for start in range(0, len(keep_id), 500):
                self.dst.execute(insert(table), keep_id[start:start + 500])
            for values in keep_id:
                ids[values["uuid"]] = values["id"]
                self._note(table, values["id"], values)
        if fresh_id:
            from db.portable import sync_id_sequences

            sync_id_sequences(self.dst, [table.name])  # the explicit ids above must not be handed out again
            for values in fresh_id:
                new_id = self.dst.execute(insert(table).values(**values)).inserted_primary_key[0]
                ids[values["uuid"]] = new_id
                self._note(table, new_id, values)
        return report

    def _note(self, table: Table, row_id: int, values: dict[str, Any]) -> None:
        if table.name == "cases":
            self.written_cases.add(row_id)
        elif table.name == "case_parties" and values.get("case_id") is not None:
            self.written_cases.add(values["case_id"])


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, memoryview):
        a = bytes(a)
    if isinstance(b, memoryview):
        b = bytes(b)
    return a == b


def transfer(source: Engine, target: Engine, *, progress: ProgressFn | None = None) -> TransferReport:
    """Copy every row of ``source`` into ``target`` (both already at this program's schema revision)."""
    tables = model_tables()
    report = TransferReport()
    current = ""
    try:
        with source.connect() as src, target.connect() as dst:
            if source.dialect.name == "postgresql":
                src = src.execution_options(isolation_level="REPEATABLE READ")
            with src.begin(), dst.begin():
                if source.dialect.name == "sqlite":
                    src.exec_driver_sql("BEGIN")  # one snapshot for every table (pysqlite begins only for writes)
                if target.dialect.name == "sqlite":
                    dst.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, not half-way through
                copier = _Copier(src, dst)
                for i, table in enumerate(tables):
                    current = table.name
                    if progress is not None:
                        progress(i, len(tables), TABLE_LABELS.get(table.name, table.name))
                    report.tables.append(copier.copy_table(table))
                current = ""
                if report.new or report.updated:
                    from db.portable import sync_id_sequences
                    from db.search_index import refresh_search_index

                    sync_id_sequences(dst)
                    refresh_search_index(dst, copier.written_cases)
                if progress is not None:
                    progress(len(tables), len(tables), "完成")
    except TransferError:
        raise
    except DBAPIError as exc:
        where = f"（{TABLE_LABELS.get(current, current)}）" if current else ""
        detail = str(getattr(exc, "orig", exc) or "").strip().splitlines()
        log.error("transfer failed at %s: %s", current or "-", detail[0][:200] if detail else type(exc).__name__)
        raise TransferError(f"复制数据失败{where}，目标数据库未作任何改动（详情见日志）") from exc
    return report


def format_report(report: TransferReport) -> list[str]:
    """The report as Chinese lines: one per table with rows, then the totals."""
    lines = [f"  {t.label}：新增 {t.new}，更新 {t.updated}，相同 {t.same}"
             for t in report.tables if t.new or t.updated or t.same]
    lines.append(f"合计：新增 {report.new}，更新 {report.updated}，相同 {report.same}")
    return lines


def _same_database(a: Any, b: Any) -> bool:
    from pathlib import Path

    from db.engines import display_url, is_database_url

    if is_database_url(a) or is_database_url(b):
        return is_database_url(a) and is_database_url(b) and display_url(a) == display_url(b)
    return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()


def transfer_databases(source: Any, target: Any, *, progress: ProgressFn | None = None) -> TransferReport:
    """``python -m app transfer --from SOURCE --to TARGET``: each a SQLite file or a ``postgresql://`` URL.

    The source must exist (an older one is upgraded as on opening); the target is created when new (a file)
    or empty (a server database). A SQLite target is taken with the single-writer lock first
    (:class:`TransferError` when the program has it open). Errors are :class:`TransferError` /
    :class:`db.check.DatabaseError`, one Chinese line each."""
    from pathlib import Path

    from app.services.dblock import DatabaseLock, DatabaseLocked
    from db.engines import is_database_url
    from db.session import open_database

    if _same_database(source, target):
        raise TransferError("源数据库与目标数据库相同，无需复制")
    if not is_database_url(source) and not Path(source).exists():
        raise TransferError(f"源数据库文件不存在：{source}")
    lock = None
    if not is_database_url(target):
        try:
            lock = DatabaseLock(Path(target).expanduser().resolve()).acquire()
        except DatabaseLocked as exc:
            busy = "目标数据库正被调解工作台或另一个程序使用，请先关闭后再复制"
            raise TransferError(f"{busy}：{target}" if exc.busy else str(exc)) from None
    try:
        src = open_database(source, create=False)
        try:
            dst = open_database(target, create=True)
            try:
                return transfer(src.engine, dst.engine, progress=progress)
            finally:
                dst.engine.dispose()
        finally:
            src.engine.dispose()
    finally:
        if lock is not None:
            lock.release()

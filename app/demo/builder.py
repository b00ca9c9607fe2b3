"""The demo builder: :func:`generate_demo` runs the generator parts in order inside one transaction."""

from __future__ import annotations

import random
from dataclasses import fields
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.demo.cases import _CaseGen
from app.demo.common import DemoSummary, ProgressFn, _Ent, _Org, _Vol, _Writer, _years_before
from app.demo.directory import _DirectoryGen
from app.demo.ledgers import write_ledger_demo
from app.demo.timeline import _TimelineGen
from app.demo.volunteering import _VolunteeringGen
from db import models as m
from db.enums import CaseStatus, CloseType
from db.portable import sync_id_sequences
from db.search_index import rebuild_search_index


class _Generator(_DirectoryGen, _VolunteeringGen, _TimelineGen, _CaseGen):
    """All the parts, with their shared state."""

    def __init__(self, session: Session, seed: int, n_cases: int, today: date, salt: str,
                 progress: ProgressFn | None):
        self.session = session
        self.seed = seed
        self.n_cases = n_cases
        self.today = today
        self.start = _years_before(today, 3) + timedelta(days=1)
        self.progress = progress

        def stream(name: str) -> random.Random:
            return random.Random(f"mediation-desk-demo:{seed}:{salt}:{name}")

        self.stream = stream
        self.w = _Writer(session, stream("uuid"))
        self.orgs: list[_Org] = []
        self.ents: list[_Ent] = []
        self.vols: list[_Vol] = []
        self.summary = DemoSummary()

    # -- users and audit ---------------------------------------------------------------------
    def users(self) -> None:
        if not self.session.scalar(select(func.count()).select_from(m.User).where(m.User.login == "admin")):
            self.w.add(m.User, {"login": "admin", "display_name": "管理员", "role": "admin", "organization_id": None,
                                "password_hash": None, "active": True})


# ---------------------------------------------------------------------------------------------
# Entry point


def generate_demo(
    session_factory: sessionmaker[Session],
    *,
    seed: int = 1,
    cases: int = 2000,
    today: date | None = None,
    progress: ProgressFn | None = None,
    allow_existing: bool = False,
) -> DemoSummary:
    """Fill the database with demo data and return how many rows of each kind were written.

    Refuses (``ValueError``) when the database already holds organizations, unless ``allow_existing``;
    then the new rows are added beside the old ones (new UUIDs and credit codes, drawn deterministically
    from the seed and the number of organizations already present). All rows are written in one
    transaction: on any error nothing is kept.
    """
    if cases < 0:
        raise ValueError("案件数量不能为负数")
    today = today or date.today()
    with session_factory() as session:
        existing = session.scalar(select(func.count()).select_from(m.Organization)) or 0
        if existing and not allow_existing:
            raise ValueError(f"数据库中已有数据（{existing} 个调解组织），为避免混淆，不能再生成演示数据。请新建一个空数据库后再试。")
        connection = session.connection()
        raw = connection.connection.driver_connection
        on_sqlite = connection.dialect.name == "sqlite"  # the PRAGMAs are SQLite's (PostgreSQL: db.portable)
        if on_sqlite:
            sync = raw.execute("PRAGMA synchronous").fetchone()[0]
            cache = raw.execute("PRAGMA cache_size").fetchone()[0]
            raw.execute("PRAGMA synchronous=OFF")
            raw.execute("PRAGMA cache_size=-65536")
        try:
            gen = _Generator(session, seed, cases, today, f"existing{existing}" if existing else "", progress)
            gen._report(0, cases, "正在生成调解组织、企业和志愿者…")
            gen.enterprises()
            gen.organizations()
            gen.enterprise_pools()
            gen.volunteers()
            gen.services()
            write_ledger_demo(gen)  # issue 17: key tasks, coordinators, social organizations
            gen.users()
            gen.w.flush()
            plans = gen.plan_cases()
            gen.write_cases(plans)
            gen.w.add(m.AuditEntry, {
                "user_login": "admin", "action": "demo_generate", "entity": "database", "entity_uuid": None,
                "summary": f"生成演示数据：随机种子 {seed}，案件 {cases} 件，截止日期 {today.isoformat()}",
                "before": None, "after": {"seed": seed, "cases": cases, "today": today.isoformat()},
            })
            gen.w.flush()
            rebuild_search_index(connection)  # db.search_index: the case list's search index, in this transaction
            sync_id_sequences(connection)  # the rows carry their ids: PostgreSQL's sequences move past them
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            if on_sqlite:
                raw.execute(f"PRAGMA synchronous={int(sync)}")
                raw.execute(f"PRAGMA cache_size={int(cache)}")
        try:
            if on_sqlite:
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception:  # another reader may hold the WAL; the next checkpoint will do
            pass
    summary = gen.summary
    for f in fields(summary):
        if isinstance(getattr(summary, f.name), int):
            setattr(summary, f.name, gen.w.counts.get(f.name, 0))
    summary.status_counts = dict(sorted(summary.status_counts.items(), key=lambda kv: list(CaseStatus).index(kv[0])))
    summary.close_type_counts = dict(sorted(summary.close_type_counts.items(),
                                            key=lambda kv: list(CloseType).index(kv[0])))
    gen._report(cases, cases, "演示数据生成完成")
    return summary

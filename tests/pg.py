"""A throw-away PostgreSQL cluster for the tests that run on both engines (the institute edition).

When ``initdb`` and ``pg_ctl`` are found (PATH, else the newest /usr/lib/postgresql/*/bin), the session-scoped
:func:`pg_cluster` fixture initialises a cluster in a temp folder, starts it on a free port of 127.0.0.1
(fsync off: nothing here must survive), migrates a template database once, and stops the cluster and removes
the folder at the end. :func:`pg_url` gives each test its own database, cloned from the template
(``CREATE DATABASE … TEMPLATE``: far faster than migrating again), dropped afterwards. Without PostgreSQL the
fixtures skip. ``initdb`` refuses to run as root (CI runs as root): then the folder is handed to the
``postgres`` system user (else ``nobody``) and the server binaries run as that user through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

TEMPLATE = "md_template"
SUPERUSER = "postgres"


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                        if Path(p).parent.name.isdigit() else 0, reverse=True)
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _run_as() -> tuple[list[str], str | None]:
    """The command prefix that runs the server binaries as a non-root user, and that user's name."""
    if os.name != "posix" or os.geteuid() != 0:
        return [], None
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root without runuser")
    import pwd

    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return [runuser, "-u", name, "--"], name
    raise RuntimeError("running as root and no postgres / nobody user")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    """One temporary PostgreSQL server."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.prefix, self.user = _run_as()
        self.base = Path(tempfile.mkdtemp(prefix="md-pg-"))
        self.data = self.base / "data"
        self.port = _free_port()
        self.started = False
        self._count = 0
        if self.user is not None:
            import pwd

            pw = pwd.getpwnam(self.user)
            os.chown(self.base, pw.pw_uid, pw.pw_gid)

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.prefix, *args], cwd=self.base, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {(result.stderr or result.stdout)[-2000:]}")

    def start(self) -> None:
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", SUPERUSER,
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions")
        options = (f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.base / "server.log"), "-w", "-t", "60", "start")
        self.started = True

    def stop(self) -> None:
        try:
            if self.started:
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def url(self, dbname: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def admin(self, *statements: str) -> None:
        """Run statements on the maintenance database outside a transaction (CREATE / DROP DATABASE)."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as con:
            for sql in statements:
                con.execute(sql)

    def make_template(self) -> None:
        from db.session import open_database

        self.admin(f'CREATE DATABASE "{TEMPLATE}"')
        opened = open_database(self.url(TEMPLATE))
        opened.engine.dispose()

    def new_database(self, *, empty: bool = False) -> str:
        """A fresh database: a clone of the migrated template, or ``empty`` (nothing in it)."""
        self._count += 1
        name = f"md_test_{self._count}"
        self.admin(f'CREATE DATABASE "{name}"' + ("" if empty else f' TEMPLATE "{TEMPLATE}"'))
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """The session's PostgreSQL server (skips the test when PostgreSQL or psycopg is not installed)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed")
    pytest.importorskip("psycopg")
    cluster = PgCluster(bin_dir)
    try:
        cluster.start()
        cluster.make_template()
    except BaseException:
        cluster.stop()
        raise
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """The URL of a database of this test's own, already migrated (a clone of the template)."""
    name = pg_cluster.new_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)

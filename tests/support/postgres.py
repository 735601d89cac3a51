"""A real PostgreSQL for tests (and the bench): the one named by BACKCHANNEL_TEST_POSTGRES, or one `pgserver` starts.

`pgserver` (a test dependency) bundles the PostgreSQL 16 server and starts it in a second or two
on a Unix socket of a temporary folder, as root too.  Each test gets a database of its own, so
tests never see each other's games.  No mock: the store is tested against the real server.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

_counter = itertools.count(1)

_folders: dict[str, Path] = {}
"""The data folder of each PostgreSQL these helpers started, by its administrative address."""


def own_folder(admin_url: str) -> Path | None:
    """The data folder of a PostgreSQL these helpers started (whose pg_hba.conf a test may change);
    None for one named from outside (BACKCHANNEL_TEST_POSTGRES)."""
    return _folders.get(admin_url)


@contextmanager
def postgres_server() -> Iterator[str]:
    """The address of an administrative database on a running PostgreSQL, for the whole session."""
    named = os.environ.get("BACKCHANNEL_TEST_POSTGRES")
    if named:
        yield named
        return
    with (
        tempfile.TemporaryDirectory(prefix="backchannel-pg-") as folder,
        local_postgres(Path(folder), durable=False) as url,
    ):
        yield url


@contextmanager
def local_postgres(folder: Path, *, durable: bool) -> Iterator[str]:
    """A PostgreSQL 16 of pgserver's in `folder`, stopped at the end: its administrative database's
    address.  Not `durable` (the tests': they kill -9 the game server, never PostgreSQL), its own
    flushes to disk are turned off, as they only slow the suite down; `durable` (the bench's, whose
    acknowledgements must be durable ones), PostgreSQL's defaults stay."""
    try:
        import pgserver  # a test dependency (pyproject's [test] extra)
    except ImportError:
        raise RuntimeError(
            "a local PostgreSQL needs pgserver (pip install -e '.[test]'), or name a running one: "
            "BACKCHANNEL_TEST_POSTGRES for the tests, --postgres for the bench "
            "(postgresql://USER:PASSWORD@HOST:PORT/postgres)"
        ) from None
    server = pgserver.get_server(folder, cleanup_mode="stop")  # type: ignore[attr-defined]
    url = str(server.get_uri())
    if not durable:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("alter system set fsync = off")
            conn.execute("alter system set full_page_writes = off")
            conn.execute("select pg_reload_conf()")
    _folders[url] = folder
    try:
        yield url
    finally:
        _folders.pop(url, None)
        # Stores left open still hold connections: end them, or stopping waits for them.
        with contextlib.suppress(psycopg.Error), psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity"
                " where pid <> pg_backend_pid() and backend_type = 'client backend'"
            )
        server.cleanup()


def fresh_database(admin_url: str, name: str | None = None) -> str:
    """A new, empty database on the server of `admin_url` (named `name`, or one of the tests'); its address."""
    name = name or f"bc_test_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    return database_url(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    """Database `name` gone, and the connections still open to it ended first."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity"
            " where pid <> pg_backend_pid() and backend_type = 'client backend' and datname = %s",
            (name,),
        )
        conn.execute(sql.SQL("drop database if exists {}").format(sql.Identifier(name)))


def database_url(admin_url: str, name: str) -> str:
    """The postgresql:// address of database `name` on the server of `admin_url` (as `serve --store` takes it)."""
    params = conninfo_to_dict(admin_url)
    user = quote(str(params.get("user") or ""), safe="")
    password = f":{quote(str(params['password']), safe='')}" if params.get("password") else ""
    host = str(params.get("host") or "")
    at = f"{user}{password}@" if user else ""
    if host.startswith("/"):  # a Unix socket's folder goes in the query
        return f"postgresql://{at}/{name}?host={quote(host, safe='')}"
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgresql://{at}{host}{port}/{name}"

"""Durable games in PostgreSQL: the same `Store` as SQLite, for servers that outgrow one disk.

The tables and the promise are SQLite's (server/store.py): a game's row, its members (token
digests), its append-only log and its latest snapshot; a write's future completes only once its
transaction has committed (PostgreSQL's default `synchronous_commit = on`: the commit record is
flushed to the write-ahead log before COMMIT returns).  One writer thread commits, and every write
queued while a commit is in flight goes into the next transaction together (group commit), as in
SQLite; only the SQL differs, so this class keeps the writer and overrides how rows are applied
and read.

The schema carries its version in `backchannel_schema`: an older database is migrated on open, a
newer one is refused with a line that names both versions.
"""

from __future__ import annotations

import contextlib
import json
import logging
from typing import Any

import psycopg

from server.cluster import LOCK_CLASS, Fence, codes_rows
from server.cluster_pg import PostgresCluster
from server.pg import CONNECTION_OPTIONS, connect_error, without_password
from server.store import (
    GroupCommitStore,
    NotHost,
    StoredGame,
    StoreError,
    _merged_updates,
    _Write,
)

log = logging.getLogger("backchannel.server")

SCHEMA_VERSION = 2

SCHEMA = """
-- version 1: the store of one process (the tables SQLite has)
create table if not exists games (
    id text primary key,
    created double precision not null,
    scenario_ref text,
    scenario_text text not null,
    seed bigint not null,
    settings text not null,
    status text not null,
    clock text not null,
    updated double precision not null
);
create table if not exists members (
    game_id text not null references games(id),
    member_id text not null,
    role text not null,
    state text,
    token_sha256 bytea not null unique,
    added bigserial,
    primary key (game_id, member_id)
);
create table if not exists log (
    game_id text not null references games(id),
    seq integer not null,
    entry text not null,
    primary key (game_id, seq)
);
create table if not exists snapshots (
    game_id text primary key references games(id),
    seq integer not null,
    version text not null,
    data bytea not null
);
"""

MIGRATIONS: dict[int, str] = {
    # version 2: several processes share the store — join codes to look up, processes, leases.
    2: """
create table if not exists codes (
    code text primary key,
    game_id text not null references games(id),
    role text not null,
    state text
);
create table if not exists processes (
    id text primary key,
    number serial unique,
    address text not null,
    started timestamptz not null default now()
);
create table if not exists leases (
    game_id text primary key,
    process_id text not null,
    since timestamptz not null default now()
);
-- the codes of the games already stored (a process that takes a game over refreshes them from its log)
insert into codes (code, game_id, role, state)
    select c.value, g.id, 'player', c.key from games g, json_each_text(g.settings::json -> 'codes' -> 'states') as c
    union all select g.settings::json -> 'codes' ->> 'observer', g.id, 'observer', null from games g
        where g.settings::json -> 'codes' ->> 'observer' is not null
    union all select g.settings::json -> 'codes' ->> 'umpire', g.id, 'umpire', null from games g
        where g.settings::json -> 'codes' ->> 'umpire' is not null
    on conflict do nothing;
""",
}
"""SQL that brings a database of version N-1 to version N; a new database runs SCHEMA and then each."""

_INSERT_GAME = (
    "insert into games (id, created, scenario_ref, scenario_text, seed, settings, status, clock, updated)"
    " values (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_INSERT_MEMBER = (
    "insert into members (game_id, member_id, role, state, token_sha256) values (%s, %s, %s, %s, %s)"
)
# Each batch's log rows travel as one JSON array of [game id, seq, entry text]: one statement, one round trip.
_INSERT_LOG = (
    "insert into log (game_id, seq, entry)"
    " select r ->> 0, (r ->> 1)::integer, r ->> 2 from json_array_elements(%s::json) as r"
)
_SAVE_SNAPSHOT = (
    "insert into snapshots (game_id, seq, version, data) values (%s, %s, %s, %s)"
    " on conflict (game_id) do update set seq = excluded.seq, version = excluded.version, data = excluded.data"
)
_UPDATE_GAME = (
    "update games set clock = coalesce(u ->> 1, games.clock), status = coalesce(u ->> 2, games.status),"
    " updated = (u ->> 3)::double precision from json_array_elements(%s::json) as u where games.id = u ->> 0"
)


_INSERT_CODE = "insert into codes (code, game_id, role, state) values (%s, %s, %s, %s)"
_HELD = (
    "select l.game_id from leases l where l.process_id = %s and l.game_id = any(%s) and exists ("
    " select 1 from pg_locks k where k.locktype = 'advisory' and k.classid = %s and k.objid = %s"
    " and k.objsubid = 2 and k.granted and k.pid = %s) for share of l"
)


class _WriterConnection(psycopg.Connection[Any]):
    """A connection that knows its store (for the fence its writes must pass)."""

    store: PostgresStore | None = None


class PostgresStore(GroupCommitStore):
    """PostgreSQL, written by one thread with group commit; read by short-lived connections."""

    _errors = (psycopg.Error, NotHost)
    _begin_sql = "begin"
    cluster: PostgresCluster | None = None
    """Set when the process joins a cluster (server/cluster.py): every write must pass its fence."""

    def __init__(self, url: str, *, inline: bool | None = None, read_only: bool = False) -> None:
        """`read_only`: to read the games (`backchannel report`), not to serve them: the tables are
        neither created nor migrated, and no writer thread starts."""
        self.url = url
        conn = self._connect()
        try:
            _check_readable(conn, url) if read_only else _prepare(conn)
        finally:
            conn.close()
        self._start(True if read_only else inline)

    def __repr__(self) -> str:
        return f"PostgresStore({without_password(self.url)!r})"

    def _connect(self) -> Any:
        try:
            conn = _WriterConnection.connect(self.url, **CONNECTION_OPTIONS)
        except psycopg.Error as exc:
            raise connect_error(self.url, exc) from None
        conn.store = self
        return conn

    def _usable(self, conn: Any) -> Any:
        if conn is not None and not conn.closed and not conn.broken:
            return conn
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()
        try:
            return self._connect()
        except StoreError as exc:
            log.error("store: %s", exc)
            return None

    @staticmethod
    def _apply(conn: Any, writes: list[_Write]) -> None:
        with conn.cursor() as cur:
            store = getattr(conn, "store", None)
            fence = store.cluster.fence if store is not None and store.cluster is not None else None
            if fence is not None:
                _check_fence(cur, fence, writes)
            games = [row for w in writes for row in w.games]
            if games:
                cur.executemany(_INSERT_GAME, games)
                codes = [
                    code for row in games for code in codes_rows(row[0], json.loads(row[5]).get("codes", {}))
                ]
                if codes:
                    cur.executemany(_INSERT_CODE, codes)
            members = [row for w in writes for row in w.members]
            if members:
                cur.executemany(_INSERT_MEMBER, members)
            rows = [row for w in writes for row in w.log]
            if rows:
                cur.execute(_INSERT_LOG, ("[" + ",".join(rows) + "]",))
            snapshots = {row[0]: row for w in writes for row in w.snapshots}
            if snapshots:
                cur.executemany(_SAVE_SNAPSHOT, list(snapshots.values()))
            updates = _merged_updates(writes)
            if updates:
                cur.execute(_UPDATE_GAME, (updates,))

    def _read(self, only: str | None) -> list[StoredGame]:
        return self._read_games(only, "%s", "added")


def _check_fence(cur: Any, fence: Fence, writes: list[_Write]) -> None:
    """Refuse the batch (the caller then tries each write alone) if it writes a game whose lease this
    process does not hold, or if its life line is gone; the lease rows stay locked until the commit,
    so a takeover waits for this transaction and then sees what it wrote."""
    games: set[str] = set()
    for write in writes:
        games.update(row[0] for row in write.games)
        if write.seq is not None:
            games.add(write.seq[0])
        if write.update is not None:
            games.add(write.update.game)
        games.update(row[0] for row in write.snapshots)
    if not games:
        return
    cur.execute(_HELD, (fence.process, list(games), LOCK_CLASS, fence.number, fence.pid))
    held = {row[0] for row in cur.fetchall()}
    missing = sorted(games - held)
    if missing:
        raise NotHost(f"this process does not host game {missing[0]} (any more)")


def _check_readable(conn: Any, url: str) -> None:
    """A database this program can read the games of, as it is (nothing created, nothing migrated)."""
    if conn.execute("select to_regclass('backchannel_schema')").fetchone()[0] is None:
        raise StoreError(
            f"{without_password(url)} holds no Backchannel store "
            "(the database `backchannel serve --store` was given)"
        )
    row = conn.execute("select version from backchannel_schema").fetchone()
    version = row[0] if row is not None else 0
    if version != SCHEMA_VERSION:
        raise StoreError(
            f"the store's schema is version {version}, this program reads version {SCHEMA_VERSION}: "
            + (
                "upgrade backchannel on this machine"
                if version > SCHEMA_VERSION
                else "start `backchannel serve --store` with it once to migrate it"
            )
        )


def _prepare(conn: Any) -> None:
    """Create the tables, or migrate an older schema; refuse a newer one (a newer program wrote it)."""
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(7207001)")  # two servers starting at once: one creates
        conn.execute("create table if not exists backchannel_schema (version integer not null)")
        row = conn.execute("select version from backchannel_schema").fetchone()
        if row is None:
            conn.execute(SCHEMA)
            conn.execute("insert into backchannel_schema (version) values (1)")
            version = 1
        else:
            version = row[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the store's schema is version {version}, newer than this program's {SCHEMA_VERSION}: "
                "upgrade backchannel on this machine"
            )
        for step in range(version + 1, SCHEMA_VERSION + 1):
            conn.execute(MIGRATIONS[step])
            log.info("store: schema migrated to version %d", step)
        if version < SCHEMA_VERSION:
            conn.execute("update backchannel_schema set version = %s", (SCHEMA_VERSION,))

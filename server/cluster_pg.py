"""Several server processes over one PostgreSQL database: leases held by advisory locks (the
cluster's design is described in server/cluster.py).  Imported only with `serve --store
postgresql://…`: psycopg is an optional dependency (`backchannel[postgresql]`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from server.cluster import LOCK_CLASS, Cluster, CodeTarget, Fence, codes_rows
from server.pg import CONNECTION_OPTIONS, connect_error, describe
from server.store import StoreError

log = logging.getLogger("backchannel.server")

WATCH_SECONDS = 1.0
"""How often a process checks that its life line still answers."""

POOL_SIZE = 8
"""Connections a process keeps for its lookups and claims.  When a thousand players reconnect at
once (a failover), their lookups wait a moment for one of these, instead of each opening its own
and running past the database's `max_connections` (100 by default)."""

POOL_WAIT_SECONDS = 10.0
"""How long a lookup waits for a connection before the player is told the server is unavailable."""


class PostgresCluster(Cluster):
    """Several processes over one PostgreSQL database; leases held by advisory locks."""

    shared = True

    def __init__(self, url: str) -> None:
        self.url = url
        self.process = ""
        self.number = 0
        self.fence: Fence | None = None
        self._life: psycopg.AsyncConnection[Any] | None = None
        self._pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] | None = None
        self._watch: asyncio.Task[None] | None = None
        self._alive = False
        self.on_lost: Callable[[], None] | None = None
        """Called when the life line is lost: the server lets go of every game it hosts."""

    @property
    def alive(self) -> bool:
        return self._alive

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        try:
            return await psycopg.AsyncConnection.connect(self.url, **CONNECTION_OPTIONS)
        except psycopg.Error as exc:
            raise connect_error(self.url, exc) from None

    async def start(self, address: str) -> None:
        self.address = address
        await self._register()
        pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] = AsyncConnectionPool(
            self.url,
            kwargs=dict(CONNECTION_OPTIONS),
            min_size=1,
            max_size=POOL_SIZE,
            timeout=POOL_WAIT_SECONDS,
            check=AsyncConnectionPool.check_connection,  # one lost with a restarted database is replaced
            open=False,
            name="cluster",
        )
        try:
            await pool.open(wait=True, timeout=10)
        except psycopg.Error as exc:
            await pool.close()
            raise connect_error(self.url, exc) from None
        self._pool = pool
        self._watch = asyncio.get_running_loop().create_task(self._watch_life())

    async def _register(self) -> None:
        """A life line: a process row, its advisory lock held by a session of its own."""
        assert self.address is not None
        address = self.address
        self.process = secrets.token_hex(8)
        life = await self._connect()
        # The row and its lock in one transaction: others see the row only once its lock is held.
        # (Inserted first and locked after, a process starting at the same moment could take the row
        # for one gone and forget it, and then the games of this live process for orphans.)
        async with life.transaction():
            row = await (
                await life.execute(
                    "insert into processes (id, address) values (%s, %s) returning number",
                    (self.process, address),
                )
            ).fetchone()
            assert row is not None
            self.number = row[0]
            await life.execute("select pg_advisory_lock(%s, %s)", (LOCK_CLASS, self.number))
        pid_row = await (await life.execute("select pg_backend_pid()")).fetchone()
        assert pid_row is not None
        self.fence = Fence(self.process, self.number, pid_row[0])
        self._life = life
        self._alive = True
        # Rows of processes long gone and holding nothing are forgotten.
        await life.execute(
            "delete from processes p where p.id <> %s and not exists (select 1 from leases l where l.process_id = p.id)"
            " and not exists (select 1 from pg_locks k where k.locktype = 'advisory' and k.classid = %s"
            " and k.objid = p.number and k.objsubid = 2 and k.granted)",
            (self.process, LOCK_CLASS),
        )
        log.info("cluster: process %s (number %d) at %s", self.process, self.number, address)

    async def _watch_life(self) -> None:
        """Every second: does the life line answer?  If not, stop hosting (the leases are free now)
        and join again as a new process once the database answers."""
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            if self._alive:
                try:
                    assert self._life is not None
                    await asyncio.wait_for(self._life.execute("select 1"), WATCH_SECONDS * 2)
                    continue
                except Exception as exc:
                    self._alive = False
                    log.error(
                        "cluster: the database does not answer (%s); this process stops acknowledging",
                        type(exc).__name__,
                    )
                    with contextlib.suppress(Exception):
                        await self._life.close()  # type: ignore[union-attr]
                    self._life = None
                    if self.on_lost is not None:
                        self.on_lost()
            try:
                await self._register()
            except Exception as exc:
                log.debug("cluster: not back yet (%s)", type(exc).__name__)

    async def close(self) -> None:
        self._alive = False
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        if self._life is not None:
            with contextlib.suppress(Exception):
                await self._life.execute("delete from leases where process_id = %s", (self.process,))
            with contextlib.suppress(Exception):
                await self._life.close()
            self._life = None
        if self._pool is not None:
            pool, self._pool = self._pool, None
            with contextlib.suppress(Exception):
                await pool.close()

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        """One of the pool's connections (the life line only watches); a database error, or none
        free in time, is a StoreError (the player is told the server is unavailable)."""
        if self._pool is None:
            raise StoreError("this process has not joined the cluster")
        try:
            async with self._pool.connection() as conn:
                yield conn
        except psycopg.Error as exc:
            raise StoreError(f"the store: {describe(exc)}") from None

    async def _query(self, sql: str, args: tuple[object, ...]) -> list[tuple[object, ...]]:
        async with self._connection() as conn:
            return await (await conn.execute(sql, args)).fetchall()

    async def claim(self, game_id: str) -> str | None:
        if not self._alive:
            raise StoreError("this process has lost its database")
        async with self._connection() as conn, conn.transaction():
            # First, is this process's own life line still held?  (Its watch notices a lost one within
            # a second; meanwhile it must not take a game whose writes its fence would refuse.)
            fence = self.fence
            assert fence is not None
            mine = await (
                await conn.execute(
                    "select exists (select 1 from pg_locks where locktype = 'advisory' and classid = %s and objid = %s"
                    " and objsubid = 2 and granted and pid = %s)",
                    (LOCK_CLASS, fence.number, fence.pid),
                )
            ).fetchone()
            if mine is None or not mine[0]:
                raise StoreError("this process has lost its life line to the database")
            inserted = await (
                await conn.execute(
                    "insert into leases (game_id, process_id) values (%s, %s) on conflict (game_id) do nothing returning 1",
                    (game_id, self.process),
                )
            ).fetchone()
            if inserted is not None:
                return None
            # Lock the lease first, then read its holder's life in a statement of its own: a statement
            # that waited for the row lock would re-read the lease row but not the rows it joined to it.
            row = await (
                await conn.execute("select process_id from leases where game_id = %s for update", (game_id,))
            ).fetchone()
            assert row is not None
            holder = row[0]
            if holder == self.process:
                return None
            life = await (
                await conn.execute(
                    "select p.address, exists (select 1 from pg_locks k where k.locktype = 'advisory' and k.classid = %s"
                    " and k.objid = p.number and k.objsubid = 2 and k.granted) from processes p where p.id = %s",
                    (LOCK_CLASS, holder),
                )
            ).fetchone()
            if life is not None and life[1] and life[0]:
                return str(life[0])
            await conn.execute(
                "update leases set process_id = %s, since = now() where game_id = %s", (self.process, game_id)
            )
            log.info("cluster: took over game %s from process %s", game_id, holder)
            return None

    async def release(self, game_id: str) -> None:
        with contextlib.suppress(Exception):
            await self._query(
                "delete from leases where game_id = %s and process_id = %s returning 1",
                (game_id, self.process),
            )

    async def find_code(self, code: str) -> CodeTarget | None:
        rows = await self._query("select game_id, role, state from codes where code = %s", (code,))
        if not rows:
            return None
        game, role, state = rows[0]
        return CodeTarget(str(game), role, None if state is None else str(state))  # type: ignore[arg-type]

    async def find_token(self, digest: bytes) -> str | None:
        rows = await self._query("select game_id from members where token_sha256 = %s", (digest,))
        return str(rows[0][0]) if rows else None

    async def set_codes(self, game_id: str, codes: dict[str, object]) -> None:
        async with self._connection() as conn, conn.transaction():
            await conn.execute("delete from codes where game_id = %s", (game_id,))
            async with conn.cursor() as cur:
                await cur.executemany(
                    "insert into codes (code, game_id, role, state) values (%s, %s, %s, %s)",
                    codes_rows(game_id, codes),
                )

    async def orphans(self, limit: int) -> list[str]:
        rows = await self._query(
            "select g.id from games g left join leases l on l.game_id = g.id left join processes p on p.id = l.process_id"
            " where g.status not in ('archived', 'over') and (l.game_id is null or not exists ("
            " select 1 from pg_locks k where k.locktype = 'advisory' and k.classid = %s and k.objid = p.number"
            " and k.objsubid = 2 and k.granted)) order by g.created limit %s",
            (LOCK_CLASS, limit),
        )
        return [str(r[0]) for r in rows]

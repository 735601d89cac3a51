"""Durable games: a small `Store` interface and its SQLite implementation.

A game is a row (scenario text, seed, settings, status, clock with its absolute deadline),
its members (seat token digests, never tokens) and an append-only log of entries: every
accepted command and every server decision (joins, start, ready flags, clock changes, phase
starts), in order.  Replaying the log through the rules rebuilds the game exactly, so no
snapshot is needed: replay is fast.

`append` returns only once the entries are committed (WAL, synchronous=FULL: fsynced), and
the server acknowledges a command only after that.  Writes from every game go through one
writer thread that commits whatever is waiting in a single transaction (group commit): a
commit costs one fsync however many commands it holds, so throughput does not stop at the
disk's fsync rate, and the event loop never waits on the disk.

Another backend (a networked database shared by several server processes) implements the
same four methods.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import sqlite3
import statistics
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from server.seats import Member

Entry = dict[str, Any]

SCHEMA = """
create table if not exists games (
    id text primary key,
    created real not null,
    scenario_ref text,
    scenario_text text not null,
    seed integer not null,
    settings text not null,
    status text not null,
    clock text not null,
    updated real not null
);
create table if not exists members (
    game_id text not null references games(id),
    member_id text not null,
    role text not null,
    state text,
    token_sha256 blob not null unique,
    primary key (game_id, member_id)
);
create table if not exists log (
    game_id text not null references games(id),
    seq integer not null,
    entry text not null,
    primary key (game_id, seq)
) without rowid;
"""


@dataclass(slots=True)
class GameRecord:
    id: str
    created: float
    scenario_ref: str | None
    scenario_text: str
    seed: int
    settings: dict[str, Any]
    status: str
    clock: dict[str, Any]


@dataclass(slots=True)
class StoredGame:
    record: GameRecord
    members: list[Member] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


class StoreError(RuntimeError):
    """A write did not become durable; the command it carried was not acknowledged."""


class Store(ABC):
    """Where games live between restarts."""

    @abstractmethod
    async def create(self, record: GameRecord, members: Sequence[Member], entries: Sequence[Entry]) -> None:
        """Store a new game with its first members and entries, durably."""

    @abstractmethod
    async def append(
        self,
        game_id: str,
        first_seq: int,
        entries: Sequence[Entry],
        *,
        members: Sequence[Member] = (),
        clock: dict[str, Any] | None = None,
        status: str | None = None,
    ) -> None:
        """Append entries (numbered from `first_seq`), new members and the new clock/status, atomically
        and durably."""

    @abstractmethod
    def load(self) -> list[StoredGame]:
        """Every stored game with its members and log, for a restart."""

    @abstractmethod
    async def close(self) -> None:
        """Finish every pending write and release the store."""

    def commit_latencies(self) -> list[float]:
        """Recent commit latencies in seconds (enqueue to durable), for the stats page."""
        return []


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


@dataclass(slots=True)
class _Write:
    apply: Callable[[sqlite3.Connection], None]
    future: asyncio.Future[None]
    loop: asyncio.AbstractEventLoop
    queued: float


class SqliteStore(Store):
    """SQLite in WAL mode with synchronous=FULL, written by one thread with group commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = self._connect()
        try:
            conn.executescript(SCHEMA)
        finally:
            conn.close()
        self._queue: queue.SimpleQueue[_Write | None] = queue.SimpleQueue()
        self._latencies: deque[float] = deque(maxlen=4096)
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self._thread.start()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        mode = conn.execute("pragma journal_mode=wal").fetchone()[0]
        if mode != "wal":
            raise StoreError(f"{self.path}: cannot use WAL mode (got {mode})")
        conn.execute("pragma synchronous=full")
        conn.execute("pragma busy_timeout=5000")
        return conn

    # --- writing -----------------------------------------------------------------------------

    async def _write(self, apply: Callable[[sqlite3.Connection], None]) -> None:
        if self._closed:
            raise StoreError("the store is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._queue.put(_Write(apply, future, loop, time.perf_counter()))
        await future

    def _run(self) -> None:
        conn = self._connect()
        stop = False
        while not stop:
            first = self._queue.get()
            if first is None:
                break
            batch = [first]
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                batch.append(item)
            outcomes = self._commit(conn, batch)
            done = time.perf_counter()
            for write in batch:
                self._latencies.append(done - write.queued)
            by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[None], BaseException | None]]] = {}
            for write, outcome in zip(batch, outcomes, strict=True):
                by_loop.setdefault(write.loop, []).append((write.future, outcome))
            for loop, settled in by_loop.items():
                with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
                    loop.call_soon_threadsafe(_settle, settled)
        try:
            conn.execute("pragma wal_checkpoint(truncate)")
        finally:
            conn.close()

    @staticmethod
    def _commit(conn: sqlite3.Connection, batch: list[_Write]) -> list[BaseException | None]:
        outcomes: list[BaseException | None] = []
        try:
            conn.execute("begin immediate")
            for write in batch:
                conn.execute("savepoint one")
                try:
                    write.apply(conn)
                except Exception as exc:  # this write only; the others still commit
                    conn.execute("rollback to one")
                    outcomes.append(StoreError(f"write refused: {type(exc).__name__}: {exc}"))
                else:
                    outcomes.append(None)
                conn.execute("release one")
            conn.execute("commit")
        except Exception as exc:  # the commit itself failed: nothing in the batch is durable
            with contextlib.suppress(sqlite3.Error):
                conn.execute("rollback")
            failure = StoreError(f"commit failed: {type(exc).__name__}: {exc}")
            return [failure] * len(batch)
        return outcomes

    async def create(self, record: GameRecord, members: Sequence[Member], entries: Sequence[Entry]) -> None:
        now = time.time()

        def apply(conn: sqlite3.Connection) -> None:
            conn.execute(
                "insert into games (id, created, scenario_ref, scenario_text, seed, settings, status, clock, updated)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.id, record.created, record.scenario_ref, record.scenario_text, record.seed,
                    _dumps(record.settings), record.status, _dumps(record.clock), now,
                ),
            )
            _insert(conn, record.id, 1, entries, members)

        await self._write(apply)

    async def append(
        self,
        game_id: str,
        first_seq: int,
        entries: Sequence[Entry],
        *,
        members: Sequence[Member] = (),
        clock: dict[str, Any] | None = None,
        status: str | None = None,
    ) -> None:
        now = time.time()
        clock_text = _dumps(clock) if clock is not None else None

        def apply(conn: sqlite3.Connection) -> None:
            _insert(conn, game_id, first_seq, entries, members)
            conn.execute(
                "update games set clock = coalesce(?, clock), status = coalesce(?, status), updated = ? where id = ?",
                (clock_text, status, now, game_id),
            )

        await self._write(apply)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        await asyncio.get_running_loop().run_in_executor(None, self._thread.join)

    def commit_latencies(self) -> list[float]:
        return list(self._latencies)

    # --- reading -----------------------------------------------------------------------------

    def load(self) -> list[StoredGame]:
        conn = self._connect()
        try:
            games: dict[str, StoredGame] = {}
            for row in conn.execute(
                "select id, created, scenario_ref, scenario_text, seed, settings, status, clock from games order by created"
            ):
                record = GameRecord(
                    id=row[0], created=row[1], scenario_ref=row[2], scenario_text=row[3], seed=row[4],
                    settings=json.loads(row[5]), status=row[6], clock=json.loads(row[7]),
                )
                games[record.id] = StoredGame(record)
            for game_id, member_id, role, state, digest in conn.execute(
                "select game_id, member_id, role, state, token_sha256 from members order by game_id, rowid"
            ):
                if game_id in games:
                    games[game_id].members.append(Member(member_id, game_id, role, state, bytes(digest)))
            for game_id, _seq, text in conn.execute("select game_id, seq, entry from log order by game_id, seq"):
                if game_id in games:
                    games[game_id].entries.append(json.loads(text))
            return list(games.values())
        finally:
            conn.close()


def _insert(conn: sqlite3.Connection, game_id: str, first_seq: int, entries: Sequence[Entry], members: Sequence[Member]) -> None:
    conn.executemany(
        "insert into log (game_id, seq, entry) values (?, ?, ?)",
        [(game_id, first_seq + i, _dumps(e)) for i, e in enumerate(entries)],
    )
    conn.executemany(
        "insert into members (game_id, member_id, role, state, token_sha256) values (?, ?, ?, ?, ?)",
        [(game_id, m.id, m.role, m.state, m.digest) for m in members],
    )


def _settle(settled: list[tuple[asyncio.Future[None], BaseException | None]]) -> None:
    for future, outcome in settled:
        if future.done():
            continue
        if outcome is None:
            future.set_result(None)
        else:
            future.set_exception(outcome)


class MemoryStore(Store):
    """A store that forgets everything at exit: for tests of the core and for throwaway local games."""

    def __init__(self) -> None:
        self.games: dict[str, StoredGame] = {}

    async def create(self, record: GameRecord, members: Sequence[Member], entries: Sequence[Entry]) -> None:
        self.games[record.id] = StoredGame(record, list(members), [json.loads(_dumps(e)) for e in entries])

    async def append(
        self,
        game_id: str,
        first_seq: int,
        entries: Sequence[Entry],
        *,
        members: Sequence[Member] = (),
        clock: dict[str, Any] | None = None,
        status: str | None = None,
    ) -> None:
        game = self.games[game_id]
        if first_seq != len(game.entries) + 1:
            raise StoreError(f"{game_id}: entry {first_seq} does not follow {len(game.entries)}")
        game.entries.extend(json.loads(_dumps(e)) for e in entries)
        game.members.extend(members)
        if clock is not None:
            game.record.clock = clock
        if status is not None:
            game.record.status = status

    def load(self) -> list[StoredGame]:
        return list(self.games.values())

    async def close(self) -> None:
        return None


def median_ms(values: Sequence[float]) -> float | None:
    return round(statistics.median(values) * 1000, 3) if values else None

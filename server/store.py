"""Durable games: a small `Store` interface and its SQLite implementation.

A game is a row (scenario text, seed, settings, status, clock with its absolute deadline),
its members (seat token digests, never tokens) and an append-only log of entries: every
accepted command and every server decision (joins, start, ready flags, clock changes, phase
starts), in order.  Replaying the log through the rules rebuilds the game exactly; a snapshot
of the session every few hundred entries (server/snapshots.py) spares a restart most of that
replay.  The log is never shortened: it is the game's history, and the snapshot only a cache.

`append` returns only once the entries are committed (WAL, synchronous=FULL: fsynced), and
the server acknowledges a command only after that.  Writes are grouped (group commit): one
writer thread commits, and every write queued while its commit is in flight goes into the next
transaction together, so a commit costs one fsync however many commands it holds, and the
event loop never waits on the disk (an fsync here takes 0.2 to 4 ms, and under load the loop
has a command to read or a frame to send in every one of those milliseconds).  Measured in
saturation (bench/server_load.py, issue 14): commits on the loop held it 26% of the time.
`BACKCHANNEL_COMMIT=inline` commits on the loop's own thread instead, at the end of each turn
of the loop (fewer thread hand-offs: a little less latency on a fast disk at low load).

Another backend (a networked database shared by several server processes) implements the
same methods.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import queue
import sqlite3
import statistics
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, NamedTuple

from server.seats import Member

log = logging.getLogger("backchannel.server")

Entry = dict[str, Any]
ARCHIVED = "archived"
"""The status of a game taken out of the running server (idle too long); its log is kept."""

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
create table if not exists snapshots (
    game_id text primary key references games(id),
    seq integer not null,
    version text not null,
    data blob not null
);
"""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A game's session pickled after its first `seq` log entries, made by code `version`
    (server/snapshots.py takes and restores them; the store only keeps the latest)."""

    seq: int
    """The number of log entries the snapshot includes."""
    version: str
    data: bytes


@dataclass(slots=True)
class GameHeader:
    """What the store keeps about a game beside its log: where it came from and where it stands."""

    id: str
    created: float
    scenario_ref: str | None
    scenario_text: str
    seed: int
    settings: dict[str, Any]
    status: str
    clock: dict[str, Any]


class Listed(NamedTuple):
    """A stored game in a line: which it is, when it began, of which scenario, where it stands."""

    id: str
    created: float
    scenario_ref: str | None
    status: str

    def __str__(self) -> str:
        return f"{self.id} ({self.scenario_ref or 'upload'}, {self.status})"


@dataclass(slots=True)
class StoredGame:
    header: GameHeader
    members: list[Member] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    snapshot: Snapshot | None = None
    """The latest snapshot, if any: the session after its first `seq` entries."""


class StoreError(RuntimeError):
    """A write did not become durable; the command it carried was not acknowledged."""


class NotHost(StoreError):
    """A write for a game whose lease this process no longer holds (another process took it over, or
    this one lost its database): refused, never committed (server/cluster.py)."""


class Store(ABC):
    """Where games live between restarts."""

    @abstractmethod
    async def create(self, header: GameHeader, members: Sequence[Member], entries: Sequence[Entry]) -> None:
        """Store a new game with its first members and entries, durably."""

    @abstractmethod
    def append(
        self,
        game_id: str,
        first_seq: int,
        entries: Sequence[Entry],
        *,
        members: Sequence[Member] = (),
        clock: dict[str, Any] | None = None,
        status: str | None = None,
        on_durable: Callable[[], None] | None = None,
    ) -> asyncio.Future[None]:
        """Append entries (numbered from `first_seq`), new members and the new clock/status (None: unchanged),
        atomically.  The future completes once they are durable; the write goes on even if nobody waits.
        `on_durable` is called on the event loop's thread as soon as the write is durable, before the
        future's waiters wake (a turn of the loop later): the server sends the acknowledgement from it."""

    @abstractmethod
    def save_snapshot(self, game_id: str, snapshot: Snapshot) -> asyncio.Future[None]:
        """Keep this snapshot as the game's latest (replacing the one before)."""

    @abstractmethod
    def load(self, archived: bool = False) -> list[StoredGame]:
        """Every stored game with its members and log, for a restart."""

    @abstractmethod
    def load_game(self, game_id: str) -> StoredGame | None:
        """One game as it is stored (to rebuild it after a fault)."""

    @abstractmethod
    async def archive(self, game_id: str) -> None:
        """Mark a game archived: `load` leaves it out (a restart does not bring it back); `load_game`
        still reads it, for the debrief."""

    @abstractmethod
    async def close(self) -> None:
        """Finish every pending write and release the store."""

    def commit_latencies(self) -> list[float]:
        """Recent commit latencies in seconds (enqueue to durable), for the stats page."""
        return []


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)


def _dumps(data: Any) -> str:
    return _ENCODER.encode(data)


class _Update(NamedTuple):
    """A game's new clock (its JSON text) and status, None where unchanged."""

    game: str
    clock: str | None
    status: str | None
    time: float


def _merged_updates(writes: Sequence[_Write]) -> str | None:
    """The batch's game updates as one JSON array of [game, clock text, status, time], each game's
    fields merged in order: a later write that leaves the clock alone keeps an earlier one's clock."""
    merged: dict[str, _Update] = {}
    for write in writes:
        new = write.update
        if new is None:
            continue
        old = merged.get(new.game)
        if old is not None:
            new = _Update(
                new.game,
                new.clock if new.clock is not None else old.clock,
                new.status if new.status is not None else old.status,
                new.time,
            )
        merged[new.game] = new
    return _dumps([list(u) for u in merged.values()]) if merged else None


@dataclass(slots=True)
class _Write:
    """One write, its rows serialised on the event loop so that the writer thread barely needs the GIL."""

    games: list[tuple[Any, ...]]
    log: list[str]
    """Each entry as a JSON array [game id, seq, entry's JSON text]."""
    members: list[tuple[Any, ...]]
    update: _Update | None
    """(game id, JSON array [game id, clock's JSON text or null, status or null, time])."""
    snapshots: list[tuple[str, int, str, bytes]]
    on_durable: Callable[[], None] | None
    future: asyncio.Future[None]
    loop: asyncio.AbstractEventLoop
    queued: float
    seq: tuple[str, int, int] | None = None
    """(game id, first entry's number, entries) of a write to a game's log."""


_INSERT_GAME = (
    "insert into games (id, created, scenario_ref, scenario_text, seed, settings, status, clock, updated)"
    " values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# One statement for a whole batch, whatever its size: the sqlite3 module lets go of the GIL around
# every step, and a busy event loop makes each hand-back slow, so the writer takes as few as it can.
_INSERT_LOG = (
    "insert into log (game_id, seq, entry) select value ->> 0, value ->> 1, value ->> 2 from json_each(?)"
)
_SAVE_SNAPSHOT = "insert or replace into snapshots (game_id, seq, version, data) values (?, ?, ?, ?)"
_INSERT_MEMBER = "insert into members (game_id, member_id, role, state, token_sha256) values (?, ?, ?, ?, ?)"
_UPDATE_GAME = (
    "update games set clock = coalesce(u.value ->> 1, games.clock), status = coalesce(u.value ->> 2, games.status),"
    " updated = u.value ->> 3 from json_each(?) as u where games.id = u.value ->> 0"
)


class GroupCommitStore(Store):
    """One writer thread commits every write queued while the last commit was in flight, in one
    transaction (group commit); a subclass says how to connect, begin, apply rows and read."""

    _errors: tuple[type[Exception], ...] = (sqlite3.Error,)
    """The database module's errors: a write that raises one is refused alone."""
    _begin_sql = "begin immediate"

    def _start(self, inline: bool | None) -> None:
        self._queue: queue.SimpleQueue[list[_Write] | None] = queue.SimpleQueue()
        self._latencies: deque[float] = deque(maxlen=4096)
        self._closed = False
        if inline is None:
            inline = os.environ.get("BACKCHANNEL_COMMIT", "thread") == "inline"
        self.inline = inline
        self._pending: list[_Write] = []
        self._next_seq: dict[str, int] = {}
        """Per game, the number its next log entry must have (known once a write for it was seen)."""
        self._inline_conn: Any = None
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        if not inline:
            self._thread.start()

    @abstractmethod
    def _connect(self) -> Any:
        """A new connection in autocommit mode (the writer begins and commits itself)."""

    @staticmethod
    @abstractmethod
    def _apply(conn: Any, writes: list[_Write]) -> None:
        """All the writes' rows, in as few statements as the database allows."""

    @abstractmethod
    def _read(self, only: str | None) -> list[StoredGame]:
        """Every stored game, or the one named."""

    def _last_words(self, conn: Any) -> None:
        """What the writer does before it closes its connection at the end."""

    def _usable(self, conn: Any) -> Any:
        """The writer's connection, opened again if it was lost (a networked database restarted); None
        if it cannot be."""
        return conn

    def _read_games(self, only: str | None, mark: str, member_order: str) -> list[StoredGame]:
        """Every stored game (or the one named) on a connection of its own; `mark` is the database's
        parameter mark, `member_order` the column that keeps members in the order they joined."""
        conn = self._connect()
        where, args = (f" where id = {mark}", (only,)) if only is not None else ("", ())
        by_game = f" where game_id = {mark}" if only is not None else ""
        try:
            games: dict[str, StoredGame] = {}
            for row in conn.execute(
                f"select id, created, scenario_ref, scenario_text, seed, settings, status, clock from games{where}"
                " order by created, id",
                args,
            ):
                header = GameHeader(
                    id=row[0],
                    created=row[1],
                    scenario_ref=row[2],
                    scenario_text=row[3],
                    seed=row[4],
                    settings=json.loads(row[5]),
                    status=row[6],
                    clock=json.loads(row[7]),
                )
                games[header.id] = StoredGame(header)
            for game_id, member_id, role, state, digest in conn.execute(
                f"select game_id, member_id, role, state, token_sha256 from members{by_game}"
                f" order by game_id, {member_order}",
                args,
            ):
                if game_id in games:
                    games[game_id].members.append(Member(member_id, game_id, role, state, bytes(digest)))
            for game_id, seq, version, data in conn.execute(
                f"select game_id, seq, version, data from snapshots{by_game}", args
            ):
                if game_id in games:
                    games[game_id].snapshot = Snapshot(seq, version, bytes(data))
            for game_id, _seq, text in conn.execute(
                f"select game_id, seq, entry from log{by_game} order by game_id, seq", args
            ):
                if game_id in games:
                    games[game_id].entries.append(json.loads(text))
            return list(games.values())
        finally:
            conn.close()

    # --- writing -----------------------------------------------------------------------------

    def _write(
        self,
        games: list[tuple[Any, ...]],
        log: list[str],
        members: list[tuple[Any, ...]],
        update: _Update | None,
        snapshots: list[tuple[str, int, str, bytes]] | None = None,
        on_durable: Callable[[], None] | None = None,
        seq: tuple[str, int, int] | None = None,
    ) -> asyncio.Future[None]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        if self._closed:
            future.set_exception(StoreError("the store is closed"))
        else:
            # Every write of this turn of the loop goes together: committed at its end (inline), or
            # handed to the writer thread in one piece (one wake-up of the thread, not one a command).
            write = _Write(
                games,
                log,
                members,
                update,
                snapshots or [],
                on_durable,
                future,
                loop,
                time.perf_counter(),
                seq,
            )
            if not self._pending:
                loop.call_soon(self._flush_inline if self.inline else self._hand_over)
            self._pending.append(write)
        return future

    def _hand_over(self) -> None:
        batch, self._pending = self._pending, []
        if batch:
            self._queue.put(batch)

    def _flush_inline(self) -> None:
        """Commit everything written during this turn of the event loop, on the loop's own thread."""
        batch, self._pending = self._pending, []
        if not batch:
            return
        if self._inline_conn is None:
            self._inline_conn = self._connect()
        outcomes = self._commit_in_order(self._inline_conn, batch)
        done = time.perf_counter()
        for write in batch:
            self._latencies.append(done - write.queued)
        _settle([(w.future, o, w.on_durable) for w, o in zip(batch, outcomes, strict=True)])

    def _run(self) -> None:
        conn: Any = self._connect()
        stop = False
        while not stop:
            # What was handed over while the last commit was in flight goes into this one.
            first = self._queue.get()
            if first is None:
                break
            batch = list(first)
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                batch.extend(item)
            conn = self._usable(conn)
            if conn is None:  # the database cannot be reached: nothing is stored, nothing acknowledged
                unreachable = StoreError("the store cannot be reached; nothing was stored")
                outcomes: list[BaseException | None] = [unreachable] * len(batch)
                for write in batch:
                    if write.seq is not None:
                        self._next_seq.setdefault(write.seq[0], write.seq[1])
            else:
                outcomes = self._commit_in_order(conn, batch)
            done = time.perf_counter()
            for write in batch:
                self._latencies.append(done - write.queued)
            by_loop: dict[asyncio.AbstractEventLoop, list[_Settled]] = {}
            for write, outcome in zip(batch, outcomes, strict=True):
                by_loop.setdefault(write.loop, []).append((write.future, outcome, write.on_durable))
            for loop, settled in by_loop.items():
                with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
                    loop.call_soon_threadsafe(_settle, settled)
        if conn is None:
            return
        try:
            self._last_words(conn)
        finally:
            conn.close()

    def _commit_in_order(self, conn: Any, batch: list[_Write]) -> list[BaseException | None]:
        """Commit the batch, refusing any write that would leave a gap in its game's log.

        A game may queue its next write before the last one is durable (game_host.py); if that one
        fails, the next was built on an entry the log will never hold: it must fail too, and the
        game be rebuilt from its log, never committed after a hole."""
        following: dict[str, int] = {}
        kept: list[_Write] = []
        gaps: set[int] = set()
        for i, write in enumerate(batch):
            if write.seq is not None:
                game, first, count = write.seq
                want = following.get(game, self._next_seq.get(game))
                if want is not None and first != want:
                    gaps.add(i)
                    continue
                following[game] = first + count
            kept.append(write)
        outcomes = iter(self._commit(conn, kept) if kept else [])
        results: list[BaseException | None] = []
        failed: set[str] = set()
        for i, write in enumerate(batch):
            outcome = (
                StoreError("write refused: it does not follow its game's log")
                if i in gaps
                else next(outcomes)
            )
            if write.seq is not None:
                game, first, count = write.seq
                if game in failed and outcome is None:  # (cannot happen: _commit refuses after a failure)
                    outcome = StoreError("write refused: an earlier write of its game failed")
                if outcome is None:
                    self._next_seq[game] = first + count
                elif game not in failed:
                    failed.add(game)
                    self._next_seq.setdefault(game, first)
            results.append(outcome)
        return results

    @classmethod
    def _commit(cls, conn: Any, batch: list[_Write]) -> list[BaseException | None]:
        outcomes: list[BaseException | None]
        try:
            conn.execute(cls._begin_sql)
            try:
                cls._apply(conn, batch)
                outcomes = [None] * len(batch)
            except cls._errors:
                # Some write cannot apply (a bug: a duplicate entry...): write one by one, refusing only it.
                conn.execute("rollback")
                conn.execute(cls._begin_sql)
                outcomes = []
                failed: set[str] = set()
                for write in batch:
                    if write.seq is not None and write.seq[0] in failed:  # never a write after a hole
                        outcomes.append(StoreError("write refused: an earlier write of its game failed"))
                        continue
                    conn.execute("savepoint one")
                    try:
                        cls._apply(conn, [write])
                    except cls._errors as exc:
                        conn.execute("rollback to one")
                        outcomes.append(
                            exc
                            if isinstance(exc, NotHost)
                            else StoreError(f"write refused: {type(exc).__name__}: {exc}")
                        )
                        if write.seq is not None:
                            failed.add(write.seq[0])
                    else:
                        outcomes.append(None)
                    conn.execute("release one")
            conn.execute("commit")
        except Exception as exc:  # the commit itself failed: nothing in the batch is durable
            with contextlib.suppress(*cls._errors):
                conn.execute("rollback")
            failure = StoreError(f"commit failed: {type(exc).__name__}: {exc}")
            return [failure] * len(batch)
        return outcomes

    async def create(self, header: GameHeader, members: Sequence[Member], entries: Sequence[Entry]) -> None:
        row = (
            header.id,
            header.created,
            header.scenario_ref,
            header.scenario_text,
            header.seed,
            _dumps(header.settings),
            header.status,
            _dumps(header.clock),
            time.time(),
        )
        await self._write(
            [row],
            _log_rows(header.id, 1, entries),
            _member_rows(header.id, members),
            None,
            seq=(header.id, 1, len(entries)),
        )

    def append(
        self,
        game_id: str,
        first_seq: int,
        entries: Sequence[Entry],
        *,
        members: Sequence[Member] = (),
        clock: dict[str, Any] | None = None,
        status: str | None = None,
        on_durable: Callable[[], None] | None = None,
    ) -> asyncio.Future[None]:
        update = _Update(game_id, _dumps(clock) if clock is not None else None, status or None, time.time())
        return self._write(
            [],
            _log_rows(game_id, first_seq, entries),
            _member_rows(game_id, members),
            update,
            on_durable=on_durable,
            seq=(game_id, first_seq, len(entries)) if entries else None,
        )

    def save_snapshot(self, game_id: str, snapshot: Snapshot) -> asyncio.Future[None]:
        return self._write([], [], [], None, [(game_id, snapshot.seq, snapshot.version, snapshot.data)])

    async def archive(self, game_id: str) -> None:
        update = _Update(game_id, None, ARCHIVED, time.time())
        await self._write([], [], [], update)

    async def close(self) -> None:
        if self._closed:
            return
        if self.inline:
            self._flush_inline()
        else:
            self._hand_over()
        self._closed = True
        if self._thread.is_alive():
            self._queue.put(None)
            await asyncio.get_running_loop().run_in_executor(None, self._thread.join)
        if self._inline_conn is not None:
            self._inline_conn.close()
            self._inline_conn = None

    def commit_latencies(self) -> list[float]:
        return list(self._latencies)

    # --- reading -----------------------------------------------------------------------------

    def load(self, archived: bool = False) -> list[StoredGame]:
        """Every stored game (without the archived ones unless `archived`)."""
        games = self._read(None)
        return games if archived else [g for g in games if g.header.status != ARCHIVED]

    def load_game(self, game_id: str) -> StoredGame | None:
        found = self._read(game_id)
        return found[0] if found else None

    def listing(self) -> list[Listed]:
        """Every stored game (archived ones too), oldest first, in a line each: to list the games of
        a store that may hold thousands without reading their logs."""
        conn = self._connect()
        try:
            return [
                Listed(*row)
                for row in conn.execute(
                    "select id, created, scenario_ref, status from games order by created, id"
                )
            ]
        finally:
            conn.close()


class SqliteStore(GroupCommitStore):
    """SQLite in WAL mode with synchronous=FULL, written by one thread with group commit."""

    def __init__(self, path: Path, *, inline: bool | None = None) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = self._connect()
        try:
            conn.executescript(SCHEMA)
        finally:
            conn.close()
        self._start(inline)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        mode = conn.execute("pragma journal_mode=wal").fetchone()[0]
        if mode != "wal":
            raise StoreError(f"{self.path}: cannot use WAL mode (got {mode})")
        conn.execute("pragma synchronous=full")
        conn.execute("pragma busy_timeout=5000")
        return conn

    def _last_words(self, conn: Any) -> None:
        conn.execute("pragma wal_checkpoint(truncate)")

    @staticmethod
    def _apply(conn: sqlite3.Connection, writes: list[_Write]) -> None:
        """All the writes' rows, a few statements for the whole batch (each statement costs GIL hand-offs)."""
        games = [row for w in writes for row in w.games]
        if games:
            conn.executemany(_INSERT_GAME, games)
        members = [row for w in writes for row in w.members]
        if members:
            conn.executemany(_INSERT_MEMBER, members)
        rows = [row for w in writes for row in w.log]
        if rows:
            conn.execute(_INSERT_LOG, ("[" + ",".join(rows) + "]",))
        snapshots = {row[0]: row for w in writes for row in w.snapshots}  # a game's latest wins
        if snapshots:
            conn.executemany(_SAVE_SNAPSHOT, list(snapshots.values()))
        updates = _merged_updates(writes)
        if updates:
            conn.execute(_UPDATE_GAME, (updates,))

    def _read(self, only: str | None) -> list[StoredGame]:
        return self._read_games(only, "?", "rowid")


def _log_rows(game_id: str, first_seq: int, entries: Sequence[Entry]) -> list[str]:
    gid = encode_basestring(game_id)
    return [f"[{gid},{first_seq + i},{encode_basestring(_dumps(e))}]" for i, e in enumerate(entries)]


def _member_rows(game_id: str, members: Sequence[Member]) -> list[tuple[Any, ...]]:
    return [(game_id, m.id, m.role, m.state, m.digest) for m in members]


_Settled = tuple[asyncio.Future[None], BaseException | None, Callable[[], None] | None]


def _settle(settled: list[_Settled]) -> None:
    for future, outcome, on_durable in settled:
        if future.done():
            continue
        if outcome is None:
            if on_durable is not None:
                try:
                    on_durable()
                except Exception as exc:  # the write is durable all the same
                    log.error("after a commit: %s", type(exc).__name__)
            future.set_result(None)
        else:
            future.set_exception(outcome)


class MemoryStore(Store):
    """A store that forgets everything at exit: for tests of the core and for throwaway local games."""

    def __init__(self) -> None:
        self.games: dict[str, StoredGame] = {}

    async def create(self, header: GameHeader, members: Sequence[Member], entries: Sequence[Entry]) -> None:
        self.games[header.id] = StoredGame(header, list(members), [json.loads(_dumps(e)) for e in entries])

    def append(
        self,
        game_id: str,
        first_seq: int,
        entries: Sequence[Entry],
        *,
        members: Sequence[Member] = (),
        clock: dict[str, Any] | None = None,
        status: str | None = None,
        on_durable: Callable[[], None] | None = None,
    ) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        game = self.games[game_id]
        if first_seq != len(game.entries) + 1:
            future.set_exception(
                StoreError(f"{game_id}: entry {first_seq} does not follow {len(game.entries)}")
            )
            return future
        game.entries.extend(json.loads(_dumps(e)) for e in entries)
        if on_durable is not None:
            on_durable()
        future.set_result(None)
        game.members.extend(members)
        if clock is not None:
            game.header.clock = clock
        if status is not None:
            game.header.status = status
        return future

    def save_snapshot(self, game_id: str, snapshot: Snapshot) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.games[game_id].snapshot = snapshot
        future.set_result(None)
        return future

    def load(self, archived: bool = False) -> list[StoredGame]:
        return [g for g in self.games.values() if archived or g.header.status != ARCHIVED]

    async def archive(self, game_id: str) -> None:
        if game_id in self.games:
            self.games[game_id].header.status = ARCHIVED

    def load_game(self, game_id: str) -> StoredGame | None:
        return self.games.get(game_id)

    async def close(self) -> None:
        return None


def median_ms(values: Sequence[float]) -> float | None:
    return round(statistics.median(values) * 1000, 3) if values else None

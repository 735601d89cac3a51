"""Load test of `backchannel serve` over loopback: 200 games of 5 players, 1,000 connections.

    python bench/server_load.py [--games 200] [--players 5] [--rate 500] [--seconds 20]
                                [--live delta|full] [--propose-share 0.1] [--teammates 0]
                                [--generators 2] [--store sqlite|postgresql] [--processes 1]
                                [--kills 10] [--quick]

It starts the server as a subprocess on a fresh data folder (`--store sqlite`, the default) or,
with `--store postgresql`, a PostgreSQL 16 of its own (pgserver, in a temporary folder, with
PostgreSQL's durable defaults) and `--processes N` `serve --store` processes over one fresh
database (issue 15).  It creates the games (classic board,
five seats for people, the other two empty), connects and seats every player, then:

1. steady load: the players together send `--rate` commands a second — press messages (4 in 5
   private to one other player, 1 in 5 public), and a share (`--propose-share`) of secret
   proposals to one other player — and after every `--press-per-turn` commands each player
   gives hold orders and says it is ready, so whole turns resolve all the time (a turn every
   16 s or so per game by default, far faster than people play); measured for `--seconds`;
2. saturation: every player sends its next message as soon as the previous one is acknowledged
   (closed loop) for `--burst-seconds`, to find the server's ceiling: press alone (as issue 5
   measured it), then the same mix as the steady load (proposals' live views included);
3. with several processes, the failover: `--kills` times, kill -9 of the process hosting the most
   games; one seat of each of its games (a second member, held by the bench's main process)
   reconnects at once to a surviving process and follows its redirect, as tests/
   test_cluster_failover.py does, and sends a press message; the time from the kill to the first
   acknowledgement on a new host (and to the last of those games'); a new process then takes the
   killed one's place, so there are always N.  The load generators have left by then;
4. the echo ceiling: a plain websockets echo server with as many clients, closed loop, for
   comparison.

With several processes the games are created spread over them, and each player enters through
one of them (by its number) and follows the `redirect` it is given to its game's host; the
server figures are summed (CPU) or the median of each process's (acknowledgement).  PostgreSQL
shares the 2 cores with the server processes and the load generators: its CPU is not in the
server's.

The players live in `--generators` load generator processes (whole games each; 2 by default): one
Python process's websockets client was the limit before the server was (issue 14 measured about
1,700 press messages a second from one process while the server had CPU to spare).  The echo
ceiling is loaded by the same processes, so the two figures share one client.  They run at
niceness +10 (`--generator-nice`): real clients are on other machines, and the server should not
have to share its core with its own load.  The main process
creates the games, runs the ping probe and gathers the figures.

It prints connections held, messages a second, the latency from a press message sent to its
delivery (p50, p99), the latency from a proposal sent to the moment *every* viewer it affects has
its update (the proposer's and the recipient's connections, teammates included: in `delta` mode
the agreement card that follows the event, in `full` mode the whole new view), the median durable
acknowledgement (command sent to its ack, which comes after the commit; and the server's own
commit median), the disk's fsync floor, and what fraction of the echo ceiling the server reaches.
In saturation it also prints the server's own CPU (all its threads, from /stats) per press applied:
on a shared machine the load generator and its neighbours take CPU from the server, and what the
server spends per command says what it would do with a core of its own.
`--live` starts the server with BACKCHANNEL_LIVE_VIEWS set (delta: typed view deltas in the event
stream, the default; full: a whole new view to each affected viewer after every command), so the
two designs can be measured side by side.  `--teammates N` seats a second member on the first N
states of each game.  Everything is bounded: counts by the arguments, time by a deadline on every
phase.  `--quick` (CI): 8 games, 2 s steady, 1 s of each saturation, a small echo, at most 2
kills: a check that it runs, not a measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import re
import resource
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import msgpack
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

ROOT = Path(__file__).resolve().parent.parent
CLASSIC = ROOT / "tests" / "fixtures" / "classic_board.yaml"
STATES = ["eng", "fra", "ger", "ita", "aus", "rus", "tur"]
LIVE_ENV = "BACKCHANNEL_LIVE_VIEWS"
PROPOSAL = re.compile(rb"bench-prop-([0-9]+)")
VIEW_FRAME = b"\xa4type\xa4view"
"""How a `view` frame begins after its map header (the server packs `type` first): a view is big,
and this client decodes one only when it needs the units in it."""

ECHO_SERVER = """
import asyncio, sys
from websockets.asyncio.server import serve
async def echo(ws):
    async for m in ws:
        await ws.send(m)
async def main():
    async with serve(echo, "127.0.0.1", 0, compression=None, max_queue=16) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()
asyncio.run(main())
"""


def raise_open_files(wanted: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@dataclass
class Stats:
    measuring: bool = False
    delivery: list[float] = field(default_factory=list)
    acks: list[float] = field(default_factory=list)
    sent_all: int = 0
    pings: list[float] = field(default_factory=list)
    press_sent: int = 0
    press_acked: int = 0
    frames: int = 0
    errors: int = 0
    error_codes: dict[str, int] = field(default_factory=dict)
    phases: int = 0
    timeline: list[tuple[float, float]] = field(default_factory=list)
    proposals_sent: int = 0
    proposals_acked: int = 0
    updated_all: list[float] = field(default_factory=list)
    """A proposal sent -> the last of the viewers it affects has its update."""
    updated_first: list[float] = field(default_factory=list)
    viewers_per_proposal: list[int] = field(default_factory=list)


@dataclass
class Pending:
    """A proposal in flight: when it was sent, and the connections still waiting for its update."""

    sent: float
    waiting: set[int]
    count: int
    first: float | None = None
    measured: bool = True


class Tracker:
    """The proposals in flight, by number; each connection ticks itself off when its update arrives."""

    def __init__(self, stats: Stats) -> None:
        self.stats = stats
        self.pending: dict[int, Pending] = {}
        self.numbers = 0

    def expect(self, viewers: set[int]) -> int:
        self.numbers += 1
        self.pending[self.numbers] = Pending(
            time.perf_counter(), set(viewers), len(viewers), measured=self.stats.measuring
        )
        return self.numbers

    def arrived(self, frame: bytes, connection: int, now: float) -> None:
        for found in PROPOSAL.findall(frame):
            entry = self.pending.get(int(found))
            if entry is None or connection not in entry.waiting:
                continue
            entry.waiting.discard(connection)
            if entry.first is None:
                entry.first = now
            if not entry.waiting:
                del self.pending[int(found)]
                if entry.measured and self.stats.measuring:
                    self.stats.updated_all.append(now - entry.sent)
                    self.stats.updated_first.append(entry.first - entry.sent)
                    self.stats.viewers_per_proposal.append(entry.count)


class Player:
    """One simulated client: a seat, a reader task and a sender loop.  A teammate (a second member
    of a state) only reads: it is one more viewer that the state's facts must reach."""

    def __init__(
        self,
        ws: ClientConnection,
        state: str,
        peers: list[str],
        stats: Stats,
        rng: random.Random,
        tracker: Tracker,
        number: int,
        reader_only: bool = False,
    ) -> None:
        self.ws = ws
        self.state = state
        self.peers = peers
        self.stats = stats
        self.rng = rng
        self.tracker = tracker
        self.number = number
        """This connection's number, for the tracker."""
        self.reader_only = reader_only
        self.team: dict[str, list[int]] = {}
        """The connection numbers of every state of this game: who a proposal must reach."""
        self.turn = 1
        self.phase = "movement"
        self.view: bytes | None = None
        self.units: list[str] = []
        self.units_of: bytes | None = None
        self.ready_sent = False
        self.pending: dict[str, tuple[float, asyncio.Future[None] | None, str]] = {}
        self.counter = 0
        self.press_per_turn = 8
        self.turn_offset = 0
        self.propose_share = 0.0
        self.reader: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.reader = asyncio.create_task(self.read())

    async def read(self) -> None:
        stats = self.stats
        tracker = self.tracker
        with contextlib.suppress(ConnectionClosed, asyncio.CancelledError):
            async for frame in self.ws:
                now = time.perf_counter()
                if isinstance(frame, str):  # the server sends binary frames only
                    continue
                if stats.measuring:
                    stats.frames += 1
                if b"bench-prop-" in frame:
                    tracker.arrived(frame, self.number, now)
                if frame.startswith(VIEW_FRAME, 1):  # kept as it came; read when its units are needed
                    self.view = frame
                    continue
                message = msgpack.unpackb(frame)
                kind = message["type"]
                if kind == "ack":
                    sent = self.pending.pop(message["ref"], None)
                    if sent is not None:
                        if stats.measuring:
                            stats.acks.append(now - sent[0])
                            if sent[2] == "press":
                                stats.press_acked += 1
                            else:
                                stats.proposals_acked += 1
                        if sent[1] is not None and not sent[1].done():
                            sent[1].set_result(None)
                elif kind == "event":
                    event = message["event"]
                    if (
                        event["kind"] == "message"
                        and event["from"] != self.state
                        and event["text"].startswith("bench ")
                    ):
                        if stats.measuring:
                            sent_at = float(event["text"].split()[1])
                            stats.delivery.append(now - sent_at)
                            stats.timeline.append((sent_at, now - sent_at))
                    elif event["kind"] == "phase":
                        self.turn, self.phase, self.ready_sent = event["turn"], event["phase"], False
                        if stats.measuring and not self.reader_only:
                            stats.phases += 1
                        if self.phase != "movement" and not self.reader_only:
                            await self.send({"type": "ready", "id": self.next_id()})
                            self.ready_sent = True
                elif kind == "view":
                    self.view = frame
                elif kind == "error":
                    stats.errors += 1
                    stats.error_codes[message["code"]] = stats.error_codes.get(message["code"], 0) + 1
                    ref = message.get("ref")
                    if ref is None and self.pending:  # refused before it was read (rate_limited): the oldest
                        ref = next(iter(self.pending))
                    sent = self.pending.pop(ref, None)
                    if sent is not None and sent[1] is not None and not sent[1].done():
                        sent[1].set_result(None)

    def hold_orders(self) -> list[str]:
        """Every unit of the state holds: read from the last view this connection got."""
        if self.view is not None and self.view is not self.units_of:
            view = msgpack.unpackb(self.view)["view"]
            self.units = [
                f"{'A' if u['type'] == 'army' else 'F'} {u['location']} H"
                for u in view["map"]["units"]
                if u["state"] == self.state
            ]
            self.units_of = self.view
        return self.units

    def next_id(self) -> str:
        self.counter += 1
        return f"{self.state}{self.counter}"

    async def send(self, message: dict[str, Any]) -> None:
        if self.stats.measuring:
            self.stats.sent_all += 1
        with contextlib.suppress(ConnectionClosed):
            await self.ws.send(msgpack.packb(message))

    async def command(self, wait: bool = False, propose_share: float | None = None) -> None:
        """The next command: a press message, or (a share of them) a secret proposal to one other player."""
        share = self.propose_share if propose_share is None else propose_share
        if share and self.rng.random() < share:
            await self.propose(wait)
        else:
            await self.press(wait)

    async def press(self, wait: bool = False) -> None:
        ref = self.next_id()
        private = self.rng.random() < 0.8
        text = f"bench {time.perf_counter():.9f} from {self.state}"
        command: dict[str, Any] = {"kind": "press", "text": text}
        if private:
            command["to"] = [self.rng.choice(self.peers)]
        future = asyncio.get_running_loop().create_future() if wait else None
        self.pending[ref] = (time.perf_counter(), future, "press")
        if self.stats.measuring:
            self.stats.press_sent += 1
        await self.send({"type": "act", "id": ref, "command": command})
        if future is not None:
            await asyncio.wait_for(future, 30)

    async def propose(self, wait: bool = False) -> None:
        """A secret proposal to one other player: it changes the view of both states, every member."""
        ref = self.next_id()
        peer = self.rng.choice(self.peers)
        number = self.tracker.expect({*self.team.get(self.state, ()), *self.team.get(peer, ())})
        command = {
            "kind": "propose",
            "parties": [self.state, peer],
            "visibility": "secret",
            "title": f"bench-prop-{number}",
            "clauses": [{"kind": "free_text", "text": "bench"}],
        }
        future = asyncio.get_running_loop().create_future() if wait else None
        self.pending[ref] = (time.perf_counter(), future, "propose")
        if self.stats.measuring:
            self.stats.proposals_sent += 1
        await self.send({"type": "act", "id": ref, "command": command})
        if future is not None:
            await asyncio.wait_for(future, 30)

    async def orders_and_ready(self) -> None:
        if self.phase != "movement" or self.ready_sent:
            return
        self.ready_sent = True
        await self.send(
            {
                "type": "act",
                "id": self.next_id(),
                "command": {
                    "kind": "orders",
                    "turn": self.turn,
                    "phase": "movement",
                    "orders": self.hold_orders(),
                },
            }
        )
        await self.send({"type": "ready", "id": self.next_id()})

    async def steady(self, interval: float, start: float, until: float) -> None:
        at = start + self.rng.random() * interval
        sent = self.turn_offset  # games are at different points of their turns, as real games would be
        while True:
            delay = at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if time.perf_counter() >= until:
                return
            await self.command()
            sent += 1
            if sent % self.press_per_turn == 0:
                await self.orders_and_ready()
            at += interval

    async def closed_loop(self, until: float, propose_share: float) -> None:
        """Each command as soon as the last is acknowledged, but never faster than a seat may send (the
        server's rate limit, 20 frames a second with the orders and ready flags: past it refusals go unanswered
        and the loop would stall); with 1,000 players that bounds nothing below 15,000 commands a second."""
        sent = 0
        gap = 1 / 15
        last = 0.0
        while time.perf_counter() < until:
            wait = last + gap - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            last = time.perf_counter()
            try:
                await self.command(wait=True, propose_share=propose_share)
            except (TimeoutError, ConnectionClosed):
                return
            sent += 1
            if sent % self.press_per_turn == 0:
                await self.orders_and_ready()


async def probe(url: str, stats: Stats, until: float) -> None:
    """Round trips of a ping (no seat, nothing stored) through the loaded server from the bench's
    main process (the generators run the players), every 60 ms (under a connection's rate limit, 20 frames a second: past it the server
    stops answering): the floor under any acknowledgement the players see."""
    async with connect(url, compression=None, open_timeout=60) as ws:
        await ws.send(msgpack.packb({"type": "hello", "protocol": 1}))
        await asyncio.wait_for(ws.recv(), 30)
        n = 0
        while time.perf_counter() < until:
            n += 1
            sent = time.perf_counter()
            await ws.send(msgpack.packb({"type": "ping", "id": n}))
            await asyncio.wait_for(ws.recv(), 30)
            stats.pings.append(time.perf_counter() - sent)
            await asyncio.sleep(0.06)


async def start_process(
    *args: str, log: Path, env: dict[str, str] | None = None
) -> tuple[asyncio.subprocess.Process, str]:
    with log.open("ab") as err:
        proc = await asyncio.create_subprocess_exec(
            *args,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=err,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode().strip()
    return proc, line


async def request(
    ws: ClientConnection, message: dict[str, Any], reply_types: tuple[str, ...]
) -> dict[str, Any]:
    await ws.send(msgpack.packb(message))
    while True:
        reply = msgpack.unpackb(await asyncio.wait_for(ws.recv(), 60))
        if reply["type"] in reply_types and reply.get("ref") == message.get("id"):
            return reply  # type: ignore[no-any-return]
        if reply["type"] == "error" and reply.get("ref") == message.get("id"):
            raise Refused(reply)


class Refused(RuntimeError):
    def __init__(self, reply: dict[str, Any]) -> None:
        super().__init__(f"refused: {reply}")
        self.code = reply.get("code")


async def setup_game(url: str, players: int, text: str) -> dict[str, str]:
    seats = {s: ("human" if i < players else "none") for i, s in enumerate(STATES)}
    async with connect(url, compression=None, max_queue=None) as ws:
        await request(ws, {"type": "hello", "protocol": 1, "id": 0}, ("welcome",))
        for attempt in range(1, 1000):
            try:
                created = await request(
                    ws,
                    {"type": "create", "id": attempt, "scenario_text": text, "seed": 1, "seats": seats},
                    ("created",),
                )
                break
            except Refused as refused:  # uploads are read one at a time, a few waiting: come back later
                if refused.code != "busy":
                    raise
                await asyncio.sleep(0.2 + 0.3 * random.random())
        await request(ws, {"type": "start", "id": 0x7FFF}, ("ack",))
        return created["codes"]["states"]  # type: ignore[no-any-return]


async def join_game(
    url: str, code: str, max_queue: int | None = None
) -> tuple[ClientConnection, dict[str, Any], str]:
    """Join a game by its code through the process at `url`, following a `redirect` to the process
    hosting it (docs/protocol.md: the same hello and the same join, with the same id, there)."""
    for _ in range(3):
        ws = await connect(url, compression=None, max_queue=max_queue, open_timeout=60, ping_interval=None)
        await request(ws, {"type": "hello", "protocol": 1, "id": 0}, ("welcome",))
        reply = await request(ws, {"type": "join", "id": 1, "code": code}, ("joined", "redirect"))
        if reply["type"] == "joined":
            return ws, reply, url
        await ws.close()
        url = reply["address"]
    raise RuntimeError(f"join {code}: redirected three times")


async def seat(
    url: str,
    code: str,
    state: str,
    peers: list[str],
    stats: Stats,
    rng: random.Random,
    tracker: Tracker,
    number: int,
    reader_only: bool,
) -> Player:
    ws, _, _ = await join_game(url, code)
    player = Player(ws, state, peers, stats, rng, tracker, number, reader_only)
    player.start()
    return player


async def bounded(limit: int, coros: list[Any]) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def run(coro: Any) -> Any:
        async with gate:
            return await coro

    return await asyncio.gather(*(run(c) for c in coros))


def server_stats(port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=10) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def fsync_floor(folder: Path, commits: int = 60) -> float:
    """Median time of one durable SQLite commit (WAL, synchronous=FULL) in this folder: the disk's floor."""
    path = folder / "fsync-probe.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("pragma journal_mode=wal")
    conn.execute("pragma synchronous=full")
    conn.execute("create table t (x blob)")
    times = []
    for _ in range(commits):
        start = time.perf_counter()
        conn.execute("begin")
        conn.execute("insert into t values (?)", (b"x" * 200,))
        conn.execute("commit")
        times.append(time.perf_counter() - start)
    conn.close()
    return statistics.median(times)


async def echo_load(url: str, clients: int, seconds: float, start: float) -> tuple[int, float]:
    """This generator's share of the echo ceiling: `clients` sockets, closed loop, from `start`."""
    sockets = await bounded(
        100, [connect(url, compression=None, open_timeout=60, ping_interval=None) for _ in range(clients)]
    )
    count = 0
    payload = msgpack.packb({"type": "ping", "id": 1})
    until = start + seconds

    async def loop(ws: ClientConnection) -> None:
        nonlocal count
        while time.perf_counter() < until:
            await ws.send(payload)
            await ws.recv()
            count += 1

    await asyncio.sleep(max(0.0, start - time.perf_counter()))
    await asyncio.gather(*(loop(ws) for ws in sockets))
    elapsed = time.perf_counter() - start
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return count, elapsed


class ServerProcess:
    """One `backchannel serve` process.  A plain Popen, not asyncio's: after a kill -9 the process's
    upload worker may hold its stdout a moment longer, and asyncio's wait would wait for it too."""

    def __init__(self, proc: subprocess.Popen[bytes], url: str) -> None:
        self.proc = proc
        self.url = url
        self.port = int(url.rsplit(":", 1)[1])

    @classmethod
    async def start(cls, store: str | None, data: Path, log: Path, live: str) -> ServerProcess:
        where = ["--store", store] if store else ["--data", str(data)]
        with log.open("ab") as err:
            proc = subprocess.Popen(
                # The load comes from one address: trust it, as an operator trusts a load generator.
                [sys.executable, "-m", "game.cli", "serve", "--port", "0", *where, "--trust", "127.0.0.1"],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONUNBUFFERED": "1", LIVE_ENV: live},
            )
        assert proc.stdout is not None
        line = (await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 60)).decode().strip()
        if not line.startswith("listening on ws://"):
            proc.kill()
            raise RuntimeError(f"serve did not start: {line!r}\\n{log.read_text()[-3000:]}")
        return cls(proc, line.split()[-1])

    async def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                await asyncio.to_thread(self.proc.wait, 30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                await asyncio.to_thread(self.proc.wait)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@contextlib.contextmanager
def postgres_server(folder: Path, named: str | None = None) -> Iterator[str]:
    """A PostgreSQL 16 of the bench's own (pgserver, as the tests start one) in `folder`, or the
    running one whose administrative database `named` gives (`--postgres`), and a fresh database on
    it: that database's postgresql:// address, as `serve --store` takes it.  Unlike the tests'
    server, the bench's keeps PostgreSQL's defaults (fsync on): the acknowledgement measured is a
    durable one."""
    sys.path.insert(0, str(ROOT))  # (run as a script: the repository's tests/ is not on the path)
    from tests.support.postgres import drop_database, fresh_database, local_postgres

    name = f"backchannel_bench_{os.getpid()}"  # its own, on a server that others may use too (--postgres)
    with contextlib.ExitStack() as stack:
        try:
            admin = named or stack.enter_context(local_postgres(folder, durable=True))
        except RuntimeError as exc:  # no pgserver
            raise SystemExit(f"--store postgresql: {exc}") from None
        url = fresh_database(admin, name)
        try:
            yield url
        finally:
            with contextlib.suppress(Exception):
                drop_database(admin, name)


def postgres_commit_floor(url: str, commits: int = 60) -> tuple[float, str]:
    """Median time of one committed insert (PostgreSQL's defaults: fsync, synchronous_commit on) from a
    client on this machine: the floor under a durable acknowledgement over PostgreSQL; and the settings
    that make it durable, as the server reports them."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        settings = ", ".join(
            f"{name} {conn.execute(f'show {name}').fetchone()[0]}"  # type: ignore[index]
            for name in ("fsync", "synchronous_commit", "wal_sync_method")
        )
        conn.execute("create table if not exists bench_commit_probe (x bytea)")
        times = []
        for _ in range(commits):
            start = time.perf_counter()
            conn.execute("insert into bench_commit_probe values (%s)", (b"x" * 200,))
            times.append(time.perf_counter() - start)
        conn.execute("drop table bench_commit_probe")
    return statistics.median(times), settings


def descendants(pid: int) -> list[int]:
    """Every process below `pid` now (Linux's /proc; none elsewhere)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


async def enter_with_token(
    urls: list[str], first: int, token: str, patience: float = 60.0
) -> tuple[ClientConnection, str]:
    """A seat back in through a process that answers (from `first` on), following its redirect.  As the
    client's link does (docs/protocol.md): when a redirected address fails, or the connection closes,
    back to the first addresses.  (Just after a kill -9 a survivor may still see the dead process's lease
    for a moment, PostgreSQL not having seen its session end yet, and send the seat there.)"""
    deadline = time.perf_counter() + patience
    problems: list[str] = []
    while time.perf_counter() < deadline:
        for i in range(len(urls)):
            url = urls[(first + i) % len(urls)]
            for _ in range(3):
                ws: ClientConnection | None = None
                try:
                    ws = await connect(
                        url, compression=None, max_queue=None, open_timeout=10, ping_interval=None
                    )
                    hello = {"type": "hello", "protocol": 1, "id": 0, "token": token}
                    reply = await request(ws, hello, ("welcome", "redirect"))
                except (
                    OSError,
                    InvalidHandshake,
                    ConnectionClosed,
                    Refused,
                    TimeoutError,
                ) as exc:  # gone, or not yet
                    problems.append(f"{url}: {exc!r}")
                    if ws is not None:
                        await ws.close()
                    break
                if reply["type"] == "welcome":
                    return ws, url
                await ws.close()
                url = reply["address"]
        await asyncio.sleep(0.05)
    raise RuntimeError(f"no process took the seat back in {patience:.0f} s: {problems[-5:]}")


async def come_back(w: Watcher, survivors: list[str], kill: int, killed_at: float) -> float:
    """A seat whose process was killed: its connection dropped, back in through a survivor (following the
    redirect), one press message acknowledged; seconds from the kill to that acknowledgement."""
    w.ws.transport.abort()  # the client sees its connection drop and reconnects at once
    w.said += 1
    ref = f"failover-{kill}-{w.said}"
    command = {"kind": "press", "to": [], "text": f"after kill {kill}"}
    for _ in range(5):
        w.ws, w.url = await enter_with_token(survivors, w.game, w.token)
        try:  # (a connection lost before the ack: the same command again, with its id: applied once)
            await request(w.ws, {"type": "act", "id": ref, "command": command}, ("ack",))
        except (ConnectionClosed, TimeoutError):
            continue
        return time.perf_counter() - killed_at
    raise RuntimeError(f"game {w.game}: no acknowledgement after five reconnections")


@dataclass
class Watcher:
    """One seat per game held by the bench's main process for the failover: where its game is hosted."""

    game: int
    token: str
    url: str
    ws: ClientConnection
    said: int = 0


async def failover(
    servers: list[ServerProcess],
    watchers: list[Watcher],
    kills: int,
    start_server: Any,
) -> list[tuple[float, float, int]]:
    """`kills` times: kill -9 of the process hosting the most games, every seat it hosted reconnecting
    at once to a surviving process (following the redirect it is given), then a new process in its place.
    Each kill's (kill -> first command applied on a new host, kill -> every moved game's, games moved)."""
    found: list[tuple[float, float, int]] = []
    for k in range(kills):
        hosted = {s.url: [w for w in watchers if w.url == s.url] for s in servers}
        victim = max(range(len(servers)), key=lambda i: len(hosted[servers[i].url]))
        moved = hosted[servers[victim].url]
        survivors = [s.url for i, s in enumerate(servers) if i != victim]
        family = descendants(servers[victim].proc.pid)
        killed_at = time.perf_counter()
        servers[victim].proc.kill()  # SIGKILL: nothing flushed, no lease given back
        try:
            times = await asyncio.wait_for(
                asyncio.gather(*(come_back(w, survivors, k, killed_at) for w in moved)), 120
            )
        finally:
            await asyncio.to_thread(servers[victim].proc.wait)
            for pid in (
                family
            ):  # its upload worker and fork server outlive a kill -9 (a machine lost takes them too)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        found.append((min(times), max(times), len(moved)))
        print(
            f"  kill {k + 1}: process {victim + 1} ({len(moved)} games) -> first command applied on a new host "
            f"{min(times):.2f} s, every moved game's {max(times):.2f} s"
        )
        await servers[victim].stop()
        servers[victim] = await start_server(victim)
    return found


ISSUE_5 = "press applied 1,281/s, frames delivered 5,817/s"
"""Saturation before live views (issue 5's closing note), for comparison."""


class Generator:
    """One load generator process's players (whole games: a game's players share a process, so a
    press message and its delivery are timed on one clock and one tracker sees a proposal's viewers)."""

    def __init__(
        self, urls: list[str], seats: list[dict[str, Any]], press_per_turn: int, propose_share: float
    ) -> None:
        self.urls = urls
        """Every server process: a player enters through one of them (by its number) and is sent on to its game's."""
        self.seats = seats
        self.press_per_turn = press_per_turn
        self.propose_share = propose_share
        self.stats = Stats()
        self.tracker = Tracker(self.stats)
        self.players: list[Player] = []

    @property
    def actors(self) -> list[Player]:
        return [p for p in self.players if not p.reader_only]

    async def seat(self) -> int:
        s, tracker = self.stats, self.tracker
        self.players = await bounded(
            100,
            [
                seat(
                    self.urls[x["number"] % len(self.urls)],
                    x["code"],
                    x["state"],
                    x["peers"],
                    s,
                    random.Random(x["seed"]),
                    tracker,
                    x["number"],
                    x["reader_only"],
                )
                for x in self.seats
            ],
        )
        for p, x in zip(self.players, self.seats, strict=True):
            p.team = x["team"]
            p.press_per_turn = self.press_per_turn
            p.turn_offset = x["offset"]
            p.propose_share = self.propose_share
        return len(self.players)

    async def steady(self, interval: float, start: float, until: float) -> dict[str, Any]:
        stats = self.stats
        await asyncio.sleep(max(0.0, start - time.perf_counter()))
        stats.measuring = True
        await asyncio.wait_for(
            asyncio.gather(*(p.steady(interval, start, until) for p in self.actors)), until - start + 60
        )
        sending = time.perf_counter() - start  # the senders' window (longer than asked if they fell behind)
        await asyncio.sleep(0.5)  # the last deliveries
        stats.measuring = False
        return {
            "sending": sending,
            "elapsed": time.perf_counter() - start,
            "press_sent": stats.press_sent,
            "proposals_sent": stats.proposals_sent,
            "sent_all": stats.sent_all,
            "frames": stats.frames,
            "delivery": stats.delivery,
            "acks": stats.acks,
            "phases": stats.phases,
            "updated": stats.updated_all,
            "updated_first": stats.updated_first,
            "viewers": stats.viewers_per_proposal,
            "errors": stats.error_codes,
            "timeline": stats.timeline,
            "held": sum(1 for p in self.players if p.ws.state.name == "OPEN"),
        }

    async def saturate(self, start: float, seconds: float, propose_share: float) -> dict[str, Any]:
        """Closed loop for `seconds` from `start`: every player sends its next command as soon as the last is acknowledged."""
        stats = self.stats
        for p in self.players:
            p.pending.clear()
        stats.press_sent = stats.press_acked = stats.proposals_sent = stats.proposals_acked = stats.frames = 0
        stats.delivery, stats.acks, stats.updated_all, stats.updated_first = [], [], [], []
        stats.error_codes = {}
        await asyncio.sleep(max(0.0, start - time.perf_counter()))
        cpu = time.process_time()
        stats.measuring = True
        until = start + seconds
        await asyncio.wait_for(
            asyncio.gather(*(p.closed_loop(until, propose_share) for p in self.actors)), seconds + 90
        )
        await asyncio.sleep(0.2)  # the last updates of the last commands
        stats.measuring = False
        return {
            "cpu": time.process_time() - cpu,
            "elapsed": time.perf_counter() - start,
            "press": stats.press_acked,
            "proposals": stats.proposals_acked,
            "frames": stats.frames,
            "delivery": stats.delivery,
            "acks": stats.acks,
            "updated": stats.updated_all,
            "errors": stats.error_codes,
        }

    async def disconnect(self) -> None:
        await asyncio.gather(*(p.ws.close() for p in self.players), return_exceptions=True)
        for p in self.players:
            if p.reader is not None:
                p.reader.cancel()

    async def echo(self, url: str, clients: int, seconds: float, start: float) -> tuple[int, float]:
        return await echo_load(url, clients, seconds, start)


def generator_process(
    pipe: Connection,
    urls: list[str],
    seats: list[dict[str, Any]],
    press_per_turn: int,
    propose_share: float,
    nice: int,
) -> None:
    """A load generator process: runs what the bench's main process asks, one request at a time.  It
    yields the CPU to the server (`nice`): clients run on other machines, and on this one the server
    should not have to share its core with its own load."""
    if nice and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(nice)
    asyncio.run(_generate(pipe, Generator(urls, seats, press_per_turn, propose_share)))


async def _generate(pipe: Connection, generator: Generator) -> None:
    loop = asyncio.get_running_loop()
    while True:
        try:
            op, params = await loop.run_in_executor(None, pipe.recv)
        except EOFError:
            return
        if op == "stop":
            return
        try:
            pipe.send(("ok", await getattr(generator, op)(*params)))
        except Exception:
            pipe.send(("failed", traceback.format_exc()))
            return


class Generators:
    """The load generator processes, from the bench's main process: the same request to each, their answers."""

    def __init__(
        self,
        urls: list[str],
        shares: list[list[dict[str, Any]]],
        press_per_turn: int,
        propose_share: float,
        nice: int = 0,
    ) -> None:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no event loop inherited
        self.pipes: list[Connection] = []
        self.processes: list[BaseProcess] = []
        for share in shares:
            ours, theirs = context.Pipe()
            process = context.Process(
                target=generator_process,
                args=(theirs, urls, share, press_per_turn, propose_share, nice),
                daemon=True,
            )
            process.start()
            theirs.close()
            self.pipes.append(ours)
            self.processes.append(process)

    async def ask(
        self, op: str, params: list[tuple[Any, ...]] | tuple[Any, ...] = (), timeout: float = 300
    ) -> list[Any]:
        """`op` in every generator (with its own parameters if a list is given); their results, in order."""
        loop = asyncio.get_running_loop()
        for i, pipe in enumerate(self.pipes):
            pipe.send((op, params[i] if isinstance(params, list) else params))
        answers = await asyncio.wait_for(
            asyncio.gather(*(loop.run_in_executor(None, pipe.recv) for pipe in self.pipes)), timeout
        )
        for status, result in answers:
            if status != "ok":
                raise RuntimeError(f"a load generator failed in {op}:\n{result}")
        return [result for _, result in answers]

    def stop(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(("stop", ()))
        for process in self.processes:
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join()


def merged(results: list[dict[str, Any]], key: str) -> list[Any]:
    return [x for r in results for x in r[key]]


def summed(results: list[dict[str, Any]], key: str) -> dict[str, int]:
    total: dict[str, int] = {}
    for r in results:
        for k, v in r[key].items():
            total[k] = total.get(k, 0) + v
    return total


def main_thread_schedule(pid: int | None) -> tuple[float, float] | None:
    """(seconds on a CPU, seconds runnable but waiting for one) of a process's main thread so far,
    from Linux's /proc/PID/schedstat; None elsewhere.  On a shared machine the second says how much
    of the server's time its neighbours took."""
    if pid is None:
        return None
    try:
        running, waiting, _ = Path(f"/proc/{pid}/schedstat").read_text().split()
    except (OSError, ValueError):
        return None
    return int(running) / 1e9, int(waiting) / 1e9


async def saturate(
    generators: Generators,
    seconds: float,
    propose_share: float,
    ports: list[int] | None = None,
    pids: list[int] | None = None,
) -> dict[str, Any]:
    """Closed loop in every generator for `seconds`.  With the server processes' `ports`, also their CPU
    seconds (all their threads, summed over the processes) in that time, from /stats."""
    before = [server_stats(port) for port in ports] if ports else None
    scheduled, scheduled_at = [main_thread_schedule(pid) for pid in pids or []], time.perf_counter()
    start = time.perf_counter() + 0.2
    results = await generators.ask("saturate", (start, seconds, propose_share), seconds + 120)
    after = [server_stats(port) for port in ports] if ports else None
    rescheduled, wall = [main_thread_schedule(pid) for pid in pids or []], time.perf_counter() - scheduled_at
    loop_share = None
    if scheduled and all(x is not None for x in scheduled + rescheduled):
        # Summed over the processes' event loops: with N processes, N00% is every loop busy.
        loop_share = (
            sum(r[0] - b[0] for b, r in zip(scheduled, rescheduled, strict=True) if b and r) / wall,
            sum(r[1] - b[1] for b, r in zip(scheduled, rescheduled, strict=True) if b and r) / wall,
        )
    cpu = None
    if before and after and all("cpu_seconds" in b for b in before):
        cpu = sum(
            (a["cpu_seconds"] - b["cpu_seconds"]) / (a["wall_seconds"] - b["wall_seconds"])
            for b, a in zip(before, after, strict=True)
        )
    return {
        "cpu": cpu,
        "loop": loop_share,
        "generators_cpu": sum(r["cpu"] / r["elapsed"] for r in results),
        "press": sum(r["press"] / r["elapsed"] for r in results),
        "proposals": sum(r["proposals"] / r["elapsed"] for r in results),
        "frames": sum(r["frames"] / r["elapsed"] for r in results),
        "delivery": merged(results, "delivery"),
        "acks": merged(results, "acks"),
        "updated": merged(results, "updated"),
        "errors": summed(results, "errors"),
    }


async def echo_ceiling(generators: Generators, clients: int, seconds: float, log: Path) -> float:
    """A plain websockets echo server loaded by the same generator processes, closed loop."""
    proc, line = await start_process(sys.executable, "-c", ECHO_SERVER, log=log)
    url = f"ws://127.0.0.1:{int(line)}"
    try:
        n = len(generators.pipes)
        start = time.perf_counter() + 2.0 + clients / 500  # after every generator's sockets are open
        shares = [(url, clients // n + (i < clients % n), seconds, start) for i in range(n)]
        results = await generators.ask("echo", shares, seconds + 180)
        return float(sum(count / elapsed for count, elapsed in results))
    finally:
        proc.kill()
        await proc.wait()


async def main(args: argparse.Namespace) -> None:
    connections = args.games * (args.players + args.teammates)
    limit = raise_open_files(2 * connections + 2 * args.echo_clients + 256)
    with tempfile.TemporaryDirectory(prefix="backchannel-bench-") as folder:
        work = Path(folder)
        try:
            with contextlib.ExitStack() as stack:
                store = (
                    stack.enter_context(postgres_server(work / "pg", args.postgres))
                    if args.store == "postgresql"
                    else None
                )
                await run(args, connections, limit, work, store)
        except BaseException:
            said_by_servers(work)
            raise


def said_by_servers(work: Path, lines: int = 40) -> None:
    """When the bench fails: what its server processes logged above INFO, the last lines of each, on
    stderr (their logs go with the bench's temporary folder)."""
    for log in sorted(work.glob("server-*.log")):
        text = log.read_text(encoding="utf-8", errors="replace").splitlines()
        notable = [line for line in text if " INFO " not in line and line.strip()]
        if notable:
            print(f"-- {log.name}, above INFO (last {lines}):", *notable[-lines:], sep="\n", file=sys.stderr)


async def run(args: argparse.Namespace, connections: int, limit: int, work: Path, store: str | None) -> None:
    text = CLASSIC.read_text(encoding="utf-8")
    servers: list[ServerProcess] = []

    async def start_server(n: int) -> ServerProcess:
        return await ServerProcess.start(store, work / "data", work / f"server-{n + 1}.log", args.live)

    if args.connect:
        urls = [args.connect]
        live = f"as the server at {args.connect} was started (--live not applied)"
    else:
        servers = list(await asyncio.gather(*(start_server(n) for n in range(args.processes))))
        urls = [s.url for s in servers]
        live = f"{args.live} ({LIVE_ENV}={args.live})"
    ports = [int(url.rsplit(":", 1)[1]) for url in urls]
    probe_stats = Stats()
    rng = random.Random(1)
    workers = max(1, min(args.generators, args.games))
    print(
        f"Backchannel server load: {args.games} games x {args.players} players"
        f"{f' + {args.teammates} teammate(s)' if args.teammates else ''} on loopback, "
        f"{os.cpu_count()} CPUs, open-files limit {limit}, {workers} load generator process(es)"
    )
    where = "SQLite (WAL, synchronous=FULL)"
    if store:
        where = (
            "PostgreSQL named by --postgres, a fresh database"
            if args.postgres
            else "PostgreSQL 16 of the bench's own (pgserver, PostgreSQL's defaults: fsync on)"
        )
    print(
        f"store: {where}; "
        + (
            "one server process"
            if len(urls) == 1
            else f"{len(urls)} server processes: games created spread over them, each player entering through one of them "
            "and following its redirect to its game's"
        )
    )
    print(
        f"live views: {live}; proposals: {args.propose_share:.0%} of the commands; "
        f"load generators at niceness +{args.generator_nice}"
    )
    generators: Generators | None = None
    failovers: list[tuple[float, float, int]] = []
    floor: float | None = None
    pg_settings = ""
    try:
        started = time.perf_counter()
        # Four at a time: the server reads uploads one by one with a few waiting (`busy` beyond that).
        codes = await asyncio.wait_for(
            bounded(4, [setup_game(urls[g % len(urls)], args.players, text) for g in range(args.games)]),
            300,
        )
        # Each game's players, then its teammates: a second member on each of the first --teammates states.
        plan: list[tuple[int, str, str, list[str], bool]] = []  # game, code, state, peers, reads only
        for g, game in enumerate(codes):
            for reader_only, states in ((False, list(game)), (True, list(game)[: args.teammates])):
                plan += [
                    (g, game[state], state, [s for s in game if s != state], reader_only) for state in states
                ]
        seeds = [rng.random() for _ in plan]
        teams: list[dict[str, list[int]]] = [{} for _ in codes]
        for n, (g, _, state, _, _) in enumerate(plan):
            teams[g].setdefault(state, []).append(n)
        offsets = [rng.randrange(args.press_per_turn) for _ in codes]
        shares: list[list[dict[str, Any]]] = [[] for _ in range(workers)]
        for n, (g, code, state, peers, reader_only) in enumerate(plan):
            shares[g % workers].append(
                {
                    "number": n,
                    "code": code,
                    "state": state,
                    "peers": peers,
                    "reader_only": reader_only,
                    "seed": seeds[n],
                    "team": teams[g],
                    "offset": offsets[g],
                }
            )
        generators = Generators(urls, shares, args.press_per_turn, args.propose_share, args.generator_nice)
        seated = sum(await generators.ask("seat"))
        actors = sum(1 for _, _, _, _, reader_only in plan if not reader_only)
        print(
            f"setup: {args.games} games created and {seated} connections seated in {time.perf_counter() - started:.1f} s"
        )

        # 1. Steady load.
        await asyncio.sleep(1.0)  # let every join's view arrive
        interval = actors / args.rate
        start = time.perf_counter() + 0.2
        until = start + args.seconds
        results, _ = await asyncio.gather(
            generators.ask("steady", (interval, start, until), args.seconds + 120),
            probe(urls[0], probe_stats, until),
        )
        sending = max(r["sending"] for r in results)
        elapsed = max(r["elapsed"] for r in results)
        held = sum(r["held"] for r in results)
        steady_server = [server_stats(port) for port in ports]
        press_rate = sum(r["press_sent"] for r in results) / sending
        frame_rate = sum(r["frames"] for r in results) / elapsed
        delivery, acks, phases = (
            merged(results, "delivery"),
            merged(results, "acks"),
            sum(r["phases"] for r in results),
        )
        proposal_rate = sum(r["proposals_sent"] for r in results) / sending
        updated, updated_first = merged(results, "updated"), merged(results, "updated_first")
        per_proposal = merged(results, "viewers")
        viewers = statistics.mean(per_proposal) if per_proposal else float("nan")
        sent_all = sum(r["sent_all"] for r in results) / sending
        steady_errors = summed(results, "errors")
        if args.timeline:
            by_second: dict[int, list[float]] = {}
            for sent_at, latency in merged(results, "timeline"):
                by_second.setdefault(int(sent_at - start), []).append(latency)
            for second in sorted(by_second):
                values = by_second[second]
                print(
                    f"  t={second:3d}s n={len(values):5d} p50={pct(values, 0.5) * 1000:7.1f} ms p99={pct(values, 0.99) * 1000:7.1f} ms"
                )

        # 2. Saturation: closed loop, press alone (as issue 5 measured it), then the steady mix.
        pids = [s.proc.pid for s in servers] or None
        burst = await saturate(generators, args.burst_seconds, 0.0, ports, pids)
        mixed = (
            await saturate(generators, args.burst_seconds, args.propose_share) if args.propose_share else None
        )
        await generators.ask("disconnect")

        # 3. Failover (several processes): kill -9 of the busiest, its players back through the others.
        if len(servers) > 1 and args.kills:
            watchers = []
            for g, game in enumerate(codes):
                ws, joined, url = await join_game(urls[(g + 1) % len(urls)], game[STATES[0]])
                watchers.append(Watcher(g, joined["token"], url, ws))
            print(
                f"failover: {args.kills} kills -9 of the process hosting the most games; one seat of each of its "
                f"games (a second member of {STATES[0]}) reconnects at once to a surviving process, follows the "
                f"redirect and sends a press message; a new process replaces the killed one before the next kill"
            )
            failovers = await failover(servers, watchers, args.kills, start_server)
            await asyncio.gather(*(w.ws.close() for w in watchers), return_exceptions=True)
        if store is not None:
            floor, pg_settings = postgres_commit_floor(store)
    except BaseException:
        if generators is not None:
            generators.stop()
        raise
    finally:
        await asyncio.gather(*(s.stop() for s in servers))

    if store is None:
        floor = fsync_floor(work)
    assert generators is not None
    try:
        echo = await echo_ceiling(generators, args.echo_clients, args.echo_seconds, work / "echo.log")
    finally:
        generators.stop()
    b_press, b_frames = burst["press"], burst["frames"]
    ms = 1000.0
    print(f"connections held: {held}/{connections}")
    print(
        f"steady ({args.seconds:.0f} s): messages sent in all {sent_all:,.0f}/s (press {press_rate:,.0f}/s, "
        f"proposals {proposal_rate:,.0f}/s, the rest orders and ready flags), frames delivered {frame_rate:,.0f}/s, "
        f"phases seen by players {phases:,} (~{phases // max(1, args.players):,} resolutions)"
    )
    print(
        f"  press sent -> delivered: p50 {pct(delivery, 0.5) * ms:.1f} ms, p99 {pct(delivery, 0.99) * ms:.1f} ms "
        f"(n={len(delivery):,})"
    )
    print(
        f"  proposal sent -> every affected viewer updated ({viewers:.1f} connections each: the proposer's and the "
        f"recipient's, teammates included; {'the agreement card' if args.live == 'delta' else 'a whole new view'}): "
        f"p50 {pct(updated, 0.5) * ms:.1f} ms, p99 {pct(updated, 0.99) * ms:.1f} ms (n={len(updated):,}); "
        f"the first of them p50 {pct(updated_first, 0.5) * ms:.1f} ms"
    )
    acked = [x["act_reply_ms_p50"] for x in steady_server if x["act_reply_ms_p50"] is not None]
    server_ack = round(statistics.median(acked), 3) if acked else None
    commits = [x["commit_ms_p50"] for x in steady_server if x["commit_ms_p50"] is not None]
    each = (
        f" (each process: {', '.join(str(x['act_reply_ms_p50']) for x in steady_server)} ms)"
        if len(steady_server) > 1
        else ""
    )
    floor_text = (
        (
            f"one committed insert from a client, PostgreSQL on this disk: {floor * ms:.1f} ms ({pg_settings})"
            if store
            else f"one fsync'd SQLite commit on this disk: {floor * ms:.1f} ms"
        )
        if floor is not None
        else ""
    )
    print(
        f"  durable ack in the server (command read -> ack sent, after its commit): median {server_ack} ms{each}; "
        f"commit alone median {round(statistics.median(commits), 3) if commits else None} ms; {floor_text}"
    )
    print(
        f"  durable ack seen by the players (sent -> ack received): median {statistics.median(acks) * ms:.1f} ms, "
        f"p99 {pct(acks, 0.99) * ms:.1f} ms; a ping's round trip (nothing stored) at the same time: "
        f"median {pct(probe_stats.pings, 0.5) * ms:.1f} ms"
    )
    print(f"  errors: {sum(steady_errors.values())} {steady_errors or ''}")
    print(
        f"saturation, press alone ({args.burst_seconds:.0f} s, closed loop): press applied {b_press:,.0f}/s, "
        f"frames delivered {b_frames:,.0f}/s, delivery p50 {pct(burst['delivery'], 0.5) * ms:.0f} ms, "
        f"ack median {statistics.median(burst['acks']) * ms if burst['acks'] else float('nan'):.0f} ms, "
        f"errors {burst['errors'] or 0} (issue 5, before live views: {ISSUE_5})"
    )
    servers_said = "all its threads" if len(ports) == 1 else f"all threads of its {len(ports)} processes"
    if burst["cpu"]:
        # On a shared machine the load generators and other processes take CPU from the server: what
        # the server spent per command says what it would do with a core of its own.
        print(
            f"  the server's CPU during it: {burst['cpu']:.0%} of one core ({servers_said}), "
            f"{burst['cpu'] * 1e6 / b_press:,.0f} µs per press applied: {b_press / burst['cpu']:,.0f} press/s "
            f"per core-second of the server; the load generators' CPU: {burst['generators_cpu']:.0%} of one core "
            f"(all {workers})"
        )
    if burst["loop"]:
        # Linux's schedstat of the server's main thread (its event loop) while the burst ran.
        loops = "event loop" if len(ports) == 1 else f"{len(ports)} event loops (summed)"
        print(
            f"  the server's {loops} during it: on a CPU {burst['loop'][0]:.0%} of the time, runnable but waiting "
            f"for a CPU {burst['loop'][1]:.0%} (taken by other processes), idle the rest"
        )
    if mixed is not None:
        print(
            f"saturation, the steady mix ({args.propose_share:.0%} proposals): commands applied "
            f"{mixed['press'] + mixed['proposals']:,.0f}/s (press {mixed['press']:,.0f}/s, proposals "
            f"{mixed['proposals']:,.0f}/s), frames delivered {mixed['frames']:,.0f}/s, proposal -> every viewer "
            f"updated p50 {pct(mixed['updated'], 0.5) * ms:.0f} ms, p99 {pct(mixed['updated'], 0.99) * ms:.0f} ms, "
            f"errors {mixed['errors'] or 0}"
        )
    print(
        f"echo ceiling (plain websockets, {args.echo_clients} clients from the same {workers} generator process(es), "
        f"closed loop): {echo:,.0f} messages/s"
    )
    print(
        f"the server applies {b_press:,.0f} press/s durably and sends {b_frames:,.0f} frames/s: "
        f"{b_press / echo:.0%} of the echo ceiling in commands, {(b_press + b_frames) / (2 * echo):.0%} in frames in+out"
    )
    if failovers:
        firsts = [f for f, _, _ in failovers]
        lasts = [a for _, a, _ in failovers]
        print(
            f"failover over {len(failovers)} kills -9 (kill -> first command applied on a new host): median "
            f"{statistics.median(firsts):.2f} s, max {max(firsts):.2f} s; every moved game's first command: median "
            f"{statistics.median(lasts):.2f} s, max {max(lasts):.2f} s ({statistics.mean(n for _, _, n in failovers):.0f} "
            f"games moved a kill on average)"
        )
    budget_p99 = pct(delivery, 0.99) * ms < 50
    budget_live = pct(updated, 0.99) * ms < 100
    print(
        f"budget: {connections:,} held {'OK' if held == connections else 'MISSED'}; p99 < 50 ms at {args.rate}/s "
        f"{'OK' if budget_p99 else 'MISSED'}; every viewer's update p99 < 100 ms {'OK' if budget_live else 'MISSED'}; "
        + (
            ""
            if store
            else f"durable ack median < 2 ms in the server {'OK' if server_ack is not None and server_ack < 2 else 'MISSED'}; "
        )
        + f"saturation >= 3,000 durable press/s {'OK' if b_press >= 3000 else 'MISSED'}"
    )
    if store is not None:
        worst = max(f for f, _, _ in failovers) if failovers else None
        print(
            f"budget (PostgreSQL, issue 15): durable ack median < 5 ms in the server "
            f"{'OK' if server_ack is not None and server_ack < 5 else 'MISSED'}; steady p99 < 50 ms "
            f"{'OK' if budget_p99 else 'MISSED'}; failover < 5 s "
            + ("(one process: not measured)" if worst is None else "OK" if worst < 5 else "MISSED")
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--games", type=int, default=200)
    parser.add_argument("--players", type=int, default=5, choices=range(2, 8))
    parser.add_argument(
        "--rate",
        type=float,
        default=500.0,
        help="commands (press and proposals) a second, all players together",
    )
    parser.add_argument(
        "--press-per-turn",
        type=int,
        default=8,
        help="each player gives orders and is ready after this many commands",
    )
    parser.add_argument(
        "--live",
        choices=("delta", "full"),
        default="delta",
        help=f"how the server's views follow within a phase ({LIVE_ENV} for the server process)",
    )
    parser.add_argument(
        "--propose-share",
        type=float,
        default=0.1,
        help="share of the commands that are secret proposals to one other player (0 to 1)",
    )
    parser.add_argument(
        "--teammates",
        type=int,
        default=0,
        choices=range(0, 8),
        help="a second member (reading only) on each of the first N states of each game",
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the steady measurement")
    parser.add_argument(
        "--burst-seconds", type=float, default=5.0, help="length of the saturation measurement"
    )
    parser.add_argument("--echo-clients", type=int, default=1000)
    parser.add_argument("--echo-seconds", type=float, default=5.0)
    parser.add_argument(
        "--generators",
        type=int,
        default=2,
        help="load generator processes (whole games each): one process's client was the limit before the server",
    )
    parser.add_argument(
        "--generator-nice",
        type=int,
        default=10,
        help="the load generators' niceness: they yield the CPU to the server (0: they compete with it)",
    )
    parser.add_argument("--timeline", action="store_true", help="print delivery latency second by second")
    parser.add_argument(
        "--connect", help="use a server already running at this ws:// URL (e.g. one under a profiler)"
    )
    parser.add_argument(
        "--store",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the server's store: SQLite in a fresh data folder, or PostgreSQL 16 that the bench starts "
        "itself (pgserver) with a fresh database",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="with --store postgresql: a running PostgreSQL's administrative database "
        "(postgresql://USER:PASSWORD@HOST:PORT/postgres) to make the bench's database on, "
        "instead of starting one",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="`serve` processes sharing the store (PostgreSQL only beyond 1); with 2 or more, the failover",
    )
    parser.add_argument("--kills", type=int, default=10, help="kills -9 in the failover (several processes)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="8 games, 2 s steady, 1 s saturations, 20 echo clients for 1 s: a check that it runs (CI)",
    )
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.games, arguments.rate, arguments.seconds, arguments.burst_seconds = 8, 100.0, 2.0, 1.0
        arguments.echo_clients, arguments.echo_seconds = 20, 1.0
        arguments.kills = min(arguments.kills, 2)
    if arguments.processes < 1 or (arguments.processes > 1 and arguments.store != "postgresql"):
        parser.error("--processes: 1, or several with --store postgresql (SQLite is one process's own file)")
    if arguments.connect and (arguments.processes > 1 or arguments.store != "sqlite"):
        parser.error("--connect measures one server already running: no --store or --processes with it")
    asyncio.run(main(arguments))

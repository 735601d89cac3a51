"""Load test of `backchannel serve` over loopback: 200 games of 5 players, 1,000 connections.

    python bench/server_load.py [--games 200] [--players 5] [--rate 500] [--seconds 20]

It starts the server as a subprocess on a fresh data folder, creates the games (classic board,
five seats for people, the other two empty), connects and seats every player, then:

1. steady load: the players together send `--rate` press messages a second (4 in 5 private to
   one other player, 1 in 5 public), and after every `--press-per-turn` messages each player
   gives hold orders and says it is ready, so whole turns resolve all the time (a turn every
   16 s or so per game by default, far faster than people play); measured for `--seconds`;
2. saturation: every player sends its next message as soon as the previous one is acknowledged
   (closed loop) for `--burst-seconds`, to find the server's ceiling;
3. the echo ceiling: a plain websockets echo server with as many clients, closed loop, for
   comparison.

It prints connections held, messages a second, the latency from a press message sent to its
delivery (p50, p99), the median durable acknowledgement (command sent to its ack, which comes
after the commit; and the server's own commit median), the disk's fsync floor, and what fraction
of the echo ceiling the server reaches.  Everything is bounded: counts by the arguments, time by
a deadline on every phase.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgpack
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parent.parent
CLASSIC = ROOT / "tests" / "fixtures" / "classic_board.yaml"
STATES = ["eng", "fra", "ger", "ita", "aus", "rus", "tur"]

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


class Player:
    """One simulated client: a seat, a reader task and a sender loop."""

    def __init__(self, ws: ClientConnection, state: str, peers: list[str], stats: Stats, rng: random.Random) -> None:
        self.ws = ws
        self.state = state
        self.peers = peers
        self.stats = stats
        self.rng = rng
        self.turn = 1
        self.phase = "movement"
        self.units: list[str] = []
        self.ready_sent = False
        self.pending: dict[str, tuple[float, asyncio.Future[None] | None]] = {}
        self.counter = 0
        self.press_per_turn = 8
        self.turn_offset = 0
        self.reader: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.reader = asyncio.create_task(self.read())

    async def read(self) -> None:
        stats = self.stats
        with contextlib.suppress(ConnectionClosed, asyncio.CancelledError):
            async for frame in self.ws:
                now = time.perf_counter()
                message = msgpack.unpackb(frame)
                kind = message["type"]
                if stats.measuring:
                    stats.frames += 1
                if kind == "ack":
                    sent = self.pending.pop(message["ref"], None)
                    if sent is not None:
                        if stats.measuring:
                            stats.acks.append(now - sent[0])
                            stats.press_acked += 1
                        if sent[1] is not None and not sent[1].done():
                            sent[1].set_result(None)
                elif kind == "event":
                    event = message["event"]
                    if event["kind"] == "message" and event["from"] != self.state and event["text"].startswith("bench "):
                        if stats.measuring:
                            sent_at = float(event["text"].split()[1])
                            stats.delivery.append(now - sent_at)
                            stats.timeline.append((sent_at, now - sent_at))
                    elif event["kind"] == "phase":
                        self.turn, self.phase, self.ready_sent = event["turn"], event["phase"], False
                        if stats.measuring:
                            stats.phases += 1
                        if self.phase != "movement":
                            await self.send({"type": "ready", "id": self.next_id()})
                            self.ready_sent = True
                elif kind == "view":
                    view = message["view"]
                    self.units = [
                        f"{'A' if u['type'] == 'army' else 'F'} {u['location']} H"
                        for u in view["map"]["units"] if u["state"] == self.state
                    ]
                elif kind == "error":
                    stats.errors += 1
                    stats.error_codes[message["code"]] = stats.error_codes.get(message["code"], 0) + 1
                    sent = self.pending.pop(message.get("ref"), None)
                    if sent is not None and sent[1] is not None and not sent[1].done():
                        sent[1].set_result(None)

    def next_id(self) -> str:
        self.counter += 1
        return f"{self.state}{self.counter}"

    async def send(self, message: dict[str, Any]) -> None:
        if self.stats.measuring:
            self.stats.sent_all += 1
        with contextlib.suppress(ConnectionClosed):
            await self.ws.send(msgpack.packb(message))

    async def press(self, wait: bool = False) -> None:
        ref = self.next_id()
        private = self.rng.random() < 0.8
        text = f"bench {time.perf_counter():.9f} from {self.state}"
        command: dict[str, Any] = {"kind": "press", "text": text}
        if private:
            command["to"] = [self.rng.choice(self.peers)]
        future = asyncio.get_running_loop().create_future() if wait else None
        self.pending[ref] = (time.perf_counter(), future)
        if self.stats.measuring:
            self.stats.press_sent += 1
        await self.send({"type": "act", "id": ref, "command": command})
        if future is not None:
            await asyncio.wait_for(future, 30)

    async def orders_and_ready(self) -> None:
        if self.phase != "movement" or self.ready_sent:
            return
        self.ready_sent = True
        await self.send({"type": "act", "id": self.next_id(),
                         "command": {"kind": "orders", "turn": self.turn, "phase": "movement", "orders": self.units}})
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
            await self.press()
            sent += 1
            if sent % self.press_per_turn == 0:
                await self.orders_and_ready()
            at += interval

    async def closed_loop(self, until: float) -> None:
        sent = 0
        while time.perf_counter() < until:
            try:
                await self.press(wait=True)
            except (TimeoutError, ConnectionClosed):
                return
            sent += 1
            if sent % self.press_per_turn == 0:
                await self.orders_and_ready()


async def probe(url: str, stats: Stats, until: float) -> None:
    """Round trips of a ping (no seat, nothing stored) through the loaded server and this loaded
    client process, every 20 ms: the floor under any acknowledgement the players see."""
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
            await asyncio.sleep(0.02)


async def start_process(*args: str, log: Path) -> tuple[asyncio.subprocess.Process, str]:
    with log.open("ab") as err:
        proc = await asyncio.create_subprocess_exec(
            *args, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=err, env={**os.environ, "PYTHONUNBUFFERED": "1"}
        )
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode().strip()
    return proc, line


async def request(ws: ClientConnection, message: dict[str, Any], reply_types: tuple[str, ...]) -> dict[str, Any]:
    await ws.send(msgpack.packb(message))
    while True:
        reply = msgpack.unpackb(await asyncio.wait_for(ws.recv(), 60))
        if reply["type"] in reply_types and reply.get("ref") == message.get("id"):
            return reply  # type: ignore[no-any-return]
        if reply["type"] == "error" and reply.get("ref") == message.get("id"):
            raise RuntimeError(f"{message['type']} refused: {reply}")


async def setup_game(url: str, players: int, text: str) -> dict[str, str]:
    seats = {s: ("human" if i < players else "none") for i, s in enumerate(STATES)}
    async with connect(url, compression=None, max_queue=None) as ws:
        await request(ws, {"type": "hello", "protocol": 1, "id": 0}, ("welcome",))
        created = await request(ws, {"type": "create", "id": 1, "scenario_text": text, "seed": 1, "seats": seats}, ("created",))
        await request(ws, {"type": "start", "id": 2}, ("ack",))
        return created["codes"]["states"]  # type: ignore[no-any-return]


async def seat(url: str, code: str, state: str, peers: list[str], stats: Stats, rng: random.Random) -> Player:
    ws = await connect(url, compression=None, max_queue=None, open_timeout=60, ping_interval=None)
    await request(ws, {"type": "hello", "protocol": 1, "id": 0}, ("welcome",))
    await request(ws, {"type": "join", "id": 1, "code": code}, ("joined",))
    player = Player(ws, state, peers, stats, rng)
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


async def echo_ceiling(clients: int, seconds: float, log: Path) -> float:
    proc, line = await start_process(sys.executable, "-c", ECHO_SERVER, log=log)
    url = f"ws://127.0.0.1:{int(line)}"
    try:
        sockets = await bounded(100, [connect(url, compression=None, open_timeout=60, ping_interval=None) for _ in range(clients)])
        count = 0
        payload = msgpack.packb({"type": "ping", "id": 1})
        until = time.perf_counter() + seconds

        async def loop(ws: ClientConnection) -> None:
            nonlocal count
            while time.perf_counter() < until:
                await ws.send(payload)
                await ws.recv()
                count += 1

        start = time.perf_counter()
        await asyncio.gather(*(loop(ws) for ws in sockets))
        rate = count / (time.perf_counter() - start)
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        return rate
    finally:
        proc.kill()
        await proc.wait()


async def main(args: argparse.Namespace) -> None:
    connections = args.games * args.players
    limit = raise_open_files(2 * connections + 2 * args.echo_clients + 256)
    work = Path(tempfile.mkdtemp(prefix="backchannel-bench-"))
    log = work / "server.log"
    text = CLASSIC.read_text(encoding="utf-8")
    if args.connect:
        proc, url = None, args.connect
    else:
        proc, line = await start_process(
            sys.executable, "-m", "game.cli", "serve", "--port", "0", "--data", str(work / "data"), log=log
        )
        url = line.split()[-1]
    port = int(url.rsplit(":", 1)[1])
    stats = Stats()
    rng = random.Random(1)
    print(f"Backchannel server load: {args.games} games x {args.players} players on loopback, "
          f"{os.cpu_count()} CPUs, open-files limit {limit}")
    try:
        started = time.perf_counter()
        codes = await asyncio.wait_for(bounded(20, [setup_game(url, args.players, text) for _ in range(args.games)]), 300)
        seats = [(code, state, [s for s in game if s != state]) for game in codes for state, code in game.items()]
        players: list[Player] = await asyncio.wait_for(
            bounded(100, [seat(url, code, state, peers, stats, random.Random(rng.random())) for code, state, peers in seats]), 300
        )
        offsets = [rng.randrange(args.press_per_turn) for _ in codes]
        for i, p in enumerate(players):
            p.press_per_turn = args.press_per_turn
            p.turn_offset = offsets[i // args.players]
        print(f"setup: {args.games} games created and {len(players)} players seated in {time.perf_counter() - started:.1f} s")

        # 1. Steady load.
        await asyncio.sleep(1.0)  # let every join's view arrive
        interval = len(players) / args.rate
        start = time.perf_counter()
        until = start + args.seconds
        stats.measuring = True
        await asyncio.wait_for(
            asyncio.gather(probe(url, stats, until), *(p.steady(interval, start, until) for p in players)), args.seconds + 60
        )
        sending = time.perf_counter() - start  # the senders' window (longer than asked if they fell behind)
        await asyncio.sleep(0.5)  # the last deliveries
        stats.measuring = False
        elapsed = time.perf_counter() - start
        held = sum(1 for p in players if p.ws.state.name == "OPEN")
        server = server_stats(port)
        steady = (stats.press_sent / sending, stats.frames / elapsed, list(stats.delivery), list(stats.acks), stats.phases)
        sent_all = stats.sent_all / sending
        steady_errors = dict(stats.error_codes)
        if args.timeline:
            by_second: dict[int, list[float]] = {}
            for sent_at, latency in stats.timeline:
                by_second.setdefault(int(sent_at - start), []).append(latency)
            for second in sorted(by_second):
                values = by_second[second]
                print(f"  t={second:3d}s n={len(values):5d} p50={pct(values, 0.5) * 1000:7.1f} ms p99={pct(values, 0.99) * 1000:7.1f} ms")

        # 2. Saturation: closed loop.
        for p in players:
            p.pending.clear()
        stats.press_sent = stats.press_acked = stats.frames = 0
        stats.delivery, stats.acks = [], []
        start = time.perf_counter()
        stats.measuring = True
        await asyncio.wait_for(
            asyncio.gather(*(p.closed_loop(start + args.burst_seconds) for p in players)), args.burst_seconds + 90
        )
        stats.measuring = False
        burst_elapsed = time.perf_counter() - start
        burst = (stats.press_acked / burst_elapsed, stats.frames / burst_elapsed, list(stats.delivery), list(stats.acks))
        await asyncio.gather(*(p.ws.close() for p in players), return_exceptions=True)
    finally:
        if proc is not None:
            proc.terminate()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(proc.wait(), 30)
            if proc.returncode is None:
                proc.kill()

    floor = fsync_floor(work)
    echo = await echo_ceiling(args.echo_clients, args.echo_seconds, work / "echo.log")
    press_rate, frame_rate, delivery, acks, phases = steady
    b_press, b_frames, b_delivery, b_acks = burst
    ms = 1000.0
    print(f"connections held: {held}/{connections}")
    print(f"steady ({args.seconds:.0f} s): messages sent in all {sent_all:,.0f}/s (press {press_rate:,.0f}/s, "
          f"the rest orders and ready flags), frames delivered {frame_rate:,.0f}/s, "
          f"phases seen by players {phases:,} (~{phases // max(1, args.players):,} resolutions)")
    print(f"  press sent -> delivered: p50 {pct(delivery, 0.5) * ms:.1f} ms, p99 {pct(delivery, 0.99) * ms:.1f} ms "
          f"(n={len(delivery):,})")
    server_ack = server["act_reply_ms_p50"]
    print(f"  durable ack in the server (command read -> ack sent, after its commit): median {server_ack} ms; "
          f"commit alone median {server['commit_ms_p50']} ms; one fsync'd SQLite commit on this disk: {floor * ms:.1f} ms")
    print(f"  durable ack seen by the players (sent -> ack received): median {statistics.median(acks) * ms:.1f} ms, "
          f"p99 {pct(acks, 0.99) * ms:.1f} ms; a ping's round trip (nothing stored) at the same time: "
          f"median {pct(stats.pings, 0.5) * ms:.1f} ms")
    print(f"  errors: {sum(steady_errors.values())} {steady_errors or ''}")
    print(f"saturation ({args.burst_seconds:.0f} s, closed loop): press applied {b_press:,.0f}/s, "
          f"frames delivered {b_frames:,.0f}/s, delivery p50 {pct(b_delivery, 0.5) * ms:.0f} ms, "
          f"ack median {statistics.median(b_acks) * ms if b_acks else float('nan'):.0f} ms")
    print(f"echo ceiling (plain websockets, {args.echo_clients} clients, closed loop): {echo:,.0f} messages/s")
    print(f"the server applies {b_press:,.0f} press/s durably and sends {b_frames:,.0f} frames/s: "
          f"{b_press / echo:.0%} of the echo ceiling in commands, {(b_press + b_frames) / (2 * echo):.0%} in frames in+out")
    budget_p99 = pct(delivery, 0.99) * ms < 50
    print(f"budget: 1,000 held {'OK' if held == connections else 'MISSED'}; p99 < 50 ms at {args.rate}/s "
          f"{'OK' if budget_p99 else 'MISSED'}; durable ack median < 2 ms in the server "
          f"{'OK' if server_ack is not None and server_ack < 2 else 'MISSED'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--games", type=int, default=200)
    parser.add_argument("--players", type=int, default=5, choices=range(2, 8))
    parser.add_argument("--rate", type=float, default=500.0, help="press messages a second, all players together")
    parser.add_argument("--press-per-turn", type=int, default=8,
                        help="each player gives orders and is ready after this many press messages")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the steady measurement")
    parser.add_argument("--burst-seconds", type=float, default=5.0, help="length of the saturation measurement")
    parser.add_argument("--echo-clients", type=int, default=1000)
    parser.add_argument("--echo-seconds", type=float, default=5.0)
    parser.add_argument("--timeline", action="store_true", help="print delivery latency second by second")
    parser.add_argument("--connect", help="use a server already running at this ws:// URL (e.g. one under a profiler)")
    asyncio.run(main(parser.parse_args()))

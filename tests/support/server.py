"""Shared helpers for the server tests: a server on port 0 and a recording msgpack client.

Every frame a client receives is decoded, validated against the protocol's server union and
kept (raw and decoded), so that a test can check afterwards what reached each socket.
Waiting is always for a message, with a timeout only as a safety net.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import msgpack
from websockets.asyncio.client import ClientConnection, connect

from game.protocol.codec import decode_server
from game.scenario.loader import ScenarioError, find_scenario, load_scenario
from server.app import BackchannelServer
from server.store import SqliteStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CLASSIC = FIXTURES / "classic_board.yaml"
TIMEOUT = 10.0

Message = dict[str, Any]


@functools.lru_cache(maxsize=1)
def scenario_request() -> tuple[tuple[str, str], ...]:
    """july-1914 when it loads; until then the classic board, uploaded as text."""
    try:
        load_scenario(find_scenario("july-1914"))
    except ScenarioError:
        return (("scenario_text", CLASSIC.read_text(encoding="utf-8")),)
    return (("scenario", "july-1914"),)


@contextlib.asynccontextmanager
async def running_server(data: Path, **options: Any) -> AsyncIterator[tuple[BackchannelServer, str]]:
    server = BackchannelServer(SqliteStore(data / "backchannel.sqlite3"), **options)
    port = await server.start("127.0.0.1", 0)
    try:
        yield server, f"ws://127.0.0.1:{port}"
    finally:
        await server.close()


@contextlib.asynccontextmanager
async def cluster_member(store: str) -> AsyncIterator[tuple[BackchannelServer, str]]:
    """A server process as `serve --store postgresql://…` runs one: its games in PostgreSQL, a member
    of the processes sharing that database."""
    from server.cluster_pg import PostgresCluster
    from server.store_pg import PostgresStore

    server = BackchannelServer(PostgresStore(store), cluster=PostgresCluster(store))
    port = await server.start("127.0.0.1", 0)
    try:
        yield server, f"ws://127.0.0.1:{port}"
    finally:
        await server.close()


class Client:
    """A test client that records everything it receives."""

    _ids = itertools.count(1)

    def __init__(self, ws: ClientConnection, name: str = "") -> None:
        self.ws = ws
        self.name = name
        self.raw: list[bytes] = []
        self.frames: list[Message] = []
        self.inbox: list[Message] = []
        self.token: str | None = None
        self.seat: Message | None = None
        self.v = 0
        self.view: Message | None = None

    @classmethod
    async def open(
        cls, url: str, name: str = "", hello: bool = True, source: str | None = None, **fields: Any
    ) -> Client:
        """`source`: the local address to connect from (127.0.0.2...: another address, for the per-address limits)."""
        # max_queue=None: a test reads its frames when it likes; the client must keep reading the socket meanwhile.
        more: dict[str, Any] = {"local_addr": (source, 0)} if source is not None else {}
        ws = await connect(url, compression=None, max_size=2**22, max_queue=None, **more)
        client = cls(ws, name)
        if hello:
            await client.send({"type": "hello", "protocol": 1, **fields})
            welcome = await client.expect("welcome")
            client.seat = welcome["seat"]
            if fields.get("token"):
                client.token = fields["token"]
        return client

    async def close(self) -> None:
        await self.ws.close()

    async def send(self, message: Message) -> None:
        await self.ws.send(msgpack.packb(message))

    async def send_raw(self, frame: bytes | str) -> None:
        await self.ws.send(frame)

    async def _receive(self, patience: float = TIMEOUT) -> Message:
        frame = await asyncio.wait_for(self.ws.recv(), patience)
        assert isinstance(frame, bytes), "the server sends binary frames only"
        decode_server(frame)  # every frame is a valid server message
        message: Message = msgpack.unpackb(frame)
        self.raw.append(frame)
        self.frames.append(message)
        if message["type"] in ("event", "view"):
            self.v = message["v"]
        if message["type"] == "view":
            self.view = message
        return message

    async def expect(self, type_: str, where: Callable[[Message], bool] = lambda m: True) -> Message:
        """The next message of this type that matches (earlier unmatched ones stay in the inbox)."""
        for i, message in enumerate(self.inbox):
            if message["type"] == type_ and where(message):
                return self.inbox.pop(i)
        while True:
            message = await self._receive()
            if message["type"] == type_ and where(message):
                return message
            self.inbox.append(message)

    async def event(self, kind: str, where: Callable[[Message], bool] = lambda e: True) -> Message:
        message = await self.expect("event", lambda m: m["event"]["kind"] == kind and where(m["event"]))
        return message["event"]  # type: ignore[no-any-return]

    async def request(self, type_: str, **fields: Any) -> Message:
        """Send a command with a fresh id and return its reply (ack, created, joined or error)."""
        ref = fields.pop("id", None) or f"{self.name or 'c'}-{next(self._ids)}"
        await self.send({"type": type_, "id": ref, **fields})
        return await self.expect_reply(ref)

    async def expect_reply(self, ref: str | int, patience: float = TIMEOUT) -> Message:
        """The reply to command `ref`: ack, created, joined, pong or error.  `patience`: how long to
        wait for each frame (a safety net, for a reply that may come late by design)."""
        return await self.expect_any(
            ("ack", "created", "joined", "error", "pong", "scenario", "record"),
            lambda m: m.get("ref") == ref,
            patience,
        )

    async def expect_any(
        self,
        types: tuple[str, ...],
        where: Callable[[Message], bool] = lambda m: True,
        patience: float = TIMEOUT,
    ) -> Message:
        for i, message in enumerate(self.inbox):
            if message["type"] in types and where(message):
                return self.inbox.pop(i)
        while True:
            message = await self._receive(patience)
            if message["type"] in types and where(message):
                return message
            self.inbox.append(message)

    async def act(self, **command: Any) -> Message:
        return await self.request("act", command=command)

    async def join(self, code: str, name: str | None = None) -> Message:
        reply = await self.request("join", code=code, **({"name": name} if name is not None else {}))
        assert reply["type"] == "joined", reply
        self.token = reply["token"]
        self.seat = reply["seat"]
        await self.expect("view")
        return reply

    async def fresh_view(self) -> Message:
        """The whole view as of now (views received earlier and not yet read are dropped)."""
        self.inbox = [m for m in self.inbox if m["type"] != "view"]
        await self.request("sync")
        return await self.expect("view")

    def received(self, needle: str | bytes) -> bool:
        """Whether any frame this client received holds these bytes (raw, before decoding)."""
        data = needle.encode() if isinstance(needle, str) else needle
        return any(data in frame for frame in self.raw)


async def new_game(url: str, source: str | None = None, **settings: Any) -> tuple[Client, Message]:
    """An umpire's client and the `created` reply of a new game (`source`: the address to connect from)."""
    umpire = await Client.open(url, "umpire", source=source)
    fields: dict[str, Any] = dict(scenario_request())
    fields["bot_delay"] = 0  # bots answer at once: a test waits for what it expects, never for a clock
    fields.update(settings)
    created = await umpire.request("create", **fields)
    assert created["type"] == "created", created
    umpire.token = created["token"]
    umpire.seat = created["seat"]
    await umpire.expect("view")
    return umpire, created


def hold_orders(view: Message, state: str) -> list[str]:
    """Every unit of `state` holds, in the order notation."""
    return [
        f"{'A' if u['type'] == 'army' else 'F'} {u['location']} H"
        for u in view["map"]["units"]
        if u["state"] == state
    ]

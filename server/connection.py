"""One client connection: its seat, its rate limit, and how frames reach it.

Frames go out with websockets' `broadcast`, which writes to the socket at once without
waiting: a game's fan-out writes each viewer's frame to that viewer's connections and moves
on, so a slow client delays only itself.  The kernel and the transport buffer what the client
has not read yet; a client that lets more than `MAX_BACKLOG_BYTES` pile up is disconnected
(1008) and may reconnect and resume from the last version it saw.  Frames are per viewer,
never one frame for all: each seat gets its own view of the game.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any

from websockets.asyncio.server import ServerConnection, broadcast
from websockets.exceptions import ConnectionClosed

from game.protocol.codec import pack
from game.protocol.version import RATE_BURST, RATE_PER_SECOND
from server.limits import Strikes, TokenBucket
from server.seats import Member

if TYPE_CHECKING:
    from server.game_host import GameHost

MAX_BACKLOG_BYTES = 4 << 20
"""Bytes waiting for one client before it is dropped as too slow to read."""


class Connection:
    """A websocket and what the server knows of it."""

    def __init__(
        self, ws: ServerConnection, number: int, rate: float = RATE_PER_SECOND, burst: int = RATE_BURST,
        strike_fade: float = 0.5,
    ) -> None:
        self.ws = ws
        self.id = number
        self.replied: float | None = None
        """When the reply to the command being handled was sent (perf_counter), for /stats."""
        try:
            host, port = ws.remote_address[:2]
            self.peer = f"{host}:{port}"
            self.address = str(host)
        except (TypeError, ValueError):
            self.peer = self.address = "?"
        self.bucket = TokenBucket(rate, burst, time.monotonic())
        self.strikes = Strikes(strike_fade)
        self.greeted = False
        self.host: GameHost | None = None
        self.member: Member | None = None
        self.closing = False
        self._closer: asyncio.Task[None] | None = None

    def allow(self) -> bool:
        """Whether the connection's own rate limit lets one more frame in."""
        return self.bucket.take(time.monotonic())

    def send(self, frame: bytes) -> None:
        """Write a frame now (never waits); drop a client that does not read what it is sent."""
        if self.closing:
            return
        broadcast((self.ws,), frame)
        transport = self.ws.transport
        if transport is not None and transport.get_write_buffer_size() > MAX_BACKLOG_BYTES:
            self.close(1008, "too slow to read; reconnect and resume")

    def send_message(self, message: dict[str, Any]) -> None:
        self.send(pack(message))

    def error(self, code: str, message: str, ref: str | int | None = None, problems: list[str] | None = None) -> None:
        error: dict[str, Any] = {"type": "error", "code": code, "message": message, "ref": ref}
        if problems is not None:
            error["problems"] = problems
        self.send_message(error)

    def close(self, code: int, reason: str) -> None:
        """Close after the frames already written (the error that explains why goes first)."""
        if self.closing:
            return
        self.closing = True
        self._closer = asyncio.create_task(self._close(code, reason))

    async def _close(self, code: int, reason: str) -> None:
        with contextlib.suppress(ConnectionClosed):
            await self.ws.close(code, reason)  # gives up and drops the TCP connection after its timeout

    async def finish(self) -> None:
        """The connection is over."""
        self.closing = True
        if self._closer is not None:
            with contextlib.suppress(ConnectionClosed, asyncio.CancelledError):
                await self._closer

"""One client connection: its seat, its rate limit and its own send queue.

Every frame for a connection goes through its queue and one writer task, so a slow client
delays only itself: a game's fan-out puts a frame in each queue and moves on.  A client that
lets its queue grow past `MAX_BACKLOG` is disconnected (1008); it can reconnect and resume
from the last version it saw.  Frames are per viewer, never broadcast: each seat gets its
own view of the game.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from game.protocol.codec import pack
from game.protocol.version import RATE_BURST, RATE_PER_SECOND
from server.seats import Member

if TYPE_CHECKING:
    from server.game_host import GameHost

MAX_BACKLOG = 4096
"""Frames waiting for one client before it is dropped as too slow."""
CLOSE_GRACE = 2.0
"""Seconds a closing connection has to read what was queued before it."""
MAX_REFUSED_IN_A_ROW = 200
"""Frames refused for rate in a row before the connection is closed (1008)."""


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; a frame costs one."""

    __slots__ = ("burst", "last", "rate", "tokens")

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.last = now

    def take(self, now: float) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class Connection:
    """A websocket and what the server knows of it."""

    def __init__(self, ws: ServerConnection, number: int, rate: float = RATE_PER_SECOND, burst: int = RATE_BURST) -> None:
        self.ws = ws
        self.id = number
        try:
            host, port = ws.remote_address[:2]
            self.peer = f"{host}:{port}"
        except (TypeError, ValueError):
            self.peer = "?"
        self.bucket = TokenBucket(rate, burst, time.monotonic())
        self.refused_in_a_row = 0
        self.greeted = False
        self.host: GameHost | None = None
        self.member: Member | None = None
        self.closing = False
        self._close_with: tuple[int, str] | None = None
        self._closer: asyncio.Task[None] | None = None
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._writer = asyncio.create_task(self._write(), name=f"conn-{number}-writer")

    def allow(self) -> bool:
        """Whether the rate limit lets one more frame in."""
        if self.bucket.take(time.monotonic()):
            self.refused_in_a_row = 0
            return True
        self.refused_in_a_row += 1
        if self.refused_in_a_row >= MAX_REFUSED_IN_A_ROW:
            self.close(1008, "too many messages")
        return False

    def send(self, frame: bytes) -> None:
        if self.closing:
            return
        if self._queue.qsize() >= MAX_BACKLOG:
            self.close(1008, "too slow to read; reconnect and resume")
            return
        self._queue.put_nowait(frame)

    def send_message(self, message: dict[str, Any]) -> None:
        self.send(pack(message))

    def error(self, code: str, message: str, ref: str | int | None = None, problems: list[str] | None = None) -> None:
        error: dict[str, Any] = {"type": "error", "code": code, "message": message, "ref": ref}
        if problems is not None:
            error["problems"] = problems
        self.send_message(error)

    def close(self, code: int, reason: str) -> None:
        """Close after the frames already queued (the error that explains why goes first); a client
        that does not read them within `CLOSE_GRACE` seconds is closed regardless."""
        if self.closing:
            return
        self.closing = True
        self._close_with = (code, reason)
        self._queue.put_nowait(None)
        self._closer = asyncio.create_task(self._close_soon(code, reason))

    async def _close_soon(self, code: int, reason: str) -> None:
        done, _ = await asyncio.wait({self._writer}, timeout=CLOSE_GRACE)
        if not done:
            self._writer.cancel()
            with contextlib.suppress(ConnectionClosed, asyncio.CancelledError):
                await self.ws.close(code, reason)  # itself gives up and drops the TCP connection after a timeout

    async def _write(self) -> None:
        try:
            while True:
                frame = await self._queue.get()
                if frame is None:
                    break
                await self.ws.send(frame)
        except ConnectionClosed:
            return
        if self._close_with is not None:
            with contextlib.suppress(ConnectionClosed):
                await self.ws.close(*self._close_with)

    async def finish(self) -> None:
        """The connection is over: stop the writer."""
        if not self.closing:
            self.closing = True
            self._queue.put_nowait(None)
        if not self._writer.done():
            self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
            await self._writer

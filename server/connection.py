"""One client connection: its seat, its rate limit, and how frames reach it.

Sending never waits: a game's fan-out hands each viewer's frame to that viewer's connections
and moves on, so a slow client delays only itself.  Frames are batched: those a connection is
given during one turn of the event loop (an ack, the events of several commands committed
together, a view) are framed by websockets' Sans-I/O protocol and written to the socket in one
write at the end of that turn, not one system call each (in saturation a socket write per frame
was 15% of the loop).  The kernel and the transport buffer what the client has not read yet; a
client that lets more than `MAX_BACKLOG_BYTES` pile up is disconnected (1008) and may reconnect
and resume from the last version it saw.  Frames are per viewer, never one frame for all: each
seat gets its own view of the game.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from game.protocol.codec import pack
from game.protocol.version import RATE_BURST, RATE_PER_SECOND
from server.limits import Strikes, TokenBucket
from server.seats import Member

log = logging.getLogger("backchannel.server")

MAX_BACKLOG_BYTES = 4 << 20
"""Bytes waiting for one client before it is dropped as too slow to read."""


def binary_header(size: int) -> bytes:
    """The header of a final, unmasked binary frame of `size` bytes (RFC 6455, 5.2): what
    websockets' `Frame(BINARY, data).serialize(mask=False)` puts before the payload."""
    if size < 126:
        return bytes((0x82, size))
    if size < 1 << 16:
        return bytes((0x82, 126)) + size.to_bytes(2, "big")
    return bytes((0x82, 127)) + size.to_bytes(8, "big")


class Connection:
    """A websocket and what the server knows of it."""

    def __init__(
        self,
        ws: ServerConnection,
        number: int,
        rate: float = RATE_PER_SECOND,
        burst: int = RATE_BURST,
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
        self.member: Member | None = None
        """The seat it holds (its game's host is the server's to know: `BackchannelServer.hosts`)."""
        self.closing = False
        self._closer: asyncio.Task[None] | None = None
        self._outbox: list[bytes] = []
        """Frames given during this turn of the event loop, written together at its end."""

    def allow(self) -> bool:
        """Whether the connection's own rate limit lets one more frame in."""
        return self.bucket.take(time.monotonic())

    def send(self, frame: bytes) -> None:
        """Queue a frame for this turn of the event loop's write (never waits)."""
        if self.closing:
            return
        if not self._outbox:
            asyncio.get_running_loop().call_soon(self.flush)
        self._outbox.append(frame)

    def flush(self) -> None:
        """Write the queued frames in one go; drop a client that does not read what it is sent."""
        frames, self._outbox = self._outbox, []
        ws = self.ws
        protocol = ws.protocol
        # As websockets' broadcast(): only on an open connection, never inside a fragmented message.
        if not frames or protocol.state is not State.OPEN or ws.send_in_progress is not None:
            return
        transport = ws.transport
        try:
            if not protocol.writes and not protocol.extensions and not protocol.expect_continuation_frame:
                # The common case, framed here: a server's frames are unmasked, and these are whole
                # and uncompressed, so each is a header and its payload; websockets' Frame object
                # for each cost about 7% of the server's CPU in saturation (issue 14's profile).
                # Anything else (a pong or a close queued, an extension) takes websockets' own path.
                transport.write(
                    b"".join([part for frame in frames for part in (binary_header(len(frame)), frame)])
                )
            else:
                for frame in frames:
                    protocol.send_binary(frame)
                data = protocol.data_to_send()
                if all(data):
                    transport.write(b"".join(data))
                else:  # an end of stream among them (not while open, but as websockets handles it)
                    for chunk in data:
                        if chunk:
                            transport.write(chunk)
                        elif transport.can_write_eof():
                            transport.write_eof()
        except Exception as exc:  # the connection is going away: its reader ends it
            log.debug("conn %d: frames not written (%s)", self.id, type(exc).__name__)
            return
        if transport.get_write_buffer_size() > MAX_BACKLOG_BYTES:
            self.close(1008, "too slow to read; reconnect and resume")

    def send_message(self, message: dict[str, Any]) -> None:
        self.send(pack(message))

    def error(
        self, code: str, message: str, ref: str | int | None = None, problems: list[str] | None = None
    ) -> None:
        error: dict[str, Any] = {"type": "error", "code": code, "message": message, "ref": ref}
        if problems is not None:
            error["problems"] = problems
        self.send_message(error)

    def close(self, code: int, reason: str) -> None:
        """Close after the frames already written (the error that explains why goes first)."""
        if self.closing:
            return
        self.flush()
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

"""The client's connection to a server, in a thread of its own so the window never freezes.

The pygame loop must never wait on the network, so `ServerLink` runs a websockets client in
a daemon thread with its own asyncio loop.  The UI hands it commands (`send`) and collects
what arrived (`poll`); neither blocks.  The link says hello, keeps the seat token and the
last event version it saw, and when the connection drops it reconnects with backoff and
resumes the seat (docs/protocol.md, "The handshake"): the server then sends what was
missed.  Commands still unanswered are sent again with the same id, which the server applies
once, so a command is never lost nor doubled by a reconnect.

A server of several processes may answer a hello or a join with a `redirect` (docs/protocol.md,
"Several server processes"): the link goes to the address given, at once, and says the same
again there.  If that address stops answering (its process died), the link goes back to the
address it was first given, which sends it on to wherever the game lives now.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any, Protocol

import msgpack
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidURI

from game.protocol.codec import pack
from game.protocol.version import PROTOCOL_VERSION, RATE_BURST, RATE_PER_SECOND

log = logging.getLogger("backchannel.client.link")

Message = dict[str, Any]

CONNECTING = "connecting"
ONLINE = "online"
RECONNECTING = "reconnecting"
OFFLINE = "offline"

REPLY_TYPES = frozenset({"ack", "created", "joined", "error", "pong", "scenario", "record"})
"""Messages that answer one command, naming its id as ``ref``."""

FIRST_BACKOFF = 0.2
MAX_BACKOFF = 5.0
WELCOME_TIMEOUT = 10.0
CLOSE_TIMEOUT = 5.0
STEADY = 5.0
"""A connection that stayed up this long resets the backoff; one that drops at once does not."""
MAX_INCOMING = 64 << 20
"""A view of a big generated map is larger than anything a client sends; still bounded."""

_REMEMBERED_REPLIES = 512
MAX_REDIRECTS = 5
"""Redirects followed in a row without getting online: more is a loop between processes; back off."""


class _Redirected(Exception):
    """The server sent the link elsewhere: reconnect there now, without backing off."""


class Link(Protocol):
    """What the client's window and screens need of a link to a server: a ServerLink, or a stand-in
    fed by a test or a bench (game/client/stand_in.py)."""

    def start(self) -> None: ...

    def send(self, message: Message) -> str | int:
        """Send a command; return its id (a reply names it as ``ref``)."""
        ...

    def poll(self) -> list[Message]:
        """The messages received since the last poll, in order."""
        ...

    def close(self) -> None: ...


class LinkGaveUp(RuntimeError):
    """The server refused to resume the seat (its token is unknown there): reconnecting cannot help."""


class ServerLink:
    """A websockets client in a background thread: `send` queues, `poll` collects, nothing blocks."""

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        last_v: int | None = None,
        client: str = "backchannel-pygame/0.1",
    ) -> None:
        self.url = url
        """The address the link was given: where it goes back to when a redirected address fails."""
        self.address = url
        """Where it connects now (a redirect changes it)."""
        self._redirects = 0
        self.client = client
        self._token = token
        self._v = last_v
        self._seat: Message | None = None
        self._state = OFFLINE
        self._ids = itertools.count(1)
        # Ids are remembered per seat token across restarts: a later session with the same token
        # must not reuse an earlier one's ids, or the server would answer instead of applying.
        self._prefix = f"c{secrets.token_hex(3)}."
        self._lock = threading.Condition()
        self._inbox: deque[Message] = deque()
        self._outbox: deque[Message] = deque()  # sent by the UI, not yet written to a socket
        self._unanswered: OrderedDict[str | int, Message] = OrderedDict()  # written, no reply yet
        self._replies: OrderedDict[str | int, Message] = OrderedDict()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._closing = False
        self._rate = RATE_PER_SECOND * 0.8  # stay under the server's limit, never be dropped for it
        self._burst = RATE_BURST // 2

    # --- the UI thread's side --------------------------------------------------------------------

    @property
    def state(self) -> str:
        """connecting, online, reconnecting or offline."""
        return self._state

    @property
    def token(self) -> str | None:
        """The seat token: the one given, or the one `created`/`joined` handed out."""
        return self._token

    @property
    def seat(self) -> Message | None:
        """``{"game", "role", "state"}`` of the seat this link holds, once known."""
        return self._seat

    @property
    def v(self) -> int | None:
        """The last event version seen (sent in a resuming hello)."""
        return self._v

    def start(self) -> None:
        """Connect in the background; progress arrives as `link` messages from `poll`."""
        if self._thread is not None:
            return
        self._set_state(CONNECTING, f"connecting to {self.url}")
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="backchannel-link", daemon=True)
        self._thread.start()
        ready.wait(CLOSE_TIMEOUT)  # the loop exists before anyone sends (a few ms)

    def close(self) -> None:
        """Stop and wait for the thread (a few seconds at most); the link ends offline."""
        self._closing = True
        loop, task, thread = self._loop, self._task, self._thread
        if loop is not None and task is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                loop.call_soon_threadsafe(task.cancel)
        if thread is not None and thread is not threading.current_thread():
            thread.join(CLOSE_TIMEOUT)
        self._set_state(OFFLINE, "closed")

    def send(self, message: Message) -> str | int:
        """Queue a command (filling in a fresh ``id`` if it has none) and return its id.

        While the connection is down it waits in the queue; once written, it is written again
        with the same id after a reconnect until the server answers it."""
        ref = message.get("id")
        if ref is None:
            ref = f"{self._prefix}{next(self._ids)}"
            message = {**message, "id": ref}
        with self._lock:
            self._outbox.append(message)
        self._nudge()
        return ref

    def poll(self) -> list[Message]:
        """Every server message since the last poll, in order, with `link` messages on state changes."""
        with self._lock:
            if not self._inbox:
                return []
            out = list(self._inbox)
            self._inbox.clear()
            return out

    # --- for callers that may wait (the play command, tests), never the UI loop ----------------

    def wait(self, timeout: float) -> bool:
        """Block until `poll` has something (or `timeout`); whether it has."""
        with self._lock:
            return self._lock.wait_for(lambda: bool(self._inbox), timeout)

    def wait_reply(self, ref: str | int, timeout: float) -> Message | None:
        """Block until the reply to command `ref` arrived (it stays in `poll` too), or None after `timeout`."""
        with self._lock:
            self._lock.wait_for(lambda: ref in self._replies or self._state == OFFLINE, timeout)
            return self._replies.get(ref)

    def wait_state(self, predicate: Callable[[str], bool], timeout: float) -> bool:
        """Block until the link's state satisfies `predicate` (e.g. online), or `timeout`."""
        with self._lock:
            return self._lock.wait_for(lambda: predicate(self._state), timeout)

    def reply(self, ref: str | int) -> Message | None:
        """The reply to command `ref`, if it came (the last few hundred are remembered)."""
        with self._lock:
            return self._replies.get(ref)

    # --- the link's thread -------------------------------------------------------------------------

    def _set_state(self, state: str, detail: str) -> None:
        with self._lock:
            if state == self._state:
                return
            self._state = state
            self._inbox.append({"type": "link", "state": state, "detail": detail})
            self._lock.notify_all()

    def _nudge(self) -> None:
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(wake.set)

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            self._wake = asyncio.Event()
            self._task = loop.create_task(self._main())
            ready.set()
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(self._task)
        except Exception as exc:  # never a traceback from a background thread
            log.debug("link thread failed", exc_info=exc)
            self._set_state(OFFLINE, f"the connection failed: {type(exc).__name__}")
        finally:
            ready.set()
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _main(self) -> None:
        backoff = FIRST_BACKOFF
        first = True
        while not self._closing:
            if not first:
                self._set_state(RECONNECTING, f"reconnecting in {backoff:.1f} s")
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
            first = False
            try:
                online_since = time.monotonic()
                if await self._session() and time.monotonic() - online_since > STEADY:
                    backoff = FIRST_BACKOFF  # it was online for a while: start the backoff afresh
            except _Redirected:
                self._redirects += 1
                if self._redirects <= MAX_REDIRECTS:
                    first = True  # straight there
                    continue
                self._redirects = 0
                self.address = self.url
            except LinkGaveUp as exc:
                self._set_state(OFFLINE, str(exc))
                return
            except InvalidURI as exc:
                self._set_state(OFFLINE, f"not a websocket address: {exc}")
                return
            except (OSError, ConnectionClosed, TimeoutError) as exc:
                log.debug("link to %s lost: %s", self.address, exc)
                if self.address != self.url:
                    self.address = self.url  # the process it was sent to failed: ask the first address again
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug here must not kill the thread: report, reconnect
                log.debug("link to %s failed", self.url, exc_info=exc)
                self._post(
                    {
                        "type": "link",
                        "state": self._state,
                        "detail": f"link error: {type(exc).__name__}: {exc}",
                    }
                )
        self._set_state(OFFLINE, "closed")

    def _post(self, message: Message) -> None:
        with self._lock:
            self._inbox.append(message)
            self._lock.notify_all()

    async def _session(self) -> bool:
        """One connection: hello, then read and write until it drops.  Whether it got online."""
        async with connect(
            self.address,
            compression=None,
            max_size=MAX_INCOMING,
            max_queue=None,
            open_timeout=WELCOME_TIMEOUT,
            close_timeout=2,
            user_agent_header=self.client,
        ) as ws:
            hello_id = f"hello-{next(self._ids)}"
            hello: Message = {
                "type": "hello",
                "protocol": PROTOCOL_VERSION,
                "id": hello_id,
                "client": self.client,
            }
            if self._token is not None:
                hello["token"] = self._token
                if self._v is not None:
                    hello["v"] = self._v
            await ws.send(pack(hello))
            await asyncio.wait_for(self._await_welcome(ws, hello_id), WELCOME_TIMEOUT)
            self._redirects = 0
            self._set_state(ONLINE, f"connected to {self.address}")
            with self._lock:  # unanswered commands go first, in their order, with their ids
                self._outbox.extendleft(reversed(self._unanswered.values()))
                self._unanswered.clear()
            # Reading and writing run side by side; when either ends (the connection dropped, or
            # a fault), the other is stopped and the link reconnects.
            tasks = {asyncio.create_task(self._read(ws)), asyncio.create_task(self._write(ws))}
            try:
                done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            for task in done:
                fault = None if task.cancelled() else task.exception()
                if fault is not None and not isinstance(fault, ConnectionClosed):
                    raise fault
            return True

    async def _read(self, ws: ClientConnection) -> None:
        async for frame in ws:
            message = self._receive(frame)
            if message is not None and message["type"] == "redirect":
                raise _Redirected()

    async def _await_welcome(self, ws: ClientConnection, hello_id: str) -> None:
        async for frame in ws:
            message = self._receive(frame)
            if message is None:
                continue
            if message.get("type") == "welcome":
                return
            if message.get("type") == "redirect":
                raise _Redirected()
            if message.get("type") == "error" and message.get("ref") == hello_id:
                raise LinkGaveUp(
                    f"the server refused the seat: {message.get('message', message.get('code'))}"
                )
        raise ConnectionClosed(None, None)

    async def _write(self, ws: ClientConnection) -> None:
        assert self._wake is not None
        tokens, last = float(self._burst), time.monotonic()
        while True:
            with self._lock:
                message = self._outbox.popleft() if self._outbox else None
                if message is not None:
                    self._unanswered[message["id"]] = message
            if message is None:
                self._wake.clear()
                with self._lock:
                    if self._outbox:
                        continue
                await self._wake.wait()
                continue
            now = time.monotonic()
            tokens = min(float(self._burst), tokens + (now - last) * self._rate)
            last = now
            if tokens < 1:  # pace a backlog (a reconnect's resends) under the server's rate limit
                await asyncio.sleep((1 - tokens) / self._rate)
                tokens, last = 1.0, time.monotonic()
            tokens -= 1
            try:
                frame = pack(message)
            except Exception as exc:  # not msgpack-able: answer it as the server would, locally
                with self._lock:
                    self._unanswered.pop(message["id"], None)
                self._deliver(
                    {
                        "type": "error",
                        "code": "bad_frame",
                        "ref": message["id"],
                        "message": f"the client could not encode this message: {type(exc).__name__}",
                    }
                )
                continue
            await ws.send(frame)

    def _receive(self, frame: bytes | str) -> Message | None:
        if isinstance(frame, str):
            log.debug("text frame from the server ignored")
            return None
        try:
            message = msgpack.unpackb(frame, raw=False, strict_map_key=True, max_bin_len=0, max_ext_len=0)
        except Exception as exc:
            log.debug("undecodable frame from the server", exc_info=exc)
            self._post(
                {
                    "type": "link",
                    "state": self._state,
                    "detail": f"unreadable frame from the server: {type(exc).__name__}",
                }
            )
            return None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            self._post(
                {"type": "link", "state": self._state, "detail": "a frame from the server was not a message"}
            )
            return None
        if message["type"] == "redirect":
            address = message.get("address")
            if not isinstance(address, str) or not address.startswith(("ws://", "wss://")):
                self._post(
                    {"type": "link", "state": self._state, "detail": "the server sent an unusable redirect"}
                )
                return None
            self.address = address  # the command it answers stays unanswered: sent again there
            log.debug("redirected to %s", address)
            return message
        self._deliver(message)
        return message

    def _deliver(self, message: Message) -> None:
        kind = message["type"]
        with self._lock:
            if kind in ("event", "view") and isinstance(message.get("v"), int):
                self._v = message["v"]
            if kind in ("created", "joined") and isinstance(message.get("token"), str):
                self._token = message["token"]
            if kind in ("welcome", "created", "joined") and isinstance(message.get("seat"), dict):
                self._seat = message["seat"]
            limits = message.get("limits") if kind == "welcome" else None
            if isinstance(limits, dict):  # pace by what this server allows, with room to spare
                rate, burst = limits.get("rate"), limits.get("burst")
                if isinstance(rate, int | float) and rate > 0:
                    self._rate = float(rate) * 0.8
                if isinstance(burst, int) and burst > 1:
                    self._burst = burst // 2
            ref = message.get("ref")
            if kind in REPLY_TYPES and ref is not None:
                self._unanswered.pop(ref, None)
                self._replies[ref] = message
                while len(self._replies) > _REMEMBERED_REPLIES:
                    self._replies.popitem(last=False)
            self._inbox.append(message)
            self._lock.notify_all()

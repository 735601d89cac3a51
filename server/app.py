"""`backchannel serve`: the websockets server, routing each connection on its first message.

The shell is thin: a connection's frames are decoded and validated (game/protocol), then
routed — a hello greets or resumes a seat, create and join go to the lobby, everything else
to the game the connection sits in, which does the work (`GameHost`).  `/healthz` answers
plain HTTP for health checks.  SIGTERM and SIGINT close every connection with 1001 and
flush the store before exiting.

Compression (permessage-deflate) is off: a seat's secrets and text an attacker chose must
never share a compression window (the CRIME/BREACH family of attacks).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import json
import logging
import resource
import signal
import sys
import time
from collections import deque
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from game.protocol.codec import ProtocolError, decode_client, pack
from game.protocol.messages import (
    Act,
    ClientMessage,
    Create,
    Extend,
    GetRecord,
    GetScenario,
    Hello,
    Join,
    Kick,
    Leader,
    Pause,
    Ping,
    Ready,
    ReleaseInject,
    Replace,
    ResolveNow,
    Resume,
    Start,
    Sync,
)
from game.protocol.version import MAX_FRAME_BYTES, PROTOCOL_VERSION, RATE_BURST, RATE_PER_SECOND
from server import logs
from server.addresses import reach_note
from server.connection import Connection
from server.game_host import INTERNAL, GameHost
from server.lobby import Lobby, LobbyError
from server.seats import Member
from server.store import SqliteStore, Store, median_ms

SERVER_NAME = "backchannel/0.1.0"
DB_FILE = "backchannel.sqlite3"

# Error codes of the routing (docs/protocol.md, "Errors").
HELLO_FIRST = "hello_first"
ALREADY_GREETED = "already_greeted"
UNSUPPORTED_PROTOCOL = "unsupported_protocol"
BAD_TOKEN = "bad_token"
NO_SEAT = "no_seat"
ALREADY_SEATED = "already_seated"
RATE_LIMITED = "rate_limited"

log = logging.getLogger("backchannel.server")


def _command_kind(command: dict[str, object]) -> str:
    kind = command.get("kind")
    return kind if isinstance(kind, str) and kind.isidentifier() and len(kind) <= 20 else "act"


class BackchannelServer:
    """The authoritative game server: a lobby of games behind one websocket endpoint."""

    def __init__(self, store: Store, rate: float = RATE_PER_SECOND, burst: int = RATE_BURST) -> None:
        self.store = store
        self.lobby = Lobby(store)
        if isinstance(store, SqliteStore) and self.lobby.book.cache is None:
            self.lobby.book.cache = store.path.parent / "scenario-cache"
        self.rate = rate
        self.burst = burst
        self.connections: set[Connection] = set()
        self.act_latencies: deque[float] = deque(maxlen=4096)
        """Recent times from an `act` frame read to its reply sent (after the commit), for /stats."""
        self._numbers = 0
        self._server: Server | None = None
        self.port = 0

    async def start(self, host: str = "127.0.0.1", port: int = 8765) -> int:
        """Restore every stored game, then listen; returns the bound port (useful with port 0)."""
        restored = self.lobby.restore()
        self._server = await serve(
            self.handler,
            host,
            port,
            compression=None,
            max_size=MAX_FRAME_BYTES,
            max_queue=16,
            process_request=self.process_request,
            server_header=SERVER_NAME,
            ping_interval=20,
            ping_timeout=20,
        )
        self.lobby.start_clocks()
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("serving host=%s port=%d games=%d", host, self.port, restored)
        return self.port

    async def close(self) -> None:
        """Close every connection with 1001 (going away), finish the games' work, flush the store."""
        if self._server is not None:
            self._server.close(close_connections=True)
            await self._server.wait_closed()
        await self.lobby.close()
        await self.store.close()
        log.info("stopped")

    # --- HTTP ------------------------------------------------------------------------------------

    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        url = urlsplit(request.path)
        if url.path == "/healthz":
            return connection.respond(HTTPStatus.OK, "ok\n")
        if url.path == "/stats":
            latencies = self.store.commit_latencies()
            stats = {
                "connections": len(self.connections),
                "games": len(self.lobby.games),
                "commits": len(latencies),
                "commit_ms_p50": median_ms(latencies),
                "act_reply_ms_p50": median_ms(self.act_latencies),
            }
            return connection.respond(HTTPStatus.OK, json.dumps(stats) + "\n")
        if "token" in url.query.lower():
            # A URL ends up in proxy logs, browser history and Referer headers; a seat token must not.
            return connection.respond(HTTPStatus.BAD_REQUEST, "a seat token goes in the hello message, never in the URL\n")
        return None

    # --- a connection ----------------------------------------------------------------------------

    async def handler(self, ws: ServerConnection) -> None:
        self._numbers += 1
        conn = Connection(ws, self._numbers, self.rate, self.burst)
        self.connections.add(conn)
        logs.connection("open", conn.id, peer=conn.peer)
        try:
            async for frame in ws:
                if not conn.allow():
                    conn.error(RATE_LIMITED, f"too many messages: at most {self.rate:g} a second (bursts of {self.burst})")
                    continue
                try:
                    message = decode_client(frame)
                except ProtocolError as exc:
                    conn.error(exc.code, exc.message, exc.ref)
                    logs.connection("bad frame", conn.id, code=exc.code)
                    continue
                try:
                    received = time.perf_counter()
                    conn.replied = None
                    await self.dispatch(conn, message)
                    if message.type == "act":  # read -> its ack sent (after the commit), or its error
                        self.act_latencies.append((conn.replied or time.perf_counter()) - received)
                except Exception as exc:
                    log.error("conn %d: %s failed (%s)", conn.id, message.type, type(exc).__name__)
                    log.debug("conn %d: %s failed", conn.id, message.type, exc_info=exc)
                    conn.error(INTERNAL, "the server could not handle this message; nothing changed", getattr(message, "id", None))
        except ConnectionClosed:
            pass
        finally:
            if conn.host is not None:
                conn.host.detach(conn)
            self.connections.discard(conn)
            await conn.finish()
            member = conn.member
            logs.connection(
                "closed", conn.id, code=ws.close_code, game=member.game if member else None,
                member=member.id if member else None,
            )

    async def dispatch(self, conn: Connection, message: ClientMessage) -> None:
        if isinstance(message, Hello):
            await self._hello(conn, message)
            return
        ref = message.id
        if not conn.greeted:
            conn.error(HELLO_FIRST, "the first message on a connection must be a hello", ref)
            return
        if isinstance(message, Ping):
            conn.send_message({"type": "pong", "ref": ref, "time": time.time()})
            return
        if isinstance(message, Create | Join):
            if conn.member is not None:
                conn.error(ALREADY_SEATED, "this connection already holds a seat; open another to join another game", ref)
                return
            await (self._create(conn, message) if isinstance(message, Create) else self._join(conn, message))
            return
        host, member = conn.host, conn.member
        if host is None or member is None:
            conn.error(NO_SEAT, "join or create a game first (or resume a seat with your token in the hello)", ref)
            return
        assert ref is not None
        await self._seat_command(conn, host, member, ref, message)

    async def _seat_command(self, conn: Connection, host: GameHost, member: Member, ref: str | int, message: ClientMessage) -> None:
        now = time.time()
        asked = _digest(message)
        if isinstance(message, Sync):
            await host.sync(conn, member, ref, message.v)
        elif isinstance(message, GetScenario):
            conn.send_message(host.session.scenario_message(member, ref))
            logs.command("answered", conn.id, "get_scenario")
        elif isinstance(message, GetRecord):
            await host.record(conn, member, ref)
        elif isinstance(message, Act):
            command = message.command
            await host.command(conn, member, ref, _command_kind(command), lambda s: s.act(member, ref, command), asked=asked)
        elif isinstance(message, Ready):
            ready = message.ready
            await host.command(conn, member, ref, "ready", lambda s: s.set_ready(member, ref, ready), asked=asked)
        elif isinstance(message, Start):
            fill, confirm = message.fill_bots, message.confirm
            await host.command(
                conn, member, ref, "start", lambda s: s.start(member, ref, fill, now, confirm), offload=True, asked=asked
            )
        elif isinstance(message, Pause | Resume | Extend):
            op, seconds = message.type, message.seconds if isinstance(message, Extend) else 0
            await host.command(conn, member, ref, op, lambda s: s.change_clock(member, ref, op, now, seconds), asked=asked)
        elif isinstance(message, ResolveNow):
            await host.command(
                conn, member, ref, "resolve", lambda s: s.advance(now, "umpire", member, ref), offload=True, asked=asked
            )
        elif isinstance(message, Leader):
            state, chosen = message.state, message.member
            await host.command(conn, member, ref, "leader", lambda s: s.name_leader(member, ref, state, chosen), asked=asked)
        elif isinstance(message, Replace):
            state = message.state
            await host.command(conn, member, ref, "replace", lambda s: s.replace(member, ref, state), asked=asked)
        elif isinstance(message, Kick):
            target = message.member
            await host.command(conn, member, ref, "kick", lambda s: s.kick(member, ref, target), asked=asked)
        elif isinstance(message, ReleaseInject):
            prepared, card = message.inject, message.card
            await host.command(
                conn, member, ref, "inject", lambda s: s.inject(member, ref, prepared, card), offload=True, asked=asked
            )

    async def _hello(self, conn: Connection, hello: Hello) -> None:
        if conn.greeted:
            conn.error(ALREADY_GREETED, "this connection has already said hello", hello.id)
            return
        if hello.protocol != PROTOCOL_VERSION:
            conn.error(UNSUPPORTED_PROTOCOL, f"this server speaks protocol {PROTOCOL_VERSION}, not {hello.protocol}", hello.id)
            return
        found = self.lobby.resume(hello.token) if hello.token is not None else None
        if hello.token is not None and found is None:
            conn.error(BAD_TOKEN, "this seat token is not known here; join with a code instead", hello.id)
            logs.connection("refused token", conn.id)
            return
        conn.greeted = True
        welcome = {
            "type": "welcome",
            "protocol": PROTOCOL_VERSION,
            "server": SERVER_NAME,
            "ref": hello.id,
            "seat": None,
            "limits": {"max_frame": MAX_FRAME_BYTES, "rate": self.rate, "burst": self.burst},
        }
        if found is None:
            conn.send_message(welcome)
            logs.connection("hello", conn.id)
            return
        host, member = found
        welcome["seat"] = host.session.seat(member)
        conn.send_message(welcome)
        await host.attach(conn, member, hello.v)
        logs.connection("resumed", conn.id, game=host.id, member=member.id, role=member.role, state=member.state)

    async def _create(self, conn: Connection, create: Create) -> None:
        try:
            host, member, token = await self.lobby.create(create)
        except LobbyError as exc:
            conn.error(exc.code, exc.message, create.id, exc.problems)
            logs.connection("create refused", conn.id, code=exc.code)
            return
        conn.send_message(
            {"type": "created", "ref": create.id, "game": host.id, "token": token, "seat": host.session.seat(member),
             "codes": host.session.settings["codes"]}
        )
        await host.attach(conn, member, None)
        logs.connection("created", conn.id, game=host.id, member=member.id, role=member.role)

    async def _join(self, conn: Connection, join: Join) -> None:
        try:
            joined = await self.lobby.join(conn, join.code, join.id, join.name)
        except LobbyError as exc:
            conn.error(exc.code, exc.message, join.id)
            logs.connection("join refused", conn.id, code=exc.code)
            return
        if joined is None:
            return
        host, member, token = joined
        conn.send_message(
            {"type": "joined", "ref": join.id, "game": host.id, "token": token, "seat": host.session.seat(member),
             "member": member.id, "name": host.session.names.get(member.id)}
        )
        await host.attach(conn, member, None)
        logs.connection("joined", conn.id, game=host.id, member=member.id, role=member.role, state=member.state)


# --- the command ------------------------------------------------------------------------------------


def _digest(message: ClientMessage) -> str:
    """What a request asks, without its id: the same id resent must ask the same thing."""
    return hashlib.blake2b(pack(message.model_dump(exclude={"id"})), digest_size=12).hexdigest()


def raise_open_files_limit(wanted: int = 8192) -> int:
    """Raise the soft limit on open files towards `wanted` (each connection holds one); the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            return target
    return soft


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("backchannel"))


async def run(host: str, port: int, data: Path) -> None:
    """Serve until SIGTERM or SIGINT, then shut down cleanly."""
    store = SqliteStore(data / DB_FILE)
    server = BackchannelServer(store)
    bound = await server.start(host, port)
    # What a restart loaded (scenarios, boards, games) lives as long as the process: out of the
    # collector's sight.  And fewer, larger young collections: most objects die young by reference
    # counting, and a full collection of a big heap stalls every game for a moment.
    gc.collect()
    gc.freeze()
    gc.set_threshold(5000, 20, 20)
    logs.flush()  # what the restart restored is in the log before anyone is told the server is up
    print(f"listening on ws://{host}:{bound}", flush=True)
    for line in reach_note(host, bound):
        print(line, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("shutting down")
    await server.close()
    logs.flush()


def serve_command(host: str, port: int, data: Path | None) -> int:
    logs.setup()
    # Threads beside the event loop (bots thinking in a worker, the store's writer thread when
    # BACKCHANNEL_COMMIT=thread) need the GIL back after each system call; with the default 5 ms
    # switch interval a busy event loop would make each of them wait that long.
    sys.setswitchinterval(0.0001)
    limit = raise_open_files_limit()
    if limit < 2048:
        log.warning("only %d open files allowed: at most about %d connections", limit, limit - 64)
    asyncio.run(run(host, port, data if data is not None else default_data_dir()))
    return 0


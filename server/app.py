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
import collections
import contextlib
import errno
import gc
import hashlib
import hmac
import json
import logging
import resource
import signal
import socket
import sqlite3
import ssl
import sys
import time
from collections import deque
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from game.protocol.codec import (
    MAX_HELLO_BYTES,
    MAX_MESSAGE_BYTES,
    ProtocolError,
    decode_client,
    pack,
    peek_type,
)
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
    RevokeCode,
    Start,
    Sync,
)
from game.protocol.version import MAX_FRAME_BYTES, PROTOCOL_VERSION
from server import logs
from server.addresses import reach_note
from server.cluster import Cluster
from server.connection import Connection
from server.game_host import INTERNAL, GameHost
from server.limits import Buckets, Limits
from server.lobby import Elsewhere, Lobby, LobbyError
from server.seats import Member, new_code
from server.store import SqliteStore, Store, StoreError, median_ms

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
TOO_LARGE = "too_large"
CREATE_FORBIDDEN = "create_forbidden"

TRY_AGAIN_LATER = 1013
"""The websocket close code of a process that cannot reach its database (RFC 6455's "try again later")."""
ADOPT_SECONDS = 2.0
"""How often a process of a cluster looks for games whose process is gone."""
SWEEP_SECONDS = 60.0
"""How often idle games are archived, spent buckets forgotten and refused frames summed up in the log."""

log = logging.getLogger("backchannel.server")


def _command_kind(command: dict[str, object]) -> str:
    kind = command.get("kind")
    return kind if isinstance(kind, str) and kind.isidentifier() and len(kind) <= 20 else "act"


class BackchannelServer:
    """The authoritative game server: a lobby of games behind one websocket endpoint."""

    def __init__(
        self,
        store: Store,
        rate: float | None = None,
        burst: int | None = None,
        limits: Limits | None = None,
        cluster: Cluster | None = None,
        public_address: str | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        limits = limits if limits is not None else Limits()
        # A test (or an operator) raising the connection's rate raises the seat's and the address's with it.
        if rate is not None:
            limits.rate = rate
            limits.seat_rate = max(limits.seat_rate, rate)
            limits.address_rate = max(limits.address_rate, rate) if limits.address_rate else 0.0
        if burst is not None:
            limits.burst = burst
            limits.seat_burst = max(limits.seat_burst, burst)
            limits.address_burst = max(limits.address_burst, burst)
        self.limits = limits
        self.store = store
        self.cluster = cluster if cluster is not None else Cluster()
        self.public_address = public_address
        self.tls = tls
        """The certificate to serve wss:// with (`serve --certfile/--keyfile`); None: plain ws://."""
        """The address players reach this process at (sent in redirects); default ws://HOST:PORT as bound."""
        self.lobby = Lobby(store, limits, self.cluster)
        if isinstance(store, SqliteStore) and self.lobby.book.cache is None:
            self.lobby.book.cache = store.path.parent / "scenario-cache"
        self.rate = limits.rate
        self.burst = limits.burst
        self.by_address = Buckets(limits.address_rate, limits.address_burst, limits.trusted)
        self.by_seat = Buckets(limits.seat_rate, limits.seat_burst)
        self.creates = Buckets(limits.creates_per_hour / 3600.0, limits.creates_burst, limits.trusted)
        self.open_by_address: collections.Counter[str] = collections.Counter()
        self.refused: collections.Counter[str] = collections.Counter()
        """Refused frames by code since the last summary in the log."""
        self.refused_total: collections.Counter[str] = collections.Counter()
        self.connections: set[Connection] = set()
        self.hosts: dict[Connection, GameHost] = {}
        """The game each seated connection plays in (kept here, so a connection need not know games)."""
        self.act_latencies: deque[float] = deque(maxlen=4096)
        """Recent times from an `act` frame read to its reply sent (after the commit), for /stats."""
        self._numbers = 0
        self._server: Server | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._adopter: asyncio.Task[None] | None = None
        self.port = 0

    async def start(self, host: str = "127.0.0.1", port: int = 8765) -> int:
        """Restore every stored game (alone) or join the cluster (a shared store), then listen; returns
        the bound port (useful with port 0)."""
        restored = 0 if self.cluster.shared else self.lobby.restore()
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
            ssl=self.tls,
        )
        self.lobby.start_clocks()
        self.port = self._server.sockets[0].getsockname()[1]
        if self.cluster.shared:
            if self.public_address is None:
                self.public_address = f"{self.scheme}://{host}:{self.port}"
            await self.cluster.start(self.public_address)
            if hasattr(self.store, "cluster"):
                self.store.cluster = self.cluster  # every write passes the cluster's fence
            if hasattr(self.cluster, "on_lost"):
                self.cluster.on_lost = self._database_lost
            restored = await self.lobby.adopt()
            self._adopter = asyncio.get_running_loop().create_task(self._adopt_every(ADOPT_SECONDS))
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep_every(SWEEP_SECONDS))
        log.info(
            "serving host=%s port=%d games=%d create=%s",
            host,
            self.port,
            restored,
            "token" if self.limits.create_token else "anyone",
        )
        return self.port

    def _database_lost(self) -> None:
        """The cluster's life line is gone: other processes may take every game now, so this one lets
        them all go and closes their connections (1013): the clients reconnect and are sent on."""
        for host in list(self.lobby.games.values()):
            host.lost(TRY_AGAIN_LATER, "this server process lost its database; connect again")

    @property
    def scheme(self) -> str:
        return "wss" if self.tls is not None else "ws"

    async def _adopt_every(self, seconds: float) -> None:
        """Games whose process is gone are hosted again within `seconds`, even if no player comes back
        (their clocks must run)."""
        while True:
            await asyncio.sleep(seconds)
            if not self.cluster.alive:
                continue
            try:
                await self.lobby.adopt()
            except Exception as exc:  # the next round tries again
                log.error("adopting games failed (%s)", type(exc).__name__)

    async def _sweep_every(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await self.sweep()
            except Exception as exc:  # the next sweep tries again
                log.error("sweep failed (%s)", type(exc).__name__)

    async def sweep(self, now: float | None = None) -> int:
        """Archive the idle games, forget refilled buckets, sum refused frames up in the log; the games archived."""
        idle = self.lobby.idle(time.time() if now is None else now)
        for host in idle:
            await self.lobby.archive(host)
        for buckets in (self.by_address, self.by_seat, self.creates, self.lobby.guesses):
            buckets.prune()
        self._summary("refused in the last minute", self.refused)
        self.refused.clear()
        return len(idle)

    def _summary(self, what: str, counts: collections.Counter[str]) -> None:
        if counts:
            log.info("%s: %s", what, " ".join(f"{code}={n}" for code, n in sorted(counts.items())))

    async def close(self) -> None:
        """Close every connection with 1001 (going away), finish the games' work, flush the store."""
        for task in (self._sweeper, self._adopter):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._server is not None:
            self._server.close(close_connections=True)
            await self._server.wait_closed()
        await self.lobby.close()
        await self.store.close()
        await self.cluster.close()
        self._summary("refused since start", self.refused_total)
        log.info("stopped")

    # --- HTTP ------------------------------------------------------------------------------------

    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        url = urlsplit(request.path)
        if url.path == "/healthz":
            if not self.cluster.alive:
                return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "the database does not answer\n")
            return connection.respond(HTTPStatus.OK, "ok\n")
        if url.path == "/stats":
            latencies = self.store.commit_latencies()
            stats = {
                "connections": len(self.connections),
                "games": len(self.lobby.games),
                "commits": len(latencies),
                "commit_ms_p50": median_ms(latencies),
                "act_reply_ms_p50": median_ms(self.act_latencies),
                "commands": dict(logs.command_counts),
                "cpu_seconds": round(time.process_time(), 3),
                "wall_seconds": round(time.monotonic(), 3),
            }
            return connection.respond(HTTPStatus.OK, json.dumps(stats) + "\n")
        if "token" in url.query.lower():
            # A URL ends up in proxy logs, browser history and Referer headers; a seat token must not.
            return connection.respond(
                HTTPStatus.BAD_REQUEST, "a seat token goes in the hello message, never in the URL\n"
            )
        return None

    # --- a connection ----------------------------------------------------------------------------

    async def handler(self, ws: ServerConnection) -> None:
        self._numbers += 1
        limits = self.limits
        conn = Connection(ws, self._numbers, self.rate, self.burst, limits.strike_fade)
        self.connections.add(conn)
        address = conn.address
        self.open_by_address[address] += 1
        logs.connection("open", conn.id, peer=conn.peer)
        loop = asyncio.get_running_loop()
        no_hello = loop.call_later(limits.hello_timeout, self._no_hello, conn)
        try:
            if (
                limits.connections_per_address
                and address not in limits.trusted
                and self.open_by_address[address] > limits.connections_per_address
            ):
                self.refuse(conn, RATE_LIMITED, "too many connections from your address")
                conn.close(1008, "too many connections from your address")
            async for frame in ws:
                if conn.closing:
                    # Read on, unanswered, until the closing handshake ends: a reader that stopped would
                    # leave the client's close frame unread behind a full queue until the close timeout.
                    continue
                if not conn.allow():
                    self.refuse(
                        conn,
                        RATE_LIMITED,
                        f"too many messages: at most {self.rate:g} a second (bursts of {self.burst})",
                    )
                    continue
                if not self.by_address.take(address):
                    self.refuse(conn, RATE_LIMITED, "too many messages from your address")
                    continue
                if not self._size_fits(conn, frame):
                    continue
                try:
                    message = decode_client(frame)
                except ProtocolError as exc:
                    self.refuse(conn, exc.code, exc.message, exc.ref)
                    continue
                member = conn.member
                if member is not None and not self.by_seat.take((member.game, member.id)):
                    self.refuse(
                        conn,
                        RATE_LIMITED,
                        "too many messages from your seat (all its connections together)",
                        message.id,
                    )
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
                    conn.error(
                        INTERNAL,
                        "the server could not handle this message; nothing changed",
                        getattr(message, "id", None),
                    )
        except ConnectionClosed:
            pass
        finally:
            no_hello.cancel()
            self.open_by_address[address] -= 1
            if self.open_by_address[address] <= 0:
                del self.open_by_address[address]
            host = self.hosts.pop(conn, None)
            if host is not None:
                host.detach(conn)
            self.connections.discard(conn)
            await conn.finish()
            member = conn.member
            logs.connection(
                "closed",
                conn.id,
                code=ws.close_code,
                game=member.game if member else None,
                member=member.id if member else None,
            )

    def _no_hello(self, conn: Connection) -> None:
        if not conn.greeted and not conn.closing:
            self.refused["no_hello"] += 1
            self.refused_total["no_hello"] += 1
            log.debug("conn %d: no hello within %g s; closed", conn.id, self.limits.hello_timeout)
            conn.close(1008, "no hello")

    def _size_fits(self, conn: Connection, frame: bytes | str) -> bool:
        """The size a frame may have for what it is, judged before it is unpacked: before the hello, a
        hello's; after it, a message's, except an upload (a `create`) from a connection without a seat,
        if its address may create a game now.  The websocket itself refuses any frame over 1 MiB (1009)."""
        size = len(frame)
        if size <= MAX_HELLO_BYTES:
            return True
        if not conn.greeted:
            self.refuse(conn, TOO_LARGE, f"the first message is a hello, of at most {MAX_HELLO_BYTES} bytes")
            return False
        if size <= MAX_MESSAGE_BYTES:
            return True
        if isinstance(frame, str) or conn.member is not None or peek_type(frame) != "create":
            self.refuse(
                conn,
                TOO_LARGE,
                f"a message is at most {MAX_MESSAGE_BYTES // 1024} KiB (a scenario upload excepted)",
            )
            return False
        if not self.creates.available(conn.address):
            self.refuse(conn, RATE_LIMITED, "too many games created from your address; try again later")
            return False
        return True

    def refuse(self, conn: Connection, code: str, message: str, ref: str | int | None = None) -> None:
        """Refuse a frame: a strike for the connection, an answer while it has few, closed (1008) past the limit.
        Logged at debug (counted, and summed up at info every minute)."""
        self.refused[code] += 1
        self.refused_total[code] += 1
        log.debug("conn %d refused %s", conn.id, code)
        strikes = conn.strikes.add()
        limits = self.limits
        if strikes > limits.strikes:
            conn.close(1008, "too many refused messages")
            return
        if strikes <= limits.answered:
            if strikes + 1 > limits.answered:
                message += "; further refused messages get no answer for a while"
            conn.error(code, message, ref)

    async def dispatch(self, conn: Connection, message: ClientMessage) -> None:
        if isinstance(message, Hello):
            await self._hello(conn, message)
            return
        ref = message.id
        if not conn.greeted:
            self.refuse(conn, HELLO_FIRST, "the first message on a connection must be a hello", ref)
            return
        if isinstance(message, Ping):
            conn.send_message({"type": "pong", "ref": ref, "time": time.time()})
            return
        if isinstance(message, Create | Join):
            if conn.member is not None:
                self.refuse(
                    conn,
                    ALREADY_SEATED,
                    "this connection already holds a seat; open another to join another game",
                    ref,
                )
                return
            await (self._create(conn, message) if isinstance(message, Create) else self._join(conn, message))
            return
        host, member = self.hosts.get(conn), conn.member
        if host is None or member is None:
            self.refuse(
                conn,
                NO_SEAT,
                "join or create a game first (or resume a seat with your token in the hello)",
                ref,
            )
            return
        assert ref is not None
        await self._seat_command(conn, host, member, ref, message)

    async def _seat_command(
        self, conn: Connection, host: GameHost, member: Member, ref: str | int, message: ClientMessage
    ) -> None:
        now = time.time()
        asked = _digest(message)
        if isinstance(message, Act):  # first: nearly every frame under load is one
            command = message.command
            await host.command(
                conn, member, ref, _command_kind(command), lambda s: s.act(member, ref, command), asked=asked
            )
        elif isinstance(message, Sync):
            await host.sync(conn, member, ref, message.v)
        elif isinstance(message, GetScenario):
            conn.send_message(host.session.scenario_message(member, ref))
            logs.command("answered", conn.id, "get_scenario")
        elif isinstance(message, GetRecord):
            await host.record(conn, member, ref)
        elif isinstance(message, Ready):
            ready = message.ready
            await host.command(
                conn, member, ref, "ready", lambda s: s.set_ready(member, ref, ready), asked=asked
            )
        elif isinstance(message, Start):
            fill, confirm = message.fill_bots, message.confirm
            await host.command(
                conn,
                member,
                ref,
                "start",
                lambda s: s.start(member, ref, fill, now, confirm),
                offload=True,
                asked=asked,
            )
        elif isinstance(message, Pause | Resume | Extend):
            op, seconds = message.type, message.seconds if isinstance(message, Extend) else 0
            await host.command(
                conn, member, ref, op, lambda s: s.change_clock(member, ref, op, now, seconds), asked=asked
            )
        elif isinstance(message, ResolveNow):
            await host.command(
                conn,
                member,
                ref,
                "resolve",
                lambda s: s.advance(now, "umpire", member, ref),
                offload=True,
                asked=asked,
            )
        elif isinstance(message, Leader):
            state, chosen = message.state, message.member
            await host.command(
                conn, member, ref, "leader", lambda s: s.name_leader(member, ref, state, chosen), asked=asked
            )
        elif isinstance(message, Replace):
            state = message.state
            await host.command(
                conn, member, ref, "replace", lambda s: s.replace(member, ref, state), asked=asked
            )
        elif isinstance(message, Kick):
            target = message.member
            await host.command(conn, member, ref, "kick", lambda s: s.kick(member, ref, target), asked=asked)
        elif isinstance(message, RevokeCode):
            seat, code = message.seat, new_code(set(self.lobby.codes))
            await host.command(
                conn,
                member,
                ref,
                "revoke_code",
                lambda s: s.revoke_code(member, ref, seat, code),
                asked=asked,
            )
            await self.lobby.recode(host)
        elif isinstance(message, ReleaseInject):
            prepared, card = message.inject, message.card
            await host.command(
                conn,
                member,
                ref,
                "inject",
                lambda s: s.inject(member, ref, prepared, card),
                offload=True,
                asked=asked,
            )

    async def _hello(self, conn: Connection, hello: Hello) -> None:
        if conn.greeted:
            self.refuse(conn, ALREADY_GREETED, "this connection has already said hello", hello.id)
            return
        if hello.protocol != PROTOCOL_VERSION:
            self.refuse(
                conn,
                UNSUPPORTED_PROTOCOL,
                f"this server speaks protocol {PROTOCOL_VERSION}, not {hello.protocol}",
                hello.id,
            )
            return
        try:
            found = await self.lobby.resume(hello.token) if hello.token is not None else None
        except Elsewhere as there:
            self._redirect(conn, there, hello.id)
            return
        except StoreError:
            self._unavailable(conn)
            return
        if hello.token is not None and found is None:
            self.refuse(
                conn, BAD_TOKEN, "this seat token is not known here; join with a code instead", hello.id
            )
            return
        conn.greeted = True
        welcome = {
            "type": "welcome",
            "protocol": PROTOCOL_VERSION,
            "server": SERVER_NAME,
            "ref": hello.id,
            "seat": None,
            "limits": {
                "max_frame": MAX_FRAME_BYTES,
                "rate": self.rate,
                "burst": self.burst,
                "max_message": MAX_MESSAGE_BYTES,
            },
        }
        if found is None:
            conn.send_message(welcome)
            logs.connection("hello", conn.id)
            return
        host, member = found
        welcome["seat"] = host.session.seat(member)
        conn.send_message(welcome)
        self._seated(conn, host)
        await host.attach(conn, member, hello.v)
        logs.connection(
            "resumed", conn.id, game=host.id, member=member.id, role=member.role, state=member.state
        )

    async def _create(self, conn: Connection, create: Create) -> None:
        token = self.limits.create_token
        if token is not None and not hmac.compare_digest(
            (create.create_token or "").encode(), token.encode()
        ):
            self.refuse(
                conn,
                CREATE_FORBIDDEN,
                "this server creates games only with its create token (ask whoever runs it)",
                create.id,
            )
            return
        if not self.creates.take(conn.address):
            self.refuse(
                conn, RATE_LIMITED, "too many games created from your address; try again later", create.id
            )
            return
        try:
            host, member, token = await self.lobby.create(create, conn.address)
        except LobbyError as exc:
            if exc.problems is None:
                self.refuse(conn, exc.code, exc.message, create.id)
            else:  # a scenario's problems: the designer needs them, every time
                conn.error(exc.code, exc.message, create.id, exc.problems)
            log.debug("conn %d: create refused (%s)", conn.id, exc.code)
            return
        conn.send_message(
            {
                "type": "created",
                "ref": create.id,
                "game": host.id,
                "token": token,
                "seat": host.session.seat(member),
                "codes": host.session.settings["codes"],
            }
        )
        self._seated(conn, host)
        await host.attach(conn, member, None)
        logs.connection("created", conn.id, game=host.id, member=member.id, role=member.role)

    def _redirect(self, conn: Connection, there: Elsewhere, ref: str | int | None) -> None:
        """The game lives in another process of the cluster: the client reconnects there and says the
        same again (docs/protocol.md, "Several server processes")."""
        conn.send_message({"type": "redirect", "ref": ref, "game": there.game, "address": there.address})
        logs.connection("redirected", conn.id, game=there.game)

    def _unavailable(self, conn: Connection) -> None:
        """This process cannot reach its database: it takes no seat, and the client tries again
        (another process, or this one once the database answers)."""
        conn.close(TRY_AGAIN_LATER, "this server process cannot reach its database; connect again")

    def _seated(self, conn: Connection, host: GameHost) -> None:
        """The connection plays in `host` from now on (set before it attaches, so that a failed
        attach still detaches).  A seated connection never uploads again: from the next frames on,
        the websocket itself refuses (1009) any frame over a message's size."""
        self.hosts[conn] = host
        protocol = getattr(conn.ws, "protocol", None)
        if protocol is not None and hasattr(protocol, "max_message_size"):
            protocol.max_message_size = MAX_MESSAGE_BYTES

    async def _join(self, conn: Connection, join: Join) -> None:
        try:
            joined = await self.lobby.join(conn, join.code, join.id, join.name)
        except Elsewhere as there:
            self._redirect(conn, there, join.id)
            return
        except StoreError:
            self._unavailable(conn)
            return
        except LobbyError as exc:
            self.refuse(conn, exc.code, exc.message, join.id)
            return
        if joined is None:
            return
        host, member, token = joined
        self._seated(conn, host)
        conn.send_message(
            {
                "type": "joined",
                "ref": join.id,
                "game": host.id,
                "token": token,
                "seat": host.session.seat(member),
                "member": member.id,
                "name": host.session.names.get(member.id),
            }
        )
        await host.attach(conn, member, None)
        logs.connection(
            "joined", conn.id, game=host.id, member=member.id, role=member.role, state=member.state
        )


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


class ServeError(Exception):
    """A mistake in how the server was started (a port taken, a folder it cannot write): one line."""


def _open_shared(url: str) -> tuple[Store, Cluster]:
    """A PostgreSQL store and the cluster of processes sharing it."""
    try:
        from server.cluster_pg import PostgresCluster
        from server.store_pg import PostgresStore
    except ImportError:
        raise ServeError(
            "--store postgresql://… needs psycopg: pip install 'backchannel[postgresql]'"
        ) from None
    try:
        return PostgresStore(url), PostgresCluster(url)
    except StoreError as exc:
        raise ServeError(str(exc)) from None


def _open_store(data: Path) -> SqliteStore:
    try:
        data.mkdir(parents=True, exist_ok=True)
        return SqliteStore(data / DB_FILE)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ServeError(
            f"cannot use the data folder {data}: {reason} (choose another with --data)"
        ) from None


def _probe_bind(host: str, port: int) -> int | None:
    """The errno of binding `host:port` with a plain socket, for an asyncio error that lost it."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError:
        return None
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as probe:
            try:
                probe.bind(address)
            except OSError as failed:
                return failed.errno
    return None


def _bind_problem(host: str, port: int, exc: OSError) -> str:
    """What an operator should read when the server cannot listen."""
    if isinstance(exc, socket.gaierror):
        return f"cannot find the host {host!r} ({exc.strerror}): give an address of this computer, e.g. --host 0.0.0.0"
    code = exc.errno
    if code is None and "[Errno" in str(exc):  # several addresses (localhost): "Multiple exceptions: ..."
        code = next(
            (e for e in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES) if f"[Errno {e}]" in str(exc)),
            None,
        )
    if code is None:  # Python 3.13: "could not bind on any address out of [...]", the cause dropped
        code = _probe_bind(host, port)
    if code == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use (another server?): choose another with --port"
    if code == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host}: it is not an address of this computer (try --host 0.0.0.0)"
    if code == errno.EACCES:
        return f"not allowed to listen on port {port} (ports below 1024 need privileges): choose another with --port"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def tls_context(certfile: Path, keyfile: Path) -> ssl.SSLContext:
    """The server's TLS context from a certificate chain and its key (PEM files), or a one-line ServeError."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(certfile, keyfile)
    except FileNotFoundError as exc:
        raise ServeError(
            f"cannot read {exc.filename or certfile}: no such file (--certfile, --keyfile)"
        ) from None
    except (ssl.SSLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
        raise ServeError(f"cannot use the certificate {certfile} with the key {keyfile}: {reason}") from None
    return context


async def run(
    host: str,
    port: int,
    data: Path,
    limits: Limits | None = None,
    store_url: str | None = None,
    public_address: str | None = None,
    tls: ssl.SSLContext | None = None,
) -> None:
    """Serve until SIGTERM or SIGINT, then shut down cleanly."""
    if store_url is not None:
        store, cluster = _open_shared(store_url)
    else:
        store, cluster = _open_store(data), Cluster()
    server = BackchannelServer(store, limits=limits, cluster=cluster, public_address=public_address, tls=tls)
    try:
        bound = await server.start(host, port)
    except OSError as exc:
        await server.close()
        raise ServeError(_bind_problem(host, port, exc)) from None
    except StoreError as exc:
        await server.close()
        raise ServeError(str(exc)) from None
    # What a restart loaded (scenarios, boards, games) lives as long as the process: out of the
    # collector's sight.  And fewer, larger young collections: most objects die young by reference
    # counting, and a full collection of a big heap stalls every game for a moment.
    gc.collect()
    gc.freeze()
    gc.set_threshold(5000, 20, 20)
    logs.flush()  # what the restart restored is in the log before anyone is told the server is up
    print(f"listening on {server.scheme}://{host}:{bound}", flush=True)
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


def serve_command(
    host: str,
    port: int,
    data: Path | None,
    create_token: str | None = None,
    games_per_address: int | None = None,
    expire_hours: float | None = None,
    trust: list[str] | None = None,
    store: str | None = None,
    public_address: str | None = None,
    certfile: Path | None = None,
    keyfile: Path | None = None,
) -> int:
    logs.setup()
    # Threads beside the event loop (bots thinking in a worker, the store's writer thread) need the GIL back after each system call; with the default 5 ms
    # switch interval a busy event loop would make each of them wait that long.
    sys.setswitchinterval(0.0001)
    limit = raise_open_files_limit()
    if limit < 2048:
        log.warning("only %d open files allowed: at most about %d connections", limit, limit - 64)
    limits = Limits(create_token=create_token or None, trusted=frozenset(trust or ()))
    if games_per_address is not None:
        limits.games_per_address = games_per_address
    if expire_hours is not None:
        limits.idle_seconds = expire_hours * 3600.0
        limits.lobby_idle_seconds = (
            min(limits.lobby_idle_seconds, limits.idle_seconds) if expire_hours > 0 else 0.0
        )
    try:
        if (certfile is None) != (keyfile is None):
            raise ServeError(
                "give both --certfile and --keyfile (the certificate chain and its private key), or neither"
            )
        tls = tls_context(certfile, keyfile) if certfile is not None and keyfile is not None else None
        if store is not None and not store.startswith(("postgresql://", "postgres://")):
            raise ServeError(
                f"--store {store!r}: give a PostgreSQL address, postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
            )
        asyncio.run(
            run(
                host,
                port,
                data if data is not None else default_data_dir(),
                limits,
                store,
                public_address,
                tls,
            )
        )
    except ServeError as exc:
        logs.flush()
        print(f"backchannel serve: {exc}", file=sys.stderr, flush=True)
        return 1
    return 0

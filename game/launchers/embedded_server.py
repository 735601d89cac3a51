"""The embedded server: the real game server in a thread of this process, and where the
player's data lives.

Local play (`game.launchers.play`) and class hosting (`game.launchers.host`) both run one; it
is a module of its own so that neither launcher imports the other for it.  Importing it also
hands the client its scenario reader (through the embedded server's book of parsed scenarios).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from pathlib import Path
from typing import IO

from game.client.scenario_cache import HOME_ENV, ScenarioCache
from game.rules.scenario import Scenario

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one program at a time is then the player's care
    fcntl = None  # type: ignore[assignment]


def _read_scenario(text: str, name: str) -> Scenario:
    """The client reads bundled scenario files through this (DESIGN.md: it does not import the
    scenario package itself).  The embedded server runs in this process: going through its book
    of parsed scenarios, a scenario's YAML is read once for both (it takes most of a second)."""
    from server.lobby import BOOK

    return BOOK.load(text, name)[0]


ScenarioCache.read_yaml = staticmethod(_read_scenario)

log = logging.getLogger("backchannel.play")

LOCK_FILE = "server.lock"
START_TIMEOUT = 30.0
"""Starting the server restores every stored game; a reply to a lobby request comes in well under this."""
STOP_TIMEOUT = 10.0


class LocalPlayError(RuntimeError):
    """A local game could not be set up; the message says why, for the player; ``code`` is the
    server's error code when the server refused."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


def home() -> Path:
    """The base folder of the player's Backchannel data."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("backchannel"))


def local_dir() -> Path:
    """The embedded server's database and the registry of local games."""
    return home() / "local"


class EmbeddedServer:
    """The real game server (`server.app.BackchannelServer` on SQLite) in a daemon thread.

    Its asyncio loop is its own, so the UI thread never runs server work; resolution and bots
    run off that loop too (server/game_host.py).  `host` is where it listens: loopback for local
    play; ``0.0.0.0`` for a class game that students join from the network (game/launchers/host.py).  The
    program's own links always use loopback (`url`)."""

    def __init__(self, data_dir: Path, host: str = "127.0.0.1") -> None:
        self.data_dir = data_dir
        self.host = host
        self.port = 0
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._failure: BaseException | None = None
        self._lock_file: IO[str] | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, port: int | None = None) -> str:
        """Start serving (on `port`, default any free one) and return the ws:// URL."""
        if self.running:
            return self.url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock_data()
        self._started.clear()
        self._failure = None
        self._thread = threading.Thread(
            target=self._run,
            args=(self.port if port is None else port,),
            name="backchannel-server",
            daemon=True,
        )
        self._thread.start()
        if not self._started.wait(START_TIMEOUT):
            raise LocalPlayError("the embedded server did not start in time")
        if self._failure is not None:
            self._thread.join(STOP_TIMEOUT)
            self._thread = None
            self._unlock_data()
            raise LocalPlayError(f"the embedded server could not start: {self._failure}") from self._failure
        return self.url

    def stop(self) -> None:
        """Close every connection (1001), finish the games' work, close the store; wait a bounded time."""
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None:
            return
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                loop.call_soon_threadsafe(stop.set)
        thread.join(STOP_TIMEOUT)
        if thread.is_alive():
            log.warning("the embedded server did not stop within %.0f s", STOP_TIMEOUT)
        else:
            self._unlock_data()
        self._thread = None

    def _lock_data(self) -> None:
        """One server per data folder: two processes writing the same games would corrupt them."""
        if fcntl is None or self._lock_file is not None:
            return
        handle = (self.data_dir / LOCK_FILE).open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise LocalPlayError(
                f"another Backchannel program is playing local games from {self.data_dir}; close it first"
            ) from None
        self._lock_file = handle

    def _unlock_data(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing releases the lock
            self._lock_file = None

    def restart(self) -> str:
        """Stop, then serve the same data again on the same port if it is still free (else any)."""
        port = self.port
        self.stop()
        try:
            return self.start(port)
        except LocalPlayError:
            if port == 0:
                raise
            return self.start(0)

    def _run(self, port: int) -> None:
        from server.app import DB_FILE, BackchannelServer
        from server.store import SqliteStore

        loop = asyncio.new_event_loop()
        self._loop = loop

        async def serve() -> None:
            self._stop = asyncio.Event()
            server = BackchannelServer(SqliteStore(self.data_dir / DB_FILE))
            try:
                self.port = await server.start(self.host, port)
            except BaseException:
                await server.store.close()
                raise
            self._started.set()
            try:
                await self._stop.wait()
            finally:
                await server.close()

        try:
            loop.run_until_complete(serve())
        except BaseException as exc:
            self._failure = exc
            log.debug("embedded server stopped with an error", exc_info=exc)
        finally:
            self._started.set()
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()


_servers: dict[Path, EmbeddedServer] = {}
_servers_lock = threading.Lock()


def embedded_server(data_dir: Path | None = None) -> EmbeddedServer:
    """The process's embedded server for this data folder, started (one per folder: SQLite wants one writer)."""
    folder = (data_dir if data_dir is not None else local_dir()).resolve()
    with _servers_lock:
        server = _servers.get(folder)
        if server is None:
            server = _servers[folder] = EmbeddedServer(folder)
        if not server.running:
            server.start()
        return server


def stop_embedded_servers() -> None:
    """Stop every embedded server this process started (at exit, and in tests)."""
    with _servers_lock:
        servers = list(_servers.values())
        _servers.clear()
    for server in servers:
        server.stop()

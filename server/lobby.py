"""The lobby: creating games, join codes, seat tokens, and bringing games back after a restart.

A game is created from a bundled scenario id or an uploaded scenario text; either way its
*text* is stored with it, so a game survives later edits of the scenario file.  Scenarios
are parsed once per distinct text (parsing is the slow part; games share the result).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import secrets
import time
from pathlib import Path

from game.protocol.messages import Create
from game.rules.board import Board
from game.rules.scenario import Scenario
from game.scenario.loader import ScenarioError, find_scenario
from server import logs
from server.bot_seats import personalities
from server.clock import Clock
from server.cluster import Cluster, CodeTarget
from server.connection import Connection
from server.game_host import GameHost
from server.limits import Buckets, Limits
from server.seats import Member, Tokens, new_code, new_game_id, new_token, normalise_code, token_digest
from server.session import DEFAULT_BOT_DELAY, Session, Step
from server.snapshots import code_version
from server.store import ARCHIVED, Entry, GameHeader, Snapshot, Store, StoredGame
from server.uploads import MAX_PROBLEMS, UploadBusy, UploadTimeout, UploadWorker

UNKNOWN_SCENARIO = "unknown_scenario"
BAD_SCENARIO = "bad_scenario"
BAD_SEATS = "bad_seats"
BAD_CODE = "bad_code"
BUSY = "busy"
QUOTA = "quota"
TOO_MANY_GUESSES = "too_many_guesses"
UPLOAD_TOO_SLOW = "upload_too_slow"


def _bad_scenario(errors: int, problems: list[str]) -> LobbyError:
    more = f" (first {MAX_PROBLEMS} shown)" if errors > len(problems) else ""
    return LobbyError(
        BAD_SCENARIO, f"the scenario has {errors} error(s){more}: {problems[0] if problems else ''}", problems
    )


class LobbyError(Exception):
    def __init__(self, code: str, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.problems = problems


class Elsewhere(Exception):
    """The game asked for is hosted by another process of the cluster, at `address`."""

    def __init__(self, game: str, address: str) -> None:
        super().__init__(address)
        self.game = game
        self.address = address


class ScenarioBook:
    """Parsed scenarios by the SHA-256 of their text.

    Reading a scenario's YAML takes most of a second (ruamel.yaml is pure Python), the same
    scenario checked and dumped as JSON a hundredth of that: with a cache folder, a scenario read
    once is kept there as JSON (keyed by its text and the code's digest, so an edit or an
    upgrade reads the YAML again), and a server starts its games in a moment."""

    def __init__(self) -> None:
        self._parsed: dict[str, tuple[Scenario, Board]] = {}
        self.cache: Path | None = None

    def load(self, text: str, name: str) -> tuple[Scenario, Board]:
        from game.scenario.loader import load_scenario_text

        key = self.key(text)
        found = self._parsed.get(key)
        if found is None:
            scenario = self._cached(key) or load_scenario_text(text, name)
            found = self._add(key, scenario)
        return found

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def known(self, text: str) -> tuple[Scenario, Board] | None:
        """The scenario already read (in memory or in the cache folder), or None: no parsing here."""
        key = self.key(text)
        found = self._parsed.get(key)
        if found is None:
            scenario = self._cached(key)
            if scenario is not None:
                found = self._add(key, scenario)
        return found

    def from_json(self, text: str, checked: str) -> tuple[Scenario, Board]:
        """A scenario an upload worker read and checked, from its JSON."""
        return self._add(self.key(text), Scenario.model_validate_json(checked))

    def _add(self, key: str, scenario: Scenario) -> tuple[Scenario, Board]:
        found = (scenario, Board.from_scenario(scenario))
        self._parsed[key] = found
        self._keep(key, scenario)
        return found

    def _path(self, key: str) -> Path | None:
        return None if self.cache is None else self.cache / f"{key[:32]}-{code_version()[:16]}.json"

    def _cached(self, key: str) -> Scenario | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            return Scenario.model_validate_json(path.read_bytes())
        except (OSError, ValueError):
            return None  # damaged or from other code: read the YAML again

    def _keep(self, key: str, scenario: Scenario) -> None:
        path = self._path(key)
        if path is None or path.is_file():
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_text(scenario.model_dump_json(), encoding="utf-8")
            partial.replace(path)
        except OSError as exc:
            logs.log.warning("scenario cache not written (%s)", type(exc).__name__)


BOOK = ScenarioBook()
"""One book per process: games (and servers, in tests) share parsed scenarios."""


def _read_bundled(ref: str) -> str:
    path = find_scenario(ref)
    if path.parent.name != "scenarios":  # find_scenario also takes paths: only bundled ids here
        raise LobbyError(UNKNOWN_SCENARIO, f"no bundled scenario {ref!r}")
    return path.read_text(encoding="utf-8")


class Lobby:
    """Every game on this server, found by id, join code or seat token."""

    def __init__(self, store: Store, limits: Limits | None = None, cluster: Cluster | None = None) -> None:
        self.store = store
        self.cluster = cluster if cluster is not None else Cluster()
        self._taking: dict[str, asyncio.Future[bool]] = {}
        """Games being loaded here after their lease was taken: a second request waits for the first."""
        self.limits = limits if limits is not None else Limits()
        self.games: dict[str, GameHost] = {}
        self.codes: dict[str, CodeTarget] = {}
        self.tokens = Tokens()
        self.book = BOOK
        self.guesses = Buckets(
            self.limits.guesses_per_minute / 60.0, self.limits.guesses_burst, self.limits.trusted
        )
        """Wrong join codes per address: guessing is limited however many connections it uses."""
        self.owners: dict[str, str] = {}
        """Game id -> the address that created it (this process's games only), for the quota."""
        self.uploads = UploadWorker(self.limits.upload_seconds, self.limits.uploads_waiting)
        # Reading a bundled scenario or an upload's checked JSON: a thread of the lobby's own, never the
        # pool that resolves phases and runs bots.
        self._reader = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="lobby")

    def games_of(self, address: str) -> int:
        return sum(1 for owner in self.owners.values() if owner == address)

    async def _read(self, request: Create) -> tuple[str, str, Scenario, Board]:
        """The scenario a create asks for: its text, its name, and it read (an upload in the upload worker)."""
        loop = asyncio.get_running_loop()
        if request.scenario is not None:
            try:
                text = await loop.run_in_executor(self._reader, _read_bundled, request.scenario)
            except ScenarioError:
                raise LobbyError(UNKNOWN_SCENARIO, f"no bundled scenario {request.scenario!r}") from None
            name = f"{request.scenario}.yaml"
            try:
                scenario, board = await loop.run_in_executor(self._reader, self.book.load, text, name)
            except ScenarioError as exc:
                raise _bad_scenario(len(exc.errors), [str(p) for p in exc.problems[:MAX_PROBLEMS]]) from None
            return text, name, scenario, board
        assert request.scenario_text is not None
        text = request.scenario_text
        found = self.book.known(text)
        if found is not None:
            return text, "upload", *found
        try:
            outcome, detail, problems = await self.uploads.parse(text, self._reader)
        except UploadBusy:
            raise LobbyError(BUSY, "the server is reading other uploads; try again in a minute") from None
        except UploadTimeout:
            raise LobbyError(
                UPLOAD_TOO_SLOW,
                f"the scenario took more than {self.limits.upload_seconds:g} s of processor time to read; "
                "check it with `backchannel scenario validate` and send a smaller one",
            ) from None
        if outcome != "ok":
            raise _bad_scenario(detail, problems)
        scenario, board = await loop.run_in_executor(self._reader, self.book.from_json, text, detail)
        return text, "upload", scenario, board

    def _register(self, host: GameHost) -> None:
        self.games[host.id] = host
        host.on_moved = self.drop
        codes = host.session.settings["codes"]
        for state, code in codes["states"].items():
            self.codes[code] = CodeTarget(host.id, "player", state)
        self.codes[codes["observer"]] = CodeTarget(host.id, "observer", None)
        self.codes[codes["umpire"]] = CodeTarget(host.id, "umpire", None)
        for member in host.members:
            self.tokens.add(member)

    def _host(
        self,
        header: GameHeader,
        scenario: Scenario,
        board: Board,
        members: list[Member],
        entries: list[Entry],
        snapshot: Snapshot | None = None,
    ) -> GameHost:
        return GameHost(lambda: Session(header, scenario, board), self.store, members, entries, snapshot)

    async def create(self, request: Create, address: str = "?") -> tuple[GameHost, Member, str]:
        """A new game from the request; its creator is its first umpire.  Returns the creator's token."""
        quota = self.limits.games_per_address if address not in self.limits.trusted else 0
        if quota and self.games_of(address) >= quota:
            raise LobbyError(
                QUOTA, f"at most {quota} games from one address at once; finished and idle games expire"
            )
        text, _name, scenario, board = await self._read(request)
        if quota and self.games_of(address) >= quota:  # (others may have been created meanwhile)
            raise LobbyError(
                QUOTA, f"at most {quota} games from one address at once; finished and idle games expire"
            )
        state_ids = [s.id for s in scenario.states]
        default = {"player": "human", "bot": "bot", "none": "none"}
        seats = {s.id: default[s.controller] for s in scenario.states}
        for state, kind in request.seats.items():
            if state not in seats:
                raise LobbyError(
                    BAD_SEATS, f"the scenario has no state {state!r}; its states are {', '.join(state_ids)}"
                )
            seats[state] = kind
        seed = request.seed if request.seed is not None else secrets.randbelow(2**31)
        taken = set(self.codes)
        codes_for_states: dict[str, str] = {}
        for state in state_ids:
            if seats[state] == "human":
                codes_for_states[state] = code = new_code(taken)
                taken.add(code)
        observer = new_code(taken)
        taken.add(observer)
        umpire = new_code(taken)
        game_id = new_game_id()
        while game_id in self.games or await self.cluster.claim(game_id) is not None:
            game_id = new_game_id()
        settings = {
            "deadline": request.deadline,
            "bot_delay": request.bot_delay if request.bot_delay is not None else DEFAULT_BOT_DELAY,
            "seats": seats,
            "labels": request.labels,
            "personalities": personalities([s for s in state_ids if seats[s] != "none"], seed),
            "codes": {"states": codes_for_states, "observer": observer, "umpire": umpire},
        }
        header = GameHeader(
            id=game_id,
            created=time.time(),
            scenario_ref=request.scenario,
            scenario_text=text,
            seed=seed,
            settings=settings,
            status="lobby",
            clock=Clock(request.deadline).to_json(),
        )
        session = Session(header, scenario, board)
        token = new_token()
        creator = Member("m1", game_id, "umpire", None, token_digest(token))
        step = session.join(creator)
        try:
            await self.store.create(header, step.members, step.entries)
        except Exception:
            await self.cluster.release(game_id)
            raise
        host = self._host(header, scenario, board, step.members, step.entries)
        self._register(host)
        self.owners[game_id] = address
        logs.game(
            "created", game_id, scenario=scenario.id, seats=sum(1 for k in seats.values() if k == "human")
        )
        return host, creator, token

    async def join(
        self, conn: Connection, code: str, ref: str | int | None = None, name: str | None = None
    ) -> tuple[GameHost, Member, str] | None:
        """Join with a code, as `name` (None: a default name); None (and an error sent) if the seat refuses."""
        address = conn.address
        if not self.guesses.available(address):
            raise LobbyError(
                TOO_MANY_GUESSES,
                "too many wrong join codes from your address; wait a minute and check the code",
            )
        target = self.codes.get(normalise_code(code))
        if target is None and self.cluster.shared:  # hosted by another process, or by none now
            found = await self.cluster.find_code(normalise_code(code))
            if found is not None and await self.take(found.game):
                target = self.codes.get(normalise_code(code))
        if target is None or target.game not in self.games:
            self.guesses.take(address)
            raise LobbyError(BAD_CODE, "no game has this join code")
        host = self.games[target.game]
        token = new_token()
        digest = token_digest(token)

        def make(session: Session) -> Step:
            member = Member(f"m{len(session.members) + 1}", host.id, target.role, target.state, digest)
            return session.join(member, name, host.online())

        member = await host.join(conn, make, ref)
        if member is None:
            return None
        self.tokens.add(member)
        return host, member, token

    async def recode(self, host: GameHost) -> None:
        """A game's codes changed (revoke_code): the lobby's map (and the cluster's) follows its settings."""
        for code in [c for c, t in self.codes.items() if t.game == host.id]:
            del self.codes[code]
        codes = host.session.settings["codes"]
        for state, code in codes["states"].items():
            self.codes[code] = CodeTarget(host.id, "player", state)
        self.codes[codes["observer"]] = CodeTarget(host.id, "observer", None)
        self.codes[codes["umpire"]] = CodeTarget(host.id, "umpire", None)
        if self.cluster.shared:
            await self.cluster.set_codes(host.id, codes)

    def idle(self, now: float) -> list[GameHost]:
        """The games to archive: nobody connected and nothing done for the configured time (shorter
        for a game never started or already over)."""
        found = []
        for host in self.games.values():
            if host.connected() or host.busy():
                continue
            status = host.session.status
            limit = (
                self.limits.lobby_idle_seconds if status in ("lobby", "over") else self.limits.idle_seconds
            )
            if limit > 0 and now - host.active >= limit:
                found.append(host)
        return found

    async def archive(self, host: GameHost) -> None:
        """Take a game out of memory: its codes and tokens open nothing any more.  Its log stays in the
        store (marked archived, so a restart leaves it out), for the debrief and the record."""
        if not self._forget(host):
            return
        await host.close()
        try:
            await self.store.archive(host.id)
        except Exception as exc:  # it stays out of memory; a restart would bring it back
            logs.log.warning("game %s: archiving not stored (%s)", host.id, type(exc).__name__)
        await self.cluster.release(host.id)
        logs.game("archived", host.id, status=host.session.status, entries=host.session.logged)

    async def resume(self, token: str) -> tuple[GameHost, Member] | None:
        """The seat a token opens; None if none does (or the umpire removed its member).  Raises
        `Elsewhere` if another process hosts its game."""
        member = self.tokens.find(token)
        if member is None and self.cluster.shared:
            game = await self.cluster.find_token(token_digest(token))
            if game is not None and await self.take(game):
                member = self.tokens.find(token)
        if member is None or member.game not in self.games:
            return None
        host = self.games[member.game]
        if member.id in host.session.kicked:
            return None
        return host, member

    def restore(self) -> int:
        """Rebuild every stored game by replaying its log; their clocks start with `start_clocks`."""
        count = 0
        for stored in self.store.load():
            header = stored.header
            try:
                host = self._rebuild(stored)
            except Exception as exc:
                logs.log.error("game %s cannot be restored (%s); left out", header.id, type(exc).__name__)
                continue
            self._register(host)
            count += 1
            logs.game(
                "restored",
                header.id,
                entries=len(stored.entries),
                status=host.session.status,
                snapshot=stored.snapshot.seq if host.restored_from_snapshot and stored.snapshot else None,
            )
        return count

    def _rebuild(self, stored: StoredGame) -> GameHost:
        """A stored game in memory again: its scenario read (or found in the book), its log replayed
        from its latest snapshot."""
        header = stored.header
        scenario, board = self.book.load(header.scenario_text, header.scenario_ref or "upload")
        return self._host(header, scenario, board, stored.members, stored.entries, stored.snapshot)

    def _load(self, game_id: str) -> tuple[GameHost, int] | None:
        """In the reader thread, in one job (so that of many games taken over at once, each comes back
        whole before the next starts): the game rebuilt, and its log's length; None if it is not
        stored, or archived."""
        stored = self.store.load_game(game_id)
        if stored is None or stored.header.status == ARCHIVED:
            return None
        return self._rebuild(stored), len(stored.entries)

    async def take(self, game_id: str) -> bool:
        """Host a game of the shared store here: take its lease and load it from its log (and latest
        snapshot).  False if it is not in the store (or archived); raises `Elsewhere` if another
        process holds it."""
        if game_id in self.games:
            return True
        pending = self._taking.get(game_id)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._taking[game_id] = future
        try:
            taken = await self._take(game_id)
            future.set_result(taken)
            return taken
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # (retrieved: nobody else may be waiting)
            raise
        finally:
            del self._taking[game_id]

    async def _take(self, game_id: str) -> bool:
        address = await self.cluster.claim(game_id)
        if address is not None:
            raise Elsewhere(game_id, address)
        try:
            loaded = await asyncio.get_running_loop().run_in_executor(self._reader, self._load, game_id)
            if loaded is None:
                await self.cluster.release(game_id)
                return False
            host, entries = loaded
        except Exception as exc:
            logs.log.error("game %s cannot be taken over (%s)", game_id, type(exc).__name__)
            await self.cluster.release(game_id)
            raise
        self._register(host)
        host.start_clock()
        # The codes as the log has them (a code revoked since the game was created).
        await self.cluster.set_codes(game_id, host.session.settings["codes"])
        logs.game("taken over", game_id, entries=entries, status=host.session.status)
        return True

    async def adopt(self, limit: int = 200) -> int:
        """Host here the games of the shared store that nobody hosts (their process is gone), so that
        their clocks run before a player comes back; the number taken."""
        taken = 0
        for game_id in await self.cluster.orphans(limit):
            try:
                if await self.take(game_id):
                    taken += 1
            except Elsewhere:
                continue  # another process was quicker
            except Exception as exc:
                logs.log.error("game %s not adopted (%s)", game_id, type(exc).__name__)
        return taken

    def drop(self, host: GameHost) -> None:
        """This process lost the game's lease (another process took it over): forget it here; its
        connections were closed with MOVED_CLOSE_CODE and reconnect to be sent where it lives now."""
        if self._forget(host):
            logs.game("moved", host.id)

    def _forget(self, host: GameHost) -> bool:
        """Take a game out of this lobby: its codes and tokens open nothing here any more.  False if
        the lobby did not hold this very game."""
        if self.games.get(host.id) is not host:
            return False
        del self.games[host.id]
        self.owners.pop(host.id, None)
        for code in [c for c, t in self.codes.items() if t.game == host.id]:
            del self.codes[code]
        for member in host.members:
            self.tokens.remove(member)
        return True

    def start_clocks(self) -> None:
        for host in self.games.values():
            host.start_clock()

    async def close(self) -> None:
        await asyncio.gather(*(host.close() for host in self.games.values()))
        if self.cluster.shared:
            await asyncio.gather(*(self.cluster.release(game_id) for game_id in list(self.games)))
        self.uploads.close()
        self._reader.shutdown(wait=False, cancel_futures=True)

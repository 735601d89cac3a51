"""The lobby: creating games, join codes, seat tokens, and bringing games back after a restart.

A game is created from a bundled scenario id or an uploaded scenario text; either way its
*text* is stored with it, so a game survives later edits of the scenario file.  Scenarios
are parsed once per distinct text (parsing is the slow part; games share the result).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from game.protocol.messages import Create
from game.rules.board import Board
from game.rules.scenario import Scenario
from game.scenario.loader import ScenarioError, find_scenario, load_scenario_text
from server import logs
from server.bot_seats import personalities
from server.clock import Clock
from server.connection import Connection
from server.game_host import GameHost
from server.seats import Member, Role, Tokens, new_code, new_game_id, new_token, normalise_code, token_digest
from server.session import DEFAULT_BOT_DELAY, Session, Step
from server.snapshots import Snapshot, code_version
from server.store import Entry, GameRecord, Store

UNKNOWN_SCENARIO = "unknown_scenario"
BAD_SCENARIO = "bad_scenario"
BAD_SEATS = "bad_seats"
BAD_CODE = "bad_code"

MAX_PROBLEMS = 50


class LobbyError(Exception):
    def __init__(self, code: str, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.problems = problems


@dataclass(frozen=True, slots=True)
class CodeTarget:
    game: str
    role: Role
    state: str | None


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
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        found = self._parsed.get(key)
        if found is None:
            scenario = self._cached(key) or load_scenario_text(text, name)
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

    def __init__(self, store: Store) -> None:
        self.store = store
        self.games: dict[str, GameHost] = {}
        self.codes: dict[str, CodeTarget] = {}
        self.tokens = Tokens()
        self.book = BOOK

    def _register(self, host: GameHost) -> None:
        self.games[host.id] = host
        codes = host.session.settings["codes"]
        for state, code in codes["states"].items():
            self.codes[code] = CodeTarget(host.id, "player", state)
        self.codes[codes["observer"]] = CodeTarget(host.id, "observer", None)
        self.codes[codes["umpire"]] = CodeTarget(host.id, "umpire", None)
        for member in host.members:
            self.tokens.add(member)

    def _host(
        self, record: GameRecord, scenario: Scenario, board: Board, members: list[Member], entries: list[Entry],
        snapshot: Snapshot | None = None,
    ) -> GameHost:
        return GameHost(lambda: Session(record, scenario, board), self.store, members, entries, snapshot)

    async def create(self, request: Create) -> tuple[GameHost, Member, str]:
        """A new game from the request; its creator is its first umpire.  Returns the creator's token."""
        if request.scenario is not None:
            try:
                text = await asyncio.to_thread(_read_bundled, request.scenario)
            except ScenarioError:
                raise LobbyError(UNKNOWN_SCENARIO, f"no bundled scenario {request.scenario!r}") from None
            name = f"{request.scenario}.yaml"
        else:
            assert request.scenario_text is not None
            text, name = request.scenario_text, "upload"
        try:
            scenario, board = await asyncio.to_thread(self.book.load, text, name)
        except ScenarioError as exc:
            problems = [str(p) for p in exc.problems[:MAX_PROBLEMS]]
            more = f" (first {MAX_PROBLEMS} shown)" if len(exc.problems) > MAX_PROBLEMS else ""
            raise LobbyError(
                BAD_SCENARIO, f"the scenario has {len(exc.errors)} error(s){more}: {problems[0] if problems else ''}", problems
            ) from None
        state_ids = [s.id for s in scenario.states]
        default = {"player": "human", "bot": "bot", "none": "none"}
        seats = {s.id: default[s.controller] for s in scenario.states}
        for state, kind in request.seats.items():
            if state not in seats:
                raise LobbyError(BAD_SEATS, f"the scenario has no state {state!r}; its states are {', '.join(state_ids)}")
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
        while game_id in self.games:
            game_id = new_game_id()
        settings = {
            "deadline": request.deadline,
            "bot_delay": request.bot_delay if request.bot_delay is not None else DEFAULT_BOT_DELAY,
            "seats": seats,
            "labels": request.labels,
            "personalities": personalities([s for s in state_ids if seats[s] != "none"], seed),
            "codes": {"states": codes_for_states, "observer": observer, "umpire": umpire},
        }
        record = GameRecord(
            id=game_id, created=time.time(), scenario_ref=request.scenario, scenario_text=text, seed=seed,
            settings=settings, status="lobby", clock=Clock(request.deadline).to_json(),
        )
        session = Session(record, scenario, board)
        token = new_token()
        creator = Member("m1", game_id, "umpire", None, token_digest(token))
        step = session.join(creator)
        await self.store.create(record, step.members, step.entries)
        host = self._host(record, scenario, board, step.members, step.entries)
        self._register(host)
        logs.game("created", game_id, scenario=scenario.id, seats=sum(1 for k in seats.values() if k == "human"))
        return host, creator, token

    async def join(
        self, conn: Connection, code: str, ref: str | int | None = None, name: str | None = None
    ) -> tuple[GameHost, Member, str] | None:
        """Join with a code, as `name` (None: a default name); None (and an error sent) if the seat refuses."""
        target = self.codes.get(normalise_code(code))
        if target is None or target.game not in self.games:
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

    def resume(self, token: str) -> tuple[GameHost, Member] | None:
        """The seat a token opens; None if none does (or the umpire removed its member)."""
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
            record = stored.record
            try:
                scenario, board = self.book.load(record.scenario_text, record.scenario_ref or "upload")
                host = self._host(record, scenario, board, stored.members, stored.entries, stored.snapshot)
            except Exception as exc:
                logs.log.error("game %s cannot be restored (%s); left out", record.id, type(exc).__name__)
                continue
            self._register(host)
            count += 1
            logs.game(
                "restored", record.id, entries=len(stored.entries), status=host.session.status,
                snapshot=stored.snapshot.seq if host.restored_from_snapshot and stored.snapshot else None,
            )
        return count

    def start_clocks(self) -> None:
        for host in self.games.values():
            host.start_clock()

    async def close(self) -> None:
        await asyncio.gather(*(host.close() for host in self.games.values()))

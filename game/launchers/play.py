"""Local play: the games played on an embedded server on loopback, and how to start one.

`backchannel play` needs no server of its own: it runs the real server in a thread of this
process (`game.launchers.embedded_server`), on 127.0.0.1, with its games in the user's data
folder, and the client talks to it over a websocket like to any other server (DESIGN.md: the
client never imports the server).
A small registry remembers each local game — its seat token above all — so an unfinished
game can be continued after the program closed.

Where things live: ``$BACKCHANNEL_HOME/local`` when BACKCHANNEL_HOME is set (tests always set
it), else ``platformdirs.user_data_dir("backchannel")/local``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from game.client.link import OFFLINE, ONLINE, ServerLink
from game.client.scenario_cache import ScenarioCache
from game.launchers.embedded_server import (
    START_TIMEOUT,
    EmbeddedServer,
    LocalPlayError,
    embedded_server,
    local_dir,
    stop_embedded_servers,
)
from game.rules.scenario import Scenario

log = logging.getLogger("backchannel.play")

REGISTRY_FILE = "games.json"
JOIN_TIMEOUT = 10.0
"""How long `backchannel join` tries to reach the server before saying it cannot."""


# --- the registry of local games ---------------------------------------------------------------

Status = Literal["lobby", "running", "over"]


class SavedGame(BaseModel):
    """One local game as the registry keeps it: enough to resume the player's seat."""

    model_config = ConfigDict(extra="ignore")

    game: str
    scenario: str
    state: str
    token: str = Field(repr=False)
    umpire_token: str = Field(repr=False)
    """The creator's seat: it can start a game that was created but never started."""
    seed: int | None = None
    status: Status = "running"
    demo: bool = False
    """Played by a bot for show (`play --demo`): never offered to continue."""
    created: float
    last_played: float


class _RegistryFile(BaseModel):
    format: Literal["backchannel-local/1"] = "backchannel-local/1"
    games: list[SavedGame] = Field(default_factory=list)


class LocalGames:
    """The local games, in a JSON file beside the embedded server's database.

    The file holds seat tokens, so it is written readable by its owner only, and atomically."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else local_dir()
        self.path = self.directory / REGISTRY_FILE
        self._lock = threading.Lock()

    def all(self) -> list[SavedGame]:
        """Every local game, the most recently played first."""
        return sorted(self._read().games, key=lambda g: g.last_played, reverse=True)

    def unfinished(self) -> list[SavedGame]:
        """The games a player may continue: not over, not demos."""
        return [g for g in self.all() if g.status != "over" and not g.demo]

    def latest_unfinished(self) -> SavedGame | None:
        games = self.unfinished()
        return games[0] if games else None

    def get(self, game: str) -> SavedGame | None:
        return next((g for g in self._read().games if g.game == game), None)

    def save(self, entry: SavedGame) -> None:
        """Add the game, or replace the entry of the same game."""
        with self._lock:
            data = self._read()
            data.games = [g for g in data.games if g.game != entry.game] + [entry]
            self._write(data)

    def update(
        self, game: str, *, status: Status | None = None, played: float | None = None
    ) -> SavedGame | None:
        """Note progress: the game's status and when it was last played."""
        with self._lock:
            data = self._read()
            for i, entry in enumerate(data.games):
                if entry.game == game:
                    changes: dict[str, object] = {
                        "last_played": played if played is not None else time.time()
                    }
                    if status is not None:
                        changes["status"] = status
                    data.games[i] = entry.model_copy(update=changes)
                    self._write(data)
                    return data.games[i]
        return None

    def remove(self, game: str) -> None:
        with self._lock:
            data = self._read()
            data.games = [g for g in data.games if g.game != game]
            self._write(data)

    def _read(self) -> _RegistryFile:
        try:
            return _RegistryFile.model_validate_json(self.path.read_bytes())
        except FileNotFoundError:
            return _RegistryFile()
        except ValueError as exc:  # a damaged file: keep it aside rather than lose the tokens silently
            log.warning("the local games registry %s is unreadable (%s); starting a new one", self.path, exc)
            with contextlib.suppress(OSError):
                os.replace(self.path, self.path.with_suffix(".damaged.json"))
            return _RegistryFile()

    def _write(self, data: _RegistryFile) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(data.model_dump_json(indent=2))
        os.replace(partial, self.path)


# --- starting and continuing a local game ----------------------------------------------------------


@dataclass
class LocalGame:
    """A local game being played: the embedded server, the player's seated link, its registry entry.

    The UI polls `link` (a `ServerLink` already connected and seated) like any other."""

    server: EmbeddedServer
    link: ServerLink
    entry: SavedGame
    registry: LocalGames

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def token(self) -> str:
        return self.entry.token

    @property
    def state(self) -> str:
        return self.entry.state

    def note_played(self, status: Status | None = None) -> None:
        """Note in the registry that the game was played now (and its status, e.g. over)."""
        updated = self.registry.update(self.entry.game, status=status)
        if updated is not None:
            self.entry = updated

    def close(self, status: Status | None = None, *, stop_server: bool = True) -> None:
        """Close the link, note the game's progress (its status as the server tells it, unless
        given), and stop the embedded server.  Closing twice is harmless."""
        self.link.close()
        if status is None and self.server.running:
            status = game_status(self.server.url, self.entry.umpire_token)
        self.note_played(status)
        if stop_server:
            self.server.stop()


def game_status(url: str, umpire_token: str, timeout: float = 5.0) -> Status | None:
    """A game's status (lobby, running, over) from the umpire's view; None if it does not come in time."""
    umpire = ServerLink(url, token=umpire_token, client="backchannel-play")
    umpire.start()
    try:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0 and umpire.state != OFFLINE:
            for message in umpire.poll():
                table = message.get("table") if message.get("type") == "view" else None
                if isinstance(table, dict) and table.get("status") in ("lobby", "running", "over"):
                    return table["status"]  # type: ignore[no-any-return]
            umpire.wait(left)
        return None
    finally:
        umpire.close()


def _reply(link: ServerLink, ref: str | int, what: str) -> dict[str, object]:
    reply = link.wait_reply(ref, START_TIMEOUT)
    if reply is None:
        detail = "the connection was lost" if link.state == OFFLINE else "no answer in time"
        raise LocalPlayError(f"{what}: {detail}")
    if reply.get("type") == "error":
        raise LocalPlayError(f"{what}: {reply.get('message')}", str(reply.get("code")))
    return reply


def scenario_file(ref: str) -> Path | None:
    """The scenario file `ref` names, when it is a path rather than a bundled id."""
    if ref.endswith((".yaml", ".yml")) or os.sep in ref or "/" in ref:
        return Path(ref).expanduser()
    return None


def _scenario(ref: str) -> Scenario:
    """A bundled scenario by id, or any scenario file by path (checked as `scenario validate` checks it)."""
    path = scenario_file(ref)
    if path is None:
        try:
            return ScenarioCache().bundled(ref)
        except KeyError:
            raise LocalPlayError(
                f"no bundled scenario {ref!r}; give its id or the path of a scenario file"
            ) from None
    if not path.is_file():
        raise LocalPlayError(f"no scenario file at {path}")
    from game.scenario.loader import ScenarioError, load_scenario

    try:
        return load_scenario(path)
    except ScenarioError as exc:
        raise LocalPlayError(f"{path} is not a playable scenario:\n{exc}") from None


def _seats(scenario_id: str, state: str) -> dict[str, str]:
    """The player's state for a person, every other playable seat for a bot (minor states keep
    the scenario's own controller: a bot or nobody)."""

    scenario = _scenario(scenario_id)
    playable = [s.id for s in scenario.states if s.playable and s.controller == "player"]
    if state not in {s.id for s in scenario.states}:
        raise LocalPlayError(
            f"{scenario_id} has no state {state!r}; its playable states are {', '.join(playable)}"
        )
    if not scenario.state(state).playable:
        raise LocalPlayError(f"{state} is not playable in {scenario_id}; choose one of {', '.join(playable)}")
    return {state: "human", **{s: "bot" for s in playable if s != state}}


def first_playable_state(scenario_id: str) -> str:
    """The scenario's first great power: its first state a person may play."""

    scenario = _scenario(scenario_id)
    return next(s.id for s in scenario.states if s.playable)


def _start(url: str, umpire_token: str, what: str) -> None:
    umpire = ServerLink(url, token=umpire_token, client="backchannel-play")
    umpire.start()
    try:
        _reply(umpire, umpire.send({"type": "start", "fill_bots": True}), what)
    except LocalPlayError as exc:
        if exc.code != "already_started":  # started before the registry heard of it: fine
            raise
    finally:
        umpire.close()


def new_local_game(
    scenario_id: str,
    state: str,
    seed: int | None = None,
    deadline: int | None = None,
    *,
    registry: LocalGames | None = None,
    demo: bool = False,
) -> LocalGame:
    """Create a game on the embedded server with bots in every other seat, seat the player, start it.

    The creator's link holds the umpire seat; the player's seat is a join on a second link,
    made before the start so that `fill_bots` leaves it to the person."""
    registry = registry if registry is not None else LocalGames()
    seats = _seats(scenario_id, state)
    server = embedded_server(registry.directory)
    umpire = ServerLink(server.url, client="backchannel-play")
    umpire.start()
    try:
        create: dict[str, object] = {"type": "create", "seats": seats, "deadline": deadline}
        path = scenario_file(scenario_id)
        if path is None:
            create["scenario"] = scenario_id
        else:  # any file: uploaded as its text, which the game keeps (later edits of the file do not change it)
            create["scenario_text"] = path.read_text(encoding="utf-8")
        if seed is not None:
            create["seed"] = seed
        created = _reply(umpire, umpire.send(create), "the game could not be created")
    finally:
        umpire.close()
    umpire_token = str(created["token"])
    codes = created["codes"]
    assert isinstance(codes, dict)
    link = ServerLink(server.url)
    link.start()
    try:
        joined = _reply(
            link, link.send({"type": "join", "code": codes["states"][state]}), "the seat could not be taken"
        )
        now = time.time()
        entry = SavedGame(
            game=str(created["game"]),
            scenario=scenario_id,
            state=state,
            token=str(joined["token"]),
            umpire_token=umpire_token,
            seed=seed,
            status="lobby",
            demo=demo,
            created=now,
            last_played=now,
        )
        registry.save(entry)  # from here on the game can be continued, even if the start fails
        _start(server.url, umpire_token, "the game could not be started")
    except BaseException:
        link.close()
        raise
    entry = entry.model_copy(update={"status": "running"})
    registry.save(entry)
    return LocalGame(server, link, entry, registry)


def continue_local_game(entry: SavedGame, *, registry: LocalGames | None = None) -> LocalGame:
    """Resume the player's seat of a local game (starting it first if it never was)."""
    registry = registry if registry is not None else LocalGames()
    server = embedded_server(registry.directory)
    if entry.status == "lobby":
        _start(server.url, entry.umpire_token, "the game could not be started")
    link = ServerLink(server.url, token=entry.token)
    link.start()
    if not link.wait_state(lambda s: s in (ONLINE, OFFLINE), START_TIMEOUT) or link.state != ONLINE:
        detail = link.poll()
        link.close()
        reason = next((m.get("detail") for m in reversed(detail) if m.get("type") == "link"), "no answer")
        raise LocalPlayError(f"the local game {entry.game} could not be resumed: {reason}")
    updated = registry.update(entry.game, status="running" if entry.status == "lobby" else None)
    return LocalGame(server, link, updated or entry, registry)


# --- what the client may do with local games, and the commands -------------------------------------


class LocalPlay:
    """Local games as the client's title screen may use them: list, start, continue.

    The client never imports the server; the play command hands it this object instead.  It
    holds at most one local game at a time and stops the embedded server when closed."""

    def __init__(
        self,
        registry: LocalGames | None = None,
        *,
        seed: int | None = None,
        deadline: int | None = None,
        demo: bool = False,
    ) -> None:
        self.registry = registry if registry is not None else LocalGames()
        self.seed = seed
        self.deadline = deadline
        self.demo = demo
        self.current: LocalGame | None = None

    def saved(self) -> list[SavedGame]:
        """The unfinished local games, the most recently played first."""
        return self.registry.unfinished()

    def new_game(self, scenario_id: str, state: str, seed: int | None = None) -> LocalGame:
        """Start a game against bots (it takes a moment: call it off the UI thread)."""
        self._leave()
        self.current = new_local_game(
            scenario_id,
            state,
            seed if seed is not None else self.seed,
            self.deadline,
            registry=self.registry,
            demo=self.demo,
        )
        return self.current

    def continue_game(self, game: str | SavedGame) -> LocalGame:
        """Resume an unfinished local game, by id or registry entry (off the UI thread too)."""
        entry = game if isinstance(game, SavedGame) else self.registry.get(game)
        if entry is None:
            raise LocalPlayError(f"no local game {game!r}")
        self._leave()
        self.current = continue_local_game(entry, registry=self.registry)
        return self.current

    def _leave(self) -> None:
        if self.current is not None:
            self.current.close(stop_server=False)
            self.current = None

    def close(self, status: Status | None = None) -> None:
        """Leave the current game (noting its status) and stop the embedded server."""
        if self.current is not None:
            self.current.close(status)
            self.current = None
        stop_embedded_servers()


NO_DISPLAY = (
    "no display: set DISPLAY (or run it on a desktop), or use --screenshots DIR with SDL_VIDEODRIVER=dummy"
)


def _no_display(exc: BaseException) -> bool:
    """Whether pygame could not open a window because there is no screen to open it on."""
    try:
        import pygame
    except ImportError:
        return False
    text = str(exc).lower()
    return isinstance(exc, pygame.error) and any(
        word in text for word in ("video", "display", "x11", "wayland", "no available", "window")
    )


def _client_or_no_display(command: str, run: Callable[[], int]) -> int:
    """Run the client; without a screen to open a window on, one line saying so (not pygame's traceback)."""
    import sys

    try:
        return run()
    except Exception as exc:
        if not _no_display(exc):
            raise
        print(f"{command}: {NO_DISPLAY} ({exc})", file=sys.stderr)
        return 1


def play_command(
    scenario: str,
    state: str | None,
    resume: bool,
    demo: bool,
    turns: int | None,
    screenshots: Path | None,
    seed: int | None,
) -> int:
    """`backchannel play`: a local game against bots, the title screen, or the latest unfinished game."""
    import sys

    local = LocalPlay(seed=seed, demo=demo)
    from game.launchers.host import Hosting

    hosting = Hosting()
    try:
        game: LocalGame | None = None
        if resume:
            entry = local.registry.latest_unfinished()
            if entry is None:
                print("No unfinished local game: start one with `backchannel play`.", file=sys.stderr)
                return 1
            game = local.continue_game(entry)
        elif state is not None or demo:
            game = local.new_game(
                scenario, state.strip().lower() if state else first_playable_state(scenario)
            )
        from game.client.app import run_client
        from game.launchers.demo import demo_driver

        return _client_or_no_display(
            "backchannel play",
            lambda: run_client(
                session=game,
                state=game.state if game is not None else None,
                title_screen=game is None,
                local=local,
                hosting=None if demo else hosting,
                driver=demo_driver(turns=turns, screenshots=screenshots, seed=seed) if demo else None,
                screenshots=screenshots,
                seed=seed,
            ),
        )
    except LocalPlayError as exc:
        print(f"backchannel play: {exc}", file=sys.stderr)
        return 1
    except KeyError as exc:
        print(f"backchannel play: no bundled scenario {exc}", file=sys.stderr)
        return 1
    finally:
        hosting.close()
        local.close()


def join_command(url: str, code: str, screenshots: Path | None = None, name: str | None = None) -> int:
    """`backchannel join URL CODE`: take a seat in a server's game and open the client (the screen of
    the seat's role: a state's, the observers' or the umpire's).  `name`: how a team member is shown."""
    import sys

    if not url.startswith(("ws://", "wss://")):
        print(f"backchannel join: {url!r} is not a websocket address (ws://HOST:PORT)", file=sys.stderr)
        return 1
    link = ServerLink(url)
    link.start()
    try:
        if not link.wait_state(lambda s: s == ONLINE, JOIN_TIMEOUT):
            print(f"backchannel join: cannot reach {url} ({link.state})", file=sys.stderr)
            return 1
        join: dict[str, object] = {"type": "join", "code": code}
        if name and name.strip():
            join["name"] = " ".join(name.split())
        joined = link.wait_reply(link.send(join), START_TIMEOUT)
        if joined is None or joined.get("type") != "joined":
            reason = str(joined.get("message")) if joined is not None else "no answer from the server"
            print(f"backchannel join: {reason}", file=sys.stderr)
            return 1
        from game.client.app import run_client

        seat = joined.get("seat")
        return _client_or_no_display(
            "backchannel join",
            lambda: run_client(
                link=link,
                state=seat.get("state") if isinstance(seat, dict) else None,
                title_screen=False,
                screenshots=screenshots,
            ),
        )
    finally:
        link.close()

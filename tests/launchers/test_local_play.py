"""Local play: a new game against bots on the embedded server, then continuing it later.

BACKCHANNEL_HOME points into the test's own folder, so nothing touches the user's data.
"""

from __future__ import annotations

import json
import stat
import sys
import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import game.launchers.play as play
from game.client.link import ONLINE, ServerLink
from game.client.scenario_cache import HOME_ENV
from game.client.state import ClientState
from game.launchers.demo import DemoDriver
from game.launchers.embedded_server import EmbeddedServer, LocalPlayError, local_dir, stop_embedded_servers
from game.launchers.play import (
    LocalGame,
    LocalGames,
    LocalPlay,
    SavedGame,
    continue_local_game,
    first_playable_state,
    join_command,
    new_local_game,
    play_command,
)

TIMEOUT = 30.0


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    yield tmp_path / "home"
    stop_embedded_servers()
    _unapplied.clear()


_unapplied: dict[int, list[dict[str, Any]]] = {}
"""Messages a link delivered that `follow` has not applied yet, by the ClientState they are for."""


def follow(
    local: LocalGame, state: ClientState, until: Callable[[], bool], what: str
) -> list[tuple[Any, Any]]:
    """Feed `state` from the link until `until()`; the (turn, phase) pairs it passed through.

    One message at a time, `until` asked after each: the worst interleaving a loaded machine can
    give (a poll between any two messages), every run, rather than once in a while."""
    backlog = _unapplied.setdefault(id(state), [])
    passed: list[tuple[Any, Any]] = []
    deadline = time.monotonic() + TIMEOUT
    while True:
        backlog.extend(local.link.poll())
        while backlog:
            state.apply(backlog.pop(0))
            if not passed or passed[-1] != (state.turn, state.phase):
                passed.append((state.turn, state.phase))
            if until():
                return passed
        if until():
            return passed
        left = deadline - time.monotonic()
        assert left > 0, f"timed out waiting for {what} (passed through {passed})"
        local.link.wait(left)


def test_new_local_game_then_continue_it(home: Path) -> None:
    assert local_dir() == home / "local"
    assert first_playable_state("july-1914") == "gbr"
    local = new_local_game("july-1914", "fra", seed=11)
    state = ClientState()
    follow(local, state, lambda: state.status == "running" and state.view is not None, "the running game")
    assert local.url.startswith("ws://127.0.0.1:") and local.state == "fra"
    assert state.seat is not None and state.seat["role"] == "player" and state.my_state == "fra"
    assert state.token == local.token == local.link.token
    seats = state.table["seats"]  # type: ignore[index]
    assert seats["fra"] == {"player": "human", "taken": True, "members": 1}
    assert all(seats[s]["player"] == "bot" for s in ("gbr", "ger", "aus", "rus", "ita")), seats
    assert (state.turn, state.phase) == (1, "movement")

    registry = LocalGames()
    (entry,) = registry.all()
    assert entry.game == state.seat["game"] and entry.scenario == "july-1914" and entry.state == "fra"
    assert entry.status == "running" and entry.token == local.token and entry.umpire_token != entry.token
    assert registry.latest_unfinished() == entry
    assert stat.S_IMODE(registry.path.stat().st_mode) == 0o600, "the registry holds seat tokens"
    assert (home / "local" / "backchannel.sqlite3").is_file()

    # The player orders and is ready; the bots' seats need no one: the turn resolves.
    units = [u for u in state.view["map"]["units"] if u["state"] == "fra"]  # type: ignore[index]
    orders = [f"{'A' if u['type'] == 'army' else 'F'} {u['location']} H" for u in units]
    local.link.send(
        {"type": "act", "command": {"kind": "orders", "turn": 1, "phase": "movement", "orders": orders}}
    )
    local.link.send({"type": "ready"})
    # Where the game waits for the player again: the next movement phase.  Not the first phase
    # after 1's movement: a retreat (or adjustment) only bots order resolves at once on the
    # server, so the player may see it begin and the game has already left it — stopping there
    # and expecting the resumed game to be in it was the race this test once lost.
    passed = follow(local, state, lambda: state.turn == 2 and state.phase == "movement", "turn 2's movement")
    moved_on = (state.turn, state.phase)
    assert passed[0] == (1, "movement") and passed[-1] == moved_on, passed
    local.close()
    assert local.link.state == "offline" and not local.server.running

    # Later: the registry's entry resumes the same seat on a new embedded server.
    again = continue_local_game(LocalGames().latest_unfinished())  # type: ignore[arg-type]
    assert again.link.state == ONLINE and again.token == entry.token
    resumed = ClientState()
    follow(again, resumed, lambda: resumed.view is not None, "the resumed view")
    assert resumed.seat == state.seat and (resumed.turn, resumed.phase) == moved_on
    assert LocalGames().get(entry.game).last_played >= entry.last_played  # type: ignore[union-attr]
    again.close(stop_server=False)
    assert LocalGames().get(entry.game).status == "running", "the server says so"  # type: ignore[union-attr]
    again.close(status="over")
    assert LocalGames().latest_unfinished() is None


def test_a_game_created_but_never_started_is_started_on_continue(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(url: str, umpire_token: str, what: str) -> None:
        raise LocalPlayError("the program stopped before the start")

    with monkeypatch.context() as patch:
        patch.setattr(play, "_start", interrupted)
        with pytest.raises(LocalPlayError, match="before the start"):
            new_local_game("july-1914", "ger", seed=2)
    entry = LocalGames().latest_unfinished()
    assert entry is not None and entry.status == "lobby" and entry.state == "ger"
    again = continue_local_game(entry)
    state = ClientState()
    follow(again, state, lambda: state.status == "running" and state.phase == "movement", "the started game")
    assert state.table["seats"]["ger"]["player"] == "human"  # type: ignore[index]
    assert LocalGames().get(entry.game).status == "running"  # type: ignore[union-attr]
    again.close()


def test_refusals_are_explained(home: Path) -> None:
    with pytest.raises(LocalPlayError, match="no state 'zzz'"):
        new_local_game("july-1914", "zzz")
    with pytest.raises(LocalPlayError, match="not playable"):
        new_local_game("july-1914", "che")
    with pytest.raises(LocalPlayError, match="no bundled scenario"):
        new_local_game("no-such-scenario", "fra")
    now = time.time()
    forged = SavedGame(
        game="g-000000000000",
        scenario="july-1914",
        state="fra",
        token="t" * 43,
        umpire_token="u" * 43,
        created=now,
        last_played=now,
    )
    with pytest.raises(LocalPlayError, match="could not be resumed"):
        continue_local_game(forged)


def test_one_embedded_server_per_data_folder(home: Path) -> None:
    first = EmbeddedServer(home / "shared")
    first.start()
    try:
        with pytest.raises(LocalPlayError, match="another Backchannel program"):
            EmbeddedServer(home / "shared").start()
        url = first.url
        assert first.restart() == url, "a restart takes the folder again"
    finally:
        first.stop()
    second = EmbeddedServer(home / "shared")
    second.start()
    second.stop()


def test_a_damaged_registry_is_set_aside(home: Path) -> None:
    registry = LocalGames()
    registry.directory.mkdir(parents=True)
    registry.path.write_text("{not json")
    assert registry.all() == []
    assert registry.path.with_suffix(".damaged.json").read_text() == "{not json"
    now = time.time()
    registry.save(
        SavedGame(
            game="g-1",
            scenario="july-1914",
            state="fra",
            token="t" * 43,
            umpire_token="u" * 43,
            created=now,
            last_played=now,
        )
    )
    assert json.loads(registry.path.read_text())["games"][0]["game"] == "g-1"


class FakeClient:
    """Stands in for game.client.app: records how the commands call `run_client`."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def run_client(self, session: Any = None, **options: Any) -> int:
        link = session.link if session is not None else options.get("link")
        self.calls.append(
            {
                **options,
                "session": session,
                "link": link,
                "link_state": link.state if link is not None else None,
                "seat": link.seat if link is not None else None,
            }
        )
        return 0


@pytest.fixture
def fake_client(monkeypatch: pytest.MonkeyPatch) -> FakeClient:
    fake = FakeClient()
    module = types.ModuleType("game.client.app")
    module.run_client = fake.run_client  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "game.client.app", module)
    return fake


def test_the_play_command_plumbing(
    home: Path, fake_client: FakeClient, capsys: pytest.CaptureFixture[str]
) -> None:
    assert play_command("july-1914", None, True, False, None, None, None) == 1
    assert "No unfinished local game" in capsys.readouterr().err
    assert not fake_client.calls

    assert play_command("july-1914", "ITA", False, False, None, None, 4) == 0
    (call,) = fake_client.calls
    assert call["state"] == "ita" and call["title_screen"] is False and call["link_state"] == ONLINE
    assert call["seat"]["state"] == "ita" and isinstance(call["local"], LocalPlay) and call["seed"] == 4
    assert isinstance(call["session"], LocalGame) and call["local"].current is None, "closed on the way out"
    assert call["link"].state == "offline", "closed when the client returns"
    (entry,) = LocalGames().unfinished()
    assert entry.state == "ita" and entry.seed == 4

    assert play_command("july-1914", None, True, False, None, None, None) == 0
    assert fake_client.calls[-1]["seat"] == call["seat"], "--continue resumes the same seat"

    assert play_command("july-1914", None, False, False, None, None, None) == 0
    title = fake_client.calls[-1]
    assert title["title_screen"] is True and title["link"] is None
    assert [g.game for g in title["local"].saved()] == [entry.game]

    assert play_command("july-1914", "zzz", False, False, None, None, None) == 1
    assert "no state 'zzz'" in capsys.readouterr().err

    assert play_command("july-1914", None, False, True, 1, None, None) == 0
    demo = fake_client.calls[-1]
    assert demo["seat"]["state"] == "gbr", "the first great power"
    driver = demo["driver"](
        object()
    )  # the launcher hands the client the demo's driver; the client names none
    assert (
        isinstance(driver, DemoDriver)
        and driver.turns == 1
        and driver.screenshots is None
        and driver.seed == 1
    )
    assert title["driver"] is None and call["driver"] is None, "only the demo is played by a driver"
    assert [g.game for g in LocalGames().unfinished()] == [entry.game], "a demo is not offered to continue"
    assert sum(g.demo for g in LocalGames().all()) == 1


def test_the_join_command(home: Path, fake_client: FakeClient, capsys: pytest.CaptureFixture[str]) -> None:
    assert join_command("http://example.org", "ABCD2345") == 1
    assert "not a websocket address" in capsys.readouterr().err
    server = EmbeddedServer(home / "server")
    url = server.start()
    try:
        assert join_command(url, "ZZZZZZZZ") == 1
        assert "no game has this join code" in capsys.readouterr().err
        umpire = ServerLink(url)
        umpire.start()
        created = umpire.wait_reply(umpire.send({"type": "create", "scenario": "july-1914"}), TIMEOUT)
        umpire.close()
        assert created is not None and created["type"] == "created"
        assert join_command(url, created["codes"]["states"]["rus"].lower()) == 0
        (call,) = fake_client.calls
        assert call["state"] == "rus" and "local" not in call and call["link_state"] == ONLINE
        assert call["link"].state == "offline", "closed when the client returns"
    finally:
        server.stop()


def test_any_scenario_file_can_be_played(home: Path, tmp_path: Path) -> None:
    """`play --scenario PATH`: a designer's own file, uploaded to the embedded server as its text."""
    mine = tmp_path / "my-board.yaml"
    mine.write_text(
        (Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert first_playable_state(str(mine)) == "eng"
    local = new_local_game(str(mine), "fra", seed=5)
    state = ClientState()
    follow(local, state, lambda: state.status == "running" and state.view is not None, "the running game")
    assert state.my_state == "fra" and state.view["scenario"] == "classic-diplomacy"  # type: ignore[index]
    assert LocalGames().latest_unfinished().scenario == str(mine)  # type: ignore[union-attr]
    local.close()
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: backchannel-scenario/1\nid: broken\n", encoding="utf-8")
    with pytest.raises(LocalPlayError, match="is not a playable scenario"):
        new_local_game(str(broken), "fra")
    with pytest.raises(LocalPlayError, match="no scenario file at"):
        new_local_game(str(tmp_path / "missing.yaml"), "fra")

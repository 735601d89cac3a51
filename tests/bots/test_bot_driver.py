"""The one driver of bot turns (game/bots/driver.py): its order, its failure policy, and that
`simulate` and the server play their bots through it alike."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from game.bots.diplomat import Diplomat
from game.bots.driver import REACT_ROUNDS, BotDriver
from game.cli import app
from game.launchers.simulate import diplomats_for, drive, driver_for, play, start
from game.rules.commands import AgreementAct, AnyCommand, Press, Propose
from game.rules.game import Game
from game.rules.scenario import Scenario
from game.rules.views import view_for
from game.scenario.loader import load_scenario
from server.bot_seats import personalities
from server.clock import Clock
from server.lobby import BOOK
from server.seats import Member
from server.session import Session
from server.store import GameHeader

CLASSIC = Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml"
STATES = ["eng", "fra", "ger", "ita", "aus", "rus", "tur"]
LOGGER = "backchannel.bots"


@pytest.fixture(scope="module")
def classic() -> Scenario:
    return load_scenario(CLASSIC)


class Scripted:
    """A stand-in bot: each step returns what it is given, or raises it, and remembers its calls."""

    def __init__(self, **steps: Any) -> None:
        self.steps = steps
        self.calls: list[str] = []

    def _step(self, name: str) -> Any:
        self.calls.append(name)
        got = self.steps.get(name, [])
        if isinstance(got, BaseException):
            raise got
        return got

    def open_turn(self, view: Mapping[str, Any]) -> list[Any]:
        return self._step("open_turn")  # type: ignore[no-any-return]

    def answer(self, view: Mapping[str, Any], round_: int = 1) -> list[Any]:
        return self._step(f"answer{round_}")  # type: ignore[no-any-return]

    def react(self, view: Mapping[str, Any]) -> list[Any]:
        return self._step("react")  # type: ignore[no-any-return]

    def close_turn(self, view: Mapping[str, Any]) -> list[Any]:
        return self._step("close_turn")  # type: ignore[no-any-return]

    def orders(self, view: Mapping[str, Any]) -> list[str]:
        return self._step("orders")  # type: ignore[no-any-return]


def driven(game: Game, bots: Mapping[str, Any]) -> tuple[BotDriver, list[AnyCommand]]:
    applied: list[AnyCommand] = []

    def apply(command: AnyCommand) -> None:
        game.apply(command)
        applied.append(command)

    return BotDriver(game, bots, view=view_for, apply=apply), applied


# --- the failure policy ------------------------------------------------------------------------------


def test_a_bot_that_raises_is_logged_with_its_traceback_and_the_game_goes_on(
    classic: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    game = Game(classic, 1)
    bots: dict[str, Any] = diplomats_for(game)
    bots["ita"] = Scripted(open_turn=RuntimeError("bot fault"), orders=["A ven H"])
    driver, applied = driven(game, bots)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        driver.play_phase()
        game.resolve()
    assert game.turn == 2  # the phase resolved
    faults = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.ERROR]
    assert len(faults) == 1 and faults[0].exc_info is not None
    assert "ita" in faults[0].getMessage() and "open_turn" in faults[0].getMessage()
    assert "bot fault" in caplog.text  # the traceback is in the log
    assert driver.failures == 1
    # Only that step was lost: Italy still ordered, and the other bots played as usual.
    assert bots["ita"].calls[0] == "open_turn" and "orders" in bots["ita"].calls
    assert any(getattr(c, "state", None) == "ita" and c.kind == "orders" for c in applied)
    assert {getattr(c, "state", None) for c in applied if c.kind == "orders"} == set(STATES)


def test_a_bot_whose_orders_raise_orders_nothing(classic: Scenario, caplog: pytest.LogCaptureFixture) -> None:
    game = Game(classic, 1)
    bots: dict[str, Any] = diplomats_for(game)
    bots["fra"] = Scripted(orders=ValueError("no plan"))
    driver, _ = driven(game, bots)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        driver.play_phase()
    assert "fra" not in game.pending and driver.failures == 1
    assert [r.levelname for r in caplog.records if r.name == LOGGER] == ["ERROR"]
    game.resolve()
    assert game.turn == 2


def test_a_refused_command_is_dropped_and_logged_and_the_bot_goes_on(
    classic: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    game = Game(classic, 1)
    refused = AgreementAct(kind="sign", state="eng", agreement="agr-12345678")  # no such agreement
    other_state = Press(state="fra", to=["ger"], text="as France")  # a bot acts only for its own state
    said = Press(state="eng", to=["fra"], text="still here")
    driver, applied = driven(game, {"eng": Scripted(open_turn=[refused, other_state, said])})
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        driver.open_phase()
    assert applied == [said]
    assert [m["text"] for m in game.diplomacy.messages] == ["still here"]
    warnings = [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING]
    assert len(warnings) == 2 and driver.failures == 2
    assert (
        "eng" in warnings[0] and "sign" in warnings[0] and "agr-12345678" in warnings[0]
    )  # state, kind, reason
    assert "eng" in warnings[1] and "press" in warnings[1] and "own state" in warnings[1]
    assert all(r.exc_info is None for r in caplog.records)  # a refusal is no crash: no traceback


def test_refused_orders_are_logged(classic: Scenario, caplog: pytest.LogCaptureFixture) -> None:
    game = Game(classic, 1)
    driver, applied = driven(game, {"eng": Scripted(orders=["this is no order"])})
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        driver.close_phase()
    assert applied == [] and "eng" not in game.pending and driver.failures == 1
    assert "orders refused" in caplog.text


def test_a_well_behaved_game_has_no_failures(classic: Scenario) -> None:
    driver = drive(start(classic, 3), 6)
    assert driver.failures == 0 and driver.game.turn > 6


def test_simulate_warns_when_bots_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    args = ["simulate", "--scenario", str(CLASSIC), "--seed", "2", "--turns", "2"]
    clean = runner.invoke(app, [*args, "--out", str(tmp_path / "a")])
    assert clean.exit_code == 0 and "bot failure" not in clean.output

    def faulty(self: Diplomat, view: Mapping[str, Any]) -> list[Any]:
        raise RuntimeError("broken bot")

    monkeypatch.setattr(Diplomat, "close_turn", faulty)  # once a year, for every bot: 7 failures
    broken = runner.invoke(app, [*args, "--out", str(tmp_path / "b")])
    assert broken.exit_code == 0, broken.output
    assert "warning: 7 bot failures" in broken.output
    assert (tmp_path / "b" / "record.json").exists()


# --- the order of a phase ----------------------------------------------------------------------------


def test_the_order_of_a_phase(classic: Scenario) -> None:
    game = Game(classic, 1)
    game.season_index = len(game.seasons) - 1  # the year's last season: dues are settled
    ask = Propose(state="fra", parties=["fra", "eng"], clauses=[{"kind": "non_aggression"}])
    bots = {"eng": Scripted(), "fra": Scripted(open_turn=[ask])}
    driver, _ = driven(game, bots)
    driver.play_phase()
    # Every bot opens, then all react once (nothing they say is news to the others), once after the
    # openings and once before the orders.
    for bot in bots.values():
        assert bot.calls == ["open_turn", "react", "react", "close_turn", "orders"]


class Chatty(Scripted):
    """A bot that says something every time it reacts: the rounds must bound the talk."""

    def __init__(self, state: str, to: str) -> None:
        super().__init__()
        self.state, self.to = state, to

    def react(self, view: Mapping[str, Any]) -> list[Any]:
        self.calls.append("react")
        return [Press(state=self.state, to=[self.to], text=f"{len(self.calls)}")]


def test_bots_talking_to_each_other_are_bounded_by_the_rounds(classic: Scenario) -> None:
    game = Game(classic, 1)
    bots = {"eng": Chatty("eng", "fra"), "fra": Chatty("fra", "eng")}
    driver, _ = driven(game, bots)
    driver.open_phase()
    assert bots["eng"].calls.count("react") == bots["fra"].calls.count("react") == REACT_ROUNDS
    assert len(game.diplomacy.messages) == 2 * REACT_ROUNDS


def test_a_bot_that_cannot_react_still_answers_proposals(classic: Scenario) -> None:
    class Legacy:
        def __init__(self) -> None:
            self.calls: list[str] = []

        def open_turn(self, view: Mapping[str, Any]) -> list[Any]:
            return []

        def answer(self, view: Mapping[str, Any], round_: int = 1) -> list[Any]:
            self.calls.append("answer")
            return []

        def close_turn(self, view: Mapping[str, Any]) -> list[Any]:
            return []

        def orders(self, view: Mapping[str, Any]) -> list[str]:
            return []

    game = Game(classic, 1)
    legacy = Legacy()
    driver, _ = driven(game, {"eng": legacy})
    driver.play_phase()
    assert legacy.calls == []  # nothing awaited it
    game.apply(Propose(state="fra", parties=["fra", "eng"], clauses=[{"kind": "non_aggression"}]))
    assert driver.react("eng") and legacy.calls == ["answer"]


def test_answer_at_any_moment(classic: Scenario) -> None:
    game = Game(classic, 1)
    driver = driver_for(game, diplomats_for(game, dict.fromkeys(STATES, "loyal")))
    assert not driver.answer("eng")  # nothing awaits England: its bot is not asked
    [proposed] = game.apply(
        Propose(state="fra", parties=["fra", "eng"], clauses=[{"kind": "non_aggression"}])
    )
    assert driver.awaited("eng") and driver.answer("eng")
    assert not driver.awaited("eng") and driver.failures == 0
    assert (
        game.diplomacy.agreements[proposed["agreement"]].status != "proposed"
    )  # signed, countered or rejected


# --- one driver for simulate and the server ----------------------------------------------------------


def bot_session(scenario_path: Path, seed: int) -> tuple[Session, Member]:
    text = scenario_path.read_text()
    scenario, board = BOOK.load(text, scenario_path.stem)
    seats = {s.id: "none" if s.controller == "none" else "bot" for s in scenario.states}
    header = GameHeader(
        id="g-drv",
        created=0.0,
        scenario_ref=None,
        scenario_text=text,
        seed=seed,
        settings={
            "deadline": None,
            "seats": seats,
            "personalities": personalities([s for s, k in seats.items() if k != "none"], seed),
            "codes": {"states": {}, "observer": "O", "umpire": "U"},
        },
        status="lobby",
        clock=Clock(None).to_json(),
    )
    session = Session(header, scenario, board)
    umpire = Member("m1", "g-drv", "umpire", None, b"1")
    session.join(umpire)
    session.start(umpire, "start", fill_bots=False, now=0.0)
    return session, umpire


@pytest.mark.parametrize("seed", [1, 4])
def test_the_server_and_simulate_give_the_same_bot_commands(classic: Scenario, seed: int) -> None:
    """With no person acting, a server game and `simulate` are the same game for a seed.  The
    server opens a movement phase when it starts (`simulate` just before it resolves), so after
    the last resolve the server's log also holds the next turn's openings, and nothing else."""
    session, umpire = bot_session(CLASSIC, seed)
    assert isinstance(session._bot_driver(), BotDriver)
    turns = 5
    while session.game.turn <= turns and not session.game.over:
        session.advance(0.0, "umpire", umpire, f"adv-{session.game.turn}")
    simulated = play(classic, seed, turns)
    assert simulated.turn == session.game.turn
    served = session.game.commands
    assert served[: len(simulated.commands)] == simulated.commands
    assert not {c["kind"] for c in served[len(simulated.commands) :]} & {"orders", "resolve"}


def test_the_server_logs_a_faulty_bot(caplog: pytest.LogCaptureFixture) -> None:
    """The server's bots fail as `simulate`'s do: logged, not swallowed, and the game goes on."""
    session, _ = bot_session(CLASSIC, 2)
    session.bots["ita"] = Scripted(react=RuntimeError("bot fault"), orders=["this is no order"])
    # A proposal awaits Italy (applied on the game directly: every seat here is a bot's).
    session.game.apply(Propose(state="aus", parties=["aus", "ita"], clauses=[{"kind": "non_aggression"}]))
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        session.advance(0.0, "deadline")
    assert session.game.turn == 2
    records = [r for r in caplog.records if r.name == LOGGER and "ita" in r.getMessage()]
    errors = [r for r in records if r.levelname == "ERROR"]
    warnings = [r.getMessage() for r in records if r.levelname == "WARNING"]
    assert errors and all(r.exc_info is not None and "react" in r.getMessage() for r in errors)
    assert len(warnings) == 1 and "orders refused" in warnings[0]

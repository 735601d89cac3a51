"""The game state machine: commands, phases, bad input, retreats, adjustments, replay."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.launchers.simulate import play
from game.rules.adjustments import adjustment_balance, build_sites, resolve_adjustments
from game.rules.board import Board
from game.rules.errors import CommandError
from game.rules.game import Game, replay
from game.rules.orders import parse_order
from game.rules.scenario import Scenario
from game.rules.units import Unit
from game.scenario.loader import load_scenario

CLASSIC = Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml"


@pytest.fixture(scope="module")
def classic() -> Scenario:
    return load_scenario(CLASSIC)


def events_of(game: Game, kind: str) -> list[dict[str, object]]:
    return [e for t in game.turns for e in t.events if e["kind"] == kind]


def test_starting_position(classic: Scenario) -> None:
    game = Game(classic, 1)
    assert game.turn == 1 and game.phase == "movement" and game.season == "spring"
    assert len(game.units) == 22
    assert game.supply_count("rus") == 4
    assert game.units["stp"].location == "stp/sc"


def test_a_bad_command_changes_nothing(classic: Scenario) -> None:
    game = Game(classic, 1)
    game.submit("fra", ["A par - bur"])
    before = (list(game.commands), dict(game.pending))
    with pytest.raises(CommandError, match="after the unit"):
        game.submit("fra", ["A par -- bur"])
    with pytest.raises(CommandError, match="unknown state"):
        game.submit("xyz", ["A par - bur"])
    with pytest.raises(CommandError, match="turn 1, movement"):
        game.apply({"kind": "orders", "state": "fra", "turn": 2, "phase": "movement", "orders": []})
    with pytest.raises(CommandError, match="invalid command"):
        game.apply({"kind": "teleport", "turn": 1})
    assert (game.commands, game.pending) == before


def test_illegal_orders_become_holds_with_reasons(classic: Scenario) -> None:
    game = Game(classic, 1)
    game.submit("fra", ["A lon - wal", "A par - mun", "A mar S A spa - gas", "F bre - par"])
    game.resolve()
    void = {e["order"]: e["reason"] for e in events_of(game, "order_void")}
    assert "belongs to eng" in str(void["A lon - wal"])
    assert "not adjacent" in str(void["A par - mun"])
    assert "no unit at spa" in str(void["A mar S A spa - gas"])
    assert "cannot reach par" in str(void["F bre - par"])
    assert game.units["par"].state == "fra" and game.units["lon"].state == "eng"


def test_support_of_a_move_nobody_ordered_is_void(classic: Scenario) -> None:
    game = Game(classic, 1)
    game.submit("fra", ["A mar S A par - bur"])
    game.resolve()
    (event,) = events_of(game, "order_void")
    assert "was not ordered to move to bur" in str(event["reason"])


def test_a_full_year_moves_captures_and_builds(classic: Scenario) -> None:
    game = Game(classic, 1)
    game.submit("fra", ["A par - bur", "A mar - spa", "F bre - mao"])
    game.submit("rus", ["A war - gal", "F sev - bla"])
    game.resolve()
    assert game.season == "autumn" and game.turn == 2
    assert {e["to"] for e in events_of(game, "move")} >= {"bur", "spa", "mao", "gal", "bla"}
    game.submit("fra", ["F mao - por", "A bur - bel"])
    game.resolve()
    captured = {e["territory"]: e["state"] for e in events_of(game, "captured")}
    assert captured["spa"] == "fra" and captured["bel"] == "fra" and captured["por"] == "fra"
    assert "bla" not in captured  # seas are held by nobody
    assert game.phase == "adjustment"
    assert game.adjustment_balance()["fra"] == 3
    game.submit("fra", ["build A par", "build F bre", "build A mun", "build F mar"])
    game.resolve()
    built = {e["at"] for e in events_of(game, "build") if e["state"] == "fra"}
    assert built == {"par", "bre", "mar"}
    (void,) = [e for e in events_of(game, "order_void") if e["phase"] == "adjustment"]
    assert void["order"] == "build A mun"  # Munich is not a French home
    assert game.phase == "movement" and game.year == 1902 and game.turn == 3


def test_dislodged_unit_without_retreat_order_is_disbanded(classic: Scenario) -> None:
    game = Game(classic, 1)
    game.submit("ger", ["A mun - boh"])
    game.submit("ita", ["A ven - tyr"])
    game.resolve()
    game.submit("ger", ["A boh - vie"])
    game.submit("ita", ["A tyr S A boh - vie"])
    game.submit("aus", ["A vie H"])
    game.resolve()
    assert game.phase == "retreat"
    assert set(game.dislodged) == {"vie"}
    assert game.retreat_options("vie") == ("gal",)  # not boh: the attacker came from there
    assert game.states_to_order() == ["aus"]
    game.resolve()  # no retreat order
    assert [e["at"] for e in events_of(game, "disband")] == ["vie"]
    assert game.units["vie"].state == "ger"


def test_replay_rebuilds_the_game_exactly(classic: Scenario) -> None:
    game = play(classic, 5, 12)
    again = replay(classic, 5, game.commands)
    assert again.record() == game.record()
    assert again.units == game.units and again.owners == game.owners


def test_civil_disorder_removes_the_farthest_units(classic: Scenario) -> None:
    board = Board.from_scenario(classic)
    owners = {t: None for t in board.ids}
    owners.update({"ank": "tur", "con": "tur", "smy": "tur"})
    units = {
        "ank": Unit("tur", "fleet", "ank"),
        "con": Unit("tur", "army", "con"),
        "gre": Unit("tur", "army", "gre"),
        "ion": Unit("tur", "fleet", "ion"),
        "tun": Unit("tur", "army", "tun"),
    }
    result = resolve_adjustments(
        board, units, owners, ["tur"], [("tur", parse_order("remove A gre", "adjustment"))]
    )
    removed = [u.location for u in result.removed]
    assert removed[0] == "gre"  # the ordered removal
    assert removed[1] == "tun"  # then the farthest from home: Tunis (3 steps) before the Ionian (2)
    assert len(result.units) == 3


def test_builds_are_limited_to_free_held_home_supply_territories(classic: Scenario) -> None:
    board = Board.from_scenario(classic)
    owners = {t: None for t in board.ids}
    owners.update({"par": "fra", "bre": "fra", "mar": "fra", "spa": "fra", "por": "fra"})
    units = {"par": Unit("fra", "army", "par")}
    balance = adjustment_balance(board, units, owners, ["fra"])
    assert balance == {"fra": 2}  # five centres, one unit, but only two free home centres
    assert build_sites(board, units, owners, "fra") == ["bre", "mar"]

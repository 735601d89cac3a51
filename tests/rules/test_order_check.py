"""The order pre-check (game/rules/order_check.py): what the order box tells a player before
sending, and that it is word for word what the umpire's resolution says of the same order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.rules.adjudication import VOID, adjudicate
from game.rules.adjustments import resolve_adjustments
from game.rules.board import Board
from game.rules.game import Game
from game.rules.order_check import check_order, retreats_from_view, units_from_view
from game.rules.orders import Convoy, Support, parse_order
from game.rules.retreats import resolve_retreats, retreat_options
from game.rules.units import Unit
from game.rules.views import view_for
from game.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
MATCHING = re.compile(r"^the (unit|army) at \w+ (was|moves)")
"""The adjudicator's reasons that depend on another unit's order, judged only at resolution."""


@pytest.fixture(scope="module")
def game() -> Game:
    return Game(load_scenario(ROOT / "scenarios" / "july-1914.yaml"), 1)


@pytest.fixture(scope="module")
def board(game: Game) -> Board:
    return game.board


def movement_verdict(board: Board, units: dict[str, Unit], state: str, text: str) -> str:
    """What the adjudicator says of this one order: its void reason, or ''.

    A support or a convoy is matched at resolution with the order of the unit it serves, which
    may be another state's and is not known before the deadline; that unit is given the order
    served here, so that only what the order itself says is judged, as the pre-check judges it."""
    order = parse_order(text)
    given = [(state, order)]
    served = None
    if isinstance(order, Support) and order.dest is not None:
        served = (order.target, order.dest, "")
    elif isinstance(order, Convoy):
        served = (order.army_at, order.dest, " via convoy")
    if served is not None and served[0] in units:
        unit = units[served[0]]
        given.insert(0, (unit.state, parse_order(f"{unit.letter} {unit.location} - {served[1]}{served[2]}")))
    result = adjudicate(board, units, given).results[-1]
    return result.reason if result.result == VOID else ""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("A par - bur", ""),
        ("A par H", ""),
        ("F bre - eng", ""),
        ("A bur S A par - gas", ""),
        ("A par - nth", "an army cannot move to sea"),
        ("A par - mos", "mos is not adjacent to par and no fleets could convoy there"),
        ("A par - par", "a unit cannot move to its own territory"),
        ("A par - atlantis", "unknown territory 'atlantis'"),
        ("A atlantis - par", "unknown territory 'atlantis'"),
        ("A ber - sil", "the unit at ber belongs to ger, not fra"),
        ("A pic H", "there is no unit at pic"),
        ("F par H", "the unit at par is an army"),
        ("F bre - par", "a fleet at bre cannot reach par"),
        ("A par S A bur", ""),
        ("A par S F mar - spa", "A par cannot reach spa, so cannot support a move there"),
        ("A par S A mar - gas", "the unit at mar is not an army"),
        ("F mar C A par - pie", "only a fleet at sea can convoy"),
        ("A par - ", "'A par -': after the unit comes H (hold), - PLACE (move), S (support) or C (convoy)"),
        ("build A par", "'build A par': an order starts with the unit type, A (army) or F (fleet)"),
    ],
)
def test_movement_orders_are_checked_as_the_adjudicator_checks_them(
    board: Board, game: Game, text: str, reason: str
) -> None:
    assert check_order(board, game.units, "fra", "movement", text) == reason


def test_every_move_and_support_gives_the_adjudicators_own_reason(board: Board, game: Game) -> None:
    """Each French unit ordered to every place, and to support every unit: the check's reason is
    exactly the void reason `adjudicate` gives the same order (or both are silent)."""
    checked = voids = 0
    mine = [u for u in game.units.values() if u.state == "fra"]
    for unit in mine:
        for place in board.ids:
            orders = [f"{unit.letter} {unit.location} - {place}"]
            if unit.type == "army":  # by convoy only, even to a neighbour: void when no fleets could carry it
                orders.append(f"{unit.letter} {unit.location} - {place} via convoy")
            orders += [
                f"{unit.letter} {unit.location} S {o.letter} {o.location}"
                for o in game.units.values()
                if o.territory == place
            ]
            orders += [f"{unit.letter} {unit.location} S A {t} - {place}" for t in ("par", "bur", "ruh")]
            if board.territories[place].kind == "sea":
                orders.append(f"{unit.letter} {unit.location} C A par - {place}")
            for text in orders:
                expected = movement_verdict(board, game.units, "fra", text)
                if MATCHING.match(expected):
                    expected = ""  # the served order was void itself: that is its own order's reason
                assert check_order(board, game.units, "fra", "movement", text) == expected, text
                checked += 1
                voids += bool(expected)
    assert checked > 500 and 0 < voids < checked


def test_a_place_on_no_map_is_named_and_the_adjudicator_voids_it_too(board: Board, game: Game) -> None:
    assert check_order(board, game.units, "fra", "movement", "A xyz - par") == "unknown territory 'xyz'"
    assert movement_verdict(board, game.units, "fra", "A xyz - par") == "there is no unit at xyz"


def test_units_read_from_a_view(game: Game) -> None:
    view = view_for(game, "fra")
    assert units_from_view(view["map"]["units"]) == game.units


# --- retreats -----------------------------------------------------------------------------------------


def dislodging(board: Board) -> tuple[dict[str, Unit], object]:
    """France's army in Burgundy is dislodged from Alsace, and Gascony is left empty by a standoff."""
    units = {
        u.territory: u
        for u in (
            Unit("fra", "army", "bur"),
            Unit("fra", "army", "par"),
            Unit("fra", "fleet", "bre"),
            Unit("ger", "army", "als"),
            Unit("ger", "army", "bel"),
        )
    }
    orders = [("ger", parse_order(t)) for t in ("A als - bur", "A bel S A als - bur")]
    orders += [("fra", parse_order(t)) for t in ("A par - gas", "F bre - gas")]
    return units, adjudicate(board, units, orders)


def test_retreats_are_checked_as_the_retreat_rules_check_them(board: Board) -> None:
    _, moved = dislodging(board)
    assert set(moved.dislodged) == {"bur"} and "gas" in moved.standoffs  # type: ignore[attr-defined]
    units, dislodged, standoffs = moved.units, moved.dislodged, moved.standoffs  # type: ignore[attr-defined]
    options = retreat_options(board, units, dislodged["bur"], standoffs)
    view_retreats = [{"unit": dislodged["bur"].unit.to_json(), "options": list(options)}]
    retreats = retreats_from_view(view_retreats)
    assert "mar" in options and "gas" not in options and "als" not in options

    texts = [f"A bur R {place}" for place in board.ids] + [
        "A bur D",
        "F bur D",
        "A gas R mar",
        "A bur S A par",
        "A bur H",
        "A xyz R par",
    ]
    for state in ("fra", "ger"):
        for text in texts:
            order = parse_order(text, "retreat")
            (result,) = resolve_retreats(board, units, dislodged, standoffs, [(state, order)]).results
            expected = result.reason if result.result == VOID else ""
            got = check_order(board, units, state, "retreat", text, retreats=retreats)
            if text.startswith("A xyz"):
                assert got == "unknown territory 'xyz'" and expected
            else:
                assert got == expected, (state, text)
    assert check_order(board, units, "fra", "retreat", "A bur R als", retreats=retreats) == (
        f"cannot retreat to als; possible: {', '.join(options)}"
    )
    assert check_order(board, units, "fra", "retreat", "A bur R mar", retreats=retreats) == ""


# --- adjustments ----------------------------------------------------------------------------------------


def test_adjustments_are_checked_as_the_adjustment_rules_check_them(board: Board, game: Game) -> None:
    owners = dict(game.owners)
    owners["bel"] = "fra"  # France took Belgium: two builds (Brest and Algiers are empty)
    units = {t: u for t, u in game.units.items() if t not in ("bre", "bel")}
    texts = [
        "build A par",
        "build F bre",
        "build A bre",
        "build A mar",
        "build A bel",
        "build F ber",
        "build A xyz",
        "remove A par",
        "remove F mar",
        "waive",
    ]
    for others in ([], ["build F bre"], ["build F bre", "build A alg"]):
        for text in texts:
            given = [("fra", parse_order(t, "adjustment")) for t in [*others, text]]
            results = resolve_adjustments(board, units, owners, list(game.state_ids), given).results
            verdict = results[len(given) - 1]
            expected = verdict.reason if verdict.result == VOID else ""
            assert (
                check_order(board, units, "fra", "adjustment", text, owners=owners, others=others) == expected
            ), (others, text)
    assert check_order(board, units, "fra", "adjustment", "build F bre", owners=owners) == ""
    assert check_order(board, units, "fra", "adjustment", "build A par", owners=owners) == "par is occupied"
    assert (
        check_order(board, units, "fra", "adjustment", "build A bre", owners=owners, others=["build F bre"])
        == "bre is occupied"
    )
    assert (
        check_order(
            board,
            units,
            "fra",
            "adjustment",
            "build A mar",
            owners=owners,
            others=["build F bre", "build A alg"],
        )
        == "no build is available"
    )
    assert (
        check_order(board, units, "fra", "adjustment", "remove A par", owners=owners) == "no removal is due"
    )

"""One rule for `via convoy` (issue 14): a move ordered via convoy goes by convoy or not at all.

The DATC (3.1, 6.G.8: fallback is no longer its preference) gives such a move no fallback to the land
route. So Russia's `A swe - den via convoy` never walks to Denmark: with no fleet at sea that could
carry it the order is illegal (void, DATC 4.E.1 as in 6.D.32), with a fleet that could but does not
convoy it the move fails (as in 6.D.8), and only fleets ordered to convoy it take it there. The
same move without `via convoy` goes by land, unless a fleet of its own state convoys it (DATC
4.A.3, 6.G.1 and 6.G.2). The order check tells a player exactly what the adjudicator will say.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from game.rules.adjudication import FAILS, SUCCEEDS, VOID, MovementResult
from game.rules.board import Board
from game.rules.order_check import check_order
from game.rules.sandbox import Sandbox
from game.rules.scenario import Scenario

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml"
VIA = "A swe - den via convoy"
LAND = "A swe - den"
NO_ROUTE = "ordered via convoy, but no fleets could convoy it from swe to den (without 'via convoy' it would move by land)"
NOT_CONVOYED = "no fleet convoys it; a move via convoy does not fall back to the land route"

# Who else is on the board, and their orders, around Russia's army in Sweden.
FLEETS: dict[str, tuple[tuple[str, str], ...]] = {
    "no fleet": (),
    "unrelated fleet holds": (("ger", "F bal H"),),
    "own fleet convoys": (("rus", "F bal C A swe - den"),),
    "foreign fleet convoys": (("ger", "F bal C A swe - den"),),
}


@pytest.fixture(scope="module")
def board() -> Board:
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    return Board.from_scenario(Scenario.model_validate(yaml.load(FIXTURE.read_text(encoding="utf-8"))))


def play(board: Board, order: str, others: tuple[tuple[str, str], ...]) -> tuple[Sandbox, MovementResult]:
    """Russia's army in Sweden given `order`, with the other units placed and ordered as given."""
    sandbox = placed(board, order, others)
    return sandbox, sandbox.movement([("rus", order), *others])


def placed(board: Board, order: str, others: tuple[tuple[str, str], ...]) -> Sandbox:
    """A board with Russia's ordered unit and every other ordered unit on it."""
    sandbox = Sandbox(board)
    for state, text in (("rus", order), *others):
        sandbox.place(state, " ".join(text.split()[:2]))
    return sandbox


@pytest.mark.parametrize(
    ("fleets", "order", "result", "reason", "army_at"),
    [
        ("no fleet", VIA, VOID, NO_ROUTE, "swe"),
        ("unrelated fleet holds", VIA, FAILS, NOT_CONVOYED, "swe"),
        ("own fleet convoys", VIA, SUCCEEDS, "moved to den", "den"),
        ("foreign fleet convoys", VIA, SUCCEEDS, "moved to den", "den"),
        ("no fleet", LAND, SUCCEEDS, "moved to den", "den"),
        ("unrelated fleet holds", LAND, SUCCEEDS, "moved to den", "den"),
        ("own fleet convoys", LAND, SUCCEEDS, "moved to den", "den"),
        ("foreign fleet convoys", LAND, SUCCEEDS, "moved to den", "den"),
    ],
)
def test_sweden_to_denmark(
    board: Board, fleets: str, order: str, result: str, reason: str, army_at: str
) -> None:
    sandbox, outcome = play(board, order, FLEETS[fleets])
    verdict = outcome.results[0]
    assert (verdict.order, verdict.result, verdict.reason) == (order, result, reason)
    assert sandbox.units[army_at].text == "A " + army_at
    assert sandbox.units[army_at].state == "rus"
    assert ("swe" in sandbox.units) == (army_at == "swe")


@pytest.mark.parametrize("fleets", list(FLEETS))
@pytest.mark.parametrize("order", [VIA, LAND])
def test_the_order_check_says_what_the_adjudicator_will(board: Board, fleets: str, order: str) -> None:
    """Before the deadline a player is told the void reason the umpire will give, and nothing when
    the order is legal (a fleet that could convoy may still be ordered to, by anyone)."""
    sandbox = placed(board, order, FLEETS[fleets])
    _, outcome = play(board, order, FLEETS[fleets])
    verdict = outcome.results[0]
    expected = verdict.reason if verdict.result == VOID else ""
    assert check_order(board, sandbox.units, "rus", "movement", order) == expected
    assert (expected == NO_ROUTE) == (order == VIA and fleets == "no fleet")


def test_a_foreign_fleet_convoys_only_an_army_that_asks_for_it(board: Board) -> None:
    """Without `via convoy` a foreign convoy shows no intent (no kidnapping): the army walks, and
    the convoy order, which serves no move by convoy, is void."""
    _, outcome = play(board, LAND, FLEETS["foreign fleet convoys"])
    assert outcome.result_of("bal") == VOID
    _, outcome = play(board, VIA, FLEETS["foreign fleet convoys"])
    assert outcome.result_of("bal") == SUCCEEDS


def test_own_convoy_carries_an_army_that_did_not_ask(board: Board) -> None:
    """The intent rule: Russia's own convoying fleet makes `A swe - den` a move by convoy, so it
    swaps with a Danish army moving to Sweden instead of bouncing head to head (DATC 6.G.1)."""
    others = (("rus", "F bal C A swe - den"), ("ger", "A den - swe"))
    sandbox, outcome = play(board, LAND, others)
    assert (outcome.result_of("swe"), outcome.result_of("den")) == (SUCCEEDS, SUCCEEDS)
    assert (sandbox.units["den"].state, sandbox.units["swe"].state) == ("rus", "ger")
    others = (("ger", "F bal H"), ("ger", "A den - swe"))
    _, outcome = play(board, LAND, others)
    assert (outcome.result_of("swe"), outcome.result_of("den")) == (FAILS, FAILS)


def test_void_holds_and_may_be_supported_but_a_failed_move_may_not(board: Board) -> None:
    """Why the two cases differ in name only where the DATC makes them differ (6.D.32 against
    6.D.8): a void order leaves a unit holding, which a hold support can help; a move that failed
    for want of a convoy cannot receive hold support. The Gulf of Bothnia touches Sweden but not
    Denmark, so alone it could carry no convoy there."""
    attack = (("rus", "A fin S A swe"), ("ger", "A nwy - swe"), ("ger", "F bot S A nwy - swe"))
    sandbox, outcome = play(board, VIA, attack)
    assert [outcome.result_of(t) for t in ("swe", "fin", "nwy")] == [VOID, SUCCEEDS, FAILS]
    assert sandbox.units["swe"].state == "rus"
    sandbox, outcome = play(board, VIA, (*attack, ("ger", "F bal H")))
    assert [outcome.result_of(t) for t in ("swe", "fin", "nwy")] == [FAILS, VOID, SUCCEEDS]
    assert sandbox.units["swe"].state == "ger" and "swe" in outcome.dislodged


def test_an_inland_army_via_convoy_is_void(board: Board) -> None:
    """No fleet can carry an army from an inland place: via convoy, its move is void, not a walk."""
    _, outcome = play(board, "A mun - ber via convoy", ())
    assert outcome.results[0].result == VOID
    _, outcome = play(board, "A mun - ber", ())
    assert outcome.results[0].result == SUCCEEDS


def test_the_breach_forecast_reads_the_same_rule() -> None:
    """The forecast adjudicates with the same rules, so a seat is warned of a breach only if its army
    would really enter: Germany has promised to keep Prussia empty; `A ber - pru via convoy` with no
    fleet in the Baltic stays in Berlin (void), `A ber - pru` walks in, and the resolution agrees."""
    from game.rules.forecast import breach_forecast
    from game.rules.game import Game
    from game.scenario.loader import load_scenario

    def germany_orders(move: str) -> tuple[int, list[str]]:
        game = Game(load_scenario(FIXTURE), 7)
        events = game.apply(
            {
                "kind": "propose",
                "state": "ger",
                "parties": ["ger", "fra"],
                "visibility": "secret",
                "clauses": [{"kind": "demilitarised_zone", "territories": ["pru"]}],
            }
        )
        game.apply({"kind": "sign", "state": "fra", "agreement": str(events[0]["agreement"])})
        orders = [move]
        warned = len(breach_forecast(game, "ger", orders))
        game.submit("ger", orders)
        resolved = game.resolve()
        return warned, [e["evidence"] for e in resolved if e["kind"] == "agreement_breached"]

    warned, breached = germany_orders("A ber - pru via convoy")
    assert (warned, breached) == (0, [])
    warned, breached = germany_orders("A ber - pru")
    assert warned == 1 and len(breached) == 1 and "moved into the demilitarised pru" in breached[0]

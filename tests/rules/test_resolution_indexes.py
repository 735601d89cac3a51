"""The indexes that keep resolution linear give the answers a plain reading of the rules would.

The board's lookups agree with each other; a clause check shared by many agreements (the same
members, the same turn) finds for each exactly what it would find alone; and agreements that
share their members are each breached, each with the same evidence.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from game.rules.agreements import ACTIVE
from game.rules.board import Board, territory_of
from game.rules.breaches import TurnFacts, check_clause
from game.rules.game import Game
from game.rules.rng import Rng
from game.rules.scenario import Scenario
from game.scenario.generated import generated_scenario
from game.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
CLASSIC = ROOT / "tests" / "fixtures" / "classic_board.yaml"


@pytest.fixture(scope="module")
def classic() -> Scenario:
    return load_scenario(CLASSIC)


@pytest.mark.parametrize("size", [100, 1000])
def test_board_indexes_agree(size: int) -> None:
    board = Board.from_scenario(generated_scenario(size, seed=1))
    assert list(board.index) == list(board.ids) == list(board.territories)
    assert all(board.index[t] == i for i, t in enumerate(board.ids))
    for t in board.ids:
        for n in board.army_adj[t]:
            assert t in board.army_adj[n], f"army link {t}-{n} is one-way"
            assert n in board.neighbours[t]
        for loc in board.fleet_locations(t):
            for n in board.fleet_adj[loc]:
                assert loc in board.fleet_adj[n], f"fleet link {loc}-{n} is one-way"
                assert territory_of(n) in board.neighbours[t]
        order = [board.index[n] for n in board.neighbours[t]]
        assert order == sorted(order), f"neighbours of {t} are not in board order"
        assert len(set(board.neighbours[t])) == len(board.neighbours[t])


def _bench() -> Any:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import resolve  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return resolve


def test_shared_clause_checks_match_checks_alone() -> None:
    """Every clause of a thousand random agreements, checked against the facts all of them share,
    breaks exactly as it does checked alone against facts of its own."""
    bench = _bench()
    scenario = generated_scenario(100, seed=1)
    board = Board.from_scenario(scenario)
    game = Game(scenario, 3, board)
    orders = bench.random_orders(game, Rng(3, 1, "bench"))
    bench.apply_agreements(game, bench.agreement_commands(game, 1000, Rng(3, 0, "bench-agreements")))
    for state, lines in orders.items():
        game.submit(state, lines)
    from game.rules.adjudication import adjudicate

    result = adjudicate(board, game.units, game._given())
    shared = TurnFacts.collect(board, game.turn, game.units, game.owners, result)
    checked = broken = 0
    for a in game.diplomacy.agreements.values():
        if a.status != ACTIVE:
            continue
        for _, clause, _ in a.all_clauses():
            alone = TurnFacts.collect(board, game.turn, game.units, game.owners, result)
            since = a.start_turn or game.turn
            together = check_clause(clause, a.parties, shared, since)
            assert together == check_clause(clause, a.parties, alone, since), (a.id, clause)
            checked += 1
            broken += bool(together)
    assert checked > 900 and broken > 50  # the case exercises the checks


def _agree(game: Game, parties: list[str], clauses: list[dict[str, Any]]) -> str:
    events = game.apply(
        {
            "kind": "propose",
            "state": parties[0],
            "parties": parties,
            "visibility": "secret",
            "clauses": clauses,
        }
    )
    ref = str(events[0]["agreement"])
    for party in parties[1:]:
        game.apply({"kind": "sign", "state": party, "agreement": ref})
    return ref


def _play(game: Game, orders: dict[str, list[str]]) -> list[dict[str, Any]]:
    for state, lines in orders.items():
        game.submit(state, lines)
    events = game.resolve()
    while game.phase == "retreat":
        events += game.resolve()
    return events


def test_agreements_with_the_same_members_are_each_breached(classic: Scenario) -> None:
    game = Game(classic, 7, Board.from_scenario(classic))
    _play(game, {"aus": ["A vie - tyr"]})
    refs = [
        _agree(game, ["ger", "aus"], [{"kind": "mutual_defence"}]),
        _agree(game, ["aus", "ger"], [{"kind": "mutual_defence"}]),
        _agree(game, ["ger", "aus"], [{"kind": "mutual_defence"}]),
        _agree(game, ["ger", "aus", "eng"], [{"kind": "mutual_defence"}]),
    ]
    events = _play(game, {"ita": ["A ven - tyr"], "aus": ["A tyr - boh"], "ger": ["A mun H"]})
    found = {e["agreement"]: e for e in events if e["kind"] == "agreement_breached"}
    assert set(found) == set(refs)
    evidence = {found[ref]["evidence"] for ref in refs}
    assert len(evidence) == 1 and "A ven - tyr" in evidence.pop()
    assert all(found[ref]["breaker"] == "ger" and found[ref]["protected"] == ["aus"] for ref in refs)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mutual_defence_is_checked_whenever_a_hit_could_breach_it(seed: int) -> None:
    """A mutual defence is watched for undefended attacks (and a member's help against itself) rather
    than for every attack on a member: it is checked, and found broken, in exactly the turns in which a
    check on every attack on a member would have found it broken."""
    bench = _bench()
    scenario = generated_scenario(1000, seed=1)
    board = Board.from_scenario(scenario)
    game = Game(scenario, seed, board)
    orders = bench.random_orders(game, Rng(seed, 1, "bench"))
    for state, lines in orders.items():
        game.submit(state, lines)
    from game.rules.adjudication import adjudicate
    from game.rules.breaches import watch_keys
    from game.rules.clauses import MutualDefence

    result = adjudicate(board, game.units, game._given())
    facts = TurnFacts.collect(board, game.turn, game.units, game.owners, result)
    before = set(facts.keys)
    facts.add_undefended_keys()
    states = sorted(game.state_ids)
    broken = 0
    for a in states:
        for b in states:
            for members in ((a, b), (a, b, states[0])):
                if len(set(members)) < 2:
                    continue
                clause = MutualDefence(members=list(members))
                found = check_clause(clause, members, facts, game.turn)
                every_hit = [("hit", m) for m in members] + [
                    ("hostile", x, y) for x in members for y in members if x != y
                ]
                old = any(k in before for k in every_hit) and bool(found)
                new = any(k in facts.keys for k in watch_keys(clause, members, game.turn)) and bool(found)
                assert old == new, members
                broken += old
    assert broken > 20

"""The indexes that keep resolution linear give the answers a plain reading of the rules would.

The board's lookups agree with each other; a clause check shared by many agreements (the same
members, the same turn) finds for each exactly what it would find alone; and agreements that
share their members are each breached, each with the same evidence; seeded random turns resolve
event for event as they would with every agreement checked, rolled and looked at for expiry every
turn; and the bound below which a leak roll is looked at is never below a secret's chance.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
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

ROOT = Path(__file__).resolve().parents[2]
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


def _full_scan_clauses(d: Any, turn_facts: TurnFacts) -> dict[tuple[int, int], Any]:
    """Every clause of every active agreement, what the watch keys narrow down; but a mutual defence
    only in a turn when a member was hit or two members were hostile, as the rules have always checked
    it (so a member's help to a failed attack on itself, in a turn of no such hit, is no breach)."""
    from game.rules.clauses import MutualDefence

    keys = set(turn_facts.keys)
    turn_facts.add_undefended_keys()
    out = {}
    for a in d.agreements.values():
        if a.status != ACTIVE:
            continue
        for index, clause, _ in a.all_clauses():
            if isinstance(clause, MutualDefence):
                members = tuple(clause.members) or a.parties
                every_hit = [("hit", m) for m in members]
                every_hit += [("hostile", x, y) for x in members for y in members if x != y]
                if not any(k in keys for k in every_hit):
                    continue
            out[a.number, index] = a
    return out


@contextmanager
def _unindexed() -> Iterator[None]:
    """Resolution without its indexes: every active clause checked, every secret's chance worked out
    (the bound at 1, which no roll reaches), every agreement ever made looked at for expiry."""
    from game.rules import agreement_lifecycle, betrayal, leak_resolution

    saved = (betrayal.watched_clauses, leak_resolution.leak_chance_bound, agreement_lifecycle.due_to_end)
    betrayal.watched_clauses = _full_scan_clauses
    leak_resolution.leak_chance_bound = lambda *_: 1.0
    agreement_lifecycle.due_to_end = lambda d, turn: list(d.agreements.values())
    try:
        yield
    finally:
        betrayal.watched_clauses, leak_resolution.leak_chance_bound, agreement_lifecycle.due_to_end = saved


def test_indexed_resolution_matches_a_full_scan() -> None:
    """Seeded random turns with agreements of every clause kind signed on several turns (some with a
    duration, a third secret): the indexed resolution (watch keys, a demilitarised zone's units
    watched only after its first turn, leak rolls looked at only below the bound, expiry by end
    turn) gives event for event what checking every agreement every turn gives."""
    bench = _bench()
    scenario = generated_scenario(1000, seed=1)  # 18 states: room for a neutral third and an ally's absence
    board = Board.from_scenario(scenario)
    kinds: dict[str, int] = {}
    for seed in range(4):
        _compare_turns(bench, scenario, board, seed, kinds)
    # The case exercises every index: each kind of checked clause broken, a zone kept after its
    # first turn, leaks, expiries.
    for kind in (
        "non_aggression/other",
        "mutual_defence/other",
        "neutrality/other",
        "support_promise/other",
        "spheres_of_influence/other",
        "demilitarised_zone/other",
        "demilitarised_zone/stayed",
        "agreement_leaked",
        "agreement_expired",
        "agreement_rejected",
        "investigation",
    ):
        assert kinds.get(kind, 0) > 0, (kind, kinds)


def _compare_turns(bench: Any, scenario: Scenario, board: Board, seed: int, kinds: dict[str, int]) -> None:
    """Five turns of one seed, indexed and not, side by side; counts what broke, leaked and ended."""
    indexed, plain = Game(scenario, seed, board), Game(scenario, seed, board)
    for turn in range(1, 6):
        if indexed.phase is None:
            break
        if turn <= 4:
            drawn = bench.agreement_commands(indexed, 120, Rng(seed, turn, "test-agreements"))
            pick = Rng(seed, turn, "test-durations")
            for commands in drawn:
                if pick.random() < 0.4:
                    commands[0]["duration"] = 1 + pick.randrange(3)
            signed, unsigned = drawn[:100], drawn[100:]  # the rest stay proposals, which lapse
            assert bench.apply_agreements(indexed, signed) == bench.apply_agreements(plain, signed)
            for commands in unsigned:
                assert indexed.apply(commands[0]) == plain.apply(commands[0])
            # Investigations raise the chance that a target's secrets leak, for this turn only.
            states = sorted(indexed.state_ids)
            for _ in range(6):
                spy, target = pick.choice(states), pick.choice(states)
                if spy != target and indexed.treasury[spy] >= 2:
                    action = {"kind": "investigate", "state": spy, "target": target}
                    assert indexed.apply(action) == plain.apply(action)
        while True:
            if indexed.phase == "movement":
                for state, lines in bench.random_orders(indexed, Rng(seed, turn, "test-orders")).items():
                    indexed.submit(state, lines)
                    plain.submit(state, lines)
            phase = indexed.phase
            events = indexed.resolve()
            with _unindexed():
                assert plain.resolve() == events, (turn, phase)
            for e in events:
                if e["kind"] == "agreement_breached":
                    how = "stayed" if "kept a unit in" in e["evidence"] else "other"
                    kinds[f"{e['clause_kind']}/{how}"] = kinds.get(f"{e['clause_kind']}/{how}", 0) + 1
                elif e["kind"] in (
                    "agreement_leaked",
                    "agreement_expired",
                    "agreement_rejected",
                    "investigation",
                    "agreement_discovered",
                ):
                    kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
            if indexed.phase == "movement" or indexed.phase is None:
                break


def test_leak_chance_bound_holds_for_every_secret_within_it() -> None:
    """No agreement's leak chance exceeds the bound of its own unchanging part, age, investigations
    and rumour, under random constants; without an intermediary the bound is its chance exactly (so a
    roll below the chance is never skipped, and none of the terms can be left out)."""
    from game.rules.agreements import RUMOUR, Agreement
    from game.rules.leaks import leak_chance, leak_chance_bound
    from game.rules.scenario import LeakConstants

    rng = Rng(5, 0, "test-bound")
    states = ["a", "b", "c", "d"]
    regimes = {"a": "democracy", "b": "autocracy", "c": "democracy", "d": "monarchy"}
    equal = 0
    for _ in range(3000):
        constants = LeakConstants(
            **{
                f: round(rng.random() * 0.3, 3)
                for f in (
                    "base",
                    "per_extra_party",
                    "per_democracy",
                    "per_turn_of_age",
                    "per_investigation",
                    "rumour_bonus",
                )
            },
            intermediary_factor=rng.random(),
            maximum=0.2 + 0.8 * rng.random(),
        )
        parties = tuple(states[: 2 + rng.randrange(3)])
        a = Agreement(
            id="agr-1",
            title="t",
            proposer=parties[0],
            parties=parties,
            clauses=(),
            annex=(),
            visibility="secret",
            duration=None,
            proposed_turn=1,
            intermediary="d" if rng.random() < 0.3 and "d" not in parties else None,
        )
        a.start_turn = 1 + rng.randrange(5)
        a.investigations = rng.randrange(4)
        a.leak_level = RUMOUR if rng.random() < 0.3 else "none"
        turn = a.start_turn + rng.randrange(6)
        p = leak_chance(a, regimes, turn, constants)
        assert a.leak_static is not None
        bound = leak_chance_bound(
            a.leak_static, turn - a.start_turn, a.investigations, a.leak_level == RUMOUR, constants
        )
        assert p <= bound
        if a.intermediary is None:
            assert p == bound
            equal += 1
    assert equal > 1000

"""Leaks of secret agreements: observed frequencies over many seeds against the formula.

Each test builds, for every seed in a fixed range, a game on the classic board with one secret
agreement of known parameters, resolves one turn, and counts the turns in which it leaked.  The
count is binomial, so it must lie within 4 standard deviations of n·p, where p is the chance of the
formula in game/rules/leaks.py, computed here independently from its docstring:

    p = min(maximum, (base + per_extra_party·(parties − 2) + per_democracy·democracies
                      + per_turn_of_age·age + per_investigation·investigations)
                     × (intermediary_factor if negotiated through an intermediary)
                     (+ rumour_bonus if already rumoured))

At 4 standard deviations a correct implementation fails a given check about once in 16,000 runs;
the seeds are fixed, so the result never changes from one run to the next.  The tolerance still
tells apart every pair of chances compared here (e.g. 0.03 against 0.06 over 2,000 seeds: 60 ± 30
against 120).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from game.rules.agreements import Agreement
from game.rules.board import Board
from game.rules.game import Game
from game.rules.leaks import leak_chance
from game.rules.scenario import AgreementStart, LeakConstants, Scenario
from game.scenario.loader import load_scenario

CLASSIC = Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml"
SEEDS = range(2000)
SIGMAS = 4.0
FREE = {"kind": "free_text", "text": "terms"}


@pytest.fixture(scope="module")
def classic() -> Scenario:
    return load_scenario(CLASSIC)


@pytest.fixture(scope="module")
def board(classic: Scenario) -> Board:
    return Board.from_scenario(classic)


def scenario_with(
    scenario: Scenario,
    leaks: dict[str, float] | None = None,
    regimes: dict[str, str] | None = None,
    treasury: int = 0,
    agreements: list[AgreementStart] | None = None,
) -> Scenario:
    states = [
        s.model_copy(update={"regime": (regimes or {}).get(s.id, s.regime), "treasury": treasury})
        for s in scenario.states
    ]
    rules = scenario.rules.model_copy(update={"leaks": scenario.rules.leaks.model_copy(update=leaks or {})})
    update: dict[str, Any] = {"states": states, "rules": rules}
    if agreements is not None:
        update["agreements"] = agreements
    return scenario.model_copy(update=update)


def expected_chance(
    c: LeakConstants,
    parties: int,
    democracies: int,
    age: int = 0,
    investigations: int = 0,
    intermediary: bool = False,
    rumoured: bool = False,
) -> float:
    """The documented formula, written out independently of game/rules/leaks.py."""
    p = c.base + c.per_extra_party * (parties - 2) + c.per_democracy * democracies
    p += c.per_turn_of_age * age + c.per_investigation * investigations
    if intermediary:
        p *= c.intermediary_factor
    if rumoured:
        p += c.rumour_bonus
    return min(c.maximum, max(0.0, p))


def within(hits: int, n: int, p: float) -> None:
    mean = n * p
    sd = math.sqrt(n * p * (1 - p))
    assert abs(hits - mean) <= SIGMAS * sd + 1e-9, (
        f"{hits} leaks in {n} trials; the formula expects {mean:.1f} ± {SIGMAS * sd:.1f} (p = {p:.4f})"
    )


def agree(game: Game, parties: list[str], **extra: Any) -> str:
    ref = str(
        game.apply({"kind": "propose", "state": parties[0], "parties": parties, "clauses": [FREE], **extra})[
            0
        ]["agreement"]
    )
    for p in parties[1:]:
        game.apply({"kind": "sign", "state": p, "agreement": ref})
    return ref


def leaks_of(events: list[dict[str, Any]], ref: str) -> list[dict[str, Any]]:
    return [e for e in events if e["kind"] == "agreement_leaked" and e["agreement"] == ref]


@dataclass
class Tally:
    hits: int = 0
    trials: int = 0


def count(
    scenario: Scenario,
    board: Board,
    setup: Callable[[Game], str],
    p: float,
    level: str = "rumour",
) -> Tally:
    """One game per seed: set up, resolve one turn, count leaks of the agreement at `level`."""
    tally = Tally()
    for seed in SEEDS:
        game = Game(scenario, seed, board)
        ref = setup(game)
        found = leaks_of(game.resolve(), ref)
        tally.trials += 1
        if found:
            (leak,) = found
            assert leak["level"] == level and leak["chance"] == round(p, 4), leak
            tally.hits += 1
    within(tally.hits, tally.trials, p)
    return tally


# --- the terms of the formula, one at a time ---------------------------------------------------------


def test_two_autocracies(classic: Scenario, board: Board) -> None:
    c = classic.rules.leaks
    p = expected_chance(c, parties=2, democracies=0)
    assert p == pytest.approx(0.03)
    count(classic, board, lambda g: agree(g, ["ger", "aus"]), p)


def test_more_parties_and_democracies_leak_more(classic: Scenario, board: Board) -> None:
    scenario = scenario_with(classic, regimes={"eng": "democracy"})
    p = expected_chance(scenario.rules.leaks, parties=3, democracies=2)
    assert p == pytest.approx(0.12)
    count(scenario, board, lambda g: agree(g, ["fra", "eng", "ger"]), p)


def test_an_intermediary_lowers_the_chance(classic: Scenario, board: Board) -> None:
    scenario = scenario_with(classic, regimes={"eng": "democracy"})
    p = expected_chance(scenario.rules.leaks, parties=3, democracies=2, intermediary=True)
    assert p == pytest.approx(0.072)
    count(scenario, board, lambda g: agree(g, ["fra", "eng", "ger"], intermediary="ita"), p)


def test_investigations_of_the_parties_raise_the_chance(classic: Scenario, board: Board) -> None:
    scenario = scenario_with(classic, treasury=10)

    def setup(game: Game) -> str:
        ref = agree(game, ["ger", "aus"])
        game.apply({"kind": "investigate", "state": "eng", "target": "ger"})
        game.apply({"kind": "investigate", "state": "fra", "target": "ger"})
        game.apply({"kind": "investigate", "state": "rus", "target": "aus"})
        game.apply({"kind": "investigate", "state": "tur", "target": "ita"})  # not a party: does not count
        return ref

    p = expected_chance(scenario.rules.leaks, parties=2, democracies=0, investigations=3)
    assert p == pytest.approx(0.21)
    count(scenario, board, setup, p)


def test_age_raises_the_chance(classic: Scenario, board: Board) -> None:
    """A secret in force from the start (a scenario agreement), rolled on its third turn among the games
    where it has not leaked yet: each turn's roll is independent of the earlier ones."""
    start = AgreementStart(
        id="old_secret", title="An old secret", parties=["ger", "aus"], visibility="secret", clauses=[FREE]
    )
    scenario = scenario_with(classic, leaks={"per_turn_of_age": 0.1}, agreements=[start])
    c = scenario.rules.leaks
    tally = Tally()
    for seed in SEEDS:
        game = Game(scenario, seed, board)
        (a,) = game.diplomacy.agreements.values()
        assert a.start_turn == 1
        if leaks_of(game.resolve() + game.resolve(), a.id):
            continue
        tally.trials += 1
        found = leaks_of(game.resolve(), a.id)
        if found:
            assert found[0]["chance"] == round(expected_chance(c, 2, 0, age=2), 4)
            tally.hits += 1
    assert tally.trials > 1000
    within(tally.hits, tally.trials, expected_chance(c, 2, 0, age=2))


def test_a_rumour_is_exposed_with_the_rumour_bonus(classic: Scenario, board: Board) -> None:
    scenario = scenario_with(classic, leaks={"base": 0.3})
    c = scenario.rules.leaks
    first = Tally()
    second = Tally()
    for seed in SEEDS:
        game = Game(scenario, seed, board)
        ref = agree(game, ["ger", "aus"])
        first.trials += 1
        if not leaks_of(game.resolve(), ref):
            continue
        first.hits += 1
        second.trials += 1
        found = leaks_of(game.resolve(), ref)
        if found:
            assert found[0]["level"] == "exposed"
            second.hits += 1
    within(first.hits, first.trials, expected_chance(c, 2, 0))
    within(second.hits, second.trials, expected_chance(c, 2, 0, age=1, rumoured=True))


def test_the_chance_never_exceeds_the_maximum(classic: Scenario, board: Board) -> None:
    scenario = scenario_with(classic, leaks={"base": 0.9})
    p = expected_chance(scenario.rules.leaks, parties=2, democracies=0)
    assert p == scenario.rules.leaks.maximum == 0.5
    count(scenario, board, lambda g: agree(g, ["ger", "aus"]), p)


def test_a_public_agreement_s_annex_leaks_straight_to_an_expose(classic: Scenario, board: Board) -> None:
    p = expected_chance(classic.rules.leaks, parties=2, democracies=1)
    count(
        classic,
        board,
        lambda g: agree(g, ["fra", "ger"], visibility="public", annex=[FREE]),
        p,
        level="exposed",
    )


def test_agreements_in_one_game_roll_independently(classic: Scenario, board: Board) -> None:
    """Two secrets of the same game: each leaks at its own rate, and both at the product of the rates."""
    scenario = scenario_with(classic, leaks={"base": 0.5})
    both = Tally()
    for seed in SEEDS:
        game = Game(scenario, seed, board)
        a, b = agree(game, ["ger", "aus"]), agree(game, ["rus", "tur"])
        events = game.resolve()
        both.trials += 1
        both.hits += bool(leaks_of(events, a)) and bool(leaks_of(events, b))
    within(both.hits, both.trials, 0.25)


def test_the_rules_formula_matches_the_documented_one(classic: Scenario) -> None:
    """leak_chance itself, over a grid of parameters (no chance involved)."""
    c = LeakConstants(
        base=0.02,
        per_extra_party=0.04,
        per_democracy=0.05,
        per_turn_of_age=0.01,
        per_investigation=0.07,
        intermediary_factor=0.5,
        rumour_bonus=0.1,
        maximum=0.45,
    )
    regimes = {"a": "democracy", "b": "autocracy", "c": "democracy", "d": "junta"}
    for parties in (("a", "b"), ("b", "d"), ("a", "b", "c"), ("a", "b", "c", "d")):
        for intermediary in (None, "e"):
            for age in (0, 3):
                for investigations in (0, 2):
                    for level in ("none", "rumour"):
                        a = Agreement(
                            id="agr-0001",
                            title="t",
                            proposer=parties[0],
                            parties=parties,
                            clauses=(),
                            annex=(),
                            visibility="secret",
                            duration=None,
                            intermediary=intermediary,
                            proposed_turn=1,
                            start_turn=1,
                        )
                        a.investigations = investigations
                        a.leak_level = level
                        demo = sum(regimes[p] == "democracy" for p in parties)
                        want = expected_chance(
                            c,
                            len(parties),
                            demo,
                            age,
                            investigations,
                            intermediary is not None,
                            level == "rumour",
                        )
                        assert leak_chance(a, regimes, 1 + age, c) == pytest.approx(want)


# --- order of leaks, and a scenario's own constants ------------------------------------------------------


def test_a_rumour_always_precedes_an_expose(classic: Scenario, board: Board) -> None:
    scenario = scenario_with(classic, leaks={"base": 0.25}, regimes={"eng": "democracy"})
    exposed = 0
    for seed in range(300):
        game = Game(scenario, seed, board)
        refs = [agree(game, ["ger", "aus"]), agree(game, ["fra", "eng", "ita"], intermediary="rus")]
        history: dict[str, list[tuple[int, str]]] = {ref: [] for ref in refs}
        for _ in range(6):
            turn = game.turn
            for event in game.resolve():
                if event["kind"] == "agreement_leaked":
                    history[event["agreement"]].append((turn, event["level"]))
            while game.phase != "movement":
                game.resolve()
        for ref, leaks in history.items():
            levels = [level for _, level in leaks]
            assert levels in ([], ["rumour"], ["rumour", "exposed"]), (seed, ref, leaks)
            if len(leaks) == 2:
                assert leaks[0][0] < leaks[1][0]  # never both in one turn
                exposed += 1
    assert exposed > 50  # the property was exercised


def test_a_scenario_s_leak_constants_override_the_defaults(
    classic: Scenario, board: Board, tmp_path: Path
) -> None:
    """The constants come from the scenario file (`rules.leaks`): the frequency follows them."""
    text = CLASSIC.read_text(encoding="utf-8")
    assert "\nrules:" not in text
    path = tmp_path / "leaky.yaml"
    path.write_text(text + "\nrules:\n  leaks:\n    base: 0.2\n    per_democracy: 0.15\n", encoding="utf-8")
    leaky = load_scenario(path)
    assert leaky.rules.leaks.base == 0.2 and leaky.rules.leaks.per_democracy == 0.15
    assert leaky.rules.leaks.rumour_bonus == classic.rules.leaks.rumour_bonus  # the rest stay default
    default_p = expected_chance(classic.rules.leaks, parties=2, democracies=1)
    leaky_p = expected_chance(leaky.rules.leaks, parties=2, democracies=1)
    assert default_p == pytest.approx(0.06) and leaky_p == pytest.approx(0.35)
    leaky_board = Board.from_scenario(leaky)
    high = count(leaky, leaky_board, lambda g: agree(g, ["fra", "ger"]), leaky_p)
    low = count(classic, board, lambda g: agree(g, ["fra", "ger"]), default_p)
    assert high.hits > 3 * low.hits

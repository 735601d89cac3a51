"""july-1914's starting agreements say what history says: for each, an order that breaks it and
one that does not, checked by the real resolution and by the forecast a player sees before Ready."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.rules.forecast import breach_forecast
from game.rules.game import Game
from game.rules.scenario import Scenario, UnitStart
from game.scenario.loader import load_scenario

JULY = Path(__file__).resolve().parents[2] / "scenarios" / "july-1914.yaml"


@pytest.fixture(scope="module")
def july() -> Scenario:
    return load_scenario(JULY)


def with_units(scenario: Scenario, extra: dict[str, list[str]]) -> Scenario:
    """The scenario with a few more starting units ("A sil"), to reach a position in one turn."""
    states = []
    for s in scenario.states:
        more = [UnitStart(type="army" if u[0] == "A" else "fleet", at=u[2:]) for u in extra.get(s.id, [])]
        states.append(s.model_copy(update={"units": [*s.units, *more]}))
    return scenario.model_copy(update={"states": states})


def play(scenario: Scenario, orders: dict[str, list[str]], agreement: str, breaker: str) -> tuple[bool, bool]:
    """(the forecast warned `breaker`, the resolution breached it) for one movement turn."""
    game = Game(scenario, 1)
    for state, given in orders.items():
        game.submit(state, given)
    ref = game.diplomacy.by_name(agreement)
    assert ref is not None
    warned = any(w.agreement == ref.id for w in breach_forecast(game, breaker))
    game.resolve()
    return warned, bool(ref.breaches) and ref.breaches[0]["breaker"] == breaker


CASES = [
    # agreement, extra units, breaking orders, keeping orders, breaker, foreseen: the seat's own
    # orders break it (a failure to help an ally under attack depends on the attacker's orders)
    (
        "belgian_guarantee",
        {},
        {"ger": ["A ruh - bel"]},
        {"fra": ["A bur - als"], "ger": ["A ruh - hol"]},
        "ger",
        True,
    ),
    ("belgian_guarantee", {}, {"fra": ["A par - bel"]}, {"fra": ["A par - pic"]}, "fra", True),
    ("triple_alliance", {}, {"ita": ["A ven - tyr"]}, {"ita": ["A ven - pie"]}, "ita", True),
    (
        "franco_russian_alliance",
        {"fra": ["A sil"]},
        {"ger": ["A pru - war"], "fra": ["A sil S A pru - war"]},
        {"ger": ["A pru - war"], "fra": ["A sil H"]},
        "fra",
        True,
    ),
    (
        "blank_cheque",
        {"ger": ["A sil"]},
        {"rus": ["A war - gal", "A ukr S A war - gal"], "ger": ["A sil - boh"]},
        {"rus": ["A war - gal", "A ukr S A war - gal"], "ger": ["A sil S A gal"]},
        "ger",
        False,
    ),
    (
        "anglo_french_naval",
        {},
        {"fra": ["F bre - eng"]},
        {"fra": ["F mar - lyo"], "gbr": ["F lon - eng"]},
        "fra",
        True,
    ),
    (
        "prinetti_barrere",
        {"ita": ["A pie"]},
        {"ita": ["A pie - mar"]},
        {"ita": ["A ven - tyr", "A pie - mil"]},
        "ita",
        True,
    ),
]


@pytest.mark.parametrize(
    ("agreement", "extra", "breaking", "keeping", "breaker", "foreseen"),
    CASES,
    ids=[f"{c[0]}-{c[4]}" for c in CASES],
)
def test_each_starting_agreement_breaks_as_history_says(
    july: Scenario,
    agreement: str,
    extra: dict[str, list[str]],
    breaking: dict[str, list[str]],
    keeping: dict[str, list[str]],
    breaker: str,
    foreseen: bool,
) -> None:
    scenario = with_units(july, extra)
    assert play(scenario, breaking, agreement, breaker) == (foreseen, True)
    assert play(scenario, keeping, agreement, breaker) == (False, False)


def test_every_starting_agreement_has_a_case(july: Scenario) -> None:
    assert {a.id for a in july.agreements} == {c[0] for c in CASES}


def test_france_may_fight_germany_in_alsace_without_breaking_a_promise(july: Scenario) -> None:
    """The trap a new player fell into: France's own objective cost it a public breach."""
    game = Game(july, 1)
    game.submit("fra", ["A bur - als"])
    assert breach_forecast(game, "fra") == []


def test_the_forecast_says_what_a_public_breach_costs(july: Scenario) -> None:
    game = Game(july, 1)
    game.submit("ger", ["A ruh - bel"])
    [warning] = breach_forecast(game, "ger")
    assert warning.title.startswith("Treaty of London (1839)") and warning.order == "A ruh - bel"
    assert warning.public and warning.told == ("all",) and warning.protected == ("bel",)
    legitimacy, reputation = game.diplomacy.legitimacy["ger"], game.diplomacy.reputation("ger")
    game.resolve()
    assert game.diplomacy.legitimacy["ger"] == legitimacy - warning.legitimacy
    assert game.diplomacy.reputation("ger") == reputation + warning.reputation < reputation


def test_a_secret_breach_is_told_only_to_those_who_know(july: Scenario) -> None:
    game = Game(july, 1)
    game.submit("fra", ["F bre - eng"])
    [warning] = breach_forecast(game, "fra")
    assert not warning.public and set(warning.told) == {"fra", "gbr"}
    assert (warning.legitimacy, warning.reputation) == (0, 0)


def test_the_forecast_tests_a_draft_and_changes_nothing(july: Scenario) -> None:
    game = Game(july, 1)
    before = (dict(game.units), dict(game.pending), game.diplomacy.conduct["ger"].copy())
    assert [w.order for w in breach_forecast(game, "ger", ["A ruh - bel", "A ber - kie", "nonsense"])] == [
        "A ruh - bel"
    ]
    assert (dict(game.units), dict(game.pending), game.diplomacy.conduct["ger"]) == before


def test_the_seat_s_view_carries_the_forecast_of_its_given_orders(july: Scenario) -> None:
    from game.rules.views import view_for

    game = Game(july, 1)
    assert view_for(game, "ger")["me"]["forecast"] == []
    game.submit("ger", ["A ruh - bel"])
    [warning] = view_for(game, "ger")["me"]["forecast"]
    assert warning["order"] == "A ruh - bel" and warning["clause_kind"] == "non_aggression"
    assert view_for(game, "bel")["me"]["forecast"] == [], "Belgium is told nothing of Germany's orders"


def test_the_forecast_does_not_say_who_discovered_a_secret(july: Scenario) -> None:
    game = Game(july, 1)
    naval = game.diplomacy.by_name("anglo_french_naval")
    assert naval is not None
    naval.known_by.add("ger")  # Germany discovered it; France was not told
    game.submit("fra", ["F bre - eng"])
    [warning] = breach_forecast(game, "fra")
    assert warning.told == ("fra", "gbr")

"""Objectives as the game stands: met, not yet, failed — the rules' answer, the seat's view of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.rules.game import Game
from game.rules.knowledge import OBSERVER
from game.rules.objectives import STATUSES, all_objective_statuses, objective_statuses
from game.rules.scenario import Scenario
from game.rules.views import view_for
from game.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def europe() -> Scenario:
    return load_scenario(SCENARIOS / "europe-1939.yaml")


@pytest.fixture(scope="module")
def july() -> Scenario:
    return load_scenario(SCENARIOS / "july-1914.yaml")


def by_kind(game: Game, state: str, kind: str) -> list[str]:
    return [o.status for o in objective_statuses(game, state) if o.kind == kind]


def test_at_the_start_what_holds_is_met_and_the_rest_is_not_yet(july: Scenario) -> None:
    game = Game(july, 1)
    fra = {o.summary: o for o in objective_statuses(game, "fra")}
    assert fra["Hold Paris"].status == "met" and fra["Hold Paris"].points == 3
    alsace = fra["Hold Alsace-Lorraine"]
    assert (alsace.status, alsace.points, alsace.worth) == ("not_yet", 0, 5)
    assert alsace.detail == "holds 0 of 1: Alsace-Lorraine ✗"
    assert all(o.status in STATUSES for objs in all_objective_statuses(game).values() for o in objs)


def test_when_the_game_ends_what_is_not_met_has_failed(july: Scenario) -> None:
    game = Game(july, 1)
    before = {s: [o.status for o in objs] for s, objs in all_objective_statuses(game).items()}
    game.phase = None  # the calendar ran out
    after = {s: [o.status for o in objs] for s, objs in all_objective_statuses(game).items()}
    for state, statuses in before.items():
        assert after[state] == ["met" if s == "met" else "failed" for s in statuses]
    assert "failed" in after["fra"]


def test_an_exposed_secret_has_failed_for_good(europe: Scenario) -> None:
    game = Game(europe, 1)
    assert by_kind(game, "ger", "keep_secret") == ["met"]
    secret = game.diplomacy.by_name("secret_protocol")
    game.apply({"kind": "leak", "state": "sov", "agreement": secret.id})
    assert by_kind(game, "ger", "keep_secret") == ["met"], "a planned leak is not yet an exposure"
    game.resolve()
    assert secret.leak_level == "exposed"
    assert by_kind(game, "ger", "keep_secret") == ["failed"]
    assert by_kind(game, "sov", "keep_secret") == ["failed"]


def test_war_between_two_states_fails_prevent_war(europe: Scenario) -> None:
    game = Game(europe, 1)
    assert by_kind(game, "gbr", "prevent_war") == ["met"]
    game.diplomacy.wars.add(("ger", "pol"))  # what an attack of one on the other records
    assert by_kind(game, "gbr", "prevent_war") == ["failed"]


def test_a_seat_sees_its_own_objectives_and_nobody_else_does(europe: Scenario) -> None:
    game = Game(europe, 1)
    view = view_for(game, "ger")
    assert view["me"]["objectives"] == [o.to_json() for o in objective_statuses(game, "ger")]
    assert "me" not in view_for(game, OBSERVER)


def test_a_quiet_leak_does_not_show_in_the_seat_s_objectives(europe: Scenario) -> None:
    """Only exposure fails a secret: a rumour the seat was not told of leaves its view as it was."""
    game = Game(europe, 1)
    before = view_for(game, "ger")["me"]["objectives"]
    game.diplomacy.by_name("secret_protocol").leak_level = "rumour"
    assert view_for(game, "ger")["me"]["objectives"] == before


def test_an_objective_about_an_agreement_the_state_does_not_know_does_not_give_its_title(
    europe: Scenario,
) -> None:
    from game.rules.scenario import KeepSecretObjective

    states = [
        s.model_copy(update={"objectives": [*s.objectives, KeepSecretObjective(agreement="secret_protocol")]})
        if s.id == "pol"
        else s
        for s in europe.states
    ]
    game = Game(europe.model_copy(update={"states": states}), 1)
    title = game.diplomacy.by_name("secret_protocol").title
    [poland] = [o for o in objective_statuses(game, "pol") if o.kind == "keep_secret"]
    assert title not in poland.summary + poland.detail and "title" not in poland.terms
    [germany] = [o for o in objective_statuses(game, "ger") if o.kind == "keep_secret"]
    assert title in germany.summary and germany.terms == {"agreement": "secret_protocol", "title": title}


def test_each_objective_carries_its_terms_with_ids(july: Scenario) -> None:
    game = Game(july, 1)
    terms = [o.terms for o in objective_statuses(game, "gbr")]
    assert terms[0] == {"territories": ["bel"], "rival": "ger"}
    assert {"count": 4} in terms

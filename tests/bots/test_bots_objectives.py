"""Bots play the scenario, not only the map: they weigh their own state's objectives, read from
their own view (`view["me"]["objectives"]`), and nothing more.

- keep_secret: a bot never leaks nor ratifies the secret it is told to keep, and denies a rumour of it;
- prevent_war: it orders no move into the territory of a state it must not go to war with;
- hold: it heads for, and takes, a territory it is told to hold;
- obtain_agreement: it proposes, and signs, an agreement holding the clause it is told to obtain.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from game.bots.aims import read_aims
from game.bots.deals import aim_offers
from game.bots.diplomat import Diplomat
from game.bots.personality import LOYAL, PERSONALITIES, SCHEMER, Personality
from game.bots.situation import Situation
from game.bots.table import Table
from game.launchers.simulate import play
from game.rules.agreements import RUMOUR
from game.rules.clauses import MutualDefence, NonAggression
from game.rules.commands import AgreementAct, Propose
from game.rules.game import Game
from game.rules.scenario import (
    AgreementStart,
    HoldObjective,
    KeepSecretObjective,
    ObtainAgreementObjective,
    PreventWarObjective,
    Scenario,
)
from game.rules.units import Unit
from game.rules.views import view_for
from game.scenario.loader import bundled_scenarios, find_scenario, load_scenario

CLASSIC = Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml"
SECRET = AgreementStart(
    id="secret_pact",
    title="The Secret Pact",
    parties=["ger", "aus"],
    visibility="secret",
    clauses=[NonAggression()],
)


@pytest.fixture(scope="module")
def classic() -> Scenario:
    return load_scenario(CLASSIC)


def told(
    scenario: Scenario, objectives: dict[str, list[Any]], agreements: tuple[AgreementStart, ...] = ()
) -> Scenario:
    """The scenario with these objectives for these states, and these agreements in force at the start."""
    states = [
        s.model_copy(update={"objectives": objectives.get(s.id, list(s.objectives))}) for s in scenario.states
    ]
    return scenario.model_copy(update={"states": states, "agreements": [*scenario.agreements, *agreements]})


def bot(scenario: Scenario, state: str, personality: Personality, seed: int) -> Diplomat:
    return Diplomat(state, personality, Table.from_scenario(scenario), seed)


# --- a bot reads its own objectives from its own view ------------------------------------------------


@pytest.mark.parametrize("name", bundled_scenarios())
def test_every_objective_of_the_bundled_scenarios_is_read_from_the_view(name: str) -> None:
    scenario = load_scenario(find_scenario(name))
    game = Game(scenario, 1)
    table = Table.from_scenario(scenario, game.board)
    for state in scenario.states:
        view = view_for(game, state.id)
        aims = read_aims(view, table).aims
        assert [a.kind for a in aims] == [o["kind"] for o in view["me"]["objectives"]], state.id
        for aim, objective in zip(aims, state.objectives, strict=True):
            assert aim.territories == tuple(getattr(objective, "territories", ())), (state.id, objective)
            assert aim.between == tuple(getattr(objective, "between", ())), (state.id, objective)
            assert aim.partner == getattr(objective, "partner", None)
            assert aim.rival == getattr(objective, "rival", None)


def test_a_bot_reads_no_objectives_but_its_own(classic: Scenario) -> None:
    scenario = told(classic, {"ger": [PreventWarObjective(between=("ger", "fra"))]})
    game = Game(scenario, 1)
    table = Table.from_scenario(scenario)
    assert Situation.read(view_for(game, "ger"), table).aims.peace_with("ger") == {"fra": 3.0}
    assert Situation.read(view_for(game, "fra"), table).aims.aims == ()


# --- keep_secret ----------------------------------------------------------------------------------------


def _own_leaks(scenario: Scenario, seeds: range) -> int:
    """Leaks and ratifications of the secret pact by a schemer that no longer trusts its partner."""
    found = 0
    for seed in seeds:
        game = Game(scenario, seed)
        game.diplomacy.trust["ger"]["aus"] = 10  # reason enough for a schemer to embarrass its partner
        ref = game.diplomacy.by_name("secret_pact").id  # type: ignore[union-attr]
        commands = bot(scenario, "ger", SCHEMER, seed).open_turn(view_for(game, "ger"))
        found += sum(
            isinstance(c, AgreementAct) and c.kind in ("leak", "ratify") and c.agreement == ref
            for c in commands
        )
    return found


def test_a_bot_never_leaks_the_secret_it_is_told_to_keep(classic: Scenario) -> None:
    untold = told(classic, {}, (SECRET,))
    keeps = told(classic, {"ger": [KeepSecretObjective(agreement="secret_pact")]}, (SECRET,))
    assert _own_leaks(untold, range(1, 13)) >= 1, (
        "without the objective the schemer leaks: the test has teeth"
    )
    assert _own_leaks(keeps, range(1, 13)) == 0


def test_bots_keep_their_secret_over_seeded_turns(classic: Scenario) -> None:
    objective = [KeepSecretObjective(agreement="secret_pact")]
    scenario = told(classic, {"ger": objective, "aus": objective}, (SECRET,))
    for seed in (1, 2):
        game = play(scenario, seed, 8, bots=dict.fromkeys((s.id for s in scenario.states), "schemer"))
        ref = game.diplomacy.by_name("secret_pact").id  # type: ignore[union-attr]
        acts = [c for c in game.commands if c.get("agreement") == ref and c.get("state") in ("ger", "aus")]
        assert not [c for c in acts if c["kind"] in ("leak", "ratify")], acts


@pytest.mark.parametrize("personality", list(PERSONALITIES))
def test_a_bot_denies_a_rumour_of_the_secret_it_keeps(classic: Scenario, personality: str) -> None:
    scenario = told(classic, {"ger": [KeepSecretObjective(agreement="secret_pact")]}, (SECRET,))
    game = Game(scenario, 3)
    pact = game.diplomacy.by_name("secret_pact")
    assert pact is not None
    pact.leak_level = RUMOUR
    commands = bot(scenario, "ger", PERSONALITIES[personality], 3).open_turn(view_for(game, "ger"))
    acts = [(c.kind, c.agreement) for c in commands if isinstance(c, AgreementAct)]
    assert ("deny", pact.id) in acts
    assert ("ratify", pact.id) not in acts and ("leak", pact.id) not in acts


# --- prevent_war -------------------------------------------------------------------------------------------


def _open_france(scenario: Scenario, seed: int) -> Game:
    """Turn 1 with a German army in Burgundy and Paris and Marseilles left empty: easy prey."""
    game = Game(scenario, seed)
    del game.units["par"], game.units["mar"]
    game.units["bur"] = Unit("ger", "army", "bur")
    return game


def _moves_into(orders: list[str], places: set[str]) -> list[str]:
    return [o for o in orders if " - " in o and o.split(" - ")[1].split()[0].split("/")[0] in places]


def test_a_bot_does_not_attack_a_state_it_must_keep_peace_with(classic: Scenario) -> None:
    peace = told(classic, {"ger": [PreventWarObjective(between=("ger", "fra"))]})
    french = {"par", "mar", "bre"}
    tempted = 0
    for seed in range(1, 7):
        for personality in PERSONALITIES.values():
            game = _open_france(classic, seed)
            tempted += bool(
                _moves_into(bot(classic, "ger", personality, seed).orders(view_for(game, "ger")), french)
            )
            game = _open_france(peace, seed)
            orders = bot(peace, "ger", personality, seed).orders(view_for(game, "ger"))
            assert not _moves_into(orders, french), (seed, personality.name, orders)
            assert any(" - " in o or " S " in o for o in orders), "it still plays its other units"
    assert tempted >= 6, "without the objective Germany takes the empty French centres: the test has teeth"


# --- hold ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("personality", list(PERSONALITIES))
def test_a_bot_takes_an_undefended_territory_it_is_told_to_hold(classic: Scenario, personality: str) -> None:
    scenario = told(classic, {"ger": [HoldObjective(territories=["bur"], points=2)]})
    for seed in range(1, 5):
        game = Game(scenario, seed)
        orders = bot(scenario, "ger", PERSONALITIES[personality], seed).orders(view_for(game, "ger"))
        assert _moves_into(orders, {"bur"}), (seed, orders)
        game.submit("ger", orders)
        game.resolve()
        assert game.units["bur"].state == "ger"


# --- obtain_agreement ------------------------------------------------------------------------------------------


def _alliances_offered(scenario: Scenario, seeds: range) -> int:
    found = 0
    for seed in seeds:
        game = Game(scenario, seed)
        commands = bot(scenario, "fra", LOYAL, seed).open_turn(view_for(game, "fra"))
        found += any(
            isinstance(c, Propose)
            and "eng" in c.parties
            and any(isinstance(k, MutualDefence) for k in (*c.clauses, *c.annex))
            for c in commands
        )
    return found


def test_a_bot_proposes_the_agreement_it_is_told_to_obtain(classic: Scenario) -> None:
    wants = told(classic, {"fra": [ObtainAgreementObjective(partner="eng", clause="mutual_defence")]})
    game = Game(wants, 1)
    sit = Situation.read(view_for(game, "fra"), Table.from_scenario(wants))
    [offer] = [o for o in aim_offers(sit, {}) if o.parties == ("fra", "eng")]
    assert offer.kind == "mutual_defence"
    offered = _alliances_offered(wants, range(1, 9))
    assert offered >= 4 and offered > _alliances_offered(classic, range(1, 9))


@pytest.mark.parametrize("personality", list(PERSONALITIES))
def test_a_bot_signs_the_agreement_it_is_told_to_obtain(classic: Scenario, personality: str) -> None:
    wants = told(classic, {"fra": [ObtainAgreementObjective(partner="eng", clause="mutual_defence")]})
    for seed in range(1, 5):
        game = Game(wants, seed)
        events = game.apply(
            {
                "kind": "propose",
                "state": "eng",
                "parties": ["eng", "fra"],
                "visibility": "public",
                "title": "Entente",
                "clauses": [{"kind": "mutual_defence"}],
            }
        )
        ref = events[0]["agreement"]
        answers = bot(wants, "fra", PERSONALITIES[personality], seed).answer(view_for(game, "fra"))
        assert any(
            isinstance(c, AgreementAct) and c.kind == "sign" and c.agreement == ref for c in answers
        ), answers

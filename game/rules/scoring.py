"""Scores: supply territories held plus the points of objectives met.

A state's score is what the final report compares; it rewards the map (one point per
supply territory held) and the scenario's own aims for that state.
"""

from __future__ import annotations

from collections.abc import Mapping

from game.rules.board import Board
from game.rules.diplomacy import Diplomacy
from game.rules.scenario import HoldObjective, PreventObjective, Scenario, SupplyObjective, SurviveObjective
from game.rules.units import Unit


def objective_points(
    scenario: Scenario, board: Board, owners: Mapping[str, str | None], state_id: str
) -> int:
    state = scenario.state(state_id)
    supply = sum(1 for t in board.supply if owners.get(t) == state_id)
    points = 0
    for objective in state.objectives:
        if isinstance(objective, HoldObjective):
            points += objective.points * sum(1 for t in objective.territories if owners.get(t) == state_id)
        elif isinstance(objective, SupplyObjective):
            points += objective.points if supply >= objective.count else 0
        elif isinstance(objective, SurviveObjective):
            homes = board.homes.get(state_id, ())
            points += objective.points if any(owners.get(t) == state_id for t in homes) else 0
        elif isinstance(objective, PreventObjective):
            points += objective.points * sum(
                1 for t in objective.territories if owners.get(t) != objective.rival
            )
    return points


def scores(
    scenario: Scenario,
    board: Board,
    owners: Mapping[str, str | None],
    units: Mapping[str, Unit],
    diplomacy: Diplomacy | None = None,
) -> dict[str, int]:
    """Score of every state, in scenario order: supply held, map objectives and diplomatic ones."""
    result: dict[str, int] = {}
    for state in scenario.states:
        supply = sum(1 for t in board.supply if owners.get(t) == state.id)
        points = supply + objective_points(scenario, board, owners, state.id)
        if diplomacy is not None:
            for objective in state.objectives:
                if objective.kind in DIPLOMATIC and diplomacy.objective_met(
                    objective.kind, state.id, objective, diplomacy.by_name
                ):
                    points += objective.points
        result[state.id] = points
    return result


DIPLOMATIC = frozenset({"keep_secret", "obtain_agreement", "legitimacy", "prevent_war"})

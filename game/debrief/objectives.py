"""Each state's objectives at the end, for the debrief: the rules' statuses, with the secrets shown.

The rules answer met / not yet / failed for every objective (`game.rules.objectives`), from
what the state itself may know.  After the game the debrief shows everything, so a kept
secret's detail also says how far it leaked without being exposed.
"""

from __future__ import annotations

from dataclasses import replace

from game.rules.game import Game
from game.rules.objectives import ObjectiveStatus, all_objective_statuses
from game.rules.scenario import KeepSecretObjective

ObjectiveResult = ObjectiveStatus
"""The debrief's name for an objective's outcome (`met`, `detail`, `points`...)."""


def objective_results(game: Game) -> dict[str, list[ObjectiveResult]]:
    """Every state's objectives as the game stands (its end, for a finished game)."""
    out = all_objective_statuses(game)
    for state in game.scenario.states:
        for i, o in enumerate(state.objectives):
            if isinstance(o, KeepSecretObjective) and (a := game.diplomacy.by_name(o.agreement)) is not None:
                r = out[state.id][i]
                out[state.id][i] = replace(
                    r, detail=f"“{a.title}”: leak level {a.leak_level}, {a.visibility}"
                )
    return out

"""Each state's objectives at the end: met or not, how far, and the points they gave.

The rules' scoring (`game.rules.scoring`) adds the points up; the debrief needs each objective
on its own, in words, so this walks the same objectives with the same tests.  A `hold` or
`deny` objective scores per territory, so it can be partly met: it counts as met when every
territory is as the objective wants.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.rules.game import Game
from game.rules.scenario import (
    HoldObjective,
    KeepSecretObjective,
    LegitimacyObjective,
    ObtainAgreementObjective,
    PreventObjective,
    PreventWarObjective,
    SupplyObjective,
    SurviveObjective,
)
from game.rules.scoring import DIPLOMATIC


@dataclass(frozen=True, slots=True)
class ObjectiveResult:
    state: str
    kind: str
    summary: str
    """What it asks, in a few words (from its kind and fields)."""
    description: str
    """The scenario's own words for it, if any."""
    met: bool
    detail: str
    points: int
    """Points it gave at the end."""


def objective_results(game: Game) -> dict[str, list[ObjectiveResult]]:
    """Every state's objectives as the game stands (its end, for a finished game)."""
    board, owners, d = game.board, game.owners, game.diplomacy
    names = {t.id: t.name for t in game.scenario.map.territories}
    state_names = {s.id: s.name for s in game.scenario.states}
    out: dict[str, list[ObjectiveResult]] = {}
    for state in game.scenario.states:
        supply = sum(1 for t in board.supply if owners.get(t) == state.id)
        results: list[ObjectiveResult] = []
        for o in state.objectives:
            if isinstance(o, HoldObjective):
                held = [t for t in o.territories if owners.get(t) == state.id]
                met, points = len(held) == len(o.territories), o.points * len(held)
                detail = f"holds {len(held)} of {len(o.territories)}: " + ", ".join(
                    f"{names.get(t, t)} {'✓' if t in held else '✗'}" for t in o.territories)
            elif isinstance(o, SupplyObjective):
                met = supply >= o.count
                points, detail = (o.points if met else 0), f"{supply} supply centres held, {o.count} wanted"
            elif isinstance(o, SurviveObjective):
                homes = board.homes.get(state.id, ())
                kept = [t for t in homes if owners.get(t) == state.id]
                met = bool(kept)
                points, detail = (o.points if met else 0), f"{len(kept)} of {len(homes)} home centres held"
            elif isinstance(o, PreventObjective):
                free = [t for t in o.territories if owners.get(t) != o.rival]
                met, points = len(free) == len(o.territories), o.points * len(free)
                rival = state_names.get(o.rival, o.rival)
                detail = f"{rival} holds {len(o.territories) - len(free)} of {len(o.territories)}: " + ", ".join(
                    f"{names.get(t, t)} {'✗' if t not in free else '✓'}" for t in o.territories)
            elif o.kind in DIPLOMATIC:
                met = d.objective_met(o.kind, state.id, o, d.by_name)
                points, detail = (o.points if met else 0), _diplomatic_detail(o, state.id, game, state_names)
            else:  # an objective kind added to the rules after this was written
                met, points, detail = False, 0, "not assessed by this report"
            summary = _summary(o, names, state_names)
            results.append(ObjectiveResult(state.id, o.kind, summary, o.description or summary, met, detail, points))
        out[state.id] = results
    return out


def _diplomatic_detail(o: object, state: str, game: Game, state_names: dict[str, str]) -> str:
    d = game.diplomacy
    if isinstance(o, KeepSecretObjective):
        a = d.by_name(o.agreement)
        if a is None:
            return "the agreement is not in this game"
        return f"“{a.title}”: leak level {a.leak_level}, {a.visibility}"
    if isinstance(o, ObtainAgreementObjective):
        return f"an active agreement with {state_names.get(o.partner, o.partner)} holding {o.clause.replace('_', ' ')}"
    if isinstance(o, LegitimacyObjective):
        return f"legitimacy {d.legitimacy.get(state, 0)}, {o.above} wanted"
    if isinstance(o, PreventWarObjective):
        first, second = o.between
        return f"between {state_names.get(first, first)} and {state_names.get(second, second)}"
    return ""


def _summary(o: object, names: dict[str, str], state_names: dict[str, str]) -> str:
    kind = getattr(o, "kind", "objective")
    if isinstance(o, HoldObjective):
        return "Hold " + ", ".join(names.get(t, t) for t in o.territories)
    if isinstance(o, SupplyObjective):
        return f"Hold {o.count} supply centres"
    if isinstance(o, SurviveObjective):
        return "Survive: keep a home centre"
    if isinstance(o, PreventObjective):
        return f"Keep {', '.join(names.get(t, t) for t in o.territories)} from {state_names.get(o.rival, o.rival)}"
    if isinstance(o, KeepSecretObjective):
        return f"Keep the secret {o.agreement.replace('_', ' ')} from exposure"
    if isinstance(o, ObtainAgreementObjective):
        return f"Obtain {o.clause.replace('_', ' ')} with {state_names.get(o.partner, o.partner)}"
    if isinstance(o, LegitimacyObjective):
        return f"End with legitimacy of {o.above} or more"
    if isinstance(o, PreventWarObjective):
        a, b = o.between
        return f"No war between {state_names.get(a, a)} and {state_names.get(b, b)}"
    return str(kind).replace("_", " ").capitalize()

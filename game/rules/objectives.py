"""Each state's objectives as the game stands: met, not yet, or failed, with the points they give.

A player, a designer's playtest and the debrief all ask the same question of the same
objectives, so the answer lives with the rules.  The status is read from what the state may
know: the map, public standing, its own agreements, and exposure (a secret is failed once it
is exposed; quieter leaks are not shown, as the seat would not know of them).

- `met`: the objective holds now (a `hold`, `supply` or `deny` objective can still be lost).
- `not_yet`: it does not hold now but still can.
- `failed`: it can no longer be met: the game is over, or something that cannot be undone
  happened (the secret was exposed, the two states went to war, the state was wiped out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from game.rules.agreements import ACTIVE, EXPOSED
from game.rules.board import Board
from game.rules.diplomacy import Diplomacy
from game.rules.scenario import (
    HoldObjective,
    KeepSecretObjective,
    LegitimacyObjective,
    ObtainAgreementObjective,
    PreventObjective,
    PreventWarObjective,
    Scenario,
    SupplyObjective,
    SurviveObjective,
)
from game.rules.units import Unit


class ScoredGame(Protocol):
    """What an objective's status reads of a game (the rules' Game is one): named here, so that this
    module need not import the game that asks it."""

    @property
    def scenario(self) -> Scenario: ...
    @property
    def board(self) -> Board: ...
    @property
    def phase(self) -> str | None: ...
    @property
    def owners(self) -> dict[str, str | None]: ...
    @property
    def units(self) -> dict[str, Unit]: ...
    @property
    def diplomacy(self) -> Diplomacy: ...


Status = Literal["met", "not_yet", "failed"]
STATUSES: tuple[Status, ...] = ("met", "not_yet", "failed")


@dataclass(frozen=True, slots=True)
class ObjectiveStatus:
    state: str
    kind: str
    summary: str
    """What it asks, in a few words (from its kind and fields)."""
    description: str
    """The scenario's own words for it, or the summary."""
    status: Status
    detail: str
    """How far it is met, in words: "holds 2 of 3: Nice ✓, Savoy ✓, Venice ✗"."""
    points: int
    """Points it gives as things stand (its points at the end)."""
    worth: int
    """Points it gives when wholly met."""
    terms: dict[str, Any] = field(default_factory=dict)
    """Its fields with ids (territories, rival, between, partner, clause, count...), for programs
    such as bots; for a secret to keep, its title where the state knows the agreement."""

    @property
    def met(self) -> bool:
        return self.status == "met"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "summary": self.summary,
            "description": self.description,
            "status": self.status,
            "detail": self.detail,
            "points": self.points,
            "worth": self.worth,
            "terms": dict(self.terms),
        }


def objective_statuses(game: ScoredGame, state_id: str) -> list[ObjectiveStatus]:
    """One state's objectives, in the scenario's order."""
    board, owners, d = game.board, game.owners, game.diplomacy
    names = {t.id: t.name for t in game.scenario.map.territories}
    state_names = {s.id: s.name for s in game.scenario.states}
    # A title only for an agreement the state knows (an objective may name one it is not party to).
    titles = {a.name: a.title for a in d.agreements.values() if state_id in a.known_by or not a.secret}
    over = game.phase is None
    supply = sum(1 for t in board.supply if owners.get(t) == state_id)
    out: list[ObjectiveStatus] = []
    for o in game.scenario.state(state_id).objectives:
        final = False  # failed for good, whatever happens next
        if isinstance(o, HoldObjective):
            held = [t for t in o.territories if owners.get(t) == state_id]
            met, points, worth = (
                len(held) == len(o.territories),
                o.points * len(held),
                o.points * len(o.territories),
            )
            detail = f"holds {len(held)} of {len(o.territories)}: " + ", ".join(
                f"{names.get(t, t)} {'✓' if t in held else '✗'}" for t in o.territories
            )
        elif isinstance(o, SupplyObjective):
            met, worth = supply >= o.count, o.points
            points, detail = (o.points if met else 0), f"{supply} supply centres held, {o.count} wanted"
        elif isinstance(o, SurviveObjective):
            homes = board.homes.get(state_id, ())
            kept = [t for t in homes if owners.get(t) == state_id]
            met, worth = bool(kept), o.points
            points, detail = (o.points if met else 0), f"{len(kept)} of {len(homes)} home centres held"
            final = not met and supply == 0 and not any(u.state == state_id for u in game.units.values())
        elif isinstance(o, PreventObjective):
            free = [t for t in o.territories if owners.get(t) != o.rival]
            met, points, worth = (
                len(free) == len(o.territories),
                o.points * len(free),
                o.points * len(o.territories),
            )
            rival = state_names.get(o.rival, o.rival)
            detail = f"{rival} holds {len(o.territories) - len(free)} of {len(o.territories)}: " + ", ".join(
                f"{names.get(t, t)} {'✓' if t in free else '✗'}" for t in o.territories
            )
        elif isinstance(o, KeepSecretObjective):
            a = d.by_name(o.agreement)
            worth = o.points
            if a is None:
                met, detail = False, "the agreement is not in this game"
            else:
                exposed = a.leak_level == EXPOSED or a.visibility != "secret"
                title = titles.get(o.agreement, o.agreement.replace("_", " "))
                met, detail = not exposed, f"“{title}”: " + ("exposed" if exposed else "still secret")
            final, points = not met, (o.points if met else 0)
        elif isinstance(o, ObtainAgreementObjective):
            met, worth = d.objective_met(o.kind, state_id, o, d.by_name), o.points
            points = o.points if met else 0
            partner = state_names.get(o.partner, o.partner)
            held = [
                a.title
                for a in d.agreements.values()
                if a.status == ACTIVE and state_id in a.parties and o.partner in a.parties
            ]
            detail = f"an active agreement with {partner} holding {o.clause.replace('_', ' ')}" + (
                f" (in force with {partner}: {', '.join(held)})" if held and not met else ""
            )
        elif isinstance(o, LegitimacyObjective):
            met, worth = d.legitimacy.get(state_id, 0) >= o.above, o.points
            points, detail = (
                (o.points if met else 0),
                f"legitimacy {d.legitimacy.get(state_id, 0)}, {o.above} wanted",
            )
        elif isinstance(o, PreventWarObjective):
            met, worth = d.objective_met(o.kind, state_id, o, d.by_name), o.points
            first, second = o.between
            detail = f"between {state_names.get(first, first)} and {state_names.get(second, second)}: " + (
                "no attack so far" if met else "they have fought"
            )
            final, points = not met, (o.points if met else 0)
        else:  # pragma: no cover - the Objective union is closed; a new kind must be added here
            raise TypeError(f"objective kind {o.kind!r} has no status")
        status: Status = "met" if met else ("failed" if final or over else "not_yet")
        summary = objective_summary(o, names, state_names, titles)
        terms = o.model_dump(exclude={"kind", "points", "description"}, mode="json")
        if isinstance(o, KeepSecretObjective) and o.agreement in titles:
            terms["title"] = titles[o.agreement]
        out.append(
            ObjectiveStatus(
                state_id, o.kind, summary, o.description or summary, status, detail, points, worth, terms
            )
        )
    return out


def all_objective_statuses(game: ScoredGame) -> dict[str, list[ObjectiveStatus]]:
    """Every state's objectives (the umpire's, the record's and the debrief's question)."""
    return {s.id: objective_statuses(game, s.id) for s in game.scenario.states}


def objective_summary(
    o: object, names: dict[str, str], state_names: dict[str, str], titles: dict[str, str] | None = None
) -> str:
    """An objective in a few plain words, from its kind and fields (`titles`: agreement titles by id)."""
    if isinstance(o, HoldObjective):
        return "Hold " + ", ".join(names.get(t, t) for t in o.territories)
    if isinstance(o, SupplyObjective):
        return f"Hold {o.count} supply centres"
    if isinstance(o, SurviveObjective):
        return "Survive: keep a home centre"
    if isinstance(o, PreventObjective):
        return f"Keep {', '.join(names.get(t, t) for t in o.territories)} from {state_names.get(o.rival, o.rival)}"
    if isinstance(o, KeepSecretObjective):
        title = (titles or {}).get(o.agreement)
        return (
            f"Keep “{title}” secret"
            if title
            else f"Keep the secret {o.agreement.replace('_', ' ')} from exposure"
        )
    if isinstance(o, ObtainAgreementObjective):
        return f"Obtain {o.clause.replace('_', ' ')} with {state_names.get(o.partner, o.partner)}"
    if isinstance(o, LegitimacyObjective):
        return f"End with legitimacy of {o.above} or more"
    if isinstance(o, PreventWarObjective):
        a, b = o.between
        return f"No war between {state_names.get(a, a)} and {state_names.get(b, b)}"
    return str(getattr(o, "kind", "objective")).replace("_", " ").capitalize()


__all__ = [
    "STATUSES",
    "ObjectiveStatus",
    "Status",
    "all_objective_statuses",
    "objective_statuses",
    "objective_summary",
]

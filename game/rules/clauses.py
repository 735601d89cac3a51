"""Clauses of agreements: what states promise each other, in machine-checkable form.

Each clause kind is a pydantic model (the same models serve scenario files, commands and
the wire).  Every kind but free text is checked against the orders and results of each
turn (`game.rules.breaches`); a free-text clause is breached only by a party's own
declaration.  `against` names states a clause is aimed at, beyond what the clause itself
implies: they lose trust in the parties when the clause is exposed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

StateId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$", description="A state id.")]
TerritoryId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$", description="A territory id.")]


def _pair(value: Any) -> Any:
    """A pair arrives as a list on the wire (msgpack) and in JSON: read it as the tuple it is, also
    when the protocol validates strictly."""
    return tuple(value) if isinstance(value, list) else value


class ClauseModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    against: list[StateId] = Field(
        default_factory=list,
        max_length=12,
        description="States this clause is aimed at (they resent it if exposed).",
    )


class NonAggression(ClauseModel):
    """The states named (all parties by default) do not attack each other's units or territories,
    nor support an attack on them."""

    kind: Literal["non_aggression"] = "non_aggression"
    between: list[StateId] = Field(default_factory=list, max_length=12, description="Empty: all parties.")


class MutualDefence(ClauseModel):
    """When a third state attacks a member's unit or territory, every other member that could
    support the defence (or strike back at the attacker) does so, and none helps the attacker."""

    kind: Literal["mutual_defence"] = "mutual_defence"
    members: list[StateId] = Field(default_factory=list, max_length=12, description="Empty: all parties.")


class SupportPromise(ClauseModel):
    """`by`'s unit at `unit_at` supports the unit at `target` (to hold, or to move to `dest`) on a turn."""

    kind: Literal["support_promise"] = "support_promise"
    by: StateId
    unit_at: TerritoryId = Field(description="Territory of the promised supporting unit.")
    target: TerritoryId = Field(description="Territory of the unit to be supported.")
    dest: TerritoryId | None = Field(
        None, description="Where the supported unit moves; none: support to hold."
    )
    turn: int | None = Field(
        None, ge=1, description="Movement turn it is due; none: the first turn it is active."
    )


class Cession(ClauseModel):
    """`territory` passes to `to` by the end of movement turn `by_turn` (the holder withdraws)."""

    kind: Literal["cession"] = "cession"
    territory: TerritoryId
    to: StateId
    by_turn: int = Field(
        ge=1, description="The movement turn by whose end the territory must be held by `to`."
    )


class DemilitarisedZone(ClauseModel):
    """No party moves a unit into, or keeps one in, these territories."""

    kind: Literal["demilitarised_zone"] = "demilitarised_zone"
    territories: list[TerritoryId] = Field(min_length=1, max_length=50)


class Sphere(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    state: StateId
    territories: list[TerritoryId] = Field(min_length=1, max_length=100)


class SpheresOfInfluence(ClauseModel):
    """Each party keeps out of the territories in another party's sphere."""

    kind: Literal["spheres_of_influence"] = "spheres_of_influence"
    spheres: list[Sphere] = Field(min_length=1, max_length=12)


class Neutrality(ClauseModel):
    """The neutral parties take no side in the conflict between two states: they neither attack
    nor support an attack on either, nor support either's attacks."""

    kind: Literal["neutrality"] = "neutrality"
    conflict: Annotated[tuple[StateId, StateId], BeforeValidator(_pair)] = Field(
        description="The two states at war."
    )
    neutral: list[StateId] = Field(
        default_factory=list, max_length=12, description="Empty: every party not in the conflict."
    )


class Tribute(ClauseModel):
    """`payer` pays `payee` `amount` each year (with `pay` orders) before the year's end."""

    kind: Literal["tribute"] = "tribute"
    payer: StateId
    payee: StateId
    amount: int = Field(ge=1, le=1000)


class IntelligenceSharing(ClauseModel):
    """What any party learns by investigation or intercept, the others learn too; a party does
    not spy on another."""

    kind: Literal["intelligence_sharing"] = "intelligence_sharing"


class FreeText(ClauseModel):
    """Anything else, in words: only a party's own declaration can breach it."""

    kind: Literal["free_text"] = "free_text"
    text: str = Field(min_length=1, max_length=500)


Clause = Annotated[
    NonAggression
    | MutualDefence
    | SupportPromise
    | Cession
    | DemilitarisedZone
    | SpheresOfInfluence
    | Neutrality
    | Tribute
    | IntelligenceSharing
    | FreeText,
    Field(discriminator="kind"),
]

CLAUSE_KINDS = (
    "non_aggression",
    "mutual_defence",
    "support_promise",
    "cession",
    "demilitarised_zone",
    "spheres_of_influence",
    "neutrality",
    "tribute",
    "intelligence_sharing",
    "free_text",
)


def clause_states(clause: ClauseModel) -> set[str]:
    """Every state a clause names."""
    named: set[str] = set(clause.against)
    if isinstance(clause, NonAggression):
        named.update(clause.between)
    elif isinstance(clause, MutualDefence):
        named.update(clause.members)
    elif isinstance(clause, SupportPromise):
        named.add(clause.by)
    elif isinstance(clause, Cession):
        named.add(clause.to)
    elif isinstance(clause, SpheresOfInfluence):
        named.update(s.state for s in clause.spheres)
    elif isinstance(clause, Neutrality):
        named.update(clause.conflict)
        named.update(clause.neutral)
    elif isinstance(clause, Tribute):
        named.update((clause.payer, clause.payee))
    return named


def clause_territories(clause: ClauseModel) -> set[str]:
    """Every territory a clause names."""
    if isinstance(clause, SupportPromise):
        return {t for t in (clause.unit_at, clause.target, clause.dest) if t}
    if isinstance(clause, Cession):
        return {clause.territory}
    if isinstance(clause, DemilitarisedZone):
        return set(clause.territories)
    if isinstance(clause, SpheresOfInfluence):
        return {t for s in clause.spheres for t in s.territories}
    return set()


def describe(clause: ClauseModel) -> str:
    """One line in plain words, for reports and bots' logs."""
    if isinstance(clause, NonAggression):
        return "non-aggression" + (f" between {', '.join(clause.between)}" if clause.between else "")
    if isinstance(clause, MutualDefence):
        return "mutual defence" + (f" of {', '.join(clause.members)}" if clause.members else "")
    if isinstance(clause, SupportPromise):
        what = f"the move {clause.target} - {clause.dest}" if clause.dest else f"the unit at {clause.target}"
        when = f" on turn {clause.turn}" if clause.turn else ""
        return f"{clause.by}'s unit at {clause.unit_at} supports {what}{when}"
    if isinstance(clause, Cession):
        return f"{clause.territory} passes to {clause.to} by turn {clause.by_turn}"
    if isinstance(clause, DemilitarisedZone):
        return f"demilitarised zone: {', '.join(clause.territories)}"
    if isinstance(clause, SpheresOfInfluence):
        return "spheres of influence: " + "; ".join(
            f"{s.state}: {', '.join(s.territories)}" for s in clause.spheres
        )
    if isinstance(clause, Neutrality):
        who = ", ".join(clause.neutral) if clause.neutral else "the other parties"
        return f"{who} neutral in the conflict of {clause.conflict[0]} and {clause.conflict[1]}"
    if isinstance(clause, Tribute):
        return f"{clause.payer} pays {clause.payee} {clause.amount} a year"
    if isinstance(clause, IntelligenceSharing):
        return "intelligence sharing"
    if isinstance(clause, FreeText):
        return clause.text
    return "clause"

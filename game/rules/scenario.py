"""The scenario model: what a scenario file holds, validated by pydantic.

These models are the one definition of the scenario format.  The loader in
``game.scenario`` reads YAML into them (adding file and line to every error),
the JSON Schema for editors is exported from them, and the rules compile a
``Scenario`` into a ``Board`` (``game.rules.board``).  Every field carries a
description because the schema and docs/scenario-format.md are built from them.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from game.rules.clauses import Clause

SCENARIO_FORMAT = "backchannel-scenario/1"

ID_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"
"""Ids are short lower-case words, so orders stay readable (`A par - bur`)."""

Id = Annotated[
    str,
    Field(pattern=ID_PATTERN, description="A short lower-case id: a letter, then letters, digits or _."),
]
Point = Annotated[
    tuple[float, float],
    Field(description="A point [x, y] on the scenario's canvas; x grows to the right, y downwards."),
]


def _parse_ring(value: object) -> object:
    """A ring may be written compactly as one string `"x,y x,y x,y"`: the map builder writes rings so,
    because a YAML parser reads one long scalar far faster than hundreds of tiny lists."""
    if not isinstance(value, str):
        return value
    points = []
    for pair in value.split():
        x, sep, y = pair.partition(",")
        if not sep:
            raise ValueError(f"a ring string is 'x,y x,y ...'; {pair!r} has no comma")
        try:
            points.append((float(x), float(y)))
        except ValueError:
            raise ValueError(f"{pair!r} is not a point 'x,y' of two numbers") from None
    return points


def format_ring(ring: list[tuple[float, float]]) -> str:
    """The compact string form of a ring, with coordinates to one decimal."""
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in ring)


_RING_SCHEMA = {
    "anyOf": [
        {
            "type": "array",
            "minItems": 3,
            "items": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number"}},
        },
        {"type": "string", "pattern": r"^\s*-?[0-9.]+,-?[0-9.]+(\s+-?[0-9.]+,-?[0-9.]+){2,}\s*$"},
    ],
    "description": "A closed ring of at least three points, as [[x, y], ...] or as one string 'x,y x,y x,y'; "
    "the last point is not repeated.",
}

Ring = Annotated[
    list[Point],
    BeforeValidator(_parse_ring),
    Field(min_length=3, description="A closed ring of points; the last point is not repeated."),
    WithJsonSchema(_RING_SCHEMA),
]
UnitType = Literal["army", "fleet"]
TerritoryKind = Literal["land", "sea", "coast"]
Regime = Literal["democracy", "constitutional_monarchy", "autocracy", "theocracy", "junta", "other"]

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class Model(BaseModel):
    """Base for every scenario model: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Coast(Model):
    """A named coast of a territory that touches two separate seas (e.g. Spain's north coast).

    A fleet in such a territory is on one of its coasts and moves only along it.
    """

    id: Id = Field(description="Coast id, used in orders after a slash: `F spa/nc - mao` (e.g. nc, sc, ec).")
    name: str = Field(min_length=1, max_length=60, description="Display name, e.g. 'north coast'.")
    neighbours: list[str] = Field(
        min_length=1,
        description="Locations a fleet on this coast can reach: sea territory ids, coastal territory ids, "
        "or `territory/coast` for a neighbour's named coast.",
    )


class Territory(Model):
    """One territory of the map."""

    id: Id = Field(description="Territory id used in orders and references, e.g. `par`.")
    name: str = Field(min_length=1, max_length=60, description="Display name, e.g. 'Paris'.")
    kind: TerritoryKind = Field(
        description="land (armies only), sea (fleets only) or coast (land touching the sea: armies and fleets)."
    )
    # strict: only true and false are booleans; pydantic would otherwise read "yes" or "no" as one.
    supply: bool = Field(
        False, strict=True, description="A supply territory: each one held supports one unit."
    )
    value: int = Field(
        0,
        ge=0,
        le=100,
        description="Income into the holder's treasury each year, and its weight in the score.",
    )
    home: Id | None = Field(None, description="State whose home territory this is: it may build here.")
    holder: Id | None = Field(None, description="State that holds the territory when the game starts.")
    polygons: list[Ring] = Field(
        default_factory=list,
        description="Outline on the canvas, one ring per part (an island is its own part). Written by the "
        "map builder; neighbours are derived from the edges territories share.",
    )
    holes: list[Ring] = Field(
        default_factory=list, description="Rings cut out of the polygons (e.g. a lake)."
    )
    label: Point | None = Field(
        None, description="Where the territory's name is drawn; inside the territory."
    )
    coasts: list[Coast] = Field(
        default_factory=list,
        description="Named coasts, only for a coast territory touching separate seas; otherwise empty.",
    )

    @model_validator(mode="after")
    def _coasts_only_on_coast(self) -> Territory:
        if self.coasts and self.kind != "coast":
            raise ValueError(f"territory {self.id!r} is {self.kind} and cannot have named coasts")
        if self.kind == "sea" and (self.supply and self.home):
            raise ValueError(f"sea territory {self.id!r} cannot be a home territory")
        return self


class Link(Model):
    """A link between two territories that overrides what their polygons say (a strait, a pass)."""

    between: tuple[str, str] = Field(
        description="Two locations: territory ids, or `territory/coast` for a fleet link to a named coast."
    )
    units: list[UnitType] = Field(
        default_factory=lambda: list[UnitType](["army", "fleet"]),
        description="Which units the link is for: army, fleet or both.",
    )


class Projection(Model):
    """How the map builder turned longitude and latitude into canvas coordinates (informative)."""

    name: str = Field(description="Projection name, e.g. lambert_conformal_conic.")
    bounds: tuple[float, float, float, float] = Field(
        description="Region of play as [west, south, east, north] in degrees."
    )
    parameters: dict[str, float] = Field(default_factory=dict, description="Projection parameters.")


class MapSection(Model):
    """The map: a canvas, its territories and any links that override the polygons."""

    width: float = Field(gt=0, description="Canvas width in scenario units.")
    height: float = Field(gt=0, description="Canvas height in scenario units.")
    projection: Projection | None = Field(None, description="Set by the map builder; not used by the rules.")
    territories: list[Territory] = Field(min_length=2, description="Every territory of the map.")
    add_links: list[Link] = Field(
        default_factory=list, description="Links to add to those the polygons give."
    )
    remove_links: list[Link] = Field(
        default_factory=list, description="Links to remove from those the polygons give."
    )


class UnitStart(Model):
    """A unit on the board when the game starts."""

    type: UnitType = Field(description="army or fleet.")
    at: str = Field(
        description="Where it stands: a territory id, or `territory/coast` for a fleet on a named coast."
    )


class HoldObjective(Model):
    """Hold these territories at the end of the game."""

    kind: Literal["hold"] = Field("hold", description="`hold`: which kind of objective this is.")
    territories: list[str] = Field(min_length=1, description="Territory ids to hold.")
    points: int = Field(1, ge=0, le=100, description="Points for each territory held at the end.")
    description: str = Field("", max_length=300, description="The objective in the state's own words.")


class SupplyObjective(Model):
    """Hold at least this many supply territories at the end."""

    kind: Literal["supply"] = Field("supply", description="`supply`: which kind of objective this is.")
    count: int = Field(ge=1, description="Number of supply territories to hold.")
    points: int = Field(5, ge=0, le=100, description="Points if met.")
    description: str = Field("", max_length=300, description="The objective in the state's own words.")


class SurviveObjective(Model):
    """Still hold at least one home territory at the end."""

    kind: Literal["survive"] = Field("survive", description="`survive`: which kind of objective this is.")
    points: int = Field(3, ge=0, le=100, description="Points if met.")
    description: str = Field("", max_length=300, description="The objective in the state's own words.")


class PreventObjective(Model):
    """Keep a territory out of another state's hands at the end of the game."""

    kind: Literal["deny"] = Field("deny", description="`deny`: which kind of objective this is.")
    territories: list[str] = Field(min_length=1, description="Territory ids that `rival` must not hold.")
    rival: Id = Field(description="The state that must not hold them.")
    points: int = Field(1, ge=0, le=100, description="Points for each territory the rival does not hold.")
    description: str = Field("", max_length=300, description="The objective in the state's own words.")


class KeepSecretObjective(Model):
    """Keep one of the scenario's secret agreements from being exposed until the end."""

    kind: Literal["keep_secret"] = "keep_secret"
    agreement: Id = Field(description="Id of an agreement in the scenario's `agreements`.")
    points: int = Field(3, ge=0, le=100, description="Points if it is never exposed.")
    description: str = Field("", max_length=300, description="The objective in the state's own words.")


class ObtainAgreementObjective(Model):
    """End the game with an active agreement with a state that holds a clause of a given kind
    (e.g. a British guarantee: mutual defence with gbr)."""

    kind: Literal["obtain_agreement"] = "obtain_agreement"
    partner: Id = Field(description="The state the agreement must be with.")
    clause: str = Field(
        description="Clause kind it must hold, e.g. mutual_defence, non_aggression, neutrality."
    )
    public: bool | None = Field(None, description="true: it must be public; false: secret; none: either.")
    points: int = Field(3, ge=0, le=100, description="Points if met.")
    description: str = Field("", max_length=300, description="The objective in the state's own words.")


class LegitimacyObjective(Model):
    """End with domestic legitimacy at or above a level."""

    kind: Literal["legitimacy"] = "legitimacy"
    above: int = Field(ge=0, le=100, description="Legitimacy to reach or keep.")
    points: int = Field(2, ge=0, le=100, description="Points if met.")
    description: str = Field("", max_length=300, description="The objective in the state's own words.")


class PreventWarObjective(Model):
    """No attack between two states during the whole game."""

    kind: Literal["prevent_war"] = "prevent_war"
    between: tuple[Id, Id] = Field(description="The two states that must not fight.")
    points: int = Field(3, ge=0, le=100, description="Points if no unit of either ever attacked the other.")
    description: str = Field("", max_length=300, description="The objective in the state's own words.")


Objective = Annotated[
    HoldObjective
    | SupplyObjective
    | SurviveObjective
    | PreventObjective
    | KeepSecretObjective
    | ObtainAgreementObjective
    | LegitimacyObjective
    | PreventWarObjective,
    Field(discriminator="kind"),
]


class State(Model):
    """A state (power) of the scenario."""

    id: Id = Field(description="State id, e.g. `fra`.")
    name: str = Field(min_length=1, max_length=60, description="Display name, e.g. 'France'.")
    adjective: str = Field("", max_length=60, description="e.g. 'French'; used in reports.")
    colour: str = Field(
        description="Map colour as #rrggbb; a colour-blind-safe palette is advised.",
        json_schema_extra={"pattern": _COLOUR.pattern},  # for editors; the validator below checks it
    )
    regime: Regime = Field("other", description="Form of government; it changes how leaks hurt the state.")
    legitimacy: int = Field(60, ge=0, le=100, description="Starting domestic legitimacy, 0 to 100.")
    legitimacy_threshold: int = Field(
        20, ge=0, le=100, description="Below this the government falls and its secret agreements lapse."
    )
    treasury: int = Field(0, ge=0, description="Starting treasury.")
    playable: bool = Field(
        True, strict=True, description="Whether a person may take this state; minor states are usually not."
    )
    controller: Literal["player", "bot", "none"] = Field(
        "player",
        description="Who plays it by default: a player's seat, a bot, or nobody (its units hold).",
    )
    units: list[UnitStart] = Field(default_factory=list, description="Units on the board at the start.")
    objectives: list[Objective] = Field(
        default_factory=list, description="What this state is trying to achieve."
    )
    briefing: str = Field(
        "", max_length=4000, description="The state's own briefing: its situation and aims."
    )

    @field_validator("colour")
    @classmethod
    def _colour_is_hex(cls, value: str) -> str:
        if not _COLOUR.match(value):
            raise ValueError(f"colour must look like #1f77b4, not {value!r}")
        return value.lower()


class Calendar(Model):
    """When the game starts, how a year divides into turns and when it ends."""

    start_year: int = Field(description="Year of the first turn.")
    seasons: list[str] = Field(
        default_factory=lambda: ["spring", "autumn"],
        min_length=1,
        max_length=12,
        description="Movement turns of one year, in order; adjustments come after the last.",
    )
    end_year: int | None = Field(
        None, description="The game ends after this year's adjustments; none: no limit."
    )

    @model_validator(mode="after")
    def _end_after_start(self) -> Calendar:
        if self.end_year is not None and self.end_year < self.start_year:
            raise ValueError(f"end_year {self.end_year} is before start_year {self.start_year}")
        return self


class Victory(Model):
    """How the game is won outright, if it is."""

    supply_fraction: float = Field(
        0.5,
        gt=0,
        le=1,
        description="A state holding more than this fraction of all supply territories wins outright.",
    )
    description: str = Field("", max_length=1000, description="What victory means in this scenario.")


class Source(Model):
    """A source the scenario's history draws on."""

    title: str = Field(min_length=1, max_length=300, description="Title of the book, article or archive.")
    author: str = Field("", max_length=200, description="Author or editor.")
    year: int | None = Field(None, description="Year of publication.")
    url: str = Field("", max_length=500, description="Where to find it online, if anywhere.")


class LeakConstants(Model):
    """Constants of the leak formula (docs/rules.md, "Leaks").  Each turn a secret agreement leaks with
    chance  min(maximum, (base + per_extra_party·(parties − 2) + per_democracy·democracies
    + per_turn_of_age·age + per_investigation·investigations) × (intermediary_factor if negotiated
    through an intermediary)); an agreement already rumoured is exposed with that chance plus
    `rumour_bonus`."""

    base: float = Field(0.03, ge=0, le=1, description="Chance for a two-party secret among autocracies, new.")
    per_extra_party: float = Field(0.03, ge=0, le=1, description="Added for each party beyond two.")
    per_democracy: float = Field(
        0.03, ge=0, le=1, description="Added for each democratic party (press, parliament)."
    )
    per_turn_of_age: float = Field(0.005, ge=0, le=1, description="Added for each turn since signature.")
    per_investigation: float = Field(
        0.06, ge=0, le=1, description="Added for each investigation of a party this turn."
    )
    intermediary_factor: float = Field(
        0.6, ge=0, le=1, description="Multiplies the chance when an intermediary was used."
    )
    rumour_bonus: float = Field(0.08, ge=0, le=1, description="Added when the agreement is already rumoured.")
    maximum: float = Field(0.5, ge=0, le=1, description="The chance never exceeds this.")


class IntelligenceConstants(Model):
    """Costs and chances of intelligence actions."""

    investigate_cost: int = Field(2, ge=0, description="Treasury cost of investigating a state.")
    investigate_chance: float = Field(
        0.35, ge=0, le=1, description="Chance to discover one of its secret agreements."
    )
    intercept_cost: int = Field(1, ge=0, description="Treasury cost of intercepting a state's messages.")
    intercept_chance: float = Field(
        0.4, ge=0, le=1, description="Chance to read some of its private messages of the turn."
    )
    intercept_messages: int = Field(2, ge=1, le=20, description="At most this many messages are read.")
    propaganda_cost: int = Field(2, ge=0, description="Treasury cost of a propaganda campaign at home.")
    propaganda_gain: int = Field(4, ge=0, le=100, description="Legitimacy a propaganda campaign brings.")


class ConsequenceConstants(Model):
    """How trust and legitimacy move."""

    trust_start: int = Field(
        50, ge=0, le=100, description="Trust between states at the start, unless `relations` says."
    )
    trust_breach_victim: int = Field(
        25, ge=0, le=100, description="Trust the protected state loses in the breaker."
    )
    trust_breach_witness: int = Field(
        8, ge=0, le=100, description="Trust others who know the agreement lose in the breaker."
    )
    trust_kept: int = Field(
        6, ge=0, le=100, description="Trust parties gain in each other when an agreement is kept to its end."
    )
    trust_exposed_target: int = Field(
        15, ge=0, le=100, description="Trust a targeted state loses in each party of an exposed secret."
    )
    trust_attack: int = Field(
        4,
        ge=0,
        le=100,
        description="Trust a state loses in one that dislodges its unit or takes its territory.",
    )
    trust_cut_across: int = Field(
        10,
        ge=0,
        le=100,
        description="Trust a secret partner loses when a partner signs a public agreement that cuts across theirs.",
    )
    legitimacy_exposure: int = Field(
        8, ge=0, le=100, description="Legitimacy an exposed party loses at a credibility gap of 1."
    )
    legitimacy_breach: int = Field(
        3, ge=0, le=100, description="Legitimacy lost by a state whose breach becomes public."
    )
    legitimacy_ratify: int = Field(
        3, ge=0, le=100, description="Legitimacy gained by ratifying a secret agreement in public."
    )
    legitimacy_supply_gain: int = Field(
        1, ge=0, le=100, description="Legitimacy per supply territory captured."
    )
    legitimacy_supply_loss: int = Field(2, ge=0, le=100, description="Legitimacy per supply territory lost.")
    justification_factor: float = Field(
        0.5, ge=0, le=1, description="Share of the domestic backlash left after a public justification."
    )
    regime_factor: dict[str, float] = Field(
        default_factory=lambda: {
            "democracy": 1.5,
            "constitutional_monarchy": 1.0,
            "autocracy": 0.6,
            "theocracy": 0.8,
            "junta": 0.5,
            "other": 1.0,
        },
        description="How much an exposure hurts each regime at home.",
    )


class RuleConstants(Model):
    """Constants of the diplomatic rules a scenario may override."""

    leaks: LeakConstants = Field(default_factory=LeakConstants)
    intelligence: IntelligenceConstants = Field(default_factory=IntelligenceConstants)
    consequences: ConsequenceConstants = Field(default_factory=ConsequenceConstants)


class Relation(Model):
    """Starting trust between two states (both ways)."""

    between: tuple[Id, Id]
    trust: int = Field(ge=0, le=100)


class AgreementStart(Model):
    """An agreement in force when the game starts (an alliance of history, public or secret)."""

    id: Id = Field(description="Scenario id of the agreement, used by objectives (e.g. `blank_cheque`).")
    title: str = Field(min_length=1, max_length=120, description="Its name, e.g. 'The Triple Alliance'.")
    parties: list[Id] = Field(min_length=2, max_length=12, description="The states bound by it.")
    visibility: Literal["public", "secret"] = Field(
        description="public, or secret (known only to those who know)."
    )
    clauses: list[Clause] = Field(min_length=1, max_length=20, description="Its clauses.")
    annex: list[Clause] = Field(
        default_factory=list, max_length=20, description="Secret annex of a public agreement."
    )
    duration: int | None = Field(None, ge=1, description="Movement turns it lasts; none: until renounced.")
    intermediary: Id | None = Field(None, description="A third state through which it was negotiated.")
    known_by: list[Id] = Field(
        default_factory=list, description="Other states that know of a secret one at the start."
    )
    note: str = Field("", max_length=1000, description="Its history, for the debrief.")


# --- injects: events the umpire releases (game/rules/injects.py applies them) ---------------------


class LegitimacyEffect(Model):
    """A state's legitimacy moves (a scandal, a rally round the flag).  Legitimacy is public, so
    everyone learns the change, whoever the card is told to."""

    kind: Literal["legitimacy"] = Field(
        "legitimacy", description="`legitimacy`: which kind of effect this is."
    )
    state: Id = Field(description="The state whose legitimacy moves.")
    delta: int = Field(
        ge=-100, le=100, description="Points added (negative: taken away); legitimacy stays within 0 to 100."
    )


class TreasuryEffect(Model):
    """Money into or out of a state's treasury (a war loan, a blockade).  A treasury is its state's
    own business: only that state (and the umpire) learns the change."""

    kind: Literal["treasury"] = Field("treasury", description="`treasury`: which kind of effect this is.")
    state: Id = Field(description="The state whose treasury changes.")
    delta: int = Field(
        ge=-100_000,
        le=100_000,
        description="Added to the treasury (negative: taken away; it never falls below 0).",
    )


class PlaceUnitEffect(Model):
    """A new unit appears on the board (mobilised reserves, a landing).  The map is public."""

    kind: Literal["place_unit"] = Field(
        "place_unit", description="`place_unit`: which kind of effect this is."
    )
    state: Id = Field(description="The state the unit belongs to.")
    type: UnitType = Field(description="army or fleet.")
    at: str = Field(
        max_length=65,
        description="Where it stands: a territory id, or `territory/coast` for a fleet on a named coast. "
        "The place must be free when the inject is released.",
    )


class RemoveUnitEffect(Model):
    """The unit in a territory leaves the board (a mutiny, troops sent overseas).  The map is public."""

    kind: Literal["remove_unit"] = Field(
        "remove_unit", description="`remove_unit`: which kind of effect this is."
    )
    at: str = Field(max_length=65, description="Territory id of the unit removed, whoever's it is.")


class RevealAgreementEffect(Model):
    """A secret agreement (or a public one's secret annex) is exposed to everyone, as a leak would
    expose it, with the same backlash at home and lost trust abroad."""

    kind: Literal["reveal_agreement"] = Field(
        "reveal_agreement", description="`reveal_agreement`: which kind of effect this is."
    )
    agreement: str = Field(
        pattern=r"^([a-z][a-z0-9_]{0,31}|agr-[0-9]{8})$",
        description="In a scenario file: the id of one of its `agreements`. On the spot: that id, or a "
        "game's agreement id (agr-40718263).",
    )


Effect = Annotated[
    LegitimacyEffect | TreasuryEffect | PlaceUnitEffect | RemoveUnitEffect | RevealAgreementEffect,
    Field(discriminator="kind"),
]


def _audience_form(value: object) -> str:
    """Which form an audience is written in, so that a mistake is explained once, in that form's terms."""
    return "all" if isinstance(value, str) else "states"


def _audience_words(value: object) -> object:
    if isinstance(value, str) and value != "all":
        raise ValueError(f"an audience is all, or a list of state ids such as [{value}]; not {value!r}")
    if not isinstance(value, str | list):
        raise ValueError("an audience is all, or a list of state ids such as [fra, ger]")
    return value


InjectAudience = Annotated[
    Annotated[Literal["all"], Tag("all")]
    | Annotated[list[Id], Field(min_length=1, max_length=32), Tag("states")],
    Discriminator(_audience_form),
    BeforeValidator(_audience_words),
    Field(description="`all` (public news), or the list of states it is told to (a private report)."),
]


class InjectCard(Model):
    """An event card the umpire writes on the spot: the same fields as a prepared inject but `id`
    and `turn`."""

    title: str = Field(min_length=1, max_length=120, description="Its headline.")
    text: str = Field("", max_length=4000, description="What the card says.")
    audience: InjectAudience
    effects: list[Effect] = Field(
        default_factory=list, max_length=20, description="What the rules apply, in order."
    )


class InjectSpec(Model):
    """A prepared event (an "inject", as classroom simulations call it): a news card told to
    everyone or to some states, with effects the rules apply.  It is released by the umpire, or
    at the start of the movement turn it names; each is released at most once."""

    id: Id = Field(description="Inject id, e.g. `ultimatum`; the umpire releases it by this id.")
    turn: int | None = Field(
        None,
        ge=1,
        description="Movement turn at whose start it is released (1 is the first); none: only when the "
        "umpire releases it.",
    )
    title: str = Field(min_length=1, max_length=120, description="Its headline.")
    text: str = Field("", max_length=4000, description="What the card says.")
    audience: InjectAudience
    effects: list[Effect] = Field(
        default_factory=list, max_length=20, description="What the rules apply, in order."
    )
    note: str = Field(
        "", max_length=1000, description="Its history and sources, for the umpire and the debrief."
    )

    def card(self) -> InjectCard:
        return InjectCard(title=self.title, text=self.text, audience=self.audience, effects=self.effects)


class Scenario(Model):
    """A whole scenario file."""

    format: Literal["backchannel-scenario/1"] = Field(description="File format and version.")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$", description="Scenario id, e.g. `july-1914`.")
    title: str = Field(min_length=1, max_length=120, description="Title shown to players.")
    briefing: str = Field("", max_length=8000, description="A short briefing read before play.")
    history: str = Field("", max_length=8000, description="What happened in history, for the debrief.")
    sources: list[Source] = Field(default_factory=list, description="Sources for the history.")
    calendar: Calendar = Field(description="Turns and years.")
    victory: Victory = Field(default_factory=Victory, description="Outright victory condition.")
    states: list[State] = Field(min_length=1, description="Every state, playable or not.")
    agreements: list[AgreementStart] = Field(
        default_factory=list, description="Agreements in force at the start."
    )
    relations: list[Relation] = Field(
        default_factory=list, description="Starting trust between pairs of states."
    )
    injects: list[InjectSpec] = Field(
        default_factory=list,
        max_length=200,
        description="Prepared events the umpire releases, or that come at a turn.",
    )
    rules: RuleConstants = Field(
        default_factory=RuleConstants, description="Constants of the diplomatic rules."
    )
    map: MapSection = Field(description="The map. Built by `backchannel scenario build-map`.")

    def state(self, state_id: str) -> State:
        for state in self.states:
            if state.id == state_id:
                return state
        raise KeyError(state_id)

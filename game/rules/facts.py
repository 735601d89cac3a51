"""Every fact that can leave the rules for a person, one typed model per kind.

A fact is something that happened (a proposal, a move, a leak, a ready flag) together with
its **audience**: `ALL`, or the sorted tuple of the states that may learn it.  The audience is
a required field of every model, with no default: a public fact says so, and a fact built
without one is an error, never a fact told to everyone.  The one audience filter
(`game.rules.knowledge`) decides from it who receives the fact; the rules produce facts with
`Fact.event()`, the plain JSON-ready dict that records, views and the wire carry.

Three families live here:

* the rules' facts, produced when a command is applied or a phase resolves;
* the table's facts, which the server adds around them (seats, the start, phases, ready flags,
  the clock, messages and orders as given);
* view deltas (`agreement`, `me`, `standing`): the part of a viewer's view that a fact changed,
  already cut by the filter for that viewer, so a client is current without a new whole view.

docs/rules.md has the table of who learns each kind and why; docs/protocol.md shows them on
the wire.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

Audience = Literal["all"] | tuple[str, ...]
"""`"all"` (the knowledge module's `ALL`), or the sorted tuple of states that may see a fact."""

Clauses = list[dict[str, Any]]


class Fact(BaseModel):
    """Base of every fact: its audience is required (no default), and it is frozen once made."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    audience: Audience

    def event(self) -> dict[str, Any]:
        """The fact as a plain dict, `kind` first and `audience` last (the form records keep)."""
        data = self.model_dump(mode="python", by_alias=True)
        data["audience"] = data.pop("audience")
        return data


# --- the rules' facts: agreements -----------------------------------------------------------------


class AgreementProposed(Fact):
    kind: Literal["agreement_proposed"] = "agreement_proposed"
    agreement: str
    by: str
    parties: list[str]
    visibility: str
    counter_of: str | None


class AgreementSigned(Fact):
    """Every party has signed: the agreement is in force (or was at the game's start)."""

    kind: Literal["agreement_signed"] = "agreement_signed"
    agreement: str
    parties: list[str]
    visibility: str
    title: str
    clauses: Clauses | None = None
    at_start: bool | None = None


class AnnexSigned(Fact):
    kind: Literal["annex_signed"] = "annex_signed"
    agreement: str
    annex: Clauses


class AgreementSignature(Fact):
    """One party signed; others have still to."""

    kind: Literal["agreement_signature"] = "agreement_signature"
    agreement: str
    state: str


class AgreementRejected(Fact):
    """A party rejected the proposal, or (state None) it lapsed unsigned."""

    kind: Literal["agreement_rejected"] = "agreement_rejected"
    agreement: str
    state: str | None


class AgreementRenounced(Fact):
    kind: Literal["agreement_renounced"] = "agreement_renounced"
    agreement: str
    state: str


class AgreementRatification(Fact):
    """One party ratified a secret agreement in public; the others have still to."""

    kind: Literal["agreement_ratification"] = "agreement_ratification"
    agreement: str
    state: str


class AgreementRatified(Fact):
    kind: Literal["agreement_ratified"] = "agreement_ratified"
    agreement: str
    parties: list[str]
    clauses: Clauses


class LeakPlanned(Fact):
    kind: Literal["leak_planned"] = "leak_planned"
    agreement: str
    state: str


class Denial(Fact):
    kind: Literal["denial"] = "denial"
    agreement: str
    state: str
    parties: list[str]


class Justification(Fact):
    kind: Literal["justification"] = "justification"
    agreement: str
    state: str
    legitimacy_regained: int


class TrustShaken(Fact):
    """A secret partner signed in public with a state the secret targets."""

    kind: Literal["trust_shaken"] = "trust_shaken"
    agreement: str
    state: str
    in_: str = Field(alias="in")
    because: str


class AgreementBreached(Fact):
    kind: Literal["agreement_breached"] = "agreement_breached"
    agreement: str
    breaker: str
    protected: list[str]
    clause: int
    clause_kind: str
    evidence: str
    order: str | None
    more: list[str]


class AgreementDiscovered(Fact):
    kind: Literal["agreement_discovered"] = "agreement_discovered"
    agreement: str
    by: str
    target: str
    parties: list[str]
    clauses: Clauses


class AgreementLeaked(Fact):
    """A rumour (parties only) or an exposé (clauses too) of a secret."""

    kind: Literal["agreement_leaked"] = "agreement_leaked"
    agreement: str
    level: str
    parties: list[str]
    visibility: str | None = None
    clauses: Clauses | None = None
    how: str | None = None
    chance: float | None = None


class LeakDone(Fact):
    kind: Literal["leak_done"] = "leak_done"
    agreement: str
    state: str


class Backlash(Fact):
    kind: Literal["backlash"] = "backlash"
    agreement: str
    state: str
    credibility_gap: float
    legitimacy_lost: int
    legitimacy: int


class GovernmentFell(Fact):
    kind: Literal["government_fell"] = "government_fell"
    state: str
    legitimacy: int


class AgreementLapsed(Fact):
    kind: Literal["agreement_lapsed"] = "agreement_lapsed"
    agreement: str
    state: str


class AgreementExpired(Fact):
    kind: Literal["agreement_expired"] = "agreement_expired"
    agreement: str
    kept: bool


# --- the rules' facts: intelligence and money -------------------------------------------------------


class ActionFailed(Fact):
    kind: Literal["action_failed"] = "action_failed"
    state: str
    action: str
    reason: str


class Propaganda(Fact):
    kind: Literal["propaganda"] = "propaganda"
    state: str
    legitimacy: int


class Investigation(Fact):
    kind: Literal["investigation"] = "investigation"
    state: str
    target: str
    found: bool


class Interception(Fact):
    kind: Literal["interception"] = "interception"
    state: str
    target: str
    read: int


class MessageIntercepted(Fact):
    kind: Literal["message_intercepted"] = "message_intercepted"
    by: str
    target: str
    message: str
    from_: str = Field(alias="from")
    to: list[str] | Literal["all"]
    text: str


class Payment(Fact):
    kind: Literal["payment"] = "payment"
    state: str
    to: str
    amount: int


class Income(Fact):
    kind: Literal["income"] = "income"
    state: str
    amount: int
    treasury: int


# --- the rules' facts: the map ---------------------------------------------------------------------


class OrderVoid(Fact):
    """An order that could not be carried out, and why: the ordering state's own business."""

    kind: Literal["order_void"] = "order_void"
    state: str
    order: str
    phase: str
    reason: str


class Move(Fact):
    kind: Literal["move"] = "move"
    state: str
    unit: str
    from_: str = Field(alias="from")
    to: str


class Bounce(Fact):
    kind: Literal["bounce"] = "bounce"
    state: str
    unit: str
    from_: str = Field(alias="from")
    to: str


class Dislodged(Fact):
    kind: Literal["dislodged"] = "dislodged"
    state: str
    unit: str
    at: str
    by: str | None
    from_: str = Field(alias="from")


class Retreat(Fact):
    kind: Literal["retreat"] = "retreat"
    state: str
    unit: str
    from_: str = Field(alias="from")
    to: str


class Disband(Fact):
    kind: Literal["disband"] = "disband"
    state: str
    unit: str
    at: str


class Build(Fact):
    kind: Literal["build"] = "build"
    state: str
    unit: str
    at: str


class Remove(Fact):
    kind: Literal["remove"] = "remove"
    state: str
    unit: str
    at: str


class Captured(Fact):
    kind: Literal["captured"] = "captured"
    territory: str
    state: str
    from_: str | None = Field(alias="from")
    supply: bool


class GameOver(Fact):
    kind: Literal["game_over"] = "game_over"
    reason: str
    winner: str | None


# --- the rules' facts: injects (the umpire's events) --------------------------------------------------


class InjectReleased(Fact):
    """An event card the umpire released, told to its audience.  `effects` lists what the rules
    applied, as applied (`delta` after the 0-100 bounds, an agreement by its game id), and only
    those every member of the audience may know of: a treasury change stays its state's own."""

    kind: Literal["inject"] = "inject"
    id: str
    title: str
    text: str
    effects: list[dict[str, Any]]


class LegitimacyChanged(Fact):
    """An inject moved a state's legitimacy: public, as legitimacy is."""

    kind: Literal["legitimacy"] = "legitimacy"
    state: str
    delta: int
    legitimacy: int


class TreasuryChanged(Fact):
    """An inject put money into a treasury or took it out: the state's own business."""

    kind: Literal["treasury"] = "treasury"
    state: str
    delta: int
    treasury: int


class UnitPlaced(Fact):
    """An inject put a new unit on the board: public, as the map is."""

    kind: Literal["unit_placed"] = "unit_placed"
    state: str
    unit: str
    at: str


class UnitRemoved(Fact):
    """An inject took a unit off the board: public, as the map is."""

    kind: Literal["unit_removed"] = "unit_removed"
    state: str
    unit: str
    at: str


# --- the table's facts (the server's, around the rules) ------------------------------------------------


class SeatTaken(Fact):
    kind: Literal["seat"] = "seat"
    state: str
    player: str


class Started(Fact):
    kind: Literal["started"] = "started"
    bots: list[str]


class PhaseBegan(Fact):
    kind: Literal["phase"] = "phase"
    turn: int
    year: int
    season: str
    phase: str | None
    deadline: float | None


class ReadyFlag(Fact):
    kind: Literal["ready"] = "ready"
    state: str
    ready: bool


class ClockChanged(Fact):
    kind: Literal["clock"] = "clock"
    change: str
    seconds: int | None
    deadline: float | None
    paused: bool
    remaining: float | None


class MessageSent(Fact):
    """A private message (audience: sender and recipients) or a public statement (everyone)."""

    kind: Literal["message"] = "message"
    id: str
    turn: int
    from_: str = Field(alias="from")
    to: list[str] | Literal["all"]
    text: str
    ask: dict[str, Any] | None = None
    """A structured ask (game/rules/asks.py), written out in `text`."""
    answer: dict[str, Any] | None = None
    """`{"to": message id, "yes": bool | None}`: the ask this message answers."""
    author: str | None = None
    """The team member who wrote it, for those who may see it (`views.author_shown`)."""


class MessageMark(Fact):
    kind: Literal["message_mark"] = "message_mark"
    message: str
    sincerity: str


class OrdersSubmitted(Fact):
    kind: Literal["orders_submitted"] = "orders_submitted"
    state: str
    turn: int
    phase: str
    orders: list[str]
    author: str | None = None
    """The team member who gave them."""


class ActionOrdered(Fact):
    kind: Literal["action_ordered"] = "action_ordered"
    state: str
    action: str
    target: str | None


class MemberChanged(Fact):
    """A person joined a team (or the umpire's or observers' seat), or the umpire removed one: told
    to the team (a state's own business) and the umpire."""

    kind: Literal["member"] = "member"
    member: str
    name: str
    role: str
    state: str | None
    change: Literal["joined", "kicked"]


class LeaderNamed(Fact):
    """The umpire named the member who alone acts on agreements for a state (`member` None: every
    member may again): told to the team and the umpire."""

    kind: Literal["leader"] = "leader"
    state: str
    member: str | None
    name: str | None


# --- view deltas: a viewer's view as a fact changed it ---------------------------------------------------


class AgreementCard(Fact):
    """One viewer's card of one agreement (`agreement_view` for that viewer): upsert it by id."""

    kind: Literal["agreement"] = "agreement"
    agreement: dict[str, Any]


class SeatState(Fact):
    """A state's own part of its view (`me`: treasury, trust, orders, actions, objectives, and the
    forecast of what its orders would break): replace it."""

    kind: Literal["me"] = "me"
    me: dict[str, Any]


class Standing(Fact):
    """Every state's public standing (`states` of a view: legitimacy, reputation, conduct): replace it."""

    kind: Literal["standing"] = "standing"
    states: list[dict[str, Any]]


RULES_FACTS: tuple[type[Fact], ...] = (
    AgreementProposed,
    AgreementSigned,
    AnnexSigned,
    AgreementSignature,
    AgreementRejected,
    AgreementRenounced,
    AgreementRatification,
    AgreementRatified,
    LeakPlanned,
    Denial,
    Justification,
    TrustShaken,
    AgreementBreached,
    AgreementDiscovered,
    AgreementLeaked,
    LeakDone,
    Backlash,
    GovernmentFell,
    AgreementLapsed,
    AgreementExpired,
    ActionFailed,
    Propaganda,
    Investigation,
    Interception,
    MessageIntercepted,
    Payment,
    Income,
    OrderVoid,
    Move,
    Bounce,
    Dislodged,
    Retreat,
    Disband,
    Build,
    Remove,
    Captured,
    GameOver,
    InjectReleased,
    LegitimacyChanged,
    TreasuryChanged,
    UnitPlaced,
    UnitRemoved,
)
TABLE_FACTS: tuple[type[Fact], ...] = (
    SeatTaken,
    Started,
    PhaseBegan,
    ReadyFlag,
    ClockChanged,
    MessageSent,
    MessageMark,
    OrdersSubmitted,
    ActionOrdered,
    MemberChanged,
    LeaderNamed,
)
VIEW_DELTAS: tuple[type[Fact], ...] = (AgreementCard, SeatState, Standing)
ALL_FACTS: tuple[type[Fact], ...] = RULES_FACTS + TABLE_FACTS + VIEW_DELTAS


def kind_of(model: type[Fact]) -> str:
    """The `kind` a fact model carries."""
    return str(model.model_fields["kind"].default)


FACT_KINDS: dict[str, type[Fact]] = {kind_of(m): m for m in ALL_FACTS}

AnyFact = Annotated[
    AgreementProposed
    | AgreementSigned
    | AnnexSigned
    | AgreementSignature
    | AgreementRejected
    | AgreementRenounced
    | AgreementRatification
    | AgreementRatified
    | LeakPlanned
    | Denial
    | Justification
    | TrustShaken
    | AgreementBreached
    | AgreementDiscovered
    | AgreementLeaked
    | LeakDone
    | Backlash
    | GovernmentFell
    | AgreementLapsed
    | AgreementExpired
    | ActionFailed
    | Propaganda
    | Investigation
    | Interception
    | MessageIntercepted
    | Payment
    | Income
    | OrderVoid
    | Move
    | Bounce
    | Dislodged
    | Retreat
    | Disband
    | Build
    | Remove
    | Captured
    | GameOver
    | InjectReleased
    | LegitimacyChanged
    | TreasuryChanged
    | UnitPlaced
    | UnitRemoved
    | SeatTaken
    | Started
    | PhaseBegan
    | ReadyFlag
    | ClockChanged
    | MessageSent
    | MessageMark
    | OrdersSubmitted
    | ActionOrdered
    | AgreementCard
    | SeatState
    | Standing
    | MemberChanged
    | LeaderNamed,
    Field(discriminator="kind"),
]
FACT: TypeAdapter[AnyFact] = TypeAdapter(AnyFact)


def parse_fact(data: Any) -> AnyFact:
    """Read a fact back from its dict (a record, a log, a test): raises if its audience is missing."""
    return FACT.validate_python(data)

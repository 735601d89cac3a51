"""Structured asks and answers: what people and bots both understand in a conversation.

A message (`Press`) may carry an **ask** — for support of a named move, for a state's intentions
toward a territory or a state, for a demilitarised zone; a warning; a complaint about a breach; a
demand for a justification — or an **answer** to an ask it replies to.  The ask is written out as
a plain sentence in the thread (`ask_sentence`), so a person reads words, while a bot (or a
client) reads the structure.  An answer's `yes` is machine-checkable against what the answerer
then did: "will you support A par - bur?" is answered by whether its unit gave that support.

The rules check that an ask names things that exist and that an answer replies to an ask the
sender received; whether an answer was sincere is the sender's own private mark, shown in the
debrief like any message's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from game.rules.clauses import StateId, TerritoryId

AgreementRef = Annotated[str, Field(pattern=r"^agr-[0-9]{8}$")]
MessageRef = Annotated[str, Field(pattern=r"^msg-[0-9]{8}$", description="A message id, e.g. msg-62175635.")]


class AskModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AskSupport(AskModel):
    """Will your unit at `unit_at` support the unit at `target` (to hold, or to move to `dest`)?"""

    kind: Literal["support"] = "support"
    unit_at: TerritoryId
    target: TerritoryId
    dest: TerritoryId | None = None


class AskIntentions(AskModel):
    """Will you move into `territory` this turn / attack `state` this turn?  Exactly one is named."""

    kind: Literal["intentions"] = "intentions"
    territory: TerritoryId | None = None
    state: StateId | None = None

    @model_validator(mode="after")
    def _one(self) -> AskIntentions:
        if (self.territory is None) == (self.state is None):
            raise ValueError("ask about exactly one of a territory and a state")
        return self


class AskDmz(AskModel):
    """Shall we both keep our units out of these territories?"""

    kind: Literal["dmz"] = "dmz"
    territories: list[TerritoryId] = Field(min_length=1, max_length=6)


class Warn(AskModel):
    """Stay out of `territory` / leave `state` alone.  Exactly one is named."""

    kind: Literal["warn"] = "warn"
    territory: TerritoryId | None = None
    state: StateId | None = None

    @model_validator(mode="after")
    def _one(self) -> Warn:
        if (self.territory is None) == (self.state is None):
            raise ValueError("warn about exactly one of a territory and a state")
        return self


class Complain(AskModel):
    """You broke our agreement."""

    kind: Literal["complain"] = "complain"
    agreement: AgreementRef


class DemandJustification(AskModel):
    """Explain, in public, the agreement that came out."""

    kind: Literal["demand_justification"] = "demand_justification"
    agreement: AgreementRef


Ask = Annotated[
    AskSupport | AskIntentions | AskDmz | Warn | Complain | DemandJustification, Field(discriminator="kind")
]
AnyAsk = AskSupport | AskIntentions | AskDmz | Warn | Complain | DemandJustification
_ASK: TypeAdapter[AnyAsk] = TypeAdapter(Ask)


def parse_ask(data: Any) -> AnyAsk:
    """An ask read back from a message (a view, the record)."""
    return _ASK.validate_python(data)


class Answer(BaseModel):
    """A reply to the ask of message `to`.  `yes`: will support / will move in or attack / agrees to
    the zone / will comply with the warning; None where the ask is not a yes-or-no question."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    to: MessageRef
    yes: bool | None = None


Namer = Callable[[str], str]


def ask_sentence(ask: AnyAsk, territory: Namer, state: Namer) -> str:
    """The ask as a plain sentence, with places and states by name (the namers turn ids into names)."""
    if isinstance(ask, AskSupport):
        what = (
            f"the move from {territory(ask.target)} to {territory(ask.dest)}"
            if ask.dest
            else f"the unit in {territory(ask.target)} to hold"
        )
        return f"Will your unit in {territory(ask.unit_at)} support {what} this turn?"
    if isinstance(ask, AskIntentions):
        if ask.territory is not None:
            return f"What are your intentions toward {territory(ask.territory)}? Will you move into it this turn?"
        assert ask.state is not None
        return f"What are your intentions toward {state(ask.state)}? Will you attack it this turn?"
    if isinstance(ask, AskDmz):
        places = ", ".join(territory(t) for t in ask.territories)
        return f"Shall we both keep our units out of {places}?"
    if isinstance(ask, Warn):
        if ask.territory is not None:
            return f"A warning: stay out of {territory(ask.territory)}."
        assert ask.state is not None
        return f"A warning: leave {state(ask.state)} alone."
    if isinstance(ask, Complain):
        return "You have broken our agreement. What do you have to say?"
    return "That agreement is out in the open now. Explain yourself, in public."


def answer_sentence(ask: AnyAsk, yes: bool | None, territory: Namer, state: Namer) -> str:
    """A plain answer to an ask, for a client that sends a bare yes or no."""
    if yes is None:
        return "Noted."
    if isinstance(ask, AskSupport):
        return "Yes, you will have that support." if yes else "No, I cannot give that support."
    if isinstance(ask, AskIntentions):
        if ask.territory is not None:
            place = territory(ask.territory)
            return (
                f"I mean to move into {place} this turn."
                if yes
                else f"I have no plans to enter {place} this turn."
            )
        assert ask.state is not None
        who = state(ask.state)
        return f"I will strike at {who} this turn." if yes else f"I have no quarrel with {who} this turn."
    if isinstance(ask, AskDmz):
        return "Agreed: neither of us goes there." if yes else "I cannot promise that."
    if isinstance(ask, Warn):
        return "Understood; I will keep away." if yes else "I will go where my interests take me."
    return "Noted."


def ask_territories(ask: AnyAsk) -> list[str]:
    if isinstance(ask, AskSupport):
        return [t for t in (ask.unit_at, ask.target, ask.dest) if t is not None]
    if isinstance(ask, AskDmz):
        return list(ask.territories)
    if isinstance(ask, AskIntentions | Warn) and ask.territory is not None:
        return [ask.territory]
    return []


def ask_states(ask: AnyAsk) -> list[str]:
    if isinstance(ask, AskIntentions | Warn) and ask.state is not None:
        return [ask.state]
    return []


def ask_agreement(ask: AnyAsk) -> str | None:
    return ask.agreement if isinstance(ask, Complain | DemandJustification) else None

"""Commands: the only way a game changes.

A game's state is a function of (scenario, seed, the ordered list of accepted
commands), so commands are plain data (pydantic models, JSON-ready) that a record,
the server's log and a replay all share.  Agreements, press and intelligence add their
own command kinds beside these.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from game.rules.asks import Answer, Ask
from game.rules.clauses import Clause
from game.rules.scenario import ID_PATTERN, InjectCard

Phase = Literal["movement", "retreat", "adjustment"]


class CommandModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SubmitOrders(CommandModel):
    """A state's orders for the current phase; they replace any it gave before in this phase."""

    kind: Literal["orders"] = "orders"
    state: str = Field(max_length=32)
    turn: int = Field(ge=1)
    phase: Phase
    orders: list[Annotated[str, Field(max_length=200)]] = Field(max_length=2000)
    author: str | None = Field(
        None, max_length=40, description="The team member who gave them (the server fills it in)."
    )


class Resolve(CommandModel):
    """Resolve the current phase (the server sends it at the deadline, or when all are ready)."""

    kind: Literal["resolve"] = "resolve"
    turn: int = Field(ge=1)
    phase: Phase


StateId = Annotated[str, Field(max_length=32)]
AgreementRef = Annotated[
    str, Field(pattern=r"^agr-[0-9]{8}$", description="An agreement id, e.g. agr-40718263.")
]


class Propose(CommandModel):
    """Propose an agreement; the proposer signs it at once.  `annex` only on a public agreement."""

    kind: Literal["propose"] = "propose"
    state: StateId
    parties: list[StateId] = Field(min_length=2, max_length=12)
    title: str = Field("", max_length=120)
    visibility: Literal["public", "secret"] = "secret"
    clauses: list[Clause] = Field(min_length=1, max_length=20)
    annex: list[Clause] = Field(default_factory=list, max_length=20)
    duration: int | None = Field(None, ge=1, le=200)
    intermediary: StateId | None = None


class Counter(CommandModel):
    """Answer a proposal with another: the old one is superseded, the new one signed by its proposer."""

    kind: Literal["counter"] = "counter"
    state: StateId
    agreement: AgreementRef
    title: str = Field("", max_length=120)
    visibility: Literal["public", "secret"] = "secret"
    clauses: list[Clause] = Field(min_length=1, max_length=20)
    annex: list[Clause] = Field(default_factory=list, max_length=20)
    duration: int | None = Field(None, ge=1, le=200)


class AgreementAct(CommandModel):
    """sign, reject, renounce, ratify (make a secret one public: every party must ratify), leak
    (a party deliberately leaks it, or a state that discovered it exposes it), deny (publicly deny a
    rumour), justify (publicly justify an exposed agreement)."""

    kind: Literal["sign", "reject", "renounce", "ratify", "leak", "deny", "justify"]
    state: StateId
    agreement: AgreementRef


class DeclareBreach(CommandModel):
    """A party declares a free-text clause breached (the only way such a clause is breached)."""

    kind: Literal["declare_breach"] = "declare_breach"
    state: StateId
    agreement: AgreementRef
    clause: int = Field(ge=0, le=40, description="Index of the clause (annex clauses follow the main ones).")
    breaker: StateId


class Press(CommandModel):
    """A private message to some states, or (no recipients) a public statement.  `sincerity` is the
    sender's private mark, shown only in the debrief.  It may carry a structured `ask` or an `answer`
    to one (game/rules/asks.py); the text may then be left empty and the rules write the sentence."""

    kind: Literal["press"] = "press"
    state: StateId
    to: list[StateId] = Field(default_factory=list, max_length=12)
    text: str = Field("", max_length=2000)
    sincerity: Literal["sincere", "deceptive"] | None = None
    ask: Ask | None = None
    answer: Answer | None = None
    author: str | None = Field(
        None, max_length=40, description="The team member who wrote it (the server fills it in)."
    )

    @model_validator(mode="after")
    def _something_said(self) -> Press:
        if not self.text.strip() and self.ask is None and self.answer is None:
            raise ValueError("a message needs text, an ask or an answer")
        if self.ask is not None and self.answer is not None:
            raise ValueError("a message carries an ask or an answer, not both: send two")
        return self


class Action(CommandModel):
    """An action carried out at the turn's resolution, paid from the treasury: investigate a state
    (chance to discover a secret agreement), intercept its messages, or run propaganda at home."""

    kind: Literal["investigate", "intercept", "propaganda"]
    state: StateId
    target: StateId | None = None


class Pay(CommandModel):
    """Pay money to another state at once (tribute, bribes, subsidies)."""

    kind: Literal["pay"] = "pay"
    state: StateId
    to: StateId
    amount: int = Field(ge=1, le=100_000)


class Inject(CommandModel):
    """The umpire releases an event: a prepared inject of the scenario by its id (each at most once),
    or a card written on the spot.  Only the umpire may send it (the server's business); the rules
    apply it as any command (game/rules/injects.py)."""

    kind: Literal["inject"] = "inject"
    inject: str | None = Field(
        None, pattern=ID_PATTERN, description="Id of a prepared inject of the scenario."
    )
    card: InjectCard | None = Field(None, description="A card written on the spot.")

    @model_validator(mode="after")
    def _one_of_them(self) -> Inject:
        if (self.inject is None) == (self.card is None):
            raise ValueError(
                "an inject names a prepared inject (`inject`) or carries a `card`, one of the two"
            )
        return self


DiplomacyCommand = Propose | Counter | AgreementAct | DeclareBreach | Press | Action | Pay
AnyCommand = SubmitOrders | Resolve | Inject | DiplomacyCommand
Command = Annotated[AnyCommand, Field(discriminator="kind")]
_COMMAND: TypeAdapter[AnyCommand] = TypeAdapter(Command)


def parse_command(data: Any) -> AnyCommand:
    """Validate a command given as JSON-like data."""
    return _COMMAND.validate_python(data)


def command_json(command: AnyCommand) -> dict[str, Any]:
    return command.model_dump(mode="json", exclude_defaults=False)

"""Every message on the wire, one pydantic model each, one discriminated union per direction.

A frame holds one msgpack map with a ``type`` key (see :mod:`game.protocol.codec`).  The
models are strict (no coercion: ``"1"`` is not ``1``) and forbid unknown fields, so a client
learns at once what it got wrong.  docs/protocol.md shows each message with an example.

A command a client sends carries its own ``id``; the reply to it (``ack``, ``created``,
``joined``, ``pong`` or ``error``) names that id as ``ref``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from game.protocol.version import MAX_SCENARIO_CHARS, PROTOCOL_VERSION
from game.rules.commands import AnyCommand, Command


class Message(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


ClientId = Annotated[str, Field(min_length=1, max_length=64)] | Annotated[int, Field(ge=0, le=2**53)]
"""The client's name for one of its commands, echoed as ``ref`` in the reply; unique per seat token."""

Token = Annotated[str, Field(min_length=16, max_length=128)]
StateId = Annotated[str, Field(min_length=1, max_length=32)]
Role = Literal["player", "observer", "umpire"]
SeatKind = Literal["human", "bot", "none"]
"""Who plays a state: a person who joins with its code, a server bot, or nobody (its units hold)."""


# --- client to server ---------------------------------------------------------------------------


class Hello(Message):
    """The first frame of every connection.  With ``token`` it resumes a seat; ``v`` is the last
    event version the client saw, so the server sends only what it missed."""

    type: Literal["hello"]
    protocol: int = Field(ge=0, le=1_000_000)
    id: ClientId | None = None
    token: Token | None = None
    v: int | None = Field(None, ge=0)
    client: str | None = Field(None, max_length=64)


class Create(Message):
    """Create a game from a bundled scenario id or an uploaded scenario text (exactly one).
    ``deadline``: seconds per phase, or None to resolve when every player is ready.
    ``seats``: human, bot or none per state (default: the scenario's own controller)."""

    type: Literal["create"]
    id: ClientId
    scenario: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    scenario_text: str | None = Field(None, min_length=1, max_length=MAX_SCENARIO_CHARS)
    seed: int | None = Field(None, ge=0, le=2**62)
    deadline: int | None = Field(None, ge=1, le=7 * 24 * 3600)
    seats: dict[StateId, SeatKind] = Field(default_factory=dict, max_length=64)
    bot_delay: float | None = Field(None, ge=0, le=120)
    """Seconds a bot takes to answer within a phase (a person's pause); None: the server's default (2)."""

    @model_validator(mode="after")
    def _one_scenario(self) -> Create:
        if (self.scenario is None) == (self.scenario_text is None):
            raise ValueError("give exactly one of scenario (a bundled id) and scenario_text (an upload)")
        return self


class Join(Message):
    """Join a game with a join code: a state's (player), the observers' or the umpire's."""

    type: Literal["join"]
    id: ClientId
    code: str = Field(min_length=1, max_length=16)


class Start(Message):
    """The umpire starts the game; ``fill_bots`` gives every human seat nobody took to a bot."""

    type: Literal["start"]
    id: ClientId
    fill_bots: bool = False


class Act(Message):
    """A rules command (game/rules/commands.py) for the connection's own state: press, propose,
    sign, orders, actions, pay...  ``state`` may be left out: it is the seat's."""

    type: Literal["act"]
    id: ClientId
    command: dict[str, Any] = Field(max_length=16)


class Ready(Message):
    """The state's ready flag for this phase (any member of a team sets it for the team)."""

    type: Literal["ready"]
    id: ClientId
    ready: bool = True


class Sync(Message):
    """Ask for the events after version ``v`` (or the whole view when ``v`` is None or too old)."""

    type: Literal["sync"]
    id: ClientId
    v: int | None = Field(None, ge=0)


class Pause(Message):
    """Umpire: stop the clock."""

    type: Literal["pause"]
    id: ClientId


class Resume(Message):
    """Umpire: restart the clock with the time that was left."""

    type: Literal["resume"]
    id: ClientId


class Extend(Message):
    """Umpire: give the current phase more time."""

    type: Literal["extend"]
    id: ClientId
    seconds: int = Field(ge=1, le=7 * 24 * 3600)


class ResolveNow(Message):
    """Umpire: resolve the current phase now, ready or not."""

    type: Literal["resolve"]
    id: ClientId


class GetScenario(Message):
    """Ask for the game's scenario text, to draw its map (a client may not have the file)."""

    type: Literal["get_scenario"]
    id: ClientId


class Ping(Message):
    type: Literal["ping"]
    id: ClientId | None = None


ClientMessage = Annotated[
    Hello | Create | Join | Start | Act | Ready | Sync | Pause | Resume | Extend | ResolveNow | GetScenario | Ping,
    Field(discriminator="type"),
]
CLIENT_MESSAGE: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
CLIENT_TYPES: frozenset[str] = frozenset(
    m.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    for m in (Hello, Create, Join, Start, Act, Ready, Sync, Pause, Resume, Extend, ResolveNow, GetScenario, Ping)
)
UMPIRE_TYPES: frozenset[str] = frozenset({"start", "pause", "resume", "extend", "resolve"})

_COMMAND: TypeAdapter[AnyCommand] = TypeAdapter(Command)


def command_for(state: str, data: dict[str, Any]) -> AnyCommand:
    """The rules command an ``act`` carries, for the seat's state, validated strictly.

    Raises ``pydantic.ValidationError``; a ``state`` other than the seat's is the caller's to refuse."""
    return _COMMAND.validate_python({"state": state, **data} if "state" not in data else data, strict=True)


# --- server to client ---------------------------------------------------------------------------


class Seat(Message):
    """Whose seat a connection holds: a state's player, an observer or the umpire of one game."""

    game: str
    role: Role
    state: str | None = None


class Limits(Message):
    max_frame: int
    rate: float
    burst: int


class Welcome(Message):
    """The answer to a hello.  ``seat`` is set when the hello's token resumed one."""

    type: Literal["welcome"] = "welcome"
    protocol: int = PROTOCOL_VERSION
    server: str
    ref: ClientId | None = None
    seat: Seat | None = None
    limits: Limits


class Codes(Message):
    """A game's join codes: one per human seat, one for observers, one for the umpire."""

    states: dict[str, str]
    observer: str
    umpire: str


class Created(Message):
    """The game exists; its creator holds the umpire seat (``token`` resumes it)."""

    type: Literal["created"] = "created"
    ref: ClientId
    game: str
    token: str
    seat: Seat
    codes: Codes


class Joined(Message):
    """A join code was accepted: ``token`` resumes this seat after a reconnect; keep it secret."""

    type: Literal["joined"] = "joined"
    ref: ClientId
    game: str
    token: str
    seat: Seat


class Ack(Message):
    """A command was applied and is durable.  ``v``: the sender's event version once it was applied;
    ``result``: what the command made (a message id, an agreement id...)."""

    type: Literal["ack"] = "ack"
    ref: ClientId
    v: int
    result: dict[str, Any] = Field(default_factory=dict)


class Event(Message):
    """One fact the seat may know, with its place ``v`` in the seat's own gapless sequence."""

    type: Literal["event"] = "event"
    game: str
    v: int
    event: dict[str, Any]


class SeatInfo(Message):
    player: SeatKind
    taken: bool


class Clock(Message):
    """``seconds`` per phase (None: when all are ready); ``deadline`` in Unix seconds while running;
    ``remaining`` seconds while paused."""

    seconds: int | None
    deadline: float | None
    paused: bool
    remaining: float | None


class Table(Message):
    """The game around the board: status, seats, clock, ready flags, and the codes (umpire only)."""

    game: str
    status: Literal["lobby", "running", "over"]
    scenario: str
    title: str
    seats: dict[str, SeatInfo]
    clock: Clock
    ready: list[str]
    you: Seat
    codes: Codes | None = None


class View(Message):
    """Everything the seat may know now (``view``: the rules' view_for), as of version ``v``."""

    type: Literal["view"] = "view"
    game: str
    v: int
    view: dict[str, Any]
    table: Table


class Error(Message):
    """Something the client sent was refused; nothing changed.  ``ref``: the refused command's id,
    if it could be read.  ``problems``: a refused scenario's problems, one line each."""

    type: Literal["error"] = "error"
    code: str
    message: str
    ref: ClientId | None = None
    problems: list[str] | None = None


class ScenarioText(Message):
    """The game's scenario as the seat may read it (the rules' `scenario_for`): the map, the
    states, the general briefing, and the seat's own objectives and briefing."""

    type: Literal["scenario"] = "scenario"
    ref: ClientId
    game: str
    scenario: dict[str, Any]


class Pong(Message):
    type: Literal["pong"] = "pong"
    ref: ClientId | None = None
    time: float


ServerMessage = Annotated[
    Welcome | Created | Joined | Ack | Event | View | Error | ScenarioText | Pong,
    Field(discriminator="type"),
]
SERVER_MESSAGE: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)

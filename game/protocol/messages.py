"""Every message on the wire, one pydantic model each, one discriminated union per direction.

A frame holds one msgpack map with a ``type`` key (see :mod:`game.protocol.codec`).  The
models are strict (no coercion: ``"1"`` is not ``1``) and forbid unknown fields, so a client
learns at once what it got wrong.  docs/protocol.md shows each message with an example.

A command a client sends carries its own ``id``; the reply to it (``ack``, ``created``,
``joined``, ``pong`` or ``error``) names that id as ``ref``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    field_validator,
    model_validator,
)

from game.protocol.version import MAX_NAME, MAX_SCENARIO_CHARS, PROTOCOL_VERSION
from game.rules.commands import AnyCommand, Command
from game.rules.scenario import ID_PATTERN, InjectCard


class Message(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


ClientId = Annotated[str, Field(min_length=1, max_length=64)] | Annotated[int, Field(ge=0, le=2**53)]
"""The client's name for one of its commands, echoed as ``ref`` in the reply; unique per seat token."""

Token = Annotated[str, Field(min_length=16, max_length=128)]
StateId = Annotated[str, Field(min_length=1, max_length=32)]
Role = Literal["player", "observer", "umpire"]
SeatKind = Literal["human", "bot", "none"]
"""Who plays a state: a person who joins with its code, a server bot, or nobody (its units hold)."""
Labels = Literal["names", "state"]
"""How others see who wrote a message: the member's name, or only the state (blinded labels)."""
MemberId = Annotated[str, Field(min_length=2, max_length=16, pattern=r"^m[0-9]+$")]
"""A member of a game (one person, one seat token), as the umpire's table lists them: ``m7``."""


def _tidy_name(name: str) -> str:
    """A name as shown: runs of spaces made one, no control characters, not blank."""
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in name):
        raise ValueError("a name cannot hold control characters")
    tidy = " ".join(name.split())
    if not tidy:
        raise ValueError("a name cannot be blank")
    return tidy


MemberName = Annotated[str, Field(min_length=1, max_length=MAX_NAME), AfterValidator(_tidy_name)]
"""The name a person types when joining, shown beside their messages and orders."""


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
    labels: Labels = "names"
    """What others see of who wrote a message: ``names`` (the member's name beside the state) or
    ``state`` (the state alone: blinded labels).  A team and the umpire always see the names."""
    create_token: str | None = Field(None, min_length=1, max_length=128)
    """The server's creation token, when it was started with one (``serve --create-token``)."""

    @model_validator(mode="after")
    def _one_scenario(self) -> Create:
        if (self.scenario is None) == (self.scenario_text is None):
            raise ValueError("give exactly one of scenario (a bundled id) and scenario_text (an upload)")
        return self


class Join(Message):
    """Join a game with a join code: a state's (player), the observers' or the umpire's.  ``name``:
    how the person is shown (default ``Player 2``, ``Observer 1``...); a name a connected teammate
    already has is refused (``name_taken``)."""

    type: Literal["join"]
    id: ClientId
    code: str = Field(min_length=1, max_length=16)
    name: MemberName | None = None


class Start(Message):
    """The umpire starts the game; ``fill_bots`` gives every human seat nobody took to a bot.  With
    ``fill_bots``, a human seat nobody joined is refused (``seats_empty``) unless ``confirm``."""

    type: Literal["start"]
    id: ClientId
    fill_bots: bool = False
    confirm: bool = False


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


class Leader(Message):
    """Umpire: name the member who alone proposes, signs, renounces... for a state (``member``:
    None: every member may again)."""

    type: Literal["leader"]
    id: ClientId
    state: StateId
    member: MemberId | None = None


class Replace(Message):
    """Umpire: a bot plays the state from now on (its people stay seated, watching)."""

    type: Literal["replace"]
    id: ClientId
    state: StateId


class Kick(Message):
    """Umpire: remove a member: its seat token stops working and its connections are closed."""

    type: Literal["kick"]
    id: ClientId
    member: MemberId


class ReleaseInject(Message):
    """Umpire: release an event: a prepared inject of the scenario by its id, or a card written on
    the spot (``{title, text, audience, effects}``, checked by the rules as the ``inject`` command)."""

    type: Literal["inject"]
    id: ClientId
    inject: str | None = Field(None, pattern=ID_PATTERN)
    card: InjectCard | None = None

    @field_validator("card", mode="before")
    @classmethod
    def _strict_card(cls, value: Any) -> Any:
        """The card is the rules' model, checked as strictly as every message (``"5"`` is not ``5``)."""
        if value is None or isinstance(value, InjectCard):
            return value
        return InjectCard.model_validate(value, strict=True)

    @model_validator(mode="after")
    def _one_of_them(self) -> ReleaseInject:
        if (self.inject is None) == (self.card is None):
            raise ValueError(
                "give exactly one of inject (a prepared inject's id) and card (an event written now)"
            )
        return self


class RevokeCode(Message):
    """Umpire: revoke a seat's join code (a state's, ``observer`` or ``umpire``): the old code opens
    nothing any more; the ack carries the seat's new code.  Members already seated stay."""

    type: Literal["revoke_code"]
    id: ClientId
    seat: StateId


class GetRecord(Message):
    """Umpire: the game's complete record, for the debrief report."""

    type: Literal["get_record"]
    id: ClientId


class GetScenario(Message):
    """Ask for the game's scenario text, to draw its map (a client may not have the file)."""

    type: Literal["get_scenario"]
    id: ClientId


class Ping(Message):
    type: Literal["ping"]
    id: ClientId | None = None


ClientMessage = Annotated[
    Hello
    | Create
    | Join
    | Start
    | Act
    | Ready
    | Sync
    | Pause
    | Resume
    | Extend
    | ResolveNow
    | Leader
    | Replace
    | Kick
    | ReleaseInject
    | RevokeCode
    | GetRecord
    | GetScenario
    | Ping,
    Field(discriminator="type"),
]
CLIENT_MESSAGE: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
CLIENT_TYPES: frozenset[str] = frozenset(
    m.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    for m in (
        Hello,
        Create,
        Join,
        Start,
        Act,
        Ready,
        Sync,
        Pause,
        Resume,
        Extend,
        ResolveNow,
        Leader,
        Replace,
        Kick,
        ReleaseInject,
        RevokeCode,
        GetRecord,
        GetScenario,
        Ping,
    )
)
UMPIRE_TYPES: frozenset[str] = frozenset(
    {
        "start",
        "pause",
        "resume",
        "extend",
        "resolve",
        "leader",
        "replace",
        "kick",
        "inject",
        "revoke_code",
        "get_record",
    }
)
"""What only the umpire may send: the server refuses it from anyone else (``umpire_only``)."""

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
    """``max_frame``: the largest frame (an upload); ``max_message``: the largest of every other
    message; ``rate``/``burst``: frames per connection (a seat and an address have their own too)."""

    max_frame: int
    rate: float
    burst: int
    max_message: int | None = None


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
    """A join code was accepted: ``token`` resumes this seat after a reconnect; keep it secret.
    ``member``: your id in the game's table; ``name``: the name you are shown by."""

    type: Literal["joined"] = "joined"
    ref: ClientId
    game: str
    token: str
    seat: Seat
    member: str | None = None
    name: str | None = None


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
    """``members``: how many people sit in the state's seat (a team)."""

    player: SeatKind
    taken: bool
    members: int = 0


class MemberInfo(Message):
    """One person in the game, as the umpire (all of them) and a team (its own) see them."""

    id: str
    role: Role
    state: str | None
    name: str
    connected: bool
    ready: bool
    leader: bool = False


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
    labels: Labels = "names"
    members: list[MemberInfo] | None = None
    """The umpire: every member; a player: its own team; an observer: none."""
    orders_in: dict[str, int] | None = None
    """The umpire: orders each state has given this phase."""
    me: str | None = None
    """Your member id (find yourself in ``members``)."""


class View(Message):
    """Everything the seat may know now (``view``: the rules' view_for), as of version ``v``."""

    type: Literal["view"] = "view"
    game: str
    v: int
    view: dict[str, Any]
    table: Table


class TableUpdate(Message):
    """The table changed (who is connected, joined or left, a leader, a seat given to a bot, orders
    given): the new one.  Not an event: presence is not part of the game's record."""

    type: Literal["table"] = "table"
    game: str
    table: Table


class Error(Message):
    """Something the client sent was refused; nothing changed.  ``ref``: the refused command's id,
    if it could be read.  ``problems``: a refused scenario's problems, one line each.  ``states``:
    the states a refusal is about (``seats_empty``)."""

    type: Literal["error"] = "error"
    code: str
    message: str
    ref: ClientId | None = None
    problems: list[str] | None = None
    states: list[str] | None = None


class ScenarioText(Message):
    """The game's scenario as the seat may read it (the rules' `scenario_for`): the map, the
    states, the general briefing, and the seat's own objectives and briefing."""

    type: Literal["scenario"] = "scenario"
    ref: ClientId
    game: str
    scenario: dict[str, Any]


class Record(Message):
    """The game's complete record, for the umpire's debrief: the rules' record (every command,
    every turn's events with their audiences, the final state, agreements, messages with their
    marks) with the scenario text, the members and their names, and who sent each command."""

    type: Literal["record"] = "record"
    ref: ClientId
    game: str
    record: dict[str, Any]


class Pong(Message):
    type: Literal["pong"] = "pong"
    ref: ClientId | None = None
    time: float


class Redirect(Message):
    """The game is hosted by another process of the server (several processes share one database):
    open a connection to ``address`` and send the same hello (or join) there."""

    type: Literal["redirect"] = "redirect"
    ref: ClientId | None = None
    game: str
    address: Annotated[str, Field(pattern=r"^wss?://")]


ServerMessage = Annotated[
    Welcome
    | Created
    | Joined
    | Ack
    | Event
    | View
    | TableUpdate
    | Error
    | ScenarioText
    | Record
    | Pong
    | Redirect,
    Field(discriminator="type"),
]
SERVER_MESSAGE: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)

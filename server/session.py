"""One game on the server, without I/O: the Sans-I/O core that `GameHost` drives.

A session holds the rules' `Game`, the seats and members, the clock, the ready flags, and
one event stream per viewer (each state, the observers, the umpire).  Every change is an
*entry* — a command, a join, the start, a ready flag, a clock change, a phase start — applied
by one function, `_apply`, both live and when a restarted server replays the log.  So the
game, the streams and their versions after a replay are exactly what they were.

Each entry's facts carry an audience; `_emit` passes every fact through the rules' one
audience filter (`visible_events`) for each viewer and appends what the viewer may see to
that viewer's own stream.  A viewer's versions count only the facts it may see: the
sequence is gapless without placeholders, so it cannot tell that something it may not know
has happened (what a placeholder would give away: when, and how often, others talk).

A method returns a `Step`: the entries to make durable, the reply for the requester and the
events for each viewer.  The host persists the entries and only then sends anything.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from game.bots.driver import BotDriver
from game.protocol.codec import describe, event_frame, pack
from game.protocol.messages import command_for
from game.rules import facts as fact_models
from game.rules.agreements import agreement_view
from game.rules.board import Board
from game.rules.commands import (
    Action,
    AnyCommand,
    Counter,
    Inject,
    Press,
    Propose,
    Resolve,
    SubmitOrders,
    command_json,
    parse_command,
)
from game.rules.errors import CommandError
from game.rules.game import Game
from game.rules.injects import injects_due
from game.rules.knowledge import ALL, OBSERVER, UMPIRE, Audience, visible
from game.rules.scenario import InjectCard, Scenario
from game.rules.views import (
    author_shown,
    message_for,
    refers_to_secrets,
    scenario_for,
    seat_view,
    standing_view,
    view_for,
)
from server.bot_seats import Bot, bot_driver, make_bots
from server.clock import Clock
from server.seats import Member
from server.store import Entry, GameHeader

Event = dict[str, Any]
log = logging.getLogger("backchannel.server")

STREAM_KEEP = 2048
"""Events a stream keeps for resuming; a client further behind gets the whole view instead."""
REPLIES_KEPT = 256
"""Replies remembered per member, to answer a resent command id with its first result."""

# Error codes of the session (docs/protocol.md, "Errors").
NOT_STARTED = "not_started"
ALREADY_STARTED = "already_started"
GAME_OVER = "game_over"
NOT_ALLOWED = "not_allowed"
NOT_YOUR_SEAT = "not_your_seat"
UMPIRE_ONLY = "umpire_only"
INVALID_COMMAND = "invalid_command"
CLOCK = "clock"
SEAT_UNAVAILABLE = "seat_unavailable"
ID_REUSED = "id_reused"
NAME_TAKEN = "name_taken"
SEATS_EMPTY = "seats_empty"
SEAT_REPLACED = "seat_replaced"
NOT_LEADER = "not_leader"
UNKNOWN_MEMBER = "unknown_member"
UNKNOWN_STATE = "unknown_state"
KICKED = "kicked"
UNKNOWN_SEAT = "unknown_seat"
# The rules' refusals carry their own codes (game/rules/errors.py): unknown_agreement, wrong_status...


WAKE_KINDS = frozenset(
    {
        "agreement_proposed",
        "agreement_signature",
        "agreement_signed",
        "agreement_rejected",
        "agreement_renounced",
        "agreement_breached",
        "agreement_ratified",
        "denial",
        "justification",
        "message",
        "payment",
    }
)
"""Facts of a person's command that a bot told of them may want to answer within the phase."""
DEFAULT_BOT_DELAY = 2.0
"""Seconds a bot takes to answer within a phase unless the game says otherwise: a person's pause."""

TO = "_to"
"""The private key of a view delta naming the one viewer whose stream it is for (never sent)."""
STANDING_KINDS = frozenset(
    {
        "agreement_ratified",
        "justification",
        "agreement_renounced",
        "agreement_breached",
        "denial",
        "legitimacy",
    }
)
"""Public facts of a command that can move a state's public standing (legitimacy, record, reputation)."""
OBJECTIVE_KINDS = frozenset(
    {
        "agreement_signed",
        "agreement_ratified",
        "agreement_renounced",
        "agreement_breached",
        "agreement_leaked",
        "agreement_expired",
        "agreement_lapsed",
        "legitimacy",
        "backlash",
        "government_fell",
        "denial",
        "justification",
        "unit_placed",
        "unit_removed",
    }
)
"""Facts within a phase that can move an objective's status (met / not yet / failed) in a seat's `me`."""
LEADER_KINDS = frozenset(
    {
        "propose",
        "counter",
        "sign",
        "reject",
        "renounce",
        "ratify",
        "leak",
        "deny",
        "justify",
        "declare_breach",
    }
)
"""What only a state's leader may do for it, once the umpire has named one: its agreements."""
AUTHORED_KINDS = frozenset({"press", "orders"})
"""Commands that carry their author, the member who gave them (the session fills it in)."""
TABLE_ENTRIES = frozenset({"join", "leader", "replace", "kick"})
"""Entries after which the table (members, seats, leaders) is sent again to those who see it change."""


LIVE_ENV = "BACKCHANNEL_LIVE_VIEWS"


def live_mode() -> str:
    """How views follow within a phase: `delta` (the default: typed deltas in each viewer's stream) or
    `full` (a whole new view to each viewer told something; kept to measure the two side by side)."""
    mode = os.environ.get(LIVE_ENV, "delta")
    if mode not in ("delta", "full"):
        raise ValueError(f"{LIVE_ENV} must be delta or full, not {mode!r}")
    return mode


def _only(viewer: str) -> Audience:
    """The audience of a delta cut for one viewer: that state; everyone for the observer's (it holds
    only what is public); no state for the umpire's (it holds what only the umpire may see)."""
    if viewer == OBSERVER:
        return ALL
    if viewer == UMPIRE:
        return ()
    return (viewer,)


class SessionError(Exception):
    """A request refused; nothing changed.  `states`: the states the refusal is about (seats_empty)."""

    def __init__(self, code: str, message: str, states: list[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.states = states


@dataclass(slots=True)
class Step:
    """What one request changed: entries to persist, then a reply and events to send."""

    entries: list[Entry] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    reply: dict[str, Any] | None = None
    events: list[tuple[str, int, bytes]] = field(default_factory=list)
    """(viewer, version, packed event) in order: each goes to that viewer's connections."""
    new_phase: bool = False
    """A phase began: every connection gets a fresh view after its events."""
    wake: set[str] = field(default_factory=set)
    """Bot states a person's command gave something to answer: the host wakes each after the game's
    bot delay (`Session.bot_react`)."""
    tables: set[str] = field(default_factory=set)
    """Viewers whose table changed (members, leaders, seats, orders in): the host sends each a new one."""
    close: list[str] = field(default_factory=list)
    """Members the umpire removed: the host closes their connections."""


class Stream:
    """One viewer's gapless sequence of events, the last `STREAM_KEEP` kept for resuming.

    Events are kept packed (msgpack bytes): that is what is sent again, it is compact, and bytes
    are nothing for the garbage collector to scan in a server holding thousands of them."""

    __slots__ = ("base", "items")

    def __init__(self) -> None:
        self.base = 0
        self.items: list[bytes] = []

    @property
    def version(self) -> int:
        return self.base + len(self.items)

    def append(self, event: bytes) -> int:
        self.items.append(event)
        if len(self.items) > 2 * STREAM_KEEP:
            drop = len(self.items) - STREAM_KEEP
            del self.items[:drop]
            self.base += drop
        return self.version

    def since(self, v: int) -> list[tuple[int, bytes]] | None:
        """The events after version `v`, or None when they are no longer kept (or `v` is unknown)."""
        if v < self.base or v > self.version:
            return None
        return [
            (self.base + i + 1, e) for i, e in enumerate(self.items[v - self.base :], start=v - self.base)
        ]


class Session:
    """The server's side of one game."""

    def __init__(self, header: GameHeader, scenario: Scenario, board: Board) -> None:
        self.id = header.id
        self.header = header
        self.settings = header.settings
        self.scenario = scenario
        self.board = board
        self.game = Game(scenario, header.seed, board)
        self.status = "lobby"
        self.seats: dict[str, str] = dict(self.settings["seats"])  # state -> human | bot | none
        self.clock = Clock(self.settings["deadline"])
        self.members: dict[str, Member] = {}
        self.humans: dict[str, int] = {}  # state -> members who joined it
        self.ready: set[str] = set()
        self.bots: dict[str, Bot] = {}
        self.viewers: tuple[str, ...] = (*self.game.state_ids, OBSERVER, UMPIRE)
        self.streams: dict[str, Stream] = {v: Stream() for v in self.viewers}
        self.replies: dict[str, OrderedDict[str | int, tuple[str | None, bytes]]] = {}
        """Per member: command id -> (the request's digest, the packed reply sent again as it is)."""
        self.logged = 0  # entries applied (and, outside a step, durable)
        self._step: Step | None = None
        self._required: tuple[tuple[int, str | None], frozenset[str]] = ((0, None), frozenset())
        self.live = live_mode()
        self.bot_delay = float(self.settings.get("bot_delay", DEFAULT_BOT_DELAY))
        self.asked: str | None = None
        """The digest of the request being applied (`GameHost` sets it): a command id sent again
        with a different request is refused, not answered with the first one's reply."""
        self.blind = self.settings.get("labels", "names") == "state"
        """Blinded labels: others see a message's state, not which member wrote it."""
        self.names: dict[str, str] = {}  # member -> the name it joined with
        self.kicked: set[str] = set()  # members the umpire removed
        self.leaders: dict[str, str] = {}  # state -> the member who alone acts on its agreements
        self.by: list[str | None] = []
        """Who sent each command the game holds, in order: a member id, "bot", or None (the server)."""

    # --- the one way an entry changes the session ------------------------------------------------

    def _apply(self, entry: Entry, command: AnyCommand | None = None) -> list[Event]:
        """Apply one entry and return its facts, each with its audience.  Raises CommandError
        (nothing changed) for a command the rules refuse."""
        kind = entry["k"]
        if kind == "cmd":
            cmd = command if command is not None else parse_command(entry["cmd"])
            facts = self.game.apply(cmd)
            self.by.append(entry.get("m"))
            return self._command_facts(cmd, facts)
        if kind == "join":
            member = self.members[entry["m"]]
            self.names[member.id] = entry.get("name") or member.id
            out: list[Event] = []
            if "name" in entry:  # (a log from before names: its streams stay as they were)
                out.append(self._member_fact(member, "joined"))
            if member.role != "player" or member.state is None:
                return out
            self.humans[member.state] = self.humans.get(member.state, 0) + 1
            if self.humans[member.state] == 1:
                out.append(fact_models.SeatTaken(state=member.state, player="human", audience=ALL).event())
            return out
        if kind == "leader":
            state, chosen = entry["state"], entry["member"]
            if chosen is None:
                self.leaders.pop(state, None)
            else:
                self.leaders[state] = chosen
            return [self._leader_fact(state)]
        if kind == "replace":
            state = entry["state"]
            self.seats[state] = "bot"
            self._required = ((0, None), frozenset())
            if self.status != "lobby":  # in the lobby, the start makes its bot
                personality: str = self.settings["personalities"][state]
                self.bots.update(make_bots(self.scenario, self.board, self.header.seed, {state: personality}))
            return [fact_models.SeatTaken(state=state, player="bot", audience=ALL).event()]
        if kind == "kick":
            member = self.members[entry["member"]]
            self.kicked.add(member.id)
            out = [self._member_fact(member, "kicked")]
            for state in [s for s, m in self.leaders.items() if m == member.id]:
                del self.leaders[state]
                out.append(self._leader_fact(state))
            return out
        if kind == "start":
            self.status = "running"
            assignment: dict[str, str] = entry["bots"]
            for state in assignment:
                self.seats[state] = "bot"
            self.bots = make_bots(self.scenario, self.board, self.header.seed, assignment)
            return [
                fact_models.Started(
                    bots=sorted(assignment, key=self.game.state_ids.index), audience=ALL
                ).event()
            ]
        if kind == "phase":
            self.clock = Clock.from_json(entry["clock"])
            self.ready.clear()
            game = self.game
            if game.over:
                self.status = "over"
            return [
                fact_models.PhaseBegan(
                    turn=game.turn,
                    year=game.year,
                    season=game.season,
                    phase=game.phase,
                    deadline=self.clock.deadline,
                    audience=ALL,
                ).event()
            ]
        if kind == "ready":
            state = entry["state"]
            if entry["ready"]:
                self.ready.add(state)
            else:
                self.ready.discard(state)
            return [fact_models.ReadyFlag(state=state, ready=entry["ready"], audience=ALL).event()]
        if kind == "clock":
            self.clock = Clock.from_json(entry["clock"])
            return [
                fact_models.ClockChanged(change=entry["op"], **self.clock.to_json(), audience=ALL).event()
            ]
        if kind == "codes":
            # A revoked join code: the seat's new code replaces it (the lobby forgets the old one).  The
            # codes live in the settings, which a snapshot keeps; the log has every change.
            codes = self.settings["codes"]
            seat, code = entry["seat"], entry["code"]
            if seat in ("observer", "umpire"):
                codes[seat] = code
            else:
                codes["states"][seat] = code
            return []
        raise ValueError(f"unknown log entry {kind!r}")

    def _member_fact(self, member: Member, change: Literal["joined", "kicked"]) -> Event:
        """A member joined or was removed: its team's business (and the umpire's)."""
        audience: Audience = (member.state,) if member.role == "player" and member.state is not None else ()
        return fact_models.MemberChanged(
            member=member.id,
            name=self.names.get(member.id, member.id),
            role=member.role,
            state=member.state,
            change=change,
            audience=audience,
        ).event()

    def _leader_fact(self, state: str) -> Event:
        chosen = self.leaders.get(state)
        return fact_models.LeaderNamed(
            state=state, member=chosen, name=self.names.get(chosen) if chosen else None, audience=(state,)
        ).event()

    def _command_facts(self, command: AnyCommand, rules_facts: list[Event]) -> list[Event]:
        """The rules' facts of a command, those it leaves in the game's state (a message, orders), and
        then the view deltas they cause (`_deltas`)."""
        out = list(rules_facts)
        if isinstance(command, Press):
            m = self.game.diplomacy.messages[-1]
            author = command.author
            if not refers_to_secrets(m) and not (author is not None and self.blind):
                out.append(
                    fact_models.MessageSent(
                        id=m["id"],
                        turn=m["turn"],
                        from_=m["from"],
                        to=m["to"],
                        text=m["text"],
                        ask=m.get("ask"),
                        author=author,
                        audience=m["audience"],
                    ).event()
                )
            else:  # each reader's own cut of it (`message_for`): what it refers to passes the filter too,
                # and with blinded labels only the sender's team and the umpire see who wrote it
                for viewer in self.viewers:
                    if visible(m["audience"], viewer):
                        cut = message_for(self.game, m, viewer)
                        fact = fact_models.MessageSent(
                            id=cut["id"],
                            turn=cut["turn"],
                            from_=cut["from"],
                            to=cut["to"],
                            text=cut["text"],
                            ask=cut.get("ask"),
                            answer=cut.get("answer"),
                            author=author if author_shown(m["from"], viewer, self.blind) else None,
                            audience=m["audience"],
                        ).event()
                        out.append({**fact, TO: viewer})
            if command.sincerity is not None:  # the sender's private mark, for the debrief
                out.append(
                    fact_models.MessageMark(
                        message=m["id"], sincerity=command.sincerity, audience=(command.state,)
                    ).event()
                )
        elif isinstance(command, SubmitOrders):
            # The state's own business, and so every member of its team sees the orders as given.
            given = [o.text for o in self.game.pending.get(command.state, ())]
            out.append(
                fact_models.OrdersSubmitted(
                    state=command.state,
                    turn=command.turn,
                    phase=command.phase,
                    orders=given,
                    author=command.author,
                    audience=(command.state,),
                ).event()
            )
        elif isinstance(command, Action):
            out.append(
                fact_models.ActionOrdered(
                    state=command.state, action=command.kind, target=command.target, audience=(command.state,)
                ).event()
            )
        if not isinstance(command, Resolve) and self.live == "delta":
            out += self._deltas(out)
        return out

    def _deltas(self, told: list[Event]) -> list[Event]:
        """What of each viewer's view the facts of one command changed, cut for that viewer.

        Only those who were told a fact get a delta of it, so a delta never says that something
        happened that the viewer was not told: the card of each agreement a fact is about, for each
        viewer in the fact's audience (`agreement`); a state's own part (`me`: treasury, trust,
        orders, actions) for the states whose part a fact changed; the public standing of every
        state (`standing`) after a public fact that moves it.  A new phase sends whole views instead."""
        game = self.game
        agreements = game.diplomacy.agreements
        cards: dict[str, set[str]] = {}  # viewer -> agreement ids
        mine: set[str] = set()
        standing = False
        for fact in told:
            audience = fact["audience"]
            kind = fact["kind"]
            refs = [fact["agreement"]] if isinstance(fact.get("agreement"), str) else []
            if kind == "agreement_proposed" and fact.get("counter_of"):
                refs.append(fact["counter_of"])  # the proposal it superseded
            if refs:
                for viewer in self.viewers:
                    if visible(audience, viewer):
                        cards.setdefault(viewer, set()).update(refs)
            if kind in ("payment", "trust_shaken", "orders_submitted", "action_ordered"):
                mine.update(s for s in (fact.get("state"), fact.get("to")) if s in game.diplomacy.trust)
            elif kind == "agreement_renounced":
                mine.update(p for p in agreements[fact["agreement"]].parties if p != fact["state"])
            if kind in OBJECTIVE_KINDS:
                # An objective's status may have moved (a deal signed, a secret exposed, legitimacy):
                # each state told of the fact gets its own part again, and no state that was not.
                mine.update(s for s in game.state_ids if visible(audience, s))
            if audience == ALL and kind in STANDING_KINDS:
                standing = True
        out: list[Event] = []
        if not (
            cards or mine or standing
        ):  # most commands (a press message) change no card, part or standing
            return out
        for viewer in self.viewers:
            for ref in sorted(cards.get(viewer, ())):
                card = agreement_view(agreements[ref], viewer)
                if card is not None:
                    out.append(
                        {
                            **fact_models.AgreementCard(agreement=card, audience=_only(viewer)).event(),
                            TO: viewer,
                        }
                    )
        for state in game.state_ids:
            if state in mine:
                out.append(
                    {**fact_models.SeatState(me=seat_view(game, state), audience=(state,)).event(), TO: state}
                )
        if standing:
            out.append(fact_models.Standing(states=standing_view(game), audience=ALL).event())
        return out

    def _emit(self, facts: list[Event]) -> None:
        """Each fact to the stream of every viewer in its audience, decided by the rules' one filter
        (`visible`).  Like `visible_events`, only the umpire is told who else may see a fact."""
        step = self._step
        streams = self.streams
        for fact in facts:
            audience = fact["audience"]  # required: a fact without one is a bug, never public by default
            # Packed once for every viewer who may see it; the umpire's copy keeps the audience.
            to = fact.get(TO)
            if to is None:
                hidden = pack({k: v for k, v in fact.items() if k != "audience"})
            else:  # a view delta: cut for one viewer, for that viewer's stream alone
                hidden = pack({k: v for k, v in fact.items() if k not in ("audience", TO)})
            for viewer in self.viewers if to is None else (to,):
                if visible(audience, viewer):
                    event = pack({k: v for k, v in fact.items() if k != TO}) if viewer == UMPIRE else hidden
                    v = streams[viewer].append(event)
                    if step is not None:
                        step.events.append((viewer, v, event))

    def _append(self, entry: Entry, command: AnyCommand | None = None) -> list[Event]:
        """Apply a new entry live, emit its facts and add it to the current step."""
        assert self._step is not None
        facts = self._apply(entry, command)
        self.logged += 1
        if self.asked is not None and entry.get("c") is not None:
            entry["h"] = self.asked  # kept in the log, so a restarted server still knows a reused id
        self._step.entries.append(entry)
        self._emit(facts)
        self._step.tables.update(self._table_viewers(entry))
        if (
            self.bots
            and entry["k"] == "cmd"
            and entry.get("m") != "bot"
            and entry["cmd"]["kind"] != "resolve"
        ):
            for fact in facts:
                if fact["kind"] in WAKE_KINDS:
                    self._step.wake.update(s for s in self.bots if visible(fact["audience"], s))
        return facts

    def replay(self, members: list[Member], entries: list[Entry]) -> None:
        """Rebuild the session from its log after a restart: the same game, streams and replies."""
        for member in members:
            self.members[member.id] = member
            self.replies.setdefault(member.id, OrderedDict())
        for entry in entries:
            facts = self._apply(entry)
            self.logged += 1
            self._emit(facts)
            m, c = entry.get("m"), entry.get("c")
            if m in self.members and c is not None:
                member = self.members[m]
                self.asked = entry.get("h")
                self._remember(member, c, self._ack(member, c, self._result(entry, facts)))
                self.asked = None

    def _table_viewers(self, entry: Entry) -> set[str]:
        """Whose table an entry changes: the umpire's for members, seats and orders given; a team's for
        its own members and leader; everyone's when a seat passes to a bot."""
        kind = entry["k"]
        if kind == "cmd":
            return {UMPIRE} if entry["cmd"]["kind"] == "orders" else set()
        if kind not in TABLE_ENTRIES:
            return set()
        if kind == "replace":
            return set(self.viewers)
        state = entry.get("state")
        if kind in ("join", "kick"):
            member = self.members[entry["m"] if kind == "join" else entry["member"]]
            state = member.state if member.role == "player" else None
        return {UMPIRE} | ({state} if state is not None else set())

    # --- reading ---------------------------------------------------------------------------------

    def seat(self, member: Member) -> dict[str, Any]:
        return {"game": self.id, "role": member.role, "state": member.state}

    def team(self, state: str) -> list[Member]:
        """The people playing a state now (joined, not removed), in the order they joined."""
        return [
            m
            for m in self.members.values()
            if m.role == "player" and m.state == state and m.id not in self.kicked
        ]

    def member_info(self, member: Member, online: Collection[str]) -> dict[str, Any]:
        state = member.state
        return {
            "id": member.id,
            "role": member.role,
            "state": state,
            "name": self.names.get(member.id, member.id),
            "connected": member.id in online,
            "ready": state is not None and state in self.ready,
            "leader": state is not None and self.leaders.get(state) == member.id,
        }

    def table(self, member: Member, online: Collection[str] = ()) -> dict[str, Any]:
        """The game around the board as `member` may see it; `online`: the members connected now."""
        clock = self.clock.to_json()
        table: dict[str, Any] = {
            "game": self.id,
            "status": self.status,
            "scenario": self.scenario.id,
            "title": self.scenario.title,
            "seats": {
                s: {"player": kind, "taken": kind == "bot" or bool(team), "members": len(team)}
                for s, kind in self.seats.items()
                for team in (self.team(s),)
            },
            "clock": clock,
            "ready": sorted(self.ready, key=self.game.state_ids.index),
            "you": self.seat(member),
            "me": member.id,
            "labels": "state" if self.blind else "names",
        }
        if member.role == "umpire":
            table["codes"] = self.settings["codes"]
            table["members"] = [
                self.member_info(m, online) for m in self.members.values() if m.id not in self.kicked
            ]
            table["orders_in"] = {s: len(self.game.pending.get(s, ())) for s in self.game.state_ids}
        elif member.role == "player" and member.state is not None:
            table["members"] = [self.member_info(m, online) for m in self.team(member.state)]
        return table

    def view_message(self, member: Member, online: Collection[str] = ()) -> dict[str, Any]:
        viewer = member.viewer
        return {
            "type": "view",
            "game": self.id,
            "v": self.streams[viewer].version,
            "view": view_for(self.game, viewer, blind=self.blind),
            "table": self.table(member, online),
        }

    def packed_view(self, viewer: str) -> bytes:
        """A viewer's whole view, packed (for `codec.view_frame`)."""
        return pack(view_for(self.game, viewer, blind=self.blind))

    def table_message(self, member: Member, online: Collection[str] = ()) -> dict[str, Any]:
        return {"type": "table", "game": self.id, "table": self.table(member, online)}

    def record_message(self, member: Member, ref: str | int) -> dict[str, Any]:
        """The umpire's complete record of the game, for the debrief: the rules' record, with the
        scenario text, every member and its name, and who sent each command (`by`, beside
        `commands`: a member id, "bot", or None for the server's own)."""
        self._umpire(member, "have the game's record")
        record = self.game.record()
        record.update(
            game=self.id,
            title=self.scenario.title,
            scenario_text=self.header.scenario_text,
            scenario_ref=self.header.scenario_ref,
            labels="state" if self.blind else "names",
            status=self.status,
            seats=dict(self.seats),
            members=[
                {
                    "id": m.id,
                    "role": m.role,
                    "state": m.state,
                    "name": self.names.get(m.id, m.id),
                    "kicked": m.id in self.kicked,
                }
                for m in self.members.values()
            ],
            leaders=dict(self.leaders),
            by=list(self.by),
        )
        return {"type": "record", "ref": ref, "game": self.id, "record": record}

    def scenario_message(self, member: Member, ref: str | int) -> dict[str, Any]:
        """The scenario as this member may read it (the rules decide what of it is whose)."""
        over = self.status == "over" or self.game.over
        return {
            "type": "scenario",
            "ref": ref,
            "game": self.id,
            "scenario": scenario_for(self.scenario, member.viewer, debrief=over),
        }

    def catch_up(self, member: Member, v: int | None) -> tuple[list[bytes], bool]:
        """What a (re)connecting member missed after version `v`: the events, if still kept, and
        (`True`) whether a full view is needed because they are not."""
        if v is None:
            return [], True
        missed = self.streams[member.viewer].since(v)
        if missed is None:
            return [], True
        return [event_frame(self.id, n, e) for n, e in missed], False

    def required(self) -> frozenset[str]:
        """The states whose players must be ready before the phase may resolve early."""
        if self.status != "running" or self.game.over:
            return frozenset()
        # Who has something to order changes only when a phase resolves: asked after every command, so cached.
        key = (self.game.turn, self.game.phase)
        if self._required[0] != key:
            self._required = (
                key,
                frozenset(s for s in self.game.states_to_order() if self.seats.get(s) == "human"),
            )
        return self._required[1]

    def wants_advance(self, now: float) -> bool:
        """Whether the phase should resolve now: its deadline passed, or everyone needed is ready."""
        if self.status != "running" or self.game.over or self.clock.paused:
            return False
        if self.clock.due(now):
            return True
        required = self.required()
        if required:
            return required <= self.ready
        # Nobody must act: a retreat or adjustment only bots order resolves at once; a movement
        # phase keeps its deadline if it has one.
        return self.game.phase != "movement" or self.clock.seconds is None

    # --- replies and resent commands -----------------------------------------------------------

    def _ack(self, member: Member, ref: str | int, result: dict[str, Any]) -> dict[str, Any]:
        return {"type": "ack", "ref": ref, "v": self.streams[member.viewer].version, "result": result}

    def _remember(self, member: Member, ref: str | int, reply: dict[str, Any]) -> None:
        kept = self.replies.setdefault(member.id, OrderedDict())
        kept[ref] = (self.asked, pack(reply))
        while len(kept) > REPLIES_KEPT:
            kept.popitem(last=False)

    def answered(self, member: Member, ref: str | int, asked: str | None = None) -> bytes | None:
        """The reply already given to this member's command `ref`, if any: a resent command is not applied
        again.  The same id with a different request (its digest `asked`) is refused: it is a client's
        mistake, and answering it with the first reply would tell it its command was applied."""
        kept = self.replies.get(member.id)
        first = kept.get(ref) if kept is not None else None
        if first is None:
            return None
        digest, reply = first
        if digest is not None and asked is not None and digest != asked:
            raise SessionError(
                ID_REUSED,
                f"the command id {ref!r} was already used for another command; give each command its own id",
            )
        return reply

    def refuse(self, member: Member, ref: str | int, error: SessionError) -> dict[str, Any]:
        """The error reply to a command, remembered so that a resend gets the same answer."""
        reply: dict[str, Any] = {"type": "error", "code": error.code, "message": error.message, "ref": ref}
        if error.states is not None:
            reply["states"] = error.states
        self._remember(member, ref, reply)
        return reply

    def _result(self, entry: Entry, facts: list[Event]) -> dict[str, Any]:
        """What a command made, for the sender's ack."""
        kind = entry["k"]
        if kind == "cmd":
            cmd = entry["cmd"]
            if cmd["kind"] == "press":
                return {"message": next(f["id"] for f in facts if f["kind"] == "message")}
            if cmd["kind"] in (Propose.model_fields["kind"].default, Counter.model_fields["kind"].default):
                return {"agreement": next(f["agreement"] for f in facts if f["kind"] == "agreement_proposed")}
            if cmd["kind"] == "orders":
                return {"orders": len(cmd["orders"])}
            if cmd["kind"] == "resolve":
                return {"turn": cmd["turn"], "phase": cmd["phase"]}
            if cmd["kind"] == "inject":
                return {"inject": next(f["id"] for f in facts if f["kind"] == "inject")}
            return {}
        if kind == "start":
            return {"bots": sorted(entry["bots"])}
        if kind == "ready":
            return {"ready": entry["ready"]}
        if kind == "clock":
            return {"clock": entry["clock"]}
        if kind == "leader":
            return {"state": entry["state"], "member": entry["member"]}
        if kind == "replace":
            return {"state": entry["state"]}
        if kind == "kick":
            return {"member": entry["member"]}
        if kind == "codes":
            return {"seat": entry["seat"], "code": entry["code"]}
        return {}

    # --- changing: requests --------------------------------------------------------------------------

    def _begin(self) -> Step:
        assert self._step is None, "one step at a time"
        self._step = Step()
        return self._step

    def _end(self) -> Step:
        step = self._step
        assert step is not None
        self._step = None
        return step

    def _seated(self, member: Member) -> None:
        if member.id in self.kicked:
            raise SessionError(KICKED, "the umpire removed you from this game")

    def _player(self, member: Member, what: str) -> str:
        self._seated(member)
        if member.role == "observer":
            raise SessionError(NOT_ALLOWED, f"an observer cannot {what}")
        if member.role == "umpire":
            raise SessionError(NOT_ALLOWED, f"the umpire does not play a state and cannot {what}")
        assert member.state is not None
        return member.state

    def _umpire(self, member: Member, what: str) -> None:
        self._seated(member)
        if member.role != "umpire":
            raise SessionError(UMPIRE_ONLY, f"only the umpire can {what}")

    def _playing(self, state: str) -> None:
        """A state a bot took from its people: they stay seated, watching, but no longer act for it."""
        if self.seats.get(state) == "bot":
            raise SessionError(
                SEAT_REPLACED, f"the umpire gave {state} to a bot; you can watch but no longer act for it"
            )

    def _state(self, state: str) -> None:
        if state not in self.game.state_ids:
            raise SessionError(
                UNKNOWN_STATE,
                f"the scenario has no state {state!r}; its states are {', '.join(self.game.state_ids)}",
            )

    def _not_over(self) -> None:
        if self.status == "over" or self.game.over:
            raise SessionError(GAME_OVER, "the game is over")

    def _running(self) -> None:
        if self.status == "lobby":
            raise SessionError(NOT_STARTED, "the game has not started yet; the umpire starts it")
        if self.status == "over" or self.game.over:
            raise SessionError(GAME_OVER, "the game is over")

    def act(self, member: Member, ref: str | int, data: Mapping[str, Any]) -> Step:
        """A rules command from a player, for the player's own state."""
        state = self._player(member, "give orders or commands")
        kind = data.get("kind")
        if kind == "inject":
            raise SessionError(UMPIRE_ONLY, "only the umpire can release an inject")
        self._running()
        self._playing(state)
        if kind == "resolve":
            raise SessionError(
                NOT_ALLOWED, "phases are resolved by the server, at the deadline or when all are ready"
            )
        given = data.get("state", state)
        if given != state:
            raise SessionError(
                NOT_YOUR_SEAT, f"this seat plays {state}; a command for another state is refused"
            )
        leader = self.leaders.get(state)
        if kind in LEADER_KINDS and leader is not None and leader != member.id:
            raise SessionError(
                NOT_LEADER,
                f"only {state}'s leader, {self.names.get(leader, leader)}, may {kind} for it; messages and orders stay open to all",
            )
        fields = dict(data)
        if kind in AUTHORED_KINDS:  # who wrote it, from the seat: a client cannot sign another's name
            fields["author"] = self.names.get(member.id)
        try:
            command = command_for(state, fields)
        except ValidationError as exc:
            raise SessionError(INVALID_COMMAND, f"invalid command: {describe(exc, tagged=False)}") from None
        return self._command(member, ref, command)

    def _command(self, member: Member, ref: str | int, command: AnyCommand) -> Step:
        """Apply a member's rules command as a logged entry, and acknowledge and remember it."""
        entry: Entry = {"k": "cmd", "m": member.id, "c": ref, "cmd": command_json(command)}
        step = self._begin()
        try:
            facts = self._append(entry, command)
        except CommandError as exc:
            self._end()
            # The rules' reasons are about the sender's own command and what it may know; the code is the
            # kind of refusal (game/rules/errors.py).
            raise SessionError(exc.code, str(exc)) from None
        step.reply = self._ack(member, ref, self._result(entry, facts))
        self._remember(member, ref, step.reply)
        return self._end()

    def set_ready(self, member: Member, ref: str | int, ready: bool) -> Step:
        state = self._player(member, "be ready")
        self._running()
        self._playing(state)
        step = self._begin()
        entry: Entry = {"k": "ready", "m": member.id, "c": ref, "state": state, "ready": ready}
        self._append(entry)
        step.reply = self._ack(member, ref, self._result(entry, []))
        self._remember(member, ref, step.reply)
        return self._end()

    def change_clock(self, member: Member, ref: str | int, op: str, now: float, seconds: int = 0) -> Step:
        """The umpire pauses, resumes or extends the clock."""
        self._umpire(member, f"{op} the clock")
        self._running()
        clock = Clock.from_json(self.clock.to_json())
        try:
            if op == "pause":
                clock.pause(now)
            elif op == "resume":
                clock.resume(now)
            else:
                clock.extend(seconds)
        except ValueError as exc:
            raise SessionError(CLOCK, str(exc)) from None
        step = self._begin()
        entry: Entry = {"k": "clock", "m": member.id, "c": ref, "op": op, "clock": clock.to_json()}
        self._append(entry)
        step.reply = self._ack(member, ref, self._result(entry, []))
        self._remember(member, ref, step.reply)
        return self._end()

    def _same_seat(self, member: Member) -> list[Member]:
        """The members (not removed) who sit where `member` sits: its team, the observers, the umpires."""
        return [
            m
            for m in self.members.values()
            if m.role == member.role
            and m.state == member.state
            and m.id not in self.kicked
            and m.id != member.id
        ]

    def _default_name(self, member: Member) -> str:
        """`Player 2` (the second of its team), `Observer 1`, `Umpire` (a second teacher: `Umpire 2`)."""
        taken = {self.names.get(m.id, "").casefold() for m in self._same_seat(member)}
        label = {"player": "Player", "observer": "Observer", "umpire": "Umpire"}[member.role]
        n = 1 + sum(1 for m in self.members.values() if m.role == member.role and m.state == member.state)
        while True:
            name = label if member.role == "umpire" and n == 1 else f"{label} {n}"
            if name.casefold() not in taken:
                return name
            n += 1

    def join(self, member: Member, name: str | None = None, online: Collection[str] = ()) -> Step:
        """A new member takes its seat (the lobby checked its code), with the name it gave or a default.
        A name that a connected member of the same seat (a teammate) has is refused: two students
        called the same on one team could not tell their messages apart.  `online`: connected members."""
        if member.role == "player":
            assert member.state is not None
            if self.seats.get(member.state) != "human":
                raise SessionError(
                    SEAT_UNAVAILABLE, f"{member.state} is not a seat for a person in this game"
                )
        if name is not None:
            if any(
                m.id in online and self.names.get(m.id, "").casefold() == name.casefold()
                for m in self._same_seat(member)
            ):
                where = "on your team" if member.role == "player" else "in this seat"
                raise SessionError(
                    NAME_TAKEN, f"someone connected {where} already has this name; choose another"
                )
        else:
            name = self._default_name(member)
        step = self._begin()
        self.members[member.id] = member
        self.replies[member.id] = OrderedDict()
        step.members.append(member)
        self._append({"k": "join", "m": member.id, "role": member.role, "state": member.state, "name": name})
        return self._end()

    def start(
        self, member: Member, ref: str | int, fill_bots: bool, now: float, confirm: bool = False
    ) -> Step:
        """The umpire starts the game.  With `fill_bots`, bots take the human seats nobody joined, but
        only once the umpire has confirmed it (`confirm`): a student late for class is not replaced
        unawares."""
        self._umpire(member, "start the game")
        if self.status != "lobby":
            raise SessionError(ALREADY_STARTED, "the game has already started")
        empty = [s for s in self.game.state_ids if self.seats.get(s) == "human" and not self.team(s)]
        if fill_bots and empty and not confirm:
            names = ", ".join(f"{self.scenario.state(s).name} ({s})" for s in empty)
            raise SessionError(
                SEATS_EMPTY,
                f"nobody has joined {names}: bots would play them; start again with confirm to let them",
                states=empty,
            )
        personalities: dict[str, str] = self.settings["personalities"]
        assignment = {
            s: personalities[s]
            for s in self.game.state_ids
            if self.seats.get(s) == "bot" or (fill_bots and s in empty)
        }
        step = self._begin()
        entry: Entry = {"k": "start", "m": member.id, "c": ref, "bots": assignment}
        self._append(entry)
        step.reply = self._ack(member, ref, self._result(entry, []))
        self._remember(member, ref, step.reply)
        self._phase_start(now)
        step.new_phase = True  # everyone's view changes: the game is running
        return self._end()

    def _umpire_entry(self, member: Member, ref: str | int, entry: Entry) -> Step:
        """Record one umpire's entry and acknowledge it."""
        step = self._begin()
        facts = self._append(entry)
        step.reply = self._ack(member, ref, self._result(entry, facts))
        self._remember(member, ref, step.reply)
        return self._end()

    def name_leader(self, member: Member, ref: str | int, state: str, chosen: str | None) -> Step:
        """The umpire names the member who alone acts on a state's agreements (None: anyone may again)."""
        self._umpire(member, "name a leader")
        self._not_over()
        self._state(state)
        if chosen is not None and all(m.id != chosen for m in self.team(state)):
            raise SessionError(
                UNKNOWN_MEMBER, f"no member {chosen} plays {state} now; the table lists its members"
            )
        return self._umpire_entry(
            member, ref, {"k": "leader", "m": member.id, "c": ref, "state": state, "member": chosen}
        )

    def replace(self, member: Member, ref: str | int, state: str) -> Step:
        """The umpire gives a state to a bot from now on (its students are absent): its members stay
        seated and see what it sees, but their commands for it are refused."""
        self._umpire(member, "give a seat to a bot")
        self._not_over()
        self._state(state)
        if self.seats.get(state) != "human":
            who = "a bot already plays it" if self.seats.get(state) == "bot" else "nobody plays it"
            raise SessionError(SEAT_UNAVAILABLE, f"{state} is not a seat for people: {who}")
        step = self._umpire_entry(member, ref, {"k": "replace", "m": member.id, "c": ref, "state": state})
        if self.status == "running":
            step.wake.add(state)  # it may have proposals and messages waiting for an answer
        return step

    def kick(self, member: Member, ref: str | int, target: str) -> Step:
        """The umpire removes a member: its token opens nothing any more and its connections close.
        The person may join again with the code, as a new member."""
        self._umpire(member, "remove a member")
        other = self.members.get(target)
        if other is None or other.id in self.kicked:
            raise SessionError(UNKNOWN_MEMBER, f"no member {target} in this game; the table lists them")
        if other.id == member.id:
            raise SessionError(NOT_ALLOWED, "you cannot remove yourself")
        step = self._umpire_entry(member, ref, {"k": "kick", "m": member.id, "c": ref, "member": target})
        step.close.append(target)
        return step

    def revoke_code(self, member: Member, ref: str | int, seat: str, code: str) -> Step:
        """The umpire revokes a seat's join code (it leaked, a student left the class): the old code opens
        nothing any more and `code` (the lobby draws it) takes its place.  Members already seated stay."""
        self._umpire(member, "revoke a join code")
        codes = self.settings["codes"]
        if seat not in ("observer", "umpire") and seat not in codes["states"]:
            raise SessionError(
                UNKNOWN_SEAT, f"no join code for {seat!r}: give a state played by people, observer or umpire"
            )
        step = self._umpire_entry(
            member, ref, {"k": "codes", "m": member.id, "c": ref, "seat": seat, "code": code}
        )
        step.tables.add(UMPIRE)
        return step

    def inject(self, member: Member, ref: str | int, prepared: str | None, card: InjectCard | None) -> Step:
        """The umpire releases an inject, prepared or written now: the rules' `inject` command, logged
        like any other.  Everyone gets a fresh view after it (a unit placed, a treasury, an exposé)."""
        self._umpire(member, "release an inject")
        self._running()
        try:
            command = Inject(inject=prepared, card=card)
        except ValidationError as exc:
            raise SessionError(INVALID_COMMAND, f"invalid inject: {describe(exc, tagged=False)}") from None
        step = self._command(member, ref, command)
        step.new_phase = True  # not a new phase, but as much changes: whole views for everyone
        return step

    def _release_due(self) -> None:
        """A movement turn begins: the scenario's injects due by now are released, as logged commands."""
        game = self.game
        if game.over or game.phase != "movement":
            return
        for spec in injects_due(self.scenario, game.turn, game.released):
            command = Inject(inject=spec.id)
            try:
                self._append(
                    {"k": "cmd", "m": None, "c": None, "by": "schedule", "cmd": command_json(command)},
                    command,
                )
            except CommandError as exc:  # (a prepared inject skips what play made impossible: not expected)
                log.warning("game %s: inject %s not released (%s)", self.id, spec.id, exc.code)

    # --- changing: the turn --------------------------------------------------------------------------

    def advance(
        self, now: float, by: str, member: Member | None = None, ref: str | int | None = None
    ) -> Step:
        """Resolve the current phase (its deadline passed, all were ready, or the umpire said so):
        the bots answer and order, the rules resolve, the next phase starts and its bots open.
        A retreat or adjustment phase that no person has to order resolves at once, in the same step."""
        if member is not None:
            self._umpire(member, "resolve a phase early")
        self._running()
        step = self._begin()
        asker = member if ref is not None else None
        for _ in range(4):
            self._bots_close()
            assert self.game.phase is not None
            entry: Entry = {
                "k": "cmd",
                "m": asker.id if asker else None,
                "c": ref if asker else None,
                "by": by,
                "cmd": command_json(Resolve(turn=self.game.turn, phase=self.game.phase)),
            }
            facts = self._append(entry)
            if asker is not None and ref is not None:
                step.reply = self._ack(asker, ref, self._result(entry, facts))
                self._remember(asker, ref, step.reply)
                asker = None
            self._phase_start(now)
            if self.game.over or self.game.phase == "movement" or self.required():
                break
        step.new_phase = True
        return self._end()

    def _phase_start(self, now: float) -> None:
        clock = Clock.from_json(self.clock.to_json())
        if self.game.over:
            clock.stop()
        else:
            clock.start_phase(now)
        self._append({"k": "phase", "clock": clock.to_json()})
        self._release_due()
        self._bots_open()

    def _bot_command(self, command: AnyCommand) -> None:
        """The bot driver's way to apply a command: a log entry like a player's.  Raises CommandError
        (nothing changed) when the rules refuse it; the driver drops and logs it."""
        self._append({"k": "cmd", "m": "bot", "c": None, "cmd": command_json(command)}, command)

    def _bots_open(self) -> None:
        """A phase starts: in a movement phase every bot opens its turn (game/bots/driver.py)."""
        self._bot_driver().open_phase()

    def _bots_close(self) -> None:
        """Before the phase resolves: the bots answer, settle their dues and order (game/bots/driver.py)."""
        self._bot_driver().close_phase()

    def bot_react(self, state: str) -> Step:
        """A bot answers, within the phase, what awaits it: proposals, messages, asks (the host calls
        this after the game's bot delay).  Its commands are entries like anyone's; a bot with nothing
        to answer makes none.  A bot's answer wakes no other bot here: bots deal with bots in the
        rounds before the phase resolves, so a conversation between bots cannot run on forever."""
        self._begin()
        if (
            self.status == "running"
            and not self.game.over
            and self.game.phase == "movement"
            and state in self.bots
        ):
            self._bot_driver().react(state)
        return self._end()

    def _bot_driver(self) -> BotDriver:
        """The one driver of bot turns (the same `simulate` uses) over this session's bots and game.
        Made afresh each time, so that nothing of it is pickled into a snapshot."""
        return bot_driver(self.game, self.bots, self._bot_command, self.blind)

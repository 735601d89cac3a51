"""What the client knows of its game, built only from what the server sent.

The server is the umpire and the only source of truth: each `view` it sends replaces the
whole picture, and the events that follow keep it current until the next one.  Most events
are facts told at once (a message, a signature, a teammate's orders); the server also sends
*deltas* of the view between views (docs/protocol.md): `agreement` (one card of
view["agreements"], upserted by id), `me` (view["me"], replaced) and `standing`
(view["states"], replaced).  So a proposal, a counter or a signature shows the moment it
happens, with no wait for the next phase; only the resolution of a phase brings a new view.

What arrived that the player has not yet looked at is counted per topic (the side tabs:
talk, deals, orders, news, goals — an objective whose status changed) until the tab is opened
(`unread_count`, `mark_read`).

`revision` counts changes so the UI redraws only when something changed.
"""

from __future__ import annotations

import json
from collections import OrderedDict, deque
from typing import Any

from game.rules.scenario import Scenario

Message = dict[str, Any]

NEWS_LIMIT = 2000
REPLIES_LIMIT = 256
REPLY_TYPES = frozenset({"ack", "created", "joined", "error", "scenario", "record"})
TOPICS = ("orders", "talk", "deals", "news", "goals")
"""What the side tabs count as unread (their keys)."""

DEAL_KINDS = frozenset(
    {
        "agreement_proposed",
        "agreement_signature",
        "agreement_signed",
        "annex_signed",
        "agreement_rejected",
        "agreement_renounced",
        "agreement_ratification",
        "agreement_ratified",
        "agreement_expired",
        "agreement_lapsed",
        "agreement_breached",
        "agreement_leaked",
        "agreement_discovered",
        "denial",
        "justification",
        "breach_declared",
    }
)
"""Events about an agreement: news for the Deals tab."""
NEWS_KINDS = frozenset(
    {
        "agreement_leaked",
        "leak_done",
        "agreement_discovered",
        "message_intercepted",
        "agreement_breached",
        "investigation",
        "interception",
        "denial",
        "justification",
        "backlash",
        "trust_shaken",
        "government_fell",
        "propaganda",
        "action_failed",
        "payment",
        "agreement_ratified",
        "income",
        "game_over",
        "inject",
        "legitimacy",
        "treasury",
        "unit_placed",
        "unit_removed",
    }
)
"""Events for the News tab: secrets, spying, betrayals, money (the intelligence panel's list)."""
DONE_BY_ACTOR = frozenset(
    {
        "message",
        "payment",
        "agreement_proposed",
        "agreement_signature",
        "agreement_rejected",
        "agreement_renounced",
        "agreement_ratification",
        "denial",
        "justification",
        "breach_declared",
    }
)
"""Events a state causes by its own command: not news to the state that did it."""


class ClientState:
    """The client's picture of its game: feed it every message the link polls, in order."""

    def __init__(self) -> None:
        self.seat: Message | None = None
        """``{"game", "role", "state"}`` once seated."""
        self.token: str | None = None
        self.view: Message | None = None
        """The latest view's ``view`` (the rules' view_for), kept current between views where trivial."""
        self.table: Message | None = None
        """The latest view's ``table``: status, seats, clock, ready flags, you, codes."""
        self.v = 0
        self.events: list[Message] = []
        """Events received since the latest view, in order: news on top of the picture."""
        self.news: deque[Message] = deque(maxlen=NEWS_LIMIT)
        """Every event of this session as ``{"turn", "phase", "v", "event"}``: the turn and phase it arrived in."""
        self.connection = "offline"
        self.connection_detail = ""
        self.errors: list[Message] = []
        """Error replies not yet shown; the UI pops them."""
        self.replies: OrderedDict[str | int, Message] = OrderedDict()
        self.codes: Message | None = None
        """Join codes (umpire only): ``{"states": {state: code}, "observer", "umpire"}``."""
        self.revision = 0
        self.scenario_id: str | None = None
        self.scenario: Scenario | None = None
        """The game's scenario read from `scenario_data`, set by the screen that parsed it."""
        self.scenario_data: Message | None = None
        """The game's scenario as the seat may read it (the `scenario` reply to `get_scenario`);
        `ScenarioCache.from_wire` makes it a `Scenario`."""
        self.unread: dict[str, set[str]] = {topic: set() for topic in TOPICS}
        """What arrived per topic (tab) since the player last had it open: keys of distinct things."""
        self.sent_orders: list[str] | None = None
        """The order list this client sent last (the order box's): orders that differ are a teammate's."""
        self.orders_given: dict[str, list[str]] = {}
        """Each state's orders as given this phase, as far as this seat is told them (the umpire: every
        state's, from the view's `orders` where the server puts them there, and each `orders_submitted`)."""
        self._orders_phase: tuple[object, object] | None = None
        self.released_injects: set[str] = set()
        """Ids of the prepared injects released so far (from `inject` events and the view's list)."""

    # --- feeding -----------------------------------------------------------------------------------

    def apply(self, message: Message) -> None:
        """Take one message from the server (or a `link` message from the link) into the picture."""
        kind = message.get("type")
        handler = _HANDLERS.get(kind) if isinstance(kind, str) else None
        if handler is not None:
            handler(self, message)
        ref = message.get("ref")
        if kind in REPLY_TYPES and ref is not None:
            self.replies[ref] = message
            while len(self.replies) > REPLIES_LIMIT:
                self.replies.popitem(last=False)
        self.revision += 1

    def apply_all(self, messages: list[Message]) -> None:
        for message in messages:
            self.apply(message)

    def _link(self, message: Message) -> None:
        self.connection = str(message.get("state", self.connection))
        self.connection_detail = str(message.get("detail", ""))

    def _welcome(self, message: Message) -> None:
        if message.get("seat") is not None:
            self.seat = message["seat"]

    def _seated(self, message: Message) -> None:
        self.token = message.get("token", self.token)
        self.seat = message.get("seat", self.seat)
        if message.get("codes") is not None:
            self.codes = message["codes"]

    def _error(self, message: Message) -> None:
        self.errors.append(message)

    def _scenario(self, message: Message) -> None:
        data = message.get("scenario")
        if isinstance(data, dict):
            self.scenario_data = data
            self.scenario_id = data.get("id", self.scenario_id)

    def _view(self, message: Message) -> None:
        new = message.get("view")
        if isinstance(new, dict) and self.view is not None:  # a resolved phase moves objectives too
            for changed in self._objectives_changed(new.get("me")):
                self.unread["goals"].add(f"{new.get('turn')}:{new.get('phase')}:{changed}")
        self.view = new
        self.table = message.get("table")
        self.v = int(message.get("v", self.v))
        self.events = []
        if self.table is not None:
            self.seat = self.table.get("you", self.seat)
            if self.table.get("codes") is not None:
                self.codes = self.table["codes"]
        if self.view is not None and self.scenario_id is None:
            self.scenario_id = self.view.get("scenario")
        self._take_orders_of_view()
        self._take_injects_of_view()

    def _take_orders_of_view(self) -> None:
        """A view of a new phase starts its orders afresh; one of the same phase keeps what events told."""
        view = self.view or {}
        key = (view.get("turn"), view.get("phase"))
        if key != self._orders_phase:
            self._orders_phase = key
            self.orders_given = {}
        given = view.get("orders")
        if isinstance(given, dict):
            for state, orders in given.items():
                if isinstance(orders, list):
                    self.orders_given[str(state)] = [str(o) for o in orders]
        me = view.get("me")
        if isinstance(me, dict) and me.get("state") and isinstance(me.get("orders"), list):
            self.orders_given[str(me["state"])] = list(me["orders"])

    def _take_injects_of_view(self) -> None:
        """The umpire's view lists the injects released (`injects.released`); anyone's view has the
        `inject` events of the cards told to it."""
        injects = (self.view or {}).get("injects")
        if isinstance(injects, dict):
            for inject in injects.get("released") or []:
                if isinstance(inject, dict) and inject.get("id"):
                    self.released_injects.add(str(inject["id"]))
        for turn in (self.view or {}).get("events") or []:
            for event in turn.get("events", []) if isinstance(turn, dict) else []:
                if isinstance(event, dict) and event.get("kind") == "inject" and event.get("id"):
                    self.released_injects.add(str(event["id"]))

    def _table(self, message: Message) -> None:
        """The whole table again (who is connected, joined, leads, orders given): not an event."""
        table = message.get("table")
        if not isinstance(table, dict):
            return
        self.table = table
        self.seat = table.get("you", self.seat)
        if table.get("codes") is not None:
            self.codes = table["codes"]

    def _event(self, message: Message) -> None:
        v = message.get("v")
        if isinstance(v, int):
            if v <= self.v and self.view is not None:
                return  # already in the picture (a resend after a resume)
            self.v = v
        event = message.get("event")
        if not isinstance(event, dict):
            return
        self.events.append(event)
        self.news.append({"turn": self.turn, "phase": self.phase, "v": v, "event": event})
        self._notice(event, v)
        update = _UPDATES.get(event.get("kind", ""))
        if update is not None:
            update(self, event)

    # --- events applied to the picture between views ---------------------------------------

    def _on_ready(self, event: Message) -> None:
        if self.table is None:
            return
        ready = [s for s in self.table.get("ready", []) if s != event.get("state")]
        if event.get("ready"):
            ready.append(event["state"])
        self.table["ready"] = ready

    def _on_clock(self, event: Message) -> None:
        if self.table is not None:
            self.table["clock"] = {k: event.get(k) for k in ("seconds", "deadline", "paused", "remaining")}

    def _on_phase(self, event: Message) -> None:
        if self.view is not None:
            for key in ("turn", "year", "season", "phase"):
                if key in event:
                    self.view[key] = event[key]
            if self.view.get("me") is not None:
                self.view["me"]["orders"] = []  # orders belong to the phase that ended
        self.orders_given = {}
        self._orders_phase = (self.turn, self.phase)
        if self.table is not None:
            self.table["ready"] = []
            clock = dict(self.table.get("clock") or {})
            clock["deadline"] = event.get("deadline")
            self.table["clock"] = clock
            if event.get("phase") is None:
                self.table["status"] = "over"

    def _on_started(self, event: Message) -> None:
        if self.table is None:
            return
        self.table["status"] = "running"
        seats = self.table.setdefault("seats", {})
        for state in event.get("bots", []):
            seats[state] = {"player": "bot", "taken": True}

    def _on_seat(self, event: Message) -> None:
        if self.table is not None:
            self.table.setdefault("seats", {})[event["state"]] = {
                "player": event.get("player", "human"),
                "taken": True,
            }

    def _on_message(self, event: Message) -> None:
        if self.view is None:
            return
        messages = self.view.setdefault("messages", [])
        if any(m.get("id") == event.get("id") for m in messages):
            return
        # As the view holds it: an ask or an answer only where the message carries one.
        messages.append(
            {
                k: event[k]
                for k in ("id", "turn", "from", "to", "text", "ask", "answer")
                if event.get(k) is not None
            }
        )

    def _on_message_mark(self, event: Message) -> None:
        if self.view is None:
            return
        for m in self.view.get("messages", []):
            if m.get("id") == event.get("message"):
                m["sincerity"] = event.get("sincerity")

    def _on_orders(self, event: Message) -> None:
        if (event.get("turn"), event.get("phase")) != (self.turn, self.phase):
            return
        if isinstance(event.get("state"), str):
            self.orders_given[event["state"]] = list(event.get("orders", []))
        me = self._me()
        if me is not None and event.get("state") == me.get("state"):
            me["orders"] = list(event.get("orders", []))

    def _on_inject(self, event: Message) -> None:
        if event.get("id"):
            self.released_injects.add(str(event["id"]))

    def _on_unit_placed(self, event: Message) -> None:
        """An inject put a unit on the board: the map shows it at once (the map is public)."""
        if self.view is None or not isinstance(event.get("at"), str):
            return
        units = self.view.setdefault("map", {}).setdefault("units", [])
        unit = {"state": event.get("state"), "type": event.get("unit", "army"), "location": event["at"]}
        if unit not in units:
            units.append(unit)
            self.view["map"]["units"] = list(units)  # a new list: the map's picture is rebuilt

    def _on_unit_removed(self, event: Message) -> None:
        if self.view is None or not isinstance(event.get("at"), str):
            return
        where = event["at"].split("/")[0]
        board = self.view.setdefault("map", {})
        board["units"] = [
            u for u in board.get("units", []) if str(u.get("location", "")).split("/")[0] != where
        ]

    def _on_legitimacy(self, event: Message) -> None:
        if self.view is None or not isinstance(event.get("legitimacy"), int):
            return
        for standing in self.view.get("states", []):
            if standing.get("id") == event.get("state"):
                standing["legitimacy"] = event["legitimacy"]

    def _on_action(self, event: Message) -> None:
        me = self._me()
        if me is not None and event.get("state") == me.get("state"):
            action = {"kind": event.get("action"), "target": event.get("target")}
            actions = me.setdefault("actions", [])
            if action not in actions:  # a `me` delta may have told it already
                actions.append(action)

    # --- deltas of the view ------------------------------------------------------------------------

    def _on_agreement(self, event: Message) -> None:
        """One agreement card as I may know it now: replaces the card of that id, or is new."""
        card = event.get("agreement")
        if self.view is None or not isinstance(card, dict) or "id" not in card:
            return
        agreements = self.view.setdefault("agreements", [])
        for i, known in enumerate(agreements):
            if known.get("id") == card["id"]:
                agreements[i] = card
                return
        agreements.append(card)

    def _on_me(self, event: Message) -> None:
        """My state as the server holds it: treasury, trust, orders (a teammate's too), actions."""
        me = event.get("me")
        if self.view is not None and isinstance(me, dict):
            self.view["me"] = me

    def _on_standing(self, event: Message) -> None:
        """Every state's public standing: legitimacy, reputation, conduct."""
        states = event.get("states")
        if self.view is not None and isinstance(states, list):
            self.view["states"] = states

    # --- what arrived unseen -------------------------------------------------------------------------

    def _notice(self, event: Message, v: object) -> None:
        """Count an event under the tabs it is news for (before it changes the picture)."""
        kind = event.get("kind", "")
        mine = self.my_state
        key = str(v if v is not None else len(self.news))
        if (
            kind in DONE_BY_ACTOR
            and mine is not None
            and mine in (event.get("state"), event.get("from"), event.get("by"))
        ):
            return
        if kind == "message":
            self.unread["talk"].add(str(event.get("id", key)))
        if kind in DEAL_KINDS and event.get("agreement"):
            self.unread["deals"].add(str(event["agreement"]))
        if kind == "agreement":
            card = event.get("agreement")
            known = {a.get("id") for a in (self.view or {}).get("agreements", [])}
            if isinstance(card, dict) and card.get("id") not in known and card.get("proposer") != mine:
                self.unread["deals"].add(str(card.get("id")))
        if kind in NEWS_KINDS:
            self.unread["news"].add(key)
        if kind == "me":
            for changed in self._objectives_changed(event.get("me")):
                self.unread["goals"].add(changed)
        if kind in ("orders_submitted", "me"):
            orders = (
                event.get("orders") if kind == "orders_submitted" else (event.get("me") or {}).get("orders")
            )
            if (
                isinstance(orders, list)
                and event.get("state", mine) == mine
                and orders != self.my_orders()
                and orders != self.sent_orders
            ):
                self.unread["orders"].add(key)  # a teammate's orders

    def _objectives_changed(self, me: object) -> list[str]:
        """Keys of my objectives whose status a new `me` changes (each status once: met, then lost
        again, counts twice)."""
        before = self._me() or {}
        old, new = before.get("objectives"), me.get("objectives") if isinstance(me, dict) else None
        if not isinstance(old, list) or not isinstance(new, list):
            return []
        out = []
        for i, o in enumerate(new):
            was = old[i] if i < len(old) else None
            if isinstance(o, dict) and isinstance(was, dict) and was.get("status") != o.get("status"):
                out.append(f"{i}:{o.get('kind')}:{o.get('status')}")
        return out

    def unread_count(self, topic: str) -> int:
        """How many things arrived for this tab since it was last open."""
        return len(self.unread.get(topic, ()))

    def mark_read(self, topic: str) -> None:
        """The player has the tab open: what it shows is seen."""
        seen = self.unread.get(topic)
        if seen:
            seen.clear()

    def expect_orders(self, orders: list[str]) -> None:
        """The order box sent this list: when the server holds it, that is no news to this seat."""
        self.sent_orders = list(orders)

    # --- what the UI asks --------------------------------------------------------------------------

    def _me(self) -> Message | None:
        return self.view.get("me") if self.view is not None else None

    @property
    def my_state(self) -> str | None:
        """The state this seat plays (None for an observer, the umpire, or before joining)."""
        if self.seat is not None and self.seat.get("state"):
            return str(self.seat["state"])
        me = self._me()
        return str(me["state"]) if me and me.get("state") else None

    @property
    def role(self) -> str | None:
        return str(self.seat["role"]) if self.seat is not None and self.seat.get("role") else None

    @property
    def phase(self) -> str | None:
        """movement, retreat or adjustment; None before the first view and when the game is over."""
        return self.view.get("phase") if self.view is not None else None

    @property
    def turn(self) -> int | None:
        return self.view.get("turn") if self.view is not None else None

    @property
    def status(self) -> str | None:
        """lobby, running or over (the table's)."""
        return self.table.get("status") if self.table is not None else None

    def deadline_remaining(self, now: float) -> float | None:
        """Seconds left in this phase (the time kept while paused); None without a deadline."""
        clock = self.table.get("clock") if self.table is not None else None
        if not clock:
            return None
        if clock.get("paused"):
            remaining = clock.get("remaining")
            return float(remaining) if remaining is not None else None
        deadline = clock.get("deadline")
        return max(0.0, float(deadline) - now) if deadline is not None else None

    def is_ready(self, state: str | None = None) -> bool:
        """Whether `state` (default: mine) is ready for this phase."""
        state = state if state is not None else self.my_state
        return self.table is not None and state in self.table.get("ready", [])

    def team_size(self, state: str | None) -> int:
        """How many people play `state` (the table's seats say), 0 when unknown: a name beside a
        message or an order tells something only where a state has a team."""
        seats = self.table.get("seats", {}) if self.table is not None else {}
        seat = seats.get(state) if isinstance(seats, dict) and state else None
        members = seat.get("members") if isinstance(seat, dict) else None
        return members if isinstance(members, int) else 0

    def my_orders(self) -> list[str]:
        """My orders for this phase as the server holds them (notation of docs/rules.md)."""
        me = self._me()
        return list(me.get("orders", [])) if me is not None else []

    @property
    def scenario_text(self) -> str | None:
        """The scenario as canonical JSON text (the key the scenario cache files it under)."""
        if self.scenario_data is None:
            return None
        return json.dumps(self.scenario_data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def pop_errors(self) -> list[Message]:
        """The error replies not yet shown, oldest first; the list is emptied."""
        errors, self.errors = self.errors, []
        return errors


_HANDLERS = {
    "link": ClientState._link,
    "welcome": ClientState._welcome,
    "created": ClientState._seated,
    "joined": ClientState._seated,
    "error": ClientState._error,
    "scenario": ClientState._scenario,
    "view": ClientState._view,
    "table": ClientState._table,
    "event": ClientState._event,
}

_UPDATES = {
    "ready": ClientState._on_ready,
    "clock": ClientState._on_clock,
    "phase": ClientState._on_phase,
    "started": ClientState._on_started,
    "seat": ClientState._on_seat,
    "message": ClientState._on_message,
    "message_mark": ClientState._on_message_mark,
    "orders_submitted": ClientState._on_orders,
    "inject": ClientState._on_inject,
    "unit_placed": ClientState._on_unit_placed,
    "unit_removed": ClientState._on_unit_removed,
    "legitimacy": ClientState._on_legitimacy,
    "action_ordered": ClientState._on_action,
    "agreement": ClientState._on_agreement,
    "me": ClientState._on_me,
    "standing": ClientState._on_standing,
}

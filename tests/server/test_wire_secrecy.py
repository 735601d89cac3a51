"""Secrecy on the wire: random games against the real server, every frame to every seat checked.

The rules' own property test (tests/test_secrecy_property.py) checks `view_for` and the turn
reports; this one checks what actually leaves the server.  Each example is one game of the
July Crisis on a server in this process (127.0.0.1, port 0): three or four great powers played
by scripted people (one of them by a team of two), the other states by the server's bots, an
observer, and the umpire.  The people do random diplomacy in the middle of each phase —
proposals public, secret and with a secret annex, with and without an intermediary, counters,
signatures, rejections, renunciations, ratifications, leaks, denials, declared breaches,
private and public press (words, asks, answers), investigations, intercepts, propaganda,
payments, orders that attack their partners, ready flags, resyncs, reconnections — for a few
turns, with whatever retreats and adjustments follow.  Bots answer in the rounds before each
phase resolves.

Every frame each connection receives is kept.  After every command all connections are
flushed by a ping (the server writes a step's frames to every connection before it answers
anything else, and the umpire is flushed last, so it holds every fact any seat could have been
sent).  Then the umpire's copy of each fact, which carries its audience, feeds the test's own
account of who may know what (`Account`), kept from the facts alone as the rules'
documentation says (docs/rules.md, DESIGN.md "Agreements"):

* an agreement: its insiders (parties and intermediary) from its proposal; everyone once a
  public one is in force (its annex stays with the insiders), once rumoured (only that it
  exists), exposed or ratified; the states an investigation told.  A breach tells nobody new:
  a state the broken clause protected but that never knew the agreement sees only the attack;
* a private message: its sender and recipients, and whoever intercepted it.

Then every new frame of every seat must hold only that: no agreement id (`agr-…`), title,
clause or annex text (each a unique marker), no message id or private text outside the
account; every event must be one the umpire got with an audience naming the seat (an event
without an audience is a bug, never a fact for everyone), without its audience field — or the
seat's own cut of one (a view delta; a message less the ask or answer that refers to what the
seat may not know).  A refusal must tell nothing either: a command naming an agreement or a
message the seat may not know is answered exactly as the same command naming an id that never
existed (code and message, but for the id it gave), and a refusal that names an agreement's
status names the one the seat sees.

A failing example is shrunk to a short game and printed step by step (each command sent, each
refusal); the assertion names the seat, the frame and the fact.  Statistics of what the games
did: `pytest --hypothesis-show-statistics`.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import event as tally
from hypothesis import strategies as st
from support.server import Client, new_game, running_server

from game.rules.adjustments import build_sites
from game.rules.agreements import agreement_view
from game.rules.clauses import clause_states
from game.rules.knowledge import ALL, OBSERVER, UMPIRE, visible
from game.rules.views import scenario_for

PLAYABLE = ("gbr", "fra", "ger", "aus", "rus", "ita")
UNUSED = "agr-99999999"  # well formed; made sure never to exist in the game
UNUSED_MESSAGE = "msg-99999999"

AGREEMENT_ID = re.compile(rb"agr-[0-9]{8}")
MESSAGE_ID = re.compile(rb"msg-[0-9]{8}")
MARKER = re.compile(rb"(TITLEMARK|TERMSMARK|ANNEXMARK|SECRETMSG)-([0-9]{4})")
STATUSES = "proposed|active|expired|breached|renounced|rejected|superseded|lapsed"
VIEW_DELTAS = frozenset({"agreement", "me", "standing"})
"""Facts cut for one viewer (a view's part): the umpire's copy, if any, is its own cut, not the seat's."""
CUT_FIELDS = ("ask", "answer")
"""What a reader's copy of a message may lack (or hold as None) beside the umpire's: what it refers to
(the message answered, the agreement complained of) that this reader may not know."""
MISSING = "<no audience>"

AGREEMENT_ACTS = ("sign", "reject", "renounce", "ratify", "leak", "deny", "justify")


# --- who may know what ---------------------------------------------------------------------------


class Account:
    """The test's own account of every fact's audience, from the umpire's copy of each fact.

    Keys: (layer, agreement id) with layers `exist`, `terms`, `annex`; (`msgid`, message id);
    (`msg`, marker number) for the text of a private message.  A value is `ALL` or a set of states."""

    def __init__(self) -> None:
        self.audience: dict[tuple[str, str], set[str] | str] = {}
        self.markers: dict[bytes, tuple[str, set[str]]] = {}
        """marker -> (layer, agreement ids) for titles, clauses and annexes; ids grow with counters."""
        self.authors: dict[bytes, str] = {}
        """marker -> the state that wrote it (it may always read its own words)."""
        self.texts: dict[bytes, tuple[str, str]] = {}
        """literal text of a starting agreement's title or clause -> (layer, agreement id)."""
        self.senders: dict[str, str] = {}
        """message id -> its sender."""

    def allow(self, key: tuple[str, str], who: Any) -> None:
        if who == ALL:
            self.audience[key] = ALL
            return
        current = self.audience.setdefault(key, set())
        if current != ALL:
            assert isinstance(current, set)
            current.update(who)

    def allow_agreement(
        self, ref: str, who: Any, layers: tuple[str, ...] = ("exist", "terms", "annex")
    ) -> None:
        for layer in layers:
            self.allow((layer, ref), who)

    def may(self, key: tuple[str, str], viewer: str) -> bool:
        who = self.audience.get(key)
        if viewer == UMPIRE or who == ALL:
            return True
        return who is not None and viewer in who

    def learn(self, event: dict[str, Any]) -> None:
        """What one fact (the umpire's copy, with its audience) lets others know."""
        kind = event["kind"]
        ref = event.get("agreement")
        audience = event.get("audience", MISSING)
        if kind == "agreement_proposed":
            parties = set(event["parties"])
            assert audience != MISSING and (audience == ALL or parties <= set(audience)), (
                f"the proposal {ref} is not told to its parties: {event}"
            )
            assert audience == ALL or len(set(audience) - parties) <= 1, (
                f"the proposal {ref} is told to more than its parties and intermediary: {event}"
            )
            self.allow_agreement(ref, audience)
            if event.get("counter_of"):  # a counter without a title of its own keeps the old one
                for _, refs in self.markers.values():
                    if event["counter_of"] in refs:
                        refs.add(ref)
        elif kind == "agreement_signed" and event["visibility"] == "public":
            self.allow_agreement(ref, ALL, ("exist", "terms"))
        elif kind == "agreement_ratified":
            self.allow_agreement(ref, ALL)
        elif kind == "agreement_leaked":
            self.allow_agreement(
                ref, ALL, ("exist",) if event["level"] == "rumour" else ("exist", "terms", "annex")
            )
        elif kind == "agreement_discovered":
            self.allow_agreement(ref, audience)
        elif kind == "message":
            expected = ALL if event["to"] == ALL else sorted({event["from"], *event["to"]})
            assert (list(audience) if audience != ALL else ALL) == expected, (
                f"a message's audience is wrong: {event}"
            )
            self.allow(("msgid", event["id"]), audience)
            self.senders[event["id"]] = event["from"]
            self._allow_text(event["text"], audience)
        elif kind == "message_intercepted":
            self.allow(("msgid", event["message"]), audience)
            self._allow_text(event["text"], audience)

    def messages_to(self, state: str) -> list[str]:
        """The messages `state` may read and did not write: those it may answer."""
        return [m for m, sender in self.senders.items() if sender != state and self.may(("msgid", m), state)]

    def _allow_text(self, text: str, audience: Any) -> None:
        for match in MARKER.finditer(text.encode()):
            if match.group(1) == b"SECRETMSG":
                self.allow(("msg", match.group(2).decode()), audience)

    def problems(self, frame: bytes, viewer: str, own: frozenset[bytes] = frozenset()) -> Iterator[str]:
        """What in these bytes (sent to `viewer`) is outside its knowledge; `own`: ids it sent itself."""
        for found in set(AGREEMENT_ID.findall(frame)) - own:
            if not self.may(("exist", found.decode()), viewer):
                yield f"the id of {found.decode()}, which it may not know of"
        for found in set(MESSAGE_ID.findall(frame)) - own:
            if not self.may(("msgid", found.decode()), viewer):
                yield f"private message {found.decode()}, which it may not read"
        for match in set(MARKER.finditer(frame)):
            marker = match.group(0)
            if self.authors.get(marker) == viewer:
                continue
            if match.group(1) == b"SECRETMSG":
                if not self.may(("msg", match.group(2).decode()), viewer):
                    yield f"the text of private message {marker.decode()}, which it may not read"
                continue
            layer, refs = self.markers.get(marker, ("terms", set()))
            if not any(self.may((layer, ref), viewer) for ref in refs):
                yield f"{marker.decode()}, from the {layer} of {sorted(refs) or 'a refused proposal'}"
        for text, (layer, ref) in self.texts.items():
            if text in frame and not self.may((layer, ref), viewer):
                yield f"the {layer} of starting agreement {ref} ({text[:40].decode()}...)"


# --- the table ------------------------------------------------------------------------------------


def canonical(event: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in event.items() if k != "audience"}, sort_keys=True, default=str)


def referred(command: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
    """The agreement or message a command names (as a subject, in an ask, as what it answers), and the
    same command naming an id that never existed instead."""
    if "agreement" in command:
        return str(command["agreement"]), {**command, "agreement": UNUSED}
    ask, answer = command.get("ask") or {}, command.get("answer") or {}
    if "agreement" in ask:
        return str(ask["agreement"]), {**command, "ask": {**ask, "agreement": UNUSED}}
    if "to" in answer:
        return str(answer["to"]), {**command, "answer": {**answer, "to": UNUSED_MESSAGE}}
    return None, None


def knowledge_key(ref: str) -> tuple[str, str]:
    return ("exist", ref) if ref.startswith("agr-") else ("msgid", ref)


_READABLE: dict[str, str] = {}


def readable_scenario(scenario: Any) -> str:
    """Everything of the scenario that some seat may read (`get_scenario`), as JSON text; once per scenario."""
    if scenario.id not in _READABLE:
        viewers = (OBSERVER, *(state.id for state in scenario.states))
        _READABLE[scenario.id] = "\n".join(
            json.dumps(scenario_for(scenario, v), ensure_ascii=False) for v in viewers
        )
    return _READABLE[scenario.id]


class Table:
    """One game: the server, its seats and what each received, the account, the random players."""

    def __init__(self, data: st.DataObject, server: Any, url: str) -> None:
        self.data = data
        self.server = server
        self.url = url
        self.account = Account()
        self.pool: dict[str, list[Any]] = {}
        """Every fact the umpire got, by its content: the audiences it carried."""
        self.messages: dict[str, dict[str, Any]] = {}
        """The umpire's copy of every message, by id."""
        self.checked: dict[str, int] = {}
        self.sent: dict[str, dict[str | int, dict[str, Any]]] = {}
        self.numbers = 0
        self.ids = 0
        self.reconnects = 0
        self.rng = random.Random(0)
        """The choices of the step being played, seeded by the step (see `turn`)."""

    def draw(self, strategy: st.SearchStrategy[Any], label: str | None = None) -> Any:
        return self.data.draw(strategy, label=label)

    def some(self, pool: list[str], most: int) -> list[str]:
        """One to `most` different states from `pool` (repeats in it weigh)."""
        picked: list[str] = []
        for _ in range(self.rng.randint(1, most)):
            choice = self.rng.choice(pool)
            if choice not in picked:
                picked.append(choice)
        return picked

    @property
    def game(self) -> Any:
        return self.host.session.game

    def marker(self, kind: str, author: str) -> str:
        self.numbers += 1
        marker = f"{kind}-{self.numbers:04d}"
        self.account.authors[marker.encode()] = author
        return marker

    # --- seating -----------------------------------------------------------------------------------

    async def open(self) -> None:
        self.humans: list[str] = self.draw(
            st.lists(st.sampled_from(PLAYABLE), min_size=3, max_size=4, unique=True).map(sorted), "people"
        )
        seed = self.draw(st.integers(0, 50), "game seed")
        seats = {s: ("human" if s in self.humans else "bot") for s in PLAYABLE}
        # Bots answer before the phase resolves (the driver's rounds), never on their in-phase timer: a
        # timer's answer would land between the test's commands at a moment the clock chose.
        self.umpire, created = await new_game(
            self.url, scenario="july-1914", seed=seed, seats=seats, bot_delay=120
        )
        self.host = self.server.lobby.games[created["game"]]
        self.clients: dict[str, list[Client]] = {}
        self.viewer: dict[str, str] = {}
        for state in self.humans:
            members = [f"{state}"] + ([f"{state}-teammate"] if state == self.humans[0] else [])
            for name in members:
                client = await Client.open(self.url, name)
                await client.join(created["codes"]["states"][state])
                self.clients.setdefault(state, []).append(client)
                self.viewer[name] = state
        self.observer = await Client.open(self.url, "observer")
        await self.observer.join(created["codes"]["observer"])
        self.viewer["observer"] = OBSERVER
        self.seats = [c for cs in self.clients.values() for c in cs] + [self.observer]
        note(f"seed {seed}; people play {self.humans} ({self.humans[0]} as a team of two); the rest are bots")
        self._know_the_start()
        assert (await self.umpire.request("start", fill_bots=True, confirm=True))["type"] == "ack"
        await self.settle()

    def _know_the_start(self) -> None:
        """The agreements in force at the start: who knows them is the scenario's (the rules' audiences);
        their titles and clause texts are markers too, unless the scenario a seat may read quotes them."""
        game = self.game
        public = readable_scenario(game.scenario)
        for a in game.diplomacy.agreements.values():
            self.account.allow(("exist", a.id), a.existence_audience())
            self.account.allow(("terms", a.id), a.terms_audience())
            self.account.allow(("annex", a.id), a.annex_audience())
            texts = [("terms", a.title)]
            texts += [("terms", c.text) for c in a.clauses if getattr(c, "kind", "") == "free_text"]
            texts += [("annex", c.text) for c in a.annex if getattr(c, "kind", "") == "free_text"]
            for layer, text in texts:
                if len(text) >= 12 and json.dumps(text, ensure_ascii=False)[1:-1] not in public:
                    self.account.texts[text.encode()] = (layer, a.id)
        assert UNUSED not in game.diplomacy.agreements

    # --- sending, flushing, checking ---------------------------------------------------------------

    async def send(self, state: str, message: dict[str, Any]) -> dict[str, Any]:
        """One request from one of the state's members; its reply."""
        members = self.clients[state]
        client = self.rng.choice(members)
        self.ids += 1
        ref = f"{client.name}#{self.ids}"  # apart from the ids Client.request makes up (name-n)
        self.sent.setdefault(client.name, {})[ref] = message
        note(f"{client.name}: {message}")
        reply = await client.request(
            message["type"], id=ref, **{k: v for k, v in message.items() if k != "type"}
        )
        what = message.get("command", {}).get("kind", message["type"])
        if reply["type"] == "error":
            note(f"  refused: {reply['code']}: {reply['message']}")
            tally(f"{what}: refused ({reply['code']})")  # statistics: pytest --hypothesis-show-statistics
        else:
            tally(f"{what}: {reply['type']}")
        return reply

    async def act(self, state: str, command: dict[str, Any]) -> dict[str, Any] | None:
        """A rules command; a command about an agreement or a message the state may not know is sent
        again with an id that never existed, and the two answers must be the same.  Flushed and checked."""
        ref, twin_command = referred(command)
        hidden = ref not in (None, UNUSED, UNUSED_MESSAGE) and not self.account.may(
            knowledge_key(str(ref)), state
        )
        reply = await self.send(state, {"type": "act", "command": command})
        if reply["type"] == "ack" and command["kind"] in ("propose", "counter"):
            self.register(command, reply["result"]["agreement"])
        if reply["type"] == "error" and ref is not None and not hidden:
            self._status_named_as_seen(state, ref, reply)
        if hidden:
            assert ref is not None and twin_command is not None
            assert reply["type"] == "error", (
                f"{state} may not know {ref}, yet its {command['kind']} naming it was applied: {reply}"
            )
            tally("a refusal compared with a made-up id's")
            twin = await self.send(state, {"type": "act", "command": twin_command})
            made_up = UNUSED if ref.startswith("agr-") else UNUSED_MESSAGE
            assert twin["type"] == "error"
            assert (reply["code"], reply["message"].replace(ref, "<id>")) == (
                twin["code"],
                twin["message"].replace(made_up, "<id>"),
            ), (
                f"{state}'s {command['kind']} naming {ref} (which it may not know) is refused otherwise than one naming "
                f"an id that never existed: {reply['code']}: {reply['message']!r} vs {twin['code']}: {twin['message']!r}"
            )
        await self.settle()
        return reply if reply["type"] == "ack" else None

    def _status_named_as_seen(self, state: str, ref: str, reply: dict[str, Any]) -> None:
        a = self.game.diplomacy.agreements.get(ref)
        seen = agreement_view(a, state) if a is not None else None
        for named in re.findall(rf"{re.escape(ref)} is ({STATUSES})\b", reply["message"]):
            assert seen is not None and seen.get("status") == named, (
                f"{state}'s refusal names {ref} {named!r}, but what it may see of it says "
                f"{(seen or {}).get('status', 'nothing of its status')!r}: {reply['message']!r}"
            )

    async def settle(self) -> None:
        """Flush every connection (the umpire last), learn from the umpire's new facts, check every seat."""
        for client in self.seats:
            assert (await client.request("ping"))["type"] == "pong"
        assert (await self.umpire.request("ping"))["type"] == "pong"
        for message in self._new(self.umpire):
            if message["type"] == "event":
                event = message["event"]
                self.pool.setdefault(canonical(event), []).append(event.get("audience", MISSING))
                self.account.learn(event)
                if event["kind"] == "message":
                    self.messages[event["id"]] = event
                tally(f"fact: {event['kind']}")
            elif message["type"] == "view":
                for turn in message["view"]["events"]:
                    for event in turn["events"]:
                        self.pool.setdefault(canonical(event), []).append(event.get("audience", MISSING))
        for client in self.seats:
            start = self.checked.get(client.name, 0)
            for i, message in enumerate(self._new(client), start=start):
                self._check_frame(client, i, message)
            client.inbox.clear()
        self.umpire.inbox.clear()

    def _new(self, client: Client) -> list[dict[str, Any]]:
        start = self.checked.get(client.name, 0)
        if client is self.umpire:
            self.checked[client.name] = len(client.frames)
        return client.frames[start:]

    def _check_frame(self, client: Client, i: int, message: dict[str, Any]) -> None:
        viewer = self.viewer[client.name]
        raw = client.raw[i]
        kind = message["type"]
        where = (
            f"frame {i} to {client.name} ({kind}{'/' + message['event']['kind'] if kind == 'event' else ''})"
        )
        show = repr(message)[:600]
        own: frozenset[bytes] = frozenset()
        if kind in ("error", "ack") and message.get("ref") in self.sent.get(client.name, {}):
            ref, _ = referred(self.sent[client.name][message["ref"]].get("command", {}))
            own = frozenset({ref.encode()}) if ref is not None else frozenset()
        for problem in self.account.problems(raw, viewer, own):
            raise AssertionError(f"{where}: {viewer} is sent {problem}\n  {show}")
        if kind == "event":
            self._check_event(message["event"], viewer, where, show)
        elif kind == "view":
            assert message["view"]["viewer"] == viewer, f"{where}: a view for {message['view']['viewer']}"
            for turn in message["view"]["events"]:
                for event in turn["events"]:
                    self._check_event(
                        event, viewer, f"{where}, turn {turn['turn']}'s events", repr(event)[:600]
                    )
        self.checked[client.name] = i + 1

    def _check_event(self, event: dict[str, Any], viewer: str, where: str, show: str) -> None:
        kind = event["kind"]
        assert "audience" not in event, f"{where}: {viewer} is told who else knows a {kind}\n  {show}"
        audiences = self.pool.get(canonical(event))
        if audiences is None:
            if kind in VIEW_DELTAS:
                self._check_delta(event, viewer, where, show)
                return
            if kind == "message" and event.get("id") in self.messages:
                self._check_cut(event, viewer, where, show)
                return
            raise AssertionError(
                f"{where}: {viewer} got a {kind} the umpire never got (so no audience)\n  {show}"
            )
        if any(a != MISSING and visible(a, viewer) for a in audiences):
            return
        if all(a == MISSING for a in audiences):
            raise AssertionError(
                f"{where}: a {kind} without an audience reached {viewer} (a default of everyone)\n  {show}"
            )
        raise AssertionError(f"{where}: {viewer} got a {kind} whose audience is {audiences}\n  {show}")

    def _check_cut(self, event: dict[str, Any], viewer: str, where: str, show: str) -> None:
        """A reader's own copy of a message: the umpire's, less what it refers to that the reader may not know."""
        whole = self.messages[event["id"]]
        assert visible(whole.get("audience", MISSING), viewer), (
            f"{where}: {viewer} reads a message for {whole.get('audience')}\n  {show}"
        )
        for key, value in event.items():
            assert value == whole.get(key) or (key in CUT_FIELDS and value is None), (
                f"{where}: {viewer}'s copy of {event['id']} differs from the umpire's in {key}: {whole}\n  {show}"
            )
        for key in set(whole) - set(event) - {"audience"}:
            assert key in CUT_FIELDS, f"{where}: {viewer}'s copy of {event['id']} lacks {key}\n  {show}"

    def _check_delta(self, event: dict[str, Any], viewer: str, where: str, show: str) -> None:
        """A viewer's own cut of its view: its card of an agreement it may know, its own `me`."""
        kind = event["kind"]
        if kind == "agreement":
            card = event["agreement"]
            ref = card["id"]
            assert self.account.may(("exist", ref), viewer), (
                f"{where}: {viewer} gets a card of {ref}\n  {show}"
            )
            if "clauses" in card or "title" in card:
                assert self.account.may(("terms", ref), viewer), (
                    f"{where}: {viewer} reads {ref}'s terms\n  {show}"
                )
            if "annex" in card:
                assert self.account.may(("annex", ref), viewer), (
                    f"{where}: {viewer} reads {ref}'s annex\n  {show}"
                )
        elif kind == "me":
            assert viewer != OBSERVER and event["me"].get("state", viewer) == viewer, (
                f"{where}: another's `me`\n  {show}"
            )

    # --- what the people do ----------------------------------------------------------------------

    def others(self, state: str) -> list[str]:
        return [s for s in self.game.state_ids if s != state]

    def partners(self, state: str, count: int) -> list[str]:
        """Other parties: mostly people (so that they can sign), now and then bots."""
        pool = (
            [s for s in self.humans if s != state] * 3
            + [s for s in PLAYABLE if s not in self.humans]
            + ["srb", "bel"]
        )
        return self.some(pool, count)

    def clauses(self, state: str, parties: list[str], marker: str) -> list[dict[str, Any]]:
        """A free-text clause carrying the marker, and maybe one the umpire checks — often one that
        protects a state outside the agreement (it must not learn of it when it is broken)."""
        out: list[dict[str, Any]] = [{"kind": "free_text", "text": f"{marker} in words"}]
        kind = self.rng.choice(
            [
                "none",
                "non_aggression",
                "non_aggression",
                "mutual_defence",
                "neutrality",
                "demilitarised_zone",
                "intelligence_sharing",
                "tribute",
                "support_promise",
                "cession",
            ]
        )
        game = self.game
        states = list(game.state_ids)
        mine = [u.territory for u in game.units_of(state)]
        near = sorted({n for t in mine for n in game.board.neighbours[t]})
        # The outsiders a clause names are mostly people: a bot has no socket to be told anything on.
        outsiders = [s for s in self.humans if s not in parties] * 3 + [s for s in states if s not in parties]
        if kind in ("mutual_defence", "intelligence_sharing"):
            out.append({"kind": kind})
        elif kind == "non_aggression":
            # Between the parties, or between this state and a neighbour outside the agreement.
            neighbours = sorted({game.units[t].state for t in near if t in game.units} - {state})
            if neighbours and self.rng.randint(0, 1):
                people = [s for s in neighbours if s in self.humans and s not in parties]
                out.append({"kind": kind, "between": [state, self.rng.choice(people * 3 + neighbours)]})
            else:
                out.append({"kind": kind})
        elif kind == "neutrality":
            out.append({"kind": kind, "conflict": self.rng.sample(states, 2)})
        elif kind == "demilitarised_zone":
            out.append({"kind": kind, "territories": [self.rng.choice(near or ["bel"])]})
        elif kind == "tribute":
            out.append(
                {"kind": kind, "payer": state, "payee": next(p for p in parties if p != state), "amount": 1}
            )
        elif kind == "support_promise" and mine:
            # This state's unit is to support a neighbouring unit (often another's) to hold this turn.
            at = self.rng.choice(mine)
            held = [t for t in game.board.neighbours[at] if t in game.units] or [at]
            theirs = [
                t for t in held if game.units[t].state in self.humans and game.units[t].state not in parties
            ]
            target = self.rng.choice(theirs * 3 + held)
            out.append({"kind": kind, "by": state, "unit_at": at, "target": target, "turn": game.turn})
        elif kind == "cession" and mine:
            out.append(
                {
                    "kind": kind,
                    "territory": self.rng.choice(mine),
                    "to": self.rng.choice(outsiders),
                    "by_turn": game.turn,
                }
            )
        return out

    def terms(self, state: str, parties: list[str]) -> dict[str, Any]:
        mode = self.rng.choice(["secret", "secret", "public", "annex"])
        fields: dict[str, Any] = {
            "visibility": "secret" if mode == "secret" else "public",
            "clauses": self.clauses(state, parties, self.marker("TERMSMARK", state)),
        }
        if self.rng.randint(0, 3):
            fields["title"] = self.marker("TITLEMARK", state)
        if mode == "annex":
            fields["annex"] = self.clauses(state, parties, self.marker("ANNEXMARK", state))
        if self.rng.random() < 0.5:
            fields["duration"] = self.rng.randint(1, 3)
        return fields

    def register(self, fields: dict[str, Any], ref: str) -> None:
        """The markers of an applied proposal belong to its agreement."""
        for key, layer in (("title", "terms"), ("clauses", "terms"), ("annex", "annex")):
            for text in (
                [fields[key]]
                if key == "title" and key in fields
                else [c.get("text", "") for c in fields.get(key, [])]
            ):
                for match in MARKER.finditer(str(text).encode()):
                    self.account.markers[match.group(0)] = (layer, {ref})

    def pick_agreement(self, state: str) -> str:
        """Mostly one the state is party to, sometimes anyone's (perhaps secret from it), rarely none."""
        agreements = list(self.game.diplomacy.agreements.values())
        mine = [a.id for a in agreements if state in a.parties]
        anyone = [a.id for a in agreements]
        choice = self.rng.randint(0, 9)
        if choice == 0 or not anyone:
            return UNUSED
        if choice <= 2 or not mine:
            return str(self.rng.choice(anyone))
        return str(self.rng.choice(mine))

    async def propose(self) -> None:
        state = self.rng.choice(self.humans)
        parties = [state, *self.partners(state, 2)]
        outside = [s for s in self.humans if s not in parties] + ["bel", "srb"]
        intermediary = self.rng.choice([None, None, *outside])
        fields = self.terms(state, parties)
        command = {"kind": "propose", "parties": parties, **fields}
        if intermediary is not None:
            command["intermediary"] = intermediary
        done = await self.act(state, command)
        if done is not None:
            if self.rng.random() < 0.5:
                await self.sign_all_of(done["result"]["agreement"])

    async def sign_all_of(self, ref: str) -> None:
        a = self.game.diplomacy.agreements[ref]
        for party in a.parties:
            if party in self.humans and party not in a.signed and a.status == "proposed":
                await self.act(party, {"kind": "sign", "agreement": ref})

    async def sign_all(self) -> None:
        proposals = [a.id for a in self.game.diplomacy.agreements.values() if a.status == "proposed"]
        if proposals:
            await self.sign_all_of(self.rng.choice(proposals))

    async def counter(self) -> None:
        """Mostly a person answering a proposal it is party to; now and then anything."""
        open_ = [
            (a.id, p)
            for a in self.game.diplomacy.agreements.values()
            if a.status == "proposed"
            for p in a.parties
            if p in self.humans
        ]
        if open_ and self.rng.randint(0, 3):
            ref, state = self.rng.choice(open_)
        else:
            state = self.rng.choice(self.humans)
            ref = self.pick_agreement(state)
        old = self.game.diplomacy.agreements.get(ref)
        parties = (
            list(old.parties)
            if old is not None and len(old.parties) > 1
            else [state, *self.partners(state, 1)]
        )
        fields = self.terms(state, parties)
        await self.act(state, {"kind": "counter", "agreement": ref, **fields})

    async def agreement_act(self) -> None:
        """Mostly on an agreement of the state's where the act makes sense; now and then on anything."""
        state = self.rng.choice(self.humans)
        kind = self.rng.choice(AGREEMENT_ACTS)
        fits = {
            "sign": lambda a: a.status == "proposed" and state not in a.signed,
            "reject": lambda a: a.status == "proposed",
            "renounce": lambda a: a.status == "active",
            "ratify": lambda a: a.status == "active",
            "leak": lambda a: a.status == "active",
            "deny": lambda a: a.leak_level == "rumour",
            "justify": lambda a: a.leak_level == "exposed",
        }[kind]
        fitting = [a.id for a in self.game.diplomacy.agreements.values() if state in a.parties and fits(a)]
        if fitting and self.rng.randint(0, 3):
            ref = str(self.rng.choice(fitting))
        else:
            ref = self.pick_agreement(state)
        await self.act(state, {"kind": kind, "agreement": ref})

    async def ratify_all(self) -> None:
        shared = [
            a
            for a in self.game.diplomacy.agreements.values()
            if a.status == "active" and set(a.parties) <= set(self.humans)
        ]
        if shared:
            a = self.game.diplomacy.agreements[self.rng.choice([a.id for a in shared])]
            for party in a.parties:
                await self.act(party, {"kind": "ratify", "agreement": a.id})

    async def answer_a_leak(self) -> None:
        leaked = [
            a
            for a in self.game.diplomacy.agreements.values()
            if a.leak_level != "none" and set(a.parties) & set(self.humans)
        ]
        if leaked:
            a = self.game.diplomacy.agreements[self.rng.choice([a.id for a in leaked])]
            state = self.rng.choice(sorted(set(a.parties) & set(self.humans)))
            await self.act(
                state, {"kind": "deny" if a.leak_level == "rumour" else "justify", "agreement": a.id}
            )

    async def declare_breach(self) -> None:
        state = self.rng.choice(self.humans)
        ref = self.pick_agreement(state)
        a = self.game.diplomacy.agreements.get(ref)
        breaker = self.rng.choice(sorted(a.parties) if a else self.humans)
        await self.act(
            state,
            {
                "kind": "declare_breach",
                "agreement": ref,
                "clause": self.rng.randint(0, 2),
                "breaker": breaker,
            },
        )

    async def probe(self) -> None:
        """Ask about an agreement the state may not know of: the answer must be that of a made-up id."""
        state = self.rng.choice(self.humans)
        hidden = [
            ref for ref in self.game.diplomacy.agreements if not self.account.may(("exist", ref), state)
        ]
        if not hidden:
            return
        ref = self.rng.choice(hidden)
        kind = self.rng.choice([*AGREEMENT_ACTS, "declare_breach", "counter"])
        command: dict[str, Any] = {"kind": kind, "agreement": ref}
        if kind == "declare_breach":
            command.update(
                clause=0, breaker=self.rng.choice(sorted(self.game.diplomacy.agreements[ref].parties))
            )
        elif kind == "counter":
            command.update(visibility="secret", clauses=[{"kind": "non_aggression"}])
        await self.act(state, command)

    async def press(self) -> None:
        """A private message to one to three states: words, an ask, or an answer to a message received
        (now and then to one the sender never received)."""
        state = self.rng.choice(self.humans)
        to = self.some(self.others(state)[:12], 3)
        if self.rng.randint(0, 2) == 0:
            to = [self.rng.choice([s for s in self.humans if s != state])]
        command: dict[str, Any] = {
            "kind": "press",
            "to": to,
            "sincerity": self.rng.choice([None, "sincere", "deceptive"]),
        }
        if self.rng.randint(0, 1):
            command["text"] = f"{self.marker('SECRETMSG', state)} for your eyes"
        what = self.rng.choice(["words", "ask", "answer"])
        if what == "ask":
            command["ask"] = self.ask(state)
        elif what == "answer":
            got = self.account.messages_to(state)
            others = [m for m in self.account.senders if m not in got]
            to_what = (
                self.rng.choice(got)
                if got and (self.rng.randint(0, 3) or not others)
                else self.rng.choice(others or [UNUSED_MESSAGE])
            )
            command["answer"] = {"to": to_what, "yes": self.rng.choice([True, False, None])}
        if not command.get("text") and what == "words":
            command["text"] = "a few words"
        tally(f"press with {what}")
        await self.act(state, command)

    def ask(self, state: str) -> dict[str, Any]:
        """An ask: about a territory, a state, a support, a zone, or an agreement (mostly one it can see)."""
        game = self.game
        land = sorted({n for u in game.units_of(state) for n in game.board.neighbours[u.territory]}) or [
            "bel"
        ]
        kind = self.rng.choice(["intentions", "warn", "dmz", "support", "complain", "demand_justification"])
        if kind in ("intentions", "warn"):
            if self.rng.randint(0, 1):
                return {"kind": kind, "territory": self.rng.choice(land)}
            return {"kind": kind, "state": self.rng.choice(self.others(state))}
        if kind == "dmz":
            return {"kind": kind, "territories": [self.rng.choice(land)]}
        if kind == "support":
            units = [t for t, u in game.units.items() if u.state != state]
            return {"kind": kind, "unit_at": self.rng.choice(units), "target": self.rng.choice(land)}
        return {"kind": kind, "agreement": self.pick_agreement(state)}

    async def public_press(self) -> None:
        state = self.rng.choice(self.humans)
        await self.act(
            state, {"kind": "press", "text": f"a public word from {state}: we seek peace with all"}
        )

    async def action(self) -> None:
        state = self.rng.choice(self.humans)
        kind = self.rng.choice(["investigate", "investigate", "intercept", "intercept", "propaganda"])
        # Spies mostly go where there is something to find: the parties of secrets, the people.
        leads = sorted(
            {p for a in self.game.diplomacy.agreements.values() if a.secret for p in a.parties}
            | set(self.humans)
        )
        target = None if kind == "propaganda" else self.rng.choice([s for s in leads if s != state])
        await self.act(state, {"kind": kind, "target": target} if target else {"kind": kind})

    async def pay(self) -> None:
        state = self.rng.choice(self.humans)
        await self.act(
            state,
            {"kind": "pay", "to": self.rng.choice(self.others(state)[:8]), "amount": self.rng.randint(1, 3)},
        )

    async def orders(self, state: str) -> None:
        game = self.game
        if game.phase == "movement":
            orders = self.movement_orders(state)
        elif game.phase == "retreat":
            orders = []
            rng = self.rng
            for territory, d in sorted(game.dislodged.items()):
                if d.unit.state == state:
                    dest = rng.choice([None, *game.retreat_options(territory)])
                    orders.append(f"{d.unit.text} D" if dest is None else f"{d.unit.text} R {dest}")
        else:
            balance = game.adjustment_balance().get(state, 0)
            sites = build_sites(game.board, game.units, game.owners, state)
            units = game.units_of(state)
            orders = (
                [f"build A {t}" for t in sites[:balance]]
                if balance > 0
                else [f"remove {u.text}" for u in units[:-balance]]
            )
        await self.act(state, {"kind": "orders", "turn": game.turn, "phase": game.phase, "orders": orders})

    def movement_orders(self, state: str) -> list[str]:
        """Holds, moves, supports, and attacks — on partners first, so that agreements get broken.  One
        seed: fewer choices for hypothesis to shrink one by one."""
        rng = self.rng
        game = self.game
        board = game.board
        bound = [a for a in game.diplomacy.agreements.values() if state in a.parties and a.status == "active"]
        friends = {p for a in bound for p in a.parties} | {
            s for a in bound for _, c, _ in a.all_clauses() for s in clause_states(c)
        }
        orders = []
        for unit in game.units_of(state):
            reach = [
                t for t in board.neighbours[unit.territory] if board.can_reach(unit.type, unit.location, t)
            ]
            targets = [
                t
                for t in reach
                if (t in game.units and game.units[t].state != state)
                or game.owners.get(t) not in (None, state)
            ]
            liked = [
                t
                for t in targets
                if (game.units[t].state if t in game.units else game.owners.get(t)) in friends
            ]
            what = rng.choice(["hold", "move", "attack", "attack", "support"])
            if what == "attack" and (liked or targets):
                orders.append(f"{unit.text} - {rng.choice(liked * 2 + targets)}")
            elif what == "move" and reach:
                orders.append(f"{unit.text} - {rng.choice(reach)}")
            elif what == "support" and reach:
                # Often void (nobody there, or no move to support): a void order's fact has its audience too.
                orders.append(f"{unit.text} S {rng.choice(reach)}")
            else:
                orders.append(f"{unit.text} H")
        return orders

    async def ready(self) -> None:
        """A ready flag, never the last one needed (the phase would resolve at a time the test does not choose)."""
        state = self.rng.choice(self.humans)
        session = self.host.session
        if self.game.phase == "movement" and session.required() - session.ready - {state}:
            await self.send(state, {"type": "ready", "ready": True})
            await self.settle()

    async def resync(self) -> None:
        state = self.rng.choice(self.humans)
        back = self.rng.choice([None, 0, 1, 5])
        client = self.clients[state][0]
        await self.send(state, {"type": "sync", "v": None if back is None else max(0, client.v - back)})
        await self.settle()

    async def reconnect(self) -> None:
        """A member drops and comes back with its token and the last version it saw (or a few before)."""
        state = self.rng.choice(self.humans)
        members = self.clients[state]
        i = self.rng.randrange(len(members))
        old = members[i]
        await old.close()
        self.reconnects += 1
        name = f"{state}-back{self.reconnects}"
        back = self.rng.choice([0, 3, None])
        v = None if back is None else max(0, old.v - back)
        note(f"{old.name} reconnects as {name} from version {v}")
        client = await Client.open(self.url, name, token=old.token, v=v)
        members[i] = client
        self.viewer[name] = state
        self.seats[self.seats.index(old)] = client
        await self.settle()

    async def read_scenario(self) -> None:
        state = self.rng.choice(self.humans)
        await self.send(state, {"type": "get_scenario"})
        await self.settle()

    async def turn(self) -> None:
        """Diplomacy in the middle of the movement phase, orders, and resolution to the next movement phase.

        The turn is a list of steps, each a name and the seed of its own choices: hypothesis shrinks a
        failing game by dropping steps and zeroing seeds, and dropping one step leaves the others'
        choices as they were (as far as the game around them allows)."""
        plan = self.draw(
            st.lists(st.tuples(st.sampled_from(STEPS), st.integers(0, 2**16)), min_size=6, max_size=30),
            "steps",
        )
        for name, seed in plan:
            self.rng = random.Random(seed)
            if name == "orders":
                await self.orders(self.rng.choice(self.humans))
            else:
                await getattr(self, name)()
            if self.game.over or self.game.phase != "movement":
                return
        self.rng = random.Random(self.draw(st.integers(0, 2**16), "orders"))
        for state in self.humans:
            if self.rng.randint(0, 9) < 9:  # now and then a state gives no orders: its units hold
                await self.orders(state)
        while True:
            resolved = await self.send(UMPIRE, {"type": "resolve"})
            assert resolved["type"] == "ack", f"the umpire could not resolve the phase: {resolved}"
            await self.settle()
            game = self.game
            if game.over or game.phase == "movement":
                return
            for state in game.states_to_order():
                if state in self.humans:
                    await self.orders(state)


STEPS = (
    "press",
    "propose",
    "propose",
    "propose",
    "counter",
    "sign_all",
    "sign_all",
    "agreement_act",
    "agreement_act",
    "ratify_all",
    "answer_a_leak",
    "declare_breach",
    "probe",
    "press",
    "press",
    "public_press",
    "action",
    "action",
    "pay",
    "ready",
    "resync",
    "reconnect",
    "read_scenario",
    "orders",
)
"""What a person may do in a step (a name twice: twice as likely); the first is what shrinking leaves."""


async def play(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory(prefix="wire-secrecy-") as folder:
        async with running_server(Path(folder), rate=10_000.0, burst=10_000) as (server, url):
            table = Table(data, server, url)
            await table.open()
            table.clients[UMPIRE] = [table.umpire]
            for _ in range(data.draw(st.integers(1, 3), label="movement turns")):
                if table.game.over:
                    break
                await table.turn()
            for client in [*table.seats, table.umpire]:
                await client.close()


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    # Shrinking is kept (a failure is reported as a small game); the explain phase, which replays the
    # small game many more times to say which draws mattered, would take minutes here.
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_no_frame_tells_a_seat_what_it_may_not_know(data: st.DataObject) -> None:
    asyncio.run(play(data))

"""Secrecy as a property: random games on generated maps, random diplomacy, checked after every step.

`Secrecy` is a hypothesis state machine.  It drives a game with random commands — proposals (public,
secret, public with a secret annex, with or without an intermediary), counter-proposals, signatures,
rejections, renunciations, ratifications, deliberate leaks, denials, justifications, declared breaches,
private press to one or more states, public statements, investigations, intercepts, propaganda,
payments, the umpire's injects (public and private cards that move legitimacy, treasuries and units
and reveal agreements), and whole turns of bot orders, on a map that starts with a secret pact (known to one outsider)
and a public treaty with a secret annex — and keeps its own account of who may know what, built only
from the commands it gave and the events they produced (`Knowledge`):

* an agreement's existence: its insiders (parties and intermediary) from the proposal; everyone once
  a public agreement is in force, once rumoured or exposed, or once ratified; the state a breach
  protected; the states an investigation told (`agreement_discovered`);
* its terms and its annex likewise, except that a rumour opens only its existence and a breach of a
  main clause does not open the annex;
* a private message: sender and recipients, and whoever intercepted it;
* a private card of the umpire: its audience.

Every clause and message carries a unique marker (`TERMSMARK-0007`, `ANNEXMARK-0007`,
`SECRETMSG-0012`), so a leak shows up as text.  After every step, for every state and the observer,
the JSON of `view_for` and of the turn reports may hold only agreement ids, terms, annexes and
messages that this account allows; the observer only what is public.  The rules' own knowledge sets
must never run ahead of the account either, and a rejected command's error may not reveal anything
(an agreement a state does not know gets the same answer as one that does not exist).  At the end of
each game, `replay` of its commands must give the same record and the same views.  And the filter may
not be simply silent: every party sees its agreements (and annex), every reader its messages.

`test_long_games_keep_their_secrets` walks the same machine through a few long games (where old
secrets get investigated, exposed, denied and justified, and governments fall);
`test_outsiders_cannot_tell_what_a_coalition_did_in_private` is the same idea from the other side
(non-interference): two games with the same public moves, one of them with a coalition's private
dealings added, look the same to every state outside it and to an observer.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from game.bots.map_bot import MapBot, Position
from game.rules.adjustments import build_sites
from game.rules.board import Board
from game.rules.clauses import FreeText, MutualDefence, NonAggression
from game.rules.errors import CommandError, UnknownAgreement
from game.rules.facts import FACT_KINDS, RULES_FACTS, kind_of
from game.rules.game import Game, replay
from game.rules.knowledge import OBSERVER
from game.rules.rng import Rng
from game.rules.scenario import AgreementStart, Scenario
from game.rules.views import turn_report, view_for
from game.scenario.generated import generated_scenario


def note(what: str) -> None:
    """A hypothesis statistic, when run by hypothesis (the directed game below runs without it)."""
    with contextlib.suppress(InvalidArgument):
        event(what)


AGREEMENT_ID = re.compile(r"agr-[0-9]+")
UNUSED = "agr-99999999"  # well formed, never made
TERMS = re.compile(r"TERMSMARK-([0-9]{4})")
ANNEX = re.compile(r"ANNEXMARK-([0-9]{4})")
SECRET_MESSAGE = re.compile(r"SECRETMSG-([0-9]{4})")
SECRET_CARD = re.compile(r"SECRETCARD-([0-9]{4})")
EVERYONE = "everyone"
REGIMES = ("democracy", "autocracy", "constitutional_monarchy", "junta", "democracy", "theocracy", "other")


def prepared(base: Scenario, board: Board, leaks: bool = True) -> tuple[Scenario, Board]:
    """A generated map with treasuries, regimes and shaky governments; no outright victory."""
    states = [
        s.model_copy(
            update={
                "treasury": 20 + 3 * i,
                "regime": REGIMES[i % len(REGIMES)],
                "legitimacy": 26 + 9 * i,
                "legitimacy_threshold": 20,
            }
        )
        for i, s in enumerate(base.states)
    ]
    rules = base.rules
    if leaks:
        leak_constants = rules.leaks.model_copy(update={"base": 0.15, "per_democracy": 0.05, "maximum": 0.6})
    else:
        leak_constants = rules.leaks.model_copy(
            update={
                "base": 0.0,
                "per_extra_party": 0.0,
                "per_democracy": 0.0,
                "per_turn_of_age": 0.0,
                "per_investigation": 0.0,
                "rumour_bonus": 0.0,
                "maximum": 0.0,
            }
        )
    intelligence = rules.intelligence.model_copy(update={"investigate_chance": 0.8, "intercept_chance": 0.8})
    ids = [st_.id for st_ in base.states]
    # In force from the start: a secret pact of the first two that a third already knows of, and a
    # public treaty of the last two with a secret annex.
    starting = [
        AgreementStart(
            id="old_pact",
            title="An old pact",
            parties=ids[:2],
            visibility="secret",
            known_by=ids[2:3],
            clauses=[FreeText(text="TERMSMARK-9001 in words"), NonAggression()],
        ),
        AgreementStart(
            id="old_treaty",
            title="An old treaty",
            parties=ids[-2:],
            visibility="public",
            clauses=[FreeText(text="TERMSMARK-9002 in words")],
            annex=[FreeText(text="ANNEXMARK-9003 in words"), MutualDefence()],
        ),
    ]
    scenario = base.model_copy(
        update={
            "agreements": starting if leaks else [],  # the non-interference test starts with a clean slate
            "states": states,
            "rules": rules.model_copy(update={"leaks": leak_constants, "intelligence": intelligence}),
            "victory": base.victory.model_copy(update={"supply_fraction": 1.0}),
        }
    )
    return scenario, board


_BASES = [generated_scenario(n, seed, territories_per_state=6) for n, seed in ((30, 1), (45, 2), (60, 3))]
_BOARDS = [Board.from_scenario(base) for base in _BASES]
MAPS = [prepared(base, board) for base, board in zip(_BASES, _BOARDS, strict=True)]
QUIET_MAPS = [prepared(base, board, leaks=False) for base, board in zip(_BASES[1:], _BOARDS[1:], strict=True)]


# --- random clauses --------------------------------------------------------------------------------


def clause(data: st.DataObject, game: Game, parties: list[str], marker: str) -> list[dict[str, Any]]:
    """A free-text clause carrying the marker, and maybe one machine-checked clause."""
    states = list(game.state_ids)
    land = [t for t in game.board.territories if not game.board.is_sea(t)]
    out: list[dict[str, Any]] = [{"kind": "free_text", "text": f"{marker} in words"}]
    kind = data.draw(
        st.sampled_from(
            [
                "none",
                "non_aggression",
                "mutual_defence",
                "support_promise",
                "cession",
                "demilitarised_zone",
                "spheres_of_influence",
                "neutrality",
                "tribute",
                "intelligence_sharing",
            ]
        )
    )
    against = data.draw(st.lists(st.sampled_from(states), max_size=1))
    if kind in ("non_aggression", "mutual_defence", "intelligence_sharing"):
        out.append({"kind": kind, "against": against})
    elif kind == "support_promise":
        by = data.draw(st.sampled_from(parties))
        mine = [u.territory for u in game.units_of(by)]
        if mine:
            at = data.draw(st.sampled_from(mine))
            near = [t for t in game.board.neighbours[at] if t in game.units] or [at]
            target = data.draw(st.sampled_from(near))
            dest = data.draw(st.sampled_from([None, *game.board.neighbours[target]]))
            turn = data.draw(st.sampled_from([None, game.turn, game.turn + 1]))
            out.append({"kind": kind, "by": by, "unit_at": at, "target": target, "dest": dest, "turn": turn})
    elif kind == "cession":
        out.append(
            {
                "kind": kind,
                "territory": data.draw(st.sampled_from(land)),
                "to": data.draw(st.sampled_from(states)),
                "by_turn": game.turn + data.draw(st.integers(0, 2)),
            }
        )
    elif kind == "demilitarised_zone":
        out.append(
            {
                "kind": kind,
                "territories": data.draw(
                    st.lists(st.sampled_from(land), min_size=1, max_size=3, unique=True)
                ),
            }
        )
    elif kind == "spheres_of_influence":
        owner = data.draw(st.sampled_from(states))
        out.append(
            {
                "kind": kind,
                "spheres": [
                    {
                        "state": owner,
                        "territories": data.draw(
                            st.lists(st.sampled_from(land), min_size=1, max_size=4, unique=True)
                        ),
                    }
                ],
            }
        )
    elif kind == "neutrality":
        conflict = data.draw(st.lists(st.sampled_from(states), min_size=2, max_size=2, unique=True))
        out.append({"kind": kind, "conflict": conflict})
    elif kind == "tribute":
        payer = data.draw(st.sampled_from(parties))
        payee = data.draw(st.sampled_from([s for s in states if s != payer]))
        out.append({"kind": kind, "payer": payer, "payee": payee, "amount": data.draw(st.integers(1, 3))})
    return out


# --- who may know what -------------------------------------------------------------------------------


class Knowledge:
    """The test's own account of every fact's audience: EVERYONE, or a set of states."""

    def __init__(self) -> None:
        self.audience: dict[tuple[str, str], set[str] | str] = {}
        self.terms_marker: dict[str, str] = {}  # marker number -> agreement id
        self.annex_marker: dict[str, str] = {}
        self.main_clauses: dict[str, int] = {}  # agreement id -> number of main clauses
        self.message_marker: dict[str, str] = {}  # message id -> marker number

    def allow(self, key: tuple[str, str], states: Any) -> None:
        current = self.audience.setdefault(key, set())
        if current != EVERYONE:
            assert isinstance(current, set)
            current.update([states] if isinstance(states, str) else states)

    def open(self, key: tuple[str, str]) -> None:
        self.audience[key] = EVERYONE

    def may(self, key: tuple[str, str], viewer: str) -> bool:
        who = self.audience.get(key, set())
        return who == EVERYONE or (viewer != OBSERVER and viewer in who)

    def new_agreement(
        self, ref: str, insiders: set[str], marker: str, annex_marker: str | None, main: int
    ) -> None:
        for layer in ("exist", "terms", "annex"):
            self.allow((layer, ref), insiders)
        self.terms_marker[marker] = ref
        if annex_marker is not None:
            self.annex_marker[annex_marker] = ref
        self.main_clauses[ref] = main

    def absorb(self, events: list[dict[str, Any]]) -> None:
        """Learn from the umpire's events what became known, and to whom."""
        for e in events:
            kind = e["kind"]
            note(kind)  # statistics: pytest --hypothesis-show-statistics
            ref = str(e.get("agreement"))
            if kind == "agreement_signed" and e["visibility"] == "public":
                self.open(("exist", ref))
                self.open(("terms", ref))
            elif kind == "agreement_leaked":
                self.open(("exist", ref))
                if e["level"] == "exposed":
                    self.open(("terms", ref))
                    self.open(("annex", ref))
            elif kind == "agreement_ratified":
                for layer in ("exist", "terms", "annex"):
                    self.open((layer, ref))
            elif kind == "agreement_discovered":
                for layer in ("exist", "terms", "annex"):
                    self.allow((layer, ref), e["audience"])
            # agreement_breached opens nothing: only those who knew the broken clause are told of it,
            # and a state it protected that never knew the agreement sees only the attack.
            elif kind == "message_intercepted":
                self.allow(("msg", self.message_marker[e["message"]]), e["audience"])

    def check_text(self, text: str, viewer: str, where: str) -> None:
        """Everything in `text` (sent to `viewer`) must be within the viewer's knowledge."""
        for ref in set(AGREEMENT_ID.findall(text)):
            assert self.may(("exist", ref), viewer), (
                f"{where}: {viewer} is shown {ref}, which it may not know of"
            )
        for number in set(TERMS.findall(text)):
            ref = self.terms_marker[number]
            assert self.may(("terms", ref), viewer), f"{where}: {viewer} reads the terms of {ref}"
        for number in set(ANNEX.findall(text)):
            ref = self.annex_marker[number]
            assert self.may(("annex", ref), viewer), f"{where}: {viewer} reads the secret annex of {ref}"
        for number in set(SECRET_MESSAGE.findall(text)):
            assert self.may(("msg", number), viewer), f"{where}: {viewer} reads private message {number}"
        for number in set(SECRET_CARD.findall(text)):
            assert self.may(("card", number), viewer), (
                f"{where}: {viewer} reads the umpire's private card {number}"
            )


def sent_to(game: Game, viewer: str, turns: list[int]) -> str:
    parts: list[Any] = [view_for(game, viewer)]
    parts += [turn_report(game, viewer, t) for t in turns]
    return json.dumps(parts, sort_keys=True)


def bot_orders(game: Game, bot: MapBot, rng: Rng) -> list[str]:
    """The map bot's orders for the current phase (its diplomacy plays no part here)."""
    pos = Position(game.board, game.units, game.owners, game.season_index == len(game.seasons) - 1)
    if game.phase == "movement":
        return bot.movement_orders(pos, rng)
    if game.phase == "retreat":
        dislodged = [(d.unit, game.retreat_options(t)) for t, d in game.dislodged.items()]
        return bot.retreat_orders(pos, dislodged, rng)
    balance = game.adjustment_balance().get(bot.state, 0)
    return bot.adjustment_orders(
        pos, balance, build_sites(game.board, game.units, game.owners, bot.state), rng
    )


def play_turn(game: Game, seed: int, silent: set[str]) -> list[dict[str, Any]]:
    """Bot orders for every state not in `silent`, through the movement phase and whatever follows it."""
    events: list[dict[str, Any]] = []
    while True:
        for state in game.states_to_order():
            if state not in silent:
                orders = bot_orders(game, MapBot(state), Rng(seed, game.turn, f"bot/{state}/{game.phase}"))
                if orders:
                    game.submit(state, orders)
        events += game.resolve()
        if game.over or game.phase == "movement":
            return events


ACTS = ["sign", "sign", "sign", "reject", "renounce", "ratify", "leak", "deny", "justify"]
ACTIONS = ["investigate"] * 3 + ["intercept"] * 2 + ["propaganda", "pay"]


# --- the state machine -----------------------------------------------------------------------------------


class Secrecy(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.game: Game | None = None
        self.known = Knowledge()
        self.markers = 0
        self.refs: list[str] = []

    @initialize(which=st.integers(0, len(MAPS) - 1), seed=st.integers(0, 10_000))
    def start(self, which: int, seed: int) -> None:
        self.scenario, self.board = MAPS[which]
        self.game = Game(self.scenario, seed, self.board)
        self.states = list(self.game.state_ids)
        markers = {"old_pact": ("9001", None), "old_treaty": ("9002", "9003")}
        for start, ref in zip(self.scenario.agreements, self.game.diplomacy.agreements, strict=True):
            insiders = {*start.parties, *start.known_by} | (
                {start.intermediary} if start.intermediary else set()
            )
            self.known.new_agreement(ref, insiders, *markers[start.id], len(start.clauses))
            self.known.audience[("annex", ref)] = set(start.parties)  # knowing of it is not reading its annex
            self.refs.append(ref)
        self.known.absorb([e for t in self.game.turns for e in t.events])

    # --- helpers ---

    @property
    def g(self) -> Game:
        assert self.game is not None
        return self.game

    def marker(self) -> str:
        self.markers += 1
        return f"{self.markers:04d}"

    def issue(self, command: dict[str, Any]) -> list[dict[str, Any]] | None:
        """Apply a command; on refusal check that nothing changed and that the error gives nothing away."""
        before = json.dumps(self.g.record(), sort_keys=True)
        try:
            events = self.g.apply(command)
        except CommandError as error:
            note(f"refused {command['kind']}")
            assert json.dumps(self.g.record(), sort_keys=True) == before, (
                f"a refused command changed the game: {command}"
            )
            if command["kind"] == "inject":
                return None  # refused to the umpire, who may know everything
            state = command.get("state", OBSERVER)
            ref = command.get("agreement")
            echoed = str(error).replace(ref, "") if ref else str(error)  # the id it gave may be named back
            self.known.check_text(echoed, state, f"the error for {command['kind']}")
            if ref and state in self.states and not self.known.may(("exist", ref), state):
                assert str(error) == f"no agreement {ref} known to {state}", "an oracle on agreements"
                assert isinstance(error, UnknownAgreement), (
                    "an unseen agreement must be refused as an unknown id"
                )
            return None
        self.known.absorb(events)
        return events

    def pick_agreement(self, data: st.DataObject) -> str:
        """Mostly a real agreement; now and then one that never existed."""
        if not self.refs or data.draw(st.integers(0, 9)) == 0:
            return UNUSED
        return data.draw(st.sampled_from(self.refs))

    def pick_actor(self, data: st.DataObject, ref: str) -> str:
        """Mostly a party; now and then anyone (the intermediary, a stranger)."""
        a = self.g.diplomacy.agreements.get(ref)
        if a is not None and data.draw(st.integers(0, 3)) > 0:
            return data.draw(st.sampled_from(sorted(a.parties)))
        return data.draw(st.sampled_from(self.states))

    def terms(self, data: st.DataObject, parties: list[str]) -> tuple[dict[str, Any], str, str | None, int]:
        """Visibility, clauses and annex for a proposal or counter-proposal."""
        mode = data.draw(st.sampled_from(["secret", "public", "annex"]))
        main_marker = self.marker()
        clauses = clause(data, self.g, parties, f"TERMSMARK-{main_marker}")
        fields: dict[str, Any] = {
            "visibility": "secret" if mode == "secret" else "public",
            "clauses": clauses,
        }
        annex_marker = None
        if mode == "annex":
            annex_marker = self.marker()
            fields["annex"] = clause(data, self.g, parties, f"ANNEXMARK-{annex_marker}")
        if data.draw(st.booleans()):
            fields["duration"] = data.draw(st.integers(1, 4))
        return fields, main_marker, annex_marker, len(clauses)

    # --- rules ---

    @precondition(lambda self: self.game is not None and not self.g.over)
    @rule(data=st.data())
    def propose(self, data: st.DataObject) -> None:
        parties = data.draw(st.lists(st.sampled_from(self.states), min_size=2, max_size=3, unique=True))
        others = [s for s in self.states if s not in parties]
        intermediary = data.draw(st.sampled_from([None, *others])) if others else None
        fields, main_marker, annex_marker, main = self.terms(data, parties)
        command = {
            "kind": "propose",
            "state": parties[0],
            "parties": parties,
            "intermediary": intermediary,
            **fields,
        }
        events = self.issue(command)
        if events is not None:
            ref = str(events[0]["agreement"])
            self.refs.append(ref)
            insiders = set(parties) | ({intermediary} if intermediary else set())
            self.known.new_agreement(ref, insiders, main_marker, annex_marker, main)

    @precondition(lambda self: self.game is not None and not self.g.over)
    @rule(data=st.data())
    def propose_and_sign(self, data: st.DataObject) -> None:
        """A deal agreed in one go: proposed, then signed by every other party."""
        self.propose(data)
        if self.refs:
            self.sign_all_of(self.refs[-1])

    @precondition(lambda self: self.game is not None and not self.g.over and bool(self.refs))
    @rule(data=st.data())
    def sign_all(self, data: st.DataObject) -> None:
        self.sign_all_of(data.draw(st.sampled_from(self.refs)))

    def sign_all_of(self, ref: str) -> None:
        a = self.g.diplomacy.agreements[ref]
        for party in a.parties:
            if party not in a.signed:
                self.issue({"kind": "sign", "state": party, "agreement": ref})

    @precondition(lambda self: self.game is not None and not self.g.over)
    @rule(data=st.data())
    def counter(self, data: st.DataObject) -> None:
        ref = self.pick_agreement(data)
        state = self.pick_actor(data, ref)
        old = self.g.diplomacy.agreements.get(ref)
        parties = list(old.parties) if old is not None else [state]
        fields, main_marker, annex_marker, main = self.terms(data, parties)
        fields.pop("visibility") if fields["visibility"] == "public" and data.draw(st.booleans()) else None
        events = self.issue({"kind": "counter", "state": state, "agreement": ref, **fields})
        if events is not None:
            assert old is not None
            new = str(events[0]["agreement"])
            self.refs.append(new)
            insiders = set(old.parties) | ({old.intermediary} if old.intermediary else set())
            self.known.new_agreement(new, insiders, main_marker, annex_marker, main)

    @precondition(lambda self: self.game is not None and not self.g.over)
    @rule(
        data=st.data(),
        kind=st.sampled_from(ACTS),
    )
    def act(self, data: st.DataObject, kind: str) -> None:
        ref = self.pick_agreement(data)
        self.issue({"kind": kind, "state": self.pick_actor(data, ref), "agreement": ref})

    @precondition(lambda self: self.game is not None and not self.g.over)
    @rule(data=st.data())
    def declare_breach(self, data: st.DataObject) -> None:
        ref = self.pick_agreement(data)
        a = self.g.diplomacy.agreements.get(ref)
        breaker = data.draw(st.sampled_from(sorted(a.parties) if a else self.states))
        self.issue(
            {
                "kind": "declare_breach",
                "state": self.pick_actor(data, ref),
                "agreement": ref,
                "clause": data.draw(st.integers(0, 3)),
                "breaker": breaker,
            }
        )

    @precondition(lambda self: self.game is not None and not self.g.over)
    @rule(data=st.data())
    def press(self, data: st.DataObject) -> None:
        """A private message to one to three states, or (now and then) a public statement naming a state."""
        sender = data.draw(st.sampled_from(self.states))
        if data.draw(st.integers(0, 4)) == 0:
            name = self.scenario.state(data.draw(st.sampled_from(self.states))).name
            self.issue(
                {"kind": "press", "state": sender, "to": [], "text": f"PUBLICMSG: we are friends of {name}"}
            )
            return
        to = data.draw(
            st.lists(
                st.sampled_from([s for s in self.states if s != sender]), min_size=1, max_size=3, unique=True
            )
        )
        number = self.marker()
        if (
            self.issue(
                {
                    "kind": "press",
                    "state": sender,
                    "to": to,
                    "text": f"SECRETMSG-{number} for your eyes",
                    "sincerity": data.draw(st.sampled_from([None, "sincere", "deceptive"])),
                }
            )
            is not None
        ):
            message = self.g.diplomacy.messages[-1]
            self.known.message_marker[message["id"]] = number
            self.known.allow(("msg", number), {sender, *to})

    @precondition(lambda self: self.game is not None and not self.g.over)
    @rule(data=st.data())
    def gossip(self, data: st.DataObject) -> None:
        """Every state writes privately to another: something for the spies to read."""
        for sender in self.states:
            to = data.draw(st.sampled_from([s for s in self.states if s != sender]))
            number = self.marker()
            if (
                self.issue({"kind": "press", "state": sender, "to": [to], "text": f"SECRETMSG-{number}"})
                is not None
            ):
                self.known.message_marker[self.g.diplomacy.messages[-1]["id"]] = number
                self.known.allow(("msg", number), {sender, to})

    @precondition(lambda self: self.game is not None and not self.g.over)
    @rule(data=st.data())
    def inject(self, data: st.DataObject) -> None:
        """The umpire releases a card: public news, or a private report to some states, with effects
        on legitimacy, treasuries, units and (now and then) an agreement revealed."""
        private = data.draw(st.booleans())
        audience: Any = (
            data.draw(st.lists(st.sampled_from(self.states), min_size=1, max_size=3, unique=True))
            if private
            else "all"
        )
        effects: list[dict[str, Any]] = []
        for _ in range(data.draw(st.integers(0, 3))):
            kind = data.draw(
                st.sampled_from(["legitimacy", "treasury", "place_unit", "remove_unit", "reveal_agreement"])
            )
            state = data.draw(st.sampled_from(self.states))
            if kind in ("legitimacy", "treasury"):
                effects.append({"kind": kind, "state": state, "delta": data.draw(st.integers(-15, 15))})
            elif kind == "place_unit":
                free = [
                    t
                    for t in self.g.board.territories
                    if not self.g.board.is_sea(t) and t not in self.g.units
                ]
                if free:
                    effects.append(
                        {"kind": kind, "state": state, "type": "army", "at": data.draw(st.sampled_from(free))}
                    )
            elif kind == "remove_unit" and self.g.units:
                effects.append({"kind": kind, "at": data.draw(st.sampled_from(sorted(self.g.units)))})
            elif kind == "reveal_agreement":
                effects.append({"kind": kind, "agreement": self.pick_agreement(data)})
        number = self.marker()
        text = f"SECRETCARD-{number} for your eyes" if private else "PUBLICCARD for everyone"
        command = {
            "kind": "inject",
            "card": {"title": "News", "text": text, "audience": audience, "effects": effects},
        }
        if self.issue(command) is not None and private:
            self.known.allow(("card", number), audience)

    @rule()
    def wait(self) -> None:
        """Nothing happens (a rule always enabled, even after the game's end)."""

    @precondition(lambda self: self.game is not None and not self.g.over)
    @rule(
        data=st.data(),
        kind=st.sampled_from(ACTIONS),
    )
    def action(self, data: st.DataObject, kind: str) -> None:
        state, other = data.draw(st.lists(st.sampled_from(self.states), min_size=2, max_size=2, unique=True))
        # Spies mostly go where there is something to find: a party to a secret, a recent writer.
        d = self.g.diplomacy
        hidden = [
            a
            for a in d.agreements.values()
            if a.status == "active" and a.leak_level != "exposed" and state not in a.annex_known_by
        ]
        secrets = sorted({p for a in hidden for p in a.parties} - {state})
        writers = sorted(
            {m["from"] for m in d.messages if m["turn"] == self.g.turn and m["audience"] != "all"} - {state}
        )
        leads = secrets if kind == "investigate" else writers
        if leads and data.draw(st.booleans()):
            other = data.draw(st.sampled_from(leads))
        if kind == "pay":
            self.issue({"kind": "pay", "state": state, "to": other, "amount": data.draw(st.integers(1, 4))})
        else:
            target = None if kind == "propaganda" else data.draw(st.sampled_from([other] * 5 + [state]))
            self.issue({"kind": kind, "state": state, "target": target})

    @precondition(lambda self: self.game is not None and not self.g.over and bool(self.refs))
    @rule(data=st.data())
    def ratify_all(self, data: st.DataObject) -> None:
        """Every party ratifies: a secret agreement (or a public one's annex) made public."""
        a = self.g.diplomacy.agreements[data.draw(st.sampled_from(self.refs))]
        for party in a.parties:
            self.issue({"kind": "ratify", "state": party, "agreement": a.id})

    @precondition(lambda self: self.game is not None and not self.g.over and bool(self.refs))
    @rule(data=st.data())
    def answer_a_leak(self, data: st.DataObject) -> None:
        """A party denies a rumour, or justifies an exposed agreement."""
        leaked = [a for a in self.g.diplomacy.agreements.values() if a.leak_level != "none"]
        if leaked:
            a = data.draw(st.sampled_from(leaked))
            kind = "deny" if a.leak_level == "rumour" else "justify"
            self.issue(
                {"kind": kind, "state": data.draw(st.sampled_from(sorted(a.parties))), "agreement": a.id}
            )

    @precondition(lambda self: self.game is not None and not self.g.over)
    @rule(data=st.data())
    def resolve(self, data: st.DataObject) -> None:
        silent = set(data.draw(st.lists(st.sampled_from(self.states), unique=True)))
        self.known.absorb(play_turn(self.g, self.g.seed, silent))

    # --- what must always hold ---

    @precondition(lambda self: self.game is not None and not self.g.over)
    @rule(data=st.data())
    def resolve_quietly(self, data: st.DataObject) -> None:
        """A turn in which nobody orders anything: units hold, the diplomacy goes on."""
        self.known.absorb(play_turn(self.g, self.g.seed, set(self.states)))

    @invariant()
    def secrecy_holds(self) -> None:
        if self.game is None:
            return
        views = {viewer: view_for(self.g, viewer) for viewer in [*self.states, OBSERVER]}
        turns = sorted({self.g.turn, max(1, self.g.turn - 1)})
        # Nobody is told more than it may know: views and the turn reports of this turn and the last.
        for viewer, view in views.items():
            reports = [turn_report(self.g, viewer, t) for t in turns]
            self.known.check_text(json.dumps([view, reports], sort_keys=True), viewer, "view")
        # The rules' own knowledge sets stay within what the commands and events justify.
        for ref, a in self.g.diplomacy.agreements.items():
            for layer, inside in (("terms", a.known_by), ("annex", a.annex_known_by)):
                allowed = self.known.audience[(layer, ref)]
                if isinstance(allowed, set):
                    assert inside <= allowed, (
                        f"{ref}: the rules let {sorted(inside - set(allowed))} know its {layer}"
                    )
        for m in self.g.diplomacy.messages:
            if m["audience"] != "all":
                allowed = self.known.audience[("msg", self.known.message_marker[m["id"]])]
                assert not isinstance(allowed, set) or set(m["audience"]) <= allowed
        # The filter is not simply silent: parties see their agreements, readers their messages.
        for viewer in self.states:
            shown = {v["id"]: v for v in views[viewer]["agreements"]}
            for a in self.g.diplomacy.agreements_of(viewer):
                mine = shown.get(a.id)
                assert mine is not None and "clauses" in mine, f"{viewer} cannot see its own {a.id}"
                assert bool(a.annex) == ("annex" in mine)
            read = {m["id"] for m in views[viewer]["messages"]}
            for m in self.g.diplomacy.messages:
                assert (m["audience"] == "all" or viewer in m["audience"]) == (m["id"] in read)

    def teardown(self) -> None:
        if self.game is None:
            return
        again = replay(self.scenario, self.g.seed, self.g.commands)
        assert again.record() == self.g.record()
        everything = [t.turn for t in self.g.turns]
        for viewer in [*self.states, OBSERVER]:
            mine = sent_to(self.g, viewer, everything)
            self.known.check_text(mine, viewer, "the whole history")
            assert sent_to(again, viewer, everything) == mine


Secrecy.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestSecrecy = Secrecy.TestCase

WALK = [
    "propose",
    "propose_and_sign",
    "sign_all",
    "counter",
    "act",
    "declare_breach",
    "press",
    "gossip",
    "action",
    "ratify_all",
    "answer_a_leak",
    "inject",
    "resolve",
    "resolve",
    "resolve_quietly",
]


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), which=st.integers(0, len(MAPS) - 1), seed=st.integers(0, 10_000))
def test_long_games_keep_their_secrets(data: st.DataObject, which: int, seed: int) -> None:
    """The same machine walked for a long game (several years): the state machine above explores many
    short games and shrinks what it finds; this one reaches what only long games reach — old secrets
    investigated, rumours exposed and denied, governments falling."""
    machine = Secrecy()
    machine.start(which, seed)
    machine.secrecy_holds()
    for _ in range(100):
        if machine.g.over:
            break
        name = data.draw(st.sampled_from(WALK))
        if name == "act":
            machine.act(data, data.draw(st.sampled_from(ACTS)))
        elif name == "action":
            machine.action(data, data.draw(st.sampled_from(ACTIONS)))
        else:
            getattr(machine, name)(data)
        machine.secrecy_holds()
    machine.teardown()


# --- non-interference ------------------------------------------------------------------------------------


def private_command(data: st.DataObject, game: Game, coalition: list[str], number: int) -> dict[str, Any]:
    """A command that stays inside the coalition: clauses name no outsider, nothing is made public."""
    kind = data.draw(
        st.sampled_from(
            [
                "propose",
                "sign",
                "sign",
                "reject",
                "renounce",
                "counter",
                "declare_breach",
                "press",
                "pay",
                "investigate",
                "intercept",
            ]
        )
    )
    state = data.draw(st.sampled_from(coalition))
    refs = sorted(a.id for a in game.diplomacy.agreements.values() if set(a.parties) <= set(coalition)) or [
        UNUSED
    ]
    land = [t for t in game.board.territories if not game.board.is_sea(t)]
    if kind in ("propose", "counter"):
        parties = data.draw(
            st.lists(st.sampled_from(coalition), min_size=2, max_size=len(coalition), unique=True)
        )
        extra = data.draw(
            st.sampled_from(
                [
                    "non_aggression",
                    "mutual_defence",
                    "intelligence_sharing",
                    "dmz",
                    "spheres",
                    "tribute",
                    "none",
                ]
            )
        )
        clauses: list[dict[str, Any]] = [{"kind": "free_text", "text": f"COALITION-{number}"}]
        if extra in ("non_aggression", "mutual_defence", "intelligence_sharing"):
            clauses.append({"kind": extra})
        elif extra == "dmz":
            clauses.append({"kind": "demilitarised_zone", "territories": [data.draw(st.sampled_from(land))]})
        elif extra == "spheres":
            clauses.append(
                {
                    "kind": "spheres_of_influence",
                    "spheres": [
                        {
                            "state": data.draw(st.sampled_from(parties)),
                            "territories": [data.draw(st.sampled_from(land))],
                        }
                    ],
                }
            )
        elif extra == "tribute":
            clauses.append({"kind": "tribute", "payer": parties[0], "payee": parties[1], "amount": 1})
        if kind == "propose":
            return {
                "kind": "propose",
                "state": parties[0],
                "parties": parties,
                "visibility": "secret",
                "clauses": clauses,
            }
        return {
            "kind": "counter",
            "state": state,
            "agreement": data.draw(st.sampled_from(refs)),
            "visibility": "secret",
            "clauses": clauses,
        }
    if kind in ("sign", "reject", "renounce"):
        return {"kind": kind, "state": state, "agreement": data.draw(st.sampled_from(refs))}
    if kind == "declare_breach":
        return {
            "kind": kind,
            "state": state,
            "agreement": data.draw(st.sampled_from(refs)),
            "clause": 0,
            "breaker": data.draw(st.sampled_from(coalition)),
        }
    other = data.draw(st.sampled_from([s for s in coalition if s != state]))
    if kind == "press":
        return {"kind": "press", "state": state, "to": [other], "text": f"COALITION-{number}"}
    if kind == "pay":
        return {"kind": "pay", "state": state, "to": other, "amount": data.draw(st.integers(1, 3))}
    return {"kind": kind, "state": state, "target": data.draw(st.sampled_from(list(game.state_ids)))}


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    data=st.data(),
    which=st.integers(0, len(QUIET_MAPS) - 1),
    seed=st.integers(0, 10_000),
    size=st.integers(2, 3),
)
def test_outsiders_cannot_tell_what_a_coalition_did_in_private(
    data: st.DataObject, which: int, seed: int, size: int
) -> None:
    """With leaks switched off, a coalition's secret dealings (agreements, breaches, messages, payments,
    spying on anyone) change nothing that an outsider or an observer is sent."""
    scenario, board = QUIET_MAPS[which]
    busy, quiet = Game(scenario, seed, board), Game(scenario, seed, board)
    states = list(busy.state_ids)
    coalition = data.draw(st.lists(st.sampled_from(states), min_size=size, max_size=size, unique=True))
    outsiders = [s for s in states if s not in coalition]
    number = 0
    for _ in range(3):
        for _ in range(data.draw(st.integers(0, 8))):
            number += 1
            with contextlib.suppress(CommandError):  # refused: it changes nothing, as tested above
                busy.apply(private_command(data, busy, coalition, number))
        if len(outsiders) >= 2:  # the outsiders' own business, the same in both games
            a, b = outsiders[0], outsiders[1]
            for game in (busy, quiet):
                game.apply({"kind": "press", "state": a, "to": [b], "text": "between outsiders"})
                game.apply({"kind": "press", "state": b, "to": [], "text": "a public word"})
                events = game.apply(
                    {
                        "kind": "propose",
                        "state": a,
                        "parties": [a, b],
                        "visibility": "secret",
                        "clauses": [{"kind": "free_text", "text": "outsiders' deal"}],
                    }
                )
                game.apply({"kind": "sign", "state": b, "agreement": events[0]["agreement"]})
        for game in (busy, quiet):
            play_turn(game, seed, set())
        assert busy.units == quiet.units
        turns = [t.turn for t in quiet.turns]
        for viewer in [*outsiders, OBSERVER]:
            mine, theirs = sent_to(busy, viewer, turns), sent_to(quiet, viewer, turns)
            assert "COALITION-" not in mine
            assert mine == theirs, f"{viewer} can tell what the coalition did"


RARE_KINDS = {
    "agreement_discovered",
    "agreement_lapsed",
    "government_fell",
    "game_over",
    "order_void",
    "inject",
    "legitimacy",
    "treasury",
    "unit_placed",
    "unit_removed",
}
"""Facts the random games reach only now and then; the directed game below forces each of them.
(`action_failed` is left out: an action is refused when ordered unless the treasury can pay for it,
and nothing takes money from a treasury between the order and the resolution.)"""


def test_rare_fact_kinds_pass_the_same_account() -> None:
    """A short game made to reach what random games seldom do: a discovery, a fall of government and
    the lapse of its secret agreements, a void order, the end of the game.  Every view and report is
    checked against the same account after every step, and every rules fact kind has a model."""
    which = max(range(len(MAPS)), key=lambda i: len(MAPS[i][0].states))
    scenario, board = MAPS[which]
    first = scenario.states[0]
    fragile = first.model_copy(update={"legitimacy_threshold": min(100, first.legitimacy + 1)})
    scenario = scenario.model_copy(
        update={
            "states": [fragile, *scenario.states[1:]],
            "calendar": scenario.calendar.model_copy(update={"end_year": scenario.calendar.start_year}),
        }
    )
    machine = Secrecy()
    original = MAPS[which]
    MAPS[which] = (scenario, board)
    try:
        machine.start(which, 3)
    finally:
        MAPS[which] = original
    g = machine.g
    spies = machine.states[3:]
    # The umpire's cards: a private one with a treasury change, a public one that moves units and
    # legitimacy.
    number = machine.marker()
    machine.issue(
        {
            "kind": "inject",
            "card": {
                "title": "A loan",
                "text": f"SECRETCARD-{number}",
                "audience": spies[:2],
                "effects": [{"kind": "treasury", "state": spies[0], "delta": 2}],
            },
        }
    )
    machine.known.allow(("card", number), spies[:2])
    free = next(t for t in board.territories if not board.is_sea(t) and t not in g.units)
    machine.issue(
        {
            "kind": "inject",
            "card": {
                "title": "Unrest",
                "text": "PUBLICCARD",
                "audience": "all",
                "effects": [
                    {"kind": "place_unit", "state": spies[1], "type": "army", "at": free},
                    {
                        "kind": "remove_unit",
                        "at": free,
                    },  # gone again: the directed game below stays as it was
                    {"kind": "legitimacy", "state": spies[1], "delta": 3},
                ],
            },
        }
    )
    machine.secrecy_holds()
    while not g.over:
        for spy in spies:
            machine.issue({"kind": "investigate", "state": spy, "target": machine.states[0]})
        if g.phase == "movement":
            machine.issue(
                {"kind": "orders", "state": spies[0], "turn": g.turn, "phase": g.phase, "orders": ["A zzz H"]}
            )
        machine.secrecy_holds()
        assert g.phase is not None
        events = machine.issue({"kind": "resolve", "turn": g.turn, "phase": g.phase})
        assert events is not None
        machine.secrecy_holds()
    machine.teardown()
    kinds = {e["kind"] for t in g.turns for e in t.events}
    assert kinds >= RARE_KINDS, f"the directed game did not reach {sorted(RARE_KINDS - kinds)}"
    assert {kind_of(m) for m in RULES_FACTS} <= set(FACT_KINDS)

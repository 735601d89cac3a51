"""The conversation as a bot reads it from its view: what waits for an answer, and its own word.

A bot remembers nothing between calls that a restarted server would lose: what it has answered
it reads from its own messages (`answer.to`), and what it has said this turn binds its orders
through `Word`, read from those same messages and its own sincerity marks.  A sincere answer
binds it to what it said; a deceptive one (a schemer's) to the opposite, since it lied because
its plan was otherwise.

`honoured` is the measure of the rule: whether orders did what an answer said.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from game.bots.situation import Situation
from game.rules.asks import AnyAsk, AskDmz, AskIntentions, AskSupport, Warn, parse_ask
from game.rules.board import territory_of
from game.rules.errors import OrderSyntaxError
from game.rules.orders import Move, Support, parse_order

Message = Mapping[str, Any]


@dataclass(slots=True)
class Word:
    """What a bot's answers of this turn bind it to do with its units (each entry names the message)."""

    no_enter: dict[str, str] = field(default_factory=dict)  # territory it said it keeps out of
    no_attack: dict[str, str] = field(default_factory=dict)  # state it said it leaves alone
    enter: dict[str, str] = field(default_factory=dict)  # territory it means to move into
    enter_any: list[tuple[str, tuple[str, ...]]] = field(
        default_factory=list
    )  # it means to enter one of these
    attack: dict[str, str] = field(default_factory=dict)  # state it means to strike at
    supports: list[tuple[str, AskSupport]] = field(default_factory=list)  # supports it said it gives
    withheld: list[AskSupport] = field(default_factory=list)  # supports it will not give

    def said(self, ref: str, ask: AnyAsk, yes: bool, sincere: bool) -> None:
        """Bind it by an answer: a sincere one to what it said, a deceptive one to the opposite."""
        if sincere or not isinstance(ask, Warn | AskDmz):
            self.bind(ref, ask, yes if sincere else not yes)
        elif yes:
            self.bind_lie(ref, ask)

    def bind(self, ref: str, ask: AnyAsk, did: bool) -> None:
        """Add what answering `ask` with `did` (what it will really do) binds it to."""
        if isinstance(ask, AskSupport):
            if did:
                self.supports.append((ref, ask))
            else:
                self.withheld.append(ask)
        elif isinstance(ask, AskIntentions):
            if ask.territory is not None:
                (self.enter if did else self.no_enter).setdefault(ask.territory, ref)
            elif ask.state is not None:
                (self.attack if did else self.no_attack).setdefault(ask.state, ref)
        elif isinstance(ask, Warn):
            # did: it keeps away as warned; not did is a bare refusal, which binds it to nothing.
            if ask.territory is not None and did:
                self.no_enter.setdefault(ask.territory, ref)
            elif ask.state is not None and did:
                self.no_attack.setdefault(ask.state, ref)
        elif isinstance(ask, AskDmz) and did:
            for t in ask.territories:
                self.no_enter.setdefault(t, ref)

    def bind_lie(self, ref: str, ask: AnyAsk) -> None:
        """A deceptive yes to a warning or a demilitarised zone: it said it keeps away because it means to go."""
        if isinstance(ask, AskDmz):
            self.enter_any.append((ref, tuple(ask.territories)))
        elif isinstance(ask, Warn):
            if ask.territory is not None:
                self.enter.setdefault(ask.territory, ref)
            elif ask.state is not None:
                self.attack.setdefault(ask.state, ref)


@dataclass(slots=True)
class Talk:
    """One bot's conversation this turn, read from its view."""

    waiting: list[Message]  # messages to it, not yet answered, oldest first
    word: Word
    said: set[tuple[str, str]]  # (recipients, text) of its own messages this turn
    asks: dict[str, AnyAsk]  # the asks of this turn and the last it can read, by message id

    @classmethod
    def read(cls, sit: Situation) -> Talk:
        me, turn = sit.me, sit.turn
        recent = [m for m in sit.messages if m["turn"] >= turn - 1]  # older asks are past answering
        asks = {m["id"]: parse_ask(m["ask"]) for m in recent if "ask" in m}
        answered = {m["answer"]["to"] for m in sit.messages if m["from"] == me and "answer" in m}
        waiting = [
            m
            for m in recent
            if m["from"] != me
            and m["to"] != "all"
            and me in m["to"]
            and "answer" not in m
            and m["id"] not in answered
        ]
        word = Word()
        said: set[tuple[str, str]] = set()
        for m in recent:
            if m["from"] != me or m["turn"] != turn:
                continue
            said.add((_recipients(m["to"]), m["text"]))
            answer = m.get("answer")
            if answer is None or answer.get("yes") is None or sit.phase != "movement":
                continue
            ask = asks.get(answer["to"])
            if ask is None:
                continue
            sincere = m.get("sincerity") != "deceptive"
            yes = bool(answer["yes"])
            word.said(m["id"], ask, yes, sincere)
        return cls(waiting, word, said, asks)

    def has_said(self, to: Iterable[str] | None, text: str) -> bool:
        return (_recipients(sorted(to) if to else "all"), text.strip()) in self.said


def _recipients(to: Any) -> str:
    return "all" if to == "all" else ",".join(to)


# --- the measure ----------------------------------------------------------------------------------


def honoured(ask: AnyAsk, yes: bool, orders: Iterable[str], holders: Mapping[str, str | None]) -> bool | None:
    """Whether movement `orders` did what answering `ask` with `yes` said (None: nothing to check).

    `holders` maps a territory to whom a move into it attacks (its occupant, else its owner) when
    the orders were given."""
    parsed = []
    for text in orders:
        try:
            parsed.append(parse_order(text, "movement"))
        except OrderSyntaxError:
            continue
    entered = {territory_of(o.dest) for o in parsed if isinstance(o, Move)}
    if isinstance(ask, AskSupport):
        gave = any(
            isinstance(o, Support)
            and territory_of(o.location) == ask.unit_at
            and territory_of(o.target) == ask.target
            and (territory_of(o.dest) if o.dest else None) == ask.dest
            for o in parsed
        )
        return gave == yes
    if isinstance(ask, AskIntentions | Warn):
        if ask.territory is not None:
            went = ask.territory in entered
        else:
            went = any(holders.get(t) == ask.state for t in entered)
        if isinstance(ask, Warn):
            return None if not yes else not went  # a refusal to promise says nothing of what it will do
        return went == yes
    if isinstance(ask, AskDmz):
        return not any(t in entered for t in ask.territories) if yes else None
    return None

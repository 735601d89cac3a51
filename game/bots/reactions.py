"""A bot's words about what happened to it: a breach against it, a leak of its secret deal, an
attack from a state it trusted, a lie found out, a renunciation.

Each reaction is read from the bot's own view (its events and its messages) and written with
names, never ids; an agreement is named only to those who already know it (`known_to`).
`aftermath` speaks at the start of a turn about the last resolution; `meanwhile` speaks within
a phase about what others just did (a renunciation, a declared breach), once: a reaction
already in the thread is not said again, so calling it twice says nothing new.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from game.bots.deal import Deal
from game.bots.deals import parse
from game.bots.personality import Personality
from game.bots.situation import Situation
from game.bots.talk import Talk
from game.bots.words import Words, capital, known_to
from game.rules.asks import AskIntentions, Complain
from game.rules.board import territory_of
from game.rules.clauses import clause_states
from game.rules.commands import Press
from game.rules.orders import Move, Support

_FAILED = {
    "mutual_defence": "it did not stand by us when we were attacked",
    "support_promise": "it did not give the support it promised",
    "tribute": "it did not pay what it owed",
    "cession": "it did not hand over what it promised",
    "demilitarised_zone": "it kept its troops where none were to be",
    "intelligence_sharing": "it spied on us",
}


@dataclass(slots=True)
class Voice:
    """Who speaks, and how."""

    me: str
    p: Personality
    w: Words

    @property
    def name(self) -> str:
        return self.w.state(self.me)

    def tell(self, to: str, text: str, ask: Complain | AskIntentions | None = None) -> Press:
        return Press(state=self.me, to=[to], text=text, sincerity="sincere", ask=ask)

    def announce(self, text: str) -> Press:
        return Press(state=self.me, text=text, sincerity="sincere")

    def how(self, order: str | None, kind: str) -> str:
        """What the breaking order did, in words."""
        o = parse(order) if order else None
        unit = "army" if order and order.startswith("A ") else "fleet"
        if isinstance(o, Move):
            return f"its {unit} moved into {self.w.place(o.dest)}"
        if isinstance(o, Support) and o.dest:
            return f"its {unit} supported the attack on {self.w.place(o.dest)}"
        return _FAILED.get(kind, "it did not do what it promised")

    def resolve(self) -> str:
        return {
            "loyal": "We will remember it.",
            "opportunist": "It will cost you.",
            "schemer": "You will regret it.",
        }.get(self.p.name, "We will remember it.")


def aftermath(sit: Situation, v: Voice, talk: Talk) -> list[Press]:
    """At the start of a turn, words about last turn's resolution."""
    last = sit.turn - 1
    events = [e for t, e in sit.events if t == last]
    out: list[Press] = []
    blamed: set[str] = set()
    for e in events:
        if (
            e["kind"] == "agreement_breached"
            and e["breaker"] != v.me
            and not e["evidence"].startswith("declared")
        ):
            deal = sit.known(e["agreement"])
            if deal is None or deal.rumour or v.me not in deal.parties or e["breaker"] in blamed:
                continue
            blamed.add(e["breaker"])
            out += _breach(sit, v, deal, e)
    for e in events:
        if e["kind"] == "agreement_leaked" and v.me in e["parties"] and e["level"] == "exposed":
            deal = sit.known(e["agreement"])
            if deal is not None and not deal.rumour:
                out += _exposed(v, deal)
        elif e["kind"] == "agreement_leaked" and e["level"] == "exposed" and v.me not in e["parties"]:
            deal = sit.known(e["agreement"])
            if deal is not None and not deal.rumour and v.me in _aimed_at(deal):
                parties = v.w.states(deal.parties)
                out.append(
                    v.announce(
                        f"{v.name} has read {v.w.deal(deal)}. {parties} agreed in secret against us; "
                        "we will not forget it."
                    )
                )
    out += _attacks(sit, v, events, blamed)
    return [m for m in out if not talk.has_said(m.to, m.text)]


def meanwhile(sit: Situation, v: Voice, talk: Talk) -> list[Press]:
    """Within a phase, words about what others just did to its agreements."""
    out: list[Press] = []
    for t, e in sit.events:
        if t != sit.turn:
            continue
        if e["kind"] == "agreement_renounced" and e["state"] != v.me:
            deal = sit.known(e["agreement"])
            if deal is None or v.me not in deal.parties:
                continue
            title, who = v.w.deal(deal), v.w.state(e["state"])
            if v.p.name == "loyal":
                text = f"{v.name} regrets that {who} has renounced {title}. We kept our side of it."
            else:
                text = f"So {who} renounces {title}. {v.name} will remember it."
            out.append(v.tell(e["state"], text))
        elif e["kind"] == "agreement_breached" and e["evidence"].startswith("declared"):
            deal = sit.known(e["agreement"])
            if deal is None or deal.rumour or v.me not in deal.parties:
                continue
            title = v.w.deal(deal)
            if e["breaker"] == v.me:
                for other in deal.parties:
                    if other != v.me:
                        text = (
                            f"{v.name} disputes that it broke {title}, but it hears the grievance."
                            if v.p.name == "loyal"
                            else f"{v.name} rejects the charge that it broke {title}."
                        )
                        out.append(v.tell(other, text))
            else:
                out += _breach(sit, v, deal, e)
    return [m for m in out if not talk.has_said(m.to, m.text)]


def _breach(sit: Situation, v: Voice, deal: Deal, e: Mapping[str, Any]) -> list[Press]:
    breaker = e["breaker"]
    title = v.w.deal(deal)
    how = v.how(e.get("order"), str(e.get("clause_kind", "")))
    text = f"{v.w.state(breaker)} has broken {title}: {how}. {v.resolve()}"
    out = [v.tell(breaker, text, Complain(agreement=deal.id))]
    in_main = e.get("clause", 0) < len(deal.clauses)
    if v.p.name != "schemer" and in_main and known_to(deal, None):
        out.append(v.announce(f"{v.name} denounces {v.w.state(breaker)}'s breach of {title}."))
    return out


def _exposed(v: Voice, deal: Deal) -> list[Press]:
    title = v.w.deal(deal)
    if v.p.name == "loyal":
        text = f"{capital(title)} is out in the open. {v.name} will stand by it and explain it in public."
    else:
        text = f"{capital(title)} is out in the open. {v.name} will call it a necessity; we advise you to do the same."
    return [v.tell(other, text) for other in deal.parties if other != v.me]


def _aimed_at(deal: Deal) -> set[str]:
    named: set[str] = set()
    for clause in deal.all_clauses:
        named |= clause_states(clause)
    return named - set(deal.parties)


def _attacks(sit: Situation, v: Voice, events: list[dict[str, Any]], blamed: set[str]) -> list[Press]:
    """An attack on us by a state we trusted, or by one that told us it would not."""
    me, last = v.me, sit.turn - 1
    hit: dict[str, list[str]] = {}
    for e in events:
        if e["kind"] == "dislodged" and e["state"] == me and e.get("by") not in (None, me):
            hit.setdefault(e["by"], []).append(e["at"])
        elif e["kind"] in ("move", "bounce") and e["state"] != me:
            dest = territory_of(e["to"])
            if sit.owners.get(dest) == me or any(
                x["kind"] == "captured" and x["territory"] == dest and x.get("from") == me for x in events
            ):
                hit.setdefault(e["state"], []).append(dest)
    if not hit:
        return []
    promised = _denials(sit, last)
    friends = {
        p
        for a in sit.agreements
        if not a.get("rumour")
        and a.get("status") in ("active", "breached", "renounced")
        and me in a["parties"]
        for p in a["parties"]
    }
    out: list[Press] = []
    for attacker in sorted(hit, key=sit.table.states.index):
        if attacker in blamed or attacker not in sit.table.states:
            continue
        places = hit[attacker]
        who, where = v.w.state(attacker), v.w.place(places[0])
        lied = next((t for t in places if (attacker, t) in promised), None)
        if lied is not None or (attacker, me) in promised:
            about = v.w.place(lied) if lied is not None else f"an attack on {v.name}"
            text = f"{who} told us it had no plans for {about}, and then marched on {where}. {v.name} will not forget it."
            out.append(v.tell(attacker, text))
        elif attacker in friends or sit.trust.get(attacker, 50) >= 40:
            text = f"{who} attacked us at {where}. {v.name} trusted {who}; will it attack {v.name} again this turn?"
            out.append(v.tell(attacker, text, AskIntentions(state=me)))
    return out


def _denials(sit: Situation, turn: int) -> set[tuple[str, str]]:
    """(state, territory or our state) that a state told us, on `turn`, it would not move into or attack."""
    mine = {m["id"]: m for m in sit.messages if m["from"] == sit.me and m["turn"] == turn and "ask" in m}
    out: set[tuple[str, str]] = set()
    for m in sit.messages:
        answer = m.get("answer")
        if not answer or answer["to"] not in mine:
            continue
        ask = mine[answer["to"]]["ask"]
        said_no = (ask["kind"] == "intentions" and answer.get("yes") is False) or (
            ask["kind"] == "warn" and answer.get("yes") is True
        )
        if said_no:
            out.add((m["from"], ask.get("territory") or ask.get("state")))
    return out

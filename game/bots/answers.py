"""Answering what a bot is asked, from its actual plan for the turn.

Each structured ask (game/rules/asks.py) is answered from the orders the bot would give now,
its word of this turn included: "will you move into Burgundy?" is answered by whether those
orders move into Burgundy.  A loyal bot says the truth and is then bound by it (`talk.Word`),
so its orders at resolution do what it said.  An opportunist, more often a schemer, sometimes
says the opposite when the truth would cost it — and marks that answer deceptive, as a person
would, so the debrief shows the lie; its orders then do what it meant all along.  Free text it
cannot read gets a polite reply in its own voice, never silence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from game.bots.deals import Bounds, parse, violations
from game.bots.personality import Personality
from game.bots.situation import Situation
from game.bots.talk import Message, Word
from game.bots.words import Words, capital, known_to
from game.rules.asks import (
    AnyAsk,
    AskDmz,
    AskIntentions,
    AskSupport,
    Complain,
    DemandJustification,
    Warn,
)
from game.rules.board import territory_of
from game.rules.clauses import DemilitarisedZone
from game.rules.commands import AgreementAct, DiplomacyCommand, Press, Propose
from game.rules.orders import Move
from game.rules.rng import Rng

Plan = Callable[[Word], dict[str, str]]
"""The orders (territory -> order) the bot would give now, bound by a word."""


@dataclass(slots=True)
class Reply:
    """An answer: yes / no / None, whether it is true, the words, and anything done with it."""

    yes: bool | None
    text: str
    sincere: bool = True
    then: list[DiplomacyCommand] = field(default_factory=list)


class Answerer:
    """Answers one bot's asks in one call, keeping its word up to date as it speaks."""

    def __init__(
        self,
        sit: Situation,
        p: Personality,
        words: Words,
        word: Word,
        plan: Plan,
        kept: Bounds,
        rng: Callable[[str], Rng],
    ) -> None:
        self.sit = sit
        self.me = sit.me
        self.p = p
        self.w = words
        self.word = word
        self._plan = plan
        self.kept = kept
        self.rng = rng
        self._orders: dict[str, str] | None = None

    # --- the plan --------------------------------------------------------------------------------

    @property
    def orders(self) -> dict[str, str]:
        if self._orders is None:
            self._orders = self._plan(self.word)
        return self._orders

    def _moves(self) -> list[Move]:
        return [o for o in map(parse, self.orders.values()) if isinstance(o, Move)]

    def entering(self, territory: str) -> bool:
        return any(territory_of(o.dest) == territory for o in self._moves())

    def attacking(self, state: str) -> bool:
        return any(self.sit.holder(territory_of(o.dest)) == state for o in self._moves())

    def bind(self, ref: str, ask: AnyAsk, reply: Reply) -> None:
        """What was said binds the orders from now on (a lie, to the opposite)."""
        if reply.yes is None:
            return
        self.word.said(ref, ask, reply.yes, reply.sincere)
        self._orders = None

    # --- answering -------------------------------------------------------------------------------

    def answer(self, message: Message, ask: AnyAsk | None) -> Reply:
        asker = message["from"]
        if ask is None:
            return self.free_text(message)
        if message["turn"] != self.sit.turn:
            return Reply(None, "That was last season's question; ask us again if it still matters.")
        if self.sit.phase != "movement" and not isinstance(ask, Complain | DemandJustification):
            return Reply(
                None, "Our orders for this season are given; ask us again when the next season opens."
            )
        rng = self.rng(f"ask/{message['id']}")
        if isinstance(ask, AskSupport):
            reply = self.support(asker, ask, rng)
        elif isinstance(ask, AskIntentions):
            reply = self.intentions(ask, rng)
        elif isinstance(ask, Warn):
            reply = self.warning(asker, ask, rng)
        elif isinstance(ask, AskDmz):
            reply = self.zone(asker, ask, rng)
        elif isinstance(ask, Complain):
            reply = self.complaint(asker, ask.agreement)
        else:
            reply = self.justification(asker, ask.agreement)
        self.bind(message["id"], ask, reply)
        return reply

    def _lie(self, rng: Rng) -> bool:
        return self.p.lie_chance > 0 and rng.chance(self.p.lie_chance)

    def intentions(self, ask: AskIntentions, rng: Rng) -> Reply:
        me = self.w.state(self.me)
        if ask.territory is not None:
            place = self.w.place(ask.territory)
            truth = self.entering(ask.territory)
            yes_text = f"Yes: {me} means to move into {place} this turn."
            no_text = f"No: {me} has no plans to enter {place} this turn."
        else:
            assert ask.state is not None
            if ask.state == self.me:
                return Reply(None, f"{me} does not make war on itself.")
            who = self.w.state(ask.state)
            truth = self.attacking(ask.state)
            yes_text = f"We will not hide it: {me} will move against {who} this turn."
            no_text = f"No: {me} has no quarrel with {who} this turn."
        if truth and self._lie(rng):
            return Reply(False, no_text, sincere=False)
        return Reply(truth, yes_text if truth else no_text)

    def support(self, asker: str, ask: AskSupport, rng: Rng) -> Reply:
        sit, w = self.sit, self.w
        unit = sit.units.get(ask.unit_at)
        if unit is None or unit.state != self.me:
            return Reply(False, f"No: {w.state(self.me)} has no unit in {w.place(ask.unit_at)}.")
        ours = f"our {w.unit(unit)}"
        target = sit.units.get(ask.target)
        if target is None:
            return Reply(False, f"No: there is no unit in {w.place(ask.target)} for {ours} to support.")
        dest = ask.dest or ask.target
        whose = "your" if target.state == asker else f"{w.state(target.state)}'s"
        what = (
            f"{whose} move from {w.place(ask.target)} to {w.place(ask.dest)}"
            if ask.dest
            else f"{whose} unit in {w.place(ask.target)} to hold"
        )
        yes_text = f"Yes: {ours} will support {what} this turn."
        if not sit.board.can_reach(unit.type, unit.location, territory_of(dest)):
            return Reply(False, f"No: {ours} cannot reach {w.place(dest)}.")
        truth, why = self._will_support(asker, ask, target.state, ours)
        if truth:
            return Reply(True, yes_text)
        if asker not in sit.partners() and self._lie(rng):
            return Reply(True, yes_text, sincere=False)
        return Reply(False, why)

    def _will_support(self, asker: str, ask: AskSupport, mover: str, ours: str) -> tuple[bool, str]:
        sit, w = self.sit, self.w
        order = f"{sit.units[ask.unit_at].text} S {sit.units[ask.target].letter} {ask.target}"
        if ask.dest:
            victim = sit.holder(ask.dest)
            if victim == self.me:
                return (
                    False,
                    f"No: {w.state(self.me)} will not help an attack on its own {w.place(ask.dest)}.",
                )
            if (
                ask.dest in self.word.enter
                or ask.dest in self.kept.no_enter
                or ask.dest in self.word.no_enter
            ):
                return False, f"No: {ours} cannot lend a hand in {w.place(ask.dest)} this turn."
            order += f" - {ask.dest}"
        bounds = Bounds()
        bounds.merge(self.kept)
        if violations([order], bounds, sit):
            return False, f"No: {ours} cannot lend a hand to that move this turn."
        if ask.unit_at in {s.unit_at for _, s in self.word.supports} or ask.unit_at in {
            p.unit_at for _, p in self.kept.supports
        }:
            return False, f"No: {ours} has promised its help elsewhere this turn."
        current = parse(self.orders.get(ask.unit_at, ""))
        busy = 0.0
        if isinstance(current, Move):
            dest = territory_of(current.dest)
            if dest in self.word.enter or sit.holder(dest) in self.word.attack:
                return False, f"No: {ours} has other work this turn."
            busy = 0.6 if sit.board.territories[dest].supply else 0.25
        trust = sit.trust.get(asker, 50)
        score = (trust - 50) / 50 + self.p.help_bias - busy
        if asker in sit.partners():
            score += 0.4
        if ask.dest:
            victim = sit.holder(ask.dest)
            if victim is not None and victim != mover and victim in sit.partners():
                return False, f"No: {w.state(self.me)} will not lend its units to that attack."
            if victim is not None and victim != mover and sit.trust.get(victim, 50) < 45:
                score += 0.3
        if score > 0:
            return True, ""
        if trust < 40:
            return False, f"No: {w.state(asker)} has not earned that from us yet."
        return False, f"No: {ours} has its own business this turn."

    def warning(self, asker: str, ask: Warn, rng: Rng) -> Reply:
        sit, w = self.sit, self.w
        me = w.state(self.me)
        if ask.territory is not None:
            place = w.place(ask.territory)
            going = self.entering(ask.territory)
            committed = ask.territory in self.word.enter
            comply = f"Understood: {me} will keep out of {place}."
            quiet = f"Understood: {me} has no business in {place} this turn."
            refuse = f"{me} will go where its interests take it, {place} included."
        else:
            assert ask.state is not None
            if ask.state == self.me:
                return Reply(None, f"{me} takes note of {w.state(asker)}'s concern for it.")
            who = w.state(ask.state)
            going = self.attacking(ask.state)
            committed = ask.state in self.word.attack
            comply = f"Understood: {me} will leave {who} alone."
            quiet = f"Understood: {me} has no quarrel with {who} this turn."
            refuse = f"{me} does not take orders from {w.state(asker)} about {who}."
        if not going and not committed:
            return Reply(True, quiet)
        stronger = sit.supply.get(asker, 0) > sit.supply.get(self.me, 0) or asker in sit.partners()
        if not committed and rng.chance(self.p.comply_chance * (1.0 if stronger else 0.5)):
            return Reply(True, comply)
        if self._lie(rng):
            return Reply(True, comply, sincere=False)
        return Reply(False, refuse)

    def zone(self, asker: str, ask: AskDmz, rng: Rng) -> Reply:
        sit, w = self.sit, self.w
        me = w.state(self.me)
        places = w.places(ask.territories)
        staying = [u for t in ask.territories if (u := sit.units.get(t)) is not None and u.state == self.me]
        if staying:
            return Reply(False, f"{me} cannot promise that: our {w.unit(staying[0])} stays where it is.")
        if any(t in self.word.enter for t in ask.territories):
            return Reply(False, f"{me} cannot promise that this turn.")
        agreed = Reply(True, f"Agreed: {me} will keep its units out of {places} this turn.")
        going = any(self.entering(t) for t in ask.territories)
        if going:
            if rng.chance(self.p.comply_chance):
                pass
            elif self._lie(rng):
                return Reply(True, agreed.text, sincere=False)
            else:
                return Reply(False, f"{me} cannot promise that this turn.")
        if (
            sit.trust.get(asker, 50) >= 50
            and asker in sit.table.seated
            and not sit.pending_with(asker)
            and rng.chance(0.5)
        ):
            agreed.text += " Let us put it in writing: we have sent you the agreement."
            agreed.then.append(
                Propose(
                    state=self.me,
                    parties=[self.me, asker],
                    title="Demilitarised border",
                    visibility="secret",
                    clauses=[DemilitarisedZone(territories=list(ask.territories))],
                    duration=2,
                )
            )
        return agreed

    def complaint(self, asker: str, ref: str) -> Reply:
        sit, w = self.sit, self.w
        me = w.state(self.me)
        deal = sit.known(ref)
        if deal is None or deal.rumour:
            return Reply(None, f"{me} knows of no agreement of ours that was broken.")
        title = w.deal(deal) if known_to(deal, asker) else "that agreement"
        mine = any(
            e.get("agreement") == ref and e.get("breaker") == self.me
            for _, e in sit.events_of("agreement_breached")
        )
        if not mine:
            return Reply(None, f"{me} has kept every clause of {title}; look elsewhere for whoever broke it.")
        if self.p.name == "loyal":
            return Reply(
                None,
                f"{me} regrets what was done against {title}. It was not done lightly, and it "
                "will not happen again.",
            )
        if self.p.name == "opportunist":
            return Reply(
                None, f"{me} did what it had to. {capital(title)} asked more of us than we could give."
            )
        return Reply(None, f"{me} has done nothing that {w.state(asker)} would not have done in our place.")

    def justification(self, asker: str, ref: str) -> Reply:
        sit, w = self.sit, self.w
        me = w.state(self.me)
        deal = sit.known(ref)
        if deal is None or deal.rumour:
            return Reply(None, f"{me} does not know what you mean.")
        title = w.deal(deal) if known_to(deal, asker) else "that agreement"
        if self.me not in deal.parties:
            return Reply(None, f"{me} is no party to {title}; ask those who signed it.")
        if self.me in deal.justified_by:
            return Reply(None, f"{me} has already said in public why it made {title}.")
        if deal.leak_level != "exposed":
            return Reply(None, f"{me} has nothing to explain.")
        public = Press(
            state=self.me,
            sincerity="sincere",
            text=f"{me} explains {w.deal(deal)}: it was made from necessity, to keep the peace.",
        )
        return Reply(
            None,
            f"{me} has explained {title} in public.",
            then=[AgreementAct(kind="justify", state=self.me, agreement=ref), public],
        )

    # --- free text ---------------------------------------------------------------------------------

    def free_text(self, message: Message) -> Reply:
        """A polite reply in the bot's own voice to words it cannot read as an ask."""
        w = self.w
        me, them = w.state(self.me), w.state(message["from"])
        rng = self.rng(f"reply/{message['id']}")
        voice = _VOICES.get(self.p.name, _VOICES["loyal"])
        text = rng.choice(voice).format(me=me, them=them)
        place = w.named_place(message.get("text", ""))
        if place is not None and self.sit.phase == "movement":
            text += f" If it is {place} you have in mind, ask us our intentions there and you will have an answer."
        return Reply(None, text)


_VOICES: Mapping[str, tuple[str, ...]] = {
    "loyal": (
        "{me} thanks {them} for its message. We keep our word and expect the same; if you need something "
        "of us this turn, a support, a quiet border or our intentions, ask us plainly.",
        "{me} has read {them}'s message with care. We are always ready to talk, and what we promise we do.",
    ),
    "opportunist": (
        "{me} has read {them}'s message with interest. Make us an offer we can use, and we will answer it.",
        "{me} listens to {them}. Words are cheap this season; tell us what you offer and what you ask.",
    ),
    "schemer": (
        "{them}'s words are noted. {me} is always glad to talk among friends; what exactly do you propose?",
        "{me} values {them}'s friendship. Let us keep talking, quietly.",
    ),
}

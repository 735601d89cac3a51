"""Every agreement's life, from its proposal to its end, and who knew of it when.

Built from the umpire's record of the agreement (its final state), the facts that name it
turn by turn, the commands that proposed and signed it (with the member who gave each), and
the replay's snapshots of who knew it at the end of every turn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from game.debrief.chronicle import Chronicle
from game.debrief.story import Teller, Told

KEPT = frozenset({"expired"})


@dataclass(frozen=True, slots=True)
class Signature:
    state: str
    turn: int
    author: str | None
    at_start: bool = False


@dataclass(frozen=True, slots=True)
class Learned:
    """When a state first knew of an agreement (end of that turn; 0: before the first), and how."""

    state: str
    turn: int
    how: str


@dataclass(slots=True)
class Life:
    id: str
    view: Mapping[str, Any]
    title: str
    proposer: str | None
    proposer_author: str | None
    parties: list[str]
    visibility: str
    status: str
    clauses: Markup
    annex: Markup
    proposed_turn: int | None
    start_turn: int | None
    end_turn: int | None
    at_start: bool
    note: str
    signatures: list[Signature] = field(default_factory=list)
    timeline: list[tuple[int, Told]] = field(default_factory=list)
    learned: list[Learned] = field(default_factory=list)
    breaches: list[tuple[int, Told]] = field(default_factory=list)
    leaks: list[tuple[int, Told]] = field(default_factory=list)
    public_from: int | None = None
    """The turn from which everyone knew its terms (exposed or ratified), if ever."""

    @property
    def in_force(self) -> bool:
        return self.start_turn is not None

    @property
    def secret_part(self) -> bool:
        return self.visibility == "secret" or bool(self.view.get("annex"))

    @property
    def known(self) -> dict[str, Learned]:
        """State -> when and how it first knew of the agreement."""
        return {k.state: k for k in self.learned}

    @property
    def kept(self) -> bool:
        return self.status in KEPT


def lives(chronicle: Chronicle, agreements: Sequence[Mapping[str, Any]], teller: Teller) -> list[Life]:
    """One `Life` per agreement of the record, in the record's order."""
    game = chronicle.game
    notes = {a.id: a.note for a in game.scenario.agreements}
    by_agreement: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    for record in game.turns:
        for event in record.events:
            for ref in {event.get("agreement"), event.get("because")}:
                if isinstance(ref, str):
                    by_agreement.setdefault(ref, []).append((record.turn, event))
    signatures: dict[str, list[Signature]] = {}
    proposers: dict[str, str | None] = {}
    for act in chronicle.acts:
        if act.kind in ("propose", "counter") and act.made and act.state:
            signatures.setdefault(act.made[0], []).append(Signature(act.state, act.turn, act.author))
            proposers[act.made[0]] = act.author
        elif act.kind == "sign" and act.state:
            ref = str(act.command.get("agreement"))
            signatures.setdefault(ref, []).append(Signature(act.state, act.turn, act.author))
    out: list[Life] = []
    for view in agreements:
        ref = str(view["id"])
        events = by_agreement.get(ref, [])
        at_start = any(e.get("kind") == "agreement_signed" and e.get("at_start") for _, e in events)
        parties = list(view.get("parties", []))
        life = Life(
            id=ref,
            view=view,
            title=str(view.get("title") or ref),
            proposer=view.get("proposer"),
            proposer_author=proposers.get(ref),
            parties=parties,
            visibility=str(view.get("visibility", "")),
            status=str(view.get("status", "")),
            clauses=teller.clauses(view.get("clauses"), parties),
            annex=teller.clauses(view.get("annex"), parties),
            proposed_turn=view.get("proposed_turn"),
            start_turn=view.get("start_turn"),
            end_turn=view.get("end_turn"),
            at_start=at_start,
            note=notes.get(str(view.get("name") or ""), ""),
            signatures=(
                [Signature(p, 1, None, at_start=True) for p in parties]
                if at_start
                else signatures.get(ref, [])
            ),
        )
        for turn, fact in events:
            told = teller.tell(fact, brief=True)
            life.timeline.append((turn, told))
            if fact.get("kind") == "agreement_breached" and fact.get("agreement") == ref:
                life.breaches.append((turn, told))
            elif (
                fact.get("kind") in ("agreement_leaked", "leak_done", "agreement_discovered")
                and fact.get("agreement") == ref
            ):
                life.leaks.append((turn, told))
            if (
                fact.get("agreement") == ref
                and life.public_from is None
                and (
                    (fact.get("kind") == "agreement_leaked" and fact.get("level") == "exposed")
                    or fact.get("kind") == "agreement_ratified"
                )
            ):
                life.public_from = turn
        if life.visibility == "public" and not life.view.get("annex") and life.in_force:
            life.public_from = life.start_turn
        life.learned = _learned(chronicle, life, events)
        out.append(life)
    return out


def _learned(
    chronicle: Chronicle, life: Life, events: Sequence[tuple[int, Mapping[str, Any]]]
) -> list[Learned]:
    """Who knew of the agreement, from which turn, and how they came to know it."""
    discovered = {e.get("by"): t for t, e in events if e.get("kind") == "agreement_discovered"}
    first: dict[str, int] = {}
    for turn in [0, *sorted(chronicle.ends)]:
        state = chronicle.start if turn == 0 else chronicle.ends[turn]
        known = state.knowledge.get(life.id)
        if known is None:
            continue
        for s in sorted(known.known_by):
            first.setdefault(s, turn)
    intermediary = life.view.get("intermediary")
    out: list[Learned] = []
    for s, turn in first.items():
        if s in life.parties:
            how = "party" if s != life.proposer else "proposer"
        elif s == intermediary:
            how = "intermediary"
        elif s in discovered:
            how = "discovered it"
        else:
            how = "told (intelligence)"
        out.append(Learned(s, turn, how))
    order = {s: i for i, s in enumerate(life.parties)}
    out.sort(key=lambda x: (x.turn, order.get(x.state, len(order)), x.state))
    return out

"""What would this break: a seat's own orders against the agreements it is party to, before Ready.

A player should learn that an order breaks a promise when giving it, not when the turn
resolves.  The forecast adjudicates the phase with the seat's orders and every other unit
holding (a seat does not know others' orders) — except a move the seat itself supports, which
it expects to be made — runs the same clause checks the resolution
runs (`breaches.check_clause`) over the active agreements the seat is party to and whose
clauses it can read, and keeps the breaches the seat itself would commit.  Each warning says
what the rules would charge, and to whom the breach would be told.

It is read only from the seat's own knowledge: its orders, the public map, its agreements'
clauses (an annex only if it may read it).  Nothing in the game changes.  So it cannot foresee
a breach that others' orders would bring about: a duty to help an ally that another state's
attack would call on, or a territory that is to change hands only if someone else moves.  An army
of the seat's ordered `via convoy` moves in the forecast only if the seat's own fleets convoy it:
another state's fleet is assumed to hold, and a move by convoy never falls back to land.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from game.rules.adjudication import adjudicate
from game.rules.agreements import ACTIVE
from game.rules.board import territory_of
from game.rules.breaches import TurnFacts, check_clause
from game.rules.errors import OrderSyntaxError
from game.rules.knowledge import ALL
from game.rules.orders import Move, Order, Support, parse_order

if TYPE_CHECKING:
    from game.rules.game import Game


@dataclass(frozen=True, slots=True)
class BreachWarning:
    """One clause a seat's orders would break, with the price the rules would charge."""

    agreement: str
    title: str
    clause: int
    clause_kind: str
    in_annex: bool
    order: str | None
    """The order that breaks it, or None when an order is missing (a promised support)."""
    evidence: str
    protected: tuple[str, ...]
    public: bool
    """Told to everyone (a public agreement's public clause): legitimacy and reputation fall."""
    told: tuple[str, ...]
    """Who would be told of the breach: "all" when public, else the parties (and, unknown to the
    seat, any state that has discovered the agreement)."""
    legitimacy: int
    """Legitimacy the breaker would lose (public breaches only)."""
    reputation: int
    """Change of the breaker's public reputation (public breaches only)."""
    trust_victim: int
    """Trust each protected state that knew the clause would lose in the breaker."""
    trust_witness: int
    """Trust every other state told of it would lose in the breaker."""

    def to_json(self) -> dict[str, Any]:
        return {
            "agreement": self.agreement,
            "title": self.title,
            "clause": self.clause,
            "clause_kind": self.clause_kind,
            "in_annex": self.in_annex,
            "order": self.order,
            "evidence": self.evidence,
            "protected": list(self.protected),
            "public": self.public,
            "told": list(self.told),
            "legitimacy": self.legitimacy,
            "reputation": self.reputation,
            "trust_victim": self.trust_victim,
            "trust_witness": self.trust_witness,
        }


def breach_forecast(game: Game, state: str, orders: Sequence[str] | None = None) -> list[BreachWarning]:
    """The breaches `state`'s movement orders would commit if every other unit held.

    `orders`: order texts to test (an order box's draft); None tests the orders it has given.
    Orders that do not parse are left out (the order box says why).  Outside a movement phase
    there is nothing to break by moving, and the answer is empty."""
    if game.phase != "movement" or state not in game.state_ids:
        return []
    d = game.diplomacy
    mine = [a for a in d.agreements_of(state) if a.status == ACTIVE]
    if not mine:
        return []
    parsed: list[Order] = []
    if orders is None:
        parsed = list(game.pending.get(state, ()))
    else:
        for text in orders:
            try:
                parsed.append(parse_order(text, "movement"))
            except OrderSyntaxError:
                continue
    given: list[tuple[str, Order]] = [(state, o) for o in parsed]
    for o in parsed:
        # Supporting another state's move says the seat expects that move: assume it is made.
        if isinstance(o, Support) and o.dest is not None:
            other = game.units.get(territory_of(o.target))
            if other is not None and other.state != state:
                given.append((other.state, Move(other.type, other.location, o.dest)))
    result = adjudicate(game.board, game.units, given)
    facts = TurnFacts.collect(game.board, game.turn, game.units, game.owners, result)
    c = d.constants.consequences
    out: list[BreachWarning] = []
    for a in sorted(mine, key=lambda a: a.id):
        for index, clause, in_annex in a.all_clauses():
            if in_annex and state not in a.annex_known_by:
                continue  # a clause the seat cannot read cannot be shown to it
            found = [
                b
                for b in check_clause(clause, a.parties, facts, a.start_turn or game.turn)
                if b.breaker == state
            ]
            if not found:
                continue
            breach = found[0]
            audience = a.annex_audience() if in_annex else a.event_audience()
            public = audience == ALL
            # Not the whole audience: who has discovered a secret is not the seat's to know.
            told = ("all",) if public else tuple(sorted(a.parties))
            reputation = d.reputation(state, more_breaches=1) - d.reputation(state) if public else 0
            out.append(
                BreachWarning(
                    agreement=a.id,
                    title=a.title,
                    clause=index,
                    clause_kind=str(getattr(clause, "kind", "clause")),
                    in_annex=in_annex,
                    order=breach.order,
                    evidence=breach.evidence,
                    protected=breach.protected,
                    public=public,
                    told=told,
                    legitimacy=c.legitimacy_breach if public else 0,
                    reputation=reputation,
                    trust_victim=c.trust_breach_victim,
                    trust_witness=c.trust_breach_witness,
                )
            )
            break  # the first broken clause breaks the agreement, as at resolution
    return out


__all__ = ["BreachWarning", "breach_forecast"]

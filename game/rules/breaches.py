"""Breach detection: every active agreement's clauses against the turn's orders and results.

A breach is evidence: which order (or result, or missing order) broke which clause, who
broke it and whom the clause protected.  The facts of a movement turn are indexed once
(`TurnFacts`), so checking thousands of agreements costs little more than the turn itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from game.rules.adjudication import MovementResult
from game.rules.board import Board, territory_of
from game.rules.clauses import (
    Cession,
    ClauseModel,
    DemilitarisedZone,
    MutualDefence,
    Neutrality,
    NonAggression,
    SpheresOfInfluence,
    SupportPromise,
)
from game.rules.errors import OrderSyntaxError
from game.rules.orders import Move, Support, parse_order
from game.rules.units import Unit


@dataclass(frozen=True, slots=True)
class Attack:
    """A move by `attacker` into a territory that `victim` held or occupied at the start of the turn."""

    attacker: str
    victim: str
    source: str
    dest: str
    order: str
    succeeded: bool


@dataclass(frozen=True, slots=True)
class Breach:
    breaker: str
    protected: tuple[str, ...]
    evidence: str
    order: str | None = None


@dataclass(slots=True)
class TurnFacts:
    """The movement turn's orders and results, indexed for the clause checks."""

    board: Board
    turn: int
    units_before: Mapping[str, Unit]
    owners: Mapping[str, str | None]
    result: MovementResult
    attacks_by_pair: dict[tuple[str, str], list[Attack]] = field(default_factory=dict)
    attacks_on: dict[str, list[Attack]] = field(default_factory=dict)  # victim -> attacks
    attacks_by: dict[str, list[Attack]] = field(default_factory=dict)  # attacker -> attacks
    aid_to_attack: dict[str, list[tuple[str, Attack, str]]] = field(
        default_factory=dict
    )  # supporter -> (state, attack, order)
    supports_by: dict[str, list[tuple[str, str, Support]]] = field(
        default_factory=dict
    )  # supporter -> (territory, supported state, order)
    moves_by: dict[str, list[tuple[str, Move, bool]]] = field(
        default_factory=dict
    )  # state -> (from, order, succeeded)
    moved: set[str] = field(default_factory=set)
    units_by_state: dict[str, list[Unit]] = field(default_factory=dict)
    moves_into: dict[str, list[tuple[str, Move, bool]]] = field(
        default_factory=dict
    )  # dest -> (state, order, succeeded)
    helpers: dict[str, set[str]] = field(default_factory=dict)  # state -> states whose units it supported
    keys: set[tuple[str, ...]] = field(default_factory=set)  # what happened, as watch keys (see watch_keys)
    # Breaches found for a clause's members this turn: a check that depends only on who the members
    # are (non-aggression, mutual defence, neutrality) runs once for however many agreements share them.
    memo: dict[tuple[Any, ...], list[Breach]] = field(default_factory=dict)
    memo_left_alone: dict[tuple[str, str], list[tuple[str, int, Breach]]] = field(default_factory=dict)
    memo_hits: dict[str, tuple[list[tuple[int, Attack, dict[str, list[str]]]], set[str]]] = field(
        default_factory=dict
    )

    @classmethod
    def collect(
        cls,
        board: Board,
        turn: int,
        units_before: Mapping[str, Unit],
        owners: Mapping[str, str | None],
        result: MovementResult,
    ) -> TurnFacts:
        facts = cls(board, turn, units_before, owners, result)
        for unit in units_before.values():
            facts.units_by_state.setdefault(unit.state, []).append(unit)
        succeeded = {unit.territory for unit, _ in result.moves}
        facts.moved = succeeded
        attack_from: dict[str, Attack] = {}
        orders = result.final_orders
        in_board_order = sorted(orders, key=board.index.__getitem__)
        for territory in in_board_order:
            order = orders[territory]
            state = units_before[territory].state
            if isinstance(order, Move):
                dest = order.dest.split("/")[0]
                facts.moves_by.setdefault(state, []).append((territory, order, territory in succeeded))
                facts.moves_into.setdefault(dest, []).append((state, order, territory in succeeded))
                occupant = units_before.get(dest)
                victim = occupant.state if occupant is not None else owners.get(dest)
                if victim is not None and victim != state:
                    attack = Attack(state, victim, territory, dest, order.text, territory in succeeded)
                    attack_from[territory] = attack
                    facts.attacks_by_pair.setdefault((state, victim), []).append(attack)
                    facts.attacks_on.setdefault(victim, []).append(attack)
                    facts.attacks_by.setdefault(state, []).append(attack)
        for territory in in_board_order:
            order = orders[territory]
            if not isinstance(order, Support):
                continue
            state = units_before[territory].state
            target = units_before.get(order.target)
            supported = target.state if target is not None else ""
            facts.supports_by.setdefault(state, []).append((territory, supported, order))
            facts.helpers.setdefault(state, set()).add(supported)
            if order.dest is not None:
                aided = attack_from.get(order.target)
                if aided is not None and aided.dest == order.dest:
                    facts.aid_to_attack.setdefault(state, []).append((state, aided, order.text))
        keys = facts.keys
        keys.add(("turn", str(turn)))
        for (attacker, victim), attacks in facts.attacks_by_pair.items():
            keys.add(("hostile", attacker, victim))
            if any(a.succeeded for a in attacks):
                keys.add(("hit", victim))
        for aider, aids in facts.aid_to_attack.items():
            for _, attack, _ in aids:
                keys.add(("hostile", aider, attack.victim))
                keys.add(("aid", aider, attack.attacker))
                keys.add(("aided_against", aider, attack.victim))
        keys.update(("in", t, u.state) for t, u in result.units.items())
        keys.update(("entered", t, state) for t, moves in facts.moves_into.items() for state, _, _ in moves)
        keys.update(
            ("arrived", t, state) for t, moves in facts.moves_into.items() for state, _, ok in moves if ok
        )
        return facts

    def add_undefended_keys(self) -> None:
        """The keys a mutual defence watches, worked out only when some agreement could watch them.

        `("undefended", victim, state)`: a successful attack on `victim` that a unit of `state` could
        have resisted, by a state other than `state` that `state` did not strike back at, in a turn
        when `state` supported no unit of `victim`'s (`_left_alone`'s conditions, all but the one that
        depends on who the members are).  `("self_aid", aider, victim)`: a state helped an attack on
        itself in a turn when `victim` was attacked with success.  `("self_aid_hostile", aider, a, b)`
        (a < b): the same helper, in a turn when `a` and `b` were hostile (an attack or an aided attack,
        either way).  A mutual defence is checked exactly when one of these names its members, or
        `("aided_against", a, b)` does: never for an attack between members alone, which is no breach
        of it (see watch_keys)."""
        hit = [victim for victim, attacks in self.attacks_on.items() if any(a.succeeded for a in attacks)]
        attacks_by_pair = self.attacks_by_pair
        helpers = self.helpers
        for victim in hit:
            hits, near = _hits_on(victim, self)
            for state in near:
                if victim in helpers.get(state, ()):
                    continue
                for _, attack, able in hits:
                    attacker = attack.attacker
                    if attacker != state and (state, attacker) not in attacks_by_pair and able.get(state):
                        self.keys.add(("undefended", victim, state))
                        break
        self_aiders = [
            aider
            for aider, aids in self.aid_to_attack.items()
            if any(attack.victim == aider for _, attack, _ in aids)
        ]
        if not self_aiders:
            return
        # The pairs of the turn's `hostile` keys (an attack, or help to one), from where collect made them.
        pairs = list(self.attacks_by_pair)
        pairs += [
            (aider, attack.victim) for aider, aids in self.aid_to_attack.items() for _, attack, _ in aids
        ]
        hostile = {(x, y) if x < y else (y, x) for x, y in pairs if x != y}
        for aider in self_aiders:
            self.keys.update(("self_aid", aider, victim) for victim in hit)
            self.keys.update(("self_aid_hostile", aider, a, b) for a, b in hostile)


def watch_keys(clause: ClauseModel, parties: tuple[str, ...], active_since: int) -> list[tuple[str, ...]]:
    """The facts that could breach a clause: it is checked only in a turn where one of them happened,
    so thousands of agreements cost little when little happens to them."""
    if isinstance(clause, NonAggression):
        members = tuple(clause.between) or parties
        return [("hostile", a, b) for a in members for b in members if a != b]
    if isinstance(clause, MutualDefence):
        members = tuple(clause.members) or parties
        # Not every attack on a member: only one that an ally could have resisted can breach it, or an
        # ally's help to an attack on another; a member's help to an attack on itself is found whenever
        # a member was hit or two members were hostile (the turns this clause was always checked in).
        keys: list[tuple[str, ...]] = [("undefended", m, a) for m in members for a in members if a != m]
        keys += [("self_aid", a, m) for a in members for m in members]
        keys += [("aided_against", a, b) for a in members for b in members if a != b]
        return keys + [
            ("self_aid_hostile", x, a, b) for x in members for a in members for b in members if a < b
        ]
    if isinstance(clause, SupportPromise):
        return [("turn", str(clause.turn if clause.turn is not None else active_since))]
    if isinstance(clause, Cession):
        return [("turn", str(clause.by_turn))]
    if isinstance(clause, DemilitarisedZone):
        # In its first turn only a unit that moves into the zone breaks it (one already there may stay
        # while it leaves); from the next turn on, any unit of a party in it (`later_watch_keys`).
        return [("arrived", t, p) for t in clause.territories for p in parties]
    if isinstance(clause, SpheresOfInfluence):
        return [
            ("entered", t, p) for s in clause.spheres for t in s.territories for p in parties if p != s.state
        ]
    if isinstance(clause, Neutrality):
        neutral = tuple(clause.neutral) or tuple(p for p in parties if p not in clause.conflict)
        return [(k, n, side) for n in neutral for side in clause.conflict for k in ("hostile", "aid")]
    return []


def later_watch_keys(clause: ClauseModel, parties: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The facts that could breach a clause only after its first turn, watched from the turn after it
    came into force: a demilitarised zone's units that stayed in it."""
    if isinstance(clause, DemilitarisedZone):
        return [("in", t, p) for t in clause.territories for p in parties]
    return []


def check_clause(
    clause: ClauseModel, parties: tuple[str, ...], facts: TurnFacts, active_since: int
) -> list[Breach]:
    """Breaches of one clause this movement turn."""
    check = _CHECKS.get(type(clause))
    return check(clause, parties, facts, active_since) if check is not None else []


def _non_aggression(members: tuple[str, ...], facts: TurnFacts) -> list[Breach]:
    breaches = []
    for a in members:
        for b in members:
            if a == b:
                continue
            for attack in facts.attacks_by_pair.get((a, b), ()):
                result = "and took it" if attack.succeeded else "(it failed)"
                breaches.append(
                    Breach(
                        a, (b,), f"{a} attacked {b} at {attack.dest}: {attack.order} {result}", attack.order
                    )
                )
        for _, attack, order in facts.aid_to_attack.get(a, ()):
            if attack.victim in members and attack.victim != a:
                breaches.append(
                    Breach(
                        a,
                        (attack.victim,),
                        f"{a} supported {attack.attacker}'s attack on {attack.victim}: {order}",
                        order,
                    )
                )
    return breaches


def _mutual_defence(members: tuple[str, ...], facts: TurnFacts) -> list[Breach]:
    breaches: list[Breach] = []
    for member in members:
        allies = [ally for ally in members if ally != member]
        if len(allies) == 1:
            breaches.extend(
                b for attacker, _, b in _left_alone(member, allies[0], facts) if attacker not in members
            )
        elif allies:
            # Attack by attack, each ally in turn: the order in which the checks would find them.
            found = [
                (position, rank, b)
                for rank, ally in enumerate(allies)
                for attacker, position, b in _left_alone(member, ally, facts)
                if attacker not in members
            ]
            breaches.extend(b for _, _, b in sorted(found, key=lambda f: (f[0], f[1])))
        for ally in members:
            for _, attack, order in facts.aid_to_attack.get(ally, ()):
                if attack.victim in members and attack.attacker not in members:
                    breaches.append(
                        Breach(
                            ally,
                            (attack.victim,),
                            f"{ally} supported {attack.attacker} against its ally {attack.victim}: {order}",
                            order,
                        )
                    )
    return breaches


def _left_alone(member: str, ally: str, facts: TurnFacts) -> list[tuple[str, int, Breach]]:
    """The successful attacks on `member` that `ally` could have resisted and did not, as (attacker,
    position among the attacks on `member`, breach): the same for every agreement between the two."""
    key = (member, ally)
    cached = facts.memo_left_alone.get(key)
    if cached is not None:
        return cached
    out: list[tuple[str, int, Breach]] = []
    hits, near = _hits_on(member, facts)
    if ally in near and member not in facts.helpers.get(ally, ()):
        for position, attack, able_by_state in hits:
            if attack.attacker == ally:
                continue
            if (ally, attack.attacker) in facts.attacks_by_pair:
                continue  # it struck back at the attacker
            able = able_by_state.get(ally)
            if able:
                out.append(
                    (
                        attack.attacker,
                        position,
                        Breach(
                            ally,
                            (member,),
                            f"{attack.attacker} attacked {member} at {attack.dest} ({attack.order}); {ally}'s units at "
                            f"{', '.join(able)} could have helped and did not",
                        ),
                    )
                )
    facts.memo_left_alone[key] = out
    return out


def _hits_on(
    member: str, facts: TurnFacts
) -> tuple[list[tuple[int, Attack, dict[str, list[str]]]], set[str]]:
    """The successful attacks on a state, as (position among the attacks on it, attack, where each
    state had units that could have moved into the attacked territory, in the board's order of its
    neighbours), and every state that had such a unit."""
    found = facts.memo_hits.get(member)
    if found is None:
        board = facts.board
        units = facts.units_before
        hits: list[tuple[int, Attack, dict[str, list[str]]]] = []
        near: set[str] = set()
        for position, attack in enumerate(facts.attacks_on.get(member, ())):
            if not attack.succeeded:
                continue
            able: dict[str, list[str]] = {}
            for n in board.neighbours[attack.dest]:
                u = units.get(n)
                if u is not None and board.can_reach(u.type, u.location, attack.dest):
                    able.setdefault(u.state, []).append(n)
            hits.append((position, attack, able))
            near.update(able)
        found = facts.memo_hits[member] = (hits, near)
    return found


def _support_promise(clause: SupportPromise, facts: TurnFacts, active_since: int) -> list[Breach]:
    due = clause.turn if clause.turn is not None else active_since
    if facts.turn != due:
        return []
    target = facts.units_before.get(clause.target)
    protected = (target.state,) if target is not None and target.state != clause.by else ()
    order = facts.result.final_orders.get(clause.unit_at)
    unit = facts.units_before.get(clause.unit_at)
    if unit is None or unit.state != clause.by:
        return [
            Breach(
                clause.by,
                protected,
                f"{clause.by} has no unit at {clause.unit_at} to give the promised support",
            )
        ]
    kept = (
        isinstance(order, Support)
        and order.target == clause.target
        and (order.dest or None) == (clause.dest or None)
    )
    if kept or (order is None and _given_as_promised(clause, facts, unit)):
        return []
    given = order.text if order is not None else f"{unit.text} with no valid order (it held)"
    wanted = f"S {clause.target} - {clause.dest}" if clause.dest else f"S {clause.target}"
    return [Breach(clause.by, protected, f"promised {unit.text} {wanted}; ordered {given}", given)]


def _given_as_promised(clause: SupportPromise, facts: TurnFacts, unit: Unit) -> bool:
    """The support was ordered as promised and is void only because the supported unit did something
    else (it did not make that move, or it moved away): the promise was kept; the other side changed plans."""
    given = None
    for r in facts.result.results:
        if r.state == clause.by and territory_of(r.unit_location) == clause.unit_at:
            given = r.order  # the last order given to the unit is the one that counts
    try:
        order = parse_order(given, "movement") if given is not None else None
    except OrderSyntaxError:
        return False
    if not (
        isinstance(order, Support)
        and order.target == clause.target
        and (order.dest or None) == (clause.dest or None)
    ):
        return False
    if not facts.board.can_reach(unit.type, unit.location, clause.dest or clause.target):
        return False
    supported = facts.result.final_orders.get(clause.target)
    if clause.dest:
        return not (isinstance(supported, Move) and territory_of(supported.dest) == clause.dest)
    return isinstance(supported, Move) or clause.target not in facts.units_before


def _cession(clause: Cession, parties: tuple[str, ...], facts: TurnFacts) -> list[Breach]:
    if facts.turn != clause.by_turn:
        return []
    after = facts.result.units.get(clause.territory)
    if (after is not None and after.state == clause.to) or facts.owners.get(clause.territory) == clause.to:
        return []
    holder = after.state if after is not None else facts.owners.get(clause.territory)
    if holder is None or holder not in parties or holder == clause.to:
        return []
    return [
        Breach(
            holder,
            (clause.to,),
            f"{clause.territory} was to pass to {clause.to} by turn {clause.by_turn}; {holder} still holds it",
        )
    ]


def _demilitarised(
    clause: DemilitarisedZone, parties: tuple[str, ...], facts: TurnFacts, active_since: int
) -> list[Breach]:
    breaches = []
    for territory in clause.territories:
        unit = facts.result.units.get(territory)
        if unit is None or unit.state not in parties:
            continue
        entered = territory not in facts.units_before or facts.units_before[territory].state != unit.state
        if entered or facts.turn > active_since:
            others = tuple(p for p in parties if p != unit.state)
            how = "moved into" if entered else "kept a unit in"
            breaches.append(Breach(unit.state, others, f"{unit.state} {how} the demilitarised {territory}"))
    return breaches


def _spheres(clause: SpheresOfInfluence, parties: tuple[str, ...], facts: TurnFacts) -> list[Breach]:
    breaches = []
    for sphere in clause.spheres:
        for territory in sphere.territories:
            for state, order, ok in facts.moves_into.get(territory, ()):
                if state != sphere.state and state in parties:
                    result = "" if ok else " (it failed)"
                    breaches.append(
                        Breach(
                            state,
                            (sphere.state,),
                            f"{state} entered {sphere.state}'s sphere: {order.text}{result}",
                            order.text,
                        )
                    )
    return breaches


def _neutrality(conflict: tuple[str, str], neutral: tuple[str, ...], facts: TurnFacts) -> list[Breach]:
    breaches = []
    a, b = conflict
    for state in neutral:
        for attack in facts.attacks_by.get(state, ()):
            if attack.victim in conflict:
                breaches.append(
                    Breach(
                        state,
                        (attack.victim,),
                        f"neutral {state} attacked {attack.victim}: {attack.order}",
                        attack.order,
                    )
                )
        for _, attack, order in facts.aid_to_attack.get(state, ()):
            harmed = (
                attack.victim
                if attack.victim in conflict
                else (b if attack.attacker == a else a if attack.attacker == b else None)
            )
            if harmed is not None and (attack.attacker in conflict or attack.victim in conflict):
                breaches.append(Breach(state, (harmed,), f"neutral {state} took a side: {order}", order))
    return breaches


def _na(clause: ClauseModel, parties: tuple[str, ...], facts: TurnFacts, since: int) -> list[Breach]:
    assert isinstance(clause, NonAggression)
    members = tuple(clause.between) or parties
    key = ("non_aggression", members)
    found = facts.memo.get(key)
    if found is None:
        found = facts.memo[key] = _non_aggression(members, facts)
    return list(found)


def _md(clause: ClauseModel, parties: tuple[str, ...], facts: TurnFacts, since: int) -> list[Breach]:
    assert isinstance(clause, MutualDefence)
    members = tuple(clause.members) or parties
    key = ("mutual_defence", members)
    found = facts.memo.get(key)
    if found is None:
        found = facts.memo[key] = _mutual_defence(members, facts)
    return list(found)


def _neutral(clause: ClauseModel, parties: tuple[str, ...], facts: TurnFacts, since: int) -> list[Breach]:
    assert isinstance(clause, Neutrality)
    neutral = tuple(clause.neutral) or tuple(p for p in parties if p not in clause.conflict)
    key = ("neutrality", tuple(clause.conflict), neutral)
    found = facts.memo.get(key)
    if found is None:
        found = facts.memo[key] = _neutrality(clause.conflict, neutral, facts)
    return list(found)


# Tribute and intelligence sharing are checked where they happen (year end, intelligence);
# free text only by a party's declaration.
_CHECKS: dict[type, Callable[[Any, tuple[str, ...], TurnFacts, int], list[Breach]]] = {
    NonAggression: _na,
    MutualDefence: _md,
    SupportPromise: lambda c, p, f, since: _support_promise(c, f, since),
    Cession: lambda c, p, f, since: _cession(c, p, f),
    DemilitarisedZone: _demilitarised,
    SpheresOfInfluence: lambda c, p, f, since: _spheres(c, p, f),
    Neutrality: _neutral,
}

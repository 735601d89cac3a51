"""Deals as a bot reasons about them: what an agreement forbids and asks of it this turn,
which orders would break it, and which agreements are worth offering.

The rules check agreements after the fact (`game.rules.breaches`); a bot must know before it
orders, so `Bounds` predicts the same checks from the clauses it can read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from game.bots.deal import Deal
from game.bots.situation import Situation
from game.rules.board import territory_of
from game.rules.clauses import (
    Cession,
    ClauseModel,
    DemilitarisedZone,
    IntelligenceSharing,
    MutualDefence,
    Neutrality,
    NonAggression,
    Sphere,
    SpheresOfInfluence,
    SupportPromise,
    Tribute,
)
from game.rules.errors import OrderSyntaxError
from game.rules.orders import Convoy, Hold, Move, Support, parse_order

Why = tuple[str, str]
"""(agreement id, clause kind): why something is forbidden."""

SUPPLY_GAIN = 1.0  # a move into a supply territory we do not hold
OTHER_GAIN = 0.35  # a move into any other territory of a rival
AID_GAIN = 0.3  # a support for such a move


@dataclass(slots=True)
class Bounds:
    """What the agreements a bot keeps forbid and require of it this turn (each entry names the agreement)."""

    no_enter: dict[str, Why] = field(
        default_factory=dict
    )  # territory: no move, nor support of a move, into it
    no_aid: dict[str, Why] = field(default_factory=dict)  # state: no support of its moves
    evacuate: dict[str, Why] = field(default_factory=dict)  # territory where our unit must not stay
    supports: list[tuple[str, SupportPromise]] = field(default_factory=list)  # promised supports due now
    wanted_moves: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # (ref, from, to) a partner will support
    defend: dict[str, str] = field(default_factory=dict)  # partner: mutual defence
    pay: list[tuple[str, str, int]] = field(default_factory=list)  # (ref, payee, amount a year)
    no_spy: dict[str, str] = field(default_factory=dict)  # state we share intelligence with

    def merge(self, other: Bounds) -> None:
        for mine, theirs in (
            (self.no_enter, other.no_enter),
            (self.no_aid, other.no_aid),
            (self.evacuate, other.evacuate),
        ):
            for k, v in theirs.items():
                mine.setdefault(k, v)
        for k, ref in other.defend.items():
            self.defend.setdefault(k, ref)
        for k, ref in other.no_spy.items():
            self.no_spy.setdefault(k, ref)
        self.supports += other.supports
        self.wanted_moves += other.wanted_moves
        self.pay += other.pay


def bounds_of(deal: Deal, sit: Situation) -> Bounds:
    """What one active agreement (or a proposal, as if signed now) forbids and requires of `sit.me` this turn."""
    me, ref = sit.me, deal.id
    start = deal.start_turn if deal.start_turn is not None else sit.turn
    b = Bounds()
    for clause in deal.all_clauses:
        why = (ref, clause_kind(clause))
        if isinstance(clause, NonAggression | MutualDefence):
            members = (
                tuple(clause.between if isinstance(clause, NonAggression) else clause.members) or deal.parties
            )
            if me not in members:
                continue
            for other in members:
                if other != me:
                    for t in sit.territories_of(other):
                        b.no_enter.setdefault(t, why)
                    if isinstance(clause, MutualDefence):
                        b.defend.setdefault(other, ref)
        elif isinstance(clause, SupportPromise):
            due = clause.turn if clause.turn is not None else start
            if due != sit.turn:
                continue
            if clause.by == me:
                b.supports.append((ref, clause))
            elif (
                clause.dest is not None and (u := sit.units.get(clause.target)) is not None and u.state == me
            ):
                b.wanted_moves.append((ref, clause.target, clause.dest))
        elif isinstance(clause, Cession):
            if clause.to != me and sit.holder(clause.territory) == me:
                b.no_enter.setdefault(clause.territory, why)
                b.evacuate.setdefault(clause.territory, why)
        elif isinstance(clause, DemilitarisedZone):
            if me in deal.parties:
                for t in clause.territories:
                    b.no_enter.setdefault(t, why)
                    if (u := sit.units.get(t)) is not None and u.state == me:
                        b.evacuate.setdefault(t, why)
        elif isinstance(clause, SpheresOfInfluence):
            for sphere in clause.spheres:
                if sphere.state != me:
                    for t in sphere.territories:
                        b.no_enter.setdefault(t, why)
        elif isinstance(clause, Neutrality):
            neutral = tuple(clause.neutral) or tuple(p for p in deal.parties if p not in clause.conflict)
            if me in neutral:
                for side in clause.conflict:
                    b.no_aid.setdefault(side, why)
                    for t in sit.territories_of(side):
                        b.no_enter.setdefault(t, why)
        elif isinstance(clause, Tribute):
            if clause.payer == me:
                b.pay.append((ref, clause.payee, clause.amount))
        elif isinstance(clause, IntelligenceSharing):
            for p in deal.parties:
                if p != me:
                    b.no_spy.setdefault(p, ref)
    return b


def parse(text: str) -> Move | Support | Hold | Convoy | None:
    try:
        order = parse_order(text, "movement")
    except OrderSyntaxError:
        return None
    return order if isinstance(order, Move | Support | Hold | Convoy) else None


def violations(orders: Iterable[str], b: Bounds, sit: Situation) -> dict[str, list[Violation]]:
    """Orders that would break an agreement: agreement id -> what each would break and gain."""
    found: dict[str, list[Violation]] = {}
    board = sit.board

    def add(why: Why, text: str, gain: float) -> None:
        found.setdefault(why[0], []).append(Violation(text, gain, why[1]))

    for text in orders:
        order = parse(text)
        if order is None:
            continue
        here = territory_of(order.location)
        if isinstance(order, Move):
            dest = territory_of(order.dest)
            why = b.no_enter.get(dest)
            if why is not None:
                supply = board.territories[dest].supply and sit.owners.get(dest) != sit.me
                add(why, text, SUPPLY_GAIN if supply else OTHER_GAIN)
        elif isinstance(order, Support):
            if order.dest is not None:
                why = b.no_enter.get(territory_of(order.dest))
                target = sit.units.get(order.target)
                if why is None and target is not None:
                    why = b.no_aid.get(target.state)
                if why is not None:
                    add(why, text, AID_GAIN)
        if here in b.evacuate and not isinstance(order, Move):
            add(b.evacuate[here], text, 0.1)
    return found


@dataclass(frozen=True, slots=True)
class Violation:
    order: str
    gain: float
    kind: str  # the clause kind it breaks


def promise_order(sit: Situation, promise: SupportPromise) -> str | None:
    """The order that keeps a promise of support, if we still have the unit."""
    unit = sit.units.get(promise.unit_at)
    if unit is None or unit.state != sit.me:
        return None
    target = sit.units.get(promise.target)
    letter = f"{target.letter} " if target is not None else ""
    tail = f" - {promise.dest}" if promise.dest else ""
    return f"{unit.text} S {letter}{promise.target}{tail}"


def conflicts(sit: Situation, deal: Deal, others: Iterable[Deal]) -> bool:
    """Whether keeping `deal` means breaking one of `others`, or the reverse: a promised support
    into a territory another agreement forbids."""
    mine = bounds_of(deal, sit)
    theirs = Bounds()
    for other in others:
        theirs.merge(bounds_of(other, sit))

    def promised(b: Bounds) -> list[str]:
        return [o for _, pr in b.supports if (o := promise_order(sit, pr)) is not None]

    return bool(violations(promised(mine), theirs, sit) or violations(promised(theirs), mine, sit))


def gain_of(items: list[Violation]) -> float:
    return sum(v.gain for v in items)


def constraint_cost(
    clauses: Iterable[ClauseModel], parties: tuple[str, ...], sit: Situation, plan: list[str]
) -> float:
    """What the clauses would cost us this turn: the gain of the planned orders they forbid."""
    probe = Deal(
        id="agr-0000",
        parties=parties,
        status="active",
        leak_level="none",
        rumour=False,
        clauses=tuple(clauses),
        start_turn=sit.turn,
    )
    b = bounds_of(probe, sit)
    cost = sum(gain_of(v) for v in violations(plan, b, sit).values())
    board = sit.board
    for _, promise in b.supports:
        unit = sit.units.get(promise.unit_at)
        if unit is None or unit.state != sit.me:
            cost += 2.0  # we cannot give it at all
            continue
        dest = promise.dest or promise.target
        if not board.can_reach(unit.type, unit.location, territory_of(dest)):
            cost += 2.0
        else:
            cost += 0.2
    for _ref, _payee, amount in b.pay:
        cost += 0.15 * amount + (2.0 if sit.treasury < amount else 0.0)
    cost += 0.15 * len(b.defend)
    return cost


# --- offers --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Offer:
    """A deal a bot could propose."""

    kind: str  # what it is, for the record and the message: non_aggression, support, ...
    parties: tuple[str, ...]
    clauses: tuple[ClauseModel, ...]
    duration: int
    worth: float  # how much the proposer wants it
    title: str
    secret_leaning: float = 0.0  # added to the proposer's secret share (an attack plan is best kept quiet)


def contested(sit: Situation, other: str) -> list[str]:
    """Empty territories, not supply, that a unit of ours and a unit of `other` could both enter."""
    board = sit.board
    mine = sit.my_units()
    theirs = [u for u in sit.units.values() if u.state == other]
    out = []
    for t in board.ids:
        info = board.territories[t]
        if t in sit.units or info.supply:
            continue
        if sit.owners.get(t) not in (None, sit.me, other):
            continue
        if any(board.can_reach(u.type, u.location, t) for u in mine) and any(
            board.can_reach(u.type, u.location, t) for u in theirs
        ):
            out.append(t)
    return out


def unclaimed_supply(sit: Situation, other: str) -> tuple[list[str], list[str]]:
    """Unheld supply territories near both of us, split by who stands nearer (ours, theirs)."""
    board = sit.board
    ours: list[str] = []
    theirs: list[str] = []
    for t in board.supply:
        if sit.owners.get(t) is not None:
            continue
        near_me = _nearest(sit, sit.me, t)
        near_them = _nearest(sit, other, t)
        if near_me > 2 or near_them > 2:
            continue
        (ours if near_me <= near_them else theirs).append(t)
    return ours, theirs


def _nearest(sit: Situation, state: str, territory: str) -> int:
    board = sit.board
    best = 99
    for u in sit.units.values():
        if u.state != state:
            continue
        if u.territory == territory:
            return 0
        if board.can_reach(u.type, u.location, territory):
            best = min(best, 1)
        elif any(territory in board.neighbours[n] for n in board.neighbours[u.territory]):
            best = min(best, 2)
    return best


def offers(sit: Situation, plan: list[str], attacks: dict[str, float], treasury_free: int) -> list[Offer]:
    """Deals worth proposing this turn, given our planned orders and whom they attack."""
    me, board = sit.me, sit.board
    seated = sit.table.seated
    neighbours = [s for s in sit.neighbours_of(me) if s in seated]
    partners = sit.partners()
    out: list[Offer] = []
    turn = sit.turn
    for n in neighbours:
        if sit.pending_with(n):
            continue
        trust = sit.trust.get(n, 50)
        if n not in attacks:
            if n not in partners:
                out.append(
                    Offer(
                        "non_aggression",
                        (me, n),
                        (NonAggression(),),
                        3,
                        0.8 + (trust - 50) / 100,
                        "Non-aggression pact",
                    )
                )
            zone = contested(sit, n)[:2]
            if zone:
                out.append(
                    Offer(
                        "demilitarised_zone",
                        (me, n),
                        (DemilitarisedZone(territories=zone),),
                        3,
                        0.5,
                        "Demilitarised border",
                    )
                )
            ours, theirs = unclaimed_supply(sit, n)
            if ours and theirs:
                spheres = (Sphere(state=me, territories=ours), Sphere(state=n, territories=theirs))
                out.append(
                    Offer(
                        "spheres_of_influence",
                        (me, n),
                        (SpheresOfInfluence(spheres=list(spheres)),),
                        4,
                        0.6,
                        "Spheres of influence",
                    )
                )
            if n in partners and trust >= 62:
                out.append(
                    Offer(
                        "intelligence_sharing",
                        (me, n),
                        (IntelligenceSharing(),),
                        4,
                        0.4 + (trust - 62) / 50,
                        "Intelligence sharing",
                    )
                )
        mine, theirs_supply = sit.supply.get(me, 0), sit.supply.get(n, 0)
        if theirs_supply >= mine + 2 and n not in attacks and treasury_free >= 4 and trust < 60:
            amount = max(1, treasury_free // 4)
            out.append(
                Offer(
                    "tribute",
                    (me, n),
                    (Tribute(payer=me, payee=n, amount=amount), NonAggression()),
                    4,
                    0.7,
                    "Tribute for peace",
                )
            )
    # Support for an attack we plan, from a third state whose unit can reach the attacked territory.
    for text in plan:
        order = parse(text)
        if not isinstance(order, Move):
            continue
        dest = territory_of(order.dest)
        victim = sit.holder(dest)
        if victim is None or victim == me or dest not in sit.units:
            continue
        src = territory_of(order.location)
        for helper in sorted(sit.units.values(), key=lambda u: board.index[u.territory]):
            y = helper.state
            if y in (me, victim) or y not in seated or sit.pending_with(y) or sit.trust.get(y, 50) < 40:
                continue
            if not board.can_reach(helper.type, helper.location, dest):
                continue
            promise = SupportPromise(
                by=y, unit_at=helper.territory, target=src, dest=dest, turn=turn, against=[victim]
            )
            out.append(
                Offer(
                    "support_promise",
                    (me, y),
                    (promise,),
                    1,
                    0.9 * SUPPLY_GAIN if board.territories[dest].supply else 0.5,
                    f"Support against {sit.table.state_name(victim)}",
                    secret_leaning=0.5,
                )
            )
            break
    # Neutrality of a third state in a war we plan, and mutual defence against a strong rival.
    rivals = [s for s in neighbours if sit.supply.get(s, 0) > sit.supply.get(me, 0)]
    rival = sit.strongest(rivals)
    for y in neighbours:
        if sit.pending_with(y) or y in attacks:
            continue
        trust = sit.trust.get(y, 50)
        for x in sorted(attacks, key=sit.table.states.index):
            if x != y and trust >= 40 and x in sit.neighbours_of(y):
                clause = Neutrality(conflict=(me, x), neutral=[y], against=[x])
                out.append(
                    Offer(
                        "neutrality",
                        (me, y),
                        (clause,),
                        2,
                        0.5 + attacks[x] / 4,
                        f"Neutrality in the war with {sit.table.state_name(x)}",
                        secret_leaning=0.3,
                    )
                )
                break
        if rival is not None and y != rival and trust >= 50 and rival in sit.neighbours_of(y):
            clauses = (MutualDefence(against=[rival]), NonAggression())
            out.append(
                Offer(
                    "mutual_defence",
                    (me, y),
                    clauses,
                    4,
                    0.6 + (trust - 50) / 100,
                    f"Defence against {sit.table.state_name(rival)}",
                    secret_leaning=0.2,
                )
            )
    return out


def clause_kind(clause: ClauseModel) -> str:
    return str(getattr(clause, "kind", ""))


def aim_offers(sit: Situation, attacks: dict[str, float]) -> list[Offer]:
    """Deals its objectives ask for: an agreement holding a clause of a given kind with a given
    partner (obtain_agreement), and peace between two other states it wants kept apart (prevent_war)."""
    me, seated = sit.me, sit.table.seated
    out: list[Offer] = []
    for aim in sit.aims.wanted():
        partner = aim.partner
        if (
            partner is None
            or partner == me
            or partner not in seated
            or sit.pending_with(partner)
            or partner in attacks
        ):
            continue
        clauses = _clauses_of_kind(sit, str(aim.clause), partner)
        if not clauses:
            continue
        lean = -1.0 if aim.public else 1.0 if aim.public is False else -0.2
        title = {
            "mutual_defence": "Treaty of alliance",
            "non_aggression": "Non-aggression pact",
            "neutrality": "Neutrality pact",
            "intelligence_sharing": "Intelligence sharing",
            "spheres_of_influence": "Spheres of influence",
            "demilitarised_zone": "Demilitarised border",
        }.get(str(aim.clause), "Agreement")
        out.append(
            Offer(str(aim.clause), (me, partner), clauses, 6, 1.2 + aim.worth / 4, title, secret_leaning=lean)
        )
    for a, b, points in sit.aims.keep_apart(me):
        if a not in seated or b not in seated or sit.pending_with(a) or sit.pending_with(b):
            continue
        if a not in sit.neighbours_of(b):
            continue  # no war to prevent yet
        names = sit.table.state_name
        out.append(
            Offer(
                "non_aggression",
                (me, a, b),
                (NonAggression(between=[a, b]),),
                4,
                0.9 + points / 6,
                f"Peace between {names(a)} and {names(b)}",
                secret_leaning=-1.0,
            )
        )
    return out


def _clauses_of_kind(sit: Situation, kind: str, partner: str) -> tuple[ClauseModel, ...]:
    """Clauses of `kind` that the bot could offer `partner` now (none if it cannot build one)."""
    me = sit.me
    if kind == "mutual_defence":
        return (MutualDefence(),)
    if kind == "non_aggression":
        return (NonAggression(),)
    if kind == "intelligence_sharing":
        return (IntelligenceSharing(),)
    if kind == "neutrality":
        rivals = [s for s in sit.neighbours_of(me) if s != partner]
        rival = sit.strongest(rivals)
        return (Neutrality(conflict=(me, rival), neutral=[partner], against=[rival]),) if rival else ()
    if kind == "spheres_of_influence":
        ours, theirs = unclaimed_supply(sit, partner)
        if ours and theirs:
            return (
                SpheresOfInfluence(
                    spheres=[Sphere(state=me, territories=ours), Sphere(state=partner, territories=theirs)]
                ),
            )
        return ()
    if kind == "demilitarised_zone":
        zone = contested(sit, partner)[:2]
        return (DemilitarisedZone(territories=zone),) if zone else ()
    return ()

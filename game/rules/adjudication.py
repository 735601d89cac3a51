"""Simultaneous adjudication of a movement phase.

The algorithm is Lucas Kruijswijk's from "The Math of Adjudication" (the DATC's
companion): each order's success is a boolean defined by the strengths of the
orders it depends on; `_resolve` evaluates it recursively, guessing when it meets a
cycle, and when a cycle has no single consistent answer it applies the backup rule:
circular movement succeeds, and in a convoy paradox the convoyed armies of the cycle
fail (the Szykman rule).  The DATC (Kruijswijk) is the reference for every case.

Validation comes first: an order that is illegal on this board becomes a hold and
its result is `void`, with the reason.  Nothing here mutates its inputs.

A move by convoy (an army's move ordered `via convoy`, or to a place that is not a
neighbour, or convoyed by a fleet of its own state) goes by convoy or not at all,
never by land: it is void when no chain of fleets at sea could carry it (DATC 4.E.1,
6.D.32), and fails when no chain of fleets ordered to convoy it does (6.D.8, 6.G.8).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from game.rules.board import Board, territory_of
from game.rules.orders import Convoy, Hold, Move, MovementOrder, Order, Support
from game.rules.units import Unit

# Kinds of order, once validated.
HOLD, MOVE, SUPPORT_HOLD, SUPPORT_MOVE, CONVOY = range(5)
# Resolution states.
_UNRESOLVED, _GUESSING, _RESOLVED = 0, 1, 2

SUCCEEDS, FAILS, VOID = "succeeds", "fails", "void"


@dataclass(frozen=True, slots=True)
class OrderResult:
    """What became of one order given in the phase."""

    state: str
    order: str
    unit_location: str
    result: str
    reason: str


@dataclass(frozen=True, slots=True)
class Dislodgement:
    """A unit dislodged this phase, with what it needs for its retreat."""

    unit: Unit
    attacker_from: str
    by_convoy: bool


@dataclass(slots=True)
class MovementResult:
    """Everything the rest of the rules need from a movement phase."""

    results: list[OrderResult]
    units: dict[str, Unit]
    dislodged: dict[str, Dislodgement]
    standoffs: frozenset[str]
    moves: list[tuple[Unit, str]] = field(default_factory=list)
    bounces: list[tuple[Unit, str]] = field(default_factory=list)
    final_orders: dict[str, MovementOrder] = field(default_factory=dict)

    def result_of(self, location: str) -> str:
        """Result of the (last) order given to the unit at this territory."""
        territory = territory_of(location)
        found = [r for r in self.results if territory_of(r.unit_location) == territory]
        if not found:
            raise KeyError(f"no order was given to a unit at {location}")
        return found[-1].result


class _Phase:
    """The arrays of one adjudication, indexed by unit number."""

    def __init__(self, board: Board, units: Mapping[str, Unit]) -> None:
        self.board = board
        index = board.index
        self.units: list[Unit] = sorted(units.values(), key=lambda u: index[u.territory])
        n = len(self.units)
        self.at: dict[str, int] = {u.territory: i for i, u in enumerate(self.units)}
        self.kind = [HOLD] * n
        self.dest: list[str] = [""] * n  # territory (move, supports, convoy)
        self.dest_loc: list[str] = [""] * n  # location the unit moves to
        self.target = [-1] * n  # supported or convoyed unit
        self.convoy_move = [False] * n
        # Only the few units that are supported or convoyed have a list: one per unit would be
        # thousands of objects for the cyclic collector to walk on a large map.
        self.convoyers: dict[int, list[int]] = {}
        self.supports: dict[int, list[int]] = {}
        self.moves_into: dict[str, list[int]] = {}
        self.h2h = [-1] * n
        self.res = [False] * n
        self.state = [_UNRESOLVED] * n
        self.deps: list[int] = []
        self.paradox_failed = [False] * n
        self.reason: list[str] = [""] * n
        self.void: list[str] = [""] * n  # void reason for the order the unit was given
        self.given: list[int] = [-1] * n  # index into results of the order used
        self.route_seas: dict[tuple[str, str], set[str]] = {}
        self.components: dict[str, set[str]] = {}  # fleet sea -> its connected group of fleet seas
        self.reachable: dict[str, set[str]] = {}  # coast -> fleet seas reachable from it


def adjudicate(
    board: Board,
    units: Mapping[str, Unit],
    orders: Sequence[tuple[str, Order]],
) -> MovementResult:
    """Adjudicate one movement phase: `units` by territory, `orders` as (state, order) in the order given."""
    ph = _Phase(board, units)
    n = len(ph.units)
    results: list[tuple[str, Order, int, str]] = []  # state, order, unit idx, void reason
    chosen: list[MovementOrder | None] = [None] * n
    for state, order in orders:
        idx, why = _check_owner(ph, state, order)
        results.append((state, order, idx, why))
        if idx >= 0 and not why:
            if chosen[idx] is not None:
                # A later order replaces an earlier one for the same unit.
                prev = ph.given[idx]
                s, o, i, _ = results[prev]
                results[prev] = (s, o, i, "replaced by a later order for the same unit")
            chosen[idx] = order  # type: ignore[assignment]
            ph.given[idx] = len(results) - 1
    for i in range(n):
        chosen_order = chosen[i]
        if chosen_order is not None:
            why = _validate(ph, i, chosen_order)
            if why:
                ph.void[i] = why
                ph.kind[i] = HOLD
    _decide_convoy_moves(ph, chosen)
    _match(ph, chosen)
    limit = sys.getrecursionlimit()
    if limit < 4 * n + 1000:
        sys.setrecursionlimit(4 * n + 1000)
    try:
        for i in range(n):
            if ph.kind[i] != HOLD:
                _resolve(ph, i)
    finally:
        sys.setrecursionlimit(limit)
    return _outcome(ph, results, chosen)


# --- validation -------------------------------------------------------------------------------


def void_reason(board: Board, units: Mapping[str, Unit], state: str, order: Order) -> str:
    """Why `adjudicate` would make this one order of `state` void on this board (a hold), or ''.

    The same checks in the same order as a phase's adjudication, so a client can tell a player
    before the deadline what the umpire would say after it."""
    ph = _Phase(board, units)
    idx, why = _check_owner(ph, state, order)
    if why or not isinstance(order, Hold | Move | Support | Convoy):
        return why or "not a movement order"
    return _validate(ph, idx, order)


def _check_owner(ph: _Phase, state: str, order: Order) -> tuple[int, str]:
    if not isinstance(order, Hold | Move | Support | Convoy):
        return -1, "not a movement order"
    territory = territory_of(order.location)
    idx = ph.at.get(territory, -1)
    if idx < 0:
        return -1, f"there is no unit at {territory}"
    unit = ph.units[idx]
    if unit.state != state:
        return -1, f"the unit at {territory} belongs to {unit.state}, not {state}"
    if unit.type != order.unit_type:
        return -1, f"the unit at {territory} is {'an army' if unit.type == 'army' else 'a fleet'}"
    # A wrong coast for the ordered unit itself is ignored: the unit is known by its territory (DATC 4.B.5).
    return idx, ""


def _validate(ph: _Phase, i: int, order: MovementOrder) -> str:
    """Set the unit's kind and targets from its order; return why it is void, or ''."""
    board = ph.board
    unit = ph.units[i]
    if isinstance(order, Hold):
        return ""
    if isinstance(order, Move):
        dest_t = territory_of(order.dest)
        if dest_t not in board.territories:
            return f"unknown territory {dest_t!r}"
        if dest_t == unit.territory:
            return "a unit cannot move to its own territory"
        if unit.type == "army":
            if board.territories[dest_t].kind == "sea":
                return "an army cannot move to sea"
            adjacent = dest_t in board.army_adj[unit.location]
            if order.via_convoy or not adjacent:
                # A move by convoy goes by convoy only (DATC 6.G.8, no fallback to land): when no chain of
                # fleets at sea could carry it, it cannot be carried out whatever others order, so it is
                # illegal (DATC 4.E.1, 6.D.32), whether or not the place is a neighbour.
                if not _convoy_possible(ph, unit.territory, dest_t):
                    if adjacent:
                        return (
                            f"ordered via convoy, but no fleets could convoy it from {unit.territory} to {dest_t}"
                            " (without 'via convoy' it would move by land)"
                        )
                    return f"{dest_t} is not adjacent to {unit.territory} and no fleets could convoy there"
                ph.convoy_move[i] = True
            ph.kind[i], ph.dest[i], ph.dest_loc[i] = MOVE, dest_t, dest_t
            return ""
        if order.via_convoy:
            return "only armies can be convoyed"
        reachable = [n for n in board.fleet_adj.get(unit.location, ()) if territory_of(n) == dest_t]
        if not reachable:
            return f"a fleet at {unit.location} cannot reach {order.dest}"
        if "/" in order.dest:
            if order.dest not in reachable:
                if order.dest not in board.fleet_adj:
                    return f"{dest_t} has no coast {order.dest.split('/', 1)[1]!r}"
                return f"a fleet at {unit.location} cannot reach {order.dest}"
            dest_loc = order.dest
        elif len(reachable) == 1:
            dest_loc = reachable[0]
        else:
            return f"say which coast of {dest_t}: " + " or ".join(reachable)
        ph.kind[i], ph.dest[i], ph.dest_loc[i] = MOVE, dest_t, dest_loc
        return ""
    if isinstance(order, Support):
        target_t = order.target
        if target_t not in board.territories:
            return f"unknown territory {target_t!r}"
        if target_t == unit.territory:
            return "a unit cannot support itself"
        t_idx = ph.at.get(target_t, -1)
        if t_idx < 0:
            return f"there is no unit at {target_t} to support"
        if order.target_type is not None and ph.units[t_idx].type != order.target_type:
            return f"the unit at {target_t} is not {'an army' if order.target_type == 'army' else 'a fleet'}"
        if order.dest is None:
            if not board.can_reach(unit.type, unit.location, target_t):
                return f"{unit.text} cannot reach {target_t}, so cannot support it"
            ph.kind[i], ph.dest[i], ph.target[i] = SUPPORT_HOLD, target_t, t_idx
            return ""
        dest_t = order.dest
        if dest_t not in board.territories:
            return f"unknown territory {dest_t!r}"
        if dest_t == target_t:
            return "a move must go somewhere else"
        if not board.can_reach(unit.type, unit.location, dest_t):
            return f"{unit.text} cannot reach {dest_t}, so cannot support a move there"
        mover = ph.units[t_idx]
        if (
            mover.type == "army"
            and board.is_sea(unit.territory)
            and dest_t not in board.army_adj[mover.location]
            and not _convoy_possible(ph, mover.territory, dest_t, without=unit.territory)
        ):
            return f"the move to {dest_t} could only be convoyed through {unit.territory}, which cannot also support it"
        ph.kind[i], ph.dest[i], ph.target[i] = SUPPORT_MOVE, dest_t, t_idx
        ph.dest_loc[i] = f"{dest_t}/{order.dest_coast}" if order.dest_coast else ""
        return ""
    if isinstance(order, Convoy):
        if unit.type != "fleet" or board.territories[unit.territory].kind != "sea":
            return "only a fleet at sea can convoy"
        a_idx = ph.at.get(order.army_at, -1)
        if a_idx < 0:
            return f"there is no unit at {order.army_at} to convoy"
        if ph.units[a_idx].type != "army":
            return "only armies can be convoyed"
        if order.dest not in board.territories:
            return f"unknown territory {order.dest!r}"
        if not _on_convoy_route(ph, unit.territory, order.army_at, order.dest):
            return f"{unit.territory} is on no convoy route from {order.army_at} to {order.dest}"
        ph.kind[i], ph.dest[i], ph.target[i] = CONVOY, order.dest, a_idx
        return ""
    return "not a movement order"


def _fleet_seas_reachable(ph: _Phase, start: str, without: str = "") -> set[str]:
    """Seas holding a fleet that can be reached from a coast through seas holding fleets."""
    board = ph.board
    if not without:
        cached = ph.reachable.get(start)
        if cached is not None:
            return cached

    def fleet_sea(t: str) -> bool:
        return (
            t != without
            and board.territories[t].kind == "sea"
            and t in ph.at
            and ph.units[ph.at[t]].type == "fleet"
        )

    seen: set[str] = set()
    for first in board.neighbours[start]:
        if first in seen or not fleet_sea(first):
            continue
        component = ph.components.get(first) if not without else None
        if component is None:
            component = set()
            frontier = [first]
            while frontier:
                sea = frontier.pop()
                if sea in component:
                    continue
                component.add(sea)
                frontier.extend(t for t in board.neighbours[sea] if t not in component and fleet_sea(t))
            if not without:
                for sea in component:
                    ph.components[sea] = component
        seen |= component
    if not without:
        ph.reachable[start] = seen
    return seen


def _convoy_possible(ph: _Phase, src: str, dest: str, without: str = "") -> bool:
    """Whether fleets now at sea could carry an army from src to dest (the test for a legal convoy move)."""
    board = ph.board
    if board.territories[src].kind != "coast" or board.territories[dest].kind != "coast":
        return False
    reached = _fleet_seas_reachable(ph, src, without)
    return any(dest in board.neighbours[sea] for sea in reached)


def _on_convoy_route(ph: _Phase, sea: str, src: str, dest: str) -> bool:
    """Whether a fleet is needed on some convoy route from src to dest (DATC 6.G.19: a fleet that
    only lengthens a route is not on one).  Routes are chordless chains of fleets at sea."""
    board = ph.board
    if board.territories[src].kind != "coast" or board.territories[dest].kind != "coast":
        return False
    key = (src, dest)
    needed = ph.route_seas.get(key)
    if needed is None:
        needed = _necessary_seas(ph, src, dest)
        ph.route_seas[key] = needed
    return sea in needed


def _necessary_seas(ph: _Phase, src: str, dest: str, budget: int = 4_000) -> set[str]:
    board = ph.board
    reachable = _fleet_seas_reachable(ph, src) & _fleet_seas_reachable(ph, dest)
    needed: set[str] = set()
    steps = 0
    path: list[str] = []
    near: dict[str, int] = {}  # territory -> how many path members (or src) touch it

    def touch(t: str, delta: int) -> None:
        for n in board.neighbours[t]:
            near[n] = near.get(n, 0) + delta

    def extend(last: str) -> None:
        nonlocal steps
        for s in board.neighbours[last]:
            steps += 1
            if steps > budget:
                return
            if s not in reachable or s in path:
                continue
            # Chordless: s touches only the last member of the route (or src, when it is the first).
            if near.get(s, 0) != 1:
                continue
            if dest in board.neighbours[s]:
                needed.update(path)
                needed.add(s)
                continue
            if any(dest in board.neighbours[p] for p in path):
                continue
            path.append(s)
            touch(s, 1)
            extend(s)
            touch(s, -1)
            path.pop()

    touch(src, 1)
    extend(src)
    if steps > budget:  # a huge sea of fleets: accept any fleet that can reach both ends
        return reachable
    return needed


def _decide_convoy_moves(ph: _Phase, chosen: list[MovementOrder | None]) -> None:
    """An army moving to an adjacent place goes by convoy if it says `via convoy`, or if a fleet of
    its own state convoys it (the 2000 rulebook's intent rule, DATC 4.A.3)."""
    for i, order in enumerate(chosen):
        if ph.kind[i] != CONVOY or not isinstance(order, Convoy):
            continue
        a = ph.target[i]
        if ph.kind[a] == MOVE and not ph.convoy_move[a] and ph.dest[a] == ph.dest[i]:
            if ph.units[a].state == ph.units[i].state:
                ph.convoy_move[a] = True


def _match(ph: _Phase, chosen: list[MovementOrder | None]) -> None:
    """Link supports and convoys to the orders they serve; an unmatched one is void."""
    n = len(ph.units)
    for i in range(n):
        k = ph.kind[i]
        if k == MOVE:
            ph.moves_into.setdefault(ph.dest[i], []).append(i)
        elif k == SUPPORT_HOLD:
            t = ph.target[i]
            if ph.kind[t] == MOVE:
                ph.kind[i] = HOLD
                ph.void[i] = f"the unit at {ph.units[t].territory} was ordered to move, not to hold"
            else:
                ph.supports.setdefault(t, []).append(i)
        elif k == SUPPORT_MOVE:
            t = ph.target[i]
            if ph.kind[t] != MOVE or ph.dest[t] != ph.dest[i]:
                ph.kind[i] = HOLD
                ph.void[i] = f"the unit at {ph.units[t].territory} was not ordered to move to {ph.dest[i]}"
            elif ph.dest_loc[i] and ph.dest_loc[i] != ph.dest_loc[t]:
                ph.kind[i] = HOLD
                ph.void[i] = (
                    f"the unit at {ph.units[t].territory} moves to {ph.dest_loc[t]}, not {ph.dest_loc[i]}"
                )
            else:
                ph.supports.setdefault(t, []).append(i)
        elif k == CONVOY:
            a = ph.target[i]
            if ph.kind[a] != MOVE or ph.dest[a] != ph.dest[i] or not ph.convoy_move[a]:
                ph.kind[i] = HOLD
                ph.void[i] = (
                    f"the army at {ph.units[a].territory} was not ordered to move to {ph.dest[i]} by convoy"
                )
            else:
                ph.convoyers.setdefault(a, []).append(i)
    for i in range(n):
        if ph.kind[i] == MOVE and ph.convoy_move[i] and i not in ph.convoyers:
            # Ordered by convoy but no fleet convoys it: the move fails (no route), it is not a hold's void;
            # a neighbour's land route is not taken instead (DATC 6.G.8).
            ph.reason[i] = "no fleet convoys it"
            if ph.dest[i] in ph.board.army_adj[ph.units[i].location]:
                ph.reason[i] += "; a move via convoy does not fall back to the land route"
    for i in range(n):
        if ph.kind[i] == MOVE and not ph.convoy_move[i]:
            j = ph.at.get(ph.dest[i], -1)
            if (
                j >= 0
                and ph.kind[j] == MOVE
                and not ph.convoy_move[j]
                and ph.dest[j] == ph.units[i].territory
            ):
                ph.h2h[i] = j


# --- resolution --------------------------------------------------------------------------------


def _resolve(ph: _Phase, i: int) -> bool:
    st = ph.state[i]
    if st == _RESOLVED:
        return ph.res[i]
    deps = ph.deps
    if st == _GUESSING:
        if i not in deps:
            deps.append(i)
        return ph.res[i]
    old = len(deps)
    ph.res[i] = False
    ph.state[i] = _GUESSING
    first = _adjudicate(ph, i)
    if len(deps) == old:
        if ph.state[i] != _RESOLVED:
            ph.res[i] = first
            ph.state[i] = _RESOLVED
        return first
    if deps[old] != i:
        deps.append(i)
        ph.res[i] = first
        return first
    for j in deps[old:]:
        ph.state[j] = _UNRESOLVED
    del deps[old:]
    ph.res[i] = True
    ph.state[i] = _GUESSING
    second = _adjudicate(ph, i)
    if first == second:
        for j in deps[old:]:
            ph.state[j] = _UNRESOLVED
        del deps[old:]
        ph.res[i] = first
        ph.state[i] = _RESOLVED
        return first
    _backup_rule(ph, old)
    return _resolve(ph, i)


def _backup_rule(ph: _Phase, old: int) -> None:
    """No single consistent answer.  A cycle of moves only is circular movement: all succeed.
    Otherwise it is a convoy paradox: the convoyed armies of the cycle fail (Szykman rule)."""
    cycle = ph.deps[old:]
    del ph.deps[old:]
    if all(ph.kind[j] == MOVE for j in cycle):
        for j in cycle:
            ph.res[j] = True
            ph.state[j] = _RESOLVED
        return
    armies = {j for j in cycle if ph.kind[j] == MOVE and ph.convoy_move[j]}
    armies.update(ph.target[j] for j in cycle if ph.kind[j] == CONVOY)
    for j in cycle:
        ph.state[j] = _UNRESOLVED
    if not armies:  # not expected in these rules; fail the moves rather than loop
        armies = {j for j in cycle if ph.kind[j] == MOVE}
    for j in armies:
        ph.paradox_failed[j] = True
        ph.res[j] = False
        ph.state[j] = _RESOLVED
        ph.reason[j] = "convoy paradox: the convoyed army's move fails (Szykman rule)"


def _adjudicate(ph: _Phase, i: int) -> bool:
    k = ph.kind[i]
    if k == MOVE:
        return _move_succeeds(ph, i)
    if k in (SUPPORT_HOLD, SUPPORT_MOVE):
        return _support_given(ph, i)
    if k == CONVOY:
        return not _dislodged(ph, i)
    return not _dislodged(ph, i)


def _path(ph: _Phase, i: int) -> bool:
    """Whether a move has its route: always by land; by convoy, a chain of undislodged convoying fleets."""
    if not ph.convoy_move[i]:
        return True
    if ph.paradox_failed[i]:
        return False
    fleets = ph.convoyers.get(i, ())
    if not fleets:
        return False
    board = ph.board
    src = ph.units[i].territory
    dest = ph.dest[i]
    by_territory = {ph.units[f].territory: f for f in fleets}
    seen: set[str] = set()
    frontier = [t for t in board.neighbours[src] if t in by_territory]
    while frontier:
        sea = frontier.pop()
        if sea in seen:
            continue
        seen.add(sea)
        if not _resolve(ph, by_territory[sea]):
            continue
        neighbours = board.neighbours[sea]
        if dest in neighbours:
            return True
        frontier.extend(t for t in neighbours if t in by_territory and t not in seen)
    return False


def _support_count(ph: _Phase, i: int, exclude_state: str | None = None) -> int:
    count = 0
    for s in ph.supports.get(i, ()):
        if exclude_state is not None and ph.units[s].state == exclude_state:
            continue
        if _resolve(ph, s):
            count += 1
    return count


def _attack_strength(ph: _Phase, i: int) -> int:
    if not _path(ph, i):
        return 0
    j = ph.at.get(ph.dest[i], -1)
    if j < 0 or (ph.kind[j] == MOVE and ph.h2h[i] != j and _resolve(ph, j)):
        return 1 + _support_count(ph, i)
    defender = ph.units[j].state
    if defender == ph.units[i].state:
        return 0
    return 1 + _support_count(ph, i, exclude_state=defender)


def _hold_strength(ph: _Phase, territory: str) -> int:
    j = ph.at.get(territory, -1)
    if j < 0:
        return 0
    if ph.kind[j] == MOVE:
        return 0 if _resolve(ph, j) else 1
    return 1 + _support_count(ph, j)


def _prevent_strength(ph: _Phase, i: int) -> int:
    if not _path(ph, i):
        return 0
    opp = ph.h2h[i]
    if opp >= 0 and _resolve(ph, opp):
        return 0
    return 1 + _support_count(ph, i)


def _move_succeeds(ph: _Phase, i: int) -> bool:
    attack = _attack_strength(ph, i)
    if attack == 0:
        return False
    opp = ph.h2h[i]
    if opp >= 0:
        if attack <= 1 + _support_count(ph, opp):
            return False
    elif attack <= _hold_strength(ph, ph.dest[i]):
        return False
    for j in ph.moves_into[ph.dest[i]]:
        if j != i and attack <= _prevent_strength(ph, j):
            return False
    return True


def _support_given(ph: _Phase, i: int) -> bool:
    """A support is cut by an attack from another state (unless from where the support is aimed,
    which must dislodge it), and lost if the supporter is dislodged."""
    territory = ph.units[i].territory
    attackers = ph.moves_into.get(territory, ())
    if not attackers:
        return True
    state = ph.units[i].state
    aimed_from = ph.dest[i] if ph.kind[i] == SUPPORT_MOVE else None
    for j in attackers:
        if ph.units[j].state == state:
            continue
        if ph.units[j].territory == aimed_from:
            continue
        if _path(ph, j):
            return False
    return not _dislodged(ph, i)


def _dislodged(ph: _Phase, i: int) -> bool:
    """Whether the unit, staying where it is, is dislodged by a successful move into its territory."""
    return any(_resolve(ph, j) for j in ph.moves_into.get(ph.units[i].territory, ()))


# --- outcome -----------------------------------------------------------------------------------


def _outcome(
    ph: _Phase,
    given: list[tuple[str, Order, int, str]],
    chosen: list[MovementOrder | None],
) -> MovementResult:
    n = len(ph.units)
    moved = [ph.kind[i] == MOVE and ph.res[i] for i in range(n)]
    dislodged: dict[str, Dislodgement] = {}
    for i in range(n):
        if moved[i]:
            continue
        for j in ph.moves_into.get(ph.units[i].territory, ()):
            if moved[j]:
                dislodged[ph.units[i].territory] = Dislodgement(
                    ph.units[i], ph.units[j].territory, ph.convoy_move[j]
                )
                break
    new_units: dict[str, Unit] = {}
    moves: list[tuple[Unit, str]] = []
    bounces: list[tuple[Unit, str]] = []
    for i, unit in enumerate(ph.units):
        if moved[i]:
            new_units[ph.dest[i]] = unit.moved_to(ph.dest_loc[i])
            moves.append((unit, ph.dest_loc[i]))
        elif unit.territory not in dislodged:
            new_units.setdefault(unit.territory, unit)
        if ph.kind[i] == MOVE and not moved[i]:
            bounces.append((unit, ph.dest[i]))

    def contests(j: int, t: str) -> bool:
        if moved[j] or not _path_known(ph, j):
            return False
        beaten = dislodged.get(ph.units[j].territory)
        return beaten is None or beaten.attacker_from != t

    standoffs = frozenset(
        t for t, movers in ph.moves_into.items() if t not in new_units and any(contests(j, t) for j in movers)
    )
    results: list[OrderResult] = []
    for state, order, idx, why in given:
        text = order.text
        if idx < 0:
            results.append(OrderResult(state, text, order.location, VOID, why))
            continue
        unit = ph.units[idx]
        if why:
            results.append(OrderResult(state, text, unit.location, VOID, why))
            continue
        if ph.void[idx]:
            results.append(OrderResult(state, text, unit.location, VOID, ph.void[idx]))
            continue
        results.append(_result_of(ph, idx, state, text, moved, dislodged))
    final = {ph.units[i].territory: o for i, o in enumerate(chosen) if o is not None and not ph.void[i]}
    return MovementResult(results, new_units, dislodged, standoffs, moves, bounces, final)


def _path_known(ph: _Phase, j: int) -> bool:
    return (not ph.convoy_move[j]) or (not ph.paradox_failed[j] and j in ph.convoyers and _path(ph, j))


def _result_of(
    ph: _Phase,
    i: int,
    state: str,
    text: str,
    moved: list[bool],
    dislodged: dict[str, Dislodgement],
) -> OrderResult:
    unit = ph.units[i]
    k = ph.kind[i]
    gone = dislodged.get(unit.territory)
    if k == MOVE:
        if moved[i]:
            return OrderResult(state, text, unit.location, SUCCEEDS, f"moved to {ph.dest_loc[i]}")
        if ph.reason[i]:
            why = ph.reason[i]
        elif ph.convoy_move[i] and not _path(ph, i):
            why = "the convoy was disrupted"
        else:
            why = f"bounced at {ph.dest[i]}"
        if gone is not None:
            why += f"; dislodged from {unit.territory}"
        return OrderResult(state, text, unit.location, FAILS, why)
    if gone is not None:
        return OrderResult(
            state, text, unit.location, FAILS, f"dislodged by the unit from {gone.attacker_from}"
        )
    if k in (SUPPORT_HOLD, SUPPORT_MOVE) and not ph.res[i]:
        return OrderResult(state, text, unit.location, FAILS, "support cut")
    if k == CONVOY and not ph.res[i]:
        return OrderResult(state, text, unit.location, FAILS, "convoy disrupted")
    if k == CONVOY and ph.paradox_failed[ph.target[i]]:
        return OrderResult(
            state, text, unit.location, FAILS, "convoy paradox: the convoy has no effect (Szykman rule)"
        )
    return OrderResult(state, text, unit.location, SUCCEEDS, "")

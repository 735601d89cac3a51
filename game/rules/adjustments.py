"""Adjustments at the end of a year, as in Diplomacy.

A state may keep as many units as the supply territories it holds.  With fewer units
it may build in its own home supply territories that it still holds and that are
empty; with more it must remove units, and removals it did not order are chosen for it:
the units farthest from its home territories go first (fleets before armies at equal
distance, then by territory order).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from game.rules.adjudication import SUCCEEDS, VOID, OrderResult
from game.rules.board import Board, territory_of
from game.rules.orders import Build, Order, Remove, Waive
from game.rules.units import Unit


@dataclass(slots=True)
class AdjustmentResult:
    results: list[OrderResult]
    units: dict[str, Unit]
    built: list[Unit]
    removed: list[Unit]


def supply_counts(board: Board, owners: Mapping[str, str | None]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for t in board.supply:
        holder = owners.get(t)
        if holder is not None:
            counts[holder] = counts.get(holder, 0) + 1
    return counts


def adjustment_balance(
    board: Board, units: Mapping[str, Unit], owners: Mapping[str, str | None], states: Sequence[str]
) -> dict[str, int]:
    """Builds allowed (positive) or removals due (negative) per state; states at zero are left out."""
    supply = supply_counts(board, owners)
    unit_count: dict[str, int] = {}
    for u in units.values():
        unit_count[u.state] = unit_count.get(u.state, 0) + 1
    balance: dict[str, int] = {}
    for s in states:
        diff = supply.get(s, 0) - unit_count.get(s, 0)
        if diff > 0:
            diff = min(diff, len(build_sites(board, units, owners, s)))
        if diff:
            balance[s] = diff
    return balance


def build_sites(
    board: Board, units: Mapping[str, Unit], owners: Mapping[str, str | None], state: str
) -> list[str]:
    """Home supply territories the state holds and that are empty."""
    return [
        t
        for t in board.homes.get(state, ())
        if board.territories[t].supply and owners.get(t) == state and t not in units
    ]


def resolve_adjustments(
    board: Board,
    units: Mapping[str, Unit],
    owners: Mapping[str, str | None],
    states: Sequence[str],
    orders: Sequence[tuple[str, Order]],
) -> AdjustmentResult:
    balance = adjustment_balance(board, units, owners, states)
    new_units = dict(units)
    results: list[OrderResult] = []
    built: list[Unit] = []
    removed: list[Unit] = []
    used: dict[str, int] = {}
    for state, order in orders:
        text = order.text
        due = balance.get(state, 0)
        if isinstance(order, Waive):
            if due > 0 and used.get(state, 0) < due:
                used[state] = used.get(state, 0) + 1
                results.append(OrderResult(state, text, "", SUCCEEDS, "build waived"))
            else:
                results.append(OrderResult(state, text, "", VOID, "no build to waive"))
            continue
        if not isinstance(order, Build | Remove):
            results.append(OrderResult(state, text, order.location, VOID, "not an adjustment order"))
            continue
        territory = territory_of(order.location)
        if territory not in board.territories:
            results.append(OrderResult(state, text, order.location, VOID, f"unknown territory {territory!r}"))
            continue
        if isinstance(order, Build):
            why = _build_problem(board, new_units, owners, state, order, due - used.get(state, 0))
            if why:
                results.append(OrderResult(state, text, order.location, VOID, why))
                continue
            unit = Unit(state, order.unit_type, order.location)
            new_units[territory] = unit
            built.append(unit)
            used[state] = used.get(state, 0) + 1
            results.append(OrderResult(state, text, order.location, SUCCEEDS, "built"))
            continue
        unit_there = new_units.get(territory)
        if due >= 0 or used.get(state, 0) >= -due:
            results.append(OrderResult(state, text, order.location, VOID, "no removal is due"))
        elif unit_there is None or unit_there.state != state or unit_there.type != order.unit_type:
            results.append(
                OrderResult(
                    state, text, order.location, VOID, f"no {order.unit_type} of {state} at {territory}"
                )
            )
        else:
            del new_units[territory]
            removed.append(unit_there)
            used[state] = used.get(state, 0) + 1
            results.append(OrderResult(state, text, unit_there.location, SUCCEEDS, "removed"))
    for state in states:
        due = balance.get(state, 0)
        missing = -due - used.get(state, 0)
        if due < 0 and missing > 0:
            for unit in civil_disorder_removals(board, new_units, state, missing):
                del new_units[unit.territory]
                removed.append(unit)
                results.append(
                    OrderResult(
                        state, f"remove {unit.text}", unit.location, SUCCEEDS, "removed in civil disorder"
                    )
                )
    return AdjustmentResult(results, new_units, built, removed)


def _build_problem(
    board: Board,
    units: Mapping[str, Unit],
    owners: Mapping[str, str | None],
    state: str,
    order: Build,
    left: int,
) -> str:
    territory = territory_of(order.location)
    info = board.territories[territory]
    if left <= 0:
        return "no build is available"
    if info.home != state or not info.supply:
        return f"{territory} is not a home supply territory of {state}"
    if owners.get(territory) != state:
        return f"{state} does not hold {territory}"
    if territory in units:
        return f"{territory} is occupied"
    if order.unit_type == "fleet" and info.coasts and "/" not in order.location:
        return f"say which coast of {territory}: " + " or ".join(f"{territory}/{c}" for c in info.coasts)
    if not board.unit_can_stand(order.unit_type, order.location):
        return f"{'an army' if order.unit_type == 'army' else 'a fleet'} cannot stand at {order.location}"
    return ""


def civil_disorder_removals(board: Board, units: Mapping[str, Unit], state: str, count: int) -> list[Unit]:
    """The units removed when a state does not order its removals: farthest from home first."""
    distance = _distances_from(board, board.homes.get(state, ()))
    own = [u for u in units.values() if u.state == state]
    far = len(board.ids) + 1
    own.sort(
        key=lambda u: (
            -distance.get(u.territory, far),
            0 if u.type == "fleet" else 1,
            board.index[u.territory],
        )
    )
    return own[:count]


def _distances_from(board: Board, sources: Sequence[str]) -> dict[str, int]:
    distance = {t: 0 for t in sources}
    queue = deque(sources)
    while queue:
        t = queue.popleft()
        for n in board.neighbours[t]:
            if n not in distance:
                distance[n] = distance[t] + 1
                queue.append(n)
    return distance

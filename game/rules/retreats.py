"""Retreats after a movement phase.

A dislodged unit may retreat to an adjacent place that is empty, was not left empty by
a standoff, and is not where its attacker came from (unless the attacker came by
convoy).  Two units retreating to one place are both disbanded; a unit without a valid
retreat order is disbanded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from game.rules.adjudication import FAILS, SUCCEEDS, VOID, Dislodgement, OrderResult
from game.rules.board import Board, territory_of
from game.rules.orders import Disband, Order, Retreat
from game.rules.units import Unit


@dataclass(slots=True)
class RetreatResult:
    results: list[OrderResult]
    units: dict[str, Unit]
    retreats: list[tuple[Unit, str]]
    disbanded: list[Unit]

    def result_of(self, location: str) -> str:
        territory = territory_of(location)
        found = [r for r in self.results if territory_of(r.unit_location) == territory]
        if not found:
            raise KeyError(f"no order was given to a unit at {location}")
        return found[-1].result


def retreat_options(
    board: Board,
    units: Mapping[str, Unit],
    dislodgement: Dislodgement,
    standoffs: frozenset[str],
) -> tuple[str, ...]:
    """Locations the dislodged unit may retreat to."""
    unit = dislodgement.unit
    candidates = board.army_adj[unit.location] if unit.type == "army" else board.fleet_adj[unit.location]
    options = []
    for loc in candidates:
        t = territory_of(loc)
        if t in units or t in standoffs:
            continue
        if t == dislodgement.attacker_from and not dislodgement.by_convoy:
            continue
        options.append(loc)
    return tuple(options)


def resolve_retreats(
    board: Board,
    units: Mapping[str, Unit],
    dislodged: Mapping[str, Dislodgement],
    standoffs: frozenset[str],
    orders: Sequence[tuple[str, Order]],
) -> RetreatResult:
    """Apply retreat orders: `units` are those left on the board, `dislodged` by territory."""
    results: list[OrderResult] = []
    wanted: dict[str, tuple[str, int]] = {}  # dislodged territory -> destination location, result index
    for state, order in orders:
        territory = territory_of(order.location)
        dis = dislodged.get(territory)
        text = order.text
        if not isinstance(order, Retreat | Disband):
            results.append(OrderResult(state, text, order.location, VOID, "not a retreat order"))
            continue
        if dis is None:
            results.append(
                OrderResult(state, text, order.location, VOID, f"no dislodged unit at {territory}")
            )
            continue
        if dis.unit.state != state:
            results.append(
                OrderResult(
                    state, text, order.location, VOID, f"the unit at {territory} belongs to {dis.unit.state}"
                )
            )
            continue
        if dis.unit.type != order.unit_type:
            results.append(
                OrderResult(
                    state, text, order.location, VOID, f"the unit at {territory} is a {dis.unit.type}"
                )
            )
            continue
        if isinstance(order, Disband):
            wanted[territory] = ("", len(results))
            results.append(OrderResult(state, text, dis.unit.location, SUCCEEDS, "disbanded"))
            continue
        options = retreat_options(board, units, dis, standoffs)
        dest_t = territory_of(order.dest)
        matching = [
            o for o in options if o == order.dest or ("/" not in order.dest and territory_of(o) == dest_t)
        ]
        if len(matching) != 1:
            why = (
                f"say which coast of {dest_t}"
                if len(matching) > 1
                else f"cannot retreat to {order.dest}; possible: {', '.join(options) or 'none'}"
            )
            results.append(OrderResult(state, text, dis.unit.location, VOID, why))
            continue
        wanted[territory] = (matching[0], len(results))
        results.append(OrderResult(state, text, dis.unit.location, SUCCEEDS, f"retreated to {matching[0]}"))
    targets: dict[str, int] = {}
    for dest, _ in wanted.values():
        if dest:
            targets[territory_of(dest)] = targets.get(territory_of(dest), 0) + 1
    new_units = dict(units)
    retreats: list[tuple[Unit, str]] = []
    disbanded: list[Unit] = []
    for territory in sorted(dislodged, key=board.index.__getitem__):
        dis = dislodged[territory]
        dest, ri = wanted.get(territory, ("", -1))
        if dest and targets[territory_of(dest)] > 1:
            r = results[ri]
            results[ri] = OrderResult(
                r.state,
                r.order,
                r.unit_location,
                FAILS,
                f"bounced with another retreat to {territory_of(dest)}; disbanded",
            )
            dest = ""
        if dest:
            new_units[territory_of(dest)] = dis.unit.moved_to(dest)
            retreats.append((dis.unit, dest))
        else:
            disbanded.append(dis.unit)
    return RetreatResult(results, new_units, retreats, disbanded)

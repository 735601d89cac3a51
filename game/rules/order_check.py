"""An order checked against the map before it is sent, as the umpire will check it.

A player typing `A par - mos` should learn at once, not after the deadline, that Moscow is
not next to Paris.  The reasons here are the rules' own: a movement order goes through the
adjudicator's validation (`adjudication.void_reason`), a retreat through `resolve_retreats`,
an adjustment through `resolve_adjustments`, so what the check says is word for word what the
resolution would say.  Only a place that is on no map gets a plainer reason than "there is no
unit at ...": the adjudicator voids it too.

So an army's move `via convoy` that no fleets at sea could carry is refused here as the umpire
will void it, even to a neighbour (a move by convoy never falls back to land); one that fleets
could carry passes, since whether they will convoy it is in orders not yet known, and without a
fleet convoying it the move fails at resolution.

Everything the check needs is public and in every view: the units, the holders, the
dislodged units and where each may retreat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from game.rules.adjudication import VOID, Dislodgement, void_reason
from game.rules.adjustments import resolve_adjustments
from game.rules.board import Board, territory_of
from game.rules.errors import OrderSyntaxError
from game.rules.orders import Order, Waive, parse_order
from game.rules.retreats import resolve_retreats
from game.rules.units import Unit

Retreats = Mapping[str, tuple[Unit, Sequence[str]]]
"""Dislodged units by territory, each with the locations it may retreat to (the view's `retreats`)."""


def check_order(
    board: Board,
    units: Mapping[str, Unit],
    state: str,
    phase: str,
    text: str,
    *,
    retreats: Retreats | None = None,
    owners: Mapping[str, str | None] | None = None,
    others: Sequence[str] = (),
) -> str:
    """Why the umpire would not carry out this order of `state` in `phase`, or '' if it would.

    `units` by territory; `retreats` (retreat phase) and `owners` (adjustment phase) as the view
    shows them; `others` are the state's other orders of the phase, given before this one (a
    build counts against the builds allowed)."""
    try:
        order = parse_order(text, phase)
    except OrderSyntaxError as exc:
        return str(exc)
    return check_parsed(board, units, state, phase, order, retreats=retreats, owners=owners, others=others)


def check_parsed(
    board: Board,
    units: Mapping[str, Unit],
    state: str,
    phase: str,
    order: Order,
    *,
    retreats: Retreats | None = None,
    owners: Mapping[str, str | None] | None = None,
    others: Sequence[str] = (),
) -> str:
    """`check_order` for an order already parsed."""
    if not isinstance(order, Waive):
        territory = territory_of(order.location)
        if territory not in board.territories:
            return f"unknown territory {territory!r}"
    if phase == "movement":
        return void_reason(board, units, state, order)
    if phase == "retreat":
        return _retreat_reason(board, units, state, order, retreats or {})
    if phase == "adjustment":
        return _adjustment_reason(board, units, state, order, owners or {}, others)
    return f"no orders are given in a {phase} phase"


def _retreat_reason(
    board: Board, units: Mapping[str, Unit], state: str, order: Order, retreats: Retreats
) -> str:
    """The retreat rules' own verdict on one order.

    The view gives each dislodged unit's options, not the attack and standoffs they come from; the
    same options follow from an attacker that came from nowhere and a standoff in every other
    place the unit could reach, so `resolve_retreats` is run on exactly what the view shows."""
    dislodged: dict[str, Dislodgement] = {}
    standoffs: set[str] = set()
    territory = territory_of(order.location)
    if territory in retreats:  # only the ordered unit's options matter to its order
        unit, options = retreats[territory]
        dislodged[territory] = Dislodgement(unit, attacker_from="", by_convoy=False)
        reach = (
            board.army_adj.get(unit.location, ())
            if unit.type == "army"
            else board.fleet_adj.get(unit.location, ())
        )
        open_places = {territory_of(o) for o in options}
        standoffs = {territory_of(r) for r in reach if territory_of(r) not in open_places}
    result = resolve_retreats(board, units, dislodged, frozenset(standoffs), [(state, order)])
    verdict = result.results[0]
    return verdict.reason if verdict.result == VOID else ""


def _adjustment_reason(
    board: Board,
    units: Mapping[str, Unit],
    state: str,
    order: Order,
    owners: Mapping[str, str | None],
    others: Sequence[str],
) -> str:
    """The adjustment rules' own verdict on one order, after the state's other orders of the phase."""
    given: list[tuple[str, Order]] = []
    for text in others:
        try:
            given.append((state, parse_order(text, "adjustment")))
        except OrderSyntaxError:
            continue  # not an order the umpire would read either
    given.append((state, order))
    result = resolve_adjustments(board, units, owners, [state], given)
    verdict = result.results[len(given) - 1]
    return verdict.reason if verdict.result == VOID else ""


def units_from_view(units: Sequence[Mapping[str, str]]) -> dict[str, Unit]:
    """The view's `map.units` as the rules' units, by territory."""
    out: dict[str, Unit] = {}
    for u in units:
        unit = Unit(str(u["state"]), str(u["type"]), str(u["location"]))
        out[unit.territory] = unit
    return out


def retreats_from_view(retreats: Sequence[Mapping[str, object]]) -> dict[str, tuple[Unit, tuple[str, ...]]]:
    """The view's `map.retreats` as `Retreats`."""
    out: dict[str, tuple[Unit, tuple[str, ...]]] = {}
    for r in retreats:
        unit_data = r["unit"]
        options = r.get("options", ())
        if not isinstance(unit_data, Mapping) or not isinstance(options, list | tuple):
            continue
        unit = Unit(str(unit_data["state"]), str(unit_data["type"]), str(unit_data["location"]))
        out[unit.territory] = (unit, tuple(str(o) for o in options))
    return out

"""Turning a player's view and orders into the `MapPicture` the renderer draws.

The renderer knows nothing of the rules' views; this is the one place that reads a view's
map and an order list and says which units, holders and arrows to show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from game.render import Arrow, MapPicture, UnitMark
from game.rules.errors import OrderSyntaxError
from game.rules.orders import Convoy, Hold, Move, Retreat, Support, parse_order


def units_of_view(view: Mapping[str, Any]) -> tuple[UnitMark, ...]:
    """Every unit on the view's map, and the dislodged ones offset (they must retreat)."""
    board = view.get("map", {})
    marks = [UnitMark(state=u["state"], kind=u["type"], at=u["location"]) for u in board.get("units", [])]
    for r in board.get("retreats", []):
        u = r["unit"]
        marks.append(UnitMark(state=u["state"], kind=u["type"], at=u["location"], dislodged=True))
    return tuple(marks)


def arrows_of_orders(
    orders: Iterable[str], state: str, phase: str | None, warned: Iterable[str] = ()
) -> tuple[Arrow, ...]:
    """Arrows for orders in the notation: moves and retreats solid, supports dashed, convoys dotted,
    holds a ring; an order in `warned` (it would break an agreement) carries a warning mark."""
    arrows: list[Arrow] = []
    warned = set(warned)
    for text in orders:
        try:
            order = parse_order(text, phase or "movement")
        except OrderSyntaxError:
            continue  # a half-typed order draws nothing
        w = text in warned
        if isinstance(order, Move | Retreat):
            arrows.append(Arrow("move", order.location, order.dest, state, warned=w))
        elif isinstance(order, Support):
            if order.dest is None:
                arrows.append(Arrow("support", order.location, order.target, state, warned=w))
            else:
                arrows.append(Arrow("support", order.location, order.dest, state, aim=order.target, warned=w))
        elif isinstance(order, Convoy):
            arrows.append(Arrow("convoy", order.location, order.dest, state, aim=order.army_at, warned=w))
        elif isinstance(order, Hold):
            arrows.append(Arrow("hold", order.location, order.location, state, warned=w))
    return tuple(arrows)


def picture_of_view(
    view: Mapping[str, Any] | None,
    orders: Iterable[str] = (),
    highlighted: Iterable[str] = (),
    warned: Iterable[str] = (),
) -> MapPicture:
    """The map as the view shows it, with my orders drawn as arrows (those in `warned` marked)."""
    if not view:
        return MapPicture()
    me = view.get("me", {}).get("state") or view.get("viewer", "")
    return MapPicture(
        owners=dict(view.get("map", {}).get("owners", {})),
        units=units_of_view(view),
        arrows=arrows_of_orders(orders, me, view.get("phase"), warned),
        highlighted=frozenset(highlighted),
    )

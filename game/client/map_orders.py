"""Orders given by clicking on the map: a small state machine from clicks to order text.

It knows the board (who may go where) and the view (whose unit stands where), not pygame:
the map view turns mouse positions into territories and hands them here, so the same
clicks can be tested without a window.  Every order it makes is plain notation, exactly
what a player could type in the order box.

Movement: click one of my units, then a destination (a move), the unit again (a hold); in
support mode a second unit and where it goes (its own place: a hold support); in convoy mode
an army and its destination.  Retreat: a dislodged unit of mine, then one of its options.
Adjustment: an empty home of mine builds (army or fleet), a unit of mine is removed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from game.rules.board import Board, territory_of
from game.rules.orders import UNIT_LETTER

Mode = Literal["move", "support", "convoy", "hold"]
BuildKind = Literal["army", "fleet"]
Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class ViewUnit:
    state: str
    type: str
    location: str

    @property
    def text(self) -> str:
        return f"{UNIT_LETTER[self.type]} {self.location}"


@dataclass(slots=True)
class Outcome:
    """What a click did: an order to add, a hint to show, or both."""

    order: str | None = None
    hint: str = ""


class MapOrders:
    """The clicks drafted so far and the order they make."""

    def __init__(self, board: Board) -> None:
        self.board = board
        self.mode: Mode = "move"
        self.build_kind: BuildKind = "army"
        self.selected: str | None = None
        """Territory of the unit being ordered."""
        self.aim: str | None = None
        """Territory of the unit being supported or convoyed."""

    # --- reading the view ------------------------------------------------------------------

    @staticmethod
    def units(view: Mapping[str, Any]) -> dict[str, ViewUnit]:
        return {
            territory_of(u["location"]): ViewUnit(u["state"], u["type"], u["location"])
            for u in view.get("map", {}).get("units", [])
        }

    @staticmethod
    def retreats(view: Mapping[str, Any]) -> dict[str, tuple[ViewUnit, list[str]]]:
        out = {}
        for r in view.get("map", {}).get("retreats", []):
            u = r["unit"]
            out[territory_of(u["location"])] = (
                ViewUnit(u["state"], u["type"], u["location"]),
                list(r["options"]),
            )
        return out

    def targets(self, view: Mapping[str, Any]) -> frozenset[str]:
        """Territories worth highlighting: where the selected unit could go."""
        if self.selected is None:
            return frozenset()
        if view.get("phase") == "retreat":
            found = self.retreats(view).get(self.selected)
            return frozenset(territory_of(o) for o in found[1]) if found else frozenset()
        unit = self.units(view).get(self.selected)
        if unit is None:
            return frozenset()
        adj = self.board.army_adj if unit.type == "army" else self.board.fleet_adj
        return frozenset(territory_of(n) for n in adj.get(unit.location, ()))

    # --- clicking ----------------------------------------------------------------------------

    def cancel(self) -> None:
        self.selected = None
        self.aim = None

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self.aim = None

    def click(
        self,
        territory: str | None,
        view: Mapping[str, Any],
        me: str,
        near: Callable[[list[str]], str] | None = None,
    ) -> Outcome:
        """A click on `territory` (None: off the map).  `near` picks, among coast locations,
        the one closest to the click (a fleet entering a territory with named coasts)."""
        if territory is None:
            self.cancel()
            return Outcome()
        phase = view.get("phase")
        if phase == "retreat":
            return self._retreat_click(territory, view, me, near)
        if phase == "adjustment":
            return self._adjustment_click(territory, view, me, near)
        if phase != "movement":
            return Outcome(hint="Nothing to order now.")
        return self._movement_click(territory, view, me, near)

    def hold(self, view: Mapping[str, Any], me: str) -> Outcome:
        """The H key or button: the selected unit holds (in a retreat phase: disbands)."""
        if self.selected is None:
            return Outcome(hint="Select one of your units first.")
        if view.get("phase") == "retreat":
            found = self.retreats(view).get(self.selected)
            self.cancel()
            return Outcome(order=f"{found[0].text} D") if found else Outcome()
        unit = self.units(view).get(self.selected)
        self.cancel()
        if unit is None or unit.state != me:
            return Outcome()
        return Outcome(order=f"{unit.text} H")

    def _movement_click(
        self, territory: str, view: Mapping[str, Any], me: str, near: Callable[[list[str]], str] | None
    ) -> Outcome:
        units = self.units(view)
        clicked = units.get(territory)
        if self.selected is None:
            if clicked is None or clicked.state != me:
                return Outcome(hint="Click one of your units to give it an order.")
            if self.mode == "hold":
                return Outcome(order=f"{clicked.text} H")
            self.selected = territory
            return Outcome(hint=self._prompt(clicked))
        unit = units.get(self.selected)
        if unit is None or unit.state != me:
            self.cancel()
            return Outcome()
        if self.mode in ("support", "convoy") and self.aim is None:
            if territory == self.selected:
                self.cancel()
                return Outcome(order=f"{unit.text} H")
            if clicked is None:
                return Outcome(
                    hint="Click the unit to support."
                    if self.mode == "support"
                    else "Click the army to convoy."
                )
            if self.mode == "convoy" and (unit.type != "fleet" or clicked.type != "army"):
                self.cancel()
                return Outcome(hint="A convoy is a fleet carrying an army.")
            self.aim = territory
            return Outcome(hint=f"Where does {clicked.text} go? (click its own place to support it holding)")
        if self.aim is not None:
            aimed = units.get(self.aim)
            order = None
            if aimed is not None and self.mode == "support":
                if territory == self.aim:
                    order = f"{unit.text} S {aimed.text}"
                else:
                    order = f"{unit.text} S {aimed.text} - {territory}"
            elif aimed is not None and self.mode == "convoy" and territory != self.aim:
                order = f"{unit.text} C {aimed.text} - {territory}"
            self.cancel()
            return Outcome(order=order)
        # Move mode, a unit selected.
        if territory == self.selected:
            self.cancel()
            return Outcome(order=f"{unit.text} H")
        if clicked is not None and clicked.state == me and territory not in self.targets(view):
            self.selected = territory  # another of my units, out of reach: select it instead
            return Outcome(hint=self._prompt(clicked))
        dest = self._destination(unit, territory, near)
        self.cancel()
        return Outcome(order=f"{unit.text} - {dest}")

    def _destination(self, unit: ViewUnit, territory: str, near: Callable[[list[str]], str] | None) -> str:
        """Where to send a unit clicked into `territory`: a fleet names the coast it can reach."""
        if unit.type != "fleet" or not self.board.territories[territory].coasts:
            return territory
        reachable = [n for n in self.board.fleet_adj.get(unit.location, ()) if territory_of(n) == territory]
        if len(reachable) == 1:
            return reachable[0]
        options = reachable or list(self.board.fleet_locations(territory))
        return near(options) if near is not None else options[0]

    def _prompt(self, unit: ViewUnit) -> str:
        if self.mode == "support":
            return f"{unit.text}: click the unit it supports."
        if self.mode == "convoy":
            return f"{unit.text}: click the army it carries."
        return f"{unit.text}: click where it goes (itself: hold)."

    def _retreat_click(
        self, territory: str, view: Mapping[str, Any], me: str, near: Callable[[list[str]], str] | None
    ) -> Outcome:
        retreats = self.retreats(view)
        if self.selected is None:
            found = retreats.get(territory)
            if found is None or found[0].state != me:
                return Outcome(hint="Click one of your dislodged units.")
            self.selected = territory
            return Outcome(hint=f"{found[0].text}: click where it retreats (itself: disband).")
        unit, options = retreats[self.selected]
        self.cancel()
        if territory == territory_of(unit.location):
            return Outcome(order=f"{unit.text} D")
        matching = [o for o in options if territory_of(o) == territory]
        if not matching:
            return Outcome(hint=f"{unit.text} cannot retreat there.")
        dest = near(matching) if near is not None and len(matching) > 1 else matching[0]
        return Outcome(order=f"{unit.text} R {dest}")

    def _adjustment_click(
        self, territory: str, view: Mapping[str, Any], me: str, near: Callable[[list[str]], str] | None
    ) -> Outcome:
        unit = self.units(view).get(territory)
        if unit is not None:
            if unit.state != me:
                return Outcome(hint="You can only remove your own units.")
            return Outcome(order=f"remove {unit.text}")
        info = self.board.territories.get(territory)
        if info is None or info.home != me or not info.supply:
            return Outcome(hint="Builds go in your own home supply territories.")
        if view.get("map", {}).get("owners", {}).get(territory) != me:
            return Outcome(hint="You must hold a home territory to build there.")
        if self.build_kind == "fleet":
            places = list(self.board.fleet_locations(territory))
            if not places:
                return Outcome(hint="A fleet needs a coast.")
            where = near(places) if near is not None and len(places) > 1 else places[0]
            return Outcome(order=f"build F {where}")
        return Outcome(order=f"build A {territory}")


def nearest(options: list[str], anchors: Callable[[str], Point], click: Point) -> str:
    """The location among `options` whose unit spot is closest to the clicked canvas point."""
    return min(options, key=lambda loc: math.dist(anchors(loc), click))

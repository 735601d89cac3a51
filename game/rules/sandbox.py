"""A board to set up by hand and adjudicate phase by phase, outside any game.

It serves the DATC tests, `backchannel adjudicate`, and designers or teachers who want
to check a situation.  It uses the same parser and adjudicator as a game.
"""

from __future__ import annotations

from collections.abc import Sequence

from game.rules.adjudication import Dislodgement, MovementResult, adjudicate
from game.rules.board import Board, territory_of
from game.rules.errors import CommandError
from game.rules.orders import LETTER_UNIT, parse_order
from game.rules.retreats import RetreatResult, resolve_retreats
from game.rules.units import Unit


class Sandbox:
    """Units placed by hand; movement and retreat phases adjudicated on demand."""

    def __init__(self, board: Board) -> None:
        self.board = board
        self.units: dict[str, Unit] = {}
        self.dislodged: dict[str, Dislodgement] = {}
        self.standoffs: frozenset[str] = frozenset()

    def place(self, state: str, unit: str) -> Unit:
        """Place a unit given as `A par` or `F spa/nc`."""
        parts = unit.split()
        if len(parts) != 2 or parts[0].lower() not in LETTER_UNIT:
            raise CommandError(f"{unit!r}: a unit is a type letter and a place, e.g. 'A par' or 'F spa/nc'")
        return self.put(state, LETTER_UNIT[parts[0].lower()], parts[1].lower())

    def put(self, state: str, unit_type: str, location: str) -> Unit:
        territory = territory_of(location)
        if territory not in self.board.territories:
            raise CommandError(f"unknown territory {territory!r}")
        if not self.board.unit_can_stand(unit_type, location):
            info = self.board.territories[territory]
            hint = (
                f" (say which coast: {', '.join(self.board.fleet_locations(territory))})"
                if info.coasts
                else ""
            )
            raise CommandError(
                f"{'an army' if unit_type == 'army' else 'a fleet'} cannot stand at {location}{hint}"
            )
        if territory in self.units:
            raise CommandError(f"{territory} already holds {self.units[territory].text}")
        placed = Unit(state, unit_type, location)
        self.units[territory] = placed
        return placed

    def movement(self, orders: Sequence[tuple[str, str]]) -> MovementResult:
        """Adjudicate a movement phase from (state, order text) pairs."""
        parsed = [(state, parse_order(text, "movement")) for state, text in orders]
        result = adjudicate(self.board, self.units, parsed)
        self.units = dict(result.units)
        self.dislodged = dict(result.dislodged)
        self.standoffs = result.standoffs
        return result

    def retreats(self, orders: Sequence[tuple[str, str]]) -> RetreatResult:
        """Adjudicate the retreats of the units dislodged by the last movement phase."""
        parsed = [(state, parse_order(text, "retreat")) for state, text in orders]
        result = resolve_retreats(self.board, self.units, self.dislodged, self.standoffs, parsed)
        self.units = dict(result.units)
        self.dislodged = {}
        self.standoffs = frozenset()
        return result

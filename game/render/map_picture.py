"""What to draw on the map, independent of how the game stores its state.

The renderer draws a `MapPicture`; the scenario's starting position, a game state, a
replay frame or an order being drafted in the client are each turned into one.  Keeping
this small value separate means the renderer never needs to know the rules' state model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Literal

from game.rules.scenario import Scenario

UnitKind = Literal["army", "fleet"]
ArrowKind = Literal["move", "support", "convoy", "hold"]


def split_location(location: str) -> tuple[str, str | None]:
    """`spa/nc` -> ("spa", "nc"); `par` -> ("par", None)."""
    territory, _, coast = location.partition("/")
    return territory, (coast or None)


@dataclass(frozen=True)
class UnitMark:
    """One unit to draw: whose, which kind, where (`par`, or `spa/nc` for a fleet on a named coast)."""

    state: str
    kind: UnitKind
    at: str
    dislodged: bool = False
    """Drawn offset and faded: a unit that must retreat."""


@dataclass(frozen=True)
class Arrow:
    """An order drawn as an arrow.

    move: from `source` to `target`.  support: the unit at `source` supports the unit at
    `aim` into `target` (or holding in `target` when `aim` is None).  convoy: the fleet at
    `source` carries the army at `aim` to `target`.  hold: the unit at `source` (= `target`)
    holds, drawn as a ring round it.  `warned`: the order would break an agreement (the rules'
    forecast), drawn with a warning mark.
    """

    kind: ArrowKind
    source: str
    target: str
    state: str
    aim: str | None = None
    warned: bool = False


@dataclass(frozen=True)
class MapPicture:
    """Everything one frame of the map shows."""

    owners: Mapping[str, str | None] = field(default_factory=dict)
    """Territory id -> id of the state holding it, or None (unheld). Missing ids count as unheld."""
    units: tuple[UnitMark, ...] = ()
    arrows: tuple[Arrow, ...] = ()
    highlighted: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Freeze what callers pass, so the renderer's caches can trust the picture not to change.
        object.__setattr__(self, "owners", MappingProxyType(dict(self.owners)))
        object.__setattr__(self, "units", tuple(self.units))
        object.__setattr__(self, "arrows", tuple(self.arrows))
        object.__setattr__(self, "highlighted", frozenset(self.highlighted))

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> MapPicture:
        """The scenario's starting position: each territory's holder and each state's units."""
        owners = {territory.id: territory.holder for territory in scenario.map.territories}
        units = tuple(
            UnitMark(state=state.id, kind=unit.type, at=unit.at)
            for state in scenario.states
            for unit in state.units
        )
        return cls(owners=owners, units=units)

    def with_arrows(self, arrows: tuple[Arrow, ...] | list[Arrow]) -> MapPicture:
        return replace(self, arrows=tuple(arrows))

    def with_highlight(self, territories: frozenset[str] | set[str]) -> MapPicture:
        return replace(self, highlighted=frozenset(territories))

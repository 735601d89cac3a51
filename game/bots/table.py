"""The public table a bot plays at: the scenario's board, calendar and states.

Its own module so that what reads a view (`game.bots.situation`) and what reads objectives from
it (`game.bots.aims`) can both name places and states without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from game.rules.board import Board, territory_of
from game.rules.scenario import Scenario


@dataclass(frozen=True, slots=True)
class Table:
    """The public, unchanging facts of a scenario.  Nothing here is any state's secret: no
    objectives, briefings or starting agreements (a bot learns of those only through its view),
    so nothing a bot says can be built from them."""

    board: Board
    seasons: tuple[str, ...]
    states: tuple[str, ...]
    names: Mapping[str, str]
    regimes: Mapping[str, str]
    thresholds: Mapping[str, int]
    seated: frozenset[str]  # states someone plays (a person or a bot); the rest only hold
    regime_factor: Mapping[str, float]
    investigate_cost: int
    intercept_cost: int
    propaganda_cost: int

    @classmethod
    def from_scenario(cls, scenario: Scenario, board: Board | None = None) -> Table:
        rules = scenario.rules
        return cls(
            board=board if board is not None else Board.from_scenario(scenario),
            seasons=tuple(scenario.calendar.seasons),
            states=tuple(s.id for s in scenario.states),
            names={s.id: s.name for s in scenario.states},
            regimes={s.id: s.regime for s in scenario.states},
            thresholds={s.id: s.legitimacy_threshold for s in scenario.states},
            seated=frozenset(s.id for s in scenario.states if s.controller != "none"),
            regime_factor=dict(rules.consequences.regime_factor),
            investigate_cost=rules.intelligence.investigate_cost,
            intercept_cost=rules.intelligence.intercept_cost,
            propaganda_cost=rules.intelligence.propaganda_cost,
        )

    def state_name(self, state: str) -> str:
        """A state by its name, as a message names it."""
        return self.names.get(state, state)

    def place_name(self, location: str) -> str:
        """A territory (or a location on one of its coasts) by its name."""
        info = self.board.territories.get(territory_of(location))
        return info.name if info is not None else location

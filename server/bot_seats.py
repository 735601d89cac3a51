"""Bots in server seats: the diplomat bot of game/bots, acting through the same commands a person sends.

A bot reads only its own state's view (`view_for`), as a client would, and the session applies
what it decides through `Game.apply`, logging each command like any player's.  Its chance comes
from the game's seed split by (turn, purpose), so a bot's play is a function of the game.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from game.bots.diplomat import Diplomat
from game.bots.personality import PERSONALITIES, default_mix
from game.bots.situation import Table
from game.rules.board import Board
from game.rules.commands import DiplomacyCommand
from game.rules.scenario import Scenario

ANSWER_ROUNDS = 2
"""Rounds of answers before a phase resolves, so that a counter-proposal can be signed in time."""


class Bot(Protocol):
    def open_turn(self, view: Mapping[str, Any]) -> list[DiplomacyCommand]: ...
    def answer(self, view: Mapping[str, Any], round_: int = 1) -> list[DiplomacyCommand]: ...
    def close_turn(self, view: Mapping[str, Any]) -> list[DiplomacyCommand]: ...
    def orders(self, view: Mapping[str, Any]) -> list[str]: ...


def personalities(seats: Sequence[str], seed: int) -> dict[str, str]:
    """The personality of each seat's bot, should a bot take it: the same mix `simulate` uses."""
    return default_mix(list(seats), seed)


def make_bots(scenario: Scenario, board: Board, seed: int, assignment: Mapping[str, str]) -> dict[str, Bot]:
    """A bot for each state in `assignment` (state -> personality name)."""
    table = Table.from_scenario(scenario, board)
    return {s: Diplomat(s, PERSONALITIES[p], table, seed) for s, p in assignment.items()}

"""Bots in server seats: the diplomat bot of game/bots, acting through the same commands a person sends.

A bot reads only its own state's view (`view_for`), as a client would.  The session plays its
bots through the one driver of bot turns (`game.bots.driver.BotDriver`, the same `simulate`
uses), which records each command as a log entry like any player's and logs a refused command
or a faulty bot (logger "backchannel.bots") without stopping the game.  A bot's chance comes
from the game's seed split by (turn, purpose), so a bot's play is a function of the game.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

from game.bots.diplomat import Diplomat
from game.bots.driver import ApplyHook, Bot, BotDriver
from game.bots.personality import PERSONALITIES, default_mix
from game.bots.table import Table
from game.rules.board import Board
from game.rules.game import Game
from game.rules.scenario import Scenario
from game.rules.views import view_for

__all__ = ["Bot", "bot_driver", "make_bots", "personalities"]


def personalities(seats: Sequence[str], seed: int) -> dict[str, str]:
    """The personality of each seat's bot, should a bot take it: the same mix `simulate` uses."""
    return default_mix(list(seats), seed)


def make_bots(scenario: Scenario, board: Board, seed: int, assignment: Mapping[str, str]) -> dict[str, Bot]:
    """A bot for each state in `assignment` (state -> personality name)."""
    table = Table.from_scenario(scenario, board)
    return {s: Diplomat(s, PERSONALITIES[p], table, seed) for s, p in assignment.items()}


def bot_driver(game: Game, bots: Mapping[str, Bot], apply: ApplyHook, blind: bool = False) -> BotDriver:
    """The one driver of bot turns over a game's bots: each reads its state's view as a client
    would (with the game's labels: `blind`), and `apply` records each command (raising
    `CommandError` when the rules refuse it)."""
    return BotDriver(game, bots, view=partial(view_for, blind=blind), apply=apply)

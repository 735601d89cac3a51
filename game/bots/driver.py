"""The one driver of bot turns: the order in which bots decide, and what happens when one fails.

`backchannel simulate` and the server both play their bots through a `BotDriver`.  The driver
has no I/O of its own: its user gives it two hooks, how to read a state's view (`view_for`)
and how to apply a command (`Game.apply` in `simulate`; in the server, a log entry that the
session records, which raises `CommandError` when the rules refuse it).

The order of a phase, each step in scenario order of the states bots play:

1. `open_phase` — in a movement phase, every bot opens its turn (`open_turn`: speak about last
   turn, renounce, leak, spy, propose, ask); then the bots talk among themselves (`converse`);
2. `close_phase` — the bots talk again (`converse`), so that every proposal, ask and message
   between them is answered and a counter-proposal can be signed the same turn; in the year's
   last season every bot settles its dues (`close_turn`); then, in every phase, each bot whose
   state has something to order orders (`orders`).

`converse` is at most `REACT_ROUNDS` rounds; in each, every bot for which something has happened
since it last reacted reacts (`react`: answer proposals and messages, speak about what others
just did, propose again).  `simulate` calls `open_phase` and `close_phase` one after the other;
the server opens when a phase starts and closes just before it resolves, so that people can
negotiate in between, and wakes one bot with `react` (after a short delay of its own clock)
when a person's command gives it something to answer.  `answer` answers only the proposals
awaiting one state, at any moment.

The failure policy, the same for every user: a command the rules refuse (a `RulesError`) is
dropped and logged as a warning naming the state, the command's kind and the reason, and the
bot's next command is tried; an exception raised inside a bot's decision is logged with its
traceback and that bot does nothing more for that step.  Either way the game goes on, and
`failures` counts them so that a caller can report them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from game.rules.commands import AnyCommand, DiplomacyCommand, SubmitOrders
from game.rules.errors import RulesError
from game.rules.game import Game

log = logging.getLogger("backchannel.bots")

ANSWER_ROUNDS = 2
"""Rounds of answers to proposals `answer` was once called for (kept for callers; `converse` now answers)."""

REACT_ROUNDS = 3
"""At most this many rounds of bots reacting to one another in one `converse`: enough for an ask and its
answer, a proposal, a counter and its signature; bounded so that bots cannot talk forever."""


class Bot(Protocol):
    """What the driver asks of a bot: decisions from its own state's view, as commands a person could send."""

    def open_turn(self, view: Mapping[str, Any]) -> list[DiplomacyCommand]: ...
    def answer(self, view: Mapping[str, Any], round_: int = 1) -> list[DiplomacyCommand]: ...
    def react(self, view: Mapping[str, Any]) -> list[DiplomacyCommand]: ...
    def close_turn(self, view: Mapping[str, Any]) -> list[DiplomacyCommand]: ...
    def orders(self, view: Mapping[str, Any]) -> list[str]: ...


ViewHook = Callable[[Game, str], Mapping[str, Any]]
"""How to read a state's view of the game: `view_for`."""
ApplyHook = Callable[[AnyCommand], object]
"""How to apply a bot's command; raises a `RulesError` (nothing changed) when the rules refuse it."""


class BotDriver:
    """Plays the bots of one game through its user's hooks, in one order, with one failure policy.

    `bots` is read at each step (a bot replaced in it plays from the next step on); the driver
    keeps nothing between steps but `failures`."""

    def __init__(self, game: Game, bots: Mapping[str, Bot], view: ViewHook, apply: ApplyHook) -> None:
        self.game = game
        self.bots = bots
        self.view = view
        self.apply = apply
        self.failures = 0
        """Bot decisions that raised and bot commands the rules refused, since the driver was made."""

    def states(self) -> list[str]:
        """The states bots play, in scenario order."""
        return [s for s in self.game.state_ids if s in self.bots]

    # --- a phase -----------------------------------------------------------------------------------

    def play_phase(self) -> None:
        """Everything the bots do in the current phase, before it resolves: open, then close."""
        self.open_phase()
        self.close_phase()

    def open_phase(self) -> None:
        """At the start of a movement phase: every bot opens its turn, then the bots talk."""
        if self.game.phase != "movement":
            return
        for state in self.states():
            self._commands(state, "open_turn")
        self.converse()

    def close_phase(self) -> None:
        """Just before the phase resolves: the bots talk, settle dues in the year's last season, then order."""
        game = self.game
        if game.phase == "movement":
            self.converse()
            if game.season_index == len(game.seasons) - 1:
                for state in self.states():
                    self._commands(state, "close_turn")
        self.order()

    def converse(self, rounds: int = REACT_ROUNDS) -> None:
        """Bots react to one another: in each round, every bot for which a command has been accepted
        since it last reacted (its own aside) reacts; it stops when a round changes nothing."""
        game = self.game
        seen: dict[str, int] = {}
        for _ in range(rounds):
            before = len(game.commands)
            for state in self.states():
                if game.over or seen.get(state) == len(game.commands):
                    continue
                self.react(state)
                seen[state] = len(game.commands)
            if len(game.commands) == before:
                return

    # --- single steps ------------------------------------------------------------------------------

    def awaited(self, state: str) -> bool:
        """Whether a proposal waits for `state`'s answer."""
        return any(
            a.status == "proposed" and state not in a.signed for a in self.game.diplomacy.agreements_of(state)
        )

    def answer(self, state: str, round_: int = 1) -> bool:
        """`state`'s bot answers the proposals awaiting it, if any (at any moment of a phase);
        whether it was asked."""
        if state not in self.bots or self.game.over or not self.awaited(state):
            return False
        self._commands(state, "answer", round_)
        return True

    def react(self, state: str) -> bool:
        """`state`'s bot answers, at any moment, whatever waits for it: proposals, asks, messages, what
        others just did to its agreements (the server calls it when a person's command gives the bot
        something to answer); whether it was asked.  Calling it when nothing waits does nothing."""
        if state not in self.bots or self.game.over:
            return False
        try:
            reacts = hasattr(self.bots[state], "react")
        except Exception:  # a faulty bot: asking it to react lets the failure policy log it
            reacts = True
        if reacts:
            self._commands(state, "react")
        elif self.awaited(state):  # a bot written before bots could talk: it answers proposals only
            self._commands(state, "answer", 1)
        return True

    def order(self) -> None:
        """Each bot whose state has something to order in this phase gives its orders."""
        for state in self.game.states_to_order():
            if state in self.bots:
                self.orders_for(state)

    def orders_for(self, state: str) -> None:
        """`state`'s bot gives its orders for the current phase (none given: nothing sent)."""
        orders = self._decide(state, "orders")
        game = self.game
        if not orders or game.phase is None:
            return
        self._send(state, SubmitOrders(state=state, turn=game.turn, phase=game.phase, orders=orders))

    # --- the failure policy ------------------------------------------------------------------------

    def _commands(self, state: str, decide: str, *args: Any) -> None:
        """Send, in order, the commands that `state`'s bot decides in step `decide`."""
        for command in self._decide(state, decide, *args) or ():
            self._send(state, command)

    def _decide(self, state: str, decide: str, *args: Any) -> list[Any] | None:
        """The bot's decision from its state's view; None (logged, counted) if deciding raised."""
        try:
            return list(getattr(self.bots[state], decide)(self.view(self.game, state), *args) or ())
        except Exception:  # a faulty bot must not stop the game: its state does nothing more this step
            self.failures += 1
            log.exception("bot %s failed in %s; it does nothing more this step", state, decide)
            return None

    def _send(self, state: str, command: AnyCommand) -> bool:
        """Apply one of the bot's commands; a refused one is dropped (logged, counted), as a client's would be."""
        kind = getattr(command, "kind", type(command).__name__)
        given = getattr(command, "state", None)
        if given != state:
            return self._refused(state, kind, f"a bot acts only for its own state, not {given!r}")
        try:
            self.apply(command)
        except RulesError as exc:
            return self._refused(state, kind, str(exc))
        return True

    def _refused(self, state: str, kind: str, reason: str) -> bool:
        self.failures += 1
        log.warning("bot %s: %s refused: %s", state, kind, reason)
        return False

"""The diplomatic half of a game: the one door through which its commands and resolution steps pass.

`Diplomacy` is the diplomatic data (game/rules/diplomacy_data.py) with the commands and steps
attached; each lives in the module of its concern:

- agreement_lifecycle: propose, counter, sign, reject, renounce, ratify, expiry;
- press: messages and public statements, asks and answers;
- intelligence: investigations, intercepts, propaganda (their prices: action_costs);
- leak_resolution: deliberate leaks, the turn's leak rolls, exposés;
- consequences: backlash, denials and justifications, war results, falling governments;
- betrayal: breaches found or declared, and what they cost;
- tribute: payments and tribute due;
- diplomatic_objectives: whether a diplomatic objective is met.

`Game` calls the resolution steps in the order of DESIGN.md: after the units are adjudicated come
betrayal (breaches), intelligence, leaks, consequences and expiry.  Every fact they produce
carries an audience (`game.rules.knowledge`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, get_args

from game.rules import (
    agreement_lifecycle,
    betrayal,
    consequences,
    diplomatic_objectives,
    intelligence,
    leak_resolution,
    press,
    tribute,
)
from game.rules.action_costs import ordered_cost
from game.rules.agreements import Agreement
from game.rules.board import Board
from game.rules.breaches import TurnFacts
from game.rules.commands import DiplomacyCommand
from game.rules.diplomacy_data import CommandContext, DiplomacyData, Event
from game.rules.errors import InvalidCommand
from game.rules.scenario import Scenario

Handler = Callable[[DiplomacyData, Any, CommandContext], list[Event]]

# Command kind -> what applies it.  Each handler raises CommandError, having changed nothing,
# when the command cannot be applied.
HANDLERS: dict[str, Handler] = {
    "propose": agreement_lifecycle.propose,
    "counter": agreement_lifecycle.counter,
    "sign": agreement_lifecycle.sign,
    "reject": agreement_lifecycle.reject,
    "renounce": agreement_lifecycle.renounce,
    "ratify": agreement_lifecycle.ratify,
    "leak": leak_resolution.plan_leak,
    "deny": consequences.deny,
    "justify": consequences.justify,
    "declare_breach": betrayal.declare_breach,
    "press": press.press,
    "investigate": intelligence.order_action,
    "intercept": intelligence.order_action,
    "propaganda": intelligence.order_action,
    "pay": tribute.pay,
}


def _kinds_of(commands: object) -> set[str]:
    """Every command kind of a union of command models."""
    return {kind for model in get_args(commands) for kind in get_args(model.model_fields["kind"].annotation)}


# A command kind added without a handler (or a handler left for a kind that is gone) fails here, at
# import, rather than in a game.
_UNMATCHED = set(HANDLERS) ^ _kinds_of(DiplomacyCommand)
if _UNMATCHED:
    raise RuntimeError(
        f"diplomatic command kinds without a handler, or handlers without a kind: {sorted(_UNMATCHED)}"
    )


class Diplomacy(DiplomacyData):
    """Agreements, messages, intelligence and standing of every state in one game."""

    def __init__(self, scenario: Scenario, board: Board, seed: int) -> None:
        super().__init__(scenario, board, seed)
        for start in scenario.agreements:
            agreement = agreement_lifecycle.new_agreement(
                self,
                proposer=start.parties[0],
                parties=tuple(start.parties),
                clauses=tuple(start.clauses),
                annex=tuple(start.annex),
                visibility=start.visibility,
                duration=start.duration,
                intermediary=start.intermediary,
                turn=1,
                title=start.title,
            )
            agreement.name = start.id
            agreement.known_by |= set(start.known_by)
            agreement.signed = list(agreement.parties)
            agreement_lifecycle.activate(self, agreement, 1)

    def treasury_cost(self, state: str) -> int:
        """What the actions a state has ordered this turn will cost."""
        return ordered_cost(self.actions, state, self.constants.intelligence)

    # --- commands ---------------------------------------------------------------------------------

    def apply(
        self, command: DiplomacyCommand, turn: int, phase: str | None, treasury: dict[str, int]
    ) -> list[Event]:
        """Apply a diplomatic command; raise CommandError (nothing changed) if it cannot be applied."""
        self.known_state(command.state)
        handler = HANDLERS.get(command.kind)
        if handler is None:
            raise InvalidCommand(f"unknown command {command.kind!r}")
        return handler(self, command, CommandContext(turn, phase, treasury))

    # --- resolution steps, in order ---------------------------------------------------------------

    def check_breaches(self, turn_facts: TurnFacts) -> list[Event]:
        """Step 2: every active agreement against the turn's orders and results; attacks move trust."""
        return betrayal.check_breaches(self, turn_facts)

    def intelligence(self, turn: int, treasury: dict[str, int]) -> list[Event]:
        """Step 3: investigations, intercepts and propaganda ordered this turn, paid now."""
        return intelligence.intelligence(self, turn, treasury)

    def leaks(self, turn: int) -> list[Event]:
        """Steps 4 and 5: deliberate leaks, the seeded leak rolls, and the consequences of exposés."""
        return leak_resolution.leaks(self, turn)

    def expire(self, turn: int) -> list[Event]:
        """Step 6: agreements whose time is up end as kept."""
        return agreement_lifecycle.expire(self, turn)

    def year_end(
        self, turn: int, supply_before: Mapping[str, int], supply_after: Mapping[str, int]
    ) -> list[Event]:
        """Legitimacy from the year's war results, tribute due, and the governments that then fall."""
        consequences.war_results(self, supply_before, supply_after)
        events = tribute.tribute_due(self, turn)
        return events + consequences.falls(self, self.states, turn)

    # --- the umpire's injects (game/rules/injects.py) -------------------------------------------------

    def reveal(self, agreements: list[Agreement], how: str, turn: int) -> list[Event]:
        """Expose agreements at once, outside the turn's leak roll, with the consequences of any leak."""
        return leak_resolution.reveal(self, agreements, how, turn)

    def shaken(self, states: Collection[str], turn: int) -> list[Event]:
        """The governments among `states` (whose legitimacy was just lowered) that are now below their
        threshold fall."""
        return consequences.falls(self, states, turn)

    # --- scoring -------------------------------------------------------------------------------------

    def objective_met(
        self, kind: str, state: str, spec: Any, by_name: Callable[[str], Agreement | None]
    ) -> bool:
        """Whether a diplomatic objective is met now (scoring calls it at the end)."""
        return diplomatic_objectives.objective_met(self, kind, state, spec, by_name)


__all__ = ["HANDLERS", "Diplomacy"]

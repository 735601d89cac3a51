"""What each intelligence action costs, written once.

Ordering an action checks the treasury against everything the state has already ordered this
turn, and the resolution charges each as it is carried out: both read this one table, so a
scenario's prices cannot disagree with themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from game.rules.scenario import IntelligenceConstants


def action_cost(kind: str, prices: IntelligenceConstants) -> int:
    """The treasury cost of one action of `kind`: investigate, intercept or propaganda."""
    return {
        "investigate": prices.investigate_cost,
        "intercept": prices.intercept_cost,
        "propaganda": prices.propaganda_cost,
    }[kind]


def ordered_cost(
    actions: Iterable[tuple[str, str, str | None]], state: str, prices: IntelligenceConstants
) -> int:
    """What the actions `state` has ordered (kind, state, target) will cost."""
    return sum(action_cost(kind, prices) for kind, s, _ in actions if s == state)

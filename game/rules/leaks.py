"""Leaks of secret agreements and the credibility gap.

The chance that a secret agreement leaks in a turn (docs/rules.md, "Leaks"):

    p = min(maximum, (base + per_extra_party·(parties − 2) + per_democracy·democracies
                      + per_turn_of_age·age + per_investigation·investigations)
                     × (intermediary_factor if it was negotiated through an intermediary))

A first leak is a rumour (everyone learns that the parties have a secret agreement); a leak
of a rumoured agreement is an exposé (everyone learns its clauses), with chance p +
rumour_bonus.  A public agreement's secret annex leaks the same way, straight to an exposé
of the annex.

When an agreement is exposed, each party's legitimacy falls by

    legitimacy_exposure × regime_factor[regime] × gap

where the credibility gap, 0 to 1, measures how far the agreement contradicts what the
party said in public:

    gap = min(1, 0.3 + 0.3·denials + 0.25·(public agreement with a targeted state)
                 + 0.1·(public statements naming a targeted state, at most 3))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from game.rules.agreements import RUMOUR, Agreement
from game.rules.scenario import LeakConstants


def leak_chance(
    agreement: Agreement,
    regimes: Mapping[str, str],
    turn: int,
    constants: LeakConstants,
) -> float:
    """Chance that this secret agreement (or the annex of a public one) leaks this turn."""
    static = agreement.leak_static
    if static is None:  # what does not change over its life, computed once
        democracies = sum(1 for party in agreement.parties if regimes.get(party) == "democracy")
        static = (
            constants.base
            + constants.per_extra_party * max(0, len(agreement.parties) - 2)
            + constants.per_democracy * democracies
        )
        agreement.leak_static = static
    age = (
        turn - agreement.start_turn if agreement.start_turn is not None and turn > agreement.start_turn else 0
    )
    p = static + constants.per_turn_of_age * age + constants.per_investigation * agreement.investigations
    if agreement.intermediary is not None:
        p *= constants.intermediary_factor
    if agreement.leak_level == RUMOUR:
        p += constants.rumour_bonus
    return 0.0 if p < 0 else min(constants.maximum, p)


def leak_chance_bound(
    static: float, age: int, investigations: int, rumoured: bool, constants: LeakConstants
) -> float:
    """A chance no agreement's `leak_chance` exceeds if its unchanging part, age and investigations
    are at most these (and it is rumoured only if `rumoured`): the same sums in the same order, each
    term at least as large and the intermediary's factor (at most 1) left out, so rounding cannot
    put it below.  A roll at or above it leaks nothing, whatever the agreement."""
    p = static + constants.per_turn_of_age * max(0, age) + constants.per_investigation * investigations
    if rumoured:
        p += constants.rumour_bonus
    return 0.0 if p < 0 else min(constants.maximum, p)


def credibility_gap(
    agreement: Agreement,
    party: str,
    public_partners: Iterable[str],
    statements_naming_targets: int,
) -> float:
    """How far the exposed agreement contradicts `party`'s public word (0 to 1)."""
    targets = agreement.targets()
    gap = 0.3
    gap += 0.3 * agreement.denied_by.count(party)
    if targets & set(public_partners):
        gap += 0.25
    gap += 0.1 * min(3, statements_naming_targets)
    return min(1.0, gap)

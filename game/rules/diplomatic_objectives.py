"""The diplomatic objectives a state may be given: keep a secret, obtain an agreement, keep its
legitimacy, prevent a war.  Scoring and the objective statuses ask whether each is met now."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.rules.agreements import ACTIVE, EXPOSED, Agreement
from game.rules.diplomacy_data import DiplomacyData


def objective_met(
    d: DiplomacyData, kind: str, state: str, spec: Any, by_name: Callable[[str], Agreement | None]
) -> bool:
    """Whether a diplomatic objective of `kind` is met now; any other kind is not."""
    if kind == "keep_secret":
        a = by_name(spec.agreement)
        return a is not None and a.leak_level != EXPOSED and a.visibility == "secret"
    if kind == "obtain_agreement":
        return any(
            a.status == ACTIVE
            and state in a.parties
            and spec.partner in a.parties
            and any(getattr(c, "kind", "") == spec.clause for _, c, _ in a.all_clauses())
            and (spec.public is None or spec.public == (not a.secret))
            for a in d.agreements.values()
        )
    if kind == "legitimacy":
        return bool(d.legitimacy[state] >= spec.above)
    if kind == "prevent_war":
        a, b = spec.between
        return ((a, b) if a < b else (b, a)) not in d.wars
    return False

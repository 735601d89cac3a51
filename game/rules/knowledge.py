"""Who may know what: the one audience filter.

Every fact the rules produce — an event, a message, an agreement's existence, its terms,
its annex — carries an audience: everyone (`ALL`), or a set of states.  `visible` is the
only test of whether a viewer may see a fact, and every path by which facts leave the
rules for a player (views, turn reports, event lists, errors, replays) goes through it.

Viewers are a state id, `OBSERVER` (public facts only) or `UMPIRE` (everything).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ALL = "all"
OBSERVER = "@observer"
UMPIRE = "@umpire"

Audience = str | tuple[str, ...]
"""`ALL`, or the sorted tuple of the states that may see a fact."""


def audience_of(states: Iterable[str]) -> tuple[str, ...]:
    """A state audience in canonical (sorted) form."""
    return tuple(sorted(set(states)))


def visible(audience: Audience | list[str], viewer: str) -> bool:
    """The audience filter: may `viewer` see a fact with this audience?"""
    if viewer == UMPIRE or audience == ALL:
        return True
    if viewer == OBSERVER:
        return False
    return viewer in audience


def visible_events(events: Iterable[Mapping[str, Any]], viewer: str) -> list[dict[str, Any]]:
    """The events a viewer may see, without their audience field (who else knows is not theirs to know)."""
    out: list[dict[str, Any]] = []
    for event in events:
        # No default: a fact without an audience is a bug to surface, never a fact told to everyone.
        if visible(event["audience"], viewer):
            out.append({k: v for k, v in event.items() if k != "audience" or viewer == UMPIRE})
    return out

"""How a bot writes: places and states by their names, terms in plain words.

Everything a bot says goes through `Words`, built from the public table alone, so a message
names "Belgium" and "France", never `bel` or `fra`, and never an agreement's id.  What a bot
may say about an agreement (its title, its terms) it reads from its own view; whether the
listener may hear it is `known_to`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from game.bots.deal import Deal
from game.bots.table import Table
from game.rules.clauses import (
    Cession,
    ClauseModel,
    DemilitarisedZone,
    FreeText,
    IntelligenceSharing,
    MutualDefence,
    Neutrality,
    NonAggression,
    SpheresOfInfluence,
    SupportPromise,
    Tribute,
)
from game.rules.units import Unit


def joined(items: Iterable[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    parts = list(items)
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {last} {parts[-1]}"


def capital(text: str) -> str:
    """The text with a capital first letter, to open a sentence."""
    return text[:1].upper() + text[1:]


class Words:
    """One bot's phrasebook over the public table."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._place_names: re.Pattern[str] | None = None

    def state(self, state: str) -> str:
        return self.table.state_name(state)

    def states(self, states: Iterable[str], last: str = "and") -> str:
        return joined((self.state(s) for s in states), last)

    def place(self, location: str) -> str:
        return self.table.place_name(location)

    def places(self, locations: Iterable[str], last: str = "and") -> str:
        return joined((self.place(t) for t in locations), last)

    def named_place(self, text: str) -> str | None:
        """The first land territory a text names by its name, if any."""
        if self._place_names is None:
            board = self.table.board
            names = sorted(
                {board.territories[t].name for t in board.ids if board.territories[t].kind != "sea"},
                key=len,
                reverse=True,
            )
            self._place_names = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")
        found = self._place_names.search(text)
        return found.group(0) if found is not None else None

    def unit(self, unit: Unit) -> str:
        """'army in Munich'."""
        return f"{unit.type} in {self.place(unit.location)}"

    def turns(self, n: int) -> str:
        return f"{n} turn{'s' if n != 1 else ''}"

    def clause(self, clause: ClauseModel, parties: tuple[str, ...], now: int) -> str:
        """One clause in plain words, places and states by name."""
        if isinstance(clause, NonAggression):
            return f"no attack between {self.states(clause.between or parties)}"
        if isinstance(clause, MutualDefence):
            against = f" against {self.states(clause.against, 'or')}" if clause.against else ""
            return f"mutual defence of {self.states(clause.members or parties)}{against}"
        if isinstance(clause, SupportPromise):
            what = (
                f"the move from {self.place(clause.target)} to {self.place(clause.dest)}"
                if clause.dest
                else f"the unit in {self.place(clause.target)} to hold"
            )
            when = (
                ""
                if clause.turn is None
                else " this turn"
                if clause.turn == now
                else f" on turn {clause.turn}"
            )
            return f"{self.state(clause.by)}'s unit in {self.place(clause.unit_at)} supports {what}{when}"
        if isinstance(clause, Cession):
            return (
                f"{self.place(clause.territory)} passes to {self.state(clause.to)} by turn {clause.by_turn}"
            )
        if isinstance(clause, DemilitarisedZone):
            return f"no troops in {self.places(clause.territories)}"
        if isinstance(clause, SpheresOfInfluence):
            return "; ".join(
                f"{self.places(s.territories)} for {self.state(s.state)}" for s in clause.spheres
            )
        if isinstance(clause, Neutrality):
            who = self.states(clause.neutral) if clause.neutral else "the others"
            return (
                f"{who} neutral between {self.state(clause.conflict[0])} and {self.state(clause.conflict[1])}"
            )
        if isinstance(clause, Tribute):
            return f"{self.state(clause.payer)} pays {self.state(clause.payee)} {clause.amount} a year"
        if isinstance(clause, IntelligenceSharing):
            return "intelligence shared, and no spying on each other"
        if isinstance(clause, FreeText):
            return clause.text
        return "a clause"

    def terms(self, clauses: Iterable[ClauseModel], parties: tuple[str, ...], now: int) -> str:
        return "; ".join(self.clause(c, parties, now) for c in clauses)

    def deal(self, deal: Deal, default: str = "our agreement") -> str:
        """An agreement by its title, as its parties call it: 'the Non-aggression pact'."""
        return self.title(deal.title, default)

    @staticmethod
    def title(title: str, default: str = "our agreement") -> str:
        text = title.strip()
        if not text:
            return default
        return text if text[:4].lower() == "the " else f"the {text}"


def known_to(deal: Deal, listener: str | None) -> bool:
    """Whether `listener` (None: everyone) already knows of this agreement and its main terms, so
    that naming it tells nothing new: a party or the intermediary, or anyone once it is public."""
    if listener is not None and (listener in deal.parties or listener == deal.intermediary):
        return True
    if deal.rumour or deal.status == "proposed":
        return False
    return not deal.secret or deal.leak_level == "exposed"

"""Agreements: parties, clauses, secrecy, lifecycle, and who knows what of each.

An agreement is proposed (the proposer signs at once), signed by every party to become
active, and then kept, breached, renounced, ratified (a secret one made public) or leaked
until it expires.  Its knowledge has three layers, each with its own audience: that it
exists and who its parties are; its terms (the main clauses); and its secret annex.

Ids look like `agr-40718263`: unique in a game, never produced by accident in other text
(so a view can be searched for them), and drawn at random from the proposer's own seeded
stream, so that an id says nothing about how many agreements others have made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.rules.clauses import ClauseModel, clause_states
from game.rules.knowledge import ALL, UMPIRE, Audience, audience_of, visible

PROPOSED, ACTIVE, EXPIRED, BREACHED, RENOUNCED, REJECTED, SUPERSEDED, LAPSED = (
    "proposed",
    "active",
    "expired",
    "breached",
    "renounced",
    "rejected",
    "superseded",
    "lapsed",
)
NONE, RUMOUR, EXPOSED = "none", "rumour", "exposed"


@dataclass(slots=True)
class Agreement:
    id: str
    title: str
    proposer: str
    parties: tuple[str, ...]
    clauses: tuple[ClauseModel, ...]
    annex: tuple[ClauseModel, ...]
    visibility: str  # public | secret
    duration: int | None
    intermediary: str | None
    proposed_turn: int
    seq: int = 0  # creation order, for the rules' own bookkeeping; never shown to a player
    name: str = ""  # the scenario's id for a starting agreement
    status: str = PROPOSED
    signed: list[str] = field(default_factory=list)
    ratified_by: list[str] = field(default_factory=list)
    start_turn: int | None = None
    end_turn: int | None = None
    counter_of: str | None = None
    known_by: set[str] = field(default_factory=set)  # know it exists and its terms (secret) / its draft
    annex_known_by: set[str] = field(default_factory=set)
    leak_level: str = NONE
    denied_by: list[str] = field(default_factory=list)
    justified_by: list[str] = field(default_factory=list)
    breaches: list[dict[str, Any]] = field(default_factory=list)
    investigations: int = 0  # investigations against its parties this turn
    _numbered: tuple[tuple[int, ClauseModel, bool], ...] | None = None
    leak_static: float | None = None  # the part of its leak chance that never changes
    outside_status: str | None = None  # the status those who cannot read its annex still see

    @property
    def number(self) -> int:
        return self.seq

    @property
    def secret(self) -> bool:
        return self.visibility == "secret"

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    @property
    def ratified(self) -> bool:
        """Every party has ratified it in public: nothing of it (annex included) is secret any more."""
        return bool(self.ratified_by) and set(self.ratified_by) == set(self.parties)

    def all_clauses(self) -> tuple[tuple[int, ClauseModel, bool], ...]:
        """(index, clause, in_annex); annex clauses are numbered after the main ones."""
        if self._numbered is None:
            main = [(i, c, False) for i, c in enumerate(self.clauses)]
            self._numbered = tuple(
                main + [(len(self.clauses) + i, c, True) for i, c in enumerate(self.annex)]
            )
        return self._numbered

    def targets(self) -> set[str]:
        """States the agreement is aimed at: named in its clauses but not parties to it."""
        named: set[str] = set()
        for _, clause, _ in self.all_clauses():
            named |= clause_states(clause)
        return named - set(self.parties)

    # --- audiences -----------------------------------------------------------------------------

    def existence_audience(self) -> Audience:
        """Who may know that it exists and who its parties are."""
        if self.status == PROPOSED or self.status in (REJECTED, SUPERSEDED):
            return audience_of(self.known_by)
        if not self.secret or self.leak_level != NONE:
            return ALL
        return audience_of(self.known_by)

    def terms_audience(self) -> Audience:
        """Who may read its main clauses."""
        if self.status == PROPOSED or self.status in (REJECTED, SUPERSEDED):
            return audience_of(self.known_by)
        if not self.secret or self.leak_level == EXPOSED:
            return ALL
        return audience_of(self.known_by)

    def annex_audience(self) -> Audience:
        """Who may read its secret annex."""
        if (self.leak_level == EXPOSED or self.ratified) and self.status not in (
            PROPOSED,
            REJECTED,
            SUPERSEDED,
        ):
            return ALL
        return audience_of(self.annex_known_by)

    def event_audience(self) -> Audience:
        """The audience of events about it (signature, renunciation, ...): who knows its terms."""
        return self.terms_audience()


def agreement_view(agreement: Agreement, viewer: str) -> dict[str, Any] | None:
    """What `viewer` may see of an agreement, or None; every layer passes the audience filter."""
    if not visible(agreement.existence_audience(), viewer):
        return None
    view: dict[str, Any] = {
        "id": agreement.id,
        "parties": list(agreement.parties),
        "leak_level": agreement.leak_level,
    }
    if not visible(agreement.terms_audience(), viewer):
        # A rumour tells who the parties are, nothing more: not even whether it was since breached
        # or renounced, which only those who know it may learn.
        view["rumour"] = True
        return view
    view.update(
        {
            "status": agreement.status,
            "title": agreement.title,
            "visibility": agreement.visibility,
            "proposer": agreement.proposer,
            "clauses": [c.model_dump(mode="json") for c in agreement.clauses],
            "duration": agreement.duration,
            "intermediary": agreement.intermediary,
            "signed": list(agreement.signed),
            "proposed_turn": agreement.proposed_turn,
            "start_turn": agreement.start_turn,
            "end_turn": agreement.end_turn,
            # The proposal it answered stays known only to those who negotiated it.
            "counter_of": agreement.counter_of if _negotiator(agreement, viewer) else None,
            "denied_by": list(agreement.denied_by),
            "justified_by": list(agreement.justified_by),
        }
    )
    # A secret annex shows only to its audience; to others not even its existence shows, nor the
    # end of the agreement when it was its annex that was broken.
    if agreement.annex and visible(agreement.annex_audience(), viewer):
        view["annex"] = [c.model_dump(mode="json") for c in agreement.annex]
    elif agreement.outside_status is not None:
        view["status"] = agreement.outside_status
        view["end_turn"] = None
    if viewer == UMPIRE:
        view["known_by"] = sorted(agreement.known_by)
        view["annex_known_by"] = sorted(agreement.annex_known_by)
        view["name"] = agreement.name
    return view


def _negotiator(agreement: Agreement, viewer: str) -> bool:
    """The umpire, a party or the intermediary: those who saw every proposal of the negotiation."""
    return viewer == UMPIRE or viewer in agreement.parties or viewer == agreement.intermediary

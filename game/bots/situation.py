"""What a bot knows, read from its view.

A bot sees the game only through `game.rules.views.view_for(game, its_state)` — exactly what
its state may know — and the public table: the scenario's board, calendar and list of states,
which every player has in the scenario file.  `Situation.read` turns the view into handy
shapes; nothing here touches a `Game`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from game.bots.aims import Aims, read_aims
from game.bots.deal import Deal
from game.bots.map_bot import Position
from game.bots.table import Table
from game.rules.board import Board
from game.rules.units import Unit


@dataclass(slots=True)
class Situation:
    """One state's view of the game, read into shapes a bot can reason with."""

    me: str
    table: Table
    turn: int
    season: str
    phase: str | None
    units: dict[str, Unit]
    owners: dict[str, str | None]
    supply: dict[str, int]
    legitimacy: dict[str, int]
    reputation: dict[str, int]
    trust: dict[str, int]
    treasury: int
    deals: list[Deal]
    events: list[tuple[int, dict[str, Any]]]
    retreats: list[tuple[Unit, tuple[str, ...]]]
    pending_actions: list[tuple[str, str | None]] = field(default_factory=list)
    messages: list[Mapping[str, Any]] = field(default_factory=list)  # the conversation it may read, in order
    agreements: list[Mapping[str, Any]] = field(
        default_factory=list
    )  # every agreement in the view, ended ones too
    aims: Aims = field(default_factory=Aims)  # its own state's objectives, read from the view

    @classmethod
    def read(cls, view: Mapping[str, Any], table: Table) -> Situation:
        me = view["me"]
        units = {}
        for u in view["map"]["units"]:
            unit = Unit(u["state"], u["type"], u["location"])
            units[unit.territory] = unit
        return cls(
            me=me["state"],
            table=table,
            turn=view["turn"],
            season=view["season"],
            phase=view["phase"],
            units=units,
            owners=dict(view["map"]["owners"]),
            supply={s["id"]: s["supply"] for s in view["states"]},
            legitimacy={s["id"]: s["legitimacy"] for s in view["states"]},
            reputation={s["id"]: s["reputation"] for s in view["states"]},
            trust=dict(me["trust"]),
            treasury=me["treasury"],
            # Ended agreements live on in the events; a bot weighs only what is in force or on the table.
            deals=[
                Deal.read(a)
                for a in view["agreements"]
                if a.get("status", "active") in ("active", "proposed")
            ],
            events=[(t["turn"], e) for t in view["events"] for e in t["events"]],
            retreats=[
                (Unit(r["unit"]["state"], r["unit"]["type"], r["unit"]["location"]), tuple(r["options"]))
                for r in view["map"].get("retreats", ())
            ],
            pending_actions=[(a["kind"], a["target"]) for a in me["actions"]],
            messages=list(view.get("messages", ())),
            agreements=list(view["agreements"]),
            aims=read_aims(view, table),
        )

    # --- the map ----------------------------------------------------------------------------------

    @property
    def board(self) -> Board:
        return self.table.board

    @property
    def last_season(self) -> bool:
        return self.season == self.table.seasons[-1]

    @property
    def year_start_turn(self) -> int:
        return self.turn - self.table.seasons.index(self.season)

    def position(self) -> Position:
        return Position(self.board, self.units, self.owners, self.last_season)

    def my_units(self) -> list[Unit]:
        index = self.board.index
        return sorted(
            (u for u in self.units.values() if u.state == self.me), key=lambda u: index[u.territory]
        )

    def holder(self, territory: str) -> str | None:
        """Who a move into this territory would attack: its occupant, else its owner."""
        unit = self.units.get(territory)
        return unit.state if unit is not None else self.owners.get(territory)

    def territories_of(self, state: str) -> list[str]:
        """Where a move would attack `state`: its units' and its own territories."""
        index = self.board.index
        found = {t for t, u in self.units.items() if u.state == state}
        found |= {
            t
            for t, s in self.owners.items()
            if s == state and (t not in self.units or self.units[t].state == state)
        }
        return sorted(found, key=index.__getitem__)

    def neighbours_of(self, state: str) -> list[str]:
        """States whose units or territories touch `state`'s."""
        board = self.board
        found: set[str] = set()
        for t in self.territories_of(state):
            for n in board.neighbours[t]:
                other = self.holder(n)
                if other is not None and other != state:
                    found.add(other)
        return [s for s in self.table.states if s in found]

    def threatened(self, state: str) -> list[str]:
        """`state`'s territories that another state's unit could move into now."""
        board = self.board
        out = []
        for t in self.territories_of(state):
            for n in board.neighbours[t]:
                u = self.units.get(n)
                if u is not None and u.state != state and board.can_reach(u.type, u.location, t):
                    out.append(t)
                    break
        return out

    # --- agreements ---------------------------------------------------------------------------------

    def deal(self, ref: str) -> Deal | None:
        for d in self.deals:
            if d.id == ref:
                return d
        return None

    def known(self, ref: str) -> Deal | None:
        """Any agreement of the view by id, whatever its status (an ended one too); None if unseen."""
        for d in self.deals:
            if d.id == ref:
                return d
        for data in self.agreements:
            if data["id"] == ref:
                return Deal.read(data)
        return None

    def active_mine(self) -> list[Deal]:
        return [d for d in self.deals if d.status == "active" and self.me in d.parties and not d.rumour]

    def proposals_to_me(self) -> list[Deal]:
        return [
            d
            for d in self.deals
            if d.status == "proposed" and self.me in d.parties and self.me not in d.signed and not d.rumour
        ]

    def partners(self) -> set[str]:
        """States I have an active agreement with."""
        return {p for d in self.active_mine() for p in d.parties if p != self.me}

    def pending_with(self, state: str) -> bool:
        return any(d.status == "proposed" and self.me in d.parties and state in d.parties for d in self.deals)

    def events_of(self, kind: str, since: int = 0) -> list[tuple[int, dict[str, Any]]]:
        return [(t, e) for t, e in self.events if e["kind"] == kind and t >= since]

    def paid_this_year(self, payee: str) -> int:
        return sum(
            e["amount"]
            for _, e in self.events_of("payment", self.year_start_turn)
            if e["state"] == self.me and e["to"] == payee
        )

    def ratified_by_me(self, ref: str) -> bool:
        return any(
            e.get("agreement") == ref and e.get("state") == self.me
            for _, e in self.events_of("agreement_ratification")
        )

    def strongest(self, among: Sequence[str]) -> str | None:
        ranked = sorted(among, key=lambda s: (-self.supply.get(s, 0), self.table.states.index(s)))
        return ranked[0] if ranked else None

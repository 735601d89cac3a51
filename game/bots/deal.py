"""An agreement as a bot sees it in its view.

Its own module so that reading a view (`game.bots.situation`) and weighing a deal against the
bot's objectives (`game.bots.aims`) both use it without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from game.rules.clauses import Clause, ClauseModel

_CLAUSE: TypeAdapter[ClauseModel] = TypeAdapter(Clause)


@dataclass(frozen=True, slots=True)
class Deal:
    """An agreement as the bot sees it (terms empty when it knows only a rumour)."""

    id: str
    parties: tuple[str, ...]
    status: str
    leak_level: str
    rumour: bool
    proposer: str = ""
    visibility: str = "secret"
    clauses: tuple[ClauseModel, ...] = ()
    annex: tuple[ClauseModel, ...] = ()
    signed: tuple[str, ...] = ()
    duration: int | None = None
    intermediary: str | None = None
    proposed_turn: int = 0
    start_turn: int | None = None
    end_turn: int | None = None
    counter_of: str | None = None
    denied_by: tuple[str, ...] = ()
    justified_by: tuple[str, ...] = ()
    title: str = ""

    @property
    def all_clauses(self) -> tuple[ClauseModel, ...]:
        return self.clauses + self.annex

    @property
    def secret(self) -> bool:
        return self.visibility == "secret"

    def has_secret(self) -> bool:
        return (self.secret and self.leak_level != "exposed") or (
            bool(self.annex) and self.leak_level != "exposed"
        )

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Deal:
        if data.get("rumour"):
            # A rumour shows no status: the bot can only assume the rumoured deal is still in force.
            return cls(data["id"], tuple(data["parties"]), "active", data["leak_level"], True)
        return cls(
            id=data["id"],
            parties=tuple(data["parties"]),
            status=data["status"],
            leak_level=data["leak_level"],
            rumour=False,
            proposer=data["proposer"],
            visibility=data["visibility"],
            clauses=tuple(_CLAUSE.validate_python(c) for c in data["clauses"]),
            annex=tuple(_CLAUSE.validate_python(c) for c in data.get("annex", ())),
            signed=tuple(data["signed"]),
            duration=data["duration"],
            intermediary=data["intermediary"],
            proposed_turn=data["proposed_turn"],
            start_turn=data["start_turn"],
            end_turn=data["end_turn"],
            counter_of=data["counter_of"],
            denied_by=tuple(data["denied_by"]),
            justified_by=tuple(data["justified_by"]),
            title=data["title"],
        )

"""The game replayed for its debrief: the state at the end of every turn, and who did what.

The rules' record keeps what happened (events per turn) and where the game ended, but not
how the map, trust and legitimacy stood in between.  Replaying the commands (the game is a
function of scenario, seed and commands) gives both: a `TurnState` after each movement turn
with its retreats and adjustments, and an `Act` for every command, with the member who gave
it and what it made (the message or the agreement), which grades per student need.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from game.debrief.source import DebriefError, DebriefSource
from game.rules.adjustments import supply_counts
from game.rules.errors import CommandError
from game.rules.game import Game


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Who knew of one agreement at a moment, and how far it had leaked."""

    known_by: frozenset[str]
    annex_known_by: frozenset[str]
    leak_level: str
    status: str


@dataclass(slots=True)
class TurnState:
    """The game at the end of a turn (or at the start, turn 0; or now, for a turn in progress)."""

    turn: int
    year: int
    season: str
    owners: dict[str, str | None]
    units: list[tuple[str, str, str]]
    """(state, army|fleet, location) of every unit."""
    supply: dict[str, int]
    legitimacy: dict[str, int]
    trust: dict[str, dict[str, int]]
    treasury: dict[str, int]
    knowledge: dict[str, Knowledge]
    in_progress: bool = False


@dataclass(frozen=True, slots=True)
class Act:
    """One accepted command: when, whose, by whom, and the ids it made."""

    index: int
    turn: int
    phase: str | None
    kind: str
    state: str | None
    author: str | None
    command: Mapping[str, Any]
    made: tuple[str, ...] = ()
    """Ids the command created: the message of a press, the agreement of a proposal or counter."""


@dataclass(slots=True)
class Chronicle:
    game: Game
    start: TurnState
    ends: dict[int, TurnState] = field(default_factory=dict)
    """Turn number -> the game at its end (the last one may be `in_progress`)."""
    acts: list[Act] = field(default_factory=list)
    authors_of_messages: dict[str, str] = field(default_factory=dict)
    """Message id -> the member who wrote it (only when known)."""

    def state_after(self, turn: int) -> TurnState:
        return self.ends.get(turn, self.start)


def replay(source: DebriefSource) -> Chronicle:
    """Replay the source's commands, keeping the state at the end of every turn."""
    game = Game(source.scenario, source.seed)
    chronicle = Chronicle(game, _snapshot(game, 0))
    diplomacy = game.diplomacy
    for index, (command, author) in enumerate(zip(source.commands, source.authors, strict=True)):
        turn, phase = game.turn, game.phase
        messages_before = len(diplomacy.messages)
        try:
            events = game.apply(command)
        except CommandError as exc:
            raise DebriefError(
                f"command {index + 1} of {len(source.commands)} ({command.get('kind')}) does not replay: {exc}; "
                "the record is not of this scenario and seed, or was changed"
            ) from None
        made: tuple[str, ...] = ()
        kind = str(command.get("kind"))
        if kind == "press":
            made = tuple(m["id"] for m in diplomacy.messages[messages_before:])
            if author:
                chronicle.authors_of_messages.update(dict.fromkeys(made, author))
        elif kind in ("propose", "counter"):
            made = tuple(e["agreement"] for e in events if e["kind"] == "agreement_proposed")
        chronicle.acts.append(Act(index, turn, phase, kind, command.get("state"), author, command, made))
        if kind == "resolve" and (game.turn != turn or game.over):
            chronicle.ends[turn] = _snapshot(game, turn)
    if not game.over and game.turn not in chronicle.ends:
        chronicle.ends[game.turn] = _snapshot(game, game.turn, in_progress=True)
    return chronicle


def _snapshot(game: Game, turn: int, in_progress: bool = False) -> TurnState:
    record = next((t for t in game.turns if t.turn == turn), None)
    year = record.year if record else game.scenario.calendar.start_year
    season = record.season if record else "start"
    d = game.diplomacy
    return TurnState(
        turn=turn,
        year=year,
        season=season,
        owners=dict(game.owners),
        units=[(u.state, u.type, u.location) for u in game.units.values()],
        supply=dict(supply_counts(game.board, game.owners)),
        legitimacy=dict(d.legitimacy),
        trust={a: dict(row) for a, row in d.trust.items()},
        treasury=dict(game.treasury),
        knowledge={
            a.id: Knowledge(frozenset(a.known_by), frozenset(a.annex_known_by), a.leak_level, a.status)
            for a in d.agreements.values()
        },
        in_progress=in_progress,
    )

"""A game: a scenario, a seed, and the commands applied to it, in order.

`Game.apply` is the one way to change a game; it raises `CommandError` and changes
nothing when a command cannot be applied.  `replay` rebuilds any game from its
commands.  Each resolution returns events (plain JSON-ready dicts with a `kind`),
which the record groups by movement turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from game.rules import facts
from game.rules.adjudication import VOID, Dislodgement, OrderResult, adjudicate
from game.rules.adjustments import adjustment_balance, resolve_adjustments, supply_counts
from game.rules.agreements import agreement_view
from game.rules.board import Board
from game.rules.breaches import TurnFacts
from game.rules.commands import AnyCommand, Inject, Phase, Resolve, SubmitOrders, command_json, parse_command
from game.rules.diplomacy import Diplomacy
from game.rules.errors import (
    BadOrder,
    GameOver,
    InvalidCommand,
    OrderSyntaxError,
    UnknownState,
    WrongPhase,
)
from game.rules.injects import Release, apply_inject
from game.rules.knowledge import ALL, UMPIRE
from game.rules.objectives import all_objective_statuses
from game.rules.orders import Order, parse_order
from game.rules.retreats import resolve_retreats, retreat_options
from game.rules.scenario import Scenario
from game.rules.scoring import scores
from game.rules.units import Unit

Event = dict[str, Any]


@dataclass(slots=True)
class TurnEvents:
    """What happened in one movement turn and the retreat and adjustment phases after it."""

    turn: int
    year: int
    season: str
    events: list[Event] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"turn": self.turn, "year": self.year, "season": self.season, "events": self.events}


class Game:
    """The rules' state machine for one game."""

    def __init__(self, scenario: Scenario, seed: int, board: Board | None = None) -> None:
        self.scenario = scenario
        self.seed = seed
        self.board = board if board is not None else Board.from_scenario(scenario)
        self.state_ids: tuple[str, ...] = tuple(s.id for s in scenario.states)
        self.seasons: tuple[str, ...] = tuple(scenario.calendar.seasons)
        self.turn = 1
        self.year = scenario.calendar.start_year
        self.season_index = 0
        self.phase: Phase | None = "movement"
        self.winner: str | None = None
        self.units: dict[str, Unit] = {}
        for s in scenario.states:
            for start in s.units:
                unit = Unit(s.id, start.type, start.at)
                self.units[unit.territory] = unit
        self.owners: dict[str, str | None] = {
            t.id: t.holder for t in scenario.map.territories if t.kind != "sea"
        }
        self.treasury: dict[str, int] = {s.id: s.treasury for s in scenario.states}
        self.dislodged: dict[str, Dislodgement] = {}
        self.standoffs: frozenset[str] = frozenset()
        self.pending: dict[str, list[Order]] = {}
        self.commands: list[dict[str, Any]] = []
        self.turns: list[TurnEvents] = [TurnEvents(1, self.year, self.seasons[0])]
        self.last_results: list[OrderResult] = []
        self.released: dict[str, Release] = {}  # injects released, by id, in the order released
        self.diplomacy = Diplomacy(scenario, self.board, seed)
        self.turns[0].events.extend(
            {k: v for k, v in e.items()}
            for a in self.diplomacy.agreements.values()
            for e in self._starting_events(a.id)
        )

    def _starting_events(self, ref: str) -> list[Event]:
        a = self.diplomacy.agreements[ref]
        return [
            facts.AgreementSigned(
                agreement=a.id,
                parties=list(a.parties),
                visibility=a.visibility,
                title=a.title,
                at_start=True,
                audience=a.event_audience(),
            ).event()
        ]

    # --- reading ---------------------------------------------------------------------------

    @property
    def season(self) -> str:
        return self.seasons[self.season_index]

    @property
    def over(self) -> bool:
        return self.phase is None

    def units_of(self, state: str) -> list[Unit]:
        index = self.board.index
        return sorted((u for u in self.units.values() if u.state == state), key=lambda u: index[u.territory])

    def supply_count(self, state: str) -> int:
        return supply_counts(self.board, self.owners).get(state, 0)

    def states_to_order(self) -> list[str]:
        """States with something to order in the current phase."""
        if self.phase == "movement":
            return [s for s in self.state_ids if any(u.state == s for u in self.units.values())]
        if self.phase == "retreat":
            return [s for s in self.state_ids if any(d.unit.state == s for d in self.dislodged.values())]
        if self.phase == "adjustment":
            balance = adjustment_balance(self.board, self.units, self.owners, self.state_ids)
            return [s for s in self.state_ids if s in balance]
        return []

    def adjustment_balance(self) -> dict[str, int]:
        return adjustment_balance(self.board, self.units, self.owners, self.state_ids)

    def retreat_options(self, territory: str) -> tuple[str, ...]:
        return retreat_options(self.board, self.units, self.dislodged[territory], self.standoffs)

    def scores(self) -> dict[str, int]:
        return scores(self.scenario, self.board, self.owners, self.units, self.diplomacy)

    # --- changing ----------------------------------------------------------------------------

    def apply(self, command: AnyCommand | Mapping[str, Any]) -> list[Event]:
        """Apply one command; raise CommandError (nothing changed) if it cannot be applied now."""
        if isinstance(command, Mapping):
            try:
                command = parse_command(command)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise InvalidCommand(f"invalid command: {where}: {first['msg']}") from None
        if self.phase is None:
            raise GameOver("the game is over")
        if isinstance(command, Inject):
            events = apply_inject(self, command)
            self.commands.append(command_json(command))
            self._current_turn().events.extend(events)
            return events
        if not isinstance(command, SubmitOrders | Resolve):
            events = self.diplomacy.apply(command, self.turn, self.phase, self.treasury)
            self.commands.append(command_json(command))
            self._current_turn().events.extend(events)
            return events
        if command.turn != self.turn or command.phase != self.phase:
            raise WrongPhase(
                f"this is turn {self.turn}, {self.phase} phase; the command is for turn {command.turn}, {command.phase}"
            )
        if isinstance(command, SubmitOrders):
            self._submit(command)
            self.commands.append(command_json(command))
            return []
        self.commands.append(command_json(command))
        return self._resolve()

    def submit(self, state: str, orders: Iterable[str]) -> None:
        """Convenience: submit orders for the current turn and phase."""
        assert self.phase is not None
        self.apply(SubmitOrders(state=state, turn=self.turn, phase=self.phase, orders=list(orders)))

    def resolve(self) -> list[Event]:
        """Convenience: resolve the current phase."""
        if self.phase is None:
            raise GameOver("the game is over")
        return self.apply(Resolve(turn=self.turn, phase=self.phase))

    def _submit(self, command: SubmitOrders) -> None:
        if command.state not in self.state_ids:
            raise UnknownState(f"unknown state {command.state!r}")
        assert self.phase is not None
        parsed: list[Order] = []
        for line in command.orders:
            try:
                parsed.append(parse_order(line, self.phase))
            except OrderSyntaxError as exc:
                raise BadOrder(str(exc)) from None
        self.pending[command.state] = parsed

    def _given(self) -> list[tuple[str, Order]]:
        return [(s, o) for s in self.state_ids for o in self.pending.get(s, ())]

    def _current_turn(self) -> TurnEvents:
        return self.turns[-1]

    def _resolve(self) -> list[Event]:
        this_turn = self._current_turn()  # the phase's events belong to this turn even if a new one begins
        if self.phase == "movement":
            events = self._resolve_movement()
        elif self.phase == "retreat":
            events = self._resolve_retreats()
        else:
            events = self._resolve_adjustments()
        self.pending = {}
        this_turn.events.extend(events)
        return events

    def _resolve_movement(self) -> list[Event]:
        units_before = self.units
        result = adjudicate(self.board, self.units, self._given())
        self.last_results = result.results
        events: list[Event] = [_void_event(r, "movement") for r in result.results if r.result == VOID]
        # What happened on the map is public: every unit and holder is seen by everyone.
        for unit, dest in result.moves:
            events.append(
                facts.Move(
                    state=unit.state, unit=unit.type, from_=unit.location, to=dest, audience=ALL
                ).event()
            )
        for unit, dest in result.bounces:
            events.append(
                facts.Bounce(
                    state=unit.state, unit=unit.type, from_=unit.location, to=dest, audience=ALL
                ).event()
            )
        for territory in sorted(result.dislodged, key=self.board.index.__getitem__):
            dis = result.dislodged[territory]
            events.append(
                facts.Dislodged(
                    state=dis.unit.state,
                    unit=dis.unit.type,
                    at=dis.unit.location,
                    by=self.units[dis.attacker_from].state if dis.attacker_from in self.units else None,
                    from_=dis.attacker_from,
                    audience=ALL,
                ).event()
            )
        self.units = result.units
        self.dislodged = dict(result.dislodged)
        self.standoffs = result.standoffs
        turn_facts = TurnFacts.collect(self.board, self.turn, units_before, self.owners, result)
        diplomacy = self.diplomacy
        events += diplomacy.check_breaches(turn_facts)
        events += diplomacy.intelligence(self.turn, self.treasury)
        events += diplomacy.leaks(self.turn)
        events += diplomacy.expire(self.turn)
        if self.dislodged:
            self.phase = "retreat"
            return events
        return events + self._after_movement_turn()

    def _resolve_retreats(self) -> list[Event]:
        result = resolve_retreats(self.board, self.units, self.dislodged, self.standoffs, self._given())
        self.last_results = result.results
        events: list[Event] = [_void_event(r, "retreat") for r in result.results if r.result == VOID]
        for unit, dest in result.retreats:
            events.append(
                facts.Retreat(
                    state=unit.state, unit=unit.type, from_=unit.location, to=dest, audience=ALL
                ).event()
            )
        for unit in result.disbanded:
            events.append(
                facts.Disband(state=unit.state, unit=unit.type, at=unit.location, audience=ALL).event()
            )
        self.units = result.units
        self.dislodged = {}
        self.standoffs = frozenset()
        return events + self._after_movement_turn()

    def _resolve_adjustments(self) -> list[Event]:
        result = resolve_adjustments(self.board, self.units, self.owners, self.state_ids, self._given())
        self.last_results = result.results
        events: list[Event] = [_void_event(r, "adjustment") for r in result.results if r.result == VOID]
        for unit in result.built:
            events.append(
                facts.Build(state=unit.state, unit=unit.type, at=unit.location, audience=ALL).event()
            )
        for unit in result.removed:
            events.append(
                facts.Remove(state=unit.state, unit=unit.type, at=unit.location, audience=ALL).event()
            )
        self.units = result.units
        self._next_turn()
        return events

    def _after_movement_turn(self) -> list[Event]:
        """After a movement turn and its retreats: at the year's end, captures, income and adjustments."""
        if self.season_index < len(self.seasons) - 1:
            self._next_turn()
            return []
        events = self._year_end()
        if self.phase is None:
            return events
        if self.adjustment_balance():
            self.phase = "adjustment"
        else:
            self._next_turn()
        return events

    def _year_end(self) -> list[Event]:
        events: list[Event] = []
        index = self.board.index
        supply_before = supply_counts(self.board, self.owners)
        for territory in sorted(self.units, key=index.__getitem__):
            unit = self.units[territory]
            if territory in self.owners and self.owners[territory] != unit.state:
                events.append(
                    facts.Captured(
                        territory=territory,
                        state=unit.state,
                        from_=self.owners[territory],
                        supply=self.board.territories[territory].supply,
                        audience=ALL,
                    ).event()
                )
                self.owners[territory] = unit.state
        # One pass over the map, not one per state: the cost stays linear as maps and states grow.
        income_of: dict[str, int] = {}
        for t, holder in self.owners.items():
            if holder is not None:
                income_of[holder] = income_of.get(holder, 0) + self.board.territories[t].value
        for s in self.state_ids:
            income = income_of.get(s, 0)
            if income:
                self.treasury[s] += income
                # A treasury is its state's own business: others could tell from it who paid whom.
                events.append(
                    facts.Income(state=s, amount=income, treasury=self.treasury[s], audience=(s,)).event()
                )
        total = len(self.board.supply)
        counts = supply_counts(self.board, self.owners)
        events += self.diplomacy.year_end(self.turn, supply_before, counts)
        fraction = self.scenario.victory.supply_fraction
        leaders = [s for s in self.state_ids if total and counts.get(s, 0) > fraction * total]
        end_year = self.scenario.calendar.end_year
        if leaders:
            self.winner = leaders[0]
            self.phase = None
            events.append(facts.GameOver(reason="victory", winner=self.winner, audience=ALL).event())
        elif end_year is not None and self.year >= end_year:
            self.phase = None
            events.append(facts.GameOver(reason="calendar", winner=None, audience=ALL).event())
        return events

    def _next_turn(self) -> None:
        self.phase = "movement"
        self.season_index += 1
        if self.season_index == len(self.seasons):
            self.season_index = 0
            self.year += 1
        self.turn += 1
        self.turns.append(TurnEvents(self.turn, self.year, self.season))

    # --- output ------------------------------------------------------------------------------

    def record(self) -> dict[str, Any]:
        """The umpire's complete record of the game (record.json)."""
        index = self.board.index
        return {
            "format": "backchannel-record/1",
            "scenario": self.scenario.id,
            "seed": self.seed,
            "commands": list(self.commands),
            "turns": [t.to_json() for t in self.turns if t.events],
            "final": {
                "scores": self.scores(),
                "owners": {t: self.owners[t] for t in sorted(self.owners, key=index.__getitem__)},
                "units": [u.to_json() for u in sorted(self.units.values(), key=lambda u: index[u.territory])],
                "winner": self.winner,
                "year": self.year,
                "turn": self.turn,
                "trust": {a: dict(row) for a, row in self.diplomacy.trust.items()},
                "legitimacy": dict(self.diplomacy.legitimacy),
                "reputation": {s: self.diplomacy.reputation(s) for s in self.state_ids},
                "treasury": dict(self.treasury),
                # met / not_yet / failed, as the rules read each objective where the game stands.
                "objectives": {
                    s: [o.to_json() for o in statuses] for s, statuses in all_objective_statuses(self).items()
                },
            },
            "agreements": [agreement_view(a, UMPIRE) for a in self.diplomacy.agreements.values()],
            "injects": [r.to_json() for r in self.released.values()],
            "messages": [
                {**m, "audience": m["audience"], "sincerity": self.diplomacy.marks.get(m["id"])}
                for m in self.diplomacy.messages
            ],
        }


def _void_event(result: OrderResult, phase: str) -> Event:
    # An order, void or carried out, is its state's own business: what others see is the map.
    return facts.OrderVoid(
        state=result.state, order=result.order, phase=phase, reason=result.reason, audience=(result.state,)
    ).event()


def replay(scenario: Scenario, seed: int, commands: Sequence[Mapping[str, Any]]) -> Game:
    """Rebuild a game exactly from its commands."""
    game = Game(scenario, seed)
    for command in commands:
        game.apply(command)
    return game

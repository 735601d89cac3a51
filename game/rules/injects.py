"""Injects: the umpire's events, as classroom simulations and crisis committees call them.

An inject is a card — a title and a text told to everyone or to some states — with effects the
rules apply: legitimacy, treasury, a unit placed or removed, an agreement revealed.  A scenario
may prepare them (`Scenario.injects`), each due at a movement turn or kept for the umpire to
release; the umpire may also write one on the spot.  Either way it reaches the game as the
command `Inject` (game/rules/commands.py), applied by `Game.apply` like any other: in the record,
replayed exactly, and every fact it makes carries its audience:

* the card (`inject`) goes to its audience, listing only the effects that all of them may know;
* a unit placed or removed (`unit_placed`, `unit_removed`) is public, as the map is; a legitimacy
  change (`legitimacy`) is public, as legitimacy is; a treasury change (`treasury`) is its state's
  own;
* a revealed agreement is exposed to everyone as a leak would expose it (`agreement_leaked`, how
  `inject`), with the same backlash at home, lost trust abroad and falling governments.

Applying is all or nothing: every effect is checked before any is applied, and a refusal (a
`CommandError` naming the effect and what is wrong) changes nothing.  A prepared inject was
checked with its scenario; what play may have changed since — its place taken, its unit gone,
its secret already out — is skipped rather than refused, so that an event due at a turn always
comes; the umpire's view says what was skipped.  A card written on the spot is refused instead,
so that the umpire can correct it.

The rules never release an inject by themselves: the server releases those due
(`injects_due`) when a movement turn begins, as logged `Inject` commands.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

from game.rules import facts
from game.rules.agreements import PROPOSED, REJECTED, SUPERSEDED, Agreement
from game.rules.board import Board, territory_of
from game.rules.checks import suggest
from game.rules.commands import Inject
from game.rules.diplomacy import Diplomacy
from game.rules.errors import (
    AlreadyReleased,
    BadPlacement,
    NoUnit,
    UnknownAgreement,
    UnknownInject,
    UnknownState,
    UnknownTerritory,
    WrongStatus,
)
from game.rules.knowledge import ALL, UMPIRE, Audience, audience_of
from game.rules.scenario import (
    Effect,
    InjectAudience,
    InjectCard,
    InjectSpec,
    LegitimacyEffect,
    PlaceUnitEffect,
    RemoveUnitEffect,
    RevealAgreementEffect,
    Scenario,
    TreasuryEffect,
)
from game.rules.units import Unit

Event = dict[str, Any]


class InjectedGame(Protocol):
    """What an inject reads and changes of a game (the rules' Game is one): named here, so that this
    module need not import the game that applies it."""

    @property
    def scenario(self) -> Scenario: ...
    @property
    def board(self) -> Board: ...
    @property
    def state_ids(self) -> tuple[str, ...]: ...
    @property
    def turn(self) -> int: ...
    @property
    def phase(self) -> str | None: ...
    @property
    def units(self) -> dict[str, Unit]: ...
    @property
    def treasury(self) -> dict[str, int]: ...
    @property
    def released(self) -> dict[str, Release]: ...
    @property
    def diplomacy(self) -> Diplomacy: ...


@dataclass(frozen=True, slots=True)
class Release:
    """One inject released in a game: the umpire's record of it."""

    id: str
    title: str
    turn: int
    phase: str | None
    prepared: bool
    audience: Audience
    skipped: tuple[str, ...]
    """Effects of a prepared inject that the board no longer allowed, and why."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "turn": self.turn,
            "phase": self.phase,
            "prepared": self.prepared,
            "audience": self.audience if self.audience == ALL else list(self.audience),
            "skipped": list(self.skipped),
        }


def injects_due(scenario: Scenario, turn: int, released: Collection[str]) -> list[InjectSpec]:
    """The prepared injects to release when movement turn `turn` begins: those whose turn has come
    (at or before `turn`, so one missed is not lost) and that are not yet released, earliest first
    and otherwise in the scenario's order."""
    due = [s for s in scenario.injects if s.turn is not None and s.turn <= turn and s.id not in released]
    return sorted(due, key=lambda s: s.turn or 0)


def prepared_inject(scenario: Scenario, ref: str) -> InjectSpec:
    """The scenario's prepared inject with this id; UnknownInject if there is none."""
    for spec in scenario.injects:
        if spec.id == ref:
            return spec
    ids = [s.id for s in scenario.injects]
    hint = suggest(ref, ids, "its injects") if ids else "; it has no prepared injects"
    raise UnknownInject(f"the scenario has no inject {ref!r}{hint}")


def apply_inject(game: InjectedGame, command: Inject) -> list[Event]:
    """Release an inject: check every effect, then apply them all and return the facts, the card first."""
    if command.inject is not None:
        spec = prepared_inject(game.scenario, command.inject)
        if spec.id in game.released:
            raise AlreadyReleased(
                f"inject {spec.id!r} was already released, on turn {game.released[spec.id].turn}"
            )
        card, ref, prepared = spec.card(), spec.id, True
    else:
        assert command.card is not None  # the command's own validator: one of the two
        card, ref, prepared = command.card, "", False
    audience = _audience(game, card.audience)
    plan = _Plan(game, lenient=prepared)
    for number, effect in enumerate(card.effects, 1):
        plan.check(number, effect)
    # Nothing has changed so far; from here nothing is refused.
    if not ref:
        ref = game.diplomacy.new_id("inj", UMPIRE)
    events = _carry_out(game, ref, card, audience, plan)
    game.released[ref] = Release(
        ref, card.title, game.turn, game.phase, prepared, audience, tuple(plan.skipped)
    )
    return events


def injects_view(game: InjectedGame) -> dict[str, Any]:
    """The umpire's list of injects: every prepared one (with the turn it was released, if it was)
    and every one released so far, prepared or written on the spot."""
    return {
        "prepared": [
            {
                **spec.model_dump(mode="json"),
                "released_turn": game.released[spec.id].turn if spec.id in game.released else None,
            }
            for spec in game.scenario.injects
        ],
        "released": [r.to_json() for r in game.released.values()],
    }


# --- checking --------------------------------------------------------------------------------------------


def _audience(game: InjectedGame, audience: InjectAudience) -> Audience:
    if audience == ALL:
        return ALL
    for state in audience:
        _known_state(game, state, "the card's audience")
    return audience_of(audience)


def _known_state(game: InjectedGame, state: str, where: str) -> None:
    if state not in game.state_ids:
        raise UnknownState(f"{where}: unknown state {state!r}{suggest(state, game.state_ids, 'states')}")


@dataclass(frozen=True, slots=True)
class _Step:
    effect: Effect
    unit: Unit | None = None  # placed, or removed
    agreement: Agreement | None = None  # revealed


class _Plan:
    """The effects of one card checked in order against the board as the earlier ones leave it."""

    def __init__(self, game: InjectedGame, lenient: bool) -> None:
        self.game = game
        self.lenient = lenient
        self.units = dict(game.units)  # the board as the effects checked so far leave it
        self.revealed: set[str] = set()
        self.steps: list[_Step] = []
        self.skipped: list[str] = []

    def blocked(self, where: str, error: type[NoUnit | BadPlacement | WrongStatus], reason: str) -> None:
        """Something play has changed: a prepared inject skips the effect, a card written now is refused."""
        if not self.lenient:
            raise error(f"{where}: {reason}")
        self.skipped.append(f"{where}: {reason}")

    def check(self, number: int, effect: Effect) -> None:
        where = f"effect {number} ({effect.kind})"
        game = self.game
        if isinstance(effect, LegitimacyEffect | TreasuryEffect):
            _known_state(game, effect.state, where)
            self.steps.append(_Step(effect))
        elif isinstance(effect, PlaceUnitEffect):
            _known_state(game, effect.state, where)
            territory = self._territory(effect.at, where)
            self._can_stand(effect.type, effect.at, where)
            there = self.units.get(territory)
            if there is not None:
                self.blocked(
                    where, BadPlacement, f"{territory!r} is taken: {there.text} of {there.state} stands there"
                )
                return
            unit = Unit(effect.state, effect.type, effect.at)
            self.units[territory] = unit
            self.steps.append(_Step(effect, unit=unit))
        elif isinstance(effect, RemoveUnitEffect):
            territory = self._territory(effect.at, where)
            gone = self.units.pop(territory, None)
            if gone is None:
                self.blocked(where, NoUnit, f"no unit stands in {territory!r}")
                return
            self.steps.append(_Step(effect, unit=gone))
        else:
            assert isinstance(effect, RevealAgreementEffect)
            agreement = self._agreement(effect.agreement, where)
            if agreement.id in self.revealed or not game.diplomacy.has_secret(agreement):
                self.blocked(
                    where,
                    WrongStatus,
                    f"{agreement.id} ({agreement.title}) has nothing secret left to reveal",
                )
                return
            self.revealed.add(agreement.id)
            self.steps.append(_Step(effect, agreement=agreement))

    def _territory(self, location: str, where: str) -> str:
        territory = territory_of(location)
        territories = self.game.board.territories
        if territory not in territories:
            raise UnknownTerritory(
                f"{where}: unknown territory {territory!r}{suggest(territory, territories, 'territories')}"
            )
        return territory

    def _can_stand(self, unit_type: str, location: str, where: str) -> None:
        board = self.game.board
        territory, slash, coast = location.partition("/")
        info = board.territories[territory]
        coasts = ", ".join(f"{territory}/{c}" for c in info.coasts)
        if unit_type == "army":
            if info.kind == "sea":
                raise BadPlacement(f"{where}: an army cannot stand on {territory!r}: it is sea")
            if slash:
                raise BadPlacement(
                    f"{where}: an army stands on the territory, not a coast: write {territory!r}"
                )
        else:
            if info.kind == "land":
                raise BadPlacement(f"{where}: a fleet cannot stand on {territory!r}: it is land")
            if slash and coast not in info.coasts:
                known = f"one of {coasts}" if coasts else f"just {territory!r}"
                raise BadPlacement(f"{where}: {territory!r} has no coast {coast!r}: write {known}")
            if info.coasts and not slash:
                raise BadPlacement(f"{where}: a fleet in {territory!r} must name its coast: one of {coasts}")
        assert board.unit_can_stand(unit_type, location)

    def _agreement(self, ref: str, where: str) -> Agreement:
        d = self.game.diplomacy
        agreement = d.agreements.get(ref) or d.by_name(ref)
        if agreement is None:
            raise UnknownAgreement(f"{where}: no agreement {ref!r} in this game")
        if agreement.status in (PROPOSED, REJECTED, SUPERSEDED):
            raise WrongStatus(
                f"{where}: {agreement.id} was never in force ({agreement.status}): there is nothing to reveal"
            )
        return agreement


# --- applying ----------------------------------------------------------------------------------------------


def _carry_out(
    game: InjectedGame, ref: str, card: InjectCard, audience: Audience, plan: _Plan
) -> list[Event]:
    d = game.diplomacy
    told: list[Event] = []
    applied: list[tuple[dict[str, Any], Audience]] = []  # each effect as applied, with who may know it
    revealed: list[Agreement] = []
    lowered: set[str] = set()  # states whose legitimacy this card lowered
    for step in plan.steps:
        effect = step.effect
        if isinstance(effect, LegitimacyEffect):
            before = d.legitimacy[effect.state]
            d.legitimacy[effect.state] = now = max(0, min(100, before + effect.delta))
            if now < before:
                lowered.add(effect.state)
            applied.append(({"kind": effect.kind, "state": effect.state, "delta": now - before}, ALL))
            told.append(
                facts.LegitimacyChanged(
                    state=effect.state, delta=now - before, legitimacy=now, audience=ALL
                ).event()
            )
        elif isinstance(effect, TreasuryEffect):
            before = game.treasury[effect.state]
            game.treasury[effect.state] = now = max(0, before + effect.delta)
            mine = (effect.state,)
            applied.append(({"kind": effect.kind, "state": effect.state, "delta": now - before}, mine))
            told.append(
                facts.TreasuryChanged(
                    state=effect.state, delta=now - before, treasury=now, audience=mine
                ).event()
            )
        elif isinstance(effect, PlaceUnitEffect):
            unit = step.unit
            assert unit is not None
            game.units[unit.territory] = unit
            applied.append(
                ({"kind": effect.kind, "state": unit.state, "type": unit.type, "at": unit.location}, ALL)
            )
            told.append(
                facts.UnitPlaced(state=unit.state, unit=unit.type, at=unit.location, audience=ALL).event()
            )
        elif isinstance(effect, RemoveUnitEffect):
            unit = step.unit
            assert unit is not None
            del game.units[unit.territory]
            applied.append(
                ({"kind": effect.kind, "state": unit.state, "type": unit.type, "at": unit.location}, ALL)
            )
            told.append(
                facts.UnitRemoved(state=unit.state, unit=unit.type, at=unit.location, audience=ALL).event()
            )
        else:
            assert step.agreement is not None
            revealed.append(step.agreement)
            # By its game id, which the exposé makes public; the scenario's name for it is the umpire's.
            applied.append(({"kind": effect.kind, "agreement": step.agreement.id}, ALL))
    shown = [effect for effect, who in applied if _covers(who, audience)]
    card_fact = facts.InjectReleased(
        id=ref, title=card.title, text=card.text, effects=shown, audience=audience
    )
    # Exposés bring their consequences as a leak's do; a government this card pushed below its
    # threshold falls (one already below it waits for the turn's consequences, as it would anyway).
    return [card_fact.event(), *told, *d.reveal(revealed, "inject", game.turn), *d.shaken(lowered, game.turn)]


def _covers(effect: Audience, card: Audience) -> bool:
    """Whether everyone a card is told to may know of an effect."""
    if effect == ALL:
        return True
    return card != ALL and set(card) <= set(effect)

"""Consequences: how exposure, war and public answers move legitimacy and trust, and when governments fall.

An exposed agreement costs each party legitimacy by its credibility gap (game/rules/leaks.py
works the gap out) and the trust of the states it targets; a party may deny a rumour or justify
an exposé in public; a year's gains and losses of supply centres move legitimacy; and a
government whose legitimacy falls below its threshold falls, its secret agreements lapsing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from game.rules import facts
from game.rules.agreements import ACTIVE, EXPOSED, LAPSED, PROPOSED, RUMOUR, Agreement
from game.rules.commands import AgreementAct
from game.rules.diplomacy_data import CommandContext, DiplomacyData, Event, clamp
from game.rules.errors import AlreadyDone, WrongStatus
from game.rules.knowledge import ALL
from game.rules.leaks import credibility_gap


def exposed(d: DiplomacyData, agreements: list[Agreement], turn: int) -> list[Event]:
    """Step 5: legitimacy by credibility gap, trust of the targeted states, falling governments."""
    events: list[Event] = []
    c = d.constants.consequences
    # Each party's partners in public agreements in force, from its own agreements (not all ever
    # made), worked out once before any exposé of this step is counted.
    partners: dict[str, set[str]] = {}
    for party in {p for a in agreements for p in a.parties}:
        mine: set[str] = set()
        for other in d.by_party[party]:
            if other.status == ACTIVE and not other.secret:
                mine.update(other.parties)
        partners[party] = mine
    for a in agreements:
        targets = a.targets()
        for party in a.parties:
            public_partners = partners[party]
            statements = sum(
                1
                for m in d.messages
                if m["from"] == party
                and m["audience"] == ALL
                and any(t in m["text"].lower() or _name(d, t) in m["text"].lower() for t in targets)
            )
            gap = credibility_gap(a, party, public_partners, statements)
            loss = round(c.legitimacy_exposure * c.regime_factor.get(d.regimes[party], 1.0) * gap)
            d.legitimacy[party] = clamp(d.legitimacy[party] - loss)
            d.exposure_loss[(a.id, party)] = loss
            d.conduct[party]["exposed"] += 1
            events.append(
                facts.Backlash(
                    agreement=a.id,
                    state=party,
                    credibility_gap=round(gap, 2),
                    legitimacy_lost=loss,
                    legitimacy=d.legitimacy[party],
                    audience=ALL,
                ).event()
            )
            for t in sorted(targets):
                d.adjust_trust(t, party, -c.trust_exposed_target)
    events.extend(falls(d, d.states, turn))
    return events


def _name(d: DiplomacyData, state: str) -> str:
    return d.scenario.state(state).name.lower()


def falls(d: DiplomacyData, states: Collection[str], turn: int) -> list[Event]:
    """The governments among `states` whose legitimacy is below their threshold fall (in the
    scenario's order of states)."""
    events: list[Event] = []
    for state in d.states:
        if state in states and d.legitimacy[state] < d.thresholds[state]:
            events.extend(_fall(d, state, turn))
    return events


def _fall(d: DiplomacyData, state: str, turn: int) -> list[Event]:
    lapsed = []
    for a in d.by_party[state]:
        if a.status in (ACTIVE, PROPOSED) and a.secret:
            a.status = LAPSED
            a.end_turn = turn
            lapsed.append(a.id)
    d.legitimacy[state] = clamp(d.thresholds[state] + 25)
    d.fallen.append((turn, state))
    events: list[Event] = [
        facts.GovernmentFell(state=state, legitimacy=d.legitimacy[state], audience=ALL).event()
    ]
    for ref in lapsed:
        events.append(
            facts.AgreementLapsed(
                agreement=ref, state=state, audience=d.agreements[ref].event_audience()
            ).event()
        )
    return events


def war_results(d: DiplomacyData, supply_before: Mapping[str, int], supply_after: Mapping[str, int]) -> None:
    """At the year's end, legitimacy follows the supply centres won and lost."""
    c = d.constants.consequences
    for state in d.states:
        change = supply_after.get(state, 0) - supply_before.get(state, 0)
        if change:
            delta = change * (c.legitimacy_supply_gain if change > 0 else c.legitimacy_supply_loss)
            d.legitimacy[state] = clamp(d.legitimacy[state] + delta)


def deny(d: DiplomacyData, command: AgreementAct, at: CommandContext) -> list[Event]:
    """A party denies a rumour in public (which widens its credibility gap if the agreement is exposed)."""
    a = d.party_agreement(command.agreement, command.state, command.kind)
    if a.leak_level != RUMOUR:
        raise WrongStatus(f"{a.id} is not a rumour; there is nothing public to deny")
    a.denied_by.append(command.state)
    return [facts.Denial(agreement=a.id, state=command.state, parties=list(a.parties), audience=ALL).event()]


def justify(d: DiplomacyData, command: AgreementAct, at: CommandContext) -> list[Event]:
    """A party justifies an exposed agreement in public and regains part of the legitimacy it lost."""
    state = command.state
    a = d.party_agreement(command.agreement, command.state, command.kind)
    if a.leak_level != EXPOSED:
        raise WrongStatus(f"{a.id} has not been exposed; there is nothing to justify")
    if state in a.justified_by:
        raise AlreadyDone(f"{state} has already justified {a.id}")
    a.justified_by.append(state)
    lost = d.exposure_loss.get((a.id, state), 0)
    regained = round(lost * (1 - d.constants.consequences.justification_factor))
    d.legitimacy[state] = clamp(d.legitimacy[state] + regained)
    return [
        facts.Justification(agreement=a.id, state=state, legitimacy_regained=regained, audience=ALL).event()
    ]

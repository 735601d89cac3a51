"""Intelligence: investigations, intercepts and propaganda, ordered in the movement phase and
carried out at the turn's resolution (step 3), each paid from the treasury then.

An investigation may discover a secret agreement of its target; an intercept reads some of the
target's private messages of the turn; propaganda buys legitimacy at home.  What is learned is
shared with the state's intelligence partners, and spying on such a partner breaches the pact.
"""

from __future__ import annotations

from game.rules import facts
from game.rules.action_costs import action_cost, ordered_cost
from game.rules.agreements import ACTIVE
from game.rules.betrayal import breach
from game.rules.breaches import Breach
from game.rules.clauses import IntelligenceSharing
from game.rules.commands import Action
from game.rules.diplomacy_data import CommandContext, DiplomacyData, Event, clamp, clauses_json
from game.rules.errors import AlreadyDone, BadTerms, TreasuryShort, WrongPhase
from game.rules.knowledge import ALL, audience_of
from game.rules.rng import Rng


def order_action(d: DiplomacyData, command: Action, at: CommandContext) -> list[Event]:
    """Order an action for this turn's resolution, if the treasury can pay for it with the rest."""
    if at.phase != "movement":
        raise WrongPhase("actions are ordered in the movement phase")
    if command.kind in ("investigate", "intercept"):
        if command.target is None:
            raise BadTerms(f"{command.kind} needs a target state")
        d.known_state(command.target)
        if command.target == command.state:
            raise BadTerms(f"a state cannot {command.kind} itself")
    elif command.target is not None:
        raise BadTerms("propaganda has no target")
    if (command.kind, command.state, command.target) in d.actions:
        raise AlreadyDone(f"{command.state} has already ordered that {command.kind} this turn")
    prices = d.constants.intelligence
    cost = action_cost(command.kind, prices)
    if ordered_cost(d.actions, command.state, prices) + cost > at.treasury[command.state]:
        raise TreasuryShort(f"{command.kind} costs {cost}; {command.state}'s treasury cannot pay for it")
    d.actions.append((command.kind, command.state, command.target))
    return []


def intelligence(d: DiplomacyData, turn: int, treasury: dict[str, int]) -> list[Event]:
    """Step 3: investigations, intercepts and propaganda ordered this turn, paid now."""
    events: list[Event] = []
    prices = d.constants.intelligence
    # In a fixed order, each with its own roll: the outcome never depends on who ordered first.
    for kind, state, target in sorted(d.actions, key=lambda action: (action[0], action[1], action[2] or "")):
        cost = action_cost(kind, prices)
        if treasury[state] < cost:
            events.append(
                facts.ActionFailed(
                    state=state, action=kind, reason="treasury empty", audience=(state,)
                ).event()
            )
            continue
        treasury[state] -= cost
        if kind == "propaganda":
            d.legitimacy[state] = clamp(d.legitimacy[state] + prices.propaganda_gain)
            events.append(facts.Propaganda(state=state, legitimacy=d.legitimacy[state], audience=ALL).event())
            continue
        assert target is not None
        events.extend(_spied_on_partner(d, state, target, turn))
        rng = Rng(d.seed, turn, f"{kind}/{state}/{target}")
        if kind == "investigate":
            events.extend(_investigate(d, state, target, rng))
        else:
            events.extend(_intercept(d, state, target, turn, rng))
    return events


def _sharing_partners(d: DiplomacyData, state: str) -> set[str]:
    partners: set[str] = set()
    for a in d.by_party[state]:
        if a.status == ACTIVE and any(isinstance(c, IntelligenceSharing) for _, c, _ in a.all_clauses()):
            partners |= set(a.parties)
    partners.discard(state)
    return partners


def _spied_on_partner(d: DiplomacyData, state: str, target: str, turn: int) -> list[Event]:
    for a in list(d.by_party[state]):
        if a.status != ACTIVE or target not in a.parties:
            continue
        for index, clause, in_annex in a.all_clauses():
            if isinstance(clause, IntelligenceSharing):
                found = Breach(state, (target,), f"{state} spied on its intelligence partner {target}")
                return breach(d, a, index, in_annex, found, turn)
    return []


def _investigate(d: DiplomacyData, state: str, target: str, rng: Rng) -> list[Event]:
    # A party's own agreements (`by_party`, in the order they were made, as `d.agreements`), not all.
    for a in d.by_party[target]:
        if a.status == ACTIVE and d.has_secret(a):
            a.investigations += 1
            d.investigated.append(a)
    if not rng.chance(d.constants.intelligence.investigate_chance):
        return [facts.Investigation(state=state, target=target, found=False, audience=(state,)).event()]
    hidden = [
        a
        for a in d.by_party[target]
        if a.status == ACTIVE
        and state not in a.parties
        and (state not in a.known_by or (a.annex and state not in a.annex_known_by))
        and d.has_secret(a)
    ]
    if not hidden:
        return [facts.Investigation(state=state, target=target, found=False, audience=(state,)).event()]
    found = rng.choice(hidden)
    learners = {state} | _sharing_partners(d, state)
    found.known_by |= learners
    found.annex_known_by |= learners
    return [
        facts.AgreementDiscovered(
            agreement=found.id,
            by=state,
            target=target,
            parties=list(found.parties),
            clauses=clauses_json(found, True),
            audience=audience_of(learners),
        ).event()
    ]


def _intercept(d: DiplomacyData, state: str, target: str, turn: int, rng: Rng) -> list[Event]:
    if not rng.chance(d.constants.intelligence.intercept_chance):
        return [facts.Interception(state=state, target=target, read=0, audience=(state,)).event()]
    candidates = [
        m
        for m in d.messages
        if m["turn"] == turn
        and m["audience"] != ALL
        and target in m["audience"]
        and state not in m["audience"]
    ]
    rng.shuffle(candidates)
    learners = {state} | _sharing_partners(d, state)
    events: list[Event] = []
    for m in candidates[: d.constants.intelligence.intercept_messages]:
        m["audience"] = audience_of([*m["audience"], *learners])
        events.append(
            facts.MessageIntercepted(
                by=state,
                target=target,
                message=m["id"],
                from_=m["from"],
                to=m["to"],
                text=m["text"],
                audience=audience_of(learners),
            ).event()
        )
    if not events:
        events.append(facts.Interception(state=state, target=target, read=0, audience=(state,)).event())
    return events

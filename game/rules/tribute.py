"""Tribute and payments: money paid between states at once, and tribute clauses due each year.

A payment moves treasury from one state to another and is told to both; what a payer paid a
payee in the year counts towards any tribute it promised, and at the year's end a tribute not
paid in full is a breach of its agreement.
"""

from __future__ import annotations

from game.rules import facts
from game.rules.action_costs import ordered_cost
from game.rules.agreements import ACTIVE
from game.rules.betrayal import breach
from game.rules.breaches import Breach
from game.rules.clauses import Tribute
from game.rules.commands import Pay
from game.rules.diplomacy_data import CommandContext, DiplomacyData, Event
from game.rules.errors import BadTerms, TreasuryShort
from game.rules.knowledge import audience_of


def pay(d: DiplomacyData, command: Pay, at: CommandContext) -> list[Event]:
    """Pay at once, from what the treasury holds beyond the actions already ordered this turn."""
    treasury = at.treasury
    d.known_state(command.to)
    if command.to == command.state:
        raise BadTerms("a state cannot pay itself")
    if (
        command.amount + ordered_cost(d.actions, command.state, d.constants.intelligence)
        > treasury[command.state]
    ):
        raise TreasuryShort(
            f"{command.state}'s treasury holds {treasury[command.state]}, not enough to pay {command.amount}"
        )
    treasury[command.state] -= command.amount
    treasury[command.to] += command.amount
    key = (command.state, command.to)
    d.paid[key] = d.paid.get(key, 0) + command.amount
    return [
        facts.Payment(
            state=command.state,
            to=command.to,
            amount=command.amount,
            audience=audience_of([command.state, command.to]),
        ).event()
    ]


def tribute_due(d: DiplomacyData, turn: int) -> list[Event]:
    """At the year's end: each agreement whose tribute was not paid in full is breached (its first
    such clause), and the year's payments start again from nothing."""
    events: list[Event] = []
    for a in list(d.agreements.values()):
        if a.status != ACTIVE:
            continue
        for index, clause, in_annex in a.all_clauses():
            if isinstance(clause, Tribute) and d.paid.get((clause.payer, clause.payee), 0) < clause.amount:
                paid = d.paid.get((clause.payer, clause.payee), 0)
                found = Breach(
                    clause.payer,
                    (clause.payee,),
                    f"{clause.payer} paid {clause.payee} {paid} of the {clause.amount} due this year",
                )
                events.extend(breach(d, a, index, in_annex, found, turn))
                break
    d.paid = {}
    return events

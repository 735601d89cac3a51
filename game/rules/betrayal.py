"""Betrayal: breaches applied, and what they cost the breaker.

game/rules/breaches.py finds which clauses the turn's orders broke; this module applies each
breach found (step 2 of a turn's resolution), a free-text clause declared breached by a party,
and the breaches that intelligence and unpaid tribute commit: the agreement ends, those who
knew the broken clause learn it, and trust, reputation and legitimacy fall.
"""

from __future__ import annotations

from game.rules import facts
from game.rules.agreements import ACTIVE, BREACHED, Agreement
from game.rules.breaches import Breach, TurnFacts, check_clause
from game.rules.clauses import FreeText
from game.rules.commands import DeclareBreach
from game.rules.diplomacy_data import CommandContext, DiplomacyData, Event, clamp
from game.rules.errors import BadTerms, NotAParty, WrongStatus
from game.rules.knowledge import ALL, visible


def check_breaches(d: DiplomacyData, turn_facts: TurnFacts) -> list[Event]:
    """Step 2: every active agreement against the turn's orders and results; attacks move trust."""
    events: list[Event] = []
    loss = d.constants.consequences.trust_attack
    for (attacker, victim), attacks in sorted(turn_facts.attacks_by_pair.items()):
        if any(a.succeeded for a in attacks):
            d.adjust_trust(victim, attacker, -loss)
        if attacker in d.trust and victim in d.trust:
            pair = (attacker, victim) if attacker < victim else (victim, attacker)
            d.wars.add(pair)
    candidates = watched_clauses(d, turn_facts)
    for number, index in sorted(candidates):
        a = candidates[number, index]
        if a.status != ACTIVE:
            continue  # already breached by an earlier clause this turn
        _, clause, in_annex = a.all_clauses()[index]
        found = check_clause(clause, a.parties, turn_facts, a.start_turn or turn_facts.turn)
        if found:
            events.extend(breach(d, a, index, in_annex, found[0], turn_facts.turn, more=found[1:]))
    if len(d.watch) > 4 * len(d.agreements) + 1000:
        _prune_watch(d)
    return events


def watched_clauses(d: DiplomacyData, turn_facts: TurnFacts) -> dict[tuple[int, int], Agreement]:
    """The clauses of active agreements that something this turn could have breached, as
    (agreement number, clause index) -> agreement: those watching a key of the turn's facts."""
    later = d.watch_later
    if later:
        watch = d.watch
        for turn in [t for t in later if t <= turn_facts.turn]:
            for key, entry in later.pop(turn):
                watch.setdefault(key, []).append(entry)
    candidates: dict[tuple[int, int], Agreement] = {}
    watch = d.watch
    if watch:
        turn_facts.add_undefended_keys()
    for key in watch.keys() & turn_facts.keys:  # the smaller side is walked
        for number, index, a in watch[key]:
            if a.status == ACTIVE:
                candidates[number, index] = a
    return candidates


def _prune_watch(d: DiplomacyData) -> None:
    """Drop watch entries of agreements that have ended."""
    d.watch = {k: kept for k, v in d.watch.items() if (kept := [e for e in v if e[2].status == ACTIVE])}


def declare_breach(d: DiplomacyData, command: DeclareBreach, at: CommandContext) -> list[Event]:
    """A party declares a free-text clause breached: the only way such a clause is breached."""
    a = d.known_agreement(command.agreement, command.state)
    if command.state not in a.parties:
        raise NotAParty(f"only a party to {a.id} can declare it breached")
    if a.status != ACTIVE:
        raise WrongStatus(
            f"only an active agreement can be declared breached; {a.id} is {d.seen_status(a, command.state)}"
        )
    clauses = a.all_clauses()
    if command.clause >= len(clauses):
        raise BadTerms(f"{a.id} has no clause {command.clause}")
    _, clause, in_annex = clauses[command.clause]
    if not isinstance(clause, FreeText):
        raise BadTerms(
            "only a free-text clause is breached by declaration; the others are checked by the umpire"
        )
    if command.breaker not in a.parties:
        raise NotAParty(f"{command.breaker} is not a party to {a.id}")
    others = tuple(p for p in a.parties if p != command.breaker)
    found = Breach(command.breaker, others, f"declared by {command.state}: {clause.text}")
    return breach(d, a, command.clause, in_annex, found, at.turn)


def breach(
    d: DiplomacyData,
    a: Agreement,
    index: int,
    in_annex: bool,
    found: Breach,
    turn: int,
    more: list[Breach] | None = None,
) -> list[Event]:
    """Clause `index` of `a` is broken: the agreement ends, and its breaker pays for it."""
    if in_annex and a.annex_audience() != ALL and a.outside_status is None:
        # Broken through its secret annex: to those who do not know the annex, the public
        # agreement has not visibly changed.
        a.outside_status = a.status
    a.status = BREACHED
    a.end_turn = turn
    clause = a.all_clauses()[index][1]
    kind: str = getattr(clause, "kind", "clause")
    # Those who knew the broken clause learn the breach with its evidence: the parties, the
    # intermediary, discoverers.  A state the clause protected but that never knew of it sees
    # only what it sees anyway (the order and its result on the map) until the agreement leaks
    # or is discovered: a breach told to it would tell it the secret.
    audience = a.annex_audience() if in_annex else a.event_audience()
    told = facts.AgreementBreached(
        agreement=a.id,
        breaker=found.breaker,
        protected=list(found.protected),
        clause=index,
        clause_kind=kind,
        evidence=found.evidence,
        order=found.order,
        more=[m.evidence for m in (more or [])],
        audience=audience,
    ).event()
    a.breaches.append(told)
    c = d.constants.consequences
    for p in found.protected:
        # Trust moved by a fact one does not know would tell it: an unknowing victim's trust falls
        # only by the attack itself (check_breaches), as for any attack.
        if visible(audience, p):
            d.adjust_trust(p, found.breaker, -c.trust_breach_victim)
    witnesses = d.states if audience == ALL else audience
    loss = c.trust_breach_witness
    breaker, protected, trust = found.breaker, found.protected, d.trust
    for s in witnesses:
        if s != breaker and s not in protected:
            row = trust[s]
            left = row[breaker] - loss
            row[breaker] = left if left > 0 else 0
    if audience == ALL:
        d.conduct[found.breaker]["breached"] += 1
        d.legitimacy[found.breaker] = clamp(d.legitimacy[found.breaker] - c.legitimacy_breach)
    return [told]

"""Leaks in play: deliberate leaks, the turn's seeded leak rolls (step 4), and exposés.

game/rules/leaks.py says how likely a secret is to leak and how wide the credibility gap is;
this module decides, each turn, which secrets do leak (a rumour first, then an exposé), carries
out the leaks states ordered, and exposes agreements at once for the umpire's injects; every
exposé brings its consequences (game/rules/consequences.py).
"""

from __future__ import annotations

from game.rules import facts
from game.rules.agreements import ACTIVE, EXPOSED, NONE, RUMOUR, Agreement
from game.rules.commands import AgreementAct
from game.rules.consequences import exposed
from game.rules.diplomacy_data import CommandContext, DiplomacyData, Event, clauses_json
from game.rules.errors import AlreadyDone, WrongStatus
from game.rules.knowledge import ALL
from game.rules.leaks import leak_chance, leak_chance_bound
from game.rules.rng import roll_below, roll_of, roll_words


def plan_leak(d: DiplomacyData, command: AgreementAct, at: CommandContext) -> list[Event]:
    """A party, or a state that discovered it, leaks an agreement's secret at this turn's resolution."""
    state = command.state
    a = d.known_agreement(command.agreement, state)
    # First what the state knows: one that cannot read a public agreement's annex may not
    # learn from the answer whether the annex was since breached or exposed.
    if not a.secret and state not in a.annex_known_by:
        raise WrongStatus(f"{state} knows no secret of {a.id} to leak")
    if a.status != ACTIVE or not d.has_secret(a):
        raise WrongStatus(f"{a.id} has no secret left to leak")
    if (state, a.id) in d.deliberate_leaks:
        raise AlreadyDone(f"{state} is already leaking {a.id} this turn")
    d.deliberate_leaks.append((state, a.id))
    return [facts.LeakPlanned(agreement=a.id, state=state, audience=(state,)).event()]


def leaks(d: DiplomacyData, turn: int) -> list[Event]:
    """Step 4: deliberate leaks, then the seeded roll for every secret still kept; then the
    consequences of every exposé (step 5)."""
    events: list[Event] = []
    exposed_now: list[Agreement] = []
    for state, ref in d.deliberate_leaks:
        a = d.agreements[ref]
        if a.status == ACTIVE and d.has_secret(a):
            events.append(expose(a, "deliberate"))
            events.append(facts.LeakDone(agreement=a.id, state=state, audience=(state,)).event())
            exposed_now.append(a)
    constants = d.constants.leaks
    bearing = d.secret_bearing
    # Each agreement's roll has its own stream, derived from its number: adding or removing another
    # agreement never changes it.  No chance this turn exceeds a bound worked out from the largest
    # unchanging part, the oldest secret and the most investigated (leak_chance_bound), so an
    # agreement whose roll is at or above it leaks nothing whatever its chance: only the others are
    # looked at (in the order they were signed, as events go out), their words compared without
    # making every roll a number.
    words = roll_words(d.seed, turn, "leaks", d.secret_seq_max + 1)
    most_investigated = max((a.investigations for a in d.investigated), default=0)
    age = turn - d.secret_since if d.secret_since is not None else 0
    bound = leak_chance_bound(d.leak_static_max, age, most_investigated, d.rumoured, constants)
    limit = roll_below(bound)
    done = {a.id for a in exposed_now}
    for a in [a for seq, a in bearing.items() if words[seq] < limit]:
        # Still active and still hiding something (`has_secret`, written out)?  If not, it is dropped
        # now: those never looked at again cost nothing but their place.
        if a.status != ACTIVE or not (
            (a.visibility == "secret" and a.leak_level != EXPOSED) or (a.annex and a.annex_audience() != ALL)
        ):
            del bearing[a.seq]
            continue
        if a.id in done:
            continue
        p = leak_chance(a, d.regimes, turn, constants)
        roll = roll_of(words[a.seq])
        if roll < p:
            if a.secret and a.leak_level == NONE:
                a.leak_level = RUMOUR
                d.rumoured = True
                events.append(
                    facts.AgreementLeaked(
                        agreement=a.id,
                        level=RUMOUR,
                        parties=list(a.parties),
                        chance=round(p, 4),
                        audience=ALL,
                    ).event()
                )
            else:
                events.append(expose(a, "leak", p))
                exposed_now.append(a)
    # This turn's investigations have counted: only the agreements they raised are cleared.
    for a in d.investigated:
        a.investigations = 0
    d.investigated = []
    d.deliberate_leaks = []
    d.actions = []
    return events + exposed(d, exposed_now, turn)


def expose(a: Agreement, how: str, chance: float | None = None) -> Event:
    """Everything of the agreement becomes public: the exposé everyone is told."""
    a.leak_level = EXPOSED
    return facts.AgreementLeaked(
        agreement=a.id,
        level=EXPOSED,
        parties=list(a.parties),
        visibility=a.visibility,
        clauses=clauses_json(a, True),
        how=how,
        chance=round(chance, 4) if chance is not None else None,
        audience=ALL,
    ).event()


def reveal(d: DiplomacyData, agreements: list[Agreement], how: str, turn: int) -> list[Event]:
    """Expose agreements at once, outside the turn's leak roll: each exposé is public, and its
    consequences follow as for any leak (backlash by credibility gap, the targets' trust, and
    the fall of every government whose legitimacy is now below its threshold)."""
    if not agreements:
        return []
    events = [expose(a, how) for a in agreements]
    return events + exposed(d, agreements, turn)

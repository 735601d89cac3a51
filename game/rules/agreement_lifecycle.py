"""An agreement's life: proposed, countered, signed into force, rejected, renounced, ratified, expired.

These are the commands and steps that move an agreement between statuses (game/rules/agreements.py
names them) and tell its insiders; what a breach, a leak or an exposé does to one lives with
betrayal, leaks and consequences.
"""

from __future__ import annotations

from game.rules import facts
from game.rules.agreements import (
    ACTIVE,
    EXPIRED,
    EXPOSED,
    PROPOSED,
    REJECTED,
    RENOUNCED,
    SUPERSEDED,
    Agreement,
)
from game.rules.breaches import later_watch_keys, watch_keys
from game.rules.clauses import (
    ClauseModel,
    SupportPromise,
    Tribute,
    clause_states,
    clause_territories,
    describe,
)
from game.rules.commands import AgreementAct, Counter, Propose
from game.rules.diplomacy_data import CommandContext, DiplomacyData, Event, clamp, clauses_json
from game.rules.errors import AlreadyDone, BadTerms, NotAParty, UnknownState, UnknownTerritory, WrongStatus
from game.rules.knowledge import ALL, audience_of
from game.rules.leaks import leak_chance


def check_terms(
    d: DiplomacyData,
    proposer: str,
    parties: tuple[str, ...],
    clauses: tuple[ClauseModel, ...],
    annex: tuple[ClauseModel, ...],
    visibility: str,
    intermediary: str | None,
) -> None:
    """Refuse terms the rules could not enforce: unknown states or places, promises by non-parties."""
    if len(set(parties)) != len(parties):
        raise BadTerms("a party is named twice")
    for p in parties:
        d.known_state(p)
    if proposer not in parties:
        raise BadTerms(f"the proposer {proposer} must be a party")
    if intermediary is not None:
        d.known_state(intermediary)
        if intermediary in parties:
            raise BadTerms("the intermediary cannot be a party")
    if annex and visibility != "public":
        raise BadTerms("only a public agreement has a secret annex; make the whole agreement secret instead")
    for clause in (*clauses, *annex):
        for s in clause_states(clause):
            if s not in d.trust:
                raise UnknownState(f"{describe(clause)}: unknown state {s!r}")
        for t in clause_territories(clause):
            if t not in d.board.territories:
                raise UnknownTerritory(f"{describe(clause)}: unknown territory {t!r}")
        if isinstance(clause, SupportPromise) and clause.by not in parties:
            raise BadTerms(f"{describe(clause)}: only a party can promise support")
        if isinstance(clause, Tribute) and (clause.payer not in parties or clause.payee == clause.payer):
            raise BadTerms(f"{describe(clause)}: the payer must be a party paying another state")


def new_agreement(
    d: DiplomacyData,
    proposer: str,
    parties: tuple[str, ...],
    clauses: tuple[ClauseModel, ...],
    annex: tuple[ClauseModel, ...],
    visibility: str,
    duration: int | None,
    intermediary: str | None,
    turn: int,
    title: str,
) -> Agreement:
    """A proposal signed by its proposer, known to its parties and intermediary."""
    ref = d.new_id("agr", proposer)
    agreement = Agreement(
        id=ref,
        seq=len(d.agreements) + 1,
        title=title or "Untitled agreement",
        proposer=proposer,
        parties=parties,
        clauses=clauses,
        annex=annex,
        visibility=visibility,
        duration=duration,
        intermediary=intermediary,
        proposed_turn=turn,
        signed=[proposer],
    )
    insiders = set(parties) | ({intermediary} if intermediary else set())
    agreement.known_by = set(insiders)
    agreement.annex_known_by = set(insiders)
    d.agreements[agreement.id] = agreement
    d.pending[agreement.seq] = agreement
    for p in parties:
        d.by_party[p].append(agreement)
    return agreement


def _proposal_event(agreement: Agreement) -> Event:
    return facts.AgreementProposed(
        agreement=agreement.id,
        by=agreement.proposer,
        parties=list(agreement.parties),
        visibility=agreement.visibility,
        counter_of=agreement.counter_of,
        audience=audience_of(agreement.known_by),
    ).event()


def propose(d: DiplomacyData, command: Propose, at: CommandContext) -> list[Event]:
    parties = tuple(command.parties)
    check_terms(
        d,
        command.state,
        parties,
        tuple(command.clauses),
        tuple(command.annex),
        command.visibility,
        command.intermediary,
    )
    agreement = new_agreement(
        d,
        command.state,
        parties,
        tuple(command.clauses),
        tuple(command.annex),
        command.visibility,
        command.duration,
        command.intermediary,
        at.turn,
        command.title,
    )
    return [_proposal_event(agreement)]


def counter(d: DiplomacyData, command: Counter, at: CommandContext) -> list[Event]:
    old = d.known_agreement(command.agreement, command.state)
    if old.status != PROPOSED:
        raise WrongStatus(f"{old.id} is {d.seen_status(old, command.state)}, not a proposal")
    if command.state not in old.parties:
        raise NotAParty(f"{command.state} is not a party to {old.id}")
    check_terms(
        d,
        command.state,
        old.parties,
        tuple(command.clauses),
        tuple(command.annex),
        command.visibility,
        old.intermediary,
    )
    new = new_agreement(
        d,
        command.state,
        old.parties,
        tuple(command.clauses),
        tuple(command.annex),
        command.visibility,
        command.duration,
        old.intermediary,
        at.turn,
        command.title or old.title,
    )
    new.counter_of = old.id
    old.status = SUPERSEDED
    return [_proposal_event(new)]


def sign(d: DiplomacyData, command: AgreementAct, at: CommandContext) -> list[Event]:
    state = command.state
    a = d.party_agreement(command.agreement, state, command.kind)
    if a.status != PROPOSED:
        raise WrongStatus(f"{a.id} is {d.seen_status(a, state)}; only a proposal can be signed")
    if state in a.signed:
        raise AlreadyDone(f"{state} has already signed {a.id}")
    a.signed.append(state)
    if set(a.signed) == set(a.parties):
        return activate(d, a, at.turn)
    return [facts.AgreementSignature(agreement=a.id, state=state, audience=audience_of(a.known_by)).event()]


def reject(d: DiplomacyData, command: AgreementAct, at: CommandContext) -> list[Event]:
    state = command.state
    a = d.party_agreement(command.agreement, state, command.kind)
    if a.status != PROPOSED:
        raise WrongStatus(f"{a.id} is {d.seen_status(a, state)}; only a proposal can be rejected")
    a.status = REJECTED
    return [facts.AgreementRejected(agreement=a.id, state=state, audience=audience_of(a.known_by)).event()]


def renounce(d: DiplomacyData, command: AgreementAct, at: CommandContext) -> list[Event]:
    state = command.state
    a = d.party_agreement(command.agreement, state, command.kind)
    if a.status != ACTIVE:
        raise WrongStatus(f"{a.id} is {d.seen_status(a, state)}; only an active agreement can be renounced")
    a.status = RENOUNCED
    a.end_turn = at.turn
    public = a.event_audience() == ALL
    if public:
        d.conduct[state]["renounced"] += 1
    for other in a.parties:
        if other != state:
            d.adjust_trust(other, state, -5)
    return [facts.AgreementRenounced(agreement=a.id, state=state, audience=a.event_audience()).event()]


def ratify(d: DiplomacyData, command: AgreementAct, at: CommandContext) -> list[Event]:
    """A party ratifies a secret agreement (or a public one's annex) in public; when every party has,
    nothing of it is secret any more, and each gains legitimacy."""
    state = command.state
    a = d.party_agreement(command.agreement, state, command.kind)
    if a.status != ACTIVE or (not a.secret and not (a.annex and a.leak_level != EXPOSED)):
        raise WrongStatus(f"{a.id} has nothing secret to ratify in public")
    if state in a.ratified_by:
        raise AlreadyDone(f"{state} has already ratified {a.id}")
    a.ratified_by.append(state)
    if set(a.ratified_by) != set(a.parties):
        return [
            facts.AgreementRatification(agreement=a.id, state=state, audience=audience_of(a.known_by)).event()
        ]
    a.visibility = "public"
    a.annex_known_by = set(d.states)
    gain = d.constants.consequences.legitimacy_ratify
    for p in a.parties:
        d.legitimacy[p] = clamp(d.legitimacy[p] + gain)
    return [
        facts.AgreementRatified(
            agreement=a.id, parties=list(a.parties), clauses=clauses_json(a, True), audience=ALL
        ).event()
    ]


def activate(d: DiplomacyData, a: Agreement, turn: int) -> list[Event]:
    """Every party has signed: the agreement is in force, watched for breaches, rolled for leaks."""
    a.status = ACTIVE
    d.pending.pop(a.seq, None)  # signed: no longer a proposal that could lapse
    a.start_turn = turn
    a.end_turn = turn + a.duration - 1 if a.duration else None
    if a.end_turn is not None:
        d.ending.setdefault(a.end_turn, []).append(a)
    number = a.number
    if a.secret or a.annex:
        d.secret_bearing[a.seq] = a
        leak_chance(a, d.regimes, turn, d.constants.leaks)  # fixes its unchanging part now
        d.leak_static_max = max(d.leak_static_max, a.leak_static or 0.0)
        d.secret_seq_max = max(d.secret_seq_max, a.seq)
        d.secret_since = turn if d.secret_since is None else min(d.secret_since, turn)
    for index, clause, _ in a.all_clauses():
        for key in watch_keys(clause, a.parties, turn):
            d.watch.setdefault(key, []).append((number, index, a))
        later = later_watch_keys(clause, a.parties)
        if later:
            d.watch_later.setdefault(turn + 1, []).extend((key, (number, index, a)) for key in later)
    events: list[Event] = [
        facts.AgreementSigned(
            agreement=a.id,
            parties=list(a.parties),
            visibility=a.visibility,
            title=a.title,
            clauses=clauses_json(a, False),
            audience=a.event_audience(),
        ).event()
    ]
    if a.annex:
        events.append(
            facts.AnnexSigned(
                agreement=a.id, annex=clauses_json(a, True)[len(a.clauses) :], audience=a.annex_audience()
            ).event()
        )
    if not a.secret:
        events.extend(_cut_across(d, a))
    return events


def _cut_across(d: DiplomacyData, public: Agreement) -> list[Event]:
    """A secret partner loses trust when its partner signs, in public, with a state their secret targets."""
    events: list[Event] = []
    loss = d.constants.consequences.trust_cut_across
    for partner in public.parties:
        for secret in d.by_party[partner]:
            if secret is public or secret.status != ACTIVE or not secret.secret:
                continue
            if not (secret.targets() & set(public.parties)):
                continue
            for other in secret.parties:
                if other != partner and other not in public.parties:
                    d.adjust_trust(other, partner, -loss)
                    events.append(
                        facts.TrustShaken(
                            agreement=secret.id,
                            state=other,
                            in_=partner,
                            because=public.id,
                            audience=(other,),
                        ).event()
                    )
    return events


def expire(d: DiplomacyData, turn: int) -> list[Event]:
    """Step 6: agreements whose time is up end as kept; proposals left unsigned lapse."""
    events: list[Event] = []
    gain = d.constants.consequences.trust_kept
    for a in due_to_end(d, turn):
        if a.status == ACTIVE and a.end_turn is not None and a.end_turn <= turn:
            a.status = EXPIRED
            for p in a.parties:
                for q in a.parties:
                    if p != q:
                        d.adjust_trust(p, q, gain)
                if a.event_audience() == ALL:
                    d.conduct[p]["kept"] += 1
            events.append(
                facts.AgreementExpired(agreement=a.id, kept=True, audience=a.event_audience()).event()
            )
        elif a.status == PROPOSED and turn - a.proposed_turn >= 1:
            # A proposal left unsigned for two turns (the one it was made in and the next) lapses.
            a.status = REJECTED
            events.append(
                facts.AgreementRejected(agreement=a.id, state=None, audience=audience_of(a.known_by)).event()
            )
    d.pending = {seq: a for seq, a in d.pending.items() if a.status == PROPOSED}
    return events


def due_to_end(d: DiplomacyData, turn: int) -> list[Agreement]:
    """What could end at `turn`, in the order the agreements were made (the order of `d.agreements`):
    those whose last turn has come, and the proposals still open; not every agreement ever made."""
    due = {a.seq: a for k in [k for k in d.ending if k <= turn] for a in d.ending.pop(k)}
    due.update((seq, a) for seq, a in d.pending.items() if a.status == PROPOSED)
    return [a for _, a in sorted(due.items())]

"""The diplomatic half of a game: agreements, press, intelligence, leaks, trust and legitimacy.

`Diplomacy` holds that state and applies the diplomatic commands; `Game` calls its
resolution steps in the order of DESIGN.md: after the units are adjudicated come
betrayal (breaches), intelligence, leaks, consequences and expiry.  Every fact it
produces carries an audience (`game.rules.knowledge`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from game.rules import facts
from game.rules.agreements import (
    ACTIVE,
    BREACHED,
    EXPIRED,
    EXPOSED,
    LAPSED,
    NONE,
    PROPOSED,
    REJECTED,
    RENOUNCED,
    RUMOUR,
    SUPERSEDED,
    Agreement,
)
from game.rules.asks import (
    AnyAsk,
    answer_sentence,
    ask_agreement,
    ask_sentence,
    ask_states,
    ask_territories,
    parse_ask,
)
from game.rules.board import Board
from game.rules.breaches import Breach, TurnFacts, check_clause, watch_keys
from game.rules.clauses import (
    ClauseModel,
    FreeText,
    IntelligenceSharing,
    SupportPromise,
    Tribute,
    clause_states,
    clause_territories,
    describe,
)
from game.rules.commands import (
    Action,
    AgreementAct,
    Counter,
    DeclareBreach,
    DiplomacyCommand,
    Pay,
    Press,
    Propose,
)
from game.rules.errors import (
    AlreadyDone,
    BadTerms,
    InvalidCommand,
    NotAParty,
    TreasuryShort,
    UnknownAgreement,
    UnknownMessage,
    UnknownState,
    UnknownTerritory,
    WrongPhase,
    WrongStatus,
)
from game.rules.knowledge import ALL, Audience, audience_of, visible
from game.rules.leaks import credibility_gap, leak_chance
from game.rules.rng import Rng, roll_table
from game.rules.scenario import Scenario

Event = dict[str, Any]


def _clamp(value: float) -> int:
    value = round(value)
    return 0 if value < 0 else 100 if value > 100 else value


class Diplomacy:
    """Agreements, messages, intelligence and standing of every state in one game."""

    def __init__(self, scenario: Scenario, board: Board, seed: int) -> None:
        self.scenario = scenario
        self.board = board
        self.seed = seed
        self.constants = scenario.rules
        self.states = tuple(s.id for s in scenario.states)
        self.regimes = {s.id: s.regime for s in scenario.states}
        self.thresholds = {s.id: s.legitimacy_threshold for s in scenario.states}
        self.agreements: dict[str, Agreement] = {}
        self.by_party: dict[str, list[Agreement]] = {s: [] for s in self.states}
        self.messages: list[dict[str, Any]] = []
        self.message_by_id: dict[str, dict[str, Any]] = {}
        self.marks: dict[str, str] = {}  # message id -> sincere | deceptive (debrief only)
        start = self.constants.consequences.trust_start
        self.trust: dict[str, dict[str, int]] = {a: {b: start for b in self.states if b != a} for a in self.states}
        for relation in scenario.relations:
            a, b = relation.between
            if a in self.trust and b in self.trust[a]:
                self.trust[a][b] = self.trust[b][a] = relation.trust
        self.legitimacy: dict[str, int] = {s.id: s.legitimacy for s in scenario.states}
        self.record: dict[str, dict[str, int]] = {
            s: {"kept": 0, "breached": 0, "exposed": 0, "renounced": 0} for s in self.states
        }
        self.actions: list[tuple[str, str, str | None]] = []  # kind, state, target (this turn)
        self.deliberate_leaks: list[tuple[str, str]] = []  # state, agreement id (this turn)
        self.paid: dict[tuple[str, str], int] = {}  # payer, payee -> paid this year
        self.exposure_loss: dict[tuple[str, str], int] = {}  # agreement, party -> legitimacy lost
        self.wars: set[tuple[str, str]] = set()  # pairs that fought (sorted)
        self.fallen: list[tuple[int, str]] = []
        # watch key -> (agreement number, clause index, agreement): the clauses a fact could breach
        self.watch: dict[tuple[str, ...], list[tuple[int, int, Agreement]]] = {}
        self._id_streams: dict[tuple[str, str], Rng] = {}
        self._used_ids: set[str] = set()
        self.secret_bearing: list[Agreement] = []  # active agreements with something secret: they roll for leaks
        for start_agreement in scenario.agreements:
            agreement = self._new(
                proposer=start_agreement.parties[0],
                parties=tuple(start_agreement.parties),
                clauses=tuple(start_agreement.clauses),
                annex=tuple(start_agreement.annex),
                visibility=start_agreement.visibility,
                duration=start_agreement.duration,
                intermediary=start_agreement.intermediary,
                turn=1,
                title=start_agreement.title,
            )
            agreement.name = start_agreement.id
            agreement.known_by |= set(start_agreement.known_by)
            agreement.signed = list(agreement.parties)
            self._activate(agreement, 1)

    def _fresh_id(self, prefix: str, author: str) -> str:
        """An id drawn from the author's own seeded stream: unique, replayable, and telling nothing
        of what others have done (a counter would tell how many secrets exist)."""
        stream = self._id_streams.get((prefix, author))
        if stream is None:
            stream = self._id_streams[(prefix, author)] = Rng(self.seed, 0, f"ids/{prefix}/{author}")
        while True:
            ref = f"{prefix}-{stream.randrange(10**8):08d}"
            if ref not in self._used_ids:
                self._used_ids.add(ref)
                return ref

    # --- reading ---------------------------------------------------------------------------------

    def reputation(self, state: str, *, more_breaches: int = 0) -> int:
        """What everyone can see of a state's record: kept and broken public word, exposed secrets.
        `more_breaches`: as it would be after that many more public breaches (the forecast's question)."""
        r = self.record[state]
        breached = r["breached"] + more_breaches
        return _clamp(50 + 4 * r["kept"] - 12 * breached - 6 * r["exposed"] - 3 * r["renounced"])

    def agreements_of(self, state: str) -> list[Agreement]:
        return list(self.by_party[state])

    def treasury_cost(self, state: str) -> int:
        """What the actions a state has ordered this turn will cost."""
        costs = self.constants.intelligence
        price = {"investigate": costs.investigate_cost, "intercept": costs.intercept_cost, "propaganda": costs.propaganda_cost}
        return sum(price[k] for k, s, _ in self.actions if s == state)

    # --- commands ---------------------------------------------------------------------------------

    def apply(self, command: DiplomacyCommand, turn: int, phase: str | None, treasury: dict[str, int]) -> list[Event]:
        """Apply a diplomatic command; raise CommandError (nothing changed) if it cannot be applied."""
        self._known_state(command.state)
        if isinstance(command, Propose):
            return self._propose(command, turn)
        if isinstance(command, Counter):
            return self._counter(command, turn)
        if isinstance(command, AgreementAct):
            return self._act(command, turn)
        if isinstance(command, DeclareBreach):
            return self._declare(command, turn)
        if isinstance(command, Press):
            return self._press(command, turn)
        if isinstance(command, Action):
            return self._action(command, phase, treasury)
        if isinstance(command, Pay):
            return self._pay(command, treasury)
        raise InvalidCommand(f"unknown command {command.kind!r}")

    def _known_state(self, state: str) -> None:
        if state not in self.trust:
            raise UnknownState(f"unknown state {state!r}")

    def _get(self, ref: str, state: str) -> Agreement:
        agreement = self.agreements.get(ref)
        if agreement is None or state not in agreement.known_by:
            # The same answer whether it does not exist or the state does not know it: no oracle.
            raise UnknownAgreement(f"no agreement {ref} known to {state}")
        return agreement

    def _check_terms(
        self, proposer: str, parties: tuple[str, ...], clauses: tuple[ClauseModel, ...], annex: tuple[ClauseModel, ...],
        visibility: str, intermediary: str | None,
    ) -> None:
        if len(set(parties)) != len(parties):
            raise BadTerms("a party is named twice")
        for p in parties:
            self._known_state(p)
        if proposer not in parties:
            raise BadTerms(f"the proposer {proposer} must be a party")
        if intermediary is not None:
            self._known_state(intermediary)
            if intermediary in parties:
                raise BadTerms("the intermediary cannot be a party")
        if annex and visibility != "public":
            raise BadTerms("only a public agreement has a secret annex; make the whole agreement secret instead")
        for clause in (*clauses, *annex):
            for s in clause_states(clause):
                if s not in self.trust:
                    raise UnknownState(f"{describe(clause)}: unknown state {s!r}")
            for t in clause_territories(clause):
                if t not in self.board.territories:
                    raise UnknownTerritory(f"{describe(clause)}: unknown territory {t!r}")
            if isinstance(clause, SupportPromise) and clause.by not in parties:
                raise BadTerms(f"{describe(clause)}: only a party can promise support")
            if isinstance(clause, Tribute) and (clause.payer not in parties or clause.payee == clause.payer):
                raise BadTerms(f"{describe(clause)}: the payer must be a party paying another state")

    def _new(
        self, proposer: str, parties: tuple[str, ...], clauses: tuple[ClauseModel, ...], annex: tuple[ClauseModel, ...],
        visibility: str, duration: int | None, intermediary: str | None, turn: int, title: str,
    ) -> Agreement:
        ref = self._fresh_id("agr", proposer)
        agreement = Agreement(
            id=ref,
            seq=len(self.agreements) + 1,
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
        self.agreements[agreement.id] = agreement
        for p in parties:
            self.by_party[p].append(agreement)
        return agreement

    def _proposal_event(self, agreement: Agreement) -> Event:
        return facts.AgreementProposed(
            agreement=agreement.id, by=agreement.proposer, parties=list(agreement.parties),
            visibility=agreement.visibility, counter_of=agreement.counter_of, audience=audience_of(agreement.known_by),
        ).event()

    def _propose(self, command: Propose, turn: int) -> list[Event]:
        parties = tuple(command.parties)
        self._check_terms(command.state, parties, tuple(command.clauses), tuple(command.annex), command.visibility, command.intermediary)
        agreement = self._new(
            command.state, parties, tuple(command.clauses), tuple(command.annex), command.visibility,
            command.duration, command.intermediary, turn, command.title,
        )
        return [self._proposal_event(agreement)]

    def _counter(self, command: Counter, turn: int) -> list[Event]:
        old = self._get(command.agreement, command.state)
        if old.status != PROPOSED:
            raise WrongStatus(f"{old.id} is {self._seen_status(old, command.state)}, not a proposal")
        if command.state not in old.parties:
            raise NotAParty(f"{command.state} is not a party to {old.id}")
        self._check_terms(command.state, old.parties, tuple(command.clauses), tuple(command.annex), command.visibility, old.intermediary)
        new = self._new(
            command.state, old.parties, tuple(command.clauses), tuple(command.annex), command.visibility,
            command.duration, old.intermediary, turn, command.title or old.title,
        )
        new.counter_of = old.id
        old.status = SUPERSEDED
        return [self._proposal_event(new)]

    def _act(self, command: AgreementAct, turn: int) -> list[Event]:
        state = command.state
        a = self._get(command.agreement, state)
        party = state in a.parties
        kind = command.kind
        if kind in ("sign", "reject", "renounce", "ratify", "deny", "justify") and not party:
            raise NotAParty(f"only a party to {a.id} can {kind} it")
        if kind == "sign":
            if a.status != PROPOSED:
                raise WrongStatus(f"{a.id} is {self._seen_status(a, state)}; only a proposal can be signed")
            if state in a.signed:
                raise AlreadyDone(f"{state} has already signed {a.id}")
            a.signed.append(state)
            if set(a.signed) == set(a.parties):
                return self._activate(a, turn)
            return [facts.AgreementSignature(agreement=a.id, state=state, audience=audience_of(a.known_by)).event()]
        if kind == "reject":
            if a.status != PROPOSED:
                raise WrongStatus(f"{a.id} is {self._seen_status(a, state)}; only a proposal can be rejected")
            a.status = REJECTED
            return [facts.AgreementRejected(agreement=a.id, state=state, audience=audience_of(a.known_by)).event()]
        if kind == "renounce":
            if a.status != ACTIVE:
                raise WrongStatus(f"{a.id} is {self._seen_status(a, state)}; only an active agreement can be renounced")
            a.status = RENOUNCED
            a.end_turn = turn
            public = a.event_audience() == ALL
            if public:
                self.record[state]["renounced"] += 1
            for other in a.parties:
                if other != state:
                    self._trust(other, state, -5)
            return [facts.AgreementRenounced(agreement=a.id, state=state, audience=a.event_audience()).event()]
        if kind == "ratify":
            if a.status != ACTIVE or (not a.secret and not (a.annex and a.leak_level != EXPOSED)):
                raise WrongStatus(f"{a.id} has nothing secret to ratify in public")
            if state in a.ratified_by:
                raise AlreadyDone(f"{state} has already ratified {a.id}")
            a.ratified_by.append(state)
            if set(a.ratified_by) != set(a.parties):
                return [facts.AgreementRatification(agreement=a.id, state=state, audience=audience_of(a.known_by)).event()]
            a.visibility = "public"
            a.annex_known_by = set(self.states)
            gain = self.constants.consequences.legitimacy_ratify
            for p in a.parties:
                self.legitimacy[p] = _clamp(self.legitimacy[p] + gain)
            return [
                facts.AgreementRatified(
                    agreement=a.id, parties=list(a.parties), clauses=self._clauses_json(a, True), audience=ALL
                ).event()
            ]
        if kind == "leak":
            # First what the state knows: one that cannot read a public agreement's annex may not
            # learn from the answer whether the annex was since breached or exposed.
            if not a.secret and state not in a.annex_known_by:
                raise WrongStatus(f"{state} knows no secret of {a.id} to leak")
            if a.status != ACTIVE or not self._has_secret(a):
                raise WrongStatus(f"{a.id} has no secret left to leak")
            if (state, a.id) in self.deliberate_leaks:
                raise AlreadyDone(f"{state} is already leaking {a.id} this turn")
            self.deliberate_leaks.append((state, a.id))
            return [facts.LeakPlanned(agreement=a.id, state=state, audience=(state,)).event()]
        if kind == "deny":
            if a.leak_level != RUMOUR:
                raise WrongStatus(f"{a.id} is not a rumour; there is nothing public to deny")
            a.denied_by.append(state)
            return [facts.Denial(agreement=a.id, state=state, parties=list(a.parties), audience=ALL).event()]
        # justify
        if a.leak_level != EXPOSED:
            raise WrongStatus(f"{a.id} has not been exposed; there is nothing to justify")
        if state in a.justified_by:
            raise AlreadyDone(f"{state} has already justified {a.id}")
        a.justified_by.append(state)
        lost = self.exposure_loss.get((a.id, state), 0)
        regained = round(lost * (1 - self.constants.consequences.justification_factor))
        self.legitimacy[state] = _clamp(self.legitimacy[state] + regained)
        return [facts.Justification(agreement=a.id, state=state, legitimacy_regained=regained, audience=ALL).event()]

    def _seen_status(self, a: Agreement, state: str) -> str:
        """The status `state` sees (`agreement_view`): a breach through a secret annex it cannot read does not show."""
        if a.outside_status is not None and not visible(a.annex_audience(), state):
            return a.outside_status
        return a.status

    def _has_secret(self, a: Agreement) -> bool:
        return (a.secret and a.leak_level != EXPOSED) or (bool(a.annex) and a.annex_audience() != ALL)

    # --- the umpire's injects (game/rules/injects.py) -------------------------------------------------

    def has_secret(self, a: Agreement) -> bool:
        """Whether something of the agreement (its terms, or a public one's annex) is still secret."""
        return self._has_secret(a)

    def new_id(self, prefix: str, author: str) -> str:
        """A fresh id from `author`'s own stream (an umpire's card: `inj-40718263`)."""
        return self._fresh_id(prefix, author)

    def reveal(self, agreements: list[Agreement], how: str, turn: int) -> list[Event]:
        """Expose agreements at once, outside the turn's leak roll: each exposé is public, and its
        consequences follow as for any leak (backlash by credibility gap, the targets' trust, and
        the fall of every government whose legitimacy is now below its threshold)."""
        if not agreements:
            return []
        events = [self._expose(a, how) for a in agreements]
        return events + self._consequences(agreements, turn)

    def shaken(self, states: Collection[str], turn: int) -> list[Event]:
        """The governments among `states` (whose legitimacy was just lowered) that are now below their
        threshold fall."""
        events: list[Event] = []
        for state in self.states:
            if state in states and self.legitimacy[state] < self.thresholds[state]:
                events.extend(self._fall(state, turn))
        return events

    def _activate(self, a: Agreement, turn: int) -> list[Event]:
        a.status = ACTIVE
        a.start_turn = turn
        a.end_turn = turn + a.duration - 1 if a.duration else None
        number = a.number
        if a.secret or a.annex:
            self.secret_bearing.append(a)
            leak_chance(a, self.regimes, turn, self.constants.leaks)  # fixes its unchanging part now
        for index, clause, _ in a.all_clauses():
            for key in watch_keys(clause, a.parties, turn):
                self.watch.setdefault(key, []).append((number, index, a))
        events: list[Event] = [
            facts.AgreementSigned(
                agreement=a.id, parties=list(a.parties), visibility=a.visibility, title=a.title,
                clauses=self._clauses_json(a, False), audience=a.event_audience(),
            ).event()
        ]
        if a.annex:
            events.append(
                facts.AnnexSigned(
                    agreement=a.id, annex=self._clauses_json(a, True)[len(a.clauses):], audience=a.annex_audience()
                ).event()
            )
        if not a.secret:
            events.extend(self._cut_across(a))
        return events

    def _clauses_json(self, a: Agreement, with_annex: bool) -> list[dict[str, Any]]:
        clauses = list(a.clauses) + (list(a.annex) if with_annex else [])
        return [c.model_dump(mode="json") for c in clauses]

    def _cut_across(self, public: Agreement) -> list[Event]:
        """A secret partner loses trust when its partner signs, in public, with a state their secret targets."""
        events: list[Event] = []
        loss = self.constants.consequences.trust_cut_across
        for partner in public.parties:
            for secret in self.by_party[partner]:
                if secret is public or secret.status != ACTIVE or not secret.secret:
                    continue
                if not (secret.targets() & set(public.parties)):
                    continue
                for other in secret.parties:
                    if other != partner and other not in public.parties:
                        self._trust(other, partner, -loss)
                        events.append(
                            facts.TrustShaken(
                                agreement=secret.id, state=other, in_=partner, because=public.id, audience=(other,)
                            ).event()
                        )
        return events

    def _declare(self, command: DeclareBreach, turn: int) -> list[Event]:
        a = self._get(command.agreement, command.state)
        if command.state not in a.parties:
            raise NotAParty(f"only a party to {a.id} can declare it breached")
        if a.status != ACTIVE:
            raise WrongStatus(f"only an active agreement can be declared breached; {a.id} is {self._seen_status(a, command.state)}")
        clauses = a.all_clauses()
        if command.clause >= len(clauses):
            raise BadTerms(f"{a.id} has no clause {command.clause}")
        _, clause, in_annex = clauses[command.clause]
        if not isinstance(clause, FreeText):
            raise BadTerms("only a free-text clause is breached by declaration; the others are checked by the umpire")
        if command.breaker not in a.parties:
            raise NotAParty(f"{command.breaker} is not a party to {a.id}")
        others = tuple(p for p in a.parties if p != command.breaker)
        breach = Breach(command.breaker, others, f"declared by {command.state}: {clause.text}")
        return self._breach(a, command.clause, in_annex, breach, turn)

    def _press(self, command: Press, turn: int) -> list[Event]:
        for s in command.to:
            self._known_state(s)
            if s == command.state:
                raise BadTerms("a message cannot be sent to oneself")
        if len(set(command.to)) != len(command.to):
            raise BadTerms("a recipient is named twice")
        text = command.text.strip()
        said: dict[str, Any] = {}
        if command.ask is not None:
            self._check_ask(command.ask, command.state)
            said["ask"] = command.ask.model_dump(mode="json")
            text = text or ask_sentence(command.ask, self._territory_name, self._state_name)
        if command.answer is not None:
            asked = self._asked(command.answer.to, command.state)
            if asked is None and command.answer.yes is not None:
                raise BadTerms(f"message {command.answer.to} asks nothing to say yes or no to")
            said["answer"] = command.answer.model_dump(mode="json")
            if not text:
                text = "Noted." if asked is None else answer_sentence(asked, command.answer.yes, self._territory_name, self._state_name)
        mid = self._fresh_id("msg", command.state)
        audience: Audience = audience_of([command.state, *command.to]) if command.to else ALL
        message = {
            "id": mid,
            "turn": turn,
            "from": command.state,
            "to": sorted(command.to) if command.to else ALL,
            "text": text,
            **said,
            "audience": audience,
        }
        self.messages.append(message)
        self.message_by_id[mid] = message
        if command.sincerity is not None:
            self.marks[mid] = command.sincerity
        return []

    def _check_ask(self, ask: AnyAsk, sender: str) -> None:
        """An ask names places and states that exist, and agreements the sender knows."""
        for t in ask_territories(ask):
            if t not in self.board.territories:
                raise UnknownTerritory(f"there is no territory {t!r} on this map")
        for s in ask_states(ask):
            if s not in self.trust:
                raise UnknownState(f"there is no state {s!r} in this game")
        ref = ask_agreement(ask)
        if ref is not None:
            # One may complain of, or demand a justification for, any agreement one can see: a public
            # one, an exposed one, one's own; one it cannot see is refused as one that does not exist.
            seen = self.agreements.get(ref)
            if seen is None or not visible(seen.existence_audience(), sender):
                raise UnknownAgreement(f"no agreement {ref} known to {sender}")

    def _asked(self, ref: str, sender: str) -> AnyAsk | None:
        """The ask (or None) of message `ref`, which `sender` received; a message the sender may not
        read is refused exactly as one that does not exist."""
        m = self.message_by_id.get(ref)
        if m is None or m["from"] == sender or not visible(m["audience"], sender):
            raise UnknownMessage(f"no message {ref} to {sender} to answer")
        return parse_ask(m["ask"]) if "ask" in m else None

    def _territory_name(self, territory: str) -> str:
        info = self.board.territories.get(territory)
        return info.name if info is not None else territory

    def _state_name(self, state: str) -> str:
        return self.scenario.state(state).name if state in self.trust else state

    def _action(self, command: Action, phase: str | None, treasury: dict[str, int]) -> list[Event]:
        if phase != "movement":
            raise WrongPhase("actions are ordered in the movement phase")
        if command.kind in ("investigate", "intercept"):
            if command.target is None:
                raise BadTerms(f"{command.kind} needs a target state")
            self._known_state(command.target)
            if command.target == command.state:
                raise BadTerms(f"a state cannot {command.kind} itself")
        elif command.target is not None:
            raise BadTerms("propaganda has no target")
        if (command.kind, command.state, command.target) in self.actions:
            raise AlreadyDone(f"{command.state} has already ordered that {command.kind} this turn")
        costs = self.constants.intelligence
        cost = {"investigate": costs.investigate_cost, "intercept": costs.intercept_cost, "propaganda": costs.propaganda_cost}[command.kind]
        if self.treasury_cost(command.state) + cost > treasury[command.state]:
            raise TreasuryShort(f"{command.kind} costs {cost}; {command.state}'s treasury cannot pay for it")
        self.actions.append((command.kind, command.state, command.target))
        return []

    def _pay(self, command: Pay, treasury: dict[str, int]) -> list[Event]:
        self._known_state(command.to)
        if command.to == command.state:
            raise BadTerms("a state cannot pay itself")
        if command.amount + self.treasury_cost(command.state) > treasury[command.state]:
            raise TreasuryShort(f"{command.state}'s treasury holds {treasury[command.state]}, not enough to pay {command.amount}")
        treasury[command.state] -= command.amount
        treasury[command.to] += command.amount
        key = (command.state, command.to)
        self.paid[key] = self.paid.get(key, 0) + command.amount
        return [
            facts.Payment(
                state=command.state, to=command.to, amount=command.amount, audience=audience_of([command.state, command.to])
            ).event()
        ]

    # --- resolution steps ---------------------------------------------------------------------------

    def check_breaches(self, facts: TurnFacts) -> list[Event]:
        """Step 2: every active agreement against the turn's orders and results; attacks move trust."""
        events: list[Event] = []
        loss = self.constants.consequences.trust_attack
        for (attacker, victim), attacks in sorted(facts.attacks_by_pair.items()):
            if any(a.succeeded for a in attacks):
                self._trust(victim, attacker, -loss)
            if attacker in self.trust and victim in self.trust:
                pair = (attacker, victim) if attacker < victim else (victim, attacker)
                self.wars.add(pair)
        candidates: dict[tuple[int, int], Agreement] = {}  # (agreement number, clause index) -> agreement
        watch = self.watch
        if watch:
            facts.add_undefended_keys()
        for key in facts.keys:
            entries = watch.get(key)
            if entries is not None:
                for number, index, a in entries:
                    if a.status == ACTIVE:
                        candidates[number, index] = a
        for number, index in sorted(candidates):
            a = candidates[number, index]
            if a.status != ACTIVE:
                continue  # already breached by an earlier clause this turn
            _, clause, in_annex = a.all_clauses()[index]
            found = check_clause(clause, a.parties, facts, a.start_turn or facts.turn)
            if found:
                events.extend(self._breach(a, index, in_annex, found[0], facts.turn, more=found[1:]))
        if len(self.watch) > 4 * len(self.agreements) + 1000:
            self._prune_watch()
        return events

    def _prune_watch(self) -> None:
        """Drop watch entries of agreements that have ended."""
        self.watch = {k: kept for k, v in self.watch.items() if (kept := [e for e in v if e[2].status == ACTIVE])}

    def _breach(self, a: Agreement, index: int, in_annex: bool, breach: Breach, turn: int, more: list[Breach] | None = None) -> list[Event]:
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
        record = facts.AgreementBreached(
            agreement=a.id, breaker=breach.breaker, protected=list(breach.protected), clause=index, clause_kind=kind,
            evidence=breach.evidence, order=breach.order, more=[m.evidence for m in (more or [])], audience=audience,
        ).event()
        a.breaches.append(record)
        c = self.constants.consequences
        for p in breach.protected:
            # Trust moved by a fact one does not know would tell it: an unknowing victim's trust falls
            # only by the attack itself (check_breaches), as for any attack.
            if visible(audience, p):
                self._trust(p, breach.breaker, -c.trust_breach_victim)
        witnesses = self.states if audience == ALL else audience
        loss = c.trust_breach_witness
        for s in witnesses:
            if s != breach.breaker and s not in breach.protected:
                row = self.trust[s]
                row[breach.breaker] = max(0, row[breach.breaker] - loss)
        if audience == ALL:
            self.record[breach.breaker]["breached"] += 1
            self.legitimacy[breach.breaker] = _clamp(self.legitimacy[breach.breaker] - c.legitimacy_breach)
        return [record]

    def intelligence(self, turn: int, treasury: dict[str, int]) -> list[Event]:
        """Step 3: investigations, intercepts and propaganda ordered this turn, paid now."""
        events: list[Event] = []
        costs = self.constants.intelligence
        # In a fixed order, each with its own roll: the outcome never depends on who ordered first.
        for kind, state, target in sorted(self.actions, key=lambda action: (action[0], action[1], action[2] or "")):
            cost = {"investigate": costs.investigate_cost, "intercept": costs.intercept_cost, "propaganda": costs.propaganda_cost}[kind]
            if treasury[state] < cost:
                events.append(facts.ActionFailed(state=state, action=kind, reason="treasury empty", audience=(state,)).event())
                continue
            treasury[state] -= cost
            if kind == "propaganda":
                self.legitimacy[state] = _clamp(self.legitimacy[state] + costs.propaganda_gain)
                events.append(facts.Propaganda(state=state, legitimacy=self.legitimacy[state], audience=ALL).event())
                continue
            assert target is not None
            events.extend(self._spied_on_partner(state, target, turn))
            rng = Rng(self.seed, turn, f"{kind}/{state}/{target}")
            if kind == "investigate":
                events.extend(self._investigate(state, target, rng))
            else:
                events.extend(self._intercept(state, target, turn, rng))
        return events

    def _sharing_partners(self, state: str) -> set[str]:
        partners: set[str] = set()
        for a in self.agreements.values():
            if a.status == ACTIVE and state in a.parties and any(isinstance(c, IntelligenceSharing) for _, c, _ in a.all_clauses()):
                partners |= set(a.parties)
        partners.discard(state)
        return partners

    def _spied_on_partner(self, state: str, target: str, turn: int) -> list[Event]:
        for a in list(self.agreements.values()):
            if a.status != ACTIVE or state not in a.parties or target not in a.parties:
                continue
            for index, clause, in_annex in a.all_clauses():
                if isinstance(clause, IntelligenceSharing):
                    breach = Breach(state, (target,), f"{state} spied on its intelligence partner {target}")
                    return self._breach(a, index, in_annex, breach, turn)
        return []

    def _investigate(self, state: str, target: str, rng: Rng) -> list[Event]:
        for a in self.agreements.values():
            if a.status == ACTIVE and target in a.parties and self._has_secret(a):
                a.investigations += 1
        if not rng.chance(self.constants.intelligence.investigate_chance):
            return [facts.Investigation(state=state, target=target, found=False, audience=(state,)).event()]
        hidden = [
            a for a in self.agreements.values()
            if a.status == ACTIVE and target in a.parties and state not in a.parties
            and (state not in a.known_by or (a.annex and state not in a.annex_known_by))
            and self._has_secret(a)
        ]
        if not hidden:
            return [facts.Investigation(state=state, target=target, found=False, audience=(state,)).event()]
        found = rng.choice(hidden)
        learners = {state} | self._sharing_partners(state)
        found.known_by |= learners
        found.annex_known_by |= learners
        return [
            facts.AgreementDiscovered(
                agreement=found.id, by=state, target=target, parties=list(found.parties),
                clauses=self._clauses_json(found, True), audience=audience_of(learners),
            ).event()
        ]

    def _intercept(self, state: str, target: str, turn: int, rng: Rng) -> list[Event]:
        if not rng.chance(self.constants.intelligence.intercept_chance):
            return [facts.Interception(state=state, target=target, read=0, audience=(state,)).event()]
        candidates = [
            m for m in self.messages
            if m["turn"] == turn and m["audience"] != ALL and target in m["audience"] and state not in m["audience"]
        ]
        rng.shuffle(candidates)
        learners = {state} | self._sharing_partners(state)
        events: list[Event] = []
        for m in candidates[: self.constants.intelligence.intercept_messages]:
            m["audience"] = audience_of([*m["audience"], *learners])
            events.append(
                facts.MessageIntercepted(
                    by=state, target=target, message=m["id"], from_=m["from"], to=m["to"], text=m["text"],
                    audience=audience_of(learners),
                ).event()
            )
        if not events:
            events.append(facts.Interception(state=state, target=target, read=0, audience=(state,)).event())
        return events

    def leaks(self, turn: int) -> list[Event]:
        """Step 4: deliberate leaks, then the seeded roll for every secret still kept."""
        events: list[Event] = []
        exposed_now: list[Agreement] = []
        for state, ref in self.deliberate_leaks:
            a = self.agreements[ref]
            if a.status == ACTIVE and self._has_secret(a):
                events.append(self._expose(a, "deliberate"))
                events.append(facts.LeakDone(agreement=a.id, state=state, audience=(state,)).event())
                exposed_now.append(a)
        constants = self.constants.leaks
        rolls = roll_table(self.seed, turn, "leaks", len(self.agreements) + 1)
        done = {a.id for a in exposed_now}
        maximum = constants.maximum
        still: list[Agreement] = []
        # One pass: drop what is no longer secret, roll for the rest, and clear this turn's
        # investigations once they have counted (nothing here reads another agreement's).
        for a in self.secret_bearing:
            # Still active and still hiding something (`_has_secret`, written out: this runs for every secret).
            if a.status != ACTIVE or not (
                (a.visibility == "secret" and a.leak_level != EXPOSED) or (a.annex and a.annex_audience() != ALL)
            ):
                continue
            still.append(a)
            # Each agreement's roll has its own stream, derived from its number: adding or removing
            # another agreement never changes it.  No chance exceeds the maximum, so a roll at or
            # above it leaks nothing whatever the chance, which then need not be worked out.
            roll = rolls[a.seq]  # its number
            p = leak_chance(a, self.regimes, turn, constants) if roll < maximum and a.id not in done else 0.0
            a.investigations = 0
            if roll < p:
                if a.secret and a.leak_level == NONE:
                    a.leak_level = RUMOUR
                    events.append(
                        facts.AgreementLeaked(
                            agreement=a.id, level=RUMOUR, parties=list(a.parties), chance=round(p, 4), audience=ALL
                        ).event()
                    )
                else:
                    events.append(self._expose(a, "leak", p))
                    exposed_now.append(a)
        self.secret_bearing = still
        self.deliberate_leaks = []
        self.actions = []
        return events + self._consequences(exposed_now, turn)

    def _expose(self, a: Agreement, how: str, chance: float | None = None) -> Event:
        a.leak_level = EXPOSED
        return facts.AgreementLeaked(
            agreement=a.id, level=EXPOSED, parties=list(a.parties), visibility=a.visibility,
            clauses=self._clauses_json(a, True), how=how, chance=round(chance, 4) if chance is not None else None,
            audience=ALL,
        ).event()

    def _consequences(self, exposed: list[Agreement], turn: int) -> list[Event]:
        """Step 5: legitimacy by credibility gap, trust of the targeted states, falling governments."""
        events: list[Event] = []
        c = self.constants.consequences
        partners: dict[str, set[str]] = {}
        if exposed:
            for other in self.agreements.values():
                if other.status == ACTIVE and not other.secret:
                    for p in other.parties:
                        partners.setdefault(p, set()).update(other.parties)
        for a in exposed:
            targets = a.targets()
            for party in a.parties:
                public_partners = partners.get(party, set())
                statements = sum(
                    1 for m in self.messages
                    if m["from"] == party and m["audience"] == ALL
                    and any(t in m["text"].lower() or self._name(t) in m["text"].lower() for t in targets)
                )
                gap = credibility_gap(a, party, public_partners, statements)
                loss = round(c.legitimacy_exposure * c.regime_factor.get(self.regimes[party], 1.0) * gap)
                self.legitimacy[party] = _clamp(self.legitimacy[party] - loss)
                self.exposure_loss[(a.id, party)] = loss
                self.record[party]["exposed"] += 1
                events.append(
                    facts.Backlash(
                        agreement=a.id, state=party, credibility_gap=round(gap, 2), legitimacy_lost=loss,
                        legitimacy=self.legitimacy[party], audience=ALL,
                    ).event()
                )
                for t in sorted(targets):
                    self._trust(t, party, -c.trust_exposed_target)
        for state in self.states:
            if self.legitimacy[state] < self.thresholds[state]:
                events.extend(self._fall(state, turn))
        return events

    def _name(self, state: str) -> str:
        return self.scenario.state(state).name.lower()

    def _fall(self, state: str, turn: int) -> list[Event]:
        lapsed = []
        for a in self.by_party[state]:
            if a.status in (ACTIVE, PROPOSED) and a.secret:
                a.status = LAPSED
                a.end_turn = turn
                lapsed.append(a.id)
        self.legitimacy[state] = _clamp(self.thresholds[state] + 25)
        self.fallen.append((turn, state))
        events: list[Event] = [facts.GovernmentFell(state=state, legitimacy=self.legitimacy[state], audience=ALL).event()]
        for ref in lapsed:
            events.append(
                facts.AgreementLapsed(agreement=ref, state=state, audience=self.agreements[ref].event_audience()).event()
            )
        return events

    def expire(self, turn: int) -> list[Event]:
        """Step 6: agreements whose time is up end as kept."""
        events: list[Event] = []
        gain = self.constants.consequences.trust_kept
        for a in self.agreements.values():
            if a.status == ACTIVE and a.end_turn is not None and a.end_turn <= turn:
                a.status = EXPIRED
                for p in a.parties:
                    for q in a.parties:
                        if p != q:
                            self._trust(p, q, gain)
                    if a.event_audience() == ALL:
                        self.record[p]["kept"] += 1
                events.append(facts.AgreementExpired(agreement=a.id, kept=True, audience=a.event_audience()).event())
            elif a.status == PROPOSED and turn - a.proposed_turn >= 1:
                # A proposal left unsigned for two turns (the one it was made in and the next) lapses.
                a.status = REJECTED
                events.append(facts.AgreementRejected(agreement=a.id, state=None, audience=audience_of(a.known_by)).event())
        return events

    def year_end(self, turn: int, supply_before: Mapping[str, int], supply_after: Mapping[str, int]) -> list[Event]:
        """Tribute due, legitimacy from the year's war results."""
        events: list[Event] = []
        c = self.constants.consequences
        for state in self.states:
            change = supply_after.get(state, 0) - supply_before.get(state, 0)
            if change:
                delta = change * (c.legitimacy_supply_gain if change > 0 else c.legitimacy_supply_loss)
                self.legitimacy[state] = _clamp(self.legitimacy[state] + delta)
        for a in list(self.agreements.values()):
            if a.status != ACTIVE:
                continue
            for index, clause, in_annex in a.all_clauses():
                if isinstance(clause, Tribute) and self.paid.get((clause.payer, clause.payee), 0) < clause.amount:
                    paid = self.paid.get((clause.payer, clause.payee), 0)
                    breach = Breach(clause.payer, (clause.payee,), f"{clause.payer} paid {clause.payee} {paid} of the {clause.amount} due this year")
                    events.extend(self._breach(a, index, in_annex, breach, turn))
                    break
        self.paid = {}
        for state in self.states:
            if self.legitimacy[state] < self.thresholds[state]:
                events.extend(self._fall(state, turn))
        return events

    def _trust(self, truster: str, trusted: str, delta: int) -> None:
        if truster in self.trust and trusted in self.trust[truster]:
            self.trust[truster][trusted] = _clamp(self.trust[truster][trusted] + delta)

    # --- scoring -------------------------------------------------------------------------------------

    def objective_met(self, kind: str, state: str, spec: Any, by_name: Callable[[str], Agreement | None]) -> bool:
        """Whether a diplomatic objective is met now (scoring calls it at the end)."""
        if kind == "keep_secret":
            a = by_name(spec.agreement)
            return a is not None and a.leak_level != EXPOSED and a.visibility == "secret"
        if kind == "obtain_agreement":
            return any(
                a.status == ACTIVE and state in a.parties and spec.partner in a.parties
                and any(getattr(c, "kind", "") == spec.clause for _, c, _ in a.all_clauses())
                and (spec.public is None or spec.public == (not a.secret))
                for a in self.agreements.values()
            )
        if kind == "legitimacy":
            return bool(self.legitimacy[state] >= spec.above)
        if kind == "prevent_war":
            a, b = spec.between
            return ((a, b) if a < b else (b, a)) not in self.wars
        return False

    def by_name(self, name: str) -> Agreement | None:
        for a in self.agreements.values():
            if a.name == name:
                return a
        return None


__all__ = ["EXPIRED", "REJECTED", "RENOUNCED", "SUPERSEDED", "Diplomacy"]

"""A bot that plays the diplomatic game: it proposes, answers, talks, spies, leaks, keeps its
word — or breaks it when that pays and its trust is low — and orders its units.

A `Diplomat` reads only its state's view (`game.rules.views.view_for`) and the public table
(`game.bots.situation.Table`); it never sees a `Game`.  It acts only through commands, the
same a human client sends.  Its chance comes from `Rng(seed, turn, "bot/STATE/...")`, so a
game is the same for a seed.  Each movement turn the simulation calls, in order:

1. `open_turn(view)` — renounce what it means to break openly; justify, deny, ratify, leak;
   investigate and intercept; propose deals; public statements;
2. `answer(view, round)` (twice) — sign, counter or reject the proposals addressed to it;
3. `close_turn(view)` — pay the tribute due before the year ends;
4. `orders(view)` — the map bot's orders, kept within the agreements it keeps.

Between calls it remembers only its plan for the turn (as a person remembers what they
decided this morning); everything else it reads afresh from the view.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from game.bots.deals import (
    Bounds,
    Offer,
    Violation,
    bounds_of,
    conflicts,
    constraint_cost,
    gain_of,
    offers,
    parse,
    promise_order,
    violations,
)
from game.bots.map_bot import MapBot, Position
from game.bots.personality import Personality, break_factor
from game.bots.situation import Deal, Situation, Table
from game.rules.adjustments import adjustment_balance, build_sites
from game.rules.board import territory_of
from game.rules.clauses import (
    ClauseModel,
    DemilitarisedZone,
    IntelligenceSharing,
    MutualDefence,
    Neutrality,
    NonAggression,
    SpheresOfInfluence,
    SupportPromise,
    Tribute,
    clause_states,
    describe,
)
from game.rules.commands import Action, AgreementAct, Counter, DiplomacyCommand, Pay, Press, Propose
from game.rules.orders import Move, Support
from game.rules.rng import Rng
from game.rules.units import Unit

KEEP, BREAK, RENOUNCE = "keep", "break", "renounce"


class BoundMapBot(MapBot):
    """The map bot, kept out of territories its agreements forbid."""

    def __init__(self, state: str, aggression: float, no_enter: frozenset[str], prey: tuple[str, ...] = ()) -> None:
        super().__init__(state, aggression)
        self.no_enter = no_enter
        self.prey = prey  # when it has turned on a partner: that partner's territories are its only targets

    def _targets(self, pos: Position) -> list[str]:
        if self.prey:
            return [t for t in self.prey if t not in self.no_enter]
        return [t for t in super()._targets(pos) if t not in self.no_enter]

    def _moves(
        self, pos: Position, unit: Unit, army_dist: Mapping[str, int], fleet_dist: Mapping[str, int]
    ) -> list[tuple[int, str]]:
        return [o for o in super()._moves(pos, unit, army_dist, fleet_dist) if territory_of(o[1]) not in self.no_enter]


@dataclass(slots=True)
class Intent:
    """What the bot means to do this turn, decided once from its view."""

    turn: int
    plan: list[str]  # the map bot's orders, agreements aside
    attacks: dict[str, float]  # state -> what the plan's attacks on it would gain
    decided: dict[str, str] = field(default_factory=dict)  # agreement -> keep | break | renounce
    prey: list[str] = field(default_factory=list)  # partners it has decided to turn on
    by_partner: dict[str, str] = field(default_factory=dict)  # partners (joined by commas) -> its decision


class Diplomat:
    """One state's diplomatic bot."""

    def __init__(self, state: str, personality: Personality, table: Table, seed: int) -> None:
        self.state = state
        self.p = personality
        self.table = table
        self.seed = seed
        self.map_bot = MapBot(state, personality.aggression)
        self._intent: Intent | None = None

    def rng(self, turn: int, purpose: str) -> Rng:
        return Rng(self.seed, turn, f"bot/{self.state}/{purpose}")

    def read(self, view: Mapping[str, Any]) -> Situation:
        if view.get("viewer") != self.state:
            raise ValueError(f"{self.state}'s bot was given {view.get('viewer')}'s view")
        return Situation.read(view, self.table)

    # --- intent -------------------------------------------------------------------------------------

    def intend(self, sit: Situation) -> Intent:
        if self._intent is not None and self._intent.turn == sit.turn:
            return self._intent
        plan = self.map_bot.movement_orders(sit.position(), self.rng(sit.turn, "plan"))
        attacks: dict[str, float] = {}
        for text in plan:
            order = parse(text)
            if isinstance(order, Move):
                dest = territory_of(order.dest)
                victim = sit.holder(dest)
                if victim is not None and victim != self.state:
                    gain = 1.0 if sit.board.territories[dest].supply else 0.35
                    attacks[victim] = attacks.get(victim, 0.0) + gain
        self._intent = Intent(sit.turn, plan, attacks)
        return self._intent

    def _decide(self, sit: Situation, intent: Intent, deal: Deal, found: list[Violation], can_renounce: bool) -> str:
        """Keep or break an agreement the plan would break: only when the gain is high and the trust low.
        One decision per partner: turning on a state breaks every agreement that shields it."""
        if deal.id in intent.decided:
            return intent.decided[deal.id]
        others = [p for p in deal.parties if p != self.state]
        key = ",".join(sorted(others))
        if key not in intent.by_partner:
            decision = KEEP
            trust = min((sit.trust.get(p, 50) for p in others), default=50)
            gain = gain_of(found)
            if gain >= self.p.gain_floor and trust < self.p.trust_floor:
                chance = self.p.break_chance * max(break_factor(v.kind) for v in found)
                rng = self.rng(sit.turn, f"betray/{key}")
                if rng.chance(chance):
                    decision = RENOUNCE if can_renounce and rng.chance(self.p.renounce_share) else BREAK
            intent.by_partner[key] = decision
        intent.decided[deal.id] = intent.by_partner[key]
        return intent.decided[deal.id]

    def _temptations(self, sit: Situation, intent: Intent, can_renounce: bool) -> None:
        deals = sit.active_mine()
        self._plot(sit, intent, deals, can_renounce)
        for deal in deals:
            if deal.id in intent.decided:
                continue
            others = [p for p in deal.parties if p != self.state]
            key = ",".join(sorted(others))
            if any(p in intent.prey for p in others) or intent.by_partner.get(key, KEEP) != KEEP:
                intent.decided[deal.id] = intent.by_partner.get(key, BREAK)
                continue
            found = violations(intent.plan, bounds_of(deal, sit), sit)
            if found.get(deal.id):
                self._decide(sit, intent, deal, found[deal.id], can_renounce)

    def _plot(self, sit: Situation, intent: Intent, deals: list[Deal], can_renounce: bool) -> None:
        """Turn on purpose on a neighbouring partner it does not trust (a schemer's way): every agreement
        with it goes, and its territories become the targets."""
        if self.p.plot_chance <= 0:
            return
        near = set(sit.neighbours_of(self.state))
        candidates: list[str] = []
        for deal in deals:
            if deal.start_turn is None or deal.start_turn >= sit.turn:
                continue  # not on the day it is signed
            for s in deal.parties:
                if s != self.state and s in near and sit.trust.get(s, 50) < self.p.trust_floor and s not in candidates:
                    candidates.append(s)
        for prey in sorted(candidates, key=self.table.states.index):
            if prey in intent.prey or prey in intent.by_partner:
                continue
            rng = self.rng(sit.turn, f"plot/{prey}")
            if rng.chance(self.p.plot_chance):
                intent.by_partner[prey] = RENOUNCE if can_renounce and rng.chance(self.p.renounce_share) else BREAK
                intent.prey.append(prey)

    def _kept_bounds(self, sit: Situation, intent: Intent) -> Bounds:
        bounds = Bounds()
        for deal in sit.active_mine():
            if intent.decided.get(deal.id, KEEP) == KEEP:
                bounds.merge(bounds_of(deal, sit))
        return bounds

    # --- 1. opening the turn ----------------------------------------------------------------------

    def open_turn(self, view: Mapping[str, Any]) -> list[DiplomacyCommand]:
        sit = self.read(view)
        if sit.phase != "movement":
            return []
        intent = self.intend(sit)
        self._temptations(sit, intent, can_renounce=True)
        commands: list[DiplomacyCommand] = []
        for deal in sit.active_mine():
            if intent.decided.get(deal.id) == RENOUNCE:
                commands.append(AgreementAct(kind="renounce", state=self.state, agreement=deal.id))
        commands += self._secrets(sit, intent)
        proposals = self._propose(sit, intent)
        sharing = {
            s for c in proposals if isinstance(c, Propose)
            and any(isinstance(k, IntelligenceSharing) for k in (*c.clauses, *c.annex)) for s in c.parties
        }
        commands += self._intelligence(sit, intent, sharing)
        commands += proposals
        commands += self._statement(sit, intent)
        return commands

    def _bound(self, sit: Situation, intent: Intent) -> list[Deal]:
        """The agreements whose terms it means to keep: active ones, and its own signed proposals."""
        return [
            d for d in sit.deals
            if self.state in d.parties and not d.rumour
            and ((d.status == "active" and intent.decided.get(d.id, KEEP) == KEEP)
                 or (d.status == "proposed" and self.state in d.signed))
        ]

    def _name(self, state: str) -> str:
        return self.table.names.get(state, state)

    def _ratified(self, sit: Situation) -> set[str]:
        return {e["agreement"] for _, e in sit.events_of("agreement_ratified")}

    def _secrets(self, sit: Situation, intent: Intent) -> list[DiplomacyCommand]:
        """Justify exposures, deny or get ahead of rumours, ratify when it pays, leak when it pays."""
        me, p = self.state, self.p
        rng = self.rng(sit.turn, "secrets")
        out: list[DiplomacyCommand] = []
        ratified = self._ratified(sit)
        my_factor = self.table.regime_factor.get(self.table.regimes.get(me, "other"), 1.0)
        for deal in sit.deals:
            if deal.rumour or deal.status != "active":
                continue
            if me in deal.parties:
                if intent.decided.get(deal.id) == RENOUNCE:
                    continue  # renounced a moment ago
                if deal.leak_level == "exposed" and me not in deal.justified_by:
                    out.append(AgreementAct(kind="justify", state=me, agreement=deal.id))
                    out.append(self._say(f"{self._name(me)} explains {deal.title}: it was made from necessity, "
                                         "to keep the peace.", "sincere"))
                    continue
                if deal.id in ratified or not deal.has_secret() or sit.ratified_by_me(deal.id):
                    continue
                targets = _targets(deal)
                if deal.leak_level == "rumour" and me not in deal.denied_by:
                    roll = rng.random()
                    if roll < p.ratify_chance:
                        out.append(AgreementAct(kind="ratify", state=me, agreement=deal.id))
                    elif roll < p.ratify_chance + (1 - p.ratify_chance) * p.deny_chance:
                        out.append(AgreementAct(kind="deny", state=me, agreement=deal.id))
                        others = " and ".join(self._name(s) for s in deal.parties if s != me)
                        out.append(self._say(f"{self._name(me)} has signed no secret agreement with {others}.",
                                             "deceptive"))
                    continue
                if not targets and sit.legitimacy.get(me, 50) < 75 and rng.chance(p.ratify_chance / 2):
                    out.append(AgreementAct(kind="ratify", state=me, agreement=deal.id))
                    continue
                # Leak our own secret to embarrass a partner we no longer trust, if it hurts them more.
                partners = [s for s in deal.parties if s != me]
                worse_off = all(
                    self.table.regime_factor.get(self.table.regimes.get(s, "other"), 1.0) >= my_factor for s in partners
                )
                distrusted = min(sit.trust.get(s, 50) for s in partners) < 35 or intent.decided.get(deal.id) == BREAK
                if deal.leak_level == "none" and worse_off and distrusted and rng.chance(p.leak_own_chance):
                    out.append(AgreementAct(kind="leak", state=me, agreement=deal.id))
            elif deal.has_secret() and deal.id not in ratified:
                # A rival's secret we know: expose it when it is aimed at us or made by states we distrust.
                aimed = me in _targets(deal)
                distrust = min(sit.trust.get(s, 50) for s in deal.parties) < 40
                attacked = any(s in intent.attacks for s in deal.parties)
                if (aimed or distrust or attacked) and rng.chance(p.leak_rival_chance):
                    out.append(AgreementAct(kind="leak", state=me, agreement=deal.id))
                    parties = " and ".join(self._name(s) for s in deal.parties)
                    out.append(self._say(f"{self._name(me)} reveals what {parties} agreed in secret.", "sincere"))
        return out

    def _budget(self, sit: Situation) -> int:
        """Treasury free for intelligence: what tribute due this year leaves."""
        due = 0
        for deal in sit.active_mine():
            for clause in deal.all_clauses:
                if isinstance(clause, Tribute) and clause.payer == self.state:
                    due += max(0, clause.amount - sit.paid_this_year(clause.payee))
        return sit.treasury - due - self._action_costs(sit)

    def _action_costs(self, sit: Situation) -> int:
        costs = {"investigate": self.table.investigate_cost, "intercept": self.table.intercept_cost,
                 "propaganda": self.table.propaganda_cost}
        return sum(costs[k] for k, _ in sit.pending_actions)

    def _intelligence(self, sit: Situation, intent: Intent, sharing: set[str]) -> list[DiplomacyCommand]:
        me, p, table = self.state, self.p, self.table
        rng = self.rng(sit.turn, "intelligence")
        budget = self._budget(sit)
        out: list[DiplomacyCommand] = []
        no_spy = set(self._kept_bounds(sit, intent).no_spy) | sharing
        for d in sit.deals:  # nor a state it is negotiating intelligence sharing with
            if d.status == "proposed" and me in d.parties and any(isinstance(c, IntelligenceSharing) for c in d.all_clauses):
                no_spy |= set(d.parties)
        rumoured = [s for _, e in sit.events_of("agreement_leaked", sit.turn - 2) for s in e["parties"]]
        candidates = [s for s in sit.neighbours_of(me) if s not in no_spy]
        candidates += [s for s in table.states if s in rumoured and s != me and s not in no_spy and s not in candidates]
        ranked = sorted(candidates, key=lambda s: (-(s in rumoured), -sit.supply.get(s, 0), table.states.index(s)))
        if ranked and budget >= table.investigate_cost and rng.chance(p.spy_chance):
            out.append(Action(kind="investigate", state=me, target=ranked[0]))
            budget -= table.investigate_cost
        suspects = sorted(candidates, key=lambda s: (sit.trust.get(s, 50), table.states.index(s)))
        if suspects and budget >= table.intercept_cost and rng.chance(p.intercept_chance):
            out.append(Action(kind="intercept", state=me, target=suspects[0]))
            budget -= table.intercept_cost
        if sit.legitimacy.get(me, 50) < table.thresholds.get(me, 20) + 20 and budget >= table.propaganda_cost:
            out.append(Action(kind="propaganda", state=me))
        return out

    def _propose(self, sit: Situation, intent: Intent) -> list[DiplomacyCommand]:
        me, p = self.state, self.p
        rng = self.rng(sit.turn, "propose")
        found = offers(sit, intent.plan, intent.attacks, self._budget(sit))
        lulls: set[str] = set()
        for victim in sorted(intent.attacks, key=self.table.states.index):
            if (victim in self.table.seated and not sit.pending_with(victim) and victim not in sit.partners()
                    and rng.chance(p.lull_chance)):
                found.append(Offer("non_aggression", (me, victim), (NonAggression(),), 2, 0.8, "Non-aggression pact"))
                lulls.add(victim)
        ranked = sorted(((o.worth + rng.random() * 0.4, i) for i, o in enumerate(found)), reverse=True)
        bound = self._bound(sit, intent)
        out: list[DiplomacyCommand] = []
        used: set[str] = set()
        for _score, i in ranked:
            if len(used) >= p.proposals:
                break
            offer = found[i]
            partner = offer.parties[1]
            if partner in used or not rng.chance(p.propose_chance):
                continue
            probe = Deal(id="agr-0000", parties=offer.parties, status="proposed", leak_level="none", rumour=False,
                         proposer=me, clauses=offer.clauses)
            if conflicts(sit, probe, bound):
                continue
            used.add(partner)
            out += self._make(sit, offer, found, rng, deceptive=partner in lulls or partner in intent.attacks)
        return out

    def _make(self, sit: Situation, offer: Offer, found: list[Offer], rng: Rng, deceptive: bool) -> list[DiplomacyCommand]:
        me, p = self.state, self.p
        secret = rng.chance(min(1.0, p.secret_share + offer.secret_leaning))
        clauses: list[ClauseModel] = list(offer.clauses)
        annex: list[ClauseModel] = []
        duration = offer.duration
        if not secret and rng.chance(p.annex_chance):
            if len(clauses) > 1:
                annex = clauses[1:]
                clauses = clauses[:1]
            else:
                extra = [o for o in found if o.parties == offer.parties and o is not offer]
                if extra:
                    annex = list(extra[0].clauses)
                    duration = min(duration, extra[0].duration)
        intermediary = None
        if rng.chance(p.intermediary_chance):
            brokers = [
                s for s in self.table.states
                if s in self.table.seated and s not in offer.parties and sit.trust.get(s, 0) >= 55
            ]
            if brokers:
                intermediary = max(brokers, key=lambda s: (sit.trust[s], -self.table.states.index(s)))
        partner = offer.parties[1]
        terms = "; ".join(describe(c) for c in clauses)
        command = Propose(
            state=me, parties=list(offer.parties), title=offer.title,
            visibility="secret" if secret else "public", clauses=clauses, annex=annex,
            duration=duration, intermediary=intermediary,
        )
        text = (f"{self._name(me)} proposes to {self._name(partner)}: {offer.title.lower()} ({terms}) "
                f"for {duration} turn{'s' if duration > 1 else ''}. We will keep our word.")
        return [command, Press(state=me, to=[partner], text=text, sincerity="deceptive" if deceptive else "sincere")]

    def _statement(self, sit: Situation, intent: Intent) -> list[DiplomacyCommand]:
        me = self.state
        rng = self.rng(sit.turn, "statement")
        if not rng.chance(self.p.statement_chance):
            return []
        neighbours = [s for s in sit.neighbours_of(me) if s in self.table.seated]
        if not neighbours:
            return []
        other = rng.choice(neighbours)
        aimed = any(other in _targets(d) for d in sit.active_mine() if d.has_secret())
        deceptive = other in intent.attacks or aimed
        if deceptive and not self.p.deceit_ok:
            return []
        text = f"{self._name(me)} has no quarrel with {self._name(other)} and wants only peace on our border."
        return [self._say(text, "deceptive" if deceptive else "sincere")]

    def _say(self, text: str, sincerity: str) -> Press:
        return Press(state=self.state, text=text, sincerity="deceptive" if sincerity == "deceptive" else "sincere")

    # --- 2. answering proposals ---------------------------------------------------------------------

    def answer(self, view: Mapping[str, Any], round_: int = 1) -> list[DiplomacyCommand]:
        sit = self.read(view)
        if sit.phase != "movement":
            return []
        intent = self.intend(sit)
        out: list[DiplomacyCommand] = []
        bound = self._bound(sit, intent)
        spied = {t for k, t in sit.pending_actions if k in ("investigate", "intercept")}
        for deal in sit.proposals_to_me():
            sharing = any(isinstance(c, IntelligenceSharing) for c in deal.all_clauses)
            if conflicts(sit, deal, bound) or (sharing and spied & set(deal.parties)):
                out.append(AgreementAct(kind="reject", state=self.state, agreement=deal.id))
                continue
            rng = self.rng(sit.turn, f"answer/{deal.id}/{round_}")
            answer = self._answer(sit, intent, deal, rng)
            if any(isinstance(c, AgreementAct) and c.kind == "sign" for c in answer):
                bound.append(deal)
            out += answer
        return out

    def judge(self, sit: Situation, intent: Intent, deal: Deal) -> tuple[float, float]:
        """(score, constraint cost) of a proposal: trust in the proposer, its reputation, what it gives us,
        and what it stops us doing."""
        me, p = self.state, self.p
        worth = sum(self._worth(sit, intent, c, deal) for c in deal.all_clauses)
        cost = constraint_cost(deal.all_clauses, deal.parties, sit, intent.plan) * p.constraint_weight
        trust = sit.trust.get(deal.proposer, 50)
        reputation = sit.reputation.get(deal.proposer, 50)
        score = worth - cost + 0.8 * (trust - 50) / 50 + 0.4 * (reputation - 50) / 50 + p.accept_bias
        if deal.secret or deal.annex:
            score += p.secret_bias
        if any(s != me and s in intent.attacks for s in deal.parties):
            score -= 0.2 * p.constraint_weight
        return score, cost

    def _worth(self, sit: Situation, intent: Intent, clause: ClauseModel, deal: Deal) -> float:
        me = self.state
        stronger = sit.supply.get(deal.proposer, 0) > sit.supply.get(me, 0)
        if isinstance(clause, NonAggression):
            return 0.5 + (0.3 if stronger else 0.0)
        if isinstance(clause, MutualDefence):
            rivals = [s for s in clause.against if sit.supply.get(s, 0) > sit.supply.get(me, 0)]
            return 0.4 + (0.3 if rivals else 0.0)
        if isinstance(clause, SupportPromise):
            if clause.turn is not None and clause.turn < sit.turn:
                return -5.0  # stale: its turn has passed
            if clause.by != me:
                return 0.8
            target = sit.units.get(clause.dest or clause.target)
            victim = target.state if target is not None else sit.owners.get(clause.dest or clause.target)
            if victim is None:
                return 0.1
            if victim == me or victim in sit.partners():
                return -2.0
            return 0.1 + (0.4 if victim in intent.attacks or sit.trust.get(victim, 50) < 45 else 0.0)
        if isinstance(clause, DemilitarisedZone):
            return 0.3
        if isinstance(clause, SpheresOfInfluence):
            mine = sum(len(s.territories) for s in clause.spheres if s.state == me)
            theirs = sum(len(s.territories) for s in clause.spheres if s.state != me)
            return 0.2 + 0.2 * mine - 0.1 * theirs
        if isinstance(clause, Neutrality):
            return 0.5 if me in clause.conflict else 0.2
        if isinstance(clause, Tribute):
            return 0.3 * clause.amount if clause.payee == me else 0.0
        if isinstance(clause, IntelligenceSharing):
            return 0.3 if sit.trust.get(deal.proposer, 50) >= 60 else -0.2
        return 0.0

    def _answer(self, sit: Situation, intent: Intent, deal: Deal, rng: Rng) -> list[DiplomacyCommand]:
        me = self.state
        score, cost = self.judge(sit, intent, deal)
        score += (rng.random() - 0.5) * 0.6
        if score > 0:
            return [AgreementAct(kind="sign", state=me, agreement=deal.id)]
        if deal.counter_of is None and score > -0.8 and cost > 0.2:
            kept = [c for c in deal.clauses if constraint_cost([c], deal.parties, sit, intent.plan) < 0.2]
            if kept and len(kept) < len(deal.clauses):
                duration = min(deal.duration or 2, 2)
                proposer = deal.proposer
                return [
                    Counter(state=me, agreement=deal.id, title=deal.title, visibility="secret" if deal.secret else "public",
                            clauses=kept, duration=duration),
                    Press(state=me, to=[proposer], sincerity="sincere",
                          text=f"{self._name(me)} can agree to part of {deal.title.lower()}, for {duration} turns."),
                ]
        return [AgreementAct(kind="reject", state=me, agreement=deal.id)]

    # --- 3. closing the turn --------------------------------------------------------------------------

    def close_turn(self, view: Mapping[str, Any]) -> list[DiplomacyCommand]:
        """Pay the tribute due before the year's end (in its last season)."""
        sit = self.read(view)
        if sit.phase != "movement" or not sit.last_season:
            return []
        intent = self.intend(sit)
        out: list[DiplomacyCommand] = []
        treasury = sit.treasury - self._action_costs(sit)  # actions ordered this turn are paid at resolution
        owed: dict[str, int] = {}
        for deal in sit.active_mine():
            if intent.decided.get(deal.id, KEEP) != KEEP:
                continue
            for clause in deal.all_clauses:
                if isinstance(clause, Tribute) and clause.payer == self.state:
                    owed[clause.payee] = owed.get(clause.payee, 0) + clause.amount
        for payee in sorted(owed, key=self.table.states.index):
            due = owed[payee] - sit.paid_this_year(payee)
            if due > 0 and treasury >= due:
                out.append(Pay(state=self.state, to=payee, amount=due))
                treasury -= due
        return out

    # --- 4. orders --------------------------------------------------------------------------------------

    def orders(self, view: Mapping[str, Any]) -> list[str]:
        sit = self.read(view)
        if sit.phase == "movement":
            return self._movement(sit)
        rng = self.rng(sit.turn, str(sit.phase))
        pos = sit.position()
        if sit.phase == "retreat":
            forbidden = Bounds()
            for deal in sit.active_mine():
                forbidden.merge(bounds_of(deal, sit))
            dislodged = []
            for unit, options in sit.retreats:
                if unit.state == self.state:
                    allowed = tuple(o for o in options if territory_of(o) not in forbidden.no_enter)
                    dislodged.append((unit, allowed or options))
            return self.map_bot.retreat_orders(pos, dislodged, rng)
        if sit.phase == "adjustment":
            balance = adjustment_balance(sit.board, sit.units, sit.owners, self.table.states).get(self.state, 0)
            if not balance:
                return []
            sites = build_sites(sit.board, sit.units, sit.owners, self.state)
            return self.map_bot.adjustment_orders(pos, balance, sites, rng)
        return []

    def _movement(self, sit: Situation) -> list[str]:
        intent = self.intend(sit)
        self._temptations(sit, intent, can_renounce=False)
        bounds = self._kept_bounds(sit, intent)
        prey: list[str] = []
        for victim in intent.prey:
            places = sit.territories_of(victim)
            prey += [t for t in places if sit.board.territories[t].supply] or places
        bot = BoundMapBot(self.state, self.p.aggression, frozenset(bounds.no_enter), tuple(prey))
        planned = bot.movement_orders(sit.position(), self.rng(sit.turn, "plan"))
        orders = {territory_of(parse(o).location): o for o in planned if parse(o) is not None}  # type: ignore[union-attr]
        self._duties(sit, bounds, orders)
        self._sanitise(sit, bounds, orders)
        index = sit.board.index
        return [orders[t] for t in sorted(orders, key=index.__getitem__)]

    def _duties(self, sit: Situation, bounds: Bounds, orders: dict[str, str]) -> None:
        board, units, me = sit.board, sit.units, self.state
        # Make the moves a partner has promised to support.
        for _ref, src, dest in bounds.wanted_moves:
            unit = units.get(src)
            if unit is None or unit.state != me or dest in bounds.no_enter:
                continue
            loc = _move_location(sit, unit, dest)
            if loc is None:
                continue
            for t, text in list(orders.items()):
                o = parse(text)
                if t != src and isinstance(o, Move) and territory_of(o.dest) == dest:
                    orders[t] = f"{units[t].text} H"
            orders[src] = f"{unit.text} - {loc}"
        # Give the supports we promised.
        for _ref, promise in bounds.supports:
            support = promise_order(sit, promise)
            if support is not None:
                orders[promise.unit_at] = support
        # Leave demilitarised zones.
        claimed = {territory_of(o.dest) for o in map(parse, orders.values()) if isinstance(o, Move)}
        for here in sorted(bounds.evacuate, key=board.index.__getitem__):
            unit = units.get(here)
            if unit is None or unit.state != me or isinstance(parse(orders.get(here, "")), Move):
                continue
            for loc in _adjacent(sit, unit):
                t = territory_of(loc)
                if t in bounds.no_enter or t in claimed or t in units:
                    continue
                orders[here] = f"{unit.text} - {loc}"
                claimed.add(t)
                break
        # Stand by an ally under threat (mutual defence): where a unit of ours could reach an ally's
        # territory that a third state threatens, strike at that state, or else support the ally.
        promised = {promise.unit_at for _, promise in bounds.supports}
        members = set(bounds.defend) | {me}
        for ally in sorted(bounds.defend, key=self.table.states.index):
            self._defend(sit, bounds, orders, ally, members, promised)

    def _defend(
        self, sit: Situation, bounds: Bounds, orders: dict[str, str], ally: str, members: set[str], promised: set[str]
    ) -> None:
        board, units = sit.board, sit.units
        mine = [u for u in sit.my_units() if u.territory not in promised]
        exposed = [t for t in sit.threatened(ally) if any(board.can_reach(u.type, u.location, t) for u in mine)]
        threats = sorted(
            {
                u.state for t in exposed for n in board.neighbours[t]
                if (u := units.get(n)) is not None and u.state not in members and board.can_reach(u.type, u.location, t)
            },
            key=self.table.states.index,
        )
        if not threats:
            return

        def rank(unit: Unit) -> tuple[int, int]:
            current = parse(orders.get(unit.territory, ""))
            busy = 0 if not isinstance(current, Move | Support) else 1 if isinstance(current, Support) else 2
            if isinstance(current, Move) and board.territories[territory_of(current.dest)].supply:
                busy = 3
            return busy, board.index[unit.territory]

        def striking(text: str, enemy: str) -> bool:
            o = parse(text)
            return isinstance(o, Move) and sit.holder(territory_of(o.dest)) == enemy

        for enemy in threats:
            if any(striking(text, enemy) for text in orders.values()):
                continue
            options = [
                (rank(u), loc, u) for u in mine for loc in _adjacent(sit, u)
                if sit.holder(territory_of(loc)) == enemy and territory_of(loc) not in bounds.no_enter
                and (other := units.get(territory_of(loc))) is not None and other.state == enemy
            ]
            options += [
                (rank(u), loc, u) for u in mine for loc in _adjacent(sit, u)
                if sit.holder(territory_of(loc)) == enemy and territory_of(loc) not in bounds.no_enter
            ]
            if options:
                _, loc, unit = min(options, key=lambda o: o[0])
                orders[unit.territory] = f"{unit.text} - {loc}"
                continue
            helping = any(
                isinstance(o := parse(text), Support) and (u := units.get(o.target)) is not None and u.state == ally
                for text in orders.values()
            )
            if helping:
                continue
            friends = [u for u in units.values() if u.state == ally]
            supports = [  # a unit under threat is the likeliest to hold, and so to be helped by a support to hold
                ((f.territory not in exposed, *rank(u)), f.territory, u) for u in mine for f in friends
                if board.can_reach(u.type, u.location, f.territory)
            ]
            if supports:
                _, t, unit = min(supports, key=lambda o: (o[0], board.index[o[1]]))
                orders[unit.territory] = f"{unit.text} S {units[t].letter} {t}"

    def _sanitise(self, sit: Situation, bounds: Bounds, orders: dict[str, str]) -> None:
        """Anything left that would break a kept agreement becomes a hold (a promised support stays)."""
        promised = {promise.unit_at for _, promise in bounds.supports}
        found = violations(orders.values(), bounds, sit)
        bad = {v.order for vs in found.values() for v in vs}
        for t, text in list(orders.items()):
            if text in bad and t not in promised and t not in bounds.evacuate:
                orders[t] = f"{sit.units[t].text} H"
        # A support of a move that is no longer made is harmless; a convoy of an army that holds is too.


def _targets(deal: Deal) -> set[str]:
    named: set[str] = set()
    for clause in deal.all_clauses:
        named |= clause_states(clause)
    return named - set(deal.parties)


def _adjacent(sit: Situation, unit: Unit) -> tuple[str, ...]:
    board = sit.board
    return board.army_adj[unit.location] if unit.type == "army" else board.fleet_adj[unit.location]


def _move_location(sit: Situation, unit: Unit, dest: str) -> str | None:
    for loc in _adjacent(sit, unit):
        if territory_of(loc) == dest:
            return loc
    return None

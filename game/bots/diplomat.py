"""A bot that plays the diplomatic game: it proposes, answers, talks, spies, leaks, keeps its
word — or breaks it when that pays and its trust is low — and orders its units.

A `Diplomat` reads only its state's view (`game.rules.views.view_for`) and the public table
(`game.bots.situation.Table`); it never sees a `Game`.  It acts only through commands, the
same a human client sends, and writes every message with names, never ids
(`game.bots.words`).  Its chance comes from `Rng(seed, turn, "bot/STATE/...")`, so a game is
the same for a seed.  Each movement turn the driver (game/bots/driver.py) calls, in order:

1. `open_turn(view)` — speak about last turn (a breach, a leak, an attack); withdraw stale
   offers; renounce what it means to break openly; justify, deny, ratify, leak; investigate and
   intercept; propose deals; ask a neighbour something; public statements;
2. `react(view)`, as often as something happens — answer each proposal (sign, counter, reject,
   with its reason in words), each ask from its actual plan (`game.bots.answers`), free text
   politely; speak about a renunciation or a declared breach; propose again after a rejection;
3. `close_turn(view)` — pay the tribute due before the year ends;
4. `orders(view)` — the map bot's orders, kept within the agreements it keeps and what it said.

It plays the scenario, not only the map: its state's objectives, read from its own view
(`game.bots.aims`), weigh in each step.  A secret it is told to keep it never leaks nor ratifies,
and it denies a rumour of it; it orders no attack on a state it is told to keep peace with (unless,
weighing objectives lightly, it sees that state running away with the map); it proposes and signs
the agreement it is told to obtain, and offers peace between two states it wants kept apart; its
map bot heads for the territories it is told to hold or deny a rival, and holds them when
threatened; the points riding on an agreement hold it back from breaking it (by its personality's
`objective_weight`), and the territories an objective wants pay for breaking one; with its
legitimacy near the level an objective asks, it leaks nothing of its own and breaks in the open.

Between calls it remembers only its plan for the turn (as a person remembers what they
decided this morning); everything else — what it has answered, what it has said — it reads
afresh from the view, so a bot rebuilt after a restart does the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from game.bots.answers import Answerer
from game.bots.deal import Deal
from game.bots.deals import (
    Bounds,
    Offer,
    Violation,
    aim_offers,
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
from game.bots.reactions import Voice, aftermath, meanwhile
from game.bots.situation import Situation
from game.bots.table import Table
from game.bots.talk import Talk, Word
from game.bots.words import Words, known_to
from game.rules.adjustments import adjustment_balance, build_sites
from game.rules.asks import Answer, AskIntentions, AskSupport, Warn
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
)
from game.rules.commands import Action, AgreementAct, Counter, DiplomacyCommand, Pay, Press, Propose
from game.rules.orders import Move, Support
from game.rules.rng import Rng
from game.rules.units import Unit

KEEP, BREAK, RENOUNCE = "keep", "break", "renounce"


class BoundMapBot(MapBot):
    """The map bot, kept out of territories its agreements (and its objectives) forbid."""

    def __init__(
        self,
        state: str,
        aggression: float,
        no_enter: frozenset[str],
        prey: tuple[str, ...] = (),
        priorities: Mapping[str, float] | None = None,
        guard: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(state, aggression, priorities, guard)
        self.no_enter = no_enter
        self.prey = prey  # when it has turned on a partner: that partner's territories are its only targets

    def _targets(self, pos: Position) -> list[str]:
        if self.prey:
            return [t for t in self.prey if t not in self.no_enter]
        return [t for t in super()._targets(pos) if t not in self.no_enter]

    def _moves(
        self, pos: Position, unit: Unit, army_dist: Mapping[str, int], fleet_dist: Mapping[str, int]
    ) -> list[tuple[int, str]]:
        return [
            o
            for o in super()._moves(pos, unit, army_dist, fleet_dist)
            if territory_of(o[1]) not in self.no_enter
        ]


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
        self.words = Words(table)
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
        bot = self._map_bot(sit, self._aim_bounds(sit).no_enter)
        plan = bot.movement_orders(sit.position(), self.rng(sit.turn, "plan"))
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

    # --- objectives ---------------------------------------------------------------------------------

    def _map_bot(
        self, sit: Situation, no_enter: Mapping[str, object], prey: tuple[str, ...] = ()
    ) -> BoundMapBot:
        """The map bot for this turn: kept out of `no_enter`, drawn to what its objectives ask it to take,
        and holding what they ask it to keep."""
        me = self.state
        priorities = sit.aims.priorities(me, sit.owners)
        leader = self._leader(sit)
        if (
            leader is not None
        ):  # the balance of power: a state running away with the map draws everyone's armies
            for t in sit.board.supply:
                if sit.owners.get(t) == leader:
                    priorities[t] = priorities.get(t, 0.0) + 1.0
        priorities = {t: v for t, v in priorities.items() if t not in no_enter}
        guard = frozenset(sit.aims.guarded(me, sit.owners))
        return BoundMapBot(me, self.p.aggression, frozenset(no_enter), prey, priorities, guard)

    def _leader(self, sit: Situation) -> str | None:
        """A state other than ours that holds a fifth of the supply centres and three more than any other."""
        ranked = sorted(sit.supply.items(), key=lambda kv: (-kv[1], self.table.states.index(kv[0])))
        if len(ranked) < 2:
            return None
        (first, most), (_, second) = ranked[0], ranked[1]
        if first == self.state or most < len(sit.board.supply) / 6 or most - second < 2:
            return None
        return first

    def _aim_bounds(self, sit: Situation) -> Bounds:
        """What its objectives forbid, as an agreement's terms would: no attack on a state it must not
        go to war with (a prevent_war objective naming it, while no attack has happened)."""
        b = Bounds()
        for other in sorted(self._peace(sit), key=self.table.states.index):
            for t in sit.territories_of(other):
                b.no_enter.setdefault(t, ("objective", "prevent_war"))
        return b

    def _peace(self, sit: Situation) -> dict[str, float]:
        """The states its objectives tell it not to attack, and the points riding on it — save one grown
        so far beyond it that, to a bot that weighs objectives lightly (not a loyal one), the danger
        outweighs the points of peace (as Germany turned on its Soviet partner in 1941)."""
        me, total = self.state, len(sit.board.supply)
        out: dict[str, float] = {}
        for other, points in sit.aims.peace_with(me).items():
            lead = sit.supply.get(other, 0) - sit.supply.get(me, 0)
            runaway = sit.supply.get(other, 0) >= total / 5 and lead >= 3 + points * self.p.objective_weight
            if not (runaway and self.p.objective_weight < 1):
                out[other] = points
        return out

    def _stake(self, sit: Situation, deal: Deal) -> float:
        """Points its objectives put on keeping `deal`: a secret to keep (a breach invites the partner's
        revenge), an agreement an objective asks it to hold, peace with a partner, and its legitimacy
        when a public breach would cost what it cannot spare."""
        me, aims = self.state, sit.aims
        stake = aims.guards(deal) + aims.obtained_by(deal)
        peace = self._peace(sit)
        stake += sum(peace.get(p, 0.0) for p in deal.parties if p != me)
        if self._legitimacy_short(sit) and not deal.secret:
            stake += float(max((a.worth for a in aims.of("legitimacy")), default=0))
        return stake

    def _legitimacy_short(self, sit: Situation, margin: int = 12) -> bool:
        """Whether its legitimacy is near (or below) the level an objective, or its government's survival, asks."""
        floor = max(sit.aims.legitimacy_floor() or 0, self.table.thresholds.get(self.state, 20))
        return sit.legitimacy.get(self.state, 50) < floor + margin

    def _decide(
        self, sit: Situation, intent: Intent, deal: Deal, found: list[Violation], can_renounce: bool
    ) -> str:
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
            # An objective may pay for breaking it (the territory it keeps us out of) or for keeping it.
            wanted = sit.aims.priorities(self.state, sit.owners)
            gain += 0.5 * sum(
                wanted.get(territory_of(o.dest), 0.0) for v in found if isinstance(o := parse(v.order), Move)
            )
            gain -= self.p.objective_weight * self._stake(sit, deal)
            if gain >= self.p.gain_floor and trust < self.p.trust_floor:
                chance = self.p.break_chance * max(break_factor(v.kind) for v in found)
                rng = self.rng(sit.turn, f"betray/{key}")
                if rng.chance(chance):
                    openly = rng.chance(self.p.renounce_share) or (
                        self._legitimacy_short(sit) and not deal.secret
                    )
                    decision = RENOUNCE if can_renounce and openly else BREAK
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
        near = set(sit.neighbours_of(self.state)) - set(self._peace(sit))
        candidates: list[str] = []
        for deal in deals:
            if deal.start_turn is None or deal.start_turn >= sit.turn:
                continue  # not on the day it is signed
            if self._stake(sit, deal) * self.p.objective_weight >= 1.0:
                continue  # an objective rides on it
            for s in deal.parties:
                if (
                    s != self.state
                    and s in near
                    and sit.trust.get(s, 50) < self.p.trust_floor
                    and s not in candidates
                ):
                    candidates.append(s)
        for prey in sorted(candidates, key=self.table.states.index):
            if prey in intent.prey or prey in intent.by_partner:
                continue
            rng = self.rng(sit.turn, f"plot/{prey}")
            if rng.chance(self.p.plot_chance):
                intent.by_partner[prey] = (
                    RENOUNCE if can_renounce and rng.chance(self.p.renounce_share) else BREAK
                )
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
        talk = Talk.read(sit)
        commands: list[DiplomacyCommand] = list(aftermath(sit, self._voice(), talk))
        commands += self._withdraw_stale(sit)
        for deal in sit.active_mine():
            if intent.decided.get(deal.id) == RENOUNCE:
                commands.append(AgreementAct(kind="renounce", state=self.state, agreement=deal.id))
        commands += self._secrets(sit, intent)
        proposals = self._propose(sit, intent)
        sharing = {
            s
            for c in proposals
            if isinstance(c, Propose)
            and any(isinstance(k, IntelligenceSharing) for k in (*c.clauses, *c.annex))
            for s in c.parties
        }
        commands += self._intelligence(sit, intent, sharing)
        commands += proposals
        commands += self._asks(sit, intent, {c.parties[1] for c in proposals if isinstance(c, Propose)})
        commands += self._statement(sit, intent)
        return commands

    def _voice(self) -> Voice:
        return Voice(self.state, self.p, self.words)

    def _bound(self, sit: Situation, intent: Intent) -> list[Deal]:
        """The agreements whose terms it means to keep: active ones, and its own signed proposals."""
        return [
            d
            for d in sit.deals
            if self.state in d.parties
            and not d.rumour
            and (
                (d.status == "active" and intent.decided.get(d.id, KEEP) == KEEP)
                or (d.status == "proposed" and self.state in d.signed)
            )
        ]

    def _name(self, state: str) -> str:
        return self.words.state(state)

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
                    out.append(
                        self._say(
                            f"{self._name(me)} explains {self.words.deal(deal)}: it was made from necessity, "
                            "to keep the peace.",
                            "sincere",
                        )
                    )
                    continue
                if deal.id in ratified or not deal.has_secret() or sit.ratified_by_me(deal.id):
                    continue
                if sit.aims.guards(deal):
                    # A secret its objectives ask it to keep: never leaked nor ratified by it; a rumour denied.
                    if deal.leak_level == "rumour" and me not in deal.denied_by:
                        out += self._deny(sit, deal)
                    continue
                targets = _targets(deal)
                if deal.leak_level == "rumour" and me not in deal.denied_by:
                    roll = rng.random()
                    partners = [s for s in deal.parties if s != me]
                    title = self.words.deal(deal)
                    if roll < p.ratify_chance:
                        out.append(AgreementAct(kind="ratify", state=me, agreement=deal.id))
                        out += [
                            Press(
                                state=me,
                                to=[s],
                                sincerity="sincere",
                                text=f"Word of {title} is out. {self._name(me)} will stand by it in public; "
                                "we ask you to ratify it too.",
                            )
                            for s in partners
                        ]
                    elif roll < p.ratify_chance + (1 - p.ratify_chance) * p.deny_chance:
                        out += self._deny(sit, deal)
                    continue
                founding = self._founding(sit, deal)
                if (
                    not targets
                    and not founding
                    and sit.legitimacy.get(me, 50) < 75
                    and rng.chance(p.ratify_chance / 2)
                ):
                    out.append(AgreementAct(kind="ratify", state=me, agreement=deal.id))
                    continue
                # Leak our own secret to embarrass a partner we no longer trust, if it hurts them more.
                partners = [s for s in deal.parties if s != me]
                worse_off = all(
                    self.table.regime_factor.get(self.table.regimes.get(s, "other"), 1.0) >= my_factor
                    for s in partners
                )
                distrusted = (
                    min(sit.trust.get(s, 50) for s in partners) < 35 or intent.decided.get(deal.id) == BREAK
                )
                if founding:  # a secret of history: kept unless a partner has broken faith with us
                    distrusted = min(sit.trust.get(s, 50) for s in partners) < 25
                if self._legitimacy_short(sit, 20):
                    continue  # an exposure costs every party legitimacy it cannot spare
                if deal.leak_level == "none" and worse_off and distrusted and rng.chance(p.leak_own_chance):
                    out.append(AgreementAct(kind="leak", state=me, agreement=deal.id))
            elif deal.has_secret() and deal.id not in ratified:
                # A rival's secret we know: expose it when it is aimed at us or made by states we distrust.
                # Whether to is decided once for each secret (a secret kept is leverage, as most
                # discovered secrets of history were kept), and again each turn of war with a party.
                aimed = me in _targets(deal)
                distrust = min(sit.trust.get(s, 50) for s in deal.parties) < 40
                attacked = any(s in intent.attacks for s in deal.parties)
                # An agreement as old as the game is a secret of history, which its discoverers mostly kept.
                # It is exposed to serve a purpose: when it is aimed at us or we are at war with a party.
                old = deal.start_turn == 1
                chance = p.leak_rival_chance * (0.25 if old else 1.0)
                once = self.rng(0, f"expose/{deal.id}").chance(chance)
                at_war = attacked and (aimed or not old) and rng.chance(chance / 3)
                reason = aimed or attacked or (distrust and not old)
                if reason and (once or at_war):
                    out.append(AgreementAct(kind="leak", state=me, agreement=deal.id))
                    parties = self.words.states(deal.parties)
                    out.append(
                        self._say(f"{self._name(me)} reveals what {parties} agreed in secret.", "sincere")
                    )
        return out

    def _deny(self, sit: Situation, deal: Deal) -> list[DiplomacyCommand]:
        """Deny a rumour of its own secret in public, and tell its partners to say nothing."""
        me = self.state
        partners = [s for s in deal.parties if s != me]
        title = self.words.deal(deal)
        out: list[DiplomacyCommand] = [AgreementAct(kind="deny", state=me, agreement=deal.id)]
        out.append(
            self._say(
                f"{self._name(me)} has signed no secret agreement with {self.words.states(partners)}.",
                "deceptive",
            )
        )
        out += [
            Press(
                state=me,
                to=[s],
                sincerity="sincere",
                text=f"Word of {title} is out as a rumour. {self._name(me)} denies it in "
                "public; say nothing.",
            )
            for s in partners
        ]
        return out

    def _founding(self, sit: Situation, deal: Deal) -> bool:
        """An agreement in force when the game began (its signature is in no turn's events)."""
        return deal.start_turn == 1 and not any(
            e.get("agreement") == deal.id for _, e in sit.events_of("agreement_signed")
        )

    def _budget(self, sit: Situation) -> int:
        """Treasury free for intelligence: what tribute due this year leaves."""
        due = 0
        for deal in sit.active_mine():
            for clause in deal.all_clauses:
                if isinstance(clause, Tribute) and clause.payer == self.state:
                    due += max(0, clause.amount - sit.paid_this_year(clause.payee))
        return sit.treasury - due - self._action_costs(sit)

    def _action_costs(self, sit: Situation) -> int:
        costs = {
            "investigate": self.table.investigate_cost,
            "intercept": self.table.intercept_cost,
            "propaganda": self.table.propaganda_cost,
        }
        return sum(costs[k] for k, _ in sit.pending_actions)

    def _intelligence(self, sit: Situation, intent: Intent, sharing: set[str]) -> list[DiplomacyCommand]:
        me, p, table = self.state, self.p, self.table
        rng = self.rng(sit.turn, "intelligence")
        budget = self._budget(sit)
        out: list[DiplomacyCommand] = []
        no_spy = set(self._kept_bounds(sit, intent).no_spy) | sharing
        for d in sit.deals:  # nor a state it is negotiating intelligence sharing with
            if (
                d.status == "proposed"
                and me in d.parties
                and any(isinstance(c, IntelligenceSharing) for c in d.all_clauses)
            ):
                no_spy |= set(d.parties)
        # A rumour whose terms it has not learnt yet is worth investigating; one it knows, no longer.
        rumoured = [
            s
            for _, e in sit.events_of("agreement_leaked", sit.turn - 2)
            for s in e["parties"]
            if (known := sit.known(e["agreement"])) is None or known.rumour
        ]
        candidates = [s for s in sit.neighbours_of(me) if s not in no_spy]
        candidates += [
            s for s in table.states if s in rumoured and s != me and s not in no_spy and s not in candidates
        ]
        ranked = sorted(
            candidates, key=lambda s: (-(s in rumoured), -sit.supply.get(s, 0), table.states.index(s))
        )
        if ranked and budget >= table.investigate_cost and rng.chance(p.spy_chance):
            out.append(Action(kind="investigate", state=me, target=ranked[0]))
            budget -= table.investigate_cost
        suspects = sorted(candidates, key=lambda s: (sit.trust.get(s, 50), table.states.index(s)))
        if suspects and budget >= table.intercept_cost and rng.chance(p.intercept_chance):
            out.append(Action(kind="intercept", state=me, target=suspects[0]))
            budget -= table.intercept_cost
        if (
            sit.legitimacy.get(me, 50) < table.thresholds.get(me, 20) + 20 or self._legitimacy_short(sit, 8)
        ) and budget >= table.propaganda_cost:
            out.append(Action(kind="propaganda", state=me))
        return out

    def _propose(self, sit: Situation, intent: Intent) -> list[DiplomacyCommand]:
        me, p = self.state, self.p
        rng = self.rng(sit.turn, "propose")
        found = offers(sit, intent.plan, intent.attacks, self._budget(sit)) + aim_offers(sit, intent.attacks)
        lulls: set[str] = set()
        for victim in sorted(intent.attacks, key=self.table.states.index):
            if (
                victim in self.table.seated
                and not sit.pending_with(victim)
                and victim not in sit.partners()
                and rng.chance(p.lull_chance)
            ):
                found.append(
                    Offer("non_aggression", (me, victim), (NonAggression(),), 2, 0.8, "Non-aggression pact")
                )
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
            probe = Deal(
                id="agr-0000",
                parties=offer.parties,
                status="proposed",
                leak_level="none",
                rumour=False,
                proposer=me,
                clauses=offer.clauses,
            )
            if conflicts(sit, probe, bound):
                continue
            used.add(partner)
            out += self._make(sit, offer, found, rng, deceptive=partner in lulls or partner in intent.attacks)
        return out

    def _make(
        self, sit: Situation, offer: Offer, found: list[Offer], rng: Rng, deceptive: bool, lead: str = ""
    ) -> list[DiplomacyCommand]:
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
                s
                for s in self.table.states
                if s in self.table.seated and s not in offer.parties and sit.trust.get(s, 0) >= 55
            ]
            if brokers:
                intermediary = max(brokers, key=lambda s: (sit.trust[s], -self.table.states.index(s)))
        others = [s for s in offer.parties if s != me]
        terms = self.words.terms(clauses, offer.parties, sit.turn)
        command = Propose(
            state=me,
            parties=list(offer.parties),
            title=offer.title,
            visibility="secret" if secret else "public",
            clauses=clauses,
            annex=annex,
            duration=duration,
            intermediary=intermediary,
        )
        text = (
            f"{lead}{self._name(me)} proposes to {self.words.states(others)}: {offer.title} ({terms}) "
            f"for {self.words.turns(duration)}. We will keep our word."
        )
        return [
            command,
            Press(state=me, to=others, text=text, sincerity="deceptive" if deceptive else "sincere"),
        ]

    def _statement(self, sit: Situation, intent: Intent) -> list[DiplomacyCommand]:
        me = self.state
        rng = self.rng(sit.turn, "statement")
        if not rng.chance(self.p.statement_chance):
            return []
        if any(m["from"] == me and m["to"] == "all" and m["turn"] >= sit.turn - 2 for m in sit.messages):
            return []  # a government repeats its assurances now and then, not every season
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
        return Press(
            state=self.state, text=text, sincerity="deceptive" if sincerity == "deceptive" else "sincere"
        )

    # --- 2. answering proposals ---------------------------------------------------------------------

    def answer(self, view: Mapping[str, Any], round_: int = 1) -> list[DiplomacyCommand]:
        """Sign, counter or reject each proposal awaiting it, each with its reason in words to the
        proposer.  (`round_` is kept for callers: the decision depends on the view alone.)"""
        sit = self.read(view)
        if sit.phase != "movement":
            return []
        return self._answer_proposals(sit, self.intend(sit), Talk.read(sit))

    def _answer_proposals(self, sit: Situation, intent: Intent, talk: Talk) -> list[DiplomacyCommand]:
        me = self._name(self.state)
        out: list[DiplomacyCommand] = []
        bound = self._bound(sit, intent)
        spied = {t for k, t in sit.pending_actions if k in ("investigate", "intercept")}
        for deal in sit.proposals_to_me():
            title = self.words.deal(deal, "your proposal")
            reject: list[DiplomacyCommand] = [
                AgreementAct(kind="reject", state=self.state, agreement=deal.id)
            ]
            sharing = any(isinstance(c, IntelligenceSharing) for c in deal.all_clauses)
            clash = self._clash(sit, deal, bound, talk.word)
            if _stale(sit, deal):
                commands, reason = (
                    reject,
                    f"{me} cannot sign {title}: the support it asks for was due on a turn that has passed.",
                )
            elif clash is not None:
                commands, reason = reject, f"{me} cannot sign {title}: {clash}."
            elif sharing and spied & set(deal.parties):
                commands, reason = (
                    reject,
                    f"{me} is not ready to share intelligence with {self._name(deal.proposer)} yet.",
                )
            else:
                commands, reason = self._answer(sit, intent, deal, self.rng(sit.turn, f"answer/{deal.id}"))
            signed = any(isinstance(c, AgreementAct) and c.kind == "sign" for c in commands)
            if signed:
                bound.append(deal)
            out += commands
            out.append(
                self._reply(talk, deal.proposer, reason, deceptive=signed and deal.proposer in intent.prey)
            )
        return out

    def _reply(self, talk: Talk, to: str, text: str, deceptive: bool = False) -> Press:
        """A private message to `to`, threaded as the reply to its oldest unanswered words to us, if any."""
        thread = next((m for m in talk.waiting if m["from"] == to and "ask" not in m), None)
        if thread is not None:
            talk.waiting.remove(thread)
        return Press(
            state=self.state,
            to=[to],
            text=text,
            sincerity="deceptive" if deceptive else "sincere",
            answer=Answer(to=thread["id"]) if thread is not None else None,
        )

    def _clash(self, sit: Situation, deal: Deal, bound: list[Deal], word: Word) -> str | None:
        """Why signing `deal` would break an agreement it keeps or what it has said this turn; None if not."""
        for other in bound:
            if conflicts(sit, deal, [other]):
                if known_to(other, deal.proposer) and other.title:
                    return f"it would cut across {self.words.deal(other)}"
                return "it would cut across promises we have already made"
        b = bounds_of(deal, sit)
        said = self._word_bounds(sit, word)
        promised = [o for _, pr in b.supports if (o := promise_order(sit, pr)) is not None]
        given = [o for _, pr in said.supports if (o := promise_order(sit, pr)) is not None]
        if (
            (set(b.no_enter) & set(word.enter))
            or violations(promised, said, sit)
            or violations(given, b, sit)
            or any((ts := sit.territories_of(s)) and all(t in b.no_enter for t in ts) for s in word.attack)
        ):
            return "it would go against what we have already said this turn"
        return None

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
        # What its objectives say: an agreement it is told to obtain, peace it is told to keep, and the
        # territories it is told to take that the agreement would keep it out of (whether or not this
        # turn's plan reaches them).
        score += 0.6 * sit.aims.obtained_by(deal, wanted_only=True)
        wanted = sit.aims.priorities(me, sit.owners)
        if wanted:
            probe = Deal(
                id=deal.id,
                parties=deal.parties,
                status="active",
                leak_level="none",
                rumour=False,
                clauses=deal.all_clauses,
                start_turn=sit.turn,
            )
            barred = bounds_of(probe, sit).no_enter
            score -= 0.5 * p.constraint_weight * sum(v for t, v in wanted.items() if t in barred)
        if any(
            isinstance(c, NonAggression) and set(c.between or deal.parties) >= {a, b}
            for a, b, _ in sit.aims.keep_apart(me)
            for c in deal.all_clauses
        ):
            score += 1.0
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
            if victim == me or victim in sit.partners() or victim in self._peace(sit):
                return -2.0
            mover = sit.units.get(clause.target)
            if mover is not None and any(
                {mover.state, victim} == {a, b} for a, b, _ in sit.aims.keep_apart(me)
            ):
                return -2.0  # it would help start the war it wants to prevent
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

    def _answer(
        self, sit: Situation, intent: Intent, deal: Deal, rng: Rng
    ) -> tuple[list[DiplomacyCommand], str]:
        """Sign, counter or reject one proposal, and why, in words."""
        me, name = self.state, self._name(self.state)
        title = self.words.deal(deal, "your proposal")
        score, cost = self.judge(sit, intent, deal)
        score += (rng.random() - 0.5) * 0.6
        if score > 0:
            return [AgreementAct(kind="sign", state=me, agreement=deal.id)], self._why_sign(sit, deal)
        if deal.counter_of is None and score > -0.8 and cost > 0.2:
            kept = [
                c
                for c in deal.clauses
                if constraint_cost([c], deal.parties, sit, intent.plan) < 0.2
                and not (isinstance(c, SupportPromise) and c.turn is not None and c.turn < sit.turn)
            ]
            if kept and len(kept) < len(deal.clauses):
                duration = min(deal.duration or 2, 2)
                terms = self.words.terms(kept, deal.parties, sit.turn)
                counter = Counter(
                    state=me,
                    agreement=deal.id,
                    title=deal.title,
                    visibility="secret" if deal.secret else "public",
                    clauses=kept,
                    duration=duration,
                )
                return [counter], (
                    f"{name} cannot accept all of {title}, but offers this instead: {terms}, "
                    f"for {self.words.turns(duration)}."
                )
        return [AgreementAct(kind="reject", state=me, agreement=deal.id)], self._why_not(
            sit, intent, deal, cost
        )

    def _why_sign(self, sit: Situation, deal: Deal) -> str:
        name, title = self._name(self.state), self.words.deal(deal, "your proposal")
        for clause in deal.all_clauses:
            if isinstance(clause, SupportPromise) and clause.by == self.state:
                return f"{name} signs {title}: our unit in {self.words.place(clause.unit_at)} will be there."
            if isinstance(clause, Tribute) and clause.payee == self.state:
                return f"{name} signs {title}: we accept the tribute, and will keep the peace."
        if any(isinstance(c, MutualDefence) for c in deal.all_clauses):
            return f"{name} signs {title}: we will stand together against whoever attacks us."
        if any(isinstance(c, NonAggression) for c in deal.all_clauses):
            return f"{name} signs {title}: peace between us serves us both."
        return f"{name} signs {title}: the terms suit us, and we will keep them."

    def _why_not(self, sit: Situation, intent: Intent, deal: Deal, cost: float) -> str:
        name, title = self._name(self.state), self.words.deal(deal, "your proposal")
        if sit.trust.get(deal.proposer, 50) < 35:
            return (
                f"{name} rejects {title}: after what has passed between us, we cannot take "
                f"{self._name(deal.proposer)}'s word yet."
            )
        if cost > 0.2:
            probe = Deal(
                id=deal.id,
                parties=deal.parties,
                status="active",
                leak_level="none",
                rumour=False,
                clauses=deal.all_clauses,
                start_turn=sit.turn,
            )
            found = violations(intent.plan, bounds_of(probe, sit), sit)
            places = sorted(
                {
                    territory_of(o.dest)
                    for vs in found.values()
                    for v in vs
                    if isinstance(o := parse(v.order), Move)
                },
                key=sit.board.index.__getitem__,
            )
            if places and not self.p.deceit_ok:
                return (
                    f"{name} rejects {title}: it would keep us out of {self.words.places(places)}, and we "
                    "will not sign what we do not mean to keep."
                )
            return f"{name} rejects {title}: it asks too much of us this turn."
        return f"{name} rejects {title}: it gives us too little for what it asks."

    # --- reacting within a phase ------------------------------------------------------------------------

    def react(self, view: Mapping[str, Any]) -> list[DiplomacyCommand]:
        """Everything waiting for it, answered now, from its view alone (so the same view gives the
        same answer, and a view with nothing waiting gives nothing): each proposal signed, countered or
        rejected with its reason; each message to it answered — an ask from its plan, free text with
        a polite reply; a word about what others just did to its agreements; a withdrawn offer whose
        turn has passed; and, when one of its proposals was rejected, another offer.  Outside a
        movement phase a proposal gets a word that it will be answered when the next season opens."""
        sit = self.read(view)
        if sit.phase is None:
            return []
        talk = Talk.read(sit)
        out: list[DiplomacyCommand] = []
        if sit.phase == "movement":
            intent = self.intend(sit)
            out += self._withdraw_stale(sit)
            out += self._answer_proposals(sit, intent, talk)
        else:  # its plans are made a season at a time: a proposal waits for the next movement phase
            for deal in sit.proposals_to_me():
                text = (
                    f"{self._name(self.state)} will answer {self.words.deal(deal, 'your proposal')} "
                    "when the next season opens."
                )
                if not talk.has_said([deal.proposer], text):
                    out.append(self._reply(talk, deal.proposer, text))
        out += self._answer_messages(sit, talk)
        out += meanwhile(sit, self._voice(), talk)
        if sit.phase == "movement":
            out += self._repropose(sit, self.intend(sit))
        return out

    def _answer_messages(self, sit: Situation, talk: Talk) -> list[DiplomacyCommand]:
        """Each message to it not yet answered: asks from its plan, anything else with a polite reply."""
        if not talk.waiting:
            return []
        kept = self._kept_bounds(sit, self.intend(sit)) if sit.phase == "movement" else Bounds()
        answerer = Answerer(
            sit,
            self.p,
            self.words,
            talk.word,
            plan=lambda word: self.plan(sit, word),
            kept=kept,
            rng=lambda purpose: self.rng(sit.turn, purpose),
        )
        out: list[DiplomacyCommand] = []
        for message in list(talk.waiting):
            reply = answerer.answer(message, talk.asks.get(message["id"]))
            out.append(
                Press(
                    state=self.state,
                    to=[message["from"]],
                    text=reply.text,
                    sincerity="sincere" if reply.sincere else "deceptive",
                    answer=Answer(to=message["id"], yes=reply.yes),
                )
            )
            out += reply.then
        return out

    def _withdraw_stale(self, sit: Situation) -> list[DiplomacyCommand]:
        """Its own proposals offering a support for a turn that has passed: withdrawn, with a word."""
        out: list[DiplomacyCommand] = []
        for deal in sit.deals:
            if deal.status == "proposed" and deal.proposer == self.state and _stale(sit, deal):
                out.append(AgreementAct(kind="reject", state=self.state, agreement=deal.id))
                for other in deal.parties:
                    if other != self.state:
                        out.append(
                            Press(
                                state=self.state,
                                to=[other],
                                sincerity="sincere",
                                text=f"{self._name(self.state)} withdraws {self.words.deal(deal, 'its offer')}: "
                                "the turn it was meant for has passed.",
                            )
                        )
        return out

    def _repropose(self, sit: Situation, intent: Intent) -> list[DiplomacyCommand]:
        """When a partner rejected its proposal this turn, another kind of offer to it (a few a turn at most)."""
        me, p = self.state, self.p
        mine = [
            a
            for a in sit.agreements
            if not a.get("rumour") and a.get("proposer") == me and a.get("proposed_turn") == sit.turn
        ]
        if len(mine) >= p.proposals + 2:
            return []
        refused = {
            e["agreement"]
            for t, e in sit.events
            if t == sit.turn and e["kind"] == "agreement_rejected" and e.get("state") not in (None, me)
        }
        out: list[DiplomacyCommand] = []
        offered: set[str] = set()
        for a in mine:
            if a["id"] not in refused or len(a["parties"]) != 2:
                continue
            partner = next(s for s in a["parties"] if s != me)
            if partner in offered or sit.pending_with(partner) or partner not in self.table.seated:
                continue
            tried = {str(c.get("kind")) for b in mine if partner in b["parties"] for c in b["clauses"][:1]}
            rng = self.rng(sit.turn, f"again/{a['id']}")
            found = [
                o
                for o in offers(sit, intent.plan, intent.attacks, self._budget(sit))
                if o.parties == (me, partner) and o.kind not in tried
            ]
            if not found or not rng.chance(p.propose_chance):
                continue
            best = max(found, key=lambda o: o.worth)
            probe = Deal(
                id="agr-0000",
                parties=best.parties,
                status="proposed",
                leak_level="none",
                rumour=False,
                proposer=me,
                clauses=best.clauses,
            )
            if conflicts(sit, probe, self._bound(sit, intent)):
                continue
            offered.add(partner)
            lead = f"{self._name(me)} understands {self._name(partner)}'s refusal. Then let us try this. "
            out += self._make(
                sit,
                best,
                found,
                rng,
                deceptive=partner in intent.prey or partner in intent.attacks,
                lead=lead,
            )
        return out

    def _asks(self, sit: Situation, intent: Intent, busy: set[str]) -> list[DiplomacyCommand]:
        """Now and then an ask of a neighbour: its intentions toward a home of ours it threatens, a
        warning to keep out of it, or a support for an attack we plan."""
        me, board = self.state, sit.board
        rng = self.rng(sit.turn, "asks")
        if not rng.chance(self.p.ask_chance):
            return []
        options: list[Press] = []
        for t in sit.territories_of(me):
            if not board.territories[t].supply or sit.owners.get(t) != me:
                continue
            for n in board.neighbours[t]:
                u = sit.units.get(n)
                if u is None or u.state == me or u.state not in self.table.seated or u.state in busy:
                    continue
                if not board.can_reach(u.type, u.location, t):
                    continue
                if sit.trust.get(u.state, 50) < 45 and u.state not in sit.partners():
                    options.append(
                        Press(
                            state=me,
                            to=[u.state],
                            sincerity="sincere",
                            ask=Warn(territory=t),
                            text=f"A warning from {self._name(me)}: stay out of {self.words.place(t)}.",
                        )
                    )
                else:
                    options.append(
                        Press(state=me, to=[u.state], sincerity="sincere", ask=AskIntentions(territory=t))
                    )
        for text in intent.plan:
            order = parse(text)
            if not isinstance(order, Move):
                continue
            dest, src = territory_of(order.dest), territory_of(order.location)
            victim = sit.holder(dest)
            if victim in (None, me) or dest not in sit.units:
                continue
            for helper in sorted(sit.units.values(), key=lambda u: board.index[u.territory]):
                y = helper.state
                if y in (me, victim) or y not in self.table.seated or y in busy or sit.trust.get(y, 50) < 45:
                    continue
                if board.can_reach(helper.type, helper.location, dest):
                    options.append(
                        Press(
                            state=me,
                            to=[y],
                            sincerity="sincere",
                            ask=AskSupport(unit_at=helper.territory, target=src, dest=dest),
                        )
                    )
                    break
        if not options:
            return []
        return [rng.choice(options)]

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
            return self._map_bot(sit, {}).retreat_orders(pos, dislodged, rng)
        if sit.phase == "adjustment":
            balance = adjustment_balance(sit.board, sit.units, sit.owners, self.table.states).get(
                self.state, 0
            )
            if not balance:
                return []
            sites = build_sites(sit.board, sit.units, sit.owners, self.state)
            return self._map_bot(sit, {}).adjustment_orders(pos, balance, sites, rng)
        return []

    def _movement(self, sit: Situation) -> list[str]:
        orders = self.plan(sit, Talk.read(sit).word)
        index = sit.board.index
        return [orders[t] for t in sorted(orders, key=index.__getitem__)]

    def plan(self, sit: Situation, word: Word) -> dict[str, str]:
        """The movement orders it would give now (territory -> order): the map bot's, kept within the
        agreements it keeps and what it has said this turn (`word`)."""
        intent = self.intend(sit)
        self._temptations(sit, intent, can_renounce=False)
        bounds = self._kept_bounds(sit, intent)
        bounds.merge(self._word_bounds(sit, word))
        bounds.merge(self._aim_bounds(sit))
        prey: list[str] = []
        for victim in intent.prey:
            places = sit.territories_of(victim)
            prey += [t for t in places if sit.board.territories[t].supply] or places
        bot = self._map_bot(sit, bounds.no_enter, tuple(prey))
        planned = bot.movement_orders(sit.position(), self.rng(sit.turn, "plan"))
        orders: dict[str, str] = {}
        for text in planned:
            order = parse(text)
            if order is not None:
                orders[territory_of(order.location)] = text
        self._duties(sit, bounds, orders)
        self._keep_word(sit, bounds, word, orders)
        self._sanitise(sit, bounds, orders)
        return orders

    def _word_bounds(self, sit: Situation, word: Word) -> Bounds:
        """What its answers of this turn forbid and require, as an agreement's terms would."""
        b = Bounds()
        for t, ref in word.no_enter.items():
            b.no_enter.setdefault(t, (ref, "word"))
        for s, ref in word.no_attack.items():
            for t in sit.territories_of(s):
                b.no_enter.setdefault(t, (ref, "word"))
        for ref, ask in word.supports:
            b.supports.append(
                (ref, SupportPromise(by=self.state, unit_at=ask.unit_at, target=ask.target, dest=ask.dest))
            )
        return b

    def _keep_word(self, sit: Situation, bounds: Bounds, word: Word, orders: dict[str, str]) -> None:
        """Make the moves it said it would make, and withhold the supports it said (or meant) it would not give."""
        index = sit.board.index
        promised = {promise.unit_at for _, promise in bounds.supports}

        def entered(test: Any) -> bool:
            return any(
                isinstance(o := parse(text), Move) and test(territory_of(o.dest)) for text in orders.values()
            )

        for t in sorted(word.enter, key=index.__getitem__):
            if t not in bounds.no_enter and not entered(lambda d, t=t: d == t):
                self._send_unit(sit, orders, promised, {t})
        for s in sorted(word.attack, key=self.table.states.index):
            places = {t for t in sit.territories_of(s) if t not in bounds.no_enter}
            if places and not entered(lambda d, s=s: sit.holder(d) == s):
                self._send_unit(sit, orders, promised, places)
        for _, zone in word.enter_any:
            open_places = {t for t in zone if t not in bounds.no_enter}
            if open_places and not entered(lambda d, ts=open_places: d in ts):
                self._send_unit(sit, orders, promised, open_places)
        for ask in word.withheld:
            o = parse(orders.get(ask.unit_at, ""))
            if (
                isinstance(o, Support)
                and territory_of(o.target) == ask.target
                and (territory_of(o.dest) if o.dest else None) == ask.dest
            ):
                orders[ask.unit_at] = f"{sit.units[ask.unit_at].text} H"

    def _send_unit(
        self, sit: Situation, orders: dict[str, str], promised: set[str], places: set[str]
    ) -> None:
        """Move the least busy unit that can reach one of `places` into it."""
        board = sit.board

        def rank(unit: Unit) -> tuple[int, int]:
            current = parse(orders.get(unit.territory, ""))
            busy = 0 if not isinstance(current, Move | Support) else 1 if isinstance(current, Support) else 2
            return busy, board.index[unit.territory]

        options = [
            (rank(u), loc, u)
            for u in sit.my_units()
            if u.territory not in promised
            for loc in _adjacent(sit, u)
            if territory_of(loc) in places
        ]
        if not options:
            return
        _, loc, unit = min(options, key=lambda o: o[0])
        dest = territory_of(loc)
        for t, text in list(orders.items()):
            o = parse(text)
            if t != unit.territory and isinstance(o, Move) and territory_of(o.dest) == dest:
                orders[t] = f"{sit.units[t].text} H"
        orders[unit.territory] = f"{unit.text} - {loc}"

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
        self,
        sit: Situation,
        bounds: Bounds,
        orders: dict[str, str],
        ally: str,
        members: set[str],
        promised: set[str],
    ) -> None:
        board, units = sit.board, sit.units
        mine = [u for u in sit.my_units() if u.territory not in promised]
        exposed = [
            t for t in sit.threatened(ally) if any(board.can_reach(u.type, u.location, t) for u in mine)
        ]
        threats = sorted(
            {
                u.state
                for t in exposed
                for n in board.neighbours[t]
                if (u := units.get(n)) is not None
                and u.state not in members
                and board.can_reach(u.type, u.location, t)
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
                (rank(u), loc, u)
                for u in mine
                for loc in _adjacent(sit, u)
                if sit.holder(territory_of(loc)) == enemy
                and territory_of(loc) not in bounds.no_enter
                and (other := units.get(territory_of(loc))) is not None
                and other.state == enemy
            ]
            options += [
                (rank(u), loc, u)
                for u in mine
                for loc in _adjacent(sit, u)
                if sit.holder(territory_of(loc)) == enemy and territory_of(loc) not in bounds.no_enter
            ]
            if options:
                _, loc, unit = min(options, key=lambda o: o[0])
                orders[unit.territory] = f"{unit.text} - {loc}"
                continue
            helping = any(
                isinstance(o := parse(text), Support)
                and (u := units.get(o.target)) is not None
                and u.state == ally
                for text in orders.values()
            )
            if helping:
                continue
            friends = [u for u in units.values() if u.state == ally]
            supports = [  # a unit under threat is the likeliest to hold, and so to be helped by a support to hold
                ((f.territory not in exposed, *rank(u)), f.territory, u)
                for u in mine
                for f in friends
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


def _stale(sit: Situation, deal: Deal) -> bool:
    """A proposal that offers a support for a turn that has passed."""
    return any(
        isinstance(c, SupportPromise) and c.turn is not None and c.turn < sit.turn for c in deal.all_clauses
    )


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

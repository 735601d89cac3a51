"""What the diplomatic half of a game holds, and the small readings every part of it shares.

The diplomatic rules are split by concern (agreement lifecycle, press, intelligence, leaks,
consequences, tribute, betrayal), and each works on this one object, so that none of them
needs another's private state: agreements, messages, trust, legitimacy, each state's public
conduct, and what was ordered this turn.  `Diplomacy` (game/rules/diplomacy.py) is this object
with the commands and resolution steps attached.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.rules.agreements import EXPOSED, Agreement
from game.rules.board import Board
from game.rules.errors import NotAParty, UnknownAgreement, UnknownState
from game.rules.knowledge import ALL, visible
from game.rules.rng import Rng
from game.rules.scenario import Scenario

Event = dict[str, Any]


def clamp(value: float) -> int:
    """Trust, legitimacy and reputation are whole numbers from 0 to 100."""
    value = round(value)
    return 0 if value < 0 else 100 if value > 100 else value


@dataclass(frozen=True, slots=True)
class CommandContext:
    """Where a diplomatic command lands: the turn, the phase and the treasuries it may spend."""

    turn: int
    phase: str | None
    treasury: dict[str, int]


class DiplomacyData:
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
        self.trust: dict[str, dict[str, int]] = {
            a: {b: start for b in self.states if b != a} for a in self.states
        }
        for relation in scenario.relations:
            a, b = relation.between
            if a in self.trust and b in self.trust[a]:
                self.trust[a][b] = self.trust[b][a] = relation.trust
        self.legitimacy: dict[str, int] = {s.id: s.legitimacy for s in scenario.states}
        # Each state's conduct as everyone sees it (its reputation is made of it).
        self.conduct: dict[str, dict[str, int]] = {
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
        # turn -> (key, entry) to add to `watch` from that turn on (see breaches.later_watch_keys)
        self.watch_later: dict[int, list[tuple[tuple[str, ...], tuple[int, int, Agreement]]]] = {}
        self._id_streams: dict[tuple[str, str], Rng] = {}
        self._used_ids: set[str] = set()
        # Agreements signed with something secret, by number, in the order they were signed: they roll
        # for leaks.  One that no longer hides anything is dropped when its roll next comes up.
        self.secret_bearing: dict[int, Agreement] = {}
        self.investigated: list[Agreement] = []  # agreements investigations raised this turn (once each time)
        # What bounds every secret's leak chance (leaks.leak_chance_bound): the largest unchanging part,
        # the earliest start and whether any secret was ever rumoured, among those signed so far.
        self.leak_static_max = 0.0
        self.secret_seq_max = 0  # the largest number among them: how many leak rolls to draw
        self.secret_since: int | None = None
        self.rumoured = False
        # Expiry looks only at what can end this turn: active agreements by the turn they end, and proposals.
        self.ending: dict[int, list[Agreement]] = {}  # end turn -> agreements activated with that end
        self.pending: dict[
            int, Agreement
        ] = {}  # proposals by number (signed ones leave; others may since have been rejected or superseded)

    def new_id(self, prefix: str, author: str) -> str:
        """An id drawn from the author's own seeded stream (`agr-40718263`, an umpire's card's
        `inj-…`): unique, replayable, and telling nothing of what others have done (a counter
        would tell how many secrets exist)."""
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
        """What everyone can see of a state's conduct: kept and broken public word, exposed secrets.
        `more_breaches`: as it would be after that many more public breaches (the forecast's question)."""
        r = self.conduct[state]
        breached = r["breached"] + more_breaches
        return clamp(50 + 4 * r["kept"] - 12 * breached - 6 * r["exposed"] - 3 * r["renounced"])

    def agreements_of(self, state: str) -> list[Agreement]:
        return list(self.by_party[state])

    def by_name(self, name: str) -> Agreement | None:
        """A starting agreement by the scenario's id for it."""
        for a in self.agreements.values():
            if a.name == name:
                return a
        return None

    def has_secret(self, a: Agreement) -> bool:
        """Whether something of the agreement (its terms, or a public one's annex) is still secret."""
        return (a.secret and a.leak_level != EXPOSED) or (bool(a.annex) and a.annex_audience() != ALL)

    def known_state(self, state: str) -> None:
        """Refuse a state that is not in the game."""
        if state not in self.trust:
            raise UnknownState(f"unknown state {state!r}")

    def known_agreement(self, ref: str, state: str) -> Agreement:
        """The agreement `ref` if `state` knows it; the same refusal whether it does not exist or the
        state does not know it: no oracle."""
        agreement = self.agreements.get(ref)
        if agreement is None or state not in agreement.known_by:
            raise UnknownAgreement(f"no agreement {ref} known to {state}")
        return agreement

    def party_agreement(self, ref: str, state: str, act: str) -> Agreement:
        """The agreement `ref`, which `state` must know and be a party to in order to `act` on it."""
        a = self.known_agreement(ref, state)
        if state not in a.parties:
            raise NotAParty(f"only a party to {a.id} can {act} it")
        return a

    def seen_status(self, a: Agreement, state: str) -> str:
        """The status `state` sees (`agreement_view`): a breach through a secret annex it cannot read does not show."""
        if a.outside_status is not None and not visible(a.annex_audience(), state):
            return a.outside_status
        return a.status

    def adjust_trust(self, truster: str, trusted: str, delta: int) -> None:
        if truster in self.trust and trusted in self.trust[truster]:
            self.trust[truster][trusted] = clamp(self.trust[truster][trusted] + delta)


def clauses_json(a: Agreement, with_annex: bool) -> list[dict[str, Any]]:
    """An agreement's clauses as the facts carry them, the annex after the main ones if asked."""
    clauses = list(a.clauses) + (list(a.annex) if with_annex else [])
    return [c.model_dump(mode="json") for c in clauses]

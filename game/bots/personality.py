"""Bot personalities: how readily a diplomat bot signs, keeps, breaks, spies and leaks.

The rates are calibrated to the history of alliances:

* Leeds (2003), "Alliance Reliability in Times of War: Explaining State Decisions to Violate
  Treaties", International Organization 57(4): 801–827 — alliance commitments were honoured
  about 75% of the time in 1816–1944.
* Berkemeier & Fuhrmann (2018), "Reassessing the fulfillment of alliance commitments in war",
  Research & Politics 5(2) — with data to 2003, honoured 50% overall (66% before 1945);
  defence pacts 41% and non-aggression pacts 37%, against offensive alliances 74% and
  neutrality pacts 78%.

So the bots' mix breaks about a quarter of its agreements, a loyal bot rarely (< 10%), an
opportunist when the gain is high and its trust low (~25%), a schemer most (~40%); and
non-aggression and defence pacts are broken about twice as readily as neutrality pacts or
promises of support for an attack.  `tests/bots/test_bots.py` and `backchannel simulate --stats`
measure the rates the personalities reach in play.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from game.rules.rng import Rng

HISTORICAL_HONOUR_RATE = 0.75
"""Leeds (2003): share of alliance commitments honoured in war, 1816–1944."""

HONOUR_RATE_BY_KIND: Mapping[str, float] = {
    "mutual_defence": 0.41,
    "non_aggression": 0.37,
    "support_promise": 0.74,  # an offensive commitment
    "neutrality": 0.78,
}
"""Berkemeier & Fuhrmann (2018): share honoured by kind of pact, 1816–2003 (overall 0.50)."""

_OVERALL_BREACH = 1 - 0.50


def _kind_factor(kind: str) -> float:
    honour = HONOUR_RATE_BY_KIND.get(kind)
    return 1.0 if honour is None else (1 - honour) / _OVERALL_BREACH


BREAK_FACTOR: Mapping[str, float] = {
    kind: round(_kind_factor(kind), 2)
    for kind in ("mutual_defence", "non_aggression", "support_promise", "neutrality")
}
"""How readily each kind of clause is broken, relative to the average (Berkemeier & Fuhrmann 2018):
defence 1.18, non-aggression 1.26, support for an attack 0.52, neutrality 0.44; other kinds 1."""


def break_factor(kind: str) -> float:
    return BREAK_FACTOR.get(kind, 1.0)


@dataclass(frozen=True, slots=True)
class Personality:
    """The constants of one way of playing the diplomatic game."""

    name: str
    # Proposing.
    proposals: int  # at most this many new proposals a turn
    propose_chance: float  # chance to make each good proposal it finds
    secret_share: float  # share of its proposals made secret
    annex_chance: float  # chance that a public proposal hides a clause in a secret annex
    intermediary_chance: float  # chance to negotiate through a trusted third state
    lull_chance: float  # chance to offer non-aggression to a state it means to attack (deceit)
    # Answering.
    accept_bias: float  # added to the score of a proposal it weighs
    secret_bias: float  # added again when the proposal is secret
    constraint_weight: float  # how much a deal that stops an attack it wants counts against it
    # Keeping and breaking.
    break_chance: float  # chance to break a tempting agreement (gain high, trust low) each turn
    trust_floor: int  # trust in a partner below which it is tempted at all
    gain_floor: float  # gain (1 = a supply territory) below which it is not tempted
    renounce_share: float  # share of its betrayals done openly, by renouncing first
    plot_chance: float  # chance a turn to turn on purpose on a partner it does not trust
    # Knowledge and press.
    spy_chance: float  # chance to investigate a rival when the treasury allows
    intercept_chance: float  # chance to intercept a state's messages when the treasury allows
    leak_rival_chance: float  # chance to expose a rival's secret it discovered
    leak_own_chance: float  # chance to leak its own secret to embarrass a distrusted partner
    deny_chance: float  # chance to deny a rumour of its own secret
    ratify_chance: float  # chance to ratify a secret in public when that pays
    statement_chance: float  # chance of a public statement a turn
    deceit_ok: bool  # whether it says in public what it does not mean
    # Talking.
    lie_chance: float  # chance to answer an ask falsely when the truth would cost it (marked deceptive)
    comply_chance: float  # chance to give way to a warning or a demilitarised zone that crosses its plan
    help_bias: float  # added to its will to lend a unit's support when asked
    ask_chance: float  # chance a turn to ask a neighbour something (its intentions, a support, a warning)
    # The map.
    aggression: float
    # Objectives.
    objective_weight: float = (
        1.0  # how much an objective riding on an agreement holds it back from breaking it
    )


LOYAL = Personality(
    name="loyal",
    proposals=2,
    propose_chance=0.55,
    secret_share=0.25,
    annex_chance=0.15,
    intermediary_chance=0.1,
    lull_chance=0.0,
    accept_bias=0.15,
    secret_bias=-0.2,
    constraint_weight=1.0,
    break_chance=0.07,
    trust_floor=30,
    gain_floor=1.0,
    renounce_share=0.7,
    plot_chance=0.0,
    spy_chance=0.25,
    intercept_chance=0.15,
    leak_rival_chance=0.25,
    leak_own_chance=0.0,
    deny_chance=0.1,
    ratify_chance=0.6,
    statement_chance=0.35,
    deceit_ok=False,
    lie_chance=0.0,
    comply_chance=0.6,
    help_bias=0.2,
    ask_chance=0.4,
    aggression=0.3,
    objective_weight=1.5,
)
OPPORTUNIST = Personality(
    name="opportunist",
    proposals=2,
    propose_chance=0.5,
    secret_share=0.5,
    annex_chance=0.3,
    intermediary_chance=0.2,
    lull_chance=0.1,
    accept_bias=0.05,
    secret_bias=0.0,
    constraint_weight=1.0,
    break_chance=0.75,
    trust_floor=60,
    gain_floor=0.6,
    renounce_share=0.15,
    plot_chance=0.45,
    spy_chance=0.45,
    intercept_chance=0.35,
    leak_rival_chance=0.5,
    leak_own_chance=0.05,
    deny_chance=0.5,
    ratify_chance=0.35,
    statement_chance=0.3,
    deceit_ok=True,
    lie_chance=0.3,
    comply_chance=0.35,
    help_bias=0.0,
    ask_chance=0.4,
    aggression=0.35,
    objective_weight=0.7,
)
SCHEMER = Personality(
    name="schemer",
    proposals=3,
    propose_chance=0.6,
    secret_share=0.85,
    annex_chance=0.5,
    intermediary_chance=0.3,
    lull_chance=0.35,
    accept_bias=0.15,
    secret_bias=0.3,
    constraint_weight=0.5,
    break_chance=0.85,
    trust_floor=80,
    gain_floor=0.3,
    renounce_share=0.05,
    plot_chance=0.5,
    spy_chance=0.8,
    intercept_chance=0.6,
    leak_rival_chance=0.8,
    leak_own_chance=0.25,
    deny_chance=0.85,
    ratify_chance=0.1,
    statement_chance=0.45,
    deceit_ok=True,
    lie_chance=0.6,
    comply_chance=0.2,
    help_bias=-0.1,
    ask_chance=0.5,
    aggression=0.4,
    objective_weight=0.45,
)

PERSONALITIES: Mapping[str, Personality] = {p.name: p for p in (LOYAL, OPPORTUNIST, SCHEMER)}


class BotsError(ValueError):
    """A `--bots` list that does not fit the scenario's seats."""


def default_mix(seats: Sequence[str], seed: int) -> dict[str, str]:
    """A deterministic mix for a seed: the three personalities in turn, shuffled among the seats."""
    names = [("loyal", "opportunist", "schemer")[i % 3] for i in range(len(seats))]
    Rng(seed, 0, "bot/personalities").shuffle(names)
    return dict(zip(seats, names, strict=True))


def parse_bots(text: str, seats: Sequence[str]) -> dict[str, str]:
    """`loyal,schemer,...`: one personality per seat (the states someone plays, in scenario order)."""
    names = [n.strip().lower() for n in text.split(",")] if text.strip() else []
    unknown = sorted({n for n in names if n not in PERSONALITIES})
    if unknown:
        raise BotsError(
            f"unknown personality {', '.join(repr(n) for n in unknown)}: choose from {', '.join(PERSONALITIES)}"
        )
    if len(names) != len(seats):
        if len(names) < len(seats):
            missing = ", ".join(seats[len(names) :])
            raise BotsError(
                f"--bots gives {len(names)} personalities for {len(seats)} seats ({', '.join(seats)}); "
                f"none for {missing}"
            )
        raise BotsError(
            f"--bots gives {len(names)} personalities for {len(seats)} seats ({', '.join(seats)}); "
            f"{len(names) - len(seats)} too many"
        )
    return dict(zip(seats, names, strict=True))

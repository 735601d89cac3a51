"""Breach detection, one clause kind at a time, kept and broken, with real orders on the classic board.

Each broken case checks three things: the evidence names the order (or the result) that broke the
clause; the state the clause protects always learns of the breach (it sees the `agreement_breached`
event and now knows the agreement); and others learn of it only if they know the agreement — a
secret agreement's breach is invisible to a third state, a public one's is seen by all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from game.rules.board import Board
from game.rules.errors import CommandError
from game.rules.game import Game
from game.rules.knowledge import OBSERVER
from game.rules.scenario import Scenario
from game.rules.views import turn_report, view_for
from game.scenario.loader import load_scenario

CLASSIC = Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml"
STATES = ("eng", "fra", "ger", "ita", "aus", "rus", "tur")


@pytest.fixture(scope="module")
def classic() -> Scenario:
    return load_scenario(CLASSIC)


@pytest.fixture(scope="module")
def board(classic: Scenario) -> Board:
    return Board.from_scenario(classic)


@pytest.fixture()
def game(classic: Scenario, board: Board) -> Game:
    return Game(classic, 7, board)


# --- helpers ---------------------------------------------------------------------------------------


def agree(
    game: Game, parties: list[str], clauses: list[dict[str, Any]], visibility: str = "secret", **extra: Any
) -> str:
    """Propose (by the first party) and sign by every other party; return the active agreement's id."""
    events = game.apply(
        {
            "kind": "propose",
            "state": parties[0],
            "parties": parties,
            "visibility": visibility,
            "clauses": clauses,
            **extra,
        }
    )
    ref = str(events[0]["agreement"])
    for party in parties[1:]:
        game.apply({"kind": "sign", "state": party, "agreement": ref})
    assert game.diplomacy.agreements[ref].status == "active"
    return ref


def play(game: Game, orders: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Submit orders and resolve the movement phase (and a retreat phase if one follows, unordered)."""
    for state, lines in orders.items():
        game.submit(state, lines)
    events = game.resolve()
    while game.phase == "retreat":
        events += game.resolve()
    return events


def breaches(events: Iterable[dict[str, Any]], ref: str | None = None) -> list[dict[str, Any]]:
    return [e for e in events if e["kind"] == "agreement_breached" and (ref is None or e["agreement"] == ref)]


def seen(game: Game, viewer: str) -> str:
    """Everything a viewer is sent: its view and every turn report, as JSON text."""
    parts = [view_for(game, viewer)] + [turn_report(game, viewer, t.turn) for t in game.turns]
    return json.dumps(parts, sort_keys=True)


def breach_events_seen(game: Game, viewer: str, ref: str) -> list[dict[str, Any]]:
    view = view_for(game, viewer)
    return [
        e
        for t in view["events"]
        for e in t["events"]
        if e["kind"] == "agreement_breached" and e["agreement"] == ref
    ]


def knows(game: Game, viewer: str, ref: str) -> bool:
    return any(a["id"] == ref and "clauses" in a for a in view_for(game, viewer)["agreements"])


def check_audiences(game: Game, ref: str, protected: Iterable[str], public: bool) -> None:
    """Those who knew the broken clause learn of the breach: the parties (and the intermediary), and
    everyone if the agreement is public.  A protected state that never knew a secret agreement sees
    only the attack itself: neither the breach nor the agreement, as any other outsider."""
    agreement = game.diplomacy.agreements[ref]
    assert agreement.status == "breached"
    for state in agreement.parties:
        assert breach_events_seen(game, state, ref), f"the party {state} was not told of the breach"
        assert knows(game, state, ref)
    for viewer in [*STATES, OBSERVER]:
        if viewer in agreement.parties:
            continue
        if public:
            assert breach_events_seen(game, viewer, ref), f"{viewer} does not see a public breach"
            if viewer in protected:
                assert knows(game, viewer, ref), (
                    f"{viewer} suffered a public breach of {ref} and cannot read it"
                )
        else:
            assert ref not in seen(game, viewer), f"{viewer} learnt of the secret {ref}"
            assert not breach_events_seen(game, viewer, ref)


def only_breach(events: list[dict[str, Any]], ref: str) -> dict[str, Any]:
    (breach,) = breaches(events, ref)
    return breach


# --- non-aggression --------------------------------------------------------------------------------


def test_non_aggression_kept(game: Game) -> None:
    ref = agree(game, ["ita", "aus"], [{"kind": "non_aggression"}], duration=1)
    events = play(game, {"ita": ["A ven - tyr"], "aus": ["F tri - alb"]})
    assert not breaches(events)
    assert game.diplomacy.agreements[ref].status == "expired"
    expired = [e for e in events if e["kind"] == "agreement_expired"]
    assert expired and expired[0]["kept"] is True


def test_non_aggression_broken_by_a_failed_attack_secret(game: Game) -> None:
    ref = agree(game, ["ita", "aus"], [{"kind": "non_aggression"}])
    events = play(game, {"ita": ["A ven - tri"]})
    breach = only_breach(events, ref)
    assert breach["breaker"] == "ita" and breach["protected"] == ["aus"]
    assert (
        breach["order"] == "A ven - tri"
        and "A ven - tri" in breach["evidence"]
        and "failed" in breach["evidence"]
    )
    check_audiences(game, ref, ["aus"], public=False)


def test_non_aggression_broken_by_supporting_an_attack_public(game: Game) -> None:
    ref = agree(game, ["ger", "aus"], [{"kind": "non_aggression"}], visibility="public")
    play(game, {"ger": ["A mun - tyr"], "aus": ["A vie - boh"]})
    assert not game.diplomacy.agreements[ref].breaches  # tyr belonged to nobody: no attack
    events = play(game, {"ita": ["A ven - tri"], "ger": ["A tyr S A ven - tri"], "aus": ["F tri H"]})
    breach = only_breach(events, ref)
    assert breach["breaker"] == "ger" and breach["protected"] == ["aus"]
    assert breach["order"] == "A tyr S A ven - tri" and "supported ita's attack" in breach["evidence"]
    check_audiences(game, ref, ["aus"], public=True)


# --- mutual defence ---------------------------------------------------------------------------------


def _tyrol_setup(game: Game) -> None:
    """Spring: an Austrian army goes to Tyrolia, next to German Munich and Italian Venice."""
    play(game, {"aus": ["A vie - tyr"]})


def test_mutual_defence_kept_by_supporting_the_ally(game: Game) -> None:
    _tyrol_setup(game)
    ref = agree(game, ["ger", "aus"], [{"kind": "mutual_defence"}])
    events = play(game, {"ita": ["A ven - tyr"], "aus": ["A tyr - boh"], "ger": ["A mun S A tyr - boh"]})
    assert any(e["kind"] == "move" and e["to"] == "tyr" for e in events)  # the Italian attack succeeded
    assert not breaches(events)
    assert game.diplomacy.agreements[ref].status == "active"


def test_mutual_defence_kept_when_the_attack_fails(game: Game) -> None:
    _tyrol_setup(game)
    ref = agree(game, ["ger", "aus"], [{"kind": "mutual_defence"}])
    events = play(game, {"ita": ["A ven - tyr"], "aus": ["A tyr H"], "ger": ["A mun S A tyr"]})
    assert not breaches(events)
    assert game.diplomacy.agreements[ref].status == "active"


def test_mutual_defence_broken_by_standing_by_secret(game: Game) -> None:
    _tyrol_setup(game)
    ref = agree(game, ["ger", "aus"], [{"kind": "mutual_defence"}])
    events = play(game, {"ita": ["A ven - tyr"], "aus": ["A tyr - boh"], "ger": ["A mun H"]})
    breach = only_breach(events, ref)
    assert breach["breaker"] == "ger" and breach["protected"] == ["aus"]
    assert "A ven - tyr" in breach["evidence"] and "mun" in breach["evidence"]
    check_audiences(game, ref, ["aus"], public=False)


def test_mutual_defence_broken_by_helping_the_attacker_public(game: Game) -> None:
    _tyrol_setup(game)
    ref = agree(game, ["ger", "aus"], [{"kind": "mutual_defence"}], visibility="public")
    events = play(game, {"ita": ["A ven - tyr"], "aus": ["A tyr H"], "ger": ["A mun S A ven - tyr"]})
    (breach,) = [b for b in breaches(events, ref)]
    assert breach["breaker"] == "ger" and breach["protected"] == ["aus"]
    assert "A mun S A ven - tyr" in breach["evidence"] + " ".join(breach["more"])
    check_audiences(game, ref, ["aus"], public=True)


# --- support promise -------------------------------------------------------------------------------

PROMISE = {"kind": "support_promise", "by": "ger", "unit_at": "mun", "target": "vie", "dest": "boh"}


def test_support_promise_kept(game: Game) -> None:
    ref = agree(game, ["ger", "aus"], [PROMISE])
    events = play(game, {"ger": ["A mun S A vie - boh"], "aus": ["A vie - boh"]})
    assert not breaches(events)
    assert game.units["boh"].state == "aus"
    events = play(game, {"ger": ["A mun - bur"]})  # due on its first turn only
    assert not breaches(events) and game.diplomacy.agreements[ref].status == "active"


def test_support_promise_broken_secret(game: Game) -> None:
    ref = agree(game, ["ger", "aus"], [PROMISE])
    events = play(game, {"ger": ["A mun - bur"], "aus": ["A vie - boh"]})
    breach = only_breach(events, ref)
    assert breach["breaker"] == "ger" and breach["protected"] == ["aus"]
    assert breach["order"] == "A mun - bur" and "A mun - bur" in breach["evidence"]
    check_audiences(game, ref, ["aus"], public=False)


def test_support_promise_to_a_third_state_broken_it_does_not_learn_the_secret(game: Game) -> None:
    """Germany and France secretly agree that Germany will support Austria; Austria is the one let down."""
    ref = agree(game, ["ger", "fra"], [{**PROMISE, "turn": 1}])
    assert "agr-" not in seen(game, "aus")
    events = play(game, {"ger": ["A mun H"], "aus": ["A vie - boh"]})
    breach = only_breach(events, ref)
    assert breach["protected"] == ["aus"] and breach["order"] == "A mun H" and "A mun H" in breach["evidence"]
    check_audiences(game, ref, ["aus"], public=False)


def test_a_protected_state_that_never_knew_sees_only_the_attack(game: Game) -> None:
    """The state a secret clause protected, but that never knew of it, is in the same place as if the
    agreement had never existed: the same view (no breach, no agreement) and the same trust row, so
    not even a number tells it the secret; it learns when the agreement leaks."""
    twin = Game(game.scenario, game.seed, game.board)
    ref = agree(game, ["ita", "fra"], [{"kind": "non_aggression", "between": ["ita", "aus"]}])
    for g in (game, twin):
        play(g, {"ita": ["A ven - tri"]})
    assert breaches([e for t in game.turns for e in t.events], ref)
    assert view_for(game, "aus") == view_for(twin, "aus")
    assert ref not in seen(game, "aus")


# --- cession ---------------------------------------------------------------------------------------


def test_cession_kept(game: Game) -> None:
    ref = agree(game, ["aus", "ita"], [{"kind": "cession", "territory": "tri", "to": "ita", "by_turn": 1}])
    events = play(game, {"aus": ["F tri - alb"], "ita": ["A ven - tri"]})
    assert not breaches(events)
    assert game.units["tri"].state == "ita"
    assert game.diplomacy.agreements[ref].status == "active"


def test_cession_broken_to_a_third_state(game: Game) -> None:
    """Austria and Germany secretly promise Trieste to Italy; Austria stays, and Italy learns of the deal."""
    ref = agree(game, ["aus", "ger"], [{"kind": "cession", "territory": "tri", "to": "ita", "by_turn": 2}])
    assert not breaches(play(game, {"aus": ["F tri H"]}))  # not due yet
    events = play(game, {"aus": ["F tri H"], "ita": ["A ven - tri"]})
    breach = only_breach(events, ref)
    assert breach["breaker"] == "aus" and breach["protected"] == ["ita"]
    assert "tri" in breach["evidence"] and "still holds it" in breach["evidence"]
    check_audiences(game, ref, ["ita"], public=False)


def test_cession_broken_public(game: Game) -> None:
    ref = agree(
        game, ["aus", "ita"], [{"kind": "cession", "territory": "tri", "to": "ita", "by_turn": 1}], "public"
    )
    events = play(game, {"aus": ["F tri H"], "ita": ["A ven - tri"]})
    breach = only_breach(events, ref)
    assert breach["breaker"] == "aus" and "tri" in breach["evidence"]
    check_audiences(game, ref, ["ita"], public=True)


# --- demilitarised zone ------------------------------------------------------------------------------

DMZ = {"kind": "demilitarised_zone", "territories": ["bur", "ruh"]}


def test_demilitarised_zone_kept(game: Game) -> None:
    ref = agree(game, ["fra", "ger"], [DMZ])
    events = play(game, {"fra": ["A par - pic"], "ger": ["A mun - tyr", "A ber - sil"]})
    events += play(game, {"fra": ["A pic - bel"], "ger": ["A tyr - boh"]})
    assert not breaches(events)
    assert game.diplomacy.agreements[ref].status == "active"


def test_demilitarised_zone_broken_by_moving_in_secret(game: Game) -> None:
    ref = agree(game, ["fra", "ger"], [DMZ])
    events = play(game, {"ger": ["A mun - bur"]})
    breach = only_breach(events, ref)
    assert breach["breaker"] == "ger" and breach["protected"] == ["fra"]
    assert "moved into" in breach["evidence"] and "bur" in breach["evidence"]
    check_audiences(game, ref, ["fra"], public=False)


def test_demilitarised_zone_broken_by_staying_public(game: Game) -> None:
    play(game, {"ger": ["A mun - bur"]})
    ref = agree(game, ["fra", "ger"], [DMZ], "public")
    events = play(game, {"ger": ["A bur H"]})  # the turn it is signed: time to withdraw
    assert not breaches(events)
    events = play(game, {"ger": ["A bur H"]})
    breach = only_breach(events, ref)
    assert (
        breach["breaker"] == "ger" and "kept a unit in" in breach["evidence"] and "bur" in breach["evidence"]
    )
    check_audiences(game, ref, ["fra"], public=True)


# --- spheres of influence ----------------------------------------------------------------------------

SPHERES = {
    "kind": "spheres_of_influence",
    "spheres": [{"state": "fra", "territories": ["bur", "pic"]}, {"state": "ger", "territories": ["ruh"]}],
}


def test_spheres_of_influence_kept(game: Game) -> None:
    ref = agree(game, ["fra", "ger"], [SPHERES])
    events = play(game, {"fra": ["A par - bur"], "ger": ["A mun - ruh"]})
    assert not breaches(events)
    assert game.diplomacy.agreements[ref].status == "active"


def test_spheres_of_influence_broken_even_by_a_failed_move_secret(game: Game) -> None:
    ref = agree(game, ["fra", "ger"], [SPHERES])
    events = play(game, {"fra": ["A par - bur"], "ger": ["A mun - bur"]})  # a bounce
    breach = only_breach(events, ref)
    assert breach["breaker"] == "ger" and breach["protected"] == ["fra"]
    assert breach["order"] == "A mun - bur" and "(it failed)" in breach["evidence"]
    check_audiences(game, ref, ["fra"], public=False)


def test_spheres_of_influence_of_a_third_state_broken_public(game: Game) -> None:
    clause = {"kind": "spheres_of_influence", "spheres": [{"state": "aus", "territories": ["tyr", "boh"]}]}
    ref = agree(game, ["ger", "ita"], [clause], "public")
    events = play(game, {"ger": ["A mun - boh"]})
    breach = only_breach(events, ref)
    assert breach["breaker"] == "ger" and breach["protected"] == ["aus"] and breach["order"] == "A mun - boh"
    check_audiences(game, ref, ["aus"], public=True)


# --- neutrality ------------------------------------------------------------------------------------

NEUTRAL = {"kind": "neutrality", "conflict": ["ita", "aus"]}


def _neutral_germany(game: Game, visibility: str = "secret") -> str:
    play(game, {"ger": ["A mun - tyr"]})  # Tyrolia belonged to nobody: no attack
    return agree(game, ["ger", "rus"], [NEUTRAL], visibility)


def test_neutrality_kept(game: Game) -> None:
    ref = _neutral_germany(game)
    events = play(game, {"ita": ["A ven - tri"], "ger": ["A tyr H"], "rus": ["A war - gal"]})
    assert not breaches(events)
    assert game.diplomacy.agreements[ref].status == "active"


def test_neutrality_broken_by_taking_a_side_secret(game: Game) -> None:
    """Neutral Germany supports Italy's attack on Austria; Austria, not a party, learns of the secret."""
    ref = _neutral_germany(game)
    events = play(game, {"ita": ["A ven - tri"], "ger": ["A tyr S A ven - tri"], "aus": ["F tri H"]})
    breach = only_breach(events, ref)
    assert breach["breaker"] == "ger" and breach["protected"] == ["aus"]
    assert breach["order"] == "A tyr S A ven - tri" and "took a side" in breach["evidence"]
    check_audiences(game, ref, ["aus"], public=False)


def test_neutrality_broken_by_attacking_public(game: Game) -> None:
    ref = _neutral_germany(game, "public")
    events = play(game, {"ger": ["A tyr - vie"], "aus": ["A vie - gal"]})
    breach = only_breach(events, ref)
    assert breach["breaker"] == "ger" and breach["protected"] == ["aus"] and breach["order"] == "A tyr - vie"
    check_audiences(game, ref, ["aus"], public=True)


# --- tribute ---------------------------------------------------------------------------------------

TRIBUTE = {"kind": "tribute", "payer": "ger", "payee": "fra", "amount": 3}


def _year(game: Game, pay: int) -> list[dict[str, Any]]:
    if pay:
        game.apply({"kind": "pay", "state": "ger", "to": "fra", "amount": pay})
    events = play(game, {})  # spring
    assert not breaches(events)  # tribute falls due only at the year's end
    events += play(game, {})  # autumn, then the year's end
    assert game.year == 1902
    return events


def test_tribute_kept(game: Game) -> None:
    game.treasury["ger"] = 10
    ref = agree(game, ["ger", "fra"], [TRIBUTE])
    events = _year(game, 3)
    assert not breaches(events)
    assert game.diplomacy.agreements[ref].status == "active"
    assert game.treasury["fra"] == 3 + 3  # the tribute, then the year's income from three homes
    events = play(game, {}) + play(game, {})  # a second year without payment breaks it
    assert only_breach(events, ref)["evidence"] == "ger paid fra 0 of the 3 due this year"


def test_tribute_broken_secret(game: Game) -> None:
    game.treasury["ger"] = 10
    ref = agree(game, ["ger", "fra"], [TRIBUTE])
    events = _year(game, 1)
    breach = only_breach(events, ref)
    assert breach["breaker"] == "ger" and breach["protected"] == ["fra"]
    assert breach["evidence"] == "ger paid fra 1 of the 3 due this year"
    check_audiences(game, ref, ["fra"], public=False)


def test_tribute_to_a_third_state_broken_public(game: Game) -> None:
    game.treasury["ger"] = 10
    ref = agree(game, ["ger", "rus"], [TRIBUTE], "public")
    breach = only_breach(_year(game, 0), ref)
    assert (
        breach["breaker"] == "ger"
        and breach["protected"] == ["fra"]
        and "paid fra 0 of the 3" in breach["evidence"]
    )
    check_audiences(game, ref, ["fra"], public=True)


# --- intelligence sharing ------------------------------------------------------------------------------


def _sure_spies(classic: Scenario) -> Scenario:
    rules = classic.rules.model_copy(
        update={
            "intelligence": classic.rules.intelligence.model_copy(
                update={"investigate_chance": 1.0, "intercept_chance": 1.0}
            )
        }
    )
    return classic.model_copy(update={"rules": rules})


def test_intelligence_sharing_shares_a_discovery(classic: Scenario, board: Board) -> None:
    game = Game(_sure_spies(classic), 3, board)
    game.treasury["fra"] = 10
    sharing = agree(game, ["fra", "eng"], [{"kind": "intelligence_sharing"}])
    hidden = agree(game, ["ger", "aus"], [{"kind": "free_text", "text": "HIDDEN-TERMS"}])
    game.apply({"kind": "press", "state": "ger", "to": ["aus"], "text": "PRIVATE-NOTE"})
    game.apply({"kind": "investigate", "state": "fra", "target": "ger"})
    game.apply({"kind": "intercept", "state": "fra", "target": "ger"})
    assert "HIDDEN-TERMS" not in seen(game, "eng")
    events = play(game, {})
    assert not breaches(events)  # sharing is kept: France spied on Germany, not on its partner
    found = [e for e in events if e["kind"] == "agreement_discovered"]
    assert [(e["agreement"], e["audience"]) for e in found] == [(hidden, ("eng", "fra"))]
    for state in ("fra", "eng"):  # the partner learns what France found
        assert (
            knows(game, state, hidden)
            and "HIDDEN-TERMS" in seen(game, state)
            and "PRIVATE-NOTE" in seen(game, state)
        )
    for state in ("ita", "rus", "tur", OBSERVER):
        text = seen(game, state)
        assert hidden not in text and "HIDDEN-TERMS" not in text and "PRIVATE-NOTE" not in text
    assert game.diplomacy.agreements[sharing].status == "active"


def test_intelligence_sharing_broken_by_spying_on_a_partner_secret(classic: Scenario, board: Board) -> None:
    game = Game(classic, 3, board)
    game.treasury["fra"] = 10
    ref = agree(game, ["fra", "eng"], [{"kind": "intelligence_sharing"}])
    game.apply({"kind": "investigate", "state": "fra", "target": "eng"})
    events = play(game, {})
    breach = only_breach(events, ref)
    assert breach["breaker"] == "fra" and breach["protected"] == ["eng"]
    assert breach["evidence"] == "fra spied on its intelligence partner eng"
    check_audiences(game, ref, ["eng"], public=False)


def test_intelligence_sharing_broken_by_intercepting_a_partner_public(
    classic: Scenario, board: Board
) -> None:
    game = Game(classic, 3, board)
    game.treasury["eng"] = 10
    ref = agree(game, ["fra", "eng", "ita"], [{"kind": "intelligence_sharing"}], "public")
    game.apply({"kind": "intercept", "state": "eng", "target": "ita"})
    breach = only_breach(play(game, {}), ref)
    assert breach["breaker"] == "eng" and breach["protected"] == ["ita"] and "spied on" in breach["evidence"]
    check_audiences(game, ref, ["ita"], public=True)


# --- free text -------------------------------------------------------------------------------------

FREE = {"kind": "free_text", "text": "Neither side builds fleets in the Baltic"}


def test_free_text_kept_is_never_breached_by_the_umpire(game: Game) -> None:
    ref = agree(game, ["ger", "rus"], [FREE])
    events = play(game, {"ger": ["F kie - bal", "A ber - pru"], "rus": ["A war - sil"]})
    assert not breaches(events)
    assert game.diplomacy.agreements[ref].status == "active"


def test_free_text_broken_only_by_a_partys_declaration_secret(game: Game) -> None:
    ref = agree(game, ["ger", "rus"], [{"kind": "non_aggression"}, FREE])
    before = game.record()
    with pytest.raises(CommandError, match=f"no agreement {ref} known to eng"):  # a third state cannot
        game.apply(
            {"kind": "declare_breach", "state": "eng", "agreement": ref, "clause": 1, "breaker": "ger"}
        )
    with pytest.raises(
        CommandError, match="only a free-text clause"
    ):  # nor can a party declare a checked clause
        game.apply(
            {"kind": "declare_breach", "state": "rus", "agreement": ref, "clause": 0, "breaker": "ger"}
        )
    with pytest.raises(CommandError, match="no clause 5"):
        game.apply(
            {"kind": "declare_breach", "state": "rus", "agreement": ref, "clause": 5, "breaker": "ger"}
        )
    with pytest.raises(CommandError, match="not a party"):
        game.apply(
            {"kind": "declare_breach", "state": "rus", "agreement": ref, "clause": 1, "breaker": "eng"}
        )
    assert game.record() == before
    events = game.apply(
        {"kind": "declare_breach", "state": "rus", "agreement": ref, "clause": 1, "breaker": "ger"}
    )
    breach = only_breach(events, ref)
    assert (
        breach["breaker"] == "ger" and breach["protected"] == ["rus"] and breach["clause_kind"] == "free_text"
    )
    assert breach["evidence"] == f"declared by rus: {FREE['text']}"
    check_audiences(game, ref, ["rus"], public=False)


def test_free_text_declared_breach_of_a_public_agreement_is_public(game: Game) -> None:
    ref = agree(game, ["ger", "rus", "tur"], [FREE], "public")
    events = game.apply(
        {"kind": "declare_breach", "state": "tur", "agreement": ref, "clause": 0, "breaker": "rus"}
    )
    breach = only_breach(events, ref)
    assert breach["protected"] == ["ger", "tur"]
    check_audiences(game, ref, ["ger", "tur"], public=True)
    assert game.diplomacy.reputation("rus") < game.diplomacy.reputation("ger")


# --- across kinds ------------------------------------------------------------------------------------


def test_a_breached_secret_agreement_leaves_no_trace_for_third_states(game: Game) -> None:
    """Beyond the attack itself (public, as any attack), nothing of a secret breach reaches others:
    their views, trust rows, and the public record and reputation are as if there were no agreement."""
    twin = Game(game.scenario, game.seed, game.board)
    ref = agree(game, ["ita", "aus"], [{"kind": "non_aggression"}])
    play(game, {"ita": ["A ven - tri"]})
    play(twin, {"ita": ["A ven - tri"]})
    assert breaches([e for t in game.turns for e in t.events], ref)
    for viewer in ("eng", "fra", "ger", "rus", "tur", OBSERVER):
        mine, theirs = view_for(game, viewer), view_for(twin, viewer)
        assert mine == theirs, f"{viewer} can tell a secret agreement was breached"


def test_only_the_first_breach_of_an_agreement_counts(game: Game) -> None:
    ref = agree(
        game,
        ["ita", "aus"],
        [{"kind": "non_aggression"}, {"kind": "demilitarised_zone", "territories": ["tyr"]}],
    )
    events = play(game, {"ita": ["A ven - tri"], "aus": ["A vie - tyr"]})
    assert len(breaches(events, ref)) == 1
    assert not breaches(play(game, {"ita": ["A ven - tri"]}), ref)  # it is over: no second breach


def test_evidence_names_orders_not_unrelated_secrets(game: Game) -> None:
    """The evidence of a breach may not quote another secret agreement."""
    other = agree(game, ["eng", "rus"], [{"kind": "free_text", "text": "OTHER-SECRET"}])
    ref = agree(game, ["ita", "aus"], [{"kind": "non_aggression"}])
    events = play(game, {"ita": ["A ven - tri"]})
    text = json.dumps(breaches(events, ref))
    assert other not in text and "OTHER-SECRET" not in text
    assert re.search(r"agr-[0-9]+", text.replace(ref, "")) is None


def test_july_1914_germany_is_not_told_a_secret_neutrality_it_was_protected_by() -> None:
    """The case that was reported (then on a july-1914 whose Prinetti-Barrere accord was written
    as Italy's neutrality in a war of France and Germany): Italy's attack on Germany breaks a secret
    neutrality of Italy's towards Germany that Germany never knew.  Germany sees the attack; the
    agreement and its breach stay France's and Italy's."""
    from game.scenario.loader import load_scenario

    scenario = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "july-1914.yaml")
    game = Game(scenario, 1)
    ref = agree(
        game, ["ita", "fra"], [{"kind": "neutrality", "conflict": ["fra", "ger"], "neutral": ["ita"]}]
    )
    accord = game.diplomacy.agreements[ref]
    for orders in (["A ven - tyr"], ["A tyr - mun"]):
        turn = game.turn
        game.submit("ita", orders)
        while game.turn == turn:
            game.resolve()
    assert accord.breaches, "Italy's attack on Munich should break the neutrality"
    assert accord.breaches[0]["protected"] == ["ger"] and accord.leak_level == "none"
    assert accord.id not in seen(game, "ger")
    assert not breach_events_seen(game, "ger", accord.id)
    for party in ("fra", "ita"):
        assert breach_events_seen(game, party, accord.id)

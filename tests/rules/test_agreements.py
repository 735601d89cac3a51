"""The life of an agreement: proposal, signature, rejection, counter-proposal, renunciation,
ratification, deliberate leaks, denial, justification, intermediaries, secret annexes, expiry,
lapse, falling governments; bad commands that change nothing; no oracle; replay.

Leaks are made certain where a test needs one by a scenario whose leak constants say so
(`certain_leaks`), so no test depends on a lucky seed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from game.rules.board import Board
from game.rules.errors import CommandError
from game.rules.game import Game, replay
from game.rules.knowledge import OBSERVER
from game.rules.scenario import Scenario
from game.rules.views import turn_report, view_for
from game.scenario.loader import load_scenario

CLASSIC = Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml"
STATES = ("eng", "fra", "ger", "ita", "aus", "rus", "tur")
AGREEMENT_ID = re.compile(r"agr-[0-9]{4}")


@pytest.fixture(scope="module")
def classic() -> Scenario:
    return load_scenario(CLASSIC)


@pytest.fixture(scope="module")
def board(classic: Scenario) -> Board:
    return Board.from_scenario(classic)


@pytest.fixture()
def game(classic: Scenario, board: Board) -> Game:
    return Game(classic, 11, board)


def with_rules(
    scenario: Scenario, leaks: dict[str, float] | None = None, **sections: dict[str, Any]
) -> Scenario:
    rules = scenario.rules
    update: dict[str, Any] = {}
    if leaks:
        update["leaks"] = rules.leaks.model_copy(update=leaks)
    for name, values in sections.items():
        update[name] = getattr(rules, name).model_copy(update=values)
    return scenario.model_copy(update={"rules": rules.model_copy(update=update)})


def certain_leaks(scenario: Scenario, **consequences: Any) -> Scenario:
    """Every secret leaks every turn: a rumour on the first roll, an exposé on the next."""
    extra = {"consequences": consequences} if consequences else {}
    return with_rules(scenario, {"base": 1.0, "maximum": 1.0, "intermediary_factor": 1.0}, **extra)


def funded(scenario: Scenario, amount: int) -> Scenario:
    """Every state starts with a treasury (in the scenario, so that a replay starts with it too)."""
    return scenario.model_copy(
        update={"states": [s.model_copy(update={"treasury": amount}) for s in scenario.states]}
    )


def no_leaks(scenario: Scenario) -> Scenario:
    return with_rules(
        scenario,
        {
            "base": 0.0,
            "per_democracy": 0.0,
            "per_turn_of_age": 0.0,
            "per_investigation": 0.0,
            "per_extra_party": 0.0,
            "rumour_bonus": 0.0,
            "maximum": 0.0,
        },
    )


def propose(game: Game, parties: list[str], clauses: list[dict[str, Any]] | None = None, **extra: Any) -> str:
    command = {
        "kind": "propose",
        "state": parties[0],
        "parties": parties,
        "clauses": clauses or [FREE],
        **extra,
    }
    return str(game.apply(command)[0]["agreement"])


def agree(game: Game, parties: list[str], clauses: list[dict[str, Any]] | None = None, **extra: Any) -> str:
    ref = propose(game, parties, clauses, **extra)
    for party in parties[1:]:
        game.apply({"kind": "sign", "state": party, "agreement": ref})
    return ref


def act(game: Game, kind: str, state: str, ref: str) -> list[dict[str, Any]]:
    return game.apply({"kind": kind, "state": state, "agreement": ref})


def seen(game: Game, viewer: str) -> str:
    parts = [view_for(game, viewer)] + [turn_report(game, viewer, t.turn) for t in game.turns]
    return json.dumps(parts, sort_keys=True)


def view_of(game: Game, viewer: str, ref: str) -> dict[str, Any] | None:
    for a in view_for(game, viewer)["agreements"]:
        if a["id"] == ref:
            return dict(a)
    return None


def events(game: Game, kind: str) -> list[dict[str, Any]]:
    return [e for t in game.turns for e in t.events if e["kind"] == kind]


FREE = {"kind": "free_text", "text": "TERMS-MAIN"}
ANNEX = {"kind": "free_text", "text": "TERMS-ANNEX"}


# --- proposal, signature, rejection, counter ------------------------------------------------------------


def test_the_proposer_signs_and_the_others_sign_until_active(game: Game) -> None:
    ref = propose(game, ["ger", "aus", "ita"])
    a = game.diplomacy.agreements[ref]
    assert a.status == "proposed" and a.signed == ["ger"]
    for viewer in ("ger", "aus", "ita"):
        assert view_of(game, viewer, ref) is not None
    for viewer in ("eng", "fra", "rus", "tur", OBSERVER):
        assert ref not in seen(game, viewer)
    (signature,) = act(game, "sign", "aus", ref)
    assert signature["kind"] == "agreement_signature" and a.status == "proposed"
    with pytest.raises(CommandError, match="already signed"):
        act(game, "sign", "aus", ref)
    signed = act(game, "sign", "ita", ref)
    assert signed[0]["kind"] == "agreement_signed" and a.status == "active" and a.start_turn == 1
    assert ref not in seen(game, "eng")  # secret by default
    with pytest.raises(CommandError, match="only a proposal"):
        act(game, "sign", "ita", ref)


def test_a_public_agreement_is_seen_by_all_once_active_not_while_proposed(game: Game) -> None:
    ref = propose(game, ["fra", "eng"], visibility="public")
    assert ref not in seen(game, "ger") and ref not in seen(game, OBSERVER)
    act(game, "sign", "eng", ref)
    for viewer in ("ger", OBSERVER):
        v = view_of(game, viewer, ref)
        assert v is not None and v["clauses"][0]["text"] == "TERMS-MAIN"


def test_reject(game: Game) -> None:
    ref = propose(game, ["ger", "aus"])
    (event,) = act(game, "reject", "aus", ref)
    assert event["kind"] == "agreement_rejected" and game.diplomacy.agreements[ref].status == "rejected"
    assert ref not in seen(game, "ita")
    with pytest.raises(CommandError, match="only a proposal"):
        act(game, "sign", "aus", ref)


def test_counter_supersedes_the_old_proposal(game: Game) -> None:
    old = propose(game, ["ger", "aus"], intermediary="ita")
    (event,) = game.apply(
        {
            "kind": "counter",
            "state": "aus",
            "agreement": old,
            "clauses": [{"kind": "non_aggression"}],
            "visibility": "secret",
        }
    )
    new = str(event["agreement"])
    assert event["counter_of"] == old and new != old
    assert game.diplomacy.agreements[old].status == "superseded"
    fresh = game.diplomacy.agreements[new]
    assert fresh.proposer == "aus" and fresh.signed == ["aus"] and fresh.intermediary == "ita"
    assert view_of(game, "ita", new) is not None  # the intermediary follows the negotiation
    with pytest.raises(CommandError, match="is superseded; only a proposal"):
        act(game, "sign", "ger", old)
    act(game, "sign", "ger", new)
    assert fresh.status == "active"
    assert new not in seen(game, "eng") and old not in seen(game, "eng")


def test_a_public_agreement_does_not_reveal_the_secret_proposal_it_answered(game: Game) -> None:
    """Bug found (by test_secrecy_property): a public agreement's view named the secret proposal it
    was a counter to (`counter_of`), so every state learnt the id of a proposal it never saw."""
    old = propose(game, ["ger", "aus"], intermediary="ita")
    (event,) = game.apply(
        {"kind": "counter", "state": "aus", "agreement": old, "visibility": "public", "clauses": [FREE]}
    )
    new = str(event["agreement"])
    act(game, "sign", "ger", new)
    for negotiator in ("ger", "aus", "ita"):
        v = view_of(game, negotiator, new)
        assert v is not None and v["counter_of"] == old
    for viewer in ("eng", "fra", OBSERVER):
        v = view_of(game, viewer, new)
        assert v is not None and v["counter_of"] is None
        assert old not in seen(game, viewer)


# --- renunciation ------------------------------------------------------------------------------------


def test_renounce(game: Game) -> None:
    ref = agree(game, ["ger", "aus"], visibility="public")
    trust = game.diplomacy.trust["aus"]["ger"]
    (event,) = act(game, "renounce", "ger", ref)
    assert event["kind"] == "agreement_renounced" and event["audience"] == "all"
    assert game.diplomacy.agreements[ref].status == "renounced"
    assert game.diplomacy.trust["aus"]["ger"] < trust
    assert game.diplomacy.conduct["ger"]["renounced"] == 1
    with pytest.raises(CommandError, match="only an active"):
        act(game, "renounce", "aus", ref)


def test_renouncing_a_secret_is_secret(game: Game) -> None:
    ref = agree(game, ["ger", "aus"])
    act(game, "renounce", "aus", ref)
    assert game.diplomacy.conduct["aus"]["renounced"] == 0  # the public conduct shows nothing
    assert ref not in seen(game, "fra") and ref not in seen(game, OBSERVER)


# --- ratification ------------------------------------------------------------------------------------


def test_ratification_needs_every_party_makes_it_public_and_gains_legitimacy(game: Game) -> None:
    ref = agree(game, ["ger", "aus", "ita"])
    before = dict(game.diplomacy.legitimacy)
    gain = game.scenario.rules.consequences.legitimacy_ratify
    with pytest.raises(CommandError, match=f"no agreement {ref} known to eng"):
        act(game, "ratify", "eng", ref)
    (partial,) = act(game, "ratify", "ger", ref)
    assert partial["kind"] == "agreement_ratification" and partial["audience"] == ("aus", "ger", "ita")
    with pytest.raises(CommandError, match="already ratified"):
        act(game, "ratify", "ger", ref)
    act(game, "ratify", "aus", ref)
    assert ref not in seen(game, "eng")  # not yet: Italy has not ratified
    assert game.diplomacy.legitimacy == before
    (done,) = act(game, "ratify", "ita", ref)
    assert done["kind"] == "agreement_ratified" and done["audience"] == "all"
    a = game.diplomacy.agreements[ref]
    assert a.visibility == "public" and not a.secret
    for p in ("ger", "aus", "ita"):
        assert game.diplomacy.legitimacy[p] == before[p] + gain
    for s in ("eng", "fra", "rus"):
        assert game.diplomacy.legitimacy[s] == before[s]
    v = view_of(game, OBSERVER, ref)
    assert v is not None and v["clauses"] == [FREE | {"against": []}]
    with pytest.raises(CommandError, match="nothing secret"):
        act(game, "ratify", "ita", ref)


def test_a_ratified_annex_is_public_and_never_leaks_afterwards(classic: Scenario, board: Board) -> None:
    """Bug found: ratifying a public agreement's annex left the annex hidden from observers and
    still rolling for leaks, so a later 'exposé' of a ratified annex cost legitimacy."""
    game = Game(certain_leaks(classic), 5, board)
    ref = agree(game, ["ger", "aus"], visibility="public", annex=[ANNEX])
    assert "TERMS-ANNEX" not in seen(game, OBSERVER) and "TERMS-ANNEX" not in seen(game, "eng")
    act(game, "ratify", "ger", ref)
    act(game, "ratify", "aus", ref)
    legitimacy = dict(game.diplomacy.legitimacy)
    for viewer in ("eng", OBSERVER):
        v = view_of(game, viewer, ref)
        assert v is not None and v["annex"] == [ANNEX | {"against": []}]
    resolved = game.resolve() + game.resolve()
    assert not [e for e in resolved if e["kind"] in ("agreement_leaked", "backlash")]
    assert game.diplomacy.legitimacy["ger"] >= legitimacy["ger"]


# --- leaks, denial, justification ---------------------------------------------------------------------


def test_a_party_may_leak_deliberately_and_only_the_leaker_knows_who(game: Game) -> None:
    ref = agree(game, ["ger", "aus"], [FREE])
    with pytest.raises(CommandError, match=f"no agreement {ref} known to eng"):
        act(game, "leak", "eng", ref)
    (planned,) = act(game, "leak", "aus", ref)
    assert planned["audience"] == ("aus",)
    with pytest.raises(CommandError, match="already leaking"):
        act(game, "leak", "aus", ref)
    assert "leak_planned" not in seen(game, "ger")
    resolved = game.resolve()
    (leak,) = [e for e in resolved if e["kind"] == "agreement_leaked"]
    assert leak["level"] == "exposed" and leak["how"] == "deliberate" and leak["audience"] == "all"
    assert {e["state"] for e in resolved if e["kind"] == "backlash"} == {"ger", "aus"}
    assert "TERMS-MAIN" in seen(game, OBSERVER) and "leak_done" not in seen(game, "ger")
    assert "leak_done" in seen(game, "aus")
    with pytest.raises(CommandError, match="no secret left"):
        act(game, "leak", "ger", ref)


def test_a_state_that_discovered_a_secret_may_leak_it(classic: Scenario, board: Board) -> None:
    game = Game(with_rules(classic, intelligence={"investigate_chance": 1.0}), 2, board)
    game.treasury["fra"] = 5
    ref = agree(game, ["ger", "aus"], [FREE])
    game.apply({"kind": "investigate", "state": "fra", "target": "aus"})
    game.resolve()
    assert view_of(game, "fra", ref) is not None and "TERMS-MAIN" in seen(game, "fra")
    act(game, "leak", "fra", ref)
    with pytest.raises(CommandError, match="known to eng"):
        act(game, "leak", "eng", ref)
    game.resolve()
    assert game.diplomacy.agreements[ref].leak_level == "exposed"
    assert "TERMS-MAIN" in seen(game, "eng")


def _exposed_loss(scenario: Scenario, board: Board, deny: bool) -> tuple[Game, str, int]:
    game = Game(scenario, 4, board)
    ref = agree(game, ["fra", "ger"], [{"kind": "non_aggression", "against": ["eng"]}, FREE])
    first = game.resolve()
    assert [e["level"] for e in first if e["kind"] == "agreement_leaked"] == ["rumour"]
    assert "TERMS-MAIN" not in seen(game, OBSERVER)
    v = view_of(game, OBSERVER, ref)
    assert v is not None and v["parties"] == ["fra", "ger"] and "clauses" not in v  # a rumour: parties only
    if deny:
        (denial,) = act(game, "deny", "fra", ref)
        assert denial["audience"] == "all"
    before = game.diplomacy.legitimacy["fra"]
    second = game.resolve()
    assert [e["level"] for e in second if e["kind"] == "agreement_leaked"] == ["exposed"]
    return game, ref, before - game.diplomacy.legitimacy["fra"]


def test_a_denial_deepens_the_credibility_gap_when_exposed(classic: Scenario, board: Board) -> None:
    scenario = certain_leaks(classic, legitimacy_exposure=20)
    _, _, plain = _exposed_loss(scenario, board, deny=False)
    denier, _, denied = _exposed_loss(scenario, board, deny=True)
    # France is a democracy (factor 1.5): gap 0.3 → 9, after a denial 0.6 → 18
    assert (plain, denied) == (9, 18)
    (backlash,) = [e for e in events(denier, "backlash") if e["state"] == "fra"]
    assert backlash["credibility_gap"] == 0.6


def test_only_a_rumour_can_be_denied_and_only_by_a_party(classic: Scenario, board: Board, game: Game) -> None:
    ref = agree(game, ["fra", "ger"])
    with pytest.raises(CommandError, match="not a rumour"):
        act(game, "deny", "fra", ref)
    leaky = Game(certain_leaks(classic), 4, board)
    ref = agree(leaky, ["fra", "ger"], intermediary="ita")
    leaky.resolve()
    assert leaky.diplomacy.agreements[ref].leak_level == "rumour"
    with pytest.raises(CommandError, match=f"no agreement {ref} known to eng"):
        act(leaky, "deny", "eng", ref)  # everyone heard the rumour; only those who know may act on it
    with pytest.raises(CommandError, match="only a party"):
        act(leaky, "deny", "ita", ref)
    act(leaky, "deny", "ger", ref)
    assert leaky.diplomacy.agreements[ref].denied_by == ["ger"]


def test_justification_softens_the_loss_at_home_not_the_trust_abroad(classic: Scenario, board: Board) -> None:
    scenario = certain_leaks(classic, legitimacy_exposure=20)
    game, ref, lost = _exposed_loss(scenario, board, deny=False)
    trust = {s: dict(row) for s, row in game.diplomacy.trust.items()}
    assert trust["eng"]["fra"] < 50  # England was the target: it trusts the parties less
    legitimacy = game.diplomacy.legitimacy["fra"]
    (event,) = act(game, "justify", "fra", ref)
    factor = scenario.rules.consequences.justification_factor
    assert event["legitimacy_regained"] == round(lost * (1 - factor)) > 0
    assert game.diplomacy.legitimacy["fra"] == legitimacy + event["legitimacy_regained"]
    assert game.diplomacy.trust == trust
    with pytest.raises(CommandError, match="already justified"):
        act(game, "justify", "fra", ref)


def test_only_an_exposed_agreement_can_be_justified(game: Game) -> None:
    ref = agree(game, ["fra", "ger"])
    with pytest.raises(CommandError, match="not been exposed"):
        act(game, "justify", "ger", ref)


# --- intermediary --------------------------------------------------------------------------------------


def test_an_intermediary_knows_but_cannot_sign_or_be_a_party(game: Game) -> None:
    with pytest.raises(CommandError, match="intermediary cannot be a party"):
        propose(game, ["ger", "aus"], intermediary="aus")
    ref = propose(game, ["ger", "aus"], [FREE], intermediary="ita", annex=[], visibility="secret")
    v = view_of(game, "ita", ref)
    assert v is not None and v["intermediary"] == "ita" and v["clauses"][0]["text"] == "TERMS-MAIN"
    with pytest.raises(CommandError, match="only a party"):
        act(game, "sign", "ita", ref)
    act(game, "sign", "aus", ref)
    assert game.diplomacy.agreements[ref].status == "active"
    assert ref in seen(game, "ita") and ref not in seen(game, "fra")


# --- secret annex ----------------------------------------------------------------------------------------


def test_a_secret_annex_is_hidden_until_exposed(classic: Scenario, board: Board) -> None:
    game = Game(certain_leaks(classic), 6, board)
    ref = agree(game, ["ger", "rus"], [FREE], visibility="public", annex=[ANNEX])
    for viewer in ("eng", "fra", OBSERVER):
        v = view_of(game, viewer, ref)
        assert v is not None and v["clauses"][0]["text"] == "TERMS-MAIN"
        assert "annex" not in v  # not even its existence shows
        assert "TERMS-ANNEX" not in seen(game, viewer)
    for party in ("ger", "rus"):
        v = view_of(game, party, ref)
        assert v is not None and v["annex"][0]["text"] == "TERMS-ANNEX"
    resolved = game.resolve()
    (leak,) = [e for e in resolved if e["kind"] == "agreement_leaked"]
    assert leak["level"] == "exposed"  # an annex goes straight to an exposé
    for viewer in ("eng", OBSERVER):
        v = view_of(game, viewer, ref)
        assert v is not None and v["annex"][0]["text"] == "TERMS-ANNEX"


# --- expiry, lapse, falling governments ------------------------------------------------------------


def test_an_agreement_expires_kept_at_the_end_of_its_duration(game: Game) -> None:
    ref = agree(game, ["fra", "eng"], [{"kind": "non_aggression"}], visibility="public", duration=2)
    trust = game.diplomacy.trust["fra"]["eng"]
    game.resolve()
    assert game.diplomacy.agreements[ref].status == "active"
    resolved = game.resolve()
    (expired,) = [e for e in resolved if e["kind"] == "agreement_expired"]
    assert expired["kept"] is True and expired["audience"] == "all"
    assert game.diplomacy.agreements[ref].status == "expired"
    assert game.diplomacy.trust["fra"]["eng"] == trust + game.scenario.rules.consequences.trust_kept
    assert game.diplomacy.conduct["fra"]["kept"] == 1


def test_a_secret_agreement_expires_in_secret(game: Game) -> None:
    ref = agree(game, ["fra", "eng"], duration=1)
    game.resolve()
    assert game.diplomacy.agreements[ref].status == "expired"
    assert game.diplomacy.conduct["fra"]["kept"] == 0
    assert ref not in seen(game, "ger")


def test_a_proposal_unsigned_for_two_turns_lapses(game: Game) -> None:
    ref = propose(game, ["fra", "eng"])
    game.resolve()
    assert game.diplomacy.agreements[ref].status == "proposed"  # still open in the second turn
    game.resolve()
    assert game.diplomacy.agreements[ref].status == "rejected"  # unsigned for two turns
    with pytest.raises(CommandError, match="only a proposal"):
        act(game, "sign", "eng", ref)
    signed = propose(game, ["fra", "eng"])
    game.resolve()
    act(game, "sign", "eng", signed)  # signed in its second turn: in force
    assert game.diplomacy.agreements[signed].status == "active"


def test_a_fallen_government_s_secret_agreements_lapse(game: Game) -> None:
    game.diplomacy.legitimacy["ita"] = game.diplomacy.thresholds["ita"] + 2
    public = agree(game, ["ita", "aus"], [{"kind": "non_aggression"}], visibility="public")
    secret = agree(game, ["ita", "fra"], [FREE])
    pending = propose(game, ["ita", "rus"])
    other = agree(game, ["fra", "eng"])
    game.submit("ita", ["A ven - tri"])  # a public breach costs legitimacy: below the threshold
    resolved = game.resolve()
    (fell,) = [e for e in resolved if e["kind"] == "government_fell"]
    assert fell["state"] == "ita" and fell["audience"] == "all"
    status = {ref: game.diplomacy.agreements[ref].status for ref in (public, secret, pending, other)}
    assert status == {public: "breached", secret: "lapsed", pending: "lapsed", other: "active"}
    lapsed = [e for e in resolved if e["kind"] == "agreement_lapsed"]
    assert {e["agreement"] for e in lapsed} == {secret, pending}
    assert game.diplomacy.legitimacy["ita"] > game.diplomacy.thresholds["ita"]  # a new government
    for viewer in ("ger", "tur", OBSERVER):
        text = seen(game, viewer)
        assert secret not in text and pending not in text and other not in text
    assert secret in seen(game, "fra") and pending in seen(game, "rus")


# --- bad commands and no oracle -------------------------------------------------------------------------


def with_refs(value: Any, refs: list[str]) -> Any:
    """Put the real (random) agreement ids in place of @1, @2, ...: the n-th agreement made."""
    if isinstance(value, str):
        return re.sub(r"@([0-9])", lambda m: refs[int(m.group(1)) - 1], value)
    if isinstance(value, dict):
        return {k: with_refs(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [with_refs(v, refs) for v in value]
    return value


BAD: list[tuple[dict[str, Any], str]] = [
    ({"kind": "sign", "state": "aus", "agreement": "agr-00000042"}, "no agreement agr-00000042 known to aus"),
    ({"kind": "sign", "state": "eng", "agreement": "@1"}, "no agreement @1 known to eng"),
    ({"kind": "sign", "state": "ita", "agreement": "@1"}, "only a party"),  # the intermediary
    ({"kind": "renounce", "state": "ita", "agreement": "@1"}, "only a party"),
    ({"kind": "leak", "state": "tur", "agreement": "@2"}, "no agreement @2 known to tur"),
    ({"kind": "deny", "state": "ger", "agreement": "@2"}, "not a rumour"),
    ({"kind": "justify", "state": "ger", "agreement": "@2"}, "not been exposed"),
    ({"kind": "ratify", "state": "fra", "agreement": "@3"}, "nothing secret"),
    ({"kind": "counter", "state": "aus", "agreement": "@2", "clauses": [FREE]}, "not a proposal"),
    (
        {
            "kind": "propose",
            "state": "ger",
            "parties": ["ger", "aus"],
            "visibility": "secret",
            "clauses": [FREE],
            "annex": [ANNEX],
        },
        "only a public agreement has a secret annex",
    ),
    (
        {
            "kind": "propose",
            "state": "ger",
            "parties": ["ger", "aus"],
            "clauses": [{"kind": "demilitarised_zone", "territories": ["bur", "atlantis"]}],
        },
        "unknown territory 'atlantis'",
    ),
    (
        {
            "kind": "propose",
            "state": "ger",
            "parties": ["ger", "aus"],
            "clauses": [{"kind": "support_promise", "by": "ger", "unit_at": "mun", "target": "narnia"}],
        },
        "unknown territory 'narnia'",
    ),
    (
        {"kind": "propose", "state": "ger", "parties": ["ger", "xyz"], "clauses": [FREE]},
        "unknown state 'xyz'",
    ),
    ({"kind": "propose", "state": "ger", "parties": ["fra", "aus"], "clauses": [FREE]}, "must be a party"),
    ({"kind": "propose", "state": "ger", "parties": ["ger", "ger"], "clauses": [FREE]}, "named twice"),
    (
        {
            "kind": "propose",
            "state": "ger",
            "parties": ["ger", "aus"],
            "clauses": [{"kind": "support_promise", "by": "rus", "unit_at": "war", "target": "mun"}],
        },
        "only a party can promise",
    ),
    (
        {
            "kind": "propose",
            "state": "ger",
            "parties": ["ger", "aus"],
            "clauses": [{"kind": "tribute", "payer": "fra", "payee": "ger", "amount": 2}],
        },
        "payer must be a party",
    ),
    (
        {"kind": "declare_breach", "state": "eng", "agreement": "@2", "clause": 0, "breaker": "ger"},
        "no agreement @2 known to eng",
    ),
    ({"kind": "sign", "state": "ger", "agreement": "agr-1"}, "invalid command"),
    ({"kind": "pay", "state": "ger", "to": "aus", "amount": 999}, "not enough"),
    ({"kind": "investigate", "state": "ger", "target": "ger"}, "cannot investigate itself"),
    ({"kind": "press", "state": "ger", "to": ["ger"], "text": "x"}, "to oneself"),
]


@pytest.fixture()
def busy(game: Game) -> Game:
    """@1: a proposal of ger and aus through ita; @2: an active secret of ger and aus;
    @3: an active public agreement of fra and eng (ids are random: tests name them @1, @2, @3)."""
    propose(game, ["ger", "aus"], intermediary="ita")
    agree(game, ["ger", "aus"])
    agree(game, ["fra", "eng"], visibility="public")
    game.apply({"kind": "press", "state": "ger", "to": ["aus"], "text": "MSG-1"})
    return game


@pytest.mark.parametrize(("command", "error"), BAD, ids=[f"{c['kind']}-{i}" for i, (c, _) in enumerate(BAD)])
def test_a_bad_command_raises_and_changes_nothing(busy: Game, command: dict[str, Any], error: str) -> None:
    refs = list(busy.diplomacy.agreements)
    command, error = with_refs(command, refs), with_refs(error, refs)
    before = json.dumps(busy.record(), sort_keys=True)
    views = {s: seen(busy, s) for s in (*STATES, OBSERVER)}
    with pytest.raises(CommandError) as caught:
        busy.apply(command)
    assert error in str(caught.value)
    assert json.dumps(busy.record(), sort_keys=True) == before
    assert {s: seen(busy, s) for s in (*STATES, OBSERVER)} == views


ACTS: list[dict[str, Any]] = [
    {"kind": kind, "state": "eng", "agreement": "@1"}
    for kind in ("sign", "reject", "renounce", "ratify", "leak", "deny", "justify")
] + [
    {"kind": "counter", "state": "eng", "agreement": "@1", "clauses": [FREE]},
    {"kind": "declare_breach", "state": "eng", "agreement": "@1", "clause": 0, "breaker": "ger"},
]


@pytest.mark.parametrize("status", ["proposed", "active", "rumoured", "exposed", "breached"])
def test_no_oracle_an_unknown_agreement_looks_like_none_at_all(
    classic: Scenario, board: Board, status: str
) -> None:
    """Whatever an agreement a state does not know is doing, asking about it gives the same answer as
    asking about an id that was never used."""
    empty = Game(classic, 1, board)
    game = Game(certain_leaks(classic) if status in ("rumoured", "exposed") else classic, 1, board)
    if status == "proposed":
        propose(game, ["ger", "aus"])
    else:
        agree(game, ["ger", "aus"], [{"kind": "non_aggression"}, FREE])
    if status in ("rumoured", "exposed"):
        game.resolve()
    if status == "exposed":
        game.resolve()
    if status == "breached":
        game.submit("ger", ["A mun - boh"])
        game.submit("aus", ["A vie - tyr"])
        game.resolve()
        game.submit("ger", ["A boh - vie"])
        game.resolve()
    ref = next(iter(game.diplomacy.agreements))
    if status == "breached":
        assert game.diplomacy.agreements[ref].status == "breached"
    for command in ACTS:
        answers = []
        for g in (game, empty):
            with pytest.raises(CommandError) as caught:
                g.apply(with_refs(command, [ref]))
            answers.append(str(caught.value))
        assert answers[0] == answers[1] == f"no agreement {ref} known to eng", command


def test_propose_cannot_be_used_as_an_oracle_on_territories_or_states(busy: Game) -> None:
    """Errors about a proposal speak only of the proposal itself."""
    with pytest.raises(CommandError) as caught:
        busy.apply(
            {
                "kind": "propose",
                "state": "eng",
                "parties": ["eng", "tur"],
                "clauses": [{"kind": "cession", "territory": "nowhere", "to": "tur", "by_turn": 3}],
            }
        )
    assert AGREEMENT_ID.search(str(caught.value)) is None and "MSG-1" not in str(caught.value)


# --- replay ------------------------------------------------------------------------------------------------


def test_replay_rebuilds_a_game_of_agreements_leaks_and_intelligence(classic: Scenario, board: Board) -> None:
    scenario = with_rules(
        funded(classic, 20), {"base": 0.3}, intelligence={"investigate_chance": 0.5, "intercept_chance": 0.5}
    )
    for seed in range(6):
        game = Game(scenario, seed, board)
        agree(game, ["ger", "aus"], [{"kind": "non_aggression"}, FREE])
        agree(game, ["fra", "eng"], [FREE], visibility="public", annex=[ANNEX])
        agree(game, ["rus", "tur", "ita"], [{"kind": "intelligence_sharing"}], intermediary="eng")
        propose(game, ["ita", "fra"])
        game.apply({"kind": "press", "state": "ger", "to": ["aus", "ita"], "text": "MSG-A"})
        game.apply({"kind": "press", "state": "fra", "to": [], "text": "England is our friend"})
        game.apply({"kind": "investigate", "state": "rus", "target": "ger"})
        game.apply({"kind": "intercept", "state": "tur", "target": "ger"})
        game.apply({"kind": "pay", "state": "rus", "to": "tur", "amount": 3})
        game.submit("ger", ["A mun - tyr"])
        game.resolve()
        game.apply({"kind": "investigate", "state": "eng", "target": "aus"})
        game.apply({"kind": "propaganda", "state": "fra"})
        first = next(iter(game.diplomacy.agreements))
        if game.diplomacy.agreements[first].leak_level != "exposed":
            act(game, "leak", "ger", first)
        game.submit("ger", ["A tyr - vie"])
        game.resolve()
        while game.phase != "movement":
            game.resolve()
        game.resolve()
        again = replay(scenario, seed, game.commands)
        assert again.record() == game.record()
        for viewer in (*STATES, OBSERVER):
            assert seen(again, viewer) == seen(game, viewer)


def test_intelligence_does_not_depend_on_who_ordered_first(classic: Scenario, board: Board) -> None:
    """Bug found: each investigation's roll was keyed by its place in the turn's list of actions, so
    the same investigations gave other results when ordered in another order (DESIGN: nothing
    depends on the order in which messages arrived)."""
    scenario = funded(classic, 10)
    orders = [("eng", "ger"), ("fra", "aus"), ("rus", "aus")]
    for seed in range(40):
        outcomes = []
        for sequence in (orders, orders[::-1]):
            game = Game(scenario, seed, board)
            agree(game, ["ger", "aus"])
            game.apply({"kind": "press", "state": "ger", "to": ["aus"], "text": "MSG-X"})
            for state, target in sequence:
                game.apply({"kind": "investigate", "state": state, "target": target})
                game.apply({"kind": "intercept", "state": state, "target": target})
            game.resolve()
            outcomes.append({s: seen(game, s) for s in ("eng", "fra", "rus")})
        assert outcomes[0] == outcomes[1], seed


def test_a_secret_tribute_is_not_betrayed_by_the_year_s_income_report(
    classic: Scenario, board: Board
) -> None:
    """Bug found (by test_secrecy_property's non-interference test): the year's `income` events were
    public and carried each state's treasury, so everyone could tell who had paid whom in secret."""
    paying, quiet = Game(funded(classic, 10), 1, board), Game(funded(classic, 10), 1, board)
    agree(paying, ["ger", "aus"], [{"kind": "tribute", "payer": "ger", "payee": "aus", "amount": 4}])
    paying.apply({"kind": "pay", "state": "ger", "to": "aus", "amount": 4})
    for game in (paying, quiet):
        game.resolve()
        game.resolve()
        assert game.year == 1902
    for viewer in ("eng", "fra", "ita", "rus", "tur", OBSERVER):
        assert seen(paying, viewer) == seen(quiet, viewer)
    income = {e["state"]: e for e in events(paying, "income")}
    assert income["aus"]["treasury"] == 10 + 4 + 3 and income["aus"]["audience"] == ("aus",)


# --- side channels around the audience filter (each found as a gap, then closed) ----------------------


def test_a_new_agreement_id_does_not_count_secret_agreements(classic: Scenario, board: Board) -> None:
    quiet, busy = Game(classic, 1, board), Game(classic, 1, board)
    propose(busy, ["ger", "aus"])
    assert propose(quiet, ["eng", "fra"]) == propose(busy, ["eng", "fra"])


def test_a_message_id_does_not_count_private_messages(classic: Scenario, board: Board) -> None:
    quiet, busy = Game(classic, 1, board), Game(classic, 1, board)
    busy.apply({"kind": "press", "state": "ger", "to": ["aus"], "text": "MSG-HIDDEN"})
    for g in (quiet, busy):
        g.apply({"kind": "press", "state": "eng", "to": ["fra"], "text": "MSG-MINE"})
    assert view_for(quiet, "eng")["messages"] == view_for(busy, "eng")["messages"]


def test_a_rumoured_agreement_s_secret_breach_is_not_seen_through_its_status(
    classic: Scenario, board: Board
) -> None:
    game = Game(certain_leaks(classic), 1, board)
    ref = agree(game, ["ita", "aus"], [{"kind": "non_aggression"}])
    game.resolve()
    rumour = view_of(game, "eng", ref)
    game.submit("ita", ["A ven - tri"])
    game.resolve()
    assert game.diplomacy.agreements[ref].status == "breached"
    assert not [
        e for t in view_for(game, "eng")["events"] for e in t["events"] if e["kind"] == "agreement_breached"
    ]
    later = view_of(game, "eng", ref)
    assert rumour is not None and later == rumour  # the rumour looks the same before and after
    assert "status" not in later

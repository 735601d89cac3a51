"""Bots that talk (issue 16): they answer within the phase — every proposal with its reason in words,
every ask from their actual plan, free text with a polite reply — keep (or, marked, break) their
word at resolution, react in words to what is done to them, and never write an id where a name
belongs nor name an agreement to one who may not know it.

All through `Game` and the one bot driver (`BotDriver.react`, as the server calls it), seeded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from game.bots.driver import BotDriver
from game.bots.talk import honoured
from game.launchers.simulate import diplomats_for, drive, driver_for, start
from game.rules.asks import parse_ask
from game.rules.game import Game
from game.rules.knowledge import OBSERVER
from game.rules.rng import Rng
from game.rules.scenario import Scenario
from game.rules.views import view_for
from game.scenario.loader import find_scenario, load_scenario

CLASSIC = Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml"
STATES = ["eng", "fra", "ger", "ita", "aus", "rus", "tur"]


@pytest.fixture(scope="module")
def classic() -> Scenario:
    return load_scenario(CLASSIC)


@pytest.fixture(scope="module")
def july() -> Scenario:
    return load_scenario(find_scenario("july-1914"))


def table(scenario: Scenario, seed: int, human: str, personality: str = "loyal") -> tuple[Game, BotDriver]:
    """A game with a person at `human` and a bot of one personality in every other seat."""
    game = Game(scenario, seed)
    seats = [s.id for s in scenario.states if s.controller != "none" and s.id != human]
    return game, driver_for(game, diplomats_for(game, dict.fromkeys(seats, personality)))


def say(game: Game, state: str, to: str, **what: Any) -> str:
    """A person's message; its id."""
    game.apply({"kind": "press", "state": state, "to": [to], **what})
    return str(game.diplomacy.messages[-1]["id"])


def replies(game: Game, bot: str, ref: str) -> list[dict[str, Any]]:
    return [m for m in game.diplomacy.messages if m["from"] == bot and m.get("answer", {}).get("to") == ref]


ID_WORDS = {"war"}  # ids that are also English words a bot may write ("the war with Germany")


def id_words(game: Game, text: str) -> list[str]:
    """Ids written where a name belongs: an agreement's or a message's, a territory's or a state's,
    or an order in its notation."""
    ids = (set(game.board.territories) | set(game.state_ids)) - ID_WORDS
    found = re.findall(r"\b(?:agr|msg)-\d{8}\b", text)
    found += [w for w in re.findall(r"\b[a-z_]+\b", text) if w in ids]
    found += re.findall(r"\b[AF] [a-z]{3}\b", text)
    return found


# --- answers in words ---------------------------------------------------------------------------------


def test_a_person_asks_a_bot_each_kind_of_ask_and_gets_an_answer_in_words(classic: Scenario) -> None:
    game, driver = table(classic, 3, human="eng")
    driver.open_phase()
    pact = game.apply(
        {
            "kind": "propose",
            "state": "eng",
            "parties": ["eng", "fra"],
            "visibility": "secret",
            "title": "Channel understanding",
            "clauses": [{"kind": "non_aggression"}],
        }
    )[0]["agreement"]
    game.apply({"kind": "sign", "state": "fra", "agreement": pact})
    asked = {
        "support": say(
            game, "eng", "fra", ask={"kind": "support", "unit_at": "bre", "target": "lon", "dest": "eng"}
        ),
        "territory": say(game, "eng", "fra", ask={"kind": "intentions", "territory": "bur"}),
        "state": say(game, "eng", "fra", ask={"kind": "intentions", "state": "ger"}),
        "dmz": say(game, "eng", "fra", ask={"kind": "dmz", "territories": ["pic", "bel"]}),
        "warn": say(game, "eng", "fra", ask={"kind": "warn", "territory": "bel"}),
        "warn state": say(game, "eng", "fra", ask={"kind": "warn", "state": "ger"}),
        "complain": say(game, "eng", "fra", ask={"kind": "complain", "agreement": pact}),
        "justify": say(game, "eng", "fra", ask={"kind": "demand_justification", "agreement": pact}),
        "free text": say(game, "eng", "fra", text="Bonjour! How is the weather in Burgundy these days?"),
    }
    assert driver.react("fra") and driver.failures == 0
    for kind, ref in asked.items():
        [reply] = replies(game, "fra", ref)
        assert reply["to"] == ["eng"], kind  # privately, to the one who asked
        assert reply["text"].strip(), kind
        assert not id_words(game, reply["text"]), (kind, reply["text"])
        assert game.diplomacy.marks[reply["id"]] in ("sincere", "deceptive"), kind
        yes = reply["answer"]["yes"]
        assert (yes is None) == (kind in ("complain", "justify", "free text")), (kind, reply)
    free = replies(game, "fra", asked["free text"])[0]["text"]
    assert "Burgundy" in free and "England" in free
    assert "Channel understanding" in replies(game, "fra", asked["complain"])[0]["text"]


def test_react_is_idempotent_and_remembers_nothing_a_restart_would_lose(classic: Scenario) -> None:
    game, driver = table(classic, 3, human="eng")
    driver.open_phase()
    say(game, "eng", "fra", ask={"kind": "intentions", "territory": "bur"})
    say(game, "eng", "fra", text="Shall we talk?")
    game.apply(
        {
            "kind": "propose",
            "state": "eng",
            "parties": ["eng", "fra"],
            "clauses": [{"kind": "non_aggression"}],
        }
    )
    driver.react("fra")
    done = len(game.commands)
    assert driver.react("fra") and len(game.commands) == done  # nothing waits: nothing said
    restarted = diplomats_for(game, dict.fromkeys([s for s in STATES if s != "eng"], "loyal"))["fra"]
    assert restarted.react(view_for(game, "fra")) == []  # a fresh bot reads what it answered from its view
    assert restarted.orders(view_for(game, "fra")) == driver.bots["fra"].orders(view_for(game, "fra"))


def test_a_proposal_is_answered_at_once_with_its_reason_in_words_threaded_to_the_proposers_words(
    classic: Scenario,
) -> None:
    for seed in (1, 2, 3):
        game, driver = table(classic, seed, human="eng")
        driver.open_phase()
        note = say(game, "eng", "fra", text="We would like peace on the Channel.")
        ref = game.apply(
            {
                "kind": "propose",
                "state": "eng",
                "parties": ["eng", "fra"],
                "title": "Channel peace",
                "clauses": [{"kind": "non_aggression"}],
            }
        )[0]["agreement"]
        driver.react("fra")
        assert game.diplomacy.agreements[ref].status != "proposed"  # signed, countered or rejected, at once
        [reason] = replies(game, "fra", note)
        assert "Channel peace" in reason["text"] and not id_words(game, reason["text"]), reason["text"]


def test_a_stale_support_offer_is_withdrawn_and_a_stale_one_received_is_refused(classic: Scenario) -> None:
    game, driver = table(classic, 1, human="eng")
    offered = game.apply(
        {
            "kind": "propose",
            "state": "fra",
            "parties": ["fra", "eng"],
            "title": "Help at sea",
            "clauses": [
                {
                    "kind": "support_promise",
                    "by": "eng",
                    "unit_at": "lon",
                    "target": "bre",
                    "dest": "eng",
                    "turn": 1,
                }
            ],
        }
    )[0]["agreement"]
    driver.play_phase()
    game.resolve()
    received = game.apply(
        {
            "kind": "propose",
            "state": "eng",
            "parties": ["eng", "fra"],
            "title": "Old help",
            "clauses": [
                {
                    "kind": "support_promise",
                    "by": "fra",
                    "unit_at": "bre",
                    "target": "lon",
                    "dest": "eng",
                    "turn": 1,
                }
            ],
        }
    )[0]["agreement"]
    driver.open_phase()  # turn 2
    assert game.diplomacy.agreements[offered].status == "rejected"
    assert game.diplomacy.agreements[received].status == "rejected"
    words = [
        m["text"]
        for m in game.diplomacy.messages
        if m["from"] == "fra" and m["turn"] == 2 and m["to"] == ["eng"]
    ]
    assert any("withdraws the Help at sea" in t for t in words), words
    assert any("Old help" in t and "passed" in t for t in words), words


# --- keeping one's word ---------------------------------------------------------------------------------


def asks_for(game: Game, bot: str, human: str, rng: Rng) -> Iterator[dict[str, Any]]:
    """A person's asks to a bot about its neighbourhood: intentions, warnings, a zone, a support."""
    board = game.board
    mine = sorted((u for u in game.units.values() if u.state == bot), key=lambda u: board.index[u.territory])
    near = sorted(
        {t for u in mine for t in board.neighbours[u.territory] if board.territories[t].kind != "sea"},
        key=board.index.__getitem__,
    )
    others = [s for s in game.state_ids if s != bot]
    if near:
        yield {"kind": "intentions", "territory": rng.choice(near)}
        yield {"kind": "warn", "territory": rng.choice(near)}
        yield {"kind": "dmz", "territories": [rng.choice(near)]}
    yield {"kind": "intentions", "state": rng.choice(others)}
    yield {"kind": "warn", "state": rng.choice(others)}
    for u in mine:
        for h in sorted(
            (x for x in game.units.values() if x.state == human), key=lambda x: board.index[x.territory]
        ):
            for loc in board.army_adj[h.location] if h.type == "army" else board.fleet_adj[h.location]:
                t = loc.split("/")[0]
                if t != u.territory and board.can_reach(u.type, u.location, t):
                    yield {"kind": "support", "unit_at": u.territory, "target": h.territory, "dest": t}
                    return


def words_and_deeds(
    scenario: Scenario, personality: str, seeds: range, turns: int = 6
) -> list[tuple[bool, bool]]:
    """(kept, marked deceptive) for every yes-or-no answer bots gave a person's asks, checked against
    the orders they had given when the turn resolved."""
    out = []
    for seed in seeds:
        game, driver = table(scenario, seed, "eng", personality)
        while game.turn <= turns and not game.over:
            if game.phase == "movement":
                driver.open_phase()
                rng = Rng(seed, game.turn, "test/asks")
                for bot in driver.states():
                    for ask in asks_for(game, bot, "eng", rng):
                        say(game, "eng", bot, ask=ask)
                    driver.react(bot)
            driver.close_phase()
            if game.phase == "movement":
                holders = {
                    t: game.units[t].state if t in game.units else game.owners.get(t) for t in game.board.ids
                }
                for bot in driver.states():
                    orders = view_for(game, bot)["me"]["orders"]
                    for m in game.diplomacy.messages:
                        answer = m.get("answer")
                        if m["from"] != bot or m["turn"] != game.turn or not answer or answer["yes"] is None:
                            continue
                        [asked] = [a for a in game.diplomacy.messages if a["id"] == answer["to"]]
                        kept = honoured(parse_ask(asked["ask"]), answer["yes"], orders, holders)
                        if kept is not None:
                            out.append((kept, game.diplomacy.marks.get(m["id"]) == "deceptive"))
            game.resolve()
        assert driver.failures == 0
    return out


def test_a_loyal_bot_does_what_it_says(classic: Scenario) -> None:
    answers = words_and_deeds(classic, "loyal", range(1, 4))
    rate = sum(kept for kept, _ in answers) / len(answers)
    assert len(answers) >= 200 and rate >= 0.9, (
        f"a loyal bot's answers matched its orders in {rate:.1%} of {len(answers)}"
    )
    assert not any(deceptive for _, deceptive in answers)


def test_a_schemer_marks_every_lie_deceptive(classic: Scenario) -> None:
    answers = words_and_deeds(classic, "schemer", range(1, 4))
    lies = [deceptive for kept, deceptive in answers if not kept]
    marked = [kept for kept, deceptive in answers if deceptive]
    assert len(lies) >= 10, f"only {len(lies)} false answers in {len(answers)}"
    assert all(lies), f"{lies.count(False)} of {len(lies)} false answers were not marked deceptive"
    assert not any(marked), "a deceptive mark on an answer the orders bore out"


# --- reacting to what happens -----------------------------------------------------------------------------


def pact(game: Game, a: str, b: str, visibility: str = "public", kind: str = "non_aggression") -> str:
    ref = game.apply(
        {
            "kind": "propose",
            "state": a,
            "parties": [a, b],
            "visibility": visibility,
            "title": "Adriatic pact",
            "clauses": [{"kind": kind}],
        }
    )[0]["agreement"]
    game.apply({"kind": "sign", "state": b, "agreement": ref})
    return str(ref)


def turn_words(game: Game, bot: str, to: str) -> list[dict[str, Any]]:
    return [
        m for m in game.diplomacy.messages if m["from"] == bot and m["turn"] == game.turn and m["to"] == [to]
    ]


def test_a_breach_is_answered_with_a_complaint_in_words(classic: Scenario) -> None:
    game, driver = table(classic, 1, human="ita")
    ref = pact(game, "ita", "aus")
    driver.open_phase()
    game.submit("ita", ["A ven - tri"])
    driver.close_phase()
    game.resolve()
    assert game.diplomacy.agreements[ref].status == "breached"
    driver.open_phase()
    [complaint] = [m for m in turn_words(game, "aus", "ita") if m.get("ask", {}).get("kind") == "complain"]
    assert complaint["ask"]["agreement"] == ref
    text = complaint["text"]
    assert "Italy" in text and "Trieste" in text and "Adriatic pact" in text and not id_words(game, text), (
        text
    )


def test_an_attack_by_a_partner_and_a_lie_found_out_are_answered_in_words(classic: Scenario) -> None:
    game, driver = table(classic, 1, human="ita")
    pact(game, "ita", "aus", kind="intelligence_sharing")
    driver.open_phase()
    game.submit("ita", ["A ven - tri"])
    driver.close_phase()
    game.resolve()
    driver.open_phase()
    [hurt] = turn_words(game, "aus", "ita")
    assert hurt["ask"] == {"kind": "intentions", "state": "aus", "territory": None}
    assert "Trieste" in hurt["text"] and "trusted Italy" in hurt["text"], hurt["text"]

    game, driver = table(classic, 1, human="ita")
    driver.open_phase()
    asked = say(game, "aus", "ita", ask={"kind": "intentions", "territory": "tri"})  # as Austria's bot might
    say(game, "ita", "aus", answer={"to": asked, "yes": False})
    game.submit("ita", ["A ven - tri"])
    driver.close_phase()
    game.resolve()
    driver.open_phase()
    texts = [m["text"] for m in turn_words(game, "aus", "ita")]
    assert any("told us it had no plans for Trieste" in t for t in texts), texts


def test_a_renunciation_and_a_leak_are_answered_in_words(classic: Scenario) -> None:
    game, driver = table(classic, 2, human="ita")
    ref = pact(game, "ita", "aus", visibility="secret")
    driver.open_phase()
    game.apply({"kind": "renounce", "state": "ita", "agreement": ref})
    driver.react("aus")
    [regret] = [m for m in turn_words(game, "aus", "ita") if "renounced" in m["text"]]
    assert "Italy" in regret["text"] and "Adriatic pact" in regret["text"]

    game, driver = table(classic, 2, human="ita")
    ref = pact(game, "ita", "aus", visibility="secret")
    driver.open_phase()
    game.apply({"kind": "leak", "state": "ita", "agreement": ref})
    driver.close_phase()
    game.resolve()
    assert game.diplomacy.agreements[ref].leak_level == "exposed"
    driver.open_phase()
    assert any("out in the open" in m["text"] for m in turn_words(game, "aus", "ita"))
    assert "aus" in game.diplomacy.agreements[ref].justified_by


# --- words, never ids, and nothing a listener may not know ------------------------------------------------


def test_bots_write_names_never_ids(classic: Scenario, july: Scenario) -> None:
    for scenario in (classic, july):
        for seed in (1, 2):
            game = drive(start(scenario, seed), 8).game
            said = game.diplomacy.messages
            assert len(said) > 100
            for m in said:
                assert not id_words(game, m["text"]), (scenario.id, m["text"])


def knows(game: Game, viewer: str, ref: str) -> bool:
    return any(a["id"] == ref and not a.get("rumour") for a in view_for(game, viewer)["agreements"])


def test_bots_name_an_agreement_only_to_those_who_know_it(july: Scenario) -> None:
    """Every agreement title only one agreement bears (the scenario's secret treaties among them)
    appears in a bot's message only if the bot and every listener (everyone, for a public statement)
    know that agreement when the message is sent; and no state's objectives reach anyone's words."""
    objectives = [o.description for s in july.states for o in s.objectives if o.description]
    for seed in (1, 2, 3):
        driver = start(july, seed)
        game = driver.game
        seen = 0
        while game.turn <= 8 and not game.over:
            driver.play_phase()
            titles: dict[str, list[str]] = {}
            for a in game.diplomacy.agreements.values():
                titles.setdefault(a.title, []).append(a.id)
            unique = {t: refs[0] for t, refs in titles.items() if len(refs) == 1 and len(t) > 8}
            for m in game.diplomacy.messages[seen:]:
                listeners = [OBSERVER] if m["to"] == "all" else m["to"]
                for title, ref in unique.items():
                    if title in m["text"]:
                        assert knows(game, m["from"], ref), (m["from"], title, m["text"])
                        for who in listeners:
                            assert knows(game, who, ref), (m["from"], who, title, m["text"])
                assert not any(o in m["text"] for o in objectives), m["text"]
            seen = len(game.diplomacy.messages)
            game.resolve()


def test_bots_answer_each_others_asks_within_the_turn(classic: Scenario) -> None:
    game = drive(start(classic, 5), 8).game
    messages = game.diplomacy.messages
    asks = [m for m in messages if "ask" in m and m["to"] != "all"]
    assert len(asks) >= 10
    for ask in asks:
        answered = [
            m for m in messages if m.get("answer", {}).get("to") == ask["id"] and m["turn"] == ask["turn"]
        ]
        assert len(answered) == len(ask["to"]), ask


def test_the_table_a_bot_reads_holds_nothing_secret(july: Scenario) -> None:
    from dataclasses import fields

    from game.bots.table import Table

    assert {f.name for f in fields(Table)} == {
        "board",
        "seasons",
        "states",
        "names",
        "regimes",
        "thresholds",
        "seated",
        "regime_factor",
        "investigate_cost",
        "intercept_cost",
        "propaganda_cost",
    }, "a new field of the bots' table: make sure it holds nothing a state may not know"

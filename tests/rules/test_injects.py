"""Injects: the umpire's events (game/rules/injects.py).

Each effect does what it says and is told to those who may know it; a card with a private
audience reaches only that audience; a prepared inject is released once; bad cards are refused
with the reason and change nothing; replay gives the same record; the scenario loader checks
injects at their lines; and july-1914's prepared injects each apply cleanly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from game.rules.errors import (
    AlreadyReleased,
    BadPlacement,
    CommandError,
    InvalidCommand,
    NoUnit,
    UnknownAgreement,
    UnknownInject,
    UnknownState,
    UnknownTerritory,
    WrongStatus,
)
from game.rules.game import Game, replay
from game.rules.injects import injects_due
from game.rules.knowledge import OBSERVER, UMPIRE
from game.rules.scenario import InjectSpec, PlaceUnitEffect, Scenario
from game.rules.views import scenario_for, view_for
from game.scenario.loader import find_scenario, load_scenario, read_scenario_text

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "tiny.yaml"


@pytest.fixture(scope="module")
def july() -> Scenario:
    return load_scenario(find_scenario("july-1914"))


def card(
    *effects: dict[str, Any], audience: Any = "all", title: str = "News", text: str = "Something happened."
) -> dict[str, Any]:
    return {
        "kind": "inject",
        "card": {"title": title, "text": text, "audience": audience, "effects": list(effects)},
    }


def views(game: Game) -> dict[str, str]:
    """What every viewer but the umpire is sent, as text."""
    return {v: json.dumps(view_for(game, v), sort_keys=True) for v in [*game.state_ids, OBSERVER]}


def snapshot(game: Game) -> str:
    return json.dumps(
        [game.record(), view_for(game, UMPIRE), sorted(game.released)], sort_keys=True, default=str
    )


# --- each effect -----------------------------------------------------------------------------------


def test_legitimacy_is_moved_in_public_and_kept_within_bounds(july: Scenario) -> None:
    game = Game(july, 1)
    events = game.apply(
        card(
            {"kind": "legitimacy", "state": "aus", "delta": -10},
            {"kind": "legitimacy", "state": "che", "delta": 90},
        )
    )
    assert [e["kind"] for e in events] == ["inject", "legitimacy", "legitimacy"]
    assert events[1] == {
        "kind": "legitimacy",
        "state": "aus",
        "delta": -10,
        "legitimacy": 35,
        "audience": "all",
    }
    assert events[2]["delta"] == 30 and events[2]["legitimacy"] == 100  # 70 + 90, kept at 100
    assert events[0]["effects"] == [
        {"kind": "legitimacy", "state": "aus", "delta": -10},
        {"kind": "legitimacy", "state": "che", "delta": 30},
    ]
    for viewer in ("fra", OBSERVER):
        standing = {s["id"]: s for s in view_for(game, viewer)["states"]}
        assert standing["aus"]["legitimacy"] == 35


def test_a_government_pushed_below_its_threshold_falls(july: Scenario) -> None:
    game = Game(july, 1)
    events = game.apply(card({"kind": "legitimacy", "state": "ger", "delta": -50}))
    fell = [e for e in events if e["kind"] == "government_fell"]
    assert fell == [{"kind": "government_fell", "state": "ger", "legitimacy": 50, "audience": "all"}]
    lapsed = {e["agreement"] for e in events if e["kind"] == "agreement_lapsed"}
    assert game.diplomacy.by_name("blank_cheque").id in lapsed  # type: ignore[union-attr]


def test_treasury_is_the_states_own(july: Scenario) -> None:
    game = Game(july, 1)
    before = views(game)
    events = game.apply(card({"kind": "treasury", "state": "rus", "delta": -100}, audience=["rus"]))
    assert events[1] == {"kind": "treasury", "state": "rus", "delta": -6, "treasury": 0, "audience": ("rus",)}
    assert game.treasury["rus"] == 0  # never below 0
    assert events[0]["effects"] == [{"kind": "treasury", "state": "rus", "delta": -6}]
    assert view_for(game, "rus")["me"]["treasury"] == 0
    after = views(game)
    assert all(after[v] == before[v] for v in after if v != "rus")
    # A public card does not list a treasury change: only the state is told it.
    events = game.apply(card({"kind": "treasury", "state": "fra", "delta": 5}))
    assert events[0]["effects"] == [] and events[1]["audience"] == ("fra",)
    assert game.treasury["fra"] == 15


def test_a_unit_placed_is_public_as_the_map_is(july: Scenario) -> None:
    game = Game(july, 1)
    events = game.apply(
        card(
            {"kind": "place_unit", "state": "rus", "type": "army", "at": "mos"},
            # Each effect is checked against the board as the ones before it leave it.
            {"kind": "remove_unit", "at": "spa"},
            {"kind": "place_unit", "state": "esp", "type": "fleet", "at": "spa/nc"},
            {"kind": "remove_unit", "at": "spa/nc"},
            {"kind": "place_unit", "state": "gbr", "type": "fleet", "at": "spa/sc"},
        )
    )
    assert [e["kind"] for e in events[1:]] == [
        "unit_placed",
        "unit_removed",
        "unit_placed",
        "unit_removed",
        "unit_placed",
    ]
    assert events[1] == {
        "kind": "unit_placed",
        "state": "rus",
        "unit": "army",
        "at": "mos",
        "audience": "all",
    }
    assert events[4] == {
        "kind": "unit_removed",
        "state": "esp",
        "unit": "fleet",
        "at": "spa/nc",
        "audience": "all",
    }
    assert game.units["mos"].state == "rus"
    assert game.units["spa"].location == "spa/sc" and game.units["spa"].state == "gbr"
    for viewer in ("ger", OBSERVER):
        units = view_for(game, viewer)["map"]["units"]
        assert {"state": "rus", "type": "army", "location": "mos"} in units


def test_a_unit_removed_is_public_and_its_orders_come_to_nothing(july: Scenario) -> None:
    game = Game(july, 1)
    game.submit("fra", ["A par - pic", "A bur H"])
    events = game.apply(card({"kind": "remove_unit", "at": "par"}))
    assert events[1] == {
        "kind": "unit_removed",
        "state": "fra",
        "unit": "army",
        "at": "par",
        "audience": "all",
    }
    assert "par" not in game.units
    assert {"state": "fra", "type": "army", "location": "par"} not in view_for(game, "ger")["map"]["units"]
    resolved = game.resolve()
    assert not any(e["kind"] == "move" and e["from"] == "par" for e in resolved)


def test_an_agreement_revealed_is_exposed_as_a_leak_would_expose_it(july: Scenario) -> None:
    game = Game(july, 1)
    cheque = game.diplomacy.by_name("blank_cheque")
    assert cheque is not None
    assert all(v["id"] != cheque.id for v in view_for(game, "rus")["agreements"])
    trust_before = game.diplomacy.trust["rus"]["ger"]
    events = game.apply(card({"kind": "reveal_agreement", "agreement": "blank_cheque"}, audience=["srb"]))
    kinds = [e["kind"] for e in events]
    assert kinds[:2] == ["inject", "agreement_leaked"] and kinds.count("backlash") == 2
    leaked = events[1]
    assert leaked["level"] == "exposed" and leaked["how"] == "inject" and leaked["audience"] == "all"
    # The card, told to Serbia only, names the agreement by its game id, not the scenario's name for it.
    assert events[0]["effects"] == [{"kind": "reveal_agreement", "agreement": cheque.id}]
    assert events[0]["audience"] == ("srb",)
    seen = {v["id"]: v for v in view_for(game, "rus")["agreements"]}
    assert "clauses" in seen[cheque.id] and "name" not in seen[cheque.id]
    assert game.diplomacy.trust["rus"]["ger"] == trust_before - july.rules.consequences.trust_exposed_target
    assert game.diplomacy.conduct["ger"]["exposed"] == 1
    # By its game id too, for an agreement signed during play.
    made = game.apply(
        {
            "kind": "propose",
            "state": "fra",
            "parties": ["fra", "ita"],
            "visibility": "secret",
            "clauses": [{"kind": "non_aggression"}],
        }
    )[0]["agreement"]
    game.apply({"kind": "sign", "state": "ita", "agreement": made})
    events = game.apply(card({"kind": "reveal_agreement", "agreement": made}))
    assert events[1]["kind"] == "agreement_leaked" and events[1]["agreement"] == made


# --- audiences -------------------------------------------------------------------------------------------


def test_a_private_card_is_seen_only_by_its_audience(july: Scenario) -> None:
    game = Game(july, 1)
    before = views(game)
    events = game.apply(
        card(
            {"kind": "treasury", "state": "ott", "delta": 3},
            audience=["ott", "ger"],
            title="German gold",
            text="PRIVATECARD for Berlin and Constantinople",
        )
    )
    assert events[0]["audience"] == ("ger", "ott")
    assert events[0]["effects"] == []  # Germany may not know Constantinople's treasury
    after = views(game)
    for viewer in after:
        if viewer in ("ger", "ott"):
            assert "PRIVATECARD" in after[viewer]
        else:
            assert after[viewer] == before[viewer], f"{viewer} can tell a private card was released"
    assert "PRIVATECARD" in json.dumps(view_for(game, UMPIRE))


def test_only_the_umpire_sees_the_prepared_injects(july: Scenario) -> None:
    game = Game(july, 1)
    game.apply({"kind": "inject", "inject": "ottoman_gold"})
    umpire = view_for(game, UMPIRE)["injects"]
    assert [p["id"] for p in umpire["prepared"]] == [s.id for s in july.injects]
    gold = next(p for p in umpire["prepared"] if p["id"] == "ottoman_gold")
    assert gold["released_turn"] == 1 and gold["note"]
    assert umpire["released"] == [
        {
            "id": "ottoman_gold",
            "title": "German gold for Constantinople",
            "turn": 1,
            "phase": "movement",
            "prepared": True,
            "audience": ["ger", "ott"],
            "skipped": [],
        }
    ]
    for viewer in (*game.state_ids, OBSERVER):
        assert "injects" not in view_for(game, viewer)
        assert scenario_for(july, viewer)["injects"] == []
    assert len(scenario_for(july, UMPIRE)["injects"]) == len(july.injects)
    # The Russian mobilisation's text is nowhere in what a player is sent before it is released.
    assert "Red notices" not in json.dumps([view_for(game, "rus"), scenario_for(july, "rus")])


# --- prepared injects ------------------------------------------------------------------------------------


def test_a_prepared_inject_is_released_once(july: Scenario) -> None:
    game = Game(july, 1)
    game.apply({"kind": "inject", "inject": "russian_mobilisation"})
    before = snapshot(game)
    with pytest.raises(AlreadyReleased, match=r"russian_mobilisation.*already released, on turn 1"):
        game.apply({"kind": "inject", "inject": "russian_mobilisation"})
    assert snapshot(game) == before


def test_injects_due_lists_those_whose_turn_has_come(july: Scenario) -> None:
    assert [s.id for s in injects_due(july, 1, ())] == ["ultimatum"]
    assert [s.id for s in injects_due(july, 2, {"ultimatum"})] == []
    assert [s.id for s in injects_due(july, 3, {"ultimatum"})] == ["shell_crisis"]
    assert [s.id for s in injects_due(july, 5, ())] == ["ultimatum", "shell_crisis"]  # missed ones come late
    game = Game(july, 1)
    for spec in injects_due(july, game.turn, game.released):
        game.apply({"kind": "inject", "inject": spec.id})
    assert injects_due(july, game.turn, game.released) == []


def test_a_prepared_inject_skips_what_play_made_impossible(july: Scenario) -> None:
    game = Game(july, 1)
    game.apply(card({"kind": "place_unit", "state": "ger", "type": "army", "at": "mos"}))
    game.apply(card({"kind": "reveal_agreement", "agreement": "anglo_french_naval"}))
    events = game.apply({"kind": "inject", "inject": "russian_mobilisation"})
    assert [e["kind"] for e in events] == ["inject", "treasury", "legitimacy"]
    assert game.units["mos"].state == "ger"
    events = game.apply({"kind": "inject", "inject": "british_cabinet_belgium"})
    assert [e["kind"] for e in events] == ["inject", "legitimacy"]
    released = {r["id"]: r for r in view_for(game, UMPIRE)["injects"]["released"]}
    assert released["russian_mobilisation"]["skipped"] == [
        "effect 1 (place_unit): 'mos' is taken: A mos of ger stands there"
    ]
    assert "nothing secret left" in released["british_cabinet_belgium"]["skipped"][0]


# --- bad input ---------------------------------------------------------------------------------------------


BAD: list[tuple[str, dict[str, Any], type[CommandError], str]] = [
    (
        "unknown inject",
        {"kind": "inject", "inject": "ultimatun"},
        UnknownInject,
        "no inject 'ultimatun'; did you mean 'ultimatum'",
    ),
    (
        "unknown state in the audience",
        card(audience=["fra", "xxx"]),
        UnknownState,
        "audience: unknown state 'xxx'",
    ),
    (
        "unknown state",
        card({"kind": "legitimacy", "state": "franc", "delta": 1}),
        UnknownState,
        "effect 1 (legitimacy): unknown state 'franc'; did you mean 'fra'",
    ),
    (
        "unknown territory",
        card({"kind": "place_unit", "state": "fra", "type": "army", "at": "pari"}),
        UnknownTerritory,
        "unknown territory 'pari'",
    ),
    (
        "army at sea",
        card({"kind": "place_unit", "state": "gbr", "type": "army", "at": "nth"}),
        BadPlacement,
        "an army cannot stand on 'nth': it is sea",
    ),
    (
        "fleet inland",
        card({"kind": "place_unit", "state": "fra", "type": "fleet", "at": "mos"}),
        BadPlacement,
        "a fleet cannot stand on 'mos': it is land",
    ),
    (
        "fleet without its coast",
        card({"kind": "place_unit", "state": "esp", "type": "fleet", "at": "bul"}),
        BadPlacement,
        "must name its coast: one of bul/ec, bul/sc",
    ),
    (
        "no such coast",
        card({"kind": "place_unit", "state": "esp", "type": "fleet", "at": "spa/wc"}),
        BadPlacement,
        "'spa' has no coast 'wc'",
    ),
    (
        "place taken",
        card({"kind": "place_unit", "state": "ger", "type": "army", "at": "par"}),
        BadPlacement,
        "'par' is taken: A par of fra stands there",
    ),
    ("nothing to remove", card({"kind": "remove_unit", "at": "mos"}), NoUnit, "no unit stands in 'mos'"),
    (
        "unknown agreement",
        card({"kind": "reveal_agreement", "agreement": "agr-00000001"}),
        UnknownAgreement,
        "no agreement 'agr-00000001'",
    ),
    (
        "nothing secret",
        card({"kind": "reveal_agreement", "agreement": "belgian_guarantee"}),
        WrongStatus,
        "nothing secret left to reveal",
    ),
    (
        "revealed twice",
        card(
            {"kind": "reveal_agreement", "agreement": "blank_cheque"},
            {"kind": "reveal_agreement", "agreement": "blank_cheque"},
        ),
        WrongStatus,
        "effect 2",
    ),
    ("neither", {"kind": "inject"}, InvalidCommand, "one of the two"),
    (
        "both",
        {"kind": "inject", "inject": "ultimatum", "card": card()["card"]},
        InvalidCommand,
        "one of the two",
    ),
    ("unknown effect", card({"kind": "earthquake", "at": "par"}), InvalidCommand, "effects"),
]


@pytest.mark.parametrize(("what", "command", "error", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_injects_are_refused_with_the_reason_and_change_nothing(
    july: Scenario, what: str, command: dict[str, Any], error: type[CommandError], reason: str
) -> None:
    game = Game(july, 1)
    # Good effects before the bad one: they must not have applied either.
    if "card" in command and command.get("inject") is None:
        command = {
            **command,
            "card": {
                **command["card"],
                "effects": [
                    {"kind": "legitimacy", "state": "fra", "delta": 5},
                    {"kind": "remove_unit", "at": "ber"},
                    *command["card"]["effects"],
                ],
            },
        }
        reason = reason.replace("effect 1", "effect 3").replace("effect 2", "effect 4")
    before = snapshot(game)
    with pytest.raises(error) as caught:
        game.apply(command)
    assert reason in str(caught.value)
    assert snapshot(game) == before
    assert game.commands == []
    # Not even the stream of card ids moved: the next card gets the id it would have had.
    fresh = Game(july, 1)
    assert game.apply(card())[0]["id"] == fresh.apply(card())[0]["id"]


def test_an_inject_after_the_game_is_over_is_refused(july: Scenario) -> None:
    game = Game(july, 1)
    game.phase = None
    with pytest.raises(CommandError):
        game.apply({"kind": "inject", "inject": "ultimatum"})


# --- replay and july-1914 ----------------------------------------------------------------------------------


def test_replay_gives_the_same_record(july: Scenario) -> None:
    game = Game(july, 7)
    game.apply({"kind": "inject", "inject": "ultimatum"})
    game.apply(card({"kind": "treasury", "state": "ita", "delta": 2}, audience=["ita"], title="A loan"))
    game.resolve()
    game.apply({"kind": "inject", "inject": "russian_mobilisation"})
    game.apply({"kind": "inject", "inject": "british_cabinet_belgium"})
    game.apply(
        card({"kind": "remove_unit", "at": "mos"}, {"kind": "legitimacy", "state": "rus", "delta": -4})
    )
    while game.phase != "movement" or game.turn < 3:
        game.resolve()
    game.apply({"kind": "inject", "inject": "shell_crisis"})
    again = replay(july, 7, game.commands)
    assert again.record() == game.record()
    assert json.dumps(game.record(), default=str)  # JSON-ready
    for viewer in (*game.state_ids, OBSERVER, UMPIRE):
        assert view_for(again, viewer) == view_for(game, viewer)
    assert [r["id"] for r in game.record()["injects"]][:2] == ["ultimatum", game.record()["injects"][1]["id"]]
    assert game.record()["injects"][1]["id"].startswith("inj-")


def test_july_1914_has_real_injects_that_each_apply_cleanly(july: Scenario) -> None:
    ids = {s.id for s in july.injects}
    assert {"ultimatum", "russian_mobilisation", "british_cabinet_belgium"} <= ids
    kinds = {e.kind for s in july.injects for e in s.effects}
    assert kinds >= {"legitimacy", "treasury", "place_unit", "reveal_agreement"}
    assert any(s.audience != "all" for s in july.injects) and any(s.turn for s in july.injects)
    for spec in july.injects:
        assert spec.text and spec.note, f"{spec.id} needs its text and its sources"
        game = Game(july, 1)
        events = game.apply({"kind": "inject", "inject": spec.id})
        assert game.released[spec.id].skipped == ()
        head = events[0]
        assert head["kind"] == "inject" and head["id"] == spec.id and head["title"] == spec.title
        assert head["audience"] == ("all" if spec.audience == "all" else tuple(sorted(spec.audience)))
        assert all(e["audience"] for e in events)
    # All of them, one after the other, as a teacher might release them in one game.
    game = Game(july, 1)
    for spec in july.injects:
        game.apply({"kind": "inject", "inject": spec.id})
    assert len(game.released) == len(july.injects)


# --- the scenario loader -----------------------------------------------------------------------------------


BROKEN_INJECTS = """\
agreements:
  - id: pact
    title: A public pact
    parties: [west, east]
    visibility: public
    clauses: [{kind: non_aggression}]
injects:
  - id: flood
    turn: 11
    title: A flood
    audience: [west, wast]
    effects:
      - {kind: legitimacy, state: easst, delta: -5}
      - {kind: place_unit, state: west, type: army, at: wes}
      - {kind: place_unit, state: east, type: fleet, at: ist}
      - {kind: remove_unit, at: hinn}
      - {kind: reveal_agreement, agreement: pakt}
      - {kind: reveal_agreement, agreement: pact}
  - id: flood
    title: The same id
    audience: all
map:
"""


def test_the_loader_checks_injects_at_their_lines() -> None:
    text = TINY.read_text(encoding="utf-8").replace("map:\n", BROKEN_INJECTS, 1)
    result = read_scenario_text(text, "tiny.yaml")
    assert result.scenario is None
    lines = text.splitlines()
    found = {(p.field_path, p.message) for p in result.errors}

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if fragment in line)

    expected = {
        "injects[0].turn": "the game ends after turn 10 (1904); this inject would never come",
        "injects[0].audience[1]": "unknown state 'wast'; did you mean 'west'?",
        "injects[0].effects[0].state": "unknown state 'easst'; did you mean 'east'?",
        "injects[0].effects[1].at": "an army cannot stand on 'wes': it is sea",
        "injects[0].effects[2].at": "a fleet in 'ist' must name its coast: one of ist/wc, ist/ec",
        "injects[0].effects[3].at": "unknown territory 'hinn'; did you mean 'hin'?",
        "injects[0].effects[4].agreement": "unknown agreement 'pakt': name one of the scenario's agreements; did you mean 'pact'?",
        "injects[0].effects[5].agreement": "'pact' is public and has no secret annex: there is nothing to reveal",
        "injects[1].id": "duplicate inject id 'flood': injects[0] already has it",
    }
    for path, message in expected.items():
        assert (path, message) in found, f"{path}: {message} not in {sorted(found)}"
    by_path = {p.field_path: p for p in result.errors}
    assert by_path["injects[0].effects[3].at"].line == line_of("at: hinn")
    assert by_path["injects[1].id"].line == line_of("title: The same id") - 1


def test_a_spec_in_code_is_checked_when_released_too(july: Scenario) -> None:
    """A scenario built in code skips the loader: the rules still refuse what cannot be."""
    bad = InjectSpec(
        id="storm",
        title="A storm",
        audience="all",
        effects=[PlaceUnitEffect(state="gbr", type="army", at="nth")],
    )
    scenario = july.model_copy(update={"injects": [bad]})
    game = Game(scenario, 1)
    with pytest.raises(BadPlacement):
        game.apply({"kind": "inject", "inject": "storm"})
    assert game.released == {}


def test_an_audience_written_wrong_is_explained_once() -> None:
    extra = """\
injects:
  - {id: one, title: One, audience: everyone}
  - {id: two, title: Two, audience: []}
  - {id: three, title: Three, audience: [west, 3]}
map:
"""
    text = TINY.read_text(encoding="utf-8").replace("map:\n", extra, 1)
    problems = [(p.field_path, p.message) for p in read_scenario_text(text, "tiny.yaml").errors]
    assert problems == [
        (
            "injects[0].audience",
            "an audience is all, or a list of state ids such as [everyone]; not 'everyone'",
        ),
        ("injects[1].audience", "needs at least 1 items, has 0"),
        ("injects[2].audience[1]", "must be text, not 3 (put it in quotes)"),
    ]

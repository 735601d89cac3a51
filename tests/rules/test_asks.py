"""Asks and answers in messages: written out in words, checked against the map, answered only by
those who received them, and as private as any message."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.rules.board import Board
from game.rules.errors import UnknownMessage, UnknownState, UnknownTerritory
from game.rules.game import Game, replay
from game.rules.scenario import Scenario
from game.rules.views import view_for
from game.scenario.loader import load_scenario

CLASSIC = Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml"


@pytest.fixture(scope="module")
def classic() -> tuple[Scenario, Board]:
    scenario = load_scenario(CLASSIC)
    return scenario, Board.from_scenario(scenario)


@pytest.fixture
def game(classic: tuple[Scenario, Board]) -> Game:
    return Game(classic[0], 3, classic[1])


def last_message(game: Game, viewer: str) -> dict:
    return view_for(game, viewer)["messages"][-1]


def test_an_ask_is_written_out_in_words_and_kept_as_structure(game: Game) -> None:
    game.apply(
        {"kind": "press", "state": "fra", "to": ["ger"], "ask": {"kind": "intentions", "territory": "bur"}}
    )
    message = last_message(game, "ger")
    assert message["text"] == "What are your intentions toward Burgundy? Will you move into it this turn?"
    assert message["ask"] == {"kind": "intentions", "territory": "bur", "state": None}
    game.apply(
        {
            "kind": "press",
            "state": "fra",
            "to": ["eng"],
            "ask": {"kind": "support", "unit_at": "lon", "target": "par", "dest": "pic"},
        }
    )
    assert last_message(game, "eng")["text"] == (
        "Will your unit in London support the move from Paris to Picardy this turn?"
    )


def test_an_answer_replies_in_words_with_the_senders_own_mark(game: Game) -> None:
    game.apply(
        {"kind": "press", "state": "fra", "to": ["ger"], "ask": {"kind": "intentions", "territory": "bur"}}
    )
    asked = last_message(game, "ger")["id"]
    game.apply(
        {
            "kind": "press",
            "state": "ger",
            "to": ["fra"],
            "answer": {"to": asked, "yes": False},
            "sincerity": "deceptive",
        }
    )
    reply = last_message(game, "fra")
    assert reply["answer"] == {"to": asked, "yes": False}
    assert reply["text"] == "I have no plans to enter Burgundy this turn."
    assert "sincerity" not in reply, "the mark is the sender's own"
    assert last_message(game, "ger")["sincerity"] == "deceptive"
    assert replay(game.scenario, game.seed, game.commands).record() == game.record()


def test_an_ask_naming_what_does_not_exist_is_refused_in_words(game: Game) -> None:
    with pytest.raises(UnknownTerritory, match="no territory 'atlantis'"):
        game.apply(
            {"kind": "press", "state": "fra", "to": ["ger"], "ask": {"kind": "warn", "territory": "atlantis"}}
        )
    with pytest.raises(UnknownState, match="no state 'zzz'"):
        game.apply(
            {"kind": "press", "state": "fra", "to": ["ger"], "ask": {"kind": "intentions", "state": "zzz"}}
        )
    assert game.diplomacy.messages == []


def test_only_a_recipient_may_answer_and_an_unseen_message_is_as_one_that_does_not_exist(game: Game) -> None:
    game.apply(
        {"kind": "press", "state": "fra", "to": ["ger"], "ask": {"kind": "intentions", "state": "eng"}}
    )
    asked = game.diplomacy.messages[-1]["id"]
    answers = []
    for ref in (asked, "msg-00000000"):
        with pytest.raises(UnknownMessage) as refused:
            game.apply({"kind": "press", "state": "rus", "to": ["fra"], "answer": {"to": ref, "yes": True}})
        answers.append(str(refused.value).replace(ref, "ID"))
    assert answers[0] == answers[1]
    with pytest.raises(ValueError, match="needs text, an ask or an answer"):
        game.apply({"kind": "press", "state": "fra", "to": ["ger"]})

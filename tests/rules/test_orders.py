"""The order notation: one parser for bots, records, the sandbox and (later) the client's order box."""

from __future__ import annotations

import pytest

from game.rules.errors import OrderSyntaxError
from game.rules.orders import (
    Build,
    Convoy,
    Disband,
    Hold,
    Move,
    Remove,
    Retreat,
    Support,
    Waive,
    parse_order,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A par - bur", Move("army", "par", "bur")),
        ("a PAR -> bur", Move("army", "par", "bur")),
        ("F spa/sc - mao", Move("fleet", "spa/sc", "mao")),
        ("F spa(sc) - mao", Move("fleet", "spa/sc", "mao")),
        ("F mao - spa/nc", Move("fleet", "mao", "spa/nc")),
        ("A lon - nwy via convoy", Move("army", "lon", "nwy", via_convoy=True)),
        ("A vie H", Hold("army", "vie")),
        ("A vie", Hold("army", "vie")),
        ("A vie holds", Hold("army", "vie")),
        ("A mun S A bur - ruh", Support("army", "mun", "bur", "ruh", "army")),
        ("A mun S bur - ruh", Support("army", "mun", "bur", "ruh", None)),
        ("A mun S A bur", Support("army", "mun", "bur", None, "army")),
        ("A mun S A bur H", Support("army", "mun", "bur", None, "army")),
        ("F por S F mao - spa/nc", Support("fleet", "por", "mao", "spa", "fleet", "nc")),
        ("F nth C A lon - nwy", Convoy("fleet", "nth", "lon", "nwy")),
    ],
)
def test_movement_notation(text: str, expected: object) -> None:
    assert parse_order(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A par - bur",
        "F spa/sc - mao",
        "A lon - nwy via convoy",
        "A mun S A bur - ruh",
        "A mun S A bur",
        "F nth C A lon - nwy",
        "A vie H",
        "F por S F mao - spa/nc",
    ],
)
def test_text_round_trips(text: str) -> None:
    order = parse_order(text)
    assert order.text == text
    assert parse_order(order.text) == order


def test_retreat_and_adjustment_notation() -> None:
    assert parse_order("A bur R par", "retreat") == Retreat("army", "bur", "par")
    assert parse_order("A bur - par", "retreat") == Retreat("army", "bur", "par")
    assert parse_order("F nth D", "retreat") == Disband("fleet", "nth")
    assert parse_order("build A par", "adjustment") == Build("army", "par")
    assert parse_order("Build F stp/nc", "adjustment") == Build("fleet", "stp/nc")
    assert parse_order("remove F nth", "adjustment") == Remove("fleet", "nth")
    assert parse_order("A par D", "adjustment") == Remove("army", "par")
    assert parse_order("waive", "adjustment") == Waive()


def test_a_support_given_in_a_retreat_phase_parses_so_the_rules_can_void_it() -> None:
    assert isinstance(parse_order("A ser S A tri - alb", "retreat"), Support)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("", "empty"),
        ("par - bur", "unit type"),
        ("A par -- bur", "after the unit"),
        ("A par S", "after the unit"),
        ("F nth C F lon - nwy", "only armies"),
        ("A par teleports", "after the unit"),
        ("A " + "x" * 300, "too long"),
        ("build Z par", "adjustment"),
    ],
)
def test_bad_orders_name_the_problem(text: str, phrase: str) -> None:
    phase = "adjustment" if text.startswith("build") else "movement"
    with pytest.raises(OrderSyntaxError) as info:
        parse_order(text, phase)
    assert phrase in str(info.value)

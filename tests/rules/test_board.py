"""Neighbours derived from shared polygon edges, with the scenario's overrides."""

from __future__ import annotations

from typing import Any

from game.rules.board import Board
from game.rules.scenario import Scenario


def square(x: float, y: float, w: float = 10, h: float = 10) -> list[list[float]]:
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]


def scenario(territories: list[dict[str, Any]], **map_extra: Any) -> Scenario:
    return Scenario.model_validate(
        {
            "format": "backchannel-scenario/1",
            "id": "tiny",
            "title": "Tiny",
            "calendar": {"start_year": 1900},
            "states": [{"id": "red", "name": "Red", "colour": "#d55e00"}],
            "map": {"width": 40, "height": 30, "territories": territories, **map_extra},
        }
    )


# West and East are coasts on the South Sea and share a border that reaches the sea;
# Inland shares a border with East only and touches the sea at a single point.
TERRITORIES = [
    {"id": "wes", "name": "West", "kind": "coast", "polygons": [square(0, 0)]},
    {"id": "eas", "name": "East", "kind": "coast", "polygons": [square(10, 0)]},
    {"id": "inl", "name": "Inland", "kind": "land", "polygons": [square(20, 0)]},
    {
        "id": "sou",
        "name": "South Sea",
        "kind": "sea",
        "polygons": [[[0, 10], [10, 10], [20, 10], [20, 20], [0, 20]]],
    },
    {"id": "far", "name": "Far Sea", "kind": "sea", "polygons": [square(20, 10)]},
]


def test_neighbours_come_from_shared_edges() -> None:
    board = Board.from_scenario(scenario(TERRITORIES))
    assert board.army_adj["wes"] == ("eas",)
    assert board.army_adj["eas"] == ("wes", "inl")
    assert set(board.neighbours["sou"]) == {"wes", "eas", "far"}
    assert "inl" not in board.neighbours["sou"]  # a corner is not a border
    assert set(board.neighbours["inl"]) == {"eas"}  # land: no unit crosses from it to the Far Sea


def test_fleets_follow_the_coast() -> None:
    board = Board.from_scenario(scenario(TERRITORIES))
    assert set(board.fleet_adj["wes"]) == {"eas", "sou"}  # their border meets the South Sea
    assert set(board.fleet_adj["sou"]) == {"wes", "eas", "far"}
    assert "inl" not in board.fleet_adj  # no fleet can stand inland


def test_coasts_whose_border_does_not_reach_a_shared_sea_are_not_fleet_neighbours() -> None:
    # Anna and Bert are both on the sea, but a strip of land (Lido) lies between the sea and
    # the end of their border, so a fleet cannot sail from one to the other along the coast.
    territories = [
        {
            "id": "ann",
            "name": "Anna",
            "kind": "coast",
            "polygons": [[[10, 0], [20, 0], [20, 10], [15, 10], [10, 10]]],
        },
        {
            "id": "ber",
            "name": "Bert",
            "kind": "coast",
            "polygons": [[[20, 0], [30, 0], [30, 10], [25, 10], [20, 10]]],
        },
        {
            "id": "lid",
            "name": "Lido",
            "kind": "coast",
            "polygons": [[[15, 10], [20, 10], [25, 10], [25, 15], [15, 15]]],
        },
        {
            "id": "sea",
            "name": "Sea",
            "kind": "sea",
            "polygons": [
                [
                    [0, 10],
                    [10, 10],
                    [15, 10],
                    [15, 15],
                    [25, 15],
                    [25, 10],
                    [30, 10],
                    [40, 10],
                    [40, 20],
                    [0, 20],
                ]
            ],
        },
    ]
    board = Board.from_scenario(scenario(territories))
    assert "ber" in board.army_adj["ann"]
    assert set(board.fleet_adj["sea"]) == {"ann", "ber", "lid"}
    assert "ber" not in board.fleet_adj["ann"]
    assert "lid" in board.fleet_adj["ann"]  # their border (15,10)-(20,10)... ends at (15,10) on the sea
    # Without Lido, the border of Anna and Bert reaches the sea and fleets may pass.
    territories[2] = {"id": "lid", "name": "Lido", "kind": "land", "polygons": [[[0, 30], [5, 30], [5, 35]]]}
    territories[0]["polygons"] = [[[10, 0], [20, 0], [20, 10], [10, 10]]]
    territories[1]["polygons"] = [[[20, 0], [30, 0], [30, 10], [20, 10]]]
    territories[3]["polygons"] = [[[0, 10], [10, 10], [20, 10], [30, 10], [40, 10], [40, 20], [0, 20]]]
    board = Board.from_scenario(scenario(territories))
    assert "ber" in board.fleet_adj["ann"]


def test_links_override_the_polygons() -> None:
    board = Board.from_scenario(
        scenario(
            TERRITORIES,
            add_links=[{"between": ["wes", "inl"], "units": ["army"]}],
            remove_links=[{"between": ["wes", "eas"], "units": ["fleet"]}],
        )
    )
    assert "inl" in board.army_adj["wes"]
    assert "eas" in board.army_adj["wes"]
    assert "eas" not in board.fleet_adj["wes"]
    assert "wes" in board.fleet_adj["sou"]


def test_named_coasts_list_their_own_fleet_neighbours() -> None:
    territories = [dict(t) for t in TERRITORIES]
    territories[1] = {
        **territories[1],
        "coasts": [{"id": "sc", "name": "south coast", "neighbours": ["sou"]}],
    }
    board = Board.from_scenario(scenario(territories))
    assert board.fleet_locations("eas") == ("eas/sc",)
    assert set(board.fleet_adj["eas/sc"]) == {"sou"}
    assert "eas/sc" in board.fleet_adj["sou"]
    assert board.unit_can_stand("fleet", "eas/sc") and not board.unit_can_stand("fleet", "eas")

"""The state palette: 30 colours, far enough apart for everyone, and for red-green colour blindness."""

from __future__ import annotations

from itertools import combinations

import pytest

from game.render.colour_vision import delta_e_2000, difference, simulate
from game.render.palette import DEFAULT_PALETTE, DEFAULT_STATE_COLOURS, default_state_colours, hex_to_rgb

CVD = ("deuteranopia", "protanopia")


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 17, 20, 21 and 25
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
        ((50.0, 2.5, 0.0), (50.0, 3.1736, 0.5854), 1.0),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_published_test_data(
    lab1: tuple[float, float, float], lab2: tuple[float, float, float], expected: float
) -> None:
    assert delta_e_2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert delta_e_2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_simulated_red_green_blindness_confuses_red_and_green() -> None:
    red = (213, 94, 0)
    assert simulate(red, "normal") == red
    for vision in CVD:
        assert simulate((128, 128, 128), vision) == pytest.approx((128, 128, 128), abs=2)  # greys stay grey
    # Red and green lose most of their difference: what the palette must make up for with lightness.
    assert (
        difference((200, 60, 60), (60, 140, 60), "deuteranopia")
        < difference((200, 60, 60), (60, 140, 60)) / 2
    )


def test_thirty_distinct_colours() -> None:
    assert len(DEFAULT_STATE_COLOURS) == 30
    assert len({c.lower() for c in DEFAULT_STATE_COLOURS}) == 30
    assert default_state_colours(30) == list(DEFAULT_STATE_COLOURS)


def _min_difference(colours: list[str] | tuple[str, ...], vision: str) -> float:
    rgbs = [hex_to_rgb(c) for c in colours]
    return min(difference(a, b, vision) for a, b in combinations(rgbs, 2))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("count", "normal", "colour_blind"),
    [(8, 20.0, 10.0), (12, 14.0, 6.0), (30, 8.0, 4.0)],
)
def test_no_two_colours_too_close(count: int, normal: float, colour_blind: float) -> None:
    """Every pair of the first `count` colours is at least this far apart (CIEDE2000).

    About 1 is a just-noticeable difference side by side; the first colours, which small
    scenarios use, are much further apart than the last.  With deuteranopia or protanopia
    colour space shrinks to lightness and blue-yellow, so 30 colours cannot be as far apart.
    """
    colours = DEFAULT_STATE_COLOURS[:count]
    assert _min_difference(colours, "normal") >= normal
    for vision in CVD:
        assert _min_difference(colours, vision) >= colour_blind, vision


def test_state_fills_stay_apart_from_sea_and_unheld_land() -> None:
    pal = DEFAULT_PALETTE
    for colour in DEFAULT_STATE_COLOURS:
        fill = pal.fill_for(hex_to_rgb(colour))
        for vision in ("normal", *CVD):
            assert difference(fill, pal.water, vision) >= 5, (colour, vision)  # type: ignore[arg-type]
            assert difference(fill, pal.land_neutral, vision) >= 5, (colour, vision)  # type: ignore[arg-type]

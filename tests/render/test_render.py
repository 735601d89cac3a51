"""Map rendering, headless: fills, holes, territory lookup, named-coast units, preview PNG, determinism."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from game.render import Arrow, Camera, MapPicture, MapRenderer, RenderOptions, UnitMark
from game.render.palette import DEFAULT_PALETTE
from game.rules.scenario import Scenario

RED, BLUE = "#cc6677", "#332288"


def tiny_scenario() -> Scenario:
    """Two seas north and south of three coastal territories; a lake in `wes`, an enclave `hil` in `eas`.

    Canvas 400 x 300.  Shared edges share their vertices, as the map builder writes them.
    """
    return Scenario.model_validate(
        {
            "format": "backchannel-scenario/1",
            "id": "tiny",
            "title": "Tiny test map",
            "calendar": {"start_year": 1900},
            "states": [
                {
                    "id": "red",
                    "name": "Redland",
                    "colour": RED,
                    "units": [{"type": "army", "at": "wes"}, {"type": "fleet", "at": "nth"}],
                },
                {
                    "id": "blu",
                    "name": "Bluestan",
                    "colour": BLUE,
                    "units": [{"type": "fleet", "at": "spa/nc"}, {"type": "army", "at": "eas"}],
                },
            ],
            "map": {
                "width": 400,
                "height": 300,
                "territories": [
                    {
                        "id": "nth",
                        "name": "North Sea",
                        "kind": "sea",
                        "polygons": [[[0, 0], [400, 0], [400, 90], [260, 90], [150, 90], [0, 90]]],
                    },
                    {
                        "id": "sth",
                        "name": "South Sea",
                        "kind": "sea",
                        "polygons": [[[0, 230], [150, 230], [260, 230], [400, 230], [400, 300], [0, 300]]],
                    },
                    {
                        "id": "wes",
                        "name": "Westmark",
                        "kind": "coast",
                        "supply": True,
                        "home": "red",
                        "holder": "red",
                        "polygons": [[[0, 90], [150, 90], [150, 230], [0, 230]]],
                        "holes": [[[40, 140], [80, 140], [80, 180], [40, 180]]],
                    },
                    {
                        "id": "spa",
                        "name": "Spania",
                        "kind": "coast",
                        "supply": True,
                        "holder": "blu",
                        "polygons": [[[150, 90], [260, 90], [260, 230], [150, 230]]],
                        "coasts": [
                            {"id": "nc", "name": "north coast", "neighbours": ["nth"]},
                            {"id": "sc", "name": "south coast", "neighbours": ["sth"]},
                        ],
                    },
                    {
                        "id": "eas",
                        "name": "Eastland",
                        "kind": "coast",
                        "supply": True,
                        "home": "blu",
                        "holder": "blu",
                        "polygons": [[[260, 90], [400, 90], [400, 230], [260, 230]]],
                        "holes": [[[300, 130], [370, 130], [370, 200], [300, 200]]],
                        "label": [280, 110],
                    },
                    {
                        "id": "hil",
                        "name": "Hills",
                        "kind": "land",
                        "polygons": [[[300, 130], [370, 130], [370, 200], [300, 200]]],
                    },
                ],
            },
        }
    )


# Canvas points well away from labels, units and borders, with what must be drawn there.
PROBES: list[tuple[tuple[float, float], str | None, str]] = [
    ((390, 10), "nth", "water"),
    ((390, 290), "sth", "water"),
    ((10, 220), "wes", "red"),
    ((60, 160), None, "water"),  # the lake in wes: a hole, not part of any territory
    ((255, 225), "spa", "blue"),
    ((390, 220), "eas", "blue"),
    ((310, 190), "hil", "neutral"),  # the enclave inside eas's hole
]


def expected_colour(kind: str) -> tuple[int, int, int]:
    pal = DEFAULT_PALETTE
    if kind == "water":
        return pal.water
    if kind == "neutral":
        return pal.land_neutral
    return pal.fill_for(pygame.Color(RED if kind == "red" else BLUE)[:3])


def render(
    scenario: Scenario, size: tuple[int, int] = (800, 600), picture: MapPicture | None = None
) -> pygame.Surface:
    renderer = MapRenderer(scenario)
    surface = pygame.Surface(size)
    renderer.draw(surface, picture or MapPicture.from_scenario(scenario))
    return surface


def test_fills_and_lookup_at_known_points() -> None:
    scenario = tiny_scenario()
    renderer = MapRenderer(scenario)
    surface = pygame.Surface((800, 600))
    renderer.draw(surface, MapPicture.from_scenario(scenario))
    for world, territory, kind in PROBES:
        sx, sy = renderer.camera.world_to_screen(world)
        pixel = tuple(surface.get_at((round(sx), round(sy))))[:3]
        assert pixel == expected_colour(kind), (world, territory, kind, pixel)
        assert renderer.territory_at((sx, sy)) == territory, world


def test_map_keeps_aspect_ratio_and_letterboxes() -> None:
    surface = render(tiny_scenario(), (800, 800))  # canvas is 4:3, so 800 x 600 of map, centred
    assert tuple(surface.get_at((400, 50)))[:3] == DEFAULT_PALETTE.background
    assert tuple(surface.get_at((795, 795)))[:3] == DEFAULT_PALETTE.background


def test_territory_at_off_map_is_none() -> None:
    renderer = MapRenderer(tiny_scenario())
    renderer.draw(pygame.Surface((800, 800)), MapPicture.from_scenario(tiny_scenario()))
    assert renderer.territory_at((400, 20)) is None


def test_picture_from_scenario() -> None:
    picture = MapPicture.from_scenario(tiny_scenario())
    assert picture.owners["wes"] == "red" and picture.owners["hil"] is None and picture.owners["nth"] is None
    assert UnitMark("blu", "fleet", "spa/nc") in picture.units
    assert len(picture.units) == 4


def test_fleet_on_named_coast_sits_towards_that_coast() -> None:
    renderer = MapRenderer(tiny_scenario())
    north = renderer.anchor("spa/nc")
    south = renderer.anchor("spa/sc")
    centre = renderer.anchor("spa")
    assert north[1] < centre[1] < south[1]
    assert 150 < north[0] < 260 and 90 < north[1] < 230  # still inside Spania


def test_units_are_drawn_in_state_colour() -> None:
    scenario = tiny_scenario()
    renderer = MapRenderer(scenario)
    surface = pygame.Surface((800, 600))
    renderer.draw(surface, MapPicture(owners={}, units=(UnitMark("red", "army", "hil"),)))
    x, y = renderer.unit_position("hil")
    # The army sign is a round badge with a star: sample between two of the star's points.
    r = renderer.token_radius()
    pixel = tuple(surface.get_at((round(x + r * 0.45), round(y - r * 0.6))))[:3]
    assert pixel == tuple(pygame.Color(RED))[:3]


def test_owner_change_redraws_static_layer() -> None:
    scenario = tiny_scenario()
    renderer = MapRenderer(scenario)
    surface = pygame.Surface((800, 600))
    picture = MapPicture.from_scenario(scenario)
    renderer.draw(surface, picture)
    sx, sy = renderer.camera.world_to_screen((10, 220))
    owners = dict(picture.owners, wes="blu")
    renderer.draw(surface, MapPicture(owners=owners))
    assert tuple(surface.get_at((round(sx), round(sy))))[:3] == expected_colour("blue")


def test_pan_and_zoom_keep_lookup_consistent() -> None:
    scenario = tiny_scenario()
    renderer = MapRenderer(scenario, camera=Camera((400, 300), (800, 600)))
    surface = pygame.Surface((800, 600))
    renderer.camera.zoom_at(3.0, (600, 400))
    renderer.camera.pan(-37, 12)
    for _ in range(3):  # pan inside the cached tile, then out of it
        renderer.draw(surface, MapPicture.from_scenario(scenario))
        for world, territory, kind in PROBES:
            sx, sy = renderer.camera.world_to_screen(world)
            if 0 <= sx < 800 and 0 <= sy < 600:
                assert tuple(surface.get_at((int(sx), int(sy))))[:3] == expected_colour(kind)
                assert renderer.territory_at((sx, sy)) == territory
        renderer.camera.pan(-150, -90)


def test_arrows_and_highlight_draw_without_error() -> None:
    scenario = tiny_scenario()
    picture = MapPicture.from_scenario(scenario).with_arrows(
        [
            Arrow("move", "wes", "spa", "red"),
            Arrow("support", "eas", "spa", "blu"),
            Arrow("convoy", "nth", "spa", "red", aim="wes"),
            Arrow("support", "spa/nc", "hil", "blu", aim="eas"),
        ]
    )
    plain = render(scenario)
    drawn = render(scenario, picture=picture.with_highlight({"hil"}))
    assert pygame.image.tobytes(plain, "RGB") != pygame.image.tobytes(drawn, "RGB")


def test_rendering_is_deterministic() -> None:
    scenario = tiny_scenario()
    picture = MapPicture.from_scenario(scenario).with_arrows([Arrow("move", "wes", "spa", "red")])
    a = render(scenario, picture=picture)
    b = render(scenario, picture=picture)
    assert pygame.image.tobytes(a, "RGB") == pygame.image.tobytes(b, "RGB")


def test_supersampled_render_keeps_fills() -> None:
    scenario = tiny_scenario()
    renderer = MapRenderer(scenario, options=RenderOptions(supersample=2))
    surface = pygame.Surface((800, 600))
    renderer.draw(surface, MapPicture.from_scenario(scenario))
    sx, sy = renderer.camera.world_to_screen((10, 220))
    assert tuple(surface.get_at((round(sx), round(sy))))[:3] == expected_colour("red")


def _write_yaml(scenario: Scenario, path: Path) -> None:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(scenario.model_dump(mode="json", exclude_none=True), handle)


def test_preview_command_writes_png(tmp_path: Path) -> None:
    from game.scenario.preview import preview_command, render_preview

    source = tmp_path / "tiny.yaml"
    _write_yaml(tiny_scenario(), source)
    out = tmp_path / "out" / "map.png"
    assert preview_command(source, out, 640) == 0
    image = pygame.image.load(str(out))
    assert image.get_size() == render_preview(tiny_scenario(), 640).get_size()
    assert image.get_width() == 640


def test_preview_command_reports_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from game.scenario.preview import preview_command

    assert preview_command(tmp_path / "missing.yaml", tmp_path / "map.png", 640) == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: backchannel-scenario/1\nid: bad\n", encoding="utf-8")
    assert preview_command(bad, tmp_path / "map.png", 640) == 1
    assert not (tmp_path / "map.png").exists()
    captured = capsys.readouterr()
    assert "missing.yaml" in captured.out + captured.err


def test_bundled_font_is_used_and_missing_font_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from game.render import fonts

    assert fonts.font_path("condensed") is not None  # assets/fonts ships DejaVu
    monkeypatch.setattr(fonts, "FONT_DIR", tmp_path)
    fonts.get_font.cache_clear()
    fonts.halo_text.cache_clear()
    try:
        assert fonts.font_path("sans") is None
        assert fonts.halo_text("Paris", 14, (0, 0, 0), (255, 255, 255)).get_width() > 0
        render(tiny_scenario())  # still draws, with pygame's default font
    finally:
        fonts.get_font.cache_clear()
        fonts.halo_text.cache_clear()


def test_static_layer_is_cached_across_frames_and_small_pans() -> None:
    scenario = tiny_scenario()
    renderer = MapRenderer(scenario)
    surface = pygame.Surface((800, 600))
    picture = MapPicture.from_scenario(scenario)
    renderer.camera.zoom_at(2.0)
    renderer.draw(surface, picture)
    renderer.draw(surface, MapPicture.from_scenario(scenario))  # equal owners, new picture
    renderer.camera.pan(10, -5)
    renderer.draw(surface, picture.with_highlight({"hil"}))
    assert renderer.static_redraws == 1
    renderer.draw(surface, MapPicture(owners=dict(picture.owners, hil="red")))
    assert renderer.static_redraws == 2

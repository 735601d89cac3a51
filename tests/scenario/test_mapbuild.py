"""The map builder: specs in tests/fixtures/mapbuild built into scenarios and checked.

Each build takes well under a second (coarse data or a small region), and each fixture is
built once per module.  The checks are the builder's promises: the territories tile the
canvas and follow the land, shared borders are shared vertex for vertex, anchors next to
each other give neighbours, output validates and is byte-for-byte repeatable, and every
mistake in a spec is reported with its line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import shapely
from ruamel.yaml import YAML

from game.rules.board import Board
from game.rules.scenario import Scenario
from game.scenario.mapbuild import BuiltMap, MapSpecError, build_map
from game.scenario.mapbuild.command import build_map_command
from game.scenario.mapbuild.gazetteer import UnknownCity, bundled_gazetteer
from game.scenario.mapbuild.landdata import land_in_box
from game.scenario.mapbuild.projection import fit_projection
from game.scenario.mapbuild.spec import Region
from game.scenario.mapbuild.writer import render_scenario

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mapbuild"
IBERIA = FIXTURES / "iberia.yaml"
BALTIC = FIXTURES / "baltic.yaml"


def line_of(text: str, snippet: str) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), 1) if snippet in line]
    assert len(hits) == 1, f"{snippet!r} is on lines {hits}"
    return hits[0]


def shape(built: BuiltMap, territory: str) -> shapely.Geometry:
    t = next(t for t in built.territories if t.spec.id == territory)
    area = shapely.unary_union([shapely.Polygon(r) for r in t.polygons])
    return (
        shapely.difference(area, shapely.unary_union([shapely.Polygon(r) for r in t.holes]))
        if t.holes
        else area
    )


def canvas_point(built: BuiltMap, lon: float, lat: float) -> shapely.Point:
    return shapely.Point(built.projection.point(lon, lat))


@pytest.fixture(scope="module")
def iberia() -> BuiltMap:
    return build_map(IBERIA)


@pytest.fixture(scope="module")
def baltic() -> BuiltMap:
    return build_map(BALTIC)


@pytest.fixture(scope="module")
def iberia_board(iberia: BuiltMap, tmp_path_factory: pytest.TempPathFactory) -> Board:
    into = tmp_path_factory.mktemp("iberia") / "iberia.yaml"
    into.write_text(render_scenario(into, iberia, IBERIA), encoding="utf-8")
    return Board.from_scenario(
        Scenario.model_validate(YAML(typ="safe").load(into.read_text(encoding="utf-8")))
    )


# -- geometry -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["iberia", "baltic"])
def test_territories_tile_the_canvas_without_gaps_or_overlaps(
    name: str, request: pytest.FixtureRequest
) -> None:
    built: BuiltMap = request.getfixturevalue(name)
    shapes = [shape(built, t.spec.id) for t in built.territories]
    assert all(s.is_valid and s.area > 0 for s in shapes)
    total = sum(s.area for s in shapes)
    union = shapely.unary_union(shapes)
    assert total == pytest.approx(union.area, rel=1e-9)  # no overlaps
    assert built.dropped_area == 0
    assert total == pytest.approx(built.width * built.height, rel=1e-9)  # no gaps


def test_land_territories_cover_the_real_land(iberia: BuiltMap) -> None:
    projection = fit_projection(Region(bounds=(-10.0, 36.0, 7.0, 52.0), width=600))
    canvas = shapely.box(0, 0, iberia.width, iberia.height)
    land = shapely.intersection(
        projection.geometry(land_in_box("natural-earth-110m", -40, 25, 40, 60)), canvas
    )
    built_land = shapely.unary_union(
        [shape(iberia, t.spec.id) for t in iberia.territories if t.kind != "sea"]
    )
    difference = shapely.symmetric_difference(land, built_land).area
    assert difference < 0.03 * land.area  # only simplification moves the coastline


def test_shared_borders_are_shared_vertex_for_vertex(iberia: BuiltMap, baltic: BuiltMap) -> None:
    """Every edge is on two rings (once each way) or on the canvas edge: the rules' derivation sees it all."""
    for built in (iberia, baltic):
        edges: Counter[tuple[tuple[float, float], tuple[float, float]]] = Counter()
        for t in built.territories:
            for ring in t.polygons + t.holes:
                for p, q in zip(ring, ring[1:] + ring[:1], strict=True):
                    edges[(p, q)] += 1
        for (p, q), count in edges.items():
            assert count == 1, f"edge {p}-{q} twice in one direction"
            if (q, p) not in edges:
                vertical = p[0] == q[0] and p[0] in (0.0, built.width)
                horizontal = p[1] == q[1] and p[1] in (0.0, built.height)
                on_edge = vertical or horizontal
                assert on_edge, f"edge {p}-{q} has a territory on one side only, inside the canvas"


def test_coordinates_are_on_the_output_grid(iberia: BuiltMap) -> None:
    for t in iberia.territories:
        for ring in t.polygons + t.holes:
            assert len(ring) >= 3
            assert all(round(v, 1) == v for point in ring for v in point)
        assert shape(iberia, t.spec.id).contains(shapely.Point(t.label))


def test_point_budget_is_kept_on_average_and_capped(iberia: BuiltMap) -> None:
    counts = [sum(len(r) for r in t.polygons + t.holes) for t in iberia.territories]
    assert sum(counts) <= 40 * len(counts) * 1.05
    assert max(counts) <= 2 * 40 * 1.25


# -- the division -----------------------------------------------------------------------


def test_a_territory_stays_on_its_own_landmass(iberia: BuiltMap, baltic: BuiltMap) -> None:
    # Helsingborg is nearer Copenhagen than Malmö, but across the Sound: it stays Swedish.
    helsingborg = canvas_point(baltic, 12.72, 56.05)
    assert shape(baltic, "swe").contains(helsingborg) and not shape(baltic, "den").contains(helsingborg)
    assert not shape(iberia, "spa").intersects(shape(iberia, "naf"))


def test_border_lines_override_the_division(iberia: BuiltMap) -> None:
    # Nearer Bordeaux than Madrid, but south of the Pyrenees line in the spec.
    assert shape(iberia, "spa").contains(canvas_point(iberia, -1.5, 43.0))
    assert shape(iberia, "gas").contains(canvas_point(iberia, -0.5, 43.3))


def test_unanchored_landmasses_join_the_nearest_territory(iberia: BuiltMap) -> None:
    assert len(shapely.get_parts(shape(iberia, "lon"))) >= 2  # Great Britain and the tip of Ireland
    assert any("joins 'lon'" in note for note in iberia.notes)


def test_neighbouring_anchors_give_neighbouring_territories(iberia_board: Board) -> None:
    army = iberia_board.army_adj
    for a, b in [
        ("por", "spa"),
        ("spa", "gas"),
        ("gas", "bre"),
        ("par", "bur"),
        ("bur", "mar"),
        ("par", "bre"),
    ]:
        assert b in army[a] and a in army[b], (a, b)
    assert "naf" not in army["spa"]  # the sea is between them
    fleet = iberia_board.fleet_adj
    assert "eng" in fleet["bre"] and {"mao", "wes"} <= set(fleet["por"])
    assert {"lyo", "wes"} <= set(fleet["spa/sc"]) and "mao" in fleet["spa/nc"]
    assert "mar" in fleet["spa/sc"] and "gas" in fleet["spa/nc"]
    assert "naf" in fleet["spa/sc"]  # the spec's add_links


def test_coasts_are_detected_and_named_coasts_listed(iberia: BuiltMap, baltic: BuiltMap) -> None:
    kinds = {t.spec.id: t.kind for t in iberia.territories}
    assert kinds["bur"] == "land" and kinds["par"] == "coast" and kinds["mao"] == "sea"
    spa = next(t for t in iberia.territories if t.spec.id == "spa")
    coasts = {c.id: c.neighbours for c in spa.coasts}
    assert {"mao", "gas", "por"} <= set(coasts["nc"]) and "lyo" not in coasts["nc"]
    assert {"wes", "lyo", "mar"} <= set(coasts["sc"]) and "gas" not in coasts["sc"]
    denmark = next(t for t in baltic.territories if t.spec.id == "den")
    assert denmark.kind == "coast" and len(denmark.polygons) >= 3  # Jutland, Funen, Zealand ...
    assert {"kie", "bal", "ska", "hel"} <= set(denmark.neighbours) and "swe" not in denmark.neighbours


# -- output -------------------------------------------------------------------------------


def test_new_scenario_is_a_valid_skeleton(tmp_path: Path) -> None:
    into = tmp_path / "baltic-1914.yaml"
    assert build_map_command(BALTIC, into) == 0
    text = into.read_text(encoding="utf-8")
    scenario = Scenario.model_validate(YAML(typ="safe").load(text))
    assert scenario.id == "baltic-1914" and {s.id for s in scenario.states} == {"ger"}
    assert "TODO" in text  # placeholders
    assert re.search(r'polygons:\n    - "[0-9.]+,[0-9.]+ [0-9.]+,[0-9.]+', text)  # rings as compact strings
    assert len(scenario.map.territories) == 9


def test_existing_scenario_keeps_everything_but_its_map(tmp_path: Path) -> None:
    head = "# The designer's own words.\nformat: backchannel-scenario/1   # keep me\nid: iberia\ntitle:    'Iberia'\n"
    tail = (
        "# --- states ---\ncalendar: {start_year: 1914}\nstates:\n    -   id: fra\n        name: France\n"
        "        colour: '#0072B2'\n    -   {id: esp, name: Spain, colour: '#e69f00'}\n"
        "    -   {id: eng, name: England, colour: '#009e73'}\n"
    )
    into = tmp_path / "iberia.yaml"
    into.write_text(
        head + "map:\n  width: 1\n  # an old comment\n  territories: []\n" + tail, encoding="utf-8"
    )
    assert build_map_command(IBERIA, into) == 0
    text = into.read_text(encoding="utf-8")
    assert text.startswith(head + "map:\n") and text.endswith(tail)
    assert "an old comment" not in text
    scenario = Scenario.model_validate(YAML(typ="safe").load(text))
    assert scenario.title == "Iberia" and len(scenario.map.territories) == 13
    assert scenario.map.add_links[0].between == ("spa/sc", "naf")


def test_same_spec_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "s.yaml", tmp_path / "b" / "s.yaml"
    first.parent.mkdir()
    second.parent.mkdir()
    assert build_map_command(IBERIA, first) == 0
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    script = "import sys; from pathlib import Path; from game.scenario.mapbuild.command import build_map_command as b; sys.exit(b(Path(sys.argv[1]), Path(sys.argv[2])))"
    subprocess.run(
        [sys.executable, "-c", script, str(IBERIA), str(second)],
        check=True,
        cwd=REPO,
        env=env,
        capture_output=True,
    )
    assert first.read_bytes() == second.read_bytes()
    before = first.read_bytes()
    assert build_map_command(IBERIA, first) == 0  # rebuilding into its own output changes nothing
    assert first.read_bytes() == before


# -- data ------------------------------------------------------------------------------


def test_gazetteer_knows_historical_names_and_suggests() -> None:
    gazetteer = bundled_gazetteer()
    assert gazetteer.find("Constantinople", "TR").name == "Istanbul"
    assert gazetteer.find("Königsberg", "RU").name == "Kaliningrad"
    assert gazetteer.find("koenigsberg", "RU").name == "Kaliningrad"
    with pytest.raises(UnknownCity, match="did you mean Paris"):
        gazetteer.find("Pariss", "FR")
    with pytest.raises(UnknownCity, match="there is one in FR"):
        gazetteer.find("Marseille", "IT")


def test_land_data_is_whole_across_the_antimeridian() -> None:
    land = land_in_box("natural-earth-50m", -40, 40, 70, 75)
    assert land.contains(shapely.Point(10, 50)) and land.contains(shapely.Point(60, 60))
    assert not land.contains(shapely.Point(3.0, 66.1))  # Norwegian Sea, once a bogus strip of "land"


@pytest.mark.parametrize("projection", ["lambert_conformal_conic", "equirectangular", "mercator"])
def test_projections_round_trip_and_fit_the_width(projection: str) -> None:
    fitted = fit_projection(Region(bounds=(-11, 34, 45, 66), projection=projection, width=1200))  # type: ignore[arg-type]
    lon, lat = np.array([-11.0, 2.35, 45.0]), np.array([34.0, 48.85, 66.0])
    x, y = fitted.to_canvas(lon, lat)
    back_lon, back_lat = fitted.to_lonlat(x, y)
    assert np.allclose(back_lon, lon) and np.allclose(back_lat, lat)
    assert x.min() >= 0 and x.max() <= 1200 + 1e-6
    assert y.min() >= 0 and y.max() <= fitted.height + 0.05
    assert y[2] < y[1] < y[0]  # north is up


# -- errors ------------------------------------------------------------------------------

IBERIA_TEXT = IBERIA.read_text(encoding="utf-8")


def spec_problems(tmp_path: Path, *replacements: tuple[str, str]) -> tuple[str, list[str]]:
    text = IBERIA_TEXT
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    file = tmp_path / "spec.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(MapSpecError) as caught:
        build_map(file)
    return text, [str(p) for p in caught.value.problems]


def test_unknown_city_names_the_line_and_suggests(tmp_path: Path) -> None:
    text, problems = spec_problems(tmp_path, ("{city: Paris, country: FR}", "{city: Pariss, country: FR}"))
    assert problems == [
        f"{tmp_path / 'spec.yaml'}:{line_of(text, 'Pariss')}: territories[4].anchors[0].city: "
        "unknown city 'Pariss' in FR; did you mean Paris?"
    ]


def test_land_anchor_in_the_sea_and_sea_anchor_on_land(tmp_path: Path) -> None:
    text, problems = spec_problems(
        tmp_path,
        ("{city: Dijon, country: FR}", "{lonlat: [-5.0, 45.0]}"),
        ("{lonlat: [4.5, 42.3]}", "{lonlat: [2.0, 47.0]}"),
    )
    assert len(problems) == 2
    assert (
        f":{line_of(text, '[-5.0, 45.0]')}: territories[6].anchors[0].lonlat: [-5.0, 45.0] is in the sea"
        in problems[0]
    )
    assert (
        f":{line_of(text, '[2.0, 47.0]')}: territories[12].anchors[0].lonlat: [2.0, 47.0] is on land"
        in problems[1]
    )


def test_two_territories_with_one_anchor(tmp_path: Path) -> None:
    text, problems = spec_problems(tmp_path, ("{city: Bordeaux, country: FR}", "{city: Brest, country: FR}"))
    lines = sorted(n for n, line in enumerate(text.splitlines(), 1) if "city: Brest" in line)
    assert [p.split(":")[1] for p in problems] == [str(n) for n in lines]
    assert all("have the same anchor" in p for p in problems)


def test_unknown_ids_in_borders_coasts_and_links(tmp_path: Path) -> None:
    text, problems = spec_problems(
        tmp_path,
        ("between: [gas, spa]", "between: [gass, spa]"),
        ("seas: [wes, lyo]", "seas: [wes, lyon]"),
        ("between: [spa/sc, naf]", "between: [spa/ec, nafr]"),
    )
    assert len(problems) == 4
    assert (
        f":{line_of(text, 'lyon')}: territories[1].coasts[1].seas[1]: unknown sea 'lyon'; did you mean lyo?"
        in problems[0]
    )
    assert (
        f":{line_of(text, 'gass')}: borders[0].between[0]: unknown territory 'gass'; did you mean gas?"
        in problems[1]
    )
    assert "links.add[0].between[0]: 'spa' has no coast 'ec'; its named coasts are nc, sc" in problems[2]
    assert "links.add[0].between[1]: unknown territory 'nafr'; did you mean naf?" in problems[3]


def test_spec_format_errors_name_the_line(tmp_path: Path) -> None:
    text, problems = spec_problems(
        tmp_path, ("points_per_territory: 40", "points_per_territory: 40\ncolour: red")
    )
    assert problems == [
        f"{tmp_path / 'spec.yaml'}:{line_of(text, 'colour: red')}: colour: unknown field 'colour'; valid fields: "
        "format, region, land, points_per_territory, min_island_km2, anchor_snap_km, territories, borders, links"
    ]
    text, problems = spec_problems(
        tmp_path,
        (
            "kind: land, supply: true, anchors: [{city: Lisbon",
            "kind: hill, supply: true, anchors: [{city: Lisbon",
        ),
    )
    assert problems[0].endswith(
        f":{line_of(text, 'kind: hill')}: territories[0].kind: must be one of land, sea, not 'hill'"
    )
    _, problems = spec_problems(tmp_path, ("width: 600", "width: &w 600\n  x: *w"))
    assert problems == [
        f"{tmp_path / 'spec.yaml'}:7: region.width: anchors and aliases are not allowed: map specs may not use them "
        "(&w on line 7, *w on line 8); write each value out in full"
    ]


def test_errors_write_nothing_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        IBERIA_TEXT.replace("{city: Lisbon, country: PT}", "{city: Lisboa, country: ES}"), encoding="utf-8"
    )
    into = tmp_path / "scenario.yaml"
    assert build_map_command(spec, into) == 1
    assert not into.exists()
    assert "no city 'Lisboa' in ES; there is one in PT" in capsys.readouterr().err
    into.write_text("id: keep\n", encoding="utf-8")
    assert build_map_command(spec, into) == 1
    assert into.read_text(encoding="utf-8") == "id: keep\n"


def test_every_spec_field_is_documented() -> None:
    from game.scenario.mapbuild import spec as spec_models

    doc = (REPO / "docs" / "map-spec.md").read_text(encoding="utf-8")
    models = [spec_models.MapSpec, spec_models.Region, spec_models.TerritorySpec, spec_models.Anchor]
    models += [spec_models.NamedCoast, spec_models.Border, spec_models.Links]
    for model in models:
        for name in model.model_fields:
            assert f"| `{name}` |" in doc, f"{model.__name__}.{name} is not in docs/map-spec.md"

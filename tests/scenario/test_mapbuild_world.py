"""The map builder at world scale: the Miller projection, regions across the antimeridian,
oceans divided among far-apart sea anchors, and what is still refused (with a way out).

Fixtures: tests/fixtures/mapbuild/atlantic.yaml (New England to Biscay on the Miller
projection) and bering.yaml (Chukotka to Alaska, west 155 > east -145).  Both use the coarse
1:110m land and build in well under a second.
"""

from __future__ import annotations

import math
import re
import resource
from pathlib import Path

import numpy as np
import pytest
import shapely
from pydantic import ValidationError
from ruamel.yaml import YAML

from game.rules.board import Board
from game.rules.scenario import Scenario
from game.scenario.mapbuild import BuiltMap, MapSpecError, build_map
from game.scenario.mapbuild.projection import fit_projection
from game.scenario.mapbuild.simplify import RankedArc
from game.scenario.mapbuild.spec import Region
from game.scenario.mapbuild.topology import Arc
from game.scenario.mapbuild.writer import render_scenario

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mapbuild"
ATLANTIC = FIXTURES / "atlantic.yaml"
BERING = FIXTURES / "bering.yaml"
CUBA = REPO / "scenarios" / "maps" / "cuba-1962.yaml"


def shape(built: BuiltMap, territory: str) -> shapely.Geometry:
    t = next(t for t in built.territories if t.spec.id == territory)
    area = shapely.unary_union([shapely.Polygon(r) for r in t.polygons])
    return (
        shapely.difference(area, shapely.unary_union([shapely.Polygon(r) for r in t.holes]))
        if t.holes
        else area
    )


def neighbours(built: BuiltMap, territory: str) -> set[str]:
    return set(next(t for t in built.territories if t.spec.id == territory).neighbours)


def assert_no_overlaps(built: BuiltMap) -> None:
    shapes = [shape(built, t.spec.id) for t in built.territories]
    assert all(s.is_valid and s.area > 0 for s in shapes)
    union = shapely.unary_union(shapes)
    assert sum(s.area for s in shapes) == pytest.approx(union.area, rel=1e-9)
    covered = union.area + built.dropped_area
    assert covered == pytest.approx(built.width * built.height, rel=1e-3)  # dropped: before the grid


@pytest.fixture(scope="module")
def atlantic() -> BuiltMap:
    return build_map(ATLANTIC)


@pytest.fixture(scope="module")
def bering() -> BuiltMap:
    return build_map(BERING)


# -- the Miller projection ----------------------------------------------------------------


def test_miller_matches_snyders_table_and_round_trips() -> None:
    """Snyder (1987), table 11: y = 2.30341 at the pole on the unit sphere; the world is 0.733 as high as wide."""
    world = fit_projection(Region(bounds=(-180.0, -90.0, 180.0, 90.0), projection="miller", width=1000))
    _, y = world._forward(np.array([0.0, 0.0]), np.array([90.0, 50.0]))
    assert y[0] == pytest.approx(2.30341, abs=1e-5)
    assert y[1] == pytest.approx(1.25 * math.log(math.tan(math.pi / 4 + 0.4 * math.radians(50))))
    assert world.height == pytest.approx(1000 * 2 * 2.30341 / (2 * math.pi), abs=0.1)
    rng = np.random.default_rng(1962)
    lon, lat = rng.uniform(-180, 180, 500), rng.uniform(-89.9, 89.9, 500)
    back_lon, back_lat = world.to_lonlat(*world.to_canvas(lon, lat))
    assert np.allclose(back_lon, lon, atol=1e-9) and np.allclose(back_lat, lat, atol=1e-9)


@pytest.mark.parametrize("projection", ["miller", "mercator", "equirectangular", "lambert_conformal_conic"])
def test_every_projection_crosses_the_antimeridian_in_one_piece(projection: str) -> None:
    fitted = fit_projection(Region(bounds=(150.0, 10.0, -150.0, 60.0), projection=projection, width=800))
    lon = np.array([151.0, 165.0, 179.9, -179.9, -165.0, -151.0])
    x, y = fitted.to_canvas(lon, np.full(6, 35.0))
    assert np.all(np.diff(x) > 0), "eastwards over 180 is further right on the canvas"
    assert x.min() > 0 and x.max() < fitted.width and y.min() > 0 and y.max() < fitted.height
    back_lon, back_lat = fitted.to_lonlat(x, y)
    assert np.allclose((back_lon - lon + 180) % 360 - 180, 0, atol=1e-9)
    assert np.allclose(back_lat, 35.0, atol=1e-9)


def test_a_region_over_the_antimeridian_is_measured_eastwards() -> None:
    bering = Region(bounds=(160.0, 50.0, -160.0, 72.0), width=500)
    assert bering.span == 40 and bering.unwrapped_bounds == (160.0, 50.0, 200.0, 72.0)
    assert bering.middle_meridian == 180
    assert Region(bounds=(170.0, 0.0, -130.0, 10.0), projection="miller", width=5).middle_meridian == -160
    europe = Region(bounds=(-13.0, 35.0, 45.0, 66.0), width=1200)  # the old meaning is unchanged
    assert europe.span == 58 and europe.middle_meridian == 16


# -- what is still impossible says so, and what to do instead -------------------------------


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ({"bounds": (20.0, 10.0, 20.0, 60.0)}, "for the whole world write"),
        ({"bounds": (-125.0, 5.0, 70.0, 75.0)}, "wider than 180 degrees.*use miller"),
        ({"bounds": (-100.0, -10.0, 10.0, 60.0)}, "one side of the equator.*miller"),
        ({"bounds": (-50.0, 10.0, 50.0, 88.0), "projection": "mercator"}, "beyond 85 degrees; use miller"),
        ({"bounds": (-60.0, 10.0, 60.0, 70.0), "projection": "miller", "central_meridian": 150}, "tear"),
        ({"bounds": (-190.0, 10.0, 60.0, 70.0)}, "within -180..180"),
    ],
)
def test_impossible_regions_are_refused_with_a_way_out(region: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Region.model_validate({"width": 800, **region})


def test_a_wide_conic_map_is_a_located_error(tmp_path: Path) -> None:
    spec = ATLANTIC.read_text(encoding="utf-8").replace(
        "projection: miller", "projection: lambert_conformal_conic"
    )
    spec = spec.replace("bounds: [-82.0, 22.0, 5.0, 56.0]", "bounds: [-125.0, 22.0, 70.0, 56.0]")
    file = tmp_path / "wide.yaml"
    file.write_text(spec, encoding="utf-8")
    with pytest.raises(MapSpecError) as caught:
        build_map(file)
    text = str(caught.value)
    # the problem is located at the region (or its bounds) line
    assert re.search(r"wide\.yaml:[34]: region", text) and "use miller" in text


# -- building across the antimeridian -------------------------------------------------------


def test_bering_strait_map_is_one_piece_across_the_antimeridian(bering: BuiltMap) -> None:
    assert_no_overlaps(bering)
    assert bering.dropped_area == 0
    seam = bering.projection.point(180.0, 66.0)[0]
    chukotka = shapely.get_parts(shape(bering, "chu"))
    main = max(chukotka, key=lambda p: p.area)
    assert main.bounds[0] < seam < main.bounds[2], "Chukotka is not cut at 180 degrees"
    assert shape(bering, "chu").contains(shapely.Point(bering.projection.point(-173.0, 65.5)))
    assert shape(bering, "chu").centroid.x < shape(bering, "ala").centroid.x  # Asia on the left
    assert {"chk", "ber"} <= neighbours(bering, "chu") and {"chk", "ber"} <= neighbours(bering, "ala")
    assert "ala" not in neighbours(bering, "chu")  # the strait is water, not a land border
    assert bering.projection.bounds == (155.0, 50.0, -145.0, 72.0)  # written as the designer wrote it


# -- an ocean divided among far-apart seas -------------------------------------------------------


def test_an_ocean_is_divided_among_its_seas_with_the_right_neighbours(atlantic: BuiltMap) -> None:
    assert_no_overlaps(atlantic)
    assert {"was", "eas", "nat", "sar"} <= neighbours(atlantic, "mid")  # both sides of the ocean
    assert "usa" in neighbours(atlantic, "was") and {"spa", "mor"} <= neighbours(atlantic, "eas")
    assert "eas" not in neighbours(atlantic, "was")  # 3,000 km of ocean between them
    assert not {"usa", "nyk", "spa", "fra", "mor", "gbr"} & neighbours(atlantic, "mid")
    for sea in ("was", "sar", "mid", "nat", "eas", "bis"):
        parts = sorted(shapely.get_parts(shape(atlantic, sea)), key=lambda p: -p.area)
        reach = 0.02 * (atlantic.width + atlantic.height) / 2
        assert all(p.distance(parts[0]) <= reach for p in parts[1:]), f"{sea} has a part far away"


def test_water_the_canvas_edge_cuts_off_is_out_of_play(atlantic: BuiltMap) -> None:
    """The Gulf of Mexico east of 82°W, closed by Cuba and the frame, is in no sea (it was a far-off piece of one)."""
    assert any("cut off from the others" in note and "out of play" in note for note in atlantic.notes)
    assert atlantic.dropped_area > 0
    gulf = shapely.Point(atlantic.projection.point(-83.5, 26.5))
    assert not any(shape(atlantic, t.spec.id).contains(gulf) for t in atlantic.territories)


def test_the_rules_see_the_ocean_crossing(atlantic: BuiltMap, tmp_path: Path) -> None:
    into = tmp_path / "atlantic.yaml"
    into.write_text(render_scenario(into, atlantic, ATLANTIC), encoding="utf-8")
    text = into.read_text(encoding="utf-8")
    assert "name: miller" in text
    board = Board.from_scenario(Scenario.model_validate(YAML(typ="safe").load(text)))
    assert {"was", "eas"} <= set(board.fleet_adj["mid"]) and "mid" in board.fleet_adj["was"]
    assert "mid" in board.fleet_adj["eas"] and "eas" not in board.fleet_adj["was"]


# -- simplification at any scale ------------------------------------------------------------


def test_an_arc_keeps_its_ends_at_any_tolerance() -> None:
    """A territory with more arcs than its budget gets tolerance infinity; its arcs kept no point at all."""
    arc = RankedArc.of(Arc("a", "b", [(0, 0), (10, 5), (20, 0), (30, 8)]))
    assert arc.simplified(float("inf")) == [(0, 0), (30, 8)]
    ring = RankedArc.of(Arc("a", None, [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]))
    assert len(ring.simplified(float("inf"))) == 4  # three corners and the closing point


@pytest.mark.skipif(not CUBA.exists(), reason="the Cuba 1962 map spec is not there")
def test_a_world_scale_map_builds_in_budget() -> None:
    """The Cuba 1962 map: the Caribbean to the Urals, 1:50m land, under 10 s of CPU."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    built = build_map(CUBA)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_utime - before < 10.0
    assert_no_overlaps(built)
    assert {"wat", "eat"} <= neighbours(built, "mat")  # the mid-Atlantic touches both shores' seas
    assert "eat" not in neighbours(built, "wat")
    counts = [sum(len(r) for r in t.polygons + t.holes) for t in built.territories]
    assert sum(counts) <= 1.1 * 60 * len(counts)

"""Building a map from a spec: the steps in order, each in its own module.

load and check the spec → look up anchors → project the land → divide it → node the
borders on the grid → simplify the arcs → rings, labels, coasts → a `BuiltMap` the writer
turns into the scenario's `map:` section.  Problems found on the way are collected and
raised together as one MapSpecError, each with its line.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from game.rules.scenario import Link
from game.scenario.mapbuild import anchors as anchor_steps
from game.scenario.mapbuild.check import load_spec
from game.scenario.mapbuild.coasts import CoastResult, named_coasts, unlisted_seas
from game.scenario.mapbuild.errors import MapSpecError
from game.scenario.mapbuild.gazetteer import Gazetteer, bundled_gazetteer
from game.scenario.mapbuild.landdata import land_in_box
from game.scenario.mapbuild.partition import PlacedBorder, divide
from game.scenario.mapbuild.projection import Projection, fit_projection
from game.scenario.mapbuild.references import check_references
from game.scenario.mapbuild.simplify import CAP, simplify_arcs
from game.scenario.mapbuild.spec import LoadedSpec, TerritorySpec
from game.scenario.mapbuild.topology import SCALE, Vertex, build_arcs, directed_edges, faces_of, signed_area
from game.scenario.mapbuild.yamlsource import PathItem

Point = tuple[float, float]
# canvas units²: an unanchored island smaller than this is a speck on the board whatever
# its size on the ground (on a world map 300 km² is about 2 units²), so it becomes water
MIN_VISIBLE_AREA = 4.0


@dataclass
class BuiltTerritory:
    """One territory as it goes into the scenario."""

    spec: TerritorySpec
    kind: str
    polygons: list[list[Point]]
    holes: list[list[Point]]
    label: Point
    coasts: list[CoastResult]
    neighbours: list[str]


@dataclass
class BuiltMap:
    """Everything the writer needs for the `map:` section, plus notes for the designer."""

    width: float
    height: float
    projection: Projection
    territories: list[BuiltTerritory]
    add_links: list[Link]
    remove_links: list[Link]
    notes: list[str] = field(default_factory=list)
    dropped_area: float = 0.0  # canvas area out of play: in no territory


def _raise(loaded: LoadedSpec, problems: Sequence[tuple[tuple[PathItem, ...], str]]) -> None:
    if problems:
        raise MapSpecError([loaded.source.problem(path, message) for path, message in problems])


def _km2(projection: Projection, piece: BaseGeometry) -> float:
    point = shapely.point_on_surface(piece)
    lon, lat = projection.to_lonlat(np.array([point.x]), np.array([point.y]))
    per_km = projection.units_per_km(float(lon[0]), float(lat[0]))
    return float(piece.area) / (per_km * per_km)


def _ring_out(ring: list[Vertex]) -> list[Point]:
    """Canvas coordinates, starting at the smallest vertex so the output does not depend on tracing order."""
    start = ring.index(min(ring))
    return [(x / SCALE, y / SCALE) for x, y in ring[start:] + ring[:start]]


def _label(rings: list[list[Vertex]], anchor: Point | None) -> Point:
    """A point well inside the part holding the territory's first anchor, else its largest part."""
    shells = [shapely.Polygon([(x / SCALE, y / SCALE) for x, y in r]) for r in rings if signed_area(r) > 0]
    holes = [shapely.Polygon([(x / SCALE, y / SCALE) for x, y in r]) for r in rings if signed_area(r) < 0]
    area = shapely.unary_union(shells)
    if holes:
        area = shapely.difference(area, shapely.unary_union(holes))
    parts = sorted(shapely.get_parts(area), key=lambda p: (-p.area, p.bounds))
    target = parts[0]
    if anchor is not None:
        near = shapely.Point(anchor)
        target = min(parts, key=lambda p: (round(p.distance(near), 1), -p.area, p.bounds))
    try:
        point = polylabel(target, tolerance=0.5)
    except Exception:  # polylabel refuses some degenerate shapes; any inside point will do
        point = shapely.point_on_surface(target)
    candidate = shapely.Point(round(point.x, 1), round(point.y, 1))
    if not target.contains(candidate):
        inside = shapely.point_on_surface(target)
        candidate = shapely.Point(round(inside.x, 1), round(inside.y, 1))
    return (candidate.x, candidate.y)


class _Clock:
    """Seconds spent in each step, for bench/build_map.py."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[step] = self.timings.get(step, 0.0) + now - self.last
        self.last = now


def build_map(
    spec_file: Path, gazetteer: Gazetteer | None = None, timings: dict[str, float] | None = None
) -> BuiltMap:
    """Build the map a spec describes; raise MapSpecError listing every problem found.

    `timings`, if given, receives the seconds spent in each step.
    """
    clock = _Clock(timings)
    loaded = load_spec(spec_file)
    spec = loaded.spec
    _raise(loaded, check_references(loaded))
    clock.lap("spec")

    geo_anchors, problems = anchor_steps.resolve(loaded, gazetteer or bundled_gazetteer())
    _raise(loaded, problems)
    clock.lap("gazetteer")

    projection = fit_projection(spec.region)
    width, height = projection.width, projection.height
    canvas = shapely.box(0.0, 0.0, width, height)
    land_lonlat = land_in_box(spec.land, *projection.lonlat_box_of_canvas())
    land = shapely.make_valid(shapely.intersection(projection.geometry(land_lonlat), canvas))
    land = shapely.unary_union([p for p in shapely.get_parts(land) if p.geom_type == "Polygon"])
    placed, problems = anchor_steps.place(geo_anchors, projection, canvas, land, spec.anchor_snap_km)
    _raise(loaded, problems)
    clock.lap("land")

    borders = []
    for index, border in enumerate(spec.borders):
        line = projection.geometry(shapely.LineString(border.line), 0.1)
        borders.append(PlacedBorder(border.between, line, ("borders", index, "line")))
    division = divide(
        canvas,
        land,
        projection.bounds_polygon(),
        placed,
        borders,
        lambda piece: piece.area < MIN_VISIBLE_AREA or _km2(projection, piece) < spec.min_island_km2,
        lambda piece: _km2(projection, piece),
    )
    _raise(loaded, division.problems)
    clock.lap("division")

    faces = faces_of(division.territories, division.dropped, canvas)
    w, h = round(width * SCALE), round(height * SCALE)
    arcs = build_arcs(directed_edges(faces), {(0, 0), (w, 0), (0, h), (w, h)})
    clock.lap("topology")
    _, rings = simplify_arcs(arcs, spec.points_per_territory)
    clock.lap("simplify")

    missing = [
        (("territories", i), f"{t.id!r} ended up with no area (its anchors' land went to its neighbours)")
        for i, t in enumerate(spec.territories)
        if t.id not in rings
    ]
    _raise(loaded, missing)

    kinds = {t.id: t.kind for t in spec.territories}
    neighbours: dict[str, set[str]] = {t.id: set() for t in spec.territories}
    for arc in arcs:
        if arc.left is not None and arc.right is not None:
            neighbours[arc.left].add(arc.right)
            neighbours[arc.right].add(arc.left)
    final_kind = {
        t: ("coast" if k == "land" and any(kinds[n] == "sea" for n in neighbours[t]) else k)
        for t, k in kinds.items()
    }
    vertices = {
        name: {v for ring in territory_rings for v in ring} for name, territory_rings in rings.items()
    }
    coasts, problems = named_coasts(spec.territories, final_kind, neighbours, vertices)
    _raise(loaded, problems)
    notes = list(division.notes)
    for territory in spec.territories:
        if territory.coasts and (unlisted := unlisted_seas(territory, kinds, neighbours)):
            notes.append(
                f"{territory.id!r} borders {', '.join(unlisted)}, which none of its named coasts lists"
            )

    first_anchor: dict[str, Point] = {}
    for anchor in placed:
        first_anchor.setdefault(anchor.territory, (anchor.x, anchor.y))
    built = []
    for territory in spec.territories:
        territory_rings = rings[territory.id]
        shells = sorted((_ring_out(r) for r in territory_rings if signed_area(r) > 0), key=lambda r: r[0])
        holes = sorted((_ring_out(r) for r in territory_rings if signed_area(r) < 0), key=lambda r: r[0])
        built.append(
            BuiltTerritory(
                spec=territory,
                kind=final_kind[territory.id],
                polygons=shells,
                holes=holes,
                label=_label(territory_rings, first_anchor.get(territory.id)),
                coasts=coasts.get(territory.id, []),
                neighbours=sorted(neighbours[territory.id]),
            )
        )
    over = [
        b.spec.id
        for b in built
        if sum(len(r) for r in b.polygons + b.holes) > CAP * spec.points_per_territory
    ]
    if over:
        notes.append(f"over the point budget (islands or topology need the points): {', '.join(over)}")
    dropped = float(division.dropped.area)
    if dropped > 0:
        notes.append(
            f"{dropped / (width * height):.1%} of the canvas is outside the bounds with no anchor: in no territory"
        )
    clock.lap("output")
    return BuiltMap(
        width, height, projection, built, list(spec.links.add), list(spec.links.remove), notes, dropped
    )

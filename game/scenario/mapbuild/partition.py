"""Dividing the canvas's land among land anchors and its water among sea anchors.

Each connected piece of land (a landmass) is divided only among the anchors standing on
it, by a Voronoi diagram of those anchors clipped to the landmass: borders fall half-way
between cities, coasts follow the real coastline, and Madrid never takes Morocco.  Bits
of a Voronoi cell cut off from their anchor by a bay are handed to the neighbour they
share most border with, so every territory is one piece per landmass.  A landmass without
an anchor joins the nearest land territory whole, or is dropped (belongs to no territory)
when it lies wholly outside the spec's bounds.  Water is divided the same way among sea
anchors; an enclosed unanchored water body (a lake) becomes land.  Border lines from the
spec then re-split the two territories they name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import shapely
from shapely.geometry.base import BaseGeometry

from game.scenario.mapbuild.yamlsource import PathItem

EPS = 1e-3  # canvas units: far below the 0.1 output grid, far above float noise
SEA_REACH = 0.02  # an unanchored body of water in play joins a sea this close (share of the canvas size)


@dataclass(frozen=True)
class PlacedAnchor:
    """An anchor on the canvas: the territory it belongs to and where it stands."""

    territory: str
    kind: Literal["land", "sea"]
    x: float
    y: float
    path: tuple[PathItem, ...]

    @property
    def point(self) -> BaseGeometry:
        return shapely.Point(self.x, self.y)


class AnchorIndex:
    """Anchors in a spatial index, to ask which stand on a piece without testing them all."""

    def __init__(self, anchors: list[PlacedAnchor]) -> None:
        self.anchors = anchors
        self.tree = shapely.STRtree([a.point for a in anchors])

    def on(self, piece: BaseGeometry) -> list[PlacedAnchor]:
        return [self.anchors[i] for i in sorted(self.tree.query(piece, predicate="intersects"))]


@dataclass(frozen=True)
class PlacedBorder:
    """A spec border line on the canvas."""

    between: tuple[str, str]
    line: BaseGeometry
    path: tuple[PathItem, ...]


@dataclass
class Division:
    """Territory id to its area on the canvas; what was left out; notes for the designer."""

    territories: dict[str, BaseGeometry]
    dropped: BaseGeometry
    notes: list[str] = field(default_factory=list)
    problems: list[tuple[tuple[PathItem, ...], str]] = field(default_factory=list)


def _parts(geometry: BaseGeometry) -> list[BaseGeometry]:
    """Polygons of a geometry, largest first, ties broken by position (determinism)."""
    polygons = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and p.area > EPS]
    return sorted(polygons, key=lambda p: (-round(p.area, 3), p.bounds))


def _union(geometries: Sequence[BaseGeometry]) -> BaseGeometry:
    """The union's polygons only: an overlay of touching shapes also yields stray lines and points."""
    if not geometries:
        return shapely.Polygon()
    union = shapely.unary_union(list(geometries))
    if union.geom_type in ("Polygon", "MultiPolygon"):
        return union
    polygons = [p for p in shapely.get_parts(union) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.unary_union(polygons) if polygons else shapely.Polygon()


def _voronoi(piece: BaseGeometry, anchors: list[PlacedAnchor]) -> dict[str, BaseGeometry]:
    """Split one landmass (or water body) among its anchors by a Voronoi diagram."""
    territories = sorted({a.territory for a in anchors})
    if len(territories) == 1:
        return {territories[0]: piece}
    unique: dict[tuple[float, float], PlacedAnchor] = {}
    for anchor in anchors:
        unique.setdefault((anchor.x, anchor.y), anchor)
    points = [a.point for a in unique.values()]
    extent = shapely.box(*piece.bounds).buffer(10.0)
    cells = list(shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=extent)))
    tree = shapely.STRtree(cells)
    pieces: dict[str, list[BaseGeometry]] = {t: [] for t in territories}
    for anchor, point in zip(unique.values(), points, strict=True):
        for index in tree.query(point, predicate="intersects"):
            if cells[index].contains(point):
                pieces[anchor.territory].append(shapely.intersection(cells[index], piece))
                break
    return {t: _union(p) for t, p in pieces.items()}


def _shared_length(a: BaseGeometry, b: BaseGeometry) -> float:
    return float(shapely.length(shapely.intersection(a.boundary, shapely.buffer(b, EPS))))


@dataclass
class _Part:
    """One polygon of a territory, and whether an anchor of its territory lies on it (an orphan
    does not, until it is handed to a neighbour)."""

    territory: str
    polygon: BaseGeometry
    anchored: bool


def reattach_orphans(
    division: dict[str, BaseGeometry], anchors: list[PlacedAnchor]
) -> dict[str, BaseGeometry]:
    """Hand each piece cut off from its territory's anchors to the neighbour it shares most border with."""
    points: dict[str, list[BaseGeometry]] = {}
    for anchor in anchors:
        points.setdefault(anchor.territory, []).append(anchor.point)
    parts: list[_Part] = []
    for territory in sorted(division):
        for polygon in _parts(division[territory]):
            anchored = any(polygon.intersects(p) for p in points.get(territory, []))
            parts.append(_Part(territory, polygon, anchored))
    while True:
        orphans = [p for p in parts if not p.anchored]
        if not orphans:
            break
        moved = False
        for orphan in orphans:
            best: tuple[float, str] | None = None
            for other in parts:
                if other is orphan or not other.anchored:
                    continue
                if not other.polygon.envelope.intersects(orphan.polygon.envelope):
                    continue
                shared = _shared_length(orphan.polygon, other.polygon)
                territory = other.territory
                if shared > EPS and (
                    best is None or shared > best[0] or (shared == best[0] and territory < best[1])
                ):
                    best = (shared, territory)
            if best is not None:
                orphan.territory, orphan.anchored = best[1], True
                moved = True
        if not moved:
            break  # touches nothing anchored (cannot happen on a connected landmass): leave it be
    result: dict[str, list[BaseGeometry]] = {t: [] for t in division}
    for part in parts:
        result[part.territory].append(part.polygon)
    return {t: _union(p) for t, p in result.items() if p}


def _divide_kind(
    pieces: list[BaseGeometry],
    anchors: list[PlacedAnchor],
    in_play: BaseGeometry,
    what: str,
    km2: Callable[[BaseGeometry], float],
    small: Callable[[BaseGeometry], bool],
    reach: float = float("inf"),
) -> tuple[dict[str, BaseGeometry], list[BaseGeometry], list[str]]:
    """Divide pieces (landmasses or water bodies) among anchors; join or drop unanchored pieces.

    An unanchored piece in play joins the nearest territory only within `reach` canvas
    units; farther, it is dropped, because a far-off piece would make its territory a
    neighbour of coasts on the other side of an ocean (water that the canvas edge cuts off
    from the open sea, like the Gulf of Guinea under a map of the North Atlantic).
    """
    result: dict[str, list[BaseGeometry]] = {}
    unanchored: list[BaseGeometry] = []
    index = AnchorIndex(anchors)
    for piece in pieces:
        mine = index.on(piece)
        if not mine:
            unanchored.append(piece)
            continue
        for territory, area in reattach_orphans(_voronoi(piece, mine), mine).items():
            result.setdefault(territory, []).append(area)
    divided = {t: _union(p) for t, p in result.items()}
    dropped: list[BaseGeometry] = []
    notes: list[str] = []
    if not divided:
        return divided, unanchored, notes
    names = sorted(divided)
    tree = shapely.STRtree([divided[t] for t in names])
    joins: dict[str, list[BaseGeometry]] = {}
    for piece in unanchored:
        if shapely.area(shapely.intersection(piece, in_play)) <= EPS and not small(piece):
            dropped.append(piece)
            continue
        indexes, distances = tree.query_nearest(piece, return_distance=True, all_matches=True)
        nearest = min(names[i] for i in indexes)
        if float(distances.min()) > reach and not small(piece):
            dropped.append(piece)
            notes.append(
                f"{what} of about {km2(piece):,.0f} km² has no anchor and is cut off from the others "
                f"({float(distances.min()):.0f} units from the nearest, {nearest!r}): it is out of play; "
                "give it an anchor if it should be a territory"
            )
            continue
        joins.setdefault(nearest, []).append(piece)
        if km2(piece) > 2000:
            notes.append(
                f"{what} of about {km2(piece):,.0f} km² has no anchor and joins {nearest!r} "
                f"({float(distances.min()):.0f} units away); give it an anchor if it should be a territory"
            )
    for territory, extra in joins.items():
        divided[territory] = _union([divided[territory], *extra])
    return divided, dropped, notes


def _side_polygons(line: BaseGeometry, canvas: BaseGeometry) -> list[BaseGeometry]:
    """The plane around the canvas cut in two by the line, its ends extended straight."""
    coords = list(line.coords)
    w = canvas.bounds[2] - canvas.bounds[0] + canvas.bounds[3] - canvas.bounds[1]
    (x0, y0), (x1, y1) = coords[0], coords[1]
    (xa, ya), (xb, yb) = coords[-2], coords[-1]

    def stretch(px: float, py: float, dx: float, dy: float) -> tuple[float, float]:
        length = (dx * dx + dy * dy) ** 0.5 or 1.0
        return px + dx / length * 6 * w, py + dy / length * 6 * w

    extended = shapely.LineString(
        [stretch(x0, y0, x0 - x1, y0 - y1), *coords, stretch(xb, yb, xb - xa, yb - ya)]
    )
    plane = canvas.buffer(2 * w, join_style="mitre")
    return list(
        shapely.get_parts(
            shapely.polygonize(shapely.get_parts(shapely.unary_union([plane.boundary, extended])))
        )
    )


def apply_border(
    division: dict[str, BaseGeometry], border: PlacedBorder, anchors: list[PlacedAnchor], canvas: BaseGeometry
) -> str | None:
    """Re-split two territories along a spec line; return a problem message, or None."""
    a, b = border.between
    union = _union([division[a], division[b]])
    sides = _side_polygons(border.line, canvas)
    if len(sides) != 2:
        return "the line crosses itself (or doubles back); draw it as one stroke across the two territories"

    def side_of(territory: str) -> set[int]:
        return {
            i
            for i, s in enumerate(sides)
            for anchor in anchors
            if anchor.territory == territory and s.contains(anchor.point)
        }

    side_a, side_b = side_of(a), side_of(b)
    if len(side_a) != 1 or len(side_b) != 1 or side_a == side_b:
        return f"the line must run between the anchors of {a!r} and those of {b!r}, with each on one side"
    crossed = [p for p in _parts(union) if p.intersects(border.line)]
    if not crossed:
        return f"the line does not cross {a!r} or {b!r}"
    (index_a,), (index_b,) = side_a, side_b
    kept_a = [shapely.difference(division[a], _union(crossed))]
    kept_b = [shapely.difference(division[b], _union(crossed))]
    for piece in crossed:
        kept_a.append(shapely.intersection(piece, sides[index_a]))
        kept_b.append(shapely.intersection(piece, sides[index_b]))
    new_a, new_b = _union(kept_a), _union(kept_b)
    if new_a.area <= EPS or new_b.area <= EPS:
        return f"the line leaves {a if new_a.area <= EPS else b!r} no area"
    division[a], division[b] = new_a, new_b
    return None


def divide(
    canvas: BaseGeometry,
    land: BaseGeometry,
    in_play: BaseGeometry,
    anchors: list[PlacedAnchor],
    borders: list[PlacedBorder],
    small: Callable[[BaseGeometry], bool],
    km2: Callable[[BaseGeometry], float],
) -> Division:
    """Divide the canvas: land among land anchors, water among sea anchors (see the module doc).

    `small(piece)` says whether an unanchored piece is below the spec's `min_island_km2`: a
    small island becomes water, and a small piece outside the bounds (a corner of the
    canvas) joins its neighbour rather than leaving a hole.  `km2` gives a piece's area in
    square kilometres for the notes.
    """
    land_anchors = [a for a in anchors if a.kind == "land"]
    sea_anchors = [a for a in anchors if a.kind == "sea"]
    land_index, sea_index = AnchorIndex(land_anchors), AnchorIndex(sea_anchors)
    kept = []
    for piece in _parts(land):
        anchored = bool(land_index.on(piece))
        if anchored or not small(piece) or piece.boundary.intersects(canvas.exterior):
            kept.append(piece)  # what the frame cuts is a landmass, not an island
    land = _union(kept)
    water = shapely.difference(canvas, land)
    notes: list[str] = []
    seas, lakes = [], []
    for body in _parts(water):
        anchored = bool(sea_index.on(body))
        if anchored or body.boundary.intersects(canvas.exterior):
            seas.append(body)
        else:
            lakes.append(body)
            if km2(body) > 5000:
                notes.append(
                    f"an enclosed water body of about {km2(body):,.0f} km² has no sea anchor and becomes land"
                )
    landmasses = _parts(_union([land, *lakes]))
    land_div, land_dropped, land_notes = _divide_kind(landmasses, land_anchors, in_play, "land", km2, small)
    # a body of water joins a sea across the land only when they are close (a strait the
    # data closes); farther, fleets could not sail between them
    reach = SEA_REACH * float(shapely.length(canvas.exterior)) / 4
    sea_div, sea_dropped, sea_notes = _divide_kind(seas, sea_anchors, in_play, "water", km2, small, reach)
    territories = {**land_div, **sea_div}
    division = Division(territories, _union(land_dropped + sea_dropped), notes + land_notes + sea_notes)
    for border in borders:
        message = apply_border(territories, border, anchors, canvas)
        if message is not None:
            division.problems.append((border.path, message))
    return division

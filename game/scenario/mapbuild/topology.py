"""A planar map of the territories on the output grid: shared borders as arcs, built once.

The rules call two territories neighbours when their rings share an edge, so both sides
of a border must carry the very same vertices.  Territories cut by separate geometric
operations never quite agree, so the builder nodes every boundary together on the 0.1
grid, polygonizes the result into faces, gives each face to a territory, and reads the
borders off the faces as *arcs*: chains of edges between junctions (points where three
or more territories, or the canvas edge, meet).  Each arc is simplified once and both
neighbours take it from the same list, so their shared vertices are identical.
Coordinates here are integers counting tenths of a canvas unit, so equality is exact.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

Vertex = tuple[int, int]
GRID = 0.1
SCALE = 10  # integer coordinates are tenths


@dataclass
class Arc:
    """A border between two territories (None: the canvas edge or land out of play)."""

    left: str | None  # territory on the left when walking the coords forwards
    right: str | None
    coords: list[Vertex]

    @property
    def closed(self) -> bool:
        return self.coords[0] == self.coords[-1]

    def sides(self) -> tuple[str | None, str | None]:
        return self.left, self.right


def _int_ring(coords: Iterable[tuple[float, float]]) -> list[Vertex]:
    ring: list[Vertex] = []
    for x, y in coords:
        vertex = (round(x * SCALE), round(y * SCALE))
        if not ring or ring[-1] != vertex:
            ring.append(vertex)
    return ring


def faces_of(
    territories: dict[str, BaseGeometry], dropped: BaseGeometry, canvas: BaseGeometry
) -> list[tuple[str, BaseGeometry]]:
    """Node all borders on the grid, polygonize, and give each face to the territory covering most of it."""
    names = sorted(territories)
    shapes = []
    for name in names:
        area = shapely.intersection(territories[name], canvas)
        shapes.append(shapely.unary_union([p for p in shapely.get_parts(area) if p.geom_type == "Polygon"]))
    lines = [shapely.boundary(s) for s in shapes] + [canvas.exterior]
    noded = shapely.unary_union(lines, grid_size=GRID)
    faces = sorted(
        (f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))) if f.area > 0),
        key=lambda f: (f.bounds, f.area),
    )
    tree = shapely.STRtree(shapes)
    owned: list[tuple[str, BaseGeometry]] = []
    for face in faces:
        best_name, best_area = "", 0.0
        for index in sorted(tree.query(face)):
            area = shapely.area(shapely.intersection(face, shapes[index]))
            if area > best_area:
                best_name, best_area = names[index], area
        if (
            best_area < 0.5 * face.area
            and shapely.area(shapely.intersection(face, dropped)) >= 0.5 * face.area
        ):
            continue  # land or water out of play
        if not best_name:  # a sliver the territories' float edges left open: give it to the nearest
            best_name = min(names[i] for i in tree.query_nearest(face, all_matches=True))
        owned.append((best_name, face))
    return owned


def directed_edges(faces: list[tuple[str, BaseGeometry]]) -> dict[tuple[Vertex, Vertex], str]:
    """Every edge of every face, directed so that its face's territory is on its left."""
    left_of: dict[tuple[Vertex, Vertex], str] = {}
    for name, face in faces:
        face = shapely.orient_polygons(face)  # exterior counter-clockwise: interior on the left
        for ring in (face.exterior, *face.interiors):
            points = _int_ring(ring.coords)
            for p, q in itertools.pairwise(points):
                if p != q:
                    left_of[(p, q)] = name
    return left_of


def build_arcs(left_of: dict[tuple[Vertex, Vertex], str], forced: set[Vertex]) -> list[Arc]:
    """Chain the border edges into arcs that run from junction to junction."""
    sides: dict[tuple[Vertex, Vertex], tuple[str | None, str | None]] = {}
    for (p, q), left in left_of.items():
        right = left_of.get((q, p))
        if right != left:
            sides[(p, q)] = (left, right)
            sides[(q, p)] = (right, left)
    around: dict[Vertex, list[Vertex]] = {}
    for p, q in sides:
        around.setdefault(p, []).append(q)
    for neighbours in around.values():
        neighbours.sort()

    def is_node(v: Vertex) -> bool:
        nbrs = around[v]
        if len(nbrs) != 2 or v in forced:
            return True
        a, b = nbrs
        return sides[(a, v)] != sides[(v, b)]

    nodes = sorted(v for v in around if is_node(v))
    seen: set[tuple[Vertex, Vertex]] = set()
    arcs: list[Arc] = []

    def walk(start: Vertex, first: Vertex) -> Arc:
        coords = [start, first]
        seen.add((start, first))
        seen.add((first, start))
        while coords[-1] != start and not is_node(coords[-1]):
            here, before = coords[-1], coords[-2]
            after = next(v for v in around[here] if v != before)
            seen.add((here, after))
            seen.add((after, here))
            coords.append(after)
        left, right = sides[(start, first)]
        return Arc(left, right, coords)

    for node in nodes:
        for first in around[node]:
            if (node, first) not in seen:
                arcs.append(walk(node, first))
    for vertex in sorted(around):  # rings with no junction: islands, lakes
        for first in around[vertex]:
            if (vertex, first) not in seen:
                arcs.append(walk(vertex, first))
    return arcs


def _angle(origin: Vertex, towards: Vertex) -> float:
    return math.atan2(towards[1] - origin[1], towards[0] - origin[0])


def trace_rings(arcs: list[list[Vertex]]) -> list[list[Vertex]]:
    """Join arcs that all have one territory on their left into closed rings.

    Where the territory touches itself at a point, the ring turns as sharply right as it
    can (first edge clockwise from where it came), which splits a figure of eight into
    two simple rings.
    """
    starts: dict[Vertex, list[int]] = {}
    for index, arc in enumerate(arcs):
        starts.setdefault(arc[0], []).append(index)
    used = [False] * len(arcs)
    rings: list[list[Vertex]] = []
    for first in sorted(range(len(arcs)), key=lambda i: (arcs[i][0], arcs[i][1])):
        if used[first]:
            continue
        used[first] = True
        ring = list(arcs[first])
        while True:
            here = ring[-1]
            candidates = [i for i in starts.get(here, []) if not used[i]]
            if here == ring[0]:
                candidates.append(first)
            if not candidates:
                break  # cannot happen on a closed boundary; keep what there is
            if len(candidates) == 1:
                chosen = candidates[0]
            else:
                back = _angle(here, ring[-2])
                chosen = min(
                    candidates,
                    key=lambda i: ((back - _angle(here, arcs[i][1])) % (2 * math.pi) or 2 * math.pi, i),
                )
            if chosen == first:
                break
            used[chosen] = True
            ring.extend(arcs[chosen][1:])
        if ring[0] == ring[-1]:
            ring.pop()
        rings.extend(split_pinches(ring))
    return rings


def split_pinches(ring: list[Vertex]) -> list[list[Vertex]]:
    """Split a ring that passes a vertex twice into simple loops.

    Tracing gives one self-touching ring where a hole touches the outline at a point (a
    bay closed at its mouth); as a shell and a hole that touch, the shape is valid.
    """
    loops: list[list[Vertex]] = []
    stack = [ring]
    while stack:
        current = stack.pop()
        seen: dict[Vertex, int] = {}
        for index, vertex in enumerate(current):
            if vertex in seen:
                start = seen[vertex]
                stack.append(current[start:index])
                stack.append(current[:start] + current[index:])
                break
            seen[vertex] = index
        else:
            if len(current) >= 3:
                loops.append(current)
    return loops


def signed_area(ring: list[Vertex]) -> float:
    """Shoelace area: positive when the interior is on the left of the walk."""
    total = 0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x0 * y1 - x1 * y0
    return total / 2

"""Plane geometry the renderer needs, in pure Python (render may import only rules and pygame).

Edge classification is done once per scenario: every polygon edge is matched with the
territory on its other side, so borders can be drawn by what they separate (land from
land, land from sea, sea from sea) and each shared edge only once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Point = tuple[float, float]
Ring = Sequence[Point]
BBox = tuple[float, float, float, float]
EdgeStyle = Literal["land", "coast", "sea"]


def ring_area(ring: Ring) -> float:
    """Signed area (shoelace)."""
    total = 0.0
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        total += x1 * y2 - x2 * y1
    return total / 2


def ring_centroid(ring: Ring) -> Point:
    """Area centroid of a ring (vertex mean for a degenerate one)."""
    a = ring_area(ring)
    n = len(ring)
    if abs(a) < 1e-12:
        return (sum(p[0] for p in ring) / n, sum(p[1] for p in ring) / n)
    cx = cy = 0.0
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return (cx / (6 * a), cy / (6 * a))


def bbox_of(rings: Iterable[Ring]) -> BBox:
    xs: list[float] = []
    ys: list[float] = []
    for ring in rings:
        xs.extend(p[0] for p in ring)
        ys.extend(p[1] for p in ring)
    if not xs:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(xs), min(ys), max(xs), max(ys))


def point_in_ring(x: float, y: float, ring: Ring) -> bool:
    """Even-odd ray casting."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_shape(x: float, y: float, parts: Sequence[Ring], holes: Sequence[Ring]) -> bool:
    """Inside one of the parts and in none of the holes."""
    return any(point_in_ring(x, y, r) for r in parts) and not any(point_in_ring(x, y, h) for h in holes)


def interior_point(parts: Sequence[Ring], holes: Sequence[Ring]) -> Point:
    """A point well inside the largest part: its centroid if inside, else the middle of the widest scanline run.

    Used as the label anchor when the scenario gives none; concave shapes (a crescent, an L)
    have centroids outside themselves.
    """
    if not parts:
        return (0.0, 0.0)
    largest = max(parts, key=lambda r: abs(ring_area(r)))
    cx, cy = ring_centroid(largest)
    if point_in_shape(cx, cy, parts, holes):
        return (cx, cy)
    _, y0, _, y1 = bbox_of([largest])
    half_height = max((y1 - y0) / 2, 1e-9)
    best: tuple[float, Point] = (-1.0, (cx, cy))
    for k in range(1, 24):
        y = y0 + (y1 - y0) * k / 24
        xs = sorted(_crossings(y, [largest, *holes]))
        for a, b in zip(xs[::2], xs[1::2], strict=False):
            # Wide runs near the centroid's height win: the label stays central and inside.
            score = (b - a) * (1 - 0.5 * abs(y - cy) / half_height)
            if score > best[0]:
                best = (score, ((a + b) / 2, y))
    return best[1]


def _crossings(y: float, rings: Sequence[Ring]) -> list[float]:
    out: list[float] = []
    for ring in rings:
        n = len(ring)
        for i in range(n):
            (xa, ya), (xb, yb) = ring[i], ring[(i + 1) % n]
            if (ya > y) != (yb > y):
                out.append(xa + (y - ya) * (xb - xa) / (yb - ya))
    return out


def nearest_on_rings(point: Point, rings: Sequence[Ring]) -> Point:
    """The point on the rings' edges nearest to `point`."""
    px, py = point
    best = (math.inf, point)
    for ring in rings:
        n = len(ring)
        for i in range(n):
            (ax, ay), (bx, by) = ring[i], ring[(i + 1) % n]
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy
            t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
            qx, qy = ax + t * dx, ay + t * dy
            d = (qx - px) ** 2 + (qy - py) ** 2
            if d < best[0]:
                best = (d, (qx, qy))
    return best[1]


@dataclass(frozen=True)
class TerritoryShape:
    """What edge classification needs to know of a territory."""

    id: str
    is_sea: bool
    rings: tuple[tuple[Point, ...], ...]
    """Parts and holes alike: both are edges of the territory."""


@dataclass
class EdgeNetwork:
    """Borders as polylines grouped by style, and the edges each pair of territories shares."""

    polylines: dict[EdgeStyle, list[list[Point]]]
    sides: dict[EdgeStyle, list[tuple[str, str | None]]]
    """For each polyline, the territories on its two sides (None: nobody, e.g. an unmatched coast)."""
    shared: dict[tuple[str, str], list[tuple[Point, Point]]]
    """(a, b) -> edges of a that b lies on the other side of."""


def _key(p: Point, quantum: float) -> tuple[int, int]:
    return (round(p[0] / quantum), round(p[1] / quantum))


def classify_edges(shapes: Sequence[TerritoryShape], canvas: tuple[float, float]) -> EdgeNetwork:
    """Match every edge with the territory across it and join runs of same-style edges into polylines.

    An edge shared by two territories is drawn once; an edge on the canvas frame is not drawn;
    an edge with nobody across it is a coastline if it bounds land (islands, the map builder's
    coasts) and a sea border otherwise.
    """
    quantum = max(canvas) * 1e-6 or 1e-6
    owners: dict[tuple[tuple[int, int], tuple[int, int]], list[int]] = {}
    for index, shape in enumerate(shapes):
        for ring in shape.rings:
            n = len(ring)
            for i in range(n):
                ka, kb = _key(ring[i], quantum), _key(ring[(i + 1) % n], quantum)
                if ka == kb:
                    continue
                edge = (ka, kb) if ka <= kb else (kb, ka)
                holders = owners.setdefault(edge, [])
                if index not in holders:
                    holders.append(index)

    width, height = canvas
    frame_tol = max(canvas) * 1e-4
    polylines: dict[EdgeStyle, list[list[Point]]] = {"land": [], "coast": [], "sea": []}
    sides: dict[EdgeStyle, list[tuple[str, str | None]]] = {"land": [], "coast": [], "sea": []}
    shared: dict[tuple[str, str], list[tuple[Point, Point]]] = {}

    def on_frame(a: Point, b: Point) -> bool:
        for axis, limit in ((0, 0.0), (0, width), (1, 0.0), (1, height)):
            if abs(a[axis] - limit) < frame_tol and abs(b[axis] - limit) < frame_tol:
                return True
        return False

    for index, shape in enumerate(shapes):
        for ring in shape.rings:
            n = len(ring)
            current: list[Point] = []
            current_kind: tuple[EdgeStyle, str | None] | None = None
            runs: list[tuple[tuple[EdgeStyle, str | None], list[Point]]] = []
            for i in range(n):
                a, b = ring[i], ring[(i + 1) % n]
                ka, kb = _key(a, quantum), _key(b, quantum)
                if ka == kb:
                    continue
                holders = owners[(ka, kb) if ka <= kb else (kb, ka)]
                others = [h for h in holders if h != index]
                for other_index in others:
                    shared.setdefault((shape.id, shapes[other_index].id), []).append((a, b))
                kind: tuple[EdgeStyle, str | None] | None
                if others and min(others) < index:
                    kind = None  # drawn by the territory that came first
                elif others:
                    other = shapes[others[0]]
                    if shape.is_sea and other.is_sea:
                        kind = ("sea", other.id)
                    elif shape.is_sea or other.is_sea:
                        kind = ("coast", other.id)
                    else:
                        kind = ("land", other.id)
                elif on_frame(a, b):
                    kind = None
                else:
                    kind = ("sea" if shape.is_sea else "coast", None)
                if kind is not None and kind == current_kind and current and current[-1] == a:
                    current.append(b)
                else:
                    if current_kind is not None and current:
                        runs.append((current_kind, current))
                    current, current_kind = ([a, b], kind) if kind is not None else ([], None)
            if current_kind is not None and current:
                runs.append((current_kind, current))
            # Join the last run onto the first when the ring's start cut one polyline in two.
            if len(runs) >= 2 and runs[0][0] == runs[-1][0] and runs[-1][1][-1] == runs[0][1][0]:
                last = runs.pop()
                runs[0] = (runs[0][0], last[1] + runs[0][1][1:])
            for (style, other_id), line in runs:
                polylines[style].append(line)
                sides[style].append((shape.id, other_id))
    return EdgeNetwork(polylines=polylines, sides=sides, shared=shared)

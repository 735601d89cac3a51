"""Simplifying the arcs to a point budget per territory without breaking the topology.

Douglas–Peucker ranks every vertex of an arc by the tolerance at which it would be
dropped (made monotone, so simplifying at tolerance t keeps exactly the vertices ranked
above t).  One tolerance for the whole map meets the average budget (points per territory
times territories); a territory that would still have more than twice the budget raises
the tolerance of its own arcs.  An arc takes the larger tolerance of its two sides and is
simplified once for both.  Then the result is checked: arcs may not cross
or touch each other except at their ends, nor themselves, and territories may not come to
overlap (an arc jumping over an island).  Arcs that break a rule are simplified less,
until nothing is broken; at tolerance zero every arc is its original self, which is valid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from game.scenario.mapbuild.topology import SCALE, Arc, Vertex, signed_area, trace_rings

MIN_TOLERANCE = 0.2 * SCALE  # a fifth of a canvas unit, in tenths


def _importance(points: np.ndarray) -> np.ndarray:
    """Douglas–Peucker rank of each vertex; the two ends rank infinite."""
    n = len(points)
    rank = np.zeros(n)
    rank[0] = rank[-1] = np.inf
    stack = [(0, n - 1, np.inf)]
    while stack:
        i, j, parent = stack.pop()
        if j - i < 2:
            continue
        a, b = points[i], points[j]
        inner = points[i + 1 : j]
        ab = b - a
        length2 = float(ab @ ab)
        if length2 == 0:
            dist = np.hypot(*(inner - a).T)
        else:
            t = np.clip(((inner - a) @ ab) / length2, 0.0, 1.0)
            dist = np.hypot(*(inner - (a + np.outer(t, ab))).T)
        k = int(np.argmax(dist))
        value = min(float(dist[k]), parent)
        rank[i + 1 + k] = value
        stack.append((i, i + 1 + k, value))
        stack.append((i + 1 + k, j, value))
    return rank


@dataclass
class RankedArc:
    """An arc with its vertices ranked; a closed arc also keeps its farthest vertex and one more."""

    arc: Arc
    rank: np.ndarray

    @classmethod
    def of(cls, arc: Arc) -> RankedArc:
        points = np.array(arc.coords, dtype=float)
        if not arc.closed:
            return cls(arc, _importance(points))
        far = int(np.argmax(np.hypot(*(points - points[0]).T)))
        rank = np.concatenate([_importance(points[: far + 1]), _importance(points[far:])[1:]])
        inner = [i for i in range(1, len(points) - 1) if i != far]
        if inner:  # a ring needs three corners
            rank[max(inner, key=lambda i: (rank[i], -i))] = np.inf
        return cls(arc, rank)

    def interior_ranks(self) -> np.ndarray:
        return self.rank[1:-1]

    def simplified(self, tolerance: float) -> list[Vertex]:
        """The vertices ranked above the tolerance; the ends (and a ring's corners) always."""
        return [v for v, r in zip(self.arc.coords, self.rank, strict=True) if r > tolerance or r == np.inf]


CAP = 2  # no territory gets more than CAP times the average budget


def _smallest_tolerance(ranks: np.ndarray, weights: np.ndarray, allowed: float) -> float:
    """The smallest tolerance keeping at most `allowed` weighted vertices (those ranked above it)."""
    if allowed <= 0:
        return float("inf")
    order = np.argsort(-ranks, kind="stable")
    kept = np.cumsum(weights[order])
    count = int(np.searchsorted(kept, allowed, side="right"))
    if count >= len(ranks):
        return MIN_TOLERANCE
    return max(float(ranks[order[count]]), MIN_TOLERANCE)


def arc_tolerances(ranked: list[RankedArc], budget: int) -> list[float]:
    """One tolerance per arc: the map-wide one that meets the average budget, raised where a
    territory would still have more than CAP times the budget.

    One tolerance for the whole map gives the same fidelity everywhere, so the points go
    where the coastline is intricate rather than being spent on straight inland borders.
    """
    pools: dict[str | None, list[np.ndarray]] = {}
    fixed: dict[str | None, int] = {}
    all_ranks, all_weights, total_fixed = [], [], 0
    for item in ranked:
        inner = item.interior_ranks()
        finite = inner[np.isfinite(inner)]
        sides = [side for side in (item.arc.left, item.arc.right) if side is not None]
        own = 1 + int(np.count_nonzero(~np.isfinite(inner)))
        for side in sides:
            pools.setdefault(side, []).append(finite)
            fixed[side] = fixed.get(side, 0) + own
        all_ranks.append(finite)
        all_weights.append(np.full(len(finite), len(sides), dtype=float))
        total_fixed += own * len(sides)
    territories = [name for name in pools if name is not None]
    ranks = np.concatenate(all_ranks) if all_ranks else np.zeros(0)
    weights = np.concatenate(all_weights) if all_weights else np.zeros(0)
    overall = _smallest_tolerance(ranks, weights, budget * len(territories) - total_fixed)
    capped = {
        name: _smallest_tolerance(
            np.concatenate(pools[name]), np.ones(sum(len(p) for p in pools[name])), CAP * budget - fixed[name]
        )
        for name in territories
    }

    def cap(territory: str | None) -> float:
        return capped.get(territory, 0.0) if territory is not None else 0.0

    return [max(overall, cap(item.arc.left), cap(item.arc.right)) for item in ranked]


def _line(coords: list[Vertex]) -> shapely.LineString:
    return shapely.LineString(coords)


def _broken_arcs(simple: list[list[Vertex]]) -> set[int]:
    """Arcs that cross, touch or overlap another arc (or themselves) anywhere but at shared ends."""
    lines = [_line(c) for c in simple]
    broken = {
        i
        for i, c in enumerate(simple)
        if (c[0] == c[-1] and len(c) < 4) or len(set(c)) < len(c) - (c[0] == c[-1])
    }
    broken |= {i for i, ok in enumerate(shapely.is_simple(lines)) if not ok}
    tree = shapely.STRtree(lines)
    left, right = tree.query(lines, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        meet = shapely.intersection(lines[i], lines[j])
        ends = {simple[i][0], simple[i][-1]} & {simple[j][0], simple[j][-1]}
        if meet.geom_type not in ("Point", "MultiPoint"):
            broken |= {i, j}
            continue
        points = {(round(p[0]), round(p[1])) for p in shapely.get_coordinates(meet)}
        exact = all(
            abs(p[0] - round(p[0])) < 1e-6 and abs(p[1] - round(p[1])) < 1e-6
            for p in shapely.get_coordinates(meet)
        )
        if not exact or not points <= ends:
            broken |= {i, j}
    return broken


def territory_rings(arcs: list[Arc], simple: list[list[Vertex]]) -> dict[str, list[list[Vertex]]]:
    """Each territory's rings from the simplified arcs: exteriors counter-clockwise, holes clockwise."""
    oriented: dict[str, list[list[Vertex]]] = {}
    for arc, coords in zip(arcs, simple, strict=True):
        if arc.left is not None:
            oriented.setdefault(arc.left, []).append(coords)
        if arc.right is not None:
            oriented.setdefault(arc.right, []).append(coords[::-1])
    return {name: trace_rings(parts) for name, parts in sorted(oriented.items())}


def _shapes(rings: dict[str, list[list[Vertex]]]) -> dict[str, shapely.Geometry]:
    shapes = {}
    for name, territory_rings_ in rings.items():
        shells = [shapely.Polygon(r) for r in territory_rings_ if signed_area(r) > 0]
        holes = [shapely.Polygon(r) for r in territory_rings_ if signed_area(r) < 0]
        shapes[name] = (
            shapely.difference(shapely.unary_union(shells), shapely.unary_union(holes))
            if holes
            else shapely.unary_union(shells)
        )
    return shapes


def _overlapping(
    arcs: list[Arc], rings: dict[str, list[list[Vertex]]], expected: dict[str, float]
) -> set[int]:
    """Arcs of territories whose area changed sign-wise or which now overlap another (an island jumped)."""
    shapes = _shapes(rings)
    names = sorted(shapes)
    suspects: set[str] = set()
    for name in names:
        polygons = [r for r in rings[name] if signed_area(r) > 0]
        total = sum(signed_area(r) for r in rings[name])
        broken = total <= 0 or not polygons or abs(shapes[name].area - total) > 1e-6 * max(total, 1.0)
        if broken or total < 0.2 * expected.get(name, 0):  # collapsed to a sliver of itself
            suspects.add(name)
    geoms = [shapes[n] for n in names]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j and shapely.area(shapely.intersection(geoms[i], geoms[j])) > 1e-6:
            suspects |= {names[i], names[j]}
    return {k for k, arc in enumerate(arcs) if arc.left in suspects or arc.right in suspects}


def simplify_arcs(arcs: list[Arc], budget: int) -> tuple[list[list[Vertex]], dict[str, list[list[Vertex]]]]:
    """Simplified coordinates for every arc, and the rings of every territory built from them."""
    ranked = [RankedArc.of(arc) for arc in arcs]
    tolerance = arc_tolerances(ranked, budget)
    expected = {
        name: sum(signed_area(r) for r in rs)
        for name, rs in territory_rings(arcs, [a.coords for a in arcs]).items()
    }
    while True:
        simple = [item.simplified(t) for item, t in zip(ranked, tolerance, strict=True)]
        broken = _broken_arcs(simple)
        rings = territory_rings(arcs, simple) if not broken else {}
        if not broken:
            broken = _overlapping(arcs, rings, expected)
        broken = {i for i in broken if tolerance[i] > 0}
        if not broken:
            return simple, rings
        for i in broken:
            tolerance[i] = _lower(tolerance[i], ranked[i])


def _lower(tolerance: float, item: RankedArc) -> float:
    """The next, smaller tolerance to try for an arc that broke the topology (0 keeps every vertex)."""
    if not np.isfinite(tolerance):
        finite = item.interior_ranks()[np.isfinite(item.interior_ranks())]
        tolerance = 2 * float(finite.max()) if len(finite) else 0.0
    tolerance /= 2
    return tolerance if tolerance >= MIN_TOLERANCE else 0.0

"""The compiled map: who may move where, derived once from a scenario.

Neighbours come from the polygons: two territories that share an edge (the same two
consecutive vertices, which the map builder guarantees for shared borders) are
neighbours.  Armies cross land borders; fleets move sea to sea, sea to coast, and
coast to coast only along a shared coastline, i.e. when a sea touches both at a common
point of their border.  Named coasts list their own fleet neighbours.  A scenario's
`add_links` and `remove_links` then override what the polygons say.

A *location* is a territory id, or `territory/coast` for a fleet on a named coast.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from game.rules.scenario import Scenario, Territory

Location = str


def territory_of(location: Location) -> str:
    """The territory of a location: `spa/nc` → `spa`."""
    slash = location.find("/")
    return location if slash < 0 else location[:slash]


@dataclass(frozen=True, slots=True)
class TerritoryInfo:
    id: str
    name: str
    kind: str
    supply: bool
    value: int
    home: str | None
    coasts: tuple[str, ...]


class Board:
    """Adjacency and facts about territories, fixed for the whole game."""

    __slots__ = (
        "army_adj",
        "fleet_adj",
        "homes",
        "ids",
        "index",
        "neighbours",
        "supply",
        "territories",
    )

    def __init__(
        self,
        territories: Iterable[TerritoryInfo],
        army_links: Iterable[tuple[str, str]],
        fleet_links: Iterable[tuple[Location, Location]],
    ) -> None:
        self.territories: dict[str, TerritoryInfo] = {t.id: t for t in territories}
        self.ids: tuple[str, ...] = tuple(self.territories)
        self.index: dict[str, int] = {tid: i for i, tid in enumerate(self.ids)}
        army: dict[str, set[str]] = {tid: set() for tid in self.ids}
        fleet: dict[Location, set[Location]] = {loc: set() for loc in self._all_fleet_locations()}
        for a, b in army_links:
            if a != b and self.territories[a].kind != "sea" and self.territories[b].kind != "sea":
                army[a].add(b)
                army[b].add(a)
        for a, b in fleet_links:
            if territory_of(a) == territory_of(b):
                continue
            if a in fleet and b in fleet:
                fleet[a].add(b)
                fleet[b].add(a)
        order = self.index

        def key(loc: Location) -> tuple[int, str]:
            return (order[territory_of(loc)], loc)

        self.army_adj: dict[str, tuple[str, ...]] = {t: tuple(sorted(n, key=key)) for t, n in army.items()}
        self.fleet_adj: dict[Location, tuple[Location, ...]] = {
            loc: tuple(sorted(n, key=key)) for loc, n in fleet.items()
        }
        neighbours: dict[str, set[str]] = {tid: set(army[tid]) for tid in self.ids}
        for loc, locs in fleet.items():
            neighbours[territory_of(loc)].update(territory_of(n) for n in locs)
        self.neighbours: dict[str, tuple[str, ...]] = {
            t: tuple(sorted(n, key=order.__getitem__)) for t, n in neighbours.items()
        }
        self.supply: tuple[str, ...] = tuple(t.id for t in self.territories.values() if t.supply)
        homes: dict[str, list[str]] = {}
        for t in self.territories.values():
            if t.home is not None:
                homes.setdefault(t.home, []).append(t.id)
        self.homes: dict[str, tuple[str, ...]] = {s: tuple(ts) for s, ts in homes.items()}

    def _all_fleet_locations(self) -> list[Location]:
        locations: list[Location] = []
        for t in self.territories.values():
            locations.extend(self.fleet_locations(t.id))
        return locations

    def fleet_locations(self, territory: str) -> tuple[Location, ...]:
        """Where a fleet can stand in a territory: nowhere on land, one of its coasts if named."""
        info = self.territories[territory]
        if info.kind == "land":
            return ()
        if info.coasts:
            return tuple(f"{territory}/{c}" for c in info.coasts)
        return (territory,)

    def is_location(self, location: Location) -> bool:
        if location in self.territories:
            return True
        return location in self.fleet_adj

    def unit_can_stand(self, unit_type: str, location: Location) -> bool:
        """Whether a unit of this type may stand at this location."""
        territory = territory_of(location)
        info = self.territories.get(territory)
        if info is None:
            return False
        if unit_type == "army":
            return location == territory and info.kind != "sea"
        return location in self.fleet_adj

    def can_reach(self, unit_type: str, location: Location, territory: str) -> bool:
        """Whether a unit could move from `location` into `territory` (any coast): the test for supports."""
        if unit_type == "army":
            return territory in self.army_adj.get(location, ())
        return any(territory_of(n) == territory for n in self.fleet_adj.get(location, ()))

    def is_coastal(self, territory: str) -> bool:
        return self.territories[territory].kind == "coast"

    def is_sea(self, territory: str) -> bool:
        return self.territories[territory].kind == "sea"

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Board:
        """Compile a scenario's map: derive links from polygons, then apply the overrides."""
        infos = [
            TerritoryInfo(
                id=t.id,
                name=t.name,
                kind=t.kind,
                supply=t.supply,
                value=t.value,
                home=t.home,
                coasts=tuple(c.id for c in t.coasts),
            )
            for t in scenario.map.territories
        ]
        by_id = {t.id: t for t in scenario.map.territories}
        shared = _shared_edges(scenario.map.territories)
        army_links: set[tuple[str, str]] = set()
        fleet_links: set[tuple[str, str]] = set()
        vertices = {t.id: _vertex_set(t) for t in scenario.map.territories}
        polygon_neighbours: dict[str, set[str]] = {t.id: set() for t in scenario.map.territories}
        for a, b in shared:
            polygon_neighbours[a].add(b)
            polygon_neighbours[b].add(a)
        for a, b in shared:
            ta, tb = by_id[a], by_id[b]
            if ta.kind != "sea" and tb.kind != "sea":
                army_links.add((a, b))
            if ta.kind == "sea" and tb.kind == "sea":
                fleet_links.add((a, b))
            elif ta.kind == "sea" or tb.kind == "sea":
                sea, land = (ta, tb) if ta.kind == "sea" else (tb, ta)
                if land.kind == "coast" and not land.coasts:
                    fleet_links.add((sea.id, land.id))
            elif ta.kind == "coast" and tb.kind == "coast" and not ta.coasts and not tb.coasts:
                common = vertices[a] & vertices[b]
                seas = polygon_neighbours[a] & polygon_neighbours[b]
                if any(by_id[s].kind == "sea" and common & vertices[s] for s in seas):
                    fleet_links.add((a, b))
        for t in scenario.map.territories:
            for coast in t.coasts:
                for n in coast.neighbours:
                    fleet_links.add((f"{t.id}/{coast.id}", n))
        for link in scenario.map.add_links:
            a, b = link.between
            if "army" in link.units:
                army_links.add((territory_of(a), territory_of(b)))
            if "fleet" in link.units:
                fleet_links.add((a, b))
        for link in scenario.map.remove_links:
            a, b = link.between
            if "army" in link.units:
                army_links.discard((territory_of(a), territory_of(b)))
                army_links.discard((territory_of(b), territory_of(a)))
            if "fleet" in link.units:
                fleet_links = {
                    (x, y) for x, y in fleet_links if not _matches(x, y, a, b) and not _matches(y, x, a, b)
                }
        return cls(infos, sorted(army_links), sorted(fleet_links))


def _matches(x: str, y: str, a: str, b: str) -> bool:
    """Whether the fleet link x–y is the link a–b (a bare territory id matches all its coasts)."""

    def one(loc: str, ref: str) -> bool:
        return loc == ref or ("/" not in ref and territory_of(loc) == ref)

    return one(x, a) and one(y, b)


def _vertex_set(territory: Territory) -> set[tuple[float, float]]:
    points: set[tuple[float, float]] = set()
    for ring in (*territory.polygons, *territory.holes):
        points.update(ring)
    return points


def _shared_edges(territories: list[Territory]) -> list[tuple[str, str]]:
    """Pairs of territories that share at least one polygon edge, in a stable order."""
    owners: dict[tuple[tuple[float, float], tuple[float, float]], set[str]] = {}
    for t in territories:
        for ring in (*t.polygons, *t.holes):
            n = len(ring)
            for i in range(n):
                p, q = ring[i], ring[(i + 1) % n]
                edge = (p, q) if p <= q else (q, p)
                owners.setdefault(edge, set()).add(t.id)
    pairs: set[tuple[str, str]] = set()
    for ids in owners.values():
        if len(ids) > 1:
            ordered = sorted(ids)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    pairs.add((a, b))
    return sorted(pairs)

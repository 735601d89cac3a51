"""Turning spec anchors into points on the canvas, and checking they stand where they should.

A land anchor must be on land and a sea anchor at sea; a port city that the coastline
data puts just offshore is moved onto the coast if it is within `anchor_snap_km`, because
a designer naming "Venice" means the land there.  Two territories may not share an anchor:
the division between them would be undefined.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import shapely
from shapely.geometry.base import BaseGeometry

from game.scenario.mapbuild.gazetteer import City, UnknownCity
from game.scenario.mapbuild.partition import PlacedAnchor
from game.scenario.mapbuild.projection import Projection
from game.scenario.mapbuild.spec import LoadedSpec
from game.scenario.mapbuild.yamlsource import PathItem

Problem = tuple[tuple[PathItem, ...], str]


class CityFinder(Protocol):
    """What resolving anchors asks of a gazetteer: a city by name (a Gazetteer, or the map check's
    bounded one, which stops looking after too many unknown cities)."""

    def find(self, name: str, country: str | None = None) -> City:
        """The city called `name` (in `country`, if given); raises UnknownCity."""
        ...


@dataclass(frozen=True)
class GeoAnchor:
    """An anchor resolved to longitude and latitude, with what the designer wrote."""

    territory: str
    kind: str
    lon: float
    lat: float
    said: str
    path: tuple[PathItem, ...]


def resolve(loaded: LoadedSpec, gazetteer: CityFinder) -> tuple[list[GeoAnchor], list[Problem]]:
    """Look every city up; report unknown ones with suggestions."""
    anchors, problems = [], []
    for t_index, territory in enumerate(loaded.spec.territories):
        for a_index, anchor in enumerate(territory.anchors):
            path: tuple[PathItem, ...] = ("territories", t_index, "anchors", a_index)
            if anchor.lonlat is not None:
                lon, lat = anchor.lonlat
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    problems.append(((*path, "lonlat"), f"[{lon}, {lat}] is not a longitude and latitude"))
                    continue
                anchors.append(
                    GeoAnchor(territory.id, territory.kind, lon, lat, f"[{lon}, {lat}]", (*path, "lonlat"))
                )
                continue
            assert anchor.city is not None
            try:
                city = gazetteer.find(anchor.city, anchor.country)
            except UnknownCity as error:
                problems.append(((*path, "city"), str(error)))
                continue
            anchors.append(
                GeoAnchor(territory.id, territory.kind, city.lon, city.lat, anchor.city, (*path, "city"))
            )
    return anchors, problems


def place(
    anchors: list[GeoAnchor],
    projection: Projection,
    canvas: BaseGeometry,
    land: BaseGeometry,
    snap_km: float,
) -> tuple[list[PlacedAnchor], list[Problem]]:
    """Project anchors; move near-misses across the coastline; report the rest."""
    placed: list[PlacedAnchor] = []
    problems: list[Problem] = []
    water = shapely.difference(canvas, land)
    shapely.prepare(land)
    shapely.prepare(water)
    for anchor in anchors:
        x, y = projection.point(anchor.lon, anchor.lat)
        point = shapely.Point(x, y)
        if not canvas.contains(point):
            problems.append(
                (anchor.path, f"{anchor.said} is outside the map (region.bounds and the canvas around them)")
            )
            continue
        want, other = (land, "in the sea") if anchor.kind == "land" else (water, "on land")
        if not want.contains(point):
            limit = snap_km * projection.units_per_km(anchor.lon, anchor.lat)
            distance = float(shapely.distance(want, point))
            if distance > limit:
                km = distance / projection.units_per_km(anchor.lon, anchor.lat)
                fix = "move it onto the land" if anchor.kind == "land" else "move it out to sea"
                problems.append(
                    (
                        anchor.path,
                        f"{anchor.said} is {other} ({km:.0f} km from the nearest {anchor.kind}), "
                        f"but {anchor.territory!r} is a {anchor.kind} territory; {fix}",
                    )
                )
                continue
            near = shapely.intersection(want, shapely.buffer(point, distance + 1.0))
            point = shapely.point_on_surface(near) if not near.is_empty else point
        placed.append(
            PlacedAnchor(
                anchor.territory, "land" if anchor.kind == "land" else "sea", point.x, point.y, anchor.path
            )
        )
    problems.extend(_shared_anchors(placed))
    return placed, problems


def _shared_anchors(placed: list[PlacedAnchor]) -> list[Problem]:
    """Anchors of different territories at (nearly) the same point."""
    problems = []
    ordered = sorted(placed, key=lambda a: (a.x, a.y, a.path))
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second.x - first.x > 0.5:
                break
            if abs(second.y - first.y) <= 0.5 and second.territory != first.territory:
                for one, other in ((first, second), (second, first)):
                    problems.append(
                        (
                            one.path,
                            f"{one.territory!r} and {other.territory!r} have the same anchor; "
                            "each territory needs its own point (a different city, or lonlat)",
                        )
                    )
    return problems

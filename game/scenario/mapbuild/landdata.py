"""Natural Earth land polygons, read from the TopoJSON files bundled in assets/geo.

The files are the `land` collections of the npm package world-atlas (Natural Earth 4.1.0,
public domain), gzipped as published.  TopoJSON stores each shared line once as a
delta-encoded, quantized arc; decoding is a cumulative sum per arc, then rings are joined
from arcs.  Only polygons that reach the requested box are built.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from game import resources

GEO_DIR = resources.assets_dir() / "geo"
LAND_FILES = {
    "natural-earth-50m": GEO_DIR / "ne-land-50m.topo.json.gz",
    "natural-earth-110m": GEO_DIR / "ne-land-110m.topo.json.gz",
}


@cache
def _topology(name: str) -> tuple[list[np.ndarray], list[list[list[int]]]]:
    """Decoded arcs (lon/lat arrays) and the land polygons as lists of rings of arc indexes."""
    try:
        with gzip.open(resources.check(LAND_FILES[name]), "rt", encoding="utf-8") as stream:
            topo: dict[str, Any] = json.load(stream)
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as exc:  # truncated, garbled, not JSON
        raise resources.damaged(LAND_FILES[name]) from exc
    scale = np.array(topo["transform"]["scale"], dtype=float)
    translate = np.array(topo["transform"]["translate"], dtype=float)
    arcs = [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate for arc in topo["arcs"]]
    polygons: list[list[list[int]]] = []
    for geometry in topo["objects"]["land"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons.append(geometry["arcs"])
        elif geometry["type"] == "MultiPolygon":
            polygons.extend(geometry["arcs"])
    return arcs, polygons


def _ring(arcs: list[np.ndarray], indexes: list[int]) -> np.ndarray:
    """A ring's points; one that jumps across the antimeridian is made continuous (Chukotka)."""
    parts = []
    for n, index in enumerate(indexes):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if n == 0 else arc[1:])
    ring = np.concatenate(parts)
    if np.abs(np.diff(ring[:, 0])).max(initial=0) > 180:
        lon = np.degrees(np.unwrap(np.radians(ring[:, 0])))
        if abs(lon[-1] - lon[0]) < 1e-6:  # a ring round the pole (Antarctica) stays as drawn
            lon -= 360.0 * np.floor((lon.min() + 180.0) / 360.0)  # start within [-180, 180), like its holes
            ring = np.column_stack([lon, ring[:, 1]])
    return ring


def land_in_box(name: str, west: float, south: float, east: float, north: float) -> BaseGeometry:
    """The land of data set `name` inside a longitude/latitude box, as one (multi)polygon."""
    arcs, polygons = _topology(name)
    box = shapely.box(west, south, east, north)
    pieces = []
    for rings in polygons:
        shell = _ring(arcs, rings[0])
        if shell[:, 1].max() < south or shell[:, 1].min() > north:
            continue
        for shift in (-360.0, 0.0, 360.0):  # unwrapped rings reach past ±180
            if shell[:, 0].max() + shift < west or shell[:, 0].min() + shift > east:
                continue
            offset = np.array([shift, 0.0])
            polygon = shapely.Polygon(shell + offset, [_ring(arcs, r) + offset for r in rings[1:]])
            if not polygon.is_valid:
                polygon = shapely.make_valid(polygon)
            pieces.append(shapely.intersection(polygon, box))
    return shapely.unary_union(pieces)

"""Map projections: longitude/latitude in degrees to canvas coordinates and back.

Spherical formulas (Snyder, *Map Projections: A Working Manual*, 1987) are plenty for a
game board.  The canvas is the smallest rectangle around the projected region of play,
scaled to the spec's width, with y growing downwards as on a screen.

- lambert_conformal_conic: cone cutting the globe at two standard parallels; shapes are
  true and mid-latitude regions (Europe, North America) barely distorted.  Default.
- equirectangular: longitude and latitude as straight lines, longitude shrunk by the
  cosine of the middle latitude; fine for small regions and near the equator.
- mercator: conformal cylinder; shapes true, high latitudes enlarged.
- miller: Miller cylindrical (O. M. Miller, "Notes on cylindrical world map projections",
  Geographical Review 32, 1942; Snyder 1987, pp. 86-89, equations 11-1 to 11-6):
  x = λ - λ0,  y = 5/4 · ln tan(π/4 + 2φ/5);  inverse  φ = 5/2 · arctan(e^(4y/5)) - 5π/8,
  λ = x + λ0.  Mercator with the latitudes softened: the poles are finite, so a region
  may run from the tropics to the Arctic, and the canvas is a plain rectangle.  For
  world-wide regions (a map from the Caribbean to the Urals).

Longitudes are measured from the central meridian and wrapped into -180..180, so a region
that crosses the antimeridian (west > east in the spec's bounds) is one piece on the
canvas; land data is fetched in the same unwrapped longitudes (past 180 when need be).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from game.scenario.mapbuild.spec import Region

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Projection:
    """A fitted projection: the formulas' parameters and the affine step onto the canvas."""

    name: str
    bounds: tuple[float, float, float, float]
    parameters: dict[str, float]
    width: float
    height: float = 0.0
    _fit: tuple[float, float, float] = field(default=(0.0, 0.0, 1.0), repr=False)  # x0, y1, scale

    # -- the formulas, in radians on the unit sphere ---------------------------------
    def _forward(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = self.parameters
        lam = np.radians(_wrap(lon - p["central_meridian"]))
        phi = np.radians(lat)
        if self.name == "equirectangular":
            return lam * math.cos(math.radians(p["latitude_of_origin"])), phi
        if self.name == "mercator":
            return lam, np.log(np.tan(np.pi / 4 + np.clip(phi, -1.5, 1.5) / 2))
        if self.name == "miller":
            return lam, 1.25 * np.log(np.tan(np.pi / 4 + 0.4 * np.clip(phi, -np.pi / 2, np.pi / 2)))
        n, big_f, rho0 = p["n"], p["F"], p["rho0"]
        rho = big_f / np.tan(np.pi / 4 + np.clip(phi, -1.55, 1.55) / 2) ** n
        return rho * np.sin(n * lam), rho0 - rho * np.cos(n * lam)

    def _inverse(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = self.parameters
        if self.name == "equirectangular":
            lam, phi = x / math.cos(math.radians(p["latitude_of_origin"])), y
        elif self.name == "mercator":
            lam, phi = x, 2 * np.arctan(np.exp(y)) - np.pi / 2
        elif self.name == "miller":
            lam, phi = x, 2.5 * np.arctan(np.exp(0.8 * y)) - 0.625 * np.pi
        else:
            n, big_f, rho0 = p["n"], p["F"], p["rho0"]
            rho = np.sign(n) * np.hypot(x, rho0 - y)
            theta = np.arctan2(x * np.sign(n), (rho0 - y) * np.sign(n))
            phi = 2 * np.arctan((big_f / rho) ** (1 / n)) - np.pi / 2
            lam = theta / n
        return np.degrees(lam) + p["central_meridian"], np.degrees(phi)

    # -- onto the canvas -----------------------------------------------------------------
    def to_canvas(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._forward(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        x0, y1, scale = self._fit
        return (x - x0) * scale, (y1 - y) * scale

    def to_lonlat(self, cx: np.ndarray, cy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x0, y1, scale = self._fit
        return self._inverse(
            np.asarray(cx, dtype=float) / scale + x0, y1 - np.asarray(cy, dtype=float) / scale
        )

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.to_canvas(np.array([lon]), np.array([lat]))
        return float(x[0]), float(y[0])

    def geometry(self, geometry: BaseGeometry, step_degrees: float = 0.25) -> BaseGeometry:
        """Project a lon/lat geometry; long straight edges are split first so they bend as they should."""
        dense = shapely.segmentize(geometry, step_degrees)

        def transform(coords: np.ndarray) -> np.ndarray:
            x, y = self.to_canvas(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(dense, transform)

    def units_per_km(self, lon: float, lat: float) -> float:
        """Canvas units per kilometre near a point (the scale changes across the map)."""
        x0, y0 = self.point(lon, lat - 0.05)
        x1, y1 = self.point(lon, lat + 0.05)
        return math.hypot(x1 - x0, y1 - y0) / (EARTH_RADIUS_KM * math.radians(0.1))

    def lonlat_box_of_canvas(self) -> tuple[float, float, float, float]:
        """Longitude/latitude box holding the whole canvas rectangle (it reaches past the bounds)."""
        t = np.linspace(0.0, 1.0, 101)
        w, h = self.width, self.height
        xs = np.concatenate([t * w, t * w, np.zeros_like(t), np.full_like(t, w)])
        ys = np.concatenate([np.zeros_like(t), np.full_like(t, h), t * h, t * h])
        lon, lat = self.to_lonlat(xs, ys)
        west, east = float(lon.min()) - 1, float(lon.max()) + 1
        south, north = float(lat.min()) - 1, float(lat.max()) + 1
        # longitudes stay unwrapped (past 180 for a region over the antimeridian), but never
        # reach round to the meridian opposite the centre, where the canvas tears
        lon0 = self.parameters["central_meridian"]
        west, east = max(west, lon0 - 180.0), min(east, lon0 + 180.0)
        return west, max(south, -90.0), east, min(north, 90.0)

    @property
    def unwrapped_bounds(self) -> tuple[float, float, float, float]:
        """The bounds with west < east: east runs past 180 when the region crosses the antimeridian."""
        west, south, east, north = self.bounds
        return (west, south, east if west < east else east + 360.0, north)

    def bounds_polygon(self) -> BaseGeometry:
        """The spec's bounds as a canvas polygon (curved for the conic projection)."""
        return self.geometry(shapely.box(*self.unwrapped_bounds), 0.1)


def _wrap(degrees: np.ndarray) -> np.ndarray:
    """Longitude differences into -180..180; exactly ±180 (a polygon cut at the tear) is kept."""
    return np.where(
        degrees > 180.0 + 1e-9, degrees - 360.0, np.where(degrees < -180.0 - 1e-9, degrees + 360.0, degrees)
    )


def _parameters(region: Region) -> dict[str, float]:
    _, south, _, north = region.bounds
    lon0 = region.middle_meridian
    lat0 = (south + north) / 2
    params = {"central_meridian": lon0, "latitude_of_origin": lat0}
    if region.projection != "lambert_conformal_conic":
        return params
    if region.standard_parallels is not None:
        lat1, lat2 = region.standard_parallels
    else:
        lat1, lat2 = south + (north - south) / 6, north - (north - south) / 6
    phi0, phi1, phi2 = (math.radians(v) for v in (lat0, lat1, lat2))

    def t(phi: float) -> float:
        return math.tan(math.pi / 4 + phi / 2)

    if abs(phi1 - phi2) < 1e-9:
        n = math.sin(phi1)
    else:
        n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(t(phi2) / t(phi1))
    big_f = math.cos(phi1) * t(phi1) ** n / n
    params.update(
        {
            "standard_parallel_1": lat1,
            "standard_parallel_2": lat2,
            "n": n,
            "F": big_f,
            "rho0": big_f / t(phi0) ** n,
        }
    )
    return params


def fit_projection(region: Region) -> Projection:
    """The region's projection, scaled so the projected bounds fill a canvas `region.width` wide."""
    unfitted = Projection(region.projection, region.bounds, _parameters(region), region.width)
    outline = shapely.segmentize(shapely.box(*region.unwrapped_bounds), 0.1)
    coords = shapely.get_coordinates(outline)
    x, y = unfitted._forward(coords[:, 0], coords[:, 1])
    x0, x1, y0, y1 = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    scale = region.width / (x1 - x0)
    height = round((y1 - y0) * scale, 1)
    return Projection(
        region.projection, region.bounds, unfitted.parameters, region.width, height, (x0, y1, scale)
    )

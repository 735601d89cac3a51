"""The map spec: what a designer writes to have a map built from real geography.

Every field carries a description because docs/map-spec.md explains them in the same
words.  The spec says *where* things are (anchors, a region, a projection); the builder
works out the shapes, the coasts and the neighbours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from game.rules.scenario import ID_PATTERN, Link
from game.scenario.mapbuild.yamlsource import PathItem, YamlSource

MAPSPEC_FORMAT = "backchannel-mapspec/1"

# Bounds that keep a build to seconds and megabytes; a real map is far inside them.
MAX_TERRITORIES = 500
MAX_ANCHORS = 100
"""Anchors of one territory."""
MAX_LINE_POINTS = 2000
"""Points of one border line."""

Id = Annotated[
    str,
    Field(pattern=ID_PATTERN, description="A territory id: a lower-case letter, then letters, digits or _."),
]
LonLat = Annotated[tuple[float, float], Field(description="A point as [longitude, latitude] in degrees.")]
ProjectionName = Literal["lambert_conformal_conic", "equirectangular", "mercator", "miller"]
LandData = Literal["natural-earth-50m", "natural-earth-110m"]


class SpecModel(BaseModel):
    """Base of the spec models: an unknown field is a typo, so it is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Region(SpecModel):
    """The part of the world the map shows and how it is flattened onto the canvas.

    Longitudes run from `west` eastwards to `east`.  When `west` is greater than `east` the
    region crosses the antimeridian (±180°): [160, 50, -160, 72] is the Bering Sea, 40
    degrees wide.  [-180, s, 180, n] goes all the way round.
    """

    bounds: tuple[float, float, float, float] = Field(
        description="Region of play as [west, south, east, north] in degrees, each longitude in -180..180 and "
        "south < north; west > east means the region crosses the antimeridian (e.g. [160, 50, -160, 72])."
    )
    projection: ProjectionName = Field(
        "lambert_conformal_conic",
        description="lambert_conformal_conic (mid-latitude regions such as Europe: shapes true, little "
        "distortion), equirectangular (small regions, or near the equator), mercator (shapes true, "
        "high latitudes enlarged) or miller (world-wide regions: a rectangle with moderate distortion).",
    )
    width: float = Field(
        gt=0, le=20000, description="Canvas width; the height follows the projected aspect ratio."
    )
    central_meridian: float | None = Field(
        None,
        ge=-180,
        le=180,
        description="Longitude drawn vertical; default: the middle of the bounds. The meridian opposite it "
        "must not cut through the bounds.",
    )
    standard_parallels: tuple[float, float] | None = Field(
        None,
        description="Lambert conformal conic only: the two latitudes drawn without distortion; "
        "default: one sixth of the way in from the south and north bounds.",
    )

    @property
    def span(self) -> float:
        """Degrees of longitude from west eastwards to east (over the antimeridian if need be)."""
        west, _, east, _ = self.bounds
        return east - west if west < east else east - west + 360.0

    @property
    def unwrapped_bounds(self) -> tuple[float, float, float, float]:
        """The bounds with east past 180 when the region crosses the antimeridian: west < east always."""
        west, south, _, north = self.bounds
        return (west, south, west + self.span, north)

    @property
    def middle_meridian(self) -> float:
        """The central meridian: the one given, else the middle of the bounds, in -180..180."""
        if self.central_meridian is not None:
            return self.central_meridian
        west, _, east, _ = self.bounds
        middle = (west + east) / 2 if west < east else (west + east + 360.0) / 2
        return middle - 360.0 if middle > 180 else middle

    @model_validator(mode="after")
    def _bounds_make_sense(self) -> Region:
        west, south, east, north = self.bounds
        if not (-180 <= west <= 180 and -180 <= east <= 180):
            raise ValueError(f"bounds: longitudes are within -180..180, got west {west}, east {east}")
        if west == east:
            raise ValueError(
                f"bounds: west and east are both {west}; for the whole world write [-180, south, 180, north]"
            )
        if not (-90 <= south < north <= 90):
            raise ValueError(f"bounds: need -90 <= south < north <= 90, got south {south}, north {north}")
        if self.projection == "mercator" and (south < -85 or north > 85):
            raise ValueError("bounds: mercator cannot show latitudes beyond 85 degrees; use miller")
        if self.projection == "lambert_conformal_conic" and south < 0 < north:
            raise ValueError(
                "bounds: lambert_conformal_conic needs a region on one side of the equator; "
                "use equirectangular, mercator or miller"
            )
        if self.projection == "lambert_conformal_conic" and self.span > 180:
            raise ValueError(
                f"bounds: the region is {self.span:g} degrees of longitude wide; lambert_conformal_conic "
                "folds a region wider than 180 degrees into a fan, so use miller (or equirectangular)"
            )
        if self.standard_parallels is not None and self.projection != "lambert_conformal_conic":
            raise ValueError("standard_parallels: only for lambert_conformal_conic")
        if self.central_meridian is not None:
            # the meridian opposite the centre is where the map would tear: it must not be inside
            opposite = (self.central_meridian + 180.0 - west) % 360.0
            if 1e-9 < opposite < self.span - 1e-9:
                raise ValueError(
                    f"central_meridian: the map would tear along the meridian opposite {self.central_meridian:g}, "
                    "which runs through the bounds; choose a central meridian inside the bounds"
                )
        return self


class Anchor(SpecModel):
    """A point a territory grows from: a city from the gazetteer, or a longitude and latitude."""

    city: str | None = Field(
        None,
        min_length=1,
        description="City name as in the gazetteer (GeoNames): today's or a historical name.",
    )
    country: str | None = Field(
        None,
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166-1 alpha-2 code of the country the city is in today, e.g. FR.",
    )
    lonlat: LonLat | None = Field(None, description="The point itself, [longitude, latitude] in degrees.")

    @model_validator(mode="after")
    def _one_way_to_say_where(self) -> Anchor:
        if (self.city is None) == (self.lonlat is None):
            raise ValueError("an anchor is either `city` (with `country`) or `lonlat`, exactly one of them")
        if self.country is not None and self.city is None:
            raise ValueError("`country` goes with `city`")
        return self


class NamedCoast(SpecModel):
    """A named coast of a land territory touching separate seas (e.g. Spain's north and south coasts)."""

    id: Id = Field(description="Coast id used after a slash in orders, e.g. nc for `spa/nc`.")
    name: str = Field(min_length=1, max_length=60, description="Display name, e.g. 'north coast'.")
    seas: list[Id] = Field(min_length=1, description="Ids of the sea territories this coast touches.")


class TerritorySpec(SpecModel):
    """One territory: its game data and the anchors it grows from."""

    id: Id = Field(description="Territory id used in orders, e.g. par.")
    name: str = Field(min_length=1, max_length=60, description="Display name, e.g. 'Paris'.")
    kind: Literal["land", "sea"] = Field(
        description="land or sea; a land territory touching the sea becomes a coast territory by itself."
    )
    holder: Id | None = Field(None, description="State holding the territory when the game starts.")
    home: Id | None = Field(None, description="State whose home territory it is (it builds there).")
    # strict: only true and false are booleans; pydantic would otherwise read "yes" or "on" as true.
    supply: bool = Field(False, strict=True, description="Whether it is a supply territory.")
    value: int | None = Field(
        None,
        ge=0,
        le=100,
        description="Yearly income and score weight; default 1 for a supply territory, else 0.",
    )
    anchors: list[Anchor] = Field(
        min_length=1,
        max_length=MAX_ANCHORS,
        description="Where the territory is: one or more points; land is divided between the nearest anchors. "
        "A territory on several islands names an anchor on each.",
    )
    coasts: list[NamedCoast] = Field(
        default_factory=list,
        max_length=8,
        description="Named coasts, for a land territory touching separate seas.",
    )

    @model_validator(mode="after")
    def _coasts_on_land(self) -> TerritorySpec:
        if self.coasts and self.kind != "land":
            raise ValueError("coasts: only a land territory has named coasts")
        if self.kind == "sea" and self.supply:
            raise ValueError("supply: a sea territory cannot be a supply territory")
        if self.kind == "sea" and self.home:
            raise ValueError("home: a sea territory cannot be a home territory")
        if self.kind == "sea" and self.holder:
            raise ValueError("holder: a sea territory cannot be held by a state")
        return self

    @property
    def game_value(self) -> int:
        return self.value if self.value is not None else (1 if self.supply else 0)


class Border(SpecModel):
    """A line that overrides where the builder puts the border between two territories."""

    between: tuple[Id, Id] = Field(
        description="The two territories whose shared land (or water) the line splits."
    )
    line: list[LonLat] = Field(
        min_length=2,
        max_length=MAX_LINE_POINTS,
        description="The border as [longitude, latitude] points, running right across the two territories; "
        "its ends are extended straight until they leave the canvas.",
    )


class Links(SpecModel):
    """Links copied into the scenario, overriding the neighbours the polygons give."""

    add: list[Link] = Field(
        default_factory=list, description="Links to add, e.g. a strait: {between: [den, swe]}."
    )
    remove: list[Link] = Field(
        default_factory=list, description="Links to remove from those the polygons give."
    )


class MapSpec(SpecModel):
    """A whole map spec file."""

    format: Literal["backchannel-mapspec/1"] = Field(description="File format and version.")
    region: Region = Field(description="Region of play, projection and canvas width.")
    land: LandData = Field(
        "natural-earth-50m",
        description="Coastline data: natural-earth-50m (detailed) or natural-earth-110m (coarse).",
    )
    points_per_territory: int = Field(
        80, ge=8, le=5000, description="Simplification budget: about this many points per territory at most."
    )
    min_island_km2: float = Field(
        300.0,
        ge=0,
        description="Islands smaller than this (square kilometres) without an anchor become sea.",
    )
    anchor_snap_km: float = Field(
        30.0,
        ge=0,
        description="A land anchor this close to the coast but in the sea (a port city on coarse data) is moved "
        "onto the land, and a sea anchor this close inland is moved into the sea; farther is an error.",
    )
    territories: list[TerritorySpec] = Field(
        min_length=2, max_length=MAX_TERRITORIES, description="Every territory, land and sea."
    )
    borders: list[Border] = Field(
        default_factory=list,
        max_length=MAX_TERRITORIES,
        description="Border lines that override the division.",
    )
    links: Links = Field(default_factory=Links, description="Links copied into add_links and remove_links.")


class LoadedSpec:
    """A validated spec with its source, so later problems can still name their line.

    A spec with errors can still be *salvaged* (:mod:`game.scenario.mapbuild.check`): the
    broken items are left out so the rest can be checked in the same run.  ``kept`` then
    says which of the file's items each list still holds, and :meth:`original_path` turns a
    path into the salvaged spec back into one into the file.
    """

    def __init__(
        self,
        spec: MapSpec,
        source: YamlSource,
        kept: dict[tuple[PathItem, ...], list[int]] | None = None,
        removed_ids: set[str] | None = None,
    ) -> None:
        self.spec = spec
        self.source = source
        self.kept = kept or {}
        self.removed_ids = removed_ids or set()

    @property
    def file(self) -> Path:
        return self.source.file

    def territory(self, territory_id: str) -> TerritorySpec:
        for territory in self.spec.territories:
            if territory.id == territory_id:
                return territory
        raise KeyError(territory_id)

    def original_path(self, path: tuple[PathItem, ...]) -> tuple[PathItem, ...]:
        """``path`` in the salvaged spec as a path in the file (list items left out shift indexes)."""
        out: list[PathItem] = []
        for part in path:
            kept = self.kept.get(tuple(out))
            if isinstance(part, int) and kept is not None and 0 <= part < len(kept):
                part = kept[part]
            out.append(part)
        return tuple(out)

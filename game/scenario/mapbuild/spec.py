"""The map spec: what a designer writes to have a map built from real geography.

Every field carries a description because docs/map-spec.md explains them in the same
words.  The spec says *where* things are (anchors, a region, a projection); the builder
works out the shapes, the coasts and the neighbours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from game.rules.scenario import ID_PATTERN, Link
from game.scenario.mapbuild.errors import MapSpecError, SpecProblem
from game.scenario.mapbuild.yamlsource import YamlSource, field_name, load_yaml

MAPSPEC_FORMAT = "backchannel-mapspec/1"

Id = Annotated[
    str,
    Field(pattern=ID_PATTERN, description="A territory id: a lower-case letter, then letters, digits or _."),
]
LonLat = Annotated[tuple[float, float], Field(description="A point as [longitude, latitude] in degrees.")]
ProjectionName = Literal["lambert_conformal_conic", "equirectangular", "mercator"]
LandData = Literal["natural-earth-50m", "natural-earth-110m"]


class SpecModel(BaseModel):
    """Base of the spec models: an unknown field is a typo, so it is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Region(SpecModel):
    """The part of the world the map shows and how it is flattened onto the canvas."""

    bounds: tuple[float, float, float, float] = Field(
        description="Region of play as [west, south, east, north] in degrees; west < east, south < north, "
        "and the region must not cross the antimeridian."
    )
    projection: ProjectionName = Field(
        "lambert_conformal_conic",
        description="lambert_conformal_conic (mid-latitude regions such as Europe: shapes true, little "
        "distortion), equirectangular (small regions, or near the equator) or mercator (shapes true, "
        "high latitudes enlarged).",
    )
    width: float = Field(
        gt=0, le=20000, description="Canvas width; the height follows the projected aspect ratio."
    )
    central_meridian: float | None = Field(
        None, ge=-180, le=180, description="Longitude drawn vertical; default: the middle of the bounds."
    )
    standard_parallels: tuple[float, float] | None = Field(
        None,
        description="Lambert conformal conic only: the two latitudes drawn without distortion; "
        "default: one sixth of the way in from the south and north bounds.",
    )

    @model_validator(mode="after")
    def _bounds_make_sense(self) -> Region:
        west, south, east, north = self.bounds
        if not (-180 <= west < east <= 180):
            raise ValueError(f"bounds: need -180 <= west < east <= 180, got west {west}, east {east}")
        if not (-90 <= south < north <= 90):
            raise ValueError(f"bounds: need -90 <= south < north <= 90, got south {south}, north {north}")
        if self.projection == "mercator" and (south < -85 or north > 85):
            raise ValueError("bounds: mercator cannot show latitudes beyond 85 degrees")
        if self.projection == "lambert_conformal_conic" and south < 0 < north:
            raise ValueError(
                "bounds: lambert_conformal_conic needs a region on one side of the equator; "
                "use equirectangular or mercator"
            )
        if self.standard_parallels is not None and self.projection != "lambert_conformal_conic":
            raise ValueError("standard_parallels: only for lambert_conformal_conic")
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
    supply: bool = Field(False, description="Whether it is a supply territory.")
    value: int | None = Field(
        None,
        ge=0,
        le=100,
        description="Yearly income and score weight; default 1 for a supply territory, else 0.",
    )
    anchors: list[Anchor] = Field(
        min_length=1,
        description="Where the territory is: one or more points; land is divided between the nearest anchors. "
        "A territory on several islands names an anchor on each.",
    )
    coasts: list[NamedCoast] = Field(
        default_factory=list, description="Named coasts, for a land territory touching separate seas."
    )

    @model_validator(mode="after")
    def _coasts_on_land(self) -> TerritorySpec:
        if self.coasts and self.kind != "land":
            raise ValueError("coasts: only a land territory has named coasts")
        if self.kind == "sea" and (self.supply or self.home):
            raise ValueError("a sea territory cannot be a supply or home territory")
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
    territories: list[TerritorySpec] = Field(min_length=2, description="Every territory, land and sea.")
    borders: list[Border] = Field(
        default_factory=list, description="Border lines that override the division."
    )
    links: Links = Field(default_factory=Links, description="Links copied into add_links and remove_links.")


class LoadedSpec:
    """A validated spec with its source, so later problems can still name their line."""

    def __init__(self, spec: MapSpec, source: YamlSource) -> None:
        self.spec = spec
        self.source = source

    @property
    def file(self) -> Path:
        return self.source.file

    def territory(self, territory_id: str) -> TerritorySpec:
        for territory in self.spec.territories:
            if territory.id == territory_id:
                return territory
        raise KeyError(territory_id)


_PATTERN_HELP = {
    ID_PATTERN: "an id is a lower-case letter, then lower-case letters, digits or _ (32 at most)",
    r"^[A-Z]{2}$": "a country is its two-letter ISO 3166-1 code in capitals, e.g. FR",
}


def _loc_path(loc: tuple[int | str, ...], data: Any) -> list[str | int]:
    """Keep the parts of a pydantic error location that are real keys or indexes in the data."""
    path: list[str | int] = []
    node = data
    for item in loc:
        in_map = isinstance(node, dict) and item in node
        in_list = isinstance(node, list) and isinstance(item, int) and 0 <= item < len(node)
        if in_map or in_list:
            path.append(item)
            node = node[item]
        elif isinstance(item, str) and isinstance(node, dict) and not any(ch in item for ch in "[]-"):
            path.append(item)  # a missing field: point at its parent's line, name the field
            node = None
    return path


def validation_problems(error: ValidationError, source: YamlSource) -> list[SpecProblem]:
    """Turn pydantic's errors into located problems."""
    problems = []
    for item in error.errors():
        path = _loc_path(item["loc"], source.data)
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "missing: this field is required"
        elif item["type"] == "extra_forbidden":
            message = "unknown field (check its spelling and indentation)"
        elif item["type"] == "literal_error":
            message = f"{message}, not {item.get('input')!r}"
        elif item["type"] == "string_pattern_mismatch":
            pattern = str((item.get("ctx") or {}).get("pattern", ""))
            message = _PATTERN_HELP.get(pattern, message) + f", not {item.get('input')!r}"
        problems.append(SpecProblem(source.file, source.line(path), field_name(path), message))
    return problems


def load_spec(file: Path) -> LoadedSpec:
    """Read and validate a map spec, or raise MapSpecError with every problem located."""
    source = load_yaml(file)
    if not isinstance(source.data, dict):
        raise MapSpecError(
            [SpecProblem(file, 1, "", "a map spec is a mapping (format:, region:, territories: ...)")]
        )
    try:
        spec = MapSpec.model_validate(source.data)
    except ValidationError as error:
        raise MapSpecError(validation_problems(error, source)) from None
    return LoadedSpec(spec, source)

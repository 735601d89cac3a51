"""Checking a map spec before any geometry, with every problem reported at once.

A spec goes through the same stages as a scenario file, and every stage's problems are
collected in one run:

1. YAML (:mod:`game.scenario.yaml_source`, shared with scenario files): YAML 1.2 (only
   true and false are booleans), plain data, no aliases, no duplicate keys, one document,
   UTF-8, at most 1 MiB; a syntax error in plain words at the line of the mistake.
2. The model (:class:`~game.scenario.mapbuild.spec.MapSpec`): every field's type and range,
   said as the scenario loader says it (:mod:`game.scenario.explain`).
3. Ids (:mod:`game.scenario.mapbuild.references`): duplicates, unknown territories, seas
   and coasts, and holders and homes the scenario's states do not include.
4. Anchors (:func:`game.scenario.mapbuild.anchors.resolve`): every city in the gazetteer.

When the model finds errors, stages 3 and 4 still run on what can be *salvaged*: a broken
field with a default takes its default, a broken anchor or list item is left out, and a
problem that would only echo something left out (a border naming a territory that was
left out) is not reported.  The geometry (land and sea, the division) needs a sound spec,
so its problems come once these are fixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from game.rules.checks import suggest
from game.rules.scenario import Link
from game.scenario.explain import explain, get_path, split_loc
from game.scenario.mapbuild.errors import MapSpecError, SpecProblem
from game.scenario.mapbuild.gazetteer import City, Gazetteer, UnknownCity
from game.scenario.mapbuild.references import reference_problems
from game.scenario.mapbuild.spec import Border, Links, LoadedSpec, MapSpec, TerritorySpec
from game.scenario.mapbuild.yamlsource import PathItem, YamlSource, field_name, read_source

Path_ = tuple[PathItem, ...]

_FIELD_PREFIX = re.compile(r"^([a-z_]+): (.+)$", re.DOTALL)


@dataclass
class SpecReading:
    """What checking one spec found: the spec (valid, or salvaged when it has errors) and every problem."""

    file: Path
    loaded: LoadedSpec | None
    problems: list[SpecProblem] = field(default_factory=list)

    def loaded_or_raise(self) -> LoadedSpec:
        if self.problems or self.loaded is None:
            raise MapSpecError(self.problems)
        return self.loaded


def read_spec(file: Path) -> SpecReading:
    """The spec's YAML, model and ids, checked; the spec is salvaged if the model finds errors."""
    source, problems = read_source(file)
    if source is None:
        return SpecReading(file, None, problems)
    data = source.data
    if not isinstance(data, dict):
        return SpecReading(
            file,
            None,
            [
                *problems,
                SpecProblem(
                    file, 1, "", "a map spec is a mapping of fields: format:, region:, territories:, ..."
                ),
            ],
        )
    already = {p.field for p in problems}  # a value the YAML reader refused (a duplicate key, a tag)
    try:
        loaded = LoadedSpec(MapSpec.model_validate(data), source)
    except ValidationError as error:
        errors = error.errors()
        for details in errors:
            path, message = _explained(details, data)
            if field_name(path) not in already:
                problems.append(source.problem(path, message))
        loaded = _salvage(data, source, errors)
    for path, message, ref in reference_problems(loaded):
        if ref is not None and ref in loaded.removed_ids:
            continue  # it names a territory left out for its own errors, already reported
        problems.append(source.problem(loaded.original_path(path), message))
    return SpecReading(file, loaded, MapSpecError(problems).problems)


def load_spec(file: Path) -> LoadedSpec:
    """Read and validate a map spec and check its ids, or raise MapSpecError with every problem located."""
    return read_spec(file).loaded_or_raise()


def check_spec(file: Path, gazetteer: Gazetteer | None = None, states: set[str] | None = None) -> SpecReading:
    """Everything that can be checked before the geometry: :func:`read_spec`, the states that
    holders and homes name (when ``states`` is given: the scenario's), and every city anchor."""
    from game.scenario.mapbuild.anchors import resolve  # the geometry's imports, only when needed
    from game.scenario.mapbuild.gazetteer import bundled_gazetteer

    reading = read_spec(file)
    loaded = reading.loaded
    if loaded is None:
        return reading
    source = loaded.source
    if states is not None:
        for path, message in state_problems(loaded, states):
            reading.problems.append(source.problem(loaded.original_path(path), message))
    bounded = _BoundedGazetteer(gazetteer or bundled_gazetteer())
    _, problems = resolve(loaded, bounded)
    for path, message in problems:
        reading.problems.append(source.problem(loaded.original_path(path), message))
    if bounded.skipped:
        reading.problems.append(
            SpecProblem(
                file,
                0,
                "",
                f"{bounded.skipped} more city anchor{'s' * (bounded.skipped != 1)} not looked up after "
                f"{MAX_UNKNOWN_CITIES} unknown cities; fix these and run again",
            )
        )
    reading.problems = MapSpecError(reading.problems).problems  # in the order of the file
    return reading


MAX_UNKNOWN_CITIES = 12
"""Unknown cities reported in one run: each costs a search for close names (up to half a
second without a country), so a spec of thousands of misspelt cities would take hours."""


class _BoundedGazetteer:
    """A gazetteer that stops looking up after :data:`MAX_UNKNOWN_CITIES` unknown cities, and
    counts the anchors it then skips (they are checked in a later run)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.unknown = 0
        self.skipped = 0

    def find(self, name: str, country: str | None = None) -> City:
        if self.unknown >= MAX_UNKNOWN_CITIES:
            self.skipped += 1
            return City(name, country or "", 0.0, 0.0, 0)  # a stand-in: only the problems are kept
        try:
            return self.gazetteer.find(name, country)
        except UnknownCity:
            self.unknown += 1
            raise


def state_problems(loaded: LoadedSpec, states: set[str]) -> list[tuple[Path_, str]]:
    """Holders and homes that name no state of the scenario the map goes into."""
    problems: list[tuple[Path_, str]] = []
    for index, territory in enumerate(loaded.spec.territories):
        for name in ("holder", "home"):
            state = getattr(territory, name)
            if state is not None and state not in states:
                problems.append(
                    (
                        ("territories", index, name),
                        f"unknown state {state!r}{suggest(state, states, 'the scenario states')}",
                    )
                )
    return problems


def _explained(details: ErrorDetails, data: dict[str, Any]) -> tuple[Path_, str]:
    """A model error placed at its field, said plainly; a model-wide rule naming a field
    (``coasts: only a land territory ...``) goes to that field's line."""
    explained = explain(details, data, MapSpec)
    path: Path_ = explained.path
    message = explained.message
    match = _FIELD_PREFIX.match(message)
    node = get_path(data, path)
    if match is not None and isinstance(node, dict) and match.group(1) in node:
        path, message = (*path, match.group(1)), match.group(2)
    return path, message


# -- salvage ---------------------------------------------------------------------------------------


def _validated(model: type[BaseModel] | Any, value: Any) -> tuple[bool, Any]:
    try:
        if isinstance(model, type) and issubclass(model, BaseModel):
            return True, model.model_validate(value)
        return True, TypeAdapter(model).validate_python(value)
    except ValidationError:
        return False, None


def _bad_fields(errors: list[ErrorDetails], data: Any, prefix: Path_) -> set[Path_]:
    """The paths below ``prefix`` that errors are about, one step below it."""
    bad: set[Path_] = set()
    for details in errors:
        present, missing = split_loc(tuple(details["loc"]), data)
        whole = present + missing
        if whole[: len(prefix)] == prefix and len(whole) > len(prefix):
            bad.add(whole[: len(prefix) + 1])
    return bad


def _territory(
    item: Any, index: int, data: Any, errors: list[ErrorDetails], kept: dict[Path_, list[int]]
) -> TerritorySpec | None:
    """A territory with its broken optional fields and broken anchors left out, if the rest holds."""
    ok, territory = _validated(TerritorySpec, item)
    if ok or not isinstance(item, dict):
        return territory if ok else None
    here: Path_ = ("territories", index)
    bad = _bad_fields(errors, data, here)
    patched = dict(item)
    for path in bad:
        name = path[-1]
        if (
            isinstance(name, str)
            and name in patched
            and not TerritorySpec.model_fields.get(name, _REQUIRED).is_required()
        ):
            del patched[name]
    anchors = item.get("anchors")
    if isinstance(anchors, list):
        bad_anchors = {p[-1] for p in _bad_fields(errors, data, (*here, "anchors"))}
        good = [i for i in range(len(anchors)) if i not in bad_anchors]
        if good and bad_anchors:
            patched["anchors"] = [anchors[i] for i in good]
            kept[(*here, "anchors")] = good
    ok, territory = _validated(TerritorySpec, patched)
    if not ok:
        kept.pop((*here, "anchors"), None)
    return territory if ok else None


class _Required:
    def is_required(self) -> bool:
        return True


_REQUIRED: Any = _Required()


def _salvage(data: dict[str, Any], source: YamlSource, errors: list[ErrorDetails]) -> LoadedSpec:
    """The spec without what the errors are about, built without its own model-wide rules."""
    kept: dict[Path_, list[int]] = {}
    removed_ids: set[str] = set()
    values: dict[str, Any] = {}
    for name, info in MapSpec.model_fields.items():
        value = data.get(name)
        if name == "territories":
            items = value if isinstance(value, list) else []
            territories, indexes = [], []
            for index, item in enumerate(items):
                territory = _territory(item, index, data, errors, kept)
                if territory is not None:
                    territories.append(territory)
                    indexes.append(index)
                elif isinstance(item, dict) and isinstance(item.get("id"), str):
                    removed_ids.add(item["id"])
            values[name], kept[(name,)] = territories, indexes
        elif name == "borders":
            items = value if isinstance(value, list) else []
            checked = [(i, _validated(Border, item)) for i, item in enumerate(items)]
            values[name] = [border for _, (ok, border) in checked if ok]
            kept[(name,)] = [i for i, (ok, _) in checked if ok]
        elif name == "links":
            ok, links = _validated(Links, value if value is not None else {})
            if not ok:
                groups: dict[str, Any] = {}
                for group in ("add", "remove"):
                    given = value.get(group) if isinstance(value, dict) else None
                    listed: list[Any] = given if isinstance(given, list) else []
                    checked = [(i, _validated(Link, item)) for i, item in enumerate(listed)]
                    groups[group] = [link for _, (good, link) in checked if good]
                    kept[(name, group)] = [i for i, (good, _) in checked if good]
                links = Links.model_construct(**groups)
            values[name] = links
        elif name in data:
            form: Any = Annotated[info.annotation, info]
            ok, checked_value = _validated(form, value)
            if ok:
                values[name] = checked_value
            elif not info.is_required():
                values[name] = info.get_default(call_default_factory=True)
        elif not info.is_required():
            values[name] = info.get_default(call_default_factory=True)
    return LoadedSpec(MapSpec.model_construct(**values), source, kept, removed_ids)

"""Writing the built map into the scenario file's `map:` section, leaving the rest alone.

The designer's file is kept byte for byte outside the `map:` block: the old block is cut
out of the text and the new one spliced in at the same place.  ruamel.yaml (round-trip
mode) reads what remains, to be sure it is a YAML mapping before anything is written.
The block itself is emitted here, with a fixed layout: each ring one quoted string of
points, `"x,y x,y ..."` (`game.rules.scenario.format_ring`), one per line, so a map stays
readable, diffs stay small, and a YAML parser reads it fast (one scalar, not hundreds of
tiny lists); the same build gives the same bytes.  A missing scenario file is created as a skeleton that
validates (`game.scenario.skeleton`, shared with `scenario new`), every field commented, TODO where the
designer fills in the story, states and calendar.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from game.rules.scenario import Link, format_ring
from game.scenario.mapbuild.build import BuiltMap, BuiltTerritory, Point
from game.scenario.skeleton import scenario_text, states_from_map

_MAP_KEY = re.compile(r"^map\s*:(\s|$)")
_TOP_LEVEL = re.compile(r"^[^\s#]")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _.,'()/-]*")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


class ScenarioFileError(ValueError):
    """The scenario file exists but cannot take a map (not YAML, or not a mapping)."""


def _text(value: str) -> str:
    """A YAML scalar for a string: plain where that is unambiguous, else double-quoted."""
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)


def _num(value: float) -> str:
    return (
        str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(round(float(value), 6))
    )


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _point(point: Point) -> str:
    return f"[{point[0]:.1f}, {point[1]:.1f}]"


def _ring(ring: list[Point]) -> str:
    return '"' + format_ring(ring) + '"'


def _links(key: str, links: list[Link]) -> list[str]:
    if not links:
        return [f"  {key}: []"]
    lines = [f"  {key}:"]
    for link in links:
        lines.append(f"  - between: {_flow([_text(x) for x in link.between])}")
        lines.append(f"    units: {_flow(list(link.units))}")
    return lines


def _territory(built: BuiltTerritory) -> list[str]:
    spec = built.spec
    lines = [
        f"  - id: {spec.id}",
        f"    name: {_text(spec.name)}",
        f"    kind: {built.kind}",
        f"    supply: {'true' if spec.supply else 'false'}",
        f"    value: {spec.game_value}",
    ]
    if spec.home is not None:
        lines.append(f"    home: {spec.home}")
    if spec.holder is not None:
        lines.append(f"    holder: {spec.holder}")
    lines.append(f"    label: {_point(built.label)}")
    if built.coasts:
        lines.append("    coasts:")
        for coast in built.coasts:
            lines.append(f"    - id: {coast.id}")
            lines.append(f"      name: {_text(coast.name)}")
            lines.append(f"      neighbours: {_flow([_text(n) for n in coast.neighbours])}")
    lines.append("    polygons:")
    lines.extend(f"    - {_ring(r)}" for r in built.polygons)
    if built.holes:
        lines.append("    holes:")
        lines.extend(f"    - {_ring(r)}" for r in built.holes)
    return lines


def map_block(built: BuiltMap, spec_reference: str) -> str:
    """The whole top-level `map:` block as YAML text."""
    projection = built.projection
    lines = [
        "map:",
        f"  # Built by `backchannel scenario build-map {spec_reference}`: edit the spec and rebuild, not this section.",
        f"  width: {_num(built.width)}",
        f"  height: {_num(built.height)}",
        "  projection:",
        f"    name: {projection.name}",
        f"    bounds: {_flow([_num(b) for b in projection.bounds])}",
        "    parameters:",
    ]
    lines.extend(f"      {key}: {_num(projection.parameters[key])}" for key in sorted(projection.parameters))
    lines.append("  territories:")
    for territory in built.territories:
        lines.extend(_territory(territory))
    lines.extend(_links("add_links", built.add_links))
    lines.extend(_links("remove_links", built.remove_links))
    return "\n".join(lines) + "\n"


def skeleton(into: Path, built: BuiltMap) -> str:
    """A new scenario around the map (`game.scenario.skeleton`): every field commented, TODO where
    the designer fills in the story; a placeholder state for each holder or home of the spec."""
    states = states_from_map(
        [(t.spec.id, t.kind, t.spec.holder, t.spec.home, t.spec.supply) for t in built.territories]
    )
    scenario_id = re.sub(r"[^a-z0-9-]+", "-", into.stem.lower()).strip("-")[:64] or "scenario"
    return scenario_text(scenario_id, states, made_by="backchannel scenario build-map")


def _cut_map_block(text: str) -> tuple[str, str]:
    """The text before the top-level `map:` block and the text after it (the block is dropped).

    The block runs to the next top-level key; comment lines at column 0 just before that key
    belong to it, not to the map.  Without a `map:` key the map goes at the end.
    """
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _MAP_KEY.match(line)]
    if not starts:
        return text if not text or text.endswith("\n") else text + "\n", ""
    if len(starts) > 1:
        raise ScenarioFileError("more than one top-level `map:` key")
    start = starts[0]
    end = next((i for i in range(start + 1, len(lines)) if _TOP_LEVEL.match(lines[i])), len(lines))
    while (
        end - 1 > start
        and (lines[end - 1].startswith("#") or not lines[end - 1].strip())
        and end < len(lines)
    ):
        end -= 1
    return "".join(lines[:start]), "".join(lines[end:])


def render_scenario(into: Path, built: BuiltMap, spec_file: Path) -> str:
    """The scenario file's new text (not written yet)."""
    reference = Path(os.path.relpath(spec_file.resolve(), into.resolve().parent)).as_posix()
    block = map_block(built, reference)
    if not into.exists():
        return skeleton(into, built) + block
    try:
        text = into.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioFileError(f"{into}: cannot read it: {error}") from None
    before, after = _cut_map_block(text)  # may raise ScenarioFileError
    try:
        rest = YAML(typ="rt").load(before + "map: null\n" + after)
    except YAMLError as error:
        raise ScenarioFileError(
            f"{into}: not valid YAML, so the map cannot be written into it: {error}"
        ) from None
    if not isinstance(rest, CommentedMap) or rest.get("map", "missing") is not None:
        raise ScenarioFileError(
            f"{into}: a scenario file is a mapping with one top-level `map:` key at column 0"
        )
    return before + block + after


def write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step, so a failed write never leaves half a scenario."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)

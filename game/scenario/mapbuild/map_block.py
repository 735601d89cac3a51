"""The built map as the scenario file's top-level `map:` block, in YAML text.

The block has a fixed layout: each ring one quoted string of points, `"x,y x,y ..."`
(`game.rules.scenario.format_ring`), one per line, so a map stays readable, diffs stay small,
and a YAML parser reads it fast (one scalar, not hundreds of tiny lists); the same build gives
the same bytes.  Its own module so that both the writer (`game.scenario.mapbuild.writer`) and
`scenario new` (`game.scenario.skeleton`) emit it without importing each other.
"""

from __future__ import annotations

import json
import re

from game.rules.scenario import Link, format_ring
from game.scenario.mapbuild.build import BuiltMap, BuiltTerritory, Point

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _.,'()/-]*")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


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

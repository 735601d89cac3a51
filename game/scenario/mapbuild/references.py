"""Checking that every id the spec mentions names something the spec defines.

Done before any geometry, so a typo in `borders`, `coasts` or `links` is reported at once,
with its line and the nearest ids that do exist.
"""

from __future__ import annotations

import difflib

from game.scenario.mapbuild.spec import LoadedSpec
from game.scenario.mapbuild.yamlsource import PathItem

Problem = tuple[tuple[PathItem, ...], str]


def _unknown(name: str, known: list[str], what: str = "territory") -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"unknown {what} {name!r}{hint}"


def check_references(loaded: LoadedSpec) -> list[Problem]:
    """Problems with ids: duplicates, unknown territories, seas that are not seas, unknown coasts."""
    spec = loaded.spec
    problems: list[Problem] = []
    kinds: dict[str, str] = {}
    coasts: dict[str, set[str]] = {}
    for index, territory in enumerate(spec.territories):
        if territory.id in kinds:
            first = next(i for i, t in enumerate(spec.territories) if t.id == territory.id)
            line = loaded.source.line(("territories", first, "id"))
            problems.append(
                (
                    ("territories", index, "id"),
                    f"territory id {territory.id!r} is already used at line {line}",
                )
            )
            continue
        kinds[territory.id] = territory.kind
        coasts[territory.id] = set()
        for c_index, coast in enumerate(territory.coasts):
            if coast.id in coasts[territory.id]:
                problems.append(
                    (("territories", index, "coasts", c_index, "id"), f"coast id {coast.id!r} is used twice")
                )
            coasts[territory.id].add(coast.id)
    known = sorted(kinds)
    for index, territory in enumerate(spec.territories):
        for c_index, coast in enumerate(territory.coasts):
            for s_index, sea in enumerate(coast.seas):
                path = ("territories", index, "coasts", c_index, "seas", s_index)
                if sea not in kinds:
                    problems.append((path, _unknown(sea, [k for k in known if kinds[k] == "sea"], "sea")))
                elif kinds[sea] != "sea":
                    problems.append((path, f"{sea!r} is a land territory; a coast lists the seas it touches"))
    for index, border in enumerate(spec.borders):
        a, b = border.between
        for side, name in enumerate(border.between):
            if name not in kinds:
                problems.append((("borders", index, "between", side), _unknown(name, known)))
        if a == b:
            problems.append(
                (("borders", index, "between"), "a border lies between two different territories")
            )
        elif a in kinds and b in kinds and kinds[a] != kinds[b]:
            problems.append(
                (
                    ("borders", index, "between"),
                    f"{a!r} is {kinds[a]} and {b!r} is {kinds[b]}; the coastline is their border",
                )
            )
    for group in ("add", "remove"):
        for index, link in enumerate(getattr(spec.links, group)):
            for side, location in enumerate(link.between):
                path = ("links", group, index, "between", side)
                name, _, coast = location.partition("/")
                if name not in kinds:
                    problems.append((path, _unknown(name, known)))
                elif coast and coast not in coasts[name]:
                    named = sorted(coasts[name])
                    has = f"its named coasts are {', '.join(named)}" if named else "it has no named coasts"
                    problems.append((path, f"{name!r} has no coast {coast!r}; {has}"))
            if link.between[0] == link.between[1]:
                problems.append((("links", group, index, "between"), "a link joins two different locations"))
    return problems

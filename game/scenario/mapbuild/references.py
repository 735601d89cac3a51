"""Checking that every id the spec mentions names something the spec defines.

Done before any geometry, so a typo in `borders`, `coasts` or `links` is reported at once,
with its line and the nearest ids that do exist.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from game.scenario.mapbuild.yamlsource import PathItem, field_name

if TYPE_CHECKING:  # spec.py imports this module's caller; the type is all that is needed here
    from game.scenario.mapbuild.spec import LoadedSpec

Problem = tuple[tuple[PathItem, ...], str]
RefProblem = tuple[tuple[PathItem, ...], str, str | None]
"""A problem and the id it says is unknown (None for other problems)."""


def _unknown(name: str, known: list[str], what: str = "territory") -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"unknown {what} {name!r}{hint}"


def check_references(loaded: LoadedSpec) -> list[Problem]:
    """Problems with ids: duplicates, unknown territories, seas that are not seas, unknown coasts."""
    return [(path, message) for path, message, _ in reference_problems(loaded)]


def _first_use(loaded: LoadedSpec, path: tuple[PathItem, ...]) -> str:
    """``territories[1] (line 12)``: the item that has an id first, named as in the file."""
    original = loaded.original_path(path)
    return f"{field_name(original[:-1])} (line {loaded.source.line(original)})"


def reference_problems(loaded: LoadedSpec) -> list[RefProblem]:
    """:func:`check_references`, each problem with the unknown id it names (to leave out echoes)."""
    spec = loaded.spec
    problems: list[RefProblem] = []
    kinds: dict[str, str] = {}
    coasts: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for index, territory in enumerate(spec.territories):
        if territory.id in kinds:
            used = _first_use(loaded, ("territories", first[territory.id], "id"))
            problems.append(
                (
                    ("territories", index, "id"),
                    f"duplicate territory id {territory.id!r}: {used} already has it",
                    None,
                )
            )
            continue
        kinds[territory.id] = territory.kind
        first[territory.id] = index
        coasts[territory.id] = set()
        first_coast: dict[str, int] = {}
        for c_index, coast in enumerate(territory.coasts):
            if coast.id in coasts[territory.id]:
                used = _first_use(loaded, ("territories", index, "coasts", first_coast[coast.id], "id"))
                problems.append(
                    (
                        ("territories", index, "coasts", c_index, "id"),
                        f"duplicate coast id {coast.id!r} in {territory.id!r}: {used} already has it",
                        None,
                    )
                )
            coasts[territory.id].add(coast.id)
            first_coast.setdefault(coast.id, c_index)
    known = sorted(kinds)
    for index, territory in enumerate(spec.territories):
        for c_index, coast in enumerate(territory.coasts):
            for s_index, sea in enumerate(coast.seas):
                path: tuple[PathItem, ...] = ("territories", index, "coasts", c_index, "seas", s_index)
                if sea not in kinds:
                    problems.append(
                        (path, _unknown(sea, [k for k in known if kinds[k] == "sea"], "sea"), sea)
                    )
                elif kinds[sea] != "sea":
                    problems.append(
                        (path, f"{sea!r} is a land territory; a coast lists the seas it touches", None)
                    )
    for index, border in enumerate(spec.borders):
        a, b = border.between
        for side, name in enumerate(border.between):
            if name not in kinds:
                problems.append((("borders", index, "between", side), _unknown(name, known), name))
        if a == b:
            problems.append(
                (("borders", index, "between"), "a border lies between two different territories", None)
            )
        elif a in kinds and b in kinds and kinds[a] != kinds[b]:
            problems.append(
                (
                    ("borders", index, "between"),
                    f"{a!r} is {kinds[a]} and {b!r} is {kinds[b]}; the coastline is their border",
                    None,
                )
            )
    for group in ("add", "remove"):
        for index, link in enumerate(getattr(spec.links, group)):
            for side, location in enumerate(link.between):
                path = ("links", group, index, "between", side)
                name, _, coast = location.partition("/")
                if name not in kinds:
                    problems.append((path, _unknown(name, known), name))
                elif coast and coast not in coasts[name]:
                    named = sorted(coasts[name])
                    has = f"its named coasts are {', '.join(named)}" if named else "it has no named coasts"
                    problems.append((path, f"{name!r} has no coast {coast!r}; {has}", None))
            if link.between[0] == link.between[1]:
                problems.append(
                    (("links", group, index, "between"), "a link joins two different locations", None)
                )
    return problems

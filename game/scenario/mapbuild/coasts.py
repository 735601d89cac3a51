"""Named coasts: which locations a fleet on each named coast of a territory can reach.

A coast's neighbours are the seas the designer lists for it, plus each coastal neighbour X
that a fleet could sail to along one of those seas: X shares a border with the territory,
and one of the coast's seas shares a vertex with both at a common point (the rules' test
for fleet adjacency).  If X has named coasts itself, the neighbour is X's coast on that sea.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from game.scenario.mapbuild.spec import TerritorySpec
from game.scenario.mapbuild.topology import Vertex
from game.scenario.mapbuild.yamlsource import PathItem

Problem = tuple[tuple[PathItem, ...], str]


@dataclass(frozen=True)
class CoastResult:
    """A named coast as it goes into the scenario."""

    id: str
    name: str
    neighbours: list[str]


def named_coasts(
    territories: Sequence[TerritorySpec],
    kinds: dict[str, str],
    neighbours: dict[str, set[str]],
    vertices: dict[str, set[Vertex]],
) -> tuple[dict[str, list[CoastResult]], list[Problem]]:
    """The named coasts of every territory that has some, or problems naming the spec lines."""
    specs = {t.id: t for t in territories}
    problems: list[Problem] = []
    results: dict[str, list[CoastResult]] = {}
    for index, territory in enumerate(territories):
        if not territory.coasts:
            continue
        if kinds[territory.id] != "coast":
            problems.append(
                (
                    ("territories", index, "coasts"),
                    f"{territory.id!r} does not touch the sea, so it has no coasts",
                )
            )
            continue
        coasts = []
        for c_index, coast in enumerate(territory.coasts):
            reach: set[str] = set()
            for s_index, sea in enumerate(coast.seas):
                if sea not in neighbours[territory.id]:
                    problems.append(
                        (
                            ("territories", index, "coasts", c_index, "seas", s_index),
                            f"sea {sea!r} does not border {territory.id!r}; its sea neighbours are "
                            f"{', '.join(sorted(n for n in neighbours[territory.id] if kinds[n] == 'sea')) or 'none'}",
                        )
                    )
                    continue
                reach.add(sea)
                for other in sorted(neighbours[territory.id]):
                    if kinds[other] != "coast" or not (
                        vertices[territory.id] & vertices[other] & vertices[sea]
                    ):
                        continue
                    other_coasts = specs[other].coasts
                    if not other_coasts:
                        reach.add(other)
                    else:
                        reach.update(f"{other}/{c.id}" for c in other_coasts if sea in c.seas)
            coasts.append(CoastResult(coast.id, coast.name, sorted(reach)))
        results[territory.id] = coasts
    return results, problems


def unlisted_seas(
    territory: TerritorySpec, kinds: Mapping[str, str], neighbours: dict[str, set[str]]
) -> list[str]:
    """Seas bordering a territory with named coasts that none of its coasts lists (worth a note)."""
    listed = {sea for coast in territory.coasts for sea in coast.seas}
    return sorted(n for n in neighbours[territory.id] if kinds[n] == "sea" and n not in listed)

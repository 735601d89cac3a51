"""Generated maps of any size: for benchmarks, property tests and the client's frame budget.

A map of N territories is a field of hexagons (integer vertices, so neighbours share
edges exactly), with seas where a seeded smooth noise is low, coasts where land meets
sea, supply territories spread over the land, and states grown from capitals.  It is a
valid scenario like any other, so everything that reads scenarios can read it.
"""

from __future__ import annotations

import math

from game.rules.rng import Rng
from game.rules.scenario import (
    Calendar,
    MapSection,
    Scenario,
    State,
    SupplyObjective,
    Territory,
    UnitStart,
)

# Okabe–Ito, then Tol's muted: colour-blind-safe.
PALETTE = (
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#f0e442",
    "#0072b2",
    "#d55e00",
    "#cc79a7",
    "#332288",
    "#88ccee",
    "#44aa99",
    "#117733",
    "#999933",
    "#ddcc77",
    "#cc6677",
    "#882255",
    "#aa4499",
)


def _hex_ring(q: int, r: int, scale: float) -> list[tuple[float, float]]:
    cx = 2 * q + (r & 1)
    cy = 3 * r
    corners = ((0, -2), (1, -1), (1, 1), (0, 2), (-1, 1), (-1, -1))
    return [((cx + dx + 1) * scale, (cy + dy + 2) * scale) for dx, dy in corners]


def _hex_neighbours(q: int, r: int) -> list[tuple[int, int]]:
    odd = r & 1
    return [
        (q - 1, r),
        (q + 1, r),
        (q - 1 + odd, r - 1),
        (q + odd, r - 1),
        (q - 1 + odd, r + 1),
        (q + odd, r + 1),
    ]


def generated_scenario(
    territories: int,
    seed: int = 0,
    sea_fraction: float = 0.25,
    unit_fraction: float = 0.8,
    territories_per_state: int = 40,
) -> Scenario:
    """A scenario with about `territories` territories; units on `unit_fraction` of the land and some seas."""
    rng = Rng(seed, 0, "generated-map")
    cols = max(2, round(math.sqrt(territories * 1.5)))
    rows = max(2, math.ceil(territories / cols))
    cells = [(q, r) for r in range(rows) for q in range(cols)][:territories]
    phases = [(rng.random() * 6.283, rng.random() * 6.283, 0.15 + rng.random() * 0.35) for _ in range(4)]

    def noise(q: int, r: int) -> float:
        return sum(math.sin(q * f + a) * math.cos(r * f + b) for a, b, f in phases)

    values = sorted(noise(q, r) for q, r in cells)
    cut = values[int(len(values) * sea_fraction)] if sea_fraction > 0 else -1e9
    sea = {(q, r) for q, r in cells if noise(q, r) < cut}
    cell_set = set(cells)
    ids = {cell: f"t{i}" for i, cell in enumerate(cells)}
    land = [c for c in cells if c not in sea]
    n_states = max(2, min(len(PALETTE) * 8, len(land) // territories_per_state))
    capitals = [land[(i * len(land)) // n_states] for i in range(n_states)] if land else []
    state_ids = [f"s{i}" for i in range(n_states)]
    owner: dict[tuple[int, int], int] = {}
    frontier = list(enumerate(capitals))
    for i, c in frontier:
        owner[c] = i
    while frontier:  # grow the states over the land, breadth first, so each is one block
        nxt = []
        for i, c in frontier:
            for n in _hex_neighbours(*c):
                if n in cell_set and n not in sea and n not in owner:
                    owner[n] = i
                    nxt.append((i, n))
        frontier = nxt
    supply = {c for c in land if rng.random() < 0.4} | set(capitals)
    scale = 10.0
    terr: list[Territory] = []
    for c in cells:
        kind = "sea" if c in sea else "land"
        if kind == "land" and any(n in sea for n in _hex_neighbours(*c)):
            kind = "coast"
        holder = state_ids[owner[c]] if c in owner else None
        is_supply = c in supply and kind != "sea"
        home = holder if is_supply and holder is not None and rng.random() < 0.5 else None
        ring = _hex_ring(*c, scale)
        cx = sum(p[0] for p in ring) / 6
        cy = sum(p[1] for p in ring) / 6
        terr.append(
            Territory(
                id=ids[c],
                name=f"Territory {ids[c][1:]}",
                kind=kind,
                supply=is_supply,
                value=1 if is_supply else 0,
                home=home,
                holder=holder,
                polygons=[ring],
                label=(cx, cy),
            )
        )
    units: dict[int, list[UnitStart]] = {i: [] for i in range(n_states)}
    for t, c in zip(terr, cells, strict=True):
        if rng.random() >= unit_fraction:
            continue
        if t.kind == "sea":
            near = [owner[n] for n in _hex_neighbours(*c) if n in owner]
            if near:
                units[near[0]].append(UnitStart(type="fleet", at=t.id))
        elif c in owner:
            unit_type = "fleet" if t.kind == "coast" and rng.random() < 0.3 else "army"
            units[owner[c]].append(UnitStart(type=unit_type, at=t.id))
    states = [
        State(
            id=state_ids[i],
            name=f"State {i}",
            colour=PALETTE[i % len(PALETTE)],
            units=units[i],
            objectives=[SupplyObjective(count=max(1, len([c for c in supply if owner.get(c) == i]) + 2))],
        )
        for i in range(n_states)
    ]
    width = (2 * cols + 2) * scale
    height = (3 * rows + 2) * scale
    return Scenario(
        format="backchannel-scenario/1",
        id=f"generated-{territories}",
        title=f"Generated map of {territories} territories",
        calendar=Calendar(start_year=2000),
        states=states,
        map=MapSection(width=width, height=height, territories=terr),
    )

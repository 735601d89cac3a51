"""Benchmark of the map renderer: frame times on a generated map of ~75 and ~1,000 territories.

    python bench/render_map.py [--frames 600] [--out test-output] [--quick]

Each frame draws the whole map with its units and a few arrows onto a 1400 x 900 surface,
headless; the camera pans a little every frame and zooms now and then, as a player would.
Targets: p95 under 8 ms for ~75 territories and under 16 ms for 1,000.  `--quick` (CI) draws
60 frames of each, enough to see it still runs, not to judge the budget.  `make_hex_scenario`
is also useful to tests and to eyeball the renderer on a large map.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # after choosing the SDL drivers above

from game.render import Arrow, MapPicture, MapRenderer, default_state_colours
from game.rules.scenario import Scenario

SYLLABLES = [
    "al",
    "ba",
    "cor",
    "dra",
    "el",
    "fen",
    "gar",
    "hol",
    "is",
    "ka",
    "lor",
    "mer",
    "nor",
    "os",
    "pra",
    "ru",
]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


@dataclass(frozen=True)
class _Cell:
    """One hexagon of the generated map: its corners, whether it is land, its centre."""

    ring: list[tuple[float, float]]
    land: bool
    centre: tuple[float, float]


def make_hex_scenario(target_territories: int, seed: int = 1, states: int = 7) -> Scenario:
    """A generated map of jittered hexagons (shared edges share vertices): continents, seas, states."""
    rng = random.Random(seed)
    cols = max(4, round(math.sqrt(target_territories * 1.5)))
    rows = max(3, round(target_territories / cols))
    a = 10.0
    w = math.sqrt(3) * a

    def vertex(x: float, y: float) -> tuple[float, float]:
        key = (round(x * 8), round(y * 8))
        jr = random.Random(f"{seed}:{key[0]}:{key[1]}")
        return (round(x + jr.uniform(-0.28, 0.28) * a, 2), round(y + jr.uniform(-0.28, 0.28) * a, 2))

    width, height = cols * w + w / 2 + 2, rows * 1.5 * a + a / 2 + 2
    blobs = [
        (rng.uniform(0.2, 0.8) * width, rng.uniform(0.2, 0.8) * height, rng.uniform(0.18, 0.3))
        for _ in range(4)
    ]
    cells: dict[tuple[int, int], _Cell] = {}
    for row in range(rows):
        for col in range(cols):
            cx = 1 + w / 2 + col * w + (w / 2 if row % 2 else 0)
            cy = 1 + a + row * 1.5 * a
            ring = [
                vertex(
                    cx + a * math.cos(math.radians(60 * k - 30)), cy + a * math.sin(math.radians(60 * k - 30))
                )
                for k in range(6)
            ]
            land = sum(
                math.exp(-((cx - bx) ** 2 + (cy - by) ** 2) / (2 * (s * width) ** 2)) for bx, by, s in blobs
            )
            edge = row in (0, rows - 1) or col in (0, cols - 1)
            cells[(col, row)] = _Cell(ring, land > 0.55 and not edge, (cx, cy))

    def neighbours(col: int, row: int) -> list[tuple[int, int]]:
        odd = row % 2
        deltas = [(-1, 0), (1, 0), (-1 + odd, -1), (odd, -1), (-1 + odd, 1), (odd, 1)]
        return [(col + dc, row + dr) for dc, dr in deltas if (col + dc, row + dr) in cells]

    land_cells = [k for k, v in cells.items() if v.land]
    capitals = rng.sample(land_cells, min(states, len(land_cells)))
    colours = default_state_colours(len(capitals))
    state_ids = [f"s{i}" for i in range(len(capitals))]
    territories: list[dict[str, object]] = []
    units: dict[str, list[dict[str, str]]] = {s: [] for s in state_ids}
    ids: dict[tuple[int, int], str] = {k: f"t{i}" for i, k in enumerate(sorted(cells))}
    for key in sorted(cells):
        cell = cells[key]
        tid = ids[key]
        if not cell.land:
            territories.append(
                {"id": tid, "name": _name(rng) + " Sea", "kind": "sea", "polygons": [cell.ring]}
            )
            continue
        coastal = any(not cells[n].land for n in neighbours(*key))
        cx, cy = cell.centre
        dists = [math.dist(cell.centre, cells[c].centre) for c in capitals]
        nearest = min(range(len(capitals)), key=lambda i: dists[i])
        holder = state_ids[nearest] if dists[nearest] < 4.5 * w else None
        home = holder if dists[nearest] < 1.6 * w else None
        supply = home is not None or rng.random() < 0.35
        territories.append(
            {
                "id": tid,
                "name": _name(rng),
                "kind": "coast" if coastal else "land",
                "supply": supply,
                "home": home if supply else None,
                "holder": holder,
                "polygons": [cell.ring],
                "label": [round(cx, 2), round(cy, 2)],
            }
        )
        if home and supply and len(units[home]) < 3:
            units[home].append({"type": "fleet" if coastal and len(units[home]) == 2 else "army", "at": tid})
    return Scenario.model_validate(
        {
            "format": "backchannel-scenario/1",
            "id": f"hex-{len(cells)}",
            "title": f"Generated map ({len(cells)} territories)",
            "calendar": {"start_year": 1900},
            "states": [
                {"id": sid, "name": _name(rng) + "ia", "colour": colours[i], "units": units[sid]}
                for i, sid in enumerate(state_ids)
            ],
            "map": {"width": round(width, 2), "height": round(height, 2), "territories": territories},
        }
    )


def bench(scenario: Scenario, frames: int, size: tuple[int, int] = (1400, 900)) -> dict[str, float]:
    """Frame times in ms while panning (every frame) and zooming (every 60 frames)."""
    pygame.init()
    surface = pygame.Surface(size)
    renderer = MapRenderer(scenario)
    picture = MapPicture.from_scenario(scenario)
    units = picture.units
    arrows = [Arrow("move", u.at, u.at, u.state) for u in units[:1]]
    if len(units) >= 2:
        arrows = [Arrow("move", units[0].at, units[1].at, units[0].state)]
    picture = picture.with_arrows(arrows)
    renderer.draw(surface, picture)  # warm the caches once, as the first frame after loading would
    times: list[float] = []
    renderer.camera.zoom_at(2.0)
    for frame in range(frames):
        if frame % 60 == 30:
            renderer.camera.zoom_at(1.25 if (frame // 60) % 2 else 0.8)
        renderer.camera.pan(math.cos(frame / 40) * 3, math.sin(frame / 40) * 2)
        start = time.perf_counter()
        renderer.draw(surface, picture)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
        "mean": statistics.fmean(times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--out", type=Path, default=None, help="Folder for a sample PNG of each map.")
    parser.add_argument(
        "--quick", action="store_true", help="60 frames of each map: a check that it runs (CI)"
    )
    args = parser.parse_args()
    if args.quick:
        args.frames = min(args.frames, 60)
    for target, budget in ((75, 8.0), (1000, 16.0)):
        scenario = make_hex_scenario(target)
        result = bench(scenario, args.frames)
        verdict = "ok" if result["p95"] < budget else "SLOW"
        print(
            f"{len(scenario.map.territories):5d} territories: p50 {result['p50']:.2f} ms  p95 {result['p95']:.2f} ms"
            f"  max {result['max']:.1f} ms  (budget p95 < {budget:.0f} ms: {verdict})"
        )
        if args.out:
            from game.scenario.preview import render_preview

            args.out.mkdir(parents=True, exist_ok=True)
            pygame.image.save(render_preview(scenario, 1400), str(args.out / f"hex-{target}.png"))


if __name__ == "__main__":
    main()

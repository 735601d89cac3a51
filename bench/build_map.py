"""Benchmark of the map builder: how long `build-map` takes on the July 1914 map.

    python bench/build_map.py [SPEC] [--repeat 3]

Builds scenarios/maps/july-1914.yaml (or bench/europe-classic.mapspec.yaml while that is
missing, or SPEC) into a scratch copy of its scenario, so the real file is never touched,
and prints the time of each step and the total.  Budget: under 10 s on the project's
2-core machine; exits 1 when the best run is over it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from game.scenario.mapbuild import build_map  # noqa: E402  (after the path is set)
from game.scenario.mapbuild.writer import render_scenario, write_atomically  # noqa: E402

BUDGET_S = 10.0
JULY_1914 = REPO / "scenarios" / "maps" / "july-1914.yaml"
FALLBACK = REPO / "bench" / "europe-classic.mapspec.yaml"


def run_once(spec: Path, scenario: Path | None) -> tuple[float, dict[str, float], int]:
    """One build into a scratch scenario file: total seconds, seconds per step, territories."""
    with tempfile.TemporaryDirectory() as scratch:
        into = Path(scratch) / "scenario.yaml"
        if scenario is not None and scenario.exists():
            shutil.copyfile(scenario, into)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        built = build_map(spec, timings=timings)
        write_atomically(into, render_scenario(into, built, spec))
        total = time.perf_counter() - started
        timings["write"] = total - sum(timings.values())
        return total, timings, len(built.territories)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", type=Path, help="map spec to build (default: the July 1914 map)")
    parser.add_argument("--repeat", type=int, default=3, help="builds to run; the best counts")
    args = parser.parse_args()
    spec: Path = args.spec or (JULY_1914 if JULY_1914.exists() else FALLBACK)
    scenario = REPO / "scenarios" / spec.name if spec == JULY_1914 else None
    runs = [run_once(spec, scenario) for _ in range(max(1, args.repeat))]
    best_total, best_steps, territories = min(runs, key=lambda run: run[0])
    print(
        f"map spec: {spec.relative_to(REPO) if spec.is_relative_to(REPO) else spec} ({territories} territories)"
    )
    for step, seconds in best_steps.items():
        print(f"  {step:<10} {seconds:6.2f} s")
    print(
        f"best of {len(runs)}: {best_total:.2f} s (all: {', '.join(f'{r[0]:.2f}' for r in runs)}); budget {BUDGET_S:.0f} s"
    )
    return 0 if best_total < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())

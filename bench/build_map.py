"""Benchmark of the map builder: how long `build-map` takes on every map spec in scenarios/maps/.

    python bench/build_map.py [SPEC ...] [--repeat 1] [--quick]

Builds each map spec (default: every `scenarios/maps/*.yaml`, whatever is there; with none,
bench/europe-classic.mapspec.yaml) into a scratch copy of its scenario (`scenarios/<name>.yaml`
when there is one), so no real file is touched, and prints each map's territories, its time
per step and its total.  Budget: each map under 10 s on the project's 2-core machine; exits 1
when one map's best run is over it, or when a build fails (the failure is printed, and the
other maps are still timed).  `--quick` (CI): one small map (suez-1956) once, a check that it runs.
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

from game.scenario.atomic_write import write_atomically  # noqa: E402
from game.scenario.mapbuild import build_map  # noqa: E402  (after the path is set)
from game.scenario.mapbuild.writer import render_scenario  # noqa: E402

BUDGET_S = 10.0
MAPS = REPO / "scenarios" / "maps"
FALLBACK = REPO / "bench" / "europe-classic.mapspec.yaml"
QUICK = MAPS / "suez-1956.yaml"


def run_once(spec: Path, scenario: Path | None) -> tuple[float, dict[str, float], int, float]:
    """One build into a scratch scenario file: total seconds, seconds per step, territories, CPU seconds."""
    with tempfile.TemporaryDirectory() as scratch:
        into = Path(scratch) / "scenario.yaml"
        if scenario is not None and scenario.exists():
            shutil.copyfile(scenario, into)
        timings: dict[str, float] = {}
        cpu = time.process_time()
        started = time.perf_counter()
        built = build_map(spec, timings=timings)
        write_atomically(into, render_scenario(into, built, spec))
        total = time.perf_counter() - started
        timings["write"] = total - sum(timings.values())
        return total, timings, len(built.territories), time.process_time() - cpu


def shown(path: Path) -> str:
    return str(path.relative_to(REPO) if path.is_relative_to(REPO) else path)


def bench(spec: Path, repeat: int) -> tuple[str, float | None]:
    """Time one spec; print its lines; return its name and best time (None: it failed)."""
    scenario = REPO / "scenarios" / spec.name if spec.parent == MAPS else None
    try:
        runs = [run_once(spec, scenario) for _ in range(max(1, repeat))]
    except Exception as exc:  # a broken spec or builder: say which, and go on to the next map
        print(f"map spec: {shown(spec)}: FAILED: {type(exc).__name__}: {exc}")
        return spec.stem, None
    best_total, best_steps, territories, cpu = min(runs, key=lambda run: run[0])
    print(f"map spec: {shown(spec)} ({territories} territories)")
    print("  " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in best_steps.items()))
    over = "  OVER BUDGET" if best_total >= BUDGET_S else ""
    # CPU time beside the wall clock: on a busy machine the wall clock says more about the neighbours.
    print(
        f"  best of {len(runs)}: {best_total:.2f} s, {cpu:.2f} s of CPU "
        f"(all: {', '.join(f'{r[0]:.2f}' for r in runs)}){over}"
    )
    return spec.stem, best_total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "specs", nargs="*", type=Path, help="map specs to build (default: every one in scenarios/maps/)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="builds of each map to run; the best counts")
    parser.add_argument("--quick", action="store_true", help="one small map, once: a check that it runs (CI)")
    args = parser.parse_args()
    specs: list[Path] = args.specs or sorted(MAPS.glob("*.yaml")) or [FALLBACK]
    if args.quick:
        specs = args.specs[:1] or ([QUICK] if QUICK.exists() else specs[:1])
        args.repeat = 1
    results = [bench(spec, args.repeat) for spec in specs]
    print()
    print(f"{'map':<24} {'best s':>7}  (budget {BUDGET_S:.0f} s each)")
    for name, best in results:
        print(f"{name:<24} {'failed' if best is None else f'{best:.2f}':>7}")
    ok = all(best is not None and best < BUDGET_S for _, best in results)
    timed = [best for _, best in results if best is not None]
    print(
        f"{len(timed)} of {len(results)} maps built"
        + (f", slowest {max(timed):.2f} s, total {sum(timed):.2f} s" if timed else "")
        + ("" if ok else "; NOT within budget")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""How long a designer waits for a balance sheet: `scenario playtest` of 20 games on each bundled scenario.

    python bench/playtest.py [SCENARIO ...] [--games 20] [--turns 20] [--jobs 1 [2 ...]] [--quick]

Runs the real command (`backchannel scenario playtest ID --games 20 --turns 20 --jobs J --json
...`) in a fresh process for every bundled scenario (whatever `scenarios/*.yaml` holds, or the
ids given) and each `--jobs` asked for, and prints per scenario the games, the movement turns
they played (games end early on a victory or at the scenario's last year), the seconds of the
whole command (start-up and imports included) and per game, and the CPU seconds of the
process and its workers.  No budget: the figures say whether `--jobs` earns its place.
`--quick` (CI): 2 games of 2 turns of july-1914 (or the first id given), a check that it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(
    scenario: str, games: int, turns: int, jobs: int, folder: Path
) -> tuple[float, float, dict[str, object]]:
    """One `scenario playtest` in a fresh process: wall seconds, CPU seconds (with children), its figures."""
    out = folder / f"{scenario}-{jobs}.json"
    before = os.times()
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "game.cli",
            "scenario",
            "playtest",
            scenario,
            "--games",
            str(games),
            "--turns",
            str(turns),
            "--jobs",
            str(jobs),
            "--json",
            str(out),
        ],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"},
    )
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, json.loads(out.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("scenarios", nargs="*", help="bundled scenario ids (default: every scenarios/*.yaml)")
    parser.add_argument("--games", type=int, default=20)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1], help="--jobs values to time, e.g. 1 2")
    parser.add_argument(
        "--quick", action="store_true", help="2 games x 2 turns of one scenario: a check that it runs (CI)"
    )
    args = parser.parse_args()
    scenarios = args.scenarios or sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
    if args.quick:
        scenarios = args.scenarios[:1] or ["july-1914"]
        args.games, args.turns, args.jobs = 2, 2, args.jobs[:1]
    print(
        f"`backchannel scenario playtest ID --games {args.games} --turns {args.turns}`, a fresh process each "
        f"({os.cpu_count()} cores)"
    )
    print(f"{'scenario':<24} {'jobs':>4} {'games':>5} {'turns':>9} {'seconds':>8} {'s/game':>7} {'cpu s':>7}")
    totals: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="backchannel-bench-") as tmp:
        for scenario in scenarios:
            for jobs in args.jobs:
                wall, cpu, sheet = run(scenario, args.games, args.turns, jobs, Path(tmp))
                played = sheet["turns_played"]
                assert isinstance(played, dict)
                turns = (
                    f"{played['low']}"
                    if played["low"] == played["high"]
                    else f"{played['low']}-{played['high']}"
                )
                games = int(str(sheet["games"]))
                print(
                    f"{scenario:<24} {jobs:>4} {games:>5} {turns:>9} {wall:8.1f} {wall / games:7.2f} {cpu:7.1f}"
                )
                totals[jobs] = totals.get(jobs, 0.0) + wall
    print("total: " + ", ".join(f"--jobs {jobs}: {seconds:.1f} s" for jobs, seconds in totals.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

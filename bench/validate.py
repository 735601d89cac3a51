"""Benchmark of the scenario validator: how long `scenario validate` takes on each bundled scenario.

    python bench/validate.py [FILE ...] [--repeat 3] [--quick]

Checks every `scenarios/*.yaml` (whatever is there; or the FILEs given) in this process, as
`backchannel scenario validate` does for each file (read, YAML, model, cross-references,
warnings), best of `--repeat` runs, with the CPU time beside the wall clock; then runs the
command itself once in a fresh process over all the files (imports and start-up included), as
a designer or CI runs it.  Budget: each file under 1 s in process; exits 1 when one is over it
or a bundled file does not validate.  `--quick` (CI): one check of each file, a check that it runs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from game.scenario.loader import read_scenario  # noqa: E402  (after the path is set)

BUDGET_S = 1.0


def time_file(path: Path, repeat: int) -> tuple[float, float, int, int, int]:
    """Best wall seconds, its CPU seconds, territories, errors and warnings of one file."""
    best, best_cpu = float("inf"), 0.0
    result = None
    for _ in range(max(1, repeat)):
        cpu = time.process_time()
        started = time.perf_counter()
        result = read_scenario(path)
        took = time.perf_counter() - started
        if took < best:
            best, best_cpu = took, time.process_time() - cpu
    assert result is not None
    territories = len(result.scenario.map.territories) if result.scenario is not None else 0
    return best, best_cpu, territories, len(result.errors), len(result.warnings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files", nargs="*", type=Path, help="scenario files (default: every scenarios/*.yaml)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="checks of each file; the best counts")
    parser.add_argument(
        "--quick", action="store_true", help="one check of each file: a check that it runs (CI)"
    )
    args = parser.parse_args()
    if args.quick:
        args.repeat = 1
    files: list[Path] = args.files or sorted((REPO / "scenarios").glob("*.yaml"))
    read_scenario(
        files[0]
    )  # the first check pays for lazy imports (the schema's models); not the file's cost
    print(f"{'scenario':<28} {'terr.':>5} {'best s':>7} {'cpu s':>6}  result (budget {BUDGET_S:.0f} s each)")
    ok = True
    for path in files:
        best, cpu, territories, errors, warnings = time_file(path, args.repeat)
        verdict = "OK" if not errors else f"FAILED ({errors} errors)"
        if warnings:
            verdict += f", {warnings} warnings"
        if best >= BUDGET_S:
            verdict += "  OVER BUDGET"
        ok = ok and not errors and best < BUDGET_S
        print(f"{path.stem:<28} {territories:>5} {best:7.3f} {cpu:6.3f}  {verdict}")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "game.cli", "scenario", "validate", *map(str, files)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    whole = time.perf_counter() - started
    print(
        f"`backchannel scenario validate` on all {len(files)} files, a fresh process: {whole:.2f} s "
        "(start-up and imports included)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

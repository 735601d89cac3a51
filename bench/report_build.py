"""How long the debrief report takes to build for a 20-turn game (the issue asks under 10 s).

    python bench/report_build.py [--turns 20] [--seed 1] [--runs 3] [--quick]

Plays the game with the real command line (`backchannel simulate --scenario july-1914 --seed 1
--turns 20 --out DIR`), then times `backchannel report DIR/record.json --out ... --grades ...`
as a teacher runs it (a fresh process: imports, scenario, replay, maps, charts, HTML), and once
in-process with the time of each step.  Exit status 1 when the command takes 10 s or more.
`--quick` (CI): a 2-turn game and one run, a check that it runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--runs", type=int, default=3, help="Times to run the command (the median is reported)."
    )
    parser.add_argument(
        "--quick", action="store_true", help="A 2-turn game, one run: a check that it runs (CI)."
    )
    args = parser.parse_args()
    if args.quick:
        args.turns, args.runs = 2, 1
    cli = [sys.executable, "-m", "game.cli"]
    with tempfile.TemporaryDirectory(prefix="backchannel-bench-") as tmp:
        folder = Path(tmp)
        subprocess.run(
            [
                *cli,
                "simulate",
                "--scenario",
                "july-1914",
                "--seed",
                str(args.seed),
                "--turns",
                str(args.turns),
                "--out",
                str(folder),
            ],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        record = folder / "record.json"
        out, grades = folder / "report.html", folder / "grades.csv"
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(
                [*cli, "report", str(record), "--out", str(out), "--grades", str(grades)],
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - started)

        sys.path.insert(0, str(ROOT))
        from game.debrief import build_report, load_record_file, render_html, source_from_record

        started = time.perf_counter()
        source = source_from_record(load_record_file(record))
        loaded = time.perf_counter() - started
        report = build_report(source)
        started = time.perf_counter()
        html = render_html(report)
        rendered = time.perf_counter() - started
        steps = {"load record + scenario": loaded, **report.timings, "html": rendered}

        print(
            f"game: july-1914, seed {args.seed}, {len(report.turns)} turns, {len(source.commands)} commands, "
            f"{len(report.lives)} agreements, {len(report.messages)} messages"
        )
        print(
            f"`backchannel report` (a fresh process, {args.runs} runs): median {statistics.median(times):.2f} s, "
            f"max {max(times):.2f} s (limit {LIMIT:.0f} s)"
        )
        print(
            "in-process steps: "
            + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items())
            + f"; total {sum(steps.values()):.2f} s"
        )
        print(
            f"output: {out.stat().st_size / 1e6:.1f} MB of HTML ({len(html) / 1e6:.1f} M characters), "
            f"{grades.stat().st_size} bytes of CSV"
        )
        return 0 if max(times) < LIMIT else 1


if __name__ == "__main__":
    raise SystemExit(main())

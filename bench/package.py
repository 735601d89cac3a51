"""The package as a player gets it: the wheel's size, and the time from `pip install` of the wheel
into a fresh virtual environment to the first map frame.

    python bench/package.py [--python python3] [--quick]

Builds the wheel (pip wheel --no-deps: hatchling maps scenarios/ and assets/ into it), prints its
size and the share of the geography data (kept gzipped as published), then in a fresh virtual
environment outside the source tree times `pip install` of the wheel (its dependencies come from
pip's cache when the machine has them, else from the package index: the figure says which it was
only by its size) and `backchannel play --demo --turns 1 --screenshots DIR` until the first
screenshot, the map of july-1914, is written.

`--quick` (CI): builds the wheel and prints its size and shares, checks that it carries the
console command, the scenarios and the assets, and stops there: the fresh environment and the
install (most of a minute, and the package index when pip's cache lacks a dependency) stay manual.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], **kwargs: Any) -> None:
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default="python3", help="interpreter of the fresh environment")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="build the wheel and check its contents, no install: a check that it runs (CI)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-package-"))
    try:
        return _bench(work, args.python, quick=args.quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)


REQUIRED = ("game/_bundled/scenarios/july-1914.yaml", "game/_bundled/assets/", "game/cli.py", "server/")
"""Prefixes the wheel must hold: a wheel without its scenarios or assets installs but cannot play."""


def missing_parts(names: list[str]) -> list[str]:
    """The REQUIRED prefixes no entry of the wheel starts with, and the console command if absent."""
    missing = [part for part in REQUIRED if not any(name.startswith(part) for name in names)]
    if not any(name.endswith(".dist-info/entry_points.txt") for name in names):
        missing.append("entry_points.txt (the backchannel command)")
    return missing


def _bench(work: Path, python: str, *, quick: bool = False) -> int:
    start = time.perf_counter()
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(work / "dist")])
    built = time.perf_counter() - start
    wheel = next((work / "dist").glob("backchannel-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        entries = archive.infolist()

    def packed(prefix: str) -> float:
        return sum(e.compress_size for e in entries if e.filename.startswith(prefix)) / 1e6

    print(
        f"wheel            {wheel.name}: {wheel.stat().st_size / 1e6:.2f} MB, {len(entries)} files, built in {built:.1f} s"
    )
    print(
        f"  geography      {packed('game/_bundled/assets/geo/'):.2f} MB (gzipped as published, stored as is)"
    )
    print(f"  fonts          {packed('game/_bundled/assets/fonts/'):.2f} MB")
    print(f"  scenarios      {packed('game/_bundled/scenarios/'):.2f} MB")
    print(f"  code           {packed('game/') - packed('game/_bundled/') + packed('server/'):.2f} MB")
    missing = missing_parts([e.filename for e in entries])
    if missing:
        print(f"the wheel lacks: {', '.join(missing)}")
        return 1
    if quick:
        print(
            "quick: the wheel holds the command, the scenarios and the assets; install and first frame not timed"
        )
        return 0

    env = {
        **os.environ,
        "SDL_VIDEODRIVER": "dummy",
        "SDL_AUDIODRIVER": "dummy",
        "BACKCHANNEL_HOME": str(work / "home"),
    }
    start = time.perf_counter()
    _run([python, "-m", "venv", str(work / "venv")])
    made = time.perf_counter()
    _run([str(work / "venv" / "bin" / "pip"), "install", "-q", str(wheel)], cwd=work)
    installed = time.perf_counter()
    shots = work / "shots"
    game = subprocess.Popen(
        [
            str(work / "venv" / "bin" / "backchannel"),
            "play",
            "--demo",
            "--turns",
            "1",
            "--seed",
            "1",
            "--screenshots",
            str(shots),
        ],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    first = None
    while game.poll() is None and first is None:
        found = sorted(shots.glob("*.png")) if shots.is_dir() else []
        if found and found[0].stat().st_size > 0:
            first = time.perf_counter()
        time.sleep(0.02)
    game.kill()
    game.wait()
    if first is None:
        print(f"no frame: {game.stderr.read().decode()[-2000:] if game.stderr else ''}")
        return 1
    print(f"fresh venv       {made - start:.1f} s")
    print(f"pip install      {installed - made:.1f} s (the wheel and its dependencies)")
    print(
        f"first map frame  {first - installed:.1f} s after the install (play --demo: start, embedded server, bots, july-1914)"
    )
    print(f"install to frame {first - made:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

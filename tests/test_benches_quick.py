"""Every bench runs in its quick mode, so none can break unseen (issue 14, point 4).

Each `bench/*.py` is run as a user runs it — `python bench/NAME.py --quick`, a fresh process, from
the repository, headless — and must exit 0 and print its figures (a number with its unit).  The
quick mode is a check that the bench still works, in seconds; its full run, the measurement, stays
manual.  A bench without `--quick` fails here by name, so a new one gets it too.  A bench with other
modes worth a check (`MODES`) is also run once in each of them, quick.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHES = sorted((ROOT / "bench").glob("*.py"))
TIMEOUT_S = 120
"""Per bench: generous, since a loaded machine is slow; the quick modes take seconds."""

FIGURE = re.compile(r"\d(?:[\d,]*\d)?(?:\.\d+)?\s?(?:ms|µs|s|MB|kB|KB|GB|bytes|%|fps|/s)(?![A-Za-z])")
"""A figure: a number and its unit (`4.2 ms`, `1,300/s`, `0.35 s`, `12%`, `3.1 MB`)."""

SKIPPED = "SKIPPED:"
"""What a bench prints when this machine cannot run it at all (report_browser.py without Chromium)."""

PENDING: dict[str, str] = {}
"""Benches whose `--quick` is work still under way, by file name with the reason: expected to fail
until then (an entry's bench passing shows as XPASS: remove the entry).  None now."""


MODES: dict[str, list[list[str]]] = {
    "server_load.py": [["--store", "postgresql", "--processes", "2"]],
}
"""Benches with more than one way to run worth a check, by file name: each mode's arguments besides
`--quick`.  server_load over PostgreSQL with two processes also kills one (issue 15's failover)."""

POSTGRES_ENV = "BACKCHANNEL_TEST_POSTGRES"
"""A running PostgreSQL for the tests (tests/postgres.py): handed to a bench as `--postgres`."""


def _param(path: Path, mode: list[str] | None = None) -> object:
    marks = [pytest.mark.xfail(reason=PENDING[path.name], strict=False)] if path.name in PENDING else []
    name = path.stem if mode is None else f"{path.stem}[{' '.join(a.lstrip('-') for a in mode)}]"
    return pytest.param(path, mode or [], id=name, marks=marks)


def _postgres_arguments(mode: list[str]) -> list[str]:
    """A mode over PostgreSQL runs on the tests' server when one is named, else on its own (pgserver)."""
    if "postgresql" not in mode:
        return mode
    if os.environ.get(POSTGRES_ENV):
        return [*mode, "--postgres", os.environ[POSTGRES_ENV]]
    pytest.importorskip("pgserver", reason=f"no pgserver and no {POSTGRES_ENV}: no PostgreSQL to run on")
    return mode


def test_benches_exist() -> None:
    assert BENCHES, "bench/ has no benches"


@pytest.mark.parametrize(
    ("bench", "mode"),
    [_param(p) for p in BENCHES] + [_param(p, m) for p in BENCHES for m in MODES.get(p.name, [])],
)
def test_bench_quick(bench: Path, mode: list[str]) -> None:
    mode = _postgres_arguments(mode)
    source = bench.read_text(encoding="utf-8")
    assert "--quick" in source, (
        f"bench/{bench.name} has no --quick mode: every bench needs one (issue 14, point 4)"
    )
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONUNBUFFERED": "1"}
    try:
        done = subprocess.run(
            [sys.executable, str(bench), "--quick", *mode],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"bench/{bench.name} --quick ran past {TIMEOUT_S} s; output so far:\n{exc.stdout or ''}")
    said = f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    assert done.returncode == 0, f"bench/{bench.name} --quick exited {done.returncode}\n{said}"
    if done.stdout.startswith(SKIPPED):
        pytest.skip(f"bench/{bench.name}: {done.stdout.strip()}")
    figures = [line for line in done.stdout.splitlines() if FIGURE.search(line)]
    assert figures, f"bench/{bench.name} --quick printed no figure (a number with a unit)\n{said}"


def test_figure_pattern() -> None:
    for line in (
        "p50 4.20 ms",
        "press applied 1,300/s",
        "best of 1: 0.35 s",
        "12% of the echo",
        "3.1 MB of HTML",
    ):
        assert FIGURE.search(line), line
    for line in ("20 territories", "july-1914, seed 1", "4 games x 5 players"):
        assert not FIGURE.search(line), line

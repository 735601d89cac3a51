"""`backchannel scenario build-map SPEC --into SCENARIO`: build, report, write or write nothing."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from game.scenario.mapbuild.build import build_map
from game.scenario.mapbuild.errors import MapSpecError
from game.scenario.mapbuild.writer import ScenarioFileError, render_scenario, write_atomically


def build_map_command(spec: Path, into: Path) -> int:
    """Build the map of `spec` into the scenario file `into`; exit code 0, or 1 with every problem on stderr."""
    started = time.perf_counter()
    try:
        built = build_map(spec)
        text = render_scenario(into, built, spec)
    except MapSpecError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s); {into} was not changed.", file=sys.stderr)
        return 1
    except ScenarioFileError as error:
        print(error, file=sys.stderr)
        return 1
    write_atomically(into, text)
    for note in built.notes:
        print(f"{spec}: note: {note}", file=sys.stderr)
    kinds = [t.kind for t in built.territories]
    print(
        f"{into}: map of {len(kinds)} territories ({kinds.count('land')} land, {kinds.count('coast')} coast, "
        f"{kinds.count('sea')} sea) on a {built.width:g} x {built.height:g} canvas, "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    return 0

"""`backchannel scenario build-map SPEC --into SCENARIO`: build, report, write or write nothing.

Everything that can be checked before the geometry is checked first, and every problem
found is reported in one run (:mod:`game.scenario.mapbuild.check`): where the scenario
goes, the spec's YAML, its fields, its ids, the states its holders and homes name (those
of the scenario, when it has states) and its cities.  Only then is the map built.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from game.scenario.atomic_write import write_atomically
from game.scenario.mapbuild.build import build_map
from game.scenario.mapbuild.check import check_spec
from game.scenario.mapbuild.errors import MapSpecError
from game.scenario.mapbuild.writer import ScenarioFileError, render_scenario
from game.scenario.yaml_source import read_yaml_file


def into_problem(into: Path) -> str | None:
    """Why the scenario file cannot be written where ``--into`` says, if it cannot."""
    if into.is_dir():
        return f"{into}: this is a folder; --into names the scenario file, e.g. {into / 'my-map.yaml'}"
    folder = into.parent
    if not folder.exists():
        return f"{into}: the folder {folder} does not exist; create it first, or give a path in an existing folder"
    if not folder.is_dir():
        return f"{into}: {folder} is not a folder"
    return None


def scenario_states(into: Path) -> set[str] | None:
    """The state ids of the scenario the map goes into, or None when it has none to check against
    (a new file gets a placeholder state for each holder and home)."""
    if not into.is_file():
        return None
    document, _ = read_yaml_file(into)
    data = document.data if document is not None else None
    states = data.get("states") if isinstance(data, dict) else None
    if not isinstance(states, list):
        return None
    ids = {s["id"] for s in states if isinstance(s, dict) and isinstance(s.get("id"), str)}
    return ids or None


def build_map_command(spec: Path, into: Path) -> int:
    """Build the map of `spec` into the scenario file `into`; exit code 0, or 1 with every problem on stderr."""
    started = time.perf_counter()
    where = into_problem(into)
    reading = check_spec(spec, states=scenario_states(into) if where is None else None)
    if where is not None or reading.problems:
        for problem in reading.problems:
            print(problem, file=sys.stderr)
        if where is not None:
            print(where, file=sys.stderr)
        count = len(reading.problems) + (where is not None)
        print(f"{count} problem{'s' * (count != 1)}; {into} was not written.", file=sys.stderr)
        return 1
    try:
        built = build_map(spec)
        text = render_scenario(into, built, spec)
    except MapSpecError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' * (count != 1)}; {into} was not written.", file=sys.stderr)
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

"""Writing the built map into the scenario file's `map:` section, leaving the rest alone.

The designer's file is kept byte for byte outside the `map:` block: the old block is cut
out of the text and the new one (`game.scenario.mapbuild.map_block`) spliced in at the same
place.  ruamel.yaml (round-trip mode) reads what remains, to be sure it is a YAML mapping
before anything is written.  A missing scenario file is created as a skeleton that validates
(`game.scenario.skeleton`, shared with `scenario new`), every field commented, TODO where the
designer fills in the story, states and calendar.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

# write_atomically is re-exported: the build commands write through it
from game.scenario.mapbuild.build import BuiltMap
from game.scenario.mapbuild.map_block import map_block
from game.scenario.skeleton import scenario_text, states_from_map

_MAP_KEY = re.compile(r"^map\s*:(\s|$)")
_TOP_LEVEL = re.compile(r"^[^\s#]")


class ScenarioFileError(ValueError):
    """The scenario file exists but cannot take a map (not YAML, or not a mapping)."""


def skeleton(into: Path, built: BuiltMap) -> str:
    """A new scenario around the map (`game.scenario.skeleton`): every field commented, TODO where
    the designer fills in the story; a placeholder state for each holder or home of the spec."""
    states = states_from_map(
        [(t.spec.id, t.kind, t.spec.holder, t.spec.home, t.spec.supply) for t in built.territories]
    )
    scenario_id = re.sub(r"[^a-z0-9-]+", "-", into.stem.lower()).strip("-")[:64] or "scenario"
    return scenario_text(scenario_id, states, made_by="backchannel scenario build-map")


def _cut_map_block(text: str) -> tuple[str, str]:
    """The text before the top-level `map:` block and the text after it (the block is dropped).

    The block runs to the next top-level key; comment lines at column 0 just before that key
    belong to it, not to the map.  Without a `map:` key the map goes at the end.
    """
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _MAP_KEY.match(line)]
    if not starts:
        return text if not text or text.endswith("\n") else text + "\n", ""
    if len(starts) > 1:
        raise ScenarioFileError("more than one top-level `map:` key")
    start = starts[0]
    end = next((i for i in range(start + 1, len(lines)) if _TOP_LEVEL.match(lines[i])), len(lines))
    while (
        end - 1 > start
        and (lines[end - 1].startswith("#") or not lines[end - 1].strip())
        and end < len(lines)
    ):
        end -= 1
    return "".join(lines[:start]), "".join(lines[end:])


def render_scenario(into: Path, built: BuiltMap, spec_file: Path) -> str:
    """The scenario file's new text (not written yet)."""
    reference = Path(os.path.relpath(spec_file.resolve(), into.resolve().parent)).as_posix()
    block = map_block(built, reference)
    if not into.exists():
        return skeleton(into, built) + block
    try:
        text = into.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioFileError(f"{into}: cannot read it: {error}") from None
    before, after = _cut_map_block(text)  # may raise ScenarioFileError
    try:
        rest = YAML(typ="rt").load(before + "map: null\n" + after)
    except YAMLError as error:
        raise ScenarioFileError(
            f"{into}: not valid YAML, so the map cannot be written into it: {error}"
        ) from None
    if not isinstance(rest, CommentedMap) or rest.get("map", "missing") is not None:
        raise ScenarioFileError(
            f"{into}: a scenario file is a mapping with one top-level `map:` key at column 0"
        )
    return before + block + after

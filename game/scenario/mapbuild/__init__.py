"""The map builder: real geography (Natural Earth land, a GeoNames gazetteer) to scenario polygons.

`build_map(spec_file)` returns a `BuiltMap`; `render_scenario` writes it into a scenario file;
`build_map_command` is the `backchannel scenario build-map` command.  docs/map-spec.md
describes the spec format and how the division works.

Modules, in the order a build runs them: spec (the format) and yamlsource (lines for
errors), references (ids), gazetteer and anchors (points), landdata and projection (the
land on the canvas), partition (dividing it), topology and simplify (shared borders on
the grid), coasts (named coasts), build (the steps together), writer and command.
"""

from game.scenario.mapbuild.build import BuiltMap, build_map
from game.scenario.mapbuild.errors import MapSpecError, SpecProblem

__all__ = ["BuiltMap", "MapSpecError", "SpecProblem", "build_map"]

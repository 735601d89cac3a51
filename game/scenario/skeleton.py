"""Skeleton scenario files: the commented starting point a designer fills in.

Two commands write one: `backchannel scenario new ID` writes a small, complete scenario and
the map spec it is built from; `backchannel scenario build-map SPEC --into NEW.yaml` writes
the scenario around a freshly built map.  Both take their text from here, so a new field
is explained in one place.  Every field written carries a comment saying what it means and
which values it takes; the file validates and plays as written, and the designer replaces
the placeholders (marked TODO).  State colours come from the 30 colour-blind-safe
`DEFAULT_STATE_COLOURS`, so a skeleton of up to 30 states never repeats one.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from game.rules.scenario import SCENARIO_FORMAT
from game.scenario.atomic_write import write_atomically

SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
SCENARIO_ID_RULE = (
    "a scenario id is 1 to 64 lower-case letters, digits and hyphens, starting with a letter or digit "
    "(e.g. baltic-1864)"
)
COMMENT_COLUMN = 40


@dataclass
class StateDraft:
    """What a skeleton says about one state; the rest are placeholders."""

    id: str
    name: str
    adjective: str = ""
    regime: str = "other"
    units: list[tuple[str, str]] = field(default_factory=list)
    """(army or fleet, location)."""
    hold: list[str] = field(default_factory=list)
    """Territories a `hold` objective names; none: no such objective."""
    briefing: str = ""


def _line(indent: int, text: str, comment: str) -> str:
    """`text` at `indent`, then its comment, aligned when there is room."""
    body = " " * indent + text
    pad = max(1, COMMENT_COLUMN - len(body))
    return f"{body}{' ' * pad}# {comment}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _state_lines(state: StateDraft, colour: str, first: bool) -> list[str]:
    units = state.units
    lines = [
        _line(
            2, f"- id: {state.id}", "state id: a lower-case letter, then letters, digits or _ (32 at most)"
        ),
        _line(4, f"name: {_quote(state.name)}", "shown to players, e.g. France"),
        _line(4, f"adjective: {_quote(state.adjective)}", "e.g. French; used in reports"),
        _line(
            4,
            f'colour: "{colour}"',
            "#rrggbb, quoted (# starts a comment); one of 30 colour-blind-safe colours",
        ),
        _line(
            4,
            f"regime: {state.regime}",
            "democracy, constitutional_monarchy, autocracy, theocracy, junta or other: how leaks hurt it"
            if first
            else "democracy, constitutional_monarchy, autocracy, theocracy, junta or other",
        ),
        _line(4, "legitimacy: 60", "domestic support at the start, 0 to 100"),
        _line(
            4,
            "legitimacy_threshold: 20",
            "below this (0 to 100) the government falls; its secret deals lapse",
        ),
        _line(4, "treasury: 0", "money at the start (0 or more): pays for intelligence, propaganda, tribute"),
        _line(4, "playable: true", "true: a person may take it; false: a minor state for bots or the umpire"),
        _line(4, "controller: player", "who plays it by default: player, bot or none (its units hold)"),
    ]
    if units:
        lines.append(_line(4, "units:", "on the board at the start, one per territory"))
        for kind, at in units:
            lines.append(
                _line(
                    6,
                    f"- {{type: {kind}, at: {at}}}",
                    "type: army or fleet; at: territory id (or territory/coast)",
                )
            )
    else:
        lines.append(
            _line(4, "units: []", "on the board at the start: - {type: army or fleet, at: territory id}")
        )
    lines.append(
        _line(
            4,
            "objectives:",
            "scored at the end; kinds: hold, supply, survive, deny, keep_secret, obtain_agreement, legitimacy, "
            "prevent_war",
        )
    )
    if state.hold:
        territories = ", ".join(state.hold)
        lines.append(_line(6, "- kind: hold", "hold these territories at the end"))
        lines.append(_line(8, f"territories: [{territories}]", "territory ids"))
        lines.append(_line(8, "points: 2", "points for each one held (0 to 100)"))
        lines.append(
            _line(
                8,
                f"description: {_quote('TODO: the aim in the state' + chr(39) + 's words')}",
                "shown to the state",
            )
        )
    lines.append(_line(6, "- kind: survive", "still hold at least one home territory at the end"))
    lines.append(_line(8, "points: 3", "points if met (0 to 100)"))
    briefing = state.briefing or f"TODO: {state.name}'s situation and aims, read only by its players."
    lines.append(_line(4, f"briefing: {_quote(briefing)}", "the state's own briefing"))
    return lines


def scenario_text(
    scenario_id: str,
    states: list[StateDraft],
    *,
    title: str = "TODO: the title players see",
    start_year: int = 1900,
    made_by: str = "backchannel scenario new",
) -> str:
    """Everything of a skeleton scenario but its `map:` block, every field commented."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # the palette's package draws with pygame
    from game.render.palette import default_state_colours

    colours = default_state_colours(len(states))
    lines = [
        f"# A Backchannel scenario, started by `{made_by}`. Fill in every TODO.",
        "# Every field is explained beside it; docs/scenario-format.md is the full reference.",
        f"# Check it:   backchannel scenario validate {scenario_id}.yaml",
        f"# Watch it:   backchannel scenario preview {scenario_id}.yaml --out {scenario_id}.png --watch",
        f"# Play it:    backchannel play --scenario {scenario_id}.yaml",
        _line(0, f"format: {SCENARIO_FORMAT}", "the file format and its version: always this"),
        _line(0, f"id: {scenario_id}", "1-64 lower-case letters, digits, hyphens; name the file after it"),
        _line(0, f"title: {_quote(title)}", "shown to players, up to 120 characters"),
        _line(0, "briefing: >-", "read by everyone before play (up to 8000 characters)"),
        "  TODO: the situation at the start, in a few sentences: who wants what, and what is secret.",
        _line(0, "history: >-", "what really happened, shown in the debrief (up to 8000 characters)"),
        "  TODO: what happened in history, to compare with the game.",
        _line(0, "sources:", "where the history comes from; each: title (required), author, year, url"),
        _line(
            2,
            f"- title: {_quote('Natural Earth and GeoNames (the map)')}",
            "title of a book, article or archive",
        ),
        _line(4, 'author: ""', "author or editor"),
        _line(4, "year: null", "year of publication, or null"),
        _line(4, f"url: {_quote('https://www.naturalearthdata.com/')}", "where to find it online, or empty"),
        _line(0, "calendar:", "turns and years"),
        _line(2, f"start_year: {start_year}", "TODO: the year of the first turn"),
        _line(
            2, "seasons: [spring, autumn]", "movement turns of one year, in order; adjustments after the last"
        ),
        _line(
            2, f"end_year: {start_year + 5}", "the game ends after this year's adjustments; null: no limit"
        ),
        _line(0, "victory:", "how the game is won outright"),
        _line(2, "supply_fraction: 0.5", "more than this share (above 0, at most 1) of all supply wins"),
        _line(2, f"description: {_quote('TODO: what victory means here')}", "shown to players"),
        _line(0, "states:", "every state, playable or not (2-12 players; up to 30 states)"),
    ]
    for index, state in enumerate(states):
        lines.extend(_state_lines(state, colours[index], index == 0))
    lines += [
        _line(0, "agreements: []", "agreements in force at the start, public or secret; for example:"),
        "#  - id: secret_pact                  # used by objectives, e.g. keep_secret",
        "#    title: The Secret Pact           # its name",
        "#    parties: [aaa, bbb]              # the states bound by it",
        "#    visibility: secret               # public or secret",
        "#    clauses: [{kind: non_aggression}]  # non_aggression, mutual_defence, support_promise, cession,",
        "#                                     # demilitarised_zone, spheres_of_influence, neutrality, tribute,",
        "#                                     # intelligence_sharing, free_text",
        _line(0, "relations: []", "starting trust (0-100) between pairs: - {between: [aaa, bbb], trust: 30}"),
        _line(0, "injects: []", "prepared events the umpire releases, or that come at a turn; for example:"),
        "#  - id: ultimatum                    # the umpire releases it by this id",
        "#    turn: 2                          # comes by itself at the start of movement turn 2 (leave out: umpire only)",
        "#    title: An ultimatum              # its headline",
        "#    text: ...                        # what the card says",
        "#    audience: all                    # all, or a list of states told it",
        "#    effects: [{kind: legitimacy, state: aaa, delta: -5}]  # legitimacy, treasury, place_unit,",
        "#                                     # remove_unit, reveal_agreement",
        "# rules:                              # the constants of leaks, intelligence and consequences; leave out for",
        "#                                     # the defaults (docs/scenario-format.md, RuleConstants)",
        *MAP_SECTION_NOTES,
    ]
    return "\n".join(lines) + "\n"


MAP_SECTION_NOTES: tuple[str, ...] = (
    "#",
    "# map: written by `backchannel scenario build-map` from the map spec; edit the spec and rebuild.",
    "#   width, height    the canvas in scenario units (x to the right, y down)",
    "#   projection       how longitude and latitude became the canvas (for reference only)",
    "#   territories      each: id (used in orders), name, kind (land, sea or coast), supply (true or",
    "#                    false), value (0-100: income and score weight), home and holder (state ids),",
    "#                    label (where the name is drawn), coasts (named coasts of a territory on two",
    "#                    seas), polygons (outline rings 'x,y x,y ...'; shared borders share points),",
    "#                    holes (lakes, enclaves)",
    "#   add_links        links the polygons do not give (straits, passes): between, units (army, fleet)",
    "#   remove_links     links the polygons give that should not exist",
)
"""The map block is generated without comments, so its fields are explained just above it."""


def states_from_map(territories: list[tuple[str, str, str | None, str | None, bool]]) -> list[StateDraft]:
    """Placeholder states for a built map: one per state named as a holder or home.

    `territories` are (id, kind, holder, home, supply).  Each state gets an army in each
    home territory it holds (a home is where it builds) and a `hold` objective on them.
    """
    ids = sorted({s for _, _, holder, home, _ in territories for s in (holder, home) if s is not None})
    drafts = []
    for state_id in ids or ["todo"]:
        homes = [
            t
            for t, kind, holder, home, supply in territories
            if home == state_id and holder == state_id and kind != "sea"
        ]
        drafts.append(
            StateDraft(
                id=state_id,
                name=f"TODO {state_id}",
                units=[("army", t) for t in homes],
                hold=homes[:1],
            )
        )
    return drafts


# ---------------------------------------------------------------- `scenario new`

NEW_STATES: tuple[StateDraft, ...] = (
    StateDraft(
        id="dan",
        name="Denmark",
        adjective="Danish",
        regime="constitutional_monarchy",
        units=[("fleet", "cph"), ("army", "jut")],
        hold=["cph", "sca"],
        briefing="TODO: Denmark holds both shores of the Sound and fears its neighbours will share them.",
    ),
    StateDraft(
        id="swe",
        name="Sweden",
        adjective="Swedish",
        regime="democracy",
        units=[("army", "sca"), ("fleet", "got")],
        hold=["sca", "nwy"],
        briefing="TODO: Sweden wants Scania safe and Norway friendly.",
    ),
    StateDraft(
        id="ger",
        name="Germany",
        adjective="German",
        regime="autocracy",
        units=[("fleet", "kie"), ("army", "ber")],
        hold=["kie", "jut"],
        briefing="TODO: Germany wants the way out of the Baltic open.",
    ),
)

NEW_SPEC = """\
# The map spec of {id}: where each territory is. `backchannel scenario build-map` divides the
# real land and sea among the anchors below and writes the polygons into the scenario's map:
#   backchannel scenario build-map maps/{id}.yaml --into {id}.yaml
# Every field is explained beside it; docs/map-spec.md is the full reference.
format: backchannel-mapspec/1           # the file format and its version: always this
region:                                 # the part of the world in play
  bounds: [7.0, 52.0, 16.5, 59.0]       # [west, south, east, north] in degrees of longitude and latitude
  projection: lambert_conformal_conic   # lambert_conformal_conic (mid-latitudes), equirectangular,
                                        # mercator or miller (world-wide)
  width: 600                            # canvas width in scenario units (up to 20000); the height follows
  # central_meridian: 11.75             # the longitude drawn vertical; default: the middle of the bounds
  # standard_parallels: [54, 58.5]      # conic only: latitudes drawn true; default: 1/6 in from each edge
land: natural-earth-110m                # coastlines: natural-earth-50m (detailed) or natural-earth-110m (coarse)
points_per_territory: 40                # simplification budget: points per territory on average (8-5000)
min_island_km2: 300                     # smaller islands without an anchor become sea (km², 0 or more)
anchor_snap_km: 30                      # an anchor this close to the right side of a coast is moved onto it
territories:                            # every territory, land and sea, in the order written to the scenario
  - id: cph                             # id used in orders: a lower-case letter, then letters, digits, _
    name: Copenhagen                    # display name, 1-60 characters
    kind: land                          # land or sea; land touching a sea becomes coast by itself
    holder: dan                         # the state holding it at the start (a state id), or leave out
    home: dan                           # the state that builds here, or leave out
    supply: true                        # a supply territory: each one held supports a unit
    value: 2                            # yearly income and score weight, 0-100 (default: 1 if supply, else 0)
    anchors:                            # where it is: cities of the gazetteer or [longitude, latitude] points
      - {{city: Copenhagen, country: DK}} # city: today's or a historical name; country: today's ISO code
    coasts: []                          # named coasts, for land on two separate seas:
                                        # - {{id: nc, name: north coast, seas: [sea ids]}}
  - {{id: jut, name: Jutland, kind: land, holder: dan, home: dan, supply: true, anchors: [{{city: Aarhus, country: DK}}]}}
  - {{id: sca, name: Scania, kind: land, holder: swe, home: swe, supply: true, anchors: [{{city: Malmö, country: SE}}]}}
  - {{id: got, name: Gothenburg, kind: land, holder: swe, home: swe, supply: true, anchors: [{{city: Gothenburg, country: SE}}]}}
  - {{id: nwy, name: Norway, kind: land, supply: true, anchors: [{{city: Kristiansand, country: NO}}]}}
  - {{id: kie, name: Kiel, kind: land, holder: ger, home: ger, supply: true, anchors: [{{city: Kiel, country: DE}}, {{city: Hamburg, country: DE}}]}}
  - {{id: ber, name: Berlin, kind: land, holder: ger, home: ger, supply: true, anchors: [{{city: Berlin, country: DE}}]}}
  - {{id: nth, name: North Sea, kind: sea, anchors: [{{lonlat: [7.5, 56.5]}}]}}
  - {{id: ska, name: Skagerrak, kind: sea, anchors: [{{lonlat: [9.5, 57.9]}}]}}
  - {{id: kat, name: Kattegat, kind: sea, anchors: [{{lonlat: [11.6, 56.9]}}]}}
  - {{id: hel, name: Heligoland Bight, kind: sea, anchors: [{{lonlat: [7.9, 54.2]}}]}}
  - {{id: bal, name: Baltic Sea, kind: sea, anchors: [{{lonlat: [14.5, 55.0]}}]}}
borders: []                             # lines that override the division between two territories:
                                        # - {{between: [a, b], line: [[lon, lat], [lon, lat], ...]}}
links:                                  # links copied into the scenario's add_links and remove_links
  add:                                  # links to add: a strait, a ferry, a pass
    - between: [cph, sca]               # two territory ids (or territory/coast)
      units: [army]                     # army, fleet or both: armies cross the Sound
  remove: []                            # links the polygons give that should not exist
"""


def new_scenario_files(scenario_id: str) -> tuple[str, str]:
    """(scenario text, map spec text) of `scenario new`: built, so the scenario holds its map."""
    from game.scenario.mapbuild.build import build_map
    from game.scenario.mapbuild.map_block import map_block

    spec_text = NEW_SPEC.format(id=scenario_id)
    with tempfile.TemporaryDirectory() as folder:
        spec_file = Path(folder) / f"{scenario_id}.yaml"
        spec_file.write_text(spec_text, encoding="utf-8")
        built = build_map(spec_file)
    head = scenario_text(
        scenario_id,
        list(NEW_STATES),
        title="TODO: the title players see",
        start_year=1864,
        made_by=f"backchannel scenario new {scenario_id}",
    )
    return head + map_block(built, f"maps/{scenario_id}.yaml"), spec_text


def new_scenario_command(scenario_id: str, into: Path) -> int:
    """`backchannel scenario new ID [--into DIR]`: write DIR/ID.yaml and DIR/maps/ID.yaml, or nothing."""
    from game.scenario.mapbuild.errors import MapSpecError

    if not SCENARIO_ID.fullmatch(scenario_id):
        print(f"error: {scenario_id!r} is not a scenario id: {SCENARIO_ID_RULE}", file=sys.stderr)
        return 1
    scenario_file = into / f"{scenario_id}.yaml"
    spec_file = into / "maps" / f"{scenario_id}.yaml"
    for path in (scenario_file, spec_file):
        if path.exists():
            print(f"error: {path} already exists; `scenario new` never overwrites a file", file=sys.stderr)
            return 1
    try:
        scenario, spec = new_scenario_files(scenario_id)
    except MapSpecError as error:  # the bundled spec failed to build: a bug, said plainly
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    try:
        write_atomically(spec_file, spec)
        write_atomically(scenario_file, scenario)
    except OSError as error:
        print(f"error: cannot write into {into}: {error}", file=sys.stderr)
        return 1
    print(f"wrote {scenario_file} and {spec_file}")
    print(f"next: edit both, then `backchannel scenario build-map {spec_file} --into {scenario_file}`")
    return 0

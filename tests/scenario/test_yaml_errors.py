"""Bad input in scenario files and map specs: one clear error per mistake, at its line, all at once.

Both kinds of file go through one hardened YAML reader (game/scenario/yaml_source.py), so
each YAML mistake is tested in both.  A map spec also gets the scenario file's other
safeguards: a size cap, strict booleans, every problem in one run, a JSON Schema.  Nothing
here builds a map's geometry: every test is fast.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from game.cli import app
from game.scenario.loader import read_scenario_text
from game.scenario.mapbuild.check import check_spec, read_spec
from game.scenario.mapbuild.command import build_map_command
from game.scenario.mapbuild.yamlsource import MAX_BYTES as SPEC_MAX_BYTES
from game.scenario.schema import mapspec_schema_text

REPO = Path(__file__).resolve().parents[2]
TINY_TEXT = (REPO / "tests" / "fixtures" / "scenarios" / "tiny.yaml").read_text(encoding="utf-8")
IBERIA_TEXT = (REPO / "tests" / "fixtures" / "mapbuild" / "iberia.yaml").read_text(encoding="utf-8")


def replaced(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def line_of(text: str, snippet: str) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), 1) if snippet in line]
    assert len(hits) == 1, f"{snippet!r} is on lines {hits}"
    return hits[0]


def scenario_problems(text: str) -> list[str]:
    return [str(p) for p in read_scenario_text(text, "s.yaml").problems]


def spec_problems(tmp_path: Path, text: str) -> list[str]:
    file = tmp_path / "spec.yaml"
    file.write_text(text, encoding="utf-8")
    return [str(p).replace(str(file), "spec.yaml") for p in check_spec(file).problems]


# -- YAML mistakes, in plain words at the line of the mistake, in both kinds of file ---------------

# (mistake in the scenario, mistake in the spec, what the message says); the last line of each
# mistake's new text is the line the error must name.
MISTAKES = [
    pytest.param(
        ("  start_year: 1900", "\tstart_year: 1900"),
        ("  width: 600", "\twidth: 600"),
        "a tab: YAML indents with spaces only; use spaces, not tabs",
        id="tab",
    ),
    pytest.param(
        ("  seasons: [spring, autumn]", "   seasons: [spring, autumn]"),
        ("  width: 600", "   width: 600"),
        "bad indentation: `",
        id="over-indented key",
    ),
    pytest.param(
        ("  seasons: [spring, autumn]", " seasons: [spring, autumn]"),
        ("  width: 600", " width: 600"),
        "bad indentation: `",
        id="under-indented key",
    ),
    pytest.param(
        ("    adjective: Westrian", "     adjective: Westrian"),
        ("    name: Spain", "     name: Spain"),
        "bad indentation: `",
        id="over-indented key of a list item",
    ),
    pytest.param(
        ("    adjective: Westrian", "  adjective: Westrian"),
        ("    holder: esp", "  holder: esp"),
        "bad indentation: `",
        id="key lined up with the dash",
    ),
    pytest.param(
        ("title: The Isthmus", "title: The Isthmus: a crisis"),
        ("    name: Spain", "    name: Spain: the kingdom"),
        "holds a colon and a space (`: `), which YAML reads as another key; put the text in quotes",
        id="colon in a value",
    ),
    pytest.param(
        ("{id: wc, name: west coast,", "{id: wc, name: west: coast,"),
        ("{id: nc, name: north coast,", "{id: nc, name: north: coast,"),
        "starts another key here; put the text in quotes",
        id="colon in a flow mapping",
    ),
    pytest.param(
        ("title: The Isthmus", "title:The Isthmus"),
        ("land: natural-earth-110m", "land:natural-earth-110m"),
        "put a space after the colon",
        id="no space after a colon",
    ),
    pytest.param(
        ("  seasons: [spring, autumn]", "  seasons: [spring, autumn"),
        ("  bounds: [-10.0, 36.0, 7.0, 52.0]", "  bounds: [-10.0, 36.0, 7.0, 52.0"),
        "this [ is never closed",
        id="unclosed bracket",
    ),
    pytest.param(
        ("title: The Isthmus", 'title: "The Isthmus'),
        ("land: natural-earth-110m", 'land: "natural-earth-110m'),
        'this quote (") is never closed',
        id="unclosed quote",
    ),
]


@pytest.mark.parametrize(("scenario_mistake", "spec_mistake", "says"), MISTAKES)
def test_a_yaml_mistake_is_told_plainly_at_its_line(
    tmp_path: Path, scenario_mistake: tuple[str, str], spec_mistake: tuple[str, str], says: str
) -> None:
    scenario = replaced(TINY_TEXT, scenario_mistake)
    spec = replaced(IBERIA_TEXT, spec_mistake)
    for text, mistake, problems in (
        (scenario, scenario_mistake[1], scenario_problems(scenario)),
        (spec, spec_mistake[1], spec_problems(tmp_path, spec)),
    ):
        assert problems, text
        assert says in problems[0], problems
        assert problems[0].split(":")[1] == str(line_of(text, mistake)), problems
        assert "parsing" not in problems[0] and "<block" not in problems[0]  # no parser jargon


def test_a_hash_starts_a_comment_and_the_error_says_so(tmp_path: Path) -> None:
    text = replaced(TINY_TEXT, ('colour: "#d55e00"', "colour: #d55e00"))
    [problem] = [p for p in scenario_problems(text) if "states[1].colour" in p]
    assert problem == (
        f"s.yaml:{line_of(text, 'colour: #d55e00')}: states[1].colour: must be text, not empty "
        '(`#` starts a comment, so `colour:` is empty here; put the text in quotes: colour: "#d55e00")'
    )
    spec = replaced(IBERIA_TEXT, ("    name: Spain", "    name: #Spain"))
    [problem] = spec_problems(tmp_path, spec)
    assert problem.startswith(f"spec.yaml:{line_of(spec, 'name: #Spain')}: territories[1].name: must be text")
    assert 'put the text in quotes: name: "#Spain"' in problem


def test_a_tab_gets_one_error_per_tabbed_line(tmp_path: Path) -> None:
    spec = replaced(IBERIA_TEXT, ("  width: 600", "\twidth: 600"), ("  add: [", "\tadd: ["))
    problems = spec_problems(tmp_path, spec)
    assert [p.split(":")[1] for p in problems] == [
        str(line_of(spec, "width: 600")),
        str(line_of(spec, "add: [")),
    ]
    assert all("use spaces, not tabs" in p for p in problems)


def billion_laughs() -> str:
    return "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)
    )


def test_an_alias_bomb_is_one_line_in_both(tmp_path: Path) -> None:
    [problem] = scenario_problems(billion_laughs())
    assert "anchors and aliases are not allowed: scenario files may not use them" in problem
    [problem] = spec_problems(tmp_path, billion_laughs())
    assert "anchors and aliases are not allowed: map specs may not use them" in problem
    assert problem.startswith("spec.yaml:1: ")


def test_an_alias_as_a_key_is_refused_without_a_crash() -> None:
    [problem] = scenario_problems("a: &x 1\n*x : 2\nb: 3\n")
    assert "anchors and aliases are not allowed" in problem and "*x on line 2" in problem


# -- the map spec gets the scenario file's safeguards -------------------------------------------------


def test_an_oversized_spec_is_refused_at_once_with_its_size_and_the_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:  # sparse: refused from its size, before it is read
        f.truncate(53 * 1024 * 1024)
    started = time.perf_counter()
    [problem] = check_spec(big).problems
    assert time.perf_counter() - started < 1
    assert str(problem) == (
        f"{big}: the file is 53.0 MiB ({53 * 1024 * 1024} bytes); map specs may be at most 1.0 MiB "
        f"({SPEC_MAX_BYTES} bytes)"
    )


@pytest.mark.parametrize(
    ("word", "meant"), [("yes", "true"), ("on", "true"), ("no", "false"), ("Yes", "true")]
)
def test_a_spec_boolean_is_true_or_false_only(tmp_path: Path, word: str, meant: str) -> None:
    spec = replaced(
        IBERIA_TEXT,
        (
            "    supply: true\n    anchors: [{city: Madrid",
            f"    supply: {word}\n    anchors: [{{city: Madrid",
        ),
    )
    [problem] = spec_problems(tmp_path, spec)
    assert problem == (
        f"spec.yaml:{line_of(spec, f'supply: {word}')}: territories[1].supply: must be true or false, "
        f"not {word!r}; only true and false are booleans here (YAML 1.2): write {meant}"
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            IBERIA_TEXT.replace(
                "land: natural-earth-110m", "land: natural-earth-110m\nland: natural-earth-50m"
            ),
            "duplicate key 'land': it is already set on line",
        ),
        (IBERIA_TEXT + "---\nformat: x\n", "a map spec holds one YAML document; remove the second `---`"),
        (
            IBERIA_TEXT.replace("width: 600", "width: !!python/object:os.system 600"),
            "the tag !!python/object:os.system is not allowed",
        ),
        ("", "the file is empty; a map spec starts with `format: backchannel-mapspec/1`"),
        ("- a\n- b\n", "a map spec is a mapping of fields"),
    ],
)
def test_the_spec_reader_refuses_what_the_scenario_reader_refuses(
    tmp_path: Path, text: str, says: str
) -> None:
    problems = spec_problems(tmp_path, text)
    assert any(says in p for p in problems), problems


def test_a_spec_that_is_not_utf8(tmp_path: Path) -> None:
    file = tmp_path / "spec.yaml"
    file.write_bytes(IBERIA_TEXT.replace("Gascony", "Gascogne").encode("utf-8") + b"# Fran\xe7ais\n")
    [problem] = read_spec(file).problems
    assert "not UTF-8" in problem.message and problem.line == IBERIA_TEXT.count("\n") + 1


SEVEN_MISTAKES = [
    ("    supply: true\n    anchors: [{city: Madrid", "    supply: yes\n    anchors: [{city: Madrid"),
    ("{id: gas, name: Gascony, kind: land", "{id: gas, name: Gascony, kind: hill"),
    ("{city: Paris, country: FR}", "{city: Pariss, country: FR}"),
    ("{id: bre, name: Brest", "{id: par, name: Brest"),
    ("seas: [wes, lyo]", "seas: [wes, lyon]"),
    ("points_per_territory: 40", "points_per_territory: 40\ncolour: red"),
    ("{id: naf, name: North Africa, kind: land,", "{id: naf, name: North Africa, kind: land, holder: Fra,"),
]


def test_seven_mistakes_in_a_spec_are_reported_in_one_run(tmp_path: Path) -> None:
    spec = replaced(IBERIA_TEXT, *SEVEN_MISTAKES)
    problems = spec_problems(tmp_path, spec)
    assert problems == [
        f"spec.yaml:{line_of(spec, 'colour: red')}: colour: unknown field 'colour'; valid fields: format, region, "
        "land, points_per_territory, min_island_km2, anchor_snap_km, territories, borders, links",
        f"spec.yaml:{line_of(spec, 'supply: yes')}: territories[1].supply: must be true or false, not 'yes'; "
        "only true and false are booleans here (YAML 1.2): write true",
        f"spec.yaml:{line_of(spec, 'lyon')}: territories[1].coasts[1].seas[1]: unknown sea 'lyon'; did you mean lyo?",
        f"spec.yaml:{line_of(spec, 'kind: hill')}: territories[2].kind: must be one of land, sea, not 'hill'",
        f"spec.yaml:{line_of(spec, 'Pariss')}: territories[4].anchors[0].city: unknown city 'Pariss' in FR; "
        "did you mean Paris?",
        f"spec.yaml:{line_of(spec, 'name: Brest')}: territories[5].id: duplicate territory id 'par': territories[4] "
        f"(line {line_of(spec, 'Pariss')}) already has it",
        f"spec.yaml:{line_of(spec, 'holder: Fra')}: territories[7].holder: must be a short lower-case id (a letter, "
        "then up to 31 letters, digits or _), not 'Fra'; did you mean 'fra'?",
    ]


def test_unknown_cities_stop_being_looked_up_after_a_few(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each unknown city costs a search for close names: a spec of thousands cannot hang the check."""
    from game.scenario.mapbuild import check

    monkeypatch.setattr(check, "MAX_UNKNOWN_CITIES", 3)
    spec = IBERIA_TEXT
    for city in ("Lisbon", "Madrid", "Bordeaux", "Marseille", "Paris", "Brest", "Dijon"):
        spec = spec.replace(f"city: {city},", f"city: Zz{city},")
    problems = spec_problems(tmp_path, spec)
    assert sum("unknown city" in p for p in problems) == 3
    assert (
        problems[0]
        == "spec.yaml: 6 more city anchors not looked up after 3 unknown cities; fix these and run again"
    )


def test_build_map_reports_every_problem_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(replaced(IBERIA_TEXT, *SEVEN_MISTAKES), encoding="utf-8")
    into = tmp_path / "scenario.yaml"
    assert build_map_command(spec, into) == 1
    err = capsys.readouterr().err
    assert err.count(f"{spec}:") == 7 and err.endswith(f"7 problems; {into} was not written.\n")
    assert "Traceback" not in err and not into.exists()


def test_echoes_of_a_broken_territory_are_not_reported(tmp_path: Path) -> None:
    # `spa` is left out for its bad kind: the border and the link naming it say nothing more.
    spec = replaced(IBERIA_TEXT, ("    name: Spain\n    kind: land", "    name: Spain\n    kind: lnd"))
    [problem] = spec_problems(tmp_path, spec)
    assert problem.endswith("territories[1].kind: must be one of land, sea, not 'lnd'; did you mean 'land'?")


def test_a_duplicate_id_names_the_first_item_as_numbered_in_the_file(tmp_path: Path) -> None:
    # territories[0] is broken and left out: the duplicate still names territories[3], not [2].
    spec = replaced(
        IBERIA_TEXT,
        ("{id: por, name: Portugal, kind: land", "{id: por, name: Portugal, kind: lnd"),
        ("{id: par, name: Paris", "{id: mar, name: Paris"),
    )
    problems = spec_problems(tmp_path, spec)
    assert problems[1] == (
        f"spec.yaml:{line_of(spec, 'name: Paris')}: territories[4].id: duplicate territory id 'mar': "
        f"territories[3] (line {line_of(spec, 'name: Marseilles')}) already has it"
    )
    # The scenario loader too: its checks run on the salvaged scenario, whose lists are shorter.
    text = replaced(
        TINY_TEXT,
        ("kind: sea\n      polygons: [[[0, 0]", "kind: see\n      polygons: [[[0, 0]"),
        ("- id: wco", "- id: ist"),
    )
    [problem] = [p for p in scenario_problems(text) if "duplicate" in p]
    assert problem.endswith(
        ": map.territories[3].id: duplicate territory id 'ist': map.territories[1] already has it"
    )


def test_a_model_rule_naming_a_field_is_reported_at_that_field(tmp_path: Path) -> None:
    spec = replaced(
        IBERIA_TEXT,
        (
            "  - {id: eng, name: English Channel, kind: sea, anchors: [{lonlat: [-2.0, 49.8]}]}",
            "  - id: eng\n    holder: eng\n    name: English Channel\n    kind: sea\n    anchors: [{lonlat: [-2.0, 49.8]}]",
        ),
    )
    problems = [p for p in spec_problems(tmp_path, spec) if "held" in p]
    assert problems == [
        f"spec.yaml:{line_of(spec, '    holder: eng')}: territories[10].holder: a sea territory cannot be held by a state"
    ]


def test_holders_and_homes_must_be_states_of_the_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(IBERIA_TEXT, encoding="utf-8")
    into = tmp_path / "scenario.yaml"
    original = "states:\n  - {id: fra, name: France, colour: '#0072b2'}\n  - {id: esp, name: Spain, colour: '#e69f00'}\n"
    into.write_text(original, encoding="utf-8")
    assert build_map_command(spec, into) == 1
    err = capsys.readouterr().err
    assert f"{spec}:{line_of(IBERIA_TEXT, 'holder: eng')}: territories[8].holder: unknown state 'eng'" in err
    assert f"{spec}:{line_of(IBERIA_TEXT, 'holder: eng')}: territories[8].home: unknown state 'eng'" in err
    assert into.read_text(encoding="utf-8") == original


def test_into_a_folder_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(IBERIA_TEXT, encoding="utf-8")
    into = tmp_path / "no" / "such" / "scenario.yaml"
    assert build_map_command(spec, into) == 1
    err = capsys.readouterr().err
    assert f"{into}: the folder {into.parent} does not exist; create it first" in err
    assert not (tmp_path / "no").exists()
    assert build_map_command(spec, tmp_path) == 1  # a folder, not a file
    assert "this is a folder; --into names the scenario file" in capsys.readouterr().err


# -- the scenario loader: each problem at its field's line ---------------------------------------------


@pytest.mark.parametrize(
    ("replacements", "expected"),
    [
        (
            [
                ("states:\n", "states:\n  - {id: bad, name: B, colour: red}\n"),
                ("- id: east", "- id: west"),
            ],
            "states[2].id: duplicate state id 'west': states[1] already has it",
        ),
        (
            [
                (
                    "        - {id: wc, name: west coast, neighbours: [wes, wco]}",
                    "        - {id: 9x, name: bad, neighbours: [wes]}\n"
                    "        - {id: wc, name: west coast, neighbours: [wes, wco]}\n"
                    "        - {id: wc, name: again, neighbours: [wes]}",
                )
            ],
            "map.territories[1].coasts[2].id: duplicate coast id 'wc' in 'ist': coasts[1] has it",
        ),
        (
            [
                (
                    "      - {type: army, at: wco}",
                    "      - {type: tank, at: wco}\n      - {type: army, at: wco}",
                ),
                ("      - {type: fleet, at: eco}", "      - {type: army, at: wco}"),
            ],
            "states[1].units[0].at: two units in 'wco': states[0].units[1] is there too",
        ),
        (
            [
                ("kind: sea\n      polygons: [[[0, 0]", "kind: see\n      polygons: [[[0, 0]"),
                ("- id: wco", "- id: ist"),
            ],
            "map.territories[3].id: duplicate territory id 'ist': map.territories[1] already has it",
        ),
    ],
)
def test_an_item_a_message_names_is_numbered_as_in_the_file(
    replacements: list[tuple[str, str]], expected: str
) -> None:
    """An earlier item is broken, so the checks run without it; the message still names the right one."""
    problems = scenario_problems(replaced(TINY_TEXT, *replacements))
    assert any(p.endswith(expected) for p in problems), problems


AGREEMENT = """agreements:
  - id: pact
    title: A pact
    parties: [west, east]
    visibility: public
    clauses:
      - {kind: non_aggression}
    annex:
      - kind: cession
        to: east
        territory: ixt
        by_turn: 2
      - kind: non_aggression
        between: [west, eastt]
"""


def test_an_annex_clause_error_is_at_the_clause_field_line() -> None:
    text = TINY_TEXT + AGREEMENT
    problems = [p for p in read_scenario_text(text, "s.yaml").problems if p.is_error]
    assert [(p.line, p.field_path, p.message) for p in problems] == [
        (
            line_of(text, "territory: ixt"),
            "agreements[0].annex[0].territory",
            "unknown territory 'ixt'; did you mean 'ist'?",
        ),
        (
            line_of(text, "[west, eastt]"),
            "agreements[0].annex[1].between[1]",
            "unknown state 'eastt'; did you mean 'east'?",
        ),
    ]


# -- the map spec's JSON Schema ------------------------------------------------------------------------


def test_the_committed_map_spec_schema_is_current() -> None:
    committed = (REPO / "scenarios" / "maps" / "mapspec.schema.json").read_text(encoding="utf-8")
    assert committed == mapspec_schema_text(), (
        "scenarios/maps/mapspec.schema.json is out of date; regenerate it with:\n"
        "    backchannel scenario schema --map > scenarios/maps/mapspec.schema.json"
    )


def test_schema_map_prints_the_map_spec_schema() -> None:
    result = CliRunner().invoke(app, ["scenario", "schema", "--map"])
    assert result.exit_code == 0
    assert result.output == mapspec_schema_text()
    assert '"title": "Backchannel map spec"' in result.output


def test_the_map_spec_schema_accepts_the_bundled_specs() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(mapspec_schema_text()))
    for spec in sorted((REPO / "scenarios" / "maps").glob("*.yaml")):
        validator.validate(YAML(typ="safe", pure=True).load(spec.read_text(encoding="utf-8")))

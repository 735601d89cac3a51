"""Scenario files: YAML reading, located errors, cross-reference checks, schema and commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from game.cli import app
from game.rules.checks import CheckProblem, check_scenario, format_path
from game.scenario import loader
from game.scenario.loader import (
    MAX_BYTES,
    Problem,
    ScenarioError,
    ScenarioNotFoundError,
    bundled_scenarios,
    find_scenario,
    load_scenario,
    load_scenario_text,
    read_scenario,
    read_scenario_text,
)
from game.scenario.schema import fields_markdown, schema_text

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"
TINY = FIXTURES / "tiny.yaml"
TINY_TEXT = TINY.read_text(encoding="utf-8")


def line_of(text: str, snippet: str, occurrence: int = 1) -> int:
    """The line (from 1) of the ``occurrence``-th line containing ``snippet``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if snippet in line]
    assert len(hits) >= occurrence, f"{snippet!r} is not in the text {occurrence} times"
    return hits[occurrence - 1]


def tiny_with(*replacements: tuple[str, str]) -> str:
    text = TINY_TEXT
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def problems_of(text: str, name: str = "t.yaml") -> list[Problem]:
    return read_scenario_text(text, name).problems


def at(problems: list[Problem], field_path: str) -> Problem:
    found = [p for p in problems if p.field_path == field_path]
    assert len(found) == 1, f"expected one problem at {field_path}, got: {[str(p) for p in problems]}"
    return found[0]


# -- a valid scenario ------------------------------------------------------------------------------


def test_tiny_scenario_loads_without_problems() -> None:
    result = read_scenario(TINY)
    assert result.problems == []
    scenario = load_scenario(TINY)
    assert scenario.id == "tiny-isthmus"
    assert [t.id for t in scenario.map.territories] == ["wes", "ist", "eas", "wco", "hin", "eco"]
    assert scenario.state("east").units[0].at == "eco"
    assert check_scenario(scenario) == []


def test_load_scenario_text_matches_the_file() -> None:
    assert load_scenario_text(TINY_TEXT, "upload.yaml") == load_scenario(TINY)


# -- YAML 1.2, safely ------------------------------------------------------------------------------


def test_norway_stays_a_string_and_only_true_false_are_booleans() -> None:
    text = tiny_with(
        ("name: Westria\n    adjective: Westrian", "name: NO\n    adjective: yes"),
        ("name: Eastria\n    adjective: Eastrian", "name: on\n    adjective: 1914-07-28"),
    )
    scenario = load_scenario_text(text)
    west, east = scenario.states
    assert (west.name, west.adjective, east.name, east.adjective) == ("NO", "yes", "on", "1914-07-28")
    assert scenario.map.territories[1].supply is True


def test_yes_is_not_a_boolean() -> None:
    text = tiny_with(("supply: true\n      value: 2", "supply: yes\n      value: 2"))
    problem = at(problems_of(text), "map.territories[1].supply")
    assert problem.message == (
        "must be true or false, not 'yes'; only true and false are booleans here (YAML 1.2): write true"
    )
    assert problem.line == line_of(text, "supply: yes")


def test_aliases_and_anchors_are_refused() -> None:
    path = FIXTURES / "alias.yaml"
    text = path.read_text(encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    [problem] = caught.value.problems  # one problem tells of every anchor and alias
    assert problem.line == line_of(text, "&t")
    assert problem.message == (
        "anchors and aliases are not allowed: scenario files may not use them "
        f"(&t on line {line_of(text, '&t')}, *t on line {line_of(text, '*t')}); write each value out in full"
    )
    assert isinstance(caught.value, ValueError)


def test_billion_laughs_is_refused_before_expansion() -> None:
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)
    )
    [problem] = problems_of(lol)  # one line, not one per alias
    assert problem.line == 1
    assert (
        "anchors and aliases are not allowed" in problem.message
        and "and 37 more up to line 21" in problem.message
    )


def test_an_oversized_file_is_refused_with_its_size_and_the_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:  # sparse: the loader must refuse it from its size, before reading it
        f.truncate(MAX_BYTES + 1)
    [problem] = read_scenario(big).problems
    assert problem.line is None
    assert "8.0 MiB" in problem.message and str(MAX_BYTES + 1) in problem.message
    assert str(MAX_BYTES) in problem.message
    with pytest.raises(ScenarioError, match=r"at most 8\.0 MiB"):
        load_scenario_text("a: " + "x" * MAX_BYTES)


def test_duplicate_keys_are_each_reported() -> None:
    text = tiny_with(
        ("title: The Isthmus", "title: The Isthmus\ntitle: Again"),
        ("  width: 300\n", "  width: 300\n  width: 200\n"),
    )
    problems = problems_of(text)
    assert [(p.line, p.field_path) for p in problems] == [
        (line_of(text, "title: Again"), "title"),
        (line_of(text, "width: 200"), "map.width"),
    ]
    assert (
        problems[0].message
        == f"duplicate key 'title': it is already set on line {line_of(text, 'title: The')}; keep one"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("briefing: Two", "briefing: !!binary aGk=\nhistory: Two", "the tag !!binary is not allowed"),
        ("briefing: Two", "briefing: !!python/object:os.system x\nhistory: Two", "the tag !!python/object"),
        ("briefing: Two", "briefing: !custom Two", "the tag !custom is not allowed"),
        ("id: tiny-isthmus", "<<: {id: tiny-isthmus}", "merge keys (<<) are not allowed"),
        ("format:", "%YAML 1.1\n---\nformat:", "%YAML 1.1 is not supported"),
        ("  seasons: [spring, autumn]", "  seasons: [spring, autumn", "this [ is never closed"),
    ],
)
def test_what_yaml_may_not_do(old: str, new: str, expected: str) -> None:
    problems = problems_of(tiny_with((old, new)))
    assert any(expected in p.message for p in problems), [str(p) for p in problems]


def test_more_than_one_document_is_refused() -> None:
    problems = problems_of(TINY_TEXT + "---\nformat: x\n")
    assert problems[0].message == "a scenario file holds one YAML document; remove the second `---`"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("# only a comment\n", "the file is empty"),
        ("- a\n- b\n", "a scenario is a mapping"),
    ],
)
def test_not_a_scenario_at_all(text: str, expected: str) -> None:
    [problem] = problems_of(text)
    assert problem.message.startswith(expected)


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"format: x\ntitle: Fran\xe7ais\n")
    [problem] = read_scenario(path).problems
    assert (problem.line, problem.column) == (2, 12)
    assert "not UTF-8" in problem.message


# -- every problem at once, at its line ------------------------------------------------------------


def test_several_model_problems_are_reported_at_once_with_lines_and_paths() -> None:
    path = FIXTURES / "broken-model.yaml"
    text = path.read_text(encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    got = [(p.line, p.field_path, p.message) for p in caught.value.problems]
    assert got == [
        (
            line_of(text, "regime: democrazy"),
            "states[0].regime",
            "must be one of democracy, constitutional_monarchy, autocracy, theocracy, junta, other, "
            "not 'democrazy'; did you mean 'democracy'?",
        ),
        # A cross-reference problem, found although the model failed elsewhere:
        (line_of(text, "at: wcoo"), "states[0].units[0].at", "unknown territory 'wcoo'; did you mean 'wco'?"),
        (line_of(text, "colour: red"), "states[1].colour", "colour must look like #1f77b4, not 'red'"),
        (
            line_of(text, "kind: hld"),
            "states[1].objectives[0].kind",
            "unknown kind 'hld'; must be one of hold, supply, survive, deny, keep_secret, obtain_agreement, legitimacy, prevent_war; did you mean 'hold'?",
        ),
        (
            line_of(text, "kind: see"),
            "map.territories[0].kind",
            "must be one of land, sea, coast, not 'see'; did you mean 'sea'?",
        ),
        (
            line_of(text, "suply: true"),
            "map.territories[1].suply",
            "unknown field 'suply'; did you mean 'supply'?",
        ),
        (
            line_of(text, "[[[0, 200], [100, 200]]]"),
            "map.territories[3].polygons[0]",
            "needs at least 3 items, has 2",
        ),
    ]
    # The link to the broken territory `wes` is not reported: that would only echo its error.
    assert not any("add_links" in p.field_path for p in caught.value.problems)


def test_error_text_is_one_file_line_field_message_per_problem() -> None:
    path = FIXTURES / "broken-model.yaml"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == len(caught.value.problems) == 7
    text = path.read_text(encoding="utf-8")
    assert (
        f"{path}:{line_of(text, 'at: wcoo')}: states[0].units[0].at: unknown territory 'wcoo'; did you mean 'wco'?"
        in lines
    )
    assert all(re.match(rf"^{re.escape(str(path))}:\d+: \S+: .+$", line) for line in lines)


def test_an_unknown_field_is_reported_at_its_line_with_the_valid_ones() -> None:
    text = tiny_with(("    regime: autocracy", "    regime: autocracy\n    capital: eco"))
    problem = at(problems_of(text), "states[1].capital")
    assert problem.line == line_of(text, "capital: eco")
    assert problem.message.startswith("unknown field 'capital'; valid fields: id, name, adjective, colour")


def test_a_missing_field_is_reported_at_its_parent() -> None:
    text = tiny_with(('    colour: "#d55e00"\n', ""))
    problem = at(problems_of(text), "states[1].colour")
    assert problem.message == "is required but missing"
    assert problem.line == line_of(text, "- id: east")


@pytest.mark.parametrize(
    ("old", "new", "field_path", "message"),
    [
        ("width: 300", "width: wide", "map.width", "must be a number, not 'wide'"),
        ("width: 300", "width: 0", "map.width", "must be greater than 0, not 0"),
        ("value: 2", "value: 2.5", "map.territories[1].value", "must be a whole number, not 2.5"),
        ("name: West Sea", "name: 12", "map.territories[0].name", "must be text, not 12 (put it in quotes)"),
        ("label: [50, 100]", "label: [50]", "map.territories[0].label[1]", "needs exactly 2 items, has 1"),
        ("home: west", "home: West", "map.territories[3].home", "did you mean 'west'?"),
        ("id: tiny-isthmus", "id: Tiny Isthmus", "id", "must be lower-case letters, digits and hyphens"),
        ("title: The Isthmus", "title: ''", "title", "must not be empty"),
        ("{kind: survive}", "{points: 2}", "states[1].objectives[1]", "needs a kind: one of hold, supply"),
        (
            "format: backchannel-scenario/1",
            "format: backchannel/2",
            "format",
            "must be backchannel-scenario/1",
        ),
    ],
)
def test_messages_say_what_would_be_valid(old: str, new: str, field_path: str, message: str) -> None:
    text = tiny_with((old, new))
    problem = at(problems_of(text), field_path)
    assert message in problem.message
    assert problem.line == line_of(text, new)  # the objective without a kind: the line of its item


def test_checks_still_run_when_a_whole_section_breaks_its_own_rule() -> None:
    text = tiny_with(("end_year: 1904", "end_year: 1800"), ("at: wco}", "at: wcx}"))
    problems = problems_of(text)
    assert [(p.field_path, p.message) for p in problems] == [
        ("calendar", "end_year 1800 is before start_year 1900"),
        ("states[0].units[0].at", "unknown territory 'wcx'; did you mean 'wco'?"),
    ]


# -- cross-reference checks --------------------------------------------------------------------------


def test_cross_reference_errors_with_their_lines() -> None:
    path = FIXTURES / "broken-refs.yaml"
    text = path.read_text(encoding="utf-8")
    result = read_scenario(path)
    assert result.scenario is None
    got = {(p.line, p.field_path, p.severity, p.message) for p in result.problems}
    expected = {
        (
            line_of(text, "states:") + 4,
            "states[0].units",
            "warning",
            "'west' starts with 4 units but holds 0 supply territories; it will have to disband at the first adjustment",
        ),
        (
            line_of(text, "at: wes}"),
            "states[0].units[0].at",
            "error",
            "an army cannot stand on 'wes': it is sea",
        ),
        (
            line_of(text, "fleet, at: hin}"),
            "states[0].units[1].at",
            "error",
            "a fleet cannot stand on 'hin': it is land",
        ),
        (
            line_of(text, "at: ist}"),
            "states[0].units[2].at",
            "error",
            "a fleet in 'ist' must name its coast: one of ist/wc, ist/ec",
        ),
        (
            line_of(text, "at: parsi}"),
            "states[0].units[3].at",
            "error",
            "unknown territory 'parsi'; territories are: hin, ist, wes",
        ),
        (
            line_of(text, "army, at: hin}"),
            "states[1].units[0].at",
            "error",
            "two units in 'hin': states[0].units[1] is there too",
        ),
        (
            line_of(text, "rival: eest"),
            "states[1].objectives[0].rival",
            "error",
            "unknown state 'eest'; did you mean 'west'?",
        ),
        (
            line_of(text, "home: wets"),
            "map.territories[1].home",
            "error",
            "unknown state 'wets'; did you mean 'west'?",
        ),
        (
            line_of(text, "neighbours: [wes, hin]"),
            "map.territories[1].coasts[0].neighbours[1]",
            "error",
            "'hin' is land: a fleet on a coast can only reach sea or coast",
        ),
        (
            line_of(text, "neighbours: [eas]"),
            "map.territories[1].coasts[1].neighbours[0]",
            "error",
            "unknown territory 'eas'; did you mean 'wes'?",
        ),
        (
            line_of(text, "label: [10, 10]"),
            "map.territories[2].label",
            "warning",
            "label [10, 10] is outside the polygons of 'hin'; its name would be drawn elsewhere",
        ),
        (
            line_of(text, "name: West Sea again") - 1,
            "map.territories[3].id",
            "error",
            "duplicate territory id 'wes': map.territories[0] already has it",
        ),
    }
    assert got == expected


@pytest.mark.parametrize(
    ("replacements", "field_path", "message"),
    [
        (
            [("at: eco}", "at: eco/nc}")],
            "states[1].units[0].at",
            "'eco' has no named coasts; write just 'eco'",
        ),
        (
            [("army, at: wco}", "army, at: ist/wc}")],
            "states[0].units[0].at",
            "an army stands on the territory",
        ),
        (
            [("at: eco}", "at: ist/north}")],
            "states[1].units[0].at",
            "unknown coast 'ist/north'; its coasts are: ist/ec, ist/wc",
        ),
        (
            [("{id: ec, name: east coast", "{id: wc, name: east coast")],
            "map.territories[1].coasts[1].id",
            "duplicate coast id 'wc'",
        ),
        (
            [
                (
                    "kind: sea\n      polygons: [[[0, 0]",
                    "kind: sea\n      supply: true\n      polygons: [[[0, 0]",
                )
            ],
            "map.territories[0].supply",
            "cannot be a supply territory",
        ),
        (
            [("rival: west", "rival: east")],
            "states[1].objectives[0].rival",
            "'east' cannot deny territories to itself",
        ),
        (
            [("{kind: survive}", "{kind: supply, count: 5}")],
            "states[1].objectives[1].count",
            "the map has only 4",
        ),
        (
            [("between: [wes, eas]", "between: [wes, hin]")],
            "map.add_links[0].units",
            "a fleet cannot use this link: 'hin' is land",
        ),
        (
            [("between: [wes, eas]", "between: [wes, wes]")],
            "map.add_links[0].between",
            "two different places",
        ),
        ([("seasons: [spring, autumn]", "seasons: [spring, spring]")], "calendar.seasons[1]", "comes twice"),
        (
            [
                (
                    "    regime: democracy",
                    "    regime: democracy\n    legitimacy: 10\n    legitimacy_threshold: 30",
                )
            ],
            "states[0].legitimacy",
            "would fall at once",
        ),
        (
            [
                ("regime: democracy", "regime: democracy\n    playable: false"),
                ("regime: autocracy", "regime: autocracy\n    playable: false"),
            ],
            "states",
            "no state is playable",
        ),
        (
            [
                (
                    "polygons: [[[100, 200], [200, 200], [200, 300], [100, 300]]]",
                    "polygons: [[[100, 200], [150, 250], [200, 300]]]",
                )
            ],
            "map.territories[4].polygons[0]",
            "no area",
        ),
        ([("label: [150, 250]", "label: [.nan, 250]")], "map.territories[4].label", "finite"),
    ],
)
def test_cross_reference_check(replacements: list[tuple[str, str]], field_path: str, message: str) -> None:
    problems = [p for p in problems_of(tiny_with(*replacements)) if p.is_error]
    assert message in at(problems, field_path).message


@pytest.mark.parametrize(
    ("replacements", "field_path", "message"),
    [
        (
            [("home: west\n      holder: west", "home: west")],
            "map.territories[3].holder",
            "starts held by nobody",
        ),
        (
            [("supply: true\n      value: 1\n      home: west", "value: 1\n      home: west")],
            "map.territories[3].home",
            "not a supply territory",
        ),
        ([('colour: "#d55e00"', 'colour: "#0072B2"')], "states[1].colour", "also the colour of states[0]"),
        (
            [("label: [250, 250]", "label: [50, 50]")],
            "map.territories[5].label",
            "outside the polygons of 'eco'",
        ),
        (
            [("[[[0, 0], [100, 0]", "[[[0, 0], [900, 0]")],
            "map.territories[0].polygons[0]",
            "outside the canvas",
        ),
        (
            [("        - {id: ec, name: east coast, neighbours: [eas, eco]}\n", "")],
            "map.territories[1].coasts",
            "one named coast",
        ),
    ],
)
def test_warnings_do_not_make_a_scenario_invalid(
    replacements: list[tuple[str, str]], field_path: str, message: str
) -> None:
    result = read_scenario_text(tiny_with(*replacements))
    problem = at(result.problems, field_path)
    assert problem.severity == "warning" and message in problem.message
    assert str(problem).startswith(f"<scenario>:{problem.line}: warning: {field_path}: ")
    assert result.scenario is not None


def test_check_problems_carry_paths_into_the_model() -> None:
    scenario = load_scenario(TINY)
    west, east = scenario.states
    crowded = scenario.model_copy(
        update={"states": [west.model_copy(update={"units": list(east.units)}), east]}
    )
    assert check_scenario(crowded) == [
        CheckProblem(("states", 1, "units", 0, "at"), "two units in 'eco': states[0].units[0] is there too")
    ]
    assert format_path(("states", 2, "units", 0, "at")) == "states[2].units[0].at"


# -- finding scenarios -----------------------------------------------------------------------------------


def test_find_scenario_by_path_and_by_bundled_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_scenario(str(TINY)) == TINY
    monkeypatch.setattr(loader, "BUNDLED_DIR", tmp_path)
    (tmp_path / "tiny-isthmus.yaml").write_text(TINY_TEXT, encoding="utf-8")
    assert bundled_scenarios() == ["tiny-isthmus"]
    assert find_scenario("tiny-isthmus") == tmp_path / "tiny-isthmus.yaml"
    with pytest.raises(ScenarioNotFoundError, match="did you mean 'tiny-isthmus'"):
        find_scenario("tiny-ishtmus")


def test_bundled_scenarios_live_in_the_repo() -> None:
    assert loader.BUNDLED_DIR == REPO / "scenarios"


@pytest.mark.parametrize("scenario_id", bundled_scenarios())
def test_every_bundled_scenario_is_valid(scenario_id: str) -> None:
    result = read_scenario(find_scenario(scenario_id))
    assert result.errors == [], "\n".join(str(p) for p in result.errors)


# -- the JSON Schema and the docs --------------------------------------------------------------------------


def test_the_committed_schema_is_current() -> None:
    committed = (REPO / "scenarios" / "scenario.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "scenarios/scenario.schema.json is out of date; regenerate it with:\n"
        "    backchannel scenario schema > scenarios/scenario.schema.json"
    )


def test_the_schema_accepts_the_tiny_scenario() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = YAML(typ="safe", pure=True).load(TINY_TEXT)
    jsonschema.Draft202012Validator(json.loads(schema_text())).validate(data)


def test_the_field_tables_in_the_docs_are_current() -> None:
    doc = (REPO / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    start, end = "<!-- fields:start -->\n", "<!-- fields:end -->"
    assert start in doc and end in doc
    tables = doc.split(start, 1)[1].split(end, 1)[0]
    assert tables == fields_markdown(), (
        "the field tables of docs/scenario-format.md are out of date; regenerate them with:\n"
        "    python docs/gen_scenario_fields.py"
    )


def test_the_example_in_the_docs_is_the_tiny_fixture() -> None:
    doc = (REPO / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    example = doc.split("<!-- example:start -->\n```yaml\n", 1)[1].split("```\n<!-- example:end -->", 1)[0]
    assert example == TINY_TEXT


# -- the commands ----------------------------------------------------------------------------------------


def test_validate_command_exit_codes() -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["scenario", "validate", str(TINY)])
    assert ok.exit_code == 0, ok.output
    assert ok.output == f"OK {TINY} (6 territories, 2 states)\n"

    bad = runner.invoke(app, ["scenario", "validate", str(TINY), str(FIXTURES / "broken-refs.yaml")])
    assert bad.exit_code == 1
    lines = bad.output.splitlines()
    assert lines[0] == f"OK {TINY} (6 territories, 2 states)"
    assert lines[-1] == f"FAILED {FIXTURES / 'broken-refs.yaml'} (10 errors, 2 warnings)"
    assert len(lines) == 1 + 12 + 1

    missing = runner.invoke(app, ["scenario", "validate", "no/such/file.yaml"])
    assert missing.exit_code == 1
    assert "no/such/file.yaml: cannot read the file" in missing.output


def test_schema_command_prints_the_schema() -> None:
    result = CliRunner().invoke(app, ["scenario", "schema"])
    assert result.exit_code == 0
    assert result.output == schema_text()

"""`backchannel scenario new`: a commented skeleton and its map spec, valid and buildable as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from game.cli import app
from game.scenario.loader import read_scenario, read_scenario_text
from game.scenario.mapbuild.command import build_map_command
from game.scenario.skeleton import (
    MAP_SECTION_NOTES,
    new_scenario_command,
    scenario_text,
    states_from_map,
)

KEY = re.compile(r"^\s*(?:- )?\{?([a-z_]+):")


def _uncommented_keys(text: str) -> list[str]:
    """Lines before the generated `map:` block that set a field but say nothing about it."""
    head = text.split("\nmap:", 1)[0]
    return [line for line in head.splitlines() if KEY.match(line) and " # " not in line]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("new")
    assert new_scenario_command("baltic-1864", folder) == 0
    return folder


def test_new_writes_a_scenario_and_its_spec(made: Path) -> None:
    scenario, spec = made / "baltic-1864.yaml", made / "maps" / "baltic-1864.yaml"
    assert scenario.is_file() and spec.is_file()
    result = read_scenario(scenario)
    assert result.scenario is not None, result.errors
    assert not result.errors and not result.warnings, [str(p) for p in [*result.errors, *result.warnings]]
    assert result.scenario.id == "baltic-1864"
    assert len(result.scenario.states) == 3 and all(s.units for s in result.scenario.states)
    colours = [s.colour for s in result.scenario.states]
    assert len(set(colours)) == len(colours)


def test_every_field_is_commented(made: Path) -> None:
    scenario = (made / "baltic-1864.yaml").read_text(encoding="utf-8")
    assert _uncommented_keys(scenario) == []
    notes = "\n".join(MAP_SECTION_NOTES)
    for field in (
        "width",
        "height",
        "projection",
        "territories",
        "kind",
        "supply",
        "value",
        "home",
        "holder",
        "label",
        "coasts",
        "polygons",
        "holes",
        "add_links",
        "remove_links",
    ):
        assert field in notes, field
    spec = (made / "maps" / "baltic-1864.yaml").read_text(encoding="utf-8")
    for line in spec.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not stripped.startswith("- {id:"):
            assert " # " in line, line  # the first territory explains each field; the rest repeat them


def test_the_spec_builds_into_the_scenario_as_written(made: Path) -> None:
    scenario = made / "baltic-1864.yaml"
    before = scenario.read_bytes()
    assert build_map_command(made / "maps" / "baltic-1864.yaml", scenario) == 0
    assert scenario.read_bytes() == before  # the map in the file is what the spec builds


def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "mine.yaml").write_text("# my spec\n", encoding="utf-8")
    assert new_scenario_command("mine", tmp_path) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "already exists" in err and "mine.yaml" in err
    assert not (tmp_path / "mine.yaml").exists()
    assert (tmp_path / "maps" / "mine.yaml").read_text(encoding="utf-8") == "# my spec\n"

    (tmp_path / "other.yaml").write_text("x: 1\n", encoding="utf-8")
    assert new_scenario_command("other", tmp_path) == 1
    assert not (tmp_path / "maps" / "other.yaml").exists()


@pytest.mark.parametrize("bad", ["Baltic", "-baltic", "baltic_1864", "a" * 65, "", "b/c"])
def test_new_refuses_a_bad_id(tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str) -> None:
    assert new_scenario_command(bad, tmp_path) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "lower-case letters, digits and hyphens" in err
    assert list(tmp_path.iterdir()) == []


def test_cli_new_into_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["scenario", "new", "demo-1", "--into", str(tmp_path / "work")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "work" / "demo-1.yaml").is_file() and (
        tmp_path / "work" / "maps" / "demo-1.yaml"
    ).is_file()
    again = CliRunner().invoke(app, ["scenario", "new", "demo-1", "--into", str(tmp_path / "work")])
    assert again.exit_code == 1


def _grid_map(count: int) -> str:
    """A map block of `count` square territories, each a home of its own state."""
    lines = ["map:", f"  width: {count * 10}", "  height: 10", "  territories:"]
    for i in range(count):
        x = i * 10
        lines += [
            f"  - id: t{i:02d}",
            f"    name: Land {i}",
            "    kind: land",
            "    supply: true",
            "    value: 1",
            f"    home: s{i:02d}",
            f"    holder: s{i:02d}",
            f'    polygons: ["{x},0 {x + 10},0 {x + 10},10 {x},10"]',
        ]
    return "\n".join(lines) + "\n"


def test_a_skeleton_of_thirty_states_has_no_colour_warning() -> None:
    territories = [(f"t{i:02d}", "land", f"s{i:02d}", f"s{i:02d}", True) for i in range(30)]
    states = states_from_map(territories)
    assert len(states) == 30
    text = scenario_text("thirty", states) + _grid_map(30)
    result = read_scenario_text(text, "thirty.yaml")
    assert result.scenario is not None and not result.errors, [str(p) for p in result.errors]
    assert not [p for p in result.warnings if "colour" in str(p)], [str(p) for p in result.warnings]
    assert len({s.colour for s in result.scenario.states}) == 30


def test_build_map_into_a_new_file_writes_the_same_commented_skeleton(tmp_path: Path) -> None:
    into = tmp_path / "sound.yaml"
    assert (
        build_map_command(Path(__file__).resolve().parents[1] / "fixtures" / "mapbuild" / "baltic.yaml", into)
        == 0
    )
    text = into.read_text(encoding="utf-8")
    assert _uncommented_keys(text) == []
    assert "\n".join(MAP_SECTION_NOTES) in text
    result = read_scenario(into)
    assert result.scenario is not None and not result.errors
    assert [s.id for s in result.scenario.states] == ["ger"]
    assert {(u.type, u.at) for u in result.scenario.states[0].units} == {("army", "kie"), ("army", "ber")}

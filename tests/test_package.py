"""The package as installed: the data it reads at run time come through game/resources.py, and a
missing or damaged bundled file is one line that names it and says to reinstall.

The wheel itself is built, installed into a fresh environment and exercised by .ci/smoke_wheel.sh;
these tests check the same reader paths from the checkout, with BACKCHANNEL_BUNDLE pointing at a
damaged copy of the bundle (checked file by file against the checkout, as an installed bundle is
checked against its RECORD).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from game import resources

REPO = Path(__file__).resolve().parent.parent


def test_a_checkout_reads_its_top_level_folders() -> None:
    assert not resources.installed()
    assert resources.bundle_root() == REPO
    assert resources.scenarios_dir() == REPO / "scenarios"
    assert (resources.assets_dir() / "geo" / "cities15000.tsv.gz").is_file()


def test_the_build_maps_the_data_folders_where_the_resources_module_looks() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"] == {
        "scenarios": "game/_bundled/scenarios",
        "assets": "game/_bundled/assets",
    }
    assert set(wheel["packages"]) == {"game", "server"}
    sdist = config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    assert {"/scenarios", "/assets", "/game", "/server"} <= set(sdist)
    assert config["project"]["scripts"] == {"backchannel": "game.cli:main"}


def test_no_module_finds_bundled_data_by_its_own_path() -> None:
    """Every reader asks game/resources.py: a path built from __file__ to assets/ or scenarios/ would
    work in a checkout and break in an installed wheel."""
    wrong = []
    for folder in ("game", "server"):
        for path in sorted((REPO / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "__file__" in line and re.search(r"""["'](assets|scenarios)\b""", line):
                    wrong.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not wrong


def _run(*args: str, bundle: Path | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONPATH": str(REPO)}
    env.pop(resources.BUNDLE_ENV, None)
    if bundle is not None:
        env[resources.BUNDLE_ENV] = str(bundle)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd or REPO, env=env, capture_output=True, text=True, timeout=120
    )


def test_version_is_printed() -> None:
    run = _run("-m", "game.cli", "--version")
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert run.returncode == 0 and run.stdout == f"backchannel {version}\n"


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A copy of the bundle, to damage."""
    copy = tmp_path / "bundle"
    for folder in ("scenarios", "assets"):
        shutil.copytree(REPO / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _one_line(run: subprocess.CompletedProcess[str], file: Path, problem: str) -> None:
    assert "Traceback" not in run.stderr + run.stdout
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert str(file) in lines[0] and problem in lines[0] and "reinstall" in lines[0], lines[0]


def test_an_intact_copy_of_the_bundle_works(bundle: Path, tmp_path: Path) -> None:
    run = _run("-m", "game.cli", "simulate", "--turns", "1", "--out", str(tmp_path / "out"), bundle=bundle)
    assert run.returncode == 0, run.stderr
    assert "reinstall" not in run.stderr


def test_a_damaged_bundled_scenario_is_one_line(bundle: Path, tmp_path: Path) -> None:
    scenario = bundle / "scenarios" / "july-1914.yaml"
    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace("states:", "stat es:", 1), encoding="utf-8"
    )
    run = _run("-m", "game.cli", "simulate", "--turns", "1", "--out", str(tmp_path / "out"), bundle=bundle)
    assert run.returncode == 1
    _one_line(run, scenario, "is damaged")


def test_a_missing_bundled_scenario_is_one_line(bundle: Path, tmp_path: Path) -> None:
    scenario = bundle / "scenarios" / "july-1914.yaml"
    scenario.unlink()
    run = _run("-m", "game.cli", "simulate", "--turns", "1", "--out", str(tmp_path / "out"), bundle=bundle)
    assert run.returncode == 1
    _one_line(run, scenario, "is missing")


def test_a_missing_scenarios_folder_is_one_line(bundle: Path, tmp_path: Path) -> None:
    shutil.rmtree(bundle / "scenarios")
    run = _run("-m", "game.cli", "simulate", "--turns", "1", "--out", str(tmp_path / "out"), bundle=bundle)
    assert run.returncode == 1
    _one_line(run, bundle / "scenarios", "is missing")


def _build_map(bundle: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    spec = REPO / "scenarios" / "maps" / "july-1914.yaml"  # a designer's spec, outside the bundle
    return _run(
        "-m",
        "game.cli",
        "scenario",
        "build-map",
        str(spec),
        "--into",
        str(tmp_path / "x.yaml"),
        bundle=bundle,
    )


def test_a_missing_gazetteer_is_one_line(bundle: Path, tmp_path: Path) -> None:
    gazetteer = bundle / "assets" / "geo" / "cities15000.tsv.gz"
    gazetteer.unlink()
    run = _build_map(bundle, tmp_path)
    assert run.returncode == 1
    _one_line(run, gazetteer, "is missing")


@pytest.mark.parametrize("name", ["ne-land-50m.topo.json.gz", "cities15000.tsv.gz"])
def test_truncated_geography_is_one_line(bundle: Path, tmp_path: Path, name: str) -> None:
    data = bundle / "assets" / "geo" / name
    data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])
    run = _build_map(bundle, tmp_path)
    assert run.returncode == 1
    _one_line(run, data, "is damaged")


def test_a_truncated_land_file_in_a_checkout_is_one_line_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a reference to compare with (a checkout), reading the file is what finds the damage."""
    from game.scenario.mapbuild import landdata

    broken = tmp_path / "land.topo.json.gz"
    broken.write_bytes((REPO / "assets" / "geo" / "ne-land-110m.topo.json.gz").read_bytes()[:5000])
    monkeypatch.setitem(landdata.LAND_FILES, "broken", broken)
    with pytest.raises(resources.BundledDataError, match="is damaged"):
        landdata._topology("broken")


def test_a_missing_font_is_one_line_and_the_game_still_draws(bundle: Path) -> None:
    font = bundle / "assets" / "fonts" / "DejaVuSans.ttf"
    font.unlink()
    script = "from game.render.fonts import font_path, get_font; print(font_path('sans'), get_font(14).size('Paris')[0] > 0)"
    run = _run("-c", script, bundle=bundle)
    assert run.returncode == 0 and run.stdout.strip().endswith("None True"), run.stdout + run.stderr
    _one_line(run, font, "is missing")


def test_a_damaged_theme_is_one_line_and_the_defaults_still_read(bundle: Path) -> None:
    theme = bundle / "assets" / "theme" / "theme.json"
    theme.write_text("{ not json", encoding="utf-8")
    run = _run("-c", "from game.client.theme import theme_data; print(len(theme_data()) > 0)", bundle=bundle)
    assert run.returncode == 0 and run.stdout.strip().endswith("True"), run.stdout + run.stderr
    _one_line(run, theme, "is damaged")

"""The scenario library: every bundled scenario has its map spec, its designer's note with
sources, its preview picture, and a place in the docs' gallery."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario.loader import bundled_scenarios, load_scenario

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "scenarios"
IDS = sorted(bundled_scenarios())


def test_the_library_holds_the_seven_historical_scenarios() -> None:
    assert {
        "plombieres-1858",
        "bismarck-1887",
        "july-1914",
        "secret-treaties-1915",
        "europe-1939",
        "suez-1956",
        "cuba-1962",
    } <= set(IDS)


@pytest.mark.parametrize("scenario_id", IDS)
def test_each_scenario_has_its_spec_note_picture_sources_and_gallery_line(scenario_id: str) -> None:
    assert (ROOT / "scenarios" / "maps" / f"{scenario_id}.yaml").is_file()
    note = DOCS / f"{scenario_id}.md"
    picture = DOCS / f"{scenario_id}.png"
    assert note.is_file() and picture.is_file()
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    gallery = (DOCS / "README.md").read_text(encoding="utf-8")
    assert (
        f"({scenario_id}.png)" in gallery
        and f"({scenario_id}.md)" in gallery
        and f"`{scenario_id}`" in gallery
    )
    scenario = load_scenario(ROOT / "scenarios" / f"{scenario_id}.yaml")
    assert scenario.sources, f"{scenario_id} names no sources"
    assert any(a.visibility == "secret" for a in scenario.agreements), (
        f"{scenario_id} has no secret at the start"
    )

"""Cross-reference checks of a scenario's agreements, relations and diplomatic objectives."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario.loader import ScenarioError, load_scenario, load_scenario_text

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "tiny.yaml"

GOOD = """
agreements:
  - id: pact
    title: The Isthmus Pact
    parties: [west, east]
    visibility: secret
    clauses:
      - {kind: demilitarised_zone, territories: [ist]}
relations:
  - {between: [west, east], trust: 30}
"""

BAD = """
agreements:
  - id: pact
    title: The Isthmus Pact
    parties: [west, eastt]
    visibility: secret
    annex:
      - {kind: free_text, text: a secret annex on a secret agreement}
    clauses:
      - {kind: demilitarised_zone, territories: [isth]}
      - {kind: support_promise, by: north, unit_at: wco, target: ist}
relations:
  - {between: [west, west], trust: 30}
"""


def test_starting_agreements_load_and_are_active() -> None:
    scenario = load_scenario_text(TINY.read_text() + GOOD, "tiny+pact.yaml")
    assert scenario.agreements[0].id == "pact"
    from game.rules.game import Game

    game = Game(scenario, 1)
    (agreement,) = game.diplomacy.agreements.values()
    assert agreement.status == "active" and agreement.name == "pact"
    assert game.diplomacy.trust["west"]["east"] == 30


def test_bad_agreements_are_reported_with_lines() -> None:
    text = TINY.read_text() + BAD
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "bad.yaml")
    report = str(info.value)
    lines = text.splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if fragment in line)

    assert (
        f"bad.yaml:{line_of('parties: [west, eastt]')}: agreements[0].parties[1]: unknown state 'eastt'"
        in report
    )
    assert "only a public agreement has a secret annex" in report
    assert "unknown territory 'isth'" in report
    assert "'north' is not a party" in report or "unknown state 'north'" in report
    assert "relations[0].between: name two different states" in report


def test_the_july_crisis_has_public_alliances_and_secrets() -> None:
    scenario = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "july-1914.yaml")
    public = [a for a in scenario.agreements if a.visibility == "public"]
    secret = [a for a in scenario.agreements if a.visibility == "secret"]
    assert len(public) >= 2 and len(secret) >= 2
    assert {"blank_cheque", "anglo_french_naval"} <= {a.id for a in secret}

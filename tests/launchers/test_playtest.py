"""`backchannel scenario playtest`: many seeded games, and a balance sheet whose figures are the games'."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from game.cli import app
from game.launchers.playtest import balance_sheet, print_sheet, warnings
from game.launchers.simulate import play
from game.rules.objectives import all_objective_statuses
from game.scenario.loader import find_scenario, load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = "plombieres-1858"  # small: 12 seats, secret agreements at the start, every kind of objective
GAMES, TURNS, SEED = 3, 2, 5


def playtest(tmp: Path, *args: str) -> tuple[str, dict[str, Any]]:
    out = tmp / "sheet.json"
    result = CliRunner().invoke(app, ["scenario", "playtest", *args, "--json", str(out)])
    assert result.exit_code == 0, result.output
    return result.output, json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    return playtest(
        tmp_path_factory.mktemp("playtest"),
        SCENARIO,
        "--games",
        str(GAMES),
        "--turns",
        str(TURNS),
        "--seed",
        str(SEED),
    )


def test_the_sheet_counts_what_happened_in_the_same_games(sheet: tuple[str, dict[str, Any]]) -> None:
    """Replay the same seeds directly and count again, from the games themselves."""
    output, figures = sheet
    scenario = load_scenario(find_scenario(SCENARIO))
    games = [play(scenario, seed, TURNS) for seed in range(SEED, SEED + GAMES)]
    assert figures["games"] == GAMES and figures["seeds"] == list(range(SEED, SEED + GAMES))

    wins: dict[str, int] = {}
    shared = 0
    for game in games:
        scores = game.scores()
        top = max(scores.values())
        leaders = [s for s, v in scores.items() if v == top]
        winner = game.winner or (leaders[0] if len(leaders) == 1 else None)
        if winner is None:
            shared += 1
        else:
            wins[winner] = wins.get(winner, 0) + 1
    rows = {s["state"]: s for s in figures["states"]}
    assert {s: r["wins"] for s, r in rows.items() if r["wins"]} == wins
    assert figures["no_winner"] == shared
    for state, row in rows.items():
        finals = [g.scores()[state] for g in games]
        assert (row["score"]["low"], row["score"]["high"]) == (min(finals), max(finals))

    met: dict[tuple[str, int], int] = {}
    for game in games:
        for state, statuses in all_objective_statuses(game).items():
            for i, o in enumerate(statuses):
                met[state, i] = met.get((state, i), 0) + (o.status == "met")
    assert {(o["state"], o["index"]): o["met"] for o in figures["objectives"]} == met
    assert all(o["met"] + o["not_yet"] + o["failed"] == GAMES for o in figures["objectives"])

    for a in figures["agreements"]:
        lives = [next(x for x in g.diplomacy.agreements.values() if x.name == a["agreement"]) for g in games]
        assert a["fates"]["breached"]["games"] == sum(x.status == "breached" for x in lives)
        assert a["fates"]["renounced"]["games"] == sum(x.status == "renounced" for x in lives)
        assert a["fates"]["kept to the end"]["games"] == sum(x.status == "active" for x in lives)
        assert a["leaks"]["exposed"]["games"] == sum(x.leak_level == "exposed" for x in lives)
        assert a["leaks"]["rumoured"]["games"] + a["leaks"]["exposed"]["games"] >= sum(
            x.leak_level != "none" for x in lives
        )
        assert sum(f["games"] for f in a["fates"].values()) == GAMES

    secret = [
        x
        for g in games
        for x in g.diplomacy.agreements.values()
        if x.start_turn is not None and (x.visibility == "secret" or x.annex)
    ]
    assert figures["secrets"]["in_force"] == len(secret)
    assert figures["secrets"]["leaked"] == sum(x.leak_level != "none" for x in secret)
    assert figures["secrets"]["exposed"] == sum(x.leak_level == "exposed" for x in secret)

    assert "Balance sheet" in output and "Piedmont-Sardinia" in output
    assert "Wins and scores" in output and "how often met" in output and "Starting agreements" in output
    assert "Secrets:" in output


def test_same_arguments_same_sheet_other_seed_other_games(
    tmp_path: Path, sheet: tuple[str, dict[str, Any]]
) -> None:
    args = [SCENARIO, "--games", str(GAMES), "--turns", str(TURNS), "--seed", str(SEED)]
    output, figures = sheet
    again_output, again = playtest(tmp_path / "again", *args)
    assert again == figures
    assert again_output.split("Figures written")[0] == output.split("Figures written")[0]
    _, parallel = playtest(tmp_path / "parallel", *args, "--jobs", "2")
    assert parallel == figures  # the games' order and figures do not depend on which process played them
    assert logging.getLogger("backchannel.bots").propagate  # quiet during the games only
    _, other = playtest(
        tmp_path / "other", SCENARIO, "--games", str(GAMES), "--turns", str(TURNS), "--seed", "50"
    )
    assert other["per_game"] != figures["per_game"]


def test_a_bad_file_gets_the_loaders_problems_and_no_traceback(tmp_path: Path) -> None:
    runner = CliRunner()
    broken = ROOT / "tests" / "fixtures" / "scenarios" / "broken-model.yaml"
    result = runner.invoke(app, ["scenario", "playtest", str(broken), "--games", "1", "--turns", "1"])
    assert result.exit_code == 1
    assert "broken-model.yaml:12: states[0].regime" in result.output  # FILE:LINE: FIELD: MESSAGE, one a line
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    result = runner.invoke(app, ["scenario", "playtest", "no-such-scenario", "--games", "1"])
    assert result.exit_code == 1 and "no-such-scenario" in result.output
    result = runner.invoke(app, ["scenario", "playtest", SCENARIO, "--games", "0"])
    assert result.exit_code == 1 and "--games" in result.output


def test_warnings_name_a_dominant_state_and_objectives_never_or_always_met() -> None:
    sheet = {
        "games": 10,
        "states": [{"name": "Ruritania", "wins": 6}, {"name": "Freedonia", "wins": 5}],
        "objectives": [
            {"name": "Ruritania", "objective": "Hold Zenda", "met": 0},
            {"name": "Freedonia", "objective": "Survive: keep a home centre", "met": 10},
            {"name": "Freedonia", "objective": "Hold Sylvania", "met": 4},
        ],
    }
    lines = warnings(sheet)
    assert lines == [
        "Ruritania won 6 of 10 games (60%): more than half; the scenario may favour it.",
        "Ruritania never met “Hold Zenda” (0 of 10 games): out of reach?",
        "Freedonia met “Survive: keep a home centre” in all 10 games: does it ask anything?",
    ]  # five wins of ten is not more than half; 4 of 10 is neither never nor always


def test_a_tie_for_the_highest_score_is_no_single_winner() -> None:
    scenario = load_scenario(find_scenario(SCENARIO))
    base = {
        "turns": 2,
        "ended": "",
        "end": "turn limit",
        "agreements": {},
        "secrets": [],
        "bot_failures": 0,
        "objectives": {s.id: ["not_yet"] * len(s.objectives) for s in scenario.states},
    }
    scores = dict.fromkeys((s.id for s in scenario.states), 1)
    games = [
        {
            **base,
            "seed": 1,
            "winner": "fra",
            "how": "score",
            "leaders": ["fra"],
            "scores": {**scores, "fra": 9},
        },
        {
            **base,
            "seed": 2,
            "winner": None,
            "how": "shared",
            "leaders": ["fra", "aus"],
            "scores": {**scores, "fra": 9, "aus": 9},
        },
    ]
    sheet = balance_sheet(scenario, games, 2)
    rows = {s["state"]: s for s in sheet["states"]}
    assert rows["fra"]["wins"] == 1 and rows["fra"]["shared"] == 1 and rows["aus"]["shared"] == 1
    assert sheet["no_winner"] == 1
    assert rows["fra"]["score"] == {"low": 9, "median": 9.0, "high": 9, "mean": 9.0}

    from rich.console import Console

    console = Console(record=True, width=100)
    print_sheet(console, sheet)
    text = console.export_text()
    assert "No single winner in 1 of 2 games" in text
    assert "fra won" not in text and "more than half" not in text  # one win of two is half, not more

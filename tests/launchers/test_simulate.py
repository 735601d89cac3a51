"""`backchannel simulate`: bots in every seat, a deterministic record, a readable summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from game.cli import app

ROOT = Path(__file__).resolve().parents[2]
CLASSIC = str(ROOT / "tests" / "fixtures" / "classic_board.yaml")


def simulate(tmp: Path, seed: int, turns: int = 16, scenario: str = CLASSIC) -> tuple[str, bytes]:
    result = CliRunner().invoke(
        app,
        ["simulate", "--scenario", scenario, "--seed", str(seed), "--turns", str(turns), "--out", str(tmp)],
    )
    assert result.exit_code == 0, result.output
    return result.output, (tmp / "record.json").read_bytes()


def test_record_format_and_event_kinds(tmp_path: Path) -> None:
    output, raw = simulate(tmp_path, 1, 20)
    record = json.loads(raw)
    assert record["format"] == "backchannel-record/1"
    assert record["scenario"] == "classic-diplomacy" and record["seed"] == 1
    kinds = {c["kind"] for c in record["commands"]}
    assert {"orders", "resolve", "propose", "sign", "press"} <= kinds  # the bots play the diplomatic game too
    assert {t["turn"] for t in record["turns"]} == set(range(1, 21))
    kinds = {e["kind"] for t in record["turns"] for e in t["events"]}
    assert {"move", "bounce", "dislodged", "retreat", "build", "captured"} <= kinds
    assert set(record["final"]["scores"]) == {"eng", "fra", "ger", "ita", "aus", "rus", "tur"}
    assert len(record["final"]["owners"]) == 56  # every land territory, held or not
    assert "England" in output and "score" in output


def test_bots_attack_support_and_convoy(tmp_path: Path) -> None:
    orders: list[str] = []
    kinds: set[str] = set()
    for seed in (1, 2, 3):
        _, raw = simulate(tmp_path / str(seed), seed, 20)
        record = json.loads(raw)
        orders += [o for c in record["commands"] if c["kind"] == "orders" for o in c["orders"]]
        kinds |= {e["kind"] for t in record["turns"] for e in t["events"]}
    assert any(" S " in o and " - " in o for o in orders), "no supported attack"
    assert any(" C A " in o for o in orders), "no convoy"
    assert any(o.startswith("build ") for o in orders)
    assert "disband" in kinds or "remove" in kinds


def test_same_seed_same_bytes_other_seed_other_game(tmp_path: Path) -> None:
    _, first = simulate(tmp_path / "a", 7)
    _, again = simulate(tmp_path / "b", 7)
    _, other = simulate(tmp_path / "c", 8)
    assert first == again
    assert first != other


@pytest.mark.parametrize("scenario", [CLASSIC, "july-1914"])
def test_record_does_not_depend_on_hash_seed(tmp_path: Path, scenario: str) -> None:
    records = []
    for hash_seed in ("0", "12345"):
        out = tmp_path / hash_seed
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "game.cli",
                "simulate",
                "--scenario",
                scenario,
                "--seed",
                "3",
                "--turns",
                "8",
                "--out",
                str(out),
            ],
            check=True,
            env=env,
            capture_output=True,
            cwd=ROOT,
        )
        records.append((out / "record.json").read_bytes())
    assert records[0] == records[1]


def test_bad_arguments_get_clear_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["simulate", "--scenario", "no-such-scenario", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "no-such-scenario" in result.output
    result = runner.invoke(app, ["simulate", "--scenario", CLASSIC, "--turns", "0", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "--turns" in result.output
    assert not (tmp_path / "record.json").exists()


def test_summary_names_the_winner_and_every_objectives_status(tmp_path: Path) -> None:
    from game.launchers.simulate import verdict
    from game.rules.game import replay
    from game.rules.objectives import all_objective_statuses
    from game.scenario.loader import find_scenario, load_scenario

    output, raw = simulate(tmp_path, 2, 4, "plombieres-1858")
    record = json.loads(raw)
    game = replay(load_scenario(find_scenario("plombieres-1858")), record["seed"], record["commands"])
    v = verdict(game)
    names = {s.id: s.name for s in game.scenario.states}
    winner_line = next(line for line in output.splitlines() if line.startswith("Winner:"))
    if v.winner is not None:
        assert winner_line.startswith(f"Winner: {names[v.winner]} (")
    else:
        assert winner_line.startswith("Winner: none") and all(names[s] in winner_line for s in v.leaders)
    assert "Objectives" in output
    words = {"met": "met", "not_yet": "not yet", "failed": "failed"}
    for state, statuses in all_objective_statuses(game).items():
        o = statuses[0] if statuses else None
        if o is not None and len(o.summary) < 25:  # a short one stays on one line of its row
            row = next(line for line in output.splitlines() if f"│ {o.summary} " in line)
            assert names[state] in row and f"│ {words[o.status]} " in row
    # Headers whole, at 100 columns (CliRunner's output is not a terminal): "dislodg…" was seen.
    assert "…" not in output
    for header in ("captures", "dislodged", "legitimacy", "reputation", "how far"):
        assert header in output
    assert max(len(line) for line in output.splitlines()) <= 100


def test_record_carries_the_final_objective_statuses(tmp_path: Path) -> None:
    from game.rules.game import replay
    from game.rules.objectives import all_objective_statuses
    from game.scenario.loader import find_scenario, load_scenario

    _, raw = simulate(tmp_path, 3, 3, "plombieres-1858")
    record = json.loads(raw)
    game = replay(load_scenario(find_scenario("plombieres-1858")), record["seed"], record["commands"])
    objectives = record["final"]["objectives"]
    assert list(objectives) == [s.id for s in game.scenario.states]
    assert objectives == {
        s: [o.to_json() for o in statuses] for s, statuses in all_objective_statuses(game).items()
    }
    france = objectives["fra"]
    assert france[0]["summary"] == "Hold Savoy, Nice"
    assert all(
        o["status"] in ("met", "not_yet", "failed") for statuses in objectives.values() for o in statuses
    )


def test_verdict_is_the_rules_winner_else_the_highest_score_alone() -> None:
    from game.launchers.simulate import verdict, verdict_words
    from game.rules.game import Game
    from game.scenario.loader import find_scenario, load_scenario

    game = Game(load_scenario(find_scenario("plombieres-1858")), 1)
    scores = game.scores()
    top = max(scores.values())
    leaders = tuple(s for s in game.state_ids if scores[s] == top)
    v = verdict(game)
    assert v.leaders == leaders and v.score == top
    assert (v.winner, v.how) == ((leaders[0], "score") if len(leaders) == 1 else (None, "shared"))
    game.winner = "aus"  # as the rules set it on a victory
    assert verdict(game).how == "victory" and verdict(game).winner == "aus"
    assert verdict_words(game).startswith("Winner: Austrian Empire (victory")

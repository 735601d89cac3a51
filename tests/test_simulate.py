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

ROOT = Path(__file__).resolve().parent.parent
CLASSIC = str(ROOT / "tests" / "fixtures" / "classic_board.yaml")


def simulate(tmp: Path, seed: int, turns: int = 16, scenario: str = CLASSIC) -> tuple[str, bytes]:
    result = CliRunner().invoke(
        app, ["simulate", "--scenario", scenario, "--seed", str(seed), "--turns", str(turns), "--out", str(tmp)]
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
            [sys.executable, "-m", "game.cli", "simulate", "--scenario", scenario, "--seed", "3", "--turns", "8",
             "--out", str(out)],
            check=True, env=env, capture_output=True, cwd=ROOT,
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

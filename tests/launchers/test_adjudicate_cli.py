"""`backchannel adjudicate`: one movement turn of a given situation, as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from game.cli import app

CLASSIC = str(Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml")


def run(tmp: Path, units: object, orders: str) -> tuple[int, str]:
    (tmp / "units.json").write_text(json.dumps(units) if not isinstance(units, str) else units)
    (tmp / "orders.txt").write_text(orders)
    result = CliRunner().invoke(
        app, ["adjudicate", CLASSIC, "--units", str(tmp / "units.json"), "--orders", str(tmp / "orders.txt")]
    )
    return result.exit_code, result.output


def test_a_convoy_a_support_a_coast_and_an_order_for_someone_else(tmp_path: Path) -> None:
    units = {
        "eng": [{"type": "fleet", "at": "nth"}, {"type": "army", "at": "lon"}],
        "fra": [{"type": "fleet", "at": "spa", "coast": "sc"}, {"type": "army", "at": "bel"}],
        "ger": [{"type": "army", "at": "mun"}, {"type": "army", "at": "bur"}, {"type": "army", "at": "hol"}],
    }
    orders = (
        "A lon - nwy via convoy\nF nth C A lon - nwy\nF spa/sc - mao\n"
        "# a comment line\nA hol - bel\nA bur S A hol - bel\nA bel H\nger: F nth - nwg\n"
    )
    code, output = run(tmp_path, units, orders)
    assert code == 0, output
    report = json.loads(output)
    results = {r["order"]: r["result"] for r in report["results"]}
    assert results == {
        "A lon - nwy via convoy": "succeeds",
        "F nth C A lon - nwy": "succeeds",
        "F spa/sc - mao": "succeeds",
        "A hol - bel": "succeeds",
        "A bur S A hol - bel": "succeeds",
        "A bel H": "fails",
        "F nth - nwg": "void",
    }
    assert report["dislodged"] == ["bel"]
    reasons = {r["order"]: r["reason"] for r in report["results"]}
    assert "belongs to eng" in reasons["F nth - nwg"]


def test_bad_input_names_the_problem(tmp_path: Path) -> None:
    good = {"eng": [{"type": "army", "at": "lon"}]}
    code, output = run(tmp_path, good, "A lon -- wal\n")
    assert code == 1 and "orders.txt:1" in output and "after the unit" in output
    code, output = run(tmp_path, {"xyz": []}, "")
    assert code == 1 and "unknown state 'xyz'" in output
    code, output = run(tmp_path, {"eng": [{"type": "fleet", "at": "par"}]}, "")
    assert code == 1 and "cannot stand at par" in output
    code, output = run(tmp_path, {"eng": [{"type": "tank", "at": "lon"}]}, "")
    assert code == 1 and "eng.0.type" in output
    code, output = run(tmp_path, "{not json", "")
    assert code == 1 and "not valid JSON" in output
    code, output = run(tmp_path, {"fra": [{"type": "fleet", "at": "spa"}]}, "")
    assert code == 1 and "spa/nc" in output

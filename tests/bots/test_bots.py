"""Diplomat bots: they decide from their own view alone, act only through commands, keep or break
their word by personality, and `backchannel simulate` wires them in (`--bots`, `--views`, `--stats`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from game.bots.deal import Deal
from game.bots.diplomat import Diplomat
from game.bots.personality import (
    BREAK_FACTOR,
    LOYAL,
    PERSONALITIES,
    SCHEMER,
    BotsError,
    default_mix,
    parse_bots,
)
from game.bots.table import Table
from game.cli import app
from game.launchers.simulate import Tally, diplomats_for, play, record_text, run, seats, stats, tallies
from game.rules.clauses import NonAggression
from game.rules.game import Game, replay
from game.rules.scenario import Scenario
from game.rules.views import view_for
from game.scenario.loader import load_scenario

CLASSIC = Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml"
STATES = ["eng", "fra", "ger", "ita", "aus", "rus", "tur"]


@pytest.fixture(scope="module")
def classic() -> Scenario:
    return load_scenario(CLASSIC)


@pytest.fixture(scope="module")
def rich(classic: Scenario) -> Scenario:
    """The classic board with a treasury for every state, so that the bots can spy and pay tribute."""
    return classic.model_copy(
        update={"states": [s.model_copy(update={"treasury": 12}) for s in classic.states]}
    )


def decisions(game: Game, state: str, personality: str = "schemer") -> list[Any]:
    """Everything a fresh bot would do now, given only the view (passed as plain JSON, as a client gets it)."""
    view = json.loads(json.dumps(view_for(game, state)))
    bot = Diplomat(state, PERSONALITIES[personality], Table.from_scenario(game.scenario), game.seed)
    opening = [c.model_dump() for c in bot.open_turn(view)]
    answers = [c.model_dump() for c in bot.answer(view, 1)]
    return [opening, answers, bot.orders(view)]


# --- a bot knows only what its state may know ------------------------------------------------------


def test_decisions_do_not_change_when_hidden_state_is_scrambled(rich: Scenario) -> None:
    game = play(rich, 3, 5)
    assert game.phase == "movement" and game.turn == 6
    scrambled = replay(rich, 3, game.commands)
    me = "fra"
    # Everything France may not know: others' trust, treasuries, secret deals and private talks.
    for truster, row in scrambled.diplomacy.trust.items():
        if truster != me:
            for other in row:
                row[other] = (row[other] * 7 + 13) % 101
    scrambled.treasury["ger"] += 50
    events = scrambled.apply(
        {
            "kind": "propose",
            "state": "ger",
            "parties": ["ger", "rus"],
            "visibility": "secret",
            "clauses": [{"kind": "non_aggression"}, {"kind": "mutual_defence", "against": ["fra"]}],
        }
    )
    scrambled.apply({"kind": "sign", "state": "rus", "agreement": events[0]["agreement"]})
    scrambled.apply({"kind": "press", "state": "eng", "to": ["ita"], "text": "France is weak; strike now."})
    assert view_for(scrambled, me) == view_for(game, me)
    for personality in PERSONALITIES:
        assert decisions(scrambled, me, personality) == decisions(game, me, personality)


def test_a_bot_refuses_another_states_view(classic: Scenario) -> None:
    game = Game(classic, 1)
    bot = Diplomat("fra", LOYAL, Table.from_scenario(classic), 1)
    with pytest.raises(ValueError, match="ger"):
        bot.open_turn(view_for(game, "ger"))


def test_retreats_are_ordered_from_the_public_view(classic: Scenario) -> None:
    game = Game(classic, 1)
    game.submit("ger", ["A mun - bur"])
    game.resolve()
    game.submit("fra", ["A par - bur", "A mar S A par - bur"])
    game.submit("ger", ["A bur H"])
    game.resolve()
    assert game.phase == "retreat"
    view = view_for(game, "ger")
    [entry] = view["map"]["retreats"]
    assert entry["unit"] == {"state": "ger", "type": "army", "location": "bur"}
    assert entry["options"] == list(game.retreat_options("bur"))
    bot = Diplomat("ger", LOYAL, Table.from_scenario(classic), 1)
    [order] = bot.orders(view)
    assert order.startswith("A bur R ") and order.split()[-1] in entry["options"]


# --- personalities ----------------------------------------------------------------------------------


def test_break_factors_follow_the_history() -> None:
    # Berkemeier & Fuhrmann (2018): neutrality pacts were honoured far more often than
    # non-aggression or defence pacts.
    assert (
        BREAK_FACTOR["neutrality"]
        < 0.6
        < 1.1
        < BREAK_FACTOR["mutual_defence"]
        < BREAK_FACTOR["non_aggression"]
    )


@pytest.fixture(scope="module")
def rates(rich: Scenario) -> dict[str, Tally]:
    """Two seeded games of ten turns with every seat of one personality."""
    out = {}
    for name in PERSONALITIES:
        tally = Tally()
        for seed in (1, 2):
            game = play(rich, seed, 10, {s: name for s in seats(rich)})
            for t in tallies(game).values():
                tally.add(t)
        out[name] = tally
    return out


def test_each_personality_signs_keeps_and_breaks_at_its_own_rate(rates: dict[str, Tally]) -> None:
    rate = {name: t.breached / t.binding for name, t in rates.items()}
    for name, t in rates.items():
        assert t.signed >= 50 and t.kept > 0, name
    assert rate["loyal"] < 0.10
    assert 0.15 <= rate["opportunist"] <= 0.35
    assert rate["schemer"] >= 0.3
    assert rate["loyal"] < rate["opportunist"] < rate["schemer"]
    assert rates["schemer"].leaked > rates["loyal"].leaked


def pact(classic: Scenario, personality: str, seed: int) -> tuple[Game, str]:
    """France and Germany sign a public non-aggression pact for six turns, then bots play them."""
    game = Game(classic, seed)
    events = game.apply(
        {
            "kind": "propose",
            "state": "fra",
            "parties": ["fra", "ger"],
            "visibility": "public",
            "clauses": [{"kind": "non_aggression"}],
            "duration": 6,
        }
    )
    ref = events[0]["agreement"]
    game.apply({"kind": "sign", "state": "ger", "agreement": ref})
    run(game, diplomats_for(game, {s: personality for s in STATES}), 6)
    return game, ref


def test_a_loyal_bot_keeps_its_pact_to_the_end(classic: Scenario) -> None:
    for seed in (1, 2, 3):
        game, ref = pact(classic, "loyal", seed)
        assert game.diplomacy.agreements[ref].status == "expired", seed


def test_schemers_turn_on_their_partners(classic: Scenario) -> None:
    ended = []
    for seed in (1, 2, 3):
        game, ref = pact(classic, "schemer", seed)
        ended.append(game.diplomacy.agreements[ref].status)
    assert "breached" in ended


def test_the_bots_play_every_part_of_the_diplomatic_game(rich: Scenario) -> None:
    kinds: set[str] = set()
    sincerity: set[str | None] = set()
    events: set[str] = set()
    shapes: set[str] = set()
    for seed in (1, 2):
        game = play(rich, seed, 12)
        for c in game.commands:
            kinds.add(c["kind"])
            if c["kind"] == "press":
                sincerity.add(c["sincerity"])
                shapes.add("public" if not c["to"] else "private")
            if c["kind"] == "propose":
                shapes |= {c["visibility"]} | ({"annex"} if c["annex"] else set())
                shapes |= {"intermediary"} if c["intermediary"] else set()
        events |= {e["kind"] for t in game.turns for e in t.events}
    assert {
        "propose",
        "sign",
        "reject",
        "counter",
        "press",
        "investigate",
        "intercept",
        "leak",
        "justify",
        "ratify",
        "pay",
        "orders",
    } <= kinds
    assert "deny" in kinds or "renounce" in kinds
    assert sincerity == {"sincere", "deceptive"}
    assert {"public", "private", "secret", "annex", "intermediary"} <= shapes
    assert {
        "agreement_signed",
        "agreement_expired",
        "agreement_breached",
        "agreement_leaked",
        "agreement_discovered",
        "message_intercepted",
        "payment",
    } <= events


# --- simulate: --bots, --views, --stats, determinism ------------------------------------------------


def test_parse_bots() -> None:
    assert parse_bots("loyal, Schemer,opportunist", ["a", "b", "c"]) == {
        "a": "loyal",
        "b": "schemer",
        "c": "opportunist",
    }
    with pytest.raises(BotsError, match=r"none for c, d"):
        parse_bots("loyal,loyal", ["a", "b", "c", "d"])
    with pytest.raises(BotsError, match="too many"):
        parse_bots("loyal,loyal,loyal", ["a", "b"])
    with pytest.raises(BotsError, match=r"'sneaky'.*loyal, opportunist, schemer"):
        parse_bots("loyal,sneaky", ["a", "b"])
    mix = default_mix(STATES, 5)
    assert mix == default_mix(STATES, 5) and set(mix) == set(STATES)
    assert set(mix.values()) == set(PERSONALITIES)


def test_states_nobody_plays_get_no_bot(classic: Scenario) -> None:
    states = [s.model_copy(update={"controller": "none"}) if s.id == "tur" else s for s in classic.states]
    quiet = classic.model_copy(update={"states": states})
    assert seats(quiet) == STATES[:-1]
    with pytest.raises(BotsError, match="none for rus"):
        parse_bots("loyal,loyal,loyal,loyal,loyal", seats(quiet))
    game = play(quiet, 1, 3, parse_bots("schemer,schemer,schemer,schemer,schemer,schemer", seats(quiet)))
    assert not any(c.get("state") == "tur" for c in game.commands)
    assert not any("tur" in a.parties for a in game.diplomacy.agreements.values())


def simulate(*args: str) -> Any:
    return CliRunner().invoke(app, ["simulate", "--scenario", str(CLASSIC), *args])


def test_bots_option_errors_name_the_states(tmp_path: Path) -> None:
    result = simulate("--bots", "loyal,schemer", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "ita, aus, rus, tur" in result.output and "7 seats" in result.output
    result = simulate("--bots", "loyal,spy,loyal,loyal,loyal,loyal,loyal", "--out", str(tmp_path))
    assert result.exit_code == 1 and "spy" in result.output
    assert not (tmp_path / "record.json").exists()


def test_views_are_written_for_every_state_and_the_observer(tmp_path: Path) -> None:
    views = tmp_path / "views"
    result = simulate(
        "--turns",
        "2",
        "--seed",
        "4",
        "--out",
        str(tmp_path),
        "--views",
        str(views),
        "--bots",
        "loyal,opportunist,schemer,loyal,opportunist,schemer,loyal",
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in views.iterdir()) == ["turn-1", "turn-2"]
    for turn in ("turn-1", "turn-2"):
        assert sorted(p.name for p in (views / turn).iterdir()) == sorted(
            [f"{s}.json" for s in STATES] + ["observer.json"]
        )
    fra = json.loads((views / "turn-2" / "fra.json").read_text())
    observer = json.loads((views / "turn-2" / "observer.json").read_text())
    assert fra["viewer"] == "fra" and "me" in fra and fra["turn"] == 3
    assert "me" not in observer and observer["viewer"] == "@observer"
    secret = [
        a["id"] for a in fra["agreements"] if a.get("visibility") == "secret" and a["leak_level"] == "none"
    ]
    text = json.dumps(observer)
    assert all(ref not in text for ref in secret)
    record = json.loads((tmp_path / "record.json").read_text())
    assert "loyal" in result.output and "schemer" in result.output and record["seed"] == 4


def test_a_record_is_byte_identical_for_a_seed(classic: Scenario) -> None:
    mix = {s: n for s, n in zip(STATES, ["schemer", "loyal", "opportunist"] * 3, strict=False)}
    first = record_text(play(classic, 11, 6, mix))
    assert first == record_text(play(classic, 11, 6, mix))
    assert first != record_text(play(classic, 11, 6, {s: "loyal" for s in STATES}))
    assert record_text(play(classic, 11, 6)) == record_text(play(classic, 11, 6, default_mix(STATES, 11)))


def test_stats(classic: Scenario, tmp_path: Path) -> None:
    result = stats(classic, [1, 2], 4)
    assert [g["seed"] for g in result["games"]] == [1, 2]
    assert all(g["signed"] > 0 for g in result["games"])
    assert set(result["personalities"]) == set(PERSONALITIES)
    cli = simulate("--turns", "3", "--stats", "2", "--out", str(tmp_path))
    assert cli.exit_code == 0, cli.output
    assert "breach rate" in cli.output and json.loads((tmp_path / "stats.json").read_text())["turns"] == 3


# --- the rules fix: a promise of support kept, though the supported unit changed its plan ----------


def test_a_promised_support_is_kept_even_if_the_supported_unit_does_not_move(classic: Scenario) -> None:
    game = Game(classic, 1)
    events = game.apply(
        {
            "kind": "propose",
            "state": "aus",
            "parties": ["aus", "ger"],
            "visibility": "secret",
            "clauses": [
                {"kind": "support_promise", "by": "ger", "unit_at": "mun", "target": "vie", "dest": "boh"}
            ],
        }
    )
    ref = events[0]["agreement"]
    game.apply({"kind": "sign", "state": "ger", "agreement": ref})
    game.submit("ger", ["A mun S A vie - boh"])
    game.submit("aus", ["A vie - gal"])  # Austria changed its plan; Germany did what it promised
    resolved = game.resolve()
    assert not [e for e in resolved if e["kind"] == "agreement_breached"]
    assert game.diplomacy.agreements[ref].status == "active"


def test_a_schemer_signs_secret_deals_more_freely_than_a_loyal_bot(rich: Scenario) -> None:
    game = play(rich, 2, 3, {s: "loyal" for s in STATES})
    view = view_for(game, "fra")
    table = Table.from_scenario(rich)
    offer = Deal(
        id="agr-9999",
        parties=("fra", "ger"),
        status="proposed",
        leak_level="none",
        rumour=False,
        proposer="ger",
        visibility="secret",
        clauses=(NonAggression(),),
        signed=("ger",),
        duration=3,
    )
    scores = {}
    for p in (LOYAL, SCHEMER):
        bot = Diplomat("fra", p, table, 2)
        sit = bot.read(view)
        scores[p.name] = bot.judge(sit, bot.intend(sit), offer)[0]
    assert scores["schemer"] > scores["loyal"]

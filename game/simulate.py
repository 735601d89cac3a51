"""`backchannel simulate`: a whole game headless, a bot in every seat.

The bots' chance comes from the game's seed, split by (turn, purpose), so one seed
gives one record.json, byte for byte, and another seed another game.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game.bots.map_bot import MapBot, Position
from game.rules.errors import RulesError
from game.rules.game import Game
from game.rules.rng import Rng
from game.rules.scenario import Scenario


def play(scenario: Scenario, seed: int, turns: int) -> Game:
    """Play `turns` movement turns (with their retreats and adjustments) with bots in every seat."""
    game = Game(scenario, seed)
    bots = {s.id: MapBot(s.id) for s in scenario.states if s.controller != "none"}
    while not game.over and game.turn <= turns:
        for state in game.states_to_order():
            bot = bots.get(state)
            if bot is None:
                continue
            rng = Rng(seed, game.turn, f"bot/{state}/{game.phase}")
            orders = bot_orders(game, bot, rng)
            if orders:
                game.submit(state, orders)
        game.resolve()
    return game


def bot_orders(game: Game, bot: MapBot, rng: Rng) -> list[str]:
    pos = Position(game.board, game.units, game.owners, game.season_index == len(game.seasons) - 1)
    if game.phase == "movement":
        return bot.movement_orders(pos, rng)
    if game.phase == "retreat":
        dislodged = [(d.unit, game.retreat_options(t)) for t, d in game.dislodged.items()]
        return bot.retreat_orders(pos, dislodged, rng)
    balance = game.adjustment_balance().get(bot.state, 0)
    from game.rules.adjustments import build_sites

    sites = build_sites(game.board, game.units, game.owners, bot.state)
    return bot.adjustment_orders(pos, balance, sites, rng)


def record_text(game: Game) -> str:
    return json.dumps(game.record(), indent=1, ensure_ascii=False) + "\n"


def summary_rows(game: Game, start: Game) -> list[dict[str, Any]]:
    """Per state: supply territories at the start and end, units, captures, score."""
    scores = game.scores()
    captures: dict[str, int] = {}
    battles: dict[str, int] = {}
    for turn in game.turns:
        for event in turn.events:
            if event["kind"] == "captured" and event["supply"]:
                captures[event["state"]] = captures.get(event["state"], 0) + 1
            if event["kind"] == "dislodged" and event["by"]:
                battles[event["by"]] = battles.get(event["by"], 0) + 1
    return [
        {
            "state": s.id,
            "name": s.name,
            "supply_start": start.supply_count(s.id),
            "supply_end": game.supply_count(s.id),
            "units": len(game.units_of(s.id)),
            "captures": captures.get(s.id, 0),
            "dislodged_others": battles.get(s.id, 0),
            "score": scores[s.id],
        }
        for s in game.scenario.states
    ]


def simulate_command(scenario_ref: str, seed: int, turns: int, out: Path) -> int:
    from rich.console import Console
    from rich.table import Table

    from game.scenario.loader import ScenarioError, find_scenario, load_scenario

    console = Console()
    try:
        scenario = load_scenario(find_scenario(scenario_ref))
    except (ScenarioError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        return 1
    if turns < 1:
        console.print("[red]error:[/red] --turns must be at least 1")
        return 1
    try:
        game = play(scenario, seed, turns)
    except RulesError as exc:  # a bot bug must not pass silently
        console.print(f"[red]error:[/red] {exc}")
        return 1
    out.mkdir(parents=True, exist_ok=True)
    path = out / "record.json"
    path.write_text(record_text(game), encoding="utf-8")
    table = Table(title=f"{scenario.title} — seed {seed}, {turns} turns, ended {game.season} {game.year}")
    for column in ("state", "supply start", "supply end", "units", "captures", "dislodged others", "score"):
        table.add_column(column, justify="left" if column == "state" else "right")
    for row in summary_rows(game, Game(scenario, seed, game.board)):
        table.add_row(
            row["name"],
            str(row["supply_start"]),
            str(row["supply_end"]),
            str(row["units"]),
            str(row["captures"]),
            str(row["dislodged_others"]),
            str(row["score"]),
        )
    console.print(table)
    if game.winner:
        console.print(f"Winner: {scenario.state(game.winner).name}")
    console.print(f"Record written to {path}")
    return 0

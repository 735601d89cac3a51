"""`backchannel simulate`: a whole game headless, a diplomat bot in every seat.

Each bot sees only its own view (`view_for`) and acts only through commands, as a person
at a client would.  The bots' chance comes from the game's seed, split by (turn, purpose),
so one seed gives one record.json, byte for byte, and another seed another game.

The bots play through the one driver of bot turns (`game.bots.driver.BotDriver`), the same
the server uses: each movement turn every bot opens (speaks about last turn, renounces, leaks,
spies, proposes, asks), then the bots talk among themselves in a few bounded rounds — each
answers the proposals, asks and messages addressed to it (so a counter-proposal can be signed
and an ask answered the same turn) — then settles what it owes, then orders.  Retreats and
adjustments follow.  A command the rules refuse is dropped and a bot that fails does nothing more that
step, both logged; the game goes on, and the command ends with a warning counting them.

The summary shows each state's map and diplomacy, each objective's status at the end (the rules'
met / not yet / failed) and names the winner (`verdict`: the rules' winner after a victory, else the
one state with the highest score); `game.launchers.playtest` plays many such games for a designer's balance sheet.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.bots.diplomat import Diplomat
from game.bots.driver import BotDriver
from game.bots.personality import PERSONALITIES, BotsError, default_mix, parse_bots
from game.bots.table import Table
from game.rules.clauses import (
    ClauseModel,
    MutualDefence,
    Neutrality,
    NonAggression,
    SpheresOfInfluence,
    SupportPromise,
    Tribute,
)
from game.rules.commands import Inject
from game.rules.game import Game
from game.rules.injects import injects_due
from game.rules.knowledge import OBSERVER
from game.rules.scenario import Scenario
from game.rules.views import view_for


def seats(scenario: Scenario) -> list[str]:
    """The states someone plays (a bot here), in scenario order; states with controller none only hold."""
    return [s.id for s in scenario.states if s.controller != "none"]


def play(
    scenario: Scenario,
    seed: int,
    turns: int,
    bots: Mapping[str, str] | None = None,
    views: Path | None = None,
) -> Game:
    """Play `turns` movement turns (with their retreats and adjustments) with a bot in every seat.

    `bots` maps each seat to a personality (default: `default_mix`); `views` is a folder that
    receives every state's view, and the observer's, after each turn."""
    return drive(start(scenario, seed, bots), turns, views).game


def start(scenario: Scenario, seed: int, bots: Mapping[str, str] | None = None) -> BotDriver:
    """A new game with a diplomat bot in every seat, and the driver that plays them."""
    game = Game(scenario, seed)
    return driver_for(game, diplomats_for(game, bots))


def diplomats_for(game: Game, bots: Mapping[str, str] | None = None) -> dict[str, Diplomat]:
    """A diplomat bot for every seat of the game's scenario."""
    table = Table.from_scenario(game.scenario, game.board)
    mix = dict(bots) if bots is not None else default_mix(seats(game.scenario), game.seed)
    return {s: Diplomat(s, PERSONALITIES[mix[s]], table, game.seed) for s in seats(game.scenario) if s in mix}


def driver_for(game: Game, diplomats: Mapping[str, Diplomat]) -> BotDriver:
    """The driver of the bots' turns, reading views and applying commands directly on the game."""
    return BotDriver(game, diplomats, view=view_for, apply=game.apply)


def run(game: Game, diplomats: Mapping[str, Diplomat], turns: int, views: Path | None = None) -> Game:
    """Play a game on, from wherever it stands, until movement turn `turns` is resolved or it ends."""
    return drive(driver_for(game, diplomats), turns, views).game


def drive(driver: BotDriver, turns: int, views: Path | None = None) -> BotDriver:
    """Play the driver's game on until movement turn `turns` is resolved or it ends: in each phase
    the bots do everything they do (`play_phase`), then it resolves."""
    game = driver.game
    while not game.over and game.turn <= turns:
        turn = game.turn
        release_due(game)
        driver.play_phase()
        game.resolve()
        if views is not None and (game.over or game.turn != turn):
            write_views(game, views, turn)
    return driver


def release_due(game: Game) -> None:
    """A movement turn begins: the scenario's prepared injects due by now are released, as the
    server releases them (commands in the record, so a replay is exact)."""
    if game.over or game.phase != "movement":
        return
    for spec in injects_due(game.scenario, game.turn, game.released):
        game.apply(Inject(inject=spec.id))


def write_views(game: Game, folder: Path, turn: int) -> None:
    """DIR/turn-N/STATE.json for every state and DIR/turn-N/observer.json: what each may know now."""
    where = folder / f"turn-{turn}"
    where.mkdir(parents=True, exist_ok=True)
    for state in game.state_ids:
        (where / f"{state}.json").write_text(_json(view_for(game, state)), encoding="utf-8")
    (where / "observer.json").write_text(_json(view_for(game, OBSERVER)), encoding="utf-8")


def _json(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def record_text(game: Game) -> str:
    return _json(game.record())


# --- measuring ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    """A state's agreements: signed (became active), kept (expired without breach), breached by it,
    leaked (rumoured or exposed); `binding`: those that asked something of it (a promise of support
    binds only the supporter, neutrality only the neutral), the ones it could break."""

    signed: int = 0
    kept: int = 0
    breached: int = 0
    leaked: int = 0
    binding: int = 0

    def add(self, other: Tally) -> None:
        self.signed += other.signed
        self.kept += other.kept
        self.breached += other.breached
        self.leaked += other.leaked
        self.binding += other.binding


def tallies(game: Game) -> dict[str, Tally]:
    """Each state's agreements, from the umpire's record (the simulation is the umpire)."""
    out = {s: Tally() for s in game.state_ids}
    for a in game.diplomacy.agreements.values():
        if a.start_turn is None:
            continue  # never signed by all
        bound = bound_states(a.parties, [c for _, c, _ in a.all_clauses()])
        for p in a.parties:
            t = out[p]
            t.signed += 1
            t.kept += a.status == "expired"
            t.leaked += a.leak_level != "none"
            t.binding += p in bound
        if a.breaches:
            out[a.breaches[0]["breaker"]].breached += 1
    return out


def bound_states(parties: Sequence[str], clauses: Sequence[ClauseModel]) -> set[str]:
    """The parties an agreement's clauses ask something of."""
    bound: set[str] = set()
    for c in clauses:
        if isinstance(c, NonAggression | MutualDefence):
            bound |= set((c.between if isinstance(c, NonAggression) else c.members) or parties)
        elif isinstance(c, SupportPromise):
            bound.add(c.by)
        elif isinstance(c, Tribute):
            bound.add(c.payer)
        elif isinstance(c, Neutrality):
            bound |= set(c.neutral or [p for p in parties if p not in c.conflict])
        elif isinstance(c, SpheresOfInfluence):
            bound |= {p for p in parties if any(s.state != p for s in c.spheres)}
        else:  # demilitarised zones, cession, intelligence sharing, free text: every party
            bound |= set(parties)
    return bound & set(parties)


def summary_rows(game: Game, start: Game, bots: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Per state: supply at the start and end, units, captures, agreements, legitimacy, reputation, score."""
    scores = game.scores()
    captures: dict[str, int] = {}
    battles: dict[str, int] = {}
    for turn in game.turns:
        for event in turn.events:
            if event["kind"] == "captured" and event["supply"]:
                captures[event["state"]] = captures.get(event["state"], 0) + 1
            if event["kind"] == "dislodged" and event["by"]:
                battles[event["by"]] = battles.get(event["by"], 0) + 1
    counts = tallies(game)
    d = game.diplomacy
    return [
        {
            "state": s.id,
            "name": s.name,
            "bot": (bots or {}).get(s.id, "-"),
            "supply_start": start.supply_count(s.id),
            "supply_end": game.supply_count(s.id),
            "units": len(game.units_of(s.id)),
            "captures": captures.get(s.id, 0),
            "dislodged_others": battles.get(s.id, 0),
            "signed": counts[s.id].signed,
            "kept": counts[s.id].kept,
            "breached": counts[s.id].breached,
            "leaked": counts[s.id].leaked,
            "legitimacy": d.legitimacy[s.id],
            "reputation": d.reputation(s.id),
            "score": scores[s.id],
        }
        for s in game.scenario.states
    ]


@dataclass(frozen=True, slots=True)
class Verdict:
    """Who won a game: the rules' winner if a state reached victory, else the one state with the
    highest score (supply plus objectives met, `Game.scores`); a tie for it is no single winner."""

    winner: str | None
    how: str
    """"victory" (the rules' winner), "score" (the highest score alone) or "shared" (a tie: no winner)."""
    leaders: tuple[str, ...]
    """The states with the highest score (the tied ones, for a shared verdict)."""
    score: int


def verdict(game: Game) -> Verdict:
    """The winner of a game, as a playtest counts it and `simulate` names it."""
    scores = game.scores()
    top = max(scores.values(), default=0)
    leaders = tuple(s for s in game.state_ids if scores[s] == top)
    if game.winner is not None:
        return Verdict(game.winner, "victory", leaders, scores[game.winner])
    if len(leaders) == 1:
        return Verdict(leaders[0], "score", leaders, top)
    return Verdict(None, "shared", leaders, top)


def verdict_words(game: Game) -> str:
    """The verdict in a line: "Winner: Britain (victory)", or who shares the highest score."""
    v = verdict(game)
    name = {s.id: s.name for s in game.scenario.states}
    if v.how == "victory":
        assert v.winner is not None
        share = game.scenario.victory.supply_fraction
        return f"Winner: {name[v.winner]} (victory: more than {share:.0%} of the supply territories)"
    if v.how == "score":
        assert v.winner is not None
        return f"Winner: {name[v.winner]} (no victory; the highest score, {v.score})"
    shared = ", ".join(name[s] for s in v.leaders[:-1]) + f" and {name[v.leaders[-1]]}"
    return f"Winner: none — {shared} share the highest score ({v.score})"


def stats(
    scenario: Scenario, seeds: Sequence[int], turns: int, bots: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Play one game per seed; count agreements per game, and per personality the share broken."""
    games = []
    by_bot: dict[str, Tally] = {name: Tally() for name in PERSONALITIES}
    by_kind: dict[str, list[int]] = {}  # kind of its first clause -> [signed, breached]
    failures = 0
    for seed in seeds:
        mix = dict(bots) if bots is not None else default_mix(seats(scenario), seed)
        driver = drive(start(scenario, seed, mix), turns)
        game = driver.game
        failures += driver.failures
        counts = tallies(game)
        agreements = [a for a in game.diplomacy.agreements.values() if a.start_turn is not None]
        games.append(
            {
                "seed": seed,
                "signed": len(agreements),
                "kept": sum(a.status == "expired" for a in agreements),
                "breached": sum(a.status == "breached" for a in agreements),
                "leaked": sum(a.leak_level != "none" for a in agreements),
                "renounced": sum(a.status == "renounced" for a in agreements),
            }
        )
        for state, name in mix.items():
            by_bot[name].add(counts[state])
        for a in agreements:
            row = by_kind.setdefault(str(getattr(a.clauses[0], "kind", "")), [0, 0])
            row[0] += 1
            row[1] += a.status == "breached"
    return {
        "scenario": scenario.id,
        "turns": turns,
        "games": games,
        "personalities": {
            name: {
                "signed": t.signed,
                "binding": t.binding,
                "kept": t.kept,
                "breached": t.breached,
                "leaked": t.leaked,
                "breach_rate": round(t.breached / t.binding, 3) if t.binding else 0.0,
            }
            for name, t in by_bot.items()
        },
        "kinds": {
            kind: {"signed": n, "breached": b, "breach_rate": round(b / n, 3) if n else 0.0}
            for kind, (n, b) in sorted(by_kind.items())
        },
        "bot_failures": failures,
    }


# --- the command ------------------------------------------------------------------------------------


def simulate_command(
    scenario_ref: str,
    seed: int,
    turns: int,
    out: Path,
    bots: str | None = None,
    views: Path | None = None,
    games: int = 0,
) -> int:
    from game.rules.errors import RulesError
    from game.scenario.loader import ScenarioError, find_scenario, load_scenario

    console = summary_console()
    try:
        scenario = load_scenario(find_scenario(scenario_ref))
    except (ScenarioError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        return 1
    if turns < 1:
        console.print("[red]error:[/red] --turns must be at least 1")
        return 1
    try:
        mix = parse_bots(bots, seats(scenario)) if bots is not None else None
    except BotsError as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        return 1
    try:
        if games > 0:
            result = stats(scenario, range(seed, seed + games), turns, mix)
            out.mkdir(parents=True, exist_ok=True)
            (out / "stats.json").write_text(_json(result), encoding="utf-8")
            _print_stats(console, result)
            _print_failures(console, result["bot_failures"])
            return 0
        driver = drive(start(scenario, seed, mix), turns, views)
    except RulesError as exc:  # the rules refusing to resolve a phase: a bug that must not pass silently
        console.print(f"[red]error:[/red] {exc}")
        return 1
    game = driver.game
    out.mkdir(parents=True, exist_ok=True)
    path = out / "record.json"
    path.write_text(record_text(game), encoding="utf-8")
    _print_summary(console, game, scenario, seed, turns, mix or default_mix(seats(scenario), seed))
    console.print(f"Record written to {path}")
    if views is not None:
        console.print(f"Views written to {views}")
    _print_failures(console, driver.failures)
    return 0


def _print_failures(console: Any, failures: int) -> None:
    """A warning line after the game if any bot failed: a refused command or a decision that raised
    (each logged above, with its reason or traceback)."""
    if failures:
        plural = "s" if failures != 1 else ""
        console.print(
            f"[yellow]warning:[/yellow] {failures} bot failure{plural} (refused commands or faulty "
            "decisions, logged above); the game went on without them",
            highlight=False,
        )


def _print_summary(
    console: Any, game: Game, scenario: Scenario, seed: int, turns: int, mix: Mapping[str, str]
) -> None:
    from rich.table import Table as RichTable

    rows = summary_rows(game, Game(scenario, seed, game.board), mix)
    for row in rows:
        row["supply"] = f"{row['supply_start']} → {row['supply_end']}"
    board = RichTable(title=f"{scenario.title} — seed {seed}, {turns} turns, ended {game.season} {game.year}")
    words = RichTable(title="Agreements, legitimacy and reputation")
    for table, columns in (
        (
            board,
            (
                ("state", "name"),
                ("bot", "bot"),
                ("supply", "supply"),
                ("units", "units"),
                ("captures", "captures"),
                ("dislodged", "dislodged_others"),
                ("score", "score"),
            ),
        ),
        (
            words,
            (
                ("state", "name"),
                ("signed", "signed"),
                ("kept", "kept"),
                ("breached", "breached"),
                ("leaked", "leaked"),
                ("legitimacy", "legitimacy"),
                ("reputation", "reputation"),
            ),
        ),
    ):
        for title, _ in columns:
            add_column(table, title, left=title in ("state", "bot"), wrap=title == "state")
        for row in rows:
            table.add_row(*(str(row[key]) for _, key in columns))
        console.print(table)
    console.print(objectives_table(game))
    console.print(verdict_words(game), highlight=False)


def summary_console() -> Any:
    """The console the summaries print on: the terminal's width, or 100 columns when written to a file
    or a pipe (rich would take 80, too narrow for the tables)."""
    from rich.console import Console

    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 100
    return console


def add_column(table: Any, title: str, left: bool = False, wrap: bool = False) -> None:
    """A column whose header is never cut: at least as wide as its longest header word (rich would
    rather end a squeezed one-word header in "…"); the wrap columns give way instead."""
    table.add_column(
        title,
        justify="left" if left else "right",
        no_wrap=not wrap,
        overflow="fold",
        min_width=max(len(word) for word in title.split()),
    )


STATUS_WORDS = {
    "met": "[green]met[/green]",
    "not_yet": "[yellow]not yet[/yellow]",
    "failed": "[red]failed[/red]",
}


def objectives_table(game: Game) -> Any:
    """Every state's objectives where the game stands (the rules' met / not yet / failed), with their points."""
    from rich.table import Table as RichTable

    from game.rules.objectives import all_objective_statuses

    table = RichTable(title="Objectives")
    add_column(table, "state", left=True, wrap=True)
    add_column(table, "objective", left=True, wrap=True)
    add_column(table, "status", left=True)
    add_column(table, "points")
    add_column(table, "how far", left=True, wrap=True)
    names = {s.id: s.name for s in game.scenario.states}
    for state, statuses in all_objective_statuses(game).items():
        for i, o in enumerate(statuses):
            table.add_row(
                names[state] if i == 0 else "",
                o.summary,
                STATUS_WORDS[o.status],
                f"{o.points}/{o.worth}",
                o.detail,
            )
    return table


def _print_stats(console: Any, result: Mapping[str, Any]) -> None:
    from rich.table import Table as RichTable

    games = RichTable(title=f"{result['scenario']} — {len(result['games'])} games of {result['turns']} turns")
    for column in ("seed", "signed", "kept", "breached", "leaked", "renounced"):
        games.add_column(column, justify="right")
    for g in result["games"]:
        games.add_row(*(str(g[k]) for k in ("seed", "signed", "kept", "breached", "leaked", "renounced")))
    n = len(result["games"]) or 1
    games.add_row(
        "mean",
        *(
            f"{sum(g[k] for g in result['games']) / n:.1f}"
            for k in ("signed", "kept", "breached", "leaked", "renounced")
        ),
    )
    console.print(games)
    bots = RichTable(
        title="By personality (each party counts the agreement; the rate is of those binding it)"
    )
    for column in ("bot", "signed", "binding it", "kept", "breached by it", "leaked", "breach rate"):
        bots.add_column(column, justify="left" if column == "bot" else "right")
    for name, t in result["personalities"].items():
        bots.add_row(
            name,
            str(t["signed"]),
            str(t["binding"]),
            str(t["kept"]),
            str(t["breached"]),
            str(t["leaked"]),
            f"{100 * t['breach_rate']:.0f}%",
        )
    console.print(bots)
    kinds = RichTable(title="By kind of agreement (its first clause)")
    for column in ("kind", "signed", "breached", "breach rate"):
        kinds.add_column(column, justify="left" if column == "kind" else "right")
    for kind, k in result["kinds"].items():
        kinds.add_row(kind, str(k["signed"]), str(k["breached"]), f"{100 * k['breach_rate']:.0f}%")
    console.print(kinds)

"""`backchannel scenario playtest`: many seeded games with bots in every seat, and the designer's balance sheet.

A designer who writes a scenario wants to know whether it is fair and whether its parts do
anything: who wins, how far apart the scores are, which objectives are met in every game or
in none, what becomes of the agreements in force at the start, and how often secrets leak.
The playtest plays the games `simulate` plays (the same bots, the same driver: `start` and
`drive`), one per seed from `--seed` on, and reads each finished game into plain figures:

- its **verdict** (`simulate.verdict`): the rules' winner after a victory, else the one state
  with the highest score; a tie for it is no single winner ("shared");
- every state's **score** and each objective's **status** at the end (`game.rules.objectives`);
- the **fate** of each starting agreement: in force at the end (kept), expired (its term ran
  out, kept), breached, renounced, lapsed (a government fell), and whether and when it was
  rumoured, exposed or ratified;
- every **secret** in force (a secret agreement or a public one with a secret annex, signed at
  the start or in play): when it was signed, rumoured and exposed.

An agreement's life is read from the facts that name it, as the debrief reads it
(`game.debrief.lives`); the debrief rebuilds whole lives (who knew, when, in words) from a
replay, which a playtest of many games does not need: the game it just played holds the facts.

The figures of each game depend only on (scenario, seed, turns), so the games may be played in
parallel (`--jobs`) and the sheet is the same, byte for byte, for the same arguments.
"""

from __future__ import annotations

import json
import logging
import statistics
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from game.launchers.simulate import drive, seats, start, verdict
from game.rules.agreements import ACTIVE, RUMOUR
from game.rules.game import Game
from game.rules.objectives import STATUSES, all_objective_statuses, objective_summary
from game.rules.scenario import Scenario

FORMAT = "backchannel-playtest/1"

FATES = ("kept to the end", "expired", "breached", "renounced", "lapsed")
"""How a starting agreement ended, in the sheet's order: still in force when the game ended (kept),
ran its term (kept), broken by a party, given up by one, void because a government fell."""
LEAKS = ("rumoured", "exposed", "ratified")
"""What became known of a starting agreement's secret part: its parties (a rumour), its terms (an
exposé), or the parties themselves made it public (a ratification)."""

_END_STATUS = {
    ACTIVE: "kept to the end",
    "expired": "expired",
    "breached": "breached",
    "renounced": "renounced",
    "lapsed": "lapsed",
}

WIN_SHARE = 0.5
"""A state that wins more than this share of the games gets a warning: the scenario may favour it."""


# --- one game ---------------------------------------------------------------------------------------


def play_game(
    scenario: Scenario, seed: int, turns: int, bots: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Play one game with bots in every seat (the mix of the seed unless `bots`) and read its figures."""
    driver = drive(start(scenario, seed, bots), turns)
    return figures(driver.game, turns, driver.failures)


def figures(game: Game, turns: int, failures: int = 0) -> dict[str, Any]:
    """A finished game in plain, JSON-ready figures: the verdict, scores, objectives, agreements, secrets."""
    v = verdict(game)
    played = game.turn if game.over else game.turn - 1
    named = _named_facts(game)
    return {
        "seed": game.seed,
        "turns": played,
        "ended": f"{game.season} {game.year}",
        "end": "victory" if game.winner else ("calendar" if game.over else "turn limit"),
        "winner": v.winner,
        "how": v.how,
        "leaders": list(v.leaders),
        "scores": game.scores(),
        "objectives": {
            s: [o.status for o in statuses] for s, statuses in all_objective_statuses(game).items()
        },
        "agreements": starting_fates(game, named),
        "secrets": secrets(game, named),
        "bot_failures": failures,
    }


def _named_facts(game: Game) -> dict[str, list[tuple[int, Mapping[str, Any]]]]:
    """Agreement id -> (turn, fact) for every fact that names it, in the order they happened."""
    out: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    for turn in game.turns:
        for event in turn.events:
            ref = event.get("agreement")
            if isinstance(ref, str):
                out.setdefault(ref, []).append((turn.turn, event))
    return out


def _leak_turns(facts: Iterable[tuple[int, Mapping[str, Any]]]) -> dict[str, Any]:
    """When an agreement was first rumoured, exposed and ratified (None: never), and how it was exposed."""
    out: dict[str, Any] = {"rumoured": None, "exposed": None, "ratified": None, "how": None}
    for turn, fact in facts:
        kind = fact.get("kind")
        if kind == "agreement_leaked":
            level = "rumoured" if fact.get("level") == RUMOUR else "exposed"
            if out[level] is None:
                out[level] = turn
                if level == "exposed":
                    out["how"] = fact.get("how")
        elif kind == "agreement_ratified" and out["ratified"] is None:
            out["ratified"] = turn
    return out


def starting_fates(
    game: Game,
    named: Mapping[str, list[tuple[int, Mapping[str, Any]]]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Each starting agreement (by its scenario id): how it ended, when, by whom, and what leaked of it."""
    named = _named_facts(game) if named is None else named
    by_name = {a.name: a for a in game.diplomacy.agreements.values() if a.name}
    out: dict[str, dict[str, Any]] = {}
    for spec in game.scenario.agreements:
        a = by_name.get(spec.id)
        if a is None:  # pragma: no cover - every starting agreement is made when the game is
            continue
        fate = _END_STATUS.get(a.status, a.status)
        by = None
        if a.status == "breached" and a.breaches:
            by = a.breaches[0].get("breaker")
        elif a.status == "renounced":
            by = next(
                (f.get("state") for _, f in named.get(a.id, ()) if f.get("kind") == "agreement_renounced"),
                None,
            )
        out[spec.id] = {
            "fate": fate,
            "turn": a.end_turn if fate != "kept to the end" else None,
            "by": by,
            **_leak_turns(named.get(a.id, ())),
        }
    return out


def secrets(
    game: Game,
    named: Mapping[str, list[tuple[int, Mapping[str, Any]]]] | None = None,
) -> list[dict[str, Any]]:
    """Every agreement that was in force with something secret (a secret one, or a public one with a
    secret annex), at the start or signed in play: when it began, and when it was rumoured or exposed."""
    named = _named_facts(game) if named is None else named
    out = []
    for a in game.diplomacy.agreements.values():
        if a.start_turn is None or not (a.visibility == "secret" or a.annex):
            continue
        leaks = _leak_turns(named.get(a.id, ()))
        out.append(
            {
                "agreement": a.id,
                "name": a.name or None,
                "start": a.start_turn,
                "rumoured": leaks["rumoured"],
                "exposed": leaks["exposed"],
                "how": leaks["how"],
            }
        )
    return out


# --- many games ---------------------------------------------------------------------------------------

_worker_scenario: Scenario | None = None


def _worker_init(scenario: Scenario) -> None:
    global _worker_scenario
    _worker_scenario = scenario
    quiet_bots().__enter__()  # for the worker's whole life


def _worker_play(seed: int, turns: int, bots: Mapping[str, str] | None) -> dict[str, Any]:
    assert _worker_scenario is not None
    return play_game(_worker_scenario, seed, turns, bots)


@contextmanager
def quiet_bots() -> Iterator[None]:
    """Bot failures are counted in the figures, not logged one by one over the progress bar (`simulate`
    of the same seed shows them, with their reasons); the logger is as it was afterwards."""
    logger = logging.getLogger("backchannel.bots")
    propagate, handler = logger.propagate, logging.NullHandler()
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def play_games(
    scenario: Scenario,
    seeds: Sequence[int],
    turns: int,
    bots: Mapping[str, str] | None = None,
    jobs: int = 1,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Each seed's game's figures, in the order of the seeds whatever order they finish in; `jobs` > 1
    plays them in that many processes.  `progress` is called with each game's figures as it ends."""
    if jobs <= 1 or len(seeds) <= 1:
        out = []
        for seed in seeds:
            out.append(play_game(scenario, seed, turns, bots))
            if progress is not None:
                progress(out[-1])
        return out
    done: dict[int, dict[str, Any]] = {}
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(seeds)), initializer=_worker_init, initargs=(scenario,)
    ) as pool:
        futures = [pool.submit(_worker_play, seed, turns, bots) for seed in seeds]
        for future in as_completed(futures):
            result = future.result()
            done[result["seed"]] = result
            if progress is not None:
                progress(result)
    return [done[seed] for seed in seeds]


# --- the sheet ------------------------------------------------------------------------------------------


def spread(values: Sequence[float]) -> dict[str, float] | None:
    """low, median, high and mean of some numbers (None for none)."""
    if not values:
        return None
    return {
        "low": min(values),
        "median": statistics.median(values),
        "high": max(values),
        "mean": round(statistics.fmean(values), 2),
    }


def balance_sheet(scenario: Scenario, games: Sequence[Mapping[str, Any]], turns: int) -> dict[str, Any]:
    """The designer's balance sheet of some played games (their `figures`): wins and scores per state,
    each objective's rate of being met, each starting agreement's fate, leaks of secrets, warnings."""
    n = len(games)
    names = {s.id: s.name for s in scenario.states}
    played = set(seats(scenario))
    wins = {s: sum(g["winner"] == s for g in games) for s in names}
    victories = {s: sum(g["winner"] == s and g["how"] == "victory" for g in games) for s in names}
    shared = {s: sum(g["how"] == "shared" and s in g["leaders"] for g in games) for s in names}
    states = [
        {
            "state": s,
            "name": names[s],
            "seat": s in played,
            "wins": wins[s],
            "victories": victories[s],
            "shared": shared[s],
            "score": spread([g["scores"][s] for g in games]),
        }
        for s in names
        if s in played or wins[s] or shared[s]
    ]
    objectives = []
    for state in scenario.states:
        if not state.objectives:
            continue
        summaries = _objective_summaries(scenario, state.id)
        for i, o in enumerate(state.objectives):
            counts: dict[str, int] = {
                status: sum(g["objectives"][state.id][i] == status for g in games) for status in STATUSES
            }
            objectives.append(
                {
                    "state": state.id,
                    "name": state.name,
                    "index": i,
                    "kind": o.kind,
                    "objective": summaries[i],
                    "points": getattr(o, "points", None),
                    **counts,
                }
            )
    agreements = []
    for spec in scenario.agreements:
        lives = [g["agreements"][spec.id] for g in games if spec.id in g["agreements"]]
        fates = {
            fate: {
                "games": sum(life["fate"] == fate for life in lives),
                "turns": spread([life["turn"] for life in lives if life["fate"] == fate and life["turn"]]),
                "by": _tally(life["by"] for life in lives if life["fate"] == fate and life["by"]),
            }
            for fate in FATES
        }
        leaks = {
            leak: {
                "games": sum(life[leak] is not None for life in lives),
                "turns": spread([life[leak] for life in lives if life[leak] is not None]),
            }
            for leak in LEAKS
        }
        agreements.append(
            {
                "agreement": spec.id,
                "title": spec.title,
                "parties": list(spec.parties),
                "visibility": spec.visibility,
                "annex": bool(spec.annex),
                "secret": spec.visibility == "secret" or bool(spec.annex),
                "fates": fates,
                "leaks": leaks,
            }
        )
    every = [s for g in games for s in g["secrets"]]
    rumoured = [s for s in every if s["rumoured"] is not None]
    exposed = [s for s in every if s["exposed"] is not None]
    first = [
        min(t for t in (s["rumoured"], s["exposed"]) if t is not None)
        for s in every
        if s["rumoured"] is not None or s["exposed"] is not None
    ]
    leaked_starts = [s["start"] for s in every if s["rumoured"] is not None or s["exposed"] is not None]
    secrets_sheet = {
        "in_force": len(every),
        "at_start": sum(s["name"] is not None for s in every),
        "per_game": round(len(every) / n, 2) if n else 0.0,
        "rumoured": len(rumoured),
        "exposed": len(exposed),
        "leaked": len(first),
        "deliberate": sum(s["how"] == "deliberate" for s in exposed),
        "first_leak_turns": spread(first),
        "exposed_turns": spread([s["exposed"] for s in exposed]),
        "age_at_leak": spread([t - start + 1 for t, start in zip(first, leaked_starts, strict=True)]),
        "games_with_a_leak": sum(
            any(s["rumoured"] is not None or s["exposed"] is not None for s in g["secrets"]) for g in games
        ),
    }
    sheet = {
        "format": FORMAT,
        "scenario": scenario.id,
        "title": scenario.title,
        "games": n,
        "turns": turns,
        "seeds": [g["seed"] for g in games],
        "turns_played": spread([g["turns"] for g in games]),
        "ends": {end: sum(g["end"] == end for g in games) for end in ("victory", "calendar", "turn limit")},
        "no_winner": sum(g["winner"] is None for g in games),
        "states": states,
        "objectives": objectives,
        "agreements": agreements,
        "secrets": secrets_sheet,
        "bot_failures": sum(g["bot_failures"] for g in games),
        "seeds_with_bot_failures": [g["seed"] for g in games if g["bot_failures"]],
    }
    sheet["warnings"] = warnings(sheet)
    sheet["per_game"] = list(games)
    return sheet


def _objective_summaries(scenario: Scenario, state_id: str) -> list[str]:
    """The objectives' short words, as the rules word them for a seat and the debrief."""
    names = {t.id: t.name for t in scenario.map.territories}
    state_names = {s.id: s.name for s in scenario.states}
    titles = {a.id: a.title for a in scenario.agreements}  # the designer knows every secret
    return [objective_summary(o, names, state_names, titles) for o in scenario.state(state_id).objectives]


def _tally(values: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def warnings(sheet: Mapping[str, Any]) -> list[str]:
    """Plain words for what a designer should look at: a state that wins more than half the games, an
    objective met in no game or in every game."""
    n = sheet["games"]
    out: list[str] = []
    if not n:
        return out
    for s in sheet["states"]:
        if s["wins"] > WIN_SHARE * n:
            out.append(
                f"{s['name']} won {s['wins']} of {n} games ({s['wins'] / n:.0%}): more than half; "
                "the scenario may favour it."
            )
    for o in sheet["objectives"]:
        if o["met"] == 0:
            out.append(f"{o['name']} never met “{o['objective']}” (0 of {n} games): out of reach?")
        elif o["met"] == n:
            out.append(f"{o['name']} met “{o['objective']}” in all {n} games: does it ask anything?")
    return out


def sheet_json(sheet: Mapping[str, Any]) -> str:
    return json.dumps(sheet, indent=1, ensure_ascii=False) + "\n"


# --- printing -------------------------------------------------------------------------------------------


def _num(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _when(turns: Mapping[str, float] | None) -> str:
    """ "turn 4 (2–9)": the median turn and the range; "turn 4" when it is always the same."""
    if not turns:
        return ""
    if turns["low"] == turns["high"]:
        return f"turn {_num(turns['low'])}"
    return f"turn {_num(turns['median'])} ({_num(turns['low'])}–{_num(turns['high'])})"


def _share(k: int, n: int) -> str:
    return f"{k} ({k / n:.0%})" if n else str(k)


def print_sheet(console: Any, sheet: Mapping[str, Any]) -> None:
    """The balance sheet on a rich console: four tables and the warnings, in plain words."""
    from rich.table import Table as RichTable

    from game.launchers.simulate import add_column

    n = sheet["games"]
    seeds = sheet["seeds"]
    span = f"seed {seeds[0]}" if len(seeds) == 1 else f"seeds {seeds[0]}–{seeds[-1]}"
    ends = ", ".join(f"{k} {end}" for end, k in sheet["ends"].items() if k)
    played = sheet["turns_played"]
    console.print(f"[bold]Balance sheet — {sheet['title']}[/bold]", highlight=False)
    console.print(
        f"{n} games of up to {sheet['turns']} turns ({span}), bots in every seat; ended by: {ends}; "
        f"turns played: {_when(played).removeprefix('turn ')}.",
        highlight=False,
    )

    wins = RichTable(
        title="Wins and scores (winner: a victory, else the highest score alone; a tie is shared)"
    )
    for title, left in (
        ("state", True),
        ("wins", False),
        ("by victory", False),
        ("shared top", False),
        ("score low", False),
        ("median", False),
        ("high", False),
        ("mean", False),
    ):
        add_column(wins, title, left=left, wrap=title == "state")
    for s in sheet["states"]:
        score = s["score"] or {"low": 0, "median": 0, "high": 0, "mean": 0}
        wins.add_row(
            s["name"],
            _share(s["wins"], n),
            str(s["victories"]),
            str(s["shared"]),
            *(_num(score[k]) for k in ("low", "median", "high", "mean")),
        )
    console.print(wins)
    if sheet["no_winner"]:
        console.print(
            f"No single winner in {sheet['no_winner']} of {n} games (a tie for the highest score).",
            highlight=False,
        )

    objectives = RichTable(title="Objectives at the end of the game: how often met")
    for title, left in (
        ("state", True),
        ("objective", True),
        ("met", False),
        ("not yet", False),
        ("failed", False),
    ):
        add_column(objectives, title, left=left, wrap=title in ("state", "objective"))
    last = None
    for o in sheet["objectives"]:
        objectives.add_row(
            o["name"] if o["state"] != last else "",
            o["objective"],
            _share(o["met"], n),
            str(o["not_yet"]),
            str(o["failed"]),
        )
        last = o["state"]
    console.print(objectives)

    if sheet["agreements"]:
        fates = RichTable(
            title="Starting agreements: how they ended, and what leaked (games; median turn and range)"
        )
        add_column(fates, "agreement", left=True, wrap=True)
        add_column(fates, "ended", left=True, wrap=True)
        add_column(fates, "leaked", left=True, wrap=True)
        for a in sheet["agreements"]:
            ended = []
            for fate, f in a["fates"].items():
                if f["games"]:
                    by = _by(sheet, f["by"])
                    ended.append(
                        f"{fate} {f['games']}" + (f", {_when(f['turns'])}" if f["turns"] else "") + by
                    )
            leaked = [
                f"{leak} {f['games']}, {_when(f['turns'])}" for leak, f in a["leaks"].items() if f["games"]
            ]
            if not a["secret"]:
                leaked = ["— (public)"]
            elif not leaked:
                leaked = ["never"]
            kind = a["visibility"] + (", secret annex" if a["annex"] else "")
            fates.add_row(f"{a['title']} ({kind})", "\n".join(ended), "\n".join(leaked))
        console.print(fates)

    s = sheet["secrets"]
    if s["in_force"]:
        age = s["age_at_leak"]
        lines = [
            f"Secrets: {s['in_force']} secret agreements were in force in the {n} games "
            f"({s['per_game']:.1f} a game; {s['at_start']} from the start).",
            f"  leaked (a rumour or an exposé): {_share(s['leaked'], s['in_force'])}"
            + (
                f", first at {_when(s['first_leak_turns'])}, {_num(age['median'])} turns after signing (median)"
                if age
                else ""
            ),
            f"  exposed: {_share(s['exposed'], s['in_force'])}"
            + (f", at {_when(s['exposed_turns'])}" if s["exposed"] else "")
            + (f"; {s['deliberate']} of them leaked on purpose by a party" if s["deliberate"] else ""),
            f"  games with a leak: {s['games_with_a_leak']} of {n}",
        ]
        console.print("\n".join(lines), highlight=False)
    else:
        console.print("Secrets: no secret agreement was in force in any game.", highlight=False)
    for line in sheet["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {line}", highlight=False)
    if sheet["bot_failures"]:
        console.print(
            f"[yellow]warning:[/yellow] {sheet['bot_failures']} bot failures (refused commands or faulty decisions) "
            f"in the games of seeds {', '.join(map(str, sheet['seeds_with_bot_failures']))}; "
            f"`backchannel simulate --scenario FILE --seed N --turns {sheet['turns']}` shows them.",
            highlight=False,
        )


def _by(sheet: Mapping[str, Any], tally: Mapping[str, int]) -> str:
    """ ", by France" when one state did it every time, else ", by France 3, Prussia 1"."""
    if not tally:
        return ""
    if len(tally) == 1:
        return f", by {_state_name(sheet, next(iter(tally)))}"
    return ", by " + ", ".join(f"{_state_name(sheet, s)} {k}" for s, k in tally.items())


def _state_name(sheet: Mapping[str, Any], state: str) -> str:
    return next((s["name"] for s in sheet["states"] if s["state"] == state), state)


# --- the command ------------------------------------------------------------------------------------------


def playtest_command(
    file: str, games: int, turns: int, seed: int, jobs: int = 1, json_out: Path | None = None
) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from game.launchers.simulate import summary_console
    from game.rules.errors import RulesError
    from game.scenario.loader import ScenarioError, find_scenario, load_scenario

    console = summary_console()
    try:
        scenario = load_scenario(find_scenario(file))
    except ScenarioError as exc:
        # The loader's problems, one a line and unwrapped: each is FILE:LINE: FIELD: MESSAGE.
        console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        return 1
    for name, value in (("--games", games), ("--turns", turns), ("--jobs", jobs)):
        if value < 1:
            console.print(f"[red]error:[/red] {name} must be at least 1", highlight=False)
            return 1
    seeds = list(range(seed, seed + games))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        with quiet_bots(), Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task(f"playing {scenario.id}", total=len(seeds))
            played = play_games(scenario, seeds, turns, None, jobs, lambda _: bar.advance(task))
    except RulesError as exc:  # the rules refusing to resolve a phase: a bug that must not pass silently
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        return 1
    sheet = balance_sheet(scenario, played, turns)
    print_sheet(console, sheet)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(sheet_json(sheet), encoding="utf-8")
        console.print(f"Figures written to {json_out}", highlight=False)
    return 0


__all__ = [
    "FATES",
    "LEAKS",
    "balance_sheet",
    "figures",
    "play_game",
    "play_games",
    "playtest_command",
    "print_sheet",
    "secrets",
    "starting_fates",
    "warnings",
]

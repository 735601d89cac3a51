"""Times the resolution of a movement turn: median and p95 over several repetitions.

Cases: july-1914, the classic 75-province board, and generated maps of 100, 1,000 and
10,000 territories with units on most of them; each unit gets a random valid order
(holds, moves, supports of real orders, convoys), seeded.  Beside our classic board it
times the `diplomacy` package (v1.1.2) processing a movement phase of its standard map
with random valid orders, in the same run, if it is installed (`pip install
diplomacy==1.1.2`).

    python bench/resolve.py [--reps N] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.rules.board import Board, territory_of  # noqa: E402
from game.rules.game import Game  # noqa: E402
from game.rules.rng import Rng  # noqa: E402
from game.rules.scenario import Scenario  # noqa: E402
from game.scenario.generated import generated_scenario  # noqa: E402


def random_orders(game: Game, rng: Rng) -> dict[str, list[str]]:
    """A random valid order for every unit: moves first, then supports of real orders, some convoys."""
    board = game.board
    units = game.units
    plan: dict[str, str] = {}
    moving: dict[str, str] = {}
    for territory in sorted(units, key=board.index.__getitem__):
        unit = units[territory]
        options = board.army_adj[unit.location] if unit.type == "army" else board.fleet_adj[unit.location]
        if options and rng.random() < 0.6:
            dest = rng.choice(options)
            plan[territory] = f"{unit.text} - {dest}"
            moving[territory] = territory_of(dest)
        else:
            plan[territory] = f"{unit.text} H"
    for territory, text in plan.items():
        if not text.endswith(" H") or rng.random() < 0.2:
            continue
        unit = units[territory]
        friends = [n for n in board.neighbours[territory] if n in units]
        rng.shuffle(friends)
        for n in friends:
            other = units[n]
            if n in moving:
                dest = moving[n]
                if dest != territory and board.can_reach(unit.type, unit.location, dest):
                    plan[territory] = f"{unit.text} S {other.letter} {n} - {dest}"
                    break
            elif board.can_reach(unit.type, unit.location, n):
                plan[territory] = f"{unit.text} S {other.letter} {n}"
                break
        else:
            if unit.type == "fleet" and board.is_sea(territory):
                armies = [n for n in friends if units[n].type == "army" and board.is_coastal(n)]
                landings = [n for n in board.neighbours[territory] if board.is_coastal(n)]
                if armies and landings:
                    army, land = rng.choice(armies), rng.choice(landings)
                    if army != land:
                        plan[territory] = f"{unit.text} C A {army} - {land}"
                        plan[army] = f"A {army} - {land} via convoy"
    by_state: dict[str, list[str]] = {}
    for territory, text in plan.items():
        by_state.setdefault(units[territory].state, []).append(text)
    return by_state


def time_ours(scenario: Scenario, reps: int, board: Board | None = None) -> list[float]:
    board = board or Board.from_scenario(scenario)
    times: list[float] = []
    for rep in range(reps):
        game = Game(scenario, rep, board)
        for state, orders in random_orders(game, Rng(rep, 1, "bench")).items():
            game.submit(state, orders)
        start = time.perf_counter()
        game.resolve()
        times.append(time.perf_counter() - start)
    return times


def time_diplomacy(reps: int) -> list[float] | None:
    try:
        from diplomacy import Game as DipGame  # type: ignore[import-not-found]
    except ImportError:
        return None
    chooser = random.Random(7)
    times: list[float] = []
    for _ in range(reps):
        game = DipGame()
        possible = game.get_all_possible_orders()
        for power in game.powers.values():
            locations = game.get_orderable_locations(power.name)
            game.set_orders(power.name, [chooser.choice(possible[loc]) for loc in locations if possible[loc]])
        start = time.perf_counter()
        game.process()
        times.append(time.perf_counter() - start)
    return times


def load(path: Path) -> Scenario | None:
    if not path.exists():
        return None
    from game.scenario.loader import load_scenario

    return load_scenario(path)


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered) * 1000, 3), "p95_ms": round(p95 * 1000, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=200, help="repetitions for the small boards")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    extra: dict[str, str] = {}
    july = load(ROOT / "scenarios" / "july-1914.yaml")
    if july is not None:
        results["july-1914"] = summary(time_ours(july, args.reps))
    classic = load(ROOT / "tests" / "fixtures" / "classic_board.yaml")
    if classic is not None:
        results["classic-75 (ours)"] = summary(time_ours(classic, args.reps))
    dip = time_diplomacy(max(20, args.reps // 4))
    if dip is not None:
        results["classic-75 (diplomacy 1.1.2)"] = summary(dip)
    for size, reps in ((100, args.reps), (1000, max(10, args.reps // 10)), (10_000, max(5, args.reps // 40))):
        scenario = generated_scenario(size, seed=1)
        board = Board.from_scenario(scenario)
        units = sum(len(s.units) for s in scenario.states)
        extra[f"generated-{size}"] = f"{units} units"
        results[f"generated-{size}"] = summary(time_ours(scenario, reps, board))
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'case':32} {'median ms':>10} {'p95 ms':>10}  note")
    for case, figures in results.items():
        print(f"{case:32} {figures['median_ms']:>10.3f} {figures['p95_ms']:>10.3f}  {extra.get(case, '')}")
    if "classic-75 (ours)" in results and "classic-75 (diplomacy 1.1.2)" in results:
        ratio = results["classic-75 (diplomacy 1.1.2)"]["median_ms"] / results["classic-75 (ours)"]["median_ms"]
        print(f"\nclassic board: ours is {ratio:.1f}x the speed of the diplomacy package (median)")
    if "generated-1000" in results and "generated-10000" in results:
        per_1k = results["generated-1000"]["median_ms"] / 1000
        per_10k = results["generated-10000"]["median_ms"] / 10_000
        print(f"time per territory at 10,000 is {per_10k / per_1k:.2f}x that at 1,000")


if __name__ == "__main__":
    main()

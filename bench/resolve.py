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


def agreement_commands(game: Game, count: int, rng: Rng) -> list[list[dict[str, object]]]:
    """`count` random agreements among random states, a third of them secret, with clauses of every
    checkable kind, each as the commands (propose, then sign) that players would send."""
    states = list(game.state_ids)
    territories = [t for t in game.board.ids if not game.board.is_sea(t)]
    units_of = {s: [u.territory for u in game.units_of(s)] for s in states}
    out: list[list[dict[str, object]]] = []
    for number in range(count):
        parties = [rng.choice(states)]
        while len(parties) < 2 + (rng.random() < 0.2):
            other = rng.choice(states)
            if other not in parties:
                parties.append(other)
        third = [s for s in states if s not in parties]
        kind = rng.randrange(7)
        if kind == 0:
            clause: dict[str, object] = {"kind": "non_aggression"}
        elif kind == 1:
            clause = {"kind": "demilitarised_zone", "territories": [rng.choice(territories), rng.choice(territories)]}
        elif kind == 2 and len(third) >= 2:
            clause = {"kind": "neutrality", "conflict": [third[0], third[1]]}
        elif kind == 3:
            clause = {"kind": "spheres_of_influence", "spheres": [{"state": parties[0], "territories": [rng.choice(territories)]},
                                                                 {"state": parties[1], "territories": [rng.choice(territories)]}]}
        elif kind == 4 and units_of[parties[0]]:
            unit = rng.choice(units_of[parties[0]])
            target = rng.choice(list(game.board.neighbours[unit]))
            clause = {"kind": "support_promise", "by": parties[0], "unit_at": unit, "target": target}
        elif kind == 5:
            clause = {"kind": "mutual_defence"}
        else:
            clause = {"kind": "intelligence_sharing"}
        visibility = "secret" if number % 3 == 0 else "public"
        commands: list[dict[str, object]] = [
            {"kind": "propose", "state": parties[0], "parties": parties, "clauses": [clause], "visibility": visibility}
        ]
        commands += [{"kind": "sign", "state": p, "agreement": "?"} for p in parties[1:]]
        out.append(commands)
    return out


def apply_agreements(game: Game, agreements: list[list[dict[str, object]]]) -> list[str]:
    """Propose and sign each agreement; return their ids in order."""
    refs = []
    for commands in agreements:
        (proposed,) = game.apply(commands[0])
        ref = str(proposed["agreement"])
        refs.append(ref)
        for command in commands[1:]:
            game.apply({**command, "agreement": ref})
    return refs


def realistic_agreements(
    scenario: Scenario, board: Board, seed: int, count: int, orders: dict[str, list[str]], breach_rate: float
) -> list[list[dict[str, object]]]:
    """Agreements of which about `breach_rate` are broken by this turn's orders: drawn at random, tried
    on a scratch copy of the turn, and kept if unbroken (or, at that rate, if broken)."""
    scratch = Game(scenario, seed, board)
    rng = Rng(seed, 0, "bench-agreements")
    candidates = agreement_commands(scratch, int(count * 1.6), rng)
    refs = apply_agreements(scratch, candidates)
    for state, lines in orders.items():
        scratch.submit(state, lines)
    events = scratch.resolve()
    breached = {e["agreement"] for e in events if e["kind"] == "agreement_breached"}
    broken = {i for i, ref in enumerate(refs) if ref in breached}
    keep = [c for i, c in enumerate(candidates) if i not in broken or rng.random() < breach_rate]
    return keep[:count]


def time_ours(
    scenario: Scenario, reps: int, board: Board | None = None, agreements: int = 0, breach_rate: float | None = None
) -> tuple[list[float], float]:
    """Resolution times, and the share of agreements breached in the timed turns."""
    board = board or Board.from_scenario(scenario)
    times: list[float] = []
    breached = total = 0
    for rep in range(reps):
        game = Game(scenario, rep, board)
        orders = random_orders(game, Rng(rep, 1, "bench"))
        if agreements:
            if breach_rate is None:
                drawn = agreement_commands(game, agreements, Rng(rep, 0, "bench-agreements"))
            else:
                drawn = realistic_agreements(scenario, board, rep, agreements, orders, breach_rate)
            apply_agreements(game, drawn)
        for state, lines in orders.items():
            game.submit(state, lines)
        start = time.perf_counter()
        events = game.resolve()
        times.append(time.perf_counter() - start)
        total += agreements
        breached += sum(1 for e in events if e["kind"] == "agreement_breached")
    return times, (breached / total if total else 0.0)


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
    from game.scenario.loader import ScenarioError, load_scenario

    try:
        return load_scenario(path)
    except ScenarioError as exc:
        print(f"skipping {path.name}: {exc}", file=sys.stderr)
        return None


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

    def case(name: str, measured: tuple[list[float], float], note: str = "") -> None:
        times, breached = measured
        results[name] = summary(times)
        if breached:
            note = f"{note}; {breached:.0%} of agreements breached in the timed turn".lstrip("; ")
        extra[name] = note

    july = load(ROOT / "scenarios" / "july-1914.yaml")
    if july is not None:
        case("july-1914", time_ours(july, args.reps), f"{sum(len(s.units) for s in july.states)} units")
    classic = load(ROOT / "tests" / "fixtures" / "classic_board.yaml")
    if classic is not None:
        case("classic-75 (ours)", time_ours(classic, args.reps), "22 units")
    dip = time_diplomacy(max(20, args.reps // 4))
    if dip is not None:
        results["classic-75 (diplomacy 1.1.2)"] = summary(dip)
        extra["classic-75 (diplomacy 1.1.2)"] = "its process(), same kind of orders"
    for size, reps in ((100, args.reps), (1000, max(10, args.reps // 10)), (10_000, max(5, args.reps // 40))):
        scenario = generated_scenario(size, seed=1)
        board = Board.from_scenario(scenario)
        units = sum(len(s.units) for s in scenario.states)
        case(f"generated-{size}", time_ours(scenario, reps, board), f"{units} units")
        if size == 1000:
            few = max(5, reps // 2)
            case("generated-1000 + 3,000 agreements", time_ours(scenario, few, board, 3000, breach_rate=0.05),
                 "a third secret")
            case("  same, random agreements", time_ours(scenario, few, board, 3000), "mass betrayal")
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'case':36} {'median ms':>10} {'p95 ms':>10}  note")
    for name, figures in results.items():
        print(f"{name:36} {figures['median_ms']:>10.3f} {figures['p95_ms']:>10.3f}  {extra.get(name, '')}")
    print()
    if "classic-75 (ours)" in results and "classic-75 (diplomacy 1.1.2)" in results:
        ratio = results["classic-75 (diplomacy 1.1.2)"]["median_ms"] / results["classic-75 (ours)"]["median_ms"]
        print(f"classic board: ours resolves {ratio:.1f}x as fast as the diplomacy package (median)")
    if "generated-1000 + 3,000 agreements" in results:
        base = results["generated-1000"]["median_ms"]
        ratio = results["generated-1000 + 3,000 agreements"]["median_ms"] / base
        worst = results["  same, random agreements"]["median_ms"] / base
        print(f"3,000 agreements: {ratio:.2f}x the resolution without them (budget 2x); {worst:.2f}x when random")
    if "generated-1000" in results and "generated-10000" in results:
        per_1k = results["generated-1000"]["median_ms"] / 1000
        per_10k = results["generated-10000"]["median_ms"] / 10_000
        print(f"time per territory at 10,000 is {per_10k / per_1k:.2f}x that at 1,000 (budget 3x)")


if __name__ == "__main__":
    main()

"""Times the resolution of a movement turn: median and p95 over several repetitions.

Cases: july-1914, the classic 75-province board, and generated maps of 100, 1,000 and
10,000 territories with units on most of them; each unit gets a random valid order
(holds, moves, supports of real orders, convoys), seeded.  Beside our classic board it
times the `diplomacy` package (v1.1.2) processing a movement phase of its standard map
with random valid orders, in the same run, if it is installed (`pip install
diplomacy==1.1.2`).

Times are CPU time of the process (steady on a shared machine) and wall time beside it.
Each timed turn starts from a fresh collection: building a case (a new game, thousands of
orders) leaves garbage that the cyclic collector would otherwise sweep inside whichever
turn happens to cross its threshold — at 10,000 territories nearly every one — so that a
turn would be charged for its set-up.  The collector stays on during the turn, which pays
for whatever it allocates itself.

The budgets (issue 14): time per territory at 10,000 territories within 2x that at 1,000,
and a turn with 3,000 agreements within 1.5x of the same turn without them; the last lines
say each ratio, its budget, and "ok" or "over".  The two turns of that ratio are timed in pairs,
the same game without and then with its agreements for each repetition, so that the ratio
compares the same games and a drift of the machine's speed during the run falls on both.  `--quick` runs the same cases one size
down (100 and 1,000 territories, 300 agreements) with few repetitions, in seconds, for CI.

    python bench/resolve.py [--quick] [--reps N] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.rules.board import Board, territory_of  # noqa: E402
from game.rules.game import Event, Game  # noqa: E402
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
            clause = {
                "kind": "demilitarised_zone",
                "territories": [rng.choice(territories), rng.choice(territories)],
            }
        elif kind == 2 and len(third) >= 2:
            clause = {"kind": "neutrality", "conflict": [third[0], third[1]]}
        elif kind == 3:
            clause = {
                "kind": "spheres_of_influence",
                "spheres": [
                    {"state": parties[0], "territories": [rng.choice(territories)]},
                    {"state": parties[1], "territories": [rng.choice(territories)]},
                ],
            }
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
            {
                "kind": "propose",
                "state": parties[0],
                "parties": parties,
                "clauses": [clause],
                "visibility": visibility,
            }
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


def timed_turn(game: Game) -> tuple[list[Event], float, float]:
    """Resolve the game's phase: its events, CPU seconds and wall seconds."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    events = game.resolve()
    return events, time.process_time() - cpu, time.perf_counter() - wall


Measured = tuple[list[float], list[float], float]
"""CPU and wall resolution times, and the share of agreements breached in the timed turns."""


def time_ours(
    scenario: Scenario,
    reps: int,
    board: Board | None = None,
    agreements: int = 0,
    breach_rate: float | None = None,
) -> Measured:
    board = board or Board.from_scenario(scenario)
    cpu_times: list[float] = []
    wall_times: list[float] = []
    breached = total = 0
    for rep in range(reps):
        events, cpu, wall = _one_turn(scenario, board, rep, agreements, breach_rate)
        cpu_times.append(cpu)
        wall_times.append(wall)
        total += agreements
        breached += sum(1 for e in events if e["kind"] == "agreement_breached")
    return cpu_times, wall_times, (breached / total if total else 0.0)


def time_paired(
    scenario: Scenario, reps: int, board: Board, agreements: int, breach_rate: float
) -> tuple[Measured, Measured]:
    """The same turns timed without and with `agreements`, one after the other for each repetition
    (the same game, the same orders): a drift of the machine's speed during the run falls on both
    sides alike, and the ratio compares the same games."""
    plain: list[tuple[float, float]] = []
    dealt: list[tuple[float, float]] = []
    breached = 0
    for rep in range(reps):
        _, cpu, wall = _one_turn(scenario, board, rep, 0, None)
        plain.append((cpu, wall))
        events, cpu, wall = _one_turn(scenario, board, rep, agreements, breach_rate)
        dealt.append((cpu, wall))
        breached += sum(1 for e in events if e["kind"] == "agreement_breached")
    return (
        ([c for c, _ in plain], [w for _, w in plain], 0.0),
        ([c for c, _ in dealt], [w for _, w in dealt], breached / (agreements * reps)),
    )


def _one_turn(
    scenario: Scenario, board: Board, rep: int, agreements: int, breach_rate: float | None
) -> tuple[list[Event], float, float]:
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
    return timed_turn(game)


def time_diplomacy(reps: int) -> tuple[list[float], list[float]] | None:
    try:
        from diplomacy import Game as DipGame  # type: ignore[import-not-found]
    except ImportError:
        return None
    chooser = random.Random(7)
    cpu_times: list[float] = []
    wall_times: list[float] = []
    for _ in range(reps):
        game = DipGame()
        possible = game.get_all_possible_orders()
        for power in game.powers.values():
            locations = game.get_orderable_locations(power.name)
            game.set_orders(power.name, [chooser.choice(possible[loc]) for loc in locations if possible[loc]])
        gc.collect()
        cpu, wall = time.process_time(), time.perf_counter()
        game.process()
        cpu_times.append(time.process_time() - cpu)
        wall_times.append(time.perf_counter() - wall)
    return cpu_times, wall_times


def load(path: Path) -> Scenario | None:
    if not path.exists():
        return None
    from game.scenario.loader import ScenarioError, load_scenario

    try:
        return load_scenario(path)
    except ScenarioError as exc:
        print(f"skipping {path.name}: {exc}", file=sys.stderr)
        return None


def summary(cpu: list[float], wall: list[float]) -> dict[str, float]:
    def p95(times: list[float]) -> float:
        ordered = sorted(times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    return {
        "median_ms": round(statistics.median(cpu) * 1000, 3),
        "p95_ms": round(p95(cpu) * 1000, 3),
        "wall_median_ms": round(statistics.median(wall) * 1000, 3),
        "wall_p95_ms": round(p95(wall) * 1000, 3),
    }


def verdict(ratio: float, budget: float) -> str:
    return "ok" if ratio <= budget else "over"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--reps", type=int, default=None, help="repetitions for the small boards (200; 20 with --quick)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="one size down and few repetitions: seconds, for CI"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()
    reps: int = args.reps if args.reps is not None else (20 if args.quick else 200)
    # The two sizes whose time per territory is compared, and the agreements added to the smaller.
    small, large, deals = (100, 1000, 300) if args.quick else (1000, 10_000, 3000)
    results: dict[str, dict[str, float]] = {}
    extra: dict[str, str] = {}

    def case(name: str, measured: Measured, note: str = "") -> None:
        cpu, wall, breached = measured
        results[name] = summary(cpu, wall)
        if breached:
            note = f"{note}; {breached:.0%} of agreements breached in the timed turn".lstrip("; ")
        extra[name] = note

    july = load(ROOT / "scenarios" / "july-1914.yaml")
    if july is not None:
        case("july-1914", time_ours(july, reps), f"{sum(len(s.units) for s in july.states)} units")
    classic = load(ROOT / "tests" / "fixtures" / "classic_board.yaml")
    if classic is not None:
        case("classic-75 (ours)", time_ours(classic, reps), "22 units")
    dip = time_diplomacy(max(5 if args.quick else 20, reps // 4))
    if dip is not None:
        results["classic-75 (diplomacy 1.1.2)"] = summary(*dip)
        extra["classic-75 (diplomacy 1.1.2)"] = "its process(), same kind of orders"
    sizes = (100, 1000) if args.quick else (100, 1000, 10_000)
    with_deals = f"generated-{small} + {deals:,} agreements"
    for size, size_reps in zip(sizes, (reps, max(10, reps // 10), max(5, reps // 40)), strict=False):
        scenario = generated_scenario(size, seed=1)
        board = Board.from_scenario(scenario)
        units = sum(len(s.units) for s in scenario.states)
        if size == small:  # the budgeted ratio: the same games, without and with the agreements
            plain, dealt = time_paired(scenario, size_reps, board, deals, breach_rate=0.05)
            case(f"generated-{size}", plain, f"{units} units")
            case(with_deals, dealt, "a third secret")
            few = max(5, size_reps // 2)
            case("  same, random agreements", time_ours(scenario, few, board, deals), "mass betrayal")
        else:
            case(f"generated-{size}", time_ours(scenario, size_reps, board), f"{units} units")
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'case':36} {'median ms':>10} {'p95 ms':>10} {'wall med':>10} {'wall p95':>10}  note")
    for name, figures in results.items():
        print(
            f"{name:36} {figures['median_ms']:>10.3f} {figures['p95_ms']:>10.3f} {figures['wall_median_ms']:>10.3f}"
            f" {figures['wall_p95_ms']:>10.3f}  {extra.get(name, '')}"
        )
    print(
        "(median and p95: CPU time of the process; wall: elapsed time, which other work on the machine inflates)"
    )
    print()
    if "classic-75 (ours)" in results and "classic-75 (diplomacy 1.1.2)" in results:
        ratio = (
            results["classic-75 (diplomacy 1.1.2)"]["median_ms"] / results["classic-75 (ours)"]["median_ms"]
        )
        print(f"classic board: ours resolves {ratio:.1f}x as fast as the diplomacy package (median)")
    base = results[f"generated-{small}"]
    if with_deals in results:
        ratio = results[with_deals]["median_ms"] / base["median_ms"]
        wall = results[with_deals]["wall_median_ms"] / base["wall_median_ms"]
        worst = results["  same, random agreements"]["median_ms"] / base["median_ms"]
        print(
            f"{deals:,} agreements: {ratio:.2f}x the resolution without them (budget 1.5x): {verdict(ratio, 1.5)}"
            f"  [wall {wall:.2f}x; {worst:.2f}x when random]"
        )
    top = results[f"generated-{large}"]
    per_small, per_large = base["median_ms"] / small, top["median_ms"] / large
    wall = (top["wall_median_ms"] / large) / (base["wall_median_ms"] / small)
    ratio = per_large / per_small
    print(
        f"time per territory at {large:,} is {ratio:.2f}x that at {small:,} (budget 2x): {verdict(ratio, 2.0)}"
        f"  [wall {wall:.2f}x]"
    )


if __name__ == "__main__":
    main()

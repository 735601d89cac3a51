"""Times a bot's decision per answer: `react()` on july-1914 with 20 agreements in play.

    python bench/bot_answer.py [--seed 1] [--turns 5] [--asks 60] [--json] [--quick]

A person holds Britain; a diplomat bot (the default mix of personalities) holds every other seat
the scenario lets someone play.  Before the first turn, 20 agreements are signed between the
states by commands through `Game.apply` (non-aggression, demilitarised zones, intelligence
sharing, mutual defence, tribute: proposed by one party, signed by the other), beside the
scenario's own.  Then each movement turn the bots open it, and the person sends `--asks`
messages, round-robin to the bots — every kind of ask (a support, intentions toward a territory
and toward a state, a warning, a demilitarised zone, a complaint), free text, and proposals —
and after each one the bot it went to reacts, as the server wakes it.  Each reaction answers
exactly one message (and a proposal, when one came), so each timing is one answer's.

It prints p50, p99 and max of two timings per answer: the decision alone (`Diplomat.react` on a
view already read), and the whole step the server runs (`BotDriver.react`: the state's view,
the decision, and applying its commands).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.bots.deals import contested  # noqa: E402
from game.bots.driver import BotDriver  # noqa: E402
from game.bots.situation import Situation  # noqa: E402
from game.bots.table import Table  # noqa: E402
from game.launchers.simulate import diplomats_for, driver_for, seats  # noqa: E402
from game.rules.errors import RulesError  # noqa: E402
from game.rules.game import Game  # noqa: E402
from game.rules.rng import Rng  # noqa: E402
from game.rules.views import view_for  # noqa: E402
from game.scenario.loader import find_scenario, load_scenario  # noqa: E402

HUMAN = "gbr"
AGREEMENTS = 20


def sign_agreements(game: Game, states: list[str], rng: Rng) -> list[str]:
    """`AGREEMENTS` agreements between neighbouring pairs of states, signed by commands."""
    table = Table.from_scenario(game.scenario, game.board)
    made: list[str] = []
    pairs = [(a, b) for i, a in enumerate(states) for b in states[i + 1 :]]
    rng.shuffle(pairs)
    kinds = ["non_aggression", "demilitarised_zone", "intelligence_sharing", "mutual_defence", "tribute"]
    for n, (a, b) in enumerate(pairs):
        if len(made) >= AGREEMENTS:
            break
        kind = kinds[n % len(kinds)]
        clause: dict[str, Any] = {"kind": kind}
        if kind == "demilitarised_zone":
            sit = Situation.read(view_for(game, a), table)
            zone = contested(sit, b)[:2]
            if not zone:
                clause = {"kind": "non_aggression"}
            else:
                clause["territories"] = zone
        elif kind == "tribute":
            clause.update(payer=a, payee=b, amount=1)
        try:
            ref = game.apply(
                {
                    "kind": "propose",
                    "state": a,
                    "parties": [a, b],
                    "title": f"Bench accord {n + 1}",
                    "visibility": "secret" if n % 2 else "public",
                    "clauses": [clause],
                    "duration": 12,
                }
            )
            game.apply({"kind": "sign", "state": b, "agreement": ref[0]["agreement"]})
        except RulesError:
            continue
        made.append(ref[0]["agreement"])
    return made


def ask_for(game: Game, bot: str, n: int, rng: Rng, pacts: dict[str, str]) -> dict[str, Any]:
    """The person's n-th message to a bot: every kind in turn."""
    board = game.board
    mine = sorted((u for u in game.units.values() if u.state == bot), key=lambda u: board.index[u.territory])
    near = sorted(
        {t for u in mine for t in board.neighbours[u.territory] if board.territories[t].kind != "sea"},
        key=board.index.__getitem__,
    ) or [mine[0].territory if mine else board.ids[0]]
    others = [s for s in game.state_ids if s not in (bot, HUMAN)]
    base = {"kind": "press", "state": HUMAN, "to": [bot]}
    kind = n % 8
    if kind == 0 and mine:
        u = mine[n % len(mine)]
        target = rng.choice(mine)
        dests = [t for t in board.neighbours[target.territory] if board.can_reach(u.type, u.location, t)]
        if dests and target.territory != u.territory:
            return {
                **base,
                "ask": {
                    "kind": "support",
                    "unit_at": u.territory,
                    "target": target.territory,
                    "dest": rng.choice(dests),
                },
            }
    if kind in (0, 1):
        return {**base, "ask": {"kind": "intentions", "territory": rng.choice(near)}}
    if kind == 2:
        return {**base, "ask": {"kind": "intentions", "state": rng.choice(others)}}
    if kind == 3:
        return {**base, "ask": {"kind": "warn", "territory": rng.choice(near)}}
    if kind == 4:
        return {**base, "ask": {"kind": "dmz", "territories": [rng.choice(near)]}}
    if kind == 5 and bot in pacts:
        return {**base, "ask": {"kind": "complain", "agreement": pacts[bot]}}
    if kind == 6:
        return {
            "kind": "propose",
            "state": HUMAN,
            "parties": [HUMAN, bot],
            "title": f"Offer {n}",
            "clauses": [{"kind": "non_aggression"}],
            "duration": 2,
        }
    return {
        **base,
        "text": f"A word from London, number {n}: what do you make of the situation in {board.territories[rng.choice(near)].name}?",
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--asks", type=int, default=60, help="messages from the person each turn")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true", help="one turn of 12 asks: a check that it runs (CI)")
    args = parser.parse_args()
    if args.quick:
        args.turns, args.asks = 1, 12

    scenario = load_scenario(find_scenario("july-1914"))
    game = Game(scenario, args.seed)
    players = [s for s in seats(scenario) if s != HUMAN]
    rng = Rng(args.seed, 0, "bench/agreements")
    made = sign_agreements(game, seats(scenario), rng)
    bots = diplomats_for(game, None)
    bots.pop(HUMAN, None)
    driver: BotDriver = driver_for(game, bots)
    decide: list[float] = []
    step: list[float] = []
    in_play: list[int] = []
    sent = 0
    for _ in range(args.turns):
        if game.over:
            break
        driver.open_phase()
        in_play.append(sum(a.status == "active" for a in game.diplomacy.agreements.values()))
        pacts = {
            s: a.id
            for a in game.diplomacy.agreements.values()
            if a.status == "active" and HUMAN in a.parties
            for s in a.parties
            if s != HUMAN
        }
        turn_rng = Rng(args.seed, game.turn, "bench/asks")
        for n in range(args.asks):
            bot = players[n % len(players)]
            try:
                game.apply(ask_for(game, bot, sent + n, turn_rng, pacts))
            except RulesError:
                continue
            seen = view_for(game, bot)
            t0 = time.perf_counter()
            bots[bot].react(seen)
            decide.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            driver.react(bot)
            step.append(time.perf_counter() - t0)
        sent += args.asks
        driver.close_phase()
        while not game.over:
            turn = game.turn
            game.resolve()
            if game.turn != turn or game.phase == "movement":
                break
            driver.close_phase()
    timed = {
        "answers": len(decide),
        "agreements_signed_by_commands": len(made),
        "agreements_in_play": f"{min(in_play)}-{max(in_play)}",
        "messages": len(game.diplomacy.messages),
        "decide_p50_ms": 1000 * statistics.median(decide),
        "decide_p99_ms": 1000 * percentile(decide, 0.99),
        "decide_max_ms": 1000 * max(decide),
        "step_p50_ms": 1000 * statistics.median(step),
        "step_p99_ms": 1000 * percentile(step, 0.99),
        "step_max_ms": 1000 * max(step),
        "bot_failures": driver.failures,
    }
    if args.json:
        print(json.dumps(timed, indent=1))
        return
    print(
        f"july-1914, seed {args.seed}: {timed['answers']} answers by {len(players)} bots over {args.turns} turns; "
        f"{timed['agreements_signed_by_commands']} agreements signed by commands, "
        f"{timed['agreements_in_play']} active while answering; {timed['messages']} messages in the end"
    )
    print(f"{'per answer':<50}{'p50':>9}{'p99':>9}{'max':>9}")
    for label, key in (
        ("decision (Diplomat.react on its view)", "decide"),
        ("server step (BotDriver.react: view+decide+apply)", "step"),
    ):
        print(f"{label:<50}" + "".join(f"{timed[f'{key}_{q}_ms']:>7.2f}ms" for q in ("p50", "p99", "max")))
    if driver.failures:
        print(f"bot failures (refused commands or faulty decisions): {driver.failures}")


if __name__ == "__main__":
    main()

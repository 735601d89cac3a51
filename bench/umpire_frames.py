"""Times the umpire's screen: a class of 30 students (six states, five each) and 500 messages.

The umpire's view is the rules' own (`view_for(game, UMPIRE)`) of a july-1914 game in which the
six teams have sent 500 messages and proposed agreements, secret ones among them, and given
their orders; the table lists the 30 students (and the umpire) as the server's does.  The screen
is stepped headless (dummy video driver) with the Everything page shown — every order,
agreement, message and trust figure at once — while the class goes on: a new message every 20
frames, a team's orders or ready flag every 30, and the mouse wandering over the map.  Then the
same with the Seats page shown.  Prints p50, p95 and max frame times.

Budget (issue 11): p95 < 16 ms with the Everything page.

    python bench/umpire_frames.py [--frames N] [--shot PATH] [--quick]

`--quick` (CI): 40 frames of each page, a check that it runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pygame  # noqa: E402

import game.launchers.play  # noqa: E402, F401  (gives the client its scenario reader, as the launchers do)
from game.client.app import ClientApp  # noqa: E402
from game.client.scenario_cache import ScenarioCache  # noqa: E402
from game.client.stand_in import StandInLink  # noqa: E402
from game.client.state import ClientState  # noqa: E402
from game.client.umpire import UmpireScreen  # noqa: E402
from game.rules.game import Game  # noqa: E402
from game.rules.knowledge import UMPIRE  # noqa: E402
from game.rules.views import view_for  # noqa: E402

BUDGET_P95 = 16.0
STUDENTS_PER_STATE = 5
MESSAGES = 500
FIRST_NAMES = (
    "Anna",
    "Ben",
    "Chloé",
    "Dmitri",
    "Emma",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kemal",
    "Lena",
    "Marco",
    "Nadia",
    "Oscar",
    "Paula",
    "Quentin",
    "Rosa",
    "Sami",
    "Tess",
    "Umar",
    "Vera",
    "Wim",
    "Xenia",
    "Yusuf",
    "Zoe",
    "Alba",
    "Bruno",
    "Carla",
    "Dario",
)
LINES = (
    "We will not move against you this spring if you keep your fleet out of the Channel.",
    "Our ambassador assures you of our support in the Balkans, whatever the papers say.",
    "Can you confirm that your army in Galicia holds this turn? We need to know before we commit.",
    "The cabinet is divided. Give us something public we can point to and we will sign.",
    "If you attack Belgium we cannot stay neutral; our public would never forgive it.",
    "A private word: the Tsar's ministers are nervous about your mobilisation.",
)


def classroom_game() -> tuple[Any, Game, list[str]]:
    """july-1914 with 500 messages among six teams, some agreements proposed and signed, orders given."""
    scenario = ScenarioCache().bundled("july-1914")
    game = Game(scenario, 11)
    states = [s.id for s in scenario.states if s.playable][:6]
    names = iter(FIRST_NAMES)
    authors = {s: [next(names) for _ in range(STUDENTS_PER_STATE)] for s in states}
    for i in range(MESSAGES):
        sender = states[i % len(states)]
        to = [states[(i + 1 + i // 7) % len(states)]] if i % 5 else []  # every fifth message is public
        if to == [sender]:
            to = [states[(i + 2) % len(states)]]
        game.apply(
            {
                "kind": "press",
                "state": sender,
                "to": to,
                "text": f"{LINES[i % len(LINES)]} ({i + 1})",
                "sincerity": "deceptive" if i % 4 == 0 else "sincere",
                "author": authors[sender][i % STUDENTS_PER_STATE],
            }
        )
    for i, state in enumerate(states):
        partner = states[(i + 1) % len(states)]
        events = game.apply(
            {
                "kind": "propose",
                "state": state,
                "parties": [state, partner],
                "visibility": "secret" if i % 2 == 0 else "public",
                "title": f"Understanding {i + 1}",
                "clauses": [{"kind": "non_aggression"}, {"kind": "free_text", "text": "Consult first."}],
                "annex": [{"kind": "free_text", "text": "A secret promise."}] if i % 2 else [],
                "duration": 4,
            }
        )
        ref = next(e["agreement"] for e in events if e.get("kind") == "agreement_proposed")
        if i % 3:
            game.apply({"kind": "sign", "state": partner, "agreement": ref})
    return scenario, game, states


def table_of(game: Game, states: list[str]) -> dict[str, Any]:
    """The umpire's table as the server sends it: 30 students, the umpire, seats, orders given."""
    names = iter(FIRST_NAMES)
    members: list[dict[str, Any]] = [
        {
            "id": "m1",
            "role": "umpire",
            "state": None,
            "name": "Teacher",
            "connected": True,
            "ready": False,
            "leader": False,
        }
    ]
    for s in states:
        for k in range(STUDENTS_PER_STATE):
            members.append(
                {
                    "id": f"m{len(members) + 1}",
                    "role": "player",
                    "state": s,
                    "name": next(names),
                    "connected": k != 4,
                    "ready": False,
                    "leader": k == 0,
                }
            )
    return {
        "game": "g-bench",
        "status": "running",
        "scenario": "july-1914",
        "title": game.scenario.title,
        "seats": {
            s.id: {
                "player": "human" if s.id in states else "bot",
                "taken": True,
                "members": STUDENTS_PER_STATE if s.id in states else 0,
            }
            for s in game.scenario.states
        },
        "clock": {"seconds": 900, "deadline": time.time() + 900, "paused": False, "remaining": None},
        "ready": states[:2],
        "you": {"game": "g-bench", "role": "umpire", "state": None},
        "codes": {
            "states": {s: f"CODE{i:04d}" for i, s in enumerate(states)},
            "observer": "OBSV2345",
            "umpire": "UMPR2345",
        },
        "members": members,
        "orders_in": {},
    }


def orders_for(game: Game, state: str) -> list[str]:
    board = game.board
    out = []
    for unit in game.units.values():
        if unit.state != state:
            continue
        adj = board.army_adj if unit.type == "army" else board.fleet_adj
        options = sorted(adj.get(unit.location, ()))
        letter = "A" if unit.type == "army" else "F"
        out.append(f"{letter} {unit.location} - {options[0]}" if options else f"{letter} {unit.location} H")
    return out


def frame_times(tab: str, frames: int, shot: Path | None = None) -> list[float]:
    scenario, game, states = classroom_game()
    view = view_for(game, UMPIRE)
    table = table_of(game, states)
    v = 1
    link = StandInLink(
        [
            {"type": "link", "state": "online"},
            {"type": "view", "game": "g-bench", "v": v, "view": view, "table": table},
        ]
    )
    app = ClientApp(link=link, size=(1280, 800), fps=None)
    assert app.game is not None
    app.game.kill()
    screen = UmpireScreen(app.manager, link, ClientState(), scenario=scenario)
    app.game = screen
    for _ in range(3):
        app.step()
    assert screen.side is not None and screen.map_view is not None
    # Orders given before the frames are timed: arrows for every state on the map.
    for s in states[:4]:
        v += 1
        link.messages.append(
            {
                "type": "event",
                "game": "g-bench",
                "v": v,
                "event": {
                    "kind": "orders_submitted",
                    "state": s,
                    "turn": view["turn"],
                    "phase": view["phase"],
                    "orders": orders_for(game, s),
                    "audience": [s],
                },
            }
        )
    screen.side.show(tab)
    for _ in range(5):
        app.step()
    rect = screen.map_view.rect
    times = []
    for i in range(frames):
        if i % 20 == 0:  # the class talks: a message every 20 frames (three a second at 60 fps)
            v += 1
            sender, to = states[i % 6], states[(i + 1) % 6]
            link.messages.append(
                {
                    "type": "event",
                    "game": "g-bench",
                    "v": v,
                    "event": {
                        "kind": "message",
                        "id": f"msg-b{i}",
                        "turn": view["turn"],
                        "from": sender,
                        "to": [to],
                        "text": LINES[i % len(LINES)],
                        "author": FIRST_NAMES[i % 30],
                        "audience": [sender, to],
                    },
                }
            )
        if i % 30 == 15:  # a team gives its orders or says it is ready
            v += 1
            s = states[(i // 30) % 6]
            if (i // 30) % 2:
                event = {"kind": "ready", "state": s, "ready": True, "audience": "all"}
            else:
                event = {
                    "kind": "orders_submitted",
                    "state": s,
                    "turn": view["turn"],
                    "phase": view["phase"],
                    "orders": orders_for(game, s)[: 1 + (i // 30) % 4],
                    "audience": [s],
                }
            link.messages.append({"type": "event", "game": "g-bench", "v": v, "event": event})
        if i % 3 == 0:  # the mouse wanders over the map: hover details
            x = rect.x + 20 + (i * 7) % (rect.w - 40)
            y = rect.y + 60 + (i * 5) % (rect.h - 80)
            pygame.event.post(
                pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(0, 0), buttons=(0, 0, 0))
            )
        t0 = time.perf_counter()
        app.step()
        times.append((time.perf_counter() - t0) * 1000)
    if shot is not None:
        app.screenshot(shot)
    app.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--shot", type=Path, default=None, help="Save the Everything page's last frame here.")
    parser.add_argument(
        "--quick", action="store_true", help="40 frames of each page: a check that it runs (CI)"
    )
    args = parser.parse_args()
    if args.quick:
        args.frames = min(args.frames, 40)
    ok = True
    for tab in ("everything", "seats"):
        times = sorted(frame_times(tab, args.frames, args.shot if tab == "everything" else None))
        p50 = statistics.median(times)
        p95 = times[int(len(times) * 0.95) - 1]
        budget = tab == "everything"
        verdict = ("ok" if p95 < BUDGET_P95 else "OVER BUDGET") if budget else "for information"
        ok &= p95 < BUDGET_P95 or not budget
        print(
            f"umpire screen, {tab:10} page: 30 students, {MESSAGES}+ messages, frames {len(times)}  "
            f"p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  max {times[-1]:6.2f} ms  "
            f"(budget p95 < {BUDGET_P95:g} ms: {verdict})"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

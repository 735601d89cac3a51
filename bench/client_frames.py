"""Times the client's frames: july-1914 and a generated 1,000-territory map, 600 frames each,
under the dummy video driver, with units, order arrows, the side panels and the status bar
shown; prints the median and p95 frame time.  Then times `backchannel play` from process
start to the first frame of the map.

Then the idle share: the real frame loop (its own pacing, as `backchannel play` runs it) on an
unchanging july-1914 game, process CPU time over wall time across N idle frames.

Budgets (issue 6): p95 < 8 ms for july-1914, < 16 ms for 1,000 territories, first map frame
< 2 s; (issue 13) an idle client under 5% of a core.  The client is fed a view built by the rules'
`view_for` from a started game through a stand-in link: no server is needed for the frames.

    python bench/client_frames.py [--frames N] [--idle-frames N] [--no-startup] [--quick]

`--quick` (CI): 30 frames of each case and 20 idle frames, no startup run, a check that it runs;
its figures are printed but not judged against the budgets (too few frames to measure).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pygame  # noqa: E402

from game.client.app import FPS, ClientApp  # noqa: E402
from game.client.game_screen import GameScreen  # noqa: E402
from game.client.scenario_cache import ScenarioCache  # noqa: E402
from game.client.stand_in import StandInLink  # noqa: E402
from game.client.state import ClientState  # noqa: E402
from game.rules.game import Game  # noqa: E402
from game.rules.scenario import Scenario  # noqa: E402
from game.rules.views import view_for  # noqa: E402
from game.scenario.generated import generated_scenario  # noqa: E402
from game.scenario.loader import load_scenario_text  # noqa: E402

BUDGETS = {"july-1914": 8.0, "generated-1000": 16.0}
STARTUP_BUDGET = 2.0
IDLE_BUDGET = 5.0
"""Per cent of one core while nothing changes."""
QUICK_FRAMES = 30
QUICK_IDLE_FRAMES = 20


def give_scenario_reader() -> None:
    """The client reads bundled scenario files only through the reader its program hands it (the
    client may not import the scenario package); this bench is that program here."""
    if ScenarioCache.read_yaml is None:
        ScenarioCache.read_yaml = load_scenario_text


def seat_of(scenario: Scenario) -> str:
    """The playable state with the most units: the most arrows to draw."""
    return max(scenario.states, key=lambda s: (s.playable, len(s.units))).id


def frame_times(scenario: Scenario, frames: int, label: str, pan: bool = False) -> list[float]:
    app, screen = seated_app(scenario)
    map_view = screen.map_view
    assert map_view is not None
    rect = map_view.rect
    if pan:  # the whole map fits at first: zoomed in, there is somewhere to pan to
        map_view.zoom_at(2.5)
    times = []
    for i in range(frames):
        if pan:  # the map dragged a few pixels every frame: units and arrows are placed again each time
            dx = 3 if (i // 100) % 2 == 0 else -3
            map_view.pan(dx, 1 if (i // 50) % 2 == 0 else -1)
        elif i % 3 == 0:  # the mouse wanders over the map: hover details are looked up and drawn
            x = rect.x + 20 + (i * 7) % (rect.w - 40)
            y = rect.y + 60 + (i * 5) % (rect.h - 80)
            pygame.event.post(
                pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(0, 0), buttons=(0, 0, 0))
            )
        t0 = time.perf_counter()
        app.step()
        times.append((time.perf_counter() - t0) * 1000)
    if not pan:
        app.screenshot(ROOT / "build" / "screenshots" / f"bench-{label}.png")
    app.close()
    return times


def idle_share(scenario: Scenario, frames: int) -> tuple[float, int, int]:
    """Per cent of one core the real loop uses over `frames` frames in which nothing happens, and
    how many frames it took and drew (an idle screen is drawn only on change and twice a second)."""
    app, _screen = seated_app(scenario)
    app.fps = FPS  # the real loop's pacing, as `backchannel play` runs it
    settle = time.monotonic() + 1.5  # the last input and news fade (hover effects)
    while time.monotonic() < settle:
        app.step()
    draws = app.draws
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(frames):
        app.step()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    drawn = app.draws - draws
    app.close()
    return 100.0 * cpu / wall, frames, drawn


def seated_app(scenario: Scenario) -> tuple[ClientApp, GameScreen]:
    """A client on `scenario`'s first turn, seated as its biggest state, with orders given and the
    agreements panel open: everything a frame can show."""
    game = Game(scenario, 1)
    me = seat_of(scenario)
    view = view_for(game, me)
    table = {
        "status": "running",
        "ready": [],
        "seats": {me: {"player": "human", "taken": True}},
        "clock": {"seconds": 900, "deadline": time.time() + 900, "paused": False, "remaining": None},
        "you": {"game": "bench", "role": "player", "state": me},
    }
    link = StandInLink(
        [
            {"type": "link", "state": "online"},
            {"type": "view", "game": "bench", "v": 1, "view": view, "table": table},
        ]
    )
    app = ClientApp(link=link, size=(1280, 800), fps=None)
    assert app.game is not None
    app.game.kill()
    app.game = GameScreen(app.manager, link, ClientState(), scenario=scenario)
    for _ in range(3):
        app.step()
    screen = app.game
    assert screen.order_box is not None and screen.map_view is not None
    # Orders for my units: moves and holds, so arrows are drawn every frame.
    board = screen.board
    assert board is not None
    orders = []
    for u in view["map"]["units"]:
        if u["state"] != me:
            continue
        adj = board.army_adj if u["type"] == "army" else board.fleet_adj
        options = adj.get(u["location"], ())
        letter = "A" if u["type"] == "army" else "F"
        orders.append(
            f"{letter} {u['location']} - {options[0]}" if options else f"{letter} {u['location']} H"
        )
    screen.order_box.submit(orders[:40])  # the list is the server's: sent, then drawn as the server holds it
    for _ in range(200):
        app.step()
        if screen.order_box.pending is None:
            break
    assert screen.side is not None
    screen.side.show("deals")  # the agreements panel: the richest of the side panels
    for _ in range(3):
        app.step()
    return app, screen


def startup_seconds() -> float:
    """From starting `backchannel play` to the first frame of the map, in a fresh process."""
    env = dict(os.environ, BACKCHANNEL_FIRST_FRAME_EXIT="1", BACKCHANNEL_HOME=tempfile.mkdtemp())
    # An installed game has its bytecode compiled; a dev shell with PYTHONDONTWRITEBYTECODE would
    # compile every module at every start.  Bytecode goes to a temporary folder, not the tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp()
    exe = Path(sys.executable).with_name("backchannel")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "game.cli"]
    # Once to fill the scenario cache and the bytecode (only the very first run ever parses the YAML),
    # then measured: a new game in the same home, as a player starting their second game would.
    subprocess.run(
        [*command, "play", "--as", "fra", "--seed", "1"], env=env, capture_output=True, timeout=120
    )
    start = time.time()
    done = subprocess.run(
        [*command, "play", "--as", "fra", "--seed", "1"], env=env, capture_output=True, text=True, timeout=120
    )
    for line in done.stdout.splitlines():
        if line.startswith("first-map-frame "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"no first frame reported: {done.stdout[-500:]} {done.stderr[-2000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--idle-frames", type=int, default=100)
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_FRAMES} frames a case, no startup run, not judged: a check that it runs (CI)",
    )
    args = parser.parse_args()
    if args.quick:
        args.frames = min(args.frames, QUICK_FRAMES)
        args.idle_frames = min(args.idle_frames, QUICK_IDLE_FRAMES)
        args.no_startup = True
    give_scenario_reader()
    ok = True
    cases: dict[str, Callable[[], Scenario]] = {
        "july-1914": lambda: ScenarioCache().bundled("july-1914"),
        "generated-1000": lambda: generated_scenario(1000, seed=1),
    }

    def judged(within: bool) -> str:
        """The verdict on one budget; a quick run's few frames are not a measurement."""
        nonlocal ok
        if args.quick:
            return "quick run, not judged"
        ok &= within
        return "ok" if within else "OVER BUDGET"

    for label, make in cases.items():
        scenario = make()
        times = sorted(frame_times(scenario, args.frames, label))
        median = statistics.median(times)
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        budget = BUDGETS[label]
        verdict = judged(p95 < budget)
        print(
            f"{label:16} {len(scenario.map.territories):5} territories  frames {len(times)}  "
            f"median {median:6.2f} ms  p95 {p95:6.2f} ms  (budget p95 < {budget:g} ms: {verdict})"
        )
        panning = sorted(frame_times(scenario, args.frames, label, pan=True))
        print(
            f"{'':16} while panning every frame:   median {statistics.median(panning):6.2f} ms  "
            f"p95 {panning[max(0, int(len(panning) * 0.95) - 1)]:6.2f} ms  (for information)"
        )
    share, frames, drawn = idle_share(ScenarioCache().bundled("july-1914"), args.idle_frames)
    verdict = judged(share < IDLE_BUDGET)
    print(
        f"idle july-1914: {share:.1f}% of a core over {frames} idle frames ({drawn} drawn)  "
        f"(budget < {IDLE_BUDGET:g}%: {verdict})"
    )
    if not args.no_startup:
        seconds = startup_seconds()
        verdict = judged(seconds < STARTUP_BUDGET)
        print(
            f"backchannel play to the first map frame: {seconds:.2f} s  (budget < {STARTUP_BUDGET:g} s: {verdict})"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

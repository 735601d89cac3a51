"""The client program: the window, the main loop, and the screens (title, game).

`run_client` is what `backchannel play` and `backchannel join` call.  `ClientApp.step` does
one frame — events, polling the link, drawing — so tests and the demo driver can step the
program a frame at a time.  Nothing here waits on the network: the link runs in its own
thread and starting a local game runs in a worker thread while the title screen stays live.

Local play (`game.play.LocalPlay`, outside the client because it runs the server) is handed
in as `local`; the client only calls `local.saved()`, `local.new_game(scenario, state, seed)`
and `local.continue_game(game_id)` on it, the last two in a worker thread.  Hosting a class
game (`game.host.Hosting`) is handed in as `hosting` the same way: `hosting.host(options)` runs in
the worker thread and returns the umpire's session.

The screen follows the seat's role: a player's code opens the game screen, the umpire's the
umpire's screen (game/client/umpire), the observers' the projector's (observer_screen.py).  A
join only learns its role from the server's answer, so the screen is swapped for the right one
as soon as the seat is known, keeping the link and everything it received.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

os.environ.setdefault("SDL_AUDIODRIVER", "dummy")  # no sound is played: keep audio drivers quiet
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # after the SDL environment above
import pygame_gui

from game.client.game_screen import MIN_SIZE, GameScreen
from game.client.link import Link, ServerLink
from game.client.observer_screen import ObserverScreen
from game.client.scenario_cache import ScenarioCache
from game.client.state import ClientState
from game.client.theme import theme_data
from game.client.title_screen import Choice, SavedEntry, TitleScreen
from game.client.umpire import UmpireScreen
from game.render.fonts import FONT_DIR

DEFAULT_SIZE = (1280, 800)
FPS = 60
IDLE_FPS = 20
"""Frames a second while nothing happens: input is still read within 50 ms."""
IDLE_REDRAW = 0.5
"""Seconds between the redraws of an idle screen (its clock counts down)."""
ACTIVE_SECONDS = 1.0
"""How long after input or news the screen keeps drawing every frame (hover effects, tooltips)."""
FIRST_FRAME_ENV = "BACKCHANNEL_FIRST_FRAME_EXIT"
"""When set, the program prints `first-map-frame EPOCH` at the first frame of the map and quits (the bench)."""


def make_manager(size: tuple[int, int]) -> pygame_gui.UIManager:
    """The UI manager with the theme, and DejaVu registered for the HTML text boxes' bold and italics."""
    manager = pygame_gui.UIManager(size, theme_data(), enable_live_theme_updates=False)
    regular, bold = str(FONT_DIR / "DejaVuSans.ttf"), str(FONT_DIR / "DejaVuSans-Bold.ttf")
    manager.add_font_paths("dejavu", regular, bold, regular, bold)
    fonts = manager.get_theme().get_font_dictionary()
    # Preloading a font the theme already loaded only warns; ask for the missing ones.
    missing: list[dict[str, str | int | float]] = [
        {"name": "dejavu", "point_size": size_, "style": style}
        for size_ in (12, 13, 14, 15, 16, 18)
        for style in ("regular", "bold", "italic", "bold_italic")
        if not fonts.check_font_preloaded(
            fonts.create_font_id(size_, "dejavu", "bold" in style, "italic" in style)
        )
    ]
    manager.preload_fonts(missing)
    return manager


SCREENS: dict[str, type[GameScreen]] = {
    "player": GameScreen,
    "umpire": UmpireScreen,
    "observer": ObserverScreen,
}
"""The screen of each role."""


def screen_class(role: str | None) -> type[GameScreen]:
    """The screen for a seat's role (the player's until the role is known)."""
    return SCREENS.get(role or "player", GameScreen)


def _saved_entries(local: Any) -> list[SavedEntry]:
    if local is None:
        return []
    try:
        games = local.saved()
    except Exception:  # an unreadable registry must not keep the title screen away
        return []
    out = []
    for g in games:
        when = time.strftime("%d %b %H:%M", time.localtime(g.last_played))
        out.append(SavedEntry(g.game, f"{g.scenario} as {g.state.upper()} · {when}"))
    return out


class ClientApp:
    """The window and its screens; `step()` runs one frame."""

    def __init__(
        self,
        *,
        session: Any = None,
        link: Link | None = None,
        join: tuple[str, ...] | None = None,
        local: Any = None,
        size: tuple[int, int] = DEFAULT_SIZE,
        fullscreen: bool = False,
        seed: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        playback_seconds: float | None = None,
        fps: int | None = 240,
        screenshots: Path | None = None,
        hosting: Any = None,
        make_report: Callable[[dict[str, Any]], Any] | None = None,
    ) -> None:
        # Only what the client uses: no pygame.init(), which would open the audio device (the
        # mixer) for nothing, slowly, and noisily on machines without sound.
        pygame.display.init()
        pygame.font.init()
        size = (max(MIN_SIZE[0], size[0]), max(MIN_SIZE[1], size[1]))
        flags = pygame.RESIZABLE | (pygame.FULLSCREEN if fullscreen else 0)
        self.surface = pygame.display.set_mode(size, flags)
        pygame.display.set_caption("Backchannel")
        self.manager = make_manager(size)
        self.cache = ScenarioCache()
        self.local = local
        self.hosting = hosting
        self.make_report = make_report
        """Turns the server's record into the debrief report (the launcher's: the client never imports
        the debrief); handed to the umpire's screen for its Report button."""
        self.classroom: dict[str, Any] | None = None
        self._caption = ""
        self.seed = seed
        self.clock = clock
        self.playback_seconds = playback_seconds
        self.session: Any = None
        self.link: Link | None = None
        self.title: TitleScreen | None = None
        self.game: GameScreen | None = None
        self.running = True
        self.fps = fps
        """Frames a second at most (None: as fast as it goes, for benches).  The pause between frames
        is what lets the link's and the embedded server's threads run: a loop spinning through cheap
        frames would starve them of the interpreter and a reconnect would take minutes."""
        self._ticker = pygame.time.Clock()
        self.frames = 0
        self.draws = 0
        """Frames actually drawn: an idle game screen draws only on change (and twice a second)."""
        self._last_draw = -1e9
        self._had_events = False
        self._last_activity = clock()
        self._state_seen: tuple[object, ...] | None = None
        self.exit_code = 0
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="backchannel-start")
        self._starting: Future[Any] | None = None
        self._join_ref: str | int | None = None
        self.screenshots = screenshots
        """Where F12 and the end of each turn's playback save a picture of the window (None: nowhere)."""
        self._shots = 0
        self._shot_playbacks = 0
        self._last = clock()
        if session is not None:
            self._open_session(session)
        elif link is not None:
            self._open_link(link)
        elif join is not None:
            self._join(*join)
        else:
            self.show_title()

    # --- screens -----------------------------------------------------------------------------

    def show_title(self, message: str = "") -> None:
        if self.game is not None:
            self.game.kill()
            self.game = None
        if self.title is not None:
            self.title.kill()
        self.title = TitleScreen(
            self.manager,
            self.cache,
            _saved_entries(self.local),
            self.local is not None,
            message,
            can_host=self.hosting is not None,
        )

    def _open_session(self, session: Any) -> None:
        self.session = session
        classroom = getattr(session, "classroom", None)
        self.classroom = dict(classroom) if isinstance(classroom, dict) else None
        self.make_report = getattr(session, "make_report", None) or self.make_report
        self._open_link(session.link)

    def _open_link(self, link: Link) -> None:
        if self.title is not None:
            self.title.kill()
            self.title = None
        self.link = link
        link.start()  # a no-op for a link already started
        seat = getattr(link, "seat", None)  # a ServerLink knows its seat once joined; a stand-in does not
        role = seat.get("role") if isinstance(seat, dict) else None
        self.game = self._screen(screen_class(role), link, ClientState())

    def _screen(
        self, cls: type[GameScreen], link: Any, state: ClientState, scenario: Any = None
    ) -> GameScreen:
        options: dict[str, Any] = {
            "cache": self.cache,
            "clock": self.clock,
            "playback_seconds": self.playback_seconds,
            "scenario": scenario,
        }
        if cls is UmpireScreen:
            options.update(make_report=self.make_report, classroom=self.classroom)
        return cls(self.manager, link, state, **options)

    def _match_role(self) -> None:
        """Swap the screen for the seat's own once the server said which seat this is."""
        game = self.game
        if game is None or game.state.role is None or game.role == game.state.role:
            return
        cls = screen_class(game.state.role)
        if cls is type(game):
            return
        scenario = game.scenario
        game.kill()
        self.game = self._screen(cls, game.link, game.state, scenario)

    def _update_caption(self) -> None:
        caption = self.game.caption() if self.game is not None else "Backchannel"
        if caption != self._caption:
            self._caption = caption
            pygame.display.set_caption(caption)

    def _join(self, url: str, code: str, name: str = "") -> None:
        link = ServerLink(url)
        link.start()
        message: dict[str, Any] = {"type": "join", "code": code}
        if name:
            message["name"] = name  # a team sees who wrote what; the server says if it is taken
        self._join_ref = link.send(message)
        self._open_link(link)

    def _turn_screenshot(self) -> None:
        game = self.game
        if self.screenshots is None or game is None or game.playback is not None:
            return
        if game.playbacks > self._shot_playbacks:
            self._shot_playbacks = game.playbacks
            self.save_screenshot(f"turn-{game.state.turn}-{game.state.phase or 'end'}")

    def save_screenshot(self, name: str) -> Path | None:
        """A numbered PNG in the screenshots folder, if there is one."""
        if self.screenshots is None:
            return None
        self._shots += 1
        return self.screenshot(self.screenshots / f"{self._shots:03d}-{name}.png")

    def _check_join(self) -> None:
        """A join the server refused (or an address that is no server) goes back to the title screen."""
        game, ref = self.game, self._join_ref
        if game is None or ref is None:
            return
        reply = game.state.replies.get(ref)
        if reply is not None and reply.get("type") != "error":
            self._join_ref = None
            return
        if reply is None and game.state.connection != "offline":
            return
        reason = (
            str(reply.get("message"))
            if reply is not None
            else game.state.connection_detail or "no server there"
        )
        self._join_ref = None
        if self.link is not None:
            self.link.close()
            self.link = None
        self.show_title(f"Could not join: {reason}"[:160])

    def _start_choice(self, choice: Choice) -> None:
        """Act on the title screen's choice; a local game starts in the worker thread."""
        assert self.title is not None
        if choice.action == "quit":
            self.running = False
        elif choice.action == "join":
            self._join(*choice.args)
        elif choice.action == "play" and self.local is not None:
            scenario, state = choice.args
            self.title.set_busy(f"Starting {scenario} as {state.upper()}…")
            self._starting = self._worker.submit(self.local.new_game, scenario, state, self.seed)
        elif choice.action == "host" and self.hosting is not None:
            self.title.set_busy("Starting the server and creating the game…")
            self._starting = self._worker.submit(self.hosting.host, dict(choice.options or {}))
        elif choice.action == "continue" and self.local is not None:
            self.title.set_busy("Resuming the game…")
            self._starting = self._worker.submit(self.local.continue_game, choice.args[0])

    def _check_starting(self) -> None:
        future = self._starting
        if future is None:
            return
        if not future.done():
            return
        self._starting = None
        try:
            session = future.result()
        except Exception as exc:  # shown to the player, who can choose again
            if self.title is not None:
                self.title.set_busy("")
                self.title.show_message(str(exc)[:200])
            return
        self._open_session(session)

    # --- the frame ---------------------------------------------------------------------------

    def step(self, events: Sequence[pygame.event.Event] | None = None) -> bool:
        """One frame: handle `events` (default: the queue's), poll the link, draw.  False once quit."""
        now = self.clock()
        dt = max(0.0, min(0.25, now - self._last))
        self._last = now
        queued = pygame.event.get() if events is None else list(events)
        self._had_events = bool(queued)
        for event in queued:
            self._event(event)
        if not self.running:
            return False
        self._check_starting()
        if self.game is not None:
            self.game.poll()
            self._match_role()
            self.game.update()
            self._check_join()
            self._turn_screenshot()
        elif self.title is not None and self.title.choice is not None:
            choice, self.title.choice = self.title.choice, None
            self._start_choice(choice)
        elif self.title is not None:
            self.title.update()
        busy = self._busy(now, self._had_events)
        if busy or now - self._last_draw >= IDLE_REDRAW:
            self.manager.update(dt if busy else min(dt + (now - self._last_draw), 0.25))
            self._update_caption()
            self._draw()
            self._last_draw = now
            self.draws += 1
        self.frames += 1
        if self.fps:
            self._ticker.tick(self.fps if busy else min(self.fps, IDLE_FPS))
        return self.running

    def _busy(self, now: float, had_events: bool) -> bool:
        """Whether this frame may show something new: input, news from the server, an animation,
        or the second after any of them (widgets' hover and press effects).  An idle game screen is
        drawn only twice a second (the clock; a focused text field's cursor blinks at that pace) and
        the loop slows to `IDLE_FPS`, still reading input."""
        if self.game is None:
            # The title screen: its gallery's thumbnails, drawn in the background, show at the next
            # redraw (within IDLE_REDRAW); a game being started keeps the frames coming.
            if had_events or self._starting is not None or self.title is None:
                self._last_activity = now
                return True
            return now - self._last_activity < ACTIVE_SECONDS
        game = self.game
        view = game.map_view
        where: tuple[object, ...] = ()
        if view is not None:
            camera = view.renderer.camera
            where = (
                camera.zoom,
                camera.center,
                view.rect.size,
                view.hint,
                view.hover,
                view.orders.selected,
                view.orders.mode,
            )
        seen = (
            getattr(game.state, "v", None),
            getattr(game.state, "revision", None),
            game.state.connection,
            len(game.toasts),
            len(game.windows),
            game.help.shown,
            game.order_box is not None and game.order_box.pending is not None,
            where,
        )
        if had_events or seen != self._state_seen:
            self._state_seen = seen
            self._last_activity = now
            return True
        if game.playback is not None and not game.playback.done(game.clock()):
            return True
        return now - self._last_activity < ACTIVE_SECONDS

    def _event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
            return
        if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            if event.type == pygame.VIDEORESIZE:
                self.resize(event.size)
            else:  # pygame-ce names the new size x, y here
                self.resize((getattr(event, "x", 0), getattr(event, "y", 0)))
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F12 and self.screenshots is not None:
            self.save_screenshot("window")
            return
        consumed = self.manager.process_events(event)
        if self.game is not None:
            self.game.process_event(event, consumed)
        elif self.title is not None:
            self.title.process_event(event)

    def resize(self, size: tuple[int, int]) -> None:
        """Follow the window to a new size (never below the minimum) and lay everything out again."""
        size = (max(MIN_SIZE[0], int(size[0])), max(MIN_SIZE[1], int(size[1])))
        if self.surface.get_size() != size:
            flags = self.surface.get_flags() & pygame.FULLSCREEN
            self.surface = pygame.display.set_mode(size, pygame.RESIZABLE | flags)
        if self.manager.window_resolution == size:
            return
        self.manager.set_window_resolution(size)
        if self.game is not None:
            self.game.resize(size)
        if self.title is not None:
            self.title.resize(size)

    def toggle_fullscreen(self) -> None:
        with contextlib.suppress(pygame.error):  # some drivers (dummy) have no full screen
            pygame.display.toggle_fullscreen()
            shown = pygame.display.get_surface()
            if shown is not None:
                self.resize(shown.get_size())

    def _draw(self) -> None:
        surface = self.surface
        surface.fill((29, 37, 45))
        if self.game is not None:
            self.game.draw_map(surface)
        self.manager.draw_ui(surface)
        if self.game is not None:
            self.game.draw_over(surface)
        pygame.display.flip()

    def screenshot(self, path: Path) -> Path:
        """Save what the window shows now as a PNG."""
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(self.surface, str(path))
        return path

    def close(self) -> None:
        """Close the link (and the local game's server), and the window."""
        self._worker.shutdown(wait=False, cancel_futures=True)
        if self.game is not None:
            self.game.kill()
        if self.session is not None:
            with contextlib.suppress(Exception):
                self.session.close()
        elif self.link is not None:
            self.link.close()
        pygame.display.quit()


class Driver(Protocol):
    """What plays a seat through the UI in place of a person (the demo's bot): one `tick()` a frame."""

    exit_code: int

    def tick(self) -> bool:
        """Act for one frame; False once it is done."""
        ...


def run_client(
    session: Any = None,
    *,
    link: ServerLink | None = None,
    state: str | None = None,
    title_screen: bool | None = None,
    join: tuple[str, ...] | None = None,
    local: Any = None,
    driver: Callable[[ClientApp], Driver] | None = None,
    screenshots: Path | None = None,
    seed: int | None = None,
    size: tuple[int, int] = DEFAULT_SIZE,
    fullscreen: bool = False,
    hosting: Any = None,
    make_report: Callable[[dict[str, Any]], Any] | None = None,
) -> int:
    """Open the window and run until the player quits (or the demo's turns are played).

    session: a started game (anything with `.link`, a ServerLink, and `.close()`, e.g.
      `game.launchers.play.LocalGame`): the window opens on its map.
    link: a ServerLink already seated (`state`: its state, for the record; the client learns it
      from the server anyway); join: (url, code[, name]) to join a server game without waiting here.
    title_screen: show the title screen first (the default when no game is given).
    local: `game.launchers.play.LocalPlay`: the title screen can start and continue local games.
    hosting: `game.launchers.host.Hosting`: the title screen can host a class game (its session opens the
      umpire's screen); make_report(record) -> path: the umpire's Report button (a hosted session
      brings its own).
    driver: called with the app, returns what plays the seat through the UI a frame at a time
      (the demo's, handed in by the launcher: the client never names a launcher or the bots); the
      program ends when its `tick()` says so, with its `exit_code`, and takes its own screenshots.
      Without a driver, `screenshots` receives a picture after each turn's playback and on F12.
    Returns the exit status."""
    del state  # the seat comes from the server's own messages
    if title_screen:
        session = link = join = None
    app = ClientApp(
        session=session,
        link=link,
        join=join,
        local=local,
        size=size,
        fullscreen=fullscreen,
        seed=seed,
        fps=FPS if driver is None else 240,
        screenshots=screenshots if driver is None else None,
        hosting=hosting,
        make_report=make_report,
    )
    playing = driver(app) if driver is not None else None
    first_frame_exit = bool(os.environ.get(FIRST_FRAME_ENV))
    try:
        while app.running:
            if playing is not None and not playing.tick():
                break
            if not app.step():
                break
            if first_frame_exit and app.game is not None and app.game.first_map_frame is not None:
                print(f"first-map-frame {app.game.first_map_frame:.6f}", flush=True)
                break
    except KeyboardInterrupt:
        pass
    finally:
        app.close()
    return playing.exit_code if playing is not None else app.exit_code


if __name__ == "__main__":  # pragma: no cover - a developer's shortcut
    sys.exit(run_client())

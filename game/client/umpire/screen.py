"""The umpire's screen: the map with every state's orders on it, the seats, injects and everything.

It is the game screen of the umpire's seat: the same link, picture and map, with the umpire's
bar (role, clock, Start, Pause/Resume, +5 min, Resolve now, Report) instead of the player's, and
its own tabs (Seats, Everything, Injects) instead of orders and talk.  The map shows what the
umpire alone sees: every state's orders as given, as arrows in its colour.

Two answers of the server get more than a toast.  A `start` refused as `seats_empty` (a human
seat the teacher kept for students that nobody joined) asks the teacher to confirm, then sends
the start again with `confirm`.  The reply to `get_record` is handed to the launcher's
`make_report(record) -> path` in a worker thread (the client itself never imports the debrief).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pygame
import pygame_gui
from pygame_gui.elements import UIPanel
from pygame_gui.windows import UIConfirmationDialog

from game.client.game_screen import GameScreen
from game.client.map_view import MapView
from game.client.panels.names import Names, esc
from game.client.panels.panel import screen_rect
from game.client.scenario_cache import ScenarioCache
from game.client.side_area import SideArea
from game.client.state import ClientState
from game.client.umpire.bar import HEIGHT as BAR_H
from game.client.umpire.bar import UmpireBar
from game.client.umpire.everything import EverythingPanel
from game.client.umpire.injects import InjectsPanel
from game.client.umpire.seats import SeatsPanel
from game.client.view_picture import arrows_of_orders, picture_of_view
from game.render import MapPicture
from game.rules.board import Board
from game.rules.scenario import Scenario

MakeReport = Callable[[dict[str, Any]], Any]


def umpire_side_width(window_w: int) -> int:
    """The umpire's pages take more room than a player's panels; the map keeps the rest."""
    return max(560, min(900, int(window_w * 0.58)))


class UmpireScreen(GameScreen):
    """The umpire's screen of a game (see the module's docstring)."""

    role = "umpire"

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        link: Any,
        state: ClientState | None = None,
        *,
        scenario: Scenario | None = None,
        cache: ScenarioCache | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        playback_seconds: float | None = None,
        make_report: MakeReport | None = None,
        classroom: Mapping[str, Any] | None = None,
    ) -> None:
        self.make_report = make_report
        self.classroom = dict(classroom or {})
        """What the host knows and the table does not: the address students type, the handout's path,
        how to open the port, whether bots take the seats nobody took (`bots`)."""
        self.confirm_dialog: UIConfirmationDialog | None = None
        self.empty_states: list[str] = []
        self.start_ref: Any = None
        self.record_ref: Any = None
        self.report_future: Future[Any] | None = None
        self.report_path: Path | None = None
        self._worker: ThreadPoolExecutor | None = None
        self._picture_key: tuple[object, ...] | None = None
        self._picture: MapPicture | None = None
        self.seats_panel: SeatsPanel | None = None
        self.everything: EverythingPanel | None = None
        self.injects: InjectsPanel | None = None
        super().__init__(
            manager,
            link,
            state,
            scenario=scenario,
            cache=cache,
            clock=clock,
            wall_clock=wall_clock,
            playback_seconds=playback_seconds,
        )

    # --- building ----------------------------------------------------------------------------------

    def _set_scenario(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.state.scenario = scenario
        self.board = Board.from_scenario(scenario)
        w, h = self.size
        map_rect, side_rect, bar_rect = self._layout(w, h)
        self.map_view = MapView(self.manager, scenario, map_rect, self.board, controls=False)
        self.status_bar = UmpireBar(self.manager, bar_rect, self)
        self.side = SideArea(self.manager, side_rect, self._tabs())

    def _layout(self, w: int, h: int) -> tuple[pygame.Rect, pygame.Rect, pygame.Rect]:
        side = umpire_side_width(w)
        return (
            pygame.Rect(0, 0, w - side, h - BAR_H),
            pygame.Rect(w - side, 0, side, h - BAR_H),
            pygame.Rect(0, h - BAR_H, w, BAR_H),
        )

    def _tabs(self) -> list[tuple[str, str, Any]]:
        def seats(manager: pygame_gui.UIManager, rect: pygame.Rect, container: UIPanel) -> SeatsPanel:
            self.seats_panel = SeatsPanel(
                manager,
                rect,
                self.state,
                self.send,
                container=container,
                scenario=self.scenario,
                classroom=self.classroom,
            )
            return self.seats_panel

        def everything(
            manager: pygame_gui.UIManager, rect: pygame.Rect, container: UIPanel
        ) -> EverythingPanel:
            self.everything = EverythingPanel(
                manager, rect, self.state, self.send, container=container, scenario=self.scenario
            )
            return self.everything

        def injects(manager: pygame_gui.UIManager, rect: pygame.Rect, container: UIPanel) -> InjectsPanel:
            self.injects = InjectsPanel(
                manager, rect, self.state, self.send, container=container, scenario=self.scenario
            )
            return self.injects

        return [
            ("seats", "Seats", seats),
            ("everything", "Everything", everything),
            ("injects", "Injects", injects),
        ]

    def caption(self) -> str:
        title = self.scenario.title if self.scenario is not None else ""
        game = (self.state.seat or {}).get("game") or (self.state.table or {}).get("game") or ""
        return " — ".join(p for p in ("Backchannel", "Umpire", title, f"game {game}" if game else "") if p)

    def _phase_hint(self, view: dict[str, Any]) -> str:
        return ""  # the umpire orders nothing; the phase is in the bar

    def kill(self) -> None:
        if self.confirm_dialog is not None:
            with contextlib.suppress(Exception):
                self.confirm_dialog.kill()
            self.confirm_dialog = None
        if self._worker is not None:
            self._worker.shutdown(wait=False, cancel_futures=True)
            self._worker = None
        super().kill()

    # --- the umpire's controls -------------------------------------------------------------------

    def start(self, confirm: bool = False) -> Any:
        """Start the game; seats nobody took go to bots unless the host said otherwise."""
        message: dict[str, Any] = {"type": "start", "fill_bots": bool(self.classroom.get("bots", True))}
        if confirm:
            message["confirm"] = True
        self.start_ref = self.send(message)
        return self.start_ref

    def pause(self) -> Any:
        return self.send({"type": "pause"})

    def resume(self) -> Any:
        return self.send({"type": "resume"})

    def extend(self, seconds: int = 300) -> Any:
        return self.send({"type": "extend", "seconds": int(seconds)})

    def resolve(self) -> Any:
        return self.send({"type": "resolve"})

    def report(self) -> Any:
        """Ask for the game's record; the launcher's `make_report` turns it into the debrief page."""
        if self.make_report is None:
            self.toast(
                "This window cannot write reports: host the game with `backchannel host` (or the title "
                "screen's Host a game), or run `backchannel report` on the server's data folder."
            )
            return None
        if self.record_ref is not None or self.report_future is not None:
            self.toast("The report is on its way.")
            return None
        self.record_ref = self.send({"type": "get_record"})
        self.toast("Asking the server for the game's record…")
        return self.record_ref

    # --- answers ---------------------------------------------------------------------------------

    def _on_error(self, error: dict[str, Any]) -> None:
        if error.get("ref") == self.record_ref and self.record_ref is not None:
            self.record_ref = None
        if (
            error.get("code") == "seats_empty"
            and error.get("ref") == self.start_ref
            and self.start_ref is not None
        ):
            self.ask_to_start_anyway(error)
            return
        super()._on_error(error)

    def ask_to_start_anyway(self, error: Mapping[str, Any]) -> UIConfirmationDialog:
        """The seats the teacher kept for students are empty: say which, and start only if confirmed."""
        names = Names(self.state.view, self.scenario)
        states = [str(s) for s in error.get("states") or []]
        self.empty_states = states
        who = names.states(states) if states else "some states"
        bots = bool(self.classroom.get("bots", True))
        then = "Bots will play them." if bots else "Nobody will play them: their units will hold."
        text = f"Nobody has joined {who} yet. {then} Start anyway?"
        if self.confirm_dialog is not None:
            self.confirm_dialog.kill()
        rect = pygame.Rect(0, 0, 440, 220)
        rect.center = screen_rect(self.manager).center
        self.confirm_dialog = UIConfirmationDialog(
            rect,
            esc(text),
            self.manager,
            window_title="Seats still empty",
            action_short_name="Start anyway",
            blocking=True,
        )
        return self.confirm_dialog

    def confirm_start(self) -> Any:
        """The teacher said yes: the start again, confirmed."""
        self.confirm_dialog = None
        return self.start(confirm=True)

    def _check_record(self) -> None:
        ref = self.record_ref
        if ref is not None:
            reply = self.state.replies.get(ref)
            if reply is not None:
                self.record_ref = None
                if reply.get("type") == "error":
                    return  # shown by _on_error
                record = reply.get("record")
                if not isinstance(record, dict):
                    self.toast("The server's record could not be read.")
                    return
                assert self.make_report is not None
                if self._worker is None:
                    self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="backchannel-report")
                self.report_future = self._worker.submit(self.make_report, record)
                self.toast("Writing the report…")
        future = self.report_future
        if future is not None and future.done():
            self.report_future = None
            try:
                path = future.result()
            except Exception as exc:  # the teacher reads why, and may try again
                self.toast(f"The report could not be written: {type(exc).__name__}: {exc}"[:300])
                return
            self.report_path = Path(str(path)) if path is not None else None
            self.toast(f"Report written: {path}")

    # --- the frame -----------------------------------------------------------------------------------

    def update(self) -> None:
        super().update()
        self._check_record()
        bar = self.status_bar
        if isinstance(bar, UmpireBar):
            bar.game_label = str(
                (self.state.table or {}).get("game") or (self.state.seat or {}).get("game") or ""
            )

    def process_event(self, event: pygame.event.Event, consumed: bool) -> None:
        if (
            event.type == pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED
            and event.ui_element is self.confirm_dialog
        ):
            self.confirm_start()
            return
        if event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self.confirm_dialog:
            self.confirm_dialog = None
            return
        super().process_event(event, consumed)

    def _shortcut(self, event: pygame.event.Event) -> bool:
        key = event.key
        if key == pygame.K_ESCAPE:
            if self.windows:
                self.windows.pop().kill()
                self.report_window = None
                return True
            return False
        if self.side is None:
            return False
        tabs = {pygame.K_1: "seats", pygame.K_2: "everything", pygame.K_3: "injects"}
        if key in tabs:
            self.side.show(tabs[key])
        elif key == pygame.K_t:
            self.open_report()
        else:
            return False
        return True

    def map_picture(self, playing: bool) -> MapPicture:
        """The map with every state's orders as given, each in its state's colour."""
        view = self.state.view
        given = self.state.orders_given
        key = (
            id(view),
            self.state.revision if view is None else (view.get("turn"), view.get("phase")),
            tuple(sorted((s, tuple(o)) for s, o in given.items())),
            playing,
            len((view or {}).get("map", {}).get("units", [])),
        )
        if key != self._picture_key or self._picture is None:
            base = picture_of_view(view)
            phase = (view or {}).get("phase")
            arrows = (
                ()
                if playing
                else tuple(
                    a for s, orders in sorted(given.items()) for a in arrows_of_orders(orders, s, phase)
                )
            )
            self._picture = replace(base, arrows=arrows, units=() if playing else base.units)
            self._picture_key = key
        return self._picture

    def draw_map(self, surface: pygame.Surface) -> None:
        if self.map_view is None:
            self._draw_waiting(surface)
            return
        now = self.clock()
        playing = self.playback is not None and not self.playback.done(now)
        self.map_view.draw(surface, self.map_picture(playing), self.state.view, tooltip=False)
        if playing:
            assert self.playback is not None
            self.playback.draw(surface.subsurface(self.map_view.rect), self.map_view.renderer, now)
        self.map_frames += 1
        if self.first_map_frame is None:
            self.first_map_frame = self.wall_clock()

"""The game screen: the map filling the window, the side panels in tabs, the status bar.

Each frame it drains the link (never waiting), feeds the client state, and redraws; the
static map is cached by the renderer, and panels re-read the state only when its revision
changed.  Orders clicked on the map go through the order box, which sends the whole list.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pygame
import pygame_gui
from pygame_gui.elements import UIPanel, UITextEntryBox, UITextEntryLine

from game.client.help_overlay import HelpOverlay
from game.client.map_view import MapView
from game.client.order_box import OrderBox
from game.client.panels import (
    AgreementDraftWindow,
    AgreementsPanel,
    IntelPanel,
    MessagesPanel,
    ObjectivesPanel,
    TurnReportWindow,
)
from game.client.playback import Playback
from game.client.refusals import refusal_text
from game.client.scenario_cache import ScenarioCache
from game.client.side_area import SideArea
from game.client.state import ClientState
from game.client.status_bar import HEIGHT as STATUS_H
from game.client.status_bar import StatusBar, StatusLine, turn_words
from game.render.fonts import get_font
from game.rules.board import Board
from game.rules.scenario import Scenario

MIN_SIZE = (1024, 700)
TOAST_SECONDS = 6.0
TOAST_WIDTH = 520
"""Toasts wrap at this many pixels (or the map's width, if narrower)."""
SCENARIO_RETRY = 4.0
PANEL_TABS: tuple[tuple[str, str, Any], ...] = (
    ("talk", "Talk", MessagesPanel),
    ("deals", "Deals", AgreementsPanel),
    ("news", "News", IntelPanel),
    ("goals", "Goals", ObjectivesPanel),
)
"""The side tabs after the orders: key (for shortcuts), title, panel class (game/client/panels)."""


def wrap(font: Any, text: str, width: int) -> list[str]:
    """Lines of at most `width` pixels, broken between words (a word longer than a line is split)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if font.size(candidate)[0] <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while font.size(word)[0] > width and len(word) > 1:
                cut = len(word)
                while cut > 1 and font.size(word[:cut])[0] > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


@dataclass
class Toast:
    text: str
    until: float


def side_width(window_w: int) -> int:
    """The side area: a third of the window, within limits that keep panels and map usable."""
    return max(340, min(480, int(window_w * 0.32)))


def _text_focused(manager: pygame_gui.UIManager) -> bool:
    """Whether typing goes into a text widget (then single-letter shortcuts must not fire)."""
    return any(isinstance(e, UITextEntryLine | UITextEntryBox) for e in manager.get_focus_set() or ())


class GameScreen:
    """The screen of a game in progress, fed by a link (or a stand-in) and a ClientState.

    This is the player's screen; the umpire's and the observer's (game/client/umpire,
    game/client/observer_screen.py) build on it with their own panels: `role` says whose it is."""

    role = "player"
    report_after_playback = True
    """Open the turn's report when its playback ends (not on a projector: its news column says it)."""

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
    ) -> None:
        self.manager = manager
        self.link = link
        self.state = state or ClientState()
        self.cache = cache
        self.clock = clock
        self.wall_clock = wall_clock
        self.playback_seconds = playback_seconds
        self.scenario: Scenario | None = None
        self.board: Board | None = None
        self.size = manager.window_resolution
        self.map_view: MapView | None = None
        self.status_bar: StatusLine | None = None
        self.order_box: OrderBox | None = None
        self.side: SideArea | None = None
        self.help = HelpOverlay()
        self.playback: Playback | None = None
        self.playbacks = 0
        self.toasts: list[Toast] = []
        self.windows: list[Any] = []
        self.report_window: Any = None
        self.last_report: tuple[list[dict[str, Any]], int | None] | None = None
        self._replay: tuple[list[dict[str, Any]], list[dict[str, Any]], str] | None = None
        """The last resolution's events, the units before it and its turn in words: for Replay."""
        self._before_when = ""
        self.map_frames = 0
        self.first_map_frame: float | None = None
        self.closed = False
        self._scenario_asked: float | None = None
        self._view_key: tuple[object, object] | None = None
        self._before_units: list[dict[str, Any]] = []
        self._pending_events: list[dict[str, Any]] = []
        if scenario is not None:
            self._set_scenario(scenario)

    # --- sending -----------------------------------------------------------------------------

    def send(self, message: dict[str, Any]) -> object:
        return self.link.send(message)

    @property
    def view_key(self) -> tuple[object, object] | None:
        """(turn, phase) of the latest full view: it changes when a phase has been resolved."""
        return self._view_key

    @property
    def me(self) -> str:
        return self.state.my_state or ""

    # --- building ----------------------------------------------------------------------------

    def _set_scenario(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.state.scenario = scenario  # the panels name states and territories from it
        self.board = Board.from_scenario(scenario)
        w, h = self.size
        map_rect, side_rect, bar_rect = self._layout(w, h)
        self.map_view = MapView(self.manager, scenario, map_rect, self.board)
        self.status_bar = StatusBar(
            self.manager, bar_rect, scenario, self.board, self.send, on_objectives=self.show_objectives
        )
        self.side = SideArea(self.manager, side_rect, self._tabs(), unread=self.state)

    def _layout(self, w: int, h: int) -> tuple[pygame.Rect, pygame.Rect, pygame.Rect]:
        side = side_width(w)
        map_rect = pygame.Rect(0, 0, w - side, h - STATUS_H)
        side_rect = pygame.Rect(w - side, 0, side, h - STATUS_H)
        bar_rect = pygame.Rect(0, h - STATUS_H, w, STATUS_H)
        return map_rect, side_rect, bar_rect

    def _tabs(self) -> list[tuple[str, str, Any]]:
        def orders(manager: pygame_gui.UIManager, rect: pygame.Rect, container: UIPanel) -> OrderBox:
            self.order_box = OrderBox(
                manager, rect, self.send, container=container, state=self.state, board=self.board
            )
            return self.order_box

        tabs: list[tuple[str, str, Any]] = [("orders", "Orders", orders)]
        for key, title, cls in PANEL_TABS:
            tabs.append((key, title, self._panel_factory(cls)))
        return tabs

    def _panel_factory(self, cls: Any) -> Any:
        def make(manager: pygame_gui.UIManager, rect: pygame.Rect, container: UIPanel) -> Any:
            return cls(manager, rect, self.state, self.send, container=container, scenario=self.scenario)

        return make

    def resize(self, size: tuple[int, int]) -> None:
        """Lay everything out again for a window of `size`."""
        self.size = size
        if self.map_view is None:
            return
        assert self.status_bar is not None and self.side is not None
        map_rect, side_rect, bar_rect = self._layout(*size)
        self.map_view.set_rect(map_rect)
        self.status_bar.set_rect(bar_rect)
        self.side.set_rect(side_rect)

    def kill(self) -> None:
        for part in (self.map_view, self.status_bar, self.side):
            if part is not None:
                part.kill()
        for window in self.windows:
            with contextlib.suppress(Exception):
                window.kill()
        self.windows = []

    # --- the frame ---------------------------------------------------------------------------

    def poll(self) -> None:
        """Take in everything the link has (never waits)."""
        for message in self.link.poll():
            kind = message.get("type")
            if kind == "event" and isinstance(message.get("event"), dict):
                self._pending_events.append(message["event"])
            self.state.apply(message)
            if kind == "view":
                self._on_view(message)
            elif kind == "scenario" and self.scenario is None:
                self._on_scenario(message)
            elif kind == "error":
                pass  # popped below with the others
        for error in self.state.pop_errors():
            self._on_error(error)
        if self.scenario is None and self.state.seat is not None and self.state.view is not None:
            now = self.clock()
            if self._scenario_asked is None or now - self._scenario_asked > SCENARIO_RETRY:
                self._scenario_asked = now
                self.send({"type": "get_scenario"})

    def _on_error(self, error: dict[str, Any]) -> None:
        """A refusal: shown whole over the map (the umpire's screen answers some with a question)."""
        self.toast(refusal_text(error, self.state))

    def caption(self) -> str:
        """The window's title: the game, and whose screen this is."""
        names = {s.id: s.name for s in self.scenario.states} if self.scenario is not None else {}
        me = self.me
        who = f"{names.get(me, me.upper())} (player)" if me else "Player"
        title = self.scenario.title if self.scenario is not None else ""
        return " — ".join(p for p in ("Backchannel", who, title) if p)

    def _on_scenario(self, message: dict[str, Any]) -> None:
        cache = self.cache or ScenarioCache()
        try:
            scenario = cache.from_message(message)
        except Exception as exc:  # a bad map must show, not crash the window
            self.toast(f"cannot read the game's scenario: {exc}")
            return
        self._set_scenario(scenario)

    def _on_view(self, message: dict[str, Any]) -> None:
        view = message.get("view") or {}
        key = (view.get("turn"), view.get("phase"))
        units = list(view.get("map", {}).get("units", []))
        if self._view_key is not None and key != self._view_key:
            events = [e for e in self._pending_events if e.get("kind") != "phase"]
            self.last_report = (events, self._view_key[0] if isinstance(self._view_key[0], int) else None)
            self._replay = (events, self._before_units, self._before_when)
            if Playback.worth_showing(events) and self.scenario is not None:
                self.replay()
            if self.map_view is not None:
                self.map_view.orders.cancel()
                self.map_view.hint = self._phase_hint(view)
        self._view_key = key
        self._before_units = units
        self._before_when = turn_words(view)
        self._pending_events = []

    def replay(self) -> bool:
        """Play the last resolution on the map (again: the report's Replay button); False if none."""
        if self._replay is None or self.scenario is None or not Playback.worth_showing(self._replay[0]):
            return False
        events, before, when = self._replay
        names = {s.id: s.name for s in self.scenario.states}
        self.playback = Playback(events, before, names, self.clock(), self.playback_seconds, title=when)
        self.playbacks += 1
        if self.report_window is not None:
            with contextlib.suppress(Exception):
                self.report_window.kill()
            self.windows = [w for w in self.windows if w is not self.report_window]
            self.report_window = None
        return True

    def _phase_hint(self, view: dict[str, Any]) -> str:
        """What a retreat or adjustment phase asks of me, said over the map."""
        me = self.me
        phase = view.get("phase")
        if phase == "retreat":
            mine = [r for r in view.get("map", {}).get("retreats", []) if r["unit"]["state"] == me]
            if mine:
                return f"Retreats: {len(mine)} of your units must retreat — click one, then where it goes (H: disband)."
            return "Retreats: others are retreating; you have nothing to order."
        if phase == "adjustment":
            standing: Mapping[str, Any] = next((s for s in view.get("states", []) if s.get("id") == me), {})
            balance = int(standing.get("supply", 0)) - int(standing.get("units", 0))
            if balance > 0:
                return f"Adjustments: you may build {balance} — click an empty home supply territory."
            if balance < 0:
                return f"Adjustments: you must remove {-balance} — click the units to remove."
            return "Adjustments: your units match your supply; nothing to build or remove."
        return ""

    def toast(self, text: str) -> None:
        """A note over the map for a few seconds: the whole text, wrapped (a refusal's reason is never cut)."""
        self.toasts = [t for t in self.toasts if t.text != text]
        self.toasts.append(Toast(text, self.clock() + TOAST_SECONDS + len(text) / 40))  # time to read it all
        self.toasts = self.toasts[-4:]

    # --- input -------------------------------------------------------------------------------

    def process_event(self, event: pygame.event.Event, consumed: bool) -> None:
        """One event, after the UI manager saw it (`consumed`: a widget took it)."""
        now = self.clock()
        if self.playback is not None and not self.playback.done(now):
            if event.type == pygame.KEYDOWN or (event.type == pygame.MOUSEBUTTONDOWN and not consumed):
                self.playback.skip()
                return
        if event.type == pygame_gui.UI_WINDOW_CLOSE:
            self.windows = [w for w in self.windows if w is not event.ui_element]
            if event.ui_element is self.report_window:
                self.report_window = None
            return
        if self.order_box is not None and self.order_box.process_event(event):
            return
        if self.status_bar is not None and self.status_bar.process_event(event):
            return
        if self.side is not None and self.side.process_event(event):
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and _text_focused(self.manager):
            self.manager.set_focus_set(None)  # Esc leaves a text field, so the shortcuts work again
            return
        if event.type == pygame.KEYDOWN and not _text_focused(self.manager) and self._shortcut(event):
            return
        if self.map_view is None:
            return
        # A click a widget took is not for the map.  (The manager's hover flag is not asked: it is
        # last frame's, so a click right after the mouse left a widget would be lost.)
        if event.type == pygame.MOUSEBUTTONDOWN and consumed:
            return
        if event.type == pygame.MOUSEWHEEL and (consumed or self._over_ui()):
            return
        if event.type == pygame.KEYDOWN and _text_focused(self.manager):
            return
        outcome = self.map_view.process_event(event, self.state.view, self.me)
        if self.map_view.hover is not None and self._over_ui():
            self.map_view.hover = None
        if outcome is not None and outcome.order and self.order_box is not None:
            self.order_box.add(outcome.order)

    def window_open(self) -> bool:
        """Whether a window (the turn report, a draft) is open: the map's tooltip, drawn over every
        widget, would cover it, so none shows while one is."""
        return any(w.alive() for w in self.windows if hasattr(w, "alive"))

    def _over_ui(self) -> bool:
        """Whether the mouse is over a window or widget floating above the map."""
        return bool(self.manager.get_hovering_any_element())

    def _shortcut(self, event: pygame.event.Event) -> bool:
        key = event.key
        if event.unicode == "?" or key == pygame.K_F1:
            self.help.toggle()
            return True
        if key == pygame.K_ESCAPE:
            if self.help.shown:
                self.help.toggle()
                return True
            if self.windows:
                self.windows.pop().kill()
                self.report_window = None
                return True
            return False  # the map view clears its selection
        if self.side is None:
            return False
        if key == pygame.K_r and isinstance(self.status_bar, StatusBar):  # only a player is ready
            self.status_bar.toggle_ready()
        elif key == pygame.K_o:
            self.side.show("orders")
            if self.order_box is not None:
                self.order_box.focus()
        elif key == pygame.K_d:
            self.side.show("deals")
        elif key == pygame.K_m:
            self.side.show("talk")
        elif key == pygame.K_i:
            self.side.show("news")
        elif key == pygame.K_g:
            self.show_objectives()
        elif key == pygame.K_n:
            self.open_draft()
        elif key == pygame.K_t:
            self.open_report()
        else:
            return False
        return True

    # --- windows of the panels ---------------------------------------------------------------

    def show_objectives(self) -> None:
        """My objectives and how they stand (G, and the status bar's Objectives button)."""
        if self.side is not None:
            self.side.show("goals")

    @property
    def objectives_panel(self) -> ObjectivesPanel | None:
        """The Goals tab's panel, once it was first shown."""
        if self.side is None or not any(t.key == "goals" for t in self.side.tabs):
            return None
        panel = self.side.tab("goals").panel
        return panel if isinstance(panel, ObjectivesPanel) else None

    def open_draft(self, parties: list[str] | None = None) -> Any:
        """The agreement drafting window (N)."""
        window = AgreementDraftWindow(
            self.manager, self.state, self.send, parties=parties, scenario=self.scenario
        )
        self.windows.append(window)
        return window

    def open_report(self) -> Any:
        """The last turn's report window (T, and after each playback)."""
        if self.report_window is not None:
            with contextlib.suppress(Exception):
                self.report_window.kill()
            self.windows = [w for w in self.windows if w is not self.report_window]
        window = TurnReportWindow(
            self.manager,
            self.state,
            self.send,
            scenario=self.scenario,
            on_replay=self.replay if self._replay is not None else None,
        )
        self.report_window = window
        self.windows.append(window)
        return window

    # --- update and draw ---------------------------------------------------------------------

    def update(self) -> None:
        """Everything but drawing: state into widgets, expired toasts, the end of a playback."""
        now = self.clock()
        if self.playback is not None and self.playback.done(now):
            self.playback = None
            if self.last_report is not None and self.last_report[0] and self.report_after_playback:
                self.open_report()
        self.toasts = [t for t in self.toasts if t.until > now]
        if self.order_box is not None:
            self.order_box.sync()
        if self.status_bar is not None:
            playing = (
                self.playback.title if self.playback is not None and not self.playback.done(now) else None
            )
            self.status_bar.update(self.state, self.me, self.wall_clock(), playing)
        if self.side is not None:
            self.side.refresh()
        for window in self.windows:
            refresh = getattr(window, "refresh", None)
            if refresh is not None:
                refresh()

    def draw_map(self, surface: pygame.Surface) -> None:
        """The map layer, under the widgets."""
        if self.map_view is None:
            self._draw_waiting(surface)
            return
        now = self.clock()
        orders = self.order_box.orders if self.order_box is not None else self.state.my_orders()
        playing = self.playback is not None and not self.playback.done(now)
        picture = self.map_view.picture(self.state.view, self.state.revision, [] if playing else orders)
        if playing:
            picture = replace(picture, units=(), arrows=())
        self.map_view.draw(surface, picture, self.state.view, tooltip=False)
        if playing:
            assert self.playback is not None
            self.playback.draw(surface.subsurface(self.map_view.rect), self.map_view.renderer, now)
        self.map_frames += 1
        if self.first_map_frame is None:
            self.first_map_frame = self.wall_clock()

    def draw_over(self, surface: pygame.Surface) -> None:
        """What goes over the widgets: the map's tooltip, toasts, the help card."""
        playing = self.playback is not None and not self.playback.done(self.clock())
        if (
            self.map_view is not None
            and self.map_view.hover
            and not playing
            and not self._over_ui()
            and not self.window_open()
        ):
            self.map_view.draw_tooltip(surface, self.state.view)
        self._draw_connection(surface)
        self._draw_lobby(surface)
        self._draw_toasts(surface)
        self.help.draw(surface)

    def lobby_lines(self) -> list[str]:
        """Before the umpire starts the game: who has joined and whom we wait for (empty once it runs)."""
        table = self.state.table or {}
        if table.get("status") != "lobby" or self.role == "umpire":  # the umpire's seats panel says it all
            return []
        names = {s.id: s.name for s in self.scenario.states} if self.scenario is not None else {}
        joined, waiting, bots = [], [], []
        for state_id, seat in (table.get("seats") or {}).items():
            name = names.get(state_id, state_id)
            if not isinstance(seat, dict):
                continue
            if seat.get("player") == "bot":
                bots.append(name)
            elif seat.get("taken"):
                people = seat.get("members")
                team = f" ({people} people)" if isinstance(people, int) and people > 1 else ""
                joined.append(name + (" — you" if state_id == self.me else "") + team)
            else:
                waiting.append(name)
        lines = [
            "Waiting for the umpire to start the game",
            "You can read your briefing and objectives (G) meanwhile; orders open at the start.",
        ]
        if joined:
            lines.append("Joined: " + ", ".join(joined))
        lines.append(
            "Waiting for: " + (", ".join(waiting) if waiting else "nobody — only the umpire's start")
        )
        if bots:
            lines.append("Played by bots: " + ", ".join(bots))
        return lines

    def _draw_lobby(self, surface: pygame.Surface) -> None:
        """The waiting card over the map, so an unstarted game never looks like a running one."""
        lines = self.lobby_lines()
        if not lines or self.map_view is None:
            return
        area = self.map_view.rect
        width = min(560, area.width - 40)
        title_font, font = get_font(22, "serif"), get_font(15)
        inks = [title_font.render(lines[0], True, (250, 236, 200))]
        for line in lines[1:]:
            inks.extend(font.render(part, True, (232, 226, 212)) for part in wrap(font, line, width - 40))
        height = sum(i.get_height() + 6 for i in inks) + 30
        box = pygame.Surface((width, height), pygame.SRCALPHA)
        pygame.draw.rect(box, (16, 21, 25, 235), box.get_rect(), border_radius=10)
        pygame.draw.rect(box, (230, 159, 0), box.get_rect(), 2, border_radius=10)
        y = 15
        for ink in inks:
            box.blit(ink, (20, y))
            y += ink.get_height() + 6
        surface.blit(box, (area.centerx - width // 2, area.centery - height // 2))

    def _draw_connection(self, surface: pygame.Surface) -> None:
        """A lost connection shows over the map too: orders given now wait until the link is back."""
        if self.map_view is None or self.state.connection == "online":
            return
        text = {"reconnecting": "Connection lost — reconnecting…", "connecting": "Connecting…"}.get(
            self.state.connection, "Offline — the server cannot be reached"
        )
        ink = get_font(16, "bold").render(text, True, (25, 20, 10))
        box = pygame.Surface((ink.get_width() + 32, ink.get_height() + 14), pygame.SRCALPHA)
        pygame.draw.rect(box, (255, 180, 84, 240), box.get_rect(), border_radius=6)
        box.blit(ink, (16, 7))
        surface.blit(box, (self.map_view.rect.centerx - box.get_width() // 2, self.map_view.rect.y + 52))

    def _draw_waiting(self, surface: pygame.Surface) -> None:
        status = {"online": "Loading the map…", "offline": "Not connected", "reconnecting": "Reconnecting…"}
        text = status.get(self.state.connection, "Connecting to the game…")
        ink = get_font(22, "serif").render(text, True, (232, 226, 212))
        surface.blit(ink, ink.get_rect(center=surface.get_rect().center))

    def _draw_toasts(self, surface: pygame.Surface) -> None:
        if not self.toasts:
            return
        font = get_font(14)
        area = self.map_view.rect if self.map_view is not None else surface.get_rect()
        right = area.right - 12
        y = area.bottom - 60
        width = max(160, min(TOAST_WIDTH, area.width - 48))
        for toast in reversed(self.toasts):
            inks = [font.render(line, True, (255, 236, 220)) for line in wrap(font, toast.text, width)]
            line_h = font.get_linesize()
            box = pygame.Surface(
                (max(i.get_width() for i in inks) + 24, line_h * len(inks) + 12), pygame.SRCALPHA
            )
            pygame.draw.rect(box, (90, 36, 24, 235), box.get_rect(), border_radius=6)
            for n, ink in enumerate(inks):
                box.blit(ink, (12, 6 + n * line_h))
            surface.blit(box, (right - box.get_width(), y - box.get_height()))
            y -= box.get_height() + 6

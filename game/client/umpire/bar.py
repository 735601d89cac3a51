"""The umpire's bar along the bottom: whose screen this is, the turn, the clock, and the controls.

"UMPIRE" and the game stand first, so a teacher sharing a screen never mistakes it for a
player's.  The controls follow the game's status: Start while the game waits in its lobby;
Pause or Resume, Extend (+5 min, only with a deadline) and Resolve now while it runs; the
Report at any time (the record so far, or the whole game once it is over).
"""

from __future__ import annotations

from typing import Any

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel, UIPanel

from game.client.band import Band
from game.client.status_bar import CONNECTION_TEXT, StatusSource, clock_text

HEIGHT = 64
EXTEND_SECONDS = 300


class UmpireBar(Band):
    """Role, game, turn and phase; the clock; Start, Pause/Resume, +5 min, Resolve now, Report.

    `controls` (the umpire's screen) has start(), pause(), resume(), extend(seconds), resolve(), report()."""

    def __init__(
        self, manager: pygame_gui.UIManager, rect: pygame.Rect, controls: Any, game_label: str = ""
    ) -> None:
        self.manager = manager
        self.controls = controls
        self.game_label = game_label
        self._texts: dict[str, str] = {}
        self._build(pygame.Rect(rect))

    def _build(self, rect: pygame.Rect) -> None:
        self.rect = rect
        m = self.manager
        self.panel = UIPanel(rect, manager=m, object_id="#status_bar")
        w = rect.w
        x = 10
        first_w = max(230, min(340, w - 800))
        self.role = UILabel(
            pygame.Rect(x, 6, first_w, 26), "UMPIRE", m, container=self.panel, object_id="#role_badge"
        )
        self.turn = UILabel(
            pygame.Rect(x, 32, first_w, 22), "", m, container=self.panel, object_id="#status_small"
        )
        x += first_w + 6
        self.clock = UILabel(
            pygame.Rect(x, 8, 136, 28), "", m, container=self.panel, object_id="#status_clock"
        )
        self.clock_note = UILabel(
            pygame.Rect(x, 34, 136, 20), "", m, container=self.panel, object_id="#status_small"
        )
        x += 142
        buttons = (
            ("start", "Start", 84, "#umpire_start", "Start the game: every seat nobody took goes to a bot"),
            (
                "pause",
                "Pause",
                92,
                "#umpire_control",
                "Stop the clock (Resume restarts it with the time left)",
            ),
            ("extend", "+5 min", 78, "#umpire_control", "Give this phase five more minutes"),
            ("resolve", "Resolve now", 118, "#umpire_danger", "Resolve this phase now, ready or not"),
            ("report", "Report", 92, "#umpire_control", "Write the debrief report of the game so far"),
        )
        self.buttons: dict[str, UIButton] = {}
        for key, text, width, object_id, tip in buttons:
            self.buttons[key] = UIButton(
                pygame.Rect(x, 11, width, 40),
                text,
                m,
                container=self.panel,
                object_id=object_id,
                tool_tip_text=tip,
            )
            x += width + 6
        self.connection = UILabel(pygame.Rect(w - 136, 18, 128, 26), "", m, container=self.panel)
        self._texts = {}

    def _enable(self, key: str, on: bool) -> None:
        button = self.buttons[key]
        if on and not button.is_enabled:
            button.enable()
        elif not on and button.is_enabled:
            button.disable()

    def update(self, state: StatusSource, me: str, now: float, playing: str | None = None) -> None:
        """Re-read the state: texts and which controls apply now; cheap when nothing changed.
        `playing`: the turn being played back, named instead of the next one meanwhile."""
        del me  # the umpire plays no state
        view = state.view or {}
        table = state.table or {}
        status = table.get("status")
        self._set("role", self.role, f"UMPIRE · game {self.game_label}" if self.game_label else "UMPIRE")
        if status == "lobby":
            turn = "Waiting to start · students are joining"
        elif playing:
            turn = f"{playing} · playback"
        elif status == "over" or (view and view.get("phase") is None):
            turn = "Game over"
        else:
            season = str(view.get("season", "")).capitalize()
            phase = str(view.get("phase") or "").capitalize()
            turn = f"Turn {view.get('turn', '–')} · {season} {view.get('year', '')} · {phase}"
        self._set("turn", self.turn, turn)
        remaining = state.deadline_remaining(now)
        clock = table.get("clock") or {}
        paused = bool(clock.get("paused"))
        # Paused, the umpire still reads the time left (clock_text alone would say "Paused").
        shown = clock_text(remaining, {"clock": {**clock, "paused": False}}) if status == "running" else "—"
        self._set("clock", self.clock, shown)
        note = "paused" if paused else "to the deadline" if remaining is not None else "when all are ready"
        self._set("clock_note", self.clock_note, note if status == "running" else "")
        running = status == "running"
        self._set("start", self.buttons["start"], "Start" if status in (None, "lobby") else "Started")
        self._enable("start", status == "lobby")
        self._set("pause", self.buttons["pause"], "Resume" if paused else "Pause")
        self._enable("pause", running)
        self._enable("extend", running and clock.get("seconds") is not None)
        self._enable("resolve", running)
        if self._texts.get("connection") != state.connection:
            self._texts["connection"] = state.connection
            self.connection.set_text(CONNECTION_TEXT.get(state.connection, state.connection))
            self.connection.change_object_id("#conn_online" if state.connection == "online" else "#conn_lost")

    def process_event(self, event: pygame.event.Event) -> bool:
        if event.type != pygame_gui.UI_BUTTON_PRESSED:
            return False
        key = next((k for k, b in self.buttons.items() if event.ui_element is b), None)
        if key is None:
            return False
        if key == "start":
            self.controls.start()
        elif key == "pause":
            if self._texts.get("pause") == "Resume":
                self.controls.resume()
            else:
                self.controls.pause()
        elif key == "extend":
            self.controls.extend(EXTEND_SECONDS)
        elif key == "resolve":
            self.controls.resolve()
        elif key == "report":
            self.controls.report()
        return True

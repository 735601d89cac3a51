"""The status bar along the bottom: always there, whatever panel or window is open.

Turn, season and phase; the clock; the ready toggle; my score and objectives; my legitimacy
and trust at a glance; the connection.  Labels are set only when their text changes, since
pygame_gui re-renders a label's text on every `set_text`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel, UIPanel

from game.rules.board import Board
from game.rules.scenario import Scenario
from game.rules.scoring import objective_points

HEIGHT = 64
CONNECTION_TEXT = {
    "connecting": "◌ Connecting…",
    "online": "● Online",
    "reconnecting": "◌ Reconnecting…",
    "offline": "✕ Offline",
}


class StatusSource(Protocol):
    """What the bar reads of the client's state (ClientState has all of it)."""

    view: dict[str, Any] | None
    table: dict[str, Any] | None
    connection: str

    def deadline_remaining(self, now: float) -> float | None: ...
    def is_ready(self, state: str) -> bool: ...


def clock_text(remaining: float | None, table: Mapping[str, Any] | None) -> str:
    """The clock: minutes and seconds left, `paused`, or `no deadline`."""
    clock = (table or {}).get("clock") or {}
    if clock.get("paused"):
        return "Paused"
    if remaining is None:
        return "No deadline"
    seconds = max(0, int(remaining + 0.999))
    if seconds >= 3600:
        return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def objectives_text(scenario: Scenario, me: str) -> str:
    """My objectives, one a line, for the objectives tooltip."""
    try:
        state = scenario.state(me)
    except KeyError:
        return "No objectives."
    lines = [f"• {o.description or o.kind} ({o.points} pt)" for o in state.objectives]
    return "<br>".join(lines) or "No objectives: hold as many supply territories as you can."


def map_score(scenario: Scenario, board: Board, owners: Mapping[str, str | None], me: str) -> int:
    """Supply held plus map objectives met (diplomatic objectives are judged at the end)."""
    supply = sum(1 for t in board.supply if owners.get(t) == me)
    try:
        return supply + objective_points(scenario, board, owners, me)
    except KeyError:
        return supply


class StatusBar:
    """The bottom bar of the game screen."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        rect: pygame.Rect,
        scenario: Scenario,
        board: Board,
        send: Callable[[dict[str, object]], object],
    ) -> None:
        self.manager = manager
        self.scenario = scenario
        self.board = board
        self.send = send
        self.ready = False
        self._texts: dict[str, str] = {}
        self._score_key: object = None
        self._build(pygame.Rect(rect))

    def _build(self, rect: pygame.Rect) -> None:
        self.rect = rect
        m = self.manager
        self.panel = UIPanel(rect, manager=m, object_id="#status_bar")
        w = rect.w
        # Column widths scale with the bar; the ready button and the clock keep their size.
        x = 10
        turn_w = max(210, int(w * 0.22))
        self.turn = UILabel(pygame.Rect(x, 6, turn_w, 26), "", m, container=self.panel, object_id="#status_turn")
        self.phase = UILabel(pygame.Rect(x, 32, turn_w, 22), "", m, container=self.panel, object_id="#status_small")
        x += turn_w + 6
        self.clock = UILabel(pygame.Rect(x, 8, 120, 28), "", m, container=self.panel, object_id="#status_clock")
        self.clock_note = UILabel(pygame.Rect(x, 34, 120, 20), "", m, container=self.panel,
                                  object_id="#status_small")
        x += 126
        self.ready_button = UIButton(pygame.Rect(x, 10, 130, 42), "Ready  (R)", m, container=self.panel,
                                     tool_tip_text="Tell the umpire your orders are final for this phase (R)",
                                     object_id="#ready_button")
        x += 140
        rest = w - x - 150
        col = max(150, rest // 2)
        self.score = UILabel(pygame.Rect(x, 6, col, 24), "", m, container=self.panel, object_id="#status_turn")
        self.objectives = UIButton(pygame.Rect(x, 32, min(col - 10, 170), 24), "Objectives ▸", m,
                                   container=self.panel, tool_tip_text="", object_id="#status_small")
        x += col
        self.legitimacy = UILabel(pygame.Rect(x, 6, col, 24), "", m, container=self.panel)
        self.trust = UIButton(pygame.Rect(x, 32, min(col - 10, 230), 24), "", m, container=self.panel,
                              tool_tip_text="", object_id="#status_small")
        self.connection = UILabel(pygame.Rect(w - 150, 18, 140, 26), "", m, container=self.panel)
        self._texts = {}
        self._score_key = None

    def set_rect(self, rect: pygame.Rect) -> None:
        self.panel.kill()
        self._build(pygame.Rect(rect))

    def kill(self) -> None:
        self.panel.kill()

    # --- updating ----------------------------------------------------------------------------

    def _set(self, name: str, widget: UILabel | UIButton, text: str) -> None:
        if self._texts.get(name) != text:
            self._texts[name] = text
            widget.set_text(text)

    def update(self, state: StatusSource, me: str, now: float) -> None:
        """Re-read the client's state; cheap when nothing changed."""
        view = state.view or {}
        table = state.table or {}
        if view.get("phase") is None and view:
            turn = "Game over"
        else:
            season = str(view.get("season", "")).capitalize()
            turn = f"Turn {view.get('turn', '–')} · {season} {view.get('year', '')}".strip()
        self._set("turn", self.turn, turn)
        ready_states = table.get("ready", [])
        phase = view.get("phase")
        phase_text = f"{phase.capitalize()} phase" if phase else "Waiting for the game"
        if phase and table.get("seats"):
            phase_text += f" · {len(ready_states)} ready"
        self._set("phase", self.phase, phase_text)
        remaining = state.deadline_remaining(now)
        self._set("clock", self.clock, clock_text(remaining, table))
        paused = bool((table.get("clock") or {}).get("paused"))
        self._set("clock_note", self.clock_note, "to the deadline" if remaining is not None and not paused
                  else "when all are ready" if not paused else "by the umpire")
        ready = bool(me) and state.is_ready(me)
        if ready != self.ready or "ready" not in self._texts:
            self.ready = ready
            self._texts["ready"] = str(ready)
            self.ready_button.set_text("✓ Ready" if ready else "Ready  (R)")
            self.ready_button.change_object_id("#ready_button_on" if ready else "#ready_button")
        if self._texts.get("connection") != state.connection:
            self._texts["connection"] = state.connection
            self.connection.set_text(CONNECTION_TEXT.get(state.connection, state.connection))
            self.connection.change_object_id("#conn_online" if state.connection == "online" else "#conn_lost")
        self._update_standing(view, me)

    def _update_standing(self, view: Mapping[str, Any], me: str) -> None:
        owners = view.get("map", {}).get("owners", {})
        mine = next((s for s in view.get("states", []) if s.get("id") == me), {})
        trust = view.get("me", {}).get("trust", {})
        key = (id(owners), tuple(sorted(trust.items())), mine.get("legitimacy"))
        if key == self._score_key:
            return
        self._score_key = key
        score = map_score(self.scenario, self.board, owners, me) if me else 0
        supply = mine.get("supply", 0)
        self._set("score", self.score, f"Score {score} · {supply} supply")
        self.objectives.set_tooltip(objectives_text(self.scenario, me))
        legitimacy = mine.get("legitimacy")
        self._set("legitimacy", self.legitimacy, f"Legitimacy {legitimacy}" if legitimacy is not None else "")
        names = {s.id: s.name for s in self.scenario.states}
        if trust:
            low = min(trust, key=lambda s: (trust[s], s))
            avg = round(sum(trust.values()) / len(trust))
            if trust[low] == avg:
                text = f"Trust {avg} in everyone ▸"
            else:
                text = f"Trust avg {avg} · {low.upper()} {trust[low]} ▸"
            self._set("trust", self.trust, text)
            lines = [f"{names.get(s, s)}: {v}" for s, v in sorted(trust.items(), key=lambda kv: -kv[1])]
            self.trust.set_tooltip("How far you trust each state<br>" + "<br>".join(lines))
        else:
            self._set("trust", self.trust, "Trust –")

    def toggle_ready(self) -> None:
        """Ask to flip my ready flag; the bar follows the server's answer, not the click."""
        self.send({"type": "ready", "ready": not self.ready})

    def process_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.ready_button:
            self.toggle_ready()
            return True
        return False

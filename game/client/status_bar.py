"""The status bar along the bottom: always there, whatever panel or window is open.

Turn, season and phase; the clock; the ready toggle; my score and how my objectives stand
(the button opens the objectives panel); my legitimacy and trust at a glance; which state I
play; the connection.  Labels are set only when their text changes, since
pygame_gui re-renders a label's text on every `set_text`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIImage, UILabel, UIPanel

from game.client.band import Band
from game.client.panels.names import esc
from game.client.panels.objectives import STATUS_MARKS, objectives_of, points_text, tally
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


class StatusLine(Protocol):
    """What a screen needs of the bar along its bottom: the player's StatusBar, the umpire's bar
    or the projector's."""

    def set_rect(self, rect: pygame.Rect) -> None: ...
    def kill(self) -> None: ...
    def update(self, state: StatusSource, me: str, now: float, playing: str | None = None) -> None: ...
    def process_event(self, event: pygame.event.Event) -> bool: ...


def turn_words(view: Mapping[str, Any]) -> str:
    """ "Turn 1 · Summer 1914": the turn of a view, as the status bar shows it."""
    if not view:
        return ""
    season = str(view.get("season", "")).capitalize()
    return f"Turn {view.get('turn', '–')} · {season} {view.get('year', '')}".strip()


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


def objectives_text(scenario: Scenario, me: str, view: Mapping[str, Any] | None = None) -> str:
    """My objectives, one a line with its status, for the objectives tooltip."""
    objectives = objectives_of(view, scenario, me)
    lines = []
    for o in objectives:
        mark = STATUS_MARKS.get(o.get("status") or "")
        status = f"<font color='{mark.colour}'>{mark.symbol} {mark.word.lower()}</font> " if mark else "• "
        lines.append(
            f"{status}{esc(str(o.get('summary') or o.get('description') or o.get('kind')))} "
            f"({esc(points_text(o))})"
        )
    if not lines:
        return "No objectives: hold as many supply territories as you can."
    return "<br>".join(lines) + "<br><i>Click (or G) for the whole panel</i>"


def objectives_button_text(objectives: list[dict[str, Any]]) -> str:
    """The button: how many of my objectives are met (a failed one said too)."""
    if not objectives or all(o.get("status") is None for o in objectives):
        return "Objectives ▸"
    counts = tally(objectives)
    text = f"Objectives {counts['met']}/{len(objectives)} ✓"
    if counts["failed"]:
        text += f" · {counts['failed']} ✗"
    return text + " ▸"


def map_score(scenario: Scenario, board: Board, owners: Mapping[str, str | None], me: str) -> int:
    """Supply held plus map objectives met (diplomatic objectives are judged at the end)."""
    supply = sum(1 for t in board.supply if owners.get(t) == me)
    try:
        return supply + objective_points(scenario, board, owners, me)
    except KeyError:
        return supply


class StatusBar(Band):
    """The bottom bar of the game screen."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        rect: pygame.Rect,
        scenario: Scenario,
        board: Board,
        send: Callable[[dict[str, object]], object],
        *,
        on_objectives: Callable[[], None] | None = None,
    ) -> None:
        self.manager = manager
        self.scenario = scenario
        self.board = board
        self.send = send
        self.on_objectives = on_objectives
        """Opens the objectives panel (the game screen's); without it the button only has its tooltip."""
        self.ready = False
        self._texts: dict[str, str] = {}
        self._score_key: object = None
        self._told: object = None
        self._build(pygame.Rect(rect))

    def _build(self, rect: pygame.Rect) -> None:
        self.rect = rect
        m = self.manager
        self.panel = UIPanel(rect, manager=m, object_id="#status_bar")
        w = rect.w
        # Column widths scale with the bar; the ready button and the clock keep their size.
        x = 10
        turn_w = max(210, int(w * 0.22))
        self.turn = UILabel(
            pygame.Rect(x, 6, turn_w, 26), "", m, container=self.panel, object_id="#status_turn"
        )
        self.phase = UILabel(
            pygame.Rect(x, 32, turn_w, 22), "", m, container=self.panel, object_id="#status_small"
        )
        x += turn_w + 6
        self.clock = UILabel(
            pygame.Rect(x, 8, 120, 28), "", m, container=self.panel, object_id="#status_clock"
        )
        self.clock_note = UILabel(
            pygame.Rect(x, 34, 120, 20), "", m, container=self.panel, object_id="#status_small"
        )
        x += 126
        self.ready_button = UIButton(
            pygame.Rect(x, 10, 130, 42),
            "Ready  (R)",
            m,
            container=self.panel,
            tool_tip_text="Tell the umpire your orders are final for this phase (R)",
            object_id="#ready_button",
        )
        x += 140
        rest = w - x - 180
        col = max(150, rest // 2)
        self.score = UILabel(
            pygame.Rect(x, 6, col, 24), "", m, container=self.panel, object_id="#status_turn"
        )
        self.objectives = UIButton(
            pygame.Rect(x, 32, min(col - 10, 190), 24),
            "Objectives ▸",
            m,
            container=self.panel,
            tool_tip_text="",
            object_id="#status_small",
        )
        x += col
        self.legitimacy = UILabel(pygame.Rect(x, 6, col, 24), "", m, container=self.panel)
        self.trust = UIButton(
            pygame.Rect(x, 32, min(col - 10, 230), 24),
            "",
            m,
            container=self.panel,
            tool_tip_text="",
            object_id="#status_small",
        )
        self.swatch = UIImage(
            pygame.Rect(w - 178, 12, 12, 12), pygame.Surface((12, 12)), m, container=self.panel
        )
        self.swatch.hide()
        self.playing = UILabel(
            pygame.Rect(w - 162, 6, 154, 24), "", m, container=self.panel, object_id="#status_playing"
        )
        self.connection = UILabel(pygame.Rect(w - 180, 32, 172, 22), "", m, container=self.panel)
        self._texts = {}
        self._score_key = None

    # --- updating ----------------------------------------------------------------------------

    def update(self, state: StatusSource, me: str, now: float, playing: str | None = None) -> None:
        """Re-read the client's state; cheap when nothing changed.  `playing`: the turn being played
        back ("Turn 1 · Summer 1914"), shown instead of the next one until the playback ends."""
        view = state.view or {}
        table = state.table or {}
        waiting = table.get("status") == "lobby"
        if waiting:
            turn = "Waiting for the umpire to start"
        elif playing:
            turn = playing
        elif view.get("phase") is None and view:
            turn = "Game over"
        else:
            turn = turn_words(view)
        self._set("turn", self.turn, turn)
        ready_states = table.get("ready", [])
        phase = view.get("phase")
        phase_text = f"{phase.capitalize()} phase" if phase else "Waiting for the game"
        if phase and table.get("seats"):
            phase_text += f" · {len(ready_states)} ready"
        if waiting:
            phase_text = "Teams are joining"
        elif playing:
            phase_text = "Playback of what happened"
        self._set("phase", self.phase, phase_text)
        remaining = state.deadline_remaining(now)
        self._set("clock", self.clock, clock_text(remaining, table))
        paused = bool((table.get("clock") or {}).get("paused"))
        self._set(
            "clock_note",
            self.clock_note,
            "to the deadline"
            if remaining is not None and not paused
            else "when all are ready"
            if not paused
            else "by the umpire",
        )
        if self._texts.get("lobby") != str(waiting):  # nothing to be ready for before the start
            self._texts["lobby"] = str(waiting)
            if waiting:
                self.ready_button.disable()
            else:
                self.ready_button.enable()
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
        mine: Mapping[str, Any] = next((s for s in view.get("states", []) if s.get("id") == me), {})
        trust = view.get("me", {}).get("trust", {})
        # A `me` delta or a new view replaces the objectives' list: its identity says whether they moved.
        told = view.get("me", {}).get("objectives")
        key = (id(owners), tuple(sorted(trust.items())), mine.get("legitimacy"), id(told), me)
        if key == self._score_key and told is self._told:
            return
        self._score_key, self._told = key, told
        objectives = objectives_of(view, self.scenario, me)
        supply = mine.get("supply", 0)
        if any(o.get("status") is not None for o in objectives):
            # The rules' own points as the game stands (every objective, diplomatic ones too).
            score = int(supply) + sum(int(o.get("points") or 0) for o in objectives)
        else:
            score = map_score(self.scenario, self.board, owners, me) if me else 0
        self._set("score", self.score, f"Score {score} · {supply} supply")
        self._set("objectives", self.objectives, objectives_button_text(objectives))
        self.objectives.set_tooltip(objectives_text(self.scenario, me, view))
        names = {s.id: s.name for s in self.scenario.states}
        if self._texts.get("playing") != me:
            self._texts["playing"] = me
            self.playing.set_text(names.get(me, me.upper()) if me else "")
            self.playing.set_tooltip(f"You play {names.get(me, me.upper())}" if me else "")
            colours = {s.id: s.colour for s in self.scenario.states}
            if me in colours:
                swatch = pygame.Surface((12, 12))
                swatch.fill((20, 24, 28))
                swatch.fill(pygame.Color(colours[me]), pygame.Rect(1, 1, 10, 10))
                self.swatch.set_image(swatch)
                self.swatch.show()
        legitimacy = mine.get("legitimacy")
        self._set("legitimacy", self.legitimacy, f"Legitimacy {legitimacy}" if legitimacy is not None else "")
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
        if event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.objectives:
            if self.on_objectives is not None:
                self.on_objectives()
            return True
        return False

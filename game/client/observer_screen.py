"""The observer's screen, made for a projector: the public map, the public news and the clock.

Everything is in large type and nothing can be clicked but the map (pan and zoom): an observer
gives no orders and has no ready flag.  The band along the top says "OBSERVER", the scenario,
the turn and the clock; the column on the right lists the latest public news, newest first —
statements made in public, injects released to everyone, leaks, betrayals that became known,
captures, governments falling.  It holds only what the observer's view holds: public facts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UILabel, UIPanel, UITextBox

from game.client.band import Band
from game.client.game_screen import GameScreen
from game.client.map_view import MapView
from game.client.panels.names import Names, esc
from game.client.panels.panel import SidePanel
from game.client.panels.sentences import sentence
from game.client.side_area import SideArea
from game.client.status_bar import StatusSource, clock_text
from game.rules.board import Board
from game.rules.scenario import Scenario

BAR_H = 104
NEWS_ITEMS = 24
INJECT_CHARS = 150
"""An inject's text on the projector stops here: the room reads the headline; the teacher tells the rest."""
QUIET_KINDS = frozenset(
    {
        "ready",
        "phase",
        "clock",
        "seat",
        "started",
        "message_mark",
        "orders_submitted",
        "action_ordered",
        "standing",
        "agreement",
        "me",
        "move",
        "bounce",
        "retreat",
        "disband",
        "build",
        "remove",
        "dislodged",
        "income",
        "order_void",
        "hold",
    }
)
"""Events a projector leaves out: the table's bookkeeping, and each unit's move (the map shows those)."""


def news_width(window_w: int) -> int:
    return max(360, min(640, int(window_w * 0.36)))


class NewsLog:
    """The public news in the order this screen learned it, newest last.

    A view holds each turn's events in order and the public statements apart, with nothing to say
    which came first within a turn; events that arrive live come in their true order.  So the log
    keeps what it has seen where it was seen, and takes from each new view only what it missed
    (after a reconnect, or what was said before the screen opened), each in its turn."""

    def __init__(self) -> None:
        self.items: list[tuple[int | None, str]] = []
        self._seen: set[str] = set()

    def _add(self, key: str, turn: int | None, text: str, *, in_turn: bool) -> None:
        if key in self._seen:
            return
        self._seen.add(key)
        if in_turn:  # from a view: after what is known of the same turn, before later turns
            at = len(self.items)
            while at > 0 and (self.items[at - 1][0] or 0) > (turn or 0):
                at -= 1
            self.items.insert(at, (turn, text))
        else:
            self.items.append((turn, text))

    def absorb(
        self, view: Mapping[str, Any] | None, later: Sequence[Mapping[str, Any]], names: Names
    ) -> None:
        """Take in a view's news (what is new to the log) and the events since it, in order."""
        view = view or {}
        titles = {a["id"]: a.get("title", "") for a in view.get("agreements", []) if a.get("title")}
        for entry in view.get("events", []):
            turn = entry.get("turn")
            for event in entry.get("events", []):
                if event.get("kind") not in QUIET_KINDS and not event.get("at_start"):
                    self._add(_key(event), turn, told(event, names, titles), in_turn=True)
        for m in view.get("messages", []):
            if m.get("to") in (None, "all"):
                self._add(f"m:{m.get('id')}", m.get("turn"), _statement(m, names), in_turn=True)
        current = view.get("turn")
        for event in later:
            kind = event.get("kind")
            if kind == "message":
                if event.get("to") in (None, "all"):
                    self._add(
                        f"m:{event.get('id')}",
                        event.get("turn", current),
                        _statement(event, names),
                        in_turn=False,
                    )
            elif kind not in QUIET_KINDS and not event.get("at_start"):
                self._add(_key(event), current, told(event, names, titles), in_turn=False)

    def latest(self, limit: int = NEWS_ITEMS) -> list[tuple[int | None, str]]:
        """The newest news first."""
        return list(reversed(self.items[-limit:]))


def told(event: Mapping[str, Any], names: Names, titles: Mapping[str, str]) -> str:
    """An event as the room reads it: an inject by its headline and the start of its text."""
    if event.get("kind") == "inject":
        text = " ".join(str(event.get("text") or "").split())
        if len(text) > INJECT_CHARS:
            text = text[:INJECT_CHARS].rsplit(" ", 1)[0] + "…"
        return f"NEWS: {event.get('title', '')}" + (f" — {text}" if text else "")
    return sentence(event, names, titles)


def _key(event: Mapping[str, Any]) -> str:
    return json.dumps({k: v for k, v in event.items() if k != "audience"}, sort_keys=True, default=str)


def _statement(m: Mapping[str, Any], names: Names) -> str:
    return f"{names.state(m.get('from'))} said in public: “{m.get('text', '')}”"


def public_news(
    view: Mapping[str, Any] | None, later: Sequence[Mapping[str, Any]], names: Names, limit: int = NEWS_ITEMS
) -> list[tuple[int | None, str]]:
    """The latest public news, newest first, as (turn, sentence), for a screen that has just opened."""
    log = NewsLog()
    log.absorb(view, later, names)
    return log.latest(limit)


def news_html(items: Sequence[tuple[int | None, str]]) -> str:
    if not items:
        return "<font color='#9aa4ad'>No public news yet.</font>"
    parts = []
    turn: int | str | None = "-"
    for item_turn, text in items:
        if item_turn != turn:
            turn = item_turn
            if turn is not None:
                parts.append(f"<font color='#e69f00'><b>Turn {turn}</b></font>")
        parts.append(f"• {esc(text)}")
    return "<br>".join(parts)


class PublicNewsPanel(SidePanel):
    """The news column: one large text box."""

    object_id = "#observer_news_panel"

    def _fields(self) -> None:
        self._html = ""
        self.log = NewsLog()

    def _layout(self) -> None:
        c = self.panel.get_container()
        w, h = self.inner.size
        self._html = ""
        self.box = UITextBox(
            "",
            pygame.Rect(4, 4, w - 8, h - 8),
            self.manager,
            container=c,
            object_id=ObjectID("#observer_news", "@thread"),
        )

    def items(self) -> list[tuple[int | None, str]]:
        self.log.absorb(self.state.view, getattr(self.state, "events", []), self.names())
        return self.log.latest()

    def _update(self) -> None:
        html = news_html(self.items())
        if html != self._html:
            self._html = html
            self.box.set_text(html)


class ObserverBar(Band):
    """The band along the top: OBSERVER and the scenario; the turn; the clock, all large."""

    def __init__(self, manager: pygame_gui.UIManager, rect: pygame.Rect, title: str) -> None:
        self.manager = manager
        self.title = title
        self._texts: dict[str, str] = {}
        self._build(pygame.Rect(rect))

    def _build(self, rect: pygame.Rect) -> None:
        self.rect = rect
        m = self.manager
        self.panel = UIPanel(rect, manager=m, object_id="#observer_bar")
        w = rect.w
        clock_w = 250
        left_w = max(320, int((w - clock_w) * 0.45))
        self.role = UILabel(
            pygame.Rect(16, 6, left_w, 34), "OBSERVER", m, container=self.panel, object_id="#observer_role"
        )
        self.heading = UILabel(
            pygame.Rect(16, 42, left_w, 50), self.title, m, container=self.panel, object_id="#observer_title"
        )
        mid_w = w - left_w - clock_w - 48
        self.turn = UILabel(
            pygame.Rect(left_w + 24, 12, mid_w, 44), "", m, container=self.panel, object_id="#observer_turn"
        )
        self.phase = UILabel(
            pygame.Rect(left_w + 24, 58, mid_w, 34), "", m, container=self.panel, object_id="#observer_note"
        )
        self.clock = UILabel(
            pygame.Rect(w - clock_w - 12, 4, clock_w, 66),
            "",
            m,
            container=self.panel,
            object_id="#observer_clock",
        )
        self.clock_note = UILabel(
            pygame.Rect(w - clock_w - 12, 68, clock_w, 30),
            "",
            m,
            container=self.panel,
            object_id="#observer_note",
        )
        self._texts = {}

    def texts(self) -> dict[str, str]:
        return dict(self._texts)

    def update(self, state: StatusSource, me: str, now: float, playing: str | None = None) -> None:
        del me
        view = state.view or {}
        table = state.table or {}
        status = table.get("status")
        if status == "lobby":
            turn, phase = "Waiting for the umpire to start", "Teams are joining"
        elif playing:  # the turn being played back, not yet the next one
            turn, phase = playing, "Playback of what happened"
        elif status == "over" or (view and view.get("phase") is None):
            winner = view.get("winner")
            turn, phase = "Game over", (f"Winner: {winner}" if isinstance(winner, str) else "")
        else:
            season = str(view.get("season", "")).capitalize()
            turn = f"Turn {view.get('turn', '–')} · {season} {view.get('year', '')}".strip()
            phase = f"{str(view.get('phase') or '').capitalize()} phase"
            ready = len(table.get("ready") or [])
            if ready:
                phase += f" · {ready} ready"
        self._set("turn", self.turn, turn)
        self._set("phase", self.phase, phase)
        remaining = state.deadline_remaining(now)
        paused = bool((table.get("clock") or {}).get("paused"))
        running = status == "running"
        self._set("clock", self.clock, clock_text(remaining, table) if running else "")
        note = (
            "paused by the umpire"
            if paused
            else "left in this phase"
            if remaining is not None
            else "until all are ready"
        )
        self._set("clock_note", self.clock_note, note if running else "")

    def process_event(self, event: pygame.event.Event) -> bool:
        return False


class ObserverScreen(GameScreen):
    """The projector's screen (see the module's docstring)."""

    role = "observer"
    report_after_playback = False

    def _set_scenario(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.state.scenario = scenario
        self.board = Board.from_scenario(scenario)
        self._preload_fonts()
        w, h = self.size
        map_rect, side_rect, bar_rect = self._layout(w, h)
        self.map_view = MapView(self.manager, scenario, map_rect, self.board, controls=False)
        self.status_bar = ObserverBar(self.manager, bar_rect, scenario.title)

        def news(manager: pygame_gui.UIManager, rect: pygame.Rect, container: UIPanel) -> PublicNewsPanel:
            self.news = PublicNewsPanel(
                manager, rect, self.state, self.send, container=container, scenario=scenario
            )
            return self.news

        self.side = SideArea(self.manager, side_rect, [("news", "Public news", news)])

    def _preload_fonts(self) -> None:
        """The news column's bold and its headings at the projector's sizes (loaded once, not mid-frame)."""
        fonts = self.manager.get_theme().get_font_dictionary()
        missing: list[dict[str, str | int | float]] = [
            {"name": "dejavu", "point_size": size, "style": style}
            for size in (20, 22, 24, 28)
            for style in ("regular", "bold")
            if not fonts.check_font_preloaded(fonts.create_font_id(size, "dejavu", style == "bold", False))
        ]
        if missing:
            self.manager.preload_fonts(missing)

    def _layout(self, w: int, h: int) -> tuple[pygame.Rect, pygame.Rect, pygame.Rect]:
        side = news_width(w)
        return (
            pygame.Rect(0, BAR_H, w - side, h - BAR_H),
            pygame.Rect(w - side, BAR_H, side, h - BAR_H),
            pygame.Rect(0, 0, w, BAR_H),
        )

    def caption(self) -> str:
        title = self.scenario.title if self.scenario is not None else ""
        return " — ".join(p for p in ("Backchannel", "Observer", title) if p)

    def _phase_hint(self, view: dict[str, Any]) -> str:
        return ""

    def _shortcut(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_ESCAPE and self.windows:
            self.windows.pop().kill()
            self.report_window = None
            return True
        return False

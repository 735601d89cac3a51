"""The turn report: after each resolution, what happened, in sentences, in one window.

It is built from the view's events of the last resolved turn — the rules' `turn_report`
for my seat — so it holds only what I may know: the map for everyone, a breach for those
who knew the agreement, my own income and intelligence.  Supply changes are counted from
the captures it lists, so no number comes from anywhere else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UITextBox, UIWindow

from game.client.panels.names import Names, esc, scenario_of
from game.client.panels.panel import screen_rect
from game.client.panels.sentences import report_turn, sectioned, sentence, turn_events

HIDDEN_KINDS = frozenset(
    {"ready", "phase", "clock", "seat", "started", "message_mark", "orders_submitted", "action_ordered"}
)


def report_html(view: dict[str, Any], names: Names, turn: int | None = None) -> str:
    """The report of `turn` (default: the last resolved one) as text-box HTML."""
    turn = report_turn(view) if turn is None else turn
    # What was in force from the start is the board as the game began, not news of a turn.
    events = [
        e for e in turn_events(view, turn) if e.get("kind") not in HIDDEN_KINDS and not e.get("at_start")
    ]
    titles = {a["id"]: a.get("title", "") for a in view.get("agreements", []) if a.get("title")}
    if turn is None or not events:
        return "<font color='#9aa4ad'>Nothing has been resolved yet.</font>"
    me = names.me
    sections: list[str] = [summary(events, names)]
    for title, group in sectioned(events, me):
        parts = [f"<font color='#e69f00'><b>{esc(title)}</b></font>"]
        for e in group:
            line = esc(sentence(e, names, titles))
            # What happened to me or by me stands out in a long list of everyone's moves.
            parts.append(
                f"• <font color='#ffffff'><b>{line}</b></font>" if me and involves(e, me) else f"• {line}"
            )
        if title == "Territory and supply":
            gains: Counter[str] = Counter()
            for e in group:
                if e.get("supply"):
                    gains[e.get("state", "")] += 1
                    if e.get("from"):
                        gains[e["from"]] -= 1
            changes = [f"{names.state(s)} {n:+d}" for s, n in gains.items() if n]
            if changes:
                parts.append(f"<font color='#b8c0c8'>Supply: {esc(', '.join(changes))}</font>")
        sections.append("<br>".join(parts))
    return "<br><br>".join(sections)


def involves(event: Mapping[str, Any], state: str) -> bool:
    """Whether an event names this state as an actor, a victim or a party."""
    for key in ("state", "by", "breaker", "protected", "parties", "to", "from", "target", "winner"):
        value = event.get(key)
        if value == state or (isinstance(value, list) and state in value):
            return True
    return False


def summary(events: Sequence[Mapping[str, Any]], names: Names) -> str:
    """One line of counts before the details: the shape of the turn at a glance."""
    kinds = Counter(e.get("kind") for e in events)
    bits = []
    for kind, one, many in (
        ("move", "move", "moves"),
        ("bounce", "bounce", "bounces"),
        ("dislodged", "unit dislodged", "units dislodged"),
        ("captured", "territory taken", "territories taken"),
        ("agreement_breached", "breach", "breaches"),
        ("agreement_leaked", "leak", "leaks"),
        ("agreement_discovered", "discovery", "discoveries"),
        ("message_intercepted", "message intercepted", "messages intercepted"),
    ):
        if kinds[kind]:
            bits.append(f"{kinds[kind]} {one if kinds[kind] == 1 else many}")
    income = [e for e in events if e.get("kind") == "income" and e.get("state") == names.me]
    if income:
        bits.append(f"your income {income[0].get('amount')}")
    return f"<font color='#b8c0c8'>{esc(' · '.join(bits) or 'A quiet turn.')}</font>"


def report_title(view: dict[str, Any], turn: int | None) -> str:
    return f"Turn {turn} — what happened" if turn is not None else "Turn report"


class TurnReportWindow(UIWindow):
    """A window with the last turn's report; "Close" (or Escape) dismisses it."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        state: Any,
        send: Any = None,
        *,
        turn: int | None = None,
        scenario: Any | None = None,
        rect: pygame.Rect | None = None,
        on_replay: Any = None,
    ) -> None:
        # `send` is accepted so every window of the panels is built alike; a report sends nothing.
        view = state.view or {}
        self.turn = report_turn(view) if turn is None else turn
        names = Names(view, scenario_of(state, scenario))
        screen = screen_rect(manager)
        if rect is None:
            w, h = min(640, screen.width - 16), min(560, screen.height - 16)
            rect = pygame.Rect((screen.width - w) // 2, (screen.height - h) // 2, w, h)
        super().__init__(
            rect,
            manager,
            window_display_title=report_title(view, self.turn),
            object_id=ObjectID("#turn_report", "@draft_window"),
            resizable=True,
        )
        c = self.get_container()
        cw, ch = c.get_rect().size
        self.html = report_html(view, names, self.turn)
        self.text = UITextBox(
            self.html,
            pygame.Rect(10, 10, cw - 20, ch - 60),
            manager,
            container=c,
            object_id=ObjectID("#report_text", "@report"),
            anchors={"left": "left", "right": "right", "top": "top", "bottom": "bottom"},
        )
        self.close_button = UIButton(
            pygame.Rect(-130, -42, 120, 32),
            "Close",
            manager,
            container=c,
            object_id=ObjectID("#report_close", "@primary_button"),
            command=self.kill,
            anchors={"left": "right", "right": "right", "top": "bottom", "bottom": "bottom"},
        )
        self.replay_button: UIButton | None = None
        if on_replay is not None:  # the playback of the turn, on the map, again
            self.replay_button = UIButton(
                pygame.Rect(10, -42, 150, 32),
                "↻ Replay on map",
                manager,
                container=c,
                object_id=ObjectID("#report_replay", "@secondary_button"),
                command=on_replay,
                tool_tip_text="Show the turn's moves on the map again",
                anchors={"left": "left", "right": "left", "top": "bottom", "bottom": "bottom"},
            )

    def process_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and self.is_focused:
            self.kill()
            return True
        return super().process_event(event)

"""My state's objectives as the game stands: met, not yet or failed, and the points they give.

The rules judge them (game/rules/objectives.py) and the seat's view carries the answer,
``view["me"]["objectives"]``, which `me` deltas refresh within a phase; the panel only shows
it.  A status is never told by colour alone: each has a symbol and a word too, and its colour
is one of Okabe and Ito's colour-universal-design hues (bluish green, yellow, vermillion),
which stay apart for the common forms of colour blindness.

Until a view says (or from a server that sends no statuses) the scenario's objectives are
listed with their worth and the status "to be seen".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UILabel, UITextBox

from game.client.panels.names import esc
from game.client.panels.panel import SidePanel


@dataclass(frozen=True)
class StatusMark:
    symbol: str
    word: str
    colour: str


STATUS_MARKS: dict[str, StatusMark] = {
    "met": StatusMark("✓", "MET", "#35c8a0"),
    "not_yet": StatusMark("◌", "NOT YET", "#f0e442"),
    "failed": StatusMark("✗", "FAILED", "#ff7f50"),
}
"""How each status shows: symbol, word and colour (Okabe–Ito bluish green, yellow, vermillion,
lightened to read on the dark panel)."""
UNKNOWN_MARK = StatusMark("?", "TO BE SEEN", "#9aa4ad")
MUTED = "#9aa4ad"


def objectives_of(
    view: Mapping[str, Any] | None, scenario: Any = None, me: str | None = None
) -> list[dict[str, Any]]:
    """My objectives with their status, from the view (``me.objectives``); else the scenario's,
    status unknown (``status: None``), with their worth."""
    mine = (view or {}).get("me") or {}
    found = mine.get("objectives") if isinstance(mine, Mapping) else None
    if isinstance(found, list):
        return [dict(o) for o in found if isinstance(o, Mapping)]
    if scenario is None or not me:
        return []
    try:
        state = scenario.state(me)
    except KeyError:
        return []
    out = []
    for o in state.objectives:
        words = o.description or o.kind.replace("_", " ").capitalize()
        out.append(
            {
                "kind": o.kind,
                "summary": words,
                "description": words,
                "status": None,
                "detail": "",
                "points": 0,
                "worth": o.points,
            }
        )
    return out


def tally(objectives: list[dict[str, Any]]) -> dict[str, int]:
    """How many objectives are met, not yet met and failed."""
    counts = dict.fromkeys(STATUS_MARKS, 0)
    for o in objectives:
        if o.get("status") in counts:
            counts[o["status"]] += 1
    return counts


def points_text(o: Mapping[str, Any]) -> str:
    """'2 of 4 points' (points now of the points when wholly met)."""
    points, worth = int(o.get("points") or 0), int(o.get("worth") or 0)
    if o.get("status") is None:
        return f"worth {worth} point{'s' if worth != 1 else ''}"
    return f"{points} of {worth} point{'s' if worth != 1 else ''}"


def summary_text(objectives: list[dict[str, Any]]) -> str:
    """One line over the list: the points now, and how many of each status."""
    if not objectives:
        return ""
    if all(o.get("status") is None for o in objectives):
        return f"{len(objectives)} objective{'s' if len(objectives) != 1 else ''}: their status shows once the game starts"
    counts = tally(objectives)
    points = sum(int(o.get("points") or 0) for o in objectives)
    worth = sum(int(o.get("worth") or 0) for o in objectives)
    marks = " · ".join(f"{n} {STATUS_MARKS[s].word.lower()}" for s, n in counts.items())
    return f"{points} of {worth} points now · {marks}"


def mark_html(status: str | None) -> str:
    mark = STATUS_MARKS.get(status or "", UNKNOWN_MARK)
    return f"<font color='{mark.colour}'><b>{mark.symbol} {mark.word}</b></font>"


def objective_html(o: Mapping[str, Any]) -> str:
    """One objective: its status (symbol, word, colour), what it asks, the scenario's words for it,
    how far it is met, and its points."""
    summary = str(o.get("summary") or o.get("description") or o.get("kind") or "")
    description = str(o.get("description") or "")
    mark = STATUS_MARKS.get(o.get("status") or "", UNKNOWN_MARK)
    lines = [f"{mark_html(o.get('status'))}   <b>{esc(summary)}</b>"]
    if description and description != summary:
        lines.append(f"<i>{esc(description)}</i>")
    if o.get("detail"):
        lines.append(f"<font color='{MUTED}'>{esc(str(o['detail']))}</font>")
    lines.append(f"<font color='{mark.colour}'>{esc(points_text(o))}</font>")
    return "<br>".join(lines)


def objectives_html(objectives: list[dict[str, Any]]) -> str:
    """The whole list, as the panel's text box shows it."""
    if not objectives:
        return (
            f"<font color='{MUTED}'>No objectives of its own for this state: "
            "hold as many supply territories as you can.</font>"
        )
    return "<br><br>".join(objective_html(o) for o in objectives)


class ObjectivesPanel(SidePanel):
    """My objectives with their status (the side area's Goals tab, and the status bar's button)."""

    object_id = "#objectives_panel"

    def _fields(self) -> None:
        self._html = ""
        self._summary = ""
        self.objectives: list[dict[str, Any]] = []

    def _layout(self) -> None:
        c = self.panel.get_container()
        w, h = self.inner.size
        pad = 8
        m = self.manager
        self._html = ""
        self._summary = ""
        UILabel(
            pygame.Rect(pad, 6, 120, 24),
            "Objectives",
            m,
            container=c,
            object_id=ObjectID("#objectives_heading", "@panel_heading"),
        )
        self.state_label = UILabel(
            pygame.Rect(pad + 124, 6, w - 2 * pad - 124, 24),
            "",
            m,
            container=c,
            object_id=ObjectID("#objectives_state", "@panel_subheading"),
        )
        self.summary = UILabel(
            pygame.Rect(pad, 32, w - 2 * pad, 22),
            "",
            m,
            container=c,
            object_id=ObjectID("#objectives_summary", "@panel_hint"),
        )
        self.list = UITextBox(
            "",
            pygame.Rect(pad, 58, w - 2 * pad, h - 58 - 30),
            m,
            container=c,
            object_id=ObjectID("#objectives_list", "@thread"),
        )
        UILabel(
            pygame.Rect(pad, h - 26, w - 2 * pad, 20),
            "As the game stands now; scored at the end.",
            m,
            container=c,
            object_id=ObjectID("#objectives_note", "@panel_hint"),
        )

    def _update(self) -> None:
        me = self.me
        self.objectives = objectives_of(self.view, self.scenario, me)
        name = self.names().state(me) if me else ""
        if self.state_label.text != name:
            self.state_label.set_text(name)
        summary = summary_text(self.objectives)
        if summary != self._summary:
            self._summary = summary
            self.summary.set_text(summary)
            self.summary.set_tooltip(summary)
        text = objectives_html(self.objectives)
        if text != self._html:
            self._html = text
            self.list.set_text(text)

    @property
    def html(self) -> str:
        """What the list shows now (its text box's HTML)."""
        return self._html

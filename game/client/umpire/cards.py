"""A scrolling column of small text cards, each re-laid only when its own text changed.

pygame_gui lays out a text box's whole text again on every `set_text` (about 2 ms per message's
worth of HTML), so one box holding forty messages stalls a frame for a tenth of a second each
time a message arrives.  A column of one small box per item (a message, a state's orders, an
agreement) costs one small box when one item changes; the others only move.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIScrollingContainer, UITextBox

SCROLLBAR = 20
GAP = 4


class CardColumn:
    """Cards (key, html) top to bottom in a scrolling container at `rect` of `container`."""

    def __init__(
        self, manager: pygame_gui.UIManager, rect: pygame.Rect, container: Any, object_id: str
    ) -> None:
        self.manager = manager
        self.object_id = object_id
        self.scroll = UIScrollingContainer(
            pygame.Rect(rect),
            manager,
            container=container,
            allow_scroll_x=False,
            object_id=ObjectID(object_id, "@card_column"),
        )
        self.width = rect.w - SCROLLBAR
        self.boxes: dict[str, UITextBox] = {}
        self.texts: dict[str, str] = {}
        self.keys: list[str] = []
        self.built = 0
        """Cards laid out since the column was made (what a refresh cost)."""

    def show(self, items: Sequence[tuple[str, str]]) -> int:
        """Show these cards in this order; returns how many had to be laid out anew."""
        wanted = {key for key, _ in items}
        for key in [k for k in self.boxes if k not in wanted]:
            self.boxes.pop(key).kill()
            self.texts.pop(key, None)
        made = 0
        for key, html in items:
            if self.texts.get(key) == html:
                continue
            old = self.boxes.pop(key, None)
            if old is not None:
                old.kill()
            self.boxes[key] = UITextBox(
                html,
                pygame.Rect(0, 0, self.width, -1),
                self.manager,
                container=self.scroll,
                object_id=ObjectID(f"{self.object_id}_card", "@thread"),
            )
            self.texts[key] = html
            made += 1
        keys = [key for key, _ in items]
        if made or keys != self.keys:
            y = 0
            for key in keys:
                box = self.boxes[key]
                if box.get_relative_rect().topleft != (0, y):
                    box.set_relative_position((0, y))
                y += int(box.get_relative_rect().h) + GAP
            self.scroll.set_scrollable_area_dimensions((self.width, max(1, y)))
            self.keys = keys
        self.built += made
        return made

    def text(self) -> str:
        """Every card's HTML, in order (for tests and the bench)."""
        return "\n".join(self.texts[k] for k in self.keys)

    def kill(self) -> None:
        self.scroll.kill()
        self.boxes = {}
        self.texts = {}
        self.keys = []

"""A short message in plain text, wrapped to its width: a reason is never cut at a panel's edge.

A label draws one line and cuts what does not fit; a refusal or a check's reason must be read
whole, so it goes in a text box (which wraps, and scrolls if it must) that takes plain text.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.core.interfaces import IUIManagerInterface
from pygame_gui.elements import UITextBox

ERROR_COLOUR = "#ff9c7a"


class Notice(UITextBox):
    """Plain text in one colour, wrapped; `text` is what it says, `say` changes it.  With nothing
    to say it is hidden (and stays so when its container is shown)."""

    def __init__(
        self,
        rect: pygame.Rect,
        manager: IUIManagerInterface,
        *,
        container: Any | None = None,
        colour: str = ERROR_COLOUR,
        object_id: str = "#notice",
        text: str = "",
    ) -> None:
        self.text = text
        self.colour = colour
        super().__init__(
            self._html(text),
            rect,
            manager,
            container=container,
            object_id=ObjectID(object_id, "@notice"),
            visible=int(bool(text)),
        )

    def _html(self, text: str) -> str:
        return f"<font color='{self.colour}'>{escape(text)}</font>" if text else ""

    def say(self, text: str) -> None:
        if text == self.text:
            return
        self.text = text
        self.set_text(self._html(text))
        if text:
            UITextBox.show(self)  # not our own show, which waits for text: this is the text
        else:
            self.hide()

    def lines(self) -> int:
        """How many lines the text takes, wrapped to the width."""
        layout = self.text_box_layout
        return len(layout.layout_rows) if layout is not None and self.text else 0

    def show(self, *args: Any, **kwargs: Any) -> None:
        if self.text:
            UITextBox.show(self, *args, **kwargs)

"""What every band of the window shares (the player's status bar, the umpire's bar, the observer's):
built in a rectangle and built again when the window is resized, its texts set only when they change
(setting a pygame_gui label's text redraws it, every frame otherwise)."""

from __future__ import annotations

import pygame
from pygame_gui.elements import UIButton, UILabel, UIPanel


class Band:
    """A band's life: `_build` makes its widgets in `rect`; `set_rect` makes them again; `kill` ends them."""

    panel: UIPanel
    _texts: dict[str, str]

    def _build(self, rect: pygame.Rect) -> None:
        raise NotImplementedError

    def set_rect(self, rect: pygame.Rect) -> None:
        self.panel.kill()
        self._build(pygame.Rect(rect))

    def kill(self) -> None:
        self.panel.kill()

    def _set(self, name: str, widget: UILabel | UIButton, text: str) -> None:
        if self._texts.get(name) != text:
            self._texts[name] = text
            widget.set_text(text)

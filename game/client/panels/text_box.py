"""A multi-line text entry that survives pygame_gui's layout bugs.

pygame_gui's `UITextEntryBox` can lose track of its rows (upstream issue MyreMylar/pygame_gui#717:
after some deletions its row layout and its edit position disagree) and then raises
`RuntimeError: Failed to insert text at index` on the next key.  Seen once while a long message
was typed in the game.  A player must not lose the window, or the message, to it: on such an
error the box lays its own text out again (the key may or may not have reached the text, as
the failed insertion left it) and puts the cursor at the end.
"""

from __future__ import annotations

import logging

import pygame
from pygame_gui.elements import UITextEntryBox

log = logging.getLogger("backchannel.client")


class SafeTextEntryBox(UITextEntryBox):
    def process_event(self, event: pygame.event.Event) -> bool:
        try:
            return bool(super().process_event(event))
        except (RuntimeError, IndexError) as exc:
            log.debug("text box layout lost (%s); laid out again", exc)
            self.recover()
            return True

    def recover(self) -> None:
        """Lay the text out afresh, with the cursor at its end."""
        text = self.get_text()
        self.set_text(text)
        self.edit_position = len(text)
        self.cursor_has_moved_recently = True

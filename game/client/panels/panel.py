"""What every side panel shares: its own UIPanel, a rebuild only when the game changed, relayout.

The app calls `refresh()` every frame; a panel re-reads the state only when
`state.revision` moved (or a click of its own asked for it), so a quiet frame costs
nothing.  Widgets the player types into are built once per layout and never rebuilt on
news, so a message being written survives every event that arrives meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIPanel

from game.client.panels.names import Names, scenario_of

Send = Callable[[dict[str, Any]], Any]


def clear(container: Any) -> None:
    """Kill every widget inside a container (its list is copied: killing edits it)."""
    for element in list(getattr(container, "elements", [])):
        element.kill()


def screen_rect(manager: Any) -> pygame.Rect:
    """The whole window, to centre a window in it."""
    return pygame.Rect(manager.get_root_container().get_rect())


class SidePanel:
    """A panel in the app's side area: `refresh`, `process_event`, `set_rect`, `kill`."""

    object_id = "#side_panel"

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        rect: pygame.Rect,
        state: Any,
        send: Send,
        *,
        container: Any | None = None,
        scenario: Any | None = None,
    ) -> None:
        self.manager = manager
        self.state = state
        self.send = send
        self.container = container
        self._scenario = scenario
        self.rect = pygame.Rect(rect)
        self._seen_revision: int | None = None
        self._stale = True
        self.panel = UIPanel(
            self.rect, manager=manager, container=container, object_id=ObjectID(self.object_id, "@side_panel")
        )
        self._fields()
        self._layout()
        self.refresh()

    # --- what subclasses provide -----------------------------------------------------------------

    def _fields(self) -> None:
        """Set the subclass's own attributes (before the first layout and refresh use them)."""

    def _layout(self) -> None:
        """Create the widgets for the current rect (called again after a resize)."""

    def _update(self) -> None:
        """Show the state's current picture in the widgets."""

    def _keep(self) -> None:
        """Remember what the player typed before the widgets are rebuilt for a new size."""

    # --- the app's interface ---------------------------------------------------------------------

    @property
    def scenario(self) -> Any | None:
        return scenario_of(self.state, self._scenario)

    @property
    def view(self) -> dict[str, Any]:
        return self.state.view or {}

    def names(self) -> Names:
        return Names(self.state.view, self.scenario)

    @property
    def me(self) -> str | None:
        mine = getattr(self.state, "my_state", None)
        if mine:
            return str(mine)
        me = self.view.get("me")
        return me.get("state") if me else None

    def act(self, command: dict[str, Any]) -> Any:
        """Send one rules command as an `act` message (docs/protocol.md); returns its id."""
        ref = self.send({"type": "act", "command": command})
        self._stale = True  # what I did shows at once where it can (the server's answer follows)
        return ref

    def refresh(self) -> bool:
        """Re-read the state if it changed since the last call; True when something was redrawn."""
        revision = getattr(self.state, "revision", 0)
        if not self._stale and revision == self._seen_revision:
            return False
        self._seen_revision = revision
        self._stale = False
        self._update()
        return True

    def process_event(self, event: pygame.event.Event) -> bool:
        """Buttons act through their own callbacks; subclasses take keys and list changes here."""
        return False

    def set_rect(self, rect: pygame.Rect) -> None:
        """Lay the panel out again for a new size (the window was resized)."""
        self.rect = pygame.Rect(rect)
        self._keep()
        self.panel.set_relative_position(self.rect.topleft)
        self.panel.set_dimensions(self.rect.size)
        clear(self.panel.get_container())
        self._layout()
        self._stale = True
        self.refresh()

    def kill(self) -> None:
        self.panel.kill()

    @property
    def inner(self) -> pygame.Rect:
        """The usable area inside the panel, in its own coordinates."""
        size = self.panel.get_container().get_rect().size
        return pygame.Rect(0, 0, size[0], size[1])

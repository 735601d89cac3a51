"""The order box: orders typed in the conventional notation, and the list of my orders.

Orders for a phase replace the earlier ones on the server, so the box keeps the whole list
and sends all of it after every change (typed, clicked on the map, or removed).  An order
for a unit that already has one replaces it: one order per unit, as on paper.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel, UIPanel, UIScrollingContainer, UITextEntryLine

from game.rules.board import territory_of
from game.rules.errors import OrderSyntaxError
from game.rules.orders import Waive, parse_order

ROW_H = 30
HELP = "A par - bur · A mun S A bur - ruh · A vie H"
HELP_RETREAT = "A bur R par (retreat) · A bur D (disband)"
HELP_ADJUST = "build A par · build F stp/nc · remove F nth · waive"


def order_key(text: str, phase: str) -> str:
    """What an order is about, so a new order for the same unit replaces the old one."""
    order = parse_order(text, phase)
    if isinstance(order, Waive):
        return f"waive:{text}"
    return territory_of(order.location)


class OrderBox:
    """A text entry for orders, the list of my current orders with remove buttons, and errors."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        rect: pygame.Rect,
        send: Callable[[dict[str, object]], object],
        *,
        container: object | None = None,
    ) -> None:
        self.manager = manager
        self.send = send
        self.container = container
        self.orders: list[str] = []
        self.turn: int | None = None
        self.phase: str | None = None
        self.error = ""
        self.sent = 0
        self._rows: list[tuple[UILabel, UIButton | None]] = []
        self._shown: tuple[str, ...] | None = None
        self._build(pygame.Rect(rect))

    def _build(self, rect: pygame.Rect) -> None:
        self.rect = rect
        self.panel = UIPanel(rect, manager=self.manager, container=self.container, object_id="#order_panel")
        w = rect.w - 16
        self.title = UILabel(pygame.Rect(8, 6, w, 24), "Orders", self.manager, container=self.panel,
                             object_id="#section_heading")
        self.entry = UITextEntryLine(pygame.Rect(8, 34, w - 78, 32), self.manager, container=self.panel,
                                     placeholder_text="Type an order, e.g. A par - bur")
        self.add_button = UIButton(pygame.Rect(w - 62, 34, 70, 32), "Add", self.manager, container=self.panel,
                                   tool_tip_text="Add the order (Enter)", object_id="#primary_button")
        self.help = UILabel(pygame.Rect(8, 70, w, 20), HELP, self.manager, container=self.panel,
                            object_id="#status_small")
        self.error_label = UILabel(pygame.Rect(8, 90, w, 20), "", self.manager, container=self.panel,
                                   object_id="#order_error")
        list_h = max(60, rect.h - 160)
        self.list = UIScrollingContainer(pygame.Rect(4, 114, rect.w - 10, list_h), self.manager,
                                         container=self.panel, allow_scroll_x=False)
        self.clear_button = UIButton(pygame.Rect(8, rect.h - 42, 150, 32), "Clear all orders", self.manager,
                                     container=self.panel, tool_tip_text="Remove every order of this phase")
        self.count_label = UILabel(pygame.Rect(166, rect.h - 42, w - 160, 32), "", self.manager,
                                   container=self.panel, object_id="#status_small")
        self._shown = None

    def set_rect(self, rect: pygame.Rect) -> None:
        text = self.entry.get_text()
        self.kill()
        self._build(pygame.Rect(rect))
        self.entry.set_text(text)
        self._rows = []
        self.refresh_list()

    def kill(self) -> None:
        self.panel.kill()
        self._rows = []

    def focus(self) -> None:
        self.entry.focus()

    def refresh(self) -> None:
        """Nothing to re-read: the game screen calls `sync` with the server's orders each frame."""

    # --- state -------------------------------------------------------------------------------

    def sync(self, turn: int | None, phase: str | None, server_orders: Sequence[str]) -> None:
        """Follow the game: a new phase starts from the orders the server holds (none, usually)."""
        if (turn, phase) != (self.turn, self.phase):
            self.turn, self.phase = turn, phase
            self.orders = list(server_orders)
            self.error = ""
            self.help.set_text(HELP_RETREAT if phase == "retreat" else HELP_ADJUST if phase == "adjustment" else HELP)
            self.refresh_list()

    def add(self, text: str) -> bool:
        """Add (or replace) one order; False, with the reason shown, if it cannot be read."""
        if self.phase is None or self.turn is None:
            self._set_error("No orders can be given now.")
            return False
        try:
            order = parse_order(text, self.phase)
            key = order_key(text, self.phase)
        except OrderSyntaxError as exc:
            self._set_error(str(exc))
            return False
        normal = order.text
        kept = [o for o in self.orders if self._key(o) != key]
        self.orders = [*kept, normal]
        self._set_error("")
        self.submit()
        return True

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.orders):
            del self.orders[index]
            self.submit()

    def clear(self) -> None:
        self.orders = []
        self.submit()

    def submit(self) -> None:
        """Send the whole list: the server keeps the last list sent for the phase."""
        if self.turn is None or self.phase is None:
            return
        self.send({"type": "act", "command": {"kind": "orders", "turn": self.turn, "phase": self.phase,
                                              "orders": list(self.orders)}})
        self.sent += 1
        self.refresh_list()

    def _key(self, text: str) -> str:
        try:
            return order_key(text, self.phase or "movement")
        except OrderSyntaxError:
            return text

    def _set_error(self, text: str) -> None:
        self.error = text
        self.error_label.set_text(text)

    # --- widgets -----------------------------------------------------------------------------

    def refresh_list(self) -> None:
        shown = tuple(self.orders)
        if shown == self._shown:
            return
        self._shown = shown
        for label, button in self._rows:
            label.kill()
            if button is not None:
                button.kill()
        self._rows = []
        width = self.list.get_container().get_rect().w if self.orders else self.rect.w - 10
        width = max(120, min(width, self.rect.w - 30))
        for i, text in enumerate(self.orders):
            label = UILabel(pygame.Rect(6, i * ROW_H + 2, width - 50, ROW_H - 4), text, self.manager,
                            container=self.list)
            button = UIButton(pygame.Rect(width - 40, i * ROW_H + 2, 32, ROW_H - 4), "×", self.manager,
                              container=self.list, tool_tip_text=f"Remove {text}", object_id="#remove_order")
            self._rows.append((label, button))
        if not self.orders:
            hint = UILabel(pygame.Rect(6, 4, width - 12, ROW_H), "No orders yet: click a unit on the map.",
                           self.manager, container=self.list, object_id="#empty_hint")
            self._rows.append((hint, None))
        self.list.set_scrollable_area_dimensions((width, max(1, len(self.orders)) * ROW_H + 4))
        count = len(self.orders)
        self.count_label.set_text(f"{count} order{'s' if count != 1 else ''} · {self.phase or 'no phase'}")

    def process_event(self, event: pygame.event.Event) -> bool:
        """Handle the box's own widgets; True when the event was about them."""
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.entry:
            self._add_typed()
            return True
        if event.type != pygame_gui.UI_BUTTON_PRESSED:
            return False
        if event.ui_element is self.add_button:
            self._add_typed()
            return True
        if event.ui_element is self.clear_button:
            self.clear()
            return True
        for i, (_label, button) in enumerate(self._rows):
            if button is not None and event.ui_element is button:
                self.remove(i)
                return True
        return False

    def _add_typed(self) -> None:
        text = self.entry.get_text().strip()
        if text and self.add(text):
            self.entry.set_text("")
        self.entry.focus()

    def row_button(self, index: int) -> UIButton:
        """The remove button of an order row (for tests and the demo driver)."""
        button = self._rows[index][1]
        assert button is not None
        return button

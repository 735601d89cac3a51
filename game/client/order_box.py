"""The order box: orders typed in the conventional notation, and the list of my orders.

The list is my state's orders *as the server holds them* (the view's `me.orders`, kept
current by `me` and `orders_submitted` events): a teammate's accepted orders show as soon as
they are given, and an order the server refused is never listed as given — its refusal
shows instead.  Orders for a phase replace the earlier ones on the server, so every change
(typed, clicked on the map, or removed) sends the whole list, built from the server's list
(or from the list still on its way, while one is): it cannot silently drop a teammate's.
An order for a unit that already has one replaces it: one order per unit, as on paper.

Before anything is sent, a typed order is checked against the map as the rules check it
(game/rules/order_check.py): an unknown place, another state's unit, an army at sea, a
place out of reach.  The whole reason shows, wrapped, and nothing is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core.interfaces import IContainerLikeInterface
from pygame_gui.elements import UIButton, UILabel, UIPanel, UIScrollingContainer, UITextEntryLine

from game.client.forecast import forecast_of, missing, warning_detail, warning_line, warnings_by_order
from game.client.panels.names import Names, scenario_of
from game.client.panels.notice import Notice
from game.client.refusals import refusal_text
from game.client.state import ClientState
from game.rules.board import Board, territory_of
from game.rules.errors import OrderSyntaxError
from game.rules.order_check import check_parsed, retreats_from_view, units_from_view
from game.rules.orders import Order, Waive, parse_order

ROW_H = 30
LIST_TOP = 94
HELP = "A par - bur · A mun S A bur - ruh · A vie H"
HELP_RETREAT = "A bur R par (retreat) · A bur D (disband)"
WARNING_COLOUR = "#ffb000"
"""Amber (Okabe-Ito orange family): reads apart from the red of a refusal for every colour vision."""
HELP_ADJUST = "build A par · build F stp/nc · remove F nth · waive"


def order_key(text: str, phase: str) -> str:
    """What an order is about, so a new order for the same unit replaces the old one."""
    order = parse_order(text, phase)
    if isinstance(order, Waive):
        return f"waive:{text}"
    return territory_of(order.location)


class OrderBox:
    """A text entry for orders, the list of my orders as the server holds them, and the reasons
    an order was not sent or was refused."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        rect: pygame.Rect,
        send: Callable[[dict[str, object]], object],
        *,
        container: IContainerLikeInterface | None = None,
        state: ClientState | None = None,
        board: Board | None = None,
    ) -> None:
        self.manager = manager
        self.send = send
        self.container = container
        self.state = state if state is not None else ClientState()
        self.board = board
        """The map the orders are checked on (None until the scenario is read: the syntax only)."""
        self.pending: tuple[str | int, list[str]] | None = None
        """The list sent and not yet held by the server: (command id, orders)."""
        self.turn: int | None = None
        self.phase: str | None = None
        self.error = ""
        self.sent = 0
        self._rows: list[tuple[UILabel, UIButton | None]] = []
        self._warnings: list[Notice] = []
        self._shown: tuple[object, ...] | None = None
        self.error_box: Notice | None = None
        self._build(pygame.Rect(rect))

    def _build(self, rect: pygame.Rect) -> None:
        self.rect = rect
        self.panel = UIPanel(rect, manager=self.manager, container=self.container, object_id="#order_panel")
        w = rect.w - 16
        self.title = UILabel(
            pygame.Rect(8, 6, w, 24),
            "Orders",
            self.manager,
            container=self.panel,
            object_id="#section_heading",
        )
        self.entry = UITextEntryLine(
            pygame.Rect(8, 34, w - 78, 32),
            self.manager,
            container=self.panel,
            placeholder_text="Type an order, e.g. A par - bur",
        )
        self.add_button = UIButton(
            pygame.Rect(w - 62, 34, 70, 32),
            "Add",
            self.manager,
            container=self.panel,
            tool_tip_text="Add the order (Enter)",
            object_id="#primary_button",
        )
        self.help = UILabel(
            pygame.Rect(8, 70, w, 20), HELP, self.manager, container=self.panel, object_id="#status_small"
        )
        self.error_box = None
        self.list = UIScrollingContainer(
            pygame.Rect(4, LIST_TOP, rect.w - 10, max(60, rect.h - 52 - LIST_TOP)),
            self.manager,
            container=self.panel,
            allow_scroll_x=False,
        )
        self.clear_button = UIButton(
            pygame.Rect(8, rect.h - 42, 150, 32),
            "Clear all orders",
            self.manager,
            container=self.panel,
            tool_tip_text="Remove every order of this phase",
        )
        self.count_label = UILabel(
            pygame.Rect(166, rect.h - 42, w - 160, 32),
            "",
            self.manager,
            container=self.panel,
            object_id="#status_small",
        )
        self._shown = None

    def set_rect(self, rect: pygame.Rect) -> None:
        text = self.entry.get_text()
        self.kill()
        self._build(pygame.Rect(rect))
        self.entry.set_text(text)
        self._rows = []
        self._warnings = []
        self._show_error()
        self.refresh_list()

    def kill(self) -> None:
        self.panel.kill()
        self._rows = []
        self._warnings = []

    def focus(self) -> None:
        self.entry.focus()

    def refresh(self) -> None:
        """Re-read the server's orders (the game screen also calls `sync` every frame)."""
        self.sync()

    # --- state -------------------------------------------------------------------------------

    @property
    def given(self) -> list[str]:
        """My state's orders for this phase as the server holds them."""
        return self.state.my_orders()

    @property
    def orders(self) -> list[str]:
        """The list as it stands: the one on its way to the server while there is one, else the server's."""
        return list(self.pending[1]) if self.pending is not None else self.given

    def sync(self, *_ignored: object) -> None:
        """Follow the game: a new phase, the server's answer to the list sent, a teammate's orders."""
        turn, phase = self.state.turn, self.state.phase
        if (turn, phase) != (self.turn, self.phase):
            self.turn, self.phase = turn, phase
            self.pending = None
            self._set_error("")
            self.help.set_text(
                HELP_RETREAT if phase == "retreat" else HELP_ADJUST if phase == "adjustment" else HELP
            )
        self._settle()
        self.refresh_list()

    def given_by(self) -> str | None:
        """Who gave my state's orders for this phase: the author of the latest `orders_submitted`
        event of this phase, when the server told it (None if not, or no such event was seen)."""
        me, key = self.state.my_state, (self.state.turn, self.state.phase)
        for entry in reversed(getattr(self.state, "news", ()) or ()):
            event = entry.get("event")
            if (
                isinstance(event, dict)
                and event.get("kind") == "orders_submitted"
                and event.get("state") == me
                and (event.get("turn"), event.get("phase")) == key
            ):
                author = event.get("author")
                return str(author) if author else None
        return None

    def _settle(self) -> None:
        """The list sent is answered: refused (its reason shows) or held (once its events are in)."""
        if self.pending is None:
            return
        reply = self.state.replies.get(self.pending[0])
        if reply is None:
            return
        if reply.get("type") == "error":
            self.pending = None
            self._set_error(refusal_text(reply, self.state))
        elif not isinstance(reply.get("v"), int) or self.state.v >= reply["v"]:
            self.pending = None  # the server's list (its `me` or `orders_submitted`) is in the picture

    def add(self, text: str) -> bool:
        """Add (or replace) one order; False, with the reason shown and nothing sent, if it cannot
        be read or the rules would not carry it out on this map."""
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
        reason = self.check(order, kept)
        if reason:
            self._set_error(f"Not sent: {normal} — {reason}")
            return False
        self._set_error("")
        self.submit([*kept, normal])
        return True

    def check(self, order: Order, others: Sequence[str] = ()) -> str:
        """Why the rules would not carry out this order of mine on the map as it is ('' if they would)."""
        view, me = self.state.view, self.state.my_state
        if self.board is None or view is None or me is None or self.phase is None:
            return ""
        where = view.get("map") or {}
        try:
            return check_parsed(
                self.board,
                units_from_view(where.get("units", [])),
                me,
                self.phase,
                order,
                retreats=retreats_from_view(where.get("retreats", [])),
                owners=where.get("owners", {}),
                others=others,
            )
        except (KeyError, TypeError, ValueError):
            return ""  # a view this client cannot read: the umpire will judge the order

    def remove(self, index: int) -> None:
        orders = self.orders
        if 0 <= index < len(orders):
            del orders[index]
            self.submit(orders)

    def clear(self) -> None:
        self.submit([])

    def submit(self, orders: Sequence[str] | None = None) -> None:
        """Send the whole list (by default the one shown): the server keeps the last list sent for the phase."""
        if self.turn is None or self.phase is None:
            return
        orders = list(self.orders if orders is None else orders)
        ref = self.send(
            {
                "type": "act",
                "command": {"kind": "orders", "turn": self.turn, "phase": self.phase, "orders": orders},
            }
        )
        self.state.expect_orders(orders)
        self.pending = (ref, orders) if isinstance(ref, str | int) else None
        self.sent += 1
        self.refresh_list()

    def _key(self, text: str) -> str:
        try:
            return order_key(text, self.phase or "movement")
        except OrderSyntaxError:
            return text

    def _set_error(self, text: str) -> None:
        if text == self.error:
            return
        self.error = text
        self._show_error()

    # --- widgets -----------------------------------------------------------------------------

    def _show_error(self) -> None:
        """The reason, wrapped to the box's width and as tall as it needs; the list moves down for it."""
        if self.error_box is not None:
            self.error_box.kill()
            self.error_box = None
        top = LIST_TOP
        if self.error:
            self.error_box = Notice(
                pygame.Rect(4, 90, self.rect.w - 10, -1),
                self.manager,
                container=self.panel,
                object_id="#order_error",
                text=self.error,
            )
            top = 90 + self.error_box.rect.height + 4
        height = max(60, self.rect.h - 52 - top)
        self.list.set_relative_position((4, top))
        self.list.set_dimensions((self.rect.w - 10, height))
        self._shown = None

    def refresh_list(self) -> None:
        orders = self.orders
        given = set(self.given)
        author = self.given_by() if self.state.team_size(self.state.my_state) > 1 else None
        forecast = forecast_of(self.state.view)
        shown = (
            *orders,
            self.pending is not None,
            author,
            *(o in given for o in orders),
            tuple(sorted(str(sorted(w.items())) for w in forecast)),
        )
        if shown == self._shown:
            return
        self._shown = shown
        for label, button in self._rows:
            label.kill()
            if button is not None:
                button.kill()
        for note in self._warnings:
            note.kill()
        self._rows = []
        self._warnings = []
        names = Names(self.state.view, scenario_of(self.state))
        by_order = warnings_by_order(forecast)
        width = self.list.get_container().get_rect().w if orders or forecast else self.rect.w - 10
        width = max(120, min(width, self.rect.w - 30))
        y = 2
        for text in orders:
            sending = text not in given  # shown as typed, not yet as given
            warned = by_order.get(text, []) if not sending else []
            shown_text = f"{text}  (sending…)" if sending else text
            tip = " ".join(warning_detail(w, names) for w in warned) or None
            label = UILabel(
                pygame.Rect(6, y, width - 50, ROW_H - 4),
                ("⚠ " if warned else "") + shown_text,
                self.manager,
                container=self.list,
                object_id="#empty_hint" if sending else "#order_warned" if warned else None,
            )
            if tip:
                label.set_tooltip(tip)  # the rules' evidence, on hover
            button = UIButton(
                pygame.Rect(width - 40, y, 32, ROW_H - 4),
                "×",
                self.manager,
                container=self.list,
                tool_tip_text=f"Remove {text}",
                object_id="#remove_order",
            )
            self._rows.append((label, button))
            y += ROW_H
            y = self._warn(warned, names, y, width)
        if not orders:
            hint = UILabel(
                pygame.Rect(6, 4, width - 12, ROW_H),
                "No orders yet: click a unit on the map.",
                self.manager,
                container=self.list,
                object_id="#empty_hint",
            )
            self._rows.append((hint, None))
            y += ROW_H
        y = self._warn(missing(forecast), names, y, width)
        self.list.set_scrollable_area_dimensions((width, y + 4))
        count = len(given)
        by = f" by {author}" if author else ""  # the teammate who gave them: "given by Ann"
        text = f"{count} order{'s' if count != 1 else ''} given{by} · "
        if forecast:  # in place of the phase: the line has no room for both
            text += f"⚠ {len(forecast)} breach{'es' if len(forecast) != 1 else ''}"
        else:
            text += self.phase or "no phase"
        self.count_label.set_text(text + (" · sending…" if self.pending is not None else ""))

    def _warn(self, warnings: Sequence[Mapping[str, Any]], names: Names, y: int, width: int) -> int:
        """Each warning wrapped under its order (or under the list: a missing order); the new bottom."""
        for w in warnings:
            note = Notice(
                pygame.Rect(14, y - 4, width - 20, -1),
                self.manager,
                container=self.list,
                colour=WARNING_COLOUR,
                object_id="#order_warning",
                text=warning_line(w, names),
            )
            self._warnings.append(note)
            y += note.rect.height + 2
        return y

    @property
    def warnings(self) -> list[str]:
        """The warnings shown, as their text (for tests and the demo)."""
        return [n.text for n in self._warnings]

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

"""Declaring a free-text clause broken: which clause, and who broke it.

Only a party's own declaration can breach a free-text clause (docs/rules.md), so the
window lists just the free-text clauses of the agreement as my view holds them (annex
clauses numbered after the main ones, as the rules number them) and the other parties.
"""

from __future__ import annotations

from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UILabel, UIWindow

from game.client.panels.names import Names
from game.client.panels.panel import Send, screen_rect
from game.client.panels.pickers import chosen, dropdown, state_options


class BreachWindow(UIWindow):
    """A small window: a free-text clause, a breaker, and "Declare breach"."""

    def __init__(
        self, manager: pygame_gui.UIManager, state: Any, send: Send, agreement: dict[str, Any], names: Names
    ) -> None:
        self.send_message = send
        self.agreement = agreement
        me = getattr(state, "my_state", None) or names.me
        screen = screen_rect(manager)
        w, h = min(520, screen.width - 16), 232
        super().__init__(
            pygame.Rect((screen.width - w) // 2, (screen.height - h) // 2, w, h),
            manager,
            window_display_title="Declare a breach",
            object_id=ObjectID("#breach_window", "@draft_window"),
        )
        c = self.get_container()
        cw = c.get_rect().width - 24
        clauses = list(agreement.get("clauses", [])) + list(agreement.get("annex", []) or [])
        options = [
            (f"{i + 1}. {names.clause(cl)}"[:70], f"#{i}")
            for i, cl in enumerate(clauses)
            if cl.get("kind") == "free_text"
        ]
        UILabel(
            pygame.Rect(12, 8, cw, 18),
            f"Clause of “{agreement.get('title') or 'the agreement'}”",
            manager,
            container=c,
            object_id=ObjectID("#field_label", "@field_label"),
        )
        self.clause_menu = dropdown(
            manager, pygame.Rect(12, 26, cw, 28), options, container=c, object_id="#breach_clause"
        )
        UILabel(
            pygame.Rect(12, 62, cw, 18),
            "Broken by",
            manager,
            container=c,
            object_id=ObjectID("#field_label", "@field_label"),
        )
        others = [p for p in agreement.get("parties", []) if p != me]
        self.breaker_menu = dropdown(
            manager,
            pygame.Rect(12, 80, cw, 28),
            state_options(names, others),
            container=c,
            object_id="#breach_breaker",
        )
        UILabel(
            pygame.Rect(12, 114, cw, 18),
            "The agreement ends; the breaker loses trust and reputation.",
            manager,
            container=c,
            object_id=ObjectID("#breach_hint", "@panel_hint"),
        )
        self.confirm_button = UIButton(
            pygame.Rect(cw + 12 - 160, 146, 160, 30),
            "Declare breach",
            manager,
            container=c,
            object_id=ObjectID("#confirm_breach", "@danger_button"),
            command=self.confirm,
        )
        self.ref: Any = None

    def confirm(self) -> None:
        clause, breaker = chosen(self.clause_menu), chosen(self.breaker_menu)
        if clause is None or breaker is None:
            return
        self.ref = self.send_message(
            {
                "type": "act",
                "command": {
                    "kind": "declare_breach",
                    "agreement": self.agreement["id"],
                    "clause": int(clause),
                    "breaker": breaker,
                },
            }
        )
        self.kill()

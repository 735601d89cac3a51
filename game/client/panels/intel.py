"""Intelligence and news: what I learned, public statements, and the paid actions.

"What I learned" is the resolved turn's secrets, spying and betrayals from the view (the
rules' report of the last turn, already cut to my audience) and whatever has arrived since
as events.  Investigations, intercepts and propaganda are ordered now and carried out at
resolution; a payment is made at once.  The costs are the scenario's, when known.
"""

from __future__ import annotations

import json
from typing import Any

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UILabel, UITextBox, UITextEntryLine

from game.client.panels.names import Names, esc
from game.client.panels.panel import SidePanel
from game.client.panels.pickers import chosen, dropdown, state_options
from game.client.panels.sentences import INTEL_KINDS, report_turn, sentence, turn_events
from game.rules.action_costs import action_cost
from game.rules.scenario import IntelligenceConstants

ACTIONS = ("investigate", "intercept", "propaganda")


class IntelPanel(SidePanel):
    """Intelligence actions (investigate, intercept, propaganda, pay) and what I learned."""

    object_id = "#intel_panel"

    def _fields(self) -> None:
        self._news_html = ""
        self._targets: tuple[str, ...] = ()

    def costs(self) -> dict[str, int]:
        """The prices the rules will charge (their one table; the defaults until the scenario is read)."""
        scenario = self.scenario
        prices = scenario.rules.intelligence if scenario is not None else IntelligenceConstants()
        return {kind: action_cost(kind, prices) for kind in ACTIONS}

    # --- layout ----------------------------------------------------------------------------------

    def _layout(self) -> None:
        c = self.panel.get_container()
        w, h = self.inner.size
        pad = 8
        m = self.manager
        names = self.names()
        costs = self.costs()
        self._news_html = ""
        self._targets = tuple(names.others())
        UILabel(
            pygame.Rect(pad, 6, w - 2 * pad - 130, 24),
            "Intelligence",
            m,
            container=c,
            object_id=ObjectID("#intel_heading", "@panel_heading"),
        )
        self.treasury_label = UILabel(
            pygame.Rect(w - pad - 130, 6, 130, 24),
            "",
            m,
            container=c,
            object_id=ObjectID("#treasury", "@panel_subheading"),
        )
        y = 34
        UILabel(
            pygame.Rect(pad, y, 60, 28),
            "Target",
            m,
            container=c,
            object_id=ObjectID("#field_label", "@field_label"),
        )
        self.target_menu = dropdown(
            m,
            pygame.Rect(pad + 60, y, w - 2 * pad - 60, 28),
            state_options(names, self._targets),
            container=c,
            object_id="#intel_target",
        )
        y += 34
        third = (w - 2 * pad - 12) // 3
        self.investigate_button = UIButton(
            pygame.Rect(pad, y, third, 28),
            f"Investigate ({costs['investigate']})",
            m,
            container=c,
            object_id=ObjectID("#investigate", "@act_button"),
            command=self._investigate,
            tool_tip_text="At resolution: a chance to discover one of the target's secret agreements",
        )
        self.intercept_button = UIButton(
            pygame.Rect(pad + third + 6, y, third, 28),
            f"Intercept ({costs['intercept']})",
            m,
            container=c,
            object_id=ObjectID("#intercept", "@act_button"),
            command=self._intercept,
            tool_tip_text="At resolution: a chance to read some of the target's private messages of this turn",
        )
        self.propaganda_button = UIButton(
            pygame.Rect(pad + 2 * (third + 6), y, third, 28),
            f"Propaganda ({costs['propaganda']})",
            m,
            container=c,
            object_id=ObjectID("#propaganda", "@act_button"),
            command=self._propaganda,
            tool_tip_text="At resolution: legitimacy at home",
        )
        y += 36
        UILabel(
            pygame.Rect(pad, y, 60, 28),
            "Pay",
            m,
            container=c,
            object_id=ObjectID("#field_label", "@field_label"),
        )
        pay_w = w - 2 * pad - 60 - 70 - 80
        self.pay_menu = dropdown(
            m,
            pygame.Rect(pad + 60, y, pay_w, 28),
            state_options(names, self._targets),
            container=c,
            object_id="#pay_to",
        )
        self.amount_entry = UITextEntryLine(
            pygame.Rect(pad + 66 + pay_w, y, 64, 28),
            m,
            container=c,
            object_id=ObjectID("#pay_amount", "@text_entry"),
            initial_text="1",
        )
        self.amount_entry.set_allowed_characters("numbers")
        self.amount_entry.set_text_length_limit(6)
        self.pay_button = UIButton(
            pygame.Rect(w - pad - 74, y, 74, 28),
            "Pay now",
            m,
            container=c,
            object_id=ObjectID("#pay", "@act_button"),
            command=self._pay,
            tool_tip_text="Paid at once: tribute, bribes, subsidies",
        )
        y += 34
        self.ordered_label = UILabel(
            pygame.Rect(pad, y, w - 2 * pad, 20),
            "",
            m,
            container=c,
            object_id=ObjectID("#ordered_actions", "@panel_hint"),
        )
        y += 20
        self.status = UILabel(
            pygame.Rect(pad, y, w - 2 * pad, 20),
            "",
            m,
            container=c,
            object_id=ObjectID("#panel_status", "@panel_status"),
        )
        y += 24
        self.news = UITextBox(
            "",
            pygame.Rect(pad, y, w - 2 * pad, h - y - pad),
            m,
            container=c,
            object_id=ObjectID("#intel_news", "@thread"),
        )

    # --- picture ----------------------------------------------------------------------------------

    def learned(self) -> list[dict[str, Any]]:
        """The intelligence of the last resolved turn and since: secrets, spying, betrayals, money."""
        view = self.view
        seen: set[str] = set()
        out: list[dict[str, Any]] = []
        latest = turn_events(view, report_turn(view)) + turn_events(view, view.get("turn"))
        for event in [*latest, *getattr(self.state, "events", [])]:
            if event.get("kind") not in INTEL_KINDS:
                continue
            key = json.dumps(event, sort_keys=True, default=str)
            if key not in seen:
                seen.add(key)
                out.append(event)
        return out

    def _update(self) -> None:
        names = self.names()
        if tuple(names.others()) != self._targets:
            self.set_rect(self.rect)  # the states became known (first view): rebuild the pickers
            return
        me = self.view.get("me") or {}
        self.treasury_label.set_text(f"Treasury {me.get('treasury', '—')}")
        ordered = [
            f"{a.get('kind')} {names.state(a['target'])}" if a.get("target") else str(a.get("kind"))
            for a in me.get("actions", [])
        ]
        self.ordered_label.set_text("Ordered this turn: " + (", ".join(ordered) if ordered else "nothing"))
        self._show_news(names)

    def _show_news(self, names: Names) -> None:
        titles = {a["id"]: a.get("title", "") for a in self.view.get("agreements", []) if a.get("title")}
        parts = ["<font color='#e69f00'><b>What I learned</b></font>"]
        learned = self.learned()
        if learned:
            parts += [f"• {esc(sentence(e, names, titles))}" for e in learned]
        else:
            parts.append(
                "<font color='#9aa4ad'>Nothing yet. Investigate a state, or intercept its messages.</font>"
            )
        parts.append("<br><font color='#e69f00'><b>Public statements</b></font>")
        statements = [m for m in self.view.get("messages", []) if m.get("to") == "all" or not m.get("to")]
        if statements:
            for m in reversed(statements[-20:]):
                parts.append(
                    f"{names.swatch(m.get('from', ''))} <font color='#9aa4ad'>turn {m.get('turn')}</font>"
                    f"<br>{esc(m.get('text', ''))}"
                )
        else:
            parts.append("<font color='#9aa4ad'>No statement yet.</font>")
        text = "<br>".join(parts)
        if text != self._news_html:
            self._news_html = text
            self.news.set_text(text)

    # --- actions ----------------------------------------------------------------------------------

    def _targeted(self, kind: str) -> None:
        target = chosen(self.target_menu)
        if target is None:
            self.status.set_text("Choose a target first.")
            return
        self.act({"kind": kind, "target": target})
        self.status.set_text(f"Ordered: {kind} {self.names().state(target)} (carried out at resolution)")

    def _investigate(self) -> None:
        self._targeted("investigate")

    def _intercept(self) -> None:
        self._targeted("intercept")

    def _propaganda(self) -> None:
        self.act({"kind": "propaganda"})
        self.status.set_text("Ordered: propaganda at home (carried out at resolution)")

    def _pay(self) -> None:
        to = chosen(self.pay_menu)
        text = self.amount_entry.get_text().strip()
        if to is None:
            self.status.set_text("Choose whom to pay.")
            return
        if not text.isdigit() or int(text) < 1:
            self.status.set_text("The amount is a whole number, at least 1.")
            return
        treasury = (self.view.get("me") or {}).get("treasury")
        if isinstance(treasury, int) and int(text) > treasury:
            self.status.set_text(f"The treasury holds only {treasury}.")
            return
        self.act({"kind": "pay", "to": to, "amount": int(text)})
        self.status.set_text(f"Paid {self.names().state(to)} {int(text)}.")

"""Injects: the scenario's prepared events, released by the umpire, and one written on the spot.

The list shows each prepared inject with its due turn (or "umpire's" when only the umpire
releases it) and whether it went out; selecting one shows its card — audience, text, effects —
before it is released.  "Write one" opens a window for an ad-hoc card: a title, a text, who is
told (everyone or chosen states) and at most one simple effect (legitimacy or treasury).  Both
go to the server as the umpire's `inject` message; the rules check the effects and the server
answers with the reason if they refuse them (an unknown state, say), changing nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import (
    UIButton,
    UILabel,
    UISelectionList,
    UITextBox,
    UITextEntryBox,
    UITextEntryLine,
    UIWindow,
)

from game.client.panels.names import Names, esc
from game.client.panels.panel import SidePanel, screen_rect
from game.client.panels.pickers import chosen, dropdown, multi_list, picked, state_options
from game.client.refusals import refusal_text

EFFECT_KINDS = (("No effect", "none"), ("Legitimacy", "legitimacy"), ("Treasury", "treasury"))


def prepared_injects(state: Any) -> list[dict[str, Any]]:
    """The prepared injects the umpire may release: from the umpire's view, else the scenario."""
    injects = (getattr(state, "view", None) or {}).get("injects")
    if isinstance(injects, dict) and isinstance(injects.get("prepared"), list):
        return [i for i in injects["prepared"] if isinstance(i, dict)]
    data = getattr(state, "scenario_data", None) or {}
    if isinstance(data.get("injects"), list):
        return [i for i in data["injects"] if isinstance(i, dict)]
    return []


def is_released(inject: Mapping[str, Any], released: set[str]) -> bool:
    return inject.get("released_turn") is not None or str(inject.get("id")) in released


def effect_text(effect: Mapping[str, Any], names: Names) -> str:
    kind = effect.get("kind")
    if kind in ("legitimacy", "treasury"):
        return f"{kind} of {names.state(effect.get('state'))} {int(effect.get('delta', 0)):+d}"
    if kind == "place_unit":
        return f"a {effect.get('type')} of {names.state(effect.get('state'))} placed in {names.territory(effect.get('at'))}"
    if kind == "remove_unit":
        return f"the unit in {names.territory(effect.get('at'))} removed"
    if kind == "reveal_agreement":
        return f"agreement {effect.get('agreement')} revealed"
    return str(kind)


def audience_text(audience: Any, names: Names) -> str:
    return (
        "everyone"
        if audience in (None, "all")
        else names.states(audience if isinstance(audience, list) else [audience])
    )


def inject_html(inject: Mapping[str, Any], names: Names, released: bool) -> str:
    """An inject's card as the umpire reads it before releasing it."""
    due = f"due at the start of turn {inject['turn']}" if inject.get("turn") else "released by the umpire"
    parts = [
        f"<b>{esc(inject.get('title', ''))}</b>",
        f"<font color='#9aa4ad'>{esc(due)} · told to {esc(audience_text(inject.get('audience'), names))}"
        + (" · <font color='#7fd49a'>released</font>" if released else "")
        + "</font>",
    ]
    if inject.get("text"):
        parts.append(esc(inject["text"]))
    effects = inject.get("effects") or []
    if effects:
        parts.append(
            "<font color='#f0b060'>Effects: "
            + esc("; ".join(effect_text(e, names) for e in effects))
            + "</font>"
        )
    if inject.get("note"):
        parts.append(f"<font color='#9aa4ad'><i>{esc(inject['note'])}</i></font>")
    return "<br>".join(parts)


def inject_label(inject: Mapping[str, Any], released: bool) -> str:
    due = f"turn {inject['turn']}" if inject.get("turn") else "umpire's"
    return f"{'✓ ' if released else ''}{inject.get('title', inject.get('id'))} ({due})"


class InjectsPanel(SidePanel):
    """The prepared injects, Release, and Write one."""

    object_id = "#injects_panel"

    def _fields(self) -> None:
        self.items: list[tuple[str, str]] = []
        self.selected: str | None = None
        self.pending: dict[Any, str] = {}
        self.window: WriteInjectWindow | None = None
        self._card_html = ""

    def _layout(self) -> None:
        c = self.panel.get_container()
        w, h = self.inner.size
        m = self.manager
        pad = 8
        self.items = []
        self._card_html = ""
        UILabel(
            pygame.Rect(pad, 6, w - 2 * pad, 24),
            "Injects: events you release",
            m,
            container=c,
            object_id=ObjectID("#injects_heading", "@panel_heading"),
        )
        list_h = max(120, int((h - 120) * 0.45))
        self.inject_list = UISelectionList(
            pygame.Rect(pad, 34, w - 2 * pad, list_h),
            [],
            m,
            container=c,
            object_id=ObjectID("#inject_list", "@picker"),
        )
        y = 34 + list_h + 6
        half = (w - 2 * pad - 6) // 2
        self.release_button = UIButton(
            pygame.Rect(pad, y, half, 32),
            "Release",
            m,
            container=c,
            object_id=ObjectID("#release_inject", "@primary_button"),
            command=self.release,
            tool_tip_text="Release the selected inject now: its audience reads it at once",
        )
        self.write_button = UIButton(
            pygame.Rect(pad + half + 6, y, half, 32),
            "Write one…",
            m,
            container=c,
            object_id=ObjectID("#write_inject", "@act_button"),
            command=self.open_writer,
            tool_tip_text="An event card of your own: title, text, who is told, an effect",
        )
        y += 38
        self.status = UILabel(
            pygame.Rect(pad, y, w - 2 * pad, 22),
            "",
            m,
            container=c,
            object_id=ObjectID("#injects_status", "@panel_status"),
        )
        y += 26
        self.card = UITextBox(
            "",
            pygame.Rect(pad, y, w - 2 * pad, h - y - pad),
            m,
            container=c,
            object_id=ObjectID("#inject_card", "@thread"),
        )

    def injects(self) -> list[dict[str, Any]]:
        return prepared_injects(self.state)

    def released(self) -> set[str]:
        return set(getattr(self.state, "released_injects", set()))

    def _update(self) -> None:
        released = self.released()
        items = [(inject_label(i, is_released(i, released)), f"#{i['id']}") for i in self.injects()]
        if not items:
            items = [("This scenario has no prepared injects: write one.", "#none")]
        if items != self.items:
            self.items = items
            self.inject_list.set_item_list(list(items))
            for item in self.inject_list.item_list:
                if item.get("object_id") == f"#{self.selected}" and item.get("button_element") is not None:
                    item["selected"] = True
                    item["button_element"].select()
        self._show_card()
        self._check_replies()

    def _show_card(self) -> None:
        inject = next((i for i in self.injects() if i.get("id") == self.selected), None)
        names = self.names()
        html = (
            inject_html(inject, names, is_released(inject, self.released()))
            if inject
            else ("<font color='#9aa4ad'>Select an inject to read its card before releasing it.</font>")
        )
        if html != self._card_html:
            self._card_html = html
            self.card.set_text(html)
        on = inject is not None and not is_released(inject, self.released())
        if on and not self.release_button.is_enabled:
            self.release_button.enable()
        elif not on and self.release_button.is_enabled:
            self.release_button.disable()

    def _check_replies(self) -> None:
        replies = getattr(self.state, "replies", {})
        for ref, what in list(self.pending.items()):
            reply = replies.get(ref)
            if reply is None:
                continue
            del self.pending[ref]
            if reply.get("type") == "error":
                self.status.set_text(refusal_text(reply))
                if self.window is not None and self.window.pending == ref:
                    self.window.show_error(refusal_text(reply))
            else:
                self.status.set_text(f"Released: {what}.")
                if self.window is not None and self.window.pending == ref:
                    self.window.kill()
                    self.window = None

    # --- actions -----------------------------------------------------------------------------------

    def select(self, inject_id: str) -> None:
        self.selected = inject_id
        self._stale = True
        self.refresh()

    def release(self) -> Any:
        inject = next((i for i in self.injects() if i.get("id") == self.selected), None)
        if inject is None:
            self.status.set_text("Select an inject first.")
            return None
        ref = self.send({"type": "inject", "inject": inject["id"]})
        self.pending[ref] = str(inject.get("title", inject["id"]))
        self.status.set_text(f"Releasing {inject.get('title', inject['id'])}…")
        return ref

    def open_writer(self) -> WriteInjectWindow:
        if self.window is not None:
            self.window.kill()
        self.window = WriteInjectWindow(self.manager, self.names(), self._send_card)
        return self.window

    def _send_card(self, card: dict[str, Any]) -> Any:
        ref = self.send({"type": "inject", "card": card})
        self.pending[ref] = card["title"]
        self.status.set_text(f"Releasing {card['title']}…")
        return ref

    def process_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.inject_list:
            one = self.inject_list.get_single_selection(include_object_id=True)
            if isinstance(one, tuple) and one[1] != "#none":
                self.select(one[1][1:])
            return True
        if (
            self.window is not None
            and event.type == pygame_gui.UI_WINDOW_CLOSE
            and event.ui_element is self.window
        ):
            self.window = None
            return True
        return False

    def kill(self) -> None:
        if self.window is not None:
            self.window.kill()
        super().kill()


class WriteInjectWindow(UIWindow):
    """An event card written now: title, text, audience, and one optional effect."""

    def __init__(self, manager: pygame_gui.UIManager, names: Names, send: Any) -> None:
        rect = pygame.Rect(0, 0, 560, 520)
        rect.center = screen_rect(manager).center
        super().__init__(
            rect,
            manager,
            window_display_title="Write an inject",
            object_id=ObjectID("#write_inject_window", "@draft_window"),
        )
        self.names = names
        self.send_card = send
        self.pending: Any = None
        c = self.get_container()
        w = c.get_rect().w
        pad = 10
        y = 8
        m = manager
        UILabel(
            pygame.Rect(pad, y, 80, 28),
            "Title",
            m,
            container=c,
            object_id=ObjectID("#field_label", "@field_label"),
        )
        self.title_entry = UITextEntryLine(
            pygame.Rect(pad + 80, y, w - 2 * pad - 80, 28),
            m,
            container=c,
            object_id=ObjectID("#inject_title", "@text_entry"),
            placeholder_text="e.g. General strike in Petrograd",
        )
        self.title_entry.set_text_length_limit(120)
        y += 34
        UILabel(
            pygame.Rect(pad, y, 80, 28),
            "Text",
            m,
            container=c,
            object_id=ObjectID("#field_label", "@field_label"),
        )
        self.text_entry = UITextEntryBox(
            pygame.Rect(pad + 80, y, w - 2 * pad - 80, 110),
            "",
            m,
            container=c,
            object_id=ObjectID("#inject_text", "@text_entry"),
        )
        y += 116
        UILabel(
            pygame.Rect(pad, y, 80, 28),
            "Told to",
            m,
            container=c,
            object_id=ObjectID("#field_label", "@field_label"),
        )
        self.audience_menu = dropdown(
            m,
            pygame.Rect(pad + 80, y, 200, 28),
            [("Everyone", "#all"), ("Chosen states", "#some")],
            container=c,
            object_id="#inject_audience",
        )
        y += 32
        self.state_list = multi_list(
            m,
            pygame.Rect(pad + 80, y, w - 2 * pad - 80, 110),
            state_options(names),
            container=c,
            object_id="#inject_states",
        )
        y += 116
        UILabel(
            pygame.Rect(pad, y, 80, 28),
            "Effect",
            m,
            container=c,
            object_id=ObjectID("#field_label", "@field_label"),
        )
        self.effect_menu = dropdown(
            m,
            pygame.Rect(pad + 80, y, 140, 28),
            [(t, f"#{k}") for t, k in EFFECT_KINDS],
            container=c,
            object_id="#inject_effect",
        )
        self.effect_state = dropdown(
            m,
            pygame.Rect(pad + 226, y, w - 2 * pad - 226 - 76, 28),
            state_options(names),
            container=c,
            object_id="#inject_effect_state",
        )
        self.delta_entry = UITextEntryLine(
            pygame.Rect(w - pad - 70, y, 70, 28),
            m,
            container=c,
            object_id=ObjectID("#inject_delta", "@text_entry"),
            initial_text="-10",
        )
        self.delta_entry.set_allowed_characters([*"0123456789-+"])
        self.delta_entry.set_text_length_limit(7)
        y += 36
        self.error = UILabel(
            pygame.Rect(pad, y, w - 2 * pad, 24),
            "",
            m,
            container=c,
            object_id=ObjectID("#inject_error", "@panel_error"),
        )
        y += 28
        self.release_button = UIButton(
            pygame.Rect(w - pad - 160, y, 160, 34),
            "Release now",
            m,
            container=c,
            object_id=ObjectID("#release_card", "@primary_button"),
            command=self.submit,
        )

    def card(self) -> dict[str, Any] | str:
        """The card as typed, or what is missing."""
        title = self.title_entry.get_text().strip()
        if not title:
            return "Give the inject a title."
        card: dict[str, Any] = {
            "title": title,
            "text": self.text_entry.get_text().strip(),
            "audience": "all",
            "effects": [],
        }
        if chosen(self.audience_menu) == "some":
            states = picked(self.state_list)
            if not states:
                return "Choose the states it is told to, or tell everyone."
            card["audience"] = states
        kind = chosen(self.effect_menu)
        if kind in ("legitimacy", "treasury"):
            state = chosen(self.effect_state)
            text = self.delta_entry.get_text().strip()
            try:
                delta = int(text)
            except ValueError:
                return "The effect's change is a whole number, e.g. -10 or 5."
            if state is None:
                return "Choose the state the effect is on."
            card["effects"] = [{"kind": kind, "state": state, "delta": delta}]
        return card

    def submit(self) -> Any:
        card = self.card()
        if isinstance(card, str):
            self.show_error(card)
            return None
        self.show_error("")
        self.pending = self.send_card(card)
        return self.pending

    def show_error(self, text: str) -> None:
        self.error.set_text(text)

"""Messages: contacts with my trust in each, private threads, public statements.

Choosing contacts chooses a thread: the messages whose participants are exactly me and
them.  With nobody chosen the thread is the public one, and what I write is a public
statement (a press with no recipients).  The "deceptive" mark is the sender's private
note for the debrief (docs/rules.md, "Press"): only I and the umpire ever see it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import (
    UIButton,
    UICheckBox,
    UIDropDownMenu,
    UIImage,
    UILabel,
    UIScrollingContainer,
    UITextBox,
)

from game.client.panels.names import Names, esc
from game.client.panels.panel import SidePanel, clear
from game.client.panels.text_box import SafeTextEntryBox
from game.render.palette import hex_to_rgb

ROW_H = 26
MAX_TEXT = 2000
MAX_RECIPIENTS = 12


def participants(message: dict[str, Any]) -> frozenset[str]:
    """Everyone in a private message (sender and recipients); empty for a public statement."""
    to = message.get("to")
    if to == "all" or not to:
        return frozenset()
    return frozenset([message.get("from", ""), *to])


def trust_level(trust: int | None) -> str:
    """The theme class of a trust figure: green when high, red when low."""
    if trust is None:
        return "unknown"
    if trust >= 65:
        return "high"
    if trust >= 40:
        return "mid"
    if trust >= 20:
        return "low"
    return "none"


class MessagesPanel(SidePanel):
    """Contacts, the thread with the chosen ones (or the public one), and a box to write in."""

    object_id = "#messages_panel"

    def _fields(self) -> None:
        self.selected: set[str] = set()
        self.contact_buttons: dict[str, UIButton] = {}
        self._contacts_key: tuple[Any, ...] | None = None
        self._thread_html = ""
        self._read: dict[frozenset[str], int] = {}
        self._thread_ids: dict[str, list[str]] = {}
        self._kept_text = ""
        self._kept_deceptive = False

    # --- layout ----------------------------------------------------------------------------------

    def _layout(self) -> None:
        c = self.panel.get_container()
        w, h = self.inner.size
        pad = 8
        self.contact_buttons = {}
        self._contacts_key = None
        self._thread_html = ""
        self.heading = UILabel(pygame.Rect(pad, 4, 150, 24), "Contacts · trust", self.manager,
                               container=c, object_id=ObjectID("#section_heading", "@panel_heading"))
        self._threads_rect = pygame.Rect(pad + 152, 4, w - 2 * pad - 152 - 76, 24)
        self.threads_menu: UIDropDownMenu | None = None
        self._threads_key: tuple[Any, ...] | None = None
        self.public_button = UIButton(pygame.Rect(w - pad - 72, 4, 72, 24), "Public", self.manager, container=c,
                                      object_id=ObjectID("#public_thread", "@small_button"),
                                      tool_tip_text="Show public statements; what you write goes to everyone",
                                      command=self._choose_public)
        contacts_h = max(3 * ROW_H + 4, min(int(h * 0.34), len(self.names().others()) * ROW_H + 6))
        self.contacts = UIScrollingContainer(pygame.Rect(pad, 32, w - 2 * pad, contacts_h), self.manager,
                                             container=c, object_id=ObjectID("#contacts", "@contacts"),
                                             allow_scroll_x=False)
        y = 32 + contacts_h + 6
        self.thread_label = UILabel(pygame.Rect(pad, y, w - 2 * pad, 22), "Public statements", self.manager,
                                    container=c, object_id=ObjectID("#thread_title", "@panel_subheading"))
        y += 24
        composer_h = 128
        thread_h = max(60, h - y - composer_h - pad)
        self.thread = UITextBox("", pygame.Rect(pad, y, w - 2 * pad, thread_h), self.manager, container=c,
                                object_id=ObjectID("#thread", "@thread"))
        y += thread_h + 6
        self.text_entry = SafeTextEntryBox(pygame.Rect(pad, y, w - 2 * pad, 66), "", self.manager, container=c,
                                         object_id=ObjectID("#message_text", "@text_entry"),
                                         placeholder_text="Write a message… (Ctrl+Enter sends)")
        if self._kept_text:
            self.text_entry.set_text(self._kept_text)
        y += 72
        self.deceptive = UICheckBox(pygame.Rect(pad, y + 4, 20, 20), "Deceptive (a mark only you see)",
                                    self.manager, container=c, object_id=ObjectID("#deceptive", "@check"),
                                    tool_tip_text="Your private note for the debrief: this message is not sincere",
                                    initial_state=self._kept_deceptive)
        self.send_button = UIButton(pygame.Rect(w - pad - 132, y, 132, 28), "Announce", self.manager, container=c,
                                    object_id=ObjectID("#send_message", "@primary_button"), command=self._send)
        y += 30
        self.status = UILabel(pygame.Rect(pad, y, w - 2 * pad, 20), "", self.manager, container=c,
                              object_id=ObjectID("#panel_status", "@panel_status"))

    def _keep(self) -> None:
        self._kept_text = self.text_entry.get_text()
        self._kept_deceptive = bool(self.deceptive.is_checked)

    # --- picture ----------------------------------------------------------------------------------

    def _update(self) -> None:
        names = self.names()
        me = self.view.get("me") or {}
        trust = me.get("trust", {})
        others = names.others()
        self.selected &= set(others)
        self._show_thread(names)  # first: reading the open thread clears its unread count
        unread = {s: self.unread(s) for s in others}
        key = (tuple(others), tuple(trust.get(s) for s in others), tuple(sorted(self.selected)), tuple(unread.values()))
        if key != self._contacts_key:
            self._contacts_key = key
            self._build_contacts(names, others, trust, unread)
        chosen = sorted(self.selected, key=others.index)
        if chosen:
            self.thread_label.set_text(f"Private thread with {names.states(chosen)}")
            self.send_button.set_text("Send privately")
        else:
            self.thread_label.set_text("Public statements (everyone reads them)")
            self.send_button.set_text("Announce")
        if self.selected:
            self.public_button.unselect()
        else:
            self.public_button.select()
        self._build_threads(names)

    def threads(self) -> list[frozenset[str]]:
        """Every private conversation I am in (its other members), the latest first."""
        me = self.me or ""
        seen: list[frozenset[str]] = []
        for m in reversed(self.view.get("messages", [])):
            members = participants(m) - {me}
            if members and members not in seen:
                seen.append(members)
        return seen

    def _build_threads(self, names: Names) -> None:
        """The conversations menu: group threads are found here, not only one contact at a time."""
        me = self.me or ""
        order = names.state_ids()
        options: list[tuple[str, str]] = []
        self._thread_ids: dict[str, list[str]] = {}
        for i, members in enumerate(self.threads()):
            ids = sorted(members, key=lambda s: order.index(s) if s in order else 99)
            total = sum(1 for m in self.view.get("messages", []) if participants(m) == members | {me})
            new = total - self._read.get(members | {me}, 0)
            label = names.states(ids) + (f" · {new} new" if new > 0 else "")
            options.append((label, f"#thread_{i}"))
            self._thread_ids[f"#thread_{i}"] = ids
        key = tuple(options)
        if key == self._threads_key and self.threads_menu is not None:
            return
        self._threads_key = key
        if self.threads_menu is not None:
            self.threads_menu.kill()
        items: list[str | tuple[str, str]] = [(f"Conversations ({len(options)})", "#none"), *options]
        self.threads_menu = UIDropDownMenu(items, items[0], self._threads_rect, self.manager,
                                           container=self.panel.get_container(),
                                           object_id=ObjectID("#threads", "@picker"), expansion_height_limit=300)

    def unread(self, state_id: str) -> int:
        """Messages in my one-to-one thread with a state that I have not had open since they came."""
        members = frozenset({state_id, self.me or ""})
        total = sum(1 for m in self.view.get("messages", []) if participants(m) == members)
        return max(0, total - self._read.get(members, 0))

    def _build_contacts(self, names: Names, others: list[str], trust: dict[str, int], unread: dict[str, int]) -> None:
        clear(self.contacts.get_container())
        self.contact_buttons = {}
        inner_w = self.contacts.get_container().get_rect().width
        row_w = inner_w - (16 if len(others) * ROW_H > self.contacts.rect.height else 0)
        cc = self.contacts.get_container()
        for i, sid in enumerate(others):
            y = i * ROW_H
            swatch = pygame.Surface((14, 14))
            swatch.fill(hex_to_rgb(names.colour(sid)))
            pygame.draw.rect(swatch, (20, 24, 28), swatch.get_rect(), 1)
            UIImage(pygame.Rect(4, y + 6, 14, 14), swatch, self.manager, container=cc)
            label = names.state(sid) + (f"  ● {unread[sid]} new" if unread.get(sid) else "")
            button = UIButton(pygame.Rect(22, y + 1, row_w - 22 - 64, ROW_H - 2), label, self.manager,
                              container=cc, object_id=ObjectID(f"#contact_{sid}", "@contact"),
                              tool_tip_text=self._contact_tip(names, sid, trust.get(sid)),
                              command=partial(self._toggle, sid))
            if sid in self.selected:
                button.select()
            self.contact_buttons[sid] = button
            value = trust.get(sid)
            UILabel(pygame.Rect(row_w - 62, y + 1, 60, ROW_H - 2), "—" if value is None else str(value),
                    self.manager, container=cc, object_id=ObjectID("#trust_value", f"@trust_{trust_level(value)}"))
        self.contacts.set_scrollable_area_dimensions((row_w, len(others) * ROW_H))

    @staticmethod
    def _contact_tip(names: Names, sid: str, trust: int | None) -> str:
        s = names.standing(sid)
        parts = [names.state(sid)]
        if trust is not None:
            parts.append(f"my trust {trust}")
        if s:
            parts.append(f"legitimacy {s.get('legitimacy')}, reputation {s.get('reputation')}")
            parts.append(f"{s.get('supply')} supply, {s.get('units')} units")
        return " · ".join(parts)

    def thread_messages(self) -> list[dict[str, Any]]:
        """The messages of the chosen thread, oldest first."""
        me = self.me
        messages = self.view.get("messages", [])
        if not self.selected:
            return [m for m in messages if m.get("to") == "all" or not m.get("to")]
        wanted = frozenset({*self.selected, me or ""})
        return [m for m in messages if participants(m) == wanted]

    def _show_thread(self, names: Names) -> None:
        lines = []
        messages = self.thread_messages()
        if self.selected:
            self._read[frozenset({*self.selected, self.me or ""})] = len(messages)
        for m in messages:
            sender = m.get("from", "")
            who = "You" if sender == self.me else esc(names.state(sender))
            mark = ""
            if m.get("sincerity") == "deceptive":
                mark = " <font color='#ff9c7a'>(you marked it deceptive)</font>"
            lines.append(
                f"<font color='{names.colour(sender)}'>■</font> <b>{who}</b>"
                f" <font color='#9aa4ad'>turn {m.get('turn', '?')}</font>{mark}<br>{esc(m.get('text', ''))}"
            )
        if not lines:
            lines = ["<font color='#9aa4ad'>Nothing yet. Choose contacts above for a private thread, "
                     "or write a public statement.</font>"]
        text = "<br><br>".join(lines)
        if text != self._thread_html:
            self._thread_html = text
            self.thread.set_text(text)
            if self.thread.scroll_bar is not None:
                self.thread.scroll_bar.set_scroll_from_start_percentage(1.0)

    # --- actions ----------------------------------------------------------------------------------

    def _toggle(self, sid: str) -> None:
        if sid in self.selected:
            self.selected.discard(sid)
        elif len(self.selected) < MAX_RECIPIENTS:
            self.selected.add(sid)
        self._stale = True
        self.refresh()

    def _choose_public(self, _event: Any = None) -> None:
        self.selected.clear()
        self._stale = True
        self.refresh()

    def choose(self, recipients: list[str]) -> None:
        """Open the thread with these states (the demo mode and shortcuts use it)."""
        self.selected = set(recipients[:MAX_RECIPIENTS])
        self._stale = True
        self.refresh()

    def _send(self, _event: Any = None) -> None:
        text = self.text_entry.get_text().strip()
        if not text:
            self.status.set_text("Write something first.")
            return
        if len(text) > MAX_TEXT:
            self.status.set_text(f"Too long: {len(text)} characters (at most {MAX_TEXT}).")
            return
        names = self.names()
        to = sorted(self.selected, key=names.state_ids().index)
        command: dict[str, Any] = {
            "kind": "press",
            "to": to,
            "text": text,
            "sincerity": "deceptive" if self.deceptive.is_checked else "sincere",
        }
        self.act(command)
        self.text_entry.set_text("")
        self.status.set_text(f"Sent to {names.states(to)}." if to else "Statement published.")

    def process_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.threads_menu:
            ident = self.threads_menu.selected_option[1] if self.threads_menu is not None else "#none"
            if ident in self._thread_ids:
                self.choose(self._thread_ids[ident])
            return True
        if (
            event.type == pygame.KEYDOWN
            and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER)
            and event.mod & pygame.KMOD_CTRL
            and self.text_entry.is_focused
        ):
            self._send()
            return True
        return False

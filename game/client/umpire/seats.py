"""The umpire's seat list: every state and the people in it, and what the umpire may do to a seat.

A state's row says who plays it, how many joined and are online, whether it is ready and how
many orders it has given; under it, each person with their name, online or away, and whether
they lead.  Select a row, then: give the state to a bot (an absent team), remove a person (their
seat token stops working), name a leader (who alone signs for the state) or let every member
sign again.  Giving a seat away and removing someone ask first: neither can be undone.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UILabel, UISelectionList, UITextBox
from pygame_gui.windows import UIConfirmationDialog

from game.client.panels.names import Names, esc
from game.client.panels.panel import SidePanel, screen_rect
from game.client.refusals import refusal_text
from game.client.umpire.table import SeatRow, seat_kind, seat_rows, summary


def spaced(code: str) -> str:
    return f"{code[:4]} {code[4:]}" if len(code) == 8 else code


def join_html(names: Names, codes: Mapping[str, Any] | None, classroom: Mapping[str, Any] | None) -> str:
    """Where students join and with which code (the umpire's own code is left out: it is the teacher's)."""
    parts = []
    address = (classroom or {}).get("address")
    if address:
        parts.append(f"Students join at <b>{esc(address)}</b>")
    states = (codes or {}).get("states") or {}
    if states:
        line = " · ".join(f"{esc(names.state(s))} <b>{esc(spaced(c))}</b>" for s, c in states.items())
        parts.append(f"Codes: {line}")
    observer = (codes or {}).get("observer")
    if observer:
        parts.append(f"Observers (a projector): <b>{esc(spaced(observer))}</b>")
    handout = (classroom or {}).get("handout")
    if handout:
        parts.append(f"<font color='#9aa4ad'>Handout: {esc(handout)}</font>")
    port_help = (classroom or {}).get("port_help")
    if port_help:
        parts.append(f"<font color='#9aa4ad'>{esc(port_help)}</font>")
    return "<br>".join(parts) or "<font color='#9aa4ad'>Waiting for the table…</font>"


class SeatsPanel(SidePanel):
    """Seats, people, and the umpire's actions on them."""

    object_id = "#seats_panel"

    def __init__(self, *args: Any, classroom: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        self.classroom = dict(classroom or {})
        super().__init__(*args, **kwargs)

    def _fields(self) -> None:
        self.rows: list[SeatRow] = []
        self.selected: str | None = None
        self.pending: dict[Any, str] = {}
        self.confirm: UIConfirmationDialog | None = None
        self._confirm_action: tuple[str, dict[str, Any]] | None = None
        self._join_html = ""
        self.status_text = ""

    # --- layout ------------------------------------------------------------------------------------

    def _layout(self) -> None:
        c = self.panel.get_container()
        w, h = self.inner.size
        m = self.manager
        pad = 8
        self.rows = []
        self._join_html = ""
        UILabel(
            pygame.Rect(pad, 6, 120, 24),
            "Seats",
            m,
            container=c,
            object_id=ObjectID("#seats_heading", "@panel_heading"),
        )
        self.summary_label = UILabel(
            pygame.Rect(pad + 120, 6, w - 2 * pad - 120, 24),
            "",
            m,
            container=c,
            object_id=ObjectID("#seats_summary", "@panel_subheading"),
        )
        join_h = 118
        handout = self.classroom.get("handout")
        self.join_box = UITextBox(
            "",
            pygame.Rect(pad, 34, w - 2 * pad - (128 if handout else 0), join_h),
            m,
            container=c,
            object_id=ObjectID("#join_box", "@thread"),
        )
        self.handout_button: UIButton | None = None
        if handout:
            self.handout_button = UIButton(
                pygame.Rect(w - pad - 122, 34, 122, 30),
                "Open handout",
                m,
                container=c,
                object_id=ObjectID("#open_handout", "@small_button"),
                command=self.open_handout,
                tool_tip_text="The page of codes to print, in your browser",
            )
        y = 34 + join_h + 6
        actions_h = 76
        self.seat_list = UISelectionList(
            pygame.Rect(pad, y, w - 2 * pad, h - y - actions_h - pad),
            [],
            m,
            container=c,
            object_id=ObjectID("#seat_list", "@picker"),
        )
        y = h - actions_h
        quarter = (w - 2 * pad - 18) // 4
        self.replace_button = UIButton(
            pygame.Rect(pad, y, quarter, 30),
            "Replace by bot",
            m,
            container=c,
            object_id=ObjectID("#replace", "@danger_button"),
            command=self.replace,
            tool_tip_text="A bot plays the selected state from now on (an absent team)",
        )
        self.kick_button = UIButton(
            pygame.Rect(pad + quarter + 6, y, quarter, 30),
            "Kick",
            m,
            container=c,
            object_id=ObjectID("#kick", "@danger_button"),
            command=self.kick,
            tool_tip_text="Remove the selected person: their code's seat stops working for them",
        )
        self.leader_button = UIButton(
            pygame.Rect(pad + 2 * (quarter + 6), y, quarter, 30),
            "Set leader",
            m,
            container=c,
            object_id=ObjectID("#set_leader", "@act_button"),
            command=self.set_leader,
            tool_tip_text="Only the selected person proposes and signs for their state",
        )
        self.no_leader_button = UIButton(
            pygame.Rect(pad + 3 * (quarter + 6), y, quarter, 30),
            "No leader",
            m,
            container=c,
            object_id=ObjectID("#no_leader", "@act_button"),
            command=self.clear_leader,
            tool_tip_text="Every member of the selected state may sign again",
        )
        self.status = UILabel(
            pygame.Rect(pad, y + 36, w - 2 * pad, 24),
            self.status_text,
            m,
            container=c,
            object_id=ObjectID("#seats_status", "@panel_status"),
        )

    # --- picture -----------------------------------------------------------------------------------

    def _update(self) -> None:
        names = self.names()
        table = self.state.table
        given = getattr(self.state, "orders_given", {}) or {}
        self.summary_label.set_text(summary(table, names))
        html = join_html(names, getattr(self.state, "codes", None), self.classroom)
        if html != self._join_html:
            self._join_html = html
            self.join_box.set_text(html)
        scenario = self.scenario
        major = [s.id for s in scenario.states if s.playable] if scenario is not None else None
        rows = seat_rows(table, names, given, major)
        if rows != self.rows:
            same_rows = [r.ident for r in rows] == [r.ident for r in self.rows]
            self.rows = rows
            if (
                same_rows
            ):  # a flag or a count changed: new words on the rows, not a new list (a few ms, not 60)
                for item, row in zip(self.seat_list.item_list, rows, strict=False):
                    if item["text"] != row.text:
                        item["text"] = row.text
                        if item.get("button_element") is not None:
                            item["button_element"].set_text(row.text)
            else:
                self.seat_list.set_item_list([(r.text, f"#{r.ident}") for r in rows])
                self._reselect()
        self._check_replies()
        self._sync_buttons()

    def _reselect(self) -> None:
        for item in self.seat_list.item_list:
            on = item.get("object_id") == f"#{self.selected}"
            item["selected"] = on
            button = item.get("button_element")
            if button is not None:
                if on:
                    button.select()
                else:
                    button.unselect()

    def row(self) -> SeatRow | None:
        """The selected row, if it is still in the list."""
        return next((r for r in self.rows if r.ident == self.selected), None)

    def select(self, ident: str) -> None:
        """Select a row by id (`s_ger`, `m_m7`): what a click in the list does."""
        self.selected = ident
        self._reselect()
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        row = self.row()
        player = row is not None and row.member is not None and row.state is not None
        state_ok = (
            row is not None and row.state is not None and seat_kind(self.state.table, row.state) == "human"
        )
        me = (self.state.table or {}).get("me")
        kickable = (
            row is not None and row.member is not None and row.member != me
        )  # not the umpire's own seat
        for button, on in (
            (self.replace_button, state_ok),
            (self.kick_button, kickable),
            (self.leader_button, player),
            (self.no_leader_button, row is not None and row.state is not None),
        ):
            if on and not button.is_enabled:
                button.enable()
            elif not on and button.is_enabled:
                button.disable()

    def _say(self, text: str) -> None:
        self.status_text = text
        self.status.set_text(text)

    def _check_replies(self) -> None:
        replies = getattr(self.state, "replies", {})
        for ref, what in list(self.pending.items()):
            reply = replies.get(ref)
            if reply is None:
                continue
            del self.pending[ref]
            self._say(refusal_text(reply) if reply.get("type") == "error" else f"Done: {what}.")

    # --- actions -----------------------------------------------------------------------------------

    def _umpire(self, message: dict[str, Any], what: str) -> Any:
        ref = self.send(message)
        self.pending[ref] = what
        self._say(f"Sent: {what}…")
        return ref

    def replace(self) -> None:
        row = self.row()
        if row is None or row.state is None:
            self._say("Select a state first.")
            return
        name = self.names().state(row.state)
        self._ask(
            f"A bot plays {name} from now on. Its people stay seated but can no longer act. Go ahead?",
            "Replace by bot",
            {"type": "replace", "state": row.state},
            f"{name} is played by a bot",
        )

    def kick(self) -> None:
        row = self.row()
        if row is None or row.member is None:
            self._say("Select a person first.")
            return
        who = row.text.strip().split(" — ")[0]
        self._ask(
            f"Remove {who}? Their seat token stops working; they could join again with the code.",
            "Kick",
            {"type": "kick", "member": row.member},
            f"{who} removed",
        )

    def set_leader(self) -> None:
        row = self.row()
        if row is None or row.member is None or row.state is None:
            self._say("Select a person in a team first.")
            return
        who = row.text.strip().split(" — ")[0]
        self._umpire(
            {"type": "leader", "state": row.state, "member": row.member},
            f"{who} leads {self.names().state(row.state)}",
        )

    def clear_leader(self) -> None:
        row = self.row()
        if row is None or row.state is None:
            self._say("Select a state first.")
            return
        self._umpire(
            {"type": "leader", "state": row.state, "member": None},
            f"every member of {self.names().state(row.state)} may sign",
        )

    def _ask(self, question: str, verb: str, message: dict[str, Any], what: str) -> None:
        """Ask before sending `message` (what cannot be undone)."""
        if self.confirm is not None:
            self.confirm.kill()
        rect = pygame.Rect(0, 0, 420, 220)
        rect.center = screen_rect(self.manager).center
        self.confirm = UIConfirmationDialog(
            rect, esc(question), self.manager, window_title=verb, action_short_name=verb, blocking=True
        )
        self._confirm_action = (what, message)

    def confirmed(self) -> None:
        """The open question was answered yes: send what it asked about."""
        if self._confirm_action is not None:
            what, message = self._confirm_action
            self._umpire(message, what)
        self._confirm_action = None
        self.confirm = None

    def open_handout(self) -> None:
        handout = self.classroom.get("handout")
        if handout:
            webbrowser.open(Path(str(handout)).resolve().as_uri())

    def process_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.seat_list:
            chosen = self.seat_list.get_single_selection(include_object_id=True)
            if isinstance(chosen, tuple) and chosen[1].startswith("#"):
                self.selected = chosen[1][1:]
                self._sync_buttons()
            return True
        if event.type == pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED and event.ui_element is self.confirm:
            self.confirmed()
            return True
        if event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self.confirm:
            self.confirm = None
            self._confirm_action = None
        return False

    def kill(self) -> None:
        if self.confirm is not None:
            self.confirm.kill()
        super().kill()

"""Messages: contacts with my trust in each, private threads, public statements.

Choosing contacts chooses a thread: the messages whose participants are exactly me and
them.  With nobody chosen the thread is the public one, and what I write is a public
statement (a press with no recipients).  The "deceptive" mark is the sender's private
note for the debrief (docs/rules.md, "Press"): only I and the umpire ever see it.

In a private thread, "Ask…" composes a structured ask (game/client/panels/asks.py) that
people and bots both understand.  The thread reads as sentences: an ask says what kind it is,
an answer shows "↳ re: “the asked sentence”" and a clear ✓ Yes / ✗ No / — marker.  The latest
ask sent to me that I have not answered gets a bar under the thread: Yes, No (with the words
typed below, if any, and the deceptive mark), a reply in words, or Later.  A refusal from the
server is shown whole under the composer.
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
    UIPanel,
    UIScrollingContainer,
    UITextBox,
)

from game.client.panels.asks import DONE, YES_NO, AskWindow, answer_mark, ask_text, said
from game.client.panels.names import Names, esc
from game.client.panels.notice import Notice
from game.client.panels.panel import SidePanel, clear
from game.client.panels.text_box import SafeTextEntryBox
from game.client.refusals import refusal_text
from game.render.palette import hex_to_rgb

ROW_H = 26
MAX_TEXT = 2000
MAX_RECIPIENTS = 12
REPLY_BAR_H = 68
STATUS_COLOUR = "#9fd8b0"
ERROR_COLOUR = "#ff9c7a"


def participants(message: dict[str, Any]) -> frozenset[str]:
    """Everyone in a private message (sender and recipients); empty for a public statement."""
    to = message.get("to")
    if to == "all" or not to:
        return frozenset()
    return frozenset([message.get("from", ""), *to])


def authors(messages: Any, news: Any) -> dict[str, str]:
    """The team member who wrote each message (message id -> name), where the server told it: the
    view's messages and the `message` events seen since (the picture keeps no author of its own)."""
    found: dict[str, str] = {}
    for m in messages:
        if isinstance(m, dict) and m.get("author") and m.get("id"):
            found[str(m["id"])] = str(m["author"])
    for entry in news:
        event = entry.get("event") if isinstance(entry.get("event"), dict) else entry
        if (
            isinstance(event, dict)
            and event.get("kind") == "message"
            and event.get("id")
            and event.get("author")
        ):
            found.setdefault(str(event["id"]), str(event["author"]))
    return found


def fit(font: Any, text: str, width: int) -> str:
    """`text`, cut short with "…" where it would not fit in `width` pixels of `font`."""
    if font is None or font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…”")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…”"


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
        self.ask_window: AskWindow | None = None
        self.said: dict[str, dict[str, Any]] = {}
        """The ask or answer of each message id (the view's messages and the events since)."""
        self.authors: dict[str, str] = {}
        """The team member who wrote each message (id -> name), when the server says (docs/protocol.md)."""
        self.reply_to: dict[str, Any] | None = None
        """The received ask the reply bar answers (the latest one of this thread not yet answered)."""
        self.reply_bar: Any = None
        self.yes_button: UIButton | None = None
        self.no_button: UIButton | None = None
        self.reply_button: UIButton | None = None
        self.skip_button: UIButton | None = None
        self._reply_key: tuple[Any, ...] | None = None
        self._dismissed: set[str] = set()
        self._answering: set[str] = set()
        self._pending: dict[Any, tuple[str, str | None]] = {}
        """What I sent and wait to hear of: ref -> (what it was, in words; the ask it answered)."""

    # --- layout ----------------------------------------------------------------------------------

    def _layout(self) -> None:
        c = self.panel.get_container()
        w, h = self.inner.size
        pad = 8
        self.contact_buttons = {}
        self._contacts_key = None
        self._thread_html = ""
        self.heading = UILabel(
            pygame.Rect(pad, 4, 150, 24),
            "Contacts · trust",
            self.manager,
            container=c,
            object_id=ObjectID("#section_heading", "@panel_heading"),
        )
        self._threads_rect = pygame.Rect(pad + 152, 4, w - 2 * pad - 152 - 76, 24)
        self.threads_menu: UIDropDownMenu | None = None
        self._threads_key: tuple[Any, ...] | None = None
        self.public_button = UIButton(
            pygame.Rect(w - pad - 72, 4, 72, 24),
            "Public",
            self.manager,
            container=c,
            object_id=ObjectID("#public_thread", "@small_button"),
            tool_tip_text="Show public statements; what you write goes to everyone",
            command=self._choose_public,
        )
        contacts_h = max(3 * ROW_H + 4, min(int(h * 0.28), len(self.names().others()) * ROW_H + 6))
        self.contacts = UIScrollingContainer(
            pygame.Rect(pad, 32, w - 2 * pad, contacts_h),
            self.manager,
            container=c,
            object_id=ObjectID("#contacts", "@contacts"),
            allow_scroll_x=False,
        )
        y = 32 + contacts_h + 6
        self.thread_label = UILabel(
            pygame.Rect(pad, y, w - 2 * pad - 92, 22),
            "Public statements",
            self.manager,
            container=c,
            object_id=ObjectID("#thread_title", "@panel_subheading"),
        )
        self.ask_button = UIButton(
            pygame.Rect(w - pad - 86, y - 1, 86, 24),
            "Ask…",
            self.manager,
            container=c,
            object_id=ObjectID("#ask_button", "@act_button"),
            tool_tip_text="A structured ask people and bots both understand: support of a "
            "move, intentions, a demilitarised zone, a warning, a complaint, "
            "a demand for a justification",
            command=self.open_ask,
        )
        y += 26
        composer_h = 66 + 6 + 30 + 40
        self._thread_rect = pygame.Rect(pad, y, w - 2 * pad, max(60 + REPLY_BAR_H, h - y - composer_h - pad))
        self._bar_rect = pygame.Rect(
            pad, self._thread_rect.bottom - REPLY_BAR_H + 6, w - 2 * pad, REPLY_BAR_H - 6
        )
        self.thread = self._make_thread(self._thread_rect)
        self.reply_bar = None
        self._reply_key = None
        y = self._thread_rect.bottom + 6
        self.text_entry = SafeTextEntryBox(
            pygame.Rect(pad, y, w - 2 * pad, 66),
            "",
            self.manager,
            container=c,
            object_id=ObjectID("#message_text", "@text_entry"),
            placeholder_text="Write a message… (Ctrl+Enter sends)",
        )
        if self._kept_text:
            self.text_entry.set_text(self._kept_text)
        y += 72
        mark = "Deceptive (a mark only you see)" if w >= 400 else "Deceptive (my mark)"
        self.deceptive = UICheckBox(
            pygame.Rect(pad, y + 4, 20, 20),
            mark,
            self.manager,
            container=c,
            object_id=ObjectID("#deceptive", "@check"),
            tool_tip_text="Your private note for the debrief: this message is not sincere",
            initial_state=self._kept_deceptive,
        )
        self.send_button = UIButton(
            pygame.Rect(w - pad - 132, y, 132, 28),
            "Announce",
            self.manager,
            container=c,
            object_id=ObjectID("#send_message", "@primary_button"),
            command=self._send,
        )
        y += 30
        self.status = Notice(
            pygame.Rect(pad, y, w - 2 * pad, 40),
            self.manager,
            container=c,
            colour=STATUS_COLOUR,
            object_id="#panel_status",
        )

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
        self.said = said(self.view.get("messages", []), getattr(self.state, "news", ()) or ())
        self.authors = authors(self.view.get("messages", []), getattr(self.state, "news", ()) or ())
        self._check_replies()
        self._show_thread(names)  # first: reading the open thread clears its unread count
        self._show_reply_bar(names)
        unread = {s: self.unread(s) for s in others}
        key = (
            tuple(others),
            tuple(trust.get(s) for s in others),
            tuple(sorted(self.selected)),
            tuple(unread.values()),
        )
        if key != self._contacts_key:
            self._contacts_key = key
            self._build_contacts(names, others, trust, unread)
        chosen = sorted(self.selected, key=others.index)
        if chosen:
            self.thread_label.set_text(f"Private thread with {names.states(chosen)}")
            self.send_button.set_text("Send privately")
            self.ask_button.enable()
        else:
            self.thread_label.set_text("Public statements (everyone reads them)")
            self.send_button.set_text("Announce")
            self.ask_button.disable()  # an ask goes to the states of a thread, not to everyone
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
        self._thread_ids = {}
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
        self.threads_menu = UIDropDownMenu(
            items,
            items[0],
            self._threads_rect,
            self.manager,
            container=self.panel.get_container(),
            object_id=ObjectID("#threads", "@picker"),
            expansion_height_limit=300,
        )

    def unread(self, state_id: str) -> int:
        """Messages in my one-to-one thread with a state that I have not had open since they came."""
        members = frozenset({state_id, self.me or ""})
        total = sum(1 for m in self.view.get("messages", []) if participants(m) == members)
        return max(0, total - self._read.get(members, 0))

    def _build_contacts(
        self, names: Names, others: list[str], trust: dict[str, int], unread: dict[str, int]
    ) -> None:
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
            button = UIButton(
                pygame.Rect(22, y + 1, row_w - 22 - 64, ROW_H - 2),
                label,
                self.manager,
                container=cc,
                object_id=ObjectID(f"#contact_{sid}", "@contact"),
                tool_tip_text=self._contact_tip(names, sid, trust.get(sid)),
                command=partial(self._toggle, sid),
            )
            if sid in self.selected:
                button.select()
            self.contact_buttons[sid] = button
            value = trust.get(sid)
            UILabel(
                pygame.Rect(row_w - 62, y + 1, 60, ROW_H - 2),
                "—" if value is None else str(value),
                self.manager,
                container=cc,
                object_id=ObjectID("#trust_value", f"@trust_{trust_level(value)}"),
            )
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

    # --- asks and answers -------------------------------------------------------------------------

    def ask_of(self, message: dict[str, Any]) -> dict[str, Any] | None:
        """The structured ask a message carries (None for words alone)."""
        ask = message.get("ask") or self.said.get(str(message.get("id")), {}).get("ask")
        return dict(ask) if isinstance(ask, dict) else None

    def answer_of(self, message: dict[str, Any]) -> dict[str, Any] | None:
        """`{"to", "yes"}` when the message answers another."""
        answer = message.get("answer") or self.said.get(str(message.get("id")), {}).get("answer")
        return dict(answer) if isinstance(answer, dict) else None

    def message(self, ref: Any) -> dict[str, Any] | None:
        return next((m for m in self.view.get("messages", []) if m.get("id") == ref), None)

    def answered_asks(self, by: str | None = None) -> set[str]:
        """The ids of the messages answered (by `by` only, if given)."""
        done: set[str] = set()
        for m in self.view.get("messages", []):
            answer = self.answer_of(m)
            if answer is not None and (by is None or m.get("from") == by):
                done.add(str(answer.get("to")))
        return done

    def asked_sentence(self, answer: dict[str, Any], names: Names) -> str:
        """The sentence an answer replies to, as its thread showed it."""
        asked = self.message(answer.get("to"))
        if asked is None:
            return "a message you cannot see here"
        return str(asked.get("text") or ask_text(self.ask_of(asked), names) or "…")

    def pending_asks(self) -> list[dict[str, Any]]:
        """Asks in this thread sent to me that I have not answered (nor put aside), oldest first."""
        if not self.selected:
            return []
        mine = self.answered_asks(self.me) | self._answering | self._dismissed
        return [
            m
            for m in self.thread_messages()
            if m.get("from") != self.me and self.ask_of(m) is not None and m.get("id") not in mine
        ]

    def _show_reply_bar(self, names: Names) -> None:
        """Under the thread, for the latest ask I have not answered: Yes, No, a reply in words."""
        pending = self.pending_asks()
        target = pending[-1] if pending else None
        key = (target.get("id"), len(pending)) if target is not None else None
        if key == self._reply_key and (target is None) == (self.reply_bar is None):
            return
        self._reply_key = key
        self.reply_to = target
        if self.reply_bar is not None:
            self.reply_bar.kill()
            self.reply_bar = None
        rect = pygame.Rect(self._thread_rect)
        if target is not None:
            rect.height -= REPLY_BAR_H
        if rect.size != self.thread.relative_rect.size:
            # Made again rather than resized: a resized text box lays itself out later, and loses
            # its place at the foot of the thread when it does.
            self.thread.kill()
            self.thread = self._make_thread(rect)
        if target is None:
            self.yes_button = self.no_button = self.reply_button = self.skip_button = None
            return
        self._build_reply_bar(names, target, len(pending))

    def _make_thread(self, rect: pygame.Rect) -> UITextBox:
        box = UITextBox(
            self._thread_html,
            rect,
            self.manager,
            container=self.panel.get_container(),
            object_id=ObjectID("#thread", "@thread"),
        )
        if box.scroll_bar is not None:
            box.scroll_bar.set_scroll_from_start_percentage(1.0)
        return box

    def _build_reply_bar(self, names: Names, target: dict[str, Any], count: int) -> None:
        c = self.panel.get_container()
        bar = UIPanel(
            self._bar_rect, manager=self.manager, container=c, object_id=ObjectID("#reply_bar", "@contacts")
        )
        self.reply_bar = bar
        bc = bar.get_container()
        w = bc.get_rect().width
        ask = self.ask_of(target) or {}
        more = f" ({count} waiting)" if count > 1 else ""
        self.reply_quote = UILabel(
            pygame.Rect(4, 2, w - 8, 20),
            "",
            self.manager,
            container=bc,
            object_id=ObjectID("#reply_quote", "@panel_hint"),
        )
        self.reply_quote.set_text(
            fit(
                self.reply_quote.font,
                f"↳ Answer {names.state(target.get('from'))}{more}: “{target.get('text', '')}”",
                w - 16,
            )
        )
        y = 26
        x = 4
        self.yes_button = self.no_button = None
        if ask.get("kind") in YES_NO:
            tip = "Answer yes (with the words in the box below, if any; the deceptive mark applies)"
            self.yes_button = UIButton(
                pygame.Rect(x, y, 64, 28),
                "✓ Yes",
                self.manager,
                container=bc,
                object_id=ObjectID("#answer_yes", "@good_button"),
                tool_tip_text=tip,
                command=partial(self.answer, True),
            )
            self.no_button = UIButton(
                pygame.Rect(x + 70, y, 64, 28),
                "✗ No",
                self.manager,
                container=bc,
                object_id=ObjectID("#answer_no", "@danger_button"),
                tool_tip_text=tip.replace("yes", "no", 1),
                command=partial(self.answer, False),
            )
            x += 140
        room = w - 4 - 56 - 6 - x
        label = "Reply with my words" if room >= 150 else "In words"
        self.reply_button = UIButton(
            pygame.Rect(x, y, min(150, room), 28),
            label,
            self.manager,
            container=bc,
            object_id=ObjectID("#answer_words", "@act_button"),
            tool_tip_text="Send what is written below as the answer (empty: “Noted.”)",
            command=partial(self.answer, None),
        )
        self.skip_button = UIButton(
            pygame.Rect(w - 4 - 56, y, 56, 28),
            "Later",
            self.manager,
            container=bc,
            object_id=ObjectID("#answer_later", "@small_button"),
            tool_tip_text="Put this ask aside; it stays in the thread",
            command=self.dismiss,
        )

    def answer(self, yes: bool | None) -> Any:
        """Answer the ask of the reply bar: yes, no, or words alone, with the text typed (if any)."""
        target = self.reply_to
        if target is None or not self.selected:
            return None
        text = self.text_entry.get_text().strip()
        if len(text) > MAX_TEXT:
            self._say(f"Too long: {len(text)} characters (at most {MAX_TEXT}).", error=True)
            return None
        names = self.names()
        ref = str(target.get("id"))
        command: dict[str, Any] = {
            "kind": "press",
            "to": sorted(self.selected, key=names.state_ids().index),
            "text": text,
            "answer": {"to": ref, "yes": yes},
            "sincerity": "deceptive" if self.deceptive.is_checked else "sincere",
        }
        self._answering.add(ref)
        sent = self.act(command)
        self._pending[sent] = ("answer", ref)
        self.text_entry.set_text("")
        word = {True: "Yes", False: "No", None: "in words"}[yes]
        self._say(f"Answered {names.state(target.get('from'))}: {word}.")
        self.refresh()
        return sent

    def dismiss(self) -> None:
        """Put the ask of the reply bar aside (the next one waiting, if any, takes its place)."""
        if self.reply_to is not None:
            self._dismissed.add(str(self.reply_to.get("id")))
        self._stale = True
        self.refresh()

    def open_ask(self, _event: Any = None) -> AskWindow | None:
        """The "Ask…" button: compose a structured ask to the states of this thread."""
        if not self.selected:
            self._say("Choose a contact first: an ask goes to the states of a thread.", error=True)
            return None
        if self.ask_window is not None and self.ask_window.alive():
            self.ask_window.kill()
        names = self.names()
        to = sorted(self.selected, key=names.state_ids().index)
        self.ask_window = AskWindow(
            self.manager, self.state, self.send, to, scenario=self.scenario, on_sent=self._asked
        )
        return self.ask_window

    def _asked(self, _command: dict[str, Any] | None, sentence: str) -> None:
        to = self.ask_window.recipients if self.ask_window is not None else sorted(self.selected)
        self._say(f"Asked {self.names().states(to)}.")
        self._stale = True

    def _check_replies(self) -> None:
        """The server's answers to what I sent from here: a refusal is shown whole."""
        replies = getattr(self.state, "replies", None) or {}
        for ref in [r for r in self._pending if r in replies]:
            _what, answered = self._pending.pop(ref)
            reply = replies[ref]
            if reply.get("type") == "error":
                if answered is not None:
                    self._answering.discard(answered)
                    self._reply_key = None
                self._say(refusal_text(reply, self.state), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        colour = ERROR_COLOUR if error else STATUS_COLOUR
        if colour != self.status.colour:
            self.status.colour = colour
            self.status.text = ""  # say() again, in the new colour
        self.status.say(text)

    def my_name(self) -> str | None:
        """The name this seat's member joined with (the table lists the team and says who I am)."""
        table = getattr(self.state, "table", None) or {}
        return next(
            (
                str(m["name"])
                for m in table.get("members") or []
                if isinstance(m, dict) and m.get("name") and m.get("id") == table.get("me")
            ),
            None,
        )

    def _show_thread(self, names: Names) -> None:
        lines = []
        messages = self.thread_messages()
        if self.selected:
            self._read[frozenset({*self.selected, self.me or ""})] = len(messages)
        answered = self.answered_asks()
        waiting = {m.get("id") for m in self.pending_asks()}
        mine = self.my_name()
        for m in messages:
            sender = m.get("from", "")
            # The team member who wrote it, beside the state: "Germany · Otto"; mine read "You", a
            # teammate's "France · Bea" (or "You · Bea" while this seat does not know its own name).
            author = self.authors.get(str(m.get("id"))) if self.state.team_size(sender) > 1 else None
            if sender != self.me or (author and mine is not None and author != mine):
                who = esc(names.state(sender))
            else:
                who, author = "You", None if author == mine else author
            if author:
                who += f" · {esc(author)}"
            mark = ""
            if m.get("sincerity") == "deceptive":
                mark = " <font color='#ff9c7a'>(you marked it deceptive)</font>"
            ask, answer = self.ask_of(m), self.answer_of(m)
            tag, body = "", esc(m.get("text", ""))
            if ask is not None:
                tag = f" <font color='#e69f00'>{DONE.get(str(ask.get('kind')), 'asked')}</font>"
                if sender == self.me and m.get("id") not in answered:
                    tag += " <font color='#9aa4ad'>· awaiting an answer</font>"
                elif m.get("id") in waiting:
                    body += "<br><font color='#f0e442'>↓ waiting for your answer</font>"
            elif answer is not None:
                tag = " <font color='#e69f00'>answered</font>"
                body = (
                    f"<font color='#9aa4ad'>↳ re: “{esc(self.asked_sentence(answer, names))}”</font>"
                    f"<br>{answer_mark(answer.get('yes'))}  {body}"
                )
            lines.append(
                f"<font color='{names.colour(sender)}'>■</font> <b>{who}</b>{tag}"
                f" <font color='#9aa4ad'>turn {m.get('turn', '?')}</font>{mark}<br>{body}"
            )
        if not lines:
            lines = [
                "<font color='#9aa4ad'>Nothing yet. Choose contacts above for a private thread, "
                "or write a public statement.</font>"
            ]
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
            self._say("Write something first.", error=True)
            return
        if len(text) > MAX_TEXT:
            self._say(f"Too long: {len(text)} characters (at most {MAX_TEXT}).", error=True)
            return
        names = self.names()
        to = sorted(self.selected, key=names.state_ids().index)
        command: dict[str, Any] = {
            "kind": "press",
            "to": to,
            "text": text,
            "sincerity": "deceptive" if self.deceptive.is_checked else "sincere",
        }
        self._pending[self.act(command)] = ("message", None)
        self.text_entry.set_text("")
        self._say(f"Sent to {names.states(to)}." if to else "Statement published.")

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

    def kill(self) -> None:
        if self.ask_window is not None and self.ask_window.alive():
            self.ask_window.kill()
        super().kill()

"""The drafting window: an agreement clause by clause, then `propose` or `counter`.

Everything a proposal holds (docs/protocol.md, `propose`) has a control here: title,
parties, visibility (public, secret, or public with a secret annex whose clauses are
marked one by one), duration, intermediary, and clauses of every kind.  The draft is
checked here before it is sent — with the rules' own command model, so what the window
accepts the server's parser accepts too — and the server's refusal, if one comes, is shown
in the same place, in the window, since that is where the player can fix it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pygame
import pygame_gui
from pydantic import ValidationError
from pygame_gui.core import ObjectID
from pygame_gui.elements import (
    UIButton,
    UICheckBox,
    UILabel,
    UIScrollingContainer,
    UITextBox,
    UITextEntryLine,
    UIWindow,
)

from game.client.panels.clause_form import ClauseForm
from game.client.panels.names import CLAUSE_TITLES, Names, scenario_of
from game.client.panels.notice import Notice
from game.client.panels.panel import Send, clear, screen_rect
from game.client.panels.pickers import chosen, dropdown, multi_list, picked, state_options
from game.client.refusals import refusal_text
from game.rules.commands import parse_command

VISIBILITIES = [("Secret", "#secret"), ("Public", "#public"), ("Public with a secret annex", "#annex")]
DURATIONS = [(f"{n} turn{'s' if n > 1 else ''}", f"#{n}") for n in (1, 2, 3, 4, 6, 8, 10, 12, 20)]
VISIBILITY_HINTS = {
    "secret": "Only the parties (and an intermediary) know of it. Each turn it may leak: first a rumour "
    "that the parties have a deal, then its clauses. Deny a rumour and the exposé hurts more.",
    "public": "Everyone reads its clauses once it is in force. Keeping it builds your reputation; "
    "breaking it costs trust everywhere.",
    "annex": "Its clauses are public; the clauses you mark “in the secret annex” stay with the parties "
    "until they leak or every party ratifies them.",
}
ROW_H = 28
MAX_CLAUSES = 20


class AgreementDraftWindow(UIWindow):
    """A window to draft and send an agreement (or a counter-proposal to `counter_of`)."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        state: Any,
        send: Send,
        parties: list[str] | None = None,
        counter_of: str | None = None,
        *,
        scenario: Any | None = None,
        rect: pygame.Rect | None = None,
    ) -> None:
        self.state = state
        self.send_message = send
        self.counter_of = counter_of
        self.names = Names(state.view, scenario_of(state, scenario))
        self.me = getattr(state, "my_state", None) or self.names.me or ""
        self.clauses: list[tuple[dict[str, Any], bool]] = []
        self.pending_ref: Any = None
        """The id `send` returned for the proposal; the server's answer to it is shown here."""
        self.sent = False
        self.error_text = ""
        self.remove_buttons: list[UIButton] = []
        self._original = self._find(counter_of) if counter_of else None
        screen = screen_rect(manager)
        if rect is None:
            w, h = min(860, screen.width - 16), min(640, screen.height - 16)
            rect = pygame.Rect((screen.width - w) // 2, (screen.height - h) // 2, w, h)
        title = "Counter-proposal" if counter_of else "Draft an agreement"
        super().__init__(
            rect,
            manager,
            window_display_title=title,
            object_id=ObjectID("#draft_window", "@draft_window"),
            resizable=False,
        )
        wanted = parties if parties is not None else (self._original or {}).get("parties", [])
        self._build([p for p in wanted if p != self.me])
        if self._original:
            self._prefill(self._original)

    # --- building --------------------------------------------------------------------------------

    def _find(self, ref: str | None) -> dict[str, Any] | None:
        for a in (self.state.view or {}).get("agreements", []):
            if a.get("id") == ref:
                return dict(a)
        return None

    def _label(
        self, rect: pygame.Rect, text: str, klass: str = "@field_label", object_id: str = "#field_label"
    ) -> UILabel:
        return UILabel(
            rect, text, self.ui_manager, container=self.get_container(), object_id=ObjectID(object_id, klass)
        )

    def _build(self, parties: list[str]) -> None:
        c = self.get_container()
        w, h = c.get_rect().size
        m = self.ui_manager
        pad, left_w = 12, 270
        x2 = pad + left_w + 16
        right_w = w - x2 - pad
        names = self.names

        y = 8
        self._label(pygame.Rect(pad, y, left_w, 18), "Title")
        self.title_entry = UITextEntryLine(
            pygame.Rect(pad, y + 18, left_w, ROW_H),
            m,
            container=c,
            object_id=ObjectID("#draft_title", "@text_entry"),
            placeholder_text="e.g. Entente on the Channel",
        )
        self.title_entry.set_text_length_limit(120)
        y += 18 + ROW_H + 8
        if self.counter_of:
            heading = f"Parties: {names.states([self.me, *parties])} (fixed)"
        else:
            heading = f"Parties — {names.state(self.me)} signs at once"
        self._label(pygame.Rect(pad, y, left_w, 18), heading)
        parties_h = max(120, h - 440)
        # A counter-proposal keeps the proposal's parties: the list shows just them, chosen.
        choices = parties if self.counter_of else names.others()
        self.parties_list = multi_list(
            m,
            pygame.Rect(pad, y + 18, left_w, parties_h),
            state_options(names, choices),
            container=c,
            object_id="#draft_parties",
            selected=parties,
        )
        if self.counter_of:
            self.parties_list.disable()
        y += 18 + parties_h + 8
        self._label(pygame.Rect(pad, y, left_w, 18), "Visibility")
        self.visibility_menu = dropdown(
            m,
            pygame.Rect(pad, y + 18, left_w, ROW_H),
            VISIBILITIES,
            container=c,
            object_id="#draft_visibility",
            start="secret",
        )
        y += 18 + ROW_H + 8
        self._label(pygame.Rect(pad, y, left_w, 18), "Duration")
        self.duration_menu = dropdown(
            m,
            pygame.Rect(pad, y + 18, left_w, ROW_H),
            DURATIONS,
            container=c,
            object_id="#draft_duration",
            none_label="Until renounced",
        )
        y += 18 + ROW_H + 8
        self._label(pygame.Rect(pad, y, left_w, 18), "Intermediary (lowers the leak risk)")
        self.intermediary_menu = dropdown(
            m,
            pygame.Rect(pad, y + 18, left_w, ROW_H),
            state_options(names, names.others()),
            container=c,
            object_id="#draft_intermediary",
            none_label="None",
        )
        if self.counter_of:
            self.intermediary_menu.disable()
        y += 18 + ROW_H + 10
        self.visibility_hint = UITextBox(
            "",
            pygame.Rect(pad, y, left_w, max(40, h - y - 8)),
            m,
            container=c,
            object_id=ObjectID("#visibility_hint", "@hint_box"),
        )

        y = 8
        self._label(pygame.Rect(x2, y, right_w, 20), "Add a clause", "@panel_heading", "#clause_heading")
        y += 22
        kinds = [(title, f"#{kind}") for kind, title in CLAUSE_TITLES.items()]
        self.kind_menu = dropdown(
            m,
            pygame.Rect(x2, y, 230, ROW_H),
            kinds,
            container=c,
            object_id="#clause_kind",
            start="non_aggression",
        )
        self.annex_check = UICheckBox(
            pygame.Rect(x2 + 244, y + 4, 20, 20),
            "in the secret annex",
            m,
            container=c,
            object_id=ObjectID("#clause_annex", "@check"),
            tool_tip_text="Annex clauses stay secret while the agreement itself is public",
        )
        y += ROW_H + 6
        self.form_rect = pygame.Rect(x2, y, right_w, 190)
        self.form: ClauseForm | None = None
        self._form_kind = ""
        self._make_form()
        y += 190 + 6
        self.add_button = UIButton(
            pygame.Rect(x2, y, 150, ROW_H),
            "Add clause",
            m,
            container=c,
            object_id=ObjectID("#add_clause", "@good_button"),
            command=self._add_clause,
        )
        self._label(pygame.Rect(x2 + 162, y + 5, 70, 18), "aimed at")
        self.against_menu = dropdown(
            m,
            pygame.Rect(x2 + 232, y, min(230, right_w - 232), ROW_H),
            state_options(names, names.others()),
            container=c,
            object_id="#clause_against",
            none_label="nobody in particular",
        )
        y += ROW_H + 10
        self._label(
            pygame.Rect(x2, y, right_w, 20), "Clauses of this agreement", "@panel_heading", "#clauses_heading"
        )
        y += 22
        list_h = h - y - 108
        self.clause_list = UIScrollingContainer(
            pygame.Rect(x2, y, right_w, list_h),
            m,
            container=c,
            object_id=ObjectID("#clause_list", "@contacts"),
            allow_scroll_x=False,
        )
        self.list_rect = pygame.Rect(x2, y, right_w, list_h)

        shown: Notice | None = getattr(self, "error_label", None)  # a rebuild keeps what it said
        self.error_label = Notice(
            pygame.Rect(x2, h - 100, right_w, 54),
            m,
            container=c,
            object_id="#draft_error",
            text=shown.text if shown is not None else "",
        )
        self.cancel_button = UIButton(
            pygame.Rect(w - pad - 350, h - 42, 130, 32),
            "Cancel",
            m,
            container=c,
            object_id=ObjectID("#draft_cancel", "@act_button"),
            command=self.kill,
        )
        label = "Send counter-proposal" if self.counter_of else "Propose and sign"
        self.send_button = UIButton(
            pygame.Rect(w - pad - 210, h - 42, 210, 32),
            label,
            m,
            container=c,
            object_id=ObjectID("#draft_send", "@primary_button"),
            command=self.submit,
        )
        self._visibility = "secret"
        self._sync_annex()
        self._show_clauses()

    def _prefill(self, original: dict[str, Any]) -> None:
        """A counter-proposal starts from the proposal it answers (what I know of it)."""
        self.title_entry.set_text(str(original.get("title", ""))[:120])
        annex = original.get("annex") or []
        self.clauses = [(dict(c), False) for c in original.get("clauses", [])] + [
            (dict(c), True) for c in annex
        ]
        vis = "annex" if annex else original.get("visibility", "secret")
        self._set_menu("visibility_menu", vis, VISIBILITIES)
        duration = original.get("duration")
        if duration:
            self._set_menu(
                "duration_menu",
                str(duration),
                [(f"{duration} turns", f"#{duration}"), *DURATIONS],
                none_label="Until renounced",
            )
        self._show_clauses()

    def _set_menu(
        self, attr: str, ident: str, options: list[tuple[str, str]], none_label: str | None = None
    ) -> None:
        old = getattr(self, attr)
        rect = old.relative_rect.copy()
        object_id = old.object_ids[-1] if old.object_ids else None
        old.kill()
        unique = list(dict.fromkeys(options))
        setattr(
            self,
            attr,
            dropdown(
                self.ui_manager,
                rect,
                unique,
                container=self.get_container(),
                object_id=object_id or "#menu",
                start=ident,
                none_label=none_label,
            ),
        )
        if attr == "visibility_menu":
            self._visibility = ident
            self._sync_annex()

    def _make_form(self) -> None:
        kind = chosen(self.kind_menu) or "non_aggression"
        if self.form is not None:
            self.form.kill()
        self.form = ClauseForm(
            self.ui_manager,
            self.form_rect,
            kind,
            self.names,
            container=self.get_container(),
            turn=int((self.state.view or {}).get("turn") or 1),
        )
        self._form_kind = kind

    def _sync_annex(self) -> None:
        self.visibility_hint.set_text(VISIBILITY_HINTS.get(self._visibility, ""))
        if self._visibility == "annex":
            self.annex_check.enable()
        else:
            if self.annex_check.is_checked:
                self.annex_check.set_state(False)
            self.annex_check.disable()

    def _show_clauses(self) -> None:
        cc = self.clause_list.get_container()
        clear(cc)
        self.remove_buttons = []
        width = self.list_rect.width - 18
        if not self.clauses:
            UILabel(
                pygame.Rect(6, 4, width, 22),
                "No clause yet: choose a kind above, fill it in, Add clause.",
                self.ui_manager,
                container=cc,
                object_id=ObjectID("#no_clause", "@panel_hint"),
            )
        for i, (clause, in_annex) in enumerate(self.clauses):
            y = i * ROW_H
            prefix = "Annex · " if in_annex else ""
            text = f"{i + 1}. {prefix}{self.names.clause(clause)}"
            UILabel(
                pygame.Rect(4, y + 2, width - 40, ROW_H - 4),
                text,
                self.ui_manager,
                container=cc,
                object_id=ObjectID("#clause_row", "@clause_row_annex" if in_annex else "@clause_row"),
            )
            button = UIButton(
                pygame.Rect(width - 32, y + 2, 30, ROW_H - 4),
                "✕",
                self.ui_manager,
                container=cc,
                object_id=ObjectID("#remove_clause", "@danger_button"),
                tool_tip_text="Remove this clause",
                command=partial(self._remove, i),
            )
            self.remove_buttons.append(button)
        self.clause_list.set_scrollable_area_dimensions((width, max(1, len(self.clauses) * ROW_H)))

    # --- actions ---------------------------------------------------------------------------------

    def _add_clause(self) -> None:
        if self.form is None:
            return
        if len(self.clauses) >= MAX_CLAUSES:
            self.show_error(f"At most {MAX_CLAUSES} clauses.")
            return
        clause, problem = self.form.value()
        if clause is None:
            self.show_error(problem or "This clause is not complete.")
            return
        self.show_error("")
        against = chosen(self.against_menu)
        if against is not None:
            clause["against"] = [against]  # it resents the clause if it is ever exposed
        self.clauses.append((clause, bool(self.annex_check.is_checked and self._visibility == "annex")))
        self._show_clauses()
        self._make_form()

    def _remove(self, index: int) -> None:
        if 0 <= index < len(self.clauses):
            del self.clauses[index]
            self._show_clauses()

    def command(self) -> tuple[dict[str, Any] | None, str | None]:
        """The `propose` or `counter` command the draft makes, or what is wrong with it in words."""
        parties = [self.me, *picked(self.parties_list)]
        if self._original is not None:
            parties = list(self._original.get("parties", parties))
        if len(parties) < 2:
            return None, "Choose at least one other party."
        if len(parties) > 12:
            return None, "An agreement has at most 12 parties."
        main = [c for c, annex in self.clauses if not annex]
        annex = [c for c, annex in self.clauses if annex]
        if not self.clauses:
            return None, "An agreement needs at least one clause: add one on the right."
        if not main:
            return None, "Put at least one clause outside the secret annex."
        if annex and self._visibility != "annex":
            return None, "Annex clauses need the visibility “Public with a secret annex”."
        title = self.title_entry.get_text().strip()
        if not title:  # an untitled deal still needs a name in everyone's list
            first = CLAUSE_TITLES.get(main[0].get("kind", ""), "Agreement")
            title = f"{first}: {self.names.states(parties)}"[:120]
        duration = chosen(self.duration_menu)
        intermediary = None if self.counter_of else chosen(self.intermediary_menu)
        if intermediary is not None and intermediary in parties:
            return None, "The intermediary must be a third state, not a party."
        command: dict[str, Any] = {
            "kind": "counter" if self.counter_of else "propose",
            "title": title,
            "visibility": "secret" if self._visibility == "secret" else "public",
            "clauses": main,
            "annex": annex,
            "duration": int(duration) if duration else None,
        }
        if self.counter_of:
            command["agreement"] = self.counter_of
        else:
            command["parties"] = parties
            command["intermediary"] = intermediary
        try:
            parse_command({**command, "state": self.me})  # the rules' own model: the server reads the same
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"])
            return None, f"The draft is not valid: {where}: {error['msg']}"
        return command, None

    def submit(self) -> None:
        """Check the draft; send it, or say in the window what is wrong."""
        if self.pending_ref is not None and not self.error_text:
            return  # already sent: waiting for the server's answer
        command, problem = self.command()
        if command is None:
            self.show_error(problem or "The draft is not complete.")
            return
        self.error_text = ""
        self.pending_ref = self.send_message({"type": "act", "command": command})
        self.sent = True
        self.error_label.say("Sent — waiting for the umpire's answer…")
        self.send_button.disable()

    def show_error(self, text: str) -> None:
        """Show the server's refusal (or a check's) where the player fixes the draft."""
        self.error_text = text
        self.error_label.say(text)
        self.send_button.enable()

    # --- pygame_gui hooks ------------------------------------------------------------------------

    def process_event(self, event: pygame.event.Event) -> bool:
        if (
            event.type == pygame.KEYDOWN
            and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER)
            and event.mod & pygame.KMOD_CTRL
            and self.alive()
        ):
            self.submit()  # the keyboard's way to send: Ctrl+Enter anywhere in the window
            return True
        return super().process_event(event)

    def update(self, time_delta: float) -> None:
        super().update(time_delta)
        if not self.alive():
            return
        if (chosen(self.kind_menu) or "non_aggression") != self._form_kind:
            self._make_form()
        visibility = chosen(self.visibility_menu) or "secret"
        if visibility != self._visibility:
            self._visibility = visibility
            self._sync_annex()
        if self.pending_ref is not None and not self.error_text:
            reply = (getattr(self.state, "replies", None) or {}).get(self.pending_ref)
            if reply is not None:
                if reply.get("type") == "error":
                    self.show_error(refusal_text(reply, self.state))
                elif reply.get("type") == "ack":
                    self.kill()


__all__ = ["AgreementDraftWindow"]

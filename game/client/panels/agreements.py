"""Agreements: proposals to answer, mine with their status and leak risk, others' I know of.

Everything shown comes from the view's agreements (the rules' `agreement_view`, already cut
to what I may know): a rumour shows its parties and nothing else, an annex shows only if
the view holds it.  The leak risk is the rules' own formula (game.rules.leaks) fed only
with public facts — the parties, their regimes, the agreement's age, an intermediary —
never with others' investigations, which I cannot know; so it is shown as a floor.

The cards follow the game live: each `agreement` event the server sends replaces its card in
the view, so a proposal shows in the inbox the moment it is made and a signature shows at
once on both sides.  Between a click and the server's answer the card's buttons give way to
"Signing…", so a second click cannot send the same command again; a refusal shows whole,
above the cards.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UILabel, UIScrollingContainer, UITextBox

from game.client.panels.breach import BreachWindow
from game.client.panels.draft import AgreementDraftWindow
from game.client.panels.names import LEAK_WORDS, STATUS_COLOURS, STATUS_WORDS, Names, esc
from game.client.panels.notice import Notice
from game.client.panels.panel import SidePanel, clear
from game.client.refusals import refusal_text
from game.rules.agreements import Agreement
from game.rules.leaks import leak_chance

BUTTON_H = 26
GAP = 8

ACTION_LABELS = {
    "sign": "Sign",
    "counter": "Counter…",
    "reject": "Reject",
    "renounce": "Renounce",
    "ratify": "Ratify in public",
    "leak": "Leak",
    "deny": "Deny",
    "justify": "Justify",
    "declare_breach": "Declare breach…",
}
PENDING_WORDS = {
    "sign": "Signing",
    "reject": "Rejecting",
    "renounce": "Renouncing",
    "ratify": "Ratifying",
    "leak": "Leaking",
    "deny": "Denying",
    "justify": "Justifying",
}
ACTION_STYLES = {
    "sign": "@good_button",
    "reject": "@danger_button",
    "renounce": "@danger_button",
    "leak": "@danger_button",
}
ACTION_TIPS = {
    "sign": "Sign: when every party has signed, it is in force",
    "counter": "Answer with another draft (this proposal is then superseded)",
    "reject": "Refuse this proposal",
    "renounce": "Walk away in the open: the other parties trust you a little less",
    "ratify": "Make it public at home: when every party ratifies, each gains legitimacy",
    "leak": "Leak it to the press at the end of the turn: everyone will read it",
    "deny": "Publicly deny the rumour (if it is later exposed, the denial deepens the fall)",
    "justify": "Publicly justify it: wins back half of the legitimacy lost at home",
    "declare_breach": "Declare a free-text clause broken by another party",
}


def has_secret(a: dict[str, Any]) -> bool:
    """Whether the agreement still hides something I know: its terms, or an annex in my view."""
    if a.get("leak_level") == "exposed":
        return False
    return a.get("visibility") == "secret" or bool(a.get("annex"))


def leak_risk(a: dict[str, Any], scenario: Any | None, turn: int) -> float | None:
    """The chance this secret leaks this turn from public facts alone (no investigations counted)."""
    if scenario is None or a.get("status") != "active" or not has_secret(a) or a.get("rumour"):
        return None
    regimes = {s.id: s.regime for s in scenario.states}
    stand_in = Agreement(
        id=a["id"],
        title="",
        proposer=a.get("proposer", ""),
        parties=tuple(a.get("parties", [])),
        clauses=(),
        annex=(),
        visibility=a.get("visibility", "secret"),
        duration=a.get("duration"),
        intermediary=a.get("intermediary"),
        proposed_turn=a.get("proposed_turn") or turn,
        start_turn=a.get("start_turn"),
        leak_level=a.get("leak_level", "none"),
    )
    return leak_chance(stand_in, regimes, turn, scenario.rules.leaks)


class AgreementsPanel(SidePanel):
    """Proposals to answer, my agreements, others' that I know of, and a "New agreement" button."""

    object_id = "#agreements_panel"

    def _fields(self) -> None:
        self.action_buttons: dict[tuple[str, str], UIButton] = {}
        """Every action button by (agreement id, action): the demo mode and the tests click them."""
        self.cards: dict[str, UITextBox] = {}
        self.draft_window: AgreementDraftWindow | None = None
        self.breach_window: BreachWindow | None = None
        self.pending: dict[str, tuple[Any, str]] = {}
        """Agreement id -> (command id, action) sent and not yet answered and in the picture."""
        self.refusal = ""
        """The server's last refusal of a command sent from here, shown whole above the cards."""
        self._shown_key = ""

    # --- layout ----------------------------------------------------------------------------------

    def _layout(self) -> None:
        c = self.panel.get_container()
        w, h = self.inner.size
        pad = 8
        self.action_buttons = {}
        self.cards = {}
        self._shown_key = ""
        UILabel(
            pygame.Rect(pad, 6, w - 2 * pad - 160, 24),
            "Agreements",
            self.manager,
            container=c,
            object_id=ObjectID("#agreements_heading", "@panel_heading"),
        )
        self.new_agreement_button = UIButton(
            pygame.Rect(w - pad - 156, 4, 156, 28),
            "New agreement",
            self.manager,
            container=c,
            object_id=ObjectID("#new_agreement", "@primary_button"),
            tool_tip_text="Draft an agreement clause by clause (N)",
            command=self.new_draft,
        )
        self.list = UIScrollingContainer(
            pygame.Rect(pad, 38, w - 2 * pad, h - 38 - 28),
            self.manager,
            container=c,
            object_id=ObjectID("#agreement_list", "@agreement_list"),
            allow_scroll_x=False,
        )
        self.status = UILabel(
            pygame.Rect(pad, h - 24, w - 2 * pad, 20),
            "",
            self.manager,
            container=c,
            object_id=ObjectID("#panel_status", "@panel_status"),
        )

    # --- picture ----------------------------------------------------------------------------------

    def sections(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The agreements of the view, sorted into what I must answer, mine, others', and the past."""
        me = self.me
        inbox: list[dict[str, Any]] = []
        waiting: list[dict[str, Any]] = []
        mine: list[dict[str, Any]] = []
        others: list[dict[str, Any]] = []
        past: list[dict[str, Any]] = []
        for a in reversed(self.view.get("agreements", [])):  # the newest first
            party = me in a.get("parties", [])
            status = a.get("status")
            if party and status == "proposed":
                (waiting if me in a.get("signed", []) else inbox).append(a)
            elif status in ("rejected", "superseded"):
                past.append(a)
            elif party:
                mine.append(a)
            else:
                others.append(a)
        order = {"active": 0, "breached": 1, "renounced": 2, "lapsed": 3, "expired": 4}
        mine.sort(key=lambda a: order.get(a.get("status", ""), 9))
        return [
            ("Proposals to answer", inbox),
            ("Waiting for the other parties", waiting),
            ("My agreements", mine),
            ("Others' agreements I know of", others),
            ("Rejected and superseded", past),
        ]

    def actions_for(self, a: dict[str, Any]) -> list[str]:
        """What I may do with this agreement now, as the rules allow it (nothing while a command
        about it is on its way)."""
        me = self.me
        party = me in a.get("parties", [])
        status = a.get("status")
        if a.get("rumour") or a.get("id") in self.pending:
            return []
        if party and status == "proposed":
            return [] if me in a.get("signed", []) else ["sign", "counter", "reject"]
        actions: list[str] = []
        if status == "active" and party:
            actions.append("renounce")
            if has_secret(a):
                actions.append("ratify")
        if status == "active" and has_secret(a):
            actions.append("leak")  # a party leaks its own; a state that discovered it may expose it
        if party and a.get("leak_level") == "rumour":
            actions.append("deny")
        if party and a.get("leak_level") == "exposed" and me not in a.get("justified_by", []):
            actions.append("justify")
        if party and status == "active" and any(c.get("kind") == "free_text" for c in self._all_clauses(a)):
            actions.append("declare_breach")
        return actions

    @staticmethod
    def _all_clauses(a: dict[str, Any]) -> list[dict[str, Any]]:
        return list(a.get("clauses", [])) + list(a.get("annex", []) or [])

    def card_html(self, a: dict[str, Any], names: Names) -> str:
        """One agreement as a text box's HTML: only the layers the view holds."""
        parties = ", ".join(names.swatch(p) for p in a.get("parties", []))
        if a.get("rumour"):
            return (
                f"<b>A secret agreement</b> <font color='#f0b060'>● rumoured</font><br>"
                f"Between {parties}<br><font color='#9aa4ad'>Only its parties are known, not its terms.</font>"
            )
        status = a.get("status", "")
        title = esc(a.get("title") or "Untitled agreement")
        colour = STATUS_COLOURS.get(status, "#e8e2d4")
        lines = [f"<b>{title}</b> <font color='{colour}'>● {STATUS_WORDS.get(status, status)}</font>"]
        lines.append(f"Between {parties}")
        facts = []
        vis = a.get("visibility", "")
        facts.append(
            "secret" if vis == "secret" else "public" + (" with a secret annex" if a.get("annex") else "")
        )
        if a.get("duration"):
            span = f"{a['duration']} turn{'s' if a['duration'] > 1 else ''}"
            if a.get("start_turn") and a.get("end_turn"):
                span += f" (turns {a['start_turn']}–{a['end_turn']})"
            facts.append(span)
        elif status == "active":
            facts.append("until renounced")
        if a.get("intermediary"):
            facts.append(f"through {esc(names.state(a['intermediary']))}")
        if status == "proposed":
            unsigned = [p for p in a.get("parties", []) if p not in a.get("signed", [])]
            facts.append(
                f"proposed by {esc(names.state(a.get('proposer')))}; awaiting {esc(names.states(unsigned))}"
            )
        lines.append("<font color='#b8c0c8'>" + " · ".join(facts) + "</font>")
        if vis == "secret" or a.get("annex") or a.get("leak_level") != "none":
            leak = LEAK_WORDS.get(a.get("leak_level", "none"), a.get("leak_level", ""))
            risk = leak_risk(a, self.scenario, int(self.view.get("turn") or 1))
            text = f"Leak: {leak}"
            if risk is not None:
                text += f" · risk at least {round(risk * 100)}% a turn"
            if a.get("denied_by"):
                text += f" · denied by {names.states(a['denied_by'])}"
            if a.get("justified_by"):
                text += f" · justified by {names.states(a['justified_by'])}"
            leak_colour = {"none": "#9fd8b0", "rumour": "#f0b060", "exposed": "#ff8a6a"}.get(
                a.get("leak_level", ""), "#e8e2d4"
            )
            lines.append(f"<font color='{leak_colour}'>{esc(text)}</font>")
        for i, clause in enumerate(a.get("clauses", []), 1):
            lines.append(f"{i}. {esc(names.clause(clause))}")
        annex = a.get("annex") or []
        if annex:
            lines.append("<font color='#f0b0c0'><b>Secret annex</b></font>")
            start = len(a.get("clauses", []))
            for i, clause in enumerate(annex, start + 1):
                lines.append(f"<font color='#f0b0c0'>{i}. {esc(names.clause(clause))}</font>")
        return "<br>".join(lines)

    def _settle(self) -> None:
        """Commands answered: a refusal is shown; an acceptance, once its events are in the picture."""
        v = getattr(self.state, "v", 0)
        replies = getattr(self.state, "replies", {})
        for ref, (command, _action) in list(self.pending.items()):
            reply = replies.get(command)
            if reply is None:
                continue
            if reply.get("type") == "error":
                del self.pending[ref]
                self.refusal = refusal_text(reply, self.state)
                self.status.set_text("Refused: the reason is above the cards.")
            elif not isinstance(reply.get("v"), int) or v >= reply["v"]:
                del self.pending[ref]

    def _update(self) -> None:
        self._settle()
        # Most news (a ready flag, a message, the clock) leaves the agreements as they were: the cards,
        # costly to build, are rebuilt only when what they show changed.
        key = json.dumps(
            [
                self.view.get("agreements", []),
                self.view.get("turn"),
                self.me,
                sorted(self.pending),
                self.refusal,
            ],
            sort_keys=True,
            default=str,
        )
        if key == self._shown_key:
            return
        self._shown_key = key
        names = self.names()
        bar = self.list.vert_scroll_bar
        scrolled = bar.start_percentage if bar is not None else 0.0
        cc = self.list.get_container()
        clear(cc)
        self.action_buttons = {}
        self.cards = {}
        width = self.list.rect.width - 18
        y = 4
        if self.refusal:
            notice = Notice(
                pygame.Rect(0, y, width, -1),
                self.manager,
                container=cc,
                object_id="#agreement_refusal",
                text=self.refusal,
            )
            y += notice.rect.height + GAP
        shown = 0
        for title, agreements in self.sections():
            if not agreements:
                continue
            UILabel(
                pygame.Rect(2, y, width, 22),
                f"{title} ({len(agreements)})",
                self.manager,
                container=cc,
                object_id=ObjectID("#agreement_section", "@panel_subheading"),
            )
            y += 24
            for a in agreements:
                y = self._card(a, names, cc, y, width, inbox=title == "Proposals to answer")
                shown += 1
            y += 4
        if not shown:
            UILabel(
                pygame.Rect(2, y, width, 22),
                "No agreement known yet: draft one!",
                self.manager,
                container=cc,
                object_id=ObjectID("#no_agreement", "@panel_hint"),
            )
            y += 24
        self.list.set_scrollable_area_dimensions((width, y))
        if self.list.vert_scroll_bar is not None and scrolled:
            self.list.vert_scroll_bar.set_scroll_from_start_percentage(scrolled)

    def _card(self, a: dict[str, Any], names: Names, cc: Any, y: int, width: int, *, inbox: bool) -> int:
        box = UITextBox(
            self.card_html(a, names),
            pygame.Rect(0, y, width, -1),
            self.manager,
            container=cc,
            object_id=ObjectID(f"#card_{a['id'].replace('-', '_')}", "@card_inbox" if inbox else "@card"),
        )
        self.cards[a["id"]] = box
        y += box.rect.height + 4
        actions = self.actions_for(a)
        if a["id"] in self.pending:
            word = PENDING_WORDS.get(self.pending[a["id"]][1], "Sending")
            UILabel(
                pygame.Rect(0, y, width, BUTTON_H),
                f"{word}… waiting for the umpire",
                self.manager,
                container=cc,
                object_id=ObjectID("#pending_action", "@panel_hint"),
            )
            y += BUTTON_H + 4
        x = 0
        for action in actions:
            label = ACTION_LABELS[action]
            bw = max(64, 14 + 8 * len(label))
            if x + bw > width:
                x = 0
                y += BUTTON_H + 4
            button = UIButton(
                pygame.Rect(x, y, bw, BUTTON_H),
                label,
                self.manager,
                container=cc,
                object_id=ObjectID(f"#{action}", ACTION_STYLES.get(action, "@act_button")),
                tool_tip_text=ACTION_TIPS.get(action),
                command=partial(self.do, a["id"], action),
            )
            self.action_buttons[(a["id"], action)] = button
            x += bw + 6
        if actions:
            y += BUTTON_H + 4
        return y + GAP

    # --- actions ----------------------------------------------------------------------------------

    def find(self, ref: str) -> dict[str, Any] | None:
        return next((a for a in self.view.get("agreements", []) if a.get("id") == ref), None)

    def do(self, ref: str, action: str) -> None:
        """Carry out one action button's command on agreement `ref`."""
        a = self.find(ref)
        names = self.names()
        title = (a or {}).get("title") or "the agreement"
        if action == "counter":
            self.open_draft(counter_of=ref, parties=list((a or {}).get("parties", [])))
            return
        if action == "declare_breach":
            if a is not None:
                self._close(self.breach_window)
                self.breach_window = BreachWindow(self.manager, self.state, self.send, a, names)
            return
        self.refusal = ""
        command = self.act({"kind": action, "agreement": ref})
        if isinstance(command, str | int):
            self.pending[ref] = (command, action)
        done = {
            "sign": "Signed",
            "reject": "Rejected",
            "renounce": "Renounced",
            "ratify": "Ratified",
            "leak": "Leaking",
            "deny": "Denied",
            "justify": "Justified",
        }[action]
        self.status.set_text(f"{done}: {title}")

    def new_draft(self) -> AgreementDraftWindow:
        """The "New agreement" button: a fresh draft."""
        return self.open_draft()

    def open_draft(
        self, counter_of: str | None = None, parties: list[str] | None = None
    ) -> AgreementDraftWindow:
        """Open the drafting window (a fresh draft, or a counter-proposal)."""
        self._close(self.draft_window)
        self.draft_window = AgreementDraftWindow(
            self.manager,
            self.state,
            self.send,
            parties=parties,
            counter_of=counter_of,
            scenario=self.scenario,
        )
        return self.draft_window

    @staticmethod
    def _close(window: Any | None) -> None:
        if window is not None and window.alive():
            window.kill()

    def process_event(self, event: pygame.event.Event) -> bool:
        return False

    def kill(self) -> None:
        self._close(self.draft_window)
        self._close(self.breach_window)
        super().kill()

"""Structured asks in the Talk panel: composing one, and reading asks and answers in a thread.

An ask (game/rules/asks.py) is something people and bots both understand: a request for the
support of a named move, a question about a state's intentions toward a territory or a state,
a proposed demilitarised zone, a warning, a complaint about a breach, a demand for a public
justification.  The window here builds one with pickers that offer only what exists — the
recipients' units and mine, the territories of the map, the states of the game, the
agreements my seat knows — and shows, before it is sent, the exact sentence the thread will
read (the rules' own `ask_sentence`, with names).  It goes as a `press` with the `ask` and an
empty text, so the rules write the words; a refusal from the server is shown whole, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pygame
import pygame_gui
from pydantic import ValidationError
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UICheckBox, UILabel, UITextBox, UIWindow

from game.client.panels.names import Names, esc, scenario_of
from game.client.panels.notice import Notice
from game.client.panels.panel import Send, screen_rect
from game.client.panels.pickers import chosen, dropdown, multi_list, picked, state_options, territory_options
from game.client.refusals import refusal_text
from game.rules.asks import AnyAsk, ask_sentence, parse_ask
from game.rules.board import Board, territory_of

KINDS: dict[str, str] = {
    "support": "Ask for support of a move",
    "intentions": "Ask their intentions",
    "dmz": "Propose a demilitarised zone",
    "warn": "Warn",
    "complain": "Complain about a breach",
    "demand_justification": "Demand a justification",
}
"""Every ask kind of the rules, as the kind picker names it."""

DONE: dict[str, str] = {
    "support": "asked for support",
    "intentions": "asked about intentions",
    "dmz": "proposed a demilitarised zone",
    "warn": "warned",
    "complain": "complained of a breach",
    "demand_justification": "demanded a justification",
}
"""What a sender did, in a thread's header: "Germany warned", "You asked for support"."""

YES_NO = frozenset({"support", "intentions", "dmz", "warn"})
"""Asks answered with a yes or a no; the others (complaint, demand) are answered in words."""

MAX_DMZ = 6
ROW_H = 28
LABEL_H = 18
ABOUT = [("a territory", "#territory"), ("a state", "#state")]

_BOARDS: dict[int, Board] = {}


def board_of(scenario: Any | None) -> Board | None:
    """Who may move where (for the support ask's destinations); None before the scenario arrives."""
    if scenario is None:
        return None
    key = id(scenario)
    if key not in _BOARDS:
        try:
            _BOARDS[key] = Board.from_scenario(scenario)
        except Exception:  # a map the client cannot build still lets the player ask (any destination)
            return None
    return _BOARDS[key]


def read_ask(data: Any) -> AnyAsk | None:
    """The ask a message carries, read with the rules' model (None when it has none, or it is garbled)."""
    if not isinstance(data, Mapping):
        return None
    try:
        return parse_ask(dict(data))
    except (ValidationError, ValueError, TypeError):
        return None


def ask_text(data: Any, names: Names) -> str:
    """The sentence of an ask, with names: exactly what the rules write in the thread for it."""
    ask = read_ask(data)
    return ask_sentence(ask, names.territory, names.state) if ask is not None else ""


def answer_mark(yes: Any) -> str:
    """An answer's yes or no as text-box HTML: a clear marker a player sees at a glance."""
    if yes is True:
        return "<b><font color='#7fd49a'>✓ Yes</font></b>"
    if yes is False:
        return "<b><font color='#ff8a6a'>✗ No</font></b>"
    return "<b><font color='#9aa4ad'>—</font></b>"


def unit_label(unit: Mapping[str, Any], names: Names, mine: bool = False) -> str:
    kind = "fleet" if unit.get("type") in ("fleet", "F") else "army"
    where = names.territory(str(unit.get("location", "")))
    return f"my {kind} in {where}" if mine else f"{names.state(unit.get('state'))}'s {kind} in {where}"


def said(
    messages: Iterable[Mapping[str, Any]], news: Iterable[Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    """The ask or answer of each message id, from the view's messages and the `message` events
    seen since (an event carries them beside the text, whatever the picture kept of it)."""
    found: dict[str, dict[str, Any]] = {}
    for m in messages:
        extra = {k: m[k] for k in ("ask", "answer") if m.get(k)}
        if extra and m.get("id"):
            found[str(m["id"])] = extra
    for entry in news:
        event = entry.get("event") if isinstance(entry.get("event"), Mapping) else entry
        if not isinstance(event, Mapping) or event.get("kind") != "message" or not event.get("id"):
            continue
        extra = {k: event[k] for k in ("ask", "answer") if event.get(k)}
        if extra:
            found.setdefault(str(event["id"]), extra)
    return found


class AskWindow(UIWindow):
    """A window to compose one ask to the states of a thread, see its sentence, and send it."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        state: Any,
        send: Send,
        recipients: list[str],
        *,
        scenario: Any | None = None,
        kind: str = "support",
        on_sent: Any | None = None,
    ) -> None:
        self.state = state
        self.send_message = send
        self.recipients = list(recipients)
        self.on_sent = on_sent
        self.scenario = scenario_of(state, scenario)
        self.names = Names(state.view, self.scenario)
        self.me = getattr(state, "my_state", None) or self.names.me or ""
        self.board = board_of(self.scenario)
        self.pending_ref: Any = None
        """The id `send` returned for the ask; the server's answer to it is shown here."""
        self.error_text = ""
        self.sent_command: dict[str, Any] | None = None
        self.fields: dict[str, Any] = {}
        self._labels: dict[str, UILabel] = {}
        self._form: list[Any] = []
        self._kind = ""
        self._about = ""
        self._target: str | None = None
        self._preview = ""
        screen = screen_rect(manager)
        w, h = min(560, screen.width - 16), min(470, screen.height - 16)
        rect = pygame.Rect((screen.width - w) // 2, (screen.height - h) // 2, w, h)
        super().__init__(
            rect,
            manager,
            window_display_title=f"Ask {self.names.states(self.recipients)}",
            object_id=ObjectID("#ask_window", "@draft_window"),
            resizable=False,
        )
        self._build(kind if kind in KINDS else "support")

    # --- building --------------------------------------------------------------------------------

    def _label(
        self,
        rect: pygame.Rect,
        text: str,
        klass: str = "@field_label",
        object_id: str = "#field_label",
        form: bool = True,
    ) -> UILabel:
        label = UILabel(
            rect, text, self.ui_manager, container=self.get_container(), object_id=ObjectID(object_id, klass)
        )
        if form:
            self._form.append(label)
        return label

    def _build(self, kind: str) -> None:
        c = self.get_container()
        w, h = c.get_rect().size
        m = self.ui_manager
        pad = 12
        self.inner_w = w - 2 * pad
        self._label(pygame.Rect(pad, 8, self.inner_w, LABEL_H), "What to ask", form=False)
        self.kind_menu = dropdown(
            m,
            pygame.Rect(pad, 8 + LABEL_H, 300, ROW_H),
            [(title, f"#{k}") for k, title in KINDS.items()],
            container=c,
            object_id="#ask_kind",
            start=kind,
        )
        self.form_top = 8 + LABEL_H + ROW_H + 10
        bottom = h - 42 - 8
        self.preview_top = bottom - 150
        self._label(
            pygame.Rect(pad, self.preview_top, self.inner_w, LABEL_H),
            f"{self.names.states(self.recipients)} will read:",
            form=False,
        )
        self.preview = UITextBox(
            "",
            pygame.Rect(pad, self.preview_top + LABEL_H, self.inner_w, 56),
            m,
            container=c,
            object_id=ObjectID("#ask_preview", "@thread"),
        )
        self.deceptive = UICheckBox(
            pygame.Rect(pad, self.preview_top + LABEL_H + 64, 20, 20),
            "Deceptive (a mark only you see)",
            m,
            container=c,
            object_id=ObjectID("#ask_deceptive", "@check"),
            tool_tip_text="Your private note for the debrief: this ask is not sincere",
        )
        self.error_label = Notice(
            pygame.Rect(pad, self.preview_top + LABEL_H + 90, self.inner_w, 40),
            m,
            container=c,
            object_id="#ask_error",
        )
        self.cancel_button = UIButton(
            pygame.Rect(w - pad - 300, h - 42, 120, 32),
            "Cancel",
            m,
            container=c,
            object_id=ObjectID("#ask_cancel", "@act_button"),
            command=self.kill,
        )
        self.send_button = UIButton(
            pygame.Rect(w - pad - 170, h - 42, 170, 32),
            "Send the ask",
            m,
            container=c,
            object_id=ObjectID("#ask_send", "@primary_button"),
            command=self.submit,
        )
        self._make_form()

    def _make_form(self) -> None:
        """The fields of the chosen kind (built again when the kind changes)."""
        for element in self._form:
            element.kill()
        self._form = []
        self.fields = {}
        self._labels = {}
        kind = chosen(self.kind_menu) or "support"
        self._kind = kind
        getattr(self, f"_form_{kind}")()
        self._show_preview()

    def _menu(
        self,
        name: str,
        row: int,
        label: str,
        options: list[tuple[str, str]],
        *,
        start: str | None = None,
        none_label: str | None = "— choose —",
        x: int = 0,
        w: int | None = None,
    ) -> Any:
        pad = 12
        y = self.form_top + row * (LABEL_H + ROW_H + 6)
        width = w if w is not None else self.inner_w
        self._labels[name] = self._label(pygame.Rect(pad + x, y, width, LABEL_H), label)
        menu = dropdown(
            self.ui_manager,
            pygame.Rect(pad + x, y + LABEL_H, width, ROW_H),
            options,
            container=self.get_container(),
            object_id=f"#ask_{name}",
            start=start,
            none_label=none_label,
        )
        self._form.append(menu)
        self.fields[name] = menu
        return menu

    def _units(self, states: Iterable[str]) -> list[dict[str, Any]]:
        wanted = set(states)
        units = ((self.state.view or {}).get("map") or {}).get("units", [])
        return [dict(u) for u in units if u.get("state") in wanted]

    def _unit_options(self, units: list[dict[str, Any]], mine: bool) -> list[tuple[str, str]]:
        seen: dict[str, str] = {}
        for u in units:
            seen.setdefault(territory_of(str(u.get("location", ""))), unit_label(u, self.names, mine))
        return [(label, f"#{t}") for t, label in seen.items()]

    def _form_support(self) -> None:
        theirs = self._units(self.recipients)
        mine = self._units([self.me])
        self._menu(
            "unit_at",
            0,
            f"{self.names.states(self.recipients)}'s unit that would give support",
            self._unit_options(theirs, False),
        )
        self._menu(
            "target", 1, "to support my unit in", self._unit_options(mine, True), start=self._ordered_unit()
        )
        self._target = chosen(self.fields["target"])
        self._dest_menu()
        self._hint(
            3, "Its answer says whether that support is coming; you can see at resolution if it was true."
        )

    def _ordered_unit(self) -> str | None:
        """The first of my units I have ordered to move: the likeliest one to want support."""
        for order in (self.state.view or {}).get("me", {}).get("orders", []):
            parts = str(order).split()
            if len(parts) >= 4 and parts[2] == "-":
                return territory_of(parts[1])
        return None

    def _drop(self, name: str) -> None:
        """Remove one field (and its label) of the form, to build it again."""
        for element in (self.fields.pop(name, None), self._labels.pop(name, None)):
            if element is not None:
                self._form.remove(element)
                element.kill()

    def _dest_menu(self) -> None:
        """Where my chosen unit may go: built again whenever another unit is chosen."""
        self._drop("dest")
        target = self._target
        places = self._reachable(target) if target else []
        self._menu(
            "dest",
            2,
            "…moving to (or holding where it is)",
            territory_options(self.names, places),
            start=self._ordered_dest(target),
            none_label="(holding)",
        )

    def _reachable(self, target: str) -> list[str]:
        """Where my unit in `target` may move: its neighbours on the board (all places without a board)."""
        unit = next(
            (u for u in self._units([self.me]) if territory_of(str(u.get("location", ""))) == target), None
        )
        if self.board is None or unit is None:
            return [t for t in self.names.territory_ids() if t != target]
        adjacency = self.board.army_adj if unit.get("type") in ("army", "A") else self.board.fleet_adj
        places = [territory_of(n) for n in adjacency.get(str(unit.get("location")), ())]
        unique = list(dict.fromkeys(p for p in places if p != target))
        return sorted(unique, key=lambda t: self.names.territory(t).lower())

    def _ordered_dest(self, target: str | None) -> str | None:
        for order in (self.state.view or {}).get("me", {}).get("orders", []):
            parts = str(order).split()
            if len(parts) >= 4 and parts[2] == "-" and territory_of(parts[1]) == target:
                return territory_of(parts[3])
        return None

    def _about_form(self, label: str) -> None:
        half = (self.inner_w - 10) // 2
        self._menu("about", 0, label, ABOUT, start=self._about or "territory", none_label=None, w=half)
        self._about = chosen(self.fields["about"]) or "territory"
        self._about_target()

    def _about_target(self) -> None:
        half = (self.inner_w - 10) // 2
        self._drop("territory")
        self._drop("state")
        if self._about == "state":
            others = [s for s in self.names.state_ids() if s not in self.recipients]
            self._menu("state", 0, "", state_options(self.names, others), x=half + 10, w=half)
        else:
            self._menu("territory", 0, "", territory_options(self.names), x=half + 10, w=half)

    def _form_intentions(self) -> None:
        self._about_form("Their intentions toward")
        self._hint(2, "“Yes” in their answer means they will move in (or attack) this turn.")

    def _form_warn(self) -> None:
        self._about_form("Warn them off")
        self._hint(2, "“Yes” in their answer means they will comply.")

    def _form_dmz(self) -> None:
        pad = 12
        self._label(
            pygame.Rect(pad, self.form_top, self.inner_w, LABEL_H),
            f"Territories neither side enters (at most {MAX_DMZ})",
        )
        height = max(80, self.preview_top - self.form_top - LABEL_H - 8)
        selection = multi_list(
            self.ui_manager,
            pygame.Rect(pad, self.form_top + LABEL_H, self.inner_w, height),
            territory_options(self.names),
            container=self.get_container(),
            object_id="#ask_territories",
        )
        self._form.append(selection)
        self.fields["territories"] = selection

    def agreements(self) -> list[dict[str, Any]]:
        """Agreements my seat may name in an ask, those with a recipient among the parties first, and
        first of those the ones this kind is about (breached for a complaint, exposed for a demand).

        The rules accept an agreement the seat is in the know of — a party, the intermediary, one
        that learned it by investigation (or from the start) — not merely one whose terms became
        public, so only those are offered: the player is never offered a pick the umpire refuses."""
        view = self.state.view or {}
        discovered = {
            str(e.get("agreement")) for e in self._events() if e.get("kind") == "agreement_discovered"
        }

        def in_the_know(a: Mapping[str, Any]) -> bool:
            if a.get("rumour") or not a.get("id"):
                return False
            if self.me in a.get("parties", []) or a.get("intermediary") == self.me or a["id"] in discovered:
                return True
            return (
                a.get("visibility") == "secret" and a.get("leak_level") != "exposed"
            )  # its terms: only insiders

        known = [a for a in view.get("agreements", []) if in_the_know(a)]

        def rank(a: Mapping[str, Any]) -> tuple[int, int]:
            theirs = 0 if set(a.get("parties", [])) & set(self.recipients) else 1
            if self._kind == "complain":
                fits = 0 if a.get("status") == "breached" else 1
            else:
                fits = 0 if a.get("leak_level") == "exposed" else 1
            return theirs, fits

        return sorted(known, key=rank)

    def _events(self) -> list[Mapping[str, Any]]:
        """Every event my seat has seen: the view's turns, and the live ones since."""
        seen: list[Mapping[str, Any]] = [
            e for t in (self.state.view or {}).get("events", []) for e in t.get("events", [])
        ]
        for entry in getattr(self.state, "news", ()) or ():
            if isinstance(entry.get("event"), Mapping):
                seen.append(entry["event"])
        return seen

    def _agreement_form(self, label: str, hint: str) -> None:
        options = []
        for a in self.agreements():
            title = a.get("title") or "Untitled agreement"
            status = "exposed" if a.get("leak_level") == "exposed" else a.get("status", "")
            options.append(
                (f"{title} ({self.names.states(a.get('parties', []))}; {status})"[:90], f"#{a['id']}")
            )
        if options:
            self._menu("agreement", 0, label, options, none_label=None)
            self._hint(2, hint)
        else:
            self._hint(0, "You know of no agreement to name here.")

    def _form_complain(self) -> None:
        self._agreement_form("The agreement they broke", "Answered in words: there is no yes or no to it.")

    def _form_demand_justification(self) -> None:
        self._agreement_form(
            "The agreement that came out", "They are asked to explain it in public; answered in words."
        )

    def _hint(self, row: int, text: str) -> None:
        y = self.form_top + row * (LABEL_H + ROW_H + 6)
        self._label(pygame.Rect(12, y, self.inner_w, LABEL_H), text, "@panel_hint", "#ask_hint")

    # --- reading ---------------------------------------------------------------------------------

    def ask(self) -> tuple[dict[str, Any] | None, str | None]:
        """(the ask, None) or (None, what is missing in words); checked with the rules' own model."""
        f = self.fields
        k = self._kind
        data: dict[str, Any]
        if k == "support":
            unit_at, target = chosen(f["unit_at"]), chosen(f["target"])
            if unit_at is None:
                return (
                    None,
                    f"Choose which of {self.names.states(self.recipients)}'s units is to give support.",
                )
            if target is None:
                return None, "Choose which of your units it is to support."
            data = {"kind": k, "unit_at": unit_at, "target": target, "dest": chosen(f["dest"])}
        elif k in ("intentions", "warn"):
            about = chosen(f["about"]) or "territory"
            what = chosen(f[about]) if about in f else None
            if what is None:
                return None, f"Choose the {about}."
            data = {"kind": k, about: what}
        elif k == "dmz":
            places = picked(f["territories"])
            if not places:
                return None, "Choose at least one territory for the zone."
            if len(places) > MAX_DMZ:
                return None, f"At most {MAX_DMZ} territories in one zone ({len(places)} chosen)."
            data = {"kind": k, "territories": places}
        else:
            ref = chosen(f["agreement"]) if "agreement" in f else None
            if ref is None:
                return None, "There is no agreement you know of to name."
            data = {"kind": k, "agreement": ref}
        try:
            parse_ask(data)
        except (ValidationError, ValueError) as exc:
            return None, f"This ask is not valid: {exc}"
        return data, None

    def sentence(self) -> str:
        """The exact sentence the thread will read, or "" while the ask is incomplete."""
        data, _ = self.ask()
        return ask_text(data, self.names) if data is not None else ""

    def command(self) -> dict[str, Any] | None:
        data, _ = self.ask()
        if data is None:
            return None
        return {
            "kind": "press",
            "to": list(self.recipients),
            "text": "",
            "ask": data,
            "sincerity": "deceptive" if self.deceptive.is_checked else "sincere",
        }

    def _show_preview(self) -> None:
        data, problem = self.ask()
        if data is not None:
            text = f"“{esc(ask_text(data, self.names))}”"
        else:
            text = f"<font color='#9aa4ad'>{esc(problem or '')}</font>"
        if text != self._preview:
            self._preview = text
            self.preview.set_text(text)

    # --- actions ---------------------------------------------------------------------------------

    def submit(self) -> None:
        """Send the ask, or say what is missing."""
        if self.pending_ref is not None and not self.error_text:
            return  # already sent: waiting for the server's answer
        command = self.command()
        if command is None:
            self.show_error(self.ask()[1] or "The ask is not complete.")
            return
        self.error_text = ""
        self.sent_command = command
        self.error_label.say("")
        self.send_button.disable()
        self.pending_ref = self.send_message({"type": "act", "command": command})
        self._check_reply()

    def show_error(self, text: str) -> None:
        self.error_text = text
        self.error_label.say(text)
        self.send_button.enable()

    def _check_reply(self) -> None:
        if self.pending_ref is None or self.error_text or not self.alive():
            return
        reply = (getattr(self.state, "replies", None) or {}).get(self.pending_ref)
        if reply is None:
            return
        if reply.get("type") == "error":
            self.show_error(refusal_text(reply, self.state))
        elif reply.get("type") == "ack":
            if self.on_sent is not None:
                self.on_sent(self.sent_command, self.sentence())
            self.kill()

    # --- pygame_gui hooks ------------------------------------------------------------------------

    def process_event(self, event: pygame.event.Event) -> bool:
        if (
            event.type == pygame.KEYDOWN
            and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER)
            and event.mod & pygame.KMOD_CTRL
            and self.alive()
        ):
            self.submit()
            return True
        return bool(super().process_event(event))

    def update(self, time_delta: float) -> None:
        super().update(time_delta)
        if not self.alive():
            return
        if (chosen(self.kind_menu) or "support") != self._kind:
            self._make_form()
        if self._kind == "support" and chosen(self.fields["target"]) != self._target:
            self._target = chosen(self.fields["target"])
            self._dest_menu()
        if "about" in self.fields and (chosen(self.fields["about"]) or "territory") != self._about:
            self._about = chosen(self.fields["about"]) or "territory"
            self._about_target()
        self._show_preview()
        self._check_reply()


__all__ = ["KINDS", "AskWindow", "answer_mark", "ask_text", "read_ask", "said"]

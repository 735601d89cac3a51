"""The umpire's "Everything" page: all the game at once, for the one person allowed to see it all.

Four columns side by side: every state's orders as given this phase; every agreement with its
secret parts (annex, who knows it, leak level and this turn's leak chance); every state's
legitimacy, supply, treasury and its trust in each other state; and every message, with its
audience, its author and the sender's sincere/deceptive mark, filtered by state and paged.

Each card's text comes from the umpire's view through a pure function (tested alone), and a
column lays out only the cards whose text changed (game/client/umpire/cards.py): a message
arriving costs one small card, not the whole page.  A section is not even looked at unless
what it reads changed (its `signature`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UILabel

from game.client.panels.agreements import leak_risk
from game.client.panels.names import LEAK_WORDS, STATUS_COLOURS, STATUS_WORDS, Names, esc
from game.client.panels.panel import SidePanel
from game.client.panels.pickers import chosen, dropdown, state_options
from game.client.umpire.cards import CardColumn
from game.client.umpire.table import orders_count

PAGE = 30
"""Messages per page."""
MUTED = "#9aa4ad"
SECRET = "#f0b060"
HEADING = "#e69f00"
Card = tuple[str, str]


def _heading(text: str) -> str:
    return f"<font color='{HEADING}'><b>{esc(text)}</b></font>"


# --- orders --------------------------------------------------------------------------------------------


def order_cards(
    names: Names, given: Mapping[str, Sequence[str]], table: Mapping[str, Any] | None, view: Mapping[str, Any]
) -> list[Card]:
    """A heading, then a card per state: its orders as given this phase, its ready flag."""
    phase = view.get("phase")
    if phase is None:
        return [("head", _heading("Orders") + f"<br><font color='{MUTED}'>No phase is open.</font>")]
    ready = set((table or {}).get("ready") or [])
    seats = (table or {}).get("seats") or {}
    cards = [("head", _heading(f"Orders as given · {str(phase).capitalize()}, turn {view.get('turn')}"))]
    for state in names.state_ids():
        orders = list(given.get(state, ()))
        count = orders_count(table, state, given)
        if not orders and not count and (seats.get(state) or {}).get("player") == "none":
            continue  # nobody plays it: nothing will come
        flag = " <font color='#7fd49a'>✓ ready</font>" if state in ready else ""
        lines = [f"{names.swatch(state)}{flag} <font color='{MUTED}'>{count} given</font>"]
        lines += [esc(order) for order in orders]
        if count > len(orders):
            lines.append(f"<font color='{MUTED}'>(given before this screen connected)</font>")
        cards.append((f"o_{state}", "<br>".join(lines)))
    return cards


# --- agreements ----------------------------------------------------------------------------------------


def _agreement_order(a: Mapping[str, Any]) -> tuple[int, int]:
    status = a.get("status", "")
    rank = 0 if status == "active" else 1 if status == "proposed" else 2
    return (rank, -int(a.get("proposed_turn") or 0))


def leak_chance_of(a: Mapping[str, Any], scenario: Any | None, turn: int) -> float | None:
    """The view's own figure where the server gives one, else the rules' formula on what the card says."""
    given = a.get("leak_chance")
    if isinstance(given, int | float):
        return float(given)
    return leak_risk(dict(a), scenario, turn)


def agreement_cards(names: Names, view: Mapping[str, Any], scenario: Any | None) -> list[Card]:
    """A heading (how many, the secret most at risk), then a card per agreement, those in force first."""
    agreements = sorted(view.get("agreements") or [], key=_agreement_order)
    turn = int(view.get("turn") or 1)
    if not agreements:
        return [("head", _heading("Agreements") + f"<br><font color='{MUTED}'>None yet.</font>")]
    chances = {a["id"]: leak_chance_of(a, scenario, turn) for a in agreements}
    secret = [a for a in agreements if chances.get(a["id"]) is not None]
    head = _heading(f"Agreements · {len(agreements)}")
    if secret:
        top = max(secret, key=lambda a: chances[a["id"]] or 0.0)
        head += (
            f"<br><font color='{MUTED}'>{len(secret)} secret in force; most at risk: "
            f"{esc(top.get('title') or top['id'])} ({chances[top['id']]:.0%} this turn)</font>"
        )
    return [("head", head)] + [
        (f"a_{a['id']}", agreement_card(a, names, chances.get(a["id"]))) for a in agreements
    ]


def agreement_card(a: Mapping[str, Any], names: Names, chance: float | None) -> str:
    """One agreement as the umpire reads it: every clause, the annex marked, who knows, how far it leaked."""
    status = str(a.get("status", ""))
    colour = STATUS_COLOURS.get(status, "#e8e2d4")
    visibility = "secret" if a.get("visibility") == "secret" else "public"
    if a.get("annex"):
        visibility += " with a secret annex"
    through = (
        f" <font color='{MUTED}'>through {esc(names.state(a['intermediary']))}</font>"
        if a.get("intermediary")
        else ""
    )
    lines = [
        f"<b>{esc(a.get('title') or a['id'])}</b> <font color='{colour}'>{esc(STATUS_WORDS.get(status, status))}</font>"
        f" <font color='{MUTED}'>· {visibility}</font>",
        f"{esc(names.states(a.get('parties', [])))}{through}",
    ]
    lines += [f"• {esc(names.clause(c))}" for c in a.get("clauses") or []]
    lines += [f"<font color='{SECRET}'>• annex: {esc(names.clause(c))}</font>" for c in a.get("annex") or []]
    bits = [f"leak: {LEAK_WORDS.get(str(a.get('leak_level', 'none')), str(a.get('leak_level', '')))}"]
    if chance is not None:
        bits.append(f"chance this turn {chance:.0%}")
    if a.get("known_by") is not None and (a.get("visibility") == "secret" or status == "proposed"):
        bits.append(f"known to {names.states(a.get('known_by') or [])}")
    if a.get("annex"):
        bits.append(f"annex known to {names.states(a.get('annex_known_by') or [])}")
    if a.get("breaches"):
        bits.append(f"{len(a['breaches'])} breach(es)")
    lines.append(f"<font color='{MUTED}'>{esc('; '.join(bits))} · {esc(a['id'])}</font>")
    return "<br>".join(lines)


# --- standing and trust ----------------------------------------------------------------------------------


NEUTRAL_TRUST = 50
"""Where trust starts between states the scenario says nothing about."""


def _trust_colour(value: int) -> str:
    return "#ff8a6a" if value < 35 else "#f0e442" if value < 65 else "#7fd49a"


def standing_cards(names: Names, view: Mapping[str, Any], major: Sequence[str] | None = None) -> list[Card]:
    """A card per state: legitimacy, supply, units, treasury, and how far it trusts each other state
    (`major`: the states whose trust is listed for everyone, e.g. the playable ones; others only where
    the figure moved from the start)."""
    treasury = view.get("treasury") or {}
    trust = view.get("trust") or {}
    keep = set(major) if major else None
    cards = [("head", _heading("Legitimacy, supply, treasury, trust"))]
    for s in view.get("states") or []:
        sid = s["id"]
        money = f" · treasury {treasury[sid]}" if sid in treasury else ""
        line = (
            f"{names.swatch(sid)}: legitimacy <b>{s.get('legitimacy')}</b> · supply {s.get('supply')}"
            f" · units {s.get('units')}{money}"
        )
        row = trust.get(sid) or {}
        cells = [
            f"{esc(names.state(other))} <font color='{_trust_colour(int(v))}'>{int(v)}</font>"
            for other, v in sorted(row.items(), key=lambda kv: names.state(kv[0]))
            if other != sid and (keep is None or other in keep or int(v) != NEUTRAL_TRUST)
        ]
        if cells:
            line += f"<br><font color='{MUTED}'>trusts</font> " + ", ".join(cells)
        cards.append((f"s_{sid}", line))
    return cards


# --- messages ------------------------------------------------------------------------------------------


def involves(message: Mapping[str, Any], state: str) -> bool:
    """Whether a message was sent by the state or to it (a public statement is to everyone)."""
    to = message.get("to")
    return message.get("from") == state or to in (None, "all") or (isinstance(to, list) and state in to)


def message_page(view: Mapping[str, Any], who: str | None, page: int) -> tuple[list[dict[str, Any]], int]:
    """The messages of a page, newest first (`who`: only those from or to that state), and how many match."""
    messages = [m for m in view.get("messages") or [] if who is None or involves(m, who)]
    total = len(messages)
    end = total - page * PAGE
    return list(reversed(messages[max(0, end - PAGE) : max(0, end)])), total


def message_card(m: Mapping[str, Any], names: Names) -> str:
    """Sender (and which member wrote it), recipients, turn, the sincerity mark, then the text."""
    to = m.get("to")
    audience = "everyone" if to in (None, "all") else names.states(to if isinstance(to, list) else [to])
    author = f" ({esc(m['author'])})" if m.get("author") else ""
    mark = m.get("sincerity")
    mark_html = ""
    if mark:
        mark_colour = "#ff8a6a" if mark == "deceptive" else "#7fd49a"
        mark_html = f" <font color='{mark_colour}'><i>{esc(mark)}</i></font>"
    return (
        f"{names.swatch(m.get('from', ''))}{author} → {esc(audience)} <font color='{MUTED}'>turn {m.get('turn')}"
        f"</font>{mark_html}<br>{esc(m.get('text', ''))}"
    )


def message_cards(names: Names, view: Mapping[str, Any], who: str | None, page: int) -> list[Card]:
    shown, total = message_page(view, who, page)
    first = page * PAGE + 1
    scope = f"to or from {names.state(who)}" if who else "all states"
    head = _heading(f"Messages · {scope} · {first if total else 0}–{min(total, first + PAGE - 1)} of {total}")
    cards = [("head", head if shown else head + f"<br><font color='{MUTED}'>No message.</font>")]
    return cards + [(f"m_{m.get('id')}", message_card(m, names)) for m in shown]


# --- the page --------------------------------------------------------------------------------------------

SECTIONS = ("orders", "agreements", "standing", "messages")


class EverythingPanel(SidePanel):
    """The whole game on one page: orders, agreements, standing and trust, messages (by state)."""

    object_id = "#everything_panel"

    def _fields(self) -> None:
        self.who: str | None = None
        self.page = 0
        self.columns: dict[str, CardColumn] = {}
        self._signatures: dict[str, object] = {}
        self._states: tuple[str, ...] = ()

    def _layout(self) -> None:
        for column in self.columns.values():
            column.kill()
        c = self.panel.get_container()
        w, h = self.inner.size
        m = self.manager
        pad = 6
        self._signatures = {}
        self._states = tuple(self.names().state_ids())
        left_w = int((w - 3 * pad) * 0.42)
        right_w = w - 3 * pad - left_w
        rx = 2 * pad + left_w
        top = 4
        orders_h = int((h - top - pad) * 0.5)
        agreements_h = int((h - top) * 0.44)
        msg_y = top + agreements_h + pad + 32
        self.columns = {
            "orders": CardColumn(m, pygame.Rect(pad, top, left_w, orders_h), c, "#everything_orders"),
            "standing": CardColumn(
                m,
                pygame.Rect(pad, top + orders_h + pad, left_w, h - top - orders_h - 2 * pad),
                c,
                "#everything_standing",
            ),
            "agreements": CardColumn(
                m, pygame.Rect(rx, top, right_w, agreements_h), c, "#everything_agreements"
            ),
            "messages": CardColumn(
                m, pygame.Rect(rx, msg_y, right_w, h - msg_y - pad), c, "#everything_messages"
            ),
        }
        y = top + agreements_h + pad
        label_w = 82 if right_w >= 440 else 0  # narrow: the filter's own "All states" says what it is
        if label_w:
            UILabel(
                pygame.Rect(rx, y, label_w - 2, 28),
                "Messages",
                m,
                container=c,
                object_id=ObjectID("#field_label", "@field_label"),
            )
        pager_w = 160 if right_w >= 440 else 130
        self.filter_menu = dropdown(
            m,
            pygame.Rect(rx + label_w, y, right_w - label_w - pager_w - pad, 28),
            state_options(self.names()),
            container=c,
            object_id="#message_filter",
            start=self.who,
            none_label="All states",
        )
        self.newer_button = UIButton(
            pygame.Rect(rx + right_w - pager_w, y, pager_w // 2 - 2, 28),
            "◀ Newer",
            m,
            container=c,
            object_id=ObjectID("#newer", "@small_button"),
            command=self.newer,
        )
        self.older_button = UIButton(
            pygame.Rect(rx + right_w - pager_w // 2 + 2, y, pager_w // 2 - 2, 28),
            "Older ▶",
            m,
            container=c,
            object_id=ObjectID("#older", "@small_button"),
            command=self.older,
        )

    # --- what it shows ---------------------------------------------------------------------------

    def signature(self, section: str) -> object:
        """What a section reads, cheaply: when it is unchanged the section is not rebuilt."""
        view = self.view
        state = self.state
        table = state.table or {}
        if section == "orders":
            given = getattr(state, "orders_given", {}) or {}
            return (
                view.get("turn"),
                view.get("phase"),
                tuple(sorted((s, tuple(o)) for s, o in given.items())),
                tuple(table.get("ready") or ()),
                repr(table.get("orders_in")),
                repr(table.get("seats")),
            )
        if section == "agreements":
            return (id(view), view.get("turn"), tuple(id(a) for a in view.get("agreements") or ()))
        if section == "standing":
            return (id(view), id(view.get("states")), repr(view.get("states")))
        messages = view.get("messages") or ()
        marks = sum(1 for m in messages if m.get("sincerity"))
        return (id(view), len(messages), marks, self.who, self.page)

    def cards(self, section: str) -> list[Card]:
        names = self.names()
        view = self.view
        if section == "orders":
            return order_cards(names, getattr(self.state, "orders_given", {}) or {}, self.state.table, view)
        if section == "agreements":
            return agreement_cards(names, view, self.scenario)
        if section == "standing":
            scenario = self.scenario
            major = [s.id for s in scenario.states if s.playable] if scenario is not None else None
            return standing_cards(names, view, major)
        return message_cards(names, view, self.who, self.page)

    def page_text(self) -> str:
        """Everything the page shows now, as its cards' HTML (for tests)."""
        return "\n".join(self.columns[s].text() for s in SECTIONS)

    def _update(self) -> None:
        if tuple(self.names().state_ids()) != self._states:
            self.set_rect(self.rect)  # the states became known (first view): the filter lists them
            return
        for section in SECTIONS:
            signature = self.signature(section)
            if self._signatures.get(section) != signature:
                self._signatures[section] = signature
                self.columns[section].show(self.cards(section))
        _, total = message_page(self.view, self.who, 0)
        self._enable(self.newer_button, self.page > 0)
        self._enable(self.older_button, (self.page + 1) * PAGE < total)

    @staticmethod
    def _enable(button: UIButton, on: bool) -> None:
        if on and not button.is_enabled:
            button.enable()
        elif not on and button.is_enabled:
            button.disable()

    # --- input -----------------------------------------------------------------------------------

    def show_state(self, who: str | None) -> None:
        """Messages to or from one state only (None: all)."""
        self.who = who
        self.page = 0
        self._stale = True
        self.refresh()

    def newer(self) -> None:
        self.page = max(0, self.page - 1)
        self._stale = True
        self.refresh()

    def older(self) -> None:
        self.page += 1
        self._stale = True
        self.refresh()

    def process_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.filter_menu:
            self.show_state(chosen(self.filter_menu))
            return True
        return False

    def kill(self) -> None:
        for column in self.columns.values():
            column.kill()
        super().kill()

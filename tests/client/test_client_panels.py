"""The diplomacy panels, driven headless by real pygame events: clicks at buttons' centres,
typed text, picks in lists and drop-downs.  What the panels send is checked, and then applied
by the server's own game core (`Session`, without sockets), whose reply and events — never a
reloaded view — are what the panels' ClientState learns, as it would from the real server.
Screenshots go to build/screenshots/ (not committed).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import msgpack
import pygame
import pygame_gui
import pytest

from game.client.panels import (
    AgreementDraftWindow,
    AgreementsPanel,
    IntelligencePanel,
    IntelPanel,
    MessagesPanel,
    TurnReportWindow,
)
from game.client.panels.pickers import item_button
from game.client.side_area import SideArea
from game.client.state import ClientState
from game.client.theme import theme_data
from game.rules.board import Board
from game.rules.game import Game
from game.rules.scenario import Scenario
from game.rules.views import view_for
from game.scenario.loader import load_scenario
from server.clock import Clock
from server.seats import Member
from server.session import Session, SessionError
from server.store import GameHeader

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
SIZE = (1280, 760)
SIDE = pygame.Rect(SIZE[0] - 420, 0, 420, SIZE[1])


class Table:
    """The real server's game core (server/session.py, the Sans-I/O `Session`) with a seat per
    state, and the real ClientState of each seat a test looks through, fed exactly the frames the
    server would send that seat: the reply to its own command, then its events (each delta of its
    view among them), and a whole view only when a phase begins.  Nothing reloads the view after
    a command: what a panel shows between phases is what the live events made of it.

    `apply`, `submit` and `resolve` act as the rules' Game does, for any state, through the session."""

    def __init__(self, scenario: Scenario, seed: int = 1914) -> None:
        states = [s.id for s in scenario.states]
        header = GameHeader(
            id="g-test",
            created=0.0,
            scenario_ref="july-1914",
            scenario_text="",
            seed=seed,
            settings={
                "deadline": None,
                "seats": dict.fromkeys(states, "human"),
                "personalities": dict.fromkeys(states, "loyal"),
                "codes": {"states": {}, "observer": "O", "umpire": "U"},
            },
            status="lobby",
            clock=Clock(None).to_json(),
        )
        self.session = Session(header, scenario, Board.from_scenario(scenario))
        self.members = {s: Member(f"m-{s}", "g-test", "player", s, s.encode()) for s in states}
        self.umpire = Member("m-umpire", "g-test", "umpire", None, b"u")
        for member in [self.umpire, *self.members.values()]:
            self.session.join(member)
        self.session.start(self.umpire, "start", fill_bots=False, now=0.0)
        self.clients: dict[str, ClientState] = {}
        self._ids = itertools.count(1)

    @property
    def game(self) -> Game:
        return self.session.game

    def client(self, state: str) -> ClientState:
        """The ClientState of a seat of `state`, from the view the server sends on joining."""
        client = ClientState()
        client.apply(self.session.view_message(self.members[state]))
        self.clients[state] = client
        return client

    def act(self, state: str, command: dict[str, Any], ref: str | None = None) -> dict[str, Any]:
        """One `act` from a seat of `state`: its reply (to that seat, as the link delivers it) and events."""
        ref = ref or f"t{next(self._ids)}"
        member = self.members[state]
        try:
            step = self.session.act(member, ref, command)
        except SessionError as exc:
            reply = self.session.refuse(member, ref, exc)
            if state in self.clients:
                self.clients[state].apply(reply)
            return reply
        assert step.reply is not None
        if state in self.clients:
            self.clients[state].apply(step.reply)
        self.deliver(step)
        return step.reply

    def deliver(self, step: Any) -> None:
        for viewer, v, packed in step.events:
            if viewer in self.clients:
                self.clients[viewer].apply(
                    {"type": "event", "game": "g-test", "v": v, "event": msgpack.unpackb(packed)}
                )
        if step.new_phase:
            for state, client in self.clients.items():
                client.apply(self.session.view_message(self.members[state]))

    # --- the rules' Game API, through the session -------------------------------------------------

    def apply(self, command: dict[str, Any]) -> dict[str, Any]:
        reply = self.act(command["state"], {k: v for k, v in command.items() if k != "state"})
        assert reply["type"] == "ack", reply
        return reply

    def submit(self, state: str, orders: list[str]) -> None:
        self.apply(
            {
                "kind": "orders",
                "state": state,
                "turn": self.game.turn,
                "phase": self.game.phase,
                "orders": orders,
            }
        )

    def resolve(self) -> None:
        self.deliver(self.session.advance(0.0, "umpire"))


class Umpire:
    """The `send` the panels get: records each message and hands its command to the table, as the link would."""

    def __init__(self, table: Table, me: str) -> None:
        self.table = table
        self.me = me
        self.sent: list[dict[str, Any]] = []

    def __call__(self, message: dict[str, Any]) -> str:
        self.sent.append(message)
        ref = f"c{len(self.sent)}"
        if message.get("type") == "act":
            self.table.act(self.me, message["command"], ref)
        return ref

    @property
    def commands(self) -> list[dict[str, Any]]:
        return [m["command"] for m in self.sent if m.get("type") == "act"]


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "july-1914.yaml")


@pytest.fixture()
def ui() -> tuple[pygame.Surface, pygame_gui.UIManager]:
    pygame.init()
    screen = pygame.display.set_mode(SIZE)
    manager = pygame_gui.UIManager(SIZE, theme_data())
    yield screen, manager
    pygame.event.clear()


def pump(manager: pygame_gui.UIManager, *panels: Any, rounds: int = 4) -> None:
    """Run the app's loop a few frames: events to the manager and the panels, then update."""
    for _ in range(rounds):
        for event in pygame.event.get():
            manager.process_events(event)
            for panel in panels:
                panel.process_event(event)
        manager.update(1 / 60)
        for panel in panels:
            panel.refresh()


def click(manager: pygame_gui.UIManager, element: Any, *panels: Any) -> None:
    """A real left click at the centre of an element."""
    assert element is not None and element.alive(), "nothing to click"
    pos = element.rect.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, {"pos": pos, "button": 1}))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, {"pos": pos, "button": 1}))
    pump(manager, *panels)


def type_text(manager: pygame_gui.UIManager, entry: Any, text: str, *panels: Any) -> None:
    click(manager, entry, *panels)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, {"text": text}))
    pump(manager, *panels)


def pick(manager: pygame_gui.UIManager, menu: Any, ident: str, *panels: Any) -> None:
    """Open a drop-down with a click and click the option whose id is `ident`."""
    if menu.selected_option[1] == f"#{ident}":
        return  # clicking the chosen option again would only drop it and leave the menu open
    click(manager, menu.current_state.selected_option_button, *panels)
    options = menu.current_state.options_selection_list
    assert options is not None, "the drop-down did not open"
    button = item_button(options, ident)
    assert button is not None, f"{ident} is not in sight in the drop-down"
    click(manager, button, *panels)
    assert menu.selected_option[1] == f"#{ident}"


def choose(manager: pygame_gui.UIManager, selection: Any, ident: str, *panels: Any) -> None:
    click(manager, item_button(selection, ident), *panels)


def screenshot(screen: pygame.Surface, manager: pygame_gui.UIManager, name: str) -> Path:
    manager.update(1 / 60)
    screen.fill((46, 58, 70))
    manager.draw_ui(screen)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    pygame.image.save(screen, str(path))
    return path


def setup(scenario: Scenario, me: str = "fra") -> tuple[Table, ClientState, Umpire]:
    table = Table(scenario)
    state = table.client(me)
    return table, state, Umpire(table, me)


# --- messages ----------------------------------------------------------------------------------


def test_private_press_with_a_deceptive_mark(ui: Any, scenario: Scenario) -> None:
    screen, manager = ui
    game, state, umpire = setup(scenario)
    game.apply({"kind": "press", "state": "ger", "to": ["fra"], "text": "Shall we talk about <Belgium>?"})
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.contact_buttons["ger"], panel)
    assert panel.selected == {"ger"}
    assert (
        "Shall we talk about &lt;Belgium&gt;?" in panel._thread_html
    )  # escaped: a player's text is no markup
    type_text(manager, panel.text_entry, "Only if Belgium stays out of it.", panel)
    click(manager, panel.deceptive, panel)
    click(manager, panel.send_button, panel)
    assert umpire.sent == [
        {
            "type": "act",
            "command": {
                "kind": "press",
                "to": ["ger"],
                "text": "Only if Belgium stays out of it.",
                "sincerity": "deceptive",
            },
        }
    ]
    assert panel.text_entry.get_text() == ""
    assert "Only if Belgium stays out of it." in panel._thread_html
    assert "you marked it deceptive" in panel._thread_html
    screenshot(screen, manager, "messages_panel.png")


def test_public_statement_when_nobody_is_chosen(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.contact_buttons["gbr"], panel)
    click(manager, panel.public_button, panel)
    type_text(manager, panel.text_entry, "France wants only peace.", panel)
    click(manager, panel.send_button, panel)
    assert umpire.commands == [
        {"kind": "press", "to": [], "text": "France wants only peace.", "sincerity": "sincere"}
    ]
    assert state.view["messages"][-1]["to"] == "all"


def test_an_empty_message_is_not_sent(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.send_button, panel)
    assert umpire.sent == []
    assert "Write something" in panel.status.text


def test_contacts_show_my_trust_and_a_thread_holds_only_its_members(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    game, state, umpire = setup(scenario)
    game.apply({"kind": "press", "state": "fra", "to": ["gbr", "rus"], "text": "Three of us"})
    game.apply({"kind": "press", "state": "fra", "to": ["gbr"], "text": "Just us two"})
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    assert set(panel.contact_buttons) == {s.id for s in scenario.states} - {"fra"}
    click(manager, panel.contact_buttons["gbr"], panel)
    assert [m["text"] for m in panel.thread_messages()] == ["Just us two"]
    click(manager, panel.contact_buttons["rus"], panel)
    assert [m["text"] for m in panel.thread_messages()] == ["Three of us"]


def test_unread_messages_show_on_the_contact_until_the_thread_is_opened(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    game, state, umpire = setup(scenario)
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    game.apply({"kind": "press", "state": "rus", "to": ["fra"], "text": "Mobilise?"})
    pump(manager, panel)
    assert panel.unread("rus") == 1 and "1 new" in panel.contact_buttons["rus"].text
    click(manager, panel.contact_buttons["rus"], panel)
    assert panel.unread("rus") == 0 and panel.contact_buttons["rus"].text == "Russia"


def test_a_group_thread_is_found_in_the_conversations_menu(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    game, state, umpire = setup(scenario)
    game.apply({"kind": "press", "state": "ger", "to": ["fra", "aus"], "text": "A word among three"})
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    assert panel.threads() == [frozenset({"ger", "aus"})]
    assert "1 new" in panel.threads_menu.selected_option[0] or "(1)" in panel.threads_menu.selected_option[0]
    pick(manager, panel.threads_menu, "thread_0", panel)
    assert panel.selected == {"ger", "aus"}
    assert [m["text"] for m in panel.thread_messages()] == ["A word among three"]
    type_text(manager, panel.text_entry, "Agreed.", panel)
    click(manager, panel.send_button, panel)
    assert umpire.commands[-1]["to"] == ["ger", "aus"]


def test_typed_text_survives_a_resize(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    type_text(manager, panel.text_entry, "Half a thought", panel)
    click(manager, panel.deceptive, panel)
    panel.set_rect(pygame.Rect(SIZE[0] - 360, 0, 360, 700))
    assert panel.text_entry.get_text() == "Half a thought" and panel.deceptive.is_checked


# --- asks and answers --------------------------------------------------------------------------------


TREATY_OF_LONDON = "Treaty of London (1839), guarantee of Belgian neutrality"


def agreement_id(state: ClientState, title: str) -> str:
    return str(next(a["id"] for a in state.view["agreements"] if a.get("title") == title))


def open_ask(manager: pygame_gui.UIManager, panel: MessagesPanel, to: str = "ger") -> Any:
    if panel.selected != {to}:
        click(manager, panel.contact_buttons[to], panel)
    click(manager, panel.ask_button, panel)
    window = panel.ask_window
    assert window is not None and window.alive()
    return window


def compose_support(manager: pygame_gui.UIManager, window: Any, panel: Any) -> None:
    pick(manager, window.fields["unit_at"], "ruh", panel)
    pick(manager, window.fields["target"], "bur", panel)
    pick(manager, window.fields["dest"], "bel", panel)


def compose_support_to_hold(manager: pygame_gui.UIManager, window: Any, panel: Any) -> None:
    pick(manager, window.fields["unit_at"], "als", panel)
    pick(manager, window.fields["target"], "bur", panel)
    pick(manager, window.fields["dest"], "none", panel)


def compose_intentions_territory(manager: pygame_gui.UIManager, window: Any, panel: Any) -> None:
    pick(manager, window.fields["territory"], "als", panel)


def compose_intentions_state(manager: pygame_gui.UIManager, window: Any, panel: Any) -> None:
    pick(manager, window.fields["about"], "state", panel)
    pick(manager, window.fields["state"], "rus", panel)


def compose_dmz(manager: pygame_gui.UIManager, window: Any, panel: Any) -> None:
    choose(manager, window.fields["territories"], "als", panel)
    choose(manager, window.fields["territories"], "alb", panel)


def compose_warn(manager: pygame_gui.UIManager, window: Any, panel: Any) -> None:
    pick(manager, window.fields["about"], "state", panel)
    pick(manager, window.fields["state"], "srb", panel)


def compose_agreement(manager: pygame_gui.UIManager, window: Any, panel: Any) -> None:
    pick(manager, window.fields["agreement"], agreement_id(panel.state, TREATY_OF_LONDON), panel)


ASK_CASES = [
    (
        "support",
        compose_support,
        {"kind": "support", "unit_at": "ruh", "target": "bur", "dest": "bel"},
        "Will your unit in Ruhr support the move from Burgundy to Belgium this turn?",
    ),
    (
        "support",
        compose_support_to_hold,
        {"kind": "support", "unit_at": "als", "target": "bur", "dest": None},
        "Will your unit in Alsace-Lorraine support the unit in Burgundy to hold this turn?",
    ),
    (
        "intentions",
        compose_intentions_territory,
        {"kind": "intentions", "territory": "als"},
        "What are your intentions toward Alsace-Lorraine? Will you move into it this turn?",
    ),
    (
        "intentions",
        compose_intentions_state,
        {"kind": "intentions", "state": "rus"},
        "What are your intentions toward Russia? Will you attack it this turn?",
    ),
    (
        "dmz",
        compose_dmz,
        {"kind": "dmz", "territories": ["alb", "als"]},
        "Shall we both keep our units out of Albania, Alsace-Lorraine?",
    ),
    ("warn", compose_warn, {"kind": "warn", "state": "srb"}, "A warning: leave Serbia alone."),
    (
        "complain",
        compose_agreement,
        {"kind": "complain", "agreement": TREATY_OF_LONDON},
        "You have broken our agreement. What do you have to say?",
    ),
    (
        "demand_justification",
        compose_agreement,
        {"kind": "demand_justification", "agreement": TREATY_OF_LONDON},
        "That agreement is out in the open now. Explain yourself, in public.",
    ),
]


@pytest.mark.parametrize(
    ("kind", "compose", "ask", "sentence"), ASK_CASES, ids=[f"{c[0]}-{c[1].__name__}" for c in ASK_CASES]
)
def test_compose_an_ask_with_pickers_see_its_sentence_and_send_it(
    ui: Any, scenario: Scenario, kind: str, compose: Any, ask: dict[str, Any], sentence: str
) -> None:
    screen, manager = ui
    _, state, umpire = setup(scenario)
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    window = open_ask(manager, panel)
    pick(manager, window.kind_menu, kind, panel)
    compose(manager, window, panel)
    pump(manager, panel)
    if ask.get("agreement") == TREATY_OF_LONDON:
        ask = {**ask, "agreement": agreement_id(state, TREATY_OF_LONDON)}
    assert window.sentence() == sentence
    assert window.preview.html_text == f"“{sentence}”", "the exact sentence, before it is sent"
    if kind == "support" and ask["dest"]:
        screenshot(screen, manager, "ask_window.png")
    click(manager, window.send_button, panel)
    assert umpire.commands == [
        {"kind": "press", "to": ["ger"], "text": "", "ask": ask, "sincerity": "sincere"}
    ]
    assert not window.alive(), "the umpire's ack closes the window"
    sent = state.view["messages"][-1]
    assert sent["text"] == sentence, "the rules wrote the same sentence"
    assert sentence in panel._thread_html.replace("&#x27;", "'")
    assert "awaiting an answer" in panel._thread_html
    assert panel.status.text == "Asked Germany."


def test_the_pickers_offer_only_what_exists(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    window = open_ask(manager, panel)

    def ids(menu: Any) -> list[str]:
        return [o[1][1:] for o in menu.options_list if o[1] != "#none"]

    assert sorted(ids(window.fields["unit_at"])) == ["als", "ber", "kie", "pru", "ruh"], (
        "Germany's units only"
    )
    assert sorted(ids(window.fields["target"])) == ["bre", "bur", "mar", "par"], "mine only"
    pick(manager, window.fields["target"], "par", panel)
    assert sorted(ids(window.fields["dest"])) == ["bel", "bre", "bur", "gas", "pic"], (
        "where Paris's army can go"
    )
    pick(manager, window.kind_menu, "intentions", panel)
    pick(manager, window.fields["about"], "state", panel)
    assert "ger" not in ids(window.fields["state"]) and "rus" in ids(window.fields["state"])
    pick(manager, window.kind_menu, "complain", panel)
    offered = ids(window.fields["agreement"])
    assert offered[0] == agreement_id(state, TREATY_OF_LONDON), "Germany is a party to it: first"
    # The Triple Alliance is public, but France is not in it: the umpire would not take an ask about it.
    assert agreement_id(state, "The Triple Alliance") not in offered
    click(manager, window.cancel_button, panel)
    assert not window.alive() and umpire.sent == []
    click(manager, panel.public_button, panel)
    assert not panel.ask_button.is_enabled, "an ask goes to the states of a thread"


def test_an_incomplete_ask_says_what_is_missing_and_sends_nothing(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    window = open_ask(manager, panel)
    pick(manager, window.kind_menu, "warn", panel)
    assert "Choose the territory" in window.preview.html_text
    click(manager, window.send_button, panel)
    assert umpire.sent == [] and window.error_label.text == "Choose the territory."


def test_a_refused_ask_shows_the_reason_whole(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, _ = setup(scenario)
    sent: list[dict[str, Any]] = []

    def send(message: dict[str, Any]) -> str:
        sent.append(message)
        return "c91"

    panel = MessagesPanel(manager, SIDE, state, send, scenario=scenario)
    window = open_ask(manager, panel)
    pick(manager, window.kind_menu, "intentions", panel)
    pick(manager, window.fields["territory"], "als", panel)
    click(manager, window.send_button, panel)
    assert len(sent) == 1 and window.pending_ref == "c91" and not window.send_button.is_enabled
    reason = "there is no territory 'als' on this map"
    state.apply({"type": "error", "code": "unknown_territory", "message": reason, "ref": "c91"})
    pump(manager, panel)
    assert window.alive() and window.error_label.text == f"No such place — {reason}."
    assert window.send_button.is_enabled


def germany_asks(table: Table, ask: dict[str, Any], text: str = "") -> str:
    reply = table.apply({"kind": "press", "state": "ger", "to": ["fra"], "ask": ask, "text": text})
    return str(reply["result"]["message"])


def test_answer_a_received_ask_with_yes_and_see_it_threaded(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    table, state, umpire = setup(scenario)
    asked = germany_asks(table, {"kind": "intentions", "territory": "bel"})
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.contact_buttons["ger"], panel)
    assert panel.reply_to is not None and panel.reply_to["id"] == asked
    assert "asked about intentions" in panel._thread_html
    click(manager, panel.yes_button, panel)
    assert umpire.commands == [
        {
            "kind": "press",
            "to": ["ger"],
            "text": "",
            "answer": {"to": asked, "yes": True},
            "sincerity": "sincere",
        }
    ]
    html = panel._thread_html
    assert "↳ re: “What are your intentions toward Belgium? Will you move into it this turn?”" in html
    assert "✓ Yes" in html and "I mean to move into Belgium this turn." in html
    assert html.index("What are your intentions") < html.index("✓ Yes"), "the answer under its ask"
    assert panel.reply_to is None and panel.reply_bar is None, "answered: the bar goes"


def test_answer_no_with_my_own_words_and_the_deceptive_mark(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    table, state, umpire = setup(scenario)
    asked = germany_asks(table, {"kind": "support", "unit_at": "bur", "target": "als", "dest": None})
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.contact_buttons["ger"], panel)
    type_text(manager, panel.text_entry, "Burgundy? We would never.", panel)
    click(manager, panel.deceptive, panel)
    click(manager, panel.no_button, panel)
    assert umpire.commands == [
        {
            "kind": "press",
            "to": ["ger"],
            "text": "Burgundy? We would never.",
            "answer": {"to": asked, "yes": False},
            "sincerity": "deceptive",
        }
    ]
    assert "✗ No" in panel._thread_html and "you marked it deceptive" in panel._thread_html
    assert panel.text_entry.get_text() == ""


def test_a_complaint_is_answered_in_words(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    table, state, umpire = setup(scenario)
    treaty = agreement_id(state, TREATY_OF_LONDON)
    asked = germany_asks(table, {"kind": "complain", "agreement": treaty})
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.contact_buttons["ger"], panel)
    assert panel.yes_button is None and panel.no_button is None, "no yes or no to a complaint"
    type_text(manager, panel.text_entry, "Necessity knows no law.", panel)
    click(manager, panel.reply_button, panel)
    assert umpire.commands == [
        {
            "kind": "press",
            "to": ["ger"],
            "text": "Necessity knows no law.",
            "answer": {"to": asked, "yes": None},
            "sincerity": "sincere",
        }
    ]
    assert "↳ re: “You have broken our agreement. What do you have to say?”" in panel._thread_html
    assert "<b><font color='#9aa4ad'>—</font></b>  Necessity knows no law." in panel._thread_html


def test_later_puts_an_ask_aside_and_free_text_still_sends_plainly(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    table, state, umpire = setup(scenario)
    first = germany_asks(table, {"kind": "warn", "territory": "bel"})
    second = germany_asks(table, {"kind": "dmz", "territories": ["bur"]})
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.contact_buttons["ger"], panel)
    assert panel.reply_to["id"] == second and len(panel.pending_asks()) == 2
    click(manager, panel.skip_button, panel)
    assert panel.reply_to["id"] == first
    type_text(manager, panel.text_entry, "Let us talk first.", panel)
    pygame.event.post(
        pygame.event.Event(
            pygame.KEYDOWN, {"key": pygame.K_RETURN, "mod": pygame.KMOD_CTRL, "unicode": "\r", "scancode": 40}
        )
    )
    pump(manager, panel)
    assert umpire.commands == [
        {"kind": "press", "to": ["ger"], "text": "Let us talk first.", "sincerity": "sincere"}
    ]
    assert panel.reply_to["id"] == first, "words alone answer nothing"


def test_a_refused_answer_shows_the_reason_whole(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    # An ask the server never sent to France (say, from a stale picture): the umpire refuses the answer.
    state.view["messages"].append(
        {
            "id": "msg-00000042",
            "turn": 1,
            "from": "ger",
            "to": ["fra"],
            "text": "Will you move into Belgium?",
            "ask": {"kind": "intentions", "territory": "bel"},
        }
    )
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.contact_buttons["ger"], panel)
    click(manager, panel.yes_button, panel)
    reply = state.replies["c1"]
    assert reply["type"] == "error" and reply["code"] == "unknown_message"
    # The reason whole, in words: no message id, no state id.
    assert panel.status.text == "No such message — no such message to France to answer."
    assert panel.status.colour == "#ff9c7a"
    assert panel.reply_to is not None and panel.reply_to["id"] == "msg-00000042", "still to be answered"


def test_the_talk_panel_with_a_threaded_ask_and_answer(scenario: Scenario) -> None:
    """At the default window size (1280x800), the Talk tab's panel as the game screen sizes it."""
    from game.client.game_screen import side_width
    from game.client.side_area import TAB_H
    from game.client.status_bar import HEIGHT as STATUS_H

    pygame.init()
    size = (1280, 800)
    screen = pygame.display.set_mode(size)
    manager = pygame_gui.UIManager(size, theme_data())
    table, state, umpire = setup(scenario)
    side = side_width(size[0])
    rect = pygame.Rect(size[0] - side, TAB_H, side - 2, size[1] - STATUS_H - TAB_H - 2)
    panel = MessagesPanel(manager, rect, state, umpire, scenario=scenario)
    click(manager, panel.contact_buttons["ger"], panel)
    type_text(manager, panel.text_entry, "Berlin, let us keep Belgium out of this.", panel)
    click(manager, panel.send_button, panel)
    window = open_ask(manager, panel)
    compose_support(manager, window, panel)
    click(manager, window.send_button, panel)
    (asked,) = [m["id"] for m in state.view["messages"] if m["text"].startswith("Will your unit")]
    table.apply(
        {
            "kind": "press",
            "state": "ger",
            "to": ["fra"],
            "answer": {"to": asked, "yes": False},
            "text": "Not while your army sits in Burgundy.",
        }
    )
    germany_asks(table, {"kind": "intentions", "territory": "bel"})
    pump(manager, panel)
    html = panel._thread_html
    assert "asked for support" in html and "awaiting an answer" not in html
    assert "↳ re: “Will your unit in Ruhr support the move from Burgundy to Belgium this turn?”" in html
    assert "✗ No" in html and panel.reply_to is not None
    for element in panel.panel.get_container().elements:
        assert rect.contains(element.rect), f"{element.object_ids} spills out of the panel"
    path = screenshot(screen, manager, "talk_panel.png")
    docs = ROOT / "docs" / "client-talk.png"
    docs.write_bytes(path.read_bytes())


def test_team_members_names_show_beside_their_messages_and_orders(ui: Any, scenario: Scenario) -> None:
    """Several students on one state: the name each joined with shows beside their messages (from
    the view and from `message` events) and beside the orders they gave (`orders_submitted`)."""
    from game.client.order_box import OrderBox

    screen, manager = ui
    table = Table(scenario)
    ann, bea = (Member(f"m-fra-{n}", "g-test", "player", "fra", n.encode()) for n in ("ann", "bea"))
    otto = Member("m-ger-otto", "g-test", "player", "ger", b"otto")
    for member, name in ((ann, "Ann"), (bea, "Bea"), (otto, "Otto")):
        table.session.join(member, name=name)
    table.members.update(fra=bea, ger=otto)
    table.apply({"kind": "press", "state": "fra", "to": ["ger"], "text": "Bea here: Belgium stays neutral."})
    table.members["fra"] = ann
    state = table.client("fra")  # Ann's seat: Bea's message comes in the view
    umpire = Umpire(table, "fra")
    table.apply({"kind": "press", "state": "ger", "to": ["fra"], "text": "Otto agrees."})  # an event
    panel = MessagesPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.contact_buttons["ger"], panel)
    type_text(manager, panel.text_entry, "Ann too.", panel)
    click(manager, panel.send_button, panel)
    html = panel._thread_html
    assert (
        "France · Bea</b>" in html and "Germany · Otto</b>" in html
    )  # a teammate's, from the view; an event's
    assert "<b>You</b>" in html and "Ann" not in html.replace("Ann too.", "")  # my own: "You"
    box = OrderBox(
        manager, pygame.Rect(0, 0, 420, 400), umpire, state=state, board=Board.from_scenario(scenario)
    )
    box.sync()  # the game screen calls it every frame
    assert box.given_by() is None and box.count_label.text == "0 orders given · movement"
    assert box.add("A par H"), box.error
    box.sync()
    assert box.given_by() == "Ann" and box.count_label.text == "1 order given by Ann · movement"
    table.members["fra"] = bea  # a teammate's list replaces Ann's: now it is Bea's
    table.submit("fra", ["A par H", "A bur H"])
    box.sync()
    assert box.orders == ["A par H", "A bur H"] and box.count_label.text == "2 orders given by Bea · movement"
    screenshot(screen, manager, "team_names.png")


# --- drafting ----------------------------------------------------------------------------------


def test_secret_proposal_with_a_cession_picked_by_mouse(ui: Any, scenario: Scenario) -> None:
    screen, manager = ui
    _game, state, umpire = setup(scenario)
    panel = AgreementsPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.new_agreement_button, panel)
    draft = panel.draft_window
    assert isinstance(draft, AgreementDraftWindow) and draft.alive()
    type_text(manager, draft.title_entry, "Channel understanding", panel)
    choose(manager, draft.parties_list, "gbr", panel)
    click(manager, draft.add_button, panel)  # a non-aggression between all the parties
    pick(manager, draft.kind_menu, "cession", panel)
    assert draft.form is not None and draft.form.kind == "cession"
    territory = draft.form.fields["territory"]
    first = territory.item_list[0]["object_id"][1:]
    choose(manager, territory, first, panel)
    click(manager, draft.add_button, panel)
    assert [c["kind"] for c, _ in draft.clauses] == ["non_aggression", "cession"]
    screenshot(screen, manager, "draft_window.png")
    click(manager, draft.send_button, panel)
    assert umpire.commands == [
        {
            "kind": "propose",
            "title": "Channel understanding",
            "visibility": "secret",
            "clauses": [
                {"kind": "non_aggression", "between": []},
                {"kind": "cession", "territory": first, "to": "fra", "by_turn": 2},
            ],
            "annex": [],
            "duration": None,
            "parties": ["fra", "gbr"],
            "intermediary": None,
        }
    ]
    proposed = [a for a in state.view["agreements"] if a.get("title") == "Channel understanding"]
    assert proposed and proposed[0]["status"] == "proposed"
    pump(manager, panel)
    assert not draft.alive()  # the umpire's ack closes the window


def test_public_agreement_with_a_secret_annex(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _game, state, umpire = setup(scenario)
    draft = AgreementDraftWindow(manager, state, umpire, parties=["rus"], scenario=scenario)
    pick(manager, draft.visibility_menu, "annex")
    pick(manager, draft.duration_menu, "4")
    pick(manager, draft.against_menu, "ger")
    click(manager, draft.add_button)
    pick(manager, draft.kind_menu, "free_text")
    type_text(manager, draft.form.fields["text"], "Each mobilises if the other is attacked.")
    click(manager, draft.annex_check)
    assert draft.annex_check.is_checked
    click(manager, draft.add_button)
    assert [annex for _, annex in draft.clauses] == [False, True]
    click(manager, draft.send_button)
    (command,) = umpire.commands
    assert command["visibility"] == "public"
    assert command["clauses"] == [{"kind": "non_aggression", "between": [], "against": ["ger"]}]
    assert command["annex"] == [
        {"kind": "free_text", "text": "Each mobilises if the other is attacked.", "against": ["ger"]}
    ]
    assert command["duration"] == 4 and command["parties"] == ["fra", "rus"]
    assert command["title"] == "Non-aggression: France and Russia"  # none typed: named after its first clause


def test_every_clause_kind_has_a_form_that_reads_back(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    draft = AgreementDraftWindow(manager, state, umpire, parties=["gbr"], scenario=scenario)
    from game.rules.clauses import CLAUSE_KINDS

    for kind in CLAUSE_KINDS:
        pick(manager, draft.kind_menu, kind)
        assert draft.form is not None and draft.form.kind == kind
    # the tribute's defaults make a whole clause; a demilitarised zone needs a territory first
    pick(manager, draft.kind_menu, "tribute")
    clause, problem = draft.form.value()
    assert problem is None and clause["kind"] == "tribute" and clause["payee"] == "fra"
    pick(manager, draft.kind_menu, "demilitarised_zone")
    clause, problem = draft.form.value()
    assert clause is None and "territory" in problem
    click(manager, draft.add_button)
    assert "territory" in draft.error_label.text and draft.clauses == []


def test_the_draft_refuses_an_empty_clause_list_and_sends_nothing(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    draft = AgreementDraftWindow(manager, state, umpire, parties=["ger"], scenario=scenario)
    click(manager, draft.send_button)
    assert umpire.sent == []
    assert "at least one clause" in draft.error_label.text
    assert draft.alive()


def test_the_draft_refuses_a_lone_party(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    draft = AgreementDraftWindow(manager, state, umpire, scenario=scenario)
    click(manager, draft.add_button)
    click(manager, draft.send_button)
    assert umpire.sent == [] and "other party" in draft.error_label.text


def test_the_servers_refusal_shows_in_the_window(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, _ = setup(scenario)
    sent: list[dict[str, Any]] = []

    def send(message: dict[str, Any]) -> str:
        sent.append(message)
        return "c77"

    draft = AgreementDraftWindow(manager, state, send, parties=["ger"], scenario=scenario)
    click(manager, draft.add_button)
    click(manager, draft.send_button)
    assert len(sent) == 1 and draft.pending_ref == "c77"
    reason = "an agreement needs at least two parties, and Germany may not be bound without its own signature"
    state.apply({"type": "error", "code": "bad_terms", "message": reason, "ref": "c77"})
    pump(manager)
    assert draft.error_label.text == f"Terms refused — {reason}."  # whole, and no code shown raw
    assert draft.error_label.lines() >= 2, "wrapped to the window, not cut at its edge"
    draft.show_error("rejected: try again")
    assert draft.error_label.text == "rejected: try again"
    assert draft.send_button.is_enabled


# --- the inbox -----------------------------------------------------------------------------------


def proposal_from_germany(game: Table, title: str = "Belgian understanding") -> str:
    reply = game.apply(
        {
            "kind": "propose",
            "state": "ger",
            "parties": ["ger", "fra"],
            "visibility": "secret",
            "title": title,
            "clauses": [{"kind": "non_aggression"}, {"kind": "free_text", "text": "France ignores Belgium."}],
            "duration": 4,
        }
    )
    return str(reply["result"]["agreement"])


def test_sign_a_proposal_from_the_inbox(ui: Any, scenario: Scenario) -> None:
    screen, manager = ui
    game, state, umpire = setup(scenario)
    ref = proposal_from_germany(game)
    panel = AgreementsPanel(manager, SIDE, state, umpire, scenario=scenario)
    assert [a["id"] for a in panel.sections()[0][1]] == [ref]
    screenshot(screen, manager, "agreements_panel.png")
    click(manager, panel.action_buttons[(ref, "sign")], panel)
    assert umpire.commands == [{"kind": "sign", "agreement": ref}]
    signed = next(a for a in state.view["agreements"] if a["id"] == ref)
    assert signed["status"] == "active"
    assert (ref, "sign") not in panel.action_buttons and (ref, "renounce") in panel.action_buttons


def test_reject_a_proposal(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    game, state, umpire = setup(scenario)
    ref = proposal_from_germany(game)
    panel = AgreementsPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.action_buttons[(ref, "reject")], panel)
    assert umpire.commands == [{"kind": "reject", "agreement": ref}]
    assert next(a for a in state.view["agreements"] if a["id"] == ref)["status"] == "rejected"


def test_counter_a_proposal_from_its_own_clauses(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    game, state, umpire = setup(scenario)
    ref = proposal_from_germany(game)
    panel = AgreementsPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.action_buttons[(ref, "counter")], panel)
    draft = panel.draft_window
    assert draft is not None and draft.counter_of == ref
    assert [c["kind"] for c, _ in draft.clauses] == ["non_aggression", "free_text"]
    click(manager, draft.remove_buttons[1], panel)  # France will not ignore Belgium
    click(manager, draft.send_button, panel)
    (command,) = umpire.commands
    assert command["kind"] == "counter" and command["agreement"] == ref
    assert command["clauses"] == [{"against": [], "kind": "non_aggression", "between": []}]
    assert "parties" not in command and "intermediary" not in command
    assert next(a for a in state.view["agreements"] if a["id"] == ref)["status"] == "superseded"


def test_declare_a_free_text_clause_broken(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    game, state, umpire = setup(scenario)
    ref = proposal_from_germany(game)
    game.apply({"kind": "sign", "state": "fra", "agreement": ref})
    panel = AgreementsPanel(manager, SIDE, state, umpire, scenario=scenario)
    click(manager, panel.action_buttons[(ref, "declare_breach")], panel)
    assert panel.breach_window is not None
    click(manager, panel.breach_window.confirm_button, panel)
    assert umpire.commands == [{"kind": "declare_breach", "agreement": ref, "clause": 1, "breaker": "ger"}]
    assert next(a for a in state.view["agreements"] if a["id"] == ref)["status"] == "breached"


def test_tabs_count_what_arrived_while_another_tab_was_shown(ui: Any, scenario: Scenario) -> None:
    screen, manager = ui
    table, state, umpire = setup(scenario)

    def factory(cls: Any) -> Any:
        return lambda m, rect, container: cls(m, rect, state, umpire, container=container, scenario=scenario)

    side = SideArea(
        manager,
        SIDE,
        [
            ("talk", "Talk", factory(MessagesPanel)),
            ("deals", "Deals", factory(AgreementsPanel)),
            ("news", "News", factory(IntelPanel)),
        ],
        unread=state,
    )
    ref = proposal_from_germany(table)
    table.apply({"kind": "press", "state": "rus", "to": ["fra"], "text": "Mobilise?"})
    table.apply({"kind": "pay", "state": "ita", "to": "fra", "amount": 2})
    pump(manager, side)
    assert [t.button.text for t in side.tabs] == ["Talk", "Deals (1)", "News (1)"], "Talk is open: seen"
    screenshot(screen, manager, "unread_tabs.png")
    click(manager, side.tab("deals").button, side)
    assert side.current == "deals" and [t.button.text for t in side.tabs] == ["Talk", "Deals", "News (1)"]
    assert ref in [a["id"] for a in side.tab("deals").panel.sections()[0][1]]
    table.apply({"kind": "press", "state": "ger", "to": ["fra"], "text": "Well?"})
    umpire({"type": "act", "command": {"kind": "press", "to": ["ger"], "text": "Thinking."}})
    pump(manager, side)
    assert side.tab("talk").button.text == "Talk (1)", "Germany's message; my own is no news"


# --- secrecy -------------------------------------------------------------------------------------


def test_a_panel_shows_only_what_the_view_holds(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    table = Table(scenario)
    french = table.client("fra")
    german = table.client("ger")
    alliance = next(a for a in french.view["agreements"] if a.get("title") == "The Franco-Russian Alliance")
    assert alliance.get("annex") and "annex" not in next(
        a for a in german.view["agreements"] if a["id"] == alliance["id"]
    )
    fra_panel = AgreementsPanel(manager, SIDE, french, Umpire(table, "fra"), scenario=scenario)
    ger_panel = AgreementsPanel(manager, SIDE, german, Umpire(table, "ger"), scenario=scenario)
    assert "Military convention" in fra_panel.card_html(alliance, fra_panel.names())
    german_card = ger_panel.cards[alliance["id"]]
    assert "Military convention" not in german_card.html_text and "annex" not in german_card.html_text
    # France's secret with Italy does not exist for Germany at all
    assert not any(a.get("title") == "The Prinetti-Barrere accord" for a in german.view["agreements"])
    assert all("Prinetti" not in box.html_text for box in ger_panel.cards.values())
    # a rumour shows the parties, and nothing of the terms
    rumour = {"id": "agr-00000001", "parties": ["ita", "fra"], "leak_level": "rumour", "rumour": True}
    html = ger_panel.card_html(rumour, ger_panel.names())
    assert "Italy" in html and "France" in html and "Neutral" not in html
    assert ger_panel.actions_for(rumour) == []


def test_my_secret_shows_its_leak_state_and_a_risk_floor(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    panel = AgreementsPanel(manager, SIDE, state, umpire, scenario=scenario)
    naval = next(a for a in state.view["agreements"] if a.get("title") == "Anglo-French naval arrangements")
    html = panel.card_html(naval, panel.names())
    assert "kept secret" in html and "risk at least 9% a turn" in html  # 0.03 + 2 democracies x 0.03
    assert {"renounce", "ratify", "leak", "declare_breach"} <= set(panel.actions_for(naval))


# --- intelligence --------------------------------------------------------------------------------


def test_investigate_a_target_picked_by_mouse(ui: Any, scenario: Scenario) -> None:
    screen, manager = ui
    _, state, umpire = setup(scenario)
    panel = IntelPanel(manager, SIDE, state, umpire, scenario=scenario)
    assert IntelligencePanel is IntelPanel
    pick(manager, panel.target_menu, "ger", panel)
    click(manager, panel.investigate_button, panel)
    assert umpire.commands == [{"kind": "investigate", "target": "ger"}]
    assert "investigate Germany" in panel.ordered_label.text
    click(manager, panel.propaganda_button, panel)
    assert umpire.commands[-1] == {"kind": "propaganda"}
    screenshot(screen, manager, "intel_panel.png")


def test_pay_a_state(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    panel = IntelPanel(manager, SIDE, state, umpire, scenario=scenario)
    pick(manager, panel.pay_menu, "srb", panel)
    click(manager, panel.amount_entry, panel)
    pygame.event.post(
        pygame.event.Event(
            pygame.KEYDOWN, {"key": pygame.K_BACKSPACE, "mod": 0, "unicode": "", "scancode": 42}
        )
    )
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, {"text": "3"}))
    pump(manager, panel)
    click(manager, panel.pay_button, panel)
    assert umpire.commands == [{"kind": "pay", "to": "srb", "amount": 3}]


def test_what_i_learned_after_a_turn(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    game, state, umpire = setup(scenario)
    game.apply({"kind": "press", "state": "gbr", "text": "Britain stands by Belgium."})
    game.apply({"kind": "investigate", "state": "fra", "target": "ger"})
    game.resolve()
    panel = IntelPanel(manager, SIDE, state, umpire, scenario=scenario)
    assert any(e["kind"] == "investigation" for e in panel.learned())
    assert "investigation of Germany" in panel._news_html
    assert "Britain stands by Belgium." in panel._news_html


# --- the turn report -----------------------------------------------------------------------------


def test_turn_report_reads_as_sentences_with_names(ui: Any, scenario: Scenario) -> None:
    screen, manager = ui
    game, state, _ = setup(scenario)
    game.submit("ger", ["A ruh - bel"])
    game.submit("fra", ["A par - pic"])
    game.resolve()
    window = TurnReportWindow(manager, state, scenario=scenario)
    assert window.turn == 1
    assert "France's army moved from Paris to Picardy" in window.html
    assert "Germany's army in Ruhr bounced off Belgium" in window.html
    # France knows the guarantee of Belgium, so it learns of the breach, told in names
    assert "Germany broke “Treaty of London" in window.html
    assert "Germany attacked Belgium at Belgium: A ruh - bel" in window.html
    assert "In force from the start" not in window.html
    screenshot(screen, manager, "turn_report.png")
    click(manager, window.close_button)
    assert not window.alive()


# --- layout --------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [MessagesPanel, AgreementsPanel, IntelPanel])
def test_panels_relayout_on_set_rect(ui: Any, scenario: Scenario, cls: Any) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    panel = cls(manager, SIDE, state, umpire, scenario=scenario)
    smaller = pygame.Rect(SIZE[0] - 340, 0, 340, 640)
    panel.set_rect(smaller)
    pump(manager, panel)
    assert panel.panel.rect == smaller
    for element in panel.panel.get_container().elements:
        assert smaller.contains(element.rect), f"{element.object_ids} spills out of the panel"
    panel.kill()
    assert not panel.panel.alive()


def test_refresh_only_when_the_revision_moved(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    panel = AgreementsPanel(manager, SIDE, state, umpire, scenario=scenario)
    assert panel.refresh() is False
    state.revision += 1
    assert panel.refresh() is True
    assert panel.refresh() is False


# --- without the scenario, on a small window, every event -----------------------------------------


def test_panels_work_before_the_scenario_arrives(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    state.view["scenario"] = "not-bundled-here"  # an uploaded scenario: names from the view, ids for the rest
    for cls in (MessagesPanel, AgreementsPanel, IntelPanel):
        panel = cls(manager, SIDE, state, umpire)
        assert panel.scenario is None
        panel.kill()
    draft = AgreementDraftWindow(manager, state, umpire, parties=["ger"])
    pick(manager, draft.kind_menu, "cession")
    assert draft.form is not None and draft.form.fields["territory"].item_list  # territories the view shows
    report = TurnReportWindow(manager, state)
    assert "Nothing has been resolved yet" in report.html


def test_the_draft_window_fits_the_smallest_window(scenario: Scenario) -> None:
    pygame.init()
    small = (1024, 700)
    pygame.display.set_mode(small)
    manager = pygame_gui.UIManager(small, theme_data())
    _, state, umpire = setup(scenario)
    draft = AgreementDraftWindow(manager, state, umpire, scenario=scenario)
    assert pygame.Rect((0, 0), small).contains(draft.rect)
    for element in draft.get_container().elements:
        assert draft.rect.contains(element.rect), element.object_ids


def test_leak_and_ratify_are_commands_the_rules_accept(ui: Any, scenario: Scenario) -> None:
    _, manager = ui
    _, state, umpire = setup(scenario)
    panel = AgreementsPanel(manager, SIDE, state, umpire, scenario=scenario)
    naval = next(
        a["id"] for a in state.view["agreements"] if a.get("title") == "Anglo-French naval arrangements"
    )
    panel.do(naval, "ratify")
    panel.do(naval, "leak")
    assert umpire.commands == [{"kind": "ratify", "agreement": naval}, {"kind": "leak", "agreement": naval}]
    assert "Leaking" in panel.status.text


EVERY_EVENT: list[dict[str, Any]] = [
    {"kind": "move", "state": "ger", "unit": "army", "from": "ruh", "to": "bel"},
    {"kind": "bounce", "state": "ger", "unit": "fleet", "from": "kie", "to": "hol"},
    {"kind": "dislodged", "state": "bel", "unit": "army", "at": "bel", "by": "ger", "from": "ruh"},
    {"kind": "retreat", "state": "bel", "unit": "army", "from": "bel", "to": "pic"},
    {"kind": "disband", "state": "bel", "unit": "army", "at": "bel"},
    {"kind": "build", "state": "fra", "unit": "fleet", "at": "bre"},
    {"kind": "remove", "state": "fra", "unit": "army", "at": "par"},
    {"kind": "captured", "territory": "bel", "state": "ger", "from": "bel", "supply": True},
    {"kind": "income", "state": "fra", "amount": 6, "treasury": 16},
    {"kind": "payment", "state": "fra", "to": "srb", "amount": 3},
    {
        "kind": "order_void",
        "state": "fra",
        "order": "A par - mos",
        "phase": "movement",
        "reason": "not a neighbour",
    },
    {
        "kind": "agreement_breached",
        "agreement": "agr-00000001",
        "breaker": "ger",
        "protected": ["bel"],
        "clause": 0,
        "clause_kind": "non_aggression",
        "evidence": "ger attacked bel at bel: A ruh - bel",
    },
    {"kind": "agreement_leaked", "agreement": "agr-00000001", "level": "rumour", "parties": ["fra", "rus"]},
    {
        "kind": "agreement_leaked",
        "agreement": "agr-00000001",
        "level": "exposed",
        "parties": ["fra", "rus"],
        "clauses": [{"kind": "mutual_defence", "members": []}],
        "how": "leak",
    },
    {"kind": "leak_done", "agreement": "agr-00000001", "state": "fra"},
    {"kind": "leak_planned", "agreement": "agr-00000001", "state": "fra"},
    {
        "kind": "agreement_discovered",
        "agreement": "agr-00000001",
        "by": "ita",
        "target": "fra",
        "parties": ["fra", "rus"],
        "clauses": [{"kind": "free_text", "text": "x"}],
    },
    {
        "kind": "message_intercepted",
        "by": "ita",
        "target": "fra",
        "message": "msg-1",
        "from": "ger",
        "to": ["fra"],
        "text": "Shall we talk?",
    },
    {"kind": "investigation", "state": "fra", "target": "ger", "found": False},
    {"kind": "interception", "state": "fra", "target": "ita", "read": 0},
    {"kind": "propaganda", "state": "fra", "legitimacy": 64},
    {"kind": "action_failed", "state": "fra", "action": "investigate", "reason": "treasury empty"},
    {"kind": "denial", "agreement": "agr-00000001", "state": "fra", "parties": ["fra", "rus"]},
    {"kind": "justification", "agreement": "agr-00000001", "state": "fra", "legitimacy_regained": 2},
    {
        "kind": "backlash",
        "agreement": "agr-00000001",
        "state": "fra",
        "credibility_gap": 0.3,
        "legitimacy_lost": 4,
        "legitimacy": 56,
    },
    {
        "kind": "trust_shaken",
        "agreement": "agr-00000001",
        "state": "rus",
        "in": "fra",
        "because": "agr-00000002",
    },
    {"kind": "government_fell", "state": "fra", "legitimacy": 19},
    {
        "kind": "agreement_proposed",
        "agreement": "agr-00000001",
        "by": "ger",
        "parties": ["ger", "fra"],
        "visibility": "secret",
        "counter_of": None,
    },
    {"kind": "agreement_signature", "agreement": "agr-00000001", "state": "fra"},
    {
        "kind": "agreement_signed",
        "agreement": "agr-00000001",
        "parties": ["ger", "fra"],
        "visibility": "secret",
        "title": "Pact",
    },
    {"kind": "annex_signed", "agreement": "agr-00000001", "annex": []},
    {"kind": "agreement_rejected", "agreement": "agr-00000001", "state": "fra"},
    {"kind": "agreement_renounced", "agreement": "agr-00000001", "state": "fra"},
    {"kind": "agreement_ratification", "agreement": "agr-00000001", "state": "fra"},
    {"kind": "agreement_ratified", "agreement": "agr-00000001", "parties": ["fra", "rus"], "clauses": []},
    {"kind": "agreement_expired", "agreement": "agr-00000001", "kept": True},
    {"kind": "agreement_lapsed", "agreement": "agr-00000001", "state": "fra"},
    {"kind": "game_over", "reason": "victory", "winner": "ger"},
]


def test_every_event_reads_as_a_sentence_with_names(scenario: Scenario) -> None:
    from game.client.panels.names import Names
    from game.client.panels.sentences import sentence

    names = Names(view_for(Game(scenario, 1914), "fra"), scenario)
    for event in EVERY_EVENT:
        text = sentence(event, names, {"agr-00000001": "Pact"})
        untitled = sentence(event, names)
        assert untitled.lstrip("“")[0].isupper(), untitled
        assert text.lstrip("“")[0].isupper() and text != event["kind"].replace("_", " ").capitalize() + ".", (
            text
        )
        prose = text.split(": A ")[0]  # an order quoted as evidence stays in the notation players type
        for raw in ("ger ", " fra ", "ruh", "agr-"):
            assert raw not in prose, (event["kind"], text)


def test_the_message_box_survives_pygame_gui_losing_its_rows() -> None:
    """pygame_gui#717: deleting a selection on a second row and typing raises in UITextEntryBox;
    ours keeps the text and goes on taking keys."""
    from pygame_gui.elements import UITextEntryBox

    from game.client.panels.text_box import SafeTextEntryBox

    def type_after_deleting_a_selection(cls: type) -> str:
        manager = pygame_gui.UIManager((400, 300))
        box = cls(pygame.Rect(0, 0, 300, 150), "first\nsecond row", manager)
        box.focus()
        manager.update(0.01)
        box.select_range = [8, 11]
        box.edit_position = 11
        manager.process_events(
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_BACKSPACE, mod=0, unicode="", scancode=42)
        )
        manager.update(0.01)
        manager.process_events(pygame.event.Event(pygame.TEXTINPUT, text="x"))
        manager.process_events(pygame.event.Event(pygame.TEXTINPUT, text="y"))
        manager.update(0.01)
        return str(box.get_text())

    with pytest.raises(RuntimeError):
        type_after_deleting_a_selection(UITextEntryBox)  # the upstream bug, still there
    text = type_after_deleting_a_selection(SafeTextEntryBox)
    assert text.startswith("first\nse") and text.endswith("y")


def test_theme_ids_are_pygame_guis_own_and_quick(
    ui: tuple[pygame.Surface, pygame_gui.UIManager], scenario: Scenario
) -> None:
    """The cached combined ids (game/client/theme_ids.py) are exactly those pygame_gui computes."""
    import time

    from game.client import theme_ids

    _, manager = ui
    table = Table(scenario, 1)
    state = table.client("fra")
    state.scenario = scenario
    started = time.perf_counter()
    panel = MessagesPanel(manager, SIDE, state, Umpire(table, "fra"))
    built = time.perf_counter() - started
    theme = manager.get_theme()
    elements = [panel.send_button, *panel.contact_buttons.values()]
    for element in elements:
        expected = theme_ids.ORIGINAL(
            theme, element.element_base_ids, element.element_ids, element.class_ids, element.object_ids
        )
        assert element.combined_element_ids == expected
    print(f"messages panel built in {built * 1000:.0f} ms")

"""The title screen's "Host a game" window: a class game's settings, chosen with the mouse.

The scenario; the deadline of each phase (or none: a phase ends when every team is ready); how
many students share each state; which states students play (the others are bots from the
start); whether bots take the seats nobody joined when the game starts; what other states see
of who wrote a message (names, or only the state); the port students connect to.  It only
chooses: the launcher (`game.host`, handed to the client) starts the server and creates the game.
"""

from __future__ import annotations

from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UIDropDownMenu, UILabel, UISelectionList, UITextEntryLine, UIWindow

from game.client.panels.panel import screen_rect
from game.client.panels.pickers import chosen, dropdown, multi_list, picked
from game.rules.scenario import Scenario

DEFAULT_PORT = 8765
DEADLINES = (
    (None, "None: when every team is ready"),
    (180, "3 minutes"),
    (300, "5 minutes"),
    (480, "8 minutes"),
    (600, "10 minutes"),
    (900, "15 minutes"),
    (1200, "20 minutes"),
)
PEOPLE = tuple(range(1, 9))


def student_states(scenario: Scenario | None) -> list[tuple[str, str]]:
    """(name, id) of the states students may play: the scenario's playable, player-run ones."""
    if scenario is None:
        return []
    return [(s.name, s.id) for s in scenario.states if s.playable and s.controller == "player"] or [
        (s.name, s.id) for s in scenario.states if s.playable
    ]


class HostWindow(UIWindow):
    """The settings of a class game; `options` is set when the teacher presses Host."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        scenarios: list[tuple[str, str]],
        scenario_of: Any,
        current: str,
        on_host: Any = None,
    ) -> None:
        rect = pygame.Rect(0, 0, 640, 572)
        rect.center = screen_rect(manager).center
        super().__init__(
            rect,
            manager,
            window_display_title="Host a class game",
            object_id=ObjectID("#host_window", "@draft_window"),
        )
        self.scenario_of = scenario_of
        """scenario id -> Scenario | None (the title screen's reader)."""
        self.scenarios = scenarios
        self.scenario_id = (
            current if any(sid == current for _, sid in scenarios) else (scenarios[0][1] if scenarios else "")
        )
        self.options: dict[str, Any] | None = None
        self.on_host = on_host
        """Called with the options when the teacher presses Host (the title screen's choice)."""
        m = manager
        c = self.get_container()
        w = c.get_rect().w
        pad, label_w = 12, 190
        field = pygame.Rect(pad + label_w, 0, w - 2 * pad - label_w, 30)
        y = 10

        def label(text: str, height: int = 30) -> None:
            UILabel(
                pygame.Rect(pad, y, label_w - 8, height),
                text,
                m,
                container=c,
                object_id=ObjectID("#field_label", "@field_label"),
            )

        label("Scenario")
        options = [(title, f"#{sid}") for title, sid in scenarios] or [("No scenario found", "#none")]
        self.scenario_menu = dropdown(
            m, field.move(0, y), options, container=c, object_id="#host_scenario", start=self.scenario_id
        )
        y += 38
        label("Deadline per phase")
        self.deadline_menu = UIDropDownMenu(
            [(text, f"#d{i}") for i, (_, text) in enumerate(DEADLINES)],
            (DEADLINES[0][1], "#d0"),
            field.move(0, y),
            m,
            container=c,
            object_id=ObjectID("#host_deadline", "@picker"),
        )
        y += 38
        label("People per state")
        self.people_menu = UIDropDownMenu(
            [(f"{n}", f"#p{n}") for n in PEOPLE],
            ("1", "#p1"),
            pygame.Rect(field.x, y, 90, 30),
            m,
            container=c,
            object_id=ObjectID("#host_people", "@picker"),
        )
        UILabel(
            pygame.Rect(field.x + 100, y, field.w - 100, 30),
            "a team shares one code",
            m,
            container=c,
            object_id=ObjectID("#host_hint", "@panel_hint"),
        )
        y += 38
        label("States students play", 50)
        self.states_rect = pygame.Rect(field.x, y, field.w, 150)
        self.state_list: UISelectionList = self._state_list()
        y += 156
        UILabel(
            pygame.Rect(field.x, y, field.w, 22),
            "the others are bots from the start",
            m,
            container=c,
            object_id=ObjectID("#host_hint2", "@panel_hint"),
        )
        y += 28
        label("Seats nobody takes")
        self.bots_menu = UIDropDownMenu(
            [("Bots play them", "#bots"), ("Nobody: their units hold", "#nobody")],
            ("Bots play them", "#bots"),
            field.move(0, y),
            m,
            container=c,
            object_id=ObjectID("#host_bots", "@picker"),
        )
        y += 38
        label("Others see who wrote")
        self.labels_menu = UIDropDownMenu(
            [("Names (Anna, France)", "#names"), ("Only the state (blinded)", "#state")],
            ("Names (Anna, France)", "#names"),
            field.move(0, y),
            m,
            container=c,
            object_id=ObjectID("#host_labels", "@picker"),
        )
        y += 38
        label("Port")
        self.port_entry = UITextEntryLine(
            pygame.Rect(field.x, y, 100, 30),
            m,
            container=c,
            object_id=ObjectID("#host_port", "@text_entry"),
            initial_text=str(DEFAULT_PORT),
        )
        self.port_entry.set_allowed_characters("numbers")
        self.port_entry.set_text_length_limit(5)
        UILabel(
            pygame.Rect(field.x + 110, y, field.w - 110, 30),
            "students type it after the address",
            m,
            container=c,
            object_id=ObjectID("#host_hint3", "@panel_hint"),
        )
        y += 40
        self.error = UILabel(
            pygame.Rect(pad, y, w - 2 * pad, 24),
            "",
            m,
            container=c,
            object_id=ObjectID("#host_error", "@panel_error"),
        )
        y += 30
        self.host_button = UIButton(
            pygame.Rect(w - pad - 170, y, 170, 38),
            "Host the game",
            m,
            container=c,
            object_id=ObjectID("#host_go", "@primary_button"),
            command=self.submit,
            tool_tip_text="Start the server on this network, create the game, write the handout",
        )
        self.cancel_button = UIButton(
            pygame.Rect(w - pad - 280, y, 100, 38),
            "Cancel",
            m,
            container=c,
            object_id=ObjectID("#host_cancel", "@act_button"),
            command=self.kill,
        )

    def _state_list(self) -> UISelectionList:
        states = student_states(self.scenario_of(self.scenario_id))
        return multi_list(
            self.ui_manager,
            self.states_rect,
            [(name, f"#{sid}") for name, sid in states],
            container=self.get_container(),
            object_id="#host_states",
            selected=[sid for _, sid in states],
        )

    def choose_scenario(self, scenario_id: str) -> None:
        self.scenario_id = scenario_id
        self.state_list.kill()
        self.state_list = self._state_list()

    def read(self) -> dict[str, Any] | str:
        """The options as chosen, or what is wrong with them."""
        if not self.scenario_id:
            return "There is no scenario to host."
        states = picked(self.state_list)
        if not states:
            return "Choose at least one state for the students (click a state to choose it)."
        port_text = self.port_entry.get_text().strip() or str(DEFAULT_PORT)
        port = int(port_text) if port_text.isdigit() else -1
        if not (port == 0 or 1024 <= port <= 65535):
            return "The port is a number from 1024 to 65535 (0: any free port)."
        deadline_id = chosen(self.deadline_menu) or "d0"
        people_id = chosen(self.people_menu) or "p1"
        return {
            "scenario": self.scenario_id,
            "deadline": DEADLINES[int(deadline_id[1:])][0],
            "people": int(people_id[1:]),
            "states": states,
            "bots": chosen(self.bots_menu) != "nobody",
            "labels": chosen(self.labels_menu) or "names",
            "port": port,
        }

    def submit(self) -> dict[str, Any] | None:
        options = self.read()
        if isinstance(options, str):
            self.error.set_text(options)
            return None
        self.options = options
        if self.on_host is not None:
            self.on_host(options)
        return options

    def handle(self, event: pygame.event.Event) -> bool:
        """An event the title screen passes on: another scenario lists its own states."""
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.scenario_menu:
            sid = chosen(self.scenario_menu)
            if sid:
                self.choose_scenario(sid)
            return True
        return False

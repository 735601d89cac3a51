"""The title screen: play against bots (scenario, state, briefing and objectives), join a game
by address and code, host a class game (game/client/host_window.py), continue an unfinished
local game, or quit.

It only chooses; starting a game (which may take a moment: the embedded server starts) is
the app's job, off the UI thread.  Scenarios are the bundled ones (every scenarios/*.yaml),
shown as a gallery of cards with their maps (game/client/gallery.py; a click or the Left and
Right keys choose one), and any file opened with "Open a scenario file…"; they are read
through the scenario cache so that only the first start ever parses their YAML.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pygame
import pygame_gui
from pygame_gui.elements import (
    UIButton,
    UIDropDownMenu,
    UILabel,
    UIPanel,
    UISelectionList,
    UITextBox,
    UITextEntryLine,
)
from pygame_gui.windows import UIFileDialog

from game.client.gallery import THUMBNAILS, ScenarioGallery
from game.client.host_window import HostWindow
from game.client.scenario_cache import ScenarioCache
from game.rules.scenario import Scenario

REGIMES = {"constitutional_monarchy": "constitutional monarchy"}


DEFAULT_SCENARIO = "july-1914"


@dataclass(frozen=True)
class Choice:
    """What the player chose: ("play", scenario, state), ("join", url, code[, name]), ("continue", game), ("quit",),
    or ("host",) with the class game's `options` (game/client/host_window.py)."""

    action: str
    args: tuple[str, ...] = ()
    options: dict[str, Any] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SavedEntry:
    """An unfinished local game as the title screen lists it."""

    game: str
    label: str


def briefing_html(scenario: Scenario, state_id: str | None) -> str:
    """The scenario's briefing, then the chosen state's own briefing and objectives."""
    parts = [f"<font size=5><b>{html.escape(scenario.title)}</b></font><br>"]
    if state_id:
        try:
            state = scenario.state(state_id)
        except KeyError:
            state = None
        if state is not None:
            regime = REGIMES.get(state.regime, state.regime)
            parts.append(
                f"<br><b>{html.escape(state.name)}</b> — {html.escape(regime)}, legitimacy {state.legitimacy}<br>"
            )
            if state.objectives:
                parts.append("<br><b>Objectives</b><br>")
                for o in state.objectives:
                    text = html.escape(o.description or o.kind.replace("_", " "))
                    parts.append(f"• {text} <i>({o.points} pt)</i><br>")
            if state.briefing:
                parts.append("<br><b>Your briefing</b><br>" + _paragraphs(state.briefing))
    if scenario.briefing:
        parts.append("<br><b>The situation</b><br>" + _paragraphs(scenario.briefing))
    if scenario.victory.description:
        parts.append("<br><b>Victory</b><br>" + _paragraphs(scenario.victory.description))
    return "".join(parts)


def _status_html(text: str) -> str:
    """The title screen's status line (a refusal, what is starting), in the error colour."""
    return f"<font color='#ff9c7a'>{html.escape(text)}</font>" if text else ""


def _typing(manager: pygame_gui.UIManager) -> bool:
    """Whether keys go into a text field (then the arrows move its cursor, not the gallery)."""
    return any(isinstance(e, UITextEntryLine) for e in manager.get_focus_set() or ())


def _paragraphs(text: str) -> str:
    blocks = [" ".join(b.split()) for b in text.strip().split("\n\n")]
    return "<br><br>".join(html.escape(b) for b in blocks if b) + "<br>"


class TitleScreen:
    """Widgets of the title screen; `choice` is set when the player picked something."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        cache: ScenarioCache,
        saved: list[SavedEntry] | None = None,
        can_play: bool = True,
        message: str = "",
        *,
        can_host: bool = False,
    ) -> None:
        self.manager = manager
        self.cache = cache
        self.saved = saved or []
        self.can_play = can_play
        self.can_host = can_host
        self.host_window: HostWindow | None = None
        self.choice: Choice | None = None
        self.scenario_ids = cache.bundled_ids()
        self.files: list[str] = []  # scenario files opened by path, beside the bundled ones
        self.file_dialog: UIFileDialog | None = None
        self.scenarios: dict[str, Scenario] = {}
        # The first scenario a new player meets is the one `backchannel play` opens, not the first by name.
        first = DEFAULT_SCENARIO if DEFAULT_SCENARIO in self.scenario_ids else (self.scenario_ids or [""])[0]
        self.scenario_id = first
        self.state_id: str | None = None
        self.message = message
        self.busy = ""
        self.thumbnails = THUMBNAILS
        """The gallery's drawn maps (kept for the program's life: a title screen built again shows them at once)."""
        self.gallery: ScenarioGallery | None = None
        self._build(manager.window_resolution)

    # --- scenarios ---------------------------------------------------------------------------

    def scenario(self, scenario_id: str) -> Scenario | None:
        if scenario_id not in self.scenarios and scenario_id in self.files:
            return None
        if scenario_id not in self.scenarios:
            try:
                self.scenarios[scenario_id] = self.cache.bundled(scenario_id)
            except Exception:  # a broken bundled file shows as missing, not a crash
                return None
        return self.scenarios[scenario_id]

    def _known(self, scenario_id: str) -> Scenario | None:
        """A scenario already in memory (never reads a file): the gallery's quick look."""
        if scenario_id in self.scenarios:
            return self.scenarios[scenario_id]
        if scenario_id in self.files:
            return None
        found = self.cache.peek_bundled(scenario_id)
        if found is not None:
            self.scenarios[scenario_id] = found
        return found

    def choose_scenario(self, scenario_id: str) -> None:
        """Choose a scenario (what a click on its card does): its states, briefing and objectives show."""
        if scenario_id == self.scenario_id or self.scenario(scenario_id) is None:
            return
        self.scenario_id, self.state_id = scenario_id, None
        self._fill_states()

    def update(self) -> None:
        """Each frame: the gallery shows the maps its worker drew, and asks for the next."""
        if self.gallery is not None and not self.busy:
            self.gallery.step()

    def playable(self, scenario: Scenario | None) -> list[tuple[str, str]]:
        if scenario is None:
            return []
        return [(s.name, s.id) for s in scenario.states if s.playable and s.controller == "player"] or [
            (s.name, s.id) for s in scenario.states if s.playable
        ]

    # --- layout ------------------------------------------------------------------------------

    def _build(self, size: tuple[int, int]) -> None:
        w, h = size
        m = self.manager
        self.root = UIPanel(pygame.Rect(0, 0, w, h), manager=m, object_id="#title_root")
        left_w = max(400, min(520, int(w * 0.42)))
        x, y = 40, 28
        UILabel(
            pygame.Rect(x, y, left_w, 60), "Backchannel", m, container=self.root, object_id="#title_heading"
        )
        y += 60
        UILabel(
            pygame.Rect(x, y, left_w, 24),
            "A game of secret diplomacy",
            m,
            container=self.root,
            object_id="#title_tagline",
        )
        y += 40
        UILabel(
            pygame.Rect(x, y, left_w, 24),
            "Play against bots",
            m,
            container=self.root,
            object_id="#section_heading",
        )
        y += 28
        self.scenario_label = UILabel(
            pygame.Rect(x, y, left_w - 196, 32), "", m, container=self.root, object_id="#chosen_scenario"
        )
        self.open_button = UIButton(
            pygame.Rect(x + left_w - 184, y, 184, 32),
            "Open a scenario file…",
            m,
            container=self.root,
            tool_tip_text="Play any scenario file (YAML): your own or one you were given",
        )
        y += 40
        list_h = max(110, min(220, h - y - 364))
        self.state_list = UISelectionList(
            pygame.Rect(x, y, left_w - 150, list_h), [], m, container=self.root, object_id="#state_list"
        )
        self.play_button = UIButton(
            pygame.Rect(x + left_w - 138, y, 138, 44),
            "Play",
            m,
            container=self.root,
            object_id="#primary_button",
            tool_tip_text="Start a game against bots as this state",
        )
        if not self.can_play:
            self.play_button.disable()
        y += list_h + 16
        UILabel(
            pygame.Rect(x, y, left_w, 24), "Join a game", m, container=self.root, object_id="#section_heading"
        )
        y += 28
        self.address = UITextEntryLine(
            pygame.Rect(x, y, left_w - 250, 32), m, container=self.root, placeholder_text="ws://host:8765"
        )
        self.code = UITextEntryLine(
            pygame.Rect(x + left_w - 240, y, 130, 32), m, container=self.root, placeholder_text="Join code"
        )
        self.join_button = UIButton(pygame.Rect(x + left_w - 100, y, 100, 32), "Join", m, container=self.root)
        y += 40
        self.name = UITextEntryLine(
            pygame.Rect(x, y, left_w - 250, 32), m, container=self.root, placeholder_text="Your name"
        )
        self.name.set_text_length_limit(40)
        UILabel(
            pygame.Rect(x + left_w - 240, y, 240, 32),
            "in a class: your team sees it",
            m,
            container=self.root,
            object_id="#status_small",
        )
        y += 48
        UILabel(
            pygame.Rect(x, y, left_w, 24),
            "Teach a class",
            m,
            container=self.root,
            object_id="#section_heading",
        )
        y += 28
        self.host_button = UIButton(
            pygame.Rect(x, y, 200, 32),
            "Host a game…",
            m,
            container=self.root,
            tool_tip_text="Students join from their computers on this network; you umpire",
        )
        UILabel(
            pygame.Rect(x + 212, y, left_w - 212, 32),
            "students join; you umpire",
            m,
            container=self.root,
            object_id="#status_small",
        )
        if not self.can_host:
            self.host_button.disable()
        y += 48
        UILabel(
            pygame.Rect(x, y, left_w, 24), "Continue", m, container=self.root, object_id="#section_heading"
        )
        y += 28
        saved: list[str | tuple[str, str]] = [(s.label, s.game) for s in self.saved] or [
            ("No unfinished local game", "")
        ]
        self.saved_menu = UIDropDownMenu(
            saved, saved[0], pygame.Rect(x, y, left_w - 150, 32), m, container=self.root
        )
        self.continue_button = UIButton(
            pygame.Rect(x + left_w - 138, y, 138, 32), "Continue", m, container=self.root
        )
        if not self.saved:
            self.continue_button.disable()
        y += 48
        self.quit_button = UIButton(pygame.Rect(x, y, 120, 32), "Quit", m, container=self.root)
        # Two lines at most, wrapped: a refusal's reason (a name taken, a wrong code) is read whole.
        self.status = UITextBox(
            _status_html(self.busy or self.message),
            pygame.Rect(x + 132, y - 4, left_w - 132, 48),
            m,
            container=self.root,
            object_id="#title_status",
        )
        if not (self.busy or self.message):
            self.status.hide()
        UILabel(
            pygame.Rect(x, h - 40, left_w, 22),
            "In a game, press ? for the keyboard shortcuts · F11 full screen",
            m,
            container=self.root,
            object_id="#status_small",
        )
        bx = x + left_w + 32
        self.right = pygame.Rect(bx, 28, w - bx - 32, h - 56)
        self.scenario(self.scenario_id)  # the chosen one is read here, before the gallery's worker would
        keys = [*self.scenario_ids, *self.files]
        gallery_h = ScenarioGallery.height_for(self.right.w, max(1, len(keys)), int(self.right.h * 0.52))
        self.gallery = ScenarioGallery(
            m,
            pygame.Rect(bx, 28, self.right.w, gallery_h),
            keys,
            self.scenario,
            peek=self._known,
            container=self.root,
            selected=self.scenario_id,
            state_id=self.state_id,
            labels={path: Path(path).name for path in self.files},
            shelf=self.thumbnails,
        )
        brief_y = 28 + gallery_h + 12
        self.briefing = UITextBox(
            "",
            pygame.Rect(bx, brief_y, self.right.w, h - brief_y - 28),
            m,
            container=self.root,
            object_id="#briefing",
        )
        self._fill_states()

    def _fill_states(self) -> None:
        states = self.playable(self.scenario(self.scenario_id))
        self.state_list.set_item_list([name for name, _ in states])
        self._states = states
        if states:
            ids = [sid for _, sid in states]
            if self.state_id not in ids:
                self.state_id = ids[0]
            name = next(n for n, sid in states if sid == self.state_id)
            self._select_in_list(name)
        self._show_briefing()

    def _select_in_list(self, name: str) -> None:
        for item in self.state_list.item_list:
            if item["text"] == name and item["button_element"] is not None:
                item["button_element"].select()
                item["selected"] = True
            elif item["button_element"] is not None:
                item["button_element"].unselect()
                item["selected"] = False

    def _show_briefing(self) -> None:
        scenario = self.scenario(self.scenario_id)
        text = briefing_html(scenario, self.state_id) if scenario else "No scenario."
        self.briefing.set_text(text)
        if scenario is not None:
            self.scenario_label.set_text(scenario.title)
            self.scenario_label.set_tooltip(scenario.title)
        else:
            self.scenario_label.set_text("No scenario")
        if self.gallery is not None:
            self.gallery.select(self.scenario_id, self.state_id)

    def resize(self, size: tuple[int, int]) -> None:
        self.root.kill()
        self._build(size)

    def kill(self) -> None:
        self.close_host_window()
        self.root.kill()

    def open_host_window(self) -> HostWindow:
        """The class game's settings (Host a game…)."""
        self.close_host_window()
        titles = []
        for sid in self.scenario_ids:
            known = self.scenario(sid)
            titles.append((known.title if known is not None else sid, sid))
        self.host_window = HostWindow(
            self.manager, titles, self.scenario, self.scenario_id, self._host_chosen
        )
        return self.host_window

    def _host_chosen(self, options: dict[str, Any]) -> None:
        self.choice = Choice("host", options=dict(options))
        self.close_host_window()

    def close_host_window(self) -> None:
        if self.host_window is not None:
            self.host_window.kill()
            self.host_window = None

    def set_busy(self, text: str) -> None:
        self.busy = text
        self._status(text)
        for button in (self.play_button, self.join_button, self.continue_button, self.host_button):
            if text:
                button.disable()
            else:
                button.enable()
        if not text and not self.saved:
            self.continue_button.disable()
        if not text and not self.can_host:
            self.host_button.disable()
        if not text and not self.can_play:
            self.play_button.disable()

    def _status(self, text: str) -> None:
        self.status.set_text(_status_html(text))
        if text:
            self.status.show()
        else:
            self.status.hide()

    def show_message(self, text: str) -> None:
        self.message = text
        self._status(text)

    # --- input -------------------------------------------------------------------------------

    def select_state(self, state_id: str) -> None:
        """Choose a state (what a click in the list does)."""
        self.state_id = state_id
        name = next((n for n, sid in self._states if sid == state_id), None)
        if name is not None:
            self._select_in_list(name)
        self._show_briefing()

    def process_event(self, event: pygame.event.Event) -> None:
        if self.busy:
            return
        window = self.host_window
        if window is not None:
            if not window.alive():
                self.host_window = None
            elif window.handle(event):
                return
        if event.type == pygame_gui.UI_FILE_DIALOG_PATH_PICKED and event.ui_element is self.file_dialog:
            if self.file_dialog is not None and self.file_dialog.alive():
                self.file_dialog.kill()
            self.file_dialog = None
            self.open_file(str(event.text))
            return
        if event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self.file_dialog:
            self.file_dialog = None
            return
        if (
            event.type == pygame.KEYDOWN
            and event.key in (pygame.K_LEFT, pygame.K_RIGHT)
            and not _typing(self.manager)
        ):
            after = (
                self.gallery.neighbour(self.scenario_id, 1 if event.key == pygame.K_RIGHT else -1)
                if self.gallery is not None
                else None
            )
            if after is not None:
                self.choose_scenario(after)
        elif event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.state_list:
            sid = next((sid for n, sid in self._states if n == event.text), None)
            if sid is not None:
                self.state_id = sid
                self._show_briefing()
        elif event.type == pygame_gui.UI_BUTTON_PRESSED:
            self._button(event.ui_element)
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element in (
            self.address,
            self.code,
            self.name,
        ):
            self._button(self.join_button)

    def open_file(self, path: str) -> bool:
        """Read a scenario file the player picked; it joins the list and is chosen, or its problems show."""
        try:
            scenario = self.cache.file(path)
        except ValueError as exc:
            lines = str(exc).splitlines()
            more = f" (and {len(lines) - 3} more lines)" if len(lines) > 3 else ""
            self.show_message(f"{Path(path).name} cannot be played: " + " · ".join(lines[:3]) + more)
            return False
        self.scenarios[path] = scenario
        if path not in self.files:
            self.files.append(path)
        self.scenario_id, self.state_id = path, None
        self.message = ""
        self.root.kill()
        self._build(self.manager.window_resolution)
        return True

    def _button(self, element: Any) -> None:
        chosen = self.gallery.key_of(element) if self.gallery is not None else None
        if chosen is not None:
            self.choose_scenario(chosen)
        elif element is self.play_button and self.scenario_id and self.state_id:
            self.choice = Choice("play", (self.scenario_id, self.state_id))
        elif element is self.join_button:
            url, code = self.address.get_text().strip(), self.code.get_text().strip()
            if not url.startswith(("ws://", "wss://")):
                self.show_message("The address starts with ws:// (e.g. ws://192.168.1.20:8765).")
            elif not code:
                self.show_message("Type the join code your host gave you.")
            else:
                name = " ".join(self.name.get_text().split())
                self.choice = Choice("join", (url, code, name) if name else (url, code))
        elif element is self.continue_button and self.saved:
            label = self.saved_menu.selected_option
            text = label[0] if isinstance(label, tuple) else label
            game = next((s.game for s in self.saved if s.label == text), self.saved[0].game)
            self.choice = Choice("continue", (game,))
        elif element is self.host_button and self.can_host:
            self.open_host_window()
        elif element is self.open_button and self.file_dialog is None:
            self.file_dialog = UIFileDialog(
                pygame.Rect(160, 60, 560, 440),
                self.manager,
                window_title="Open a scenario file",
                initial_file_path=str(Path.cwd()),
                allow_picking_directories=False,
            )
        elif element is self.quit_button:
            self.choice = Choice("quit")

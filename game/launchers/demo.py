"""Demo mode: a bot plays the client's own seat through the same UI a person uses.

`backchannel play --demo` serves a projector in a classroom, the README's screenshots and the
tests.  The driver never calls the game directly: it decides with the diplomat bot (from the
seat's own view, as the server's bots do) and then acts by posting real pygame events —
mouse clicks on the map where the units and territories are drawn, key presses, text typed
into the order box and the panels, clicks on their buttons — and saves a screenshot at each
step of interest.  It lives outside game/client because it imports game/bots.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pygame

from game.bots.diplomat import Diplomat
from game.bots.personality import PERSONALITIES
from game.bots.table import Table
from game.rules.board import territory_of
from game.rules.commands import Press, Propose
from game.rules.errors import OrderSyntaxError
from game.rules.orders import Build, Convoy, Hold, Move, Remove, Retreat, Support, parse_order

Step = Iterator[None]
SIMPLE_CLAUSES = {
    "non_aggression": "Non-aggression",
    "mutual_defence": "Mutual defence",
    "intelligence_sharing": "Intelligence sharing",
}
"""Clause kinds the demo drafts by clicks alone: their forms are complete with no field set."""


class DemoStuck(RuntimeError):
    """The UI did not reach what the demo waited for within the bound."""


WAIT_FRAMES = 20000
"""A bound on any wait (frames): a demo that cannot go on ends instead of hanging."""


def short_line(text: str, limit: int = 38) -> str:
    """The text cut at a word boundary to fit one line of the message box."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


class UiInput:
    """Real input events for a window: clicks, keys, typing (the dummy video driver included)."""

    @staticmethod
    def move_mouse(pos: tuple[int, int]) -> None:
        with contextlib.suppress(pygame.error):
            pygame.mouse.set_pos(pos)  # pygame_gui reads hover from the mouse position itself
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))

    @classmethod
    def click(cls, pos: tuple[int, int], button: int = 1) -> None:
        pos = (int(pos[0]), int(pos[1]))
        cls.move_mouse(pos)
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))

    @staticmethod
    def key(key: int, unicode: str = "", mod: int = 0) -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=0))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=unicode, scancode=0))

    @staticmethod
    def type_text(text: str) -> None:
        for char in text:
            pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=char))

    @classmethod
    def press(cls, element: Any) -> None:
        """Click a pygame_gui element in the middle."""
        cls.click(element.get_abs_rect().center if hasattr(element, "get_abs_rect") else element.rect.center)


class DemoDriver:
    """Plays `turns` movement turns for the seat through the UI; `tick()` once per frame."""

    def __init__(
        self,
        app: Any,
        *,
        turns: int = 2,
        screenshots: Path | None = None,
        seed: int | None = None,
        personality: str = "loyal",
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.app = app
        self.progress = progress
        """Told a line at each step of the demo (`play --demo` prints them): it is never silent."""
        self.turns = max(1, turns)
        self.screenshots = screenshots
        self.seed = seed if seed is not None else 1
        self.personality = personality
        self.exit_code = 0
        self.shots: list[Path] = []
        self.log: list[str] = []
        self.bot: Diplomat | None = None
        self.played = 0
        self.clicked: list[str] = []
        """Orders given by clicks on the map; `typed`: those typed in the order box."""
        self.typed: list[str] = []
        self._script = self.script()
        self._done = False

    # --- the frame hook ----------------------------------------------------------------------

    def tick(self) -> bool:
        """Advance the script by one frame's worth; False once the demo is over."""
        if self._done:
            return False
        try:
            next(self._script)
        except StopIteration:
            self._done = True
            return False
        except DemoStuck as exc:
            self.log.append(str(exc))
            self.exit_code = 1
            self._done = True
            return False
        return True

    # --- helpers -----------------------------------------------------------------------------

    def until(self, condition: Callable[[], bool], frames: int = WAIT_FRAMES) -> Iterator[None]:
        for _ in range(frames):
            if condition():
                return
            yield
        raise DemoStuck(f"gave up waiting after {frames} frames")

    def type_slowly(self, text: str, per_frame: int = 3) -> Step:
        """Type a few characters a frame, as fast as a person never would (pygame_gui's wrapping
        text box mislays characters when a whole line arrives in one frame)."""
        for i in range(0, len(text), per_frame):
            UiInput.type_text(text[i : i + per_frame])
            yield

    def say(self, line: str) -> None:
        """A line of progress: kept in the log, and told to `progress` (the terminal) at once."""
        self.log.append(line)
        if self.progress is not None:
            self.progress(line)

    def frames(self, n: int) -> Iterator[None]:
        for _ in range(n):
            yield

    def shot(self, name: str) -> None:
        if self.screenshots is None:
            return
        path = self.screenshots / f"{len(self.shots) + 1:02d}-{name}.png"
        self.shots.append(self.app.screenshot(path))

    @property
    def game(self) -> Any:
        return self.app.game

    def _ready_to_play(self) -> bool:
        g = self.game
        return (
            g is not None and g.map_view is not None and g.state.view is not None and g.order_box is not None
        )

    def _diplomat(self) -> Diplomat:
        if self.bot is None:
            g = self.game
            table = Table.from_scenario(g.scenario, g.board)
            self.bot = Diplomat(g.me, PERSONALITIES[self.personality], table, self.seed)
        return self.bot

    # --- the script --------------------------------------------------------------------------

    def script(self) -> Step:
        self.say("demo: starting the game…")
        yield from self.until(self._ready_to_play)
        yield from self.frames(3)
        g = self.game
        me = next((st.name for st in g.scenario.states if st.id == g.me), g.me) if g.scenario else g.me
        self.say(f"demo: a bot plays {me} through the window for {self.turns} turn(s)")
        self.shot("map")
        while self.game.state.phase is not None:
            state = self.game.state
            if state.phase == "movement":
                if self.played >= self.turns:
                    break
                yield from self.diplomacy()
            yield from self.give_orders()
            yield from self.ready_and_wait()
        self.say(
            f"demo: played {self.played} turn(s)"
            + (f"; screenshots in {self.screenshots}" if self.shots else "")
        )

    def diplomacy(self) -> Step:
        """Open the diplomacy panel, draft and send a proposal, send a message (through the panels)."""
        g = self.game
        view = g.state.view
        commands = self._diplomat().open_turn(view)
        proposal = next((c for c in commands if isinstance(c, Propose)), None)
        press = next((c for c in commands if isinstance(c, Press) and c.to), None)
        self.say(
            f"demo: turn {g.state.turn}: diplomacy"
            + (" (a proposal)" if proposal else "")
            + (" and a message" if press else "")
        )
        UiInput.key(pygame.K_d, "d")
        yield from self.frames(3)
        self.shot(f"turn-{g.state.turn}-diplomacy")
        yield from self.propose(proposal)
        yield from self.message(press)

    def propose(self, proposal: Propose | None) -> Step:
        """Open the drafting window (N), fill it in as the bot would propose, send it."""
        g = self.game
        if proposal is None:
            proposal = self._fallback_proposal()
        if proposal is None:
            return
        UiInput.key(pygame.K_n, "n")
        yield from self.frames(3)
        window = g.windows[-1] if g.windows else None
        if window is None or not hasattr(window, "send_button"):
            return
        UiInput.press(window.title_entry)
        yield
        yield from self.type_slowly(proposal.title[:60])
        names = {s.id: s.name for s in g.scenario.states}
        for party in proposal.parties:
            if party != g.me:
                yield from self.pick(window.parties_list, names.get(party, party))
        kinds = [getattr(c, "kind", "") for c in proposal.clauses]
        kind = next((k for k in kinds if k in SIMPLE_CLAUSES), "non_aggression")
        yield from self.choose(window.kind_menu, SIMPLE_CLAUSES[kind])
        UiInput.press(window.add_button)
        yield from self.frames(2)
        self.shot(f"turn-{g.state.turn}-draft")
        UiInput.press(window.send_button)
        yield from self.frames(2)
        yield from self.until(lambda: bool(window.error_text) or window.pending_ref in g.state.replies, 3000)
        yield from self.frames(2)
        if window.alive():
            UiInput.key(pygame.K_ESCAPE)
            yield from self.frames(2)

    def pick(self, selection: Any, text: str) -> Step:
        """Click an item of a selection list, scrolling it with the wheel until the item shows."""
        for _ in range(40):
            item = next((i for i in selection.item_list if i["text"] == text), None)
            if item is None:
                return
            if item["button_element"] is not None:
                UiInput.press(item["button_element"])
                yield
                return
            UiInput.move_mouse(selection.get_abs_rect().center)
            pygame.event.post(
                pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False, precise_x=0.0, precise_y=-1.0)
            )
            yield
            yield

    def _fallback_proposal(self) -> Propose | None:
        """A non-aggression pact with a neighbour, when the bot has nothing to propose this turn."""
        g = self.game
        view = g.state.view
        mine = {territory_of(u["location"]) for u in view["map"]["units"] if u["state"] == g.me}
        near = sorted(
            {
                u["state"]
                for u in view["map"]["units"]
                if u["state"] != g.me
                and any(n in mine for n in g.board.neighbours[territory_of(u["location"])])
            }
        )
        if not near:  # an island: the nearest great power will do
            near = [st.id for st in g.scenario.states if st.playable and st.id != g.me]
        if not near:
            return None
        return Propose(
            state=g.me,
            parties=[g.me, near[0]],
            title="Quiet frontier",
            visibility="secret",
            clauses=[{"kind": "non_aggression"}],
            duration=4,
        )

    def choose(self, menu: Any, text: str) -> Step:
        """Pick an option of a drop-down menu by clicking it open and clicking the option."""
        if (
            menu.selected_option
            and (menu.selected_option[0] if isinstance(menu.selected_option, tuple) else menu.selected_option)
            == text
        ):
            return
        UiInput.press(menu)
        yield from self.frames(2)
        expanded = getattr(menu.current_state, "options_selection_list", None)
        if expanded is None:
            return
        item = next((i for i in expanded.item_list if i["text"] == text), None)
        if item is not None and item["button_element"] is not None:
            UiInput.press(item["button_element"])
        yield from self.frames(2)

    def message(self, press: Press | None) -> Step:
        """Open the messages (M), choose the recipients, type the bot's words, send."""
        g = self.game
        UiInput.key(pygame.K_m, "m")
        yield from self.frames(3)
        panel = g.side.tab("talk").panel
        if panel is None or not hasattr(panel, "contact_buttons"):
            return
        if press is None:
            others = [s for s in panel.contact_buttons if s != g.me]
            if not others:
                return
            press = Press(state=g.me, to=[others[0]], text="Our frontier stays quiet: my word.")
        for state in press.to:
            button = panel.contact_buttons.get(state)
            if button is not None:
                UiInput.press(button)
                yield from self.frames(2)
        UiInput.press(panel.text_entry)
        yield
        # One line only: pygame_gui 0.6.14's wrapping text box can fail to insert a character at a
        # wrap inside the messages panel (a RuntimeError seen in the demo), so long texts are cut.
        yield from self.type_slowly(short_line(press.text))
        UiInput.press(panel.send_button)
        yield from self.frames(4)
        self.shot(f"turn-{g.state.turn}-messages")

    def give_orders(self) -> Step:
        """The bot's orders, clicked on the map where it can be, typed in the order box otherwise."""
        g = self.game
        UiInput.key(pygame.K_ESCAPE)
        g.side.show("orders")
        yield from self.frames(2)
        orders = self._diplomat().orders(g.state.view)
        for text in orders:
            before = list(g.order_box.orders)
            if (yield from self.click_order(text)) and g.order_box.orders != before:
                self.clicked.append(text)
            else:
                yield from self.type_order(text)
                self.typed.append(text)
        yield from self.frames(3)
        self.say(
            f"demo: turn {g.state.turn}, {g.state.phase}: {len(orders)} order(s) "
            f"({sum(1 for o in orders if o in self.clicked)} clicked on the map)"
        )
        self.shot(f"turn-{g.state.turn}-{g.state.phase}-orders")

    def click_order(self, text: str) -> Generator[None, None, bool]:
        """Click one order on the map; False when it cannot be clicked (off screen, not a map order)."""
        g = self.game
        mv = g.map_view
        phase = g.state.phase
        try:
            order = parse_order(text, phase or "movement")
        except OrderSyntaxError:
            return False
        if phase == "retreat" and isinstance(order, Retreat):
            return (
                yield from self._click_all(
                    [mv.screen_of_location(order.location), mv.screen_of_place(order.dest)]
                )
            )
        if phase == "adjustment" and isinstance(order, Build | Remove):
            if isinstance(order, Remove):
                return (yield from self._click_all([mv.screen_of_location(order.location)]))
            tool = mv.tool_button("army" if order.unit_type == "army" else "fleet")
            if tool is None:
                return False
            UiInput.press(tool)
            yield
            yield
            return (yield from self._click_all([mv.screen_of_place(order.location)]))
        if phase != "movement" or not isinstance(order, Hold | Move | Support | Convoy):
            return False
        if isinstance(order, Move) and order.via_convoy:
            return False
        steps: list[tuple[int, int]] = [mv.screen_of_location(order.location)]
        mode = None
        if isinstance(order, Hold):
            steps.append(steps[0])
        elif isinstance(order, Move):
            steps.append(mv.screen_of_place(order.dest))
        elif isinstance(order, Support):
            aimed = self._unit_location(order.target)
            if aimed is None:
                return False
            mode = pygame.K_s
            steps.append(mv.screen_of_location(aimed))
            steps.append(mv.screen_of_place(order.dest) if order.dest else mv.screen_of_location(aimed))
        else:
            aimed = self._unit_location(order.army_at)
            if aimed is None:
                return False
            mode = pygame.K_c
            steps.append(mv.screen_of_location(aimed))
            steps.append(mv.screen_of_place(order.dest))
        if not all(mv.visible(p) for p in steps):
            return False
        if mode is not None:
            UiInput.key(mode)
            yield
        return (yield from self._click_all(steps))

    def _click_all(self, steps: list[tuple[int, int]]) -> Generator[None, None, bool]:
        """Click each place in turn (two frames apart); False, clicking nothing, if one is off the map."""
        if not all(self.game.map_view.visible(p) for p in steps):
            return False
        for pos in steps:
            UiInput.click(pos)
            yield
            yield
        return True

    def _unit_location(self, territory: str) -> str | None:
        for u in self.game.state.view.get("map", {}).get("units", []):
            if territory_of(u["location"]) == territory:
                return str(u["location"])
        return None

    def type_order(self, text: str) -> Step:
        g = self.game
        UiInput.key(pygame.K_o, "o")
        yield
        UiInput.press(g.order_box.entry)
        yield
        UiInput.type_text(text)
        UiInput.key(pygame.K_RETURN, "\r")
        yield
        yield

    def ready_and_wait(self) -> Step:
        """Press R, wait for the phase to resolve, watch the playback, look at the report."""
        g = self.game
        key = g.view_key
        was_movement = g.state.phase == "movement"
        turn = g.state.turn
        UiInput.key(pygame.K_ESCAPE)
        yield
        UiInput.key(pygame.K_r, "r")
        self.say(f"demo: turn {turn}: ready, waiting for the others…")
        yield from self.frames(2)
        yield from self.until(lambda: g.view_key != key or g.state.phase is None)
        self.say(
            f"demo: turn {turn} resolved" + (" — watching the playback" if g.playback is not None else "")
        )
        if was_movement:
            self.played += 1
        if g.playback is not None:
            yield from self.until(lambda: g.playback is None or g.playback.progress(g.clock()) > 0.45)
            self.shot(f"turn-{turn}-playback")
            yield from self.until(lambda: g.playback is None)
            yield from self.frames(3)
            if g.report_window is not None:
                self.shot(f"turn-{turn}-report")
                UiInput.key(pygame.K_ESCAPE)
                yield from self.frames(2)
        yield from self.frames(2)


def demo_driver(
    *, turns: int | None = None, screenshots: Path | None = None, seed: int | None = None
) -> Callable[[Any], DemoDriver]:
    """What `run_client(driver=...)` calls with its app: the demo's driver, printing each step.

    Handed to the client by the launcher, so the client never names this module nor the bots."""

    def make(app: Any) -> DemoDriver:
        return DemoDriver(
            app,
            turns=turns or 2,
            screenshots=screenshots,
            seed=seed,
            progress=lambda line: print(line, flush=True),
        )

    return make

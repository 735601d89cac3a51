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
from game.bots.situation import Table
from game.rules.board import territory_of
from game.rules.commands import Press, Propose
from game.rules.errors import OrderSyntaxError
from game.rules.orders import Convoy, Hold, Move, Support, parse_order

Step = Iterator[None]


class DemoStuck(RuntimeError):
    """The UI did not reach what the demo waited for within the bound."""
WAIT_FRAMES = 20000
"""A bound on any wait (frames): a demo that cannot go on ends instead of hanging."""


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

    def __init__(self, app: Any, *, turns: int = 2, screenshots: Path | None = None, seed: int | None = None,
                 personality: str = "loyal") -> None:
        self.app = app
        self.turns = max(1, turns)
        self.screenshots = screenshots
        self.seed = seed if seed is not None else 1
        self.personality = personality
        self.exit_code = 0
        self.shots: list[Path] = []
        self.log: list[str] = []
        self.bot: Diplomat | None = None
        self.played = 0
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
        return g is not None and g.map_view is not None and g.state.view is not None and g.order_box is not None

    def _diplomat(self) -> Diplomat:
        if self.bot is None:
            g = self.game
            table = Table.from_scenario(g.scenario, g.board)
            self.bot = Diplomat(g.me, PERSONALITIES[self.personality], table, self.seed)
        return self.bot

    # --- the script --------------------------------------------------------------------------

    def script(self) -> Step:
        yield from self.until(self._ready_to_play)
        yield from self.frames(3)
        self.shot("map")
        while self.game.state.phase is not None:
            state = self.game.state
            if state.phase == "movement":
                if self.played >= self.turns:
                    break
                yield from self.diplomacy()
            yield from self.give_orders()
            yield from self.ready_and_wait()
        self.log.append(f"played {self.played} turn(s)")

    def diplomacy(self) -> Step:
        """Open the diplomacy panel, draft and send a proposal, send a message (through the panels)."""
        g = self.game
        view = g.state.view
        commands = self._diplomat().open_turn(view)
        proposal = next((c for c in commands if isinstance(c, Propose)), None)
        press = next((c for c in commands if isinstance(c, Press) and c.to), None)
        UiInput.key(pygame.K_d, "d")
        yield from self.frames(3)
        self.shot(f"turn-{g.state.turn}-diplomacy")
        yield from self.propose(proposal)
        yield from self.message(press)

    def propose(self, proposal: Propose | None) -> Step:
        g = self.game
        UiInput.key(pygame.K_n, "n")
        yield from self.frames(3)
        window = g.windows[-1] if g.windows else None
        if window is None:
            return
        filler = getattr(self, "_fill_draft", None)
        if filler is not None and proposal is not None:
            yield from filler(window, proposal)
        self.shot(f"turn-{g.state.turn}-draft")
        UiInput.key(pygame.K_ESCAPE)
        yield from self.frames(2)

    def message(self, press: Press | None) -> Step:
        g = self.game
        UiInput.key(pygame.K_m, "m")
        yield from self.frames(3)
        sender = getattr(self, "_send_message", None)
        if sender is not None and press is not None:
            yield from sender(press)
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
            if not (yield from self.click_order(text)) or g.order_box.orders == before:
                yield from self.type_order(text)
        yield from self.frames(3)
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
        key = g._view_key
        was_movement = g.state.phase == "movement"
        turn = g.state.turn
        UiInput.key(pygame.K_ESCAPE)
        yield
        UiInput.key(pygame.K_r, "r")
        yield from self.frames(2)
        yield from self.until(lambda: g._view_key != key or g.state.phase is None)
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

"""The map on screen: the renderer in a rectangle of the window, pan and zoom, hover details,
and clicks turned into orders.

The renderer caches the static layer (fills, borders, names), so a frame only copies it and
draws units and arrows; the picture itself is rebuilt only when the view, the orders or the
selection change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pygame
import pygame_gui

from game.client.forecast import forecast_of, warnings_by_order
from game.client.legend import MapLegend
from game.client.map_orders import BuildKind, MapOrders, Mode, Outcome, nearest
from game.client.view_picture import picture_of_view
from game.render import Camera, MapPicture, MapRenderer, RenderOptions
from game.render.fonts import get_font
from game.rules.board import Board, territory_of
from game.rules.scenario import Scenario

DRAG_THRESHOLD = 5
PAN_STEP = 60
TOOLTIP_BG = (16, 21, 25, 235)
INK = (242, 237, 226)
MUTED = (176, 186, 196)
KIND_NAMES = {"land": "land", "sea": "sea", "coast": "coast"}
MODE_KEYS: dict[int, Mode] = {pygame.K_s: "support", pygame.K_c: "convoy", pygame.K_v: "move"}
TOOL_MODES: dict[str, Mode] = {"move": "move", "support": "support", "convoy": "convoy", "hold": "hold"}
"""The toolbar's buttons that choose how the next click orders, by button key."""
BUILD_KINDS: dict[str, BuildKind] = {"army": "army", "fleet": "fleet"}
"""The adjustment toolbar's buttons that choose what a click builds, by button key."""


class MapView:
    """The map in `rect` of the window: draws, pans, zooms, and drafts orders from clicks."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        scenario: Scenario,
        rect: pygame.Rect,
        board: Board | None = None,
        *,
        controls: bool = True,
    ) -> None:
        self.manager = manager
        self.controls = controls
        """False for those who watch (the umpire, an observer): pan, zoom and hover, no orders, no toolbar."""
        self.scenario = scenario
        self.rect = pygame.Rect(rect)
        self.board = board or Board.from_scenario(scenario)
        # Territories too small for their name carry an abbreviation ("Bel."): hover and the legend expand it.
        self.renderer = MapRenderer(
            scenario,
            options=RenderOptions(abbreviate=True, names_always=True),
            camera=Camera((scenario.map.width, scenario.map.height)),
        )
        self.renderer.camera.set_viewport(self.rect.size)
        self.cover()
        self.orders = MapOrders(self.board)
        self.names = {t.id: t.name for t in scenario.map.territories}
        self.state_names = {s.id: s.name for s in scenario.states}
        self.hover: str | None = None
        self.mouse: tuple[int, int] = (0, 0)
        self.hint = ""
        self._press: tuple[int, int] | None = None
        self._dragging = False
        self._picture: MapPicture | None = None
        self._picture_key: tuple[object, ...] | None = None
        self._tooltip: tuple[str | None, pygame.Surface | None] = (None, None)
        self._hint_surface: tuple[str, pygame.Surface | None] = ("", None)
        self._buttons: dict[str, pygame_gui.elements.UIButton] = {}
        self.legend = MapLegend()
        """The legend card (L, or the Legend button): abbreviations on the map and the signs."""
        self.legend_button: pygame_gui.elements.UIButton | None = None
        self._toolbar_phase: str | None = "-"
        self.draws = 0
        self._frame: pygame.Surface | None = None
        self._frame_key: tuple[object, ...] | None = None

    # --- layout ------------------------------------------------------------------------------

    def set_rect(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self.renderer.camera.set_viewport(self.rect.size)
        self.cover()
        self._toolbar_phase = "-"  # rebuild the toolbar at its new place

    def pan(self, dx: float, dy: float) -> None:
        """Move the map by screen pixels, never past its edges (no empty band appears)."""
        self.renderer.camera.pan(dx, dy)
        self._keep_inside()

    def zoom_at(self, factor: float, local: tuple[float, float] | None = None) -> None:
        camera = self.renderer.camera
        camera.zoom_at(factor, local)
        # Never zoomed out past the whole map: below that there is only background to see.
        camera.zoom = max(camera.zoom, 1.0)
        self._keep_inside()

    def _keep_inside(self) -> None:
        """Keep the view on the canvas along each axis where the map is larger than the view.

        It also keeps the cached static layer valid: along an axis where the map exactly fits,
        the view cannot drift by a pixel and force a redraw of every frame."""
        camera = self.renderer.camera
        s = camera.scale
        (vw, vh), (ww, wh) = camera.viewport, camera.world_size
        cx, cy = camera.center
        half_w, half_h = vw / (2 * s), vh / (2 * s)
        cx = min(max(cx, half_w), ww - half_w) if ww * s > vw else ww / 2
        cy = min(max(cy, half_h), wh - half_h) if wh * s > vh else wh / 2
        camera.center = (cx, cy)

    def cover(self) -> None:
        """The whole map in the rectangle the panels leave, centred (Home comes back here): a
        player sees every state at first; a band of background may show along one side."""
        self.renderer.camera.reset()

    def _toolbar(self, phase: str | None) -> None:
        """Mode buttons over the map's top-left corner, for the phase's kinds of order."""
        if phase == self._toolbar_phase:
            return
        for button in self._buttons.values():
            button.kill()
        self._buttons = {}
        self._toolbar_phase = phase
        if self.legend_button is not None:
            self.legend_button.kill()
        self.legend_button = pygame_gui.elements.UIButton(
            pygame.Rect(self.rect.right - 8 - 76, self.rect.y + 8, 76, 30),
            "Legend",
            self.manager,
            tool_tip_text="Abbreviations on the map and the map's signs (L)",
            object_id=pygame_gui.core.ObjectID(class_id="@map_tool", object_id="#map_legend"),
        )
        tools: Sequence[tuple[str, str, str]]
        if not self.controls:
            tools = ()
        elif phase == "movement":
            tools = (
                ("move", "Move", "Click a unit, then where it goes (V)"),
                ("support", "Support", "Click a unit, the unit it supports, then where that one goes (S)"),
                ("convoy", "Convoy", "Click a fleet, the army it carries, then where the army lands (C)"),
                ("hold", "Hold", "Selected unit holds; or click units to hold (H)"),
            )
        elif phase == "retreat":
            tools = (("hold", "Disband", "The selected dislodged unit disbands (H)"),)
        elif phase == "adjustment":
            tools = (
                ("army", "Build army", "Click an empty home supply territory to build an army"),
                ("fleet", "Build fleet", "Click an empty home coast to build a fleet"),
            )
        else:
            tools = ()
        x = self.rect.x + 8
        for key, text, tip in tools:
            width = 24 + 8 * len(text)
            self._buttons[key] = pygame_gui.elements.UIButton(
                pygame.Rect(x, self.rect.y + 8, width, 30),
                text,
                self.manager,
                tool_tip_text=tip,
                object_id=pygame_gui.core.ObjectID(class_id="@map_tool", object_id="#map_tool"),
            )
            x += width + 6
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        for key, button in self._buttons.items():
            on = key == self.orders.mode or (
                key == self.orders.build_kind and self._toolbar_phase == "adjustment"
            )
            if on:
                button.select()
            else:
                button.unselect()

    def tool_button(self, key: str) -> pygame_gui.elements.UIButton | None:
        """A toolbar button by its key (move, support, convoy, hold, army, fleet), if shown."""
        return self._buttons.get(key)

    def set_mode(self, mode: Mode) -> None:
        self.orders.set_mode(mode)
        self._sync_buttons()

    def kill(self) -> None:
        for button in self._buttons.values():
            button.kill()
        self._buttons = {}
        if self.legend_button is not None:
            self.legend_button.kill()
            self.legend_button = None

    def toggle_legend(self) -> None:
        self.legend.toggle()
        if self.legend_button is not None:
            if self.legend.shown:
                self.legend_button.select()
            else:
                self.legend_button.unselect()

    def abbreviations(self) -> list[tuple[str, str]]:
        """(abbreviation, full name) of every abbreviation on the map at the present zoom, by abbreviation."""
        layout = self.renderer.label_layout()
        return sorted((a.text, self.names.get(a.territory, a.territory)) for a in layout.abbreviations)

    # --- coordinates -------------------------------------------------------------------------

    def screen_of_location(self, location: str) -> tuple[int, int]:
        """Window pixel where a unit at `location` stands (for the demo driver and tests)."""
        x, y = self.renderer.unit_position(location)
        return (round(x) + self.rect.x, round(y) + self.rect.y)

    def screen_of_territory(self, territory: str) -> tuple[int, int]:
        """Window pixel of a territory's label anchor: a safe place to click it."""
        x, y = self.renderer.camera.world_to_screen(self.renderer.anchor(territory))
        return (round(x) + self.rect.x, round(y) + self.rect.y)

    def screen_of_place(self, location: str) -> tuple[int, int]:
        """Window pixel of a place to click for `location`: a named coast's own spot, else the label."""
        x, y = self.renderer.camera.world_to_screen(self.renderer.anchor(location))
        return (round(x) + self.rect.x, round(y) + self.rect.y)

    def visible(self, pos: tuple[int, int], margin: int = 12) -> bool:
        """Whether a window pixel lies on the map, clear of its edges and of the toolbar."""
        inner = self.rect.inflate(-2 * margin, -2 * margin)
        return inner.collidepoint(pos) and pos[1] > self.rect.y + 48

    def territory_at(self, pos: tuple[int, int]) -> str | None:
        if not self.rect.collidepoint(pos):
            return None
        return self.abbreviation_at(pos) or self.renderer.territory_at(
            (pos[0] - self.rect.x, pos[1] - self.rect.y)
        )

    def abbreviation_at(self, pos: tuple[int, int]) -> str | None:
        """The territory whose abbreviation ("Bel.") lies under a window pixel: it may overhang its border."""
        camera = self.renderer.camera
        x, y = camera.screen_to_world((pos[0] - self.rect.x, pos[1] - self.rect.y))
        s = camera.scale
        for label in self.renderer.label_layout().abbreviations:
            if pygame.Rect(label.rect).collidepoint(round(x * s), round(y * s)):
                return label.territory
        return None

    def screen_rect_of(self, rect: tuple[int, int, int, int]) -> pygame.Rect:
        """A box of the label layout (map pixels at the present zoom) in window pixels."""
        camera = self.renderer.camera
        s = camera.scale
        x, y = camera.world_to_screen((rect[0] / s, rect[1] / s))
        return pygame.Rect(round(x) + self.rect.x, round(y) + self.rect.y, rect[2], rect[3])

    def _unit_at(self, pos: tuple[int, int], view: Mapping[str, Any]) -> str | None:
        """The territory of a unit token under `pos`: tokens sit above names and may overhang borders."""
        r = self.renderer.token_radius() * 1.3
        for u in view.get("map", {}).get("units", []):
            x, y = self.screen_of_location(u["location"])
            if abs(pos[0] - x) <= r * 1.3 and abs(pos[1] - y) <= r:
                return territory_of(u["location"])
        return None

    # --- input -------------------------------------------------------------------------------

    def process_event(
        self, event: pygame.event.Event, view: Mapping[str, Any] | None, me: str
    ) -> Outcome | None:
        """Handle pan, zoom, hover and clicks; return the outcome of an order click."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if self.legend_button is not None and event.ui_element is self.legend_button:
                self.toggle_legend()
                return None
            for key, button in self._buttons.items():
                if event.ui_element is button:
                    return self._tool(key, view, me)
            return None
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
            if self._press is not None:
                dx, dy = event.pos[0] - self._press[0], event.pos[1] - self._press[1]
                if self._dragging or abs(dx) + abs(dy) > DRAG_THRESHOLD:
                    self._dragging = True
                    self.pan(event.rel[0], event.rel[1])
            over_legend = self.legend.rect is not None and self.legend.rect.collidepoint(event.pos)
            self.hover = None if over_legend else self.territory_at(event.pos)
            return None
        if event.type == pygame.MOUSEWHEEL:
            if self.rect.collidepoint(self.mouse):
                local = (self.mouse[0] - self.rect.x, self.mouse[1] - self.rect.y)
                self.zoom_at(1.2 if event.y > 0 else 1 / 1.2, local)
            return None
        if event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 2, 3):
            if self.legend.rect is not None and self.legend.rect.collidepoint(event.pos):
                return None  # a click on the legend card is not for the map
            if self.rect.collidepoint(event.pos):
                self._press = event.pos
                self._dragging = False
            return None
        if event.type == pygame.MOUSEBUTTONUP and event.button in (1, 2, 3):
            pressed, dragged = self._press, self._dragging
            self._press, self._dragging = None, False
            if pressed is None or dragged or not view or not self.controls:
                return None
            if event.button == 3:
                self.orders.cancel()
                self.hint = ""
                return None
            mods = pygame.key.get_mods()
            if (
                self.orders.selected is not None
                and self.orders.aim is None
                and mods & (pygame.KMOD_SHIFT | pygame.KMOD_CTRL)
            ):
                self.orders.mode = "support" if mods & pygame.KMOD_SHIFT else "convoy"
            territory = self._unit_at(event.pos, view) or self.territory_at(event.pos)
            return self._click(territory, event.pos, view, me)
        if event.type == pygame.KEYDOWN:
            return self._key(event, view, me)
        return None

    def _click(
        self, territory: str | None, pos: tuple[int, int], view: Mapping[str, Any], me: str
    ) -> Outcome:
        local = (pos[0] - self.rect.x, pos[1] - self.rect.y)
        world = self.renderer.camera.screen_to_world(local)
        outcome = self.orders.click(
            territory, view, me, lambda options: nearest(options, self.renderer.anchor, world)
        )
        if (
            outcome.order is not None
            and self.orders.mode in ("support", "convoy")
            and self.orders.selected is None
        ):
            self.orders.mode = "move"  # a modifier-key support goes back to moving afterwards
        self._sync_buttons()
        self.hint = outcome.hint
        return outcome

    def _tool(self, key: str, view: Mapping[str, Any] | None, me: str) -> Outcome | None:
        if key in BUILD_KINDS:
            self.orders.build_kind = BUILD_KINDS[key]
            self._sync_buttons()
            return None
        if key == "hold" and view and self.orders.selected is not None:
            outcome = self.orders.hold(view, me)
            self.hint = outcome.hint
            return outcome
        if key in TOOL_MODES:
            self.set_mode(TOOL_MODES[key])
        return None

    def _key(self, event: pygame.event.Event, view: Mapping[str, Any] | None, me: str) -> Outcome | None:
        if event.key == pygame.K_LEFT:
            self.pan(PAN_STEP, 0)
        elif event.key == pygame.K_RIGHT:
            self.pan(-PAN_STEP, 0)
        elif event.key == pygame.K_UP:
            self.pan(0, PAN_STEP)
        elif event.key == pygame.K_DOWN:
            self.pan(0, -PAN_STEP)
        elif event.key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.zoom_at(1.25)
        elif event.key in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.zoom_at(1 / 1.25)
        elif event.key in (pygame.K_HOME, pygame.K_0):
            self.cover()
        elif event.key == pygame.K_l or (event.key == pygame.K_ESCAPE and self.legend.shown):
            self.toggle_legend()  # L opens and closes the legend; Esc closes it
        elif not self.controls:
            return None
        elif event.key == pygame.K_h and view:
            outcome = self.orders.hold(view, me)
            self.hint = outcome.hint
            return outcome
        elif event.key in MODE_KEYS:
            self.set_mode(MODE_KEYS[event.key])
        elif event.key == pygame.K_ESCAPE:
            self.orders.cancel()
            self.hint = ""
        else:
            return None
        return Outcome()

    # --- drawing -----------------------------------------------------------------------------

    def picture(self, view: Mapping[str, Any] | None, revision: int, orders: Sequence[str]) -> MapPicture:
        """The picture to draw, rebuilt only when what it shows changed."""
        highlighted: set[str] = set()
        if view and self.orders.selected is not None:
            highlighted = {self.orders.selected, *self.orders.targets(view)}
        warned = frozenset(warnings_by_order(forecast_of(view)))
        key = (revision, tuple(orders), frozenset(highlighted), id(view), warned)
        if key != self._picture_key or self._picture is None:
            self._picture = picture_of_view(view, orders, highlighted, warned)
            self._picture_key = key
        return self._picture

    def draw(
        self,
        surface: pygame.Surface,
        picture: MapPicture,
        view: Mapping[str, Any] | None = None,
        tooltip: bool = True,
    ) -> None:
        self._toolbar(view.get("phase") if view else None)
        target = surface.subsurface(self.rect)
        camera = self.renderer.camera
        key = (id(picture), camera.zoom, camera.center, self.rect.size)
        if key != self._frame_key or self._frame is None:
            # Units and arrows are drawn only when the picture or the camera moved; a quiet frame
            # is one copy (a big map has hundreds of units to place).
            if self._frame is None or self._frame.get_size() != self.rect.size:
                self._frame = pygame.Surface(self.rect.size, 0, surface)
            self.renderer.draw(self._frame, picture)
            self._frame_key = key
            self.draws += 1
        target.blit(self._frame, (0, 0))
        if self.hint:
            self._draw_hint(target)
        self.legend.draw(surface, self.rect, self.abbreviations())
        if tooltip and self.hover and self._press is None:
            self.draw_tooltip(surface, view)

    def _draw_hint(self, target: pygame.Surface) -> None:
        text, cached = self._hint_surface
        if text != self.hint or cached is None:
            font = get_font(14, "bold")
            ink = font.render(self.hint, True, INK)
            cached = pygame.Surface((ink.get_width() + 20, ink.get_height() + 10), pygame.SRCALPHA)
            cached.fill(TOOLTIP_BG)
            cached.blit(ink, (10, 5))
            self._hint_surface = (self.hint, cached)
        target.blit(
            cached,
            ((target.get_width() - cached.get_width()) // 2, target.get_height() - cached.get_height() - 10),
        )

    def tooltip_lines(self, territory: str, view: Mapping[str, Any] | None) -> list[str]:
        """What hovering a territory tells: its name and kind, holder, supply and home, the unit there."""
        info = self.board.territories[territory]
        lines = [f"{info.name} ({territory})"]
        short = next(
            (a.text for a in self.renderer.label_layout().abbreviations if a.territory == territory), None
        )
        kind = KIND_NAMES.get(info.kind, info.kind)
        if info.coasts:
            kind += ", coasts " + ", ".join(info.coasts)
        facts = [kind]
        if info.supply:
            facts.append("supply")
        if info.home:
            facts.append(f"home of {self.state_names.get(info.home, info.home)}")
        if short:
            facts.append(f"“{short}” on the map")
        lines.append(" · ".join(facts))
        if view and info.kind != "sea":
            holder = view.get("map", {}).get("owners", {}).get(territory)
            lines.append(f"held by {self.state_names.get(holder, holder)}" if holder else "unheld")
        if view:
            for u in view.get("map", {}).get("units", []):
                if territory_of(u["location"]) == territory:
                    who = self.state_names.get(u["state"], u["state"])
                    _, _, coast = str(u["location"]).partition("/")
                    where = f" (on the {coast.upper()} coast)" if coast else ""
                    lines.append(f"{who}'s {u['type']} here{where}")
        return lines

    def draw_tooltip(self, surface: pygame.Surface, view: Mapping[str, Any] | None) -> None:
        assert self.hover is not None
        key = f"{self.hover}|{id(view)}|{self.renderer.camera.scale}"
        if self._tooltip[0] != key or self._tooltip[1] is None:
            lines = self.tooltip_lines(self.hover, view)
            bold, small = get_font(14, "bold"), get_font(13)
            inks = [bold.render(lines[0], True, INK)] + [
                small.render(line, True, MUTED) for line in lines[1:]
            ]
            w = max(i.get_width() for i in inks) + 20
            h = sum(i.get_height() + 2 for i in inks) + 12
            box = pygame.Surface((w, h), pygame.SRCALPHA)
            pygame.draw.rect(box, TOOLTIP_BG, box.get_rect(), border_radius=5)
            pygame.draw.rect(box, (122, 140, 155), box.get_rect(), 1, border_radius=5)
            y = 6
            for ink in inks:
                box.blit(ink, (10, y))
                y += ink.get_height() + 2
            self._tooltip = (key, box)
        tip = self._tooltip[1]
        assert tip is not None
        x, y = self.mouse[0] + 16, self.mouse[1] + 18
        x = min(x, self.rect.right - tip.get_width() - 4)
        y = min(y, self.rect.bottom - tip.get_height() - 4)
        surface.blit(tip, (x, y))

"""The map renderer: a scenario's territories, names, supply marks, units and arrows on any surface.

Drawing is split in two layers.  The static layer (fills, borders, names, supply marks)
depends only on the camera's scale and who holds what, so it is drawn once into a cached
tile a little larger than the view and re-used while the view pans inside it.  Units,
arrows and highlights change every frame and are drawn over it.  Projected polygons are
cached per scale, so a pan never re-projects the map.  Names are placed once per scale by
`game.render.labels` (inside their territory, clear of each other, of supply marks and of
the spots where units stand); `label_layout` gives that placement as data.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

import pygame

from game.render import arrows as arrow_drawing
from game.render.camera import Camera
from game.render.fonts import halo_text
from game.render.geometry import (
    BBox,
    EdgeStyle,
    Point,
    TerritoryShape,
    bbox_of,
    classify_edges,
    interior_point,
    nearest_on_rings,
    point_in_shape,
    ring_area,
)
from game.render.labels import LabelLayout, LabelTarget, block_size, face_of, place_labels
from game.render.map_picture import MapPicture, UnitMark, split_location
from game.render.palette import DEFAULT_PALETTE, RGB, Palette, darken, fallback_state_colour, hex_to_rgb, mix
from game.render.units import token_size, unit_token
from game.rules.scenario import Scenario

Vec = tuple[float, float]
ScaledRing = list[tuple[float, float]]


@dataclass(frozen=True)
class RenderOptions:
    """What to draw, and how finely."""

    names: bool = True
    supply: bool = True
    home: bool = True
    units: bool = True
    arrows: bool = True
    supersample: int = 1
    """Draw fills and borders this many times larger and smooth them down (2 for print-quality previews)."""
    min_label_px: int = 8
    """Names smaller than this are not drawn."""
    names_always: bool = False
    """A picture to read (the preview): names at the smallest size rather than none, where they fit."""
    max_label_px: int = 22
    label_scale: float = 1.0
    abbreviate: bool = False
    """Territories too small for their name get an abbreviation ("Bel.") instead (the client's map)."""


@dataclass
class _Territory:
    """A territory as the renderer needs it, computed once per scenario."""

    index: int
    id: str
    name: str
    is_sea: bool
    supply: bool
    home: str | None
    parts: list[list[Point]]
    holes: list[list[Point]]
    bbox: BBox
    area: float
    anchor: Point
    coast_anchors: dict[str, Point] = field(default_factory=dict)


@dataclass
class _Projection:
    """Polygons and border lines multiplied by one scale (not yet offset by the view)."""

    parts: list[list[ScaledRing]]
    holes: list[list[ScaledRing]]
    lines: dict[EdgeStyle, list[ScaledRing]]


_NOWHERE = _Territory(-1, "", "", False, False, None, [], [], (0.0, 0.0, 0.0, 0.0), 0.0, (0.0, 0.0))
"""Stands in for an unknown territory id: no parts, so nothing is drawn for it."""


class MapRenderer:
    """Draws a scenario's map with a camera; call `draw(surface, picture)` each frame."""

    def __init__(
        self,
        scenario: Scenario,
        palette: Palette = DEFAULT_PALETTE,
        options: RenderOptions | None = None,
        camera: Camera | None = None,
    ) -> None:
        self.scenario = scenario
        self.palette = palette
        self.options = options or RenderOptions()
        self.world_size: tuple[float, float] = (scenario.map.width, scenario.map.height)
        self.camera = camera or Camera(self.world_size)
        self._states: dict[str, RGB] = {s.id: hex_to_rgb(s.colour) for s in scenario.states}
        self._territories = self._prepare_territories(scenario)
        self._by_id = {t.id: t for t in self._territories}
        self._draw_order = self._fill_order()
        network = classify_edges(
            [
                TerritoryShape(t.id, t.is_sea, tuple(tuple(r) for r in [*t.parts, *t.holes]))
                for t in self._territories
            ],
            self.world_size,
        )
        self._lines = network.polylines
        self._sides = network.sides
        self._line_bboxes = {
            style: [bbox_of([line]) for line in lines] for style, lines in self._lines.items()
        }
        self._place_coast_anchors(scenario, network.shared)
        sizes = sorted(math.sqrt(max(t.area, 1e-9)) for t in self._territories if not t.is_sea) or [
            min(self.world_size) / 8
        ]
        self._typical_size = sizes[len(sizes) // 2]
        """Median side of a land territory (canvas units): token and label sizes follow it."""
        self._projections: OrderedDict[float, _Projection] = OrderedDict()
        self._layouts: OrderedDict[tuple[float, RenderOptions], LabelLayout] = OrderedDict()
        self._tile: pygame.Surface | None = None
        self._tile_rect = pygame.Rect(0, 0, 0, 0)
        self._tile_key: tuple[object, ...] | None = None
        self._tile_owners: dict[str, str | None] = {}
        self._tile_owners_src: Mapping[str, str | None] | None = None
        self.static_redraws = 0
        """How often the static layer was drawn: a pan inside the cached tile must not add to it."""

    # ------------------------------------------------------------------ setup

    @staticmethod
    def _prepare_territories(scenario: Scenario) -> list[_Territory]:
        out: list[_Territory] = []
        for index, t in enumerate(scenario.map.territories):
            parts = [[(float(x), float(y)) for x, y in ring] for ring in t.polygons]
            holes = [[(float(x), float(y)) for x, y in ring] for ring in t.holes]
            area = sum(abs(ring_area(r)) for r in parts) - sum(abs(ring_area(r)) for r in holes)
            anchor = (float(t.label[0]), float(t.label[1])) if t.label else interior_point(parts, holes)
            out.append(
                _Territory(
                    index=index,
                    id=t.id,
                    name=t.name,
                    is_sea=t.kind == "sea",
                    supply=t.supply,
                    home=t.home,
                    parts=parts,
                    holes=holes,
                    bbox=bbox_of(parts),
                    area=max(area, 0.0),
                    anchor=anchor,
                )
            )
        return out

    def _fill_order(self) -> list[_Territory]:
        """Seas first, then land with holes (largest first, holes painted as water), then other land.

        Whatever lies in a hole (an enclave, an island in a sea's hole) is drawn later, over
        the water tint; a lake, or an inland sea whose fill is the water tint, stays water.
        """
        seas = [t for t in self._territories if t.is_sea]
        holed = sorted((t for t in self._territories if t.holes and not t.is_sea), key=lambda t: -t.area)
        land = [t for t in self._territories if not t.holes and not t.is_sea]
        return [*seas, *holed, *land]

    def _place_coast_anchors(
        self, scenario: Scenario, shared: dict[tuple[str, str], list[tuple[Point, Point]]]
    ) -> None:
        """Put each named coast's unit spot between the territory's label and the shore it faces."""
        for source in scenario.map.territories:
            if not source.coasts:
                continue
            t = self._by_id[source.id]
            rings = [*t.parts, *t.holes]
            for coast in source.coasts:
                seas = [split_location(n)[0] for n in coast.neighbours]
                edges = [e for sea in seas if sea in self._by_id for e in shared.get((t.id, sea), [])]
                if edges:
                    total = sum(math.dist(a, b) for a, b in edges) or 1.0
                    mx = sum((a[0] + b[0]) / 2 * math.dist(a, b) for a, b in edges) / total
                    my = sum((a[1] + b[1]) / 2 * math.dist(a, b) for a, b in edges) / total
                    target = nearest_on_rings((mx, my), rings)
                else:
                    others = [self._by_id[s].anchor for s in seas if s in self._by_id]
                    if not others:
                        continue
                    mx = sum(p[0] for p in others) / len(others)
                    my = sum(p[1] for p in others) / len(others)
                    target = nearest_on_rings((mx, my), rings)
                t.coast_anchors[coast.id] = self._inside_towards(t, t.anchor, target)

    @staticmethod
    def _inside_towards(t: _Territory, start: Point, target: Point) -> Point:
        for f in (0.62, 0.5, 0.38, 0.25):
            p = (start[0] + (target[0] - start[0]) * f, start[1] + (target[1] - start[1]) * f)
            if point_in_shape(p[0], p[1], t.parts, t.holes):
                return p
        return start

    # ------------------------------------------------------------- colours

    def state_colour(self, state_id: str | None) -> RGB:
        """A state's colour: the scenario's, else a stable colour-blind-safe default."""
        if state_id is None:
            return self.palette.land_neutral
        colour = self._states.get(state_id)
        if colour is None:
            colour = hex_to_rgb(fallback_state_colour(state_id))
            self._states[state_id] = colour
        return colour

    def fill_colour(self, territory_id: str, owner: str | None) -> RGB:
        """The fill of a territory: water for seas, the holder's lightened colour, or the neutral tint."""
        t = self._by_id[territory_id]
        if t.is_sea:
            return self.palette.water
        if owner is None:
            return self.palette.land_neutral
        return self.palette.fill_for(self.state_colour(owner))

    # --------------------------------------------------------------- sizes

    def _typical_px(self, scale: float) -> float:
        return self._typical_size * scale

    def label_px(self, scale: float | None = None) -> int:
        """Font size of names at a scale (0 when names are too small to draw)."""
        s = self.camera.scale if scale is None else scale
        px = round(self._typical_px(s) * 0.17 * self.options.label_scale)
        px = min(px, self.options.max_label_px)
        if px >= self.options.min_label_px:
            return px
        return self.options.min_label_px if self.options.names_always else 0

    def token_radius(self, scale: float | None = None) -> int:
        s = self.camera.scale if scale is None else scale
        return max(7, min(18, round(self._typical_px(s) * 0.12)))

    # ------------------------------------------------------------ geometry

    def _projection(self, scale: float) -> _Projection:
        cached = self._projections.get(scale)
        if cached is not None:
            self._projections.move_to_end(scale)
            return cached
        s = scale
        projection = _Projection(
            parts=[[[(x * s, y * s) for x, y in ring] for ring in t.parts] for t in self._territories],
            holes=[[[(x * s, y * s) for x, y in ring] for ring in t.holes] for t in self._territories],
            lines={
                style: [[(x * s, y * s) for x, y in line] for line in lines]
                for style, lines in self._lines.items()
            },
        )
        self._projections[scale] = projection
        while len(self._projections) > 4:
            self._projections.popitem(last=False)
        return projection

    def territory_at(self, screen_pos: Vec) -> str | None:
        """The territory under a screen point (as last drawn), or None off the map."""
        x, y = self.camera.screen_to_world(screen_pos)
        for t in reversed(self._draw_order):
            x0, y0, x1, y1 = t.bbox
            if x0 <= x <= x1 and y0 <= y <= y1 and point_in_shape(x, y, t.parts, t.holes):
                return t.id
        return None

    def anchor(self, location: str) -> Point:
        """Canvas point where a unit at `location` stands (`spa/nc` near Spain's north coast)."""
        territory, coast = split_location(location)
        t = self._by_id[territory]
        if coast and coast in t.coast_anchors:
            return t.coast_anchors[coast]
        return t.anchor

    def unit_position(self, location: str) -> Vec:
        """Screen point of a unit at `location` under the current camera."""
        territory, coast = split_location(location)
        x, y = self.camera.world_to_screen(self.anchor(location))
        if coast and coast in self._by_id[territory].coast_anchors:
            return (x, y)
        return (x, y + self._unit_dy())

    def _unit_dy(self, scale: float | None = None) -> float:
        """Units sit just above the name's usual place, so both stay readable."""
        px = self.label_px(scale) if self.options.names else 0
        if not px:
            return 0.0
        return -(self.token_radius(scale) * 0.9 + block_size(("Ag",), px, False)[1] / 2 + 2)

    def _unit_spots(self, scale: float) -> list[pygame.Rect]:
        """Where a unit may stand on the map at this scale (map pixels): names keep clear of them."""
        if not self.options.units:
            return []
        r = self.token_radius(scale)
        w = max(token_size("army", r)[0], token_size("fleet", r)[0])
        h = max(token_size("army", r)[1], token_size("fleet", r)[1])
        dy = self._unit_dy(scale)
        spots = []
        for t in self._territories:
            if not t.parts:
                continue
            points = [(t.anchor[0] * scale, t.anchor[1] * scale + dy)]
            points += [(x * scale, y * scale) for x, y in t.coast_anchors.values()]
            for x, y in points:
                spot = pygame.Rect(0, 0, round(w * 0.9), round(h * 0.9))
                spot.center = (round(x), round(y))
                spots.append(spot)
        return spots

    def label_layout(self, scale: float | None = None) -> LabelLayout:
        """Where every name goes at a scale (map pixels: canvas point (0, 0) at (0, 0)), and which are left out."""
        s = self.camera.scale if scale is None else scale
        key = (s, self.options)
        cached = self._layouts.get(key)
        if cached is not None:
            self._layouts.move_to_end(key)
            return cached
        projection = self._projection(s)
        px = self.label_px(s) if self.options.names else 0
        targets = [
            LabelTarget(
                id=t.id,
                name=t.name,
                sea=t.is_sea,
                supply=t.supply and self.options.supply,
                parts=projection.parts[t.index],
                holes=projection.holes[t.index],
                anchor=(t.anchor[0] * s, t.anchor[1] * s),
                area=t.area,
            )
            for t in self._territories
        ]
        size = (math.floor(self.world_size[0] * s), math.floor(self.world_size[1] * s))
        layout = place_labels(
            targets,
            size,
            px,
            self.options.min_label_px,
            self._mark_radius(s),
            self._unit_spots(s) if px else [],
            abbreviate=self.options.abbreviate,
        )
        self._layouts[key] = layout
        while len(self._layouts) > 4:
            self._layouts.popitem(last=False)
        return layout

    def _mark_radius(self, scale: float) -> int:
        px = self.label_px(scale) if self.options.names else 0
        return max(2, round((px or self.token_radius(scale) * 1.6) * 0.3))

    # ------------------------------------------------------------- drawing

    def draw(self, surface: pygame.Surface, picture: MapPicture) -> None:
        """Draw the map and the picture onto the whole of `surface`."""
        self.camera.set_viewport(surface.get_size())
        self._ensure_tile(surface, picture.owners)
        assert self._tile is not None
        ox, oy = self.camera.origin
        vw, vh = self.camera.viewport
        surface.blit(self._tile, (0, 0), pygame.Rect(ox - self._tile_rect.x, oy - self._tile_rect.y, vw, vh))
        if picture.highlighted:
            self._draw_highlights(surface, picture.highlighted)
        if self.options.arrows and picture.arrows:
            self._draw_arrows(surface, picture)
        if self.options.units and picture.units:
            self._draw_units(surface, picture.units)

    def invalidate(self) -> None:
        """Forget the cached static layer (after changing the palette or options in place)."""
        self._tile = None
        self._tile_key = None

    def _ensure_tile(self, surface: pygame.Surface, owners: Mapping[str, str | None]) -> None:
        scale = self.camera.scale
        ox, oy = self.camera.origin
        vw, vh = self.camera.viewport
        view = pygame.Rect(ox, oy, vw, vh)
        key = (scale, self.options, self.palette, surface.get_bitsize())
        same_owners = owners is self._tile_owners_src or owners == self._tile_owners
        if (
            self._tile is not None
            and key == self._tile_key
            and same_owners
            and self._tile_rect.contains(view)
        ):
            self._tile_owners_src = owners
            return
        world_px = (self.world_size[0] * scale, self.world_size[1] * scale)
        # A margin lets the view pan a while before the tile must be redrawn; none when the map fits.
        mx = round(vw * 0.25) if world_px[0] > vw else 0
        my = round(vh * 0.25) if world_px[1] > vh else 0
        rect = view.inflate(2 * mx, 2 * my)
        self._tile = self._draw_static(surface, rect, scale, owners)
        self.static_redraws += 1
        self._tile_rect = rect
        self._tile_key = key
        self._tile_owners = dict(owners)
        self._tile_owners_src = owners

    def _draw_static(
        self, target: pygame.Surface, rect: pygame.Rect, scale: float, owners: Mapping[str, str | None]
    ) -> pygame.Surface:
        """Fills, borders, names and supply marks of the part of the map under `rect` (scaled pixels)."""
        pal = self.palette
        ss = max(1, int(self.options.supersample))
        projection = self._projection(scale)
        tx, ty = rect.x, rect.y
        # Same pixel format as the target, so the per-frame blit is a plain copy (smoothscale needs 32 bits).
        same_format = ss == 1 and target.get_bitsize() == 32
        geo = pygame.Surface((rect.w * ss, rect.h * ss), 0, target if same_format else 32)
        geo.fill(pal.background)
        canvas = pygame.Rect(
            round(-tx * ss),
            round(-ty * ss),
            round(self.world_size[0] * scale * ss),
            round(self.world_size[1] * scale * ss),
        )
        geo.fill(pal.water, canvas)

        def visible(bbox: BBox) -> bool:
            x0, y0, x1, y1 = bbox
            return (
                x1 * scale >= tx
                and x0 * scale <= tx + rect.w
                and y1 * scale >= ty
                and y0 * scale <= ty + rect.h
            )

        def shift(ring: ScaledRing) -> list[tuple[float, float]]:
            return [((x - tx) * ss, (y - ty) * ss) for x, y in ring]

        typical = self._typical_px(scale)
        glow_w = max(2, min(12, round(typical * 0.07))) * ss
        glow = mix(pal.water, pal.paper, 0.28)
        glow_done = False
        for t in self._draw_order:
            if not t.is_sea and not glow_done:
                # A pale band of shallow water along every coast, half hidden by the land drawn next.
                glow_done = True
                for line, bbox in zip(projection.lines["coast"], self._line_bboxes["coast"], strict=True):
                    if visible(bbox):
                        pygame.draw.lines(geo, glow, False, shift(line), glow_w)
            if not visible(t.bbox):
                continue
            colour = self.fill_colour(t.id, owners.get(t.id))
            for ring in projection.parts[t.index]:
                pygame.draw.polygon(geo, colour, shift(ring))
            for ring in projection.holes[t.index]:
                pygame.draw.polygon(geo, pal.water, shift(ring))

        coast_w = 1 if typical < 40 else 2 if typical < 110 else 3
        styles: tuple[tuple[EdgeStyle, RGB, int], ...] = (
            ("sea", pal.border_sea, 1),
            ("land", pal.border_land, 1),
            ("coast", pal.border_coast, coast_w),
        )
        frontier_w = 1 if typical < 40 else 2 if typical < 160 else 3
        for style, colour, width in styles:
            lines = projection.lines[style]
            for line, bbox, (a, b) in zip(lines, self._line_bboxes[style], self._sides[style], strict=True):
                if not visible(bbox):
                    continue
                line_colour, line_w = colour, width
                if style == "land" and b is not None and owners.get(a) != owners.get(b):
                    line_colour, line_w = pal.border_frontier, frontier_w  # between two holders
                points = shift(line)
                if ss > 1:
                    pygame.draw.lines(geo, line_colour, False, points, line_w * ss)
                else:
                    if line_w > 1:
                        pygame.draw.lines(geo, line_colour, False, points, line_w)
                    pygame.draw.aalines(geo, line_colour, False, points)

        if ss > 1:
            geo = pygame.transform.smoothscale(geo, rect.size)
        tile = geo if same_format or target.get_bitsize() != 32 else geo.convert(target)
        self._draw_labels(tile, rect, scale, owners)
        return tile

    def _draw_labels(
        self, tile: pygame.Surface, rect: pygame.Rect, scale: float, owners: Mapping[str, str | None]
    ) -> None:
        layout = self.label_layout(scale)
        pal = self.palette
        mark_r = self._mark_radius(scale)
        view = pygame.Rect(0, 0, rect.w, rect.h)
        for label in (*layout.labels, *layout.abbreviations):
            box = pygame.Rect(label.rect).move(-rect.x, -rect.y)
            if not view.colliderect(box.inflate(2 * mark_r + 4, 2 * mark_r + 4)):
                continue
            face, italic = face_of(label.sea)
            colour, halo = (pal.water_label, pal.water_halo) if label.sea else (pal.label, pal.label_halo)
            x, y, w, _ = label.text_rect
            step = block_size(label.lines, label.size, label.sea)[2]
            for i, line in enumerate(label.lines):
                text = halo_text(line, label.size, colour, halo, face, italic, 1)
                tile.blit(text, (x - rect.x + (w - text.get_width()) // 2, y - rect.y + i * step))
            if label.mark is not None and self.options.supply:
                self._draw_supply(
                    tile,
                    (label.mark[0] - rect.x, label.mark[1] - rect.y),
                    mark_r,
                    self._by_id[label.territory],
                )
        for territory, (mx, my) in layout.marks:
            if self.options.supply and view.collidepoint(mx - rect.x, my - rect.y):
                self._draw_supply(tile, (mx - rect.x, my - rect.y), mark_r, self._by_id[territory])

    def _draw_supply(self, tile: pygame.Surface, centre: tuple[int, int], r: int, t: _Territory) -> None:
        home_colour = self.state_colour(t.home) if (self.options.home and t.home) else None
        draw_supply_mark(tile, centre, r, self.palette, home_colour)

    def _draw_highlights(self, surface: pygame.Surface, ids: frozenset[str]) -> None:
        projection = self._projection(self.camera.scale)
        ox, oy = self.camera.origin
        for tid in sorted(ids):
            t = self._by_id.get(tid)
            if t is None:
                continue
            for ring in projection.parts[t.index]:
                points = [(x - ox, y - oy) for x, y in ring]
                pygame.draw.lines(surface, darken(self.palette.highlight, 0.35), True, points, 5)
                pygame.draw.lines(surface, self.palette.highlight, True, points, 3)

    def _draw_units(self, surface: pygame.Surface, units: tuple[UnitMark, ...]) -> None:
        r = self.token_radius()
        outline = self.palette.unit_outline
        for unit in units:
            territory = self._by_id.get(split_location(unit.at)[0])
            if territory is None or not territory.parts:
                continue
            x, y = self.unit_position(unit.at)
            if unit.dislodged:
                x, y = x + r * 0.9, y + r * 0.7
            token = unit_token(unit.kind, self.state_colour(unit.state), r, outline, unit.dislodged)
            surface.blit(token, (round(x - token.get_width() / 2), round(y - token.get_height() / 2)))

    def _draw_arrows(self, surface: pygame.Surface, picture: MapPicture) -> None:
        r = self.token_radius()
        width = max(3.0, r * 0.5)
        outline = self.palette.unit_outline
        marks: list[Vec] = []
        for arrow in picture.arrows:
            locations = [arrow.source, arrow.target] + ([arrow.aim] if arrow.aim else [])
            if not all(self._by_id.get(split_location(loc)[0], _NOWHERE).parts for loc in locations):
                continue
            colour = mix(self.state_colour(arrow.state), (255, 255, 255), 0.1)
            start = self.unit_position(arrow.source)
            end = self.unit_position(arrow.target)
            if arrow.kind == "hold":
                arrow_drawing.draw_hold(surface, start, r * 1.55, colour, outline, width * 0.7)
                mark = (start[0] + r * 1.3, start[1] - r * 1.3)
            elif arrow.kind == "move":
                a, b = arrow_drawing.shorten(start, end, r * 1.2, r * 0.9)
                arrow_drawing.draw_move(surface, a, b, colour, outline, width)
                mark = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
            else:
                if arrow.aim:
                    aim = self.unit_position(arrow.aim)
                    end = ((aim[0] + end[0]) / 2, (aim[1] + end[1]) / 2)
                    a, b = arrow_drawing.shorten(start, end, r * 1.2, 0)
                else:
                    a, b = arrow_drawing.shorten(start, end, r * 1.2, r * 1.3)
                arrow_drawing.draw_dashed(
                    surface, a, b, colour, outline, width * 0.7, dotted=arrow.kind == "convoy"
                )
                mark = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
            if arrow.warned:
                marks.append(mark)
        # Over every arrow, so no other order hides a warning.
        for mark in marks:
            arrow_drawing.draw_warning(surface, mark, max(15.0, r * 2.0))


def draw_supply_mark(
    surface: pygame.Surface, centre: tuple[int, int], r: int, palette: Palette, home_colour: RGB | None = None
) -> None:
    """A supply territory's mark: a dark dot with a pale centre; a home's has a ring in its state's colour."""
    if home_colour is not None:
        pygame.draw.circle(surface, palette.supply, centre, r + 2)
        pygame.draw.circle(surface, home_colour, centre, r + 1)
        pygame.draw.circle(surface, palette.supply, centre, max(1, r - 1))
    else:
        pygame.draw.circle(surface, palette.supply_inner, centre, r + 1)
        pygame.draw.circle(surface, palette.supply, centre, r)
    pygame.draw.circle(surface, palette.supply_inner, centre, max(1, r // 2 - (0 if r > 3 else 1)))

"""Where territory names go: inside their territory, on the map, and never over another name.

A name is tried, in order: at full size, then split over two lines, then in smaller type,
then shortened ("Bohemia-Mor."); each at the territory's label point first, then at other
points inside the territory, nearest first.  A place is taken when the name's box (with
its supply mark) lies on the map, at least four fifths inside the territory, and clear of
every name already placed, every supply mark and every unit's spot.  A territory whose name
fits nowhere is left unnamed on the map: the caller lists it elsewhere (the preview's legend;
the client names it when zoomed in, and on hover).  Small territories are placed first,
since they have the fewest places to go; seas last.

With `abbreviate`, each territory still unnamed then gets its abbreviation ("Bel." for
Belgium, `abbreviations`) at the smallest size, by the same rules; for these tiny ones the
share inside is relaxed step by step down to none, the box staying on the map and clear of
every name, mark and unit spot.  The client expands them on hover and in its legend.

The result is plain data (`LabelLayout`), so a test can check that no two boxes overlap
and that every box lies inside the picture.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pygame

from game.render.fonts import Face, get_font
from game.render.geometry import Point

INSIDE = 0.8
"""Share of a name's box that must lie inside its territory."""
ABBREVIATION_INSIDE = (0.8, 0.5, 0.25, 0.0)
"""Shares inside tried in turn for an abbreviation: a tiny territory may not hold even "Bel."."""
HALO = 1
"""Halo radius of names, in pixels (`fonts.halo_text`)."""
SIZES = (1.0, 0.85, 0.72, 0.62)
"""Type sizes tried, as fractions of the map's label size."""
MASK_PX = 320
"""A territory's shape is tested on a bitmap at most this many cells across."""


@dataclass(frozen=True)
class LabelTarget:
    """A territory to name, in pixels of the map at one scale (canvas point (0, 0) at (0, 0))."""

    id: str
    name: str
    sea: bool
    supply: bool
    parts: Sequence[Sequence[Point]]
    holes: Sequence[Sequence[Point]]
    anchor: Point
    area: float


@dataclass(frozen=True)
class PlacedLabel:
    """A name on the map: its lines, type size, and box (x, y, w, h) including any supply mark."""

    territory: str
    lines: tuple[str, ...]
    size: int
    sea: bool
    rect: tuple[int, int, int, int]
    text_rect: tuple[int, int, int, int]
    mark: tuple[int, int] | None
    """Centre of the supply mark beside the name, if the territory is a supply territory."""

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class LabelLayout:
    """Every name placed on the map at one scale, and the territories left unnamed."""

    labels: tuple[PlacedLabel, ...]
    unnamed: tuple[str, ...]
    """Territory ids whose name is not on the map (in map order)."""
    marks: tuple[tuple[str, tuple[int, int]], ...]
    """Supply marks of unnamed supply territories, at their label point."""
    size: tuple[int, int]
    """The map in pixels: every box lies inside (0, 0, w, h)."""
    abbreviations: tuple[PlacedLabel, ...] = ()
    """Abbreviations ("Bel.") of territories in `unnamed` that have no room for their name."""

    @property
    def unplaced(self) -> tuple[str, ...]:
        """Territories neither named nor abbreviated on the map."""
        short = {a.territory for a in self.abbreviations}
        return tuple(t for t in self.unnamed if t not in short)


def abbreviation_candidates(name: str) -> list[str]:
    """Short forms of a name, preferred first: 'Belgium' -> 'Bel.', 'Belg.', 'Be.'; 'North Sea' -> ..., 'NoS.'."""
    plain = re.sub(r"\s*\([^)]*\)", "", name).strip() or name
    words = [w for w in re.split(r"[^A-Za-z\u00C0-\u024F]+", plain) if w]
    if not words:
        return []
    first = words[0]
    stems = [first[:3], first[:4], first[:2]]
    if len(words) > 1:
        stems += [first[:2] + words[-1][:1], first[:3] + words[-1][:1], first[:2] + words[-1][:2]]
    stems += [first[:3] + c for c in "".join(words)[3:] if c.isalpha()]
    out: list[str] = []
    for stem in stems:
        if not stem:
            continue
        form = stem[0].upper() + stem[1:].lower()
        text = form if form.lower() == plain.replace(" ", "").lower() else form + "."
        if text not in out:
            out.append(text)
    return out


def abbreviations(names: Sequence[tuple[str, str]]) -> dict[str, str]:
    """A unique abbreviation for each (id, name), deterministic: the first candidate that no other
    name could also claim, else the first still free; a numbered form of the id (title case, with a dot) last of all."""
    candidates = {tid: abbreviation_candidates(name) for tid, name in names}
    claims: dict[str, int] = {}
    for forms in candidates.values():
        for form in forms:
            claims[form] = claims.get(form, 0) + 1
    taken: set[str] = set()
    out: dict[str, str] = {}
    for tid, _ in names:
        forms = candidates[tid]
        choice = next((f for f in forms if claims[f] == 1 and f not in taken), None)
        choice = choice or next((f for f in forms if f not in taken), None)
        n = 2
        while choice is None or choice in taken:
            choice = f"{tid[:1].upper()}{tid[1:].lower()}{n}."
            n += 1
        taken.add(choice)
        out[tid] = choice
    return out


def face_of(sea: bool) -> tuple[Face, bool]:
    """The face of a name: condensed bold on land, italic sans on the sea."""
    return ("sans", True) if sea else ("condensed", False)


@lru_cache(maxsize=8192)
def _text_size(text: str, size: int, sea: bool) -> tuple[int, int]:
    face, italic = face_of(sea)
    w, h = get_font(size, face, italic).size(text)
    return w + 2 * HALO, h + 2 * HALO


def block_size(lines: tuple[str, ...], size: int, sea: bool) -> tuple[int, int, int]:
    """(width, height, line step) of a name's lines stacked and centred."""
    sizes = [_text_size(line, size, sea) for line in lines]
    step = sizes[0][1] - 2 * HALO - max(1, size // 8) if len(lines) > 1 else sizes[0][1]
    return max(w for w, _ in sizes), step * (len(lines) - 1) + sizes[-1][1], step


def name_variants(name: str) -> list[tuple[str, ...]]:
    """The ways to write a name, longest first: whole, on two lines, shortened with a full stop."""
    variants: list[tuple[str, ...]] = [(name,)]
    breaks = [i for i, c in enumerate(name) if c in " -" and 0 < i < len(name) - 1]
    if breaks:
        middle = len(name) / 2
        i = min(breaks, key=lambda b: abs(b - middle))
        first = name[: i + 1] if name[i] == "-" else name[:i]
        variants.append((first.strip(), name[i + 1 :].strip()))
    return variants


def short_names(name: str) -> list[tuple[str, ...]]:
    """Shorter forms of a name, longest first, each whole and on two lines.

    'Milan (Lombardy)' -> 'Milan'; 'The Marches and Umbria' -> 'The Marches'; then the last
    word cut with a full stop: 'Liverpool' -> 'Liverp.', 'Heligoland Bight' -> 'Heligoland B.'.
    """
    forms: list[str] = []
    plain = re.sub(r"\s*\([^)]*\)", "", name).strip() or name
    if plain != name:
        forms.append(plain)
    for separator in (" and ", " & ", ", ", " / "):
        if separator in plain:
            forms.append(plain.split(separator)[0].strip())
    base = min([name, *forms], key=len)
    head, _, last = base.rpartition(" ")
    if len(last) > 5:
        for keep in sorted(
            {round(len(last) * 0.65), 4, 3} if head else {round(len(last) * 0.65), 4}, reverse=True
        ):
            if 3 <= keep < len(last) - 1:
                forms.append(f"{head} {last[:keep].rstrip('-.,')}.".strip())
    out: list[tuple[str, ...]] = []
    for form in forms:
        for variant in name_variants(form):
            if variant not in out and variant != (name,):
                out.append(variant)
    return out


class _Shape:
    """A territory as a small bitmap, to ask how much of a box lies inside it."""

    def __init__(self, target: LabelTarget) -> None:
        xs = [x for ring in target.parts for x, _ in ring]
        ys = [y for ring in target.parts for _, y in ring]
        self.x0, self.y0 = (min(xs), min(ys)) if xs else (0.0, 0.0)
        x1, y1 = (max(xs), max(ys)) if xs else (0.0, 0.0)
        self.w, self.h = x1 - self.x0, y1 - self.y0
        self.q = max(1.0, max(self.w, self.h) / MASK_PX)
        cells = (max(1, math.ceil(self.w / self.q) + 1), max(1, math.ceil(self.h / self.q) + 1))
        surface = pygame.Surface(cells, pygame.SRCALPHA)
        surface.fill((0, 0, 0, 0))
        for ring, colour in [
            *((r, (255, 255, 255, 255)) for r in target.parts),
            *((r, (0, 0, 0, 0)) for r in target.holes),
        ]:
            points = [((x - self.x0) / self.q, (y - self.y0) / self.q) for x, y in ring]
            if len(points) >= 3:
                pygame.draw.polygon(surface, colour, points)
        self.mask = pygame.mask.from_surface(surface, 127)

    def inside(self, rect: pygame.Rect) -> float:
        """Share of `rect` inside the territory."""
        if rect.w <= 0 or rect.h <= 0:
            return 0.0
        cw, ch = max(1, round(rect.w / self.q)), max(1, round(rect.h / self.q))
        offset = (round((rect.x - self.x0) / self.q), round((rect.y - self.y0) / self.q))
        return self.mask.overlap_area(_full_mask(cw, ch), offset) / (cw * ch)

    def points(self, n: int) -> list[Point]:
        """About n x n grid points inside the territory, in map pixels."""
        out: list[Point] = []
        mw, mh = self.mask.get_size()
        for i in range(n):
            for j in range(n):
                cx, cy = int((i + 0.5) * mw / n), int((j + 0.5) * mh / n)
                if self.mask.get_at((min(cx, mw - 1), min(cy, mh - 1))):
                    out.append((self.x0 + cx * self.q, self.y0 + cy * self.q))
        return out


@lru_cache(maxsize=512)
def _full_mask(w: int, h: int) -> pygame.mask.Mask:
    return pygame.mask.Mask((w, h), fill=True)


def _positions(target: LabelTarget, shape: _Shape, w: int, h: int) -> list[Point]:
    """Centres to try for a box of w x h: the label point and around it, then points inside, nearest first."""
    ax, ay = target.anchor
    near = [
        (ax + fx * w, ay + fy * h)
        for fy in (0.0, 0.75, -0.75, 1.5, -1.5)
        for fx in (0.0, 0.35, -0.35, 0.7, -0.7)
    ]
    inside = shape.points(9)
    return [*near, *sorted(inside, key=lambda p: (p[0] - ax) ** 2 + (p[1] - ay) ** 2)]


def place_labels(
    targets: Sequence[LabelTarget],
    map_size: tuple[int, int],
    label_px: int,
    min_px: int,
    mark_r: int,
    reserved: Sequence[pygame.Rect] = (),
    abbreviate: bool = False,
) -> LabelLayout:
    """Place every name it can, then the abbreviations of the rest (see the module's docstring)."""
    bounds = pygame.Rect(0, 0, *map_size)
    mark_box = 2 * (mark_r + 2)
    mark_gap = 2
    marks_at = {
        t.id: pygame.Rect(
            round(t.anchor[0]) - mark_r - 2, round(t.anchor[1]) - mark_r - 2, mark_box, mark_box
        )
        for t in targets
        if t.supply and t.parts
    }
    obstacles: list[pygame.Rect] = [*reserved]
    placed: dict[str, PlacedLabel] = {}
    sizes = sorted({max(min_px, round(label_px * f)) for f in SIZES}, reverse=True) if label_px else []
    order = sorted((t for t in targets if t.parts), key=lambda t: (t.sea, t.area, t.id))
    forms = abbreviations([(t.id, t.name) for t in targets]) if abbreviate and sizes else {}
    short: dict[str, PlacedLabel] = {}
    shapes: dict[str, _Shape] = {}
    for target in order:
        shape = shapes[target.id] = _Shape(target)
        others = [r for tid, r in marks_at.items() if tid != target.id]
        mark_w = mark_box + mark_gap if target.supply else 0
        label = _place_one(target, shape, sizes, mark_w, bounds, [*obstacles, *others])
        if label is not None:
            placed[target.id] = label
        elif forms:
            # In its turn, an abbreviation mostly inside; the rest, beside their territory, after all names.
            label = _place_abbreviation(
                target,
                forms[target.id],
                shape,
                sizes[-1],
                mark_w,
                bounds,
                [*obstacles, *others],
                (INSIDE, 0.5),
            )
            if label is not None:
                short[target.id] = label
        if label is not None:
            obstacles.append(pygame.Rect(label.rect))
            marks_at.pop(target.id, None)
    labels = tuple(placed[t.id] for t in targets if t.id in placed)
    unnamed = tuple(t.id for t in targets if t.parts and t.id not in placed)
    if forms:
        for target in (t for t in order if t.id in unnamed and t.id not in short):
            others = [r for tid, r in marks_at.items() if tid != target.id]
            mark_w = mark_box + mark_gap if target.supply else 0
            label = _place_abbreviation(
                target,
                forms[target.id],
                shapes[target.id],
                sizes[-1],
                mark_w,
                bounds,
                [*obstacles, *others],
                ABBREVIATION_INSIDE,
            )
            if label is not None:
                short[target.id] = label
                obstacles.append(pygame.Rect(label.rect))
                marks_at.pop(target.id, None)
    marks = tuple((tid, r.center) for tid, r in marks_at.items())
    abbreviated = tuple(short[t.id] for t in targets if t.id in short)
    return LabelLayout(labels, unnamed, marks, map_size, abbreviated)


def _place_abbreviation(
    target: LabelTarget,
    text: str,
    shape: _Shape,
    size: int,
    mark_w: int,
    bounds: pygame.Rect,
    obstacles: list[pygame.Rect],
    shares: Sequence[float],
) -> PlacedLabel | None:
    """An abbreviation at the smallest size: inside as far as it goes, else just beside the territory."""
    tw, th, _ = block_size((text,), size, target.sea)
    w, h = tw + mark_w, th
    ax, ay = target.anchor
    near = _positions(target, shape, w, h)
    # Around the label point, nearest first, for when nothing inside is free: every 3 pixels up
    # to about three of its own widths away.
    reach = max(3 * w, 5 * h)
    rings = [(ax + dx, ay + dy) for dx, dy in _ring_offsets(reach, RING_STEP)]
    centres = near + rings
    free = _free_boxes(centres, tw, w, h, mark_w, bounds, obstacles)
    inside: dict[int, float] = {}
    for share in shares:
        for i in range(len(centres) if share < INSIDE else len(near)):
            if not free[i]:
                continue
            cx, cy = centres[i]
            rect = pygame.Rect(round(cx - tw / 2 - mark_w), round(cy - h / 2), w, h)
            if share > 0:
                if i not in inside:
                    inside[i] = shape.inside(rect)
                if inside[i] < share:
                    continue
            return _placed(target, (text,), size, rect, tw, th, mark_w)
    return None


def _free_boxes(
    centres: Sequence[Point],
    tw: int,
    w: int,
    h: int,
    mark_w: int,
    bounds: pygame.Rect,
    obstacles: Sequence[pygame.Rect],
) -> list[bool]:
    """For each centre, whether a w x h box there (its text, tw wide, centred on it) lies within
    `bounds` and, with a pixel to spare all round, touches no obstacle — as `pygame.Rect.contains`
    and `collidelist` say, for all the boxes at once: a thousand-territory map tries thousands of
    boxes per abbreviation against as many labels, most of a minute per layout one at a time."""
    if not centres:
        return []
    points = np.asarray(centres, dtype=float)
    x = np.round(points[:, 0] - tw / 2 - mark_w).astype(np.int64)  # rounds half to even, as round() does
    y = np.round(points[:, 1] - h / 2).astype(np.int64)
    ok = (x >= bounds.x) & (y >= bounds.y) & (x + w <= bounds.right) & (y + h <= bounds.bottom)
    # The pixels the obstacles cover, in the region the boxes span (a box one pixel bigger all round):
    # a box is free when it covers none, counted from the summed-area table in four look-ups.
    x0, y0 = int(x.min()) - 1, int(y.min()) - 1
    region = pygame.Rect(x0, y0, int(x.max()) + w + 1 - x0, int(y.max()) + h + 1 - y0)
    covered = np.zeros((region.h, region.w), dtype=np.int32)
    for i in region.collidelistall(obstacles):  # Rects of no area collide with nothing, as in collidelist
        o = obstacles[i].clip(region)
        covered[o.y - y0 : o.bottom - y0, o.x - x0 : o.right - x0] = 1
    table = np.zeros((region.h + 1, region.w + 1), dtype=np.int32)
    table[1:, 1:] = covered.cumsum(axis=0).cumsum(axis=1)
    left, top = x - 1 - x0, y - 1 - y0
    right, bottom = left + w + 2, top + h + 2
    hits = table[bottom, right] - table[top, right] - table[bottom, left] + table[top, left]
    return [bool(v) for v in ok & (hits == 0)]


RING_STEP = 3
"""Pixels between the points tried around a territory for an abbreviation that fits nowhere inside."""


@lru_cache(maxsize=64)
def _ring_offsets(reach: int, step: int) -> tuple[tuple[int, int], ...]:
    """Offsets every `step` pixels up to `reach` either way, nearest first (the same for every territory
    with a box of that size: sorted once)."""
    grid = [(dx, dy) for dx in range(-reach, reach + 1, step) for dy in range(-reach, reach + 1, step)]
    return tuple(sorted(grid, key=lambda d: d[0] * d[0] + d[1] * d[1]))


def _placed(
    target: LabelTarget, lines: tuple[str, ...], size: int, rect: pygame.Rect, tw: int, th: int, mark_w: int
) -> PlacedLabel:
    """The label in `rect`: its text right of the supply mark's room (`mark_w`), the mark centred in that room."""
    text_rect = (rect.x + mark_w, rect.y, tw, th)
    mark = (rect.x + mark_w // 2 - 1, rect.y + rect.h // 2) if mark_w else None
    return PlacedLabel(target.id, lines, size, target.sea, (rect.x, rect.y, rect.w, rect.h), text_rect, mark)


def _place_one(
    target: LabelTarget,
    shape: _Shape,
    sizes: list[int],
    mark_w: int,
    bounds: pygame.Rect,
    obstacles: list[pygame.Rect],
) -> PlacedLabel | None:
    attempts: list[tuple[tuple[str, ...], int]] = []
    for size in sizes:
        attempts += [(lines, size) for lines in name_variants(target.name)]
    if sizes:
        attempts += [(lines, sizes[-1]) for lines in short_names(target.name)]
    for lines, size in attempts:
        tw, th, _ = block_size(lines, size, target.sea)
        w, h = tw + mark_w, th
        if w > shape.w * 1.05 + 4 or h > shape.h * 1.05 + 4:
            continue  # wider or taller than the whole territory
        for cx, cy in _positions(target, shape, w, h):
            # The text, not the box, centres on the point: the mark hangs to its left.
            rect = pygame.Rect(round(cx - tw / 2 - mark_w), round(cy - h / 2), w, h)
            if not bounds.contains(rect):
                continue
            if rect.inflate(2, 2).collidelist(obstacles) != -1:
                continue
            if shape.inside(rect) < INSIDE:
                continue
            return _placed(target, lines, size, rect, tw, th, mark_w)
    return None

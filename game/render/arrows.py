"""Order arrows in screen coordinates: move (solid, with a head), support (dashed), convoy (dotted),
hold (a ring), and the warning sign on an order that would break an agreement.

Arrows are drawn every frame over the cached map, so they are plain polygons and lines;
a dark outline keeps each one visible over any fill.
"""

from __future__ import annotations

import math

import pygame

from game.render.palette import RGB

Vec = tuple[float, float]


def _unit(start: Vec, end: Vec) -> tuple[float, float, float]:
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    if length < 1e-6:
        return (0.0, 0.0, 0.0)
    return (dx / length, dy / length, length)


def shorten(start: Vec, end: Vec, at_start: float, at_end: float) -> tuple[Vec, Vec]:
    """Pull both ends in (so an arrow starts beside a token and stops before the next one)."""
    ux, uy, length = _unit(start, end)
    if length <= at_start + at_end + 1:
        return start, end
    return (start[0] + ux * at_start, start[1] + uy * at_start), (end[0] - ux * at_end, end[1] - uy * at_end)


def draw_move(surface: pygame.Surface, start: Vec, end: Vec, colour: RGB, outline: RGB, width: float) -> None:
    """A solid arrow with a head, as one outlined polygon."""
    ux, uy, length = _unit(start, end)
    if length < 2:
        return
    nx, ny = -uy, ux
    half = width / 2
    head_len = min(length * 0.6, width * 3.2)
    head_half = width * 1.6
    bx, by = end[0] - ux * head_len, end[1] - uy * head_len
    points = [
        (start[0] + nx * half, start[1] + ny * half),
        (bx + nx * half, by + ny * half),
        (bx + nx * head_half, by + ny * head_half),
        end,
        (bx - nx * head_half, by - ny * head_half),
        (bx - nx * half, by - ny * half),
        (start[0] - nx * half, start[1] - ny * half),
    ]
    pygame.draw.polygon(surface, colour, points)
    pygame.draw.polygon(surface, outline, points, 1)
    pygame.draw.aalines(surface, outline, True, points)


def draw_dashed(
    surface: pygame.Surface,
    start: Vec,
    end: Vec,
    colour: RGB,
    outline: RGB,
    width: float,
    dotted: bool = False,
) -> None:
    """A dashed (support) or dotted (convoy) line ending in a small ring at `end`."""
    ux, uy, length = _unit(start, end)
    if length < 2:
        return
    w = max(2, round(width))
    if dotted:
        step = w * 2.6
        radius = max(2, round(w * 0.75))
        t = 0.0
        while t <= length:
            p = (round(start[0] + ux * t), round(start[1] + uy * t))
            pygame.draw.circle(surface, outline, p, radius + 1)
            pygame.draw.circle(surface, colour, p, radius)
            t += step
    else:
        dash, gap = w * 3.0, w * 1.8
        t = 0.0
        while t < length:
            t2 = min(length, t + dash)
            a = (start[0] + ux * t, start[1] + uy * t)
            b = (start[0] + ux * t2, start[1] + uy * t2)
            pygame.draw.line(surface, outline, a, b, w + 2)
            pygame.draw.line(surface, colour, a, b, w)
            t = t2 + gap
    ring = max(3, round(w * 1.5))
    pygame.draw.circle(surface, outline, (round(end[0]), round(end[1])), ring + 1)
    pygame.draw.circle(surface, colour, (round(end[0]), round(end[1])), ring)
    pygame.draw.circle(surface, outline, (round(end[0]), round(end[1])), max(1, ring - w), 1)


def draw_hold(
    surface: pygame.Surface, centre: Vec, radius: float, colour: RGB, outline: RGB, width: float
) -> None:
    """A hold: a ring round the unit, in its state's colour with a dark edge."""
    c = (round(centre[0]), round(centre[1]))
    w = max(2, round(width))
    r = max(4, round(radius))
    pygame.draw.circle(surface, outline, c, r + 1, w + 2)
    pygame.draw.circle(surface, colour, c, r, w)


WARNING_FILL: RGB = (255, 176, 0)
"""Amber, as the order box's warnings; with its shape (a triangle) and its sign (!) it does not
depend on colour vision."""


def draw_warning(surface: pygame.Surface, centre: Vec, size: float) -> None:
    """A warning sign: a dark-edged amber triangle with an exclamation mark, `size` pixels tall."""
    cx, cy = centre
    h = max(9.0, size)
    half = h * 0.58
    top, base = cy - h * 0.55, cy + h * 0.45
    points = [(cx, top), (cx + half, base), (cx - half, base)]
    edge = (20, 20, 24)
    big = [(cx, top - 2.2), (cx + half + 2.0, base + 1.4), (cx - half - 2.0, base + 1.4)]
    pygame.draw.polygon(surface, edge, big)
    pygame.draw.polygon(surface, WARNING_FILL, points)
    pygame.draw.aalines(surface, edge, True, points)
    stroke = max(2, round(h * 0.13))
    pygame.draw.line(surface, edge, (cx, top + h * 0.3), (cx, base - h * 0.33), stroke)
    pygame.draw.circle(surface, edge, (round(cx), round(base - h * 0.16)), max(1, stroke // 2 + 0))

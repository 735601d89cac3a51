"""Unit tokens: an army is a round badge with a star, a fleet a ship's hull with a funnel.

Shapes differ, not only colours, so units read for colour-blind players and in greyscale, and
neither looks like anything else on the map (the framed X of the military map sign read as an
envelope, in a game about letters).
Each token is drawn four times too large and smoothed down (pygame has no anti-aliased
filled shapes), then cached per (kind, colour, size): a frame only blits them.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pygame

from game.render.palette import RGB, luminance, mix

SUPERSAMPLE = 4


def token_size(kind: str, radius: int) -> tuple[int, int]:
    """Pixel size of a token of nominal `radius` (half its height)."""
    if kind == "fleet":
        return (round(radius * 2.9) + 4, round(radius * 2.2) + 4)
    return (round(radius * 2.3) + 4, round(radius * 2.3) + 4)


@lru_cache(maxsize=512)
def unit_token(
    kind: str, colour: RGB, radius: int, outline: RGB = (28, 28, 32), faded: bool = False
) -> pygame.Surface:
    """A unit's token, centred in its surface."""
    radius = max(3, int(radius))
    w, h = token_size(kind, radius)
    ss = SUPERSAMPLE
    big = pygame.Surface((w * ss, h * ss), pygame.SRCALPHA)
    r = radius * ss
    line = max(ss, round(r * 0.16))
    cx, cy = w * ss / 2, h * ss / 2
    shadow = (0, 0, 0, 70)
    ink = outline if luminance(colour) > 0.18 else mix(colour, (255, 255, 255), 0.8)
    if kind == "fleet":
        shape = _ship(cx, cy, r)
        shadow_shape = [(x + line * 0.6, y + line * 0.9) for x, y in shape]
        pygame.draw.polygon(big, shadow, shadow_shape)
        pygame.draw.polygon(big, colour, shape)
        pygame.draw.polygon(big, outline, shape, line)
        # Deck line and portholes: they say "ship" even at small sizes.
        deck_y = cy + r * 0.18
        pygame.draw.line(big, ink, (cx - r * 1.05, deck_y), (cx + r * 1.0, deck_y), max(1, line // 2))
    else:
        rr = r * 1.12
        centre = (round(cx), round(cy))
        pygame.draw.circle(big, shadow, (round(cx + line * 0.6), round(cy + line * 0.9)), round(rr))
        pygame.draw.circle(big, outline, centre, round(rr))
        pygame.draw.circle(big, colour, centre, round(rr - line))
        pygame.draw.polygon(big, ink, _star(cx, cy, rr * 0.66))
        if ink != outline:
            pygame.draw.polygon(big, outline, _star(cx, cy, rr * 0.66), max(1, line // 3))
    token = pygame.transform.smoothscale(big, (w, h))
    if faded:
        token.set_alpha(150)
    return token


def _ship(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    """A side view of a warship: hull with a raked bow, a bridge and a funnel."""
    hull_top = cy + r * 0.18
    bottom = cy + r * 0.85
    points = [
        (cx - r * 1.35, hull_top),  # stern, deck level
        (cx - r * 0.55, hull_top),
        (cx - r * 0.55, cy - r * 0.25),  # after superstructure
        (cx - r * 0.15, cy - r * 0.25),
        (cx - r * 0.15, cy - r * 0.85),  # funnel
        (cx + r * 0.2, cy - r * 0.85),
        (cx + r * 0.2, cy - r * 0.25),
        (cx + r * 0.6, cy - r * 0.25),  # bridge
        (cx + r * 0.6, hull_top),
        (cx + r * 1.45, hull_top - r * 0.12),  # bow
        (cx + r * 1.05, bottom),
        (cx - r * 1.15, bottom),
    ]
    return points


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    """A five-pointed star, point up."""
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.42
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle) + r * 0.06))
    return points

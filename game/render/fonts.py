"""Fonts: the bundled DejaVu faces, with pygame's default font when they are missing.

Fonts and rendered labels are cached: a map redraw renders the same few hundred names
again and again, and pygame's text rendering is the slow part of a redraw.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import pygame

from game import resources

FONT_DIR = resources.assets_dir() / "fonts"
Face = Literal["sans", "bold", "condensed", "serif"]
FACE_FILES: dict[str, str] = {
    "sans": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "condensed": "DejaVuSansCondensed-Bold.ttf",
    "serif": "DejaVuSerif-Bold.ttf",
}
RGB = tuple[int, int, int]


def _ensure_init() -> None:
    if not pygame.font.get_init():
        pygame.font.init()


def font_path(face: Face) -> Path | None:
    """The bundled file of a face, or None when it is not there."""
    try:
        return resources.check(FONT_DIR / FACE_FILES[face])
    except resources.BundledDataError as exc:
        resources.warn(exc)  # one line, once: the game still reads with pygame's own font
        return None


@lru_cache(maxsize=256)
def get_font(size: int, face: Face = "sans", italic: bool = False) -> pygame.font.Font:
    """A font of `size` pixels; pygame's default font if the bundled one is missing or broken."""
    _ensure_init()
    size = max(4, int(size))
    path = font_path(face)
    font: pygame.font.Font
    try:
        font = pygame.font.Font(path, size) if path else pygame.font.Font(None, size)
    except (OSError, pygame.error):
        font = pygame.font.Font(None, size)
    if face in ("bold", "condensed", "serif") and path is None:
        font.bold = True
    font.italic = italic
    return font


@lru_cache(maxsize=4096)
def halo_text(
    text: str, size: int, colour: RGB, halo: RGB, face: Face = "sans", italic: bool = False, radius: int = 1
) -> pygame.Surface:
    """Text with a soft halo around it, so a name stays readable over borders and any fill."""
    font = get_font(size, face, italic)
    ink = font.render(text, True, colour)
    if radius <= 0:
        return ink
    glow = font.render(text, True, halo)
    w, h = ink.get_size()
    out = pygame.Surface((w + 2 * radius, h + 2 * radius), pygame.SRCALPHA)
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            if (dx or dy) and dx * dx + dy * dy <= radius * radius + 1:
                out.blit(glow, (radius + dx, radius + dy))
    out.blit(ink, (radius, radius))
    return out

"""A small picture of the map at the end of each turn, as PNG bytes, drawn headless.

One renderer serves every turn: its projected polygons are computed once, and its static
layer (fills, borders, names) is redrawn only when the holders changed, which happens at a
year's end; the units and the turn's moves are drawn over it.  A 20-turn game costs well
under a second.
"""

from __future__ import annotations

import io
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # after choosing the SDL drivers above

from game.debrief.chronicle import TurnState
from game.render import Arrow, MapPicture, MapRenderer, RenderOptions, UnitMark
from game.render.map_picture import UnitKind
from game.rules.scenario import Scenario

MAP_WIDTH = 720
"""Pixels: wide enough to read the names of a 75-territory map, small enough for 20 in one file."""


class MapPainter:
    """Draws a scenario's map for any `TurnState`, with arrows for the moves of that turn."""

    def __init__(self, scenario: Scenario, width: int = MAP_WIDTH) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        self.scenario = scenario
        height = max(1, round(width * scenario.map.height / scenario.map.width))
        self.surface = pygame.Surface((width, height))
        self.renderer = MapRenderer(scenario, options=RenderOptions(label_scale=1.1))

    def png(self, state: TurnState, moves: list[tuple[str, str, str]] | None = None) -> bytes:
        """The map after `state`, with a move arrow (state, from, to) for each unit that moved."""
        picture = MapPicture(
            owners=state.owners,
            units=tuple(UnitMark(state=s, kind=unit_kind(kind), at=at) for s, kind, at in state.units),
            arrows=tuple(Arrow("move", source, target, s) for s, source, target in (moves or [])),
        )
        self.renderer.draw(self.surface, picture)
        return _png(self.surface)


def _png(surface: pygame.Surface) -> bytes:
    """PNG bytes of a surface, with a palette of 128 colours when Pillow is there (matplotlib's own
    dependency): a map is flat fills, so it looks the same at a third of the size, which matters
    with twenty maps in one file."""
    out = io.BytesIO()
    try:
        from PIL import Image
    except ImportError:
        pygame.image.save(surface, out, "map.png")
        return out.getvalue()
    image = Image.frombytes("RGB", surface.get_size(), pygame.image.tobytes(surface, "RGB"))
    image.quantize(128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, "PNG", optimize=True
    )
    return out.getvalue()


def unit_kind(kind: str) -> UnitKind:
    """A unit's type as the rules keep it (a plain string), as the renderer takes it."""
    if kind == "army":
        return "army"
    if kind == "fleet":
        return "fleet"
    raise ValueError(f"not a unit type: {kind!r}")

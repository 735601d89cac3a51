"""Drawing a scenario's map and its units with pygame-ce onto any surface.

Shared by the pygame client and the headless `backchannel scenario preview`.  Imports only
the rules (for the scenario model) and pygame.
"""

from game.render.camera import Camera
from game.render.map_drawing import MapRenderer, RenderOptions
from game.render.map_picture import Arrow, MapPicture, UnitMark, split_location
from game.render.palette import DEFAULT_PALETTE, DEFAULT_STATE_COLOURS, Palette, default_state_colours

__all__ = [
    "DEFAULT_PALETTE",
    "DEFAULT_STATE_COLOURS",
    "Arrow",
    "Camera",
    "MapPicture",
    "MapRenderer",
    "Palette",
    "RenderOptions",
    "UnitMark",
    "default_state_colours",
    "split_location",
]

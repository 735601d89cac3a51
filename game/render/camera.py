"""The camera: which part of the scenario's canvas is shown, and how big.

At zoom 1 the whole canvas fits the viewport, centred and keeping its aspect ratio.  The
screen origin is rounded to whole pixels so that a cached static layer and the units drawn
over it each frame land on exactly the same pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Vec = tuple[float, float]


@dataclass
class Camera:
    """Pan and zoom over a canvas of `world_size`, shown in a viewport of `viewport` pixels."""

    world_size: tuple[float, float]
    viewport: tuple[int, int] = (800, 600)
    zoom: float = 1.0
    center: Vec = field(default=(0.0, 0.0))
    min_zoom: float = 0.5
    max_zoom: float = 24.0

    def __post_init__(self) -> None:
        if self.center == (0.0, 0.0):
            self.center = (self.world_size[0] / 2, self.world_size[1] / 2)

    @property
    def fit_scale(self) -> float:
        """Pixels per canvas unit at zoom 1 (the whole canvas fits)."""
        vw, vh = self.viewport
        ww, wh = self.world_size
        return max(1e-9, min(vw / ww, vh / wh))

    @property
    def scale(self) -> float:
        """Pixels per canvas unit now."""
        return self.fit_scale * self.zoom

    @property
    def origin(self) -> tuple[int, int]:
        """Where canvas point (0, 0) scaled lies relative to the screen's top-left, in whole pixels."""
        s = self.scale
        return (
            round(self.center[0] * s - self.viewport[0] / 2),
            round(self.center[1] * s - self.viewport[1] / 2),
        )

    def world_to_screen(self, point: Vec) -> Vec:
        s = self.scale
        ox, oy = self.origin
        return (point[0] * s - ox, point[1] * s - oy)

    def screen_to_world(self, point: Vec) -> Vec:
        s = self.scale
        ox, oy = self.origin
        return ((point[0] + ox) / s, (point[1] + oy) / s)

    def set_viewport(self, size: tuple[int, int]) -> None:
        """Follow a resized surface: same centre and zoom, new fit."""
        self.viewport = (max(1, int(size[0])), max(1, int(size[1])))

    def pan(self, dx: float, dy: float) -> None:
        """Move the view by screen pixels (drag right: the map moves right)."""
        s = self.scale
        self.center = (self.center[0] - dx / s, self.center[1] - dy / s)
        self._clamp()

    def zoom_at(self, factor: float, screen_pos: Vec | None = None) -> None:
        """Zoom by `factor`, keeping the canvas point under `screen_pos` (default: the centre) in place."""
        if screen_pos is None:
            screen_pos = (self.viewport[0] / 2, self.viewport[1] / 2)
        before = self.screen_to_world(screen_pos)
        self.zoom = min(self.max_zoom, max(self.min_zoom, self.zoom * factor))
        s = self.scale
        # Put `before` back under the cursor.
        self.center = (
            before[0] - (screen_pos[0] - self.viewport[0] / 2) / s,
            before[1] - (screen_pos[1] - self.viewport[1] / 2) / s,
        )
        self._clamp()

    def reset(self) -> None:
        """Back to the whole map."""
        self.zoom = 1.0
        self.center = (self.world_size[0] / 2, self.world_size[1] / 2)

    def _clamp(self) -> None:
        """Keep the centre on the canvas, so the map can never be lost off screen."""
        x = min(max(self.center[0], 0.0), self.world_size[0])
        y = min(max(self.center[1], 0.0), self.world_size[1])
        self.center = (x, y)

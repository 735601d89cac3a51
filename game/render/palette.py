"""Colours of the map: one muted, colour-blind-safe palette shared by the client and the preview.

State colours come from the scenario; a state without one (a generated map, a skeleton, a
state the picture names but the scenario does not) gets one of the 30 `DEFAULT_STATE_COLOURS`,
all taken from published colour-blind-safe schemes:

- Paul Tol's qualitative schemes "bright", "high-contrast", "vibrant", "muted",
  "medium-contrast", "light", "pale" and "dark" (Paul Tol, *Colour Schemes*, SRON technical
  note SRON/EPS/TN/09-002, https://personal.sron.nl/~pault/);
- Okabe & Ito's colour-universal-design palette (Masataka Okabe and Kei Ito, *Color
  Universal Design*, 2002/2008, https://jfly.uni-koeln.de/color/).

The 30 were chosen from the union of those schemes to keep every pair as far apart as
possible, as seen with normal vision and with simulated deuteranopia and protanopia
(CIEDE2000, `game.render.colour_vision`), leaving out colours whose map fill would sit too
close to the sea or to unheld land; they are ordered so that the first few are the most
distinct of all, so a small scenario gets the clearest colours.  tests/render/test_palette.py
holds the palette to its minimum distances.  Land is filled with a lightened state colour
so that names, units and arrows drawn in the full colour stand out on it.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

RGB = tuple[int, int, int]

TOL_MUTED: tuple[str, ...] = (
    "#cc6677",  # rose
    "#332288",  # indigo
    "#ddcc77",  # sand
    "#117733",  # green
    "#88ccee",  # cyan
    "#882255",  # wine
    "#44aa99",  # teal
    "#999933",  # olive
    "#aa4499",  # purple
)
"""Paul Tol's muted qualitative scheme (https://personal.sron.nl/~pault/)."""

OKABE_ITO: tuple[str, ...] = (
    "#e69f00",  # orange
    "#56b4e9",  # sky blue
    "#009e73",  # bluish green
    "#f0e442",  # yellow
    "#0072b2",  # blue
    "#d55e00",  # vermillion
    "#cc79a7",  # reddish purple
)
"""Okabe & Ito's colour-universal-design palette (without its black)."""

DEFAULT_STATE_COLOURS: tuple[str, ...] = (
    "#222255",  # Tol dark: dark blue
    "#cc3311",  # Tol vibrant: red
    "#aa3377",  # Tol bright: purple
    "#009e73",  # Okabe-Ito: bluish green
    "#0077bb",  # Tol vibrant: blue
    "#e69f00",  # Okabe-Ito: orange
    "#ee6677",  # Tol bright: red
    "#f0e442",  # Okabe-Ito: yellow
    "#663333",  # Tol dark: dark red
    "#666633",  # Tol dark: dark yellow
    "#ee7733",  # Tol vibrant: orange
    "#004488",  # Tol high-contrast: blue
    "#228833",  # Tol bright: green
    "#cceeff",  # Tol pale: pale cyan
    "#225522",  # Tol dark: dark green
    "#77aadd",  # Tol light: light blue
    "#bb5566",  # Tol high-contrast: red
    "#bbccee",  # Tol pale: pale blue
    "#eeeebb",  # Tol pale: pale yellow
    "#999933",  # Tol muted: olive
    "#ee3377",  # Tol vibrant: magenta
    "#332288",  # Tol muted: indigo
    "#eecc66",  # Tol medium-contrast: light yellow
    "#44aa99",  # Tol muted: teal
    "#bbcc33",  # Tol light: pear
    "#882255",  # Tol muted: wine
    "#994455",  # Tol medium-contrast: dark red
    "#dddddd",  # Tol muted: pale grey
    "#ee8866",  # Tol light: orange
    "#bbbbbb",  # Tol bright: grey
)
"""Thirty colour-blind-safe state colours, the most distinct first: enough for a scenario of 30 states."""


def hex_to_rgb(colour: str) -> RGB:
    """`#rrggbb` to an (r, g, b) tuple."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"colour must look like #1f77b4, not {colour!r}")
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def mix(a: RGB, b: RGB, amount: float) -> RGB:
    """Blend `amount` (0..1) of colour b into colour a."""
    return (
        round(a[0] + (b[0] - a[0]) * amount),
        round(a[1] + (b[1] - a[1]) * amount),
        round(a[2] + (b[2] - a[2]) * amount),
    )


def darken(colour: RGB, amount: float) -> RGB:
    """Mix `amount` of black into a colour."""
    return mix(colour, (0, 0, 0), amount)


def luminance(colour: RGB) -> float:
    """Relative luminance (0 dark .. 1 light), to pick a readable ink over a colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def default_state_colours(count: int) -> list[str]:
    """`count` default colours in a fixed order, all distinct up to 30 (for skeletons, generated maps, tests)."""
    return [DEFAULT_STATE_COLOURS[i % len(DEFAULT_STATE_COLOURS)] for i in range(count)]


def fallback_state_colour(state_id: str) -> str:
    """A stable default colour for a state the scenario gives none (same id, same colour, every run)."""
    return DEFAULT_STATE_COLOURS[zlib.crc32(state_id.encode()) % len(DEFAULT_STATE_COLOURS)]


@dataclass(frozen=True)
class Palette:
    """Every colour the map uses apart from the states' own."""

    background: RGB = (46, 58, 70)
    """Outside the scenario's canvas (a letterbox around the map)."""
    water: RGB = (165, 184, 196)
    water_label: RGB = (52, 78, 98)
    water_halo: RGB = (188, 203, 212)
    land_neutral: RGB = (226, 219, 199)
    paper: RGB = (247, 243, 232)
    """What state colours are lightened towards for the fill."""
    fill_lighten: float = 0.45
    min_fill_luminance: float = 0.3
    max_fill_luminance: float = 0.62
    """Fills are kept between these luminances: dark state colours are lightened further so dark
    names stay readable on them; light ones less, so they do not fade into the paper or the sea."""
    border_land: RGB = (128, 117, 104)
    border_frontier: RGB = (74, 64, 56)
    """A land border between territories of different holders."""
    border_coast: RGB = (62, 86, 104)
    border_sea: RGB = (152, 168, 178)
    label: RGB = (40, 35, 30)
    label_halo: RGB = (250, 247, 238)
    supply: RGB = (48, 42, 36)
    supply_inner: RGB = (250, 247, 238)
    unit_outline: RGB = (28, 28, 32)
    highlight: RGB = (255, 206, 58)
    state_colours: tuple[str, ...] = field(default=DEFAULT_STATE_COLOURS)

    def fill_for(self, colour: RGB) -> RGB:
        """The fill of land held by a state of this colour: lightened towards the paper tone."""
        amount = self.fill_lighten
        fill = mix(colour, self.paper, amount)
        while luminance(fill) > self.max_fill_luminance and amount > 0.0:
            amount = max(0.0, amount - 0.05)  # an already light colour: keep its hue strong
            fill = mix(colour, self.paper, amount)
        while luminance(fill) < self.min_fill_luminance and amount < 0.85:
            amount += 0.05
            fill = mix(colour, self.paper, amount)
        return fill


DEFAULT_PALETTE = Palette()

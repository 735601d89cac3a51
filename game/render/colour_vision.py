"""How far apart two colours look: CIELAB, the CIEDE2000 difference, and colour-blind vision.

Used to check that the state palette stays distinguishable (`game.render.palette`), for
everyone and for the two common red-green colour-vision deficiencies.

- sRGB to CIELAB (D65 white): IEC 61966-2-1 and CIE 15:2004.
- CIEDE2000: Sharma, Wu & Dalal, "The CIEDE2000 color-difference formula: implementation
  notes, supplementary test data, and mathematical observations", Color Research &
  Application 30(1), 2005 (their test pairs are in tests/render/test_palette.py).
- Protanopia and deuteranopia: the full-severity matrices of Machado, Oliveira & Fernandes,
  "A physiologically-based model for simulation of color vision deficiency", IEEE TVCG 15(6),
  2009, applied to linear RGB.
"""

from __future__ import annotations

import math
from typing import Literal

RGB = tuple[int, int, int]
Lab = tuple[float, float, float]
Vision = Literal["normal", "deuteranopia", "protanopia"]

_MACHADO: dict[str, tuple[tuple[float, float, float], ...]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}


def _to_linear(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _to_srgb(value: float) -> int:
    c = min(1.0, max(0.0, value))
    c = c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
    return round(c * 255)


def simulate(colour: RGB, vision: Vision) -> RGB:
    """The colour as someone with this vision sees it (unchanged for `normal`)."""
    if vision == "normal":
        return colour
    matrix = _MACHADO[vision]
    linear = [_to_linear(v) for v in colour]
    r, g, b = (sum(m * c for m, c in zip(row, linear, strict=True)) for row in matrix)
    return (_to_srgb(r), _to_srgb(g), _to_srgb(b))


def to_lab(colour: RGB) -> Lab:
    """sRGB (0..255) to CIELAB under the D65 white point."""
    r, g, b = (_to_linear(v) for v in colour)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def delta_e_2000(lab1: Lab, lab2: Lab) -> float:
    """The CIEDE2000 colour difference (about 1: just noticeable; above 10: clearly different)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    c_mean = (c1 + c2) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl = l2 - l1
    dc = c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    elif h2p - h1p > 180:
        dh = h2p - h1p - 360
    else:
        dh = h2p - h1p + 360
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean = (l1 + l2) / 2
    cp_mean = (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        h_mean = (h1p + h2p + 360) / 2
    else:
        h_mean = (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    d_theta = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    sc = 1 + 0.045 * cp_mean
    sh = 1 + 0.015 * cp_mean * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh))


def difference(a: RGB, b: RGB, vision: Vision = "normal") -> float:
    """CIEDE2000 between two sRGB colours as seen with `vision`."""
    return delta_e_2000(to_lab(simulate(a, vision)), to_lab(simulate(b, vision)))

"""The look of the classroom screens (the umpire's and the observer's), merged over the theme files.

A projector at the back of a room needs type several times the player's size; the umpire's
badge says whose screen it is at a glance.  Kept beside the screens that use these ids.
"""

from __future__ import annotations

from typing import Any

REGULAR = "assets/fonts/DejaVuSans.ttf"
BOLD = "assets/fonts/DejaVuSans-Bold.ttf"
SERIF = "assets/fonts/DejaVuSerif-Bold.ttf"


def _font(size: int, *, bold: bool = False, name: str = "dejavu") -> dict[str, str]:
    font = {
        "name": name,
        "size": str(size),
        "regular_path": REGULAR,
        "bold_path": BOLD,
        "italic_path": REGULAR,
        "bold_italic_path": BOLD,
    }
    if name == "dejavu_serif":
        font.update(regular_path=SERIF, bold_path=SERIF, italic_path=SERIF, bold_italic_path=SERIF)
    if bold:
        font["bold"] = "1"
    return font


CLASSROOM_THEME: dict[str, Any] = {
    "#title_status": {
        "colours": {"dark_bg": "#00000000", "normal_border": "#00000000"},
        "misc": {"border_width": "0", "shadow_width": "0", "shape": "rectangle", "padding": "2,2"},
        "font": _font(13),
    },
    "#role_badge": {"colours": {"normal_text": "#f0e442"}, "font": _font(17, bold=True)},
    "#umpire_control": {
        "colours": {
            "normal_bg": "#34404b",
            "hovered_bg": "#46576a",
            "normal_border": "#6a7c8c",
            "normal_text": "#f2ede2",
            "disabled_bg": "#262e36",
            "disabled_text": "#6d7780",
        },
        "font": _font(13, bold=True),
    },
    "#umpire_start": {
        "colours": {
            "normal_bg": "#2f6b3f",
            "hovered_bg": "#3b8550",
            "normal_border": "#4fa06a",
            "normal_text": "#ffffff",
            "disabled_bg": "#262e36",
            "disabled_text": "#6d7780",
        },
        "font": _font(13, bold=True),
    },
    "#umpire_danger": {
        "colours": {
            "normal_bg": "#5a2f2f",
            "hovered_bg": "#7a3b3b",
            "normal_border": "#a05a5a",
            "normal_text": "#f7e6e2",
            "disabled_bg": "#262e36",
            "disabled_text": "#6d7780",
        },
        "font": _font(13, bold=True),
    },
    "#seat_list": {
        "colours": {"dark_bg": "#1d252d", "normal_border": "#3d4954"},
        "font": _font(13),
    },
    "#observer_bar": {"colours": {"dark_bg": "#10161b", "normal_border": "#10161b"}},
    "#observer_title": {
        "colours": {"normal_text": "#f2ede2"},
        "font": _font(30, bold=True, name="dejavu_serif"),
    },
    "#observer_turn": {"colours": {"normal_text": "#e8e2d4"}, "font": _font(28, bold=True)},
    "#observer_clock": {"colours": {"normal_text": "#f0e442"}, "font": _font(54, bold=True)},
    "#observer_note": {"colours": {"normal_text": "#b8c0c8"}, "font": _font(20)},
    "#observer_role": {"colours": {"normal_text": "#f0e442"}, "font": _font(22, bold=True)},
    "#observer_news": {
        "colours": {"dark_bg": "#141b21", "normal_border": "#2c3640"},
        "font": _font(22),
        "misc": {"padding": "14,10"},
    },
}

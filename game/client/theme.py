"""The client's look: the theme JSON in assets/theme, with font paths made absolute.

pygame_gui resolves a theme's font paths against the working directory, so a game started
from anywhere else would silently fall back to its own fonts; the paths are rewritten here.
The panels' own entries (assets/theme/panels.json) are merged over the shell's, and the classroom
screens' (game/client/classroom_theme.py) over both.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game import resources
from game.client import theme_ids
from game.client.classroom_theme import CLASSROOM_THEME

theme_ids.install()  # before any widget: see theme_ids.py

ROOT = resources.bundle_root()  # holds assets/: the themes' font paths are relative to it
THEME_DIR = ROOT / "assets" / "theme"
THEME_FILES = ("theme.json", "panels.json")


def _absolute_fonts(node: Any) -> Any:
    """Rewrite every `*_path` under a `font` block to an absolute path inside the project."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key.endswith("_path") and isinstance(value, str) and not Path(value).is_absolute():
                out[key] = str(ROOT / value)
            else:
                out[key] = _absolute_fonts(value)
        return out
    if isinstance(node, list):
        return [_absolute_fonts(v) for v in node]
    return node


def theme_data() -> dict[str, Any]:
    """The merged theme: the shell's entries, then the panels' (theirs win on the same key)."""
    merged: dict[str, Any] = {}
    for name in THEME_FILES:
        try:
            data = json.loads(resources.check(THEME_DIR / name).read_text(encoding="utf-8"))
        except resources.BundledDataError as exc:
            resources.warn(exc)  # one line, once: pygame_gui's defaults still read
            continue
        except (OSError, json.JSONDecodeError):
            continue  # a broken panels theme must not stop the game: the defaults still read well
        _merge(merged, data)
    _merge(merged, CLASSROOM_THEME)
    return merged


def _merge(merged: dict[str, Any], data: dict[str, Any]) -> None:
    for key, value in _absolute_fonts(data).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value

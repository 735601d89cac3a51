"""Writing a file in one step, so a failed write never leaves half a scenario or map spec.

Its own module: `scenario new` (`game.scenario.skeleton`) and `scenario build-map`
(`game.scenario.mapbuild.writer`) both write this way.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step, so a failed write never leaves half a scenario."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)

"""DESIGN.md's layout: which part may import which.  The arrows point one way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# folder -> top-level packages of this project it may import (besides itself)
ALLOWED = {
    "game/rules": set(),
    "game/protocol": {"game.rules"},
    "game/render": {"game.rules"},
    "game/client": {"game.rules", "game.protocol", "game.render"},
    "game/bots": {"game.rules"},
    "game/scenario": {"game.rules", "game.render"},
    # The debrief report: the rules replayed, drawn and written out; never the server or the client.
    "game/debrief": {"game.rules", "game.scenario", "game.render"},
    "server": {"game.rules", "game.scenario", "game.protocol", "game.bots"},
}
PARTS = (
    "game.rules", "game.protocol", "game.render", "game.client", "game.bots", "game.scenario", "game.debrief", "server",
)
FORBIDDEN_IN_RULES = {"asyncio", "pygame", "pygame_gui", "websockets", "msgpack"}


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def part_of(module: str) -> str | None:
    return next((p for p in PARTS if module == p or module.startswith(p + ".")), None)


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_each_part_imports_only_what_the_layout_allows(folder: str) -> None:
    own = folder.replace("/", ".")
    wrong = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for module in imported(path):
            part = part_of(module)
            if part is not None and part != own and part not in ALLOWED[folder]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
            if folder == "game/rules" and module.split(".")[0] in FORBIDDEN_IN_RULES:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, "\n".join(wrong)

"""No import circles among the modules of a package (server/, game/): each module's dependencies
point one way, so a package reads from the bottom (the rules' model, the server's seats and store)
to the top (the launchers, the app) without a loop.

Imports are read from the source's syntax trees, not by importing: every `import` and
`from ... import` anywhere in a module counts, inside functions and under `if TYPE_CHECKING:`
too, since a circle hidden from the interpreter is still a circle for a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"server": "server.app", "game": "game.cli"}
"""Each checked package, with a module whose imports must be found (else the graph was not read)."""


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The known modules a module's code imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            # `from server import logs` imports the module server.logs; `from server.store import Entry`
            # a name of the module server.store
            names = [f"{origin}.{alias.name}" if origin else alias.name for alias in node.names]
        else:
            continue
        for name in names:
            # a name in a module, or `import server.store` for a module in a package: the longest known prefix
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    files = sorted((root / package).rglob("*.py"))
    known = {module_name(f, root) for f in files}
    return {
        module_name(f, root): imported(
            ast.parse(f.read_text(), str(f)), module_name(f, root), f.name == "__init__.py", known
        )
        for f in files
    }


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (or a module importing itself),
    found with Tarjan's algorithm; each group is sorted, and the list too."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


@pytest.mark.parametrize(("package", "top"), sorted(PACKAGES.items()), ids=sorted(PACKAGES))
def test_a_package_has_no_import_circles(package: str, top: str) -> None:
    graph = import_graph(ROOT, package)
    assert len(graph) > 10 and graph[top], "the graph was not read"
    assert circles(graph) == []


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"a.py": "from pkg import b\n", "b.py": "import pkg.a\n"}, [["pkg.a", "pkg.b"]], id="plain"
        ),
        pytest.param(
            {
                "a.py": "from pkg.b import thing\n",
                "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.c import C\n",
                "c.py": "def f():\n    from . import a\n",
            },
            [["pkg.a", "pkg.b", "pkg.c"]],
            id="type-checking-and-in-a-function",
        ),
        pytest.param(
            {"a.py": "from .b import x\n", "b.py": "from .c import y\n", "c.py": "import os\n"},
            [],
            id="one-way",
        ),
        pytest.param(
            {
                "__init__.py": "from pkg.a import x\n",
                "a.py": "from . import b\n",
                "b.py": "from .. import pkg\n",
            },
            [["pkg", "pkg.a", "pkg.b"]],
            id="through-the-package",
        ),
    ],
)
def test_the_check_finds_a_circle_however_it_is_written(
    tmp_path: Path, files: dict[str, str], expected: list[list[str]]
) -> None:
    write(tmp_path / "pkg", files)
    assert circles(import_graph(tmp_path, "pkg")) == expected

"""DESIGN.md's layout: which part may import which.  The arrows point one way.

Every file under game/ and server/ belongs to a known part, and every way one module can name
another is seen: imports at the top or inside functions, relative imports (resolved), and
imports by string (`importlib.import_module("x")`, `__import__("x")`, "pkg.mod:attr" names
handed to a resolver) — an arrow hidden in a string still points somewhere.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# part (a folder or a file, relative to the root) -> parts of this project it may import besides itself
RULES = "game/rules"
PROTOCOL = "game/protocol"
RENDER = "game/render"
CLIENT = "game/client"
BOTS = "game/bots"
SCENARIO = "game/scenario"
DEBRIEF = "game/debrief"
SERVER = "server"
LAUNCHERS = "game/launchers"
CLI = "game/cli.py"
RESOURCES = "game/resources.py"
PACKAGE = "game/__init__.py"
WIRED = {RULES, PROTOCOL, RENDER, CLIENT, BOTS, SCENARIO, DEBRIEF, SERVER, RESOURCES}
"""The parts a launcher wires together (every part but the command and the launchers)."""
ALLOWED: dict[str, set[str]] = {
    RULES: set(),
    PROTOCOL: {RULES},
    RENDER: {RULES, RESOURCES},
    CLIENT: {RULES, PROTOCOL, RENDER, RESOURCES},
    BOTS: {RULES, PROTOCOL},
    SCENARIO: {RULES, RENDER, RESOURCES},
    # The debrief report: the rules replayed, drawn and written out; never the server or the client.
    DEBRIEF: {RULES, SCENARIO, RENDER, RESOURCES},
    SERVER: {RULES, SCENARIO, PROTOCOL, BOTS, RESOURCES},
    # Programs that wire the parts together: they may import them all, and one another; nothing
    # but the command imports them.
    LAUNCHERS: WIRED,
    CLI: WIRED | {LAUNCHERS},
    # The data finder: a leaf every part may use, so it uses none of them (the standard library only).
    RESOURCES: set(),
    PACKAGE: set(),
}
THIRD_PARTY_ALLOWED = {RULES: {"pydantic"}, RESOURCES: set(), PACKAGE: set()}
"""Parts held to the standard library plus these distributions (DESIGN.md's "may import")."""
FORBIDDEN = {RULES: {"asyncio", "threading", "socket", "pygame", "pygame_gui", "websockets", "msgpack"}}
"""What a part may not import even from the standard library: the rules are pure, with no I/O loop."""
STRING_IMPORTERS = {"import_module", "__import__", "resolve_name", "find_spec", "import_string"}
"""Calls whose first argument names a module (or "module:attr") to load."""
PROJECT_NAME = re.compile(r"^(?:game|server)(?:\.[A-Za-z_]\w*)+(?::[A-Za-z_][\w.]*)?$")
"""A string that names a module of this project: "pkg.mod" or "pkg.mod:attr"."""


def module_name(path: Path) -> str:
    """The dotted name of a file under the root: game/rules/game.py -> game.rules.game."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve_relative(path: Path, level: int, module: str | None) -> str:
    """Where `from {'.' * level}{module} import ...` in `path` points, as an absolute name."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()  # a module's dots count from its package
    if level - 1 > len(package) - 1:
        raise AssertionError(f"{path.relative_to(ROOT)}: a relative import reaches above the top package")
    base = package[: len(package) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def string_target(text: str) -> str:
    """The module a "pkg.mod:attr" or "pkg.mod" string names."""
    return text.split(":", 1)[0]


def imported(path: Path) -> set[str]:
    """Every module `path` names: import statements anywhere (functions too), relative ones
    resolved, `from pkg import mod` as pkg.mod, and modules named in strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = resolve_relative(path, node.level, node.module) if node.level else (node.module or "")
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            first = node.args[0]
            if (
                called in STRING_IMPORTERS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                target = string_target(first.value)
                if target.startswith("."):  # importlib.import_module(".mod", package): relative to this file
                    dots = len(target) - len(target.lstrip("."))
                    target = resolve_relative(path, dots, target.lstrip(".") or None)
                names.add(target)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and PROJECT_NAME.match(node.value)
        ):
            names.add(string_target(node.value))  # e.g. a "game.x.y:attr" handed to a resolver elsewhere
    names.discard("")
    return names


def part_of_file(path: Path) -> str | None:
    """The part a file under game/ or server/ belongs to (None: it lies loose)."""
    rel = path.relative_to(ROOT).as_posix()
    return next((p for p in ALLOWED if rel == p or rel.startswith(p + "/")), None)


def part_of_module(module: str) -> str | None:
    """The part a dotted module name of this project belongs to (None: not this project's)."""
    for part in ALLOWED:
        dotted = part.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        if part == PACKAGE:
            if module == "game":
                return PACKAGE
            continue
        if module == dotted or module.startswith(dotted + "."):
            return part
    return None


def python_files(part: str) -> list[Path]:
    where = ROOT / part
    return [where] if where.is_file() else sorted(where.rglob("*.py"))


def wrong_imports(path: Path, part: str) -> list[str]:
    """What `path` (in `part`) imports against the layout."""
    wrong = []
    for module in sorted(imported(path)):
        other = part_of_module(module)
        if other is not None and other != part and other != PACKAGE and other not in ALLOWED[part]:
            wrong.append(
                f"{path.relative_to(ROOT)} imports {module} ({other} is not among what {part} may import)"
            )
        if other is None and module.split(".")[0] in ("game", "server"):
            wrong.append(
                f"{path.relative_to(ROOT)} imports {module} (in no part of the layout: a stale name?)"
            )
        if module.split(".")[0] in FORBIDDEN.get(part, ()):
            wrong.append(f"{path.relative_to(ROOT)} imports {module} (never in {part})")
        if other is None and part in THIRD_PARTY_ALLOWED:
            top = module.split(".")[0]
            if (
                top not in sys.stdlib_module_names
                and top != "__future__"
                and top not in THIRD_PARTY_ALLOWED[part]
            ):
                wrong.append(
                    f"{path.relative_to(ROOT)} imports {module} (only the standard library and "
                    f"{sorted(THIRD_PARTY_ALLOWED[part]) or 'nothing else'})"
                )
    return wrong


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_each_part_imports_only_what_the_layout_allows(part: str) -> None:
    files = python_files(part)
    assert files, f"{part} holds no Python file: is the layout table out of date?"
    wrong = [line for path in files for line in wrong_imports(path, part)]
    assert not wrong, "\n".join(wrong)


def test_nothing_lies_loose() -> None:
    """Every file under game/ and server/ is in a part of the layout (a new one gets a home first)."""
    loose = [
        path.relative_to(ROOT).as_posix()
        for top in ("game", "server")
        for path in sorted((ROOT / top).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and part_of_file(path) is None
    ]
    assert not loose, "files in no part of the layout (DESIGN.md): " + ", ".join(loose)


def test_only_the_command_imports_a_launcher() -> None:
    """The arrows point out of the launchers: what a part needs from one is handed in to it."""
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for part in ALLOWED
        if part not in (LAUNCHERS, CLI)
        for path in python_files(part)
        for module in imported(path)
        if part_of_module(module) == LAUNCHERS
    ]
    assert not wrong, "\n".join(wrong)


# --- the checks themselves can fail: each kind of arrow, written wrong, is caught ------------------


@pytest.mark.parametrize(
    ("where", "source", "caught"),
    [
        ("game/client/x.py", "import game.bots.diplomat\n", "game.bots.diplomat"),
        ("game/client/x.py", "def f():\n    from game.launchers import demo\n", "game.launchers.demo"),
        ("game/client/x.py", "from ..launchers.demo import DemoDriver\n", "game.launchers.demo"),
        ("game/client/panels/x.py", "from ...bots import diplomat\n", "game.bots.diplomat"),
        (
            "game/client/x.py",
            "import importlib\nimportlib.import_module('game.launchers.demo')\n",
            "game.launchers.demo",
        ),
        (
            "game/client/x.py",
            "from importlib import import_module\nimport_module('server.app')\n",
            "server.app",
        ),
        ("game/client/x.py", "__import__('game.bots')\n", "game.bots"),
        (
            "game/client/x.py",
            "import pkgutil\npkgutil.resolve_name('game.bots.diplomat:Diplomat')\n",
            "game.bots.diplomat",
        ),
        ("game/client/x.py", "DRIVER = 'game.launchers.demo:DemoDriver'\n", "game.launchers.demo"),
        ("server/x.py", "from game.client import link\n", "game.client.link"),
        ("game/rules/x.py", "import asyncio\n", "asyncio"),
        ("game/rules/x.py", "from .. import render\n", "game.render"),
        ("game/resources.py", "import platformdirs\n", "platformdirs"),
        ("game/resources.py", "from game.rules import scenario\n", "game.rules.scenario"),
        ("game/bots/x.py", "from game.launchers.simulate import play\n", "game.launchers.simulate"),
        ("game/client/x.py", "import importlib\nimportlib.import_module('game.demo')\n", "game.demo"),
    ],
)
def test_a_wrong_arrow_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, source: str, caught: str
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    path = tmp_path / where
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    part = part_of_file(path)
    assert part is not None
    wrong = wrong_imports(path, part)
    assert any(f"imports {caught} " in line for line in wrong), wrong


def test_right_arrows_and_docstrings_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    path = tmp_path / "game/launchers/x.py"
    path.parent.mkdir(parents=True)
    path.write_text(
        '"""Runs game.server.app:main, as a docstring may say."""\n'
        "import importlib\nfrom . import play\nfrom ..client.app import run_client\n"
        "importlib.import_module('server.app')\n",
        encoding="utf-8",
    )
    assert imported(path) >= {"game.launchers.play", "game.client.app.run_client", "server.app"}
    assert "game.server.app" not in imported(path)
    assert wrong_imports(path, LAUNCHERS) == []


def test_a_loose_file_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "game").mkdir()
    assert part_of_file(tmp_path / "game" / "loose.py") is None
    assert part_of_file(tmp_path / "game" / "newpart" / "x.py") is None
    assert part_of_file(tmp_path / "game" / "launchers" / "x.py") == LAUNCHERS
    assert part_of_file(tmp_path / "game" / "cli.py") == CLI


# --- the tests mirror the layout ---------------------------------------------------------------------

TEST_FOLDERS = {
    "rules": "game/rules",
    "protocol": "game/protocol",
    "render": "game/render",
    "client": "game/client",
    "bots": "game/bots",
    "scenario": "game/scenario",
    "debrief": "game/debrief",
    "launchers": "game/launchers",
    "server": "server",
}
"""tests/FOLDER holds the tests of the part in the code's folder named beside it."""
TESTS_OF_THE_WHOLE = {
    "conftest.py",
    "test_layout.py",
    "test_benches_quick.py",
    "test_package.py",
    "test_import_circles.py",
}
"""What stays at the top of tests/: the layout itself, every bench, the installed package."""


def misplaced_tests(tests: Path) -> list[str]:
    wrong = []
    for path in sorted(tests.rglob("*.py")):
        rel = path.relative_to(tests)
        if len(rel.parts) == 1:
            if rel.name not in TESTS_OF_THE_WHOLE:
                wrong.append(
                    f"tests/{rel}: a test of one part goes in that part's folder ({', '.join(TEST_FOLDERS)})"
                )
        elif rel.parts[0] == "support" or rel.parts[0] == "fixtures":
            continue
        elif rel.parts[0] not in TEST_FOLDERS or len(rel.parts) != 2:
            wrong.append(f"tests/{rel}: not a folder of the layout")
    return wrong


def test_the_tests_mirror_the_layout() -> None:
    assert not misplaced_tests(ROOT / "tests"), "\n".join(misplaced_tests(ROOT / "tests"))
    for folder, code in TEST_FOLDERS.items():
        assert (ROOT / code).is_dir(), f"tests/{folder} names {code}, which is gone"


def test_a_misplaced_test_is_caught(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "test_ok.py").write_text("")
    (tmp_path / "test_loose.py").write_text("")
    (tmp_path / "gui").mkdir()
    (tmp_path / "gui" / "test_elsewhere.py").write_text("")
    assert misplaced_tests(tmp_path) == [
        "tests/gui/test_elsewhere.py: not a folder of the layout",
        "tests/test_loose.py: a test of one part goes in that part's folder "
        "(rules, protocol, render, client, bots, scenario, debrief, launchers, server)",
    ]

"""Reading a YAML 1.2 file into plain data while remembering where every value was.

ruamel.yaml's round-trip loader builds only plain mappings, sequences and scalars (it is
as safe as its safe loader) and keeps each node's line, which the safe loader throws away.
Aliases are refused: a spec is read by people, and `*ref` hides what a field holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent

from game.scenario.mapbuild.errors import MapSpecError, SpecProblem

PathItem = str | int


@dataclass(frozen=True)
class YamlSource:
    """A loaded YAML document: plain data plus a way back from a field path to its line."""

    file: Path
    root: Any
    data: Any

    def line(self, path: Sequence[PathItem]) -> int:
        """1-based line of the value at `path`, or of its nearest ancestor that exists."""
        node = self.root
        line = 1
        for item in path:
            if isinstance(node, CommentedMap) and item in node:
                line = node.lc.key(item)[0] + 1
                node = node[item]
            elif isinstance(node, CommentedSeq) and isinstance(item, int) and 0 <= item < len(node):
                line = node.lc.item(item)[0] + 1
                node = node[item]
            else:
                break
        return line

    def problem(self, path: Sequence[PathItem], message: str) -> SpecProblem:
        return SpecProblem(self.file, self.line(path), field_name(path), message)


def field_name(path: Sequence[PathItem]) -> str:
    """`territories[3].anchors[0].city`: how a designer would point at a field."""
    text = ""
    for item in path:
        if isinstance(item, int):
            text += f"[{item}]"
        else:
            text += f".{item}" if text else str(item)
    return text


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node


class _NoAliases(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _NoAliasComposer(Composer):
    """The round-trip composer, refusing `*alias` where it meets one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            mark = self.parser.peek_event().start_mark
            raise _NoAliases(mark.line + 1 if mark is not None else 0)
        return super().compose_node(parent, index)


def load_yaml(file: Path) -> YamlSource:
    """Load one YAML 1.2 document; raise MapSpecError naming the line of any syntax problem."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise MapSpecError(
            [SpecProblem(file, 0, "", f"cannot read the file: {error.strerror or error}")]
        ) from None
    yaml = YAML(typ="rt")
    yaml.Composer = _NoAliasComposer
    try:
        root = yaml.load(text)
    except _NoAliases as error:
        raise MapSpecError(
            [SpecProblem(file, error.line, "", "aliases (*name) are not allowed; write the value out")]
        ) from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        message = " ".join(part for part in (error.context, error.problem) if part)
        raise MapSpecError([SpecProblem(file, line, "", f"not valid YAML: {message}")]) from None
    return YamlSource(file=file, root=root, data=_plain(root))

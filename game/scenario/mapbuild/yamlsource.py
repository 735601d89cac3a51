"""Reading a map spec's YAML, with the same hardened reader as scenario files.

The spec is read by :mod:`game.scenario.yaml_source`: YAML 1.2 (only true and false are
booleans), plain data only, no anchors or aliases, one document, UTF-8, duplicate keys each
reported, at most :data:`MAX_BYTES` (refused from the file's size, before it is read), and
a syntax error told in plain words at the line of the mistake.  ``YamlSource`` keeps the
line of every field, so a problem found later (by the model, the references, the
gazetteer or the geometry) names its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.scenario.mapbuild.errors import MapSpecError, SpecProblem
from game.scenario.problems import Problem
from game.scenario.yaml_source import YamlDocument, YamlKind, read_yaml_file

PathItem = str | int

MAX_BYTES = 1024 * 1024
"""Largest map spec accepted (1 MiB); the biggest bundled spec is about 33 KiB."""

MAP_SPEC_FILE = YamlKind("map specs", "a map spec", "format: backchannel-mapspec/1", MAX_BYTES)


@dataclass(frozen=True)
class YamlSource:
    """A loaded YAML document: plain data plus a way back from a field path to its line."""

    file: Path
    document: YamlDocument

    @property
    def data(self) -> Any:
        return self.document.data

    def line(self, path: Sequence[PathItem]) -> int:
        """1-based line of the value at `path`, or of its nearest ancestor that exists."""
        return self.document.line(tuple(path))

    def problem(self, path: Sequence[PathItem], message: str) -> SpecProblem:
        hint = self.document.hints.get(tuple(path))
        if hint is not None and hint not in message:
            message = f"{message} {hint}"
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


def spec_problem(file: Path, problem: Problem) -> SpecProblem:
    """A reader's problem as a map builder's problem."""
    return SpecProblem(file, problem.line or 0, problem.field_path, problem.message)


def read_source(file: Path) -> tuple[YamlSource | None, list[SpecProblem]]:
    """Read one YAML 1.2 document; every problem the reader found, and the source if it is usable."""
    document, problems = read_yaml_file(file, MAP_SPEC_FILE)
    found = [spec_problem(file, p) for p in problems]
    return (YamlSource(file, document) if document is not None else None), found


def load_yaml(file: Path) -> YamlSource:
    """Load one YAML 1.2 document; raise MapSpecError naming the line of every problem."""
    source, problems = read_source(file)
    if source is None or problems:
        raise MapSpecError(problems)
    return source

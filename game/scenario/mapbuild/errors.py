"""Errors of the map builder, each pointing at the place in the spec that caused it.

A designer fixes a spec from the error list alone, so every problem carries the file,
the line and the field, and the builder reports all of them at once where it can.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SpecProblem:
    """One problem in a map spec: where it is and what would be valid."""

    file: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line > 0 else f"{self.file}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class MapSpecError(ValueError):
    """The spec cannot be built; `problems` lists every problem found, in file order."""

    def __init__(self, problems: list[SpecProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (str(p.file), p.line, p.field, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

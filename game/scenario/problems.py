"""Problems found in a scenario file, each with its file, line and field, and the error that carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file.

    ``line`` and ``column`` count from 1; they are None when the problem is about the whole
    file (it is too big, or not text).  ``field_path`` reads like ``states[2].units[0].at``
    and is empty for the file or the document as a whole.
    """

    file: str
    line: int | None
    column: int | None
    field_path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.severity == "warning":
            parts.append("warning")
        if self.field_path:
            parts.append(self.field_path)
        parts.append(self.message)
        return ": ".join(parts)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in the order a designer reads the file: by file, then line and column."""
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0, p.field_path, p.message))


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``problems`` lists every problem found in it.

    ``str(error)`` is one ``FILE:LINE: FIELD: MESSAGE`` line per problem, errors and
    warnings alike, in the order of the file.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sort_problems(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid scenario")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


class ScenarioNotFoundError(ScenarioError):
    """Neither a bundled scenario id nor an existing file."""

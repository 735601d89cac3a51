"""Units on the board."""

from __future__ import annotations

from dataclasses import dataclass, field

from game.rules.board import territory_of

UNIT_TYPES = ("army", "fleet")


@dataclass(frozen=True, slots=True)
class Unit:
    """An army or a fleet of a state, at a location (`spa/nc` for a fleet on a named coast)."""

    state: str
    type: str
    location: str
    territory: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Read on every step of adjudication, so computed once.
        object.__setattr__(self, "territory", territory_of(self.location))

    @property
    def letter(self) -> str:
        return "A" if self.type == "army" else "F"

    @property
    def text(self) -> str:
        return f"{self.letter} {self.location}"

    def moved_to(self, location: str) -> Unit:
        return Unit(self.state, self.type, location)

    def to_json(self) -> dict[str, str]:
        return {"state": self.state, "type": self.type, "location": self.location}

"""A game's clock: the deadline of the current phase, paused, resumed and extended by the umpire.

Deadlines are absolute Unix times so that they survive a restart: a server that comes back
after the deadline resolves the phase at once.  The clock is plain data with pure methods
taking ``now``; the host schedules a timer for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class Clock:
    seconds: int | None
    """Time per phase; None: the phase resolves when every player is ready (or the umpire says)."""
    deadline: float | None = None
    paused: bool = False
    remaining: float | None = None
    """Seconds that were left when the umpire paused."""

    def start_phase(self, now: float) -> None:
        if self.paused:
            self.deadline = None
            self.remaining = float(self.seconds) if self.seconds is not None else None
        else:
            self.deadline = now + self.seconds if self.seconds is not None else None
            self.remaining = None

    def stop(self) -> None:
        """The game is over: no more deadlines."""
        self.deadline = None
        self.remaining = None

    def pause(self, now: float) -> None:
        if self.paused:
            raise ValueError("the clock is already paused")
        self.paused = True
        self.remaining = max(0.0, self.deadline - now) if self.deadline is not None else None
        self.deadline = None

    def resume(self, now: float) -> None:
        if not self.paused:
            raise ValueError("the clock is not paused")
        self.paused = False
        self.deadline = now + self.remaining if self.remaining is not None else None
        self.remaining = None

    def extend(self, seconds: int) -> None:
        if self.paused and self.remaining is not None:
            self.remaining += seconds
        elif self.deadline is not None:
            self.deadline += seconds
        else:
            raise ValueError("this phase has no deadline to extend")

    def due(self, now: float) -> bool:
        return not self.paused and self.deadline is not None and now >= self.deadline

    def to_json(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "deadline": self.deadline,
            "paused": self.paused,
            "remaining": self.remaining,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Clock:
        return cls(
            seconds=data["seconds"],
            deadline=data["deadline"],
            paused=data["paused"],
            remaining=data["remaining"],
        )

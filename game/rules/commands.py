"""Commands: the only way a game changes.

A game's state is a function of (scenario, seed, the ordered list of accepted
commands), so commands are plain data (pydantic models, JSON-ready) that a record,
the server's log and a replay all share.  Agreements, press and intelligence add their
own command kinds beside these.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

Phase = Literal["movement", "retreat", "adjustment"]


class CommandModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SubmitOrders(CommandModel):
    """A state's orders for the current phase; they replace any it gave before in this phase."""

    kind: Literal["orders"] = "orders"
    state: str = Field(max_length=32)
    turn: int = Field(ge=1)
    phase: Phase
    orders: list[Annotated[str, Field(max_length=200)]] = Field(max_length=2000)


class Resolve(CommandModel):
    """Resolve the current phase (the server sends it at the deadline, or when all are ready)."""

    kind: Literal["resolve"] = "resolve"
    turn: int = Field(ge=1)
    phase: Phase


Command = Annotated[SubmitOrders | Resolve, Field(discriminator="kind")]
_COMMAND = TypeAdapter(Command)


def parse_command(data: Any) -> SubmitOrders | Resolve:
    """Validate a command given as JSON-like data."""
    return _COMMAND.validate_python(data)


def command_json(command: SubmitOrders | Resolve) -> dict[str, Any]:
    return command.model_dump(mode="json")

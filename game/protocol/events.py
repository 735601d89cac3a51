"""The events a client receives, described for client writers: the rules' facts as they travel.

An `event` frame carries one fact of `game.rules.facts`, cut for its receiver: a player or an
observer gets it without its `audience` (who else knows is not theirs to know); the umpire gets
it with it.  So the wire model of each kind is the rules' own model with `audience` made
optional: one description of every fact, kept in one place, that a client (or a test) can
validate an event against.  docs/protocol.md lists the kinds.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import BaseModel, Field, TypeAdapter, create_model

from game.rules.facts import ALL_FACTS, Audience, Fact, kind_of


def _wire(model: type[Fact]) -> type[BaseModel]:
    return create_model(f"Wire{model.__name__}", __base__=model, audience=(Audience | None, None))


WIRE_EVENTS: dict[str, type[BaseModel]] = {kind_of(m): _wire(m) for m in ALL_FACTS}
"""Each event kind's wire model."""

_UNION: Any = Annotated[Union[tuple(WIRE_EVENTS.values())], Field(discriminator="kind")]  # noqa: UP007
"""Built at run time from the models above, so a type to pydantic but not to a type checker."""
WIRE_EVENT: TypeAdapter[Any] = TypeAdapter(_UNION)


def read_event(data: Any) -> BaseModel:
    """Validate one received event (the `event` of an `event` frame) against its kind's model."""
    return WIRE_EVENT.validate_python(data)  # type: ignore[no-any-return]

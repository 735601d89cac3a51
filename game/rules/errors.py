"""Specific errors, so callers can react precisely (as python-chess does).

Each is a ValueError: bad input, never a crash.  Raising one means nothing changed.  A refused
command's error has a stable `code` (docs/protocol.md, "Errors") and a message built only from
what the sender may know: an agreement it cannot see is refused exactly as an id that does not
exist, and an agreement's status is named as the sender sees it.
"""

from __future__ import annotations

from typing import ClassVar


class RulesError(ValueError):
    """Base of every error the rules raise for bad input."""


class OrderSyntaxError(RulesError):
    """An order that does not follow the notation."""


class CommandError(RulesError):
    """A command that cannot be applied now.  Subclasses name the kind of refusal by `code`."""

    code: ClassVar[str] = "rejected"


class InvalidCommand(CommandError):
    """The command's fields are not what its kind requires."""

    code = "invalid_command"


class GameOver(CommandError):
    code = "game_over"


class WrongPhase(CommandError):
    """A command for another turn or phase, or one that belongs to another phase."""

    code = "wrong_phase"


class UnknownState(CommandError):
    code = "unknown_state"


class UnknownTerritory(CommandError):
    code = "unknown_territory"


class UnknownAgreement(CommandError):
    """No agreement with this id that the sender knows of: the same whether it exists or not."""

    code = "unknown_agreement"


class UnknownMessage(CommandError):
    """No message with this id that the sender received: the same whether it exists or not."""

    code = "unknown_message"


class NotAParty(CommandError):
    code = "not_a_party"


class WrongStatus(CommandError):
    """The agreement is not in a state that allows this (as the sender sees its status)."""

    code = "wrong_status"


class AlreadyDone(CommandError):
    """The sender already did this (signed, ratified, ordered the same action) and cannot again."""

    code = "already_done"


class BadTerms(CommandError):
    """Terms of an agreement, a message or an action that the rules cannot accept."""

    code = "bad_terms"


class TreasuryShort(CommandError):
    code = "treasury"


class BadOrder(CommandError):
    """An order that does not follow the notation (the whole submission is refused)."""

    code = "bad_order"


class UnknownInject(CommandError):
    """No prepared inject with this id in the scenario."""

    code = "unknown_inject"


class AlreadyReleased(CommandError):
    """A prepared inject is released at most once."""

    code = "already_released"


class BadPlacement(CommandError):
    """An inject places a unit where it cannot stand: an army at sea, a fleet inland or without its
    coast, or a place another unit holds."""

    code = "bad_placement"


class NoUnit(CommandError):
    """An inject removes a unit from a territory where none stands."""

    code = "no_unit"


REFUSALS: tuple[type[CommandError], ...] = (
    InvalidCommand,
    GameOver,
    WrongPhase,
    UnknownState,
    UnknownTerritory,
    UnknownAgreement,
    UnknownMessage,
    NotAParty,
    WrongStatus,
    AlreadyDone,
    BadTerms,
    TreasuryShort,
    BadOrder,
    UnknownInject,
    AlreadyReleased,
    BadPlacement,
    NoUnit,
)
"""Every kind of refusal the rules give, for the protocol's documentation and its tests."""
